import { Store, type OpenMode } from '../store/store.js';
import { derivedTaskRecord } from '../tasks/record.js';

/**
 * Opens a store for the commands ('read' for those that only look). A store written before task
 * records existed is upgraded once, its experiments' records derived from what they stored, so
 * that everything that reads the store afterwards reads only records.
 */
export function openStore(path: string, mode: OpenMode = 'write'): Store {
  return Store.open(path, mode, { deriveTaskRecord: derivedTaskRecord });
}
