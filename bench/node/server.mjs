// Copyright the pysocket authors. MIT license.
/**
 * Benchmark server on Node's `net` / `dgram`, written as a Node programmer
 * does: event handlers, `write` / `end`. The harness runs it on Node 24 (the
 * `node` contestant) and on Bun (`bun`, whose `node:net` it then measures).
 *
 * Usage: `node server.mjs <workload> <lifetime_s>` (or `bun server.mjs …`).
 * Binds 127.0.0.1 port 0, prints the port as its first stdout line, then
 * serves until killed.
 */
import dgram from "node:dgram";
import net from "node:net";
import {
  AwaitDatagram,
  AwaitReader,
  AwaitSelector,
  AwaitSocket,
} from "./_await_socket.mjs";

const HOST = "127.0.0.1";
const HELLO = Buffer.from("Hello World");
const MAX_BODY = 8 * 1024 * 1024; // the largest body the lines server sends
const HTTP_RESPONSE = Buffer.from(
  "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\nHello, World!",
);
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

/** The echo as an awaiting program: `recv`, then `sendall`, until the end. */
async function echoAwait(sock) {
  sock.on("error", () => {});
  const s = new AwaitSocket(sock);
  while (true) {
    const data = await s.recv();
    if (data.length === 0) break;
    await s.sendall(data);
  }
  sock.end();
}

/** The line protocol as an awaiting program: `readline`, then `sendall`. */
function linesAwait(body) {
  return async (sock) => {
    sock.on("error", () => {});
    const s = new AwaitSocket(sock);
    const r = new AwaitReader(s);
    while (true) {
      const line = await r.readline();
      if (line.length === 0) break;
      const n = Number(line.toString("latin1").split(" ")[1]);
      if (!(n >= 0 && n <= MAX_BODY)) break;
      // Built as the pysocket and Deno programs build it (JavaScript has
      // no uninitialized allocation but Node's Buffer): a fresh array.
      const header = Buffer.from(`OK ${n}\n`);
      const reply = new Uint8Array(header.length + n);
      reply.set(header);
      reply.set(body.subarray(0, n), header.length);
      await s.sendall(reply);
    }
    sock.end();
  };
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

// The line protocol: `GET <n>` lines cut from the `'data'` chunks, each
// answered with one write of `OK <n>\n` and n bytes of `body`.
function lines(body) {
  return (sock) => {
    sock.on("error", () => {});
    let pending = "";
    sock.on("data", (data) => {
      pending += data.toString("latin1");
      let nl;
      while ((nl = pending.indexOf("\n")) >= 0) {
        const n = Number(pending.slice(0, nl).split(" ")[1]);
        pending = pending.slice(nl + 1);
        if (!(n >= 0 && n <= MAX_BODY)) {
          sock.destroy();
          return;
        }
        sock.write(
          Buffer.concat([Buffer.from(`OK ${n}\n`), body.subarray(0, n)]),
        );
      }
    });
    sock.on("end", () => sock.end());
  };
}

// HTTP/1.0: read the request until the blank line, answer, close.
function http(sock) {
  sock.on("error", () => {});
  let request = "";
  let answered = false;
  sock.on("data", (data) => {
    request += data.toString("latin1");
    if (!answered && request.includes("\r\n\r\n")) {
      answered = true;
      sock.end(HTTP_RESPONSE);
    }
  });
}

switch (workload) {
  case "pingpong":
  case "concurrent":
  // The native way to serve many connections, as raw Deno's: the same echo.
  case "selectors":
  case "socketserver":
    listen(echo);
    break;
  case "echo_await":
    listen(echoAwait);
    break;
  case "selectors_await": {
    // The selectors echo as an awaiting program: one loop that awaits
    // select(), then each ready socket's recv() and sendall().
    const sel = new AwaitSelector();
    listen((sock) => {
      sock.on("error", () => {});
      sel.register(new AwaitSocket(sock));
    });
    (async () => {
      while (true) {
        for (const s of await sel.select()) {
          const data = await s.recv();
          if (data.length === 0) {
            sel.unregister(s);
            s.sock.end();
            continue;
          }
          await s.sendall(data);
        }
      }
    })();
    break;
  }
  case "udp_await": {
    // The UDP echo as an awaiting program: `recvfrom`, then `sendto`.
    const sock = dgram.createSocket("udp4");
    sock.bind(0, HOST, async () => {
      console.log(sock.address().port);
      const s = new AwaitDatagram(sock);
      while (true) {
        const [data, rinfo] = await s.recvfrom(null);
        await s.sendto(data, rinfo.port, rinfo.address);
      }
    });
    break;
  }
  case "lines":
  case "lines_bulk":
    listen(lines(Buffer.alloc(MAX_BODY, 120)));
    break;
  case "lines_await":
    listen(linesAwait(Buffer.alloc(MAX_BODY, 120)));
    break;
  case "http":
    listen(http);
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
