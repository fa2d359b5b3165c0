// Copyright the pysocket authors. MIT license.
/**
 * `socketserver.TCPServer`: a server on a stream socket.
 *
 * @module
 */

import type {
  AddressLike,
  IPv4Address,
  IPv4AddressLike,
  IPv6Address,
  IPv6AddressLike,
  UnixAddressLike,
} from "../socket/address.ts";
import {
  AF_INET,
  type AF_INET6,
  type AF_UNIX,
  SHUT_WR,
  SO_REUSEADDR,
  SO_REUSEPORT,
  SOCK_STREAM,
  SOL_SOCKET,
} from "../socket/constants.ts";
import { OSError } from "../socket/errors.ts";
import { Socket } from "../socket/socket.ts";
import { BaseServer, type RequestHandlerClass } from "./base_server.ts";
import { getAttr, setAttr } from "./_class_attr.ts";
import { pyTruthy } from "../_py/pytype.ts";
import { method } from "../socket/_pyvalue.ts";
import { type ArgSpec, checkArgs } from "../_py/args.ts";
import { pyNames } from "../_py/repr.ts";

const INIT: ArgSpec = {
  name: "TCPServer.__init__",
  style: "py",
  params: ["server_address", "RequestHandlerClass", "bind_and_activate"],
  required: 2,
  method: true,
};

/**
 * Python's `socketserver.TCPServer`: requests are connections, accepted
 * from a listening stream socket and served one after the other (for one
 * task per connection, see {@linkcode ThreadingTCPServer}).
 *
 * The constructor binds and listens at once, as Python's does
 * (`server_bind()`, `server_activate()`), so `server_address` holds the
 * real address, the port included, as soon as it returns.
 *
 * @typeParam Request What `get_request()` returns as the request (a
 * `Socket`; `UDPServer` has its own).
 * @typeParam A The address type: `[host, port]` for `AF_INET`, the
 * default; `[host, port, flowinfo, scope_id]` for a subclass on
 * `AF_INET6` (`class S extends TCPServer<Socket, IPv6Address>`); a path
 * for Unix servers.
 *
 * @example A server on port 0 knows its port
 * ```ts
 * import * as socketserver from "@pysocket/socket/socketserver";
 * import { assert } from "@std/assert";
 *
 * await using server = new socketserver.TCPServer(["127.0.0.1", 0], socketserver.BaseRequestHandler);
 * const [host, port] = server.server_address;
 * assert(host === "127.0.0.1" && port > 0);
 * ```
 */
export class TCPServer<
  Request = Socket,
  A extends IPv4Address | IPv6Address | string = IPv4Address,
> extends BaseServer<Request, A> {
  /** The socket's family. @default {AF_INET} */
  static address_family: number = AF_INET;
  /** The socket's type. @default {SOCK_STREAM} */
  static socket_type: number = SOCK_STREAM;
  /** The `listen()` backlog. @default {5} */
  static request_queue_size: number = 5;
  /**
   * Set `SO_REUSEADDR` before binding: judged by its truth value, as in
   * Python (`allow_reuse_address = 1`). @default {false}
   */
  static allow_reuse_address: boolean | number = false;
  /**
   * Set `SO_REUSEPORT` before binding: judged by its truth value.
   * @default {false}
   */
  static allow_reuse_port: boolean | number = false;

  /**
   * The server's socket, of the family of its address type `A`
   * (`AF_INET` for `[host, port]`, `AF_INET6` for the 4-tuple, `AF_UNIX`
   * for a path): `server.socket.getsockname()` is an `A`.
   */
  get socket(): Socket<
    A extends string ? typeof AF_UNIX
      : A extends IPv6Address ? typeof AF_INET6
      : typeof AF_INET,
    number
  > {
    return this.#socket as this["socket"];
  }

  /** Any socket may replace it (`socket.fromfd(...)`, a wrapped one). */
  set socket(value: Socket) {
    this.#socket = value;
  }

  #socket!: Socket;

  /**
   * Makes the socket and, unless told not to, binds and activates it
   * (`server_bind()`, `server_activate()`); if either raises, the server is
   * closed and the error raised.
   *
   * @param server_address `[host, port]` (port `0`: any free port), or a
   * path for Unix servers: typed by the server's address type `A`.
   * @param RequestHandlerClass The handler class.
   * @param bind_and_activate `false` (or `0`: its truth value counts)
   * leaves binding and activating to the caller.
   * @throws {TypeError} `TCPServer.__init__() missing 1 required positional
   * argument: 'RequestHandlerClass'`, as Python's, for a missing argument.
   * @throws {OSError} What `socket()`, `setsockopt()`, `bind()` or
   * `listen()` raised, e.g. `[Errno 98] Address already in use`.
   */
  constructor(
    server_address: NoInfer<
      A extends string ? UnixAddressLike
        : A extends IPv6Address ? IPv6AddressLike
        : A extends IPv4Address ? IPv4AddressLike
        : AddressLike
    >,
    RequestHandlerClass: RequestHandlerClass<Request>,
    bind_and_activate: boolean | number = true,
  ) {
    // Python's words for every server class: they all run TCPServer's.
    checkArgs(INIT, arguments);
    super(server_address, RequestHandlerClass);
    // The family is `address_family`'s, known at run time only: `A` says
    // which one it is.
    this.socket = new Socket(this.address_family, this.socket_type);
    if (pyTruthy(bind_and_activate)) {
      try {
        this.server_bind();
        this.server_activate();
      } catch (err) {
        this.server_close().catch(() => {});
        throw err;
      }
    }
  }

  /**
   * The socket's family: the instance's own, else the class's.
   *
   * @returns `AF_INET`, `AF_INET6` or `AF_UNIX`.
   */
  get address_family(): number {
    return getAttr(this, "address_family");
  }

  /** Sets this server's own `address_family`. */
  set address_family(value: number) {
    setAttr(this, "address_family", value);
  }

  /**
   * The socket's type: the instance's own, else the class's.
   *
   * @returns `SOCK_STREAM` or `SOCK_DGRAM`.
   */
  get socket_type(): number {
    return getAttr(this, "socket_type");
  }

  /** Sets this server's own `socket_type`. */
  set socket_type(value: number) {
    setAttr(this, "socket_type", value);
  }

  /**
   * The `listen()` backlog: the instance's own, else the class's.
   *
   * @returns The backlog.
   */
  get request_queue_size(): number {
    return getAttr(this, "request_queue_size");
  }

  /** Sets this server's own `request_queue_size`. */
  set request_queue_size(value: number) {
    setAttr(this, "request_queue_size", value);
  }

  /**
   * Whether `server_bind()` sets `SO_REUSEADDR`: the instance's own, else
   * the class's.
   *
   * @returns The flag.
   */
  get allow_reuse_address(): boolean | number {
    return getAttr(this, "allow_reuse_address");
  }

  /** Sets this server's own `allow_reuse_address`. */
  set allow_reuse_address(value: boolean | number) {
    setAttr(this, "allow_reuse_address", value);
  }

  /**
   * Whether `server_bind()` sets `SO_REUSEPORT`: the instance's own, else
   * the class's.
   *
   * @returns The flag.
   */
  get allow_reuse_port(): boolean | number {
    return getAttr(this, "allow_reuse_port");
  }

  /** Sets this server's own `allow_reuse_port`. */
  set allow_reuse_port(value: boolean | number) {
    setAttr(this, "allow_reuse_port", value);
  }

  /**
   * Binds the socket (after `SO_REUSEADDR` / `SO_REUSEPORT` when asked
   * for) and stores its real address in `server_address`.
   *
   * @throws {OSError} What `setsockopt()` or `bind()` raised.
   */
  server_bind(): void {
    // Any family's socket: `server_address` is checked at run time.
    const sock: Socket = this.socket;
    if (pyTruthy(this.allow_reuse_address)) {
      sock.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1);
    }
    if (pyTruthy(this.allow_reuse_port)) {
      sock.setsockopt(SOL_SOCKET, SO_REUSEPORT, 1);
    }
    sock.bind(this.server_address as AddressLike);
    this.server_address = sock.getsockname() as A;
  }

  /**
   * Listens, with `request_queue_size` as the backlog.
   *
   * @throws {OSError} What `listen()` raised.
   */
  override server_activate(): void {
    this.socket.listen(this.request_queue_size);
  }

  /**
   * Closes the socket, at once.
   *
   * @returns A promise that settles once the socket has let go of what it
   * held: a Unix listener's path is gone then (Deno removes it a turn after
   * the close, where an accept was pending for a `select()`), so that a new
   * server may be bound there.
   */
  override server_close(): Promise<void> {
    this.socket.close();
    return this.socket[Symbol.asyncDispose]();
  }

  /**
   * The socket's `fileno()`, by which a selector watches the server.
   *
   * @returns The number; `-1` once closed.
   */
  fileno(): number {
    return this.socket.fileno();
  }

  /**
   * Accepts a connection.
   *
   * @returns `[connection, client_address]`.
   */
  get_request(): Promise<[Request, A]> {
    return this.socket.accept() as Promise<[unknown, unknown]> as Promise<
      [Request, A]
    >;
  }

  /**
   * Ends a connection: `shutdown(SHUT_WR)` (the client reads end of
   * stream; an `OSError` is ignored), then `close_request()`.
   *
   * @param request The connection.
   * @returns A promise that settles once it is closed.
   */
  override shutdown_request(request: Request): void | Promise<void> {
    return this.#shutdownAndClose(request);
  }

  async #shutdownAndClose(request: Request): Promise<void> {
    // As Python: what is no socket has no attribute 'shutdown'.
    const shutdown = method<Socket["shutdown"]>(request, "shutdown");
    try {
      // Explicitly shut down: the client sees the end of the stream now.
      await shutdown(SHUT_WR);
    } catch (err) {
      // Some platforms may raise ENOTCONN here.
      if (!(err instanceof OSError)) throw err;
    }
    await this.close_request(request);
  }

  /**
   * Closes the connection.
   *
   * @param request The connection.
   */
  override close_request(request: Request): void | Promise<void> {
    method<Socket["close"]>(request, "close")();
  }
}

// Python's names (`type(x).__name__`, its repr's), whatever a bundler
// names the class.
pyNames({ TCPServer }, "socketserver");
