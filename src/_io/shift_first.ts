// Copyright the pysocket authors. MIT license.
// The engine's queues (waiters, the send queue, received chunks) mostly
// hold one entry at a time, and V8 shifts an array empty in a call into the
// runtime, then reallocates its elements at the next push: once per call.

/**
 * `array.shift()` for arrays that mostly hold one entry: the last one is
 * popped, which keeps the array's room (V8 shifts an array empty in a call
 * into the runtime, and the next push then allocates its elements again).
 */
export function shiftFirst<T>(array: T[]): T | undefined {
  return array.length === 1 ? array.pop() : array.shift();
}

/**
 * A first-in first-out queue whose `shift()` costs the same at any length:
 * a ring of slots that doubles when full. An array's `shift()` moves every
 * entry once the array is past V8's in-place trim (some 16k entries): a
 * queue that can grow that long (un-awaited sends, many small ones) takes
 * this.
 */
export class Fifo<T> {
  #slots: (T | undefined)[] = [undefined, undefined, undefined, undefined];
  /** The index of the first entry. */
  #head = 0;
  #length = 0;

  /** How many entries it holds. */
  get length(): number {
    return this.#length;
  }

  /** The first entry (the next `shift()`'s), or `undefined` if empty. */
  get first(): T | undefined {
    return this.#length === 0 ? undefined : this.#slots[this.#head];
  }

  /** The last entry (the latest `push()`'s), or `undefined` if empty. */
  get last(): T | undefined {
    if (this.#length === 0) return undefined;
    const slots = this.#slots;
    return slots[(this.#head + this.#length - 1) & (slots.length - 1)];
  }

  /** Adds `item` at the end. */
  push(item: T): void {
    let slots = this.#slots;
    if (this.#length === slots.length) slots = this.#grow();
    slots[(this.#head + this.#length) & (slots.length - 1)] = item;
    this.#length++;
  }

  /** Takes the first entry; `undefined` if empty. */
  shift(): T | undefined {
    if (this.#length === 0) return undefined;
    const slots = this.#slots;
    const item = slots[this.#head];
    slots[this.#head] = undefined;
    this.#head = (this.#head + 1) & (slots.length - 1);
    this.#length--;
    return item;
  }

  /** Replaces the first entry (the queue must not be empty). */
  setFirst(item: T): void {
    this.#slots[this.#head] = item;
  }

  /** Takes every entry, in order, leaving the queue empty. */
  takeAll(): T[] {
    const out = [...this];
    this.#slots.fill(undefined);
    this.#head = 0;
    this.#length = 0;
    return out;
  }

  /** The entries, first to last. */
  *[Symbol.iterator](): IterableIterator<T> {
    const slots = this.#slots;
    const mask = slots.length - 1;
    for (let i = 0; i < this.#length; i++) {
      yield slots[(this.#head + i) & mask] as T;
    }
  }

  /** Twice the slots, the entries first to last from slot 0. */
  #grow(): (T | undefined)[] {
    const slots: (T | undefined)[] = [...this];
    for (let i = slots.length, n = 2 * this.#slots.length; i < n; i++) {
      slots.push(undefined);
    }
    this.#slots = slots;
    this.#head = 0;
    return slots;
  }
}
