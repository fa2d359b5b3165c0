// Copyright the pysocket authors. MIT license.
/**
 * The TCP server of Python's `socketserver` documentation with its
 * alternative handler, a `StreamRequestHandler`, ported line by line: it
 * reads a line with `this.rfile.readline()`, prints it stripped, and writes
 * it back upper-cased with `this.wfile.write()`.
 *
 * ```sh
 * deno run --allow-net=localhost:9999 examples/socketserver_stream_server.ts
 * deno run --allow-net=localhost:9999 examples/socketserver_tcp_client.ts hello world   # in another terminal
 * ```
 *
 * `--port P` serves on another port than the documentation's 9999 (`0`:
 * any free one). Once bound it prints `serving on ('127.0.0.1', 9999)` on
 * stderr. Ctrl-C stops it.
 *
 * The Python:
 *
 * ```python
 * import socketserver
 *
 * class MyTCPHandler(socketserver.StreamRequestHandler):
 *
 *     def handle(self):
 *         # self.rfile is a file-like object created by the handler;
 *         # we can now use e.g. readline() instead of raw recv() calls
 *         self.data = self.rfile.readline().strip()
 *         print("{} wrote:".format(self.client_address[0]))
 *         print(self.data)
 *         # Likewise, self.wfile is a file-like object used to write back
 *         # to the client
 *         self.wfile.write(self.data.upper())
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

import * as socketserver from "@pysocket/socket/socketserver";
import { parseArgs } from "@std/cli/parse-args";
import { bytesRepr, strip, upper } from "./_bytes.ts";

const args = parseArgs(process.argv.slice(2), { string: ["port"] });

class MyTCPHandler extends socketserver.StreamRequestHandler {
  data: Uint8Array = new Uint8Array();

  override async handle() {
    // self.rfile is a file-like object created by the handler;
    // we can now use e.g. readline() instead of raw recv() calls
    this.data = strip(await this.rfile.readline());
    console.log(`${this.client_address[0]} wrote:`);
    console.log(bytesRepr(this.data));
    // Likewise, self.wfile is a file-like object used to write back
    // to the client
    await this.wfile.write(upper(this.data));
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
