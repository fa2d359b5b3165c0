// Copyright the pysocket authors. MIT license.
// A map from descriptor numbers to objects that does not make V8 keep
// closed connections alive, and whose cost per change does not grow with
// the number of open descriptors.
//
// Measured on Node: with the descriptor table and a selector's
// registrations as `Map`s of descriptors to objects, a server that opens,
// registers and closes a socket per connection had its closed connections
// survive young-generation collections (megabytes promoted per collection,
// each collection ten times slower); with the objects in an array indexed
// by number, nothing was promoted. How the `Map` kept them was not pinned
// down (V8 rebuilds a `Map`'s storage as entries come and go, and old
// storage in the old generation can keep young objects; but a plain script
// that adds and deletes ten objects at a time in a long-lived `Map` does
// not show it).
//
// Nor is the insertion order kept in a `Set`: descriptors are reused, the
// lowest free first, so a server adds and deletes the same few numbers
// over and over, and adding a number to a `Set` (or `Map`) it was just
// deleted from costs time that grows with the other keys (deleted entries
// seem to stay in place until the table is rebuilt). Measured on V8 (Node
// 24, Deno) and JavaScriptCore (Bun): adding and deleting one number took
// 1 µs beside 1,000 other keys, 7–8 µs beside 8,000 and 20–28 µs beside
// 10,000. The order is kept in an array instead, with each entry's
// sequence number; deleted entries stay in it until they outnumber the
// live ones, then it is compacted (each change costs O(1), amortized).

/**
 * A `Map<number, V>` for non-negative integer keys (descriptors), iterated
 * in insertion order as a `Map` is. Its values are never `undefined`.
 */
export class FdMap<V extends NonNullable<unknown>>
  implements ReadonlyMap<number, V> {
  #slots: (V | undefined)[] = [];
  /** Each key's sequence number while it is in the map (`-1`: deleted). */
  #seqOf: number[] = [];
  /**
   * The keys in insertion order, and the sequence number each was added
   * with (increasing): an entry whose number is not its key's current one
   * was deleted since.
   */
  #keys: number[] = [];
  #seqs: number[] = [];
  #nextSeq = 0;
  #size = 0;
  /** Bumped when `#keys` is compacted or cleared: iterations find their place again. */
  #epoch = 0;

  get size(): number {
    return this.#size;
  }

  has(fd: number): boolean {
    return this.#slots[fd] !== undefined;
  }

  get(fd: number): V | undefined {
    // (A key that is not there has no slot, or an emptied one.)
    return this.#slots[fd];
  }

  set(fd: number, value: V): this {
    if (this.#slots[fd] === undefined) {
      const seq = this.#nextSeq++;
      this.#seqOf[fd] = seq;
      this.#keys.push(fd);
      this.#seqs.push(seq);
      this.#size++;
    }
    this.#slots[fd] = value;
    return this;
  }

  delete(fd: number): boolean {
    if (this.#slots[fd] === undefined) return false;
    this.#slots[fd] = undefined;
    this.#seqOf[fd] = -1;
    this.#size--;
    const stale = this.#keys.length - this.#size;
    if (stale > 32 && stale > this.#size) this.#compact();
    return true;
  }

  clear(): void {
    this.#slots = [];
    this.#seqOf = [];
    this.#keys = [];
    this.#seqs = [];
    this.#size = 0;
    this.#epoch++;
  }

  /** Drops the entries of deleted keys from the order. */
  #compact(): void {
    const keys = this.#keys;
    const seqs = this.#seqs;
    const seqOf = this.#seqOf;
    let j = 0;
    for (let i = 0; i < keys.length; i++) {
      if (seqOf[keys[i]] !== seqs[i]) continue;
      keys[j] = keys[i];
      seqs[j] = seqs[i];
      j++;
    }
    keys.length = j;
    seqs.length = j;
    this.#epoch++;
  }

  /** The index of the first entry added after sequence number `seq`. */
  #after(seq: number): number {
    const seqs = this.#seqs;
    let lo = 0;
    let hi = seqs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (seqs[mid] <= seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * The keys in order; as a `Map`'s, the iteration sees later changes: it
   * skips keys deleted before it reaches them, and reaches keys added
   * (again) meanwhile.
   */
  *keys(): MapIterator<number> {
    let i = 0;
    let epoch = this.#epoch;
    let last = -1;
    while (true) {
      if (epoch !== this.#epoch) {
        epoch = this.#epoch;
        i = this.#after(last);
      }
      if (i >= this.#keys.length) return undefined;
      const fd = this.#keys[i];
      const seq = this.#seqs[i++];
      if (this.#seqOf[fd] !== seq) continue;
      last = seq;
      yield fd;
    }
  }

  *values(): MapIterator<V> {
    for (const fd of this.keys()) yield this.#slots[fd] as V;
  }

  *entries(): MapIterator<[number, V]> {
    for (const fd of this.keys()) yield [fd, this.#slots[fd] as V];
  }

  [Symbol.iterator](): MapIterator<[number, V]> {
    return this.entries();
  }

  forEach(
    callback: (value: V, key: number, map: ReadonlyMap<number, V>) => void,
    thisArg?: unknown,
  ): void {
    for (const [fd, value] of this.entries()) {
      callback.call(thisArg, value, fd, this);
    }
  }
}
