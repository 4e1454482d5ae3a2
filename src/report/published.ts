/**
 * Published results shown by `nasbench report --published` as a reference block, always marked
 * "published, not measured". Add a row only with its source and only for numbers the source
 * states.
 */
export interface PublishedResult {
  readonly benchmark: string;
  readonly method: string;
  readonly metric: string;
  readonly value: number;
  /** Decimals the source gives. */
  readonly digits: number;
  readonly unit: string;
  /** What else the number depends on (augmentation, weight sharing…). */
  readonly note: string;
  readonly source: string;
}

const NAO =
  'R. Luo, F. Tian, T. Qin, E. Chen, T.-Y. Liu. Neural Architecture Optimization. NeurIPS 2018 (arXiv:1808.07233)';

export const PUBLISHED: readonly PublishedResult[] = [
  { benchmark: 'CIFAR-10', method: 'NAONet', metric: 'test error', value: 2.11, digits: 2, unit: '%', note: 'with cutout', source: NAO },
  { benchmark: 'CIFAR-10', method: 'NAONet-WS', metric: 'test error', value: 3.53, digits: 2, unit: '%', note: 'weight sharing', source: NAO },
  { benchmark: 'PTB', method: 'NAONet', metric: 'test perplexity', value: 56.0, digits: 1, unit: '', note: '', source: NAO },
  { benchmark: 'PTB', method: 'NAONet-WS', metric: 'test perplexity', value: 56.6, digits: 1, unit: '', note: 'weight sharing', source: NAO },
];
