// Copyright the pysocket authors. MIT license.
// Address arguments where pysocket must not quietly differ from CPython 3.11
// on Linux: AF_UNIX names no runtime can take (not UTF-8), the broadcast
// address on AF_INET6, getnameinfo()'s unsigned flowinfo and scope_id, lone
// surrogates in str arguments, and the value-only constants. Every
// expectation was checked against CPython 3.11.
import {
  assertEquals,
  assertInstanceOf,
  assertRejects,
  assertThrows,
} from "@std/assert";
import * as socket from "../mod.ts";
import {
  AF_INET6,
  AF_UNIX,
  getaddrinfo,
  getnameinfo,
  inet_aton,
  inet_pton,
  NI_NUMERICHOST,
  NI_NUMERICSERV,
  OSError,
  OverflowError,
  SOCK_DGRAM,
  SOCK_STREAM,
  UnicodeDecodeError,
  UnicodeEncodeError,
} from "../mod.ts";
import * as constants from "../src/socket/constants.ts";
import {
  exists,
  makeTempDir,
  readTextFile,
  remove,
  runtime,
  test,
} from "./_util.ts";

/** Bytes from a string of code units 0-255, as Python's `b'...'`. */
function L(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

/** The error `fn` throws, checked for its class. */
function thrown<E extends Error>(
  fn: () => unknown,
  // deno-lint-ignore no-explicit-any
  cls: new (...args: any[]) => E,
): E {
  return assertThrows(fn, cls) as E;
}

// An abstract name that is not UTF-8 (CPython binds `b'\x00…\xff'` itself):
// each bad byte as CPython's `bytes.decode('utf-8')` words it.
const NOT_UTF8: [Uint8Array, string][] = [
  [
    L("\0pysock-fidelity\0\xff"),
    "'utf-8' codec can't decode byte 0xff in position 17: invalid start byte",
  ],
  [
    L("\0a\xc3"),
    "'utf-8' codec can't decode byte 0xc3 in position 2: unexpected end of data",
  ],
  [
    L("\0a\xc3("),
    "'utf-8' codec can't decode byte 0xc3 in position 2: invalid continuation byte",
  ],
  [
    L("\0a\xe2\x82"),
    "'utf-8' codec can't decode bytes in position 2-3: unexpected end of data",
  ],
  [
    L("\0a\xe2\x82("),
    "'utf-8' codec can't decode bytes in position 2-3: invalid continuation byte",
  ],
  [
    L("\0a\xed\xa0\x80"),
    "'utf-8' codec can't decode byte 0xed in position 2: invalid continuation byte",
  ],
];

test("socket.bind(AF_UNIX bytes that are not UTF-8) raises UnicodeDecodeError and binds no other name", () => {
  for (const [name, message] of NOT_UTF8) {
    using s = socket.socket(AF_UNIX);
    const err = thrown(() => s.bind(name), UnicodeDecodeError);
    assertEquals(err.message, message);
    assertEquals(err.encoding, "utf-8");
    assertEquals(s.getsockname(), ""); // still unbound
  }
});

test("socket.bind(AF_UNIX path bytes that are not UTF-8) creates no file under another name", async () => {
  const dir = await makeTempDir();
  try {
    using s = socket.socket(AF_UNIX);
    const path = new Uint8Array([
      ...new TextEncoder().encode(dir),
      ...L("/r-\xff"),
    ]);
    const err = thrown(() => s.bind(path), UnicodeDecodeError);
    assertEquals(
      err.message,
      `'utf-8' codec can't decode byte 0xff in position ${
        dir.length + 3
      }: invalid start byte`,
    );
    // Not the name with U+FFFD for the bad byte, as before.
    assertEquals(await exists(`${dir}/r-\ufffd`), false);
    // Bytes after a path's first NUL are not part of it, as the kernel
    // reads it: they may be anything.
    using t = socket.socket(AF_UNIX);
    t.bind(new Uint8Array([...new TextEncoder().encode(`${dir}/ok`), 0, 0xff]));
    assertEquals(t.getsockname(), `${dir}/ok`);
    // UTF-8 bytes and a str name the same path, as in CPython.
    using u = socket.socket(AF_UNIX);
    u.bind(new TextEncoder().encode(`${dir}/\u00e9`));
    assertEquals(u.getsockname(), `${dir}/\u00e9`);
    assertEquals(await exists(`${dir}/\u00e9`), true);
  } finally {
    await remove(dir, { recursive: true });
  }
});

test("socket.connect(), connect_ex() and sendto() with AF_UNIX bytes that are not UTF-8 raise UnicodeDecodeError", async () => {
  const message =
    "'utf-8' codec can't decode byte 0xfe in position 12: invalid start byte";
  const name = L("\0pysock-fid-\xfe");
  for (const fn of ["connect", "connect_ex"] as const) {
    using c = socket.socket(AF_UNIX);
    const err = await assertRejects(() => c[fn](name), UnicodeDecodeError);
    assertEquals(err.message, message);
  }
  using d = socket.socket(AF_UNIX, SOCK_STREAM);
  const err = await assertRejects(
    () => d.sendto(L("x"), name),
    UnicodeDecodeError,
  );
  assertEquals(err.message, message);
});

test("socket.bind/connect/connect_ex/sendto(AF_UNIX str with a lone surrogate) raise UnicodeEncodeError", async () => {
  // CPython writes "\udcff" as the byte 0xff (surrogateescape), a name no
  // runtime takes; "\ud800" it refuses itself. pysocket refuses both.
  const cases: [string, string][] = [
    [
      "\0a\ud800",
      "'utf-8' codec can't encode character '\\ud800' in position 2: surrogates not allowed",
    ],
    [
      "\0pysock-fid\udcff",
      "'utf-8' codec can't encode character '\\udcff' in position 11: surrogates not allowed",
    ],
    [
      "/tmp/zz\ud800x",
      "'utf-8' codec can't encode character '\\ud800' in position 7: surrogates not allowed",
    ],
  ];
  for (const [name, message] of cases) {
    using s = socket.socket(AF_UNIX);
    const err = thrown(() => s.bind(name), UnicodeEncodeError);
    assertEquals(err.message, message);
    assertEquals(s.getsockname(), "");
    for (const fn of ["connect", "connect_ex"] as const) {
      using c = socket.socket(AF_UNIX);
      const e = await assertRejects(() => c[fn](name), UnicodeEncodeError);
      assertEquals(e.message, message);
    }
    const e = await assertRejects(
      () => s.sendto(L("x"), name),
      UnicodeEncodeError,
    );
    assertEquals(e.message, message);
  }
});

test("socket.bind/connect/connect_ex(AF_UNIX, an array) name a tuple, as the (host, port) a Python program passes", async () => {
  // CPython: s.bind(("127.0.0.1", 0)) on AF_UNIX; an array is that tuple.
  const message = "a bytes-like object is required, not 'tuple'";
  using s = socket.socket(AF_UNIX);
  const err = thrown(() => s.bind(["127.0.0.1", 0] as never), TypeError);
  assertEquals(err.message, message);
  assertEquals(s.getsockname(), "");
  for (const fn of ["connect", "connect_ex"] as const) {
    const e = await assertRejects(
      () => s[fn](["127.0.0.1", 0] as never),
      TypeError,
    );
    assertEquals(e.message, message);
  }
});

test("socket.bind/connect/sendto(AF_INET6 '<broadcast>' or '255.255.255.255') raise OSError: address family mismatched", async () => {
  for (const type of [SOCK_STREAM, SOCK_DGRAM]) {
    for (const host of ["<broadcast>", "255.255.255.255"]) {
      using s = socket.socket(AF_INET6, type);
      const err = thrown(() => s.bind([host, 0]), OSError);
      assertEquals(err.constructor, OSError);
      assertEquals(err.message, "address family mismatched");
      assertEquals(err.errno, null);
      const c = await assertRejects(() => s.connect([host, 80]), OSError);
      assertEquals(c.message, "address family mismatched");
    }
  }
  using u = socket.socket(AF_INET6, SOCK_DGRAM);
  const err = await assertRejects(
    () => u.sendto(L("x"), ["<broadcast>", 9]),
    OSError,
  );
  assertEquals(err.message, "address family mismatched");
});

test("socket.bind(AF_UNIX, the bare abstract name '\\0') binds that name, or raises where the runtime would bind another", () => {
  using s = socket.socket(AF_UNIX);
  if (runtime === "deno") {
    // Deno takes "\0" as no name and Linux picks one: refused instead.
    const err = thrown(() => s.bind("\0"), OSError);
    assertEquals(err.message, "[Errno 22] Invalid argument");
    assertEquals(s.getsockname(), "");
  } else {
    s.bind("\0");
    assertEquals(s.getsockname(), new Uint8Array([0]));
  }
});

/** A name /etc/hosts gives IPv4 addresses only, other than "localhost". */
async function ipv4OnlyName(): Promise<string | null> {
  let text: string;
  try {
    text = await readTextFile("/etc/hosts");
  } catch {
    return null;
  }
  const families = new Map<string, Set<number>>();
  for (const line of text.split("\n")) {
    const [address, ...names] = line.replace(/#.*/, "").trim().split(/\s+/);
    if (!address || names.length === 0) continue;
    for (const name of names) {
      const set = families.get(name) ?? new Set<number>();
      set.add(address.includes(":") ? 6 : 4);
      families.set(name, set);
    }
  }
  for (const [name, set] of families) {
    if (name.toLowerCase() !== "localhost" && !set.has(6)) return name;
  }
  return null;
}

const V4_ONLY = await ipv4OnlyName();

test(
  "socket.bind() on AF_INET6 of a name with IPv4 addresses only raises gaierror -2, as glibc's lookup by family",
  () => {
    // CPython: [Errno -2] Name or service not known (Deno said -9).
    for (const type of [SOCK_STREAM, SOCK_DGRAM]) {
      using s = socket.socket(AF_INET6, type);
      const err = thrown(() => s.bind([V4_ONLY!, 0]), socket.gaierror);
      assertEquals(err.message, "[Errno -2] Name or service not known");
      assertEquals(err.errno, -2);
    }
  },
  {
    ignore: V4_ONLY === null &&
      "/etc/hosts names no host with IPv4 addresses only",
  },
);

test("getaddrinfo() reads a host or port with a NUL up to the NUL, as C reads CPython's bytes", async () => {
  const want = [[socket.AF_INET, SOCK_STREAM, 6, "", ["127.0.0.1", 80]]];
  assertEquals(
    await getaddrinfo("localhost\0b", 80, socket.AF_INET, SOCK_STREAM),
    want,
  );
  assertEquals(
    await getaddrinfo(L("localhost\0x"), 80, socket.AF_INET, SOCK_STREAM),
    want,
  );
  assertEquals(
    await getaddrinfo("localhost", "8\x000", socket.AF_INET, SOCK_STREAM),
    [[socket.AF_INET, SOCK_STREAM, 6, "", ["127.0.0.1", 8]]],
  );
});

test("getnameinfo() reads flowinfo and scope_id as unsigned ints masked to 32 bits", async () => {
  const N = NI_NUMERICHOST | NI_NUMERICSERV;
  const err = await assertRejects(
    () => getnameinfo(["::1", 80, 0xffffffff], N),
    OverflowError,
  );
  assertEquals(err.message, "getnameinfo(): flowinfo must be 0-1048575.");
  assertEquals(await getnameinfo(["::1", 80, 2 ** 32], N), ["::1", "80"]);
  assertEquals(await getnameinfo(["::1", 80, 0, 0xffffffff], N), [
    "::1%4294967295",
    "80",
  ]);
  assertEquals(await getnameinfo(["::1", 80, 0, 2 ** 32 + 1], N), [
    "::1%1",
    "80",
  ]);
  // -1 is 0xffffffff, as C's unsigned int.
  await assertRejects(() => getnameinfo(["::1", 80, -1], N), OverflowError);
});

test("a str argument with a lone surrogate raises UnicodeEncodeError (getaddrinfo, getnameinfo, inet_aton, inet_pton)", async () => {
  const err = await assertRejects(
    () => getaddrinfo("localhost", "8\ud800x\udcff"),
    UnicodeEncodeError,
  );
  assertEquals(
    err.message,
    "'utf-8' codec can't encode character '\\ud800' in position 1: surrogates not allowed",
  );
  const gni = await assertRejects(
    () => getnameinfo(["\ud800", 80], 0),
    UnicodeEncodeError,
  );
  assertEquals(
    gni.message,
    "'utf-8' codec can't encode character '\\ud800' in position 0: surrogates not allowed",
  );
  const aton = thrown(() => inet_aton("1.2.3.4\udcff"), UnicodeEncodeError);
  assertEquals(
    aton.message,
    "'utf-8' codec can't encode character '\\udcff' in position 7: surrogates not allowed",
  );
  // Positions count code points, as Python's: an emoji is one.
  const astral = thrown(
    () => inet_aton("\u{1f600}\ud800"),
    UnicodeEncodeError,
  );
  assertEquals(
    astral.message,
    "'utf-8' codec can't encode character '\\ud800' in position 1: surrogates not allowed",
  );
  const pton = thrown(
    () => inet_pton(AF_INET6, "::1\udcff"),
    UnicodeEncodeError,
  );
  assertEquals(
    pton.message,
    "'utf-8' codec can't encode character '\\udcff' in position 3: surrogates not allowed",
  );
  // The encoding is checked before the NUL, as CPython's "s" does.
  assertInstanceOf(
    assertThrows(() => inet_aton("\0\ud800")),
    UnicodeEncodeError,
  );
});

// CPython 3.11's values on Linux (python3 -c "import socket; ...").
const VALUE_ONLY: Record<string, number> = {
  AF_ALG: 38,
  AF_APPLETALK: 5,
  AF_ASH: 18,
  AF_ATMPVC: 8,
  AF_ATMSVC: 20,
  AF_AX25: 3,
  AF_BRIDGE: 7,
  AF_CAN: 29,
  AF_DECnet: 12,
  AF_ECONET: 19,
  AF_IPX: 4,
  AF_IRDA: 23,
  AF_KEY: 15,
  AF_LLC: 26,
  AF_NETBEUI: 13,
  AF_NETLINK: 16,
  AF_NETROM: 6,
  AF_PACKET: 17,
  AF_PPPOX: 24,
  AF_QIPCRTR: 42,
  AF_RDS: 21,
  AF_ROSE: 11,
  AF_ROUTE: 16,
  AF_SECURITY: 14,
  AF_SNA: 22,
  AF_TIPC: 30,
  AF_VSOCK: 40,
  AF_WANPIPE: 25,
  AF_X25: 9,
  INADDR_ALLHOSTS_GROUP: 3758096385,
  INADDR_ANY: 0,
  INADDR_BROADCAST: 4294967295,
  INADDR_LOOPBACK: 2130706433,
  INADDR_MAX_LOCAL_GROUP: 3758096639,
  INADDR_NONE: 4294967295,
  INADDR_UNSPEC_GROUP: 3758096384,
  IPPROTO_AH: 51,
  IPPROTO_DSTOPTS: 60,
  IPPROTO_EGP: 8,
  IPPROTO_ESP: 50,
  IPPROTO_FRAGMENT: 44,
  IPPROTO_GRE: 47,
  IPPROTO_HOPOPTS: 0,
  IPPROTO_ICMP: 1,
  IPPROTO_ICMPV6: 58,
  IPPROTO_IDP: 22,
  IPPROTO_IGMP: 2,
  IPPROTO_IPIP: 4,
  IPPROTO_MPTCP: 262,
  IPPROTO_NONE: 59,
  IPPROTO_PIM: 103,
  IPPROTO_PUP: 12,
  IPPROTO_RAW: 255,
  IPPROTO_ROUTING: 43,
  IPPROTO_RSVP: 46,
  IPPROTO_SCTP: 132,
  IPPROTO_TP: 29,
  IPPROTO_UDPLITE: 136,
};

test("constants.ts has CPython's value-only AF_*, INADDR_* and IPPROTO_* constants, and socket() still refuses what no runtime opens", () => {
  const table = constants as unknown as Record<string, unknown>;
  const wrong = Object.entries(VALUE_ONLY)
    .filter(([name, value]) => table[name] !== value)
    .map(([name, value]) => `${name}: ${table[name]}, CPython ${value}`);
  assertEquals(wrong, []);
  const refused: [number, number, number, string][] = [
    [17, 3, 0, "[Errno 97] Address family not supported by protocol"],
    [16, 3, 0, "[Errno 97] Address family not supported by protocol"],
    [38, 5, 0, "[Errno 97] Address family not supported by protocol"],
    [2, SOCK_STREAM, 132, "[Errno 93] Protocol not supported"],
  ];
  for (const [family, type, proto, message] of refused) {
    const err = thrown(() => socket.socket(family, type, proto), OSError);
    assertEquals(err.message, message);
  }
});
