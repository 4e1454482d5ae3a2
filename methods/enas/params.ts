import type { ParamValues } from 'nasbench/api';
import type { ControllerConfig } from './controller.js';
import type { ReinforceConfig } from './reinforce.js';

/**
 * ENAS's hyper-parameters. Those left at 0 take the value for the run's space (SPACE_DEFAULTS:
 * the published ENAS settings for the CNN micro cell and the PTB recurrent cell, and settings tuned
 * for NAS-Bench-201) or for its mode (MODE_DEFAULTS); see methods/enas/README.md.
 */
export const ENAS_PARAMS = {
  mode: {
    type: 'enum',
    default: 'auto',
    choices: ['auto', 'weight-sharing', 'standalone'],
    doc: "Where rewards come from: 'weight-sharing' (ENAS: a supernet, then the best derived cells re-ranked by standalone training), 'standalone' (each sample's own evaluation); 'auto': weight sharing on image and text tasks, standalone on tabular ones",
  },
  policy: {
    type: 'enum',
    default: 'lstm',
    choices: ['lstm', 'table'],
    doc: "Controller: 'lstm' (ENAS: attention for node inputs, softmax for ops) or 'table' (one softmax per position, NAS-Bench-201's REINFORCE)",
  },
  hidden: { type: 'int', default: 0, min: 0, doc: 'LSTM hidden size; 0: 64, or 100 for rnn-cell (ENAS)' },
  lr: { type: 'float', default: 0, min: 0, max: 1, doc: "Adam learning rate; 0: the space's default (ENAS: 0.0035 CNN, 0.001 RNN)" },
  temperature: { type: 'float', default: 0, min: 0, max: 100, doc: "Logits are divided by it before the tanh; 0: the space's default (ENAS: 1 CNN, 5 RNN)" },
  tanh_constant: { type: 'float', default: 0, min: 0, max: 100, doc: "c in c·tanh(logits) for node inputs; 0: the space's default (ENAS: 1.1 CNN, 2.5 RNN)" },
  op_tanh_reduce: { type: 'float', default: 0, min: 0, max: 100, doc: "Ops use c / this; 0: the space's default (ENAS: 2.5 CNN, 1 RNN)" },
  squash: { type: 'bool', default: true, doc: 'Bound the logits with c·tanh (false: temperature only)' },
  entropy_weight: {
    type: 'float',
    default: 0,
    min: 0,
    max: 100,
    doc: "β in reward + β·entropy, in the reward's units; 0: the mode's default (weight sharing: ENAS's 1e-4 for images, 1e-3 for text; standalone: none)",
  },
  baseline_decay: { type: 'float', default: 0, min: 0, max: 0.999, doc: "Decay of the moving-average baseline; 0: the mode's default (weight sharing: ENAS's 0.99; standalone: NAS-Bench-201's 0.9)" },
  batch: { type: 'int', default: 0, min: 0, doc: "Rewarded samples per REINFORCE update; 0: the mode's default (weight sharing: ENAS's 10; standalone: NAS-Bench-201's 1)" },
  unique: {
    type: 'bool',
    default: false,
    doc: 'Standalone: discard a drawn architecture already evaluated and draw again (the discarded draw is not rewarded); false: propose it, evaluated and charged again, as NAS-Bench-201 charges every lookup',
  },
  max_resample: { type: 'int', default: 100, min: 0, doc: 'With unique: draws per proposal before an already evaluated architecture is proposed (and charged) again' },
  final: {
    type: 'enum',
    default: 'best',
    choices: ['best', 'greedy'],
    doc: "Standalone mode's reported architecture: 'best' evaluated, or 'greedy' (the controller's most probable token at each position)",
  },
  epochs: { type: 'float', default: 10, min: 0, max: 1000, doc: 'Weight sharing: supernet epochs, each step on a fresh sample from the controller (ENAS: 150)' },
  controller_steps: { type: 'int', default: 10, min: 0, doc: 'Weight sharing: controller updates after each supernet epoch (ENAS: 30 for the CNN cell)' },
  derive_samples: {
    type: 'int',
    default: 50,
    min: 1,
    doc: 'Weight sharing: cells drawn from the trained controller and ranked by their shared-weight score to pick what is trained from scratch',
  },
  score_batches: { type: 'int', default: 2, min: 1, doc: 'Weight sharing: fixed validation minibatches each derived cell is scored on, at most the supernet’s' },
  rerank_spread: {
    type: 'float',
    default: 0.25,
    min: 0,
    max: 1,
    doc: 'Weight sharing: share of the standalone evaluations spent below the top of the derived cells’ ranking, so that the rank correlation spans the range',
  },
} as const;

export type EnasParams = ParamValues<typeof ENAS_PARAMS>;

/** The values a parameter left at 0 takes, per space kind. */
interface SpaceDefaults {
  readonly hidden: number;
  readonly lr: number;
  readonly temperature: number;
  readonly tanhConstant: number;
  readonly opTanhReduce: number;
}

/** ENAS's micro-cell search (cifar10_micro_search.sh): lstm 64, lr 0.0035, tanh 1.1, op_tanh_reduce 2.5, no temperature. */
const ENAS_CNN: SpaceDefaults = { hidden: 64, lr: 0.0035, temperature: 1, tanhConstant: 1.1, opTanhReduce: 2.5 };

export const SPACE_DEFAULTS: Readonly<Record<string, SpaceDefaults>> = {
  'cnn-micro': ENAS_CNN,
  // ENAS's PTB search (ptb_search.sh, lstm_size 100 in main.py): one tanh constant for both kinds.
  'rnn-cell': { hidden: 100, lr: 0.001, temperature: 5, tanhConstant: 2.5, opTanhReduce: 1 },
  // ENAS's CNN controller with the PTB controller's bound (2.5) on every logit: ENAS's 0.44 on ops
  // keeps NAS-Bench-201 runs of 150 samples close to random search (results/enas-nb201.md).
  nb201: { hidden: 64, lr: 0.0035, temperature: 1, tanhConstant: 2.5, opTanhReduce: 1 },
};

/** Whether rewards come from a supernet or from each sample's own evaluation. */
export type EnasMode = 'weight-sharing' | 'standalone';

export function resolveMode(p: EnasParams, taskKind: 'tabular' | 'image' | 'text'): EnasMode {
  if (p.mode === 'auto') return taskKind === 'tabular' ? 'standalone' : 'weight-sharing';
  return p.mode as EnasMode;
}

/** What the update does unless told otherwise: ENAS's values with shared weights, NAS-Bench-201's REINFORCE without. */
const MODE_DEFAULTS: Readonly<Record<EnasMode, { readonly batch: number; readonly baselineDecay: number; readonly entropyWeight: (kind: string) => number }>> = {
  'weight-sharing': { batch: 10, baselineDecay: 0.99, entropyWeight: (kind) => (kind === 'rnn-cell' ? 1e-3 : 1e-4) },
  standalone: { batch: 1, baselineDecay: 0.9, entropyWeight: () => 0 },
};

export interface EnasSettings {
  readonly controller: ControllerConfig;
  readonly reinforce: ReinforceConfig;
  readonly batch: number;
  readonly unique: boolean;
  readonly maxResample: number;
  readonly final: 'best' | 'greedy';
  readonly weightSharing: WeightSharingSettings;
}

/** The weight-sharing search's schedule (weight-sharing.ts). */
export interface WeightSharingSettings {
  readonly epochs: number;
  readonly controllerSteps: number;
  readonly deriveSamples: number;
  readonly scoreBatches: number;
  readonly rerankSpread: number;
}

export function resolveSettings(p: EnasParams, spaceKind: string, mode: EnasMode = 'standalone'): EnasSettings {
  const d = SPACE_DEFAULTS[spaceKind] ?? ENAS_CNN;
  const m = MODE_DEFAULTS[mode];
  const or = (value: number, fallback: number) => (value > 0 ? value : fallback);
  const tanh = or(p.tanh_constant, d.tanhConstant);
  return {
    controller: {
      policy: p.policy as ControllerConfig['policy'],
      hidden: or(p.hidden, d.hidden),
      temperature: or(p.temperature, d.temperature),
      inputTanh: p.squash ? tanh : null,
      opTanh: p.squash ? tanh / or(p.op_tanh_reduce, d.opTanhReduce) : null,
    },
    reinforce: { lr: or(p.lr, d.lr), entropyWeight: or(p.entropy_weight, m.entropyWeight(spaceKind)), baselineDecay: or(p.baseline_decay, m.baselineDecay) },
    batch: or(p.batch, m.batch),
    unique: p.unique,
    maxResample: p.max_resample,
    final: p.final as EnasSettings['final'],
    weightSharing: {
      epochs: p.epochs,
      controllerSteps: p.controller_steps,
      deriveSamples: p.derive_samples,
      scoreBatches: p.score_batches,
      rerankSpread: p.rerank_spread,
    },
  };
}
