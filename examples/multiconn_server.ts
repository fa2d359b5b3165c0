// Copyright the pysocket authors. MIT license.
/**
 * `multiconn-server.py` from Real Python's "Socket Programming in Python
 * (Guide)" (https://realpython.com/python-sockets/), ported line by line:
 * an echo server that serves many connections at once from one
 * `selectors.DefaultSelector` loop, with non-blocking sockets. The only
 * changes are `await` where Python blocks, `Uint8Array` for bytes, arrays
 * for tuples and a `repr()` for what Python's f-strings print.
 *
 * ```sh
 * deno run --allow-net=127.0.0.1:65432 examples/multiconn_server.ts 127.0.0.1 65432
 * deno run --allow-net=127.0.0.1:65432 examples/multiconn_client.ts 127.0.0.1 65432 2   # another terminal
 * ```
 *
 * Ctrl-C stops it, as Python's `KeyboardInterrupt` does.
 *
 * @module
 */

import * as socket from "@pysocket/socket";
import * as selectors from "@pysocket/socket/selectors";
import { concat, repr } from "./_repr.ts";

/** Python's `types.SimpleNamespace(addr=addr, inb=b"", outb=b"")`. */
interface Data {
  addr: socket.Address;
  inb: Uint8Array;
  outb: Uint8Array;
}

const sel = new selectors.DefaultSelector<Data | null, socket.Socket>();

async function accept_wrapper(sock: socket.Socket): Promise<void> {
  const [conn, addr] = await sock.accept(); // Should be ready to read
  console.log(`Accepted connection from ${repr(addr)}`);
  conn.setblocking(false);
  const data: Data = {
    addr: addr,
    inb: new Uint8Array(),
    outb: new Uint8Array(),
  };
  const events = selectors.EVENT_READ | selectors.EVENT_WRITE;
  sel.register(conn, events, data);
}

async function service_connection(
  key: selectors.SelectorKey<Data | null, socket.Socket>,
  mask: number,
): Promise<void> {
  const sock = key.fileobj;
  const data = key.data;
  if (data === null) return; // the listening socket's key: accept_wrapper()
  if (mask & selectors.EVENT_READ) {
    const recv_data = await sock.recv(1024); // Should be ready to read
    if (recv_data.length) {
      data.outb = concat(data.outb, recv_data);
    } else {
      console.log(`Closing connection to ${repr(data.addr)}`);
      sel.unregister(sock);
      sock.close();
    }
  }
  if (mask & selectors.EVENT_WRITE) {
    if (data.outb.length) {
      console.log(`Echoing ${repr(data.outb)} to ${repr(data.addr)}`);
      const sent = await sock.send(data.outb); // Should be ready to write
      data.outb = data.outb.subarray(sent);
    }
  }
}

const argv = process.argv.slice(1);
if (argv.length !== 3) {
  console.log(`Usage: ${argv[0]} <host> <port>`);
  process.exit(1);
}

const [host, port] = [argv[1], Number(argv[2])];
const lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM);
lsock.bind([host, port]);
lsock.listen();
console.log(`Listening on ${repr([host, port])}`);
lsock.setblocking(false);
sel.register(lsock, selectors.EVENT_READ, null);

process.on("SIGINT", () => {
  console.log("Caught keyboard interrupt, exiting");
  sel.close();
  process.exit(0);
});

try {
  while (true) {
    const events = await sel.select(null);
    for (const [key, mask] of events) {
      if (key.data === null) {
        await accept_wrapper(key.fileobj);
      } else {
        await service_connection(key, mask);
      }
    }
  }
} finally {
  sel.close();
}
