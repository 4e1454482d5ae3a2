import { Flags } from '@oclif/core';
import { writeFileSync } from 'node:fs';
import { resolveDataDir } from '../../data/data-dir.js';
import { trainArchitecture } from '../../harness/train.js';
import { NasbenchCommand } from '../base.js';
import { openTaskFlags, presetFlag, taskOptions } from '../flags/task.js';
import { fixed, seconds } from '../format.js';
import { trainHelp } from '../help/runs.js';
import { trainingProgress } from '../session.js';

export default class Train extends NasbenchCommand {
  static override summary = trainHelp.summary;
  static override description = trainHelp.description;
  static override examples = trainHelp.examples;
  static override enableJsonFlag = true;
  static override flags = {
    task: Flags.string({ char: 't', description: "Task (see 'nasbench tasks')", required: true }),
    arch: Flags.string({ char: 'a', description: "Architecture as the space's canonical string (default: the task's reference cell)" }),
    seed: Flags.integer({ char: 's', description: 'Seed for weights, data order and augmentation', default: 0, min: 0 }),
    preset: presetFlag,
    out: Flags.string({ char: 'o', description: 'Also write the result as JSON to this file', helpValue: '<file>' }),
    ...openTaskFlags,
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(Train);
    const progress = trainingProgress({ quiet: this.jsonEnabled(), log: (line) => this.logToStderr(line) });
    const result = await trainArchitecture({ task: flags.task, arch: flags.arch, seed: flags.seed, dataDir: resolveDataDir(flags['data-dir']), options: taskOptions(flags) }, progress.onProgress).finally(progress.end);
    if (flags.out) writeFileSync(flags.out, JSON.stringify(result, null, 2) + '\n');
    // Printed lines are dropped by --json, which prints the result as it is returned.
    const { device } = result;
    this.log(`${result.task} · ${result.status}${result.error ? `: ${result.error}` : ''} · ${result.params ?? '–'} parameters · ${seconds(result.deviceSeconds)} on ${device.kind} (${device.backend}, ${device.threads} thread${device.threads === 1 ? '' : 's'})`);
    for (const [k, v] of Object.entries(result.metrics)) this.log(`  ${k} = ${fixed(v, 3)}`);
    if (result.status !== 'ok') process.exitCode = 1;
    return result;
  }
}
