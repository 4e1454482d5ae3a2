import { basename } from 'node:path';
import cliProgress from 'cli-progress';
import type { DownloadProgress } from './download.js';

export interface ProgressReporter {
  readonly onProgress: (progress: DownloadProgress) => void;
  /** Ends the current bar; call when fetching is over, including on failure. */
  stop(): void;
}

/**
 * One progress bar per download on stderr. cli-progress draws nothing when stderr is not a
 * terminal, so logs and pipes stay clean.
 */
export function terminalProgress(stream: NodeJS.WritableStream = process.stderr): ProgressReporter {
  let bar: cliProgress.SingleBar | null = null;
  let current: string | null = null;
  const stop = () => {
    bar?.stop();
    bar = null;
    current = null;
  };
  const onProgress = (p: DownloadProgress) => {
    const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
    if (p.url !== current) {
      stop();
      current = p.url;
      bar = new cliProgress.SingleBar(
        {
          stream,
          format: `${basename(new URL(p.url).pathname)} [{bar}] {percentage}% {received}/{size} MB {eta_formatted}`,
          hideCursor: true,
          etaBuffer: 50,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(p.total ?? 0, 0, { received: mb(0), size: p.total === null ? '?' : mb(p.total) });
    }
    bar?.update(p.total === null ? 0 : p.received, { received: mb(p.received) });
    if (p.done) stop();
  };
  return { onProgress, stop };
}
