import type { RunRecord } from '../store/types.js';

/** One experiment of a store, as `nasbench experiments` lists it. */
export interface ExperimentSummary {
  readonly id: number;
  readonly method: string;
  readonly task: string;
  readonly budget: number;
  /** Its seeds, compactly: "0–99", "1, 5, 9", "3". */
  readonly seeds: string;
  readonly runs: number;
  /** How many runs are in each status, e.g. "100 completed" or "2 completed, 1 failed, 1 interrupted". */
  readonly status: string;
  /** When its first run started (ISO 8601), null if none has. */
  readonly started: string | null;
}

/** Consecutive integers as ranges: [0, 1, 2, 5] → "0–2, 5". */
export function seedRanges(seeds: readonly number[]): string {
  const sorted = [...seeds].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(j > i ? `${sorted[i]}–${sorted[j]}` : String(sorted[i]));
    i = j + 1;
  }
  return parts.join(', ');
}

/** The experiments the runs belong to, newest first. */
export function experimentSummaries(runs: readonly RunRecord[]): ExperimentSummary[] {
  const byExperiment = new Map<number, RunRecord[]>();
  for (const run of runs) byExperiment.set(run.experimentId, [...(byExperiment.get(run.experimentId) ?? []), run]);
  return [...byExperiment]
    .sort(([a], [b]) => b - a)
    .map(([id, group]) => {
      const first = group[0]!;
      const counts = new Map<string, number>();
      for (const r of group) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
      const started = group.map((r) => r.startedAt).filter((t): t is string => t !== null).sort()[0] ?? null;
      return {
        id,
        method: first.method,
        task: first.task,
        budget: first.budget,
        seeds: seedRanges(group.map((r) => r.seed)),
        runs: group.length,
        status: [...counts].map(([status, n]) => `${n} ${status}`).join(', '),
        started,
      };
    });
}
