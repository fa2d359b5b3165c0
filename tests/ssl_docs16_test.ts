// Copyright the pysocket authors. MIT license.
// ssl's defaults as CPython 3.11's Lib/ssl.py: get_server_certificate()'s
// timeout is `_GLOBAL_DEFAULT_TIMEOUT` (the module's default timeout, not
// blocking), and `SSLSocket.do_handshake(block=False)`: on a non-blocking
// socket, `block` runs the handshake as a blocking one (timeout `None`
// meanwhile, restored after). Results are python3 3.11.7's.

import { assertEquals } from "@std/assert";
import * as socket from "../mod.ts";
import * as ssl from "../ssl.ts";
import { bounded, errorOf, sleep, test } from "./_util.ts";
import { noOpenssl, testContexts } from "./_certs.ts";

/** What `p` rejects with (`null` if it resolves), within 5 s. */
function outcomeOf(p: Promise<unknown>, what: string): Promise<Error | null> {
  return bounded(errorOf(() => p), 5000, what);
}

/** A listener whose connection waits in the backlog: no TLS answer. */
function silentServer() {
  return socket.create_server(["127.0.0.1", 0]);
}

function assertHandshakeTimeout(err: Error | null): void {
  if (!(err instanceof socket.TimeoutError)) throw err ?? new Error("no error");
  assertEquals(err.message, "_ssl.c:989: The handshake operation timed out");
  assertEquals(err.errno, null);
}

test("get_server_certificate() without a timeout takes setdefaulttimeout()'s", async () => {
  // Python: socket.setdefaulttimeout(0.3); ssl.get_server_certificate(addr)
  // -> TimeoutError('_ssl.c:989: The handshake operation timed out')
  using srv = silentServer();
  const before = socket.getdefaulttimeout();
  socket.setdefaulttimeout(0.3);
  try {
    const addr = srv.getsockname();
    assertHandshakeTimeout(
      await outcomeOf(
        ssl.get_server_certificate([addr[0], addr[1]]),
        "get_server_certificate() with setdefaulttimeout(0.3)",
      ),
    );
    assertHandshakeTimeout(
      await outcomeOf(
        ssl.get_server_certificate(
          [addr[0], addr[1]],
          ssl.PROTOCOL_TLS_CLIENT,
          null,
          socket._GLOBAL_DEFAULT_TIMEOUT,
        ),
        "get_server_certificate(timeout=_GLOBAL_DEFAULT_TIMEOUT)",
      ),
    );
  } finally {
    socket.setdefaulttimeout(before);
  }
});

test("get_server_certificate(timeout=0.3) times the handshake out", async () => {
  using srv = silentServer();
  const addr = srv.getsockname();
  assertHandshakeTimeout(
    await outcomeOf(
      ssl.get_server_certificate(
        [addr[0], addr[1]],
        ssl.PROTOCOL_TLS_CLIENT,
        null,
        0.3,
      ),
      "get_server_certificate(timeout=0.3)",
    ),
  );
});

test(
  "do_handshake(true) on a non-blocking SSLSocket waits for the end; the socket stays non-blocking",
  async () => {
    const [clientCtx, serverCtx] = await testContexts();
    using listener = socket.create_server(["127.0.0.1", 0]);
    const serving = (async () => {
      const [conn] = await listener.accept();
      conn.settimeout(10);
      await sleep(300); // the client's first try finds nothing to read
      await using s = await serverCtx.wrap_socket(conn, { server_side: true });
      await s.recv(1);
    })();
    const sock = await socket.create_connection(listener.getsockname());
    sock.settimeout(0);
    await using ssock = await clientCtx.wrap_socket(sock, {
      server_hostname: "localhost",
      do_handshake_on_connect: false,
    });
    try {
      // Python: SSLWantReadError, then do_handshake(block=True) completes.
      const err = await outcomeOf(ssock.do_handshake(), "do_handshake()");
      if (!(err instanceof ssl.SSLWantReadError)) {
        throw err ?? new Error("none");
      }
      assertEquals(
        err.message,
        "The operation did not complete (read) (_ssl.c:1006)",
      );
      assertEquals(
        await outcomeOf(ssock.do_handshake(true), "do_handshake(true)"),
        null,
      );
      assertEquals(ssock.version(), "TLSv1.3");
      assertEquals(ssock.gettimeout(), 0);
      // Done: again is a no-op, and the timeout is still 0.
      await ssock.do_handshake(true);
      assertEquals(ssock.gettimeout(), 0);
    } finally {
      ssock.close();
      await bounded(serving.catch(() => {}), 5000, "server");
    }
  },
  { ignore: await noOpenssl() },
);

test(
  "do_handshake(true) with a timeout keeps it: TimeoutError, the timeout unchanged",
  async () => {
    const [clientCtx] = await testContexts();
    using listener = silentServer();
    const sock = await socket.create_connection(listener.getsockname());
    sock.settimeout(0.3);
    await using ssock = await clientCtx.wrap_socket(sock, {
      server_hostname: "localhost",
      do_handshake_on_connect: false,
    });
    assertHandshakeTimeout(
      await outcomeOf(ssock.do_handshake(true), "do_handshake(true)"),
    );
    assertEquals(ssock.gettimeout(), 0.3);
  },
  { ignore: await noOpenssl() },
);
