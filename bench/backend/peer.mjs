// Copyright the pysocket authors. MIT license.
/**
 * The far end of the backend benchmark: plain `node:net` in flow mode, on
 * the same runtime as the side measured (Node or Bun).
 *
 * Usage: `node peer.mjs <listen|connect> <workload> <bytes|count> [port]`.
 * `listen` prints its port on stdout and serves one connection; `connect`
 * connects to `port`. Workloads (as the measured side sees them):
 * `upload` (this end counts to end of stream and replies with the count),
 * `download` (this end sends `bytes` and ends), `pingpong` (this end echoes).
 */
import net from "node:net";

const [role, workload, sizeText, portText] = process.argv.slice(2);
const size = Number(sizeText);
setTimeout(() => process.exit(3), 300_000).unref();

function serve(sock) {
  sock.on("error", () => {});
  if (workload === "upload") {
    let total = 0;
    sock.on("data", (d) => total += d.length);
    sock.on("end", () => sock.end(String(total)));
  } else if (workload === "download") {
    const chunk = Buffer.alloc(64 * 1024, 7);
    let sent = 0;
    const pump = () => {
      while (sent < size) {
        const n = Math.min(chunk.length, size - sent);
        sent += n;
        if (!sock.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
          sock.once("drain", pump);
          return;
        }
      }
      sock.end();
    };
    pump();
    sock.resume();
  } else {
    sock.on("data", (d) => sock.write(d));
    sock.on("end", () => sock.end());
  }
  sock.on("close", () => process.exit(0));
}

if (role === "listen") {
  const server = net.createServer({ allowHalfOpen: true }, (sock) => {
    server.close();
    serve(sock);
  });
  server.listen({ host: "127.0.0.1", port: 0 }, () => {
    console.log(server.address().port);
  });
} else {
  const sock = net.connect({
    host: "127.0.0.1",
    port: Number(portText),
    allowHalfOpen: true,
  });
  sock.on("connect", () => serve(sock));
}
