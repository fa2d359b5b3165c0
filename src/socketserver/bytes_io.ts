// Copyright the pysocket authors. MIT license.
/**
 * `io.BytesIO`, as far as a datagram handler's `rfile` and `wfile` need
 * it.
 *
 * @module
 */

import { ValueError } from "../socket/errors.ts";
import { bytesLike } from "../socket/_pyvalue.ts";

const EMPTY = new Uint8Array(0);

function toBytes(data: ArrayBufferView | ArrayBufferLike): Uint8Array {
  if (
    typeof SharedArrayBuffer === "function" && data instanceof SharedArrayBuffer
  ) {
    return new Uint8Array(data);
  }
  return bytesLike(data);
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
export class BytesIO implements Iterable<Uint8Array> {
  #buf: Uint8Array;
  #len: number;
  #pos = 0;
  #closed = false;

  /**
   * A file holding a copy of `initial_bytes`, positioned at its start.
   *
   * @param initial_bytes What it holds at first.
   */
  constructor(initial_bytes?: ArrayBufferView | ArrayBufferLike | null) {
    this.#buf = initial_bytes == null ? EMPTY : toBytes(initial_bytes).slice();
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
   */
  read(size: number | null = -1): Uint8Array {
    this.#check();
    const left = Math.max(this.#len - this.#pos, 0);
    const n = size === null || size < 0 ? left : Math.min(size, left);
    const out = this.#buf.slice(this.#pos, this.#pos + n);
    this.#pos += n;
    return out;
  }

  /**
   * Reads through the next `\n` (or `size` bytes, or to the end).
   *
   * @param size How many bytes at most.
   * @returns The line; empty at the end.
   * @throws {ValueError} `I/O operation on closed file.`
   */
  readline(size: number | null = -1): Uint8Array {
    this.#check();
    let end = this.#buf.subarray(0, this.#len).indexOf(0x0a, this.#pos);
    end = end < 0 ? this.#len : end + 1;
    if (size !== null && size >= 0) end = Math.min(end, this.#pos + size);
    return this.read(Math.max(end - this.#pos, 0));
  }

  /**
   * Reads the remaining lines.
   *
   * @returns The lines.
   */
  readlines(): Uint8Array[] {
    return [...this];
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
    const data = toBytes(b);
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
   * Everything it holds, wherever the position is.
   *
   * @returns A copy of the contents.
   * @throws {ValueError} `I/O operation on closed file.`
   */
  getvalue(): Uint8Array {
    this.#check();
    return this.#buf.slice(0, this.#len);
  }

  /**
   * Moves the position.
   *
   * @param pos The offset.
   * @param whence `0`: from the start, `1`: from the position, `2`: from
   * the end.
   * @returns The new position.
   */
  seek(pos: number, whence: 0 | 1 | 2 = 0): number {
    this.#check();
    const base = whence === 0 ? 0 : whence === 1 ? this.#pos : this.#len;
    const to = base + pos;
    if (to < 0) throw new ValueError(`negative seek value ${to}`);
    return this.#pos = to;
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

  /** Closes it; the contents are gone. */
  close(): void {
    this.#closed = true;
  }

  /**
   * The remaining lines, as Python iterates a file (`for await` works too).
   *
   * @returns An iterator of lines.
   */
  *[Symbol.iterator](): Iterator<Uint8Array> {
    while (true) {
      const line = this.readline();
      if (line.length === 0) return;
      yield line;
    }
  }
}
