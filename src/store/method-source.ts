/**
 * Where a plugin came from, as an experiment stores it (`builtin:enas`, `npm:nasbench-method-x`,
 * `path:/abs/file.ts`), so `resume` loads the same code and a report can print the command that
 * names it again.
 */
export type PluginSource =
  | { readonly kind: 'builtin'; readonly name: string }
  | { readonly kind: 'npm'; readonly package: string }
  | { readonly kind: 'path'; readonly path: string };

export function formatSource(source: PluginSource): string {
  switch (source.kind) {
    case 'builtin':
      return `builtin:${source.name}`;
    case 'npm':
      return `npm:${source.package}`;
    case 'path':
      return `path:${source.path}`;
  }
}

export function parseSource(text: string): PluginSource {
  const colon = text.indexOf(':');
  const kind = text.slice(0, colon);
  const rest = text.slice(colon + 1);
  if (kind === 'builtin') return { kind, name: rest };
  if (kind === 'npm') return { kind, package: rest };
  if (kind === 'path') return { kind, path: rest };
  throw new Error(`unknown plugin source '${text}'`);
}

/** What the user types to name a source again (`run <it>`, `resume --method <it>`). */
export function methodRef(source: PluginSource): string {
  switch (source.kind) {
    case 'builtin':
      return source.name;
    case 'npm':
      return source.package;
    case 'path':
      return source.path;
  }
}
