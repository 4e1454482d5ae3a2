import { describeDataDir, resolveDataDir } from '../../data/data-dir.js';
import { FIDELITY_REPORT } from '../../report/preset-fidelity.js';
import { NasbenchCommand } from '../base.js';
import { loadFidelityTable } from '../fidelity-table.js';
import { dataDirFlag } from '../flags/data.js';
import { wideFlag } from '../flags/output.js';
import { tasksHelp } from '../help/catalog.js';
import { taskListing, taskTable } from '../task-listing.js';

export default class Tasks extends NasbenchCommand {
  static override summary = tasksHelp.summary;
  static override examples = tasksHelp.examples;
  static override enableJsonFlag = true;
  static override flags = { 'data-dir': dataDirFlag, wide: wideFlag };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(Tasks);
    const dir = resolveDataDir(flags['data-dir']);
    const listing = taskListing(dir, loadFidelityTable());
    this.log(taskTable(listing, this.outputWidth));
    this.log(`Search signal vs final: rank agreement of a preset's search signal with its final test results, as measured in ${FIDELITY_REPORT}.`);
    this.log(`data directory: ${describeDataDir(dir)}`);
    return { dataDir: dir.path, tasks: listing };
  }
}
