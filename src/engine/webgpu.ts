/**
 * The TensorFlow.js WebGPU backend in Node, on Dawn's Node binding (npm `webgpu`, a prebuilt
 * binary inside the package). Both packages are optional dependencies: where they did not
 * install, `--backend webgpu` says so and `auto` moves on.
 */
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { errorMessage } from '../errors.js';
import { registerWebgpuKernels } from './webgpu-kernels/index.js';
import { adapterDeviceKind, summarizeAdapter, type AdapterFacts, type AdapterSummary, type DawnRoute } from './webgpu-adapter.js';

const requireHere = createRequire(import.meta.url);

// The few WebGPU objects touched here; the full types come with the optional package.
interface GpuBuffer {
  readonly size: number;
  readonly mapState: 'unmapped' | 'pending' | 'mapped';
  mapAsync(mode: number): Promise<void>;
  getMappedRange(): ArrayBuffer;
  unmap(): void;
}
interface GpuDevice {
  destroy(): void;
  addEventListener(type: 'uncapturederror', listener: (event: { error: { message: string } }) => void): void;
}
interface GpuAdapter {
  readonly info: AdapterFacts;
  readonly isFallbackAdapter?: boolean;
  readonly features: ReadonlySet<string>;
  readonly limits: Record<string, number>;
  requestDevice(descriptor: object): Promise<GpuDevice>;
}
interface Gpu {
  requestAdapter(options?: object): Promise<GpuAdapter | null>;
}
interface DawnModule {
  create(options: string[]): Gpu;
  globals: Record<string, unknown>;
}
/** The parts of tfjs's WebGPUBackend that a synchronous read needs (see syncRead). */
interface WebgpuBackendInternals {
  readonly device: GpuDevice;
  tensorMap: { get(dataId: object): { values: tf.BackendValues | null; dtype: tf.DataType; resource: GpuBuffer | null } };
  bufferManager: { acquireBuffer(size: number, usage: number): GpuBuffer; releaseBuffer(buffer: GpuBuffer): void };
  commandEncoder: { copyBufferToBuffer(src: GpuBuffer, srcOffset: number, dst: GpuBuffer, dstOffset: number, size: number): void };
  ensureCommandEncoderReady(): void;
  endComputePassEncoder(): void;
  submitQueue(): void;
  convertAndCacheOnCPU(dataId: object, values: tf.BackendValues): tf.BackendValues;
  readSync(dataId: object): tf.BackendValues;
}

export interface OpenedAdapter {
  readonly gpu: Gpu;
  readonly adapter: GpuAdapter;
  readonly route: DawnRoute;
  readonly summary: AdapterSummary;
  readonly deviceKind: string;
}

export interface WebgpuEngine {
  readonly summary: AdapterSummary;
  /** Stored with every evaluation, e.g. "gpu (NVIDIA GeForce RTX 4090)". */
  readonly deviceKind: string;
}

let dawn: DawnModule | null = null;

/**
 * On Linux a GPU shows as a device node: a DRM render node (AMD, Intel, NVIDIA's open driver),
 * NVIDIA's own nodes, or WSL's /dev/dxg. Without one only a software adapter can be found, and
 * asking Dawn costs a second and prints its warnings: `auto` does not ask.
 */
export function mayHaveGpu(): boolean {
  if (process.platform !== 'linux') return true;
  const dri = existsSync('/dev/dri') ? readdirSync('/dev/dri').some((name) => name.startsWith('renderD')) : false;
  return dri || existsSync('/dev/nvidia0') || existsSync('/dev/dxg');
}

/**
 * Finds a WebGPU adapter: Dawn's default backend first (Vulkan on Linux, Metal, D3D12), then on
 * Linux Dawn's OpenGL ES backend in compatibility mode, which runs on the stock Mesa llvmpipe
 * where the Mesa lavapipe is too old for Dawn's Vulkan backend. Returns null with the reason in
 * `notes` when there is none or the packages are absent.
 */
export async function findAdapter(notes: string[]): Promise<OpenedAdapter | null> {
  const module = await loadDawn(notes);
  if (module === null) return null;
  const tried: string[] = [];
  const routes: DawnRoute[] = process.platform === 'linux' ? ['default', 'opengles'] : ['default'];
  for (const route of routes) {
    try {
      const { gpu, adapter } = await requestAdapter(module, route);
      if (adapter !== null) {
        const facts = { ...readFacts(adapter.info), isFallbackAdapter: adapter.info.isFallbackAdapter ?? adapter.isFallbackAdapter };
        const summary = summarizeAdapter(facts, route);
        return { gpu, adapter, route, summary, deviceKind: adapterDeviceKind(summary) };
      }
      tried.push(`${route === 'default' ? 'default backend' : 'OpenGL ES'}: no adapter`);
    } catch (err) {
      tried.push(`${route === 'default' ? 'default backend' : 'OpenGL ES'}: ${firstLine(err)}`);
    }
  }
  notes.push(`webgpu found no adapter (${tried.join('; ')})`);
  return null;
}

async function requestAdapter(module: DawnModule, route: DawnRoute): Promise<{ gpu: Gpu; adapter: GpuAdapter | null }> {
  if (route === 'default') {
    const gpu = module.create([]);
    return { gpu, adapter: await gpu.requestAdapter({ powerPreference: 'high-performance' }) };
  }
  // Mesa's EGL needs no display server on its surfaceless platform.
  process.env.EGL_PLATFORM ??= 'surfaceless';
  const gpu = module.create(['backend=opengles']);
  return { gpu, adapter: await gpu.requestAdapter({ featureLevel: 'compatibility' }) };
}

/** GPUAdapterInfo's fields are getters on its prototype: copy them into a plain object. */
function readFacts(info: AdapterFacts): AdapterFacts {
  return { vendor: info.vendor ?? '', architecture: info.architecture ?? '', device: info.device ?? '', description: info.description ?? '' };
}

async function loadDawn(notes: string[]): Promise<DawnModule | null> {
  if (dawn !== null) return dawn;
  for (const name of ['webgpu', '@tensorflow/tfjs-backend-webgpu', 'deasync']) {
    try {
      requireHere.resolve(name);
    } catch {
      notes.push(`webgpu needs the optional package ${name}, which is not installed`);
      return null;
    }
  }
  try {
    const module = (await import(pathToFileURL(requireHere.resolve('webgpu')).href)) as DawnModule;
    // Dawn's classes (GPUBufferUsage, GPUMapMode, …) are globals in a browser; tfjs expects them there.
    Object.assign(globalThis, module.globals);
    dawn = module;
    return module;
  } catch (err) {
    notes.push(`webgpu's Dawn binding failed to load (${firstLine(err)})`);
    return null;
  }
}

/**
 * Makes a device on the adapter (with the limits tfjs asks for on its own), registers tfjs's
 * WebGPU backend on it and activates it. The device is destroyed when the process exits.
 */
export async function startWebgpu(opened: OpenedAdapter): Promise<WebgpuEngine> {
  const { adapter } = opened;
  const limits = adapter.limits;
  const device = await adapter.requestDevice({
    requiredFeatures: ['timestamp-query'].filter((f) => adapter.features.has(f)),
    requiredLimits: Object.fromEntries(
      [
        'maxComputeWorkgroupStorageSize',
        'maxComputeWorkgroupsPerDimension',
        'maxStorageBufferBindingSize',
        'maxBufferSize',
        'maxComputeWorkgroupSizeX',
        'maxComputeInvocationsPerWorkgroup',
        // tfjs binds every input of a kernel as a storage buffer (AddN, Concat): as many as the adapter allows.
        'maxStorageBuffersPerShaderStage',
      ].map((name) => [name, limits[name]]),
    ),
  });
  process.once('exit', () => device.destroy());
  // tfjs-backend-webgpu registers itself only where navigator.gpu exists; Node has no navigator.
  const nav = (globalThis as { navigator?: { gpu?: unknown } }).navigator;
  if (nav === undefined) Object.defineProperty(globalThis, 'navigator', { value: { gpu: opened.gpu }, configurable: true, writable: true });
  else if (nav.gpu === undefined) Object.defineProperty(nav, 'gpu', { value: opened.gpu, configurable: true });
  const { WebGPUBackend } = (await import(pathToFileURL(requireHere.resolve('@tensorflow/tfjs-backend-webgpu')).href)) as {
    WebGPUBackend: new (device: GpuDevice, info: AdapterFacts) => tf.KernelBackend;
  };
  const backend = new WebGPUBackend(device, readFacts(adapter.info));
  installSyncRead(backend as unknown as WebgpuBackendInternals, watchErrors(device));
  registerWebgpuKernels();
  // Replaces the package's own factory, which would ask navigator.gpu for a second device.
  tf.removeBackend('webgpu');
  tf.registerBackend('webgpu', () => backend, 3);
  if (!(await tf.setBackend('webgpu'))) throw new Error('the webgpu backend failed to initialise');
  return { summary: opened.summary, deviceKind: opened.deviceKind };
}

// ---- synchronous reads ------------------------------------------------------------------------

/**
 * The engine reads losses with dataSync(). tfjs's WebGPU readSync copies through an
 * OffscreenCanvas, which Node lacks; and Dawn completes a buffer mapping only from its event
 * tick on Node's event loop. So a synchronous read copies the tensor into a staging buffer (as
 * tfjs's asynchronous read does) and runs the event loop in place (deasync) until the mapping
 * is done. While it waits, other callbacks that are due (timers, I/O) run too, as they would
 * at an await.
 */
function installSyncRead(backend: WebgpuBackendInternals, takeError: () => string | null): void {
  const { loopWhile } = requireHere('deasync') as { loopWhile(pred: () => boolean): void };
  const { GPUBufferUsage, GPUMapMode } = globalThis as unknown as {
    GPUBufferUsage: { COPY_DST: number; MAP_READ: number };
    GPUMapMode: { READ: number };
  };
  backend.readSync = (dataId: object): tf.BackendValues => {
    const data = backend.tensorMap.get(dataId);
    if (data.values != null || data.dtype === 'string') return data.values!;
    if (data.dtype === 'complex64' || data.resource === null) throw new Error(`webgpu: cannot read a ${data.dtype} tensor synchronously`);
    const source = data.resource;
    const staging = backend.bufferManager.acquireBuffer(source.size, GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ);
    backend.ensureCommandEncoderReady();
    backend.endComputePassEncoder();
    backend.commandEncoder.copyBufferToBuffer(source, 0, staging, 0, source.size);
    backend.submitQueue();
    let failure: unknown = null;
    staging.mapAsync(GPUMapMode.READ).catch((err: unknown) => (failure = err ?? new Error('mapAsync failed')));
    loopWhile(() => staging.mapState === 'pending' && failure === null);
    if (failure !== null || staging.mapState !== 'mapped') {
      throw new Error(`webgpu: reading a tensor back failed (${failure === null ? staging.mapState : errorMessage(failure)})`);
    }
    const bytes = staging.getMappedRange().slice(0);
    staging.unmap();
    backend.bufferManager.releaseBuffer(staging);
    const error = takeError();
    if (error !== null) throw new Error(`webgpu device error: ${error}`);
    return backend.convertAndCacheOnCPU(dataId, tf.util.convertBackendValuesAndArrayBuffer(bytes, data.dtype));
  };
}

/**
 * A WebGPU command that fails validation (or runs out of memory) does not throw: the device
 * reports it as an event and the results read as zeros. The errors are kept until the next
 * read, which throws the first of them, so that a training step fails instead of learning from
 * zeros.
 */
function watchErrors(device: GpuDevice): () => string | null {
  let first: string | null = null;
  device.addEventListener('uncapturederror', (event) => {
    first ??= event.error.message.split('\n')[0]!.slice(0, 300);
  });
  return () => {
    const error = first;
    first = null;
    return error;
  };
}

function firstLine(err: unknown): string {
  return errorMessage(err).split('\n')[0]!.slice(0, 200);
}
