import { Args } from '@oclif/core';
import { runExperiment } from '../../harness/experiment.js';
import { NasbenchCommand } from '../base.js';
import { executeFlags } from '../flags/execute.js';
import { experimentFlags } from '../flags/experiment.js';
import { runHelp } from '../help/runs.js';
import { printExperimentOutcome } from '../outcome.js';
import { checkRequests, runRequests } from '../run-plan.js';
import { withSession } from '../with-session.js';

export default class Run extends NasbenchCommand {
  static override summary = runHelp.summary;
  static override description = runHelp.description;
  static override examples = runHelp.examples;
  static override args = {
    method: Args.string({ description: "Method name (see 'nasbench methods') or path to a plugin file; or the methods of --config", required: false }),
  };
  static override enableJsonFlag = true;
  static override flags = { ...experimentFlags, ...executeFlags };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(Run);
    const requests = runRequests({ method: args.method, flags });
    // Every experiment of a file is checked before the first one runs or the store is opened.
    await checkRequests(requests, flags.config);
    const store = this.openStore(flags.db);
    try {
      const results = [];
      for (const request of requests) {
        const quiet = flags.quiet || this.jsonEnabled();
        const done = await withSession((line) => this.logToStderr(line), { ...flags, quiet }, (hooks) => runExperiment(store, request, hooks));
        results.push(printExperimentOutcome(this, store, done, { db: flags.db, json: this.jsonEnabled() }));
        this.setExitCode(Math.max(...results.map((r) => r.exitCode)));
      }
      return requests.length === 1 ? results[0]!.json : results.map((r) => r.json);
    } finally {
      store.close();
    }
  }
}
