import { performance } from 'node:perf_hooks';

/** Where a plugin call started: wall clock, process CPU, and device work charged so far (ms). */
export interface ClockStart {
  readonly wallMs: number;
  readonly cpu: NodeJS.CpuUsage;
  readonly deviceMs: number;
}

/**
 * The searcher's own cost, apart from the evaluations it asks for: wall time inside its calls
 * (propose, observe, snapshot, …) minus the supernet and zero-cost device work done for it
 * meanwhile, and the process's CPU time (user + system) over those calls. On a table lookup the
 * evaluations cost microseconds, so this is what a method really costs; reports show it per run.
 * CPU time is the whole process's: with several runs in flight (--workers) it includes what
 * overlapped an asynchronous call.
 */
export class SearcherClock {
  wallSeconds = 0;
  cpuSeconds = 0;

  start(deviceMs: number): ClockStart {
    return { wallMs: performance.now(), cpu: process.cpuUsage(), deviceMs };
  }

  stop(from: ClockStart, deviceMs: number): void {
    const cpu = process.cpuUsage(from.cpu);
    this.wallSeconds += Math.max(0, performance.now() - from.wallMs - (deviceMs - from.deviceMs)) / 1000;
    this.cpuSeconds += (cpu.user + cpu.system) / 1e6;
  }
}
