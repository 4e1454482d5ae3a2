import type { Tensorflow } from '../api/index.js';
import type { EngineOptions } from '../api/task-record.js';
import type { TaskOptions } from './types.js';

/** The engine a task opens with: `--backend` or the task's own default, and `--threads`. */
export function engineOptions(options: TaskOptions, defaultBackend: string): EngineOptions {
  return { backend: options.backend ?? defaultBackend, threads: options.threads ?? null };
}

/**
 * A task's `ctx.tensorflow()`: TensorFlow.js on the engine its options resolve (the one a trained
 * task has already started), started on the first call, so that a method that never calls it never
 * loads TensorFlow.js.
 */
export function lazyTensorflow(engine: EngineOptions): () => Promise<Tensorflow> {
  let loaded: Promise<Tensorflow> | undefined;
  return () =>
    (loaded ??= (async () => {
      const { startEngine } = await import('./engine-evaluation.js');
      await startEngine(engine.backend, engine.threads ?? undefined);
      const tf = await import('../engine/tf.js');
      await tf.ready();
      return tf as unknown as Tensorflow;
    })());
}
