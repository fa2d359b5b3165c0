// Copyright the pysocket authors. MIT license.
// Round 18 (modules composed). A non-blocking unwrap() whose peer (python3,
// another process) writes data before its own close_notify: on every
// runtime, Bun's included, the sequence is CPython's (SSLWantReadError, the
// late data, SSLZeroReturnError, then the plain stream). The README once
// said Bun's unwrapping side lost that data; it is a Bun peer that cannot
// write after our close_notify (tests/ssl_nonblocking_fidelity_test.ts).

import { assertEquals, assertInstanceOf, assertRejects } from "@std/assert";
import * as ssl from "../ssl.ts";
import { select } from "../select.ts";
import {
  pyTlsServerHead,
  testContexts,
  tlsPair,
  tlsTest,
  withPythonTlsServer,
} from "./_certs.ts";
import { noPython } from "./_util.ts";

const NO_PYTHON = await noPython();
const td = new TextDecoder();

async function pyLateDataServer(): Promise<string> {
  return `${await pyTlsServerHead(10)}print("ready", flush=True)
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
    await withPythonTlsServer(await pyLateDataServer(), async (mine, peer) => {
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
    });
  },
  NO_PYTHON,
);

// The selector idiom `out += more; n = sock.send(out)` retries a send that
// raised SSLWantWriteError with a longer buffer: CPython's OpenSSL
// (SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER) counts the bytes it took as the
// new buffer's first ones (python3 3.11.7: 16 MiB in 4 MB sends, each retry
// 1,000 bytes longer, arrived whole); pysocket sent them again (19.9-21.5
// MB arrived). A retry with fewer bytes than went is BAD_LENGTH.

tlsTest(
  "a non-blocking SSLSocket.send() that raised SSLWantWriteError, retried with a longer buffer (the old bytes first), sends no byte twice (OpenSSL's moving write buffer)",
  async () => {
    const [c, s] = await testContexts();
    const { client, server } = await tlsPair(c, s);
    try {
      const data = new Uint8Array(16 << 20);
      const dv = new DataView(data.buffer);
      for (let i = 0; i < data.length / 4; i++) dv.setUint32(i * 4, i);
      const CH = 4_000_000;
      client.setblocking(false);
      server.settimeout(10);
      let received = 0;
      let mismatch = -1;
      const reading = (async () => {
        await new Promise((r) => setTimeout(r, 300)); // let the sender fill up
        while (received < data.length + 8_000_000) {
          const d = await server.recv(1 << 16);
          if (d.length === 0) break;
          for (let i = 0; i < d.length && mismatch < 0; i++) {
            if (received + i < data.length && d[i] !== data[received + i]) {
              mismatch = received + i;
            }
          }
          received += d.length;
          if (received >= data.length) break;
        }
      })();
      let pos = 0, wantWrite = 0, retrying = false;
      const deadline = Date.now() + 30_000;
      while (pos < data.length && Date.now() < deadline) {
        await select([], [client], [], 1);
        try {
          const n = await client.send(
            data.subarray(pos, pos + CH + (retrying ? 1000 : 0)),
          );
          pos += n;
          retrying = false;
        } catch (e) {
          if (!(e instanceof ssl.SSLWantWriteError)) throw e;
          wantWrite++;
          retrying = true;
        }
      }
      await reading;
      // A little more may be in flight if bytes were sent twice.
      await new Promise((r) => setTimeout(r, 200));
      client.setblocking(true);
      assertEquals(pos, data.length);
      assertEquals(wantWrite > 0, true, "the test never met SSLWantWriteError");
      assertEquals([received, mismatch], [data.length, -1]);
    } finally {
      client.close();
      server.close();
    }
  },
);

tlsTest(
  "a non-blocking SSLSocket.send() retried with fewer bytes than its last call took is [SSL: BAD_LENGTH], as CPython's",
  async () => {
    const [c, s] = await testContexts();
    const { client, server } = await tlsPair(c, s);
    try {
      const data = new Uint8Array(8 << 20).map((_, i) => i & 0xff);
      client.setblocking(false);
      await assertRejects(() => client.send(data), ssl.SSLWantWriteError);
      for (const n of [100, 1]) {
        const err = await assertRejects(
          () => client.send(data.subarray(0, n)),
          ssl.SSLError,
          "[SSL: BAD_LENGTH] bad length (_ssl.c:2427)",
        );
        assertEquals([err.errno, err.library, err.reason], [
          1,
          "SSL",
          "BAD_LENGTH",
        ]);
      }
      // The session is over then, as OpenSSL's (python3 3.11.7): a call
      // with enough bytes is SSLEOFError, one with too few BAD_LENGTH again.
      const eof = await assertRejects(
        () => client.send(data),
        ssl.SSLEOFError,
        "EOF occurred in violation of protocol (_ssl.c:2427)",
      );
      assertEquals([eof.errno, eof.reason], [8, null]);
      await assertRejects(
        () => client.send(data.subarray(0, 5)),
        ssl.SSLError,
        "[SSL: BAD_LENGTH] bad length (_ssl.c:2427)",
      );
    } finally {
      client.close();
      server.close();
    }
  },
);

/**
 * Reads from `server` until `size` bytes came (or 20 s): their count and
 * where the first byte unlike `expected(i)` is (-1: none).
 */
async function drainCompared(
  server: ssl.SSLSocket,
  size: number,
  expected: (i: number) => number,
): Promise<[number, number]> {
  server.settimeout(20);
  let received = 0;
  let mismatch = -1;
  while (received < size) {
    const d = await server.recv(1 << 16);
    if (d.length === 0) break;
    for (let i = 0; i < d.length && mismatch < 0; i++) {
      if (d[i] !== expected(received + i)) mismatch = received + i;
    }
    received += d.length;
  }
  return [received, mismatch];
}

// CPython's sendall() and write() are loops of SSL_write(), so the bytes a
// send() that raised SSLWantWriteError took count there too (python3
// 3.11.7): a sendall() of the same bytes sends each once, and the count is
// used up by it, not left for a later send().
tlsTest(
  "sendall() after a non-blocking send() that raised SSLWantWriteError part way counts the bytes it took, and leaves no count for a later send(), as CPython's",
  async () => {
    const [c, s] = await testContexts();
    const { client, server } = await tlsPair(c, s);
    try {
      const A = 12_000_000, Z = 5_000_000;
      const a = new Uint8Array(A).fill(0x41);
      const z = new Uint8Array(Z).fill(0x5a);
      client.setblocking(false);
      await assertRejects(() => client.send(a), ssl.SSLWantWriteError);
      client.setblocking(true);
      const reading = drainCompared(
        server,
        A + Z,
        (i) => i < A ? 0x41 : 0x5a,
      );
      await client.sendall(a);
      assertEquals(await client.send(z), Z);
      assertEquals(await reading, [A + Z, -1]);
    } finally {
      client.close();
      server.close();
    }
  },
);
