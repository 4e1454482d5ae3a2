import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { extractTarGz } from '../../src/data/tar-gz.js';
import { extractZip } from '../../src/data/zip.js';
import { filesUnder, tarGz, tempDir, writeFile, zip } from './fixtures.js';

const big = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 31) & 0xff));

describe('archives', () => {
  it('extracts only the wanted members of a .tar.gz, streaming', async () => {
    const dir = tempDir();
    const archive = writeFile(join(dir, 'a.tar.gz'), tarGz({ 'data/readme.txt': 'hello', 'data/big.bin': big, 'data/empty.bin': '', './data/last.txt': 'last' }));
    const out = tempDir();
    const wanted = new Map([
      ['data/big.bin', join(out, 'big')],
      ['data/empty.bin', join(out, 'empty')],
      ['data/last.txt', join(out, 'last')],
      ['data/absent.bin', join(out, 'absent')],
    ]);
    const found = await extractTarGz(archive, wanted);
    expect([...found].sort()).toEqual(['data/big.bin', 'data/empty.bin', 'data/last.txt']);
    expect(readFileSync(join(out, 'big')).equals(big)).toBe(true);
    expect(readFileSync(join(out, 'empty'))).toHaveLength(0);
    expect(readFileSync(join(out, 'last'), 'utf8')).toBe('last');
    expect(filesUnder(out)).toEqual(['big', 'empty', 'last']);
  });

  it('rejects a truncated or corrupt .tar.gz', async () => {
    const dir = tempDir();
    const tar = gunzipSync(tarGz({ 'x.bin': big }));
    const cutTar = writeFile(join(dir, 'cut-tar.tar.gz'), gzipSync(tar.subarray(0, 20_000)));
    await expect(extractTarGz(cutTar, new Map([['x.bin', join(dir, 'x')]]))).rejects.toThrow(
      `${cutTar}: the archive ends early, at byte offset 20,000 of its tar stream, inside x.bin`,
    );
    const cutGzip = writeFile(join(dir, 'cut-gzip.tar.gz'), tarGz({ 'x.bin': big }).subarray(0, 500));
    await expect(extractTarGz(cutGzip, new Map())).rejects.toThrow(`${cutGzip}: corrupt archive (unexpected end of file)`);
    const badHeader = Buffer.from(tar);
    badHeader[3] = 0x41;
    const corrupt = writeFile(join(dir, 'corrupt.tar.gz'), gzipSync(badHeader));
    await expect(extractTarGz(corrupt, new Map())).rejects.toThrow(`${corrupt}: corrupt tar header at byte offset 0 of its tar stream`);
  });

  it('extracts the wanted members of a zip and checks their CRC-32', async () => {
    const dir = tempDir();
    const archive = writeFile(join(dir, 'a.zip'), zip({ 'w/wiki.train.tokens': big, 'w/wiki.valid.tokens': 'valid\n' }));
    const found = await extractZip(archive, new Map([['w/wiki.valid.tokens', join(dir, 'valid.txt')]]));
    expect([...found]).toEqual(['w/wiki.valid.tokens']);
    expect(readFileSync(join(dir, 'valid.txt'), 'utf8')).toBe('valid\n');
    const damaged = zip({ 'w/x': 'some text that deflates, some text that deflates' });
    damaged[40] = damaged[40]! ^ 0xff;
    const bad = writeFile(join(dir, 'bad.zip'), damaged);
    await expect(extractZip(bad, new Map([['w/x', join(dir, 'x')]]))).rejects.toThrow(`${bad}: w/x is corrupt`);
    const notZip = writeFile(join(dir, 'not.zip'), 'just text, long enough to look for a directory record in it');
    await expect(extractZip(notZip, new Map())).rejects.toThrow(`${notZip}: not a zip archive (no end-of-central-directory record)`);
  });
});
