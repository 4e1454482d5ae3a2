import { describe, expect, it } from 'vitest';
import { engineInfo } from '../../src/engine/backend.js';
import { getTask } from '../../src/tasks/index.js';
import { resolveDataDir } from '../../src/data/data-dir.js';
import { writeFashionFixture } from '../helpers/fashion-fixture.js';
import { writeNb201Fixture } from '../helpers/nb201-fixture.js';

// One process, one engine: these run in order, and the engine must not have started before the last.
describe('the engine, only through tasks', () => {
  it('a trained task rejects an unknown preset before any engine starts', async () => {
    const dir = resolveDataDir(writeFashionFixture(8, 8), {});
    await expect(getTask('fashion-mnist').open(dir, { fetch: false, preset: 'huge', backend: 'wasm' })).rejects.toThrow(
      '--preset huge: task fashion-mnist has presets smoke, tiny, paper',
    );
    expect(engineInfo()).toBeNull();
  });

  it('a table-lookup task rejects any preset with one line', async () => {
    await expect(getTask('nb201-cifar10').open(resolveDataDir(writeNb201Fixture(), {}), { fetch: false, preset: 'tiny' })).rejects.toThrow(
      '--preset tiny: task nb201-cifar10 is a table lookup and has no presets',
    );
  });

  it('a table-lookup task records the cpu backend by default and starts no engine when opened', async () => {
    const evaluator = await getTask('nb201-cifar10').open(resolveDataDir(writeNb201Fixture(), {}), { fetch: false });
    expect(evaluator.record.engine).toEqual({ backend: 'cpu', threads: null });
    expect(engineInfo()).toBeNull();
  });

  it("a table-lookup task's ctx.tensorflow() starts the engine --backend and --threads ask for, on first call", async () => {
    const evaluator = await getTask('nb201-cifar10').open(resolveDataDir(writeNb201Fixture(), {}), { fetch: false, backend: 'wasm', threads: 1 });
    expect(evaluator.record.engine).toEqual({ backend: 'wasm', threads: 1 });
    expect(engineInfo()).toBeNull();
    const tf = await evaluator.tensorflow();
    expect(tf.getBackend()).toBe('wasm');
    expect(engineInfo()).toMatchObject({ backend: 'wasm', threads: 1 });
    expect(await evaluator.tensorflow()).toBe(tf);
  }, 60_000);
});
