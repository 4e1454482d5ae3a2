/**
 * The report's tables as plain rows of text, shaped once and rendered by every output format
 * (terminal, Markdown, HTML).
 */
import { ALPHA, MIN_SEEDS_TO_TEST, type Comparison } from './comparisons.js';
import { describeLeftOut } from './distinct-seeds.js';
import type { LeaderboardRow } from './leaderboard.js';
import { count, deviceTime, duration, fixed, interval, meanCount, meanStd, pValue } from './numbers.js';
import { fidelityNote, type FidelityTable } from './preset-fidelity.js';
import type { PublishedResult } from './published.js';
import type { Summary } from './stats.js';

export interface TableData {
  /** Stable identifier (HTML ids, file names). */
  readonly id: string;
  readonly title: string;
  readonly head: readonly string[];
  readonly rows: readonly (readonly string[])[];
  readonly notes: readonly string[];
  /** Heads of the columns a narrow terminal may leave out, least useful first (the terminal table says which it left out). */
  readonly dropFirst?: readonly string[];
}

const seeds = (r: LeaderboardRow) => (r.completed === r.runs ? String(r.runs) : `${r.completed}/${r.runs}`);

/** One note per trained task and preset among the rows: the measured agreement of its search signal. */
function fidelityNotes(rows: readonly LeaderboardRow[], fidelity: FidelityTable): string[] {
  const pairs = new Set(rows.filter((r) => r.kind !== 'tabular' && r.preset !== null).map((r) => `${r.task}\n${r.preset}`));
  return [...pairs].map((pair) => {
    const [task, preset] = pair.split('\n') as [string, string];
    return fidelityNote(fidelity, task, preset);
  });
}

export function leaderboardTableData(rows: readonly LeaderboardRow[], fidelity: FidelityTable = {}): TableData {
  const metrics = [...new Set(rows.map((r) => `${r.task}: ${r.metric}`))];
  return {
    id: 'leaderboard',
    title: 'Leaderboard',
    head: ['Task', 'Method', 'Distinct seeds', 'Budget', 'Evals/run', 'Device-hours/run', 'Searcher CPU/run', 'Final mean ± std', '95 % CI', 'Best', 'Median', 'p vs top'],
    dropFirst: ['Searcher CPU/run', 'Median', 'Best', 'Evals/run', '95 % CI', 'Budget', 'Device-hours/run', 'Distinct seeds'],
    rows: rows.map((r) => [
      r.task,
      r.label,
      seeds(r),
      String(r.budget),
      fixed(r.evaluationsPerRun, 1),
      deviceTime(r.searchSeconds, 'hours', Math.max(1, r.runs)),
      r.searcherTimedRuns > 0 ? duration(r.searcherCpuSeconds / r.searcherTimedRuns) : 'not measured',
      meanStd(r.final),
      interval(r.final),
      fixed(r.best),
      fixed(r.final?.median),
      pValue(r.pVsTop),
    ]),
    notes: [
      ...metrics.map((m) => `Final = ${m}, over completed runs.`),
      'Distinct seeds: completed/all seeds of the group, each seed counted once (its latest completed run); runs of different plugin code or data files are separate groups.',
      ...rows.filter((r) => r.leftOut.length > 0).map((r) => `${r.label} on ${r.task}: each seed counted once, with its latest completed run; ${describeLeftOut(r.leftOut)}`),
      '95 % CI: Student-t interval of the mean. Device-hours: the search’s evaluations and supernet work, per run, on the device kind they ran on.',
      'Searcher CPU: the host CPU time of the method itself per run (its propose, observe and snapshot calls, its own models included), apart from the evaluations it asked for; a table lookup costs microseconds, so on tabular tasks this is the search’s real cost.',
      `p vs top: two-sided Mann–Whitney U against the task’s first row; a difference is significant only when p < ${ALPHA}; no test (–) where either group has fewer than ${MIN_SEEDS_TO_TEST} seeds.`,
      ...fidelityNotes(rows, fidelity),
    ],
  };
}

/**
 * Where each group's evaluations ran: one row per worker (host, backend, device kind), one for
 * the supernets' work, and the group's total with the runs' wall-clock time.
 */
export function workersTableData(rows: readonly LeaderboardRow[]): TableData {
  const kindSeconds = (pairs: readonly [string, number][]) => {
    const byKind: Record<string, number> = {};
    for (const [kind, s] of pairs) byKind[kind] = (byKind[kind] ?? 0) + s;
    return byKind;
  };
  return {
    id: 'workers',
    title: 'Workers',
    head: ['Task', 'Method', 'Worker host', 'Backend', 'Device', 'Evaluations', 'Device-hours', 'Wall-clock'],
    dropFirst: ['Backend', 'Wall-clock', 'Evaluations'],
    rows: rows
      .filter((r) => r.workers.length > 0)
      .flatMap((r) => {
        const supernet = Object.entries(r.supernetSeconds);
        const total = kindSeconds([...r.workers.map((w): [string, number] => [w.deviceKind, w.deviceSeconds]), ...supernet]);
        return [
          ...r.workers.map((w) => [r.task, r.label, w.host ?? '(not recorded)', w.backend, w.deviceKind, String(w.evaluations), deviceTime({ [w.deviceKind]: w.deviceSeconds }, 'hours'), '']),
          ...(supernet.length > 0 ? [[r.task, r.label, 'supernet (in the runs’ own processes)', '–', supernet.map(([k]) => k).join(', '), '–', deviceTime(r.supernetSeconds, 'hours'), '']] : []),
          [r.task, r.label, `all (${r.workers.length} worker${r.workers.length > 1 ? 's' : ''})`, '', '', String(r.workers.reduce((n, w) => n + w.evaluations, 0)), deviceTime(total, 'hours'), r.wallSeconds === null ? 'not recorded' : duration(r.wallSeconds)],
        ];
      }),
    notes: [
      'One row per worker: the host of the process that carried out the evaluations (search and final), its backend and device kind. Device-hours add up over workers and supernet work to the runs’ device time (final trainings included).',
      'Wall-clock: how long the runs were executing, summed over runs (runs executed at once each count in full) and over the sessions that executed them, each up to its last commit.',
    ],
  };
}

export function comparisonsTableData(comparisons: readonly Comparison[]): TableData {
  return {
    id: 'comparisons',
    title: 'Pairwise tests (Mann–Whitney U, two-sided)',
    head: ['Task', 'A', 'B', 'n A', 'n B', 'Median A', 'Median B', 'U', 'p', 'Verdict'],
    dropFirst: ['U', 'n A', 'n B', 'Median A', 'Median B'],
    rows: comparisons.map((c) => [
      c.task,
      c.a,
      c.b,
      String(c.nA),
      String(c.nB),
      fixed(c.medianA),
      fixed(c.medianB),
      fixed(c.u, 1),
      pValue(c.pValue),
      c.better === null ? `no significant difference (p ≥ ${ALPHA})` : `${c.better} better`,
    ]),
    notes: [`“Better” is claimed only when p < ${ALPHA}; p-values are not adjusted for the number of pairs.`],
  };
}

/** Error (%) from a result that is an accuracy (in % or as a fraction) or already an error. */
function errorPercent(r: LeaderboardRow): Summary | null {
  const s = r.final;
  if (s === null || r.goal === 'min') return s;
  const scale = s.max <= 1 ? 100 : 1;
  const flip = (x: number) => 100 - x * scale;
  return {
    n: s.n,
    mean: flip(s.mean),
    std: s.std * scale,
    median: flip(s.median),
    min: flip(s.max),
    max: flip(s.min),
    ci95: s.ci95 ? [flip(s.ci95[1]), flip(s.ci95[0])] : null,
  };
}

const shape = (n: number | null | undefined) => (n == null ? '–' : String(n));

const searchDays = (r: LeaderboardRow) => deviceTime(r.searchSeconds, 'days', Math.max(1, r.runs));

/** One table per task, in the shape of the NAO paper's tables for its kind. */
export function paperTablesData(rows: readonly LeaderboardRow[], fidelity: FidelityTable = {}): TableData[] {
  const tasks = [...new Set(rows.map((r) => r.task))];
  return tasks.map((task) => {
    const own = rows.filter((r) => r.task === task);
    const { kind, metric } = own[0]!;
    switch (kind) {
      case 'image':
        return {
          id: `paper-${task}`,
          title: `${task}: image classification`,
          head: ['Method', 'B', 'N', 'F', '#op', 'Error (%)', '#params', 'M', 'Device-days'],
          dropFirst: ['#op', 'F', 'N', 'B'],
          rows: own.map((r) => [
            r.label,
            shape(r.child?.B),
            shape(r.child?.N),
            shape(r.child?.F),
            shape(r.child?.ops),
            meanStd(errorPercent(r)),
            count(r.finalParams),
            meanCount(r.evaluationsPerRun),
            searchDays(r),
          ]),
          notes: [
            `Error (%): ${own[0]!.goal === 'min' ? metric : `100 − ${metric}`}, mean ± std over ${describeSeeds(own)}. B, N, F, #op and #params: the reported (final) network, its size averaged over seeds.`,
            'M: architectures evaluated per search. Device-days: the search’s evaluations and supernet work per search, on the device kind measured (final training not included).',
            ...fidelityNotes(own, fidelity),
          ],
        };
      case 'text':
        return {
          id: `paper-${task}`,
          title: `${task}: language modelling`,
          head: ['Method', '#params', 'Test perplexity', 'Device-days'],
          rows: own.map((r) => [r.label, count(r.finalParams), meanStd(r.final), searchDays(r)]),
          notes: [
            `Test perplexity: ${metric}, mean ± std over ${describeSeeds(own)}. Device-days: the search’s evaluations and supernet work per search, on the device kind measured.`,
            ...fidelityNotes(own, fidelity),
          ],
        };
      case 'tabular':
        return {
          id: `paper-${task}`,
          title: `${task}: tabular benchmark`,
          head: ['Method', `${capitalise(metric)} mean ± std`, 'Best', 'M', 'Distinct seeds'],
          rows: own.map((r) => [r.label, meanStd(r.final), fixed(r.best), meanCount(r.evaluationsPerRun), seeds(r)]),
          notes: ['M: architectures evaluated (table lookups) per search.'],
        };
    }
  });
}

function describeSeeds(rows: readonly LeaderboardRow[]): string {
  const n = [...new Set(rows.map((r) => r.completed))];
  return n.length === 1 ? `${n[0]} seeds` : 'the completed seeds (see Leaderboard)';
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function publishedTableData(results: readonly PublishedResult[]): TableData {
  const sources = [...new Set(results.map((r) => r.source))];
  return {
    id: 'published',
    title: 'Published results (published, not measured)',
    head: ['Benchmark', 'Method', 'Metric', 'Value', 'Note', 'Source', 'Checked'],
    dropFirst: ['Note'],
    rows: results.map((r) => [
      r.benchmark,
      `${r.method} (published, not measured)`,
      r.metric,
      `${r.value.toFixed(r.digits)}${r.unit ? ` ${r.unit}` : ''}`,
      r.note || '–',
      `[${sources.indexOf(r.source) + 1}]`,
      r.checked,
    ]),
    notes: sources.map((s, i) => `[${i + 1}] ${s}`),
  };
}
