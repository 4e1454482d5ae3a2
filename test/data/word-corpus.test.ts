import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeUtf8, loadPtb, loadWordCorpus } from '../../src/data/index.js';
import { firstInvalidUtf8 } from '../../src/data/utf8.js';
import { tempDir, writeFile } from './fixtures.js';

/** Writes train/valid/test files and returns their paths. */
function corpus(train: string | Uint8Array, valid: string | Uint8Array, test: string | Uint8Array) {
  const dir = tempDir();
  return {
    dir,
    train: writeFile(join(dir, 'train.txt'), train),
    valid: writeFile(join(dir, 'valid.txt'), valid),
    test: writeFile(join(dir, 'test.txt'), test),
  };
}

const decode = (vocab: readonly string[], ids: Int32Array) => [...ids].map((id) => vocab[id]).join(' ');

describe('word-level corpora', () => {
  it('reads PTB-style text: whitespace-split words, <eos> at every line end, vocabulary in order of first appearance', () => {
    const dir = tempDir();
    writeFile(join(dir, 'ptb.train.txt'), ' the cat sat \n the <unk> ran  N \n\n the dog\n');
    writeFile(join(dir, 'ptb.valid.txt'), ' the dog sat \n');
    writeFile(join(dir, 'ptb.test.txt'), ' N cat\n ran');
    const c = loadPtb(dir);
    expect(c.name).toBe('ptb');
    expect(c.vocab).toEqual(['the', 'cat', 'sat', '<eos>', '<unk>', 'ran', 'N', 'dog']);
    expect([...c.train]).toEqual([0, 1, 2, 3, 0, 4, 5, 6, 3, 3, 0, 7, 3]);
    expect(decode(c.vocab, c.valid)).toBe('the dog sat <eos>');
    // The last line has no newline and still ends with <eos>.
    expect(decode(c.vocab, c.test)).toBe('N cat <eos> ran <eos>');
  });

  it('splits on the whitespace Python does: tabs, CR and no-break spaces split, U+FEFF does not', () => {
    const c = corpus('a\tb\r\nc\u00a0d \ufeff e\u3000f\n', '', '');
    expect(loadWordCorpus('t', c).vocab).toEqual(['a', 'b', '<eos>', 'c', 'd', '\ufeff', 'e', 'f']);
  });

  it('rejects a valid or test word the training split never uses, or maps it to <unk> when asked', () => {
    const files = corpus('a b <unk>\n', 'a\nb c\n', 'a\n');
    expect(() => loadWordCorpus('toy', files, { unknownWords: 'error' })).toThrow(
      `${files.valid} line 2: word 'c' is not in the vocabulary of ${files.train} (toy valid and test use only training words)`,
    );
    const mapped = loadWordCorpus('toy', files);
    expect(decode(mapped.vocab, mapped.valid)).toBe('a <eos> b <unk> <eos>');
    const noUnk = corpus('a b\n', 'a\n', 'a zebra\n');
    expect(() => loadWordCorpus('toy', noUnk)).toThrow(`${noUnk.test} line 1: word 'zebra' is not in the vocabulary of ${noUnk.train}, which has no <unk> to map it to`);
  });

  it('rejects invalid UTF-8 with the file, byte offset and line', () => {
    const bad = Buffer.concat([Buffer.from('caf\u00e9 ok\nsecond line '), Buffer.from([0xff]), Buffer.from(' x\n')]);
    const files = corpus(bad, 'x\n', 'x\n');
    expect(() => loadWordCorpus('toy', files)).toThrow(`${files.train}: invalid UTF-8 at byte offset 21 (line 2, byte 0xff)`);
    const truncated = corpus('a\n', 'a\n', Buffer.from([0x61, 0x0a, 0x62, 0xe2, 0x82]));
    expect(() => loadWordCorpus('toy', truncated)).toThrow(`${truncated.test}: invalid UTF-8 at byte offset 3 (line 2, byte 0xe2)`);
  });

  it('finds the same invalid sequences as a fatal TextDecoder', () => {
    const cases: number[][] = [
      [0x61, 0x80],
      [0xc0, 0xaf],
      [0xe0, 0x80, 0xaf],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
      [0xf5, 0x80],
      [0x61, 0xf0, 0x9f, 0x98],
      [0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80],
      [0xef, 0xbb, 0xbf, 0x61],
    ];
    for (const bytes of cases) {
      const array = Uint8Array.from(bytes);
      let valid = true;
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(array);
      } catch {
        valid = false;
      }
      expect(firstInvalidUtf8(array) === -1, `bytes ${bytes.map((b) => b.toString(16))}`).toBe(valid);
    }
    expect(() => decodeUtf8(Uint8Array.from([0x61, 0x62, 0xed, 0xa0, 0x80]), 'f.txt')).toThrow('f.txt: invalid UTF-8 at byte offset 2 (line 1, byte 0xed)');
  });

  it('names a missing split', () => {
    const dir = tempDir();
    writeFile(join(dir, 'ptb.train.txt'), 'a\n');
    expect(() => loadPtb(dir)).toThrow(`${join(dir, 'ptb.valid.txt')}: file not found`);
  });
});
