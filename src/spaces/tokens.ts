import type { Rng, TokenGrammar } from '../api/index.js';

/** A uniformly drawn token sequence that the grammar allows. */
export function sampleTokens(grammar: TokenGrammar, rng: Rng): number[] {
  return Array.from({ length: grammar.length }, (_, p) => rng.pick(grammar.allowed(p)));
}

/** Changes one token, at a position that has an alternative, to another token allowed there. */
export function mutateTokens(tokens: readonly number[], grammar: TokenGrammar, rng: Rng): number[] {
  const out = tokens.slice();
  const position = rng.pick(out.map((_, p) => p).filter((p) => grammar.allowed(p).length > 1));
  out[position] = rng.pick(grammar.allowed(position).filter((t) => t !== out[position]));
  return out;
}
