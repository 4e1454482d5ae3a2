import { quantile } from 'simple-statistics';
import { kendallTau } from '../api/index.js';
import type { Group } from './leaderboard.js';
import type { DiagnosticRow, Improvement } from './queries.js';

export interface CurvePoint {
  readonly x: number;
  /** Mean and sample std of the best-so-far objective over the runs that had a result by x. */
  readonly mean: number;
  readonly std: number;
  readonly n: number;
}

export interface Curve {
  /** The group's legend label, with its number of distinct seeds. */
  readonly label: string;
  /** The method (plugin name): what charts colour a curve by, the same in every chart and report. */
  readonly method: string;
  readonly points: readonly CurvePoint[];
}

/** Anytime performance of every group on one task: best-so-far search objective against spend. */
export interface AnytimeCurves {
  readonly task: string;
  readonly objective: string;
  readonly byEvaluations: readonly Curve[];
  readonly byDeviceHours: readonly Curve[];
  /** Device kinds the hours were measured on ('none' alone: table lookups, whose device time means nothing). */
  readonly deviceKinds: readonly string[];
  /** Label of the task's reported result (e.g. the 200-epoch test accuracy). */
  readonly result: string;
  /**
   * Against architectures evaluated: the reported result of each run's incumbent, the cell its
   * search signal ranks best so far (the strict best-so-far, earliest first, as the run itself
   * picks when it ends), never the best reported cell. Only groups whose evaluations stored the
   * reported result (table lookups do; the searcher never sees it); empty otherwise.
   */
  readonly incumbent: readonly Curve[];
  /**
   * The incumbent's regret against the task's optimum (optimum − result for a result to maximise,
   * result − optimum otherwise): groups of `incumbent` whose task record knows the optimum.
   */
  readonly regret: readonly Curve[];
}

const MAX_POINTS = 200;

/** Pure: curves from each run's improvements (as `improvements` returns them, ordered by run and ordinal). */
export function anytimeCurves(groups: readonly Group[], improvements: readonly Improvement[]): AnytimeCurves[] {
  const byRun = new Map<number, Improvement[]>();
  for (const imp of improvements) {
    const list = byRun.get(imp.runId);
    if (list) list.push(imp);
    else byRun.set(imp.runId, [imp]);
  }
  const tasks = [...new Set(groups.map((g) => g.row.task))];
  const byEvaluation = (imp: Improvement) => imp.ordinal + 1;
  const evaluationGrid = (g: Group) => grid(Math.max(...g.runs.map((r) => r.evaluations), 1), true);
  return tasks.map((task) => {
    const own = groups.filter((g) => g.row.task === task);
    const kinds = new Set<string>();
    for (const g of own) for (const k of Object.keys(g.row.searchSeconds)) kinds.add(k);
    // Groups whose runs stored the reported result with their evaluations.
    const reporting = own.filter((g) => g.runs.some((r) => (byRun.get(r.id) ?? []).some((imp) => imp.reported !== null)));
    const incumbent = reporting.map((g) => ({ g, points: curve(g, byRun, evaluationGrid(g), byEvaluation, (imp) => imp.reported) }));
    return {
      task,
      objective: own[0]!.meta.objective.label,
      byEvaluations: own.map((g) => ({ ...named(g), points: curve(g, byRun, evaluationGrid(g), byEvaluation, (imp) => imp.best) })),
      byDeviceHours: own.map((g) => {
        const longest = Math.max(...g.runs.map((r) => Object.values(r.searchSeconds).reduce((a, b) => a + b, 0)), 0);
        return { ...named(g), points: curve(g, byRun, grid(longest / 3600, false), (imp) => imp.elapsed / 3600, (imp) => imp.best) };
      }),
      deviceKinds: [...kinds].sort(),
      result: own[0]!.meta.result.label,
      incumbent: incumbent.map(({ g, points }) => ({ ...named(g), points })),
      regret: incumbent.flatMap(({ g, points }) => {
        const optimum = g.meta.optimum;
        if (typeof optimum !== 'number') return [];
        const sign = g.meta.result.goal === 'max' ? 1 : -1;
        // The mean's regret is the regret's mean; the spread over seeds is the same.
        return [{ ...named(g), points: points.map((p) => ({ ...p, mean: sign * (optimum - p.mean) })) }];
      }),
    };
  });
}

const named = (g: Group) => ({ label: legendLabel(g), method: g.row.method });

/** Up to MAX_POINTS evenly spaced checkpoints ending at `end` (whole numbers for evaluations). */
function grid(end: number, whole: boolean): number[] {
  if (!(end > 0)) return [];
  const k = whole ? Math.min(end, MAX_POINTS) : MAX_POINTS;
  const xs = Array.from({ length: k }, (_, i) => (end * (i + 1)) / k);
  return whole ? [...new Set(xs.map((x) => Math.round(x)))] : xs;
}

/**
 * For each checkpoint x, the value of each run's incumbent after spending x (its last improvement
 * at or before x): the best-so-far objective, or the incumbent's reported result. A run counts
 * from its first improvement, and not where that value is unknown.
 */
function curve(
  group: Group,
  byRun: ReadonlyMap<number, readonly Improvement[]>,
  xs: readonly number[],
  spent: (imp: Improvement) => number,
  valueOf: (imp: Improvement) => number | null,
): CurvePoint[] {
  const n = new Float64Array(xs.length);
  const sum = new Float64Array(xs.length);
  const sumSq = new Float64Array(xs.length);
  for (const run of group.runs) {
    const imps = byRun.get(run.id) ?? [];
    let at = -1;
    for (let i = 0; i < xs.length; i++) {
      // A little slack so that a checkpoint equal to a run's total counts its last evaluation.
      const x = xs[i]! * (1 + 1e-12);
      while (at + 1 < imps.length && spent(imps[at + 1]!) <= x) at++;
      if (at < 0) continue;
      const best = valueOf(imps[at]!);
      if (best === null) continue;
      n[i]! += 1;
      sum[i]! += best;
      sumSq[i]! += best * best;
    }
  }
  return xs.flatMap((x, i) => {
    const count = n[i]!;
    if (count === 0) return [];
    const mean = sum[i]! / count;
    const variance = count > 1 ? Math.max(0, (sumSq[i]! - count * mean * mean) / (count - 1)) : 0;
    return [{ x, mean, std: Math.sqrt(variance), n: count }];
  });
}

export interface Distribution {
  readonly task: string;
  readonly metric: string;
  readonly groups: readonly { readonly label: string; readonly method: string; readonly values: readonly number[]; readonly quartiles: readonly [number, number, number] | null }[];
}

/** Final results per group and task, with quartiles for a box. */
export function distributions(groups: readonly Group[]): Distribution[] {
  const tasks = [...new Set(groups.map((g) => g.row.task))];
  return tasks.map((task) => {
    const own = groups.filter((g) => g.row.task === task);
    return {
      task,
      metric: own[0]!.row.metric,
      groups: own.map((g) => ({
        ...named(g),
        values: g.finals,
        quartiles: g.finals.length > 0 ? (quantile(g.finals as number[], [0.25, 0.5, 0.75]) as [number, number, number]) : null,
      })),
    };
  });
}

export interface PredictionScatter {
  readonly task: string;
  /** The search objective the predictor estimates, in whose units both axes are. */
  readonly objective: string;
  readonly series: readonly {
    readonly label: string;
    readonly method: string;
    /**
     * Kendall τ-b between predicted and true over the plotted pairs (all of them up to 3,000, else
     * the even sample drawn; τ is O(n²)); null under 2 pairs or without variance.
     */
    readonly tau: number | null;
    /** Pairs before thinning. */
    readonly pairs: number;
    readonly points: readonly { readonly predicted: number; readonly actual: number }[];
  }[];
}

const MAX_SCATTER_POINTS = 3000;

/**
 * Predicted-vs-true pairs that runs recorded in diagnostics of the kit's prediction kinds (NAO's
 * `DiagnosticKind.predictorIteration`, and the lists of rounds of `predictorRounds`), as `pairs: [{predicted, true}]` or
 * `[predicted, true]` tuples, or as parallel `predicted` and `true` (or `actual`) arrays. Runs
 * without such data contribute nothing.
 */
export function predictionScatters(groups: readonly Group[], diagnostics: readonly DiagnosticRow[]): PredictionScatter[] {
  const groupOf = new Map<number, Group>();
  for (const g of groups) for (const r of g.runs) groupOf.set(r.id, g);
  const points = new Map<Group, { predicted: number; actual: number }[]>();
  for (const d of diagnostics) {
    const g = groupOf.get(d.runId);
    if (g === undefined) continue;
    const found = pairsOf(d.data);
    if (found.length > 0) points.set(g, [...(points.get(g) ?? []), ...found]);
  }
  const tasks = [...new Set([...points.keys()].map((g) => g.row.task))];
  return tasks.map((task) => ({
    task,
    objective: groups.find((g) => g.row.task === task)!.meta.objective.label,
    series: [...points.entries()]
      .filter(([g]) => g.row.task === task)
      .map(([g, ps]) => {
        const kept = thin(ps, MAX_SCATTER_POINTS);
        return { ...named(g), tau: kendallTau(kept.map((q) => q.predicted), kept.map((q) => q.actual)), pairs: ps.length, points: kept };
      }),
  }));
}

function pairsOf(data: unknown): { predicted: number; actual: number }[] {
  if (Array.isArray(data)) return data.flatMap(pairsOf);
  if (typeof data !== 'object' || data === null) return [];
  const d = data as Record<string, unknown>;
  const ok = (p: unknown, a: unknown) => typeof p === 'number' && typeof a === 'number' && Number.isFinite(p) && Number.isFinite(a);
  if (Array.isArray(d.pairs)) {
    return d.pairs.flatMap((pair: unknown) => {
      const [p, a] = Array.isArray(pair) ? pair : [(pair as Record<string, unknown>)?.predicted, (pair as Record<string, unknown>)?.true ?? (pair as Record<string, unknown>)?.actual];
      return ok(p, a) ? [{ predicted: p as number, actual: a as number }] : [];
    });
  }
  const predicted = d.predicted;
  const actual = d.true ?? d.actual;
  if (Array.isArray(predicted) && Array.isArray(actual)) {
    return predicted.flatMap((p, i) => (ok(p, actual[i]) ? [{ predicted: p as number, actual: actual[i] as number }] : []));
  }
  return [];
}

/** Every k-th point, so that a chart stays readable and the report small. */
function thin<T>(xs: readonly T[], max: number): T[] {
  if (xs.length <= max) return [...xs];
  const step = xs.length / max;
  return Array.from({ length: max }, (_, i) => xs[Math.floor(i * step)]!);
}

/** A chart legend's name for a group: its row's short label and how many distinct seeds it has (the table names its settings in full). */
function legendLabel(g: Group): string {
  return `${g.row.shortLabel} (n = ${g.runs.length})`;
}
