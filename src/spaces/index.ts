import type { SearchSpace } from '../api/index.js';
import { nb201Space } from './nb201.js';

const SPACES: ReadonlyMap<string, SearchSpace<unknown>> = new Map<string, SearchSpace<any>>([[nb201Space.kind, nb201Space]]);

export function spaceKinds(): string[] {
  return [...SPACES.keys()];
}

export function getSpace(kind: string): SearchSpace<unknown> | undefined {
  return SPACES.get(kind);
}
