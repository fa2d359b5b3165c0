// Copyright the pysocket authors. MIT license.
// TLS benchmark programs on Node's `tls` module (server and client), the
// same workloads and protocol as pysocket.ts:
//
//   node bench/tls/node.mjs server <workload> <lifetime_s>
//   node bench/tls/node.mjs client <workload> <port> <lifetime_s> <n>
//
// As `server-stream` and `client-stream`, TLS runs over the least
// JavaScript stream there is instead of the runtime's socket: a Duplex that
// hands each chunk of the `net.Socket` to TLS and each chunk TLS writes to
// the socket. Per connection, that is the floor of TLS over a stream of
// one's own, which pysocket's `ssl` is (its `unwrap()` hands that stream
// back); the harness runs it for `tls_handshake`.
import fs from "node:fs";
import net from "node:net";
import { Duplex } from "node:stream";
import tls from "node:tls";

const HOST = "127.0.0.1";
const CHUNK = 64 * 1024;
const HELLO = Buffer.from("Hello World");
const CERTS = "bench/results/certs";
const [how, workload, ...rest] = process.argv.slice(2);
const role = how.replace(/-stream$/, "");
const overStream = how.endsWith("-stream");
const lifetime = Number(role === "server" ? rest[0] : rest[1]);
setTimeout(() => process.exit(3), lifetime * 1000).unref();

/** The least Duplex over a `net.Socket`, for TLS to run over. */
function streamOver(raw) {
  raw.on("error", () => {});
  const duplex = new Duplex({
    read() {
      raw.resume();
    },
    write(chunk, _encoding, callback) {
      if (raw.write(chunk)) callback();
      else raw.once("drain", () => callback());
    },
    final(callback) {
      raw.end();
      callback();
    },
    destroy(err, callback) {
      raw.destroy();
      callback(err);
    },
  });
  raw.on("data", (chunk) => {
    if (!duplex.push(chunk)) raw.pause();
  });
  raw.on("end", () => duplex.push(null));
  return duplex;
}

function serve() {
  const options = {
    cert: fs.readFileSync(`${CERTS}/server.pem`),
    key: fs.readFileSync(`${CERTS}/server.key`),
  };
  const onSecure = (sock) => {
    sock.on("error", () => {});
    if (workload === "tls_handshake") {
      sock.end(HELLO);
      return;
    }
    let head = Buffer.alloc(0);
    let left = -1;
    sock.on("data", (chunk) => {
      if (left < 0) {
        head = Buffer.concat([head, chunk]);
        if (head.length < 8) return;
        left = Number(head.readBigUInt64BE(0)) - (head.length - 8);
      } else left -= chunk.length;
      if (left === 0) sock.end("ok");
    });
  };
  let server;
  if (overStream) {
    const secureContext = tls.createSecureContext(options);
    server = net.createServer((raw) => {
      const sock = new tls.TLSSocket(streamOver(raw), {
        isServer: true,
        secureContext,
      });
      sock.on("error", () => {});
      sock.once("secure", () => onSecure(sock));
    });
  } else {
    server = tls.createServer(options, onSecure);
    server.on("tlsClientError", () => {});
  }
  server.listen(0, HOST, () => console.log(server.address().port));
}

function connect(port) {
  return new Promise((resolve, reject) => {
    const options = {
      servername: "localhost",
      ca: fs.readFileSync(`${CERTS}/ca.pem`),
    };
    if (overStream) {
      const raw = net.connect(port, HOST);
      raw.once("connect", () => {
        const s = tls.connect(
          { ...options, socket: streamOver(raw) },
          () => resolve(s),
        );
        s.once("error", reject);
      });
      raw.once("error", reject);
      return;
    }
    const s = tls.connect({ ...options, host: HOST, port }, () => resolve(s));
    s.once("error", reject);
  });
}

function readN(sock, n) {
  return new Promise((resolve, reject) => {
    let got = 0;
    const onData = (chunk) => {
      got += chunk.length;
      if (got >= n) {
        sock.off("data", onData);
        resolve();
      }
    };
    sock.on("data", onData);
    sock.once("error", reject);
  });
}

function write(sock, data) {
  return new Promise((resolve) => {
    if (sock.write(data)) resolve();
    else sock.once("drain", resolve);
  });
}

async function client(port, n) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let ops = n, bytes = n * HELLO.length;
  if (workload === "tls_bulk") {
    const s = await connect(port);
    const head = Buffer.alloc(8);
    head.writeBigUInt64BE(BigInt(n));
    const reply = readN(s, 2);
    await write(s, head);
    const data = Buffer.alloc(CHUNK, 120);
    for (let sent = 0; sent < n;) {
      const k = Math.min(CHUNK, n - sent);
      await write(s, k === CHUNK ? data : data.subarray(0, k));
      sent += k;
    }
    await reply;
    s.destroy();
    ops = 1;
    bytes = n;
  } else {
    for (let i = 0; i < n; i++) {
      const s = await connect(port);
      await readN(s, HELLO.length);
      s.destroy();
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  const u = process.cpuUsage(cpu0);
  console.log(
    JSON.stringify({ ops, seconds, bytes, cpu: (u.user + u.system) / 1e6 }),
  );
  process.exit(0);
}

if (role === "server") serve();
else await client(Number(rest[0]), Number(rest[2]));
