import type { ParamValues } from 'nasbench/api';
import type { ControllerConfig } from './controller.js';
import type { ReinforceConfig } from './reinforce.js';

/**
 * ENAS's hyper-parameters. Those left at 0 take the value for the run's space (SPACE_DEFAULTS):
 * the published ENAS settings for the CNN micro cell and the PTB recurrent cell, and settings tuned
 * for NAS-Bench-201 (methods/enas/README.md).
 */
export const ENAS_PARAMS = {
  policy: {
    type: 'enum',
    default: 'lstm',
    choices: ['lstm', 'table'],
    doc: "Controller: 'lstm' (ENAS: attention for node inputs, softmax for ops) or 'table' (one softmax per position, NAS-Bench-201's REINFORCE)",
  },
  hidden: { type: 'int', default: 0, min: 0, doc: 'LSTM hidden size; 0: 64, or 100 for rnn-cell (ENAS)' },
  lr: { type: 'float', default: 0, min: 0, doc: "Adam learning rate; 0: the space's default (ENAS: 0.0035 CNN, 0.001 RNN)" },
  temperature: { type: 'float', default: 0, min: 0, doc: "Logits are divided by it before the tanh; 0: the space's default (ENAS: 1 CNN, 5 RNN)" },
  tanh_constant: { type: 'float', default: 0, min: 0, doc: "c in c·tanh(logits) for node inputs; 0: the space's default (ENAS: 1.1 CNN, 2.5 RNN)" },
  op_tanh_reduce: { type: 'float', default: 0, min: 0, doc: "Ops use c / this; 0: the space's default (ENAS: 2.5 CNN, 1 RNN)" },
  squash: { type: 'bool', default: true, doc: 'Bound the logits with c·tanh (false: temperature only)' },
  entropy_weight: { type: 'float', default: 0, min: 0, doc: "β in reward + β·entropy, in the task's score units (ENAS: 1e-4 of an accuracy in [0, 1])" },
  baseline_decay: { type: 'float', default: 0.9, min: 0, max: 0.999, doc: 'Decay of the moving-average baseline (ENAS: 0.99; NAS-Bench-201: 0.9)' },
  batch: { type: 'int', default: 1, min: 1, doc: 'Rewarded samples per REINFORCE update (ENAS aggregates 10; NAS-Bench-201: 1)' },
  unique: {
    type: 'bool',
    default: true,
    doc: 'Sample again instead of re-evaluating an architecture already evaluated, updating the controller with its known score',
  },
  max_resample: { type: 'int', default: 100, min: 0, doc: 'Draws per proposal before an already evaluated architecture is evaluated again' },
  final: {
    type: 'enum',
    default: 'best',
    choices: ['best', 'greedy'],
    doc: "Reported architecture: 'best' evaluated, or 'greedy' (the controller's most probable token at each position)",
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

export interface EnasSettings {
  readonly controller: ControllerConfig;
  readonly reinforce: ReinforceConfig;
  readonly batch: number;
  readonly unique: boolean;
  readonly maxResample: number;
  readonly final: 'best' | 'greedy';
}

export function resolveSettings(p: EnasParams, spaceKind: string): EnasSettings {
  const d = SPACE_DEFAULTS[spaceKind] ?? ENAS_CNN;
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
    reinforce: { lr: or(p.lr, d.lr), entropyWeight: p.entropy_weight, baselineDecay: p.baseline_decay },
    batch: p.batch,
    unique: p.unique,
    maxResample: p.max_resample,
    final: p.final as EnasSettings['final'],
  };
}
