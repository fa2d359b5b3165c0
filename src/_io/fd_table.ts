// Copyright the pysocket authors. MIT license.
// The process's table of open sockets, as the OS keeps one: a descriptor
// number for each transport. `Socket` objects are made around an entry
// (CPython's `socket(fileno=…)`), which is how `accept()`, `socketpair()`
// and `SSLSocket` adopt a transport, and how `select` finds a socket from a
// number.
//
// The table is an FdMap, not a `Map`: a server opens and closes a
// descriptor per connection, and with a `Map` of them V8 kept closed
// connections alive (fd_map.ts). Measured on Node, an HTTP/1.0 server with
// 50 connections at a time promoted megabytes per collection and spent
// about a fifth more CPU per request.

import { FdMap } from "./fd_map.ts";
import type { Transport } from "./transport.ts";

/** What a descriptor stands for. */
export interface Descriptor {
  readonly transport: Transport;
  readonly family: number;
  readonly type: number;
  readonly proto: number;
  /** How many descriptors stand for it (`dup()` makes more). */
  refs: number;
}

const table = new FdMap<Descriptor>();

/** The lowest free number (from 3, as the OS hands descriptors out). */
function lowestFree(): number {
  let fd = 3;
  while (table.has(fd)) fd++;
  return fd;
}

/**
 * Enters a transport in the table under the lowest free number (from 3, as
 * the OS hands descriptors out after stdin, stdout and stderr).
 *
 * @param transport The transport.
 * @param family Its socket's family.
 * @param type Its socket's type.
 * @param proto Its socket's protocol.
 * @returns The descriptor number.
 */
export function openDescriptor(
  transport: Transport,
  family: number,
  type: number,
  proto: number,
): number {
  const fd = lowestFree();
  table.set(fd, { transport, family, type, proto, refs: 1 });
  return fd;
}

/**
 * Another number for what `fd` stands for (the OS's `dup`), or
 * `undefined` if `fd` is not open.
 */
export function duplicateDescriptor(fd: number): number | undefined {
  const entry = table.get(fd);
  if (entry === undefined) return undefined;
  const copy = lowestFree();
  table.set(copy, entry);
  entry.refs++;
  return copy;
}

/** The entry for `fd`, or `undefined` if it is not open. */
export function descriptor(fd: number): Descriptor | undefined {
  return table.get(fd);
}

/**
 * Frees `fd`, an open descriptor (the socket closed).
 *
 * @returns Whether it was its transport's last descriptor: then the
 * transport is to be closed.
 */
export function closeDescriptor(fd: number): boolean {
  const entry = table.get(fd)!;
  table.delete(fd);
  return --entry.refs === 0;
}
