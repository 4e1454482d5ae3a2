import { beforeAll, describe, expect, it } from 'vitest';
import { Rng, type Arch, type SearchSpace, type Tensorflow } from '../../src/api/index.js';
import { runExperiment } from '../../src/harness/experiment.js';
import { resolveParams } from '../../src/harness/params.js';
import { builtinNames, loadFromSource } from '../../src/harness/plugins.js';
import { loadTensorflow } from '../helpers/tensorflow.js';
import { nb201Space } from '../../src/spaces/nb201.js';
import { Store } from '../../src/store/store.js';
import { resolveDataDir, type DataDir } from '../../src/data/data-dir.js';
import { Epd, initialWeights } from '../../src/api/epd/model.js';
import type { ModelConfig } from '../../src/api/epd/settings.js';
import { trainEpd } from '../../src/api/epd/training.js';
import { writeNb201Fixture } from '../helpers/nb201-fixture.js';

let tf: Tensorflow;
let dataDir: DataDir;
beforeAll(async () => {
  tf = await loadTensorflow();
  dataDir = resolveDataDir(writeNb201Fixture(), {});
});

describe('hyper-parameters of the built-in methods', () => {
  it('every float parameter declares finite bounds', async () => {
    for (const name of builtinNames()) {
      const { plugin } = await loadFromSource({ kind: 'builtin', name });
      for (const [key, spec] of Object.entries(plugin.params)) {
        if (spec.type !== 'float') continue;
        expect([spec.min, spec.max].every((b) => typeof b === 'number' && Number.isFinite(b)), `${name} ${key}`).toBe(true);
      }
    }
  });

  it.each([
    ['nao', 'lr=1e300', "--param lr=1e300: 'lr' of nao expects a number in [0, 1], got '1e300'"],
    ['nao-ws', 'eta_step=1e300', "--param eta_step=1e300: 'eta_step' of nao-ws expects a number in [0, 100], got '1e300'"],
    ['enas', 'lr=1e300', "--param lr=1e300: 'lr' of enas expects a number in [0, 1], got '1e300'"],
    ['enas', 'temperature=1e300', "--param temperature=1e300: 'temperature' of enas expects a number in [0, 100], got '1e300'"],
  ])('%s rejects %s with the range', async (name, assignment, message) => {
    const { plugin } = await loadFromSource({ kind: 'builtin', name });
    expect(() => resolveParams(name, plugin.params, [assignment])).toThrow(message);
  });
});

describe('a searcher whose numbers stop being numbers fails its run with the reason', () => {
  it('ENAS with temperature 1e-300 (allowed: 0 means the default) fails instead of proposing one architecture over and over', async () => {
    const store = Store.open(':memory:');
    const outcome = await runExperiment(store, { method: 'enas', task: 'nb201-cifar10', seeds: [0], budget: 30, params: ['temperature=1e-300'], dataDir });
    const run = store.getRun(outcome.runs[0]!.runId)!;
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(
      /^enas\.(propose|observe) failed: ENAS controller: (the logits at position \d+|the gradient of weight [\w.]+) holds? non-finite numbers \(temperature 1e-300\): a larger temperature or a smaller lr keeps the controller in range$/,
    );
    // Nothing after the fault was evaluated.
    expect(run.evaluations).toBeLessThan(30);
    expect(run.finalValue).toBeNull();
    store.close();
  });

  it('NAO: training the encoder-predictor-decoder into NaN throws, naming the loss and the learning rate', () => {
    const space = nb201Space as unknown as SearchSpace<Arch>;
    const config: ModelConfig = { length: space.grammar.length, vocabSize: space.grammar.vocabSize, tokensPerStep: 1, hidden: 8, embedding: 4, mlpLayers: 1, mlpHidden: 8 };
    const rng = Rng.seeded(3);
    const examples = Array.from({ length: 12 }, (_, i) => ({ tokens: space.toTokens(space.sample(rng)), target: (i % 4) / 3, rewritings: [] }));
    const seeds = Rng.seeded(4);
    const epd = new Epd(tf, config, initialWeights(tf, config, () => seeds.int(2 ** 31)), (p) => space.grammar.allowed(p));
    // A learning rate no parameter allows, standing for any setting that ends in NaN.
    const cfg = { epochs: 5, batchSize: 12, lr: 1e300, weightDecay: 0, gradClip: 0, tradeOff: 0.8, dropout: 0 };
    expect(() => trainEpd(tf, epd, examples, cfg, 0, rng)).toThrow(
      /^NAO encoder-predictor-decoder: (the training loss is (NaN|Infinity) at epoch \d+|the weights are not finite numbers after \d+ steps); lr 1e\+300: a smaller lr keeps it in range$/,
    );
    epd.dispose();
  });
});
