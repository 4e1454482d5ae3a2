import { ArchParseError, type Rng, type SearchSpace, type TokenGrammar } from '../api/index.js';
import { hashCanonical } from './hash.js';
import { mutateTokens, sampleTokens } from './tokens.js';

export const CNN_OPS = ['sep_conv_3x3', 'sep_conv_5x5', 'avg_pool_3x3', 'max_pool_3x3', 'identity'] as const;
export type CnnOp = (typeof CNN_OPS)[number];

/** Nodes per cell (B in the NAO paper). */
export const CNN_NODES = 5;
/** Inputs a node may pick: the two cell inputs (0, 1), then earlier nodes (2, 3, …). */
const INPUT_TOKENS = CNN_NODES + 1;
const TOKENS_PER_NODE = 4;
const TOKENS_PER_CELL = CNN_NODES * TOKENS_PER_NODE;

export interface CnnBranch {
  /** 0 and 1 are the cell's inputs (outputs of the two previous cells), k ≥ 2 is node k − 2 of this cell. */
  readonly input: number;
  readonly op: CnnOp;
}

/** A node sums two branches, each an op applied to an earlier state. */
export type CnnNode = readonly [CnnBranch, CnnBranch];

/** A NAO/ENAS micro cell pair: B nodes of the normal cell and B of the reduction cell. */
export interface CnnMicroArch {
  readonly normal: readonly CnnNode[];
  readonly reduce: readonly CnnNode[];
}

const EXPECTED =
  `'normal:' and 'reduce:' cells joined by ';', each ${CNN_NODES} nodes joined by '|', ` +
  `a node being 'in op in op' with node k (0-based) taking inputs 0..k+1 and ops among ${CNN_OPS.join(', ')}`;

function branchKey(b: CnnBranch): number {
  return b.input * CNN_OPS.length + CNN_OPS.indexOf(b.op);
}

/** The two branches of a node commute: the canonical order puts the smaller (input, op) first. */
function canonicalNode(node: CnnNode): CnnNode {
  return branchKey(node[0]) <= branchKey(node[1]) ? node : [node[1], node[0]];
}

function formatCell(nodes: readonly CnnNode[]): string {
  return nodes.map((n) => canonicalNode(n).map((b) => `${b.input} ${b.op}`).join(' ')).join('|');
}

function format(arch: CnnMicroArch): string {
  return `normal:${formatCell(arch.normal)};reduce:${formatCell(arch.reduce)}`;
}

function parse(text: string): CnnMicroArch {
  const fail = (): never => {
    throw new ArchParseError('cnn-micro', text, EXPECTED);
  };
  const cells = text.split(';');
  if (cells.length !== 2) fail();
  const parseCell = (cell: string, name: string): CnnNode[] => {
    if (!cell.startsWith(`${name}:`)) fail();
    const nodes = cell.slice(name.length + 1).split('|');
    if (nodes.length !== CNN_NODES) fail();
    return nodes.map((node, k) => {
      const parts = node.trim().split(/\s+/);
      if (parts.length !== 4) fail();
      const branch = (input: string, op: string): CnnBranch => {
        if (!/^\d+$/.test(input) || Number(input) > k + 1 || !(CNN_OPS as readonly string[]).includes(op)) fail();
        return { input: Number(input), op: op as CnnOp };
      };
      return [branch(parts[0]!, parts[1]!), branch(parts[2]!, parts[3]!)];
    });
  };
  return { normal: parseCell(cells[0]!, 'normal'), reduce: parseCell(cells[1]!, 'reduce') };
}

/** Token layout: per node [in1, op1, in2, op2], normal cell then reduction cell; inputs are tokens 0..B+1, ops follow. */
const grammar: TokenGrammar = {
  length: 2 * TOKENS_PER_CELL,
  vocabSize: INPUT_TOKENS + 1 + CNN_OPS.length,
  allowed(position) {
    const node = Math.floor((position % TOKENS_PER_CELL) / TOKENS_PER_NODE);
    return position % 2 === 0
      ? Array.from({ length: node + 2 }, (_, i) => i)
      : CNN_OPS.map((_, i) => INPUT_TOKENS + 1 + i);
  },
  name(token) {
    return token <= INPUT_TOKENS ? `in${token}` : (CNN_OPS[token - INPUT_TOKENS - 1] ?? `?${token}`);
  },
};

function toTokens(arch: CnnMicroArch): number[] {
  return [...arch.normal, ...arch.reduce].flatMap((node) =>
    node.flatMap((b) => [b.input, INPUT_TOKENS + 1 + CNN_OPS.indexOf(b.op)]),
  );
}

function fromTokens(tokens: readonly number[]): CnnMicroArch {
  if (tokens.length !== grammar.length || tokens.some((t, p) => !grammar.allowed(p).includes(t))) {
    throw new ArchParseError('cnn-micro', `[${tokens.join(',')}]`, `${grammar.length} tokens, each allowed at its position`);
  }
  const nodes: CnnNode[] = [];
  for (let p = 0; p < tokens.length; p += TOKENS_PER_NODE) {
    const op = (t: number) => CNN_OPS[t - INPUT_TOKENS - 1] as CnnOp;
    nodes.push([
      { input: tokens[p]!, op: op(tokens[p + 1]!) },
      { input: tokens[p + 2]!, op: op(tokens[p + 3]!) },
    ]);
  }
  return { normal: nodes.slice(0, CNN_NODES), reduce: nodes.slice(CNN_NODES) };
}

const cellCount = Array.from({ length: CNN_NODES }, (_, k) => ((k + 2) * CNN_OPS.length) ** 2).reduce((a, b) => a * b, 1);

export const cnnMicroSpace: SearchSpace<CnnMicroArch> = {
  kind: 'cnn-micro',
  description: `NAO-WS/ENAS micro cells: normal + reduction cell, ${CNN_NODES} nodes each summing two (input, op) branches, ops ${CNN_OPS.join(', ')}`,
  // Counts token sequences; swapping a node's two branches gives the same network.
  size: cellCount ** 2,
  grammar,
  sample(rng: Rng) {
    return fromTokens(sampleTokens(grammar, rng));
  },
  mutate: (arch, rng) => fromTokens(mutateTokens(toTokens(arch), grammar, rng)),
  format,
  parse,
  hash: (arch) => hashCanonical(format(arch)),
  toTokens,
  fromTokens,
  equivalents(arch) {
    // Each node with distinct branches, swapped alone: the same network written another way.
    const tokens = toTokens(arch);
    const out: CnnMicroArch[] = [];
    for (let p = 0; p < tokens.length; p += TOKENS_PER_NODE) {
      if (tokens[p] === tokens[p + 2] && tokens[p + 1] === tokens[p + 3]) continue;
      const swapped = tokens.slice();
      swapped.splice(p, TOKENS_PER_NODE, tokens[p + 2]!, tokens[p + 3]!, tokens[p]!, tokens[p + 1]!);
      out.push(fromTokens(swapped));
    }
    return out;
  },
};
