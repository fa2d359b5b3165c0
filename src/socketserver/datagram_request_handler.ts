// Copyright the pysocket authors. MIT license.
/**
 * `socketserver.DatagramRequestHandler`: a handler with `rfile` and
 * `wfile` over one datagram.
 *
 * @module
 */

import { Socket } from "../socket/socket.ts";
import type { BaseServer } from "./base_server.ts";
import { BaseRequestHandler } from "./base_request_handler.ts";
import { BytesIO } from "./bytes_io.ts";
import type { DatagramRequest } from "./udp_server.ts";
import { pyTypeName, unpack } from "../socket/_pyvalue.ts";
import { TypeError } from "../socket/errors.ts";
import { pyNames } from "../_py/repr.ts";

/**
 * Python's `socketserver.DatagramRequestHandler`: `setup()` makes
 * `this.rfile`, a {@linkcode BytesIO} holding the datagram
 * (`this.packet`), and an empty `this.wfile`; `finish()` sends what was
 * written to `wfile` back to the client, as one datagram, with the
 * server's socket (`this.socket`).
 *
 * @typeParam Server The server's type, for `this.server`.
 *
 * @example An upper-casing UDP echo
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import * as socketserver from "@pysocket/socket/socketserver";
 * import { assertEquals } from "@std/assert";
 *
 * class Upper extends socketserver.DatagramRequestHandler {
 *   override handle() {
 *     const text = new TextDecoder().decode(this.rfile.readline());
 *     this.wfile.write(new TextEncoder().encode(text.toUpperCase()));
 *   }
 * }
 * await using server = new socketserver.UDPServer(["127.0.0.1", 0], Upper);
 * using sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
 * await sock.sendto(new TextEncoder().encode("hello\n"), server.server_address);
 * await server.handle_request();
 * assertEquals(new TextDecoder().decode(await sock.recv(100)), "HELLO\n");
 * ```
 */
export class DatagramRequestHandler<
  Server = BaseServer,
> extends BaseRequestHandler<DatagramRequest, Server> {
  /** The datagram, once `setup()` has run. */
  packet!: Uint8Array<ArrayBuffer>;
  /** The server's socket, which the answer is sent with. */
  socket!: Socket;
  /** The datagram, to read. */
  rfile!: BytesIO;
  /** The answer, sent by `finish()`. */
  wfile!: BytesIO;

  /** Makes `rfile` over the datagram and an empty `wfile`. */
  override setup(): void | Promise<void> {
    if (this.request instanceof Socket) {
      // A stream server's request.
      throw new TypeError(
        `cannot unpack non-iterable ${pyTypeName(this.request)} object`,
      );
    }
    [this.packet, this.socket] = unpack(this.request, 2) as DatagramRequest;
    this.rfile = new BytesIO(this.packet);
    this.wfile = new BytesIO();
  }

  /**
   * Sends `wfile`'s contents to the client, as one datagram.
   *
   * @returns A promise that settles once it is sent.
   */
  override finish(): void | Promise<void> {
    return this.socket.sendto(this.wfile.getvalue(), this.client_address)
      .then(() => {});
  }
}

// Python's names (`type(x).__name__`, its repr's), whatever a bundler
// names the class.
pyNames({ DatagramRequestHandler }, "socketserver");
