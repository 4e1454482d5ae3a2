/**
 * What a report needs to be reproduced from itself: which nasbench rendered it and which created
 * the runs, the store, the data files with their sha256, the device kinds, the repeat policy, and
 * per leaderboard row the exact command that reruns it with every hyper-parameter spelled out.
 */
import { methodRef, parseSource } from '../store/method-source.js';
import type { LeaderboardRow } from './leaderboard.js';
import type { TableData } from './tables.js';

/** Where a report is rendered, as the caller knows it (the report layer reads only the store). */
export interface ReportContext {
  /** The store's path as the user named it (--db). */
  readonly store?: string;
  /** The nasbench version (and git commit) rendering the report. */
  readonly renderedBy?: string;
}

export interface Provenance {
  readonly renderedBy: string | null;
  readonly store: string | null;
  /** Versions (with git commit where known) that created the reported experiments. */
  readonly codeVersions: readonly string[];
  /** Every data file the reported experiments read, with its sha256 (a name read with two contents appears twice). */
  readonly dataFiles: readonly { readonly name: string; readonly sha256: string }[];
  /** Device kinds the searches' evaluations ran on ('none': table lookups). */
  readonly deviceKinds: readonly string[];
  readonly repeatPolicy: string;
}

export const REPEAT_POLICY =
  'every proposed architecture is an evaluation charged to the budget, a repeated one included; a searcher learns scores only from evaluations it proposed (docs/PLUGINS.md)';

export function provenance(rows: readonly LeaderboardRow[], context: ReportContext = {}): Provenance {
  const files = new Map<string, { name: string; sha256: string }>();
  for (const r of rows) for (const [name, sha256] of Object.entries(r.dataChecksums ?? {})) files.set(`${name}\n${sha256}`, { name, sha256 });
  return {
    renderedBy: context.renderedBy ?? null,
    store: context.store ?? null,
    codeVersions: [...new Set(rows.flatMap((r) => r.codeVersions))].sort(),
    dataFiles: [...files.values()].sort((a, b) => a.name.localeCompare(b.name) || a.sha256.localeCompare(b.sha256)),
    deviceKinds: [...new Set(rows.flatMap((r) => Object.keys(r.searchSeconds)))].sort(),
    repeatPolicy: REPEAT_POLICY,
  };
}

/** Seeds as `--seeds` reads them: ascending ranges, e.g. `0..49,60..99` (one seed alone as `5..5`, since `5` would mean five seeds). */
export function seedsFlag(seeds: readonly number[]): string {
  const sorted = [...new Set(seeds)].sort((a, b) => a - b);
  const ranges: [number, number][] = [];
  for (const s of sorted) {
    const last = ranges.at(-1);
    if (last !== undefined && s === last[1] + 1) last[1] = s;
    else ranges.push([s, s]);
  }
  if (ranges.length === 1 && ranges[0]![0] === 0 && ranges[0]![1] > 0) return String(ranges[0]![1] + 1);
  return ranges.map(([a, b]) => (a === b && ranges.length > 1 ? String(a) : `${a}..${b}`)).join(',');
}

/** A shell word: left bare when it is safe, else single-quoted. */
function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** What `run` takes to name a row's method again: `enas`, not the stored `builtin:enas`. */
function runArgument(row: LeaderboardRow): string {
  try {
    return methodRef(parseSource(row.methodSource));
  } catch {
    // Stores from before sources were recorded as `kind:ref` hold '' or a bare 'builtin'.
    return row.methodSource === 'builtin' || row.methodSource === '' ? row.method : row.methodSource;
  }
}

/** The `nasbench run` command that reruns a row: its method (by source when not built in), task, seeds, budget, every hyper-parameter and its engine. */
export function reproduceCommand(row: LeaderboardRow, store: string | null): string {
  const method = runArgument(row);
  const words = [
    'nasbench',
    'run',
    method,
    '--task',
    row.task,
    '--seeds',
    seedsFlag(row.seeds),
    '--budget',
    String(row.budget),
    ...Object.entries(row.params)
      .sort(([a], [b]) => a.localeCompare(b))
      .flatMap(([k, v]) => ['--param', `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`]),
    // The engine the task was opened with: on a table lookup it runs the method's own models, whose numbers differ across backends.
    ...(row.engine !== null ? ['--backend', row.engine.backend, ...(row.engine.threads !== null ? ['--threads', String(row.engine.threads)] : [])] : []),
    ...(store !== null ? ['--db', store] : []),
  ];
  return words.map(shellWord).join(' ');
}

export function provenanceTableData(p: Provenance, generatedAt: string): TableData {
  const rows: string[][] = [
    ['Generated', generatedAt],
    ['Rendered by', p.renderedBy ?? 'not recorded'],
    ['Runs created by', p.codeVersions.join(', ') || 'not recorded'],
    ['Store', p.store ?? 'not recorded'],
    ['Device kinds', p.deviceKinds.map((k) => (k === 'none' ? 'none (table lookups)' : k)).join(', ') || '–'],
    ['Repeated architectures', p.repeatPolicy],
    ...p.dataFiles.map((f) => [`Data: ${f.name}`, `sha256 ${f.sha256}`]),
  ];
  return {
    id: 'provenance',
    title: 'Reproducibility',
    head: ['', ''],
    rows,
    notes: p.dataFiles.length === 0 ? ['The experiments recorded no data checksums (stored before nasbench recorded them).'] : [],
  };
}

export function reproduceTableData(rows: readonly LeaderboardRow[], store: string | null): TableData {
  return {
    id: 'reproduce',
    title: 'Commands and settings of every row',
    head: ['Task', 'Row', 'Command', 'Plugin', 'Plugin sha256', 'Created by'],
    dropFirst: ['Created by', 'Plugin sha256', 'Plugin'],
    rows: rows.map((r) => [r.task, r.label, reproduceCommand(r, store), r.methodSource, r.pluginHash?.slice(0, 12) ?? 'not recorded', r.codeVersions.join(', ')]),
    notes: [
      'Every hyper-parameter the runs used is in the command, defaults included, as the method settled them (a parameter that fixes others, such as NAO\'s config=paper, shows the values it fixed), and the engine backend (and --threads where set) the task was opened with, unless the row\'s runs used several; data comes from --data-dir or NASBENCH_DATA_DIR, checked against the sha256 above.',
    ],
  };
}
