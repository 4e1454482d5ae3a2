/**
 * Runs one configuration of the engine benchmark in its own process (the engine picks its
 * backend once per process): engine-run.js for a tfjs backend, engine_torch.py for PyTorch.
 * Shared by the engine benchmark (engine.ts) and the GPU check (gpu-check.ts).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ReferenceNets } from './engine-nets.js';
import type { RunResult } from './engine-timing.js';

export interface Config {
  readonly label: string;
  readonly engine: 'wasm' | 'webgpu' | 'cpu' | 'tensorflow' | 'pytorch';
  readonly threads: number;
  /** engine-run.js of another build (the baseline); this build's by default. */
  readonly script?: string;
}

/** Steps to time, the time budget that may cut them short, and untimed warm-up steps. */
export interface Timing {
  readonly steps: string;
  readonly seconds: string;
  readonly warmup: string;
}

const runScript = fileURLToPath(new URL('./engine-run.js', import.meta.url));
const torchScript = fileURLToPath(new URL('../../benchmarks/engine_torch.py', import.meta.url));

function lastJsonLine(stdout: string, what: string): RunResult {
  const line = stdout.trim().split('\n').pop();
  if (!line?.startsWith('{')) throw new Error(`${what} printed no result:\n${stdout.slice(-2000)}`);
  return JSON.parse(line) as RunResult;
}

export function runEngine(config: Config, timing: Timing, options: { args?: string[]; timeoutMs?: number } = {}): RunResult {
  const args = [config.script ?? runScript, '--backend', config.engine, '--threads', String(config.threads), '--steps', timing.steps, '--seconds', timing.seconds, '--warmup', timing.warmup, ...(options.args ?? [])];
  const out = execFileSync(process.execPath, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 << 20,
    ...(options.timeoutMs ? { timeout: options.timeoutMs, killSignal: 'SIGKILL' as const } : {}),
  });
  return lastJsonLine(out, config.label);
}

/** A Python with PyTorch: $PYTHON, python3 on the PATH, or Debian's own (python3-torch). */
export function findTorchPython(): { python: string | null; note: string } {
  const candidates = [process.env.PYTHON, 'python3', '/usr/bin/python3'].filter((p): p is string => Boolean(p));
  for (const python of [...new Set(candidates)]) {
    const probe = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
    if (probe.status === 0) return { python, note: `${python}: PyTorch ${probe.stdout.trim()}` };
  }
  return { python: null, note: `PyTorch not found (tried ${candidates.join(', ')}); install python3-torch (Debian) to compare` };
}

export function runTorch(python: string, config: Config, refs: ReferenceNets, timing: Timing, extraArgs: string[] = []): RunResult {
  const args = [torchScript, '--threads', String(config.threads), '--steps', timing.steps, '--seconds', timing.seconds, '--warmup', timing.warmup, ...extraArgs];
  // OpenMP and OpenBLAS size their pools from these before PyTorch's own setting applies.
  const env = { ...process.env, OMP_NUM_THREADS: String(config.threads), OPENBLAS_NUM_THREADS: String(config.threads) };
  const out = execFileSync(python, args, { input: JSON.stringify(refs), encoding: 'utf8', env, stdio: ['pipe', 'pipe', 'inherit'], maxBuffer: 64 << 20 });
  return lastJsonLine(out, config.label);
}
