import { Flags } from '@oclif/core';
import { runQueueWorker } from '../../harness/queue-worker.js';
import { NasbenchCommand } from '../base.js';
import { dataDirFlag } from '../flags/data.js';
import { backendFlag, threadsFlag } from '../flags/task.js';
import { workerHelp } from '../help/runs.js';

export default class WorkerCommand extends NasbenchCommand {
  static override summary = workerHelp.summary;
  static override description = workerHelp.description;
  static override examples = workerHelp.examples;
  static override flags = {
    queue: Flags.string({ description: 'Redis URL of the queue, e.g. redis://host:6379', required: true, env: 'NASBENCH_QUEUE', helpValue: '<url>' }),
    backend: backendFlag,
    threads: threadsFlag,
    'data-dir': dataDirFlag,
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(WorkerCommand);
    const controller = new AbortController();
    const stop = () => (controller.signal.aborted ? process.exit(130) : controller.abort());
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    await runQueueWorker({
      url: flags.queue,
      settings: { ...(flags['data-dir'] ? { dataDir: flags['data-dir'] } : {}), ...(flags.backend ? { backend: flags.backend } : {}), ...(flags.threads ? { threads: flags.threads } : {}) },
      signal: controller.signal,
      log: (line) => this.logToStderr(line),
    });
  }
}
