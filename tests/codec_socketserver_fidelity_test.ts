// Copyright the pysocket authors. MIT license.
// Against python3 3.11: the encoding names makefile() accepts (CPython's
// normalization and aliases table), the reading and seeking methods of
// socketserver's unbuffered wfile (`_SocketWriter`), and server_close()
// called by a ThreadingMixIn server's own handler.

import { assert, assertEquals, assertInstanceOf } from "@std/assert";
import * as socket from "../mod.ts";
import * as socketserver from "../socketserver.ts";
import { b, bounded, capturingStderr, sleep, str, test } from "./_util.ts";

type IPAddress = socket.IPv4Address;

/** Connects to a server on 127.0.0.1. */
function connect(address: unknown): Promise<socket.Socket> {
  return socket.create_connection(address as IPAddress, 5);
}

/** Reads until EOF. */
async function readAll(sock: socket.Socket): Promise<Uint8Array> {
  const parts: number[] = [];
  while (true) {
    const data = await sock.recv(1024);
    if (data.length === 0) return new Uint8Array(parts);
    parts.push(...data);
  }
}

function hex(bytes: Uint8Array): string {
  return [...bytes].map((x) => x.toString(16).padStart(2, "0")).join("");
}

// ------------------------------------------------------- encoding names

/**
 * python3 3.11.7: each name given to `makefile("w", encoding=name,
 * errors="replace")`, and what writing "é" sent (hex), or what was raised.
 * Every alias of `encodings.aliases` for utf_8, latin_1 and ascii, spelled
 * several ways, and names CPython refuses.
 */
const NAMES: [string, string | [string, string]][] = [
  ["646", "3f"],
  [" 646\t", "3f"],
  ["--646--", "3f"],
  ["8859", "e9"],
  [" 8859\t", "e9"],
  ["--8859--", "e9"],
  ["ansi_x3.4_1968", "3f"],
  ["ANSI_X3.4_1968", "3f"],
  ["ansi-x3.4-1968", "3f"],
  ["ansi x3.4 1968", "3f"],
  [" ansi_x3.4_1968\t", "3f"],
  ["--ANSI_X3.4_1968--", "3f"],
  ["ansi@:x3.4@:1968", "3f"],
  ["ansix3.41968", ["LookupError", "unknown encoding: ansix3.41968"]],
  ["ansi_x3.4_1986", "3f"],
  ["ANSI_X3.4_1986", "3f"],
  ["ansi-x3.4-1986", "3f"],
  ["ansi x3.4 1986", "3f"],
  [" ansi_x3.4_1986\t", "3f"],
  ["--ANSI_X3.4_1986--", "3f"],
  ["ansi@:x3.4@:1986", "3f"],
  ["ansix3.41986", ["LookupError", "unknown encoding: ansix3.41986"]],
  ["ansi_x3_4_1968", "3f"],
  ["ANSI_X3_4_1968", "3f"],
  ["ansi-x3-4-1968", "3f"],
  ["ansi x3 4 1968", "3f"],
  [" ansi_x3_4_1968\t", "3f"],
  ["--ANSI_X3_4_1968--", "3f"],
  ["ansi@:x3@:4@:1968", "3f"],
  ["ansix341968", ["LookupError", "unknown encoding: ansix341968"]],
  ["cp367", "3f"],
  ["CP367", "3f"],
  [" cp367\t", "3f"],
  ["--CP367--", "3f"],
  ["cp65001", "c3a9"],
  ["CP65001", "c3a9"],
  [" cp65001\t", "c3a9"],
  ["--CP65001--", "c3a9"],
  ["cp819", "e9"],
  ["CP819", "e9"],
  [" cp819\t", "e9"],
  ["--CP819--", "e9"],
  ["csascii", "3f"],
  ["CSASCII", "3f"],
  [" csascii\t", "3f"],
  ["--CSASCII--", "3f"],
  ["csisolatin1", "e9"],
  ["CSISOLATIN1", "e9"],
  [" csisolatin1\t", "e9"],
  ["--CSISOLATIN1--", "e9"],
  ["ibm367", "3f"],
  ["IBM367", "3f"],
  [" ibm367\t", "3f"],
  ["--IBM367--", "3f"],
  ["ibm819", "e9"],
  ["IBM819", "e9"],
  [" ibm819\t", "e9"],
  ["--IBM819--", "e9"],
  ["iso646_us", "3f"],
  ["ISO646_US", "3f"],
  ["iso646-us", "3f"],
  ["iso646 us", "3f"],
  [" iso646_us\t", "3f"],
  ["--ISO646_US--", "3f"],
  ["iso646@:us", "3f"],
  ["iso646us", ["LookupError", "unknown encoding: iso646us"]],
  ["iso8859", "e9"],
  ["ISO8859", "e9"],
  [" iso8859\t", "e9"],
  ["--ISO8859--", "e9"],
  ["iso8859_1", "e9"],
  ["ISO8859_1", "e9"],
  ["iso8859-1", "e9"],
  ["iso8859 1", "e9"],
  [" iso8859_1\t", "e9"],
  ["--ISO8859_1--", "e9"],
  ["iso8859@:1", "e9"],
  ["iso88591", ["LookupError", "unknown encoding: iso88591"]],
  ["iso_646.irv_1991", "3f"],
  ["ISO_646.IRV_1991", "3f"],
  ["iso-646.irv-1991", "3f"],
  ["iso 646.irv 1991", "3f"],
  [" iso_646.irv_1991\t", "3f"],
  ["--ISO_646.IRV_1991--", "3f"],
  ["iso@:646.irv@:1991", "3f"],
  ["iso646.irv1991", ["LookupError", "unknown encoding: iso646.irv1991"]],
  ["iso_8859_1", "e9"],
  ["ISO_8859_1", "e9"],
  ["iso-8859-1", "e9"],
  ["iso 8859 1", "e9"],
  [" iso_8859_1\t", "e9"],
  ["--ISO_8859_1--", "e9"],
  ["iso@:8859@:1", "e9"],
  ["iso_8859_1_1987", "e9"],
  ["ISO_8859_1_1987", "e9"],
  ["iso-8859-1-1987", "e9"],
  ["iso 8859 1 1987", "e9"],
  [" iso_8859_1_1987\t", "e9"],
  ["--ISO_8859_1_1987--", "e9"],
  ["iso@:8859@:1@:1987", "e9"],
  ["iso885911987", ["LookupError", "unknown encoding: iso885911987"]],
  ["iso_ir_100", "e9"],
  ["ISO_IR_100", "e9"],
  ["iso-ir-100", "e9"],
  ["iso ir 100", "e9"],
  [" iso_ir_100\t", "e9"],
  ["--ISO_IR_100--", "e9"],
  ["iso@:ir@:100", "e9"],
  ["isoir100", ["LookupError", "unknown encoding: isoir100"]],
  ["iso_ir_6", "3f"],
  ["ISO_IR_6", "3f"],
  ["iso-ir-6", "3f"],
  ["iso ir 6", "3f"],
  [" iso_ir_6\t", "3f"],
  ["--ISO_IR_6--", "3f"],
  ["iso@:ir@:6", "3f"],
  ["isoir6", ["LookupError", "unknown encoding: isoir6"]],
  ["l1", "e9"],
  ["L1", "e9"],
  [" l1\t", "e9"],
  ["--L1--", "e9"],
  ["latin", "e9"],
  ["LATIN", "e9"],
  [" latin\t", "e9"],
  ["--LATIN--", "e9"],
  ["latin1", "e9"],
  ["LATIN1", "e9"],
  [" latin1\t", "e9"],
  ["--LATIN1--", "e9"],
  ["u8", "c3a9"],
  ["U8", "c3a9"],
  [" u8\t", "c3a9"],
  ["--U8--", "c3a9"],
  ["us", "3f"],
  ["US", "3f"],
  [" us\t", "3f"],
  ["--US--", "3f"],
  ["us_ascii", "3f"],
  ["US_ASCII", "3f"],
  ["us-ascii", "3f"],
  ["us ascii", "3f"],
  [" us_ascii\t", "3f"],
  ["--US_ASCII--", "3f"],
  ["us@:ascii", "3f"],
  ["usascii", ["LookupError", "unknown encoding: usascii"]],
  ["utf", "c3a9"],
  ["UTF", "c3a9"],
  [" utf\t", "c3a9"],
  ["--UTF--", "c3a9"],
  ["utf8", "c3a9"],
  ["UTF8", "c3a9"],
  [" utf8\t", "c3a9"],
  ["--UTF8--", "c3a9"],
  ["utf8_ucs2", "c3a9"],
  ["UTF8_UCS2", "c3a9"],
  ["utf8-ucs2", "c3a9"],
  ["utf8 ucs2", "c3a9"],
  [" utf8_ucs2\t", "c3a9"],
  ["--UTF8_UCS2--", "c3a9"],
  ["utf8@:ucs2", "c3a9"],
  ["utf8ucs2", ["LookupError", "unknown encoding: utf8ucs2"]],
  ["utf8_ucs4", "c3a9"],
  ["UTF8_UCS4", "c3a9"],
  ["utf8-ucs4", "c3a9"],
  ["utf8 ucs4", "c3a9"],
  [" utf8_ucs4\t", "c3a9"],
  ["--UTF8_UCS4--", "c3a9"],
  ["utf8@:ucs4", "c3a9"],
  ["utf8ucs4", ["LookupError", "unknown encoding: utf8ucs4"]],
  ["utf_8", "c3a9"],
  ["UTF_8", "c3a9"],
  ["utf-8", "c3a9"],
  ["utf 8", "c3a9"],
  [" utf_8\t", "c3a9"],
  ["--UTF_8--", "c3a9"],
  ["utf@:8", "c3a9"],
  ["latin_1", "e9"],
  ["LATIN_1", "e9"],
  ["latin-1", "e9"],
  ["latin 1", "e9"],
  [" latin_1\t", "e9"],
  ["--LATIN_1--", "e9"],
  ["latin@:1", "e9"],
  ["ascii", "3f"],
  ["ASCII", "3f"],
  [" ascii\t", "3f"],
  ["--ASCII--", "3f"],
  ["UTF-8-", "c3a9"],
  ["UTF@8", "c3a9"],
  ["--utf-8--", "c3a9"],
  ["UTF 8", "c3a9"],
  ["ut f8", ["LookupError", "unknown encoding: ut f8"]],
  ["u.t.f.8", ["LookupError", "unknown encoding: u.t.f.8"]],
  ["utf.8", ["LookupError", "unknown encoding: utf.8"]],
  ["utf8.", ["LookupError", "unknown encoding: utf8."]],
  ["ascii.", ["LookupError", "unknown encoding: ascii."]],
  [".ascii", ["LookupError", "unknown encoding: .ascii"]],
  ["ANSI_X3.4..1968", ["LookupError", "unknown encoding: ANSI_X3.4..1968"]],
  ["iso_8859_1:1987", "e9"],
  ["iso_646.irv:1991", "3f"],
  ["ISO_646.IRV-1991", "3f"],
  ["iso_646_irv_1991", ["LookupError", "unknown encoding: iso_646_irv_1991"]],
  ["latin+1", "e9"],
  ["utf\u00e98", "c3a9"],
  ["us\u00e9ascii", "3f"],
  ["lat\u00efn1", ["LookupError", "unknown encoding: lat\u00efn1"]],
  ["a\u00dfcii", ["LookupError", "unknown encoding: a\u00dfcii"]],
  ["\u0130tf8", ["LookupError", "unknown encoding: \u0130tf8"]],
  ["UTF\uff18", "c3a9"],
  ["utf\u0668", "c3a9"],
  ["ascii\u00e9", "3f"],
  ["", ["LookupError", "unknown encoding: "]],
  ["_", ["LookupError", "unknown encoding: _"]],
  ["-", ["LookupError", "unknown encoding: -"]],
  ["...", ["LookupError", "unknown encoding: ..."]],
  ["constructor", ["LookupError", "unknown encoding: constructor"]],
  ["toString", ["LookupError", "unknown encoding: toString"]],
  ["__proto__", ["LookupError", "unknown encoding: __proto__"]],
  ["hasOwnProperty", ["LookupError", "unknown encoding: hasOwnProperty"]],
  ["valueOf", ["LookupError", "unknown encoding: valueOf"]],
  ["aliases", ["LookupError", "unknown encoding: aliases"]],
  ["utf8\u0000", ["ValueError", "embedded null character"]],
  ["\u0000", ["ValueError", "embedded null character"]],
  ["utf\udc808", [
    "UnicodeEncodeError",
    "'utf-8' codec can't encode character '\\udc80' in position 3: surrogates not allowed",
  ]],
  ["utf-9", ["LookupError", "unknown encoding: utf-9"]],
  ["latin-9x", ["LookupError", "unknown encoding: latin-9x"]],
  ["l2x", ["LookupError", "unknown encoding: l2x"]],
  ["utf_8_", "c3a9"],
  ["_utf_8", "c3a9"],
  ["UTF_8\n", "c3a9"],
  ["locale_x", ["LookupError", "unknown encoding: locale_x"]],
  ["u 8", ["LookupError", "unknown encoding: u 8"]],
  ["u_8", ["LookupError", "unknown encoding: u_8"]],
  ["iso-8859-1 ", "e9"],
  ["cp-65001", ["LookupError", "unknown encoding: cp-65001"]],
  ["CP_819", ["LookupError", "unknown encoding: CP_819"]],
  ["8859-1", ["LookupError", "unknown encoding: 8859-1"]],
  ["88591", ["LookupError", "unknown encoding: 88591"]],
];

test("makefile(): encoding names as CPython normalizes and aliases them", async () => {
  const [a, peer] = await socket.socketpair();
  try {
    const wrong: string[] = [];
    for (const [name, want] of NAMES) {
      let got: string | [string, string];
      try {
        const f = a.makefile("w", null, { encoding: name, errors: "replace" });
        await f.write("é");
        await f.flush();
        await f.close();
        got = typeof want === "string"
          ? hex(await bounded(peer.recv(want.length / 2), 5000, "recv"))
          : "no error";
      } catch (e) {
        const err = e as Error;
        got = [err.name, err.message];
      }
      if (JSON.stringify(got) !== JSON.stringify(want)) {
        wrong.push(`${JSON.stringify(name)}: ${JSON.stringify(got)}`);
      }
    }
    assertEquals(wrong, []);
  } finally {
    a.close();
    peer.close();
  }
});

test("makefile(): an encoding or errors name with a NUL is ValueError, as CPython's", async () => {
  const [a, peer] = await socket.socketpair();
  try {
    for (
      const options of [{ encoding: "utf8\0" }, { errors: "strict\0" }]
    ) {
      let error: unknown;
      try {
        a.makefile("r", null, options);
      } catch (e) {
        error = e;
      }
      assertInstanceOf(error, socket.ValueError);
      assertEquals((error as Error).message, "embedded null character");
    }
    // A lone surrogate: the name cannot be a C string.
    let error: unknown;
    try {
      a.makefile("r", null, { errors: "x\udc80" });
    } catch (e) {
      error = e;
    }
    assertInstanceOf(error, socket.UnicodeEncodeError);
    assertEquals(
      (error as Error).message,
      "'utf-8' codec can't encode character '\\udc80' in position 1: surrogates not allowed",
    );
  } finally {
    a.close();
    peer.close();
  }
});

// ----------------------------------------------------------- _SocketWriter

/**
 * python3 3.11.7: the unbuffered wfile's methods, open then closed
 * (`show(label, fn)`: the result's repr, or `EXC <class> <message>`).
 */
const SOCKET_WRITER: string[] = [
  "open read EXC UnsupportedOperation read",
  "open read5 EXC UnsupportedOperation read",
  "open read_str EXC UnsupportedOperation read",
  "open read1 EXC UnsupportedOperation read1",
  "open read1_str EXC UnsupportedOperation read1",
  "open read1_None EXC UnsupportedOperation read1",
  "open seek_none EXC UnsupportedOperation seek",
  "open trunc_str EXC UnsupportedOperation truncate",
  "open read1_5 EXC UnsupportedOperation read1",
  "open readinto EXC UnsupportedOperation read",
  "open readinto1 EXC UnsupportedOperation read1",
  "open readinto_str EXC TypeError readinto() argument must be read-write bytes-like object, not str",
  "open readline EXC UnsupportedOperation read",
  "open readline5 EXC UnsupportedOperation read",
  "open readline_str EXC TypeError argument should be integer or None, not 'str'",
  "open readlines EXC UnsupportedOperation read",
  "open readlines_str EXC TypeError argument should be integer or None, not 'str'",
  "open isatty False",
  "open seek EXC UnsupportedOperation seek",
  "open seek2 EXC UnsupportedOperation seek",
  "open seek_str EXC UnsupportedOperation seek",
  "open tell EXC UnsupportedOperation seek",
  "open truncate EXC UnsupportedOperation truncate",
  "open truncate0 EXC UnsupportedOperation truncate",
  "open fileno True",
  "open readable False",
  "open seekable False",
  "open writable True",
  "open iter EXC UnsupportedOperation read",
  "open detach EXC UnsupportedOperation detach",
  "open closed False",
  "open flush None",
  "open writelines None",
  "open write 0",
  "closed read EXC UnsupportedOperation read",
  "closed read5 EXC UnsupportedOperation read",
  "closed read_str EXC UnsupportedOperation read",
  "closed read1 EXC UnsupportedOperation read1",
  "closed read1_str EXC UnsupportedOperation read1",
  "closed read1_None EXC UnsupportedOperation read1",
  "closed seek_none EXC UnsupportedOperation seek",
  "closed trunc_str EXC UnsupportedOperation truncate",
  "closed read1_5 EXC UnsupportedOperation read1",
  "closed readinto EXC UnsupportedOperation read",
  "closed readinto1 EXC UnsupportedOperation read1",
  "closed readinto_str EXC TypeError readinto() argument must be read-write bytes-like object, not str",
  "closed readline EXC UnsupportedOperation read",
  "closed readline5 EXC UnsupportedOperation read",
  "closed readline_str EXC TypeError argument should be integer or None, not 'str'",
  "closed readlines EXC ValueError I/O operation on closed file.",
  "closed readlines_str EXC TypeError argument should be integer or None, not 'str'",
  "closed isatty EXC ValueError I/O operation on closed file.",
  "closed seek EXC UnsupportedOperation seek",
  "closed seek2 EXC UnsupportedOperation seek",
  "closed seek_str EXC UnsupportedOperation seek",
  "closed tell EXC UnsupportedOperation seek",
  "closed truncate EXC UnsupportedOperation truncate",
  "closed truncate0 EXC UnsupportedOperation truncate",
  "closed fileno True",
  "closed readable False",
  "closed seekable False",
  "closed writable True",
  "closed iter EXC ValueError I/O operation on closed file.",
  "closed detach EXC UnsupportedOperation detach",
  "closed closed True",
  "closed flush EXC ValueError I/O operation on closed file.",
  "closed writelines EXC ValueError I/O operation on closed file.",
  "closed write 0",
];

/** Python's repr of a result. */
function pyRepr(value: unknown): string {
  if (value === true) return "True";
  if (value === false) return "False";
  if (value === null || value === undefined) return "None";
  return String(value);
}

test("StreamRequestHandler: the unbuffered wfile reads and seeks as CPython's _SocketWriter", async () => {
  const out: string[] = [];
  const show = async (label: string, fn: () => unknown) => {
    try {
      out.push(`${label} ${pyRepr(await fn())}`);
    } catch (e) {
      out.push(`${label} EXC ${(e as Error).name} ${(e as Error).message}`);
    }
  };
  class Probe extends socketserver.StreamRequestHandler {
    override async handle() {
      // deno-lint-ignore no-explicit-any
      const w = this.wfile as any;
      for (const phase of ["open", "closed"]) {
        const ba = new Uint8Array(4);
        const calls: [string, () => unknown][] = [
          ["read", () => w.read()],
          ["read5", () => w.read(5)],
          ["read_str", () => w.read("x")],
          ["read1", () => w.read1()],
          ["read1_str", () => w.read1("x")],
          ["read1_None", () => w.read1(null)],
          ["seek_none", () => w.seek()],
          ["trunc_str", () => w.truncate("x")],
          ["read1_5", () => w.read1(5)],
          ["readinto", () => w.readinto(ba)],
          ["readinto1", () => w.readinto1(ba)],
          ["readinto_str", () => w.readinto("x")],
          ["readline", () => w.readline()],
          ["readline5", () => w.readline(5)],
          ["readline_str", () => w.readline("x")],
          ["readlines", () => w.readlines()],
          ["readlines_str", () => w.readlines("x")],
          ["isatty", () => w.isatty()],
          ["seek", () => w.seek(0)],
          ["seek2", () => w.seek(0, 1)],
          ["seek_str", () => w.seek("x")],
          ["tell", () => w.tell()],
          ["truncate", () => w.truncate()],
          ["truncate0", () => w.truncate(0)],
          ["fileno", () => w.fileno() > 0],
          ["readable", () => w.readable()],
          ["seekable", () => w.seekable()],
          ["writable", () => w.writable()],
          ["iter", () => w[Symbol.asyncIterator]().next()],
          ["detach", () => w.detach()],
          ["closed", () => w.closed],
          ["flush", () => w.flush()],
          ["writelines", () => w.writelines([])],
          ["write", () => w.write(new Uint8Array(0))],
        ];
        for (const [name, fn] of calls) await show(`${phase} ${name}`, fn);
        await w.close();
      }
    }
  }
  const server = new socketserver.TCPServer(["127.0.0.1", 0], Probe);
  try {
    using client = await connect(server.server_address);
    await bounded(server.handle_request(), 5000, "handle_request()");
    assertEquals(out, SOCKET_WRITER);
    assertEquals(hex(await bounded(readAll(client), 5000, "EOF")), "");
  } finally {
    await server.server_close();
  }
});

// ------------------------------------------- server_close() from a handler

test("ThreadingTCPServer: server_close() in a handler raises RuntimeError('cannot join current thread')", async () => {
  // python3 3.11: the listening socket is closed, the handler's
  // server_close() raises, handle_error() prints the traceback, and
  // shutdown_request() ends the connection at once.
  const errors: unknown[] = [];
  let after = false;
  class Closing extends socketserver.BaseRequestHandler<socket.Socket> {
    override async handle() {
      await this.request.sendall(b("hi"));
      try {
        await this.server.server_close();
      } catch (e) {
        errors.push(e);
        throw e;
      }
      after = true;
    }
  }
  const server = new socketserver.ThreadingTCPServer(
    ["127.0.0.1", 0],
    Closing,
  );
  const address = server.server_address;
  using client = await connect(address);
  const { printed } = await capturingStderr(async () => {
    await bounded(server.handle_request(), 5000, "handle_request()");
    assertEquals(str(await bounded(client.recv(10), 5000, "recv")), "hi");
    assertEquals(str(await bounded(readAll(client), 5000, "EOF")), "");
    await bounded(server.server_close(), 5000, "server_close()");
  });
  assertEquals(after, false);
  assertEquals(errors.length, 1);
  assertInstanceOf(errors[0], socket.RuntimeError);
  assertEquals((errors[0] as Error).message, "cannot join current thread");
  const lines = printed.join("\n").split("\n").filter((l) => l !== "");
  assertEquals(lines[0], "-".repeat(40));
  assert(
    lines[1].startsWith(
      "Exception occurred during processing of request from ('127.0.0.1', ",
    ),
    lines[1],
  );
  assertEquals(lines[2], "Traceback (most recent call last):");
  assertEquals(lines.at(-2), "RuntimeError: cannot join current thread");
  assertEquals(lines.at(-1), "-".repeat(40));
  // The listening socket was closed first, as TCPServer.server_close().
  let refused: unknown;
  try {
    (await connect(address)).close();
  } catch (e) {
    refused = e;
  }
  assertInstanceOf(refused, socket.ConnectionRefusedError);
});

test("ThreadingTCPServer: a handler's server_close() waits for earlier requests only, as Python's join", async () => {
  // python3 3.11 (threads A, B, C started in that order; B calls
  // server_close()): B waits for A, then raises; C is not waited for, by
  // B nor by a later server_close() (the list was emptied).
  const events: string[] = [];
  const release = Promise.withResolvers<void>();
  class Handler extends socketserver.BaseRequestHandler<socket.Socket> {
    override async handle() {
      const tag = str(await this.request.recv(1));
      if (tag === "B") {
        try {
          await this.server.server_close();
        } catch (e) {
          events.push(`B ${(e as Error).name}`);
          throw e;
        }
      } else if (tag === "A") {
        await sleep(300);
        events.push("A done");
      } else {
        await release.promise;
        events.push("C done");
      }
    }
  }
  class Quiet extends socketserver.ThreadingTCPServer {
    override handle_error() {
      events.push("handle_error");
    }
  }
  const server = new Quiet(["127.0.0.1", 0], Handler);
  const clients: socket.Socket[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      clients.push(await connect(server.server_address));
      await bounded(server.handle_request(), 5000, "handle_request()");
    }
    await clients[0].sendall(b("A"));
    await clients[2].sendall(b("C"));
    await sleep(50);
    await clients[1].sendall(b("B"));
    assertEquals(str(await bounded(readAll(clients[1]), 5000, "EOF")), "");
    events.push("B eof");
    await bounded(server.server_close(), 5000, "server_close()");
    events.push("main closed");
    assertEquals(events, [
      "A done",
      "B RuntimeError",
      "handle_error",
      "B eof",
      "main closed",
    ]);
  } finally {
    release.resolve();
    for (const c of clients) {
      await bounded(readAll(c), 5000, "EOF").catch(() => {});
      c.close();
    }
  }
  assertEquals(events.at(-1), "C done");
});

test("ThreadingTCPServer: server_close() from outside waits for the requests in flight", async () => {
  let done = false;
  class Slow extends socketserver.BaseRequestHandler<socket.Socket> {
    override async handle() {
      await this.request.recv(1);
      await sleep(200);
      done = true;
      await this.request.sendall(b("ok"));
    }
  }
  const server = new socketserver.ThreadingTCPServer(["127.0.0.1", 0], Slow);
  using client = await connect(server.server_address);
  await bounded(server.handle_request(), 5000, "handle_request()");
  await client.sendall(b("x"));
  await bounded(server.server_close(), 5000, "server_close()");
  assertEquals(done, true);
  assertEquals(str(await bounded(readAll(client), 5000, "EOF")), "ok");
});

test("ThreadingTCPServer: a handler's server_close() of another server waits for that server's requests", async () => {
  let otherDone = false;
  class Other extends socketserver.BaseRequestHandler<socket.Socket> {
    override async handle() {
      await sleep(200);
      otherDone = true;
    }
  }
  const other = new socketserver.ThreadingTCPServer(["127.0.0.1", 0], Other);
  let closedOther = false;
  class Closer extends socketserver.BaseRequestHandler<socket.Socket> {
    override async handle() {
      await other.server_close();
      closedOther = otherDone;
    }
  }
  const server = new socketserver.ThreadingTCPServer(["127.0.0.1", 0], Closer);
  try {
    using c1 = await connect(other.server_address);
    await bounded(other.handle_request(), 5000, "handle_request()");
    using c2 = await connect(server.server_address);
    await bounded(server.handle_request(), 5000, "handle_request()");
    assertEquals(str(await bounded(readAll(c2), 5000, "EOF")), "");
    assertEquals(closedOther, true);
    assertEquals(str(await bounded(readAll(c1), 5000, "EOF")), "");
  } finally {
    await bounded(server.server_close(), 5000, "server_close()");
    await bounded(other.server_close(), 5000, "server_close()");
  }
});
