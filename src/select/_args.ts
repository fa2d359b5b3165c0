// Copyright the pysocket authors. MIT license.
// Python's argument rules of the `select` module, with CPython's texts:
// file descriptors (`PyObject_AsFileDescriptor`) and timeouts
// (`_PyTime_FromSecondsObject`, `_PyTime_FromMillisecondsObject`).

import { OverflowError, TypeError, ValueError } from "../socket/errors.ts";
import { pyTypeName } from "../socket/_pyvalue.ts";

/**
 * Something `select` takes: a descriptor number or an object with `fileno()`.
 *
 * @example A socket, its fileno() or anything with fileno()
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import * as select from "@pysocket/socket/select";
 * import { assertEquals } from "@std/assert";
 *
 * const [a, b] = await socket.socketpair();
 * await b.sendall(new Uint8Array([1]));
 * const items: select.FileDescriptorLike[] = [a, b.fileno()];
 * const [readable] = await select.select(items, [], [], 5);
 * assertEquals(readable, [a]);
 * a.close();
 * b.close();
 * ```
 */
export type FileDescriptorLike = number | { fileno(): number };

const INT_MAX = 2 ** 31 - 1;
const INT_MIN = -(2 ** 31);

/**
 * A Python int as a JS value: a safe integer number (larger ones are taken
 * as the floats they most likely were), a bigint or a bool.
 */
function asInt(value: unknown): number | null {
  if (typeof value === "number") {
    return Number.isSafeInteger(value) ? value : null;
  }
  if (typeof value === "boolean") return Number(value);
  if (typeof value === "bigint") return Number(value);
  return null;
}

/**
 * CPython's `PyObject_AsFileDescriptor`: an int, or the int an object's
 * `fileno()` returns; never negative.
 *
 * @param value The argument.
 * @returns The descriptor number.
 * @throws {TypeError} `argument must be an int, or have a fileno() method.`,
 * `fileno() returned a non-integer`.
 * @throws {OverflowError} `Python int too large to convert to C int`.
 * @throws {ValueError} `file descriptor cannot be a negative integer (-1)`.
 */
export function fileDescriptor(value: unknown): number {
  let fd = asInt(value);
  if (fd === null) {
    const fileno = value !== null && (typeof value === "object" ||
        typeof value === "function")
      ? (value as { fileno?: unknown }).fileno
      : undefined;
    if (typeof fileno !== "function") {
      throw new TypeError(
        "argument must be an int, or have a fileno() method.",
      );
    }
    fd = asInt(fileno.call(value));
    if (fd === null) throw new TypeError("fileno() returned a non-integer");
  }
  if (fd > INT_MAX || fd < INT_MIN) {
    throw new OverflowError("Python int too large to convert to C int");
  }
  if (fd < 0) {
    throw new ValueError(
      `file descriptor cannot be a negative integer (${fd})`,
    );
  }
  return fd;
}

/** 2**63 nanoseconds: the range of CPython's `_PyTime_t`. */
const PYTIME_LIMIT = 2 ** 63;

/**
 * A timeout given in `unit`s (1 for seconds, 1e-3 for milliseconds) as
 * CPython's `_PyTime_From*Object` converts it, in milliseconds; `null`
 * for `null`/`undefined`.
 *
 * @param value The argument.
 * @param unit Seconds per unit.
 * @param typeError The `TypeError`'s text for a value that is not a number.
 * @returns Milliseconds (may be negative), or `null`.
 */
export function timeoutMs(
  value: unknown,
  unit: number,
  typeError: string,
): number | null {
  if (value === null || value === undefined) return null;
  const int = asInt(value);
  if (int !== null) {
    if (Math.abs(int) * unit * 1e9 >= PYTIME_LIMIT) {
      throw new OverflowError("timestamp too large to convert to C _PyTime_t");
    }
    return int * unit * 1000;
  }
  if (typeof value !== "number") throw new TypeError(typeError);
  if (Number.isNaN(value)) {
    throw new ValueError("Invalid value NaN (not a number)");
  }
  if (!(Math.abs(value) * unit * 1e9 < PYTIME_LIMIT)) {
    throw new OverflowError("timestamp out of range for platform time_t");
  }
  return value * unit * 1000;
}

/**
 * `timeout <= 0` as Python evaluates it for a selector's timeout: a
 * `TypeError` for what is not a number.
 *
 * @param value A timeout that is not `null`.
 * @returns The number.
 * @throws {TypeError} `'<=' not supported between instances of 'str' and 'int'`.
 */
export function comparableTimeout(value: unknown): number {
  const int = asInt(value);
  if (int !== null) return int;
  if (typeof value !== "number") {
    throw new TypeError(
      `'<=' not supported between instances of '${
        pyTypeName(value)
      }' and 'int'`,
    );
  }
  return value;
}

/**
 * Python's `math.ceil()` of a float: `ValueError` for NaN, `OverflowError`
 * for an infinity.
 *
 * @param value A number.
 * @returns Its ceiling.
 */
export function ceil(value: number): number {
  if (Number.isNaN(value)) {
    throw new ValueError("cannot convert float NaN to integer");
  }
  if (!Number.isFinite(value)) {
    throw new OverflowError("cannot convert float infinity to integer");
  }
  return Math.ceil(value);
}
