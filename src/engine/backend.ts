import { createHash } from 'node:crypto';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as wasmBackend from '@tensorflow/tfjs-backend-wasm';
import { UserError, errorMessage } from '../errors.js';
import { registerDilatedConvGradients } from './wasm-kernels/dilated-grads.js';
import { registerAllGradients } from './tfjs-gradients.js';
import { registerWasmKernels } from './wasm-kernels/index.js';
import { findAdapter, mayHaveGpu, startWebgpu } from './webgpu.js';

import type { BackendChoice } from './backend-choice.js';

export { parseBackendChoice, type BackendChoice } from './backend-choice.js';

export interface EngineInfo {
  readonly backend: string;
  /** What computes: a GPU, or the CPU (a software WebGPU adapter included). Picks the default preset. */
  readonly deviceKind: 'gpu' | 'cpu';
  /**
   * The device kind stored with each evaluation where the backend names its device (WebGPU: the
   * class and the adapter's vendor and name, "gpu (NVIDIA GeForce RTX 4090)").
   */
  readonly deviceLabel?: string;
  readonly threads: number;
  readonly reason: string;
}

const requireHere = createRequire(import.meta.url);

let current: EngineInfo | null = null;
let pending: { choice: BackendChoice; promise: Promise<EngineInfo> } | null = null;

export function engineInfo(): EngineInfo | null {
  return current;
}

/**
 * Picks and initialises the tfjs backend once per process. A later call with 'auto' or with the
 * choice already made returns the same info; asking for a different backend afterwards is an
 * error, because tensors and compiled kernels would silently move between backends.
 */
export async function initEngine(
  choice: BackendChoice = 'auto',
  opts: { threads?: number } = {},
): Promise<EngineInfo> {
  if (pending !== null) {
    const info = await pending.promise;
    if (choice !== 'auto' && choice !== pending.choice && !matches(choice, info)) {
      throw new Error(
        `engine already initialised with ${info.backend} (${info.reason}); cannot switch to '${choice}'`,
      );
    }
    return info;
  }
  const promise = resolveEngine(choice, opts);
  pending = { choice, promise };
  try {
    current = await promise;
    return current;
  } catch (err) {
    pending = null;
    throw err;
  }
}

function matches(choice: BackendChoice, info: EngineInfo): boolean {
  return choice === 'tensorflow' ? info.backend === 'tensorflow' : choice === info.backend;
}

async function resolveEngine(choice: BackendChoice, opts: { threads?: number }): Promise<EngineInfo> {
  const threads =
    opts.threads === undefined ? defaultThreads() : { count: Math.max(1, Math.min(8, Math.floor(opts.threads))) };
  await ensureGradients();
  if (choice === 'cpu') return initCpu('cpu requested: reference kernels, slow');
  if (choice === 'wasm') return initWasm(threads, []);
  if (choice === 'webgpu') return requireWebgpu();

  const notes: string[] = [];
  const nativeGpu = await initTensorflowGpu(notes);
  if (nativeGpu?.deviceKind === 'gpu') return nativeGpu;
  if (choice === 'auto') {
    const webgpu = await initWebgpu(notes, { softwareToo: false }).catch((err: unknown) => {
      notes.push(`webgpu failed (${firstLine(err)})`);
      return null;
    });
    if (webgpu !== null) return webgpu;
  }
  const native = nativeGpu === null ? await initTensorflowCpu(notes) : await useTensorflowCpu(notes);
  if (native !== null) return native;
  if (choice === 'tensorflow') {
    throw new UserError(
      `--backend tensorflow needs @tensorflow/tfjs-node or @tensorflow/tfjs-node-gpu (${notes.join('; ')}); ` +
        'install one (npm install @tensorflow/tfjs-node@4.22.0) or use --backend auto',
    );
  }
  try {
    return await initWasm(threads, notes);
  } catch (err) {
    notes.push(`wasm failed (${errorMessage(err)})`);
    return initCpu(notes.join('; ') + '; cpu reference kernels');
  }
}

interface ThreadChoice {
  readonly count: number;
  /** Why fewer threads than cores, when that was decided here. */
  readonly note?: string;
}

/**
 * One thread per core, unless other processes already keep the cores busy: the wasm pool
 * threads meet at a barrier after every operation, so a thread that the scheduler keeps off its
 * core stalls the others. At load 5 on 2 vCPUs an LSTM step took 3x longer with 2 threads than
 * with 1; with the machine to itself, 2 threads give 1.3-1.5x.
 */
function defaultThreads(): ThreadChoice {
  const cores = Math.min(8, os.availableParallelism());
  const load = os.loadavg()[0]!;
  if (cores > 1 && load > cores - 1) return { count: 1, note: `load ${load.toFixed(1)} on ${cores} cores` };
  return { count: cores };
}

async function initCpu(reason: string): Promise<EngineInfo> {
  if (!(await tf.setBackend('cpu'))) throw new Error('the cpu backend failed to initialise');
  return { backend: 'cpu', deviceKind: 'cpu', threads: 1, reason };
}

// ---- TensorFlow (native) -------------------------------------------------------------------

/**
 * tfjs-node-gpu: on the GPU if TensorFlow sees one. Without a GPU its TensorFlow CPU kernels are
 * the fallback (info with deviceKind 'cpu'), taken only if no WebGPU device comes first.
 */
async function initTensorflowGpu(notes: string[]): Promise<EngineInfo | null> {
  if (!(await importOptional('@tensorflow/tfjs-node-gpu', notes))) return null;
  if (await activateTensorflow()) {
    notes.push('tfjs-node-gpu sees a GPU');
    return { backend: 'tensorflow', deviceKind: 'gpu', threads: os.availableParallelism(), reason: notes.join('; ') };
  }
  return { backend: 'tensorflow', deviceKind: 'cpu', threads: os.availableParallelism(), reason: notes.join('; ') };
}

/**
 * The GPU build already registered its TensorFlow kernels, which run on the CPU when no device
 * is visible; loading tfjs-node as well would only re-register the same backend name.
 */
async function useTensorflowCpu(notes: string[]): Promise<EngineInfo> {
  await activateTensorflow();
  notes.push('tfjs-node-gpu sees no GPU, using its TensorFlow CPU kernels');
  return { backend: 'tensorflow', deviceKind: 'cpu', threads: os.availableParallelism(), reason: notes.join('; ') };
}

async function initTensorflowCpu(notes: string[]): Promise<EngineInfo | null> {
  if (await importOptional('@tensorflow/tfjs-node', notes)) {
    await activateTensorflow();
    notes.push('tfjs-node (TensorFlow CPU kernels)');
    return { backend: 'tensorflow', deviceKind: 'cpu', threads: os.availableParallelism(), reason: notes.join('; ') };
  }
  return null;
}

/**
 * tfjs-node registers its 'tensorflow' backend through whichever @tensorflow/tfjs-core it
 * resolves. tfjs-core keeps its engine and registries on the global object, so even a second
 * copy lands in the same engine; a version other than ours is still refused, because its
 * kernels would be written against a different tensor layout.
 */
async function importOptional(name: string, notes: string[]): Promise<boolean> {
  const short = name.replace('@tensorflow/', '');
  let entry: string;
  try {
    entry = requireHere.resolve(name);
  } catch {
    notes.push(`${short} not installed`);
    return false;
  }
  try {
    const mod = (await import(pathToFileURL(entry).href)) as { version?: Record<string, string> };
    const theirs = mod.version?.['tfjs-core'];
    if (theirs !== undefined && theirs !== tf.version_core) {
      notes.push(`${short} uses tfjs-core ${theirs}, not ${tf.version_core}`);
      return false;
    }
    if (tf.findBackendFactory('tensorflow') == null) {
      notes.push(`${short} loaded but registered no 'tensorflow' backend`);
      return false;
    }
    return true;
  } catch (err) {
    notes.push(`${short} failed to load (${firstLine(err)})`);
    return false;
  }
}

async function activateTensorflow(): Promise<boolean> {
  if (!(await tf.setBackend('tensorflow'))) throw new Error('the tensorflow backend failed to initialise');
  return Boolean((tf.backend() as { isUsingGpuDevice?: boolean }).isUsingGpuDevice);
}

// ---- WebGPU ----------------------------------------------------------------------------------

/**
 * tfjs's WebGPU backend on Dawn (src/engine/webgpu.ts). `auto` takes it only on a real GPU; a
 * software adapter (lavapipe, llvmpipe, SwiftShader) is slower than wasm and is used only when
 * asked for by name. Asked for by name and unavailable, it is the user's error, with the reason.
 */
async function requireWebgpu(): Promise<EngineInfo> {
  const notes: string[] = [];
  const info = await initWebgpu(notes, { softwareToo: true });
  if (info !== null) return info;
  throw new UserError(`--backend webgpu: ${notes.join('; ')}; see docs/ENGINE.md (GPU routes) for what it needs`);
}

async function initWebgpu(notes: string[], opts: { softwareToo: boolean }): Promise<EngineInfo | null> {
  if (!opts.softwareToo && !mayHaveGpu()) {
    notes.push('webgpu: no GPU device node (/dev/dri/renderD*, /dev/nvidia0, /dev/dxg)');
    return null;
  }
  const opened = await findAdapter(notes);
  if (opened === null) return null;
  const { summary } = opened;
  if (summary.software && !opts.softwareToo) {
    notes.push(`webgpu adapter ${summary.name} is software (${summary.api}), used only with --backend webgpu`);
    return null;
  }
  const engine = await startWebgpu(opened);
  notes.push(`webgpu on ${summary.software ? `software ${summary.api}` : summary.api}: ${summary.name}`);
  return {
    backend: 'webgpu',
    deviceKind: summary.software ? 'cpu' : 'gpu',
    deviceLabel: engine.deviceKind,
    threads: 1,
    reason: notes.join('; '),
  };
}

// ---- WebAssembly -----------------------------------------------------------------------------

async function initWasm(threads: ThreadChoice, notes: string[]): Promise<EngineInfo> {
  registerWasmKernels();
  if (threads.count > 1) {
    try {
      const actual = await activateThreadedWasm(threads.count);
      notes.push(`wasm threaded-simd with ${actual} threads`);
      return { backend: 'wasm', deviceKind: 'cpu', threads: actual, reason: notes.join('; ') };
    } catch (err) {
      notes.push(`threaded wasm unavailable (${firstLine(err)})`);
    }
  }
  if (!(await withoutNewProcessHandlers(() => tf.setBackend('wasm')))) {
    throw new Error('the wasm backend failed to initialise');
  }
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  notes.push(`wasm ${simd ? 'simd' : 'scalar'} single-threaded${threads.note ? ` (${threads.note})` : ''}`);
  return { backend: 'wasm', deviceKind: 'cpu', threads: 1, reason: notes.join('; ') };
}

interface EmscriptenModule {
  cwrap(name: string, ret: string | null, args: string[]): (...args: number[]) => number;
  PThread: { runningWorkers: Array<{ unref(): void }> };
  tfjs?: Record<string, (...args: number[]) => number>;
}

const WASM_INIT_TIMEOUT_MS = 30_000;

/**
 * tfjs-backend-wasm never uses threads in Node: its feature probe answers "no" there, and its
 * pthread workers come from a Blob URL that worker_threads cannot load. The package still ships
 * the threaded-SIMD build, so we instantiate it ourselves with the worker script written to a
 * file, and swap it in under the 'wasm' name so every stock wasm kernel runs on it.
 */
async function activateThreadedWasm(threads: number): Promise<number> {
  if (typeof SharedArrayBuffer === 'undefined') throw new Error('no SharedArrayBuffer');
  const wasmModule = await withTimeout(instantiateThreaded(threads), WASM_INIT_TIMEOUT_MS, 'threaded wasm start-up');
  wasmBackend.setThreadsCount(threads);
  const backend = new wasmBackend.BackendWasm(wasmModule as never);
  // Pool threads hold a ref on their worker while they wait for work; without this the process
  // would never exit on its own.
  for (const worker of wasmModule.PThread.runningWorkers) worker.unref();

  const stockFactory = tf.findBackendFactory('wasm');
  tf.removeBackend('wasm');
  tf.registerBackend('wasm', () => backend, 2);
  try {
    if (!(await tf.setBackend('wasm'))) throw new Error('setBackend refused the threaded module');
    checkThreadedKernels();
  } catch (err) {
    tf.removeBackend('wasm');
    if (stockFactory != null) tf.registerBackend('wasm', stockFactory, 2);
    throw err;
  }
  return wasmBackend.getThreadsCount();
}

async function instantiateThreaded(threads: number): Promise<EmscriptenModule> {
  const factory = requireHere('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js') as (
    config: object,
  ) => Promise<EmscriptenModule>;
  const workerPath = writeWorkerScript();
  // The module sizes its thread pool once, at start-up, as (logical cores / 2) capped by the
  // count we ask for; reporting twice the wanted count for that moment lifts the halving.
  const realCpus = os.cpus;
  os.cpus = () => {
    const cpus = realCpus.call(os);
    return Array.from({ length: threads * 2 }, (_, i) => cpus[i % cpus.length]!);
  };
  let wasmModule: EmscriptenModule;
  try {
    wasmModule = await withoutNewProcessHandlers(() =>
      factory({
        locateFile: (file: string, prefix: string) => (file.endsWith('.worker.js') ? workerPath : prefix + file),
      }),
    );
  } finally {
    os.cpus = realCpus;
  }
  const fn = (name: string, ret: string | null, args: string[]) => wasmModule.cwrap(name, ret, args);
  wasmModule.tfjs = {
    init: fn('init', null, []),
    initWithThreadsCount: fn('init_with_threads_count', null, ['number']),
    getThreadsCount: fn('get_threads_count', 'number', []),
    registerTensor: fn('register_tensor', null, ['number', 'number', 'number']),
    disposeData: fn('dispose_data', null, ['number']),
    dispose: fn('dispose', null, []),
  };
  return wasmModule;
}

/** The package ships the pthread worker as a JS string; worker_threads needs it as a file. */
function writeWorkerScript(): string {
  const { wasmWorkerContents } = requireHere(
    '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js',
  ) as { wasmWorkerContents: string };
  // The string was meant for a Blob, where its "\n" escapes had already been turned into newlines.
  const source = wasmWorkerContents.replace(/\n/g, '\\n');
  const digest = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const file = path.join(os.tmpdir(), `nasbench-tfjs-wasm-${digest}.worker.cjs`);
  if (!existsSync(file)) {
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, source);
    renameSync(partial, file);
  }
  return file;
}

/** A conv big enough to be split across the pool, with a known answer. */
function checkThreadedKernels(): void {
  const values = tf.tidy(() =>
    tf.conv2d(tf.ones([2, 12, 12, 8]) as tf.Tensor4D, tf.ones([3, 3, 8, 4]) as tf.Tensor4D, 1, 'valid').dataSync(),
  );
  if (values.length !== 2 * 10 * 10 * 4 || values.some((v) => v !== 72)) {
    throw new Error('threaded wasm computed a wrong convolution');
  }
}

// ---- gradients ------------------------------------------------------------------------------

/**
 * tfjs-core's Node entry point registers no gradients: tfjs-gradients.ts registers them all into
 * the same tfjs-core instance. Dilated convolutions then get the gradients tfjs-core lacks.
 */
async function ensureGradients(): Promise<void> {
  if (tf.getGradient(tf.Conv2D) == null) await registerAllGradients();
  registerDilatedConvGradients();
}

// ---- helpers --------------------------------------------------------------------------------

const PROCESS_EVENTS = ['uncaughtException', 'unhandledRejection'] as const;

/**
 * Emscripten's Node glue installs process handlers that rethrow every uncaught error from inside
 * its own one-line, 50 kB source, which then gets printed as the error's context. Node's default
 * handling is the same minus that noise, so the handlers are removed again.
 */
async function withoutNewProcessHandlers<T>(start: () => Promise<T>): Promise<T> {
  const emitter = process as NodeJS.EventEmitter;
  const before = PROCESS_EVENTS.map((event) => new Set(emitter.listeners(event)));
  try {
    return await start();
  } finally {
    PROCESS_EVENTS.forEach((event, i) => {
      for (const listener of emitter.listeners(event)) {
        if (!before[i]!.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
      }
    });
  }
}

function firstLine(err: unknown): string {
  return errorMessage(err).split('\n')[0]!.slice(0, 200);
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took more than ${ms / 1000} s`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
