import type { ParamSpec, ParamSpecs, ParamValue, SearcherPlugin } from '../api/index.js';
import { UserError } from '../errors.js';

export function describeParam(spec: ParamSpec): string {
  switch (spec.type) {
    case 'int':
    case 'float': {
      const kind = spec.type === 'int' ? 'an integer' : 'a number';
      const range =
        spec.min !== undefined && spec.max !== undefined
          ? ` in [${spec.min}, ${spec.max}]`
          : spec.min !== undefined
            ? ` ≥ ${spec.min}`
            : spec.max !== undefined
              ? ` ≤ ${spec.max}`
              : '';
      return kind + range;
    }
    case 'bool':
      return 'true or false';
    case 'enum':
      return `one of ${spec.choices.join(', ')}`;
  }
}

/** Plain decimal notation only: `Number` would also take `0x10`, `1e300` for an integer, or blanks. */
const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function parseValue(spec: ParamSpec, raw: string): ParamValue | undefined {
  let value: ParamValue | undefined;
  switch (spec.type) {
    case 'int':
    case 'float':
      value = (spec.type === 'int' ? INTEGER : DECIMAL).test(raw) ? Number(raw) : undefined;
      break;
    case 'bool':
      value = raw === 'true' ? true : raw === 'false' ? false : undefined;
      break;
    case 'enum':
      value = raw;
  }
  return value !== undefined && fits(spec, value) ? value : undefined;
}

/** Applies `key=value` assignments over a plugin's documented defaults, rejecting anything undocumented or out of range. */
export function resolveParams(method: string, specs: ParamSpecs, assignments: readonly string[]): Record<string, ParamValue> {
  const values: Record<string, ParamValue> = Object.fromEntries(Object.entries(specs).map(([k, s]) => [k, s.default]));
  for (const assignment of assignments) {
    const eq = assignment.indexOf('=');
    if (eq <= 0) throw new UserError(`--param ${assignment}: expected key=value`);
    const key = assignment.slice(0, eq);
    const raw = assignment.slice(eq + 1);
    const spec = specs[key];
    if (!spec) {
      const known = Object.keys(specs);
      throw new UserError(
        `--param ${assignment}: ${method} has no parameter '${key}'; expected ${known.length ? `one of ${known.join(', ')}` : 'none'}`,
      );
    }
    const value = parseValue(spec, raw);
    if (value === undefined) {
      throw new UserError(`--param ${assignment}: '${key}' of ${method} expects ${describeParam(spec)}, got '${raw}'`);
    }
    values[key] = value;
  }
  return values;
}

/** Whether a value is one a parameter of this spec can take. */
function fits(spec: ParamSpec, value: unknown): boolean {
  switch (spec.type) {
    case 'int':
    case 'float':
      return (
        typeof value === 'number' &&
        Number.isFinite(value) &&
        (spec.type === 'float' || Number.isSafeInteger(value)) &&
        (spec.min === undefined || value >= spec.min) &&
        (spec.max === undefined || value <= spec.max)
      );
    case 'bool':
      return typeof value === 'boolean';
    case 'enum':
      return typeof value === 'string' && spec.choices.includes(value);
  }
}

/**
 * The parameters that run: the plugin's `effectiveParams` over the resolved ones (where one
 * parameter fixes others). Its refusal (a plain Error) is the user's bad --param (one line, exit 2,
 * before the store is touched); any other exception, or a result outside the plugin's own specs,
 * is the plugin's fault.
 */
export function effectiveParams(plugin: SearcherPlugin, asked: Record<string, ParamValue>): Record<string, ParamValue> {
  if (plugin.effectiveParams === undefined) return asked;
  let settled: unknown;
  try {
    settled = plugin.effectiveParams(asked as never);
  } catch (err) {
    // A refusal is a plain Error; a TypeError or the like is the plugin's bug, not the user's input.
    if (!(err instanceof Error) || err.constructor !== Error) throw err;
    throw new UserError(`--param (${plugin.name}): ${err.message}`);
  }
  const specs = plugin.params;
  const wrong =
    typeof settled !== 'object' || settled === null
      ? ['(not an object)']
      : [...new Set([...Object.keys(specs), ...Object.keys(settled)])].filter((k) => specs[k] === undefined || !fits(specs[k], (settled as Record<string, unknown>)[k]));
  if (wrong.length > 0) throw new Error(`plugin ${plugin.name}: effectiveParams() returned values its params do not allow (${wrong.join(', ')})`);
  return settled as Record<string, ParamValue>;
}
