/**
 * The text of the progress bars `run`, `resume` and `train` draw on a terminal: pure functions of
 * counts and elapsed seconds, so that no state of a run can print `NaN`, `eta NFs`, `runs 0/0` or
 * `8m60s`.
 */
import stringWidth from 'string-width';

const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * A duration as a countdown: "45s", "8m05s", "1h05m". Rounded to whole seconds first (to whole
 * minutes above an hour) and then split, so 539.6 s is 9m00s, never 8m60s. 'unknown' when there
 * is no estimate (null, NaN, infinite or negative).
 */
export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return 'unknown';
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole}s`;
  if (whole < 3600) return `${Math.floor(whole / 60)}m${pad2(whole % 60)}s`;
  const minutes = Math.round(seconds / 60);
  return `${Math.floor(minutes / 60)}h${pad2(minutes % 60)}m`;
}

/** Seconds left at the pace so far; null (unknown) until something is done or when there is no total. */
export function remainingSeconds(done: number, total: number, elapsedSeconds: number): number | null {
  if (!(done > 0) || !(total > 0) || !Number.isFinite(elapsedSeconds) || elapsedSeconds < 0) return null;
  return (elapsedSeconds / done) * Math.max(0, total - done);
}

/** How fast evaluations go: "120/s", "2.5/s", or when slower than one a second "58s each"; '–' before the first. */
export function formatRate(done: number, elapsedSeconds: number): string {
  if (!(done > 0) || !(elapsedSeconds > 0) || !Number.isFinite(elapsedSeconds)) return '–';
  const rate = done / elapsedSeconds;
  if (rate >= 10) return `${Math.round(rate)}/s`;
  if (rate >= 1) return `${rate.toFixed(1)}/s`;
  return `${formatEta(elapsedSeconds / done)} each`;
}

/** "runs 2/5", or nothing while the number of runs is unknown or zero. */
export function formatRuns(done: number, total: number): string {
  return total > 0 ? `runs ${Math.min(done, total)}/${total}` : '';
}

/** A training loss with three decimals, or 'not finite' for a diverged one. */
export function formatLoss(loss: number): string {
  return Number.isFinite(loss) ? loss.toFixed(3) : 'not finite';
}

/** A bar of `width` cells filled in proportion to done/total (empty when there is no total). */
export function progressBar(done: number, total: number, width = 20): string {
  const fraction = total > 0 && Number.isFinite(done) ? Math.min(1, Math.max(0, done / total)) : 0;
  const full = Math.round(fraction * width);
  return '█'.repeat(full) + '░'.repeat(width - full);
}

/** A line cut to `columns` terminal columns (ending in '…' when cut): a bar that wraps cannot be redrawn in place. */
export function fitToColumns(line: string, columns: number): string {
  if (stringWidth(line) <= columns) return line;
  let out = '';
  let width = 0;
  for (const ch of line) {
    const w = stringWidth(ch);
    if (width + w > columns - 1) break;
    out += ch;
    width += w;
  }
  return `${out}…`;
}

export interface SearchProgress {
  readonly done: number;
  readonly total: number;
  readonly runsDone: number;
  readonly runsTotal: number;
  readonly elapsedSeconds: number;
  /** The latest finished evaluation's result, e.g. "valid_ppl 612.30" (null before the first). */
  readonly last: string | null;
  /** The search child training now, e.g. "child #13: step 40/214, loss 5.123" (null when none). */
  readonly child: string | null;
}

/** The search's bar: runs, evaluations, pace, time left, the latest result and the child in training. */
export function searchLine(p: SearchProgress): string {
  const eta = p.total > 0 && p.done >= p.total ? 'search done' : `eta ${formatEta(remainingSeconds(p.done, p.total, p.elapsedSeconds))}`;
  return [
    formatRuns(p.runsDone, p.runsTotal),
    `${progressBar(p.done, p.total)} ${p.done}/${p.total} evaluations`,
    formatRate(p.done, p.elapsedSeconds),
    eta,
    `last ${p.last ?? '–'}`,
    p.child ?? '',
  ]
    .filter((part) => part !== '')
    .join(' | ');
}

export interface TrainingProgress {
  /** What trains, e.g. "final training, run 3". */
  readonly label: string;
  readonly step: number;
  readonly steps: number;
  readonly loss: number;
  /** The step when timing began (the first one reported) and the seconds since: the pace is of the steps after it. */
  readonly timedFrom: number;
  readonly elapsedSeconds: number;
}

/** One training's bar (a run's final training, or `nasbench train`): steps, loss and its own time left. */
export function trainingLine(p: TrainingProgress): string {
  const eta = formatEta(remainingSeconds(p.step - p.timedFrom, p.steps - p.timedFrom, p.elapsedSeconds));
  return `${p.label} | ${progressBar(p.step, p.steps)} ${p.step}/${p.steps} steps | loss ${formatLoss(p.loss)} | eta ${eta}`;
}
