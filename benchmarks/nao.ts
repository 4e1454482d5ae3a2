/**
 * NAO's own cost per iteration (EPD training, then generation) at default settings on each search
 * space, with synthetic scores standing in for evaluations (which are not timed).
 * Usage: node dist/benchmarks/nao.js [--budget N] [--iterations N]
 */
import { Rng, type Arch, type Json, type Observation, type SearchContext, type SearchSpace } from '../src/api/index.js';
import { resolveParams } from '../src/harness/params.js';
import { lazyTensorflow } from '../src/tasks/engine-options.js';
import { cnnMicroSpace } from '../src/spaces/cnn-micro.js';
import { nb201Space } from '../src/spaces/nb201.js';
import { rnnCellSpace } from '../src/spaces/rnn-cell.js';
import nao from '../methods/nao/index.js';
import type { IterationDiagnostics } from '../methods/nao/iteration.js';
import type { NaoParams } from '../methods/nao/params.js';
import { machine, markdownTable, writeResults } from './results.js';

/** NAO's own models on a table-lookup task run on the cpu backend (the default there). */
const loadTensorflow = lazyTensorflow({ backend: 'cpu', threads: null });

const flag = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const BUDGET = flag('budget', 150);
const ITERATIONS = flag('iterations', 3);
const SEED = 0;

/** A deterministic score that depends on the tokens, so that the predictor has something to learn. */
function score(space: SearchSpace<Arch>, arch: Arch): number {
  const tokens = space.toTokens(arch);
  return tokens.reduce((s, t, p) => s + ((t * (p + 3)) % 5), 0) / tokens.length;
}

async function measure(space: SearchSpace<unknown>): Promise<IterationDiagnostics[]> {
  const iterations: IterationDiagnostics[] = [];
  const ctx: SearchContext<NaoParams> = {
    space: space as SearchSpace<Arch>,
    rng: Rng.seeded(SEED),
    params: resolveParams('nao', nao.params, []) as unknown as NaoParams,
    task: { name: 'synthetic', kind: 'tabular', objective: { metric: 'score', goal: 'max', label: 'score' } },
    budget: BUDGET,
    log: { info() {}, warn() {} },
    record: (kind: string, data: Json) => void (kind === 'nao-iteration' && iterations.push(data as unknown as IterationDiagnostics)),
    tensorflow: loadTensorflow,
    supernet: () => Promise.reject(new Error('a synthetic tabular task has no supernet')),
    zeroCost: () => Promise.reject(new Error('the synthetic task has no network to score')),
  };
  const searcher = await nao.create(ctx);
  let used = 0;
  while (used < BUDGET && iterations.length < ITERATIONS) {
    const batch = await searcher.propose(BUDGET - used);
    if (batch.length === 0) break;
    const results: Observation[] = batch.map((arch, i) => {
      const s = score(ctx.space, arch);
      return { arch, ordinal: used + i, status: 'ok', score: s, metrics: { score: s } };
    });
    await searcher.observe(results);
    used += batch.length;
  }
  return iterations;
}

const tf = await loadTensorflow();
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const rows = [];
for (const space of [nb201Space, cnnMicroSpace, rnnCellSpace]) {
  const iterations = await measure(space);
  // The first iteration also pays for compiling kernels; the others show the steady state.
  const steady = iterations.length > 1 ? iterations.slice(1) : iterations;
  rows.push({
    space: space.kind,
    tokens: space.grammar.length,
    iterations: iterations.map((d) => ({ trained: d.trained, steps: d.steps, trainMs: d.trainMs, generateMs: d.generateMs, generated: d.generated, randomFill: d.randomFill, etaMean: d.etaMean })),
    trainMs: Math.round(mean(steady.map((d) => d.trainMs))),
    msPerStep: Math.round(mean(steady.map((d) => d.trainMs / d.steps))),
    generateMs: Math.round(mean(steady.map((d) => d.generateMs))),
  });
  console.log(`${space.kind}: ${JSON.stringify(rows.at(-1))}`);
}

const defaults = Object.entries(nao.params).map(([k, spec]) => `${k}=${spec.default}`).join(' ');
writeResults(
  'nao-bench',
  { machine: machine(), backend: tf.getBackend(), budget: BUDGET, seed: SEED, defaults: Object.fromEntries(Object.entries(nao.params).map(([k, s]) => [k, s.default])), results: rows },
  `# NAO: cost per iteration\n\n${Object.entries(machine()).map(([k, v]) => `${k}: ${v}`).join(' · ')} · tfjs backend: ${tf.getBackend()}\n\n` +
    `Default parameters (${defaults}), budget ${BUDGET}, synthetic scores; the first ${ITERATIONS} iterations of one run per space. ` +
    'Training time is EPD training alone; generation is the gradient steps and decodes. Means exclude the first iteration, which also compiles kernels.\n\n' +
    markdownTable(
      ['Space', 'Tokens', 'Train ms / iteration', 'ms / optimizer step', 'Generate ms / iteration', 'Per iteration: trained on, steps, train ms, generate ms, new, random'],
      rows.map((r) => [
        r.space,
        r.tokens,
        r.trainMs,
        r.msPerStep,
        r.generateMs,
        r.iterations.map((i) => `${i.trained}, ${i.steps}, ${i.trainMs}, ${i.generateMs}, ${i.generated}, ${i.randomFill}`).join(' · '),
      ]),
    ) +
    '\n\nReproduce: `npm run build && node dist/benchmarks/nao.js`.\n',
);
console.log('results/nao-bench.md written');
