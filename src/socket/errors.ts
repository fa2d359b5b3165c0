// Copyright the pysocket authors. MIT license.
/**
 * CPython's exception tree for socket errors: {@linkcode OSError} and its
 * subclasses, with `errno`, `strerror` and messages in Python's form
 * (`[Errno 111] Connection refused`), plus {@linkcode ValueError},
 * {@linkcode OverflowError} and {@linkcode TypeError} for Python's argument
 * errors.
 *
 * @module
 */

import {
  EAI,
  errnoEntry,
  errnoLabel,
  type ErrnoName,
  errnoName,
} from "../_py/errno.ts";
import { isDetached, pyArgType, pyNames, pyRepr, pyStr } from "../_py/repr.ts";
import { type ArgSpec, checkArgs } from "../_py/args.ts";
import {
  argsStr,
  defineArgs,
  followFields,
  initFields,
  PY_STR,
  splitArgs,
  tupleRepr,
  TypeError,
} from "../_py/type_error.ts";

export { defineArgs, tupleRepr, TypeError };

/**
 * Options for {@linkcode OSError}: a `cause` and an optional detail. The
 * last argument is taken for them when it is a plain object with one of
 * these keys and no other; any other value (`{}`, `{ a: 1 }`) is Python's
 * argument (a dict), as `OSError(2, "x", {})`.
 *
 * @example An OSError with its cause
 * ```ts
 * import { error, OSError, type OSErrorOptions } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * const options: OSErrorOptions = { cause: new Error("the runtime's error") };
 * const err = new OSError(111, "Connection refused", options);
 * assertEquals(err.message, "[Errno 111] Connection refused");
 * assertEquals((err.cause instanceof Error), true);
 * ```
 */
export interface OSErrorOptions extends ErrorOptions {
  /**
   * Text appended to the message after `": "`, as CPython appends a
   * filename (`[Errno 13] Permission denied: net access to "…"`).
   *
   * @default {undefined}
   */
  detail?: string;
}

/**
 * Python's `OSError`, the base of every socket error (`socket.error` is an
 * alias). Built as `new OSError(errno, strerror)` its message is
 * `[Errno N] strerror`; built from a single string the message is that string
 * and `errno` is `null`, as in Python.
 *
 * @example Catch any socket error
 * ```ts
 * import { OSError } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * const err = new OSError(111, "Connection refused");
 * assertEquals(err.message, "[Errno 111] Connection refused");
 * assertEquals(err.errno, 111);
 * assertEquals(err instanceof Error, true);
 * ```
 */
export class OSError extends Error {
  /** The error number (Linux numbering on Linux), or `null`. */
  declare errno: number | null;
  /** The error's text as `strerror()` gives it, or `null`. */
  declare strerror: string | null;
  /** The file name given as the third argument, or `null` (Python's None). */
  declare filename: unknown;
  /** The second file name (the fifth argument), or `null`. */
  declare filename2: unknown;
  /**
   * Python's `args`: `[errno, strerror]` when built with a file name, else
   * the arguments as given. Assignable, as Python's.
   */
  declare args: readonly unknown[];
  /** Made from 2 to 5 arguments: Python's `[Errno N] text` form. */
  #numbered = false;
  /** pysocket's detail, appended to the message. */
  #detail: string | undefined;

  /**
   * Makes an error the way Python's `OSError(errno, strerror)` does.
   *
   * @param errno The error number, or the whole message when it is a string.
   * @param strerror The error's text.
   * @param options A `cause` and a `detail` appended to the message.
   */
  constructor(
    errno?: number | string | null,
    strerror?: string,
    options?: OSErrorOptions,
  );
  /**
   * Makes an error the way Python's `OSError(errno, strerror, filename,
   * winerror, filename2)` does: `new OSError(2, "No such file", "f.txt")`
   * is a `FileNotFoundError`, `[Errno 2] No such file: 'f.txt'`.
   *
   * @param errno The error number.
   * @param strerror The error's text.
   * @param filename The file name, shown with its repr (`null`: none).
   * @param winerror Windows's error code (ignored elsewhere, as Python).
   * @param filename2 The second file name.
   */
  constructor(
    errno: number | string | null,
    strerror: string,
    filename: unknown,
    winerror?: unknown,
    filename2?: unknown,
  );
  /**
   * Makes an error as Python's `OSError(*args)` with any other number of
   * arguments (one: its `str()` is the message; six or more: the `repr()`
   * of the arguments' tuple, and `errno` is `null`).
   *
   * @param args The arguments.
   */
  constructor(...args: unknown[]);
  constructor(...given: unknown[]) {
    const [args, options] = splitArgs<OSErrorOptions>(given, [
      "cause",
      "detail",
    ]);
    super(undefined, options);
    this.name = new.target.name;
    this.#detail = options?.detail;
    // As CPython's OSError.__init__: two to five arguments are errno,
    // strerror, filename, winerror, filename2; other counts are only args.
    const numbered = args.length >= 2 && args.length <= 5;
    this.#numbered = numbered;
    let filename: unknown = null;
    let filename2: unknown = null;
    let written: number | undefined;
    const third = numbered && args.length >= 3 ? args[2] : null;
    if (third !== null) {
      if (new.target === BlockingIOError && isPyNumber(third)) {
        written = charactersWritten(third);
      } else {
        filename = third;
        if (args.length === 5) filename2 = args[4];
        args.length = 2; // Python keeps [errno, strerror] in args
      }
    }
    if (written !== undefined) {
      (this as BlockingIOError).characters_written = written;
    }
    // As CPython's OSError.__new__: OSError itself, given an error number
    // it knows, makes that number's class (2: FileNotFoundError).
    if (new.target === OSError && numbered) {
      const Class = errnoClassOf(args[0]);
      if (Class !== OSError) {
        const made = new Class(...given);
        // From the caller (on every engine: this constructor is a frame of
        // `made`'s stack; pysocket itself makes the subclass directly).
        Error.captureStackTrace?.(made, new.target);
        return made;
      }
    }
    initFields(this, {
      errno: numbered ? args[0] : null,
      strerror: numbered ? args[1] : null,
      filename,
      filename2,
      args,
    });
  }

  /**
   * Python's `str()` of the error, from its fields when read:
   * `[Errno 2] text: 'file' -> 'file2'`, `[Errno 111] text`, else the
   * `str()` of its `args`; then pysocket's detail, if any.
   *
   * @ignore
   */
  [PY_STR](): string {
    let text: string;
    const { errno, strerror, filename, filename2 } = this;
    if (filename !== null && filename !== undefined) {
      text = `[${errnoLabel()} ${pyStr(errno)}] ${pyStr(strerror)}: ${
        pyRepr(filename)
      }`;
      if (filename2 !== null && filename2 !== undefined) {
        text += ` -> ${pyRepr(filename2)}`;
      }
    } else if (this.#numbered || (errno !== null && strerror !== null)) {
      text = `[${errnoLabel()} ${pyStr(errno)}] ${pyStr(strerror)}`;
    } else text = argsStr(this.args);
    return this.#detail === undefined ? text : `${text}: ${this.#detail}`;
  }
}

followFields(OSError.prototype, [
  "errno",
  "strerror",
  "filename",
  "filename2",
  "args",
]);

/** Is `value` a Python number (`PyNumber_Check`: an int, a float, a bool)? */
function isPyNumber(value: unknown): value is number | bigint | boolean {
  return typeof value === "number" || typeof value === "bigint" ||
    typeof value === "boolean";
}

/**
 * `BlockingIOError`'s `characters_written` from its third argument, as
 * CPython's `PyNumber_AsSsize_t`: `undefined` for -1 (unset).
 */
function charactersWritten(
  value: number | bigint | boolean,
): number | undefined {
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "number" && !Number.isInteger(value)) {
    throw new TypeError("'float' object cannot be interpreted as an integer");
  }
  const n = BigInt(value);
  if (n < -(2n ** 63n) || n >= 2n ** 63n) {
    throw new ValueError("cannot fit 'int' into an index-sized integer");
  }
  return n === -1n ? undefined : Number(n);
}

/** The class for `OSError(errno, …)`: an int (a bool is one) it knows. */
function errnoClassOf(errno: unknown): typeof OSError {
  if (typeof errno === "boolean") return errnoClass(errno ? 1 : 0);
  if (typeof errno === "bigint") {
    return errno >= -(2n ** 31n) && errno < 2n ** 31n
      ? errnoClass(Number(errno))
      : OSError;
  }
  return typeof errno === "number" && Number.isInteger(errno)
    ? errnoClass(errno)
    : OSError;
}

/**
 * Python's `BlockingIOError`: a non-blocking operation could not finish at
 * once (`[Errno 11] Resource temporarily unavailable`).
 *
 * @example
 * ```ts
 * import { BlockingIOError, OSError } from "@pysocket/socket";
 * import { assert } from "@std/assert";
 *
 * assert(new BlockingIOError(11, "Resource temporarily unavailable") instanceof OSError);
 * ```
 */
export class BlockingIOError extends OSError {
  /**
   * How many bytes (or characters) a buffered file's `write` took before
   * the socket would have blocked, as Python's `characters_written`; set
   * by the `makefile()` file objects, `undefined` otherwise.
   */
  declare characters_written?: number;
}

/**
 * Python's `ConnectionError`, the base of the connection errors.
 *
 * @example
 * ```ts
 * import { ConnectionError, ConnectionResetError } from "@pysocket/socket";
 * import { assert } from "@std/assert";
 *
 * assert(new ConnectionResetError(104, "Connection reset by peer") instanceof ConnectionError);
 * ```
 */
export class ConnectionError extends OSError {}

/**
 * Python's `BrokenPipeError` (`EPIPE`): writing to a connection whose peer
 * has gone.
 *
 * @example
 * ```ts
 * import { BrokenPipeError } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(new BrokenPipeError(32, "Broken pipe").message, "[Errno 32] Broken pipe");
 * ```
 */
export class BrokenPipeError extends ConnectionError {}

/**
 * Python's `ConnectionAbortedError` (`ECONNABORTED`).
 *
 * @example
 * ```ts
 * import { ConnectionAbortedError, ConnectionError } from "@pysocket/socket";
 * import { assert } from "@std/assert";
 *
 * assert(new ConnectionAbortedError(103, "Software caused connection abort") instanceof ConnectionError);
 * ```
 */
export class ConnectionAbortedError extends ConnectionError {}

/**
 * Python's `ConnectionRefusedError` (`ECONNREFUSED`): nothing listens there.
 *
 * @example
 * ```ts
 * import { ConnectionRefusedError } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(new ConnectionRefusedError(111, "Connection refused").errno, 111);
 * ```
 */
export class ConnectionRefusedError extends ConnectionError {}

/**
 * Python's `ConnectionResetError` (`ECONNRESET`): the peer reset the
 * connection.
 *
 * @example
 * ```ts
 * import { ConnectionResetError } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(new ConnectionResetError(104, "Connection reset by peer").strerror, "Connection reset by peer");
 * ```
 */
export class ConnectionResetError extends ConnectionError {}

/**
 * Python's `FileExistsError` (`EEXIST`).
 *
 * @example
 * ```ts
 * import { FileExistsError, OSError } from "@pysocket/socket";
 * import { assert } from "@std/assert";
 *
 * assert(new FileExistsError(17, "File exists") instanceof OSError);
 * ```
 */
export class FileExistsError extends OSError {}

/**
 * Python's `FileNotFoundError` (`ENOENT`).
 *
 * @example
 * ```ts
 * import { FileNotFoundError, OSError } from "@pysocket/socket";
 * import { assert } from "@std/assert";
 *
 * assert(new FileNotFoundError(2, "No such file or directory") instanceof OSError);
 * ```
 */
export class FileNotFoundError extends OSError {}

/**
 * Python's `IsADirectoryError` (`EISDIR`).
 *
 * @example
 * ```ts
 * import { IsADirectoryError, OSError } from "@pysocket/socket";
 * import { assert } from "@std/assert";
 *
 * assert(new IsADirectoryError(21, "Is a directory") instanceof OSError);
 * ```
 */
export class IsADirectoryError extends OSError {}

/**
 * Python's `NotADirectoryError` (`ENOTDIR`): a Unix socket path through a
 * file that is not a directory.
 *
 * @example
 * ```ts
 * import { NotADirectoryError, OSError } from "@pysocket/socket";
 * import { assert } from "@std/assert";
 *
 * assert(new NotADirectoryError(20, "Not a directory") instanceof OSError);
 * ```
 */
export class NotADirectoryError extends OSError {}

/**
 * Python's `InterruptedError` (`EINTR`).
 *
 * @example
 * ```ts
 * import { InterruptedError, OSError } from "@pysocket/socket";
 * import { assert } from "@std/assert";
 *
 * assert(new InterruptedError(4, "Interrupted system call") instanceof OSError);
 * ```
 */
export class InterruptedError extends OSError {}

/**
 * Python's `PermissionError` (`EACCES`). pysocket also raises it for a
 * missing Deno permission, naming the flag to add.
 *
 * @example
 * ```ts
 * import { PermissionError } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(new PermissionError(13, "Permission denied").errno, 13);
 * ```
 */
export class PermissionError extends OSError {}

/**
 * Python's `TimeoutError` (`socket.timeout` is an alias): an operation on a
 * socket with a timeout did not finish in time. Its message is `timed out`.
 *
 * @example
 * ```ts
 * import { TimeoutError, timeout } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(new TimeoutError("timed out").message, "timed out");
 * assertEquals(timeout, TimeoutError);
 * ```
 */
export class TimeoutError extends OSError {}

/**
 * Python's `socket.herror`: a failed reverse lookup.
 *
 * @example
 * ```ts
 * import { herror, OSError } from "@pysocket/socket";
 * import { assert } from "@std/assert";
 *
 * assert(new herror(1, "Unknown host") instanceof OSError);
 * ```
 */
export class herror extends OSError {}

/**
 * Python's `socket.gaierror`: a failed `getaddrinfo()`, with glibc's
 * negative numbers (`[Errno -2] Name or service not known`).
 *
 * @example
 * ```ts
 * import { gaierror } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(new gaierror(-2, "Name or service not known").message, "[Errno -2] Name or service not known");
 * ```
 */
export class gaierror extends OSError {}

/**
 * Python's `socket.error`, an alias of {@linkcode OSError}.
 *
 * @example
 * ```ts
 * import { error, OSError } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(error, OSError);
 * ```
 */
export const error: typeof OSError = OSError;
/** `socket.error` as a type, as Python's annotations use it: an {@linkcode OSError}. */
export type error = OSError;

/**
 * Python's `socket.timeout`, an alias of {@linkcode TimeoutError}.
 *
 * @example
 * ```ts
 * import { timeout, TimeoutError } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(timeout, TimeoutError);
 * ```
 */
export const timeout: typeof TimeoutError = TimeoutError;
/** `socket.timeout` as a type, as Python's annotations use it: a {@linkcode TimeoutError}. */
export type timeout = TimeoutError;

/**
 * The mark of a class that Python derives from `ValueError` as well as from
 * another base (`ssl.SSLCertVerificationError` is an `OSError` and a
 * `ValueError`): a prototype that has it is a `ValueError` for `instanceof`.
 */
export const ALSO_VALUE_ERROR: unique symbol = Symbol("pysocket.ValueError");

/**
 * Does the engine list the constructor of a `RangeError` or
 * `AggregateError` subclass as the innermost frame of its errors' stacks
 * (JavaScriptCore does; not for an `Error` subclass)? Asked once, by
 * counting frames.
 */
const CONSTRUCTOR_FRAME = (() => {
  class Probe extends RangeError {
    constructor() {
      super();
    }
  }
  const frames = (err: Error) => String(err.stack).split("\n").length;
  return frames(new Probe()) > frames(new RangeError());
})();

/**
 * Starts `err`'s stack at the frame that made it, where the engine lists
 * the constructor (see {@linkcode CONSTRUCTOR_FRAME}): as Python's
 * traceback ends at the `raise`. (Elsewhere nothing: capturing the stack
 * again would double an error's cost on V8.)
 *
 * @param err The error, its name and message set.
 * @param Class Its class (`new.target`): frames from its constructor in.
 */
function startStackAtCaller(
  err: Error,
  // deno-lint-ignore no-explicit-any
  Class: abstract new (...args: any[]) => Error,
): void {
  if (CONSTRUCTOR_FRAME) Error.captureStackTrace?.(err, Class);
}

/**
 * Python's `ValueError` for bad argument values (`negative buffersize in
 * recv`, `Timeout value out of range`). A `RangeError`, since JS lacks it.
 * JS has single inheritance: Python's classes that are `ValueError`s on a
 * second line (`ssl.CertificateError`) answer `instanceof ValueError` too.
 *
 * @example
 * ```ts
 * import { ValueError } from "@pysocket/socket";
 * import { assert } from "@std/assert";
 *
 * assert(new ValueError("negative buffersize in recv") instanceof RangeError);
 * ```
 */
export class ValueError extends RangeError {
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
   * Makes the error as Python's `ValueError(*args)`: its message is the `repr()`
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
    startStackAtCaller(this, new.target);
  }

  /**
   * Python's `str()` of the error: from its `args`.
   *
   * @ignore
   */
  [PY_STR](): string {
    return argsStr(this.args);
  }

  /**
   * `instanceof`: the prototype chain, or (for `ValueError` itself) the
   * mark of a class that is a `ValueError` on a second line.
   *
   * @param value What `instanceof` asks about.
   * @returns Whether `value` is an instance.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    return this === ValueError && typeof value === "object" &&
      value !== null && ALSO_VALUE_ERROR in value;
  }
}

followFields(ValueError.prototype, ["args"]);

/**
 * Python's `OverflowError` for out-of-range numbers
 * (`bind(): port must be 0-65535.`). A `RangeError`, since JS lacks it.
 *
 * @example
 * ```ts
 * import { OverflowError } from "@pysocket/socket";
 * import { assert } from "@std/assert";
 *
 * assert(new OverflowError("bind(): port must be 0-65535.") instanceof RangeError);
 * ```
 */
export class OverflowError extends RangeError {
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
   * Makes the error as Python's `OverflowError(*args)`: its message is the `repr()`
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
    startStackAtCaller(this, new.target);
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

followFields(OverflowError.prototype, ["args"]);

/** CPython's errno → exception class table (`Objects/exceptions.c`). */
const CLASS_BY_ERRNO: Partial<Record<ErrnoName, typeof OSError>> = {
  EAGAIN: BlockingIOError,
  EALREADY: BlockingIOError,
  EINPROGRESS: BlockingIOError,
  EPIPE: BrokenPipeError,
  ESHUTDOWN: BrokenPipeError,
  ECONNABORTED: ConnectionAbortedError,
  ECONNREFUSED: ConnectionRefusedError,
  ECONNRESET: ConnectionResetError,
  EEXIST: FileExistsError,
  ENOENT: FileNotFoundError,
  EINTR: InterruptedError,
  EISDIR: IsADirectoryError,
  ENOTDIR: NotADirectoryError,
  EACCES: PermissionError,
  EPERM: PermissionError,
  ETIMEDOUT: TimeoutError,
};

/**
 * The class CPython's `OSError(errno, …)` turns into for an error number on
 * this platform (`111` → `ConnectionRefusedError`).
 */
export function errnoClass(num: number): typeof OSError {
  const name = errnoName(num);
  return (name && CLASS_BY_ERRNO[name]) ?? OSError;
}

/**
 * Python's `ExceptionGroup`: several errors raised together, as
 * `create_connection(..., { all_errors: true })` does. Its message is
 * Python's `str()`: `create_connection failed (2 sub-exceptions)`.
 *
 * @example
 * ```ts
 * import { ConnectionRefusedError, ExceptionGroup } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * const group = new ExceptionGroup("create_connection failed", [
 *   new ConnectionRefusedError(111, "Connection refused"),
 * ]);
 * assertEquals(group.message, "create_connection failed (1 sub-exception)");
 * assertEquals(group.exceptions.length, 1);
 * ```
 */
export class ExceptionGroup extends AggregateError {
  /** The errors, in the order they happened. */
  readonly exceptions: readonly Error[];
  /** Python's `args`: `[message, exceptions]`, as given. */
  declare readonly args: readonly unknown[];

  /**
   * Groups errors under a message, checked as Python checks them.
   *
   * @param message What failed.
   * @param exceptions The errors: a non-empty array of `Error`s.
   * @throws {TypeError} `BaseExceptionGroup.__new__() argument 1 must be
   * str, not int`, `second argument (exceptions) must be a sequence`.
   * @throws {ValueError} `second argument (exceptions) must be a non-empty
   * sequence`, `Item 0 of second argument (exceptions) is not an
   * exception`.
   */
  constructor(message: string, exceptions: Error[]) {
    checkArgs(GROUP_ARGS, arguments);
    if (typeof message !== "string") {
      throw new TypeError(
        `BaseExceptionGroup.__new__() argument 1 must be str, not ${
          pyArgType(message)
        }`,
      );
    }
    const errors = groupItems(exceptions);
    const n = errors.length;
    super(errors, `${message} (${n} sub-exception${n === 1 ? "" : "s"})`);
    this.name = new.target.name;
    this.exceptions = errors;
    this.#message = message;
    defineArgs(this, [message, exceptions]);
    startStackAtCaller(this, new.target);
  }

  /** Python's `message` field: the text it was made with. */
  #message: string;

  /**
   * Python's `subgroup(condition)`: a group of the errors that match (nested
   * groups kept as groups of their matching errors), or `null` when none
   * does; the group itself when it matches as a whole.
   *
   * @param condition An error class, an array of them, or a predicate
   * (called with each error and each group).
   * @returns The group of matching errors, or `null`.
   * @throws {TypeError} `expected a function, exception type or tuple of
   * exception types`.
   */
  subgroup(
    condition:
      // deno-lint-ignore no-explicit-any
      | (abstract new (...args: any[]) => Error)
      // deno-lint-ignore no-explicit-any
      | readonly (abstract new (...args: any[]) => Error)[]
      | ((error: Error) => unknown),
  ): ExceptionGroup | null {
    return splitGroup(this, matcher(condition), false)[0] as
      | ExceptionGroup
      | null;
  }

  /**
   * Python's `split(condition)`: `[match, rest]`, the groups of the errors
   * that match and of the others (`null` for an empty one), keeping the
   * nesting.
   *
   * @param condition An error class, an array of them, or a predicate.
   * @returns `[match, rest]`.
   * @throws {TypeError} `expected a function, exception type or tuple of
   * exception types`.
   */
  split(
    condition:
      // deno-lint-ignore no-explicit-any
      | (abstract new (...args: any[]) => Error)
      // deno-lint-ignore no-explicit-any
      | readonly (abstract new (...args: any[]) => Error)[]
      | ((error: Error) => unknown),
  ): [ExceptionGroup | null, ExceptionGroup | null] {
    return splitGroup(this, matcher(condition), true) as [
      ExceptionGroup | null,
      ExceptionGroup | null,
    ];
  }

  /**
   * Python's `derive(excs)`: a new group with this one's message and the
   * given errors (what `split()` and `subgroup()` build their parts with).
   *
   * @param exceptions The errors.
   * @returns The new group.
   */
  derive(exceptions: Error[]): ExceptionGroup {
    return new ExceptionGroup(this.#message, exceptions);
  }
}

pyNames({
  OSError,
  BlockingIOError,
  ConnectionError,
  BrokenPipeError,
  ConnectionAbortedError,
  ConnectionRefusedError,
  ConnectionResetError,
  FileExistsError,
  FileNotFoundError,
  IsADirectoryError,
  NotADirectoryError,
  InterruptedError,
  PermissionError,
  TimeoutError,
  ValueError,
  OverflowError,
  ExceptionGroup,
});
pyNames({ herror, gaierror }, "socket");

/** Is `value` an error class (Python's exception type)? */
function isErrorClass(value: unknown): value is new () => Error {
  return typeof value === "function" &&
    (value === Error || value.prototype instanceof Error);
}

/** CPython's `get_matcher_type()`: a test for one error. */
function matcher(condition: unknown): (error: Error) => boolean {
  if (isErrorClass(condition)) return (e) => e instanceof condition;
  if (Array.isArray(condition) && condition.every(isErrorClass)) {
    return (e) => condition.some((Class) => e instanceof Class);
  }
  if (typeof condition === "function") {
    return (e) => Boolean((condition as (e: Error) => unknown)(e));
  }
  throw new TypeError(
    "expected a function, exception type or tuple of exception types",
  );
}

/** CPython's `exceptiongroup_split_recursive()`: `[match, rest]`. */
function splitGroup(
  error: Error,
  test: (error: Error) => boolean,
  withRest: boolean,
): [Error | null, Error | null] {
  if (test(error)) return [error, null];
  if (!(error instanceof ExceptionGroup)) {
    return [null, withRest ? error : null];
  }
  const match: Error[] = [];
  const rest: Error[] = [];
  for (const item of error.exceptions) {
    const [m, r] = splitGroup(item, test, withRest);
    if (m !== null) match.push(m);
    if (r !== null) rest.push(r);
  }
  return [
    match.length === 0 ? null : error.derive(match),
    rest.length === 0 ? null : error.derive(rest),
  ];
}

const GROUP_ARGS: ArgSpec = {
  name: "BaseExceptionGroup.__new__",
  style: "tuple",
  params: ["message", "exceptions"],
  required: 2,
};

/**
 * The exceptions of an `ExceptionGroup`, as Python checks them: a sequence
 * (an array, a string, a view), not empty, of errors; item by item, so
 * that a huge view of numbers fails at its first item without a copy.
 */
function groupItems(exceptions: unknown): Error[] {
  let length: number;
  let at: (i: number) => unknown;
  if (Array.isArray(exceptions)) {
    length = exceptions.length;
    at = (i) => exceptions[i];
  } else if (typeof exceptions === "string") {
    length = exceptions.length;
    at = (i) => exceptions[i];
  } else if (
    ArrayBuffer.isView(exceptions) || exceptions instanceof ArrayBuffer
  ) {
    if (isDetached(exceptions)) {
      throw new ValueError("operation forbidden on released memoryview object");
    }
    length = exceptions.byteLength;
    at = () => 0; // a number, whatever the view
  } else {
    throw new TypeError("second argument (exceptions) must be a sequence");
  }
  if (length === 0) {
    throw new ValueError(
      "second argument (exceptions) must be a non-empty sequence",
    );
  }
  const errors: Error[] = [];
  for (let i = 0; i < length; i++) {
    const item = at(i);
    if (!(item instanceof Error)) {
      throw new ValueError(
        `Item ${i} of second argument (exceptions) is not an exception`,
      );
    }
    errors.push(item);
  }
  return errors;
}

/**
 * The error Python raises for an errno name on this platform, of the class
 * CPython picks for it (`ECONNREFUSED` → `ConnectionRefusedError`).
 */
export function errnoError(
  name: ErrnoName,
  options?: OSErrorOptions,
): OSError {
  const [num, text] = errnoEntry(name);
  const Class = CLASS_BY_ERRNO[name] ?? OSError;
  return new Class(num, text, options);
}

/** A `gaierror` with glibc's number and text. */
export function gaiError(
  name: keyof typeof EAI,
  options?: OSErrorOptions,
): gaierror {
  const [num, text] = EAI[name];
  return new gaierror(num, text, options);
}

/** The `TimeoutError('timed out')` every timed-out operation raises. */
export function timedOut(): TimeoutError {
  return new TimeoutError("timed out");
}
