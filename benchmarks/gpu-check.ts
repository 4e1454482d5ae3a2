/**
 * The GPU check (run by benchmarks/gpu-check.sh after `npm ci`): which WebGPU adapter Dawn finds,
 * how the WebGPU kernel tests went on it, and what one training step of each reference network
 * costs on webgpu against wasm (and PyTorch, where python3 has it). Writes results/gpu.json and
 * results/gpu.md.
 * Usage: node dist/benchmarks/gpu-check.js [--kernel-tests <vitest JSON report>]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { findAdapter } from '../src/engine/webgpu.js';
import { referenceNets, type NetName } from './engine-nets.js';
import { findTorchPython, runEngine, runTorch, type Config, type Timing } from './engine-processes.js';
import { median, type RunResult } from './engine-timing.js';
import { machine, markdownTable, writeResults } from './results.js';

const { values } = parseArgs({ options: { 'kernel-tests': { type: 'string' } } });

// One warm-up step (shader compilation happens there), then up to three timed steps.
const TIMING: Timing = { steps: '3', seconds: '20', warmup: '1' };
const UNIT: Record<NetName, string> = { cnn: 'img/s', lm: 'tokens/s' };

interface KernelTests {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly failures: string[];
  /** The suite's name, which says on which adapter it ran or why it was skipped. */
  readonly suite: string;
}

/** The counts of a vitest JSON report of test/engine/webgpu-kernels.test.ts. */
function readKernelTests(file: string | undefined): KernelTests | null {
  if (file === undefined || !existsSync(file)) return null;
  const report = JSON.parse(readFileSync(file, 'utf8')) as {
    testResults: Array<{ assertionResults: Array<{ status: string; fullName: string; ancestorTitles: string[] }> }>;
  };
  const results = report.testResults.flatMap((f) => f.assertionResults);
  const count = (status: string) => results.filter((r) => r.status === status).length;
  return {
    passed: count('passed'),
    failed: count('failed'),
    skipped: results.length - count('passed') - count('failed'),
    failures: results.filter((r) => r.status === 'failed').map((r) => r.fullName),
    suite: results[0]?.ancestorTitles[0] ?? 'no tests ran',
  };
}

/** The NVIDIA driver and CUDA version where nvidia-smi is installed: what tfjs-node-gpu would need. */
function nvidiaDriver(): string | null {
  try {
    return execFileSync('nvidia-smi', ['--query-gpu=name,driver_version', '--format=csv,noheader'], { encoding: 'utf8', timeout: 20_000 }).trim();
  } catch {
    return null;
  }
}

const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toPrecision(2));

async function main(): Promise<void> {
  const notes: string[] = [];
  const adapter = await findAdapter(notes);
  const kernelTests = readKernelTests(values['kernel-tests']);
  const driver = nvidiaDriver();
  const torch = findTorchPython();
  const refs = referenceNets();
  const cores = Math.min(8, availableParallelism());

  const configs: Config[] = [];
  if (adapter) configs.push({ label: adapter.summary.software ? `webgpu (software ${adapter.summary.api})` : `webgpu (GPU, ${adapter.summary.api})`, engine: 'webgpu', threads: 1 });
  configs.push({ label: `wasm (${cores} thread${cores > 1 ? 's' : ''})`, engine: 'wasm', threads: cores });
  if (torch.python) configs.push({ label: `PyTorch on the CPU (${cores} threads)`, engine: 'pytorch', threads: cores });
  const load = [loadavg()[0]!];
  const runs: Array<{ config: Config; run: RunResult | null; error?: string }> = configs.map((config) => {
    console.log(`timing ${config.label} ...`);
    try {
      const run = config.engine === 'pytorch' ? runTorch(torch.python!, config, refs, TIMING) : runEngine(config, TIMING);
      return { config, run };
    } catch (err) {
      return { config, run: null, error: String((err as Error).message).split('\n')[0]!.slice(0, 300) };
    } finally {
      load.push(loadavg()[0]!);
    }
  });

  const rows = (['cnn', 'lm'] as NetName[]).flatMap((net) =>
    runs.map(({ config, run, error }) => {
      const t = run?.nets.find((n) => n.net === net);
      if (!t) return [net, config.label, '–', '–', '–', error ?? 'not run'];
      return [net, config.label, fmt(median(t.stepMs)), fmt((t.itemsPerStep * 1000) / median(t.stepMs)) + ` ${UNIT[net]}`, t.firstLoss?.toFixed(6) ?? '–', run!.reason];
    }),
  );

  const adapterLines = adapter
    ? [`- adapter: **${adapter.summary.name}** through ${adapter.summary.api}${adapter.summary.software ? ' (a software rasteriser on the CPU: figures show correctness and relative cost, not GPU speed)' : ' (a GPU)'}`, `- stored as device kind: \`${adapter.deviceKind}\``]
    : [`- no WebGPU adapter: ${notes.join('; ')}`];
  const testLines = kernelTests
    ? [`- kernel tests (\`test/engine/webgpu-kernels.test.ts\`): ${kernelTests.passed} passed, ${kernelTests.failed} failed, ${kernelTests.skipped} skipped — ${kernelTests.suite}`, ...kernelTests.failures.map((f) => `  - failed: ${f}`)]
    : ['- kernel tests: not run (no report given)'];
  const md = [
    '# GPU check',
    '',
    'Written by `benchmarks/gpu-check.sh` (after `npm ci`): the WebGPU adapter Dawn finds, the WebGPU kernel tests on it, and',
    "one training step of each reference network (the tiny preset's search children, as in `results/engine.md`) on webgpu",
    'against wasm and, where python3 has it, PyTorch. One warm-up step (shader compilation) precedes up to three timed steps;',
    'the first-step loss is the same computation on every tfjs backend (same weights, same batch) and must agree.',
    '',
    `Machine: ${machine().cpu}, ${availableParallelism()} cores, Node ${process.version}, ${new Date().toISOString().slice(0, 16)} UTC; 1-minute load average ${load.map((l) => l.toFixed(1)).join(' → ')}.`,
    '',
    ...adapterLines,
    `- NVIDIA driver (nvidia-smi): ${driver ?? 'not found'}`,
    ...testLines,
    `- PyTorch: ${torch.note}`,
    '',
    markdownTable(['net', 'engine', 'step ms (median)', 'throughput', 'first-step loss', 'backend says'], rows),
    '',
  ].join('\n');
  writeResults('gpu', { machine: machine(), adapter: adapter ? { ...adapter.summary, deviceKind: adapter.deviceKind } : null, notes, nvidiaDriver: driver, kernelTests, torch: torch.note, timing: TIMING, loadAverage1m: load, runs }, md);
  console.log(md);
  if (kernelTests !== null && kernelTests.failed > 0) process.exitCode = 1;
}

await main();
