// Copyright the pysocket authors. MIT license.
// SO_RCVTIMEO and SO_SNDTIMEO: honoured, as Linux does. The value is a
// struct timeval kept in the kernel's ticks (and read back so); a blocking
// call waits the option's time at most, then raises BlockingIOError
// [Errno 11] (a connect: [Errno 115]); a Python timeout or non-blocking
// mode overrides it. Every expectation was checked against CPython 3.11 on
// Linux (HZ 250).

import { assert, assertEquals } from "@std/assert";
import * as socket from "../mod.ts";
import {
  assertOSError,
  b,
  bounded,
  FULL_LISTENER,
  noPython,
  pythonServer,
  rejection,
  str,
  tcpPair,
  test,
  timed,
} from "./_util.ts";
import { loopbackTls, tlsTest } from "./_certs.ts";

const NO_PYTHON = await noPython();
const { SOL_SOCKET, SO_RCVTIMEO, SO_SNDTIMEO } = socket;

/** `struct.pack("ll", sec, usec)`. */
function tv(sec: number | bigint, usec: number | bigint): Uint8Array {
  const bytes = new Uint8Array(16);
  const view = new DataView(bytes.buffer);
  view.setBigInt64(0, BigInt(sec), true);
  view.setBigInt64(8, BigInt(usec), true);
  return bytes;
}

/** `struct.unpack("ll", value)`. */
function untv(bytes: Uint8Array): [bigint, bigint] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, 16);
  return [view.getBigInt64(0, true), view.getBigInt64(8, true)];
}

const EAGAIN = "[Errno 11] Resource temporarily unavailable";
/** The option's wait in these tests, in ms, and its bounds. */
const WAIT = 300;
const AT_LEAST = WAIT * 0.9;
const AT_MOST = 3000;

/** Asserts `call` rejects with `EAGAIN` after about `WAIT` ms. */
async function assertExpires(
  call: () => Promise<unknown>,
  what: string,
  message = EAGAIN,
): Promise<void> {
  const { ms, value, error } = await timed(() => bounded(call(), 5000, what));
  assertEquals(value, undefined, `${what} returned`);
  assertOSError(error, socket.BlockingIOError, message);
  assert(ms >= AT_LEAST && ms < AT_MOST, `${what} took ${ms} ms`);
}

test("SO_RCVTIMEO and SO_SNDTIMEO read back as Linux keeps them: ticks of 4 ms, microseconds rounded up (python3's answers)", () => {
  // [sec, usec] set → the int getsockopt() gives, and the struct.
  const cases: [number | bigint, number, number, [bigint, bigint]][] = [
    [0, 300000, 0, [0n, 300000n]],
    [2, 0, 2, [2n, 0n]],
    [0, 300001, 0, [0n, 304000n]],
    [0, 1, 0, [0n, 4000n]],
    [1, 999999, 2, [2n, 0n]],
    [0, 3999, 0, [0n, 4000n]],
    [5, 123456, 5, [5n, 124000n]],
    [2 ** 31, 0, -(2 ** 31), [2n ** 31n, 0n]],
    [2n ** 40n, 5, 0, [2n ** 40n, 4000n]],
    // Zero: no timeout; a negative time: none kept (reads zero).
    [0, 0, 0, [0n, 0n]],
    [-1, 0, 0, [0n, 0n]],
    [-5, 500000, 0, [0n, 0n]],
  ];
  const kinds: [number, number][] = [
    [socket.AF_INET, socket.SOCK_STREAM],
    [socket.AF_INET6, socket.SOCK_STREAM],
    [socket.AF_INET, socket.SOCK_DGRAM],
    [socket.AF_UNIX, socket.SOCK_STREAM],
  ];
  for (const [family, type] of kinds) {
    using s = socket.socket(family, type);
    for (const name of [SO_RCVTIMEO, SO_SNDTIMEO]) {
      assertEquals(s.getsockopt(SOL_SOCKET, name), 0);
      assertEquals(s.getsockopt(SOL_SOCKET, name, 16), new Uint8Array(16));
      for (const [sec, usec, int, struct] of cases) {
        s.setsockopt(SOL_SOCKET, name, tv(sec, usec));
        assertEquals(s.getsockopt(SOL_SOCKET, name), int, `${sec} ${usec}`);
        assertEquals(untv(s.getsockopt(SOL_SOCKET, name, 16)), struct);
      }
    }
    // The two are apart; a longer value is read as its first 16 bytes.
    s.setsockopt(SOL_SOCKET, SO_RCVTIMEO, tv(0, 300000));
    s.setsockopt(SOL_SOCKET, SO_SNDTIMEO, new Uint8Array([...tv(1, 0), 7, 7]));
    assertEquals(untv(s.getsockopt(SOL_SOCKET, SO_RCVTIMEO, 16)), [
      0n,
      300000n,
    ]);
    assertEquals(untv(s.getsockopt(SOL_SOCKET, SO_SNDTIMEO, 32)), [1n, 0n]);
    // buflen: the first bytes of the struct.
    const full = s.getsockopt(SOL_SOCKET, SO_RCVTIMEO, 16);
    for (const n of [1, 4, 8, 15]) {
      assertEquals(s.getsockopt(SOL_SOCKET, SO_RCVTIMEO, n), full.slice(0, n));
    }
    assertEquals(s.getsockopt(SOL_SOCKET, SO_RCVTIMEO, 0), 0);
  }
});

test("setsockopt(SO_RCVTIMEO/SO_SNDTIMEO) of an int or a short value is [Errno 22], microseconds outside 0-999999 [Errno 33]", () => {
  using s = socket.socket();
  for (const name of [SO_RCVTIMEO, SO_SNDTIMEO]) {
    s.setsockopt(SOL_SOCKET, name, tv(0, 300000));
    for (const value of [0, 5, new Uint8Array(0), new Uint8Array(15)]) {
      let err: unknown = null;
      try {
        s.setsockopt(SOL_SOCKET, name, value);
      } catch (e) {
        err = e;
      }
      assertOSError(err, socket.OSError, "[Errno 22] Invalid argument");
      assertEquals((err as socket.OSError).errno, 22);
    }
    for (const [sec, usec] of [[0, 1000000], [0, -1], [-1, -1], [3, 2e6]]) {
      let err: unknown = null;
      try {
        s.setsockopt(SOL_SOCKET, name, tv(sec, usec));
      } catch (e) {
        err = e;
      }
      assertOSError(
        err,
        socket.OSError,
        "[Errno 33] Numerical argument out of domain",
      );
      assertEquals((err as socket.OSError).errno, 33);
    }
    // Nothing changed.
    assertEquals(untv(s.getsockopt(SOL_SOCKET, name, 16)), [0n, 300000n]);
  }
});

test("recv() on a blocking socket with SO_RCVTIMEO raises BlockingIOError [Errno 11] after the time, and loses nothing", async () => {
  const [a, c] = await socket.socketpair();
  try {
    a.setsockopt(SOL_SOCKET, SO_RCVTIMEO, tv(0, WAIT * 1000));
    await assertExpires(() => a.recv(10), "recv()");
    await assertExpires(() => a.recv_into(new Uint8Array(10)), "recv_into()");
    await c.sendall(b("hello"));
    assertEquals(str(await a.recv(10)), "hello");
    // MSG_WAITALL: what came by then, else EAGAIN.
    await c.sendall(b("abc"));
    const { ms, value } = await timed(() =>
      bounded(a.recv(10, socket.MSG_WAITALL), 5000, "recv(WAITALL)")
    );
    assertEquals(str(value as Uint8Array), "abc");
    assert(ms >= AT_LEAST && ms < AT_MOST, `recv(WAITALL) took ${ms} ms`);
    await assertExpires(
      () => a.recv(10, socket.MSG_WAITALL),
      "recv(WAITALL) of nothing",
    );
    // A receive that expired took nothing: the next gets all, in order.
    await c.sendall(b("world"));
    assertEquals(str(await a.recv(10)), "world");
    // MSG_DONTWAIT: at once.
    const quick = await timed(() => a.recv(10, socket.MSG_DONTWAIT));
    assertOSError(quick.error, socket.BlockingIOError, EAGAIN);
    assert(quick.ms < AT_LEAST, `MSG_DONTWAIT took ${quick.ms} ms`);
  } finally {
    a.close();
    c.close();
  }
});

test("a Python timeout overrides SO_RCVTIMEO (TimeoutError after its own time), non-blocking mode too, and settimeout(None) brings it back", async () => {
  const [a, c] = await socket.socketpair();
  try {
    a.setsockopt(SOL_SOCKET, SO_RCVTIMEO, tv(0, WAIT * 1000));
    a.settimeout(1.2);
    const timedOut = await timed(() => bounded(a.recv(10), 5000, "recv()"));
    assertOSError(timedOut.error, socket.TimeoutError, "timed out");
    assert(timedOut.ms >= 1000, `recv() took ${timedOut.ms} ms`);
    a.setblocking(false);
    const quick = await timed(() => a.recv(10));
    assertOSError(quick.error, socket.BlockingIOError, EAGAIN);
    assert(quick.ms < AT_LEAST, `non-blocking recv() took ${quick.ms} ms`);
    a.settimeout(null);
    await assertExpires(() => a.recv(10), "recv()");
    // Zero: no timeout (data that comes later is waited for).
    a.setsockopt(SOL_SOCKET, SO_RCVTIMEO, tv(0, 0));
    const later = a.recv(10);
    const { ms } = await timed(() =>
      new Promise((resolve) => setTimeout(resolve, WAIT * 2))
    );
    assert(ms >= WAIT * 2 * 0.9);
    await c.sendall(b("late"));
    assertEquals(str(await bounded(later, 5000, "recv()")), "late");
    // A negative time: no wait at all, as a non-blocking call.
    a.setsockopt(SOL_SOCKET, SO_RCVTIMEO, tv(-1, 0));
    const now = await timed(() => a.recv(10));
    assertOSError(now.error, socket.BlockingIOError, EAGAIN);
    assert(now.ms < AT_LEAST, `recv() took ${now.ms} ms`);
  } finally {
    a.close();
    c.close();
  }
});

test("accept() with SO_RCVTIMEO raises [Errno 11] after the time; accepted sockets inherit both options, and dup() shares them", async () => {
  using server = socket.socket();
  server.bind(["127.0.0.1", 0]);
  server.listen();
  server.setsockopt(SOL_SOCKET, SO_RCVTIMEO, tv(0, WAIT * 1000));
  server.setsockopt(SOL_SOCKET, SO_SNDTIMEO, tv(0, 200000));
  await assertExpires(() => server.accept(), "accept()");
  using client = socket.socket();
  await client.connect(server.getsockname());
  const [conn] = await server.accept();
  using _conn = conn;
  assertEquals(untv(conn.getsockopt(SOL_SOCKET, SO_RCVTIMEO, 16)), [
    0n,
    300000n,
  ]);
  assertEquals(untv(conn.getsockopt(SOL_SOCKET, SO_SNDTIMEO, 16)), [
    0n,
    200000n,
  ]);
  // The connection's own: another value leaves the listener's as it was.
  conn.setsockopt(SOL_SOCKET, SO_RCVTIMEO, tv(0, 500000));
  assertEquals(untv(server.getsockopt(SOL_SOCKET, SO_RCVTIMEO, 16)), [
    0n,
    300000n,
  ]);
  using d = conn.dup();
  assertEquals(untv(d.getsockopt(SOL_SOCKET, SO_RCVTIMEO, 16)), [0n, 500000n]);
  conn.setsockopt(SOL_SOCKET, SO_RCVTIMEO, tv(0, WAIT * 1000));
  assertEquals(untv(d.getsockopt(SOL_SOCKET, SO_RCVTIMEO, 16)), [0n, 300000n]);
  await assertExpires(() => d.recv(10), "recv() of the dup");
});

test("recvfrom() and recvfrom_into() on UDP with SO_RCVTIMEO raise [Errno 11] after the time", async () => {
  using u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  u.bind(["127.0.0.1", 0]);
  u.setsockopt(SOL_SOCKET, SO_RCVTIMEO, tv(0, WAIT * 1000));
  await assertExpires(() => u.recvfrom(10), "recvfrom()");
  await assertExpires(
    () => u.recvfrom_into(new Uint8Array(10)),
    "recvfrom_into()",
  );
  await assertExpires(() => u.recv(10), "recv()");
  using sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  await sender.sendto(b("dgram"), u.getsockname());
  const [data, from] = await bounded(u.recvfrom(10), 5000, "recvfrom()");
  assertEquals(str(data), "dgram");
  assertEquals(from, ["127.0.0.1", sender.getsockname()[1]]);
});

test("a makefile() read on a socket with SO_RCVTIMEO gives None when the time runs out, as CPython's SocketIO", async () => {
  const [a, c] = await socket.socketpair();
  try {
    a.setsockopt(SOL_SOCKET, SO_RCVTIMEO, tv(0, WAIT * 1000));
    const f = a.makefile("rb");
    const { ms, value } = await timed(() => bounded(f.read(3), 5000, "read"));
    assertEquals(value, null);
    assert(ms >= AT_LEAST && ms < AT_MOST, `read() took ${ms} ms`);
    await c.sendall(b("abc"));
    assertEquals(str((await f.read(3))!), "abc");
    await f.close();
  } finally {
    a.close();
    c.close();
  }
});

test("send() with SO_SNDTIMEO to a peer that does not read returns what went, then raises [Errno 11] after the time; sendall() raises it; nothing is sent twice", async () => {
  const { server, client, conn } = await tcpPair();
  server.close();
  try {
    client.setsockopt(SOL_SOCKET, SO_SNDTIMEO, tv(0, WAIT * 1000));
    const chunk = new Uint8Array(1 << 16);
    let total = 0;
    let next = 0;
    const fill = async () => {
      const start = performance.now();
      while (performance.now() - start < 30_000) {
        for (let i = 0; i < chunk.length; i++) chunk[i] = (next + i) & 255;
        const r = await timed(() => bounded(client.send(chunk), 5000, "send"));
        if (r.error !== undefined) return r;
        total += r.value!;
        next += r.value!;
      }
      throw new Error("send() never blocked");
    };
    const expired = await fill();
    assertOSError(expired.error, socket.BlockingIOError, EAGAIN);
    assert(
      expired.ms >= AT_LEAST && expired.ms < AT_MOST,
      `send() took ${expired.ms} ms`,
    );
    await assertExpires(
      () => client.sendall(new Uint8Array(1 << 20)),
      "sendall()",
    );
    // Nothing to send returns at once, the buffer full or not (Linux's).
    const empty = await timed(async () => [
      await client.send(new Uint8Array(0)),
      await client.sendall(new Uint8Array(0)),
    ]);
    assertEquals(empty.value, [0, undefined]);
    assert(empty.ms < AT_LEAST, `send(b'') took ${empty.ms} ms`);
    // What went arrives once, in order (and no more than what send()
    // counted, plus what sendall() sent before it expired).
    conn.settimeout(1);
    let got = 0;
    for (;;) {
      let data: Uint8Array;
      try {
        data = await conn.recv(1 << 16);
      } catch (err) {
        if (err instanceof socket.TimeoutError) break;
        throw err;
      }
      if (data.length === 0) break;
      for (let i = 0; i < data.length && got + i < total; i++) {
        if (data[i] !== ((got + i) & 255)) {
          throw new Error(`byte ${got + i} is ${data[i]}`);
        }
      }
      got += data.length;
    }
    assert(got >= total, `received ${got} of ${total}`);
    assert(got <= total + (1 << 20), `received ${got}, sent ${total}`);
  } finally {
    await client[Symbol.asyncDispose]();
    await conn[Symbol.asyncDispose]();
  }
});

test(
  "connect() with SO_SNDTIMEO to a full listen queue raises [Errno 115] after the time, and the connect goes on ([Errno 114])",
  async () => {
    const [server, address] = await pythonServer(FULL_LISTENER);
    await using _server = server;
    const s = socket.socket();
    try {
      s.setsockopt(SOL_SOCKET, SO_SNDTIMEO, tv(0, WAIT * 1000));
      await assertExpires(
        () => s.connect(address),
        "connect()",
        "[Errno 115] Operation now in progress",
      );
      const again = await rejection(() => s.connect(address));
      assertOSError(
        again,
        socket.BlockingIOError,
        "[Errno 114] Operation already in progress",
      );
    } finally {
      await s[Symbol.asyncDispose]();
    }
    const t = socket.socket();
    try {
      t.setsockopt(SOL_SOCKET, SO_SNDTIMEO, tv(0, WAIT * 1000));
      const { ms, value } = await timed(() => t.connect_ex(address));
      assertEquals(value, 115);
      assert(ms >= AT_LEAST && ms < AT_MOST, `connect_ex() took ${ms} ms`);
    } finally {
      await t[Symbol.asyncDispose]();
    }
  },
  { ignore: NO_PYTHON },
);

tlsTest(
  "an SSLSocket's reads under TLS go on past SO_RCVTIMEO, as CPython's (OpenSSL's loop takes a blocking read up again)",
  async () => {
    const [client, server] = await loopbackTls(5);
    try {
      client.settimeout(null);
      client.setsockopt(SOL_SOCKET, SO_RCVTIMEO, tv(0, WAIT * 1000));
      assertEquals(untv(client.getsockopt(SOL_SOCKET, SO_RCVTIMEO, 16)), [
        0n,
        300000n,
      ]);
      const later = setTimeout(() => server.send(b("late")), 4 * WAIT);
      try {
        const { ms, value, error } = await timed(() =>
          bounded(client.recv(10), 5000, "recv()")
        );
        assertEquals(error, undefined);
        assertEquals(str(value!), "late");
        assert(ms >= 3 * WAIT, `recv() took ${ms} ms`);
      } finally {
        clearTimeout(later);
      }
    } finally {
      client.close();
      server.close();
    }
  },
);

test("a subclass that overrides recv() over super's obeys SO_RCVTIMEO (CPython's: the option is the socket's)", async () => {
  class Sub extends socket.socket {
    override recv(n = 1024, flags = 0) {
      return super.recv(n, flags);
    }
  }
  using server = socket.create_server(["127.0.0.1", 0]);
  const sub = new Sub();
  await sub.connect(server.getsockname());
  const [c] = await server.accept();
  try {
    sub.setsockopt(SOL_SOCKET, SO_RCVTIMEO, tv(0, WAIT * 1000));
    await assertExpires(() => sub.recv(10), "Sub.recv()");
    await c.sendall(b("after"));
    assertEquals(str(await sub.recv(10)), "after");
  } finally {
    sub.close();
    c.close();
  }
});
