// Copyright the pysocket authors. MIT license.
/**
 * TLS benchmark workloads on pysocket's `ssl` (run by `pysocket_server.ts`
 * and `pysocket_client.ts`), written as the Python program is
 * (`python_server.py`, `python_client.py`): a default context, a wrapped
 * listening socket whose `accept()` does the handshake, `sendall`/`recv`.
 *
 * Workloads: `tls_bulk` (a 8-byte length, then that many bytes in 64 KiB
 * `sendall`s; the server answers `ok` once it has them all) and
 * `tls_handshake` (N connections, one after another: connect, handshake,
 * read `Hello World`). Certificates: `bench/results/certs/` (made by
 * run.ts), relative to the working directory.
 *
 * @module
 */
import * as socket from "../../mod.ts";
import * as ssl from "../../ssl.ts";
import type { ClientWorkload, ServerWorkload } from "../_program.ts";
import { CERTS, CHUNK, HELLO, HOST, readExactly } from "./_common.ts";

function serverContext(): ssl.SSLContext {
  const ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH);
  ctx.load_cert_chain(`${CERTS}/server.pem`, `${CERTS}/server.key`);
  return ctx;
}

async function listen(): Promise<ssl.SSLSocket> {
  const sock = socket.socket();
  sock.bind([HOST, 0]);
  sock.listen(128);
  console.log((sock.getsockname() as socket.IPv4Address)[1]);
  return await serverContext().wrap_socket(sock, { server_side: true });
}

async function sink(conn: ssl.SSLSocket): Promise<void> {
  try {
    const head = await readExactly((n) => conn.recv(n), 8);
    let left = Number(
      new DataView(head.buffer, head.byteOffset).getBigUint64(0),
    );
    const buf = new Uint8Array(CHUNK);
    while (left > 0) {
      const n = await conn.recv_into(buf, Math.min(CHUNK, left));
      if (n === 0) throw new Error("EOF");
      left -= n;
    }
    await conn.sendall(new TextEncoder().encode("ok"));
  } finally {
    conn.close();
  }
}

async function serve(workload: "tls_bulk" | "tls_handshake"): Promise<void> {
  const lsock = await listen();
  while (true) {
    let conn: ssl.SSLSocket;
    try {
      [conn] = await lsock.accept();
    } catch (e) {
      if (e instanceof socket.OSError) continue; // a failed handshake
      throw e;
    }
    if (workload === "tls_bulk") sink(conn).catch(() => {});
    else {
      try {
        await conn.sendall(HELLO);
      } catch { /* the client went */ }
      conn.close();
    }
  }
}

function clientContext(): ssl.SSLContext {
  return ssl.create_default_context(ssl.Purpose.SERVER_AUTH, {
    cafile: `${CERTS}/ca.pem`,
  });
}

async function connect(ctx: ssl.SSLContext, port: number) {
  const sock = await socket.create_connection([HOST, port]);
  return await ctx.wrap_socket(sock, { server_hostname: "localhost" });
}

async function bulk(port: number, total: number) {
  const ctx = clientContext();
  const data = new Uint8Array(CHUNK).fill(120);
  const head = new Uint8Array(8);
  new DataView(head.buffer).setBigUint64(0, BigInt(total));
  const t0 = performance.now();
  const s = await connect(ctx, port);
  await s.sendall(head);
  for (let sent = 0; sent < total;) {
    const n = Math.min(CHUNK, total - sent);
    await s.sendall(n === CHUNK ? data : data.subarray(0, n));
    sent += n;
  }
  await readExactly((n) => s.recv(n), 2);
  const seconds = (performance.now() - t0) / 1000;
  s.close();
  return { ops: 1, seconds, bytes: total };
}

async function handshakes(port: number, n: number) {
  const ctx = clientContext();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const s = await connect(ctx, port);
    await readExactly((k) => s.recv(k), HELLO.length);
    s.close();
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
