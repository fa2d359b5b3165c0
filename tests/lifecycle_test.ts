// Copyright the pysocket authors. MIT license.
// Closing, shutting down and connecting at the edges: nothing that send()
// accepted is lost by close(), nothing pending hangs after close(), and a
// connection's troubles show where CPython shows them.
import {
  assert,
  assertEquals,
  assertInstanceOf,
  assertRejects,
  assertThrows,
} from "@std/assert";
import * as socket from "../mod.ts";
import { select } from "../select.ts";
import {
  b,
  Child,
  freePort,
  noPython,
  recvUntilEnd,
  run,
  runtime,
  runtimeArgv,
  sleep,
  str,
  tcpPair,
  test,
  timed,
} from "./_util.ts";

test("close() after an un-awaited send() delivers the bytes and rejects nothing", async () => {
  const { server, client, conn } = await tcpPair();
  // The seed server's shape with the await forgotten: send, then close.
  const sent = conn.send(b("Hello World"));
  conn.close();
  assertEquals(await sent, 11);
  assertEquals(
    new TextDecoder().decode(await recvUntilEnd(client)),
    "Hello World",
  );
  client.close();
  server.close();
});

test("close() after un-awaited sendall()s of 8 MiB delivers every byte in order", async () => {
  const { server, client, conn } = await tcpPair();
  const data = new Uint8Array(8 << 20).map((_, i) => (i * 7) & 255);
  const pending = [
    conn.sendall(data.subarray(0, 4 << 20)),
    conn.sendall(data.subarray(4 << 20)),
  ];
  conn.close();
  const got = await recvUntilEnd(client);
  await Promise.all(pending);
  assertEquals(got.length, data.length);
  assertEquals(got, data);
  client.close();
  server.close();
});

test("close() settles every pending accept(), not only the first", async () => {
  const server = socket.socket();
  server.bind(["127.0.0.1", 0]);
  server.listen();
  // Each accept() is another task's, waiting: handled from the start.
  const pending = [server.accept(), server.accept(), server.accept()]
    .map((p) => p.then(() => null, (err) => err));
  await sleep(10);
  server.close();
  for (const err of await Promise.all(pending)) {
    assertInstanceOf(err, socket.OSError);
    assertEquals(err.message, "[Errno 9] Bad file descriptor");
  }
});

test("close() settles every pending recvfrom() on a datagram socket", async () => {
  const s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  s.bind(["127.0.0.1", 0]);
  const pending = [s.recvfrom(16), s.recvfrom(16)]
    .map((p) => p.then(() => null, (err) => err));
  await sleep(10);
  s.close();
  for (const err of await Promise.all(pending)) {
    assertInstanceOf(err, socket.OSError);
    assertEquals(err.message, "[Errno 9] Bad file descriptor");
  }
});

test("close() settles a pending connect() at once", async () => {
  // A Python listener with a backlog of 0 that never accepts (pysocket's
  // own listener may be drained by a runtime that accepts ahead): once its
  // queue is full, the next connect() waits for the kernel until close().
  await using python = new Child("python3", [
    "-c",
    "import socket, time\n" +
    "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(0)\n" +
    "print(s.getsockname()[1], flush=True); time.sleep(60)",
  ]);
  const port = Number((await python.waitFor("stdout", /^(\d+)$/m))[1]);
  const address: [string, number] = ["127.0.0.1", port];
  const fillers: socket.Socket[] = [];
  let waiting: Promise<void> | undefined;
  let s: socket.Socket | undefined;
  for (let i = 0; i < 8 && waiting === undefined; i++) {
    const c = socket.socket();
    const attempt = c.connect(address);
    const settled = await Promise.race([
      attempt.then(() => true, () => true),
      sleep(200).then(() => false),
    ]);
    if (settled) fillers.push(c);
    else {
      waiting = attempt;
      s = c;
    }
  }
  assert(waiting !== undefined, "a connect() kept waiting on a full queue");
  const { ms, error } = await timed(async () => {
    s!.close();
    await waiting;
  });
  assertInstanceOf(error, socket.OSError);
  assertEquals((error as socket.OSError).errno, 9);
  assert(ms < 1000, `settled in ${ms} ms`);
  for (const c of fillers) c.close();
  await python.kill();
  // The runtime's connect goes on until the kernel gives up: with the
  // listener gone, its next SYN is refused (about a second).
  await s![Symbol.asyncDispose]();
}, { ignore: await noPython() });

test("await using with a timed-out write to a peer that never reads leaves within the timeout", async () => {
  const { server, client, conn } = await tcpPair();
  const { ms } = await timed(async () => {
    await using s = client;
    s.settimeout(0.3);
    const big = new Uint8Array(64 << 20);
    await assertRejects(() => s.sendall(big), socket.TimeoutError);
  });
  // The timeout once for sendall, at most once more for leaving the block.
  assert(ms < 1500, `left after ${ms} ms`);
  conn.close();
  server.close();
  await sleep(50);
});

test("shutdown(SHUT_RD): a pending recv_into returns 0 and its buffer is never written", async () => {
  const { server, client, conn } = await tcpPair();
  const buf = new Uint8Array(16);
  const pending = client.recv_into(buf);
  await sleep(10);
  await client.shutdown(socket.SHUT_RD);
  assertEquals(await pending, 0);
  await conn.sendall(b("late bytes"));
  await sleep(50);
  assertEquals(buf, new Uint8Array(16));
  // As Linux: what arrived after the shutdown is still returned, and then
  // a receive gives end of stream at once rather than waiting.
  assertEquals(await client.recv(16), b("late bytes"));
  assertEquals(await client.recv(16), new Uint8Array(0));
  for (const s of [conn, client, server]) s.close();
});

test("shutdown(SHUT_RD) keeps what was buffered, as Linux", async () => {
  const { server, client, conn } = await tcpPair();
  await conn.sendall(b("before"));
  assertEquals(await client.recv(1, socket.MSG_PEEK), b("b"));
  await client.shutdown(socket.SHUT_RD);
  assertEquals(await client.recv(16), b("before"));
  const { ms, value } = await timed(() => client.recv(16));
  assertEquals(value, new Uint8Array(0));
  assert(ms < 1000, `returned after ${ms} ms`);
  for (const s of [conn, client, server]) s.close();
});

test("connect() and connect_ex() to port 0 are refused, as on Linux", async () => {
  using s = socket.socket();
  await assertRejects(
    () => s.connect(["127.0.0.1", 0]),
    socket.ConnectionRefusedError,
    "[Errno 111] Connection refused",
  );
  using t = socket.socket();
  assertEquals(await t.connect_ex(["127.0.0.1", 0]), 111);
});

test("connect() succeeds when the peer accepts and at once resets; the reset shows on recv", async () => {
  const server = socket.socket();
  server.bind(["127.0.0.1", 0]);
  server.listen();
  const address = server.getsockname() as [string, number];
  for (let i = 0; i < 10; i++) {
    const c = socket.socket();
    const accepted = server.accept();
    await c.connect(address);
    const [conn] = await accepted;
    conn.close();
    // Whatever the timing, recv() gives end of stream or the reset: never
    // a connect() failure.
    try {
      assertEquals(await c.recv(16), new Uint8Array(0));
    } catch (err) {
      assertInstanceOf(err, socket.ConnectionResetError);
    }
    c.close();
  }
  server.close();
});

test("the listener's port is free once close() returns (Deno: once await using ends), with an accept() pending", async () => {
  const server = socket.socket();
  server.bind(["127.0.0.1", 0]);
  server.listen();
  const port = (server.getsockname() as [string, number])[1];
  const pending = server.accept().catch((err) => err);
  await sleep(10);
  if (runtime === "deno") {
    // Deno frees the port when the cancelled accept settles, on a later
    // turn of the event loop: waiting for that is what await using does.
    await server[Symbol.asyncDispose]();
  } else server.close();
  using again = socket.socket();
  again.bind(["127.0.0.1", port]);
  again.listen();
  assertInstanceOf(await pending, socket.OSError);
});

test("a closed listener refuses new connections at once", async () => {
  const port = freePort();
  using s = socket.socket();
  await assertRejects(
    () => s.connect(["127.0.0.1", port]),
    socket.ConnectionRefusedError,
  );
});

test(
  "connections reset before accept(): returned as on Linux (Node, Bun), skipped on Deno; accept() never fails for them",
  async () => {
    const server = socket.socket();
    server.bind(["127.0.0.1", 0]);
    server.listen(128);
    const port = (server.getsockname() as [string, number])[1];
    const N = 10;
    // A Python client resets N connections (SO_LINGER {1, 0}) before they
    // are accepted, then makes one good connection.
    const { code, stderr } = await run("python3", [
      "-c",
      "import socket, struct, sys\n" +
      "port = int(sys.argv[1])\n" +
      "for _ in range(10):\n" +
      "  c = socket.create_connection(('127.0.0.1', port))\n" +
      "  c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))\n" +
      "  c.close()\n" +
      "g = socket.create_connection(('127.0.0.1', port)); g.sendall(b'good'); g.close()\n",
      String(port),
    ]);
    assertEquals(code, 0, stderr);
    server.settimeout(2);
    let resets = 0;
    let good = false;
    while (!good) {
      const [conn] = await server.accept();
      conn.settimeout(2);
      try {
        const data = await conn.recv(16);
        if (new TextDecoder().decode(data) === "good") good = true;
      } catch (err) {
        assertInstanceOf(err, socket.ConnectionResetError);
        resets++;
      }
      conn.close();
    }
    if (runtime === "deno") assert(resets <= N);
    else assertEquals(resets, N);
    server.close();
  },
  { ignore: await noPython() },
);

const LIFETIME_CLIENT = new URL(
  "./fixtures/lifetime_client.ts",
  import.meta.url,
);

/** The command line that runs the lifetime client (loopback only on Deno). */
function lifetimeArgv(): string[] {
  return runtimeArgv(LIFETIME_CLIENT, {
    denoFlags: ["--allow-net=127.0.0.1"],
  });
}

/**
 * Runs `body` with the lifetime client, started with `mode`'s arguments and
 * connected (from a bound address if `from`) to a listener of this test,
 * and the listener's end of the connection, closed after.
 */
async function withLifetimeClient<T>(
  mode: string[],
  from: boolean,
  body: (child: Child, conn: socket.Socket) => Promise<T>,
): Promise<T> {
  using srv = socket.socket();
  srv.bind(["127.0.0.1", 0]);
  srv.listen();
  const [cmd, ...args] = lifetimeArgv();
  await using child = new Child(cmd, [
    ...args,
    ...mode,
    String(srv.getsockname()[1]),
    ...(from ? ["from"] : []),
  ]);
  const [conn] = await srv.accept();
  try {
    return await body(child, conn);
  } finally {
    conn.close();
  }
}

/**
 * Runs the lifetime client against a listener of this test, which answers
 * after `delayMs` and keeps the connection open until the client exits (at
 * most `exitMs`). Resolves to whether the client had exited before the
 * answer, whether it printed the answer, whether it then exited by itself,
 * and how it ended. With `from`, the client connects from a bound address
 * (on Deno, over its `node:net`).
 */
function lifetimeRun(delayMs: number, exitMs: number, from: boolean) {
  return withLifetimeClient([], from, async (child, conn) => {
    assertEquals(str(await conn.recv(16)), "hi\n");
    const early = delayMs > 0 && await child.exitsWithin(delayMs);
    await conn.sendall(b("hello\n"));
    const printed = await child.waitFor("stdout", /hello/).then(
      () => true,
      () => false,
    );
    // The connection stays open: only the client may end it.
    const exited = exitMs > 0 && await child.exitsWithin(exitMs);
    return { early, printed, exited, ...await child.kill() };
  });
}

test(
  "a program whose last call has returned ends though its connection is open, as CPython's does",
  async () => {
    for (const from of [false, true]) {
      const { exited, code, stdout, stderr } = await lifetimeRun(
        0,
        8_000,
        from,
      );
      assert(exited, `still running 8 s after its last call:\n${stderr}`);
      assertEquals(code, 0, stderr);
      assertEquals(stdout.trim(), "hello");
    }
  },
);

test("a program waiting in recv() is kept alive until the bytes come", async () => {
  for (const from of [false, true]) {
    const { early, printed, stdout, stderr } = await lifetimeRun(
      700,
      0,
      from,
    );
    assert(!early, `exited while its recv() waited:\n${stdout}\n${stderr}`);
    assert(printed, `no answer printed:\n${stdout}\n${stderr}`);
  }
});

test("a program awaiting shutdown() with nothing else to do sees it return (Deno: from a bound address too)", async () => {
  for (const from of [false, true]) {
    await withLifetimeClient(["shutdown"], from, async (child, conn) => {
      conn.settimeout(10);
      assertEquals((await conn.recv(16)).length, 0);
      const { code, stdout, stderr } = await child.exit();
      assertEquals(stdout, "SHUT_WR returned\nSHUT_RDWR returned\n", stderr);
      assertEquals(code, 0, stderr);
    });
  }
});

/**
 * Runs the lifetime client's `kind` mode (`listen` or `udp`): it must end by
 * itself with its socket open; and, told to wait, stay until `poke` (given
 * the port it printed) makes its call return.
 */
async function lifetimeEnds(
  kind: "listen" | "udp",
  poke: (port: number) => Promise<void>,
): Promise<void> {
  const [cmd, ...args] = lifetimeArgv();
  {
    await using child = new Child(cmd, [...args, kind]);
    await child.waitFor("stdout", /port \d+/);
    assert(await child.exitsWithin(8_000), `ends by itself: ${child.stderr}`);
    assertEquals((await child.exit()).code, 0, child.stderr);
  }
  await using child = new Child(cmd, [...args, kind, "wait"]);
  const [, port] = await child.waitFor("stdout", /port (\d+)/);
  assert(!await child.exitsWithin(700), "exited while its call waited");
  await poke(Number(port));
  await child.waitFor("stdout", /late/);
}

test(
  "a program that ends with a listening socket open ends, and one waiting in accept() stays until a connection comes",
  () =>
    lifetimeEnds("listen", async (port) => {
      using c = socket.socket();
      await c.connect(["127.0.0.1", port]);
      await c.sendall(b("late\n"));
    }),
);

test(
  "a program that ends with a UDP socket open ends, and one waiting in recvfrom() stays until a datagram comes",
  () =>
    lifetimeEnds("udp", async (port) => {
      using u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
      await u.sendto(b("late\n"), ["127.0.0.1", port]);
    }),
);

test("a program whose last call or select() timed out ends", async () => {
  const [cmd, ...args] = lifetimeArgv();
  for (const kind of ["recv", "recvfrom", "accept", "select"]) {
    await using child = new Child(cmd, [...args, "timeout", kind]);
    await child.waitFor("stdout", /TimeoutError: timed out|select: 0 ready/);
    assert(await child.exitsWithin(8_000), `${kind}: ${child.stderr}`);
  }
});

test("a program whose blocking calls were answered from what arrived after a non-blocking one found nothing ends", async () => {
  const [cmd, ...args] = lifetimeArgv();
  for (const kind of ["tcp", "udp"]) {
    await using child = new Child(cmd, [...args, "answered", kind]);
    await child.waitFor("stdout", /got \d+/);
    assert(await child.exitsWithin(8_000), `${kind}: ${child.stderr}`);
    assertEquals(
      child.stdout.trim().split("\n"),
      [
        "BlockingIOError: [Errno 11] Resource temporarily unavailable",
        kind === "udp" ? "got 3" : "got 100",
      ],
    );
  }
});

test("a program whose selector or non-blocking calls found nothing ready ends; a call that waits after them keeps it until answered", async () => {
  const [cmd, ...args] = lifetimeArgv();
  {
    await using child = new Child(cmd, [...args, "ahead"]);
    await child.waitFor("stdout", /port \d+/);
    assert(await child.exitsWithin(8_000), `still running:${child.stderr}`);
    const { code } = await child.exit();
    assertEquals(code, 0, child.stderr);
    assertEquals(
      child.stdout.trim().split("\n").slice(0, 3),
      [
        "select: 0 ready",
        "BlockingIOError: [Errno 11] Resource temporarily unavailable",
        "BlockingIOError: [Errno 11] Resource temporarily unavailable",
      ],
    );
  }
  await using child = new Child(cmd, [...args, "ahead", "wait"]);
  const [, port] = await child.waitFor("stdout", /port (\d+)/);
  assert(!await child.exitsWithin(700), "exited while accept() waited");
  using c = socket.socket();
  await c.connect(["127.0.0.1", Number(port)]);
  await child.waitFor("stdout", /select: 0 ready[^]*select: 0 ready/);
  assert(!await child.exitsWithin(700), "exited while recv() waited");
  await c.sendall(b("late\n"));
  await child.waitFor("stdout", /late/);
});

test("dup(): another descriptor for the same connection, which closes with its last one", async () => {
  const { server, client, conn } = await tcpPair();
  try {
    client.settimeout(2.5);
    const copy = client.dup();
    assert(copy.fileno() !== client.fileno());
    assertEquals(
      [copy.family, copy.type, copy.gettimeout()],
      [client.family, client.type, 2.5],
    );
    assertEquals(copy.getpeername(), client.getpeername());
    // Both numbers are ready when the connection is.
    await conn.sendall(b("r"));
    const [ready] = await select([client, copy], [], [], 5);
    assertEquals(ready, [client, copy]);
    assertEquals(str(await copy.recv(1)), "r");
    client.close();
    await copy.sendall(b("via dup"));
    assertEquals(str(await conn.recv(20)), "via dup");
    // The connection is open while a descriptor is.
    conn.settimeout(0.05);
    await assertRejects(() => conn.recv(1), socket.TimeoutError);
    assertThrows(
      () => client.dup(),
      socket.OSError,
      "[Errno 9] Bad file descriptor",
    );
    assertThrows(
      () => (copy.dup as (...a: unknown[]) => unknown)(1),
      TypeError,
      "socket.dup() takes 1 positional argument but 2 were given",
    );
    copy.close();
    conn.settimeout(5);
    assertEquals(await conn.recv(1), new Uint8Array(0), "closed with the last");
  } finally {
    client.close();
    conn.close();
    server.close();
  }
});

test("socket.dup(fd), socket.fromfd() and socket.close(fd), with CPython's errors", async () => {
  const { server, client, conn } = await tcpPair();
  try {
    const fd = socket.dup(client.fileno());
    assert(Number.isInteger(fd) && fd !== client.fileno());
    const f = socket.fromfd(fd, socket.AF_INET, socket.SOCK_STREAM);
    assertEquals([f.family, f.type, f.proto], [socket.AF_INET, 1, 0]);
    // An object told another kind still reports the socket's own, as the
    // kernel does.
    const told = socket.fromfd(fd, socket.AF_INET, socket.SOCK_DGRAM);
    assertEquals(told.type, socket.SOCK_DGRAM);
    assertEquals(
      told.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE),
      socket.SOCK_STREAM,
    );
    told.close();
    assert(f.fileno() !== fd);
    socket.close(fd);
    for (const bad of [fd, -1, 999]) {
      assertThrows(
        () => socket.close(bad),
        socket.OSError,
        "[Errno 9] Bad file descriptor",
      );
      assertThrows(
        () => socket.dup(bad),
        socket.OSError,
        "[Errno 9] Bad file descriptor",
      );
    }
    assertThrows(
      () => socket.dup("x" as never),
      TypeError,
      "'str' object cannot be interpreted as an integer",
    );
    assertThrows(
      () => (socket.dup as (...a: unknown[]) => number)(),
      TypeError,
      "_socket.dup() takes exactly one argument (0 given)",
    );
    assertThrows(
      () => (socket.fromfd as (...a: unknown[]) => unknown)(1, 2),
      TypeError,
      "fromfd() missing 1 required positional argument: 'type'",
    );
    client.close();
    await f.sendall(b("via fromfd"));
    assertEquals(str(await conn.recv(20)), "via fromfd");
    // The last descriptor closed by number: the connection ends, and the
    // object that held it finds it closed, as in CPython.
    socket.close(f.fileno());
    assertEquals(await conn.recv(1), new Uint8Array(0));
    await assertRejects(
      () => f.send(b("x")),
      socket.OSError,
      "[Errno 9] Bad file descriptor",
    );
    assertThrows(
      () => f.getpeername(),
      socket.OSError,
      "[Errno 9] Bad file descriptor",
    );
    assertThrows(
      () => f.close(),
      socket.OSError,
      "[Errno 9] Bad file descriptor",
    );
    assertEquals(f.fileno(), -1);
  } finally {
    client.close();
    conn.close();
    server.close();
  }
});
