import { Args, Flags } from '@oclif/core';
import { MAX_BUDGET, runExperiment } from '../../harness/experiment.js';
import { resumeHint } from '../../harness/plugin-trust.js';
import { parseSeeds } from '../../harness/seeds.js';
import { leaderboard } from '../../report/leaderboard.js';
import { resolveDataDir } from '../../data/data-dir.js';
import { allTasks, getTask } from '../../tasks/index.js';
import { UserError } from '../../errors.js';
import { NasbenchCommand, dbFlag, openTaskFlags, presetFlag, queueFlag, taskOptions, workersFlag } from '../base.js';
import { leaderboardTable } from '../leaderboard-table.js';
import { describeRunResult, startSession } from '../session.js';

export default class Run extends NasbenchCommand {
  static override summary = 'Run a search method on a task for one or more seeds';
  static override description = `Creates an experiment with one run per seed. Each run asks the method for architectures,
evaluates them on the task (a table lookup, or training a child network) and stores every
evaluation in the database as it completes. A run spends exactly --budget evaluations; its result
is the task's reported metric (e.g. 200-epoch test accuracy) of the architecture it ranks best.

--workers N keeps up to N evaluations in flight (several seeds at once, and a batch's proposals
concurrently) with the same results for any N; trained tasks train children in local worker
processes, by default one single-threaded worker per core.

Ctrl-C stops after the evaluations in flight; 'nasbench resume' continues from there.`;

  static override examples = [
    { description: 'Regularized evolution on NAS-Bench-201 CIFAR-10, 100 seeds, 150 evaluations each', command: '<%= config.bin %> <%= command.id %> evolution --task nb201-cifar10 --seeds 100 --budget 150' },
    { description: 'Random search on seeds 1, 5 and 9', command: '<%= config.bin %> <%= command.id %> random --task nb201-cifar100 --seeds 1,5,9' },
    { description: 'Change a hyper-parameter (see `nasbench methods`)', command: '<%= config.bin %> <%= command.id %> evolution --task nb201-cifar10 --param population=20 --param sample_size=5' },
    { description: 'A third-party method from a file', command: '<%= config.bin %> <%= command.id %> ./my-searcher.js --task nb201-cifar10' },
    { description: 'Train children on Penn Treebank (tiny preset on CPU), 10 architectures', command: '<%= config.bin %> <%= command.id %> random --task ptb --budget 10' },
    { description: 'Four seeds at once, children trained in two local worker processes', command: '<%= config.bin %> <%= command.id %> evolution --task fashion-mnist --seeds 4 --budget 20 --workers 2' },
  ];

  static override args = {
    method: Args.string({ description: "Method name (see 'nasbench methods') or path to a plugin file", required: true }),
  };

  static override enableJsonFlag = true;

  static override flags = {
    task: Flags.string({ char: 't', description: "Task to search on (see 'nasbench tasks'); required" }),
    seeds: Flags.string({
      char: 's',
      description: 'A count N (seeds 0..N-1) or a list such as 1,5,9 or 10..19; at most 100000 seeds',
      default: '1',
    }),
    budget: Flags.integer({ char: 'b', description: "Evaluations per run (default: the task's, 150 on NAS-Bench-201)", min: 1, max: MAX_BUDGET }),
    param: Flags.string({ char: 'p', description: 'Hyper-parameter of the method as key=value (repeatable)', multiple: true, default: [] }),
    preset: presetFlag,
    ...openTaskFlags,
    workers: workersFlag,
    queue: queueFlag,
    db: dbFlag,
    quiet: Flags.boolean({ char: 'q', description: 'No progress output' }),
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(Run);
    if (flags.task === undefined) {
      throw new UserError(`--task is required: one of ${allTasks().map((t) => t.name).join(', ')} (see 'nasbench tasks')`);
    }
    const seeds = parseSeeds(flags.seeds);
    const task = getTask(flags.task);
    const budget = flags.budget ?? task.defaultBudget;
    const store = this.openStore(flags.db);
    const session = startSession({
      totalEvaluations: seeds.length * budget,
      quiet: flags.quiet || this.jsonEnabled(),
      log: (line) => this.logToStderr(line),
    });
    try {
      const outcome = await runExperiment(
        store,
        {
          method: args.method,
          task: flags.task,
          seeds,
          budget,
          params: flags.param,
          dataDir: resolveDataDir(flags['data-dir']),
          options: taskOptions(flags),
          ...(flags.workers ? { workers: flags.workers } : {}),
          ...(flags.queue ? { queue: flags.queue } : {}),
        },
        session.hooks,
      );
      session.end();
      const rows = leaderboard(store, { experimentId: outcome.experimentId });
      const failed = outcome.runs.filter((r) => r.result.status === 'failed');
      const ids = store.runs({ experimentId: outcome.experimentId }).map((r) => r.id);
      if (!this.jsonEnabled()) {
        this.log(leaderboardTable(rows));
        // The architectures themselves, when there are few enough runs to read them.
        if (outcome.runs.length <= 10) {
          for (const r of outcome.runs) if (r.result.status === 'completed') this.log(describeRunResult(store.getRun(r.runId)!, r.result));
        }
        this.log(`experiment ${outcome.experimentId}: runs ${ids[0]}–${ids[ids.length - 1]} in ${flags.db}`);
        for (const f of failed) this.logToStderr(describeRunResult(store.getRun(f.runId)!, f.result));
      }
      if (session.interrupted()) {
        this.logToStderr(`interrupted; continue with: nasbench resume --experiment ${outcome.experimentId}${resumeHint(store.runs({ experimentId: outcome.experimentId }))} --db ${flags.db}`);
        this.exit(130);
      }
      if (failed.length > 0) process.exitCode = 1;
      return { experimentId: outcome.experimentId, runs: outcome.runs, leaderboard: rows };
    } finally {
      session.end();
      store.close();
    }
  }
}
