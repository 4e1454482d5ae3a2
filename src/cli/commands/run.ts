import { Args, Flags } from '@oclif/core';
import { MAX_BUDGET, runExperiment } from '../../harness/experiment.js';
import { parseSeeds } from '../../harness/seeds.js';
import { allTasks, getTask } from '../../tasks/index.js';
import { UserError } from '../../errors.js';
import { NasbenchCommand, executeFlags, executeRequest, presetFlag, withPluginStacks } from '../base.js';
import { printOutcome } from '../outcome.js';
import { startSession } from '../session.js';
import { loadFidelityTable } from '../fidelity-table.js';

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
    ...executeFlags,
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(Run);
    if (flags.task === undefined) throw new UserError(`--task is required: one of ${allTasks().map((t) => t.name).join(', ')} (see 'nasbench tasks')`);
    getTask(flags.task); // an unknown task is refused before a store is created
    const request = { method: args.method, task: flags.task, seeds: parseSeeds(flags.seeds), budget: flags.budget, params: flags.param, ...executeRequest(flags) };
    const store = this.openStore(flags.db);
    const session = startSession({ quiet: flags.quiet || this.jsonEnabled(), log: (line) => this.logToStderr(line), fidelity: loadFidelityTable(), warn: (line) => this.logToStderr(line) });
    try {
      const outcome = await runExperiment(store, request, withPluginStacks(session.hooks, flags.verbose, (line) => this.logToStderr(line))).finally(session.end);
      const runs = store.runs({ experimentId: outcome.experimentId });
      const { rows, exitCode } = printOutcome(this, store, {
        runs,
        outcomes: outcome.runs,
        selection: { experimentId: outcome.experimentId },
        resumeTarget: `--experiment ${outcome.experimentId}`,
        db: flags.db,
        interrupted: session.interrupted(),
        json: this.jsonEnabled(),
        architectures: true,
        footer: `experiment ${outcome.experimentId}: runs ${runs[0]?.id}–${runs[runs.length - 1]?.id} in ${flags.db}`,
      });
      if (exitCode === 130) this.exit(130);
      process.exitCode = exitCode;
      return { experimentId: outcome.experimentId, runs: outcome.runs, leaderboard: rows };
    } finally {
      store.close();
    }
  }
}
