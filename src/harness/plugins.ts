import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { SearcherPlugin } from '../api/index.js';
import { UserError, didYouMean, errorMessage } from '../errors.js';
import { FROM_SOURCE, PACKAGE_ROOT } from './package-root.js';
import { withTimeout } from './timeout.js';
import { validatePlugin } from './plugin-contract.js';
import { importPluginFile, loadFailure } from './plugin-import.js';
import { formatSource, type PluginSource } from '../store/method-source.js';

export interface LoadedPlugin {
  readonly plugin: SearcherPlugin;
  readonly source: PluginSource;
  /** The module file it was loaded from. */
  readonly file: string;
}

export const NPM_PREFIX = 'nasbench-method-';

/** A `run` argument names a file (rather than a plugin name) when it looks like a path. */
export function looksLikePath(ref: string): boolean {
  return ref.startsWith('.') || isAbsolute(ref) || ref.includes('/') || /\.(m?js|ts)$/.test(ref);
}

function builtinDir(): string {
  return FROM_SOURCE ? join(PACKAGE_ROOT, 'methods') : join(PACKAGE_ROOT, 'dist', 'methods');
}

function builtinEntry(name: string): string {
  return join(builtinDir(), name, FROM_SOURCE ? 'index.ts' : 'index.js');
}

/** node_modules folders a package installed next to nasbench can live in (never the user's cwd). */
function nodeModulesDirs(): string[] {
  const dirs: string[] = [];
  let dir = PACKAGE_ROOT;
  for (;;) {
    const candidate = join(dir, 'node_modules');
    if (existsSync(candidate) && !dirs.includes(candidate)) dirs.push(candidate);
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  // nasbench installed as a dependency lives in <project>/node_modules/nasbench: its siblings are there.
  const parent = dirname(PACKAGE_ROOT);
  if (parent.endsWith('node_modules') && !dirs.includes(parent)) dirs.unshift(parent);
  return dirs;
}

function npmPluginPackages(): { name: string; dir: string }[] {
  const found = new Map<string, string>();
  for (const modules of nodeModulesDirs()) {
    for (const entry of readdirSync(modules)) {
      if (entry.startsWith(NPM_PREFIX) && !found.has(entry)) found.set(entry, modules);
      if (entry.startsWith('@')) {
        for (const scoped of readdirSync(join(modules, entry))) {
          if (scoped.startsWith(NPM_PREFIX) && !found.has(`${entry}/${scoped}`)) found.set(`${entry}/${scoped}`, modules);
        }
      }
    }
  }
  return [...found].map(([name, dir]) => ({ name, dir }));
}

export const LOAD_TIMEOUT_ENV = 'NASBENCH_PLUGIN_LOAD_TIMEOUT';
const DEFAULT_LOAD_TIMEOUT_S = 30;

/** How long a plugin module may take to load (its top-level code and awaits), in seconds. */
function loadTimeoutSeconds(): number {
  const text = process.env[LOAD_TIMEOUT_ENV];
  if (text === undefined || text === '') return DEFAULT_LOAD_TIMEOUT_S;
  const seconds = /^\d*\.?\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!(seconds > 0)) throw new UserError(`${LOAD_TIMEOUT_ENV}=${text}: expected a number of seconds > 0`);
  return seconds;
}

async function loadFrom(file: string, source: PluginSource): Promise<LoadedPlugin> {
  const seconds = loadTimeoutSeconds();
  const late = `${file} did not finish loading within ${seconds} s (a top-level await that never settles?); ${LOAD_TIMEOUT_ENV} sets the limit in seconds`;
  let mod: unknown;
  try {
    // A top-level await that never settles would otherwise end the process silently (exit code 13)
    // once nothing else is pending; the timer keeps it alive and says which file hung.
    mod = await withTimeout(importPluginFile(file), seconds * 1000, late);
  } catch (err) {
    if (errorMessage(err) === late) throw new UserError(late);
    throw new UserError(`${formatSource(source)}: cannot load ${file} (${loadFailure(file, err)})`);
  }
  return { plugin: validatePlugin(mod, file), source, file };
}

export async function loadFromSource(source: PluginSource): Promise<LoadedPlugin> {
  switch (source.kind) {
    case 'builtin':
      // The name may come from a database: only an installed built-in, never a path out of the folder.
      if (!builtinNames().includes(source.name)) {
        throw new UserError(`'${source.name}' is not an installed built-in method: expected one of ${builtinNames().join(', ')}`);
      }
      return loadFrom(builtinEntry(source.name), source);
    case 'path':
      if (!existsSync(source.path)) throw new UserError(`method file not found: ${source.path}`);
      return loadFrom(source.path, source);
    case 'npm': {
      const pkg = npmPluginPackages().find((p) => p.name === source.package);
      if (!pkg) throw new UserError(`npm package ${source.package} is not installed next to nasbench`);
      let entry: string;
      try {
        entry = createRequire(join(pkg.dir, 'noop.js')).resolve(source.package);
      } catch (err) {
        throw new UserError(`npm package ${source.package}: cannot resolve its entry point (${errorMessage(err)})`);
      }
      return loadFrom(entry, source);
    }
  }
}

export function builtinNames(): string[] {
  const dir = builtinDir();
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(builtinEntry(d.name)))
    .map((d) => d.name)
    .sort();
}

/**
 * Every plugin nasbench can find without being given a path: built-ins, then `nasbench-method-*`
 * packages. A package that fails to load is reported, not fatal, so one broken install does not
 * hide the others.
 */
export async function discoverPlugins(): Promise<{ plugins: LoadedPlugin[]; broken: { source: string; error: string }[] }> {
  const sources: PluginSource[] = [
    ...builtinNames().map((name): PluginSource => ({ kind: 'builtin', name })),
    ...npmPluginPackages().map((p): PluginSource => ({ kind: 'npm', package: p.name })),
  ];
  const settled = await Promise.allSettled(sources.map(loadFromSource));
  const plugins: LoadedPlugin[] = [];
  const broken: { source: string; error: string }[] = [];
  settled.forEach((s, i) => {
    if (s.status === 'fulfilled') plugins.push(s.value);
    else broken.push({ source: formatSource(sources[i] as PluginSource), error: errorMessage(s.reason) });
  });
  return { plugins, broken };
}

/** Where what the user typed after `run` (a path, a built-in name, or an npm plugin's name) would be loaded from. */
export function resolveSource(ref: string, cwd = process.cwd()): PluginSource {
  if (looksLikePath(ref)) return { kind: 'path', path: resolve(cwd, ref) };
  if (builtinNames().includes(ref)) return { kind: 'builtin', name: ref };
  const npm = npmPluginPackages().find((p) => p.name === ref || p.name === NPM_PREFIX + ref || p.name.endsWith(`/${NPM_PREFIX}${ref}`));
  if (npm) return { kind: 'npm', package: npm.name };
  const known = [...builtinNames(), ...npmPluginPackages().map((p) => p.name)];
  throw new UserError(
    `unknown method '${ref}'${didYouMean(ref, known)}: expected one of ${known.join(', ')}, an installed ${NPM_PREFIX}* package, or a path to a plugin file (see 'nasbench methods')`,
  );
}

/** Resolves and loads what the user typed after `run`. */
export async function resolvePlugin(ref: string, cwd = process.cwd()): Promise<LoadedPlugin> {
  return loadFromSource(resolveSource(ref, cwd));
}
