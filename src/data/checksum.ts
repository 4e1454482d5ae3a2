import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';

export interface Digests {
  readonly sha256: string;
  readonly md5: string;
  readonly bytes: number;
}

/** sha256 and md5 in one pass: hosts publish one or the other. */
export class Digester {
  private readonly sha256: Hash = createHash('sha256');
  private readonly md5: Hash = createHash('md5');
  private bytes = 0;

  get received(): number {
    return this.bytes;
  }

  update(chunk: Uint8Array): void {
    this.sha256.update(chunk);
    this.md5.update(chunk);
    this.bytes += chunk.length;
  }

  digest(): Digests {
    return { sha256: this.sha256.digest('hex'), md5: this.md5.digest('hex'), bytes: this.bytes };
  }
}

/** Digests of a file's bytes, or with `gunzip` of its decompressed bytes. */
export async function digestFile(path: string, options: { gunzip?: boolean } = {}): Promise<Digests> {
  const digester = new Digester();
  const file = createReadStream(path);
  const source = options.gunzip ? file.pipe(createGunzip()) : file;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) digester.update(chunk);
  } finally {
    file.destroy();
  }
  return digester.digest();
}
