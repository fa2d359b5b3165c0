// Copyright the pysocket authors. MIT license.
// selectors: DefaultSelector (EpollSelector), PollSelector and
// SelectSelector on TCP, Unix and UDP sockets; keys, the mapping, modify,
// close; each class's own behaviour where CPython's classes differ; and
// the errors, checked against python3 running the same calls.

import {
  assert,
  assertEquals,
  assertInstanceOf,
  assertRejects,
  assertThrows,
} from "@std/assert";
import * as socket from "../mod.ts";
import * as selectors from "../selectors.ts";
import { KINDS, listener, pair, pattern } from "./_kinds.ts";
import {
  bounded,
  closeAll,
  errorOf,
  idleCpuMs,
  noReferencePython,
  pythonJson,
  remove,
  sleep,
  tcpPair,
  test,
  timed,
} from "./_util.ts";

const noRef = await noReferencePython();

type AnySelector = selectors.BaseSelector<unknown, selectors.FileObject>;

const CLASSES: [string, new () => AnySelector][] = [
  ["EpollSelector", selectors.EpollSelector],
  ["PollSelector", selectors.PollSelector],
  ["SelectSelector", selectors.SelectSelector],
];

test("selectors exports Python's names; DefaultSelector is EpollSelector, as on Linux", () => {
  assertEquals(Object.keys(selectors).sort(), [
    "BaseSelector",
    "DefaultSelector",
    "EVENT_READ",
    "EVENT_WRITE",
    "EpollSelector",
    "PollSelector",
    "SelectSelector",
    "SelectorKey",
  ]);
  assertEquals([selectors.EVENT_READ, selectors.EVENT_WRITE], [1, 2]);
  assert(selectors.DefaultSelector === selectors.EpollSelector);
  for (const [, Class] of CLASSES) {
    using sel = new Class();
    assert(sel instanceof selectors.BaseSelector);
  }
});

/**
 * A connection registered in `sel` as "old" and closed, and a new one
 * accepted meanwhile, which the descriptor table gave its number;
 * `unregister`: the old one is unregistered before the accept.
 */
async function reusedDescriptor(sel: AnySelector, unregister: boolean) {
  const { server, client, conn } = await tcpPair();
  sel.register(conn, selectors.EVENT_READ, "old");
  const fd = conn.fileno();
  const client2 = await socket.create_connection(server.getsockname());
  conn.close();
  if (unregister) sel.unregister(conn);
  const [conn2] = await server.accept();
  assertEquals(conn2.fileno(), fd);
  return { server, client, conn, client2, conn2 };
}

for (const [name, Class] of CLASSES) {
  for (const kind of KINDS) {
    test(`${name} on ${kind}: writable at once, readable once the peer sends; events are the key's; recv() gets every byte`, async () => {
      await using p = await pair(kind);
      using sel = new Class();
      const both = selectors.EVENT_READ | selectors.EVENT_WRITE;
      const key = sel.register(p.a, both, "a");
      assertEquals(
        [key.fileobj, key.fd, key.events, key.data],
        [p.a, p.a.fileno(), both, "a"],
      );
      const readOnly = sel.register(p.b, selectors.EVENT_READ, "b");
      let ready = await sel.select(0);
      assertEquals(ready.map(([k, e]) => [k.data, e]), [[
        "a",
        selectors.EVENT_WRITE,
      ]]);
      assert(ready[0][0] === key);

      const data = pattern(kind === "udp" ? 1000 : 50_000, 3);
      await p.b.sendall(data);
      for (let i = 0; i < 100; i++) {
        ready = await sel.select(5);
        if (ready.some(([, e]) => e & selectors.EVENT_READ)) break;
      }
      assertEquals(ready.map(([k, e]) => [k.data, e]), [["a", both]]);
      // Nothing was consumed.
      let got = 0;
      while (got < data.length) {
        const chunk = await p.a.recv(65536);
        assertEquals(chunk, data.subarray(got, got + chunk.length));
        got += chunk.length;
      }
      assertEquals(sel.unregister(p.b), readOnly);
      assertEquals(sel.unregister(p.a), key);
      assertEquals(sel.get_map()!.size, 0);
    });
  }

  test(`${name}: a listener is readable once a client connects, and accept() gets that client`, async () => {
    for (const kind of ["tcp", "unix"] as const) {
      const { server, address, dir } = await listener(kind);
      try {
        using sel = new Class();
        sel.register(server, selectors.EVENT_READ);
        assertEquals(await sel.select(0), []);
        using client = socket.socket<number>(
          kind === "tcp" ? socket.AF_INET : socket.AF_UNIX,
        );
        await client.connect(address);
        const [[key, events]] = await sel.select(5);
        assertEquals([key.fileobj, events], [server, selectors.EVENT_READ]);
        server.setblocking(false);
        const [conn, addr] = await server.accept();
        assertEquals(addr, kind === "tcp" ? client.getsockname() : "");
        conn.close();
      } finally {
        await closeAll(server);
        if (dir !== undefined) await remove(dir, { recursive: true });
      }
    }
  });

  test(`${name}: select() waiting for good wakes on data; with a timeout it returns [] after about that long`, async () => {
    await using p = await pair("tcp");
    using sel = new Class();
    sel.register(p.a, selectors.EVENT_READ, null);
    setTimeout(() => p.b.send(new Uint8Array([7])), 50);
    let t = await timed(() => sel.select());
    assertEquals(t.value!.map(([k, e]) => [k.fileobj, e]), [[p.a, 1]]);
    assert(t.ms >= 40 && t.ms < 3000, `took ${t.ms} ms`);
    assertEquals(await p.a.recv(1), new Uint8Array([7]));
    t = await timed(() => sel.select(0.2));
    assertEquals(t.value, []);
    assert(t.ms >= 199 && t.ms < 1000, `took ${t.ms} ms`);
    // A negative timeout polls.
    t = await timed(() => sel.select(-1));
    assertEquals(t.value, []);
    assert(t.ms < 1000, `took ${t.ms} ms`);
  });

  test(`${name}: modify() changes events and data (data back to null unless given); get_key() and the mapping follow`, async () => {
    await using p = await pair("tcp");
    using sel = new Class();
    sel.register(p.a, selectors.EVENT_READ, "first");
    const same = sel.modify(p.a, selectors.EVENT_READ, "first");
    assertEquals([same.events, same.data], [1, "first"]);
    const k1 = sel.modify(p.a, selectors.EVENT_WRITE, "second");
    assertEquals([k1.fd, k1.events, k1.data], [p.a.fileno(), 2, "second"]);
    assertEquals(sel.get_key(p.a), k1);
    const k2 = sel.modify(p.a, selectors.EVENT_WRITE);
    assertEquals(k2.data, null);
    assertEquals((await sel.select(0)).map(([k, e]) => [k.fd, e]), [
      [p.a.fileno(), 2],
    ]);
    const map = sel.get_map()!;
    assertEquals([map.size, [...map], [...map.keys()]], [1, [p.a.fileno()], [
      p.a.fileno(),
    ]]);
    assertEquals(map.has(p.a), true);
    assertEquals(map.has(p.a.fileno()), true);
    assertEquals(map.has(p.b), false);
    assertEquals(map.get(p.a), k2);
    assertEquals(map.get(p.b), null);
    assertEquals(map.get(p.b, "none"), "none");
    assertEquals([...map.values()], [k2]);
    assertEquals([...map.items()], [[p.a.fileno(), k2]]);
    assertThrows(
      () => map.getitem(p.b),
      socket.KeyError,
      // Python's repr() of the text: double quotes, as it holds quotes.
      `"${p.b} is not registered"`,
    );
    sel.close();
    assertEquals(sel.get_map(), null);
    assertThrows(
      () => sel.get_key(p.a),
      socket.RuntimeError,
      "Selector is closed",
    );
  });

  test(`${name}: a socket closed while registered can still be unregistered (found by identity)`, async () => {
    const { server, client, conn } = await tcpPair();
    using sel = new Class();
    const key = sel.register(conn, selectors.EVENT_READ, "conn");
    conn.close();
    assertEquals(sel.unregister(conn), key);
    await closeAll(client, server);
  });

  test(`${name}: a socket closed, then unregistered: a new socket given its descriptor registers and is reported`, async () => {
    // CPython: the kernel dropped the closed descriptor (epoll) or the
    // number was unregistered (poll, select); the new socket is another.
    using sel = new Class();
    const { server, client, client2, conn2 } = await reusedDescriptor(
      sel,
      true,
    );
    const key = sel.register(conn2, selectors.EVENT_READ, "new");
    await client2.sendall(pattern(5, 1));
    const ready = await sel.select(2);
    assertEquals(ready.map(([k, e]) => [k === key, k.data, e]), [[
      true,
      "new",
      selectors.EVENT_READ,
    ]]);
    await closeAll(client, client2, conn2, server);
  });
}

test("a socket closed while registered, its descriptor given to a new socket: each class reports what CPython's does", async () => {
  // epoll dropped the descriptor at close, so the new socket is not in its
  // set; poll and select ask by number, so the new socket's data shows
  // under the old key. Unregistering the old key frees the number.
  const expected: Record<string, string[]> = {
    EpollSelector: [],
    PollSelector: ["old"],
    SelectSelector: ["old"],
  };
  for (const [name, Class] of CLASSES) {
    using sel = new Class();
    const { server, client, conn, client2, conn2 } = await reusedDescriptor(
      sel,
      false,
    );
    await client2.sendall(pattern(5, 1));
    await sleep(50);
    const ready = await sel.select(0.1);
    assertEquals(ready.map(([k]) => k.data), expected[name], name);
    sel.unregister(conn);
    sel.register(conn2, selectors.EVENT_READ, "new");
    const again = await sel.select(1);
    assertEquals(again.map(([k, e]) => [k.data, e]), [["new", 1]], name);
    await closeAll(client, client2, conn2, server);
  }
});

for (const [name, Class] of CLASSES) {
  for (const kind of KINDS) {
    test(`${name} on ${kind}: what arrived before register() or modify() asks for EVENT_READ is seen by select(0) at once, as the kernel's readiness is`, async () => {
      // CPython: select(0) right after register() reports EVENT_READ for
      // bytes (or a datagram) that arrived before.
      await using p = await pair(kind);
      using sel = new Class();
      await p.b.sendall(pattern(100, 1));
      await sleep(30);
      sel.register(p.a, selectors.EVENT_READ, "a");
      let ready = await sel.select(0);
      assertEquals(ready.map(([k, e]) => [k.data, e]), [[
        "a",
        selectors.EVENT_READ,
      ]]);
      assertEquals((await p.a.recv(1000)).length, 100);
      sel.modify(p.a, selectors.EVENT_WRITE, "a");
      await p.b.sendall(pattern(100, 2));
      await sleep(30);
      sel.modify(p.a, selectors.EVENT_READ, "a");
      ready = await sel.select(0);
      assertEquals(ready.map(([k, e]) => [k.data, e]), [[
        "a",
        selectors.EVENT_READ,
      ]]);
      assertEquals((await p.a.recv(1000)).length, 100);
    });
  }
}

test("each selector class treats a socket closed while registered as CPython's does", async () => {
  const make = async () => {
    const p = await pair("tcp");
    return p;
  };
  // EpollSelector: the kernel drops a closed descriptor: never reported.
  {
    await using p = await make();
    using sel = new selectors.EpollSelector();
    sel.register(p.a, selectors.EVENT_READ | selectors.EVENT_WRITE);
    p.a.close();
    assertEquals(await sel.select(0.05), []);
  }
  // PollSelector: POLLNVAL, which Python maps to both events.
  {
    await using p = await make();
    using sel = new selectors.PollSelector();
    const key = sel.register(p.a, selectors.EVENT_READ);
    p.a.close();
    const ready = await sel.select(0);
    assertEquals(ready.map(([k, e]) => [k === key, e]), [[true, 1]]);
  }
  // SelectSelector: select() fails with EBADF.
  {
    await using p = await make();
    using sel = new selectors.SelectSelector();
    sel.register(p.a, selectors.EVENT_READ);
    p.a.close();
    await assertRejects(
      () => sel.select(0),
      socket.OSError,
      "[Errno 9] Bad file descriptor",
    );
  }
});

test("DefaultSelector: a socket closed while select() waits is forgotten, as epoll forgets it", async () => {
  await using p = await pair("tcp");
  using sel = new selectors.DefaultSelector();
  sel.register(p.a, selectors.EVENT_READ);
  setTimeout(() => p.a.close(), 30);
  const { ms, value } = await timed(() => sel.select(0.3));
  assertEquals(value, []);
  assert(ms >= 290, `took ${ms} ms`);
});

test("DefaultSelector waiting on idle sockets costs no CPU", async () => {
  const pairs = await Promise.all(
    Array.from({ length: 20 }, () => pair("tcp")),
  );
  try {
    using sel = new selectors.DefaultSelector();
    for (const p of pairs) sel.register(p.a, selectors.EVENT_READ);
    await sel.select(0);
    const cpu = await idleCpuMs(async () => {
      const { ms, value } = await timed(() => sel.select(1));
      assertEquals(value, []);
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

test("SelectorKey is immutable and prints as Python's named tuple", () => {
  const key = new selectors.SelectorKey(5, 5, 1, "it's");
  assertEquals(
    String(key),
    `SelectorKey(fileobj=5, fd=5, events=1, data="it's")`,
  );
  assertThrows(() => {
    (key as { data: unknown }).data = 1;
  }, TypeError);
  assertEquals(
    String(new selectors.SelectorKey(7, 7, 3, null)),
    "SelectorKey(fileobj=7, fd=7, events=3, data=None)",
  );
});

test("an echo server on DefaultSelector, Real Python's loop, serves 60 connections with every byte back", async () => {
  using lsock = socket.socket();
  lsock.bind(["127.0.0.1", 0]);
  lsock.listen();
  lsock.setblocking(false);
  type Data = { outb: Uint8Array } | null;
  const sel = new selectors.DefaultSelector<Data, socket.Socket>();
  sel.register(lsock, selectors.EVENT_READ, null);
  let stop = false;
  const serving = (async () => {
    while (!stop) {
      for (const [key, mask] of await sel.select(0.05)) {
        const sock = key.fileobj;
        if (key.data === null) {
          const [conn] = await sock.accept();
          conn.setblocking(false);
          sel.register(
            conn,
            selectors.EVENT_READ | selectors.EVENT_WRITE,
            { outb: new Uint8Array() },
          );
          continue;
        }
        const data = key.data;
        if (mask & selectors.EVENT_READ) {
          const got = await sock.recv(4096);
          if (got.length === 0) {
            sel.unregister(sock);
            sock.close();
            continue;
          }
          const outb = new Uint8Array(data.outb.length + got.length);
          outb.set(data.outb);
          outb.set(got, data.outb.length);
          data.outb = outb;
        }
        if (mask & selectors.EVENT_WRITE && data.outb.length) {
          const sent = await sock.send(data.outb);
          data.outb = data.outb.subarray(sent);
        }
      }
    }
    for (const key of [...sel.get_map()!.values()]) {
      if (key.data !== null) key.fileobj.close();
    }
    sel.close();
  })();
  const clients = Array.from({ length: 60 }, async (_, i) => {
    using c = socket.socket();
    await c.connect(lsock.getsockname());
    const data = pattern(20_000 + i * 97, i);
    await c.sendall(data);
    let got = 0;
    while (got < data.length) {
      const chunk = await c.recv(65536);
      assert(chunk.length > 0, `connection ${i}: end of stream at ${got}`);
      assertEquals(chunk, data.subarray(got, got + chunk.length));
      got += chunk.length;
    }
  });
  try {
    await Promise.all(clients);
  } finally {
    stop = true;
    await serving;
  }
});

/** One step of the error table: our call, and the same call in Python. */
interface Step {
  label: string;
  js: (sel: AnySelector, env: Env) => unknown;
  py: string;
}

interface Env {
  a: socket.Socket;
  b: socket.Socket;
  notOpen: number;
}

/** `[[data, events], …]` of a select() result, as the Python side prints it. */
function summary(ready: [selectors.SelectorKey, number][]): unknown {
  return ready.map(([k, e]) => [k.data, e]);
}

const STEPS: Step[] = [
  {
    label: "register a descriptor that is not open",
    js: (s, e) => (s.register(e.notOpen, 1), null),
    py: "(sel.register(N, 1), None)[1]",
  },
  {
    label: "select with it",
    js: async (s) => summary(await s.select(0)),
    py: "R(sel.select(0))",
  },
  {
    label: "unregister it",
    js: (s, e) => (s.unregister(e.notOpen), null),
    py: "(sel.unregister(N), None)[1]",
  },
  {
    label: "register a",
    js: (s, e) => (s.register(e.a, 1, "d"), null),
    py: "(sel.register(a, 1, 'd'), None)[1]",
  },
  {
    label: "register a again",
    js: (s, e) => s.register(e.a, 1),
    py: "sel.register(a, 1)",
  },
  {
    label: "register a's fd",
    js: (s, e) => s.register(e.a.fileno(), 1),
    py: "sel.register(a.fileno(), 1)",
  },
  {
    label: "events 0",
    js: (s, e) => s.register(e.b, 0),
    py: "sel.register(b, 0)",
  },
  {
    label: "events 4",
    js: (s, e) => s.register(e.b, 4),
    py: "sel.register(b, 4)",
  },
  {
    label: "events -1",
    js: (s, e) => s.register(e.b, -1),
    py: "sel.register(b, -1)",
  },
  {
    label: "events str",
    js: (s, e) => s.register(e.b, "x" as unknown as number),
    py: "sel.register(b, 'x')",
  },
  {
    label: "events float",
    js: (s, e) => s.register(e.b, 1.5),
    py: "sel.register(b, 1.5)",
  },
  {
    label: "dict",
    js: (s) => s.register({} as unknown as number, 1),
    py: "sel.register({}, 1)",
  },
  {
    label: "str fileobj",
    js: (s) => s.register("x" as unknown as number, 1),
    py: "sel.register('x', 1)",
  },
  {
    label: "negative fd",
    js: (s) => s.register(-5, 1),
    py: "sel.register(-5, 1)",
  },
  {
    label: "modify unregistered",
    js: (s, e) => s.modify(e.b, 1),
    py: "sel.modify(b, 1)",
  },
  {
    label: "unregister unregistered",
    js: (s, e) => s.unregister(e.b),
    py: "sel.unregister(b)",
  },
  {
    label: "get_key unregistered",
    js: (s, e) => s.get_key(e.b),
    py: "sel.get_key(b)",
  },
  {
    label: "mapping with a dict",
    js: (s) => s.get_map()!.has({} as unknown as number),
    py: "{} in sel.get_map()",
  },
  {
    label: "select str",
    js: (s) => s.select("x" as unknown as number),
    py: "sel.select('x')",
  },
  {
    label: "select NaN",
    js: (s) => s.select(NaN),
    py: "sel.select(float('nan'))",
  },
  {
    label: "select inf",
    js: (s) => s.select(Infinity),
    py: "sel.select(float('inf'))",
  },
  {
    label: "select -inf",
    js: async (s) => summary(await s.select(-Infinity)),
    py: "R(sel.select(-float('inf')))",
  },
  {
    label: "close",
    js: (s) => (s.close(), null),
    py: "(sel.close(), None)[1]",
  },
  { label: "get_map after close", js: (s) => s.get_map(), py: "sel.get_map()" },
  {
    label: "get_key after close",
    js: (s, e) => s.get_key(e.a),
    py: "sel.get_key(a)",
  },
  {
    label: "register after close",
    js: (s, e) => (s.register(e.b, 1, "b"), null),
    py: "(sel.register(b, 1, 'b'), None)[1]",
  },
  {
    label: "select after close",
    js: async (s) => summary(await s.select(0)),
    py: "R(sel.select(0))",
  },
  {
    label: "unregister after close",
    js: (s, e) => (s.unregister(e.b), null),
    py: "(sel.unregister(b), None)[1]",
  },
];

/**
 * A message with the sockets' reprs and descriptor numbers replaced, so
 * that Python's and ours compare (the sockets differ).
 */
function normalize(
  message: string,
  reprs: [string, string],
  fds: [number, number],
): string {
  return message
    .replaceAll(reprs[0], "<A>")
    .replaceAll(reprs[1], "<B>")
    .replaceAll(`'${fds[0]} (FD ${fds[0]})`, "'A (FD A)")
    .replaceAll(`(FD ${fds[0]})`, "(FD A)")
    .replaceAll(`(FD ${fds[1]})`, "(FD B)")
    .replace(/<object object at 0x[0-9a-f]+>|<Object object>/g, "<object>");
}

test(
  "selectors' errors and results, call by call, are python3's for each class",
  async () => {
    const script = `import json, selectors, socket, sys, re
def R(ready): return [[k.data, e] for k, e in ready]
def norm(m):
    m = m.replace(repr(a), "<A>").replace(repr(b), "<B>")
    m = m.replace(f"'{fa} (FD {fa})", "'A (FD A)").replace(f"(FD {fa})", "(FD A)").replace(f"(FD {fb})", "(FD B)")
    return re.sub(r"<object object at 0x[0-9a-f]+>", "<object>", m)
N = 200
out = {}
steps = json.load(sys.stdin)
def tcp_pair():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        a = socket.create_connection(listener.getsockname())
        b, _ = listener.accept()
        return a, b
for name in ("EpollSelector", "PollSelector", "SelectSelector"):
    a, b = tcp_pair()
    fa, fb = a.fileno(), b.fileno()
    sel = getattr(selectors, name)()
    rows = []
    for label, expr in steps:
        try:
            rows.append(["ok", eval(expr)])
        except BaseException as e:
            rows.append([type(e).__name__, norm(str(e))])
    out[name] = rows
    a.close(); b.close()
print(json.dumps(out))`;
    const expected = await pythonJson(
      script,
      STEPS.map((s) => [s.label, s.py]),
    ) as Record<string, [string, unknown][]>;
    for (const [name, Class] of CLASSES) {
      // TCP, as the Python side's pair (socketpair() is AF_UNIX on Node).
      const [a, b] = await socket.socketpair(socket.AF_INET);
      try {
        const env: Env = { a, b, notOpen: 200 };
        const sel = new Class();
        const reprs: [string, string] = [String(a), String(b)];
        const fds: [number, number] = [a.fileno(), b.fileno()];
        const rows: [string, unknown][] = [];
        for (const step of STEPS) {
          try {
            rows.push(["ok", await step.js(sel, env)]);
          } catch (err) {
            const e = err as Error;
            rows.push([e.name, normalize(e.message, reprs, fds)]);
          }
        }
        for (let i = 0; i < STEPS.length; i++) {
          assertEquals(
            rows[i],
            expected[name][i],
            `${name}: ${STEPS[i].label}`,
          );
        }
      } finally {
        await closeAll(a, b);
      }
    }
  },
  { ignore: noRef },
);

type ErrorClass = new (...args: never[]) => Error;

/** Where CPython defines each class's methods: the names its messages use. */
const DEFINED_IN: Record<string, Record<string, string>> = {
  EpollSelector: {
    register: "_PollLikeSelector.register",
    unregister: "_PollLikeSelector.unregister",
    modify: "_PollLikeSelector.modify",
    select: "EpollSelector.select",
    close: "EpollSelector.close",
  },
  PollSelector: {
    register: "_PollLikeSelector.register",
    unregister: "_PollLikeSelector.unregister",
    modify: "_PollLikeSelector.modify",
    select: "_PollLikeSelector.select",
    close: "_BaseSelectorImpl.close",
  },
  SelectSelector: {
    register: "SelectSelector.register",
    unregister: "SelectSelector.unregister",
    modify: "_BaseSelectorImpl.modify",
    select: "SelectSelector.select",
    close: "_BaseSelectorImpl.close",
  },
};

for (const [name, Class] of CLASSES) {
  test(`${name}: argument counts, events and timeouts raise python3's errors and leave the registrations as they were; bigints are ints`, async () => {
    await using p = await pair("tcp");
    using other = socket.socket();
    await p.b.sendall(new Uint8Array([1]));
    using sel = new Class();
    sel.register(p.a, selectors.EVENT_READ, "d");
    const expected = [["d", selectors.EVENT_READ]];
    assertEquals(
      summary(await bounded(sel.select(5), 10_000, "select")),
      expected,
    );
    const m = DEFINED_IN[name];
    const pollLike = name !== "SelectSelector";
    // deno-lint-ignore no-explicit-any
    const s = sel as any;
    const a = p.a;
    const cases: [string, () => unknown, ErrorClass, string][] = [
      [
        "register()",
        () => s.register(),
        TypeError,
        `${m.register}() missing 2 required positional arguments: 'fileobj' and 'events'`,
      ],
      [
        "register(other)",
        () => s.register(other),
        TypeError,
        `${m.register}() missing 1 required positional argument: 'events'`,
      ],
      [
        "register(other, 1, 'd', 1)",
        () => s.register(other, 1, "d", 1),
        TypeError,
        `${m.register}() takes from 3 to 4 positional arguments but 5 were given`,
      ],
      [
        "register(other, None)",
        () => s.register(other, null),
        socket.ValueError,
        "Invalid events: None",
      ],
      [
        "register(other, '')",
        () => s.register(other, ""),
        socket.ValueError,
        "Invalid events: ''",
      ],
      [
        "register(other, 2**70)",
        () => s.register(other, 2n ** 70n),
        socket.ValueError,
        "Invalid events: 1180591620717411303424",
      ],
      [
        "unregister()",
        () => s.unregister(),
        TypeError,
        `${m.unregister}() missing 1 required positional argument: 'fileobj'`,
      ],
      [
        "unregister(a, 1)",
        () => s.unregister(a, 1),
        TypeError,
        `${m.unregister}() takes 2 positional arguments but 3 were given`,
      ],
      [
        "modify()",
        () => s.modify(),
        TypeError,
        `${m.modify}() missing 2 required positional arguments: 'fileobj' and 'events'`,
      ],
      [
        "modify(a)",
        () => s.modify(a),
        TypeError,
        `${m.modify}() missing 1 required positional argument: 'events'`,
      ],
      [
        "modify(a, 1, 'd', 1)",
        () => s.modify(a, 1, "d", 1),
        TypeError,
        `${m.modify}() takes from 3 to 4 positional arguments but 5 were given`,
      ],
      [
        "get_key()",
        () => s.get_key(),
        TypeError,
        "BaseSelector.get_key() missing 1 required positional argument: 'fileobj'",
      ],
      [
        "get_key(a, 1)",
        () => s.get_key(a, 1),
        TypeError,
        "BaseSelector.get_key() takes 2 positional arguments but 3 were given",
      ],
      [
        "get_map(1)",
        () => s.get_map(1),
        TypeError,
        "_BaseSelectorImpl.get_map() takes 1 positional argument but 2 were given",
      ],
      [
        "select(0, 0)",
        () => s.select(0, 0),
        TypeError,
        `${m.select}() takes from 1 to 2 positional arguments but 3 were given`,
      ],
      [
        "close(1)",
        () => s.close(1),
        TypeError,
        `${m.close}() takes 1 positional argument but 2 were given`,
      ],
      [
        "select(1e300)",
        () => s.select(1e300),
        socket.OverflowError,
        name === "PollSelector"
          ? "timestamp too large to convert to C _PyTime_t"
          : "timestamp out of range for platform time_t",
      ],
      [
        "select(2**63)",
        () => s.select(2n ** 63n),
        socket.OverflowError,
        name === "EpollSelector"
          ? "timestamp out of range for platform time_t"
          : "timestamp too large to convert to C _PyTime_t",
      ],
    ];
    if (pollLike) {
      cases.push(
        [
          "modify(a, 'x')",
          () => s.modify(a, "x"),
          TypeError,
          "unsupported operand type(s) for &: 'str' and 'int'",
        ],
        [
          "modify(a, None)",
          () => s.modify(a, null),
          TypeError,
          "unsupported operand type(s) for &: 'NoneType' and 'int'",
        ],
        [
          "modify(a, 1.5)",
          () => s.modify(a, 1.5, "d"),
          TypeError,
          "unsupported operand type(s) for &: 'float' and 'int'",
        ],
        [
          "register(2**31, 1)",
          () => s.register(2 ** 31, 1),
          socket.OverflowError,
          "Python int too large to convert to C int",
        ],
      );
    }
    if (name === "PollSelector" || name === "EpollSelector") {
      // poll() and epoll_wait() take a C int of milliseconds.
      cases.push([
        "select(1e7)",
        () => s.select(1e7),
        socket.OverflowError,
        "timeout is too large",
      ], [
        "select(2147483.648)",
        () => s.select(2147483.648),
        socket.OverflowError,
        "timeout is too large",
      ]);
    }
    for (const [label, f, ErrorClass, message] of cases) {
      const err = await errorOf(f);
      assertInstanceOf(err, ErrorClass, label);
      assertEquals(err?.message, message, label);
      // The registrations are as they were, and reported as before.
      assertEquals(sel.get_map()!.size, 1, label);
      assertEquals(sel.get_key(a).events, selectors.EVENT_READ, label);
      assertEquals(summary(await sel.select(0)), expected, label);
    }
    // The longest wait a C int of milliseconds holds is no error.
    assertEquals(summary(await sel.select(2147483.647)), expected);
    if (!pollLike) {
      // As CPython's _BaseSelectorImpl.modify: unregister, then register,
      // which raises: the registration is gone.
      for (
        const [events, ErrorClass, message] of [
          [
            "x",
            TypeError,
            "unsupported operand type(s) for &: 'str' and 'int'",
          ],
          [null, socket.ValueError, "Invalid events: None"],
        ] as const
      ) {
        const err = await errorOf(() => s.modify(a, events));
        assertInstanceOf(err, ErrorClass);
        assertEquals(err?.message, message);
        assertEquals(sel.get_map()!.size, 0);
        sel.register(a, selectors.EVENT_READ, "d");
      }
    }
    // A bigint is an int: for events, as for timeouts.
    const both = selectors.EVENT_READ | selectors.EVENT_WRITE;
    assertEquals(
      sel.modify(a, BigInt(both) as unknown as number, "d").events,
      both,
    );
    assertEquals(summary(await sel.select(5n as unknown as number)), [[
      "d",
      both,
    ]]);
    sel.modify(a, 1n as unknown as number, "d");
    assertEquals(summary(await sel.select(0)), expected);
    assertEquals(sel.register(p.b, 2n as unknown as number, "b").events, 2);
    assertEquals(summary(await sel.select(0)), [
      ...expected,
      ["b", selectors.EVENT_WRITE],
    ]);
  });
}
