import { Flags } from '@oclif/core';
import { buildReport } from '../../report/build.js';
import { checkOutPath } from '../../report/output.js';
import { getCodeVersion } from '../../harness/package-root.js';
import { REPORT_FORMATS, renderReport, type ReportFormat } from '../../report/render.js';
import { loadFidelityTable } from '../fidelity-table.js';
import { describeSelection, parseSince, type Selection } from '../../report/selection.js';
import { NasbenchCommand, dbFlag, wideFlag } from '../base.js';

export default class Report extends NasbenchCommand {
  static override summary = 'Compare methods: leaderboards with statistics, paper-style tables and charts';
  static override description = `One leaderboard row per task × method × budget × hyper-parameters (runs that are directly comparable): seeds, evaluations and device-hours used (with the device kind), the final result's mean ± std with its 95 % confidence interval, best and median, and the two-sided Mann–Whitney U p-value against the task's top row. Then pairwise tests between methods on each task, tables in the shape of the NAO paper's, and charts: best-so-far curves against evaluations and device-hours (mean ± std over seeds), the distribution of final results, and NAO's predicted-vs-true scatter when its runs recorded one.

--format html writes one self-contained file (Chart.js inlined, works offline). With --out, the other formats also get PNG charts in the folder <name>-charts/ beside the output file (Markdown links them). --json prints the leaderboard rows alone, for scripts.`;

  static override examples = [
    { description: 'Every method on NAS-Bench-201 CIFAR-10', command: '<%= config.bin %> <%= command.id %> --task nb201-cifar10' },
    { description: 'A self-contained HTML report', command: '<%= config.bin %> <%= command.id %> --task nb201-cifar10 --format html --out report.html' },
    { description: 'Markdown with PNG charts in report-charts/, and the published NAO results for reference', command: '<%= config.bin %> <%= command.id %> --format markdown --out report.md --published' },
    { description: 'Two runs, and experiments created since a date', command: '<%= config.bin %> <%= command.id %> --run 3 --run 4 --since 2026-05-01' },
    { description: 'The leaderboard as JSON, for scripts', command: '<%= config.bin %> <%= command.id %> --task nb201-cifar10 --json' },
  ];

  static override enableJsonFlag = true;

  static override flags = {
    task: Flags.string({ char: 't', description: 'Only this task' }),
    method: Flags.string({ char: 'm', description: 'Only this method' }),
    run: Flags.integer({ char: 'r', description: 'Only this run id (repeatable)', multiple: true, min: 1 }),
    since: Flags.string({ description: 'Only experiments created at or after this ISO date or date-time', helpValue: '<date>' }),
    format: Flags.string({ char: 'f', description: 'Output format', options: [...REPORT_FORMATS], default: 'table' }),
    out: Flags.string({ char: 'o', description: 'Write the report to this file instead of standard output', helpValue: '<file>' }),
    charts: Flags.boolean({ description: 'With --out, also write PNG charts (html always has its charts inline)', default: true, allowNo: true }),
    published: Flags.boolean({ description: 'Add a block of published results (marked "published, not measured")', default: false }),
    db: dbFlag,
    wide: wideFlag,
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(Report);
    const selection: Selection = { task: flags.task, method: flags.method, runIds: flags.run, since: flags.since === undefined ? undefined : parseSince(flags.since) };
    if (flags.out !== undefined) checkOutPath('--out', flags.out, flags.db);
    const store = this.openStore(flags.db, 'read');
    try {
      if (this.jsonEnabled()) return buildReport(store, selection, { curves: false, published: flags.published, fidelity: loadFidelityTable() }).leaderboard;
      const context = { store: flags.db, renderedBy: getCodeVersion() };
      const { report, text, pngs } = await renderReport(store, selection, { format: flags.format as ReportFormat, published: flags.published, out: flags.out, charts: flags.charts, fidelity: loadFidelityTable(), context, width: this.outputWidth });
      if (text === null) this.logToStderr(`no runs in ${flags.db} for ${describeSelection(selection)}`);
      else if (flags.out === undefined) process.stdout.write(text);
      else this.logToStderr(`wrote ${flags.out}${pngs !== null && pngs.count > 0 ? ` and ${pngs.count} PNG charts in ${pngs.folder}` : ''}`);
      return report.leaderboard;
    } finally {
      store.close();
    }
  }
}
