// The help of the data commands: data fetch, import, list and verify.
import { FASHION_MNIST_DEBIAN_DIR } from '../../data/fashion-mnist.js';
import { layoutText } from '../../data/registry.js';
import type { CommandHelp } from './command-help.js';

/** `nasbench data fetch --help`. */
export const dataFetchHelp: CommandHelp = {
  summary: 'Download the files of a data set that are missing from the data directory',
  description: `Downloads from the data set's upstream host (see 'nasbench data list --json' for the URLs), checks every file against its published checksum, unpacks archives, and only then moves each file to its final name, so an interrupted or failed fetch never leaves a partial file behind. Files already present are not downloaded again.

Without internet, copy the files in by hand instead, into the data directory or one you point --data-dir or NASBENCH_DATA_DIR at, with this layout:

${layoutText()}`,
  examples: [
    '<%= config.bin %> <%= command.id %> ptb',
    { description: 'Into a chosen directory', command: '<%= config.bin %> <%= command.id %> cifar10 --data-dir ~/datasets' },
    { description: 'From a local mirror holding the upstream file names', command: '<%= config.bin %> <%= command.id %> wikitext2 --mirror http://mirror.example.org/nasbench' },
  ],
};

/** `nasbench data import --help`. */
export const dataImportHelp: CommandHelp = {
  summary: 'Copy a data set’s files in from a copy you already have, checking each against its checksum',
  description: `For files no pinned download provides (the NAS-Bench-201 12-epoch table, see 'nasbench data list'), or to use a copy downloaded elsewhere. <path> is one of the data set's files, or a directory holding them by name (directly or in the data set's folder). Each file is checked against its sha256 (or exact size) before it is moved into the data directory; a file that differs is refused in one line and nothing is imported.`,
  examples: [
    '<%= config.bin %> <%= command.id %> nas-bench-201 ~/Downloads/nb201_minibench_accs.jsonl',
    { description: 'Every file of a directory that holds them', command: '<%= config.bin %> <%= command.id %> nas-bench-201 ~/Downloads/nas-bench-201' },
  ],
};

/** `nasbench data list --help`. */
export const dataListHelp: CommandHelp = {
  summary: 'List the data sets, whether their files are present, and where they come from',
  description: `Each data set has its own directory inside the data directory (--data-dir, else $NASBENCH_DATA_DIR, else ~/.cache/nasbench/data):

${layoutText()}

Fashion-MNIST is also found where Debian's dataset-fashion-mnist package installs it (${FASHION_MNIST_DEBIAN_DIR}). 'nasbench data fetch <dataset>' downloads what is missing; 'nasbench data import <dataset> <path>' copies in a file no pinned download provides (the NAS-Bench-201 12-epoch table); 'nasbench data verify <dataset>' checks the files.`,
  examples: [
    '<%= config.bin %> <%= command.id %>',
    { description: 'Check another data directory', command: '<%= config.bin %> <%= command.id %> --data-dir ~/datasets' },
    { description: 'Machine-readable, with every file, checksum and URL', command: '<%= config.bin %> <%= command.id %> --json' },
  ],
};

/** `nasbench data verify --help`. */
export const dataVerifyHelp: CommandHelp = {
  summary: 'Recompute the checksums of a data set’s files and say which file differs',
  description: `Checks the copy 'nasbench data list' reports: each file's sha256 where one is published (for Fashion-MNIST, of the decompressed content, which Debian's package and the upstream .gz files share), else its exact size (CIFAR, whose publisher gives only the archive's md5). Exits with code 2 and names the first differing file when any file is missing or differs.`,
  examples: [
    '<%= config.bin %> <%= command.id %> ptb',
    { description: 'Check a copy in another data directory', command: '<%= config.bin %> <%= command.id %> cifar10 --data-dir ~/datasets' },
  ],
};
