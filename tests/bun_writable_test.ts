// Copyright the pysocket authors. MIT license.
// A non-blocking TCP sender whose buffers are full can send again once the
// peer has read a good part of them, as with CPython: the kernel takes
// bytes as soon as any room is free, though Linux wakes pollers (Bun's
// drain, EPOLLOUT) only once a third of the send buffer is. Bun's backend
// tries its waiting write again when a send asks, instead of only on a
// drain that does not come while the peer reads no more (a select, like
// Linux's poll, waits for the drain).

import { assert, assertEquals } from "@std/assert";
import * as socket from "../mod.ts";
import * as select from "../select.ts";
import { bounded, closeAll, runtime, tcpPair, test } from "./_util.ts";

const KiB = 1024;
const MiB = 1024 * KiB;

/**
 * Node's and Deno's writes wait for EPOLLOUT, and a write they have queued
 * cannot be tried again sooner: there the sender still waits until the
 * peer has read past Linux's mark.
 */
const ONLY_BUN = runtime === "bun"
  ? false
  : "a write the runtime queued waits for EPOLLOUT (a third of the send buffer free) and cannot be tried sooner";

/**
 * Fills `client`'s buffers (non-blocking 64 KiB sends until
 * BlockingIOError) and lets the peer read `read` bytes; then
 * `check(client)`.
 */
async function afterPeerRead(
  read: number,
  check: (client: socket.Socket, note: string) => Promise<void>,
): Promise<void> {
  const { server, client, conn } = await tcpPair();
  try {
    client.setblocking(false);
    const chunk = new Uint8Array(64 * KiB);
    let total = 0;
    for (;;) {
      try {
        total += await client.send(chunk);
      } catch (err) {
        if (!(err instanceof socket.BlockingIOError)) throw err;
        break;
      }
    }
    assert(total > MiB, `only ${total} bytes went before BlockingIOError`);
    conn.settimeout(5);
    let got = 0;
    while (got < read) got += (await conn.recv(64 * KiB)).length;
    await check(client, `after the peer read ${got} of ${total} bytes`);
  } finally {
    await closeAll(client, conn, server);
  }
}

test(
  "select() reports a full non-blocking TCP socket writable once the peer has read 1 MiB, and send() then takes bytes",
  async () => {
    // Whether reading 1 MiB takes the kernel past Linux's mark (then CPython's
    // select() says writable at once) varies from run to run; below it, a
    // process's first connection most often: several connections.
    for (let round = 0; round < 6; round++) {
      await bounded(
        afterPeerRead(MiB, async (client, note) => {
          const t0 = performance.now();
          const [, writable] = await select.select([], [client], [], 3);
          const waited = Math.round(performance.now() - t0);
          assertEquals(writable, [client], `not writable ${waited} ms ${note}`);
          const sent = await client.send(new Uint8Array(64 * KiB));
          assert(sent > 0, `send() took ${sent} bytes ${note}`);
        }),
        15_000,
        `round ${round}`,
      );
    }
  },
  { ignore: ONLY_BUN },
);

test(
  "non-blocking send() on a full TCP socket takes bytes at once once the peer has read 128 KiB (no BlockingIOError)",
  async () => {
    // Far below Linux's mark: CPython's select() would still wait, its
    // non-blocking send() takes bytes.
    for (let round = 0; round < 3; round++) {
      await bounded(
        afterPeerRead(128 * KiB, async (client, note) => {
          let sent: number | string;
          try {
            sent = await client.send(new Uint8Array(64 * KiB));
          } catch (err) {
            if (!(err instanceof socket.BlockingIOError)) throw err;
            sent = "BlockingIOError";
          }
          assert(
            typeof sent === "number" && sent > 0,
            `send() -> ${sent} ${note}`,
          );
        }),
        15_000,
        `round ${round}`,
      );
    }
  },
  { ignore: ONLY_BUN },
);
