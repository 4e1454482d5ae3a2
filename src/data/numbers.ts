/** 30000001 → "30,000,001", the form every data error message uses. */
export function grouped(n: number): string {
  return n.toLocaleString('en-US');
}

export function hex32(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}
