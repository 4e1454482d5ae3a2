import { crc32 } from 'node:zlib';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { UserError, errorMessage } from '../errors.js';
import { extracting, isFileSystemError, unreadableArchive, type MemberFile, type WantedMembers } from './member-file.js';
import { grouped } from './numbers.js';

/**
 * Writes the members asked for (archive path → destination file and its most bytes) out of a zip
 * archive (yauzl), inflating each as a stream: a member whose directory entry declares more than
 * its cap is refused before it is inflated, and one that inflates beyond its declared size (a zip
 * bomb that lies) is stopped there. Each member's CRC-32 is checked; on any failure the files
 * written are removed.
 */
export async function extractZip(archive: string, wanted: WantedMembers): Promise<Set<string>> {
  let zip: ZipFile;
  try {
    zip = await yauzl.openPromise(archive, { lazyEntries: true, autoClose: false, validateEntrySizes: false });
  } catch (err) {
    if (isFileSystemError(err)) throw unreadableArchive(archive, err);
    throw new UserError(`${archive}: not a zip archive (${errorMessage(err)})`);
  }
  try {
    return await extracting(async (open) => {
      const found = new Set<string>();
      for (let entry = await nextEntry(zip, archive); entry !== null; entry = await nextEntry(zip, archive)) {
        const target = wanted.get(entry.fileName);
        if (target === undefined) continue;
        if (entry.uncompressedSize > target.maxBytes) {
          throw new UserError(`${archive}: ${entry.fileName} is ${grouped(entry.uncompressedSize)} bytes once inflated, expected at most ${grouped(target.maxBytes)}`);
        }
        await inflateMember(zip, entry, archive, open(entry.fileName, target));
        found.add(entry.fileName);
      }
      return found;
    }, archive);
  } finally {
    zip.close();
  }
}

async function inflateMember(zip: ZipFile, entry: Entry, archive: string, out: MemberFile): Promise<void> {
  const corrupt = (why: string) => new UserError(`${archive}: ${entry.fileName} is corrupt (${why})`);
  const declared = entry.uncompressedSize;
  let crc = 0;
  let bytes = 0;
  let stream: NodeJS.ReadableStream | null = null;
  try {
    stream = await zip.openReadStreamPromise(entry);
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      if (bytes > declared) throw corrupt(`it inflates to more than the ${grouped(declared)} bytes the archive declares`);
      crc = crc32(chunk, crc);
      await out.write(chunk);
    }
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw corrupt(errorMessage(err));
  } finally {
    (stream as { destroy?: () => void } | null)?.destroy?.();
  }
  if (bytes !== declared || crc !== entry.crc32) throw corrupt(`size or CRC-32 differs from the archive's directory`);
  await out.close();
}

/** The next entry of the central directory, or null at its end. */
function nextEntry(zip: ZipFile, archive: string): Promise<Entry | null> {
  return new Promise((resolve, reject) => {
    const settle = (fn: () => void) => {
      zip.removeListener('entry', onEntry).removeListener('end', onEnd).removeListener('error', onError);
      fn();
    };
    const onEntry = (entry: Entry) => settle(() => resolve(entry));
    const onEnd = () => settle(() => resolve(null));
    const onError = (err: Error) => settle(() => reject(new UserError(`${archive}: corrupt zip directory (${errorMessage(err)})`)));
    zip.on('entry', onEntry).on('end', onEnd).on('error', onError);
    zip.readEntry();
  });
}
