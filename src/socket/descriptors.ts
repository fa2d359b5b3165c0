// Copyright the pysocket authors. MIT license.
// The module's functions over descriptor numbers, as Python's `socket`
// module has them: `dup(fd)`, `close(fd)` and `fromfd(fd, family, type)`.
// The numbers are pysocket's own (src/_io/fd_table.ts): another descriptor
// stands for the same connection, which closes with its last descriptor.

import { releaseIdle } from "../_io/deadlines.ts";
import { type ArgSpec, checkArgs } from "../_py/args.ts";
import { checkCInt } from "../_py/pytype.ts";
import {
  closeDescriptor,
  descriptor,
  duplicateDescriptor,
} from "../_io/fd_table.ts";
import { errnoError } from "./errors.ts";
import { Socket } from "./socket.ts";

const ARGS: Record<string, ArgSpec> = {
  dup: { name: "_socket.dup", style: "o", params: ["fd"], required: 1 },
  close: { name: "_socket.close", style: "o", params: ["fd"], required: 1 },
  fromfd: {
    name: "fromfd",
    style: "py",
    params: ["fd", "family", "type", "proto"],
    required: 3,
  },
};

/** A descriptor number as CPython's `PyLong_AsSocket_t` takes it. */
function fdNumber(fd: unknown): number {
  return Number(BigInt.asIntN(32, BigInt(checkCInt(fd, "long"))));
}

/**
 * Python's `socket.dup(fd)`: another descriptor for the socket `fd` stands
 * for (as the OS's `dup`).
 *
 * @param fd A socket's `fileno()`.
 * @returns The new descriptor.
 * @throws {OSError} `[Errno 9] Bad file descriptor` when `fd` is not open.
 *
 * @example
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import { assertNotEquals } from "@std/assert";
 *
 * using s = socket.socket();
 * const fd = socket.dup(s.fileno());
 * assertNotEquals(fd, s.fileno());
 * socket.close(fd);
 * ```
 */
export function dup(fd: number): number {
  checkArgs(ARGS.dup, arguments);
  const copy = duplicateDescriptor(fdNumber(fd));
  if (copy === undefined) throw errnoError("EBADF");
  return copy;
}

/**
 * Python's `socket.close(fd)`: closes a descriptor (the connection closes
 * with its last one). A socket object still holding `fd` then finds it
 * closed.
 *
 * @param fd A descriptor.
 * @throws {OSError} `[Errno 9] Bad file descriptor` when `fd` is not open.
 *
 * @example
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import { assertThrows } from "@std/assert";
 *
 * using s = socket.socket();
 * const fd = socket.dup(s.fileno());
 * socket.close(fd);
 * assertThrows(() => socket.close(fd), socket.OSError, "[Errno 9]");
 * ```
 */
export function close(fd: number): void {
  checkArgs(ARGS.close, arguments);
  const n = fdNumber(fd);
  const entry = descriptor(n);
  if (entry === undefined) throw errnoError("EBADF");
  if (closeDescriptor(n)) entry.transport.close();
  // (No timer outlives the program's sockets: see deadlines.ts.)
  releaseIdle();
}

/**
 * Python's `socket.fromfd(fd, family, type, proto)`: a socket object over
 * a duplicate of `fd` (`socket(family, type, proto, dup(fd))`).
 *
 * @param fd A socket's `fileno()`.
 * @param family The new object's family.
 * @param type The new object's type.
 * @param proto The new object's protocol.
 * @returns The socket.
 * @throws {OSError} `[Errno 9] Bad file descriptor` when `fd` is not open.
 *
 * @example
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import { assertEquals, assertNotEquals } from "@std/assert";
 *
 * using s = socket.socket();
 * using t = socket.fromfd(s.fileno(), socket.AF_INET, socket.SOCK_STREAM);
 * assertNotEquals(t.fileno(), s.fileno());
 * assertEquals(t.family, socket.AF_INET);
 * ```
 */
export function fromfd<F extends number, T extends number>(
  fd: number,
  family: F,
  type: T,
  proto: number = 0,
): Socket<F, T> {
  checkArgs(ARGS.fromfd, arguments);
  const copy = dup(fd);
  try {
    return new Socket(family, type, proto, copy);
  } catch (err) {
    // The duplicate is no one's: closed, or the connection would outlive
    // its last socket.
    const entry = descriptor(copy);
    if (entry !== undefined && closeDescriptor(copy)) entry.transport.close();
    throw err;
  }
}
