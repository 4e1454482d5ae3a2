import { Rng, ZERO_COST_KINDS, type Arch, type Json, type Observation, type SearchContext, type Searcher, type SearchSpace, type SearcherPlugin, type ParamValue } from '../api/index.js';
import { UserError, errorMessage } from '../errors.js';
import { allTasks } from '../tasks/index.js';
import { lazyTensorflow } from '../tasks/engine-options.js';
import type { Task } from '../tasks/types.js';
import { canonicalArch, checkProposed, checkSnapshot, describeValue } from './plugin-answers.js';
import { PluginFault } from './run-types.js';
import { effectiveParams, resolveParams } from './params.js';

/** What `nasbench plugin check` found by driving a plugin through its contract. */
export interface ContractReport {
  /** The task whose search space the plugin was driven on (its scores are synthetic). */
  readonly space: string;
  readonly evaluations: number;
  /** Zero-cost scores asked for (synthetic here), charged to the budget as in a run. */
  readonly zeroCost?: number;
  /** Distinct architectures among them: a method that proposes the same cell twice pays twice. */
  readonly distinct: number;
  /** Whether a searcher restored from a snapshot was compared with the live one (not when one propose spent the budget). */
  readonly resumeChecked?: boolean;
  /** The first contract violation, in one line; null when every call kept the contract. */
  readonly problem: string | null;
  /** What the plugin threw, with its stack, when the problem is an exception of its own. */
  readonly thrown: unknown;
}


/** The task whose space a plugin is checked on: the first built-in task of a space it supports. */
function taskFor(plugin: SearcherPlugin): Task | null {
  return allTasks().find((t) => plugin.spaces === 'any' || plugin.spaces.includes(t.space.kind)) ?? null;
}

/** A deterministic synthetic score in [0, 100): a check needs no data, and a plugin cannot tell. */
function syntheticScore(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return (h % 10000) / 100;
}

async function call<T>(name: string, what: string, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw new PluginFault(`${name}.${what} failed: ${errorMessage(err)}`, { cause: err });
  }
}

/** One searcher and the context it was created with. */
interface Driven {
  readonly ctx: SearchContext;
  readonly searcher: Searcher;
  /** Evaluations spent: proposals observed and zero-cost scores asked for, as a run counts them. */
  spent: number;
}

async function create(plugin: SearcherPlugin, task: Task, budget: number, params: Readonly<Record<string, unknown>>): Promise<Driven> {
  const unavailable = (what: string) => () =>
    Promise.reject(new Error(`${what} is not available in 'plugin check' (its task is synthetic): run the plugin on a real task to exercise it`));
  const counter = { spent: 0 };
  const ctx: SearchContext = {
    space: task.space as SearchSpace<Arch>,
    rng: Rng.seeded(0),
    params,
    task: { name: task.name, kind: task.kind, objective: task.objective },
    budget,
    log: { info() {}, warn() {} },
    record() {},
    // A method's own models train on the pure-JS cpu engine, as on a table-lookup task.
    tensorflow: lazyTensorflow({ backend: 'cpu', threads: null }),
    supernet: unavailable('ctx.supernet()'),
    // Zero-cost scores are synthetic too, and charged to the budget as a run charges them.
    zeroCost: async (arch, kind) => {
      if (!(ZERO_COST_KINDS as readonly string[]).includes(kind)) throw new Error(`ctx.zeroCost: unknown kind '${kind}': expected one of ${ZERO_COST_KINDS.join(', ')}`);
      if (counter.spent >= budget) throw new Error(`ctx.zeroCost: the run's budget of ${budget} evaluations is spent`);
      counter.spent++;
      return syntheticScore(`${kind}:${canonicalArch(task.space as SearchSpace<Arch>, plugin.name, 'zeroCost', arch)}`);
    },
  };
  const searcher = await call(plugin.name, 'create', () => plugin.create(ctx as SearchContext<never>));
  if (typeof searcher !== 'object' || searcher === null) throw new PluginFault(`${plugin.name}.create returned ${describeValue(searcher)}: expected a searcher { propose, observe, snapshot, restore }`);
  const missing = (['propose', 'observe', 'snapshot', 'restore'] as const).filter((m) => typeof searcher[m] !== 'function');
  if (missing.length > 0) throw new PluginFault(`${plugin.name}.create returned a searcher without ${missing.join(', ')}: expected functions propose, observe, snapshot and restore`);
  return {
    ctx,
    searcher,
    get spent() {
      return counter.spent;
    },
    set spent(n: number) {
      counter.spent = n;
    },
  };
}

/** One propose: checked to be an array of at most `max` valid architectures of the space. */
async function propose(d: Driven, name: string, max: number): Promise<string[]> {
  const proposed = checkProposed(name, max, await call(name, 'propose', () => d.searcher.propose(max)));
  return proposed.map((a) => canonicalArch(d.ctx.space, name, 'propose', a));
}

async function snapshot(d: Driven, name: string): Promise<Json> {
  const state = checkSnapshot(name, await call(name, 'snapshot', () => d.searcher.snapshot()));
  return JSON.parse(JSON.stringify(state)) as Json;
}

/** Synthetic observations of a batch, as the harness would hand them to `observe`. */
function observations(d: Driven, task: Task, batch: readonly string[], first: number): Observation[] {
  return batch.map((text, i) => {
    const score = syntheticScore(text);
    const metric = task.objective.goal === 'max' ? score : -score;
    return { arch: d.ctx.space.parse(text), ordinal: first + i, status: 'ok', score, metrics: { [task.objective.metric]: metric } };
  });
}

/**
 * The defaults as the plugin settles them (effectiveParams), after checking that it settles them
 * once, there and at each other choice of every enum parameter (where a configuration such as NAO's
 * config=paper lives): applied again to its own result it must return it unchanged. A refusal
 * (the user's error) of its own defaults is a fault; of another choice, allowed.
 */
function settledDefaults(plugin: SearcherPlugin): Record<string, ParamValue> {
  const name = plugin.name;
  const defaults = resolveParams(name, plugin.params, []);
  const settle = (values: Record<string, ParamValue>, what: string, refusalAllowed: boolean): Record<string, ParamValue> | null => {
    try {
      return effectiveParams(plugin, values);
    } catch (err) {
      if (refusalAllowed && err instanceof UserError) return null;
      throw new PluginFault(`${name}: effectiveParams() ${err instanceof UserError ? 'refuses' : 'fails on'} ${what}: ${errorMessage(err)}`, { cause: err });
    }
  };
  if (plugin.effectiveParams === undefined) return defaults;
  const variants = Object.entries(plugin.params).flatMap(([key, spec]) =>
    spec.type === 'enum' ? spec.choices.filter((c) => c !== spec.default).map((c) => ({ what: `${key}=${c}`, values: { ...defaults, [key]: c } })) : [],
  );
  let settled: Record<string, ParamValue> | null = null;
  for (const { what, values } of [{ what: 'its own defaults', values: defaults }, ...variants]) {
    const once = settle(values, what, values !== defaults);
    if (once === null) continue;
    if (JSON.stringify(settle(once, `its own result for ${what}`, false)) !== JSON.stringify(once)) {
      throw new PluginFault(`${name}: effectiveParams() changed its own result when applied to it again (at ${what}); it must settle the parameters once`);
    }
    // The defaults come first and are never refused here (a refusal of them is a fault above).
    settled ??= once;
  }
  return settled!;
}

/**
 * Drives a plugin as the harness does, on the search space of a task it supports with synthetic
 * scores (no data, no training): create, propose/observe until `budget`, a JSON snapshot after
 * every propose, and a resume check: halfway, a second searcher is restored from the snapshot
 * (with the RNG as it was then) and must propose next exactly what the live one proposes.
 */
export async function checkContract(plugin: SearcherPlugin, budget = 12): Promise<ContractReport> {
  const task = taskFor(plugin);
  if (task === null) {
    const spaces = plugin.spaces === 'any' ? 'any' : plugin.spaces.join(', ') || '(none)';
    return { space: '-', evaluations: 0, distinct: 0, problem: `${plugin.name} supports spaces ${spaces}: no built-in task has one of them`, thrown: null };
  }
  const name = plugin.name;
  const seen: string[] = [];
  let live: Driven | null = null;
  let compared = false;
  try {
    const params = settledDefaults(plugin);
    const driven = await create(plugin, task, budget, params);
    live = driven;
    let resumed: Driven | null = null;
    while (driven.spent < budget) {
      const max = budget - driven.spent;
      const batch = (await propose(driven, name, max)).slice(0, budget - driven.spent);
      if (resumed !== null && !compared) {
        compared = true;
        const again = (await propose(resumed, name, max)).slice(0, budget - resumed.spent);
        if (again.join() !== batch.join()) {
          throw new PluginFault(`${name} does not resume: restored from its snapshot it proposed ${again[0] ?? 'nothing'} where the live searcher proposed ${batch[0] ?? 'nothing'} (state missing from snapshot(), or randomness other than ctx.rng)`);
        }
      }
      if (batch.length === 0) break;
      const state = await snapshot(driven, name);
      const first = driven.spent;
      driven.spent += batch.length;
      if (resumed === null && driven.spent >= budget / 2 && driven.spent < budget) {
        resumed = await create(plugin, task, budget, params);
        await call(name, 'restore', () => resumed!.searcher.restore(state));
        resumed.ctx.rng.reset(driven.ctx.rng.state());
        resumed.spent = driven.spent;
      }
      seen.push(...batch);
      await call(name, 'observe', () => driven.searcher.observe(observations(driven, task, batch, first)));
      if (resumed !== null && !compared) await call(name, 'observe', () => resumed!.searcher.observe(observations(resumed!, task, batch, first)));
    }
    const searcher = driven.searcher;
    if (searcher.recommend) canonicalArch(driven.ctx.space, name, 'recommend', await call(name, 'recommend', () => searcher.recommend!()));
    return { space: task.name, evaluations: seen.length, zeroCost: driven.spent - seen.length, distinct: new Set(seen).size, resumeChecked: compared, problem: null, thrown: null };
  } catch (err) {
    if (!(err instanceof PluginFault)) throw err;
    const spent = (live as Driven | null)?.spent ?? seen.length;
    return { space: task.name, evaluations: seen.length, zeroCost: spent - seen.length, distinct: new Set(seen).size, resumeChecked: compared, problem: err.message, thrown: err.cause ?? null };
  }
}
