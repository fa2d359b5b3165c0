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
import { expected, unless } from "./_caps.ts";
import { testContexts, tlsPair, tlsTest } from "./_certs.ts";
import { b, bounded, errorOf, plainPair, sleep, str } from "./_util.ts";

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
    `after unwrap() (${mode}): a peer's reset is told by send(b'') as ConnectionResetError, then BrokenPipeError (python3)`,
    async () => {
      const [c, s] = await unwrappedPair();
      try {
        s.settimeout(timeout);
        const linger = new Uint8Array(8);
        new DataView(linger.buffer).setInt32(0, 1, true);
        c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger);
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
    // SO_LINGER {1, 0}, which resets the connection on close(): Deno
    // refuses it (ENOPROTOOPT).
    unless(expected.reset, "SO_LINGER {1, 0} (a reset on close())"),
  );
}

/**
 * A relay between two plain pairs on 127.0.0.1 (`client` ↔ relay ↔
 * `server`) that can hold what the server side sends until a given text
 * has come, then pass all of it on in one write.
 */
class Relay {
  readonly ends: socket.Socket[];
  #pumps: Promise<void>[];
  #holdUntil: string | null = null;
  #held: Uint8Array[] = [];
  #release: (() => void) | null = null;
  /** The writes the relay made to the client side while holding. */
  heldWrites = 0;

  constructor(toClient: socket.Socket, toServer: socket.Socket) {
    this.ends = [toClient, toServer];
    this.#pumps = [
      this.#pump(toClient, toServer, false),
      this.#pump(toServer, toClient, true),
    ];
  }

  /**
   * Holds the server side's bytes until they end with `text`: resolves
   * once they were passed on, in one write.
   */
  hold(text: string): Promise<void> {
    this.#holdUntil = text;
    return new Promise((resolve) => this.#release = resolve);
  }

  async #pump(
    from: socket.Socket,
    to: socket.Socket,
    toClient: boolean,
  ): Promise<void> {
    try {
      for (;;) {
        const data = await from.recv(65536);
        if (data.length === 0) break;
        if (!toClient || this.#holdUntil === null) {
          await to.sendall(data);
          continue;
        }
        this.#held.push(data);
        const all = new Uint8Array(
          this.#held.reduce((n, chunk) => n + chunk.length, 0),
        );
        let at = 0;
        for (const chunk of this.#held) {
          all.set(chunk, at);
          at += chunk.length;
        }
        if (
          !str(all.slice(-this.#holdUntil.length)).endsWith(this.#holdUntil)
        ) {
          continue;
        }
        this.#holdUntil = null;
        this.#held = [];
        await to.sendall(all);
        this.heldWrites++;
        this.#release?.();
      }
      await to.shutdown(socket.SHUT_WR);
    } catch {
      // Closed under it: the test is over.
    }
  }

  /** Closes the relay's ends and waits for its pumps. */
  async close(): Promise<void> {
    for (const end of this.ends) end.close();
    await Promise.all(this.#pumps);
  }
}

tlsTest(
  "plain bytes the peer sent before our unwrap() completed (its close_notify and they in one segment) are the first the unwrapped socket reads: select() sees them at once, recv(MSG_PEEK), recv_into() and recv() take them in order, then the later ones",
  async () => {
    const [clientCtx, serverCtx] = await testContexts();
    const [a, toClient] = await plainPair();
    const [toServer, bSide] = await plainPair();
    const relay = new Relay(toClient, toServer);
    let client: ssl.SSLSocket | null = null;
    let server: ssl.SSLSocket | null = null;
    try {
      const serving = serverCtx.wrap_socket(bSide, { server_side: true });
      serving.catch(() => {});
      client = await bounded(
        clientCtx.wrap_socket(a, { server_hostname: "localhost" }),
        5000,
        "client handshake",
      );
      server = await bounded(serving, 5000, "server handshake");
      // Our side (the client) starts the close; the peer's close_notify
      // is held by the relay until the peer's plain bytes follow it, so
      // that our unwrap() can complete only with them read too: the
      // bytes past TLS's end are the unwrapped socket's first.
      const released = relay.hold("early bytes");
      const clientDone = client.unwrap();
      clientDone.catch(() => {});
      const s = await bounded(server.unwrap(), 5000, "server unwrap()");
      await s.sendall(b("early bytes"));
      await bounded(released, 5000, "the relay's write");
      const c = await bounded(clientDone, 5000, "client unwrap()");
      assertEquals(relay.heldWrites, 1);
      // Readable at once, with nothing sent since.
      const [readable] = await atOnce("select", () => select([c], [], [], 0));
      assertEquals(readable, [c]);
      c.settimeout(0);
      assertEquals(str(await c.recv(5, socket.MSG_PEEK)), "early");
      const into = new Uint8Array(5);
      assertEquals(await c.recv_into(into), 5);
      assertEquals(str(into), "early");
      assertEquals(str(await c.recv(6)), " bytes");
      // Then the plain stream, as sent after the unwrap.
      await s.sendall(b(" and later ones"));
      c.settimeout(2);
      let rest = "";
      while (rest.length < " and later ones".length) {
        const part = await c.recv(100);
        assert(part.length > 0, "end of stream");
        rest += str(part);
      }
      assertEquals(rest, " and later ones");
      // And back, with a send of nothing first.
      c.settimeout(0);
      assertEquals(await atOnce("send(b'')", () => c.send(EMPTY)), 0);
      await c.sendall(b("ok"));
      s.settimeout(2);
      assertEquals(str(await s.recv(10)), "ok");
    } finally {
      client?.close();
      server?.close();
      a.close();
      bSide.close();
      await relay.close();
    }
  },
);
