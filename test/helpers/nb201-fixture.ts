import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NB201_OPS } from '../../src/spaces/nb201.js';

/** Every NB201 cell string, in token order (edge 0 slowest). */
export function allNb201Strings(): string[] {
  const out: string[] = [];
  const n = NB201_OPS.length;
  for (let code = 0; code < n ** 6; code++) {
    const ops = Array.from({ length: 6 }, (_, e) => NB201_OPS[Math.floor(code / n ** (5 - e)) % n]);
    out.push(`|${ops[0]}~0|+|${ops[1]}~0|${ops[2]}~1|+|${ops[3]}~0|${ops[4]}~1|${ops[5]}~2|`);
  }
  return out;
}

/**
 * A synthetic but plausible accuracy: convolutions help, 'none' on the direct edges hurts,
 * plus a deterministic per-cell wobble, so that better cells are findable but not trivially.
 */
export function syntheticAccuracy(arch: string, salt: number, offset = 0): number {
  const conv3 = (arch.match(/nor_conv_3x3/g) ?? []).length;
  const conv1 = (arch.match(/nor_conv_1x1/g) ?? []).length;
  const none = (arch.match(/none/g) ?? []).length;
  let h = salt;
  for (let i = 0; i < arch.length; i++) h = (Math.imul(h, 31) + arch.charCodeAt(i)) >>> 0;
  const wobble = (h % 1000) / 1000;
  return Math.max(1, Math.min(99.9, 40 + 7 * conv3 + 4 * conv1 - 5 * none + 6 * wobble + offset));
}

export interface Nb201FixtureOptions {
  /** Replace the line at this 0-based row of the JSONL (after the header for CSV) with this text. */
  readonly corruptJsonl?: { readonly row: number; readonly text: string };
  readonly corruptCsv?: { readonly row: number; readonly text: string };
  /** Replace the CSV row of this cell with this text. */
  readonly replaceCsvRowOf?: { readonly arch: string; readonly text: string };
  readonly dropCsvColumn?: string;
  readonly omitFile?: 'jsonl' | 'csv';
}

/** Writes nas-bench-201/{nb201_minibench_accs.jsonl,nats_bench.csv} in the real formats; returns the data dir. */
export function writeNb201Fixture(options: Nb201FixtureOptions = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'nasbench-nb201-'));
  const dir = join(root, 'nas-bench-201');
  mkdirSync(dir);
  const archs = allNb201Strings();
  const jsonl = archs.map((arch, index) =>
    JSON.stringify({
      index,
      arch_str: arch,
      'cifar10-test': syntheticAccuracy(arch, 1),
      'cifar10-val': syntheticAccuracy(arch, 2),
      'cifar100-test': syntheticAccuracy(arch, 3, -25),
      'cifar100-val': syntheticAccuracy(arch, 4, -25),
      'imagenet-test': syntheticAccuracy(arch, 5, -40),
      'imagenet-val': syntheticAccuracy(arch, 6, -40),
    }),
  );
  if (options.corruptJsonl) jsonl[options.corruptJsonl.row] = options.corruptJsonl.text;
  let header = [
    'CIFAR10TestAccuracy200Epochs',
    'CIFAR100TestAccuracy200Epochs',
    'ImageNetTestAccuracy200Epochs',
    'ArchitectureString',
    'UniqueString',
  ];
  let rows = archs.map((arch) => [
    String(syntheticAccuracy(arch, 7, 20)),
    String(syntheticAccuracy(arch, 8)),
    String(syntheticAccuracy(arch, 9, -20)),
    arch,
    `(0)@${arch.length}`,
  ]);
  if (options.dropCsvColumn) {
    const at = header.indexOf(options.dropCsvColumn);
    header = header.filter((_, i) => i !== at);
    rows = rows.map((r) => r.filter((_, i) => i !== at));
  }
  const csv = [header.join(','), ...rows.map((r) => r.join(','))];
  if (options.corruptCsv) csv[options.corruptCsv.row + 1] = options.corruptCsv.text;
  if (options.replaceCsvRowOf) csv[archs.indexOf(options.replaceCsvRowOf.arch) + 1] = options.replaceCsvRowOf.text;
  if (options.omitFile !== 'jsonl') writeFileSync(join(dir, 'nb201_minibench_accs.jsonl'), jsonl.join('\n') + '\n');
  if (options.omitFile !== 'csv') writeFileSync(join(dir, 'nats_bench.csv'), csv.join('\n') + '\n');
  return root;
}
