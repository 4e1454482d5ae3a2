import type { LeaderboardRow } from '../report/leaderboard.js';
import { compactParams, fixed, meanStd, seconds, table } from './format.js';

/** The leaderboard as a terminal table; parameters are shown only where one method appears with several settings. */
export function leaderboardTable(rows: readonly LeaderboardRow[]): string {
  const settings = new Map<string, Set<string>>();
  for (const r of rows) {
    const key = `${r.task}\n${r.method}`;
    settings.set(key, (settings.get(key) ?? new Set()).add(JSON.stringify([r.budget, r.params])));
  }
  const label = (r: LeaderboardRow) =>
    (settings.get(`${r.task}\n${r.method}`)?.size ?? 0) > 1 && Object.keys(r.params).length > 0 ? `${r.method} (${compactParams(r.params)})` : r.method;
  const metrics = [...new Set(rows.map((r) => `${r.task}: ${r.metric}`))];
  return (
    table(
      ['Task', 'Method', 'Seeds', 'Budget', 'Final mean ± std', 'Best', 'Median', 'Evals used/run', 'Device time'],
      rows.map((r) => [
        r.task,
        label(r),
        r.completed === r.runs ? String(r.runs) : `${r.completed}/${r.runs}`,
        r.budget,
        meanStd(r.final),
        fixed(r.best),
        fixed(r.final?.median),
        fixed(r.evaluationsUsed / Math.max(1, r.runs), 1),
        seconds(r.deviceSeconds),
      ]),
    ) + `\n${metrics.map((m) => `Final = ${m}`).join('\n')}`
  );
}
