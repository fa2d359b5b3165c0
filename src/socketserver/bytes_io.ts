// Copyright the pysocket authors. MIT license.
/**
 * `io.BytesIO`, as far as a datagram handler's `rfile` and `wfile` need
 * it.
 *
 * @module
 */

import { TypeError, ValueError } from "../socket/errors.ts";
import { UnsupportedOperation } from "../socket/makefile/unsupported_operation.ts";
import { intoBuffer, optionalSize } from "../socket/makefile/_args.ts";
import { bytesLike } from "../socket/_pyvalue.ts";
import { checkCInt, pyTypeName } from "../_py/pytype.ts";
import { pyNames } from "../_py/repr.ts";

const EMPTY = new Uint8Array(0);

/** `BytesIO.readlines(hint)`'s own check: `null` or omitted is `0`. */
function readlinesHint(hint: unknown): number {
  if (hint === null || hint === undefined) return 0;
  if (
    typeof hint === "bigint" || typeof hint === "boolean" ||
    (typeof hint === "number" && Number.isInteger(hint))
  ) return checkCInt(hint, "ssize_t");
  throw new TypeError(
    `integer argument expected, got '${pyTypeName(hint)}'`,
  );
}

/**
 * Python's `io.BytesIO`: bytes in memory, read and written at one
 * position. Nothing waits, so its methods are synchronous, as in Python
 * (`await` on them is harmless, so a handler written for a stream's
 * `rfile` reads a datagram's the same way). A
 * {@linkcode DatagramRequestHandler}'s `rfile` holds the datagram;
 * what is written to its `wfile` is sent back.
 *
 * @example
 * ```ts
 * import { BytesIO } from "@pysocket/socket/socketserver";
 * import { assertEquals } from "@std/assert";
 *
 * const f = new BytesIO(new TextEncoder().encode("one\ntwo\n"));
 * assertEquals(new TextDecoder().decode(f.readline()), "one\n");
 * assertEquals(new TextDecoder().decode(f.read()), "two\n");
 * const out = new BytesIO();
 * out.write(new TextEncoder().encode("abc"));
 * assertEquals(out.getvalue(), new TextEncoder().encode("abc"));
 * ```
 */
export class BytesIO implements Iterable<Uint8Array<ArrayBuffer>> {
  #buf: Uint8Array<ArrayBuffer>;
  #len: number;
  #pos = 0;
  #closed = false;

  /**
   * A file holding a copy of `initial_bytes`, positioned at its start.
   *
   * @param initial_bytes What it holds at first.
   */
  constructor(initial_bytes?: ArrayBufferView | ArrayBufferLike | null) {
    this.#buf = initial_bytes == null
      ? EMPTY
      : bytesLike(initial_bytes).slice();
    this.#len = this.#buf.length;
  }

  #check(): void {
    if (this.#closed) throw new ValueError("I/O operation on closed file.");
  }

  /** Has `close()` been called? */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Reads `size` bytes (all that is left with `-1`, `null` or nothing).
   *
   * @param size How many bytes at most.
   * @returns The bytes; empty at the end.
   * @throws {ValueError} `I/O operation on closed file.`
   * @throws {TypeError} `argument should be integer or None, not 'float'`.
   */
  read(size: number | null = -1): Uint8Array<ArrayBuffer> {
    const want = optionalSize(size);
    this.#check();
    const left = Math.max(this.#len - this.#pos, 0);
    const n = want < 0 ? left : Math.min(want, left);
    const out = this.#buf.slice(this.#pos, this.#pos + n);
    this.#pos += n;
    return out;
  }

  /**
   * As `read()`: a `BytesIO` has no raw layer to read once from.
   *
   * @param size How many bytes at most.
   * @returns The bytes; empty at the end.
   * @throws {ValueError} `I/O operation on closed file.`
   * @throws {TypeError} `argument should be integer or None, not 'float'`.
   */
  read1(size: number | null = -1): Uint8Array<ArrayBuffer> {
    return this.read(size);
  }

  /**
   * Reads into `buffer`, as many bytes as it holds or are left.
   *
   * @param buffer Where to put them.
   * @returns How many bytes were read; `0` at the end.
   * @throws {ValueError} `I/O operation on closed file.`
   * @throws {TypeError} `readinto() argument must be read-write bytes-like
   * object, not None`.
   */
  readinto(buffer: ArrayBufferView | ArrayBufferLike): number {
    const into = intoBuffer(buffer, "readinto");
    this.#check();
    const data = this.read(into.length);
    into.set(data);
    return data.length;
  }

  /**
   * Reads through the next `\n` (or `size` bytes, or to the end).
   *
   * @param size How many bytes at most.
   * @returns The line; empty at the end.
   * @throws {ValueError} `I/O operation on closed file.`
   * @throws {TypeError} `argument should be integer or None, not 'float'`.
   */
  readline(size: number | null = -1): Uint8Array<ArrayBuffer> {
    const limit = optionalSize(size);
    this.#check();
    let end = this.#buf.subarray(0, this.#len).indexOf(0x0a, this.#pos);
    end = end < 0 ? this.#len : end + 1;
    if (limit >= 0) end = Math.min(end, this.#pos + limit);
    return this.read(Math.max(end - this.#pos, 0));
  }

  /**
   * Reads the remaining lines, or lines until they total `hint` bytes or
   * more (`hint <= 0`, `null` or nothing: no limit), as CPython's
   * `BytesIO.readlines()`.
   *
   * @param hint The size hint.
   * @returns The lines.
   * @throws {ValueError} `I/O operation on closed file.`
   * @throws {TypeError} `integer argument expected, got 'float'`.
   */
  readlines(hint: number | null = null): Uint8Array<ArrayBuffer>[] {
    this.#check();
    const max = readlinesHint(hint);
    const lines: Uint8Array<ArrayBuffer>[] = [];
    let total = 0;
    for (;;) {
      const line = this.readline();
      if (line.length === 0) return lines;
      lines.push(line);
      total += line.length;
      if (max > 0 && total >= max) return lines;
    }
  }

  /**
   * Writes at the position, extending the contents.
   *
   * @param b The bytes.
   * @returns How many bytes were written.
   * @throws {ValueError} `I/O operation on closed file.`
   */
  write(b: ArrayBufferView | ArrayBufferLike): number {
    this.#check();
    const data = bytesLike(b);
    const end = this.#pos + data.length;
    if (end > this.#buf.length) {
      const grown = new Uint8Array(Math.max(end, this.#buf.length * 2));
      grown.set(this.#buf.subarray(0, this.#len));
      this.#buf = grown;
    }
    // A position past the end leaves zero bytes in between, as in Python.
    if (this.#pos > this.#len) this.#buf.fill(0, this.#len, this.#pos);
    this.#buf.set(data, this.#pos);
    this.#pos = end;
    this.#len = Math.max(this.#len, end);
    return data.length;
  }

  /**
   * Writes each of `lines` (no line endings are added).
   *
   * @param lines Bytes-like values.
   * @throws {ValueError} `I/O operation on closed file.`
   */
  writelines(lines: Iterable<ArrayBufferView | ArrayBufferLike>): void {
    this.#check();
    for (const line of lines) this.write(line);
  }

  /**
   * Cuts the contents to `size` bytes (the position's, by default); a
   * larger size changes nothing. The position stays where it is.
   *
   * @param size The new size.
   * @returns The size.
   * @throws {ValueError} `I/O operation on closed file.`, or `negative size
   * value -1`.
   * @throws {TypeError} `argument should be integer or None, not 'float'`.
   */
  truncate(size: number | null = null): number {
    const n = optionalSize(size);
    this.#check();
    const to = size === null || size === undefined ? this.#pos : n;
    if (to < 0) throw new ValueError(`negative size value ${to}`);
    if (to < this.#len) this.#len = to;
    return to;
  }

  /**
   * The contents as a view over its memory, not a copy (Python's
   * `memoryview`).
   *
   * @returns A view of the contents.
   * @throws {ValueError} `I/O operation on closed file.`
   */
  getbuffer(): Uint8Array<ArrayBuffer> {
    this.#check();
    return this.#buf.subarray(0, this.#len);
  }

  /**
   * Everything it holds, wherever the position is.
   *
   * @returns A copy of the contents.
   * @throws {ValueError} `I/O operation on closed file.`
   */
  getvalue(): Uint8Array<ArrayBuffer> {
    this.#check();
    return this.#buf.slice(0, this.#len);
  }

  /**
   * Moves the position.
   *
   * @param pos The offset.
   * @param whence `0`: from the start, `1`: from the position, `2`: from
   * the end.
   * @returns The new position; one before the start is the start.
   * @throws {ValueError} `negative seek value -1` (from the start), or
   * `invalid whence (3, should be 0, 1 or 2)`.
   * @throws {TypeError} `'float' object cannot be interpreted as an
   * integer`.
   * @throws {OverflowError} `Python int too large to convert to C ssize_t`.
   */
  seek(pos: number | bigint, whence: 0 | 1 | 2 = 0): number {
    pos = checkCInt(pos, "ssize_t");
    whence = checkCInt(whence, "int") as 0 | 1 | 2;
    this.#check();
    if (pos < 0 && whence === 0) {
      throw new ValueError(`negative seek value ${pos}`);
    }
    let to: number;
    if (whence === 0) to = pos;
    else if (whence === 1) to = this.#pos + pos;
    else if (whence === 2) to = this.#len + pos;
    else {
      throw new ValueError(`invalid whence (${whence}, should be 0, 1 or 2)`);
    }
    return this.#pos = Math.max(to, 0);
  }

  /**
   * The position.
   *
   * @returns The offset from the start.
   */
  tell(): number {
    this.#check();
    return this.#pos;
  }

  /** Nothing to flush. */
  flush(): void {
    this.#check();
  }

  /**
   * Can it read? Always.
   *
   * @returns `true`.
   */
  readable(): boolean {
    this.#check();
    return true;
  }

  /**
   * Can it write? Always.
   *
   * @returns `true`.
   */
  writable(): boolean {
    this.#check();
    return true;
  }

  /**
   * Can it seek? Always.
   *
   * @returns `true`.
   */
  seekable(): boolean {
    this.#check();
    return true;
  }

  /**
   * Is it a terminal? Never.
   *
   * @returns `false`.
   */
  isatty(): boolean {
    this.#check();
    return false;
  }

  /**
   * It has no descriptor.
   *
   * @throws {UnsupportedOperation} `fileno`.
   */
  fileno(): never {
    throw new UnsupportedOperation("fileno");
  }

  /** Closes it; the contents are gone. */
  close(): void {
    this.#closed = true;
  }

  /**
   * The remaining lines, as Python iterates a file (`for await` works too).
   *
   * @returns An iterator of lines.
   */
  *[Symbol.iterator](): Iterator<Uint8Array<ArrayBuffer>> {
    while (true) {
      const line = this.readline();
      if (line.length === 0) return;
      yield line;
    }
  }
}

// Python's names (`type(x).__name__`, its repr's), whatever a bundler
// names the class.
pyNames({ "_io.BytesIO": BytesIO });
