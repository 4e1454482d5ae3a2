/**
 * Where a value stops being plain JSON, as a path (`$.seen`), or null when JSON.stringify and
 * JSON.parse give it back unchanged. A `Set` or `Map` (stringified as {}), a class instance, a
 * function, `undefined`, a bigint or a non-finite number would come back as something else: a
 * searcher restored from it would silently differ from the one that was snapshotted.
 */
export function jsonProblem(value: unknown, path = '$'): string | null {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return null;
    case 'number':
      return Number.isFinite(value) ? null : `${path} is ${value}, which JSON stores as null`;
    case 'object': {
      if (value === null) return null;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const problem = jsonProblem(value[i], `${path}[${i}]`);
          if (problem !== null) return problem;
        }
        return null;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        const name = (value as object).constructor?.name ?? 'an object with a prototype';
        return `${path} is a ${name}, which JSON does not keep (use arrays and plain objects)`;
      }
      for (const [key, item] of Object.entries(value)) {
        const problem = jsonProblem(item, /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`);
        if (problem !== null) return problem;
      }
      return null;
    }
    default:
      return `${path} is ${value === undefined ? 'undefined' : `a ${typeof value}`}, which JSON does not keep`;
  }
}
