import { Flags } from '@oclif/core';
import { writeFileSync } from 'node:fs';
import { resolveDataDir } from '../../data/data-dir.js';
import { trainArchitecture } from '../../harness/train.js';
import { NasbenchCommand, openTaskFlags, presetFlag, taskOptions } from '../base.js';
import { fixed, seconds } from '../format.js';
import { trainingProgress } from '../session.js';

export default class Train extends NasbenchCommand {
  static override summary = 'Train one fixed architecture from scratch with a task’s final setting and report its test metrics';
  static override description = `Checks a training setup, or measures an architecture found by a search: the architecture is trained exactly as a run's final evaluation is (the preset's final setting) and its metrics are printed, and written as JSON with --out. Without --arch the task's hand-picked reference cell is used. Nothing is written to the database.`;

  static override examples = [
    { description: 'The reference cell on Fashion-MNIST (tiny preset on CPU), result kept in results/', command: '<%= config.bin %> <%= command.id %> --task fashion-mnist --out results/reference-fashion-mnist.json' },
    { description: 'The reference cell on Penn Treebank', command: '<%= config.bin %> <%= command.id %> --task ptb --out results/reference-ptb.json' },
    { description: 'A cell of your own', command: `<%= config.bin %> <%= command.id %> --task ptb --arch '0 tanh|1 relu|1 tanh|2 relu|3 identity|4 tanh|5 relu|4 sigmoid|7 tanh|8 relu|6 identity|10 tanh'` },
  ];

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
    if (!this.jsonEnabled()) {
      const { device } = result;
      this.log(`${result.task} · ${result.status}${result.error ? `: ${result.error}` : ''} · ${result.params ?? '–'} parameters · ${seconds(result.deviceSeconds)} on ${device.kind} (${device.backend}, ${device.threads} thread${device.threads === 1 ? '' : 's'})`);
      for (const [k, v] of Object.entries(result.metrics)) this.log(`  ${k} = ${fixed(v, 3)}`);
    }
    if (result.status !== 'ok') process.exitCode = 1;
    return result;
  }
}
