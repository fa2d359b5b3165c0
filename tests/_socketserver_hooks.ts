// Copyright the pysocket authors. MIT license.
// The order in which socketserver calls a TCPServer's hooks, recorded by a
// subclass that logs each one, and the order CPython 3.11 calls them in
// (tests/fixtures/socketserver_hooks.py records it from python3 the same
// way); and the handlers and servers the socketserver tests make again: a
// handler with a greeting, one whose handle() raises, a server whose
// handle_error() raises.

import * as socket from "../mod.ts";
import * as socketserver from "../socketserver.ts";
import { b, str } from "./_util.ts";

type IPAddress = socket.IPv4Address;

/**
 * The hooks CPython 3.11's socketserver calls, in order, for: the
 * constructor; a request served by handle_request(); handle_request()
 * timing out; a request whose handle() raises; server_close(). Recorded
 * from python3 by a subclass of TCPServer that logs each hook, as
 * tests/socketserver_interop_test.ts does again.
 */
export const CPYTHON_ORDER = {
  init: ["server_bind", "server_activate"],
  request: [
    "fileno",
    "get_request",
    "verify_request",
    "process_request",
    "finish_request",
    "setup",
    "handle",
    "finish",
    "shutdown_request",
    "close_request",
  ],
  timeout: ["fileno", "handle_timeout"],
  error: [
    "fileno",
    "get_request",
    "verify_request",
    "process_request",
    "finish_request",
    "setup",
    "handle",
    "finish",
    "handle_error",
    "shutdown_request",
    "close_request",
  ],
  close: ["server_close"],
};

/** The same sequence as the Python recorder, on pysocket. */
export async function recordHookOrder(): Promise<Record<string, string[]>> {
  let calls: string[] = [];
  class H extends socketserver.BaseRequestHandler<socket.Socket> {
    override setup() {
      calls.push("setup");
    }
    override async handle() {
      calls.push("handle");
      const data = await this.request.recv(100);
      if (str(data) === "boom") throw new Error("boom");
      await this.request.sendall(data);
    }
    override finish() {
      calls.push("finish");
    }
  }
  class S extends socketserver.TCPServer {
    override server_bind() {
      calls.push("server_bind");
      super.server_bind();
    }
    override server_activate() {
      calls.push("server_activate");
      super.server_activate();
    }
    override get_request() {
      calls.push("get_request");
      return super.get_request();
    }
    override verify_request(r: socket.Socket, a: IPAddress) {
      calls.push("verify_request");
      return super.verify_request(r, a);
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
    override close_request(r: socket.Socket) {
      calls.push("close_request");
      return super.close_request(r);
    }
    override handle_error(r: socket.Socket, a: IPAddress, e?: unknown) {
      calls.push("handle_error");
      return super.handle_error(r, a, e);
    }
    override handle_timeout() {
      calls.push("handle_timeout");
      return super.handle_timeout();
    }
    override service_actions() {
      calls.push("service_actions");
      return super.service_actions();
    }
    override server_close() {
      calls.push("server_close");
      return super.server_close();
    }
    override fileno() {
      calls.push("fileno");
      return super.fileno();
    }
  }
  const take = () => {
    const out = calls;
    calls = [];
    return out;
  };
  const order: Record<string, string[]> = {};
  const srv = new S(["127.0.0.1", 0], H);
  order.init = take();
  let c = await socket.create_connection(srv.server_address, 5);
  await c.sendall(b("hi"));
  await srv.handle_request();
  await c.recv(10);
  c.close();
  order.request = take();
  srv.timeout = 0.05;
  await srv.handle_request();
  order.timeout = take();
  c = await socket.create_connection(srv.server_address, 5);
  await c.sendall(b("boom"));
  // (handle_error() prints its block: quiet here.)
  const saved = console.error;
  console.error = () => {};
  try {
    await srv.handle_request();
  } finally {
    console.error = saved;
  }
  c.close();
  order.error = take();
  await srv.server_close();
  order.close = take();
  return order;
}

// deno-lint-ignore no-explicit-any
type Class<T> = new (...args: any[]) => T;

/**
 * `Base` with a fourth constructor argument, `greeting` (default `"hi"`),
 * kept as `this.greeting`: a handler class that Python's
 * `functools.partial(Handler, greeting=…)` makes.
 */
export function withGreeting<B extends Class<object>>(
  Base: B,
): new (
  request: socket.Socket,
  client_address: socket.Address,
  server: socketserver.BaseServer,
  greeting?: string,
) => InstanceType<B> & { greeting: string } {
  return class WithGreeting extends Base {
    greeting: string;
    // deno-lint-ignore no-explicit-any
    constructor(...args: any[]) {
      super(args[0], args[1], args[2]);
      this.greeting = args[3] === undefined ? "hi" : args[3];
    }
    // deno-lint-ignore no-explicit-any
  } as any;
}

/** A handler whose handle() raises a `ValueError` with `message`. */
export function raisingHandler(
  message: string,
): typeof socketserver.BaseRequestHandler<socket.Socket> {
  return class Raising extends socketserver.BaseRequestHandler<socket.Socket> {
    override handle() {
      throw new socket.ValueError(message);
    }
  };
}

/** `Base` with a handle_error() that raises a `RuntimeError` with `message`. */
export function failingHandleError<B extends Class<socketserver.TCPServer>>(
  Base: B,
  message: string,
): B {
  return class FailingHandleError extends Base {
    override handle_error(): never {
      throw new socket.RuntimeError(message);
    }
  };
}
