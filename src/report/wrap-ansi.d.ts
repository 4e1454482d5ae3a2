// wrap-ansi 7 (CommonJS) ships no types: the call src/report/terminal-fit.ts makes.
declare module 'wrap-ansi' {
  interface Options {
    readonly hard?: boolean;
    readonly trim?: boolean;
    readonly wordWrap?: boolean;
  }
  function wrapAnsi(text: string, columns: number, options?: Options): string;
  export default wrapAnsi;
}
