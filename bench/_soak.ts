// Copyright the pysocket authors. MIT license.
/**
 * The soak (issue 13, part 2): many connections over time through
 * pysocket — an echo server and its clients in one process, a bounded
 * number at once — while the process's resident memory (`VmRSS` of
 * `/proc/self/status`), its JavaScript heap and its open descriptors
 * (`/proc/self/fd`) are sampled. A leak per connection shows as a count or
 * a size that grows with the connections; a sound run is flat after the
 * warm-up and has its descriptors back where they started.
 *
 * Only `node:` modules and pysocket's public API, so the same code runs on
 * Deno, Node and Bun (`bench/soak.ts` is its command line;
 * `tests/soak_test.ts` runs a short one). Linux only (`/proc`).
 *
 * @module
 */

import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import process from "node:process";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import * as socket from "../mod.ts";

/** What to run. */
export interface SoakOptions {
  /** Connections in all. @default {10_000} */
  connections?: number;
  /** Connections open at once, at most. @default {64} */
  concurrency?: number;
  /** Samples taken over the run (one every connections / samples). @default {20} */
  samples?: number;
  /** The share of the run that is warm-up (not held to flatness). @default {0.2} */
  warmup?: number;
  /** The PRNG's seed (each connection's shape). @default {1} */
  seed?: number;
  /** Called with each sample as it is taken. */
  onSample?: (sample: Sample) => void;
}

/** One measurement. */
export interface Sample {
  /** Connections done (both ends closed) when it was taken. */
  done: number;
  /** Seconds since the start. */
  seconds: number;
  /** Resident set size, MiB. */
  rssMiB: number;
  /** JavaScript heap in use, MiB (after a collection where one can be asked). */
  heapMiB: number;
  /** Memory of ArrayBuffers and other objects outside the heap, MiB. */
  externalMiB: number;
  /** Open descriptors of the process. */
  fds: number;
  /** Of which TCP and UDP sockets. */
  netFds: number;
}

/** The run's numbers and its verdict. */
export interface SoakReport {
  /** Before the listener was made, after it was closed and everything settled. */
  start: Sample;
  end: Sample;
  /** Taken during the run. */
  samples: Sample[];
  /** The sample the warm-up ends with (growth is measured from it). */
  warm: Sample;
  /** Largest RSS and heap after the warm-up, minus the warm sample's. */
  rssGrowthMiB: number;
  heapGrowthMiB: number;
  externalGrowthMiB: number;
  /** The most descriptors open at once during the run. */
  peakFds: number;
  /** Descriptors open at the end that were not at the start, and what. */
  extraFds: string[];
  /** Connections by shape, and those that failed (must be 0). */
  shapes: Record<string, number>;
  failures: string[];
}

/** Open descriptors of this process. */
export function openFds(): number {
  // readdir opens the directory itself: not counted.
  return readdirSync("/proc/self/fd").length - 1;
}

/** What each open descriptor is (`socket:[inode]`, a path, …). */
export function fdTable(): Map<string, string> {
  const table = new Map<string, string>();
  for (const fd of readdirSync("/proc/self/fd")) {
    try {
      table.set(fd, readlinkSync(`/proc/self/fd/${fd}`));
    } catch {
      // The directory's own descriptor, gone already.
    }
  }
  return table;
}

/** The inodes of the sockets in /proc/net's `tables`. */
function inodes(tables: string[]): Set<string> {
  const out = new Set<string>();
  for (const table of tables) {
    let rows: string[];
    try {
      rows = readFileSync(`/proc/net/${table}`, "utf8").split("\n").slice(1);
    } catch {
      continue;
    }
    // tcp/udp: the inode is the 10th column.
    for (const row of rows) {
      const inode = row.trim().split(/\s+/)[9];
      if (inode !== undefined) out.add(inode);
    }
  }
  return out;
}

/** Open descriptors of this process that are TCP or UDP sockets. */
export function netFds(): number {
  const net = inodes(["tcp", "tcp6", "udp", "udp6"]);
  let n = 0;
  for (const what of fdTable().values()) {
    const inode = /^socket:\[(\d+)\]$/.exec(what)?.[1];
    if (inode !== undefined && net.has(inode)) n++;
  }
  return n;
}

/** For `socket:[inode]`: which table of /proc/net has it (tcp, unix, …). */
function socketKind(what: string): string {
  const inode = /^socket:\[(\d+)\]$/.exec(what)?.[1];
  if (inode === undefined) return "";
  for (const table of ["tcp", "tcp6", "udp", "udp6", "unix", "netlink"]) {
    try {
      const rows = readFileSync(`/proc/net/${table}`, "utf8").split("\n");
      if (rows.some((row) => row.trim().split(/\s+/).includes(inode))) {
        return ` (${table})`;
      }
    } catch {
      // Not there on this kernel.
    }
  }
  return "";
}

/** Resident set size in MiB, from /proc/self/status. */
export function rssMiB(): number {
  const status = readFileSync("/proc/self/status", "utf8");
  const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

let gc: (() => void) | null | undefined;

/**
 * A full collection, where the runtime lets a program ask for one: Bun's
 * `Bun.gc`, a `gc()` exposed by `--expose-gc` (Deno: `--v8-flags=`), or
 * one exposed from inside on Node (`v8.setFlagsFromString`).
 */
function collector(): (() => void) | null {
  if (gc !== undefined) return gc;
  const g = globalThis as {
    gc?: () => void;
    Bun?: { gc(force: boolean): void };
  };
  const bun = g.Bun;
  if (bun !== undefined) return gc = () => bun.gc(true);
  if (typeof g.gc === "function") return gc = g.gc;
  try {
    setFlagsFromString("--expose-gc");
    const exposed = runInNewContext("gc");
    if (typeof exposed === "function") return gc = exposed;
  } catch {
    // Not on this runtime.
  }
  return gc = null;
}

/** Whether samples are taken after a full collection. */
export function collects(): boolean {
  return collector() !== null;
}

function collect(): void {
  collector()?.();
}

function sample(done: number, started: number): Sample {
  collect();
  const memory = process.memoryUsage();
  return {
    done,
    seconds: (performance.now() - started) / 1000,
    rssMiB: rssMiB(),
    heapMiB: memory.heapUsed / 2 ** 20,
    externalMiB: memory.external / 2 ** 20,
    fds: openFds(),
    netFds: netFds(),
  };
}

/** mulberry32. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    let t = s = (s + 0x6d2b79f5) >>> 0;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The server's side of one connection: echo until end of stream. */
async function echo(conn: socket.Socket): Promise<void> {
  try {
    for (;;) {
      const data = await conn.recv(65536);
      if (data.length === 0) break;
      await conn.sendall(data);
    }
  } catch (err) {
    // A client that closed without reading: its reset, as CPython sees it.
    if (
      !(err instanceof socket.ConnectionError) &&
      (err as socket.OSError).errno !== 32
    ) throw err;
  } finally {
    conn.close();
  }
}

/** `n` bytes that tell offsets apart, from `seed`. */
function message(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + seed) & 255;
  return out;
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Reads exactly `n` bytes (or fewer at end of stream). */
async function recvExactly(s: socket.Socket, n: number): Promise<Uint8Array> {
  const out = new Uint8Array(n);
  let at = 0;
  while (at < n) {
    const k = await s.recv_into(out.subarray(at));
    if (k === 0) break;
    at += k;
  }
  return out.subarray(0, at);
}

const SHAPES = [
  "sendall, SHUT_WR, read to the end",
  "round trips with timeouts",
  "makefile rwb",
  "non-blocking send, select",
  "close without reading",
] as const;
type Shape = typeof SHAPES[number];

/** One client connection of `shape`; throws if the echo is wrong. */
async function client(
  address: [string, number],
  shape: Shape,
  random: () => number,
): Promise<void> {
  const s = socket.socket();
  try {
    s.settimeout(30);
    await s.connect(address);
    const size = 1 + Math.floor(random() ** 3 * 65536);
    const data = message(size, Math.floor(random() * 256));
    switch (shape) {
      case "sendall, SHUT_WR, read to the end": {
        s.settimeout(null);
        await s.sendall(data);
        await s.shutdown(socket.SHUT_WR);
        const back = await recvExactly(s, size + 1);
        if (!same(back, data)) throw new Error(`echo of ${size} bytes differs`);
        break;
      }
      case "round trips with timeouts": {
        s.settimeout(5);
        for (let i = 0; i < 3; i++) {
          const part = data.subarray(0, Math.min(size, 1 + i * 97));
          await s.sendall(part);
          const back = await recvExactly(s, part.length);
          if (!same(back, part)) throw new Error("a round trip differs");
        }
        break;
      }
      case "makefile rwb": {
        s.settimeout(null);
        const f = s.makefile("rwb");
        try {
          await f.write(data);
          await f.flush();
          const back = await f.read(size);
          if (!same(back, data)) throw new Error("makefile echo differs");
        } finally {
          await f.close();
        }
        break;
      }
      case "non-blocking send, select": {
        s.setblocking(false);
        let at = 0;
        while (at < size) {
          try {
            at += await s.send(data.subarray(at));
          } catch (err) {
            if (!(err instanceof socket.BlockingIOError)) throw err;
            await sleep(1);
          }
        }
        s.settimeout(10);
        const back = await recvExactly(s, size);
        if (!same(back, data)) throw new Error("non-blocking echo differs");
        break;
      }
      case "close without reading": {
        // The echo comes back to a closed socket: the server meets a reset.
        s.settimeout(null);
        await s.sendall(data);
        break;
      }
    }
  } finally {
    s.close();
  }
}

/** One connection, echoed and closed, and a timer. */
async function firstConnection(): Promise<void> {
  const server = socket.socket();
  server.bind(["127.0.0.1", 0]);
  server.listen();
  const serving = server.accept().then(([conn]) => echo(conn));
  await client(server.getsockname() as [string, number], SHAPES[0], () => 0.5);
  await serving;
  await server[Symbol.asyncDispose]();
  await sleep(100);
}

/**
 * Runs the soak.
 *
 * @param options How many connections, how many at once, samples.
 * @returns The samples and the verdict's numbers.
 */
export async function soak(options: SoakOptions = {}): Promise<SoakReport> {
  const {
    connections = 10_000,
    concurrency = 64,
    samples: sampleCount = 20,
    warmup = 0.2,
    seed = 1,
    onSample,
  } = options;
  const random = prng(seed);
  // What the runtime makes once, on its first connection, is not counted
  // (Deno opens a Unix socket pair for itself then): one first.
  await firstConnection();
  const started = performance.now();
  const start = sample(0, started);
  const startTable = fdTable();
  onSample?.(start);
  const server = socket.socket();
  server.bind(["127.0.0.1", 0]);
  server.listen(1024);
  const address = server.getsockname() as [string, number];
  const serving = new Set<Promise<void>>();
  const failures: string[] = [];
  const accepting = (async () => {
    for (;;) {
      let conn: socket.Socket;
      try {
        [conn] = await server.accept();
      } catch {
        return; // closed
      }
      const task = echo(conn).catch((err) => {
        failures.push(`server: ${err}`);
      });
      serving.add(task);
      task.then(() => serving.delete(task));
    }
  })();
  const every = Math.max(1, Math.floor(connections / sampleCount));
  const samples: Sample[] = [];
  const shapes: Record<string, number> = {};
  let peakFds = start.fds;
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < connections) {
      next++;
      const shape = SHAPES[Math.floor(random() * SHAPES.length)];
      shapes[shape] = (shapes[shape] ?? 0) + 1;
      try {
        await client(address, shape, random);
      } catch (err) {
        failures.push(`${shape}: ${err}`);
      }
      done++;
      if (done % every === 0) {
        const s = sample(done, started);
        peakFds = Math.max(peakFds, s.fds);
        samples.push(s);
        onSample?.(s);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  server.close();
  await accepting;
  await Promise.all(serving);
  await server[Symbol.asyncDispose]();
  // The runtime may release a closed socket's descriptor a little later
  // (Deno: when its read op ends).
  let end = sample(done, started);
  for (let i = 0; i < 40 && end.netFds > start.netFds; i++) {
    await sleep(50);
    end = sample(done, started);
  }
  onSample?.(end);
  const endTable = fdTable();
  const extraFds = [...endTable].filter(([fd, what]) =>
    startTable.get(fd) !== what
  ).map(([fd, what]) => `${fd} → ${what}${socketKind(what)}`);
  const warmAt = Math.max(0, Math.ceil(samples.length * warmup) - 1);
  const warm = samples[warmAt] ?? start;
  const after = samples.slice(warmAt + 1);
  const max = (f: (s: Sample) => number) =>
    Math.max(f(warm), ...after.map(f)) - f(warm);
  return {
    start,
    end,
    samples,
    warm,
    rssGrowthMiB: max((s) => s.rssMiB),
    heapGrowthMiB: max((s) => s.heapMiB),
    externalGrowthMiB: max((s) => s.externalMiB),
    peakFds,
    extraFds,
    shapes,
    failures,
  };
}
