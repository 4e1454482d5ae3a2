import type { ExperimentOutcome } from '../harness/experiment.js';
import { resumeHint } from '../harness/plugin-trust.js';
import { leaderboard, type LeaderboardRow } from '../report/leaderboard.js';
import type { Selection } from '../report/selection.js';
import type { Store } from '../store/store.js';
import type { RunRecord } from '../store/types.js';
import type { Width } from '../report/terminal-fit.js';
import { leaderboardTable } from '../report/terminal-table.js';
import { loadFidelityTable } from './fidelity-table.js';
import { describeRunResult } from './session.js';

export interface OutcomeOutput {
  /** The width the leaderboard fits (null or absent: full width). */
  readonly outputWidth?: Width;
  log(line: string): void;
  logToStderr(line: string): void;
}

export interface Executed {
  /** The runs the command was asked to execute (an experiment's, or those named to resume), and the leaderboard's selection of them. */
  readonly runs: readonly RunRecord[];
  readonly selection: Selection;
  /** What became of those that executed. */
  readonly outcomes: ExperimentOutcome['runs'];
  /** Whom `nasbench resume` names to continue them: run ids, or `--experiment <id>`. */
  readonly resumeTarget: string;
  readonly db: string;
  readonly interrupted: boolean;
  /** Print nothing but how to continue (`--json`: the caller returns the data). */
  readonly json?: boolean;
  /** Also the architectures of completed runs, when there are few enough to read. */
  readonly architectures?: boolean;
  /** A closing line after the table (e.g. where the experiment's runs are). */
  readonly footer?: string;
}

/**
 * What `run` and `resume` print once their runs stop: the leaderboard of those runs, every failed
 * run on stderr, and after Ctrl-C how to continue. Returns the leaderboard and the exit code: 130
 * when interrupted, 1 when a run failed, else 0.
 */
export function printOutcome(out: OutcomeOutput, store: Store, done: Executed): { rows: LeaderboardRow[]; exitCode: number } {
  const rows = leaderboard(store, done.selection);
  const ended = done.outcomes.map((o) => ({ record: store.getRun(o.runId)!, result: o.result }));
  const failed = ended.filter((r) => r.result.status === 'failed');
  if (!done.json) {
    out.log(leaderboardTable(rows, loadFidelityTable(), out.outputWidth ?? null));
    if (done.architectures && ended.length <= 10) {
      for (const r of ended) if (r.result.status === 'completed') out.log(describeRunResult(r.record, r.result));
    }
    if (done.footer !== undefined) out.log(done.footer);
    for (const f of failed) out.logToStderr(describeRunResult(f.record, f.result));
  }
  if (done.interrupted) {
    out.logToStderr(`interrupted; continue with: nasbench resume ${done.resumeTarget}${resumeHint(done.runs)} --db ${done.db}`);
    return { rows, exitCode: 130 };
  }
  return { rows, exitCode: failed.length > 0 ? 1 : 0 };
}

/** What became of an experiment's runs, or of the runs a resume continued, and whether Ctrl-C stopped them. */
interface Stopped<T> {
  readonly result: T;
  readonly interrupted: boolean;
}

/**
 * What `run` prints once an experiment's runs stop (with the completed runs' architectures and
 * where the runs are), its exit code, and what `run --json` returns for it.
 */
export function printExperimentOutcome(out: OutcomeOutput, store: Store, done: Stopped<ExperimentOutcome>, how: { readonly db: string; readonly json: boolean }) {
  const { experimentId } = done.result;
  const runs = store.runs({ experimentId });
  const { rows, exitCode } = printOutcome(out, store, {
    runs,
    outcomes: done.result.runs,
    selection: { experimentId },
    resumeTarget: `--experiment ${experimentId}`,
    db: how.db,
    interrupted: done.interrupted,
    json: how.json,
    architectures: true,
    footer: `experiment ${experimentId}: runs ${runs[0]?.id}–${runs[runs.length - 1]?.id} in ${how.db}`,
  });
  return { exitCode, json: { experimentId, runs: done.result.runs, leaderboard: rows } };
}

/** What `resume` prints once the runs it continued stop; returns the exit code. */
export function printResumedOutcome(out: OutcomeOutput, store: Store, runs: readonly RunRecord[], done: Stopped<ExperimentOutcome['runs']>, db: string): number {
  const ids = runs.map((r) => r.id);
  return printOutcome(out, store, { runs, outcomes: done.result, selection: { runIds: ids }, resumeTarget: ids.join(' '), db, interrupted: done.interrupted }).exitCode;
}
