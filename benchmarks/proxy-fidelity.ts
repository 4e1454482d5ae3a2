/**
 * Proxy fidelity of the trained tasks: how well a preset's search signal (what a searcher sees)
 * ranks cells the way their final training (what a run is judged by) does.
 *
 *   node dist/benchmarks/proxy-fidelity.js measure <task>:<setting>:<kind>[:<seeds>[:<cells>]] …   # resumable
 *   node dist/benchmarks/proxy-fidelity.js report
 *
 * `measure` trains each of the task's fidelity cells (its reference cell plus cells sampled with a
 * fixed seed) under one search setting (`search`, seeds 0 and 1 unless given, e.g. `:0`; `:1:8`
 * for seed 1 on the first eight cells, `:0:17-24` for seed 0 on cells 17–24) or one preset's final
 * setting (`final`, seed 0 unless given), on the wasm engine with one thread, and appends one
 * line per trained cell to results/proxy-fidelity-measurements.jsonl: the setting itself, the
 * metrics, wall and CPU seconds of the process, and the load average. Items already in the file
 * (same task, kind, setting, seed and cell) are skipped, so an interrupted run continues where it
 * stopped. `report` renders results/proxy-fidelity.{md,json}; the json's `presets` section is what
 * `nasbench tasks`, the reports and `run` show. Needs NASBENCH_DATA_DIR.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Rng } from '../src/api/index.js';
import { resolveDataDir } from '../src/data/data-dir.js';
import { getTask } from '../src/tasks/index.js';
import { IMAGE_PRESETS, type ImagePreset, type ImageSetting } from '../src/tasks/image-tasks.js';
import { TEXT_PRESETS as TEXT_TABLES, type TextPreset, type TextSetting } from '../src/tasks/text-tasks.js';
import type { Evaluator, Task } from '../src/tasks/types.js';
import { fidelitySummary, sameSetting, type FidelityItem, type SettingSummary } from '../src/report/proxy-fidelity.js';
import type { Estimate, RankAgreement } from '../src/report/rank-agreement.js';
import { machine, markdownTable, RESULTS_DIR, writeResults } from './results.js';

const ITEMS_FILE = join(RESULTS_DIR, 'proxy-fidelity-measurements.jsonl');
const TEXT_PRESETS = TEXT_TABLES.ptb;
const CELL_SEED = 18;
/**
 * Where a final has no validation split (Fashion-MNIST), `calibrated` candidates are chosen on the
 * final results of the first this many cells and judged on the rest. The first choice used cells
 * 1–8; the second, which stands, used 1–24 and is judged on 25–40 (CHOICE).
 */
const CALIBRATION_CELLS = 24;
const TASKS = ['ptb', 'fashion-mnist'] as const;
type TaskName = (typeof TASKS)[number];
/**
 * Cells per task: at least 16. Fashion-MNIST's were drawn in three rounds, each after a choice of its
 * tiny setting, so that every choice is judged on cells nobody had seen: 9–16 and 17–24 judged the
 * first, 25–40 the second.
 */
const CELLS: Record<TaskName, number> = { ptb: 16, 'fashion-mnist': 40 };
type Setting = TextSetting | ImageSetting;
type PresetName = 'smoke' | 'tiny';

// The settings below are spelled out, not spread from the presets: a measured item is matched to
// its setting by value, and the presets change when a candidate is adopted.
const LM_SGD = { lr: 20, lrMin: 2, momentum: 0, weightDecay: 5e-7, gradClip: 0.25, bptt: 35, evalBatchSize: 10, epochs: 1 };
const IMAGE_SGD = { lr: 0.1, lrMin: 0, momentum: 0.9, weightDecay: 3e-4, gradClip: 5, epochs: 1, augment: { padCrop: 2, flip: true, cutout: 0 } };
/** Fashion-MNIST's tiny search setting between the first and the second choice; `fm-6k-v5k` scores it on a larger validation slice. */
const FM_6K: ImageSetting = { filters: 8, cellsPerStage: 1, trainImages: 6_000, validImages: 1_000, train: { ...IMAGE_SGD, batchSize: 32 } };

/**
 * Named search settings of each task: the presets' settings as they were before the
 * recalibration of issue 18 (`tiny-0`) and the candidates scored against them. Each is paired
 * with the final setting of `preset`.
 */
const SEARCH_SETTINGS: Record<TaskName, Record<string, { preset: PresetName; setting: Setting; note: string; calibrated?: true }>> = {
  ptb: {
    smoke: { preset: 'smoke', setting: TEXT_PRESETS.smoke.search, note: 'the smoke preset' },
    'tiny-0': {
      preset: 'tiny',
      setting: { hidden: 128, dropout: 0.1, trainTokens: 30_000, validTokens: 10_000, train: { ...LM_SGD, batchSize: 32 } },
      note: 'tiny before the recalibration: 30,000 tokens in batches of 32 × 35 (26 steps), dropout 0.1, 10,000 validation tokens',
    },
    'ptb-b16': {
      preset: 'tiny',
      setting: { hidden: 128, dropout: 0, trainTokens: 60_000, validTokens: 5_000, train: { ...LM_SGD, batchSize: 16 } },
      note: 'candidate: 60,000 tokens in batches of 16 × 35 (107 steps), no dropout (as the final), 5,000 validation tokens',
    },
    'ptb-b8': {
      preset: 'tiny',
      setting: { hidden: 128, dropout: 0, trainTokens: 60_000, validTokens: 5_000, train: { ...LM_SGD, batchSize: 8 } },
      note: 'candidate: 60,000 tokens in batches of 8 × 35 (214 steps), no dropout, 5,000 validation tokens',
    },
  },
  'fashion-mnist': {
    smoke: { preset: 'smoke', setting: IMAGE_PRESETS['fashion-mnist']!.smoke.search, note: 'the smoke preset' },
    'tiny-0': {
      preset: 'tiny',
      calibrated: true,
      setting: { filters: 8, cellsPerStage: 1, trainImages: 2_000, validImages: 1_000, train: { ...IMAGE_SGD, batchSize: 64 } },
      note: 'tiny before the recalibration and again since the second choice: 2,000 images in batches of 64, one epoch (31 steps), 1,000 validation images',
    },
    'fm-b32': {
      preset: 'tiny',
      calibrated: true,
      setting: { filters: 8, cellsPerStage: 1, trainImages: 4_000, validImages: 1_000, train: { ...IMAGE_SGD, batchSize: 32 } },
      note: 'candidate: 4,000 images in batches of 32, one epoch (125 steps), 1,000 validation images',
    },
    'fm-6k': {
      preset: 'tiny',
      calibrated: true,
      setting: FM_6K,
      note: 'candidate, tiny from the first choice to the second: 6,000 images in batches of 32, one epoch (187 steps), 1,000 validation images',
    },
    'fm-6k-v5k': {
      preset: 'tiny',
      calibrated: true,
      setting: { ...FM_6K, validImages: 5_000 },
      note: 'candidate added after all 16 finals were known: fm-6k scored on 5,000 validation images instead of 1,000, against the seed noise of a 1,000-image slice',
    },
  },
};

/**
 * How each task's tiny search setting was chosen, written down before any τ of a candidate was
 * known. The reported metric (the final test result) takes no part in the choice.
 */
const CHOICE: Record<TaskName, string> = {
  ptb: `**How tiny was chosen.** Rule, fixed before scoring: among settings with the final's model (hidden 128,
full vocabulary, real splits) and at most 60 CPU-seconds per child, take the one whose agreement with
the final training's *validation* perplexity is highest; until enough finals exist, take the one whose
children learn the most (mean validation perplexity, against the 687 of a unigram model on the same
split), since a signal that stays at or above the unigram level cannot rank cells by what they learn.
tiny-0 (26 steps) stays above the unigram level for every cell; ptb-b16 (107 steps) stays above it on
the one cell scored (stopped there); ptb-b8 (214 steps) goes below it for every cell at about 59
CPU-seconds per child (measured at load averages of 24–45), so tiny is ptb-b8. Its τ
against the final test perplexity is reported here as the finals come in; it was not used.`,
  'fashion-mnist': `**How tiny was chosen.** Same rule; the final has no validation split, so the candidates
(tiny-0, fm-b32, fm-6k) are compared by τ against the final test error of cells 1–8 (the
calibration cells) and the chosen one is judged on cells 9–16 (held out); \`nasbench tasks\` and the
reports show that held-out τ, once 5 held-out finals exist. While the first finals ran, tiny stayed
at tiny-0 (its children already learn: mean validation accuracy far above the 10 % of chance). With
cells 1–8 final, τ on them was 0.43 for tiny-0 (17 CPU-s per child) and 0.55 for fm-b32 (34 s); the
candidate set was then extended by fm-6k, the most steps that fit the minute, which scored 0.64
(about 47 s), so tiny is fm-6k. These are point estimates on 8 cells with intervals from about −0.4
to 1: they say the longer setting is no worse, not that it is better. Disclosure: cell 9's final
had finished (and τ over cells 1–9 of tiny-0 and fm-b32 had been written here) before fm-6k was
added; the choice itself used cells 1–8 only, and cells 10–16 were not known to anyone.
Fallback, written down when cells 1–12 were final and 13–16 were not: if tiny's τ over all 16
cells misses the target (τ ≥ 0.5 with its interval above 0), tiny becomes the cheapest of the three
candidates whose τ over the 16 cells is within 0.1 of the highest (the issue's "where the curve of τ
against seconds per child flattens"). Outcome with all 16 finals: tiny (fm-6k) reaches τ 0.49
[0.02, 0.84], just short of 0.5, and 0.07 on the 8 held-out cells alone; tiny-0 0.38 and fm-b32
0.34 are more than 0.1 below it, so tiny stays fm-6k. The curve has not flattened by about 47 CPU-s
per child, and a child may take 60.
Cells 17–24, written down before any of their results existed: to judge fm-6k on more than 8
held-out cells, 8 more cells were drawn (the same seed, continuing the list) after the outcome above
was written. The choice is not revisited on them: tiny stays fm-6k whatever they show, and the
held-out τ shown to users covers cells 9–24. The target counts as met if that held-out τ is at
least 0.5 with its interval above 0. In the same stretch, the tiny final of cells 1–8 was
trained again with seed 1, to measure how well the final agrees with itself.
Outcome (cells 17–24 final, seed 1 on cells 1–7; time ran out before cell 8): over the 16
held-out cells fm-6k's τ is 0.30 [−0.08, 0.69], so the target is missed; tiny stays fm-6k as
committed. The final agrees with a second seed of itself at τ 0.33 on seven cells, and a noiseless
search signal could expect only about 0.54 against one final (above the table): the target sits at
what this final allows.
Second choice, written down with cells 1–24 known and before cells 25–40 were drawn or trained: a
run's searcher sees one seed, so a setting is scored by the mean of its seed-0 and seed-1 τ against
the final over cells 1–24, among the settings with both seeds on all 24: tiny-0 (0.33 and 0.42, mean
0.38, 16 CPU-s per child) against fm-6k (0.44 and 0.07, mean 0.26, 49 s). The search signal alone
agrees (τ between its two seeds 0.59 against 0.18), and fm-b32 (one seed, 0.34 at 32 s) is no
better at twice tiny-0's cost: the curve of τ against seconds is flat from 16 s, so tiny is tiny-0
again, the cheapest setting where it flattens (the issue's fallback). Judged on cells 25–40: their
finals and both settings' children (seeds 0 and 1) are trained in cell order, and the measurement
stops at 19:30 UTC on 6 December 2026, whatever it shows; the held-out τ shown to users is tiny-0's over the
cells 25–40 with a final. The target counts as met if that τ is at least 0.5 with its interval
above 0. fm-6k is measured on the same cells only to check the choice, which is not revisited.
Outcome (all 16 finals and both settings' children with seeds 0 and 1 done by 19:13 UTC): on
cells 25–40 tiny-0's τ is −0.03 [−0.40, 0.39] with the seed-0 signal and 0.46 [0.09, 0.76] with
seed 1; fm-6k's 0.15 [−0.31, 0.61] and −0.12 [−0.56, 0.32]. The target is missed; tiny stays tiny-0
as committed, and \`run\` warns on it. Over all 40 cells the curve of τ against CPU-seconds per
child is flat within its noise (tiny-0 0.18 and 0.39 at 15 s, fm-6k 0.34 and 0.04 at 45 s, seeds 0
and 1) and the seed moves τ more than the seconds do, so tiny sits where it flattens, at its
cheapest point: what the issue asks when τ ≥ 0.5 cannot be reached within the minute.`,
};

function readItems(): FidelityItem[] {
  if (!existsSync(ITEMS_FILE)) return [];
  return readFileSync(ITEMS_FILE, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as FidelityItem);
}

/**
 * The task's fidelity cells: its reference cell, then distinct cells drawn with a fixed seed. A
 * longer list begins with a shorter one, so cells can be added without changing the first.
 */
export function fidelityCells(task: Task, count: number): string[] {
  const cells = [task.space.format(task.space.parse(task.reference!))];
  const rng = Rng.seeded(CELL_SEED);
  while (cells.length < count) {
    const text = task.space.format(task.space.sample(rng));
    if (!cells.includes(text)) cells.push(text);
  }
  return cells;
}

interface Spec {
  readonly task: TaskName;
  readonly label: string;
  readonly kind: 'search' | 'final';
  readonly seeds: readonly number[];
  /** Cells `from`–`to`, counted from 1 (all of the task's cells when absent). */
  readonly cells?: { readonly from: number; readonly to: number };
}

/** `N` is cells 1–N; `A-B` is cells A–B. */
function parseCells(text: string, spec: string, count: number): Spec['cells'] {
  const m = /^(?:(\d+)-)?(\d+)$/.exec(text);
  const from = Number(m?.[1] ?? 1);
  const to = Number(m?.[2]);
  if (!m || from < 1 || to < from || to > count) throw new Error(`${spec}: cells must be N or A-B within 1–${count}`);
  return { from, to };
}

function parseSpec(text: string): Spec {
  const [task, label, kind, seeds, cells] = text.split(':');
  if (!TASKS.includes(task as TaskName)) throw new Error(`${text}: task must be one of ${TASKS.join(', ')}`);
  if (kind !== 'search' && kind !== 'final') throw new Error(`${text}: kind must be search or final`);
  if (kind === 'final' && label !== 'smoke' && label !== 'tiny') throw new Error(`${text}: a final setting is smoke or tiny`);
  if (kind === 'search' && !SEARCH_SETTINGS[task as TaskName][label!]) throw new Error(`${text}: search settings of ${task} are ${Object.keys(SEARCH_SETTINGS[task as TaskName]).join(', ')}`);
  const seedList = seeds ? seeds.split(',').map(Number) : kind === 'search' ? [0, 1] : [0];
  return { task: task as TaskName, label: label!, kind, seeds: seedList, ...(cells ? { cells: parseCells(cells, text, CELLS[task as TaskName]) } : {}) };
}

/** Opens the task with a one-preset table: the search setting under test, the preset's final setting. */
async function openFor(spec: Spec): Promise<{ evaluator: Evaluator<unknown>; preset: PresetName; config: Setting }> {
  const task = getTask(spec.task);
  const preset: PresetName = spec.kind === 'final' ? (spec.label as PresetName) : SEARCH_SETTINGS[spec.task][spec.label]!.preset;
  const dir = resolveDataDir(undefined);
  const options = { preset: spec.label, backend: 'wasm', threads: 1, fetch: false };
  if (spec.task === 'ptb') {
    const base = TEXT_PRESETS[preset];
    const table: Record<string, TextPreset> = { [spec.label]: spec.kind === 'final' ? base : { ...base, search: SEARCH_SETTINGS.ptb[spec.label]!.setting as TextSetting } };
    const { openTextEvaluator } = await import('../src/tasks/text-evaluator.js');
    const evaluator = await openTextEvaluator(task, 'ptb', table, dir, options);
    return { evaluator: evaluator as Evaluator<unknown>, preset, config: spec.kind === 'final' ? base.final : table[spec.label]!.search };
  }
  const base = IMAGE_PRESETS[spec.task]![preset];
  const table: Record<string, ImagePreset> = { [spec.label]: spec.kind === 'final' ? base : { ...base, search: SEARCH_SETTINGS[spec.task][spec.label]!.setting as ImageSetting } };
  const { openImageEvaluator } = await import('../src/tasks/image-evaluator.js');
  const evaluator = await openImageEvaluator(task, spec.task, table, dir, options);
  return { evaluator: evaluator as Evaluator<unknown>, preset, config: spec.kind === 'final' ? base.final : table[spec.label]!.search };
}

const sameItem = (a: FidelityItem, b: Omit<FidelityItem, 'metrics' | 'status' | 'wallSeconds' | 'cpuSeconds' | 'deviceSeconds' | 'load' | 'date' | 'params'>) =>
  a.task === b.task && a.kind === b.kind && a.label === b.label && a.seed === b.seed && a.arch === b.arch && sameSetting(a.config, b.config);

async function measure(spec: Spec): Promise<void> {
  const task = getTask(spec.task);
  const all = fidelityCells(task, CELLS[spec.task]);
  const { from, to } = spec.cells ?? { from: 1, to: all.length };
  const { evaluator, preset, config } = await openFor(spec);
  for (const seed of spec.seeds) {
    for (let index = from - 1; index < to; index++) {
      const arch = all[index]!;
      const key = { task: spec.task, kind: spec.kind, label: spec.label, preset, seed, arch, config };
      if (readItems().some((i) => sameItem(i, key))) continue;
      const loadBefore = loadavg()[0]!;
      const cpu = process.cpuUsage();
      const started = performance.now();
      const job = { seed };
      const e = spec.kind === 'search' ? await evaluator.evaluate(task.space.parse(arch), job) : await evaluator.finalEvaluate(task.space.parse(arch), job);
      const used = process.cpuUsage(cpu);
      const item: FidelityItem = {
        ...key,
        status: e.status,
        metrics: e.metrics,
        params: e.params ?? null,
        wallSeconds: (performance.now() - started) / 1000,
        cpuSeconds: (used.user + used.system) / 1e6,
        deviceSeconds: e.deviceSeconds,
        load: [loadBefore, loadavg()[0]!],
        date: new Date().toISOString(),
      };
      appendFileSync(ITEMS_FILE, JSON.stringify(item) + '\n');
      const shown = Object.entries(e.metrics).map(([k, v]) => `${k} ${typeof v === 'number' ? v.toFixed(2) : v}`).join(', ');
      console.log(`${spec.task} ${spec.label} ${spec.kind} seed ${seed} cell ${index + 1}/${all.length}: ${shown} (${item.wallSeconds.toFixed(1)} s wall, ${item.cpuSeconds.toFixed(1)} s CPU, load ${item.load[0].toFixed(1)})`);
    }
  }
  evaluator.close();
}

const fmt = (x: number | null | undefined, digits = 3) => (x === null || x === undefined ? '–' : x.toFixed(digits));
const ci = (c: readonly [number, number] | null) => (c === null ? '' : `[${c[0].toFixed(2)}, ${c[1].toFixed(2)}]`);
const withCi = (e: Estimate) => `${fmt(e.value, 2)} ${ci(e.ci95)}`;
/** "τ [CI] (cells…)", `also` added after the cells; "–" without an agreement. */
const tauOver = (a: RankAgreement | null, also = '') => (a ? `${withCi(a.kendall)} (${a.cells}${also})` : '–');

function settingRow(s: SettingSummary): (string | number)[] {
  return [
    s.label + (s.current ? ` (= ${s.preset} now)` : ''),
    withCi(s.vsFinalTest.kendall),
    withCi(s.vsFinalTest.spearman),
    s.vsFinalTest.cells,
    tauOver(s.vsFinalTestSeed1),
    tauOver(s.vsCalibration?.agreement ?? null, s.vsCalibration ? `, ${s.vsCalibration.against}` : ''),
    tauOver(s.heldOut),
    s.noise ? `${fmt(s.noise.withinCell, 2)} / ${fmt(s.noise.betweenCells, 2)} (τ ${fmt(s.noise.seedTau, 2)}, ${s.noise.cells})` : '–',
    `${fmt(s.searchMean, 1)}`,
    `${fmt(s.seconds.wall, 1)} / ${fmt(s.seconds.cpu, 1)} (${s.seconds.items})`,
  ];
}

function report(): void {
  const items = readItems();
  const summaries = TASKS.map((name) => {
    const task = getTask(name);
    const cells = fidelityCells(task, CELLS[name]);
    const settings = Object.entries(SEARCH_SETTINGS[name]).map(([label, s]) => ({ label, preset: s.preset, config: s.setting, note: s.note, calibrated: s.calibrated === true }));
    const current = {
      smoke: (name === 'ptb' ? TEXT_PRESETS.smoke : IMAGE_PRESETS[name]!.smoke).search as Setting,
      tiny: (name === 'ptb' ? TEXT_PRESETS.tiny : IMAGE_PRESETS[name]!.tiny).search as Setting,
    };
    return fidelitySummary({ task: name, search: task.objective, result: task.result, cells, calibrationCells: cells.slice(0, CALIBRATION_CELLS), settings, current, items });
  });
  const loads = items.map((i) => i.load[0]);
  const data = { machine: machine(), cellSeed: CELL_SEED, items: items.length, load: { min: Math.min(...loads), max: Math.max(...loads) }, tasks: summaries, presets: Object.fromEntries(summaries.map((s) => [s.task, s.presets])) };
  const sections = summaries.map(
    (s) => `## ${s.task}

Search signal: ${s.searchMetric}; final result: ${s.resultMetric} (seed 0). Finals measured: ${Object.entries(s.finals)
      .map(([p, f]) => `${p} ${f.cells}/${CELLS[s.task as TaskName]} cells (${fmt(f.wallSeconds, 0)} s wall, ${fmt(f.cpuSeconds, 0)} s CPU each on average)`)
      .join('; ')}.${Object.entries(s.finals)
      .filter(([, f]) => f.noise)
      .map(
        ([p, f]) =>
          ` Seed noise of the ${p} final itself (seeds 0 and 1 of ${f.noise!.cells} cells): within-cell sd ${fmt(f.noise!.withinCell, 2)} against between-cell sd ${fmt(f.noise!.betweenCells, 2)} on those cells and ${fmt(f.spread, 2)} over all ${f.cells}, seed τ ${fmt(f.noise!.seedTau, 2)}. A search signal is compared with one final: were it free of noise and exactly right, it could expect τ ${fmt(f.attainableTau?.value, 2)} ${ci(f.attainableTau?.ci95 ?? null)} against it (normal noise; (2/π)·asin √R, R = 1 − within² / between², between over all ${f.cells}; the interval is that of the within-cell sd on ${f.noise!.cells - 1} degrees of freedom).`,
      )
      .join('')}

${markdownTable(
  ['search setting', 'Kendall τ vs final test [95 % CI]', 'Spearman ρ [95 % CI]', 'cells', 'τ vs final test with the seed-1 signal [95 % CI] (cells)', 'τ vs calibration reference (cells, reference)', 'τ vs final test on the held-out cells [95 % CI] (cells)', 'seed noise: within-cell sd / between-cell sd (seed τ, cells)', `mean ${s.searchMetric}`, 's per child: wall / CPU (children)'],
  s.settings.map(settingRow),
)}

${s.settings.map((x) => `- **${x.label}**: ${x.note}.`).join('\n')}

${CHOICE[s.task as TaskName]}`,
  );
  const md = `# Proxy fidelity of the trained tasks

How well each preset's search signal (what a searcher sees) ranks cells as their final training
(what a run is judged by) does. ${TASKS.map((t) => `${CELLS[t]} cells for ${t}`).join(', ')}: the reference cell and cells sampled with seed
${CELL_SEED}. Every child and final on the wasm engine, one thread, one process
(\`node dist/benchmarks/proxy-fidelity.js measure …\`, then \`… report\`); every measured item, with its
wall and CPU seconds and the load average, is in \`results/proxy-fidelity-measurements.jsonl\`.
Machine: ${data.machine.cpu}, ${data.machine.cores} cores shared with other jobs (1-minute load average ${fmt(data.load.min, 1)}–${fmt(data.load.max, 1)}
while measuring): wall seconds depend on that load, CPU seconds of the process much less.

τ and ρ compare "better" with "better" (lower perplexity or error, higher accuracy), so 1 is perfect
agreement; intervals are 95 % percentile bootstraps over cells (2,000 resamples). A τ over fewer
than the task's cells covers only the cells whose final training has finished. Seed noise: the same cells
trained with seeds 0 and 1; the within-cell sd is the sd of the paired differences over √2.

${sections.join('\n\n')}
`;
  writeResults('proxy-fidelity', data, md);
  console.log(md);
}

async function main(): Promise<void> {
  const [mode, ...rest] = process.argv.slice(2);
  if (mode === 'measure' && rest.length > 0) {
    const specs = rest.map(parseSpec);
    for (const spec of specs) await measure(spec);
    return;
  }
  if (mode === 'report') return report();
  if (mode === 'cells') {
    for (const name of TASKS) console.log(name, fidelityCells(getTask(name), CELLS[name]));
    return;
  }
  throw new Error('usage: proxy-fidelity measure <task>:<setting>:<search|final>[:<seeds>[:<N|A-B>]] … | report | cells');
}

await main();
