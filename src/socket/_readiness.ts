// Copyright the pysocket authors. MIT license.
// Readiness by descriptor number, for `select` and `selectors`: whether a
// socket's `recv`/`accept` (readable) or `send` (writable) would complete
// now, observed without consuming anything, and a callback for when that
// may have changed. Internal: not exported from mod.ts.

import { type Descriptor, descriptor } from "../_io/fd_table.ts";

export {
  ERROR,
  HANGUP,
  READ_HANGUP,
  READABLE,
  SELECT_READ,
  SELECT_WRITE,
  WRITABLE,
  WRITE_BAND,
} from "../_io/readiness.ts";

/**
 * What socket `fd` reports now (`READABLE`, `WRITABLE`, `HANGUP`, `ERROR`,
 * `READ_HANGUP`: at least those of `events`), or `null` when `fd` is not an
 * open socket. Starts what it takes for the answer to `events` to change (a
 * read or an accept ahead), so that {@linkcode watchFd} can tell.
 */
export function pollFd(fd: number, events: number): number | null {
  const entry = descriptor(fd);
  return entry === undefined ? null : entry.transport.poll(events);
}

/**
 * What descriptor `fd` stands for (the OS's open file description), or
 * `undefined` when `fd` is not an open socket: the same object for each
 * descriptor of one connection (`dup()`), another once `fd` was closed and
 * given to a new socket, so that a registration by number can tell.
 */
export function fileOf(fd: number): OpenFile | undefined {
  return descriptor(fd);
}

/**
 * An open file description, as {@linkcode fileOf} gives it: what a
 * registration by number watches (the kernel's epoll watches this, not the
 * number).
 */
export type OpenFile = Descriptor;

/**
 * Is `file` still open: does any descriptor (a `dup()` of the number it was
 * found by, say) still stand for it?
 */
export function fileIsOpen(file: OpenFile): boolean {
  return file.refs > 0;
}

/**
 * What `file` reports now, as {@linkcode pollFd} for a number: by the file
 * itself, also after the number it was found by was closed.
 */
export function pollFile(file: OpenFile, events: number): number {
  return file.transport.poll(events);
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
