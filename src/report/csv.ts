import type { LeaderboardRow } from './leaderboard.js';

/**
 * A text cell a spreadsheet would read as a formula (starting with = + - @, or a tab or carriage
 * return before one) gets a leading apostrophe. Numbers are written as numbers, negative ones too.
 */
function neutralised(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function field(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : neutralised(typeof v === 'string' ? v : JSON.stringify(v));
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The leaderboard as CSV with unrounded numbers (one row per task × method × budget × parameters), for spreadsheets and scripts. */
export function renderCsv(rows: readonly LeaderboardRow[]): string {
  const kinds = [...new Set(rows.flatMap((r) => Object.keys(r.searchSeconds)))].sort();
  const head = [
    'task', 'kind', 'method', 'label', 'params', 'budget', 'N', 'F', 'metric', 'goal', 'runs', 'completed',
    'mean', 'std', 'ci95_low', 'ci95_high', 'median', 'min', 'max', 'best', 'p_vs_top',
    'evaluations_used', 'evaluations_per_run', ...kinds.map((k) => `search_device_seconds_${k}`), 'final_device_seconds', 'final_params',
  ];
  const lines = rows.map((r) =>
    [
      r.task, r.kind, r.method, r.label, r.params, r.budget, r.child?.N, r.child?.F, r.metric, r.goal, r.runs, r.completed,
      r.final?.mean, r.final?.std, r.final?.ci95?.[0], r.final?.ci95?.[1], r.final?.median, r.final?.min, r.final?.max, r.best, r.pVsTop,
      r.evaluationsUsed, r.evaluationsPerRun, ...kinds.map((k) => r.searchSeconds[k] ?? 0), r.finalSeconds, r.finalParams,
    ].map(field).join(','),
  );
  return [head.join(','), ...lines].join('\n') + '\n';
}
