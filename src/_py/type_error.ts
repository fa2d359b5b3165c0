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

import { pyRepr, pyStr } from "./repr.ts";

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
  // Writable, as Python's (`e.args = (e.args[0] + " (while connecting)",)`).
  Object.defineProperty(err, "args", {
    value: Object.freeze([...args]),
    writable: true,
    configurable: true,
  });
}

/**
 * Python's positional arguments of an exception and pysocket's options
 * (`{ cause }`) after them: the last argument is the options when it is a
 * plain object with no keys but `optionKeys` (and at least one of them),
 * else a positional argument (Python's dict: `OSError(2, "x", {})`).
 * Trailing `undefined`s are arguments not given; one before a given
 * argument is Python's `None` (`null`).
 *
 * @param given The constructor's `arguments`.
 * @param optionKeys The keys the options may have.
 * @returns `[args, options]`.
 */
export function splitArgs<T extends ErrorOptions = ErrorOptions>(
  given: ArrayLike<unknown>,
  optionKeys: readonly string[] = ["cause"],
): [unknown[], T | undefined] {
  const args = Array.from(given);
  const trim = () => {
    while (args.length > 0 && args[args.length - 1] === undefined) args.pop();
  };
  trim();
  let options: T | undefined;
  if (args.length > 0 && isOptions(args[args.length - 1], optionKeys)) {
    options = args.pop() as T;
    trim();
  }
  return [args.map((a) => a === undefined ? null : a), options];
}

/** Is `value` a plain object of only (and some of) `keys`? */
function isOptions(value: unknown, keys: readonly string[]): boolean {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  const own = Object.keys(value);
  return own.length > 0 && own.every((k) => keys.includes(k));
}

/**
 * Python's `repr()` of a tuple: `(1, 'a')`, `('a',)`, `()`.
 *
 * @param items The tuple's items.
 * @returns Its repr.
 */
export function tupleRepr(items: readonly unknown[]): string {
  if (items.length === 1) return `(${pyRepr(items[0])},)`;
  return `(${items.map(pyRepr).join(", ")})`;
}

/**
 * Python's `BaseException.__str__`: `''` without arguments, the `str()` of
 * the only one, else the `repr()` of the tuple of them.
 *
 * @param args The exception's `args`.
 * @returns Its `str()`.
 */
export function argsStr(args: unknown): string {
  if (args === undefined) return ""; // not made yet
  if (!Array.isArray(args)) return pyStr(args);
  if (args.length === 0) return "";
  if (args.length === 1) return pyStr(args[0]);
  return tupleRepr(args);
}

/** Where an error keeps the fields whose assignment remakes its message. */
const FIELDS = Symbol("fields");

/**
 * A class's Python `str()` of one of its errors, from its fields (the
 * method an error class with {@linkcode followFields} defines).
 */
export const PY_STR: unique symbol = Symbol("pyStr");

type Following = Error & {
  [PY_STR](): string;
  [FIELDS]?: Record<string, unknown>;
};

/**
 * Makes `names` fields of the errors of a class (on its `prototype`) that
 * Python code assigns (`e.args = (e.args[0] + " (while connecting)",)`,
 * `e.strerror = …`) and whose assignment makes the message again, as
 * Python's `str()` reads them: `message` stays an own text (which every
 * engine's stack and `structuredClone` read), made by {@linkcode settle}.
 *
 * @param proto The class's prototype.
 * @param names The fields.
 */
export function followFields(proto: object, names: readonly string[]): void {
  for (const name of names) {
    Object.defineProperty(proto, name, {
      get(this: Following) {
        return this[FIELDS]?.[name];
      },
      set(this: Following, value: unknown) {
        let fields = this[FIELDS];
        if (fields === undefined) {
          // (Not enumerable: a printed error shows what it did.)
          Object.defineProperty(this, FIELDS, { value: fields = {} });
        }
        fields[name] = name === "args" && Array.isArray(value)
          ? Object.freeze([...value])
          : value;
        // (Once made: the constructor settles it at its end.)
        if (Object.hasOwn(this, "message")) settle(this);
      },
      configurable: true,
    });
  }
}

/**
 * Sets a following error's fields as its constructor makes them (see
 * {@linkcode followFields}), then its message: one step, not one per
 * field.
 *
 * @param err The error.
 * @param fields The fields' values (`args` an array).
 */
export function initFields(err: Error, fields: Record<string, unknown>): void {
  if (Array.isArray(fields.args)) fields.args = Object.freeze([...fields.args]);
  Object.defineProperty(err, FIELDS, { value: fields });
  settle(err);
}

/**
 * Gives a following error (see {@linkcode followFields}) its message, as
 * its fields are now.
 *
 * @param err The error.
 */
function settle(err: Error): void {
  fixMessage(err, (err as Following)[PY_STR]());
}

/**
 * Gives `message` a fixed value on one error (a setter's work): what JS
 * code that sets `err.message` expects, over the text that follows the
 * error's fields.
 *
 * @param err The error.
 * @param value The text.
 */
export function fixMessage(err: Error, value: string): void {
  Object.defineProperty(err, "message", {
    value,
    writable: true,
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
  /**
   * Python's `args`: the arguments as given (`[message]`, `[]` without
   * one); the message is made from them once, as JS's own TypeError's.
   */
  declare args: readonly unknown[];

  /**
   * Makes the error with Python's text.
   *
   * @param message Python's text for the error; any other value is its
   * `str()`, and is the error's `args` as given (Python's `TypeError(obj)`).
   * @param options The `cause`.
   */
  constructor(message?: unknown, options?: ErrorOptions);
  /**
   * Makes the error as Python's `TypeError(*args)`: its message is the
   * `repr()` of the arguments' tuple.
   *
   * @param args The arguments.
   */
  constructor(...args: unknown[]);
  constructor(...given: unknown[]) {
    const [args, options] = splitArgs(given);
    // (Its text is made once, as JS's own TypeError's: every engine's
    // stack then starts with it.)
    super(argsStr(args), options);
    // Not enumerable, as JS's own `name` (on its prototype): an own one
    // keeps Bun's stack `TypeError: …` rather than `Error: …`.
    Object.defineProperty(this, "name", {
      value: "TypeError",
      writable: true,
      configurable: true,
    });
    defineArgs(this, args);
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
