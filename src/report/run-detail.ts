import type { Store } from '../store/store.js';
import type { DiagnosticRecord, EvaluationRecord, RunRecord, SupernetUsage, WorkerUsage } from '../store/types.js';
import { diagnosticLines } from './diagnostic-lines.js';
import { duration as seconds, fixed } from './numbers.js';
import type { Width } from './terminal-fit.js';
import { table } from './terminal-table.js';

/** One run as `nasbench show` presents it, and `show --json` returns it. */
export interface RunDetail {
  readonly run: RunRecord;
  /** Where its evaluations ran: one per host, backend and device kind. */
  readonly workers: readonly WorkerUsage[];
  /** Its best ok evaluations by the search objective, best first (ties: the earlier first). */
  readonly top: readonly EvaluationRecord[];
  readonly diagnostics: readonly DiagnosticRecord[];
  readonly supernet: readonly Omit<SupernetUsage, 'evaluationsSeen'>[];
  /** How many of its evaluations were not ok. */
  readonly failed: number;
}

/**
 * A run's detail with its `top` best evaluations, and the lines that show it: its settings and
 * cost, where it ran, its supernet work, its result, the best evaluations, the first that was not
 * ok, and the method's diagnostics; its table fitted to `width`.
 */
export function runDetail(store: Store, run: RunRecord, top: number, width: Width): { readonly detail: RunDetail; readonly lines: string[] } {
  const evaluations = store.evaluations(run.id);
  const sign = run.taskRecord.objective.goal === 'max' ? -1 : 1;
  const best = evaluations
    .filter((e) => e.status === 'ok' && e.value !== null)
    .sort((a, b) => sign * ((a.value as number) - (b.value as number)) || a.ordinal - b.ordinal)
    .slice(0, top);
  const failures = evaluations.filter((e) => e.status !== 'ok');
  const workers = store.workers([run.id]).get(run.id)!;
  const detail = { run, workers, top: best, diagnostics: store.diagnostics(run.id), supernet: store.supernetUsage(run.id), failed: failures.length };
  return { detail, lines: detailLines(detail, failures[0], width) };
}

function detailLines({ run, workers, top, diagnostics, supernet, failed }: RunDetail, failure: EvaluationRecord | undefined, width: Width): string[] {
  const task = run.taskRecord;
  const wall = run.wallSeconds === null ? 'not recorded' : seconds(run.wallSeconds);
  const params = Object.entries(run.params).map(([k, v]) => `${k}=${v}`).join(' ');
  return [
    `run ${run.id} · experiment ${run.experimentId} · ${run.method} on ${run.task} · seed ${run.seed} · ${run.status}${run.error ? `: ${run.error}` : ''}`,
    `evaluations ${run.evaluations}/${run.budget} · device time ${seconds(run.deviceSeconds)} · wall-clock ${wall} · ${run.codeVersion}`,
    `params: ${params || '(none)'} · method source ${run.methodSource}`,
    ...workers.map((w) => `worker ${w.host ?? '(host not recorded)'} · ${w.backend} · ${w.deviceKind}: ${w.evaluations} evaluation(s) · device time ${seconds(w.deviceSeconds)}`),
    ...supernet.map((u) => `supernet: ${u.trainSteps} training steps · ${u.scoreBatches} validation batches scored · device time ${seconds(u.seconds)} (${u.deviceKind}, included above)`),
    ...(run.finalArch ? [`result: ${task.result.label} = ${fixed(run.finalValue)} for ${run.finalArch}${run.finalOrdinal !== null ? ` (evaluation #${run.finalOrdinal})` : ''}`] : []),
    ...(top.length > 0
      ? [`\nbest by ${task.objective.label}:`, table(['#', task.objective.metric, 'Params', 'Device time', 'Architecture'], top.map((e) => [e.ordinal, fixed(e.value), e.params ?? '–', seconds(e.deviceSeconds), e.arch]), { width, dropFirst: ['Params', 'Device time'] })]
      : []),
    ...(failure ? [`\n${failed} evaluation(s) not ok, e.g. #${failure.ordinal} ${failure.status}: ${failure.error}`] : []),
    ...(diagnostics.length > 0 ? ['\ndiagnostics:', ...diagnostics.flatMap(diagnosticLines).map((line) => `  ${line}`)] : []),
  ];
}
