// Copyright the pysocket authors. MIT license.
// The process's table of open sockets, as the OS keeps one: a descriptor
// number for each transport. `Socket` objects are made around an entry
// (CPython's `socket(fileno=…)`), which is how `accept()`, `socketpair()`
// and `SSLSocket` adopt a transport, and how `select` finds a socket from a
// number.
//
// The table is an array indexed by number, not a `Map`: a server opens and
// closes a descriptor per connection, and V8 rebuilds a `Map`'s storage
// every few additions after deletions. A discarded storage that had
// outlived a young-generation collection keeps the connections it listed
// alive until the next full collection, and with them everything they
// reference: measured on Node, an HTTP/1.0 server with 50 connections at a
// time promoted megabytes per collection and spent about a fifth more CPU
// per request.

import type { Transport } from "./transport.ts";

/** What a descriptor stands for. */
export interface Descriptor {
  readonly transport: Transport;
  readonly family: number;
  readonly type: number;
  readonly proto: number;
}

/** Entries by descriptor number; `undefined`: free. */
const table: (Descriptor | undefined)[] = [];

/**
 * Enters a transport in the table under the lowest free number (from 3, as
 * the OS hands descriptors out after stdin, stdout and stderr).
 *
 * @param entry The transport and its socket's kind.
 * @returns The descriptor number.
 */
export function openDescriptor(entry: Descriptor): number {
  let fd = 3;
  while (table[fd] !== undefined) fd++;
  table[fd] = entry;
  return fd;
}

/** The entry for `fd`, or `undefined` if it is not open. */
export function descriptor(fd: number): Descriptor | undefined {
  return Number.isInteger(fd) && fd >= 0 ? table[fd] : undefined;
}

/** Frees `fd` (the socket closed). */
export function closeDescriptor(fd: number): void {
  if (fd >= 0 && fd < table.length) table[fd] = undefined;
}
