import { Flags } from '@oclif/core';
import { experimentSummaries } from '../../report/experiments.js';
import { table } from '../../report/terminal-table.js';
import { NasbenchCommand } from '../base.js';
import { wideFlag } from '../flags/output.js';
import { dbFlag } from '../flags/store.js';
import { experimentsHelp } from '../help/results.js';

export default class Experiments extends NasbenchCommand {
  static override summary = experimentsHelp.summary;
  static override description = experimentsHelp.description;
  static override examples = experimentsHelp.examples;
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
