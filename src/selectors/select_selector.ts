// Copyright the pysocket authors. MIT license.
/**
 * `selectors.SelectSelector`: a selector over `select.select()`.
 *
 * @module
 */

import { select } from "../select/select.ts";
import { pyTypeName } from "../socket/_pyvalue.ts";
import {
  BaseSelector,
  type DataArgument,
  type SelectorMapping,
} from "./base_selector.ts";
import { BASE_IMPL_ARGS, dataOf, KeyTable, pyMethod } from "./_impl.ts";
import { checkArgs } from "../_py/args.ts";
import { FdMap } from "../_io/fd_map.ts";
import {
  EVENT_READ,
  EVENT_WRITE,
  type FileObject,
  type SelectorKey,
} from "./selector_key.ts";
import { TypeError } from "../socket/errors.ts";
import { pyNames } from "../_py/repr.ts";

/** CPython's argument counts, for their `TypeError`s. */
const ARGS = {
  ...BASE_IMPL_ARGS,
  register: pyMethod(
    "SelectSelector.register",
    ["fileobj", "events", "data"],
    2,
  ),
  unregister: pyMethod("SelectSelector.unregister", ["fileobj"]),
  select: pyMethod("SelectSelector.select", ["timeout"], 0),
};

/**
 * Python's `max(timeout, 0)`, with its `TypeError` for a non-number; a
 * bigint stays one (Python's int, which `select()` converts as an int).
 */
function atLeastZero(timeout: unknown): number | bigint {
  if (typeof timeout === "bigint") return timeout > 0n ? timeout : 0;
  const t = typeof timeout === "boolean" ? Number(timeout) : timeout;
  if (typeof t !== "number") {
    throw new TypeError(
      `'>' not supported between instances of 'int' and '${
        pyTypeName(timeout)
      }'`,
    );
  }
  return Number.isNaN(t) ? t : Math.max(t, 0);
}

/**
 * Python's `selectors.SelectSelector`: each `select()` is one
 * `select.select()` over the registered descriptors. As CPython's, it
 * accepts any descriptor at `register()`; one that is not an open socket
 * makes `select()` fail with `[Errno 9] Bad file descriptor` (unregister
 * sockets before closing them). `select.select()` takes descriptors below
 * 1024 only; {@linkcode DefaultSelector} has no such limit.
 *
 * @typeParam D The type of the data attached to keys.
 * @typeParam F The type of the file objects.
 *
 * @example
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import * as selectors from "@pysocket/socket/selectors";
 * import { assertEquals } from "@std/assert";
 *
 * const [a, b] = await socket.socketpair();
 * using sel = new selectors.SelectSelector<string, socket.Socket>();
 * sel.register(a, selectors.EVENT_READ | selectors.EVENT_WRITE, "a");
 * const ready = await sel.select(0);
 * assertEquals(ready.map(([key, events]) => [key.data, events]), [["a", selectors.EVENT_WRITE]]);
 * a.close();
 * b.close();
 * ```
 */
export class SelectSelector<D = unknown, F extends FileObject = FileObject>
  extends BaseSelector<D, F> {
  #table = new KeyTable<D, F>();
  /** The descriptors registered for each event (see FdMap: not `Set`s). */
  #readers = new FdMap<true>();
  #writers = new FdMap<true>();

  /**
   * Registers a file object for events.
   *
   * @param fileobj A socket (anything with `fileno()`) or descriptor.
   * @param events `EVENT_READ`, `EVENT_WRITE` or both.
   * @param data Data to attach (`null`, Python's `None`, by default).
   * @returns The new key.
   */
  register(
    fileobj: F,
    events: number,
    ...data: DataArgument<D>
  ): SelectorKey<D, F> {
    checkArgs(ARGS.register, arguments);
    const key = this.#table.register(fileobj, events, dataOf(data));
    if (key.events & EVENT_READ) this.#readers.set(key.fd, true);
    if (key.events & EVENT_WRITE) this.#writers.set(key.fd, true);
    return key;
  }

  /**
   * Unregisters a file object (also one closed since it was registered).
   *
   * @param fileobj The file object, or its descriptor number.
   * @returns Its key.
   */
  unregister(fileobj: F | number): SelectorKey<D, F> {
    checkArgs(ARGS.unregister, arguments);
    const key = this.#table.unregister(fileobj);
    this.#readers.delete(key.fd);
    this.#writers.delete(key.fd);
    return key;
  }

  /**
   * Changes a registered file object's events or data (reset to `null`
   * unless given, as in Python).
   *
   * @param fileobj The file object.
   * @param events The new events.
   * @param data The new data.
   * @returns The new key.
   */
  override modify(
    fileobj: F,
    events: number,
    ...data: DataArgument<D>
  ): SelectorKey<D, F>;
  /**
   * Changes the events or data of the file object registered for a
   * descriptor number. New events register the number itself (CPython's
   * `_BaseSelectorImpl.modify` unregisters and registers what was given),
   * so the new key's `fileobj` is then the number.
   *
   * @param fileobj The descriptor number.
   * @param events The new events.
   * @param data The new data.
   * @returns The new key.
   */
  override modify(
    fileobj: F | number,
    events: number,
    ...data: DataArgument<D>
  ): SelectorKey<D, F | number>;
  override modify(
    fileobj: F | number,
    events: number,
    ...data: DataArgument<D>
  ): SelectorKey<D, F | number> {
    checkArgs(ARGS.modify, arguments);
    return this.#table.modify(fileobj, events, dataOf(data), () => {
      this.unregister(fileobj);
      // A number is registered as the number, as in Python.
      return this.register(fileobj as F, events, ...data);
    });
  }

  /**
   * Waits until some registered file objects are ready, or the timeout
   * passes: one `select.select()` call.
   *
   * @param timeout Seconds; `null` or left out waits as long as it takes,
   * `0` or less polls.
   * @returns `[key, events]` for each ready file object, in descriptor
   * order.
   * @throws {OSError} `[Errno 9] Bad file descriptor` when a registered
   * descriptor is not an open socket.
   */
  async select(
    timeout: number | null = null,
  ): Promise<[SelectorKey<D, F>, number][]> {
    checkArgs(ARGS.select, arguments);
    const t = timeout === null || timeout === undefined
      ? null
      : atLeastZero(timeout);
    const [r, w] = await select(
      this.#readers.keys(),
      this.#writers.keys(),
      [],
      t as number | null,
    );
    const events = new Map<number, number>();
    for (const fd of r) events.set(fd, EVENT_READ);
    for (const fd of w) events.set(fd, (events.get(fd) ?? 0) | EVENT_WRITE);
    const ready: [SelectorKey<D, F>, number][] = [];
    // In descriptor order, as Python's set of small ints iterates.
    for (const fd of [...events.keys()].sort((x, y) => x - y)) {
      const key = this.#table.fromFd(fd);
      if (key !== undefined) ready.push([key, events.get(fd)! & key.events]);
    }
    return ready;
  }

  /** Closes the selector: forgets every registration. */
  override close(): void {
    checkArgs(ARGS.close, arguments);
    this.#table.close();
  }

  /**
   * The registrations; `null` once closed.
   *
   * @returns The mapping, or `null`.
   */
  get_map(): SelectorMapping<D, F> | null {
    checkArgs(ARGS.get_map, arguments);
    return this.#table.map;
  }
}

// Python's names (`type(x).__name__`, its repr's), whatever a bundler
// names the class.
pyNames({ SelectSelector }, "selectors");
