// Copyright the pysocket authors. MIT license.
// makefile(): text and binary file objects over real loopback TCP sockets,
// with CPython's modes, buffering, newlines, codecs, errors and lifetime.

import {
  assert,
  assertEquals,
  assertInstanceOf,
  assertRejects,
  assertThrows,
} from "@std/assert";
import v8 from "node:v8";
import vm from "node:vm";
import * as socket from "../mod.ts";
import {
  b,
  bounded,
  closeAll,
  inspect,
  sleep,
  str,
  tcpPair,
  test,
} from "./_util.ts";

// deno-lint-ignore no-explicit-any
type ErrorClass = new (...args: any[]) => Error;

/** A listening server, a connected client and the server's end. */
/** Sends `data` from `conn`, then end of stream. */
async function feed(conn: socket.Socket, data: Uint8Array): Promise<void> {
  await conn.sendall(data);
  await conn.shutdown(socket.SHUT_WR);
}

/** Exactly `n` bytes from `s` (several recvs if need be). */
async function recvExactly(s: socket.Socket, n: number): Promise<Uint8Array> {
  const parts: number[] = [];
  while (parts.length < n) {
    const chunk = await s.recv(n - parts.length);
    if (chunk.length === 0) break;
    parts.push(...chunk);
  }
  return new Uint8Array(parts);
}

/** What the peer gets until end of stream. */
async function drain(s: socket.Socket): Promise<Uint8Array> {
  const parts: number[] = [];
  for (;;) {
    const chunk = await s.recv(65536);
    if (chunk.length === 0) return new Uint8Array(parts);
    parts.push(...chunk);
  }
}

/** Python's AttributeError of a `BufferedRWPair` (pysocket's TypeError). */
const NO_ATTR = "'_io.BufferedRWPair' object has no attribute";

test("makefile() rejects modes other than r, w, b with Python's ValueError", async () => {
  const { server, client, conn } = await tcpPair();
  for (const mode of ["x", "a", "r+", "rt", "wt", "rU", "x'"]) {
    const shown = mode.includes("'") ? `"${mode}"` : `'${mode}'`;
    assertThrows(
      () => client.makefile(mode),
      socket.ValueError,
      `invalid mode ${shown} (only r, w, b allowed)`,
    );
  }
  assertThrows(
    () => client.makefile(5 as unknown as string),
    TypeError,
    "'int' object is not iterable",
  );
  await closeAll(conn, client, server);
});

test("makefile() rejects bad buffering, encoding, errors and newline as CPython", async () => {
  const { server, client, conn } = await tcpPair();
  const cases: [() => unknown, ErrorClass, string][] = [
    [
      () => client.makefile("r", 0),
      socket.ValueError,
      "unbuffered streams must be binary",
    ],
    [
      () => client.makefile("w", 0),
      socket.ValueError,
      "unbuffered streams must be binary",
    ],
    [
      () => client.makefile("r", null, { encoding: "utf-9" }),
      socket.LookupError,
      "unknown encoding: utf-9",
    ],
    [
      () => client.makefile("r", null, { errors: "nope" }),
      socket.LookupError,
      "unknown error handler name 'nope'",
    ],
    [
      () => client.makefile("r", null, { errors: "backslashreplace" }),
      socket.ValueError,
      "error handler 'backslashreplace' is not supported (use 'strict', 'replace' or 'ignore')",
    ],
    [
      () => client.makefile("r", null, { newline: "x" }),
      socket.ValueError,
      "illegal newline value: x",
    ],
    [
      () => client.makefile("r", "8" as unknown as number),
      TypeError,
      "'<' not supported between instances of 'str' and 'int'",
    ],
  ];
  for (const [fn, Class, message] of cases) assertThrows(fn, Class, message);
  // A makefile() that failed holds nothing open.
  client.close();
  assertEquals(client.fileno(), -1);
  await closeAll(conn, server);
});

test("makefile() accepts r, w, b in any order and reports mode, readable(), writable()", async () => {
  const { server, client, conn } = await tcpPair();
  const table: [string, string, boolean, boolean][] = [
    ["r", "r", true, false],
    ["", "", true, false],
    ["rr", "rr", true, false],
    ["w", "w", false, true],
    ["rw", "rw", true, true],
    ["wr", "wr", true, true],
    ["b", "rb", true, false],
    ["rb", "rb", true, false],
    ["br", "rb", true, false],
    ["wb", "wb", false, true],
    ["bw", "wb", false, true],
    ["rwb", "rwb", true, true],
    ["bwr", "rwb", true, true],
  ];
  for (const [mode, shown, r, w] of table) {
    const f = client.makefile(mode);
    // A BufferedRWPair has no mode, name or descriptor of its own, as in
    // Python (its text file has the mode given).
    const pair = r && w;
    if (pair && shown.includes("b")) {
      assertThrows(() => f.mode, TypeError, `${NO_ATTR} 'mode'`);
    } else assertEquals(f.mode, shown, mode);
    assertEquals([f.readable(), f.writable()], [r, w], mode);
    assertEquals([f.seekable(), f.isatty(), f.closed], [false, false, false]);
    if (pair) {
      assertThrows(() => f.name, TypeError, `${NO_ATTR} 'name'`);
      assertThrows(() => f.fileno(), socket.UnsupportedOperation, "fileno");
    } else {
      assertEquals(f.name, client.fileno());
      assertEquals(f.fileno(), client.fileno());
    }
    await f.close();
  }
  // Binary mode ignores an encoding, as CPython does.
  const f = client.makefile("rb", null, { encoding: "latin-1" });
  assertEquals(f.encoding, null);
  await f.close();
  await closeAll(conn, client, server);
});

test("makefile() text read(n) waits for n characters; readline, readlines, read() to EOF", async () => {
  const { server, client, conn } = await tcpPair();
  await using f = client.makefile("r");
  assertEquals([f.encoding, f.errors], ["UTF-8", "strict"]);
  await conn.sendall(b("héllo"));
  const later = (async () => {
    await sleep(50);
    await conn.sendall(b(" wörld\nline 2\nline 3\nlast"));
    await conn.shutdown(socket.SHUT_WR);
  })();
  assertEquals(await f.read(8), "héllo wö");
  assertEquals(await f.readline(), "rld\n");
  assertEquals(await f.readline(3), "lin");
  assertEquals(await f.readlines(), ["e 2\n", "line 3\n", "last"]);
  assertEquals(await f.read(), "");
  assertEquals(await f.readline(), "");
  assertEquals(await f.read(5), "");
  await later;
  await closeAll(conn, client, server);
});

test("makefile() text read(n) counts code points and keeps UTF-8 split across packets", async () => {
  const { server, client, conn } = await tcpPair();
  await using f = client.makefile("r");
  const bytes = b("😀é!");
  const later = (async () => {
    await conn.sendall(bytes.subarray(0, 2));
    await sleep(30);
    await conn.sendall(bytes.subarray(2, 5));
    await sleep(30);
    await feed(conn, bytes.subarray(5));
  })();
  assertEquals(await f.read(1), "😀");
  assertEquals(await f.read(), "é!");
  await later;
  await closeAll(conn, client, server);
});

test("makefile() binary read(n) waits for n bytes or EOF; readline, readlines, read()", async () => {
  const { server, client, conn } = await tcpPair();
  await using f = client.makefile("rb");
  await conn.sendall(b("hello"));
  const later = (async () => {
    await sleep(50);
    await conn.sendall(b(" world\nline2\r\nline3\rend"));
    await sleep(20);
    await conn.shutdown(socket.SHUT_WR);
  })();
  assertEquals(await f.read(0), new Uint8Array());
  assertEquals(str(await f.read(8)), "hello wo");
  assertEquals(str(await f.readline()), "rld\n");
  assertEquals((await f.readlines()).map(str), ["line2\r\n", "line3\rend"]);
  assertEquals(await f.read(), new Uint8Array());
  assertEquals(await f.read(5), new Uint8Array());
  assertEquals(await f.readline(), new Uint8Array());
  await assertRejects(
    () => f.read(-2),
    socket.ValueError,
    "read length must be non-negative or -1",
  );
  await assertRejects(
    () => f.read("x" as unknown as number),
    TypeError,
    "argument should be integer or None, not 'str'",
  );
  await later;
  await closeAll(conn, client, server);
});

test("makefile() binary read(n) returns fewer bytes only at end of stream", async () => {
  const { server, client, conn } = await tcpPair();
  await using f = client.makefile("rb");
  await feed(conn, b("abc"));
  assertEquals(str(await f.read(10)), "abc");
  await closeAll(conn, client, server);
});

test("makefile() readlines(hint) stops once the lines total hint or more", async () => {
  const { server, client, conn } = await tcpPair();
  await using f = client.makefile("r");
  await feed(conn, b("ab\ncd\nef\n"));
  assertEquals(await f.readlines(4), ["ab\n", "cd\n"]);
  assertEquals(await f.readlines(), ["ef\n"]);
  await closeAll(conn, client, server);
});

test("makefile() file is an async iterable of lines", async () => {
  const { server, client, conn } = await tcpPair();
  await using f = client.makefile("r");
  await feed(conn, b("one\ntwo\nthree"));
  const lines: string[] = [];
  for await (const line of f) lines.push(line);
  assertEquals(lines, ["one\n", "two\n", "three"]);
  await closeAll(conn, client, server);
});

test("makefile() write() buffers until flush() and returns characters or bytes", async () => {
  const { server, client, conn } = await tcpPair();
  const text = client.makefile("w");
  assertEquals(await text.write("😀 héllo\n"), 8);
  conn.settimeout(0.05);
  await assertRejects(() => conn.recv(100), socket.TimeoutError, "timed out");
  await text.flush();
  assertEquals(str(await conn.recv(100)), "😀 héllo\n");
  await text.close();

  const bin = client.makefile("wb");
  assertEquals(await bin.write(new Uint16Array([1, 2])), 4);
  await assertRejects(() => conn.recv(100), socket.TimeoutError, "timed out");
  await bin.close(); // flushes
  assertEquals(await conn.recv(100), new Uint8Array([1, 0, 2, 0]));
  await closeAll(conn, client, server);
});

test("makefile() write() sends the buffer when the data does not fit, then data past a buffer's worth", async () => {
  const { server, client, conn } = await tcpPair();
  const f = client.makefile("wb", 4);
  assertEquals(await f.write(b("abc")), 3);
  assertEquals(await f.write(b("de")), 2); // "abc" goes, "de" is buffered
  assertEquals(str(await conn.recv(100)), "abc");
  assertEquals(await f.write(b("fghijk")), 6); // "de", then "fghijk" itself
  assertEquals(str(await recvExactly(conn, 8)), "defghijk");
  assertEquals(await f.write(b("lm")), 2);
  await f.close();
  assertEquals(str(await conn.recv(100)), "lm");
  await closeAll(conn, client, server);
});

test("makefile() write() copies the data, so the caller may reuse its buffer", async () => {
  const { server, client, conn } = await tcpPair();
  const f = client.makefile("wb");
  const buf = b("abc");
  await f.write(buf);
  buf.fill(0x78);
  await f.close();
  client.close();
  assertEquals(str(await drain(conn)), "abc");
  await closeAll(conn, server);
});

test("makefile() write() checks its argument's type with Python's words", async () => {
  const { server, client, conn } = await tcpPair();
  await using text = client.makefile("w");
  await assertRejects(
    () => text.write(b("x") as unknown as string),
    TypeError,
    "write() argument must be str, not bytes",
  );
  await assertRejects(
    () => text.write(5 as unknown as string),
    TypeError,
    "write() argument must be str, not int",
  );
  await using bin = client.makefile("wb");
  await assertRejects(
    () => bin.write("x" as unknown as Uint8Array),
    TypeError,
    "a bytes-like object is required, not 'str'",
  );
  await closeAll(conn, client, server);
});

test("mode.makefile(0) is unbuffered: one recv per read, one send per write", async () => {
  const { server, client, conn } = await tcpPair();
  const r = client.makefile("rb", 0);
  assertEquals(r.mode, "rb");
  await conn.sendall(b("ab"));
  await sleep(20);
  assertEquals(str((await r.read(10))!), "ab");
  await conn.sendall(b("x\ny"));
  await sleep(20);
  assertEquals(str(await r.readline()), "x\n");
  // readline() read no further than the newline: the socket still has "y".
  assertEquals(str(await client.recv(10)), "y");
  await r.close();

  const w = client.makefile("wb", 0);
  assertEquals(await w.write(b("now")), 3);
  assertEquals(str(await conn.recv(10)), "now");
  await w.close();
  await closeAll(conn, client, server);
});

test("makefile() in rw mode reads and writes", async () => {
  const { server, client, conn } = await tcpPair();
  await using f = client.makefile("rw");
  await f.write("ping\n");
  await f.flush();
  assertEquals(str(await conn.recv(100)), "ping\n");
  await conn.sendall(b("pong\n"));
  assertEquals(await f.readline(), "pong\n");
  await closeAll(conn, client, server);
});

test("makefile() newline option splits and translates lines as TextIOWrapper", async () => {
  const readlines: [string | null, string[], string][] = [
    [null, ["a\n", "b\n", "c\n", "d"], "a\nb\nc\nd"],
    ["", ["a\r\n", "b\r", "c\n", "d"], "a\r\nb\rc\nd"],
    ["\n", ["a\r\n", "b\rc\n", "d"], "a\r\nb\rc\nd"],
    ["\r", ["a\r", "\nb\r", "c\nd"], "a\r\nb\rc\nd"],
    ["\r\n", ["a\r\n", "b\rc\nd"], "a\r\nb\rc\nd"],
  ];
  for (const [newline, lines, whole] of readlines) {
    for (const read of ["readlines", "read"] as const) {
      const { server, client, conn } = await tcpPair();
      const f = client.makefile("r", null, { newline });
      await feed(conn, b("a\r\nb\rc\nd"));
      if (read === "readlines") {
        assertEquals(await f.readlines(), lines, JSON.stringify(newline));
      } else assertEquals(await f.read(), whole, JSON.stringify(newline));
      await f.close();
      await closeAll(conn, client, server);
    }
  }
  const writes: [string | null, string][] = [
    [null, "x\ny\r\n"],
    ["", "x\ny\r\n"],
    ["\n", "x\ny\r\n"],
    ["\r", "x\ry\r\r"],
    ["\r\n", "x\r\ny\r\r\n"],
  ];
  for (const [newline, sent] of writes) {
    const { server, client, conn } = await tcpPair();
    const f = client.makefile("w", null, { newline });
    assertEquals(await f.write("x\ny\r\n"), 5);
    await f.close();
    client.close();
    assertEquals(str(await drain(conn)), sent, JSON.stringify(newline));
    await closeAll(conn, server);
  }
});

test("makefile() universal newlines join a \\r\\n split across packets", async () => {
  const { server, client, conn } = await tcpPair();
  await using f = client.makefile("r");
  await using g = client.makefile("r", null, { newline: "" });
  await conn.sendall(b("a\r"));
  const later = (async () => {
    await sleep(30);
    await conn.sendall(b("\nb\r"));
    await sleep(30);
    await conn.shutdown(socket.SHUT_WR);
  })();
  assertEquals(await f.readline(), "a\n");
  assertEquals(await f.readline(), "b\n");
  assertEquals(await f.readline(), "");
  await later;
  await g.close();
  await closeAll(conn, client, server);
});

test("makefile() decodes with encoding and errors as Python's codecs", async () => {
  const bytes = new Uint8Array([0x63, 0x61, 0x66, 0xc3, 0xa9, 0xff, 0x0a]);
  const table: [string, string, string][] = [
    ["utf-8", "replace", "café\ufffd\n"],
    ["utf8", "ignore", "café\n"],
    ["latin-1", "strict", "cafÃ©ÿ\n"],
    ["ISO-8859-1", "strict", "cafÃ©ÿ\n"],
    ["ascii", "replace", "caf\ufffd\ufffd\ufffd\n"],
  ];
  for (const [encoding, errors, text] of table) {
    const { server, client, conn } = await tcpPair();
    const f = client.makefile("r", null, { encoding, errors });
    assertEquals(f.encoding, encoding);
    await feed(conn, bytes);
    assertEquals(await f.read(), text, `${encoding} ${errors}`);
    await f.close();
    await closeAll(conn, client, server);
  }
});

test("makefile() strict decoding raises Python's socket.UnicodeDecodeError", async () => {
  const table: [string, number[], string][] = [
    [
      "utf-8",
      [0x63, 0x61, 0x66, 0xe9, 0xff],
      "'utf-8' codec can't decode byte 0xe9 in position 3: invalid continuation byte",
    ],
    [
      "utf-8",
      [0xe2, 0x82, 0x78],
      "'utf-8' codec can't decode bytes in position 0-1: invalid continuation byte",
    ],
    [
      "utf-8",
      [0x61, 0x62, 0xe2, 0x82],
      "'utf-8' codec can't decode bytes in position 2-3: unexpected end of data",
    ],
    [
      "utf-8",
      [0x61, 0x80],
      "'utf-8' codec can't decode byte 0x80 in position 1: invalid start byte",
    ],
    [
      "ascii",
      [0x63, 0x61, 0x66, 0xc3, 0xa9],
      "'ascii' codec can't decode byte 0xc3 in position 3: ordinal not in range(128)",
    ],
  ];
  for (const [encoding, bytes, message] of table) {
    const { server, client, conn } = await tcpPair();
    const f = client.makefile("r", null, { encoding });
    await feed(conn, new Uint8Array(bytes));
    const err = await assertRejects(
      () => f.read(),
      socket.UnicodeDecodeError,
      message,
    );
    assertInstanceOf(err, socket.ValueError);
    await f.close();
    await closeAll(conn, client, server);
  }
});

test("makefile() encodes with encoding and errors as Python's codecs", async () => {
  const table: [string, string, string, number[] | string][] = [
    ["ascii", "replace", "café", [0x63, 0x61, 0x66, 0x3f]],
    ["latin-1", "strict", "café", [0x63, 0x61, 0x66, 0xe9]],
    ["latin-1", "ignore", "café€", [0x63, 0x61, 0x66, 0xe9]],
    [
      "ascii",
      "strict",
      "a\xe9\u20ac😀b",
      "'ascii' codec can't encode characters in position 1-3: ordinal not in range(128)",
    ],
    [
      "latin-1",
      "strict",
      "a😀b",
      "'latin-1' codec can't encode character '\\U0001f600' in position 1: ordinal not in range(256)",
    ],
    [
      "utf-8",
      "strict",
      "a\ud800b",
      "'utf-8' codec can't encode character '\\ud800' in position 1: surrogates not allowed",
    ],
    ["utf-8", "replace", "a\ud800b", [0x61, 0x3f, 0x62]],
  ];
  for (const [encoding, errors, text, expected] of table) {
    const { server, client, conn } = await tcpPair();
    const f = client.makefile("w", null, { encoding, errors });
    if (typeof expected === "string") {
      await assertRejects(
        () => f.write(text),
        socket.UnicodeEncodeError,
        expected,
      );
      await f.close();
    } else {
      await f.write(text);
      await f.close();
      client.close();
      assertEquals(await drain(conn), new Uint8Array(expected), encoding);
    }
    await closeAll(conn, client, server);
  }
});

test("makefile() file methods reject with Python's texts once closed", async () => {
  const { server, client, conn } = await tcpPair();
  const CLOSED = "I/O operation on closed file.";
  const SOCKET = "I/O operation on closed socket.";
  // [mode, buffering, method → [error class, text] or the value returned]
  const table: [
    string,
    number | null,
    Record<string, [ErrorClass, string] | boolean>,
  ][] = [
    ["r", null, {
      read: [socket.ValueError, CLOSED],
      readline: [socket.ValueError, CLOSED],
      readlines: [socket.ValueError, CLOSED],
      write: [socket.ValueError, CLOSED],
      flush: [socket.ValueError, CLOSED],
      fileno: [socket.ValueError, CLOSED],
      readable: [socket.ValueError, SOCKET],
      writable: false,
      seekable: [socket.ValueError, SOCKET],
    }],
    ["rw", null, {
      read: [socket.ValueError, CLOSED],
      write: [socket.ValueError, CLOSED],
      flush: [socket.ValueError, CLOSED],
      fileno: [socket.UnsupportedOperation, "fileno"],
      readable: [socket.ValueError, SOCKET],
      writable: [socket.ValueError, SOCKET],
      seekable: false,
    }],
    ["rb", null, {
      read: [socket.ValueError, "read of closed file"],
      readline: [socket.ValueError, "readline of closed file"],
      readlines: [socket.ValueError, CLOSED],
      flush: [socket.ValueError, CLOSED],
      write: [socket.UnsupportedOperation, "write"],
      fileno: [socket.ValueError, CLOSED],
      readable: [socket.ValueError, SOCKET],
      writable: false,
    }],
    ["wb", null, {
      read: [socket.UnsupportedOperation, "read"],
      readlines: [socket.ValueError, CLOSED],
      write: [socket.ValueError, "write to closed file"],
      flush: [socket.ValueError, "flush of closed file"],
      readable: false,
      writable: [socket.ValueError, SOCKET],
    }],
    ["rwb", null, {
      read: [socket.ValueError, "read of closed file"],
      readline: [socket.ValueError, "peek of closed file"],
      write: [socket.ValueError, "write to closed file"],
      flush: [socket.ValueError, "flush of closed file"],
      fileno: [socket.UnsupportedOperation, "fileno"],
    }],
    ["rwb", 0, {
      read: [socket.ValueError, CLOSED],
      readline: [socket.ValueError, CLOSED],
      write: [socket.ValueError, CLOSED],
      flush: [socket.ValueError, CLOSED],
      fileno: [socket.ValueError, CLOSED],
      readable: [socket.ValueError, SOCKET],
      writable: [socket.ValueError, SOCKET],
      seekable: [socket.ValueError, SOCKET],
      isatty: [socket.ValueError, CLOSED],
    }],
  ];
  for (const [mode, buffering, methods] of table) {
    const f = client.makefile(mode, buffering);
    await f.close();
    await f.close(); // idempotent
    assertEquals(f.closed, true);
    if (mode.includes("rw") && buffering === null) {
      assertThrows(() => f.name, TypeError, `${NO_ATTR} 'name'`);
    } else assertEquals(f.name, -1);
    for (const [method, outcome] of Object.entries(methods)) {
      const args = method === "write"
        ? [mode.includes("b") ? b("x") : "x"]
        : [];
      const call = async () =>
        // deno-lint-ignore no-explicit-any
        await (f as any)[method](...args);
      const label = `${mode} ${buffering} ${method}`;
      if (typeof outcome === "boolean") {
        assertEquals(await call(), outcome, label);
      } else await assertRejects(call, outcome[0], outcome[1], label);
    }
  }
  await closeAll(conn, client, server);
});

test("makefile() reading a write-only file or writing a read-only one is socket.UnsupportedOperation", async () => {
  const { server, client, conn } = await tcpPair();
  const table: [
    string,
    number | null,
    "read" | "readline" | "write" | "readinto" | "read1",
    string,
  ][] = [
    ["w", null, "read", "not readable"],
    ["w", null, "readline", "not readable"],
    ["r", null, "write", "not writable"],
    ["wb", null, "read", "read"],
    ["wb", null, "readline", "read"],
    ["wb", null, "readinto", "read"],
    ["wb", null, "read1", "read1"],
    ["rb", null, "write", "write"],
    ["wb", 0, "read", "File or stream is not readable."],
    ["wb", 0, "readinto", "File or stream is not readable."],
    ["rb", 0, "write", "File or stream is not writable."],
  ];
  for (const [mode, buffering, method, message] of table) {
    const f = client.makefile(mode, buffering);
    const arg = method === "write"
      ? mode.includes("b") ? b("x") : "x"
      : method === "readinto"
      ? new Uint8Array(1)
      : undefined;
    const err = await assertRejects(
      // deno-lint-ignore no-explicit-any
      () => (f as any)[method](arg),
      socket.UnsupportedOperation,
      message,
    );
    // Python's class is both.
    assertInstanceOf(err, socket.OSError);
    assertInstanceOf(err, socket.ValueError);
    await f.close();
  }
  await closeAll(conn, client, server);
});

test("makefile() files cannot seek: tell(), seek() and truncate() are socket.UnsupportedOperation", async () => {
  const { server, client, conn } = await tcpPair();
  const table: [string, number | null, string, string][] = [
    ["rb", 0, "seek", "seek"],
    ["rb", null, "seek", "File or stream is not seekable."],
    ["wb", null, "seek", "File or stream is not seekable."],
    ["rwb", null, "seek", "seek"],
    [
      "r",
      null,
      "underlying stream is not seekable",
      "underlying stream is not seekable",
    ],
  ];
  for (const [mode, buffering, tell, seek] of table) {
    const f = client.makefile(mode, buffering);
    assertThrows(() => f.tell(), socket.UnsupportedOperation, tell);
    assertThrows(() => f.seek(0), socket.UnsupportedOperation, seek);
    await assertRejects(
      () => f.truncate(),
      socket.UnsupportedOperation,
      "truncate",
    );
    await f.close();
  }
  await closeAll(conn, client, server);
});

test("makefile() keeps the socket open after close() until its files are closed", async () => {
  const { server, client, conn } = await tcpPair();
  const w = client.makefile("w");
  const r = client.makefile("rb");
  client.close();
  assert(client.fileno() > 0, "still open while files are");
  await w.write("after close\n");
  await w.close();
  assert(client.fileno() > 0, "one file is still open");
  assertEquals(str(await conn.recv(100)), "after close\n");
  await conn.sendall(b("reply"));
  assertEquals(str(await r.read(5)), "reply");
  await r.close();
  assertEquals(client.fileno(), -1);
  await assertRejects(
    () => client.recv(1),
    socket.OSError,
    "[Errno 9] Bad file descriptor",
  );
  assertEquals(await conn.recv(10), new Uint8Array()); // the peer sees end of stream
  await closeAll(conn, client, server);
});

test("makefile() file closed first leaves the socket open", async () => {
  const { server, client, conn } = await tcpPair();
  const f = client.makefile("wb");
  await f.write(b("x"));
  await f.close();
  assert(client.fileno() > 0);
  assertEquals(str(await conn.recv(10)), "x");
  await client.sendall(b("y"));
  assertEquals(str(await conn.recv(10)), "y");
  await closeAll(conn, client, server);
});

test("makefile() with await using closes the file and flushes it", async () => {
  const { server, client, conn } = await tcpPair();
  {
    await using f = client.makefile("w");
    await f.write("bye");
    client.close();
  }
  assertEquals(client.fileno(), -1);
  assertEquals(str(await drain(conn)), "bye");
  await closeAll(conn, server);
});

test("makefile() read after a timeout is refused, as SocketIO refuses it", async () => {
  const { server, client, conn } = await tcpPair();
  client.settimeout(0.05);
  await using f = client.makefile("rb");
  await assertRejects(() => f.read(1), socket.TimeoutError, "timed out");
  await conn.sendall(b("late"));
  await assertRejects(
    () => f.read(1),
    socket.OSError,
    "cannot read from timed out object",
  );
  await closeAll(conn, client, server);
});

test("makefile() readline() that times out loses the part of the line it read, in each mode, and the file then refuses reads (python3's answers)", async () => {
  for (const mode of ["rb", "r", "rwb", "rw"] as const) {
    const { server, client, conn } = await tcpPair();
    client.settimeout(0.1);
    await using f = client.makefile(mode);
    await conn.sendall(b("partial"));
    await assertRejects(() => f.readline(), socket.TimeoutError, "timed out");
    await conn.sendall(b(" rest\n"));
    await sleep(30);
    for (const read of [() => f.read(3), () => f.readline()]) {
      await assertRejects(
        read,
        socket.OSError,
        "cannot read from timed out object",
        mode,
      );
    }
    await closeAll(conn, client, server);
  }
});

test("makefile() file's repr is Python's", async () => {
  const { server, client, conn } = await tcpPair();
  const fd = client.fileno();
  const table: [string, number | null, RegExp][] = [
    ["r", null, /^<_io\.TextIOWrapper name=(\d+) mode='r' encoding='UTF-8'>$/],
    ["w", null, /^<_io\.TextIOWrapper name=(\d+) mode='w' encoding='UTF-8'>$/],
    ["rw", null, /^<_io\.TextIOWrapper mode='rw' encoding='UTF-8'>$/],
    ["rb", null, /^<_io\.BufferedReader name=(\d+)>$/],
    ["wb", null, /^<_io\.BufferedWriter name=(\d+)>$/],
    ["rwb", null, /^<_io\.BufferedRWPair object at 0x[0-9a-f]+>$/],
    ["rb", 0, /^<socket\.SocketIO object at 0x[0-9a-f]+>$/],
  ];
  for (const [mode, buffering, repr] of table) {
    const f = client.makefile(mode, buffering);
    const shown = String(f);
    assert(repr.test(shown), `${mode} ${buffering}: ${shown}`);
    const match = repr.exec(shown)!;
    if (match[1] !== undefined) assertEquals(Number(match[1]), fd);
    assertEquals(inspect(f), shown);
    await f.close();
    if (match[1] !== undefined) assert(String(f).includes("name=-1"));
  }
  const a = client.makefile("rwb");
  const c = client.makefile("rwb");
  assert(String(a) !== String(c), "each object has its own id");
  await a.close();
  await c.close();
  await closeAll(conn, client, server);
});

test("makefile() on a non-blocking socket: null from binary reads, '' from text reads, as CPython", async () => {
  const { server, client, conn } = await tcpPair();
  client.setblocking(false);
  const raw = client.makefile("rb", 0);
  assertEquals(await raw.read(5), null);
  assertEquals(await raw.readinto(new Uint8Array(5)), null);
  assertEquals(await raw.readall(), null);
  const buffered = client.makefile("rb");
  assertEquals(await buffered.read(5), null);
  assertEquals(await buffered.readinto(new Uint8Array(5)), null);
  assertEquals(await buffered.readline(), new Uint8Array());
  assertEquals(await buffered.peek(), new Uint8Array());
  const text = client.makefile("r");
  assertEquals(await text.read(5), "");
  assertEquals(await text.readline(), "");
  await conn.sendall(b("ab\n"));
  await sleep(50);
  assertEquals(str((await raw.read(1))!), "a");
  assertEquals(str(await buffered.read(5)), "b\n");
  for (const f of [raw, buffered, text]) await f.close();
  await closeAll(conn, client, server);
});

test("makefile() on a non-blocking socket: null from an unbuffered write, BlockingIOError with characters_written from a buffered one", async () => {
  const { server, client, conn } = await tcpPair();
  client.setblocking(false);
  const raw = client.makefile("wb", 0);
  const chunk = new Uint8Array(65536);
  let sent = 0;
  let blocked = false;
  // The socket's and the kernel's buffers fill within some megabytes.
  for (let i = 0; i < 4096 && !blocked; i++) {
    const n = await raw.write(chunk);
    if (n === null) blocked = true;
    else sent += n;
  }
  assert(blocked, `write() never returned null (${sent} bytes sent)`);
  const f = client.makefile("wb", 16);
  assertEquals(await f.write(new Uint8Array(10)), 10);
  const err = await assertRejects(
    () => f.write(new Uint8Array(100)),
    socket.BlockingIOError,
    "write could not complete without blocking",
  );
  assertEquals((err as socket.BlockingIOError).characters_written, 6);
  await assertRejects(() => f.flush(), socket.BlockingIOError);
  // close() still closes, and reports the flush's error.
  await assertRejects(() => f.close(), socket.BlockingIOError);
  assert(f.closed);
  await raw.close();
  client.close();
  await closeAll(conn, server);
});

test("makefile() binary files: readinto, read1, peek, writelines, detach", async () => {
  const { server, client, conn } = await tcpPair();
  const f = client.makefile("rb");
  await feed(conn, b("hello world\nbye\n"));
  const buf = new Uint8Array(5);
  assertEquals(await f.readinto(buf), 5);
  assertEquals(str(buf), "hello");
  assertEquals(str(await f.peek()), " world\nbye\n");
  assertEquals(str(await f.read1(3)), " wo");
  assertEquals(str(await f.readline()), "rld\n");
  const raw = await f.detach();
  assertEquals(f.raw, null);
  assertThrows(
    () => f.closed,
    socket.ValueError,
    "raw stream has been detached",
  );
  // What the reader had buffered went with it, as in CPython.
  assertEquals(await raw.read(10), new Uint8Array());
  await raw.close();
  const w = client.makefile("wb");
  await w.writelines([b("a"), new Uint16Array([0x6362]), b("\n")]);
  await w.close();
  assertEquals(str(await conn.recv(10)), "abc\n");
  await closeAll(conn, client, server);
});

test("makefile() text files: newlines, encoding, errors, buffer, line_buffering", async () => {
  const { server, client, conn } = await tcpPair();
  const f = client.makefile("r", null, { encoding: "latin-1" });
  assertEquals(f.newlines, null);
  await feed(conn, b("a\r\nb\nc\rd"));
  assertEquals(await f.readlines(), ["a\n", "b\n", "c\n", "d"]);
  assertEquals(f.newlines, ["\r", "\n", "\r\n"]);
  assertEquals([f.encoding, f.errors], ["latin-1", "strict"]);
  assertEquals([f.line_buffering, f.write_through], [false, false]);
  assertEquals(
    String(f.buffer),
    `<_io.BufferedReader name=${client.fileno()}>`,
  );
  const buffer = await f.detach();
  assertEquals(f.buffer, null);
  await assertRejects(
    () => f.read(),
    socket.ValueError,
    "underlying buffer has been detached",
  );
  await buffer.close();
  await closeAll(conn, client, server);
});

test("makefile() iterating a closed file is Python's ValueError", async () => {
  const { server, client, conn } = await tcpPair();
  const f = client.makefile("rb");
  await f.close();
  await assertRejects(
    async () => {
      for await (const _ of f) { /* nothing */ }
    },
    socket.ValueError,
    "I/O operation on closed file.",
  );
  await closeAll(conn, client, server);
});

/** A full garbage collection, on every runtime (Bun's own, V8's `gc()`). */
const gc: () => void = (() => {
  const bun = (globalThis as { Bun?: { gc(force: boolean): void } }).Bun;
  if (bun !== undefined) return () => bun.gc(true);
  v8.setFlagsFromString("--expose-gc");
  return vm.runInNewContext("gc") as () => void;
})();

/** Collects garbage until `done` settles (at most ~2 s of tries). */
async function collectUntil<T>(done: Promise<T>, what: string): Promise<T> {
  let settled = false;
  const watched = done.finally(() => settled = true);
  for (let i = 0; i < 100 && !settled; i++) {
    gc();
    await sleep(20);
  }
  return await bounded(watched, 1000, what);
}

test("makefile() file dropped without close() closes the closed socket when collected, as CPython's refcount does", async () => {
  for (
    const [mode, buffering] of [["rb", null], ["r", null], ["rwb", 0]] as const
  ) {
    const { server, client, conn } = await tcpPair();
    await client.sendall(b("line\n"));
    // The file is used and dropped: `conn.makefile("rb").readline()`.
    const line = await (async () =>
      await (conn.makefile(mode, buffering) as socket.SocketFile).readline())();
    assertEquals(line.length, 5, mode);
    conn.close();
    const eof = await collectUntil(
      client.recv(10),
      `${mode}: the peer's recv after the file was collected`,
    );
    assertEquals(eof, new Uint8Array(), mode); // the peer sees end of stream
    assertEquals(conn.fileno(), -1, mode);
    await closeAll(client, server);
  }
});

test("makefile() file still referenced, or its detached raw file, keeps the closed socket open through collections", async () => {
  const { server, client, conn } = await tcpPair();
  const f = conn.makefile("rb");
  const raw = await (async () => await conn.makefile("rb").detach())();
  conn.close();
  client.settimeout(0.05);
  for (let i = 0; i < 5; i++) {
    gc();
    await sleep(20);
  }
  await assertRejects(() => client.recv(10), socket.TimeoutError);
  assert(conn.fileno() > 0, "open while its files are");
  await client.sendall(b("x"));
  assertEquals(str(await bounded(f.read(1), 5000, "the file's read")), "x");
  await client.sendall(b("y"));
  const y = await bounded(raw.read(1), 5000, "the raw file's read");
  assertEquals(str(y!), "y");
  await f.close();
  assert(conn.fileno() > 0, "the detached raw file is still open");
  await raw.close();
  assertEquals(conn.fileno(), -1);
  client.settimeout(5);
  assertEquals(await client.recv(10), new Uint8Array());
  await closeAll(client, server);
});

test("makefile() strict decoding keeps the bytes it held back, so later reads fail again (python3's answers)", async () => {
  const { server, client, conn } = await tcpPair();
  client.settimeout(5);
  const f = client.makefile("r", null, { encoding: "utf-8" });
  await conn.sendall(new Uint8Array([0x41, 0xe2, 0x82]));
  await sleep(60);
  const first = assertRejects(
    () => f.readline(),
    socket.UnicodeDecodeError,
    "'utf-8' codec can't decode bytes in position 0-1: invalid continuation byte",
  );
  await sleep(60);
  await conn.sendall(new Uint8Array([0xff, 0x42, 0x0a]));
  await first;
  await sleep(60);
  await conn.sendall(b("C\n"));
  await sleep(60);
  await conn.shutdown(socket.SHUT_WR);
  // The decoder still holds e2 82: "C\n" cannot follow them, nor can EOF.
  await assertRejects(
    () => f.readline(),
    socket.UnicodeDecodeError,
    "'utf-8' codec can't decode bytes in position 0-1: invalid continuation byte",
  );
  for (let i = 0; i < 2; i++) {
    await assertRejects(
      () => f.readline(),
      socket.UnicodeDecodeError,
      "'utf-8' codec can't decode bytes in position 0-1: unexpected end of data",
    );
  }
  await f.close();
  await closeAll(conn, client, server);
});

test("makefile() a UTF-8 sequence cut off by end of stream fails every later read (python3's answers)", async () => {
  const { server, client, conn } = await tcpPair();
  const f = client.makefile("r");
  await feed(conn, new Uint8Array([0x6f, 0x6b, 0x0a, 0xe2, 0x82]));
  assertEquals(await f.readline(), "ok\n");
  for (let i = 0; i < 3; i++) {
    await assertRejects(
      () => f.readline(),
      socket.UnicodeDecodeError,
      "'utf-8' codec can't decode bytes in position 0-1: unexpected end of data",
    );
  }
  await f.close();
  await closeAll(conn, client, server);
});

test("makefile() writelines() iterates a str in text mode and rejects it in binary mode, with Python's type names", async () => {
  const { server, client, conn } = await tcpPair();
  for (const [mode, buffering] of [["w", null], ["rw", null]] as const) {
    const f = client.makefile(mode, buffering);
    await f.writelines("abc");
    await f.flush();
    assertEquals(str(await recvExactly(conn, 3)), "abc", mode);
    await f.close();
  }
  for (
    const [mode, buffering] of [["wb", null], ["rwb", null], ["wb", 0]] as const
  ) {
    const f = client.makefile(mode, buffering) as socket.SocketFile;
    await assertRejects(
      () => f.writelines("abc" as never),
      TypeError,
      "a bytes-like object is required, not 'str'",
    );
    await f.close();
  }
  for (const mode of ["w", "wb"]) {
    const f = client.makefile(mode) as socket.SocketFile;
    for (
      const [value, name] of [
        [5, "int"],
        [5.5, "float"],
        [null, "NoneType"],
        [undefined, "NoneType"],
        [true, "bool"],
      ] as const
    ) {
      await assertRejects(
        () => f.writelines(value as never),
        TypeError,
        `'${name}' object is not iterable`,
      );
    }
    await f.close();
  }
  await closeAll(conn, client, server);
});

test("makefile() text write(null) is Python's 'must be str, not None'", async () => {
  const { server, client, conn } = await tcpPair();
  await using f = client.makefile("w");
  const calls = [
    () => f.write(null as unknown as string),
    () => f.writelines([null] as unknown as string[]),
  ];
  for (const call of calls) {
    const err = await assertRejects(call, TypeError);
    assertEquals(err.message, "write() argument must be str, not None");
  }
  await closeAll(conn, client, server);
});

test("makefile() flush() and close() take no arguments, with CPython's texts, and close(1) does not close", async () => {
  const { server, client, conn } = await tcpPair();
  const table: [string, number | null, string, string][] = [
    [
      "rb",
      null,
      "BufferedReader.flush() takes no arguments (1 given)",
      "BufferedReader.close() takes no arguments (1 given)",
    ],
    [
      "wb",
      null,
      "BufferedWriter.flush() takes no arguments (1 given)",
      "BufferedWriter.close() takes no arguments (1 given)",
    ],
    [
      "rwb",
      null,
      "BufferedRWPair.flush() takes no arguments (1 given)",
      "BufferedRWPair.close() takes no arguments (1 given)",
    ],
    [
      "r",
      null,
      "TextIOWrapper.flush() takes no arguments (1 given)",
      "TextIOWrapper.close() takes no arguments (1 given)",
    ],
    [
      "rw",
      null,
      "TextIOWrapper.flush() takes no arguments (1 given)",
      "TextIOWrapper.close() takes no arguments (1 given)",
    ],
    [
      "rwb",
      0,
      "_IOBase.flush() takes no arguments (1 given)",
      "SocketIO.close() takes 1 positional argument but 2 were given",
    ],
  ];
  for (const [mode, buffering, flushText, closeText] of table) {
    const f = client.makefile(mode, buffering) as socket.SocketFile;
    const anyArgs = f as unknown as {
      flush(...args: unknown[]): Promise<void>;
      close(...args: unknown[]): Promise<void>;
    };
    await assertRejects(() => anyArgs.flush(1), TypeError, flushText);
    await assertRejects(() => anyArgs.close(1), TypeError, closeText);
    await assertRejects(() => anyArgs.close(null), TypeError, closeText);
    assertEquals(f.closed, false, `${mode} ${buffering}`);
    await f.close();
    assertEquals(f.closed, true, `${mode} ${buffering}`);
    await assertRejects(() => anyArgs.close(1), TypeError, closeText);
  }
  await closeAll(conn, client, server);
});

test("makefile() read sizes take a bigint as Python's int, and one beyond a Py_ssize_t is CPython's OverflowError", async () => {
  const { server, client, conn } = await tcpPair();
  await conn.sendall(b("hello world"));
  const f = client.makefile("rb");
  assertEquals(str(await f.read(5n as unknown as number)), "hello");
  await assertRejects(
    () => f.read(2n ** 63n as unknown as number),
    socket.OverflowError,
    "cannot fit 'int' into an index-sized integer",
  );
  assertEquals(
    str(await f.read1(2n ** 63n - 1n as unknown as number)),
    " world",
  );
  await f.close();
  const t = client.makefile("r");
  await conn.sendall(b("text"));
  assertEquals(await t.read(4n as unknown as number), "text");
  await t.close();
  await closeAll(conn, client, server);
});

test("makefile('rb').read(n) of many buffers' worth, sent in pieces after a line, returns every byte in order; at the end, what came", async () => {
  const { server, client, conn } = await tcpPair();
  const f = client.makefile("rb");
  const body = new Uint8Array(3 * 1024 * 1024 + 1234);
  for (let i = 0; i < body.length; i++) body[i] = (i * 7 + (i >> 11)) & 0xff;
  const sending = (async () => {
    await conn.sendall(b("LEN\n"));
    // Pieces of many sizes, some waited for.
    let at = 0;
    for (let k = 0; at < body.length; k++) {
      const size = [1, 100, 8191, 70_000, 300_000][k % 5];
      await conn.sendall(body.subarray(at, at + size));
      at += size;
      if (k % 7 === 0) await sleep(1);
    }
    await conn.sendall(b("tail"));
    await conn.shutdown(socket.SHUT_WR);
  })();
  assertEquals(str(await f.readline()), "LEN\n");
  const got = await f.read(body.length);
  assertEquals(got.length, body.length);
  assert(got.every((v, i) => v === body[i]), "the bytes, in order");
  assertEquals(str(await f.read(1 << 20)), "tail");
  assertEquals((await f.read(1 << 20)).length, 0);
  await sending;
  await f.close();
  await closeAll(client, conn, server);
});
