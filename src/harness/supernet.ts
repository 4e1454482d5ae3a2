import { performance } from 'node:perf_hooks';
import type { Arch, Json, SearchSpace, Supernet, SupernetScoreOptions, SupernetTrainResult } from '../api/index.js';
import type { SupernetCore } from '../tasks/types.js';
import { errorMessage } from '../errors.js';
import { EventLoopTurns } from './event-loop-turns.js';

/** Supernet work to charge to the run. */
export interface SupernetWork {
  readonly seconds: number;
  readonly trainSteps: number;
  readonly scoreBatches: number;
}

/**
 * A run's supernet as its searcher sees it: checks what the plugin hands in, times every call on
 * the device clock (wall time: each step syncs on its loss) and reports the work to `charge`.
 */
export class RunSupernet implements Supernet {
  private spentMs = 0;

  constructor(
    private readonly core: SupernetCore<unknown>,
    private readonly space: SearchSpace<Arch>,
    private readonly charge: (work: SupernetWork) => void,
  ) {}

  get epochSteps(): number {
    return this.core.epochSteps;
  }

  get validBatches(): number {
    return this.core.validBatches;
  }

  get step(): number {
    return this.core.step;
  }

  get deviceSeconds(): number {
    return this.spentMs / 1000;
  }

  /** The space's own copy of a plugin's architecture (so later changes to the plugin's object cannot matter). */
  private checked(arch: Arch, what: string): unknown {
    try {
      return this.space.parse(this.space.format(arch));
    } catch (err) {
      throw new Error(`supernet.${what}: not a valid ${this.space.kind} architecture: ${errorMessage(err)}`);
    }
  }

  private spend(start: number, trainSteps: number, scoreBatches: number): void {
    const ms = performance.now() - start;
    this.spentMs += ms;
    this.charge({ seconds: ms / 1000, trainSteps, scoreBatches });
  }

  async train(steps: number, pick: (step: number) => Arch | Promise<Arch>, options: { readonly lr?: number } = {}): Promise<SupernetTrainResult> {
    if (!Number.isInteger(steps) || steps < 0) throw new Error(`supernet.train: steps must be a whole number ≥ 0, got ${steps}`);
    const { lr } = options;
    if (lr !== undefined && !(Number.isFinite(lr) && lr >= 0)) throw new Error(`supernet.train: lr must be a finite number ≥ 0, got ${lr}`);
    let [taken, finite, lossSum] = [0, 0, 0];
    let diverged = false;
    const turns = new EventLoopTurns();
    // A step with a finite loss can still throw the weights out of range (lr 1e30): the next loss
    // is not finite, and so would be every later call's. Such a call is undone as a whole.
    const mark = this.core.checkpoint();
    try {
      while (taken < steps) {
        const arch = this.checked(await pick(this.core.step), `train: pick(${this.core.step}) returned`);
        const start = performance.now();
        let loss: number;
        try {
          loss = this.core.trainStep(arch, lr);
          taken++;
          // At the end of the call (its last step, or a loss that is not finite) the weights are checked.
          diverged = !Number.isFinite(loss) || (taken === steps && !this.core.finite());
          if (diverged) mark.restore();
        } finally {
          this.spend(start, 1, 0);
        }
        if (diverged) break;
        finite++;
        lossSum += loss;
        await turns.maybeYield();
      }
    } finally {
      mark.dispose();
    }
    return { steps: taken, meanLoss: finite > 0 ? lossSum / finite : NaN, diverged };
  }

  async score(arch: Arch, options: SupernetScoreOptions = {}): Promise<Readonly<Record<string, number>>> {
    const batches = options.batches ?? 1;
    if (!Number.isInteger(batches) || batches < 1 || batches > this.core.validBatches) {
      throw new Error(`supernet.score: batches must be a whole number from 1 to ${this.core.validBatches} (the validation minibatches), got ${batches}`);
    }
    const checked = this.checked(arch, 'score: arch is');
    const start = performance.now();
    try {
      return Object.freeze(this.core.score(checked, batches, options.fixed ?? false).metrics);
    } finally {
      this.spend(start, 0, batches);
    }
  }

  snapshot(): Json {
    return this.core.snapshot();
  }

  restore(state: Json): void {
    this.core.restore(state);
  }

  dispose(): void {
    this.core.dispose();
  }
}
