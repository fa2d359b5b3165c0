// Copyright the pysocket authors. MIT license.
/**
 * The `socketserver` workload's hand-written server on pysocket, the
 * yardstick of `ThreadingTCPServer`'s own cost: the same echo as
 * `server.ts`'s `socketserver` workload, written as a plain accept loop
 * that starts a task per connection (`bind`, `listen(128)`, `accept`,
 * `recv`, `sendall`), with no server framework around it.
 *
 * Usage: `deno run --allow-net=127.0.0.1 --unstable-net accept_loop.ts
 * socketserver <lifetime_s>`.
 *
 * @module
 */
import * as socket from "../../mod.ts";
import { runServer } from "../_program.ts";

const HOST = "127.0.0.1";
const BUF = 65536;

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

async function serveAcceptLoop(): Promise<void> {
  const srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM);
  srv.bind([HOST, 0]);
  srv.listen(128);
  console.log((srv.getsockname() as [string, number])[1]);
  while (true) {
    const [conn] = await srv.accept();
    echo(conn);
  }
}

await runServer({ socketserver: serveAcceptLoop });
