import { ArchParseError, type Rng, type SearchSpace, type TokenGrammar } from '../api/index.js';
import { hashCanonical } from './hash.js';
import { mutateTokens, sampleTokens } from './tokens.js';

export const RNN_ACTIVATIONS = ['tanh', 'relu', 'identity', 'sigmoid'] as const;
export type RnnActivation = (typeof RNN_ACTIVATIONS)[number];

/** Searched nodes after the initial state (ENAS/NAO PTB cell). */
export const RNN_NODES = 12;

export interface RnnNode {
  /** The state this node reads: 0 is the initial state (from x_t and h_{t-1}), k ≥ 1 is node k. */
  readonly prev: number;
  readonly activation: RnnActivation;
}

/**
 * An ENAS/NAO recurrent cell: node k (1-based) reads one earlier state and applies a highway
 * update with its activation. The cell's output is the mean of all 12 nodes, as in the NAO and
 * DARTS code (ENAS averages only the loose ends).
 */
export interface RnnCellArch {
  readonly nodes: readonly RnnNode[];
}

const EXPECTED = `${RNN_NODES} nodes 'prev activation' joined by '|', node k (1-based) reading a state 0..k-1, activations among ${RNN_ACTIVATIONS.join(', ')}`;

function format(arch: RnnCellArch): string {
  return arch.nodes.map((n) => `${n.prev} ${n.activation}`).join('|');
}

function parse(text: string): RnnCellArch {
  const fail = (): never => {
    throw new ArchParseError('rnn-cell', text, EXPECTED);
  };
  const parts = text.split('|');
  if (parts.length !== RNN_NODES) fail();
  return {
    nodes: parts.map((part, i) => {
      const [prev, activation, ...rest] = part.trim().split(/\s+/);
      if (rest.length > 0 || prev === undefined || !/^\d+$/.test(prev) || Number(prev) > i) fail();
      if (!(RNN_ACTIVATIONS as readonly string[]).includes(activation ?? '')) fail();
      return { prev: Number(prev), activation: activation as RnnActivation };
    }),
  };
}

/** Token layout: per node [prev, activation]; prev tokens 0..11, activations follow. */
const grammar: TokenGrammar = {
  length: 2 * RNN_NODES,
  vocabSize: RNN_NODES + RNN_ACTIVATIONS.length,
  allowed(position) {
    const node = Math.floor(position / 2);
    return position % 2 === 0 ? Array.from({ length: node + 1 }, (_, i) => i) : RNN_ACTIVATIONS.map((_, i) => RNN_NODES + i);
  },
  name(token) {
    return token < RNN_NODES ? `s${token}` : (RNN_ACTIVATIONS[token - RNN_NODES] ?? `?${token}`);
  },
};

function toTokens(arch: RnnCellArch): number[] {
  return arch.nodes.flatMap((n) => [n.prev, RNN_NODES + RNN_ACTIVATIONS.indexOf(n.activation)]);
}

function fromTokens(tokens: readonly number[]): RnnCellArch {
  if (tokens.length !== grammar.length || tokens.some((t, p) => !grammar.allowed(p).includes(t))) {
    throw new ArchParseError('rnn-cell', `[${tokens.join(',')}]`, `${grammar.length} tokens, each allowed at its position`);
  }
  const nodes: RnnNode[] = [];
  for (let p = 0; p < tokens.length; p += 2) {
    nodes.push({ prev: tokens[p]!, activation: RNN_ACTIVATIONS[tokens[p + 1]! - RNN_NODES] as RnnActivation });
  }
  return { nodes };
}

export const rnnCellSpace: SearchSpace<RnnCellArch> = {
  kind: 'rnn-cell',
  description: `ENAS/NAO recurrent cell: ${RNN_NODES} nodes, each reading one earlier state with a highway update and an activation among ${RNN_ACTIVATIONS.join(', ')}`,
  size: Array.from({ length: RNN_NODES }, (_, k) => (k + 1) * RNN_ACTIVATIONS.length).reduce((a, b) => a * b, 1),
  grammar,
  sample(rng: Rng) {
    return fromTokens(sampleTokens(grammar, rng));
  },
  // Node 1's input is fixed (state 0): mutateTokens draws only positions with a real alternative.
  mutate: (arch, rng) => fromTokens(mutateTokens(toTokens(arch), grammar, rng)),
  format,
  parse,
  hash: (arch) => hashCanonical(format(arch)),
  toTokens,
  fromTokens,
  equivalents: () => [],
};
