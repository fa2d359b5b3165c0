// Copyright the pysocket authors. MIT license.
/**
 * Benchmark client on pysocket (`../../mod.ts`), line for line the Python
 * blocking client (`../python_socket/client.py`) with `await` where Python
 * blocks; the concurrent workload runs one async task per connection.
 *
 * Usage, on any runtime (see `../_program.ts`): `deno run
 * --allow-net=127.0.0.1 --unstable-net client.ts <workload> <port>
 * <lifetime_s> <n> [<m>]`, `node client.ts …`, `bun client.ts …`. Prints one
 * JSON line: `{"ops", "seconds", "bytes", "cpu", "retries"}`.
 *
 * @module
 */
import { type Result, runClient } from "../_program.ts";
import * as socket from "../../mod.ts";

const HOST = "127.0.0.1";
const MSG = 64;
const UDP_TIMEOUT = 1.0;
/** The `lines` workload's body sizes, in turn. */
const LINE_SIZES = [10, 100, 1000, 10000];

async function connect(port: number): Promise<socket.Socket> {
  const s = socket.socket(socket.AF_INET, socket.SOCK_STREAM);
  await s.connect([HOST, port]);
  return s;
}

async function readExactly(s: socket.Socket, n: number): Promise<void> {
  let got = 0;
  while (got < n) {
    const data = await s.recv(n - got);
    if (data.length === 0) throw new Error(`EOF after ${got} of ${n} bytes`);
    got += data.length;
  }
}

async function readToEnd(s: socket.Socket): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  while (true) {
    const data = await s.recv(4096);
    if (data.length === 0) break;
    chunks.push(data);
    total += data.length;
  }
  const out = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

async function roundTrips(s: socket.Socket, rounds: number): Promise<void> {
  const msg = new Uint8Array(MSG).fill(120);
  for (let i = 0; i < rounds; i++) {
    await s.sendall(msg);
    await readExactly(s, MSG);
  }
}

async function pingpong(port: number, n: number): Promise<Result> {
  const s = await connect(port);
  const t0 = performance.now();
  await roundTrips(s, n);
  const seconds = (performance.now() - t0) / 1000;
  s.close();
  return { ops: n, seconds, bytes: n * MSG };
}

async function concurrent(
  port: number,
  conns: number,
  rounds: number,
): Promise<Result> {
  const all: socket.Socket[] = [];
  for (let i = 0; i < conns; i++) all.push(await connect(port));
  const t0 = performance.now();
  await Promise.all(all.map((s) => roundTrips(s, rounds)));
  const seconds = (performance.now() - t0) / 1000;
  for (const s of all) s.close();
  return { ops: conns * rounds, seconds, bytes: conns * rounds * MSG };
}

async function bulk(
  port: number,
  total: number,
  chunk: number,
): Promise<Result> {
  const data = new Uint8Array(chunk).fill(120);
  const t0 = performance.now();
  const s = await connect(port);
  let sent = 0;
  while (sent < total) {
    const n = Math.min(chunk, total - sent);
    await s.sendall(n === chunk ? data : data.subarray(0, n));
    sent += n;
  }
  await s.shutdown(socket.SHUT_WR);
  const reply = new TextDecoder().decode(await readToEnd(s));
  const seconds = (performance.now() - t0) / 1000;
  s.close();
  if (Number(reply) !== total) {
    throw new Error(`server counted ${reply}, sent ${total}`);
  }
  return { ops: 1, seconds, bytes: total };
}

async function accept(port: number, n: number): Promise<Result> {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const s = await connect(port);
    const text = new TextDecoder().decode(await readToEnd(s));
    s.close();
    if (text !== "Hello World") throw new Error(`got ${JSON.stringify(text)}`);
  }
  const seconds = (performance.now() - t0) / 1000;
  return { ops: n, seconds, bytes: n * 11 };
}

/**
 * The line protocol: `GET <n>` with `sendall`, the header line `OK <n>` with
 * `makefile("rb")`'s `readline()`, the body with its `read(n)`; `requests`
 * times, the sizes in turn.
 */
async function lines(
  port: number,
  requests: number,
  sizes: number[],
): Promise<Result> {
  const s = await connect(port);
  const f = s.makefile("rb");
  let bytes = 0;
  const t0 = performance.now();
  for (let i = 0; i < requests; i++) {
    const size = sizes[i % sizes.length];
    await s.sendall(new TextEncoder().encode(`GET ${size}\n`));
    const header = new TextDecoder().decode(await f.readline());
    const n = Number(header.split(" ")[1]);
    const body = await f.read(n);
    if (n !== size || body.length !== n) {
      throw new Error(`asked ${size}, got ${JSON.stringify(header)}`);
    }
    bytes += n;
  }
  const seconds = (performance.now() - t0) / 1000;
  await f.close();
  s.close();
  return { ops: requests, seconds, bytes };
}

async function udp(port: number, n: number): Promise<Result> {
  const s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  s.bind([HOST, 0]);
  s.settimeout(UDP_TIMEOUT);
  const msg = new Uint8Array(MSG).fill(120);
  const view = new DataView(msg.buffer);
  let retries = 0;
  const t0 = performance.now();
  for (let seq = 0; seq < n; seq++) {
    view.setUint32(0, seq);
    await s.sendto(msg, [HOST, port]);
    while (true) {
      let data: Uint8Array;
      try {
        [data] = await s.recvfrom(2048);
      } catch (e) {
        if (!(e instanceof socket.TimeoutError) || ++retries > 100) throw e;
        await s.sendto(msg, [HOST, port]);
        continue;
      }
      const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
      if (data.length === MSG && dv.getUint32(0) === seq) break;
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  s.close();
  return { ops: n, seconds, bytes: n * MSG, retries };
}

await runClient({
  pingpong: (port, n) => pingpong(port, n),
  concurrent,
  selectors: concurrent,
  socketserver: concurrent,
  bulk,
  accept: (port, n) => accept(port, n),
  udp: (port, n) => udp(port, n),
  lines: (port, n) => lines(port, n, LINE_SIZES),
  lines_bulk: (port, total, size) =>
    lines(port, Math.ceil(total / size), [size]),
});
