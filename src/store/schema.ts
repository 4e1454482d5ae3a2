/**
 * Schema migrations, applied in order; PRAGMA user_version holds how many have run.
 * Never edit a released migration: append a new one.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE experiments (
    id INTEGER PRIMARY KEY,
    method TEXT NOT NULL,
    method_source TEXT NOT NULL,
    task TEXT NOT NULL,
    budget INTEGER NOT NULL CHECK (budget > 0),
    params TEXT NOT NULL,
    config TEXT NOT NULL,
    code_version TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
  );
  CREATE INDEX experiments_task_method ON experiments (task, method);

  CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    experiment_id INTEGER NOT NULL REFERENCES experiments (id),
    seed INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending'
      CHECK (status IN ('pending', 'running', 'interrupted', 'completed', 'failed')),
    error TEXT,
    -- harness + searcher state right after the latest propose, with that batch (JSON)
    snapshot TEXT,
    -- host:pid of the process that last ran it
    owner TEXT,
    final_arch TEXT,
    final_hash TEXT,
    final_ordinal INTEGER,
    final_value REAL,
    final_metrics TEXT,
    final_device_seconds REAL,
    started_at TEXT,
    finished_at TEXT,
    UNIQUE (experiment_id, seed)
  );
  CREATE INDEX runs_status ON runs (status);

  CREATE TABLE evaluations (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs (id),
    ordinal INTEGER NOT NULL,
    arch TEXT NOT NULL,
    arch_hash TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('ok', 'failed', 'diverged')),
    -- the task's search objective (NULL unless ok)
    value REAL,
    metrics TEXT NOT NULL,
    params INTEGER,
    fidelity REAL,
    device_seconds REAL NOT NULL,
    device_kind TEXT NOT NULL,
    backend TEXT NOT NULL,
    threads INTEGER NOT NULL,
    error TEXT,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    UNIQUE (run_id, ordinal)
  );

  CREATE TABLE diagnostics (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs (id),
    evaluations_seen INTEGER NOT NULL,
    kind TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (run_id, evaluations_seen, kind)
  );
  `,
  // Reports: best-so-far curves walk each run's evaluations in order comparing values, and the
  // leaderboard sums device time per run and kind; this index answers both without reading the
  // wide table rows.
  `
  CREATE INDEX evaluations_run_curve ON evaluations (run_id, ordinal, value, device_seconds, device_kind);
  `,
  // Weight sharing: device time a run's supernet spent (training and scoring), charged to the run.
  // One row per run, point in the search and device kind, accumulated as the work is done; the
  // point (evaluations the searcher had been driven past) places it on the anytime curves.
  `
  CREATE TABLE supernet_usage (
    run_id INTEGER NOT NULL REFERENCES runs (id),
    evaluations_seen INTEGER NOT NULL,
    device_kind TEXT NOT NULL,
    seconds REAL NOT NULL,
    train_steps INTEGER NOT NULL,
    score_batches INTEGER NOT NULL,
    PRIMARY KEY (run_id, evaluations_seen, device_kind)
  ) WITHOUT ROWID;
  `,
  // Zero-cost evaluations (ctx.zeroCost): what an evaluation measured ('objective' for the task's
  // search objective, else the zero-cost score's name, its value in metrics) and the inputs it used.
  `
  ALTER TABLE evaluations ADD COLUMN kind TEXT NOT NULL DEFAULT 'objective';
  ALTER TABLE evaluations ADD COLUMN inputs TEXT;
  `,
  // What an experiment ran with beyond its settings, so that reports never pool runs of different
  // code or data: the sha256 of the plugin's own files, and the sha256 of each data file the task
  // read, by name (JSON). NULL for older experiments and where the task does not record them.
  `
  ALTER TABLE experiments ADD COLUMN plugin_hash TEXT;
  ALTER TABLE experiments ADD COLUMN data_checksums TEXT;
  `,
  // The task's record (TaskRecord as JSON): what the task was and how it was opened, so that reports,
  // `show` and `resume` need no task registry. NULL for experiments stored before; opening a store
  // through the harness derives theirs in the same upgrade (see
  // harness/open-store.ts).
  `
  ALTER TABLE experiments ADD COLUMN task_record TEXT;
  `,
  // Where evaluations ran and how long runs took, for parallel and distributed evaluation: the
  // host of the process that carried out each evaluation (its backend and device kind were stored
  // already), the same three for the run's final evaluation, and the run's wall-clock seconds,
  // accumulated over the sessions that executed it (see RunJournal). NULL where stored before.
  // Listing a run's workers (Store.workers) reads this index, not the wide table rows.
  `
  ALTER TABLE evaluations ADD COLUMN host TEXT;
  CREATE INDEX evaluations_run_worker ON evaluations (run_id, host, backend, device_kind, status, device_seconds);
  ALTER TABLE runs ADD COLUMN final_host TEXT;
  ALTER TABLE runs ADD COLUMN final_backend TEXT;
  ALTER TABLE runs ADD COLUMN final_device_kind TEXT;
  ALTER TABLE runs ADD COLUMN wall_seconds REAL;
  `,
  // The searcher's own time per run, apart from its evaluations (harness/searcher-clock.ts): wall
  // seconds inside its calls and the process's CPU seconds over them, summed over the sessions that
  // executed the run. NULL for runs stored before.
  `
  ALTER TABLE runs ADD COLUMN searcher_seconds REAL;
  ALTER TABLE runs ADD COLUMN searcher_cpu_seconds REAL;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;
