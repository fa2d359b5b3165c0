// Copyright the pysocket authors. MIT license.
// The socket's state machine where round 14's fuzzing found it apart from
// CPython 3.11 on Linux (each answer below is what python3 gives):
// - a receive on a TCP listener is ENOTCONN, whatever shutdown mark an
//   earlier failed shutdown() left (Linux's tcp_recvmsg() looks at the
//   LISTEN state first);
// - a TCP listener shut down for reading is a closed socket again
//   (Linux's tcp_disconnect()): SO_ACCEPTCONN 0, its name still told, its
//   port free unless bind() gave it, bind() and listen() again, connect()
//   EINVAL for good;
// - an address's host is looked up before its port's range is checked
//   (CPython's getsockaddrarg()), so the lookup's error comes first;
// - a socket-level (TCP-, UDP-level) setsockopt() value shorter than an
//   int is EINVAL before the option is looked at (even a read-only one);
// - a timed accept() on a UDP socket fails at once (EOPNOTSUPP) when the
//   socket polls readable (a datagram, a shutdown for reading), and never
//   waits for SO_RCVTIMEO;
// - a Unix connect() finds the peer's path before it looks at the socket's
//   own state, and the empty Unix address reaches the call (EBADF first).

import { assert, assertEquals } from "@std/assert";
import * as socket from "../mod.ts";
import {
  b,
  Child,
  describe,
  env,
  errorOf,
  freePort,
  inTempDir,
  noPython,
  outcome,
  runtimeArgv,
  test,
} from "./_util.ts";
import { writeTextFile } from "./_harness/host.ts";
import { expected } from "./_caps.ts";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * /proc/net/unix can be read (Deno asks `--allow-all` for it, which the
 * tests do not run with): pysocket finds whether a socket listens on a
 * path there.
 */
const unixTableReadable = (() => {
  try {
    readFileSync("/proc/net/unix");
    return true;
  } catch {
    return false;
  }
})();

/** Why the /proc/net/unix half of a test cannot run in this process. */
const NO_UNIX_TABLE = unixTableReadable ? false : (
  "/proc/net/unix cannot be read here (Deno reads it with --allow-all only)"
);

const NOT_CONNECTED =
  "OSError 107 [Errno 107] Transport endpoint is not connected";
const INVALID = "OSError 22 [Errno 22] Invalid argument";
const EOPNOTSUPP = "OSError 95 [Errno 95] Operation not supported";
const BAD_FD = "OSError 9 [Errno 9] Bad file descriptor";

/** What a call raises, as {@linkcode describe} tells it. */
async function raised(call: () => unknown): Promise<string> {
  return describe(await errorOf(call));
}

/** Binds `s` on 127.0.0.1 (port 0) and listens. */
function listenLocal(s: socket.Socket): void {
  s.bind(["127.0.0.1", 0]);
  s.listen();
}

/** Connects `c` to `address`, where `s` listens, and accepts it (5 s). */
async function acceptFrom(
  s: socket.Socket,
  c: socket.Socket,
  address: socket.Address,
): Promise<void> {
  await c.connect(address);
  s.settimeout(5);
  const [conn] = await s.accept();
  conn.close();
}

test("recv() on a TCP listener after a failed shutdown() raises [Errno 107], also non-blocking and through a dup()", async () => {
  const s = socket.socket();
  let d: socket.Socket | null = null;
  try {
    assertEquals(
      await raised(() => s.shutdown(socket.SHUT_RDWR)),
      NOT_CONNECTED,
    );
    listenLocal(s);
    assertEquals(
      await raised(() => s.recv(10, socket.MSG_DONTWAIT)),
      NOT_CONNECTED,
    );
    d = s.dup();
    assertEquals(
      await raised(() => d!.recv(10, socket.MSG_DONTWAIT)),
      NOT_CONNECTED,
    );
    s.settimeout(0);
    assertEquals(await raised(() => s.recv(10)), NOT_CONNECTED);
    s.settimeout(null);
    assertEquals(await raised(() => s.recv(10)), NOT_CONNECTED);
    // A timed one waits to be readable first, as CPython's: it times out.
    s.settimeout(0.2);
    assertEquals(await raised(() => s.recv(10)), "TimeoutError null timed out");
  } finally {
    d?.close();
    s.close();
  }
});

for (const how of [socket.SHUT_RD, socket.SHUT_RDWR]) {
  test(`shutdown(${how}) on a TCP listener: SO_ACCEPTCONN 0, the name kept, bind() and listen() again take connections`, async () => {
    using s = socket.socket();
    using c = socket.socket();
    listenLocal(s);
    const [host, port] = s.getsockname();
    assertEquals(await s.shutdown(how), undefined);
    assertEquals(s.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN), 0);
    assertEquals(s.getsockname(), [host, port]);
    // Its ephemeral port is free: bind() takes a new name.
    assertEquals(s.bind(["127.0.0.1", 0]), undefined);
    assertEquals(s.getsockname()[0], "127.0.0.1");
    s.listen();
    assertEquals(s.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN), 1);
    await acceptFrom(s, c, s.getsockname());
  });
}

test("shutdown(SHUT_WR) on a TCP listener changes nothing: SO_ACCEPTCONN 1, bind() [Errno 22]", async () => {
  using s = socket.socket();
  listenLocal(s);
  await s.shutdown(socket.SHUT_WR);
  assertEquals(s.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN), 1);
  assertEquals(await raised(() => s.bind(["127.0.0.1", 0])), INVALID);
});

test("a TCP listener on a port bind() gave keeps it when shut down: bind() [Errno 22], listen() again on that port", async () => {
  const port = freePort();
  using s = socket.socket();
  using c = socket.socket();
  s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1);
  s.bind(["127.0.0.1", port]);
  s.listen();
  await s.shutdown(socket.SHUT_RDWR);
  assertEquals(s.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN), 0);
  assertEquals(await raised(() => s.bind(["127.0.0.1", 0])), INVALID);
  assertEquals(s.getsockname(), ["127.0.0.1", port]);
  s.listen();
  assertEquals(s.getsockname(), ["127.0.0.1", port]);
  await acceptFrom(s, c, ["127.0.0.1", port]);
});

test("connect() on a TCP listener shut down raises [Errno 22] (connect_ex 22), also after bind(); [Errno 106] listening again", async () => {
  using srv = socket.socket();
  using s = socket.socket();
  listenLocal(srv);
  s.listen();
  await s.shutdown(socket.SHUT_RD);
  assertEquals(await raised(() => s.connect(srv.getsockname())), INVALID);
  assertEquals(await s.connect_ex(srv.getsockname()), 22);
  s.settimeout(1);
  assertEquals(await raised(() => s.connect(srv.getsockname())), INVALID);
  assertEquals(await raised(() => s.getpeername()), NOT_CONNECTED);
  assertEquals(
    await raised(() => s.send(b("x"))),
    "BrokenPipeError 32 [Errno 32] Broken pipe",
  );
  assertEquals(await raised(() => s.accept()), INVALID);
  s.bind(["127.0.0.1", 0]);
  assertEquals(await raised(() => s.connect(srv.getsockname())), INVALID);
  s.listen();
  assertEquals(
    await raised(() => s.connect(srv.getsockname())),
    "OSError 106 [Errno 106] Transport endpoint is already connected",
  );
});

test("listen() again on a TCP listener that listen() bound and shutdown() stopped listens on a new port", async () => {
  using s = socket.socket();
  using c = socket.socket();
  s.listen();
  await s.shutdown(socket.SHUT_RDWR);
  s.listen();
  const [host, port] = s.getsockname();
  assertEquals(host, "0.0.0.0");
  assert(port > 0);
  await acceptFrom(s, c, ["127.0.0.1", port]);
});

/** [family, address, what every call raises]: the host's error first. */
const ORDER: [number, unknown[], string][] = [
  [
    socket.AF_INET6,
    ["127.0.0.1", 70000],
    "gaierror: [Errno -9] Address family for hostname not supported",
  ],
  [
    socket.AF_INET,
    ["::1", -1],
    "gaierror: [Errno -9] Address family for hostname not supported",
  ],
  [
    socket.AF_INET,
    ["nonexistent.invalid", 70000],
    "gaierror: [Errno -2] Name or service not known",
  ],
  [
    socket.AF_INET6,
    ["nonexistent.invalid", 0, 0x100000],
    "gaierror: [Errno -2] Name or service not known",
  ],
  [
    socket.AF_INET6,
    ["127.0.0.1", 0, 0x100000],
    "gaierror: [Errno -9] Address family for hostname not supported",
  ],
  [
    socket.AF_INET,
    ["999.1.1.1", 70000],
    "gaierror: [Errno -2] Name or service not known",
  ],
  [
    socket.AF_INET6,
    ["[::1]", 70000],
    "gaierror: [Errno -2] Name or service not known",
  ],
  [
    socket.AF_INET6,
    ["<broadcast>", 70000],
    "OSError: address family mismatched",
  ],
  // A name found, or a port past a C int: the range error.
  [
    socket.AF_INET,
    ["localhost", 70000],
    "OverflowError: %s(): port must be 0-65535.",
  ],
  [
    socket.AF_INET,
    ["nonexistent.invalid", 2 ** 31],
    "OverflowError: %s(): port must be 0-65535.",
  ],
  [
    socket.AF_INET6,
    ["::1", 0, 0x100000],
    "OverflowError: %s(): flowinfo must be 0-1048575.",
  ],
];

for (const [family, address, expected] of ORDER) {
  test(`bind/connect/connect_ex/sendto(${JSON.stringify(address)}) on family ${family}: ${expected.replace("%s", "f")}`, async () => {
    for (const type of [socket.SOCK_STREAM, socket.SOCK_DGRAM]) {
      for (const fn of ["bind", "connect", "connect_ex", "sendto"]) {
        const s = socket.socket(family, type) as socket.Socket;
        try {
          // deno-lint-ignore no-explicit-any
          const any = s as any;
          const got = await outcome(() =>
            fn === "sendto" ? any.sendto(b("x"), address) : any[fn](address)
          );
          assertEquals(got, expected.replace("%s", fn), `${type} ${fn}`);
        } finally {
          s.close();
        }
      }
    }
  });
}

/** [type, level, optname, value or [null, optlen], errno raised]. */
const SHORT: [number, number, number, Uint8Array | [null, number], number][] = [
  [socket.SOCK_STREAM, socket.SOL_SOCKET, socket.SO_ERROR, b("\x01"), 22],
  [socket.SOCK_STREAM, socket.SOL_SOCKET, socket.SO_TYPE, b(""), 22],
  [
    socket.SOCK_DGRAM,
    socket.SOL_SOCKET,
    socket.SO_ACCEPTCONN,
    b("\x01\0\0"),
    22,
  ],
  [socket.SOCK_STREAM, socket.SOL_SOCKET, 9999, b("\x01"), 22],
  [socket.SOCK_STREAM, socket.IPPROTO_TCP, 9999, b("\x01"), 22],
  [socket.SOCK_DGRAM, socket.IPPROTO_UDP, 9999, b(""), 22],
  [socket.SOCK_STREAM, socket.SOL_SOCKET, socket.SO_REUSEADDR, [null, 1], 22],
  [socket.SOCK_STREAM, socket.IPPROTO_TCP, socket.TCP_NODELAY, [null, 0], 22],
  // An int's length: the read-only option's own answer.
  [socket.SOCK_STREAM, socket.SOL_SOCKET, socket.SO_ERROR, b("\x01\0\0\0"), 92],
  // A level the protocol does not know comes first.
  [socket.SOCK_DGRAM, socket.IPPROTO_TCP, socket.TCP_NODELAY, b(""), 92],
  [socket.SOCK_STREAM, socket.IPPROTO_UDP, 9999, [null, 0], 92],
];

test("setsockopt() with a value shorter than an int raises [Errno 22] before the option is looked at", async () => {
  for (const [type, level, optname, value, errno] of SHORT) {
    using s = socket.socket(socket.AF_INET, type);
    const err = await errorOf(() => {
      if (value instanceof Uint8Array) s.setsockopt(level, optname, value);
      else {
        // deno-lint-ignore no-explicit-any
        (s as any).setsockopt(level, optname, null, value[1]);
      }
    });
    const label = `${type} ${level} ${optname} ${value}`;
    assertEquals((err as socket.OSError).errno, errno, label);
    if (errno === 22) {
      assertEquals((err as Error).message, "[Errno 22] Invalid argument");
    }
  }
});

test("setsockopt() at a TCP level on a Unix socket raises [Errno 95] whatever the length", async () => {
  using s = socket.socket(socket.AF_UNIX);
  assertEquals(
    await raised(() =>
      // deno-lint-ignore no-explicit-any
      (s as any).setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, null, 0)
    ),
    EOPNOTSUPP,
  );
});

/** A timed accept()'s error and how long it took, in ms. */
async function timedAccept(
  s: socket.Socket,
): Promise<[string, number]> {
  const t0 = performance.now();
  const err = await raised(() => s.accept());
  return [err, performance.now() - t0];
}

/**
 * Asserts that an accept() on `s` raises [Errno 95] in less than
 * `withinMs` ms.
 */
async function assertNotSupportedAtOnce(
  s: socket.Socket,
  withinMs: number,
): Promise<void> {
  const [err, ms] = await timedAccept(s);
  assertEquals(err, EOPNOTSUPP);
  assert(ms < withinMs, `waited ${ms} ms`);
}

for (const how of [socket.SHUT_RD, socket.SHUT_RDWR]) {
  test(`a timed accept() on a UDP socket after a failed shutdown(${how}) raises [Errno 95] at once (it polls readable)`, async () => {
    using u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
    assertEquals(await raised(() => u.shutdown(how)), NOT_CONNECTED);
    u.settimeout(5);
    await assertNotSupportedAtOnce(u, 2000);
  });
}

test("a timed accept() on a UDP socket: [Errno 95] at once with a datagram waiting, else TimeoutError at the timeout", async () => {
  using u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  using v = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  u.bind(["127.0.0.1", 0]);
  u.settimeout(0.3);
  const [idle, waited] = await timedAccept(u);
  assertEquals(idle, "TimeoutError null timed out");
  assert(waited >= 250, `waited ${waited} ms`);
  await v.sendto(b("x"), u.getsockname());
  // (The datagram is there once a peek sees it.)
  u.settimeout(5);
  assertEquals(await u.recv(1, socket.MSG_PEEK), b("x"));
  await assertNotSupportedAtOnce(u, 2000);
});

test("a blocking accept() on a UDP socket raises [Errno 95] at once, whatever SO_RCVTIMEO says", async () => {
  using u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  const tv = new Uint8Array(16);
  new DataView(tv.buffer).setBigInt64(8, 500000n, true);
  u.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, tv);
  await assertNotSupportedAtOnce(u, 400);
});

test("connect() on a connected or listening Unix socket finds the path first: [Errno 2], [Errno 111], then [Errno 106] or [Errno 22]", async () => {
  await inTempDir(async (dir) => {
    const listener = socket.socket(socket.AF_UNIX);
    const server = socket.socket(socket.AF_UNIX);
    const client = socket.socket(socket.AF_UNIX);
    try {
      listener.bind(`${dir}/l`);
      listener.listen();
      server.bind(`${dir}/s`);
      server.listen();
      await client.connect(`${dir}/l`);
      await writeTextFile(`${dir}/f`, "");
      for (const [s, own] of [[client, 106], [server, 22]] as const) {
        assertEquals(
          await outcome(() => s.connect(`${dir}/missing`)),
          "FileNotFoundError: [Errno 2] No such file or directory",
        );
        assertEquals(await s.connect_ex(`${dir}/missing`), 2);
        assertEquals(await s.connect_ex(`${dir}/l`), own);
        // A file that is no socket: nothing listens there (told by its
        // stat, without /proc/net/unix).
        assertEquals(
          await outcome(() => s.connect(`${dir}/f`)),
          "ConnectionRefusedError: [Errno 111] Connection refused",
        );
      }
    } finally {
      client.close();
      server.close();
      listener.close();
    }
  });
});

test("the empty Unix address reaches the call: sendto() [Errno 95] or [Errno 106], connect() [Errno 22], closed [Errno 9]", async () => {
  const [a, bb] = await socket.socketpair(socket.AF_UNIX);
  const u = socket.socket(socket.AF_UNIX);
  try {
    assertEquals(await raised(() => u.sendto(b("x"), "")), EOPNOTSUPP);
    assertEquals(
      await raised(() => a.sendto(b("x"), "")),
      "OSError 106 [Errno 106] Transport endpoint is already connected",
    );
    assertEquals(await raised(() => u.connect("")), INVALID);
    assertEquals(await u.connect_ex(""), 22);
    assertEquals(await a.connect_ex(""), 22);
    u.close();
    assertEquals(await raised(() => u.connect("")), BAD_FD);
    assertEquals(await u.connect_ex(""), 9);
    assertEquals(await raised(() => u.sendto(b("x"), "")), BAD_FD);
  } finally {
    u.close();
    a.close();
    bb.close();
  }
});

/**
 * What `connect()` raises, as `Class: message` (or `ok`), on a connected
 * Unix socket and on a listening one, for each of `targets`, run in a child
 * process of this runtime whose directory is `dir`, and which reads
 * /proc/net/unix (Deno's `--allow-all`). There, `rel.sock` listens, bound
 * by its relative name, `abs.sock` by its absolute one, `l.sock` is the
 * listener, and `c` is connected to `rel.sock`. With `datagram`, a Unix
 * datagram socket of pysocket's is bound at `own_dg.sock` first.
 */
async function fromDirectory(
  dir: string,
  targets: string[],
  datagram = false,
): Promise<Record<string, string>> {
  const script = `${dir}/peer.ts`;
  const mod = new URL("../mod.ts", import.meta.url).href;
  await writeTextFile(
    script,
    `import * as socket from ${JSON.stringify(mod)};
const srv = socket.socket(socket.AF_UNIX);
srv.bind("rel.sock");
srv.listen();
const srv2 = socket.socket(socket.AF_UNIX);
srv2.bind(${JSON.stringify(`${dir}/abs.sock`)});
srv2.listen();
const dg = ${datagram};
const own = dg ? socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) : null;
own?.bind("own_dg.sock");
const c = socket.socket(socket.AF_UNIX);
await c.connect("rel.sock");
const l = socket.socket(socket.AF_UNIX);
l.bind("l.sock");
l.listen();
const out: Record<string, string> = {};
for (const [who, s] of [["c", c], ["l", l]] as const) {
  for (const target of ${JSON.stringify(targets)}) {
    try {
      await s.connect(target);
      out[who + " " + target] = "ok";
    } catch (e) {
      out[who + " " + target] = (e as Error).constructor.name + ": " + (e as Error).message;
    }
  }
}
for (const s of [srv, srv2, c, l, own]) s?.close();
console.log(JSON.stringify(out));
`,
  );
  const config = env("PYSOCKET_DENO_CONFIG") ? [] : [
    "--config",
    fileURLToPath(new URL("../deno.json", import.meta.url)),
  ];
  const [cmd, ...args] = runtimeArgv(script, {
    denoFlags: ["--allow-all", ...config],
  });
  await using child = new Child(cmd, args, { cwd: dir, timeoutMs: 30_000 });
  const { code, stdout, stderr } = await child.exit();
  assertEquals(code, 0, stderr);
  return JSON.parse(stdout);
}

const ALREADY = "OSError: [Errno 106] Transport endpoint is already connected";
const LISTENING = "OSError: [Errno 22] Invalid argument";
const WRONG_TYPE = "OSError: [Errno 91] Protocol wrong type for socket";
const REFUSED = "ConnectionRefusedError: [Errno 111] Connection refused";

test("connect() on a connected or listening Unix socket finds a listener bound by a relative name by its absolute one, and the reverse: [Errno 106], [Errno 22]", async () => {
  await inTempDir(async (dir) => {
    const targets = [
      `${dir}/rel.sock`,
      "./rel.sock",
      `${dir}/../${dir.slice(dir.lastIndexOf("/") + 1)}/rel.sock`,
      "abs.sock",
      `${dir}/abs.sock`,
    ];
    const got = await fromDirectory(dir, targets);
    const want: Record<string, string> = {};
    for (const target of targets) {
      want[`c ${target}`] = ALREADY;
      want[`l ${target}`] = LISTENING;
    }
    assertEquals(got, want);
  });
});

test(
  "connect() on a connected or listening Unix socket to a path a socket of another type holds raises [Errno 91]; an abstract datagram name, a file, a stale socket [Errno 111]; a lookup's own errno",
  async () => {
    await inTempDir(async (dir) => {
      const abstract = `\0pysocket-state14-dg-${freePort()}`;
      await using holder = new Child("python3", [
        "-c",
        `
import os, socket, time
os.chdir(${JSON.stringify(dir)})
dg = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); dg.bind("dg.sock")
sp = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET); sp.bind("sp.sock"); sp.listen()
sp2 = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET); sp2.bind("sp2.sock")
ab = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); ab.bind(${
          JSON.stringify(abstract)
        })
nl = socket.socket(socket.AF_UNIX); nl.bind("nl.sock")
st = socket.socket(socket.AF_UNIX); st.bind("stale.sock"); st.close()
open("f", "w").close()
os.symlink("loop", "loop")
print("ready", flush=True)
time.sleep(60)
`,
      ], { timeoutMs: 60_000 });
      await holder.waitFor("stdout", /ready/);
      const want: Record<string, string> = {
        "dg.sock": WRONG_TYPE,
        [`${dir}/dg.sock`]: WRONG_TYPE,
        "sp.sock": WRONG_TYPE,
        "sp2.sock": WRONG_TYPE,
        [abstract]: REFUSED,
        "nl.sock": REFUSED,
        "stale.sock": REFUSED,
        "f": REFUSED,
        "f/x": "NotADirectoryError: [Errno 20] Not a directory",
        "loop": "OSError: [Errno 40] Too many levels of symbolic links",
        "missing": "FileNotFoundError: [Errno 2] No such file or directory",
      };
      const got = await fromDirectory(dir, Object.keys(want));
      const all: Record<string, string> = {};
      for (const [target, text] of Object.entries(want)) {
        all[`c ${target}`] = text;
        all[`l ${target}`] = text;
      }
      assertEquals(got, all);
    });
  },
  { ignore: await noPython() },
);

test(
  "connect() on a connected or listening Unix socket to a path a pysocket Unix datagram socket holds raises [Errno 91]",
  async () => {
    await inTempDir(async (dir) => {
      const got = await fromDirectory(dir, ["own_dg.sock"], true);
      assertEquals(got, {
        "c own_dg.sock": WRONG_TYPE,
        "l own_dg.sock": WRONG_TYPE,
      });
    });
  },
  { ignore: !expected.unixDatagram && "no Unix datagram sockets here" },
);

test(
  "connect() on a connected or listening Unix socket to an abstract name no socket has raises [Errno 111] (read from /proc/net/unix)",
  async () => {
    const server = socket.socket(socket.AF_UNIX);
    const client = socket.socket(socket.AF_UNIX);
    try {
      server.bind(`\0pysocket-state14-s-${freePort()}`);
      server.listen();
      await client.connect(server.getsockname());
      for (const s of [client, server]) {
        assertEquals(
          await outcome(() => s.connect("\0pysocket-state14-none")),
          REFUSED,
        );
        assertEquals(await s.connect_ex("\0pysocket-state14-none"), 111);
      }
    } finally {
      client.close();
      server.close();
    }
  },
  { ignore: NO_UNIX_TABLE },
);
