// Copyright the pysocket authors. MIT license.
/**
 * Benchmark server on raw `Deno.listen` / `Deno.listenDatagram`.
 *
 * Usage: `deno run --allow-net=127.0.0.1 --unstable-net server.ts <workload>
 * <lifetime_s>`
 * with workload one of `pingpong`, `concurrent`, `bulk`, `accept`, `udp`.
 * Binds 127.0.0.1 port 0 and prints the port as its first stdout line, then
 * serves until killed.
 *
 * @module
 */

import { runServer } from "../_deno_program.ts";

const HOST = "127.0.0.1";
const BUF = 65536;
const HELLO = new TextEncoder().encode("Hello World");

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

async function sink(conn: Deno.Conn): Promise<void> {
  const buf = new Uint8Array(BUF);
  let total = 0;
  try {
    while (true) {
      const n = await conn.read(buf);
      if (n === null) break;
      total += n;
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
await runServer({
  pingpong: echoServer,
  concurrent: echoServer,
  // The native API's way to serve many connections: a task each.
  selectors: echoServer,
  socketserver: echoServer,
  bulk: () => serveTcp(sink, false),
  accept: () => serveTcp(hello, true),
  udp: serveUdp,
});
