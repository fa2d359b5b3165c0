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
}

const table = new FdMap<Descriptor>();

/**
 * Enters a transport in the table under the lowest free number (from 3, as
 * the OS hands descriptors out after stdin, stdout and stderr).
 *
 * @param entry The transport and its socket's kind.
 * @returns The descriptor number.
 */
export function openDescriptor(entry: Descriptor): number {
  let fd = 3;
  while (table.has(fd)) fd++;
  table.set(fd, entry);
  return fd;
}

/** The entry for `fd`, or `undefined` if it is not open. */
export function descriptor(fd: number): Descriptor | undefined {
  return table.get(fd);
}

/** Frees `fd` (the socket closed). */
export function closeDescriptor(fd: number): void {
  table.delete(fd);
}
