import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FROM_SOURCE, PACKAGE_ROOT } from './package-root.js';

/** The declaration file `nasbench/api` resolves to for a type checker: the one this nasbench ships. */
export function apiDeclarations(): string {
  return FROM_SOURCE ? join(PACKAGE_ROOT, 'src', 'api', 'index.ts') : join(PACKAGE_ROOT, 'dist', 'src', 'api', 'index.d.ts');
}

/** The compiler settings a plugin is checked with; docs/PLUGINS.md shows the same as a tsconfig.json. */
export const PLUGIN_COMPILER_OPTIONS = {
  target: 'ES2022',
  module: 'ESNext',
  moduleResolution: 'Bundler',
  strict: true,
  noEmit: true,
  skipLibCheck: true,
};

/**
 * Type-checks a TypeScript plugin file (and what it imports) against this nasbench's API types,
 * wherever the file lives: `nasbench/api` is mapped to the shipped declarations. Returns one line
 * per error, `file:line:column: message`.
 */
export async function typecheckPlugin(file: string): Promise<string[]> {
  const ts = (await import('typescript')).default;
  const api = apiDeclarations();
  if (!existsSync(api)) return [`${api} is missing: build nasbench first (npm run build)`];
  // Node's own types where they can be found (next to the plugin, or nasbench's): plugins run in Node.
  const typeRoots = [join(dirname(file), 'node_modules', '@types'), join(PACKAGE_ROOT, 'node_modules', '@types')].filter(existsSync);
  const node = typeRoots.some((root) => existsSync(join(root, 'node')));
  const { options, errors } = ts.convertCompilerOptionsFromJson(
    { ...PLUGIN_COMPILER_OPTIONS, paths: { 'nasbench/api': [api] }, typeRoots, types: node ? ['node'] : [] },
    PACKAGE_ROOT,
  );
  if (errors.length > 0) return errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' '));
  const program = ts.createProgram({ rootNames: [file], options });
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.category === ts.DiagnosticCategory.Error)
    .map((d) => {
      const text = ts.flattenDiagnosticMessageText(d.messageText, ' ');
      if (d.file === undefined || d.start === undefined) return text;
      const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
      return `${d.file.fileName}:${line + 1}:${character + 1}: ${text}`;
    });
}
