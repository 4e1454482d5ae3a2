/**
 * The import graph between nasbench's layers, read from the sources: every static `from '…'` and
 * dynamic `import('…')` of src/ and methods/, resolved to the layer it lands in. Run it alone to
 * print the edges with their counts: `npx tsx test/layers/import-graph.ts`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface ImportEdge {
  /** File that imports, relative to the package root. */
  readonly file: string;
  readonly specifier: string;
  readonly from: string;
  readonly to: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(path);
    return d.name.endsWith('.ts') && !d.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** `src/<folder>` for files under src (`src/errors.ts` is 'errors'), `method:<name>` under methods. */
export function layerOf(path: string): string {
  const parts = relative(ROOT, path).split(sep);
  if (parts[0] === 'methods') return `method:${parts[1]}`;
  if (parts[0] === 'src') return parts.length === 2 ? parts[1]!.replace(/\.[jt]s$/, '') : parts[1]!;
  return parts[0]!;
}

const SPECIFIERS = /(?:\bfrom\s+|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;

/** Every relative import of the TypeScript files under these folders, as the file it lands in (relative to the package root). */
export function relativeImports(folders: readonly string[]): { readonly file: string; readonly target: string }[] {
  return folders.flatMap((folder) =>
    sourceFiles(join(ROOT, folder)).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(SPECIFIERS)]
        .map(([, specifier]) => specifier!)
        .filter((specifier) => specifier.startsWith('.'))
        .map((specifier) => ({ file: relative(ROOT, file), target: relative(ROOT, resolve(dirname(file), specifier)) })),
    ),
  );
}

/** Imports that land in another layer (package imports other than `nasbench/api` are left out). */
export function crossLayerImports(): ImportEdge[] {
  const files = [...sourceFiles(join(ROOT, 'src')), ...sourceFiles(join(ROOT, 'methods'))];
  const edges: ImportEdge[] = [];
  for (const file of files) {
    const from = layerOf(file);
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(SPECIFIERS)) {
      let to: string;
      if (specifier === 'nasbench/api') to = 'api';
      else if (specifier!.startsWith('.')) to = layerOf(resolve(dirname(file), specifier!));
      else continue;
      if (to !== from) edges.push({ file: relative(ROOT, file), specifier: specifier!, from, to });
    }
  }
  return edges;
}

/** Edges as "from → to" with how many imports each has, most first. */
export function edgeCounts(edges: readonly ImportEdge[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const e of edges) counts.set(`${e.from} → ${e.to}`, (counts.get(`${e.from} → ${e.to}`) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const edges = crossLayerImports();
  for (const [edge, n] of edgeCounts(edges)) console.log(`${String(n).padStart(4)}  ${edge}`);
  console.log(`${String(edges.length).padStart(4)}  cross-layer imports in all`);
}
