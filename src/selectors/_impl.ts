// Copyright the pysocket authors. MIT license.
// CPython's `_BaseSelectorImpl` as a table every selector class keeps: the
// keys by descriptor, with Python's checks and messages. (A class of its
// own rather than a base class, so that the public classes derive from
// `BaseSelector` alone.)

import { FdMap } from "../_io/fd_map.ts";
import type { ArgSpec } from "../_py/args.ts";
import { KeyError } from "../socket/builtin_errors.ts";
import { TypeError, ValueError } from "../socket/errors.ts";
import { pyRepr, pyTypeName } from "../socket/_pyvalue.ts";
import { pyTruthy } from "../_py/pytype.ts";
import { type DataArgument, SelectorMapping } from "./base_selector.ts";
import {
  EVENT_READ,
  EVENT_WRITE,
  type FileObject,
  fileobjToFd,
  SelectorKey,
} from "./selector_key.ts";

/**
 * `events` as an operand of Python's `events & …`: an int (an integer
 * number, a bool, a bigint) as a number, or Python's `TypeError`.
 */
export function eventsInt(events: unknown): number {
  if (typeof events === "boolean" || typeof events === "bigint") {
    return Number(events);
  }
  if (typeof events !== "number" || !Number.isInteger(events)) {
    throw new TypeError(
      `unsupported operand type(s) for &: '${pyTypeName(events)}' and 'int'`,
    );
  }
  return events;
}

/**
 * Python's `a != b` of two events: ints (bools, bigints, numbers) by
 * value, so that `True` is `1`.
 */
export function changedEvents(a: unknown, b: unknown): boolean {
  const value = (x: unknown) =>
    typeof x === "boolean" || typeof x === "bigint" ? Number(x) : x;
  return value(a) !== value(b);
}

/**
 * `events` as a key keeps it: as given (`True` stays `True`, as in
 * Python), a bigint as its number (the same Python int).
 */
export function keptEvents(events: unknown): number {
  return (typeof events === "bigint" ? Number(events) : events) as number;
}

/**
 * `events` as Python checks it: `(not events) or (events & ~3)`; what the
 * key keeps (`keptEvents`).
 */
function checkEvents(events: unknown): number {
  if (!pyTruthy(events)) {
    throw new ValueError(`Invalid events: ${pyRepr(events)}`);
  }
  const n = eventsInt(events);
  // (`n & ~3` is not 0 for every int but 1, 2 and 3, also past 32 bits.)
  if (
    n !== EVENT_READ && n !== EVENT_WRITE && n !== (EVENT_READ | EVENT_WRITE)
  ) {
    throw new ValueError(`Invalid events: ${pyRepr(events)}`);
  }
  return keptEvents(events);
}

/**
 * The argument count of a selector method written in Python, named as
 * CPython's messages name it (the class that defines it).
 */
export function pyMethod(
  name: string,
  params: readonly string[] = [],
  required: number = params.length,
): ArgSpec {
  return { name, style: "py", params, required, method: true };
}

/** The argument counts of `_BaseSelectorImpl`'s methods. */
export const BASE_IMPL_ARGS = {
  modify: pyMethod(
    "_BaseSelectorImpl.modify",
    ["fileobj", "events", "data"],
    2,
  ),
  close: pyMethod("_BaseSelectorImpl.close"),
  get_map: pyMethod("_BaseSelectorImpl.get_map"),
};

/** The data argument's value: `null` (Python's `None`) when left out. */
export function dataOf<D>(data: DataArgument<D>): D {
  return (data.length > 0 ? data[0] : null) as D;
}

/** `'<repr> is not registered'`. */
export function notRegistered(fileobj: unknown): KeyError {
  return new KeyError(`${pyRepr(fileobj)} is not registered`);
}

/** A selector's registrations: CPython's `_BaseSelectorImpl`. */
export class KeyTable<D, F extends FileObject> {
  #keys = new FdMap<SelectorKey<D, F>>();
  #map: SelectorMapping<D, F> | null;

  constructor() {
    this.#map = new SelectorMapping({
      keys: this.#keys,
      lookup: (fileobj: F | number) => this.lookup(fileobj),
    });
  }

  /**
   * A file object's descriptor; for one whose `fileno()` no longer answers
   * (a closed socket: `-1`), the descriptor it was registered under.
   */
  lookup(fileobj: F | number): number {
    try {
      return fileobjToFd(fileobj);
    } catch (err) {
      if (!(err instanceof ValueError)) throw err;
      for (const key of this.#keys.values()) {
        if (key.fileobj === fileobj) return key.fd;
      }
      throw err;
    }
  }

  /** `_BaseSelectorImpl.register`. */
  register(fileobj: F, events: number, data: D): SelectorKey<D, F> {
    const ev = checkEvents(events);
    const key = new SelectorKey(fileobj, this.lookup(fileobj), ev, data);
    if (this.#keys.has(key.fd)) {
      throw new KeyError(
        `${pyRepr(fileobj)} (FD ${key.fd}) is already registered`,
      );
    }
    this.#keys.set(key.fd, key);
    return key;
  }

  /** `_BaseSelectorImpl.unregister`. */
  unregister(fileobj: F | number): SelectorKey<D, F> {
    const key = this.#keys.get(this.lookup(fileobj));
    if (key === undefined) throw notRegistered(fileobj);
    this.#keys.delete(key.fd);
    return key;
  }

  /**
   * `_BaseSelectorImpl.modify`: new events go through `reregister` (the
   * selector's own unregister and register); new data alone replaces the
   * key.
   */
  modify<R>(
    fileobj: F | number,
    events: number,
    data: D,
    reregister: () => R,
  ): R | SelectorKey<D, F> {
    const key = this.get(fileobj);
    if (changedEvents(events, key.events)) return reregister();
    if (data !== key.data) {
      const changed = new SelectorKey(key.fileobj, key.fd, key.events, data);
      this.#keys.set(key.fd, changed);
      return changed;
    }
    return key;
  }

  /** The key of a registered file object, or Python's `KeyError`. */
  get(fileobj: F | number): SelectorKey<D, F> {
    const key = this.#keys.get(this.lookup(fileobj));
    if (key === undefined) throw notRegistered(fileobj);
    return key;
  }

  /** Replaces a key (the poll-like selectors' `modify`). */
  replace(key: SelectorKey<D, F>): void {
    this.#keys.set(key.fd, key);
  }

  /** The key registered for a descriptor, or `undefined`. */
  fromFd(fd: number): SelectorKey<D, F> | undefined {
    return this.#keys.get(fd);
  }

  /** How many are registered. */
  get size(): number {
    return this.#keys.size;
  }

  /** Forgets every key; `map` is `null` from now on. */
  close(): void {
    this.#keys.clear();
    this.#map = null;
  }

  /** What `get_map()` returns. */
  get map(): SelectorMapping<D, F> | null {
    return this.#map;
  }
}
