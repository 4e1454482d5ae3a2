import { MultiBar, type GenericBar } from 'cli-progress';
import type { ExperimentHooks } from '../harness/experiment.js';
import type { ChildProgress, RunResult } from '../harness/run-loop.js';
import type { EvaluationRecord, RunRecord } from '../store/types.js';
import { lowFidelityWarning, type FidelityTable } from '../report/preset-fidelity.js';
import { terminalSafe } from '../report/terminal-text.js';
import { fixed, seconds } from './format.js';
import { fitToColumns, formatLoss, searchLine, trainingLine } from './progress-format.js';
import { isTerminal, terminalColumns } from './terminal.js';

export interface SessionOptions {
  /** No progress output at all (--json, --quiet). */
  readonly quiet: boolean;
  readonly log: (line: string) => void;
  /** The measured agreement of the presets' search signals: a run on a poorly agreeing one is warned once. */
  readonly fidelity?: FidelityTable;
  /** Where that warning goes (shown even with --quiet). */
  readonly warn?: (line: string) => void;
}

/** Log lines about a training in progress are at most this frequent off a terminal. */
const LOG_TRAINING_EVERY_MS = 60_000;
/** Evaluations slower than this (trained children) are printed one by one, on a terminal above the bars. */
const SLOW_EVALUATION_S = 1;
/** How often bars are redrawn when a terminal is only pretended (NASBENCH_FORCE_TTY on a pipe): each redraw is new lines there. */
const FORCED_REDRAW_MS = 250;

function describeChild(p: ChildProgress): string {
  const what = p.phase === 'final' ? 'final training' : `child #${p.ordinal}`;
  return `${what}: step ${p.step}/${p.steps}, loss ${formatLoss(p.loss)}`;
}

/** What an evaluation found: its search metric's value (a zero-cost one its score), or how it failed. */
function evaluationResult(e: EvaluationRecord, run: RunRecord): string {
  const kind = e.kind ?? 'objective';
  // A zero-cost evaluation's score is in its metrics under its kind's name.
  const metric = kind === 'objective' ? run.taskRecord.objective.metric : kind;
  const value = kind === 'objective' ? e.value : (e.metrics[kind] ?? null);
  return e.status === 'ok' ? `${metric} ${fixed(value)}` : `${e.status}${e.error ? `: ${e.error}` : ''}`;
}

function describeEvaluation(e: EvaluationRecord, run: RunRecord): string {
  return `run ${run.id} · evaluation ${e.ordinal + 1}/${run.budget} · ${evaluationResult(e, run)} · ${seconds(e.deviceSeconds)} on ${e.backend}`;
}

interface Bars {
  /** A bar drawing the line `line()` returns, cut one column short of the terminal's width (a line filling the last column wraps on some terminals). */
  add(line: () => string, total: number): GenericBar;
  remove(bar: GenericBar): void;
  /** A line above the bars (printed at once while there are none). */
  say(line: string): void;
  /** Draws the bars once more with whatever was printed above them, then leaves them as they are. */
  stop(): void;
}

/** Progress bars on stderr: cli-progress's MultiBar drawing lines that progress-format.ts writes. */
function progressBars(print: (line: string) => void): Bars {
  const forced = process.stderr.isTTY !== true;
  const bars = new MultiBar({ stream: process.stderr, hideCursor: true, clearOnComplete: false, noTTYOutput: forced, notTTYSchedule: FORCED_REDRAW_MS });
  let live = 0;
  let created = false;
  return {
    add: (line, total) => {
      live++;
      created = true;
      return bars.create(total, 0, {}, { format: () => fitToColumns(line(), terminalColumns(process.stderr) - 1) });
    },
    remove: (bar) => {
      if (bars.remove(bar)) live--;
    },
    say: (line) => (live > 0 ? bars.log(`${terminalSafe(line)}\n`) : print(line)),
    stop: () => {
      if (!created) return;
      bars.update();
      bars.stop();
    },
  };
}

/**
 * What a long run shows while it works. On a terminal: a bar of the search's evaluations (runs,
 * pace, time left, the latest result and the child in training) and, while a run's final training
 * goes on, a bar of its own with its own time left; each trained child's result and each run's
 * end are printed above the bars. Off a terminal: one line per trained child and per finished run
 * (every tenth of a large experiment), a line a minute during long trainings. Ctrl-C stops after
 * the evaluation in flight (a second Ctrl-C exits at once).
 */
export function startSession(opts: SessionOptions): { hooks: ExperimentHooks; interrupted: () => boolean; end: () => void } {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
    process.stderr.write('\nstopping after the evaluation in flight (Ctrl-C again to exit now)…\n');
  };
  process.on('SIGINT', onSigint);
  const drawn = isTerminal(process.stderr) && !opts.quiet ? progressBars(opts.log) : null;
  let done = 0;
  let total = 0;
  let warned = false;
  let ended = false;
  let runsDone = 0;
  let runsTotal = 0;
  let last: string | null = null;
  let child: string | null = null;
  let lastTrainingLog = Date.now();
  const started = Date.now();
  let lastEvaluationAt = started;
  // The search's pace and time left stop at its last evaluation: a final training after it has its own bar.
  const searchSeconds = () => ((total > 0 && done >= total ? lastEvaluationAt : Date.now()) - started) / 1000;
  /** The final trainings in progress, by run: each has a bar of its own. */
  const finals = new Map<number, { bar: GenericBar; latest: { progress: ChildProgress } }>();
  const say = (line: string) => (drawn ? drawn.say(line) : opts.log(line));
  const hooks: ExperimentHooks = {
    signal: controller.signal,
    onStart(evaluations, runs) {
      total = evaluations;
      runsTotal = runs;
      // Nothing left to search (a resume of runs that only lack their final training): no search bar.
      if (drawn && evaluations > 0) {
        drawn.add(() => searchLine({ done, total, runsDone, runsTotal, elapsedSeconds: searchSeconds(), last, child }), evaluations);
      }
    },
    log: (m) => (opts.quiet ? undefined : say(m)),
    onRunStart(run: RunRecord) {
      const warning = !warned && run.taskRecord.preset ? lowFidelityWarning(opts.fidelity ?? {}, run.task, run.taskRecord.preset) : null;
      if (warning !== null) {
        warned = true;
        if (drawn) say(warning);
        else (opts.warn ?? opts.log)(warning);
      }
    },
    onEvaluation(e, run) {
      done++;
      lastEvaluationAt = Date.now();
      child = null;
      last = evaluationResult(e, run);
      if (!opts.quiet && e.deviceSeconds >= SLOW_EVALUATION_S) say(describeEvaluation(e, run));
    },
    onChildProgress(p, run) {
      if (drawn) {
        if (p.phase === 'search') child = describeChild(p);
        else {
          const final = finals.get(run.id);
          if (final) final.latest.progress = p;
          else {
            // Timed from the first step it reports: its time left is its own, not the search's.
            const latest = { progress: p };
            const timedFrom = p.step;
            const since = Date.now();
            const bar = drawn.add(() => trainingLine({ label: `final training, run ${run.id}`, ...latest.progress, timedFrom, elapsedSeconds: (Date.now() - since) / 1000 }), p.steps);
            finals.set(run.id, { bar, latest });
          }
        }
        return;
      }
      if (opts.quiet) return;
      if ((p.phase === 'final' && p.step === 1) || Date.now() - lastTrainingLog >= LOG_TRAINING_EVERY_MS) {
        lastTrainingLog = Date.now();
        opts.log(`run ${run.id} · ${describeChild(p)}`);
      }
    },
    onRunEnd(run: RunRecord, result: RunResult) {
      runsDone++;
      const final = finals.get(run.id);
      if (final && drawn) {
        drawn.remove(final.bar);
        finals.delete(run.id);
      }
      if (!opts.quiet && (runsTotal <= 10 || result.status !== 'completed' || runsDone % Math.ceil(runsTotal / 10) === 0 || runsDone === runsTotal)) {
        // Every run of a small experiment, otherwise every tenth of the way and every failure.
        say(runsTotal <= 10 || result.status !== 'completed' ? describeRunResult(run, result) : `${runsDone}/${runsTotal} runs done, ${done} evaluations`);
      }
    },
  };
  return {
    hooks,
    interrupted: () => controller.signal.aborted,
    end: () => {
      if (ended) return;
      ended = true;
      drawn?.stop();
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
 * What `train` shows while one child trains: a bar of its steps with its time left on a terminal,
 * else a line a minute; nothing when quiet.
 */
export function trainingProgress(opts: SessionOptions): { onProgress: (p: { step: number; steps: number; loss: number }) => void; end: () => void } {
  const drawn = isTerminal(process.stderr) && !opts.quiet ? progressBars(opts.log) : null;
  const started = Date.now();
  let lastLog = started;
  let timing: { from: number; since: number } | null = null;
  let current = { step: 0, steps: 0, loss: Number.NaN };
  let bar: GenericBar | null = null;
  return {
    onProgress: (p) => {
      current = p;
      if (drawn) {
        timing ??= { from: p.step, since: Date.now() };
        const t = timing;
        bar ??= drawn.add(() => trainingLine({ label: 'training', ...current, timedFrom: t.from, elapsedSeconds: (Date.now() - t.since) / 1000 }), p.steps);
      } else if (!opts.quiet && Date.now() - lastLog >= LOG_TRAINING_EVERY_MS) {
        lastLog = Date.now();
        opts.log(`step ${p.step}/${p.steps}, loss ${formatLoss(p.loss)}, ${seconds((lastLog - started) / 1000)} elapsed`);
      }
    },
    end: () => drawn?.stop(),
  };
}
