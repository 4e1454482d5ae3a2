import { basename } from 'node:path';
import { allTasks } from '../../tasks/index.js';
import { describeDataDir, resolveDataDir } from '../../data/data-dir.js';
import { NasbenchCommand, dataDirFlag } from '../base.js';
import { table } from '../format.js';

export default class Tasks extends NasbenchCommand {
  static override summary = 'List tasks, what they measure, and whether their data is present';
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    { description: 'Check a data directory', command: '<%= config.bin %> <%= command.id %> --data-dir ~/datasets/nasbench' },
  ];
  static override enableJsonFlag = true;
  static override flags = { 'data-dir': dataDirFlag };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(Tasks);
    const dir = resolveDataDir(flags['data-dir']);
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
      };
    });
    this.log(
      table(
        ['Task', 'Space', 'Searches on', 'Reports', 'Data'],
        listing.map((t) => [
          t.name,
          t.space,
          t.searchMetric,
          t.reportedMetric,
          t.dataPresent ? 'present' : `missing ${t.missing.length} file(s), e.g. ${basename(t.missing[0] ?? '')}`,
        ]),
      ),
    );
    this.log(`data directory: ${describeDataDir(dir)}`);
    return { dataDir: dir.path, tasks: listing };
  }
}
