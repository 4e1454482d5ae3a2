import { createHash } from 'node:crypto';
import type { ArchHash } from '../api/index.js';

/** First 16 hex digits of the SHA-256 of a canonical architecture string. */
export function hashCanonical(canonical: string): ArchHash {
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16) as ArchHash;
}
