// Copyright the pysocket authors. MIT license.
/**
 * Benchmark server on Node's `net` / `dgram`.
 *
 * Usage: `node server.mjs <workload> <lifetime_s>`. Binds 127.0.0.1 port 0, prints the
 * port as its first stdout line, then serves until killed.
 */
import dgram from "node:dgram";
import net from "node:net";

const HOST = "127.0.0.1";
const HELLO = Buffer.from("Hello World");
const [workload, lifetimeText] = process.argv.slice(2);
// Watchdog: never outlive the harness, even if it dies without killing us.
setTimeout(() => process.exit(3), Number(lifetimeText ?? 600) * 1000).unref();

function listen(onConnection) {
  const server = net.createServer(onConnection);
  server.listen({ host: HOST, port: 0, backlog: 128 }, () => {
    console.log(server.address().port);
  });
}

function echo(sock) {
  sock.on("error", () => {});
  // Returns false on backpressure; pause until drained, as sendall would.
  sock.on("data", (data) => {
    if (!sock.write(data)) {
      sock.pause();
      sock.once("drain", () => sock.resume());
    }
  });
  sock.on("end", () => sock.end());
}

function sink(sock) {
  let total = 0;
  sock.on("error", () => {});
  sock.on("data", (data) => {
    total += data.length;
  });
  sock.on("end", () => sock.end(String(total)));
}

function hello(sock) {
  sock.on("error", () => {});
  sock.end(HELLO);
}

switch (workload) {
  case "pingpong":
  case "concurrent":
    listen(echo);
    break;
  case "bulk":
    listen(sink);
    break;
  case "accept":
    listen(hello);
    break;
  case "udp": {
    const sock = dgram.createSocket("udp4");
    sock.on(
      "message",
      (msg, rinfo) => sock.send(msg, rinfo.port, rinfo.address),
    );
    sock.bind(0, HOST, () => console.log(sock.address().port));
    break;
  }
  default:
    console.error(`unknown workload: ${workload}`);
    process.exit(2);
}
