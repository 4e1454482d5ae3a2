import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { padImages } from '../../src/tasks/nb201-image-evaluator.js';
import { Store } from '../../src/store/store.js';
import { nasbenchAsync } from '../../support/cli.js';
import { writeFashionFixture } from '../helpers/fashion-fixture.js';
import { tempDir } from '../data/fixtures.js';

describe('padImages', () => {
  it('centres each image in a zero border', () => {
    // Two 2×2 one-channel images padded to 4×4.
    const split = { images: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]), labels: Uint8Array.from([0, 1]), count: 2, height: 2, width: 2, channels: 1 };
    const padded = padImages(split, 4);
    expect([padded.height, padded.width, padded.count]).toEqual([4, 4, 2]);
    expect(Array.from(padded.images)).toEqual([0, 0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 6, 0, 0, 7, 8, 0, 0, 0, 0, 0]);
  });
});

/** `nasbench run <method…>` on nb201-fashion-mnist's smoke preset over a small Fashion-MNIST fixture; the one run and its evaluations. */
async function runOnFixture(args: string[]) {
  const db = join(tempDir('nasbench-nb201fm-'), 'runs.db');
  const data = writeFashionFixture(1_100, 200);
  const r = await nasbenchAsync(['run', ...args, '--task', 'nb201-fashion-mnist', '--preset', 'smoke', '--backend', 'wasm', '--threads', '1', '--data-dir', data, '--allow-unverified-data', '--db', db]);
  expect(r.status, r.stderr).toBe(0);
  const store = Store.open(db);
  const [run] = store.runs();
  const evaluations = store.evaluations(run!.id);
  store.close();
  return { run, evaluations };
}

describe('nb201-fashion-mnist end to end', () => {
  it('trains NAS-Bench-201 networks as the search evaluations and the final one (smoke preset, wasm)', async () => {
    const { run, evaluations } = await runOnFixture(['random', '--budget', '2']);
    expect(run!.status).toBe('completed');
    expect(evaluations).toHaveLength(2);
    for (const e of evaluations) {
      expect(e.status).toBe('ok');
      expect(e.arch).toMatch(/^\|.*~0\|\+\|.*~1\|\+\|.*~2\|$/);
      expect(e.value).toBeGreaterThanOrEqual(0);
      expect(e.value).toBeLessThanOrEqual(100);
      expect(e.fidelity).toBe(1);
      expect(e.deviceSeconds).toBeGreaterThan(0);
      expect(e.backend).toBe('wasm');
      // C = 4, N = 1 on 1-channel 32×32 images: at least the stem, reduction blocks, final BN and classifier.
      expect(e.params).toBeGreaterThanOrEqual(9 * 1 * 4 + 8 + (9 * 4 * 8 + 16 + 9 * 64 + 16 + 32) + (9 * 8 * 16 + 32 + 9 * 256 + 32 + 128) + 32 + 16 * 10 + 10);
    }
    expect(run!.finalValue).toBeGreaterThanOrEqual(0);
    expect(run!.finalMetrics).toHaveProperty('test_acc');
  }, 600_000);

  it("searches training-free with NASWOT on the task's own images, then trains the chosen cell", async () => {
    const { run, evaluations } = await runOnFixture(['naswot', '--budget', '3', '--param', 'n=3']);
    expect(run!.status).toBe('completed');
    expect(evaluations).toHaveLength(3);
    for (const e of evaluations) {
      expect(e).toMatchObject({ kind: 'naswot', fidelity: 0, value: null, inputs: '128 fashion-mnist (padded to 32×32) training images' });
      expect(e.deviceSeconds).toBeGreaterThan(0);
    }
    // The best-scoring cell (a singular kernel ranks last) is the one trained and reported.
    const scored = evaluations.filter((e) => e.status === 'ok');
    expect(scored.length).toBeGreaterThan(0);
    const best = scored.reduce((b, e) => (e.metrics.naswot! > b.metrics.naswot! ? e : b));
    expect(run!.finalArch).toBe(best.arch);
    expect(run!.finalMetrics).toHaveProperty('test_acc');
  }, 600_000);
});
