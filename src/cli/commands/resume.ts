import { Args, Flags } from '@oclif/core';
import { UserError } from '../../errors.js';
import { heldElsewhere, resumeRuns } from '../../harness/experiment.js';
import { checkStoredSources, resumeHint } from '../../harness/plugin-trust.js';
import { resolveSource } from '../../harness/plugins.js';
import { leaderboard } from '../../report/leaderboard.js';
import type { RunRecord } from '../../store/types.js';
import { resolveDataDir } from '../../data/data-dir.js';
import { NasbenchCommand, dbFlag, openTaskFlags, queueFlag, taskOptions, workersFlag } from '../base.js';
import { leaderboardTable } from '../leaderboard-table.js';
import { parseRunId } from '../run-id.js';
import { describeRunResult, startSession } from '../session.js';

export default class Resume extends NasbenchCommand {
  static override summary = 'Continue interrupted or crashed runs from their last committed evaluation';
  static override description = `A run continues exactly where its last committed evaluation left it: nothing stored is
evaluated again, and the method proposes the same architectures it would have proposed had the
run never stopped. Name runs by id, a whole experiment with --experiment, or every unfinished
run in the database with --all.

Built-in methods are loaded by name. A run started from a plugin file or package is resumed only
when you name that file or package again with --method (as you gave it to 'run'), or pass
--trust-stored-plugin: a database could otherwise make nasbench run any code it names.`;

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
      default: [],
    }),
    force: Flags.boolean({
      description: 'Take over runs that a process on another host was running (this machine cannot tell whether it still is); a live process on this machine is never overridden',
    }),
    'trust-stored-plugin': Flags.boolean({ description: 'Load whatever plugin file or package the database names, without naming it again' }),
    ...openTaskFlags,
    workers: workersFlag,
    queue: queueFlag,
    db: dbFlag,
    quiet: Flags.boolean({ char: 'q', description: 'No progress output' }),
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Resume);
    const ids = argv.map((a) => parseRunId(String(a)));
    if (ids.length === 0 && flags.experiment === undefined && !flags.all) {
      throw new UserError('nothing to resume: give run id(s), --experiment <id> or --all');
    }
    const store = this.openStore(flags.db);
    try {
      const named = ids.map((id) => {
        const run = store.getRun(id);
        if (!run) throw new UserError(`run ${id} is not in ${flags.db}`);
        return run;
      });
      const pool: RunRecord[] = [
        ...named,
        ...(flags.experiment !== undefined ? store.runs({ experimentId: flags.experiment }) : []),
        ...(flags.all ? store.runs() : []),
      ];
      if (flags.experiment !== undefined && !pool.some((r) => r.experimentId === flags.experiment)) {
        throw new UserError(`experiment ${flags.experiment} is not in ${flags.db}`);
      }
      const unique = [...new Map(pool.map((r) => [r.id, r])).values()];
      const todo = unique.filter((r) => r.status !== 'completed');
      const trust = { named: flags.method.map((ref) => resolveSource(ref)), trustStored: flags['trust-stored-plugin'] };
      checkStoredSources(todo, trust);
      for (const r of unique) if (r.status === 'completed') this.logToStderr(`run ${r.id} is already completed`);
      if (todo.length === 0) {
        this.log('nothing left to resume');
        return;
      }
      if (flags.force) {
        for (const { run, owner } of heldElsewhere(todo)) {
          this.logToStderr(`warning: run ${run.id}: taking it over from ${owner} (--force); if that process is still running it, both will write this run`);
        }
      }
      const session = startSession({
        totalEvaluations: todo.reduce((n, r) => n + Math.max(0, r.budget - r.evaluations), 0),
        quiet: flags.quiet,
        log: (line) => this.logToStderr(line),
      });
      let outcomes;
      try {
        outcomes = await resumeRuns(store, todo, resolveDataDir(flags['data-dir']), session.hooks, taskOptions(flags), trust, flags.force, { ...(flags.workers ? { workers: flags.workers } : {}), ...(flags.queue ? { queue: flags.queue } : {}) });
      } finally {
        session.end();
      }
      this.log(leaderboardTable(leaderboard(store, { runIds: todo.map((r) => r.id) })));
      const failed = outcomes.filter((o) => o.result.status === 'failed');
      for (const f of failed) this.logToStderr(describeRunResult(store.getRun(f.runId)!, f.result));
      if (session.interrupted()) {
        this.logToStderr(`interrupted; continue with: nasbench resume ${todo.map((r) => r.id).join(' ')}${resumeHint(todo)} --db ${flags.db}`);
        this.exit(130);
      }
      if (failed.length > 0) process.exitCode = 1;
    } finally {
      store.close();
    }
  }
}
