// Copyright the pysocket authors. MIT license.
/**
 * Python's `select` module for pysocket's sockets: `select()` and `poll()`
 * wait until sockets are ready for reading or writing, with `await` where
 * Python blocks. Readiness is observed without consuming anything, and the
 * wait sleeps until a socket reports a change: an idle `select` costs no CPU.
 *
 * @example A server that waits on its listener and its connections
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import * as select from "@pysocket/socket/select";
 * import { assertEquals } from "@std/assert";
 *
 * using server = socket.socket();
 * server.bind(["127.0.0.1", 0]);
 * server.listen();
 * using client = socket.socket();
 * await client.connect(server.getsockname());
 *
 * let [readable] = await select.select([server], [], [], 5);
 * const [conn] = await server.accept();
 * await client.sendall(new TextEncoder().encode("ping"));
 * [readable] = await select.select([server, conn], [], [], 5);
 * assertEquals(readable, [conn]);
 * assertEquals(new TextDecoder().decode(await conn.recv(1024)), "ping");
 * conn.close();
 * ```
 *
 * @module
 */

export {
  type FileDescriptorLike,
  PIPE_BUF,
  select,
} from "./src/select/select.ts";
export {
  type Poll,
  poll,
  POLLERR,
  POLLHUP,
  POLLIN,
  POLLMSG,
  POLLNVAL,
  POLLOUT,
  POLLPRI,
  POLLRDBAND,
  POLLRDHUP,
  POLLRDNORM,
  POLLWRBAND,
  POLLWRNORM,
} from "./src/select/poll.ts";
export { error } from "./src/socket/errors.ts";
