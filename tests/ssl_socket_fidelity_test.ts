// Copyright the pysocket authors. MIT license.
// ssl: SSLSocket against CPython 3.11.7's behaviour where it once differed:
// a non-blocking connect_ex() keeps the TLS session (CPython's
// SimpleBackgroundTests.test_non_blocking_connect_ex), so that no byte goes
// in the clear. Messages are CPython 3.11.7's on this machine, pinned here.

import {
  assert,
  assertEquals,
  assertInstanceOf,
  assertNotEquals,
  assertRejects,
  assertThrows,
} from "@std/assert";
import * as socket from "../mod.ts";
import * as ssl from "../ssl.ts";
import {
  b,
  bounded,
  closeAll,
  freePort,
  loopbackListener,
  plainPair,
  sleep,
  str,
} from "./_util.ts";
import { finishHandshake, testCerts, tlsTest } from "./_certs.ts";
import { select } from "../select.ts";

/** A server context with the test server certificate. */
async function serverContext(): Promise<ssl.SSLContext> {
  const c = await testCerts();
  const ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH);
  ctx.load_cert_chain(c.server, c.serverKey);
  return ctx;
}

/** A client context trusting the test CA. */
async function clientContext(): Promise<ssl.SSLContext> {
  const c = await testCerts();
  return ssl.create_default_context(ssl.Purpose.SERVER_AUTH, { cafile: c.ca });
}

/** A client SSLSocket, not connected, that leaves the handshake for later. */
async function unconnectedClient(): Promise<ssl.SSLSocket> {
  return await (await clientContext()).wrap_socket(socket.socket(), {
    server_hostname: "localhost",
    do_handshake_on_connect: false,
  });
}

/** CPython's `SSLWantReadError` of a non-blocking call, by its `_ssl.c` line. */
function assertWantRead(err: unknown, line: number): void {
  assertInstanceOf(err, ssl.SSLWantReadError);
  const want = err as ssl.SSLWantReadError;
  assertEquals([want.errno, want.message], [
    2,
    `The operation did not complete (read) (_ssl.c:${line})`,
  ]);
}

tlsTest(
  "SSLSocket.connect_ex non-blocking: EINPROGRESS keeps TLS, do_handshake() completes it (test_non_blocking_connect_ex)",
  async () => {
    const [l, address] = loopbackListener();
    const s = await unconnectedClient();
    try {
      s.setblocking(false);
      assertEquals(await s.connect_ex(address), 115);
      const [conn] = await bounded(l.accept(), 5000, "accept");
      const serving = (await serverContext()).wrap_socket(conn, {
        server_side: true,
      });
      serving.catch(() => {});
      const [, writable] = await select([], [s], [], 5);
      assertEquals(writable, [s]);
      await bounded(finishHandshake(s), 30_000, "the handshake");
      assertEquals(s.version(), "TLSv1.3");
      const cert = s.getpeercert() as ssl.PeerCertificate;
      assertEquals(cert.subject.at(-1), [["commonName", "localhost"]]);
      const server = await bounded(serving, 5000, "the server's handshake");
      try {
        s.setblocking(true);
        await s.sendall(b("over TLS"));
        assertEquals(str(await server.recv(100)), "over TLS");
      } finally {
        await closeAll(server);
      }
    } finally {
      await closeAll(s, l);
    }
  },
);

tlsTest(
  "SSLSocket after a non-blocking connect_ex: recv/send raise SSLWantReadError, connect() again ValueError, the wire carries a ClientHello, never cleartext",
  async () => {
    const [l, address] = loopbackListener();
    const s = await unconnectedClient();
    try {
      s.setblocking(false);
      // Before the connection: ENOTCONN (CPython's getpeername()).
      const early = await assertRejects(() => s.do_handshake(), socket.OSError);
      assertEquals(
        early.message,
        "[Errno 107] Transport endpoint is not connected",
      );
      assertEquals(await s.connect_ex(address), 115);
      const [conn] = await bounded(l.accept(), 5000, "accept");
      try {
        await select([], [s], [], 5);
        const secret = b("SECRET PASSWORD");
        const calls: [string, () => Promise<unknown>, number][] = [
          ["recv", () => s.recv(10), 2580],
          ["recv_into", () => s.recv_into(new Uint8Array(5)), 2580],
          ["read", () => s.read(5), 2580],
          ["send", () => s.send(secret), 2427],
          ["sendall", () => s.sendall(secret), 2427],
          ["write", () => s.write(secret), 2427],
          ["do_handshake", () => s.do_handshake(), 1006],
        ];
        for (const [name, call, line] of calls) {
          let error: unknown = null;
          try {
            await call();
          } catch (err) {
            error = err;
          }
          assert(error !== null, `${name}() raises`);
          assertWantRead(error, line);
        }
        assertEquals(s.version(), null);
        assertThrows(
          () => s.getpeercert(),
          socket.ValueError,
          "handshake not done yet",
        );
        for (
          const again of [() => s.connect(address), () => s.connect_ex(address)]
        ) {
          const err = await assertRejects(again, socket.ValueError);
          assertEquals(
            err.message,
            "attempt to connect already-connected SSLSocket!",
          );
        }
        // The peer reads a TLS ClientHello record, and never the secret.
        conn.settimeout(5);
        let wire = await conn.recv(65536);
        conn.setblocking(false);
        await sleep(100);
        for (;;) {
          try {
            const more = await conn.recv(65536);
            if (more.length === 0) break;
            wire = new Uint8Array([...wire, ...more]);
          } catch (err) {
            assertInstanceOf(err, socket.BlockingIOError);
            break;
          }
        }
        assertEquals([...wire.subarray(0, 3)], [0x16, 0x03, 0x01]);
        assertNotEquals(wire.length, 0);
        assert(!str(wire).includes("SECRET"), "no cleartext on the wire");
      } finally {
        await closeAll(conn);
      }
    } finally {
      await closeAll(s, l);
    }
  },
);

tlsTest(
  "SSLSocket.connect_ex with a timeout after EINPROGRESS: sendall times out with a ClientHello sent, not the cleartext",
  async () => {
    const [l, address] = loopbackListener();
    const s = await unconnectedClient();
    try {
      s.setblocking(false);
      assertEquals(await s.connect_ex(address), 115);
      const [conn] = await bounded(l.accept(), 5000, "accept");
      try {
        await select([], [s], [], 5);
        s.settimeout(0.5);
        const err = await assertRejects(
          () => s.sendall(b("SECRET PASSWORD")),
          socket.TimeoutError,
        );
        assertEquals(err.message, "The write operation timed out");
        conn.settimeout(5);
        const wire = await conn.recv(100);
        assertEquals([...wire.subarray(0, 3)], [0x16, 0x03, 0x01]);
        assert(!str(wire).includes("SECRET"), "no cleartext on the wire");
      } finally {
        await closeAll(conn);
      }
    } finally {
      // The handshake the sendall started stops with the socket.
      await closeAll(s, l);
    }
  },
);

tlsTest(
  "SSLSocket.connect_ex refused (ECONNREFUSED): connect() may follow, and runs TLS",
  async () => {
    const s = await unconnectedClient();
    const [l, address] = loopbackListener();
    try {
      assertEquals(await s.connect_ex(["127.0.0.1", freePort()]), 111);
      // pysocket lets it connect again (CPython: ValueError; see README).
      await s.connect(address);
      const [conn] = await bounded(l.accept(), 5000, "accept");
      const server = await (await serverContext()).wrap_socket(conn, {
        server_side: true,
        do_handshake_on_connect: false,
      });
      try {
        await Promise.all([
          bounded(s.do_handshake(), 10_000, "client handshake"),
          bounded(server.do_handshake(), 10_000, "server handshake"),
        ]);
        assertEquals(s.version(), "TLSv1.3");
        await s.sendall(b("tls"));
        assertEquals(str(await server.recv(10)), "tls");
      } finally {
        await closeAll(server);
      }
    } finally {
      await closeAll(s, l);
    }
  },
);

tlsTest(
  "SSLSocket.sendall/send/write of a str: TypeError with CPython's words (sendall's memoryview: prefix), before the handshake",
  async () => {
    const [a, b_] = await plainPair();
    const s = await (await clientContext()).wrap_socket(a, {
      server_hostname: "localhost",
      do_handshake_on_connect: false,
    });
    try {
      s.setblocking(false);
      const calls: [string, () => Promise<unknown>, string][] = [
        [
          "sendall",
          () => s.sendall("str" as unknown as Uint8Array),
          "memoryview: a bytes-like object is required, not 'str'",
        ],
        [
          "sendall",
          () => s.sendall(5 as unknown as Uint8Array),
          "memoryview: a bytes-like object is required, not 'int'",
        ],
        [
          "send",
          () => s.send("str" as unknown as Uint8Array),
          "a bytes-like object is required, not 'str'",
        ],
        [
          "write",
          () => s.write("str" as unknown as Uint8Array),
          "a bytes-like object is required, not 'str'",
        ],
      ];
      for (const [name, call, message] of calls) {
        const err = await assertRejects(call, TypeError);
        assertEquals(err.message, message, name);
      }
      // Bytes go on to the handshake.
      assertWantRead(
        await s.sendall(b("x")).then(() => null, (err) => err),
        2427,
      );
    } finally {
      await closeAll(s, b_);
    }
  },
);
