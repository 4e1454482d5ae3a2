import type { SearcherPlugin } from '../api/index.js';
import type { TaskRecord } from '../api/task-record.js';
import { UserError } from '../errors.js';
import type { Store } from '../store/store.js';
import type { RunRecord } from '../store/types.js';
import type { DataDir } from '../tasks/index.js';
import { getTask, parseBackendChoice } from '../tasks/index.js';
import { dataChecksums } from '../tasks/data-files.js';
import type { Evaluator, Task, TaskOptions } from '../tasks/types.js';
import { currentOwner, describeOwner, formatOwner, ownerState, parseOwner, type Owner, type OwnerState } from './ownership.js';
import { getCodeVersion } from './package-root.js';
import { pluginCodeHash } from './plugin-hash.js';
import { effectiveParams, resolveParams } from './params.js';
import { checkStoredSources, NO_TRUST, type PluginTrust } from './plugin-trust.js';
import { formatSource, parseSource } from '../store/method-source.js';
import { loadFromSource, resolvePlugin, type LoadedPlugin } from './plugins.js';
import pLimit from 'p-limit';
import type { EvaluationDispatcher } from './evaluation.js';
import { Execution, type ExecutionRequest } from './execution.js';
import { SEED_DERIVATION } from './seeds.js';
import { withTaskDefaults } from './task-options.js';
import { executeRun, type RunHooks, type RunResult } from './run-loop.js';

export interface ExperimentRequest {
  /** A method name or a path to a plugin file, as typed after `run`. */
  readonly method: string;
  readonly task: string;
  readonly seeds: readonly number[];
  /** Evaluations per run; the task's default when absent. */
  readonly budget?: number;
  /** `key=value` hyper-parameter assignments. */
  readonly params: readonly string[];
  readonly dataDir: DataDir;
  /** How to open the task (preset, data fetching, engine backend). */
  readonly options?: Partial<TaskOptions>;
  /** Evaluations in flight at once (see Execution). */
  readonly workers?: number;
  /** A Redis URL: this process coordinates, queue workers evaluate (see Execution). */
  readonly queue?: string;
}

/** Evaluations one run may be given: far beyond any search, well within what SQLite and a JS number count exactly. */
export const MAX_BUDGET = 10_000_000;

export interface ExperimentHooks extends RunHooks {
  /** Once the request is checked and the task open: how many evaluations the runs have left to do, and how many runs there are. */
  onStart?(evaluations: number, runs: number): void;
  onRunStart?(run: RunRecord, index: number, total: number): void;
  onRunEnd?(run: RunRecord, result: RunResult): void;
}

export interface ExperimentOutcome {
  readonly experimentId: number;
  readonly runs: readonly { readonly runId: number; readonly seed: number; readonly result: RunResult }[];
}

interface Prepared {
  readonly loaded: LoadedPlugin;
  readonly task: Task;
  readonly params: Record<string, unknown>;
  readonly evaluator: Evaluator<unknown>;
  readonly dispatcher: EvaluationDispatcher;
}

function checkSupports(loaded: LoadedPlugin, task: Task): void {
  const { spaces, name } = loaded.plugin;
  if (spaces !== 'any' && !spaces.includes(task.space.kind)) {
    throw new UserError(`method ${name} does not support task ${task.name} (space ${task.space.kind}); it supports ${spaces.join(', ')}`);
  }
}

/**
 * What can be wrong with a request short of opening its task (method, task, whether one supports
 * the other, parameters, budget): `run` checks every request of an experiment file with it before
 * anything runs or is stored.
 */
export async function checkRequest(req: ExperimentRequest): Promise<Pick<Prepared, 'loaded' | 'task' | 'params'> & { budget: number }> {
  const task = getTask(req.task);
  const loaded = await resolvePlugin(req.method);
  checkSupports(loaded, task);
  const params = effectiveParams(loaded.plugin, resolveParams(loaded.plugin.name, loaded.plugin.params, req.params));
  const budget = req.budget ?? task.defaultBudget;
  if (!Number.isInteger(budget) || budget <= 0 || budget > MAX_BUDGET) {
    throw new UserError(`--budget ${budget}: expected a whole number of evaluations from 1 to ${MAX_BUDGET}`);
  }
  return { loaded, task, params, budget };
}

/** Everything that can be wrong with a request is found here, before the store is touched. */
async function prepare(req: ExperimentRequest): Promise<Prepared & { budget: number; execution: Execution }> {
  const { loaded, task, params, budget } = await checkRequest(req);
  const options = withTaskDefaults(req.options);
  if (options.backend !== undefined) parseBackendChoice(options.backend);
  const evaluator = await task.open(req.dataDir, options);
  const execution = await Execution.plan([task], { ...(req.workers !== undefined ? { workers: req.workers } : {}), ...(req.queue !== undefined ? { queue: req.queue } : {}) }, options.threads);
  try {
    return { loaded, task, params, evaluator, budget, execution, dispatcher: await execution.dispatcher(task, evaluator, req.dataDir, options) };
  } catch (err) {
    await execution.close();
    throw err;
  }
}

/**
 * Claims a run for this process. A run another process holds is refused while that process is
 * alive; one held on another host (which cannot be checked from here) only with `force`.
 */
function claim(store: Store, run: RunRecord, force: boolean): void {
  let holder: { text: string; owner: Owner | null; state: OwnerState } | null = null;
  const holds = (text: string): boolean => {
    const owner = parseOwner(text);
    const state = owner === null ? 'other-host' : ownerState(owner);
    if (state === 'dead' || (state === 'other-host' && force)) return false;
    holder = { text, owner, state };
    return true;
  };
  if (store.claimRun(run.id, formatOwner(currentOwner()), holds)) return;
  const h = holder as { text: string; owner: Owner | null; state: OwnerState } | null;
  if (h !== null && h.state === 'other-host') {
    const who = h.owner === null ? `owner ${h.text}` : describeOwner(h.owner);
    throw new UserError(`run ${run.id} is owned by ${who}, which this machine cannot check; if that process is gone, 'nasbench resume ${run.id} --force' takes the run over`);
  }
  throw new UserError(`run ${run.id} is being run by another live process (${h?.text ?? store.getRun(run.id)?.owner}); wait for it or stop it first`);
}

/** Runs among `runs` held by a process on another host: what `resume --force` would take over. */
export function heldElsewhere(runs: readonly RunRecord[]): { readonly run: RunRecord; readonly owner: string }[] {
  return runs.flatMap((run) => {
    if (run.status !== 'running' || run.owner === null) return [];
    const owner = parseOwner(run.owner);
    if (owner !== null && ownerState(owner) !== 'other-host') return [];
    return [{ run, owner: owner === null ? `owner ${run.owner}` : describeOwner(owner) }];
  });
}

/**
 * Executes runs, as many at once as the execution has slots (the evaluations of all of them share
 * those slots). Once aborted, or once one has thrown, no further run starts.
 */
async function executeRuns(
  store: Store,
  runs: readonly RunRecord[],
  prepared: (run: RunRecord) => Promise<Prepared>,
  hooks: ExperimentHooks,
  execution: Execution,
  force = false,
): Promise<ExperimentOutcome['runs']> {
  const outcomes: ({ runId: number; seed: number; result: RunResult } | undefined)[] = [];
  let broken = false;
  const one = async (run: RunRecord, index: number): Promise<void> => {
    if (hooks.signal?.aborted || broken) return;
    try {
      claim(store, run, force);
      const p = await prepared(run);
      hooks.onRunStart?.(run, index, runs.length);
      const deps = { plugin: p.loaded.plugin, task: p.task, evaluator: p.evaluator, params: p.params, dispatcher: p.dispatcher, slots: execution.slots };
      const result = await executeRun(store, run.id, deps, hooks);
      hooks.onRunEnd?.(run, result);
      outcomes[index] = { runId: run.id, seed: run.seed, result };
    } catch (err) {
      broken = true;
      throw err;
    }
  };
  const runsAtOnce = pLimit(execution.workers);
  const settled = await Promise.allSettled(runs.map((run, index) => runsAtOnce(one, run, index)));
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure) throw failure.reason;
  return outcomes.filter((o) => o !== undefined);
}

/** Creates an experiment (one run per seed) and runs it to completion or interruption. */
export async function runExperiment(store: Store, req: ExperimentRequest, hooks: ExperimentHooks = {}): Promise<ExperimentOutcome> {
  const p = await prepare(req);
  const { experimentId, runIds } = store.createExperiment({
    method: p.loaded.plugin.name,
    methodSource: formatSource(p.loaded.source),
    task: p.task.name,
    budget: p.budget,
    params: p.params,
    config: {
      seeds: req.seeds,
      seedDerivation: SEED_DERIVATION,
      dataDir: req.dataDir.path,
      options: withTaskDefaults(req.options),
      task: p.evaluator.record.settings,
      ...methodLabel(p.loaded.plugin, p.params, p.task),
    },
    taskRecord: p.evaluator.record,
    codeVersion: getCodeVersion(),
    seeds: req.seeds,
    pluginHash: pluginCodeHash(p.loaded),
    // What the evaluations read, by content: runs on other data files never share a leaderboard group.
    dataChecksums: p.evaluator.dataChecksums ?? (await dataChecksums(p.task, req.dataDir)),
  });
  const runs = runIds.map((id) => store.getRun(id) as RunRecord);
  hooks.onStart?.(runs.length * p.budget, runs.length);
  try {
    return { experimentId, runs: await executeRuns(store, runs, async () => p, hooks, p.execution) };
  } finally {
    await p.execution.close();
    p.evaluator.close();
  }
}

/** How a run's task is opened again: the same (resolved) preset and engine options as when it started. */
function reopenOptions(record: TaskRecord, config: RunRecord['config']): TaskOptions {
  const { preset, engine } = record;
  // Data files the run was allowed to use unverified (recorded with its options) stay allowed.
  const allowed = (config.options as Partial<TaskOptions> | undefined)?.allowUnverifiedData === true;
  return withTaskDefaults({
    backend: engine.backend,
    ...(engine.threads !== null ? { threads: engine.threads } : {}),
    ...(preset !== null ? { preset } : {}),
    ...(allowed ? { allowUnverifiedData: true } : {}),
  });
}

export interface ResumeRequest extends ExecutionRequest {
  /** Unfinished runs to continue (pending, interrupted, crashed or failed ones). */
  readonly runs: readonly RunRecord[];
  readonly dataDir: DataDir;
  /** Task options that override the ones each run was started with (e.g. another backend). */
  readonly options?: Partial<TaskOptions>;
  /** Which plugin files or packages may be loaded (built-in methods always may). */
  readonly trust?: PluginTrust;
  /** Take over runs held by a process on another host (`resume --force`). */
  readonly force?: boolean;
}

/**
 * Continues unfinished runs from their last committed state. Built-in methods are loaded by name;
 * a plugin file or package only as `trust` allows.
 */
export async function resumeRuns(store: Store, req: ResumeRequest, hooks: ExperimentHooks = {}): Promise<ExperimentOutcome['runs']> {
  const { runs, dataDir, options: overrides = {}, trust = NO_TRUST, force = false } = req;
  checkStoredSources(runs, trust);
  if (overrides.backend !== undefined) parseBackendChoice(overrides.backend);
  const execution = await Execution.plan([...new Set(runs.map((r) => r.task))].map(getTask), req, overrides.threads);
  const cache = new Map<string, Promise<Prepared>>();
  const preparedFor = (run: RunRecord): Promise<Prepared> => {
    const key = `${run.methodSource}\n${run.task}\n${JSON.stringify(run.params)}`;
    let p = cache.get(key);
    if (!p) {
      p = (async () => {
        const task = getTask(run.task);
        const loaded = await loadFromSource(parseSource(run.methodSource));
        checkSupports(loaded, task);
        const options: TaskOptions = { ...reopenOptions(run.taskRecord, run.config), ...overrides };
        const evaluator = await task.open(dataDir, options);
        return { loaded, task, params: run.params, evaluator, dispatcher: await execution.dispatcher(task, evaluator, dataDir, options) };
      })();
      cache.set(key, p);
    }
    return p;
  };
  hooks.onStart?.(runs.reduce((n, r) => n + Math.max(0, r.budget - r.evaluations), 0), runs.length);
  try {
    return await executeRuns(store, runs, preparedFor, hooks, execution, force);
  } finally {
    await execution.close();
    for (const p of cache.values()) (await p.catch(() => null))?.evaluator.close();
  }
}

/** The plugin's own name for what runs with these parameters on this task (config.label), when it has one. */
function methodLabel(plugin: SearcherPlugin, params: Record<string, unknown>, task: Task): { label?: string } {
  if (plugin.label === undefined) return {};
  const label: unknown = plugin.label(params as never, { name: task.name, kind: task.kind, objective: task.objective });
  if (typeof label !== 'string' || label.trim() === '') throw new Error(`plugin ${plugin.name}: label() returned ${JSON.stringify(label)}, expected a non-empty string`);
  return { label };
}
