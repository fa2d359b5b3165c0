// Copyright the pysocket authors. MIT license.
/**
 * Python's `select.select()`: wait until sockets are ready for reading or
 * writing.
 *
 * @module
 */

import { errnoError, TypeError, ValueError } from "../socket/errors.ts";
import { type ArgSpec, checkArgs } from "../_py/args.ts";
import { pollFd, SELECT_READ, SELECT_WRITE } from "../socket/_readiness.ts";
import { fileDescriptor, type FileDescriptorLike, timeoutMs } from "./_args.ts";
import { type Interests, waitReady } from "./_wait.ts";

export type { FileDescriptorLike } from "./_args.ts";

/**
 * The largest write to a pipe that Linux makes atomically, as CPython's
 * `select.PIPE_BUF`: 4096 bytes.
 *
 * @example Linux's value, as CPython's
 * ```ts
 * import { PIPE_BUF } from "@pysocket/socket/select";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(PIPE_BUF, 4096);
 * ```
 */
export const PIPE_BUF = 4096;

/** CPython's `select(rlist, wlist, xlist, timeout=None, /)`. */
const ARGS: ArgSpec = {
  name: "select",
  style: "unpack",
  params: ["rlist", "wlist", "xlist", "timeout"],
  required: 3,
};

/** `FD_SETSIZE`: `select()` takes descriptors below it, as on Linux. */
const FD_SETSIZE = 1024;

/** One list's items with their descriptors, in the order given. */
function descriptors<T>(list: Iterable<T>): [T, number][] {
  if (
    list === null || list === undefined ||
    typeof (list as { [Symbol.iterator]?: unknown })[Symbol.iterator] !==
      "function"
  ) {
    throw new TypeError("arguments 1-3 must be sequences");
  }
  if (
    (ArrayBuffer.isView(list) || list instanceof ArrayBuffer) &&
    ((list instanceof ArrayBuffer ? list : list.buffer) as {
      detached?: boolean;
    }).detached
  ) {
    throw new ValueError("operation forbidden on released memoryview object");
  }
  const out: [T, number][] = [];
  for (const item of list) {
    const fd = fileDescriptor(item);
    if (fd >= FD_SETSIZE) {
      throw new ValueError("filedescriptor out of range in select()");
    }
    // As CPython's fd_set: no more than FD_SETSIZE of them (a 256 MiB
    // view of zeros fails here, not in the heap).
    if (out.length >= FD_SETSIZE) {
      throw new ValueError("too many file descriptors in select()");
    }
    out.push([item, fd]);
  }
  return out;
}

/**
 * Python's `select.select(rlist, wlist, xlist, timeout)`: waits until some
 * of the sockets are ready and resolves to `[readable, writable,
 * exceptional]`, each a list of the very objects passed in, in the order
 * given (empty lists when the timeout passed first).
 *
 * Readable: a `recv`/`recvfrom` would return at once (data, end of stream
 * or an error), or a listening socket has a connection to `accept`.
 * Writable: a `send` would take at least one byte at once (a connection in
 * progress becomes writable when it completes; `SO_ERROR` then tells how).
 * Nothing is consumed: the bytes, datagram or connection that made a socket
 * readable are what the next call gets. There are no out-of-band data, so
 * `xlist` is never ready.
 *
 * The wait sleeps until a socket reports a change or the timeout passes:
 * an idle `select` costs no CPU. Every call lets the event loop turn once
 * before it resolves (what has already arrived is seen, and a loop of
 * `select` calls lets other I/O run). A socket closed by another task while
 * `select` waits on it wakes it, and is reported ready.
 *
 * @param rlist Sockets (or descriptor numbers, or objects with `fileno()`)
 * to wait for reading: any iterable.
 * @param wlist The same, to wait for writing.
 * @param xlist The same, for "exceptional conditions" (never ready).
 * @param timeout Seconds; `null` or left out waits as long as it takes,
 * `0` polls.
 * @returns `[readable, writable, exceptional]`.
 * @throws {TypeError} `argument must be an int, or have a fileno() method.`,
 * `arguments 1-3 must be sequences`, `timeout must be a float or None`,
 * `select expected at least 3 arguments, got 2`.
 * @throws {ValueError} `timeout must be non-negative`, `file descriptor
 * cannot be a negative integer (-1)` (a closed socket),
 * `filedescriptor out of range in select()` (1024 and above).
 * @throws {OSError} `[Errno 9] Bad file descriptor` for a number that is not
 * an open socket.
 *
 * @example A listener becomes readable when a client connects
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import * as select from "@pysocket/socket/select";
 * import { assertEquals } from "@std/assert";
 *
 * using server = socket.socket();
 * server.bind(["127.0.0.1", 0]);
 * server.listen();
 * assertEquals(await select.select([server], [], [], 0), [[], [], []]);
 *
 * using client = socket.socket();
 * await client.connect(server.getsockname());
 * const [readable] = await select.select([server], [], [], 5);
 * assertEquals(readable, [server]);
 * const [conn] = await server.accept(); // the connection select saw
 * conn.close();
 * ```
 *
 * @example Python's errors
 * ```ts
 * import * as select from "@pysocket/socket/select";
 * import { assertRejects } from "@std/assert";
 *
 * await assertRejects(() => select.select([], [], [], -1), RangeError, "timeout must be non-negative");
 * await assertRejects(() => select.select([-1], [], []), RangeError, "file descriptor cannot be a negative integer (-1)");
 * ```
 */
export async function select<
  R extends FileDescriptorLike,
  W extends FileDescriptorLike,
  X extends FileDescriptorLike,
>(
  rlist: Iterable<R>,
  wlist: Iterable<W>,
  xlist: Iterable<X>,
  timeout?: number | null,
): Promise<[R[], W[], X[]]> {
  checkArgs(ARGS, arguments);
  const ms = timeoutMs(timeout, 1, "timeout must be a float or None");
  if (ms !== null && ms < 0) {
    throw new ValueError("timeout must be non-negative");
  }
  const reads = descriptors(rlist);
  const writes = descriptors(wlist);
  const excepts = descriptors(xlist);
  const interests: Interests = new Map();
  // As Linux's select() reads poll(): a hang-up or an error is readable.
  for (const [, fd] of reads) interests.set(fd, SELECT_READ);
  for (const [, fd] of writes) {
    interests.set(fd, (interests.get(fd) ?? 0) | SELECT_WRITE);
  }
  // As the select() system call: every descriptor must be open.
  for (const [, fd] of excepts) interests.set(fd, interests.get(fd) ?? 0);
  for (const fd of interests.keys()) {
    if (pollFd(fd, 0) === null) throw errnoError("EBADF");
  }
  for (const [fd, events] of interests) {
    if (events === 0) interests.delete(fd);
  }
  const ready = await waitReady(interests, ms);
  // A socket closed while waited on is ready for whatever was asked.
  const has = (fd: number, event: number) => {
    const now = ready.get(fd);
    return now === null || (now !== undefined && (now & event) !== 0);
  };
  return [
    reads.filter(([, fd]) => has(fd, SELECT_READ)).map(([item]) => item),
    writes.filter(([, fd]) => has(fd, SELECT_WRITE)).map(([item]) => item),
    [],
  ];
}
