import { Args } from '@oclif/core';
import { describeDataDir, resolveDataDir } from '../../../data/data-dir.js';
import { importDataset } from '../../../data/import.js';
import { datasetNames, getDataset } from '../../../data/registry.js';
import { NasbenchCommand, dataDirFlag } from '../../base.js';

export default class DataImport extends NasbenchCommand {
  static override summary = 'Copy a data set’s files in from a copy you already have, checking each against its checksum';
  static override description = `For files no pinned download provides (the NAS-Bench-201 12-epoch table, see 'nasbench data list'), or to use a copy downloaded elsewhere. <path> is one of the data set's files, or a directory holding them by name (directly or in the data set's folder). Each file is checked against its sha256 (or exact size) before it is moved into the data directory; a file that differs is refused in one line and nothing is imported.`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> nas-bench-201 ~/Downloads/nb201_minibench_accs.jsonl',
    { description: 'Every file of a directory that holds them', command: '<%= config.bin %> <%= command.id %> nas-bench-201 ~/Downloads/nas-bench-201' },
  ];
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
