// Copyright the pysocket authors. MIT license.
// A UDP socket's pending ICMP error across connect() and sendto(), as
// CPython on Linux: an ICMP error for a datagram sent while unconnected is
// never reported, not even once the socket is connected, and one error is
// reported once. (Bun turns IP_RECVERR on, so its kernel leaves such errors
// on the socket: the next send failed and its datagram was lost.)
import { assertEquals } from "@std/assert";
import * as socket from "../mod.ts";
import { expected, unless } from "./_caps.ts";
import { b, outcome, sleep, test } from "./_util.ts";

const { AF_INET, SOCK_DGRAM } = socket;

const REFUSED = "ConnectionRefusedError: [Errno 111] Connection refused";
const TIMED_OUT = "TimeoutError: timed out";

/** A UDP address on 127.0.0.1 that nobody has bound (bound, then closed). */
function closedPort(): socket.IPv4Address {
  const t = socket.socket(AF_INET, SOCK_DGRAM);
  t.bind(["127.0.0.1", 0]);
  const addr = t.getsockname() as socket.IPv4Address;
  t.close();
  return addr;
}

/** A UDP socket bound on 127.0.0.1 with a timeout of `timeout` seconds. */
function bound(timeout: number): socket.socket {
  const s = socket.socket(AF_INET, SOCK_DGRAM);
  s.bind(["127.0.0.1", 0]);
  s.settimeout(timeout);
  return s;
}

/** What a socket receives now: its datagrams' text, or how recv() failed. */
async function drain(s: socket.socket): Promise<unknown[]> {
  const got: unknown[] = [];
  for (;;) {
    const r = await outcome(() => s.recv(100));
    got.push(r instanceof Uint8Array ? new TextDecoder().decode(r) : r);
    if (!(r instanceof Uint8Array)) return got;
  }
}

test("UDP sendto() a closed port, then at once connect() a live one: send() sends (1), the peer gets it, recv() times out, SO_ERROR 0, as python3", async () => {
  const closed = closedPort();
  using r = bound(0.3);
  using u = bound(0.3);
  const seen = [
    await outcome(() => u.sendto(b("a"), closed)),
    await outcome(() => u.connect(r.getsockname())),
    await outcome(() => u.send(b("b"))),
  ];
  await sleep(50);
  seen.push(await outcome(() => u.recv(10)));
  seen.push(u.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR));
  assertEquals(seen, [1, undefined, 1, TIMED_OUT, 0]);
  assertEquals(await drain(r), ["b", TIMED_OUT]);
});

test("UDP sendto() a closed port twice, then connect() a live one: each send() sends, as python3", async () => {
  const closed = closedPort();
  using r = bound(0.3);
  using u = bound(0.3);
  const seen = [
    await outcome(() => u.sendto(b("a"), closed)),
    await outcome(() => u.sendto(b("a"), closed)),
    await outcome(() => u.connect(r.getsockname())),
    await outcome(() => u.send(b("b"))),
    await outcome(() => u.recv(10)),
    await outcome(() => u.send(b("c"))),
  ];
  assertEquals(seen, [1, 1, undefined, 1, TIMED_OUT, 1]);
  assertEquals(await drain(r), ["b", "c", TIMED_OUT]);
});

test("connected UDP sendto() a closed port other than the peer: no error, not to send() nor recv(), as python3", async () => {
  const closed = closedPort();
  using r = bound(0.3);
  using u = bound(0.3);
  await u.connect(r.getsockname());
  const seen = [
    await outcome(() => u.sendto(b("a"), closed)),
    await outcome(() => u.send(b("b"))),
    await outcome(() => u.recv(10)),
    await outcome(() => u.sendto(b("a"), closed)),
  ];
  await sleep(50);
  seen.push(await outcome(() => u.recv(10)));
  seen.push(await outcome(() => u.send(b("c"))));
  assertEquals(seen, [1, 1, TIMED_OUT, 1, TIMED_OUT, 1]);
  assertEquals(await drain(r), ["b", "c", TIMED_OUT]);
});

test(
  "UDP sendto() a closed port, then connect() it: the first send() sends (1), its ICMP error is the next call's, once, as python3",
  async () => {
    const closed = closedPort();
    using u = bound(0.3);
    const seen = [
      await outcome(() => u.sendto(b("a"), closed)),
      await outcome(() => u.connect(closed)),
      await outcome(() => u.send(b("a"))),
    ];
    await sleep(100);
    seen.push(await outcome(() => u.recv(10)));
    seen.push(await outcome(() => u.recv(10)));
    seen.push(await outcome(() => u.send(b("a"))));
    assertEquals(seen, [1, undefined, 1, REFUSED, TIMED_OUT, 1]);
  },
  { ignore: unless(expected.udpConnect, "connected UDP at the OS level") },
);

test(
  "connected UDP to a closed port: send(), send() at once raises 111 (the first's ICMP error), then recv() times out: the error is reported once, as python3",
  async () => {
    const closed = closedPort();
    using u = bound(0.3);
    await u.connect(closed);
    const seen = [
      await outcome(() => u.send(b("a"))),
      await outcome(() => u.send(b("a"))),
      await outcome(() => u.recv(10)),
      await outcome(() => u.send(b("a"))),
    ];
    await sleep(50);
    seen.push(await outcome(() => u.recv(10)));
    seen.push(await outcome(() => u.recv(10)));
    assertEquals(seen, [1, REFUSED, TIMED_OUT, 1, REFUSED, TIMED_OUT]);
  },
  { ignore: unless(expected.udpConnect, "connected UDP at the OS level") },
);

test(
  "connected UDP to a closed port, then connect() a live one at once: the pending error is the next send()'s (its datagram lost), as python3",
  async () => {
    const closed = closedPort();
    using r = bound(0.3);
    using u = bound(0.3);
    await u.connect(closed);
    const seen = [
      await outcome(() => u.send(b("a"))),
      await outcome(() => u.connect(r.getsockname())),
      await outcome(() => u.send(b("b"))),
      await outcome(() => u.send(b("c"))),
      await outcome(() => u.recv(10)),
    ];
    assertEquals(seen, [1, undefined, REFUSED, 1, TIMED_OUT]);
    assertEquals(await drain(r), ["c", TIMED_OUT]);
  },
  { ignore: unless(expected.udpConnect, "connected UDP at the OS level") },
);
