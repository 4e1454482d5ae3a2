import { Args, Flags } from '@oclif/core';
import { UserError } from '../../errors.js';
import { runDetail } from '../../report/run-detail.js';
import { NasbenchCommand } from '../base.js';
import { wideFlag } from '../flags/output.js';
import { dbFlag } from '../flags/store.js';
import { showHelp } from '../help/results.js';
import { parseRunId } from '../run-id.js';

export default class Show extends NasbenchCommand {
  static override summary = showHelp.summary;
  static override examples = showHelp.examples;
  static override enableJsonFlag = true;
  static override args = { run: Args.string({ description: 'Run id', required: true }) };
  static override flags = {
    db: dbFlag,
    top: Flags.integer({ description: 'How many of the best evaluations to list', default: 5, min: 0 }),
    wide: wideFlag,
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(Show);
    const id = parseRunId(args.run);
    const store = this.openStore(flags.db, 'read');
    try {
      const run = store.getRun(id);
      if (!run) throw new UserError(`run ${id} is not in ${flags.db}`);
      const { detail, lines } = runDetail(store, run, flags.top, this.outputWidth);
      for (const line of lines) this.log(line);
      return detail;
    } finally {
      store.close();
    }
  }
}
