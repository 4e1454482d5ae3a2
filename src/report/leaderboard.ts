import { createHash } from 'node:crypto';
import type { ChildShape, EngineOptions, TaskRecord } from '../api/task-record.js';
import type { Store } from '../store/store.js';
import type { WorkerUsage } from '../store/types.js';
import { MIN_SEEDS_TO_TEST } from './comparisons.js';
import { countedRuns, type LeftOut } from './distinct-seeds.js';
import { selectedExperiments, selectedRuns, type ExperimentRow, type RunRow } from './queries.js';
import type { Selection } from './selection.js';
import { mannWhitney, summarize, type Summary } from './stats.js';


export interface LeaderboardRow {
  readonly task: string;
  readonly kind: TaskRecord['kind'];
  readonly method: string;
  /** What ran, as its plugin named it for these parameters and this task (e.g. REINFORCE for enas without weight sharing), else the method. */
  readonly name: string;
  /** The name, with its hyper-parameters when the task has the method with several settings. */
  readonly label: string;
  /** What charts call the row: the name where it alone tells the row apart from the task's other rows, else the label. */
  readonly shortLabel: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly budget: number;
  /** The reported child network's shape (image tasks), as the task recorded it. */
  readonly child: ChildShape | null;
  /** The preset the task was opened with (null for tabular tasks). */
  readonly preset: string | null;
  /** Label of the reported metric (e.g. "test accuracy after 200 epochs (%)"). */
  readonly metric: string;
  readonly goal: 'max' | 'min';
  readonly runs: number;
  readonly completed: number;
  /** Over completed runs' final results, with the t-based 95 % interval of the mean. */
  readonly final: Summary | null;
  /** The best final result (max or min per the goal). */
  readonly best: number | null;
  /** Evaluations over all runs. */
  readonly evaluationsUsed: number;
  readonly evaluationsPerRun: number;
  /** Device seconds of the searches (evaluations and supernet work) over all runs, per device kind ('gpu', 'cpu', 'none'). */
  readonly searchSeconds: Readonly<Record<string, number>>;
  /** Of which the supernets' work (weight sharing), per device kind. */
  readonly supernetSeconds: Readonly<Record<string, number>>;
  /** Device seconds of the final (reporting) evaluations over all runs. */
  readonly finalSeconds: number;
  /** Search and final evaluations together. */
  readonly deviceSeconds: number;
  /**
   * The workers (host, backend, device kind) that carried out the runs' search and final
   * evaluations, with their device seconds summed over the runs; with the supernets' work they
   * add up to deviceSeconds.
   */
  readonly workers: readonly WorkerUsage[];
  /** Wall-clock seconds the runs were executed, summed over runs (null: recorded for none). */
  readonly wallSeconds: number | null;
  /** Mean parameter count of the architectures the runs reported, when recorded. */
  readonly finalParams: number | null;
  /**
   * Two-sided Mann–Whitney U p-value of this row's final results against the task's top row
   * (null for the top row itself, or when either has no result).
   */
  readonly pVsTop: number | null;
  readonly experimentIds: readonly number[];
  /** Runs not counted because another run of their seed is (see `countedRuns`). `runs` counts one per distinct seed. */
  readonly leftOut: readonly LeftOut[];
  /** sha256 of the plugin's own files its experiments ran (null: not recorded). */
  readonly pluginHash: string | null;
  /** sha256 of each data file its experiments read (null: not recorded). */
  readonly dataChecksums: Readonly<Record<string, string>> | null;
  /** The searcher's own process-CPU seconds over the runs that measured it, and how many did. */
  readonly searcherCpuSeconds: number;
  readonly searcherTimedRuns: number;
  /** Where the plugin came from ('builtin', a file, a package). */
  readonly methodSource: string;
  /** The nasbench versions (with git commit) that created the group's experiments. */
  readonly codeVersions: readonly string[];
  /** The group's counted seeds, ascending. */
  readonly seeds: readonly number[];
  /** The engine options its experiments opened the task with (null: not recorded, or not the same for all). */
  readonly engine: EngineOptions | null;
}

/** A leaderboard row with what it was computed from, for the tables and charts built on it. */
export interface Group {
  readonly row: LeaderboardRow;
  /** The task as its experiments recorded it. */
  readonly meta: TaskRecord;
  readonly experiments: readonly ExperimentRow[];
  readonly runs: readonly RunRow[];
  /** Final results of the completed runs, in run order. */
  readonly finals: readonly number[];
}

/** One row per task × method × budget × hyper-parameters × child shape: runs that are directly comparable. */
export function leaderboard(store: Store, selection: Selection = {}): LeaderboardRow[] {
  return store.readConsistent(() => collectGroups(store, selection)).map((g) => g.row);
}

/** Reads the selection and groups its runs; call inside `store.readConsistent` with the other queries of a report. */
export function collectGroups(store: Store, selection: Selection): Group[] {
  return groupRuns(selectedExperiments(store, selection), selectedRuns(store, selection));
}

/** Pure: groups runs of experiments into comparable sets and summarises each. */
export function groupRuns(experiments: readonly ExperimentRow[], runs: readonly RunRow[]): Group[] {
  const byId = new Map(experiments.map((e) => [e.id, e]));
  const sets = new Map<string, { experiments: ExperimentRow[]; runs: RunRow[] }>();
  for (const run of runs) {
    const e = byId.get(run.experimentId);
    if (e === undefined) continue;
    // Runs of different plugin code, data files or presets (a preset sets the final training) are never pooled.
    const key = JSON.stringify([e.task, e.method, e.budget, e.params, e.taskRecord.child, e.taskRecord.preset ?? null, e.pluginHash, dataDigest(e.dataChecksums)]);
    const set = sets.get(key) ?? { experiments: [], runs: [] };
    if (!set.experiments.includes(e)) set.experiments.push(e);
    set.runs.push(run);
    sets.set(key, set);
  }
  const groups = [...sets.values()].map(({ experiments: es, runs: rs }) => summarise(es, rs, es[0]!.taskRecord));
  groups.sort((a, b) => a.row.task.localeCompare(b.row.task) || standing(b.row) - standing(a.row) || a.row.label.localeCompare(b.row.label));
  return withLabelsAndTests(groups);
}

function summarise(experiments: readonly ExperimentRow[], all: readonly RunRow[], meta: TaskRecord): Group {
  const first = experiments[0]!;
  const { counted: runs, leftOut } = countedRuns(all);
  const finals = runs.filter((r) => r.status === 'completed' && r.finalValue !== null).map((r) => r.finalValue as number);
  const final = summarize(finals);
  const searchSeconds: Record<string, number> = {};
  for (const r of runs) for (const [kind, s] of Object.entries(r.searchSeconds)) searchSeconds[kind] = (searchSeconds[kind] ?? 0) + s;
  const supernetSeconds: Record<string, number> = {};
  for (const r of runs) for (const [kind, s] of Object.entries(r.supernetSeconds)) supernetSeconds[kind] = (supernetSeconds[kind] ?? 0) + s;
  const finalSeconds = runs.reduce((s, r) => s + r.finalDeviceSeconds, 0);
  const evaluationsUsed = runs.reduce((n, r) => n + r.evaluations, 0);
  const params = runs.map(finalParamsOf).filter((p): p is number => p !== null);
  const walls = runs.map((r) => r.wallSeconds).filter((w): w is number => w !== null);
  return {
    meta,
    experiments,
    runs,
    finals,
    row: {
      task: first.task,
      kind: meta.kind,
      method: first.method,
      name: displayName(first),
      label: displayName(first),
      shortLabel: displayName(first),
      params: first.params,
      budget: first.budget,
      child: meta.child,
      preset: meta.preset ?? null,
      metric: meta.result.label,
      goal: meta.result.goal,
      runs: runs.length,
      completed: finals.length,
      final,
      best: final === null ? null : meta.result.goal === 'max' ? final.max : final.min,
      evaluationsUsed,
      evaluationsPerRun: evaluationsUsed / Math.max(1, runs.length),
      searchSeconds,
      supernetSeconds,
      finalSeconds,
      deviceSeconds: Object.values(searchSeconds).reduce((a, b) => a + b, 0) + finalSeconds,
      workers: sumWorkers(runs.flatMap((r) => r.workers)),
      wallSeconds: walls.length > 0 ? walls.reduce((a, b) => a + b, 0) : null,
      finalParams: params.length > 0 ? params.reduce((a, b) => a + b, 0) / params.length : null,
      pVsTop: null,
      experimentIds: experiments.map((e) => e.id),
      leftOut,
      pluginHash: first.pluginHash,
      dataChecksums: first.dataChecksums,
      searcherCpuSeconds: runs.reduce((t, r) => t + (r.searcherCpuSeconds ?? 0), 0),
      searcherTimedRuns: runs.filter((r) => r.searcherCpuSeconds !== null).length,
      methodSource: first.methodSource,
      codeVersions: [...new Set(experiments.map((e) => e.codeVersion))],
      seeds: runs.map((r) => r.seed).sort((a, b) => a - b),
      engine: commonEngine(experiments),
    },
  };
}

/** The engine options every experiment of a group recorded, or null where they differ or one recorded none. */
function commonEngine(experiments: readonly ExperimentRow[]): EngineOptions | null {
  const engines = new Set(experiments.map((e) => JSON.stringify(e.taskRecord.engine ?? null)));
  return engines.size === 1 ? (experiments[0]!.taskRecord.engine ?? null) : null;
}

/** One entry per (host, backend, device kind), evaluations and device seconds summed. */
function sumWorkers(usages: readonly WorkerUsage[]): WorkerUsage[] {
  const byKey = new Map<string, WorkerUsage>();
  for (const u of usages) {
    const key = JSON.stringify([u.host, u.backend, u.deviceKind]);
    const held = byKey.get(key);
    byKey.set(key, held === undefined ? u : { ...held, evaluations: held.evaluations + u.evaluations, deviceSeconds: held.deviceSeconds + u.deviceSeconds });
  }
  return [...byKey.values()];
}

/** The final architecture's size: as its final training recorded it, else as its search evaluation did. */
function finalParamsOf(run: RunRow): number | null {
  const recorded = run.finalMetrics?.params;
  return typeof recorded === 'number' && Number.isFinite(recorded) ? recorded : run.finalEvaluationParams;
}

/** Labels rows apart where a method appears with several settings, and tests each against its task's top row. */
function withLabelsAndTests(groups: readonly Group[]): Group[] {
  // A task's rows by method (its settings) and by name (which the plugin's label may already tell apart).
  const settings = new Map<string, LeaderboardRow[]>();
  const names = new Map<string, number>();
  for (const { row } of groups) {
    const [method, name] = [`${row.task}\n${row.method}`, `${row.task}\n${row.name}`];
    settings.set(method, [...(settings.get(method) ?? []), row]);
    names.set(name, (names.get(name) ?? 0) + 1);
  }
  const top = new Map<string, Group>();
  for (const g of groups) if (g.finals.length > 0 && !top.has(g.row.task)) top.set(g.row.task, g);
  return groups.map((g) => {
    const leader = top.get(g.row.task);
    const testable = leader !== undefined && leader !== g && Math.min(g.finals.length, leader.finals.length) >= MIN_SEEDS_TO_TEST;
    const test = testable ? mannWhitney(g.finals, leader.finals) : null;
    const siblings = settings.get(`${g.row.task}\n${g.row.method}`) ?? [g.row];
    const label = siblings.length > 1 ? settingLabel(g.row, siblings) : g.row.name;
    // NAO's configurations already differ in name; a chart legend or axis has no room for the rest.
    const shortLabel = names.get(`${g.row.task}\n${g.row.name}`) === 1 ? g.row.name : label;
    return { ...g, row: { ...g.row, label, shortLabel, pVsTop: test?.pValue ?? null } };
  });
}

/** A row's setting as `key=value` words: everything its group is keyed by (hyper-parameters, budget, preset, child shape, plugin code, data). */
function settingWords(row: LeaderboardRow): Map<string, string> {
  return new Map([
    ...Object.entries(row.params).map(([k, v]): [string, string] => [k, `${k}=${v}`]),
    ['\0budget', `budget=${row.budget}`],
    ['\0preset', `preset=${row.preset ?? '–'}`],
    ['\0B', `B=${row.child?.B ?? '–'}`],
    ['\0N', `N=${row.child?.N ?? '–'}`],
    ['\0F', `F=${row.child?.F ?? '–'}`],
    ['\0ops', `ops=${row.child?.ops ?? '–'}`],
    ['\0code', `code=${row.pluginHash?.slice(0, 8) ?? '–'}`],
    ['\0data', `data=${dataDigest(row.dataChecksums) ?? '–'}`],
  ]);
}

/** The name with what sets this row apart from the method's other settings on the task (every setting they differ in, nothing they share). */
function settingLabel(row: LeaderboardRow, siblings: readonly LeaderboardRow[]): string {
  const words = settingWords(row);
  const others = siblings.map(settingWords);
  const keys = new Set(others.flatMap((o) => [...o.keys()]));
  const differing = [...keys].filter((k) => new Set(others.map((o) => o.get(k) ?? `${k}=–`)).size > 1).map((k) => words.get(k) ?? `${k}=–`);
  return `${row.name} (${(differing.length > 0 ? differing : [...words.values()]).join(' ')})`;
}

/** The plugin's label for what ran (stored in the experiment's configuration), naming the method when it differs. */
function displayName(e: ExperimentRow): string {
  const label = e.config.label;
  return typeof label === 'string' && label !== e.method ? `${label} [${e.method}]` : e.method;
}

/** A short digest of the data files' names and checksums, to group and label runs by (null: not recorded). */
export function dataDigest(checksums: Readonly<Record<string, string>> | null): string | null {
  if (checksums === null) return null;
  const text = Object.entries(checksums)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, sum]) => `${name}=${sum}\n`)
    .join('');
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}

/** Higher is better whatever the metric's direction; groups without a result rank last. */
function standing(row: LeaderboardRow): number {
  if (row.final === null) return -Infinity;
  return row.goal === 'max' ? row.final.mean : -row.final.mean;
}
