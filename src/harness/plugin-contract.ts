import type { ParamSpec, SearcherPlugin } from '../api/index.js';
import { UserError } from '../errors.js';

const FIELDS = {
  name: 'a string',
  description: 'a one-line string',
  spaces: "'any' or an array of search-space kinds",
  params: 'an object of parameter specs ({} for none)',
  create: 'a function create(ctx) returning the searcher',
} as const;

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function looksLikePlugin(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { create?: unknown }).create === 'function';
}

/** The module's plugin object: its default export (a TypeScript file compiled as CommonJS has it one level down). */
function defaultExport(mod: unknown, where: string): unknown {
  const exports = (mod ?? {}) as Record<string, unknown>;
  let candidate = exports.default;
  const inner = (candidate as { default?: unknown; name?: unknown } | undefined)?.default;
  if (inner !== undefined && typeof (candidate as { name?: unknown }).name !== 'string') candidate = inner;
  if (candidate !== undefined) return candidate;
  const named = Object.keys(exports).filter((k) => looksLikePlugin(exports[k]));
  if (named.length > 0) {
    throw new UserError(`${where}: the plugin is a named export ('${named[0]}'); nasbench loads the default export: write 'export default definePlugin({ … })'`);
  }
  throw new UserError(`${where}: no default export; expected 'export default definePlugin({ name, description, spaces, params, create })' (see docs/PLUGINS.md)`);
}

/** What is wrong with one declared parameter, or null when it is valid. */
export function paramProblem(key: string, spec: unknown): string | null {
  if (typeof spec !== 'object' || spec === null) return `params.${key} is ${kindOf(spec)}; expected { type, default, doc }`;
  const s = spec as Partial<ParamSpec> & { min?: unknown; max?: unknown; choices?: unknown };
  if (typeof s.doc !== 'string' || s.doc === '') return `params.${key}.doc is missing: one line saying what the parameter does`;
  switch (s.type) {
    case 'int':
    case 'float': {
      for (const bound of ['min', 'max'] as const) {
        if (s[bound] !== undefined && (typeof s[bound] !== 'number' || !Number.isFinite(s[bound]))) return `params.${key}.${bound} is ${kindOf(s[bound])}; expected a finite number`;
      }
      const d = s.default as unknown;
      if (typeof d !== 'number' || !Number.isFinite(d)) return `params.${key}.default is ${kindOf(d)}; expected a finite number (type '${s.type}')`;
      if (s.type === 'int' && !Number.isSafeInteger(d)) return `params.${key}.default is ${d}; expected an integer (type 'int')`;
      if (typeof s.min === 'number' && d < s.min) return `params.${key}.default ${d} is below its min ${s.min}`;
      if (typeof s.max === 'number' && d > s.max) return `params.${key}.default ${d} is above its max ${s.max}`;
      if (s.type === 'float' && (s.min === undefined || s.max === undefined)) return `params.${key} is a float without min and max; give both so that --param values outside are refused`;
      return null;
    }
    case 'bool':
      return typeof s.default === 'boolean' ? null : `params.${key}.default is ${kindOf(s.default)}; expected true or false (type 'bool')`;
    case 'enum': {
      if (!Array.isArray(s.choices) || s.choices.length === 0 || !s.choices.every((c) => typeof c === 'string')) return `params.${key}.choices must be a non-empty array of strings (type 'enum')`;
      return s.choices.includes(s.default as string) ? null : `params.${key}.default ${JSON.stringify(s.default)} is not one of its choices ${s.choices.join(', ')}`;
    }
    default:
      return `params.${key}.type is ${JSON.stringify(s.type)}; expected 'int', 'float', 'bool' or 'enum'`;
  }
}

/** The plugin a loaded module exports, or one line naming what is missing or of the wrong type. */
export function validatePlugin(mod: unknown, where: string): SearcherPlugin {
  const candidate = defaultExport(mod, where);
  if (typeof candidate !== 'object' || candidate === null) {
    const hint = typeof candidate === 'function' ? ' (a function: did you export create instead of definePlugin({ …, create })?)' : '';
    throw new UserError(`${where}: the default export is ${kindOf(candidate)}${hint}; expected definePlugin({ name, description, spaces, params, create })`);
  }
  const p = candidate as Record<string, unknown>;
  const missing = (Object.keys(FIELDS) as (keyof typeof FIELDS)[]).filter((f) => p[f] === undefined);
  if (missing.length > 0) {
    throw new UserError(`${where}: the plugin has no ${missing.join(', ')}; expected ${missing.map((f) => `${f}: ${FIELDS[f]}`).join('; ')}`);
  }
  const wrong = (field: keyof typeof FIELDS): never => {
    throw new UserError(`${where}: the plugin's ${field} is ${kindOf(p[field])}; expected ${FIELDS[field]}`);
  };
  if (typeof p.name !== 'string' || p.name === '') wrong('name');
  if (typeof p.description !== 'string') wrong('description');
  if (p.spaces !== 'any' && !(Array.isArray(p.spaces) && p.spaces.every((s) => typeof s === 'string'))) wrong('spaces');
  if (typeof p.params !== 'object' || p.params === null || Array.isArray(p.params)) wrong('params');
  if (typeof p.create !== 'function') wrong('create');
  if (p.label !== undefined && typeof p.label !== 'function') {
    throw new UserError(`${where}: the plugin's label is ${kindOf(p.label)}; expected a function label(params, task) returning what the report calls the method, or no label`);
  }
  if (p.effectiveParams !== undefined && typeof p.effectiveParams !== 'function') {
    throw new UserError(`${where}: the plugin's effectiveParams is ${kindOf(p.effectiveParams)}; expected a function effectiveParams(params) returning the parameters that run, or none`);
  }
  for (const [key, spec] of Object.entries(p.params as object)) {
    const problem = paramProblem(key, spec);
    if (problem !== null) throw new UserError(`${where}: ${problem}`);
  }
  return candidate as SearcherPlugin;
}
