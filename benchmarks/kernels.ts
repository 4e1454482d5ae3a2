/**
 * The hot training kernels on wasm: the kernel pack against the stock wasm kernel (where one
 * exists) and against the cpu backend, then whole training steps of a small CNN and a 2-layer
 * LSTM language model with the pack.
 * Usage: node dist/benchmarks/kernels.js [--threads N] [--quick]
 * One wasm thread by default, so that the CPU-time figures are comparable from run to run
 * (pool threads spin while they wait, which CPU time would count).
 */
import { loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { Bench } from 'tinybench';
import { initEngine } from '../src/engine/backend.js';
import { PACK_KERNELS } from '../src/engine/wasm-kernels/index.js';
import { machine, markdownTable, writeResults } from './results.js';

const threadsFlag = process.argv.indexOf('--threads');
const threads = threadsFlag >= 0 ? Number(process.argv[threadsFlag + 1]) : 1;
const quick = process.argv.includes('--quick');

type Variant = 'pack' | 'stock' | 'cpu';
interface Case {
  readonly name: string;
  readonly kernel: string;
  readonly inputs: Record<string, { shape: number[]; dtype?: 'int32'; max?: number }>;
  readonly attrs: Record<string, unknown>;
  /** Floating-point operations of one call, where that is meaningful. */
  readonly flops?: number;
  /** The cpu backend is too slow to time at this size. */
  readonly skipCpu?: boolean;
}

const conv = (n: number, h: number, c: number, k: number, s: number, co = c) => 2 * n * (h / s) * (h / s) * co * c * k * k;

const CASES: Case[] = [
  {
    name: 'Conv2DBackpropInput 3x3 s1, 8x16x16x16',
    kernel: 'Conv2DBackpropInput',
    inputs: { dy: { shape: [8, 16, 16, 16] }, filter: { shape: [3, 3, 16, 16] } },
    attrs: { strides: 1, pad: 'same', dataFormat: 'NHWC', inputShape: [8, 16, 16, 16] },
    flops: conv(8, 16, 16, 3, 1),
  },
  {
    name: 'Conv2DBackpropInput 3x3 s2, 8x16x16x16',
    kernel: 'Conv2DBackpropInput',
    inputs: { dy: { shape: [8, 8, 8, 16] }, filter: { shape: [3, 3, 16, 16] } },
    attrs: { strides: 2, pad: 'same', dataFormat: 'NHWC', inputShape: [8, 16, 16, 16] },
    flops: conv(8, 16, 16, 3, 2),
  },
  {
    name: 'Conv2DBackpropInput 3x3 s1, 32x32x32x32',
    kernel: 'Conv2DBackpropInput',
    inputs: { dy: { shape: [32, 32, 32, 32] }, filter: { shape: [3, 3, 32, 32] } },
    attrs: { strides: 1, pad: 'same', dataFormat: 'NHWC', inputShape: [32, 32, 32, 32] },
    flops: conv(32, 32, 32, 3, 1),
    skipCpu: true,
  },
  {
    name: 'Conv2DBackpropFilter 3x3 s1, 8x16x16x16',
    kernel: 'Conv2DBackpropFilter',
    inputs: { x: { shape: [8, 16, 16, 16] }, dy: { shape: [8, 16, 16, 16] } },
    attrs: { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 16, 16] },
    flops: conv(8, 16, 16, 3, 1),
  },
  {
    name: 'Conv2DBackpropFilter 3x3 s1, 32x32x32x32',
    kernel: 'Conv2DBackpropFilter',
    inputs: { x: { shape: [32, 32, 32, 32] }, dy: { shape: [32, 32, 32, 32] } },
    attrs: { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 32, 32] },
    flops: conv(32, 32, 32, 3, 1),
    skipCpu: true,
  },
  {
    name: 'Conv2DBackpropFilter 1x1 s1, 32x32x32x32',
    kernel: 'Conv2DBackpropFilter',
    inputs: { x: { shape: [32, 32, 32, 32] }, dy: { shape: [32, 32, 32, 32] } },
    attrs: { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [1, 1, 32, 32] },
    flops: conv(32, 32, 32, 1, 1),
    skipCpu: true,
  },
  {
    name: 'Conv2D forward 3x3 s1, 32x32x32x32 (stock, reference)',
    kernel: 'Conv2D',
    inputs: { x: { shape: [32, 32, 32, 32] }, filter: { shape: [3, 3, 32, 32] } },
    attrs: { strides: 1, pad: 'same', dataFormat: 'NHWC', dilations: 1 },
    flops: conv(32, 32, 32, 3, 1),
    skipCpu: true,
  },
  {
    name: 'DepthwiseConv2dNativeBackpropInput 5x5 s1, 8x16x16x32',
    kernel: 'DepthwiseConv2dNativeBackpropInput',
    inputs: { dy: { shape: [8, 16, 16, 32] }, filter: { shape: [5, 5, 32, 1] } },
    attrs: { strides: 1, pad: 'same', dilations: 1, inputShape: [8, 16, 16, 32] },
    flops: 2 * 8 * 16 * 16 * 32 * 25,
  },
  {
    name: 'DepthwiseConv2dNativeBackpropFilter 3x3 s1, 8x16x16x32',
    kernel: 'DepthwiseConv2dNativeBackpropFilter',
    inputs: { x: { shape: [8, 16, 16, 32] }, dy: { shape: [8, 16, 16, 32] } },
    attrs: { strides: 1, pad: 'same', dilations: 1, filterShape: [3, 3, 32, 1] },
    flops: 2 * 8 * 16 * 16 * 32 * 9,
  },
  {
    name: 'DepthwiseConv2dNativeBackpropFilter 3x3 s1, 32x32x32x32',
    kernel: 'DepthwiseConv2dNativeBackpropFilter',
    inputs: { x: { shape: [32, 32, 32, 32] }, dy: { shape: [32, 32, 32, 32] } },
    attrs: { strides: 1, pad: 'same', dilations: 1, filterShape: [3, 3, 32, 1] },
    flops: 2 * 32 * 32 * 32 * 32 * 9,
    skipCpu: true,
  },
  {
    name: 'DepthwiseConv2dNative forward 3x3 s1, 32x32x32x32 (stock, reference)',
    kernel: 'DepthwiseConv2dNative',
    inputs: { x: { shape: [32, 32, 32, 32] }, filter: { shape: [3, 3, 32, 1] } },
    attrs: { strides: 1, pad: 'same', dilations: 1 },
    flops: 2 * 32 * 32 * 32 * 32 * 9,
    skipCpu: true,
  },
  {
    name: 'MaxPoolGrad 3x3 s1, 8x16x16x32',
    kernel: 'MaxPoolGrad',
    inputs: { dy: { shape: [8, 16, 16, 32] }, input: { shape: [8, 16, 16, 32] }, output: { shape: [8, 16, 16, 32] } },
    attrs: { filterSize: 3, strides: 1, pad: 'same' },
  },
  {
    name: 'BatchMatMul 700x200 · 200x10000 (LM softmax layer)',
    kernel: 'BatchMatMul',
    inputs: { a: { shape: [700, 200] }, b: { shape: [200, 10000] } },
    attrs: { transposeA: false, transposeB: false },
    flops: 2 * 700 * 200 * 10000,
    skipCpu: true,
  },
  {
    name: 'BatchMatMul transposeA 200x700ᵀ · 700x800 (LSTM dW)',
    kernel: 'BatchMatMul',
    inputs: { a: { shape: [700, 200] }, b: { shape: [700, 800] } },
    attrs: { transposeA: true, transposeB: false },
    flops: 2 * 700 * 200 * 800,
  },
  {
    name: 'BatchMatMul transposeB 20x800 · 200x800ᵀ (LSTM dx)',
    kernel: 'BatchMatMul',
    inputs: { a: { shape: [20, 800] }, b: { shape: [200, 800] } },
    attrs: { transposeA: false, transposeB: true },
    flops: 2 * 20 * 800 * 200,
  },
  {
    name: 'BatchMatMul batched 8x(128x64 · 64x128) (attention scores)',
    kernel: 'BatchMatMul',
    inputs: { a: { shape: [8, 128, 64] }, b: { shape: [8, 128, 64] } },
    attrs: { transposeA: false, transposeB: true },
    flops: 2 * 8 * 128 * 64 * 128,
  },
  {
    name: 'UnsortedSegmentSum 700 ids into 10000x200 (embedding gradient)',
    kernel: 'UnsortedSegmentSum',
    inputs: { x: { shape: [700, 200] }, segmentIds: { shape: [700], dtype: 'int32', max: 10000 } },
    attrs: { numSegments: 10000 },
    // The cpu backend composes it from one mask per segment: minutes at this size.
    skipCpu: true,
  },
  {
    name: 'Slice one LSTM gate of 20x800',
    kernel: 'Slice',
    inputs: { x: { shape: [20, 800] } },
    attrs: { begin: [0, 200], size: [20, 200] },
  },
  {
    name: 'SplitV 64x32x32x32 into 4 along channels',
    kernel: 'SplitV',
    inputs: { x: { shape: [64, 32, 32, 32] } },
    attrs: { numOrSizeSplits: 4, axis: 3 },
  },
  {
    name: 'Unpack 35 time steps of 35x20x200',
    kernel: 'Unpack',
    inputs: { value: { shape: [35, 20, 200] } },
    attrs: { axis: 0 },
  },
  {
    name: 'Tile 1x1x1x32 to 32x32x32x32 (batch-norm gradient)',
    kernel: 'Tile',
    inputs: { x: { shape: [1, 1, 1, 32] } },
    attrs: { reps: [32, 32, 32, 1] },
  },
  {
    name: 'Transpose 1120x10000 (LM output-layer gradient)',
    kernel: 'Transpose',
    inputs: { x: { shape: [1120, 10000] } },
    attrs: { perm: [1, 0] },
    skipCpu: true,
  },
  {
    name: 'Identity 32x32x32x32',
    kernel: 'Identity',
    inputs: { x: { shape: [32, 32, 32, 32] } },
    attrs: {},
  },
];

function makeInputs(c: Case): Record<string, tf.Tensor> {
  return Object.fromEntries(
    Object.entries(c.inputs).map(([key, spec]) => [
      key,
      spec.dtype === 'int32'
        ? tf.randomUniform(spec.shape, 0, spec.max ?? 10, 'int32')
        : tf.randomUniform(spec.shape, -1, 1),
    ]),
  );
}

interface Stats {
  /** Wall time per call. */
  meanMs: number;
  p50Ms: number;
  rmePercent: number;
  samples: number;
  /** Process CPU time per call, all threads: unaffected by other load on the machine. */
  cpuMs: number;
}

interface Row extends Stats {
  case: string;
  variant: Variant;
  gflops?: number;
}

const timing = quick
  ? { time: 100, iterations: 2, warmupTime: 0, warmupIterations: 1 }
  : { time: 400, iterations: 5, warmupTime: 50, warmupIterations: 2 };

function measure(name: string, fn: () => void): Stats {
  const bench = new Bench({ name, ...timing });
  let calls = 0;
  bench.add(name, () => {
    calls++;
    fn();
  });
  const before = process.cpuUsage();
  const [task] = bench.runSync();
  const used = process.cpuUsage(before);
  const result = task!.result;
  if (result.state === 'errored') throw result.error;
  if (result.state !== 'completed') throw new Error(`${name}: ${result.state}`);
  return {
    meanMs: result.latency.mean,
    p50Ms: result.latency.p50,
    rmePercent: result.latency.rme,
    samples: result.latency.samplesCount,
    cpuMs: (used.user + used.system) / 1000 / calls,
  };
}

/** Runs a kernel outside the registry so the stock function can be timed next to the pack. */
function callKernel(kernel: tf.KernelConfig, inputs: Record<string, tf.Tensor>, attrs: Record<string, unknown>): void {
  const backend = tf.backend();
  const out = kernel.kernelFunc({ inputs, backend, attrs: attrs as tf.NamedAttrMap });
  for (const info of Array.isArray(out) ? out : [out]) backend.disposeData(info.dataId);
}

async function kernelRows(stock: Map<string, tf.KernelConfig>): Promise<Row[]> {
  const rows: Row[] = [];
  for (const c of CASES) {
    const variants: Variant[] = ['pack'];
    if (stock.has(c.kernel) && PACK_KERNELS.includes(c.kernel)) variants.push('stock');
    if (!c.skipCpu && tf.getKernel(c.kernel, 'cpu') !== undefined) variants.push('cpu');
    for (const variant of variants) {
      await tf.setBackend(variant === 'cpu' ? 'cpu' : 'wasm');
      const inputs = makeInputs(c);
      const kernel = variant === 'stock' ? stock.get(c.kernel)! : tf.getKernel(c.kernel, tf.getBackend())!;
      const stats = measure(`${c.name} [${variant}]`, () => callKernel(kernel, inputs, c.attrs));
      tf.dispose(Object.values(inputs));
      const row: Row = { case: c.name, variant, ...stats };
      if (c.flops !== undefined) row.gflops = c.flops / stats.cpuMs / 1e6;
      rows.push(row);
      console.log(`${c.name} [${variant}]: ${stats.meanMs.toFixed(2)} ms wall, ${stats.cpuMs.toFixed(2)} ms CPU`);
    }
  }
  await tf.setBackend('wasm');
  return rows;
}

// ---- whole training steps -------------------------------------------------------------------

interface StepResult {
  readonly model: string;
  readonly unit: string;
  /** Throughput by wall time, and by process CPU time (what an otherwise idle machine would give on one thread). */
  readonly perSecond: number;
  readonly perCpuSecond: number;
  readonly stepMs: number;
  readonly stepCpuMs: number;
}

function cnnStep(batch: number): { step: () => void; dispose: () => void } {
  const v = (shape: number[]) => tf.variable(tf.randomNormal(shape, 0, Math.sqrt(2 / shape.slice(0, -1).reduce((a, b) => a * b, 1))));
  const params = {
    stem: v([3, 3, 3, 32]),
    c1: v([3, 3, 32, 32]),
    dw: v([5, 5, 32, 1]),
    pw: v([1, 1, 32, 32]),
    down: v([3, 3, 32, 64]),
    c2: v([3, 3, 64, 64]),
    fc: v([64, 10]),
  };
  const scales: tf.Variable[] = [];
  // tfjs-core's batch-norm gradient needs a scale and an offset, as trained models have anyway.
  const norm = (channels: number) => {
    const gamma = tf.variable(tf.ones([channels]));
    const beta = tf.variable(tf.zeros([channels]));
    scales.push(gamma, beta);
    return (x: tf.Tensor4D) => {
      const { mean, variance } = tf.moments(x, [0, 1, 2]);
      return tf.relu(tf.batchNorm(x, mean, variance, beta, gamma, 1e-3)) as tf.Tensor4D;
    };
  };
  const bn = [32, 32, 32, 64, 64].map(norm);
  const x = tf.randomNormal([batch, 32, 32, 3]) as tf.Tensor4D;
  const labels = tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32') as tf.Tensor1D, 10);
  const optimizer = tf.train.momentum(0.01, 0.9);
  const loss = () => {
    let h = bn[0]!(tf.conv2d(x, params.stem as tf.Tensor4D, 1, 'same'));
    const a = bn[1]!(tf.conv2d(h, params.c1 as tf.Tensor4D, 1, 'same'));
    const b = bn[2]!(tf.separableConv2d(h, params.dw as tf.Tensor4D, params.pw as tf.Tensor4D, 1, 'same'));
    h = tf.add(tf.add(a, b), tf.maxPool(h, 3, 1, 'same'));
    h = bn[3]!(tf.conv2d(h, params.down as tf.Tensor4D, 2, 'same'));
    h = tf.add(h, bn[4]!(tf.conv2d(h, params.c2 as tf.Tensor4D, 1, 'same')));
    const logits = tf.matMul(tf.mean(h, [1, 2]), params.fc);
    return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
  };
  return {
    step: () => tf.dispose(optimizer.minimize(loss, true) ?? []),
    dispose: () => {
      optimizer.dispose();
      tf.dispose([...Object.values(params), ...scales, x, labels]);
    },
  };
}

function lstmStep(batch: number, steps: number, hidden: number, vocab: number): { step: () => void; dispose: () => void } {
  const v = (shape: number[]) => tf.variable(tf.randomUniform(shape, -0.1, 0.1));
  const embed = v([vocab, hidden]);
  const layers = [0, 1].map(() => ({ w: v([2 * hidden, 4 * hidden]), b: v([4 * hidden]) }));
  const out = { w: v([hidden, vocab]), b: v([vocab]) };
  const ids = tf.randomUniform([steps, batch], 0, vocab, 'int32');
  const targets = tf.randomUniform([steps * batch], 0, vocab, 'int32');
  const optimizer = tf.train.sgd(0.5);
  const loss = () => {
    let inputs = tf.unstack(tf.gather(embed, ids)); // steps x [batch, hidden]
    for (const layer of layers) {
      let h = tf.zeros([batch, hidden]);
      let c = tf.zeros([batch, hidden]);
      const outputs: tf.Tensor[] = [];
      for (const x of inputs) {
        const gates = tf.add(tf.matMul(tf.concat([x, h], 1), layer.w), layer.b);
        const [i, f, g, o] = tf.split(gates, 4, 1);
        c = tf.add(tf.mul(tf.sigmoid(f!), c), tf.mul(tf.sigmoid(i!), tf.tanh(g!)));
        h = tf.mul(tf.sigmoid(o!), tf.tanh(c));
        outputs.push(h);
      }
      inputs = outputs;
    }
    const logits = tf.add(tf.matMul(tf.concat(inputs, 0), out.w), out.b);
    const logProbs = tf.logSoftmax(logits);
    const picked = tf.sum(tf.mul(logProbs, tf.oneHot(targets as tf.Tensor1D, vocab)), 1);
    return tf.neg(tf.mean(picked)) as tf.Scalar;
  };
  return {
    step: () => tf.dispose(optimizer.minimize(loss, true) ?? []),
    dispose: () => {
      optimizer.dispose();
      tf.dispose([embed, ...layers.flatMap((l) => [l.w, l.b]), out.w, out.b, ids, targets]);
    },
  };
}

function trainingRows(): StepResult[] {
  const results: StepResult[] = [];
  const cnnBatch = 32;
  const cnn = cnnStep(cnnBatch);
  const cnnStats = measure('CNN train step', cnn.step);
  cnn.dispose();
  results.push({
    model: `CNN (5 conv + 1 sep-conv 5x5, bn, maxpool), batch ${cnnBatch} of 32x32x3`,
    unit: 'img/s',
    perSecond: (cnnBatch * 1000) / cnnStats.meanMs,
    perCpuSecond: (cnnBatch * 1000) / cnnStats.cpuMs,
    stepMs: cnnStats.meanMs,
    stepCpuMs: cnnStats.cpuMs,
  });
  const [batch, steps, hidden, vocab] = [20, 35, 200, 10000];
  const lm = lstmStep(batch, steps, hidden, vocab);
  const lmStats = measure('LSTM LM train step', lm.step);
  lm.dispose();
  results.push({
    model: `2-layer LSTM LM, h=${hidden}, vocab ${vocab}, bptt ${steps}, batch ${batch}`,
    unit: 'tokens/s',
    perSecond: (batch * steps * 1000) / lmStats.meanMs,
    perCpuSecond: (batch * steps * 1000) / lmStats.cpuMs,
    stepMs: lmStats.meanMs,
    stepCpuMs: lmStats.cpuMs,
  });
  for (const r of results) console.log(`${r.model}: ${r.perSecond.toFixed(0)} ${r.unit} wall, ${r.perCpuSecond.toFixed(0)} per CPU-second`);
  return results;
}

// ---- report ---------------------------------------------------------------------------------

function markdown(info: { backend: string; threads: number; reason: string }, load: number[], rows: Row[], steps: StepResult[]): string {
  const fmt = (ms: number | undefined) => (ms === undefined ? '–' : ms < 1 ? ms.toFixed(3) : ms.toFixed(1));
  const cpu = (r: Row | undefined) => fmt(r?.cpuMs);
  const byCase = new Map<string, Partial<Record<Variant, Row>>>();
  for (const row of rows) byCase.set(row.case, { ...byCase.get(row.case), [row.variant]: row });
  const ratio = (a?: Row, b?: Row) => (a && b ? `${(b.cpuMs / a.cpuMs).toFixed(1)}×` : '–');
  const table = markdownTable(
    ['kernel and shape', 'pack', 'stock wasm', 'cpu backend', 'pack vs stock', 'pack vs cpu', 'pack GFLOP/s', 'pack wall'],
    [...byCase].map(([name, v]) => [
      name,
      cpu(v.pack),
      cpu(v.stock),
      cpu(v.cpu),
      ratio(v.pack, v.stock),
      ratio(v.pack, v.cpu),
      v.pack?.gflops === undefined ? '–' : v.pack.gflops.toFixed(1),
      fmt(v.pack?.meanMs),
    ]),
  );
  const stepTable = markdownTable(
    ['model', 'by CPU time', 'by wall time', 'step CPU ms', 'step wall ms'],
    steps.map((s) => [
      s.model,
      `${s.perCpuSecond.toFixed(0)} ${s.unit}`,
      `${s.perSecond.toFixed(0)} ${s.unit}`,
      s.stepCpuMs.toFixed(0),
      s.stepMs.toFixed(0),
    ]),
  );
  return [
    '# Training kernels on wasm',
    '',
    `Engine: ${info.backend}, ${info.threads} thread(s) (${info.reason}). Load average before/after: ${load.map((l) => l.toFixed(2)).join(' / ')}.`,
    'Milliseconds of process CPU time per call (all threads), which other jobs on the machine do not inflate;',
    'with one thread it is the wall time of an otherwise idle machine. "pack wall" is the mean wall time (tinybench).',
    '"stock" is the kernel tfjs-backend-wasm 4.22 registers; "–" where it has none or where the cpu backend is too',
    'slow to time at that size. Produced by `node dist/benchmarks/kernels.js`.',
    '',
    table,
    '',
    '## Whole training steps (forward, backward, optimizer update) with the pack',
    '',
    stepTable,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  // The stock kernels, captured before the pack replaces them in the registry.
  const stock = new Map(
    PACK_KERNELS.flatMap((name) => {
      const config = tf.getKernel(name, 'wasm');
      return config ? [[name, config] as const] : [];
    }),
  );
  const info = await initEngine('wasm', { threads });
  console.log(`engine: ${info.reason}`);
  const loadBefore = loadavg()[0]!;
  const rows = await kernelRows(stock);
  const steps = trainingRows();
  const load = [loadBefore, loadavg()[0]!];
  writeResults('kernels', { machine: machine(), engine: info, loadAverage1m: load, kernels: rows, trainingSteps: steps }, markdown(info, load, rows, steps));
}

await main();
