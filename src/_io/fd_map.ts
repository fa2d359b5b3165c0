// Copyright the pysocket authors. MIT license.
// A map from descriptor numbers to objects that does not make V8 keep
// closed connections alive.
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
// not show it). The `Set` that keeps the insertion order here holds numbers
// only, which keep nothing alive.

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
