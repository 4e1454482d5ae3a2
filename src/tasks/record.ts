import type { Objective } from '../api/index.js';
import type { ChildShape, EngineOptions, TaskRecord } from '../api/task-record.js';
import { CNN_NODES, CNN_OPS } from '../spaces/cnn-micro.js';
import { allTasks } from './index.js';
import type { Task } from './types.js';

/** The record an opened task gives of itself: the task's identity with what opening it resolved. */
export function taskRecord(
  task: Task,
  engine: EngineOptions,
  opened: { readonly preset: string | null; readonly settings: Readonly<Record<string, unknown>>; readonly child: ChildShape | null; readonly optimum?: number | null },
): TaskRecord {
  return {
    name: task.name,
    kind: task.kind,
    space: task.space.kind,
    objective: task.objective,
    result: task.result,
    ...opened,
    engine,
  };
}

/** What an experiment stored before task records existed: its task's name, its configuration and its runs' final metrics. */
export interface StoredExperiment {
  readonly task: string;
  readonly config: Readonly<Record<string, unknown>>;
  /** Names of the metrics its runs' final evaluations recorded. */
  readonly finalMetricKeys: ReadonlySet<string>;
}

const object = (x: unknown): Record<string, unknown> | null => (typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Record<string, unknown>) : null);

/**
 * The record of an experiment stored before task records existed (schema version 6): the task as
 * this build's registry describes it (or, for a task it does not know, as its runs' final metrics
 * suggest), with the preset and engine options it was opened with and its child's shape as its
 * configuration held them.
 */
export function derivedTaskRecord(e: StoredExperiment): TaskRecord {
  const known = allTasks().find((t) => t.name === e.task);
  const identity = known
    ? { name: known.name, kind: known.kind, space: known.space.kind, objective: known.objective, result: known.result }
    : guessedIdentity(e.task, e.finalMetricKeys);
  const task = object(e.config.task);
  const options = object(e.config.options) ?? {};
  const preset = typeof task?.preset === 'string' ? task.preset : typeof options.preset === 'string' ? options.preset : null;
  return {
    ...identity,
    preset,
    settings: task ?? {},
    child: legacyChildShape(e.config, identity.kind),
    engine: {
      // Before task records, a method's own models on a table-lookup task (ctx.tensorflow()) always ran on tfjs's cpu backend.
      backend: identity.kind === 'tabular' ? 'cpu' : typeof options.backend === 'string' ? options.backend : 'auto',
      threads: typeof options.threads === 'number' ? options.threads : null,
    },
  };
}

/**
 * The child's shape as older configurations held it: the reported (final) training's `B`, `N`,
 * `F` and `ops` under `task.final` (else `task.search`), or `N`/`cellsPerStage` and `F`/`filters`
 * under `preset` or at the top level. Null when there is no N or F; B and #op default to the
 * micro space's on image tasks.
 */
function legacyChildShape(config: Readonly<Record<string, unknown>>, kind: TaskRecord['kind']): ChildShape | null {
  const task = object(config.task);
  const places = [object(task?.final), object(task?.search), task, object(config.preset), config].filter((p) => p !== null);
  const find = (names: readonly string[]): number | null => {
    for (const place of places) for (const name of names) if (typeof place[name] === 'number') return place[name] as number;
    return null;
  };
  const [N, F] = [find(['N', 'cellsPerStage', 'cells_per_stage']), find(['F', 'filters'])];
  if (N === null && F === null) return null;
  const micro = kind === 'image';
  return { B: find(['B']) ?? (micro ? CNN_NODES : null), N, F, ops: find(['ops']) ?? (micro ? CNN_OPS.length : null) };
}

/** Metric names under which runs' final metrics carry a language model's test perplexity. */
const PERPLEXITY_KEYS = ['test_ppl', 'test_perplexity', 'perplexity'] as const;

/** A task this build does not know, described from what its runs recorded. */
function guessedIdentity(name: string, finalMetricKeys: ReadonlySet<string>): Pick<TaskRecord, 'name' | 'kind' | 'space' | 'objective' | 'result'> {
  const text = PERPLEXITY_KEYS.some((k) => finalMetricKeys.has(k));
  const error = finalMetricKeys.has('test_error');
  const kind = text ? 'text' : error || finalMetricKeys.has('test_acc') ? 'image' : 'tabular';
  const searchAcc: Objective = { metric: 'valid_acc', goal: 'max', label: 'search objective' };
  if (text) {
    return { name, kind, space: 'unknown', objective: { metric: 'valid_ppl', goal: 'min', label: 'validation perplexity' }, result: { metric: 'test_ppl', goal: 'min', label: 'test perplexity' } };
  }
  if (error) return { name, kind, space: 'unknown', objective: searchAcc, result: { metric: 'test_error', goal: 'min', label: 'test error (%)' } };
  return { name, kind, space: 'unknown', objective: searchAcc, result: { metric: 'test_acc', goal: 'max', label: 'final result' } };
}
