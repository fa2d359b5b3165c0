// Copyright the pysocket authors. MIT license.
/**
 * Python's `socketserver` module for pysocket's sockets: servers that
 * accept connections (`TCPServer`, `UnixStreamServer`) or receive
 * datagrams (`UDPServer`, `UnixDatagramServer`) and hand each request to a
 * handler class, with Python's classes, hooks, attributes and order of
 * calls, and `await` where Python blocks.
 *
 * Handlers are subclasses whose `setup()`, `handle()` and `finish()` may be
 * `async`. JS has no threads: `ThreadingMixIn` (and the ready-made
 * `ThreadingTCPServer`, …) serves each request as a task of its own, so a
 * slow client never holds up the others. `ForkingMixIn` is left out, as no
 * runtime here forks a process with its sockets.
 *
 * @example A line echo, each connection in its own task
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
 * const done = server.serve_forever(0.5); // resolves after shutdown()
 *
 * using client = await socket.create_connection(server.server_address);
 * await client.sendall(new TextEncoder().encode("hello\n"));
 * assertEquals(new TextDecoder().decode(await client.recv(100)), "hello\n");
 *
 * await server.shutdown();
 * await done;
 * ```
 *
 * @module
 */

export {
  BaseServer,
  type HandlerInstance,
  type RequestHandlerClass,
} from "./src/socketserver/base_server.ts";
export { TCPServer } from "./src/socketserver/tcp_server.ts";
export {
  type DatagramRequest,
  UDPServer,
} from "./src/socketserver/udp_server.ts";
export {
  UnixDatagramServer,
  UnixStreamServer,
} from "./src/socketserver/unix_server.ts";
export {
  type ServerClass,
  type ServerHooks,
  ThreadingMixIn,
  type ThreadingMixInClass,
} from "./src/socketserver/threading_mixin.ts";
export {
  ThreadingTCPServer,
  ThreadingUDPServer,
  ThreadingUnixDatagramServer,
  ThreadingUnixStreamServer,
} from "./src/socketserver/threading_servers.ts";
export { BaseRequestHandler } from "./src/socketserver/base_request_handler.ts";
export {
  StreamRequestHandler,
  type WritableFile,
} from "./src/socketserver/stream_request_handler.ts";
export { DatagramRequestHandler } from "./src/socketserver/datagram_request_handler.ts";
export { BytesIO } from "./src/socketserver/bytes_io.ts";
