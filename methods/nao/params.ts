import type { ParamValues, TokenGrammar } from 'nasbench/api';
import { EPD_PARAMS, type EpdSettings, resolveEpdSettings } from 'nasbench/api';

/**
 * NAO's hyper-parameters. Two configurations: `scaled` (the defaults below: a small EPD trained
 * briefly, so that a tabular run of a few hundred evaluations takes seconds) and `paper` (the EPD
 * sizes and training schedule of the authors' code, PAPER_EPD). The search-loop sizes (seed pool,
 * K, top-k) are the same in both, scaled to the run's budget: the published loop (hundreds of
 * seeds, 300 new architectures per iteration from the top 100) does not fit a budget of 150.
 */
export const NAO_PARAMS = {
  config: {
    type: 'enum',
    default: 'scaled',
    choices: ['scaled', 'paper'],
    doc: 'scaled: the small, briefly trained EPD of the defaults; paper: the EPD sizes and training schedule of the authors’ code (renqianluo/NAO, NAO/cnn/epd/train.sh), which fix hidden, embedding, mlp_layers, mlp_hidden, epochs, batch_size, lr, weight_decay, grad_clip, trade_off, augment and random_fill',
  },
  seed_fraction: { type: 'float', default: 0.33, min: 0.01, max: 1, doc: 'Share of the budget spent on the random seed pool (paper: 1000 seeds)' },
  new_per_iteration: { type: 'int', default: 25, min: 1, doc: 'New architectures K generated per iteration (paper: 300)' },
  top_k: { type: 'int', default: 10, min: 1, doc: 'Best evaluated architectures moved along the predictor gradient (paper: 100)' },
  ...EPD_PARAMS,
  holdout: { type: 'float', default: 0.1, min: 0, max: 0.5, doc: 'Share of evaluated architectures never trained on, for the predictor’s held-out ranking accuracy' },
  random_fill: {
    type: 'bool',
    default: true,
    doc: 'Fill an iteration whose decoder produced fewer than K new architectures with random ones (off in config=paper: the authors’ code evaluates only what the decoder produced)',
  },
} as const;

export type NaoParams = ParamValues<typeof NAO_PARAMS>;

/**
 * The published NAO's encoder-predictor-decoder (CIFAR-10 without weight sharing), as the authors'
 * TensorFlow code trains it: renqianluo/NAO, NAO/cnn/epd/train.sh (flags) and NAO/cnn/epd/main.py
 * (defaults for what train.sh leaves out). One-layer LSTM encoder and decoder of 96 units,
 * embeddings of 32, attention; `--mlp_num_layers=0`: the predictor is one sigmoid unit on the
 * pooled encoding (main.py's `--mlp_hidden_size` is then unused); 1000 epochs, batches of 50, Adam
 * at 0.001 (no decay with Adam), weight decay 1e-4 (main.py's default), gradients clipped to a
 * global norm of 5, trade-off 0.8; no `--symmetry`, so no rewritten copies. Not modelled: the
 * encoder's output dropout of 0.1 (`--encoder_dropout`; this EPD has dropout only between
 * predictor layers, of which there are none here). Generation keeps η growing by 1 up to 100 (the
 * PyTorch code's `--max_step_size 100`, renqianluo/NAO_pytorch NAO_V1/train_controller.py; the
 * TensorFlow scripts decode at λ = 10, 20 and 30 instead). The PyTorch reimplementation of the same
 * controller (NAO_V1/train_controller.py) differs in hidden 64, batch 100 and no weight decay.
 */
export const PAPER_EPD = {
  hidden: 96,
  embedding: 32,
  mlp_layers: 0,
  mlp_hidden: 100,
  epochs: 1000,
  batch_size: 50,
  lr: 0.001,
  weight_decay: 1e-4,
  grad_clip: 5,
  trade_off: 0.8,
  augment: 0,
  random_fill: false,
} as const satisfies Partial<NaoParams>;

/**
 * The parameters that run: in the paper configuration PAPER_EPD's values. A PAPER_EPD parameter set
 * to something other than its scaled default and the paper's value is refused. One set to its
 * scaled default cannot be told from one left alone (the values arrive with defaults filled in), so
 * `config=paper --param epochs=15` runs 1000 epochs; the stored parameters say so.
 */
export function effectiveParams(p: NaoParams): NaoParams {
  if (p.config !== 'paper') return p;
  const clashes = (Object.keys(PAPER_EPD) as (keyof typeof PAPER_EPD)[]).filter((k) => p[k] !== PAPER_EPD[k] && p[k] !== NAO_PARAMS[k].default);
  if (clashes.length > 0) {
    throw new Error(`config=paper fixes ${clashes.map((k) => `${k}=${PAPER_EPD[k]}`).join(', ')}: drop --param ${clashes.join(', ')}, or use config=scaled`);
  }
  return { ...p, ...PAPER_EPD };
}

/** What ran, in a report's words: the configuration and the EPD's size and schedule. */
export function naoLabel(p: NaoParams): string {
  const e = effectiveParams(p);
  return `NAO (${p.config} EPD: LSTM ${e.hidden}, embedding ${e.embedding}, ${e.epochs} epochs/iteration${e.random_fill ? ', random fill' : ''})`;
}

/** The parameters resolved against the run: sizes in architectures, the encoder's step width. */
export interface NaoSettings extends EpdSettings {
  readonly config: string;
  readonly seedPool: number;
  readonly newPerIteration: number;
  readonly holdout: number;
  readonly randomFill: boolean;
}

export function resolveSettings(params: NaoParams, budget: number, grammar: TokenGrammar): NaoSettings {
  const p = effectiveParams(params);
  return {
    config: p.config,
    // At least two seeds: the predictor's targets are min-max normalised.
    seedPool: Math.min(budget, Math.max(2, Math.round(p.seed_fraction * budget))),
    newPerIteration: p.new_per_iteration,
    holdout: p.holdout,
    randomFill: p.random_fill,
    ...resolveEpdSettings(p, p.top_k, grammar),
  };
}
