import { getDataset, type TextCorpus } from '../data/index.js';
import { RnnLm } from '../engine/rnn-net.js';
import { RnnSupernet } from '../engine/supernet-rnn.js';
import { trainLanguageModel } from '../engine/train-lm.js';
import type { RnnCellArch } from '../spaces/rnn-cell.js';
import type { DataDir } from '../data/data-dir.js';
import { UserError } from '../errors.js';
import { deviceOf, measureChild, prepareTrainedTask } from './engine-evaluation.js';
import { requireSplitSizes, streamNeed, type SplitNeed } from './split-sizes.js';
import type { TextPreset, TextPresets, TextSetting } from './text-tasks.js';
import { lazyTensorflow } from './engine-options.js';
import { taskRecord } from './record.js';
import type { EvalJob, Evaluator, Task, TaskOptions } from './types.js';

const head = (tokens: Int32Array, n: number) => (n > 0 && n < tokens.length ? tokens.subarray(0, n) : tokens);

/** Loads the corpus and resolves the engine for a language task; children are rnn-cell LMs. */
export async function openTextEvaluator(
  task: Task<RnnCellArch>,
  dataset: string,
  presets: TextPresets,
  dir: DataDir,
  options: TaskOptions,
): Promise<Evaluator<RnnCellArch>> {
  const { info, engine, presetName, preset, dataConfig } = await prepareTrainedTask(task.name, dataset, presets, dir, options);
  const corpus = getDataset(dataset).load(dir) as TextCorpus;
  requireSplitSizes(presetName, textNeeds(corpus, preset, dataset));
  const child = (arch: RnnCellArch, setting: TextSetting, job: EvalJob, splits: Record<string, Int32Array>) => {
    const net = new RnnLm(arch, { vocab: corpus.vocab.length, hidden: setting.hidden, dropout: setting.dropout }, job.seed);
    try {
      return measureChild(info, net.params.count(), setting.train.epochs, () =>
        trainLanguageModel(net, { train: head(corpus.train, setting.trainTokens), ...splits }, Object.keys(splits), setting.train, job.onProgress),
      );
    } finally {
      net.dispose();
    }
  };
  const { search, final, supernet } = preset;
  const valid = head(corpus.valid, search.validTokens);
  return {
    record: taskRecord(task, engine, {
      preset: presetName,
      child: null,
      settings: {
        preset: presetName,
        search: { hidden: search.hidden, epochs: search.train.epochs, trainTokens: search.trainTokens || corpus.train.length },
        final: { hidden: final.hidden, epochs: final.train.epochs, trainTokens: final.trainTokens || corpus.train.length },
        ...(supernet ? { supernet: { hidden: supernet.hidden, batchSize: supernet.batchSize, bptt: supernet.bptt, epochs: supernet.train.epochs } } : {}),
        engine: info,
        ...dataConfig,
      },
    }),
    tensorflow: lazyTensorflow(engine),
    evaluate: async (arch, job) => child(arch, search, job, { valid }),
    finalEvaluate: async (arch, job) => child(arch, final, job, { valid: corpus.valid, test: corpus.test }),
    openSupernet(seed) {
      if (!supernet) throw new UserError(`ctx.supernet(): preset ${presetName} of task ${task.name} has no supernet settings`);
      const core = new RnnSupernet(
        { vocab: corpus.vocab.length, hidden: supernet.hidden, dropout: supernet.dropout },
        { train: head(corpus.train, search.trainTokens), valid },
        { batchSize: supernet.batchSize, bptt: supernet.bptt, evalBatchSize: supernet.evalBatchSize, training: supernet.train },
        seed,
      );
      return { core, device: deviceOf(info) };
    },
    close() {},
  };
}

/** What each setting of the preset trains on and measures, as token streams. */
function textNeeds(corpus: TextCorpus, preset: TextPreset, dataset: string): SplitNeed[] {
  const file = (split: 'train' | 'valid' | 'test') => corpus.files?.[split] ?? `${dataset} ${split}`;
  const { search, final, supernet } = preset;
  const searchTrain = head(corpus.train, search.trainTokens).length;
  const searchValid = head(corpus.valid, search.validTokens).length;
  return [
    streamNeed(file('train'), 'training', searchTrain, search.train.batchSize, 'trains on'),
    streamNeed(file('valid'), 'validation', searchValid, search.train.evalBatchSize, 'measures'),
    streamNeed(file('train'), 'training', head(corpus.train, final.trainTokens).length, final.train.batchSize, 'trains on'),
    streamNeed(file('valid'), 'validation', corpus.valid.length, final.train.evalBatchSize, 'measures'),
    streamNeed(file('test'), 'test', corpus.test.length, final.train.evalBatchSize, 'measures'),
    ...(supernet
      ? [
          streamNeed(file('train'), 'training', searchTrain, supernet.batchSize, 'trains on'),
          streamNeed(file('valid'), 'validation', searchValid, supernet.evalBatchSize, 'measures'),
        ]
      : []),
  ];
}
