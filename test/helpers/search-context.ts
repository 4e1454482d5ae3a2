import { Rng, type Arch, type Json, type Observation, type ParamSpecs, type SearchContext, type SearchSpace, type Searcher, type SearcherPlugin, type Supernet, type TaskInfo } from '../../src/api/index.js';
import { resolveParams } from '../../src/harness/params.js';
import { loadTensorflow } from './tensorflow.js';

/** A diagnostic a searcher recorded. */
export interface Recorded {
  readonly kind: string;
  readonly data: Json;
}

export interface ContextOptions {
  readonly seed: number;
  readonly budget: number;
  readonly assignments?: readonly string[];
  readonly records?: Recorded[];
  /** Default: a synthetic tabular task whose objective is `score`, higher is better. */
  readonly task?: TaskInfo;
  /** Default: none, as on a tabular task. */
  readonly supernet?: Supernet;
  /** Default: none (the call rejects). */
  readonly zeroCost?: SearchContext['zeroCost'];
}

/** The synthetic tabular task the searchers are driven on (`goal` 'min' hands them the negated metric). */
export const syntheticTask = (goal: 'max' | 'min' = 'max'): TaskInfo => ({ name: 'synthetic', kind: 'tabular', objective: { metric: 'score', goal, label: 'score' } });

/** A search context as the harness builds one, with the plugin's parameters resolved from `assignments`. */
export function searchContext<P>(plugin: SearcherPlugin<ParamSpecs>, space: SearchSpace<unknown>, o: ContextOptions): SearchContext<P> {
  const records = o.records ?? [];
  const { supernet } = o;
  return {
    space: space as SearchSpace<Arch>,
    rng: Rng.seeded(o.seed),
    params: resolveParams(plugin.name, plugin.params, [...(o.assignments ?? [])]) as unknown as P,
    task: o.task ?? syntheticTask(),
    budget: o.budget,
    log: { info() {}, warn() {} },
    record: (kind, data) => void records.push({ kind, data }),
    tensorflow: loadTensorflow,
    supernet: () => (supernet ? Promise.resolve(supernet) : Promise.reject(new Error('a synthetic tabular task has no supernet'))),
    zeroCost: o.zeroCost ?? (() => Promise.reject(new Error('a synthetic tabular task has no network to score'))),
  };
}

/** A deterministic score that depends on the tokens, with some evaluations failing. */
export function syntheticEvaluate(space: SearchSpace<Arch>, archs: readonly Arch[], first: number): Observation[] {
  return archs.map((arch, i) => {
    const tokens = space.toTokens(arch);
    const text = space.format(arch);
    let h = 7;
    for (let k = 0; k < text.length; k++) h = (Math.imul(h, 31) + text.charCodeAt(k)) >>> 0;
    const failed = h % 17 === 0;
    const score = tokens.reduce((s, t, p) => s + ((t * (p + 3)) % 5), 0) / tokens.length + (h % 100) / 1000;
    const metrics: Record<string, number> = failed ? {} : { score };
    return { arch, ordinal: first + i, status: failed ? 'failed' : 'ok', score: failed ? null : score, metrics };
  });
}

/**
 * Drives a searcher as the harness does until `budget` evaluations; returns every proposal as
 * canonical strings. Observations carry architectures parsed back from those strings, as the
 * harness hands them over.
 */
export async function drive(searcher: Searcher, ctx: SearchContext<unknown>, budget: number, used = 0): Promise<string[]> {
  const proposed: string[] = [];
  while (used < budget) {
    const batch = (await searcher.propose(budget - used)).map((a) => ctx.space.parse(ctx.space.format(a)));
    if (batch.length === 0) break;
    proposed.push(...batch.map((a) => ctx.space.format(a)));
    await searcher.observe(syntheticEvaluate(ctx.space, batch, used));
    used += batch.length;
  }
  return proposed;
}
