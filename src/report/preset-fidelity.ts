import type { PresetFidelity } from './proxy-fidelity.js';

/**
 * The measured agreement of each trained task's presets, by task then preset (null: measured too
 * little). One source: the `presets` section of results/proxy-fidelity.json, which
 * benchmarks/proxy-fidelity writes from its committed measurements.
 */
export type FidelityTable = Readonly<Record<string, Readonly<Record<string, PresetFidelity | null>>>>;

/** Where users read how the figures were measured. */
export const FIDELITY_REPORT = 'results/proxy-fidelity.md';
/** Below this τ a run is warned that its search signal carries little of the final ranking. */
export const LOW_FIDELITY_TAU = 0.3;

export function presetFidelity(table: FidelityTable, task: string, preset: string): PresetFidelity | null {
  return table[task]?.[preset] ?? null;
}

/** "τ = 0.62 [0.31, 0.85] (16 cells)", "… (8 held-out cells)" or "not measured". */
export function describeTau(f: PresetFidelity | null): string {
  if (f === null) return 'not measured';
  const interval = f.ci95 ? ` [${f.ci95[0].toFixed(2)}, ${f.ci95[1].toFixed(2)}]` : '';
  return `τ = ${f.tau.toFixed(2)}${interval} (${f.cells} ${f.heldOut ? 'held-out ' : ''}cells)`;
}

/** The line under a trained task's table: how far its search signal can be trusted. */
export function fidelityNote(table: FidelityTable, task: string, preset: string): string {
  const f = presetFidelity(table, task, preset);
  return f === null
    ? `Search signal of preset ${preset} on ${task}: agreement with final results not measured (${FIDELITY_REPORT}).`
    : `Search signal of preset ${preset} on ${task}: Kendall ${describeTau(f)} against final test results (${FIDELITY_REPORT}).`;
}

/** The warning `run` prints once for a preset whose measured τ is below LOW_FIDELITY_TAU; null otherwise. */
export function lowFidelityWarning(table: FidelityTable, task: string, preset: string): string | null {
  const f = presetFidelity(table, task, preset);
  if (f === null || f.tau >= LOW_FIDELITY_TAU) return null;
  return `warning: the search signal of preset ${preset} on task ${task} agrees with final results at τ = ${f.tau.toFixed(2)}; see ${FIDELITY_REPORT}`;
}
