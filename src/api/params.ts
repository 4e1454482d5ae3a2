/** Documented hyper-parameters a plugin accepts (`--param key=value`). */
export type ParamSpec =
  | { readonly type: 'int'; readonly default: number; readonly min?: number; readonly max?: number; readonly doc: string }
  | { readonly type: 'float'; readonly default: number; readonly min?: number; readonly max?: number; readonly doc: string }
  | { readonly type: 'bool'; readonly default: boolean; readonly doc: string }
  | { readonly type: 'enum'; readonly default: string; readonly choices: readonly string[]; readonly doc: string };

export type ParamSpecs = Readonly<Record<string, ParamSpec>>;

export type ParamValue = number | boolean | string;

/** The resolved values, typed from the specs. */
export type ParamValues<P extends ParamSpecs> = {
  readonly [K in keyof P]: P[K] extends { type: 'bool' } ? boolean : P[K] extends { type: 'enum' } ? string : number;
};
