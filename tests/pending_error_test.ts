// Copyright the pysocket authors. MIT license.
// A reset is one pending error (Linux's `sk_err`): the first call of either
// kind reports it, a receive or a send. When pysocket's own send buffer
// holds bytes for a peer that stopped reading, and a runtime read is in
// flight when the peer resets (started by a select() that timed out, a
// timed-out recv(), a non-blocking recv() that raised), both the runtime's
// read and its write fail: with no send waiting, the error stays pending
// for whichever call comes first, and the receive does not find a clean
// end of stream (a relay would take a client's abort for a half-close).

import { assertEquals } from "@std/assert";
import * as socket from "../mod.ts";
import * as select from "../select.ts";
import {
  b,
  bounded,
  describe,
  noPython,
  sleep,
  test,
  withResettingPeer,
  withUnixPair,
} from "./_util.ts";

const RESET = "ConnectionResetError 104 [Errno 104] Connection reset by peer";
const PIPE = "BrokenPipeError 32 [Errno 32] Broken pipe";

/** How the program watched the socket before the reset. */
const WATCHES = ["select", "timed-out recv", "non-blocking recv"] as const;
type Watch = typeof WATCHES[number];

/** A call, in order: receive, send, or `SO_ERROR`. */
type Op = "recv" | "send" | "SO_ERROR";

/** Sends until pysocket's send buffer is full (the peer reads nothing). */
async function fill(s: socket.Socket): Promise<void> {
  s.setblocking(false);
  const chunk = new Uint8Array(65536).fill(0x7a);
  for (let i = 0; i < 4096; i++) {
    try {
      await s.send(chunk);
    } catch (err) {
      if (err instanceof socket.BlockingIOError) return;
      throw err;
    }
  }
  throw new Error("the send buffer never filled");
}

/** Starts a runtime read that is still in flight when the peer resets. */
async function watch(s: socket.Socket, how: Watch): Promise<void> {
  if (how === "select") {
    const [r] = await select.select([s], [], [], 0.05);
    assertEquals(r.length, 0);
  } else if (how === "timed-out recv") {
    s.settimeout(0.05);
    let err: unknown = null;
    try {
      await s.recv(10);
    } catch (e) {
      err = e;
    }
    assertEquals(err instanceof socket.TimeoutError, true, String(err));
    s.setblocking(false);
  } else {
    let err: unknown = null;
    try {
      await s.recv(10);
    } catch (e) {
      err = e;
    }
    assertEquals(err instanceof socket.BlockingIOError, true, String(err));
  }
}

/** What each call returns: `""` at the end of stream, or the error. */
async function calls(s: socket.Socket, ops: Op[]): Promise<string[]> {
  const got: string[] = [];
  for (const op of ops) {
    try {
      if (op === "recv") {
        const data = await bounded(s.recv(100), 5000, "recv after a reset");
        got.push(data.length === 0 ? "" : `${data.length} bytes`);
      } else if (op === "send") {
        got.push(String(await bounded(s.send(b("x")), 5000, "send")));
      } else {
        got.push(String(s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)));
      }
    } catch (err) {
      got.push(describe(err));
    }
  }
  return got;
}

/**
 * A TCP connection from a CPython peer: fills pysocket's send buffer,
 * watches as `how` says, has the peer reset the connection, and returns
 * what `ops` meet.
 */
function overTcp(how: Watch, ops: Op[]): Promise<string[]> {
  return withResettingPeer(async (conn, reset) => {
    await fill(conn);
    await watch(conn, how);
    await reset();
    await sleep(100);
    return await calls(conn, ops);
  });
}

/**
 * The same on a Unix socket: the peer closes with the bytes unread (Linux
 * resets the connection).
 */
function overUnix(how: Watch, ops: Op[]): Promise<string[]> {
  return withUnixPair(async (client, conn) => {
    await fill(client);
    await watch(client, how);
    conn.close();
    await sleep(300);
    return await calls(client, ops);
  });
}

const noPy = await noPython();

for (const how of WATCHES) {
  test(
    `TCP reset with sends buffered after a ${how}: recv() raises it, then the end, then EPIPE`,
    async () => {
      assertEquals(await overTcp(how, ["recv", "recv", "send", "send"]), [
        RESET,
        "",
        PIPE,
        PIPE,
      ]);
    },
    { ignore: noPy },
  );

  test(
    `TCP reset with sends buffered after a ${how}: send() raises it, then recv() finds the end`,
    async () => {
      assertEquals(await overTcp(how, ["send", "recv", "send"]), [
        RESET,
        "",
        PIPE,
      ]);
    },
    { ignore: noPy },
  );

  test(
    `TCP reset with sends buffered after a ${how}: SO_ERROR takes it, then the end`,
    async () => {
      assertEquals(await overTcp(how, ["SO_ERROR", "recv", "send"]), [
        "104",
        "",
        PIPE,
      ]);
    },
    { ignore: noPy },
  );

  test(`AF_UNIX peer closed with bytes unread after a ${how}: recv() raises the reset, then the end, then EPIPE`, async () => {
    assertEquals(await overUnix(how, ["recv", "recv", "send", "send"]), [
      RESET,
      "",
      PIPE,
      PIPE,
    ]);
  });

  test(`AF_UNIX peer closed with bytes unread after a ${how}: send() meets EPIPE, the reset stays for recv()`, async () => {
    assertEquals(await overUnix(how, ["send", "recv", "recv", "send"]), [
      PIPE,
      RESET,
      "",
      PIPE,
    ]);
  });
}
