/**
 * A plugin written in a directory of its own, far from nasbench (no node_modules, no
 * package.json): it imports `nasbench/api`, runs, is type-checked by `nasbench plugin check`,
 * and each way of breaking the plugin contract is one line that names what is wrong.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, nasbench } from '../../support/cli.js';
import { writeNb201Fixture } from '../helpers/nb201-fixture.js';

let data: string;
let dir: string;
const HEAD = `import { definePlugin } from 'nasbench/api';\n`;
const FIELDS = `name: 'p', description: 'd', spaces: 'any', params: {}`;

function plugin(file: string, source: string): string {
  const path = join(dir, file);
  writeFileSync(path, source);
  return path;
}

function searcher(body: string): string {
  return `${HEAD}export default definePlugin({ ${FIELDS}, create: (ctx) => { ${body} } });\n`;
}

const SAMPLE = `propose: () => [ctx.space.sample(ctx.rng)], observe() {}, restore() {}`;

beforeAll(() => {
  data = writeNb201Fixture();
  dir = mkdtempSync(join(tmpdir(), 'nasbench-plugin-anywhere-'));
});

function run(file: string, extra: string[] = []) {
  return nasbench(['run', file, '--task', 'nb201-cifar10', '--budget', '4', '--db', join(dir, 'runs.db'), '--data-dir', data, '--quiet', ...extra], {}, dir);
}

describe('a plugin outside the repository', () => {
  it('a .js file imports nasbench/api and runs', () => {
    const file = plugin('hill.js', searcher(`return { ${SAMPLE}, snapshot: () => null };`));
    const r = run(file);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/run \d+ \(p, nb201-cifar10, seed 0\): test accuracy/);
  });

  it('a .ts file with types and a sibling module imported as ./x.js runs', () => {
    mkdirSync(join(dir, 'lib'), { recursive: true });
    writeFileSync(join(dir, 'lib', 'first.ts'), 'export const first = <T>(xs: readonly T[]): T => xs[0] as T;\n');
    const file = plugin(
      'typed.ts',
      `import { definePlugin, type Json, type Observation } from 'nasbench/api';
import { first } from './lib/first.js';
interface State { seen: number }
export default definePlugin({ name: 'typed', description: 'd', spaces: ['nb201'], params: { k: { type: 'int', default: 2, min: 1, doc: 'k' } },
  create(ctx) {
    const state: State = { seen: ctx.params.k };
    return {
      propose: (max: number) => [first([ctx.space.sample(ctx.rng)])].slice(0, max),
      observe(results: readonly Observation[]) { state.seen += results.length; },
      snapshot: (): Json => ({ ...state }),
      restore(s: Json) { Object.assign(state, s as object); },
    };
  },
});
`,
    );
    const r = run(file);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/run \d+ \(typed, nb201-cifar10, seed 0\)/);
    const check = nasbench(['plugin', 'check', file], {}, dir);
    expect(check.status, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toMatch(/^types +ok +type-checks against nasbench\/api/m);
    expect(check.stdout).toMatch(/^contract +ok +12 evaluations .* resumes exactly/m);
  });
});

describe('plugin check', () => {
  it('catches a wrong default type in TypeScript, with its location', () => {
    const file = plugin(
      'wrong-default.ts',
      `${HEAD}export default definePlugin({ name: 'w', description: 'd', spaces: 'any',\n  params: { k: { type: 'int', default: 'three', doc: 'k' } },\n  create: (ctx) => ({ ${SAMPLE}, snapshot: () => null }) });\n`,
    );
    const r = nasbench(['plugin', 'check', file], {}, dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`^types +FAIL +${file.replace(/[.]/g, '\\.')}:3:\\d+: .*string.*number`, 'm'));
    // The loader checks it too, for a JavaScript plugin that has no types.
    expect(r.stdout).toMatch(/^exports +FAIL +.*params\.k\.default is a string; expected a finite number \(type 'int'\)/m);
  });

  it('finds a searcher that does not resume from its snapshot', () => {
    const file = plugin(
      'forgets.js',
      searcher(`let n = 0; return { propose: () => { const a = ctx.space.sample(ctx.rng); return n % 2 ? [a] : [ctx.space.mutate(a, ctx.rng)]; }, observe(r) { n += r.length; }, snapshot: () => null, restore() {} };`),
    );
    const r = nasbench(['plugin', 'check', file], {}, dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^contract +FAIL +p does not resume: restored from its snapshot it proposed/m);
  });

  it.each([
    // Drifts only in a configuration other than the default one.
    ['drifts', `(p) => (p.mode === 'big' ? { ...p, k: p.k + 1 } : p)`, /^contract +FAIL +p: effectiveParams\(\) changed its own result when applied to it again \(at mode=big\)/m],
    ['refuses its defaults', `() => { throw new Error('k=1 is not allowed'); }`, /^contract +FAIL +p: effectiveParams\(\) refuses its own defaults: --param \(p\): k=1 is not allowed/m],
    ['breaks', `(p) => p.missing.k`, /^contract +FAIL +p: effectiveParams\(\) fails on its own defaults: Cannot read properties of undefined/m],
  ])('finds effectiveParams that %s', (what, settle, message) => {
    const params = `params: { k: { type: 'int', default: 1, min: 0, doc: 'k' }, mode: { type: 'enum', default: 'small', choices: ['small', 'big'], doc: 'm' } }`;
    const file = plugin(
      `${what.replace(/ /g, '-')}.js`,
      `${HEAD}export default definePlugin({ name: 'p', description: 'd', spaces: 'any', ${params}, effectiveParams: ${settle}, create: (ctx) => ({ ${SAMPLE}, snapshot: () => null }) });\n`,
    );
    const r = nasbench(['plugin', 'check', file], {}, dir);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).toMatch(message);
  });

  it('prints the stack of what the plugin threw with --verbose', () => {
    const file = plugin('throws.js', searcher(`return { ${SAMPLE.replace('observe() {}', 'observe(r) { explode(r); }')}, snapshot: () => null };`) + 'function explode(r) { throw new Error(`boom after ${r.length}`); }\n');
    const r = nasbench(['plugin', 'check', file, '--verbose'], {}, dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^contract +FAIL +p\.observe failed: boom after 1$/m);
    expect(r.stderr).toMatch(/at explode \(file:\/\/.*throws\.js:3:/);
  });
});

describe('contract errors are one line that names the fault', () => {
  const cases: [string, string, RegExp][] = [
    ['named.js', `${HEAD}export const hill = definePlugin({ ${FIELDS}, create: () => ({}) });\n`, /the plugin is a named export \('hill'\); nasbench loads the default export/],
    ['no-params.js', `${HEAD}export default definePlugin({ name: 'p', description: 'd', spaces: 'any', create: () => ({}) });\n`, /the plugin has no params; expected params: an object of parameter specs/],
    ['syntax.js', `${HEAD}export default definePlugin({ name: 'p',\n  description: 'd' spaces: 'any' });\n`, /syntax\.js:3:20: SyntaxError: Unexpected identifier 'spaces'/],
    ['syntax.ts', `${HEAD}export default definePlugin({ name: 'p',\n  description: 'd' spaces: 'any' });\n`, /syntax\.ts:3:20: ',' expected/],
  ];
  for (const [name, source, message] of cases) {
    it(`${name}: exit code 2`, () => {
      const r = run(plugin(name, source));
      expect(r.status, r.stderr).toBe(2);
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(message);
    });
  }

  const failures: [string, string, RegExp][] = [
    ['string.js', `return { propose: () => [ctx.space.format(ctx.space.sample(ctx.rng))], observe() {}, restore() {}, snapshot: () => null };`, /p\.propose returned the string "\|.*" where an architecture belongs: make architectures with ctx\.space/],
    ['too-many.js', `return { propose: (max) => Array.from({ length: max + 1 }, () => ctx.space.sample(ctx.rng)), observe() {}, restore() {}, snapshot: () => null };`, /p\.propose\(4\) returned 5 architectures: expected at most max \(4\)/],
    ['set.js', `const seen = new Set(); return { ${SAMPLE}, snapshot: () => ({ seen }) };`, /p\.snapshot\(\) is not JSON: the snapshot\.seen is a Set, which JSON does not keep/],
  ];
  for (const [name, body, message] of failures) {
    it(`${name}: the run fails with that message`, () => {
      const r = run(plugin(name, searcher(body)));
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(message);
    });
  }

  it('observe throwing: the run fails with its message, and --verbose prints the stack', () => {
    const file = plugin('observe.js', searcher(`return { ${SAMPLE.replace('observe() {}', 'observe() { deep(); }')}, snapshot: () => null };`) + "function deep() { throw new Error('no more ideas'); }\n");
    const quiet = run(file);
    expect(quiet.stderr).toMatch(/failed: p\.observe failed: no more ideas/);
    expect(quiet.stderr).not.toMatch(/at deep/);
    const verbose = run(file, ['--verbose']);
    expect(verbose.stderr).toMatch(/at deep \(file:\/\/.*observe\.js:3:/);
  });
});

describe("docs/PLUGINS.md's worked example", () => {
  const file = join(ROOT, 'docs', 'examples', 'hill-climb.ts');

  it('is the file docs/examples/hill-climb.ts, word for word', () => {
    const docs = readFileSync(join(ROOT, 'docs', 'PLUGINS.md'), 'utf8');
    expect(docs).toContain('```ts\n' + readFileSync(file, 'utf8') + '```');
  });

  it('passes plugin check and never proposes a cell twice', () => {
    const r = nasbench(['plugin', 'check', file, '--budget', '60'], {}, dir);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^types +ok/m);
    expect(r.stdout).toMatch(/^contract +ok +60 evaluations on nb201-cifar10's space \(synthetic scores\), 60 distinct; snapshots are JSON; resumes exactly$/m);
  });
});
