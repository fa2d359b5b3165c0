// Copyright the pysocket authors. MIT license.
// Timeouts, non-blocking mode, nothing lost, concurrency and closing while
// calls are pending, on real loopback TCP sockets.

import {
  assert,
  assertEquals,
  assertInstanceOf,
  assertRejects,
} from "@std/assert";
import * as socket from "../mod.ts";
import {
  b,
  closeAll,
  freePort,
  sleep,
  str,
  tcpPair,
  test,
  timed,
} from "./_util.ts";

/** A listening server, a connected client and the server's end. */
test("settimeout() sets the three modes and gettimeout/getblocking report them", () => {
  using s = socket.socket();
  assertEquals([s.gettimeout(), s.getblocking(), s.timeout], [
    null,
    true,
    null,
  ]);
  s.settimeout(1.5);
  assertEquals([s.gettimeout(), s.getblocking()], [1.5, true]);
  s.settimeout(0);
  assertEquals([s.gettimeout(), s.getblocking()], [0, false]);
  s.setblocking(true);
  assertEquals(s.gettimeout(), null);
  s.setblocking(false);
  assertEquals(s.gettimeout(), 0);
  s.settimeout(null);
  assertEquals(s.getblocking(), true);
  // Whole nanoseconds, rounded up, as CPython keeps a timeout (python3 3.11).
  const kept: [number, number][] = [
    [1 / 3, 0.333333334],
    [1e-10, 1e-9],
    [1.5e-9, 2e-9],
    [0.3, 0.3],
    [2.675, 2.675],
    [123.456, 123.456],
    [5, 5],
  ];
  for (const [given, reported] of kept) {
    s.settimeout(given);
    assertEquals(s.gettimeout(), reported, `settimeout(${given})`);
    socket.setdefaulttimeout(given);
    assertEquals(socket.getdefaulttimeout(), reported, `default ${given}`);
  }
  socket.setdefaulttimeout(null);
});

test("setdefaulttimeout() applies to sockets made afterwards and accepted ones", async () => {
  using before = socket.socket();
  socket.setdefaulttimeout(3);
  try {
    using after = socket.socket();
    assertEquals(before.gettimeout(), null);
    assertEquals(after.gettimeout(), 3);
    using server = socket.socket();
    server.bind(["127.0.0.1", 0]);
    server.listen();
    server.settimeout(null);
    using client = socket.socket();
    await client.connect(server.getsockname() as [string, number]);
    const [conn] = await server.accept();
    using _conn = conn;
    assertEquals(conn.gettimeout(), 3);
  } finally {
    socket.setdefaulttimeout(null);
  }
  assertEquals(socket.getdefaulttimeout(), null);
});

test("accept() gives a blocking socket when there is no default timeout, whatever the listener's", async () => {
  for (const listenerTimeout of [null, 0, 2]) {
    using server = socket.socket();
    server.bind(["127.0.0.1", 0]);
    server.listen();
    using client = socket.socket();
    await client.connect(server.getsockname() as [string, number]);
    await sleep(20);
    server.settimeout(listenerTimeout);
    const [conn] = await server.accept();
    using _conn = conn;
    assertEquals(conn.gettimeout(), null);
  }
});

test("recv() with a timeout rejects with TimeoutError 'timed out' after about that long", async () => {
  const { server, client, conn } = await tcpPair();
  client.settimeout(0.2);
  const { ms, error: e } = await timed(() => client.recv(10));
  const error = e as socket.OSError;
  assertInstanceOf(error, socket.TimeoutError);
  assertInstanceOf(error, socket.OSError);
  assertEquals(error.message, "timed out");
  assertEquals(error.errno, null);
  assert(ms >= 190 && ms < 1000, `took ${ms} ms`);
  await closeAll(client, conn, server);
});

test("recv() after a timeout returns the bytes that arrived just after it", async () => {
  const { server, client, conn } = await tcpPair();
  client.settimeout(0.1);
  const late = sleep(130).then(() => conn.sendall(b("late bytes")));
  await assertRejects(() => client.recv(100), socket.TimeoutError, "timed out");
  await late;
  client.settimeout(2);
  assertEquals(str(await client.recv(100)), "late bytes");
  await closeAll(client, conn, server);
});

test("recv() timing out repeatedly loses nothing across many small writes", async () => {
  const { server, client, conn } = await tcpPair();
  client.settimeout(0.01);
  const expected = Array.from({ length: 30 }, (_, i) => `<${i}>`).join("");
  const writer = (async () => {
    for (let i = 0; i < 30; i++) {
      await conn.sendall(b(`<${i}>`));
      await sleep(i % 3 === 0 ? 15 : 1);
    }
    await conn.shutdown(socket.SHUT_WR);
  })();
  let got = "";
  let timeouts = 0;
  for (;;) {
    try {
      const chunk = await client.recv(7);
      if (chunk.length === 0) break;
      got += str(chunk);
    } catch (err) {
      assertInstanceOf(err, socket.TimeoutError);
      timeouts++;
    }
  }
  await writer;
  assertEquals(got, expected);
  assert(timeouts > 0, "the test must exercise timeouts");
  await closeAll(client, conn, server);
});

test("recv_into() after a timeout receives the late bytes into the next buffer", async () => {
  const { server, client, conn } = await tcpPair();
  client.settimeout(0.05);
  const buf = new Uint8Array(16);
  await assertRejects(() => client.recv_into(buf), socket.TimeoutError);
  await conn.sendall(b("abc"));
  await sleep(20);
  assertEquals(
    buf,
    new Uint8Array(16),
    "a timed-out call's buffer is untouched",
  );
  client.settimeout(null);
  const n = await client.recv_into(buf);
  assertEquals(str(buf.subarray(0, n)), "abc");
  await closeAll(client, conn, server);
});

test("recv() in non-blocking mode raises BlockingIOError EAGAIN, then returns data once it is there", async () => {
  const { server, client, conn } = await tcpPair();
  client.setblocking(false);
  const { ms, error: e } = await timed(() => client.recv(10));
  const error = e as socket.OSError;
  assertInstanceOf(error, socket.BlockingIOError);
  assertEquals(error.message, "[Errno 11] Resource temporarily unavailable");
  assertEquals(error.errno, 11);
  assert(ms < 1000, `non-blocking took ${ms} ms`);
  await conn.sendall(b("now"));
  await sleep(30);
  assertEquals(str(await client.recv(10)), "now");
  await closeAll(client, conn, server);
});

test("recv() with MSG_DONTWAIT is non-blocking for that call only", async () => {
  const { server, client, conn } = await tcpPair();
  await assertRejects(
    () => client.recv(10, socket.MSG_DONTWAIT),
    socket.BlockingIOError,
    "[Errno 11] Resource temporarily unavailable",
  );
  assertEquals(client.gettimeout(), null);
  await conn.sendall(b("x"));
  assertEquals(str(await client.recv(10)), "x");
  await closeAll(client, conn, server);
});

test("MSG_DONTWAIT with a timeout changes nothing: recv waits the timeout, as CPython (python3's answers)", async () => {
  // CPython's socket with a timeout is non-blocking underneath and waits
  // for readiness up to the timeout before each call, flag or no flag.
  const { server, client, conn } = await tcpPair();
  client.settimeout(0.2);
  const r = await timed(() => client.recv(10, socket.MSG_DONTWAIT));
  assertInstanceOf(r.error, socket.TimeoutError);
  assertEquals((r.error as Error).message, "timed out");
  assert(r.ms >= 150, `waited ${r.ms} ms`);
  // Bytes that come within the timeout are received.
  setTimeout(() => conn.sendall(b("late")), 50);
  assertEquals(str(await client.recv(10, socket.MSG_DONTWAIT)), "late");
  const u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  u.bind(["127.0.0.1", 0]);
  u.settimeout(0.2);
  const d = await timed(() => u.recvfrom(10, socket.MSG_DONTWAIT));
  assertInstanceOf(d.error, socket.TimeoutError);
  assert(d.ms >= 150, `waited ${d.ms} ms`);
  u.close();
  await closeAll(client, conn, server);
});

test("recv() with MSG_PEEK leaves the bytes for the next call", async () => {
  const { server, client, conn } = await tcpPair();
  await conn.sendall(b("peekaboo"));
  assertEquals(str(await client.recv(4, socket.MSG_PEEK)), "peek");
  assertEquals(str(await client.recv(100)), "peekaboo");
  await closeAll(client, conn, server);
});

test("accept() with a timeout raises TimeoutError and the next accept() gets the late connection", async () => {
  using server = socket.socket();
  server.bind(["127.0.0.1", 0]);
  server.listen();
  server.settimeout(0.1);
  const { ms, error: e } = await timed(() => server.accept());
  const error = e as socket.OSError;
  assertInstanceOf(error, socket.TimeoutError);
  assertEquals(error.message, "timed out");
  assert(ms >= 90 && ms < 1000, `took ${ms} ms`);
  using client = socket.socket();
  await client.connect(server.getsockname() as [string, number]);
  await sleep(30);
  const [conn, addr] = await server.accept();
  using _conn = conn;
  assertEquals(addr, client.getsockname());
});

test("accept() in non-blocking mode raises BlockingIOError EAGAIN and loses no connection", async () => {
  using server = socket.socket();
  server.bind(["127.0.0.1", 0]);
  server.listen();
  server.setblocking(false);
  await assertRejects(
    () => server.accept(),
    socket.BlockingIOError,
    "[Errno 11] Resource temporarily unavailable",
  );
  using client = socket.socket();
  await client.connect(server.getsockname() as [string, number]);
  await sleep(30);
  const [conn] = await server.accept();
  using _conn = conn;
  assertEquals(conn.getpeername(), client.getsockname());
});

test("recv() calls in flight together are served in order with no bytes lost or interleaved", async () => {
  const { server, client, conn } = await tcpPair();
  const calls = [
    client.recv(3),
    client.recv(3),
    client.recv(3),
    client.recv(3),
  ];
  await conn.sendall(b("aaabbbcccddd"));
  const got = (await Promise.all(calls)).map(str);
  assertEquals(got.join(""), "aaabbbcccddd");
  assertEquals(got, ["aaa", "bbb", "ccc", "ddd"]);
  await closeAll(client, conn, server);
});

test("accept() calls in flight together are served in order without Deno's Busy error", async () => {
  using server = socket.socket();
  server.bind(["127.0.0.1", 0]);
  server.listen();
  const accepts = [server.accept(), server.accept(), server.accept()];
  const clients: socket.Socket[] = [];
  for (let i = 0; i < 3; i++) {
    const c = socket.socket();
    await c.connect(server.getsockname() as [string, number]);
    clients.push(c);
  }
  const results = await Promise.all(accepts);
  assertEquals(
    results.map(([, addr]) => addr),
    clients.map((c) => c.getsockname()),
  );
  for (const [conn] of results) conn.close();
  for (const c of clients) c.close();
});

test("sendall() calls in flight together never interleave", async () => {
  const { server, client, conn } = await tcpPair();
  const big = 1 << 20;
  const a = new Uint8Array(big).fill(0x61);
  const z = new Uint8Array(big).fill(0x7a);
  const sends = Promise.all([client.sendall(a), client.sendall(z)]);
  const received = new Uint8Array(2 * big);
  let n = 0;
  while (n < received.length) {
    n += await conn.recv_into(received.subarray(n));
  }
  await sends;
  assertEquals(received.subarray(0, big), a);
  assertEquals(received.subarray(big), z);
  await closeAll(client, conn, server);
});

test("close() while recv() is pending settles it promptly with EBADF", async () => {
  const { server, client, conn } = await tcpPair();
  const pending = client.recv(10);
  await sleep(20);
  const start = performance.now();
  client.close();
  const err = await assertRejects(
    () => pending,
    socket.OSError,
    "[Errno 9] Bad file descriptor",
  );
  assertEquals(err.errno, 9);
  assert(performance.now() - start < 200);
  await closeAll(conn, server);
});

test("close() while several recv() calls with timeouts are pending settles them all with EBADF", async () => {
  const { server, client, conn } = await tcpPair();
  client.settimeout(5);
  const pending = [client.recv(1), client.recv_into(new Uint8Array(4))];
  await sleep(20);
  client.close();
  for (const p of pending) {
    await assertRejects(
      () => p,
      socket.OSError,
      "[Errno 9] Bad file descriptor",
    );
  }
  await closeAll(conn, server);
});

test("close() while accept() is pending settles it promptly with EBADF", async () => {
  const server = socket.socket();
  server.bind(["127.0.0.1", 0]);
  server.listen();
  const pending = server.accept();
  await sleep(20);
  server.close();
  await assertRejects(
    () => pending,
    socket.OSError,
    "[Errno 9] Bad file descriptor",
  );
});

test("close() after a timed-out accept() leaves nothing running", async () => {
  await using server = socket.socket();
  server.bind(["127.0.0.1", 0]);
  server.listen();
  server.settimeout(0.02);
  await assertRejects(() => server.accept(), socket.TimeoutError);
});

test("connect() with a timeout to a port that refuses is ConnectionRefusedError, not a timeout", async () => {
  const port = freePort();
  using s = socket.socket();
  s.settimeout(2);
  await assertRejects(
    () => s.connect(["127.0.0.1", port]),
    socket.ConnectionRefusedError,
    "[Errno 111] Connection refused",
  );
});

test("connect() in non-blocking mode raises EINPROGRESS and the socket connects in the background", async () => {
  using server = socket.socket();
  server.bind(["127.0.0.1", 0]);
  server.listen();
  await using s = socket.socket();
  s.setblocking(false);
  await assertRejects(
    () => s.connect(server.getsockname() as [string, number]),
    socket.BlockingIOError,
    "[Errno 115] Operation now in progress",
  );
  // On loopback the kernel has connected by the time connect() answers
  // EINPROGRESS: the first connect() after it returns 0 (connect_ex; CPython
  // 3.11 on Linux, tests/nonblocking_test.ts), the next EISCONN.
  assertEquals(
    await s.connect_ex(server.getsockname() as [string, number]),
    0,
  );
  const [conn] = await (server.settimeout(2), server.accept());
  using _conn = conn;
  await assertRejects(
    () => s.connect(server.getsockname() as [string, number]),
    socket.OSError,
    "[Errno 106] Transport endpoint is already connected",
  );
  assertEquals(s.getpeername(), server.getsockname());
});

test("a timed or non-blocking connect() leaves the socket for one more connect_ex() returning 0, then 106; a blocking one does not (CPython on Linux)", async () => {
  using server = socket.socket();
  server.bind(["127.0.0.1", 0]);
  server.listen(10);
  const to = server.getsockname() as [string, number];
  // CPython 3.11: [None, 106, 106], [None, 0, 106], [115, 0, 106].
  const expectedFor: [string, (s: socket.Socket) => void, unknown[]][] = [
    ["blocking", () => {}, [null, 106, 106]],
    ["timed", (s) => s.settimeout(1), [null, 0, 106]],
    ["non-blocking", (s) => s.setblocking(false), [115, 0, 106]],
  ];
  for (const [name, setup, want] of expectedFor) {
    await using s = socket.socket();
    setup(s);
    const first = await s.connect(to).then(
      () => null,
      (e: socket.OSError) => e.errno,
    );
    await sleep(20);
    const got = [first, await s.connect_ex(to), await s.connect_ex(to)];
    assertEquals(got, want, name);
  }
});

test("sendall() with a timeout raises TimeoutError when the peer does not read", async () => {
  const { server, client, conn } = await tcpPair();
  client.settimeout(0.3);
  const { ms, error: e } = await timed(() =>
    client.sendall(new Uint8Array(64 << 20))
  );
  const error = e as socket.OSError;
  assertInstanceOf(error, socket.TimeoutError);
  assert(ms >= 290 && ms < 3000, `took ${ms} ms`);
  client.close();
  await closeAll(client, conn, server);
});
