import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/**
 * A real small file system for full-disk tests: a tmpfs of `size` (e.g. '64k'), unmounted after
 * the suite. Mounting needs root (CAP_SYS_ADMIN); `mounted` is false where it is not allowed, and
 * the tests that need it skip saying so.
 */
export function smallDisk(name: string, size: string): { readonly path: string; readonly mounted: boolean } {
  const path = join(tmpdir(), `nasbench-${name}-${process.pid}`);
  mkdirSync(path, { recursive: true });
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', path]).status === 0;
  afterAll(() => {
    if (mounted) spawnSync('umount', [path]);
    rmSync(path, { recursive: true, force: true });
  });
  return { path, mounted };
}

/** Takes every byte left on the file system of `dir` with files named `filler-*`. */
export function fillUp(dir: string): void {
  let n = 0;
  for (const chunk of [64 * 1024, 512]) {
    try {
      for (;;) writeFileSync(join(dir, `filler-${n++}`), Buffer.alloc(chunk));
    } catch {
      // this chunk size no longer fits
    }
  }
}
