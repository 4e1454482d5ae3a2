export type { ImageDataset, ImageSplit, TableFiles, TextCorpus } from './types.js';
export {
  CIFAR10_RECORD,
  CIFAR100_RECORD,
  loadCifar10,
  loadCifar100,
  readCifarBinary,
  type CifarRecordLayout,
} from './cifar.js';
export { IDX_UBYTE_IMAGES, IDX_UBYTE_LABELS, readIdxImages, readIdxLabels, readMaybeGzipped, type IdxImages } from './idx.js';
export { FASHION_MNIST_DEBIAN_DIR, loadFashionMnist, readIdxSplit } from './fashion-mnist.js';
export { EOS, UNK, loadPtb, loadWikitext2, loadWordCorpus, type CorpusFiles, type CorpusOptions } from './word-corpus.js';
export { decodeUtf8 } from './utf8.js';
export { concatSplits } from './image-split.js';
export {
  defineDataset,
  layoutOf,
  type ArchiveDownload,
  type DataFile,
  type Dataset,
  type DatasetDefinition,
  type DatasetKind,
  type DatasetStatus,
  type Download,
  type FileDownload,
} from './dataset.js';
export { DATASETS, cifar10, cifar100, datasetNames, fashionMnist, getDataset, layoutText, ptb, wikitext2 } from './registry.js';
export { importDataset, type ImportResult } from './import.js';
export { nasBench201 } from './nas-bench-201.js';
export { ensureDataset, fetchDataset, type DatasetLocation, type EnsureOptions, type FetchOptions } from './fetch.js';
export { DownloadError, download, type DownloadProgress } from './download.js';
export { verifyDataset, type DatasetVerification, type FileVerification } from './verify.js';
export { checkDatasetContent, type ContentCheck } from './content-check.js';
export { checkDataFile, type FileCheck } from './file-check.js';
export { terminalProgress, type ProgressReporter } from './progress-bar.js';
