/**
 * The report's SQL. Every query is bounded by the selection and aggregates in SQLite over the
 * evaluations index, returning one row per experiment, run or best-so-far improvement — never
 * one per evaluation.
 */
import type { TaskRecord } from '../api/task-record.js';
import { storedTaskRecord, type Store } from '../store/store.js';
import type { RunStatus, WorkerUsage } from '../store/types.js';
import { selectionSql, type Selection } from './selection.js';

export interface ExperimentRow {
  readonly id: number;
  readonly method: string;
  /** Where the plugin came from ('builtin', a file or a package), as run and resume name it. */
  readonly methodSource: string;
  /** The nasbench version (and git commit) that created the experiment. */
  readonly codeVersion: string;
  readonly task: string;
  readonly budget: number;
  readonly params: Record<string, unknown>;
  readonly config: Record<string, unknown>;
  readonly taskRecord: TaskRecord;
  readonly createdAt: string;
  /** sha256 of the plugin's own files when the experiment was created (null: not recorded). */
  readonly pluginHash: string | null;
  /** sha256 of each data file the task read (null: not recorded). */
  readonly dataChecksums: Record<string, string> | null;
}

export interface RunRow {
  readonly id: number;
  readonly experimentId: number;
  readonly seed: number;
  readonly status: RunStatus;
  readonly finalValue: number | null;
  readonly finalMetrics: Record<string, number> | null;
  readonly finalDeviceSeconds: number;
  /** Parameter count recorded with the evaluation that found the final architecture. */
  readonly finalEvaluationParams: number | null;
  readonly evaluations: number;
  /** Device seconds of the search (its evaluations and its supernet's work), per device kind. */
  readonly searchSeconds: Readonly<Record<string, number>>;
  /** Of which the supernet's work (weight sharing), per device kind. */
  readonly supernetSeconds: Readonly<Record<string, number>>;
  /** The workers that carried out its search and final evaluations (see Store.workers). */
  readonly workers: readonly WorkerUsage[];
  /** Wall-clock seconds it was executed, over all its sessions (null: not recorded). */
  readonly wallSeconds: number | null;
  /** The searcher's own process-CPU seconds apart from evaluations (null: not measured when it ran). */
  readonly searcherCpuSeconds: number | null;
}

/** A run's best-so-far search objective improved at this evaluation. */
export interface Improvement {
  readonly runId: number;
  readonly ordinal: number;
  /** The new best objective value. */
  readonly best: number;
  /** Device seconds spent by the run up to and including this evaluation (its supernet's work until then included). */
  readonly elapsed: number;
  /**
   * The task's reported result of the evaluation that made this improvement, the new incumbent,
   * where the evaluation stored it (table lookups store it for the report, never shown to the
   * searcher); null otherwise.
   */
  readonly reported: number | null;
}

export interface DiagnosticRow {
  readonly runId: number;
  readonly evaluationsSeen: number;
  readonly data: unknown;
}

const SELECTED_RUNS = (where: string) => `SELECT r.id FROM runs r JOIN experiments e ON e.id = r.experiment_id ${where}`;

export function selectedExperiments(store: Store, selection: Selection): ExperimentRow[] {
  const { where, args } = selectionSql(selection);
  return store
    .all<{ id: number; method: string; method_source: string; task: string; budget: number; params: string; config: string; task_record: string | null; created_at: string; code_version: string; plugin_hash: string | null; data_checksums: string | null }>(
      `SELECT e.id, e.method, e.method_source, e.task, e.budget, e.params, e.config, e.task_record, e.created_at, e.code_version, e.plugin_hash, e.data_checksums FROM experiments e
       WHERE e.id IN (SELECT DISTINCT r.experiment_id FROM runs r JOIN experiments e ON e.id = r.experiment_id ${where})
       ORDER BY e.id`,
      ...args,
    )
    .map((row) => ({
      id: row.id,
      method: row.method,
      methodSource: row.method_source,
      task: row.task,
      budget: row.budget,
      params: JSON.parse(row.params),
      config: JSON.parse(row.config),
      taskRecord: storedTaskRecord(row.id, row.task_record),
      createdAt: row.created_at,
      codeVersion: row.code_version,
      pluginHash: row.plugin_hash,
      dataChecksums: row.data_checksums === null ? null : JSON.parse(row.data_checksums),
    }));
}

export function selectedRuns(store: Store, selection: Selection): RunRow[] {
  const { where, args } = selectionSql(selection);
  // One pass over each run's slice of the index: count, device time and the (usually single) device kind.
  const rows = store.all<{
    id: number;
    experiment_id: number;
    seed: number;
    status: RunStatus;
    final_value: number | null;
    final_metrics: string | null;
    final_device_seconds: number | null;
    final_params: number | null;
    wall_seconds: number | null;
    searcher_cpu_seconds: number | null;
    totals: string;
  }>(
    `SELECT r.id, r.experiment_id, r.seed, r.status, r.final_value, r.final_metrics, r.final_device_seconds, r.wall_seconds, r.searcher_cpu_seconds,
       (SELECT f.params FROM evaluations f WHERE f.run_id = r.id AND f.ordinal = r.final_ordinal) AS final_params,
       (SELECT json_array(count(*), total(v.device_seconds), min(v.device_kind), max(v.device_kind))
        FROM evaluations v WHERE v.run_id = r.id) AS totals
     FROM runs r JOIN experiments e ON e.id = r.experiment_id ${where} ORDER BY r.id`,
    ...args,
  );
  const totals = rows.map((row) => JSON.parse(row.totals) as [number, number, string | null, string | null]);
  const mixed = mixedKinds(store, rows.filter((_, i) => totals[i]![2] !== totals[i]![3]).map((row) => row.id));
  const shared = supernetSeconds(store, where, args);
  const workers = store.workers(rows.map((row) => row.id));
  return rows.map((row, i) => {
    const [evaluations, seconds, kind] = totals[i]!;
    const supernet = shared.get(row.id) ?? {};
    const search: Record<string, number> = { ...(mixed.get(row.id) ?? (kind === null ? {} : { [kind]: seconds })) };
    for (const [k, s] of Object.entries(supernet)) search[k] = (search[k] ?? 0) + s;
    return {
      id: row.id,
      experimentId: row.experiment_id,
      seed: row.seed,
      status: row.status,
      finalValue: row.final_value,
      finalMetrics: row.final_metrics === null ? null : JSON.parse(row.final_metrics),
      finalDeviceSeconds: row.final_device_seconds ?? 0,
      finalEvaluationParams: row.final_params,
      evaluations,
      searchSeconds: search,
      supernetSeconds: supernet,
      workers: workers.get(row.id) ?? [],
      wallSeconds: row.wall_seconds,
      searcherCpuSeconds: row.searcher_cpu_seconds,
    };
  });
}

/** Supernet device time per selected run and kind, from the (run, point, kind) key of `supernet_usage`. */
function supernetSeconds(store: Store, where: string, args: readonly unknown[]): Map<number, Record<string, number>> {
  const byRun = new Map<number, Record<string, number>>();
  for (const row of store.all<{ run_id: number; device_kind: string; seconds: number }>(
    `SELECT run_id, device_kind, total(seconds) AS seconds FROM supernet_usage
     WHERE run_id IN (${SELECTED_RUNS(where)}) GROUP BY run_id, device_kind`,
    ...args,
  )) {
    byRun.set(row.run_id, { ...byRun.get(row.run_id), [row.device_kind]: row.seconds });
  }
  return byRun;
}

/** Device time per kind for the rare runs that used several (resumed on another machine). */
function mixedKinds(store: Store, runIds: readonly number[]): Map<number, Record<string, number>> {
  const split = new Map<number, Record<string, number>>();
  if (runIds.length === 0) return split;
  for (const row of store.all<{ run_id: number; device_kind: string; seconds: number }>(
    `SELECT run_id, device_kind, total(device_seconds) AS seconds FROM evaluations
     WHERE run_id IN (SELECT value FROM json_each(?)) GROUP BY run_id, device_kind`,
    JSON.stringify(runIds),
  )) {
    split.set(row.run_id, { ...split.get(row.run_id), [row.device_kind]: row.seconds });
  }
  return split;
}

/**
 * Every improvement of each selected run's best-so-far objective (`sign` 1 to maximise, −1 to
 * minimise), with the device time spent until then (supernet work done before that evaluation
 * finished included). Walks from one improvement to the next
 * along the (run, ordinal) index, so the work is one index pass and the output is small.
 */
export function improvements(store: Store, selection: Selection, sign: 1 | -1, reportedMetric: string | null = null): Improvement[] {
  const { where, args } = selectionSql(selection);
  // Values are multiplied by `sign` so that the walk always maximises; every run starts below any value.
  // The reported metric is read from the improving evaluation's metrics only (one row per improvement).
  return store
    .all<{ run_id: number; ordinal: number; best: number; elapsed: number; reported: number | null }>(
      `WITH RECURSIVE rec (run_id, ordinal, best, elapsed, reported) AS (
         SELECT r.id, -1, -1e308, 0.0, NULL FROM runs r JOIN experiments e ON e.id = r.experiment_id ${where}
         UNION ALL
         SELECT rec.run_id, n.ordinal, n.value * ${sign},
           rec.elapsed + (SELECT total(u.device_seconds) FROM evaluations u WHERE u.run_id = rec.run_id AND u.ordinal > rec.ordinal AND u.ordinal <= n.ordinal)
             + (SELECT total(s.seconds) FROM supernet_usage s WHERE s.run_id = rec.run_id AND s.evaluations_seen > rec.ordinal AND s.evaluations_seen <= n.ordinal),
           ${reportedMetric === null ? 'NULL' : 'json_extract(n.metrics, ?)'}
         FROM rec JOIN evaluations n ON n.run_id = rec.run_id AND n.ordinal = (
           SELECT z.ordinal FROM evaluations z
           WHERE z.run_id = rec.run_id AND z.ordinal > rec.ordinal AND z.value * ${sign} > rec.best
           ORDER BY z.ordinal LIMIT 1))
       SELECT run_id, ordinal, best * ${sign} AS best, elapsed, reported FROM rec WHERE ordinal >= 0 ORDER BY run_id, ordinal`,
      ...args,
      ...(reportedMetric === null ? [] : [`$."${reportedMetric.replace(/["\\]/g, '')}"`]),
    )
    .map((r) => ({ runId: r.run_id, ordinal: r.ordinal, best: r.best, elapsed: r.elapsed, reported: typeof r.reported === 'number' ? r.reported : null }));
}

/** Diagnostics of one kind recorded by the selected runs, oldest first. */
export function diagnosticsOfKind(store: Store, selection: Selection, kind: string): DiagnosticRow[] {
  const { where, args } = selectionSql(selection);
  return store
    .all<{ run_id: number; evaluations_seen: number; data: string }>(
      `SELECT d.run_id, d.evaluations_seen, d.data FROM diagnostics d
       WHERE d.kind = ? AND d.run_id IN (${SELECTED_RUNS(where)}) ORDER BY d.run_id, d.evaluations_seen`,
      kind,
      ...args,
    )
    .map((r) => ({ runId: r.run_id, evaluationsSeen: r.evaluations_seen, data: JSON.parse(r.data) }));
}
