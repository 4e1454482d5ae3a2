import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { UserError, errorMessage } from '../errors.js';
import { extracting, isFileSystemError, unreadableArchive, type MemberFile, type WantedMembers } from './member-file.js';
import { grouped } from './numbers.js';

const BLOCK = 512;

interface Entry {
  left: number;
  pad: number;
  out: MemberFile | null;
  /** Collected body of a metadata entry (pax header or GNU long name). */
  meta: Buffer[] | null;
  type: string;
  name: string;
}

/**
 * Streams a .tar.gz once and writes the members asked for (archive path → destination file and
 * its most bytes), without unpacking anything else. Returns the members it found. A member larger
 * than its cap is refused before a byte of it is written; on any failure the files written are
 * removed. Handles ustar, pax and GNU long names, which covers the archives the data sets are
 * published as.
 */
export function extractTarGz(archive: string, wanted: WantedMembers): Promise<Set<string>> {
  return extracting((open) => readTarGz(archive, wanted, open), archive);
}

async function readTarGz(archive: string, wanted: WantedMembers, open: (member: string, target: { dest: string; maxBytes: number }) => MemberFile): Promise<Set<string>> {
  const found = new Set<string>();
  let pending: Buffer = Buffer.alloc(0);
  let offset = 0; // position of pending[0] in the uncompressed tar stream
  let entry: Entry | null = null;
  let longName: string | null = null;
  let ended = false;
  const file = createReadStream(archive);
  const source = createGunzip();
  // pipe() does not pass a read error on: without this a missing archive is an uncaught error.
  file.on('error', (err) => source.destroy(err));
  file.pipe(source);
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      const buf = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
      let pos = 0;
      while (!ended) {
        if (entry) {
          const take = Math.min(entry.left, buf.length - pos);
          if (take > 0) {
            const part = buf.subarray(pos, pos + take);
            if (entry.out) await entry.out.write(part);
            entry.meta?.push(Buffer.from(part));
            pos += take;
            entry.left -= take;
          }
          const skip = Math.min(entry.pad, buf.length - pos);
          pos += skip;
          entry.pad -= skip;
          if (entry.left > 0 || entry.pad > 0) break;
          if (entry.out) await entry.out.close();
          if (entry.meta) longName = metaName(entry.type, Buffer.concat(entry.meta)) ?? longName;
          entry = null;
          continue;
        }
        if (buf.length - pos < BLOCK) break;
        const header = buf.subarray(pos, pos + BLOCK);
        const at = offset + pos;
        pos += BLOCK;
        if (header.every((b) => b === 0)) {
          ended = true; // end-of-archive marker
          break;
        }
        checkHeader(archive, header, at);
        const size = octal(header, 124, 12);
        const type = String.fromCharCode(header[156] as number);
        const name = (longName ?? headerName(header)).replace(/^\.\//, '');
        entry = { left: size, pad: (BLOCK - (size % BLOCK)) % BLOCK, out: null, meta: null, type, name };
        if (type === 'x' || type === 'L') entry.meta = [];
        else if (type === '0' || type === '\0') {
          longName = null;
          const target = wanted.get(name);
          if (target !== undefined) {
            if (size > target.maxBytes) throw new UserError(`${archive}: ${name} is ${grouped(size)} bytes, expected at most ${grouped(target.maxBytes)}`);
            found.add(name);
            entry.out = open(name, target);
          }
        } else if (type !== 'g') longName = null;
      }
      offset += pos;
      pending = buf.subarray(pos);
      if (ended) break;
    }
  } catch (err) {
    if (err instanceof UserError) throw err;
    if (isFileSystemError(err)) throw unreadableArchive(archive, err);
    const inside = entry ? `, inside ${entry.name}` : '';
    throw new UserError(`${archive}: corrupt archive (${errorMessage(err)})${inside}`);
  } finally {
    source.destroy();
    file.destroy();
  }
  if (!ended && (entry !== null || pending.length > 0)) {
    const inside = entry ? `, inside ${entry.name}` : '';
    throw new UserError(`${archive}: the archive ends early, at byte offset ${grouped(offset + pending.length)} of its tar stream${inside}`);
  }
  return found;
}

function checkHeader(archive: string, header: Buffer, at: number): void {
  // Some old writers summed the bytes as signed chars; accept either sum, as GNU tar does.
  let sum = 0;
  let signedSum = 0;
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : (header[i] as number);
    sum += b;
    signedSum += b > 127 ? b - 256 : b;
  }
  const stored = octal(header, 148, 8);
  if (stored !== sum && stored !== signedSum) {
    throw new UserError(`${archive}: corrupt tar header at byte offset ${grouped(at)} of its tar stream (checksum ${stored}, computed ${sum})`);
  }
}

function cString(header: Buffer, start: number, length: number): string {
  const field = header.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end < 0 ? length : end).toString('utf8');
}

function headerName(header: Buffer): string {
  const name = cString(header, 0, 100);
  // Only POSIX ustar has a name prefix there; GNU tar ("ustar  ") keeps other fields at that offset.
  const isUstar = header.subarray(257, 263).toString('latin1') === 'ustar\0';
  const prefix = isUstar ? cString(header, 345, 155) : '';
  return prefix ? `${prefix}/${name}` : name;
}

function octal(header: Buffer, start: number, length: number): number {
  // GNU tar writes sizes too big for octal as base-256, flagged by the high bit.
  if ((header[start] as number) & 0x80) {
    let value = (header[start] as number) & 0x7f;
    for (let i = start + 1; i < start + length; i++) value = value * 256 + (header[i] as number);
    return value;
  }
  const text = cString(header, start, length).trim();
  return text === '' ? 0 : parseInt(text, 8);
}

/** The member name that a pax ('x') or GNU long-name ('L') entry sets for the next entry. */
function metaName(type: string, body: Buffer): string | null {
  if (type === 'L') return cString(body, 0, body.length);
  for (const record of body.toString('utf8').split('\n')) {
    const match = /^\d+ path=(.*)$/.exec(record);
    if (match) return match[1] as string;
  }
  return null;
}
