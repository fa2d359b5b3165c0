// Copyright the pysocket authors. MIT license.
// The resolver functions where glibc's getaddrinfo() and gethostbyname()
// decide before any lookup: "*" as no host or service, the order of
// getaddrinfo()'s checks, ports beyond 2**53, gethostbyname_ex()'s
// digits-and-dots rule; with if_nametoindex()'s encoding, socket()'s errno
// order for AF_UNIX and the errno / port constants CPython's module has.
// Every expected value is python3.11's on glibc. No name here reaches a
// DNS server: only literals, "*" and names answered before a lookup.

import { assertEquals, assertInstanceOf } from "@std/assert";
import * as socket from "../mod.ts";
import * as select from "../select.ts";
import {
  AF_INET,
  AF_UNIX,
  AI_CANONNAME,
  AI_NUMERICHOST,
  AI_NUMERICSERV,
  AI_PASSIVE,
  getaddrinfo,
  gethostbyaddr,
  gethostbyname,
  gethostbyname_ex,
  getnameinfo,
  herror,
  if_nametoindex,
  OSError,
  SOCK_DGRAM,
  SOCK_RAW,
  SOCK_STREAM,
  UnicodeEncodeError,
} from "../mod.ts";
import {
  bounded,
  errorOf,
  outcome,
  tcpPair,
  test,
  withScript,
} from "./_util.ts";

const NONAME = "gaierror: [Errno -2] Name or service not known";
const BADFLAGS = "gaierror: [Errno -1] Bad value for ai_flags";
const FAMILY = "gaierror: [Errno -6] ai_family not supported";
const SERVICE = "gaierror: [Errno -8] Servname not supported for ai_socktype";
const UNKNOWN_HOST = "herror: [Errno 1] Unknown host";

/** The error `call` throws or rejects with, checked to be a `cls`. */
async function caught<T extends Error>(
  cls: new (...args: never[]) => T,
  call: () => unknown,
): Promise<T> {
  const err = await errorOf(call);
  assertInstanceOf(err, cls);
  return err as T;
}

// deno-lint-ignore no-explicit-any
const gai = getaddrinfo as (...args: any[]) => Promise<unknown>;

test('getaddrinfo() takes host "*" as no host and service "*" as no service, as glibc', async () => {
  const cases: [unknown[], unknown][] = [
    [["*", 80, AF_INET, SOCK_STREAM], [[2, 1, 6, "", ["127.0.0.1", 80]]]],
    [
      ["*", 80, AF_INET, SOCK_STREAM, 0, AI_PASSIVE],
      [[2, 1, 6, "", ["0.0.0.0", 80]]],
    ],
    [
      ["*", 80, 0, SOCK_STREAM],
      [
        [10, 1, 6, "", ["::1", 80, 0, 0]],
        [2, 1, 6, "", ["127.0.0.1", 80]],
      ],
    ],
    [
      [new TextEncoder().encode("*"), 80, AF_INET, SOCK_STREAM],
      [[2, 1, 6, "", ["127.0.0.1", 80]]],
    ],
    // C reads the host up to its NUL: "*".
    [["*\0x", 80, AF_INET, SOCK_STREAM], [[2, 1, 6, "", ["127.0.0.1", 80]]]],
    [["127.0.0.1", "*", AF_INET, SOCK_STREAM], [[
      2,
      1,
      6,
      "",
      ["127.0.0.1", 0],
    ]]],
    [
      ["127.0.0.1", "*", AF_INET, SOCK_STREAM, 0, AI_NUMERICSERV],
      [[2, 1, 6, "", ["127.0.0.1", 0]]],
    ],
    [["*", null], NONAME],
    [["*", "*"], NONAME],
    [["*", "*", 0, 0, 0, AI_NUMERICSERV], NONAME],
    [["*", 80, 0, 0, 0, AI_CANONNAME], BADFLAGS],
    // "**" is a name: not numeric.
    [["**", null, AF_INET, 0, 0, AI_NUMERICHOST], NONAME],
  ];
  for (const [args, want] of cases) {
    assertEquals(await outcome(() => gai(...args)), want, `${args}`);
  }
});

test('getaddrinfo() takes service "" as no service: port 0, even for SOCK_RAW', async () => {
  const cases: [unknown[], unknown][] = [
    [["127.0.0.1", "", AF_INET, SOCK_RAW], [[2, 3, 0, "", ["127.0.0.1", 0]]]],
    [["127.0.0.1", "", AF_INET, 0, 99], [[2, 3, 99, "", ["127.0.0.1", 0]]]],
    [
      ["127.0.0.1", "", AF_INET, SOCK_STREAM, 0, AI_NUMERICSERV],
      [[2, 1, 6, "", ["127.0.0.1", 0]]],
    ],
    [
      ["127.0.0.1", "", AF_INET],
      [
        [2, 1, 6, "", ["127.0.0.1", 0]],
        [2, 2, 17, "", ["127.0.0.1", 0]],
        [2, 3, 0, "", ["127.0.0.1", 0]],
      ],
    ],
    [["*", "", AF_INET, SOCK_DGRAM], [[2, 2, 17, "", ["127.0.0.1", 0]]]],
    [[null, "", AF_INET, SOCK_DGRAM], [[2, 2, 17, "", ["127.0.0.1", 0]]]],
    // A service the raw row cannot take is still refused.
    [["127.0.0.1", "http", AF_INET, SOCK_RAW], SERVICE],
  ];
  for (const [args, want] of cases) {
    assertEquals(await outcome(() => gai(...args)), want, `${args}`);
  }
});

test('getnameinfo(("*", 80)) resolves to both loopback addresses: OSError', async () => {
  const err = await caught(OSError, () => getnameinfo(["*", 80], 0));
  assertEquals(err.message, "sockaddr resolved to multiple addresses");
});

test('gethostbyname("*"), gethostbyaddr("*"), gethostbyname_ex("*") and bind(("*", 0)) are gaierror -2, without a lookup', async () => {
  assertEquals(await outcome(() => gethostbyname("*")), NONAME);
  assertEquals(await outcome(() => gethostbyaddr("*")), NONAME);
  assertEquals(await outcome(() => gethostbyname_ex("*")), NONAME);
  for (const type of [SOCK_STREAM, SOCK_DGRAM]) {
    using s = socket.socket(AF_INET, type);
    assertEquals(await outcome(() => s.bind(["*", 0])), NONAME);
    s.bind(["127.0.0.1", 0]);
    assertEquals(s.getsockname()[0], "127.0.0.1");
  }
});

test("getaddrinfo() checks as glibc: no host and service, flags, AI_CANONNAME, family, then the service", async () => {
  const cases: [unknown[], unknown][] = [
    [["127.0.0.1", "http", AF_UNIX, 0, 0, AI_NUMERICSERV], FAMILY],
    [[null, "x", 999, 0, 0, AI_NUMERICSERV], FAMILY],
    [[null, null, 0, 0, 0, 0x8000], NONAME],
    [[null, null, 0, 0, 0, AI_CANONNAME], NONAME],
    [[null, null, 999], NONAME],
    [[null, "80", 0, 0, 0, 0x8000], BADFLAGS],
    [["*", "80", 0, 0, 0, 0x8000 | AI_CANONNAME], BADFLAGS],
    [[null, "80", 999, 0, 0, AI_CANONNAME], BADFLAGS],
    [["127.0.0.1", "*", 999], FAMILY],
    [["127.0.0.1", "x", AF_INET, 0, 0, AI_NUMERICSERV], NONAME],
  ];
  for (const [args, want] of cases) {
    assertEquals(await outcome(() => gai(...args)), want, `${args}`);
  }
});

test("getaddrinfo() reads an int port beyond 2**53 exactly, as CPython's %ld and glibc's strtoul", async () => {
  const one = (port: number) => [[2, 1, 6, "", ["127.0.0.1", port]]];
  const cases: [bigint | number, unknown][] = [
    [2n ** 62n + 80n, one(80)],
    [2n ** 63n - 1n, SERVICE],
    [2n ** 60n + 0x10050n, one(80)],
    [-(2n ** 63n), one(0)],
    [2n ** 53n + 1n, one(1)],
    [2n ** 32n + 80n, one(80)],
    [2 ** 31 + 80, SERVICE],
    [-1, SERVICE],
    [
      2n ** 63n,
      "OverflowError: Python int too large to convert to C long",
    ],
    [
      -(2n ** 63n) - 1n,
      "OverflowError: Python int too large to convert to C long",
    ],
  ];
  for (const [port, want] of cases) {
    assertEquals(
      await outcome(() => gai("127.0.0.1", port, AF_INET, SOCK_STREAM)),
      want,
      `${port}`,
    );
  }
});

test("gethostbyname_ex() takes only digits and dots as an address, as glibc's gethostbyname()", async () => {
  const cases: [string, unknown][] = [
    ["127.0.0.1", ["127.0.0.1", [], ["127.0.0.1"]]],
    ["127.1", ["127.1", [], ["127.0.0.1"]]],
    ["010.0.0.1", ["010.0.0.1", [], ["8.0.0.1"]]],
    ["2130706433", ["2130706433", [], ["127.0.0.1"]]],
    ["127.00.0.1", ["127.00.0.1", [], ["127.0.0.1"]]],
    ["255.255.255.255", ["255.255.255.255", [], ["255.255.255.255"]]],
    // Numeric to getaddrinfo(), a name to gethostbyname(): not found (no
    // lookup: /etc/hosts, then nothing a resolver would find).
    ["0x7f000001", UNKNOWN_HOST],
    ["0x7f.0.0.1", UNKNOWN_HOST],
    ["", "herror: [Errno 3] Unknown server error"],
    ["::1", "gaierror: [Errno -9] Address family for hostname not supported"],
  ];
  for (const [name, want] of cases) {
    assertEquals(await outcome(() => gethostbyname_ex(name)), want, name);
  }
  const err = await caught(herror, () => gethostbyname_ex("0x7f000001"));
  assertEquals([err.errno, err.strerror], [1, "Unknown host"]);
});

test('gethostbyname_ex() of an IPv6 literal or "<broadcast>" raises the herror of the last resolver error, as CPython reads glibc\'s h_errno', async () => {
  const STALE_3 = "herror: [Errno 3] Unknown server error";
  const ex = (name: string) => outcome(() => gethostbyname_ex(name));
  // After "": h_errno 3.
  assertEquals(await ex(""), STALE_3);
  assertEquals(await ex("::ffff:127.0.0.1"), STALE_3);
  assertEquals(await ex("<broadcast>"), STALE_3);
  // Numeric hosts leave it.
  assertEquals(await gethostbyname("127.0.0.1"), "127.0.0.1");
  await getaddrinfo("127.1", 80);
  await getaddrinfo(null, 80);
  assertEquals(await ex("127.0.0.1"), ["127.0.0.1", [], ["127.0.0.1"]]);
  assertEquals(await ex("<broadcast>"), STALE_3);
  // A lookup of a name sets HOST_NOT_FOUND, found or not.
  assertEquals(await gethostbyname("localhost"), "127.0.0.1");
  assertEquals(await ex("<broadcast>"), UNKNOWN_HOST);
  assertEquals(await ex("::ffff:127.0.0.1"), UNKNOWN_HOST);
  assertEquals(await ex(""), STALE_3);
  assertEquals(
    await outcome(() => gethostbyname("nonexistent.invalid")),
    NONAME,
  );
  assertEquals(await ex("<broadcast>"), UNKNOWN_HOST);
  assertEquals(await ex(""), STALE_3);
  assertEquals(await ex("0x7f000001"), UNKNOWN_HOST);
  assertEquals(await ex("<broadcast>"), UNKNOWN_HOST);
  const err = await caught(herror, () => gethostbyname_ex("<broadcast>"));
  assertEquals([err.errno, err.strerror], [1, "Unknown host"]);
});

test('gethostbyname_ex("<broadcast>") before any lookup is herror 0, as a fresh CPython\'s', async () => {
  await withScript(
    (mod) =>
      `import * as socket from ${JSON.stringify(mod)};
for (const name of ["<broadcast>", "::ffff:127.0.0.1"]) {
  try {
    await socket.gethostbyname_ex(name);
  } catch (err) {
    console.log(err.constructor.name, err.errno, JSON.stringify(err.message));
  }
}
`,
    20_000,
    async (child) => {
      const { code, stdout } = await bounded(child.exit(), 15_000, "exit");
      assertEquals(code, 0);
      const line = 'herror 0 "[Errno 0] Resolver Error 0 (no error)"';
      assertEquals(stdout, `${line}\n${line}\n`);
    },
  );
});

test("gethostbyname() takes what getaddrinfo() takes as an address", async () => {
  const cases: [string, unknown][] = [
    ["0x7f000001", "127.0.0.1"],
    ["0x7f.0.0.1", "127.0.0.1"],
    ["010.0.0.1", "8.0.0.1"],
    ["::ffff:127.0.0.1", "127.0.0.1"],
    ["<broadcast>", "255.255.255.255"],
    ["", "0.0.0.0"],
    ["::1", "gaierror: [Errno -9] Address family for hostname not supported"],
  ];
  for (const [name, want] of cases) {
    assertEquals(await outcome(() => gethostbyname(name)), want, name);
  }
});

test("if_nametoindex() encodes a str as os.fsencode(): a lone surrogate outside \\udc80-\\udcff is UnicodeEncodeError, before the NUL check", async () => {
  const cases: [string, string, number, number][] = [
    ["\ud800", "character '\\ud800' in position 0", 0, 1],
    ["\ud800\0", "character '\\ud800' in position 0", 0, 1],
    ["a\udbff", "character '\\udbff' in position 1", 1, 2],
    ["lo\udc80\ud800", "character '\\ud800' in position 3", 3, 4],
    ["\ud800\ud801", "characters in position 0-1", 0, 2],
    ["ab\udc80\udc81\ud800\ud801z", "characters in position 4-5", 4, 6],
    ["\u{1F600}\ud800", "character '\\ud800' in position 1", 1, 2],
  ];
  for (const [name, where, start, end] of cases) {
    const err = await caught(UnicodeEncodeError, () => if_nametoindex(name));
    assertEquals(
      err.message,
      `'utf-8' codec can't encode ${where}: surrogates not allowed`,
    );
    assertEquals([err.start, err.end], [start, end]);
  }
  // \udc80-\udcff stand for bytes: a name, just not an interface's (on
  // Deno without --allow-all, the PermissionError of reading them).
  const other = await caught(OSError, () => if_nametoindex("\udcff"));
  if (!(other instanceof socket.PermissionError)) {
    assertEquals(other.message, "no interface with this name");
  }
  assertEquals(
    await outcome(() => if_nametoindex("lo\0")),
    "ValueError: embedded null byte",
  );
});

test("socket(AF_UNIX, type, proto) checks the protocol before the type, as Linux's unix_create()", async () => {
  const PROTO = "OSError: [Errno 93] Protocol not supported";
  const cases: [number, number, number, string][] = [
    [AF_UNIX, SOCK_RAW, 17, PROTO],
    [AF_UNIX, 6, 6, PROTO],
    [AF_UNIX, 0, 6, PROTO],
    [AF_UNIX, SOCK_STREAM, 6, PROTO],
    // No range check on a Unix socket's protocol: not supported either.
    [AF_UNIX, SOCK_STREAM, 300, PROTO],
    [AF_UNIX, 4, 300, PROTO],
    [AF_UNIX, 4, 0, "OSError: [Errno 94] Socket type not supported"],
    [AF_UNIX, 4, 1, "OSError: [Errno 94] Socket type not supported"],
    [AF_UNIX, 0, 0, "OSError: [Errno 94] Socket type not supported"],
    [AF_UNIX, 99, 5, "OSError: [Errno 22] Invalid argument"],
    // AF_INET checks the protocol's range first, then the type.
    [AF_INET, SOCK_STREAM, 300, "OSError: [Errno 22] Invalid argument"],
    [AF_INET, 4, 6, "OSError: [Errno 94] Socket type not supported"],
    [AF_INET, SOCK_STREAM, 17, PROTO],
  ];
  for (const [family, type, proto, want] of cases) {
    const got = await outcome(() => {
      socket.socket(family, type, proto).close();
      return "ok";
    });
    assertEquals(got, want, `${family}, ${type}, ${proto}`);
  }
  const err = await caught(OSError, () => socket.socket(AF_UNIX, SOCK_RAW, 17));
  assertEquals([err.errno, err.strerror], [93, "Protocol not supported"]);
  // A valid Unix socket still opens.
  using s = socket.socket(AF_UNIX, SOCK_STREAM, 1);
  assertEquals(s.proto, 1);
});

test("socket has CPython's EAGAIN, EWOULDBLOCK, EBADF, IPPORT_RESERVED, IPPORT_USERRESERVED; select has PIPE_BUF", async () => {
  assertEquals(
    [
      socket.EAGAIN,
      socket.EWOULDBLOCK,
      socket.EBADF,
      socket.IPPORT_RESERVED,
      socket.IPPORT_USERRESERVED,
      select.PIPE_BUF,
    ],
    [11, 11, 9, 1024, 5000, 4096],
  );
  // The errno of a would-block receive, and of a closed socket's call.
  const pair = await tcpPair();
  using _server = pair.server;
  using client = pair.client;
  const conn = pair.conn;
  client.setblocking(false);
  const wouldBlock = await caught(socket.BlockingIOError, () => client.recv(1));
  assertEquals(wouldBlock.errno, socket.EAGAIN);
  conn.close();
  const closed = socket.socket();
  closed.close();
  const bad = await caught(OSError, () => closed.getsockname());
  assertEquals(bad.errno, socket.EBADF);
});
