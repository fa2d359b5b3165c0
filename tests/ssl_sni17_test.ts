// Copyright the pysocket authors. MIT license.
// ssl: the SNI a client sends for a server_hostname with a trailing dot.
// CPython 3.11 (OpenSSL 3.0) sends the name as given, "localhost." (its
// server's sni_callback sees 'localhost.'); pysocket on Node and Bun does
// too; on Deno (rustls via node:tls) the dot is dropped: the server sees
// "localhost" (README's ssl differences). Pinned here, so that a change of
// Deno's shows.

import { assertEquals } from "@std/assert";
import * as socket from "../mod.ts";
import * as ssl from "../ssl.ts";
import { noOpenssl, testCerts } from "./_certs.ts";
import { noPython, pythonServer, runtime, test } from "./_util.ts";

const skip = (await noPython()) || (await noOpenssl());

const SNI_SERVER = (cert: string, key: string) => `
import socket, ssl
ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
ctx.load_cert_chain(${JSON.stringify(cert)}, ${JSON.stringify(key)})
seen = []
ctx.sni_callback = lambda sock, name, c: seen.append(name)
l = socket.create_server(("127.0.0.1", 0))
print(l.getsockname()[1], flush=True)
t, _ = l.accept()
s = ctx.wrap_socket(t, server_side=True)
s.sendall(b"x")
s.recv(1)
print("sni=" + repr(seen[0] if seen else None), flush=True)
s.close()
`;

for (
  const [host, expected] of [
    ["localhost.", runtime === "deno" ? "'localhost'" : "'localhost.'"],
    ["LOCALHOST", "'LOCALHOST'"],
    ["127.0.0.1", "None"],
  ] as const
) {
  test(
    `the SNI for server_hostname ${host} is ${expected} (CPython's, but Deno's without a trailing dot)`,
    async () => {
      const certs = await testCerts();
      const [child, addr] = await pythonServer(
        SNI_SERVER(certs.server, certs.serverKey),
      );
      try {
        const ctx = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, {
          cafile: certs.ca,
        });
        ctx.check_hostname = false;
        const c = await ctx.wrap_socket(await socket.create_connection(addr), {
          server_hostname: host,
        });
        try {
          c.settimeout(10);
          assertEquals((await c.recv(1)).length, 1);
          await c.sendall(new Uint8Array([121]));
          const [, sni] = await child.waitFor("stdout", /^sni=(.*)$/m);
          assertEquals(sni, expected);
        } finally {
          c.close();
        }
      } finally {
        await child.kill();
      }
    },
    { ignore: skip },
  );
}
