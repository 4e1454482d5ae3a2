import { SingleBar } from 'cli-progress';
import type { ExperimentHooks } from '../harness/experiment.js';
import type { ChildProgress, RunResult } from '../harness/run-loop.js';
import type { EvaluationRecord, RunRecord } from '../store/types.js';
import { lowFidelityWarning, type FidelityTable } from '../report/preset-fidelity.js';
import { fixed, seconds } from './format.js';

export interface SessionOptions {
  /** No progress output at all (--json, --quiet). */
  readonly quiet: boolean;
  readonly log: (line: string) => void;
  /** The measured agreement of the presets' search signals: a run on a poorly agreeing one is warned once. */
  readonly fidelity?: FidelityTable;
  /** Where that warning goes (shown even with --quiet). */
  readonly warn?: (line: string) => void;
}

/** Redraws of the bar, and log lines about a training in progress, are at most this frequent. */
const REDRAW_MS = 100;
const LOG_TRAINING_EVERY_MS = 60_000;
/** Evaluations slower than this (trained children) are logged one by one off a terminal. */
const SLOW_EVALUATION_S = 1;

function describeChild(p: ChildProgress): string {
  const what = p.phase === 'final' ? 'final training' : `child #${p.ordinal}`;
  return `${what}: step ${p.step}/${p.steps}, loss ${Number.isFinite(p.loss) ? p.loss.toFixed(3) : String(p.loss)}`;
}

function describeEvaluation(e: EvaluationRecord, run: RunRecord): string {
  const kind = e.kind ?? 'objective';
  // A zero-cost evaluation's score is in its metrics under its kind's name.
  const metric = kind === 'objective' ? run.taskRecord.objective.metric : kind;
  const value = kind === 'objective' ? e.value : (e.metrics[kind] ?? null);
  const outcome = e.status === 'ok' ? `${metric} ${fixed(value)}` : `${e.status}${e.error ? `: ${e.error}` : ''}`;
  return `run ${run.id} · evaluation ${e.ordinal + 1}/${run.budget} · ${outcome} · ${seconds(e.deviceSeconds)} on ${e.backend}`;
}

/**
 * What a long run shows while it works: a progress bar on a terminal (with the training step of
 * the child in flight), one line per finished run otherwise (and per trained child, with a line a
 * minute during long trainings); Ctrl-C stops after the evaluation in flight (a second Ctrl-C
 * exits at once).
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
  // Started once the harness knows how many evaluations are left (hooks.onStart).
  let bar: SingleBar | null = null;
  const makeBar = () =>
    tty
    ? new SingleBar({
        stream: process.stderr,
        format: 'runs {runs} | {bar} {value}/{total} evaluations | {rate}/s | eta {eta_formatted} | last result {last}{child}',
        hideCursor: true,
        etaBuffer: 200,
      })
    : null;
  let done = 0;
  let warned = false;
  let ended = false;
  let runsDone = 0;
  let runsTotal = 0;
  let last = '–';
  let child = '';
  let lastRedraw = 0;
  let lastTrainingLog = Date.now();
  const started = Date.now();
  const rate = () => done / Math.max(1e-3, (Date.now() - started) / 1000);
  const payload = () => ({ runs: `${runsDone}/${runsTotal}`, last, child, rate: rate() >= 10 ? String(rate() | 0) : rate().toFixed(2) });
  const redraw = (force = false) => {
    if (!bar || (!force && Date.now() - lastRedraw < REDRAW_MS)) return;
    lastRedraw = Date.now();
    bar.update(done, payload());
  };
  const hooks: ExperimentHooks = {
    signal: controller.signal,
    onStart(evaluations) {
      bar = makeBar();
      bar?.start(evaluations, 0, payload());
    },
    log: (m) => (bar ? bar.stop() : undefined, opts.quiet ? undefined : opts.log(m)),
    onRunStart(run: RunRecord, _index: number, total: number) {
      runsTotal = total;
      const warning = !warned && run.taskRecord.preset ? lowFidelityWarning(opts.fidelity ?? {}, run.task, run.taskRecord.preset) : null;
      if (warning !== null) {
        warned = true;
        bar?.stop();
        (opts.warn ?? opts.log)(warning);
      }
    },
    onEvaluation(e, run) {
      done++;
      child = '';
      redraw();
      if (!bar && !opts.quiet && e.deviceSeconds >= SLOW_EVALUATION_S) opts.log(describeEvaluation(e, run));
    },
    onChildProgress(p, run) {
      child = ` | ${describeChild(p)}`;
      redraw();
      if (bar || opts.quiet) return;
      if ((p.phase === 'final' && p.step === 1) || Date.now() - lastTrainingLog >= LOG_TRAINING_EVERY_MS) {
        lastTrainingLog = Date.now();
        opts.log(`run ${run.id} · ${describeChild(p)}`);
      }
    },
    onRunEnd(run: RunRecord, result: RunResult) {
      runsDone++;
      if (result.status === 'completed') last = fixed(result.finalValue);
      child = '';
      if (bar) redraw(true);
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
      return `${head}: ${run.taskRecord.result.label} = ${fixed(result.finalValue)} for ${result.arch}`;
    case 'interrupted':
      return `${head}: interrupted`;
    case 'failed':
      return `${head}: failed: ${result.error}`;
  }
}

/**
 * What `train` shows while one child trains: a bar of its steps on a terminal, else a line a
 * minute; nothing when quiet.
 */
export function trainingProgress(opts: SessionOptions): { onProgress: (p: { step: number; steps: number; loss: number }) => void; end: () => void } {
  const bar = process.stderr.isTTY && !opts.quiet ? new SingleBar({ stream: process.stderr, format: 'training {bar} {value}/{total} steps | loss {loss} | eta {eta_formatted}', hideCursor: true }) : null;
  const started = Date.now();
  let lastLog = started;
  return {
    onProgress: ({ step, steps, loss }) => {
      if (bar) {
        if (step === 1) bar.start(steps, 0, { loss: '–' });
        bar.update(step, { loss: loss.toFixed(3) });
      } else if (!opts.quiet && Date.now() - lastLog >= LOG_TRAINING_EVERY_MS) {
        lastLog = Date.now();
        opts.log(`step ${step}/${steps}, loss ${loss.toFixed(3)}, ${seconds((lastLog - started) / 1000)} elapsed`);
      }
    },
    end: () => bar?.stop(),
  };
}
