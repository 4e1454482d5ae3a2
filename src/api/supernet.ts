import type { Json } from './plugin.js';
import type { Arch } from './space.js';

/** What one `Supernet.train` call did. */
export interface SupernetTrainResult {
  /** Steps taken (fewer than asked only when a loss was not finite). */
  readonly steps: number;
  /** Mean training loss over the steps taken with a finite loss (NaN when there were none). */
  readonly meanLoss: number;
  /**
   * True when a step's loss was not finite, or the weights were no longer finite at the end of the
   * call: training stopped there and every weight and momentum buffer is back as it was when the
   * call began (the step counter still moved past the minibatches consumed).
   */
  readonly diverged: boolean;
}

export interface SupernetScoreOptions {
  /** Validation minibatches to score on (default 1, at most `validBatches`). */
  readonly batches?: number;
  /**
   * false (default): the next minibatches of a cursor that cycles through the validation split
   * in an order shuffled from the run's seed, a fresh one per call (ENAS's reward). true: always
   * the first `batches` minibatches of the split in its stored order, so that scores of different
   * architectures are measured on the same images or text and compare directly (NAO-WS's pool).
   */
  readonly fixed?: boolean;
}

/**
 * Weight sharing (ENAS, NAO-WS): one network holding weights for every choice the search space
 * offers (for `cnn-micro`, every (cell, node, input, op); for `rnn-cell`, every (node, previous
 * node)). Every architecture of the space is a subnetwork of it. A training step updates only the
 * weights the sampled architecture uses; unused weights get no momentum or weight-decay update.
 *
 * The supernet's device time (training and scoring) is charged to the run, like the time of the
 * evaluations. It is created from the run's seed by `ctx.supernet()` and lives as long as the run;
 * a searcher that wants to resume exactly keeps `snapshot()` in its own snapshot and hands it back
 * to `restore()`.
 */
export interface Supernet {
  /** Training minibatches in one pass over the search training split. */
  readonly epochSteps: number;
  /** Validation minibatches available to `score`. */
  readonly validBatches: number;
  /** Training steps taken so far (restored by `restore`); the next `pick` receives this number. */
  readonly step: number;
  /** Device seconds this supernet has spent in this process (training and scoring). */
  readonly deviceSeconds: number;
  /**
   * Takes `steps` training steps. Each takes the next training minibatch (order and augmentation
   * follow the run's seed and the step number), the architecture `pick(step)` returns (`step`
   * counts from 0 over the supernet's whole life), and one SGD step on that architecture's weights.
   * The learning rate follows the task preset's schedule unless `options.lr` is given.
   */
  train(steps: number, pick: (step: number) => Arch | Promise<Arch>, options?: { readonly lr?: number }): Promise<SupernetTrainResult>;
  /**
   * Measures `arch` with the shared weights on validation minibatches, with batch-normalisation
   * statistics of each minibatch (as ENAS does). Metrics carry the task objective's name
   * (`valid_acc` for images, `valid_ppl` for text, see `ctx.task.objective`) and `valid_loss`.
   */
  score(arch: Arch, options?: SupernetScoreOptions): Promise<Readonly<Record<string, number>>>;
  /** Weights, optimiser state and data cursors as compact JSON (float32 in base64). */
  snapshot(): Json;
  /** Goes back exactly to a state `snapshot()` returned (same task and preset). */
  restore(state: Json): void;
}
