import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import { UserError, errorMessage } from '../errors.js';
import { Digester, type Digests } from './checksum.js';

export interface DownloadProgress {
  readonly url: string;
  readonly received: number;
  /** From Content-Length; null when the server does not say. */
  readonly total: number | null;
  readonly done: boolean;
}

export interface DownloadOptions {
  readonly onProgress?: (progress: DownloadProgress) => void;
  /** Give up when the server has not answered (or sent a byte) for this long. */
  readonly stallMs?: number;
  /** Stops the download (e.g. on Ctrl-C); it then fails as interrupted. */
  readonly signal?: AbortSignal;
}

/** A URL that could not be fetched; the message says which and why, on one line. */
export class DownloadError extends UserError {
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`cannot download ${url}: ${reason}`);
  }
}

const STALL_MS = 30_000;

/**
 * Downloads url to dest, hashing as it goes. On any failure dest is removed, so the caller never
 * sees a partial file.
 */
export async function download(url: string, dest: string, options: DownloadOptions = {}): Promise<Digests> {
  const stallMs = options.stallMs ?? STALL_MS;
  const controller = new AbortController();
  let timer = setTimeout(() => controller.abort(), stallMs);
  const interrupted = () => options.signal?.aborted === true;
  const onInterrupt = () => controller.abort();
  options.signal?.addEventListener('abort', onInterrupt);
  const alive = () => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(), stallMs);
  };
  const out = createWriteStream(dest);
  // A write error (e.g. a full disk) surfaces through once('drain') or finished() below; without a
  // listener it would instead crash the process.
  out.on('error', () => {});
  try {
    let response: Response;
    try {
      response = await fetch(url, { signal: controller.signal, redirect: 'follow' });
    } catch (err) {
      throw new DownloadError(url, interrupted() ? 'interrupted' : controller.signal.aborted ? `no answer within ${stallMs / 1000} s` : networkReason(err));
    }
    if (!response.ok || !response.body) throw new DownloadError(url, `HTTP ${response.status} ${response.statusText}`.trim());
    const length = Number(response.headers.get('content-length'));
    const total = Number.isFinite(length) && length > 0 && !response.headers.get('content-encoding') ? length : null;
    const digester = new Digester();
    options.onProgress?.({ url, received: 0, total, done: false });
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        alive();
        digester.update(chunk);
        if (!out.write(chunk)) await once(out, 'drain');
        options.onProgress?.({ url, received: digester.received, total, done: false });
      }
    } catch (err) {
      throw new DownloadError(url, interrupted() ? 'interrupted' : controller.signal.aborted ? `stalled: no data for ${stallMs / 1000} s` : `transfer failed (${networkReason(err)})`);
    }
    out.end();
    await finished(out);
    const digests = digester.digest();
    if (total !== null && digests.bytes !== total) {
      throw new DownloadError(url, `got ${digests.bytes} bytes, the server announced ${total}`);
    }
    options.onProgress?.({ url, received: digests.bytes, total, done: true });
    return digests;
  } catch (err) {
    out.destroy();
    await rm(dest, { force: true });
    throw err;
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onInterrupt);
  }
}

const REASONS: Record<string, string> = {
  ENOTFOUND: 'host not found (offline?)',
  EAI_AGAIN: 'DNS lookup failed (offline?)',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  ENETUNREACH: 'network unreachable (offline?)',
  EHOSTUNREACH: 'host unreachable (offline?)',
};

/** Node's fetch says only "fetch failed"; the reason is in its cause. */
function networkReason(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  const code = cause?.code ?? (err as { code?: string })?.code;
  if (code && REASONS[code]) return `${REASONS[code]} (${code})`;
  // The fetch standard forbids some ports (e.g. 9, 25); undici says only "bad port".
  if (cause?.message === 'bad port') return 'fetch refuses to connect to this port (bad port)';
  return cause?.message ?? errorMessage(err);
}
