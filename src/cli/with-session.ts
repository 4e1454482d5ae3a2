import type { ExperimentHooks } from '../harness/experiment.js';
import type { RunHooks } from '../harness/run-types.js';
import { loadFidelityTable } from './fidelity-table.js';
import { startSession } from './session.js';

/** Run hooks that also print the stack of what a plugin threw, when --verbose asks for it. */
function withPluginStacks(hooks: RunHooks, verbose: boolean, print: (text: string) => void): RunHooks {
  if (!verbose) return hooks;
  return {
    ...hooks,
    onPluginFault: (fault, run) => {
      const cause = fault.cause instanceof Error && fault.cause.stack ? fault.cause.stack : fault.stack;
      print(`run ${run.id}: ${fault.message}\n${cause ?? ''}`);
    },
  };
}

/**
 * Executes runs as `run` and `resume` do: under a progress session on stderr (Ctrl-C stops after
 * the evaluations in flight; a preset of poor fidelity is warned of), with plugin stacks when
 * --verbose. Returns what the harness returned and whether Ctrl-C stopped it.
 */
export async function withSession<T>(
  stderr: (line: string) => void,
  flags: { readonly quiet: boolean; readonly verbose: boolean },
  execute: (hooks: ExperimentHooks) => Promise<T>,
): Promise<{ readonly result: T; readonly interrupted: boolean }> {
  const session = startSession({ quiet: flags.quiet, log: stderr, fidelity: loadFidelityTable(), warn: stderr });
  const result = await execute(withPluginStacks(session.hooks, flags.verbose, stderr)).finally(session.end);
  return { result, interrupted: session.interrupted() };
}
