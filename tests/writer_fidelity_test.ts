// Copyright the pysocket authors. MIT license.
// The writing side as CPython's on Linux: a send of no bytes still asks
// the kernel (a reset nobody was told of raises, as after our own
// shutdown; a timed one waits for room), and a timed send to a peer that
// reads slowly takes bytes once the peer's read frees room, as CPython's
// does after its poll(), with every byte sent once and in order. Expected
// values are python3 3.11's for the same steps.

import { assert, assertEquals } from "@std/assert";
import * as socket from "../mod.ts";
import * as ssl from "../ssl.ts";
import { testCerts, tlsTest } from "./_certs.ts";
import { pattern } from "./_kinds.ts";
import { closeAll, errorOf, plainPair, sleep, test } from "./_util.ts";

const KiB = 1024;
const MiB = 1024 * KiB;
const EMPTY = new Uint8Array(0);

/** `err` is `cls` with CPython's message and errno. */
function assertOSError(
  err: Error | null,
  cls: new (...args: never[]) => Error,
  message: string,
  errno: number,
): void {
  assert(err instanceof cls, `${err?.constructor.name}: ${err?.message}`);
  assertEquals(err?.message, message);
  assertEquals((err as socket.OSError).errno, errno);
}

/** The three modes: blocking, timed, non-blocking. */
const MODES: [string, number | null][] = [
  ["blocking", null],
  ["timed", 1.0],
  ["non-blocking", 0],
];

for (const [mode, timeout] of MODES) {
  test(`send(b'') and sendall(b'') report a reset the kernel holds (${mode}): BrokenPipeError, as CPython`, async () => {
    // python3: the peer closes; recv() gives b''; send(b"x") gives 1 and
    // draws a reset; then send(b'') and sendall(b'') raise [Errno 32].
    const [c, p] = await plainPair();
    try {
      c.settimeout(timeout);
      p.close();
      await sleep(100);
      assertEquals(await c.recv(10), EMPTY);
      assertEquals(await c.send(EMPTY), 0);
      assertEquals(await c.send(new Uint8Array([120])), 1);
      await sleep(100);
      const epipe = "[Errno 32] Broken pipe";
      assertOSError(
        await errorOf(() => c.send(EMPTY)),
        socket.BrokenPipeError,
        epipe,
        32,
      );
      assertOSError(
        await errorOf(() => c.sendall(EMPTY)),
        socket.BrokenPipeError,
        epipe,
        32,
      );
      assertOSError(
        await errorOf(() => c.send(new Uint8Array([120]))),
        socket.BrokenPipeError,
        epipe,
        32,
      );
    } finally {
      await closeAll(c, p);
    }
  });

  test(`send(b'') and sendall(b''): 0 and None on a healthy connection, EPIPE after our shutdown(SHUT_WR) (${mode})`, async () => {
    const [c, p] = await plainPair();
    try {
      c.settimeout(timeout);
      assertEquals(await c.send(EMPTY), 0);
      assertEquals(await c.sendall(EMPTY), undefined);
      // A send of nothing sends nothing: the peer reads the next bytes.
      assertEquals(await c.send(new Uint8Array([7])), 1);
      p.settimeout(5);
      assertEquals(await p.recv(10), new Uint8Array([7]));
      await c.shutdown(socket.SHUT_WR);
      for (const call of [() => c.send(EMPTY), () => c.sendall(EMPTY)]) {
        assertOSError(
          await errorOf(call),
          socket.BrokenPipeError,
          "[Errno 32] Broken pipe",
          32,
        );
      }
      assertEquals(await p.recv(10), EMPTY);
    } finally {
      await closeAll(c, p);
    }
  });
}

test("a timed send(b'') waits for room as CPython's does: TimeoutError when the buffers stay full, 0 / None at once when not timed", async () => {
  const [c, p] = await plainPair();
  try {
    // Full: non-blocking sends until BlockingIOError, then timed ones
    // until one times out (room the kernel found meanwhile is taken).
    const chunk = new Uint8Array(64 * KiB);
    c.setblocking(false);
    for (;;) {
      const err = await errorOf(() => c.send(chunk));
      if (err !== null) {
        assert(err instanceof socket.BlockingIOError, String(err));
        break;
      }
    }
    // (Bun tries the write again while a send waits, and its kernel may
    // take more below the mark where poll() tells of room: three timeouts
    // in a row say it takes no more.)
    c.settimeout(0.1);
    for (let timeouts = 0, tries = 0; timeouts < 3; tries++) {
      assert(tries < 100, "the buffers never filled");
      const err = await errorOf(() => c.send(chunk));
      if (err === null) timeouts = 0;
      else {
        assert(err instanceof socket.TimeoutError, String(err));
        timeouts++;
      }
    }
    c.settimeout(0.3);
    const start = performance.now();
    const err = await errorOf(() => c.send(EMPTY));
    const took = performance.now() - start;
    assert(err instanceof socket.TimeoutError, String(err));
    assertEquals(err?.message, "timed out");
    assert(took >= 250 && took < 2000, `timed out after ${took} ms`);
    c.setblocking(false);
    assertEquals(await c.send(EMPTY), 0);
    assertEquals(await c.sendall(EMPTY), undefined);
    c.setblocking(true);
    assertEquals(await c.send(EMPTY), 0);
    assertEquals(await c.sendall(EMPTY), undefined);
  } finally {
    // The peer first: what c still holds is not waited for.
    await closeAll(p, c);
  }
});

for (const call of ["send", "sendall"] as const) {
  test(`a timed ${call}() takes bytes once a slow peer's read frees room (python3: ~0.1 s), every byte once and in order`, async () => {
    const [c, p] = await plainPair();
    try {
      const source = pattern(24 * MiB, 3);
      let sent = 0;
      // The kernel's buffers and pysocket's own are full.
      c.setblocking(false);
      for (;;) {
        const err = await errorOf(async () => {
          sent += await c.send(source.subarray(sent, sent + MiB));
        });
        if (err !== null) {
          assert(err instanceof socket.BlockingIOError, String(err));
          break;
        }
        assert(sent < 16 * MiB, "the buffers never filled");
      }
      // The peer reads 256 KiB once, after 100 ms, then stops.
      p.settimeout(5);
      let read = 0;
      const parts: Uint8Array[] = [];
      const reader = (async () => {
        await sleep(100);
        while (read < 256 * KiB) {
          const part = await p.recv(256 * KiB - read);
          assert(part.length > 0, "end of stream");
          parts.push(part);
          read += part.length;
        }
      })();
      c.settimeout(1.0);
      const start = performance.now();
      if (call === "send") {
        const n = await c.send(source.subarray(sent, sent + MiB));
        assert(n > 0 && n <= MiB, `send returned ${n}`);
        sent += n;
      } else {
        // Less than the reader freed: all of it goes.
        await c.sendall(source.subarray(sent, sent + 128 * KiB));
        sent += 128 * KiB;
      }
      const took = performance.now() - start;
      await reader;
      // python3 returns after ~0.1 s (Node's reads of 64 KiB made the
      // sender wait until the peer had read ~1 MiB: a TimeoutError).
      assert(took < 700, `the ${call} took ${took} ms`);
      // Everything sent arrives once, in order, before the end of stream.
      await c.shutdown(socket.SHUT_WR);
      for (;;) {
        const part = await p.recv(MiB);
        if (part.length === 0) break;
        parts.push(part);
        read += part.length;
      }
      assertEquals(read, sent);
      let at = 0;
      for (const part of parts) {
        for (let i = 0; i < part.length; i++, at++) {
          if (part[i] !== source[at]) {
            assertEquals(part[i], source[at], `byte ${at}`);
          }
        }
      }
    } finally {
      await closeAll(c, p);
    }
  });
}

tlsTest(
  "SSLSocket send(b'') and sendall(b'') return 0 and None and write nothing (OpenSSL's write of nothing), the connection going on",
  async () => {
    const certs = await testCerts();
    const server = new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER);
    server.load_cert_chain(certs.server, certs.serverKey);
    const client = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, {
      cafile: certs.ca,
    });
    const [a, b] = await plainPair();
    const serving = server.wrap_socket(b, { server_side: true });
    serving.catch(() => {});
    const c = await client.wrap_socket(a, { server_hostname: "localhost" });
    const s = await serving;
    try {
      for (const timeout of [null, 1.0, 0]) {
        c.settimeout(timeout);
        assertEquals(await c.send(EMPTY), 0);
        assertEquals(await c.sendall(EMPTY), undefined);
      }
      c.settimeout(5);
      await c.sendall(new Uint8Array([104, 105]));
      s.settimeout(5);
      assertEquals(await s.recv(10), new Uint8Array([104, 105]));
    } finally {
      await closeAll(c, s);
    }
  },
);
