// Copyright the pysocket authors. MIT license.
/**
 * Benchmark client on raw `Deno.connect` / `Deno.listenDatagram`.
 *
 * Usage: `deno run --allow-net=127.0.0.1 --unstable-net client.ts <workload>
 * <port> <lifetime_s> <n> [<m>]` (see `bench/README.md`). Prints one JSON line:
 * `{"ops", "seconds", "bytes", "cpu", "retries"}`.
 *
 * @module
 */
import { type Result, runClient } from "../_program.ts";
import { BufReader } from "./_buf_reader.ts";

const HOST = "127.0.0.1";
const MSG = 64;
const UDP_TIMEOUT_MS = 1000;
/** The `lines` workload's body sizes, in turn. */
const LINE_SIZES = [10, 100, 1000, 10000];

async function writeAll(conn: Deno.Conn, data: Uint8Array): Promise<void> {
  let off = 0;
  while (off < data.length) off += await conn.write(data.subarray(off));
}

async function readExactly(conn: Deno.Conn, buf: Uint8Array): Promise<void> {
  let got = 0;
  while (got < buf.length) {
    const n = await conn.read(buf.subarray(got));
    if (n === null) throw new Error(`EOF after ${got} of ${buf.length} bytes`);
    got += n;
  }
}

async function readToEnd(conn: Deno.Conn): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const buf = new Uint8Array(4096);
  let total = 0;
  while (true) {
    const n = await conn.read(buf);
    if (n === null) break;
    chunks.push(buf.slice(0, n));
    total += n;
  }
  const out = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

async function roundTrips(conn: Deno.Conn, rounds: number): Promise<void> {
  const msg = new Uint8Array(MSG).fill(120);
  const reply = new Uint8Array(MSG);
  for (let i = 0; i < rounds; i++) {
    await writeAll(conn, msg);
    await readExactly(conn, reply);
  }
}

async function pingpong(port: number, n: number): Promise<Result> {
  const conn = await Deno.connect({ hostname: HOST, port });
  const t0 = performance.now();
  await roundTrips(conn, n);
  const seconds = (performance.now() - t0) / 1000;
  conn.close();
  return { ops: n, seconds, bytes: n * MSG };
}

async function concurrent(
  port: number,
  conns: number,
  rounds: number,
): Promise<Result> {
  const all: Deno.Conn[] = [];
  for (let i = 0; i < conns; i++) {
    all.push(await Deno.connect({ hostname: HOST, port }));
  }
  const t0 = performance.now();
  await Promise.all(all.map((c) => roundTrips(c, rounds)));
  const seconds = (performance.now() - t0) / 1000;
  for (const c of all) c.close();
  return { ops: conns * rounds, seconds, bytes: conns * rounds * MSG };
}

async function bulk(
  port: number,
  total: number,
  chunk: number,
): Promise<Result> {
  const data = new Uint8Array(chunk).fill(120);
  const t0 = performance.now();
  const conn = await Deno.connect({ hostname: HOST, port });
  let sent = 0;
  while (sent < total) {
    const n = Math.min(chunk, total - sent);
    await writeAll(conn, n === chunk ? data : data.subarray(0, n));
    sent += n;
  }
  await conn.closeWrite();
  const reply = new TextDecoder().decode(await readToEnd(conn));
  const seconds = (performance.now() - t0) / 1000;
  conn.close();
  if (Number(reply) !== total) {
    throw new Error(`server counted ${reply}, sent ${total}`);
  }
  return { ops: 1, seconds, bytes: total };
}

async function accept(port: number, n: number): Promise<Result> {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const conn = await Deno.connect({ hostname: HOST, port });
    const text = new TextDecoder().decode(await readToEnd(conn));
    conn.close();
    if (text !== "Hello World") throw new Error(`got ${JSON.stringify(text)}`);
  }
  const seconds = (performance.now() - t0) / 1000;
  return { ops: n, seconds, bytes: n * 11 };
}

/**
 * The line protocol: write `GET <n>`, read the header line `OK <n>` and the
 * body through a buffered reader; `requests` times, the sizes in turn.
 */
async function lines(
  port: number,
  requests: number,
  sizes: number[],
): Promise<Result> {
  const conn = await Deno.connect({ hostname: HOST, port });
  const reader = new BufReader(conn);
  let bytes = 0;
  const t0 = performance.now();
  for (let i = 0; i < requests; i++) {
    const size = sizes[i % sizes.length];
    await writeAll(conn, new TextEncoder().encode(`GET ${size}\n`));
    const line = await reader.readLine();
    const header = line === null ? "" : new TextDecoder().decode(line);
    const n = Number(header.split(" ")[1]);
    if (n !== size) {
      throw new Error(`asked ${size}, got ${JSON.stringify(header)}`);
    }
    await reader.readFull(new Uint8Array(n));
    bytes += n;
  }
  const seconds = (performance.now() - t0) / 1000;
  conn.close();
  return { ops: requests, seconds, bytes };
}

async function udp(port: number, n: number): Promise<Result> {
  const sock = Deno.listenDatagram({
    hostname: HOST,
    port: 0,
    transport: "udp",
  });
  const peer: Deno.NetAddr = { transport: "udp", hostname: HOST, port };
  const msg = new Uint8Array(MSG).fill(120);
  const view = new DataView(msg.buffer);
  let retries = 0;
  // One receive is in flight at a time; a timeout resends and keeps waiting
  // on the same receive, and a stale (resent) reply is told apart by its
  // sequence number.
  let pending: Promise<[Uint8Array, Deno.Addr]> | null = null;
  const t0 = performance.now();
  for (let seq = 0; seq < n; seq++) {
    view.setUint32(0, seq);
    await sock.send(msg, peer);
    while (true) {
      pending ??= sock.receive();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), UDP_TIMEOUT_MS);
      });
      const got = await Promise.race([pending, timeout]);
      clearTimeout(timer);
      if (got === null) {
        if (++retries > 100) throw new Error("too many UDP retries");
        await sock.send(msg, peer);
        continue;
      }
      pending = null;
      const [data] = got;
      if (
        data.length === MSG &&
        new DataView(data.buffer, data.byteOffset).getUint32(0) === seq
      ) break;
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  sock.close();
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
