// Copyright the pysocket authors. MIT license.
// The socket `unwrap()` hands back is a plain one, as CPython's: sends of
// nothing return at once (0, None) and send nothing, a byte sent then
// reaches the peer, and a send of nothing on a socket shut down, closed or
// whose peer has gone raises what python3's does. Bun's connection after
// an unwrap lacked the plain connection's `tryWrite`: a send of nothing
// became a write of nothing, which Bun's backend took for a full buffer
// and waited on for ever, and every later write queued behind it (a
// `sendall(b'x')` returned and the peer never had the byte). Expected
// values are python3 3.11's for the same steps.

import { assert, assertEquals, assertInstanceOf } from "@std/assert";
import * as socket from "../mod.ts";
import type * as ssl from "../ssl.ts";
import { select } from "../select.ts";
import { testContexts, tlsPair, tlsTest } from "./_certs.ts";
import { b, bounded, errorOf, sleep, str } from "./_util.ts";

const EMPTY = new Uint8Array(0);
const EPIPE = "[Errno 32] Broken pipe";

/** The three modes: blocking, timed (CPython's 0.05 s), non-blocking. */
const MODES: [string, number | null][] = [
  ["blocking", null],
  ["timeout 0.05", 0.05],
  ["non-blocking", 0],
];

/** A TLS pair on 127.0.0.1, both sides unwrapped: `[client, server]`. */
async function unwrappedPair(): Promise<[ssl.SSLSocket, ssl.SSLSocket]> {
  const [clientCtx, serverCtx] = await testContexts();
  const { client, server } = await tlsPair(clientCtx, serverCtx);
  try {
    const [c, s] = await bounded(
      Promise.all([client.unwrap(), server.unwrap()]),
      5000,
      "unwrap()",
    );
    return [c, s];
  } catch (err) {
    client.close();
    server.close();
    throw err;
  }
}

/** `call()`'s result, which must come at once (within a second). */
async function atOnce<T>(what: string, call: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const value = await bounded(call(), 3000, what);
  const took = performance.now() - start;
  assert(took < 1000, `${what} took ${took} ms`);
  return value;
}

/** `err` is `cls` with CPython's message and errno. */
function assertErrno(
  err: Error | null,
  cls: new (...args: never[]) => Error,
  message: string,
  errno: number,
): void {
  assertInstanceOf(err, cls);
  assertEquals((err as Error).message, message);
  assertEquals((err as socket.OSError).errno, errno);
}

for (const [mode, timeout] of MODES) {
  tlsTest(
    `after unwrap() on both sides (${mode}): send(b'') returns 0 and sendall(b'') None at once, and a byte sent then reaches the peer (python3)`,
    async () => {
      const [c, s] = await unwrappedPair();
      try {
        for (const [sock, byte] of [[s, "x"], [c, "y"]] as const) {
          sock.settimeout(timeout);
          assertEquals(
            await atOnce("sendall(b'')", () => sock.sendall(EMPTY)),
            undefined,
          );
          assertEquals(await atOnce("send(b'')", () => sock.send(EMPTY)), 0);
          assertEquals(
            await atOnce(`sendall(b'${byte}')`, () => sock.sendall(b(byte))),
            undefined,
          );
        }
        c.settimeout(2);
        s.settimeout(2);
        assertEquals(str(await atOnce("client recv", () => c.recv(10))), "x");
        assertEquals(str(await atOnce("server recv", () => s.recv(10))), "y");
        // Later sends, of nothing and of bytes, go on as on a plain socket.
        s.settimeout(timeout);
        assertEquals(await atOnce("send(b'')", () => s.send(EMPTY)), 0);
        assertEquals(await atOnce("send(b'zz')", () => s.send(b("zz"))), 2);
        assertEquals(str(await atOnce("client recv", () => c.recv(10))), "zz");
      } finally {
        c.close();
        s.close();
      }
    },
  );

  tlsTest(
    `after unwrap() (${mode}): send(b'') and sendall(b'') raise BrokenPipeError after shutdown(SHUT_WR), OSError EBADF after close() (python3)`,
    async () => {
      let [c, s] = await unwrappedPair();
      try {
        s.settimeout(timeout);
        await s.shutdown(socket.SHUT_WR);
        for (const call of [() => s.send(EMPTY), () => s.sendall(EMPTY)]) {
          const err = await atOnce("send after shutdown", () => errorOf(call));
          assertErrno(err, socket.BrokenPipeError, EPIPE, 32);
        }
        c.settimeout(2);
        assertEquals(await atOnce("peer recv", () => c.recv(10)), EMPTY);
      } finally {
        c.close();
        s.close();
      }
      [c, s] = await unwrappedPair();
      try {
        s.settimeout(timeout);
        s.close();
        for (const call of [() => s.send(EMPTY), () => s.sendall(EMPTY)]) {
          const err = await atOnce("send after close", () => errorOf(call));
          assertErrno(err, socket.OSError, "[Errno 9] Bad file descriptor", 9);
        }
      } finally {
        c.close();
      }
    },
  );

  tlsTest(
    `after unwrap() (${mode}): with the peer gone, send(b'') returns 0, a byte draws its reset, then send(b'') and sendall(b'') raise BrokenPipeError and recv() returns b'' (python3)`,
    async () => {
      const [c, s] = await unwrappedPair();
      try {
        s.settimeout(timeout);
        c.close();
        await sleep(100);
        assertEquals(await atOnce("send(b'')", () => s.send(EMPTY)), 0);
        assertEquals(await atOnce("send(b'x')", () => s.send(b("x"))), 1);
        await sleep(100);
        for (const call of [() => s.send(EMPTY), () => s.sendall(EMPTY)]) {
          const err = await atOnce("send(b'')", () => errorOf(call));
          assertErrno(err, socket.BrokenPipeError, EPIPE, 32);
        }
        s.settimeout(2);
        assertEquals(await atOnce("recv", () => s.recv(10)), EMPTY);
      } finally {
        s.close();
      }
    },
  );

  tlsTest(
    `after unwrap() (${mode}): a peer's reset is told by send(b'') as ConnectionResetError, then BrokenPipeError (python3), where SO_LINGER can reset`,
    async () => {
      const [c, s] = await unwrappedPair();
      try {
        s.settimeout(timeout);
        const linger = new Uint8Array(8);
        new DataView(linger.buffer).setInt32(0, 1, true);
        // (Where the runtime cannot reset a connection, SO_LINGER is
        // refused: ENOPROTOOPT. Nothing to test there.)
        const refused = await errorOf(() =>
          c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
        );
        if (refused !== null) {
          assertErrno(
            refused,
            socket.OSError,
            "[Errno 92] Protocol not available: 'SO_LINGER'",
            92,
          );
          return;
        }
        c.close();
        await sleep(100);
        assertErrno(
          await atOnce("send(b'')", () => errorOf(() => s.send(EMPTY))),
          socket.ConnectionResetError,
          "[Errno 104] Connection reset by peer",
          104,
        );
        for (
          const call of [() => s.sendall(EMPTY), () => s.send(b("x"))]
        ) {
          const err = await atOnce("send", () => errorOf(call));
          assertErrno(err, socket.BrokenPipeError, EPIPE, 32);
        }
      } finally {
        c.close();
        s.close();
      }
    },
  );
}

tlsTest(
  "plain bytes the peer sent right after its unwrap() are the first the unwrapped socket reads: select() sees them, recv_into() and recv() take them in order",
  async () => {
    const [clientCtx, serverCtx] = await testContexts();
    const { client, server } = await tlsPair(clientCtx, serverCtx);
    try {
      const clientDone = client.unwrap();
      clientDone.catch(() => {});
      const s = await bounded(server.unwrap(), 5000, "server unwrap()");
      await s.sendall(b("early bytes"));
      const c = await bounded(clientDone, 5000, "client unwrap()");
      await s.sendall(b(" and later ones"));
      const [readable] = await select([c], [], [], 2);
      assertEquals(readable, [c]);
      c.settimeout(2);
      const into = new Uint8Array(5);
      assertEquals(await c.recv_into(into), 5);
      assertEquals(str(into), "early");
      let rest = "";
      while (rest.length < " bytes and later ones".length) {
        const part = await c.recv(100);
        assert(part.length > 0, "end of stream");
        rest += str(part);
      }
      assertEquals(rest, " bytes and later ones");
      // And back, with a send of nothing first.
      c.settimeout(0);
      assertEquals(await atOnce("send(b'')", () => c.send(EMPTY)), 0);
      await c.sendall(b("ok"));
      s.settimeout(2);
      assertEquals(str(await s.recv(10)), "ok");
    } finally {
      client.close();
      server.close();
    }
  },
);
