// Copyright the pysocket authors. MIT license.
// Buffers a JS program takes away while a call holds them: detached
// (`ArrayBuffer.prototype.transfer`) or shrunk under a view (a resizable
// `ArrayBuffer`). Python cannot (`BufferError: Existing exports of data:
// object cannot be re-sized`), so there is no exact twin: no call crashes
// the process, hangs, loses or repeats a byte; a buffer that is gone is
// Python's released memoryview (`ValueError: operation forbidden on
// released memoryview object`, or the `TypeError` of an argument that must
// be writable). A `SharedArrayBuffer` is bytes, as an `ArrayBuffer` is.

import { assert, assertEquals, assertInstanceOf } from "@std/assert";
import * as socket from "../mod.ts";
import { BytesIO } from "../socketserver.ts";
import { select } from "../select.ts";
import {
  b,
  bounded,
  closeAll,
  plainPair,
  sleep,
  str,
  type TcpSocket,
  test,
} from "./_util.ts";
import { loopbackTls, tlsTest } from "./_certs.ts";

const RELEASED = "operation forbidden on released memoryview object";

/** ES2024's buffer methods, which not every lib this compiles with has. */
interface Transferable {
  transfer(): ArrayBuffer;
}
interface Resizable extends ArrayBuffer {
  resize(n: number): void;
}

/** A resizable `ArrayBuffer` of `n` bytes (up to 64). */
function resizable(n: number): Resizable {
  const make = ArrayBuffer as unknown as new (
    n: number,
    options: { maxByteLength: number },
  ) => Resizable;
  return new make(n, { maxByteLength: 64 });
}

/**
 * Takes `buffer`'s memory away from it (and from its views); returns the
 * buffer that has it now (kept alive where a runtime may still be writing
 * from that memory).
 */
function detach(buffer: ArrayBufferLike): ArrayBuffer {
  return (buffer as unknown as Transferable).transfer();
}

/**
 * The ways a 16-byte buffer can go while a call holds it: `view` is what
 * the call gets, `release()` takes its memory away.
 */
const RELEASES: {
  name: string;
  make(): { view: ArrayBufferView; release(): void };
}[] = [
  {
    name: "Uint8Array, detached",
    make() {
      const ab = new ArrayBuffer(16);
      return { view: new Uint8Array(ab), release: () => detach(ab) };
    },
  },
  {
    name: "Uint16Array at an offset, detached",
    make() {
      const ab = new ArrayBuffer(16);
      return { view: new Uint16Array(ab, 2, 4), release: () => detach(ab) };
    },
  },
  {
    name: "fixed-length view of a resizable buffer shrunk below it",
    make() {
      const ab = resizable(16);
      return { view: new Uint8Array(ab, 0, 16), release: () => ab.resize(2) };
    },
  },
  {
    name: "length-tracking view of a resizable buffer shrunk to nothing",
    make() {
      const ab = resizable(16);
      return { view: new Uint8Array(ab), release: () => ab.resize(0) };
    },
  },
];

/** A fixed-length view of a resizable buffer shrunk below it. */
function outOfBounds(): Uint8Array {
  const ab = resizable(8);
  const view = new Uint8Array(ab, 4, 4);
  ab.resize(2);
  return view;
}

/** A `Uint8Array` whose buffer was transferred away. */
function detached(): Uint8Array {
  const ab = new ArrayBuffer(4);
  const view = new Uint8Array(ab);
  detach(ab);
  return view;
}

/** What `p` rejects with (it must reject within 3 s). */
async function rejection(p: Promise<unknown>, what: string): Promise<Error> {
  const got = await bounded(
    p.then((v) => ({ value: v }), (err: Error) => ({ err })),
    3000,
    what,
  );
  if (!("err" in got)) {
    throw new Error(`${what} resolved to ${got.value}, expected to reject`);
  }
  return got.err;
}

function assertReleased(err: unknown): void {
  assertInstanceOf(err, socket.ValueError);
  assertEquals((err as Error).message, RELEASED);
}

function assertNotWritable(err: unknown, fn: string, arg = ""): void {
  assertInstanceOf(err, TypeError);
  assertEquals(
    (err as Error).message,
    `${fn}() argument ${arg}must be read-write bytes-like object, not memoryview`,
  );
}

/** A connected pair, both ends with a 2 s timeout. */
async function timedPair(): Promise<[TcpSocket, TcpSocket]> {
  const [client, conn] = await plainPair();
  client.settimeout(2);
  conn.settimeout(2);
  return [client, conn];
}

/** The stream goes on: no false end of stream, nothing lost. */
async function assertGoesOn(
  client: socket.Socket,
  conn: socket.Socket,
): Promise<void> {
  await conn.sendall(b("world"));
  assertEquals(str(await client.recv(100)), "world");
}

for (const release of RELEASES) {
  test(`recv_into() whose buffer goes while it waits raises ValueError; the bytes stay for the next call (${release.name})`, async () => {
    const [client, conn] = await timedPair();
    try {
      const { view, release: go } = release.make();
      const p = client.recv_into(view);
      // (Handled at once: it may reject while the sends below are awaited.)
      const rejected = rejection(p, "recv_into");
      await sleep(20);
      go();
      await conn.sendall(b("hello"));
      assertReleased(await rejected);
      assertEquals(str(await client.recv(100)), "hello");
      await assertGoesOn(client, conn);
    } finally {
      await closeAll(client, conn);
    }
  });
}

test("recv_into() of a blocking socket whose buffer is detached while it waits raises ValueError; the bytes stay", async () => {
  const [client, conn] = await plainPair();
  try {
    const ab = new ArrayBuffer(16);
    const p = client.recv_into(new Uint8Array(ab));
    // (Handled at once: it may reject while the sends below are awaited.)
    const rejected = rejection(p, "recv_into");
    await sleep(20);
    detach(ab);
    await conn.sendall(b("hello"));
    assertReleased(await rejected);
    client.settimeout(2);
    assertEquals(str(await client.recv(100)), "hello");
    await assertGoesOn(client, conn);
  } finally {
    await closeAll(client, conn);
  }
});

test("recvfrom_into() on a stream whose buffer is detached while it waits raises ValueError; the bytes stay", async () => {
  const [client, conn] = await timedPair();
  try {
    const ab = new ArrayBuffer(16);
    const p = client.recvfrom_into(new Uint8Array(ab));
    // (Handled at once: it may reject while the sends below are awaited.)
    const rejected = rejection(p, "recvfrom_into");
    await sleep(20);
    detach(ab);
    await conn.sendall(b("hello"));
    assertReleased(await rejected);
    assertEquals(str(await client.recv(100)), "hello");
  } finally {
    await closeAll(client, conn);
  }
});

/**
 * Starts a read ahead on `s` (a select() that finds nothing): what it
 * brings is more than the first waiting call takes, and the next is served
 * from what is buffered.
 */
async function readAhead(s: socket.Socket): Promise<void> {
  assertEquals((await select([s], [], [], 0))[0].length, 0);
}

test("recv_into() waiting behind another, its buffer detached, raises ValueError when served from what is buffered", async () => {
  const [client, conn] = await timedPair();
  try {
    await readAhead(client);
    const first = new Uint8Array(2);
    const ab = new ArrayBuffer(16);
    const p1 = client.recv_into(first);
    const p2 = client.recv_into(new Uint8Array(ab));
    // (Handled at once: it may reject while the sends below are awaited.)
    const p2Rejected = rejection(p2, "second recv_into");
    await sleep(20);
    detach(ab);
    await conn.sendall(b("hello"));
    assertEquals(await bounded(p1, 3000, "first recv_into"), 2);
    assertEquals(str(first), "he");
    assertReleased(await p2Rejected);
    assertEquals(str(await client.recv(100)), "llo");
    await assertGoesOn(client, conn);
  } finally {
    await closeAll(client, conn);
  }
});

test("recv_into() whose length-tracking buffer shrinks while it waits gets what still fits; the rest stays", async () => {
  const [client, conn] = await timedPair();
  try {
    // Served by the read itself.
    const ab = resizable(16);
    const view = new Uint8Array(ab);
    const p = client.recv_into(view);
    await sleep(20);
    ab.resize(2);
    await conn.sendall(b("hello"));
    assertEquals(await bounded(p, 3000, "recv_into"), 2);
    assertEquals(str(view), "he");
    assertEquals(str(await client.recv(100)), "llo");
    // Served from what is buffered, behind another call.
    await readAhead(client);
    const first = new Uint8Array(2);
    const ab2 = resizable(16);
    const view2 = new Uint8Array(ab2);
    const p1 = client.recv_into(first);
    const p2 = client.recv_into(view2);
    await sleep(20);
    ab2.resize(2);
    await conn.sendall(b("HELLO"));
    assertEquals(await bounded(p1, 3000, "first recv_into"), 2);
    assertEquals(await bounded(p2, 3000, "second recv_into"), 2);
    assertEquals(str(first) + str(view2), "HELL");
    assertEquals(str(await client.recv(100)), "O");
  } finally {
    await closeAll(client, conn);
  }
});

test("recv_into() whose length-tracking buffer grows while it waits takes no more than it asked for; the rest stays", async () => {
  const [client, conn] = await timedPair();
  try {
    // (Python's buffer cannot be resized while recv_into() holds it: the
    // call asked for its length then, and returns at most that.)
    const ab = resizable(4);
    const view = new Uint8Array(ab);
    const p = client.recv_into(view);
    await sleep(20);
    ab.resize(10);
    await conn.sendall(b("hello world"));
    assertEquals(await bounded(p, 3000, "recv_into"), 4);
    assertEquals(str(view.subarray(0, 4)), "hell");
    assertEquals(str(await client.recv(100)), "o world");
  } finally {
    await closeAll(client, conn);
  }
});

test("send(), sendall() and recv_into() whose buffer is detached while they wait for the connection raise ValueError", async () => {
  for (const call of ["send", "sendall", "recv_into"] as const) {
    const server = socket.socket();
    server.bind(["127.0.0.1", 0]);
    server.listen();
    const client = socket.socket();
    client.settimeout(2);
    try {
      const connecting = client.connect(server.getsockname());
      const ab = new ArrayBuffer(4);
      const view = new Uint8Array(ab);
      const p = call === "recv_into"
        ? client.recv_into(view)
        : client[call](view);
      // (Handled at once: it may reject while the sends below are awaited.)
      const rejected = rejection(p, call);
      detach(ab);
      await connecting;
      assertReleased(await rejected);
    } finally {
      await closeAll(client, server);
    }
  }
});

test("makefile('rb', buffering=0).readinto() whose buffer is detached while it waits raises ValueError; the bytes stay", async () => {
  const [client, conn] = await timedPair();
  const f = client.makefile("rb", 0);
  try {
    const ab = new ArrayBuffer(16);
    const p = f.readinto(new Uint8Array(ab));
    // (Handled at once: it may reject while the sends below are awaited.)
    const rejected = rejection(p, "readinto");
    await sleep(20);
    detach(ab);
    await conn.sendall(b("hello"));
    assertReleased(await rejected);
    assertEquals(str(await client.recv(100)), "hello");
  } finally {
    await f.close();
    await closeAll(client, conn);
  }
});

test("makefile('rb').readinto() whose buffer is detached while it waits raises ValueError; the bytes stay for the next read", async () => {
  const [client, conn] = await timedPair();
  const f = client.makefile("rb");
  try {
    // Small (filled through the file's buffer) and large (read straight
    // into the caller's buffer) reads.
    for (const size of [16, 65536 * 4]) {
      const ab = new ArrayBuffer(size);
      const p = f.readinto(new Uint8Array(ab));
      // (Handled at once: it may reject while the sends below are awaited.)
      const rejected = rejection(p, `readinto(${size})`);
      await sleep(20);
      detach(ab);
      await conn.sendall(b("hello"));
      assertReleased(await rejected);
      assertEquals(str(await f.read1(100)), "hello", `read1 after ${size}`);
    }
  } finally {
    await f.close();
    await closeAll(client, conn);
  }
});

tlsTest(
  "SSLSocket.recv_into() and read(n, buffer) whose buffer is detached while they wait raise ValueError; the bytes stay",
  async () => {
    const [client, server] = await loopbackTls(2);
    try {
      for (const call of ["recv_into", "read"] as const) {
        const ab = new ArrayBuffer(16);
        const view = new Uint8Array(ab);
        const p = call === "read"
          ? client.read(16, view)
          : client.recv_into(view);
        // (Handled before the bytes come: the rejection may come first.)
        const rejected = rejection(p, call);
        await sleep(50);
        detach(ab);
        await server.sendall(b("hello"));
        assertReleased(await rejected);
        assertEquals(str(await client.recv(100)), "hello");
      }
    } finally {
      await closeAll(client, server);
    }
  },
);

test("datagram recv_into() and recvfrom_into() whose buffer is detached while they wait raise ValueError; the datagram stays, in order", async () => {
  for (const call of ["recv_into", "recvfrom_into"] as const) {
    const a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
    const s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
    try {
      a.bind(["127.0.0.1", 0]);
      a.settimeout(2);
      const ab = new ArrayBuffer(16);
      const p = a[call](new Uint8Array(ab));
      // (Handled at once: it may reject while the sends below are awaited.)
      const rejected = rejection(p, call);
      await sleep(20);
      detach(ab);
      await s.sendto(b("one"), a.getsockname());
      await s.sendto(b("two"), a.getsockname());
      assertReleased(await rejected);
      const [one, from] = await a.recvfrom(100);
      assertEquals(str(one), "one");
      assertEquals((from as [string, number])[1], s.getsockname()[1]);
      assertEquals(str(await a.recv(100)), "two");
    } finally {
      await closeAll(a, s);
    }
  }
});

/** All `s` receives until end of stream: its length and its last bytes. */
async function drain(
  s: socket.Socket,
): Promise<{ total: number; tail: string; allA: boolean }> {
  let total = 0;
  let last = new Uint8Array(0);
  let allA = true;
  for (;;) {
    const chunk = await s.recv(1 << 20);
    if (chunk.length === 0) break;
    total += chunk.length;
    // Every byte but the final "TAIL" is an "A".
    if (last.length > 0 && last.some((x) => x !== 65)) allA = false;
    last = chunk;
  }
  const tail = str(last.subarray(-4));
  if (last.subarray(0, -4).some((x) => x !== 65)) allA = false;
  return { total, tail, allA };
}

const BIG = 8 << 20;

for (const call of ["sendall", "send"] as const) {
  test(
    `blocking ${call}() whose buffer is detached while it is written settles, and later sends go out after it`,
    async () => {
      const [client, conn] = await plainPair();
      conn.settimeout(5);
      try {
        const ab = new ArrayBuffer(BIG);
        new Uint8Array(ab).fill(65);
        const p = client[call](new Uint8Array(ab)).then(
          (v) => ({ v }),
          (err: Error) => ({ err }),
        );
        await sleep(100);
        // (The memory lives on in `moved`, which the runtime may still be
        // writing from: Node's write holds only the detached view.)
        const moved = detach(ab);
        const reading = drain(conn);
        reading.catch(() => {}); // awaited below
        const got = await bounded(p, 10_000, call);
        if ("err" in got) assertReleased(got.err);
        await bounded(client.sendall(b("TAIL")), 10_000, "the next sendall");
        await client.shutdown(socket.SHUT_WR);
        const { total, tail, allA } = await bounded(reading, 10_000, "peer");
        assertEquals(moved.byteLength, BIG);
        assertEquals(tail, "TAIL");
        assert(allA, "every byte before TAIL is one of the buffer's");
        if ("err" in got) {
          // What the runtime had not taken is gone: the call says so.
          assertReleased(got.err);
          assert(total - 4 < BIG);
        } else if (call === "send") {
          // A send() returns the count that went (all, or what did).
          assertEquals(total - 4, got.v);
        } else {
          // The runtime held all of it: all went.
          assertEquals(got.v, undefined);
          assertEquals(total - 4, BIG);
        }
      } finally {
        await closeAll(client, conn);
      }
    },
  );
}

test("timed sendall() whose buffer is detached while it waits for room raises ValueError after a prefix; later sends go out after it", async () => {
  const [client, conn] = await plainPair();
  client.settimeout(5);
  conn.settimeout(5);
  try {
    const ab = new ArrayBuffer(BIG);
    new Uint8Array(ab).fill(65);
    const p = client.sendall(new Uint8Array(ab));
    // (Handled at once: it may reject while the sends below are awaited.)
    const rejected = rejection(p, "sendall");
    await sleep(100);
    detach(ab);
    const reading = drain(conn);
    reading.catch(() => {}); // awaited below
    assertReleased(await rejected);
    await client.sendall(b("TAIL"));
    await client.shutdown(socket.SHUT_WR);
    const { total, tail, allA } = await bounded(reading, 10_000, "peer");
    assertEquals(tail, "TAIL");
    assert(allA, "every byte before TAIL is one of the buffer's");
    assert(total - 4 > 0 && total - 4 < BIG, `prefix of ${total - 4}`);
  } finally {
    await closeAll(client, conn);
  }
});

test("timed send() whose buffer is detached while it waits for room raises ValueError", async () => {
  const [client, conn] = await plainPair();
  try {
    // Fill the kernel's buffers and pysocket's own.
    client.setblocking(false);
    const chunk = new Uint8Array(64 * 1024).fill(65);
    let sent = 0;
    for (;;) {
      try {
        sent += await client.send(chunk);
      } catch (err) {
        assertInstanceOf(err, socket.BlockingIOError);
        break;
      }
    }
    client.settimeout(5);
    const ab = new ArrayBuffer(16);
    const p = client.send(new Uint8Array(ab));
    // (Handled at once: it may reject while the sends below are awaited.)
    const rejected = rejection(p, "send");
    p.catch(() => {}); // told below, once the peer has read
    await sleep(20);
    detach(ab);
    conn.settimeout(5);
    let got = 0;
    while (got < sent) got += (await conn.recv(1 << 20)).length;
    assertReleased(await rejected);
    assertEquals(got, sent);
  } finally {
    await closeAll(client, conn);
  }
});

test("a view out of the bounds of its shrunk buffer is a released memoryview everywhere", async () => {
  const [client, conn] = await timedPair();
  const udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  const w = client.makefile("wb");
  const w0 = client.makefile("wb", 0);
  try {
    const dataView = () => {
      const ab = resizable(8);
      const view = new DataView(ab, 4, 4);
      ab.resize(2);
      return view;
    };
    const released: [string, () => unknown][] = [
      ["send", () => client.send(outOfBounds())],
      ["send(DataView)", () => client.send(dataView())],
      ["sendall", () => client.sendall(outOfBounds())],
      ["sendto", () => udp.sendto(outOfBounds(), ["127.0.0.1", 9])],
      ["inet_ntoa", () => socket.inet_ntoa(outOfBounds())],
      ["inet_ntop", () => socket.inet_ntop(socket.AF_INET, outOfBounds())],
      [
        "setsockopt",
        () =>
          client.setsockopt(
            socket.IPPROTO_TCP,
            socket.TCP_NODELAY,
            outOfBounds(),
          ),
      ],
      ["BytesIO()", () => new BytesIO(outOfBounds())],
      ["BytesIO.write", () => new BytesIO().write(outOfBounds())],
      ["makefile('wb').write", () => w.write(outOfBounds())],
      ["makefile('wb', 0).write", () => w0.write(outOfBounds())],
    ];
    for (const [name, call] of released) {
      let err: unknown = null;
      try {
        await call();
      } catch (e) {
        err = e;
      }
      assert(err !== null, `${name} did not raise`);
      assertReleased(err);
    }
    const notWritable: [string, string, () => unknown][] = [
      ["recv_into", "1 ", () => conn.recv_into(outOfBounds())],
      ["recvfrom_into", "1 ", () => conn.recvfrom_into(outOfBounds())],
      ["readinto", "", () => new BytesIO(b("ab")).readinto(outOfBounds())],
    ];
    for (const [fn, arg, call] of notWritable) {
      let err: unknown = null;
      try {
        await call();
      } catch (e) {
        err = e;
      }
      assertNotWritable(err, fn, arg);
    }
  } finally {
    await w.close();
    await w0.close();
    await closeAll(client, conn, udp);
  }
});

test("readinto() and readinto1() of a released buffer are TypeError, as CPython's argument check", async () => {
  const [client, conn] = await timedPair();
  const rb = client.makefile("rb");
  const wb = client.makefile("wb");
  const rwb = client.makefile("rwb");
  try {
    const calls: [string, () => unknown][] = [
      ["readinto", () => new BytesIO(b("ab")).readinto(detached())],
      ["readinto", () => rb.readinto(detached())],
      ["readinto1", () => rb.readinto1(detached())],
      ["readinto", () => wb.readinto(detached())],
      ["readinto1", () => wb.readinto1(detached())],
      ["readinto", () => rwb.readinto(detached())],
      ["readinto", () => rb.readinto(outOfBounds())],
    ];
    for (const [fn, call] of calls) {
      let err: unknown = null;
      try {
        await call();
      } catch (e) {
        err = e;
      }
      assertNotWritable(err, fn);
    }
  } finally {
    await rb.close();
    await wb.close();
    await rwb.close();
    await closeAll(client, conn);
  }
});

test("a bare SharedArrayBuffer is bytes, as an ArrayBuffer is", async () => {
  const [client, conn] = await timedPair();
  const a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  const s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  const w = client.makefile("wb", 0);
  try {
    const shared = (text: string) => {
      const sab = new SharedArrayBuffer(text.length);
      new Uint8Array(sab).set(b(text));
      return sab;
    };
    assertEquals(await client.send(shared("ab")), 2);
    assertEquals(await client.sendall(shared("cd")), undefined);
    assertEquals(await w.write(shared("ef")), 2);
    const into = new SharedArrayBuffer(6);
    let got = 0;
    while (got < 6) {
      got += await conn.recv_into(new Uint8Array(into, got), 6 - got);
    }
    assertEquals(str(new Uint8Array(into).slice()), "abcdef");
    await client.sendall(b("gh"));
    const whole = new SharedArrayBuffer(2);
    assertEquals(await conn.recv_into(whole), 2);
    assertEquals(str(new Uint8Array(whole).slice()), "gh");
    assertEquals(
      socket.inet_ntoa(new Uint8Array([1, 2, 3, 4]).buffer.slice(0)),
      "1.2.3.4",
    );
    const packed = new SharedArrayBuffer(4);
    new Uint8Array(packed).set([1, 2, 3, 4]);
    assertEquals(socket.inet_ntoa(packed), "1.2.3.4");
    const on = new SharedArrayBuffer(4);
    new Uint8Array(on)[0] = 1;
    client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, on);
    assertEquals(client.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY), 1);
    a.bind(["127.0.0.1", 0]);
    a.settimeout(2);
    assertEquals(await s.sendto(shared("dgram"), a.getsockname()), 5);
    const dg = new SharedArrayBuffer(16);
    const [n] = await a.recvfrom_into(dg);
    assertEquals(str(new Uint8Array(dg, 0, n).slice()), "dgram");
  } finally {
    await w.close();
    await closeAll(client, conn, a, s);
  }
});
