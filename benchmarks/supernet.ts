/**
 * Supernet speed on the `tiny` presets: training steps per second (each on a freshly sampled
 * architecture) and the time to score one validation minibatch, on Fashion-MNIST (cnn-micro) and
 * PTB (rnn-cell), with the real data.
 * Usage: node dist/benchmarks/supernet.js [--steps N] [--scores N] [--backend auto|wasm|cpu]
 *        [--data-dir DIR] [--image-data-dir DIR]   (data directories as for `nasbench run`)
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Rng, type SearchSpace } from '../src/api/index.js';
import { engineInfo } from '../src/engine/backend.js';
import { resolveDataDir } from '../src/data/data-dir.js';
import { getTask } from '../src/tasks/index.js';
import { machine, markdownTable, writeResults } from './results.js';

const flag = (name: string): string | undefined => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
};
const STEPS = Number(flag('steps') ?? 20);
const SCORES = Number(flag('scores') ?? 10);
const WARMUP = 2;
const backend = flag('backend') ?? 'auto';
const dataDir = resolveDataDir(flag('data-dir'));
const imageDataDir = flag('image-data-dir') ? resolveDataDir(flag('image-data-dir')) : dataDir;

const load = () => Math.round(loadavg()[0]! * 100) / 100;

async function measure(taskName: string, dir = dataDir) {
  const task = getTask(taskName);
  const evaluator = await task.open(dir, { preset: 'tiny', fetch: false, backend });
  if (!evaluator.openSupernet) throw new Error(`${taskName} has no supernet`);
  const { core } = evaluator.openSupernet(0);
  const space = task.space as SearchSpace<unknown>;
  const rng = Rng.seeded(1);
  const loadBefore = load();
  // The first steps also compile kernels and allocate.
  for (let i = 0; i < WARMUP; i++) core.trainStep(space.sample(rng));
  const archs = Array.from({ length: STEPS }, () => space.sample(rng));
  let start = performance.now();
  let lossSum = 0;
  for (const arch of archs) lossSum += core.trainStep(arch);
  const trainMs = performance.now() - start;
  start = performance.now();
  for (let i = 0; i < SCORES; i++) core.score(archs[i % archs.length], 1, true);
  const scoreMs = performance.now() - start;
  start = performance.now();
  const snapshot = JSON.stringify(core.snapshot());
  const snapshotMs = performance.now() - start;
  const row = {
    task: taskName,
    space: space.kind,
    config: evaluator.record.settings.supernet,
    epochSteps: core.epochSteps,
    validBatches: core.validBatches,
    steps: STEPS,
    stepsPerSecond: (1000 * STEPS) / trainMs,
    msPerStep: trainMs / STEPS,
    epochMinutes: (core.epochSteps * trainMs) / STEPS / 60_000,
    meanLoss: lossSum / STEPS,
    msPerValidBatch: scoreMs / SCORES,
    snapshotMB: snapshot.length / 1e6,
    snapshotMs,
    load: { before: loadBefore, after: load() },
  };
  core.dispose();
  evaluator.close();
  console.log(JSON.stringify(row));
  return row;
}

const rows = [await measure('fashion-mnist', imageDataDir), await measure('ptb')];
const engine = engineInfo();
const fixed = (x: number, d = 2) => x.toFixed(d);
writeResults(
  'supernet',
  { machine: machine(), engine, warmup: WARMUP, results: rows },
  `# Supernet speed on the tiny presets\n\n${Object.entries(machine()).map(([k, v]) => `${k}: ${v}`).join(' · ')}\n\n` +
    `Engine: ${engine?.backend}, ${engine?.threads} thread(s) (${engine?.reason}).\n\n` +
    `Each training step samples a new architecture and takes one SGD step on its weights (a minibatch of the ` +
    `tiny search split); ${WARMUP} warm-up steps are not timed. Scoring is one fixed validation minibatch. ` +
    'The 1-minute load average is noted before and after each measurement: the machine is shared, and a load ' +
    'above its core count slows every figure down.\n\n' +
    markdownTable(
      ['Task (space)', 'Supernet', 'Steps/s', 'ms/step', 'Steps/epoch', 'Minutes/epoch', 'ms/validation batch (batches)', 'Snapshot MB', 'Load before → after'],
      rows.map((r) => [
        `${r.task} (${r.space})`,
        Object.entries(r.config as Record<string, unknown>).map(([k, v]) => `${k}=${v}`).join(' '),
        fixed(r.stepsPerSecond),
        fixed(r.msPerStep, 0),
        r.epochSteps,
        fixed(r.epochMinutes, 1),
        `${fixed(r.msPerValidBatch, 0)} (${r.validBatches})`,
        fixed(r.snapshotMB, 1),
        `${r.load.before} → ${r.load.after}`,
      ]),
    ) +
    '\n\nReproduce: `npm run build && node dist/benchmarks/supernet.js --image-data-dir <dir holding fashion-mnist/>` ' +
    '(PTB from `$NASBENCH_DATA_DIR`).\n',
);
console.log('results/supernet.md written');
