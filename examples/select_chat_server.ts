// Copyright the pysocket authors. MIT license.
/**
 * A chat server on `select.select()`: every line a client sends goes to
 * every other client, prefixed with the sender's address; joins and leaves
 * are announced. One loop, non-blocking sockets, and a queue of outgoing
 * bytes per client, so that a slow client never holds up the others.
 *
 * It is `tests/fixtures/select_chat_server.py` ported line by line; the
 * only changes are `await` where Python blocks, `Uint8Array` for bytes,
 * arrays for tuples, and `Map`s for the dicts keyed by socket.
 *
 * ```sh
 * deno run --allow-net=127.0.0.1:9009 examples/select_chat_server.ts 127.0.0.1 9009
 * nc 127.0.0.1 9009    # in two or more other terminals; type lines
 * ```
 *
 * @module
 */

import * as socket from "@pysocket/socket";
import * as select from "@pysocket/socket/select";
import { concat, repr } from "./_repr.ts";

const encoder = new TextEncoder();
const NEWLINE = 0x0a;
const EMPTY = new Uint8Array();

const argv = process.argv.slice(1);
if (argv.length !== 3) {
  console.log(`Usage: ${argv[0]} <host> <port>`);
  process.exit(1);
}

const [host, port] = [argv[1], Number(argv[2])];
const server = socket.socket(socket.AF_INET, socket.SOCK_STREAM);
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1);
server.bind([host, port]);
server.listen(128);
server.setblocking(false);
console.log(`Chat server listening on ${repr([host, port])}`);

const inputs: socket.Socket[] = [server]; // sockets to read from
const outputs: socket.Socket[] = []; // sockets with bytes waiting to go out
const names = new Map<socket.Socket, string>(); // client socket -> "host:port"
const inbox = new Map<socket.Socket, Uint8Array>(); // bytes received, not yet a whole line
const outbox = new Map<socket.Socket, Uint8Array>(); // bytes not sent yet

function broadcast(sender: socket.Socket | null, message: Uint8Array): void {
  for (const sock of inputs) {
    if (sock !== server && sock !== sender) {
      outbox.set(sock, concat(outbox.get(sock) ?? EMPTY, message));
      if (!outputs.includes(sock)) {
        outputs.push(sock);
      }
    }
  }
}

function drop(sock: socket.Socket): void {
  const name = names.get(sock);
  names.delete(sock);
  console.log(`${name} left`);
  inputs.splice(inputs.indexOf(sock), 1);
  if (outputs.includes(sock)) {
    outputs.splice(outputs.indexOf(sock), 1);
  }
  inbox.delete(sock);
  outbox.delete(sock);
  sock.close();
  broadcast(null, encoder.encode(`* ${name} left\n`));
}

while (true) {
  const [readable, writable, exceptional] = await select.select(
    inputs,
    outputs,
    inputs,
  );
  for (const sock of readable) {
    if (sock === server) {
      const [conn, addr] = await server.accept();
      conn.setblocking(false);
      inputs.push(conn);
      const [addr_host, addr_port] = addr;
      names.set(conn, `${addr_host}:${addr_port}`);
      inbox.set(conn, new Uint8Array());
      outbox.set(conn, new Uint8Array());
      console.log(`${names.get(conn)} joined`);
      broadcast(conn, encoder.encode(`* ${names.get(conn)} joined\n`));
    } else if (names.has(sock)) {
      let data: Uint8Array;
      try {
        data = await sock.recv(4096);
      } catch (err) {
        if (!(err instanceof socket.ConnectionError)) throw err;
        data = new Uint8Array();
      }
      if (data.length) {
        let pending = concat(inbox.get(sock) ?? EMPTY, data);
        inbox.set(sock, pending);
        while (pending.includes(NEWLINE)) {
          const end = pending.indexOf(NEWLINE);
          const line = pending.subarray(0, end);
          pending = pending.subarray(end + 1);
          inbox.set(sock, pending);
          broadcast(
            sock,
            concat(
              concat(encoder.encode(`[${names.get(sock)}] `), line),
              encoder.encode("\n"),
            ),
          );
        }
      } else {
        drop(sock);
      }
    }
  }
  for (const sock of writable) {
    const queued = outbox.get(sock);
    if (queued?.length) {
      let sent: number;
      try {
        sent = await sock.send(queued);
      } catch (err) {
        if (err instanceof socket.BlockingIOError) continue;
        if (!(err instanceof socket.ConnectionError)) throw err;
        drop(sock);
        continue;
      }
      outbox.set(sock, queued.subarray(sent));
    }
    if (outbox.get(sock)?.length === 0 && outputs.includes(sock)) {
      outputs.splice(outputs.indexOf(sock), 1);
    }
  }
  for (const sock of exceptional) {
    if (names.has(sock)) {
      drop(sock);
    }
  }
}
