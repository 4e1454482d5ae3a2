import { getCodeVersion } from '../../harness/package-root.js';
import { buildReport } from '../../report/build.js';
import { checkOutPath } from '../../report/output.js';
import { renderReport } from '../../report/render.js';
import { describeSelection } from '../../report/selection.js';
import { NasbenchCommand } from '../base.js';
import { loadFidelityTable } from '../fidelity-table.js';
import { wideFlag } from '../flags/output.js';
import { reportOutputFlags, selectionFlags, selectionOf } from '../flags/report.js';
import { dbFlag } from '../flags/store.js';
import { reportHelp } from '../help/results.js';

export default class Report extends NasbenchCommand {
  static override summary = reportHelp.summary;
  static override description = reportHelp.description;
  static override examples = reportHelp.examples;
  static override enableJsonFlag = true;
  static override flags = { ...selectionFlags, ...reportOutputFlags, db: dbFlag, wide: wideFlag };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(Report);
    const selection = selectionOf(flags);
    if (flags.out !== undefined) checkOutPath('--out', flags.out, flags.db);
    const store = this.openStore(flags.db, 'read');
    try {
      if (this.jsonEnabled()) return buildReport(store, selection, { curves: false, published: flags.published, fidelity: loadFidelityTable() }).leaderboard;
      const context = { store: flags.db, renderedBy: getCodeVersion() };
      const { report, text, pngs } = await renderReport(store, selection, { format: flags.format, published: flags.published, out: flags.out, charts: flags.charts, fidelity: loadFidelityTable(), context, width: this.outputWidth });
      if (text === null) this.logToStderr(`no runs in ${flags.db} for ${describeSelection(selection)}`);
      else if (flags.out === undefined) process.stdout.write(text);
      else this.logToStderr(`wrote ${flags.out}${pngs !== null && pngs.count > 0 ? ` and ${pngs.count} PNG charts in ${pngs.folder}` : ''}`);
      return report.leaderboard;
    } finally {
      store.close();
    }
  }
}
