// Copyright the pysocket authors. MIT license.
// The backend contract (src/_backend/types.ts) on whatever runtime runs
// this file: real sockets on 127.0.0.1, ::1 and Unix paths, port 0 only.
// What a runtime cannot do is skipped by its capability record, and says so.

import { assert, assertEquals } from "@std/assert";
import {
  backend,
  type Classified,
  type RawConn,
  type RawDatagram,
  type RawListener,
  type RawNetAddr,
} from "../src/_backend/mod.ts";
import { errnoName } from "../src/_py/errno.ts";
import { makeTempDir, remove, run, sleep, test } from "./_util.ts";

const be = backend();
const caps = be.caps;
const LOCAL = "127.0.0.1";

/** The errno name an error stands for; fails if the backend cannot tell. */
function errnoOf(err: unknown): string {
  const meaning: Classified | null = be.classify(err);
  if (meaning === null) throw new Error(`not classified: ${err}`);
  if (!("errno" in meaning)) {
    throw new Error(`no errno: ${JSON.stringify(meaning)}`);
  }
  const { errno } = meaning;
  return typeof errno === "number" ? errnoName(errno) ?? String(errno) : errno;
}

/** What `fn` throws (synchronously), as an errno name. */
function thrown(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return errnoOf(err);
  }
  throw new Error("did not throw");
}

/** What `p` rejects with, as an errno name. */
async function rejected(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return errnoOf(err);
  }
  throw new Error("did not reject");
}

function listenOn(hostname = LOCAL, backlog = 16): RawListener {
  return be.net.bind({ hostname, port: 0 }, {}).listen(backlog);
}

function portOf(listener: { addr: unknown }): number {
  return (listener.addr as RawNetAddr).port;
}

/** A listener, a connection to it, and the accepted end. */
async function pair(
  hostname = LOCAL,
): Promise<{ listener: RawListener; client: RawConn; server: RawConn }> {
  const listener = listenOn(hostname);
  const [client, server] = await Promise.all([
    be.net.connect({ hostname, port: portOf(listener) }, {}),
    listener.accept(),
  ]);
  return { listener, client, server };
}

function closeAll(...things: { close(): void }[]): void {
  for (const thing of things) {
    try {
      thing.close();
    } catch {
      // Closed already.
    }
  }
}

/** Writes all of `data`. */
async function writeAll(conn: RawConn, data: Uint8Array): Promise<void> {
  for (let at = 0; at < data.length;) {
    at += await conn.write(data.subarray(at));
  }
}

/** Reads until end of stream. */
async function readAll(conn: RawConn): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const buf = new Uint8Array(64 * 1024);
  for (;;) {
    const n = await conn.read(buf);
    if (n === null) break;
    chunks.push(buf.slice(0, n));
  }
  const out = new Uint8Array(chunks.reduce((s, c) => s + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Reads exactly `n` bytes. */
async function readExactly(conn: RawConn, n: number): Promise<Uint8Array> {
  const out = new Uint8Array(n);
  for (let at = 0; at < n;) {
    const k = await conn.read(out.subarray(at));
    if (k === null) throw new Error(`end of stream after ${at} of ${n} bytes`);
    at += k;
  }
  return out;
}

const text = (s: string) => new TextEncoder().encode(s);
const str = (b: Uint8Array) => new TextDecoder().decode(b);

test("net.bind() to port 0 knows its port when it returns", () => {
  for (const hostname of [LOCAL, "::1"]) {
    const bound = be.net.bind({ hostname, port: 0 }, {});
    try {
      const addr = bound.addr as RawNetAddr;
      assertEquals(addr.hostname, hostname);
      assert(addr.port > 0, `port ${addr.port}`);
    } finally {
      bound.close();
    }
  }
});

test("net.bind() throws EADDRINUSE at once for a listening port", () => {
  const listener = listenOn();
  try {
    assertEquals(
      thrown(() =>
        be.net.bind({ hostname: LOCAL, port: portOf(listener) }, {})
      ),
      "EADDRINUSE",
    );
  } finally {
    listener.close();
  }
});

test("net.bind() of a port bound here is EADDRINUSE", () => {
  const a = be.net.bind({ hostname: LOCAL, port: 0 }, {});
  try {
    const { port } = a.addr as RawNetAddr;
    assertEquals(
      thrown(() => be.net.bind({ hostname: LOCAL, port }, {})),
      "EADDRINUSE",
    );
    assertEquals(
      thrown(() => be.net.bind({ hostname: "0.0.0.0", port }, {})),
      "EADDRINUSE",
    );
  } finally {
    a.close();
  }
});

test(
  "net.bind(): two sockets with SO_REUSEADDR, neither listening, share a port; the second listen() is EADDRINUSE",
  () => {
    // Linux: two sockets with SO_REUSEADDR, neither listening, share a port.
    const b = be.net.bind({ hostname: LOCAL, port: 0 }, { reuseAddress: true });
    const c = be.net.bind(b.addr as RawNetAddr, { reuseAddress: true });
    const listener = b.listen(4);
    try {
      assertEquals(thrown(() => c.listen(4)), "EADDRINUSE");
    } finally {
      closeAll(c, listener);
    }
  },
  {
    ignore: caps.bindListens &&
      `${caps.runtime} binds by listening (Capabilities.bindListens): two bound, not listening sockets cannot exist`,
  },
);

test("net.bind() with reusePort lets two listeners share a port", () => {
  const a = be.net.bind({ hostname: LOCAL, port: 0 }, { reusePort: true })
    .listen(4);
  const b = be.net.bind(a.addr as RawNetAddr, { reusePort: true }).listen(4);
  closeAll(a, b);
}, { ignore: caps.reusePort.tcp === true ? false : "no SO_REUSEPORT (TCP)" });

test("net.bind() with ipv6Only: an IPv4 client is refused", async () => {
  const listener = be.net.bind({ hostname: "::", port: 0 }, { ipv6Only: true })
    .listen(4);
  try {
    const port = portOf(listener);
    assertEquals(
      await rejected(be.net.connect({ hostname: LOCAL, port }, {})),
      "ECONNREFUSED",
    );
    const [c, s] = await Promise.all([
      be.net.connect({ hostname: "::1", port }, {}),
      listener.accept(),
    ]);
    closeAll(c, s);
  } finally {
    listener.close();
  }
}, { ignore: caps.v6only.tcp ? false : "no IPV6_V6ONLY (TCP)" });

test("net.bind() throws EADDRNOTAVAIL at once for an address not here", () => {
  assertEquals(
    thrown(() => be.net.bind({ hostname: "192.0.2.1", port: 0 }, {})),
    "EADDRNOTAVAIL",
  );
});

test("RawBound.listen() passes the backlog to the OS (ss Send-Q)", async () => {
  const listener = listenOn(LOCAL, 7);
  try {
    const port = portOf(listener);
    const out = await run("ss", ["-ltnH", `sport = :${port}`]);
    const [, , sendQ] = out.stdout.trim().split(/\s+/);
    assertEquals(Number(sendQ), 7, out.stdout);
  } finally {
    listener.close();
  }
}, { ignore: caps.backlog ? false : "the runtime takes no backlog" });

test("net.connect() to a closed port rejects with ECONNREFUSED", async () => {
  const bound = be.net.bind({ hostname: LOCAL, port: 0 }, {});
  const port = (bound.addr as RawNetAddr).port;
  bound.close();
  assertEquals(
    await rejected(be.net.connect({ hostname: LOCAL, port }, {})),
    "ECONNREFUSED",
  );
});

test("RawConn: bytes both ways, addresses on both ends", async () => {
  for (const hostname of [LOCAL, "::1"]) {
    const { listener, client, server } = await pair(hostname);
    try {
      const port = portOf(listener);
      assertEquals((client.remoteAddr as RawNetAddr).port, port);
      assertEquals((server.localAddr as RawNetAddr).port, port);
      assertEquals(
        (server.remoteAddr as RawNetAddr).port,
        (client.localAddr as RawNetAddr).port,
      );
      assertEquals((client.remoteAddr as RawNetAddr).hostname, hostname);
      assertEquals(await client.write(text("ping")), 4);
      assertEquals(str(await readExactly(server, 4)), "ping");
      await writeAll(server, text("pong!"));
      assertEquals(str(await readExactly(client, 5)), "pong!");
      if (caps.realFd) {
        assert(typeof client.fd === "number" && client.fd > 2);
        assert(typeof listener.fd === "number" && listener.fd > 2);
      }
    } finally {
      closeAll(client, server, listener);
    }
  }
});

test("RawConn.read() into a small buffer keeps the rest for the next", async () => {
  const { listener, client, server } = await pair();
  try {
    await writeAll(client, text("abcdefghij"));
    const small = new Uint8Array(3);
    let got = "";
    while (got.length < 10) {
      const n = await server.read(small);
      if (n === null || n < 1 || n > 3) throw new Error(`read ${n}`);
      got += str(small.subarray(0, n));
    }
    assertEquals(got, "abcdefghij");
  } finally {
    closeAll(client, server, listener);
  }
});

test("RawConn.read() reads only when asked: an unread peer's writes stall", async () => {
  const { listener, client, server } = await pair();
  const total = 8 * 1024 * 1024;
  const data = new Uint8Array(total);
  for (let i = 0; i < total; i++) data[i] = i % 251;
  let written = 0;
  const writer = (async () => {
    const chunk = 64 * 1024;
    while (written < total) {
      written += await client.write(
        data.subarray(written, Math.min(written + chunk, total)),
      );
    }
  })();
  try {
    await sleep(400);
    const stalled = written;
    assert(stalled < total, `all ${total} bytes written with nobody reading`);
    await sleep(200);
    assertEquals(written, stalled, "the writer went on with nobody reading");
    const got = await readExactly(server, total);
    await writer;
    for (let i = 0; i < total; i++) {
      if (got[i] !== i % 251) throw new Error(`byte ${i} is ${got[i]}`);
    }
  } finally {
    closeAll(client, server, listener);
    await writer.catch(() => {});
  }
});

test("RawConn.read() gives null at end of stream, and again after", async () => {
  const { listener, client, server } = await pair();
  try {
    await writeAll(client, text("last"));
    client.close();
    assertEquals(str(await readAll(server)), "last");
    assertEquals(await server.read(new Uint8Array(8)), null);
  } finally {
    closeAll(client, server, listener);
  }
});

test("RawConn.closeWrite() half-closes: the peer reads the end, then replies", async () => {
  const { listener, client, server } = await pair();
  try {
    await writeAll(client, text("question"));
    await client.closeWrite();
    assertEquals(str(await readAll(server)), "question");
    await writeAll(server, text("answer"));
    server.close();
    assertEquals(str(await readAll(client)), "answer");
  } finally {
    closeAll(client, server, listener);
  }
});

test("RawConn.reset() makes the peer's read fail with ECONNRESET", async () => {
  const { listener, client, server } = await pair();
  try {
    server.reset!();
    assertEquals(await rejected(client.read(new Uint8Array(8))), "ECONNRESET");
  } finally {
    closeAll(client, server, listener);
  }
}, { ignore: caps.reset ? false : "the runtime cannot reset" });

test("RawConn.close() settles a read in flight at once", async () => {
  const { listener, client, server } = await pair();
  try {
    const reading = server.read(new Uint8Array(8)).then(
      (n) => `resolved ${n}`,
      () => "rejected",
    );
    await sleep(20);
    server.close();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve(""), 1000);
    });
    const settled = await Promise.race([reading, late]);
    clearTimeout(timer);
    assert(settled !== "", "the read in flight did not settle");
  } finally {
    closeAll(client, server, listener);
  }
});

test("RawConn.write() to a reset connection rejects with a classified error", async () => {
  const { listener, client, server } = await pair();
  try {
    server.close();
    // The first writes may still be taken; the reset comes back after.
    let error: unknown = null;
    const chunk = new Uint8Array(64 * 1024);
    for (let i = 0; i < 100 && error === null; i++) {
      try {
        await client.write(chunk);
      } catch (err) {
        error = err;
      }
      await sleep(5);
    }
    assert(error !== null, "writes to a closed peer never failed");
    assert(["EPIPE", "ECONNRESET"].includes(errnoOf(error)), String(error));
  } finally {
    closeAll(client, server, listener);
  }
});

test("RawListener.close() frees the port at once and ends a pending accept", async () => {
  const listener = listenOn();
  const port = portOf(listener);
  const accepting = listener.accept();
  listener.close();
  assertEquals(await rejected(accepting), "EBADF");
  const again = be.net.bind({ hostname: LOCAL, port }, {}).listen(4);
  again.close();
});

test("RawListener: connections queue until accepted", async () => {
  const listener = listenOn();
  const clients: RawConn[] = [];
  const servers: RawConn[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      const c = await be.net.connect({
        hostname: LOCAL,
        port: portOf(listener),
      }, {});
      clients.push(c);
      await writeAll(c, text(`client ${i}`));
    }
    await sleep(50);
    for (let i = 0; i < 3; i++) {
      const s = await listener.accept();
      servers.push(s);
      assertEquals(str(await readExactly(s, 8)), `client ${i}`);
    }
  } finally {
    closeAll(...clients, ...servers, listener);
  }
});

test("net.connect() from a chosen local port", async () => {
  const listener = listenOn();
  const probe = be.net.bind({ hostname: LOCAL, port: 0 }, {});
  const local = probe.addr as RawNetAddr;
  probe.close();
  try {
    const [client, server] = await Promise.all([
      be.net.connect({ hostname: LOCAL, port: portOf(listener) }, { local }),
      listener.accept(),
    ]);
    assertEquals((server.remoteAddr as RawNetAddr).port, local.port);
    closeAll(client, server);
  } finally {
    listener.close();
  }
});

test("net: Unix stream sockets, by path and abstract name", async () => {
  const dir = await makeTempDir();
  try {
    for (const path of [`${dir}/s.sock`, `\0pysocket-${Math.random()}`]) {
      if (!path.startsWith("\0")) {
        assertEquals(
          thrown(() => be.net.bind({ path: `${path}.missing/x.sock` }, {})),
          "ENOENT",
        );
      }
      const listener = be.net.bind({ path }, {}).listen(4);
      assertEquals((listener.addr as { path: string }).path, path);
      assertEquals(thrown(() => be.net.bind({ path }, {})), "EADDRINUSE");
      const [client, server] = await Promise.all([
        be.net.connect({ path }, {}),
        listener.accept(),
      ]);
      await writeAll(client, text("over unix"));
      assertEquals(str(await readExactly(server, 9)), "over unix");
      closeAll(client, server, listener);
    }
  } finally {
    await remove(dir, { recursive: true });
  }
});

const udpIgnore = caps.udp === true ? false : String(caps.udp);

function udpBind(hostname = LOCAL, port = 0): RawDatagram {
  return be.datagram.bind({ hostname, port }, {
    family: hostname.includes(":") ? 6 : 4,
  });
}

test(
  "datagram.bind() knows its port when it returns; EADDRINUSE at once",
  () => {
    const a = udpBind();
    try {
      const { hostname, port } = a.addr as RawNetAddr;
      assertEquals(hostname, LOCAL);
      assert(port > 0);
      assertEquals(thrown(() => udpBind(LOCAL, port)), "EADDRINUSE");
    } finally {
      a.close();
    }
  },
  { ignore: udpIgnore },
);

test(
  "datagram: send() and receive() whole datagrams, with the sender",
  async () => {
    for (const hostname of [LOCAL, "::1"]) {
      const a = udpBind(hostname);
      const b = udpBind(hostname);
      try {
        const big = new Uint8Array(60000).fill(7);
        assertEquals(await a.send(text("one"), b.addr), 3);
        assertEquals(await a.send(big, b.addr), 60000);
        const [first, from] = await b.receive();
        assertEquals(str(first), "one");
        assertEquals((from as RawNetAddr).port, (a.addr as RawNetAddr).port);
        const [second] = await b.receive();
        assertEquals(second.length, 60000);
      } finally {
        closeAll(a, b);
      }
    }
  },
  { ignore: udpIgnore },
);

test(
  "datagram: a connected socket reports ECONNREFUSED from a closed port",
  async () => {
    const gone = udpBind();
    const port = (gone.addr as RawNetAddr).port;
    gone.close();
    const a = udpBind();
    try {
      await a.connect!({ hostname: LOCAL, port });
      await a.send(text("anyone?"), null);
      assertEquals(await rejected(a.receive()), "ECONNREFUSED");
    } finally {
      a.close();
    }
  },
  {
    ignore: udpIgnore || (caps.udpConnect ? false : "no OS-level UDP connect"),
  },
);

test(
  "datagram: connect() elsewhere keeps the port; send() to another address while connected",
  async () => {
    const a = udpBind();
    const p1 = udpBind();
    const p2 = udpBind();
    try {
      const { port } = a.addr as RawNetAddr;
      await a.connect!(p1.addr as RawNetAddr);
      await a.send(text("to p2"), p2.addr);
      const [data, from] = await p2.receive();
      assertEquals(str(data), "to p2");
      assertEquals((from as RawNetAddr).port, port);
      await a.send(text("to p1"), null);
      assertEquals(str((await p1.receive())[0]), "to p1");
      await a.connect!(p2.addr as RawNetAddr);
      assertEquals((a.addr as RawNetAddr).port, port);
      await a.send(text("now p2"), null);
      assertEquals(str((await p2.receive())[0]), "now p2");
    } finally {
      closeAll(a, p1, p2);
    }
  },
  {
    ignore: udpIgnore || (caps.udpConnect ? false : "no OS-level UDP connect"),
  },
);

test("datagram.bind() with reusePort lets two sockets share a port", () => {
  const a = be.datagram.bind({ hostname: LOCAL, port: 0 }, {
    family: 4,
    reusePort: true,
  });
  const b = be.datagram.bind(a.addr as RawNetAddr, {
    family: 4,
    reusePort: true,
  });
  closeAll(a, b);
}, {
  ignore: udpIgnore ||
    (caps.reusePort.udp === true ? false : "no SO_REUSEPORT (UDP)"),
});

test("datagram: a send to port 0 is EINVAL", async () => {
  const a = udpBind();
  try {
    assertEquals(
      await rejected(
        (async () => await a.send(text("x"), { hostname: LOCAL, port: 0 }))(),
      ),
      "EINVAL",
    );
  } finally {
    a.close();
  }
}, { ignore: udpIgnore });

test(
  "datagram: close() frees the port at once and ends a pending receive",
  async () => {
    const a = udpBind();
    const port = (a.addr as RawNetAddr).port;
    const receiving = a.receive();
    receiving.catch(() => {});
    a.close();
    // Deno (its own datagrams and its node:dgram) closes the descriptor
    // once its receive op has ended, a few milliseconds later.
    const lateMs = caps.runtime === "deno" ? 100 : 0;
    for (const started = performance.now();;) {
      try {
        udpBind(LOCAL, port).close();
        break;
      } catch (err) {
        if (performance.now() - started >= lateMs) throw err;
        await sleep(5);
      }
    }
    // Deno's own datagrams (--unstable-net) end the receive with EINTR;
    // node:dgram (Node, Bun, Deno without it) with EBADF. pysocket answers
    // [Errno 9] on every runtime.
    assert(["EBADF", "EINTR"].includes(await rejected(receiving)));
  },
  { ignore: udpIgnore },
);

test(
  "datagram options: SO_RCVBUF reads back doubled; SO_BROADCAST off refuses a broadcast",
  async () => {
    const a = udpBind("0.0.0.0");
    try {
      const options = a.options!;
      if (caps.udpOptions.includes("SO_RCVBUF")) {
        assert(options.set("SO_RCVBUF", 65536));
        assertEquals(options.get("SO_RCVBUF"), 131072);
      }
      if (caps.udpOptions.includes("IP_TTL")) {
        assert(options.set("IP_TTL", 77));
        assertEquals(options.get("IP_TTL"), 77);
      }
      if (caps.udpOptions.includes("SO_BROADCAST") && !caps.broadcastAlwaysOn) {
        // Never set: the backend cannot tell, and the engine reports
        // Linux's default (tests/capabilities_test.ts).
        assertEquals(options.get("SO_BROADCAST"), undefined);
        const to = { hostname: "127.255.255.255", port: 9 };
        assertEquals(await rejected(a.send(text("x"), to)), "EACCES");
        assert(options.set("SO_BROADCAST", 1));
        assertEquals(options.get("SO_BROADCAST"), 1);
        assertEquals(await a.send(text("x"), to), 1);
      }
    } finally {
      a.close();
    }
  },
  { ignore: udpIgnore || (caps.udpOptions.length ? false : "no UDP options") },
);

test("datagram: sends after close() reject with EBADF", async () => {
  const a = udpBind();
  a.close();
  assertEquals(
    await rejected(
      (async () => await a.send(text("x"), { hostname: LOCAL, port: 9 }))(),
    ),
    "EBADF",
  );
}, { ignore: udpIgnore });

test(
  "nodeDatagram (Deno's fallback without --unstable-net) binds at once on node:dgram",
  async () => {
    const { nodeDatagram } = await import("../src/_backend/node/dgram.ts");
    const a = nodeDatagram.bind({ hostname: LOCAL, port: 0 }, { family: 4 });
    const b = nodeDatagram.bind({ hostname: "::1", port: 0 }, { family: 6 });
    const c = nodeDatagram.bind({ hostname: "::1", port: 0 }, { family: 6 });
    try {
      const { port } = a.addr as RawNetAddr;
      assert(port > 0);
      assertEquals(
        thrown(() =>
          nodeDatagram.bind({ hostname: LOCAL, port }, { family: 4 }).close()
        ),
        "EADDRINUSE",
      );
      await b.send(text("six"), c.addr);
      const [data, from] = await c.receive();
      assertEquals(str(data), "six");
      assertEquals(data.constructor, Uint8Array);
      assertEquals((from as RawNetAddr).port, (b.addr as RawNetAddr).port);
      const options = a.options!;
      assertEquals(options.get("SO_BROADCAST"), undefined);
      // Deno's node:dgram keeps buffer sizes without setting them: the
      // Deno backend does not offer them (caps.udpOptions).
      if (caps.udpOptions.includes("SO_RCVBUF")) {
        assert(options.set("SO_RCVBUF", 65536));
        assertEquals(options.get("SO_RCVBUF"), 131072);
      }
      const pending = a.receive();
      a.close();
      assertEquals(await rejected(pending), "EBADF");
    } finally {
      closeAll(a, b, c);
    }
  },
  {
    ignore: "Bun" in globalThis
      ? "Bun's node:dgram binds in a microtask (Bun uses Bun.udpSocket)"
      : false,
  },
);

test("PullRead (node:net, Bun, node:tls): what nobody asked for is kept in order, and the runtime stops reading once READ_AHEAD bytes wait", async () => {
  const { PullRead, READ_AHEAD } = await import(
    "../src/_backend/node/pull_read.ts"
  );
  const r = new PullRead();
  const block = (i: number, n: number) => new Uint8Array(n).fill(i);
  /** A read that needs no runtime read: what it got. */
  const readKept = async (p: Uint8Array): Promise<number | null> => {
    let got: number | null = -1;
    assertEquals(r.begin(p, (n) => got = n, () => {}, false), false);
    await Promise.resolve();
    return got;
  };
  // Nobody reads: each delivery is kept; the runtime goes on reading until
  // READ_AHEAD bytes wait.
  const size = 16 * 1024;
  const expected = new Uint8Array(READ_AHEAD);
  let goOn = true;
  let delivered = 0;
  for (let i = 1; goOn; i++) {
    assert(delivered < READ_AHEAD, `${delivered} bytes kept, still reading`);
    const bytes = block(i, size);
    expected.set(bytes, delivered);
    goOn = r.deliver(bytes, size, false);
    bytes.fill(0); // not owned: the runtime reads into that memory again
    delivered += size;
  }
  assertEquals(delivered, READ_AHEAD);
  // Reads take them across the kept chunks, in order.
  const first = new Uint8Array(size + 10);
  assertEquals(await readKept(first), size + 10);
  const rest = new Uint8Array(READ_AHEAD);
  assertEquals(await readKept(rest), READ_AHEAD - size - 10);
  assertEquals(
    [...first, ...rest.subarray(0, READ_AHEAD - size - 10)],
    [...expected],
  );
  // Nothing is kept: a read waits for the runtime, and gets its bytes.
  let n: number | null = null;
  assertEquals(r.begin(rest, (k) => n = k, () => {}, false), true);
  assertEquals(r.deliver(block(9, 3), 3, true), true);
  assertEquals(n, 3);
  assertEquals(rest.subarray(0, 3), block(9, 3));
});

test("PullRead: a runtime read larger than READ_AHEAD that a caller is reading does not stop the runtime; the next one that finds nobody reading does, and every byte is there in order", async () => {
  const { PullRead, READ_AHEAD } = await import(
    "../src/_backend/node/pull_read.ts"
  );
  const r = new PullRead();
  // Bun reads up to 512 KiB at a time: most of it is kept for the caller's
  // next reads, who is reading; stopping the runtime there would stop and
  // start it again at each of its reads.
  const big = 4 * READ_AHEAD;
  const bytes = (from: number, n: number) =>
    Uint8Array.from({ length: n }, (_, i) => (from + i) % 251);
  const p = new Uint8Array(1000);
  let got: number | null = -1;
  assertEquals(r.begin(p, (n) => got = n, () => {}, false), true);
  assertEquals(r.deliver(bytes(0, big), big, true), true);
  assertEquals(got, 1000);
  // Nobody reads now: this runtime read stops the reading.
  assertEquals(r.deliver(bytes(big, 10), 10, true), false);
  // Everything after the caller's 1,000 bytes is there, in order.
  const rest = new Uint8Array(big + 10 - 1000);
  assertEquals(r.take(rest), rest.length);
  assertEquals([...p, ...rest], [...bytes(0, big + 10)]);
  // The same through a chunk read (Bun's `readChunk`).
  let chunk: Uint8Array | null = null;
  assertEquals(r.beginChunk(1000, (c) => chunk = c, () => {}, false), true);
  assertEquals(r.deliver(bytes(0, big), big, true), true);
  assertEquals(chunk!.length, 1000);
  assertEquals(r.deliver(bytes(big, 10), 10, true), false);
});

test("PullRead: an error that comes after the end of stream is a writer's (reads say end of stream); one that comes before is the next read's, then the end", async () => {
  const { PullRead } = await import("../src/_backend/node/pull_read.ts");
  const read = (r: InstanceType<typeof PullRead>) =>
    new Promise<number | null>((resolve, reject) => {
      if (r.begin(new Uint8Array(10), resolve, reject, false)) {
        reject(new Error("the read waits"));
      }
    });
  const reset = new Error("EPIPE");
  // The peer's FIN, then a reset (Bun reports EPIPE after its 'end').
  const after = new PullRead();
  after.end();
  after.fail(reset);
  assertEquals(await read(after), null);
  assertEquals(await read(after), null);
  assertEquals(after.takeError(), reset);
  assertEquals(after.takeError(), null);
  // A reset before any end: the read fails with it once, then the end.
  const before = new PullRead();
  before.fail(reset);
  before.end();
  assertEquals(await read(before).catch((e) => e), reset);
  assertEquals(await read(before), null);
});

test("ConnDuplex (node:tls's transport): with freeChunks, a chunk that owns its buffer is freed once the connection took it; views and other runtimes' chunks are left alone", async () => {
  const { ConnDuplex } = await import("../src/_backend/node/tls_duplex.ts");
  const { listener, client, server } = await pair();
  const none = { buffered: [], inFlight: null };
  const write = (duplex: InstanceType<typeof ConnDuplex>, chunk: Uint8Array) =>
    new Promise<void>((resolve, reject) =>
      duplex.stream.write(chunk, (err) => err ? reject(err) : resolve())
    );
  try {
    const freeing = new ConnDuplex(client, none, true);
    const keeping = new ConnDuplex(client, none, false);
    const own = text("owned");
    const big = text("xxviewxx");
    const view = big.subarray(2, 6);
    const kept = text("kept!");
    await write(freeing, own);
    await write(freeing, view);
    await write(keeping, kept);
    // The peer got every byte, in order, before any memory was freed.
    assertEquals(str(await readExactly(server, 14)), "ownedviewkept!");
    assertEquals(own.buffer.byteLength, 0); // freed
    assertEquals(str(view), "view"); // a view of a larger buffer: not ours
    assertEquals(str(big), "xxviewxx");
    assertEquals(str(kept), "kept!"); // freeWrites off (Bun, Deno)
    freeing.stream.destroy();
    keeping.stream.destroy();
  } finally {
    closeAll(client, server, listener);
  }
});

test("ConnDuplex with pushMax (Deno's TLS): what the connection brings reaches TLS in pieces of at most pushMax bytes, every byte, in order", async () => {
  const { ConnDuplex } = await import("../src/_backend/node/tls_duplex.ts");
  const { listener, client, server } = await pair();
  // Three application-data records of 16,000 bytes (TLS framing, so that
  // the duplex hands every byte on rather than holding any back).
  const records = new Uint8Array(3 * (5 + 16000));
  for (let r = 0, at = 0; r < 3; r++) {
    records.set([23, 3, 3, 16000 >> 8, 16000 & 0xff], at);
    at += 5;
    for (let i = 0; i < 16000; i++) records[at + i] = (r * 7 + i) & 0xff;
    at += 16000;
  }
  const duplex = new ConnDuplex(
    client,
    { buffered: [], inFlight: null },
    false,
    16384,
  );
  try {
    const pieces: Uint8Array[] = [];
    let got = 0;
    const all = new Promise<void>((resolve) => {
      duplex.stream.on("data", (piece: Uint8Array) => {
        // Copied as it comes: the duplex reuses its read buffer.
        pieces.push(piece.slice());
        got += piece.length;
        if (got >= records.length) resolve();
      });
    });
    await writeAll(server, records);
    await all;
    assertEquals(pieces.every((p) => p.length <= 16384), true);
    const joined = new Uint8Array(got);
    let at = 0;
    for (const p of pieces) {
      joined.set(p, at);
      at += p.length;
    }
    assertEquals(joined, records);
  } finally {
    duplex.stream.destroy();
    closeAll(client, server, listener);
  }
});

test("PullRead with freeChunks: an owned chunk is freed once all its bytes were copied out, never before; views and borrowed chunks are left alone", async () => {
  const { PullRead } = await import("../src/_backend/node/pull_read.ts");
  const r = new PullRead(true);
  const read = (p: Uint8Array) =>
    new Promise<number | null>((resolve, reject) => {
      if (r.begin(p, resolve, reject, false)) return;
    });
  // Delivered to a read with room for all of it: copied, then freed.
  const p = new Uint8Array(8);
  const got = read(p);
  const whole = text("abc");
  r.deliver(whole, 3, true);
  assertEquals(await got, 3);
  assertEquals(str(p.subarray(0, 3)), "abc");
  assertEquals(whole.buffer.byteLength, 0);
  // Kept while nobody reads: whole until its last byte is taken.
  const kept = text("defghij");
  r.deliver(kept, 7, true);
  assertEquals(r.take(new Uint8Array(4)), 4);
  assertEquals(str(kept), "defghij");
  const rest = new Uint8Array(8);
  assertEquals(r.take(rest), 3);
  assertEquals(str(rest.subarray(0, 3)), "hij");
  assertEquals(kept.buffer.byteLength, 0);
  // A view of a larger buffer, and a chunk the runtime lends (not owned).
  const big = text("xxklmxx");
  r.deliver(big.subarray(2, 5), 3, true);
  const lent = text("nop");
  r.deliver(lent, 3, false);
  const out = new Uint8Array(8);
  assertEquals(r.take(out), 6);
  assertEquals(str(out.subarray(0, 6)), "klmnop");
  assertEquals(str(big), "xxklmxx");
  assertEquals(str(lent), "nop");
  // Without freeChunks (the default) nothing is freed.
  const plain = new PullRead();
  const mine = text("qrs");
  plain.deliver(mine, 3, true);
  assertEquals(plain.take(new Uint8Array(8)), 3);
  assertEquals(str(mine), "qrs");
});

test("PullRead chunk reads of memory the runtime reads into again (node:net's onread): each result, and each byte kept, is a copy of the given function's, of exactly the bytes that came", async () => {
  const { PullRead } = await import("../src/_backend/node/pull_read.ts");
  const copied: number[] = [];
  const r = new PullRead(false, (src, k) => {
    copied.push(k);
    return Uint8Array.prototype.slice.call(src, 0, k);
  });
  const readChunk = (max: number) =>
    new Promise<Uint8Array | null>((resolve, reject) => {
      assert(r.beginChunk(max, resolve, reject, false), "a runtime read");
    });
  const staging = new Uint8Array(16);
  const first = readChunk(4);
  staging.set(text("abcdefgh"));
  r.deliver(staging, 8, false);
  staging.fill(0); // the runtime reads into it again
  const got = (await first)!;
  assertEquals([str(got), got.constructor, got.length], [
    "abcd",
    Uint8Array,
    4,
  ]);
  assert(got.buffer !== staging.buffer);
  // What the caller had no room for was kept as a copy of the same
  // function's, and is handed over as it is.
  assertEquals(copied, [4, 4]);
  assertEquals(str(r.takeChunk(8)!), "efgh");
  assertEquals(copied, [4, 4]);
  // A read that waits gets exactly what came.
  const second = readChunk(64);
  staging.set(text("ij"));
  r.deliver(staging, 2, false);
  staging.fill(0);
  assertEquals(str((await second)!), "ij");
  assertEquals(copied, [4, 4, 2]);
  // Bytes that come while nobody reads are kept the same way.
  staging.set(text("klm"));
  r.deliver(staging, 3, false);
  staging.fill(0);
  assertEquals(copied, [4, 4, 2, 3]);
  assertEquals(str(r.takeChunk(8)!), "klm");
});

test("PullRead chunk reads (Bun, node:tls): the runtime's own memory is the result, as a plain Uint8Array, the rest kept; with freeChunks only what the caller released whole is freed", async () => {
  const { PullRead } = await import("../src/_backend/node/pull_read.ts");
  const r = new PullRead(true);
  const readChunk = (max: number) =>
    new Promise<Uint8Array | null>((resolve, reject) => {
      r.beginChunk(max, resolve, reject, false);
    });
  // A chunk read waiting: the delivered chunk itself, up to max.
  const memory = new ArrayBuffer(10);
  const runtime = new (class extends Uint8Array {})(memory); // a Buffer-like
  runtime.set(text("0123456789"));
  const first = readChunk(4);
  r.deliver(runtime, 10, true);
  const got = (await first)!;
  assertEquals(got.constructor, Uint8Array);
  assertEquals(got.buffer, memory); // the same memory, no copy
  assertEquals(str(got), "0123");
  // The rest was kept; taken as a chunk, then copied out: never freed (part
  // of the same memory is the caller's).
  const taken = r.takeChunk(3)!;
  assertEquals([str(taken), taken.buffer === memory], ["456", true]);
  const out = new Uint8Array(8);
  assertEquals(r.take(out), 3);
  assertEquals(str(out.subarray(0, 3)), "789");
  assertEquals(memory.byteLength, 10);
  assertEquals(str(got), "0123");
  // A chunk kept whole and handed out whole is not freed either.
  const whole = text("abc");
  r.deliver(whole, 3, true);
  assertEquals(str(r.takeChunk(8)!), "abc");
  assertEquals(whole.buffer.byteLength, 3);
  // Released by a caller that copied it out (recv_into): freed, with
  // freeChunks, when it is all of its memory; a part never.
  const lent = text("def");
  r.deliver(lent, 3, true);
  const all = r.takeChunk(8)!;
  r.release(all);
  assertEquals(lent.buffer.byteLength, 0);
  r.release(got);
  assertEquals(memory.byteLength, 10);
  const keeping = new PullRead();
  const kept = text("ghi");
  keeping.deliver(kept, 3, true);
  keeping.release(keeping.takeChunk(8)!);
  assertEquals(str(kept), "ghi");
  // Borrowed memory is copied; the end of stream is null.
  const borrowed = text("xyz");
  const next = readChunk(8);
  r.deliver(borrowed, 3, false);
  const copy = await next;
  assertEquals(str(copy!), "xyz");
  assert(copy!.buffer !== borrowed.buffer);
  const end = readChunk(8);
  r.end();
  assertEquals(await end, null);
  assertEquals(await readChunk(8), null);
});
