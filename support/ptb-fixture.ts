import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../src/api/index.js';
import { PTB_DIR, PTB_FILES } from '../src/data/word-corpus.js';

/**
 * A data directory holding Penn Treebank-format files (one sentence per line, space-separated,
 * leading and trailing space) drawn from a small random Markov chain: learnable, so that cells
 * differ in perplexity, and small enough that a smoke-preset child trains in seconds.
 */
export function writePtbFixture(lines: { train: number; valid: number; test: number } = { train: 300, valid: 40, test: 40 }, words = 24): string {
  const root = mkdtempSync(join(tmpdir(), 'nasbench-ptb-'));
  const dir = join(root, PTB_DIR);
  mkdirSync(dir, { recursive: true });
  const rng = Rng.seeded(7);
  const vocab = Array.from({ length: words }, (_, i) => `w${i}`);
  // Each word has three likely successors.
  const next = vocab.map(() => [rng.int(words), rng.int(words), rng.int(words)]);
  const sentence = () => {
    let w = rng.int(words);
    const out = [vocab[w]];
    for (let i = 1; i < 8 + rng.int(8); i++) {
      w = rng.float() < 0.85 ? (next[w]![rng.int(3)] as number) : rng.int(words);
      out.push(vocab[w]);
    }
    return ` ${out.join(' ')} \n`;
  };
  const text = (n: number, prefix = '') => prefix + Array.from({ length: n }, sentence).join('');
  // Every word appears in the training split, as the PTB loader requires.
  writeFileSync(join(dir, PTB_FILES.train), text(lines.train, ` ${vocab.join(' ')} \n`));
  writeFileSync(join(dir, PTB_FILES.valid), text(lines.valid));
  writeFileSync(join(dir, PTB_FILES.test), text(lines.test));
  return root;
}
