// Copyright the pysocket authors. MIT license.
// shutdown() of a datagram socket as Linux does it: a blocking receive
// already waiting wakes with nothing from nobody (how a UDP server task is
// stopped), what arrives later is received once, in order; a timed one
// waits out its timeout. recvfrom_into() with an empty buffer takes the
// datagram. AF_UNIX SOCK_DGRAM (Deno's "unixpacket"): shutdown() needs no
// peer, a sender to a socket shut for reading gets EPIPE, and a socket
// connected to one that has gone is refused, then disconnected.
import {
  assert,
  assertEquals,
  assertInstanceOf,
  assertRejects,
} from "@std/assert";
import * as socket from "../mod.ts";
import { expected, unless } from "./_caps.ts";
import {
  b,
  bounded,
  Child,
  inTempDir,
  noPython,
  remove,
  runtimeArgv,
  sleep,
  str,
  test,
  timed,
  writeTextFile,
} from "./_util.ts";

const { AF_INET, AF_UNIX, SOCK_DGRAM, SHUT_RD, SHUT_WR, SHUT_RDWR } = socket;

const ENOTCONN = "[Errno 107] Transport endpoint is not connected";

/** A UDP socket bound to 127.0.0.1, port 0. */
function bound(): socket.Socket {
  const s = socket.socket(AF_INET, SOCK_DGRAM);
  s.bind(["127.0.0.1", 0]);
  return s;
}

/** What `shutdown(how)` did: `"ok"`, or the error's class and message. */
async function shut(s: socket.Socket, how: number): Promise<string> {
  try {
    await s.shutdown(how);
    return "ok";
  } catch (err) {
    assertInstanceOf(err, socket.OSError);
    return `${(err as Error).constructor.name} ${(err as Error).message}`;
  }
}

/**
 * Starts `call` and lets it reach the runtime: its promise (in a tuple,
 * not to be awaited here).
 */
async function waiting<T>(call: () => Promise<T>): Promise<[Promise<T>]> {
  const p = call();
  p.catch(() => {});
  await sleep(100);
  return [p];
}

/** Whether `p` settles within `ms`. */
async function settles(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      p.then(() => true, () => true),
      new Promise<boolean>((resolve) => timer = setTimeout(resolve, ms, false)),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

test("shutdown(SHUT_RDWR) stops a UDP server loop blocked in recvfrom(): it wakes with (b'', None) though shutdown() raises ENOTCONN", async () => {
  await using srv = bound();
  const log: string[] = [];
  const serve = (async () => {
    while (true) {
      const [data, addr] = await srv.recvfrom(1024);
      if (data.length === 0 && addr === null) return log.push("stopped");
      log.push(str(data));
      await srv.sendto(b(str(data).toUpperCase()), addr!);
    }
  })();
  await using c: socket.Socket = socket.socket(AF_INET, SOCK_DGRAM);
  c.settimeout(5);
  await c.sendto(b("ping"), srv.getsockname());
  assertEquals(str(await c.recv(10)), "PING");
  await sleep(100);
  assertEquals(await shut(srv, SHUT_RDWR), `OSError ${ENOTCONN}`);
  await bounded(serve, 2000, "the server loop");
  assertEquals(log, ["ping", "stopped"]);
});

const CALLS: [
  string,
  (s: socket.Socket) => Promise<unknown>,
  unknown,
][] = [
  ["recvfrom", (s) => s.recvfrom(100), [new Uint8Array(0), null]],
  ["recv", (s) => s.recv(100), new Uint8Array(0)],
  ["recv_into", (s) => s.recv_into(new Uint8Array(8)), 0],
  ["recvfrom_into", (s) => s.recvfrom_into(new Uint8Array(8)), [0, null]],
  [
    "recvfrom(MSG_PEEK)",
    (s) => s.recvfrom(100, socket.MSG_PEEK),
    [new Uint8Array(0), null],
  ],
];

test("shutdown(SHUT_RD / SHUT_RDWR) wakes a blocking receive already waiting, connected or not, with what Linux returns", async () => {
  for (const [name, call, result] of CALLS) {
    for (const how of [SHUT_RD, SHUT_RDWR]) {
      for (const connected of [false, true]) {
        const what = `${name}, how=${how}, connected=${connected}`;
        await using r = bound();
        await using peer = bound();
        if (connected) await r.connect(peer.getsockname());
        const [p] = await waiting(() => call(r));
        assertEquals(
          await shut(r, how),
          connected ? "ok" : `OSError ${ENOTCONN}`,
          what,
        );
        assertEquals(await bounded(p, 2000, what), result, what);
      }
    }
  }
});

test("shutdown(SHUT_WR) does not wake a blocking recvfrom(): the next datagram does", async () => {
  for (const connected of [false, true]) {
    await using r = bound();
    await using peer = bound();
    if (connected) await r.connect(peer.getsockname());
    const [p] = await waiting(() => r.recvfrom(100));
    assertEquals(
      await shut(r, SHUT_WR),
      connected ? "ok" : `OSError ${ENOTCONN}`,
    );
    assertEquals(await settles(p, 300), false, "woken by SHUT_WR");
    await peer.sendto(b("unstick"), r.getsockname());
    assertEquals(await bounded(p, 2000, "recvfrom"), [
      b("unstick"),
      peer.getsockname(),
    ]);
  }
});

test("a timed recvfrom() waiting when shutdown(SHUT_RD) comes waits out its timeout, as Linux's", async () => {
  await using r = bound();
  r.settimeout(0.6);
  const start = performance.now();
  const [p] = await waiting(() => r.recvfrom(100));
  assertEquals(await shut(r, SHUT_RD), `OSError ${ENOTCONN}`);
  const err = await assertRejects(() => bounded(p, 3000, "recvfrom"));
  assertInstanceOf(err, socket.TimeoutError);
  assertEquals(err.message, "timed out");
  assert(performance.now() - start >= 550, "ended before its timeout");
});

test("datagrams that arrive after shutdown() woke a receive are each received once, in order, then (b'', None)", async () => {
  for (const peek of [false, true]) {
    await using r = bound();
    await using s = bound();
    const [p] = await waiting(() =>
      r.recvfrom(100, peek ? socket.MSG_PEEK : 0)
    );
    assertEquals(await shut(r, SHUT_RDWR), `OSError ${ENOTCONN}`);
    assertEquals(await bounded(p, 2000, "recvfrom"), [new Uint8Array(0), null]);
    await s.sendto(b("a1"), r.getsockname());
    await s.sendto(b("a2"), r.getsockname());
    await sleep(100);
    const from = s.getsockname();
    assertEquals(await r.recvfrom(100), [b("a1"), from], `peek=${peek}`);
    assertEquals(await r.recvfrom(100), [b("a2"), from], `peek=${peek}`);
    assertEquals(await r.recvfrom(100), [new Uint8Array(0), null]);
    // A datagram queued before a receive made after the shutdown.
    await s.sendto(b("a3"), r.getsockname());
    await sleep(100);
    assertEquals(await r.recvfrom(100), [b("a3"), from]);
    const { ms, value } = await timed(() => r.recvfrom(100));
    assertEquals(value, [new Uint8Array(0), null]);
    assert(ms < 1000, `took ${ms} ms`);
  }
});

test("a datagram that arrives just after shutdown() woke a receive is the next receive's, not lost", async () => {
  await using r = bound();
  await using s = bound();
  r.settimeout(2);
  const [p] = await waiting(() => r.recv(100));
  // The datagram goes out before the shutdown: the runtime may deliver it
  // to the receive the shutdown woke.
  const sent = s.sendto(b("late"), r.getsockname());
  assertEquals(await shut(r, SHUT_RD), `OSError ${ENOTCONN}`);
  await sent;
  const first = await bounded(p, 2000, "recv");
  // A timed receive after it polls, and waits, as CPython's does.
  const got = first.length === 0 ? await r.recv(100) : first;
  assertEquals(str(got), "late");
});

test(
  "a program whose blocking recvfrom() shutdown() woke ends with its UDP socket open",
  async () => {
    await inTempDir(async (dir) => {
      const script = `${dir}/stop.mjs`;
      const mod = new URL("../mod.ts", import.meta.url).href;
      await writeTextFile(
        script,
        `import * as socket from ${JSON.stringify(mod)};\n` +
          "const s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);\n" +
          's.bind(["127.0.0.1", 0]);\n' +
          "setTimeout(() => s.shutdown(socket.SHUT_RDWR).catch((e) => console.log(String(e))), 200);\n" +
          "const [data, addr] = await s.recvfrom(100);\n" +
          "console.log(`woke ${data.length} ${addr}`);\n",
      );
      const [cmd, ...args] = runtimeArgv(script, {
        denoFlags: [
          "--allow-net=127.0.0.1",
          ...(expected.denoDatagrams ? ["--unstable-net"] : []),
        ],
      });
      await using child = new Child(cmd, args, { timeoutMs: 20_000 });
      const { code, stdout, stderr } = await child.exit();
      assertEquals(code, 0, stderr);
      assertEquals(stdout.trim().split("\n").sort(), [
        `OSError: ${ENOTCONN}`,
        "woke 0 null",
      ]);
    });
  },
);

test("recvfrom_into() with an empty buffer takes the datagram and returns (0, address); recv_into() leaves it", async () => {
  await using r = bound();
  await using s = bound();
  r.settimeout(0.3);
  const from = s.getsockname();
  const big = new Uint8Array(8);
  const cases: [string, () => Promise<unknown>, unknown, boolean][] = [
    ["recvfrom_into(empty)", () => r.recvfrom_into(new Uint8Array(0)), [
      0,
      from,
    ], true],
    [
      "recvfrom_into(subarray(3, 3))",
      () => r.recvfrom_into(big.subarray(3, 3)),
      [
        0,
        from,
      ],
      true,
    ],
    [
      "recvfrom_into(empty, 0, MSG_TRUNC)",
      () => r.recvfrom_into(new Uint8Array(0), 0, socket.MSG_TRUNC),
      [2, from],
      true,
    ],
    [
      "recvfrom_into(empty, 0, MSG_PEEK)",
      () => r.recvfrom_into(new Uint8Array(0), 0, socket.MSG_PEEK),
      [0, from],
      false,
    ],
    ["recv_into(empty)", () => r.recv_into(new Uint8Array(0)), 0, false],
    [
      "recv_into(subarray(8, 8))",
      () => r.recv_into(big.subarray(8, 8)),
      0,
      false,
    ],
  ];
  for (const [what, call, result, takes] of cases) {
    await s.sendto(b("zz"), r.getsockname());
    assertEquals(await call(), result, what);
    if (takes) {
      const err = await assertRejects(() => r.recv(10));
      assertInstanceOf(err, socket.TimeoutError, what);
    } else {
      assertEquals(str(await r.recv(10)), "zz", what);
    }
  }
});

test("recvfrom_into() whose empty buffer is detached while it waits still raises ValueError; the datagram stays", async () => {
  await using r = bound();
  await using s = bound();
  const ab = new ArrayBuffer(0);
  const [p] = await waiting(() => r.recvfrom_into(new Uint8Array(ab)));
  structuredClone(ab, { transfer: [ab] });
  await s.sendto(b("zz"), r.getsockname());
  const err = await assertRejects(() => bounded(p, 2000, "recvfrom_into"));
  assertInstanceOf(err, socket.ValueError);
  assertEquals(
    err.message,
    "operation forbidden on released memoryview object",
  );
  r.settimeout(1);
  assertEquals(str(await r.recv(10)), "zz");
});

// AF_UNIX SOCK_DGRAM: Deno's "unixpacket" transport only.

const noUnix = unless(expected.unixDatagram, "AF_UNIX SOCK_DGRAM");

/** A Unix datagram socket, bound to `path` if given. */
function unix(path?: string): socket.Socket {
  const s = socket.socket(AF_UNIX, SOCK_DGRAM);
  if (path !== undefined) s.bind(path);
  return s;
}

/** What `fn` did: its result, or the error's class and message. */
async function outcome(fn: () => unknown): Promise<unknown> {
  try {
    return await fn();
  } catch (err) {
    return `${(err as Error).constructor.name} ${(err as Error).message}`;
  }
}

test(
  "shutdown() of an AF_UNIX datagram socket needs no peer, and wakes a blocking recvfrom() with (b'', None)",
  () =>
    inTempDir(async (dir) => {
      await using u = unix();
      assertEquals(await shut(u, SHUT_RDWR), "ok");
      await using r = unix(`${dir}/r.sock`);
      const [p] = await waiting(() => r.recvfrom(100));
      assertEquals(await shut(r, SHUT_RDWR), "ok");
      assertEquals(await bounded(p, 2000, "recvfrom"), [
        new Uint8Array(0),
        null,
      ]);
    }),
  { ignore: noUnix },
);

test(
  "a send to an AF_UNIX datagram socket shut for reading raises BrokenPipeError; it receives nothing",
  () =>
    inTempDir(async (dir) => {
      const P = `${dir}/srv.sock`;
      await using srv = unix(P);
      srv.settimeout(0.3);
      assertEquals(await shut(srv, SHUT_RD), "ok");
      await using c = unix(`${dir}/c.sock`);
      await c.connect(P);
      const EPIPE = "BrokenPipeError [Errno 32] Broken pipe";
      assertEquals(await outcome(() => c.send(b("x"))), EPIPE);
      await using d = unix(`${dir}/d.sock`);
      assertEquals(await outcome(() => d.sendto(b("x"), P)), EPIPE);
      assertEquals(
        await outcome(() => srv.recvfrom(10)),
        "TimeoutError timed out",
      );
      // SHUT_WR alone refuses no sender.
      await using w = unix(`${dir}/w.sock`);
      w.settimeout(2);
      assertEquals(await shut(w, SHUT_WR), "ok");
      assertEquals(await d.sendto(b("y"), `${dir}/w.sock`), 1);
      assertEquals(str(await w.recv(10)), "y");
    }),
  { ignore: noUnix },
);

test(
  "a connected AF_UNIX datagram socket whose peer closed is refused, then disconnected, as Linux's",
  () =>
    inTempDir(async (dir) => {
      const P = `${dir}/srv.sock`;
      const REFUSED = "ConnectionRefusedError [Errno 111] Connection refused";
      const NOTCONN = `OSError ${ENOTCONN}`;
      // The peer closed, its file stays.
      let g = unix(P);
      await using c = unix(`${dir}/c.sock`);
      await c.connect(P);
      g.close();
      // A sendto() to the path is refused and leaves the connection.
      assertEquals(await outcome(() => c.sendto(b("x"), P)), REFUSED);
      assertEquals(c.getpeername(), P);
      assertEquals(await outcome(() => c.send(b("x"))), REFUSED);
      assertEquals(await outcome(() => c.send(b("x"))), NOTCONN);
      assertEquals(await outcome(() => c.getpeername()), NOTCONN);
      await remove(P);
      // The peer closed, its file removed.
      g = unix(P);
      await using c2 = unix();
      await c2.connect(P);
      g.close();
      await remove(P);
      assertEquals(await outcome(() => c2.send(b("x"))), REFUSED);
      assertEquals(await outcome(() => c2.send(b("x"))), NOTCONN);
      // Another socket bound at the path since: it gets nothing.
      g = unix(P);
      await using c3 = unix();
      await c3.connect(P);
      g.close();
      await remove(P);
      await using n = unix(P);
      n.settimeout(0.3);
      assertEquals(await outcome(() => c3.send(b("x"))), REFUSED);
      assertEquals(await outcome(() => n.recv(10)), "TimeoutError timed out");
      // A peer that is open is reached.
      await using c4 = unix();
      await c4.connect(P);
      assertEquals(await c4.send(b("ok")), 2);
      assertEquals(str(await n.recv(10)), "ok");
    }),
  { ignore: noUnix },
);

test(
  "a connected AF_UNIX datagram socket whose peer in another process exited is refused, also when another took the path",
  () =>
    inTempDir(async (dir) => {
      const P = `${dir}/srv.sock`;
      const REFUSED = "ConnectionRefusedError [Errno 111] Connection refused";
      // python3 binds P, says so, and exits at end of input, printing what
      // it received meanwhile.
      const server = () =>
        new Child("python3", [
          "-c",
          "import socket, sys\n" +
          "s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)\n" +
          "s.bind(sys.argv[1]); print('ready', flush=True)\n" +
          "sys.stdin.readline(); s.setblocking(False)\n" +
          "try: print('got', s.recv(10))\n" +
          "except BlockingIOError: print('nothing')\n",
          P,
        ], { stdin: "piped", timeoutMs: 20_000 });
      {
        await using g = server();
        await g.waitFor("stdout", /ready/);
        await using c = unix();
        await c.connect(P);
        assertEquals(await c.send(b("one")), 3);
        await g.closeStdin();
        assertEquals((await g.exit()).stdout, "ready\ngot b'one'\n");
        assertEquals(await outcome(() => c.send(b("x"))), REFUSED);
        assertEquals(
          await outcome(() => c.send(b("x"))),
          `OSError ${ENOTCONN}`,
        );
      }
      await remove(P);
      {
        await using g = server();
        await g.waitFor("stdout", /ready/);
        await using c = unix();
        await c.connect(P);
        await g.closeStdin();
        await g.exit();
        await remove(P);
        await using n = server();
        await n.waitFor("stdout", /ready/);
        assertEquals(await outcome(() => c.send(b("x"))), REFUSED);
        await n.closeStdin();
        assertEquals((await n.exit()).stdout, "ready\nnothing\n");
      }
    }),
  { ignore: noUnix || await noPython() },
);

test("shutdown() wakes a blocking recvfrom() of an AF_INET socket before bind() too", async () => {
  await using r: socket.Socket = socket.socket(AF_INET, SOCK_DGRAM);
  const [p] = await waiting(() => r.recvfrom(100));
  assertEquals(await shut(r, SHUT_RD), `OSError ${ENOTCONN}`);
  assertEquals(await bounded(p, 2000, "recvfrom"), [new Uint8Array(0), null]);
});
