// Copyright the pysocket authors. MIT license.
// What a runtime can do beyond Deno's own API, through the public API: each
// feature works where tests/_caps.ts (the README's runtime matrix) says so,
// and raises Python's error where it says not.
import {
  assert,
  assertEquals,
  assertInstanceOf,
  assertRejects,
  assertThrows,
} from "@std/assert";
import * as socket from "../mod.ts";
import { select } from "../select.ts";
import { expected, unless } from "./_caps.ts";
import { b, readTextFile, run, sleep, str, tcpPair, test } from "./_util.ts";

const SOL_SOCKET = socket.SOL_SOCKET;

test(
  "connect() on a UDP socket reaches the OS: a closed peer port is ConnectionRefusedError",
  async () => {
    await using s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
    s.bind(["127.0.0.1", 0]);
    const port = (() => {
      using probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
      probe.bind(["127.0.0.1", 0]);
      return probe.getsockname()[1];
    })();
    await s.connect(["127.0.0.1", port]);
    s.settimeout(2);
    // The ICMP error comes back after a send: the next call raises it.
    let refused: unknown;
    for (let i = 0; i < 5 && refused === undefined; i++) {
      try {
        await s.send(b("anyone?"));
        await s.recv(16);
      } catch (err) {
        refused = err;
      }
    }
    assertInstanceOf(refused, socket.ConnectionRefusedError);
    assertEquals((refused as socket.OSError).errno, 111);
  },
  { ignore: unless(expected.udpConnect, "connected UDP at the OS level") },
);

test("bind() then connect() connects from the bound address; the connection is like any other", async () => {
  using server = socket.socket();
  server.bind(["127.0.0.1", 0]);
  server.listen();
  using client = socket.socket();
  client.bind(["127.0.0.1", 0]);
  const local = client.getsockname();
  await client.connect(server.getsockname());
  assertEquals(client.getsockname(), local);
  assertEquals(client.getpeername(), server.getsockname());
  using conn = (await server.accept())[0];
  assertEquals(conn.getpeername(), local);
  // (On Deno the connection is Deno's node:net, not Deno.connect.)
  const sent = new Uint8Array(1 << 20).map((_, i) => i % 251);
  const sending = client.sendall(sent).then(() =>
    client.shutdown(socket.SHUT_WR)
  );
  const got = new Uint8Array(sent.length + 1);
  let n = 0;
  for (let k; (k = await conn.recv_into(got.subarray(n))) > 0;) n += k;
  await sending;
  assertEquals(got.subarray(0, n), sent);
  client.settimeout(0.2);
  await assertRejects(() => client.recv(16), socket.TimeoutError, "timed out");
  client.setblocking(false);
  await assertRejects(
    () => client.recv(16),
    socket.BlockingIOError,
    "[Errno 11] Resource temporarily unavailable",
  );
  client.setblocking(true);
  await conn.sendall(b("bye"));
  conn.close();
  assertEquals(str(await client.recv(16)), "bye");
  assertEquals((await client.recv(16)).length, 0);
  await assertRejects(
    () => client.sendall(b("x")),
    socket.BrokenPipeError,
    "[Errno 32] Broken pipe",
  );
});

test("a failed connect() from a bound address keeps the address, and the next goes from its IP on a new port, as Linux", async () => {
  const closed = (() => {
    using probe = socket.socket();
    probe.bind(["127.0.0.1", 0]);
    return probe.getsockname() as [string, number];
  })();
  for (const blocking of [true, false]) {
    using client = socket.socket();
    client.bind(["127.0.0.2", 0]);
    const bound = client.getsockname();
    if (blocking) {
      await assertRejects(
        () => client.connect(closed),
        socket.ConnectionRefusedError,
      );
    } else {
      client.setblocking(false);
      await assertRejects(
        () => client.connect(closed),
        socket.BlockingIOError,
        "[Errno 115] Operation now in progress",
      );
      // Still the bound address while it connects.
      assertEquals(client.getsockname(), bound);
      // Writable once the connect has settled, as a Python program waits.
      const [, writable] = await select([], [client], [], 5);
      assertEquals(writable, [client]);
      assertEquals(
        client.getsockopt(SOL_SOCKET, socket.SO_ERROR),
        111,
      );
      client.setblocking(true);
    }
    assertEquals(client.getsockname(), bound);
    // The port is free again: another socket may bind it.
    using other = socket.socket();
    other.bind(bound);
    other.close();
    using server = socket.socket();
    server.bind(["127.0.0.1", 0]);
    server.listen();
    if (!blocking) {
      // Linux's socket is still "connecting" after the failure SO_ERROR
      // took: the next connect() reports that, the one after connects.
      await assertRejects(
        () => client.connect(server.getsockname()),
        socket.ConnectionAbortedError,
        "[Errno 103] Software caused connection abort",
      );
    }
    await client.connect(server.getsockname());
    const [host, port] = client.getsockname() as [string, number];
    assertEquals(host, "127.0.0.2");
    assert(port !== bound[1], `the old port ${port} again`);
    const [conn, peer] = await server.accept();
    assertEquals(peer, client.getsockname());
    conn.close();
  }
});

test(
  "SO_LINGER {1, 0}: close() resets the connection, and the peer's recv raises ConnectionResetError",
  async () => {
    const { server, client, conn } = await tcpPair();
    conn.setsockopt(
      SOL_SOCKET,
      socket.SO_LINGER,
      new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0]),
    );
    conn.close();
    client.settimeout(2);
    await assertRejects(
      () => client.recv(16),
      socket.ConnectionResetError,
      "[Errno 104] Connection reset by peer",
    );
    client.close();
    server.close();
  },
  { ignore: unless(expected.reset, "a close that resets") },
);

test(
  "IPV6_V6ONLY set before bind(): an AF_INET6 wildcard listener refuses IPv4",
  async () => {
    using server = socket.socket(socket.AF_INET6);
    server.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1);
    assertEquals(server.getsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY), 1);
    server.bind(["::", 0]);
    server.listen();
    const port = (server.getsockname() as socket.IPv6Address)[1];
    using v4 = socket.socket();
    await assertRejects(
      () => v4.connect(["127.0.0.1", port]),
      socket.ConnectionRefusedError,
    );
    using v6 = socket.socket(socket.AF_INET6);
    await v6.connect(["::1", port]);
    const [conn] = await server.accept();
    conn.close();
  },
  { ignore: unless(expected.v6onlyTcp, "IPV6_V6ONLY on TCP") },
);

test(
  "IPV6_V6ONLY = 1 on TCP raises ENOPROTOOPT where the runtime never sets it",
  () => {
    using s = socket.socket(socket.AF_INET6);
    assertThrows(
      () => s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1),
      socket.OSError,
      "[Errno 92] Protocol not available: 'IPV6_V6ONLY'",
    );
  },
  { ignore: expected.v6onlyTcp && "this runtime sets IPV6_V6ONLY" },
);

test("listen(backlog) reaches the OS (ss shows the queue length)", async () => {
  using s = socket.socket();
  s.bind(["127.0.0.1", 0]);
  s.listen(7);
  const port = s.getsockname()[1];
  const { code, stdout } = await run("ss", ["-ltnH", `sport = :${port}`]);
  assertEquals(code, 0);
  // State, Recv-Q, Send-Q (the backlog), local address, …
  const fields = stdout.trim().split(/\s+/);
  assertEquals(fields[2], "7", stdout);
}, { ignore: unless(expected.backlog, "the backlog to the OS") });

test("TCP_KEEPIDLE is set and read back where the runtime can", async () => {
  const { server, client, conn } = await tcpPair();
  client.setsockopt(SOL_SOCKET, socket.SO_KEEPALIVE, 1);
  client.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 37);
  assertEquals(client.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE), 37);
  for (const s of [conn, client, server]) s.close();
}, { ignore: unless(expected.keepAliveIdle, "TCP_KEEPIDLE") });

test("TCP_KEEPIDLE raises ENOPROTOOPT where the runtime cannot set it", () => {
  using s = socket.socket();
  assertThrows(
    () => s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 37),
    socket.OSError,
    "[Errno 92] Protocol not available: 'TCP_KEEPIDLE'",
  );
}, { ignore: expected.keepAliveIdle && "this runtime sets TCP_KEEPIDLE" });

test(
  "UDP SO_RCVBUF reads back doubled, as Linux, where it reaches the kernel; IP_TTL is set and read",
  async () => {
    await using s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
    if (expected.udpBuffers) s.setsockopt(SOL_SOCKET, socket.SO_RCVBUF, 65536);
    else {
      assertThrows(
        () => s.setsockopt(SOL_SOCKET, socket.SO_RCVBUF, 65536),
        socket.OSError,
        "[Errno 92] Protocol not available: 'SO_RCVBUF'",
      );
    }
    s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, 9);
    s.bind(["127.0.0.1", 0]);
    if (expected.udpBuffers) {
      assertEquals(s.getsockopt(SOL_SOCKET, socket.SO_RCVBUF), 131072);
    } else {
      assertThrows(
        () => s.getsockopt(SOL_SOCKET, socket.SO_SNDBUF),
        socket.OSError,
        "[Errno 92] Protocol not available: 'SO_SNDBUF'",
      );
    }
    assertEquals(s.getsockopt(socket.IPPROTO_IP, socket.IP_TTL), 9);
    s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, 3);
    assertEquals(s.getsockopt(socket.IPPROTO_IP, socket.IP_TTL), 3);
  },
  { ignore: unless(expected.udpOptions, "UDP buffer sizes and TTL") },
);

/**
 * A number under `/proc/sys/net/`; `undefined` where this test may not read
 * it (Deno asks for `--allow-all` there), and then pysocket may not either.
 */
async function sysctl(path: string): Promise<number | undefined> {
  try {
    return Number.parseInt(await readTextFile(`/proc/sys/net/${path}`), 10);
  } catch {
    return undefined;
  }
}

/** `getsockopt` gives `value`, or ENOPROTOOPT where it is `undefined`. */
function assertOption(
  s: socket.Socket,
  level: number,
  name: number,
  value: number | undefined,
  what: string,
): void {
  if (value !== undefined) {
    assertEquals(s.getsockopt(level, name), value, what);
  } else {
    assertThrows(
      () => s.getsockopt(level, name),
      socket.OSError,
      "[Errno 92] Protocol not available",
      what,
    );
  }
}

/** `setsockopt` refuses `value` with `[Errno 22]`, as Linux does. */
function assertInvalid(
  s: socket.Socket,
  level: number,
  name: number,
  value: number,
  what: string,
): void {
  assertThrows(
    () => s.setsockopt(level, name, value),
    socket.OSError,
    "[Errno 22] Invalid argument",
    `${what} ${name} ${value}`,
  );
}

test(
  "UDP options read Linux's values before they are set, bound or not; IPv4 options refuse AF_INET6 at once",
  async () => {
    // CPython reads the kernel's values; the runtimes cannot, so pysocket
    // reports what Linux gives a new socket, from this host's sysctls.
    const ttl = await sysctl("ipv4/ip_default_ttl");
    const rmem = await sysctl("core/rmem_default");
    const wmem = await sysctl("core/wmem_default");
    const rmemMax = await sysctl("core/rmem_max");
    const IP = socket.IPPROTO_IP;
    for (const bound of [false, true]) {
      await using s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
      if (bound) s.bind(["127.0.0.1", 0]);
      const what = bound ? "bound" : "not bound";
      assertOption(s, IP, socket.IP_TTL, ttl, what);
      assertOption(s, IP, socket.IP_MULTICAST_TTL, 1, what);
      assertOption(s, IP, socket.IP_MULTICAST_LOOP, 1, what);
      assertOption(s, SOL_SOCKET, socket.SO_BROADCAST, 0, what);
      if (!bound && expected.udpBuffers) {
        // Once bound, the kernel's own.
        assertOption(s, SOL_SOCKET, socket.SO_RCVBUF, rmem, what);
        assertOption(s, SOL_SOCKET, socket.SO_SNDBUF, wmem, what);
      }
    }
    if (expected.udpBuffers) {
      // Set before bind(): read back as Linux reports it (doubled, capped
      // at rmem_max, at least SOCK_MIN_RCVBUF), as after it.
      await using s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
      const sizes: [number, number | undefined][] = rmemMax === undefined
        ? [[10000, undefined]]
        : [[10000, 20000], [1, 2304], [-1, 2 * rmemMax]];
      for (const [given, reported] of sizes) {
        s.setsockopt(SOL_SOCKET, socket.SO_RCVBUF, given);
        assertOption(s, SOL_SOCKET, socket.SO_RCVBUF, reported, `${given}`);
      }
      s.setsockopt(SOL_SOCKET, socket.SO_RCVBUF, 10000);
      s.bind(["127.0.0.1", 0]);
      assertEquals(s.getsockopt(SOL_SOCKET, socket.SO_RCVBUF), 20000);
    }
    // On AF_INET6 the runtimes set the IPv6 hop limits instead: IP_TTL is
    // refused when set, not at bind().
    await using v6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM);
    for (
      const name of [
        socket.IP_TTL,
        socket.IP_MULTICAST_TTL,
        socket.IP_MULTICAST_LOOP,
      ]
    ) {
      assertThrows(
        () => v6.setsockopt(IP, name, 5),
        socket.OSError,
        "[Errno 92]",
      );
      assertOption(v6, IP, name, undefined, "AF_INET6");
    }
    v6.bind(["::1", 0]);
  },
  { ignore: unless(expected.udpOptions, "UDP buffer sizes and TTL") },
);

test(
  "UDP hop options take Linux's values: -1 is the default, out of range is EINVAL, before and after bind()",
  async () => {
    // python3 3.11 on Linux: IP_TTL 1..255, IP_MULTICAST_TTL 0..255, -1
    // the default for both; IP_MULTICAST_LOOP any int, read as 0 or 1.
    const ttl = await sysctl("ipv4/ip_default_ttl");
    const IP = socket.IPPROTO_IP;
    for (const bound of [false, true]) {
      await using s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
      if (bound) s.bind(["127.0.0.1", 0]);
      const what = bound ? "bound" : "not bound";
      for (
        const [name, bad] of [[socket.IP_TTL, [0, 256, -2]], [
          socket.IP_MULTICAST_TTL,
          [256, -2],
        ]] as const
      ) {
        for (const v of bad) assertInvalid(s, IP, name, v, what);
      }
      s.setsockopt(IP, socket.IP_TTL, 200);
      assertEquals(s.getsockopt(IP, socket.IP_TTL), 200, what);
      if (ttl !== undefined) {
        s.setsockopt(IP, socket.IP_TTL, -1);
        assertEquals(s.getsockopt(IP, socket.IP_TTL), ttl, what);
      }
      if (expected.multicastTtlZero) {
        s.setsockopt(IP, socket.IP_MULTICAST_TTL, 0);
        assertEquals(s.getsockopt(IP, socket.IP_MULTICAST_TTL), 0, what);
      } else {
        // Bun's and Deno's calls refuse 0, which Linux takes (README).
        assertInvalid(s, IP, socket.IP_MULTICAST_TTL, 0, what);
      }
      s.setsockopt(IP, socket.IP_MULTICAST_TTL, -1);
      assertEquals(s.getsockopt(IP, socket.IP_MULTICAST_TTL), 1, what);
      s.setsockopt(IP, socket.IP_MULTICAST_LOOP, 0);
      assertEquals(s.getsockopt(IP, socket.IP_MULTICAST_LOOP), 0, what);
      s.setsockopt(IP, socket.IP_MULTICAST_LOOP, 2);
      assertEquals(s.getsockopt(IP, socket.IP_MULTICAST_LOOP), 1, what);
      s.setsockopt(SOL_SOCKET, socket.SO_BROADCAST, 5);
      assertEquals(s.getsockopt(SOL_SOCKET, socket.SO_BROADCAST), 1, what);
    }
  },
  { ignore: unless(expected.udpOptions, "UDP buffer sizes and TTL") },
);

test(
  "UDP over IPv6: IPV6_UNICAST_HOPS, IPV6_MULTICAST_HOPS and IPV6_MULTICAST_LOOP, as Linux takes them",
  async () => {
    const hops = await sysctl("ipv6/conf/all/hop_limit");
    const IP6 = socket.IPPROTO_IPV6;
    for (const bound of [false, true]) {
      await using s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM);
      if (bound) s.bind(["::1", 0]);
      const what = bound ? "bound" : "not bound";
      assertOption(s, IP6, socket.IPV6_UNICAST_HOPS, hops, what);
      assertEquals(s.getsockopt(IP6, socket.IPV6_MULTICAST_HOPS), 1, what);
      assertEquals(s.getsockopt(IP6, socket.IPV6_MULTICAST_LOOP), 1, what);
      s.setsockopt(IP6, socket.IPV6_UNICAST_HOPS, 7);
      assertEquals(s.getsockopt(IP6, socket.IPV6_UNICAST_HOPS), 7, what);
      if (hops !== undefined) {
        s.setsockopt(IP6, socket.IPV6_UNICAST_HOPS, -1);
        assertEquals(s.getsockopt(IP6, socket.IPV6_UNICAST_HOPS), hops, what);
      }
      s.setsockopt(IP6, socket.IPV6_MULTICAST_HOPS, 9);
      assertEquals(s.getsockopt(IP6, socket.IPV6_MULTICAST_HOPS), 9, what);
      s.setsockopt(IP6, socket.IPV6_MULTICAST_HOPS, -1);
      assertEquals(s.getsockopt(IP6, socket.IPV6_MULTICAST_HOPS), 1, what);
      s.setsockopt(IP6, socket.IPV6_MULTICAST_LOOP, 0);
      assertEquals(s.getsockopt(IP6, socket.IPV6_MULTICAST_LOOP), 0, what);
      const bad: [number, number][] = [
        [socket.IPV6_UNICAST_HOPS, 256],
        // Linux takes 0 here, but no runtime's TTL call does (README).
        [socket.IPV6_UNICAST_HOPS, 0],
        [socket.IPV6_MULTICAST_HOPS, -2],
        [socket.IPV6_MULTICAST_LOOP, 2],
      ];
      for (const [name, v] of bad) assertInvalid(s, IP6, name, v, what);
    }
    // On an IPv4 socket: Linux's IP layer does not know the IPv6 level.
    await using v4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
    assertThrows(
      () => v4.getsockopt(IP6, socket.IPV6_UNICAST_HOPS),
      socket.OSError,
      "[Errno 95] Operation not supported",
    );
    assertThrows(
      () => v4.setsockopt(IP6, socket.IPV6_UNICAST_HOPS, 7),
      socket.OSError,
      "[Errno 92] Protocol not available",
    );
  },
  { ignore: unless(expected.udpHops, "the IPv6 hop options") },
);

test(
  "TCP_KEEPIDLE reads Linux's keepalive time before it is set, where the runtime can set it",
  async () => {
    const idle = await sysctl("ipv4/tcp_keepalive_time");
    using s = socket.socket();
    assertOption(s, socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, idle, "not set");
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 45);
    assertEquals(s.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE), 45);
    // Not a TCP socket: Linux says EOPNOTSUPP.
    using u = socket.socket(socket.AF_UNIX);
    assertThrows(
      () => u.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE),
      socket.OSError,
      "[Errno 95] Operation not supported",
    );
  },
  { ignore: unless(expected.keepAliveIdle, "TCP_KEEPIDLE") },
);

test(
  "UDP SO_RCVBUF and IP_TTL raise ENOPROTOOPT where the runtime has none",
  async () => {
    await using s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
    assertThrows(
      () => s.setsockopt(SOL_SOCKET, socket.SO_RCVBUF, 65536),
      socket.OSError,
      "[Errno 92] Protocol not available: 'SO_RCVBUF'",
    );
    assertThrows(
      () => s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, 9),
      socket.OSError,
      "[Errno 92] Protocol not available: 'IP_TTL'",
    );
  },
  { ignore: expected.udpOptions && "this runtime has UDP options" },
);

test("UDP SO_REUSEPORT lets two sockets bind one port", async () => {
  await using a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  a.setsockopt(SOL_SOCKET, socket.SO_REUSEPORT, 1);
  a.bind(["127.0.0.1", 0]);
  await using c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  c.setsockopt(SOL_SOCKET, socket.SO_REUSEPORT, 1);
  c.bind(a.getsockname());
  assertEquals(c.getsockname(), a.getsockname());
}, { ignore: unless(expected.reusePortUdp, "SO_REUSEPORT on UDP") });

test("a connected UDP socket still only hears its peer", async () => {
  await using a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  a.bind(["127.0.0.1", 0]);
  await using stranger = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  stranger.bind(["127.0.0.1", 0]);
  await using c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  c.bind(["127.0.0.1", 0]);
  await c.connect(a.getsockname());
  await stranger.sendto(b("no"), c.getsockname());
  await sleep(20);
  await a.sendto(b("yes"), c.getsockname());
  c.settimeout(2);
  assertEquals(str(await c.recv(16)), "yes");
});
