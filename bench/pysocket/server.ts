// Copyright the pysocket authors. MIT license.
/**
 * Benchmark server on pysocket (`../../mod.ts`), written the way a Python
 * programmer ports the Python program (`../python_socket/server.py`): `bind`,
 * `listen`, `accept`, `recv`, `sendall`, with `await` where Python blocks and
 * a task per connection where Python starts a thread.
 *
 * Usage, on any runtime (see `../_program.ts`):
 *
 * ```sh
 * deno run --allow-net=127.0.0.1 --unstable-net server.ts <workload> <lifetime_s>
 * node server.ts <workload> <lifetime_s>
 * bun server.ts <workload> <lifetime_s>
 * ```
 *
 * Binds 127.0.0.1 port 0, prints the port as its first stdout line, then
 * serves until killed.
 *
 * @module
 */
import * as socket from "../../mod.ts";
import * as selectors from "../../selectors.ts";
import * as socketserver from "../../socketserver.ts";
import { runServer } from "../_program.ts";

const HOST = "127.0.0.1";
const BUF = 65536;
/** The textbook echo's `recv(1024)`. */
const ECHO_BUF = 1024;
/** The largest body the `lines` server sends. */
const MAX_BODY = 8 * 1024 * 1024;
const HTTP_RESPONSE = new TextEncoder().encode(
  "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\nHello, World!",
);

/** Python's textbook echo: `recv(1024)`, `sendall`, until end of stream. */
async function echo(conn: socket.Socket): Promise<void> {
  try {
    while (true) {
      const data = await conn.recv(ECHO_BUF);
      if (data.length === 0) break;
      await conn.sendall(data);
    }
  } catch (e) {
    if (!(e instanceof socket.OSError)) throw e;
  } finally {
    conn.close();
  }
}

/** Counts to end of stream with `recv(65536)`, then sends the count. */
async function sink(conn: socket.Socket): Promise<void> {
  try {
    let total = 0;
    while (true) {
      const data = await conn.recv(BUF);
      if (data.length === 0) break;
      total += data.length;
    }
    await conn.sendall(new TextEncoder().encode(String(total)));
  } catch (e) {
    if (!(e instanceof socket.OSError)) throw e;
  } finally {
    conn.close();
  }
}

/**
 * The `pysocket_into` contestant's sink: `recv_into` one reused buffer, as
 * the raw Deno sink reads into one (no allocation per call).
 */
async function sinkInto(conn: socket.Socket): Promise<void> {
  try {
    const buf = new Uint8Array(BUF);
    let total = 0;
    while (true) {
      const n = await conn.recv_into(buf);
      if (n === 0) break;
      total += n;
    }
    await conn.sendall(new TextEncoder().encode(String(total)));
  } catch (e) {
    if (!(e instanceof socket.OSError)) throw e;
  } finally {
    conn.close();
  }
}

/**
 * The seed program's server, ported: accept, `send` the greeting, close,
 * one connection after another.
 *
 * ```python
 * while True:
 *     client_socket, addr = server_socket.accept()
 *     client_socket.send(msg.encode('utf-8'))
 *     client_socket.close()
 * ```
 */
async function serveHello(): Promise<void> {
  const msg = "Hello World";
  const server_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM);
  server_socket.bind([HOST, 0]);
  server_socket.listen(128);
  console.log(port(server_socket));
  while (true) {
    const [client_socket] = await server_socket.accept();
    await client_socket.send(new TextEncoder().encode(msg));
    client_socket.close();
  }
}

/**
 * The line protocol: requests `GET <n>` read with `makefile("rb")`'s
 * `readline()`, each answered with one `sendall` of the header line
 * `OK <n>` and n bytes of `body`.
 */
async function lines(conn: socket.Socket, body: Uint8Array): Promise<void> {
  const f = conn.makefile("rb");
  try {
    while (true) {
      const line = await f.readline();
      if (line.length === 0) break;
      const n = Number(new TextDecoder().decode(line).split(" ")[1]);
      if (!(n >= 0 && n <= MAX_BODY)) break;
      const header = new TextEncoder().encode(`OK ${n}\n`);
      const reply = new Uint8Array(header.length + n);
      reply.set(header);
      reply.set(body.subarray(0, n), header.length);
      await conn.sendall(reply);
    }
  } catch (e) {
    if (!(e instanceof socket.OSError)) throw e;
  } finally {
    await f.close();
    conn.close();
  }
}

/**
 * An HTTP/1.0 server as a Python programmer writes one on sockets: read
 * the request until the blank line, `sendall` a fixed response, close.
 */
async function http(conn: socket.Socket): Promise<void> {
  try {
    let request = "";
    while (!request.includes("\r\n\r\n")) {
      const chunk = await conn.recv(1024);
      if (chunk.length === 0) break;
      request += new TextDecoder("latin1").decode(chunk);
    }
    await conn.sendall(HTTP_RESPONSE);
  } catch (e) {
    if (!(e instanceof socket.OSError)) throw e;
  } finally {
    conn.close();
  }
}

function port(s: socket.Socket): number {
  return (s.getsockname() as [string, number])[1];
}

/** An accept loop that starts a task per connection. */
async function serveTcp(
  handler: (c: socket.Socket) => Promise<void>,
): Promise<void> {
  const srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM);
  srv.bind([HOST, 0]);
  srv.listen(128);
  console.log(port(srv));
  while (true) {
    const [conn] = await srv.accept();
    handler(conn);
  }
}

async function serveUdp(): Promise<void> {
  const sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  sock.bind([HOST, 0]);
  console.log(port(sock));
  while (true) {
    const [data, addr] = await sock.recvfrom(2048);
    // `null` only for a connected stream socket, as Python's `None`.
    if (addr !== null) await sock.sendto(data, addr);
  }
}

/**
 * The echo server as a Python selectors program is written: one
 * DefaultSelector loop over non-blocking sockets; what a send cannot take
 * at once waits for EVENT_WRITE.
 */
async function serveSelectors(): Promise<void> {
  type Pending = { outb: Uint8Array } | null;
  const sel = new selectors.DefaultSelector<Pending, socket.Socket>();
  const lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM);
  lsock.bind([HOST, 0]);
  lsock.listen(128);
  lsock.setblocking(false);
  console.log(port(lsock));
  sel.register(lsock, selectors.EVENT_READ, null);
  while (true) {
    for (const [key, mask] of await sel.select(null)) {
      const sock = key.fileobj;
      if (key.data === null) {
        const [conn] = await sock.accept();
        conn.setblocking(false);
        sel.register(conn, selectors.EVENT_READ, { outb: new Uint8Array() });
        continue;
      }
      const data = key.data;
      if (mask & selectors.EVENT_READ) {
        let got: Uint8Array;
        try {
          got = await sock.recv(BUF);
        } catch (e) {
          if (!(e instanceof socket.OSError)) throw e;
          got = new Uint8Array();
        }
        if (got.length === 0) {
          sel.unregister(sock);
          sock.close();
          continue;
        }
        if (data.outb.length === 0) data.outb = got;
        else {
          const both = new Uint8Array(data.outb.length + got.length);
          both.set(data.outb);
          both.set(got, data.outb.length);
          data.outb = both;
        }
      }
      if (data.outb.length > 0) {
        try {
          data.outb = data.outb.subarray(await sock.send(data.outb));
        } catch (e) {
          if (!(e instanceof socket.BlockingIOError)) throw e;
        }
        const events = data.outb.length > 0
          ? selectors.EVENT_READ | selectors.EVENT_WRITE
          : selectors.EVENT_READ;
        if (events !== key.events) sel.modify(sock, events, data);
      }
    }
  }
}

/**
 * The echo server as a Python socketserver program is written: a
 * `ThreadingTCPServer` (one task per connection) whose handler echoes
 * `recv(65536)` with `sendall` until the client ends the stream. The
 * hand-written accept loop it is measured against is `accept_loop.ts`.
 */
async function serveSocketserver(): Promise<void> {
  class Echo extends socketserver.BaseRequestHandler<socket.Socket> {
    override async handle() {
      try {
        while (true) {
          const data = await this.request.recv(BUF);
          if (data.length === 0) break;
          await this.request.sendall(data);
        }
      } catch (e) {
        if (!(e instanceof socket.OSError)) throw e;
      }
    }
  }
  class Server extends socketserver.ThreadingTCPServer {
    static override request_queue_size = 128; // as listen(128) elsewhere
    static override daemon_threads = true;
  }
  const server = new Server([HOST, 0], Echo);
  console.log(server.server_address[1]);
  await server.serve_forever();
}

const echoServer = () => serveTcp(echo);
const linesServer = () => {
  const body = new Uint8Array(MAX_BODY).fill(120);
  return serveTcp((conn) => lines(conn, body));
};
await runServer({
  pingpong: echoServer,
  concurrent: echoServer,
  selectors: serveSelectors,
  socketserver: serveSocketserver,
  bulk: () => serveTcp(sink),
  bulk_into: () => serveTcp(sinkInto),
  accept: serveHello,
  udp: serveUdp,
  lines: linesServer,
  lines_bulk: linesServer,
  http: () => serveTcp(http),
});
