// Copyright the pysocket authors. MIT license.
/**
 * The client of Python's `socketserver` TCP example, ported line by line:
 * sends its arguments, joined by spaces, as one line, and prints what the
 * server sends back.
 *
 * ```sh
 * deno run --allow-net=localhost:9999 examples/socketserver_tcp_client.ts hello world
 * ```
 *
 * `--port P` talks to another port than the documentation's 9999. It
 * prints, as the Python does:
 *
 * ```text
 * Sent:     hello world
 * Received: HELLO WORLD
 * ```
 *
 * The Python:
 *
 * ```python
 * import socket
 * import sys
 *
 * HOST, PORT = "localhost", 9999
 * data = " ".join(sys.argv[1:])
 *
 * # Create a socket (SOCK_STREAM means a TCP socket)
 * with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
 *     # Connect to server and send data
 *     sock.connect((HOST, PORT))
 *     sock.sendall(bytes(data + "\n", "utf-8"))
 *
 *     # Receive data from the server and shut down
 *     received = str(sock.recv(1024), "utf-8")
 *
 * print("Sent:     {}".format(data))
 * print("Received: {}".format(received))
 * ```
 *
 * @module
 */

import * as socket from "@pysocket/socket";
import { parseArgs } from "@std/cli/parse-args";

const args = parseArgs(process.argv.slice(2), { string: ["port"] });

const [HOST, PORT] = ["localhost", Number(args.port ?? 9999)];
const data = args._.map(String).join(" ");

let received: string;
// Create a socket (SOCK_STREAM means a TCP socket)
{
  using sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM);
  // Connect to server and send data
  await sock.connect([HOST, PORT]);
  await sock.sendall(new TextEncoder().encode(data + "\n"));

  // Receive data from the server and shut down
  received = new TextDecoder("utf-8", { fatal: true }).decode(
    await sock.recv(1024),
  );
}

console.log(`Sent:     ${data}`);
console.log(`Received: ${received}`);
