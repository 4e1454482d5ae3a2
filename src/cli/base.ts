import { Command, Interfaces } from '@oclif/core';
import { StoreWriteError, UserError } from '../errors.js';
import { openStore } from '../harness/open-store.js';
import type { OpenMode, Store } from '../store/store.js';
import { jsonSafe, terminalSafe } from '../report/terminal-text.js';
import { wrapLines, type Width } from '../report/terminal-fit.js';
import { outputWidth } from './terminal.js';

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

  /** Ctrl-C's exit code (130) ends the command at once; any other is the process's when the command returns. */
  protected setExitCode(code: number): void {
    if (code === 130) this.exit(130);
    process.exitCode = code;
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
