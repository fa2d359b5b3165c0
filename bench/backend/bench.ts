// Copyright the pysocket authors. MIT license.
/**
 * The Node backend's `RawConn.read`/`write` loop against plain `node:net`
 * (flow mode: `'data'` events, `write` + `'drain'`) on the same runtime,
 * each talking to the same `node:net` peer in another process.
 *
 * ```sh
 * node24 bench/backend/bench.ts [--mib=256] [--pings=20000] [--reps=5]
 * bun bench/backend/bench.ts
 * ```
 *
 * Prints MB/s (10⁶ bytes/s) for 256 MiB up and down and round trips/s for
 * 64-byte ping-pong, as a client and as a server (the accepted socket),
 * medians of `reps`, and the ratio backend / native.
 *
 * @module
 */

import { spawn } from "node:child_process";
import net from "node:net";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { backend } from "../../src/_backend/mod.ts";
import type { RawConn } from "../../src/_backend/mod.ts";

const args = Object.fromEntries(
  process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=")),
);
const MIB = Number(args.mib ?? 256);
const BYTES = MIB * 1024 * 1024;
const PINGS = Number(args.pings ?? 20000);
const REPS = Number(args.reps ?? 5);
const PEER = fileURLToPath(new URL("./peer.mjs", import.meta.url));
const CHUNK = 64 * 1024;
const pinned = args.cpus !== "none";

type Workload = "upload" | "download" | "pingpong";
type Role = "client" | "server";

/** Starts the peer; resolves its port (listen) once it prints it. */
function startPeer(
  role: "listen" | "connect",
  workload: Workload,
  port?: number,
): { port: Promise<number>; done: Promise<void> } {
  const size = workload === "download" ? BYTES : PINGS;
  const argv = [process.execPath, PEER, role, workload, String(size)];
  if (port !== undefined) argv.push(String(port));
  const cmd = pinned ? "taskset" : argv[0];
  const child = spawn(
    cmd,
    pinned ? ["-c", "1", ...argv] : argv.slice(1),
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const portP = new Promise<number>((resolve) => {
    child.stdout!.once("data", (d) => resolve(Number(String(d).trim())));
  });
  const done = new Promise<void>((resolve) =>
    child.on("exit", () => resolve())
  );
  return { port: portP, done };
}

// --- native node:net --------------------------------------------------------

async function nativeSocket(role: Role, workload: Workload): Promise<
  { sock: net.Socket; done: Promise<void> }
> {
  if (role === "client") {
    const peer = startPeer("listen", workload);
    const port = await peer.port;
    const sock = net.connect({ host: "127.0.0.1", port, allowHalfOpen: true });
    await new Promise((r) => sock.once("connect", r));
    return { sock, done: peer.done };
  }
  const server = net.createServer({ allowHalfOpen: true });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const accepted = new Promise<net.Socket>((r) => server.once("connection", r));
  const port = (server.address() as net.AddressInfo).port;
  const peer = startPeer("connect", workload, port);
  const sock = await accepted;
  server.close();
  return { sock, done: peer.done };
}

/** Wall-clock and CPU (user + system) milliseconds of the timed part. */
interface Timing {
  ms: number;
  cpu: number;
}

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

async function nativeRun(role: Role, workload: Workload): Promise<Timing> {
  const { sock, done } = await nativeSocket(role, workload);
  const cpu0 = cpuMs();
  const start = performance.now();
  if (workload === "upload") {
    const chunk = Buffer.alloc(CHUNK, 1);
    let reply = "";
    sock.on("data", (d) => reply += d);
    const ended = new Promise((r) => sock.on("end", r));
    for (let sent = 0; sent < BYTES; sent += CHUNK) {
      if (!sock.write(chunk)) await new Promise((r) => sock.once("drain", r));
    }
    sock.end();
    await ended;
    if (Number(reply) !== BYTES) throw new Error(`peer counted ${reply}`);
  } else if (workload === "download") {
    let got = 0;
    sock.on("data", (d) => got += d.length);
    await new Promise((r) => sock.on("end", r));
    if (got !== BYTES) throw new Error(`got ${got}`);
    sock.end();
  } else {
    const msg = Buffer.alloc(64, 2);
    let i = 0;
    let have = 0;
    await new Promise<void>((resolve) => {
      sock.on("data", (d) => {
        have += d.length;
        if (have < 64) return;
        have = 0;
        if (++i === PINGS) return resolve();
        sock.write(msg);
      });
      sock.write(msg);
    });
    sock.end();
  }
  const timing = { ms: performance.now() - start, cpu: cpuMs() - cpu0 };
  sock.destroy();
  await done;
  return timing;
}

// --- the backend ------------------------------------------------------------

async function backendConn(role: Role, workload: Workload): Promise<
  { conn: RawConn; done: Promise<void> }
> {
  const be = backend();
  if (role === "client") {
    const peer = startPeer("listen", workload);
    const port = await peer.port;
    const conn = await be.net.connect({ hostname: "127.0.0.1", port }, {});
    return { conn, done: peer.done };
  }
  const listener = be.net.bind({ hostname: "127.0.0.1", port: 0 }, {})
    .listen(16);
  const port = (listener.addr as { port: number }).port;
  const peer = startPeer("connect", workload, port);
  const conn = await listener.accept();
  listener.close();
  return { conn, done: peer.done };
}

async function backendRun(role: Role, workload: Workload): Promise<Timing> {
  const { conn, done } = await backendConn(role, workload);
  const buf = new Uint8Array(CHUNK);
  const cpu0 = cpuMs();
  const start = performance.now();
  if (workload === "upload") {
    const chunk = new Uint8Array(CHUNK).fill(1);
    for (let sent = 0; sent < BYTES;) {
      sent += await conn.write(
        sent + CHUNK <= BYTES ? chunk : chunk.subarray(0, BYTES - sent),
      );
    }
    await conn.closeWrite();
    let reply = "";
    for (;;) {
      const n = await conn.read(buf);
      if (n === null) break;
      reply += new TextDecoder().decode(buf.subarray(0, n));
    }
    if (Number(reply) !== BYTES) throw new Error(`peer counted ${reply}`);
  } else if (workload === "download") {
    let got = 0;
    for (;;) {
      const n = await conn.read(buf);
      if (n === null) break;
      got += n;
    }
    if (got !== BYTES) throw new Error(`got ${got}`);
    await conn.closeWrite();
  } else {
    const msg = new Uint8Array(64).fill(2);
    for (let i = 0; i < PINGS; i++) {
      await conn.write(msg);
      for (let have = 0; have < 64;) {
        const n = await conn.read(buf);
        if (n === null) throw new Error("end of stream");
        have += n;
      }
    }
    await conn.closeWrite();
  }
  const timing = { ms: performance.now() - start, cpu: cpuMs() - cpu0 };
  conn.close();
  await done;
  return timing;
}

// --- the table ----------------------------------------------------------------

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function rate(workload: Workload, ms: number): number {
  return workload === "pingpong"
    ? PINGS / (ms / 1000)
    : BYTES / 1e6 / (ms / 1000);
}

const runtimeName = "Bun" in globalThis
  ? `bun ${(globalThis as unknown as { Bun: { version: string } }).Bun.version}`
  : `node ${process.versions.node}`;
console.log(
  `${runtimeName}: ${MIB} MiB bulk, ${PINGS} ping-pongs, median of ${REPS}${
    pinned ? ", measured side on CPU 0, peer on CPU 1" : ""
  }`,
);
if (pinned) {
  spawn("taskset", ["-cp", "0", String(process.pid)], { stdio: "ignore" });
  await new Promise((r) => setTimeout(r, 100));
}
console.log(
  "| workload | role | native node:net | backend | ratio | CPU native / backend (ms) |",
);
console.log("| --- | --- | --- | --- | --- | --- |");
for (const workload of ["upload", "download", "pingpong"] as Workload[]) {
  for (const role of ["client", "server"] as Role[]) {
    const native: Timing[] = [];
    const ours: Timing[] = [];
    // Interleaved, so that a slow moment hits both alike.
    for (let r = 0; r < REPS; r++) {
      native.push(await nativeRun(role, workload));
      ours.push(await backendRun(role, workload));
    }
    const n = rate(workload, median(native.map((t) => t.ms)));
    const o = rate(workload, median(ours.map((t) => t.ms)));
    const nCpu = median(native.map((t) => t.cpu));
    const oCpu = median(ours.map((t) => t.cpu));
    const unit = workload === "pingpong" ? "rt/s" : "MB/s";
    console.log(
      `| ${workload} | ${role} | ${n.toFixed(0)} ${unit} | ${
        o.toFixed(0)
      } ${unit} | ${(o / n).toFixed(2)}× | ${nCpu.toFixed(0)} / ${
        oCpu.toFixed(0)
      } |`,
    );
  }
}
process.exit(0);
