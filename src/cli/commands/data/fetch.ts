import { Args, Flags } from '@oclif/core';
import { UserError } from '../../../errors.js';
import { layoutOf } from '../../../data/dataset.js';
import { fetchDataset } from '../../../data/fetch.js';
import { terminalProgress } from '../../../data/progress-bar.js';
import { datasetNames, getDataset, layoutText } from '../../../data/registry.js';
import { describeDataDir, resolveDataDir } from '../../../data/data-dir.js';
import { NasbenchCommand, dataDirFlag } from '../../base.js';

/** `--mirror` must be a web address the downloader can request files under. */
function mirrorUrl(text: string): string {
  let url: URL | null = null;
  try {
    url = new URL(text);
  } catch {
    url = null;
  }
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new UserError(`--mirror '${text}': expected an http:// or https:// URL such as http://mirror.example.org/nasbench`);
  }
  return text;
}

export default class DataFetch extends NasbenchCommand {
  static override summary = 'Download the files of a data set that are missing from the data directory';
  static override description = `Downloads from the data set's upstream host (see 'nasbench data list --json' for the URLs), checks every file against its published checksum, unpacks archives, and only then moves each file to its final name, so an interrupted or failed fetch never leaves a partial file behind. Files already present are not downloaded again.

Without internet, copy the files in by hand instead, into the data directory or one you point --data-dir or NASBENCH_DATA_DIR at, with this layout:

${layoutText()}`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> ptb',
    { description: 'Into a chosen directory', command: '<%= config.bin %> <%= command.id %> cifar10 --data-dir ~/datasets' },
    { description: 'From a local mirror holding the upstream file names', command: '<%= config.bin %> <%= command.id %> wikitext2 --mirror http://mirror.example.org/nasbench' },
  ];
  static override args = {
    dataset: Args.string({ description: 'Data set to fetch', required: true, options: datasetNames() }),
  };
  static override flags = {
    'data-dir': dataDirFlag,
    mirror: Flags.string({
      description: 'Base URL to download from instead of the upstream hosts; each file is requested by its upstream name (e.g. <url>/cifar-10-binary.tar.gz)',
      helpValue: '<url>',
    }),
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(DataFetch);
    const mirror = flags.mirror === undefined ? undefined : mirrorUrl(flags.mirror);
    const dir = resolveDataDir(flags['data-dir']);
    const dataset = getDataset(args.dataset);
    const before = dataset.status(dir);
    if (before.present) {
      this.log(`${dataset.title} is already present in ${before.dir}; nothing to fetch`);
      return { name: dataset.name, dir: before.dir, foundIn: before.foundIn, fetched: [] };
    }
    const progress = terminalProgress();
    let location;
    try {
      location = await fetchDataset(dataset, dir, { onProgress: progress.onProgress, mirror });
    } finally {
      progress.stop();
    }
    this.log(`${dataset.title}: fetched ${location.fetched.join(', ')} into ${describeDataDir(dir)}`);
    this.log(`all ${layoutOf(dataset).length} files are now in ${location.dir}`);
    return location;
  }
}
