// Copyright the pysocket authors. MIT license.
// Readiness: whether an operation would complete now (readable: a `recv`
// or `accept` would return at once; writable: a `send` would take at least
// one byte), observed without consuming anything, and callbacks for when it
// may have changed. `select` and `selectors` are built on it.

/** Readable: a `recv`/`accept` would complete now (`selectors.EVENT_READ`). */
export const READABLE = 1;
/** Writable: a `send` would take at least one byte now (`selectors.EVENT_WRITE`). */
export const WRITABLE = 2;

/** Callbacks to run when a transport's readiness may have changed. */
export class Watchers {
  #callbacks: Set<() => void> | null = null;

  /**
   * Runs `callback` on every change until the returned function is called.
   *
   * @param callback What to run.
   * @returns Stops watching.
   */
  add(callback: () => void): () => void {
    (this.#callbacks ??= new Set()).add(callback);
    return () => this.#callbacks?.delete(callback);
  }

  /** Readiness may have changed: tells every watcher. */
  notify(): void {
    const callbacks = this.#callbacks;
    if (callbacks === null || callbacks.size === 0) return;
    for (const callback of [...callbacks]) callback();
  }
}
