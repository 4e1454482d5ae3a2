import { performance } from 'node:perf_hooks';
import { initEngine, parseBackendChoice, type EngineInfo } from '../engine/backend.js';
import type { TrainOutcome } from '../engine/train-image.js';
import { UserError, errorMessage } from '../errors.js';
import { checkDatasetContent, ensureDataset, getDataset } from '../data/index.js';
import type { EngineOptions } from '../api/task-record.js';
import type { DataDir } from '../data/data-dir.js';
import { engineOptions } from './engine-options.js';
import type { DeviceInfo, Evaluation, TaskOptions } from './types.js';

/** Resolves the engine backend once per process; a bad --backend is the user's error. */
export async function startEngine(backend: string, threads?: number): Promise<EngineInfo> {
  let choice;
  try {
    choice = parseBackendChoice(backend);
  } catch (err) {
    throw new UserError(errorMessage(err));
  }
  return initEngine(choice, threads === undefined ? {} : { threads });
}

/**
 * What every trained task does first: resolve the engine, pick the preset (named, or the one for
 * the device: 'paper' on a GPU, 'tiny' otherwise), make sure the data set is there and is the one
 * its checksums name (or that the user allowed otherwise: `dataConfig` records which files differ,
 * for the evaluator's config).
 */
export async function prepareTrainedTask<P>(
  task: string,
  dataset: string,
  presets: Readonly<Record<string, P>>,
  dir: DataDir,
  options: TaskOptions,
): Promise<{ info: EngineInfo; engine: EngineOptions; presetName: string; preset: P; dataConfig: { unverifiedData?: readonly string[] } }> {
  // A preset is checked before the engine starts: a typing error costs no backend start-up.
  const unknown = (name: string) => new UserError(`--preset ${name}: task ${task} has presets ${Object.keys(presets).join(', ')}`);
  if (options.preset !== undefined && presets[options.preset] === undefined) throw unknown(options.preset);
  const engine = engineOptions(options, 'auto');
  const info = await startEngine(engine.backend, engine.threads ?? undefined);
  const presetName = options.preset ?? (info.deviceKind === 'gpu' ? 'paper' : 'tiny');
  const preset = presets[presetName];
  if (preset === undefined) throw unknown(presetName);
  await ensureDataset(dataset, dir, { fetch: options.fetch });
  const content = await checkDatasetContent(getDataset(dataset), dir, { allowUnverified: options.allowUnverifiedData === true });
  return { info, engine, presetName, preset, dataConfig: content.verified ? {} : { unverifiedData: content.unverified } };
}

export function deviceOf(info: EngineInfo): DeviceInfo {
  return { kind: info.deviceLabel ?? info.deviceKind, backend: info.backend, threads: info.threads };
}

/**
 * Trains and measures one child, timing it on the device clock (wall time: every step syncs on
 * its loss). A diverging child is a 'diverged' evaluation; running out of memory, where the
 * backend reports it, is a 'failed' one; both leave the search running.
 */
export function measureChild(info: EngineInfo, params: number, fidelity: number, train: () => TrainOutcome): Evaluation {
  const start = performance.now();
  const device = deviceOf(info);
  try {
    const out = train();
    return {
      status: out.status,
      metrics: out.metrics,
      params,
      fidelity,
      deviceSeconds: (performance.now() - start) / 1000,
      device,
      ...(out.error ? { error: out.error } : {}),
    };
  } catch (err) {
    const message = errorMessage(err);
    const oom = /out of memory|OOM|Cannot allocate|allocation failed/i.test(message);
    return {
      status: 'failed',
      metrics: {},
      params,
      fidelity,
      deviceSeconds: (performance.now() - start) / 1000,
      device,
      error: oom ? `out of memory while training the child: ${message}` : message,
    };
  }
}
