// Copyright the pysocket authors. MIT license.
// Readiness by descriptor number, for `select` and `selectors`: whether a
// socket's `recv`/`accept` (readable) or `send` (writable) would complete
// now, observed without consuming anything, and a callback for when that
// may have changed. Internal: not exported from mod.ts.

import { descriptor } from "../_io/fd_table.ts";
import { READABLE, WRITABLE } from "../_io/readiness.ts";

export { READABLE, WRITABLE };

/**
 * Which of `events` (`READABLE | WRITABLE`) socket `fd` is ready for now,
 * or `null` when `fd` is not an open socket. Starts what it takes for the
 * answer to change (a read or an accept ahead), so that {@linkcode watchFd}
 * can tell.
 */
export function pollFd(fd: number, events: number): number | null {
  const entry = descriptor(fd);
  return entry === undefined ? null : entry.transport.poll(events);
}

/**
 * Calls `callback` whenever socket `fd`'s readiness may have changed (and
 * when it closes); returns the function that stops it. `null` when `fd` is
 * not an open socket.
 */
export function watchFd(
  fd: number,
  callback: () => void,
): (() => void) | null {
  const entry = descriptor(fd);
  return entry === undefined ? null : entry.transport.watch(callback);
}
