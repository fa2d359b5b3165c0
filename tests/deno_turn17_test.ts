// Copyright the pysocket authors. MIT license.
// A zero-timeout readiness check (`select(…, 0)`, `selector.select(0)`,
// `poll(0)`) reports every socket that is ready right after the peer acted
// (bytes sent, connection closed, connection made), with no wait between,
// as CPython's does; and what it takes to know (on Deno, the backend's
// loopback probe) outlives no test: Deno's sanitizers check each test here.

import { assert, assertEquals } from "@std/assert";
import * as socket from "../mod.ts";
import * as select from "../select.ts";
import * as selectors from "../selectors.ts";
import { KINDS, listener, pair } from "./_kinds.ts";
import { closeAll, remove, test } from "./_util.ts";

/** How a zero-timeout check is made. */
type How = "select" | "selector" | "poll";
const HOWS: readonly How[] = ["select", "selector", "poll"];

/** Rounds of each case: one miss in any fails the test. */
const ROUNDS = 20;

/**
 * The sockets of `socks` a zero-timeout check made `how` finds readable
 * (`"r"`) or writable (`"w"`), in the order given.
 */
async function ready(
  how: How,
  socks: socket.Socket[],
  event: "r" | "w",
): Promise<socket.Socket[]> {
  if (how === "select") {
    const [r, w] = await select.select(
      event === "r" ? socks : [],
      event === "w" ? socks : [],
      [],
      0,
    );
    return event === "r" ? r : w;
  }
  if (how === "selector") {
    using sel = new selectors.DefaultSelector();
    const mask = event === "r" ? selectors.EVENT_READ : selectors.EVENT_WRITE;
    for (const s of socks) sel.register(s, mask);
    const found = new Set(
      (await sel.select(0)).filter(([, ev]) => (ev & mask) !== 0).map((
        [key],
      ) => key.fileobj),
    );
    return socks.filter((s) => found.has(s));
  }
  const p = select.poll();
  const mask = event === "r" ? select.POLLIN : select.POLLOUT;
  for (const s of socks) p.register(s, mask);
  const found = new Set(
    (await p.poll(0)).filter(([, ev]) => (ev & mask) !== 0).map(([fd]) => fd),
  );
  return socks.filter((s) => found.has(s.fileno()));
}

for (const how of HOWS) {
  test(`${how}, timeout 0: bytes the peer has just sent make a socket readable at once (TCP, Unix, UDP), and not once they are read`, async () => {
    for (const kind of KINDS) {
      await using p = await pair(kind);
      p.a.setblocking(false);
      for (let i = 0; i < ROUNDS; i++) {
        assertEquals(await ready(how, [p.a], "r"), [], `${kind} #${i} idle`);
        await p.b.send(new Uint8Array([i, 1, 2]));
        assertEquals(await ready(how, [p.a], "r"), [p.a], `${kind} #${i}`);
        assertEquals(await p.a.recv(10), new Uint8Array([i, 1, 2]));
      }
    }
  });

  test(`${how}, timeout 0: of 24 connections, exactly those whose peer has just sent are readable`, async () => {
    const { server, address } = await listener("tcp");
    const mine: socket.Socket[] = [];
    const peers: socket.Socket[] = [];
    try {
      for (let i = 0; i < 24; i++) {
        const c = socket.socket(socket.AF_INET);
        await c.connect(address as socket.IPv4Address);
        mine.push(c);
        peers.push((await server.accept())[0]);
      }
      for (const s of mine) s.setblocking(false);
      for (let round = 0; round < ROUNDS / 2; round++) {
        const picked = mine.filter((_, i) => (i * 7 + round * 5) % 3 === 0);
        for (const s of picked) {
          await peers[mine.indexOf(s)].send(new Uint8Array([round]));
        }
        assertEquals(await ready(how, mine, "r"), picked, `round ${round}`);
        for (const s of picked) {
          assertEquals(await s.recv(10), new Uint8Array([round]));
        }
      }
    } finally {
      await closeAll(...mine, ...peers, server);
    }
  });

  test(`${how}, timeout 0: a peer that has just closed makes the socket readable at once, and recv() returns b''`, async () => {
    for (const kind of ["tcp", "unix"] as const) {
      for (let i = 0; i < ROUNDS / 2; i++) {
        await using p = await pair(kind);
        p.b.close();
        assertEquals(await ready(how, [p.a], "r"), [p.a], `${kind} #${i}`);
        p.a.setblocking(false);
        assertEquals(await p.a.recv(10), new Uint8Array(0));
      }
    }
  });

  test(`${how}, timeout 0: a connection just made makes the listener readable; a connect just done, the socket writable`, async () => {
    for (const kind of ["tcp", "unix"] as const) {
      const { server, address, dir } = await listener(kind);
      const family: number = kind === "tcp" ? socket.AF_INET : socket.AF_UNIX;
      try {
        server.setblocking(false);
        for (let i = 0; i < ROUNDS / 2; i++) {
          assertEquals(await ready(how, [server], "r"), [], `${kind} #${i}`);
          using c = socket.socket(family);
          await c.connect(address);
          assertEquals(await ready(how, [c], "w"), [c], `${kind} #${i} w`);
          assertEquals(await ready(how, [server], "r"), [server], `#${i}`);
          const [conn] = await server.accept();
          conn.close();
        }
      } finally {
        server.close();
        if (dir !== undefined) await remove(dir, { recursive: true });
      }
    }
  });
}

test("select(), timeout 0, over a socket never connected, opened and closed in the test, leaves nothing open (the test's sanitizers check)", async () => {
  const s = socket.socket();
  for (const how of HOWS) {
    assertEquals(await ready(how, [s], "w"), [s]);
    // (Readable too, as Linux's poll says HUP: see select_test.ts.)
    await ready(how, [s], "r");
  }
  s.close();
});

test("select(), timeout 0, with a listener open, then only a socket never connected: nothing outlives the listener (the test's sanitizers check)", async () => {
  const fresh = socket.socket();
  const { server } = await listener("tcp");
  for (const how of HOWS) {
    assertEquals(await ready(how, [server], "r"), []);
  }
  server.close();
  for (const how of HOWS) {
    assertEquals(await ready(how, [fresh], "w"), [fresh]);
  }
  const [r] = await select.select([fresh], [], [], 0);
  assert(r.length === 1);
  fresh.close();
});

test("select(), timeout 0, over a UDP socket, opened and closed in the test: nothing outlives it (the test's sanitizers check)", async () => {
  const u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  u.bind(["127.0.0.1", 0]);
  for (const how of HOWS) {
    assertEquals(await ready(how, [u], "r"), []);
    assertEquals(await ready(how, [u], "w"), [u]);
  }
  await u.sendto(new Uint8Array([7]), u.getsockname());
  assertEquals(await ready("select", [u], "r"), [u]);
  u.close();
});
