import type { TokenGrammar } from 'nasbench/api';

/**
 * How the controller decides one token. ENAS picks a node's inputs by attention over the states
 * of earlier nodes and its ops by a softmax; the grammar does not say which position is which, so
 * it is read off the allowed sets (see {@link readLayout}).
 */
export type PositionLayout =
  | {
      readonly kind: 'op';
      readonly allowed: readonly number[];
    }
  | {
      readonly kind: 'input';
      readonly allowed: readonly number[];
      /**
       * Token values whose anchor (the state an attention key is made of) becomes the controller's
       * state just before this position: the nodes that were completed since the previous input
       * choice, or every allowed value where a new cell starts.
       */
      readonly arrivals: readonly number[];
    };

export interface Layout {
  readonly length: number;
  readonly vocabSize: number;
  readonly positions: readonly PositionLayout[];
  /** One more than the largest token value any input position allows (rows of the per-value key table); 0 without input positions. */
  readonly inputValues: number;
}

const isStrictSubset = (a: ReadonlySet<number>, b: ReadonlySet<number>) => a.size < b.size && [...a].every((t) => b.has(t));

/**
 * Reads the grammar as ENAS's controller sees it. A position is an input choice when its allowed
 * set is strictly nested with another position's: node indices, of which a later node may read
 * more (cnn-micro's inputs 0..k+1, rnn-cell's previous states 0..k−1). Positions whose choices
 * never grow or shrink are ops (every NAS-Bench-201 edge, every op and activation).
 */
export function readLayout(grammar: TokenGrammar): Layout {
  const sets = Array.from({ length: grammar.length }, (_, p) => new Set(grammar.allowed(p)));
  let previous: ReadonlySet<number> | null = null;
  let inputValues = 0;
  const positions = sets.map((set, p): PositionLayout => {
    const allowed = [...grammar.allowed(p)];
    const nested = sets.some((other) => isStrictSubset(set, other) || isStrictSubset(other, set));
    if (!nested) return { kind: 'op', allowed };
    // A set that does not contain the previous input choice's starts a new cell: its inputs are
    // new states even where their numbers repeat.
    const extends_ = previous !== null && [...previous].every((t) => set.has(t));
    const arrivals = extends_ ? allowed.filter((t) => !previous!.has(t)) : allowed;
    previous = set;
    inputValues = Math.max(inputValues, ...allowed.map((t) => t + 1));
    return { kind: 'input', allowed, arrivals };
  });
  return { length: grammar.length, vocabSize: grammar.vocabSize, positions, inputValues };
}
