// Copyright the pysocket authors. MIT license.
// socketserver: the servers, the handlers and the mixin, on pysocket
// clients: the constructor binds and listens, port 0, handle_request()
// with and without a timeout, serve_forever()/shutdown() idle and busy,
// errors in handlers (Python's stderr block, the server goes on),
// verify_request(), Unix servers, block_on_close and daemon_threads,
// `using`/`await using`, class attributes reaching the socket, and the
// order in which the hooks are called (CPython's, recorded from python3
// 3.11; tests/socketserver_interop_test.ts asks python3 again).

import {
  assert,
  assertEquals,
  assertInstanceOf,
  assertMatch,
  assertRejects,
  assertThrows,
} from "@std/assert";
import * as socket from "../mod.ts";
import * as socketserver from "../socketserver.ts";
import { expected } from "./_caps.ts";
import {
  CPYTHON_ORDER,
  recordHookOrder,
  withGreeting,
} from "./_socketserver_hooks.ts";
import {
  b,
  bounded,
  capturingStderr,
  idleCpuMs,
  makeTempDir,
  remove,
  runtime,
  sleep,
  str,
  test,
  timed,
} from "./_util.ts";

type IPAddress = socket.IPv4Address;

/**
 * Does `shutdown()` wake a waiting `serve_forever()` at once here? It does
 * by closing a datagram socket the loop watches, so where the runtime has
 * datagram sockets; elsewhere the loop notices within `poll_interval`, as
 * CPython's does.
 */
const WAKES = (() => {
  try {
    socket.socket(socket.AF_INET, socket.SOCK_DGRAM).close();
    return true;
  } catch {
    return false;
  }
})();
/** A `poll_interval` longer than any prompt wake-up, where there is one. */
const POLL = WAKES ? 30 : 0.5;
/** How long a prompt `shutdown()` may take, in ms. */
const PROMPT_MS = WAKES ? 1000 : 1500;

/** Connects to a server on 127.0.0.1. */
function connect(address: IPAddress): Promise<socket.Socket> {
  return socket.create_connection(address, 5);
}

/** A handler that sends back one recv(1024), upper-cased. */
class Upper extends socketserver.BaseRequestHandler<socket.Socket> {
  override async handle() {
    const data = await this.request.recv(1024);
    await this.request.sendall(b(str(data).toUpperCase()));
  }
}

/** A handler that echoes lines until the client ends the stream. */
class LineEcho extends socketserver.StreamRequestHandler {
  override async handle() {
    for await (const line of this.rfile) await this.wfile.write(line);
  }
}

/** Reads until end of stream (or `limit` bytes). */
async function readAll(s: socket.Socket, limit = 1 << 20): Promise<string> {
  let out = "";
  while (out.length < limit) {
    const data = await s.recv(65536);
    if (data.length === 0) break;
    out += str(data);
  }
  return out;
}

// ------------------------------------------------------------- the module

test("socketserver exports Python's names (no Forking*)", () => {
  assertEquals(Object.keys(socketserver).sort(), [
    "BaseRequestHandler",
    "BaseServer",
    "BytesIO",
    "DatagramRequestHandler",
    "StreamRequestHandler",
    "TCPServer",
    "ThreadingMixIn",
    "ThreadingTCPServer",
    "ThreadingUDPServer",
    "ThreadingUnixDatagramServer",
    "ThreadingUnixStreamServer",
    "UDPServer",
    "UnixDatagramServer",
    "UnixStreamServer",
  ]);
});

test("the class hierarchy and attributes are Python's", () => {
  const S = socketserver;
  assert(S.UDPServer.prototype instanceof S.TCPServer);
  assert(S.TCPServer.prototype instanceof S.BaseServer);
  assert(S.UnixStreamServer.prototype instanceof S.TCPServer);
  assert(S.UnixDatagramServer.prototype instanceof S.UDPServer);
  assert(S.ThreadingTCPServer.prototype instanceof S.TCPServer);
  assert(S.ThreadingUDPServer.prototype instanceof S.UDPServer);
  assert(S.ThreadingUnixStreamServer.prototype instanceof S.UnixStreamServer);
  assert(
    S.ThreadingUnixDatagramServer.prototype instanceof S.UnixDatagramServer,
  );
  assert(S.StreamRequestHandler.prototype instanceof S.BaseRequestHandler);
  assert(S.DatagramRequestHandler.prototype instanceof S.BaseRequestHandler);
  assertEquals(
    [
      S.BaseServer.timeout,
      S.TCPServer.address_family,
      S.TCPServer.socket_type,
      S.TCPServer.request_queue_size,
      S.TCPServer.allow_reuse_address,
      S.TCPServer.allow_reuse_port,
      S.UDPServer.socket_type,
      S.UDPServer.max_packet_size,
      S.UnixStreamServer.address_family,
      S.UnixDatagramServer.address_family,
      S.ThreadingTCPServer.daemon_threads,
      S.ThreadingTCPServer.block_on_close,
      S.StreamRequestHandler.rbufsize,
      S.StreamRequestHandler.wbufsize,
      S.StreamRequestHandler.timeout,
      S.StreamRequestHandler.disable_nagle_algorithm,
    ],
    // socketserver's values in python3 3.11.
    [
      null,
      2,
      1,
      5,
      false,
      false,
      2,
      8192,
      1,
      1,
      false,
      true,
      -1,
      0,
      null,
      false,
    ],
  );
});

test("a server without its handler class raises Python's TypeError before it binds", async () => {
  // python3 3.11: every server class runs TCPServer.__init__, which names
  // itself; a BaseServer subclass runs BaseServer.__init__.
  const missing1 =
    "TCPServer.__init__() missing 1 required positional argument: 'RequestHandlerClass'";
  const missing2 =
    "TCPServer.__init__() missing 2 required positional arguments: 'server_address' and 'RequestHandlerClass'";
  const tooMany =
    "TCPServer.__init__() takes from 3 to 4 positional arguments but 5 were given";
  using probe = socket.socket();
  probe.bind(["127.0.0.1", 0]);
  const address = probe.getsockname();
  probe.close(); // a free port: a server that bound it would hold it
  const S = socketserver;
  const classes = [
    S.TCPServer,
    S.UDPServer,
    S.UnixStreamServer,
    S.UnixDatagramServer,
    S.ThreadingTCPServer,
    S.ThreadingUDPServer,
    S.ThreadingUnixStreamServer,
    S.ThreadingUnixDatagramServer,
    class Mine extends S.ThreadingMixIn(S.TCPServer) {},
  ];
  const cases: [unknown[], string][] = [
    [[address], missing1],
    [[address, undefined], missing1],
    [[], missing2],
    [[address, S.BaseRequestHandler, true, 1], tooMany],
  ];
  for (const Server of classes) {
    const make = Server as unknown as new (...args: unknown[]) => unknown;
    for (const [args, message] of cases) {
      const err = assertThrows(() => new make(...args), TypeError);
      assertEquals(err.message, message, `${Server.name}(${args.length})`);
    }
  }
  // Nothing was bound: the port is still free.
  await using server = new S.TCPServer(address, S.BaseRequestHandler);
  assertEquals(server.server_address, address);
  // A BaseServer subclass that leaves the class out: BaseServer's words.
  class Bare extends S.BaseServer<socket.Socket> {
    socket = socket.socket();
    constructor(server_address: socket.IPv4Address) {
      // @ts-expect-error Python's class left out, as a port may leave it
      super(server_address);
    }
    fileno(): number {
      return this.socket.fileno();
    }
    get_request(): Promise<[socket.Socket, socket.Address]> {
      return this.socket.accept();
    }
  }
  const err = assertThrows(() => new Bare(address), TypeError);
  assertEquals(
    err.message,
    "BaseServer.__init__() missing 1 required positional argument: 'RequestHandlerClass'",
  );
});

// ------------------------------------------------------- the constructor

test("TCPServer binds and listens in its constructor; port 0 is filled in", async () => {
  await using server = new socketserver.TCPServer(["127.0.0.1", 0], Upper);
  const [host, port] = server.server_address;
  assertEquals(host, "127.0.0.1");
  assert(port > 0 && port < 65536);
  assertEquals(server.server_address, server.socket.getsockname());
  assertEquals(server.fileno(), server.socket.fileno());
  assertEquals(server.socket.family, socket.AF_INET);
  assertEquals(server.socket.type, socket.SOCK_STREAM);
  assertEquals(server.RequestHandlerClass, Upper);
  // Listening already: a client connects before any request is handled.
  using client = await connect(server.server_address);
  assertEquals(client.getpeername(), server.server_address);
});

test("TCPServer on AF_INET6 reports a 4-tuple", async () => {
  class Server6
    extends socketserver.TCPServer<socket.Socket, socket.IPv6Address> {
    static override address_family = socket.AF_INET6;
  }
  await using server = new Server6(["::1", 0], Upper);
  const [host, port, flowinfo, scope_id] = server.server_address;
  assertEquals([host, flowinfo, scope_id], ["::1", 0, 0]);
  using client = socket.socket(socket.AF_INET6);
  await client.connect(["::1", port]);
  await client.sendall(b("six"));
  await server.handle_request();
  assertEquals(str(await client.recv(10)), "SIX");
}, { ignore: !socket.has_ipv6 && "no IPv6 here" });

test("bind_and_activate = false leaves binding to the caller", async () => {
  await using server = new socketserver.TCPServer(
    ["127.0.0.1", 0],
    Upper,
    false,
  );
  assertEquals(server.server_address, ["127.0.0.1", 0]);
  assertEquals(server.socket.getsockname(), ["0.0.0.0", 0]);
  server.server_bind();
  server.server_activate();
  assert(server.server_address[1] > 0);
  using client = await connect(server.server_address);
  await client.sendall(b("late"));
  await server.handle_request();
  assertEquals(str(await client.recv(10)), "LATE");
});

test("a constructor whose bind fails closes the server and raises bind's error", async () => {
  await using first = new socketserver.TCPServer(["127.0.0.1", 0], Upper);
  const calls: string[] = [];
  let made: socket.Socket | undefined;
  class Recording extends socketserver.TCPServer {
    override server_bind() {
      made = this.socket;
      calls.push("server_bind");
      super.server_bind();
    }
    override server_close() {
      calls.push("server_close");
      return super.server_close();
    }
  }
  const err = assertThrows(
    () => new Recording(first.server_address, Upper),
    socket.OSError,
    "[Errno 98] Address already in use",
  );
  assertEquals((err as socket.OSError).errno, 98);
  assertEquals(calls, ["server_bind", "server_close"]);
  assertEquals(made?.fileno(), -1);
});

test("request_queue_size, allow_reuse_address and allow_reuse_port reach the socket", async () => {
  const seen: unknown[][] = [];
  class Spy extends socketserver.TCPServer {
    static override request_queue_size = 17;
    static override allow_reuse_address = true;
    static override allow_reuse_port = true;
  }
  await using server = new Spy(["127.0.0.1", 0], Upper, false);
  const s = server.socket;
  const setsockopt = s.setsockopt.bind(s);
  s.setsockopt = (level, name, value) => {
    seen.push(["setsockopt", level, name, value]);
    setsockopt(level, name, value);
  };
  const listen = s.listen.bind(s);
  s.listen = (backlog?: number) => {
    seen.push(["listen", backlog]);
    listen(backlog);
  };
  let error: unknown;
  try {
    server.server_bind();
    server.server_activate();
  } catch (err) {
    error = err;
  }
  // Where the runtime cannot set an option, Python's error from setsockopt.
  using probe = socket.socket();
  let probeError: unknown;
  try {
    probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1);
    probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1);
  } catch (err) {
    probeError = err;
  }
  assertEquals(String(error), String(probeError));
  // Which runtimes can set SO_REUSEPORT is known (_caps.ts): a runtime that
  // lost it fails here instead of taking the error branch.
  assertEquals(error === undefined, expected.reusePortTcp, String(error));
  if (error === undefined) {
    assertEquals(seen, [
      ["setsockopt", socket.SOL_SOCKET, socket.SO_REUSEADDR, 1],
      ["setsockopt", socket.SOL_SOCKET, socket.SO_REUSEPORT, 1],
      ["listen", 17],
    ]);
    assertEquals(s.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR), 1);
    assertEquals(s.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT), 1);
  }
});

test("allow_reuse_port lets two TCPServers share a port where the runtime can", async () => {
  class Shared extends socketserver.TCPServer {
    static override allow_reuse_port = true;
  }
  let first: Shared;
  try {
    first = new Shared(["127.0.0.1", 0], Upper);
  } catch (err) {
    assert(!expected.reusePortTcp, `${runtime} has SO_REUSEPORT: ${err}`);
    // The runtime cannot: Python's ENOPROTOOPT from setsockopt.
    assertInstanceOf(err, socket.OSError);
    assertMatch(
      (err as socket.OSError).message,
      /^\[Errno 92\] Protocol not available/,
    );
    return;
  }
  await using _ = first;
  await using second = new Shared(first.server_address, Upper);
  assertEquals(second.server_address, first.server_address);
});

test("class attributes are static members an instance can override", async () => {
  class Mine extends socketserver.TCPServer {
    static override timeout = 7;
  }
  await using server = new Mine(["127.0.0.1", 0], Upper);
  assertEquals(server.timeout, 7);
  server.timeout = 0.5;
  assertEquals([server.timeout, Mine.timeout], [0.5, 7]);
  await using other = new Mine(["127.0.0.1", 0], Upper);
  assertEquals(other.timeout, 7);
  assertEquals(server.request_queue_size, 5);
});

// ---------------------------------------------------------- handle_request

test("handle_request() serves one request and closes the connection", async () => {
  await using server = new socketserver.TCPServer(["127.0.0.1", 0], Upper);
  using client = await connect(server.server_address);
  await client.sendall(b("hello"));
  await server.handle_request();
  // shutdown_request(): SHUT_WR, then close: the client reads to EOF.
  assertEquals(await readAll(client), "HELLO");
});

test("handle_request() without a timeout waits for the client", async () => {
  await using server = new socketserver.TCPServer(["127.0.0.1", 0], Upper);
  let client: socket.Socket | undefined;
  const later = sleep(200).then(async () => {
    client = await connect(server.server_address);
    await client.sendall(b("late"));
  });
  const { ms } = await timed(() => server.handle_request());
  await later;
  assert(ms >= 150, `handle_request() returned after ${ms} ms`);
  assertEquals(await readAll(client!), "LATE");
  client!.close();
});

test("handle_request() with a timeout calls handle_timeout() (server timeout)", async () => {
  let timeouts = 0;
  class Server extends socketserver.TCPServer {
    static override timeout = 0.2;
    override handle_timeout() {
      timeouts++;
    }
  }
  await using server = new Server(["127.0.0.1", 0], Upper);
  const { ms, error } = await timed(() => server.handle_request());
  assertEquals(error, undefined);
  assertEquals(timeouts, 1);
  assert(ms >= 190 && ms < 2000, `took ${ms} ms`);
});

test("handle_request() takes the smaller of the server's and the socket's timeout", async () => {
  let timeouts = 0;
  class Server extends socketserver.TCPServer {
    override handle_timeout() {
      timeouts++;
    }
  }
  await using server = new Server(["127.0.0.1", 0], Upper);
  server.socket.settimeout(0.1); // Python's old way, still honoured
  let { ms } = await timed(() => server.handle_request());
  assert(ms >= 90 && ms < 1500, `socket timeout: took ${ms} ms`);
  server.timeout = 0.05;
  server.socket.settimeout(5);
  ({ ms } = await timed(() => server.handle_request()));
  assert(ms >= 45 && ms < 1500, `min(5, 0.05): took ${ms} ms`);
  assertEquals(timeouts, 2);
  // A request within the timeout is served, no handle_timeout().
  server.timeout = 5;
  using client = await connect(server.server_address);
  await client.sendall(b("in time"));
  await server.handle_request();
  assertEquals(await readAll(client), "IN TIME");
  assertEquals(timeouts, 2);
});

// ------------------------------------------------- serve_forever / shutdown

test("shutdown() of an idle serve_forever() is prompt, not after poll_interval", async () => {
  await using server = new socketserver.TCPServer(["127.0.0.1", 0], Upper);
  const done = server.serve_forever(POLL);
  await sleep(50);
  const { ms } = await timed(() => server.shutdown());
  await done;
  assert(ms < PROMPT_MS, `shutdown() took ${ms} ms (poll_interval ${POLL})`);
  // The loop stopped: shutdown() now resolves at once, and (as in CPython)
  // leaves its request for the next loop, which stops at once.
  await server.shutdown();
  const { ms: ran } = await timed(() => server.serve_forever(POLL));
  assert(ran < 1000, `the next serve_forever() ran ${ran} ms`);
  // The one after that serves.
  const again = server.serve_forever(POLL);
  using client = await connect(server.server_address);
  await client.sendall(b("again"));
  assertEquals(await readAll(client), "AGAIN");
  await server.shutdown();
  await again;
});

test("shutdown() before serve_forever() stops the loop as soon as it starts", async () => {
  await using server = new socketserver.TCPServer(["127.0.0.1", 0], Upper);
  const stopped = server.shutdown();
  let settled = false;
  stopped.then(() => settled = true);
  await sleep(20);
  assertEquals(settled, false); // Python's shutdown() waits for the loop
  const { ms } = await timed(() => server.serve_forever(POLL));
  assert(ms < 1000, `serve_forever() ran ${ms} ms`);
  await stopped;
});

test("an idle serve_forever() uses no CPU", async () => {
  await using server = new socketserver.TCPServer(["127.0.0.1", 0], Upper);
  const done = server.serve_forever(0.5);
  await sleep(50);
  const cpu = await idleCpuMs(() => sleep(1000), 100);
  await server.shutdown();
  await done;
  assert(
    cpu.least < 100,
    `each idle second of serve_forever() used CPU: ${cpu.runs.join(", ")} ms`,
  );
});

test("service_actions() runs every poll_interval and after each request", async () => {
  let actions = 0;
  class Server extends socketserver.TCPServer {
    override service_actions() {
      actions++;
    }
  }
  await using server = new Server(["127.0.0.1", 0], Upper);
  const done = server.serve_forever(0.05);
  await sleep(400);
  assert(actions >= 3 && actions <= 10, `${actions} calls in 400 ms`);
  const before = actions;
  using client = await connect(server.server_address);
  await client.sendall(b("x"));
  assertEquals(await readAll(client), "X");
  await sleep(10);
  assert(actions > before);
  await server.shutdown();
  await done;
});

test("shutdown() while a request is served: the loop stops once it is done", async () => {
  const started = Promise.withResolvers<void>();
  const release = Promise.withResolvers<void>();
  class Slow extends socketserver.BaseRequestHandler<socket.Socket> {
    override async handle() {
      started.resolve();
      await release.promise;
      await this.request.sendall(b("done"));
    }
  }
  await using server = new socketserver.TCPServer(["127.0.0.1", 0], Slow);
  const done = server.serve_forever(0.05);
  using client = await connect(server.server_address);
  await started.promise;
  let stopped = false;
  const shutdown = server.shutdown().then(() => stopped = true);
  await sleep(150);
  assertEquals(stopped, false); // TCPServer serves in its loop
  release.resolve();
  await shutdown;
  await done;
  assertEquals(await readAll(client), "done");
});

test("ThreadingTCPServer: shutdown() while busy is prompt, server_close() waits for the request", async () => {
  const started = Promise.withResolvers<void>();
  const release = Promise.withResolvers<void>();
  class Slow extends socketserver.BaseRequestHandler<socket.Socket> {
    override async handle() {
      started.resolve();
      await release.promise;
      await this.request.sendall(b("done"));
    }
  }
  const server = new socketserver.ThreadingTCPServer(["127.0.0.1", 0], Slow);
  const done = server.serve_forever(POLL);
  using client = await connect(server.server_address);
  await started.promise;
  const { ms } = await timed(() => server.shutdown());
  await done;
  assert(ms < PROMPT_MS, `shutdown() took ${ms} ms (poll_interval ${POLL})`);
  let closed = false;
  const closing = server.server_close().then(() => closed = true);
  // The listening socket is closed at once.
  assertEquals(server.fileno(), -1);
  await sleep(100);
  assertEquals(closed, false); // block_on_close: the request is in flight
  release.resolve();
  await closing;
  assertEquals(await readAll(client), "done");
});

test("closing the server under serve_forever() ends the loop", async () => {
  const server = new socketserver.TCPServer(["127.0.0.1", 0], Upper);
  const done = server.serve_forever(POLL);
  await sleep(20);
  const { ms } = await timed(async () => {
    await server.server_close();
    await done;
  });
  assert(ms < 1000, `the loop ran ${ms} ms after server_close()`);
  await server.shutdown(); // resolves: the loop has stopped
});

// ------------------------------------------------------------------ errors

test("an error in a handler goes to handle_error(): Python's block on stderr (its traceback, the error's line last), the server goes on", async () => {
  class Failing extends socketserver.BaseRequestHandler<socket.Socket> {
    override async handle() {
      const data = str(await this.request.recv(100));
      if (data === "boom") throw new RangeError("boom in handle");
      await this.request.sendall(b(data.toUpperCase()));
    }
  }
  await using server = new socketserver.TCPServer(["127.0.0.1", 0], Failing);
  const done = server.serve_forever(0.05);
  using bad = await connect(server.server_address);
  const { printed } = await capturingStderr(async () => {
    await bad.sendall(b("boom"));
    // The connection is shut down and closed after the error.
    assertEquals(await readAll(bad), "");
  });
  using good = await connect(server.server_address);
  await good.sendall(b("still here"));
  assertEquals(await readAll(good), "STILL HERE");
  await server.shutdown();
  await done;

  assertEquals(printed.length, 1);
  const lines = printed[0].split("\n");
  const [host, port] = bad.getsockname() as IPAddress;
  assertEquals(lines[0], "-".repeat(40));
  assertEquals(
    lines[1],
    `Exception occurred during processing of request from ('${host}', ${port})`,
  );
  // python3 3.11's traceback.print_exc(): the error's line last.
  assertEquals(lines[2], "Traceback (most recent call last):");
  const frames = lines.slice(3, -2);
  assert(frames.length > 0, printed[0]);
  assert(frames.every((l) => /^\s+at /.test(l)), printed[0]);
  // The innermost frame last, as Python's: the handler's.
  assert(/handle/.test(frames.at(-1)!), printed[0]);
  assertEquals(lines.at(-2), "RangeError: boom in handle");
  assertEquals(lines.at(-1), "-".repeat(40));
});

test("handle_error() gets the error; an error in setup() skips handle() and finish()", async () => {
  const calls: string[] = [];
  const errors: unknown[] = [];
  class Handler extends socketserver.BaseRequestHandler<socket.Socket> {
    override setup() {
      calls.push("setup");
      throw new TypeError("in setup");
    }
    override handle() {
      calls.push("handle");
    }
    override finish() {
      calls.push("finish");
    }
  }
  class Server extends socketserver.TCPServer {
    override handle_error(
      request: socket.Socket,
      client_address: IPAddress,
      error?: unknown,
    ) {
      assertEquals(client_address, request.getpeername());
      errors.push(error);
    }
  }
  await using server = new Server(["127.0.0.1", 0], Handler);
  using client = await connect(server.server_address);
  await server.handle_request();
  assertEquals(calls, ["setup"]);
  assertEquals(errors.length, 1);
  assertInstanceOf(errors[0], TypeError);
  assertEquals(await readAll(client), "");
});

test("finish() runs when handle() raises, and the handler's promise rejects", async () => {
  const calls: string[] = [];
  class Handler extends socketserver.BaseRequestHandler<socket.Socket> {
    override async handle() {
      calls.push("handle");
      await sleep(1);
      throw new Error("in handle");
    }
    override async finish() {
      await sleep(1);
      calls.push("finish");
    }
  }
  await using server = new socketserver.TCPServer(["127.0.0.1", 0], Handler);
  using client = await connect(server.server_address);
  const [conn, address] = await server.get_request();
  const handler = new Handler(conn, address, server);
  assertEquals(calls, []); // it starts once made: on the next microtask
  await assertRejects(() => handler.handled, Error, "in handle");
  assertEquals(calls, ["handle", "finish"]);
  conn.close();
  assertEquals(await readAll(client), "");
});

test("verify_request() returning false closes the connection unserved", async () => {
  let handled = 0;
  class Counting extends socketserver.BaseRequestHandler<socket.Socket> {
    override handle() {
      handled++;
    }
  }
  class Picky extends socketserver.TCPServer {
    override async verify_request(request: socket.Socket) {
      assertEquals(request.type, socket.SOCK_STREAM);
      await sleep(1); // it may be async
      return false;
    }
  }
  await using server = new Picky(["127.0.0.1", 0], Counting);
  using client = await connect(server.server_address);
  await client.sendall(b("let me in"));
  await server.handle_request();
  assertEquals(handled, 0);
  assertEquals(await readAll(client), "");
});

test("a finish_request() that makes the handler without returning it: the server waits for the handler", async () => {
  // http.server's DualStackServer idiom; as python3 3.11: the client gets
  // b'hello x\n', and shutdown_request() comes after the handler's finish().
  for (
    const Base of [socketserver.TCPServer, socketserver.ThreadingTCPServer]
  ) {
    const calls: string[] = [];
    class Greeter extends withGreeting(socketserver.StreamRequestHandler) {
      override async handle() {
        const line = str(await this.rfile.readline());
        await sleep(20); // the connection must still be open
        await this.wfile.write(b(`${this.greeting} ${line}`));
      }
      override async finish() {
        await super.finish();
        calls.push("finish");
      }
    }
    class Server extends Base {
      override finish_request(request: socket.Socket, address: IPAddress) {
        new Greeter(request, address, this, "hello");
      }
      override shutdown_request(request: socket.Socket) {
        calls.push("shutdown_request");
        return super.shutdown_request(request);
      }
    }
    await using server = new Server(["127.0.0.1", 0], Greeter);
    using client = await connect(server.server_address);
    await client.sendall(b("x\n"));
    await bounded(server.handle_request(), 3000, "handle_request()");
    assertEquals(
      await bounded(readAll(client), 3000, "the reply"),
      "hello x\n",
    );
    await bounded(server.server_close(), 3000, "server_close()");
    assertEquals(calls, ["finish", "shutdown_request"], Base.name);
  }
});

test("a handler such a finish_request() made that fails goes to handle_error(), not an unhandled rejection", async () => {
  for (
    const Base of [socketserver.TCPServer, socketserver.ThreadingTCPServer]
  ) {
    const calls: string[] = [];
    class Failing extends socketserver.BaseRequestHandler<socket.Socket> {
      override async handle() {
        await sleep(1);
        calls.push("handle");
        throw new socket.BrokenPipeError(32, "Broken pipe");
      }
    }
    class Server extends Base {
      override finish_request(request: socket.Socket, address: IPAddress) {
        new Failing(request, address, this);
      }
      override handle_error(_r: unknown, _a: unknown, error?: unknown) {
        calls.push(
          `handle_error: ${(error as Error).name} ${(error as Error).message}`,
        );
      }
      override shutdown_request(request: socket.Socket) {
        calls.push("shutdown_request");
        return super.shutdown_request(request);
      }
    }
    await using server = new Server(["127.0.0.1", 0], Failing);
    using client = await connect(server.server_address);
    await bounded(server.handle_request(), 3000, "handle_request()");
    await bounded(server.server_close(), 3000, "server_close()");
    assertEquals(calls, [
      "handle",
      "handle_error: BrokenPipeError [Errno 32] Broken pipe",
      "shutdown_request",
    ], Base.name);
    assertEquals(await bounded(readAll(client), 3000, "EOF"), "");
  }
});

test("verify_request() raising closes the connection, and the error goes on out", async () => {
  // As python3 3.11: handle_request() raises ValueError: verify, and the
  // client reads b'' (the request is closed as it is dropped).
  class Raising extends socketserver.TCPServer {
    override verify_request(): boolean {
      throw new socket.ValueError("verify");
    }
  }
  await using server = new Raising(["127.0.0.1", 0], Upper);
  using client = await connect(server.server_address);
  await assertRejects(
    () => bounded(server.handle_request(), 3000, "handle_request()"),
    socket.ValueError,
    "verify",
  );
  client.settimeout(2);
  assertEquals(await bounded(readAll(client), 3000, "EOF"), "");
});

test("verify_request() raising calls neither shutdown_request() nor close_request()", async () => {
  // As python3 3.11's _handle_request_noblock(): verify_request() is called
  // outside the try, so its error goes out with no hook called; the socket
  // is still closed (in CPython, as it is dropped).
  const calls: string[] = [];
  class Raising extends socketserver.TCPServer {
    override verify_request(): boolean {
      throw new socket.ValueError("verify");
    }
    override async shutdown_request(request: socket.Socket) {
      calls.push("shutdown_request");
      await super.shutdown_request(request);
    }
    override async close_request(request: socket.Socket) {
      calls.push("close_request");
      await super.close_request(request);
    }
  }
  await using server = new Raising(["127.0.0.1", 0], Upper);
  using client = await connect(server.server_address);
  await assertRejects(
    () => bounded(server.handle_request(), 3000, "handle_request()"),
    socket.ValueError,
    "verify",
  );
  assertEquals(calls, []);
  client.settimeout(2);
  assertEquals(await bounded(readAll(client), 3000, "EOF"), "");
});

// --------------------------------------------------------------- handlers

test("StreamRequestHandler: rfile reads lines, wfile (wbufsize 0) sends each write", async () => {
  let writer: socketserver.WritableFile | undefined;
  class Echo extends LineEcho {
    override setup() {
      super.setup();
      writer = this.wfile;
      assertEquals(this.connection, this.request);
      assertEquals(this.wfile.writable(), true);
      assertEquals(this.wfile.fileno(), this.request.fileno());
      assertEquals(this.rfile.mode, "rb");
    }
  }
  await using server = new socketserver.ThreadingTCPServer(
    ["127.0.0.1", 0],
    Echo,
  );
  const done = server.serve_forever(0.05);
  using client = await connect(server.server_address);
  await client.sendall(b("one\ntwo\n"));
  let got = "";
  while (got.length < 8) got += str(await client.recv(100));
  assertEquals(got, "one\ntwo\n");
  await client.shutdown(socket.SHUT_WR);
  assertEquals(await readAll(client), "");
  assertEquals(writer?.closed, true); // finish() closed it
  await server.shutdown();
  await done;
});

test("StreamRequestHandler: wbufsize > 0 buffers wfile until finish() flushes it", async () => {
  const written = Promise.withResolvers<void>();
  const checked = Promise.withResolvers<void>();
  class Buffered extends socketserver.StreamRequestHandler {
    static override wbufsize = 1024;
    override async handle() {
      await this.wfile.write(b("part 1, "));
      await this.wfile.write(b("part 2"));
      written.resolve();
      await checked.promise;
    }
  }
  await using server = new socketserver.TCPServer(["127.0.0.1", 0], Buffered);
  using client = await connect(server.server_address);
  const handled = server.handle_request();
  await written.promise;
  await sleep(50);
  client.setblocking(false);
  // Buffered: nothing has gone out yet.
  await assertRejects(() => client.recv(100), socket.BlockingIOError);
  client.setblocking(true);
  checked.resolve();
  await handled;
  assertEquals(await readAll(client), "part 1, part 2");
});

test("StreamRequestHandler: wfile (wbufsize 0) has writelines, readable, seekable; flush() once closed raises", async () => {
  // As python3 3.11's _SocketWriter.
  const seen: unknown[] = [];
  class Writer extends socketserver.StreamRequestHandler {
    override async handle() {
      const w = this.wfile;
      seen.push(await w.writelines([b("1"), b("23")]));
      seen.push(w.readable(), w.seekable());
      await w.close();
      seen.push(w.readable(), w.seekable());
      seen.push(await w.flush().catch((e) => `${e.name}: ${e.message}`));
      seen.push(
        await w.writelines([b("4")]).catch((e) => `${e.name}: ${e.message}`),
      );
    }
  }
  await using server = new socketserver.TCPServer(["127.0.0.1", 0], Writer);
  using client = await connect(server.server_address);
  await bounded(server.handle_request(), 3000, "handle_request()");
  assertEquals(await bounded(readAll(client), 3000, "the reply"), "123");
  assertEquals(seen, [
    undefined,
    false,
    false,
    false,
    false,
    "ValueError: I/O operation on closed file.",
    "ValueError: I/O operation on closed file.",
  ]);
});

test("StreamRequestHandler on a UDPServer: Python's 'tuple' object has no attribute 'makefile'", async () => {
  const errors: string[] = [];
  class Server extends socketserver.UDPServer {
    override handle_error(_r: unknown, _a: unknown, error?: unknown) {
      errors.push(String((error as Error).message));
    }
  }
  await using server = new Server(
    ["127.0.0.1", 0],
    socketserver
      .StreamRequestHandler as unknown as socketserver.RequestHandlerClass<
        socketserver.DatagramRequest
      >,
  );
  using sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  await sock.sendto(b("x"), server.server_address);
  await bounded(server.handle_request(), 3000, "handle_request()");
  assertEquals(errors, ["'tuple' object has no attribute 'makefile'"]);
});

test("StreamRequestHandler: timeout and disable_nagle_algorithm reach the connection", async () => {
  const seen: unknown[] = [];
  class Tuned extends socketserver.StreamRequestHandler {
    static override timeout = 0.2;
    static override disable_nagle_algorithm = true;
    override async handle() {
      seen.push(this.connection.gettimeout());
      seen.push(
        this.connection.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY),
      );
      // The timeout applies to the handler's reads.
      const error = await this.rfile.readline().catch((e) => e);
      seen.push(error instanceof socket.TimeoutError);
    }
  }
  await using server = new socketserver.TCPServer(["127.0.0.1", 0], Tuned);
  using client = await connect(server.server_address);
  const { printed } = await capturingStderr(() => server.handle_request());
  assertEquals(printed, []);
  assertEquals(seen, [0.2, 1, true]);
  assertEquals(await readAll(client), "");
});

test("DatagramRequestHandler: rfile is the datagram, wfile is sent back by finish()", async () => {
  class Reply extends socketserver.DatagramRequestHandler {
    override handle() {
      assertEquals(this.packet, this.request[0]);
      assertEquals(this.socket, this.request[1]);
      const first = this.rfile.readline();
      const rest = this.rfile.read();
      this.wfile.write(b(`[${str(first).trim()}|${str(rest)}]`));
    }
  }
  await using server = new socketserver.UDPServer(["127.0.0.1", 0], Reply);
  assertEquals(server.socket.type, socket.SOCK_DGRAM);
  using sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  sock.settimeout(5);
  await sock.sendto(b("line\nrest"), server.server_address);
  await server.handle_request();
  const [data, from] = await sock.recvfrom(100);
  assertEquals(str(data), "[line|rest]");
  assertEquals(from, server.server_address);
});

test("UDPServer: the request is [data, socket]; max_packet_size cuts datagrams", async () => {
  const got: [string, boolean, string][] = [];
  class Seen
    extends socketserver.BaseRequestHandler<socketserver.DatagramRequest> {
    override async handle() {
      const [data, sock] = this.request;
      got.push([str(data), sock === this.server.socket, typeof sock]);
      await sock.sendto(data, this.client_address);
    }
    declare server: socketserver.UDPServer;
  }
  class Small extends socketserver.UDPServer {
    static override max_packet_size = 4;
  }
  await using server = new Small(["127.0.0.1", 0], Seen);
  using sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  sock.settimeout(5);
  await sock.sendto(b("0123456789"), server.server_address);
  await server.handle_request();
  assertEquals(str(await sock.recv(100)), "0123");
  assertEquals(got, [["0123", true, "object"]]);
});

test("ThreadingUDPServer serves datagrams with serve_forever()", async () => {
  class Upper2 extends socketserver.DatagramRequestHandler {
    override handle() {
      this.wfile.write(b(str(this.rfile.read()).toUpperCase()));
    }
  }
  await using server = new socketserver.ThreadingUDPServer(
    ["127.0.0.1", 0],
    Upper2,
  );
  const done = server.serve_forever(0.05);
  using sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  sock.settimeout(5);
  for (const word of ["a", "bb", "ccc"]) {
    await sock.sendto(b(word), server.server_address);
    assertEquals(str(await sock.recv(100)), word.toUpperCase());
  }
  await server.shutdown();
  await done;
});

test("BytesIO reads, writes and seeks as Python's", () => {
  const f = new socketserver.BytesIO(b("ab\ncd\nef"));
  assertEquals([...f].map(str), ["ab\n", "cd\n", "ef"]);
  assertEquals(f.read().length, 0);
  f.seek(1);
  assertEquals(f.write(b("XY")), 2);
  // As python3: b'aXYcd\nef' 3 b'cd', then b'aXYcd\nef!'.
  assertEquals(str(f.getvalue()), "aXYcd\nef");
  assertEquals(f.tell(), 3);
  assertEquals(str(f.readline(2)), "cd");
  f.seek(0, 2);
  f.write(b("!"));
  assertEquals(str(f.getvalue()), "aXYcd\nef!");
  f.close();
  assertThrows(
    () => f.read(),
    socket.ValueError,
    "I/O operation on closed file.",
  );
  assertThrows(
    () => new socketserver.BytesIO().write("str" as unknown as Uint8Array),
    TypeError,
    "a bytes-like object is required, not 'str'",
  );
});

test("BytesIO.seek() as Python's: clamped at the start, whence checked", () => {
  // python3 3.11: BytesIO(b'abcdef') after read(2).
  const f = new socketserver.BytesIO(b("abcdef"));
  f.read(2);
  assertEquals(f.seek(-20, 2), 0);
  f.seek(2);
  assertEquals(f.seek(-5, 1), 0);
  assertEquals(f.seek(-1, 1), 0);
  assertThrows(() => f.seek(-1), socket.ValueError, "negative seek value -1");
  assertThrows(
    () => f.seek(0, 3 as 0),
    socket.ValueError,
    "invalid whence (3, should be 0, 1 or 2)",
  );
  assertThrows(
    () => f.seek(-1, 3 as 0),
    socket.ValueError,
    "invalid whence (3, should be 0, 1 or 2)",
  );
  assertEquals(f.tell(), 0);
});

test("BytesIO has Python's writelines, truncate, readinto, read1, getbuffer, seekable, isatty, fileno", () => {
  // As python3 3.11.
  const f = new socketserver.BytesIO(b("abcdef"));
  assertEquals([f.seekable(), f.isatty()], [true, false]);
  assertThrows(() => f.fileno(), socket.UnsupportedOperation, "fileno");
  assertEquals(str(f.read1()), "abcdef");
  f.seek(0);
  assertEquals(str(f.read1(2)), "ab");
  assertEquals(str(f.read1(-1)), "cdef");
  f.seek(1);
  const into = new Uint8Array(3);
  assertEquals(f.readinto(into), 3);
  assertEquals(str(into), "bcd");
  // truncate(): at the position by default, which stays where it was.
  assertEquals(f.truncate(), 4);
  assertEquals([str(f.getvalue()), f.tell()], ["abcd", 4]);
  assertEquals(f.truncate(2), 2);
  assertEquals([str(f.getvalue()), f.tell()], ["ab", 4]);
  assertEquals(f.truncate(10), 10);
  assertEquals(str(f.getvalue()), "ab");
  assertThrows(
    () => f.truncate(-1),
    socket.ValueError,
    "negative size value -1",
  );
  assertEquals(f.writelines([b("x"), b("yz")]), undefined);
  assertEquals(f.getvalue(), new Uint8Array([97, 98, 0, 0, 120, 121, 122]));
  assertEquals(f.getbuffer(), f.getvalue());
  assertEquals(f.readinto(new Uint8Array(2)), 0);
  f.close();
  for (
    const call of [
      () => f.seekable(),
      () => f.isatty(),
      () => f.truncate(),
      () => f.read1(),
      () => f.readinto(new Uint8Array(1)),
      () => f.getbuffer(),
      () => f.writelines([]),
    ]
  ) {
    assertThrows(call, socket.ValueError, "I/O operation on closed file.");
  }
  assertThrows(() => f.fileno(), socket.UnsupportedOperation, "fileno");
});

test("BytesIO.readlines(hint) stops once the lines reach the hint", () => {
  // As python3 3.11: BytesIO(b'aa\nbb\ncc\n').readlines(3) is [b'aa\n'].
  const lines = (hint?: number | null) =>
    new socketserver.BytesIO(b("aa\nbb\ncc\n")).readlines(hint).map(str);
  assertEquals(lines(3), ["aa\n"]);
  assertEquals(lines(1), ["aa\n"]);
  assertEquals(lines(4), ["aa\n", "bb\n"]);
  for (const hint of [0, -1, null, undefined]) {
    assertEquals(lines(hint), ["aa\n", "bb\n", "cc\n"]);
  }
  assertEquals(lines(true as unknown as number), ["aa\n"]);
});

test("BytesIO checks its arguments' types as Python's", () => {
  // Each text as python3 3.11's io.BytesIO.
  const f = new socketserver.BytesIO(b("abcdef"));
  const any = f as unknown as Record<string, (...a: unknown[]) => unknown>;
  const call = (name: string, ...args: unknown[]) => () =>
    any[name].call(f, ...args);
  for (const name of ["read", "read1", "readline", "truncate"]) {
    assertThrows(
      call(name, 2.7),
      TypeError,
      "argument should be integer or None, not 'float'",
    );
    assertThrows(
      call(name, "1"),
      TypeError,
      "argument should be integer or None, not 'str'",
    );
    assertThrows(
      call(name, 2n ** 63n),
      socket.OverflowError,
      "cannot fit 'int' into an index-sized integer",
    );
  }
  assertEquals(f.tell(), 0);
  assertEquals(str(any.read.call(f, 2n) as Uint8Array), "ab");
  assertThrows(
    call("readlines", 1.5),
    TypeError,
    "integer argument expected, got 'float'",
  );
  assertThrows(
    call("readlines", 2n ** 63n),
    socket.OverflowError,
    "Python int too large to convert to C ssize_t",
  );
  assertThrows(
    call("seek", 1.5),
    TypeError,
    "'float' object cannot be interpreted as an integer",
  );
  assertThrows(
    call("seek", "2"),
    TypeError,
    "'str' object cannot be interpreted as an integer",
  );
  assertThrows(
    call("seek", 0, 1.5),
    TypeError,
    "'float' object cannot be interpreted as an integer",
  );
  assertThrows(
    call("seek", 2n ** 63n),
    socket.OverflowError,
    "Python int too large to convert to C ssize_t",
  );
  assertThrows(
    call("seek", 0, 2 ** 31),
    socket.OverflowError,
    "Python int too large to convert to C int",
  );
  assertEquals(f.tell(), 2);
  assertEquals(f.seek(3n), 3);
  assertEquals(f.seek(true as unknown as number), 1);
  assertThrows(
    call("readinto", null),
    TypeError,
    "readinto() argument must be read-write bytes-like object, not None",
  );
  // The argument is checked before the file is (readlines() the other way).
  f.close();
  assertThrows(
    call("read", 1.5),
    TypeError,
    "argument should be integer or None, not 'float'",
  );
  assertThrows(
    call("readlines", 1.5),
    socket.ValueError,
    "I/O operation on closed file.",
  );
});

// ---------------------------------------------------------- ThreadingMixIn

test("ThreadingMixIn: a slow client never holds up the others", async () => {
  class ThreadedTCPServer
    extends socketserver.ThreadingMixIn(socketserver.TCPServer) {}
  await using server = new ThreadedTCPServer(["127.0.0.1", 0], Upper);
  const done = server.serve_forever(0.5);
  using slow = await connect(server.server_address); // says nothing yet
  await sleep(50);
  const { ms, value } = await timed(async () => {
    const answers = await Promise.all(
      ["one", "two", "three"].map(async (word) => {
        using c = await connect(server.server_address);
        await c.sendall(b(word));
        return await readAll(c);
      }),
    );
    return answers;
  });
  assertEquals(value, ["ONE", "TWO", "THREE"]);
  assert(ms < 2000, `took ${ms} ms`);
  await slow.sendall(b("slow"));
  assertEquals(await readAll(slow), "SLOW");
  await server.shutdown();
  await done;
});

test("TCPServer without the mixin serves one connection at a time", async () => {
  await using server = new socketserver.TCPServer(["127.0.0.1", 0], Upper);
  const done = server.serve_forever(0.05);
  using slow = await connect(server.server_address);
  await sleep(50);
  using quick = await connect(server.server_address);
  await quick.sendall(b("quick"));
  quick.settimeout(0.3);
  await assertRejects(() => quick.recv(10), socket.TimeoutError);
  await slow.sendall(b("slow"));
  assertEquals(await readAll(slow), "SLOW");
  quick.settimeout(5);
  assertEquals(await readAll(quick), "QUICK");
  await server.shutdown();
  await done;
});

for (
  const { name, block_on_close, daemon_threads, waits } of [
    {
      name: "block_on_close",
      block_on_close: true,
      daemon_threads: false,
      waits: true,
    },
    {
      name: "block_on_close = false",
      block_on_close: false,
      daemon_threads: false,
      waits: false,
    },
    {
      name: "daemon_threads",
      block_on_close: true,
      daemon_threads: true,
      waits: false,
    },
  ]
) {
  test(`ThreadingMixIn ${name}: server_close() ${waits ? "waits for" : "does not wait for"} requests in flight`, async () => {
    const started = Promise.withResolvers<void>();
    const release = Promise.withResolvers<void>();
    class Slow extends socketserver.BaseRequestHandler<socket.Socket> {
      override async handle() {
        started.resolve();
        await release.promise;
        await this.request.sendall(b("bye"));
      }
    }
    class Server extends socketserver.ThreadingTCPServer {
      static override block_on_close = block_on_close;
      static override daemon_threads = daemon_threads;
    }
    const server = new Server(["127.0.0.1", 0], Slow);
    assertEquals([server.block_on_close, server.daemon_threads], [
      block_on_close,
      daemon_threads,
    ]);
    using client = await connect(server.server_address);
    await server.handle_request(); // starts the task, returns
    await started.promise;
    let closed = false;
    const closing = server.server_close().then(() => closed = true);
    await sleep(100);
    assertEquals(closed, !waits);
    assertEquals(server.socket.fileno(), -1);
    release.resolve();
    await closing;
    assertEquals(await readAll(client), "bye");
    await sleep(10); // (the request's task ends)
  });
}

test("an error in a ThreadingMixIn request goes to handle_error(), then shutdown_request()", async () => {
  const calls: string[] = [];
  class Failing extends socketserver.BaseRequestHandler<socket.Socket> {
    override handle() {
      throw new Error("threaded boom");
    }
  }
  class Server extends socketserver.ThreadingTCPServer {
    override handle_error(_r: unknown, _a: unknown, error?: unknown) {
      calls.push(`handle_error: ${(error as Error).message}`);
    }
    override shutdown_request(request: socket.Socket) {
      calls.push("shutdown_request");
      return super.shutdown_request(request);
    }
  }
  const server = new Server(["127.0.0.1", 0], Failing);
  using client = await connect(server.server_address);
  await server.handle_request();
  await server.server_close();
  assertEquals(calls, ["handle_error: threaded boom", "shutdown_request"]);
  assertEquals(await readAll(client), "");
});

// ------------------------------------------------------- using, await using

test("`using` closes the server; `await using` also waits for requests in flight", async () => {
  let server: socketserver.ThreadingTCPServer;
  {
    using s = new socketserver.ThreadingTCPServer(["127.0.0.1", 0], Upper);
    server = s;
    assert(s.fileno() > 0);
  }
  assertEquals(server.fileno(), -1);

  const release = Promise.withResolvers<void>();
  const started = Promise.withResolvers<void>();
  let finished = false;
  class Slow extends socketserver.BaseRequestHandler<socket.Socket> {
    override async handle() {
      started.resolve();
      await release.promise;
      finished = true;
    }
  }
  const client = socket.socket();
  try {
    {
      await using s = new socketserver.ThreadingTCPServer(
        ["127.0.0.1", 0],
        Slow,
      );
      await client.connect(s.server_address);
      await s.handle_request();
      await started.promise;
      setTimeout(() => release.resolve(), 100);
    }
    assertEquals(finished, true);
  } finally {
    client.close();
  }
});

// ------------------------------------------------------------ Unix servers

test("UnixStreamServer serves on a path; clients' addresses are ''", async () => {
  const dir = await makeTempDir({ prefix: "pysocket_ss_" });
  try {
    const path = `${dir}/s.sock`;
    const addresses: unknown[] = [];
    class Hello extends LineEcho {
      override setup() {
        addresses.push(this.client_address);
        return super.setup();
      }
    }
    await using server = new socketserver.ThreadingUnixStreamServer(
      path,
      Hello,
    );
    assertEquals(server.server_address, path);
    assertEquals(server.socket.family, socket.AF_UNIX);
    const done = server.serve_forever(0.05);
    using client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM);
    await client.connect(path);
    await client.sendall(b("over unix\n"));
    await client.shutdown(socket.SHUT_WR);
    assertEquals(await readAll(client), "over unix\n");
    assertEquals(addresses, [""]);
    await server.shutdown();
    await done;
  } finally {
    await remove(dir, { recursive: true });
  }
});

test("UnixDatagramServer serves datagrams on a path", async () => {
  const dir = await makeTempDir({ prefix: "pysocket_ss_" });
  try {
    class Upper3 extends socketserver.DatagramRequestHandler {
      override handle() {
        this.wfile.write(b(str(this.rfile.read()).toUpperCase()));
      }
    }
    await using server = new socketserver.UnixDatagramServer(
      `${dir}/s.sock`,
      Upper3,
    );
    assertEquals(server.server_address, `${dir}/s.sock`);
    using sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM);
    sock.bind(`${dir}/c.sock`);
    sock.settimeout(5);
    await sock.sendto(b("unix datagram"), `${dir}/s.sock`);
    await server.handle_request();
    assertEquals(str(await sock.recv(100)), "UNIX DATAGRAM");
  } finally {
    await remove(dir, { recursive: true });
  }
}, {
  ignore: !expected.unixDatagram && `${runtime} has no Unix datagram sockets`,
});

test(
  "UnixDatagramServer raises socket()'s [Errno 94] where the runtime has no Unix datagrams",
  () => {
    for (
      const Server of [
        socketserver.UnixDatagramServer,
        socketserver.ThreadingUnixDatagramServer,
      ]
    ) {
      assertThrows(
        () =>
          new Server("/tmp/never-made.sock", socketserver.BaseRequestHandler),
        socket.OSError,
        "[Errno 94] Socket type not supported",
      );
    }
  },
  { ignore: expected.unixDatagram && "this runtime has Unix datagram sockets" },
);

// ------------------------------------------------------------- hook order

test("the hooks are called in CPython's order", async () => {
  assertEquals(await recordHookOrder(), CPYTHON_ORDER);
});

test("serve_forever() calls the hooks in CPython's order (ThreadingMixIn too)", async () => {
  for (const threading of [false, true]) {
    const calls: string[] = [];
    class H extends socketserver.BaseRequestHandler<socket.Socket> {
      override async handle() {
        calls.push("handle");
        await this.request.sendall(await this.request.recv(10));
      }
    }
    const Base = (threading
      ? socketserver.ThreadingTCPServer
      : socketserver.TCPServer) as typeof socketserver.ThreadingTCPServer;
    class S extends Base {
      override get_request() {
        calls.push("get_request");
        return super.get_request();
      }
      override process_request(r: socket.Socket, a: IPAddress) {
        calls.push("process_request");
        return super.process_request(r, a);
      }
      override finish_request(r: socket.Socket, a: IPAddress) {
        calls.push("finish_request");
        return super.finish_request(r, a);
      }
      override shutdown_request(r: socket.Socket) {
        calls.push("shutdown_request");
        return super.shutdown_request(r);
      }
      override service_actions() {
        if (calls.at(-1) !== "service_actions") {
          calls.push("service_actions");
        }
      }
      override fileno() {
        calls.push("fileno");
        return super.fileno();
      }
    }
    await using srv = new S(["127.0.0.1", 0], H);
    const done = srv.serve_forever(0.05);
    await sleep(150);
    using c = await connect(srv.server_address);
    await c.sendall(b("x"));
    assertEquals(await readAll(c), "x");
    await sleep(150);
    await srv.shutdown();
    await done;
    // CPython 3.11, the same steps (consecutive service_actions as one).
    // With the mixin the loop and the request's task interleave, in
    // Python as here, so only the request's own order is compared.
    // (fileno() once: the selector's register().)
    const expected = [
      "fileno",
      "service_actions",
      "get_request",
      "process_request",
      "finish_request",
      "handle",
      "shutdown_request",
      "service_actions",
    ];
    if (threading) {
      assertEquals([calls[0], calls[1], calls.at(-1)], [
        "fileno",
        "service_actions",
        "service_actions",
      ]);
      calls.splice(0, calls.length, ...[
        "fileno",
        "service_actions",
        ...calls.filter((c) =>
          c !== "service_actions" && c !== "fileno"
        ),
        "service_actions",
      ]);
    }
    assertEquals(calls, expected, threading ? "threading" : "plain");
  }
});
