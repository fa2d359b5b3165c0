// Copyright the pysocket authors. MIT license.
// One operation at a time, in call order: what the lock of CPython's
// buffered objects gives threads, for un-awaited calls.

const noop = (): void => {};

/**
 * Runs operations one after another in the order they were asked for. An
 * operation asked for while none is running starts at once, so its checks
 * (a closed file, a bad argument) happen in the call.
 */
export class Serial {
  /** Settles (either way) once the last operation asked for has ended. */
  #tail: Promise<unknown> = Promise.resolve();
  #running = 0;
  #done = (): void => {
    this.#running--;
  };

  /**
   * Runs `op` after the operations asked for before it.
   *
   * @param op The operation; what it throws, the result rejects with.
   * @returns What `op` returns or resolves to.
   */
  run<R>(op: () => R | Promise<R>): Promise<R> {
    let result: Promise<R>;
    if (this.#running === 0) {
      let value: R | Promise<R>;
      try {
        value = op();
      } catch (err) {
        return Promise.reject(err);
      }
      // Done in the call (a line already buffered, say): nothing runs
      // after it, so there is no tail to wait for.
      if (!(value instanceof Promise)) return Promise.resolve(value);
      result = value;
    } else {
      const start = () => op();
      result = this.#tail.then(start, start);
    }
    this.#running++;
    this.#tail = result.then(this.#done, this.#done);
    return result;
  }

  /**
   * As {@linkcode Serial.run}, for an operation that tells its own end:
   * when `op` returns a promise, it calls `end()` once, in the step that
   * settles that promise (no `then` of the serial's own on it); when it
   * returns a value or throws, it does not call it.
   *
   * @param op The operation, given `end`.
   * @returns What `op` returns or resolves to.
   */
  runTold<R>(op: (end: () => void) => R | Promise<R>): Promise<R> {
    if (this.#running !== 0) return this.run(() => op(noop));
    this.#running++;
    let value: R | Promise<R>;
    try {
      value = op(this.#done);
    } catch (err) {
      this.#running--;
      return Promise.reject(err);
    }
    if (!(value instanceof Promise)) {
      this.#running--;
      return Promise.resolve(value);
    }
    this.#tail = value;
    return value;
  }
}
