import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { register } from 'node:module';
import { extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { errorMessage } from '../errors.js';
import { FROM_SOURCE, PACKAGE_ROOT } from './package-root.js';

let hookRegistered = false;

/**
 * Makes `import … from 'nasbench/api'` in a plugin anywhere on disk resolve to this nasbench
 * (see plugin-loader-hooks.ts). Tests that run from the TypeScript sources resolve it through
 * vitest's conditions instead; the compiled CLI always registers the hook.
 */
export function registerApiResolution(): void {
  if (hookRegistered || FROM_SOURCE) return;
  hookRegistered = true;
  const hook = join(PACKAGE_ROOT, 'dist', 'src', 'harness', 'plugin-loader-hooks.js');
  const api = join(PACKAGE_ROOT, 'dist', 'src', 'api', 'index.js');
  if (!existsSync(hook) || !existsSync(api)) return;
  register(pathToFileURL(hook).href, { data: { api: pathToFileURL(api).href } });
}

/** Imports a plugin module: TypeScript files are compiled on the fly (see plugin-loader-hooks.ts), `nasbench/api` is this nasbench's. */
export async function importPluginFile(file: string): Promise<unknown> {
  registerApiResolution();
  return import(pathToFileURL(file).href);
}

/**
 * Why a plugin file could not be loaded, in one line that keeps what a reader needs: for a syntax
 * error its file, line and column (Node's own message for an ES module has no location; a
 * syntax check of the source recovers it), for a TypeScript file the compiler's located message.
 */
export function loadFailure(file: string, err: unknown): string {
  const message = errorMessage(err);
  // The TypeScript hook's syntax errors already start with file:line:column.
  if (message.startsWith(`${file}:`)) return message.split('\n')[0]!;
  if (err instanceof SyntaxError && extname(file) !== '.ts') {
    const where = syntaxLocation(file);
    if (where) return `${file}:${where.line}:${where.column}: SyntaxError: ${message}`;
  }
  return message.split('\n')[0] ?? message;
}

function syntaxLocation(file: string): { line: number; column: number } | null {
  const check = spawnSync(process.execPath, ['--input-type=module', '--check'], {
    input: readFileSync(file),
    encoding: 'utf8',
    timeout: 10_000,
  });
  const lines = (check.stderr ?? '').split('\n');
  const head = /^\[stdin\]:(\d+)$/.exec(lines[0] ?? '');
  if (!head) return null;
  const caret = (lines[2] ?? '').indexOf('^');
  return { line: Number(head[1]), column: caret >= 0 ? caret + 1 : 1 };
}
