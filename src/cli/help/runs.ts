// The help of the commands that run, continue or train: run, resume, train, worker.
import type { CommandHelp } from './command-help.js';

/** `nasbench run --help`. */
export const runHelp: CommandHelp = {
  summary: 'Run a search method on a task for one or more seeds',
  description: `Creates an experiment with one run per seed. Each run asks the method for architectures, evaluates them on the task (a table lookup, or training a child network) and stores every evaluation in the database as it completes. A run spends exactly --budget evaluations; its result is the task's reported metric (e.g. 200-epoch test accuracy) of the architecture it ranks best.

--workers N keeps up to N evaluations in flight (several seeds at once, and a batch's proposals concurrently) with the same results for any N; trained tasks train children in local worker processes, by default one single-threaded worker per core.

Ctrl-C stops after the evaluations in flight; 'nasbench resume' continues from there.`,
  examples: [
    { description: 'Regularized evolution on NAS-Bench-201 CIFAR-10, 100 seeds, 150 evaluations each', command: '<%= config.bin %> <%= command.id %> evolution --task nb201-cifar10 --seeds 100 --budget 150' },
    { description: 'Random search on seeds 1, 5 and 9', command: '<%= config.bin %> <%= command.id %> random --task nb201-cifar100 --seeds 1,5,9' },
    { description: 'One run with seed 7 (--seeds 7 would be seven runs, seeds 0–6)', command: '<%= config.bin %> <%= command.id %> random --task nb201-cifar100 --seed 7' },
    { description: 'Change a hyper-parameter (see `nasbench methods`)', command: '<%= config.bin %> <%= command.id %> evolution --task nb201-cifar10 --param population=20 --param sample_size=5' },
    { description: 'A third-party method from a file', command: '<%= config.bin %> <%= command.id %> ./my-searcher.js --task nb201-cifar10' },
    { description: 'Train children on Penn Treebank (tiny preset on CPU), 10 architectures', command: '<%= config.bin %> <%= command.id %> random --task ptb --budget 10' },
    { description: 'An experiment file: methods with their params, tasks, seeds and budget (flags override it)', command: '<%= config.bin %> <%= command.id %> --config experiment.yaml --budget 50' },
    { description: 'Four seeds at once, children trained in two local worker processes', command: '<%= config.bin %> <%= command.id %> evolution --task fashion-mnist --seeds 4 --budget 20 --workers 2' },
  ],
};

/** `nasbench resume --help`. */
export const resumeHelp: CommandHelp = {
  summary: 'Continue interrupted or crashed runs from their last committed evaluation',
  description: `A run continues exactly where its last committed evaluation left it: nothing stored is evaluated again, and the method proposes the same architectures it would have proposed had the run never stopped. Name runs by id, a whole experiment with --experiment, or every unfinished run in the database with --all.

Built-in methods are loaded by name. A run started from a plugin file or package is resumed only when you name that file or package again with --method (as you gave it to 'run'), or pass --trust-stored-plugin: a database could otherwise make nasbench run any code it names.`,
  examples: [
    { description: 'Continue run 12', command: '<%= config.bin %> <%= command.id %> 12' },
    { description: 'Continue every unfinished run of experiment 3', command: '<%= config.bin %> <%= command.id %> --experiment 3' },
    { description: 'Continue everything unfinished in a database', command: '<%= config.bin %> <%= command.id %> --all --db results/study.db' },
    { description: 'Continue an experiment of a plugin file, naming the file again', command: '<%= config.bin %> <%= command.id %> --experiment 3 --method ./my-searcher.js' },
    { description: 'Take over a run that a crashed process on another host left behind', command: '<%= config.bin %> <%= command.id %> 12 --force' },
  ],
};

/** `nasbench train --help`. */
export const trainHelp: CommandHelp = {
  summary: 'Train one fixed architecture from scratch with a task’s final setting and report its test metrics',
  description: `Checks a training setup, or measures an architecture found by a search: the architecture is trained exactly as a run's final evaluation is (the preset's final setting) and its metrics are printed, and written as JSON with --out. Without --arch the task's hand-picked reference cell is used. Nothing is written to the database.`,
  examples: [
    { description: 'The reference cell on Fashion-MNIST (tiny preset on CPU), result kept in results/', command: '<%= config.bin %> <%= command.id %> --task fashion-mnist --out results/reference-fashion-mnist.json' },
    { description: 'The reference cell on Penn Treebank', command: '<%= config.bin %> <%= command.id %> --task ptb --out results/reference-ptb.json' },
    { description: 'A cell of your own', command: `<%= config.bin %> <%= command.id %> --task ptb --arch '0 tanh|1 relu|1 tanh|2 relu|3 identity|4 tanh|5 relu|4 sigmoid|7 tanh|8 relu|6 identity|10 tanh'` },
  ],
};

/** `nasbench worker --help`. */
export const workerHelp: CommandHelp = {
  summary: 'Take evaluation jobs from a Redis queue (BullMQ) and carry them out',
  description: `Any number of workers, on any machines, serve the coordinators started with 'nasbench run … --queue <url>'. A worker needs the same nasbench version and the same data files (checked by sha256) as the coordinator; it refuses a job otherwise, saying why. It never writes a database: the coordinator stores every result. Ctrl-C stops after the evaluation in flight. See docs/DISTRIBUTED.md.`,
  examples: [
    { description: 'A worker on this machine', command: '<%= config.bin %> <%= command.id %> --queue redis://127.0.0.1:6379' },
    { description: 'A GPU host', command: '<%= config.bin %> <%= command.id %> --queue redis://coordinator:6379 --backend tensorflow --data-dir /data/nasbench' },
  ],
};
