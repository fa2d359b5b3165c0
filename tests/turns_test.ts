// Copyright the pysocket authors. MIT license.
// Taking turns, as Python's threads do: a loop on calls that answer at once
// (a receive at the end of stream, a call that fails, a datagram sent, bytes
// held already, a TLS receive after the peer's close) must still let the
// event loop run a timer or another task, as CPython's other threads run
// (python3: each loop below stops at its 20 ms timer). Each loop is bounded:
// without turns it ends at its bound, not at the timer.

import { assert, assertEquals } from "@std/assert";
import * as socket from "../mod.ts";
import { b, plainPair, str, test } from "./_util.ts";
import { loopbackTls } from "./_certs.ts";

/**
 * Calls `call` in a loop until a 20 ms timer sets the stop flag (errors
 * are caught, as a Python loop's `except OSError: continue`), at most
 * 3,000,000 times: whether the timer stopped it, and after how long.
 */
async function loopUntilTimer(
  call: () => Promise<unknown>,
): Promise<{ stopped: boolean; ms: number }> {
  let stop = false;
  const timer = setTimeout(() => stop = true, 20);
  const start = performance.now();
  try {
    for (let i = 0; i < 3_000_000 && !stop; i++) {
      try {
        await call();
      } catch {
        // As the Python loop: on to the next call.
      }
    }
  } finally {
    clearTimeout(timer);
  }
  return { stopped: stop, ms: performance.now() - start };
}

/** The loop stopped at its timer, well within a second. */
function assertTurns(got: { stopped: boolean; ms: number }): void {
  assert(got.stopped, `the loop never let the timer run (${got.ms} ms)`);
  assert(got.ms < 250, `the timer ran only after ${got.ms} ms`);
}

test("a recv() loop at the end of stream lets a timer run", async () => {
  const [a, c] = await plainPair();
  try {
    await c.sendall(b("bye"));
    c.close();
    assertEquals(await a.recv(10), b("bye"));
    assertTurns(await loopUntilTimer(() => a.recv(1024)));
    a.setblocking(false);
    assertTurns(await loopUntilTimer(() => a.recv(1024)));
  } finally {
    a.close();
    c.close();
  }
});

test("a loop on calls that fail at once lets a timer run (closed socket, not connected, not listening)", async () => {
  const closed = socket.socket();
  closed.close();
  assertTurns(await loopUntilTimer(() => closed.recv(10)));
  assertTurns(await loopUntilTimer(() => closed.send(b("x"))));
  assertTurns(await loopUntilTimer(() => closed.accept()));
  using fresh = socket.socket();
  assertTurns(await loopUntilTimer(() => fresh.recv(10)));
  assertTurns(await loopUntilTimer(() => fresh.accept()));
});

test("a UDP sender loop lets the receiving task count its datagrams", async () => {
  using rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  rx.bind(["127.0.0.1", 0]);
  rx.settimeout(5);
  using tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  const to = rx.getsockname();
  let counted = 0;
  const receiving = (async () => {
    while (counted < 10) {
      await rx.recvfrom(100);
      counted++;
    }
  })();
  let sent = 0;
  while (counted < 10 && sent < 3_000_000) {
    await tx.sendto(b("ping"), to);
    sent++;
  }
  await receiving;
  assertEquals(counted, 10);
  assert(sent < 3_000_000, `the sender never let the receiver run`);
});

test("a blocking recv() loop over bytes held already lets a timer run", async () => {
  const [a, c] = await plainPair();
  try {
    await c.sendall(new Uint8Array(1 << 20));
    // The peer stays silent: once the bytes are taken, recv() waits; a
    // byte at 300 ms ends that wait (the loop then sees its stop flag).
    const wake = setTimeout(() => c.send(b("!")), 300);
    let got = 0;
    try {
      assertTurns(
        await loopUntilTimer(async () => {
          got += (await a.recv(16)).length;
        }),
      );
    } finally {
      clearTimeout(wake);
    }
    assert(got < 1 << 20, `read all ${got} bytes before the timer ran`);
  } finally {
    a.close();
    c.close();
  }
});

test("an SSLSocket recv() loop after the peer's close lets a timer run", async () => {
  const [client, server] = await loopbackTls(5);
  try {
    await server.sendall(b("bye"));
    server.close();
    assertEquals(await client.recv(10), b("bye"));
    assertTurns(await loopUntilTimer(() => client.recv(100)));
  } finally {
    client.close();
    server.close();
  }
});

test("a loop on shutdown(SHUT_RD) or a MSG_WAITALL recvfrom_into() at the end of stream lets a timer run", async () => {
  const [a, c] = await plainPair();
  try {
    c.close();
    assertEquals((await a.recv(10)).length, 0);
    assertTurns(await loopUntilTimer(() => a.shutdown(socket.SHUT_RD)));
    const into = new Uint8Array(10);
    assertTurns(
      await loopUntilTimer(() => a.recvfrom_into(into, 10, socket.MSG_WAITALL)),
    );
  } finally {
    a.close();
    c.close();
  }
});

test("SSLSocket sendall() and recv() calls made without awaiting each are carried out in call order", async () => {
  const [client, server] = await loopbackTls(10);
  try {
    const N = 3000;
    const label = (i: number) => String(i).padStart(5, "0");
    const sends: Promise<void>[] = [];
    for (let i = 0; i < N; i++) sends.push(client.sendall(b(label(i))));
    await Promise.all(sends);
    let got = "";
    while (got.length < N * 5) got += str(await server.recv(65536));
    const sent = Array.from({ length: N }, (_, i) => label(i)).join("");
    assertEquals(got === sent, true, "the bytes arrived out of order");
    await server.sendall(b(sent));
    const recvs: Promise<Uint8Array>[] = [];
    for (let i = 0; i < N; i++) recvs.push(client.recv(5));
    const parts = (await Promise.all(recvs)).map(str);
    assertEquals(parts.join("") === sent, true, "received out of order");
  } finally {
    client.close();
    server.close();
  }
});
