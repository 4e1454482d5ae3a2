/**
 * Module hooks (node:module `register`) for plugins loaded by path, wherever they live:
 * - `nasbench/api` resolves to the running nasbench's API: a plugin file in an empty folder has no
 *   node_modules/nasbench to find, and a package's own copy would be a second API;
 * - a `.ts` file is compiled to an ES module by TypeScript (types are removed, not checked:
 *   `nasbench plugin check` checks them), and its `./x.js` imports find `./x.ts`.
 * They run on Node's loader thread: everything they need comes in `initialize`.
 */

interface HookData {
  /** file: URL of the running nasbench's `nasbench/api` entry. */
  readonly api: string;
}

interface ResolveContext {
  readonly parentURL?: string | undefined;
}
type Resolved = { url: string; format?: string | null; shortCircuit?: boolean };
type NextResolve = (specifier: string, context: ResolveContext) => Promise<Resolved>;
type Loaded = { format: string; source?: string | ArrayBuffer | Uint8Array | null; shortCircuit?: boolean };
type NextLoad = (url: string, context: unknown) => Promise<Loaded>;

let api: string | undefined;

export function initialize(data: HookData): void {
  api = data.api;
}

const TS = /\.(ts|mts)$/;

export async function resolve(specifier: string, context: ResolveContext, next: NextResolve): Promise<Resolved> {
  if (api !== undefined && specifier === 'nasbench/api') return { url: api, shortCircuit: true };
  const fromTs = context.parentURL !== undefined && TS.test(new URL(context.parentURL).pathname);
  if (fromTs && specifier.startsWith('.') && /\.m?js$/.test(specifier)) {
    // TypeScript sources import their siblings by the name they will have once compiled.
    try {
      return await next(specifier, context);
    } catch {
      return next(specifier.replace(/js$/, 'ts'), context);
    }
  }
  return next(specifier, context);
}

export async function load(url: string, context: unknown, next: NextLoad): Promise<Loaded> {
  if (!url.startsWith('file:') || !TS.test(new URL(url).pathname)) return next(url, context);
  const [{ readFile }, { fileURLToPath }, ts] = await Promise.all([import('node:fs/promises'), import('node:url'), import('typescript')]);
  const file = fileURLToPath(url);
  const output = ts.default.transpileModule(await readFile(file, 'utf8'), {
    fileName: file,
    reportDiagnostics: true,
    compilerOptions: { module: ts.default.ModuleKind.ESNext, target: ts.default.ScriptTarget.ES2022, sourceMap: false, inlineSourceMap: true },
  });
  const syntax = output.diagnostics?.find((d) => d.category === ts.default.DiagnosticCategory.Error);
  if (syntax !== undefined) {
    const where = syntax.file && syntax.start !== undefined ? syntax.file.getLineAndCharacterOfPosition(syntax.start) : null;
    const text = ts.default.flattenDiagnosticMessageText(syntax.messageText, ' ');
    throw new SyntaxError(where ? `${file}:${where.line + 1}:${where.character + 1}: ${text}` : `${file}: ${text}`);
  }
  return { format: 'module', source: output.outputText, shortCircuit: true };
}
