// Copyright the pysocket authors. MIT license.
// SOCK_DGRAM: sendto/recvfrom, implicit bind, truncation, emulated connect,
// timeouts that lose no datagram, Python's errors for misuse, close while
// pending, IPv6, broadcast, and the error without --unstable-net.
import {
  assert,
  assertEquals,
  assertInstanceOf,
  assertMatch,
  assertNotEquals,
  assertRejects,
  assertThrows,
} from "@std/assert";
import * as socket from "../mod.ts";
import * as select from "../select.ts";
import { expected, unless } from "./_caps.ts";
import { kernelOptions, noKernelOptions } from "./_kernel.ts";
import {
  b,
  bounded,
  Child,
  noPython,
  run,
  runtimeArgv,
  sleep,
  str,
  test,
  timed,
} from "./_util.ts";
import { groupSend, mreq } from "./_multicast.ts";

const {
  AF_INET,
  AF_INET6,
  SOCK_DGRAM,
  IPPROTO_IP,
  IP_ADD_MEMBERSHIP,
  IP_DROP_MEMBERSHIP,
} = socket;

/** A UDP socket of `family`. */
function udp(family: number = AF_INET): socket.Socket {
  return socket.socket(family, SOCK_DGRAM);
}

/** A UDP socket bound to the loopback address of `family`, port 0. */
function bound(family: number = AF_INET): socket.Socket {
  const s = udp(family);
  s.bind([family === AF_INET6 ? "::1" : "127.0.0.1", 0]);
  return s;
}

/** The port a socket is bound to. */
function portOf(s: socket.Socket): number {
  return (s.getsockname() as [string, number])[1];
}

test("sendto() on an unbound socket binds an ephemeral port, as the OS does", async () => {
  await using a = bound();
  await using s = udp();
  assertEquals(s.getsockname(), ["0.0.0.0", 0]);
  assertEquals(await s.sendto(b("ping"), a.getsockname()), 4);
  const [host, port] = s.getsockname() as [string, number];
  assertEquals(host, "0.0.0.0");
  assertNotEquals(port, 0);
  const [data, from] = await a.recvfrom(1024);
  assertEquals(str(data), "ping");
  assertEquals(from, ["127.0.0.1", port]);
});

test("connect() on an unbound socket binds the loopback address toward a loopback peer, as Linux's route does (python3's answers)", async () => {
  for (const family of [AF_INET, AF_INET6]) {
    await using a = bound(family);
    await using s = udp(family);
    await s.connect(a.getsockname());
    const [host, port] = s.getsockname() as [string, number];
    assertEquals(host, family === AF_INET ? "127.0.0.1" : "::1");
    assertNotEquals(port, 0);
    assertEquals(await s.send(b("hi")), 2);
    const [data, from] = await a.recvfrom(10);
    assertEquals(str(data), "hi");
    assertEquals((from as [string, number])[1], port);
  }
  // Toward another 127/8 address too: its route's source is 127.0.0.1.
  await using t = udp();
  await t.connect(["127.0.0.2", 9]);
  assertEquals((t.getsockname() as [string, number])[0], "127.0.0.1");
});

test("sendto() and recvfrom() answer both ways with [data, address]", async () => {
  await using a = bound();
  await using c = bound();
  await c.sendto(b("query"), a.getsockname());
  const [query, client] = await a.recvfrom(1024);
  assertEquals(client, c.getsockname());
  await a.sendto(b(str(query).toUpperCase()), client!);
  const [answer, server] = await c.recvfrom(1024);
  assertEquals(str(answer), "QUERY");
  assertEquals(server, a.getsockname());
});

test("each datagram recvfrom() returns is bytes of its own: datagrams received after it, waiting or not, change none of it", async () => {
  await using a = bound();
  await using c = bound();
  const fill = (size: number, byte: number) => new Uint8Array(size).fill(byte);
  const sizes = [5, 64, 3000, 64, 5];
  // Received one at a time, and some queued before a call takes them.
  const got: Uint8Array[] = [];
  for (let i = 0; i < 2; i++) {
    await c.sendto(fill(sizes[i], i + 1), a.getsockname());
    got.push((await a.recvfrom(4096))[0]);
  }
  for (let i = 2; i < sizes.length; i++) {
    await c.sendto(fill(sizes[i], i + 1), a.getsockname());
  }
  for (let i = 2; i < sizes.length; i++) got.push((await a.recvfrom(4096))[0]);
  for (let i = 0; i < sizes.length; i++) {
    assertEquals(got[i], fill(sizes[i], i + 1), `datagram ${i}`);
  }
  // Writing into one result changes no other.
  got[1].fill(0);
  assertEquals(got[3], fill(64, 4));
  assertEquals(got[0], fill(5, 1));
});

test("sendto(data, flags, address) takes Python's three-argument form", async () => {
  await using a = bound();
  await using s = udp();
  assertEquals(await s.sendto(b("x"), 0, a.getsockname()), 1);
  assertEquals(
    await s.sendto(b("yz"), socket.MSG_DONTWAIT, a.getsockname()),
    2,
  );
  assertEquals(str((await a.recvfrom(16))[0]), "x");
  assertEquals(str((await a.recvfrom(16))[0]), "yz");
});

test("sendto() of an empty datagram sends one, and recvfrom() returns b''", async () => {
  await using a = bound();
  await using s = bound();
  assertEquals(await s.sendto(new Uint8Array(0), a.getsockname()), 0);
  const [data, from] = await a.recvfrom(16);
  assertEquals(data, new Uint8Array(0));
  assertEquals(from, s.getsockname());
});

test("recvfrom() truncates a long datagram to bufsize and drops the rest", async () => {
  await using a = bound();
  await using s = udp();
  await s.sendto(b("0123456789"), a.getsockname());
  await s.sendto(b("next"), a.getsockname());
  assertEquals(str((await a.recvfrom(4))[0]), "0123");
  assertEquals(str((await a.recvfrom(1024))[0]), "next");
});

test("recv(), recv_into() and recvfrom_into() truncate to the buffer too", async () => {
  await using a = bound();
  await using s = bound();
  for (const text of ["abcdef", "ghijkl", "mnopqr", "stu"]) {
    await s.sendto(b(text), a.getsockname());
  }
  assertEquals(str(await a.recv(2)), "ab");
  const buf = new Uint8Array(8);
  assertEquals(await a.recv_into(buf, 3), 3);
  assertEquals(str(buf.subarray(0, 4)), "ghi\0");
  const [n, from] = await a.recvfrom_into(buf, 4);
  assertEquals([n, str(buf.subarray(0, 4))], [4, "mnop"]);
  assertEquals(from, s.getsockname());
  const [m] = await a.recvfrom_into(buf);
  assertEquals([m, str(buf.subarray(0, m))], [3, "stu"]);
});

test("recvfrom() of the largest IPv4 datagram (65507 bytes) gets it whole", async () => {
  await using a = bound();
  await using s = udp();
  const big = new Uint8Array(65507).map((_, i) => i % 251);
  assertEquals(await s.sendto(big, a.getsockname()), 65507);
  const [data] = await a.recvfrom(65536);
  assertEquals(data, big);
});

test("sendto() of more than 65507 bytes over IPv4 is [Errno 90] Message too long", async () => {
  await using s = udp();
  const err = await assertRejects(
    () => s.sendto(new Uint8Array(65508), ["127.0.0.1", 9]),
    socket.OSError,
    "[Errno 90] Message too long",
  );
  assertEquals(err.errno, 90);
  // As on Linux, the socket is bound (as for every send) before the size is
  // refused.
  const [host, port] = s.getsockname() as socket.IPv4Address;
  assertEquals(host, "0.0.0.0");
  assertNotEquals(port, 0);
});

test("recvfrom() with MSG_PEEK leaves the datagram for the next call", async () => {
  await using a = bound();
  await using s = udp();
  await s.sendto(b("abc"), a.getsockname());
  const [peeked] = await a.recvfrom(2, socket.MSG_PEEK);
  assertEquals(str(peeked), "ab");
  peeked[0] = 0; // the caller's copy: the queued datagram is untouched
  assertEquals(str((await a.recvfrom(10))[0]), "abc");
});

test("recvfrom(0) consumes a datagram; recv(0) returns b'' at once", async () => {
  await using a = bound();
  await using s = udp();
  a.settimeout(0.05);
  // CPython makes no system call for recv(0): it does not wait.
  assertEquals(await a.recv(0), new Uint8Array(0));
  assertEquals(await a.recv_into(new Uint8Array(0)), 0);
  await s.sendto(b("one"), a.getsockname());
  await s.sendto(b("two"), a.getsockname());
  const [empty, from] = await a.recvfrom(0);
  assertEquals(empty, new Uint8Array(0));
  assertEquals(from, ["127.0.0.1", portOf(s)]);
  assertEquals(str(await a.recv(10)), "two");
});

test("recvfrom() calls pending together are served in call order", async () => {
  await using a = bound();
  await using s = udp();
  const first = a.recvfrom(10);
  const second = a.recvfrom(10);
  await s.sendto(b("one"), a.getsockname());
  await s.sendto(b("two"), a.getsockname());
  assertEquals(str((await first)[0]), "one");
  assertEquals(str((await second)[0]), "two");
});

test("recvfrom() that times out loses nothing: the next call gets the datagram", async () => {
  await using a = bound();
  await using s = udp();
  a.settimeout(0.1);
  const { ms, error } = await timed(() => a.recvfrom(1024));
  assertInstanceOf(error, socket.TimeoutError);
  assertEquals((error as Error).message, "timed out");
  assert(ms >= 90 && ms < 1000, `timed out after ${ms} ms`);
  // The runtime receive started by the timed-out call is still in flight:
  // what it brings must go to the next caller.
  await s.sendto(b("late"), a.getsockname());
  await sleep(50);
  await s.sendto(b("later"), a.getsockname());
  assertEquals(str((await a.recvfrom(1024))[0]), "late");
  assertEquals(str((await a.recvfrom(1024))[0]), "later");
});

test("recvfrom_into() that times out loses nothing either", async () => {
  await using a = bound();
  await using s = udp();
  a.settimeout(0.05);
  const buf = new Uint8Array(16);
  await assertRejects(() => a.recvfrom_into(buf), socket.TimeoutError);
  await s.sendto(b("kept"), a.getsockname());
  a.settimeout(null);
  const [n] = await a.recvfrom_into(buf);
  assertEquals(str(buf.subarray(0, n)), "kept");
});

test("recvfrom() in non-blocking mode is BlockingIOError, and loses nothing", async () => {
  await using a = bound();
  await using s = udp();
  a.setblocking(false);
  const { ms, error } = await timed(() => a.recvfrom(10));
  assertInstanceOf(error, socket.BlockingIOError);
  assertEquals(
    (error as Error).message,
    "[Errno 11] Resource temporarily unavailable",
  );
  assert(ms < 1000, `took ${ms} ms`);
  await s.sendto(b("x"), a.getsockname());
  await sleep(50);
  assertEquals(str((await a.recvfrom(10))[0]), "x");
  // MSG_DONTWAIT on a blocking socket: the same for one call.
  a.setblocking(true);
  await assertRejects(
    () => a.recv(10, socket.MSG_DONTWAIT),
    socket.BlockingIOError,
    "[Errno 11] Resource temporarily unavailable",
  );
});

test("recvfrom() on an unbound socket waits for its timeout, as in Python", async () => {
  await using s = udp();
  s.settimeout(0.1);
  const { ms, error } = await timed(() => s.recvfrom(10));
  assertInstanceOf(error, socket.TimeoutError);
  assert(ms >= 90 && ms < 1000, `timed out after ${ms} ms`);
  s.setblocking(false);
  await assertRejects(() => s.recv(10), socket.BlockingIOError);
});

test("recvfrom() pending on an unbound socket receives once it is bound", async () => {
  await using a = udp();
  await using s = udp();
  const pending = a.recvfrom(10);
  a.bind(["127.0.0.1", 0]);
  await s.sendto(b("hi"), a.getsockname());
  assertEquals(str((await pending)[0]), "hi");
});

test("connect() sets the default peer: send(), recv(), getpeername()", async () => {
  await using a = bound();
  await using c = udp();
  await c.connect(a.getsockname());
  assertEquals(c.getpeername(), a.getsockname());
  // connect() binds an unbound socket, as the OS does.
  assertNotEquals(portOf(c), 0);
  assertEquals(await c.send(b("hello")), 5);
  await c.sendall(b("all"));
  const [data, from] = await a.recvfrom(16);
  assertEquals(str(data), "hello");
  assertEquals(portOf(c), (from as [string, number])[1]);
  assertEquals(str(await a.recv(16)), "all");
  await a.sendto(b("back"), from!);
  assertEquals(str(await c.recv(16)), "back");
  assertMatch(
    String(c),
    /type=2, proto=0, laddr=.*, raddr=\('127\.0\.0\.1', \d+\)>$/,
  );
});

test("connect() drops datagrams from other peers; connecting again switches", async () => {
  await using a = bound();
  await using peer1 = bound();
  await using peer2 = bound();
  await a.connect(peer1.getsockname());
  await peer2.sendto(b("dropped"), a.getsockname());
  await peer1.sendto(b("kept"), a.getsockname());
  const [data, from] = await a.recvfrom(16);
  assertEquals([str(data), from], ["kept", peer1.getsockname()]);

  await a.connect(peer2.getsockname());
  assertEquals(a.getpeername(), peer2.getsockname());
  await peer1.sendto(b("old peer"), a.getsockname());
  await peer2.sendto(b("new peer"), a.getsockname());
  assertEquals(str(await a.recv(16)), "new peer");
  await a.send(b("to 2"));
  assertEquals(str(await peer2.recv(16)), "to 2");
  a.settimeout(0.05);
  await peer1.sendto(b("old again"), a.getsockname());
  await assertRejects(() => a.recv(16), socket.TimeoutError);
});

test("connect() keeps what other senders had queued before it; only later datagrams are filtered, as Linux's (python3's answers)", async () => {
  await using r = bound();
  await using o = bound();
  await using c = bound();
  await o.sendto(b("o1"), r.getsockname());
  await o.sendto(b("o2"), r.getsockname());
  await c.sendto(b("c1"), r.getsockname());
  await sleep(50);
  await r.connect(c.getsockname());
  await o.sendto(b("o3"), r.getsockname());
  await c.sendto(b("c2"), r.getsockname());
  r.settimeout(2);
  const got = [];
  for (let i = 0; i < 4; i++) got.push(str(await r.recv(10)));
  assertEquals(got, ["o1", "o2", "c1", "c2"]);
  r.settimeout(0.05);
  await assertRejects(() => r.recv(10), socket.TimeoutError);
});

test("connect() and sendto() to a wildcard address reach the loopback address, as Linux turns them (python3's answers)", async () => {
  for (
    const [family, any, loopback] of [
      [AF_INET, "0.0.0.0", "127.0.0.1"],
      [AF_INET, "", "127.0.0.1"],
      [AF_INET6, "::", "::1"],
      [AF_INET6, "", "::1"],
    ] as const
  ) {
    await using srv = udp(family);
    srv.bind([family === AF_INET6 ? "::" : "0.0.0.0", 0]);
    srv.settimeout(2);
    await using c = udp(family);
    c.settimeout(2);
    await c.connect([any, portOf(srv)]);
    const peer = c.getpeername() as [string, number];
    assertEquals([peer[0], peer[1]], [loopback, portOf(srv)]);
    assertEquals((c.getsockname() as [string, number])[0], loopback);
    await c.send(b("req"));
    const [data, from] = await srv.recvfrom(10);
    assertEquals([str(data), (from as [string, number])[0]], ["req", loopback]);
    await srv.sendto(b("reply"), from!);
    assertEquals(str(await bounded(c.recv(10), 5000, "the reply")), "reply");
  }
  for (
    const [family, host, any, seen] of [
      [AF_INET, "127.0.0.1", "0.0.0.0", "127.0.0.1"],
      [AF_INET6, "::1", "::", "::1"],
      [AF_INET6, "::", "::ffff:0.0.0.0", "::ffff:127.0.0.1"],
    ] as const
  ) {
    await using r = udp(family);
    r.bind([host, 0]);
    r.settimeout(2);
    await using s = udp(family);
    await s.sendto(b("x"), [any, portOf(r)]);
    const [data, from] = await r.recvfrom(10);
    assertEquals([str(data), (from as [string, number])[0]], ["x", seen]);
  }
});

test("getpeername() after connect() spells an IPv6 peer as inet_ntop() does, as Linux keeps it (python3's answers)", async () => {
  await using srv = udp(AF_INET6);
  srv.bind(["::", 0]);
  const port = portOf(srv);
  for (
    const [host, peer] of [
      ["0:0:0:0:0:0:0:1", "::1"],
      ["::0:1", "::1"],
      ["::FFFF:127.0.0.1", "::ffff:127.0.0.1"],
      ["::ffff:7f00:1", "::ffff:127.0.0.1"],
    ]
  ) {
    await using c = udp(AF_INET6);
    await c.connect([host, port]);
    assertEquals(c.getpeername(), [peer, port, 0, 0]);
    await c.send(b("req"));
    srv.settimeout(2);
    const [, from] = await srv.recvfrom(10);
    await srv.sendto(b("reply"), from!);
    c.settimeout(2);
    assertEquals(str(await c.recv(10)), "reply");
  }
});

test("select() waiting on an unbound UDP socket wakes once bind() or the first sendto() binds it and a datagram arrives", async () => {
  await using echo = bound();
  echo.settimeout(2);
  for (const how of ["bind", "autobind"]) {
    await using c = udp();
    const start = performance.now();
    const pending = select.select([c], [], [], 3);
    await sleep(20);
    if (how === "bind") {
      c.bind(["127.0.0.1", 0]);
      await echo.sendto(b("hello"), c.getsockname());
    } else {
      await c.sendto(b("ping"), echo.getsockname());
      const [data, from] = await echo.recvfrom(10);
      await echo.sendto(data, from!);
    }
    const [r] = await bounded(pending, 5000, "select()");
    const ms = performance.now() - start;
    assertEquals(r.length, 1, how);
    assert(ms < 2000, `${how}: select() answered after ${ms} ms`);
  }
});

test("sendto() on a connected socket sends to the address given, as Linux", async () => {
  await using a = bound();
  await using other = bound();
  await using c = udp();
  await c.connect(a.getsockname());
  assertEquals(await c.sendto(b("peer"), a.getsockname()), 4);
  assertEquals(str(await a.recv(16)), "peer");
  await c.sendto(b("elsewhere"), other.getsockname());
  assertEquals(str(await other.recv(16)), "elsewhere");
  // Still connected: send() goes to the peer, and only the peer gets in.
  await c.send(b("again"));
  assertEquals(str(await a.recv(16)), "again");
  await other.sendto(b("stranger"), c.getsockname());
  await a.sendto(b("from peer"), c.getsockname());
  assertEquals(str(await c.recv(16)), "from peer");
});

test("connect() and sendto() resolve host names with the system resolver", async () => {
  await using a = bound();
  await using c = udp();
  await c.connect(["localhost", portOf(a)]);
  assertEquals(c.getpeername(), ["127.0.0.1", portOf(a)]);
  await c.send(b("by name"));
  assertEquals(str(await a.recv(16)), "by name");
  // The reply comes from 127.0.0.1: it passes the connected filter.
  await a.sendto(b("reply"), ["127.0.0.1", portOf(c)]);
  assertEquals(str(await c.recv(16)), "reply");
  await using s = udp();
  await s.sendto(b("sendto name"), ["localhost", portOf(a)]);
  assertEquals(str(await a.recv(16)), "sendto name");
});

test("an unconnected UDP server that answers a client gone away never raises ConnectionRefusedError: not from recvfrom(), sendto() or SO_ERROR (Linux reports ICMP errors to connected sockets only; Bun's IP_RECVERR reports them to all)", async () => {
  await using server = bound();
  server.settimeout(1);
  const gone = bound();
  await gone.sendto(b("one"), server.getsockname());
  const [data, from] = await server.recvfrom(100);
  gone.close();
  for (let i = 0; i < 3; i++) {
    assertEquals(await server.sendto(data, from!), 3);
    await sleep(50);
  }
  assertEquals(server.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR), 0);
  await using next = bound();
  await next.sendto(b("two"), server.getsockname());
  assertEquals(str((await server.recvfrom(100))[0]), "two");
  assertEquals(await server.sendto(b("ok"), next.getsockname()), 2);
  assertEquals(str((await next.recvfrom(100))[0]), "ok");
});

test("send() and sendall() on an unconnected socket are [Errno 89]", async () => {
  await using s = udp();
  await assertRejects(
    () => s.send(b("x")),
    socket.OSError,
    "[Errno 89] Destination address required",
  );
  await assertRejects(
    () => s.sendall(b("x")),
    socket.OSError,
    "[Errno 89] Destination address required",
  );
  // As on Linux, the socket is bound (as for every send) before the
  // destination is found missing.
  const [host, port] = s.getsockname() as socket.IPv4Address;
  assertEquals(host, "0.0.0.0");
  assertNotEquals(port, 0);
});

test("listen() and accept() on a datagram socket are [Errno 95]", async () => {
  await using s = bound();
  assertThrows(
    () => s.listen(),
    socket.OSError,
    "[Errno 95] Operation not supported",
  );
  await assertRejects(
    () => s.accept(),
    socket.OSError,
    "[Errno 95] Operation not supported",
  );
  // With a timeout CPython first waits for the socket to be readable.
  s.settimeout(0.05);
  const { ms, error } = await timed(() => s.accept());
  assertInstanceOf(error, socket.TimeoutError);
  assert(ms >= 40, `took ${ms} ms`);
});

test("shutdown() on a datagram socket: ENOTCONN unconnected, then EPIPE on send", async () => {
  await using a = bound();
  await using s = udp();
  await assertRejects(
    () => s.shutdown(socket.SHUT_RDWR),
    socket.OSError,
    "[Errno 107] Transport endpoint is not connected",
  );
  assertThrows(
    () => s.getpeername(),
    socket.OSError,
    "[Errno 107] Transport endpoint is not connected",
  );
  await s.connect(a.getsockname());
  await s.shutdown(socket.SHUT_RD);
  // SHUT_RD does not stop a Linux UDP socket from receiving.
  await a.sendto(b("still"), s.getsockname() as [string, number]);
  assertEquals(str(await s.recv(16)), "still");
  await s.shutdown(socket.SHUT_WR);
  await assertRejects(
    () => s.send(b("x")),
    socket.BrokenPipeError,
    "[Errno 32] Broken pipe",
  );
  await assertRejects(
    () => s.sendto(b("x"), a.getsockname()),
    socket.BrokenPipeError,
    "[Errno 32] Broken pipe",
  );
});

test("shutdown() on an unconnected datagram socket: ENOTCONN, yet marked shut as Linux marks it (python3's answers)", async () => {
  await using a = bound();
  // SHUT_WR: a sendto() binds the socket, then raises EPIPE.
  await using w = udp();
  await assertRejects(
    () => w.shutdown(socket.SHUT_WR),
    socket.OSError,
    "[Errno 107] Transport endpoint is not connected",
  );
  await assertRejects(
    () => w.sendto(b("x"), a.getsockname()),
    socket.BrokenPipeError,
    "[Errno 32] Broken pipe",
  );
  assertNotEquals((w.getsockname() as socket.IPv4Address)[1], 0);
  // SHUT_RD: readable at once; a blocking receive with nothing there
  // returns (b'', None) at once, even unbound; a datagram still comes.
  await using r = udp();
  await assertRejects(
    () => r.shutdown(socket.SHUT_RD),
    socket.OSError,
    "[Errno 107] Transport endpoint is not connected",
  );
  assertEquals(await select.select([r], [r], [r], 0), [[r], [r], []]);
  assertEquals(await r.recvfrom(10), [new Uint8Array(0), null]);
  r.bind(["127.0.0.1", 0]);
  await a.sendto(b("d"), r.getsockname());
  await sleep(50);
  assertEquals(str(await r.recv(10)), "d");
  assertEquals(await r.recv(10), new Uint8Array(0));
  assertEquals(await r.recv_into(new Uint8Array(4)), 0);
});

test("after shutdown(SHUT_RD), a blocking UDP receive with nothing there returns b'' at once; timed and non-blocking ones wait as CPython's", async () => {
  await using a = bound();
  await using s = udp();
  await s.connect(a.getsockname());
  await s.shutdown(socket.SHUT_RD);
  assertEquals(await s.recv(10), new Uint8Array(0));
  assertEquals(await s.recvfrom(10), [new Uint8Array(0), null]);
  // CPython's timed and non-blocking calls poll first, and the kernel's
  // non-blocking receive answers EAGAIN.
  s.settimeout(0.2);
  await assertRejects(() => s.recv(10), socket.TimeoutError, "timed out");
  s.setblocking(false);
  await assertRejects(
    () => s.recv(10),
    socket.BlockingIOError,
    "[Errno 11] Resource temporarily unavailable",
  );
});

test("bind() on a datagram socket raises Python's errors itself", async () => {
  await using a = bound();
  assertThrows(
    () => a.bind(["127.0.0.1", 0]),
    socket.OSError,
    "[Errno 22] Invalid argument",
  );
  await using b2 = udp();
  assertThrows(
    () => b2.bind(a.getsockname()),
    socket.OSError,
    "[Errno 98] Address already in use",
  );
  assertThrows(
    () => b2.bind(["192.0.2.1", 0]),
    socket.OSError,
    "[Errno 99] Cannot assign requested address",
  );
});

test("datagram argument errors are Python's", async () => {
  await using s = udp();
  const cases: [
    () => Promise<unknown>,
    new (...a: never[]) => Error,
    string,
  ][] = [
    [
      () => s.sendto("x" as unknown as Uint8Array, ["127.0.0.1", 9]),
      TypeError,
      "a bytes-like object is required, not 'str'",
    ],
    [
      () => s.sendto(b("x"), "127.0.0.1" as unknown as [string, number]),
      TypeError,
      "sendto(): AF_INET address must be tuple, not str",
    ],
    [
      () => s.sendto(b("x"), ["127.0.0.1", 70000]),
      socket.OverflowError,
      "sendto(): port must be 0-65535.",
    ],
    [
      () => s.sendto(b("x"), ["127.0.0.1", 0]),
      socket.OSError,
      "[Errno 22] Invalid argument",
    ],
    [
      () => s.recvfrom(-1),
      socket.ValueError,
      "negative buffersize in recvfrom",
    ],
    [
      () => s.recvfrom_into(new Uint8Array(2), 3),
      socket.ValueError,
      "nbytes is greater than the length of the buffer",
    ],
  ];
  for (const [fn, Class, message] of cases) {
    await assertRejects(fn, Class, message);
  }
});

test("close() while recvfrom() is pending settles it with [Errno 9]", async () => {
  const a = bound();
  const pending = a.recvfrom(10);
  await sleep(10);
  a.close();
  const { ms, error } = await timed(() => pending);
  assertInstanceOf(error, socket.OSError);
  assertEquals((error as Error).message, "[Errno 9] Bad file descriptor");
  assert(ms < 500, `took ${ms} ms`);
  // And on a socket never bound (no runtime receive in flight).
  const u = udp();
  const waiting = u.recvfrom_into(new Uint8Array(4));
  u.close();
  await assertRejects(
    () => waiting,
    socket.OSError,
    "[Errno 9] Bad file descriptor",
  );
  await assertRejects(
    () => u.sendto(b("x"), ["127.0.0.1", 9]),
    socket.OSError,
    "[Errno 9] Bad file descriptor",
  );
});

test("AF_INET6 datagrams over ::1 carry 4-tuple addresses", async () => {
  await using a = bound(AF_INET6);
  await using s = udp(AF_INET6);
  await s.sendto(b("six"), a.getsockname());
  const [host, port, flowinfo, scope] = s.getsockname() as socket.IPv6Address;
  assertEquals([host, flowinfo, scope], ["::", 0, 0]);
  const [data, from] = await a.recvfrom(16);
  assertEquals(str(data), "six");
  assertEquals(from, ["::1", port, 0, 0]);
  await s.connect(["::1", portOf(a)]);
  assertEquals(s.getpeername(), ["::1", portOf(a), 0, 0]);
  await a.sendto(b("back"), from!);
  assertEquals(str(await s.recv(16)), "back");
  await assertRejects(
    () => s.sendto(new Uint8Array(65528), a.getsockname()),
    socket.OSError,
    "[Errno 90] Message too long",
  );
});

test("AF_INET6 datagrams: IPv4 senders show as ::ffff:, v4 literals are EAI_ADDRFAMILY", async () => {
  await using a = udp(AF_INET6);
  a.bind(["::", 0]);
  await using s4 = bound();
  await s4.sendto(b("four"), ["127.0.0.1", portOf(a)]);
  const [data, from] = await a.recvfrom(16);
  assertEquals(str(data), "four");
  assertEquals(from, ["::ffff:127.0.0.1", portOf(s4), 0, 0]);
  // Connected to the mapped address, the v4 peer passes the filter.
  await a.connect(["::ffff:127.0.0.1", portOf(s4)]);
  await s4.sendto(b("mapped"), ["127.0.0.1", portOf(a)]);
  assertEquals(str(await a.recv(16)), "mapped");
  await assertRejects(
    () => a.sendto(b("x"), ["127.0.0.1", 9]),
    socket.gaierror,
    "[Errno -9] Address family for hostname not supported",
  );
});

test("sendto('<broadcast>') needs SO_BROADCAST, which getsockopt reports truthfully", async () => {
  await using s = udp();
  await using target = bound();
  // The sends that go out use loopback's broadcast address, which Linux
  // treats as a broadcast too: a test never sends to 255.255.255.255, which
  // would leave the machine.
  const broadcast = async () => {
    assertEquals(
      await s.sendto(b("x"), ["127.255.255.255", portOf(target)]),
      1,
    );
  };
  if (expected.broadcastAlwaysOn) {
    // The runtime turns SO_BROADCAST on for every UDP socket: getsockopt
    // reports it, setsockopt(1) is honoured, setsockopt(0) cannot be.
    assertEquals(s.getsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST), 1);
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1);
    assertThrows(
      () => s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 0),
      socket.OSError,
      "[Errno 92] Protocol not available: 'SO_BROADCAST'",
    );
  } else {
    // Off, as on Linux: the kernel refuses a broadcast with EACCES, before
    // anything is sent.
    assertEquals(s.getsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST), 0);
    for (const host of ["<broadcast>", "127.255.255.255"]) {
      await assertRejects(
        () => s.sendto(b("x"), [host, portOf(target)]),
        socket.PermissionError,
        "[Errno 13] Permission denied",
      );
    }
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1);
    assertEquals(s.getsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST), 1);
  }
  await broadcast();
});

test("getsockopt() on a datagram socket reports what is in force", async () => {
  await using s = udp();
  const get = (name: number) => s.getsockopt(socket.SOL_SOCKET, name);
  assertEquals(get(socket.SO_TYPE), SOCK_DGRAM);
  assertEquals(get(socket.SO_ERROR), 0);
  assertEquals(get(socket.SO_REUSEADDR), 0);
  s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1);
  s.bind(["127.0.0.1", 0]);
  assertEquals(get(socket.SO_REUSEADDR), 1);
  await using twin = udp();
  twin.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1);
  twin.bind(s.getsockname());
  assertEquals(twin.getsockname(), s.getsockname());
  assertThrows(
    () => s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 0),
    socket.OSError,
    "[Errno 92] Protocol not available: 'SO_REUSEADDR'",
  );
});

test("await using waits for a datagram socket's receive in flight", async () => {
  const s = bound();
  {
    await using _s = s;
    s.settimeout(0.01);
    await assertRejects(() => s.recvfrom(10), socket.TimeoutError);
  }
  assertEquals(s.fileno(), -1);
});

test("examples/udp_server.ts answers examples/udp_client.ts, then exits after --count", async () => {
  const root = new URL("..", import.meta.url);
  const example = (name: string) => new URL(`examples/${name}`, root);
  const options = { cwd: root, env: { NO_COLOR: "1" } };
  const [cmd, ...args] = runtimeArgv(example("udp_server.ts"), {
    denoFlags: ["--allow-net"],
  });
  await using server = new Child(
    cmd,
    [...args, "--port", "0", "--count", "2"],
    options,
  );
  const [, port] = await server.waitFor(
    "stderr",
    /listening on \('127\.0\.0\.1', (\d+)\)/,
  );
  const [ccmd, ...cargs] = runtimeArgv(example("udp_client.ts"), {
    denoFlags: ["--allow-net"],
  });
  const client = await run(
    ccmd,
    [...cargs, "--port", port, "localhost", "nowhere.test"],
    options,
  );
  assertEquals(
    client.stdout,
    "localhost 127.0.0.1\nnowhere.test NXDOMAIN\n",
    client.stderr,
  );
  assertEquals(client.code, 0);
  const { code, stdout, stderr } = await server.exit();
  assertEquals(code, 0, stderr);
  assertMatch(
    stdout,
    /^\('127\.0\.0\.1', \d+\) asked localhost: 127\.0\.0\.1\n\('127\.0\.0\.1', \d+\) asked nowhere\.test: NXDOMAIN\n$/,
  );
});

const noPy = await noPython();

/**
 * A UDP socket bound to every interface, port 0, that joined `group` on
 * the loopback interface.
 */
function member(group: string): socket.Socket {
  const s = udp();
  s.bind(["0.0.0.0", 0]);
  s.setsockopt(IPPROTO_IP, IP_ADD_MEMBERSHIP, mreq(group, "127.0.0.1"));
  return s;
}

test(
  "multicast: IP_ADD_MEMBERSHIP and IP_MULTICAST_IF deliver a group datagram over loopback",
  async () => {
    const group = "239.255.41.7";
    await using receiver = member(group);
    await using sender = udp();
    sender.setsockopt(
      IPPROTO_IP,
      socket.IP_MULTICAST_IF,
      socket.inet_aton("127.0.0.1"),
    );
    await sender.sendto(b("to the group"), [group, portOf(receiver)]);
    receiver.settimeout(5);
    assertEquals(str((await receiver.recvfrom(64))[0]), "to the group");
  },
  { ignore: unless(expected.udpOptions, "multicast options on UDP") },
);

test(
  "multicast: a member (IP_ADD_MEMBERSHIP) gets CPython's group datagrams over loopback, none once it left (IP_DROP_MEMBERSHIP), and again once it joined again",
  async () => {
    // A group of this run's own: Linux delivers a group's datagrams to a
    // socket bound to the wildcard while any socket of the host is a member
    // (IP_MULTICAST_ALL), so a test run at the same time must not share it.
    const [x, y] = crypto.getRandomValues(new Uint8Array(2));
    const group = `239.255.${x}.${Math.max(y, 1)}`;
    await using r = member(group);
    const port = portOf(r);
    r.settimeout(5);
    await groupSend(group, port, "first");
    assertEquals(str((await r.recvfrom(64))[0]), "first");
    r.setsockopt(IPPROTO_IP, IP_DROP_MEMBERSHIP, mreq(group, "127.0.0.1"));
    await groupSend(group, port, "not a member");
    // A datagram to the port itself still comes: what came before it did not.
    await groupSend("127.0.0.1", port, "direct");
    assertEquals(str((await r.recvfrom(64))[0]), "direct");
    r.setsockopt(IPPROTO_IP, IP_ADD_MEMBERSHIP, mreq(group, "127.0.0.1"));
    await groupSend(group, port, "again");
    assertEquals(str((await r.recvfrom(64))[0]), "again");
  },
  { ignore: noPy },
);

test(
  "multicast: Linux's errors for a second join, a group not joined, an address that is no group, and an interface address of no interface (python3 3.11's answers)",
  async () => {
    await using r = member("239.255.41.10");
    const joined = mreq("239.255.41.10", "127.0.0.1");
    const cases: [number, Uint8Array, string][] = [
      [IP_ADD_MEMBERSHIP, joined, "[Errno 98] Address already in use"],
      [
        IP_DROP_MEMBERSHIP,
        mreq("239.255.41.11", "127.0.0.1"),
        "[Errno 99] Cannot assign requested address",
      ],
      [
        IP_ADD_MEMBERSHIP,
        mreq("10.0.0.1", "127.0.0.1"),
        "[Errno 22] Invalid argument",
      ],
    ];
    for (const [name, value, message] of cases) {
      assertThrows(
        () => r.setsockopt(IPPROTO_IP, name, value),
        socket.OSError,
        message,
      );
    }
    // 192.0.2.77 (TEST-NET-1) is no address of this host.
    const nowhere = mreq("239.255.41.12", "192.0.2.77");
    if (expected.membershipErrorsLater) {
      r.setsockopt(IPPROTO_IP, IP_ADD_MEMBERSHIP, nowhere);
      await sleep(50);
      assertEquals(r.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR), 19);
      assertEquals(r.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR), 0);
    } else {
      assertThrows(
        () => r.setsockopt(IPPROTO_IP, IP_ADD_MEMBERSHIP, nowhere),
        socket.OSError,
        expected.membershipErrno
          ? "[Errno 19] No such device"
          : "[Errno 22] Invalid argument",
      );
    }
    // The failed join is no membership: a drop of it is refused.
    assertThrows(
      () => r.setsockopt(IPPROTO_IP, IP_DROP_MEMBERSHIP, nowhere),
      socket.OSError,
      "[Errno 99] Cannot assign requested address",
    );
    r.setsockopt(IPPROTO_IP, IP_DROP_MEMBERSHIP, joined);
  },
);

test(
  "multicast: IP_MULTICAST_LOOP changed through a join the kernel refused a moment later stays as it was, and SO_ERROR says why",
  async () => {
    await using s = udp();
    s.bind(["0.0.0.0", 0]);
    // 192.0.2.77 (TEST-NET-1) is no address of this host.
    s.setsockopt(
      IPPROTO_IP,
      IP_ADD_MEMBERSHIP,
      mreq("239.255.41.14", "192.0.2.77"),
    );
    s.setsockopt(IPPROTO_IP, socket.IP_MULTICAST_LOOP, 0);
    await sleep(50);
    assertEquals(s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR), 19);
    assertEquals(s.getsockopt(IPPROTO_IP, socket.IP_MULTICAST_LOOP), 1);
  },
  {
    ignore: !expected.membershipErrorsLater &&
      "this runtime refuses such a join at once (the errors test above)",
  },
);

/** The kernel's IP_MULTICAST_LOOP of `s`. */
async function kernelLoop(s: socket.Socket) {
  const got = await kernelOptions("udp", portOf(s), ["IP_MULTICAST_LOOP"]);
  return (got as Record<string, number>).IP_MULTICAST_LOOP;
}

test(
  "IP_MULTICAST_LOOP is the kernel's, on by default as on Linux, off when set so before bind(), on again when set after",
  async () => {
    const LOOP = socket.IP_MULTICAST_LOOP;
    await using a = bound();
    assertEquals(a.getsockopt(IPPROTO_IP, LOOP), 1);
    assertEquals(await kernelLoop(a), 1);
    await using off = udp();
    off.setsockopt(IPPROTO_IP, LOOP, 0);
    off.bind(["127.0.0.1", 0]);
    assertEquals(off.getsockopt(IPPROTO_IP, LOOP), 0);
    assertEquals(await kernelLoop(off), 0);
    // Once bound, Deno's API sets it only through a group membership.
    if (expected.denoDatagrams) {
      assertThrows(
        () => off.setsockopt(IPPROTO_IP, LOOP, 1),
        socket.OSError,
        "[Errno 92] Protocol not available: 'IP_MULTICAST_LOOP'",
      );
      off.setsockopt(
        IPPROTO_IP,
        IP_ADD_MEMBERSHIP,
        mreq("239.255.41.13", "127.0.0.1"),
      );
    }
    off.setsockopt(IPPROTO_IP, LOOP, 1);
    assertEquals(off.getsockopt(IPPROTO_IP, LOOP), 1);
    await sleep(20);
    assertEquals(await kernelLoop(off), 1);
  },
  { ignore: await noKernelOptions() },
);

test(
  "a connect() that fails leaves a UDP socket connected to its old peer, as Linux",
  async () => {
    await using a = bound();
    await using s = udp();
    await s.connect(a.getsockname());
    // The runtime refuses port 0 (Linux would connect to it): the old
    // peer stays, though the runtime disconnected from it to try.
    await assertRejects(
      () => s.connect(["127.0.0.1", 0]),
      socket.OSError,
      "[Errno 22] Invalid argument",
    );
    assertEquals(s.getpeername(), a.getsockname());
    assertEquals(await s.send(b("still")), 5);
    a.settimeout(5);
    assertEquals(str((await a.recvfrom(10))[0]), "still");
  },
  {
    ignore: unless(
      expected.udpConnect,
      "connect a datagram socket at the OS level",
    ),
  },
);

test(
  "multicast options raise ENOPROTOOPT where the runtime has none",
  async () => {
    await using s = udp();
    assertThrows(
      () => s.setsockopt(socket.IPPROTO_IP, 32, socket.inet_aton("127.0.0.1")),
      socket.OSError,
      "[Errno 92] Protocol not available: 'IP_MULTICAST_IF'",
    );
  },
  { ignore: expected.udpOptions && "this runtime has multicast options" },
);
