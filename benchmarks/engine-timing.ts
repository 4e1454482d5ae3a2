/** What one configuration of the engine benchmark measured (engine-run.ts and engine_torch.py print it). */
import type { Profile } from './kernel-profile.js';
import type { NetName } from './engine-nets.js';

export interface NetTiming {
  readonly net: NetName;
  readonly params: number;
  readonly itemsPerStep: number;
  /** Wall time of every timed step. */
  readonly stepMs: number[];
  /** Process CPU time (all threads) of every timed step. */
  readonly stepCpuMs: number[];
  /** Items (images or tokens) per second at the median step time. */
  readonly perSecond: number;
  readonly lastLoss: number;
  /** The loss of the first step (tfjs backends: the same weights and batch on every backend, a correctness check). */
  readonly firstLoss?: number;
  /** Per-kernel costs over `--profile` further steps (timed apart from `stepMs`). */
  readonly profile?: Profile;
}

export interface RunResult {
  readonly backend: string;
  /** PyTorch only: its version and the BLAS library it loaded. */
  readonly version?: string;
  readonly blas?: string;
  readonly threads: number;
  readonly reason: string;
  /** The device kind the engine stores with evaluations, where it names the device (WebGPU). */
  readonly device?: string;
  readonly nets: NetTiming[];
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

