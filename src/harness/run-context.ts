import { performance } from 'node:perf_hooks';
import type { Arch, SearchContext, SearchSpace, ZeroCostKind } from '../api/index.js';
import { Rng, ZERO_COST_KINDS } from '../api/index.js';
import type { BatchEvaluator } from './batch.js';
import { ZERO_COST_UNSUPPORTED } from './evaluation.js';
import { errorMessage } from '../errors.js';
import type { RunJournal } from './run-journal.js';
import { PluginFault, RunInterrupted, type RunDeps, type RunHooks } from './run-types.js';
import { runSeeds, seedDerivationOf } from './seeds.js';
import { RunSupernet } from './supernet.js';
import { SearcherClock } from './searcher-clock.js';
import { withTimeout } from './timeout.js';
import { canonicalArch } from './plugin-answers.js';

const DEFAULT_CALL_TIMEOUT_MS = 10 * 60 * 1000;

function isPromiseLike<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/**
 * What a run's searcher is given and how it is called: the `SearchContext` (space, seeded RNG,
 * logging, diagnostics, the lazily opened supernet), plugin calls with their timeout, and checks
 * of the architectures it hands back. Any fault of the plugin becomes a `PluginFault`.
 */
export class RunContext {
  readonly space: SearchSpace<Arch>;
  readonly rng: Rng;
  readonly ctx: SearchContext<any>;
  /** Evaluations the searcher has been driven past: where supernet work is placed in the search. */
  evaluationsSeen = 0;
  /**
   * Ordinal of the next evaluation of the run. Search evaluations and zero-cost ones (which a
   * searcher asks for from inside its calls) take ordinals, and budget, from this one count.
   */
  nextOrdinal = 0;
  private supernetMs = 0;
  private zeroCostMs = 0;
  private supernet: Promise<RunSupernet> | null = null;
  private readonly timeoutMs: number;
  private readonly signal: AbortSignal | undefined;

  constructor(
    private readonly deps: RunDeps,
    private readonly journal: RunJournal,
    hooks: RunHooks,
    private readonly evaluations: BatchEvaluator,
  ) {
    const { plugin, task, params } = deps;
    const run = journal.run;
    // Plugins see architectures as opaque Arch values of this space.
    this.space = task.space as SearchSpace<Arch>;
    this.rng = Rng.seeded(run.seed);
    this.timeoutMs = hooks.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    this.signal = hooks.signal;
    const prefix = `[${plugin.name} run ${run.id}]`;
    this.ctx = {
      space: this.space,
      rng: this.rng,
      params,
      task: { name: task.name, kind: task.kind, objective: task.objective },
      budget: run.budget,
      log: {
        info: (m) => hooks.log?.(`${prefix} ${m}`),
        warn: (m) => hooks.log?.(`${prefix} warning: ${m}`),
      },
      record: (kind, data) => journal.record(kind, data),
      tensorflow: () => deps.evaluator.tensorflow(),
      supernet: () => (this.supernet ??= this.openSupernet()),
      zeroCost: (arch, kind) => this.zeroCost(arch, kind),
    };
  }

  /** Calls the plugin; supernet and zero-cost device time is the run's, and a call is not timed out for it. */
  async call<T>(what: string, fn: () => T | Promise<T>): Promise<T> {
    const name = this.deps.plugin.name;
    const clock = this.searcherTime.start(this.supernetMs + this.zeroCostMs);
    try {
      const result = fn();
      // Only asynchronous work can be timed out (a synchronous hang blocks every timer too), and
      // most searchers answer synchronously: no timer for them.
      return isPromiseLike(result)
        ? await withTimeout(Promise.resolve(result), this.timeoutMs, `${name}.${what} did not return within ${this.timeoutMs / 1000} s`, () => this.supernetMs + this.zeroCostMs)
        : result;
    } catch (err) {
      if (err instanceof RunInterrupted) throw err;
      throw new PluginFault(`${name}.${what} failed: ${errorMessage(err)}`, { cause: err });
    } finally {
      this.searcherTime.stop(clock, this.supernetMs + this.zeroCostMs);
    }
  }

  /** The searcher's own time in this process so far (its calls, without the device work they asked for). */
  readonly searcherTime = new SearcherClock();

  /** The canonical string of an architecture the plugin returned; a PluginFault when it is not one of the space. */
  checkArch(arch: Arch, what: string): string {
    return canonicalArch(this.space, this.deps.plugin.name, what, arch);
  }

  /**
   * One zero-cost evaluation at the next ordinal, charged to the budget and committed like any
   * evaluation. On resume a stored one is reused, and must be what the searcher asks for again.
   */
  private async zeroCost(arch: Arch, kind: ZeroCostKind): Promise<number | null> {
    if (!(ZERO_COST_KINDS as readonly string[]).includes(kind)) throw new Error(`ctx.zeroCost: unknown kind '${kind}': expected one of ${ZERO_COST_KINDS.join(', ')}`);
    const { task, evaluator } = this.deps;
    if (!evaluator.zeroCost) throw new Error(`ctx.zeroCost: task ${task.name} has no network to score: ${ZERO_COST_UNSUPPORTED}`);
    // A search made of zero-cost requests runs inside one propose: Ctrl-C is honoured between them.
    if (this.signal?.aborted) throw new RunInterrupted('interrupted');
    const text = this.checkArch(arch, 'zeroCost');
    const budget = this.journal.run.budget;
    const ordinal = this.nextOrdinal;
    if (ordinal >= budget) throw new Error(`ctx.zeroCost: the run's budget of ${budget} evaluations is spent`);
    this.nextOrdinal++;
    let record = this.journal.stored(ordinal);
    if (record !== undefined && (record.arch !== text || (record.kind ?? 'objective') !== kind)) {
      throw new PluginFault(
        `${this.deps.plugin.name} is not deterministic: on resume it asked for ${kind} of ${text} as evaluation #${ordinal}, which the stored run holds as ${record.kind ?? 'objective'} of ${record.arch}; use ctx.rng for all randomness`,
      );
    }
    if (record === undefined) {
      const start = performance.now();
      record = await this.evaluations.zeroCost({ ordinal, text, arch: this.space.parse(text) }, kind);
      this.zeroCostMs += performance.now() - start;
      this.journal.add(record);
    }
    return record.status === 'ok' ? (record.metrics[kind] ?? null) : null;
  }

  private async openSupernet(): Promise<RunSupernet> {
    const { evaluator, task } = this.deps;
    if (!evaluator.openSupernet) {
      throw new Error(
        `ctx.supernet(): task ${task.name} is ${task.kind}: its results are looked up, there is no network whose weights could be shared; weight sharing needs an image or text task`,
      );
    }
    const { core, device } = evaluator.openSupernet(runSeeds(this.journal.run.seed, seedDerivationOf(this.journal.run.config)).supernet());
    return new RunSupernet(core, this.space, (work) => {
      this.supernetMs += work.seconds * 1000;
      this.journal.charge({ evaluationsSeen: this.evaluationsSeen, deviceKind: device.kind, ...work });
    });
  }

  /** The supernet lives as long as the run: its weights are freed whatever the outcome. */
  async dispose(): Promise<void> {
    const opened = this.supernet;
    if (opened !== null) (await opened.catch(() => null))?.dispose();
  }
}
