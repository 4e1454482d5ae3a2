import { readFileSync, statSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { UserError, didYouMean, errorMessage } from '../errors.js';
import { looksLikePath } from '../harness/plugins.js';
import { MAX_SEED, parseSeeds } from '../harness/seeds.js';


/**
 * An experiment file (`nasbench run --config experiment.yaml`, YAML or JSON): the methods with
 * their parameters, the tasks, seeds, budget and how to execute, as NNI and NASLib users start
 * from a config file. Every method runs on every task, one experiment each. Flags given on the
 * command line override the file.
 */
export interface ExperimentFile {
  readonly methods: readonly MethodEntry[];
  readonly tasks: readonly string[];
  readonly seeds?: readonly number[];
  readonly budget?: number;
  readonly workers?: number;
  readonly preset?: string;
  readonly backend?: string;
  readonly threads?: number;
  readonly queue?: string;
}

export interface MethodEntry {
  /** A method name, or a plugin path (relative paths are read from the file's directory). */
  readonly method: string;
  /** `key=value` assignments, as `--param` gives them. */
  readonly params: readonly string[];
}

/** The keys an experiment file may have, with what each expects: the schema, as the errors quote it. */
export const EXPERIMENT_KEYS = {
  method: 'a method name or plugin path',
  methods: 'a list of methods: names, paths, or { name, params }',
  params: 'an object of parameter values for the method (with method:)',
  task: 'a task name',
  tasks: 'a list of task names',
  seeds: 'a count N (seeds 0..N-1), a list [1, 5, 9], or a string "10..19"',
  seed: 'one seed, an integer ≥ 0',
  budget: 'evaluations per run, an integer ≥ 1',
  workers: 'evaluations in flight, an integer from 1 to 256',
  preset: "a preset name ('smoke', 'tiny', 'paper')",
  backend: 'an engine backend (auto, tensorflow, webgpu, wasm, cpu)',
  threads: 'wasm threads, an integer from 1 to 8',
  queue: 'a Redis URL',
} as const;

type Key = keyof typeof EXPERIMENT_KEYS;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads and checks an experiment file; every problem is one UserError naming the file and the key. */
export function readExperimentFile(path: string): ExperimentFile {
  const where = `--config ${path}`;
  let text: string;
  try {
    if (!statSync(path).isFile()) throw new Error('not a regular file');
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UserError(`${where}: cannot read it (${errorMessage(err).replace(/^[A-Z]+: /, '')}); expected an experiment file, .yaml or .json`);
  }
  return parseExperiment(text, path, extname(path).toLowerCase() === '.json' ? 'json' : 'yaml');
}

/** Parses the text of an experiment file (`path` names it in errors and anchors relative plugin paths). */
export function parseExperiment(text: string, path: string, format: 'json' | 'yaml'): ExperimentFile {
  const where = `--config ${path}`;
  let data: unknown;
  if (format === 'json') {
    try {
      data = JSON.parse(text);
    } catch (err) {
      throw new UserError(`${where}: not valid JSON (${errorMessage(err)})`);
    }
  } else {
    const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
    const first = doc.errors[0];
    if (first !== undefined) {
      const at = first.linePos?.[0];
      throw new UserError(`${where}: not valid YAML${at ? ` at line ${at.line}, column ${at.col}` : ''} (${first.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')})`);
    }
    data = doc.toJS();
  }
  if (!isRecord(data)) throw new UserError(`${where}: expected a mapping of settings (${Object.keys(EXPERIMENT_KEYS).join(', ')})`);
  const bad = (key: string, got: unknown): never => {
    const expected = EXPERIMENT_KEYS[key as Key] ?? 'see docs';
    throw new UserError(`${where}: ${key}: expected ${expected}, got ${JSON.stringify(got) ?? String(got)}`);
  };
  for (const key of Object.keys(data)) {
    if (!(key in EXPERIMENT_KEYS)) {
      throw new UserError(`${where}: unknown key '${key}'${didYouMean(key, Object.keys(EXPERIMENT_KEYS))}: expected ${Object.keys(EXPERIMENT_KEYS).join(', ')}`);
    }
  }
  const both = (one: Key, many: Key) => {
    if (data[one] !== undefined && data[many] !== undefined) throw new UserError(`${where}: both ${one} and ${many}: expected one of them`);
  };
  both('method', 'methods');
  both('task', 'tasks');
  both('seed', 'seeds');
  if (data.params !== undefined && data.method === undefined) throw new UserError(`${where}: params: belongs with method: (with methods:, give each method its own { name, params })`);

  const base = dirname(resolve(path));
  const methodRef = (ref: string) => (looksLikePath(ref) ? resolve(base, ref) : ref);
  const paramsOf = (key: string, value: unknown): string[] => {
    if (value === undefined) return [];
    if (!isRecord(value)) return bad(key, value);
    return Object.entries(value).map(([k, v]) => {
      if (typeof v !== 'number' && typeof v !== 'boolean' && typeof v !== 'string') return bad(`${key}.${k}`, v);
      return `${k}=${String(v)}`;
    });
  };
  const nonEmptyString = (key: string, value: unknown): string => (typeof value === 'string' && value.trim() !== '' ? value : bad(key, value));
  const integer = (key: string, value: unknown, min: number, max: number): number =>
    typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? value : bad(key, value);

  let methods: MethodEntry[] = [];
  if (data.method !== undefined) methods = [{ method: methodRef(nonEmptyString('method', data.method)), params: paramsOf('params', data.params) }];
  if (data.methods !== undefined) {
    if (!Array.isArray(data.methods) || data.methods.length === 0) bad('methods', data.methods);
    methods = (data.methods as unknown[]).map((m, i) => {
      if (typeof m === 'string') return { method: methodRef(nonEmptyString(`methods[${i}]`, m)), params: [] };
      if (!isRecord(m)) return bad(`methods[${i}]`, m);
      const extra = Object.keys(m).find((k) => k !== 'name' && k !== 'params');
      if (extra !== undefined) throw new UserError(`${where}: methods[${i}].${extra}: unknown key; expected name and params`);
      return { method: methodRef(nonEmptyString(`methods[${i}].name`, m.name)), params: paramsOf(`methods[${i}].params`, m.params) };
    });
  }
  const tasks =
    data.task !== undefined
      ? [nonEmptyString('task', data.task)]
      : data.tasks !== undefined
        ? Array.isArray(data.tasks) && data.tasks.length > 0
          ? data.tasks.map((t, i) => nonEmptyString(`tasks[${i}]`, t))
          : bad('tasks', data.tasks)
        : [];

  let seeds: number[] | undefined;
  if (data.seed !== undefined) seeds = [integer('seed', data.seed, 0, MAX_SEED)];
  if (data.seeds !== undefined) {
    const s = data.seeds;
    const text = typeof s === 'number' ? String(s) : typeof s === 'string' ? s : Array.isArray(s) && s.length > 0 && s.every((x) => typeof x === 'number') ? `${s.join(',')},` : bad('seeds', s);
    try {
      seeds = parseSeeds(text);
    } catch (err) {
      throw new UserError(`${where}: seeds: ${errorMessage(err).replace(/^--seeds "[^"]*": /, '')}`);
    }
  }
  return {
    methods,
    tasks,
    ...(seeds !== undefined ? { seeds } : {}),
    ...(data.budget !== undefined ? { budget: integer('budget', data.budget, 1, Number.MAX_SAFE_INTEGER) } : {}),
    ...(data.workers !== undefined ? { workers: integer('workers', data.workers, 1, 256) } : {}),
    ...(data.threads !== undefined ? { threads: integer('threads', data.threads, 1, 8) } : {}),
    ...(data.preset !== undefined ? { preset: nonEmptyString('preset', data.preset) } : {}),
    ...(data.backend !== undefined ? { backend: nonEmptyString('backend', data.backend) } : {}),
    ...(data.queue !== undefined ? { queue: nonEmptyString('queue', data.queue) } : {}),
  };
}
