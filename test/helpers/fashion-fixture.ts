import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../../src/api/index.js';
import { FASHION_MNIST_DIR, FASHION_MNIST_FILES } from '../../src/data/fashion-mnist.js';
import { gzip, idxFile, tempDir, writeFile } from '../data/fixtures.js';

/** A data directory with Fashion-MNIST files (IDX, gzipped) whose label is which half of the image is bright. */
export function writeFashionFixture(train: number, test: number): string {
  const root = tempDir('nasbench-fm-');
  const dir = join(root, FASHION_MNIST_DIR);
  mkdirSync(dir, { recursive: true });
  const rng = Rng.seeded(1);
  const write = (count: number, images: string, labels: string) => {
    const pixels = new Uint8Array(count * 784);
    const classes = new Uint8Array(count);
    for (let i = 0; i < count; i++) {
      classes[i] = rng.int(2);
      for (let p = 0; p < 784; p++) pixels[i * 784 + p] = ((p % 28 < 14) === (classes[i] === 0) ? 170 : 40) + rng.int(60);
    }
    writeFile(join(dir, images), gzip(idxFile(0x803, [count, 28, 28], pixels)));
    writeFile(join(dir, labels), gzip(idxFile(0x801, [count], classes)));
  };
  write(train, FASHION_MNIST_FILES.trainImages, FASHION_MNIST_FILES.trainLabels);
  write(test, FASHION_MNIST_FILES.testImages, FASHION_MNIST_FILES.testLabels);
  return root;
}
