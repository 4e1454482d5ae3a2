import { performance } from 'node:perf_hooks';

/**
 * Longest stretch of back-to-back work (table lookups that resolve as microtasks, supernet steps)
 * before the event loop gets a macrotask turn: without one, Ctrl-C, timers and the progress
 * display would wait for the whole stretch.
 */
export const YIELD_EVERY_MS = 25;

/** Gives the event loop a turn whenever YIELD_EVERY_MS has passed since the last one. */
export class EventLoopTurns {
  private last = performance.now();

  async maybeYield(): Promise<void> {
    if (performance.now() - this.last < YIELD_EVERY_MS) return;
    await new Promise((resolve) => setImmediate(resolve));
    this.last = performance.now();
  }
}
