// Copyright the pysocket authors. MIT license.
// Round 16 (ipv6): IPv4-mapped addresses on AF_INET6 sockets, as Linux
// treats them. Every answer is python3 3.11's on Linux.
// 1. An AF_INET6 listener bound to the IPv4-mapped wildcard
//    (`::ffff:0.0.0.0`, however spelled) takes IPv4 connections to any
//    local IPv4 address: each accepted connection's local address is the
//    address the client reached (`::ffff:127.0.0.1`), never the wildcard.
// 2. sendto() from a UDP socket whose source is IPv4-mapped (bound to
//    ::ffff:127.0.0.1 or ::ffff:0.0.0.0, or connected to an IPv4-mapped
//    peer): Linux's udpv6_sendmsg() turns a wildcard destination `::` into
//    the IPv4 loopback, and refuses a plain IPv6 destination (::1) with
//    EAFNOSUPPORT. A socket connected to ::1 (not made IPv6-only by it)
//    still sends to an IPv4-mapped address (not on Deno, whose socket
//    connected to ::1 is bound to ::1: README).
// 3. A TCP connect() from a socket bound to an IPv4-mapped address to a
//    plain IPv6 one (::1) is refused by tcp_v6_connect() with EAFNOSUPPORT
//    before any SYN, in every mode: a non-blocking connect() raises
//    [Errno 97] at once (not 115), connect_ex() returns 97, SO_ERROR is 0.

import { assertEquals } from "@std/assert";
import * as socket from "../mod.ts";
import { runtime, test } from "./_util.ts";

for (
  const wildcard of ["::ffff:0.0.0.0", "::ffff:0:0", "0:0:0:0:0:ffff:0.0.0.0"]
) {
  test(`accept() on a listener bound to ${wildcard}: the connection's getsockname() is the address reached (python3's answers)`, async () => {
    const l = socket.socket(socket.AF_INET6);
    const open: socket.Socket[] = [l];
    try {
      l.bind([wildcard, 0]);
      l.listen();
      const port = l.getsockname()[1];
      assertEquals(l.getsockname(), ["::ffff:0.0.0.0", port, 0, 0]);
      const c = await socket.create_connection(["127.0.0.1", port]);
      open.push(c);
      const [conn, addr] = await l.accept();
      open.push(conn);
      // python3: ('::ffff:127.0.0.1', port, 0, 0), the address reached
      assertEquals(conn.getsockname(), ["::ffff:127.0.0.1", port, 0, 0]);
      assertEquals(addr, ["::ffff:127.0.0.1", c.getsockname()[1], 0, 0]);
      assertEquals(
        String(conn).replace(/fd=\d+/, "fd=F"),
        `<socket.socket fd=F, family=10, type=1, proto=0, laddr=('::ffff:127.0.0.1', ${port}, 0, 0), raddr=('::ffff:127.0.0.1', ${
          addr[1]
        }, 0, 0)>`,
      );
    } finally {
      for (const s of open) await s.close();
    }
  });
}

const enc = (t: string) => new TextEncoder().encode(t);

/** What `first` then `sendto(b"hi", (dest, p))` gives, and who got it. */
async function scenario(
  first: "bind-mapped" | "bind-mapped-any" | "connect-mapped" | "connect-v6",
  dest: string,
): Promise<string[]> {
  const r4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  r4.bind(["127.0.0.1", 0]);
  const p = r4.getsockname()[1];
  const r6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM);
  r6.bind(["::1", p]);
  const o4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  o4.bind(["127.0.0.1", 0]);
  const o6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM);
  o6.bind(["::1", 0]);
  const s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM);
  const out: string[] = [];
  try {
    r4.settimeout(0.5);
    r6.settimeout(0.5);
    if (first === "bind-mapped") s.bind(["::ffff:127.0.0.1", 0]);
    if (first === "bind-mapped-any") s.bind(["::ffff:0.0.0.0", 0]);
    if (first === "connect-mapped") {
      await s.connect(["::ffff:127.0.0.1", o4.getsockname()[1]]);
    }
    if (first === "connect-v6") await s.connect(["::1", o6.getsockname()[1]]);
    try {
      await s.sendto(enc("hi"), [dest, p]);
      out.push("sent");
    } catch (e) {
      out.push(`${(e as Error).constructor.name}: ${(e as Error).message}`);
    }
    for (const [name, r] of [["v4", r4], ["v6", r6]] as const) {
      try {
        const [, addr] = await r.recvfrom(10);
        out.push(`${name} got from ${addr[0]}`);
      } catch { /* nothing came */ }
    }
  } finally {
    for (const x of [s, r4, r6, o4, o6]) await x.close();
  }
  return out;
}

const EAFNOSUPPORT =
  "OSError: [Errno 97] Address family not supported by protocol";

test("UDP6 bound to ::ffff:127.0.0.1: sendto(('::', p)) goes to 127.0.0.1 (python3: sent, v4 got it)", async () => {
  assertEquals(await scenario("bind-mapped", "::"), [
    "sent",
    "v4 got from 127.0.0.1",
  ]);
  assertEquals(await scenario("bind-mapped", ""), [
    "sent",
    "v4 got from 127.0.0.1",
  ]);
});

test("UDP6 bound to ::ffff:0.0.0.0: sendto(('::', p)) goes to 127.0.0.1 (python3: sent, v4 got it)", async () => {
  assertEquals(await scenario("bind-mapped-any", "::"), [
    "sent",
    "v4 got from 127.0.0.1",
  ]);
});

test("UDP6 connected to ::ffff:127.0.0.1: sendto(('::', p)) goes to 127.0.0.1, never to ::1 (python3)", async () => {
  assertEquals(await scenario("connect-mapped", "::"), [
    "sent",
    "v4 got from 127.0.0.1",
  ]);
});

test("UDP6 connected to ::ffff:127.0.0.1: sendto(('::1', p)) is EAFNOSUPPORT and nothing reaches ::1 (python3)", async () => {
  assertEquals(await scenario("connect-mapped", "::1"), [EAFNOSUPPORT]);
});

const DENO_V6 = runtime === "deno" &&
  "Deno's UDP socket, bound to ::1 by connect(), is IPv6 only: [Errno 101] (README)";

test(
  "UDP6 connected to ::1: sendto(('::ffff:127.0.0.1', p)) is sent, over IPv4 (python3)",
  async () => {
    assertEquals(await scenario("connect-v6", "::ffff:127.0.0.1"), [
      "sent",
      "v4 got from 127.0.0.1",
    ]);
  },
  { ignore: DENO_V6 },
);

test(
  "UDP6 connected to ::1, then connected to ::ffff:127.0.0.1: send() goes over IPv4 (python3: sent, v4 got it)",
  async () => {
    const r4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
    r4.bind(["127.0.0.1", 0]);
    const r6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM);
    r6.bind(["::1", 0]);
    const s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM);
    try {
      r4.settimeout(1);
      await s.connect(["::1", r6.getsockname()[1]]);
      await s.connect(["::ffff:127.0.0.1", r4.getsockname()[1]]);
      assertEquals(s.getpeername(), [
        "::ffff:127.0.0.1",
        r4.getsockname()[1],
        0,
        0,
      ]);
      assertEquals(await s.send(enc("x")), 1);
      const [data, addr] = await r4.recvfrom(4);
      assertEquals([data, addr[0]], [enc("x"), "127.0.0.1"]);
    } finally {
      for (const x of [s, r4, r6]) await x.close();
    }
  },
  { ignore: DENO_V6 },
);

test(
  "UDP6 connected to ::1 on Deno: a send to an IPv4-mapped address raises [Errno 101], and its port stays free for 127.0.0.1 (README)",
  async () => {
    const r4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
    r4.bind(["127.0.0.1", 0]);
    const r6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM);
    r6.bind(["::1", 0]);
    const s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM);
    const other = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
    try {
      await s.connect(["::1", r6.getsockname()[1]]);
      assertEquals(s.getsockname()[0], "::1");
      const err = await s.sendto(enc("x"), [
        "::ffff:127.0.0.1",
        r4.getsockname()[1],
      ])
        .then(() => null, (e: Error) => e);
      assertEquals(String(err), "OSError: [Errno 101] Network is unreachable");
      // Linux binds the connected socket to ::1 alone: 127.0.0.1 at its port
      // is free.
      other.bind(["127.0.0.1", s.getsockname()[1]]);
    } finally {
      for (const x of [s, r4, r6, other]) await x.close();
    }
  },
  { ignore: runtime !== "deno" && "the other runtimes send it (tests above)" },
);

// Cosmetic (a Linux quirk): after connect(::1) then connect(::ffff:127.0.0.1)
// Linux keeps the first source in getsockname() ('::1'), though it sends
// from 127.0.0.1; Node and Bun report '::ffff:127.0.0.1'.
test("UDP6 connected to ::1 then to ::ffff:127.0.0.1: getsockname() still says ::1 (python3)", async () => {
  const r4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  r4.bind(["127.0.0.1", 0]);
  const r6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM);
  r6.bind(["::1", 0]);
  const s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM);
  try {
    await s.connect(["::1", r6.getsockname()[1]]);
    await s.connect(["::ffff:127.0.0.1", r4.getsockname()[1]]);
    assertEquals(s.getsockname()[0], "::1");
  } finally {
    for (const x of [s, r4, r6]) await x.close();
  }
});

for (const bound of ["::ffff:127.0.0.1", "::ffff:0.0.0.0"]) {
  test(`non-blocking connect() bound to ${bound} toward ::1 raises [Errno 97] at once, SO_ERROR 0 (python3)`, async () => {
    const s = socket.socket(socket.AF_INET6);
    try {
      s.bind([bound, 0]);
      s.setblocking(false);
      let got = "connected";
      try {
        await s.connect(["::1", 9]);
      } catch (e) {
        got = `${(e as Error).constructor.name} ${
          (e as socket.OSError).errno
        } ${(e as Error).message}`;
      }
      assertEquals(
        got,
        "OSError 97 [Errno 97] Address family not supported by protocol",
      );
      assertEquals(s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR), 0);
    } finally {
      await s.close();
    }
  });

  test(`non-blocking connect_ex() bound to ${bound} toward ::1 returns 97 (python3)`, async () => {
    const s = socket.socket(socket.AF_INET6);
    try {
      s.bind([bound, 0]);
      s.setblocking(false);
      assertEquals(await s.connect_ex(["::1", 9]), 97);
    } finally {
      await s.close();
    }
  });
}
