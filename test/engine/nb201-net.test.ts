import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/api/index.js';
import { initEngine } from '../../src/engine/backend.js';
import { Nb201Net, type Nb201NetConfig } from '../../src/engine/nb201-net.js';
import * as tf from '../../src/engine/tf.js';
import { nb201Space, type Nb201Arch } from '../../src/spaces/nb201.js';

beforeAll(async () => {
  await initEngine('wasm');
});

/** The benchmark's network on CIFAR-10. */
const CIFAR10: Nb201NetConfig = { inputShape: [32, 32, 3], classes: 10, channels: 16, cellsPerStage: 5 };

/**
 * Trainable parameters written out from the reference architecture, independently of the engine:
 * stem conv+BN; per cell, ReLU-conv-BN edges (k²C² + 2C); per reduction block two 3×3 ReLU-conv-BN
 * and the 1×1 shortcut; final BN; linear classifier with bias.
 */
function expectedParams(arch: Nb201Arch, cfg: Nb201NetConfig): number {
  const [, , inC] = cfg.inputShape;
  let c = cfg.channels;
  let n = 9 * inC * c + 2 * c;
  for (let stage = 0; stage < 3; stage++) {
    if (stage > 0) {
      const out = 2 * c;
      n += 9 * c * out + 2 * out + 9 * out * out + 2 * out + c * out;
      c = out;
    }
    const perCell = arch.ops.reduce((s, op) => s + (op === 'nor_conv_3x3' ? 9 * c * c + 2 * c : op === 'nor_conv_1x1' ? c * c + 2 * c : 0), 0);
    n += cfg.cellsPerStage * perCell;
  }
  return n + 2 * c + c * cfg.classes + cfg.classes;
}

function paramsOf(text: string, cfg = CIFAR10): number {
  const net = new Nb201Net(nb201Space.parse(text), cfg, 1);
  try {
    return net.params.count();
  } finally {
    net.dispose();
  }
}

describe('Nb201Net parameter counts', () => {
  it('matches counts checked once against the NAS-Bench-201 table (params_MB × 10⁶)', () => {
    // Rows 0 and 1 of nb201_naswot_cifar10_200ep.jsonl and the three uniform cells.
    const known: [string, number][] = [
      ['|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|', 129_306],
      ['|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|', 802_426],
      ['|none~0|+|none~0|none~1|+|none~0|none~1|none~2|', 73_306],
      ['|nor_conv_1x1~0|+|nor_conv_1x1~0|nor_conv_1x1~1|+|nor_conv_1x1~0|nor_conv_1x1~1|nor_conv_1x1~2|', 241_306],
      ['|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|', 1_531_546],
    ];
    for (const [text, count] of known) expect(paramsOf(text), text).toBe(count);
  });

  it('matches the count written out from the reference architecture on random cells and sizes', () => {
    const rng = Rng.seeded(11);
    const configs: Nb201NetConfig[] = [CIFAR10, { ...CIFAR10, classes: 100 }, { inputShape: [32, 32, 1], classes: 10, channels: 8, cellsPerStage: 2 }];
    for (let i = 0; i < 24; i++) {
      const arch = nb201Space.sample(rng);
      const cfg = configs[i % configs.length]!;
      expect(paramsOf(nb201Space.format(arch), cfg), nb201Space.format(arch)).toBe(expectedParams(arch, cfg));
    }
  });

  const dir = process.env.NASBENCH_DATA_DIR;
  const file = dir && join(dir, 'nas-bench-201', 'nb201_naswot_cifar10_200ep.jsonl');
  it.skipIf(!file || !existsSync(file))('matches params_MB of the real table on 200 random cells (skipped without NASBENCH_DATA_DIR)', () => {
    const rows = readFileSync(file as string, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { arch_str: string; params_MB: number });
    // One ReLU-conv-BN edge over the benchmark's 15 cells: 28,000 parameters as 1×1, 243,040 as 3×3.
    const none = paramsOf('|none~0|+|none~0|none~1|+|none~0|none~1|none~2|');
    const edge = [
      (paramsOf('|nor_conv_1x1~0|+|nor_conv_1x1~0|nor_conv_1x1~1|+|nor_conv_1x1~0|nor_conv_1x1~1|nor_conv_1x1~2|') - none) / 6,
      (paramsOf('|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|') - none) / 6,
    ];
    const rng = Rng.seeded(5);
    let matched = 0;
    const irregular: string[] = [];
    for (const row of rng.sample(rows, 200)) {
      const difference = Math.abs(row.params_MB * 1e6 - paramsOf(row.arch_str));
      if (difference < 0.5) matched++;
      // About 1.3 % of the table's rows (204 of 15,625) are means over records of which some
      // belong to a cell with one convolution edge more or less: they differ from the cell's
      // count by 1/3, 1/2 or 2/3 of one edge's parameters, and by nothing else.
      else if (!edge.some((e) => [1 / 3, 1 / 2, 2 / 3].some((f) => Math.abs(difference - f * e) < 1))) irregular.push(row.arch_str);
    }
    expect(matched).toBeGreaterThanOrEqual(194);
    expect(irregular).toEqual([]);
  });
});

describe('Nb201Net', () => {
  const arch = nb201Space.parse('|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_1x1~1|none~2|');
  const small: Nb201NetConfig = { inputShape: [8, 8, 3], classes: 4, channels: 4, cellsPerStage: 1 };

  it('maps images to logits; same seed, same weights; PyTorch-default init ranges', () => {
    const x = tf.randomNormal([2, 8, 8, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
    const [a, b, c] = [7, 7, 8].map((seed) => new Nb201Net(arch, small, seed));
    const [la, lb, lc] = [a!, b!, c!].map((n) => n.forward(x, true));
    expect(la!.shape).toEqual([2, 4]);
    expect(Array.from(la!.dataSync())).toEqual(Array.from(lb!.dataSync()));
    expect(Array.from(la!.dataSync())).not.toEqual(Array.from(lc!.dataSync()));
    // Stem: U(±1/√(3·3·3)); classifier weight and bias: U(±1/√16).
    const [stem] = a!.params.trainable;
    expect(Math.max(...Array.from(stem!.dataSync()).map(Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(27));
    const bias = a!.params.trainable[a!.params.trainable.length - 1]!;
    expect(bias.shape).toEqual([4]);
    expect(Math.max(...Array.from(bias.dataSync()).map(Math.abs))).toBeLessThanOrEqual(0.25);
    expect(Array.from(bias.dataSync()).some((v) => v !== 0)).toBe(true);
    tf.dispose([x, la!, lb!, lc!]);
    [a, b, c].forEach((n) => n!.dispose());
  });

  it('counts FLOPs as the benchmark does (convolutions and classifier, per image)', () => {
    const none = nb201Space.parse('|none~0|+|none~0|none~1|+|none~0|none~1|none~2|');
    const net = new Nb201Net(none, small, 1);
    // stem 3·3·3·4 at 8×8; block 1: 3·3·4·8 + 3·3·8·8 + 1·1·4·8 at 4×4; block 2: 3·3·8·16 + 3·3·16·16 + 8·16 at 2×2; linear 16·4 + 4.
    const expected = 108 * 64 + (288 + 576 + 32) * 16 + (1152 + 2304 + 128) * 4 + 64 + 4;
    expect(net.flops).toBe(expected);
    const conv = new Nb201Net(nb201Space.parse('|nor_conv_3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|'), small, 1);
    // One 3×3 edge per cell: 3·3·C·C at each stage's size.
    expect(conv.flops - net.flops).toBe(144 * 64 + 576 * 16 + 2304 * 4);
    net.dispose();
    conv.dispose();
  });
});
