// Copyright the pysocket authors. MIT license.
// SSLSocket's state machine against CPython 3.11's (python3 3.11 run on
// the same steps gave the values expected here):
// - `ss.context = ctx` before the handshake is OpenSSL's SSL_set_SSL_CTX():
//   the session takes the new context's certificate, trust store and (on a
//   server) ALPN protocols, and keeps its own verify_mode, host name check
//   and a client's ALPN list: a CERT_NONE context does not turn
//   verification off (pysocket's took all of the new context's settings).
// - `getpeercert()` asks the context's verify_mode as it is now.
// - `do_handshake()` after TLS failed (a read met a bare end of stream)
//   raises SSLEOFError each time (pysocket's returned).
// - A timed send after the peer's close_notify, then `recv()`: `b''` (Bun's
//   TLS failed the write, whose error the receive raised).
// - `shutdown(SHUT_RD)` and `shutdown(SHUT_RDWR)` drop TLS, as CPython's.
// - `unwrap()` after `detach()`: `Underlying socket connection gone`, and
//   nothing shut (pysocket's left writes failing with PROTOCOL_IS_SHUTDOWN).

import { assert, assertEquals, assertInstanceOf } from "@std/assert";
import * as socket from "../mod.ts";
import * as ssl from "../ssl.ts";
import { testCerts, testContexts, tlsPair, tlsTest } from "./_certs.ts";
import {
  b,
  bounded,
  errorOf,
  noPython,
  plainPair,
  sleep,
  str,
  withPythonPeer,
} from "./_util.ts";

const NO_PYTHON = await noPython();

const EOF_HANDSHAKE = "EOF occurred in violation of protocol (_ssl.c:1006)";

/** `err`, which must be a `cls`. */
function must<T extends Error>(
  err: unknown,
  // deno-lint-ignore no-explicit-any
  cls: new (...args: any[]) => T,
  what?: string,
): T {
  assertInstanceOf(err, cls, what);
  return err as T;
}

/** A client context that checks nothing and trusts nothing. */
function laxContext(): ssl.SSLContext {
  const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
  ctx.check_hostname = false;
  ctx.verify_mode = ssl.CERT_NONE;
  return ctx;
}

/** A client context that trusts the test CA (and checks host names). */
async function strictContext(): Promise<ssl.SSLContext> {
  const certs = await testCerts();
  return ssl.create_default_context(ssl.Purpose.SERVER_AUTH, {
    cafile: certs.ca,
  });
}

/** A server context with the test certificate. */
async function serverContext(): Promise<ssl.SSLContext> {
  const [, server] = await testContexts();
  return server;
}

/**
 * A loopback pair whose client is wrapped by `client` with
 * `do_handshake_on_connect: false` (naming `hostname`) and given `swap`
 * as its context, then does its handshake, while the server (`server`,
 * handshake at wrap time) does its own. Resolves to the client's
 * handshake outcome (`null`: done) and the server's socket or error.
 */
async function clientSwap(
  client: ssl.SSLContext,
  swap: ssl.SSLContext,
  server: ssl.SSLContext,
  hostname = "localhost",
): Promise<{
  error: Error | null;
  client: ssl.SSLSocket;
  server: ssl.SSLSocket | null;
}> {
  const [a, c] = await plainPair();
  a.settimeout(5);
  c.settimeout(5);
  const serving = server.wrap_socket(c, { server_side: true });
  serving.catch(() => {});
  const ss = await client.wrap_socket(a, {
    server_hostname: hostname,
    do_handshake_on_connect: false,
  });
  ss.context = swap;
  assert(ss.context === swap);
  const error = await errorOf(() => ss.do_handshake());
  let srv: ssl.SSLSocket | null = null;
  try {
    srv = await bounded(serving, 5000, "server handshake");
  } catch {
    c.close();
  }
  return { error, client: ss, server: srv };
}

tlsTest(
  "SSLSocket.context set before the handshake: a CERT_NONE context keeps the session's CERT_REQUIRED, with the new context's (empty) trust store",
  async () => {
    const r = await clientSwap(
      await strictContext(),
      laxContext(),
      await serverContext(),
    );
    try {
      const err = must(r.error, ssl.SSLCertVerificationError);
      assertEquals(
        err.message,
        "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate (_ssl.c:1006)",
      );
      assertEquals(err.verify_code, 20);
    } finally {
      r.client.close();
      r.server?.close();
    }
  },
);

tlsTest(
  "SSLSocket.context set before the handshake: the session keeps its host name check (a context without check_hostname does not end it)",
  async () => {
    const noHostCheck = await strictContext();
    noHostCheck.check_hostname = false;
    const r = await clientSwap(
      await strictContext(),
      noHostCheck,
      await serverContext(),
      "wrong.example",
    );
    try {
      assertEquals(
        must(r.error, ssl.SSLCertVerificationError).message,
        "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: Hostname mismatch, certificate is not valid for 'wrong.example'. (_ssl.c:1006)",
      );
    } finally {
      r.client.close();
      r.server?.close();
    }
  },
);

tlsTest(
  "SSLSocket.context set before the handshake: the new context's trust store counts, and a lax session stays lax (getpeercert() asks the new context)",
  async () => {
    // CERT_REQUIRED with the system's CAs only, then a context with the
    // test CA: the handshake verifies against the new store.
    const system = ssl.create_default_context();
    const r = await clientSwap(
      system,
      await strictContext(),
      await serverContext(),
    );
    try {
      assertEquals(r.error, null);
      assertEquals(r.client.version(), "TLSv1.3");
    } finally {
      r.client.close();
      r.server?.close();
    }
    // CERT_NONE, then a strict context: no verification (the session's
    // mode), and getpeercert() is the dict (the context's mode).
    const lax = await clientSwap(
      laxContext(),
      await strictContext(),
      await serverContext(),
      "wrong.example",
    );
    try {
      assertEquals(lax.error, null);
      const cert = lax.client.getpeercert();
      assert(cert !== null && "subject" in cert, JSON.stringify(cert));
    } finally {
      lax.client.close();
      lax.server?.close();
    }
  },
);

tlsTest(
  "SSLSocket.context set before the handshake: a client keeps its own ALPN protocols",
  async () => {
    const server = await serverContext();
    server.set_alpn_protocols(["h2", "http/1.1"]);
    const first = await strictContext();
    first.set_alpn_protocols(["h2"]);
    const second = await strictContext();
    second.set_alpn_protocols(["http/1.1"]);
    const r = await clientSwap(first, second, server);
    try {
      assertEquals(r.error, null);
      assertEquals(r.client.selected_alpn_protocol(), "h2");
      assertEquals(r.server?.selected_alpn_protocol(), "h2");
    } finally {
      r.client.close();
      r.server?.close();
    }
  },
);

tlsTest(
  "SSLSocket.context set before a server's handshake: the new context's ALPN protocols, the session's own verify_mode",
  async () => {
    const certs = await testCerts();
    const first = await serverContext();
    first.set_alpn_protocols(["h2"]);
    const second = await serverContext();
    second.set_alpn_protocols(["http/1.1"]);
    // The new context asks for a client certificate: the session does not.
    second.verify_mode = ssl.CERT_REQUIRED;
    second.load_verify_locations(certs.ca);
    const client = await strictContext();
    client.set_alpn_protocols(["h2", "http/1.1"]);
    const [a, c] = await plainPair();
    a.settimeout(5);
    c.settimeout(5);
    const srv = await first.wrap_socket(c, {
      server_side: true,
      do_handshake_on_connect: false,
    });
    srv.context = second;
    const serving = srv.do_handshake();
    serving.catch(() => {});
    let cli: ssl.SSLSocket | null = null;
    try {
      cli = await client.wrap_socket(a, { server_hostname: "localhost" });
      await bounded(serving, 5000, "server handshake");
      assertEquals(srv.selected_alpn_protocol(), "http/1.1");
      assertEquals(cli.selected_alpn_protocol(), "http/1.1");
      // No client certificate was asked for (the session's CERT_NONE).
      assertEquals(srv.getpeercert(), null);
      await cli.sendall(b("ping"));
      assertEquals(str(await srv.recv(10)), "ping");
    } finally {
      cli?.close();
      a.close();
      srv.close();
    }
  },
);

tlsTest(
  "SSLSocket.context set on a socket not connected yet: AttributeError's text, and connect() makes the session of the new context",
  async () => {
    const [, server] = await testContexts();
    const listener = socket.socket();
    listener.bind(["127.0.0.1", 0]);
    listener.listen();
    listener.settimeout(5);
    const accepting = listener.accept().then(async ([conn]) => {
      try {
        const ss = await server.wrap_socket(conn, { server_side: true });
        // The client refuses the certificate (after the server's
        // handshake, or within it).
        await ss.recv(10).catch(() => {});
        ss.close();
      } catch {
        conn.close();
      }
    });
    const system = ssl.create_default_context();
    const ss = await laxContext().wrap_socket(socket.socket(), {
      server_hostname: "localhost",
    });
    try {
      const err = must(
        await errorOf(() => {
          ss.context = system;
        }),
        TypeError,
      );
      assertEquals(err.message, "'NoneType' object has no attribute 'context'");
      assert(ss.context === system);
      ss.settimeout(5);
      const refused = must(
        await errorOf(() =>
          ss.connect(listener.getsockname() as [string, number])
        ),
        ssl.SSLCertVerificationError,
      );
      assertEquals(
        refused.message,
        "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate (_ssl.c:1006)",
      );
    } finally {
      ss.close();
      await bounded(accepting, 5000, "server");
      listener.close();
    }
  },
);

tlsTest(
  "SSLSocket.getpeercert() asks the context's verify_mode as it is now: {} once it is CERT_NONE",
  async () => {
    const client = await strictContext();
    const { client: c, server: s } = await tlsPair(
      client,
      await serverContext(),
    );
    try {
      const cert = c.getpeercert();
      assert(cert !== null && "subject" in cert);
      client.check_hostname = false;
      client.verify_mode = ssl.CERT_NONE;
      assertEquals(c.getpeercert(), {});
      assertEquals(c.getpeercert(true)?.length, c.getpeercert(true)?.length);
    } finally {
      c.close();
      s.close();
    }
  },
);

/**
 * A CPython peer for {@linkcode withPythonPeer} that connects, does its
 * side of a TLS 1.2 handshake (`server` or client; 1.2, so that no
 * session ticket comes after it, unread) and then closes without
 * close_notify, as CPython's close() does, or resets the connection
 * (`SO_LINGER` `{1, 0}`); then says "closed".
 */
async function pyClosingPeer(
  side: "server" | "client",
  reset: boolean,
): Promise<string> {
  const certs = await testCerts();
  return `import socket, ssl, struct, sys
c = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
if ${side === "server" ? "True" : "False"}:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(${JSON.stringify(certs.server)}, ${
    JSON.stringify(certs.serverKey)
  })
    ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    s = ctx.wrap_socket(c, server_side=True)
else:
    ctx = ssl.create_default_context(cafile=${JSON.stringify(certs.ca)})
    ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    s = ctx.wrap_socket(c, server_hostname="localhost")
if ${reset ? "True" : "False"}:
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
s.close()
print("closed", flush=True)
sys.stdin.readline()
`;
}

/** pysocket's `side` of a TLS connection with a CPython peer. */
async function wrapSide(
  conn: socket.Socket,
  side: "server" | "client",
): Promise<ssl.SSLSocket> {
  conn.settimeout(5);
  const [clientCtx, serverCtx] = await testContexts();
  return side === "client"
    ? await clientCtx.wrap_socket(conn, { server_hostname: "localhost" })
    : await serverCtx.wrap_socket(conn, { server_side: true });
}

for (const side of ["client", "server"] as const) {
  const peerSide = side === "client" ? "server" : "client";
  tlsTest(
    `SSLSocket.do_handshake() on a ${side} whose peer (python3) left without close_notify, recv() having read b'': SSLEOFError each time`,
    async () => {
      await withPythonPeer(
        await pyClosingPeer(peerSide, false),
        async (conn, peer) => {
          const mine = await wrapSide(conn, side);
          try {
            await peer.waitFor("stdout", /closed/);
            assertEquals((await mine.recv(10)).length, 0);
            for (let i = 0; i < 2; i++) {
              const err = must(
                await errorOf(() => mine.do_handshake()),
                ssl.SSLEOFError,
                `${side} ${i}`,
              );
              assertEquals(err.errno, 8);
              assertEquals(err.message, EOF_HANDSHAKE);
            }
            assertEquals(mine.version(), null);
          } finally {
            mine.close();
          }
        },
      );
    },
    NO_PYTHON,
  );

  tlsTest(
    `SSLSocket.do_handshake() on a ${side} whose peer (python3) reset the connection, recv() having read b'': returns, as CPython's (a reset is no fatal TLS error)`,
    async () => {
      await withPythonPeer(
        await pyClosingPeer(peerSide, true),
        async (conn, peer) => {
          const mine = await wrapSide(conn, side);
          try {
            await peer.waitFor("stdout", /closed/);
            await sleep(100);
            assertEquals((await mine.recv(10)).length, 0);
            assertEquals(await mine.do_handshake(), undefined);
            assertEquals(await mine.do_handshake(), undefined);
          } finally {
            mine.close();
          }
        },
      );
    },
    NO_PYTHON,
  );
}

tlsTest(
  "SSLSocket timed sendall() after the peer's close_notify returns, and recv() then reads b'' (twice)",
  async () => {
    const [clientCtx, serverCtx] = await testContexts();
    const { client, server } = await tlsPair(clientCtx, serverCtx);
    try {
      server.settimeout(5);
      // The peer unwraps: its close_notify comes, and it waits for ours.
      const unwrapping = server.unwrap();
      unwrapping.catch(() => {});
      await sleep(300);
      client.settimeout(0.5);
      assertEquals(await client.sendall(b("hello")), undefined);
      await sleep(100);
      assertEquals((await client.recv(100)).length, 0);
      assertEquals((await client.recv(100)).length, 0);
      await unwrapping.catch(() => {});
    } finally {
      client.close();
      server.close();
    }
  },
);

for (const how of ["SHUT_RD", "SHUT_RDWR"] as const) {
  tlsTest(
    `SSLSocket.shutdown(${how}) drops TLS, as CPython's: version()/cipher() None, getpeercert() and do_handshake() raise, unwrap() 'No SSL wrapper', recvfrom()/sendto() are the plain socket's`,
    async () => {
      const [clientCtx, serverCtx] = await testContexts();
      const { client, server } = await tlsPair(clientCtx, serverCtx);
      try {
        client.settimeout(2);
        assertEquals(await client.shutdown(socket[how]), undefined);
        assertEquals(client.version(), null);
        assertEquals(client.cipher(), null);
        assertEquals(client.selected_alpn_protocol(), null);
        let err: Error = must(
          await errorOf(() => client.getpeercert()),
          TypeError,
        );
        assertEquals(
          err.message,
          "'NoneType' object has no attribute 'getpeercert'",
        );
        err = must(await errorOf(() => client.do_handshake()), TypeError);
        assertEquals(
          err.message,
          "'NoneType' object has no attribute 'do_handshake'",
        );
        err = must(await errorOf(() => client.unwrap()), socket.ValueError);
        assertEquals(err.message, `No SSL wrapper around ${client}`);
        // The plain socket's: no "not allowed on instances of SSLSocket".
        const [data, address] = await client.recvfrom(10);
        assertEquals([data.length, address], [0, null]);
        if (how === "SHUT_RDWR") {
          err = must(
            await errorOf(() =>
              client.sendto(b("x"), server.getsockname() as [string, number])
            ),
            socket.BrokenPipeError,
          );
          assertEquals(err.message, "[Errno 32] Broken pipe");
        }
      } finally {
        client.close();
        server.close();
      }
    },
  );
}

tlsTest(
  "SSLSocket.shutdown(SHUT_WR) keeps TLS (pysocket's design, see the README): version() stays, and the peer reads the end at close_notify",
  async () => {
    const [clientCtx, serverCtx] = await testContexts();
    const { client, server } = await tlsPair(clientCtx, serverCtx);
    try {
      client.settimeout(2);
      server.settimeout(2);
      await client.shutdown(socket.SHUT_WR);
      assertEquals(client.version(), "TLSv1.3");
      assertEquals(client.cipher()?.[1], "TLSv1.3");
      // The peer reads the end at our close_notify (TLS's own end).
      assertEquals((await server.recv(10)).length, 0);
      assertEquals(server.version(), "TLSv1.3");
    } finally {
      client.close();
      server.close();
    }
  },
);

tlsTest(
  "SSLSocket.unwrap() after detach(): SSLError 0 'Underlying socket connection gone' each time, and a timed send 'Underlying socket has been closed.', not PROTOCOL_IS_SHUTDOWN",
  async () => {
    const [clientCtx, serverCtx] = await testContexts();
    const { client, server } = await tlsPair(clientCtx, serverCtx);
    let fd = -1;
    try {
      client.settimeout(0.5);
      fd = client.detach();
      assert(fd >= 0);
      for (const call of ["unwrap", "sendall", "unwrap", "send"] as const) {
        const err = must(
          await errorOf(() =>
            call === "unwrap"
              ? client.unwrap()
              : call === "send"
              ? client.send(b("x"))
              : client.sendall(b("x"))
          ),
          ssl.SSLError,
          call,
        );
        if (call === "unwrap") {
          assertEquals(err.errno, 0);
          assertEquals(
            err.message,
            "Underlying socket connection gone (_ssl.c:2626)",
          );
        } else {
          assertEquals(err.errno, null);
          assertEquals(err.message, "('Underlying socket has been closed.',)");
        }
      }
    } finally {
      if (fd >= 0) {
        socket.socket(socket.AF_INET, socket.SOCK_STREAM, 0, fd).close();
      }
      client.close();
      server.close();
    }
  },
);
