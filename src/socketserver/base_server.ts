// Copyright the pysocket authors. MIT license.
/**
 * `socketserver.BaseServer`: the request loop (`serve_forever`,
 * `handle_request`, `shutdown`) and the hooks a server class fills in.
 *
 * @module
 */

import type { Address, AddressLike } from "../socket/address.ts";
import { OSError, TypeError } from "../socket/errors.ts";
import { AF_INET, SOCK_DGRAM } from "../socket/constants.ts";
import { Socket } from "../socket/socket.ts";
import { pyTypeName } from "../socket/_pyvalue.ts";
import { EVENT_READ } from "../selectors/selector_key.ts";
import { PollSelector } from "../selectors/poll_selector.ts";
import { getAttr, setAttr } from "./_class_attr.ts";
import { errorBlock, setContext } from "./_format.ts";
import { Event } from "./_event.ts";
import {
  finishRequest,
  handling,
  handlingError,
  processing,
} from "./_in_flight.ts";
import { type ArgSpec, checkArgs } from "../_py/args.ts";
import { callHandlerClass } from "./_python.ts";
import { pyTruthy } from "../_py/pytype.ts";
import { pyNames } from "../_py/repr.ts";

const INIT: ArgSpec = {
  name: "BaseServer.__init__",
  style: "py",
  params: ["server_address", "RequestHandlerClass"],
  required: 2,
  method: true,
};

/**
 * A request handler class, as a server's constructor takes it: made with
 * `new RequestHandlerClass(request, client_address, server)` for each
 * request. Its `server` parameter may be typed as the server subclass it
 * serves, and its `client_address` as that server's addresses (a handler's
 * `Server` type parameter types both).
 *
 * As Python calls whatever it is given, it may also be a function that
 * makes the handler, called (not made with `new`) when it cannot be:
 * an arrow function such as `(request, client_address, server) => new
 * Handler(request, client_address, server, "option")` is what Python's
 * `functools.partial(Handler, option=…)` is. What it returns is not used:
 * the server waits for the handlers made during the call.
 *
 * @typeParam Request The requests it handles.
 *
 * @example Any handler class a server takes
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import * as socketserver from "@pysocket/socket/socketserver";
 * import { assertEquals } from "@std/assert";
 *
 * class Hello extends socketserver.BaseRequestHandler<socket.Socket> {
 *   override async handle() {
 *     await this.request.sendall(new TextEncoder().encode("hello"));
 *   }
 * }
 * const Handler: socketserver.RequestHandlerClass<socket.Socket> = Hello;
 * await using server = new socketserver.TCPServer(["127.0.0.1", 0], Handler);
 * using client = await socket.create_connection(server.server_address);
 * await server.handle_request();
 * assertEquals(new TextDecoder().decode(await client.recv(10)), "hello");
 * ```
 *
 * @example A factory, as Python's `functools.partial(Greeter, greeting=…)`
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import * as socketserver from "@pysocket/socket/socketserver";
 * import { assertEquals } from "@std/assert";
 *
 * class Greeter extends socketserver.BaseRequestHandler<socket.Socket> {
 *   greeting: string;
 *   constructor(
 *     request: socket.Socket,
 *     client_address: socket.Address,
 *     server: socketserver.BaseServer,
 *     greeting = "hi",
 *   ) {
 *     super(request, client_address, server);
 *     this.greeting = greeting;
 *   }
 *   override async handle() {
 *     await this.request.sendall(new TextEncoder().encode(this.greeting));
 *   }
 * }
 * await using server = new socketserver.TCPServer(
 *   ["127.0.0.1", 0],
 *   (request: socket.Socket, client_address: socket.Address, server: socketserver.BaseServer) =>
 *     new Greeter(request, client_address, server, "hello"),
 * );
 * using client = await socket.create_connection(server.server_address);
 * await server.handle_request();
 * assertEquals(new TextDecoder().decode(await client.recv(10)), "hello");
 * ```
 */
export type RequestHandlerClass<Request> =
  | (new (
    request: Request,
    client_address: never,
    server: never,
  ) => HandlerInstance)
  | ((
    request: Request,
    client_address: never,
    server: never,
  ) => unknown);

/**
 * What the server needs of a handler it made: the promise that settles once the
 * request is served ({@linkcode BaseRequestHandler.prototype.handled}).
 *
 * @example A handler's promise, settled once it has served
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import * as socketserver from "@pysocket/socket/socketserver";
 *
 * class Quiet extends socketserver.BaseRequestHandler<socket.Socket> {}
 * const [a, b] = await socket.socketpair();
 * await using server = new socketserver.TCPServer(["127.0.0.1", 0], Quiet);
 * const handler: socketserver.HandlerInstance = new Quiet(a, ["127.0.0.1", 0], server);
 * await handler.handled;
 * a.close();
 * b.close();
 * ```
 */
export interface HandlerInstance {
  /** Settles once `setup()`, `handle()` and `finish()` have run. */
  readonly handled: Promise<void>;
}

/**
 * Python's `socketserver.BaseServer`: the request loop and the hooks that
 * make a server class. Servers are made from its subclasses
 * ({@linkcode TCPServer}, {@linkcode UDPServer}, …); a subclass of its own
 * supplies `socket`, `fileno()` and `get_request()`, as in Python.
 *
 * What blocks in Python returns a promise here: `serve_forever()` resolves
 * once `shutdown()` has stopped it, `shutdown()` once the loop has
 * stopped, `handle_request()` once the request has been handled. Every hook
 * may be overridden in a subclass, and those that may wait (`get_request`,
 * `verify_request`, `process_request`, `finish_request`,
 * `shutdown_request`, `close_request`, `handle_error`, `handle_timeout`,
 * `service_actions`) may be `async`; they are called in Python's order.
 *
 * Python's class attributes are `static` members (`static override timeout
 * = 5`), readable and settable on an instance too.
 *
 * @typeParam Request What `get_request()` returns as the request.
 * @typeParam A The server's and the clients' address type.
 *
 * @example `handle_request()` with a timeout calls `handle_timeout()`
 * ```ts
 * import * as socketserver from "@pysocket/socket/socketserver";
 * import { assertEquals } from "@std/assert";
 *
 * let timedOut = false;
 * class Server extends socketserver.TCPServer {
 *   static override timeout = 0.05;
 *   override handle_timeout() {
 *     timedOut = true;
 *   }
 * }
 * await using server = new Server(["127.0.0.1", 0], socketserver.BaseRequestHandler);
 * await server.handle_request();
 * assertEquals(timedOut, true);
 * ```
 */
export abstract class BaseServer<Request = unknown, A = Address>
  implements Disposable, AsyncDisposable {
  /**
   * Seconds `handle_request()` waits for a request before it calls
   * `handle_timeout()`; `null` waits as long as it takes.
   *
   * @default {null}
   */
  static timeout: number | null = null;

  /**
   * The address the server was made with; its socket's real address once
   * bound (`server_bind()`), with the port the system chose for port `0`.
   */
  server_address: A;
  /**
   * The class whose instances handle the requests. (Typed for any request,
   * so that a server of any request type is a `BaseServer`: the constructor
   * checked that the class takes this server's requests.)
   */
  RequestHandlerClass: RequestHandlerClass<never>;
  /** The server's socket. */
  abstract socket: Socket;

  #is_shut_down = new Event();
  #shutdown_request = false;
  /** What wakes a `serve_forever()` that waits, when it is told to stop. */
  #wakeup: Socket | null = null;

  /**
   * Stores the address and the handler class, as Python's
   * `BaseServer.__init__`.
   *
   * @param server_address The address to serve on.
   * @param RequestHandlerClass The handler class.
   * @throws {TypeError} `BaseServer.__init__() missing 1 required positional
   * argument: 'RequestHandlerClass'`, as Python's, for a missing argument.
   */
  constructor(
    server_address: AddressLike | A,
    RequestHandlerClass: RequestHandlerClass<Request>,
  ) {
    checkArgs(INIT, arguments);
    this.server_address = server_address as A;
    this.RequestHandlerClass = RequestHandlerClass;
  }

  /**
   * Seconds `handle_request()` waits before `handle_timeout()`; `null`: no
   * limit. The instance's own value, else the class's `static timeout`.
   *
   * @returns The timeout.
   */
  get timeout(): number | null {
    return getAttr(this, "timeout");
  }

  /** Sets this server's own `timeout`. */
  set timeout(value: number | null) {
    setAttr(this, "timeout", value);
  }

  /** Activates the server (a stream server listens); nothing here. */
  server_activate(): void {}

  /**
   * The number a selector watches the server by: its socket's `fileno()`.
   *
   * @returns The descriptor number; `-1` once closed.
   */
  abstract fileno(): number;

  /**
   * Takes the next request from the socket (`accept()` or `recvfrom()`).
   *
   * @returns `[request, client_address]`.
   */
  abstract get_request(): Promise<[Request, A]>;

  /**
   * Handles requests, one after the other (a {@linkcode ThreadingMixIn}
   * server: each in a task of its own), until `shutdown()`. Between
   * requests it waits on the server's readiness with a selector, waking at
   * least every `poll_interval` seconds to call `service_actions()`; an idle
   * server uses no CPU. `shutdown()` wakes it at once (where the runtime has
   * datagram sockets: see the README), and closing the server ends it too.
   *
   * @param poll_interval Seconds between calls of `service_actions()`.
   * @returns A promise that resolves once the loop has stopped.
   *
   * @example
   * ```ts
   * import * as socket from "@pysocket/socket";
   * import * as socketserver from "@pysocket/socket/socketserver";
   * import { assertEquals } from "@std/assert";
   *
   * class Hello extends socketserver.BaseRequestHandler<socket.Socket> {
   *   override async handle() {
   *     await this.request.sendall(new TextEncoder().encode("hello"));
   *   }
   * }
   * await using server = new socketserver.TCPServer(["127.0.0.1", 0], Hello);
   * const done = server.serve_forever();
   * using client = await socket.create_connection(server.server_address);
   * assertEquals(new TextDecoder().decode(await client.recv(10)), "hello");
   * await server.shutdown();
   * await done;
   * ```
   */
  async serve_forever(poll_interval: number | null = 0.5): Promise<void> {
    this.#is_shut_down.clear();
    try {
      const selector = new PollSelector<null, { fileno(): number }>();
      const wakeup = this.#wakeup = wakeupSocket();
      try {
        selector.register(this, EVENT_READ);
        if (wakeup !== null) selector.register(wakeup, EVENT_READ);
        while (!this.#shutdown_request) {
          const ready = await selector.select(poll_interval);
          // bpo-35017: shutdown() called during select(), exit immediately.
          if (this.#shutdown_request) break;
          // The server was closed under the loop: nothing more can come
          // (Python would spin on EBADF here).
          if (this.socket.fileno() === -1) break;
          if (ready.some(([key]) => key.fileobj === this)) {
            await this.#handle_request_noblock();
          }
          await this.service_actions();
        }
      } finally {
        this.#wakeup = null;
        selector.close();
        wakeup?.close();
      }
    } finally {
      this.#shutdown_request = false;
      this.#is_shut_down.set();
    }
  }

  /**
   * Stops the `serve_forever()` loop, as Python's `shutdown()`, which
   * blocks until the loop has stopped: here the returned promise settles
   * then. Call it while `serve_forever()` runs (or before it starts: the
   * loop then stops at once).
   *
   * @returns A promise that resolves once the loop has stopped.
   *
   * @example
   * ```ts
   * import * as socketserver from "@pysocket/socket/socketserver";
   *
   * await using server = new socketserver.TCPServer(["127.0.0.1", 0], socketserver.BaseRequestHandler);
   * const done = server.serve_forever(60);
   * await server.shutdown(); // at once, not after 60 s
   * await done;
   * ```
   */
  shutdown(): Promise<void> {
    this.#shutdown_request = true;
    this.#wakeup?.close();
    return this.#is_shut_down.wait();
  }

  /**
   * Called by the `serve_forever()` loop after each wake-up; does nothing
   * here. May be `async`.
   */
  service_actions(): void | Promise<void> {}

  /**
   * Waits for one request and handles it, as Python's `handle_request()`:
   * waits at most `timeout` (the smaller of the server's `timeout` and its
   * socket's), then calls `handle_timeout()` instead.
   *
   * @returns A promise that settles once the request has been handled (or
   * `handle_timeout()` has run).
   *
   * @example
   * ```ts
   * import * as socket from "@pysocket/socket";
   * import * as socketserver from "@pysocket/socket/socketserver";
   * import { assertEquals } from "@std/assert";
   *
   * class Echo extends socketserver.StreamRequestHandler {
   *   override async handle() {
   *     await this.wfile.write(await this.rfile.readline());
   *   }
   * }
   * await using server = new socketserver.TCPServer(["127.0.0.1", 0], Echo);
   * using client = await socket.create_connection(server.server_address);
   * await client.sendall(new TextEncoder().encode("one line\n"));
   * await server.handle_request();
   * assertEquals(new TextDecoder().decode(await client.recv(100)), "one line\n");
   * ```
   */
  async handle_request(): Promise<void> {
    // Support people who used socket.settimeout() to escape
    // handle_request before self.timeout was available.
    let timeout = this.socket.gettimeout();
    if (timeout === null) timeout = this.timeout;
    else if (this.timeout !== null) timeout = Math.min(timeout, this.timeout);
    const deadline = timeout === null ? 0 : performance.now() / 1e3 + timeout;
    const selector = new PollSelector<null, { fileno(): number }>();
    try {
      selector.register(this, EVENT_READ);
      while (true) {
        const ready = await selector.select(timeout);
        if (ready.length > 0) return await this.#handle_request_noblock();
        if (timeout !== null) {
          timeout = deadline - performance.now() / 1e3;
          if (timeout < 0) return await this.handle_timeout();
        }
      }
    } finally {
      selector.close();
    }
  }

  /**
   * Python's `_handle_request_noblock()`: the server is readable, so
   * `get_request()` does not wait.
   */
  async #handle_request_noblock(): Promise<void> {
    let request: Request, client_address: A;
    try {
      [request, client_address] = await this.get_request();
    } catch (err) {
      if (err instanceof OSError) return;
      throw err;
    }
    let verified: boolean;
    try {
      // Python's truth value: [] or {} refuses, as 0, "" and null do.
      verified = pyTruthy(await this.verify_request(request, client_address));
    } catch (err) {
      dropped(request);
      throw err;
    }
    if (verified) {
      try {
        // A request failing there (in its task, for ThreadingMixIn) is the
        // error handled, for a handle_error() called without one.
        await processing(
          this,
          () => this.process_request(request, client_address),
        );
      } catch (err) {
        // JS has no BaseException: everything thrown is handled.
        try {
          await handling(
            this,
            err,
            () => this.handle_error(request, client_address, err),
          );
        } catch (error) {
          // Raised in Python's `except` clause: its traceback prints the
          // error handled first.
          setContext(error, err);
          dropped(request);
          throw error;
        }
        try {
          await this.shutdown_request(request);
        } catch (error) {
          setContext(error, err);
          throw error;
        }
      }
    } else {
      await this.shutdown_request(request);
    }
  }

  /**
   * Called when `handle_request()` times out; does nothing here. May be
   * `async`.
   */
  handle_timeout(): void | Promise<void> {}

  /**
   * Decides whether to serve a request; `true` here. A `false` makes the
   * server drop it (`shutdown_request()`); what an untyped override
   * returns is judged by Python's truth value, as Python's `if` does (an
   * empty array, `{}`, `0`, `""`, `null` refuse). An error goes on out of
   * `handle_request()` or `serve_forever()`, as in Python, without
   * `shutdown_request()` or `close_request()`; the request's socket is
   * closed (in Python, as it is dropped). May be `async`.
   *
   * @param _request The request.
   * @param _client_address The client's address.
   * @returns Whether to serve it.
   */
  verify_request(
    _request: Request,
    _client_address: A,
  ): boolean | Promise<boolean> {
    return true;
  }

  /**
   * Serves a request: `finish_request()`, then `shutdown_request()`. The
   * {@linkcode ThreadingMixIn} runs that in a task of its own instead.
   *
   * @param request The request.
   * @param client_address The client's address.
   * @returns A promise that settles once the request is served.
   */
  process_request(
    request: Request,
    client_address: A,
  ): void | Promise<void> {
    return this.#process_request(request, client_address);
  }

  async #process_request(request: Request, client_address: A): Promise<void> {
    // Also waits for a handler an override made without returning it.
    await finishRequest(this, request, client_address);
    await this.shutdown_request(request);
  }

  /**
   * Cleans up the server; nothing here. Stream and datagram servers close
   * their socket; a {@linkcode ThreadingMixIn} server's promise settles
   * once the requests in flight are done (`block_on_close`).
   *
   * @returns A promise that settles once the server is closed.
   */
  server_close(): Promise<void> {
    return Promise.resolve();
  }

  /**
   * Makes the handler, which serves the request, and waits until it has:
   * `new this.RequestHandlerClass(request, client_address, this)`, or, as
   * Python calls whatever it was given, the call of a factory that cannot
   * be made with `new` (an arrow function), which returns the handler. An
   * override need not return the handler's `handled`, as Python's returns
   * nothing: the server waits for every handler the call made (whatever
   * request it gave it: `[request, extra]`, a TLS-wrapped socket) before
   * `shutdown_request()`, and a failing one goes to `handle_error()`.
   *
   * @param request The request.
   * @param client_address The client's address.
   * @returns A promise that settles once the handler is done.
   * @throws {TypeError} Python's `'NoneType' object is not callable` (with
   * the value's Python type) when `RequestHandlerClass` is no function.
   */
  finish_request(
    request: Request,
    client_address: A,
  ): void | Promise<void> {
    const Handler: unknown = this.RequestHandlerClass;
    if (typeof Handler !== "function") {
      // Python calls whatever it was given.
      throw new TypeError(`'${pyTypeName(Handler)}' object is not callable`);
    }
    const handler = callHandlerClass(Handler, [request, client_address, this]);
    // The handlers made meanwhile are waited for (_in_flight.ts) whatever
    // it returned; a handler's own promise too, if it returned one.
    const handled = handledOf(handler);
    if (handled !== undefined) return handled;
    if (isThenable(handler)) return Promise.resolve(handler).then(() => {});
  }

  /**
   * Shuts down and closes a request: here `close_request()`.
   *
   * @param request The request.
   * @returns A promise that settles once it is closed.
   */
  shutdown_request(request: Request): void | Promise<void> {
    return this.close_request(request);
  }

  /**
   * Cleans up a request; nothing here (stream servers close the
   * connection).
   *
   * @param _request The request.
   */
  close_request(_request: Request): void | Promise<void> {}

  /**
   * Reports a request whose handling raised, and goes on serving: prints
   * Python's block to stderr (`console.error`) — a rule of 40 `-`,
   * `Exception occurred during processing of request from ('127.0.0.1',
   * 54321)`, the error as Python's traceback shows it
   * (`Traceback (most recent call last):`, the JS stack's frames innermost
   * last, then `ValueError: boom`), a rule. Chained errors come first, as
   * in Python: an error's `cause` (`The above exception was the direct
   * cause of the following exception:`), or the `handle()` error a
   * `finish()` error was raised after (`During handling of the above
   * exception, another exception occurred:`). JS has no `sys.exc_info()`,
   * so the server passes the error as a third argument; an override that
   * calls `super.handle_error(request, client_address)` without it, as
   * Python's do, prints the error the server is handling (`NoneType: None`
   * when there is none).
   *
   * @param _request The request.
   * @param client_address The client's address.
   * @param error What was raised; without it, the error the server is
   * handling.
   *
   * @example Log errors one line each instead
   * ```ts
   * import * as socketserver from "@pysocket/socket/socketserver";
   *
   * class Quiet extends socketserver.TCPServer {
   *   override handle_error(_request: unknown, client_address: unknown, error: unknown) {
   *     console.log(`request from ${client_address}: ${error}`);
   *   }
   * }
   * await using server = new Quiet(["127.0.0.1", 0], socketserver.BaseRequestHandler);
   * ```
   */
  handle_error(
    _request: Request,
    client_address: A,
    error?: unknown,
  ): void | Promise<void> {
    if (error === undefined) error = handlingError(this)?.error;
    console.error(errorBlock(client_address, error));
  }

  /** `using server = …`: `server_close()` at the end of the block. */
  [Symbol.dispose](): void {
    void this.server_close();
  }

  /**
   * `await using server = …`: `server_close()` at the end of the block,
   * waiting for what it waits for (requests in flight, `block_on_close`).
   */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.server_close();
  }
}

// Python's names (`type(x).__name__`, its repr's), whatever a bundler
// names the class.
pyNames({ BaseServer }, "socketserver");

/**
 * A socket no one else knows, watched by `serve_forever()`: `shutdown()`
 * closes it, which wakes the selector's wait at once (a socket closed while
 * waited on is reported at once). A datagram socket that is never bound
 * touches no network and is not readable until then. `null` where the
 * runtime has no datagram sockets: the loop then notices `shutdown()` at
 * its next wake-up, within `poll_interval`, as CPython's does.
 */
function wakeupSocket(): Socket | null {
  try {
    return new Socket(AF_INET, SOCK_DGRAM);
  } catch (err) {
    if (err instanceof OSError) return null;
    throw err;
  }
}

/**
 * A request an error carries out of `handle_request()` or `serve_forever()`
 * (`verify_request()` or `handle_error()` raised): in Python neither
 * shutdown_request() nor close_request() is called, and the socket is
 * closed as it is dropped. Here it is closed directly, so the connection
 * ends.
 */
function dropped(request: unknown): void {
  if (!(request instanceof Socket)) return;
  try {
    request.close();
  } catch {
    // The error that carries it out is the one raised.
  }
}

/** A handler's `handled` promise, if `handler` is one with it. */
function handledOf(handler: unknown): Promise<void> | undefined {
  if (typeof handler !== "object" || handler === null) return undefined;
  const handled = (handler as { handled?: unknown }).handled;
  return isThenable(handled) ? handled as Promise<void> : undefined;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === "object" && value !== null ||
    typeof value === "function") &&
    typeof (value as { then?: unknown }).then === "function";
}
