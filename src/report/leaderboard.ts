import type { RunFilter, Store } from '../store/store.js';
import type { RunRecord } from '../store/types.js';
import { getTask } from '../tasks/index.js';
import { summarize, type Summary } from './stats.js';

export interface LeaderboardRow {
  readonly task: string;
  readonly method: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly budget: number;
  /** Label of the reported metric (e.g. "test accuracy after 200 epochs (%)"). */
  readonly metric: string;
  readonly goal: 'max' | 'min';
  readonly runs: number;
  readonly completed: number;
  /** Over completed runs' final results. */
  readonly final: Summary | null;
  /** The best final result (max or min per the goal). */
  readonly best: number | null;
  readonly evaluationsUsed: number;
  readonly deviceSeconds: number;
}

/** One row per task × method × budget × hyper-parameters: runs that are directly comparable. */
export function leaderboard(store: Store, filter: RunFilter = {}): LeaderboardRow[] {
  const groups = new Map<string, RunRecord[]>();
  for (const run of store.runs(filter)) {
    const key = JSON.stringify([run.task, run.method, run.budget, run.params]);
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  const rows = [...groups.values()].map((runs): LeaderboardRow => {
    const first = runs[0] as RunRecord;
    const result = getTask(first.task).result;
    const finals = runs.filter((r) => r.status === 'completed' && r.finalValue !== null).map((r) => r.finalValue as number);
    const final = summarize(finals);
    return {
      task: first.task,
      method: first.method,
      params: first.params,
      budget: first.budget,
      metric: result.label,
      goal: result.goal,
      runs: runs.length,
      completed: finals.length,
      final,
      best: final === null ? null : result.goal === 'max' ? final.max : final.min,
      evaluationsUsed: runs.reduce((n, r) => n + r.evaluations, 0),
      deviceSeconds: runs.reduce((s, r) => s + r.deviceSeconds, 0),
    };
  });
  return rows.sort((a, b) => a.task.localeCompare(b.task) || standing(b) - standing(a) || a.method.localeCompare(b.method));
}

/** Higher is better whatever the metric's direction; groups without a result rank last. */
function standing(row: LeaderboardRow): number {
  if (row.final === null) return -Infinity;
  return row.goal === 'max' ? row.final.mean : -row.final.mean;
}
