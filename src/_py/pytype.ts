// Copyright the pysocket authors. MIT license.
// Python's names for JS values, for error texts in Python's words, and the
// argument checks that use them.
//
// JS values are Python values as follows: `null` and `undefined` are
// `None`; a number is an `int` when it is an integer (a `bigint` too), else
// a `float`; a string is a `str`; a boolean a `bool`; a `Uint8Array`, an
// `ArrayBuffer` or a `SharedArrayBuffer` is `bytes` (also where Python wants
// a `bytearray`), any other view a `memoryview`, and a view whose buffer was
// transferred away (detached), or shrunk below it (out of bounds), a
// released `memoryview`; an array is a `list` (a `tuple` where
// Python wants one: an address); a plain object or a `Map` is a `dict`, a
// `Set` a `set`; a Symbol is named `symbol`, a function `function`, and any
// other object by its class (`new Thing()` is a `Thing`), as Python's
// `type(x).__name__`. The checks never throw anything but Python's errors,
// whatever they are given (a revoked Proxy, a detached view, a Symbol).

import { OverflowError, TypeError, ValueError } from "../socket/errors.ts";
import { isArrayBuffer, isDetached, pyArgType, pyTypeName } from "./repr.ts";

export {
  isArrayBuffer,
  isDetached,
  pyArgType,
  pyRepr,
  pyStr,
  pyTypeName,
} from "./repr.ts";
export { type ArgSpec, type ArgStyle, checkArgs, positional } from "./args.ts";

/**
 * `'str' object cannot be interpreted as an integer` unless an integer (a
 * bigint too, as Python's int; one past 2 ** 53 comes back rounded, which
 * the range checks that follow refuse as they refuse it exactly).
 */
export function checkInt(value: unknown): number {
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "boolean" || typeof value === "bigint") {
    return Number(value);
  }
  throw new TypeError(
    `'${pyTypeName(value)}' object cannot be interpreted as an integer`,
  );
}

const INT_MAX = 2n ** 31n - 1n;
const INT_MIN = -(2n ** 31n);
const LONG_MAX = 2n ** 63n - 1n;
const LONG_MIN = -(2n ** 63n);

/**
 * How CPython converts a Python int to C, each with its own overflow text:
 * `"i"` is `PyArg_Parse`'s `i` (a C `int` through a `long`), `"int"` is
 * `_PyLong_AsInt`, `"long"` is `PyLong_AsLong`, `"ssize_t"` is
 * `PyArg_Parse`'s `n`.
 */
export type CConversion = "i" | "int" | "long" | "ssize_t";

/** A Python int as a `bigint`, or `undefined` when the value is not one. */
export function pyInt(value: unknown): bigint | undefined {
  if (typeof value === "bigint") return value;
  if (typeof value === "boolean") return value ? 1n : 0n;
  if (typeof value === "number" && Number.isInteger(value)) {
    return BigInt(value);
  }
  return undefined;
}

/**
 * An integer argument converted to C as CPython converts it: Python's
 * `TypeError` for a value that is not an int, its `OverflowError` (with
 * the conversion's own text) for one out of the C type's range.
 *
 * @param value The argument.
 * @param conversion Which of CPython's conversions the argument goes
 * through (see {@linkcode CConversion}).
 * @returns The value as a number.
 */
export function checkCInt(
  value: unknown,
  conversion: CConversion = "i",
): number {
  // The usual argument, without a bigint: a small integral number.
  if (
    typeof value === "number" &&
    (conversion === "i" || conversion === "int"
      ? (value | 0) === value && !Object.is(value, -0)
      : Number.isSafeInteger(value))
  ) return value;
  const n = pyInt(value);
  if (n === undefined) {
    throw new TypeError(
      `'${pyTypeName(value)}' object cannot be interpreted as an integer`,
    );
  }
  switch (conversion) {
    case "i":
      if (n > LONG_MAX || n < LONG_MIN) {
        throw new OverflowError("Python int too large to convert to C long");
      }
      if (n > INT_MAX) {
        throw new OverflowError("signed integer is greater than maximum");
      }
      if (n < INT_MIN) {
        throw new OverflowError("signed integer is less than minimum");
      }
      break;
    case "int":
      if (n > INT_MAX || n < INT_MIN) {
        throw new OverflowError("Python int too large to convert to C int");
      }
      break;
    case "long":
      if (n > LONG_MAX || n < LONG_MIN) {
        throw new OverflowError("Python int too large to convert to C long");
      }
      break;
    case "ssize_t":
      if (n > LONG_MAX || n < LONG_MIN) {
        throw new OverflowError(
          "Python int too large to convert to C ssize_t",
        );
      }
      break;
  }
  return Number(n);
}

/**
 * A `str` argument of a C function (`PyArg_Parse`'s `s`): Python's
 * `TypeError` for anything else (`getservbyname() argument 1 must be str,
 * not int`) and its `ValueError` for a NUL inside.
 *
 * @param value The argument.
 * @param fn The function's name, as CPython prints it.
 * @param position The argument's position, from 1.
 * @returns The string.
 */
export function checkStr(value: unknown, fn: string, position: number): string {
  if (typeof value !== "string") {
    const type = pyArgType(value);
    throw new TypeError(
      `${fn}() argument ${position} must be str, not ${type}`,
    );
  }
  if (value.includes("\0")) throw new ValueError("embedded null character");
  return value;
}

/** Python's truth value of a JS value (`[]`, `b''`, `0`, `''` are false). */
export function pyTruthy(value: unknown): boolean {
  switch (typeof value) {
    case "undefined":
      return false;
    case "number":
      return value !== 0; // NaN is true, as Python's float('nan')
    case "string":
      return value.length > 0;
    case "bigint":
      return value !== 0n;
    case "boolean":
      return value;
    case "symbol":
    case "function":
      return true;
  }
  if (value === null) return false;
  if (
    (ArrayBuffer.isView(value) || isArrayBuffer(value)) && isDetached(value)
  ) {
    throw releasedError(); // bool() of a released memoryview
  }
  try {
    if (Array.isArray(value)) return value.length > 0;
    if (ArrayBuffer.isView(value) || isArrayBuffer(value)) {
      return value.byteLength > 0;
    }
    if (value instanceof Map || value instanceof Set) return value.size > 0;
    // A plain object is a dict: `{}` is false.
    const proto = Object.getPrototypeOf(value);
    if (proto === Object.prototype || proto === null) {
      return Object.keys(value as object).length > 0;
    }
  } catch {
    // a revoked Proxy: an object, so true
  }
  return true;
}

const EMPTY = new Uint8Array(0);

/** `ValueError: operation forbidden on released memoryview object`. */
export function releasedError(): ValueError {
  return new ValueError("operation forbidden on released memoryview object");
}

/**
 * Python's bytes-like check: any `ArrayBufferView`, `ArrayBuffer` or
 * `SharedArrayBuffer`, as a `Uint8Array` over the same memory (no copy). A
 * detached view, or one out of the bounds of a shrunk resizable buffer, is
 * Python's released `memoryview`: a `ValueError`.
 */
export function bytesLike(data: unknown): Uint8Array {
  if (data instanceof Uint8Array) {
    if (data.byteLength === 0 && isDetached(data)) throw releasedError();
    return data;
  }
  if (ArrayBuffer.isView(data)) {
    if (isDetached(data)) throw releasedError();
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }
  if (isArrayBuffer(data)) {
    if (isDetached(data)) throw releasedError();
    return data.byteLength === 0 ? EMPTY : new Uint8Array(data);
  }
  throw new TypeError(
    `a bytes-like object is required, not '${pyTypeName(data)}'`,
  );
}

/**
 * Python's `memoryview(data)`: {@linkcode bytesLike} with memoryview's
 * text, `TypeError: memoryview: a bytes-like object is required, not
 * 'str'` (a released view is still the `ValueError`).
 */
export function memoryview(data: unknown): Uint8Array {
  try {
    return bytesLike(data);
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
    throw new TypeError(`memoryview: ${err.message}`);
  }
}

/**
 * A writable buffer for `recv_into`: Python's wording when it is not one
 * (a detached view is a released `memoryview`, which Python cannot write
 * into either).
 */
export function writableBuffer(
  buffer: unknown,
  fn: string,
  arg = 1,
): Uint8Array {
  if (
    typeof buffer === "string" || buffer === null || buffer === undefined ||
    !(ArrayBuffer.isView(buffer) || isArrayBuffer(buffer)) ||
    isDetached(buffer)
  ) {
    throw new TypeError(
      `${fn}() argument ${arg} must be read-write bytes-like object, not ${
        pyArgType(buffer)
      }`,
    );
  }
  return bytesLike(buffer);
}

/** A `bufsize`: an int ≥ 0, with Python's texts (`negative buffersize in recv`). */
export function checkBufsize(value: unknown, fn: string): number {
  const n = checkCInt(value, "ssize_t");
  if (n < 0) throw new ValueError(`negative buffersize in ${fn}`);
  return n;
}

/**
 * A timeout in seconds: `null`, or a number ≥ 0, as `settimeout()` takes it.
 */
export function checkTimeout(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "boolean") return Number(value);
  if (typeof value !== "number" && typeof value !== "bigint") {
    throw new TypeError(
      `'${pyTypeName(value)}' object cannot be interpreted as an integer`,
    );
  }
  const seconds = Number(value);
  if (Number.isNaN(seconds)) {
    throw new ValueError("Invalid value NaN (not a number)");
  }
  // As _PyTime_FromSecondsObject: an int and a float overflow differently.
  if (!(Math.abs(seconds) * 1e9 < 2 ** 63)) {
    throw new OverflowError(
      Number.isInteger(seconds)
        ? "timestamp too large to convert to C _PyTime_t"
        : "timestamp out of range for platform time_t",
    );
  }
  if (seconds < 0) throw new ValueError("Timeout value out of range");
  // Kept as CPython keeps it, in whole nanoseconds rounded up, so that
  // gettimeout() answers as Python's does (1/3 is 0.333333334; -0 is 0.0,
  // by the `+ 0`).
  return Math.ceil(seconds * 1e9) / 1e9 + 0;
}

// ------------------------------------------------- keywords, unpacking

/**
 * A JS options object as Python's `**kwargs`: `undefined` is none given;
 * anything but a plain object is `TypeError: f() argument after ** must be
 * a mapping, not NoneType`; a key Python's function does not take is
 * `TypeError: f() got an unexpected keyword argument 'x'`.
 *
 * @param options The options argument.
 * @param qualname The function's name with its module, for the first
 * message (`socket.create_server`).
 * @param name The function's name, for the second (`create_server`).
 * @param keys The keywords the function takes.
 * @returns The options (an empty object when none were given).
 */
export function checkOptions<T extends object>(
  options: unknown,
  qualname: string,
  name: string,
  keys: readonly string[],
): Partial<T> {
  if (options === undefined) return {};
  let plain = false;
  if (typeof options === "object" && options !== null) {
    try {
      const proto = Object.getPrototypeOf(options);
      plain = !Array.isArray(options) &&
        (proto === Object.prototype || proto === null);
    } catch {
      plain = false;
    }
  }
  if (!plain) {
    throw new TypeError(
      `${qualname}() argument after ** must be a mapping, not ${
        pyTypeName(options)
      }`,
    );
  }
  for (const key of Object.keys(options as object)) {
    if (!keys.includes(key)) {
      throw new TypeError(
        `${name}() got an unexpected keyword argument '${key}'`,
      );
    }
  }
  return options as Partial<T>;
}

/**
 * Python's `a, b = value`: the items of a sequence of exactly `n`, with
 * Python's errors (`cannot unpack non-iterable NoneType object`, `not
 * enough values to unpack (expected 2, got 1)`, `too many values to unpack
 * (expected 2)`). A string unpacks into its characters, bytes into ints.
 *
 * @param value What is unpacked.
 * @param n How many items it must have.
 * @returns The items.
 */
export function unpack(value: unknown, n: number): unknown[] {
  let items: ArrayLike<unknown> | undefined;
  try {
    if (typeof value === "string") {
      items = value.length > 4 * n ? { length: value.length } : [...value];
    } else if (Array.isArray(value)) items = value;
    else if (ArrayBuffer.isView(value) || isArrayBuffer(value)) {
      items = bytesLike(value); // its length first: no copy of a huge view
    }
  } catch (err) {
    if (err instanceof ValueError) throw err;
    items = undefined;
  }
  if (items === undefined) {
    throw new TypeError(
      `cannot unpack non-iterable ${pyTypeName(value)} object`,
    );
  }
  if (items.length < n) {
    throw new ValueError(
      `not enough values to unpack (expected ${n}, got ${items.length})`,
    );
  }
  if (items.length > n) {
    throw new ValueError(`too many values to unpack (expected ${n})`);
  }
  return Array.from(items);
}

/**
 * Python's `iter(value)`: what a `for` loop over `value` goes through, or
 * `TypeError: 'int' object is not iterable` (an error from the value's own
 * iterator goes through as it is, as in Python).
 *
 * @param value What is iterated.
 * @returns Its items.
 */
export function iterable(value: unknown): Iterable<unknown> {
  if (
    (ArrayBuffer.isView(value) || isArrayBuffer(value)) && isDetached(value)
  ) {
    throw releasedError();
  }
  const iter = value === null || value === undefined
    ? undefined
    : (value as { [Symbol.iterator]?: unknown })[Symbol.iterator];
  if (typeof iter !== "function") {
    throw new TypeError(`'${pyTypeName(value)}' object is not iterable`);
  }
  return value as Iterable<unknown>;
}

/**
 * A method of an object Python would look up as an attribute: Python's
 * `AttributeError` text (`'NoneType' object has no attribute 'read'`) as a
 * `TypeError` (what JS raises for a property of `null`) when it is not a
 * function.
 *
 * @param value The object.
 * @param name The attribute.
 * @returns The method, bound to `value`.
 */
export function method<F extends (...args: never[]) => unknown>(
  value: unknown,
  name: string,
): F {
  let found: unknown;
  try {
    found = value === null || value === undefined
      ? undefined
      : (value as Record<string, unknown>)[name];
  } catch {
    found = undefined;
  }
  if (typeof found !== "function") {
    throw new TypeError(
      `'${pyTypeName(value)}' object has no attribute '${name}'`,
    );
  }
  return found.bind(value) as F;
}

/** Python's `getattr(value, name, None)`, `undefined` for None. */
export function attribute(value: unknown, name: string): unknown {
  if (value === null || value === undefined) return undefined;
  try {
    return (value as Record<string, unknown>)[name];
  } catch {
    return undefined;
  }
}
