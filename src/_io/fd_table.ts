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
//
// The table is the process's, not this module's: two copies of the library
// in one program (two versions of the package, a bundle beside the source)
// share it, as Python has one `socket` module and threads share the OS's
// table; else each copy numbers from 3, and one copy's select() answers
// for its own socket of a number another copy handed out. A worker is
// another realm, with its own table, as another process.

import { FdMap } from "./fd_map.ts";
import type { Transport } from "./transport.ts";
import type { PortClaims } from "../_backend/bound_ports.ts";
import type { NamedDatagrams } from "./datagram.ts";

/** What a descriptor stands for. */
export interface Descriptor {
  readonly transport: Transport;
  readonly family: number;
  readonly type: number;
  readonly proto: number;
  /** How many descriptors stand for it (`dup()` makes more). */
  refs: number;
}

/**
 * What the process has once: the descriptor table and its free numbers,
 * the default timeout (`setdefaulttimeout()`), the ports held
 * (bound_ports.ts), the Unix datagram sockets that have a name
 * (datagram.ts). Its first copy makes it; later ones take it from
 * `globalThis`, under a key that names its layout.
 */
export interface ProcessState {
  readonly descriptors: FdMap<Descriptor>;
  readonly free: { take(): number; give(n: number): void };
  defaultTimeout: number | null;
  readonly ports: PortClaims;
  readonly unixDatagrams: NamedDatagrams;
}

/**
 * Where the process's state is: the version changes with the shape of
 * {@linkcode ProcessState} or of what it holds (a `Descriptor`, a
 * `Transport`, the `FdMap`'s methods, a `BoundPort`, a `NamedDatagram`),
 * where an older copy would misread it; copies of different layouts keep
 * their own.
 */
const STATE = Symbol.for("@pysocket/socket process state v1");

/**
 * The free numbers, lowest first, as the OS hands descriptors out (from
 * 3): those below `#top` that were freed, in a binary heap, then `#top`
 * and up. Taking the lowest costs O(log n) however many are open; a scan
 * from 3 cost a step per open descriptor below the free one (a server
 * with 10,000 connections open scanned them for each accept).
 */
class FreeNumbers {
  #heap: number[] = [];
  #top = 3;

  /** The lowest free number, now in use. */
  take(): number {
    const heap = this.#heap;
    if (heap.length === 0) return this.#top++;
    const lowest = heap[0];
    const last = heap.pop()!;
    if (heap.length > 0) {
      // Sift `last` down from the root.
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= heap.length) break;
        const right = left + 1;
        const child = right < heap.length && heap[right] < heap[left]
          ? right
          : left;
        if (heap[child] >= last) break;
        heap[i] = heap[child];
        i = child;
      }
      heap[i] = last;
    }
    return lowest;
  }

  /** `n`, in use until now, is free. */
  give(n: number): void {
    const heap = this.#heap;
    let i = heap.length;
    heap.push(n);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent] <= n) break;
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = n;
  }
}

/** The process's state, made by the first copy of this module. */
export const processState: ProcessState =
  ((globalThis as Record<symbol, ProcessState | undefined>)[STATE] ??= {
    descriptors: new FdMap<Descriptor>(),
    free: new FreeNumbers(),
    defaultTimeout: null,
    ports: { bound: new Map(), closing: new Map(), closingOn: new Map() },
    unixDatagrams: { named: new Map(), shut: 0 },
  });

const table = processState.descriptors;
const free = processState.free;

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
  const fd = free.take();
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
  const copy = free.take();
  table.set(copy, entry);
  entry.refs++;
  return copy;
}

/** How many descriptors are open. */
export function openDescriptors(): number {
  return table.size;
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
  free.give(fd);
  return --entry.refs === 0;
}
