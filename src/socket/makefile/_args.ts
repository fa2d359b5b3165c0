// Copyright the pysocket authors. MIT license.
// The argument conversions of CPython's io methods, with their texts, and
// the reprs their messages and file reprs show.

import { checkArgs } from "../../_py/args.ts";
import { OverflowError, TypeError } from "../errors.ts";
import {
  bytesLike,
  checkCInt,
  isArrayBuffer,
  isDetached,
  pyArgType,
  pyTypeName,
} from "../../_py/pytype.ts";

const SSIZE_MAX = 2n ** 63n - 1n;

/**
 * An int-or-None size (`read(size)`, `readline(size)`, `readlines(hint)`
 * of the binary layers, CPython's `_Py_convert_optional_to_ssize_t`):
 * `null` or omitted is `-1`; a bigint is Python's int.
 */
export function optionalSize(size: unknown): number {
  if (size === null || size === undefined) return -1;
  if (typeof size === "boolean") return Number(size);
  if (typeof size === "bigint") {
    // Python's int: a Py_ssize_t, or CPython's OverflowError.
    if (size > SSIZE_MAX || size < -SSIZE_MAX - 1n) {
      throw new OverflowError("cannot fit 'int' into an index-sized integer");
    }
    return Number(size);
  }
  if (typeof size === "number" && Number.isInteger(size)) return size;
  throw new TypeError(
    `argument should be integer or None, not '${pyTypeName(size)}'`,
  );
}

/**
 * An int argument with a default (CPython's `Py_ssize_t` parameters:
 * `read1(n=-1)`, `peek(n=0)`, `TextIOWrapper.readline(size=-1)`,
 * `SocketIO.read(size=-1)`): omitted is `dflt`, `null` is Python's `None`,
 * a `TypeError`; beyond a `ssize_t`, `OverflowError: Python int too large
 * to convert to C ssize_t`.
 */
export function sizeArg(size: unknown, dflt: number): number {
  return size === undefined ? dflt : checkCInt(size, "ssize_t");
}

/**
 * `readinto(b)`'s buffer, over the same memory: Python's text when it is
 * not a writable buffer (a released `memoryview`, a detached or
 * out-of-bounds view, is not one either: `not memoryview`).
 */
export function intoBuffer(buffer: unknown, fn: string): Uint8Array {
  if (
    typeof buffer === "string" || buffer === null || buffer === undefined ||
    !(ArrayBuffer.isView(buffer) || isArrayBuffer(buffer)) ||
    isDetached(buffer)
  ) {
    throw new TypeError(
      `${fn}() argument must be read-write bytes-like object, not ${
        pyArgType(buffer)
      }`,
    );
  }
  return bytesLike(buffer);
}

/**
 * The check of a C method without parameters (`flush()`, `close()`): any
 * argument is CPython's `TypeError: BufferedWriter.flush() takes no
 * arguments (1 given)`.
 *
 * @param name The method as CPython names it (`"BufferedWriter.flush"`).
 * @param args The call's `arguments`.
 */
export function noArgs(name: string, args: ArrayLike<unknown>): void {
  if (args.length === 0) return;
  checkArgs({ name, style: "noargs", params: [], required: 0 }, args);
}

/** Python's `repr()` of a str: `'r'`, `"it's"`, `'\n'`. */
export function reprStr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = "";
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === "\\") out += "\\\\";
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (c < 0x20 || c === 0x7f) {
      out += `\\x${c.toString(16).padStart(2, "0")}`;
    } else out += ch;
  }
  return quote + out + quote;
}
