// Copyright the pysocket authors. MIT license.
// Unit tests of the engine's small parts (src/_io/) that the conformance
// tests reach only through sockets: the queues' shift and the buffer pool.

import { assert, assertEquals } from "@std/assert";
import { shiftFirst } from "../src/_io/shift_first.ts";
import { copyOut, copyToSend, keep, lease } from "../src/_io/pool.ts";
import { test } from "./_util.ts";

test("shiftFirst: entries come out in order, the last one too, and the array takes more after", () => {
  const q = [1, 2, 3];
  assertEquals([shiftFirst(q), shiftFirst(q), q], [1, 2, [3]]);
  assertEquals([shiftFirst(q), q, shiftFirst(q)], [3, [], undefined]);
  q.push(4, 5);
  assertEquals([shiftFirst(q), shiftFirst(q), q.length], [4, 5, 0]);
});

test("pool: a lease gives back what it did not use only while nothing was carved after it; send copies are memory of their own", () => {
  const src = new Uint8Array(300).map((_, i) => i % 251);
  // Fill slabs (64 KiB) until one is full to its end: what follows starts
  // a new one, whatever the tests before used of the slab in use.
  for (let i = 0; i < 32; i++) {
    const whole = keep(lease(4096)!, 4096);
    if (whole.byteOffset + 4096 === 64 * 1024) break;
  }
  // Given back: the next result starts right after the kept bytes.
  const first = keep(lease(64)!, 10);
  const second = copyOut(src, 5);
  assertEquals(first.byteOffset, 0);
  assertEquals(second.byteOffset, 16); // 10 bytes kept, 8-byte aligned
  assertEquals(second.buffer, first.buffer);
  // Not given back once something else was carved after the lease.
  const leased = lease(64)!;
  const between = copyOut(src, 3);
  const kept = keep(leased, 8);
  const after = copyOut(src, 4);
  assertEquals(kept.length, 8);
  assertEquals(
    [leased.byteOffset, between.byteOffset, after.byteOffset],
    [24, 88, 96],
  );
  // Copies are of exactly the bytes asked, short or long, from any offset.
  assertEquals([...copyOut(src, 200)], [...src.subarray(0, 200)]);
  assertEquals([...copyOut(src.subarray(7), 3)], [7, 8, 9]);
  const big = new Uint8Array(5000).fill(9);
  const bigCopy = copyOut(big, 5000);
  assertEquals([bigCopy.length, bigCopy[4999]], [5000, 9]);
  assert(bigCopy.buffer !== big.buffer);
  // The send buffer's copies never share a caller's result's memory.
  const sent = copyToSend(src, 32);
  assertEquals([...sent], [...src.subarray(0, 32)]);
  assert(sent.buffer !== copyOut(src, 32).buffer);
});
