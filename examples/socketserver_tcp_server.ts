// Copyright the pysocket authors. MIT license.
/**
 * The TCP server of Python's `socketserver` documentation ("socketserver.
 * TCPServer Example"), ported line by line: each connection's first
 * `recv(1024)`, stripped, is printed and sent back upper-cased.
 *
 * ```sh
 * deno run --allow-net=localhost:9999 examples/socketserver_tcp_server.ts
 * deno run --allow-net=localhost:9999 examples/socketserver_tcp_client.ts hello world   # in another terminal
 * ```
 *
 `--port P` serves on another port than the documentation's 9999 (`0`:
 * any free one). Once bound it prints `serving on ('127.0.0.1', 9999)` on
 * stderr. Ctrl-C stops it. The documentation's alternative handler, a
 * `StreamRequestHandler`, is `examples/socketserver_stream_server.ts`.
 *
 * The Python:
 *
 * ```python
 * import socketserver
 *
 * class MyTCPHandler(socketserver.BaseRequestHandler):
 *     """
 *     The request handler class for our server.
 *
 *     It is instantiated once per connection to the server, and must
 *     override the handle() method to implement communication to the
 *     client.
 *     """
 *
 *     def handle(self):
 *         # self.request is the TCP socket connected to the client
 *         self.data = self.request.recv(1024).strip()
 *         print("{} wrote:".format(self.client_address[0]))
 *         print(self.data)
 *         # just send back the same data, but upper-cased
 *         self.request.sendall(self.data.upper())
 *
 * if __name__ == "__main__":
 *     HOST, PORT = "localhost", 9999
 *
 *     # Create the server, binding to localhost on port 9999
 *     with socketserver.TCPServer((HOST, PORT), MyTCPHandler) as server:
 *         # Activate the server; this will keep running until you
 *         # interrupt the program with Ctrl-C
 *         server.serve_forever()
 * ```
 *
 * @module
 */

import type * as socket from "@pysocket/socket";
import * as socketserver from "@pysocket/socket/socketserver";
import { parseArgs } from "@std/cli/parse-args";
import { bytesRepr, strip, upper } from "./_bytes.ts";

const args = parseArgs(process.argv.slice(2), {
  string: ["port"],
});

class MyTCPHandler extends socketserver.BaseRequestHandler<socket.Socket> {
  // The request handler class for our server.
  //
  // It is instantiated once per connection to the server, and must
  // override the handle() method to implement communication to the
  // client.
  data: Uint8Array = new Uint8Array();

  override async handle() {
    // self.request is the TCP socket connected to the client
    this.data = strip(await this.request.recv(1024));
    console.log(`${this.client_address[0]} wrote:`);
    console.log(bytesRepr(this.data));
    // just send back the same data, but upper-cased
    await this.request.sendall(upper(this.data));
  }
}

const [HOST, PORT] = ["localhost", Number(args.port ?? 9999)];

// Create the server, binding to localhost on port 9999
{
  await using server = new socketserver.TCPServer([HOST, PORT], MyTCPHandler);
  const [ip, port] = server.server_address;
  console.error(`serving on ('${ip}', ${port})`);
  // Activate the server; this will keep running until you
  // interrupt the program with Ctrl-C
  await server.serve_forever();
}
