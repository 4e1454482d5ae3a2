import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import { UserError, errorMessage } from '../errors.js';
import { grouped } from './numbers.js';

/** Where an archive member goes, and the most bytes it may have (its expected size). */
export interface Extraction {
  readonly dest: string;
  readonly maxBytes: number;
}

/** Archive member name → where it goes. */
export type WantedMembers = ReadonlyMap<string, Extraction>;

/**
 * One member being written out of an archive: never more than its cap, every write error turned
 * into one line naming the archive, the member and the destination, and removable on failure.
 */
export class MemberFile {
  private readonly out: WriteStream;
  private failure: unknown = null;
  private written = 0;

  constructor(
    private readonly archive: string,
    private readonly member: string,
    private readonly target: Extraction,
  ) {
    this.out = createWriteStream(target.dest);
    // Recorded here and raised by the next write or close: an 'error' event without a listener
    // would crash the process.
    this.out.on('error', (err) => (this.failure ??= err));
  }

  async write(chunk: Uint8Array): Promise<void> {
    this.written += chunk.length;
    if (this.written > this.target.maxBytes) {
      throw new UserError(`${this.archive}: ${this.member} is more than ${grouped(this.target.maxBytes)} bytes, the most expected of it`);
    }
    this.raise();
    if (!this.out.write(chunk)) {
      try {
        await once(this.out, 'drain');
      } catch (err) {
        this.failure ??= err;
      }
    }
    this.raise();
  }

  async close(): Promise<void> {
    this.raise();
    this.out.end();
    try {
      await finished(this.out);
    } catch (err) {
      this.failure ??= err;
    }
    this.raise();
  }

  /** Stops writing and removes the file. */
  async discard(): Promise<void> {
    this.out.destroy();
    await finished(this.out).catch(() => {});
    await rm(this.target.dest, { force: true });
  }

  private raise(): void {
    if (this.failure !== null) {
      throw new UserError(`${this.archive}: cannot write ${this.member} to ${this.target.dest}: ${errorMessage(this.failure)}`);
    }
  }
}

/** Runs an extraction; when it fails, every member file it opened is removed. */
export async function extracting<T>(body: (open: (member: string, target: Extraction) => MemberFile) => Promise<T>, archive: string): Promise<T> {
  const opened: MemberFile[] = [];
  try {
    return await body((member, target) => {
      const file = new MemberFile(archive, member, target);
      opened.push(file);
      return file;
    });
  } catch (err) {
    await Promise.all(opened.map((f) => f.discard()));
    throw err;
  }
}

/** The one line for an archive that cannot be opened or read (missing, a directory, no permission). */
export function unreadableArchive(archive: string, err: unknown): UserError {
  return new UserError(`${archive}: cannot read the archive: ${errorMessage(err)}`);
}

/** Whether an error comes from the file system (it has a syscall), not from decoding. */
export function isFileSystemError(err: unknown): boolean {
  return typeof (err as NodeJS.ErrnoException | null)?.syscall === 'string';
}
