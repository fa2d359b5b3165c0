// Copyright the pysocket authors. MIT license.
// Round 18 (modules composed). A non-blocking unwrap() whose peer (python3,
// another process) writes data before its own close_notify: on every
// runtime, Bun's included, the sequence is CPython's (SSLWantReadError, the
// late data, SSLZeroReturnError, then the plain stream). The README once
// said Bun's unwrapping side lost that data; it is a Bun peer that cannot
// write after our close_notify (tests/ssl_nonblocking_fidelity_test.ts).

import { assertEquals, assertInstanceOf } from "@std/assert";
import * as ssl from "../ssl.ts";
import { select } from "../select.ts";
import { testCerts, testContexts, tlsTest } from "./_certs.ts";
import { noPython, withPythonPeer } from "./_util.ts";

const NO_PYTHON = await noPython();
const td = new TextDecoder();

async function pyLateDataServer(): Promise<string> {
  const certs = await testCerts();
  return `import socket, ssl, sys, time
c = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(${JSON.stringify(certs.server)}, ${
    JSON.stringify(certs.serverKey)
  })
s = ctx.wrap_socket(c, server_side=True)
print("ready", flush=True)
assert s.recv(10) == b""          # our close_notify
s.sendall(b"late data"); time.sleep(0.3)
p = s.unwrap(); p.sendall(b"plain1")
print("done", flush=True)
time.sleep(2)
`;
}

tlsTest(
  "a non-blocking unwrap() whose peer (python3) sends data before its own close_notify: SSLWantReadError, the late data, SSLZeroReturnError, then the plain stream (as CPython, on Bun too)",
  async () => {
    await withPythonPeer(await pyLateDataServer(), async (conn, peer) => {
      conn.settimeout(5);
      const [clientCtx] = await testContexts();
      const mine = await clientCtx.wrap_socket(conn, {
        server_hostname: "localhost",
      });
      try {
        await peer.waitFor("stdout", /ready/);
        mine.setblocking(false);
        const events: string[] = [];
        try {
          await mine.unwrap();
          events.push("unwrap done at once");
        } catch (e) {
          assertInstanceOf(e, ssl.SSLWantReadError);
          events.push("unwrap want");
        }
        for (let i = 0; i < 10 && events.at(-1) !== "unwrap done"; i++) {
          await select([mine], [], [], 2);
          try {
            events.push(`recv ${td.decode(await mine.recv(100))}`);
          } catch (e) {
            if (e instanceof ssl.SSLWantReadError) continue;
            events.push(`recv ${(e as Error).constructor.name}`);
          }
          try {
            await mine.unwrap();
            events.push("unwrap done");
          } catch (e) {
            assertInstanceOf(e, ssl.SSLWantReadError);
            events.push("unwrap want");
          }
        }
        // python3 3.11.7 as the unwrapping side gives exactly this.
        assertEquals(events, [
          "unwrap want",
          "recv late data",
          "unwrap want",
          "recv SSLZeroReturnError",
          "unwrap done",
        ]);
        await peer.waitFor("stdout", /done/);
        await select([mine], [], [], 2);
        assertEquals(td.decode(await mine.recv(100)), "plain1");
      } finally {
        mine.close();
      }
    });
  },
  NO_PYTHON,
);
