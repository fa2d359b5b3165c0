// Copyright the pysocket authors. MIT license.
// A reset that pysocket has already seen (a poll() or select() read ahead
// and met it) is Linux's one pending error (`sk_err`): the next send
// reports it, before it takes a byte, as CPython's does; it does not
// return a count for bytes the connection can no longer carry. Then sends
// meet EPIPE and a receive finds the end of stream.

import { assertEquals } from "@std/assert";
import * as socket from "../mod.ts";
import * as select from "../select.ts";
import {
  b,
  bounded,
  Child,
  closeAll,
  describe,
  noPython,
  sleep,
  test,
  withResettingPeer,
} from "./_util.ts";

const RESET = "ConnectionResetError 104 [Errno 104] Connection reset by peer";
const PIPE = "BrokenPipeError 32 [Errno 32] Broken pipe";

/** How a send is made: each takes the pending error first. */
const SENDS = ["send", "sendall", "timed send", "blocking send"] as const;
type Send = typeof SENDS[number];

/** A call, in order: one kind of send, or a receive. */
type Op = Send | "recv";

/**
 * A CPython listener: says its port, and on a line from stdin closes with
 * the connections it has not accepted still queued (Linux resets them),
 * then says "closed".
 */
const PY_LISTENER = `import socket, sys
L = socket.socket()
L.bind(("127.0.0.1", 0))
L.listen(4)
print("port", L.getsockname()[1], flush=True)
sys.stdin.readline()
L.close()
print("closed", flush=True)
`;

/** What each call returns (a count, `""` at the end of stream) or raises. */
async function calls(s: socket.Socket, ops: Op[]): Promise<string[]> {
  const got: string[] = [];
  const data = b("abcdefgh");
  for (const op of ops) {
    try {
      if (op === "recv") {
        s.setblocking(false);
        const r = await bounded(s.recv(10), 5000, "recv");
        got.push(r.length === 0 ? "" : `${r.length} bytes`);
        continue;
      }
      if (op === "blocking send") s.setblocking(true);
      else if (op === "timed send") s.settimeout(2);
      else s.setblocking(false);
      const n = op === "sendall"
        ? await bounded(s.sendall(data), 5000, op)
        : await bounded(s.send(data), 5000, op);
      got.push(String(n));
    } catch (err) {
      got.push(describe(err));
    }
  }
  return got;
}

/** `s`'s events for POLLIN | POLLOUT now (0 if none). */
async function pollNow(s: socket.Socket, ms = 0): Promise<number> {
  const p = select.poll();
  p.register(s, select.POLLIN | select.POLLOUT);
  const r = await p.poll(ms);
  return r.length === 0 ? 0 : r[0][1];
}

/**
 * A connection accepted from a CPython peer that resets it while pysocket
 * polls it: returns what poll() reports before and after the reset, then
 * what `ops` meet.
 */
function afterPeerReset(ops: Op[]): Promise<[number, number, string[]]> {
  return withResettingPeer(async (conn, reset) => {
    // Writable only: a read ahead is in flight when the reset comes.
    const before = await pollNow(conn);
    await reset();
    let after = 0;
    for (let i = 0; i < 50 && !(after & select.POLLERR); i++) {
      after = await pollNow(conn, 100);
    }
    return [before, after, await calls(conn, ops)];
  });
}

/**
 * A client whose CPython listener closes before accepting it, after a
 * select() has started a read ahead: returns whether select() then finds
 * it readable and writable, and what `ops` meet.
 */
async function afterListenerClosed(
  ops: Op[],
): Promise<[boolean, boolean, string[]]> {
  const listener = new Child("python3", ["-c", PY_LISTENER], {
    stdin: "piped",
    timeoutMs: 30_000,
  });
  const client = socket.socket();
  try {
    const [, port] = await listener.waitFor("stdout", /port (\d+)/);
    client.setblocking(false);
    assertEquals(
      await client.connect_ex(["127.0.0.1", Number(port)]),
      115,
    );
    const [, w] = await select.select([], [client], [], 5);
    assertEquals(w.length, 1);
    const [r] = await select.select([client], [], [], 0);
    assertEquals(r.length, 0);
    await listener.write("go\n");
    await listener.waitFor("stdout", /closed/);
    await sleep(20);
    const [r2, w2] = await select.select([client], [client], [], 5);
    return [r2.length === 1, w2.length === 1, await calls(client, ops)];
  } finally {
    await closeAll(client);
    await listener.kill();
  }
}

const noPy = await noPython();

for (const send of SENDS) {
  test(
    `socket.${send}() after poll() saw the peer's reset raises ECONNRESET, then EPIPE; recv() finds the end`,
    async () => {
      const [before, after, got] = await afterPeerReset([send, send, "recv"]);
      assertEquals(before, select.POLLOUT);
      assertEquals(
        after,
        select.POLLIN | select.POLLOUT | select.POLLERR | select.POLLHUP,
      );
      assertEquals(got, [RESET, PIPE, ""]);
    },
    { ignore: noPy },
  );
}

test(
  "socket.send() after poll() saw the peer's reset: three sends raise ECONNRESET, EPIPE, EPIPE",
  async () => {
    const [, , got] = await afterPeerReset(["send", "send", "send", "recv"]);
    assertEquals(got, [RESET, PIPE, PIPE, ""]);
  },
  { ignore: noPy },
);

test(
  "socket.recv() after poll() saw the peer's reset still reports it first; a send then meets EPIPE",
  async () => {
    const [, , got] = await afterPeerReset(["recv", "send", "recv"]);
    assertEquals(got, [
      "ConnectionResetError 104 [Errno 104] Connection reset by peer",
      PIPE,
      "",
    ]);
  },
  { ignore: noPy },
);

test(
  "socket.send() on a client whose listener closed before accepting it raises ECONNRESET, then EPIPE",
  async () => {
    const [readable, writable, got] = await afterListenerClosed([
      "send",
      "send",
      "recv",
    ]);
    assertEquals([readable, writable], [true, true]);
    assertEquals(got, [RESET, PIPE, ""]);
  },
  { ignore: noPy },
);
