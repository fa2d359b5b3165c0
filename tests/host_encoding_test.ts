// Copyright the pysocket authors. MIT license.
// How a `str` host in an address tuple is encoded before it is used, as
// CPython 3.11's `idna_converter` does it (bind, connect, connect_ex,
// sendto): a host that is not all ASCII goes through the `idna` codec, and
// one the codec refuses is `TypeError: encoding of hostname failed`, before
// the port is read and before any lookup; one it takes is used in its
// ASCII form. Also the lone surrogates CPython's `"s"` conversion refuses in
// getservbyname(), getservbyport() and getprotobyname(). Every expectation
// was checked against python3 3.11.
//
// Nothing here is looked up outside /etc/hosts but `.invalid` names: each
// list starts with a case that, unfixed, fails before any lookup.
import { assertEquals, assertInstanceOf, assertThrows } from "@std/assert";
import * as socket from "../mod.ts";
import {
  AF_INET,
  AF_INET6,
  gaierror,
  getprotobyname,
  getservbyname,
  getservbyport,
  SOCK_DGRAM,
  SOCK_STREAM,
  UnicodeEncodeError,
  ValueError,
} from "../mod.ts";
import { bounded, errorOf, test } from "./_util.ts";

// deno-lint-ignore no-explicit-any
type AnyFn = (...args: any[]) => unknown;

const ENCODING_FAILED = "encoding of hostname failed";
const NUL = "host name must not contain null character";

/** Asserts `err` is a `TypeError` with exactly `message`. */
function assertTypeError(err: unknown, message: string, what: string): void {
  assertInstanceOf(err, TypeError, what);
  assertEquals((err as Error).message, message, what);
}

/**
 * Hosts the idna codec refuses (a lone surrogate, a label empty or longer
 * than 63 once encoded, an ACE prefix before non-ASCII). The first is a
 * `.invalid` name: unfixed, it is looked up and the test stops there.
 */
const REFUSED = [
  "a\udcffb.invalid",
  "b\u00fc" + "a".repeat(70) + ".invalid",
  "b\u00fc..invalid",
  "x.\udcff.invalid",
  "\u00fc".repeat(300) + ".invalid",
  "xn--\u00fc.invalid",
  ".\u00fc.invalid",
  "\ud800",
  "127.0.0.\udcff",
  "::1\udcff",
  "\0\udcff",
];

test("socket.bind/connect/connect_ex/sendto: a str host the idna codec refuses is TypeError 'encoding of hostname failed', before any lookup, on AF_INET and AF_INET6 (python3's answers)", async () => {
  for (const host of REFUSED) {
    for (const family of [AF_INET, AF_INET6]) {
      const what = `${family} ${JSON.stringify(host)}`;
      {
        using s = socket.socket(family, SOCK_STREAM);
        s.settimeout(2);
        assertTypeError(
          await errorOf(() => s.bind([host, 0])),
          ENCODING_FAILED,
          `bind ${what}`,
        );
        assertTypeError(
          await bounded(errorOf(() => s.connect([host, 9])), 5000, what),
          ENCODING_FAILED,
          `connect ${what}`,
        );
        assertTypeError(
          await bounded(errorOf(() => s.connect_ex([host, 9])), 5000, what),
          ENCODING_FAILED,
          `connect_ex ${what}`,
        );
      }
      {
        using u = socket.socket(family, SOCK_DGRAM);
        u.settimeout(2);
        assertTypeError(
          await bounded(
            errorOf(() => u.sendto(new Uint8Array([120]), [host, 9])),
            5000,
            what,
          ),
          ENCODING_FAILED,
          `sendto ${what}`,
        );
        assertTypeError(
          await bounded(errorOf(() => u.connect([host, 9])), 5000, what),
          ENCODING_FAILED,
          `connect dgram ${what}`,
        );
      }
    }
  }
});

test("socket.bind: the host is converted before the port, as CPython's idna_converter: an unencodable host or a NUL wins over a bad port", async () => {
  using s = socket.socket();
  const cases: [unknown, unknown, string][] = [
    ["a\0b", "x", NUL],
    ["a\0b", -1, NUL],
    [new TextEncoder().encode("a\0b"), "x", NUL],
    ["\udcff", "x", ENCODING_FAILED],
    ["\udcff", -1, ENCODING_FAILED],
    ["\u00fc\0.invalid", 0, NUL], // encodes (as xn--…\0…), then the NUL
    ["a\0\u00fc", 0, NUL],
  ];
  for (const [host, port, message] of cases) {
    const what = `${JSON.stringify(String(host))}, ${JSON.stringify(port)}`;
    assertTypeError(
      await errorOf(() => (s.bind as AnyFn)([host, port])),
      message,
      what,
    );
  }
  using s6 = socket.socket(AF_INET6);
  assertTypeError(
    await errorOf(() => (s6.bind as AnyFn)(["a\0b", "x"])),
    NUL,
    "AF_INET6",
  );
});

test("socket.bind/connect/sendto: a str host the idna codec takes is used in its ASCII form ('::\uff11' is ::1, '\uff4c\uff4f\uff43\uff41\uff4c\uff48\uff4f\uff53\uff54' is localhost, '127\u30020\u30020\u30021' is 127.0.0.1)", async () => {
  // The first two fail unfixed before any lookup (not IPv6 addresses).
  {
    using s = socket.socket(AF_INET6, SOCK_DGRAM);
    s.bind(["::\uff11", 0]);
    assertEquals(s.getsockname()[0], "::1");
  }
  {
    using s = socket.socket(AF_INET, SOCK_DGRAM);
    s.bind(["::ffff:127.0.0.\uff11", 0]);
    assertEquals(s.getsockname()[0], "127.0.0.1");
  }
  {
    using s = socket.socket(AF_INET6, SOCK_DGRAM);
    s.bind(["\uff1a\uff1a\uff11", 0]); // fullwidth colons too
    assertEquals(s.getsockname()[0], "::1");
  }
  for (
    const host of [
      "\uff11\uff12\uff17.\uff10.\uff10.\uff11",
      "127\u30020\u30020\u30021",
      "127\uff0e0\uff610.1",
      "\uff4c\uff4f\uff43\uff41\uff4c\uff48\uff4f\uff53\uff54",
      "LOCALHOST\u00ad", // a soft hyphen is mapped to nothing
    ]
  ) {
    using s = socket.socket();
    s.bind([host, 0]);
    assertEquals(s.getsockname()[0], "127.0.0.1", JSON.stringify(host));
  }
  // A stream connects through the encoded name.
  {
    using server = socket.create_server(["127.0.0.1", 0]);
    const port = server.getsockname()[1];
    using c = socket.socket();
    c.settimeout(5);
    await c.connect([
      "\uff4c\uff4f\uff43\uff41\uff4c\uff48\uff4f\uff53\uff54",
      port,
    ]);
    assertEquals(c.getpeername(), ["127.0.0.1", port]);
    server.settimeout(5);
    const [conn] = await server.accept();
    conn.close();
  }
  // A datagram socket connects and sends through it.
  {
    using r = socket.socket(AF_INET, SOCK_DGRAM);
    r.bind(["127.0.0.1", 0]);
    r.settimeout(5);
    const port = r.getsockname()[1];
    using u = socket.socket(AF_INET, SOCK_DGRAM);
    await u.sendto(new TextEncoder().encode("hi"), [
      "\uff11\uff12\uff17.\uff10.\uff10.\uff11",
      port,
    ]);
    const [data, sender] = await r.recvfrom(16);
    assertEquals(new TextDecoder().decode(data), "hi");
    assertEquals(sender, ["127.0.0.1", u.getsockname()[1]]);
    await u.connect(["127\u30020\u30020\u30021", port]);
    assertEquals(u.getpeername(), ["127.0.0.1", port]);
  }
  // '<\uff42roadcast>' encodes to '<broadcast>', which is IPv4's alone.
  {
    using s = socket.socket(AF_INET6);
    const err = await errorOf(() => s.bind(["<\uff42roadcast>", 0]));
    assertInstanceOf(err, socket.OSError);
    assertEquals(err?.constructor, socket.OSError);
    assertEquals(err?.message, "address family mismatched");
  }
});

test("socket.bind/connect/sendto: a non-ASCII .invalid name that encodes goes on to the resolver: gaierror [Errno -2] (python3's answers)", async () => {
  // (A guard that such a name is not refused before the lookup, as one the
  // codec refuses is; three lookups of a .invalid name, which fail.)
  const message = "[Errno -2] Name or service not known";
  const host = "b\u00fccher.invalid";
  using s = socket.socket(AF_INET);
  s.settimeout(5);
  using u = socket.socket(AF_INET, SOCK_DGRAM);
  u.settimeout(5);
  for (
    const call of [
      () => s.bind([host, 0]),
      () => s.connect([host, 9]),
      () => u.sendto(new Uint8Array(1), [host, 9]),
    ]
  ) {
    const err = await bounded(errorOf(call), 10000, host);
    assertInstanceOf(err, gaierror, host);
    assertEquals(err?.message, message, host);
    assertEquals((err as { errno?: number } | null)?.errno, -2, host);
  }
});

test("getservbyname/getservbyport/getprotobyname: a lone surrogate is UnicodeEncodeError, checked after the type and before the NUL (python3's answers)", () => {
  const sur = (c: string, pos: number) =>
    `'utf-8' codec can't encode character '\\u${c}' in position ${pos}: surrogates not allowed`;
  // deno-lint-ignore no-explicit-any
  const cases: [() => unknown, new (...args: any[]) => Error, string][] = [
    [() => getservbyname("ht\udcfftp"), UnicodeEncodeError, sur("dcff", 2)],
    [
      () => getservbyname("http", "t\udcffcp"),
      UnicodeEncodeError,
      sur("dcff", 1),
    ],
    [
      () => getservbyport(80, "t\udcffcp"),
      UnicodeEncodeError,
      sur("dcff", 1),
    ],
    [() => getprotobyname("t\udcffcp"), UnicodeEncodeError, sur("dcff", 1)],
    [() => getservbyname("h\udcff\0"), UnicodeEncodeError, sur("dcff", 1)],
    [() => getprotobyname("\ud800\0"), UnicodeEncodeError, sur("d800", 0)],
    [
      () => getservbyname("\u{1f600}\udcff"),
      UnicodeEncodeError,
      sur("dcff", 1),
    ],
    [() => getservbyname("http", "\udcff"), UnicodeEncodeError, sur("dcff", 0)],
    [() => getservbyport(70000, "\udcff"), UnicodeEncodeError, sur("dcff", 0)],
    [
      () => getservbyname("h\0", "t\udcff"),
      ValueError,
      "embedded null character",
    ],
    [
      () => (getservbyname as AnyFn)(1, "t\udcff"),
      TypeError,
      "getservbyname() argument 1 must be str, not int",
    ],
    [
      () => (getservbyport as AnyFn)(1.5, "\udcff"),
      TypeError,
      "'float' object cannot be interpreted as an integer",
    ],
  ];
  for (const [call, cls, message] of cases) {
    const err = assertThrows(call);
    assertInstanceOf(err, cls, message);
    assertEquals((err as Error).message, message);
  }
});
