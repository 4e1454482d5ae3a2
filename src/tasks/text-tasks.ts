import type { Objective } from '../api/index.js';
import { getDataset } from '../data/index.js';
import type { SupernetTraining } from '../engine/supernet.js';
import type { LmTrainConfig } from '../engine/train-lm.js';
import { rnnCellSpace, type RnnCellArch } from '../spaces/rnn-cell.js';
import { datasetFiles } from './data-files.js';
import type { Task } from './types.js';

/** One way of training a child language model. */
export interface TextSetting {
  readonly hidden: number;
  readonly dropout: number;
  readonly train: LmTrainConfig;
  /** Tokens of the training split used (from its start); 0 means all. */
  readonly trainTokens: number;
  /** Tokens of the validation split measured (search only); 0 means all. */
  readonly validTokens: number;
}

/**
 * The weight-sharing supernet (ENAS, NAO-WS) of a preset. It trains on the search setting's
 * training tokens and scores on its validation tokens.
 */
export interface TextSupernetSetting {
  readonly hidden: number;
  readonly dropout: number;
  readonly batchSize: number;
  readonly bptt: number;
  readonly evalBatchSize: number;
  readonly train: SupernetTraining;
}

export interface TextPreset {
  readonly search: TextSetting;
  readonly final: TextSetting;
  readonly supernet?: TextSupernetSetting;
}

// Plain SGD with a large rate and tight clipping, as in Zaremba et al., ENAS, DARTS and NAO.
const SGD = { lr: 20, lrMin: 2, momentum: 0, weightDecay: 5e-7, gradClip: 0.25 };
const LM = { batchSize: 32, bptt: 35, evalBatchSize: 10 };

export type TextPresets = Readonly<Record<string, TextPreset>>;

export const PRESETS: Record<'smoke' | 'tiny' | 'paper', TextPreset> = {
  // Seconds per child even on the reference cpu backend: for checking a setup end to end, not for results.
  smoke: {
    search: { hidden: 16, dropout: 0, trainTokens: 2_000, validTokens: 800, train: { ...SGD, ...LM, batchSize: 8, bptt: 20, epochs: 1 } },
    final: { hidden: 16, dropout: 0, trainTokens: 4_000, validTokens: 0, train: { ...SGD, ...LM, batchSize: 8, bptt: 20, epochs: 1 } },
    // Twelve steps an epoch over the search split, four validation batches: weight sharing in seconds.
    supernet: { hidden: 16, dropout: 0, batchSize: 8, bptt: 20, evalBatchSize: 10, train: { ...SGD, epochs: 4 } },
  },
  // Sized by measured speed on 2 CPU cores (about 1,000–1,500 tokens/s at hidden 128 with wasm on
  // one core): a search child in about a minute, a final training of one epoch of the full training
  // split. The final training takes batches of 20 without dropout: more updates in its one epoch
  // (the reference cell: validation perplexity 189 in 10.4 minutes, results/reference-ptb.json;
  // batches of 32 with dropout 0.1 gave 230).
  tiny: {
    search: { hidden: 128, dropout: 0.1, trainTokens: 30_000, validTokens: 10_000, train: { ...SGD, ...LM, epochs: 1 } },
    final: { hidden: 128, dropout: 0, trainTokens: 0, validTokens: 0, train: { ...SGD, ...LM, batchSize: 20, epochs: 1 } },
    // The size of a search child: one supernet epoch (30,000 tokens) costs about what one child's training did.
    supernet: { hidden: 128, dropout: 0.1, ...LM, train: { ...SGD, epochs: 10 } },
  },
  // NAO/DARTS-scale recurrent children, meant for GPUs.
  paper: {
    search: { hidden: 300, dropout: 0.5, trainTokens: 0, validTokens: 0, train: { ...SGD, ...LM, batchSize: 64, epochs: 10 } },
    final: { hidden: 850, dropout: 0.75, trainTokens: 0, validTokens: 0, train: { ...SGD, ...LM, batchSize: 64, epochs: 1000 } },
    // ENAS-style shared training of search-sized cells.
    supernet: { hidden: 300, dropout: 0.5, ...LM, batchSize: 64, train: { ...SGD, epochs: 150 } },
  },
};

const SEARCH_OBJECTIVE: Objective = { metric: 'valid_ppl', goal: 'min', label: 'validation perplexity' };
const RESULT: Objective = { metric: 'test_ppl', goal: 'min', label: 'test perplexity after training from scratch' };

function textTask(name: string, dataset: string, title: string, presets: TextPresets): Task<RnnCellArch> {
  const task: Task<RnnCellArch> = {
    name,
    kind: 'text',
    description: `${title}: train rnn-cell language models, search on validation perplexity, report test perplexity`,
    space: rnnCellSpace,
    objective: SEARCH_OBJECTIVE,
    result: RESULT,
    defaultBudget: 20,
    presets: Object.keys(presets),
    // Hand-picked (not from a paper): a chain of tanh/ReLU nodes with a few highway shortcuts.
    reference: '0 tanh|1 relu|1 tanh|2 relu|3 identity|4 tanh|5 relu|4 sigmoid|7 tanh|8 relu|6 identity|10 tanh',
    dataStatus(dir) {
      const status = getDataset(dataset).status(dir);
      return { present: status.present, missing: status.missing };
    },
    dataFiles: (dir) => datasetFiles(getDataset(dataset), dir),
    async open(dir, options) {
      // The engine (TensorFlow.js) loads only when a trained task is opened.
      const { openTextEvaluator } = await import('./text-evaluator.js');
      return openTextEvaluator(task, dataset, presets, dir, options);
    },
  };
  return task;
}

/**
 * PTB's tiny search setting, recalibrated (issue 18, docs/ENGINE.md, results/proxy-fidelity.md):
 * the setting above took 26 steps and its children scored about 1,000–1,500 validation perplexity,
 * worse than a unigram model (687), so a search on it learned from noise. Batches of 8 × 35 over
 * 60,000 tokens take 214 steps (children reach about 600) in about a minute of one core; no
 * dropout, as in the final training; a 5,000-token validation slice. Shared training is counted
 * in epochs of the search split, so it grew with it.
 */
const PTB_PRESETS: Record<'smoke' | 'tiny' | 'paper', TextPreset> = {
  ...PRESETS,
  tiny: {
    ...PRESETS.tiny,
    search: { hidden: 128, dropout: 0, trainTokens: 60_000, validTokens: 5_000, train: { ...SGD, ...LM, batchSize: 8, epochs: 1 } },
  },
};

/**
 * Each text task's preset table, by task name. WikiText-2 keeps the earlier tiny search setting:
 * its 33,278-word softmax makes a child about three times dearer than PTB's, so PTB's would not
 * fit a minute, and its agreement is not measured yet.
 */
export const TEXT_PRESETS: Record<'ptb' | 'wikitext2', Record<'smoke' | 'tiny' | 'paper', TextPreset>> = { ptb: PTB_PRESETS, wikitext2: PRESETS };

export const textTasks: Task<RnnCellArch>[] = [textTask('ptb', 'ptb', 'Penn Treebank', TEXT_PRESETS.ptb), textTask('wikitext2', 'wikitext2', 'WikiText-2', TEXT_PRESETS.wikitext2)];
