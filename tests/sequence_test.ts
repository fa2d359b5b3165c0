// Copyright the pysocket authors. MIT license.
// Random sequences of calls on TCP and UDP sockets: connected or not,
// bound, shut down, closed, reset, with a write waiting for the peer, with
// timeouts or non-blocking. Whatever state a sequence leaves a socket in,
// each call answers as CPython may, with a value or with one of Python's
// `OSError`s in Python's words; never with the runtime's own error (as
// Deno's `Unable to get resources` from a `setsockopt` while a write waited,
// or Bun's `Expected 3 arguments, got 1` from a `send` after a failed UDP
// `connect`), and no call waits past its bound.
//
// Seeded and replayable: by default seeds 1, 2 and 3 run, 1,500 calls each
// (each bug above fails one of them); `PYSOCKET_SEQ_SEED` runs one seed and
// `PYSOCKET_SEQ_STEPS` sets the calls. A failure names the seed, the step
// and the calls before it.

import { assertEquals } from "@std/assert";
import * as socket from "../mod.ts";
import * as select from "../select.ts";
import { Rng } from "./_rng.ts";
import { bounded, env, freePort, test } from "./_util.ts";

const SEEDS = env("PYSOCKET_SEQ_SEED") === undefined
  ? [1, 2, 3]
  : [Number(env("PYSOCKET_SEQ_SEED"))];
const STEPS = Number(env("PYSOCKET_SEQ_STEPS") ?? "1500");
/** The longest any call may take: every wait in the calls is shorter. */
const CALL_MS = 3000;

const b = (text: string) => new TextEncoder().encode(text);

/** A call, named for the trace. */
type Call = [name: string, run: () => unknown];

/**
 * Is `err` an answer CPython could give? One of Python's `OSError`s with
 * an errno or `timed out`, in Python's words.
 */
function pythonAnswer(err: unknown): boolean {
  return err instanceof socket.OSError &&
    /^(\[Errno -?\d+\] \S|timed out$)/.test(err.message);
}

/**
 * Runs `steps` calls drawn from `calls()` (made afresh for each step, so
 * that they act on the sockets of the moment); fails on the first answer
 * that is not Python's, or a call that hangs.
 */
async function run(
  what: string,
  seed: number,
  rng: Rng,
  calls: () => Call[],
): Promise<void> {
  const trace: string[] = [];
  for (let step = 0; step < STEPS; step++) {
    const [name, call] = rng.pick(calls());
    trace.push(name);
    try {
      await bounded(Promise.resolve().then(call), CALL_MS, name);
    } catch (err) {
      if (!pythonAnswer(err)) {
        throw new Error(
          `${what}: PYSOCKET_SEQ_SEED=${seed}, step ${step}: ${name} raised ${
            (err as Error)?.constructor?.name
          }: ${(err as Error)?.message}\n  after: ${
            trace.slice(-12, -1).join(", ")
          }`,
        );
      }
      trace[trace.length - 1] += `!${(err as Error).message.slice(0, 10)}`;
    }
  }
}

test("random call sequences on TCP sockets answer only as Python does", async () => {
  for (const seed of SEEDS) await tcpSequence(seed);
});

/** One seed's calls on a listener, a client and an accepted socket. */
async function tcpSequence(seed: number): Promise<void> {
  const rng = new Rng(seed * 7919 + 1);
  const server = socket.create_server(["127.0.0.1", 0]);
  const port = (server.getsockname() as socket.IPv4Address)[1];
  const refused = freePort();
  let client = socket.socket();
  let accepted: socket.Socket | null = null;
  const any = () => accepted !== null && rng.chance(0.5) ? accepted : client;
  /** A bounded wait for `s`'s next call: a timeout, or non-blocking. */
  const shortWait = (s: socket.Socket) => s.settimeout(rng.pick([0, 0.02]));
  try {
    await run("tcp", seed, rng, () => [
      ["socket", () => {
        client.close();
        client = socket.socket();
      }],
      ["connect", () => {
        client.settimeout(rng.pick([null, 0, 0.5]));
        return client.connect(["127.0.0.1", rng.pick([port, refused, 0])]);
      }],
      ["connect_ex", () => client.connect_ex(["127.0.0.1", port])],
      ["accept", async () => {
        server.settimeout(0.02);
        const [conn] = await server.accept();
        accepted?.close();
        accepted = conn;
      }],
      ["send", () => {
        const s = any();
        shortWait(s);
        return s.send(new Uint8Array(rng.pick([1, 1000, 100_000])));
      }],
      ["sendall", () => {
        const s = any();
        s.settimeout(0.02);
        return s.sendall(new Uint8Array(rng.pick([1, 1000, 400_000])));
      }],
      ["recv", () => {
        const s = any();
        shortWait(s);
        return s.recv(rng.pick([0, 1, 65536]));
      }],
      ["recv_into", () => {
        const s = any();
        shortWait(s);
        const flags = rng.pick([0, socket.MSG_PEEK, socket.MSG_DONTWAIT]);
        return s.recv_into(new Uint8Array(8), 0, flags);
      }],
      ["shutdown", () => any().shutdown(rng.pick([0, 1, 2]))],
      ["close", () => any().close()],
      ["reset", () => {
        // SO_LINGER {1, 0]: close() resets, where the runtime can.
        const s = any();
        s.setsockopt(
          socket.SOL_SOCKET,
          socket.SO_LINGER,
          new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0]),
        );
        s.close();
      }],
      [
        "nodelay",
        () => any().setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1),
      ],
      [
        "keepalive",
        () => any().setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1),
      ],
      ["getpeername", () => any().getpeername()],
      ["getsockname", () => any().getsockname()],
      ["SO_ERROR", () => any().getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)],
      ["select", () => {
        const s = any();
        return s.fileno() < 0 ? null : select.select([s], [s], [s], 0);
      }],
      ["bind", () => client.bind(["127.0.0.1", 0])],
      ["listen", () => client.listen()],
    ]);
  } finally {
    for (const s of [client, accepted, server]) {
      await s?.[Symbol.asyncDispose]();
    }
  }
}

test("random call sequences on UDP sockets answer only as Python does", async () => {
  for (const seed of SEEDS) await udpSequence(seed);
});

/** One seed's calls on a UDP socket, with two peers. */
async function udpSequence(seed: number): Promise<void> {
  const rng = new Rng(seed * 7919 + 2);
  const peers = [0, 1].map(() => {
    const p = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
    p.bind(["127.0.0.1", 0]);
    p.setblocking(false);
    return p;
  });
  const addresses = (): socket.IPv4Address[] => [
    ...peers.map((p) => p.getsockname() as socket.IPv4Address),
    ["127.0.0.1", 0],
    ["127.0.0.1", freePort()],
    ["", 0],
    ["localhost", 9],
  ];
  let s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  try {
    await run("udp", seed, rng, () => [
      ["socket", () => {
        s.close();
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
      }],
      ["bind", () => s.bind([rng.pick(["127.0.0.1", "0.0.0.0", ""]), 0])],
      ["connect", () => s.connect(rng.pick(addresses()))],
      ["sendto", () => s.sendto(b("x"), rng.pick(addresses()))],
      ["send", () => s.send(b("y"))],
      ["sendall", () => s.sendall(b("z"))],
      ["recvfrom", () => {
        s.settimeout(rng.pick([0, 0.02]));
        return s.recvfrom(rng.pick([0, 10]));
      }],
      ["recv_into", () => {
        s.settimeout(0.02);
        return s.recv_into(new Uint8Array(4));
      }],
      ["peer sends", () => rng.pick(peers).sendto(b("p"), s.getsockname())],
      ["peers read", async () => {
        for (const p of peers) {
          try {
            await p.recvfrom(100);
          } catch (err) {
            if (!(err instanceof socket.BlockingIOError)) throw err;
          }
        }
      }],
      ["close", () => s.close()],
      ["shutdown", () => s.shutdown(rng.pick([0, 1, 2]))],
      ["getsockname", () => s.getsockname()],
      ["getpeername", () => s.getpeername()],
      ["SO_ERROR", () => s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)],
      [
        "SO_BROADCAST",
        () =>
          s.setsockopt(
            socket.SOL_SOCKET,
            socket.SO_BROADCAST,
            rng.pick([0, 1]),
          ),
      ],
    ]);
  } finally {
    for (const q of [s, ...peers]) await q[Symbol.asyncDispose]();
  }
  // The sockets made on the way are closed with the last one.
  assertEquals(s.fileno(), -1);
}
