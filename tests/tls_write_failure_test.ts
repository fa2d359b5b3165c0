// Copyright the pysocket authors. MIT license.
// A TLS send that meets a failed connection fails, as CPython's over
// OpenSSL: SSL_write_ex() returns 0 with SSL_ERROR_SYSCALL, which CPython
// 3.11 raises as SSLEOFError (errno 8), "EOF occurred in violation of
// protocol (_ssl.c:2427)". An HTTPS server that answers "413" and closes
// with the upload unread resets the connection: the client's sendall()
// raises, and the answer stays readable, then the (ragged) end. The same
// on a server whose client read a little and went away. Deno's TLS calls
// its writes back before they reach the connection, and took more after
// the connection had failed: its sendall() reported success.

import { assert, assertEquals, assertInstanceOf } from "@std/assert";
import * as socket from "../mod.ts";
import * as ssl from "../ssl.ts";
import {
  ANSWER,
  b,
  bounded,
  Child,
  describe,
  drain,
  errorOf,
  noPython,
  sendUntilError,
  sleep,
  str,
  test,
  UPLOAD,
  uploadToClosingPeer,
} from "./_util.ts";
import { loopbackTls, noOpenssl, testCerts, tlsTest } from "./_certs.ts";

/** CPython 3.11's error of a TLS write whose connection failed. */
const EOF_ERROR =
  "SSLEOFError 8 EOF occurred in violation of protocol (_ssl.c:2427)";

/** Closes each socket. */
function closeAll(...sockets: socket.Socket[]): void {
  for (const s of sockets) s.close();
}

tlsTest(
  "SSLSocket.sendall() to a peer that answers and closes raises SSLEOFError; the answer stays readable",
  async () => {
    const [client, server] = await loopbackTls(10);
    try {
      const err = await uploadToClosingPeer(client, server);
      assertInstanceOf(err, ssl.SSLEOFError);
      assertEquals(describe(err), EOF_ERROR);
      assertEquals(await drain(client, { stopAtError: true }), [ANSWER, ""]);
    } finally {
      closeAll(client, server);
    }
  },
);

tlsTest(
  "SSLSocket.sendall() of a server whose client read a little and closed raises SSLEOFError",
  async () => {
    const [client, server] = await loopbackTls(10);
    try {
      await server.sendall(b("hi"));
      const peer = (async () => {
        await client.recv(1000);
        await sleep(100);
        client.close();
      })();
      peer.catch(() => {});
      const err = await bounded(
        errorOf(() => server.sendall(new Uint8Array(64 << 20).fill(0x78))),
        20000,
        "sendall to a client that closed",
      );
      await peer;
      assertInstanceOf(err, ssl.SSLEOFError);
      assertEquals(describe(err), EOF_ERROR);
      // The later sends fail too: SSLEOFError again here (as on Node's
      // OpenSSL); CPython's OpenSSL refuses a write shorter than the one
      // that failed, with SSLError "[SSL: BAD_LENGTH] bad length".
      const later = describe(await errorOf(() => server.send(b("x"))));
      assert(
        [EOF_ERROR, "SSLError 1 [SSL: BAD_LENGTH] bad length (_ssl.c:2427)"]
          .includes(later),
        later,
      );
      // The client's end (without close_notify) reads as the end.
      assertEquals(await drain(server, { stopAtError: true }), [""]);
    } finally {
      closeAll(client, server);
    }
  },
);

tlsTest(
  "SSLSocket.send() in a loop to a peer that closed fails with SSLEOFError, never succeeds for good",
  async () => {
    const [client, server] = await loopbackTls(10);
    try {
      await client.sendall(b("POST /upload"));
      await server.recv(10);
      await server.sendall(b(ANSWER));
      server.close();
      const err = await sendUntilError(client);
      assertInstanceOf(err, ssl.SSLEOFError);
      assertEquals(describe(err), EOF_ERROR);
      assertEquals(await drain(client, { stopAtError: true }), [ANSWER, ""]);
    } finally {
      closeAll(client, server);
    }
  },
);

/**
 * A CPython TLS peer with the test certificates, for one connection:
 * `server` reads 1000 bytes, answers ANSWER (argv[4]) and closes with the
 * rest unread (with argv[5] `notify`, it sends its close_notify first:
 * `unwrap()`, which fails on the upload); `client` connects to argv[5],
 * sends "GET", reads what comes (up to 1000 bytes) and closes.
 */
const PY_PEER = `import socket, ssl, sys, time
mode, cert, key = sys.argv[1], sys.argv[2], sys.argv[3]
if mode == "server":
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); ctx.load_cert_chain(cert, key)
    L = socket.create_server(("127.0.0.1", 0)); L.settimeout(30)
    print(L.getsockname()[1], flush=True)
    c, _ = L.accept(); c.settimeout(10)
    t = ctx.wrap_socket(c, server_side=True)
    t.recv(1000)
    t.sendall(sys.argv[4].encode())
    time.sleep(0.3)
    if sys.argv[5] == "notify":
        try: t.unwrap()
        except ssl.SSLError: pass
    t.close(); L.close()
else:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
    c = ctx.wrap_socket(socket.create_connection(("127.0.0.1", int(sys.argv[5])), timeout=10), server_hostname="localhost")
    c.send(b"GET")
    print("got", len(c.recv(1000)), flush=True)
    time.sleep(0.3)
    c.close()
`;

/** Why the tests with a CPython peer cannot run here, if they cannot. */
const noPeer = (await noOpenssl()) || (await noPython());

/** A client context that checks nothing (the peer's certificate aside). */
function trustingClient(): ssl.SSLContext {
  const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
  ctx.check_hostname = false;
  ctx.verify_mode = ssl.CERT_NONE;
  return ctx;
}

for (const notify of [false, true]) {
  test(
    `SSLSocket.sendall() to a CPython server that answers 413 and closes${
      notify ? " (close_notify first)" : ""
    } raises SSLEOFError, then reads the answer (python3's)`,
    async () => {
      const certs = await testCerts();
      const peer = new Child("python3", [
        "-c",
        PY_PEER,
        "server",
        certs.server,
        certs.serverKey,
        ANSWER,
        notify ? "notify" : "",
      ], { timeoutMs: 30_000 });
      let c: ssl.SSLSocket | null = null;
      try {
        const [, port] = await peer.waitFor("stdout", /^(\d+)\n/);
        const raw = await socket.create_connection(
          ["127.0.0.1", Number(port)],
          10,
        );
        c = await trustingClient().wrap_socket(raw, {
          server_hostname: "localhost",
        });
        const tls = c;
        const err = await bounded(
          errorOf(() => tls.sendall(new Uint8Array(UPLOAD).fill(0x78))),
          10000,
          "sendall to a CPython server that closed",
        );
        assertInstanceOf(err, ssl.SSLEOFError);
        assertEquals(describe(err), EOF_ERROR);
        assertEquals(await drain(tls, { stopAtError: true }), [ANSWER, ""]);
      } finally {
        c?.close();
        await peer.kill();
      }
    },
    { ignore: noPeer },
  );
}

test(
  "SSLSocket.sendall() of a server whose CPython client read a little and closed raises SSLEOFError (python3's)",
  async () => {
    const certs = await testCerts();
    const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER);
    ctx.load_cert_chain(certs.server, certs.serverKey);
    const listener = socket.socket();
    listener.bind(["127.0.0.1", 0]);
    listener.listen();
    const [, port] = listener.getsockname() as [string, number];
    const peer = new Child("python3", [
      "-c",
      PY_PEER,
      "client",
      certs.server,
      certs.serverKey,
      "",
      String(port),
    ], { timeoutMs: 30_000 });
    let t: ssl.SSLSocket | null = null;
    try {
      listener.settimeout(10);
      const [conn] = await listener.accept();
      conn.settimeout(10);
      t = await ctx.wrap_socket(conn, { server_side: true });
      const tls = t;
      assertEquals(str(await tls.recv(100)), "GET");
      const err = await bounded(
        errorOf(() => tls.sendall(new Uint8Array(64 << 20).fill(0x78))),
        20000,
        "sendall to a CPython client that closed",
      );
      assertInstanceOf(err, ssl.SSLEOFError);
      assertEquals(describe(err), EOF_ERROR);
      await peer.waitFor("stdout", /got \d+/);
      assertEquals(await drain(tls, { stopAtError: true }), [""]);
    } finally {
      t?.close();
      listener.close();
      await peer.kill();
    }
  },
  { ignore: noPeer },
);
