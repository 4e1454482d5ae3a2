import { basename } from 'node:path';
import type { DataDir } from '../data/data-dir.js';
import { describeTau, presetFidelity, type FidelityTable } from '../report/preset-fidelity.js';
import type { Width } from '../report/terminal-fit.js';
import { allTasks } from '../tasks/index.js';
import { table } from './format.js';

/** Every task as `nasbench tasks` lists it (and `tasks --json` returns it), with whether its data is in `dir`. */
export function taskListing(dir: DataDir, fidelity: FidelityTable) {
  return allTasks().map((t) => {
    const status = t.dataStatus(dir);
    return {
      name: t.name,
      kind: t.kind,
      space: t.space.kind,
      description: t.description,
      searchMetric: t.objective.label,
      reportedMetric: t.result.label,
      defaultBudget: t.defaultBudget,
      dataPresent: status.present,
      missing: status.missing,
      // Trained tasks only: a table lookup's search signal is the benchmark's own column.
      fidelity: t.kind === 'tabular' ? null : Object.fromEntries(t.presets.map((p) => [p, presetFidelity(fidelity, t.name, p)])),
    };
  });
}

/** That listing as a terminal table, fitted to `width` (a narrow one leaves out the space, the reported metric, then τ). */
export function taskTable(listing: ReturnType<typeof taskListing>, width: Width): string {
  return table(
    ['Task', 'Space', 'Searches on', 'Reports', 'Search signal vs final (Kendall τ)', 'Data'],
    listing.map((t) => [
      t.name,
      t.space,
      t.searchMetric,
      t.reportedMetric,
      t.fidelity === null ? '–' : Object.entries(t.fidelity).map(([p, f]) => `${p}: ${describeTau(f)}`).join('; '),
      t.dataPresent ? 'present' : `missing ${t.missing.length} file(s), e.g. ${basename(t.missing[0] ?? '')}`,
    ]),
    { width, dropFirst: ['Space', 'Reports', 'Search signal vs final (Kendall τ)'] },
  );
}
