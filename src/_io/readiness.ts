// Copyright the pysocket authors. MIT license.
// Readiness: what Linux's poll() reports for a socket (input is there, a
// send would take a byte, the connection has hung up, an error is
// pending), observed without consuming anything, and callbacks for when it
// may have changed. `select`, `poll` and `selectors` are built on it, and
// derive their events from these as Linux derives them from poll's.

/**
 * Input: bytes, the end of the stream (the peer's or `SHUT_RD`), or a
 * queued connection are there (`POLLIN`).
 */
export const READABLE = 1;
/** A `send` would take at least one byte now, or fail at once (`POLLOUT`). */
export const WRITABLE = 2;
/**
 * Hung up: the connection has ended both ways, or a stream socket has none
 * (never connected, failed, reset, or a listener shut down): `POLLHUP`.
 */
export const HANGUP = 4;
/** An error is pending: the next call raises it (`POLLERR`). */
export const ERROR = 8;
/** The reading side has ended: the peer's end of stream or `SHUT_RD` (`POLLRDHUP`). */
export const READ_HANGUP = 16;
/**
 * Writable, where Linux's poll reports `POLLWRBAND` with `POLLOUT`: UDP and
 * Unix sockets (TCP's does not). Asked alone, a transport answers it, and
 * `WRITABLE`, only where it has it.
 */
export const WRITE_BAND = 32;

/**
 * Readable for `select()` (Linux's `POLLIN_SET`): a `recv`/`accept` would
 * return at once, with data, the end of the stream or an error.
 */
export const SELECT_READ = READABLE | HANGUP | ERROR;
/** Writable for `select()` (Linux's `POLLOUT_SET`). */
export const SELECT_WRITE = WRITABLE | ERROR;

/**
 * Whether asking for `events` starts a read ahead: input, or a hang-up
 * (which a reset or the peer's end of stream tells), was asked.
 */
export function readsAhead(events: number): boolean {
  return (events & (READABLE | HANGUP | READ_HANGUP)) !== 0;
}

/**
 * Callbacks to run when a transport's readiness may have changed. Most
 * transports have one watcher at most (a selector's registration), which
 * is called as it is; more are called from a copy of the list, so that one
 * may stop watching while they run.
 */
export class Watchers {
  /** Made at the first watcher: most sockets never have one. */
  #callbacks: (() => void)[] | null = null;

  /**
   * Runs `callback` on every change until the returned function is called.
   *
   * @param callback What to run.
   * @returns Stops watching.
   */
  add(callback: () => void): () => void {
    const callbacks = this.#callbacks ??= [];
    callbacks.push(callback);
    return () => {
      const i = callbacks.indexOf(callback);
      if (i >= 0) callbacks.splice(i, 1);
    };
  }

  /** Readiness may have changed: tells every watcher. */
  notify(): void {
    const callbacks = this.#callbacks;
    if (callbacks === null) return;
    if (callbacks.length === 1) callbacks[0]();
    else if (callbacks.length > 1) {
      for (const callback of callbacks.slice()) callback();
    }
  }
}
