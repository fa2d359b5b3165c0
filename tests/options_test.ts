// Copyright the pysocket authors. MIT license.
// setsockopt / getsockopt: options act on the real socket or raise.

import { assertEquals, assertThrows } from "@std/assert";
import * as socket from "../mod.ts";
import { expected, unless } from "./_caps.ts";
import {
  b,
  bounded,
  freePort,
  makeTempDir,
  noPython,
  pythonJson,
  remove,
  str,
  tcpPair,
  test,
} from "./_util.ts";
import { groupSend, mreq } from "./_multicast.ts";

const { SOL_SOCKET, IPPROTO_TCP, IPPROTO_IPV6, IPPROTO_IP } = socket;

test("getsockopt() reports Linux's defaults for a fresh TCP socket", () => {
  using s = socket.socket();
  assertEquals(s.getsockopt(SOL_SOCKET, socket.SO_TYPE), socket.SOCK_STREAM);
  assertEquals(s.getsockopt(SOL_SOCKET, socket.SO_REUSEADDR), 0);
  assertEquals(s.getsockopt(SOL_SOCKET, socket.SO_KEEPALIVE), 0);
  // Bun turns TCP_NODELAY on for every TCP socket (and says so).
  assertEquals(
    s.getsockopt(IPPROTO_TCP, socket.TCP_NODELAY),
    expected.noDelayDefault ? 1 : 0,
  );
  assertEquals(s.getsockopt(SOL_SOCKET, socket.SO_ERROR), 0);
  assertEquals(s.getsockopt(SOL_SOCKET, socket.SO_ACCEPTCONN), 0);
});

test("SO_DOMAIN and SO_PROTOCOL report the family and the protocol the kernel chose, as python3 reads them", () => {
  const { AF_INET, AF_INET6, AF_UNIX, SOCK_DGRAM, SOCK_STREAM } = socket;
  const cases = [
    [AF_INET, SOCK_STREAM, 6],
    [AF_INET6, SOCK_STREAM, 6],
    [AF_INET, SOCK_DGRAM, 17],
    [AF_INET6, SOCK_DGRAM, 17],
    [AF_UNIX, SOCK_STREAM, 0],
  ];
  for (const [family, type, proto] of cases) {
    using s = socket.socket(family, type);
    assertEquals(s.getsockopt(SOL_SOCKET, socket.SO_DOMAIN), family);
    assertEquals(s.getsockopt(SOL_SOCKET, socket.SO_PROTOCOL), proto);
    assertEquals(
      s.getsockopt(SOL_SOCKET, socket.SO_PROTOCOL, 4),
      new Uint8Array([proto, 0, 0, 0]),
    );
  }
});

test("setsockopt() of an option Linux only reads is its plain [Errno 92], naming nothing", () => {
  using s = socket.socket();
  for (
    const opt of [
      socket.SO_TYPE,
      socket.SO_ERROR,
      socket.SO_ACCEPTCONN,
      socket.SO_DOMAIN,
      socket.SO_PROTOCOL,
    ]
  ) {
    const err = assertThrows(
      () => s.setsockopt(SOL_SOCKET, opt, 1),
      socket.OSError,
    );
    assertEquals(err.message, "[Errno 92] Protocol not available");
    assertEquals(err.errno, 92);
  }
});

test("setsockopt(TCP_NODELAY / SO_KEEPALIVE) acts on the connection and getsockopt reports it", async () => {
  const { server, client, conn } = await tcpPair();
  client.setsockopt(IPPROTO_TCP, socket.TCP_NODELAY, 1);
  client.setsockopt(SOL_SOCKET, socket.SO_KEEPALIVE, true as unknown as number);
  assertEquals(client.getsockopt(IPPROTO_TCP, socket.TCP_NODELAY), 1);
  assertEquals(client.getsockopt(SOL_SOCKET, socket.SO_KEEPALIVE), 1);
  client.setsockopt(IPPROTO_TCP, socket.TCP_NODELAY, 0);
  assertEquals(client.getsockopt(IPPROTO_TCP, socket.TCP_NODELAY), 0);
  for (const s of [conn, client, server]) s.close();
});

test("setsockopt(TCP_NODELAY / SO_KEEPALIVE) while a sendall() waits for the peer: taken, reported, and the bytes arrive whole", async () => {
  const { server, client, conn } = await tcpPair();
  // More than the kernel's buffers hold: the write waits for the reader
  // (Deno holds the socket for it, and refused the option meanwhile).
  const data = new Uint8Array(16 << 20).map((_, i) => i % 251);
  const sending = client.sendall(data);
  await new Promise((r) => setTimeout(r, 50));
  client.setsockopt(IPPROTO_TCP, socket.TCP_NODELAY, 1);
  client.setsockopt(SOL_SOCKET, socket.SO_KEEPALIVE, 1);
  assertEquals(client.getsockopt(IPPROTO_TCP, socket.TCP_NODELAY), 1);
  assertEquals(client.getsockopt(SOL_SOCKET, socket.SO_KEEPALIVE), 1);
  let got = 0;
  let same = true;
  while (got < data.length) {
    const chunk = await conn.recv(1 << 20);
    if (chunk.length === 0) break;
    for (let i = 0; i < chunk.length; i++) {
      if (chunk[i] !== (got + i) % 251) same = false;
    }
    got += chunk.length;
  }
  await sending;
  assertEquals(got, data.length);
  assertEquals(same, true);
  for (const s of [conn, client, server]) s.close();
});

test("setsockopt() before connect() is applied to the connection; accepted sockets inherit the listener's", async () => {
  using server = socket.socket();
  server.setsockopt(IPPROTO_TCP, socket.TCP_NODELAY, 1);
  server.bind(["127.0.0.1", 0]);
  server.listen();
  assertEquals(server.getsockopt(SOL_SOCKET, socket.SO_ACCEPTCONN), 1);
  using client = socket.socket();
  client.setsockopt(SOL_SOCKET, socket.SO_KEEPALIVE, 1);
  await client.connect(server.getsockname() as [string, number]);
  const [conn] = await server.accept();
  using _ = conn;
  assertEquals(client.getsockopt(SOL_SOCKET, socket.SO_KEEPALIVE), 1);
  assertEquals(conn.getsockopt(IPPROTO_TCP, socket.TCP_NODELAY), 1);
  assertEquals(conn.getsockopt(SOL_SOCKET, socket.SO_REUSEADDR), 1);
});

test("getsockopt(buflen) returns the option's own length at most, the first buflen bytes of it (python3's answers)", () => {
  using s = socket.socket();
  s.bind(["127.0.0.1", 0]);
  const sizes = [1, 2, 3, 4, 8, 16];
  const got = (level: number, opt: number) =>
    sizes.map((n) => Array.from(s.getsockopt(level, opt, n) as Uint8Array));
  assertEquals(got(SOL_SOCKET, socket.SO_TYPE), [
    [1],
    [1, 0],
    [1, 0, 0],
    [1, 0, 0, 0],
    [1, 0, 0, 0],
    [1, 0, 0, 0],
  ]);
  // SO_LINGER is two ints: 8 bytes at most.
  assertEquals(got(SOL_SOCKET, socket.SO_LINGER), [
    [0],
    [0, 0],
    [0, 0, 0],
    [0, 0, 0, 0],
    [0, 0, 0, 0, 0, 0, 0, 0],
    [0, 0, 0, 0, 0, 0, 0, 0],
  ]);
});

test(
  "getsockopt(IPPROTO_IP, IP_TTL, buflen) shorter than an int is one byte, as Linux's IP level answers (python3's answers)",
  () => {
    using u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
    u.bind(["127.0.0.1", 0]);
    u.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, 64);
    const got = [1, 2, 3, 4, 8, 16].map((n) =>
      Array.from(
        u.getsockopt(socket.IPPROTO_IP, socket.IP_TTL, n) as Uint8Array,
      )
    );
    assertEquals(got, [[64], [64], [64], [64, 0, 0, 0], [64, 0, 0, 0], [
      64,
      0,
      0,
      0,
    ]]);
  },
  { ignore: unless(expected.udpOptions, "UDP IP_TTL") },
);

test("setsockopt() takes struct-packed bytes, and getsockopt(buflen) returns bytes", () => {
  using s = socket.socket();
  s.setsockopt(IPPROTO_TCP, socket.TCP_NODELAY, new Uint8Array([1, 0, 0, 0]));
  assertEquals(
    s.getsockopt(IPPROTO_TCP, socket.TCP_NODELAY, 4),
    new Uint8Array([1, 0, 0, 0]),
  );
  assertThrows(
    () => s.setsockopt(IPPROTO_TCP, socket.TCP_NODELAY, new Uint8Array([1])),
    socket.OSError,
    "[Errno 22] Invalid argument",
  );
  assertThrows(
    () => s.getsockopt(SOL_SOCKET, socket.SO_TYPE, 2000),
    socket.OSError,
    "getsockopt buflen out of range",
  );
  assertThrows(
    () =>
      s.setsockopt(IPPROTO_TCP, socket.TCP_NODELAY, "1" as unknown as number),
    TypeError,
    "a bytes-like object is required, not 'str'",
  );
});

test("SO_REUSEADDR is in force on every bound listener (Deno sets it) and cannot be turned off there", () => {
  using s = socket.socket();
  // Before bind() it may be turned on and off again (python3 reads 0).
  s.setsockopt(SOL_SOCKET, socket.SO_REUSEADDR, 1);
  assertEquals(s.getsockopt(SOL_SOCKET, socket.SO_REUSEADDR), 1);
  s.setsockopt(SOL_SOCKET, socket.SO_REUSEADDR, 0);
  assertEquals(s.getsockopt(SOL_SOCKET, socket.SO_REUSEADDR), 0);
  s.bind(["127.0.0.1", 0]);
  assertEquals(s.getsockopt(SOL_SOCKET, socket.SO_REUSEADDR), 1);
  s.setsockopt(SOL_SOCKET, socket.SO_REUSEADDR, 1);
  assertThrows(
    () => s.setsockopt(SOL_SOCKET, socket.SO_REUSEADDR, 0),
    socket.OSError,
    "[Errno 92] Protocol not available: 'SO_REUSEADDR'",
  );
});

test("SO_REUSEPORT set before bind() lets two sockets bind one port", () => {
  using a = socket.socket();
  a.setsockopt(SOL_SOCKET, socket.SO_REUSEPORT, 1);
  a.bind(["127.0.0.1", 0]);
  using b = socket.socket();
  b.setsockopt(SOL_SOCKET, socket.SO_REUSEPORT, 1);
  b.bind(a.getsockname() as [string, number]);
  assertEquals(b.getsockname(), a.getsockname());
  assertEquals(b.getsockopt(SOL_SOCKET, socket.SO_REUSEPORT), 1);
  using c = socket.socket();
  assertThrows(
    () => c.bind(a.getsockname() as [string, number]),
    socket.OSError,
    "[Errno 98] Address already in use",
  );
}, { ignore: unless(expected.reusePortTcp, "SO_REUSEPORT on TCP") });

test(
  "SO_REUSEPORT on TCP says how to get it where the runtime needs a flag",
  () => {
    using a = socket.socket();
    assertThrows(
      () => a.setsockopt(SOL_SOCKET, socket.SO_REUSEPORT, 1),
      socket.OSError,
      `[Errno 92] Protocol not available: 'SO_REUSEPORT' needs Deno's unstable network API: run with --unstable-net, or add "unstable": ["net"] to deno.json`,
    );
  },
  { ignore: expected.reusePortTcp && "this runtime has SO_REUSEPORT on TCP" },
);

test("SO_ERROR reports and clears the error of a background connect()", async () => {
  const port = freePort();
  await using s = socket.socket();
  s.setblocking(false);
  assertEquals(await s.connect_ex(["127.0.0.1", port]), 115);
  await new Promise((r) => setTimeout(r, 50));
  assertEquals(s.getsockopt(SOL_SOCKET, socket.SO_ERROR), 111);
  assertEquals(s.getsockopt(SOL_SOCKET, socket.SO_ERROR), 0);
});

test("options the runtime cannot honour raise ENOPROTOOPT naming the option", () => {
  using s = socket.socket();
  const cases: [number, number, string][] = [
    [SOL_SOCKET, socket.SO_RCVBUF, "SO_RCVBUF"],
    [SOL_SOCKET, socket.SO_SNDBUF, "SO_SNDBUF"],
  ];
  for (const [level, name, text] of cases) {
    assertThrows(
      () => s.setsockopt(level, name, 1),
      socket.OSError,
      `[Errno 92] Protocol not available: '${text}'`,
    );
  }
  for (const name of [socket.SO_RCVBUF, socket.SO_SNDBUF]) {
    assertThrows(
      () => s.getsockopt(SOL_SOCKET, name),
      socket.OSError,
      "[Errno 92] Protocol not available",
    );
  }
  assertThrows(
    () => s.setsockopt(SOL_SOCKET, 999, 1),
    socket.OSError,
    "[Errno 92] Protocol not available",
  );
  // Linux: getsockopt() at a level TCP does not know is EOPNOTSUPP.
  assertThrows(
    () => s.getsockopt(999, 1),
    socket.OSError,
    "[Errno 95] Operation not supported",
  );
});

/** `getsockopt` and `setsockopt` at `level` raise these texts. */
function assertLevelRefused(
  s: socket.Socket,
  level: number,
  name: number,
  getText: string,
  setText: string,
): void {
  // The whole message: Linux's own refusal names no option.
  const get = assertThrows(() => s.getsockopt(level, name), socket.OSError);
  assertEquals(get.message, getText);
  const set = assertThrows(() => s.setsockopt(level, name, 1), socket.OSError);
  assertEquals(set.message, setText);
}

test("a Unix socket has only the socket level: any other is EOPNOTSUPP, get and set (python3 3.11 on Linux)", () => {
  using stream = socket.socket(socket.AF_UNIX);
  const levels: [number, number][] = [
    [socket.IPPROTO_TCP, socket.TCP_NODELAY],
    [socket.IPPROTO_TCP, socket.TCP_KEEPIDLE],
    [socket.IPPROTO_IP, socket.IP_TTL],
    [IPPROTO_IPV6, socket.IPV6_V6ONLY],
    [999, 1],
  ];
  const refused = "[Errno 95] Operation not supported";
  for (const [level, name] of levels) {
    assertLevelRefused(stream, level, name, refused, refused);
  }
  assertEquals(stream.getsockopt(SOL_SOCKET, socket.SO_KEEPALIVE), 0);
});

test("the other protocol's level, or IPv6's on an IPv4 socket: a get is EOPNOTSUPP (ENOPROTOOPT on an IPv6 socket), a set ENOPROTOOPT, without an option's name (python3 3.11 on Linux)", () => {
  using tcp = socket.socket();
  using udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  using tcp6 = socket.socket(socket.AF_INET6);
  using udp6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM);
  const cases: [socket.Socket, number, number][] = [
    [tcp, socket.IPPROTO_UDP, 1],
    [udp, socket.IPPROTO_TCP, socket.TCP_NODELAY],
    [udp, socket.IPPROTO_TCP, 99],
    [tcp, IPPROTO_IPV6, socket.IPV6_V6ONLY],
    [udp, IPPROTO_IPV6, socket.IPV6_V6ONLY],
    [tcp6, socket.IPPROTO_UDP, 1],
    [udp6, socket.IPPROTO_TCP, socket.TCP_NODELAY],
  ];
  for (const [s, level, name] of cases) {
    assertLevelRefused(
      s,
      level,
      name,
      s.family === socket.AF_INET6
        ? "[Errno 92] Protocol not available"
        : "[Errno 95] Operation not supported",
      "[Errno 92] Protocol not available",
    );
  }
});

test("SO_LINGER takes a struct linger (an int is EINVAL, as on Linux); on is a reset where the runtime has one", () => {
  using s = socket.socket();
  assertThrows(
    () => s.setsockopt(SOL_SOCKET, socket.SO_LINGER, 1),
    socket.OSError,
    "[Errno 22] Invalid argument",
  );
  const on = new Uint8Array([1, 0, 0, 0, 5, 0, 0, 0]);
  if (expected.reset) {
    s.setsockopt(SOL_SOCKET, socket.SO_LINGER, on);
    assertEquals(s.getsockopt(SOL_SOCKET, socket.SO_LINGER), 1);
    assertEquals(s.getsockopt(SOL_SOCKET, socket.SO_LINGER, 8), on);
  } else {
    assertThrows(
      () => s.setsockopt(SOL_SOCKET, socket.SO_LINGER, on),
      socket.OSError,
      "[Errno 92] Protocol not available: 'SO_LINGER'",
    );
  }
});

test("SO_LINGER off (l_onoff 0) is what is in force: it may be set, and reads 0", () => {
  using s = socket.socket();
  assertEquals(s.getsockopt(SOL_SOCKET, socket.SO_LINGER), 0);
  assertEquals(
    s.getsockopt(SOL_SOCKET, socket.SO_LINGER, 8),
    new Uint8Array(8),
  );
  s.setsockopt(SOL_SOCKET, socket.SO_LINGER, new Uint8Array(8));
  assertEquals(s.getsockopt(SOL_SOCKET, socket.SO_LINGER), 0);
});

test("IPV6_V6ONLY reads 0 on AF_INET6 (Deno never sets it) and may be set to 0", () => {
  using s = socket.socket(socket.AF_INET6);
  assertEquals(s.getsockopt(IPPROTO_IPV6, socket.IPV6_V6ONLY), 0);
  s.setsockopt(IPPROTO_IPV6, socket.IPV6_V6ONLY, 0);
});

/**
 * IPV6_V6ONLY as Linux reports it: a bind to one IPv6 address turns it on
 * (`inet6_bind()`), and accepted connections inherit it; `::`, an
 * IPv4-mapped address and a connect leave it off.
 */
const V6ONLY_AFTER_BIND = {
  "new": 0,
  "bound ::1": 1,
  "client": 0,
  "accepted": 1,
  "accepted from ::": 0,
  "udp ::1": 1,
  "udp ::ffff:127.0.0.1": 0,
  "udp connected": 0,
};

test("IPV6_V6ONLY reads 1 after a bind to one IPv6 address (and on what it accepts), as Linux sets it", async () => {
  const v6only = (s: socket.Socket) =>
    s.getsockopt(IPPROTO_IPV6, socket.IPV6_V6ONLY);
  const seen: Record<string, unknown> = {};
  using l = socket.socket(socket.AF_INET6);
  seen["new"] = v6only(l);
  l.bind(["::1", 0]);
  seen["bound ::1"] = v6only(l);
  l.listen();
  const port = (l.getsockname() as socket.IPv6Address)[1];
  using c = socket.socket(socket.AF_INET6);
  await c.connect(["::1", port]);
  seen["client"] = v6only(c);
  const [s] = await l.accept();
  seen["accepted"] = v6only(s);
  s.close();
  using any = socket.socket(socket.AF_INET6);
  any.bind(["::", 0]);
  any.listen();
  using c2 = socket.socket(socket.AF_INET6);
  await c2.connect(["::1", (any.getsockname() as socket.IPv6Address)[1]]);
  const [s2] = await any.accept();
  seen["accepted from ::"] = v6only(s2);
  s2.close();
  for (const host of ["::1", "::ffff:127.0.0.1"]) {
    using u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM);
    u.bind([host, 0]);
    seen[`udp ${host}`] = v6only(u);
  }
  using u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM);
  await u.connect(["::1", port]);
  seen["udp connected"] = v6only(u);
  assertEquals(seen, V6ONLY_AFTER_BIND);
});

const noPy = await noPython();

test("python3: IPV6_V6ONLY after the binds above", async () => {
  const python = await pythonJson(
    `import json, socket as S
V = (S.IPPROTO_IPV6, S.IPV6_V6ONLY)
seen = {}
l = S.socket(S.AF_INET6); seen["new"] = l.getsockopt(*V)
l.bind(("::1", 0)); seen["bound ::1"] = l.getsockopt(*V); l.listen()
port = l.getsockname()[1]
c = S.socket(S.AF_INET6); c.connect(("::1", port)); seen["client"] = c.getsockopt(*V)
s, _ = l.accept(); seen["accepted"] = s.getsockopt(*V)
a = S.socket(S.AF_INET6); a.bind(("::", 0)); a.listen()
c2 = S.socket(S.AF_INET6); c2.connect(("::1", a.getsockname()[1]))
s2, _ = a.accept(); seen["accepted from ::"] = s2.getsockopt(*V)
for host in ("::1", "::ffff:127.0.0.1"):
    u = S.socket(S.AF_INET6, S.SOCK_DGRAM); u.bind((host, 0)); seen["udp " + host] = u.getsockopt(*V)
u = S.socket(S.AF_INET6, S.SOCK_DGRAM); u.connect(("::1", port)); seen["udp connected"] = u.getsockopt(*V)
print(json.dumps(seen))`,
    null,
  );
  assertEquals(python, V6ONLY_AFTER_BIND);
}, { ignore: noPy });

test("setsockopt()/getsockopt() after close() raise EBADF", () => {
  const s = socket.socket();
  s.close();
  assertThrows(
    () => s.setsockopt(IPPROTO_TCP, socket.TCP_NODELAY, 1),
    socket.OSError,
    "[Errno 9] Bad file descriptor",
  );
  assertThrows(
    () => s.getsockopt(SOL_SOCKET, socket.SO_TYPE),
    socket.OSError,
    "[Errno 9] Bad file descriptor",
  );
});

/** A new UDP socket (AF_INET). */
function udp(): socket.Socket {
  return socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
}

test(
  "IPv4 int options take 1 to 3 bytes as one unsigned byte, as Linux's ip_setsockopt() (struct.pack('b', 1)); none is EINVAL, and the socket level wants an int (python3's answers)",
  () => {
    using u = udp();
    const { IP_TTL, IP_MULTICAST_TTL, IP_MULTICAST_LOOP } = socket;
    // [option, value bytes, what python3 reads back after]
    const cases: [number, number[], number][] = [
      [IP_MULTICAST_LOOP, [0], 0],
      [IP_MULTICAST_LOOP, [255], 1],
      [IP_MULTICAST_LOOP, [0, 1], 0],
      [IP_MULTICAST_LOOP, [7, 0, 0, 0, 9], 1],
    ];
    if (expected.udpOptions) {
      cases.push(
        [IP_MULTICAST_TTL, [1], 1],
        [IP_MULTICAST_TTL, [3], 3],
        [IP_MULTICAST_TTL, [5, 0, 0], 5],
        [IP_TTL, [255], 255],
        [IP_TTL, [9, 0], 9],
        [IP_TTL, [7, 0, 0, 0, 9], 7],
      );
    }
    for (const [opt, bytes, value] of cases) {
      u.setsockopt(IPPROTO_IP, opt, new Uint8Array(bytes));
      assertEquals(u.getsockopt(IPPROTO_IP, opt), value, `${opt} ${bytes}`);
    }
    // No byte, an int option at the socket level in one byte, and a TTL
    // whose first byte is 0: EINVAL.
    const invalid: [number, number, Uint8Array][] = [
      [IPPROTO_IP, IP_MULTICAST_LOOP, new Uint8Array()],
      [SOL_SOCKET, socket.SO_BROADCAST, new Uint8Array([1])],
    ];
    if (expected.udpOptions) {
      invalid.push(
        [IPPROTO_IP, IP_TTL, new Uint8Array()],
        [IPPROTO_IP, IP_TTL, new Uint8Array([0, 1])],
        [IPPROTO_IP, IP_MULTICAST_TTL, new Uint8Array()],
      );
    }
    for (const [level, opt, bytes] of invalid) {
      assertThrows(
        () => u.setsockopt(level, opt, bytes),
        socket.OSError,
        "[Errno 22] Invalid argument",
      );
    }
  },
);

test(
  "IP_ADD_MEMBERSHIP before bind() leaves the socket unbound; bind() then joins: a group datagram arrives over loopback (python3's answers)",
  async () => {
    const group = "239.255.41.21";
    await using r = udp();
    r.setsockopt(
      IPPROTO_IP,
      socket.IP_ADD_MEMBERSHIP,
      mreq(group, "127.0.0.1"),
    );
    // A second join before bind() is Linux's EADDRINUSE, as after.
    assertThrows(
      () =>
        r.setsockopt(
          IPPROTO_IP,
          socket.IP_ADD_MEMBERSHIP,
          mreq(group, "127.0.0.1"),
        ),
      socket.OSError,
      "[Errno 98] Address already in use",
    );
    assertEquals(r.getsockname(), ["0.0.0.0", 0]);
    r.bind(["0.0.0.0", 0]);
    const port = (r.getsockname() as [string, number])[1];
    r.settimeout(5);
    await groupSend(group, port, "joined at bind");
    assertEquals(
      str((await bounded(r.recvfrom(64), 10_000, "recvfrom"))[0]),
      "joined at bind",
    );
  },
  { ignore: await noPython() },
);

test(
  "IP_MULTICAST_IF before bind() leaves the socket unbound and reads back; bind() then sends out of it (python3's answers)",
  async () => {
    const group = "239.255.41.22";
    await using r = udp();
    r.bind(["0.0.0.0", 0]);
    r.setsockopt(
      IPPROTO_IP,
      socket.IP_ADD_MEMBERSHIP,
      mreq(group, "127.0.0.1"),
    );
    await using s = udp();
    const IF = socket.IP_MULTICAST_IF;
    // Linux's default: 0 (any); with buflen, the in_addr's first bytes.
    assertEquals(s.getsockopt(IPPROTO_IP, IF), 0);
    assertEquals(s.getsockopt(IPPROTO_IP, IF, 2), new Uint8Array([0, 0]));
    // An ip_mreq has the interface's address at byte 4.
    s.setsockopt(IPPROTO_IP, IF, mreq("224.0.0.1", "127.0.0.2"));
    assertEquals(s.getsockopt(IPPROTO_IP, IF), 33554559);
    // An int is the in_addr's 4 bytes.
    s.setsockopt(IPPROTO_IP, IF, 16777343);
    assertEquals(s.getsockopt(IPPROTO_IP, IF), 16777343);
    assertEquals(s.getsockopt(IPPROTO_IP, IF, 1), new Uint8Array([127]));
    assertEquals(
      s.getsockopt(IPPROTO_IP, IF, 8),
      new Uint8Array([127, 0, 0, 1]),
    );
    assertEquals(s.getsockname(), ["0.0.0.0", 0]);
    s.bind(["0.0.0.0", 0]);
    assertEquals(s.getsockopt(IPPROTO_IP, IF), 16777343);
    await s.sendto(b("out of lo"), [
      group,
      (r.getsockname() as [string, number])[1],
    ]);
    r.settimeout(5);
    assertEquals(
      str((await bounded(r.recvfrom(64), 10_000, "recvfrom"))[0]),
      "out of lo",
    );
  },
  { ignore: unless(expected.udpOptions, "UDP IP_MULTICAST_IF") },
);

test(
  "IP_MULTICAST_IF where the runtime has no call for it: ENOPROTOOPT before anything is bound, and it reads Linux's default",
  () => {
    using s = udp();
    assertThrows(
      () =>
        s.setsockopt(
          IPPROTO_IP,
          socket.IP_MULTICAST_IF,
          socket.inet_aton("127.0.0.1"),
        ),
      socket.OSError,
      "[Errno 92] Protocol not available: 'IP_MULTICAST_IF'",
    );
    assertEquals(s.getsockname(), ["0.0.0.0", 0]);
    assertEquals(s.getsockopt(IPPROTO_IP, socket.IP_MULTICAST_IF), 0);
    s.bind(["127.0.0.1", 0]);
  },
  { ignore: expected.udpOptions && "this runtime has IP_MULTICAST_IF" },
);

test("an int for IP_ADD_MEMBERSHIP / IP_DROP_MEMBERSHIP is shorter than an ip_mreq: EINVAL; beyond a C int, TypeError (python3's answers)", () => {
  using u = udp();
  for (const opt of [socket.IP_ADD_MEMBERSHIP, socket.IP_DROP_MEMBERSHIP]) {
    for (const v of [0, 1, -1, true]) {
      assertThrows(
        () => u.setsockopt(IPPROTO_IP, opt, v as number),
        socket.OSError,
        "[Errno 22] Invalid argument",
      );
    }
    assertThrows(
      () => u.setsockopt(IPPROTO_IP, opt, 2 ** 40),
      TypeError,
      "a bytes-like object is required, not 'int'",
    );
  }
  assertEquals(u.getsockname(), ["0.0.0.0", 0]);
});

test("SO_REUSEPORT on a Unix socket: on is EOPNOTSUPP, off is taken and reads 0, before and after bind() (python3's answers)", async () => {
  const dir = await makeTempDir();
  try {
    const types = [socket.SOCK_STREAM];
    if (expected.unixDatagram) types.push(socket.SOCK_DGRAM);
    for (const type of types) {
      using s = socket.socket(socket.AF_UNIX, type);
      for (const bind of [false, true]) {
        if (bind) s.bind(`${dir}/${type}.sock`);
        assertThrows(
          () => s.setsockopt(SOL_SOCKET, socket.SO_REUSEPORT, 1),
          socket.OSError,
          "[Errno 95] Operation not supported",
        );
        s.setsockopt(SOL_SOCKET, socket.SO_REUSEPORT, 0);
        assertEquals(s.getsockopt(SOL_SOCKET, socket.SO_REUSEPORT), 0);
      }
    }
  } finally {
    await remove(dir, { recursive: true });
  }
});

test("a Unix listener reads SO_REUSEADDR 0 once bound, and its accepted sockets inherit none of its flags (python3's answers)", async () => {
  const dir = await makeTempDir();
  try {
    using server = socket.socket(socket.AF_UNIX);
    server.setsockopt(SOL_SOCKET, socket.SO_KEEPALIVE, 1);
    server.setsockopt(SOL_SOCKET, socket.SO_BROADCAST, 1);
    server.bind(`${dir}/s.sock`);
    assertEquals(server.getsockopt(SOL_SOCKET, socket.SO_REUSEADDR), 0);
    server.listen();
    using client = socket.socket(socket.AF_UNIX);
    await client.connect(`${dir}/s.sock`);
    const [conn] = await server.accept();
    using _ = conn;
    for (
      const opt of [
        socket.SO_KEEPALIVE,
        socket.SO_BROADCAST,
        socket.SO_REUSEADDR,
      ]
    ) {
      assertEquals(conn.getsockopt(SOL_SOCKET, opt), 0);
    }
    assertEquals(server.getsockopt(SOL_SOCKET, socket.SO_KEEPALIVE), 1);
  } finally {
    await remove(dir, { recursive: true });
  }
});

test("flags Linux keeps to no effect read back as set: SO_BROADCAST on a stream socket, SO_REUSEADDR on a Unix socket, SO_KEEPALIVE on a datagram socket (python3's answers)", async () => {
  const dir = await makeTempDir();
  try {
    // [socket, option]: each reads 0 first, as a new socket.
    const cases: [socket.Socket, number][] = [];
    const unix = socket.socket(socket.AF_UNIX);
    unix.bind(`${dir}/stream.sock`);
    unix.listen();
    cases.push([unix, socket.SO_BROADCAST]);
    const tcp = socket.socket();
    cases.push([tcp, socket.SO_BROADCAST]);
    const fresh = udp();
    cases.push([fresh, socket.SO_KEEPALIVE]);
    const bound = udp();
    bound.bind(["127.0.0.1", 0]);
    cases.push([bound, socket.SO_KEEPALIVE]);
    if (expected.unixDatagram) {
      const dgram = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM);
      dgram.bind(`${dir}/dgram.sock`);
      cases.push(
        [dgram, socket.SO_BROADCAST],
        [dgram, socket.SO_KEEPALIVE],
        [dgram, socket.SO_REUSEADDR],
      );
    }
    for (const [s, opt] of cases) {
      assertEquals(s.getsockopt(SOL_SOCKET, opt), 0);
      s.setsockopt(SOL_SOCKET, opt, 1);
      assertEquals(s.getsockopt(SOL_SOCKET, opt), 1);
      s.setsockopt(SOL_SOCKET, opt, 0);
      assertEquals(s.getsockopt(SOL_SOCKET, opt), 0);
    }
    // SO_REUSEADDR on a Unix stream socket, once bound, too.
    unix.setsockopt(SOL_SOCKET, socket.SO_REUSEADDR, 0);
    assertEquals(unix.getsockopt(SOL_SOCKET, socket.SO_REUSEADDR), 0);
    unix.setsockopt(SOL_SOCKET, socket.SO_REUSEADDR, 1);
    assertEquals(unix.getsockopt(SOL_SOCKET, socket.SO_REUSEADDR), 1);
    for (const [s] of cases) s.close();
  } finally {
    await remove(dir, { recursive: true });
  }
});
