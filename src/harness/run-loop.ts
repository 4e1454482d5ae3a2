import type { Arch, Observation, Searcher } from '../api/index.js';
import type { Store } from '../store/store.js';
import type { EvaluationRecord } from '../store/types.js';
import { BatchEvaluator } from './batch.js';
import { evaluationSlots, inProcessDispatcher } from './evaluation.js';
import { RunContext } from './run-context.js';
import { checkProposed, checkSnapshot } from './plugin-answers.js';
import { RunJournal } from './run-journal.js';
import { PluginFault, RunInterrupted, type HarnessSnapshot, type Proposal, type ProposedBatch, type RunDeps, type RunHooks, type RunResult } from './run-types.js';

export type { ChildProgress, RunDeps, RunHooks, RunResult } from './run-types.js';

/** One run being executed: its context, journal and evaluations, and the searcher. */
interface Running {
  readonly c: RunContext;
  readonly journal: RunJournal;
  readonly evaluations: BatchEvaluator;
  readonly searcher: Searcher;
  readonly hooks: RunHooks;
  readonly goal: 'max' | 'min';
  /** The task's reported result metric, which a searcher never sees (null when it is the search objective itself). */
  readonly hidden: string | null;
  /** The plugin's name, as its faults are reported. */
  readonly name: string;
  /** Whether a snapshot of this searcher has been checked to be JSON yet (the first one always is). */
  snapshotChecked: boolean;
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
  const journal = new RunJournal(store, run, (e) => hooks.onEvaluation?.(e, run), hooks.commitIntervalMs);
  const dispatcher = deps.dispatcher ?? inProcessDispatcher(deps.evaluator, deps.task);
  const evaluations = new BatchEvaluator({ task: deps.task, journal, hooks, dispatcher, slots: deps.slots ?? evaluationSlots(1) });
  const c = new RunContext(deps, journal, hooks, evaluations);
  try {
    const searcher = await c.call('create', () => deps.plugin.create(c.ctx));
    const hidden = deps.task.result.metric === deps.task.objective.metric ? null : deps.task.result.metric;
    const r: Running = { c, journal, evaluations, searcher, hooks, goal: deps.task.objective.goal, hidden, name: deps.plugin.name, snapshotChecked: false };
    if ((await search(r)) === 'interrupted') return journal.stop('interrupted');
    return await finish(r, deps);
  } catch (err) {
    if (err instanceof RunInterrupted) return journal.stop('interrupted');
    if (!(err instanceof PluginFault)) throw err;
    hooks.onPluginFault?.(err, run);
    return journal.stop('failed', err.message);
  } finally {
    // Added to what earlier sessions of the run spent (a resume replays calls, and pays for them again).
    store.addSearcherTime(runId, c.searcherTime.wallSeconds, c.searcherTime.cpuSeconds);
    await c.dispose();
  }
}

/** The ask/tell loop until the budget is spent or the searcher runs dry. */
async function search(r: Running): Promise<'done' | 'interrupted'> {
  const { c, journal, searcher, hooks } = r;
  const budget = journal.run.budget;
  let batch = await restore(r);
  // c.nextOrdinal: the next evaluation the searcher has not yet asked for (zero-cost ones, from
  // inside its calls, take ordinals too). Stored evaluations past it (committed after the last
  // stored snapshot) are replayed, not evaluated again.
  c.nextOrdinal = batch?.first ?? 0;
  for (;;) {
    if (batch !== null) {
      const proposals = replayed(r, batch);
      if (!(await r.evaluations.evaluate(proposals.filter((p) => journal.stored(p.ordinal) === undefined)))) return 'interrupted';
      c.nextOrdinal = c.evaluationsSeen = batch.first + batch.archs.length;
      const results = proposals.map((p) => observation(journal.stored(p.ordinal)!, p, r.goal, r.hidden));
      await c.call('observe', () => searcher.observe(results));
      batch = null;
    }
    c.evaluationsSeen = c.nextOrdinal;
    if (c.nextOrdinal >= budget) return 'done';
    if (hooks.signal?.aborted) return 'interrupted';
    batch = await propose(r);
    if (batch === null) return 'done';
  }
}

/** Restores the last stored snapshot, if any: the batch proposed right before it was taken. */
async function restore(r: Running): Promise<ProposedBatch | null> {
  const stored = r.journal.run.snapshot;
  if (stored === null) return null;
  const snapshot = JSON.parse(stored) as HarnessSnapshot;
  r.c.evaluationsSeen = snapshot.batch.first;
  await r.c.call('restore', () => r.searcher.restore(snapshot.searcher));
  r.c.rng.reset(snapshot.rng);
  return snapshot.batch;
}

/** Asks for up to the rest of the budget; null when the searcher has nothing more to propose. */
async function propose(r: Running): Promise<ProposedBatch | null> {
  const { c, journal, searcher } = r;
  const run = journal.run;
  const max = run.budget - c.nextOrdinal;
  const proposed = checkProposed(r.name, max, await c.call('propose', () => searcher.propose(max)));
  // Zero-cost evaluations asked for during propose come before the batch.
  const first = c.nextOrdinal;
  if (proposed.length === 0) {
    r.hooks.log?.(`[${r.name} run ${run.id}] the searcher has nothing more to propose after ${first} evaluations`);
    return null;
  }
  const batch = { first, archs: proposed.slice(0, run.budget - first).map((a) => c.checkArch(a as Arch, 'propose')) };
  // Serialising the searcher costs more than a table lookup: snapshot only what will be
  // committed now. Resume replays from the last stored snapshot, reusing stored evaluations.
  // The first one is taken anyway: a snapshot that is not JSON fails the run at once, not on resume.
  const due = journal.snapshotDue();
  if (due || !r.snapshotChecked) {
    const state = checkSnapshot(r.name, await c.call('snapshot', () => searcher.snapshot()));
    r.snapshotChecked = true;
    if (due) journal.snapshot(JSON.stringify({ rng: [...c.rng.state()], searcher: state, batch } satisfies HarnessSnapshot));
  }
  return batch;
}

/** A batch's proposals, each checked against what the store holds for its ordinal. */
function replayed(r: Running, batch: ProposedBatch): Proposal[] {
  return batch.archs.map((text, i) => {
    const ordinal = batch.first + i;
    const stored = r.journal.stored(ordinal);
    if (stored !== undefined && stored.arch !== text) {
      // Replaying from an older snapshot must reproduce what was stored: a searcher with
      // hidden randomness cannot be resumed without mixing two different runs.
      throw new PluginFault(
        `${r.name} is not deterministic: on resume it proposed ${text} as evaluation #${ordinal}, which the stored run evaluated as ${stored.arch}; use ctx.rng for all randomness`,
      );
    }
    return { ordinal, text, arch: r.c.space.parse(text) };
  });
}

/** The cell the run is judged by, its final evaluation, and the run's record. */
async function finish(r: Running, deps: RunDeps): Promise<RunResult> {
  const { c, journal, searcher } = r;
  journal.flush();
  const chosen = searcher.recommend
    ? { arch: c.checkArch(await c.call('recommend', () => searcher.recommend!()), 'recommend'), ordinal: null }
    : bestObserved(journal.evaluations(), r.goal);
  journal.flush();
  if (chosen === null) return journal.stop('failed', `no successful evaluation among ${journal.size}: nothing to report`);
  const final = await r.evaluations.final(chosen.arch);
  const value = final.status === 'ok' ? (final.metrics[deps.task.result.metric] ?? null) : null;
  journal.complete({
    arch: chosen.arch,
    archHash: c.space.hash(c.space.parse(chosen.arch)),
    ordinal: chosen.ordinal ?? journal.evaluations().find((e) => e.arch === chosen.arch)?.ordinal ?? null,
    value,
    metrics: { ...final.metrics },
    deviceSeconds: final.deviceSeconds,
    host: final.host,
    backend: final.device.backend,
    deviceKind: final.device.kind,
  });
  return { status: 'completed', finalValue: value, arch: chosen.arch };
}

function scoreOf(value: number | null, goal: 'max' | 'min'): number | null {
  return value === null ? null : goal === 'max' ? value : -value;
}

function observation(e: EvaluationRecord, p: Proposal, goal: 'max' | 'min', hidden: string | null): Observation {
  return { arch: p.arch, ordinal: e.ordinal, status: e.status, score: scoreOf(e.value, goal), metrics: searcherMetrics(e.metrics, hidden) };
}

/**
 * What a searcher may see of an evaluation's metrics: all but the task's reported result. A table
 * lookup stores that result with every evaluation (for the report's anytime regret), and a
 * searcher sees only its search signal.
 */
export function searcherMetrics(metrics: Readonly<Record<string, number>>, hidden: string | null): Readonly<Record<string, number>> {
  if (hidden === null || !(hidden in metrics)) return metrics;
  const { [hidden]: _, ...visible } = metrics;
  return visible;
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
