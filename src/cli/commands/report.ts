import { Flags } from '@oclif/core';
import { leaderboard } from '../../report/leaderboard.js';
import { NasbenchCommand, dbFlag } from '../base.js';
import { leaderboardTable } from '../leaderboard-table.js';

export default class Report extends NasbenchCommand {
  static override summary = 'Compare methods: final results over seeds, per task';
  static override description = `One row per task × method × budget × hyper-parameters (runs that are directly comparable):
seeds, budget, the final result's mean ± sample std over completed runs, the best and median
run, evaluations actually used per run and total device time.`;

  static override examples = [
    { description: 'Every method on NAS-Bench-201 CIFAR-10', command: '<%= config.bin %> <%= command.id %> --task nb201-cifar10' },
    { description: 'As JSON, for scripts', command: '<%= config.bin %> <%= command.id %> --task nb201-cifar10 --json' },
  ];

  static override enableJsonFlag = true;

  static override flags = {
    task: Flags.string({ char: 't', description: 'Only this task' }),
    method: Flags.string({ char: 'm', description: 'Only this method' }),
    db: dbFlag,
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(Report);
    const store = this.openStore(flags.db);
    try {
      const rows = leaderboard(store, { task: flags.task, method: flags.method });
      if (rows.length === 0) this.logToStderr(`no runs in ${flags.db}${flags.task ? ` for task ${flags.task}` : ''}${flags.method ? ` for method ${flags.method}` : ''}`);
      else this.log(leaderboardTable(rows));
      return rows;
    } finally {
      store.close();
    }
  }
}
