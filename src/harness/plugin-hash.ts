import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { LoadedPlugin } from './plugins.js';

/** The package folder a file belongs to: the nearest one above it with a package.json. */
function packageDir(file: string): string {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return dirname(file);
  }
}

/** Every file under `dir` but dependencies and hidden ones, in a fixed order. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => !d.name.startsWith('.') && d.name !== 'node_modules')
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((d) => (d.isDirectory() ? filesUnder(join(dir, d.name)) : d.isFile() ? [join(dir, d.name)] : []));
}

/**
 * The sha256 of a plugin's own code, recorded with each experiment so that reports keep runs of
 * different code apart: a built-in's folder, an npm package's folder (without its dependencies),
 * or a plugin file by itself.
 */
export function pluginCodeHash(loaded: LoadedPlugin): string {
  const root = loaded.source.kind === 'builtin' ? dirname(loaded.file) : loaded.source.kind === 'npm' ? packageDir(loaded.file) : null;
  const files = root === null ? [loaded.file] : filesUnder(root);
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(`${root === null ? '' : relative(root, file)}\0`);
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}
