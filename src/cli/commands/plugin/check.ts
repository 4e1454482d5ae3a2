import { Args, Flags } from '@oclif/core';
import { extname, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { checkContract } from '../../../harness/plugin-check.js';
import { typecheckPlugin } from '../../../harness/plugin-typecheck.js';
import { loadFromSource } from '../../../harness/plugins.js';
import { UserError, errorMessage } from '../../../errors.js';
import { NasbenchCommand, verboseFlag } from '../../base.js';

export default class PluginCheck extends NasbenchCommand {
  static override summary = 'Check a plugin file: its types, its exports and parameters, and its contract on a tiny synthetic task';
  static override description = `Three checks, each one line: 'types' type-checks a TypeScript plugin against this nasbench's API (nasbench/api resolves to it wherever the file lives); 'exports' loads the module and checks its default export and every declared parameter's default; 'contract' drives the searcher as a run does on the search space of a task it supports, with synthetic scores (no data, no training): propose at most max valid architectures, snapshot() as JSON after every propose, and a searcher restored from a snapshot proposing exactly what the live one does. Exit code 1 when a check fails.`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> ./hill-climb.ts',
    { description: "With the plugin's stack trace when one of its calls throws", command: '<%= config.bin %> <%= command.id %> ./hill-climb.js --verbose' },
  ];
  static override args = { file: Args.string({ description: 'The plugin file (.js, .mjs or .ts)', required: true }) };
  static override flags = {
    budget: Flags.integer({ description: 'Evaluations the contract check drives the searcher through', default: 12, min: 2, max: 1000 }),
    verbose: verboseFlag,
  };
  static override enableJsonFlag = true;

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(PluginCheck);
    const file = resolve(args.file);
    if (!existsSync(file)) throw new UserError(`${args.file}: no such file (expected a plugin file, .js, .mjs or .ts)`);
    const lines: { check: string; ok: boolean; text: string }[] = [];
    const say = (check: string, ok: boolean, text: string) => {
      lines.push({ check, ok, text });
      if (!this.jsonEnabled()) this.log(`${check.padEnd(8)} ${ok ? 'ok  ' : 'FAIL'}  ${text}`);
    };
    if (extname(file) === '.ts' || extname(file) === '.mts') {
      const errors = await typecheckPlugin(file);
      if (errors.length === 0) say('types', true, 'type-checks against nasbench/api (strict)');
      for (const e of errors) say('types', false, e);
    } else {
      say('types', true, 'not checked (a JavaScript file; write it in TypeScript to have its types checked)');
    }
    let loaded;
    try {
      loaded = await loadFromSource({ kind: 'path', path: file });
    } catch (err) {
      say('exports', false, errorMessage(err).replace(/^path:[^:]*: /, ''));
      return this.finish(lines);
    }
    const { plugin } = loaded;
    const params = Object.entries(plugin.params).map(([k, s]) => `${k}=${String(s.default)}`);
    say('exports', true, `${plugin.name}: spaces ${plugin.spaces === 'any' ? 'any' : plugin.spaces.join(', ')}; params ${params.join(', ') || '(none)'}`);
    const report = await checkContract(plugin, flags.budget);
    if (report.problem === null) {
      const repeats = report.evaluations - report.distinct;
      say('contract', true, `${report.evaluations} evaluations${report.zeroCost ? ` and ${report.zeroCost} zero-cost scores` : ''} on ${report.space}'s space (synthetic scores), ${report.distinct} distinct${repeats > 0 ? ` (${repeats} proposed again: each is paid for again)` : ''}; snapshots are JSON; ${report.resumeChecked ? 'resumes exactly' : 'resume not exercised (one propose spent the budget)'}`);
    } else {
      say('contract', false, report.problem);
      if (flags.verbose && report.thrown instanceof Error && report.thrown.stack) this.logToStderr(report.thrown.stack);
    }
    return this.finish(lines);
  }

  private finish(lines: { check: string; ok: boolean; text: string }[]): { ok: boolean; checks: typeof lines } {
    const ok = lines.every((l) => l.ok);
    if (!ok) process.exitCode = 1;
    return { ok, checks: lines };
  }
}
