// Copyright the pysocket authors. MIT license.
// Unit tests of the engine's small parts (src/_io/) that the conformance
// tests reach only through sockets: the queues' shift, the buffer pool and
// the send buffer's writes (over a fake connection), the descriptor map,
// the timed waits' shared timers.

import { assert, assertEquals } from "@std/assert";
import * as socket from "../mod.ts";
import { shiftFirst } from "../src/_io/shift_first.ts";
import { FdMap } from "../src/_io/fd_map.ts";
import { addDue, cancelDue, releaseIdle } from "../src/_io/deadlines.ts";
import { copyHeld, copyOut, copyToSend, keep, lease } from "../src/_io/pool.ts";
import { isIPv4Literal } from "../src/socket/address.ts";
import { SEND_BUFFER, StreamWriter } from "../src/_io/writer.ts";
import type { RawConn } from "../src/_backend/mod.ts";
import { Rng } from "./_rng.ts";
import { test } from "./_util.ts";

test("shiftFirst: entries come out in order, the last one too, and the array takes more after", () => {
  const q = [1, 2, 3];
  assertEquals([shiftFirst(q), shiftFirst(q), q], [1, 2, [3]]);
  assertEquals([shiftFirst(q), q, shiftFirst(q)], [3, [], undefined]);
  q.push(4, 5);
  assertEquals([shiftFirst(q), shiftFirst(q), q.length], [4, 5, 0]);
});

test("FdMap: answers and iterates as a Map does, in insertion order, through any sequence of changes", () => {
  const fds = new FdMap<object>();
  const map = new Map<number, object>();
  // A fixed pseudo-random sequence of sets (new keys and replacements),
  // deletes (present and absent keys) and one clear, over small and large
  // descriptors.
  let seed = 12345;
  const next = (n: number) =>
    (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
  const keys = [0, 3, 4, 5, 9, 17, 1023, 2 ** 31 - 1];
  for (let i = 0; i < 2000; i++) {
    const fd = keys[next(keys.length)];
    if (i === 1000) {
      fds.clear();
      map.clear();
    } else if (next(3) === 0) {
      assertEquals(fds.delete(fd), map.delete(fd));
    } else {
      const value = { i };
      fds.set(fd, value);
      map.set(fd, value);
    }
    assertEquals(fds.size, map.size);
    assertEquals(fds.has(fd), map.has(fd));
    assertEquals(fds.get(fd), map.get(fd));
    assertEquals([...fds.keys()], [...map.keys()]);
  }
  assertEquals([...fds], [...map]);
  assertEquals([...fds.keys()], [...map.keys()]);
  assertEquals([...fds.values()], [...map.values()]);
  const seen: [number, object][] = [];
  fds.forEach((v, k, m) => {
    assert(m === fds);
    seen.push([k, v]);
  });
  assertEquals(seen, [...map.entries()]);
  // As a Map's, an iteration in progress sees what is added and skips what
  // is deleted.
  const live = new FdMap<string>().set(3, "a").set(4, "b").set(5, "c");
  const order: number[] = [];
  for (const [fd] of live) {
    order.push(fd);
    if (fd === 3) {
      live.delete(4);
      live.set(6, "d");
    }
  }
  assertEquals(order, [3, 5, 6]);
  assertEquals([live.get(4), live.has(4), live.get(-1), live.get(3.5)], [
    undefined,
    false,
    undefined,
    undefined,
  ]);
});

test("FdMap: a Map's order through churn of many keys, also when an iteration in progress meets it", () => {
  // Enough keys, and enough deleted, that the order is compacted many
  // times; the same numbers reused, as descriptors are.
  const rng = new Rng(777);
  const next = (n: number) => rng.int(0, n - 1);
  const fds = new FdMap<number>();
  const map = new Map<number, number>();
  for (let step = 0; step < 20_000; step++) {
    const fd = 3 + next(300);
    if (next(2) === 0) assertEquals(fds.delete(fd), map.delete(fd));
    else {
      fds.set(fd, step);
      map.set(fd, step);
    }
    if (step % 997 === 0) assertEquals([...fds], [...map]);
  }
  assertEquals([...fds], [...map]);
  // An iteration that changes the map at each entry it reaches (deleting
  // runs of keys, so that the order is compacted under it; deleting,
  // adding and re-adding keys), the same changes for both: the same
  // entries come, in the same order, and the same remain.
  const walk = (m: FdMap<number> | Map<number, number>, seed: number) => {
    const rng = new Rng(seed);
    const pick = (n: number) => rng.int(0, n - 1);
    const seen: [number, number][] = [];
    for (const [fd, v] of m) {
      seen.push([fd, v]);
      const other = 3 + pick(300);
      switch (pick(4)) {
        case 0:
          for (let d = other; d < other + 60; d++) m.delete(d);
          break;
        case 1:
          m.delete(other);
          break;
        case 2:
          m.set(other, -seed);
          break;
        default:
          m.delete(fd);
          m.set(fd, seed);
      }
      if (seen.length > 5_000) break;
    }
    return seen;
  };
  for (let round = 1; round <= 30; round++) {
    // Some rounds start from a fuller map.
    for (let fd = 3; fd < 3 + 300; fd += 1 + (round % 3)) {
      fds.set(fd, round);
      map.set(fd, round);
    }
    assertEquals(walk(fds, round), walk(map, round));
    assertEquals([...fds], [...map]);
    assertEquals(fds.size, map.size);
  }
});

test("deadlines: waits of one length fire in order and not early, cleared ones never, the first one too; no timer is left once released", async () => {
  // (The test's sanitizers fail it if a timer outlives it: the lists'
  // timers left armed are cleared by releaseIdle(), as a socket's close()
  // does.)
  const fired: string[] = [];
  const late: Record<string, number> = {};
  const done = Promise.withResolvers<void>();
  const due = (name: string, ms: number) => {
    const deadline = performance.now() + ms;
    return addDue(ms, () => {
      fired.push(name);
      late[name] = performance.now() - deadline;
      if (fired.length === 3) done.resolve();
    });
  };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  // (Long enough that a loaded machine's late sleeps do not reach them.)
  const a = due("a", 300);
  await sleep(20);
  due("b", 300);
  const c = due("c", 300);
  due("short", 150);
  await sleep(20);
  due("d", 300);
  // The first (the list's timer is armed for it) and one between.
  cancelDue(a);
  cancelDue(c);
  cancelDue(c);
  await done.promise;
  // The last one cleared leaves the timer armed (a long one) until
  // released.
  cancelDue(due("e", 5000));
  await sleep(100);
  releaseIdle();
  assertEquals(fired, ["short", "b", "d"]);
  for (const name of fired) {
    // Not before its time (timers count whole milliseconds), nor long after.
    assert(late[name] > -1 && late[name] < 2000, `${name}: ${late[name]} ms`);
  }
});

test("deadlines: a list left empty (cleared or fired) serves the next waits of its length, one after another or several lengths in turn; no timer is left", async () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const fired: string[] = [];
  // How late the wait fired; Infinity if it had not within 2 s.
  const wait = (name: string, ms: number) => {
    const deadline = performance.now() + ms;
    const { promise, resolve } = Promise.withResolvers<number>();
    const due = addDue(ms, () => {
      fired.push(name);
      resolve(performance.now() - deadline);
    });
    const bound = setTimeout(() => {
      cancelDue(due);
      resolve(Infinity);
    }, 2000);
    return promise.finally(() => clearTimeout(bound));
  };
  // Emptied by clearing, again and again, in one length and in two.
  for (let i = 0; i < 5; i++) cancelDue(addDue(41, () => fired.push("x")));
  for (let i = 0; i < 5; i++) {
    cancelDue(addDue(42, () => fired.push("y")));
    cancelDue(addDue(43, () => fired.push("z")));
  }
  // Emptied by firing, then used again; with the other lengths in turn.
  for (const ms of [43, 43, 42, 41, 42, 41]) {
    const late = await wait(`w${ms}`, ms);
    assert(late > -1 && late < 1000, `${ms} ms: ${late} ms late`);
  }
  // A cleared wait in a kept list never fires; its neighbour does.
  const gone = addDue(41, () => fired.push("gone"));
  const kept = wait("kept", 41);
  cancelDue(gone);
  await kept;
  await sleep(60);
  releaseIdle();
  assertEquals(fired, ["w43", "w43", "w42", "w41", "w42", "w41", "kept"]);
});

test("deadlines: a wait after the list was left empty fires at its own deadline, not the earlier one its timer was armed for", async () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  // (With no socket open, a list left empty clears its timer at once.)
  using _open = socket.socket();
  // Left empty: its timer stays armed for 300 ms after the first wait.
  cancelDue(addDue(300, () => {}));
  await sleep(150);
  const start = performance.now();
  const { promise, resolve } = Promise.withResolvers<number>();
  addDue(300, () => resolve(performance.now() - start));
  const took = await promise;
  releaseIdle();
  // (Timers count whole milliseconds and may fire up to one early.)
  assert(took > 298 && took < 2000, `fired after ${took} ms`);
});

test("isIPv4Literal: each host's answer, asked again or in turn with others", () => {
  const hosts: [string, boolean][] = [
    ["127.0.0.1", true],
    ["127.0.0.1", true],
    ["localhost", false],
    ["127.0.0.1", true],
    ["::1", false],
    ["", false],
    ["1.2.3.4", true],
    ["1.2.3.4.5", false],
    ["1.2.3.4", true],
  ];
  for (const [host, v4] of hosts) assertEquals(isIPv4Literal(host), v4, host);
});

test("pool: a lease gives back what it did not use only while nothing was carved after it; leases and held copies share a slab no result is in; send copies are memory of their own", () => {
  const src = new Uint8Array(300).map((_, i) => i % 251);
  // Fill slabs (64 KiB) until one is full to its end: what follows starts
  // a new one, whatever the tests before used of the slab in use.
  for (let i = 0; i < 32; i++) {
    const whole = keep(lease(4096)!, 4096);
    if (whole.byteOffset + 4096 === 64 * 1024) break;
  }
  // Given back: the next result starts right after the kept bytes.
  const first = keep(lease(64)!, 10);
  const second = copyHeld(src, 5);
  assertEquals(first.byteOffset, 0);
  assertEquals(second.byteOffset, 16); // 10 bytes kept, 8-byte aligned
  assertEquals(second.buffer, first.buffer);
  // Not given back once something else was carved after the lease.
  const leased = lease(64)!;
  const between = copyHeld(src, 3);
  const kept = keep(leased, 8);
  const after = copyHeld(src, 4);
  assertEquals(kept.length, 8);
  assertEquals(
    [leased.byteOffset, between.byteOffset, after.byteOffset],
    [24, 88, 96],
  );
  // Results are carved elsewhere: a caller who transfers one away takes
  // no held bytes with it.
  assert(copyOut(src, 5).buffer !== first.buffer);
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

test("pool: a copy holds exactly the bytes asked, of all of its source or part of it, at every size around the copy's thresholds", () => {
  for (const n of [1, 7, 31, 32, 33, 64, 127, 128, 129, 300, 4096, 4097]) {
    const src = new Uint8Array(n + 5).map((_, i) => (i * 7 + n) % 256);
    const whole = src.subarray(2, 2 + n);
    const copy = copyOut(whole, n);
    assertEquals([copy.length, [...copy]], [n, [...whole]], `all of ${n}`);
    assert(copy.buffer !== src.buffer, `all of ${n}: its own memory`);
    const part = copyOut(src, n);
    assertEquals([...part], [...src.subarray(0, n)], `part: ${n} of ${n + 5}`);
    // Later copies leave earlier results as they were.
    copyOut(new Uint8Array(n).fill(255), n);
    assertEquals([...copy], [...whole], `all of ${n}, after another copy`);
  }
});

/**
 * A connection whose kernel takes `room` bytes at once (`tryWrite`, which
 * keeps nothing) and whose queued writes keep the memory they were given
 * until `drain()`, as a runtime's writes do: bytes a caller changed after
 * a send returned would show on the wire.
 */
class FakeConn {
  room = 0;
  tries = 0;
  wire: number[] = [];
  #held: { p: Uint8Array; done: (n: number) => void }[] = [];

  tryWrite(p: Uint8Array): number {
    this.tries++;
    const k = Math.min(this.room, p.length);
    this.room -= k;
    this.wire.push(...p.subarray(0, k));
    return k;
  }

  writeNow(p: Uint8Array): Promise<number> {
    const { promise, resolve } = Promise.withResolvers<number>();
    this.#held.push({ p, done: resolve });
    return promise;
  }

  write(p: Uint8Array): Promise<number> {
    return this.writeNow(p);
  }

  /** The queued writes reach the wire, with their memory as it is now. */
  async drain(): Promise<void> {
    while (this.#held.length > 0) {
      const { p, done } = this.#held.shift()!;
      this.wire.push(...p);
      done(p.length);
      await null;
    }
  }
}

test("writer: a non-blocking send writes what the kernel takes at once without a copy, copies only the rest, and never writes ahead of what is queued", async () => {
  const conn = new FakeConn();
  const writer = new StreamWriter(conn as unknown as RawConn, () => {});
  const bytes = (from: number, n: number) =>
    new Uint8Array(n).map((_, i) => from + i);
  // The kernel takes 5 of 10: send() returns 5, as the kernel's send does.
  conn.room = 5;
  const a = bytes(1, 10);
  assertEquals(await writer.send(a, 0), 5);
  a.fill(0);
  // No room: the bytes are copied into the send buffer, all of them.
  const b = bytes(11, 4);
  assertEquals(await writer.send(b, 0), 4);
  b.fill(0);
  // Room again, but a write is queued: this one waits behind it (copied).
  conn.room = 100;
  const c = bytes(21, 2);
  assertEquals(await writer.send(c, 0), 2);
  c.fill(0);
  assertEquals(conn.tries, 2);
  // A non-blocking sendall() once the queue is empty: 3 at once, the rest
  // copied.
  await conn.drain();
  conn.room = 3;
  const d = bytes(31, 6);
  await writer.sendall(d, 0);
  d.fill(0);
  await conn.drain();
  assertEquals(conn.wire, [
    ...bytes(1, 5),
    ...bytes(11, 4),
    ...bytes(21, 2),
    ...bytes(31, 6),
  ]);
  assertEquals(writer.written, 17);
});

test("writer: readiness is told when a write ends that made room in a full buffer, not at every write that ends", async () => {
  // A connection whose writes end when the test says.
  const ends: (() => void)[] = [];
  const conn = {
    write: (p: Uint8Array) =>
      new Promise<number>((resolve) => ends.push(() => resolve(p.length))),
  };
  let told = 0;
  const writer = new StreamWriter(conn as unknown as RawConn, () => told++);
  const end = async () => {
    ends.shift()!();
    await null;
    await null;
  };
  // A send that leaves room: writable before its write ends and after.
  assertEquals(await writer.send(new Uint8Array(10), 0), 10);
  assertEquals(writer.poll(), true);
  await end();
  assertEquals([told, writer.queued, writer.poll()], [0, 0, true]);
  // A send that fills the buffer: writable again once its write ends.
  assertEquals(
    await writer.send(new Uint8Array(SEND_BUFFER + 5), 0),
    SEND_BUFFER,
  );
  assertEquals([told, writer.poll()], [0, false]);
  await end();
  assertEquals([told, writer.queued, writer.poll()], [1, 0, true]);
});
