// Copyright the pysocket authors. MIT license.
// Round 15, timeouts.
//
// A TLS socket's `shutdown(SHUT_WR)` ends the connection beneath for
// writing (its FIN) as soon as the `close_notify` is written, as CPython's
// `shutdown(2)` does. Linux's FIN also pushes out what Nagle held back (a
// small record sent right after the handshake, whose last flight is not yet
// acknowledged), so the peer has the bytes at once, not after its ~40 ms
// delayed ACK. Deno's `node:tls` never ended the stream under it: the FIN
// came only with `close()`, the bytes ~40 ms late (a non-blocking or 1 ms
// `recv()` 20 ms later raised where python3's returns them).
//
// `settimeout(-0)` and `setdefaulttimeout(-0)` store 0.0, as CPython's
// `gettimeout()` answers (not a negative zero).

import { assert, assertEquals } from "@std/assert";
import * as socket from "../mod.ts";
import { testContexts, tlsPair, tlsTest } from "./_certs.ts";
import {
  b,
  bounded,
  noPython,
  sleep,
  str,
  test,
  withPythonPeer,
} from "./_util.ts";

const NO_PYTHON = await noPython();

tlsTest(
  "a TLS peer's sendall(b'hello') then shutdown(SHUT_WR): a non-blocking or 1 ms recv() 20 ms later returns b'hello' (python3: 20 of 20)",
  async () => {
    const [clientCtx, serverCtx] = await testContexts();
    const missed: string[] = [];
    for (const timeout of [0, 0.001]) {
      for (let i = 0; i < 10; i++) {
        const { client, server } = await tlsPair(clientCtx, serverCtx);
        try {
          await server.sendall(b("hello"));
          await server.shutdown(socket.SHUT_WR);
          await sleep(20);
          client.settimeout(timeout);
          try {
            const got = str(await client.recv(100));
            if (got !== "hello") missed.push(`${timeout}: ${got}`);
          } catch (err) {
            missed.push(`${timeout}: ${(err as Error).name}`);
          }
        } finally {
          client.close();
          server.close();
        }
      }
    }
    assertEquals(missed, []);
  },
);

/**
 * A CPython TLS client for {@linkcode withPythonPeer}: reads the data and
 * the `close_notify`, unwraps, and tells whether the connection's end of
 * stream (the FIN) came within 2 s, while pysocket's socket is still open.
 */
const PY_UNWRAP_CLIENT = `import socket, ssl, sys
c = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
s = ctx.wrap_socket(c, server_hostname="localhost")
print(s.recv(100), s.recv(100), flush=True)
p = s.unwrap()
p.settimeout(2)
try:
    print("end", p.recv(100), flush=True)
except TimeoutError:
    print("no end", flush=True)
sys.stdin.readline()
`;

tlsTest(
  "TLS shutdown(SHUT_WR) ends the connection beneath for writing: python3's peer, unwrapped, reads b'' (the FIN) while the socket is open",
  async () => {
    await withPythonPeer(PY_UNWRAP_CLIENT, async (conn, peer) => {
      conn.settimeout(5);
      const [, serverCtx] = await testContexts();
      const tls = await serverCtx.wrap_socket(conn, { server_side: true });
      try {
        await tls.sendall(b("hello"));
        await tls.shutdown(socket.SHUT_WR);
        const [, line] = await bounded(
          peer.waitFor("stdout", /^(end .*|no end)$/m),
          8000,
          "the peer's recv() after unwrap()",
        );
        assertEquals(line, "end b''");
      } finally {
        tls.close();
      }
    });
  },
  NO_PYTHON,
);

test("settimeout(-0) and setdefaulttimeout(-0) keep 0.0, not -0 (python3: 0.0)", () => {
  const s = socket.socket();
  try {
    s.settimeout(-0);
    assert(Object.is(s.gettimeout(), 0), "gettimeout() is -0");
  } finally {
    s.close();
  }
  socket.setdefaulttimeout(-0);
  try {
    assert(Object.is(socket.getdefaulttimeout(), 0), "getdefaulttimeout()");
    const t = socket.socket();
    try {
      assert(Object.is(t.gettimeout(), 0), "a new socket's gettimeout()");
    } finally {
      t.close();
    }
  } finally {
    socket.setdefaulttimeout(null);
  }
});
