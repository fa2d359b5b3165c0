// Copyright the pysocket authors. MIT license.
/**
 * The ready-made threading servers: `ThreadingTCPServer`,
 * `ThreadingUDPServer`, `ThreadingUnixStreamServer`,
 * `ThreadingUnixDatagramServer`.
 *
 * @module
 */

import { TCPServer } from "./tcp_server.ts";
import { UDPServer } from "./udp_server.ts";
import { UnixDatagramServer, UnixStreamServer } from "./unix_server.ts";
import {
  type ServerClass,
  ThreadingMixIn,
  type ThreadingMixInClass,
} from "./threading_mixin.ts";
import { pyNames } from "../_py/repr.ts";

/** `ThreadingMixIn(Base)`, named as Python names the class. */
function threading<B extends ServerClass>(
  Base: B,
  name: string,
): ThreadingMixInClass<B> {
  const cls = ThreadingMixIn(Base);
  pyNames({ [name]: cls }, "socketserver");
  return cls;
}

/**
 * Python's `socketserver.ThreadingTCPServer`: a {@linkcode TCPServer} that
 * serves each connection in a task of its own
 * (`ThreadingMixIn(TCPServer)`).
 *
 * @example
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import * as socketserver from "@pysocket/socket/socketserver";
 * import { assertEquals } from "@std/assert";
 *
 * class Echo extends socketserver.StreamRequestHandler {
 *   override async handle() {
 *     for await (const line of this.rfile) await this.wfile.write(line);
 *   }
 * }
 * await using server = new socketserver.ThreadingTCPServer(["127.0.0.1", 0], Echo);
 * const done = server.serve_forever(0.5);
 * using client = await socket.create_connection(server.server_address);
 * await client.sendall(new TextEncoder().encode("ping\n"));
 * assertEquals(new TextDecoder().decode(await client.recv(100)), "ping\n");
 * await server.shutdown();
 * await done;
 * ```
 */
export const ThreadingTCPServer: ThreadingMixInClass<typeof TCPServer> =
  threading(
    TCPServer,
    "ThreadingTCPServer",
  );

/** An instance of {@linkcode ThreadingTCPServer}. */
export type ThreadingTCPServer = InstanceType<typeof ThreadingTCPServer>;

/**
 * Python's `socketserver.ThreadingUDPServer`: a {@linkcode UDPServer}
 * that serves each datagram in a task of its own.
 *
 * @example
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import * as socketserver from "@pysocket/socket/socketserver";
 * import { assertEquals } from "@std/assert";
 *
 * class Echo extends socketserver.DatagramRequestHandler {
 *   override handle() {
 *     this.wfile.write(this.rfile.read());
 *   }
 * }
 * await using server = new socketserver.ThreadingUDPServer(["127.0.0.1", 0], Echo);
 * using sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
 * await sock.sendto(new TextEncoder().encode("ping"), server.server_address);
 * await server.handle_request();
 * assertEquals(new TextDecoder().decode(await sock.recv(100)), "ping");
 * ```
 */
export const ThreadingUDPServer: ThreadingMixInClass<typeof UDPServer> =
  threading(
    UDPServer,
    "ThreadingUDPServer",
  );

/** An instance of {@linkcode ThreadingUDPServer}. */
export type ThreadingUDPServer = InstanceType<typeof ThreadingUDPServer>;

/**
 * Python's `socketserver.ThreadingUnixStreamServer`: a
 * {@linkcode UnixStreamServer} that serves each connection in a task of
 * its own.
 *
 * @example
 * ```ts
 * import * as socketserver from "@pysocket/socket/socketserver";
 *
 * const path = `/tmp/pysocket-doc-${crypto.randomUUID()}.sock`;
 * await using server = new socketserver.ThreadingUnixStreamServer(path, socketserver.StreamRequestHandler);
 * console.log(server.server_address === path); // true
 * ```
 */
export const ThreadingUnixStreamServer: ThreadingMixInClass<
  typeof UnixStreamServer
> = threading(
  UnixStreamServer,
  "ThreadingUnixStreamServer",
);

/** An instance of {@linkcode ThreadingUnixStreamServer}. */
export type ThreadingUnixStreamServer = InstanceType<
  typeof ThreadingUnixStreamServer
>;

/**
 * Python's `socketserver.ThreadingUnixDatagramServer`: a
 * {@linkcode UnixDatagramServer} that serves each datagram in a task of
 * its own; only where the runtime has Unix datagram sockets (else its
 * constructor raises `[Errno 94] Socket type not supported`). One at a
 * time: the loop waits for a request to be served before it takes the
 * next, as Deno's Unix datagram socket refuses the handler's answer while
 * the loop's receive waits on it.
 *
 * @example
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import * as socketserver from "@pysocket/socket/socketserver";
 * import { rmSync } from "node:fs";
 *
 * const path = `/tmp/pysocket-doc-${crypto.randomUUID()}.sock`;
 * try {
 *   await using server = new socketserver.ThreadingUnixDatagramServer(path, socketserver.DatagramRequestHandler);
 *   console.log(server.server_address === path); // true
 * } catch (err) {
 *   if (!(err instanceof socket.OSError && err.errno === 94)) throw err;
 * }
 * rmSync(path, { force: true }); // the server leaves its path, as CPython's does
 * ```
 */
export const ThreadingUnixDatagramServer: ThreadingMixInClass<
  typeof UnixDatagramServer
> = threading(
  UnixDatagramServer,
  "ThreadingUnixDatagramServer",
);

/** An instance of {@linkcode ThreadingUnixDatagramServer}. */
export type ThreadingUnixDatagramServer = InstanceType<
  typeof ThreadingUnixDatagramServer
>;
