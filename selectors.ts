// Copyright the pysocket authors. MIT license.
/**
 * Python's `selectors` module for pysocket's sockets: register sockets with
 * a selector for `EVENT_READ` and/or `EVENT_WRITE`, then `await
 * sel.select(timeout)` for the `[key, events]` that are ready, with the
 * same classes, methods, errors and messages as CPython's. Readiness is
 * observed without consuming anything: a socket reported readable has its
 * bytes (or its connection) for the next `recv` (or `accept`).
 *
 * @example An echo of one message, the Real Python way
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import * as selectors from "@pysocket/socket/selectors";
 * import { assertEquals } from "@std/assert";
 *
 * const [a, b] = await socket.socketpair();
 * a.setblocking(false);
 * using sel = new selectors.DefaultSelector<null, socket.Socket>();
 * sel.register(a, selectors.EVENT_READ);
 * await b.sendall(new TextEncoder().encode("hello"));
 *
 * for (const [key, mask] of await sel.select(5)) {
 *   if (mask & selectors.EVENT_READ) {
 *     const data = await key.fileobj.recv(1024); // should be ready to read
 *     await key.fileobj.send(data);
 *   }
 * }
 * assertEquals(new TextDecoder().decode(await b.recv(1024)), "hello");
 * sel.unregister(a);
 * a.close();
 * b.close();
 * ```
 *
 * @module
 */

export {
  EVENT_READ,
  EVENT_WRITE,
  type FileObject,
  SelectorKey,
} from "./src/selectors/selector_key.ts";
export {
  BaseSelector,
  type DataArgument,
  type SelectorMapping,
} from "./src/selectors/base_selector.ts";
export { SelectSelector } from "./src/selectors/select_selector.ts";
export {
  DefaultSelector,
  EpollSelector,
  PollSelector,
} from "./src/selectors/poll_selector.ts";
