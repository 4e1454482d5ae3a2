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
  'J. Mellor, J. Turner, A. Storkey, E. J. Crowley. Neural Architecture Search without Training. ICML 2021 (arXiv:2006.04647), Table 2(a)';
// The paper's protocol (its Algorithm 1; search.py of github.com/BayesWatch/nas-without-training:
// --n_runs 500, --batch_size 128, np.random.randint draws, so with replacement): N random cells
// scored untrained on one minibatch of 128 CIFAR-10 training images, BN in training mode, the
// best-scoring one reported by its 200-epoch CIFAR-10 test accuracy ('ori-test'); mean ± std over
// 500 runs.
const NASWOT_PROTOCOL = 'N random cells scored without training on one minibatch of 128 real CIFAR-10 images, best score reported; 500 runs';
// AREA (the paper's §4.1 and Algorithm 2): M = 20 random cells scored, the P = 10 best seed
// regularised evolution, which then searches on CIFAR-10 within NAS-Bench-201's simulated 12,000 s
// of training; 50 runs. The paper refers to NAS-Bench-201 for REA's settings and does not restate
// the tournament size (NAS-Bench-201's R-EA uses S = 3). It gives only the chosen cell's
// validation accuracy for AREA (its test columns are "–").
const AREA_PROTOCOL =
  'M = 20 random cells scored without training, the best P = 10 seed regularised evolution, searched on CIFAR-10 within 12,000 s of simulated training; 50 runs; no test accuracy given';

export const PUBLISHED: readonly PublishedResult[] = [
  { benchmark: 'CIFAR-10', method: 'NAONet', metric: 'test error', value: 2.11, digits: 2, unit: '%', note: 'with cutout', source: NAO },
  { benchmark: 'CIFAR-10', method: 'NAONet-WS', metric: 'test error', value: 3.53, digits: 2, unit: '%', note: 'weight sharing', source: NAO },
  { benchmark: 'PTB', method: 'NAONet', metric: 'test perplexity', value: 56.0, digits: 1, unit: '', note: '', source: NAO },
  { benchmark: 'PTB', method: 'NAONet-WS', metric: 'test perplexity', value: 56.6, digits: 1, unit: '', note: 'weight sharing', source: NAO },
  { benchmark: 'NAS-Bench-201 CIFAR-10', method: 'NASWOT (N = 10)', metric: 'test accuracy', value: 92.44, digits: 2, unit: '%', note: `± 1.13; ${NASWOT_PROTOCOL}`, source: NASWOT },
  { benchmark: 'NAS-Bench-201 CIFAR-10', method: 'NASWOT (N = 100)', metric: 'test accuracy', value: 92.81, digits: 2, unit: '%', note: `± 0.99; ${NASWOT_PROTOCOL}`, source: NASWOT },
  { benchmark: 'NAS-Bench-201 CIFAR-10', method: 'NASWOT (N = 1000)', metric: 'test accuracy', value: 92.96, digits: 2, unit: '%', note: `± 0.81; ${NASWOT_PROTOCOL}`, source: NASWOT },
  { benchmark: 'NAS-Bench-201 CIFAR-10', method: 'AREA', metric: 'validation accuracy', value: 91.2, digits: 2, unit: '%', note: `± 0.27; ${AREA_PROTOCOL}`, source: NASWOT },
  { benchmark: 'NAS-Bench-201 CIFAR-100', method: 'AREA', metric: 'validation accuracy', value: 71.95, digits: 2, unit: '%', note: `± 0.99; the cell found on CIFAR-10; ${AREA_PROTOCOL}`, source: NASWOT },
  { benchmark: 'NAS-Bench-201 ImageNet16-120', method: 'AREA', metric: 'validation accuracy', value: 45.7, digits: 2, unit: '%', note: `± 1.05; the cell found on CIFAR-10; ${AREA_PROTOCOL}`, source: NASWOT },
];
