import { describe, expect, it } from 'vitest';
import { canonicalJson, fidelitySummary, MIN_FIDELITY_CELLS, type FidelityItem } from '../../src/report/proxy-fidelity.js';
import { attainableTauEstimate } from '../../src/report/rank-agreement.js';

const cells = ['a', 'b', 'c', 'd', 'e', 'f'];
const searchSetting = { hidden: 8, train: { lr: 1, batchSize: 4 } };
const finalSetting = { hidden: 16 };

function item(kind: 'search' | 'final', label: string, arch: string, seed: number, metrics: Record<string, number>, config: unknown): FidelityItem {
  return { task: 'lm', kind, label, preset: 'tiny', seed, arch, config, status: 'ok', metrics, params: 1, wallSeconds: 2, cpuSeconds: 1, deviceSeconds: 1, load: [1, 1], date: '2026-01-01' };
}

const search = { metric: 'valid_ppl', goal: 'min' as const, label: 'validation perplexity' };
const result = { metric: 'test_ppl', goal: 'min' as const, label: 'test perplexity' };

/** One candidate scored by validation accuracy against a final test error (no final validation metric), as on the image tasks. */
const accuracySummary = (items: FidelityItem[], currentTiny: unknown, among = cells, calibrated = false) =>
  fidelitySummary({
    task: 'lm',
    search: { metric: 'valid_acc', goal: 'max', label: '' },
    result: { metric: 'test_error', goal: 'min', label: '' },
    cells: among,
    calibrationCells: among.slice(0, among.length / 2),
    settings: [{ label: 'cand', preset: 'tiny', config: searchSetting, note: '', calibrated }],
    current: { tiny: currentTiny },
    items,
  });

describe('proxy fidelity summary', () => {
  it('ranks search signal against final test results over the cells that have both', () => {
    // Search perplexity agrees with the final order except that e and f are swapped; f has no final yet.
    const searchPpl = { a: 100, b: 200, c: 300, d: 400, e: 600, f: 500 };
    const finalPpl = { a: 10, b: 20, c: 30, d: 40, e: 50 };
    const items = [
      ...cells.map((c) => item('search', 'cand', c, 0, { valid_ppl: searchPpl[c as keyof typeof searchPpl] }, searchSetting)),
      ...Object.entries(finalPpl).map(([c, v]) => item('final', 'tiny', c, 0, { test_ppl: v, valid_ppl: v + 1 }, finalSetting)),
    ];
    const s = fidelitySummary({
      task: 'lm',
      search,
      result,
      cells,
      calibrationCells: cells.slice(0, 3),
      // The preset's setting spelled with its keys in another order is still recognised as current.
      settings: [{ label: 'cand', preset: 'tiny', config: searchSetting, note: '' }],
      current: { tiny: { train: { batchSize: 4, lr: 1 }, hidden: 8 } },
      items,
    });
    const [row] = s.settings;
    expect(row!.vsFinalTest.cells).toBe(5);
    expect(row!.vsFinalTest.kendall.value).toBe(1);
    expect(row!.vsCalibration?.against).toBe('final valid_ppl');
    expect(row!.vsCalibration?.agreement.cells).toBe(5);
    expect(row!.heldOut).toBeNull();
    expect(row!.vsFinalTestSeed1).toBeNull();
    expect(row!.current).toBe(true);
    expect(s.finals.tiny!.cells).toBe(5);
    expect(s.presets.tiny).toMatchObject({ label: 'cand', tau: 1, cells: 5 });
  });

  it('compares a maximised search signal with a minimised result as agreement, and withholds τ below the minimum of cells', () => {
    const acc = { a: 90, b: 80, c: 70, d: 60, e: 50, f: 40 };
    const err = { a: 5, b: 6, c: 7, d: 8 };
    const items = [
      ...cells.map((c) => item('search', 'cand', c, 0, { valid_acc: acc[c as keyof typeof acc] }, searchSetting)),
      ...cells.map((c) => item('search', 'cand', c, 1, { valid_acc: acc[c as keyof typeof acc] + (c === 'a' ? -15 : 0) }, searchSetting)),
      ...Object.entries(err).map(([c, v]) => item('final', 'tiny', c, 0, { test_error: v }, finalSetting)),
    ];
    const s = accuracySummary(items, { other: true });
    const [row] = s.settings;
    expect(row!.vsFinalTest.kendall.value).toBe(1);
    expect(row!.vsFinalTest.cells).toBe(4);
    expect(4).toBeLessThan(MIN_FIDELITY_CELLS);
    expect(row!.current).toBe(false);
    expect(s.presets.tiny).toBeNull();
    // Seed 1 moved cell a from first to between b and c: one discordant pair of fifteen.
    expect(row!.noise!.seedTau).toBeCloseTo(13 / 15, 12);
    // Against the final (cells a–d), seed 1 ranks a below b: one discordant pair of six.
    expect(row!.vsFinalTestSeed1!.cells).toBe(4);
    expect(row!.vsFinalTestSeed1!.kendall.value).toBeCloseTo(4 / 6, 12);
    expect(row!.seconds).toEqual({ wall: 2, cpu: 1, items: 12 });
  });

  it('without a final validation metric, judges a calibrated candidate on the held-out cells and shows users that τ only', () => {
    const twelve = [...'abcdefghijkl'];
    // The search signal orders the calibration cells (a–f) as the final does and the held-out ones (g–l) backwards.
    const acc = (i: number) => (i < 6 ? 100 - i : 50 + i);
    const items = [
      ...twelve.map((c, i) => item('search', 'cand', c, 0, { valid_acc: acc(i) }, searchSetting)),
      ...twelve.map((c, i) => item('final', 'tiny', c, 0, { test_error: i + 1 }, finalSetting)),
    ];
    const s = accuracySummary(items, searchSetting, twelve, true);
    const [row] = s.settings;
    expect(row!.vsCalibration).toMatchObject({ against: 'final test_error of the calibration cells', agreement: { cells: 6, kendall: { value: 1 } } });
    expect(row!.heldOut).toMatchObject({ cells: 6, kendall: { value: -1 } });
    // Over all twelve: 15 concordant pairs within a–f, 36 across the halves, 15 discordant within g–l.
    expect(row!.vsFinalTest.kendall.value).toBeCloseTo((51 - 15) / 66, 12);
    expect(s.presets.tiny).toEqual({ label: 'cand', tau: -1, ci95: s.settings[0]!.heldOut!.kendall.ci95, cells: 6, heldOut: true });
    // A setting that was not chosen on the calibration cells (a smoke preset) is judged on all of them.
    const plain = accuracySummary(items, searchSetting, twelve, false);
    expect(plain.settings[0]!.heldOut).toBeNull();
    expect(plain.settings[0]!.vsCalibration).toBeNull();
    expect(plain.presets.tiny).toMatchObject({ cells: 12, tau: row!.vsFinalTest.kendall.value });
  });

  it('measures the seed noise of the final itself, and pairs search signals with the seed-0 final only', () => {
    const acc = { a: 90, b: 80, c: 70, d: 60, e: 50, f: 40 };
    const err0 = { a: 1, b: 2, c: 3, d: 4, e: 5, f: 6 };
    // Seed 1 of the final swaps a and b, and e and f: two discordant pairs of fifteen.
    const err1 = { a: 2.5, b: 0.5, c: 3, d: 4, e: 6.5, f: 4.5 };
    const items = [
      ...cells.map((c) => item('search', 'cand', c, 0, { valid_acc: acc[c as keyof typeof acc] }, searchSetting)),
      ...Object.entries(err0).map(([c, v]) => item('final', 'tiny', c, 0, { test_error: v }, finalSetting)),
      ...Object.entries(err1).map(([c, v]) => item('final', 'tiny', c, 1, { test_error: v }, finalSetting)),
    ];
    const s = accuracySummary(items, searchSetting);
    expect(s.settings[0]!.vsFinalTest).toMatchObject({ cells: 6, kendall: { value: 1 } });
    expect(s.finals.tiny!.cells).toBe(6);
    expect(s.finals.tiny!.noise!.cells).toBe(6);
    expect(s.finals.tiny!.noise!.seedTau).toBeCloseTo(11 / 15, 12);
    // Differences -1.5, 1.5, 0, 0, -1.5, 1.5: mean 0, sd √(9 / 5), over √2.
    expect(s.finals.tiny!.noise!.withinCell).toBeCloseTo(Math.sqrt(9 / 5) / Math.SQRT2, 12);
    // Spread over all six seed-0 finals (1–6): sd √3.5.
    expect(s.finals.tiny!.spread).toBeCloseTo(Math.sqrt(3.5), 12);
    expect(s.finals.tiny!.attainableTau).toEqual(attainableTauEstimate(s.finals.tiny!.noise!, s.finals.tiny!.spread!));
    expect(s.finals.tiny!.attainableTau!.value).toBeGreaterThan(0.5);
    // With f trained once only, the noise covers a–e, and the spread still every seed-0 final.
    const fOnce = accuracySummary(items.filter((i) => !(i.kind === 'final' && i.seed === 1 && i.arch === 'f')), searchSetting).finals.tiny!;
    expect(fOnce.noise).toMatchObject({ cells: 5, betweenCells: Math.sqrt(2.5) });
    expect(fOnce.spread).toBeCloseTo(Math.sqrt(3.5), 12);
    // Without seed-1 finals there is no final noise to show.
    expect(accuracySummary(items.filter((i) => !(i.kind === 'final' && i.seed === 1)), searchSetting).finals.tiny!.noise).toBeNull();
  });

  it('spells settings canonically whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"e":3,"f":2}]},"b":1}');
  });
});
