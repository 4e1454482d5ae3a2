import { UserError } from '../errors.js';
import { heldElsewhere } from '../harness/experiment.js';
import { checkStoredSources, type PluginTrust } from '../harness/plugin-trust.js';
import { resolveSource } from '../harness/plugins.js';
import { runsToResume, type ResumeSelection } from '../harness/resume-selection.js';
import type { Store } from '../store/store.js';
import type { RunRecord } from '../store/types.js';
import { parseRunId } from './run-id.js';

/** What `resume` was asked to continue, and which plugins it may load. */
export interface ResumeTargets extends ResumeSelection {
  readonly trust: PluginTrust;
  readonly force: boolean;
}

/** Reads `resume`'s run ids and flags; bad input is refused here, before any store is opened. */
export function resumeTargets(
  argv: readonly unknown[],
  flags: { readonly experiment?: number | undefined; readonly all: boolean; readonly method?: readonly string[] | undefined; readonly force: boolean; readonly 'trust-stored-plugin': boolean; readonly db: string },
): ResumeTargets {
  const ids = argv.map((a) => parseRunId(String(a)));
  if (ids.length === 0 && flags.experiment === undefined && !flags.all) throw new UserError('nothing to resume: give run id(s), --experiment <id> or --all');
  const trust = { named: (flags.method ?? []).map((ref) => resolveSource(ref)), trustStored: flags['trust-stored-plugin'] };
  return { ids, experiment: flags.experiment, all: flags.all, db: flags.db, trust, force: flags.force };
}

/**
 * The runs left to continue, each once, refused whole when one's plugin may not be loaded. Says on
 * `stderr` which named runs are already completed, and which runs `--force` takes over from a
 * process on another host.
 */
export function runsToContinue(store: Store, targets: ResumeTargets, stderr: (line: string) => void): RunRecord[] {
  const { todo, completed } = runsToResume(store, targets);
  checkStoredSources(todo, targets.trust);
  for (const r of completed) stderr(`run ${r.id} is already completed`);
  for (const { run, owner } of targets.force ? heldElsewhere(todo) : []) {
    stderr(`warning: run ${run.id}: taking it over from ${owner} (--force); if that process is still running it, both will write this run`);
  }
  return todo;
}
