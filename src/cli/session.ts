import { SingleBar } from 'cli-progress';
import type { ExperimentHooks } from '../harness/experiment.js';
import type { RunResult } from '../harness/run-loop.js';
import type { RunRecord } from '../store/types.js';
import { fixed } from './format.js';

export interface SessionOptions {
  /** Total evaluations expected (for the progress bar). */
  readonly totalEvaluations: number;
  /** No progress output at all (--json, --quiet). */
  readonly quiet: boolean;
  readonly log: (line: string) => void;
}

/**
 * What a long run shows while it works: a progress bar on a terminal, one line per finished run
 * otherwise; Ctrl-C stops after the evaluation in flight (a second Ctrl-C exits at once).
 */
export function startSession(opts: SessionOptions): { hooks: ExperimentHooks; interrupted: () => boolean; end: () => void } {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
    process.stderr.write('\nstopping after the evaluation in flight (Ctrl-C again to exit now)…\n');
  };
  process.on('SIGINT', onSigint);
  const tty = process.stderr.isTTY === true && !opts.quiet;
  const bar = tty
    ? new SingleBar({
        stream: process.stderr,
        format: 'runs {runs} | {bar} {value}/{total} evaluations | {rate}/s | eta {eta_formatted} | last result {last}',
        hideCursor: true,
        etaBuffer: 200,
      })
    : null;
  let done = 0;
  let ended = false;
  let runsDone = 0;
  let runsTotal = 0;
  let last = '–';
  const started = Date.now();
  const payload = () => ({ runs: `${runsDone}/${runsTotal}`, last, rate: ((done / Math.max(1e-3, (Date.now() - started) / 1000)) | 0).toString() });
  bar?.start(opts.totalEvaluations, 0, payload());
  const hooks: ExperimentHooks = {
    signal: controller.signal,
    log: (m) => (bar ? bar.stop() : undefined, opts.quiet ? undefined : opts.log(m)),
    onRunStart(_run: RunRecord, _index: number, total: number) {
      runsTotal = total;
    },
    onEvaluation() {
      done++;
      if (bar && (done & 63) === 0) bar.update(done, payload());
    },
    onRunEnd(run: RunRecord, result: RunResult) {
      runsDone++;
      if (result.status === 'completed') last = fixed(result.finalValue);
      if (bar) bar.update(done, payload());
      else if (!opts.quiet && (runsTotal <= 10 || result.status !== 'completed' || runsDone % Math.ceil(runsTotal / 10) === 0 || runsDone === runsTotal)) {
        // Off a terminal: every run of a small experiment, otherwise every tenth of the way and every failure.
        opts.log(runsTotal <= 10 || result.status !== 'completed' ? describeRunResult(run, result) : `${runsDone}/${runsTotal} runs done, ${done} evaluations`);
      }
    },
  };
  return {
    hooks,
    interrupted: () => controller.signal.aborted,
    end: () => {
      if (ended) return;
      ended = true;
      bar?.update(done, payload());
      bar?.stop();
      process.off('SIGINT', onSigint);
    },
  };
}

export function describeRunResult(run: RunRecord, result: RunResult): string {
  const head = `run ${run.id} (${run.method}, ${run.task}, seed ${run.seed})`;
  switch (result.status) {
    case 'completed':
      return `${head}: ${fixed(result.finalValue)} with ${result.arch}`;
    case 'interrupted':
      return `${head}: interrupted`;
    case 'failed':
      return `${head}: failed: ${result.error}`;
  }
}
