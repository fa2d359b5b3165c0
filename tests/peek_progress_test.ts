// Copyright the pysocket authors. MIT license.
// `recv(n, MSG_PEEK)` sees what has arrived since the last call, as Linux's
// does (it returns min(n, all the kernel holds)): a peek never stays stuck at
// what pysocket had buffered, so "peek until the header is complete" ends.
// Each scenario's answer is CPython 3.11's on Linux.

import { assert, assertEquals } from "@std/assert";
import * as socket from "../mod.ts";
import * as select from "../select.ts";
import {
  b,
  bounded,
  closeAll,
  runtime,
  sleep,
  str,
  tcpPair,
  type TcpSocket,
  test,
} from "./_util.ts";

const { MSG_PEEK } = socket;

/** A connected pair: the server's end `a` (timeout 1 s) and the client `c`. */
async function pair(): Promise<[TcpSocket, TcpSocket, TcpSocket]> {
  const { server, client, conn } = await tcpPair();
  conn.settimeout(1);
  return [conn, client, server];
}

/** `a.recv(n, MSG_PEEK)`, bounded: a hang fails the test. */
function peek(a: TcpSocket, n: number): Promise<Uint8Array> {
  return bounded(a.recv(n, MSG_PEEK), 3000, `recv(${n}, MSG_PEEK)`);
}

test("recv(MSG_PEEK) after more bytes arrived returns them too (peeked 'he', then 'llo' came)", async () => {
  const [a, c, srv] = await pair();
  try {
    await c.sendall(b("he"));
    await sleep(100);
    assertEquals(str(await peek(a, 5)), "he");
    await c.sendall(b("llo"));
    await sleep(100);
    assertEquals(str(await peek(a, 5)), "hello");
    assertEquals(str(await peek(a, 5)), "hello");
    assertEquals(str(await a.recv(5)), "hello");
  } finally {
    await closeAll(a, c, srv);
  }
});

test("recv_into(MSG_PEEK) after more bytes arrived fills the buffer with them", async () => {
  const [a, c, srv] = await pair();
  try {
    await c.sendall(b("he"));
    await sleep(100);
    const buf = new Uint8Array(5);
    assertEquals(await a.recv_into(buf, 0, MSG_PEEK), 2);
    await c.sendall(b("llo"));
    await sleep(100);
    assertEquals(
      await bounded(a.recv_into(buf, 0, MSG_PEEK), 3000, "recv_into"),
      5,
    );
    assertEquals(str(buf), "hello");
    assertEquals(str(await a.recv(5)), "hello");
  } finally {
    await closeAll(a, c, srv);
  }
});

test("recv(MSG_PEEK) after select() said readable sees the bytes that came later", async () => {
  const [a, c, srv] = await pair();
  try {
    await c.sendall(b("he"));
    await sleep(100);
    const [r] = await select.select([a], [], [], 1);
    assertEquals(r.length, 1);
    await c.sendall(b("llo"));
    await sleep(100);
    assertEquals(str(await peek(a, 5)), "hello");
    assertEquals(str(await a.recv(5)), "hello");
  } finally {
    await closeAll(a, c, srv);
  }
});

for (
  const [what, timeout, n, flags, raises] of [
    ["a non-blocking recv(1)", 0, 1, 0, "BlockingIOError"],
    ["a timed-out recv(1)", 0.1, 1, 0, "TimeoutError"],
    ["a timed-out recv(2, MSG_PEEK)", 0.1, 2, MSG_PEEK, "TimeoutError"],
  ] as const
) {
  test(`recv(MSG_PEEK) after ${what} that raised ${raises} sees all that came, and recv(5) then takes it`, async () => {
    const [a, c, srv] = await pair();
    try {
      a.settimeout(timeout);
      let raised = "";
      try {
        await a.recv(n, flags);
      } catch (err) {
        raised = (err as Error).constructor.name;
      }
      assertEquals(raised, raises);
      await c.sendall(b("he"));
      await sleep(100);
      await c.sendall(b("llo"));
      await sleep(100);
      a.settimeout(1);
      assertEquals(str(await peek(a, 5)), "hello");
      assertEquals(str(await a.recv(5)), "hello");
    } finally {
      await closeAll(a, c, srv);
    }
  });
}

test("a non-blocking recv(MSG_PEEK) returns what was held and what came since, without BlockingIOError", async () => {
  const [a, c, srv] = await pair();
  try {
    await c.sendall(b("ab"));
    await sleep(100);
    assertEquals(str(await peek(a, 4)), "ab");
    a.setblocking(false);
    await c.sendall(b("cd"));
    await sleep(100);
    assertEquals(str(await peek(a, 4)), "abcd");
    assertEquals(str(await a.recv(4)), "abcd");
  } finally {
    await closeAll(a, c, srv);
  }
});

test("a loop of recv(MSG_PEEK) until the header is complete ends once the rest comes (no spin, no hang)", async () => {
  const [a, c, srv] = await pair();
  try {
    a.settimeout(null);
    await c.sendall(b("he"));
    await sleep(100);
    assertEquals(str(await peek(a, 5)), "he");
    const later = setTimeout(() => c.sendall(b("llo")), 100);
    const start = Date.now();
    let seen = new Uint8Array(0);
    let peeks = 0;
    // The clock bounds the loop: a peek that never yields to the event loop
    // would starve any timer that was to end it.
    while (Date.now() - start < 3000) {
      seen = await a.recv(5, MSG_PEEK);
      peeks++;
      if (seen.length >= 5) break;
    }
    clearTimeout(later);
    assertEquals(str(seen), "hello", `after ${peeks} peeks`);
    assert(Date.now() - start < 2000, `took ${Date.now() - start} ms`);
    assertEquals(str(await a.recv(5)), "hello");
  } finally {
    await closeAll(a, c, srv);
  }
});

test("recv(MSG_PEEK) with fewer bytes held than asked and nothing more coming returns them at once", async () => {
  const [a, c, srv] = await pair();
  try {
    await c.sendall(b("he"));
    await sleep(100);
    assertEquals(str(await peek(a, 5)), "he");
    for (const timeout of [1, null, 0]) {
      a.settimeout(timeout);
      const start = performance.now();
      assertEquals(str(await peek(a, 5)), "he", `timeout ${timeout}`);
      const ms = performance.now() - start;
      assert(ms < 500, `timeout ${timeout}: took ${ms} ms`);
    }
    a.settimeout(1);
    // The read started for the peek delivers what comes next, in order.
    await c.sendall(b("llo"));
    assertEquals(str(await a.recv(2)), "he");
    assertEquals(str(await a.recv(3)), "llo");
  } finally {
    await closeAll(a, c, srv);
  }
});

test("recv(MSG_PEEK) and recv() called together are served in order", async () => {
  const [a, c, srv] = await pair();
  try {
    await c.sendall(b("he"));
    await sleep(100);
    assertEquals(str(await peek(a, 5)), "he");
    await c.sendall(b("llo"));
    await sleep(100);
    const first = a.recv(5, MSG_PEEK);
    const second = a.recv(3);
    const third = a.recv(5, MSG_PEEK);
    assertEquals(str(await bounded(first, 3000, "peek")), "hello");
    assertEquals(str(await bounded(second, 3000, "recv")), "hel");
    assertEquals(str(await bounded(third, 3000, "peek")), "lo");
  } finally {
    await closeAll(a, c, srv);
  }
});

test("recv() after select() also takes what the runtime holds already (Node, Bun; Deno's comes with the next call)", async () => {
  const [a, c, srv] = await pair();
  try {
    await c.sendall(b("ab"));
    await sleep(100);
    const [r] = await select.select([a], [], [], 1);
    assertEquals(r.length, 1);
    await c.sendall(b("cd"));
    await sleep(100);
    const first = str(await bounded(a.recv(4), 3000, "recv(4)"));
    if (runtime === "deno") {
      // One recv() returns at most one read of the runtime (README): the
      // read ahead for select() brought "ab", the kernel holds the rest.
      assertEquals(first, "ab");
      assertEquals(str(await bounded(a.recv(4), 3000, "recv(4)")), "cd");
    } else assertEquals(first, "abcd");
  } finally {
    await closeAll(a, c, srv);
  }
});
