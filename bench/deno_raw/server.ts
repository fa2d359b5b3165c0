// Copyright the pysocket authors. MIT license.
/**
 * Benchmark server on raw `Deno.listen` / `Deno.listenDatagram`.
 *
 * Usage: `deno run --allow-net=127.0.0.1 --unstable-net server.ts <workload>
 * <lifetime_s>` (the workloads: `../README.md`). Binds 127.0.0.1 port 0 and prints the port as its first stdout line, then
 * serves until killed.
 *
 * @module
 */

import { runServer } from "../_program.ts";
import { BufReader } from "./_buf_reader.ts";

const HOST = "127.0.0.1";
const BUF = 65536;
const HELLO = new TextEncoder().encode("Hello World");
/** The largest body the `lines` server sends. */
const MAX_BODY = 8 * 1024 * 1024;
const HTTP_RESPONSE = new TextEncoder().encode(
  "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\nHello, World!",
);

async function writeAll(conn: Deno.Conn, data: Uint8Array): Promise<void> {
  let off = 0;
  while (off < data.length) off += await conn.write(data.subarray(off));
}

async function echo(conn: Deno.Conn): Promise<void> {
  const buf = new Uint8Array(BUF);
  try {
    while (true) {
      const n = await conn.read(buf);
      if (n === null) break;
      await writeAll(conn, buf.subarray(0, n));
    }
  } catch {
    // peer reset: the connection is over
  } finally {
    conn.close();
  }
}

/**
 * Counts to end of stream, then sends the count. Reads go into one reused
 * buffer, or with `fresh` each into a buffer of its own, viewed at its
 * length, as each `recv(65536)` result is memory of its own (a Python
 * `bytes`): the least program that gives every read its own memory, the
 * floor of `recv()` on Deno (`deno_fresh`).
 */
async function sink(conn: Deno.Conn, fresh = false): Promise<void> {
  const reused = fresh ? null : new Uint8Array(BUF);
  let total = 0;
  try {
    while (true) {
      const buf = reused ?? new Uint8Array(BUF);
      const n = await conn.read(buf);
      if (n === null) break;
      total += reused === null ? buf.subarray(0, n).length : n;
    }
    await writeAll(conn, new TextEncoder().encode(String(total)));
  } catch {
    // peer reset
  } finally {
    conn.close();
  }
}

async function hello(conn: Deno.Conn): Promise<void> {
  try {
    await writeAll(conn, HELLO);
  } catch {
    // peer reset
  } finally {
    conn.close();
  }
}

/**
 * The line protocol: `GET <n>` lines read with a buffered reader, each
 * answered with one write of `OK <n>` and n bytes of `body`.
 */
async function lines(conn: Deno.Conn, body: Uint8Array): Promise<void> {
  const reader = new BufReader(conn);
  try {
    while (true) {
      const line = await reader.readLine();
      if (line === null) break;
      const n = Number(new TextDecoder().decode(line).split(" ")[1]);
      if (!(n >= 0 && n <= MAX_BODY)) break;
      const header = new TextEncoder().encode(`OK ${n}\n`);
      const reply = new Uint8Array(header.length + n);
      reply.set(header);
      reply.set(body.subarray(0, n), header.length);
      await writeAll(conn, reply);
    }
  } catch {
    // peer reset
  } finally {
    conn.close();
  }
}

/** HTTP/1.0: read the request until the blank line, answer, close. */
async function http(conn: Deno.Conn): Promise<void> {
  const buf = new Uint8Array(1024);
  let request = "";
  try {
    while (!request.includes("\r\n\r\n")) {
      const n = await conn.read(buf);
      if (n === null) break;
      request += new TextDecoder("latin1").decode(buf.subarray(0, n));
    }
    await writeAll(conn, HTTP_RESPONSE);
  } catch {
    // peer reset
  } finally {
    conn.close();
  }
}

async function serveTcp(
  handler: (c: Deno.Conn) => Promise<void>,
  sequential: boolean,
): Promise<void> {
  const listener = Deno.listen({ hostname: HOST, port: 0 });
  console.log((listener.addr as Deno.NetAddr).port);
  for await (const conn of listener) {
    if (sequential) await handler(conn);
    else handler(conn);
  }
}

/**
 * A connection of the least readiness loop on Deno's API: Deno has no
 * readiness call, so one read is in flight into the connection's buffer,
 * and the connection is ready when it ends; the next read starts once the
 * loop sent the bytes on.
 */
class ReadyConn {
  readonly conn: Deno.Conn;
  #sel: AwaitSelector;
  #buf = new Uint8Array(BUF);
  #data: Uint8Array | null = null;

  constructor(conn: Deno.Conn, sel: AwaitSelector) {
    this.conn = conn;
    this.#sel = sel;
    this.read();
  }

  /** Starts the next read. */
  read(): void {
    this.conn.read(this.#buf).then((n) => {
      this.#data = n === null ? null : this.#buf.subarray(0, n);
      this.#sel.ready(this);
    }, () => {
      this.#data = null;
      this.#sel.ready(this);
    });
  }

  /** The bytes the last read brought; empty at the end of stream. */
  take(): Uint8Array {
    return this.#data ?? new Uint8Array(0);
  }
}

/** The least `select()` over {@link ReadyConn}s: those whose read ended. */
class AwaitSelector {
  #ready: ReadyConn[] = [];
  #waiting: (() => void) | null = null;

  ready(c: ReadyConn): void {
    this.#ready.push(c);
    const waiting = this.#waiting;
    this.#waiting = null;
    waiting?.();
  }

  async select(): Promise<ReadyConn[]> {
    if (this.#ready.length === 0) {
      await new Promise<void>((resolve) => this.#waiting = resolve);
    }
    const ready = this.#ready;
    this.#ready = [];
    return ready;
  }
}

/**
 * The echo as the least readiness loop on Deno's API (`deno_await`): one
 * loop that awaits `select()`, then each ready connection's bytes and
 * their write, as the pysocket selectors program does.
 */
async function serveSelectorsAwait(): Promise<void> {
  const listener = Deno.listen({ hostname: HOST, port: 0 });
  console.log((listener.addr as Deno.NetAddr).port);
  const sel = new AwaitSelector();
  (async () => {
    for await (const conn of listener) new ReadyConn(conn, sel);
  })();
  while (true) {
    for (const c of await sel.select()) {
      const data = c.take();
      if (data.length === 0) {
        c.conn.close();
        continue;
      }
      try {
        await writeAll(c.conn, data);
      } catch {
        c.conn.close();
        continue;
      }
      c.read();
    }
  }
}

async function serveUdp(): Promise<void> {
  const sock = Deno.listenDatagram({
    hostname: HOST,
    port: 0,
    transport: "udp",
  });
  console.log((sock.addr as Deno.NetAddr).port);
  while (true) {
    const [data, addr] = await sock.receive();
    await sock.send(data, addr);
  }
}

const echoServer = () => serveTcp(echo, false);
const linesServer = () => {
  const body = new Uint8Array(MAX_BODY).fill(120);
  return serveTcp((conn) => lines(conn, body), false);
};
await runServer({
  pingpong: echoServer,
  concurrent: echoServer,
  // The native API's way to serve many connections: a task each.
  selectors: echoServer,
  selectors_await: serveSelectorsAwait,
  socketserver: echoServer,
  bulk: () => serveTcp(sink, false),
  bulk_fresh: () => serveTcp((conn) => sink(conn, true), false),
  accept: () => serveTcp(hello, true),
  udp: serveUdp,
  lines: linesServer,
  lines_bulk: linesServer,
  http: () => serveTcp(http, false),
});
