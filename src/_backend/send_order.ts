// Copyright the pysocket authors. MIT license.
/**
 * Sends made one after another, for the datagram backends of runtimes that
 * run the sends made together in another order than they were made (Deno's
 * own and Deno's `node:dgram`), and close a socket with sends in flight.
 *
 * @module
 */

/**
 * Runs sends in the order they are made: each starts once the one before
 * has settled; one alone starts at once.
 */
export class SendOrder {
  #last: Promise<number> | null = null;

  /** The last send still in flight, or `null`. */
  get last(): Promise<number> | null {
    return this.#last;
  }

  /**
   * Starts `send` once the sends made before it have settled.
   *
   * @param send Starts the send; resolves to the count sent.
   * @returns The send's own promise.
   */
  run(send: () => Promise<number>): Promise<number> {
    const last = this.#last;
    const op = last === null ? send() : last.then(send, send);
    this.#last = op;
    const settled = () => {
      if (this.#last === op) this.#last = null;
    };
    op.then(settled, settled);
    return op;
  }

  /**
   * Calls `then` once the sends in flight have settled: at once (within
   * the call) if there are none.
   *
   * @param then What to do then.
   */
  afterAll(then: () => void): void {
    const last = this.#last;
    if (last === null) then();
    else last.then(then, then);
  }
}
