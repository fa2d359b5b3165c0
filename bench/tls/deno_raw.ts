// Copyright the pysocket authors. MIT license.
/**
 * TLS benchmark programs on Deno's native TLS (`Deno.listenTls`,
 * `Deno.connectTls`): the baseline for pysocket's `ssl`. Same workloads and
 * protocol as `pysocket.ts`. The handshake client turns `TCP_NODELAY` on
 * (`Deno.connect`, then `Deno.startTls`): with `Deno.connectTls`, which
 * cannot, each connection stalled about 40 ms on a delayed ACK (22
 * handshakes/s instead of 300).
 *
 * @module
 */
import type { ClientWorkload, ServerWorkload } from "../_program.ts";
import { CERTS, CHUNK, HELLO, HOST, readExactly } from "./_common.ts";

async function writeAll(conn: Deno.Conn, p: Uint8Array): Promise<void> {
  for (let off = 0; off < p.length;) off += await conn.write(p.subarray(off));
}

function reader(conn: Deno.Conn) {
  return async (n: number): Promise<Uint8Array> => {
    const buf = new Uint8Array(n);
    const k = await conn.read(buf);
    return k === null ? new Uint8Array() : buf.subarray(0, k);
  };
}

async function sink(conn: Deno.TlsConn): Promise<void> {
  try {
    const head = await readExactly(reader(conn), 8);
    let left = Number(new DataView(head.buffer).getBigUint64(0));
    const buf = new Uint8Array(CHUNK);
    while (left > 0) {
      const n = await conn.read(buf.subarray(0, Math.min(CHUNK, left)));
      if (n === null) throw new Error("EOF");
      left -= n;
    }
    await writeAll(conn, new TextEncoder().encode("ok"));
  } finally {
    conn.close();
  }
}

async function serve(workload: "tls_bulk" | "tls_handshake"): Promise<void> {
  const listener = Deno.listenTls({
    hostname: HOST,
    port: 0,
    cert: Deno.readTextFileSync(`${CERTS}/server.pem`),
    key: Deno.readTextFileSync(`${CERTS}/server.key`),
  });
  console.log(listener.addr.port);
  for await (const conn of listener) {
    if (workload === "tls_bulk") sink(conn).catch(() => {});
    else {
      try {
        await conn.handshake();
        await writeAll(conn, HELLO);
      } catch { /* the client went */ }
      conn.close();
    }
  }
}

const ca = () => [Deno.readTextFileSync(`${CERTS}/ca.pem`)];

async function bulk(port: number, total: number) {
  const caCerts = ca();
  const data = new Uint8Array(CHUNK).fill(120);
  const head = new Uint8Array(8);
  new DataView(head.buffer).setBigUint64(0, BigInt(total));
  const t0 = performance.now();
  const conn = await Deno.connectTls({ hostname: "localhost", port, caCerts });
  await writeAll(conn, head);
  for (let sent = 0; sent < total;) {
    const n = Math.min(CHUNK, total - sent);
    await writeAll(conn, n === CHUNK ? data : data.subarray(0, n));
    sent += n;
  }
  await readExactly(reader(conn), 2);
  const seconds = (performance.now() - t0) / 1000;
  conn.close();
  return { ops: 1, seconds, bytes: total };
}

async function handshakes(port: number, n: number) {
  const caCerts = ca();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const tcp = await Deno.connect({ hostname: HOST, port });
    tcp.setNoDelay(true);
    const conn = await Deno.startTls(tcp, { hostname: "localhost", caCerts });
    await readExactly(reader(conn), HELLO.length);
    conn.close();
  }
  const seconds = (performance.now() - t0) / 1000;
  return { ops: n, seconds, bytes: n * HELLO.length };
}

/** The server's workloads (`server.ts`). */
export const serverWorkloads: Record<string, ServerWorkload> = {
  tls_bulk: () => serve("tls_bulk"),
  tls_handshake: () => serve("tls_handshake"),
};

/** The client's workloads (`client.ts`). */
export const clientWorkloads: Record<string, ClientWorkload> = {
  tls_bulk: (port, n) => bulk(port, n),
  tls_handshake: (port, n) => handshakes(port, n),
};
