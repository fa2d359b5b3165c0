// Copyright the pysocket authors. MIT license.
/**
 * The client of Python's `socketserver` UDP example, ported line by line:
 * sends its arguments, joined by spaces, as one datagram, and prints the
 * answer.
 *
 * ```sh
 * deno run --allow-net=localhost,127.0.0.1 examples/socketserver_udp_client.ts hello world
 * ```
 *
 * `--port P` talks to another port than the documentation's 9999. (The
 * first `sendto()` binds the socket to an ephemeral port, as the OS does:
 * on `0.0.0.0` where Deno grants it, else on `127.0.0.1`, the address it
 * sends to.) It prints, as the Python does:
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
 * # SOCK_DGRAM is the socket type to use for UDP sockets
 * sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
 *
 * # As you can see, there is no connect() call; UDP has no connections.
 * # Instead, data is directly sent to the recipient via sendto().
 * sock.sendto(bytes(data + "\n", "utf-8"), (HOST, PORT))
 * received = str(sock.recv(1024), "utf-8")
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

// SOCK_DGRAM is the socket type to use for UDP sockets
const sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);

// As you can see, there is no connect() call; UDP has no connections.
// Instead, data is directly sent to the recipient via sendto().
await sock.sendto(new TextEncoder().encode(data + "\n"), [HOST, PORT]);
const received = new TextDecoder("utf-8", { fatal: true }).decode(
  await sock.recv(1024),
);

console.log(`Sent:     ${data}`);
console.log(`Received: ${received}`);
// (Python closes it when the program ends; an open socket would keep this
// one running.)
sock.close();
