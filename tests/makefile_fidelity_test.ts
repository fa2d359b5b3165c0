// Copyright the pysocket authors. MIT license.
// makefile() files against CPython 3.11, over real loopback TCP sockets:
// close() while a read is in flight, TextIOWrapper.reconfigure(), and the
// range checks of size arguments.

import { assertEquals, assertInstanceOf } from "@std/assert";
import * as socket from "../mod.ts";
import {
  b,
  bounded,
  closeAll,
  errorOf,
  plainPair,
  sleep,
  test,
} from "./_util.ts";

// deno-lint-ignore no-explicit-any
type ErrorClass = new (...args: any[]) => Error;

/** `call`'s error is `cls` with exactly `message`. */
async function assertError(
  call: () => unknown,
  cls: ErrorClass,
  message: string,
): Promise<void> {
  const err = await errorOf(call);
  assertInstanceOf(err, cls, `expected ${cls.name}: ${message}`);
  assertEquals((err as Error).message, message);
}

/** What the peer receives within `seconds`; `null` when nothing comes. */
async function received(
  peer: socket.Socket,
  seconds = 0.3,
): Promise<Uint8Array | null> {
  peer.settimeout(seconds);
  try {
    return await peer.recv(100);
  } catch (err) {
    if (err instanceof socket.TimeoutError) return null;
    throw err;
  }
}

/**
 * CPython's close() of a buffered file takes the buffer's lock: it waits
 * for a read in flight, which completes with its bytes. A read is started,
 * then close(), then the peer sends `line\nmore`.
 */
async function closeDuringRead<T>(
  mode: string,
  read: (f: socket.SocketFile) => Promise<T>,
): Promise<{ value: T; closedEarly: boolean; after: unknown }> {
  const [client, conn] = await plainPair();
  client.settimeout(3);
  const f = client.makefile(mode) as socket.SocketFile;
  const reading = read(f);
  await sleep(50);
  let closed = false;
  const closing = f.close().then(() => {
    closed = true;
  });
  await sleep(150);
  const closedEarly = closed;
  await conn.sendall(b("line\nmore"));
  const value = await bounded(reading, 5000, `${mode} read`);
  await bounded(closing, 5000, `${mode} close`);
  // What the read took from the socket went into the buffer: nothing is
  // left for the socket (CPython: TimeoutError).
  client.settimeout(0.3);
  const after = await errorOf(() => client.recv(100));
  await closeAll(client, conn);
  return { value, closedEarly, after };
}

test("makefile('rb').close() waits for a pending readline, which gets its line", async () => {
  const r = await closeDuringRead(
    "rb",
    (f) => (f as socket.BinaryFile).readline(),
  );
  assertEquals(r.value, b("line\n"));
  assertEquals(r.closedEarly, false);
  assertInstanceOf(r.after, socket.TimeoutError);
  assertEquals((r.after as Error).message, "timed out");
});

test("makefile('rwb').close() waits for a pending readline, which gets its line", async () => {
  const r = await closeDuringRead(
    "rwb",
    (f) => (f as socket.BinaryFile).readline(),
  );
  assertEquals(r.value, b("line\n"));
  assertEquals(r.closedEarly, false);
  assertInstanceOf(r.after, socket.TimeoutError);
});

test("makefile('rb').close() waits for a pending read1, which gets the bytes", async () => {
  const r = await closeDuringRead(
    "rb",
    (f) => (f as socket.BinaryFile).read1(100),
  );
  assertEquals(r.value, b("line\nmore"));
  assertEquals(r.closedEarly, false);
  assertInstanceOf(r.after, socket.TimeoutError);
});

test("makefile('r').close() waits for a pending text readline", async () => {
  const r = await closeDuringRead(
    "r",
    (f) => (f as socket.TextFile).readline(),
  );
  assertEquals(r.value, "line\n");
  assertEquals(r.closedEarly, false);
  assertInstanceOf(r.after, socket.TimeoutError);
});

test("makefile('rb', 0).close() does not wait: the raw read gets 4 bytes, the rest stays", async () => {
  const [client, conn] = await plainPair();
  client.settimeout(3);
  const f = client.makefile("rb", 0);
  const reading = f.read(4);
  await sleep(50);
  await bounded(f.close(), 1000, "raw close");
  await conn.sendall(b("line\nmore"));
  assertEquals(await bounded(reading, 5000, "raw read"), b("line"));
  client.settimeout(1);
  assertEquals(await client.recv(100), b("\nmore"));
  await closeAll(client, conn);
});

test("TextIOWrapper.reconfigure(line_buffering=True): a write with a line ending goes out", async () => {
  const [client, conn] = await plainPair();
  const f = client.makefile("w");
  assertEquals(f.line_buffering, false);
  assertEquals(await f.reconfigure({ line_buffering: true }), undefined);
  assertEquals(f.line_buffering, true);
  await f.write("ab\ncd");
  assertEquals(await received(conn, 2), b("ab\ncd"));
  await f.write("e");
  assertEquals(await received(conn), null);
  await f.write("f\rg"); // a \r flushes too
  assertEquals(await received(conn, 2), b("ef\rg"));
  // line_buffering=None keeps it; an int is its truth.
  await f.reconfigure({ line_buffering: null });
  assertEquals(f.line_buffering, true);
  await f.reconfigure({ line_buffering: 0 as unknown as boolean });
  assertEquals(f.line_buffering, false);
  await f.write("h\n");
  assertEquals(await received(conn), null);
  await f.close();
  assertEquals(await received(conn, 2), b("h\n"));
  await closeAll(client, conn);
});

test("TextIOWrapper.reconfigure() flushes first; write_through hands writes to the buffer only", async () => {
  const [client, conn] = await plainPair();
  const f = client.makefile("w");
  await f.write("ab");
  await f.reconfigure({ write_through: true });
  assertEquals(f.write_through, true);
  assertEquals(await received(conn, 2), b("ab"));
  // The BufferedWriter keeps it: nothing goes out (as in CPython).
  await f.write("cd");
  assertEquals(await received(conn), null);
  await f.reconfigure({ write_through: false, line_buffering: false });
  assertEquals(await received(conn, 2), b("cd"));
  await f.close();
  await closeAll(client, conn);
});

test("TextIOWrapper.reconfigure() changes encoding, errors and newline before the first read", async () => {
  const [client, conn] = await plainPair();
  const f = client.makefile("rw");
  await f.reconfigure({ encoding: "latin-1" });
  assertEquals([f.encoding, f.errors], ["latin-1", "strict"]);
  await f.reconfigure({ errors: "replace" });
  assertEquals([f.encoding, f.errors], ["latin-1", "replace"]);
  // A new encoding without errors is "strict" again.
  await f.reconfigure({ encoding: "ascii" });
  assertEquals([f.encoding, f.errors], ["ascii", "strict"]);
  await f.reconfigure({ encoding: "locale" });
  assertEquals([f.encoding, f.errors], ["UTF-8", "strict"]);
  await f.reconfigure({ encoding: "latin-1", newline: "\r\n" });
  await f.write("é\n");
  await f.flush();
  assertEquals(await received(conn, 2), new Uint8Array([0xe9, 0x0d, 0x0a]));
  // An unknown encoding fails after the flush and the newline change, as
  // in CPython.
  await f.write("x\n");
  await assertError(
    () => f.reconfigure({ newline: "\n", encoding: "nope" }),
    socket.LookupError,
    "unknown encoding: nope",
  );
  assertEquals(await received(conn, 2), b("x\r\n"));
  assertEquals(f.encoding, "latin-1");
  await f.write("y\n");
  await f.flush();
  assertEquals(await received(conn, 2), b("y\n"));
  // Reading with the new rules.
  await f.reconfigure({ encoding: "latin-1", newline: "\r\n" });
  await conn.sendall(
    new Uint8Array([0xe9, 0x0d, 0x0a, 0x61, 0x0a, 0x0d, 0x0a]),
  );
  assertEquals(await f.readline(), "é\r\n");
  assertEquals(f.newlines, null);
  const late =
    "It is not possible to set the encoding or newline of stream after the first read";
  await assertError(
    () => f.reconfigure({ encoding: "utf-8" }),
    socket.UnsupportedOperation,
    late,
  );
  await assertError(
    () => f.reconfigure({ newline: null }),
    socket.UnsupportedOperation,
    late,
  );
  await assertError(
    () => f.reconfigure({ errors: "strict" }),
    socket.UnsupportedOperation,
    late,
  );
  // …checked before line_buffering's conversion.
  await assertError(
    () =>
      f.reconfigure({
        encoding: "x",
        line_buffering: "x" as unknown as boolean,
      }),
    socket.UnsupportedOperation,
    late,
  );
  await f.reconfigure({ line_buffering: true });
  assertEquals(f.line_buffering, true);
  assertEquals(await f.readline(), "a\n\r\n");
  // A write lets the encoding change again, as CPython's drops what was
  // decoded.
  await f.write("z");
  await f.reconfigure({ encoding: "utf-8" });
  assertEquals(f.encoding, "utf-8");
  await f.close();
  await closeAll(client, conn);
});

test("TextIOWrapper.reconfigure() newline on a reader: its line endings", async () => {
  const [client, conn] = await plainPair();
  const f = client.makefile("r");
  await f.reconfigure({ newline: "" });
  await conn.sendall(b("a\rb\n"));
  assertEquals(await f.readline(), "a\r");
  assertEquals(await f.readline(), "b\n");
  assertEquals(f.newlines, ["\r", "\n"]);
  await f.close();
  await closeAll(client, conn);
});

test("TextIOWrapper.reconfigure() rejects bad arguments with CPython's errors", async () => {
  const [client, conn] = await plainPair();
  const f = client.makefile("rw");
  // deno-lint-ignore no-explicit-any
  const call = (...args: any[]) => () =>
    (f.reconfigure as (...a: unknown[]) => Promise<void>)(...args);
  const cases: [() => unknown, ErrorClass, string][] = [
    [call("utf-8"), TypeError, "reconfigure() takes no positional arguments"],
    [
      call({}, {}),
      TypeError,
      "reconfigure() takes no positional arguments",
    ],
    [
      call({ foo: 1 }),
      TypeError,
      "'foo' is an invalid keyword argument for reconfigure()",
    ],
    [
      call({ encoding: 1 }),
      TypeError,
      "reconfigure() argument 'encoding' must be str or None, not int",
    ],
    [
      call({ errors: 1 }),
      TypeError,
      "reconfigure() argument 'errors' must be str or None, not int",
    ],
    [
      call({ newline: 1 }),
      TypeError,
      "reconfigure() argument 'newline' must be str or None, not int",
    ],
    [call({ newline: "x" }), socket.ValueError, "illegal newline value: x"],
    [
      call({ newline: "x", line_buffering: "x" }),
      socket.ValueError,
      "illegal newline value: x",
    ],
    [
      call({ line_buffering: "x" }),
      TypeError,
      "'str' object cannot be interpreted as an integer",
    ],
    [
      call({ line_buffering: 1.5 }),
      TypeError,
      "'float' object cannot be interpreted as an integer",
    ],
    [
      call({ line_buffering: 2n ** 70n }),
      socket.OverflowError,
      "Python int too large to convert to C long",
    ],
    [
      call({ line_buffering: [], write_through: "x" }),
      TypeError,
      "'list' object cannot be interpreted as an integer",
    ],
    [call({ encoding: "nope" }), socket.LookupError, "unknown encoding: nope"],
  ];
  for (const [fn, cls, message] of cases) await assertError(fn, cls, message);
  assertEquals([f.encoding, f.errors, f.line_buffering], [
    "UTF-8",
    "strict",
    false,
  ]);
  await f.close();
  await assertError(
    () => f.reconfigure({ line_buffering: true }),
    socket.ValueError,
    "I/O operation on closed file.",
  );
  await assertError(
    () => f.reconfigure(),
    socket.ValueError,
    "I/O operation on closed file.",
  );
  await assertError(
    () => f.reconfigure({ newline: "x" }),
    socket.ValueError,
    "illegal newline value: x",
  );
  const g = client.makefile("r");
  const buffer = await g.detach();
  await assertError(
    () => g.reconfigure(),
    socket.ValueError,
    "underlying buffer has been detached",
  );
  await buffer.close();
  await closeAll(client, conn);
});

test("makefile() size arguments beyond a ssize_t raise CPython's OverflowError", async () => {
  const [client, conn] = await plainPair();
  client.settimeout(0.3);
  await conn.sendall(b("ab\ncd\n"));
  const big = 2n ** 70n as unknown as number;
  const neg = -(2n ** 70n) as unknown as number;
  const ssize = "Python int too large to convert to C ssize_t";
  const index = "cannot fit 'int' into an index-sized integer";
  const text = client.makefile("r");
  const rb = client.makefile("rb");
  const rwb = client.makefile("rwb");
  const raw = client.makefile("rb", 0);
  const cases: [() => unknown, string][] = [
    [() => text.readline(big), ssize],
    [() => text.readline(neg), ssize],
    [() => text.read(big), index],
    [() => text.readlines(big), index],
    [() => rb.peek(big), ssize],
    [() => rb.peek(neg), ssize],
    [() => rb.read1(big), ssize],
    [() => rb.read1(neg), ssize],
    [() => rb.read(big), index],
    [() => rb.readline(neg), index],
    [() => rwb.peek(big), ssize],
    [() => rwb.read1(neg), ssize],
    [() => raw.read(big), ssize],
    [() => raw.read(neg), ssize],
  ];
  for (const [fn, message] of cases) {
    await assertError(fn, socket.OverflowError, message);
  }
  // Nothing was read: the bytes are all still there.
  assertEquals(await text.readline(-1), "ab\n");
  // A writer's read1 takes anything and is unsupported, as in CPython.
  const w = client.makefile("wb");
  for (const arg of ["x", null, 1.5, big]) {
    await assertError(
      () => w.read1(arg as number),
      socket.UnsupportedOperation,
      "read1",
    );
  }
  for (const f of [text, rb, rwb, raw, w]) await f.close();
  await closeAll(client, conn);
});
