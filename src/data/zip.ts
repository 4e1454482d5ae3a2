import { readFile, writeFile } from 'node:fs/promises';
import { crc32, inflateRawSync } from 'node:zlib';
import { UserError, errorMessage } from '../errors.js';
import { grouped } from './numbers.js';

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_FILE_HEADER = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;

/**
 * Writes the members asked for (archive path → destination file) out of a zip archive, checking
 * each one's CRC-32. The whole archive is read into memory: the archives used here are a few MB.
 */
export async function extractZip(archive: string, wanted: ReadonlyMap<string, string>): Promise<Set<string>> {
  const zip = await readFile(archive);
  const fail = (what: string) => new UserError(`${archive}: ${what}`);
  const eocd = findEndOfCentralDirectory(zip);
  if (eocd < 0) throw fail('not a zip archive (no end-of-central-directory record)');
  const entries = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  if (at === 0xffffffff) throw fail('ZIP64 archives are not supported');
  const found = new Set<string>();
  for (let i = 0; i < entries; i++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== CENTRAL_FILE_HEADER) throw fail(`corrupt central directory at byte offset ${grouped(at)}`);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const packed = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const dest = wanted.get(name);
    if (dest === undefined) continue;
    if (local + 30 > zip.length || zip.readUInt32LE(local) !== LOCAL_FILE_HEADER) throw fail(`corrupt local header for ${name} at byte offset ${grouped(local)}`);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    if (start + packed > zip.length) throw fail(`${name} is cut short: the archive ends at byte ${grouped(zip.length)}, the member at ${grouped(start + packed)}`);
    const raw = zip.subarray(start, start + packed);
    let data: Buffer;
    if (method === 0) data = raw;
    else if (method === 8) {
      try {
        data = inflateRawSync(raw);
      } catch (err) {
        throw fail(`${name} is corrupt (${errorMessage(err)})`);
      }
    } else throw fail(`${name} uses compression method ${method}; only stored (0) and deflate (8) are supported`);
    if (data.length !== size || crc32(data) !== crc) throw fail(`${name} is corrupt (size or CRC-32 differs from the archive's directory)`);
    await writeFile(dest, data);
    found.add(name);
  }
  return found;
}

function findEndOfCentralDirectory(zip: Buffer): number {
  // The record is 22 bytes plus a comment of up to 65,535 bytes, at the very end.
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at--) {
    if (zip.readUInt32LE(at) === END_OF_CENTRAL_DIRECTORY) return at;
  }
  return -1;
}
