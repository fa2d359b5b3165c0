// Copyright the pysocket authors. MIT license.
/**
 * `selectors.BaseSelector`, the interface every selector has, and the
 * read-only mapping `get_map()` returns.
 *
 * @module
 */

import { KeyError, RuntimeError } from "../socket/builtin_errors.ts";
import { pyRepr } from "../socket/_pyvalue.ts";
import { type ArgSpec, checkArgs } from "../_py/args.ts";
import type { FileObject, SelectorKey } from "./selector_key.ts";
import { pyNames } from "../_py/repr.ts";

/** The argument counts of `BaseSelector`'s methods written here. */
const ARGS: Record<string, ArgSpec> = {
  modify: {
    name: "BaseSelector.modify",
    style: "py",
    params: ["fileobj", "events", "data"],
    required: 2,
    method: true,
  },
  close: {
    name: "BaseSelector.close",
    style: "py",
    params: [],
    required: 0,
    method: true,
  },
  get_key: {
    name: "BaseSelector.get_key",
    style: "py",
    params: ["fileobj"],
    required: 1,
    method: true,
  },
};

/**
 * The `data` argument of `register()` and `modify()`: optional (Python's
 * `data=None`, here `null`) when the data type admits `null`, required
 * otherwise, so that a key's `data` always has the type it says.
 *
 * @typeParam D The type of the attached data.
 *
 * @example data may be left out only where null is allowed
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import * as selectors from "@pysocket/socket/selectors";
 * import { assertEquals } from "@std/assert";
 *
 * const [a, b] = await socket.socketpair();
 * using sel = new selectors.DefaultSelector<string | null>();
 * const args: selectors.DataArgument<string | null> = [];
 * sel.register(a, selectors.EVENT_READ, ...args); // data: null
 * sel.register(b, selectors.EVENT_READ, "peer");
 * assertEquals(sel.get_key(a).data, null);
 * a.close();
 * b.close();
 * ```
 */
export type DataArgument<D> = null extends D ? [data?: D] : [data: D];

/**
 * The read-only mapping of file objects to keys that `get_map()` returns,
 * as Python's `_SelectorMapping`: looked up by file object (or descriptor),
 * iterated over descriptors, and live (it shows later registrations).
 *
 * @typeParam D The type of the attached data.
 * @typeParam F The type of the file objects.
 *
 * @example
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import * as selectors from "@pysocket/socket/selectors";
 * import { assertEquals } from "@std/assert";
 *
 * const [a, b] = await socket.socketpair();
 * using sel = new selectors.DefaultSelector<null, socket.Socket>();
 * sel.register(a, selectors.EVENT_READ);
 * const map = sel.get_map();
 * if (map === null) throw new Error("closed"); // Python's None once closed
 * assertEquals(map.size, 1);
 * assertEquals(map.has(a), true);
 * assertEquals(map.has(b), false);
 * assertEquals([...map], [a.fileno()]);
 * assertEquals(map.get(a)?.fileobj, a);
 * assertEquals(map.get(b), null);
 * a.close();
 * b.close();
 * ```
 */
export class SelectorMapping<D = unknown, F extends FileObject = FileObject>
  implements Iterable<number> {
  #table: {
    readonly keys: ReadonlyMap<number, SelectorKey<D, F>>;
    lookup(fileobj: F | number): number;
  };

  /**
   * A view of a selector's registrations (made by the selector).
   *
   * @param table Its keys by descriptor, and how it finds a file object's
   * descriptor (among the keys when `fileno()` no longer answers, e.g. for
   * a closed socket).
   */
  constructor(table: {
    readonly keys: ReadonlyMap<number, SelectorKey<D, F>>;
    lookup(fileobj: F | number): number;
  }) {
    this.#table = table;
  }

  /** How many file objects are registered (Python's `len()`). */
  get size(): number {
    return this.#table.keys.size;
  }

  /**
   * The key of a registered file object, or `defaultValue`.
   *
   * @param fileobj A file object or descriptor.
   * @param defaultValue What to return when it is not registered.
   * @returns Its key, or `defaultValue` (`null`, Python's `None`).
   * @throws {ValueError} `Invalid file object: …` for what is neither.
   */
  get<T = null>(
    fileobj: F | number,
    defaultValue: T = null as T,
  ): SelectorKey<D, F> | T {
    return this.#table.keys.get(this.#table.lookup(fileobj)) ?? defaultValue;
  }

  /**
   * The key of a registered file object (Python's `mapping[fileobj]`).
   *
   * @param fileobj A file object or descriptor.
   * @returns Its key.
   * @throws {KeyError} `'… is not registered'`.
   * @throws {ValueError} `Invalid file object: …`.
   */
  getitem(fileobj: F | number): SelectorKey<D, F> {
    const key = this.#table.keys.get(this.#table.lookup(fileobj));
    if (key === undefined) {
      throw new KeyError(`${pyRepr(fileobj)} is not registered`);
    }
    return key;
  }

  /**
   * Is the file object registered (Python's `fileobj in mapping`)?
   *
   * @param fileobj A file object or descriptor.
   * @returns Whether it is.
   * @throws {ValueError} `Invalid file object: …`.
   */
  has(fileobj: F | number): boolean {
    return this.#table.keys.has(this.#table.lookup(fileobj));
  }

  /**
   * The registered descriptors, in the order they were registered.
   *
   * @returns An iterator over descriptor numbers.
   * @throws {RuntimeError} As iterating the mapping does.
   */
  *keys(): IterableIterator<number> {
    yield* this;
  }

  /**
   * The keys.
   *
   * @returns An iterator over the {@linkcode SelectorKey}s.
   * @throws {RuntimeError} As iterating the mapping does.
   */
  *values(): IterableIterator<SelectorKey<D, F>> {
    for (const fd of this) yield this.#table.keys.get(fd)!;
  }

  /**
   * Descriptor and key pairs.
   *
   * @returns An iterator over `[fd, key]`.
   * @throws {RuntimeError} As iterating the mapping does.
   */
  *items(): IterableIterator<[number, SelectorKey<D, F>]> {
    for (const fd of this) yield [fd, this.#table.keys.get(fd)!];
  }

  /**
   * Iterates over the registered descriptors, as Python's mapping does
   * (its dict's iterator).
   *
   * @returns An iterator over descriptor numbers.
   * @throws {RuntimeError} `dictionary changed size during iteration` at
   * the step after a registration was added or dropped (again at each
   * step after that); `dictionary keys changed during iteration` when as
   * many were dropped as added, once it has stepped as many times as there
   * were registrations.
   */
  [Symbol.iterator](): IterableIterator<number> {
    const keys = this.#table.keys;
    const order = keys.keys();
    let size = keys.size;
    let left = size;
    let done = false;
    return {
      next(): IteratorResult<number> {
        if (done) return { done: true, value: undefined };
        if (keys.size !== size) {
          size = -1;
          throw new RuntimeError("dictionary changed size during iteration");
        }
        const step = order.next();
        done = step.done === true || left === 0;
        if (step.done) return step;
        if (done) {
          throw new RuntimeError("dictionary keys changed during iteration");
        }
        left--;
        return step;
      },
      [Symbol.iterator]() {
        return this;
      },
    };
  }
}

/**
 * Python's `selectors.BaseSelector`: register file objects for events,
 * then `await select()` for those that are ready. The classes of this
 * module ({@linkcode DefaultSelector}, …) are its subclasses; one can be
 * written too, as in Python.
 *
 * @typeParam D The type of the data attached to keys.
 * @typeParam F The type of the file objects.
 *
 * @example Any selector will do
 * ```ts
 * import * as selectors from "@pysocket/socket/selectors";
 * import { assert } from "@std/assert";
 *
 * function make(): selectors.BaseSelector {
 *   return new selectors.DefaultSelector();
 * }
 * using sel = make();
 * assert(sel instanceof selectors.BaseSelector);
 * ```
 */
export abstract class BaseSelector<
  D = unknown,
  F extends FileObject = FileObject,
> implements Disposable {
  /**
   * Registers a file object for events.
   *
   * @param fileobj A socket (anything with `fileno()`) or descriptor.
   * @param events `EVENT_READ`, `EVENT_WRITE` or both.
   * @param data Data to attach (`null`, Python's `None`, by default).
   * @returns The new key.
   * @throws {ValueError} `Invalid events: 0`, `Invalid file object: …`.
   * @throws {KeyError} `'… (FD 3) is already registered'`.
   */
  abstract register(
    fileobj: F,
    events: number,
    ...data: DataArgument<D>
  ): SelectorKey<D, F>;

  /**
   * Unregisters a file object (also one closed since it was registered).
   *
   * @param fileobj The file object, or its descriptor number.
   * @returns Its key.
   * @throws {KeyError} `'… is not registered'`.
   */
  abstract unregister(fileobj: F | number): SelectorKey<D, F>;

  /**
   * Changes a registered file object's events or data. As in Python, the
   * data is reset to `null` unless given.
   *
   * @param fileobj The file object, or its descriptor number.
   * @param events The new events.
   * @param data The new data.
   * @returns The new key.
   * @throws {KeyError} `'… is not registered'`.
   */
  modify(
    fileobj: F,
    events: number,
    ...data: DataArgument<D>
  ): SelectorKey<D, F>;
  /**
   * Changes the events or data of the file object registered for a
   * descriptor number. As CPython's `BaseSelector.modify` (unregister, then
   * register what was given), the new key's `fileobj` is the number.
   *
   * @param fileobj The descriptor number.
   * @param events The new events.
   * @param data The new data.
   * @returns The new key.
   * @throws {KeyError} `'… is not registered'`.
   */
  modify(
    fileobj: F | number,
    events: number,
    ...data: DataArgument<D>
  ): SelectorKey<D, F | number>;
  modify(
    fileobj: F | number,
    events: number,
    ...data: DataArgument<D>
  ): SelectorKey<D, F | number> {
    checkArgs(ARGS.modify, arguments);
    this.unregister(fileobj);
    // A number is registered as the number, as in Python.
    return this.register(fileobj as F, events, ...data);
  }

  /**
   * Waits until some registered file objects are ready, or the timeout
   * passes.
   *
   * @param timeout Seconds; `null` or left out waits as long as it takes,
   * `0` or less polls.
   * @returns `[key, events]` for each ready file object (`events`: those of
   * its key's events that are ready); empty when the timeout passed.
   */
  abstract select(
    timeout?: number | null,
  ): Promise<[SelectorKey<D, F>, number][]>;

  /** Closes the selector: forgets every registration. */
  close(): void {
    checkArgs(ARGS.close, arguments);
  }

  /**
   * The key of a registered file object.
   *
   * @param fileobj The file object, or its descriptor number.
   * @returns Its key.
   * @throws {KeyError} `'… is not registered'`.
   * @throws {RuntimeError} `Selector is closed`.
   */
  get_key(fileobj: F | number): SelectorKey<D, F> {
    checkArgs(ARGS.get_key, arguments);
    const mapping = this.get_map();
    if (mapping === null) throw new RuntimeError("Selector is closed");
    try {
      return mapping.getitem(fileobj);
    } catch (err) {
      if (err instanceof KeyError) {
        throw new KeyError(`${pyRepr(fileobj)} is not registered`);
      }
      throw err;
    }
  }

  /**
   * The registrations, as a read-only mapping of file objects to keys;
   * `null` (Python's `None`) once the selector is closed.
   *
   * @returns The mapping, or `null`.
   */
  abstract get_map(): SelectorMapping<D, F> | null;

  /** `using sel = new DefaultSelector()` closes it at block end. */
  [Symbol.dispose](): void {
    this.close();
  }
}

// Python's names (`type(x).__name__`, its repr's), whatever a bundler
// names the class.
pyNames({ _SelectorMapping: SelectorMapping, BaseSelector }, "selectors");
