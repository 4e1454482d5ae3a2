/**
 * Where a training step's time goes, kernel by kernel: every kernel registered for a backend is
 * wrapped with a timer. Kernels of the pack call other kernels through the registry, so times are
 * exclusive (a kernel's own time minus that of the kernels it called). What no kernel accounts for
 * is the engine's own work per operation: dispatch, the gradient tape, tensor bookkeeping.
 */
import * as tf from '../src/engine/tf.js';

export interface KernelCost {
  readonly kernel: string;
  readonly calls: number;
  /** Exclusive process CPU time, summed over the calls. */
  readonly ms: number;
}

/**
 * Times are process CPU time (all threads), which other jobs on a shared machine inflate far less
 * than wall time; with one wasm thread it is what an idle machine's wall time would be.
 */
export interface Profile {
  readonly steps: number;
  /** Per step. */
  readonly stepMs: number;
  readonly kernelMs: number;
  readonly calls: number;
  readonly kernels: KernelCost[];
}

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/**
 * Runs `step` `steps` times with every kernel of `backend` timed; restores the registry after.
 * `detail` keys kernels by their input shapes too.
 */
export function profileSteps(backend: string, step: () => void, steps: number, detail = false): Profile {
  const costs = new Map<string, { calls: number; ms: number }>();
  // Time spent in callees, per open frame.
  const childTime: number[] = [];
  const originals = tf.getKernelsForBackend(backend);
  for (const config of originals) {
    const inner = config.kernelFunc;
    const kernelFunc: tf.KernelFunc = (args) => {
      childTime.push(0);
      const start = cpuMs();
      try {
        return inner(args);
      } finally {
        const total = cpuMs() - start;
        const own = total - childTime.pop()!;
        if (childTime.length > 0) childTime[childTime.length - 1]! += total;
        const key = detail ? `${config.kernelName} ${shapes(args)}` : config.kernelName;
        const cost = costs.get(key) ?? { calls: 0, ms: 0 };
        cost.calls++;
        cost.ms += own;
        costs.set(key, cost);
      }
    };
    tf.unregisterKernel(config.kernelName, backend);
    tf.registerKernel({ ...config, kernelFunc });
  }
  const start = cpuMs();
  try {
    for (let i = 0; i < steps; i++) step();
  } finally {
    for (const config of originals) {
      tf.unregisterKernel(config.kernelName, backend);
      tf.registerKernel(config);
    }
  }
  const stepMs = (cpuMs() - start) / steps;
  const kernels = [...costs]
    .map(([kernel, c]) => ({ kernel, calls: c.calls / steps, ms: c.ms / steps }))
    .sort((a, b) => b.ms - a.ms);
  return {
    steps,
    stepMs,
    kernelMs: kernels.reduce((s, k) => s + k.ms, 0),
    calls: kernels.reduce((s, k) => s + k.calls, 0),
    kernels,
  };
}

function shapes(args: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap }): string {
  const inputs = Object.values(args.inputs).filter((t): t is tf.TensorInfo => t != null && 'shape' in t);
  const flags = Object.entries(args.attrs ?? {})
    .filter(([, v]) => v === true)
    .map(([k]) => k);
  return [inputs.map((t) => `[${t.shape.join(',')}]`).join(' '), ...flags].join(' ');
}
