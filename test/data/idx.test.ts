import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IDX_UBYTE_IMAGES, IDX_UBYTE_LABELS, loadFashionMnist, readIdxImages, readIdxLabels, readIdxSplit } from '../../src/data/index.js';
import { gzip, idxFile, tempDir, writeFile } from './fixtures.js';

const pixels = Uint8Array.from({ length: 3 * 4 * 5 }, (_, i) => (i * 13) & 0xff);
const images = idxFile(IDX_UBYTE_IMAGES, [3, 4, 5], pixels);
const labels = idxFile(IDX_UBYTE_LABELS, [3], Uint8Array.from([7, 0, 9]));

describe('IDX files', () => {
  it.each([
    ['plain', (b: Buffer) => b, ''],
    ['gzipped', gzip, '.gz'],
  ])('reads %s images and labels exactly', (_, encode, suffix) => {
    const dir = tempDir();
    const imagesPath = writeFile(join(dir, `images-idx3-ubyte${suffix}`), encode(images));
    const labelsPath = writeFile(join(dir, `labels-idx1-ubyte${suffix}`), encode(labels));
    const read = readIdxImages(imagesPath);
    expect({ count: read.count, height: read.height, width: read.width }).toEqual({ count: 3, height: 4, width: 5 });
    expect([...read.pixels]).toEqual([...pixels]);
    expect([...readIdxLabels(labelsPath, 10)]).toEqual([7, 0, 9]);
    const split = readIdxSplit(imagesPath, labelsPath, 10);
    expect(split).toMatchObject({ count: 3, height: 4, width: 5, channels: 1 });
    // Image 2, row 3, column 1 is byte 2*20 + 3*5 + 1 of the pixel data.
    expect(split.images[2 * 20 + 3 * 5 + 1]).toBe(((2 * 20 + 3 * 5 + 1) * 13) & 0xff);
  });

  it('recognises gzip by its magic bytes, not by the file name', () => {
    const path = writeFile(join(tempDir(), 'images-idx3-ubyte'), gzip(images));
    expect(readIdxImages(path).count).toBe(3);
  });

  it('rejects a wrong magic number', () => {
    const path = writeFile(join(tempDir(), 'train-images-idx3-ubyte.gz'), gzip(idxFile(0x00000804, [3, 4, 5], pixels)));
    expect(() => readIdxImages(path)).toThrow(`${path}: magic number 0x00000804 at byte 0, expected 0x00000803 (IDX unsigned-byte images)`);
    const labelsAsImages = writeFile(join(tempDir(), 'train-labels-idx1-ubyte'), labels);
    expect(() => readIdxImages(labelsAsImages)).toThrow(`${labelsAsImages}: magic number 0x00000801 at byte 0, expected 0x00000803 (IDX unsigned-byte images)`);
  });

  it('rejects a length that disagrees with the header', () => {
    const dir = tempDir();
    const short = writeFile(join(dir, 't10k-images-idx3-ubyte'), images.subarray(0, images.length - 7));
    expect(() => readIdxImages(short)).toThrow(`${short}: 69 bytes, expected 76 (16-byte header + 3 images of 4×5 bytes, as the header says)`);
    const long = writeFile(join(dir, 't10k-labels-idx1-ubyte.gz'), gzip(Buffer.concat([labels, Buffer.from([1])])));
    expect(() => readIdxLabels(long, 10)).toThrow(`${long}: 12 bytes after gunzip, expected 11 (8-byte header + 3 labels, as the header says)`);
    const header = writeFile(join(dir, 'cut-header'), images.subarray(0, 10));
    expect(() => readIdxImages(header)).toThrow(`${header}: 10 bytes is too short for an IDX header, expected at least 16 bytes (IDX unsigned-byte images)`);
  });

  it('rejects corrupt gzip data, labels out of range, and labels that do not match the images', () => {
    const dir = tempDir();
    const cut = writeFile(join(dir, 'images.gz'), gzip(images).subarray(0, 30));
    expect(() => readIdxImages(cut)).toThrow(`${cut}: corrupt gzip data (unexpected end of file)`);
    const bad = writeFile(join(dir, 'labels'), idxFile(IDX_UBYTE_LABELS, [3], Uint8Array.from([1, 2, 10])));
    expect(() => readIdxLabels(bad, 10)).toThrow(`${bad}: label 10 at byte offset 10 is out of range, expected 0–9`);
    const imagesPath = writeFile(join(dir, 'images'), images);
    const two = writeFile(join(dir, 'two-labels'), idxFile(IDX_UBYTE_LABELS, [2], Uint8Array.from([1, 2])));
    expect(() => readIdxSplit(imagesPath, two, 10)).toThrow(`${two}: 2 labels, but ${imagesPath} has 3 images`);
  });

  it('loads Fashion-MNIST from its four upstream file names, and names a missing one', () => {
    const dir = tempDir();
    writeFile(join(dir, 'train-images-idx3-ubyte.gz'), gzip(images));
    writeFile(join(dir, 'train-labels-idx1-ubyte.gz'), gzip(labels));
    writeFile(join(dir, 't10k-images-idx3-ubyte.gz'), gzip(idxFile(IDX_UBYTE_IMAGES, [1, 4, 5], pixels.subarray(0, 20))));
    expect(() => loadFashionMnist(dir)).toThrow(`${join(dir, 't10k-labels-idx1-ubyte.gz')}: file not found`);
    writeFile(join(dir, 't10k-labels-idx1-ubyte.gz'), gzip(idxFile(IDX_UBYTE_LABELS, [1], Uint8Array.from([5]))));
    const data = loadFashionMnist(dir);
    expect(data).toMatchObject({ name: 'fashion-mnist', classes: 10 });
    expect(data.train.count).toBe(3);
    expect([...data.test.labels]).toEqual([5]);
  });
});
