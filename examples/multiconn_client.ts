// Copyright the pysocket authors. MIT license.
/**
 * `multiconn-client.py` from Real Python's "Socket Programming in Python
 * (Guide)" (https://realpython.com/python-sockets/), ported line by line:
 * opens `num_connections` non-blocking connections at once (`connect_ex`,
 * then writability says when each is up), sends two messages on each and
 * reads the echo, all from one `selectors.DefaultSelector` loop. The only
 * changes are `await` where Python blocks, `Uint8Array` for bytes, arrays
 * for tuples and a `repr()` for what Python's f-strings print.
 *
 * ```sh
 * deno run --allow-net=127.0.0.1:65432 examples/multiconn_server.ts 127.0.0.1 65432
 * deno run --allow-net=127.0.0.1:65432 examples/multiconn_client.ts 127.0.0.1 65432 2   # another terminal
 * ```
 *
 * @module
 */

import * as socket from "@pysocket/socket";
import * as selectors from "@pysocket/socket/selectors";
import { repr } from "./_repr.ts";

/** Python's `types.SimpleNamespace(connid=…, msg_total=…, …)`. */
interface Data {
  connid: number;
  msg_total: number;
  recv_total: number;
  messages: Uint8Array[];
  outb: Uint8Array;
}

const sel = new selectors.DefaultSelector<Data, socket.Socket>();
const messages = [
  new TextEncoder().encode("Message 1 from client."),
  new TextEncoder().encode("Message 2 from client."),
];

async function start_connections(
  host: string,
  port: number,
  num_conns: number,
): Promise<void> {
  const server_addr: [string, number] = [host, port];
  for (let i = 0; i < num_conns; i++) {
    const connid = i + 1;
    console.log(`Starting connection ${connid} to ${repr(server_addr)}`);
    const sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM);
    sock.setblocking(false);
    await sock.connect_ex(server_addr);
    const events = selectors.EVENT_READ | selectors.EVENT_WRITE;
    const data: Data = {
      connid: connid,
      msg_total: messages.reduce((sum, m) => sum + m.length, 0),
      recv_total: 0,
      messages: [...messages],
      outb: new Uint8Array(),
    };
    sel.register(sock, events, data);
  }
}

async function service_connection(
  key: selectors.SelectorKey<Data, socket.Socket>,
  mask: number,
): Promise<void> {
  const sock = key.fileobj;
  const data = key.data;
  if (mask & selectors.EVENT_READ) {
    const recv_data = await sock.recv(1024); // Should be ready to read
    if (recv_data.length) {
      console.log(`Received ${repr(recv_data)} from connection ${data.connid}`);
      data.recv_total += recv_data.length;
    }
    if (!recv_data.length || data.recv_total === data.msg_total) {
      console.log(`Closing connection ${data.connid}`);
      sel.unregister(sock);
      sock.close();
    }
  }
  if (mask & selectors.EVENT_WRITE) {
    if (!data.outb.length && data.messages.length) {
      data.outb = data.messages.shift() ?? data.outb;
    }
    if (data.outb.length) {
      console.log(`Sending ${repr(data.outb)} to connection ${data.connid}`);
      const sent = await sock.send(data.outb); // Should be ready to write
      data.outb = data.outb.subarray(sent);
    }
  }
}

const argv = process.argv.slice(1);
if (argv.length !== 4) {
  console.log(`Usage: ${argv[0]} <host> <port> <num_connections>`);
  process.exit(1);
}

const [host, port, num_conns] = argv.slice(1, 4);
await start_connections(host, Number(port), Number(num_conns));

process.on("SIGINT", () => {
  console.log("Caught keyboard interrupt, exiting");
  sel.close();
  process.exit(0);
});

try {
  while (true) {
    const events = await sel.select(1);
    if (events.length) {
      for (const [key, mask] of events) {
        await service_connection(key, mask);
      }
    }
    // Check for a socket being monitored to continue.
    if (!sel.get_map()?.size) {
      break;
    }
  }
} finally {
  sel.close();
}
