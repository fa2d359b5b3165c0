// Copyright the pysocket authors. MIT license.
/**
 * A TLS echo server with `ssl`, ported line by line from the Python below:
 * a default server context with a certificate chain, a listening socket
 * wrapped server side, and each accepted `SSLSocket` (its handshake done
 * in `accept()`) echoed back until the client closes.
 *
 * ```sh
 * deno run --allow-net=127.0.0.1:8443 --allow-read=server.pem,server.key examples/tls_echo_server.ts server.pem server.key 8443
 * openssl s_client -connect localhost:8443 -CAfile ca.pem   # type; it echoes
 * ```
 *
 * Arguments: `CERTFILE KEYFILE [PORT] [COUNT]` (port 0, the default, picks
 * a free one; `COUNT` clients are served, then it exits: default forever).
 * Prints `listening on PORT` first, then one line per client.
 *
 * On Bun, a client that sends its last line together with its
 * `close_notify` (`echo hi | openssl s_client …`) ends this server with
 * `SSLZeroReturnError` from `sendall()`: Bun's TLS closes both ways at the
 * peer's `close_notify`, where CPython's can still answer (README, ssl).
 *
 * The Python it ports:
 *
 * ```python
 * import socket, ssl, sys
 *
 * certfile, keyfile = sys.argv[1], sys.argv[2]
 * port = int(sys.argv[3]) if len(sys.argv) > 3 else 0
 * count = int(sys.argv[4]) if len(sys.argv) > 4 else -1
 * context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
 * context.load_cert_chain(certfile, keyfile)
 *
 * with socket.create_server(("127.0.0.1", port)) as sock:
 *     print("listening on", sock.getsockname()[1], flush=True)
 *     with context.wrap_socket(sock, server_side=True) as ssock:
 *         while count != 0:
 *             count -= 1
 *             conn, addr = ssock.accept()
 *             with conn:
 *                 print(addr, conn.version(), flush=True)
 *                 while data := conn.recv(1024):
 *                     conn.sendall(data)
 * ```
 *
 * @module
 */

import * as socket from "@pysocket/socket";
import * as ssl from "@pysocket/socket/ssl";

// certfile, keyfile = sys.argv[1], sys.argv[2]
const [certfile, keyfile, portArg, countArg] = process.argv.slice(2);
// port = int(sys.argv[3]) if len(sys.argv) > 3 else 0
const port = portArg === undefined ? 0 : Number(portArg);
// count = int(sys.argv[4]) if len(sys.argv) > 4 else -1
let count = countArg === undefined ? -1 : Number(countArg);
// context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
const context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH);
// context.load_cert_chain(certfile, keyfile)
context.load_cert_chain(certfile, keyfile);

// with socket.create_server(("127.0.0.1", port)) as sock:
await using sock = socket.create_server(["127.0.0.1", port]);
// print("listening on", sock.getsockname()[1], flush=True)
console.log("listening on", sock.getsockname()[1]);
// with context.wrap_socket(sock, server_side=True) as ssock:
await using ssock = await context.wrap_socket(sock, { server_side: true });
// while count != 0:
while (count !== 0) {
  // count -= 1
  count -= 1;
  // conn, addr = ssock.accept()
  const [conn, addr] = await ssock.accept();
  // with conn:
  await using _conn = conn;
  // print(addr, conn.version(), flush=True)
  const [host, peerPort] = addr;
  console.log(`('${host}', ${peerPort})`, conn.version());
  // while data := conn.recv(1024):
  for (let data; (data = await conn.recv(1024)).length > 0;) {
    // conn.sendall(data)
    await conn.sendall(data);
  }
}
