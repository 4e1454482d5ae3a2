import Database from 'better-sqlite3';
import { StoreWriteError, UserError, errorMessage } from '../errors.js';
import { checkWritable, createParents, existingFile, explainOpenError, openReadOnly, openWritable, probe, removeCreated } from './open-file.js';
import { APPLICATION_ID, type StoreKind } from './recognize.js';
import { MIGRATIONS, SCHEMA_VERSION } from './schema.js';
import type { TaskRecord } from '../api/task-record.js';
import type {
  DiagnosticRecord,
  EvaluationRecord,
  ExperimentSpec,
  RunOutcome,
  RunRecord,
  RunStatus,
  SupernetUsage,
  UnrecordedExperiment,
  WorkerUsage,
} from './types.js';

/** 'write': run and resume (may create the file); 'read': report and show (never create or change it). */
export type OpenMode = 'write' | 'read';

/** The schema version that added each experiment's task record. */
const TASK_RECORD_VERSION = 6;

export interface StoreOptions {
  /**
   * The task record of an experiment stored before task records existed, derived from what it
   * stored; called once per such experiment, while the store is upgraded. The store knows no
   * tasks: the harness's openStore passes the task registry's derivation.
   */
  readonly deriveTaskRecord?: (experiment: UnrecordedExperiment) => TaskRecord;
}

export interface RunFilter {
  readonly task?: string;
  readonly method?: string;
  readonly experimentId?: number;
  readonly runIds?: readonly number[];
  readonly status?: RunStatus;
}

const RUN_COLUMNS = `
  r.id, r.experiment_id, r.seed, r.status, r.error, r.snapshot, r.owner,
  r.final_arch, r.final_ordinal, r.final_value, r.final_metrics, r.started_at, r.finished_at, r.wall_seconds,
  r.searcher_seconds, r.searcher_cpu_seconds,
  e.method, e.method_source, e.task, e.budget, e.params, e.config, e.task_record, e.code_version,
  (SELECT count(*) FROM evaluations v WHERE v.run_id = r.id) AS evaluations,
  (SELECT total(s.seconds) FROM supernet_usage s WHERE s.run_id = r.id) AS supernet_seconds,
  (SELECT coalesce(sum(v.device_seconds), 0) FROM evaluations v WHERE v.run_id = r.id)
    + (SELECT total(s.seconds) FROM supernet_usage s WHERE s.run_id = r.id)
    + coalesce(r.final_device_seconds, 0) AS device_seconds`;

function now(): string {
  return new Date().toISOString();
}

function toRun(row: any): RunRecord {
  return {
    id: row.id,
    experimentId: row.experiment_id,
    method: row.method,
    methodSource: row.method_source,
    task: row.task,
    budget: row.budget,
    params: JSON.parse(row.params),
    config: JSON.parse(row.config),
    taskRecord: storedTaskRecord(row.experiment_id, row.task_record),
    codeVersion: row.code_version,
    seed: row.seed,
    status: row.status,
    error: row.error,
    snapshot: row.snapshot,
    owner: row.owner,
    finalArch: row.final_arch,
    finalOrdinal: row.final_ordinal,
    finalValue: row.final_value,
    finalMetrics: row.final_metrics === null ? null : JSON.parse(row.final_metrics),
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    evaluations: row.evaluations,
    deviceSeconds: row.device_seconds,
    supernetSeconds: row.supernet_seconds,
    wallSeconds: row.wall_seconds,
    searcherSeconds: row.searcher_seconds,
    searcherCpuSeconds: row.searcher_cpu_seconds,
  };
}

/** An experiment's stored task record (the `task_record` column). */
export function storedTaskRecord(experimentId: number, json: string | null): TaskRecord {
  if (json === null) throw new Error(`experiment ${experimentId} has no task record yet: open the store with the harness's openStore, which derives it`);
  return JSON.parse(json) as TaskRecord;
}

function toEvaluation(row: any): EvaluationRecord {
  return {
    runId: row.run_id,
    ordinal: row.ordinal,
    arch: row.arch,
    archHash: row.arch_hash,
    status: row.status,
    value: row.value,
    metrics: JSON.parse(row.metrics),
    params: row.params,
    fidelity: row.fidelity,
    deviceSeconds: row.device_seconds,
    deviceKind: row.device_kind,
    backend: row.backend,
    threads: row.threads,
    error: row.error,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    kind: row.kind,
    inputs: row.inputs,
    host: row.host,
  };
}

function whereRuns(filter: RunFilter): { sql: string; args: unknown[] } {
  const clauses: string[] = [];
  const args: unknown[] = [];
  if (filter.task !== undefined) (clauses.push('e.task = ?'), args.push(filter.task));
  if (filter.method !== undefined) (clauses.push('e.method = ?'), args.push(filter.method));
  if (filter.experimentId !== undefined) (clauses.push('r.experiment_id = ?'), args.push(filter.experimentId));
  if (filter.status !== undefined) (clauses.push('r.status = ?'), args.push(filter.status));
  if (filter.runIds !== undefined) {
    // One bound JSON array, however many ids: SQLite allows only so many bound variables per statement.
    clauses.push('r.id IN (SELECT value FROM json_each(?))');
    args.push(JSON.stringify(filter.runIds));
  }
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', args };
}

/** The SQLite store: one file, WAL mode, every evaluation committed as it completes. */
export class Store {
  private readonly insertEvaluationStmt: Database.Statement;
  private readonly saveSnapshotStmt: Database.Statement;
  private readonly chargeSupernetStmt: Database.Statement;
  private readonly addWallSecondsStmt: Database.Statement;

  private constructor(
    readonly path: string,
    private readonly db: Database.Database,
  ) {
    // Delivery from workers is at least once: a second result for an ordinal is dropped, the first kept.
    this.insertEvaluationStmt = db.prepare(`
      INSERT INTO evaluations (run_id, ordinal, arch, arch_hash, status, value, metrics, params, fidelity,
        device_seconds, device_kind, backend, threads, error, started_at, finished_at, kind, inputs, host)
      VALUES (@runId, @ordinal, @arch, @archHash, @status, @value, @metrics, @params, @fidelity,
        @deviceSeconds, @deviceKind, @backend, @threads, @error, @startedAt, @finishedAt, @kind, @inputs, @host)
      ON CONFLICT (run_id, ordinal) DO NOTHING`);
    this.addWallSecondsStmt = db.prepare('UPDATE runs SET wall_seconds = coalesce(wall_seconds, 0) + ? WHERE id = ?');
    this.saveSnapshotStmt = db.prepare('UPDATE runs SET snapshot = ? WHERE id = ?');
    this.chargeSupernetStmt = db.prepare(`
      INSERT INTO supernet_usage (run_id, evaluations_seen, device_kind, seconds, train_steps, score_batches)
      VALUES (@runId, @evaluationsSeen, @deviceKind, @seconds, @trainSteps, @scoreBatches)
      ON CONFLICT (run_id, evaluations_seen, device_kind) DO UPDATE SET
        seconds = seconds + excluded.seconds,
        train_steps = train_steps + excluded.train_steps,
        score_batches = score_batches + excluded.score_batches`);
  }

  /**
   * Opens a store. 'write' (run, resume) creates a new file, or upgrades an older store; 'read'
   * (report, show) never creates or changes a file, and upgrades only a store of an older
   * nasbench. A file that is not a nasbench store is refused with one line and left as it was.
   */
  static open(path: string, mode: OpenMode = 'write', options: StoreOptions = {}): Store {
    if (path === ':memory:') return Store.connect(path, new Database(path), { kind: 'empty' }, options);
    const existing = existingFile(path);
    if (existing === null && mode === 'read') {
      throw new UserError(`--db ${path}: no such database (check the path; 'nasbench run' creates one)`);
    }
    if (existing !== null && mode === 'write') checkWritable(path);
    const kind = existing !== null && existing.size > 0 ? probe(path) : ({ kind: 'empty' } as const);
    if (kind.kind === 'foreign') {
      throw new UserError(`--db ${path}: not a nasbench database (${kind.why}); it was left untouched, choose another file`);
    }
    if (kind.kind === 'nasbench' && kind.version > SCHEMA_VERSION) {
      throw new UserError(
        `--db ${path}: schema version ${kind.version} is newer than this nasbench supports (${SCHEMA_VERSION}); upgrade nasbench to read it`,
      );
    }
    if (mode === 'read') {
      if (kind.kind === 'empty') throw new UserError(`--db ${path}: an empty database, no experiments have been run into it`);
      // A store of an older nasbench is upgraded once, by whichever command opens it first.
      if (kind.version === SCHEMA_VERSION) return Store.connect(path, openReadOnly(path), kind, options);
      checkWritable(path, `written by an older nasbench (schema version ${kind.version}), it is upgraded once, which needs write access`);
    }
    const created = existing === null ? createParents(path) : null;
    try {
      return Store.connect(path, openWritable(path), kind, options);
    } catch (err) {
      if (created !== null) removeCreated(path, created);
      throw err;
    }
  }

  /** Configures a connection and brings its schema up to date (unless it was opened read-only). */
  private static connect(path: string, db: Database.Database, kind: StoreKind, options: StoreOptions): Store {
    try {
      db.pragma('busy_timeout = 15000');
      if (!db.readonly) {
        db.pragma('foreign_keys = ON');
        // Upgrading first: a store that cannot be upgraded is left exactly as it was, journal mode included.
        Store.migrate(path, db, kind, options);
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = NORMAL');
      }
      return new Store(path, db);
    } catch (err) {
      db.close();
      throw explainOpenError(path, err, db.readonly ? 'read' : 'write');
    }
  }

  private static migrate(path: string, db: Database.Database, kind: StoreKind, options: StoreOptions): void {
    if (kind.kind === 'nasbench' && kind.marked && kind.version === SCHEMA_VERSION) return;
    db.transaction(() => {
      // Re-read inside the write transaction: another process may have migrated meanwhile.
      const current = db.pragma('user_version', { simple: true }) as number;
      for (let v = current; v < SCHEMA_VERSION; v++) {
        try {
          db.exec(MIGRATIONS[v] as string);
        } catch (err) {
          throw new UserError(`--db ${path}: cannot upgrade the store to schema version ${v + 1} (${errorMessage(err)}); it was left as it was`);
        }
      }
      // Version 4 added task records: experiments stored before get theirs in the same transaction.
      if (current < TASK_RECORD_VERSION) Store.recordTasks(path, db, options);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
      db.pragma(`application_id = ${APPLICATION_ID}`);
    }).immediate();
  }

  close(): void {
    this.db.close();
  }

  /** Rows of a read-only query, for the report layer's aggregate queries. */
  all<T>(sql: string, ...args: unknown[]): T[] {
    return this.db.prepare(sql).all(...args) as T[];
  }

  /** Runs `fn` inside one read transaction, so every query in it sees the same snapshot. */
  readConsistent<T>(fn: () => T): T {
    return this.db.transaction(fn).deferred();
  }

  schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  integrityCheck(): string {
    return this.db.pragma('integrity_check', { simple: true }) as string;
  }

  /** Creates an experiment and one pending run per seed, atomically. */
  createExperiment(spec: ExperimentSpec): { experimentId: number; runIds: number[] } {
    return this.db
      .transaction(() => {
        const { lastInsertRowid } = this.db
          .prepare(
            `INSERT INTO experiments (method, method_source, task, budget, params, config, task_record, code_version, plugin_hash, data_checksums)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            spec.method,
            spec.methodSource,
            spec.task,
            spec.budget,
            JSON.stringify(spec.params),
            JSON.stringify(spec.config),
            JSON.stringify(spec.taskRecord),
            spec.codeVersion,
            spec.pluginHash ?? null,
            spec.dataChecksums ? JSON.stringify(spec.dataChecksums) : null,
          );
        const experimentId = Number(lastInsertRowid);
        const insertRun = this.db.prepare('INSERT INTO runs (experiment_id, seed) VALUES (?, ?)');
        const runIds = spec.seeds.map((seed) => Number(insertRun.run(experimentId, seed).lastInsertRowid));
        return { experimentId, runIds };
      })
      .immediate();
  }

  /** Derives the task records of experiments stored without one (see StoreOptions). */
  private static recordTasks(path: string, db: Database.Database, options: StoreOptions): void {
    const rows = db.prepare('SELECT id, task, config FROM experiments WHERE task_record IS NULL ORDER BY id').all() as { id: number; task: string; config: string }[];
    if (rows.length === 0) return;
    if (options.deriveTaskRecord === undefined) {
      throw new Error(`--db ${path}: experiments stored before task records need deriveTaskRecord to be upgraded (the harness's openStore gives it)`);
    }
    const finals = db.prepare('SELECT final_metrics FROM runs WHERE experiment_id = ? AND final_metrics IS NOT NULL');
    const update = db.prepare('UPDATE experiments SET task_record = ? WHERE id = ?');
    for (const row of rows) {
      const finalMetricKeys = new Set((finals.all(row.id) as { final_metrics: string }[]).flatMap((r) => Object.keys(JSON.parse(r.final_metrics))));
      const record = options.deriveTaskRecord({ id: row.id, task: row.task, config: JSON.parse(row.config), finalMetricKeys });
      update.run(JSON.stringify(record), row.id);
    }
  }

  getRun(id: number): RunRecord | undefined {
    const row = this.db.prepare(`SELECT ${RUN_COLUMNS} FROM runs r JOIN experiments e ON e.id = r.experiment_id WHERE r.id = ?`).get(id);
    return row === undefined ? undefined : toRun(row);
  }

  runs(filter: RunFilter = {}): RunRecord[] {
    const { sql, args } = whereRuns(filter);
    return this.db
      .prepare(`SELECT ${RUN_COLUMNS} FROM runs r JOIN experiments e ON e.id = r.experiment_id ${sql} ORDER BY r.id`)
      .all(...args)
      .map(toRun);
  }

  /** Claims a run for this process; returns false when another live owner holds it. */
  claimRun(id: number, owner: string, isAlive: (owner: string) => boolean): boolean {
    return this.db
      .transaction(() => {
        const row = this.db.prepare('SELECT status, owner FROM runs WHERE id = ?').get(id) as
          | { status: RunStatus; owner: string | null }
          | undefined;
        if (!row) return false;
        if (row.status === 'running' && row.owner !== null && row.owner !== owner && isAlive(row.owner)) return false;
        this.db
          .prepare("UPDATE runs SET status = 'running', owner = ?, error = NULL, started_at = coalesce(started_at, ?) WHERE id = ?")
          .run(owner, now(), id);
        return true;
      })
      .immediate();
  }

  /** Sets a run's status, adding `wallSeconds` (the time since its last commit) to its wall-clock time. */
  setRunStatus(id: number, status: RunStatus, error: string | null = null, wallSeconds = 0): void {
    this.writing(() =>
      this.db
        .prepare('UPDATE runs SET status = ?, error = ?, finished_at = ?, wall_seconds = CASE WHEN ? > 0 THEN coalesce(wall_seconds, 0) + ? ELSE wall_seconds END WHERE id = ?')
        .run(status, error, status === 'completed' || status === 'failed' ? now() : null, wallSeconds, wallSeconds, id),
    );
  }

  /**
   * Stores an evaluation unless its run has one with that ordinal already: then the first is kept
   * and this returns false (a result delivered twice is counted once).
   */
  insertEvaluation(e: EvaluationRecord): boolean {
    return this.insertEvaluationStmt.run({ kind: 'objective', inputs: null, host: null, ...e, metrics: JSON.stringify(e.metrics) }).changes === 1;
  }

  /**
   * Commits finished evaluations, optionally the run's new snapshot, supernet work to charge
   * (added to what that point of the search already had) and wall-clock seconds to add to the
   * run's, in one transaction. Returns the evaluations stored: those whose ordinal the run had
   * already are left out (see insertEvaluation).
   */
  commitProgress(
    runId: number,
    evaluations: readonly EvaluationRecord[],
    snapshot?: string,
    supernet: readonly SupernetUsage[] = [],
    wallSeconds = 0,
  ): EvaluationRecord[] {
    return this.writing(() =>
      this.db.transaction(() => {
        const stored = evaluations.filter((e) => this.insertEvaluation(e));
        if (snapshot !== undefined) this.saveSnapshotStmt.run(snapshot, runId);
        for (const u of supernet) this.chargeSupernetStmt.run({ runId, ...u });
        if (wallSeconds > 0) this.addWallSecondsStmt.run(wallSeconds, runId);
        return stored;
      })(),
    );
  }

  /**
   * The workers that evaluated each of these runs, one per (host, backend, device kind), with
   * their search and final evaluations and device seconds; evaluations that never reached a
   * worker (failed before one took them) are left out. The supernet's work is not a worker's (see
   * supernetUsage). One pass over the runs' evaluations.
   */
  workers(runIds: readonly number[]): Map<number, WorkerUsage[]> {
    const byRun = new Map<number, WorkerUsage[]>(runIds.map((id) => [id, []]));
    const rows = this.db
      .prepare(
        `SELECT run_id, host, backend, device_kind, count(*) AS evaluations, total(seconds) AS seconds FROM (
           SELECT run_id, host, backend, device_kind, device_seconds AS seconds FROM evaluations
             WHERE run_id IN (SELECT value FROM json_each(@ids)) AND NOT (backend = 'none' AND device_kind = 'none' AND status = 'failed')
           UNION ALL
           SELECT id, final_host, final_backend, final_device_kind, coalesce(final_device_seconds, 0) FROM runs
             WHERE id IN (SELECT value FROM json_each(@ids)) AND final_backend IS NOT NULL)
         GROUP BY run_id, host, backend, device_kind ORDER BY run_id, host, backend, device_kind`,
      )
      .all({ ids: JSON.stringify(runIds) }) as { run_id: number; host: string | null; backend: string; device_kind: string; evaluations: number; seconds: number }[];
    for (const row of rows) {
      byRun.get(row.run_id)!.push({ host: row.host, backend: row.backend, deviceKind: row.device_kind, evaluations: row.evaluations, deviceSeconds: row.seconds });
    }
    return byRun;
  }

  /** A run's supernet work per device kind, over the whole search. */
  supernetUsage(runId: number): Omit<SupernetUsage, 'evaluationsSeen'>[] {
    return this.db
      .prepare(
        `SELECT device_kind, total(seconds) AS seconds, sum(train_steps) AS train_steps, sum(score_batches) AS score_batches
         FROM supernet_usage WHERE run_id = ? GROUP BY device_kind ORDER BY device_kind`,
      )
      .all(runId)
      .map((row: any) => ({ deviceKind: row.device_kind, seconds: row.seconds, trainSteps: row.train_steps, scoreBatches: row.score_batches }));
  }

  /** Turns "the machine cannot take this write" into one clear error; the transaction rolled back. */
  private writing<T>(write: () => T): T {
    try {
      return write();
    } catch (err) {
      const code = (err as { code?: string }).code ?? '';
      if (code === 'SQLITE_FULL' || code.startsWith('SQLITE_IOERR') || code === 'SQLITE_READONLY') {
        throw new StoreWriteError(
          `--db ${this.path}: cannot write (${errorMessage(err)}); everything committed before is intact: free space, then 'nasbench resume --all --db ${this.path}'`,
        );
      }
      throw err;
    }
  }

  evaluations(runId: number): EvaluationRecord[] {
    return this.db.prepare('SELECT * FROM evaluations WHERE run_id = ? ORDER BY ordinal').all(runId).map(toEvaluation);
  }

  /** Records the run's result, and the wall-clock seconds since its last commit. */
  completeRun(runId: number, outcome: RunOutcome, wallSeconds = 0): void {
    this.writing(() => this.completeRunUnchecked(runId, outcome, wallSeconds));
  }

  private completeRunUnchecked(runId: number, outcome: RunOutcome, wallSeconds: number): void {
    this.db
      .prepare(
        `UPDATE runs SET status = 'completed', error = NULL, finished_at = ?, final_arch = ?, final_hash = ?,
           final_ordinal = ?, final_value = ?, final_metrics = ?, final_device_seconds = ?,
           final_host = ?, final_backend = ?, final_device_kind = ?,
           wall_seconds = coalesce(wall_seconds, 0) + ? WHERE id = ?`,
      )
      .run(
        now(),
        outcome.arch,
        outcome.archHash,
        outcome.ordinal,
        outcome.value,
        JSON.stringify(outcome.metrics),
        outcome.deviceSeconds,
        outcome.host,
        outcome.backend,
        outcome.deviceKind,
        wallSeconds,
        runId,
      );
  }

  /** Adds a session's searcher time to the run's (see harness/searcher-clock.ts). */
  addSearcherTime(runId: number, wallSeconds: number, cpuSeconds: number): void {
    this.writing(() =>
      this.db
        .prepare('UPDATE runs SET searcher_seconds = coalesce(searcher_seconds, 0) + ?, searcher_cpu_seconds = coalesce(searcher_cpu_seconds, 0) + ? WHERE id = ?')
        .run(wallSeconds, cpuSeconds, runId),
    );
  }

  recordDiagnostic(runId: number, evaluationsSeen: number, kind: string, data: unknown): void {
    this.writing(() =>
      this.db
        .prepare('INSERT OR REPLACE INTO diagnostics (run_id, evaluations_seen, kind, data) VALUES (?, ?, ?, ?)')
        .run(runId, evaluationsSeen, kind, JSON.stringify(data)),
    );
  }

  diagnostics(runId: number): DiagnosticRecord[] {
    return this.db
      .prepare('SELECT evaluations_seen, kind, data, created_at FROM diagnostics WHERE run_id = ? ORDER BY evaluations_seen, id')
      .all(runId)
      .map((row: any) => ({
        evaluationsSeen: row.evaluations_seen,
        kind: row.kind,
        data: JSON.parse(row.data),
        createdAt: row.created_at,
      }));
  }
}
