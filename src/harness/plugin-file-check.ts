import { existsSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { UserError, errorMessage } from '../errors.js';
import { checkContract } from './plugin-check.js';
import { typecheckPlugin } from './plugin-typecheck.js';
import { loadFromSource } from './plugins.js';

/** One finding of `nasbench plugin check`: which check, whether it passed, and what it found, in one line. */
export interface CheckFinding {
  readonly check: 'types' | 'exports' | 'contract';
  readonly ok: boolean;
  readonly text: string;
}

/**
 * Checks a plugin file as `nasbench plugin check` does, reporting each finding as it is made: its
 * types against nasbench/api (TypeScript files only), its exports and parameters' defaults, and
 * its contract driven for `budget` evaluations on synthetic scores; a module that cannot be loaded
 * ends the checks. Returns what the plugin threw when the contract failed on its exception.
 */
export async function checkPluginFile(path: string, budget: number, report: (finding: CheckFinding) => void): Promise<{ readonly thrown: unknown }> {
  const file = resolve(path);
  if (!existsSync(file)) throw new UserError(`${path}: no such file (expected a plugin file, .js, .mjs or .ts)`);
  if (extname(file) === '.ts' || extname(file) === '.mts') {
    const errors = await typecheckPlugin(file);
    if (errors.length === 0) report({ check: 'types', ok: true, text: 'type-checks against nasbench/api (strict)' });
    for (const e of errors) report({ check: 'types', ok: false, text: e });
  } else {
    report({ check: 'types', ok: true, text: 'not checked (a JavaScript file; write it in TypeScript to have its types checked)' });
  }
  let loaded;
  try {
    loaded = await loadFromSource({ kind: 'path', path: file });
  } catch (err) {
    report({ check: 'exports', ok: false, text: errorMessage(err).replace(/^path:[^:]*: /, '') });
    return { thrown: undefined };
  }
  const { plugin } = loaded;
  const params = Object.entries(plugin.params).map(([k, s]) => `${k}=${String(s.default)}`);
  report({ check: 'exports', ok: true, text: `${plugin.name}: spaces ${plugin.spaces === 'any' ? 'any' : plugin.spaces.join(', ')}; params ${params.join(', ') || '(none)'}` });
  const contract = await checkContract(plugin, budget);
  if (contract.problem !== null) {
    report({ check: 'contract', ok: false, text: contract.problem });
    return { thrown: contract.thrown };
  }
  const repeats = contract.evaluations - contract.distinct;
  report({
    check: 'contract',
    ok: true,
    text: `${contract.evaluations} evaluations${contract.zeroCost ? ` and ${contract.zeroCost} zero-cost scores` : ''} on ${contract.space}'s space (synthetic scores), ${contract.distinct} distinct${repeats > 0 ? ` (${repeats} proposed again: each is paid for again)` : ''}; snapshots are JSON; ${contract.resumeChecked ? 'resumes exactly' : 'resume not exercised (one propose spent the budget)'}`,
  });
  return { thrown: undefined };
}
