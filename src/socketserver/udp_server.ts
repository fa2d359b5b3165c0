// Copyright the pysocket authors. MIT license.
/**
 * `socketserver.UDPServer`: a server on a datagram socket.
 *
 * @module
 */

import type { IPv4Address, IPv6Address } from "../socket/address.ts";
import { SOCK_DGRAM } from "../socket/constants.ts";
import type { Socket } from "../socket/socket.ts";
import { TCPServer } from "./tcp_server.ts";
import { getAttr, setAttr } from "./_class_attr.ts";
import { pyNames } from "../_py/repr.ts";

/**
 * A datagram server's request, as Python's `(data, socket)`: the datagram
 * and the server's socket, to answer with `sendto(…, client_address)`.
 *
 * @example A datagram server's request: the bytes and the socket to answer on
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import * as socketserver from "@pysocket/socket/socketserver";
 * import { assertEquals } from "@std/assert";
 *
 * class Echo extends socketserver.BaseRequestHandler<socketserver.DatagramRequest> {
 *   override async handle() {
 *     const [data, sock] = this.request;
 *     await sock.sendto(data, this.client_address);
 *   }
 * }
 * await using server = new socketserver.UDPServer(["127.0.0.1", 0], Echo);
 * using client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
 * await client.sendto(new Uint8Array([7]), server.server_address);
 * await server.handle_request();
 * assertEquals(await client.recv(10), new Uint8Array([7]));
 * ```
 */
export type DatagramRequest = [data: Uint8Array<ArrayBuffer>, socket: Socket];

/**
 * Python's `socketserver.UDPServer`: each datagram is a request,
 * `[data, socket]`, received with `recvfrom(max_packet_size)` (a longer
 * datagram is cut to that size). No `listen()`, and nothing to close per
 * request. A subclass of {@linkcode TCPServer}, as in Python.
 *
 * @typeParam A The address type: `[host, port]` for `AF_INET`, the
 * default; `[host, port, flowinfo, scope_id]` for a subclass on
 * `AF_INET6`; a path for Unix servers.
 *
 * @example The upper-casing UDP server of Python's documentation, one datagram
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import * as socketserver from "@pysocket/socket/socketserver";
 * import { assertEquals } from "@std/assert";
 *
 * class MyUDPHandler extends socketserver.BaseRequestHandler<socketserver.DatagramRequest> {
 *   override async handle() {
 *     const [data, sock] = this.request;
 *     const upper = new TextDecoder().decode(data).trim().toUpperCase();
 *     await sock.sendto(new TextEncoder().encode(upper), this.client_address);
 *   }
 * }
 * await using server = new socketserver.UDPServer(["127.0.0.1", 0], MyUDPHandler);
 * using sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
 * await sock.sendto(new TextEncoder().encode("hello\n"), server.server_address);
 * await server.handle_request();
 * assertEquals(new TextDecoder().decode(await sock.recv(1024)), "HELLO");
 * ```
 */
export class UDPServer<
  A extends IPv4Address | IPv6Address | string = IPv4Address,
> extends TCPServer<DatagramRequest, A> {
  /**
   * Set `SO_REUSEADDR` before binding: judged by its truth value.
   * @default {false}
   */
  static override allow_reuse_address: boolean | number = false;
  /**
   * Set `SO_REUSEPORT` before binding: judged by its truth value.
   * @default {false}
   */
  static override allow_reuse_port: boolean | number = false;
  /** The socket's type. @default {SOCK_DGRAM} */
  static override socket_type: number = SOCK_DGRAM;
  /** The largest datagram read whole. @default {8192} */
  static max_packet_size: number = 8192;

  /**
   * The size `get_request()` reads datagrams with: the instance's own,
   * else the class's.
   *
   * @returns The size in bytes.
   */
  get max_packet_size(): number {
    return getAttr(this, "max_packet_size");
  }

  /** Sets this server's own `max_packet_size`. */
  set max_packet_size(value: number) {
    setAttr(this, "max_packet_size", value);
  }

  /**
   * Receives a datagram.
   *
   * @returns `[[data, socket], client_address]`.
   */
  override async get_request(): Promise<[DatagramRequest, A]> {
    // Any family's socket: the sender is an `A`, checked at run time.
    const sock: Socket = this.socket;
    const [data, client_addr] = await sock.recvfrom(this.max_packet_size);
    return [[data, sock], client_addr as A];
  }

  /** Nothing to activate: datagram sockets do not listen. */
  override server_activate(): void {}

  /**
   * Nothing to shut down: `close_request()`.
   *
   * @param request The request.
   * @returns What `close_request()` returns.
   */
  override shutdown_request(request: DatagramRequest): void | Promise<void> {
    return this.close_request(request);
  }

  /**
   * Nothing to close (the socket is the server's).
   *
   * @param _request The request.
   */
  override close_request(_request: DatagramRequest): void | Promise<void> {}
}

// Python's names (`type(x).__name__`, its repr's), whatever a bundler
// names the class.
pyNames({ UDPServer }, "socketserver");
