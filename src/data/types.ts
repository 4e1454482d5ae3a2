/**
 * One split of an image data set. Pixels are uint8, image after image, each in HWC order
 * (row by row, and within a pixel its channels), so image i starts at i * height * width * channels.
 */
export interface ImageSplit {
  readonly images: Uint8Array;
  /** One class index per image, in [0, classes). */
  readonly labels: Uint8Array;
  readonly count: number;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

export interface ImageDataset {
  readonly name: string;
  readonly classes: number;
  readonly train: ImageSplit;
  readonly test: ImageSplit;
}

/**
 * A word-level corpus as token ids. Every line ends with `<eos>`; ids index `vocab`, which is
 * built from the training split in order of first appearance.
 */
export interface TextCorpus {
  readonly name: string;
  readonly vocab: readonly string[];
  readonly train: Int32Array;
  readonly valid: Int32Array;
  readonly test: Int32Array;
  /** The files the splits were read from, for messages. */
  readonly files?: { readonly train: string; readonly valid: string; readonly test: string };
}

/** A data set read by its own task (the NAS-Bench-201 tables): only where its files are. */
export interface TableFiles {
  readonly name: string;
  readonly dir: string;
}
