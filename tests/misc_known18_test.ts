// Copyright the pysocket authors. MIT license.
// Round 18, known gaps. Every answer is python3 3.11's on Linux.
// 1. A UDP connect() to a link-local address through an interface that has
//    no link-local address (`lo` never has one; an index no interface has)
//    is `OSError: [Errno 101] Network is unreachable`, and Linux has bound
//    the socket to `::` first; connected before, the socket keeps its peer
//    and name. Given no scope at all it is `[Errno 22]`, the socket bound
//    first too. Also where connect() is emulated (Deno), from the host's
//    list of interface addresses (/proc/net/if_inet6; where Deno cannot
//    read it, lo's alone), and on Node, which read a numeric zone as a
//    name (EINVAL). connect() on UDP sends nothing: no datagram goes to
//    fe80::/10 here.
// 2. `makefile("rwb")` (Python's `io.BufferedRWPair`) has no `name` and no
//    `mode` (Python's AttributeError, pysocket's TypeError with its text),
//    nor has the text file `makefile("rw")` a `name`.

import { assert, assertEquals, assertThrows } from "@std/assert";
import * as socket from "../mod.ts";
import {
  assertOSError,
  readTextFile,
  rejection,
  runtime,
  test,
} from "./_util.ts";

// --- 1. A scoped link-local peer with no route ----------------------------

/** `lo`'s index in every Linux network namespace. */
const LO = 1;

/** An AF_INET6 UDP socket. */
function udp6(): socket.Socket {
  return socket.socket(socket.AF_INET6, socket.SOCK_DGRAM);
}

/** Asserts `s` is bound to the wildcard `::` on an ephemeral port. */
function assertWildcardBound(s: socket.Socket, what: string): void {
  const [host, port, flowinfo, scope] = s.getsockname() as [
    string,
    number,
    number,
    number,
  ];
  assertEquals([host, flowinfo, scope], ["::", 0, 0], what);
  assert(port > 0, `${what}: port ${port}`);
}

/** Asserts `connect(address)` is `[Errno 101]` and binds `s` to `::`. */
async function assertUnreachable(address: socket.IPv6Address): Promise<void> {
  const s = udp6();
  try {
    const err = await rejection(() => s.connect(address));
    assertOSError(err, socket.OSError, "[Errno 101] Network is unreachable");
    assertEquals((err as socket.OSError).errno, 101);
    assertWildcardBound(s, String(address));
    // Not connected: getpeername() has nobody.
    assertThrows(
      () => s.getpeername(),
      socket.OSError,
      "[Errno 107] Transport endpoint is not connected",
    );
  } finally {
    s.close();
  }
}

/**
 * The host's list of interface addresses (/proc/net/if_inet6): `undefined`
 * where it cannot be read (Deno's, with --allow-all only).
 */
async function interfaceAddresses(): Promise<string[][] | undefined> {
  try {
    return (await readTextFile("/proc/net/if_inet6")).split("\n")
      .map((line) => line.trim().split(/\s+/)).filter((f) => f.length === 6);
  } catch {
    return undefined;
  }
}

const TABLE = await interfaceAddresses();
const NO_TABLE = TABLE === undefined &&
  "/proc/net/if_inet6 cannot be read here (Deno: --allow-all only)";

test("UDP connect() to fe80::1 (and ff02::1, ff01::1) through lo is [Errno 101], the socket bound to :: first", async () => {
  for (const host of ["fe80::1", "ff02::1", "ff01::1"]) {
    await assertUnreachable([host, 9, 0, LO]);
  }
});

test(
  "UDP connect() to fe80::1 through an interface index no interface has is [Errno 101]",
  async () => {
    await assertUnreachable(["fe80::1", 9, 0, 99999]);
  },
  { ignore: NO_TABLE },
);

test("UDP connect() to fe80::1%lo from a connected socket is [Errno 101]; it keeps its peer and name", async () => {
  const s = udp6();
  try {
    await s.connect(["::1", 9]);
    const name = s.getsockname();
    const err = await rejection(() => s.connect(["fe80::1", 9, 0, LO]));
    assertEquals((err as socket.OSError).errno, 101);
    assertEquals(s.getpeername(), ["::1", 9, 0, 0]);
    assertEquals(s.getsockname(), name);
  } finally {
    s.close();
  }
});

test("UDP connect() to ::1 with a scope ignores it (only a link-local address takes one)", async () => {
  const s = udp6();
  try {
    await s.connect(["::1", 9, 0, LO]);
    assertEquals(s.getpeername(), ["::1", 9, 0, 0]);
  } finally {
    s.close();
  }
});

/** The index of an interface with a link-local address, if any. */
const LINK_LOCAL_INDEX = TABLE?.find((f) => /^fe[89ab]/i.test(f[0]))?.[1];

test(
  "UDP connect() to fe80::1 through an interface with a link-local address succeeds (nothing is sent)",
  async () => {
    const s = udp6();
    try {
      await s.connect(["fe80::1", 9, 0, parseInt(LINK_LOCAL_INDEX!, 16)]);
    } finally {
      s.close();
    }
  },
  {
    ignore: NO_TABLE ||
      (LINK_LOCAL_INDEX === undefined &&
        "no interface here has a link-local address"),
  },
);

test("UDP connect() to fe80::1 with no scope is [Errno 22], the socket bound to :: first", async () => {
  for (const host of ["fe80::1", "ff02::1"]) {
    const s = udp6();
    try {
      const err = await rejection(() => s.connect([host, 9]));
      assertOSError(err, socket.OSError, "[Errno 22] Invalid argument");
      assertWildcardBound(s, host);
    } finally {
      s.close();
    }
  }
});

/** An interface's link-local address and its index, if any has one. */
const LINK_LOCAL = ((f) =>
  f === undefined ? undefined : {
    host: socket.inet_ntop(
      socket.AF_INET6,
      Uint8Array.from(f[0].match(/../g)!, (h) => parseInt(h, 16)),
    ),
    index: parseInt(f[1], 16),
  })(TABLE?.find((f) => /^fe[89ab]/i.test(f[0])));

test(
  "addresses on a link-local address name the host without its zone, and the scope as Linux's where the runtime tells it",
  async () => {
    const { host, index } = LINK_LOCAL!;
    // Node tells each address's interface (fe80::…%eth0); Deno and Bun tell
    // none: scope_id 0 (README, IPv6 scope ids).
    const scope = runtime === "node" ? index : 0;
    const listener = socket.socket(socket.AF_INET6);
    const client = socket.socket(socket.AF_INET6);
    const udp = udp6();
    try {
      listener.bind([host, 0, 0, index]);
      listener.listen();
      const port = listener.getsockname()[1];
      assertEquals(listener.getsockname(), [host, port, 0, scope]);
      await client.connect([host, port, 0, index]);
      const [conn, addr] = await listener.accept();
      try {
        for (const got of [addr, conn.getpeername(), client.getsockname()]) {
          assertEquals(got, [host, addr[1], 0, scope]);
        }
        assertEquals(conn.getsockname(), [host, port, 0, scope]);
        assertEquals(client.getpeername(), [host, port, 0, scope]);
      } finally {
        conn.close();
      }
      // A connected UDP peer is the tuple given (connect() sends nothing).
      await udp.connect([host, 9, 0, index]);
      assertEquals(udp.getpeername(), [host, 9, 0, index]);
    } finally {
      listener.close();
      client.close();
      udp.close();
    }
  },
  {
    ignore: NO_TABLE ||
      (LINK_LOCAL === undefined &&
        "no interface here has a link-local address"),
  },
);

test("TCP connect() to fe80::1 through an interface with no route is [Errno 101] at once, blocking or not, the socket left unbound", async () => {
  // python3 3.11.7: OSError(101) at once, getsockname() ('::', 0, 0, 0).
  // Node waited for ever (its zone read as a name no interface has); Bun
  // said ECONNREFUSED. Through lo, which every runtime knows has no route.
  for (const blocking of [true, false]) {
    const s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM);
    try {
      if (blocking) s.settimeout(5);
      else s.setblocking(false);
      const err = await rejection(() => s.connect(["fe80::1", 5000, 0, LO]));
      assertOSError(err, socket.OSError, "[Errno 101] Network is unreachable");
      assertEquals(s.getsockname(), ["::", 0, 0, 0]);
      assertEquals(await s.connect_ex(["fe80::1", 5000, 0, LO]), 101);
    } finally {
      s.close();
    }
  }
});

test(
  "TCP connect() to fe80::1 through an index no interface has is [Errno 101] at once",
  async () => {
    const s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM);
    try {
      s.settimeout(5);
      const err = await rejection(() => s.connect(["fe80::1", 5000, 0, 99999]));
      assertOSError(err, socket.OSError, "[Errno 101] Network is unreachable");
    } finally {
      s.close();
    }
  },
  { ignore: NO_TABLE },
);

// --- 2. A read-write pair has no name and no mode -------------------------

test("makefile('rwb') has no name and no mode (Python: AttributeError), nor has makefile('rw') a name", async () => {
  const [a, b] = await socket.socketpair();
  try {
    const pair = a.makefile("rwb");
    for (const attr of ["name", "mode"] as const) {
      assertThrows(
        () => pair[attr],
        TypeError,
        `'_io.BufferedRWPair' object has no attribute '${attr}'`,
      );
    }
    await pair.close();
    assertThrows(
      () => pair.name,
      TypeError,
      "'_io.BufferedRWPair' object has no attribute 'name'",
    );
    const text = a.makefile("rw");
    assertEquals(text.mode, "rw");
    assertThrows(
      () => text.name,
      TypeError,
      "'_io.BufferedRWPair' object has no attribute 'name'",
    );
    assertEquals(
      String(text),
      "<_io.TextIOWrapper mode='rw' encoding='UTF-8'>",
    );
    await text.close();
  } finally {
    a.close();
    b.close();
  }
});
