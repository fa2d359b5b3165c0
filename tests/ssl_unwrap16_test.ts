// Copyright the pysocket authors. MIT license.
// unwrap() sends its close_notify after every byte send() took, as
// CPython's SSL_shutdown() comes after what SSL_write() wrote: the bytes
// still queued in pysocket's writer went after the close_notify, and the
// CPython peer, at the end of TLS, lost them (found by the second
// reviewer: 409,600 of 655,360 bytes arrived from Node and Bun).

import { assertEquals } from "@std/assert";
import { testCerts, testContexts, tlsTest } from "./_certs.ts";
import * as socket from "../mod.ts";
import { bounded, noPython, pythonServer } from "./_util.ts";

const noPy = await noPython();

/** A CPython TLS server that counts what it reads up to the end of TLS. */
const COUNTING_PEER = (cert: string, key: string) => `
import socket, ssl
ls = socket.socket(); ls.bind(("127.0.0.1", 0)); ls.listen()
print(ls.getsockname()[1], flush=True)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); ctx.load_cert_chain(${
  JSON.stringify(cert)
}, ${JSON.stringify(key)})
ls.settimeout(20)
c, _ = ls.accept(); c.settimeout(20)
s = ctx.wrap_socket(c, server_side=True)
total = 0
while True:
    d = s.recv(65536)
    if not d: break
    total += len(d)
s.unwrap()
print("got", total, flush=True)
`;

for (const size of [16384, 20000]) {
  tlsTest(
    `unwrap() after 40 send()s of ${size} bytes: a CPython peer reads every byte, then the end of TLS`,
    async () => {
      const certs = await testCerts();
      const [clientCtx] = await testContexts();
      const [peer, addr] = await pythonServer(
        COUNTING_PEER(certs.server, certs.serverKey),
      );
      await using _peer = peer;
      const raw = await socket.create_connection(addr, 10);
      const client = await clientCtx.wrap_socket(raw, {
        server_hostname: "localhost",
      });
      try {
        const chunk = new Uint8Array(size).fill(7);
        let sent = 0;
        for (let i = 0; i < 40; i++) sent += await client.send(chunk);
        assertEquals(sent, 40 * size);
        await bounded(client.unwrap(), 15_000, "unwrap()");
        const [, got] = await peer.waitFor("stdout", /^got (\d+)$/m);
        assertEquals(Number(got), sent);
      } finally {
        client.close();
      }
    },
    noPy,
  );
}
