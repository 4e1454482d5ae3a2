import { readFileSync } from 'node:fs';
import { UserError, errorMessage } from '../errors.js';

/** Reads a whole data file, turning "not there" and "not readable" into one-line user errors. */
export function readDataFile(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UserError(`${path}: file not found`);
    if (code === 'EISDIR') throw new UserError(`${path}: is a directory, expected a file`);
    throw new UserError(`${path}: cannot read: ${errorMessage(err)}`);
  }
}
