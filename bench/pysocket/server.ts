// Copyright the pysocket authors. MIT license.
/**
 * Benchmark server on pysocket (`../../mod.ts`), written the way the same
 * Python program would be: `bind`, `listen`, `accept`, `recv`, `sendall`;
 * each echo connection is served by its own async task.
 *
 * Usage: `deno run --allow-net=127.0.0.1 --unstable-net server.ts <workload>
 * <lifetime_s>`.
 * Binds 127.0.0.1 port 0, prints the port as its first stdout line, then
 * serves until killed.
 *
 * @module
 */
import * as socket from "../../mod.ts";
import * as selectors from "../../selectors.ts";
import * as socketserver from "../../socketserver.ts";
import { runServer } from "../_deno_program.ts";

const HOST = "127.0.0.1";
const BUF = 65536;
const HELLO = new TextEncoder().encode("Hello World");

async function echo(conn: socket.Socket): Promise<void> {
  try {
    while (true) {
      const data = await conn.recv(BUF);
      if (data.length === 0) break;
      await conn.sendall(data);
    }
  } catch (e) {
    if (!(e instanceof socket.OSError)) throw e;
  } finally {
    conn.close();
  }
}

async function sink(conn: socket.Socket): Promise<void> {
  try {
    // recv_into a reused buffer, as the raw Deno sink reads into one: the
    // same program, with no allocation per call.
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

async function hello(conn: socket.Socket): Promise<void> {
  try {
    await conn.sendall(HELLO);
  } catch (e) {
    if (!(e instanceof socket.OSError)) throw e;
  } finally {
    conn.close();
  }
}

function port(s: socket.Socket): number {
  return (s.getsockname() as [string, number])[1];
}

async function serveTcp(
  handler: (c: socket.Socket) => Promise<void>,
  sequential: boolean,
): Promise<void> {
  const srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM);
  srv.bind([HOST, 0]);
  srv.listen(128);
  console.log(port(srv));
  while (true) {
    const [conn] = await srv.accept();
    if (sequential) await handler(conn);
    else handler(conn);
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

const echoServer = () => serveTcp(echo, false);
await runServer({
  pingpong: echoServer,
  concurrent: echoServer,
  selectors: serveSelectors,
  socketserver: serveSocketserver,
  bulk: () => serveTcp(sink, false),
  accept: () => serveTcp(hello, true),
  udp: serveUdp,
});
