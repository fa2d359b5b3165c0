// Copyright the pysocket authors. MIT license.
// socketserver: what the server waits for and what handle_error() prints,
// as python3 3.11 (its output recorded here): a finish_request() that makes
// the handler with a request of its own (`(request, extra)`, a TLS-wrapped
// socket) still returns only once it is served; handle_error() called
// without the error (`super().handle_error(request, client_address)`)
// prints the error being handled; chained errors (an error in finish()
// after one in handle(), an error's `cause`) print both, with Python's
// sentence between; class names as Python's traceback writes them
// (`socket.gaierror`, `ssl.SSLError`, a subclass's own name).

import { assert, assertEquals, assertInstanceOf } from "@std/assert";
import * as socket from "../mod.ts";
import * as socketserver from "../socketserver.ts";
import * as ssl from "../ssl.ts";
import { testCerts, tlsTest } from "./_certs.ts";
import {
  b,
  bounded,
  capturingStderr,
  recvUntilEnd,
  sleep,
  str,
  test,
} from "./_util.ts";

type IPAddress = socket.IPv4Address;

const RULE = "-".repeat(40);

/** Connects to a server on 127.0.0.1. */
function connect(address: IPAddress): Promise<socket.Socket> {
  return socket.create_connection(address, 5);
}

/** Reads until end of stream, as text. */
async function readAll(s: socket.Socket): Promise<string> {
  return str(await bounded(recvUntilEnd(s), 5000, "the end of the stream"));
}

/**
 * A printed block's lines without the frames (`    at …`): what python3
 * prints once its own frames (`  File …`) are taken out.
 */
function withoutFrames(block: string): string[] {
  return block.split("\n").filter((line) => !/^\s+at /.test(line));
}

/** A block's header line for a client. */
function header(client: socket.Socket): string {
  const [host, port] = client.getsockname() as IPAddress;
  return `Exception occurred during processing of request from ('${host}', ${port})`;
}

/** The server classes the tests below run each case on. */
const BASES = [socketserver.TCPServer, socketserver.ThreadingTCPServer];

/**
 * Serves one request on a `Base` server whose finish_request() is `finish`
 * and whose shutdown_request() logs `"shutdown_request"` to `calls`, while
 * `client` connects to it and talks; then closes the server. Resolves to
 * what `client` returned.
 */
async function serveOne<T>(
  Base: typeof socketserver.TCPServer<socket.Socket, IPAddress>,
  calls: string[],
  finish: (
    server: socketserver.TCPServer,
    request: socket.Socket,
    address: IPAddress,
  ) => void | Promise<void>,
  client: (address: IPAddress) => Promise<T>,
): Promise<T> {
  class Server extends Base {
    override finish_request(request: socket.Socket, address: IPAddress) {
      return finish(this, request, address);
    }
    override shutdown_request(request: socket.Socket) {
      calls.push("shutdown_request");
      return super.shutdown_request(request);
    }
  }
  await using server = new Server(
    ["127.0.0.1", 0],
    socketserver.BaseRequestHandler,
  );
  const handled = server.handle_request();
  const value = await client(server.server_address);
  await bounded(handled, 3000, "handle_request()");
  await bounded(server.server_close(), 3000, "server_close()");
  return value;
}

// ------------------------------------------- handlers finish_request made

test("finish_request() making the handler with (request, extra): the server waits for it before shutdown_request()", async () => {
  // As python3 3.11 (frwrap.py): "handler done", "shutdown_request",
  // client b'late extra'.
  for (const Base of BASES) {
    const calls: string[] = [];
    class Handler extends socketserver.BaseRequestHandler<
      [socket.Socket, string]
    > {
      override async handle() {
        const [sock, extra] = this.request;
        await sleep(150);
        await sock.sendall(b(`late ${extra}`));
        calls.push("handler done");
      }
    }
    await serveOne(Base, calls, (server, request, address) => {
      new Handler([request, "extra"], address, server);
    }, async (address) => {
      using client = await connect(address);
      assertEquals(await readAll(client), "late extra", Base.name);
    });
    assertEquals(calls, ["handler done", "shutdown_request"], Base.name);
  }
});

test("an async finish_request() that makes the handler after an await, with its own request: waited for too", async () => {
  for (const Base of BASES) {
    const calls: string[] = [];
    class Handler extends socketserver.BaseRequestHandler<
      { sock: socket.Socket }
    > {
      override async handle() {
        await sleep(100);
        await this.request.sock.sendall(b("after await"));
        calls.push("handler done");
      }
    }
    await serveOne(Base, calls, async (server, request, address) => {
      await sleep(20);
      new Handler({ sock: request }, address, server);
    }, async (address) => {
      using client = await connect(address);
      assertEquals(await readAll(client), "after await", Base.name);
    });
    assertEquals(calls, ["handler done", "shutdown_request"], Base.name);
  }
});

test("a handler made with (request, extra) that fails goes to handle_error() (not an unhandled rejection), then shutdown_request()", async () => {
  for (const Base of BASES) {
    const calls: string[] = [];
    class Failing extends socketserver.BaseRequestHandler<
      [socket.Socket, string]
    > {
      override async handle() {
        await sleep(50);
        calls.push("handle");
        throw new socket.ValueError(`bad ${this.request[1]}`);
      }
    }
    class Logging extends Base {
      override handle_error(_r: unknown, _a: unknown, error?: unknown) {
        assertInstanceOf(error, socket.ValueError);
        calls.push(`handle_error: ${(error as Error).message}`);
      }
    }
    using client = await serveOne(
      Logging,
      calls,
      (server, request, address) => {
        new Failing([request, "extra"], address, server);
      },
      connect,
    );
    assertEquals(calls, [
      "handle",
      "handle_error: bad extra",
      "shutdown_request",
    ], Base.name);
    assertEquals(await readAll(client), "", Base.name);
  }
});

test("serve_forever() with such a finish_request(): every client gets its late reply", async () => {
  class Handler extends socketserver.BaseRequestHandler<
    [socket.Socket, string]
  > {
    override async handle() {
      const [sock, extra] = this.request;
      await sleep(100);
      await sock.sendall(b(`late ${extra}`));
    }
  }
  class Server extends socketserver.ThreadingTCPServer {
    override finish_request(request: socket.Socket, address: IPAddress) {
      new Handler([request, "extra"], address, this);
    }
  }
  await using server = new Server(
    ["127.0.0.1", 0],
    socketserver.BaseRequestHandler,
  );
  const done = server.serve_forever(0.05);
  for (let i = 0; i < 2; i++) {
    using client = await connect(server.server_address);
    assertEquals(await readAll(client), "late extra");
  }
  await bounded(server.shutdown(), 3000, "shutdown()");
  await done;
});

tlsTest(
  "finish_request() making the handler with a TLS-wrapped socket: the server waits for it",
  async () => {
    // As python3 3.11 (tlsfr.py): "handler done", then "shutdown_request",
    // and the client reads b'TLS\n'.
    const c = await testCerts();
    const serverCtx = new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER);
    serverCtx.load_cert_chain(c.server, c.serverKey);
    const clientCtx = ssl.create_default_context();
    clientCtx.check_hostname = false;
    clientCtx.verify_mode = ssl.CERT_NONE;
    const calls: string[] = [];
    class Handler extends socketserver.StreamRequestHandler {
      override async handle() {
        const line = await this.rfile.readline();
        await sleep(100);
        await this.wfile.write(b(str(line).toUpperCase()));
        calls.push("handler done");
      }
      override async finish() {
        await super.finish();
        // CPython's refcount closes the TLS socket once the handler is gone.
        this.request.close();
      }
    }
    await serveOne(
      socketserver.TCPServer,
      calls,
      async (server, request, address) => {
        const tls = await serverCtx.wrap_socket(request, { server_side: true });
        new Handler(tls, address, server);
      },
      async (address) => {
        using client = await clientCtx.wrap_socket(
          await connect(address),
          { server_hostname: "localhost" },
        );
        await client.sendall(b("tls\n"));
        assertEquals(await readAll(client), "TLS\n");
      },
    );
    assertEquals(calls, ["handler done", "shutdown_request"]);
  },
);

// ------------------------------------------ handle_error() without error

test("handle_error(request, client_address) without the error, from an override: prints the error being handled", async () => {
  // As python3 3.11 (herr.py): `self.errors += 1;
  // super().handle_error(request, client_address)` prints the ValueError's
  // traceback, for TCPServer and ThreadingTCPServer alike.
  class Failing extends socketserver.BaseRequestHandler<socket.Socket> {
    override handle() {
      throw new socket.ValueError("lost?");
    }
  }
  for (const Base of BASES) {
    class Server extends Base {
      errors = 0;
      override async handle_error(
        request: socket.Socket,
        client_address: IPAddress,
      ) {
        this.errors += 1;
        await sleep(1); // still the error being handled after an await
        return super.handle_error(request, client_address);
      }
    }
    await using server = new Server(["127.0.0.1", 0], Failing);
    using client = await connect(server.server_address);
    const { printed } = await capturingStderr(async () => {
      await bounded(server.handle_request(), 3000, "handle_request()");
      await bounded(server.server_close(), 3000, "server_close()");
    });
    assertEquals(server.errors, 1, Base.name);
    assertEquals(printed.length, 1, Base.name);
    const lines = withoutFrames(printed[0]);
    assertEquals(lines, [
      RULE,
      header(client),
      "Traceback (most recent call last):",
      "ValueError: lost?",
      RULE,
    ], Base.name);
    assertEquals(await readAll(client), "", Base.name);
  }
});

test("handle_error(request, client_address) when no error is being handled prints NoneType: None", async () => {
  // As python3 3.11: srv.handle_error(None, ('127.0.0.1', 1)) outside an
  // except clause.
  await using server = new socketserver.TCPServer(
    ["127.0.0.1", 0],
    socketserver.BaseRequestHandler,
  );
  const { printed } = await capturingStderr(async () => {
    await server.handle_error(null as never, ["127.0.0.1", 1]);
  });
  assertEquals(printed, [
    [
      RULE,
      "Exception occurred during processing of request from ('127.0.0.1', 1)",
      "NoneType: None",
      RULE,
    ].join("\n"),
  ]);
});

// ---------------------------------------------------------- chained errors

test("an error in finish() after one in handle(): both printed, chained, as Python's", async () => {
  // As python3 3.11 (errs.py, mode "both"): the ValueError's traceback,
  // "During handling of the above exception, another exception
  // occurred:", then the TypeError's.
  class Both extends socketserver.BaseRequestHandler<socket.Socket> {
    override handle() {
      throw new socket.ValueError("in handle");
    }
    override finish() {
      throw new TypeError("in finish");
    }
  }
  await using server = new socketserver.TCPServer(["127.0.0.1", 0], Both);
  using client = await connect(server.server_address);
  const { printed } = await capturingStderr(() =>
    bounded(server.handle_request(), 3000, "handle_request()")
  );
  assertEquals(printed.length, 1);
  assertEquals(withoutFrames(printed[0]), [
    RULE,
    header(client),
    "Traceback (most recent call last):",
    "ValueError: in handle",
    "",
    "During handling of the above exception, another exception occurred:",
    "",
    "Traceback (most recent call last):",
    "TypeError: in finish",
    RULE,
  ]);
  // Each traceback has its own frames: the handler's method among them.
  const [first, second] = printed[0].split("During handling");
  assert(/^\s+at .*\bhandle\b/m.test(first), printed[0]);
  assert(/^\s+at .*\bfinish\b/m.test(second), printed[0]);
  assert(!/^\s+at .*\bhandle\b/m.test(second), printed[0]);
  assertEquals(await readAll(client), "");
});

test("an error in finish() alone, or the same error again from finish(): printed once", async () => {
  for (const mode of ["finish", "rethrow"]) {
    class Handler extends socketserver.BaseRequestHandler<socket.Socket> {
      #error: unknown;
      override handle() {
        if (mode === "rethrow") {
          throw this.#error = new socket.ValueError("again");
        }
      }
      override finish() {
        throw mode === "rethrow" ? this.#error : new TypeError("in finish");
      }
    }
    await using server = new socketserver.TCPServer(
      ["127.0.0.1", 0],
      Handler,
    );
    using client = await connect(server.server_address);
    const { printed } = await capturingStderr(() =>
      bounded(server.handle_request(), 3000, "handle_request()")
    );
    assertEquals(withoutFrames(printed[0]), [
      RULE,
      header(client),
      "Traceback (most recent call last):",
      mode === "rethrow" ? "ValueError: again" : "TypeError: in finish",
      RULE,
    ], mode);
  }
});

test("an error with a cause (raise … from inner): the cause first, then Python's sentence", async () => {
  // As python3 3.11 (errs.py, mode "cause").
  class Caused extends socketserver.BaseRequestHandler<socket.Socket> {
    override handle() {
      try {
        throw new socket.ValueError("inner");
      } catch (e) {
        throw new socket.RuntimeError("outer", { cause: e });
      }
    }
  }
  await using server = new socketserver.TCPServer(["127.0.0.1", 0], Caused);
  using client = await connect(server.server_address);
  const { printed } = await capturingStderr(() =>
    bounded(server.handle_request(), 3000, "handle_request()")
  );
  assertEquals(printed.length, 1);
  assertEquals(withoutFrames(printed[0]), [
    RULE,
    header(client),
    "Traceback (most recent call last):",
    "ValueError: inner",
    "",
    "The above exception was the direct cause of the following exception:",
    "",
    "Traceback (most recent call last):",
    "RuntimeError: outer",
    RULE,
  ]);
});

test("the runtime's error an OSError carries as its cause is not printed (Python has none)", async () => {
  // A refused connection: python3 3.11 prints ConnectionRefusedError alone.
  const probe = socket.socket();
  probe.bind(["127.0.0.1", 0]);
  const closedPort = (probe.getsockname() as IPAddress)[1];
  probe.close();
  class Connecting extends socketserver.BaseRequestHandler<socket.Socket> {
    override async handle() {
      await socket.create_connection(["127.0.0.1", closedPort], 5);
    }
  }
  await using server = new socketserver.TCPServer(
    ["127.0.0.1", 0],
    Connecting,
  );
  using client = await connect(server.server_address);
  const { printed } = await capturingStderr(() =>
    bounded(server.handle_request(), 3000, "handle_request()")
  );
  assertEquals(printed.length, 1);
  assertEquals(withoutFrames(printed[0]), [
    RULE,
    header(client),
    "Traceback (most recent call last):",
    "ConnectionRefusedError: [Errno 111] Connection refused",
    RULE,
  ]);
});

// ------------------------------------------------------------ class names

test("handle_error() names classes as Python's traceback: module.name outside builtins", async () => {
  // python3 3.11's traceback.format_exception_only() of each.
  const cases: [Error, string][] = [
    [
      new socket.gaierror(-2, "Name or service not known"),
      "socket.gaierror: [Errno -2] Name or service not known",
    ],
    [
      new socket.herror(1, "Unknown host"),
      "socket.herror: [Errno 1] Unknown host",
    ],
    [new ssl.SSLError(1, "[SSL: X] y"), "ssl.SSLError: [SSL: X] y"],
    [
      new ssl.SSLZeroReturnError(6, "TLS/SSL connection has been closed (EOF)"),
      "ssl.SSLZeroReturnError: TLS/SSL connection has been closed (EOF)",
    ],
    [
      new ssl.SSLEOFError(8, "EOF occurred in violation of protocol"),
      "ssl.SSLEOFError: EOF occurred in violation of protocol",
    ],
    [
      new ssl.SSLWantReadError(2, "The operation did not complete (read)"),
      "ssl.SSLWantReadError: The operation did not complete (read)",
    ],
    [new ssl.SSLWantWriteError(3, "w"), "ssl.SSLWantWriteError: w"],
    [new ssl.SSLSyscallError(5, "s"), "ssl.SSLSyscallError: s"],
    [
      new ssl.SSLCertVerificationError(1, "certificate verify failed"),
      "ssl.SSLCertVerificationError: certificate verify failed",
    ],
    [new ssl.CertificateError(1, "c"), "ssl.SSLCertVerificationError: c"],
    [
      new socket.UnsupportedOperation("not writable"),
      "io.UnsupportedOperation: not writable",
    ],
    [
      new socket.OSError(5, "Input/output error"),
      "OSError: [Errno 5] Input/output error",
    ],
    [new socket.TimeoutError("timed out"), "TimeoutError: timed out"],
    [
      new socket.ConnectionResetError(104, "Connection reset by peer"),
      "ConnectionResetError: [Errno 104] Connection reset by peer",
    ],
    [new socket.ValueError("v"), "ValueError: v"],
    [new socket.KeyError("k"), "KeyError: 'k'"],
    [new socket.RuntimeError("r"), "RuntimeError: r"],
    [new ssl.NotImplementedError("n"), "NotImplementedError: n"],
  ];
  await using server = new socketserver.TCPServer(
    ["127.0.0.1", 0],
    socketserver.BaseRequestHandler,
  );
  for (const [error, line] of cases) {
    const { printed } = await capturingStderr(async () => {
      await server.handle_error(null as never, ["127.0.0.1", 1], error);
    });
    assertEquals(withoutFrames(printed[0]).at(-2), line, line);
  }
});

test("a gaierror raised by getaddrinfo() in a handler prints as socket.gaierror", async () => {
  class Resolving extends socketserver.BaseRequestHandler<socket.Socket> {
    override async handle() {
      await socket.getaddrinfo("nonexistent.invalid", 80);
    }
  }
  await using server = new socketserver.TCPServer(
    ["127.0.0.1", 0],
    Resolving,
  );
  using client = await connect(server.server_address);
  const { printed } = await capturingStderr(() =>
    bounded(server.handle_request(), 10000, "handle_request()")
  );
  assertEquals(printed.length, 1);
  const lines = withoutFrames(printed[0]);
  assertEquals(lines.slice(0, 2), [RULE, header(client)]);
  assertEquals(
    lines.at(-2),
    "socket.gaierror: [Errno -2] Name or service not known",
  );
  assert(!printed[0].includes("The above exception"), printed[0]);
});

test("a JS error subclass prints with its own class name, as Python's", async () => {
  // python3 3.11: class MyErr(Exception) raised as MyErr("mine") prints
  // `MyErr: mine`; a class that sets its own name keeps it.
  class MyErr extends Error {}
  class MyType extends TypeError {}
  class Named extends Error {
    override name = "Custom";
  }
  class BadRequest extends socket.ValueError {}
  class MyOSErr extends socket.OSError {}
  class MyGai extends socket.gaierror {}
  const cases: [unknown, string][] = [
    [new MyErr("mine"), "MyErr: mine"],
    [new MyErr(), "MyErr"],
    [new MyType("t"), "MyType: t"],
    [new Named("n"), "Custom: n"],
    [new BadRequest("bad"), "BadRequest: bad"],
    [new MyOSErr(5, "io"), "MyOSErr: [Errno 5] io"],
    [new MyGai(-2, "g"), "MyGai: [Errno -2] g"],
    [new Error("plain"), "Error: plain"],
    [new TypeError("type"), "TypeError: type"],
  ];
  for (const [error, line] of cases) {
    class Raising extends socketserver.BaseRequestHandler<socket.Socket> {
      override handle() {
        throw error;
      }
    }
    await using server = new socketserver.TCPServer(
      ["127.0.0.1", 0],
      Raising,
    );
    using _client = await connect(server.server_address);
    const { printed } = await capturingStderr(() =>
      bounded(server.handle_request(), 3000, "handle_request()")
    );
    assertEquals(printed.length, 1, line);
    assertEquals(withoutFrames(printed[0]).at(-2), line, line);
  }
});
