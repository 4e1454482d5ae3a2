/**
 * Diagnostic kinds that nasbench itself understands: `nasbench show` and `nasbench report` read
 * records of these kinds whichever method wrote them, so a method that records one (with its
 * payload's shape) gets the matching table or chart. The values are the names stores have held
 * since these records were introduced; they never change, or older stores would lose their charts.
 * Any other kind is the method's own and is shown as recorded.
 */
export const DiagnosticKind = {
  /**
   * One record per predictor iteration (NAO's EPD): `{ pairs: PredictionPair[], … }`, the
   * predicted and true objective values of held-out architectures. The report draws them as
   * predicted-vs-true scatter.
   */
  predictorIteration: 'nao-iteration',
  /**
   * The list of a weight-sharing search's rounds so far, rewritten after every round:
   * `[{ pairs: PredictionPair[], … }, …]`, read like `predictorIteration`, one iteration per round.
   */
  predictorRounds: 'nao-ws-iterations',
  /** The rank agreement of shared-weight and standalone scores: a {@link WeightSharingCorrelation}. */
  weightSharingCorrelation: 'weight-sharing-correlation',
} as const;

export type DiagnosticKind = (typeof DiagnosticKind)[keyof typeof DiagnosticKind];

/** Kinds whose records carry predictor pairs, as the report reads them. */
export const PREDICTION_KINDS: readonly DiagnosticKind[] = [DiagnosticKind.predictorIteration, DiagnosticKind.predictorRounds];

/** The predictor's estimate of an architecture's objective, and the objective's true value (its units). */
export type PredictionPair = readonly [predicted: number, actual: number];

/** Payload of {@link DiagnosticKind.weightSharingCorrelation}. */
export interface WeightSharingCorrelation {
  /** Kendall's τ-b between shared-weight and standalone scores; null when either is constant or n < 2. */
  readonly tau: number | null;
  readonly n: number;
  /** [shared-weight, standalone] for each architecture, in the search objective's units. */
  readonly pairs: readonly (readonly [shared: number, standalone: number])[];
}
