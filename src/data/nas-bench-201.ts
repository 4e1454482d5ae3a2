import { defineDataset, type Dataset } from './dataset.js';
import type { TableFiles } from './types.js';

export const NB201_DIR = 'nas-bench-201';
/** 12-epoch validation/test accuracy per cell (the search signal). */
export const MINIBENCH_FILE = 'nb201_minibench_accs.jsonl';
/** 200-epoch test accuracy per cell (the reported result). */
export const FINAL_FILE = 'nats_bench.csv';

/**
 * The 200-epoch table: `nats_bench.csv` of the public repository v-tao/nats-bench-landscape,
 * pinned to one commit so that the bytes (and the sha256 below) cannot change under a user.
 */
export const NATS_BENCH_LANDSCAPE_COMMIT = '312680307c44fd111146b2be0d0148194fbb2ca8';
export const FINAL_URL = `https://raw.githubusercontent.com/v-tao/nats-bench-landscape/${NATS_BENCH_LANDSCAPE_COMMIT}/${FINAL_FILE}`;

/** Where the 12-epoch table's values come from; no public copy of this exact file is known to be pinned. */
export const MINIBENCH_SOURCE =
  "NAS-Bench-201's 12-epoch training runs (NATS-Bench topology space, hp=12, https://github.com/D-X-Y/NATS-Bench); the release it was converted from is not recorded and no pinned public download is known";

/**
 * The NAS-Bench-201 tables the `nb201-*` tasks read. Both files are identified by their sha256;
 * only the 200-epoch table has a pinned download, the 12-epoch one is imported from a copy the user
 * has (`nasbench data import nas-bench-201 <path>`).
 */
export const nasBench201: Dataset<TableFiles> = defineDataset<TableFiles>({
  name: 'nas-bench-201',
  title: 'NAS-Bench-201 tables',
  summary: 'all 15,625 cells: 12-epoch validation accuracy (search signal), 200-epoch test accuracy (reported)',
  kind: 'table',
  dir: NB201_DIR,
  files: [
    { name: MINIBENCH_FILE, sha256: 'eed76ed30dffcd98094471897bc93f909a196bdbc1fbc8bba11d661c1e4468d5', bytes: 4_939_954, source: MINIBENCH_SOURCE },
    { name: FINAL_FILE, sha256: 'cb5d777ec3368be83c8f9b3aa4d520696051cb0eb8d94b8f85b519f9ea4afa3e', bytes: 3_024_008 },
  ],
  downloads: [{ kind: 'file', url: FINAL_URL, sha256: 'cb5d777ec3368be83c8f9b3aa4d520696051cb0eb8d94b8f85b519f9ea4afa3e', file: FINAL_FILE }],
  notes: [
    `${FINAL_FILE}: 200-epoch test accuracy, downloaded from v-tao/nats-bench-landscape at commit ${NATS_BENCH_LANDSCAPE_COMMIT}`,
    `${MINIBENCH_FILE}: 12-epoch validation accuracy, from ${MINIBENCH_SOURCE}; 'nasbench data import nas-bench-201 <path>' copies it in after checking its sha256`,
    'the tasks validate both tables row by row when they open them, and every experiment stores their sha256',
  ],
  read: (dir) => ({ name: 'nas-bench-201', dir }),
});
