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

// The values themselves, against the text one could open (no PDF reader here: public text
// conversions of the papers, and their abstracts):
// - NASWOT's Table 2(a), in a public text conversion of the ICML 2021 paper as PMLR published it
//   (proceedings.mlr.press/v139/mellor21a/mellor21a.pdf): every NASWOT and AREA value below, and
//   AREA's figures in the validation columns (its test columns are "–"). The first arXiv version
//   had other numbers (BayesWatch/nas-without-training README.md at 6166ee7: N = 10 91.58 ± 1.70,
//   N = 100 91.24 ± 1.70), so these are the ICML version's.
// - NAS-Bench-201's Table 5 itself was not opened; the same table reproduces its REA, REINFORCE
//   and RS rows with these values ("Baselines are taken directly from Dong & Yang (2020)").
// - NAO's four values are in its NeurIPS 2018 abstract (papers.neurips.cc, paper
//   933670f1ac8ba969f32989c312faba75, Metadata.json); "with cutout" is not: the authors' final
//   training of NAONet (renqianluo/NAO, NAO/cnn/train_cifar10_final.sh) passes --cutout_size=16.
const CHECKED_NB201 =
  "checked second-hand: NASWOT's Table 2(a) (ICML 2021, PMLR v139) reproduces this row from Dong & Yang (2020) with the same value; NAS-Bench-201's own Table 5 was not opened";
const CHECKED_NASWOT =
  "checked against a text of the ICML 2021 paper as PMLR published it (proceedings.mlr.press/v139/mellor21a), Table 2(a); the first arXiv version gave other values (the authors' README at 6166ee7: N = 10 91.58, N = 100 91.24)";
const CHECKED_NAO =
  'checked against the NeurIPS 2018 abstract (papers.neurips.cc, 933670f1ac8ba969f32989c312faba75); the earlier arXiv abstract gave 2.07 % and 55.9';
const CUTOUT =
  "with cutout (the authors' final training, renqianluo/NAO NAO/cnn/train_cifar10_final.sh, passes --cutout_size=16; the abstract does not say)";

const nb201Row = (task: string, benchmark: string, method: string, value: number, std: number, note = ''): PublishedResult => ({
  benchmark,
  method,
  metric: 'test accuracy',
  value,
  digits: 2,
  unit: '%',
  note: `± ${std.toFixed(2)}; ${note}${NB201_PROTOCOL}`,
  source: NB201,
  checked: CHECKED_NB201,
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
  { benchmark: 'CIFAR-10', method: 'NAONet', metric: 'test error', value: 2.11, digits: 2, unit: '%', note: CUTOUT, source: NAO, checked: CHECKED_NAO, tasks: ['cifar10'] },
  { benchmark: 'CIFAR-10', method: 'NAONet-WS', metric: 'test error', value: 3.53, digits: 2, unit: '%', note: 'weight sharing', source: NAO, checked: CHECKED_NAO, tasks: ['cifar10'] },
  { benchmark: 'PTB', method: 'NAONet', metric: 'test perplexity', value: 56.0, digits: 1, unit: '', note: '', source: NAO, checked: CHECKED_NAO, tasks: ['ptb'] },
  { benchmark: 'PTB', method: 'NAONet-WS', metric: 'test perplexity', value: 56.6, digits: 1, unit: '', note: 'weight sharing', source: NAO, checked: CHECKED_NAO, tasks: ['ptb'] },
  { benchmark: 'NAS-Bench-201 CIFAR-10', method: 'NASWOT (N = 10)', metric: 'test accuracy', value: 92.44, digits: 2, unit: '%', note: `± 1.13; ${NASWOT_PROTOCOL}`, source: NASWOT, checked: CHECKED_NASWOT, tasks: ['nb201-cifar10'] },
  { benchmark: 'NAS-Bench-201 CIFAR-10', method: 'NASWOT (N = 100)', metric: 'test accuracy', value: 92.81, digits: 2, unit: '%', note: `± 0.99; ${NASWOT_PROTOCOL}`, source: NASWOT, checked: CHECKED_NASWOT, tasks: ['nb201-cifar10'] },
  { benchmark: 'NAS-Bench-201 CIFAR-10', method: 'NASWOT (N = 1000)', metric: 'test accuracy', value: 92.96, digits: 2, unit: '%', note: `± 0.81; ${NASWOT_PROTOCOL}`, source: NASWOT, checked: CHECKED_NASWOT, tasks: ['nb201-cifar10'] },
  { benchmark: 'NAS-Bench-201 CIFAR-10', method: 'AREA', metric: 'validation accuracy', value: 91.2, digits: 2, unit: '%', note: `± 0.27; ${AREA_PROTOCOL}`, source: NASWOT, checked: CHECKED_NASWOT, tasks: ['nb201-cifar10'] },
  { benchmark: 'NAS-Bench-201 CIFAR-100', method: 'AREA', metric: 'validation accuracy', value: 71.95, digits: 2, unit: '%', note: `± 0.99; the cell found on CIFAR-10; ${AREA_PROTOCOL}`, source: NASWOT, checked: CHECKED_NASWOT, tasks: ['nb201-cifar100'] },
  { benchmark: 'NAS-Bench-201 ImageNet16-120', method: 'AREA', metric: 'validation accuracy', value: 45.7, digits: 2, unit: '%', note: `± 1.05; the cell found on CIFAR-10; ${AREA_PROTOCOL}`, source: NASWOT, checked: CHECKED_NASWOT, tasks: ['nb201-imagenet16'] },
];

/** The published rows comparable with any of the report's tasks (none for a task nobody published on). */
export function publishedFor(tasks: readonly string[]): PublishedResult[] {
  return PUBLISHED.filter((p) => p.tasks.some((t) => tasks.includes(t)));
}
