// Copyright the pysocket authors. MIT license.
import { assert, assertEquals, assertRejects } from "@std/assert";
import {
  AF_INET,
  AF_INET6,
  AF_UNIX,
  AF_UNSPEC,
  AI_CANONNAME,
  AI_NUMERICHOST,
  AI_NUMERICSERV,
  AI_PASSIVE,
  AI_V4MAPPED,
  gaierror,
  getaddrinfo,
  getfqdn,
  gethostbyaddr,
  gethostbyname,
  gethostbyname_ex,
  gethostname,
  getnameinfo,
  herror,
  IPPROTO_TCP,
  IPPROTO_UDP,
  NI_NAMEREQD,
  NI_NUMERICHOST,
  NI_NUMERICSERV,
  OSError,
  OverflowError,
  SOCK_DGRAM,
  SOCK_RAW,
  SOCK_STREAM,
  UnicodeError,
} from "../mod.ts";
import {
  hostsEntries,
  hostsHostent,
  hostsName,
  hostsNames,
  resolveHost,
} from "../src/socket/_resolver.ts";
import * as socket from "../mod.ts";
import { idnaEncode } from "../src/_py/idna.ts";
import { hostname, noPython, pythonJson, test } from "./_util.ts";

// deno-lint-ignore no-explicit-any
type AnyFn = (...args: any[]) => Promise<unknown>;
type ErrorClass = new (...args: never[]) => Error;

const NONAME = "[Errno -2] Name or service not known";

test("gethostname() returns the machine's name", () => {
  assertEquals(gethostname(), hostname());
});

test("getaddrinfo() returns one entry per socket type with proto filled in", async () => {
  assertEquals(await getaddrinfo("localhost", 80, AF_INET), [
    [AF_INET, SOCK_STREAM, IPPROTO_TCP, "", ["127.0.0.1", 80]],
    [AF_INET, SOCK_DGRAM, IPPROTO_UDP, "", ["127.0.0.1", 80]],
    [AF_INET, SOCK_RAW, 0, "", ["127.0.0.1", 80]],
  ]);
});

test("getaddrinfo() passes IP literals through, IPv6 as 4-item sockaddrs", async () => {
  assertEquals(await getaddrinfo("::1", 8080, 0, SOCK_STREAM), [
    [AF_INET6, SOCK_STREAM, IPPROTO_TCP, "", ["::1", 8080, 0, 0]],
  ]);
  assertEquals(await getaddrinfo("127.1", null, 0, SOCK_DGRAM), [
    [AF_INET, SOCK_DGRAM, IPPROTO_UDP, "", ["127.0.0.1", 0]],
  ]);
  assertEquals(await getaddrinfo("0x7f.1", "80", 0, 0, IPPROTO_UDP), [
    [AF_INET, SOCK_DGRAM, IPPROTO_UDP, "", ["127.0.0.1", 80]],
  ]);
  assertEquals(await getaddrinfo("fe80::1%1", 0, 0, SOCK_STREAM), [
    [AF_INET6, SOCK_STREAM, IPPROTO_TCP, "", ["fe80::1", 0, 0, 1]],
  ]);
  assertEquals(
    await getaddrinfo("127.0.0.1", 0, AF_INET6, SOCK_STREAM, 0, AI_V4MAPPED),
    [[AF_INET6, SOCK_STREAM, IPPROTO_TCP, "", ["::ffff:127.0.0.1", 0, 0, 0]]],
  );
});

test("getaddrinfo() with a null host gives loopback, or wildcard with AI_PASSIVE", async () => {
  assertEquals(await getaddrinfo(null, 80, 0, SOCK_STREAM), [
    [AF_INET6, SOCK_STREAM, IPPROTO_TCP, "", ["::1", 80, 0, 0]],
    [AF_INET, SOCK_STREAM, IPPROTO_TCP, "", ["127.0.0.1", 80]],
  ]);
  assertEquals(await getaddrinfo(null, 80, 0, SOCK_STREAM, 0, AI_PASSIVE), [
    [AF_INET, SOCK_STREAM, IPPROTO_TCP, "", ["0.0.0.0", 80]],
    [AF_INET6, SOCK_STREAM, IPPROTO_TCP, "", ["::", 80, 0, 0]],
  ]);
  assertEquals(await getaddrinfo(null, 0, AF_INET, SOCK_DGRAM, 0, AI_PASSIVE), [
    [AF_INET, SOCK_DGRAM, IPPROTO_UDP, "", ["0.0.0.0", 0]],
  ]);
});

test("getaddrinfo() looks up service names per protocol", async () => {
  assertEquals(await getaddrinfo("127.0.0.1", "http"), [
    [AF_INET, SOCK_STREAM, IPPROTO_TCP, "", ["127.0.0.1", 80]],
  ]);
  assertEquals(await getaddrinfo("127.0.0.1", "domain"), [
    [AF_INET, SOCK_STREAM, IPPROTO_TCP, "", ["127.0.0.1", 53]],
    [AF_INET, SOCK_DGRAM, IPPROTO_UDP, "", ["127.0.0.1", 53]],
  ]);
  assertEquals(await getaddrinfo("127.0.0.1", "www", 0, SOCK_STREAM), [
    [AF_INET, SOCK_STREAM, IPPROTO_TCP, "", ["127.0.0.1", 80]],
  ]);
});

test("getaddrinfo() puts the canonical name on the first entry with AI_CANONNAME", async () => {
  const infos = await getaddrinfo("localhost", 0, AF_INET, 0, 0, AI_CANONNAME);
  assertEquals(infos.map((i) => i[3]), ["localhost", "", ""]);
  assertEquals(
    (await getaddrinfo("127.1", 0, 0, SOCK_STREAM, 0, AI_CANONNAME))[0][3],
    "127.1",
  );
});

/** Names for the idna codec: CPython's fast path, nameprep's cases. */
const IDNA_NAMES = [
  "a..b.invalid",
  ".",
  "a.invalid.",
  "a".repeat(63) + ".invalid",
  "a".repeat(64) + ".invalid",
  "invalid." + "a".repeat(64),
  "x.".repeat(130) + "invalid",
  "bücher.invalid",
  "straße.invalid",
  "ΑΣ.invalid",
  "ὀδυσσεύς.invalid",
  "Ж.рф.invalid",
  "ﬀ.invalid",
  "ℂ.invalid",
  "a\u00adb.invalid",
  "\u200b.invalid",
  "é\ue000.invalid",
  "é\udcff.invalid",
  "\udcff.invalid",
  "xn--é.invalid",
  "é".repeat(60) + ".invalid",
  "日本。invalid",
  "a．b．invalid",
  "\u0130stanbul.invalid",
  "Ⅸ.invalid",
  "é\u0080.invalid",
  "é\u2028.invalid",
  "é\u3000x.invalid",
  "é\u200e.invalid",
  "e\u0301.invalid",
  "\u{1F600}.invalid",
];

test(
  "host names go through Python's idna codec: the same names, the same UnicodeErrors (python3)",
  async () => {
    const py = await pythonJson(
      `import json, sys
def enc(n):
    try: return ["ok", n.encode("idna").decode("ascii")]
    except UnicodeError as e: return ["UnicodeError", str(e)]
print(json.dumps([enc(n) for n in json.load(sys.stdin)]))`,
      IDNA_NAMES,
    ) as [string, string][];
    const ours = IDNA_NAMES.map((name) => {
      try {
        return ["ok", idnaEncode(name)];
      } catch (err) {
        return [(err as Error).name, (err as Error).message];
      }
    });
    assertEquals(ours, py);
    // A name the codec takes but no resolver knows: [Errno -2] on every
    // runtime (Node's libuv refused this long one with EINVAL).
    await assertRejects(
      () => getaddrinfo("x.".repeat(130) + "invalid", 80),
      gaierror,
      NONAME,
    );
    // The resolver functions raise the codec's error before any lookup.
    for (const [i, name] of IDNA_NAMES.entries()) {
      const [kind, text] = py[i];
      if (kind === "ok") continue;
      const calls = [
        () => getaddrinfo(name, 80),
        () => gethostbyname(name),
        () => gethostbyname_ex(name),
      ];
      for (const call of calls) await assertRejects(call, UnicodeError, text);
    }
  },
  { ignore: await noPython() },
);

test("gethostbyname_ex() from /etc/hosts gathers lines as glibc does, with multi on and off", () => {
  // These lines were added to /etc/hosts, and python3 3.11 (glibc, Debian's
  // `multi on` in /etc/host.conf; RESOLV_MULTI=off for the last two)
  // answered as expected below.
  const entries = hostsEntries(`
127.0.0.3 multi.test
127.0.0.2 multi.test
::1 multi.test dual.test
127.0.0.5 dual.test
127.0.0.3 MULTI.test other.test multi.test
127.0.0.6 x.test Multi.Test   # a comment
::2 multi.test v6only.test
`);
  const multi = [
    "multi.test",
    [
      "dual.test",
      "other.test",
      "multi.test",
      "MULTI.test",
      "Multi.Test",
      "x.test",
    ],
    ["127.0.0.3", "127.0.0.2", "127.0.0.1", "127.0.0.3", "127.0.0.6"],
  ];
  const cases: [string, boolean, unknown][] = [
    ["multi.test", true, multi],
    ["MULTI.TEST", true, multi],
    ["dual.test", true, [
      "multi.test",
      ["dual.test", "dual.test"],
      ["127.0.0.1", "127.0.0.5"],
    ]],
    ["other.test", true, [
      "MULTI.test",
      ["other.test", "multi.test"],
      ["127.0.0.3"],
    ]],
    ["x.test", true, ["x.test", ["Multi.Test"], ["127.0.0.6"]]],
    ["v6only.test", true, undefined],
    ["multi.test", false, ["multi.test", [], ["127.0.0.3"]]],
    ["dual.test", false, ["multi.test", ["dual.test"], ["127.0.0.1"]]],
  ];
  for (const [host, multi, answer] of cases) {
    assertEquals(hostsHostent(entries, host, multi), answer, host);
  }
  // gethostbyaddr() and getnameinfo(): the first line of the address
  // (python3: 127.0.0.5 dual.test, 127.0.0.6 x.test, 127.0.0.3 and ::1
  // multi.test; Bun's own reverse lookup said multi.test for every one).
  const reverse: [string, string | undefined][] = [
    ["127.0.0.3", "multi.test"],
    ["127.0.0.5", "dual.test"],
    ["127.0.0.6", "x.test"],
    ["::1", "multi.test"],
    ["0:0::1", "multi.test"],
    ["127.0.0.9", undefined],
  ];
  for (const [ip, name] of reverse) {
    assertEquals(hostsName(ip, entries), name, ip);
  }
  // getaddrinfo(…, AI_CANONNAME)'s name: for AF_INET, the ::1 line counts
  // (python3: dual.test's canonical name is multi.test there).
  assertEquals(
    hostsNames("dual.test", AF_INET, entries)?.canonical,
    "multi.test",
  );
  assertEquals(
    hostsNames("dual.test", AF_UNSPEC, entries)?.canonical,
    "multi.test",
  );
  assertEquals(hostsNames("v6only.test", AF_INET, entries), undefined);
});

test("getaddrinfo() rejects bad input in Python's words", async () => {
  const cases: [unknown[], ErrorClass, string][] = [
    [["localhost", 0, 0, 0, 0, AI_NUMERICHOST], gaierror, NONAME],
    [["nonexistent.invalid", 0], gaierror, NONAME],
    [["", 0], gaierror, NONAME],
    [[null, null], gaierror, NONAME],
    [["127.0.0.1", "http", 0, 0, 0, AI_NUMERICSERV], gaierror, NONAME],
    [["1::1%lo", 0], gaierror, NONAME],
    [
      [null, 0, 0, 0, 0, AI_CANONNAME],
      gaierror,
      "[Errno -1] Bad value for ai_flags",
    ],
    [
      ["127.0.0.1", 0, 0, 0, 0, 0x9999],
      gaierror,
      "[Errno -1] Bad value for ai_flags",
    ],
    [["127.0.0.1", 0, 99], gaierror, "[Errno -6] ai_family not supported"],
    [["127.0.0.1", 0, AF_UNIX], gaierror, "[Errno -6] ai_family not supported"],
    [["127.0.0.1", 0, 0, 99], gaierror, "[Errno -7] ai_socktype not supported"],
    [
      ["127.0.0.1", 0, 0, SOCK_STREAM, IPPROTO_UDP],
      gaierror,
      "[Errno -7] ai_socktype not supported",
    ],
    [
      ["127.0.0.1", "nosuchservice"],
      gaierror,
      "[Errno -8] Servname not supported for ai_socktype",
    ],
    [
      ["127.0.0.1", "http", 0, SOCK_DGRAM],
      gaierror,
      "[Errno -8] Servname not supported for ai_socktype",
    ],
    [
      ["127.0.0.1", 80, 0, SOCK_RAW],
      gaierror,
      "[Errno -8] Servname not supported for ai_socktype",
    ],
    [
      ["127.0.0.1", -1],
      gaierror,
      "[Errno -8] Servname not supported for ai_socktype",
    ],
    [
      ["::1", 0, AF_INET],
      gaierror,
      "[Errno -9] Address family for hostname not supported",
    ],
    [
      ["127.0.0.1", 0, AF_INET6],
      gaierror,
      "[Errno -9] Address family for hostname not supported",
    ],
    [["127.0.0.1", 1.5], OSError, "Int or String expected"],
    [["127.0.0.1", []], OSError, "Int or String expected"],
    [[1, 80], TypeError, "getaddrinfo() argument 1 must be string or None"],
    [
      ["127.0.0.1", 80, "2"],
      TypeError,
      "'str' object cannot be interpreted as an integer",
    ],
  ];
  for (const [args, Class, message] of cases) {
    await assertRejects(
      () => (getaddrinfo as AnyFn)(...args),
      Class,
      message,
      JSON.stringify(args),
    );
  }
  const err = await assertRejects(() => getaddrinfo("", 0), gaierror);
  assertEquals([err.errno, err.strerror], [-2, "Name or service not known"]);
});

test("gethostbyname() resolves names and passes IPv4 literals", async () => {
  assertEquals(await gethostbyname("localhost"), "127.0.0.1");
  assertEquals(
    await gethostbyname(hostname()),
    (await getaddrinfo(hostname(), 0, AF_INET))[0][4][0],
  );
  assertEquals(await gethostbyname("127.1"), "127.0.0.1");
  assertEquals(await gethostbyname(""), "0.0.0.0");
  assertEquals(await gethostbyname("<broadcast>"), "255.255.255.255");
  assertEquals(
    await gethostbyname(new TextEncoder().encode("127.0.0.1")),
    "127.0.0.1",
  );
});

test("gethostbyname() rejects bad input in Python's words", async () => {
  const cases: [unknown, ErrorClass, string][] = [
    ["nonexistent.invalid", gaierror, NONAME],
    ["::1", gaierror, "[Errno -9] Address family for hostname not supported"],
    [
      1,
      TypeError,
      "gethostbyname() argument 1 must be str, bytes or bytearray, not int",
    ],
    [
      null,
      TypeError,
      "gethostbyname() argument 1 must be str, bytes or bytearray, not None",
    ],
  ];
  for (const [arg, Class, message] of cases) {
    await assertRejects(() => (gethostbyname as AnyFn)(arg), Class, message);
  }
});

test("gethostbyname_ex() returns name, aliases and IPv4 addresses", async () => {
  const [name, aliases, addresses] = await gethostbyname_ex("localhost");
  assertEquals(name, "localhost");
  assert(Array.isArray(aliases));
  assertEquals(addresses, ["127.0.0.1"]);
  assertEquals(await gethostbyname_ex("127.1"), ["127.1", [], ["127.0.0.1"]]);
});

test("gethostbyname_ex() rejects bad input in Python's words", async () => {
  const cases: [unknown, ErrorClass, string][] = [
    ["nonexistent.invalid", gaierror, NONAME],
    ["", herror, "[Errno 3] Unknown server error"],
    ["<broadcast>", herror, "[Errno 3] Unknown server error"],
    [
      1,
      TypeError,
      "gethostbyname_ex() argument 1 must be str, bytes or bytearray, not int",
    ],
  ];
  for (const [arg, Class, message] of cases) {
    await assertRejects(() => (gethostbyname_ex as AnyFn)(arg), Class, message);
  }
});

test("gethostbyaddr() returns the name of 127.0.0.1", async () => {
  const [name, aliases, addresses] = await gethostbyaddr("127.0.0.1");
  assert(name.length > 0);
  assert(Array.isArray(aliases));
  assertEquals(addresses, ["127.0.0.1"]);
  assertEquals(await gethostbyaddr("localhost"), [name, aliases, addresses]);
});

test("gethostbyaddr() rejects bad input in Python's words", async () => {
  const cases: [unknown, ErrorClass, string][] = [
    ["nonexistent.invalid", gaierror, NONAME],
    ["::1%lo", gaierror, NONAME],
    ["", OSError, "wildcard resolved to multiple address"],
    [
      1,
      TypeError,
      "gethostbyaddr() argument 1 must be str, bytes or bytearray, not int",
    ],
  ];
  for (const [arg, Class, message] of cases) {
    await assertRejects(() => (gethostbyaddr as AnyFn)(arg), Class, message);
  }
});

test("getnameinfo() translates addresses and ports", async () => {
  const numeric = NI_NUMERICHOST | NI_NUMERICSERV;
  assertEquals(await getnameinfo(["127.0.0.1", 80], numeric), [
    "127.0.0.1",
    "80",
  ]);
  assertEquals(await getnameinfo(["::1", 22, 0, 0], NI_NUMERICHOST), [
    "::1",
    "ssh",
  ]);
  assertEquals(await getnameinfo(["::1", 0, 0, 1], numeric), ["::1%1", "0"]);
  assertEquals(await getnameinfo(["fe80::1", 0, 0, 1], numeric), [
    "fe80::1%lo",
    "0",
  ]);
  assertEquals(await getnameinfo(["127.0.0.1", 70000], numeric), [
    "127.0.0.1",
    "4464",
  ]);
  const [host, port] = await getnameinfo(["127.0.0.1", 80], 0);
  assertEquals([host, port], [(await gethostbyaddr("127.0.0.1"))[0], "http"]);
});

test("getnameinfo() rejects bad input in Python's words", async () => {
  const cases: [unknown[], ErrorClass, string][] = [
    [[["localhost", 80], 0], gaierror, NONAME],
    [[["127.0.0.1", 80], 999], gaierror, "[Errno -1] Bad value for ai_flags"],
    [
      [["127.0.0.1", -1], 0],
      gaierror,
      "[Errno -8] Servname not supported for ai_socktype",
    ],
    [[["127.0.0.1", 80, 0], 0], OSError, "IPv4 sockaddr must be 2 tuple"],
    [
      [["::1", 80, 2 ** 20, 0], 0],
      OverflowError,
      "getnameinfo(): flowinfo must be 0-1048575.",
    ],
    [
      ["127.0.0.1:80", 0],
      TypeError,
      "getnameinfo() argument 1 must be a tuple",
    ],
    [[["127.0.0.1"], 0], TypeError, "getnameinfo(): illegal sockaddr argument"],
    [[[1, 80], 0], TypeError, "getnameinfo(): illegal sockaddr argument"],
    [
      [["127.0.0.1", "80"], 0],
      TypeError,
      "'str' object cannot be interpreted as an integer",
    ],
    [
      [["127.0.0.1", 80], "x"],
      TypeError,
      "'str' object cannot be interpreted as an integer",
    ],
  ];
  for (const [args, Class, message] of cases) {
    await assertRejects(() => (getnameinfo as AnyFn)(...args), Class, message);
  }
});

test("getnameinfo() with NI_NAMEREQD rejects an address without a name", async () => {
  // 127.0.0.1 has a name (it is in /etc/hosts); NI_NAMEREQD must not fail.
  const [host] = await getnameinfo(["127.0.0.1", 0], NI_NAMEREQD);
  assert(host.length > 0);
});

test("getfqdn() returns a name for this machine and passes unknown names", async () => {
  assertEquals(await getfqdn("nonexistent.invalid"), "nonexistent.invalid");
  assertEquals(await getfqdn("  nonexistent.invalid "), "nonexistent.invalid");
  assert((await getfqdn()).length > 0);
  assertEquals(await getfqdn("::"), await getfqdn());
});

test("resolveHost() returns IP literals of the family asked for", async () => {
  assertEquals(await resolveHost("localhost", AF_INET), ["127.0.0.1"]);
  assertEquals(await resolveHost("127.0.0.1", 0), ["127.0.0.1"]);
  assertEquals(await resolveHost("127.1", AF_INET), ["127.0.0.1"]);
  assertEquals(await resolveHost("::1", AF_INET6), ["::1"]);
  await assertRejects(
    () => resolveHost("::1", AF_INET),
    gaierror,
    "[Errno -9] Address family for hostname not supported",
  );
  await assertRejects(
    () => resolveHost("nonexistent.invalid", 0),
    gaierror,
    NONAME,
  );
  await assertRejects(() => resolveHost("", 0), gaierror, NONAME);
});

// The same calls in Python and here: results, error classes and messages
// must agree. Only loopback and offline names.
function pythonCases(): [string, unknown[]][] {
  const h = hostname();
  return [
    ["getaddrinfo", ["localhost", 80]],
    ["getaddrinfo", ["localhost", "http"]],
    ["getaddrinfo", ["localhost", 80, AF_INET6]],
    ["getaddrinfo", [h, 0]],
    ["getaddrinfo", [h, 0, 0, SOCK_STREAM, 0, AI_CANONNAME]],
    ["getaddrinfo", ["LOCALHOST", 0, 0, SOCK_STREAM, 0, AI_CANONNAME]],
    ["getaddrinfo", ["localhost", 0, AF_INET6, 0, 0, AI_V4MAPPED]],
    ["getaddrinfo", [null, 80]],
    ["getaddrinfo", [null, 80, 0, 0, 0, AI_PASSIVE]],
    ["getaddrinfo", ["localhost", 70000]],
    ["getaddrinfo", ["localhost", "4294967296"]],
    ["getaddrinfo", ["localhost", " 80"]],
    ["getaddrinfo", ["localhost", ""]],
    ["getaddrinfo", ["localhost", "HTTP"]],
    ["getaddrinfo", ["localhost", null, 0, SOCK_RAW, 99]],
    ["getaddrinfo", ["localhost", null, 0, 5]],
    ["getaddrinfo", ["localhost", 80, 0, 0, 132]],
    ["getaddrinfo", ["localhost", 0, 0, 0, 99]],
    ["getaddrinfo", ["::ffff:1.2.3.4", 0]],
    ["getaddrinfo", ["1.2.3.4 abc", 0]],
    ["getaddrinfo", ["<broadcast>", 0]],
    ["getaddrinfo", ["nonexistent.invalid", 0]],
    ["getnameinfo", [["127.0.0.1", 80], 0]],
    ["getnameinfo", [["127.0.0.1", 53], 16]],
    ["getnameinfo", [["::1", 22, 0, 0], 0]],
    ["getnameinfo", [["::1", 22, 0, 0], NI_NAMEREQD]],
    ["getnameinfo", [[h, 80], 0]],
    ["gethostbyname", ["localhost"]],
    ["gethostbyname", [h]],
    ["gethostbyname", ["fe80::1%lo"]],
    ["gethostbyname", ["nonexistent.invalid"]],
    ["gethostbyname_ex", ["localhost"]],
    ["gethostbyname_ex", [h]],
    ["gethostbyname_ex", ["127.0.0.1"]],
    ["gethostbyaddr", ["127.0.0.1"]],
    ["gethostbyaddr", ["::1"]],
    ["gethostbyaddr", ["localhost"]],
    ["gethostbyaddr", [h]],
    ["getfqdn", []],
    ["getfqdn", ["localhost"]],
    ["getfqdn", ["127.0.0.1"]],
    ["getfqdn", [h]],
    ["gethostname", []],
  ];
}

const PYTHON_SCRIPT = `
import json, socket, sys
def plain(x):
    if isinstance(x, (list, tuple)):
        return [plain(y) for y in x]
    return int(x) if isinstance(x, int) else x
out = []
for fn, args in json.load(sys.stdin):
    args = [tuple(a) if isinstance(a, list) else a for a in args]
    try:
        out.append({"ok": plain(getattr(socket, fn)(*args))})
    except Exception as e:
        out.append({"err": [type(e).__name__, str(e)]})
print(json.dumps(out))
`;

const FUNCTIONS: Record<string, AnyFn> = {
  getaddrinfo,
  getnameinfo,
  gethostbyname,
  gethostbyname_ex,
  gethostbyaddr,
  getfqdn,
  gethostname: () => Promise.resolve(gethostname()),
};

test("resolve functions agree with Python", async (t) => {
  const cases = pythonCases();
  const expected = await pythonJson(PYTHON_SCRIPT, cases) as unknown[];
  for (const [k, [fn, args]] of cases.entries()) {
    await t.step(`${fn}(${JSON.stringify(args).slice(1, -1)})`, async () => {
      let actual: unknown;
      try {
        actual = { ok: await FUNCTIONS[fn](...args) };
      } catch (err) {
        actual = { err: [(err as Error).name, (err as Error).message] };
      }
      assertEquals(actual, expected[k]);
    });
  }
}, { ignore: await noPython() });

test("getaddrinfo() takes Python's keyword arguments as an object last", async () => {
  assertEquals(
    await socket.getaddrinfo("127.0.0.1", 80, { type: socket.SOCK_STREAM }),
    await socket.getaddrinfo("127.0.0.1", 80, 0, socket.SOCK_STREAM),
  );
  assertEquals(
    await socket.getaddrinfo("127.0.0.1", 80, socket.AF_INET, {
      proto: socket.IPPROTO_UDP,
    }),
    [[socket.AF_INET, socket.SOCK_DGRAM, 17, "", ["127.0.0.1", 80]]],
  );
  await assertRejects(
    () => socket.getaddrinfo("127.0.0.1", 80, { bogus: 1 } as never),
    TypeError,
    "getaddrinfo() got an unexpected keyword argument 'bogus'",
  );
  await assertRejects(
    () => socket.getaddrinfo("127.0.0.1", 80, 2, { family: 2 }),
    TypeError,
    "getaddrinfo() got multiple values for argument 'family'",
  );
});
