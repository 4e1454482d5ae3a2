/**
 * The package route, end to end: nasbench packed with `npm pack` and installed from that tarball
 * into a throwaway global prefix (`npm install -g --prefix`), a plugin package
 * `nasbench-method-greedy` (written here, importing `nasbench/api`, with nasbench as an optional
 * peer) packed and installed beside it; the installed `nasbench`, started in an empty directory,
 * lists the plugin and runs it on a NAS-Bench-201 table task. Needs the npm registry for
 * nasbench's dependencies (the npm cache serves what it holds); skipped, saying why, without it.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../support/cli.js';
import { writeNb201Fixture } from '../helpers/nb201-fixture.js';

const QUIET = ['--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];

function npm(args: readonly string[], cwd: string, timeout = 240_000) {
  const r = spawnSync('npm', args, { cwd, encoding: 'utf8', timeout, env: { ...process.env, npm_config_update_notifier: 'false' } });
  return { status: r.status, stdout: r.stdout ?? '', stderr: `${r.stderr ?? ''}${r.error ? r.error.message : ''}` };
}

function registryProblem(): string | null {
  const ping = npm(['ping'], tmpdir(), 30_000);
  return ping.status === 0 ? null : `the npm registry is not reachable (npm ping: ${ping.stderr.trim().split('\n')[0]}); skipped`;
}
const UNREACHABLE = registryProblem();

const PLUGIN = `import { definePlugin } from 'nasbench/api';

// Samples cells it has not proposed before.
export default definePlugin({
  name: 'greedy',
  description: 'Random cells, never one twice',
  spaces: 'any',
  params: { tries: { type: 'int', default: 50, min: 1, doc: 'Samples drawn to find an unseen cell' } },
  create(ctx) {
    const seen = new Set();
    return {
      propose(max) {
        const out = [];
        for (let i = 0; i < ctx.params.tries * max && out.length < max; i++) {
          const arch = ctx.space.sample(ctx.rng);
          const key = ctx.space.format(arch);
          if (!seen.has(key)) { seen.add(key); out.push(arch); }
        }
        return out;
      },
      observe() {},
      snapshot: () => ({ seen: [...seen] }),
      restore(s) { for (const k of s.seen) seen.add(k); },
    };
  },
});
`;

describe('installed from a packed tarball, with a plugin package beside it', () => {
  it.skipIf(UNREACHABLE !== null)(`npm pack → npm install -g → nasbench methods lists the plugin and nasbench run runs it${UNREACHABLE ? ` (${UNREACHABLE})` : ''}`, () => {
    const started = Date.now();
    const work = mkdtempSync(join(tmpdir(), 'nasbench-package-'));
    const prefix = join(work, 'prefix');

    // The build is npm test's (prepare would compile it again).
    const packed = npm(['pack', '--ignore-scripts', '--json', '--pack-destination', work], ROOT);
    expect(packed.status, packed.stderr).toBe(0);
    const [manifest] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    const files = manifest!.files.map((f) => f.path);
    for (const shipped of ['bin/run.js', 'dist/src/api/index.js', 'dist/src/api/index.d.ts', 'dist/src/cli/commands/run.js', 'dist/methods/random/index.js']) expect(files).toContain(shipped);
    expect(files.some((f) => f.startsWith('test/') || f.startsWith('node_modules/'))).toBe(false);

    // Install scripts are skipped: the one that matters, better-sqlite3's, compiles its addon from
    // source where no prebuilt binary can be downloaded, which takes minutes and is not what this
    // test is about; the addon this checkout built (same version, same Node) is copied in instead.
    const install = npm(['install', '-g', '--prefix', prefix, '--ignore-scripts', ...QUIET, join(work, manifest!.filename)], work);
    expect(install.status, install.stderr).toBe(0);
    const installed = join(prefix, 'lib', 'node_modules', 'nasbench');
    const addon = join('node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
    mkdirSync(join(installed, addon, '..'), { recursive: true });
    copyFileSync(join(ROOT, addon), join(installed, addon));

    const plugin = join(work, 'nasbench-method-greedy');
    mkdirSync(plugin);
    writeFileSync(
      join(plugin, 'package.json'),
      JSON.stringify({ name: 'nasbench-method-greedy', version: '1.0.0', type: 'module', main: 'index.js', peerDependencies: { nasbench: '*' }, peerDependenciesMeta: { nasbench: { optional: true } } }, null, 2),
    );
    writeFileSync(join(plugin, 'index.js'), PLUGIN);
    const pluginPacked = npm(['pack', '--json', '--pack-destination', work], plugin);
    expect(pluginPacked.status, pluginPacked.stderr).toBe(0);
    const pluginInstall = npm(['install', '-g', '--prefix', prefix, ...QUIET, join(work, (JSON.parse(pluginPacked.stdout) as { filename: string }[])[0]!.filename)], work);
    expect(pluginInstall.status, pluginInstall.stderr).toBe(0);
    expect(existsSync(join(prefix, 'lib', 'node_modules', 'nasbench-method-greedy', 'index.js'))).toBe(true);

    // The installed binary, from an empty directory: nothing of this checkout is on its way.
    const bin = join(prefix, 'bin', 'nasbench');
    const empty = mkdtempSync(join(tmpdir(), 'nasbench-empty-'));
    const nasbench = (args: readonly string[]) => {
      const r = spawnSync(process.execPath, [bin, ...args], { cwd: empty, encoding: 'utf8', timeout: 120_000, env: { ...process.env, NASBENCH_DATA_DIR: '', NASBENCH_DB: '' } });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    };
    const methods = nasbench(['methods', '--json']);
    expect(methods.status, methods.stderr).toBe(0);
    const listing = JSON.parse(methods.stdout) as { name: string; source: string; params: { name: string; default: unknown }[] }[];
    const greedy = listing.find((m) => m.name === 'greedy');
    expect(greedy).toMatchObject({ source: 'npm:nasbench-method-greedy', params: [{ name: 'tries', default: 50 }] });
    expect(listing.map((m) => m.name)).toContain('evolution');

    const db = join(work, 'runs.db');
    const run = nasbench(['run', 'greedy', '--task', 'nb201-cifar10', '--budget', '12', '--seeds', '2', '--db', db, '--data-dir', writeNb201Fixture(), '--json']);
    expect(run.status, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as { runs: { result: { status: string } }[]; leaderboard: { method: string; evaluationsUsed: number }[] };
    expect(out.runs.map((r) => r.result.status)).toEqual(['completed', 'completed']);
    expect(out.leaderboard[0]).toMatchObject({ method: 'greedy', evaluationsUsed: 24 });
    const version = nasbench(['--version']);
    expect(version.stdout).toMatch(/^nasbench\/0\.\d+\.\d+/);
    console.info(`package route: packed, installed and ran in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }, 600_000);
});
