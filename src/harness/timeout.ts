import { performance } from 'node:perf_hooks';

/**
 * Rejects with `message` when `promise` has not settled within `ms` (the work itself is not
 * cancelled). Time that `excluded()` (a running total in milliseconds) grows by while waiting does
 * not count: a searcher's call is not timed out for the supernet work it asked the engine for.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, message: string, excluded: () => number = () => 0): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const start = performance.now();
  const excludedAtStart = excluded();
  const timeout = new Promise<never>((_, reject) => {
    const arm = (delay: number) => {
      timer = setTimeout(() => {
        const left = ms - (performance.now() - start - (excluded() - excludedAtStart));
        if (left > 0) arm(left);
        else reject(new Error(message));
      }, delay);
    };
    arm(ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
