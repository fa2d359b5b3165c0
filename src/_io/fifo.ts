// Copyright the pysocket authors. MIT license.
// A first-in first-out queue for the engine's waiters and writes, which
// mostly hold one entry at a time: that entry is kept apart from the
// array of the others. An array shifted empty and pushed again costs V8 a
// reallocation of its elements each time, once per call.

/** A FIFO of entries (objects), the first kept apart. */
export class Fifo<T extends object> {
  #first: T | null = null;
  /** The entries after the first, in order. */
  #rest: T[] = [];

  /** How many entries there are. */
  get length(): number {
    return this.#first === null ? 0 : 1 + this.#rest.length;
  }

  /** The first entry, if any. */
  head(): T | undefined {
    return this.#first ?? undefined;
  }

  /** Adds an entry at the end. */
  push(entry: T): void {
    if (this.#first === null) this.#first = entry;
    else this.#rest.push(entry);
  }

  /** Takes the first entry out, if any. */
  shift(): T | undefined {
    const first = this.#first;
    if (first === null) return undefined;
    this.#first = this.#rest.length > 0 ? this.#rest.shift()! : null;
    return first;
  }

  /** Takes `entry` out wherever it is; whether it was there. */
  remove(entry: T): boolean {
    if (this.#first === entry) {
      this.shift();
      return true;
    }
    const i = this.#rest.indexOf(entry);
    if (i < 0) return false;
    this.#rest.splice(i, 1);
    return true;
  }

  /** Takes every entry out, in order. */
  takeAll(): T[] {
    const first = this.#first;
    if (first === null) return [];
    const all = [first, ...this.#rest];
    this.#first = null;
    this.#rest = [];
    return all;
  }

  /** The entries, in order (a copy). */
  toArray(): T[] {
    return this.#first === null ? [] : [this.#first, ...this.#rest];
  }
}

/**
 * `array.shift()` for arrays that mostly hold one entry: the last one is
 * popped, which keeps the array's room (V8 shifts an array empty in a call
 * into the runtime, and the next push then allocates its elements again).
 */
export function shiftFirst<T>(array: T[]): T | undefined {
  return array.length === 1 ? array.pop() : array.shift();
}
