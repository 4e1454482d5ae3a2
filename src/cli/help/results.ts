// The help of the commands that read results: report, show, experiments.
import type { CommandHelp } from './command-help.js';

/** `nasbench report --help`. */
export const reportHelp: CommandHelp = {
  summary: 'Compare methods: leaderboards with statistics, paper-style tables and charts',
  description: `One leaderboard row per task × method × budget × hyper-parameters (runs that are directly comparable): seeds, evaluations and device-hours used (with the device kind), the final result's mean ± std with its 95 % confidence interval, best and median, and the two-sided Mann–Whitney U p-value against the task's top row. Then pairwise tests between methods on each task, tables in the shape of the NAO paper's, and charts: best-so-far curves against evaluations and device-hours (mean ± std over seeds), the distribution of final results, and NAO's predicted-vs-true scatter when its runs recorded one.

--format html writes one self-contained file (Chart.js inlined, works offline). With --out, the other formats also get PNG charts in the folder <name>-charts/ beside the output file (Markdown links them). --json prints the leaderboard rows alone, for scripts.`,
  examples: [
    { description: 'Every method on NAS-Bench-201 CIFAR-10', command: '<%= config.bin %> <%= command.id %> --task nb201-cifar10' },
    { description: 'A self-contained HTML report', command: '<%= config.bin %> <%= command.id %> --task nb201-cifar10 --format html --out report.html' },
    { description: 'Markdown with PNG charts in report-charts/, and the published NAO results for reference', command: '<%= config.bin %> <%= command.id %> --format markdown --out report.md --published' },
    { description: 'Two runs, and experiments created since a date', command: '<%= config.bin %> <%= command.id %> --run 3 --run 4 --since 2026-05-01' },
    { description: 'The leaderboard as JSON, for scripts', command: '<%= config.bin %> <%= command.id %> --task nb201-cifar10 --json' },
  ],
};

/** `nasbench show --help`. */
export const showHelp: CommandHelp = {
  summary: 'Show one run: its settings, result, best evaluations and the method’s diagnostics',
  examples: ['<%= config.bin %> <%= command.id %> 12', '<%= config.bin %> <%= command.id %> 12 --json'],
};

/** `nasbench experiments --help`. */
export const experimentsHelp: CommandHelp = {
  summary: 'List the experiments in a database: id, method, task, seeds, status and date',
  description: `Newest first. The database is --db, else $NASBENCH_DB, else results/nasbench.db in the current directory (set NASBENCH_DB in your shell profile for one database wherever you run nasbench). 'nasbench report --experiment <id>' and 'nasbench resume --experiment <id>' take an id from here.`,
  examples: [
    '<%= config.bin %> <%= command.id %>',
    { description: 'Only one task, from another database', command: '<%= config.bin %> <%= command.id %> --task nb201-cifar10 --db runs.db' },
  ],
};
