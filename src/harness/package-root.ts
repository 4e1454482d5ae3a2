import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'nasbench') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the nasbench package root');
    dir = parent;
  }
}

/** The directory holding nasbench's package.json. */
export const PACKAGE_ROOT = findRoot();

/** True when running from TypeScript sources (tests) rather than the compiled dist/. */
export const FROM_SOURCE = import.meta.url.endsWith('.ts');

let codeVersion: string | undefined;

/** "nasbench@<version>": what queue workers and coordinators must agree on. */
export function getPackageVersion(): string {
  return `nasbench@${JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')).version}`;
}

/** "nasbench@<version>" plus the git commit when running from a checkout (recorded with every experiment). */
export function getCodeVersion(): string {
  if (codeVersion === undefined) {
    const { version } = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8'));
    let commit = '';
    if (existsSync(join(PACKAGE_ROOT, '.git'))) {
      try {
        commit = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: PACKAGE_ROOT, stdio: ['ignore', 'pipe', 'ignore'] })
          .toString()
          .trim();
        const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
          cwd: PACKAGE_ROOT,
          stdio: ['ignore', 'pipe', 'ignore'],
        }).toString();
        if (dirty.trim() !== '') commit += '-dirty';
      } catch {
        commit = '';
      }
    }
    codeVersion = `nasbench@${version}${commit ? `+${commit}` : ''}`;
  }
  return codeVersion;
}
