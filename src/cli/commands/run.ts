import { Args, Flags } from '@oclif/core';
import { MAX_BUDGET, runExperiment, type ExperimentRequest } from '../../harness/experiment.js';
import type { Store } from '../../store/store.js';
import { runRequests } from '../run-plan.js';
import { NasbenchCommand, executeFlags, executeRequest, presetFlag, withPluginStacks } from '../base.js';
import { printOutcome } from '../outcome.js';
import { startSession } from '../session.js';
import { loadFidelityTable } from '../fidelity-table.js';
import { seedFlags } from '../seed-flags.js';

export default class Run extends NasbenchCommand {
  static override summary = 'Run a search method on a task for one or more seeds';
  static override description = `Creates an experiment with one run per seed. Each run asks the method for architectures, evaluates them on the task (a table lookup, or training a child network) and stores every evaluation in the database as it completes. A run spends exactly --budget evaluations; its result is the task's reported metric (e.g. 200-epoch test accuracy) of the architecture it ranks best.

--workers N keeps up to N evaluations in flight (several seeds at once, and a batch's proposals concurrently) with the same results for any N; trained tasks train children in local worker processes, by default one single-threaded worker per core.

Ctrl-C stops after the evaluations in flight; 'nasbench resume' continues from there.`;

  static override examples = [
    { description: 'Regularized evolution on NAS-Bench-201 CIFAR-10, 100 seeds, 150 evaluations each', command: '<%= config.bin %> <%= command.id %> evolution --task nb201-cifar10 --seeds 100 --budget 150' },
    { description: 'Random search on seeds 1, 5 and 9', command: '<%= config.bin %> <%= command.id %> random --task nb201-cifar100 --seeds 1,5,9' },
    { description: 'One run with seed 7 (--seeds 7 would be seven runs, seeds 0–6)', command: '<%= config.bin %> <%= command.id %> random --task nb201-cifar100 --seed 7' },
    { description: 'Change a hyper-parameter (see `nasbench methods`)', command: '<%= config.bin %> <%= command.id %> evolution --task nb201-cifar10 --param population=20 --param sample_size=5' },
    { description: 'A third-party method from a file', command: '<%= config.bin %> <%= command.id %> ./my-searcher.js --task nb201-cifar10' },
    { description: 'Train children on Penn Treebank (tiny preset on CPU), 10 architectures', command: '<%= config.bin %> <%= command.id %> random --task ptb --budget 10' },
    { description: 'An experiment file: methods with their params, tasks, seeds and budget (flags override it)', command: '<%= config.bin %> <%= command.id %> --config experiment.yaml --budget 50' },
    { description: 'Four seeds at once, children trained in two local worker processes', command: '<%= config.bin %> <%= command.id %> evolution --task fashion-mnist --seeds 4 --budget 20 --workers 2' },
  ];

  static override args = {
    method: Args.string({ description: "Method name (see 'nasbench methods') or path to a plugin file; or the methods of --config", required: false }),
  };

  static override enableJsonFlag = true;

  static override flags = {
    config: Flags.string({
      char: 'c',
      description: 'An experiment file, YAML or JSON (methods with params, tasks, seeds, budget, workers, preset; see docs/EXPERIMENTS.md): every method runs on every task; flags given here override the file',
      helpValue: '<file>',
    }),
    task: Flags.string({ char: 't', description: "Task to search on (see 'nasbench tasks'); required unless --config names tasks" }),
    ...seedFlags,
    budget: Flags.integer({ char: 'b', description: "Evaluations per run (default: the task's, 150 on NAS-Bench-201)", min: 1, max: MAX_BUDGET }),
    param: Flags.string({ char: 'p', description: 'Hyper-parameter of the method as key=value (repeatable)', multiple: true }),
    preset: presetFlag,
    ...executeFlags,
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(Run);
    const requests = runRequests({ method: args.method, flags });
    const store = this.openStore(flags.db);
    try {
      const results = [];
      for (const request of requests) {
        const result = await this.runOne(store, request, flags);
        results.push(result);
        if (result.exitCode === 130) this.exit(130);
      }
      process.exitCode = Math.max(0, ...results.map((r) => r.exitCode));
      return requests.length === 1 ? results[0]!.json : results.map((r) => r.json);
    } finally {
      store.close();
    }
  }

  /** One experiment: run, then print its outcome. */
  private async runOne(store: Store, request: ExperimentRequest, flags: { quiet: boolean; verbose: boolean; db: string }) {
    const session = startSession({ quiet: flags.quiet || this.jsonEnabled(), log: (line) => this.logToStderr(line), fidelity: loadFidelityTable(), warn: (line) => this.logToStderr(line) });
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
    return { exitCode, json: { experimentId: outcome.experimentId, runs: outcome.runs, leaderboard: rows } };
  }
}
