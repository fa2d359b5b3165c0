// Copyright the pysocket authors. MIT license.
/**
 * An HTTPS GET with `ssl`, ported line by line from the Python below (the
 * `ssl` documentation's client example, as an HTTP/1.0 request): connect,
 * wrap with a default context, check the server, send the request, read
 * to the end.
 *
 * ```sh
 * # a local HTTPS server, e.g. openssl's (its page lists the session):
 * openssl s_server -accept 8443 -cert server.pem -key server.key -www
 * deno run --allow-net=localhost:8443 --allow-read=ca.pem examples/https_get.ts localhost 8443 ca.pem
 * # Node and Bun, through the test harness's resolver (see the README):
 * node --import ./tests/_harness/node_hooks.ts examples/https_get.ts localhost 8443 ca.pem
 * ```
 *
 * Arguments: `HOST PORT [CAFILE]` (without `CAFILE`: the runtime's default
 * trust store). Prints the TLS version, the server's certificate subject,
 * then the response.
 *
 * The Python it ports:
 *
 * ```python
 * import socket, ssl, sys
 *
 * hostname, port = sys.argv[1], int(sys.argv[2])
 * cafile = sys.argv[3] if len(sys.argv) > 3 else None
 * context = ssl.create_default_context(cafile=cafile)
 *
 * with socket.create_connection((hostname, port)) as sock:
 *     with context.wrap_socket(sock, server_hostname=hostname) as ssock:
 *         print(ssock.version())
 *         print(dict(x[0] for x in ssock.getpeercert()["subject"]))
 *         request = f"GET / HTTP/1.0\r\nHost: {hostname}\r\n\r\n"
 *         ssock.sendall(request.encode())
 *         response = b""
 *         while chunk := ssock.recv(4096):
 *             response += chunk
 *         print(response.decode("latin-1"))
 * ```
 *
 * @module
 */

import * as socket from "@pysocket/socket";
import * as ssl from "@pysocket/socket/ssl";
import { repr } from "./_repr.ts";

// hostname, port = sys.argv[1], int(sys.argv[2])
const [hostname, portText, cafileArg] = process.argv.slice(2);
const port = Number(portText);
// cafile = sys.argv[3] if len(sys.argv) > 3 else None
const cafile = cafileArg ?? null;
// context = ssl.create_default_context(cafile=cafile)
const context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, {
  cafile,
});

// with socket.create_connection((hostname, port)) as sock:
await using sock = await socket.create_connection([hostname, port]);
// with context.wrap_socket(sock, server_hostname=hostname) as ssock:
await using ssock = await context.wrap_socket(sock, {
  server_hostname: hostname,
});
// print(ssock.version())
console.log(ssock.version());
// print(dict(x[0] for x in ssock.getpeercert()["subject"]))
const cert = ssock.getpeercert(); // null without a certificate, {} unverified
if (cert?.subject === undefined) throw new ssl.SSLError("no cert");
console.log(repr(Object.fromEntries(cert.subject.map((rdn) => rdn[0]))));
// request = f"GET / HTTP/1.0\r\nHost: {hostname}\r\n\r\n"
const request = `GET / HTTP/1.0\r\nHost: ${hostname}\r\n\r\n`;
// ssock.sendall(request.encode())
await ssock.sendall(new TextEncoder().encode(request));
// response = b"" (latin-1 maps each byte to one character)
const latin1 = new TextDecoder("latin1");
let response = "";
// while chunk := ssock.recv(4096):
for (let chunk; (chunk = await ssock.recv(4096)).length > 0;) {
  // response += chunk
  response += latin1.decode(chunk, { stream: true });
}
// print(response.decode("latin-1"))
console.log(response);
