// Copyright the pysocket authors. MIT license.
// Name resolution where pysocket must give what CPython 3.11 on glibc
// (Debian 12, glibc 2.36) gives: the canonical name of a mapped answer,
// the family check before a numeric host's "%zone", and the scope id that
// reaches the runtime. Every expectation was checked against python3.11 on
// this machine. Only localhost, *.invalid and numeric hosts are resolved,
// and nothing is sent: a scoped link-local address is only bound (which
// fails locally) or converted.
import { assertEquals, assertInstanceOf } from "@std/assert";
import * as socket from "../mod.ts";
import {
  AF_INET,
  AF_INET6,
  AF_UNSPEC,
  AI_ALL,
  AI_CANONNAME,
  AI_V4MAPPED,
  gaierror,
  getaddrinfo,
  gethostbyname,
  gethostbyname_ex,
  OSError,
  SOCK_DGRAM,
  SOCK_STREAM,
} from "../mod.ts";
import { toNetEndpoint } from "../src/socket/address.ts";
import { errorOf, test } from "./_util.ts";

const NONAME = "[Errno -2] Name or service not known";
const ADDRFAMILY = "[Errno -9] Address family for hostname not supported";

/** Asserts `err` is a gaierror with this message (and its errno). */
function assertGaierror(err: Error | null, message: string, what: string) {
  assertInstanceOf(err, gaierror, what);
  const gai = err as gaierror;
  assertEquals(gai.message, message, what);
  assertEquals(gai.errno, message === NONAME ? -2 : -9, what);
}

test("getaddrinfo(AF_INET6, AI_CANONNAME | AI_V4MAPPED) names a mapped answer after its /etc/hosts IPv4 line", async () => {
  // /etc/hosts names 127.0.0.1 "localhost" (python3: 'localhost', not the
  // 'LOCALHOST' asked for). AI_ALL and AF_UNSPEC give the same name.
  for (
    const [family, flags] of [
      [AF_INET6, AI_CANONNAME | AI_V4MAPPED],
      [AF_INET6, AI_CANONNAME | AI_V4MAPPED | AI_ALL],
      [AF_INET, AI_CANONNAME],
      [AF_UNSPEC, AI_CANONNAME | AI_V4MAPPED | AI_ALL],
    ]
  ) {
    const infos = await getaddrinfo(
      "LOCALHOST",
      80,
      family,
      SOCK_STREAM,
      0,
      flags,
    );
    assertEquals(infos[0][3], "localhost", `family ${family} flags ${flags}`);
  }
  // Without AI_CANONNAME there is no name, mapped or not.
  const [[, , , canon]] = await getaddrinfo(
    "LOCALHOST",
    80,
    AF_INET6,
    SOCK_STREAM,
    0,
    AI_V4MAPPED | AI_ALL,
  );
  assertEquals(canon, "");
});

test("gethostbyname, gethostbyname_ex, getaddrinfo(AF_INET): an IPv6 literal with any %zone is EAI_ADDRFAMILY", async () => {
  // glibc checks the family before it reads the zone; as AF_INET6 a zone
  // it does not take is EAI_NONAME.
  for (const host of ["::1%", "::1%%", "::1%lo", "::1%bogus", "fe80::1%"]) {
    assertGaierror(
      await errorOf(() => gethostbyname(host)),
      ADDRFAMILY,
      `gethostbyname ${host}`,
    );
    assertGaierror(
      await errorOf(() => gethostbyname_ex(host)),
      ADDRFAMILY,
      `gethostbyname_ex ${host}`,
    );
    assertGaierror(
      await errorOf(() => getaddrinfo(host, 80, AF_INET, SOCK_STREAM)),
      ADDRFAMILY,
      `getaddrinfo AF_INET ${host}`,
    );
    assertGaierror(
      await errorOf(() => getaddrinfo(host, 80, AF_INET6, SOCK_STREAM)),
      NONAME,
      `getaddrinfo AF_INET6 ${host}`,
    );
  }
});

test("getaddrinfo() reads a numeric %zone as glibc does", async () => {
  const cases: [string, number, unknown][] = [
    // A number, for any address; up to 2**32 - 1.
    ["::1%1", AF_INET6, ["::1", 80, 0, 1]],
    ["fe80::1%01", AF_INET6, ["fe80::1", 80, 0, 1]],
    ["fe80::1%4294967295", AF_INET6, ["fe80::1", 80, 0, 4294967295]],
    ["fe80::1%4294967296", AF_INET6, NONAME],
    ["fe80::1%+1", AF_INET6, NONAME],
    ["::1%1%1", AF_INET6, NONAME],
    ["::1%1%1", AF_INET, ADDRFAMILY],
    // A name, for link-local unicast and interface/link-local multicast.
    ["fe80::1%lo", AF_INET6, ["fe80::1", 80, 0, 1]],
    ["ff01::1%lo", AF_UNSPEC, ["ff01::1", 80, 0, 1]],
    ["ff02::1%lo", AF_INET6, ["ff02::1", 80, 0, 1]],
    ["::1%lo", AF_INET6, NONAME],
    // A mapped address asked as AF_INET is its IPv4 address; the zone is
    // still read, and must be one glibc takes.
    ["::ffff:127.0.0.1%1", AF_INET, ["127.0.0.1", 80]],
    ["::ffff:127.0.0.1%lo", AF_INET, NONAME],
    ["127.0.0.1%1", AF_INET, NONAME],
  ];
  for (const [host, family, want] of cases) {
    const what = `${host} family ${family}`;
    if (typeof want === "string") {
      assertGaierror(
        await errorOf(() => getaddrinfo(host, 80, family, SOCK_STREAM)),
        want,
        what,
      );
    } else {
      const [[, , , , sockaddr]] = await getaddrinfo(
        host,
        80,
        family,
        SOCK_STREAM,
      );
      assertEquals(sockaddr, want, what);
    }
  }
});

test("socket.bind(('fe80::1', 0, 0, 1)): the numeric scope reaches the kernel (EADDRNOTAVAIL, not EINVAL)", () => {
  // lo (index 1) has no fe80::1: with the scope the kernel looks there and
  // finds no such address; without it (Node read "%1" as an interface
  // name) a link-local bind is EINVAL. Nothing is sent.
  for (const type of [SOCK_DGRAM, SOCK_STREAM]) {
    for (const address of [["fe80::1", 0, 0, 1], ["fe80::1%lo", 0, 0, 1]]) {
      using s = new socket.socket(AF_INET6, type);
      const err = thrownBy(() => s.bind(address as socket.IPv6Address));
      assertInstanceOf(err, OSError);
      const os = err as OSError;
      assertEquals(os.errno, 99, `${type} ${address}`);
      assertEquals(os.message, "[Errno 99] Cannot assign requested address");
    }
  }
});

test("socket.bind(): the tuple's scope id wins over a %zone, which is only checked", () => {
  // CPython sets sin6_scope_id from the tuple (0 when not given).
  for (const type of [SOCK_DGRAM, SOCK_STREAM]) {
    for (const host of ["fe80::1%lo", "fe80::1%1", "fe80::1%999"]) {
      using s = new socket.socket(AF_INET6, type);
      const err = thrownBy(() => s.bind([host, 0]));
      assertInstanceOf(err, OSError);
      assertEquals(err?.message, "[Errno 22] Invalid argument", host);
    }
    using s = new socket.socket(AF_INET6, type);
    assertGaierror(thrownBy(() => s.bind(["::1%lo", 0])), NONAME, "::1%lo");
    // A zone glibc takes on ::1 changes nothing.
    using ok = new socket.socket(AF_INET6, type);
    ok.bind(["::1%1", 0]);
    assertEquals((ok.getsockname() as socket.IPv6Address)[0], "::1");
  }
  // AF_INET: a mapped address with a zone glibc takes is its IPv4 address.
  using v4 = new socket.socket(AF_INET, SOCK_DGRAM);
  v4.bind(["::ffff:127.0.0.1%1", 0]);
  assertEquals((v4.getsockname() as socket.IPv4Address)[0], "127.0.0.1");
  using bad = new socket.socket(AF_INET, SOCK_DGRAM);
  assertGaierror(
    thrownBy(() => bad.bind(["::ffff:127.0.0.1%lo", 0])),
    NONAME,
    "::ffff:127.0.0.1%lo",
  );
  assertGaierror(thrownBy(() => bad.bind(["::1%lo", 0])), ADDRFAMILY, "::1%lo");
});

test("socket.bind(('ff02::1', 0, 0, 1)) on SOCK_DGRAM: a link-local multicast address takes its scope", () => {
  using s = new socket.socket(AF_INET6, SOCK_DGRAM);
  s.bind(["ff02::1", 0, 0, 1]);
  assertEquals((s.getsockname() as socket.IPv6Address)[0], "ff02::1");
  using none = new socket.socket(AF_INET6, SOCK_DGRAM);
  const err = thrownBy(() => none.bind(["ff02::1", 0, 0, 0]));
  assertEquals(err?.message, "[Errno 22] Invalid argument");
});

test("toNetEndpoint(): a link-local scope id goes to the runtime as the interface's name", () => {
  // Node's libuv reads the text after "%" with if_nametoindex() only:
  // "fe80::1%1" would be scope 0 there. Index 1 is lo on Linux. (A unit
  // test: connecting to a link-local address would leave this machine.)
  for (const fn of ["connect", "sendto", "bind"]) {
    assertEquals(toNetEndpoint(AF_INET6, ["fe80::1", 80, 0, 1], fn), {
      hostname: "fe80::1%lo",
      port: 80,
    });
    // The zone in the host is not the scope: the tuple's is.
    assertEquals(toNetEndpoint(AF_INET6, ["fe80::1%7", 80, 0, 1], fn), {
      hostname: "fe80::1%lo",
      port: 80,
    });
    assertEquals(toNetEndpoint(AF_INET6, ["ff02::1", 80, 0, 1], fn), {
      hostname: "ff02::1%lo",
      port: 80,
    });
    // Linux ignores the scope of other addresses: none is passed.
    assertEquals(toNetEndpoint(AF_INET6, ["::1%7", 80, 0, 1], fn), {
      hostname: "::1",
      port: 80,
    });
  }
  // An index no interface has stays a number.
  assertEquals(
    toNetEndpoint(AF_INET6, ["fe80::1", 80, 0, 0x7fffffff], "connect"),
    { hostname: "fe80::1%2147483647", port: 80 },
  );
});

/** The error `fn` throws (`null` if none). */
function thrownBy(fn: () => unknown): Error | null {
  try {
    fn();
    return null;
  } catch (err) {
    return err as Error;
  }
}
