import { Args } from '@oclif/core';
import { missingDatasetError } from '../../../data/dataset.js';
import { datasetNames, getDataset } from '../../../data/registry.js';
import { verifyDataset } from '../../../data/verify.js';
import { UserError } from '../../../errors.js';
import { resolveDataDir } from '../../../data/data-dir.js';
import { NasbenchCommand } from '../../base.js';
import { dataDirFlag } from '../../flags/data.js';
import { wideFlag } from '../../flags/output.js';
import { dataVerifyHelp } from '../../help/data.js';
import { table } from '../../format.js';

export default class DataVerify extends NasbenchCommand {
  static override summary = dataVerifyHelp.summary;
  static override description = dataVerifyHelp.description;
  static override examples = dataVerifyHelp.examples;
  static override args = {
    dataset: Args.string({ description: 'Data set to verify', required: true, options: datasetNames() }),
  };
  static override flags = { 'data-dir': dataDirFlag, wide: wideFlag };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(DataVerify);
    const dir = resolveDataDir(flags['data-dir']);
    const dataset = getDataset(args.dataset);
    const status = dataset.status(dir);
    if (status.missing.length === dataset.files.length && !status.present) throw missingDatasetError(dataset, dir, status);
    const result = await verifyDataset(dataset, dir);
    this.log(table(['File', 'Checked', 'Result'], result.files.map((f) => [f.file, f.checked, f.ok ? 'ok' : 'DIFFERS']), { width: this.outputWidth }));
    this.log(`checked the copy in ${result.dir}${result.foundIn === 'system' ? ' (installed by a system package)' : ''}`);
    const bad = result.files.filter((f) => !f.ok);
    if (bad.length > 0) {
      const more = bad.length > 1 ? ` (and ${bad.length - 1} more, listed above)` : '';
      throw new UserError(`${bad[0]!.message}${more}. Delete the file and run 'nasbench data fetch ${dataset.name}', or copy a good one in by hand.`);
    }
    return result;
  }
}
