// The parts of jstat (which ships no types) that src/report/stats.ts uses.
declare module 'jstat' {
  interface Distribution {
    cdf(x: number, ...params: number[]): number;
    pdf(x: number, ...params: number[]): number;
    inv(p: number, ...params: number[]): number;
  }
  const jstat: { jStat: { studentt: Distribution; normal: Distribution } };
  export default jstat;
}
