import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CIFAR100_RECORD, CIFAR10_RECORD, loadCifar10, loadCifar100, readCifarBinary } from '../../src/data/index.js';
import type { ImageSplit } from '../../src/data/index.js';
import { cifarPixel, cifarRecords, tempDir, writeFile } from './fixtures.js';

/** The HWC pixel (h, w, c) of image i equals what the file held at channel plane c, row h, column w. */
function expectImagesFromPlanes(split: ImageSplit, firstRecord = 0): void {
  for (let i = 0; i < split.count; i++) {
    for (let h = 0; h < 32; h++) {
      for (let w = 0; w < 32; w++) {
        for (let c = 0; c < 3; c++) {
          const got = split.images[((i * 32 + h) * 32 + w) * 3 + c];
          if (got !== cifarPixel(firstRecord + i, c, h, w)) expect({ i, h, w, c, got }).toEqual({ i, h, w, c, got: cifarPixel(firstRecord + i, c, h, w) });
        }
      }
    }
  }
}

describe('CIFAR binary', () => {
  it('decodes CIFAR-10 records into HWC images with their labels, joining the five training batches in order', () => {
    const dir = tempDir();
    const perBatch = [2, 3, 1, 1, 2];
    const labels: number[] = [];
    let record = 0;
    perBatch.forEach((n, b) => {
      const batch = Array.from({ length: n }, (_, k) => [(record + k) % 10]);
      labels.push(...batch.map((l) => l[0] as number));
      writeFile(join(dir, `data_batch_${b + 1}.bin`), cifarRecords(batch, record));
      record += n;
    });
    writeFile(join(dir, 'test_batch.bin'), cifarRecords([[9], [0], [4]], 100));

    const data = loadCifar10(dir);
    expect(data).toMatchObject({ name: 'cifar10', classes: 10 });
    expect(data.train).toMatchObject({ count: 9, height: 32, width: 32, channels: 3 });
    expect(data.train.images).toHaveLength(9 * 32 * 32 * 3);
    expect([...data.train.labels]).toEqual(labels);
    expectImagesFromPlanes(data.train);
    expect([...data.test.labels]).toEqual([9, 0, 4]);
    expectImagesFromPlanes(data.test, 100);
    // One pixel spelled out: record 1, green plane, row 5, column 17.
    expect(data.train.images[((1 * 32 + 5) * 32 + 17) * 3 + 1]).toBe((37 + 101 + 35 + 51) & 0xff);
  });

  it('takes the fine label of CIFAR-100 records (coarse label first, fine label second)', () => {
    const dir = tempDir();
    writeFile(join(dir, 'train.bin'), cifarRecords([[19, 99], [0, 42], [7, 3]]));
    writeFile(join(dir, 'test.bin'), cifarRecords([[4, 55]], 50));
    const data = loadCifar100(dir);
    expect(data.classes).toBe(100);
    expect([...data.train.labels]).toEqual([99, 42, 3]);
    expectImagesFromPlanes(data.train);
    expect([...data.test.labels]).toEqual([55]);
    expectImagesFromPlanes(data.test, 50);
  });

  it('rejects a file whose last record is cut short, saying where', () => {
    const path = writeFile(join(tempDir(), 'data_batch_3.bin'), cifarRecords([[1], [2], [3]]).subarray(0, 3 * 3073 - 100));
    expect(() => readCifarBinary(path, CIFAR10_RECORD)).toThrow(
      `${path}: 9,119 bytes is not a whole number of 3,073-byte records (record 3 starts at byte offset 6,146 and is cut after 2,973 of its 3,073 bytes)`,
    );
    const cifar100 = writeFile(join(tempDir(), 'train.bin'), Buffer.alloc(3074 + 10));
    expect(() => readCifarBinary(cifar100, CIFAR100_RECORD)).toThrow(
      `${cifar100}: 3,084 bytes is not a whole number of 3,074-byte records (record 2 starts at byte offset 3,074 and is cut after 10 of its 3,074 bytes)`,
    );
  });

  it('rejects labels outside the classes, an empty file and a missing file', () => {
    const dir = tempDir();
    const badLabel = writeFile(join(dir, 'test_batch.bin'), cifarRecords([[1], [10]]));
    expect(() => readCifarBinary(badLabel, CIFAR10_RECORD)).toThrow(`${badLabel}: record 2 (byte offset 3,073): label 10 is out of range, expected 0–9`);
    const badFine = writeFile(join(dir, 'test.bin'), cifarRecords([[3, 100]]));
    expect(() => readCifarBinary(badFine, CIFAR100_RECORD)).toThrow(`${badFine}: record 1 (byte offset 1): fine label 100 is out of range, expected 0–99`);
    const empty = writeFile(join(dir, 'empty.bin'), '');
    expect(() => readCifarBinary(empty, CIFAR10_RECORD)).toThrow(`${empty}: empty file, expected 3,073-byte records`);
    expect(() => loadCifar10(dir)).toThrow(`${join(dir, 'data_batch_1.bin')}: file not found`);
  });
});
