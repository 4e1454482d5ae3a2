import type { ParamSpec, ParamSpecs, ParamValue } from '../api/index.js';
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
  switch (spec.type) {
    case 'int':
    case 'float': {
      if (!(spec.type === 'int' ? INTEGER : DECIMAL).test(raw)) return undefined;
      const n = Number(raw);
      if (!Number.isFinite(n) || (spec.type === 'int' && !Number.isSafeInteger(n))) return undefined;
      if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) return undefined;
      return n;
    }
    case 'bool':
      return raw === 'true' ? true : raw === 'false' ? false : undefined;
    case 'enum':
      return spec.choices.includes(raw) ? raw : undefined;
  }
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
