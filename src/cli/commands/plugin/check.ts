import { Args, Flags } from '@oclif/core';
import { checkPluginFile, type CheckFinding } from '../../../harness/plugin-file-check.js';
import { NasbenchCommand } from '../../base.js';
import { verboseFlag } from '../../flags/output.js';
import { pluginCheckHelp } from '../../help/catalog.js';

export default class PluginCheck extends NasbenchCommand {
  static override summary = pluginCheckHelp.summary;
  static override description = pluginCheckHelp.description;
  static override examples = pluginCheckHelp.examples;
  static override args = { file: Args.string({ description: 'The plugin file (.js, .mjs or .ts)', required: true }) };
  static override flags = {
    budget: Flags.integer({ description: 'Evaluations the contract check drives the searcher through', default: 12, min: 2, max: 1000 }),
    verbose: verboseFlag,
  };
  static override enableJsonFlag = true;

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(PluginCheck);
    const checks: CheckFinding[] = [];
    const { thrown } = await checkPluginFile(args.file, flags.budget, (finding) => {
      checks.push(finding);
      this.log(`${finding.check.padEnd(8)} ${finding.ok ? 'ok  ' : 'FAIL'}  ${finding.text}`);
    });
    if (flags.verbose && thrown instanceof Error && thrown.stack) this.logToStderr(thrown.stack);
    const ok = checks.every((c) => c.ok);
    if (!ok) process.exitCode = 1;
    return { ok, checks };
  }
}
