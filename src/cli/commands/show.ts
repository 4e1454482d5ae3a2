import { Args, Flags } from '@oclif/core';
import { UserError } from '../../errors.js';
import { NasbenchCommand, dbFlag, wideFlag } from '../base.js';
import { diagnosticLines } from '../diagnostic-lines.js';
import { parseRunId } from '../run-id.js';
import { compactParams, fixed, seconds, table } from '../format.js';

export default class Show extends NasbenchCommand {
  static override summary = 'Show one run: its settings, result, best evaluations and the method’s diagnostics';
  static override examples = ['<%= config.bin %> <%= command.id %> 12', '<%= config.bin %> <%= command.id %> 12 --json'];
  static override enableJsonFlag = true;
  static override args = { run: Args.string({ description: 'Run id', required: true }) };
  static override flags = {
    db: dbFlag,
    top: Flags.integer({ description: 'How many of the best evaluations to list', default: 5, min: 0 }),
    wide: wideFlag,
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(Show);
    const id = parseRunId(args.run);
    const store = this.openStore(flags.db, 'read');
    try {
      const run = store.getRun(id);
      if (!run) throw new UserError(`run ${id} is not in ${flags.db}`);
      const task = run.taskRecord;
      const evaluations = store.evaluations(run.id);
      const diagnostics = store.diagnostics(run.id);
      const sign = task.objective.goal === 'max' ? -1 : 1;
      const top = evaluations
        .filter((e) => e.status === 'ok' && e.value !== null)
        .sort((a, b) => sign * ((a.value as number) - (b.value as number)) || a.ordinal - b.ordinal)
        .slice(0, flags.top);
      const failures = evaluations.filter((e) => e.status !== 'ok');
      const supernet = store.supernetUsage(run.id);
      const workers = store.workers([run.id]).get(run.id)!;
      const wall = run.wallSeconds === null ? 'not recorded' : seconds(run.wallSeconds);
      this.log(`run ${run.id} · experiment ${run.experimentId} · ${run.method} on ${run.task} · seed ${run.seed} · ${run.status}${run.error ? `: ${run.error}` : ''}`);
      this.log(`evaluations ${run.evaluations}/${run.budget} · device time ${seconds(run.deviceSeconds)} · wall-clock ${wall} · ${run.codeVersion}`);
      this.log(`params: ${compactParams(run.params) || '(none)'} · method source ${run.methodSource}`);
      for (const w of workers) {
        this.log(`worker ${w.host ?? '(host not recorded)'} · ${w.backend} · ${w.deviceKind}: ${w.evaluations} evaluation(s) · device time ${seconds(w.deviceSeconds)}`);
      }
      for (const u of supernet) {
        this.log(`supernet: ${u.trainSteps} training steps · ${u.scoreBatches} validation batches scored · device time ${seconds(u.seconds)} (${u.deviceKind}, included above)`);
      }
      if (run.finalArch) {
        this.log(`result: ${task.result.label} = ${fixed(run.finalValue)} for ${run.finalArch}${run.finalOrdinal !== null ? ` (evaluation #${run.finalOrdinal})` : ''}`);
      }
      if (top.length > 0) {
        this.log(`\nbest by ${task.objective.label}:`);
        this.log(table(['#', task.objective.metric, 'Params', 'Device time', 'Architecture'], top.map((e) => [e.ordinal, fixed(e.value), e.params ?? '–', seconds(e.deviceSeconds), e.arch]), { width: this.outputWidth, dropFirst: ['Params', 'Device time'] }));
      }
      if (failures.length > 0) this.log(`\n${failures.length} evaluation(s) not ok, e.g. #${failures[0]!.ordinal} ${failures[0]!.status}: ${failures[0]!.error}`);
      if (diagnostics.length > 0) {
        this.log('\ndiagnostics:');
        for (const line of diagnostics.flatMap(diagnosticLines)) this.log(`  ${line}`);
      }
      return { run, workers, top, diagnostics, supernet, failed: failures.length };
    } finally {
      store.close();
    }
  }
}
