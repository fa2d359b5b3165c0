// Copyright the pysocket authors. MIT license.
// Round 19: Python's type names, against python3 3.11 on Linux, in a
// minified bundle as unbundled. A minifier renames every class, and
// Python's messages read pysocket's classes' names: `s.settimeout(ctx)` is
// `'SSLContext' object cannot be interpreted as an integer`, not `'vi'
// object …`. A type CPython makes in C is named with its module
// (`'_io.BufferedReader'`, `'select.poll'`); the default repr of
// pysocket's objects is Python's, module first (`<ssl.SSLContext object at
// 0x…>`, a per-object id where CPython shows an address); a user's subclass
// keeps its own name.

import { assert, assertEquals, assertNotEquals } from "@std/assert";
import * as socket from "../mod.ts";
import * as select from "../select.ts";
import * as selectors from "../selectors.ts";
import * as socketserver from "../socketserver.ts";
import * as ssl from "../ssl.ts";
import { test } from "./_util.ts";
import { ESBUILD, importBundle } from "./_bundle.ts";

/** The library's modules, for a bundle of them to export. */
const ENTRY = `
import * as socket from "./mod.ts";
import * as select from "./select.ts";
import * as selectors from "./selectors.ts";
import * as socketserver from "./socketserver.ts";
import * as ssl from "./ssl.ts";
export { socket, select, selectors, socketserver, ssl };`;

interface Lib {
  socket: typeof socket;
  select: typeof select;
  selectors: typeof selectors;
  socketserver: typeof socketserver;
  ssl: typeof ssl;
}

/** The message of what `call` raises (or its promise rejects with). */
async function raised(call: () => unknown): Promise<string> {
  try {
    await call();
    return "no raise";
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
}

/** The per-object ids of reprs, as one. */
function sameIds(message: string): string {
  return message.replace(/ at 0x[0-9a-f]+>/g, " at 0x…>");
}

/** Python's names in messages, made by the library given. */
async function names(lib: Lib): Promise<Record<string, string>> {
  const s = lib.socket.socket();
  const sel = new lib.selectors.SelectSelector();
  const server = new lib.socketserver.TCPServer(
    ["127.0.0.1", 0],
    lib.socketserver.BaseRequestHandler,
    false,
  );
  // A user's subclass, outside the bundle: its own name, no module.
  class MyServer extends lib.socketserver.TCPServer {}
  const mine = new MyServer(
    ["127.0.0.1", 0],
    lib.socketserver.BaseRequestHandler,
    false,
  );
  const udp = new lib.socketserver.UDPServer(
    ["127.0.0.1", 0],
    lib.socketserver.BaseRequestHandler,
    false,
  );
  const threading = new lib.socketserver.ThreadingTCPServer(
    ["127.0.0.1", 0],
    lib.socketserver.BaseRequestHandler,
    false,
  );
  const selectors = [
    new lib.selectors.PollSelector(),
    new lib.selectors.EpollSelector(),
    new lib.selectors.DefaultSelector(),
  ];
  const ctx = new lib.ssl.SSLContext(lib.ssl.PROTOCOL_TLS_CLIENT);
  const poll = lib.select.poll();
  const bytesIO = new lib.socketserver.BytesIO();
  const files = {
    rb: s.makefile("rb"),
    wb: s.makefile("wb"),
    rwb: s.makefile("rwb"),
    r: s.makefile("r"),
    rb0: s.makefile("rb", 0),
  };
  try {
    const objects: Record<string, unknown> = {
      SSLContext: ctx,
      SelectSelector: sel,
      PollSelector: selectors[0],
      EpollSelector: selectors[1],
      DefaultSelector: selectors[2],
      SelectorKey: sel.register(s, lib.selectors.EVENT_READ),
      _SelectorMapping: sel.get_map(),
      poll,
      BytesIO: bytesIO,
      TCPServer: server,
      UDPServer: udp,
      ThreadingTCPServer: threading,
      MyServer: mine,
      ...files,
    };
    const got: Record<string, string> = {};
    for (const [label, o] of Object.entries(objects)) {
      got[label] = await raised(() => s.settimeout(o as never));
    }
    got["send(poll)"] = await raised(() => s.send(poll as never));
    got["inet_aton(rb)"] = await raised(() =>
      lib.socket.inet_aton(files.rb as never)
    );
    // A default repr (CPython's `object.__repr__`).
    for (
      const [label, o] of Object.entries({ ctx, poll, bytesIO }) as [
        string,
        unknown,
      ][]
    ) {
      got[`repr ${label}`] = sameIds(
        await raised(() => sel.register(o as never, 1)),
      );
    }
    got["repr map"] = sameIds(
      await raised(() => sel.register(sel.get_map() as never, 1)),
    );
    got["repr class"] = await raised(() =>
      sel.register(lib.ssl.SSLContext as never, 1)
    );
    got["repr server"] = sameIds(
      await raised(() => sel.get_key(server as never)),
    );
    got["repr subclass"] = sameIds(
      await raised(() => sel.get_key(mine as never)),
    );
    return got;
  } finally {
    for (const f of Object.values(files)) void f.close();
    for (const each of [sel, ...selectors]) each.close();
    for (const each of [server, mine, udp, threading]) each.server_close();
    s.close();
  }
}

// python3: s.settimeout(x) for each, s.send(select.poll()),
// socket.inet_aton(s.makefile("rb")), sel.register(x, 1), sel.get_key(x).
const NAMES: Record<string, string> = {
  SSLContext:
    "TypeError: 'SSLContext' object cannot be interpreted as an integer",
  SelectSelector:
    "TypeError: 'SelectSelector' object cannot be interpreted as an integer",
  PollSelector:
    "TypeError: 'PollSelector' object cannot be interpreted as an integer",
  EpollSelector:
    "TypeError: 'EpollSelector' object cannot be interpreted as an integer",
  DefaultSelector:
    "TypeError: 'EpollSelector' object cannot be interpreted as an integer",
  SelectorKey:
    "TypeError: 'SelectorKey' object cannot be interpreted as an integer",
  _SelectorMapping:
    "TypeError: '_SelectorMapping' object cannot be interpreted as an integer",
  poll: "TypeError: 'select.poll' object cannot be interpreted as an integer",
  BytesIO:
    "TypeError: '_io.BytesIO' object cannot be interpreted as an integer",
  TCPServer:
    "TypeError: 'TCPServer' object cannot be interpreted as an integer",
  UDPServer:
    "TypeError: 'UDPServer' object cannot be interpreted as an integer",
  ThreadingTCPServer:
    "TypeError: 'ThreadingTCPServer' object cannot be interpreted as an integer",
  MyServer: "TypeError: 'MyServer' object cannot be interpreted as an integer",
  rb:
    "TypeError: '_io.BufferedReader' object cannot be interpreted as an integer",
  wb:
    "TypeError: '_io.BufferedWriter' object cannot be interpreted as an integer",
  rwb:
    "TypeError: '_io.BufferedRWPair' object cannot be interpreted as an integer",
  r: "TypeError: '_io.TextIOWrapper' object cannot be interpreted as an integer",
  rb0: "TypeError: 'SocketIO' object cannot be interpreted as an integer",
  "send(poll)": "TypeError: a bytes-like object is required, not 'select.poll'",
  "inet_aton(rb)":
    "TypeError: inet_aton() argument 1 must be str, not _io.BufferedReader",
  "repr ctx": "ValueError: Invalid file object: <ssl.SSLContext object at 0x…>",
  "repr poll": "ValueError: Invalid file object: <select.poll object at 0x…>",
  "repr bytesIO":
    "ValueError: Invalid file object: <_io.BytesIO object at 0x…>",
  "repr map":
    "ValueError: Invalid file object: <selectors._SelectorMapping object at 0x…>",
  "repr class": "ValueError: Invalid file object: <class 'ssl.SSLContext'>",
  "repr server":
    "KeyError: '<socketserver.TCPServer object at 0x…> is not registered'",
  // (CPython: <__main__.MyServer object at 0x…>; a user's class is
  // pyRepr()'s `<Name object>`, as tests/fixtures/fidelity_gen.py writes it.)
  "repr subclass": "KeyError: '<MyServer object> is not registered'",
};

test(
  "a minified esbuild bundle of pysocket keeps Python's type names in messages",
  async () => {
    const bundle = await importBundle<Lib>(ENTRY, true, (code) =>
      // (The minifier renames the classes.)
      assert(!/class SSLContext\b/.test(code), "esbuild no longer minifies"));
    assertEquals(await names(bundle), NAMES);
  },
  { ignore: ESBUILD === undefined ? "PYSOCKET_ESBUILD not set" : false },
);

test("the unbundled library has the same names, C types with their module", async () => {
  assertEquals(
    await names({ socket, select, selectors, socketserver, ssl }),
    NAMES,
  );
});

test("a default repr shows one id per object, kept", async () => {
  const sel = new selectors.SelectSelector();
  const [a, b] = [select.poll(), select.poll()];
  try {
    const repr = (o: unknown) => raised(() => sel.register(o as never, 1));
    assertEquals(await repr(a), await repr(a));
    assertNotEquals(await repr(a), await repr(b));
    assert(/<select\.poll object at 0x[0-9a-f]{12}>$/.test(await repr(a)));
  } finally {
    sel.close();
  }
});
