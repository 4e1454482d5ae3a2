import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/harness/package-root.js';

/** The repository's committed results/ folder. */
export const RESULTS_DIR = join(PACKAGE_ROOT, 'results');

/** Where and on what a benchmark ran, recorded beside every figure. */
export function machine(): Record<string, string | number> {
  const cpu = cpus();
  return { node: process.version, cpu: cpu[0]?.model ?? 'unknown', cores: cpu.length, date: new Date().toISOString() };
}

/** What an earlier run wrote to results/<name>.json, or undefined before the first run (a benchmark that keeps rows it did not measure again). */
export function readResults<T>(name: string): T | undefined {
  const file = join(RESULTS_DIR, `${name}.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : undefined;
}

/** Writes results/<name>.json and results/<name>.md. */
export function writeResults(name: string, data: unknown, markdown: string): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, `${name}.json`), JSON.stringify(data, null, 2) + '\n');
  writeFileSync(join(RESULTS_DIR, `${name}.md`), markdown.trimEnd() + '\n');
}

export function markdownTable(head: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}
