import { describeDataDir, resolveDataDir } from '../../../data/data-dir.js';
import { NasbenchCommand } from '../../base.js';
import { datasetListing, datasetTable } from '../../data-listing.js';
import { dataDirFlag } from '../../flags/data.js';
import { wideFlag } from '../../flags/output.js';
import { dataListHelp } from '../../help/data.js';

export default class DataList extends NasbenchCommand {
  static override summary = dataListHelp.summary;
  static override description = dataListHelp.description;
  static override examples = dataListHelp.examples;
  static override enableJsonFlag = true;
  static override flags = { 'data-dir': dataDirFlag, wide: wideFlag };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(DataList);
    const dir = resolveDataDir(flags['data-dir']);
    const datasets = datasetListing(dir);
    this.log(datasetTable(datasets, this.outputWidth));
    for (const d of datasets) for (const note of d.notes) this.log(`${d.name}: ${note}`);
    this.log(`data directory: ${describeDataDir(dir)}`);
    return { dataDir: dir.path, datasets };
  }
}
