// Copyright the pysocket authors. MIT license.
/**
 * `socketserver.UnixStreamServer` and `socketserver.UnixDatagramServer`:
 * the TCP and UDP servers on `AF_UNIX` sockets.
 *
 * @module
 */

import { AF_UNIX } from "../socket/constants.ts";
import type { Socket } from "../socket/socket.ts";
import { TCPServer } from "./tcp_server.ts";
import { UDPServer } from "./udp_server.ts";
import { pyNames } from "../_py/repr.ts";

/**
 * Python's `socketserver.UnixStreamServer`: a {@linkcode TCPServer} on an
 * `AF_UNIX` stream socket; `server_address` is a path, and so is each
 * client's address (`""` for a client that did not bind one).
 *
 * @example
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import * as socketserver from "@pysocket/socket/socketserver";
 * import { assertEquals } from "@std/assert";
 * import { rmSync } from "node:fs";
 *
 * class Hello extends socketserver.BaseRequestHandler<socket.Socket> {
 *   override async handle() {
 *     await this.request.sendall(new TextEncoder().encode("hello"));
 *   }
 * }
 * const path = `/tmp/pysocket-doc-${crypto.randomUUID()}.sock`;
 * {
 *   await using server = new socketserver.UnixStreamServer(path, Hello);
 *   using client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM);
 *   await client.connect(path);
 *   await server.handle_request();
 *   assertEquals(new TextDecoder().decode(await client.recv(10)), "hello");
 * }
 * rmSync(path, { force: true }); // the server leaves its path, as CPython's does
 * ```
 */
export class UnixStreamServer extends TCPServer<Socket, string> {
  /** The socket's family. @default {AF_UNIX} */
  static override address_family: number = AF_UNIX;
}

/**
 * Python's `socketserver.UnixDatagramServer`: a {@linkcode UDPServer} on
 * an `AF_UNIX` datagram socket. Only where the runtime has Unix datagram
 * sockets (Deno with `--unstable-net`); elsewhere the constructor raises
 * what `socket(AF_UNIX, SOCK_DGRAM)` raises there, `[Errno 94] Socket type
 * not supported`.
 *
 * @example
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import * as socketserver from "@pysocket/socket/socketserver";
 * import { rmSync } from "node:fs";
 *
 * const path = `/tmp/pysocket-doc-${crypto.randomUUID()}.sock`;
 * try {
 *   await using server = new socketserver.UnixDatagramServer(path, socketserver.DatagramRequestHandler);
 *   console.log(server.server_address === path); // true
 * } catch (err) {
 *   if (!(err instanceof socket.OSError && err.errno === 94)) throw err;
 * }
 * rmSync(path, { force: true }); // the server leaves its path, as CPython's does
 * ```
 */
export class UnixDatagramServer extends UDPServer<string> {
  /** The socket's family. @default {AF_UNIX} */
  static override address_family: number = AF_UNIX;
}

// Python's names (`type(x).__name__`, its repr's), whatever a bundler
// names the class.
pyNames({ UnixStreamServer, UnixDatagramServer }, "socketserver");
