// Copyright the pysocket authors. MIT license.
// create_connection, create_server, socketpair, has_dualstack_ipv6.

import {
  assert,
  assertEquals,
  assertInstanceOf,
  assertRejects,
  assertThrows,
} from "@std/assert";
import * as socket from "../mod.ts";
import { expected, unless } from "./_caps.ts";
import { b, freePort, str, test, timed } from "./_util.ts";

test("create_connection() connects by name and applies the timeout given", async () => {
  using server = socket.create_server(["127.0.0.1", 0]);
  const [, port] = server.getsockname() as [string, number];
  using client = await socket.create_connection(["localhost", port], 2.5);
  assertEquals(client.gettimeout(), 2.5);
  assertEquals(client.getpeername(), ["127.0.0.1", port]);
  const [conn] = await server.accept();
  using _ = conn;
  await conn.sendall(b("hi"));
  assertEquals(str(await client.recv(10)), "hi");
});

test("create_connection() without a timeout keeps the default, with null it blocks", async () => {
  using server = socket.create_server(["127.0.0.1", 0]);
  const address = server.getsockname() as [string, number];
  socket.setdefaulttimeout(7);
  try {
    using a = await socket.create_connection(address);
    using c = await socket.create_connection(address, null);
    assertEquals([a.gettimeout(), c.gettimeout()], [7, null]);
  } finally {
    socket.setdefaulttimeout(null);
  }
  for (let i = 0; i < 2; i++) (await server.accept())[0].close();
});

test("create_connection() raises the connection's error, or a group of all with all_errors", async () => {
  const port = freePort();
  await assertRejects(
    () => socket.create_connection(["127.0.0.1", port]),
    socket.ConnectionRefusedError,
    "[Errno 111] Connection refused",
  );
  const group = await assertRejects(
    () =>
      socket.create_connection(["127.0.0.1", port], undefined, null, {
        all_errors: true,
      }),
    socket.ExceptionGroup,
    "create_connection failed (1 sub-exception)",
  );
  assertInstanceOf(group.exceptions[0], socket.ConnectionRefusedError);
  await assertRejects(
    () => socket.create_connection(["nonexistent.invalid", 80]),
    socket.gaierror,
    "[Errno -2] Name or service not known",
  );
  await assertRejects(
    () => socket.create_connection(["127.0.0.1", port], -1),
    socket.ValueError,
    "Timeout value out of range",
  );
});

test("create_connection() with a source address connects from it", async () => {
  using server = socket.create_server(["127.0.0.1", 0]);
  const source = (() => {
    using probe = socket.socket();
    probe.bind(["127.0.0.1", 0]);
    return probe.getsockname() as [string, number];
  })();
  using client = await socket.create_connection(
    server.getsockname() as [string, number],
    undefined,
    source,
  );
  assertEquals(client.getsockname(), source);
  const [conn, peer] = await server.accept();
  assertEquals(peer, source);
  conn.close();
});

test("create_server() listens with SO_REUSEADDR and names the address when bind fails", () => {
  using server = socket.create_server(["127.0.0.1", 0], { backlog: 5 });
  assertEquals(server.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR), 1);
  assertEquals(server.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN), 1);
  const [, port] = server.getsockname() as [string, number];
  const err = assertThrows(
    () => socket.create_server(["127.0.0.1", port]),
    socket.OSError,
    `[Errno 98] Address already in use (while attempting to bind on address ('127.0.0.1', ${port}))`,
  );
  assertEquals(err.errno, 98);
  assertThrows(
    () => socket.create_server(["127.0.0.1", 0], { dualstack_ipv6: true }),
    socket.ValueError,
    "dualstack_ipv6 requires AF_INET6 family",
  );
});

test("create_server() with reuse_port lets two servers share a port", () => {
  using a = socket.create_server(["127.0.0.1", 0], { reuse_port: true });
  using b2 = socket.create_server(a.getsockname() as [string, number], {
    reuse_port: true,
  });
  assertEquals(b2.getsockname(), a.getsockname());
}, { ignore: unless(expected.reusePortTcp, "SO_REUSEPORT on TCP") });

test("create_server() with dualstack_ipv6 accepts IPv4 and IPv6 clients", async () => {
  assert(socket.has_dualstack_ipv6());
  using server = socket.create_server(["", 0], {
    family: socket.AF_INET6,
    dualstack_ipv6: true,
  });
  const port = (server.getsockname() as socket.IPv6Address)[1];
  using v4 = await socket.create_connection(["127.0.0.1", port]);
  using v6 = await socket.create_connection(["::1", port]);
  const hosts = [];
  for (let i = 0; i < 2; i++) {
    const [conn, addr] = await server.accept();
    conn.close();
    hosts.push((addr as socket.IPv6Address)[0]);
  }
  assertEquals(hosts.sort(), ["::1", "::ffff:127.0.0.1"]);
  assertEquals(v4.family + v6.family, socket.AF_INET + socket.AF_INET6);
});

test("create_server() on AF_INET6 without dualstack_ipv6 is IPv6 only where the runtime can say so, as CPython's", async () => {
  // CPython sets IPV6_V6ONLY to 1, and goes on where it cannot (Deno,
  // whose wildcard IPv6 listeners stay dual-stack: README).
  using server = socket.create_server(["::", 0], { family: socket.AF_INET6 });
  const port = (server.getsockname() as socket.IPv6Address)[1];
  const v6only = server.getsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY);
  assertEquals(v6only, expected.v6onlyTcp ? 1 : 0);
  using _v6 = await socket.create_connection(["::1", port]);
  const [conn] = await server.accept();
  conn.close();
  if (expected.v6onlyTcp) {
    await assertRejects(
      () => socket.create_connection(["127.0.0.1", port]),
      socket.ConnectionRefusedError,
    );
  } else {
    using _v4 = await socket.create_connection(["127.0.0.1", port]);
    const [conn4] = await server.accept();
    conn4.close();
  }
});

test("socketpair() gives two connected ends, both ways", async () => {
  for (const family of [socket.AF_INET, socket.AF_INET6]) {
    const [a, b2] = await socket.socketpair(family);
    using _a = a;
    using _b = b2;
    assertEquals(a.getpeername(), b2.getsockname());
    await a.sendall(b("ping"));
    assertEquals(str(await b2.recv(10)), "ping");
    await b2.sendall(b("pong"));
    assertEquals(str(await a.recv(10)), "pong");
  }
});

test("socketpair() with a default timeout of 0 or more gives a pair with that timeout", async () => {
  const pairs: (() => Promise<[socket.Socket, socket.Socket]>)[] = [
    () => socket.socketpair(),
    () => socket.socketpair(socket.AF_INET),
    () => socket.socketpair(socket.AF_INET6),
  ];
  try {
    for (const timeout of [0, 1.5]) {
      socket.setdefaulttimeout(timeout);
      for (const make of pairs) {
        const [a, b2] = await make();
        using _a = a;
        using _b = b2;
        assertEquals([a.gettimeout(), b2.gettimeout()], [timeout, timeout]);
        assertEquals([a.getblocking(), b2.getblocking()], [
          timeout !== 0,
          timeout !== 0,
        ]);
        await a.sendall(b("ping"));
        // A non-blocking end reads once the bytes are there (bounded).
        let got: string | null = null;
        for (let i = 0; i < 200 && got === null; i++) {
          try {
            got = str(await b2.recv(10));
          } catch (err) {
            if (!(err instanceof socket.BlockingIOError)) throw err;
            await new Promise((r) => setTimeout(r, 5));
          }
        }
        assertEquals(got, "ping");
      }
    }
  } finally {
    socket.setdefaulttimeout(null);
  }
});

test("socketpair() refuses what CPython's fallback refuses", async () => {
  const cases: [number, number, number, string][] = [
    [
      socket.AF_INET,
      socket.SOCK_DGRAM,
      0,
      "Only SOCK_STREAM socket type is supported",
    ],
    [socket.AF_INET, socket.SOCK_STREAM, 6, "Only protocol zero is supported"],
  ];
  for (const [f, t, p, msg] of cases) {
    await assertRejects(
      () => socket.socketpair(f, t, p),
      socket.ValueError,
      msg,
    );
  }
});

test("connect() with a timeout to a listener that never accepts still connects (the kernel queues it)", async () => {
  using server = socket.create_server(["127.0.0.1", 0]);
  using client = socket.socket();
  client.settimeout(1);
  const { ms, error } = await timed(() =>
    client.connect(server.getsockname() as [string, number])
  );
  assertEquals(error, undefined);
  assert(ms < 1000);
  (await server.accept())[0].close();
});
