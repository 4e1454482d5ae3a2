import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nb201Space } from '../../src/spaces/nb201.js';
import { resolveDataDir } from '../../src/data/data-dir.js';
import { getTask } from '../../src/tasks/index.js';
import { loadNb201Table } from '../../src/tasks/nb201-table.js';
import { syntheticAccuracy, writeNb201Fixture } from '../helpers/nb201-fixture.js';

/** Tabular tasks ignore the engine; no data is fetched in tests. */
const OPEN = { fetch: false, backend: 'cpu' } as const;

const dirOf = (path: string) => resolveDataDir(path, {});
const ARCH = '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|';

describe('NAS-Bench-201 tables', () => {
  it('loads both files and joins them by cell', async () => {
    const dir = dirOf(writeNb201Fixture());
    const table = loadNb201Table(dir, 'cifar100');
    expect(table.size).toBe(15_625);
    expect(table.get(ARCH)).toEqual({ valid12: syntheticAccuracy(ARCH, 4, -25), test200: syntheticAccuracy(ARCH, 8) });
    const task = getTask('nb201-cifar10');
    const evaluator = await task.open(dir, OPEN);
    const seen = await evaluator.evaluate(nb201Space.parse(ARCH), { seed: 0 });
    // The lookup also carries the 200-epoch test accuracy, for the report's regret; the harness
    // never hands it to the searcher (test/harness/run-loop.test.ts).
    expect(seen.metrics).toEqual({ valid_acc: syntheticAccuracy(ARCH, 2), test_acc: syntheticAccuracy(ARCH, 7, 20) });
    expect(seen.fidelity).toBe(12);
    const final = await evaluator.finalEvaluate(nb201Space.parse(ARCH), { seed: 0 });
    expect(final.metrics).toEqual({ test_acc: syntheticAccuracy(ARCH, 7, 20) });
    expect(final.fidelity).toBe(200);
  });

  it('says where it looked and how to provide a missing table', async () => {
    const root = writeNb201Fixture({ omitFile: 'csv' });
    const task = getTask('nb201-cifar10');
    expect(task.dataStatus(dirOf(root))).toEqual({ present: false, missing: [join(root, 'nas-bench-201', 'nats_bench.csv')] });
    await expect(task.open(dirOf(root), OPEN)).rejects.toThrow(
      `NAS-Bench-201 table not found: ${join(root, 'nas-bench-201', 'nats_bench.csv')}; looked in the data directory ${root} (from --data-dir). Point --data-dir or NASBENCH_DATA_DIR at a directory holding nas-bench-201/nb201_minibench_accs.jsonl and nas-bench-201/nats_bench.csv, or run 'nasbench data fetch nas-bench-201'`,
    );
  });

  it.each([
    [{ corruptJsonl: { row: 16, text: '{"index": 16, "arch_str": ' } }, /nb201_minibench_accs\.jsonl line 17: expected a JSON object/],
    [{ corruptJsonl: { row: 3, text: JSON.stringify({ arch_str: ARCH, 'cifar10-val': 'high' }) } }, /line 4 \(cifar10-val\): expected an accuracy in \[0, 100\], got "high"/],
    [{ corruptJsonl: { row: 5, text: JSON.stringify({ arch_str: '|bad~0|', 'cifar10-val': 1 }) } }, /line 6 \(arch_str\): invalid nb201 architecture "\|bad~0\|": expected 3 groups/],
    [{ corruptCsv: { row: 9, text: '1,2,3' } }, /nats_bench\.csv line 11: expected 5 comma-separated fields, got 3/],
    [{ corruptCsv: { row: 0, text: `abc,1,2,${ARCH},x` } }, /nats_bench\.csv line 2, column 1 \(CIFAR10TestAccuracy200Epochs\): expected an accuracy in \[0, 100\], got "abc"/],
    [{ corruptCsv: { row: 4, text: `91.5,,2,${ARCH},x` } }, /nats_bench\.csv line 6, column 2 \(CIFAR100TestAccuracy200Epochs\): empty field, expected an accuracy in \[0, 100\]/],
    [{ corruptCsv: { row: 4, text: `91.5,70,0x10,${ARCH},x` } }, /nats_bench\.csv line 6, column 3 \(ImageNetTestAccuracy200Epochs\): expected an accuracy in \[0, 100\], got "0x10"/],
    [{ corruptCsv: { row: 4, text: `91.5,70, ,${ARCH},x` } }, /nats_bench\.csv line 6, column 3 \(ImageNetTestAccuracy200Epochs\): expected an accuracy in \[0, 100\], got " "/],
    [{ corruptCsv: { row: 2, text: `91.5,70,40,"${ARCH},x` } }, /nats_bench\.csv line 4: not valid CSV \(.*quote.*\)/i],
    [{ dropCsvColumn: 'CIFAR100TestAccuracy200Epochs' }, /nats_bench\.csv line 1: missing column 'CIFAR100TestAccuracy200Epochs'/],
    [{ corruptJsonl: { row: 7, text: '' } }, /nats_bench\.csv line 9: cell \|.*\| has no row in .*nb201_minibench_accs\.jsonl/],
    [{ corruptCsv: { row: 7, text: '' } }, /incomplete: expected 15625 cells, found 15625 in nb201_minibench_accs\.jsonl and 15624 in nats_bench\.csv/],
  ])('rejects a corrupt table naming the file, the line and what was expected (%#)', (options, message) => {
    expect(() => loadNb201Table(dirOf(writeNb201Fixture(options)), 'cifar10')).toThrow(message);
  });

  it('reads quoted CSV fields as a CSV parser does (a quoted comma is part of its field)', () => {
    const quoted = `"${syntheticAccuracy(ARCH, 7, 20)}",${syntheticAccuracy(ARCH, 8)},${syntheticAccuracy(ARCH, 9, -20)},"${ARCH}","(0)@1, quoted"`;
    const fixture = writeNb201Fixture({ replaceCsvRowOf: { arch: ARCH, text: quoted } });
    expect(loadNb201Table(dirOf(fixture), 'cifar10').get(ARCH)).toEqual({ valid12: syntheticAccuracy(ARCH, 2), test200: syntheticAccuracy(ARCH, 7, 20) });
  });

  const real = process.env.NASBENCH_DATA_DIR;
  const haveReal = real !== undefined && existsSync(join(real, 'nas-bench-201', 'nats_bench.csv'));
  it.skipIf(!haveReal)('reads the real tables (NASBENCH_DATA_DIR): 15,625 cells, best CIFAR-10 test accuracy 94.37 %', () => {
    const table = loadNb201Table(resolveDataDir(undefined), 'cifar10');
    expect(table.size).toBe(15_625);
    const best = Math.max(...[...table.values()].map((e) => e.test200));
    expect(best).toBeCloseTo(94.3733, 3);
  });
  if (!haveReal) console.warn('skipped the real NAS-Bench-201 table test: set NASBENCH_DATA_DIR to the shared data directory');
});
