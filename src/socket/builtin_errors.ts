// Copyright the pysocket authors. MIT license.
/**
 * Python's built-in `KeyError` and `RuntimeError`, which JS lacks, for the
 * modules built on `socket` (`selectors` raises both, `select.poll` a
 * `KeyError`).
 *
 * @module
 */

import { LookupError } from "../_py/codec.ts";
import { pyNames, pyRepr } from "../_py/repr.ts";
import {
  argsStr,
  followFields,
  initFields,
  PY_STR,
  splitArgs,
} from "../_py/type_error.ts";

/**
 * Python's `KeyError`: a key that is not in a mapping, e.g. a file object
 * that is not registered with a selector. A {@linkcode LookupError}, as in
 * Python. Its `message` is Python's `str()` of the error, which is the
 * `repr()` of its argument: `new KeyError("3 is not registered").message`
 * is `'3 is not registered'`, quotes included, so that printing it reads
 * like Python's traceback (`KeyError: '3 is not registered'`).
 *
 * @example
 * ```ts
 * import { KeyError, LookupError } from "@pysocket/socket";
 * import { assert, assertEquals } from "@std/assert";
 *
 * const err = new KeyError("5 (FD 5) is already registered");
 * assertEquals(err.message, "'5 (FD 5) is already registered'");
 * assertEquals(err.key, "5 (FD 5) is already registered");
 * assertEquals(String(new KeyError(778)), "KeyError: 778");
 * assert(err instanceof LookupError);
 * ```
 */
export class KeyError extends LookupError {
  /** The argument it was made with: the missing key, or a sentence. */
  readonly key: unknown;

  /**
   * Makes the error as Python's `KeyError(key)`.
   *
   * @param key The key that was not found (or Python's sentence about it);
   * without one the message is empty, as `str(KeyError())`.
   * @param options The `cause`.
   */
  constructor(key?: unknown, options?: ErrorOptions);
  /**
   * Makes the error as Python's `KeyError(*args)`: its message is the
   * `repr()` of the arguments' tuple (`(1, 2)`).
   *
   * @param args The arguments.
   */
  constructor(...args: unknown[]);
  constructor(...given: unknown[]) {
    const [args, options] = splitArgs(given);
    super(...args, ...options === undefined ? [] : [options]);
    this.key = args[0];
  }

  /**
   * Python's `str()` of the error: the `repr()` of its only argument, else
   * the `str()` of its `args`.
   *
   * @ignore
   */
  override [PY_STR](): string {
    const args = this.args;
    return args?.length === 1 ? pyRepr(args[0]) : argsStr(args);
  }
}

/**
 * Python's `RuntimeError`: an operation on an object in the wrong state,
 * e.g. `get_key()` on a closed selector (`Selector is closed`) or a second
 * `poll()` on a `select.poll` object while one is waiting (`concurrent
 * poll() invocation`).
 *
 * @example
 * ```ts
 * import { RuntimeError } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(String(new RuntimeError("Selector is closed")), "RuntimeError: Selector is closed");
 * ```
 */
export class RuntimeError extends Error {
  /**
   * Python's `args`: the arguments as given (`[message]`, `[]` without
   * one); assigning it changes the message, as Python's `str()`.
   */
  declare args: readonly unknown[];

  /**
   * Makes the error with Python's text.
   *
   * @param message Python's text for the error.
   * @param options The `cause`.
   */
  constructor(message?: string, options?: ErrorOptions);
  /**
   * Makes the error as Python's `RuntimeError(*args)`: its message is the `repr()`
   * of the arguments' tuple (`('a', 5)`).
   *
   * @param args The arguments.
   */
  constructor(...args: unknown[]);
  constructor(...given: unknown[]) {
    const [args, options] = splitArgs(given);
    super(undefined, options);
    this.name = new.target.name;
    initFields(this, { args });
  }

  /**
   * Python's `str()` of the error: from its `args`.
   *
   * @ignore
   */
  [PY_STR](): string {
    return argsStr(this.args);
  }
}

followFields(RuntimeError.prototype, ["args"]);

pyNames({ KeyError, RuntimeError });
