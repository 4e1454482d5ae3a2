import type { Arch, Json, Observation, SearchContext, SearchSpace, Searcher, SearcherPlugin } from '../api/index.js';
import { performance } from 'node:perf_hooks';
import { Rng } from '../api/index.js';
import { errorMessage } from '../errors.js';
import type { EvaluationRecord, RunRecord } from '../store/types.js';
import type { Store } from '../store/store.js';
import type { Evaluator, Task } from '../tasks/types.js';
import { CommitBuffer } from './commit-buffer.js';
import { loadTensorflow } from './tensorflow.js';
import { evaluationSeed, finalEvaluationSeed, supernetSeed } from './seeds.js';
import { RunSupernet } from './supernet.js';
import { withTimeout } from './timeout.js';

/** Taken after a propose when it will be committed right away: enough to continue exactly from there. */
interface HarnessSnapshot {
  readonly rng: number[];
  readonly searcher: Json;
  /** The batch just proposed: canonical strings, evaluated as ordinals first, first+1, … */
  readonly batch: { readonly first: number; readonly archs: readonly string[] };
}

export interface RunHooks {
  /** Checked between evaluations: when aborted, the run stops after the evaluation in flight. */
  readonly signal?: AbortSignal;
  /** Longest a single plugin call (create, propose, observe, …) may take. */
  readonly callTimeoutMs?: number;
  /** Longest stretch of finished evaluations held before committing them together (default 20 ms). */
  readonly commitIntervalMs?: number;
  onEvaluation?(evaluation: EvaluationRecord, run: RunRecord): void;
  /** Training steps of a trained child: a search evaluation (its ordinal) or the run's final one. */
  onChildProgress?(progress: ChildProgress, run: RunRecord): void;
  log?(message: string): void;
}

export interface ChildProgress {
  readonly phase: 'search' | 'final';
  /** The evaluation's ordinal (search phase only). */
  readonly ordinal: number | null;
  readonly step: number;
  readonly steps: number;
  readonly loss: number;
}

export type RunResult =
  | { readonly status: 'completed'; readonly finalValue: number | null; readonly arch: string }
  | { readonly status: 'interrupted' }
  | { readonly status: 'failed'; readonly error: string };

export interface RunDeps {
  readonly plugin: SearcherPlugin;
  readonly task: Task;
  readonly evaluator: Evaluator<unknown>;
  readonly params: Readonly<Record<string, unknown>>;
}

/** A fault of the plugin (as opposed to the harness or the store): it fails the run, never the process. */
class PluginFault extends Error {}

const DEFAULT_CALL_TIMEOUT_MS = 10 * 60 * 1000;
/** Longest stretch of back-to-back evaluations before the loop lets signals and timers run. */
const YIELD_EVERY_MS = 25;

function isPromiseLike<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

function scoreOf(value: number | null, goal: 'max' | 'min'): number | null {
  return value === null ? null : goal === 'max' ? value : -value;
}

/**
 * Runs (or continues) one run's ask/tell loop until its budget is spent, then records the
 * result. Evaluations are committed as they complete (fast ones in groups, see CommitBuffer),
 * together with a snapshot of the searcher taken right after its latest propose. A resume
 * restores the last stored snapshot and replays from there, reusing every stored evaluation, so
 * nothing stored is evaluated again and the run proposes exactly what it would have.
 */
export async function executeRun(store: Store, runId: number, deps: RunDeps, hooks: RunHooks = {}): Promise<RunResult> {
  const run = store.getRun(runId);
  if (!run) throw new Error(`run ${runId} does not exist`);
  const { plugin, task, evaluator, params } = deps;
  // Plugins see architectures as opaque Arch values of this space.
  const space = task.space as SearchSpace<Arch>;
  const timeoutMs = hooks.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const evaluated = new Map<number, EvaluationRecord>(store.evaluations(runId).map((e) => [e.ordinal, e]));

  // Supernet device time is the run's, and a call is not timed out for it.
  let supernetMs = 0;
  const call = async <T>(what: string, fn: () => T | Promise<T>): Promise<T> => {
    try {
      const result = fn();
      // Only asynchronous work can be timed out (a synchronous hang blocks every timer too), and
      // most searchers answer synchronously: no timer for them.
      return isPromiseLike(result)
        ? await withTimeout(Promise.resolve(result), timeoutMs, `${plugin.name}.${what} did not return within ${timeoutMs / 1000} s`, () => supernetMs)
        : result;
    } catch (err) {
      throw new PluginFault(`${plugin.name}.${what} failed: ${errorMessage(err)}`);
    }
  };
  const checkArch = (arch: Arch, what: string): string => {
    try {
      const text = space.format(arch);
      space.parse(text);
      return text;
    } catch (err) {
      throw new PluginFault(`${plugin.name}.${what} returned an invalid ${space.kind} architecture: ${errorMessage(err)}`);
    }
  };
  const observation = (e: EvaluationRecord, arch: Arch): Observation => ({
    arch,
    ordinal: e.ordinal,
    status: e.status,
    score: scoreOf(e.value, task.objective.goal),
    metrics: e.metrics,
  });

  const rng = Rng.seeded(run.seed);
  // Evaluations the searcher has been driven past: where supernet work is placed in the search.
  let evaluationsSeen = 0;
  let supernet: Promise<RunSupernet> | null = null;
  const openSupernet = async (): Promise<RunSupernet> => {
    if (!evaluator.openSupernet) {
      throw new Error(
        `ctx.supernet(): task ${task.name} is ${task.kind}: its results are looked up, there is no network whose weights could be shared; weight sharing needs an image or text task`,
      );
    }
    const { core, device } = evaluator.openSupernet(supernetSeed(run.seed));
    return new RunSupernet(core, space, (work) => {
      supernetMs += work.seconds * 1000;
      commits.charge({ evaluationsSeen, deviceKind: device.kind, ...work });
    });
  };
  const ctx: SearchContext<any> = {
    space,
    rng,
    params,
    task: { name: task.name, kind: task.kind, objective: task.objective },
    budget: run.budget,
    log: {
      info: (m) => hooks.log?.(`[${plugin.name} run ${runId}] ${m}`),
      warn: (m) => hooks.log?.(`[${plugin.name} run ${runId}] warning: ${m}`),
    },
    record: (kind, data) => store.recordDiagnostic(runId, evaluated.size, kind, data),
    tensorflow: loadTensorflow,
    supernet: () => (supernet ??= openSupernet()),
  };
  const commits = new CommitBuffer(store, runId, (e) => hooks.onEvaluation?.(e, run), hooks.commitIntervalMs);
  const stop = (status: 'interrupted' | 'failed', error: string | null = null): RunResult => {
    commits.flush();
    store.setRunStatus(runId, status, error);
    return status === 'failed' ? { status, error: error as string } : { status };
  };

  // Table lookups resolve as microtasks: without an occasional macrotask turn, Ctrl-C and the
  // progress display would wait for the whole run.
  let lastYield = performance.now();
  const yieldNow = async () => {
    if (performance.now() - lastYield < YIELD_EVERY_MS) return;
    await new Promise((resolve) => setImmediate(resolve));
    lastYield = performance.now();
  };

  try {
    const searcher: Searcher = await call('create', () => plugin.create(ctx));
    let batch: HarnessSnapshot['batch'] | null = null;
    if (run.snapshot !== null) {
      const snapshot = JSON.parse(run.snapshot) as HarnessSnapshot;
      evaluationsSeen = snapshot.batch.first;
      await call('restore', () => searcher.restore(snapshot.searcher));
      rng.reset(snapshot.rng);
      batch = snapshot.batch;
    }

    // Ordinal of the next evaluation the searcher has not yet observed. Stored evaluations past it
    // (committed after the last stored snapshot) are replayed, not evaluated again.
    let next = batch?.first ?? 0;
    for (;;) {
      if (batch !== null) {
        const results: Observation[] = [];
        for (const [i, text] of batch.archs.entries()) {
          const ordinal = batch.first + i;
          const arch = space.parse(text);
          let record = evaluated.get(ordinal);
          if (record !== undefined && record.arch !== text) {
            // Replaying from an older snapshot must reproduce what was stored: a searcher with
            // hidden randomness cannot be resumed without mixing two different runs.
            throw new PluginFault(
              `${plugin.name} is not deterministic: on resume it proposed ${text} as evaluation #${ordinal}, which the stored run evaluated as ${record.arch}; use ctx.rng for all randomness`,
            );
          }
          if (record === undefined) {
            await yieldNow();
            if (hooks.signal?.aborted) return stop('interrupted');
            record = await evaluate(evaluator, task, run, ordinal, text, arch, hooks);
            commits.add(record);
            evaluated.set(ordinal, record);
          }
          results.push(observation(record, arch));
        }
        evaluationsSeen = batch.first + batch.archs.length;
        await call('observe', () => searcher.observe(results));
        next = batch.first + batch.archs.length;
        batch = null;
      }
      const used = next;
      evaluationsSeen = used;
      if (used >= run.budget) break;
      if (hooks.signal?.aborted) return stop('interrupted');
      const proposed = await call('propose', () => searcher.propose(run.budget - used));
      if (!Array.isArray(proposed)) throw new PluginFault(`${plugin.name}.propose must return an array of architectures`);
      if (proposed.length === 0) {
        hooks.log?.(`[${plugin.name} run ${runId}] the searcher has nothing more to propose after ${used} evaluations`);
        break;
      }
      const archs = proposed.slice(0, run.budget - used).map((a) => checkArch(a, 'propose'));
      batch = { first: used, archs };
      // Serialising the searcher costs more than a table lookup: snapshot only what will be
      // committed now. Resume replays from the last stored snapshot, reusing stored evaluations.
      if (commits.due()) {
        const snapshot: HarnessSnapshot = { rng: [...rng.state()], searcher: await call('snapshot', () => searcher.snapshot()), batch };
        commits.setSnapshot(JSON.stringify(snapshot));
      }
    }
    commits.flush();

    const chosen = searcher.recommend
      ? { arch: checkArch(await call('recommend', () => searcher.recommend!()), 'recommend'), ordinal: null }
      : bestObserved([...evaluated.values()], task.objective.goal);
    commits.flush();
    if (chosen === null) return stop('failed', `no successful evaluation among ${evaluated.size}: nothing to report`);
    const arch = space.parse(chosen.arch);
    const final = await evaluator.finalEvaluate(arch, {
      seed: finalEvaluationSeed(run.seed),
      onProgress: hooks.onChildProgress && ((p) => hooks.onChildProgress!({ phase: 'final', ordinal: null, ...p }, run)),
    });
    const value = final.status === 'ok' ? (final.metrics[task.result.metric] ?? null) : null;
    store.completeRun(runId, {
      arch: chosen.arch,
      archHash: space.hash(arch),
      ordinal: chosen.ordinal ?? evaluatedOrdinalOf(evaluated, chosen.arch),
      value,
      metrics: { ...final.metrics },
      deviceSeconds: final.deviceSeconds,
    });
    return { status: 'completed', finalValue: value, arch: chosen.arch };
  } catch (err) {
    if (!(err instanceof PluginFault)) throw err;
    return stop('failed', err.message);
  } finally {
    // The supernet lives as long as the run: its weights are freed whatever the outcome.
    const opened = supernet as Promise<RunSupernet> | null;
    if (opened !== null) (await opened.catch(() => null))?.dispose();
  }
}

async function evaluate(
  evaluator: Evaluator<unknown>,
  task: Task,
  run: RunRecord,
  ordinal: number,
  text: string,
  arch: unknown,
  hooks: RunHooks,
): Promise<EvaluationRecord> {
  const startedAt = new Date().toISOString();
  const base = { runId: run.id, ordinal, arch: text, archHash: task.space.hash(arch), startedAt };
  try {
    const e = await evaluator.evaluate(arch, {
      seed: evaluationSeed(run.seed, ordinal),
      onProgress: hooks.onChildProgress && ((p) => hooks.onChildProgress!({ phase: 'search', ordinal, ...p }, run)),
    });
    const value = e.status === 'ok' ? (e.metrics[task.objective.metric] ?? null) : null;
    return {
      ...base,
      status: e.status === 'ok' && value === null ? 'failed' : e.status,
      value,
      metrics: { ...e.metrics },
      params: e.params,
      fidelity: e.fidelity,
      deviceSeconds: e.deviceSeconds,
      deviceKind: e.device.kind,
      backend: e.device.backend,
      threads: e.device.threads,
      error: e.error ?? (e.status === 'ok' && value === null ? `evaluation has no '${task.objective.metric}' metric` : null),
      finishedAt: new Date().toISOString(),
    };
  } catch (err) {
    return {
      ...base,
      status: 'failed',
      value: null,
      metrics: {},
      params: null,
      fidelity: null,
      deviceSeconds: 0,
      deviceKind: 'none',
      backend: 'none',
      threads: 0,
      error: errorMessage(err),
      finishedAt: new Date().toISOString(),
    };
  }
}

/** The best successful evaluation by the search objective; the earliest wins a tie. */
export function bestObserved(
  evaluations: readonly EvaluationRecord[],
  goal: 'max' | 'min',
): { arch: string; ordinal: number } | null {
  let best: { arch: string; ordinal: number; score: number } | null = null;
  for (const e of [...evaluations].sort((a, b) => a.ordinal - b.ordinal)) {
    const score = e.status === 'ok' ? scoreOf(e.value, goal) : null;
    if (score !== null && (best === null || score > best.score)) best = { arch: e.arch, ordinal: e.ordinal, score };
  }
  return best === null ? null : { arch: best.arch, ordinal: best.ordinal };
}

function evaluatedOrdinalOf(evaluated: ReadonlyMap<number, EvaluationRecord>, arch: string): number | null {
  for (const e of [...evaluated.values()].sort((a, b) => a.ordinal - b.ordinal)) if (e.arch === arch) return e.ordinal;
  return null;
}
