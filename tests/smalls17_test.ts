// Copyright the pysocket authors. MIT license.
// Round 17 (small differences left from round 16's note). Every answer is
// python3 3.11's on Linux.
// 1. A timed SSLSocket.unwrap() has one deadline for the whole shutdown
//    (CPython's `_ssl__SSLSocket_shutdown_impl`: `_PyDeadline_Init`, then
//    each wait takes what is left): the wait for what send() took to be
//    written and the wait for the peer's close_notify share it.
// 2. selectors: a key keeps the events as given (`register(f, True)`:
//    `key.events is True`), register() and modify() alike.
// 3. UDP connect() from an IPv4-mapped source to an address that needs a
//    scope (fe80::/10, and multicast of interface- or link-local scope:
//    ff01::1, ff02::1) without one is `[Errno 22] Invalid argument`, as
//    Linux checks the scope before the family; to other IPv6 addresses,
//    `[Errno 97]`.

import { assert, assertEquals, assertInstanceOf } from "@std/assert";
import * as socket from "../mod.ts";
import * as selectors from "../selectors.ts";
import type * as ssl from "../ssl.ts";
import { loopbackTls, testCerts, testContexts, tlsTest } from "./_certs.ts";
import { Child, noPython, rejection, runtime, test } from "./_util.ts";

// --- 1. one deadline for a timed unwrap() -----------------------------------

/**
 * Sends until a send() times out: the kernel's buffers are full (the peer
 * reads nothing yet), and pysocket's writer holds what the last sends
 * took.
 */
async function fill(s: ssl.SSLSocket): Promise<number> {
  const chunk = new Uint8Array(65536).fill(7);
  s.settimeout(0.1);
  let sent = 0;
  for (;;) {
    try {
      sent += await s.send(chunk);
    } catch (err) {
      assertInstanceOf(err, socket.timeout);
      return sent;
    }
  }
}

/**
 * A CPython TLS peer that reads nothing until told (a line on stdin), then
 * waits `pause` seconds, reads up to our close_notify and says when
 * (`eof T`, seconds after it was told), and never sends its own.
 */
const SLOW_PEER = (cert: string, key: string, pause: number) => `
import socket, ssl, sys, time
ls = socket.socket(); ls.bind(("127.0.0.1", 0)); ls.listen()
print(ls.getsockname()[1], flush=True)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); ctx.load_cert_chain(${
  JSON.stringify(cert)
}, ${JSON.stringify(key)})
ls.settimeout(20)
c, _ = ls.accept(); c.settimeout(20)
s = ctx.wrap_socket(c, server_side=True)
sys.stdin.readline()
t0 = time.monotonic()
time.sleep(${pause})
while s.recv(65536): pass
print("eof %.3f" % (time.monotonic() - t0), flush=True)
time.sleep(20)
`;

const READ_TIMED_OUT = "The read operation timed out";
const WRITE_TIMED_OUT = "The write operation timed out";

tlsTest(
  "SSLSocket.unwrap() with settimeout(1.0): the writing of what send() took and the wait for the peer's close_notify share one 1 s deadline (CPython's _PyDeadline)",
  async () => {
    // Before: the writer drained once the peer read, at ~0.5 s, then a
    // whole 1 s went to the close_notify that never comes (~1.5 s; with a
    // 0.5 s timeout and a 0.3 s pause it measured 0.76-0.83 s).
    const certs = await testCerts();
    const [clientCtx] = await testContexts();
    const child = new Child(
      "python3",
      ["-c", SLOW_PEER(certs.server, certs.serverKey, 0.5)],
      { stdin: "piped", timeoutMs: 30_000 },
    );
    await using _peer = child;
    const [, port] = await child.waitFor("stdout", /^(\d+)$/m);
    const raw = await socket.create_connection(["127.0.0.1", Number(port)], 10);
    const client = await clientCtx.wrap_socket(raw, {
      server_hostname: "localhost",
    });
    try {
      assert(await fill(client) > 0);
      client.settimeout(1.0);
      await child.write("go\n");
      const start = performance.now();
      const err = await rejection(() => client.unwrap());
      const elapsed = (performance.now() - start) / 1000;
      assertInstanceOf(err, socket.timeout);
      assertEquals(err.constructor, socket.timeout);
      assert(
        elapsed >= 0.9 && elapsed < 1.35,
        `unwrap() took ${elapsed.toFixed(3)} s`,
      );
      // The peer read everything, then our close_notify, well before the
      // deadline: the time ran out reading (CPython's SSL_ERROR_WANT_READ).
      const [, eof] = await child.waitFor("stdout", /^eof ([\d.]+)$/m);
      if (Number(eof) < 0.9) assertEquals(err.message, READ_TIMED_OUT);
      else assert([READ_TIMED_OUT, WRITE_TIMED_OUT].includes(err.message));
    } finally {
      client.close();
    }
  },
  (await noPython()) ||
    (runtime === "bun" &&
      "Bun's unwrap() returns once its close_notify is sent (README)"),
);

tlsTest(
  "SSLSocket.unwrap() with settimeout(0.3), the peer reading nothing: 'The write operation timed out' at 0.3 s (CPython's SSL_ERROR_WANT_WRITE)",
  async () => {
    const [client, server] = await loopbackTls(10);
    try {
      assert(await fill(client) > 0);
      client.settimeout(0.3);
      const start = performance.now();
      const err = await rejection(() => client.unwrap());
      const elapsed = (performance.now() - start) / 1000;
      assertInstanceOf(err, socket.timeout);
      assertEquals(err.constructor, socket.timeout);
      assertEquals(err.message, WRITE_TIMED_OUT);
      assertEquals((err as socket.OSError).errno, null);
      assert(
        elapsed >= 0.25 && elapsed < 0.8,
        `unwrap() took ${elapsed.toFixed(3)} s`,
      );
    } finally {
      client.close();
      server.close();
    }
  },
);

// --- 2. selectors keep the events as given ---------------------------------

const SELECTORS = [
  ["SelectSelector", () => new selectors.SelectSelector()],
  ["PollSelector", () => new selectors.PollSelector()],
  ["EpollSelector", () => new selectors.EpollSelector()],
  ["DefaultSelector", () => new selectors.DefaultSelector()],
] as const;

/** `True`, as a caller that is not type-checked passes it. */
const TRUE = true as unknown as number;
const FALSE = false as unknown as number;

for (const [name, make] of SELECTORS) {
  test(`selectors.${name}: register(sock, True).events is True, and select() reports 1 (python3)`, async () => {
    const [a, b] = await socket.socketpair();
    const sel = make();
    try {
      const key = sel.register(a, TRUE);
      assertEquals(key.events, true);
      assertEquals(sel.get_key(a).events, true);
      assertEquals(
        String(key).replace(/fd=\d+/g, "fd=F"),
        `SelectorKey(fileobj=${
          String(a).replace(/fd=\d+/g, "fd=F")
        }, fd=F, events=True, data=None)`,
      );
      await b.send(new Uint8Array([1]));
      const ready = await sel.select(5);
      assertEquals(ready.length, 1);
      assertEquals(ready[0][1], 1);
      assertEquals(ready[0][0].events, true);
    } finally {
      sel.close();
      a.close();
      b.close();
    }
  });
}

test("selectors: modify(sock, True) keeps True; modify() to an equal value keeps the key's (python3)", async () => {
  // python3: SelectSelector's modify(a, True, 'x') -> True, then
  // modify(a, 1) -> True (1 == True: only the data is replaced); the
  // poll-like ones replace the events with the data: 1.
  const [a, b] = await socket.socketpair();
  try {
    for (const [name, make] of SELECTORS) {
      const sel = make();
      try {
        sel.register(a, TRUE);
        const k1 = sel.modify(a, TRUE, "x") as selectors.SelectorKey;
        assertEquals([name, k1.events, k1.data], [name, true, "x"]);
        const k2 = sel.modify(a, 1);
        const expected = name === "SelectSelector" ? true : 1;
        assertEquals([name, k2.events, k2.data], [name, expected, null]);
        const k3 = sel.modify(a, 1);
        assertEquals(k3, k2);
        // python3: modify(b, True) of a key of 1 keeps 1; of 2, True.
        sel.register(b, selectors.EVENT_READ);
        assertEquals([name, sel.modify(b, TRUE).events], [name, 1]);
        sel.modify(b, selectors.EVENT_WRITE);
        assertEquals([name, sel.modify(b, TRUE).events], [name, true]);
      } finally {
        sel.close();
      }
    }
  } finally {
    a.close();
    b.close();
  }
});

test("selectors: the poll-like modify(sock, False) stores False, not checked (python3)", async () => {
  const [a, b] = await socket.socketpair();
  try {
    for (const [name, make] of SELECTORS.slice(1)) {
      const sel = make();
      try {
        sel.register(a, selectors.EVENT_READ);
        assertEquals([name, sel.modify(a, FALSE).events], [name, false]);
        assertEquals(await sel.select(0), []);
      } finally {
        sel.close();
      }
    }
  } finally {
    a.close();
    b.close();
  }
});

// --- 3. UDP connect() from an IPv4-mapped source ----------------------------

const EINVAL = "OSError 22 [Errno 22] Invalid argument";
const EAFNOSUPPORT =
  "OSError 97 [Errno 97] Address family not supported by protocol";

/** What connect() and connect_ex() to `dest` give from a socket bound to `src`. */
async function connectFrom(src: string, dest: string): Promise<string[]> {
  const out: string[] = [];
  for (const how of ["connect", "connect_ex"]) {
    const s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM);
    try {
      s.bind([src, 0]);
      if (how === "connect_ex") {
        out.push(`connect_ex ${await s.connect_ex([dest, 9])}`);
        continue;
      }
      try {
        await s.connect([dest, 9]);
        out.push("connected");
      } catch (err) {
        const { errno, message } = err as socket.OSError;
        out.push(`${(err as Error).constructor.name} ${errno} ${message}`);
      }
    } finally {
      await s.close();
    }
  }
  return out;
}

for (
  const [src, dest, expected] of [
    ["::ffff:127.0.0.1", "ff01::1", [EINVAL, "connect_ex 22"]],
    ["::ffff:127.0.0.1", "ff02::1", [EINVAL, "connect_ex 22"]],
    ["::ffff:127.0.0.1", "ff12::1", [EINVAL, "connect_ex 22"]],
    ["::ffff:127.0.0.1", "ff31::1", [EINVAL, "connect_ex 22"]],
    ["::ffff:127.0.0.1", "fe80::1", [EINVAL, "connect_ex 22"]],
    ["::ffff:0.0.0.0", "ff02::1", [EINVAL, "connect_ex 22"]],
    ["::ffff:127.0.0.1", "ff05::1", [EAFNOSUPPORT, "connect_ex 97"]],
    ["::ffff:127.0.0.1", "ff03::1", [EAFNOSUPPORT, "connect_ex 97"]],
    ["::ffff:127.0.0.1", "::1", [EAFNOSUPPORT, "connect_ex 97"]],
    ["::", "ff02::1", [EINVAL, "connect_ex 22"]],
    ["::", "ff01::1", [EINVAL, "connect_ex 22"]],
  ] as const
) {
  test(
    `UDP6 bound to ${src}: connect(('${dest}', 9)) is ${expected[1]} (python3)`,
    async () => {
      assertEquals(await connectFrom(src, dest), [...expected]);
    },
  );
}

test("UDP6 connected to ::1: connect(('ff02::1', 9)) is [Errno 22] and the socket stays connected to ::1; an unbound one is bound by it (python3)", async () => {
  const s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM);
  const unbound = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM);
  try {
    await s.connect(["::1", 9]);
    const err = await rejection(() => s.connect(["ff02::1", 9]));
    assertEquals(String(err), "OSError: [Errno 22] Invalid argument");
    assertEquals(s.getpeername(), ["::1", 9, 0, 0]);
    const err2 = await rejection(() => unbound.connect(["ff02::1", 9]));
    assertEquals((err2 as socket.OSError).errno, 22);
    const [host, port] = unbound.getsockname() as socket.IPv6Address;
    assertEquals(host, "::");
    assert(port > 0);
  } finally {
    await s.close();
    await unbound.close();
  }
});
