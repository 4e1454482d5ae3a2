/**
 * Fidelity of the zero-cost scores on NAS-Bench-201, in two steps.
 *
 *   node dist/benchmarks/zero-cost-nb201.js score [cells] [forward|reverse] [start]   # wasm, 1 thread; resumable
 *   (further processes may fill the same sample in the other direction or from another start:
 *   each skips the cells already in the file)
 *   node dist/benchmarks/zero-cost-nb201.js report          # writes results/zero-cost-nb201.{md,json}
 *
 * `score` draws a fixed random sample of distinct cells (seed 0) and scores each through the
 * tasks' own zero-cost evaluations (what ctx.zeroCost runs), appending one line per cell to
 * results/zero-cost-nb201-scores.jsonl with every score and its device time. CIFAR images are not
 * on this machine: NASWOT's minibatch is Gaussian noise (the tasks say so in each record). The
 * CIFAR-10 and CIFAR-100 networks differ only in the classifier, which comes after every ReLU, so
 * their NASWOT scores are equal with the same seed and noise: the CIFAR-100 one is computed (and
 * checked equal) for the first cells only. `report` needs NASBENCH_DATA_DIR for the tables.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { kendallTau, Rng, ZERO_COST_KINDS, type ZeroCostKind } from '../src/api/index.js';
import { NB201_OPS, nb201Space, type Nb201Arch } from '../src/spaces/nb201.js';
import { resolveDataDir } from '../src/data/data-dir.js';
import { getTask } from '../src/tasks/index.js';
import { loadNb201Table, NB201_DATASETS, type Nb201Dataset } from '../src/tasks/nb201-table.js';
import type { Evaluator } from '../src/tasks/types.js';
import { machine, markdownTable, RESULTS_DIR, writeResults } from './results.js';

const SCORES_FILE = join(RESULTS_DIR, 'zero-cost-nb201-scores.jsonl');
const INPUT_SEED = 1;
/** CIFAR-100's NASWOT is computed (and must equal CIFAR-10's) for this many cells. */
const CHECKED_CIFAR100 = 5;

interface CellScores {
  readonly arch: string;
  /** scores[dataset][kind] and seconds[dataset][kind]. */
  readonly scores: Record<string, Record<string, number | null>>;
  readonly seconds: Record<string, Record<string, number>>;
  readonly load: number;
}

function allCells(): string[] {
  return Array.from({ length: nb201Space.size }, (_, code) => nb201Space.format(nb201Space.fromTokens(Array.from({ length: 6 }, (_, e) => Math.floor(code / 5 ** (5 - e)) % 5))));
}

function sampleCells(count: number): string[] {
  return Rng.seeded(0).sample(allCells(), count);
}

/** The cells already in the scores file (read again before each cell: a second process may be filling it from the other end). */
function scoredCells(): Set<string> {
  return new Set(existsSync(SCORES_FILE) ? readLines<CellScores>(SCORES_FILE).map((c) => c.arch) : []);
}

async function score(count: number, reverse: boolean, start: number | undefined): Promise<void> {
  const dir = resolveDataDir(undefined);
  const evaluators = new Map<Nb201Dataset, Evaluator<Nb201Arch>>();
  for (const d of NB201_DATASETS) evaluators.set(d, await getTask(`nb201-${d}`).open(dir, { backend: 'wasm', threads: 1, fetch: false }));
  const sample = [...sampleCells(count).entries()];
  // From `start` (default: the sample's first cell, or its last in reverse) round the sample. Each
  // cell's seed is its place in the sample, so the order of scoring changes no score.
  const from = start ?? (reverse ? count - 1 : 0);
  const cells = Array.from({ length: count }, (_, i) => sample[(reverse ? from - i + count : from + i) % count]!);
  for (const [index, arch] of cells) {
    if (scoredCells().has(arch)) continue;
    const cell: CellScores = { arch, scores: {}, seconds: {}, load: loadavg()[0]! };
    for (const d of NB201_DATASETS) {
      cell.scores[d] = {};
      cell.seconds[d] = {};
      for (const kind of ZERO_COST_KINDS) {
        if (d === 'cifar100' && kind === 'naswot' && index >= CHECKED_CIFAR100) {
          cell.scores[d]![kind] = cell.scores.cifar10!.naswot!;
          continue;
        }
        const e = await evaluators.get(d)!.zeroCost!(nb201Space.parse(arch), kind, { seed: index, inputSeed: INPUT_SEED });
        cell.scores[d]![kind] = e.status === 'ok' ? (e.metrics[kind] as number) : null;
        cell.seconds[d]![kind] = e.deviceSeconds;
      }
    }
    if (index < CHECKED_CIFAR100 && cell.scores.cifar100!.naswot !== cell.scores.cifar10!.naswot) {
      throw new Error(`CIFAR-100 NASWOT ${cell.scores.cifar100!.naswot} differs from CIFAR-10 ${cell.scores.cifar10!.naswot} for ${arch}`);
    }
    appendFileSync(SCORES_FILE, JSON.stringify(cell) + '\n');
    console.log(`${index + 1}/${count} ${arch} naswot ${cell.scores.cifar10!.naswot?.toFixed(2)} (${cell.seconds.cifar10!.naswot!.toFixed(1)} s)`);
  }
}

function readLines<T>(file: string): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const std = (xs: readonly number[]) => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
};

/** The paper's protocol: N cells drawn at random (with replacement), the best-scoring one reported (earliest on a tie). */
function protocol(pool: readonly { score: number | null; acc: number }[], n: number, runs: number, seed: number): { mean: number; std: number } {
  const rng = Rng.seeded(seed);
  const chosen: number[] = [];
  for (let r = 0; r < runs; r++) {
    let best: { score: number; acc: number } | null = null;
    for (let i = 0; i < n; i++) {
      const c = pool[rng.int(pool.length)]!;
      const s = c.score ?? -Infinity;
      if (best === null || s > best.score) best = { score: s, acc: c.acc };
    }
    chosen.push(best!.acc);
  }
  return { mean: mean(chosen), std: std(chosen) };
}

/** Percentile bootstrap 95 % interval of Kendall's τ over resampled cells (1000 resamples, fixed seed). */
function bootstrapTau(pairs: readonly (readonly [number, number])[]): [number, number] {
  const rng = Rng.seeded(7);
  const taus: number[] = [];
  for (let b = 0; b < 1000; b++) {
    const drawn = Array.from({ length: pairs.length }, () => pairs[rng.int(pairs.length)]!);
    // A resample whose scores or accuracies are all tied has no τ: it counts as 0.
    taus.push(kendallTau(drawn.map((p) => p[0]), drawn.map((p) => p[1])) ?? 0);
  }
  taus.sort((a, b) => a - b);
  return [taus[24]!, taus[974]!];
}

const TITLES: Record<Nb201Dataset, string> = { cifar10: 'CIFAR-10', cifar100: 'CIFAR-100', imagenet16: 'ImageNet16-120' };
/**
 * NASWOT's τ as printed above Fig. 3 (a)–(c) of Mellor et al. 2021. The authors' code
 * (scorehook.sh → score_networks.py --trainval, then plot_scores.py) computes it with scipy's
 * kendalltau (τ-b) over up to 1000 random cells whose accuracy exceeds 15 %, against the 200-epoch
 * CIFAR-10 *validation* accuracy ('cifar10-valid', 'x-valid') and the 200-epoch CIFAR-100 and
 * ImageNet16-120 test accuracy ('x-test'), as nasspace.py's get_final_accuracy reads them.
 */
const PUBLISHED_TAU: Record<Nb201Dataset, number> = { cifar10: 0.574, cifar100: 0.611, imagenet16: 0.549 };
/** plot_scores.py drops cells whose accuracy is at most this (%), before computing τ. */
const PAPER_MIN_ACCURACY = 15;
const RUNS = 500;

function report(): void {
  const dir = resolveDataDir(undefined);
  // Two processes filling the file from both ends may both score the cell where they meet: keep the first.
  const unique = new Map<string, CellScores>();
  for (const c of readLines<CellScores>(SCORES_FILE)) if (!unique.has(c.arch)) unique.set(c.arch, c);
  const cells = [...unique.values()];
  const tables = Object.fromEntries(NB201_DATASETS.map((d) => [d, loadNb201Table(dir, d)])) as Record<Nb201Dataset, ReturnType<typeof loadNb201Table>>;
  const acc = (d: Nb201Dataset, arch: string) => tables[d].get(arch)!.test200;

  const tau: Record<string, Record<string, { tau: number | null; cells: number }>> = {};
  for (const d of NB201_DATASETS) {
    tau[d] = {};
    for (const kind of ZERO_COST_KINDS) {
      const scored = cells.filter((c) => c.scores[d]?.[kind] != null);
      tau[d]![kind] = { tau: kendallTau(scored.map((c) => c.scores[d]![kind]!), scored.map((c) => acc(d, c.arch))), cells: scored.length };
    }
  }

  // The shared table's naswot_score column: an input sanity check only (it is not the paper's NASWOT).
  // Its valid_top1 is the 200-epoch CIFAR-10 validation accuracy the paper's CIFAR-10 τ is against.
  const naswotFile = join(dir.path, 'nas-bench-201', 'nb201_naswot_cifar10_200ep.jsonl');
  let columnTau: number | null = null;
  let valid200: Map<string, number> | null = null;
  if (existsSync(naswotFile)) {
    const rows = readLines<{ arch_str: string; naswot_score: number | null; valid_top1: number }>(naswotFile);
    const column = new Map(rows.map((r) => [r.arch_str, r.naswot_score]));
    valid200 = new Map(rows.map((r) => [r.arch_str, r.valid_top1]));
    const both = cells.filter((c) => column.get(c.arch) != null && c.scores.cifar10?.naswot != null);
    columnTau = kendallTau(both.map((c) => c.scores.cifar10!.naswot!), both.map((c) => column.get(c.arch)!));
  }

  // NASWOT's τ as the paper computes it: CIFAR-10 against the 200-epoch validation accuracy, cells
  // at or below 15 % accuracy left out.
  const paperAcc = (d: Nb201Dataset, arch: string) => (d === 'cifar10' ? (valid200?.get(arch) ?? null) : acc(d, arch));
  const paperTau: Record<string, { tau: number | null; cells: number; interval: [number, number] | null }> = {};
  for (const d of NB201_DATASETS) {
    const kept = cells.filter((c) => c.scores[d]?.naswot != null && (paperAcc(d, c.arch) ?? 0) > PAPER_MIN_ACCURACY);
    const pairs = kept.map((c) => [c.scores[d]!.naswot!, paperAcc(d, c.arch)!] as const);
    paperTau[d] = pairs.length < 2 ? { tau: null, cells: pairs.length, interval: null } : { tau: kendallTau(pairs.map((p) => p[0]), pairs.map((p) => p[1])), cells: pairs.length, interval: bootstrapTau(pairs) };
  }

  // Search protocol on nb201-cifar10: pool = the scored sample; params and flops also over the whole space.
  const search: { kind: string; pool: string; n: number; mean: number; std: number }[] = [];
  for (const n of [10, 100]) {
    for (const kind of ZERO_COST_KINDS) {
      const pool = cells.map((c) => ({ score: c.scores.cifar10?.[kind] ?? null, acc: acc('cifar10', c.arch) }));
      search.push({ kind, pool: `the ${cells.length} scored cells`, n, ...protocol(pool, n, RUNS, n) });
    }
    const all = allCells();
    const counted = (kind: 'params' | 'flops') => all.map((arch) => ({ score: countOf(arch)[kind], acc: acc('cifar10', arch) }));
    for (const kind of ['params', 'flops'] as const) search.push({ kind, pool: 'all 15,625 cells', n, ...protocol(counted(kind), n, RUNS, n) });
  }
  search.push({ kind: 'random (one cell, no score)', pool: 'all 15,625 cells', n: 1, ...protocol(allCells().map((a) => ({ score: 0, acc: acc('cifar10', a) })), 1, RUNS, 1) });

  const seconds: Record<string, { mean: number; cells: number }> = {};
  for (const d of ['cifar10', 'imagenet16'] as const) {
    for (const kind of ZERO_COST_KINDS) {
      const xs = cells.map((c) => c.seconds[d]?.[kind]).filter((x): x is number => x !== undefined);
      seconds[`${d}:${kind}`] = { mean: mean(xs), cells: xs.length };
    }
  }
  const loads = cells.map((c) => c.load);

  const data = { machine: machine(), cells: cells.length, inputs: 'Gaussian noise N(0,1), 128 images (CIFAR and ImageNet16-120 images are not available here)', tau, paperTau, publishedTau: PUBLISHED_TAU, columnTau, search, runs: RUNS, seconds, load: { min: Math.min(...loads), mean: mean(loads), max: Math.max(...loads) } };
  const fmt = (x: number | null) => (x === null ? '–' : x.toFixed(3));
  const md = `# Zero-cost scores on NAS-Bench-201

Command: \`node dist/benchmarks/zero-cost-nb201.js score 500\` (wasm engine, 1 thread; a second
process with \`score 500 reverse\` may fill the same sample from its end),
then \`NASBENCH_DATA_DIR=… node dist/benchmarks/zero-cost-nb201.js report\`. Per-cell scores and
device times: \`results/zero-cost-nb201-scores.jsonl\`. Machine: ${data.machine.cpu}, ${data.machine.cores} cores,
shared (1-minute load average while scoring: ${data.load.min.toFixed(1)}–${data.load.max.toFixed(1)}, mean ${data.load.mean.toFixed(1)}).
${cells.length < 500 ? `\n**Short of the plan:** ${cells.length} of the 500 sampled cells were scored before the time set aside for this measurement ran out (about ${seconds['cifar10:naswot']!.mean.toFixed(0)} s per CIFAR-size NASWOT score on average on this loaded machine). \`score 500\` continues where it stopped; \`report\` then covers all of them.\n` : ''}
**Inputs.** The CIFAR-10, CIFAR-100 and ImageNet16-120 images are not on this machine, so NASWOT
scores a minibatch of 128 Gaussian-noise images, N(0, 1), of the data set's size (32×32×3; 16×16×3
for ImageNet16-120), one fixed minibatch for every cell, as a run's \`ctx.zeroCost\` does. The paper
computes its τ on the real images; it reports that random inputs keep the trend. synflow is
data-free; params and flops need no input. The networks are the benchmark's (C = 16, N = 5) with
PyTorch-default initialisation, one seed per cell.

## Kendall τ against the 200-epoch test accuracy (${cells.length} random cells)

${markdownTable(
  ['score', ...NB201_DATASETS.map((d) => TITLES[d])],
  ZERO_COST_KINDS.map((k) => [k, ...NB201_DATASETS.map((d) => `${fmt(tau[d]![k]!.tau)} (${tau[d]![k]!.cells} cells)`)]),
)}

The same τ as the paper computes it, so that it compares with the published figure: cells whose
accuracy is at most ${PAPER_MIN_ACCURACY} % are left out, as the authors' \`plot_scores.py\` does, and CIFAR-10 is
ranked by its 200-epoch *validation* accuracy (\`cifar10-valid\`, the \`valid_top1\` column of the
shared NASWOT table), as \`score_networks.py --trainval\` records it. CIFAR-100 and ImageNet16-120
stay ranked by the 200-epoch test accuracy, as in the authors' code.

${markdownTable(
  ['NASWOT τ', ...NB201_DATASETS.map((d) => TITLES[d])],
  [
    ['here, as the paper computes it (Gaussian-noise inputs)', ...NB201_DATASETS.map((d) => `${fmt(paperTau[d]!.tau)} (${paperTau[d]!.cells} cells)`)],
    ['here, bootstrap 95 % interval', ...NB201_DATASETS.map((d) => (paperTau[d]!.interval === null ? '–' : `${fmt(paperTau[d]!.interval![0])} – ${fmt(paperTau[d]!.interval![1])}`))],
    ['published (Mellor et al. 2021, Fig. 3 (a)–(c), real images, up to 1000 cells)', ...NB201_DATASETS.map((d) => PUBLISHED_TAU[d].toFixed(3))],
    ['gap, here − published', ...NB201_DATASETS.map((d) => (paperTau[d]!.tau === null ? '–' : (paperTau[d]!.tau! - PUBLISHED_TAU[d]).toFixed(3)))],
  ],
)}

Where the published τ lies inside the interval, this sample cannot tell the two apart. What
differs from the paper's computation besides the sample: the inputs (Gaussian noise here, a
minibatch of real training images there; the paper's Fig. 5 shows random inputs keeping the
trend on ten cells but gives no τ for them), one network initialisation per cell (seeded by its
place in the sample) against the authors' PyTorch generator, and TensorFlow.js's float32
convolutions, which can move a pre-activation lying within rounding of 0 to the other side.

params and flops rank cells alike: each adds a fixed amount per 3×3 and per 1×1 convolution of
the cell (ratio 8.7 : 1 for params, 9 : 1 for flops), and with at most six edges that difference
never reorders two cells, so their τ and search results coincide.

CIFAR-10 and CIFAR-100 share NASWOT scores (same network up to the classifier, same noise);
their τ differ only through the accuracies. A cell whose kernel is singular (log-determinant −∞,
e.g. when no input reaches the ReLUs) has no NASWOT score and is left out of that τ.

Sanity check of the inputs only: τ between our CIFAR-10 NASWOT and the shared table's
\`naswot_score\` column over the same cells is ${fmt(columnTau)}. That column does not reproduce the
paper (see the data README) and is not reported as NASWOT anywhere here.

## The paper's search protocol on nb201-cifar10 (${RUNS} runs each)

Each run draws N cells at random (with replacement, as the authors' code does) and reports the
best-scoring one by its 200-epoch CIFAR-10 test accuracy. The zero-cost scores were computed once
for the scored sample, so their runs draw from those ${cells.length} cells, not from the whole space:
with N = 100 the runs overlap much more than fresh draws would. params and flops, which cost
nothing to compute, are also run over the whole space.

${markdownTable(
  ['chosen by', 'drawn from', 'N', 'test accuracy (%) mean ± std'],
  search.map((s) => [s.kind, s.pool, s.n, `${s.mean.toFixed(2)} ± ${s.std.toFixed(2)}`]),
)}
| NASWOT, published (real images, 500 runs) | all cells | 10 | 92.44 ± 1.13 |
| NASWOT, published (real images, 500 runs) | all cells | 100 | 92.81 ± 0.99 |
| random, published (500 runs) | all cells | 1 | 86.61 ± 13.46 |

Published rows: Mellor et al. 2021, Table 2(a), CIFAR-10 test column. The protocol is that of the
authors' \`search.py\` (\`--n_runs 500\`, \`--batch_size 128\`, cells drawn by \`np.random.randint\`,
scored on one minibatch of CIFAR-10 training images, judged by the 200-epoch \`ori-test\` accuracy).

## Time per score on the wasm engine (1 thread, shared machine)

${markdownTable(
  ['score', 'CIFAR-size network (32×32), s', 'ImageNet16-120 network (16×16), s'],
  ZERO_COST_KINDS.map((k) => [k, seconds[`cifar10:${k}`]!.mean.toFixed(3), seconds[`imagenet16:${k}`]!.mean.toFixed(3)]),
)}

Device seconds of the evaluation as the store records it (building the network included), mean
over the cells. The machine was loaded by other jobs throughout (load averages above on 2 cores):
on an idle core expect these to be several times shorter.
`;
  writeResults('zero-cost-nb201', data, md);
  console.log(md);
}

/**
 * Parameter and FLOP counts of every cell without building 15,625 networks: both are sums over
 * the cell's edges (each edge's op adds the same at every position), so the all-none cell plus one
 * network per op with that op on a single edge give them exactly.
 */
let counter: ((arch: string) => { params: number; flops: number }) | null = null;
function countOf(arch: string): { params: number; flops: number } {
  return counter!(arch);
}

async function main(): Promise<void> {
  const [mode, arg] = process.argv.slice(2);
  if (mode === 'score') return score(Number(arg ?? 500), process.argv[4] === 'reverse', process.argv[5] === undefined ? undefined : Number(process.argv[5]));
  if (mode === 'report') {
    const { Nb201Net } = await import('../src/engine/nb201-net.js');
    const { initEngine } = await import('../src/engine/backend.js');
    await initEngine('cpu');
    const build = (text: string) => {
      const net = new Nb201Net(nb201Space.parse(text), { inputShape: [32, 32, 3], classes: 10, channels: 16, cellsPerStage: 5 }, 0);
      const c = { params: net.params.count(), flops: net.flops };
      net.dispose();
      return c;
    };
    const cell = (ops: readonly string[]) => `|${ops[0]}~0|+|${ops[1]}~0|${ops[2]}~1|+|${ops[3]}~0|${ops[4]}~1|${ops[5]}~2|`;
    const base = build(cell(Array(6).fill('none')));
    const delta = new Map(NB201_OPS.map((op) => {
      const c = build(cell([op, 'none', 'none', 'none', 'none', 'none']));
      return [op, { params: c.params - base.params, flops: c.flops - base.flops }] as const;
    }));
    counter = (arch) =>
      nb201Space.parse(arch).ops.reduce((sum, op) => ({ params: sum.params + delta.get(op)!.params, flops: sum.flops + delta.get(op)!.flops }), base);
    return report();
  }
  throw new Error('usage: zero-cost-nb201 score [cells] [forward|reverse] [start] | report');
}

await main();
