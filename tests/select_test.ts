// Copyright the pysocket authors. MIT license.
// select.select() and select.poll(): Python's rules on TCP, Unix and UDP
// sockets: readiness that never consumes, the very objects back in order,
// wake-ups (data, connection, close), timeouts, no busy waiting, and
// Python's argument errors with the texts python3 gives.

import {
  assert,
  assertEquals,
  assertInstanceOf,
  assertRejects,
  assertThrows,
} from "@std/assert";
import * as socket from "../mod.ts";
import * as select from "../select.ts";
import { KINDS, listener, pair, pattern } from "./_kinds.ts";
import { assertPythonError, type Case, pythonErrors } from "./_pyerrors.ts";
import {
  bounded,
  closeAll,
  errorOf,
  idleCpuMs,
  noPython,
  noReferencePython,
  pythonJson,
  remove,
  sleep,
  tcpPair,
  test,
  timed,
} from "./_util.ts";

const noPy = await noPython();
const noRef = await noReferencePython();

test("select.select() exports Python's names", () => {
  assertEquals(Object.keys(select).sort(), [
    "PIPE_BUF",
    "POLLERR",
    "POLLHUP",
    "POLLIN",
    "POLLMSG",
    "POLLNVAL",
    "POLLOUT",
    "POLLPRI",
    "POLLRDBAND",
    "POLLRDHUP",
    "POLLRDNORM",
    "POLLWRBAND",
    "POLLWRNORM",
    "error",
    "poll",
    "select",
  ]);
  assertEquals(select.error, socket.OSError);
  // Linux's values, as python3's select module has them.
  assertEquals(
    [
      select.POLLIN,
      select.POLLPRI,
      select.POLLOUT,
      select.POLLERR,
      select.POLLHUP,
      select.POLLNVAL,
      select.POLLRDNORM,
      select.POLLRDBAND,
      select.POLLWRNORM,
      select.POLLWRBAND,
      select.POLLMSG,
      select.POLLRDHUP,
    ],
    [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 8192],
  );
});

for (const kind of KINDS) {
  test(`select() on ${kind}: idle is writable only; readable once the peer sends, and recv() then gets every byte`, async () => {
    await using p = await pair(kind);
    assertEquals(await select.select([p.a], [p.a], [p.a], 0), [[], [p.a], []]);
    const data = pattern(kind === "udp" ? 1200 : 100_000, 7);
    await p.b.sendall(data);
    assertEquals(await select.select([p.a], [], [p.a], 5), [[p.a], [], []]);
    // Once seen, it stays readable (and the socket is still writable).
    assertEquals(await select.select([p.a], [p.a], [p.a], 0), [
      [p.a],
      [p.a],
      [],
    ]);
    // Readiness consumed nothing: the bytes are all there, in order.
    const got: Uint8Array[] = [];
    let n = 0;
    while (n < data.length) {
      const chunk = await p.a.recv(65536);
      got.push(chunk);
      n += chunk.length;
    }
    const all = new Uint8Array(n);
    let at = 0;
    for (const c of got) {
      all.set(c, at);
      at += c.length;
    }
    assertEquals(all, data);
    assertEquals(await select.select([p.a], [], [], 0), [[], [], []]);
  });
}

for (const kind of ["tcp", "unix"] as const) {
  test(`select() on a ${kind} listener: readable once a client connects, never writable; accept() then gets that connection`, async () => {
    const { server, address, dir } = await listener(kind);
    try {
      assertEquals(await select.select([server], [server], [], 0), [
        [],
        [],
        [],
      ]);
      const client = socket.socket<number>(
        kind === "tcp" ? socket.AF_INET : socket.AF_UNIX,
      );
      await client.connect(address);
      const [r, w] = await select.select([server], [server], [], 5);
      assertEquals([r, w], [[server], []]);
      server.setblocking(false);
      const [conn, addr] = await server.accept();
      assertEquals(addr, kind === "tcp" ? client.getsockname() : "");
      await client.sendall(new Uint8Array([42]));
      assertEquals(await conn.recv(1), new Uint8Array([42]));
      await closeAll(conn, client);
    } finally {
      await closeAll(server);
      if (dir !== undefined) await remove(dir, { recursive: true });
    }
  });

  test(`select() on ${kind}: end of stream is readable, and recv() returns b''`, async () => {
    await using p = await pair(kind);
    p.b.close();
    assertEquals((await select.select([p.a], [], [], 5))[0], [p.a]);
    assertEquals(await p.a.recv(10), new Uint8Array());
  });
}

test("select() on an unconnected TCP socket: readable and writable, as on Linux", async () => {
  using fresh = socket.socket();
  using bound = socket.socket();
  bound.bind(["127.0.0.1", 0]);
  assertEquals(await select.select([fresh, bound], [fresh, bound], [], 0), [
    [fresh, bound],
    [fresh, bound],
    [],
  ]);
});

test(
  "select() on an unconnected TCP socket: python3 says readable and writable too",
  async () => {
    const python = await pythonJson(
      `import json, select, socket
a = socket.socket(); b = socket.socket(); b.bind(("127.0.0.1", 0))
r, w, x = select.select([a, b], [a, b], [], 0)
print(json.dumps([len(r), len(w), len(x)]))`,
      null,
    );
    assertEquals(python, [2, 2, 0]);
  },
  { ignore: noPy },
);

test("select() on UDP: an unbound socket is writable, never readable; a datagram makes a bound one readable and recvfrom() gets it", async () => {
  using a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  assertEquals(await select.select([a], [a], [], 0), [[], [a], []]);
  a.bind(["127.0.0.1", 0]);
  assertEquals(await select.select([a], [], [], 0), [[], [], []]);
  using b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  await b.sendto(new Uint8Array([1, 2, 3]), a.getsockname());
  assertEquals((await select.select([a], [], [], 5))[0], [a]);
  const [data, from] = await a.recvfrom(100);
  assertEquals(data, new Uint8Array([1, 2, 3]));
  assertEquals(from, ["127.0.0.1", (b.getsockname() as [string, number])[1]]);
});

test("select() returns the very objects passed in, in order, duplicates kept; ints and fileno() objects too", async () => {
  const { server, client, conn } = await tcpPair();
  await client.sendall(new Uint8Array([1]));
  assertEquals(await select.select([conn], [], [], 5), [[conn], [], []]);
  const wrapper = { fileno: () => conn.fileno() };
  const fd = conn.fileno();
  const [r, w] = await select.select(
    new Set([wrapper, conn]),
    [client, fd, client, server],
    [],
    5,
  );
  assertEquals(r.length, 2);
  assert(r[0] === wrapper && r[1] === conn);
  assertEquals(w, [client, fd, client]);
  // Any iterable will do, as any sequence does in Python.
  assertEquals(
    await select.select(
      (function* () {
        yield conn;
      })(),
      [],
      [],
      0,
    ),
    [[conn], [], []],
  );
  await closeAll(client, conn, server);
});

test("select() over many sockets reports exactly the ready ones, in the order given", async () => {
  const pairs = await Promise.all(
    Array.from({ length: 40 }, () => pair("tcp")),
  );
  try {
    const readers = pairs.map((p) => p.a);
    const chosen = [3, 17, 18, 39, 0];
    for (const i of chosen) await pairs[i].b.sendall(new Uint8Array([i]));
    let ready: socket.Socket[] = [];
    for (let tries = 0; ready.length < chosen.length && tries < 50; tries++) {
      [ready] = await select.select(readers, [], [], 5);
    }
    assertEquals(
      ready.map((s) => readers.indexOf(s)),
      [...chosen].sort((x, y) => x - y),
    );
    for (const i of chosen) {
      assertEquals(await pairs[i].a.recv(10), new Uint8Array([i]));
    }
  } finally {
    for (const p of pairs) await p[Symbol.asyncDispose]();
  }
});

test("select() waiting for good is woken by data, by a connection, and by the socket closing", async () => {
  const { server, client, conn } = await tcpPair();
  try {
    setTimeout(() => client.send(new Uint8Array([9])), 50);
    let t = await timed(() => select.select([server, conn], [], []));
    assertEquals(t.value, [[conn], [], []]);
    assert(t.ms >= 40 && t.ms < 2000, `took ${t.ms} ms`);
    assertEquals(await conn.recv(1), new Uint8Array([9]));

    using other = socket.socket();
    setTimeout(() => other.connect(server.getsockname()), 50);
    t = await timed(() => select.select([server, conn], [], [], null));
    assertEquals(t.value, [[server], [], []]);
    const [accepted] = await server.accept();
    accepted.close();

    // Another task closes the socket select() waits on: it wakes up and
    // reports it (a recv() would now fail at once with EBADF).
    setTimeout(() => conn.close(), 50);
    t = await timed(() => select.select([conn], [], []));
    assertEquals(t.value, [[conn], [], []]);
    assert(t.ms < 2000, `took ${t.ms} ms`);
    await assertRejects(
      () => conn.recv(1),
      socket.OSError,
      "[Errno 9] Bad file descriptor",
    );
  } finally {
    await closeAll(client, conn, server);
  }
});

test("select() with a timeout returns empty lists after about that long; 0 returns at once", async () => {
  const { server, client, conn } = await tcpPair();
  for (const seconds of [0.05, 0.25]) {
    const { ms, value } = await timed(() =>
      select.select([conn, server], [], [conn], seconds)
    );
    assertEquals(value, [[], [], []]);
    assert(
      ms >= seconds * 1000 - 1 && ms < seconds * 1000 + 500,
      `${seconds} s took ${ms} ms`,
    );
  }
  const { ms } = await timed(() => select.select([conn], [], [], 0));
  assert(ms < 1000, `0 took ${ms} ms`);
  const t = await timed(() => select.select([], [], [], 0.01));
  assert(t.ms >= 9, `took ${t.ms} ms`);
  await closeAll(client, conn, server);
});

test("select() sees what has already arrived even with timeout 0 (non-blocking poll)", async () => {
  await using p = await pair("tcp");
  await p.b.sendall(new Uint8Array([1, 2, 3]));
  await sleep(20);
  assertEquals((await select.select([p.a], [], [], 0))[0], [p.a]);
  p.a.setblocking(false);
  assertEquals(await p.a.recv(10), new Uint8Array([1, 2, 3]));
});

test("select() waiting on idle sockets costs no CPU (no busy polling)", async () => {
  const pairs = await Promise.all(
    Array.from({ length: 20 }, () => pair("tcp")),
  );
  try {
    const readers = pairs.map((p) => p.a);
    await select.select(readers, [], [], 0); // reads ahead start here
    const cpu = await idleCpuMs(async () => {
      const { ms, value } = await timed(() =>
        select.select(readers, [], [], 1)
      );
      assertEquals(value, [[], [], []]);
      assert(ms >= 999, `took ${ms} ms`);
    }, 100);
    assert(
      cpu.least < 100,
      `each idle 1 s select used this much CPU: ${cpu.runs.join(", ")} ms`,
    );
  } finally {
    for (const p of pairs) await p[Symbol.asyncDispose]();
  }
});

test("a loop of select() over always-writable sockets still lets I/O through", async () => {
  await using p = await pair("tcp");
  setTimeout(() => p.b.send(new Uint8Array([5])), 30);
  let rounds = 0;
  for (;;) {
    const [r] = await select.select([p.a], [p.a], [], null);
    rounds++;
    if (r.length > 0) break;
    assert(rounds < 1_000_000, "the data never arrived");
  }
  assertEquals(await p.a.recv(1), new Uint8Array([5]));
});

test("select() on a closed descriptor number is EBADF; on a closed socket, Python's ValueError", async () => {
  const s = socket.socket();
  const fd = s.fileno();
  s.close();
  await assertRejects(
    () => select.select([fd], [], [], 0),
    socket.OSError,
    "[Errno 9] Bad file descriptor",
  );
  await assertRejects(
    () => select.select([], [], [s], 0),
    socket.ValueError,
    "file descriptor cannot be a negative integer (-1)",
  );
});

test(
  "select() argument errors: Python's classes and texts (as python3 gives them)",
  async () => {
    const s = socket.socket();
    const closed = socket.socket();
    closed.close();
    const closedFd = (() => {
      const t = socket.socket();
      const fd = t.fileno() + 90;
      t.close();
      return fd;
    })();
    const cases: Case[] = [
      {
        label: "negative timeout",
        args: () => [[s], [], [], -1],
        python: "select.select([s], [], [], -1)",
      },
      {
        label: "tiny negative timeout",
        args: () => [[s], [], [], -1e-12],
        python: "select.select([s], [], [], -1e-12)",
      },
      {
        label: "str timeout",
        args: () => [[s], [], [], "1"],
        python: "select.select([s], [], [], '1')",
      },
      {
        label: "list timeout",
        args: () => [[s], [], [], [1]],
        python: "select.select([s], [], [], [1])",
      },
      {
        label: "NaN timeout",
        args: () => [[s], [], [], NaN],
        python: "select.select([s], [], [], float('nan'))",
      },
      {
        label: "infinite timeout",
        args: () => [[s], [], [], Infinity],
        python: "select.select([s], [], [], float('inf'))",
      },
      {
        label: "huge float timeout",
        args: () => [[s], [], [], 1.5e30],
        python: "select.select([s], [], [], 1.5e30)",
      },
      {
        label: "huge int timeout",
        args: () => [[s], [], [], 2 ** 40],
        python: "select.select([s], [], [], 2**40)",
      },
      {
        label: "timeout before items",
        args: () => [["x"], [], [], -1],
        python: "select.select(['x'], [], [], -1)",
      },
      {
        label: "str item",
        args: () => [["x"], [], [], 0],
        python: "select.select(['x'], [], [], 0)",
      },
      {
        label: "float item",
        args: () => [[1.5], [], [], 0],
        python: "select.select([1.5], [], [], 0)",
      },
      {
        label: "None item",
        args: () => [[null], [], [], 0],
        python: "select.select([None], [], [], 0)",
      },
      {
        label: "object item",
        args: () => [[{}], [], [], 0],
        python: "select.select([object()], [], [], 0)",
      },
      {
        label: "negative fd",
        args: () => [[-1], [], [], 0],
        python: "select.select([-1], [], [], 0)",
      },
      {
        label: "closed socket",
        args: () => [[], [closed], [], 0],
        python: "select.select([], [closed], [], 0)",
      },
      {
        label: "huge fd",
        args: () => [[2 ** 40], [], [], 0],
        python: "select.select([2**40], [], [], 0)",
      },
      {
        label: "fd 1024",
        args: () => [[], [], [1024], 0],
        python: "select.select([], [], [1024], 0)",
      },
      {
        label: "fileno() non-int",
        args: () => [[{ fileno: () => "3" }], [], [], 0],
        python: "select.select([NonInt()], [], [], 0)",
      },
      {
        label: "fileno() raises",
        args: () => [
          [{
            fileno: () => {
              throw new socket.ValueError("boom");
            },
          }],
          [],
          [],
          0,
        ],
        python: "select.select([Raises()], [], [], 0)",
      },
      {
        label: "not a sequence",
        args: () => [5, [], [], 0],
        python: "select.select(5, [], [], 0)",
      },
      {
        label: "second not a sequence",
        args: () => [[s], null, [], 0],
        python: "select.select([s], None, [], 0)",
      },
      {
        label: "fd not open",
        args: () => [[closedFd], [], [], 0],
        python: `select.select([${closedFd}], [], [], 0)`,
      },
    ];
    const expected = await pythonErrors(
      `s = socket.socket()\nclosed = socket.socket(); closed.close()`,
      cases,
    );
    try {
      for (const c of cases) {
        const call = select.select as (...args: unknown[]) => Promise<unknown>;
        const error = await call(...c.args()).then(
          () => new Error("no error"),
          (e) => e,
        );
        assertPythonError(c.label, error, expected[c.label]);
      }
    } finally {
      s.close();
    }
  },
  { ignore: noRef },
);

test("poll(): register, modify, unregister; revents as Linux's, in registration order", async () => {
  await using p = await pair("tcp");
  using fresh = socket.socket();
  const poller = select.poll();
  poller.register(p.a, select.POLLIN);
  poller.register(p.b.fileno()); // POLLIN | POLLPRI | POLLOUT
  poller.register(fresh, select.POLLIN | select.POLLOUT);
  // An unconnected TCP socket has hung up (Linux's CLOSE state).
  assertEquals(await poller.poll(0), [
    [p.b.fileno(), select.POLLOUT],
    [fresh.fileno(), select.POLLOUT | select.POLLHUP],
  ]);
  poller.unregister(fresh);
  await p.b.sendall(new Uint8Array([1]));
  assertEquals((await select.select([p.a], [], [], 5))[0], [p.a]);
  assertEquals(await poller.poll(5000), [
    [p.a.fileno(), select.POLLIN],
    [p.b.fileno(), select.POLLOUT],
  ]);
  poller.modify(p.a, select.POLLIN | select.POLLRDNORM | select.POLLOUT);
  poller.modify(p.b, select.POLLIN);
  assertEquals(await poller.poll(), [
    [
      p.a.fileno(),
      select.POLLIN | select.POLLRDNORM | select.POLLOUT,
    ],
  ]);
  // Registering again replaces the mask.
  poller.register(p.a, select.POLLOUT);
  assertEquals(await poller.poll(-1), [[p.a.fileno(), select.POLLOUT]]);
  assertEquals(await p.a.recv(1), new Uint8Array([1]));
});

test("poll(): a descriptor that is not open is POLLNVAL; timeouts in milliseconds; a second poll() while one waits is RuntimeError", async () => {
  const s = socket.socket();
  const fd = s.fileno();
  const poller = select.poll();
  poller.register(fd, select.POLLIN);
  assertEquals(await poller.poll(0), [[fd, select.POLLHUP]]);
  s.close();
  assertEquals(await poller.poll(0), [[fd, select.POLLNVAL]]);
  poller.unregister(fd);
  await using p = await pair("tcp");
  poller.register(p.a, select.POLLIN);
  const { ms, value } = await timed(() => poller.poll(120));
  assertEquals(value, []);
  assert(ms >= 119 && ms < 1000, `took ${ms} ms`);
  const waiting = poller.poll(5000);
  await assertRejects(
    () => poller.poll(0),
    socket.RuntimeError,
    "concurrent poll() invocation",
  );
  await p.b.sendall(new Uint8Array([1]));
  assertEquals(await waiting, [[p.a.fileno(), select.POLLIN]]);
});

test(
  "poll() argument errors: Python's classes and texts (as python3 gives them)",
  async () => {
    using s = socket.socket();
    const cases: Case[] = [
      {
        label: "str fd",
        args: () => ["register", "x"],
        python: "p.register('x')",
      },
      {
        label: "negative fd",
        args: () => ["register", -1],
        python: "p.register(-1)",
      },
      {
        label: "str mask",
        args: () => ["register", s, "x"],
        python: "p.register(s, 'x')",
      },
      {
        label: "negative mask",
        args: () => ["register", s, -1],
        python: "p.register(s, -1)",
      },
      {
        label: "huge mask",
        args: () => ["register", s, 1 << 20],
        python: "p.register(s, 1 << 20)",
      },
      {
        label: "modify unregistered",
        args: () => ["modify", 778, 1],
        python: "p.modify(778, 1)",
      },
      {
        label: "unregister unregistered",
        args: () => ["unregister", 778],
        python: "p.unregister(778)",
      },
      {
        label: "str timeout",
        args: () => ["poll", "x"],
        python: "p.poll('x')",
      },
      {
        label: "NaN timeout",
        args: () => ["poll", NaN],
        python: "p.poll(float('nan'))",
      },
      {
        label: "infinite timeout",
        args: () => ["poll", Infinity],
        python: "p.poll(float('inf'))",
      },
    ];
    const expected = await pythonErrors(
      "s = socket.socket()\np = select.poll()",
      cases,
    );
    for (const c of cases) {
      const poller = select.poll() as unknown as Record<
        string,
        (...args: unknown[]) => unknown
      >;
      const [method, ...args] = c.args() as [string, ...unknown[]];
      let error: unknown = new Error("no error");
      try {
        await poller[method](...args);
      } catch (e) {
        error = e;
      }
      assertPythonError(c.label, error, expected[c.label]);
    }
    // Python's KeyError prints its key: str(KeyError(778)) is '778'.
    assertThrows(() => select.poll().unregister(5), socket.KeyError, "5");
  },
  { ignore: noRef },
);

type ErrorClass = new (...args: never[]) => Error;

test("select() and poll() count their arguments, take bigints as ints, and refuse a poll() timeout beyond a C int, as python3", async () => {
  await using p = await pair("tcp");
  await p.b.sendall(new Uint8Array([1]));
  const poller = select.poll();
  poller.register(p.a, select.POLLIN);
  const ready = [[p.a.fileno(), select.POLLIN]];
  assertEquals(await bounded(poller.poll(5000), 10_000, "poll"), ready);
  // deno-lint-ignore no-explicit-any
  const call = poller as any;
  // deno-lint-ignore no-explicit-any
  const selectAny = select.select as any;
  // deno-lint-ignore no-explicit-any
  const pollAny = select.poll as any;
  const cases: [string, () => unknown, ErrorClass, string][] = [
    [
      "select 5 args",
      () => selectAny([], [], [], 0, 0),
      TypeError,
      "select expected at most 4 arguments, got 5",
    ],
    [
      "select 2 args",
      () => selectAny([], []),
      TypeError,
      "select expected at least 3 arguments, got 2",
    ],
    [
      "poll(1)",
      () => pollAny(1),
      TypeError,
      "select.poll() takes no arguments (1 given)",
    ],
    [
      "register 3 args",
      () => call.register(p.a, 1, 1),
      TypeError,
      "register expected at most 2 arguments, got 3",
    ],
    [
      "register no args",
      () => call.register(),
      TypeError,
      "register expected at least 1 argument, got 0",
    ],
    [
      "modify 1 arg",
      () => call.modify(p.a),
      TypeError,
      "modify expected 2 arguments, got 1",
    ],
    [
      "modify 3 args",
      () => call.modify(p.a, 1, 1),
      TypeError,
      "modify expected 2 arguments, got 3",
    ],
    [
      "unregister no args",
      () => call.unregister(),
      TypeError,
      "poll.unregister() takes exactly one argument (0 given)",
    ],
    [
      "unregister 2 args",
      () => call.unregister(p.a, 1),
      TypeError,
      "poll.unregister() takes exactly one argument (2 given)",
    ],
    [
      "poll 2 args",
      () => call.poll(0, 0),
      TypeError,
      "poll expected at most 1 argument, got 2",
    ],
    [
      "poll 2**31",
      () => call.poll(2 ** 31),
      socket.OverflowError,
      "timeout is too large",
    ],
    [
      "poll 1e10",
      () => call.poll(1e10),
      socket.OverflowError,
      "timeout is too large",
    ],
    [
      "poll -2**31-0.5 (rounded away from zero)",
      () => call.poll(-(2 ** 31) - 0.5),
      socket.OverflowError,
      "timeout is too large",
    ],
    [
      "poll 2n**63n",
      () => call.poll(2n ** 63n),
      socket.OverflowError,
      "timestamp too large to convert to C _PyTime_t",
    ],
  ];
  for (const [label, f, Class, message] of cases) {
    const err = await errorOf(f);
    assertInstanceOf(err, Class, label);
    assertEquals(err?.message, message, label);
    // Nothing changed.
    assertEquals(await poller.poll(0), ready, label);
  }
  // A bigint is an int, for masks as for timeouts.
  poller.register(p.b, 1n as unknown as number);
  poller.modify(p.b, 4n as unknown as number);
  assertEquals(await poller.poll(5000n as unknown as number), [
    [p.a.fileno(), select.POLLIN],
    [p.b.fileno(), select.POLLOUT],
  ]);
});
