import { Args, Flags } from '@oclif/core';
import { UserError } from '../../errors.js';
import { heldElsewhere, resumeRuns } from '../../harness/experiment.js';
import { runsToResume } from '../../harness/resume-selection.js';
import { checkStoredSources } from '../../harness/plugin-trust.js';
import { resolveSource } from '../../harness/plugins.js';
import { NasbenchCommand, executeFlags, executeRequest, withPluginStacks } from '../base.js';
import { printOutcome } from '../outcome.js';
import { parseRunId } from '../run-id.js';
import { startSession } from '../session.js';
import { loadFidelityTable } from '../fidelity-table.js';

export default class Resume extends NasbenchCommand {
  static override summary = 'Continue interrupted or crashed runs from their last committed evaluation';
  static override description = `A run continues exactly where its last committed evaluation left it: nothing stored is evaluated again, and the method proposes the same architectures it would have proposed had the run never stopped. Name runs by id, a whole experiment with --experiment, or every unfinished run in the database with --all.

Built-in methods are loaded by name. A run started from a plugin file or package is resumed only when you name that file or package again with --method (as you gave it to 'run'), or pass --trust-stored-plugin: a database could otherwise make nasbench run any code it names.`;

  static override examples = [
    { description: 'Continue run 12', command: '<%= config.bin %> <%= command.id %> 12' },
    { description: 'Continue every unfinished run of experiment 3', command: '<%= config.bin %> <%= command.id %> --experiment 3' },
    { description: 'Continue everything unfinished in a database', command: '<%= config.bin %> <%= command.id %> --all --db results/study.db' },
    { description: 'Continue an experiment of a plugin file, naming the file again', command: '<%= config.bin %> <%= command.id %> --experiment 3 --method ./my-searcher.js' },
    { description: 'Take over a run that a crashed process on another host left behind', command: '<%= config.bin %> <%= command.id %> 12 --force' },
  ];

  static override strict = false;
  static override args = { run: Args.string({ description: 'Run id(s) to continue' }) };

  static override flags = {
    experiment: Flags.integer({ char: 'e', description: 'Continue every unfinished run of this experiment', min: 1 }),
    all: Flags.boolean({ description: 'Continue every unfinished run in the database' }),
    method: Flags.string({
      char: 'm',
      description: 'A plugin file or package the runs were started with, named again so that it may be loaded (repeatable; built-in methods need none)',
      multiple: true,
    }),
    force: Flags.boolean({
      description: 'Take over runs that a process on another host was running (this machine cannot tell whether it still is); a live process on this machine is never overridden',
    }),
    'trust-stored-plugin': Flags.boolean({ description: 'Load whatever plugin file or package the database names, without naming it again' }),
    ...executeFlags,
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Resume);
    const ids = argv.map((a) => parseRunId(String(a)));
    if (ids.length === 0 && flags.experiment === undefined && !flags.all) throw new UserError('nothing to resume: give run id(s), --experiment <id> or --all');
    const trust = { named: (flags.method ?? []).map((ref) => resolveSource(ref)), trustStored: flags['trust-stored-plugin'] };
    const store = this.openStore(flags.db);
    try {
      const { todo, completed } = runsToResume(store, { ids, experiment: flags.experiment, all: flags.all, db: flags.db });
      checkStoredSources(todo, trust);
      for (const r of completed) this.logToStderr(`run ${r.id} is already completed`);
      if (todo.length === 0) return this.log('nothing left to resume');
      for (const { run, owner } of flags.force ? heldElsewhere(todo) : []) {
        this.logToStderr(`warning: run ${run.id}: taking it over from ${owner} (--force); if that process is still running it, both will write this run`);
      }
      const session = startSession({ quiet: flags.quiet, log: (line) => this.logToStderr(line), fidelity: loadFidelityTable(), warn: (line) => this.logToStderr(line) });
      const outcomes = await resumeRuns(store, { runs: todo, trust, force: flags.force, ...executeRequest(flags) }, withPluginStacks(session.hooks, flags.verbose, (line) => this.logToStderr(line))).finally(session.end);
      const todoIds = todo.map((r) => r.id);
      const { exitCode } = printOutcome(this, store, { runs: todo, outcomes, selection: { runIds: todoIds }, resumeTarget: todoIds.join(' '), db: flags.db, interrupted: session.interrupted() });
      if (exitCode === 130) this.exit(130);
      process.exitCode = exitCode;
    } finally {
      store.close();
    }
  }
}
