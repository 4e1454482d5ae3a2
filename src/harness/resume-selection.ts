import { UserError } from '../errors.js';
import type { Store } from '../store/store.js';
import type { RunRecord } from '../store/types.js';

export interface ResumeSelection {
  /** Runs named by id. */
  readonly ids: readonly number[];
  /** Every run of this experiment. */
  readonly experiment?: number | undefined;
  /** Every run in the store. */
  readonly all?: boolean;
  /** The store's path, for messages. */
  readonly db: string;
}

/**
 * The runs a resume names, each once: those left to continue, and those already completed. A run
 * id or experiment the store does not hold is the user's error.
 */
export function runsToResume(store: Store, s: ResumeSelection): { todo: RunRecord[]; completed: RunRecord[] } {
  const named = s.ids.map((id) => {
    const run = store.getRun(id);
    if (!run) throw new UserError(`run ${id} is not in ${s.db}`);
    return run;
  });
  const pool: RunRecord[] = [...named, ...(s.experiment !== undefined ? store.runs({ experimentId: s.experiment }) : []), ...(s.all ? store.runs() : [])];
  if (s.experiment !== undefined && !pool.some((r) => r.experimentId === s.experiment)) {
    throw new UserError(`experiment ${s.experiment} is not in ${s.db}`);
  }
  const unique = [...new Map(pool.map((r) => [r.id, r])).values()];
  return { todo: unique.filter((r) => r.status !== 'completed'), completed: unique.filter((r) => r.status === 'completed') };
}
