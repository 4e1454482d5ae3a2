import { Flags } from '@oclif/core';
import { runQueueWorker } from '../../harness/queue-worker.js';
import { NasbenchCommand, backendFlag, dataDirFlag, threadsFlag } from '../base.js';

export default class WorkerCommand extends NasbenchCommand {
  static override summary = 'Take evaluation jobs from a Redis queue (BullMQ) and carry them out';
  static override description = `Any number of workers, on any machines, serve the coordinators started with 'nasbench run … --queue <url>'. A worker needs the same nasbench version and the same data files (checked by sha256) as the coordinator; it refuses a job otherwise, saying why. It never writes a database: the coordinator stores every result. Ctrl-C stops after the evaluation in flight. See docs/DISTRIBUTED.md.`;

  static override examples = [
    { description: 'A worker on this machine', command: '<%= config.bin %> <%= command.id %> --queue redis://127.0.0.1:6379' },
    { description: 'A GPU host', command: '<%= config.bin %> <%= command.id %> --queue redis://coordinator:6379 --backend tensorflow --data-dir /data/nasbench' },
  ];

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
