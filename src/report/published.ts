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
  /**
   * Whether the value was checked against a primary source one can open (repository and file), or
   * why not: printed beside the row, so that a reader knows a typed number from a checked one.
   */
  readonly checked: string;
  /** The nasbench tasks whose results it is comparable with; `--published` shows it only on those. */
  readonly tasks: readonly string[];
}

const NAO =
  'R. Luo, F. Tian, T. Qin, E. Chen, T.-Y. Liu. Neural Architecture Optimization. NeurIPS 2018 (arXiv:1808.07233)';

const NASWOT =
  'J. Mellor, J. Turner, A. Storkey, E. J. Crowley. Neural Architecture Search without Training. ICML 2021 (arXiv:2006.04647), Table 2(a)';
// The paper's protocol (its Algorithm 1), checked in BayesWatch/nas-without-training search.py
// (master): --n_runs 500, --batch_size 128, np.random.randint draws (with replacement): N random
// cells scored untrained on one minibatch of 128 CIFAR-10 training images, BN in training mode,
// the best-scoring one reported by its 200-epoch CIFAR-10 test accuracy ('ori-test'); mean ± std
// over 500 runs.
const NASWOT_PROTOCOL =
  'N random cells scored without training on one minibatch of 128 real CIFAR-10 images, best score reported; 500 runs (BayesWatch/nas-without-training search.py: --n_runs 500, --batch_size 128)';
// AREA (the paper's §4.1 and Algorithm 2): M = 20 random cells scored, the P = 10 best seed
// regularised evolution, which then searches on CIFAR-10 within NAS-Bench-201's simulated 12,000 s
// of training; 50 runs. The paper refers to NAS-Bench-201 for REA's settings and does not restate
// the tournament size (NAS-Bench-201's R-EA uses S = 3). It gives only the chosen cell's
// validation accuracy for AREA (its test columns are "–").
const AREA_PROTOCOL =
  'M = 20 random cells scored without training, the best P = 10 seed regularised evolution, searched on CIFAR-10 within 12,000 s of simulated training; 50 runs; no test accuracy given';

const NB201 =
  'X. Dong, Y. Yang. NAS-Bench-201: Extending the Scope of Reproducible Neural Architecture Search. ICLR 2020 (arXiv:2001.00326), Table 5';
// The benchmark paper's protocol: each search sees the 12-epoch validation accuracy and stops at a
// simulated 12,000 s of training (the time of its lookups, not a fixed count), reported by the
// 200-epoch test accuracy of its best cell; mean ± std over 500 runs. Checked in the authors'
// code, D-X-Y/AutoDL-Projects: scripts-search/NAS-Bench-201-algos/R-EA.sh, REINFORCE.sh and
// Random.sh pass --time_budget 12000 (R-EA also --ea_population 10, and sample size 3 in
// docs/NAS-Bench-201.md), and exps/NAS-Bench-201-algos/R_EA.py and RANDOM.py run 500 searches
// with random seeds when --rand_seed < 0. nasbench's runs have a fixed budget of evaluations
// instead, so the numbers are close in protocol, not identical.
const NB201_PROTOCOL =
  'searched on the 12-epoch validation accuracy within 12,000 s of simulated training (not a fixed number of lookups); 500 runs (D-X-Y/AutoDL-Projects scripts-search/NAS-Bench-201-algos/{R-EA,REINFORCE,Random}.sh: --time_budget 12000; exps/NAS-Bench-201-algos/R_EA.py: 500 runs)';

// The values themselves. None of the sources that can be opened states them: the papers' tables
// are PDFs, and D-X-Y/NAS-Bench-201 (README.md), D-X-Y/NATS-Bench (README.md),
// D-X-Y/AutoDL-Projects (docs/NAS-Bench-201.md, docs/NATS-Bench.md, every README) and
// BayesWatch/nas-without-training (README.md at v1.0, v2.0 and master; its v1.0 table is the first
// version's own protocol, other numbers) print no table of these results. They were typed from the
// papers and are printed as not verified until someone checks them against the PDFs.
const UNVERIFIED_NB201 =
  'value not verified: typed from the paper\'s Table 5; no repository file states it (D-X-Y/NAS-Bench-201 README.md, D-X-Y/NATS-Bench README.md, D-X-Y/AutoDL-Projects docs/NAS-Bench-201.md checked)';
const UNVERIFIED_NASWOT =
  'value not verified: typed from the paper\'s Table 2(a); no repository file states it (BayesWatch/nas-without-training README.md at v1.0, v2.0 and master checked)';
const UNVERIFIED_NAO = 'value not verified here: typed from the paper (renqianluo/NAO and renqianluo/NAO_pytorch README.md give their released checkpoints\' errors, not the paper\'s table)';

const nb201Row = (task: string, benchmark: string, method: string, value: number, std: number, note = ''): PublishedResult => ({
  benchmark,
  method,
  metric: 'test accuracy',
  value,
  digits: 2,
  unit: '%',
  note: `± ${std.toFixed(2)}; ${note}${NB201_PROTOCOL}`,
  source: NB201,
  checked: UNVERIFIED_NB201,
  tasks: [task],
});

export const PUBLISHED: readonly PublishedResult[] = [
  nb201Row('nb201-cifar10', 'NAS-Bench-201 CIFAR-10', 'REA', 93.92, 0.3),
  nb201Row('nb201-cifar10', 'NAS-Bench-201 CIFAR-10', 'REINFORCE', 93.85, 0.37, 'the row to compare `enas` with on the tables (REINFORCE, no weight sharing); '),
  nb201Row('nb201-cifar10', 'NAS-Bench-201 CIFAR-10', 'RS', 93.7, 0.36),
  nb201Row('nb201-cifar100', 'NAS-Bench-201 CIFAR-100', 'REA', 71.84, 0.99),
  nb201Row('nb201-cifar100', 'NAS-Bench-201 CIFAR-100', 'REINFORCE', 71.71, 1.09),
  nb201Row('nb201-cifar100', 'NAS-Bench-201 CIFAR-100', 'RS', 71.04, 1.07),
  nb201Row('nb201-imagenet16', 'NAS-Bench-201 ImageNet16-120', 'REA', 45.54, 1.03),
  nb201Row('nb201-imagenet16', 'NAS-Bench-201 ImageNet16-120', 'REINFORCE', 45.24, 1.18),
  nb201Row('nb201-imagenet16', 'NAS-Bench-201 ImageNet16-120', 'RS', 44.57, 1.25),
  { benchmark: 'CIFAR-10', method: 'NAONet', metric: 'test error', value: 2.11, digits: 2, unit: '%', note: 'with cutout', source: NAO, checked: UNVERIFIED_NAO, tasks: ['cifar10'] },
  { benchmark: 'CIFAR-10', method: 'NAONet-WS', metric: 'test error', value: 3.53, digits: 2, unit: '%', note: 'weight sharing', source: NAO, checked: UNVERIFIED_NAO, tasks: ['cifar10'] },
  { benchmark: 'PTB', method: 'NAONet', metric: 'test perplexity', value: 56.0, digits: 1, unit: '', note: '', source: NAO, checked: UNVERIFIED_NAO, tasks: ['ptb'] },
  { benchmark: 'PTB', method: 'NAONet-WS', metric: 'test perplexity', value: 56.6, digits: 1, unit: '', note: 'weight sharing', source: NAO, checked: UNVERIFIED_NAO, tasks: ['ptb'] },
  { benchmark: 'NAS-Bench-201 CIFAR-10', method: 'NASWOT (N = 10)', metric: 'test accuracy', value: 92.44, digits: 2, unit: '%', note: `± 1.13; ${NASWOT_PROTOCOL}`, source: NASWOT, checked: UNVERIFIED_NASWOT, tasks: ['nb201-cifar10'] },
  { benchmark: 'NAS-Bench-201 CIFAR-10', method: 'NASWOT (N = 100)', metric: 'test accuracy', value: 92.81, digits: 2, unit: '%', note: `± 0.99; ${NASWOT_PROTOCOL}`, source: NASWOT, checked: UNVERIFIED_NASWOT, tasks: ['nb201-cifar10'] },
  { benchmark: 'NAS-Bench-201 CIFAR-10', method: 'NASWOT (N = 1000)', metric: 'test accuracy', value: 92.96, digits: 2, unit: '%', note: `± 0.81; ${NASWOT_PROTOCOL}`, source: NASWOT, checked: UNVERIFIED_NASWOT, tasks: ['nb201-cifar10'] },
  { benchmark: 'NAS-Bench-201 CIFAR-10', method: 'AREA', metric: 'validation accuracy', value: 91.2, digits: 2, unit: '%', note: `± 0.27; ${AREA_PROTOCOL}`, source: NASWOT, checked: UNVERIFIED_NASWOT, tasks: ['nb201-cifar10'] },
  { benchmark: 'NAS-Bench-201 CIFAR-100', method: 'AREA', metric: 'validation accuracy', value: 71.95, digits: 2, unit: '%', note: `± 0.99; the cell found on CIFAR-10; ${AREA_PROTOCOL}`, source: NASWOT, checked: UNVERIFIED_NASWOT, tasks: ['nb201-cifar100'] },
  { benchmark: 'NAS-Bench-201 ImageNet16-120', method: 'AREA', metric: 'validation accuracy', value: 45.7, digits: 2, unit: '%', note: `± 1.05; the cell found on CIFAR-10; ${AREA_PROTOCOL}`, source: NASWOT, checked: UNVERIFIED_NASWOT, tasks: ['nb201-imagenet16'] },
];

/** The published rows comparable with any of the report's tasks (none for a task nobody published on). */
export function publishedFor(tasks: readonly string[]): PublishedResult[] {
  return PUBLISHED.filter((p) => p.tasks.some((t) => tasks.includes(t)));
}
