import type { Objective } from '../api/index.js';
import { allTasks } from '../tasks/index.js';

export type TaskKind = 'tabular' | 'image' | 'text';

/** What a report needs to know of a task: its kind, search objective and reported result. */
export interface TaskMeta {
  readonly name: string;
  readonly kind: TaskKind;
  readonly objective: Objective;
  readonly result: Objective;
}

/** Metric names under which runs' final metrics carry a language model's test perplexity. */
export const PERPLEXITY_KEYS = ['test_ppl', 'test_perplexity', 'perplexity'] as const;

/**
 * The registry's description of a task; a store may also hold tasks this build does not know
 * (written by a newer or older nasbench), which are described from what their runs recorded.
 */
export function taskMeta(name: string, finalMetricKeys: ReadonlySet<string> = new Set()): TaskMeta {
  const known = allTasks().find((t) => t.name === name);
  if (known) return { name, kind: known.kind, objective: known.objective, result: known.result };
  const text = PERPLEXITY_KEYS.some((k) => finalMetricKeys.has(k));
  const error = finalMetricKeys.has('test_error');
  const kind: TaskKind = text ? 'text' : error || finalMetricKeys.has('test_acc') ? 'image' : 'tabular';
  if (error && !text) {
    return {
      name,
      kind,
      objective: { metric: 'valid_acc', goal: 'max', label: 'search objective' },
      result: { metric: 'test_error', goal: 'min', label: 'test error (%)' },
    };
  }
  return text
    ? {
        name,
        kind,
        objective: { metric: 'valid_ppl', goal: 'min', label: 'validation perplexity' },
        result: { metric: 'test_ppl', goal: 'min', label: 'test perplexity' },
      }
    : {
        name,
        kind,
        objective: { metric: 'valid_acc', goal: 'max', label: 'search objective' },
        result: { metric: 'test_acc', goal: 'max', label: 'final result' },
      };
}
