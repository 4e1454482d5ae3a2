import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, crossLayerImports, relativeImports, type ImportEdge } from './import-graph.js';

/**
 * The documented layers (docs/ARCHITECTURE.md): what each may import besides itself. Data flows
 * one way: cli → harness → tasks → engine/data/spaces, with store and report beside them; the
 * public API and errors are at the bottom; a method sees nothing but `nasbench/api`.
 */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  api: [],
  errors: [],
  // Which process is which (pid and start time): the data directory's fetch work and run ownership.
  'process-identity': [],
  spaces: ['api', 'errors'],
  data: ['api', 'errors', 'process-identity'],
  engine: ['api', 'spaces', 'data', 'errors'],
  tasks: ['api', 'spaces', 'engine', 'data', 'errors'],
  store: ['api', 'errors'],
  report: ['api', 'store', 'errors'],
  harness: ['api', 'tasks', 'store', 'errors', 'process-identity'],
  cli: ['api', 'harness', 'report', 'store', 'tasks', 'data', 'errors'],
};

/** Arrows that still run against the layers, each with the change that removes it. */
const PENDING: readonly { readonly from: string; readonly to: string; readonly until: string }[] = [
];

/** Why an import breaks the layers, or null when it is allowed. */
function violation(edge: Pick<ImportEdge, 'from' | 'to' | 'specifier'>): string | null {
  if (edge.from.startsWith('method:')) {
    if (edge.to.startsWith('method:')) return `${edge.from} imports another method (${edge.to})`;
    return edge.specifier === 'nasbench/api' ? null : `${edge.from} imports ${edge.specifier}: a method imports only 'nasbench/api'`;
  }
  const allowed = ALLOWED[edge.from];
  if (allowed === undefined) return `${edge.from} is not a documented layer`;
  return allowed.includes(edge.to) ? null : `${edge.from} imports ${edge.to}`;
}

/**
 * A command parses flags, calls the harness or report, and prints (docs/ARCHITECTURE.md); a longer
 * command file holds work that belongs in a module of its own.
 */
const MAX_COMMAND_LINES = 45;

/** Every line of a file, blank and comment lines included (as `wc -l` counts a file ending in a newline). */
function lineCount(text: string): number {
  return text.length === 0 ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

const pending = (e: ImportEdge) => PENDING.some((p) => p.from === e.from && p.to === e.to);

describe('layers', () => {
  it('recognises the arrows the architecture forbids', () => {
    expect(violation({ from: 'method:enas', to: 'method:nao-ws', specifier: '../nao-ws/pool.js' })).toMatch(/imports another method/);
    expect(violation({ from: 'method:nao', to: 'api', specifier: '../../src/api/index.js' })).toMatch(/only 'nasbench\/api'/);
    expect(violation({ from: 'report', to: 'tasks', specifier: '../tasks/index.js' })).toBe('report imports tasks');
    expect(violation({ from: 'report', to: 'spaces', specifier: '../spaces/cnn-micro.js' })).toBe('report imports spaces');
    expect(violation({ from: 'harness', to: 'engine', specifier: '../engine/tf.js' })).toBe('harness imports engine');
    expect(violation({ from: 'method:nao', to: 'api', specifier: 'nasbench/api' })).toBeNull();
    expect(violation({ from: 'harness', to: 'tasks', specifier: '../tasks/index.js' })).toBeNull();
  });

  it('finds the imports of the sources (a known one among them)', () => {
    const edges = crossLayerImports();
    expect(edges.some((e) => e.file === 'src/harness/experiment.ts' && e.to === 'tasks')).toBe(true);
  });

  it('no import crosses the layers, apart from the arrows still pending', () => {
    const broken = crossLayerImports()
      .filter((e) => violation(e) !== null && !pending(e))
      .map((e) => `${e.file}: ${violation(e)} ('${e.specifier}')`);
    expect(broken).toEqual([]);
  });

  it('every pending arrow still exists (remove it from the list once it is gone)', () => {
    const edges = crossLayerImports();
    const gone = PENDING.filter((p) => !edges.some((e) => e.from === p.from && e.to === p.to));
    expect(gone).toEqual([]);
  });

  it('the benchmarks and what they share with the tests (support/) never import the tests', () => {
    const imports = relativeImports(['benchmarks', 'support']);
    expect(imports.some((i) => i.file === 'benchmarks/reliability.ts' && i.target === 'support/kill.js')).toBe(true);
    expect(imports.filter((i) => i.target.startsWith('test/')).map((i) => `${i.file} imports ${i.target}`)).toEqual([]);
  });

  it(`every command file under src/cli/commands is at most ${MAX_COMMAND_LINES} lines`, () => {
    expect(lineCount('a\n\n// why\n')).toBe(3);
    expect(lineCount('a\nb')).toBe(2);
    const dir = join(ROOT, 'src', 'cli', 'commands');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    // Topics' commands (data fetch, plugin check) are counted too.
    expect(files).toEqual(expect.arrayContaining(['run.ts', join('data', 'fetch.ts'), join('plugin', 'check.ts')]));
    const long = files
      .map((f) => ({ f, lines: lineCount(readFileSync(join(dir, f), 'utf8')) }))
      .filter(({ lines }) => lines > MAX_COMMAND_LINES)
      .map(({ f, lines }) => `src/cli/commands/${f}: ${lines} lines`);
    expect(long).toEqual([]);
  });
});
