// Copyright the pysocket authors. MIT license.
// Non-blocking I/O made exact: a send that raised BlockingIOError sent no
// byte and a send that returned k sent exactly k (16 MiB through Real
// Python's "catch BlockingIOError, send the rest later" client to a slow
// Python reader, byte for byte); a small send to an idle connection never
// raises; recv/accept/recvfrom raise BlockingIOError and lose nothing;
// connect raises EINPROGRESS, then writability and SO_ERROR tell the
// outcome.

import { assert, assertEquals, assertRejects } from "@std/assert";
import * as socket from "../mod.ts";
import * as select from "../select.ts";
import * as selectors from "../selectors.ts";
import { KINDS, listener, pair } from "./_kinds.ts";
import {
  Child,
  closeAll,
  freePort,
  noPython,
  pythonJson,
  remove,
  sleep,
  test,
} from "./_util.ts";

const noPy = await noPython();

const MiB = 1024 * 1024;

/** The block the stream pattern repeats: a prime length, so it never lines up with buffer sizes. */
const PERIOD = 65521;

/**
 * Connection `c`'s stream: byte `i` is `(i % PERIOD * 31 + c) % 251`, so
 * the first byte names the connection and every offset is told apart.
 */
function streamPattern(c: number, n: number): Uint8Array {
  const block = new Uint8Array(PERIOD);
  for (let j = 0; j < PERIOD; j++) block[j] = (j * 31 + c) % 251;
  const out = new Uint8Array(n);
  for (let at = 0; at < n; at += PERIOD) {
    out.set(block.subarray(0, Math.min(PERIOD, n - at)), at);
  }
  return out;
}

/**
 * A Python server that reads slowly: it waits before its first read (so
 * the sender's buffers fill up), then reads 64 KB at a time with a pause
 * after each, checks every byte against the pattern, and prints one JSON
 * line per connection.
 */
const SLOW_READER = `
import json, socket, sys, threading, time
PERIOD = 65521
srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen(64)
print(srv.getsockname()[1], flush=True)
conns = int(sys.argv[1])
lock = threading.Lock()
def serve(conn):
    # Still while the senders fill both kernel buffers (up to ~10 MB on
    # loopback), so that the eager ones meet a full one even on a slow,
    # busy machine (0.4 s was not always enough for Bun on two cores).
    time.sleep(1.5)
    total, bad, c, block = 0, -1, None, None
    while True:
        data = conn.recv(60000)
        if not data:
            break
        if c is None:
            c = data[0]
            block = bytes((j * 31 + c) % 251 for j in range(PERIOD)) * 2
        off = total % PERIOD
        if bad < 0 and data != block[off:off + len(data)]:
            for k in range(len(data)):
                if data[k] != block[(total + k) % PERIOD]:
                    bad = total + k
                    break
        total += len(data)
        time.sleep(0.001)
    conn.close()
    with lock:
        print(json.dumps({"conn": c, "bytes": total, "bad": bad}), flush=True)
threads = []
for _ in range(conns):
    conn, _ = srv.accept()
    t = threading.Thread(target=serve, args=(conn,))
    t.start()
    threads.append(t)
for t in threads:
    t.join()
`;

/**
 * Sends `messages` on a non-blocking socket without asking first: a send
 * that raises BlockingIOError sent nothing, so the same bytes go again
 * once select() says the socket is writable.
 */
async function sendEagerly(
  sock: socket.Socket,
  messages: Uint8Array[],
): Promise<number> {
  let blocked = 0;
  let outb: Uint8Array = new Uint8Array();
  while (outb.length || messages.length) {
    if (!outb.length) outb = messages.shift()!;
    try {
      const sent = await sock.send(outb);
      outb = outb.subarray(sent);
    } catch (err) {
      if (!(err instanceof socket.BlockingIOError)) throw err;
      assertEquals(err.message, "[Errno 11] Resource temporarily unavailable");
      blocked++;
      await select.select([], [sock], [], 10);
    }
  }
  sock.close(); // what is queued still goes out
  return blocked;
}

test(
  "non-blocking send(): 4 × 4 MiB per connection to a slow Python reader arrive byte for byte, sent Real Python's way (on EVENT_WRITE) and eagerly (catch BlockingIOError, send the rest later)",
  async () => {
    const CONNS = 6;
    const TOTAL = 16 * MiB;
    await using reader = new Child(
      "python3",
      ["-u", "-c", SLOW_READER, String(CONNS)],
      { timeoutMs: 120_000 },
    );
    const [, port] = await reader.waitFor("stdout", /^(\d+)\n/);
    const all: socket.Socket[] = [];
    const messagesOf = (c: number) => {
      const stream = streamPattern(c, TOTAL);
      return [0, 1, 2, 3].map((k) =>
        stream.subarray(k * 4 * MiB, (k + 1) * 4 * MiB)
      );
    };
    for (let c = 1; c <= CONNS; c++) {
      const sock = socket.socket();
      all.push(sock);
      await sock.connect(["127.0.0.1", Number(port)]);
      sock.setblocking(false);
    }
    // Connections 4 to 6: eager sends.
    const eager = Promise.all(
      all.slice(3).map((sock, i) => sendEagerly(sock, messagesOf(i + 4))),
    );
    // Connections 1 to 3: Real Python's selector loop, sending on EVENT_WRITE
    // (and catching BlockingIOError as its libclient does).
    using sel = new selectors.DefaultSelector<
      { messages: Uint8Array[]; outb: Uint8Array },
      socket.Socket
    >();
    for (let c = 1; c <= 3; c++) {
      sel.register(all[c - 1], selectors.EVENT_WRITE, {
        messages: messagesOf(c),
        outb: new Uint8Array(),
      });
    }
    let sends = 0;
    while (sel.get_map()!.size > 0) {
      for (const [key] of await sel.select(10)) {
        const data = key.data;
        if (!data.outb.length && data.messages.length) {
          data.outb = data.messages.shift()!;
        }
        if (data.outb.length) {
          try {
            // Should be ready to write
            const sent = await key.fileobj.send(data.outb);
            sends++;
            data.outb = data.outb.subarray(sent);
          } catch (err) {
            // Resource temporarily unavailable (errno EWOULDBLOCK)
            if (!(err instanceof socket.BlockingIOError)) throw err;
          }
        }
        if (!data.outb.length && !data.messages.length) {
          sel.unregister(key.fileobj);
          key.fileobj.close(); // what is queued still goes out
        }
      }
    }
    const blocked = (await eager).reduce((x, y) => x + y, 0);
    const { code, stdout, stderr } = await reader.exit();
    assertEquals(code, 0, stderr);
    const results = stdout.trim().split("\n").slice(1).map((l) => JSON.parse(l))
      .sort((x, y) => x.conn - y.conn);
    assertEquals(
      results,
      Array.from({ length: CONNS }, (_, i) => ({
        conn: i + 1,
        bytes: TOTAL,
        bad: -1,
      })),
    );
    // The eager senders met a full buffer: BlockingIOError, with nothing
    // sent, is what made them exact.
    assert(blocked > 0, "the eager senders never met a full buffer");
    assert(sends > 0);
    await closeAll(...all);
  },
  { ignore: noPy, timeout: 120_000 },
);

for (const kind of ["tcp", "unix"] as const) {
  test(`non-blocking and timed send() on ${kind} take the bytes as they are at the call: the caller may fill its buffer again at once`, async () => {
    await using p = await pair(kind);
    const buf = new Uint8Array(4096);
    const sent: [number, number][] = [];
    let total = 0;
    let full = false;
    // Until the kernel's buffers and pysocket's are full (at most 16 MiB).
    p.a.setblocking(false);
    for (let i = 0; i < 4096; i++) {
      buf.fill(i % 251);
      let n: number;
      try {
        n = await p.a.send(buf);
      } catch (err) {
        if (!(err instanceof socket.BlockingIOError)) throw err;
        full = true;
        break;
      }
      sent.push([i % 251, n]);
      total += n;
      buf.fill(255);
    }
    assert(full, `${total} bytes sent and never BlockingIOError`);
    // A timed send to the full connection, then one that finds room.
    p.a.settimeout(0.05);
    buf.fill(252);
    await assertRejects(() => p.a.send(buf), socket.TimeoutError);
    const reading = (async () => {
      const got = new Uint8Array(total + 4096);
      let at = 0;
      while (at < got.length) {
        const chunk = await p.b.recv(65536);
        if (chunk.length === 0) break;
        got.set(chunk, at);
        at += chunk.length;
      }
      return got.subarray(0, at);
    })();
    p.a.settimeout(5);
    buf.fill(253);
    const last = await p.a.send(buf);
    sent.push([253, last]);
    buf.fill(255);
    await p.a.shutdown(socket.SHUT_WR);
    const got = await reading;
    let at = 0;
    for (const [value, n] of sent) {
      for (let j = 0; j < n; j++) {
        if (got[at + j] !== value) {
          throw new Error(`byte ${at + j}: ${got[at + j]}, sent ${value}`);
        }
      }
      at += n;
    }
    assertEquals(got.length, at);
  });
}

test("non-blocking send() of 22 bytes to an idle connected socket succeeds on each of 300 connections (never BlockingIOError)", async () => {
  using server = socket.socket();
  server.bind(["127.0.0.1", 0]);
  server.listen(512);
  const address = server.getsockname();
  const message = new TextEncoder().encode("Message 1 from client.");
  assertEquals(message.length, 22);
  const clients: socket.Socket[] = [];
  const accepted: socket.Socket[] = [];
  const accepting = (async () => {
    while (accepted.length < 300) accepted.push((await server.accept())[0]);
  })();
  try {
    using sel = new selectors.DefaultSelector<number, socket.Socket>();
    for (let i = 0; i < 300; i++) {
      const sock = socket.socket();
      clients.push(sock);
      sock.setblocking(false);
      // Real Python's client: connect_ex, then writability says it is up.
      assertEquals(await sock.connect_ex(address), 115);
      sel.register(sock, selectors.EVENT_WRITE, i);
    }
    let sent = 0;
    while (sel.get_map()!.size > 0) {
      for (const [key, mask] of await sel.select(10)) {
        assertEquals(mask, selectors.EVENT_WRITE);
        assertEquals(
          key.fileobj.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR),
          0,
        );
        assertEquals(await key.fileobj.send(message), 22);
        sent++;
        sel.unregister(key.fileobj);
      }
    }
    assertEquals(sent, 300);
    // And the same, sending at once after a blocking connect.
    for (const sock of clients.slice(0, 100)) {
      assertEquals(await sock.send(message), 22);
    }
    await accepting;
    // Every byte arrived: twice the message from the first 100, once from
    // the others.
    const twice = new Set(
      clients.slice(0, 100).map((c) => String(c.getsockname())),
    );
    for (const conn of accepted) {
      conn.settimeout(10);
      const want = twice.has(String(conn.getpeername())) ? 2 : 1;
      const got: number[] = [];
      while (got.length < 22 * want) got.push(...await conn.recv(64));
      assertEquals(
        new Uint8Array(got),
        new Uint8Array(Array(want).fill([...message]).flat()),
      );
    }
  } finally {
    await closeAll(...clients, ...accepted);
  }
});

for (const kind of KINDS) {
  test(`non-blocking recv() on ${kind}: BlockingIOError [Errno 11] when nothing is there, and nothing is lost`, async () => {
    await using p = await pair(kind);
    p.a.setblocking(false);
    for (let i = 0; i < 3; i++) {
      const err = await p.a.recv(100).then(() => null, (e) => e);
      assert(err instanceof socket.BlockingIOError, String(err));
      assertEquals(err.errno, 11);
      assertEquals(err.message, "[Errno 11] Resource temporarily unavailable");
    }
    await p.b.sendall(new Uint8Array([1, 2, 3, 4]));
    await select.select([p.a], [], [], 5);
    assertEquals(await p.a.recv(100), new Uint8Array([1, 2, 3, 4]));
    // MSG_DONTWAIT on a blocking socket is the same.
    p.a.setblocking(true);
    await assertRejects(
      () => p.a.recv(100, socket.MSG_DONTWAIT),
      socket.BlockingIOError,
      "[Errno 11] Resource temporarily unavailable",
    );
    await p.b.sendall(new Uint8Array([5]));
    assertEquals(await p.a.recv(100), new Uint8Array([5]));
  });
}

for (const kind of KINDS) {
  test(`non-blocking recv() on ${kind} gets what arrived before the call (no BlockingIOError)`, async () => {
    await using p = await pair(kind);
    p.a.setblocking(false);
    for (let i = 0; i < 5; i++) {
      await p.b.sendall(new Uint8Array([i, i]));
      await sleep(30);
      assertEquals(await p.a.recv(10), new Uint8Array([i, i]));
    }
  });
}

/** Rounds of each check: one miss in them fails the test. */
const ROUNDS = 40;

for (const kind of KINDS) {
  test(`bytes sent before the call are seen at once on ${kind}: non-blocking recv(), select(…, 0), poll(0), a selector's select(0), recv() with a 1 ms timeout (${ROUNDS} rounds each)`, async () => {
    // On loopback the kernel has the bytes when the peer's send returns:
    // CPython's calls see them every time. (Deno polls the kernel only once
    // in 61 ticks of its scheduler when it is never idle, so one turn of the
    // event loop did not see them there: 189 of 200 non-blocking recv()
    // calls and 100 of 200 select(…, 0) calls raised or came back empty.)
    await using p = await pair(kind);
    const missed: string[] = [];
    const one = (i: number) => new Uint8Array([i]);
    const check = async (name: string, look: () => Promise<boolean>) => {
      for (let i = 0; i < ROUNDS; i++) {
        await p.a.send(one(i));
        if (!await look()) missed.push(`${name} #${i}`);
        // What was not seen is read with a wait, so the next round starts
        // from an empty socket.
        p.b.settimeout(5);
        assertEquals(await p.b.recv(10), one(i), `${name} #${i}`);
      }
    };
    await check("non-blocking recv()", async () => {
      p.b.setblocking(false);
      try {
        const got = await p.b.recv(10);
        assertEquals(got, one(got[0]));
        await p.a.send(got); // the round's recv() reads it again
        return true;
      } catch (e) {
        if (!(e instanceof socket.BlockingIOError)) throw e;
        return false;
      }
    });
    await check("select(…, 0)", async () => {
      const [r] = await select.select([p.b], [], [], 0);
      return r.length === 1;
    });
    const poller = select.poll();
    poller.register(p.b, select.POLLIN);
    await check("poll(0)", async () => (await poller.poll(0)).length === 1);
    using sel = new selectors.DefaultSelector();
    sel.register(p.b, selectors.EVENT_READ);
    await check("DefaultSelector.select(0)", async () => {
      return (await sel.select(0)).length === 1;
    });
    sel.unregister(p.b);
    await check("recv() with a 1 ms timeout", async () => {
      p.b.settimeout(0.001);
      try {
        const got = await p.b.recv(10);
        await p.a.send(got);
        return true;
      } catch (e) {
        if (!(e instanceof socket.TimeoutError)) throw e;
        return false;
      }
    });
    assertEquals(missed, []);
  });
}

/**
 * What the calls right after a non-blocking connect() to loopback see, as
 * CPython on Linux sees it: the kernel has connected (or been refused) by
 * the time connect() answers EINPROGRESS.
 */
const AFTER_NONBLOCKING_CONNECT = [
  "refused: 115, SO_ERROR 111",
  "listening: 115, SO_ERROR 0, peer 127.0.0.1, send 1",
  "connect(): [Errno 115] Operation now in progress",
  "connect_ex() again: 0",
  "connect_ex() once more: 106",
];

test("the calls right after a non-blocking connect() see what the kernel did: SO_ERROR 111 when refused, getpeername() and send() when connected, then 0 and EISCONN", async () => {
  using server = socket.socket();
  server.bind(["127.0.0.1", 0]);
  server.listen();
  const seen: string[] = [];
  for (let i = 0; i < 10; i++) {
    using refused = socket.socket();
    refused.setblocking(false);
    const e = await refused.connect_ex(["127.0.0.1", 1]);
    const err = refused.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR);
    seen.push(`refused: ${e}, SO_ERROR ${err}`);
    using c = socket.socket();
    c.setblocking(false);
    const e2 = await c.connect_ex(server.getsockname());
    const err2 = c.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR);
    const peer = (c.getpeername() as socket.IPv4Address)[0];
    const sent = await c.send(new Uint8Array([1]));
    seen.push(`listening: ${e2}, SO_ERROR ${err2}, peer ${peer}, send ${sent}`);
    (await server.accept())[0].close();
  }
  using s = socket.socket();
  s.setblocking(false);
  const err = await assertRejects(
    () => s.connect(server.getsockname()),
    socket.BlockingIOError,
  );
  seen.push(`connect(): ${err.message}`);
  seen.push(`connect_ex() again: ${await s.connect_ex(server.getsockname())}`);
  seen.push(
    `connect_ex() once more: ${await s.connect_ex(server.getsockname())}`,
  );
  (await server.accept())[0].close();
  assertEquals([...new Set(seen)], AFTER_NONBLOCKING_CONNECT);
});

test(
  "python3: the calls right after a non-blocking connect() as above",
  async () => {
    const python = await pythonJson(
      `import json, socket as S
server = S.socket(); server.bind(("127.0.0.1", 0)); server.listen()
seen = []
for i in range(10):
    r = S.socket(); r.setblocking(False); e = r.connect_ex(("127.0.0.1", 1))
    seen.append(f"refused: {e}, SO_ERROR {r.getsockopt(S.SOL_SOCKET, S.SO_ERROR)}")
    c = S.socket(); c.setblocking(False); e2 = c.connect_ex(server.getsockname())
    err2 = c.getsockopt(S.SOL_SOCKET, S.SO_ERROR)
    seen.append(f"listening: {e2}, SO_ERROR {err2}, peer {c.getpeername()[0]}, send {c.send(bytes([1]))}")
    server.accept()[0].close(); r.close(); c.close()
s = S.socket(); s.setblocking(False)
try: s.connect(server.getsockname())
except BlockingIOError as e: seen.append(f"connect(): {e}")
seen.append(f"connect_ex() again: {s.connect_ex(server.getsockname())}")
seen.append(f"connect_ex() once more: {s.connect_ex(server.getsockname())}")
print(json.dumps(list(dict.fromkeys(seen))))`,
      null,
    );
    assertEquals(python, AFTER_NONBLOCKING_CONNECT);
  },
  { ignore: noPy },
);

test("non-blocking accept() gets a connection that arrived just before the call (40 rounds)", async () => {
  using server = socket.socket();
  server.bind(["127.0.0.1", 0]);
  server.listen(64);
  server.setblocking(false);
  const missed: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    using client = socket.socket();
    await client.connect(server.getsockname());
    try {
      const [conn, addr] = await server.accept();
      assertEquals(addr, client.getsockname());
      conn.close();
    } catch (e) {
      if (!(e instanceof socket.BlockingIOError)) throw e;
      missed.push(i);
      await select.select([server], [], [], 5);
      (await server.accept())[0].close();
    }
  }
  assertEquals(missed, []);
});

test("non-blocking accept() gets a connection that arrived before the call", async () => {
  using server = socket.socket();
  server.bind(["127.0.0.1", 0]);
  server.listen();
  server.setblocking(false);
  using client = socket.socket();
  await client.connect(server.getsockname());
  await sleep(30);
  const [conn, addr] = await server.accept();
  assertEquals(addr, client.getsockname());
  conn.close();
});

test("non-blocking recvfrom() on UDP: BlockingIOError, then the datagram and its sender", async () => {
  using a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  a.bind(["127.0.0.1", 0]);
  a.setblocking(false);
  await assertRejects(
    () => a.recvfrom(100),
    socket.BlockingIOError,
    "[Errno 11] Resource temporarily unavailable",
  );
  using b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  b.bind(["127.0.0.1", 0]);
  await b.sendto(new Uint8Array([9, 9]), a.getsockname());
  await select.select([a], [], [], 5);
  const [data, from] = await a.recvfrom(100);
  assertEquals([data, from], [new Uint8Array([9, 9]), b.getsockname()]);
});

for (const kind of ["tcp", "unix"] as const) {
  test(`non-blocking accept() on ${kind}: BlockingIOError, then the connection that arrives`, async () => {
    const { server, address, dir } = await listener(kind);
    try {
      server.setblocking(false);
      await assertRejects(
        () => server.accept(),
        socket.BlockingIOError,
        "[Errno 11] Resource temporarily unavailable",
      );
      using client = socket.socket<number>(
        kind === "tcp" ? socket.AF_INET : socket.AF_UNIX,
      );
      await client.connect(address);
      await select.select([server], [], [], 5);
      const [conn, addr] = await server.accept();
      assertEquals(addr, kind === "tcp" ? client.getsockname() : "");
      await client.sendall(new Uint8Array([3]));
      assertEquals(await conn.recv(1), new Uint8Array([3]));
      conn.close();
    } finally {
      await closeAll(server);
      if (dir !== undefined) await remove(dir, { recursive: true });
    }
  });
}

test("non-blocking connect(): [Errno 115] Operation now in progress, then writable and SO_ERROR 0", async () => {
  using server = socket.socket();
  server.bind(["127.0.0.1", 0]);
  server.listen();
  using s = socket.socket();
  s.setblocking(false);
  await assertRejects(
    () => s.connect(server.getsockname()),
    socket.BlockingIOError,
    "[Errno 115] Operation now in progress",
  );
  const [, w] = await select.select([], [s], [], 5);
  assertEquals(w, [s]);
  assertEquals(s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR), 0);
  assertEquals(await s.send(new Uint8Array([1, 2])), 2);
  const [conn] = await server.accept();
  conn.settimeout(5);
  assertEquals(await conn.recv(10), new Uint8Array([1, 2]));
  conn.close();
});

test("non-blocking connect() to a closed port: 115, then readable and writable, SO_ERROR 111", async () => {
  const port = freePort();
  using s = socket.socket();
  s.setblocking(false);
  assertEquals(await s.connect_ex(["127.0.0.1", port]), 115);
  const [r, w] = await select.select([s], [s], [], 5);
  assertEquals([r, w], [[s], [s]]);
  assertEquals(s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR), 111);
  // Read once, as on Linux.
  assertEquals(s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR), 0);
});

test(
  "non-blocking connect() to a closed port, as python3 sees it: the same numbers",
  async () => {
    const port = freePort();
    const child = new Child("python3", [
      "-c",
      `import select, socket
s = socket.socket(); s.setblocking(False)
print(s.connect_ex(("127.0.0.1", ${port})))
r, w, _ = select.select([s], [s], [], 5)
print(len(r), len(w), s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR))`,
    ]);
    const { stdout } = await child.exit();
    assertEquals(stdout, "115\n1 1 111\n");
  },
  { ignore: noPy },
);
