import { layoutOf } from '../../../data/dataset.js';
import { FASHION_MNIST_DEBIAN_DIR } from '../../../data/fashion-mnist.js';
import { DATASETS, layoutText } from '../../../data/registry.js';
import { describeDataDir, resolveDataDir } from '../../../data/data-dir.js';
import { NasbenchCommand, dataDirFlag, wideFlag } from '../../base.js';
import { table } from '../../format.js';

export default class DataList extends NasbenchCommand {
  static override summary = 'List the data sets, whether their files are present, and where they come from';
  static override description = `Each data set has its own directory inside the data directory (--data-dir, else $NASBENCH_DATA_DIR, else ~/.cache/nasbench/data):

${layoutText()}

Fashion-MNIST is also found where Debian's dataset-fashion-mnist package installs it (${FASHION_MNIST_DEBIAN_DIR}). 'nasbench data fetch <dataset>' downloads what is missing; 'nasbench data import <dataset> <path>' copies in a file no pinned download provides (the NAS-Bench-201 12-epoch table); 'nasbench data verify <dataset>' checks the files.`;
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    { description: 'Check another data directory', command: '<%= config.bin %> <%= command.id %> --data-dir ~/datasets' },
    { description: 'Machine-readable, with every file, checksum and URL', command: '<%= config.bin %> <%= command.id %> --json' },
  ];
  static override enableJsonFlag = true;
  static override flags = { 'data-dir': dataDirFlag, wide: wideFlag };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(DataList);
    const dir = resolveDataDir(flags['data-dir']);
    const datasets = DATASETS.map((d) => {
      const status = d.status(dir);
      return {
        name: d.name,
        title: d.title,
        kind: d.kind,
        summary: d.summary,
        present: status.present,
        foundIn: status.foundIn,
        dir: status.dir,
        missing: status.missing,
        files: d.files.map((f, i) => ({ path: layoutOf(d)[i], sha256: f.sha256, gunzippedSha256: f.gunzippedSha256, bytes: f.bytes, source: f.source })),
        downloads: d.downloads.map((s) => ({ url: s.url, kind: s.kind, md5: s.md5, sha256: s.sha256 })),
        notes: d.notes ?? [],
      };
    });
    this.log(
      table(
        ['Data set', 'Status', 'Downloads from', 'Contents'],
        datasets.map((d) => [
          d.name,
          d.present ? (d.foundIn === 'system' ? `present in ${d.dir}` : 'present') : `missing ${d.missing.length} of ${d.files.length} files`,
          [...new Set(d.downloads.map((s) => new URL(s.url).host)), ...(d.files.some((f) => f.source) ? ['import (see below)'] : [])].join(', '),
          d.summary,
        ]),
        { width: this.outputWidth, dropFirst: ['Downloads from'] },
      ),
    );
    for (const d of datasets) for (const note of d.notes) this.log(`${d.name}: ${note}`);
    this.log(`data directory: ${describeDataDir(dir)}`);
    return { dataDir: dir.path, datasets };
  }
}
