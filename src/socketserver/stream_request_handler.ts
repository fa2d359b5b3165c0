// Copyright the pysocket authors. MIT license.
/**
 * `socketserver.StreamRequestHandler`: a handler with `rfile` and `wfile`
 * over the connection.
 *
 * @module
 */

import { IPPROTO_TCP, TCP_NODELAY } from "../socket/constants.ts";
import { OSError, TypeError } from "../socket/errors.ts";
import type { SocketFile } from "../socket/makefile/mod.ts";
import type { Socket } from "../socket/socket.ts";
import type { BaseServer } from "./base_server.ts";
import { BaseRequestHandler } from "./base_request_handler.ts";
import { getAttr, setAttr } from "./_class_attr.ts";
import { pyTruthy } from "../_py/pytype.ts";
import { _SocketWriter } from "./_socket_writer.ts";
import { method } from "../socket/_pyvalue.ts";
import { pyNames } from "../_py/repr.ts";

/**
 * What a handler's `wfile` is: a binary file that can be written to, as
 * Python's `BufferedIOBase`. `makefile("wb")` files are, and so is the
 * unbuffered writer a {@linkcode StreamRequestHandler} uses by default,
 * whose `write()` is one `sendall()` (CPython's `_SocketWriter`).
 *
 * @example What wfile is: write, then flush
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import * as socketserver from "@pysocket/socket/socketserver";
 * import { assertEquals } from "@std/assert";
 *
 * class Hello extends socketserver.StreamRequestHandler {
 *   override async handle() {
 *     const out: socketserver.WritableFile = this.wfile;
 *     await out.write(new TextEncoder().encode("hello\n"));
 *     await out.flush();
 *   }
 * }
 * await using server = new socketserver.TCPServer(["127.0.0.1", 0], Hello);
 * using client = await socket.create_connection(server.server_address);
 * await server.handle_request();
 * assertEquals(new TextDecoder().decode(await client.recv(10)), "hello\n");
 * ```
 */
export interface WritableFile extends AsyncDisposable {
  /** Writes bytes; resolves to how many were taken. */
  write(data: ArrayBufferView | ArrayBufferLike): Promise<number>;
  /** Writes each of `lines`, as Python's `writelines()`. */
  writelines(
    lines:
      | Iterable<ArrayBufferView | ArrayBufferLike>
      | AsyncIterable<ArrayBufferView | ArrayBufferLike>,
  ): Promise<void>;
  /** Sends what is buffered. */
  flush(): Promise<void>;
  /** Flushes, then closes the file (not the connection). */
  close(): Promise<void>;
  /** Has `close()` been called? */
  readonly closed: boolean;
  /** Can it write? */
  writable(): boolean;
  /** Can it read? `false` for the writer `wbufsize` 0 makes. */
  readable(): boolean;
  /** Can it seek? `false`: a socket cannot. */
  seekable(): boolean;
  /** The socket's `fileno()`. */
  fileno(): number;
}

/**
 * Python's `socketserver.StreamRequestHandler`: `setup()` makes
 * `this.rfile`, a buffered binary file over the connection
 * (`makefile("rb", rbufsize)`), and `this.wfile`, an unbuffered writer
 * whose `write()` is one `sendall()` (`wbufsize = 0`, the default) or a
 * buffered file (`makefile("wb", wbufsize)`); `finish()` flushes and closes
 * them. `timeout` is set on the connection, and `disable_nagle_algorithm`
 * sets `TCP_NODELAY`. These are `static` members, as Python's class
 * attributes (`static override timeout = 5`).
 *
 * @typeParam Server The server's type, for `this.server`.
 *
 * @example The line echo of Python's documentation, upper-cased
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import * as socketserver from "@pysocket/socket/socketserver";
 * import { assertEquals } from "@std/assert";
 *
 * class MyTCPHandler extends socketserver.StreamRequestHandler {
 *   data = "";
 *   override async handle() {
 *     this.data = new TextDecoder().decode(await this.rfile.readline()).trim();
 *     await this.wfile.write(new TextEncoder().encode(this.data.toUpperCase()));
 *   }
 * }
 * await using server = new socketserver.TCPServer(["127.0.0.1", 0], MyTCPHandler);
 * using client = await socket.create_connection(server.server_address);
 * await client.sendall(new TextEncoder().encode("hello world\n"));
 * await server.handle_request();
 * assertEquals(new TextDecoder().decode(await client.recv(1024)), "HELLO WORLD");
 * ```
 */
export class StreamRequestHandler<
  Server = BaseServer,
> extends BaseRequestHandler<Socket, Server> {
  /** `rfile`'s buffer size (`-1`: the default, 8192). @default {-1} */
  static rbufsize: number = -1;
  /** `wfile`'s buffer size (`0`: unbuffered, each write sent). @default {0} */
  static wbufsize: number = 0;
  /** Seconds set on the connection with `settimeout()`, if not `null`. @default {null} */
  static timeout: number | null = null;
  /** Set `TCP_NODELAY` on the connection: judged by its truth value. @default {false} */
  static disable_nagle_algorithm: boolean | number = false;

  /** The connection (`this.request`), once `setup()` has run. */
  connection!: Socket;
  /** A buffered binary file reading from the connection. */
  rfile!: SocketFile<Uint8Array<ArrayBuffer>>;
  /** A binary file writing to the connection. */
  wfile!: WritableFile;

  /**
   * `rfile`'s buffer size: the instance's own, else the class's.
   *
   * @returns The size; `-1` for the default.
   */
  get rbufsize(): number {
    return getAttr(this, "rbufsize");
  }

  /** Sets this handler's own `rbufsize`. */
  set rbufsize(value: number) {
    setAttr(this, "rbufsize", value);
  }

  /**
   * `wfile`'s buffer size: the instance's own, else the class's.
   *
   * @returns The size; `0` for unbuffered.
   */
  get wbufsize(): number {
    return getAttr(this, "wbufsize");
  }

  /** Sets this handler's own `wbufsize`. */
  set wbufsize(value: number) {
    setAttr(this, "wbufsize", value);
  }

  /**
   * The connection's timeout in seconds, if not `null`: the instance's
   * own, else the class's.
   *
   * @returns The timeout.
   */
  get timeout(): number | null {
    return getAttr(this, "timeout");
  }

  /** Sets this handler's own `timeout`. */
  set timeout(value: number | null) {
    setAttr(this, "timeout", value);
  }

  /**
   * Whether `setup()` sets `TCP_NODELAY`: the instance's own, else the
   * class's.
   *
   * @returns The flag.
   */
  get disable_nagle_algorithm(): boolean | number {
    return getAttr(this, "disable_nagle_algorithm");
  }

  /** Sets this handler's own `disable_nagle_algorithm`. */
  set disable_nagle_algorithm(value: boolean | number) {
    setAttr(this, "disable_nagle_algorithm", value);
  }

  /**
   * Sets the connection's timeout and `TCP_NODELAY` as asked, and makes
   * `rfile` and `wfile`.
   */
  override setup(): void | Promise<void> {
    this.connection = this.request;
    // As Python: a request that is no socket has no attribute 'makefile'.
    if (
      typeof (this.connection as { makefile?: unknown })?.makefile !==
        "function"
    ) {
      // A datagram server's request, [data, socket], is Python's tuple.
      if (Array.isArray(this.connection)) {
        throw new TypeError("'tuple' object has no attribute 'makefile'");
      }
      method(this.connection, "makefile");
    }
    if (this.timeout !== null) this.connection.settimeout(this.timeout);
    if (pyTruthy(this.disable_nagle_algorithm)) {
      this.connection.setsockopt(IPPROTO_TCP, TCP_NODELAY, true);
    }
    this.rfile = this.connection.makefile("rb", this.rbufsize);
    if (this.wbufsize === 0) {
      this.wfile = new _SocketWriter(this.connection);
    } else {
      this.wfile = this.connection.makefile("wb", this.wbufsize);
    }
  }

  /**
   * Flushes `wfile` (ignoring a socket error, such as a local
   * `ECONNABORTED`), then closes `wfile` and `rfile`.
   *
   * @returns A promise that settles once they are closed.
   */
  override finish(): void | Promise<void> {
    return this.#finish();
  }

  async #finish(): Promise<void> {
    if (!this.wfile.closed) {
      try {
        await this.wfile.flush();
      } catch (err) {
        // A final socket error may have occurred here, such as the local
        // error ECONNABORTED.
        if (!(err instanceof OSError)) throw err;
      }
    }
    await this.wfile.close();
    await this.rfile.close();
  }
}

// Python's names (`type(x).__name__`, its repr's), whatever a bundler
// names the class.
pyNames({ StreamRequestHandler }, "socketserver");
