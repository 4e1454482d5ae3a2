import type { SearchSpace } from '../api/index.js';
import { cnnMicroSpace } from './cnn-micro.js';
import { nb201Space } from './nb201.js';
import { rnnCellSpace } from './rnn-cell.js';

const SPACES: ReadonlyMap<string, SearchSpace<unknown>> = new Map<string, SearchSpace<any>>(
  [nb201Space, cnnMicroSpace, rnnCellSpace].map((s) => [s.kind, s]),
);

export function spaceKinds(): string[] {
  return [...SPACES.keys()];
}

export function getSpace(kind: string): SearchSpace<unknown> | undefined {
  return SPACES.get(kind);
}
