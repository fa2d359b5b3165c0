// Copyright the pysocket authors. MIT license.
// SOCK_DGRAM as CPython on Linux in the corners: a connected socket's one
// pending error (Linux's sk_err) after a receive that timed out, MSG_TRUNC's
// results, the family checks of an AF_INET6 connect(), and IPV6_V6ONLY
// once bound.
import { assert, assertEquals, assertInstanceOf } from "@std/assert";
import * as socket from "../mod.ts";
import { expected, unless } from "./_caps.ts";
import { b, outcome, sleep, str, test } from "./_util.ts";

const { AF_INET, AF_INET6, SOCK_DGRAM, SOCK_STREAM } = socket;

/** A UDP port on 127.0.0.1 that nobody has bound (bound, then closed). */
function closedPort(): [string, number] {
  const t = socket.socket(AF_INET, SOCK_DGRAM);
  t.bind(["127.0.0.1", 0]);
  const [host, port] = t.getsockname() as [string, number];
  t.close();
  return [host, port];
}

const REFUSED = "ConnectionRefusedError: [Errno 111] Connection refused";
const TIMED_OUT = "TimeoutError: timed out";

/** Calls on a connected UDP socket, each one's {@linkcode outcome} kept. */
interface Calls {
  /** What each call gave, in order. */
  seen: unknown[];
  /** `s.send(b"x")`. */
  send(): Promise<void>;
  /** `s.send(bytes(70000))`: too large for a datagram. */
  sendTooLarge(): Promise<void>;
  /** `s.recv(10)`. */
  recv(): Promise<void>;
  /** `s.getsockopt(SOL_SOCKET, SO_ERROR)`. */
  soError(): Promise<void>;
}

/**
 * A test on a UDP socket connected to a {@linkcode closedPort}, with a
 * timeout of `timeout` seconds; skipped where connected UDP is not the OS's.
 */
function connectedUdpTest(
  name: string,
  timeout: number,
  fn: (calls: Calls) => Promise<void>,
): void {
  test(name, async () => {
    using s = socket.socket(AF_INET, SOCK_DGRAM);
    s.settimeout(timeout);
    await s.connect(closedPort());
    const seen: unknown[] = [];
    const call = async (op: () => unknown) => {
      seen.push(await outcome(op));
    };
    await fn({
      seen,
      send: () => call(() => s.send(b("x"))),
      sendTooLarge: () => call(() => s.send(new Uint8Array(70_000))),
      recv: () => call(() => s.recv(10)),
      soError: () =>
        call(() => s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)),
    });
  }, { ignore: unless(expected.udpConnect, "connected UDP at the OS level") });
}

connectedUdpTest(
  "connected UDP: a datagram too large is refused before the pending ICMP error, which the next send then takes, as python3",
  0.05,
  async ({ seen, send, sendTooLarge, recv }) => {
    await recv();
    await send();
    await sleep(100);
    await sendTooLarge();
    await send();
    await send();
    assertEquals(seen, [
      TIMED_OUT,
      1,
      "OSError: [Errno 90] Message too long",
      REFUSED,
      1,
    ]);
  },
);

connectedUdpTest(
  "connected UDP: the ICMP error a send brings after a recv() timed out is the next send's, once (Linux's sk_err), as python3",
  0.3,
  async ({ seen, send, recv }) => {
    await recv();
    await send();
    await sleep(200);
    await send();
    await sleep(200);
    await send();
    await sleep(200);
    await recv();
    await recv();
    // python3 3.11 on Linux, the same steps.
    assertEquals(seen, [TIMED_OUT, 1, REFUSED, 1, REFUSED, TIMED_OUT]);
  },
);

connectedUdpTest(
  "connected UDP: SO_ERROR takes the pending error after a recv() raised one; each later error is the next call's, as python3",
  0.3,
  async ({ seen, send, recv, soError }) => {
    await send();
    await sleep(200);
    await recv();
    await send();
    await sleep(200);
    await soError();
    await send();
    await sleep(200);
    await send();
    await sleep(200);
    await recv();
    await recv();
    assertEquals(seen, [
      1,
      REFUSED,
      1,
      111,
      1,
      REFUSED,
      TIMED_OUT,
      TIMED_OUT,
    ]);
  },
);

connectedUdpTest(
  "connected UDP: after a recv() that raised, a recv() that times out leaves the next ICMP error to the send after it, as python3",
  0.5,
  async ({ seen, send, recv, soError }) => {
    await send();
    await sleep(100);
    await recv();
    await recv();
    await send();
    await sleep(100);
    await send();
    await send();
    await sleep(100);
    await soError();
    await recv();
    assertEquals(seen, [
      1,
      REFUSED,
      TIMED_OUT,
      1,
      REFUSED,
      1,
      111,
      TIMED_OUT,
    ]);
  },
);

/** A UDP socket bound on 127.0.0.1, and a socket sending to it. */
function truncPair(): [socket.socket, socket.socket, () => Promise<void>] {
  const r = socket.socket(AF_INET, SOCK_DGRAM);
  r.bind(["127.0.0.1", 0]);
  r.settimeout(1);
  const s = socket.socket(AF_INET, SOCK_DGRAM);
  const send = async () => {
    await s.sendto(b("0123456789"), r.getsockname() as socket.IPv4Address);
  };
  return [r, s, send];
}

test(
  "MSG_TRUNC on a datagram socket: recv() and recvfrom() are as long as the datagram, its first n bytes then zeros; with MSG_PEEK it stays",
  async () => {
    const [r, s, send] = truncPair();
    const { MSG_PEEK, MSG_TRUNC } = socket;
    try {
      const want = new Uint8Array([48, 49, 50, 51, 0, 0, 0, 0, 0, 0]);
      await send();
      assertEquals(await r.recv(4, MSG_TRUNC), want);
      await send();
      assertEquals(await r.recv(4, MSG_PEEK | MSG_TRUNC), want);
      assertEquals(await r.recv(20, MSG_TRUNC), b("0123456789"));
      await send();
      const [data, from] = await r.recvfrom(4, MSG_TRUNC);
      assertEquals(data, want);
      assertEquals(from, [
        "127.0.0.1",
        (s.getsockname() as [string, number])[1],
      ]);
      // recv(0) reads nothing: the datagram stays.
      await send();
      assertEquals(await r.recv(0, MSG_TRUNC), new Uint8Array(0));
      assertEquals(await r.recv(100), b("0123456789"));
    } finally {
      r.close();
      s.close();
    }
  },
);

test(
  "MSG_TRUNC on a datagram socket: recv_into() and recvfrom_into() fill what fits and return the datagram's whole length; with MSG_PEEK it stays; a stream socket refuses it",
  async () => {
    const [r, s, send] = truncPair();
    const { MSG_PEEK, MSG_TRUNC } = socket;
    try {
      await send();
      const buf = new Uint8Array(6);
      assertEquals(await r.recv_into(buf, 4, MSG_TRUNC), 10);
      assertEquals(buf, new Uint8Array([48, 49, 50, 51, 0, 0]));
      await send();
      const buf2 = new Uint8Array(6);
      const [n, from] = await r.recvfrom_into(buf2, 3, MSG_PEEK | MSG_TRUNC);
      assertEquals(n, 10);
      assertEquals(from, [
        "127.0.0.1",
        (s.getsockname() as [string, number])[1],
      ]);
      assertEquals(buf2, new Uint8Array([48, 49, 50, 0, 0, 0]));
      assertEquals(await r.recv(100), b("0123456789"));
      // A buffer longer than the datagram: its length, as without the flag.
      await send();
      assertEquals(await r.recv_into(new Uint8Array(20), 0, MSG_TRUNC), 10);
      // Without the flag, the count of what was copied.
      await send();
      assertEquals(await r.recv_into(new Uint8Array(4)), 4);
    } finally {
      r.close();
      s.close();
    }
    const [a, c] = await socket.socketpair();
    try {
      assertEquals(
        await outcome(() => a.recv(4, MSG_TRUNC)),
        "OSError: [Errno 95] Operation not supported: MSG_TRUNC",
      );
    } finally {
      a.close();
      c.close();
    }
  },
);

test(
  "AF_INET6 UDP connect(): an IPv4-mapped peer of a socket bound to ::1 is [Errno 101], an IPv6 peer of one bound to ::ffff:127.0.0.1 is [Errno 97]; the socket stays unconnected, as python3",
  async () => {
    const cases: [string, string, string][] = [
      [
        "::1",
        "::ffff:127.0.0.1",
        "OSError: [Errno 101] Network is unreachable",
      ],
      [
        "::ffff:127.0.0.1",
        "::1",
        "OSError: [Errno 97] Address family not supported by protocol",
      ],
    ];
    for (const [local, peer, refused] of cases) {
      using u = socket.socket(AF_INET6, SOCK_DGRAM);
      u.settimeout(1);
      u.bind([local, 0]);
      assertEquals(await outcome(() => u.connect([peer, 9])), refused);
      assertEquals(
        await outcome(() => u.send(b("x"))),
        "OSError: [Errno 89] Destination address required",
      );
      assertEquals(
        await outcome(() => u.getpeername()),
        "OSError: [Errno 107] Transport endpoint is not connected",
      );
    }
  },
);

test(
  "AF_INET6 UDP connect(): a connect to an IPv4-mapped peer fixes the source; an IPv6 peer after it is [Errno 97] and the old peer stays; :: is then ::ffff:127.0.0.1, as python3",
  async () => {
    using r = socket.socket(AF_INET6, SOCK_DGRAM);
    r.bind(["", 0]);
    await r.connect(["::ffff:127.0.0.1", 9]);
    assertEquals(
      await outcome(() => r.connect(["::1", 9])),
      "OSError: [Errno 97] Address family not supported by protocol",
    );
    assertEquals(r.getpeername(), ["::ffff:127.0.0.1", 9, 0, 0]);
    await r.connect(["::", 7]);
    assertEquals(r.getpeername(), ["::ffff:127.0.0.1", 7, 0, 0]);
    // Connected to ::1 first, the source is IPv6: a mapped peer is fine.
    using v = socket.socket(AF_INET6, SOCK_DGRAM);
    v.bind(["::", 0]);
    await v.connect(["::1", 9]);
    await v.connect(["::ffff:127.0.0.1", 9]);
    await v.connect(["::1", 9]);
    assertEquals(v.getpeername(), ["::1", 9, 0, 0]);
  },
);

test(
  "IPV6_V6ONLY once bound is [Errno 22] Invalid argument, whatever the value, for TCP and UDP, as python3",
  async () => {
    for (const type of [SOCK_STREAM, SOCK_DGRAM]) {
      for (const host of ["::", "::1", "::ffff:127.0.0.1"]) {
        for (const value of [0, 1]) {
          using s = socket.socket(AF_INET6, type);
          s.bind([host, 0]);
          const before = s.getsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY);
          assertEquals(
            await outcome(() =>
              s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, value)
            ),
            "OSError: [Errno 22] Invalid argument",
            `${type} ${host} ${value}`,
          );
          assertEquals(
            s.getsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY),
            before,
          );
          assertEquals(before, host === "::1" ? 1 : 0);
        }
      }
      // Not bound: turning it off is fine everywhere.
      using u = socket.socket(AF_INET6, type);
      u.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0);
      assertEquals(u.getsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY), 0);
    }
    // A UDP socket a sendto() bound is bound.
    using d = socket.socket(AF_INET6, SOCK_DGRAM);
    await d.sendto(b("x"), ["::1", 9]);
    let err: unknown;
    try {
      d.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0);
    } catch (e) {
      err = e;
    }
    assertInstanceOf(err, socket.OSError);
    assertEquals(
      (err as socket.OSError).message,
      "[Errno 22] Invalid argument",
    );
  },
);

test("an AF_INET6 UDP socket connected to an IPv4-mapped loopback peer is bound to ::ffff:127.0.0.1, as Linux's route gives, and its datagrams arrive from 127.0.0.1", async () => {
  using rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  rx.bind(["127.0.0.1", 0]);
  rx.settimeout(5);
  const port = rx.getsockname()[1];
  for (const peer of ["::ffff:127.0.0.1", "::ffff:127.0.0.2"]) {
    using c = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM);
    await c.connect([peer, peer.endsWith(".1") ? port : 9]);
    const [host, cport] = c.getsockname();
    assertEquals(host, "::ffff:127.0.0.1");
    assert(cport > 0);
    if (!peer.endsWith(".1")) continue;
    await c.send(b("mapped"));
    const [data, from] = await rx.recvfrom(100);
    assertEquals([str(data), from], ["mapped", ["127.0.0.1", cport]]);
  }
});
