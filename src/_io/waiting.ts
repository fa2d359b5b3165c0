// Copyright the pysocket authors. MIT license.
// Whether anyone waits on a runtime operation in flight, as told to its
// handle (`Waited.waiting`): a handle nobody waits on does not keep the
// process alive, as a socket nobody is blocked on does not keep a Python
// program running.

/**
 * What a handle was told of its operation in flight: `release()` when
 * nobody waits on it any more (a timeout, or one started for readiness
 * alone), `hold()` when a caller waits on that same operation again, told
 * once. A new operation is the backend's to hold (its own read or accept
 * starts held).
 */
export class Waiting {
  #released = false;
  readonly #tell: (on: boolean) => void;

  /** @param tell Tells the handle (`Waited.waiting`). */
  constructor(tell: (on: boolean) => void) {
    this.#tell = tell;
  }

  /** Nobody waits on the operation in flight. */
  release(): void {
    this.#released = true;
    this.#tell(false);
  }

  /** A caller waits on the operation in flight, which was released. */
  hold(): void {
    if (!this.#released) return;
    this.#released = false;
    this.#tell(true);
  }
}
