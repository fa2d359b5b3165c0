// Copyright the pysocket authors. MIT license.
// A map from descriptor numbers to objects that does not make V8 keep
// closed connections alive.
//
// A long-lived `Map` whose entries come and go (a server registers and
// unregisters a socket per connection) has its storage rebuilt by V8 every
// few additions after deletions. A discarded storage that had outlived a
// young-generation collection still lists the objects it held, and keeps
// them, and everything they reference, alive until the next full
// collection: measured on Node, a selectors server with ten connections at
// a time promoted megabytes per collection. Here the objects live in an
// array indexed by number, and the `Set` that keeps the insertion order
// holds numbers only, which keep nothing alive.

/**
 * A `Map<number, V>` for non-negative integer keys (descriptors), iterated
 * in insertion order as a `Map` is. Its values are never `undefined`.
 */
export class FdMap<V extends NonNullable<unknown>>
  implements ReadonlyMap<number, V> {
  #slots: (V | undefined)[] = [];
  /** The keys, in insertion order. */
  #order = new Set<number>();

  get size(): number {
    return this.#order.size;
  }

  has(fd: number): boolean {
    return this.#order.has(fd);
  }

  get(fd: number): V | undefined {
    // (A key that is not there has no slot, or an emptied one.)
    return this.#slots[fd];
  }

  set(fd: number, value: V): this {
    this.#order.add(fd);
    this.#slots[fd] = value;
    return this;
  }

  delete(fd: number): boolean {
    if (!this.#order.delete(fd)) return false;
    this.#slots[fd] = undefined;
    return true;
  }

  clear(): void {
    this.#order.clear();
    this.#slots = [];
  }

  /** The keys; as a `Map`'s, the iteration sees later changes. */
  keys(): MapIterator<number> {
    return this.#order.keys();
  }

  *values(): MapIterator<V> {
    for (const fd of this.#order) yield this.#slots[fd] as V;
  }

  *entries(): MapIterator<[number, V]> {
    for (const fd of this.#order) yield [fd, this.#slots[fd] as V];
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
