import { Flags } from '@oclif/core';
import { buildReport, reportTables } from '../../report/build.js';
import { renderCsv } from '../../report/csv.js';
import { renderMarkdown } from '../../report/markdown.js';
import { chartFolder, checkOutPath, pruneCharts, writeAtomically, writeCharts } from '../../report/output.js';
import { describeSelection, parseSince, type Selection } from '../../report/selection.js';
import { reportCharts } from '../../report/charts.js';
import { NasbenchCommand, dbFlag } from '../base.js';
import { terminalTable } from '../leaderboard-table.js';
import { jsonSafe, terminalSafe } from '../terminal-text.js';

const FORMATS = ['table', 'markdown', 'csv', 'json', 'html'] as const;

/**
 * Report text without control characters (names come from the store; inlined Chart.js has none).
 * JSON keeps every value, with the controls JSON.stringify leaves raw written as escapes.
 */
function safe(format: (typeof FORMATS)[number], text: string): string {
  return format === 'json' ? jsonSafe(text) : terminalSafe(text);
}

export default class Report extends NasbenchCommand {
  static override summary = 'Compare methods: leaderboards with statistics, paper-style tables and charts';
  static override description = `One leaderboard row per task × method × budget × hyper-parameters (runs that are directly
comparable): seeds, evaluations and device-hours used (with the device kind), the final result's
mean ± std with its 95 % confidence interval, best and median, and the two-sided Mann–Whitney U
p-value against the task's top row. Then pairwise tests between methods on each task, tables in
the shape of the NAO paper's, and charts: best-so-far curves against evaluations and device-hours
(mean ± std over seeds), the distribution of final results, and NAO's predicted-vs-true scatter
when its runs recorded one.

--format html writes one self-contained file (Chart.js inlined, works offline). With --out, the
other formats also get PNG charts in the folder <name>-charts/ beside the output file (Markdown
links them). --json prints the leaderboard rows alone, for scripts.`;

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
    format: Flags.string({ char: 'f', description: 'Output format', options: [...FORMATS], default: 'table' }),
    out: Flags.string({ char: 'o', description: 'Write the report to this file instead of standard output', helpValue: '<file>' }),
    charts: Flags.boolean({ description: 'With --out, also write PNG charts (html always has its charts inline)', default: true, allowNo: true }),
    published: Flags.boolean({ description: 'Add a block of published results (marked "published, not measured")', default: false }),
    db: dbFlag,
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(Report);
    const selection: Selection = {
      task: flags.task,
      method: flags.method,
      runIds: flags.run,
      since: flags.since === undefined ? undefined : parseSince(flags.since),
    };
    const format = flags.format as (typeof FORMATS)[number];
    const pngs = flags.out !== undefined && flags.charts && format !== 'html' && !this.jsonEnabled();
    if (flags.out !== undefined) checkOutPath('--out', flags.out, flags.db);
    const store = this.openStore(flags.db, 'read');
    try {
      const report = buildReport(store, selection, {
        curves: !this.jsonEnabled() && (pngs || format === 'html' || format === 'json'),
        published: flags.published,
      });
      if (this.jsonEnabled()) return report.leaderboard;
      if (report.leaderboard.length === 0) {
        this.logToStderr(`no runs in ${flags.db} for ${describeSelection(selection)}`);
        return report.leaderboard;
      }
      const tables = reportTables(report);
      const charts = format === 'html' || pngs ? reportCharts(report) : [];
      const links = pngs ? await writeCharts(charts, chartFolder(flags.out!)) : [];
      const text = await (async () => {
        switch (format) {
          case 'table':
            return tables.map((t) => `${t.title}\n${terminalTable(t)}`).join('\n\n') + '\n';
          case 'markdown':
            return renderMarkdown(report, tables, links);
          case 'csv':
            return renderCsv(report.leaderboard);
          case 'json':
            return JSON.stringify(report, null, 2) + '\n';
          case 'html':
            return (await import('../../report/html.js')).renderHtml(report, tables, charts);
        }
      })();
      if (flags.out === undefined) process.stdout.write(safe(format, text));
      else {
        // The charts first, then the report that links them; an earlier report's other charts go last.
        writeAtomically('--out', flags.out, safe(format, text));
        if (pngs) pruneCharts(chartFolder(flags.out), links);
        this.logToStderr(`wrote ${flags.out}${links.length > 0 ? ` and ${links.length} PNG charts in ${chartFolder(flags.out)}` : ''}`);
      }
      return report.leaderboard;
    } finally {
      store.close();
    }
  }
}
