/**
 * Engine speed against PyTorch: training steps of the reference cnn-micro child (img/s) and the
 * reference rnn-cell LM (tokens/s) on every backend available, and the same two networks in
 * PyTorch (benchmarks/engine_torch.py) in the same run, at the same thread counts.
 * Usage: node dist/benchmarks/engine.js [--rounds N] [--seconds S] [--threads 1,2] [--quick]
 *        [--baseline <another checkout's dist/benchmarks/engine-run.js>] [--engines wasm,webgpu]
 *
 * Each backend runs in its own process (the engine picks its backend once per process). The
 * configurations alternate round by round, wasm next to PyTorch at each thread count, so that a
 * change in the machine's load hits both sides of a ratio alike. Figures are medians over all
 * timed steps of all rounds. The cpu backend (reference kernels) gets one CNN step.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { referenceNets, type NetName, type ReferenceNets } from './engine-nets.js';
import { findTorchPython, runEngine as runEngineWith, runTorch as runTorchWith, type Config } from './engine-processes.js';
import { median, type NetTiming, type RunResult } from './engine-timing.js';
import type { Profile } from './kernel-profile.js';
import { machine, markdownTable, RESULTS_DIR, writeResults } from './results.js';
import { findAdapter } from '../src/engine/webgpu.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '12' },
    steps: { type: 'string', default: '10' },
    threads: { type: 'string' },
    quick: { type: 'boolean', default: false },
    // An older build's engine-run.js, timed as one more configuration: before/after in one run.
    baseline: { type: 'string' },
    // Only these engines (e.g. wasm,webgpu): no cpu reference, no profile, and the figures go to
    // their own section of results/engine.md, leaving a full run's tables as they are.
    engines: { type: 'string' },
  },
});
const only = values.engines ? new Set(values.engines.split(',')) : null;
const quick = values.quick!;
const rounds = quick ? 1 : Number(values.rounds);
const timing = quick ? { steps: '2', seconds: '2', warmup: '1' } : { steps: values.steps!, seconds: values.seconds!, warmup: '2' };
const threadCounts = values.threads ? values.threads.split(',').map(Number) : [...new Set([1, Math.min(8, availableParallelism())])];
const NETS: NetName[] = ['cnn', 'lm'];

const runEngine = (config: Config, options: { args?: string[]; timeoutMs?: number } = {}) => runEngineWith(config, timing, options);
const runTorch = (python: string, config: Config, refs: ReferenceNets) => runTorchWith(python, config, refs, timing);

interface Measured {
  readonly config: Config;
  readonly runs: RunResult[];
  /** 1-minute load average before each run. */
  readonly load: number[];
}

/**
 * The cpu backend's reference kernels: one step of the CNN, given up after a limit (its
 * convolution gradients are plain loops). The LM is not run: the cpu backend's gather gradient
 * (UnsortedSegmentSum) builds one masked copy of the gradient per vocabulary entry and keeps all
 * of them until it returns: 10,000 × 1120 × 128 floats, more than 10 GB and over an hour.
 */
function runCpuReference(config: Config, notes: string[]): RunResult | null {
  const limitSeconds = quick ? 60 : 900;
  notes.push('cpu backend: LM not run (its UnsortedSegmentSum keeps one masked gradient copy per vocabulary entry: > 10 GB)');
  try {
    return runEngine(config, { args: ['--nets', 'cnn', '--steps', '1', '--seconds', '0', '--warmup', '0'], timeoutMs: limitSeconds * 1000 });
  } catch (err) {
    if ((err as { signal?: string }).signal !== 'SIGKILL') throw err;
    notes.push(`cpu backend: one CNN step took more than ${limitSeconds} s; not measured`);
    return null;
  }
}

function nativeTensorflowInstalled(): boolean {
  const require = createRequire(import.meta.url);
  return ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'].some((name) => {
    try {
      require.resolve(name);
      return true;
    } catch {
      return false;
    }
  });
}

// ---- summary ------------------------------------------------------------------------------------

interface Row {
  readonly net: NetName;
  readonly label: string;
  readonly engine: Config['engine'];
  readonly threads: number;
  readonly params: number;
  readonly steps: number;
  readonly stepMs: number;
  readonly stepCpuMs: number;
  /** Items per second by wall time and by process CPU time, at the median step. */
  readonly perSecond: number;
  readonly perCpuSecond: number;
  /** This row's throughput over PyTorch's at the same thread count. */
  readonly vsPytorch: number | null;
  readonly vsPytorchCpu: number | null;
}

function summarise(measured: Measured[]): Row[] {
  const rows: Row[] = [];
  for (const net of NETS) {
    for (const m of measured) {
      const timings = m.runs.map((r) => r.nets.find((n) => n.net === net)).filter((t): t is NetTiming => t !== undefined);
      if (timings.length === 0) continue;
      const stepMs = median(timings.flatMap((t) => t.stepMs));
      const stepCpuMs = median(timings.flatMap((t) => t.stepCpuMs));
      const items = timings[0]!.itemsPerStep;
      rows.push({
        net,
        label: m.config.label,
        engine: m.config.engine,
        threads: m.runs[0]!.threads,
        params: timings[0]!.params,
        steps: timings.reduce((s, t) => s + t.stepMs.length, 0),
        stepMs,
        stepCpuMs,
        perSecond: (items * 1000) / stepMs,
        perCpuSecond: (items * 1000) / stepCpuMs,
        vsPytorch: null,
        vsPytorchCpu: null,
      });
    }
  }
  return rows.map((row) => {
    const torch = rows.find((r) => r.net === row.net && r.engine === 'pytorch' && r.threads === row.threads);
    if (!torch || row.engine === 'pytorch') return row;
    return { ...row, vsPytorch: row.perSecond / torch.perSecond, vsPytorchCpu: row.perCpuSecond / torch.perCpuSecond };
  });
}

/** The engine's networks and PyTorch's must have the same parameters, or the comparison is void. */
function checkParams(rows: Row[]): void {
  for (const net of NETS) {
    const counts = new Set(rows.filter((r) => r.net === net).map((r) => r.params));
    if (counts.size > 1) throw new Error(`${net}: parameter counts differ between configurations: ${[...counts].join(' vs ')}`);
  }
}

// ---- report -------------------------------------------------------------------------------------

const UNIT: Record<NetName, string> = { cnn: 'img/s', lm: 'tokens/s' };
const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toPrecision(2));
const ratio = (x: number | null) => (x === null ? '–' : `${x.toFixed(2)}×`);

function profileTable(profile: Profile, top = 12): string {
  const rows = profile.kernels.slice(0, top).map((k) => [k.kernel, fmt(k.calls), k.ms.toFixed(1), `${((100 * k.ms) / profile.stepMs).toFixed(1)} %`]);
  const other = profile.stepMs - profile.kernelMs;
  rows.push(['(engine: dispatch, gradient tape, bookkeeping)', '', other.toFixed(1), `${((100 * other) / profile.stepMs).toFixed(1)} %`]);
  return markdownTable(['kernel', 'calls per step', 'CPU ms per step', 'share'], rows);
}

function markdown(refs: ReferenceNets, rows: Row[], notes: string[], load: number[], profiles: Partial<Record<NetName, Profile>>): string {
  const describe: Record<NetName, string> = {
    cnn: `cnn-micro child of the image tasks' reference cell, F=${refs.cnn.filters}, N=${refs.cnn.cellsPerStage}, ${refs.cnn.inputShape.join('×')} input, batch ${refs.cnn.batch}`,
    lm: `rnn-cell LM of the text tasks' reference cell, hidden ${refs.lm.hidden}, vocabulary ${refs.lm.vocab}, bptt ${refs.lm.bptt}, batch ${refs.lm.batch}`,
  };
  const sections = NETS.map((net) => {
    const netRows = rows.filter((r) => r.net === net);
    const table = markdownTable(
      ['engine', 'threads', UNIT[net], `${UNIT[net]} per CPU-second`, 'step ms (wall / CPU)', 'steps', 'vs PyTorch (wall)', 'vs PyTorch (CPU)'],
      netRows.map((r) => [r.label, r.threads, fmt(r.perSecond), fmt(r.perCpuSecond), `${fmt(r.stepMs)} / ${fmt(r.stepCpuMs)}`, r.steps, ratio(r.vsPytorch), ratio(r.vsPytorchCpu)]),
    );
    const profile = profiles[net];
    return [
      `## ${net === 'cnn' ? 'CNN' : 'Language model'}: ${describe[net]}`,
      '',
      `${netRows[0]?.params.toLocaleString('en-US')} parameters (the same in every engine and in PyTorch).`,
      '',
      table,
      ...(profile ? ['', `Where a wasm step goes (one thread, ${profile.steps} step(s), ${profile.stepMs.toFixed(0)} ms of CPU per step, ${fmt(profile.calls)} kernel calls):`, '', profileTable(profile)] : []),
    ].join('\n');
  });
  return [
    '# Engine speed against PyTorch',
    '',
    'Training steps (forward, backward, SGD with momentum, weight decay and gradient clipping as in the tiny',
    "preset) of the tasks' reference networks. Produced by `node dist/benchmarks/engine.js` (`npm run bench:engine`).",
    `Throughput is at the median step over ${rounds} round(s) that alternate the configurations; "per CPU-second"`,
    'divides by process CPU time instead (all threads; other jobs on the machine inflate it far less than wall time,',
    'but spinning pool threads count). Ratios compare with PyTorch at the same thread count, in the same run.',
    '',
    `1-minute load average over the run: ${load.map((l) => l.toFixed(2)).join(', ')} (min ${Math.min(...load).toFixed(2)}, max ${Math.max(...load).toFixed(2)}).`,
    '',
    ...notes.map((n) => `- ${n}`),
    '',
    sections.join('\n\n'),
    '',
  ].join('\n');
}

// ---- WebGPU -------------------------------------------------------------------------------------

/**
 * The WebGPU backend, where Dawn finds an adapter. A software adapter (lavapipe, llvmpipe) runs
 * on the CPU: its rows say so and measure correctness and relative cost, not a GPU's speed.
 */
async function webgpuConfig(notes: string[]): Promise<Config | null> {
  const found: string[] = [];
  const adapter = await findAdapter(found);
  if (adapter === null) {
    notes.push(`no WebGPU figures: ${found.join('; ')}`);
    return null;
  }
  const { software, api, name } = adapter.summary;
  notes.push(`WebGPU adapter: ${name} through ${api}${software ? ' — a software rasteriser on the CPU: its rows show correctness and relative cost, not GPU speed' : ''}`);
  return { label: software ? `webgpu (software ${api})` : `webgpu (GPU, ${api})`, engine: 'webgpu', threads: 1 };
}

/** Every tfjs backend trains the same weights on the same batch: their first-step losses must agree. */
function firstLossCheck(measured: readonly Measured[]): string {
  const first = (engine: Config['engine'], net: NetName) =>
    measured.find((m) => m.config.engine === engine && m.config.threads === 1)?.runs[0]?.nets.find((n) => n.net === net)?.firstLoss;
  const parts = NETS.map((net) => {
    const [gpu, wasm] = [first('webgpu', net), first('wasm', net)];
    if (gpu === undefined || wasm === undefined) return `${net}: not both measured`;
    return `${net} ${gpu.toFixed(6)} vs ${wasm.toFixed(6)} (relative difference ${(Math.abs(gpu - wasm) / Math.abs(wasm)).toExponential(1)})`;
  });
  return `first-step loss, webgpu vs wasm (same weights and batch): ${parts.join('; ')}`;
}

const PARTIAL_START = '<!-- partial run: begin -->';
const PARTIAL_END = '<!-- partial run: end -->';

/** A run of some engines only: its tables replace the previous partial section of results/engine.md, and nothing else. */
function writePartial(refs: ReferenceNets, rows: Row[], notes: string[], load: number[]): void {
  const file = join(RESULTS_DIR, 'engine.md');
  const previous = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const kept = previous.includes(PARTIAL_START) ? previous.slice(0, previous.indexOf(PARTIAL_START)) + previous.slice(previous.indexOf(PARTIAL_END) + PARTIAL_END.length) : previous;
  const body = markdown(refs, rows, notes, load, {})
    .replace('# Engine speed against PyTorch', `## Partial run: ${[...only!].join(', ')} (\`--engines ${values.engines}\`, ${new Date().toISOString().slice(0, 10)})`)
    .replace(/^## (CNN|Language model)/gm, '### $1');
  writeFileSync(file, `${kept.trimEnd()}\n\n${PARTIAL_START}\n${body.trimEnd()}\n${PARTIAL_END}\n`);
  for (const r of rows) console.log(`${r.net} ${r.label} ${r.threads}t: ${fmt(r.perSecond)} ${UNIT[r.net]} (${fmt(r.perCpuSecond)} per CPU-s)`);
}

// ---- main ---------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const refs = referenceNets();
  const notes: string[] = [];
  const torch = findTorchPython();
  notes.push(torch.note);
  const configs: Config[] = [];
  for (const threads of threadCounts) {
    const simd = threads === 1 ? 'single-threaded SIMD' : 'threaded SIMD';
    if (values.baseline) configs.push({ label: `wasm (${simd}), baseline build`, engine: 'wasm', threads, script: values.baseline });
    configs.push({ label: `wasm (${simd})`, engine: 'wasm', threads });
    if (torch.python) configs.push({ label: 'PyTorch', engine: 'pytorch', threads });
  }
  if (nativeTensorflowInstalled()) configs.push({ label: 'tfjs-node (TensorFlow)', engine: 'tensorflow', threads: availableParallelism() });
  else notes.push('tfjs-node not installed: no native TensorFlow figures');
  const webgpu = await webgpuConfig(notes);
  if (webgpu) configs.push(webgpu);
  const measured: Measured[] = configs.filter((c) => only === null || only.has(c.engine)).map((config) => ({ config, runs: [], load: [] }));
  const loads: number[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const m of measured) {
      const load = loadavg()[0]!;
      loads.push(load);
      m.load.push(load);
      const run = m.config.engine === 'pytorch' ? runTorch(torch.python!, m.config, refs) : runEngine(m.config);
      m.runs.push(run);
      const figures = run.nets.map((n) => `${n.net} ${fmt((n.itemsPerStep * 1000) / median(n.stepMs))} ${UNIT[n.net]}`).join(', ');
      console.log(`round ${round + 1}/${rounds} ${m.config.label}, ${run.threads} thread(s), load ${load.toFixed(2)}: ${figures}`);
    }
  }
  if (webgpu) notes.push(firstLossCheck(measured));
  if (only !== null) return writePartial(refs, summarise(measured), notes, loads);
  const cpuConfig: Config = { label: 'cpu (reference kernels)', engine: 'cpu', threads: 1 };
  loads.push(loadavg()[0]!);
  const cpuRun = runCpuReference(cpuConfig, notes);
  if (cpuRun) {
    measured.push({ config: cpuConfig, runs: [cpuRun], load: [loads[loads.length - 1]!] });
    console.log(`cpu: ${cpuRun.nets.map((n) => `${n.net} ${fmt(n.perSecond)} ${UNIT[n.net]}`).join(', ')}`);
  }
  // Where a single-threaded wasm step goes, kernel by kernel.
  const profiled = runEngine({ label: 'wasm profile', engine: 'wasm', threads: 1 }, { args: ['--steps', '1', '--seconds', '0', '--warmup', '1', '--profile', quick ? '1' : '3'] });
  const profiles = Object.fromEntries(profiled.nets.map((n) => [n.net, n.profile!])) as Record<NetName, Profile>;
  loads.push(loadavg()[0]!);

  const torchRun = measured.find((m) => m.config.engine === 'pytorch')?.runs[0];
  if (torchRun?.blas) {
    // Only the library names: PyTorch's matrix products are as fast as the BLAS it loaded.
    const names = torchRun.blas.split(', ').map((lib) => lib.split('/').slice(-2).join('/'));
    notes.push(`PyTorch's BLAS: ${names.join(', ')}${/openblas|mkl|blis/i.test(torchRun.blas) ? '' : ' (a reference BLAS: install an optimised one, e.g. libopenblas0, for a fair comparison)'}`);
  }
  const rows = summarise(measured);
  checkParams(rows);
  // Where the baseline build lives is the local machine's business, not the results'.
  const describe = ({ script, ...config }: Config) => ({ ...config, baseline: script !== undefined });
  const engines = measured.map((m) => ({ ...describe(m.config), reason: m.runs[0]!.reason, ...(m.runs[0]!.blas ? { blas: m.runs[0]!.blas } : {}) }));
  writeResults(
    'engine',
    { machine: machine(), references: refs, rounds, timing, loadAverage1m: loads, engines, rows, profiles, runs: measured.map((m) => ({ ...m, config: describe(m.config) })) },
    markdown(refs, rows, notes, loads, profiles),
  );
  for (const r of rows) console.log(`${r.net} ${r.label} ${r.threads}t: ${fmt(r.perSecond)} ${UNIT[r.net]} (${fmt(r.perCpuSecond)} per CPU-s) ${ratio(r.vsPytorch)} / ${ratio(r.vsPytorchCpu)}`);
}

await main();
