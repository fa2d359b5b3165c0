// Copyright the pysocket authors. MIT license.
// Round 18's typed idioms, run: what tests/types/types18.ts type-checks
// does what python3 3.11 does (its output recorded here). Python's ints
// as flags (`setblocking(0)`, `allow_reuse_address = 1`,
// `daemon_threads = 1`, `block_on_close = 0`, `bind_and_activate=0`) are
// judged by their truth value; `getaddrinfo()`'s entries are of the family
// asked for, an AF_INET one's address a 2-tuple and an AF_INET6 one's a
// 4-tuple; a server's `socket` gives `host, port`; the exception aliases
// are the classes.

import {
  assertEquals,
  assertInstanceOf,
  assertStrictEquals,
} from "@std/assert";
import * as socket from "../mod.ts";
import * as select from "../select.ts";
import * as socketserver from "../socketserver.ts";
import * as ssl from "../ssl.ts";
import { expected } from "./_caps.ts";
import { b, bounded, errorOf, recvUntilEnd, str, test } from "./_util.ts";

// ---------------------------------------------------- Python's int flags

test("setblocking(0), (1), (2), (-1): the int's truth value, as Python's", () => {
  // python3 3.11: 0 -> False 0.0; 1, 2, -1 -> True None.
  using s = socket.socket();
  const seen = [0, 1, 2, -1].map((flag) => {
    s.setblocking(flag);
    return [flag, s.getblocking(), s.gettimeout()];
  });
  assertEquals(seen, [
    [0, false, 0],
    [1, true, null],
    [2, true, null],
    [-1, true, null],
  ]);
});

/** The options `server_bind()` sets on `server`'s socket, and its error. */
function optionsSet(server: socketserver.TCPServer): [number[], unknown] {
  const asked: number[] = [];
  const setsockopt = server.socket.setsockopt.bind(server.socket);
  server.socket.setsockopt = ((level: number, option: number, v: number) => {
    asked.push(option);
    return setsockopt(level, option, v);
  }) as typeof server.socket.setsockopt;
  try {
    server.server_bind();
  } catch (err) {
    return [asked, err];
  }
  return [asked, undefined];
}

test("allow_reuse_address = 1 (http.server's) and allow_reuse_port = 1 set their option, 0 does not", () => {
  // python3 3.11: allow_reuse_address = 1 or 2 -> SO_REUSEADDR 1, 0 -> 0;
  // allow_reuse_port = 1 -> SO_REUSEPORT 1, 0 -> 0. (Every runtime sets
  // SO_REUSEADDR on what it binds, so what is asked for is what counts;
  // SO_REUSEPORT, where the runtime cannot, raises Python's error.)
  const cases: [number, number, number[]][] = [
    [1, 0, [socket.SO_REUSEADDR]],
    [2, 0, [socket.SO_REUSEADDR]],
    [0, 0, []],
    [0, 1, [socket.SO_REUSEPORT]],
    [0, 2, [socket.SO_REUSEPORT]],
  ];
  for (const [reuseAddress, reusePort, options] of cases) {
    const what = `allow_reuse_address = ${reuseAddress}, ` +
      `allow_reuse_port = ${reusePort}`;
    class HTTPServer extends socketserver.TCPServer {
      static override allow_reuse_address = reuseAddress;
      static override allow_reuse_port = reusePort;
    }
    using server = new HTTPServer(
      ["127.0.0.1", 0],
      socketserver.BaseRequestHandler,
      false,
    );
    const [asked, error] = optionsSet(server);
    assertEquals(asked, options, what);
    if (reusePort && !expected.reusePortTcp) {
      assertInstanceOf(error, socket.OSError);
      assertEquals((error as socket.OSError).errno, 92);
      continue;
    }
    assertEquals(error, undefined, what);
    assertEquals(
      server.socket.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT),
      reusePort ? 1 : 0,
      what,
    );
  }
});

test("TCPServer(address, Handler, 0): bind_and_activate=0 leaves the socket unbound", () => {
  // python3 3.11: ('0.0.0.0', 0)
  using server = new socketserver.TCPServer(
    ["127.0.0.1", 0],
    socketserver.BaseRequestHandler,
    0,
  );
  assertEquals(server.socket.getsockname(), ["0.0.0.0", 0]);
});

test("ThreadingTCPServer: block_on_close = 0 and daemon_threads = 1 judged by their truth value", async () => {
  // python3 3.11: block_on_close=0 -> _NoThreads; block_on_close=1 with
  // daemon_threads=1 -> _Threads, none listed; daemon_threads=0 -> one.
  const cases: [number, number, string, number | undefined][] = [
    [0, 0, "_NoThreads", undefined],
    [1, 1, "_Threads", 0],
    [1, 0, "_Threads", 1],
  ];
  for (const [block_on_close, daemon_threads, kind, listed] of cases) {
    class Server extends socketserver.ThreadingTCPServer {
      static override block_on_close = block_on_close;
      static override daemon_threads = daemon_threads;
    }
    const what =
      `block_on_close=${block_on_close} daemon_threads=${daemon_threads}`;
    await using server = new Server(
      ["127.0.0.1", 0],
      socketserver.BaseRequestHandler,
    );
    using client = await socket.create_connection(server.server_address, 5);
    await bounded(server.handle_request(), 5000, "handle_request()");
    assertEquals(await bounded(recvUntilEnd(client), 5000, "end"), b(""));
    assertEquals(server._threads.constructor.name, kind, what);
    assertEquals(server._threads.length, listed, what);
    await bounded(server._threads.join(), 5000, "join()");
  }
});

// ------------------------------------- getaddrinfo(): the family asked for

test("getaddrinfo(host, port, AF_INET)[0][4] is an AF_INET socket's address: sendto() and connect() reach it", async () => {
  // python3 3.11: ping 127.0.0.1 ('127.0.0.1', port)
  using server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  server.bind(["127.0.0.1", 0]);
  const port = server.getsockname()[1];
  const addr = (await socket.getaddrinfo(
    "127.0.0.1",
    port,
    socket.AF_INET,
    socket.SOCK_DGRAM,
  ))[0][4];
  assertEquals(addr, ["127.0.0.1", port]);
  using sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  await sock.sendto(b("ping"), addr);
  await sock.connect(addr);
  const [data, from] = await bounded(server.recvfrom(16), 5000, "recvfrom");
  assertEquals([str(data), from], ["ping", [
    "127.0.0.1",
    sock.getsockname()[1],
  ]]);
  assertEquals(sock.getpeername(), ["127.0.0.1", port]);
});

test("getaddrinfo(): an AF_INET entry's address is [host, port], an AF_INET6 one's the 4-tuple, whatever family is asked", async () => {
  // python3 3.11, getaddrinfo(None, 7, fam, SOCK_STREAM):
  // 0 -> [(AF_INET6, 4), (AF_INET, 2)]; AF_INET -> [(AF_INET, 2)];
  // AF_INET6 -> [(AF_INET6, 4)]; family=AF_INET6, type=SOCK_DGRAM ->
  // [(AF_INET6, SOCK_DGRAM, 17, '', ('::1', 7, 0, 0))].
  const shape = (infos: socket.AddrInfo[]) =>
    infos.map(([family, , , , sa]) => [family, sa.length]);
  assertEquals(
    shape(await socket.getaddrinfo(null, 7, 0, socket.SOCK_STREAM)),
    [[socket.AF_INET6, 4], [socket.AF_INET, 2]],
  );
  assertEquals(
    shape(
      await socket.getaddrinfo(null, 7, socket.AF_INET, socket.SOCK_STREAM),
    ),
    [[socket.AF_INET, 2]],
  );
  assertEquals(
    shape(
      await socket.getaddrinfo(null, 7, socket.AF_INET6, socket.SOCK_STREAM),
    ),
    [[socket.AF_INET6, 4]],
  );
  assertEquals(
    await socket.getaddrinfo(null, 7, {
      family: socket.AF_INET6,
      type: socket.SOCK_DGRAM,
    }),
    [[socket.AF_INET6, socket.SOCK_DGRAM, 17, "", ["::1", 7, 0, 0]]],
  );
});

// ---------------------------------------------- a server's socket, typed

test("host, port = server.socket.getsockname(): the TCP and UDP servers' own address", async () => {
  // python3 3.11: create_connection((host, port)) reaches the server.
  class Echo extends socketserver.StreamRequestHandler {
    override async handle() {
      await this.wfile.write(await this.rfile.read(1));
    }
  }
  await using server = new socketserver.TCPServer(["127.0.0.1", 0], Echo);
  const [host, port] = server.socket.getsockname();
  assertEquals([host, port], server.server_address);
  using c = await socket.create_connection([host, port], 5);
  await c.sendall(b("\x05"));
  await bounded(server.handle_request(), 5000, "handle_request()");
  assertEquals(await bounded(recvUntilEnd(c), 5000, "end"), b("\x05"));

  await using udp = new socketserver.UDPServer(
    ["127.0.0.1", 0],
    socketserver.DatagramRequestHandler,
  );
  const udpPort: number = udp.socket.getsockname()[1];
  assertEquals(udpPort, udp.server_address[1]);
});

// ---------------------------------------------- the exception aliases

test("socket.error, socket.timeout, select.error, ssl.CertificateError, ssl.socket_error are Python's classes", async () => {
  assertStrictEquals(socket.error, socket.OSError);
  assertStrictEquals(socket.timeout, socket.TimeoutError);
  assertStrictEquals(select.error, socket.OSError);
  assertStrictEquals(ssl.CertificateError, ssl.SSLCertVerificationError);
  assertStrictEquals(ssl.socket_error, socket.OSError);
  // A timed-out recv() is a socket.timeout, and annotated as one.
  const [a, b2] = await socket.socketpair();
  using _a = a;
  using _b = b2;
  a.settimeout(0.01);
  const err = await errorOf(() => a.recv(1));
  assertInstanceOf(err, socket.timeout);
  // Python's annotations: late: socket.timeout; oserror: socket.error
  const late: socket.timeout = err as socket.timeout;
  const oserror: socket.error = late;
  assertEquals([oserror.errno, oserror.message], [null, "timed out"]);
});
