import { Args } from '@oclif/core';
import { resumeRuns } from '../../harness/experiment.js';
import { NasbenchCommand } from '../base.js';
import { executeFlags, executeRequest } from '../flags/execute.js';
import { resumeFlags } from '../flags/resume.js';
import { resumeHelp } from '../help/runs.js';
import { printResumedOutcome } from '../outcome.js';
import { resumeTargets, runsToContinue } from '../resume-plan.js';
import { withSession } from '../with-session.js';

export default class Resume extends NasbenchCommand {
  static override summary = resumeHelp.summary;
  static override description = resumeHelp.description;
  static override examples = resumeHelp.examples;
  static override strict = false;
  static override args = { run: Args.string({ description: 'Run id(s) to continue' }) };
  static override flags = { ...resumeFlags, ...executeFlags };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Resume);
    const targets = resumeTargets(argv, flags);
    const store = this.openStore(flags.db);
    try {
      const stderr = (line: string) => this.logToStderr(line);
      const runs = runsToContinue(store, targets, stderr);
      if (runs.length === 0) return this.log('nothing left to resume');
      const done = await withSession(stderr, flags, (hooks) => resumeRuns(store, { runs, trust: targets.trust, force: targets.force, ...executeRequest(flags) }, hooks));
      this.setExitCode(printResumedOutcome(this, store, runs, done, flags.db));
    } finally {
      store.close();
    }
  }
}
