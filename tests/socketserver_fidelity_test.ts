// Copyright the pysocket authors. MIT license.
// socketserver against python3 3.11, case by case: a ThreadingMixIn server
// on a Unix datagram socket answers every datagram (Deno), and the words
// CPython uses where a handler does not fit its server, where the handler
// class is no class, where handle_error() raises in a request's task, and
// the name of the unbuffered wfile's class.

import { assertEquals, assertInstanceOf } from "@std/assert";
import * as socket from "../mod.ts";
import * as socketserver from "../socketserver.ts";
import { expected } from "./_caps.ts";
import { failingHandleError, raisingHandler } from "./_socketserver_hooks.ts";
import {
  b,
  bounded,
  capturingStderr,
  makeTempDir,
  remove,
  runtime,
  str,
  test,
} from "./_util.ts";

type IPAddress = socket.IPv4Address;

/** Connects to a server on 127.0.0.1. */
function connect(address: IPAddress): Promise<socket.Socket> {
  return socket.create_connection(address, 5);
}

/** Reads until EOF, as text. */
async function readAll(sock: socket.Socket): Promise<string> {
  let text = "";
  while (true) {
    const data = await sock.recv(1024);
    if (data.length === 0) return text;
    text += str(data);
  }
}

// ------------------------------------------- ThreadingUnixDatagramServer

test(
  "ThreadingUnixDatagramServer: serve_forever() answers every datagram",
  async () => {
    // As CPython's test_ThreadingUnixDatagramServer: the handler's answer
    // is not refused ([Errno 16]) by the loop watching the socket again.
    const dir = await makeTempDir({ prefix: "pysocket_ssf_" });
    try {
      class Echo extends socketserver.DatagramRequestHandler {
        override async handle() {
          await this.wfile.write(await this.rfile.readline());
        }
      }
      const path = `${dir}/s.sock`;
      await using server = new socketserver.ThreadingUnixDatagramServer(
        path,
        Echo,
      );
      const done = server.serve_forever(0.01);
      try {
        for (const name of ["a", "b"]) {
          using client = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM);
          client.bind(`${dir}/${name}.sock`);
          client.settimeout(3);
          for (let i = 0; i < 3; i++) {
            await client.sendto(b(`hello ${name}${i}\n`), path);
            assertEquals(
              str(await bounded(client.recv(100), 5000, "the answer")),
              `hello ${name}${i}\n`,
            );
          }
        }
      } finally {
        await bounded(server.shutdown(), 5000, "shutdown()");
        await done;
      }
    } finally {
      await remove(dir, { recursive: true });
    }
  },
  {
    ignore: !expected.unixDatagram && `${runtime} has no Unix datagram sockets`,
  },
);

test(
  "ThreadingUnixDatagramServer: a handler that waits for shutdown() ends the loop, then answers",
  async () => {
    // As python3 3.11, where the handler's thread waits for the loop.
    const dir = await makeTempDir({ prefix: "pysocket_ssf_" });
    try {
      const seen: string[] = [];
      class Last extends socketserver.DatagramRequestHandler<
        socketserver.BaseServer<socketserver.DatagramRequest, string>
      > {
        override async handle() {
          await bounded(this.server.shutdown(), 5000, "shutdown()");
          seen.push("shut down");
          this.wfile.write(this.rfile.read());
        }
      }
      const path = `${dir}/s.sock`;
      await using server = new socketserver.ThreadingUnixDatagramServer(
        path,
        Last,
      );
      const done = server.serve_forever(0.01);
      using client = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM);
      client.bind(`${dir}/c.sock`);
      client.settimeout(3);
      await client.sendto(b("bye"), path);
      assertEquals(
        str(await bounded(client.recv(100), 5000, "the answer")),
        "bye",
      );
      await bounded(done, 5000, "serve_forever()");
      assertEquals(seen, ["shut down"]);
    } finally {
      await remove(dir, { recursive: true });
    }
  },
  {
    ignore: !expected.unixDatagram && `${runtime} has no Unix datagram sockets`,
  },
);

// ------------------------------------------------------------ the words

/** A TCP server that records what handle_error() gets. */
function recordingServer(
  Handler: unknown,
): { server: socketserver.TCPServer; errors: unknown[] } {
  const errors: unknown[] = [];
  class Recording extends socketserver.TCPServer {
    override handle_error(
      _request: unknown,
      _client_address: unknown,
      error: unknown,
    ) {
      errors.push(error);
    }
  }
  const server = new Recording(
    ["127.0.0.1", 0],
    Handler as socketserver.RequestHandlerClass<socket.Socket>,
  );
  return { server, errors };
}

test("DatagramRequestHandler on a TCPServer: TypeError, cannot unpack non-iterable socket object", async () => {
  const { server, errors } = recordingServer(
    socketserver.DatagramRequestHandler,
  );
  await using _ = server;
  using client = await connect(server.server_address as IPAddress);
  await bounded(server.handle_request(), 5000, "handle_request()");
  assertEquals(errors.length, 1);
  assertInstanceOf(errors[0], TypeError);
  assertEquals(
    (errors[0] as Error).message,
    "cannot unpack non-iterable socket object",
  );
  assertEquals(await bounded(readAll(client), 5000, "EOF"), "");
});

test("TCPServer with a handler class that is no class: TypeError, '<type>' object is not callable", async () => {
  for (
    const [Handler, type] of [
      [null, "NoneType"],
      [42, "int"],
      ["handler", "str"],
      [{}, "dict"],
    ] as const
  ) {
    const { server, errors } = recordingServer(Handler);
    await using _ = server;
    using client = await connect(server.server_address as IPAddress);
    await bounded(server.handle_request(), 5000, "handle_request()");
    assertEquals(errors.length, 1, String(Handler));
    assertInstanceOf(errors[0], TypeError);
    assertEquals(
      (errors[0] as Error).message,
      `'${type}' object is not callable`,
    );
    // handle_error(), then shutdown_request(): the connection ends.
    assertEquals(await bounded(readAll(client), 5000, "EOF"), "");
  }
});

test("ThreadingTCPServer: handle_error() raising in a task prints a traceback ending with the error", async () => {
  const Failing = failingHandleError(
    socketserver.ThreadingTCPServer,
    "he boom",
  );
  const Boom = raisingHandler("h boom");
  const server = new Failing(["127.0.0.1", 0], Boom);
  using client = await connect(server.server_address);
  const { printed } = await capturingStderr(async () => {
    await bounded(server.handle_request(), 5000, "handle_request()");
    await bounded(server.server_close(), 5000, "server_close()");
  });
  const lines = printed.join("\n").split("\n").filter((l) => l !== "");
  // As python3 3.11's threading.excepthook (`Exception in thread Thread-4
  // (process_request_thread):`): the error handle_error() was handling,
  // then its own, chained.
  assertEquals(lines.filter((l) => !/^\s+at /.test(l)), [
    "Exception in task (process_request_thread):",
    "Traceback (most recent call last):",
    "ValueError: h boom",
    "During handling of the above exception, another exception occurred:",
    "Traceback (most recent call last):",
    "RuntimeError: he boom",
  ]);
  // shutdown_request() ran all the same.
  assertEquals(await bounded(readAll(client), 5000, "EOF"), "");
});

test("StreamRequestHandler: the unbuffered wfile is a _SocketWriter, as CPython's", async () => {
  let name = "";
  class Named extends socketserver.StreamRequestHandler {
    override handle() {
      name = this.wfile.constructor.name;
    }
  }
  await using server = new socketserver.TCPServer(["127.0.0.1", 0], Named);
  using _client = await connect(server.server_address);
  await bounded(server.handle_request(), 5000, "handle_request()");
  assertEquals(name, "_SocketWriter");
});
