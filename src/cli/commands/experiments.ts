import { Flags } from '@oclif/core';
import { experimentSummaries } from '../../report/experiments.js';
import { table } from '../../report/terminal-table.js';
import { NasbenchCommand, dbFlag, wideFlag } from '../base.js';

export default class Experiments extends NasbenchCommand {
  static override summary = 'List the experiments in a database: id, method, task, seeds, status and date';
  static override description = `Newest first. The database is --db, else $NASBENCH_DB, else results/nasbench.db in the current directory (set NASBENCH_DB in your shell profile for one database wherever you run nasbench). 'nasbench report --experiment <id>' and 'nasbench resume --experiment <id>' take an id from here.`;
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    { description: 'Only one task, from another database', command: '<%= config.bin %> <%= command.id %> --task nb201-cifar10 --db runs.db' },
  ];
  static override enableJsonFlag = true;
  static override flags = {
    db: dbFlag,
    task: Flags.string({ char: 't', description: 'Only experiments on this task' }),
    method: Flags.string({ char: 'm', description: 'Only experiments of this method' }),
    wide: wideFlag,
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(Experiments);
    const store = this.openStore(flags.db, 'read');
    try {
      const list = experimentSummaries(store.runs({ ...(flags.task ? { task: flags.task } : {}), ...(flags.method ? { method: flags.method } : {}) }));
      if (!this.jsonEnabled()) {
        if (list.length === 0) this.log(`no experiments in ${flags.db}${flags.task || flags.method ? ' matching the filter' : ''}`);
        else
          this.log(
            table(
              ['id', 'method', 'task', 'seeds', 'budget', 'status', 'started'],
              list.map((e) => [e.id, e.method, e.task, e.seeds, e.budget, e.status, e.started?.slice(0, 16).replace('T', ' ') ?? '–']),
              { width: this.outputWidth, dropFirst: ['budget'] },
            ),
          );
      }
      return list;
    } finally {
      store.close();
    }
  }
}
