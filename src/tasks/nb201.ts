import { existsSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Objective, ZeroCostKind } from '../api/index.js';
import type { Nb201NetConfig } from '../engine/nb201-net.js';
import { nb201Space, type Nb201Arch } from '../spaces/nb201.js';
import type { DataDir } from '../data/data-dir.js';
import { loadNb201Table, nb201Checksums, nb201Files, type Nb201Dataset } from './nb201-table.js';
import type { DeviceInfo, Evaluation, Task, ZeroCostJob } from './types.js';
import type { EngineOptions } from '../api/task-record.js';
import { UserError } from '../errors.js';
import { engineOptions, lazyTensorflow } from './engine-options.js';
import { taskRecord } from './record.js';

const TABLE_DEVICE: DeviceInfo = { kind: 'none', backend: 'table', threads: 1 };

export const NB201_SEARCH_OBJECTIVE: Objective = {
  metric: 'valid_acc',
  goal: 'max',
  label: 'validation accuracy after 12 epochs (%)',
};
export const NB201_RESULT_OBJECTIVE: Objective = {
  metric: 'test_acc',
  goal: 'max',
  label: 'test accuracy after 200 epochs (%)',
};

const TITLES: Record<Nb201Dataset, string> = {
  cifar10: 'CIFAR-10',
  cifar100: 'CIFAR-100',
  imagenet16: 'ImageNet16-120',
};

/**
 * A NAS-Bench-201 tabular task. Protocol of the benchmark paper: the searcher sees only the
 * 12-epoch validation accuracy; a run is judged by the 200-epoch test accuracy of the cell it
 * recommends.
 */
function nb201Task(dataset: Nb201Dataset): Task<Nb201Arch> {
  const lookup = (dir: DataDir) => loadNb201Table(dir, dataset);
  const evaluation = (start: number, metrics: Record<string, number>, fidelity: number): Evaluation => ({
    status: 'ok',
    metrics,
    params: null,
    fidelity,
    deviceSeconds: (performance.now() - start) / 1000,
    device: TABLE_DEVICE,
  });
  const task: Task<Nb201Arch> = {
    name: `nb201-${dataset}`,
    kind: 'tabular',
    description: `NAS-Bench-201 on ${TITLES[dataset]}: table lookup (search on 12-epoch valid acc, report 200-epoch test acc)`,
    space: nb201Space,
    objective: NB201_SEARCH_OBJECTIVE,
    result: NB201_RESULT_OBJECTIVE,
    defaultBudget: 150,
    presets: [],
    dataStatus(dir) {
      const missing = nb201Files(dir).filter((f) => !existsSync(f));
      return { present: missing.length === 0, missing };
    },
    dataFiles: (dir) => nb201Files(dir).map((path) => ({ name: relative(dir.path, path).split(sep).join('/'), path })),
    async open(dir, options) {
      if (options.preset !== undefined) throw new UserError(`--preset ${options.preset}: task ${task.name} is a table lookup and has no presets`);
      // A method's own models (ctx.tensorflow()) are small: on the cpu backend unless --backend says otherwise.
      const engine = engineOptions(options, 'cpu');
      const table = lookup(dir);
      // Zero-cost scores build the benchmark's network in the engine, loaded on the first one only.
      let scorer: Promise<ZeroCostScorer> | null = null;
      const entry = (arch: Nb201Arch) => {
        const key = nb201Space.format(arch);
        const found = table.get(key);
        if (!found) throw new Error(`cell ${key} is not in the NAS-Bench-201 table`);
        return found;
      };
      return {
        record: taskRecord(task, engine, {
          preset: null,
          settings: { table: 'NAS-Bench-201: 12-epoch valid (minibench), 200-epoch test (NATS-Bench)' },
          child: null,
          optimum: bestResult(table),
        }),
        tensorflow: lazyTensorflow(engine),
        dataChecksums: nb201Checksums(dir),
        async evaluate(arch) {
          const start = performance.now();
          const { valid12, test200 } = entry(arch);
          // The 200-epoch test accuracy rides along for the report's anytime regret only: the harness
          // never hands a task's reported result to the searcher (run-loop.ts, searcherMetrics).
          return evaluation(start, { valid_acc: valid12, [NB201_RESULT_OBJECTIVE.metric]: test200 }, 12);
        },
        async finalEvaluate(arch) {
          const start = performance.now();
          return evaluation(start, { test_acc: entry(arch).test200 }, 200);
        },
        async zeroCost(arch, kind, job) {
          scorer ??= openZeroCostScorer(dataset, engine);
          return (await scorer)(arch, kind, job);
        },
        close() {},
      };
    },
  };
  return task;
}

/** The table's highest 200-epoch test accuracy: the optimum a run's regret is measured from. */
function bestResult(table: ReadonlyMap<string, { readonly test200: number }>): number {
  let best = -Infinity;
  for (const e of table.values()) best = Math.max(best, e.test200);
  return best;
}

type ZeroCostScorer = (arch: Nb201Arch, kind: ZeroCostKind, job: ZeroCostJob) => Evaluation;

/** The benchmark's network (C = 16, N = 5) for the table's data set: its classes and image size. */
export const NB201_NETWORKS: Record<Nb201Dataset, Nb201NetConfig> = {
  cifar10: { inputShape: [32, 32, 3], classes: 10, channels: 16, cellsPerStage: 5 },
  cifar100: { inputShape: [32, 32, 3], classes: 100, channels: 16, cellsPerStage: 5 },
  imagenet16: { inputShape: [16, 16, 3], classes: 120, channels: 16, cellsPerStage: 5 },
};

/** Zero-cost scores on the task's one engine (the one ctx.tensorflow() also returns). */
async function openZeroCostScorer(dataset: Nb201Dataset, engine: EngineOptions): Promise<ZeroCostScorer> {
  const [{ startEngine }, { gaussianInputs, nb201ZeroCost }] = await Promise.all([import('./engine-evaluation.js'), import('./zero-cost-evaluation.js')]);
  const info = await startEngine(engine.backend, engine.threads ?? undefined);
  const config = NB201_NETWORKS[dataset];
  const inputs = gaussianInputs(config.inputShape, `the ${TITLES[dataset]} images are not available here`);
  return (arch, kind, job) => nb201ZeroCost(info, arch, kind, config, inputs, job);
}

export const nb201Tasks: Task<Nb201Arch>[] = [nb201Task('cifar10'), nb201Task('cifar100'), nb201Task('imagenet16')];
