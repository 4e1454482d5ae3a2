import { Args } from '@oclif/core';
import { describeDataDir, resolveDataDir } from '../../../data/data-dir.js';
import { layoutOf } from '../../../data/dataset.js';
import { fetchDataset } from '../../../data/fetch.js';
import { terminalProgress } from '../../../data/progress-bar.js';
import { datasetNames, getDataset } from '../../../data/registry.js';
import { NasbenchCommand } from '../../base.js';
import { dataDirFlag, mirrorFlag } from '../../flags/data.js';
import { dataFetchHelp } from '../../help/data.js';

export default class DataFetch extends NasbenchCommand {
  static override summary = dataFetchHelp.summary;
  static override description = dataFetchHelp.description;
  static override examples = dataFetchHelp.examples;
  static override args = {
    dataset: Args.string({ description: 'Data set to fetch', required: true, options: datasetNames() }),
  };
  static override flags = { 'data-dir': dataDirFlag, mirror: mirrorFlag };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(DataFetch);
    const dir = resolveDataDir(flags['data-dir']);
    const dataset = getDataset(args.dataset);
    const before = dataset.status(dir);
    if (before.present) {
      this.log(`${dataset.title} is already present in ${before.dir}; nothing to fetch`);
      return { name: dataset.name, dir: before.dir, foundIn: before.foundIn, fetched: [] };
    }
    const progress = terminalProgress();
    const location = await fetchDataset(dataset, dir, { onProgress: progress.onProgress, mirror: flags.mirror }).finally(progress.stop);
    this.log(`${dataset.title}: fetched ${location.fetched.join(', ')} into ${describeDataDir(dir)}`);
    this.log(`all ${layoutOf(dataset).length} files are now in ${location.dir}`);
    return location;
  }
}
