import { Command, Flags, Interfaces } from '@oclif/core';
import { StoreWriteError, UserError } from '../errors.js';
import { openStore } from '../harness/open-store.js';
import type { OpenMode, Store } from '../store/store.js';
import { jsonSafe, terminalSafe } from '../report/terminal-text.js';
import { resolveDataDir } from '../data/data-dir.js';
import { parseBackendChoice } from '../tasks/index.js';
import type { TaskOptions } from '../tasks/types.js';
import type { RunHooks } from '../harness/run-types.js';
import { wrapLines, type Width } from '../report/terminal-fit.js';
import { outputWidth } from './terminal.js';

export const DEFAULT_DB = 'results/nasbench.db';

export const dbFlag = Flags.string({
  description: 'SQLite file holding experiments, runs and evaluations',
  default: DEFAULT_DB,
  env: 'NASBENCH_DB',
  helpValue: '<file>',
});

export const dataDirFlag = Flags.string({
  description: 'Directory with the data sets (default: $NASBENCH_DATA_DIR, then ~/.cache/nasbench/data)',
  helpValue: '<dir>',
});

export const backendFlag = Flags.custom<string>({
  // Checked whatever the task (a tabular one never starts the engine): no bad name reaches the store.
  parse: async (input) => parseBackendChoice(input),
  description: 'Engine backend: auto (tfjs-node-gpu, webgpu on a GPU, tfjs-node, wasm, cpu: first that works), tensorflow, webgpu, wasm or cpu',
  env: 'NASBENCH_BACKEND',
  helpValue: '<name>',
})();

export const threadsFlag = Flags.integer({
  description: 'Threads of the wasm engine (default: one per core, or one when the machine is already busy; two runs started together should say 1)',
  env: 'NASBENCH_THREADS',
  min: 1,
  max: 8,
  helpValue: '<n>',
});

export const workersFlag = Flags.integer({
  description:
    'Evaluations in flight at once, and runs (seeds) executed at once; results are the same for any number. Trained tasks train children in this many local worker processes (default: one single-threaded worker per core, as memory allows); table lookups stay in this process (default 1)',
  env: 'NASBENCH_WORKERS',
  min: 1,
  max: 256,
  helpValue: '<n>',
});

export const allowUnverifiedDataFlag = Flags.boolean({
  description: 'Use data files that differ from their known checksums (or sizes) instead of refusing them; recorded with the run (its experiment config names the files)',
});

export const queueFlag = Flags.string({
  description: "Redis URL of a BullMQ queue (e.g. redis://host:6379): this process coordinates and stores, 'nasbench worker' processes evaluate; --workers is then the jobs in flight (default 32)",
  env: 'NASBENCH_QUEUE',
  helpValue: '<url>',
});

export const fetchFlag = Flags.boolean({
  // No default here: the harness's (harness/task-options.ts) applies when the flag is not given.
  description: 'Download a missing data set (the default; --no-fetch forbids it)',
  allowNo: true,
});

export const presetFlag = Flags.string({
  description: "How children are trained: 'smoke' (seconds, to check a setup), 'tiny' (default on CPU) or 'paper' (default on GPU); table lookups have none; see 'nasbench tasks'",
});

export const verboseFlag = Flags.boolean({
  char: 'v',
  description: "Print a plugin's stack trace when it fails a run (the run's stored error is its one-line message)",
});

/** Every command that prints a table has it: on a terminal, output fits its width unless --wide. */
export const wideFlag = Flags.boolean({
  description: 'Print tables and lines at full width instead of fitting them to the terminal (files and pipes always get full width)',
});

/** Run hooks that also print the stack of what a plugin threw, when --verbose asks for it. */
export function withPluginStacks(hooks: RunHooks, verbose: boolean, print: (text: string) => void): RunHooks {
  if (!verbose) return hooks;
  return {
    ...hooks,
    onPluginFault: (fault, run) => {
      const cause = fault.cause instanceof Error && fault.cause.stack ? fault.cause.stack : fault.stack;
      print(`run ${run.id}: ${fault.message}\n${cause ?? ''}`);
    },
  };
}

/** The flags of every command that opens a task (run, resume, train), defined once. */
export const openTaskFlags = {
  backend: backendFlag,
  threads: threadsFlag,
  fetch: fetchFlag,
  'allow-unverified-data': allowUnverifiedDataFlag,
  'data-dir': dataDirFlag,
};

/** How the task is opened, from those flags (and `--preset` where a command has it); unset flags are left to the harness and the task. */
export function taskOptions(flags: {
  readonly preset?: string | undefined;
  readonly backend?: string | undefined;
  readonly threads?: number | undefined;
  readonly fetch?: boolean | undefined;
  readonly 'allow-unverified-data'?: boolean | undefined;
}): Partial<TaskOptions> {
  return {
    ...(flags.fetch !== undefined ? { fetch: flags.fetch } : {}),
    ...(flags.preset !== undefined ? { preset: flags.preset } : {}),
    ...(flags.backend !== undefined ? { backend: flags.backend } : {}),
    ...(flags.threads !== undefined ? { threads: flags.threads } : {}),
    ...(flags['allow-unverified-data'] ? { allowUnverifiedData: true } : {}),
  };
}

/** The flags of the commands that execute runs (run, resume): where evaluations run and what they read. */
export const executeFlags = {
  ...openTaskFlags,
  workers: workersFlag,
  queue: queueFlag,
  db: dbFlag,
  quiet: Flags.boolean({ char: 'q', description: 'No progress output' }),
  verbose: verboseFlag,
  wide: wideFlag,
};

/** What `run` and `resume` ask of the harness alike, from those flags. */
export function executeRequest(flags: Parameters<typeof taskOptions>[0] & { readonly 'data-dir'?: string | undefined; readonly workers?: number | undefined; readonly queue?: string | undefined }) {
  return {
    dataDir: resolveDataDir(flags['data-dir']),
    options: taskOptions(flags),
    ...(flags.workers !== undefined ? { workers: flags.workers } : {}),
    ...(flags.queue !== undefined ? { queue: flags.queue } : {}),
  };
}

/** Shared behaviour: user errors become one line on stderr and exit code 2. */
export abstract class NasbenchCommand extends Command {
  private columns: Width = null;

  /** The width this command's output fits (null: full width); set when a command with --wide parses its flags. */
  get outputWidth(): Width {
    return this.columns;
  }

  // A command that declares --wide fits its output to the terminal (src/cli/terminal.ts): its
  // tables take outputWidth, and log() wraps longer lines.
  // The type parameters are oclif's FlagOutput and ArgOutput, which it does not export.
  protected override async parse<F extends { [name: string]: any }, B extends { [name: string]: any }, A extends { [name: string]: any }>(
    options?: Interfaces.Input<F, B, A>,
    argv?: string[],
  ): Promise<Interfaces.ParserOutput<F, B, A>> {
    const parsed = await super.parse(options, argv);
    const declared = options?.flags ?? (this.constructor as typeof Command).flags ?? {};
    if ('wide' in declared) this.columns = outputWidth(parsed.flags.wide === true);
    return parsed;
  }

  /** 'read' for commands that only look (report, show): they never create or change the file. */
  protected openStore(path: string, mode: OpenMode = 'write'): Store {
    return openStore(path, mode);
  }

  // Everything printed goes through terminalSafe: names, errors and diagnostics may come from the
  // store or a plugin, and a control character in them would be an instruction to the terminal.
  override log(message = '', ...args: unknown[]): void {
    super.log(wrapLines(terminalSafe(message), this.columns), ...args);
  }

  override logToStderr(message = '', ...args: unknown[]): void {
    super.logToStderr(terminalSafe(message), ...args);
  }

  override warn(input: string | Error): string | Error {
    return super.warn(typeof input === 'string' ? terminalSafe(input) : new Error(terminalSafe(input.message)));
  }

  override logJson(json: unknown): void {
    process.stdout.write(jsonSafe(JSON.stringify(json, null, 2)) + '\n');
  }

  protected override async catch(err: Error & { oclif?: { exit?: number } }): Promise<unknown> {
    // Bad input (ours, or a flag oclif could not parse) is one line on stderr and exit code 2.
    if (err instanceof UserError || (err.oclif?.exit === 2 && err.name !== 'ExitError')) {
      const message = err.message
        .replace(/^The following error occurred:\s*/, '')
        .replace(/\s*\n\s*/g, ' ')
        .replace(/ See more help with --help$/, '')
        // oclif's "Parsing --budget Expected an integer …" reads as "--budget: expected an integer …";
        // a message of our own that already names the flag loses the prefix.
        .replace(/^Parsing (--[\w-]+) (?=\1\b)/, '')
        .replace(/^Parsing (--[\w-]+) Expected /, '$1: expected ');
      process.stderr.write(`Error: ${terminalSafe(message)}\n`);
      return this.exit(2);
    }
    if (err instanceof StoreWriteError) {
      process.stderr.write(`Error: ${terminalSafe(err.message)}\n`);
      return this.exit(1);
    }
    return super.catch(err);
  }
}
