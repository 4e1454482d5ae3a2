import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/api/index.js';
import { extractTarGz } from '../../src/data/tar-gz.js';
import { extractZip } from '../../src/data/zip.js';
import { deflatedZeros, filesUnder, tarGz, tempDir, writeFile, zip, zipOf } from './fixtures.js';

const big = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 31) & 0xff));
/** Incompressible bytes: a gzip cut in the middle of them is cut in the middle of the member. */
const noise = (n: number) => {
  const rng = Rng.seeded(5);
  return Buffer.from(Array.from({ length: n }, () => rng.int(256)));
};
const MB = 1 << 20;
/** Extraction targets with a generous cap. */
const to = (entries: readonly [string, string][], maxBytes = 10 * MB) => new Map(entries.map(([member, dest]) => [member, { dest, maxBytes }]));

describe('archives', () => {
  it('extracts only the wanted members of a .tar.gz, streaming', async () => {
    const dir = tempDir();
    const archive = writeFile(join(dir, 'a.tar.gz'), tarGz({ 'data/readme.txt': 'hello', 'data/big.bin': big, 'data/empty.bin': '', './data/last.txt': 'last' }));
    const out = tempDir();
    const wanted = to([
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
    await expect(extractTarGz(cutTar, to([['x.bin', join(dir, 'x')]]))).rejects.toThrow(
      `${cutTar}: the archive ends early, at byte offset 20,000 of its tar stream, inside x.bin`,
    );
    const cutGzip = writeFile(join(dir, 'cut-gzip.tar.gz'), tarGz({ 'x.bin': big }).subarray(0, 500));
    await expect(extractTarGz(cutGzip, new Map())).rejects.toThrow(`${cutGzip}: corrupt archive (unexpected end of file)`);
    const badHeader = Buffer.from(tar);
    badHeader[3] = 0x41;
    const corrupt = writeFile(join(dir, 'corrupt.tar.gz'), gzipSync(badHeader));
    await expect(extractTarGz(corrupt, new Map())).rejects.toThrow(`${corrupt}: corrupt tar header at byte offset 0 of its tar stream`);
  });

  it('.tar.gz: a member larger than expected is refused before a byte of it is written', async () => {
    const dir = tempDir();
    const archive = writeFile(join(dir, 'a.tar.gz'), tarGz({ 'x.bin': big }));
    await expect(extractTarGz(archive, to([['x.bin', join(dir, 'x')]], 1_000))).rejects.toThrow(
      new RegExp(`^${archive}: x\\.bin is 70,000 bytes, expected at most 1,000$`),
    );
    expect(existsSync(join(dir, 'x'))).toBe(false);
  });

  it('.tar.gz: a gzip stream that ends inside a wanted member is one clear error, and no partial file is left', async () => {
    const dir = tempDir();
    const whole = tarGz({ 'a.bin': 'first', 'x.bin': noise(600_000) });
    const archive = writeFile(join(dir, 'cut.tar.gz'), whole.subarray(0, 300_000));
    const dest = join(dir, 'x');
    const error = await extractTarGz(archive, to([['a.bin', join(dir, 'a')], ['x.bin', dest]])).catch((err: Error) => err);
    expect(String(error)).toMatch(new RegExp(`^UserError: ${archive}: corrupt archive \\(unexpected end of file\\), inside x\\.bin$`));
    expect(existsSync(dest)).toBe(false);
    expect(existsSync(join(dir, 'a'))).toBe(false);
  });

  it('a missing archive file, or a destination that cannot be written, is one clear error', async () => {
    const dir = tempDir();
    const absent = join(dir, 'absent.tar.gz');
    await expect(extractTarGz(absent, to([['x.bin', join(dir, 'x')]]))).rejects.toThrow(new RegExp(`^${absent}: cannot read the archive: .*ENOENT`));
    await expect(extractZip(join(dir, 'absent.zip'), to([['x', join(dir, 'x')]]))).rejects.toThrow(new RegExp(`^${join(dir, 'absent.zip')}: cannot read the archive: .*ENOENT`));
    const archive = writeFile(join(dir, 'a.tar.gz'), tarGz({ 'x.bin': big }));
    const nowhere = join(dir, 'no-such-dir', 'x');
    await expect(extractTarGz(archive, to([['x.bin', nowhere]]))).rejects.toThrow(new RegExp(`^${archive}: cannot write x\\.bin to ${nowhere}: .*ENOENT`));
  });

  it('extracts the wanted members of a zip and checks their CRC-32', async () => {
    const dir = tempDir();
    const archive = writeFile(join(dir, 'a.zip'), zip({ 'w/wiki.train.tokens': big, 'w/wiki.valid.tokens': 'valid\n' }));
    const found = await extractZip(archive, to([['w/wiki.valid.tokens', join(dir, 'valid.txt')]]));
    expect([...found]).toEqual(['w/wiki.valid.tokens']);
    expect(readFileSync(join(dir, 'valid.txt'), 'utf8')).toBe('valid\n');
    const damaged = zip({ 'w/x': 'some text that deflates, some text that deflates' });
    damaged[40] = damaged[40]! ^ 0xff;
    const bad = writeFile(join(dir, 'bad.zip'), damaged);
    await expect(extractZip(bad, to([['w/x', join(dir, 'x')]]))).rejects.toThrow(`${bad}: w/x is corrupt`);
    expect(existsSync(join(dir, 'x'))).toBe(false);
    const notZip = writeFile(join(dir, 'not.zip'), 'just text, long enough to look for a directory record in it');
    await expect(extractZip(notZip, new Map())).rejects.toThrow(`${notZip}: not a zip archive`);
  });

  it('a zip bomb (256 MB of zeros in a 256 kB zip) hits the member’s bound with a clear error, streaming, and nothing large is written', async () => {
    const dir = tempDir();
    const size = 256 * MB;
    const packed = await deflatedZeros(size);
    expect(packed.length).toBeLessThan(MB);
    const rssBefore = process.memoryUsage().rss;
    // The directory says what the member inflates to: refused before inflating anything.
    const honest = writeFile(join(dir, 'honest.zip'), zipOf([{ name: 'w/bomb', packed, size, crc: 0 }]));
    await expect(extractZip(honest, to([['w/bomb', join(dir, 'honest')]], MB))).rejects.toThrow(
      new RegExp(`^${honest}: w/bomb is 268,435,456 bytes once inflated, expected at most 1,048,576$`),
    );
    expect(existsSync(join(dir, 'honest'))).toBe(false);
    // The directory lies (1,000 bytes): inflating stops at the declared size.
    const lying = writeFile(join(dir, 'lying.zip'), zipOf([{ name: 'w/bomb', packed, size: 1_000, crc: crc32(Buffer.alloc(1_000)) }]));
    await expect(extractZip(lying, to([['w/bomb', join(dir, 'lying')]], MB))).rejects.toThrow(
      new RegExp(`^${lying}: w/bomb is corrupt \\(it inflates to more than the 1,000 bytes the archive declares\\)$`),
    );
    expect(existsSync(join(dir, 'lying'))).toBe(false);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(128 * MB);
  }, 60_000);
});
