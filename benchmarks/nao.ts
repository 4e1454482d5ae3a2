/**
 * NAO's own cost per iteration (EPD training, then generation) in one configuration (`scaled`, the
 * defaults, or `paper`, the authors' EPD sizes and schedule) on each search space asked for, with
 * synthetic scores standing in for evaluations (which are not timed). Rows of other configurations
 * and spaces already in results/nao-bench.json are kept, so each can be measured on its own.
 * Usage: node dist/benchmarks/nao.js [--config scaled|paper] [--spaces nb201,cnn-micro,rnn-cell] [--budget N] [--iterations N] [--backend cpu|wasm]
 * (`cpu`, the default, is what a table-lookup task gives a method's own models; `wasm` runs on one thread, as `run --backend wasm --threads 1`).
 */
import { loadavg } from 'node:os';
import { Rng, type Arch, type Json, type Observation, type SearchContext, type SearchSpace } from '../src/api/index.js';
import { resolveParams } from '../src/harness/params.js';
import { lazyTensorflow } from '../src/tasks/engine-options.js';
import { cnnMicroSpace } from '../src/spaces/cnn-micro.js';
import { nb201Space } from '../src/spaces/nb201.js';
import { rnnCellSpace } from '../src/spaces/rnn-cell.js';
import nao from '../methods/nao/index.js';
import type { IterationDiagnostics } from '../methods/nao/iteration.js';
import { type NaoParams, effectiveParams } from '../methods/nao/params.js';
import { machine, markdownTable, readResults, writeResults } from './results.js';

const flag = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const text = (name: string, fallback: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1]! : fallback;
};
const BUDGET = flag('budget', 150);
const ITERATIONS = flag('iterations', 3);
const CONFIG = text('config', 'scaled');
const SPACES = text('spaces', 'nb201,cnn-micro,rnn-cell').split(',');
const SEED = 0;
const BACKEND = text('backend', 'cpu');
if (!['scaled', 'paper'].includes(CONFIG)) throw new Error(`--config ${CONFIG}: expected scaled or paper`);
if (!['cpu', 'wasm'].includes(BACKEND)) throw new Error(`--backend ${BACKEND}: expected cpu or wasm`);
/** NAO's own models on a table-lookup task run on the cpu backend (the default there) unless --backend says otherwise. */
const loadTensorflow = lazyTensorflow({ backend: BACKEND, threads: BACKEND === 'wasm' ? 1 : null });

/** A deterministic score that depends on the tokens, so that the predictor has something to learn. */
function score(space: SearchSpace<Arch>, arch: Arch): number {
  const tokens = space.toTokens(arch);
  return tokens.reduce((s, t, p) => s + ((t * (p + 3)) % 5), 0) / tokens.length;
}

/** An iteration's diagnostics with the process's CPU time over the propose call that ran it (robust to a loaded machine, unlike its wall times). */
type Measured = IterationDiagnostics & { readonly cpuMs: number };

async function measure(space: SearchSpace<unknown>): Promise<Measured[]> {
  const iterations: IterationDiagnostics[] = [];
  const cpuMs: number[] = [];
  const ctx: SearchContext<NaoParams> = {
    space: space as SearchSpace<Arch>,
    rng: Rng.seeded(SEED),
    params: resolveParams('nao', nao.params, [`config=${CONFIG}`]) as unknown as NaoParams,
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
    const before = process.cpuUsage();
    const batch = await searcher.propose(BUDGET - used);
    const cpu = process.cpuUsage(before);
    // Every propose after the seeds asks for the rest of the budget, so it runs one iteration.
    if (iterations.length > cpuMs.length) cpuMs.push(Math.round((cpu.user + cpu.system) / 1000));
    if (batch.length === 0) break;
    const results: Observation[] = batch.map((arch, i) => {
      const s = score(ctx.space, arch);
      return { arch, ordinal: used + i, status: 'ok', score: s, metrics: { score: s } };
    });
    await searcher.observe(results);
    used += batch.length;
  }
  return iterations.map((d, i) => ({ ...d, cpuMs: cpuMs[i] ?? NaN }));
}

interface Row {
  readonly config: string;
  readonly space: string;
  readonly tokens: number;
  readonly machine: Record<string, string | number>;
  readonly backend: string;
  readonly budget: number;
  readonly params: Record<string, unknown>;
  readonly iterations: readonly Record<string, number | null>[];
  readonly trainMs: number;
  readonly msPerStep: number;
  readonly generateMs: number;
  /** CPU ms of the whole iteration (training, measuring, generating), mean over the steady iterations. */
  readonly cpuMs?: number;
  /** The 1-minute load average when the row started and ended: wall times mean little on a busy machine. */
  readonly load?: readonly [number, number];
}

/** Rows measured before, by configuration and space; the first format (one configuration) was `scaled`. */
function earlierRows(): Row[] {
  const old = readResults<{ rows?: Row[]; results?: Omit<Row, 'config' | 'machine' | 'backend' | 'budget' | 'params'>[]; machine: Row['machine']; backend: string; budget: number; defaults: Record<string, unknown> }>('nao-bench');
  if (old === undefined) return [];
  if (old.rows) return old.rows;
  return (old.results ?? []).map((r) => ({ ...r, config: 'scaled', machine: old.machine, backend: old.backend, budget: old.budget, params: old.defaults }));
}

const tf = await loadTensorflow();
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const spaces = [nb201Space, cnnMicroSpace, rnnCellSpace].filter((s) => SPACES.includes(s.kind));
const params = resolveParams('nao', nao.params, [`config=${CONFIG}`]) as unknown as NaoParams;
const effective = effectiveParams(params) as unknown as Record<string, unknown>;
const rows: Row[] = earlierRows().filter((r) => !(r.config === CONFIG && SPACES.includes(r.space) && r.backend === tf.getBackend()));
for (const space of spaces) {
  const loadBefore = loadavg()[0]!;
  const iterations = await measure(space);
  // The first iteration also pays for compiling kernels; the others show the steady state.
  const steady = iterations.length > 1 ? iterations.slice(1) : iterations;
  rows.push({
    config: CONFIG,
    space: space.kind,
    tokens: space.grammar.length,
    machine: machine(),
    backend: tf.getBackend(),
    budget: BUDGET,
    params: effective,
    iterations: iterations.map((d) => ({ trained: d.trained, steps: d.steps, trainMs: d.trainMs, generateMs: d.generateMs, cpuMs: d.cpuMs, reconstruction: d.reconstruction, generated: d.generated, randomFill: d.randomFill, etaMean: d.etaMean })),
    trainMs: Math.round(mean(steady.map((d) => d.trainMs))),
    msPerStep: Math.round(mean(steady.map((d) => d.trainMs / d.steps))),
    generateMs: Math.round(mean(steady.map((d) => d.generateMs))),
    cpuMs: Math.round(mean(steady.map((d) => d.cpuMs))),
    load: [Math.round(loadBefore * 100) / 100, Math.round(loadavg()[0]! * 100) / 100],
  });
  console.log(`${CONFIG} ${space.kind}: ${JSON.stringify(rows.at(-1))}`);
}
rows.sort((a, b) => a.config.localeCompare(b.config) || a.space.localeCompare(b.space) || a.backend.localeCompare(b.backend));

const section = (config: string) => {
  const own = rows.filter((r) => r.config === config);
  if (own.length === 0) return '';
  const settings = (r: Row) => Object.entries(r.params).map(([k, v]) => `${k}=${v}`).join(' ');
  return (
    `## ${config}\n\n` +
    own.map((r) => `${r.space}: ${Object.entries(r.machine).map(([k, v]) => `${k}: ${v}`).join(' · ')} · load average ${r.load ? r.load.join(' → ') : 'not recorded'} · tfjs backend: ${r.backend} · budget ${r.budget} · ${settings(r)}`).join('\n\n') +
    '\n\n' +
    markdownTable(
      ['Space', 'Backend', 'Tokens', 'Iterations', 'CPU ms / iteration', 'Train ms / iteration', 'ms / optimizer step', 'Generate ms / iteration', 'Per iteration: trained on, steps, CPU ms, train ms, generate ms, reconstruction, new, random'],
      own.map((r) => [
        r.space,
        r.backend,
        r.tokens,
        r.iterations.length,
        r.cpuMs ?? '–',
        r.trainMs,
        r.msPerStep,
        r.generateMs,
        r.iterations.map((i) => `${i.trained}, ${i.steps}, ${i.cpuMs ?? '–'}, ${i.trainMs}, ${i.generateMs}, ${i.reconstruction ?? '–'}, ${i.generated}, ${i.randomFill}`).join(' · '),
      ]),
    ) +
    '\n\nReproduce: ' +
    [...new Set(own.map((r) => r.backend))]
      .map((backend) => {
        const mine = own.filter((r) => r.backend === backend);
        return `\`npm run build && node dist/benchmarks/nao.js --config ${config} --spaces ${mine.map((r) => r.space).join(',')} --iterations ${Math.max(...mine.map((r) => r.iterations.length))}${backend === 'cpu' ? '' : ` --backend ${backend}`}\``;
      })
      .join(', ') +
    '.\n\n'
  );
};
writeResults(
  'nao-bench',
  { rows },
  '# NAO: cost per iteration\n\n' +
    'One run per configuration and space with synthetic scores; its first iterations. Training time is EPD training alone; generation is the gradient steps and decodes. ' +
    'Means exclude the first iteration, which also compiles kernels (a row of one iteration shows that one). CPU ms is the process\'s CPU time over the call that ran the iteration, which a loaded machine does not inflate; the wall-clock train and generate times (and ms per optimizer step, from them) are as measured at the load average given. `scaled` is the default configuration, `paper` the authors\' EPD sizes and training schedule (methods/nao/params.ts, PAPER_EPD); ' +
    'both use the same loop sizes (seed pool, K, top-k) scaled to the budget. Reconstruction is the share of training architectures the decoder reproduces, measured before generating. Backend `cpu` is tfjs\'s pure-JS backend, which a table-lookup task gives a method\'s own models by default; `wasm` is one WebAssembly thread, as `nasbench run … --backend wasm --threads 1`.\n\n' +
    section('scaled') +
    section('paper'),
);
console.log('results/nao-bench.md written');
