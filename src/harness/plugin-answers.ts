import type { Arch, Json, SearchSpace } from '../api/index.js';
import { errorMessage } from '../errors.js';
import { jsonProblem } from './json-check.js';
import { PluginFault } from './run-types.js';

/**
 * Checks of what a searcher hands back, shared by the run loop and `nasbench plugin check`: each
 * broken promise is a PluginFault whose one line names the call and what was wrong.
 */

/** A plugin's return value in a few words for an error message: "the string '|nor_conv…'", "undefined", "an object". */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `the ${typeof value} ${String(value)}`;
  if (Array.isArray(value)) return `an array of ${value.length}`;
  const name = typeof value === 'object' ? (value as object).constructor?.name : undefined;
  return name && name !== 'Object' ? `a ${name}` : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** What `propose(max)` returned, checked to be an array of at most `max` (its items are checked by canonicalArch). */
export function checkProposed(name: string, max: number, proposed: unknown): unknown[] {
  if (!Array.isArray(proposed)) throw new PluginFault(`${name}.propose returned ${describeValue(proposed)}: expected an array of architectures (from ctx.space)`);
  if (proposed.length > max) throw new PluginFault(`${name}.propose(${max}) returned ${proposed.length} architectures: expected at most max (${max})`);
  return proposed;
}

/** The canonical string of an architecture a plugin call returned; a PluginFault when it is not one of the space. */
export function canonicalArch(space: SearchSpace<Arch>, name: string, what: string, arch: unknown): string {
  if (typeof arch !== 'object' || arch === null) {
    throw new PluginFault(`${name}.${what} returned ${describeValue(arch)} where an architecture belongs: make architectures with ctx.space (sample, mutate, or parse for a string)`);
  }
  try {
    const text = space.format(arch as Arch);
    space.parse(text);
    return text;
  } catch (err) {
    throw new PluginFault(`${name}.${what} returned an invalid ${space.kind} architecture: ${errorMessage(err)}`);
  }
}

/** A snapshot, checked to come back unchanged through JSON (a Set or a class instance would not). */
export function checkSnapshot(name: string, state: unknown): Json {
  const problem = jsonProblem(state);
  if (problem !== null) throw new PluginFault(`${name}.snapshot() is not JSON: ${problem.replace(/^\$/, 'the snapshot')}; resume would restore something else`);
  return state as Json;
}
