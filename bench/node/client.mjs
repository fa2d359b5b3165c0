// Copyright the pysocket authors. MIT license.
/**
 * Benchmark client on Node's `net` / `dgram`, written as a Node programmer
 * does: `'data'` handlers, `write` and `'drain'`. The harness runs it on
 * Node 24 (the `node` contestant) and on Bun (`bun`).
 *
 * Usage: `node client.mjs <workload> <port> <lifetime_s> <n> [<m>]` (or
 * `bun client.mjs …`). Prints one JSON line: `{"ops", "seconds", "bytes",
 * "cpu", "retries"}`.
 */
import dgram from "node:dgram";
import net from "node:net";
import { AwaitDatagram, AwaitReader, AwaitSocket } from "./_await_socket.mjs";
import { once } from "node:events";

const HOST = "127.0.0.1";
const MSG = 64;
const UDP_TIMEOUT_MS = 1000;
const LINE_SIZES = [10, 100, 1000, 10000]; // the lines workload's bodies

function cpuSeconds() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

async function connect(port) {
  const sock = net.connect({ host: HOST, port });
  await once(sock, "connect");
  return sock;
}

// Sends 64 bytes, waits for exactly 64 bytes back, `rounds` times.
function roundTrips(sock, rounds) {
  const msg = Buffer.alloc(MSG, 120);
  return new Promise((resolve, reject) => {
    let done = 0;
    let got = 0;
    const onData = (data) => {
      got += data.length;
      while (got >= MSG) {
        got -= MSG;
        if (++done === rounds) {
          sock.off("data", onData);
          if (got !== 0) reject(new Error(`${got} unexpected bytes`));
          else resolve();
          return;
        }
        sock.write(msg);
      }
    };
    sock.on("data", onData);
    sock.once("error", reject);
    sock.once("end", () => reject(new Error("unexpected EOF")));
    sock.write(msg);
  });
}

function readToEnd(sock) {
  const chunks = [];
  return new Promise((resolve, reject) => {
    sock.on("data", (d) => chunks.push(d));
    sock.once("error", reject);
    sock.once("end", () => resolve(Buffer.concat(chunks)));
  });
}

async function pingpong(port, n) {
  const sock = await connect(port);
  const t0 = performance.now();
  await roundTrips(sock, n);
  const seconds = (performance.now() - t0) / 1000;
  sock.destroy();
  return { ops: n, seconds, bytes: n * MSG };
}

async function concurrent(port, conns, rounds) {
  const all = [];
  for (let i = 0; i < conns; i++) all.push(await connect(port));
  const t0 = performance.now();
  await Promise.all(all.map((s) => roundTrips(s, rounds)));
  const seconds = (performance.now() - t0) / 1000;
  for (const s of all) s.destroy();
  return { ops: conns * rounds, seconds, bytes: conns * rounds * MSG };
}

/** `rounds` round trips of 64 bytes, awaiting each send and receive. */
async function awaitRoundTrips(sock, rounds) {
  const s = new AwaitSocket(sock);
  const msg = Buffer.alloc(MSG, 120);
  for (let i = 0; i < rounds; i++) {
    await s.sendall(msg);
    let got = 0;
    while (got < MSG) got += (await s.recv()).length;
  }
}

async function pingpongAwait(port, n) {
  const sock = await connect(port);
  const t0 = performance.now();
  await awaitRoundTrips(sock, n);
  const seconds = (performance.now() - t0) / 1000;
  sock.destroy();
  return { ops: n, seconds, bytes: n * MSG };
}

async function concurrentAwait(port, conns, rounds) {
  const all = [];
  for (let i = 0; i < conns; i++) all.push(await connect(port));
  const t0 = performance.now();
  await Promise.all(all.map((s) => awaitRoundTrips(s, rounds)));
  const seconds = (performance.now() - t0) / 1000;
  for (const s of all) s.destroy();
  return { ops: conns * rounds, seconds, bytes: conns * rounds * MSG };
}

async function bulk(port, total, chunk) {
  const data = Buffer.alloc(chunk, 120);
  const t0 = performance.now();
  const sock = await connect(port);
  const reply = readToEnd(sock);
  let sent = 0;
  while (sent < total) {
    const n = Math.min(chunk, total - sent);
    sent += n;
    if (!sock.write(n === chunk ? data : data.subarray(0, n))) {
      await once(sock, "drain");
    }
  }
  sock.end();
  const text = (await reply).toString();
  const seconds = (performance.now() - t0) / 1000;
  sock.destroy();
  if (Number(text) !== total) {
    throw new Error(`server counted ${text}, sent ${total}`);
  }
  return { ops: 1, seconds, bytes: total };
}

async function accept(port, n) {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const sock = net.connect({ host: HOST, port });
    const text = (await readToEnd(sock)).toString();
    sock.destroy();
    if (text !== "Hello World") throw new Error(`got ${JSON.stringify(text)}`);
  }
  const seconds = (performance.now() - t0) / 1000;
  return { ops: n, seconds, bytes: n * 11 };
}

// The line protocol: write `GET <n>\n`, cut the header line `OK <n>` from
// the `'data'` chunks, then collect the n bytes of the body; `requests`
// times, the sizes in turn.
async function lines(port, requests, sizes) {
  const sock = await connect(port);
  let bytes = 0;
  const t0 = performance.now();
  await new Promise((resolve, reject) => {
    let i = 0;
    let size = 0;
    let want = -1; // the body's length, once its header came
    let chunks = [];
    let have = 0;
    const ask = () => {
      size = sizes[i % sizes.length];
      sock.write(`GET ${size}\n`);
    };
    sock.on("data", (data) => {
      chunks.push(data);
      have += data.length;
      while (true) {
        if (want < 0) {
          const buf = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
          const nl = buf.indexOf(10);
          if (nl < 0) {
            chunks = [buf];
            return;
          }
          const header = buf.toString("latin1", 0, nl);
          want = Number(header.split(" ")[1]);
          if (want !== size) {
            reject(new Error(`asked ${size}, got ${JSON.stringify(header)}`));
            return;
          }
          const rest = buf.subarray(nl + 1);
          chunks = rest.length ? [rest] : [];
          have = rest.length;
        }
        if (have < want) return;
        const all = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
        const rest = all.subarray(want); // all.subarray(0, want) is the body
        bytes += want;
        want = -1;
        chunks = rest.length ? [rest] : [];
        have = rest.length;
        if (++i === requests) {
          resolve();
          return;
        }
        ask();
      }
    });
    sock.once("error", reject);
    sock.once("end", () => reject(new Error("unexpected EOF")));
    ask();
  });
  const seconds = (performance.now() - t0) / 1000;
  sock.destroy();
  return { ops: requests, seconds, bytes };
}

/** The line protocol as an awaiting program (as the pysocket client's). */
async function linesAwait(port, requests, sizes) {
  const sock = await connect(port);
  const s = new AwaitSocket(sock);
  const r = new AwaitReader(s);
  let bytes = 0;
  const t0 = performance.now();
  for (let i = 0; i < requests; i++) {
    const size = sizes[i % sizes.length];
    await s.sendall(`GET ${size}\n`);
    const header = (await r.readline()).toString("latin1");
    if (Number(header.split(" ")[1]) !== size) {
      throw new Error(`asked ${size}, got ${JSON.stringify(header)}`);
    }
    const body = await r.read(size);
    if (body.length !== size) throw new Error("unexpected EOF");
    bytes += size;
  }
  const seconds = (performance.now() - t0) / 1000;
  sock.destroy();
  return { ops: requests, seconds, bytes };
}

/** The UDP round trips as an awaiting program (as the pysocket client's). */
async function udpAwait(port, n) {
  const sock = dgram.createSocket("udp4");
  await new Promise((resolve) => sock.bind(0, HOST, resolve));
  const s = new AwaitDatagram(sock);
  const msg = Buffer.alloc(MSG, 120);
  let retries = 0;
  const t0 = performance.now();
  for (let seq = 0; seq < n; seq++) {
    msg.writeUInt32BE(seq, 0);
    await s.sendto(msg, port, HOST);
    while (true) {
      const got = await s.recvfrom(UDP_TIMEOUT_MS);
      if (got === null) {
        if (++retries > 100) throw new Error("too many UDP retries");
        await s.sendto(msg, port, HOST);
        continue;
      }
      const [data] = got;
      if (data.length === MSG && data.readUInt32BE(0) === seq) break;
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  sock.close();
  return { ops: n, seconds, bytes: n * MSG, retries };
}

async function udp(port, n) {
  const sock = dgram.createSocket("udp4");
  await new Promise((resolve) => sock.bind(0, HOST, resolve));
  const msg = Buffer.alloc(MSG, 120);
  let retries = 0;
  const t0 = performance.now();
  await new Promise((resolve, reject) => {
    let seq = 0;
    let timer;
    const send = () => {
      msg.writeUInt32BE(seq, 0);
      sock.send(msg, port, HOST);
      clearTimeout(timer);
      timer = setTimeout(() => {
        if (++retries > 100) reject(new Error("too many UDP retries"));
        else send();
      }, UDP_TIMEOUT_MS);
    };
    sock.on("message", (data) => {
      if (data.length !== MSG || data.readUInt32BE(0) !== seq) return;
      if (++seq === n) {
        clearTimeout(timer);
        resolve();
      } else send();
    });
    sock.on("error", reject);
    send();
  });
  const seconds = (performance.now() - t0) / 1000;
  sock.close();
  return { ops: n, seconds, bytes: n * MSG, retries };
}

const [workload, portText, lifetimeText, ...rest] = process.argv.slice(2);
// Watchdog: never outlive the harness, even if it dies without killing us.
setTimeout(() => process.exit(3), Number(lifetimeText) * 1000).unref();
const port = Number(portText);
const args = rest.map(Number);
const fns = {
  pingpong,
  concurrent,
  pingpong_await: pingpongAwait,
  concurrent_await: concurrentAwait,
  selectors: concurrent,
  socketserver: concurrent,
  bulk,
  accept,
  udp,
  udp_await: udpAwait,
  lines: (port, n) => lines(port, n, LINE_SIZES),
  lines_await: (port, n) => linesAwait(port, n, LINE_SIZES),
  lines_bulk_await: (port, total, size) =>
    linesAwait(port, Math.ceil(total / size), [size]),
  lines_bulk: (port, total, size) =>
    lines(port, Math.ceil(total / size), [size]),
};
if (!(workload in fns)) {
  console.error(`unknown workload: ${workload}`);
  process.exit(2);
}
const cpu0 = cpuSeconds();
const result = await fns[workload](port, ...args);
console.log(JSON.stringify({ ...result, cpu: cpuSeconds() - cpu0 }));
process.exit(0);
