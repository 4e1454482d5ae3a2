import { ArchParseError, type Rng, type SearchSpace, type TokenGrammar } from '../api/index.js';
import { hashCanonical } from './hash.js';

export const NB201_OPS = ['none', 'skip_connect', 'nor_conv_1x1', 'nor_conv_3x3', 'avg_pool_3x3'] as const;
export type Nb201Op = (typeof NB201_OPS)[number];

/** Source node of each of the 6 edges, in the order of the standard string (node 1, node 2, node 3). */
const EDGE_SOURCES = [0, 0, 1, 0, 1, 2] as const;
const NODE_EDGE_COUNTS = [1, 2, 3] as const;

/** A NAS-Bench-201 cell: the operation on each of its 6 edges. */
export interface Nb201Arch {
  readonly ops: readonly [Nb201Op, Nb201Op, Nb201Op, Nb201Op, Nb201Op, Nb201Op];
}

const EXPECTED =
  "3 groups '|op~j|' joined by '+' for nodes 1-3 with 1, 2 and 3 edges (j = 0.. node-1), " +
  `ops among ${NB201_OPS.join(', ')}`;

function isOp(name: string): name is Nb201Op {
  return (NB201_OPS as readonly string[]).includes(name);
}

function format(arch: Nb201Arch): string {
  let at = 0;
  return NODE_EDGE_COUNTS.map((count) => {
    const edges: string[] = [];
    for (let j = 0; j < count; j++) edges.push(`${arch.ops[at++]}~${j}`);
    return `|${edges.join('|')}|`;
  }).join('+');
}

// Every cell is parsed over and over (by the harness, the table, searchers): with 15,625
// possible strings, remembering them all is cheap and the frozen results are safe to share.
const parsed = new Map<string, Nb201Arch>();

function parse(text: string): Nb201Arch {
  let arch = parsed.get(text);
  if (arch === undefined) {
    arch = Object.freeze({ ops: Object.freeze(parseUncached(text)) as unknown as Nb201Arch['ops'] });
    parsed.set(text, arch);
  }
  return arch;
}

function parseUncached(text: string): Nb201Op[] {
  const fail = (): never => {
    throw new ArchParseError('nb201', text, EXPECTED);
  };
  const nodes = text.split('+');
  if (nodes.length !== 3) fail();
  const ops: Nb201Op[] = [];
  nodes.forEach((node, i) => {
    if (!node.startsWith('|') || !node.endsWith('|') || node.length < 2) fail();
    const edges = node.slice(1, -1).split('|');
    if (edges.length !== NODE_EDGE_COUNTS[i]) fail();
    edges.forEach((edge, j) => {
      const [op, source, ...rest] = edge.split('~');
      if (rest.length > 0 || source !== String(j) || op === undefined || !isOp(op)) fail();
      ops.push(op as Nb201Op);
    });
  });
  return ops;
}

const grammar: TokenGrammar = {
  length: EDGE_SOURCES.length,
  vocabSize: NB201_OPS.length,
  allowed: () => NB201_OPS.map((_, i) => i),
  name: (token) => NB201_OPS[token] ?? `?${token}`,
};

/** The NAS-Bench-201 cell space: 4 nodes, 6 edges, 5 ops, 15,625 cells. */
export const nb201Space: SearchSpace<Nb201Arch> = {
  kind: 'nb201',
  description: 'NAS-Bench-201 cell: 4 nodes, 6 edges, ops none/skip/conv1x1/conv3x3/avgpool3x3 (15,625 cells)',
  size: NB201_OPS.length ** EDGE_SOURCES.length,
  grammar,
  sample(rng: Rng) {
    return { ops: EDGE_SOURCES.map(() => rng.pick(NB201_OPS)) as unknown as Nb201Arch['ops'] };
  },
  mutate(arch, rng) {
    const edge = rng.int(arch.ops.length);
    const current = arch.ops[edge];
    const ops = arch.ops.slice() as unknown as Nb201Op[];
    ops[edge] = rng.pick(NB201_OPS.filter((op) => op !== current));
    return { ops: ops as unknown as Nb201Arch['ops'] };
  },
  format,
  parse,
  hash: (arch) => hashCanonical(format(arch)),
  toTokens: (arch) => arch.ops.map((op) => NB201_OPS.indexOf(op)),
  fromTokens(tokens) {
    if (tokens.length !== EDGE_SOURCES.length || tokens.some((t) => !Number.isInteger(t) || t < 0 || t >= NB201_OPS.length)) {
      throw new ArchParseError('nb201', `[${tokens.join(',')}]`, `${EDGE_SOURCES.length} op tokens in 0..${NB201_OPS.length - 1}`);
    }
    return { ops: tokens.map((t) => NB201_OPS[t]) as unknown as Nb201Arch['ops'] };
  },
  // Distinct strings are distinct cells here; isomorphic cells are not merged (as in the benchmark's tables).
  equivalents: () => [],
};
