import { mean, sampleStandardDeviation } from 'simple-statistics';
import type { Objective } from '../api/index.js';
import { attainableTauEstimate, rankAgreement, seedNoise, type Estimate, type RankAgreement, type SeedNoise } from './rank-agreement.js';

/** A preset's τ is shown only when at least this many cells have both a search signal and a final result. */
export const MIN_FIDELITY_CELLS = 5;

/** One trained cell of the proxy-fidelity benchmark (a line of results/proxy-fidelity-measurements.jsonl). */
export interface FidelityItem {
  readonly task: string;
  readonly kind: 'search' | 'final';
  /** The search setting's name, or the preset whose final setting was trained. */
  readonly label: string;
  /** The preset whose final setting a search setting is compared with. */
  readonly preset: string;
  readonly seed: number;
  readonly arch: string;
  /** The setting trained, as the preset table spells it. */
  readonly config: unknown;
  readonly status: string;
  readonly metrics: Readonly<Record<string, number | string>>;
  readonly params: number | null;
  readonly wallSeconds: number;
  /** User + system CPU seconds of the measuring process during the training. */
  readonly cpuSeconds: number;
  readonly deviceSeconds: number;
  /** 1-minute load average before and after. */
  readonly load: readonly [number, number];
  readonly date: string;
}

/** What users are shown of a preset: the agreement of its current search setting with its final results. */
export interface PresetFidelity {
  /** The measured search setting that equals the preset's search setting. */
  readonly label: string;
  readonly tau: number;
  readonly ci95: readonly [number, number] | null;
  /** Cells with both values. */
  readonly cells: number;
  /** Measured on the held-out cells only: the setting was chosen on the others' final results. */
  readonly heldOut?: true;
}

export interface SettingSummary {
  readonly label: string;
  readonly preset: string;
  readonly note: string;
  /** The preset's search setting today equals this one. */
  readonly current: boolean;
  /** Against the reported metric: the final training's test result. */
  readonly vsFinalTest: RankAgreement;
  /**
   * The same with the seed-1 search signal (the cells scored twice): how much the figure above
   * owes to the one seed a searcher happened to see. Null without seed-1 children.
   */
  readonly vsFinalTestSeed1: RankAgreement | null;
  /**
   * Against what the setting was chosen by: the final training's validation metric on every cell,
   * or, for a calibrated candidate when the final has no validation split, its result on the
   * calibration cells.
   */
  readonly vsCalibration: { readonly against: string; readonly agreement: RankAgreement } | null;
  /** Against the final result on the held-out cells, when the choice used the calibration cells. */
  readonly heldOut: RankAgreement | null;
  readonly noise: SeedNoise | null;
  readonly searchMean: number | null;
  readonly seconds: { readonly wall: number | null; readonly cpu: number | null; readonly items: number };
}

/** A preset's final training on the fidelity cells. */
export interface FinalSummary {
  /** Cells with a seed-0 final (the one the search signals are compared with). */
  readonly cells: number;
  readonly wallSeconds: number | null;
  readonly cpuSeconds: number | null;
  /**
   * The final result of cells trained with seeds 0 and 1: how well one final ranks the cells as a
   * second final of them does. attainableTau turns its within-cell sd into the bound on a search
   * signal.
   */
  readonly noise: SeedNoise | null;
  /** Standard deviation of the seed-0 results between all cells with one (null below 2 cells). */
  readonly spread: number | null;
  /**
   * The τ a noiseless search signal can expect against one final: attainableTauEstimate of the
   * noise and `spread` (the spread over every seed-0 final, which estimates it better than the
   * few cells trained twice).
   */
  readonly attainableTau: Estimate | null;
}

export interface TaskFidelity {
  readonly task: string;
  readonly searchMetric: string;
  readonly resultMetric: string;
  readonly finals: Record<string, FinalSummary>;
  readonly settings: SettingSummary[];
  readonly presets: Record<string, PresetFidelity | null>;
}

export interface FidelityInput {
  readonly task: string;
  readonly search: Objective;
  readonly result: Objective;
  readonly cells: readonly string[];
  /**
   * The cells a setting may be chosen on when the final training has no validation metric (its
   * result on them is then the calibration reference); the other cells are held out.
   */
  readonly calibrationCells: readonly string[];
  /** `calibrated`: a candidate for the preset, chosen among the others by agreement on the calibration cells. */
  readonly settings: readonly { readonly label: string; readonly preset: string; readonly config: unknown; readonly note: string; readonly calibrated?: boolean }[];
  /** The presets' search settings as they are now. */
  readonly current: Readonly<Record<string, unknown>>;
  readonly items: readonly FidelityItem[];
}

/** JSON with object keys sorted: two spellings of one setting compare equal. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Whether two settings are the same, whatever the order of their keys. */
export const sameSetting = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);
const same = sameSetting;
const orNull = (xs: readonly number[]) => (xs.length === 0 ? null : mean(xs as number[]));
/** Higher is better, whatever the metric's goal. */
const better = (goal: Objective['goal']) => (x: number) => (goal === 'min' ? -x : x);

/** Kendall τ, Spearman ρ, seed noise and times of every measured search setting of one task. */
export function fidelitySummary(input: FidelityInput): TaskFidelity {
  const ok = input.items.filter((i) => i.task === input.task && i.status === 'ok');
  const metric = (i: FidelityItem, name: string) => (typeof i.metrics[name] === 'number' ? (i.metrics[name] as number) : null);
  /** arch → value of `name` for items matching `pick`. */
  const values = (pick: (i: FidelityItem) => boolean, name: string) => {
    const out = new Map<string, number>();
    for (const i of ok.filter(pick)) {
      const v = metric(i, name);
      if (v !== null && input.cells.includes(i.arch)) out.set(i.arch, v);
    }
    return out;
  };
  const paired = (a: Map<string, number>, b: Map<string, number>, goalA: Objective['goal'], goalB: Objective['goal'], among = input.cells) => {
    const cells = among.filter((c) => a.has(c) && b.has(c));
    return rankAgreement(cells.map((c) => better(goalA)(a.get(c)!)), cells.map((c) => better(goalB)(b.get(c)!)));
  };
  const finalOf = (preset: string, name: string, seed = 0) => values((i) => i.kind === 'final' && i.label === preset && i.seed === seed, name);
  const noiseOf = (first: Map<string, number>, second: Map<string, number>) => {
    const both = input.cells.filter((c) => first.has(c) && second.has(c));
    return seedNoise(both.map((c) => first.get(c)!), both.map((c) => second.get(c)!));
  };
  const searchOf = (label: string, config: unknown, seed: number) =>
    values((i) => i.kind === 'search' && i.label === label && i.seed === seed && same(i.config, config), input.search.metric);
  const heldOutCells = input.cells.filter((c) => !input.calibrationCells.includes(c));

  const settings = input.settings.map((s): SettingSummary => {
    const first = searchOf(s.label, s.config, 0);
    const second = searchOf(s.label, s.config, 1);
    const finalValid = finalOf(s.preset, input.search.metric);
    const finalResult = finalOf(s.preset, input.result.metric);
    const againstResult = (among: readonly string[], signal = first) => paired(signal, finalResult, input.search.goal, input.result.goal, among);
    const withValid = finalValid.size > 0;
    const onHalves = !withValid && s.calibrated === true && finalResult.size > 0;
    const vsCalibration: SettingSummary['vsCalibration'] = withValid
      ? { against: `final ${input.search.metric}`, agreement: paired(first, finalValid, input.search.goal, input.search.goal) }
      : onHalves
        ? { against: `final ${input.result.metric} of the calibration cells`, agreement: againstResult(input.calibrationCells) }
        : null;
    const timed = ok.filter((i) => i.kind === 'search' && i.label === s.label && same(i.config, s.config));
    return {
      label: s.label,
      preset: s.preset,
      note: s.note,
      current: same(input.current[s.preset], s.config),
      vsFinalTest: againstResult(input.cells),
      vsFinalTestSeed1: second.size > 0 ? againstResult(input.cells, second) : null,
      vsCalibration,
      heldOut: onHalves ? againstResult(heldOutCells) : null,
      noise: noiseOf(first, second),
      searchMean: orNull([...first.values()]),
      seconds: { wall: orNull(timed.map((i) => i.wallSeconds)), cpu: orNull(timed.map((i) => i.cpuSeconds)), items: timed.length },
    };
  });

  const finals: TaskFidelity['finals'] = {};
  for (const preset of new Set(input.settings.map((s) => s.preset))) {
    const done = ok.filter((i) => i.kind === 'final' && i.label === preset && i.seed === 0);
    const result = finalOf(preset, input.result.metric);
    const noise = noiseOf(result, finalOf(preset, input.result.metric, 1));
    const spread = result.size < 2 ? null : sampleStandardDeviation([...result.values()]);
    finals[preset] = {
      cells: done.length,
      wallSeconds: orNull(done.map((i) => i.wallSeconds)),
      cpuSeconds: orNull(done.map((i) => i.cpuSeconds)),
      noise,
      spread,
      attainableTau: noise && spread ? attainableTauEstimate(noise, spread) : null,
    };
  }
  const presets: Record<string, PresetFidelity | null> = {};
  for (const preset of Object.keys(input.current)) {
    const s = settings.find((x) => x.preset === preset && x.current);
    // A setting chosen on some cells' final results is shown with its agreement on the others only.
    const shown = s?.heldOut ?? s?.vsFinalTest;
    const tau = shown?.kendall.value;
    presets[preset] =
      s && shown && tau !== null && tau !== undefined && shown.cells >= MIN_FIDELITY_CELLS
        ? { label: s.label, tau, ci95: shown.kendall.ci95, cells: shown.cells, ...(s.heldOut ? { heldOut: true as const } : {}) }
        : null;
  }
  return { task: input.task, searchMetric: input.search.metric, resultMetric: input.result.metric, finals, settings, presets };
}
