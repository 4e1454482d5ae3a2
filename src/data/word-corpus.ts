import { join } from 'node:path';
import { UserError } from '../errors.js';
import { grouped } from './numbers.js';
import { readDataFile } from './read-file.js';
import type { TextCorpus } from './types.js';
import { decodeUtf8 } from './utf8.js';
import { WordTable } from './word-table.js';

export const EOS = '<eos>';
export const UNK = '<unk>';

export interface CorpusFiles {
  readonly train: string;
  readonly valid: string;
  readonly test: string;
}

export interface CorpusOptions {
  /**
   * A valid or test word the training split never uses: 'unk' maps it to `<unk>` (an error if the
   * vocabulary has none), 'error' rejects it. PTB and WikiText-2 have no such words, so they use 'error'.
   */
  readonly unknownWords?: 'unk' | 'error';
}

export const PTB_DIR = 'ptb';
export const PTB_FILES: CorpusFiles = { train: 'ptb.train.txt', valid: 'ptb.valid.txt', test: 'ptb.test.txt' };
export const WIKITEXT2_DIR = 'wikitext-2';
export const WIKITEXT2_FILES: CorpusFiles = { train: 'train.txt', valid: 'valid.txt', test: 'test.txt' };

/**
 * Reads a word-level corpus the way the Mikolov/Zaremba PTB and AWD-LSTM WikiText-2 readers do:
 * each line (ended by \n) is split on whitespace and ends with `<eos>`, empty lines too, so token
 * counts match the published ones. Whitespace is Python's `str.split()` set, not JavaScript's `\s`:
 * U+FEFF is part of a word (WikiText-2 has 36 such tokens). The vocabulary is every distinct training
 * token in order of first appearance, which makes ids reproducible from the training file alone.
 */
export function loadWordCorpus(name: string, files: CorpusFiles, options: CorpusOptions = {}): TextCorpus {
  const table = new WordTable();
  let eos = -1;
  const eosId = () => (eos >= 0 ? eos : (eos = table.addWord(EOS)));
  const train = tokenize(files.train, (bytes, start, end) => table.add(bytes, start, end), eosId);
  const unk = options.unknownWords === 'error' ? -1 : table.findWord(UNK);
  const knownWord = (path: string): WordId => (bytes, start, end, line) => {
    const id = table.find(bytes, start, end);
    if (id >= 0) return id;
    if (unk >= 0) return unk;
    const word = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.subarray(start, end));
    const why = options.unknownWords === 'error' ? ` (${name} valid and test use only training words)` : `, which has no ${UNK} to map it to`;
    throw new UserError(`${path} line ${grouped(line)}: word '${word}' is not in the vocabulary of ${files.train}${why}`);
  };
  const valid = tokenize(files.valid, knownWord(files.valid), eosId);
  const test = tokenize(files.test, knownWord(files.test), eosId);
  return { name, vocab: table.words, train, valid, test, files };
}

type WordId = (bytes: Uint8Array, start: number, end: number, line: number) => number;

/** Scans the UTF-8 bytes directly; see WordTable for why. */
function tokenize(path: string, idOf: WordId, eosId: () => number): Int32Array {
  const bytes = readDataFile(path);
  decodeUtf8(bytes, path); // only to reject malformed text: the scan below works on the bytes
  let out = new Int32Array(Math.max(16, bytes.length >> 2));
  let count = 0;
  const push = (id: number) => {
    if (count === out.length) {
      const bigger = new Int32Array(out.length * 2);
      bigger.set(out);
      out = bigger;
    }
    out[count++] = id;
  };
  const n = bytes.length;
  let line = 1;
  let start = -1;
  for (let i = 0; i < n; ) {
    const c = bytes[i] as number;
    const space = c > 0x20 && c < 0x80 ? 0 : whitespaceLength(bytes, i);
    if (space === 0) {
      if (start < 0) start = i;
      i++;
      continue;
    }
    if (start >= 0) {
      push(idOf(bytes, start, i, line));
      start = -1;
    }
    if (c === 0x0a) {
      push(eosId());
      line++;
    }
    i += space;
  }
  if (start >= 0) push(idOf(bytes, start, n, line));
  // A last line without its newline still ends with <eos>.
  if (n > 0 && bytes[n - 1] !== 0x0a) push(eosId());
  return out.slice(0, count);
}

/** Byte length of the whitespace character at bytes[i] (Python's str.isspace set), or 0. */
function whitespaceLength(bytes: Uint8Array, i: number): number {
  const c = bytes[i] as number;
  if (c < 0x80) return c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f) ? 1 : 0;
  const d = bytes[i + 1];
  const e = bytes[i + 2];
  switch (c) {
    case 0xc2: // U+0085, U+00A0
      return d === 0x85 || d === 0xa0 ? 2 : 0;
    case 0xe1: // U+1680
      return d === 0x9a && e === 0x80 ? 3 : 0;
    case 0xe2: // U+2000–U+200A, U+2028, U+2029, U+202F, U+205F
      if (d === 0x80 && e !== undefined) return (e >= 0x80 && e <= 0x8a) || e === 0xa8 || e === 0xa9 || e === 0xaf ? 3 : 0;
      return d === 0x81 && e === 0x9f ? 3 : 0;
    case 0xe3: // U+3000
      return d === 0x80 && e === 0x80 ? 3 : 0;
    default:
      return 0;
  }
}

/** Penn Treebank (Mikolov's 10k-word version) from a `ptb` directory. */
export function loadPtb(dir: string): TextCorpus {
  return loadWordCorpus('ptb', inDir(dir, PTB_FILES), { unknownWords: 'error' });
}

/** WikiText-2 (tokenized, v1) from a `wikitext-2` directory holding train.txt, valid.txt and test.txt. */
export function loadWikitext2(dir: string): TextCorpus {
  return loadWordCorpus('wikitext2', inDir(dir, WIKITEXT2_FILES), { unknownWords: 'error' });
}

function inDir(dir: string, files: CorpusFiles): CorpusFiles {
  return { train: join(dir, files.train), valid: join(dir, files.valid), test: join(dir, files.test) };
}
