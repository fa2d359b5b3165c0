// Copyright the pysocket authors. MIT license.
// Python's names for JS values, for error texts in Python's words, and the
// argument checks that use them.

import { OverflowError, ValueError } from "../socket/errors.ts";

/** The Python type name a JS value would have (`'str'`, `'int'`, …). */
export function pyTypeName(value: unknown): string {
  if (value === null || value === undefined) return "NoneType";
  switch (typeof value) {
    case "string":
      return "str";
    case "number":
      return Number.isInteger(value) ? "int" : "float";
    case "bigint":
      return "int";
    case "boolean":
      return "bool";
    case "function":
      return "function";
  }
  if (Array.isArray(value)) return "list";
  if (value instanceof Uint8Array || value instanceof ArrayBuffer) {
    return "bytes";
  }
  if (ArrayBuffer.isView(value)) return "memoryview";
  return "dict";
}

/** `'str' object cannot be interpreted as an integer` unless an integer. */
export function checkInt(value: unknown): number {
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "boolean") return Number(value);
  throw new TypeError(
    `'${pyTypeName(value)}' object cannot be interpreted as an integer`,
  );
}

const EMPTY = new Uint8Array(0);

/**
 * Python's bytes-like check: any `ArrayBufferView` or `ArrayBuffer`, as a
 * `Uint8Array` over the same memory (no copy).
 */
export function bytesLike(data: unknown): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data)) {
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }
  if (data instanceof ArrayBuffer) {
    return data.byteLength === 0 ? EMPTY : new Uint8Array(data);
  }
  throw new TypeError(
    `a bytes-like object is required, not '${pyTypeName(data)}'`,
  );
}

/**
 * A writable buffer for `recv_into`: Python's wording when it is not one.
 */
export function writableBuffer(buffer: unknown, fn: string): Uint8Array {
  if (
    typeof buffer === "string" || buffer === null || buffer === undefined ||
    !(ArrayBuffer.isView(buffer) || buffer instanceof ArrayBuffer)
  ) {
    throw new TypeError(
      `${fn}() argument 1 must be read-write bytes-like object, not ${
        buffer === null || buffer === undefined ? "None" : pyTypeName(buffer)
      }`,
    );
  }
  return bytesLike(buffer);
}

/** A `bufsize`: an int ≥ 0, with Python's texts (`negative buffersize in recv`). */
export function checkBufsize(value: unknown, fn: string): number {
  const n = checkInt(value);
  if (n < 0) throw new ValueError(`negative buffersize in ${fn}`);
  return n;
}

/**
 * A timeout in seconds: `null`, or a number ≥ 0, as `settimeout()` takes it.
 */
export function checkTimeout(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "boolean") return Number(value);
  if (typeof value !== "number") {
    throw new TypeError(
      `'${pyTypeName(value)}' object cannot be interpreted as an integer`,
    );
  }
  if (Number.isNaN(value)) {
    throw new ValueError("Invalid value NaN (not a number)");
  }
  if (value < 0) throw new ValueError("Timeout value out of range");
  if (value * 1e9 >= 2 ** 63) {
    throw new OverflowError("timestamp out of range for platform time_t");
  }
  return value;
}
