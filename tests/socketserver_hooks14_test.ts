// Copyright the pysocket authors. MIT license.
// socketserver, as python3 3.11 (its output recorded here): a handler
// "class" that is any callable (an arrow function, as Python's
// functools.partial(Handler, …)); an error handle_error() raises printed
// or raised with the error it was handling, chained; verify_request()'s
// result and the class attributes judged by Python's truth value; a
// ThreadingMixIn server's `_threads` (_NoThreads, _Threads).

import { assert, assertEquals, assertInstanceOf } from "@std/assert";
import * as socket from "../mod.ts";
import * as socketserver from "../socketserver.ts";
import {
  b,
  bounded,
  capturingStderr,
  inspect,
  recvUntilEnd,
  str,
  test,
} from "./_util.ts";
import {
  failingHandleError,
  raisingHandler,
  withGreeting,
} from "./_socketserver_hooks.ts";

type IPAddress = socket.IPv4Address;

const CONTEXT =
  "During handling of the above exception, another exception occurred:";

/** Connects to a server on 127.0.0.1. */
function connect(address: IPAddress): Promise<socket.Socket> {
  return socket.create_connection(address, 5);
}

/** Reads until end of stream, as text. */
async function readAll(s: socket.Socket): Promise<string> {
  return str(await bounded(recvUntilEnd(s), 5000, "the end of the stream"));
}

/** Printed lines without the frames (`    at …`) and the empty ones. */
function withoutFrames(printed: string[]): string[] {
  return printed.join("\n").split("\n")
    .filter((line) => line !== "" && !/^\s+at /.test(line));
}

/** A handler that sends its greeting, an extra constructor argument. */
class Greeter
  extends withGreeting(socketserver.BaseRequestHandler<socket.Socket>) {
  override async handle() {
    await this.request.sendall(b(this.greeting));
  }
}

const BASES = [socketserver.TCPServer, socketserver.ThreadingTCPServer];

/** Serves one request on `server` for a client; what the client read. */
async function serveOne(server: socketserver.TCPServer): Promise<string> {
  using client = await connect(server.server_address as IPAddress);
  await bounded(server.handle_request(), 5000, "handle_request()");
  const text = await readAll(client);
  await bounded(server.server_close(), 5000, "server_close()");
  return text;
}

// ---------------------------------------------- a handler factory, called

test("TCPServer: an arrow-function handler factory is called and its handler serves (functools.partial)", async () => {
  // python3 3.11 (partial.py): functools.partial(H, greeting="hello") and a
  // lambda both serve: b'hello', b'lam'.
  for (const Base of BASES) {
    let calls = 0;
    const partial = (
      request: socket.Socket,
      client_address: socket.Address,
      server: socketserver.BaseServer,
    ) => {
      calls++;
      return new Greeter(request, client_address, server, "hello");
    };
    const { printed, value } = await capturingStderr(() =>
      serveOne(new Base(["127.0.0.1", 0], partial))
    );
    assertEquals(value, "hello", Base.name);
    assertEquals(printed, [], Base.name);
    // Told apart from a class without a call of its own.
    assertEquals(calls, 1, Base.name);
  }
});

test("TCPServer: a handler factory returning nothing is waited for by the handler it made; one that raises goes to handle_error()", async () => {
  for (const Base of BASES) {
    const calls: string[] = [];
    class Late extends socketserver.BaseRequestHandler<socket.Socket> {
      override async handle() {
        await new Promise((resolve) => setTimeout(resolve, 100));
        await this.request.sendall(b("late"));
        calls.push("handled");
      }
    }
    class Server extends Base {
      override shutdown_request(request: socket.Socket) {
        calls.push("shutdown_request");
        return super.shutdown_request(request);
      }
    }
    const quiet = (
      request: socket.Socket,
      client_address: socket.Address,
      server: socketserver.BaseServer,
    ) => {
      new Late(request, client_address, server);
    };
    assertEquals(await serveOne(new Server(["127.0.0.1", 0], quiet)), "late");
    assertEquals(calls, ["handled", "shutdown_request"], Base.name);

    const errors: unknown[] = [];
    class Catching extends Base {
      override handle_error(_r: unknown, _a: unknown, error: unknown) {
        errors.push(error);
      }
    }
    const failing = () => {
      throw new socket.ValueError("no handler");
    };
    assertEquals(await serveOne(new Catching(["127.0.0.1", 0], failing)), "");
    assertEquals(errors.length, 1, Base.name);
    assertInstanceOf(errors[0], socket.ValueError);
    assertEquals((errors[0] as Error).message, "no handler");
  }
});

test("TCPServer: a plain function and a class are still made with new", async () => {
  function Plain(
    this: unknown,
    request: socket.Socket,
    client_address: socket.Address,
    server: socketserver.BaseServer,
  ) {
    assert(new.target !== undefined, "made with new");
    return new Greeter(request, client_address, server, "plain");
  }
  const server = new socketserver.TCPServer(
    ["127.0.0.1", 0],
    Plain as unknown as socketserver.RequestHandlerClass<socket.Socket>,
  );
  assertEquals(await serveOne(server), "plain");
  assertEquals(
    await serveOne(new socketserver.TCPServer(["127.0.0.1", 0], Greeter)),
    "hi",
  );
});

// ------------------------------------- handle_error()'s error, chained

/** A handler whose handle() raises `ValueError: in handle`. */
const Boom = raisingHandler("in handle");

/** The tracebacks of Boom's error and then handle_error()'s, chained. */
const CHAINED = [
  "Traceback (most recent call last):",
  "ValueError: in handle",
  CONTEXT,
  "Traceback (most recent call last):",
  "RuntimeError: in handle_error",
];

/**
 * Serves one request with {@linkcode Boom} on a new `Server`: what the
 * client read, and what was printed (without the frames).
 */
async function serveBoom(
  Server: new (
    address: IPAddress,
    Handler: typeof Boom,
  ) => socketserver.TCPServer,
): Promise<{ printed: string[]; value: string }> {
  const { printed, value } = await capturingStderr(() =>
    serveOne(new Server(["127.0.0.1", 0], Boom))
  );
  return { printed: withoutFrames(printed), value };
}

test("ThreadingTCPServer: handle_error() raising in a task prints the error it handled, then its own, chained", async () => {
  // python3 3.11 (chain.py): `Exception in thread Thread-1
  // (process_request_thread):`, the ValueError's traceback, `During
  // handling of the above exception, another exception occurred:`, the
  // RuntimeError's.
  const Failing = failingHandleError(
    socketserver.ThreadingTCPServer,
    "in handle_error",
  );
  const { printed, value } = await serveBoom(Failing);
  assertEquals(value, "");
  assertEquals(printed, [
    "Exception in task (process_request_thread):",
    ...CHAINED,
  ]);
});

test("ThreadingTCPServer: shutdown_request() raising after handle_error() raised prints the three errors, chained", async () => {
  // python3 3.11: the `finally` clause's error is raised while
  // handle_error()'s goes out: ValueError, RuntimeError, OSError.
  class Failing extends failingHandleError(
    socketserver.ThreadingTCPServer,
    "in handle_error",
  ) {
    override async shutdown_request(request: socket.Socket) {
      await super.shutdown_request(request);
      throw new socket.OSError(9, "sr");
    }
  }
  const { printed } = await serveBoom(Failing);
  assertEquals(printed, [
    "Exception in task (process_request_thread):",
    ...CHAINED,
    CONTEXT,
    "Traceback (most recent call last):",
    "OSError: [Errno 9] sr",
  ]);
});

test("TCPServer: the error handle_error() raises goes out of handle_request() with the error it handled as its context", async () => {
  const Failing = failingHandleError(
    socketserver.TCPServer,
    "in handle_error",
  );
  await using server = new Failing(["127.0.0.1", 0], Boom);
  using client = await connect(server.server_address);
  let error: unknown;
  try {
    await bounded(server.handle_request(), 5000, "handle_request()");
  } catch (err) {
    error = err;
  }
  assertInstanceOf(error, socket.RuntimeError);
  assertEquals((error as Error).message, "in handle_error");
  assertEquals(await readAll(client), "");
  // Python's traceback of it, as handle_error() prints one.
  await using printer = new socketserver.TCPServer(
    ["127.0.0.1", 0],
    socketserver.BaseRequestHandler,
  );
  const { printed } = await capturingStderr(async () => {
    await printer.handle_error(null, ["127.0.0.1", 1], error);
  });
  assertEquals(withoutFrames(printed), [
    "-".repeat(40),
    "Exception occurred during processing of request from ('127.0.0.1', 1)",
    ...CHAINED,
    "-".repeat(40),
  ]);
});

// ------------------------------------------------ Python's truth values

test("verify_request(): its result judged by Python's truth value", async () => {
  // python3 3.11 (verify_list.py, misc3.py): [], {}, 0, 0.0, '', None,
  // set(), b'' refuse; [0], 1, 'x', nan serve.
  const cases: [unknown, string][] = [
    [[], ""],
    [{}, ""],
    [new Map(), ""],
    [new Set(), ""],
    [new Uint8Array(0), ""],
    [0, ""],
    [0n, ""],
    ["", ""],
    [null, ""],
    [undefined, ""],
    [false, ""],
    [[0], "served"],
    [{ a: 0 }, "served"],
    [new Map([[0, 0]]), "served"],
    [1, "served"],
    ["x", "served"],
    [NaN, "served"],
    [true, "served"],
  ];
  class Served extends socketserver.BaseRequestHandler<socket.Socket> {
    override async handle() {
      await this.request.sendall(b("served"));
    }
  }
  for (const [verdict, expected] of cases) {
    class Server extends socketserver.TCPServer {
      override verify_request() {
        return verdict as boolean;
      }
    }
    assertEquals(
      await serveOne(new Server(["127.0.0.1", 0], Served)),
      expected,
      inspect(verdict),
    );
  }
});

test("TCPServer: bind_and_activate and allow_reuse_address judged by Python's truth value", () => {
  // python3 3.11: TCPServer(addr, H, []) leaves the socket unbound, [0]
  // binds it; allow_reuse_address = [] sets no SO_REUSEADDR, [0] does.
  const cases: [unknown, boolean][] = [[[], false], [[0], true], [{}, false]];
  for (const [value, yes] of cases) {
    const what = JSON.stringify(value);
    using bound = new socketserver.TCPServer(
      ["127.0.0.1", 0],
      socketserver.BaseRequestHandler,
      value as boolean,
    );
    const [, port] = bound.socket.getsockname() as IPAddress;
    assertEquals(port !== 0, yes, what);

    const options: number[] = [];
    class Server extends socketserver.TCPServer {
      static override allow_reuse_address = value as boolean;
    }
    using server = new Server(
      ["127.0.0.1", 0],
      socketserver.BaseRequestHandler,
      false,
    );
    const setsockopt = server.socket.setsockopt.bind(server.socket);
    server.socket.setsockopt = ((level: number, option: number, v: number) => {
      options.push(option);
      return setsockopt(level, option, v);
    }) as typeof server.socket.setsockopt;
    server.server_bind();
    assertEquals(options.includes(socket.SO_REUSEADDR), yes, what);
  }
});

// ------------------------------------------------------------- _threads

/** What `_threads` lists: Python's `threading.Thread`. */
interface Task {
  daemon: boolean;
  is_alive(): boolean;
  join(): Promise<void>;
}

test("ThreadingTCPServer: _threads is _NoThreads, then a _Threads of the requests' tasks, empty after server_close()", async () => {
  // python3 3.11 (thr.py): _NoThreads before any request; with
  // block_on_close a _Threads listing the thread (not alive once done,
  // kept until the next append's reap()), of length 0 after
  // server_close(); daemon threads are not listed; without
  // block_on_close, _NoThreads throughout.
  const cases: [boolean | unknown[], boolean, string, number][] = [
    [true, false, "_Threads", 1],
    [false, false, "_NoThreads", -1],
    [[], false, "_NoThreads", -1],
    [true, true, "_Threads", 0],
  ];
  for (const [block_on_close, daemon_threads, kind, listed] of cases) {
    const what = JSON.stringify([block_on_close, daemon_threads]);
    class Server extends socketserver.ThreadingTCPServer {
      static override block_on_close = block_on_close as boolean;
      static override daemon_threads = daemon_threads;
    }
    const server = new Server(
      ["127.0.0.1", 0],
      socketserver.BaseRequestHandler,
    );
    assertEquals(server._threads.constructor.name, "_NoThreads", what);
    using client = await connect(server.server_address);
    await bounded(server.handle_request(), 5000, "handle_request()");
    assertEquals(await readAll(client), "", what);
    const threads = server._threads;
    assertEquals(threads.constructor.name, kind, what);
    if (listed === -1) {
      assertEquals(threads.length, undefined, what);
    } else {
      assert(Array.isArray(threads), what);
      assertEquals(threads.length, listed, what);
      for (const task of threads as unknown as Task[]) {
        assertEquals(task.daemon, false);
        await bounded(task.join(), 5000, "join()");
        assertEquals(task.is_alive(), false);
      }
    }
    await bounded(server.server_close(), 5000, "server_close()");
    assertEquals(server._threads, threads, what);
    if (listed !== -1) assertEquals(threads.length, 0, what);
  }
});
