// Copyright the pysocket authors. MIT license.
// A `threading.Event` for one thread of async tasks: `wait()` is a promise
// that settles once the flag is set.

/** Python's `threading.Event`, awaited instead of blocked on. */
export class Event {
  #set = false;
  #waiters: (() => void)[] = [];

  /** Sets the flag and wakes every waiter. */
  set(): void {
    this.#set = true;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  /** Clears the flag: later waits wait for the next `set()`. */
  clear(): void {
    this.#set = false;
  }

  /** Is the flag set? */
  is_set(): boolean {
    return this.#set;
  }

  /** Settles at once if the flag is set, else at the next `set()`. */
  wait(): Promise<void> {
    if (this.#set) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}
