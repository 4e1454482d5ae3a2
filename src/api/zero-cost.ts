/**
 * Training-free ("zero-cost") scores a searcher may ask for with `ctx.zeroCost(arch, kind)`:
 * - `naswot`: log|det| of the ReLU activation-code kernel over one minibatch (Mellor et al. 2021);
 * - `synflow`: data-free synaptic flow, Σ|θ·∂R/∂θ| (Tanaka et al. 2020; Abdelfattah et al. 2021);
 * - `params`: trainable parameters; `flops`: multiply-accumulates per image.
 * Higher is better for `naswot` and `synflow`; `params` and `flops` are the baselines those scores
 * must beat (choosing the larger network).
 */
export const ZERO_COST_KINDS = ['naswot', 'synflow', 'params', 'flops'] as const;
export type ZeroCostKind = (typeof ZERO_COST_KINDS)[number];
