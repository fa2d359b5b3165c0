// Copyright the pysocket authors. MIT license.
/**
 * The UDP server of Python's `socketserver` documentation
 * ("socketserver.UDPServer Example"), ported line by line: each datagram,
 * stripped, is printed and sent back upper-cased.
 *
 * ```sh
 * deno run --allow-net=localhost:9999,127.0.0.1 examples/socketserver_udp_server.ts
 * deno run --allow-net=localhost,127.0.0.1 examples/socketserver_udp_client.ts hello world   # in another terminal
 * ```
 *
 * `--port P` serves on another port than the documentation's 9999 (`0`:
 * any free one). Once bound it prints `serving on ('127.0.0.1', 9999)` on
 * stderr. Ctrl-C stops it. UDP needs Deno's `--unstable-net` (this
 * repository's `deno.json` turns it on).
 *
 * The Python:
 *
 * ```python
 * import socketserver
 *
 * class MyUDPHandler(socketserver.BaseRequestHandler):
 *     """
 *     This class works similar to the TCP handler class, except that
 *     self.request consists of a pair of data and client socket, and since
 *     there is no connection the client address must be given explicitly
 *     when sending data back via sendto().
 *     """
 *
 *     def handle(self):
 *         data = self.request[0].strip()
 *         socket = self.request[1]
 *         print("{} wrote:".format(self.client_address[0]))
 *         print(data)
 *         socket.sendto(data.upper(), self.client_address)
 *
 * if __name__ == "__main__":
 *     HOST, PORT = "localhost", 9999
 *     with socketserver.UDPServer((HOST, PORT), MyUDPHandler) as server:
 *         server.serve_forever()
 * ```
 *
 * @module
 */

import * as socketserver from "@pysocket/socket/socketserver";
import { parseArgs } from "@std/cli/parse-args";
import { bytesRepr, strip, upper } from "./_bytes.ts";

const args = parseArgs(process.argv.slice(2), { string: ["port"] });

class MyUDPHandler
  extends socketserver.BaseRequestHandler<socketserver.DatagramRequest> {
  // This class works similar to the TCP handler class, except that
  // this.request consists of a pair of data and client socket, and since
  // there is no connection the client address must be given explicitly
  // when sending data back via sendto().

  override async handle() {
    const data = strip(this.request[0]);
    const socket = this.request[1];
    console.log(`${this.client_address[0]} wrote:`);
    console.log(bytesRepr(data));
    await socket.sendto(upper(data), this.client_address);
  }
}

const [HOST, PORT] = ["localhost", Number(args.port ?? 9999)];
{
  await using server = new socketserver.UDPServer([HOST, PORT], MyUDPHandler);
  const [ip, port] = server.server_address;
  console.error(`serving on ('${ip}', ${port})`);
  await server.serve_forever();
}
