// Copyright the pysocket authors. MIT license.
/**
 * `socketserver.BaseRequestHandler`: one object per request, whose
 * `setup()`, `handle()` and `finish()` serve it.
 *
 * @module
 */

import type { Address, IPv4Address, UnixAddress } from "../socket/address.ts";
import type { BaseServer } from "./base_server.ts";
import { registerHandler } from "./_in_flight.ts";
import { setContext } from "./_format.ts";
import { pyNames } from "../_py/repr.ts";

/**
 * Python's `socketserver.BaseRequestHandler`. The server makes one per
 * request, as `new RequestHandlerClass(request, client_address, server)`;
 * making it serves the request: `setup()`, then `handle()`, then `finish()`
 * (also when `handle()` raised), each of which may be `async`. A service is
 * a subclass that overrides `handle()`.
 *
 * JS runs a subclass's field initializers only after the base constructor
 * returns, so the three methods start on the next microtask, once the object is
 * fully made; {@linkcode BaseRequestHandler.prototype.handled} settles when
 * they are done. The server waits for it before it shuts the request down,
 * whether its `finish_request` returns it (as the default does) or not (a
 * Python-style override that only makes the handler, with any request). An
 * error in `finish()` after one in `handle()` is reported with both, chained,
 * as Python's.
 *
 * `request` is the connected socket for stream servers and `[data,
 * socket]` for datagram servers ({@linkcode DatagramRequest}).
 *
 * @typeParam Request The request: a `Socket` (stream servers) or a
 * {@linkcode DatagramRequest}.
 * @typeParam Server The server's type, for `this.server`. It types
 * `client_address` too: the server's address type (a path server's clients
 * are `UnixAddress`es); for a server of any family (the default,
 * `BaseServer`), `[host, port]`, as for Python's default `AF_INET`. A
 * handler for another family names its server:
 * `BaseRequestHandler<Socket, UnixStreamServer>`, or
 * `BaseRequestHandler<Socket, TCPServer<Socket, IPv6Address>>`.
 *
 * @example The upper-casing echo of Python's documentation
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import * as socketserver from "@pysocket/socket/socketserver";
 * import { assertEquals } from "@std/assert";
 *
 * class MyTCPHandler extends socketserver.BaseRequestHandler<socket.Socket> {
 *   override async handle() {
 *     // this.request is the TCP socket connected to the client
 *     const data = new TextDecoder().decode(await this.request.recv(1024));
 *     await this.request.sendall(new TextEncoder().encode(data.trim().toUpperCase()));
 *   }
 * }
 *
 * await using server = new socketserver.TCPServer(["127.0.0.1", 0], MyTCPHandler);
 * using sock = await socket.create_connection(server.server_address);
 * await sock.sendall(new TextEncoder().encode("hello\n"));
 * await server.handle_request();
 * assertEquals(new TextDecoder().decode(await sock.recv(1024)), "HELLO");
 * ```
 */
export class BaseRequestHandler<
  Request = unknown,
  Server = BaseServer,
> {
  /** The request: the connection (stream), or `[data, socket]` (datagram). */
  request: Request;
  /**
   * The client's address, as `accept()` or `recvfrom()` gave it: of the
   * `Server` type's address type; `[host, port]` (Python's default
   * `AF_INET`) when that is any family's.
   */
  client_address: Server extends { server_address: infer A extends Address }
    ? Address extends A ? IPv4Address
    : A extends string ? UnixAddress
    : A
    : Address;
  /** The server that made this handler. */
  server: Server;
  /**
   * Settles once `setup()`, `handle()` and `finish()` have run: rejects with
   * what they raised. (Python's constructor returns then; JS constructors
   * cannot wait.)
   */
  readonly handled: Promise<void>;

  /**
   * Makes the handler, which then serves the request: `setup()`, `handle()`,
   * `finish()`, starting on the next microtask.
   *
   * @param request The request.
   * @param client_address The client's address.
   * @param server The server.
   */
  constructor(request: Request, client_address: Address, server: Server) {
    this.request = request;
    // The server's own address type: the type only says which one.
    this.client_address = client_address as this["client_address"];
    this.server = server;
    this.handled = Promise.resolve().then(() => this.#serve());
    // The server waits for it, whatever its finish_request() returns.
    registerHandler(server, request, this.handled);
  }

  async #serve(): Promise<void> {
    await this.setup();
    try {
      await this.handle();
    } catch (err) {
      try {
        await this.finish();
      } catch (error) {
        // Raised while handle()'s error was being handled: Python's
        // traceback prints both, chained.
        setContext(error, err);
        throw error;
      }
      throw err;
    }
    await this.finish();
  }

  /** Called before `handle()`; does nothing here. May be `async`. */
  setup(): void | Promise<void> {}

  /** Serves the request; does nothing here. May be `async`. */
  handle(): void | Promise<void> {}

  /** Called after `handle()`, also when it raised; does nothing here. */
  finish(): void | Promise<void> {}
}

// Python's names (`type(x).__name__`, its repr's), whatever a bundler
// names the class.
pyNames({ BaseRequestHandler }, "socketserver");
