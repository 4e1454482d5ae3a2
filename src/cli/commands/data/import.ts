import { Args } from '@oclif/core';
import { describeDataDir, resolveDataDir } from '../../../data/data-dir.js';
import { importDataset } from '../../../data/import.js';
import { datasetNames, getDataset } from '../../../data/registry.js';
import { NasbenchCommand } from '../../base.js';
import { dataDirFlag } from '../../flags/data.js';
import { dataImportHelp } from '../../help/data.js';

export default class DataImport extends NasbenchCommand {
  static override summary = dataImportHelp.summary;
  static override description = dataImportHelp.description;
  static override examples = dataImportHelp.examples;
  static override args = {
    dataset: Args.string({ description: 'Data set to import', required: true, options: datasetNames() }),
    path: Args.string({ description: 'A file of the data set, or a directory holding its files', required: true }),
  };
  static override flags = { 'data-dir': dataDirFlag };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(DataImport);
    const dir = resolveDataDir(flags['data-dir']);
    const dataset = getDataset(args.dataset);
    const result = await importDataset(dataset, args.path, dir);
    this.log(`${dataset.title}: imported ${result.imported.join(', ')} into ${describeDataDir(dir)}`);
    this.log(result.missing.length === 0 ? `all ${dataset.files.length} files are now in ${result.dir}` : `still missing: ${result.missing.join(', ')}`);
    return result;
  }
}
