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

test("sendfile() of a Python file object whose fileno() is a number pysocket uses sends its bytes; makefile() files still send 0", async () => {
  const [a, peer] = await socket.socketpair();
  peer.settimeout(5);
  // A user's adapter over a real file may well have descriptor 3, or the
  // number of an open pysocket socket: it is read, not taken for a socket.
  for (const fd of [3, a.fileno(), peer.fileno()]) {
    const data = b(`file ${fd}`);
    let at = 0;
    const file = {
      read(n: number) {
        const out = data.slice(at, at + n);
        at += out.length;
        return out;
      },
      tell: () => at,
      fileno: () => fd,
    };
    assertEquals(await a.sendfile(file), data.length, `fileno() ${fd}`);
    assertEquals(str(await peer.recv(100)), `file ${fd}`);
  }
  for (const buffering of [null, 0]) {
    const rb = a.makefile("rb", buffering);
    assertEquals(await a.sendfile(rb), 0, `makefile('rb', ${buffering})`);
    await rb.close();
  }
  const wb = a.makefile("wb");
  assertEquals(await a.sendfile(wb as never), 0);
  await wb.close();
  await closeAll(a, peer);
});

test("an address of another family than the descriptor's: EINVAL when shorter than its own (16, 24 bytes; a Unix socket's always), else EAFNOSUPPORT", async () => {
  const { AF_UNIX } = socket;
  const k = (n: number) => "k".repeat(n);
  // [given family, real family, real type, op, address, errno]: CPython
  // 3.11's answers (AF_UNIX: 2 + the name's bytes, + 1 for a path's NUL).
  const cases: [number, number, number, string, unknown, number][] = [
    [AF_UNIX, AF_INET6, SOCK_STREAM, "bind", "/tmp/rev8/k", 22],
    [AF_UNIX, AF_INET6, SOCK_STREAM, "connect", "/tmp/rev8/k", 22],
    [AF_UNIX, AF_INET6, SOCK_STREAM, "bind", "/tmp/rev8/" + k(40), 97],
    [AF_UNIX, AF_INET6, SOCK_STREAM, "connect", "/tmp/rev8/" + k(40), 97],
    [AF_UNIX, AF_INET, SOCK_STREAM, "bind", "/tmp/rev8/k", 22],
    [AF_UNIX, AF_INET, SOCK_STREAM, "connect", "/tmp/rev8/k", 22],
    [AF_UNIX, AF_INET, SOCK_STREAM, "bind", "/tmp/rev8/" + k(40), 97],
    [AF_UNIX, AF_INET, SOCK_STREAM, "connect", "/tmp/rev8/" + k(40), 97],
    [AF_INET, AF_INET6, SOCK_STREAM, "bind", ["127.0.0.1", 0], 22],
    [AF_INET, AF_INET6, SOCK_STREAM, "connect", ["127.0.0.1", 0], 22],
    [AF_INET6, AF_INET, SOCK_STREAM, "bind", ["::1", 0], 97],
    [AF_INET6, AF_INET, SOCK_STREAM, "connect", ["::1", 0], 97],
    [AF_INET, AF_UNIX, SOCK_STREAM, "bind", ["127.0.0.1", 0], 22],
    [AF_INET, AF_UNIX, SOCK_STREAM, "connect", ["127.0.0.1", 0], 22],
    // The boundaries: 12 + 3 and 13 + 3 bytes from IPv4, 20 + 3 and
    // 21 + 3 from IPv6; an abstract name has no NUL; an empty one is 2.
    [AF_UNIX, AF_INET, SOCK_STREAM, "bind", "/tmp/" + k(7), 22],
    [AF_UNIX, AF_INET, SOCK_STREAM, "bind", "/tmp/" + k(8), 97],
    [AF_UNIX, AF_INET6, SOCK_STREAM, "bind", "/tmp/" + k(15), 22],
    [AF_UNIX, AF_INET6, SOCK_STREAM, "bind", "/tmp/" + k(16), 97],
    [AF_UNIX, AF_INET, SOCK_STREAM, "bind", "\0" + k(12), 22],
    [AF_UNIX, AF_INET, SOCK_STREAM, "bind", "\0" + k(13), 97],
    [AF_UNIX, AF_INET6, SOCK_STREAM, "connect", "\0" + k(20), 22],
    [AF_UNIX, AF_INET6, SOCK_STREAM, "connect", "\0" + k(21), 97],
    [AF_UNIX, AF_INET, SOCK_STREAM, "bind", "", 22],
    [AF_UNIX, AF_INET, SOCK_STREAM, "connect", b("/tmp/" + k(10)), 97],
    // sendto() on a datagram: IPv4 as bind(); IPv6 refuses a Unix name.
    [AF_UNIX, AF_INET, SOCK_DGRAM, "sendto", "/tmp/xx", 22],
    [AF_UNIX, AF_INET, SOCK_DGRAM, "sendto", "/tmp/" + k(30), 97],
    [AF_UNIX, AF_INET6, SOCK_DGRAM, "sendto", "/tmp/xx", 22],
    [AF_UNIX, AF_INET6, SOCK_DGRAM, "sendto", "/tmp/" + k(30), 22],
    [AF_INET6, AF_INET, SOCK_DGRAM, "sendto", ["::1", 9], 97],
  ];
  for (const [family, kind, type, op, address, errno] of cases) {
    const real = socket.socket(kind, type);
    const s = new Socket(family, type, 0, real.fileno());
    const what = `${op}(${JSON.stringify(address)}) as ${family} on ${kind}`;
    try {
      const err = await errorOf(
        (async () => {
          if (op === "sendto") await s.sendto(b("x"), address as never);
          else if (op === "bind") s.bind(address as never);
          else await s.connect(address as never);
        })(),
      );
      assertEquals(err.constructor, OSError, what);
      assertEquals((err as OSError).errno, errno, what);
    } finally {
      s.detach();
      real.close();
    }
  }
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
