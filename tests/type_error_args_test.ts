// Copyright the pysocket authors. MIT license.
// Python's TypeError carries `args`, the arguments it was made with
// (`TypeError("a bytes-like object is required, not 'str'").args`); every
// TypeError pysocket raises has them, and stays JS's own TypeError
// (`instanceof TypeError`, its name, message and `String()`). The class is
// internal: no entry point exports a `TypeError` that would hide the
// global for `import *` users. Each case is raised by pysocket over real
// sockets on 127.0.0.1 where one is needed; the expected args are python3
// 3.11's on this machine.

import { assert, assertEquals } from "@std/assert";
import * as socket from "../mod.ts";
import * as select from "../select.ts";
import * as selectors from "../selectors.ts";
import * as socketserver from "../socketserver.ts";
import * as ssl from "../ssl.ts";
import { codeOf, errorOf, REPO_ROOT, test, tsFiles } from "./_util.ts";
import { dirname, join, relative, resolve } from "node:path";

/** What `call` raised: checked to be a TypeError of pysocket's. */
async function typeError(call: () => unknown): Promise<Error> {
  const err = await errorOf(call);
  if (!(err instanceof TypeError)) {
    throw new Error(`did not raise a TypeError: ${err}`);
  }
  assertEquals(err.constructor.name, "TypeError");
  // JS's own constructor, as before: `err.constructor === TypeError` holds.
  assertEquals(err.constructor, TypeError);
  assertEquals(err.name, "TypeError");
  assertEquals(String(err), `TypeError: ${err.message}`);
  return err;
}

/** The message and args of the TypeError `call` raised. */
async function raised(call: () => unknown): Promise<unknown[]> {
  const err = await typeError(call);
  return [err.message, (err as Error & { args?: readonly unknown[] }).args];
}

test("TypeError from socket and select over a connected TCP pair has Python's args: [message]", async () => {
  const srv = socket.socket();
  srv.bind(["127.0.0.1", 0]);
  srv.listen();
  const c = await socket.create_connection(srv.getsockname());
  const [a] = await srv.accept();
  const unbound = socket.socket();
  try {
    const cases: [string, () => unknown, string][] = [
      [
        "send('str')",
        () => c.send("str" as unknown as Uint8Array),
        "a bytes-like object is required, not 'str'",
      ],
      [
        "sendall('x')",
        () => c.sendall("x" as unknown as Uint8Array),
        "a bytes-like object is required, not 'str'",
      ],
      [
        "socket('x')",
        () => socket.socket("x" as unknown as number),
        "'str' object cannot be interpreted as an integer",
      ],
      [
        "bind('x')",
        () => unbound.bind("x" as unknown as socket.IPv4Address),
        "bind(): AF_INET address must be tuple, not str",
      ],
      [
        "recv()",
        // @ts-expect-error Python's argument left out
        () => c.recv(),
        "recv() takes at least 1 argument (0 given)",
      ],
      [
        "getaddrinfo(1, 80)",
        () => socket.getaddrinfo(1 as unknown as string, 80),
        "getaddrinfo() argument 1 must be string or None",
      ],
      [
        "inet_aton(b'x')",
        () => socket.inet_aton(new Uint8Array([120]) as unknown as string),
        "inet_aton() argument 1 must be str, not bytes",
      ],
      [
        "select.select(1, [], [])",
        () => select.select(1 as unknown as [], [], []),
        "arguments 1-3 must be sequences",
      ],
      [
        "select.poll().register('x')",
        () => select.poll().register("x" as unknown as number),
        "argument must be an int, or have a fileno() method.",
      ],
    ];
    for (const [what, call, message] of cases) {
      assertEquals(await raised(call), [message, [message]], what);
    }
    // The sockets still work after their TypeErrors.
    await c.sendall(new TextEncoder().encode("ok"));
    assertEquals(new TextDecoder().decode(await a.recv(2)), "ok");
  } finally {
    unbound.close();
    c.close();
    a.close();
    srv.close();
  }
});

test("TypeError from selectors, socketserver and ssl has Python's args", async () => {
  const [a, b] = await socket.socketpair();
  const sel = new selectors.DefaultSelector();
  try {
    const [message, args] = await raised(() =>
      sel.select("x" as unknown as number)
    );
    assertEquals(
      message,
      "'<=' not supported between instances of 'str' and 'int'",
    );
    assertEquals(args, [message]);
    const [tooMany, tooManyArgs] = await raised(() =>
      // @ts-expect-error one argument too many, as Python's call
      sel.register(a, selectors.EVENT_READ, 2, 3)
    );
    assert(
      String(tooMany).endsWith(
        ".register() takes from 3 to 4 positional arguments but 5 were given",
      ),
      String(tooMany),
    );
    assertEquals(tooManyArgs, [tooMany]);
  } finally {
    sel.close();
    a.close();
    b.close();
  }
  const Server = socketserver.TCPServer as unknown as new () => unknown;
  const missing =
    "TCPServer.__init__() missing 2 required positional arguments: 'server_address' and 'RequestHandlerClass'";
  assertEquals(await raised(() => new Server()), [missing, [missing]]);

  const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
  const omitted = "cafile, capath and cadata cannot be all omitted";
  assertEquals(await raised(() => ctx.load_verify_locations()), [
    omitted,
    [omitted],
  ]);
  // Python's `raise TypeError(purpose)`: the args are the value itself.
  assertEquals(
    await raised(() =>
      ssl.create_default_context(5 as unknown as ssl.ASN1Object)
    ),
    ["5", [5]],
  );
});

test("ExceptionGroup's argument TypeError has Python's args", async () => {
  const Group = socket.ExceptionGroup as unknown as new (
    ...args: unknown[]
  ) => unknown;
  const cases: [unknown[], string][] = [
    [["m"], "BaseExceptionGroup.__new__() takes exactly 2 arguments (1 given)"],
    [[], "BaseExceptionGroup.__new__() takes exactly 2 arguments (0 given)"],
    [
      ["m", undefined, undefined],
      "BaseExceptionGroup.__new__() takes exactly 2 arguments (1 given)",
    ],
    [
      [5, [new Error("e")]],
      "BaseExceptionGroup.__new__() argument 1 must be str, not int",
    ],
  ];
  for (const [args, message] of cases) {
    assertEquals(await raised(() => new Group(...args)), [message, [message]]);
  }
  assertEquals(
    new Group("m", [new Error("e")]) instanceof AggregateError,
    true,
  );
});

test("pysocket's TypeError prints as JS's and is not exported", async () => {
  const err = await typeError(() => socket.htons("x" as unknown as number));
  assertEquals(err.message, "'str' object cannot be interpreted as an integer");
  assertEquals((err as Error & { args?: unknown }).args, [err.message]);
  // `args` is not enumerable: a printed error and its JSON are as before.
  assertEquals(Object.keys(err), []);
  assertEquals(JSON.stringify(err), "{}");
  assertEquals(err.stack?.split("\n")[0], `TypeError: ${err.message}`);
  // No entry point hides the global TypeError.
  for (const mod of [socket, select, selectors, socketserver, ssl]) {
    assertEquals("TypeError" in mod, false);
  }
});

test("every TypeError the library makes is type_error.ts's, with args", () => {
  // (errors.ts re-exports it.)
  const homes = [
    join(REPO_ROOT, "src", "_py", "type_error.ts"),
    join(REPO_ROOT, "src", "socket", "errors.ts"),
  ];
  const offenders: string[] = [];
  for (const path of tsFiles(join(REPO_ROOT, "src"))) {
    const text = codeOf(path);
    if (!/\bTypeError\s*\(/.test(text) || homes.includes(path)) continue;
    const imported = [
      ...text.matchAll(/import\s*\{([^}]*)\}\s*from\s*["']([^"']+)["']/g),
    ]
      .some((m) =>
        /(^|[\s,])TypeError\s*(,|$)/.test(m[1]) &&
        homes.includes(resolve(dirname(path), m[2]))
      );
    if (!imported) offenders.push(relative(REPO_ROOT, path));
  }
  assertEquals(offenders, []);
});
