import { UserError } from '../errors.js';
import type { RunRecord } from '../store/types.js';
import { builtinNames } from './plugins.js';
import { formatSource, methodRef, parseSource, type PluginSource } from '../store/method-source.js';

/**
 * What `resume` may load besides the built-in methods. A database names the code its runs were
 * started with, but a database can come from anyone: a plugin file or package is loaded again
 * only when the user names it again, or says that the database is trusted.
 */
export interface PluginTrust {
  /** Plugins named on the command line (`resume --method`), resolved as `run` resolves them. */
  readonly named: readonly PluginSource[];
  /** Load whatever the database names (`--trust-stored-plugin`). */
  readonly trustStored: boolean;
}

export const NO_TRUST: PluginTrust = { named: [], trustStored: false };

/** The code each run would load, checked before anything is loaded or written: one line for the first that may not be. */
export function checkStoredSources(runs: readonly RunRecord[], trust: PluginTrust): void {
  const named = new Set(trust.named.map(formatSource));
  for (const run of runs) {
    let source: PluginSource;
    try {
      source = parseSource(run.methodSource);
    } catch {
      throw new UserError(`run ${run.id} names its method as '${run.methodSource}': expected builtin:, npm: or path: followed by a name`);
    }
    if (source.kind === 'builtin') {
      if (!builtinNames().includes(source.name)) {
        throw new UserError(`run ${run.id} names the built-in method '${source.name}', which is not installed: expected one of ${builtinNames().join(', ')}`);
      }
      continue;
    }
    if (trust.trustStored || named.has(formatSource(source))) continue;
    const what = source.kind === 'path' ? `the plugin file ${source.path}` : `the package ${source.package}`;
    throw new UserError(
      `run ${run.id} was started with ${what}; resume loads it only when it is named again (--method ${methodRef(source)}) or with --trust-stored-plugin`,
    );
  }
}

/** The `--method …` flags a resume of `runs` needs (empty for built-in methods), for "continue with" lines. */
export function resumeHint(runs: readonly RunRecord[]): string {
  const refs = new Set<string>();
  for (const run of runs) {
    const source = parseSource(run.methodSource);
    if (source.kind !== 'builtin') refs.add(methodRef(source));
  }
  return [...refs].map((ref) => ` --method ${ref}`).join('');
}
