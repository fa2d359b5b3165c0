// Copyright the pysocket authors. MIT license.
// The socket object where it differed from CPython 3.11 on Linux:
// sendfile() of Python file objects and of files whose read() misbehaves,
// its checks in os.sendfile()'s order, sockets made around a descriptor
// (fileno=, fromfd()), and settimeout() on a closed socket. Every
// expectation here was checked against CPython 3.11.
import { assertEquals, assertRejects, assertThrows } from "@std/assert";
import * as socket from "../mod.ts";
import {
  AF_INET,
  AF_INET6,
  OSError,
  OverflowError,
  type SendableFile,
  SOCK_DGRAM,
  SOCK_STREAM,
  Socket,
  TimeoutError,
  ValueError,
} from "../mod.ts";
import { BytesIO } from "../socketserver.ts";
import {
  b,
  bounded,
  closeAll,
  recvUntilEnd,
  str,
  tcpPair,
  test,
} from "./_util.ts";

/** A file as Deno's, in memory: `read(p)`, `seek(offset, whence)`. */
function memFile(bytes: Uint8Array): SendableFile & { at: number } {
  const file = {
    at: 0,
    read(p: Uint8Array): Promise<number | null> {
      const n = Math.min(p.length, bytes.length - file.at);
      p.set(bytes.subarray(file.at, file.at + n));
      file.at += n;
      return Promise.resolve(n === 0 ? null : n);
    },
    seek(offset: number, whence: 0 | 1): Promise<number> {
      file.at = whence === 0 ? offset : file.at + offset;
      return Promise.resolve(file.at);
    },
  };
  return file;
}

async function errorOf(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected a rejection");
}

test("sendfile(): a read(p) that resolves to bytes, an object or a bad count raises Python's error at once, never spins", async () => {
  const [a, peer] = await socket.socketpair();
  const cases: [string, unknown, unknown, string, number | null][] = [
    [
      "bytes",
      b("0123"),
      TypeError,
      "'bytes' object cannot be interpreted as an integer",
      null,
    ],
    // A Node FileHandle's read(p): { bytesRead, buffer }.
    [
      "an object",
      { bytesRead: 4 },
      TypeError,
      "'dict' object cannot be interpreted as an integer",
      null,
    ],
    [
      "a string",
      "4",
      TypeError,
      "'str' object cannot be interpreted as an integer",
      null,
    ],
    [
      "a negative count",
      -1,
      OSError,
      "raw readinto() returned invalid length -1 (should have been between 0 and 65536 bytes)",
      null,
    ],
    [
      "more than asked",
      11,
      OSError,
      "raw readinto() returned invalid length 11 (should have been between 0 and 10 bytes)",
      10,
    ],
  ];
  for (const [what, result, cls, message, count] of cases) {
    let calls = 0;
    const bad = {
      read: () => (calls++, Promise.resolve(result)),
      seek: (offset: number) => Promise.resolve(offset),
    } as unknown as SendableFile;
    // With seek (a regular file) and without (read where it is).
    for (const file of [bad, { read: bad.read } as SendableFile]) {
      calls = 0;
      const err = await bounded(
        errorOf(a.sendfile(file, 0, count)),
        5000,
        `sendfile() of a read() returning ${what}`,
      );
      assertEquals(err.constructor, cls, what);
      assertEquals(err.message, message, what);
      assertEquals(calls <= 2, true, `${what}: read() called ${calls} times`);
    }
  }
  a.settimeout(0.2);
  peer.close();
  a.close();
});

test("sendfile() sends a BytesIO as CPython's send() fallback: from where it is, then seek(offset + sent)", async () => {
  const [a, peer] = await socket.socketpair();
  peer.settimeout(5);
  const whole = new BytesIO(b("0123456789"));
  assertEquals(await a.sendfile(whole), 10);
  assertEquals(str(await peer.recv(100)), "0123456789");
  assertEquals(whole.tell(), 10);
  // At position 4, no offset: from there; CPython then seeks to 0 + 6.
  const moved = new BytesIO(b("0123456789"));
  moved.seek(4);
  assertEquals(await a.sendfile(moved), 6);
  assertEquals(str(await peer.recv(100)), "456789");
  assertEquals(moved.tell(), 6);
  // offset and count.
  const part = new BytesIO(b("0123456789"));
  assertEquals(await a.sendfile(part, 2, 3), 3);
  assertEquals(str(await peer.recv(100)), "234");
  assertEquals(part.tell(), 5);
  // Past its end: nothing, left where the offset put it.
  const past = new BytesIO(b("0123456789"));
  assertEquals(await a.sendfile(past, 20), 0);
  assertEquals(past.tell(), 20);
  // Any object with read(n) (bytes, or a promise of them) and tell().
  const data = b("abcdefgh");
  let at = 0;
  const sizes: unknown[] = [];
  const pyFile = {
    read(n: number) {
      sizes.push(n);
      const out = data.slice(at, at + n);
      at += out.length;
      return Promise.resolve(out);
    },
    tell: () => at,
  };
  assertEquals(await a.sendfile(pyFile, 0, 5), 5);
  assertEquals(str(await peer.recv(100)), "abcde");
  assertEquals(sizes, [5]);
  // What read(n) returns must be bytes-like, as memoryview() takes it.
  const text = { read: () => "abc", tell: () => 0 };
  const err = await errorOf(a.sendfile(text as never));
  assertEquals(err.constructor, TypeError);
  assertEquals(
    err.message,
    "memoryview: a bytes-like object is required, not 'str'",
  );
  // Non-blocking: refused before anything is read.
  a.setblocking(false);
  const unread = new BytesIO(b("xyz"));
  const nb = await errorOf(a.sendfile(unread));
  assertEquals(nb.constructor, ValueError);
  assertEquals(nb.message, "non-blocking sockets are not supported");
  assertEquals(unread.tell(), 0);
  await closeAll(a, peer);
});

test("sendfile() of makefile() files: 'rb' is a socket (size 0: nothing sent), 'r' is refused for its mode", async () => {
  const [a, peer] = await socket.socketpair();
  const rb = a.makefile("rb");
  assertEquals(await a.sendfile(rb), 0);
  await rb.close();
  const r = a.makefile("r");
  const err = await errorOf(a.sendfile(r as never));
  assertEquals(err.constructor, ValueError);
  assertEquals(err.message, "file should be opened in binary mode");
  await r.close();
  await closeAll(a, peer);
});

test("a timed sendfile() of a BytesIO that times out leaves tell() at the bytes the peer got", async () => {
  const data = new Uint8Array(24 << 20).map((_, i) =>
    (i * 13 + (i >> 12)) & 255
  );
  const { server, client, conn } = await tcpPair();
  server.close();
  client.settimeout(0.3);
  const file = new BytesIO(data);
  await assertRejects(() => client.sendfile(file), TimeoutError, "timed out");
  const told = file.tell();
  client.close();
  conn.settimeout(10);
  const got = await recvUntilEnd(conn);
  assertEquals(got.length, told);
  assertEquals(got, data.subarray(0, told));
  await closeAll(conn);
});

test("sendfile() checks in os.sendfile()'s order: an empty file sends nothing first, then non-blocking, a closed socket, the offset", async () => {
  const [a, peer] = await socket.socketpair();
  const empty = () => memFile(new Uint8Array(0));
  const full = () => memFile(b("hello"));
  a.setblocking(false);
  assertEquals(await a.sendfile(empty()), 0);
  const nb = await errorOf(a.sendfile(full()));
  assertEquals(nb.constructor, ValueError);
  assertEquals(nb.message, "non-blocking sockets are not supported");
  a.setblocking(true);
  assertEquals(await a.sendfile(empty(), 2n ** 63n as never), 0);
  const big = await errorOf(a.sendfile(full(), 2n ** 63n as never));
  assertEquals(big.constructor, OverflowError);
  assertEquals(big.message, "Python int too large to convert to C long");
  const closed = socket.socket();
  closed.close();
  assertEquals(await closed.sendfile(empty()), 0);
  const file = full();
  const bad = await errorOf(closed.sendfile(file));
  assertEquals(bad.constructor, ValueError);
  assertEquals(bad.message, "Invalid file descriptor: -1");
  assertEquals(file.at, 0);
  await closeAll(a, peer);
});

test("socket(fileno=fd) reads the protocol from the descriptor: 6 for TCP, 17 for UDP", async () => {
  const { server, client, conn } = await tcpPair();
  for (const s of [server, client, conn]) {
    const t = new Socket(-1, -1, -1, s.fileno());
    assertEquals(t.proto, 6);
    t.detach();
  }
  const u = socket.socket(AF_INET, SOCK_DGRAM);
  const v = new Socket(-1, -1, -1, u.fileno());
  assertEquals([v.family, v.type, v.proto], [AF_INET, SOCK_DGRAM, 17]);
  v.detach();
  u.close();
  await closeAll(server, client, conn);
});

test("socket(family, type, proto, fileno) and fromfd() take what they are given, unchecked; the descriptor's own kind does the I/O", async () => {
  const { server, client, conn } = await tcpPair();
  client.settimeout(5);
  const odd = new Socket(100, 100, 23, conn.fileno());
  assertEquals([odd.family, odd.type, odd.proto], [100, 100, 23]);
  assertEquals(
    String(odd),
    `<socket.socket fd=${conn.fileno()}, family=100, type=100, proto=23>`,
  );
  const e = assertThrows(() => odd.getsockname(), OSError);
  assertEquals(e.message, "getsockaddrlen: bad family");
  const eb = assertThrows(() => odd.bind(["127.0.0.1", 0]), OSError);
  assertEquals(eb.message, "bind(): bad family");
  // Its I/O is the TCP connection's.
  await odd.sendall(b("odd"));
  assertEquals(str(await client.recv(10)), "odd");
  odd.detach();
  const p17 = new Socket(AF_INET, SOCK_STREAM, 17, conn.fileno());
  assertEquals(p17.proto, 17);
  p17.detach();
  using f1 = socket.fromfd(conn.fileno(), 999, SOCK_STREAM);
  assertEquals(f1.family, 999);
  using f2 = socket.fromfd(conn.fileno(), AF_INET, 999);
  assertEquals(f2.type, 999);
  using f3 = socket.fromfd(conn.fileno(), AF_INET, SOCK_STREAM, 17);
  assertEquals(f3.proto, 17);
  await f3.sendall(b("f3"));
  assertEquals(str(await client.recv(10)), "f3");
  // An IPv4 socket told AF_INET6: its address is still decoded as IPv4
  // (CPython decodes by the address's family); an IPv6 address is refused
  // as Linux refuses it.
  const six = new Socket(AF_INET6, SOCK_STREAM, 0, conn.fileno());
  assertEquals(six.getsockname(), conn.getsockname() as never);
  const e6 = assertThrows(() => six.bind(["::1", 0]), OSError);
  assertEquals(e6.errno, 97);
  six.detach();
  await closeAll(server, client, conn);
});

test("fromfd() that raises closes its duplicate: the connection ends with its last socket", async () => {
  const { server, client, conn } = await tcpPair();
  client.settimeout(5);
  assertThrows(
    () => socket.fromfd(conn.fileno(), "x" as never, SOCK_STREAM),
    TypeError,
  );
  conn.close();
  assertEquals((await client.recv(10)).length, 0);
  await closeAll(server, client);
});

test("settimeout() and setblocking() on a closed socket raise EBADF after storing the value, as CPython", () => {
  const s = socket.socket();
  s.settimeout(1);
  s.close();
  const e = assertThrows(() => s.settimeout(2), OSError);
  assertEquals(e.message, "[Errno 9] Bad file descriptor");
  assertEquals(s.gettimeout(), 2);
  const e2 = assertThrows(() => s.setblocking(false), OSError);
  assertEquals(e2.message, "[Errno 9] Bad file descriptor");
  assertEquals(s.gettimeout(), 0);
  assertEquals(s.getblocking(), false);
});
