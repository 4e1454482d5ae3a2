import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export interface DataDir {
  readonly path: string;
  /** Where the path came from, for error messages. */
  readonly source: '--data-dir' | 'NASBENCH_DATA_DIR' | 'default cache';
}

/** `--data-dir`, else NASBENCH_DATA_DIR, else the per-user cache ($XDG_CACHE_HOME or ~/.cache)/nasbench/data. */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): DataDir {
  if (flag) return { path: resolve(flag), source: '--data-dir' };
  if (env.NASBENCH_DATA_DIR) return { path: resolve(env.NASBENCH_DATA_DIR), source: 'NASBENCH_DATA_DIR' };
  const cache = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return { path: join(cache, 'nasbench', 'data'), source: 'default cache' };
}

export function describeDataDir(dir: DataDir): string {
  return `${dir.path} (from ${dir.source})`;
}
