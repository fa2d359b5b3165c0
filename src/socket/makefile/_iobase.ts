// Copyright the pysocket authors. MIT license.
// What CPython's `io.IOBase` gives every layer: the default buffer size,
// the closed-file text, `readlines(hint)`, `writelines()`, iteration, and
// the repr hooks.

import { ValueError } from "../errors.ts";
import { iterable } from "../../_py/pytype.ts";

/** CPython's `io.DEFAULT_BUFFER_SIZE`. */
export const DEFAULT_BUFFER_SIZE = 8192;

/** `IOBase`'s closed-file text. */
export const CLOSED_FILE = "I/O operation on closed file.";

/** `b''`. */
export const EMPTY: Uint8Array<ArrayBuffer> = new Uint8Array(0);

/** Deno's `console.log` hook: file objects show their repr. */
export const DENO_INSPECT = Symbol.for("Deno.customInspect");
/** Node's (and Bun's) `util.inspect` hook. */
export const NODE_INSPECT = Symbol.for("nodejs.util.inspect.custom");

/** `IOBase._checkClosed()`: `ValueError` once `closed`. */
export function checkClosed(file: { readonly closed: boolean }): void {
  if (file.closed) throw new ValueError(CLOSED_FILE);
}

/**
 * The bytes of `parts` in one array: the part itself when only one, one view
 * over them when they lie one after another in the same memory (the pieces a
 * buffer-sized read cut a runtime's chunk into), else a copy.
 */
export function concatBytes(
  parts: Uint8Array<ArrayBuffer>[],
  total: number,
): Uint8Array<ArrayBuffer>;
export function concatBytes(parts: Uint8Array[], total: number): Uint8Array;
export function concatBytes(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0];
  if (total === 0) return EMPTY;
  const joined = adjacent(parts, total);
  if (joined !== null) return joined;
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * One view over `parts` when each starts where the one before ends, in the
 * same buffer; else `null`. Results are never written to once returned, so
 * the view holds exactly the bytes a copy would.
 */
function adjacent(parts: Uint8Array[], total: number): Uint8Array | null {
  const first = parts[0];
  const buffer = first.buffer;
  let end = first.byteOffset + first.length;
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i];
    if (part.byteOffset !== end || part.buffer !== buffer) return null;
    end += part.length;
  }
  return new Uint8Array(buffer, first.byteOffset, total);
}

/**
 * `IOBase.readlines(hint)`: lines until the end of the stream, or until
 * the lines read total more than `hint` (`hint <= 0`: no limit), as
 * CPython counts them.
 *
 * @param readline One line (`__next__`); empty at the end.
 * @param hint The size hint.
 * @param length A line's `len()`.
 */
export async function collectLines<T extends { readonly length: number }>(
  readline: () => T | Promise<T>,
  hint: number,
  length: (line: T) => number,
): Promise<T[]> {
  const lines: T[] = [];
  let total = 0;
  for (;;) {
    const line = await readline();
    if (line.length === 0) return lines;
    lines.push(line);
    if (hint > 0) {
      const n = length(line);
      if (n > hint - total) return lines;
      total += n;
    }
  }
}

/**
 * `IOBase.writelines(lines)`: `write` each, from any iterable (a str too:
 * its characters, as Python iterates it) or async iterable, after the
 * closed-file check; `'int' object is not iterable` for anything else.
 */
export async function writeEach<T>(
  lines: Iterable<T> | AsyncIterable<T>,
  write: (line: T) => Promise<unknown>,
): Promise<void> {
  if (
    lines === null || lines === undefined ||
    typeof (lines as Partial<AsyncIterable<T>>)[Symbol.asyncIterator] !==
      "function"
  ) {
    iterable(lines);
  }
  for await (const line of lines) await write(line);
}

/**
 * `IOBase.__iter__` / `__next__`: the lines of a file, each read with its
 * `readline()`, until an empty one. The closed-file check is made when
 * iteration starts, as Python's `iter(f)` makes it.
 */
export function iterateLines<T extends { readonly length: number }>(
  file: { readonly closed: boolean },
  readline: () => Promise<T>,
): AsyncIterableIterator<T> {
  checkClosed(file);
  const step = (line: T): IteratorResult<T, undefined> =>
    line.length === 0
      ? { done: true, value: undefined }
      : { done: false, value: line };
  const iterator: AsyncIterableIterator<T> = {
    next: () => readline().then(step),
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
