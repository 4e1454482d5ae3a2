/**
 * Interns words given as UTF-8 byte ranges, so a corpus can be turned into ids without making a
 * string per token (hashing millions of fresh strings is what makes the obvious version slow).
 * Ids are dense, in order of first insertion.
 */
export class WordTable {
  readonly words: string[] = [];
  private slots = new Int32Array(1 << 16); // id + 1; 0 = empty
  private hashes: Int32Array = new Int32Array(1 << 12);
  private starts: Int32Array = new Int32Array(1 << 12);
  private ends: Int32Array = new Int32Array(1 << 12);
  // Each word's bytes, copied together: comparing against this small block stays in cache, while
  // comparing against the word's first occurrence in a 10 MB corpus would miss it on every token.
  private arena = new Uint8Array(1 << 16);
  private arenaUsed = 0;
  // ignoreBOM keeps a leading U+FEFF: in a corpus it is part of the word, not a byte-order mark.
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true });

  get size(): number {
    return this.words.length;
  }

  /** The id of bytes[start, end), or -1 if the word is not in the table. */
  find(bytes: Uint8Array, start: number, end: number): number {
    return this.lookup(bytes, start, end, hashBytes(bytes, start, end));
  }

  /** The id of bytes[start, end), adding the word if it is new. */
  add(bytes: Uint8Array, start: number, end: number): number {
    const hash = hashBytes(bytes, start, end);
    const found = this.lookup(bytes, start, end, hash);
    return found >= 0 ? found : this.insert(bytes, start, end, hash);
  }

  addWord(word: string): number {
    const bytes = new TextEncoder().encode(word);
    return this.add(bytes, 0, bytes.length);
  }

  findWord(word: string): number {
    const bytes = new TextEncoder().encode(word);
    return this.find(bytes, 0, bytes.length);
  }

  private lookup(bytes: Uint8Array, start: number, end: number, hash: number): number {
    const slots = this.slots;
    const mask = slots.length - 1;
    const length = end - start;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = slots[slot] as number;
      if (entry === 0) return -1;
      const id = entry - 1;
      if (this.hashes[id] !== hash) continue;
      const from = this.starts[id] as number;
      if ((this.ends[id] as number) - from !== length) continue;
      const arena = this.arena;
      let k = 0;
      while (k < length && arena[from + k] === bytes[start + k]) k++;
      if (k === length) return id;
    }
  }

  private insert(bytes: Uint8Array, start: number, end: number, hash: number): number {
    const id = this.words.length;
    if (id === this.hashes.length) {
      this.hashes = doubled(this.hashes);
      this.starts = doubled(this.starts);
      this.ends = doubled(this.ends);
    }
    this.words.push(this.decoder.decode(bytes.subarray(start, end)));
    const length = end - start;
    while (this.arenaUsed + length > this.arena.length) {
      const bigger = new Uint8Array(this.arena.length * 2);
      bigger.set(this.arena);
      this.arena = bigger;
    }
    this.arena.set(bytes.subarray(start, end), this.arenaUsed);
    this.hashes[id] = hash;
    this.starts[id] = this.arenaUsed;
    this.ends[id] = this.arenaUsed + length;
    this.arenaUsed += length;
    if (2 * (id + 1) > this.slots.length) {
      this.slots = new Int32Array(this.slots.length * 2);
      for (let i = 0; i <= id; i++) this.place(i);
    } else this.place(id);
    return id;
  }

  private place(id: number): void {
    const mask = this.slots.length - 1;
    let slot = (this.hashes[id] as number) & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = id + 1;
  }
}

function doubled(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/** 32-bit FNV-1a, as a signed int so it stays a small integer for the engine. */
function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5 | 0;
  for (let i = start; i < end; i++) h = Math.imul(h ^ (bytes[i] as number), 0x01000193);
  return h;
}
