import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/harness/package-root.js';

// Found by package.json, so these helpers also work compiled (the reliability benchmark uses them).
export const ROOT = PACKAGE_ROOT;
const BIN = join(ROOT, 'bin', 'run.js');

function checkBuilt(): void {
  if (!existsSync(join(ROOT, 'dist', 'src', 'cli', 'commands', 'run.js'))) {
    throw new Error('CLI tests run the compiled CLI: run `npm run build` first (npm test does)');
  }
}

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real `nasbench` binary to completion, with no inherited NASBENCH_* settings. */
export function nasbench(args: readonly string[], env: Record<string, string> = {}, cwd = ROOT): CliResult {
  checkBuilt();
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, env: cleanEnv(env), encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts the real binary in the background (for kill and Ctrl-C tests). */
export function startNasbench(args: readonly string[], env: Record<string, string> = {}): ChildProcess {
  checkBuilt();
  return spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs the real binary without blocking the event loop (for tests that do other work meanwhile). */
export function nasbenchAsync(args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  checkBuilt();
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: cleanEnv(env) });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NASBENCH_DATA_DIR;
  delete env.NASBENCH_DB;
  return { ...env, ...extra };
}
