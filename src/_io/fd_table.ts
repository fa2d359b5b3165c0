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

const free = new FreeNumbers();

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
