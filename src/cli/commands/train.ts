import { Flags } from '@oclif/core';
import { SingleBar } from 'cli-progress';
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { errorMessage, UserError } from '../../errors.js';
import { getCodeVersion } from '../../harness/package-root.js';
import { resolveDataDir } from '../../data/data-dir.js';
import { getTask } from '../../tasks/index.js';
import { NasbenchCommand, openTaskFlags, presetFlag, taskOptions } from '../base.js';
import { fixed, seconds } from '../format.js';

export default class Train extends NasbenchCommand {
  static override summary = 'Train one fixed architecture from scratch with a task’s final setting and report its test metrics';
  static override description = `Checks a training setup, or measures an architecture found by a search: the architecture is
trained exactly as a run's final evaluation is (the preset's final setting) and its metrics are
printed, and written as JSON with --out. Without --arch the task's hand-picked reference cell is
used. Nothing is written to the database.`;

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
    const task = getTask(flags.task);
    const text = flags.arch ?? task.reference;
    if (text === undefined) throw new UserError(`task ${task.name} has no reference architecture: give one with --arch`);
    let arch;
    try {
      arch = task.space.parse(text);
    } catch (err) {
      throw new UserError(`--arch: ${errorMessage(err)}`);
    }
    const evaluator = await task.open(resolveDataDir(flags['data-dir']), taskOptions(flags));
    const bar = process.stderr.isTTY && !this.jsonEnabled() ? new SingleBar({ stream: process.stderr, format: 'training {bar} {value}/{total} steps | loss {loss} | eta {eta_formatted}', hideCursor: true }) : null;
    const started = performance.now();
    let lastLog = started;
    const evaluation = await evaluator.finalEvaluate(arch, {
      seed: flags.seed,
      onProgress: ({ step, steps, loss }) => {
        if (bar) {
          if (step === 1) bar.start(steps, 0, { loss: '–' });
          bar.update(step, { loss: loss.toFixed(3) });
        } else if (!this.jsonEnabled() && performance.now() - lastLog > 60_000) {
          lastLog = performance.now();
          this.logToStderr(`step ${step}/${steps}, loss ${loss.toFixed(3)}, ${seconds((lastLog - started) / 1000)} elapsed`);
        }
      },
    });
    bar?.stop();
    evaluator.close();
    const result = {
      task: task.name,
      arch: task.space.format(arch),
      seed: flags.seed,
      status: evaluation.status,
      error: evaluation.error ?? null,
      metrics: evaluation.metrics,
      params: evaluation.params,
      epochs: evaluation.fidelity,
      deviceSeconds: evaluation.deviceSeconds,
      device: evaluation.device,
      config: evaluator.record.settings,
      codeVersion: getCodeVersion(),
      date: new Date().toISOString(),
    };
    if (flags.out) writeFileSync(flags.out, JSON.stringify(result, null, 2) + '\n');
    if (!this.jsonEnabled()) {
      this.log(`${task.name} · ${evaluation.status}${evaluation.error ? `: ${evaluation.error}` : ''} · ${evaluation.params ?? '–'} parameters · ${seconds(evaluation.deviceSeconds)} on ${evaluation.device.kind} (${evaluation.device.backend}, ${evaluation.device.threads} thread${evaluation.device.threads === 1 ? '' : 's'})`);
      for (const [k, v] of Object.entries(evaluation.metrics)) this.log(`  ${k} = ${fixed(v, 3)}`);
    }
    if (evaluation.status !== 'ok') process.exitCode = 1;
    return result;
  }
}
