import { DiagnosticKind } from '../api/index.js';
import type { DiagnosticRecord } from '../store/types.js';

/** Arrays longer than this, or holding arrays or objects, are shown as their length (`--json` has them whole). */
const SHOWN_ARRAY = 8;

/** A diagnostic for one terminal line: long arrays (such as NAO's predicted/true pairs) become their length. */
function briefly(data: unknown): unknown {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return data;
  const short = (v: unknown): unknown => (Array.isArray(v) && (v.length > SHOWN_ARRAY || v.some((x) => x !== null && typeof x === 'object')) ? `<${v.length} entries>` : v);
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, short(v)]));
}

/** `{ tau, n }` as a sentence; null when the data has another shape. */
function correlationText(data: unknown): string | null {
  if (data === null || typeof data !== 'object') return null;
  const { tau, n } = data as { tau?: unknown; n?: unknown };
  if (typeof n !== 'number' || (tau !== null && typeof tau !== 'number')) return null;
  const value = tau === null ? 'undefined (needs two architectures with different scores)' : (tau as number).toFixed(2);
  return `Kendall τ (shared-weight vs standalone score) = ${value} over ${n} architecture${n === 1 ? '' : 's'}`;
}

/**
 * How `nasbench show` lists one diagnostic. A list of records (a search's rounds, recorded at one
 * point of the run) gets one line per record; the weight-sharing correlation reads as a sentence.
 */
export function diagnosticLines(d: DiagnosticRecord): string[] {
  const at = `after ${d.evaluationsSeen} evaluations · ${d.kind}`;
  const sentence = d.kind === DiagnosticKind.weightSharingCorrelation ? correlationText(d.data) : null;
  if (sentence !== null) return [`${at}: ${sentence}`];
  const list: unknown = d.data;
  if (Array.isArray(list) && list.length > 0 && list.every((x) => x !== null && typeof x === 'object' && !Array.isArray(x))) {
    return list.map((x, i) => `${at} [${i + 1}/${list.length}]: ${JSON.stringify(briefly(x))}`);
  }
  return [`${at}: ${JSON.stringify(briefly(d.data))}`];
}
