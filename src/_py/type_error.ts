// Copyright the pysocket authors. MIT license.
/**
 * Python's `args` on pysocket's exceptions ({@linkcode defineArgs}), and
 * Python's `TypeError`: JS's own, with Python's `args`. Apart from
 * socket/errors.ts (which re-exports both), so that the argument counts of
 * `_py/args.ts`, which raise this `TypeError`, can be used by the error
 * classes without an import cycle.
 *
 * @module
 */

import { pyStr } from "./repr.ts";

/**
 * Gives a Python exception its `args` (Python's `BaseException.args`: the
 * arguments it was made with), as a property that is not enumerable (a
 * printed error shows what it did before) and that a subclass made with
 * other arguments (`UnicodeEncodeError`) may set again.
 *
 * @param err The error.
 * @param args Its arguments, in Python's order.
 *
 * @example
 * ```ts
 * import { defineArgs } from "./type_error.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const err = new Error("bad");
 * defineArgs(err, ["bad"]);
 * assertEquals(Reflect.get(err, "args"), ["bad"]);
 * assertEquals(Object.keys(err), []);
 * ```
 */
export function defineArgs(err: Error, args: readonly unknown[]): void {
  Object.defineProperty(err, "args", {
    value: Object.freeze([...args]),
    configurable: true,
  });
}

/**
 * Python's `TypeError` for arguments of the wrong type (`a bytes-like object
 * is required, not 'str'`): JS's own `TypeError` (so `instanceof TypeError`
 * and its `name`, `message`, `String()` and `constructor` are JS's), with
 * Python's `args`. Internal: the entry points do not export it, so that
 * `import *` does not hide the global; every `TypeError` pysocket raises is
 * one.
 *
 * @example A TypeError with Python's args
 * ```ts
 * import * as errors from "./type_error.ts";
 * import { assertEquals } from "@std/assert";
 *
 * const err = new errors.TypeError("a bytes-like object is required, not 'str'");
 * assertEquals(err instanceof globalThis.TypeError, true);
 * assertEquals(err.constructor, globalThis.TypeError);
 * assertEquals(String(err), "TypeError: a bytes-like object is required, not 'str'");
 * assertEquals(err.args, ["a bytes-like object is required, not 'str'"]);
 * ```
 */
export class TypeError extends globalThis.TypeError {
  /** Python's `args`: `[message]`, or `[]` when made without one. */
  declare readonly args: readonly unknown[];

  /**
   * Makes the error with Python's text.
   *
   * @param message Python's text for the error; any other value is its
   * `str()`, and is the error's `args` as given (Python's `TypeError(obj)`).
   * @param options The `cause`.
   */
  constructor(message?: unknown, options?: ErrorOptions) {
    super(message === undefined ? "" : pyStr(message), options);
    // Not enumerable, as JS's own `name` (on its prototype): an own one
    // keeps Bun's stack `TypeError: …` rather than `Error: …`.
    Object.defineProperty(this, "name", {
      value: "TypeError",
      writable: true,
      configurable: true,
    });
    defineArgs(this, message === undefined ? [] : [message]);
  }
}

// `err.constructor` stays JS's `TypeError`, as before this class (code that
// asks `err.constructor === TypeError` still finds one); its `name` is the
// same, so printed errors are unchanged.
Object.defineProperty(TypeError.prototype, "constructor", {
  value: globalThis.TypeError,
  writable: true,
  configurable: true,
});
