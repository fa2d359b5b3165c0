// Copyright the pysocket authors. MIT license.
// Defects the randomised stress suite (tests/stress_test.ts) found, each
// pinned by a focused test named after it.

import { assert, assertEquals } from "@std/assert";
import * as socket from "../mod.ts";
import * as select from "../select.ts";
import { expected, unless } from "./_caps.ts";
import { closeAll, sleep, tcpPair, test } from "./_util.ts";

/** select() for readability, and how long it took. */
async function timedSelect(
  s: socket.Socket,
  pending: Promise<[socket.Socket[], unknown[], unknown[]]>,
): Promise<{ readable: boolean; ms: number }> {
  const started = performance.now();
  const [r] = await pending;
  return { readable: r.includes(s), ms: performance.now() - started };
}

test("select() sees a connection queued behind a blocking accept() in flight (the inbox dropped the read-ahead asked while its direct accept was busy)", async () => {
  const server = socket.socket();
  server.bind(["127.0.0.1", 0]);
  server.listen();
  const address = server.getsockname() as [string, number];
  const accepting = server.accept(); // blocking: the inbox's direct path
  const selecting = select.select([server], [], [], 3);
  const a = socket.socket(), b = socket.socket();
  await a.connect(address);
  await b.connect(address);
  const [first] = await accepting;
  const { readable, ms } = await timedSelect(server, selecting);
  assert(readable && ms < 1000, `readable ${readable} after ${ms} ms`);
  server.setblocking(false);
  const [second] = await server.accept();
  await closeAll(first, second, a, b, server);
});

test("select() sees a datagram left after blocking recvfrom() calls took the one read ahead for it (the inbox forgot the read-ahead once a waiter had its result)", async () => {
  for (const selectFirst of [true, false]) {
    const a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
    a.bind(["127.0.0.1", 0]);
    const b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
    let selecting = selectFirst ? select.select([a], [], [], 3) : null;
    const receiving = a.recvfrom(10);
    selecting ??= select.select([a], [], [], 3);
    await b.sendto(new Uint8Array([1]), a.getsockname());
    assertEquals((await receiving)[0], new Uint8Array([1]));
    await b.sendto(new Uint8Array([2]), a.getsockname());
    const { readable, ms } = await timedSelect(a, selecting);
    assert(readable && ms < 1000, `readable ${readable} after ${ms} ms`);
    a.setblocking(false);
    assertEquals((await a.recvfrom(10))[0], new Uint8Array([2]));
    await closeAll(a, b);
  }
});

test("select() sees stream bytes left after a blocking recv() took the read ahead for it (the reader forgot the read-ahead once a waiter had its bytes)", async () => {
  const { server, client, conn } = await tcpPair();
  const selecting = select.select([client], [], [], 3);
  const receiving = client.recv(1);
  await conn.sendall(new Uint8Array([1]));
  assertEquals(await receiving, new Uint8Array([1]));
  await sleep(10);
  await conn.sendall(new Uint8Array([2]));
  const { readable, ms } = await timedSelect(client, selecting);
  assert(readable && ms < 1000, `readable ${readable} after ${ms} ms`);
  client.setblocking(false);
  assertEquals(await client.recv(1), new Uint8Array([2]));
  await closeAll(client, conn, server);
});

test("a timed sendto() never raises TimeoutError for a datagram it sent (the timeout raced a send that cannot be cancelled)", async () => {
  const a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  a.bind(["127.0.0.1", 0]);
  const b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  b.settimeout(0.001);
  const errors: string[] = [];
  for (let i = 0; i < 30; i++) {
    const sending = b.sendto(new Uint8Array([i]), a.getsockname()).then(
      () => {},
      (err) => void errors.push(String(err)),
    );
    // The event loop is busy for longer than the timeout: the timer and
    // the send's completion are both due when it turns.
    const until = performance.now() + 3;
    while (performance.now() < until) { /* busy */ }
    await sending;
  }
  a.settimeout(1);
  let arrived = 0;
  while (arrived < 30) {
    await a.recvfrom(10);
    arrived++;
  }
  assertEquals(errors, [], "every datagram was sent: none may raise");
  await closeAll(a, b);
});

test("sendall() calls in flight together never interleave, whatever their modes (a blocking sendall() or a timed send() went between a timed sendall()'s parts)", async () => {
  const { server, client, conn } = await tcpPair();
  const big = 4 << 20;
  const a = new Uint8Array(big).fill(0x61);
  const z = new Uint8Array(1000).fill(0x7a);
  const y = new Uint8Array(1000).fill(0x79);
  // The timed sendall() queues what fits and waits for room for the rest;
  // the blocking sendall() and the timed send() come meanwhile.
  client.settimeout(10);
  const first = client.sendall(a);
  client.settimeout(null);
  const second = client.sendall(z);
  client.settimeout(10);
  const third = client.send(y);
  const received = new Uint8Array(big + 2000);
  let n = 0;
  while (n < received.length) n += await conn.recv_into(received.subarray(n));
  await first;
  await second;
  assertEquals(await third, 1000);
  const foreign = received.subarray(0, big).findIndex((x) => x !== 0x61);
  assertEquals(foreign, -1, "the first sendall() whole, first");
  const rest = new TextDecoder().decode(received.subarray(big));
  assert(
    rest === "z".repeat(1000) + "y".repeat(1000) ||
      rest === "y".repeat(1000) + "z".repeat(1000),
    "the other two calls each whole, after it",
  );
  await closeAll(client, conn, server);
});

test("a sendall() cut short by the peer's reset raises a ConnectionError, never the runtime's 'write ECANCELED' (Node cancels the queued write when a read meets the reset)", async () => {
  const { server, client, conn } = await tcpPair();
  // A read in flight meets the reset first; the write still queued is then
  // cancelled by the runtime.
  const reading = client.recv(10).then(() => null, (err) => err);
  const sending = client.sendall(new Uint8Array(32 << 20)).then(
    () => null,
    (err) => err,
  );
  await sleep(50);
  await conn.recv(1000);
  conn.close(); // unread bytes: a reset
  const err = await sending;
  assert(
    err instanceof socket.ConnectionError,
    `sendall() raised ${err}, not a ConnectionError`,
  );
  const readErr = await reading;
  assert(readErr === null || readErr instanceof socket.ConnectionError);
  await closeAll(client, server);
});

test(
  "close() with a positive SO_LINGER time hands the queued bytes on as without it: a peer that reads after the linger time gets them all (Node and Bun reset the connection when the time ran out)",
  async () => {
    const { server, client, conn } = await tcpPair();
    const linger = new Uint8Array(8);
    new DataView(linger.buffer).setInt32(0, 1, true);
    new DataView(linger.buffer).setInt32(4, 1, true); // {1, 1}: one second
    client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger);
    client.setblocking(false);
    const chunk = new Uint8Array(1 << 20).map((_, i) => i & 255);
    let accepted = 0;
    for (let i = 0; i < 64; i++) {
      try {
        accepted += await client.send(chunk);
      } catch (e) {
        if (e instanceof socket.BlockingIOError) break;
        throw e;
      }
    }
    assert(accepted > 0);
    client.close();
    await sleep(1500);
    conn.settimeout(5);
    let got = 0;
    while (true) {
      const data = await conn.recv(1 << 20);
      if (data.length === 0) break;
      got += data.length;
    }
    assertEquals(got, accepted);
    await closeAll(conn, server);
  },
  { ignore: unless(expected.reset, "SO_LINGER (Deno has none)") },
);
