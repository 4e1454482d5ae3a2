import { basename } from 'node:path';
import { allTasks } from '../../tasks/index.js';
import { describeDataDir, resolveDataDir } from '../../data/data-dir.js';
import { NasbenchCommand, dataDirFlag, wideFlag } from '../base.js';
import { table } from '../format.js';
import { describeTau, FIDELITY_REPORT, presetFidelity } from '../../report/preset-fidelity.js';
import { loadFidelityTable } from '../fidelity-table.js';

export default class Tasks extends NasbenchCommand {
  static override summary = 'List tasks, what they measure, and whether their data is present';
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    { description: 'Check a data directory', command: '<%= config.bin %> <%= command.id %> --data-dir ~/datasets/nasbench' },
  ];
  static override enableJsonFlag = true;
  static override flags = { 'data-dir': dataDirFlag, wide: wideFlag };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(Tasks);
    const dir = resolveDataDir(flags['data-dir']);
    const fidelity = loadFidelityTable();
    const listing = allTasks().map((t) => {
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
    this.log(
      table(
        ['Task', 'Space', 'Searches on', 'Reports', 'Search signal vs final (Kendall τ)', 'Data'],
        listing.map((t) => [
          t.name,
          t.space,
          t.searchMetric,
          t.reportedMetric,
          t.fidelity === null ? '–' : Object.entries(t.fidelity).map(([p, f]) => `${p}: ${describeTau(f)}`).join('; '),
          t.dataPresent ? 'present' : `missing ${t.missing.length} file(s), e.g. ${basename(t.missing[0] ?? '')}`,
        ]),
        { width: this.outputWidth, dropFirst: ['Space', 'Reports', 'Search signal vs final (Kendall τ)'] },
      ),
    );
    this.log(`Search signal vs final: rank agreement of a preset's search signal with its final test results, as measured in ${FIDELITY_REPORT}.`);
    this.log(`data directory: ${describeDataDir(dir)}`);
    return { dataDir: dir.path, tasks: listing };
  }
}
