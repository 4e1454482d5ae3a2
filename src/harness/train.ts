import { errorMessage, UserError } from '../errors.js';
import type { DataDir } from '../tasks/index.js';
import { getTask } from '../tasks/index.js';
import type { EvalStatus } from '../api/index.js';
import type { DeviceInfo, EvalJob, TaskOptions } from '../tasks/types.js';
import { withTaskDefaults } from './task-options.js';
import { getCodeVersion } from './package-root.js';

export interface TrainRequest {
  readonly task: string;
  /** The space's canonical string; the task's reference cell when absent. */
  readonly arch?: string;
  /** Seed for weights, data order and augmentation. */
  readonly seed: number;
  readonly dataDir: DataDir;
  /** How to open the task (preset, data fetching, engine backend); unset ones are the task's defaults. */
  readonly options?: Partial<TaskOptions>;
}

/** One architecture trained as a run's final evaluation is, with what it was trained on and by. */
export interface TrainResult {
  readonly task: string;
  readonly arch: string;
  readonly seed: number;
  readonly status: EvalStatus;
  readonly error: string | null;
  readonly metrics: Readonly<Record<string, number>>;
  readonly params: number | null;
  readonly epochs: number | null;
  readonly deviceSeconds: number;
  readonly device: DeviceInfo;
  /** The resolved preset's settings. */
  readonly config: Readonly<Record<string, unknown>>;
  readonly codeVersion: string;
  readonly date: string;
}

/**
 * Trains one fixed architecture exactly as a run's final evaluation is (the preset's final
 * setting), outside any experiment: nothing is stored. A bad task or architecture is the user's
 * error, found before the engine starts.
 */
export async function trainArchitecture(req: TrainRequest, onProgress?: EvalJob['onProgress']): Promise<TrainResult> {
  const task = getTask(req.task);
  const text = req.arch ?? task.reference;
  if (text === undefined) throw new UserError(`task ${task.name} has no reference architecture: give one with --arch`);
  let arch;
  try {
    arch = task.space.parse(text);
  } catch (err) {
    throw new UserError(`--arch: ${errorMessage(err)}`);
  }
  const evaluator = await task.open(req.dataDir, withTaskDefaults(req.options));
  try {
    const evaluation = await evaluator.finalEvaluate(arch, { seed: req.seed, onProgress });
    return {
      task: task.name,
      arch: task.space.format(arch),
      seed: req.seed,
      status: evaluation.status,
      error: evaluation.error ?? null,
      metrics: evaluation.metrics,
      params: evaluation.params,
      epochs: evaluation.fidelity,
      deviceSeconds: evaluation.deviceSeconds,
      device: evaluation.device,
      config: evaluator.record.settings,
      codeVersion: getCodeVersion(),
      date: new Date().toISOString(),
    };
  } finally {
    evaluator.close();
  }
}
