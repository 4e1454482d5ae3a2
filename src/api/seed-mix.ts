/**
 * Mixes two integers into an unrelated 32-bit seed (splitmix32's finaliser over a + b weighted by
 * two odd constants), in exact integer arithmetic: every input bit counts, whatever the size.
 * The one seed mixer of nasbench: the harness derives evaluation, final and supernet seeds with it,
 * the engine its supernets' data orders and dropout masks.
 */
export function mixSeed(a: number, b: number): number {
  let h = (Math.imul(a >>> 0, 0x9e3779b1) + Math.imul(b >>> 0, 0x85ebca6b) + 0x632be5ab) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x21f0aaad) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x735a2d97) >>> 0;
  return (h ^ (h >>> 15)) >>> 0;
}
