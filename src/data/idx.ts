import { gunzipSync } from 'node:zlib';
import { UserError, errorMessage } from '../errors.js';
import { grouped, hex32 } from './numbers.js';
import { readDataFile } from './read-file.js';

/** IDX magic numbers: two zero bytes, the element type (0x08 = unsigned byte), the number of dimensions. */
export const IDX_UBYTE_IMAGES = 0x00000803;
export const IDX_UBYTE_LABELS = 0x00000801;

export interface IdxImages {
  readonly count: number;
  readonly height: number;
  readonly width: number;
  /** count × height × width bytes, row by row. */
  readonly pixels: Uint8Array;
}

/** Reads a file that may be gzipped, recognising gzip by its magic bytes rather than by its name. */
export function readMaybeGzipped(path: string): { bytes: Uint8Array; gzipped: boolean } {
  const raw = readDataFile(path);
  if (raw.length < 2 || raw[0] !== 0x1f || raw[1] !== 0x8b) return { bytes: raw, gzipped: false };
  try {
    return { bytes: gunzipSync(raw), gzipped: true };
  } catch (err) {
    throw new UserError(`${path}: corrupt gzip data (${errorMessage(err)})`);
  }
}

function readIdx(path: string, magic: number, what: string): { dims: number[]; data: Uint8Array; header: number; gzipped: boolean } {
  const { bytes, gzipped } = readMaybeGzipped(path);
  const ndims = magic & 0xff;
  const header = 4 + 4 * ndims;
  const size = `${grouped(bytes.length)} bytes${gzipped ? ' after gunzip' : ''}`;
  const tooShort = (need: number) =>
    new UserError(`${path}: ${size} is too short for an IDX header, expected at least ${need} bytes (IDX unsigned-byte ${what})`);
  if (bytes.length < 4) throw tooShort(header);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const found = view.getUint32(0);
  if (found !== magic) {
    throw new UserError(`${path}: magic number ${hex32(found)} at byte 0, expected ${hex32(magic)} (IDX unsigned-byte ${what})`);
  }
  if (bytes.length < header) throw tooShort(header);
  const dims = Array.from({ length: ndims }, (_, i) => view.getUint32(4 + 4 * i));
  const expected = header + dims.reduce((a, b) => a * b, 1);
  if (bytes.length !== expected) {
    const shape = dims.length === 1 ? `${grouped(dims[0] as number)} ${what}` : `${grouped(dims[0] as number)} ${what} of ${dims.slice(1).join('×')} bytes`;
    throw new UserError(`${path}: ${size}, expected ${grouped(expected)} (${header}-byte header + ${shape}, as the header says)`);
  }
  return { dims, data: bytes.subarray(header), header, gzipped };
}

/** Reads IDX unsigned-byte images (MNIST and Fashion-MNIST `*-images-idx3-ubyte`, plain or gzipped). */
export function readIdxImages(path: string): IdxImages {
  const { dims, data } = readIdx(path, IDX_UBYTE_IMAGES, 'images');
  const [count, height, width] = dims as [number, number, number];
  return { count, height, width, pixels: data };
}

/** Reads IDX unsigned-byte labels, each of which must be a class index below `classes`. */
export function readIdxLabels(path: string, classes: number): Uint8Array {
  const { data, header } = readIdx(path, IDX_UBYTE_LABELS, 'labels');
  const bad = data.findIndex((v) => v >= classes);
  if (bad >= 0) {
    throw new UserError(`${path}: label ${data[bad]} at byte offset ${grouped(header + bad)} is out of range, expected 0–${classes - 1}`);
  }
  return data;
}
