import { PREDICTION_KINDS } from '../api/index.js';
import type { Store } from '../store/store.js';
import { pairwiseComparisons, type Comparison } from './comparisons.js';
import { anytimeCurves, distributions, predictionScatters, type AnytimeCurves, type Distribution, type PredictionScatter } from './curves.js';
import { collectGroups, type LeaderboardRow } from './leaderboard.js';
import type { FidelityTable } from './preset-fidelity.js';
import { provenance, provenanceTableData, reproduceTableData, type Provenance, type ReportContext } from './provenance.js';
import { publishedFor, type PublishedResult } from './published.js';
import { diagnosticsOfKind, improvements } from './queries.js';
import { describeSelection, type Selection } from './selection.js';
import { comparisonsTableData, leaderboardTableData, paperTablesData, publishedTableData, workersTableData, type TableData } from './tables.js';

export interface ReportOptions {
  /** Anytime curves need a pass over every selected evaluation; reports without charts skip it. */
  readonly curves: boolean;
  readonly published: boolean;
  /** The measured agreement of the trained tasks' presets, stated under their tables. */
  readonly fidelity?: FidelityTable;
  /** Where the report is rendered (store path, nasbench version), for its reproducibility header. */
  readonly context?: ReportContext;
}

/** Everything a report shows, as data: every output format is rendered from this. */
export interface Report {
  readonly generatedAt: string;
  readonly selection: string;
  readonly provenance: Provenance;
  readonly leaderboard: readonly LeaderboardRow[];
  readonly comparisons: readonly Comparison[];
  readonly distributions: readonly Distribution[];
  readonly anytime: readonly AnytimeCurves[] | null;
  readonly predictions: readonly PredictionScatter[];
  readonly published: readonly PublishedResult[] | null;
  /** The measured agreement of the trained tasks' presets (results/proxy-fidelity.json). */
  readonly fidelity?: FidelityTable;
}

/** Reads the selection in one consistent snapshot and computes the report. */
export function buildReport(store: Store, selection: Selection, options: ReportOptions): Report {
  return store.readConsistent(() => {
    const groups = collectGroups(store, selection);
    const tasks = [...new Map(groups.map((g) => [g.row.task, g.meta])).values()];
    const anytime = options.curves
      ? anytimeCurves(
          groups,
          tasks.flatMap((meta) => improvements(store, { ...selection, task: meta.name }, meta.objective.goal === 'max' ? 1 : -1, meta.result.metric === meta.objective.metric ? null : meta.result.metric)),
        )
      : null;
    return {
      generatedAt: new Date().toISOString(),
      selection: describeSelection(selection),
      provenance: provenance(groups.map((g) => g.row), options.context),
      leaderboard: groups.map((g) => g.row),
      comparisons: pairwiseComparisons(groups),
      distributions: distributions(groups),
      anytime,
      predictions: predictionScatters(groups, PREDICTION_KINDS.flatMap((kind) => diagnosticsOfKind(store, selection, kind))),
      published: options.published ? publishedFor(tasks.map((t) => t.name)) : null,
      fidelity: options.fidelity ?? {},
    };
  });
}

/** The report's tables in reading order. */
export function reportTables(report: Report): TableData[] {
  return [
    provenanceTableData(report.provenance, report.generatedAt),
    leaderboardTableData(report.leaderboard, report.fidelity),
    ...(report.comparisons.length > 0 ? [comparisonsTableData(report.comparisons)] : []),
    ...paperTablesData(report.leaderboard, report.fidelity),
    ...(report.leaderboard.some((r) => r.workers.length > 0) ? [workersTableData(report.leaderboard)] : []),
    ...(report.published ? [publishedTableData(report.published)] : []),
    reproduceTableData(report.leaderboard, report.provenance.store),
  ];
}
