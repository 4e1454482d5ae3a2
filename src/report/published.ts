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

const NASWOT =
  'J. Mellor, J. Turner, A. Storkey, E. J. Crowley. Neural Architecture Search without Training. ICML 2021 (arXiv:2006.04647)';
// The paper's protocol: N random cells (with replacement) scored untrained by NASWOT on one
// CIFAR-10 minibatch of 128 real images, the best-scoring one reported; mean ± std over runs.
const NASWOT_PROTOCOL = 'N random cells scored without training on one minibatch of 128 real CIFAR-10 images, best score reported';

export const PUBLISHED: readonly PublishedResult[] = [
  { benchmark: 'CIFAR-10', method: 'NAONet', metric: 'test error', value: 2.11, digits: 2, unit: '%', note: 'with cutout', source: NAO },
  { benchmark: 'CIFAR-10', method: 'NAONet-WS', metric: 'test error', value: 3.53, digits: 2, unit: '%', note: 'weight sharing', source: NAO },
  { benchmark: 'PTB', method: 'NAONet', metric: 'test perplexity', value: 56.0, digits: 1, unit: '', note: '', source: NAO },
  { benchmark: 'PTB', method: 'NAONet-WS', metric: 'test perplexity', value: 56.6, digits: 1, unit: '', note: 'weight sharing', source: NAO },
  { benchmark: 'NAS-Bench-201 CIFAR-10', method: 'NASWOT (N = 10)', metric: 'test accuracy', value: 92.44, digits: 2, unit: '%', note: `± 1.13; ${NASWOT_PROTOCOL}`, source: NASWOT },
  { benchmark: 'NAS-Bench-201 CIFAR-10', method: 'NASWOT (N = 100)', metric: 'test accuracy', value: 92.81, digits: 2, unit: '%', note: `± 0.99; ${NASWOT_PROTOCOL}`, source: NASWOT },
];
