// Copyright the pysocket authors. MIT license.
// Readiness corners where pysocket must do what CPython 3.11 on Linux does:
// an EpollSelector closed while select() waits, a registered socket closed
// while a dup() keeps its connection open, poll()'s event masks beyond a C
// unsigned long, and the select.poll type, which cannot be instantiated.

import { assert, assertEquals, assertInstanceOf } from "@std/assert";
import * as socket from "../mod.ts";
import * as select from "../select.ts";
import * as selectors from "../selectors.ts";
import { bounded, closeAll, errorOf, sleep, tcpPair, test } from "./_util.ts";

type AnySelector = selectors.BaseSelector<unknown, selectors.FileObject>;

const CLASSES: [string, new () => AnySelector][] = [
  ["EpollSelector", selectors.EpollSelector],
  ["PollSelector", selectors.PollSelector],
  ["SelectSelector", selectors.SelectSelector],
];

for (const [name, Class] of CLASSES) {
  for (const timeout of [null, 1.5]) {
    test(`${name}: close() while select(${timeout}) waits ends the wait with [] at the next event, as python3's does`, async () => {
      // python3 (Linux keeps a closed epoll for the wait in progress):
      // select() returns [] when data comes, not at its timeout, and never
      // hangs; the next select() raises on epoll, returns [] on the others.
      const { server, client, conn } = await tcpPair();
      try {
        const sel = new Class();
        sel.register(conn, selectors.EVENT_READ, "conn");
        const start = performance.now();
        const waiting = sel.select(timeout).then((ready) => ({
          ready,
          ms: performance.now() - start,
        }));
        await sleep(50);
        sel.close();
        await sleep(250);
        await client.sendall(new Uint8Array([120]));
        const { ready, ms } = await bounded(waiting, 3000, "select()");
        assertEquals(ready, []);
        assert(ms >= 250 && ms < 1200, `returned after ${ms} ms`);
        if (name === "EpollSelector") {
          const err = await errorOf(() => sel.select(0));
          assertInstanceOf(err, socket.ValueError);
          assertEquals(err?.message, "I/O operation on closed epoll object");
        } else assertEquals(await sel.select(0), []);
      } finally {
        await closeAll(client, conn, server);
      }
    });
  }
}

test("each selector class reports a registered socket closed while its dup() keeps the connection open as python3 does", async () => {
  // python3: epoll watches the open file description (reported under the
  // key until the dup closes too); poll() reports POLLNVAL for the closed
  // number (both events, masked by the key's); select() fails with EBADF.
  for (const [name, Class] of CLASSES) {
    const { server, client, conn } = await tcpPair();
    const sel = new Class();
    const key = sel.register(conn, selectors.EVENT_READ, "conn");
    const dup = conn.dup();
    try {
      conn.close();
      await client.sendall(new Uint8Array([120]));
      const first = await errorOf(async () => {
        const start = performance.now();
        const ready = await bounded(sel.select(2), 5000, "select(2)");
        assertEquals(
          ready.map(([k, e]) => [k === key, e]),
          [[true, selectors.EVENT_READ]],
          name,
        );
        assert(performance.now() - start < 1000, name);
      });
      if (name === "SelectSelector") {
        assertInstanceOf(first, socket.OSError, name);
        assertEquals(first?.message, "[Errno 9] Bad file descriptor");
      } else if (first !== null) throw first;
      // The data is there for the dup.
      assertEquals(await dup.recv(10), new Uint8Array([120]));
      await client.sendall(new Uint8Array([121]));
      dup.close();
      await sleep(50);
      if (name === "EpollSelector") {
        // The connection closed with its last descriptor: epoll dropped it.
        assertEquals(await sel.select(0.05), [], name);
      }
      assertEquals(sel.unregister(conn), key, name);
    } finally {
      sel.close();
      await closeAll(dup, client, server);
    }
  }
});

test("poll(): register() and modify() with a mask beyond a C unsigned long raise python3's OverflowError", async () => {
  const { server, client, conn } = await tcpPair();
  try {
    const p = select.poll();
    const cases: [number | bigint, string][] = [
      [2n ** 16n, "Python int too large for C unsigned short"],
      [2n ** 64n - 1n, "Python int too large for C unsigned short"],
      [2n ** 64n, "Python int too large to convert to C unsigned long"],
      [2n ** 100n, "Python int too large to convert to C unsigned long"],
      [2 ** 64, "Python int too large to convert to C unsigned long"],
    ];
    p.register(conn, select.POLLIN);
    for (const [mask, message] of cases) {
      for (const op of ["register", "modify"] as const) {
        const err = await errorOf(() => p[op](conn, mask as number));
        assertInstanceOf(err, socket.OverflowError, `${op}(${mask})`);
        assertEquals(err?.message, message, `${op}(${mask})`);
      }
    }
    // The registration is unchanged.
    await client.sendall(new Uint8Array([1]));
    assertEquals(await p.poll(5000), [[conn.fileno(), select.POLLIN]]);
  } finally {
    await closeAll(client, conn, server);
  }
});

test("select.poll's type cannot be instantiated, as python3's; select.poll() still makes one", async () => {
  const Poll = select.poll().constructor as new (...args: unknown[]) => unknown;
  for (const args of [[], [1, 2]]) {
    const err = await errorOf(() => new Poll(...args));
    assertInstanceOf(err, TypeError);
    assertEquals(err?.message, "cannot create 'select.poll' instances");
  }
  const { server, client, conn } = await tcpPair();
  try {
    const p = select.poll();
    assert(p instanceof Poll);
    p.register(conn, select.POLLIN);
    await client.sendall(new Uint8Array([1]));
    assertEquals(await p.poll(5000), [[conn.fileno(), select.POLLIN]]);
  } finally {
    await closeAll(client, conn, server);
  }
});
