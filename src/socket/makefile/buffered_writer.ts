// Copyright the pysocket authors. MIT license.
/**
 * The buffered writing layer: Python's `io.BufferedWriter` over a
 * `SocketIO`.
 *
 * @module
 */

import { BlockingIOError, OSError, ValueError } from "../errors.ts";
import { errnoEntry } from "../../_py/errno.ts";
import { bytesLike, checkInt } from "../../_py/pytype.ts";
import { intoBuffer, noArgs, optionalSize } from "./_args.ts";
import { flushThenClose } from "./_close.ts";
import {
  checkClosed,
  DEFAULT_BUFFER_SIZE,
  DENO_INSPECT,
  iterateLines,
  NODE_INSPECT,
  writeEach,
} from "./_iobase.ts";
import { Serial } from "./_serial.ts";
import { type SocketIO, UNQUEUED } from "./socket_io.ts";
import type { BinaryFile, FileInput, RawFile } from "./types.ts";
import { UnsupportedOperation } from "./unsupported_operation.ts";
import { pyNames } from "../../_py/repr.ts";

/** The whence values Linux's `lseek` takes (SEEK_SET … SEEK_HOLE). */
const MAX_WHENCE = 4;

/** A raw write that would have blocked. */
const BLOCKED = -2;

/**
 * The buffered layer's `BlockingIOError`, with Python's
 * `characters_written`.
 */
function blocked(written: number): BlockingIOError {
  // In `args` too, as CPython's: (errno, strerror, characters_written).
  return new BlockingIOError(
    errnoEntry("EAGAIN")[0],
    "write could not complete without blocking",
    written,
  );
}

/**
 * Python's `io.BufferedWriter` over a `SocketIO`: what `makefile("wb")`
 * returns. `write` copies into a buffer of `buffering` bytes; what does not
 * fit is sent (the buffer first, then the data itself while more than a
 * buffer's worth is left), with one `send` at a time until it is all
 * taken. `flush()` and `close()` send the rest.
 *
 * On a non-blocking socket, a write that cannot be buffered rejects with
 * `BlockingIOError` (`[Errno 11] write could not complete without
 * blocking`) whose `characters_written` says how much of it was taken, and
 * `flush()` likewise, as in CPython.
 *
 * @example Writes are sent on flush
 * ```ts
 * import { socketpair } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * const [a, b] = await socketpair();
 * const f = a.makefile("wb");
 * assertEquals(await f.write(new Uint8Array([1, 2])), 2);
 * await f.writelines([new Uint8Array([3]), new Uint8Array([4])]);
 * await f.flush();
 * assertEquals(await b.recv(10), new Uint8Array([1, 2, 3, 4]));
 * await f.close();
 * a.close();
 * b.close();
 * ```
 */
export class BufferedWriter implements BinaryFile {
  #raw: SocketIO | null;
  #size: number;
  #buffer: Uint8Array | null = null;
  /** Buffered bytes not yet sent: `#buffer[#start, #end)`. */
  #start = 0;
  #end = 0;
  #writes = new Serial();

  /**
   * Makes the writer, as `io.BufferedWriter(raw, buffer_size)`.
   *
   * @param raw The raw file.
   * @param bufferSize The buffer's size.
   * @throws {ValueError} `buffer size must be strictly positive`.
   */
  constructor(raw: SocketIO, bufferSize: number = DEFAULT_BUFFER_SIZE) {
    if (bufferSize <= 0) {
      throw new ValueError("buffer size must be strictly positive");
    }
    this.#raw = raw;
    this.#size = bufferSize;
  }

  /** The raw file underneath; `null` once detached. */
  get raw(): SocketIO | null {
    return this.#raw;
  }

  /** Is the raw file closed? */
  get closed(): boolean {
    return this.#ok().closed;
  }

  /** The raw file's mode, `"wb"`. */
  get mode(): string {
    return this.#ok().mode;
  }

  /** The socket's `fileno()`; `-1` once closed. */
  get name(): number {
    return this.#ok().name;
  }

  /** `null`: a binary file. */
  get encoding(): null {
    return null;
  }

  /** `null`: a binary file. */
  get errors(): null {
    return null;
  }

  /**
   * Can it read?
   *
   * @returns `false`.
   */
  readable(): boolean {
    return false;
  }

  /**
   * Can it write?
   *
   * @returns `true`.
   * @throws {ValueError} `I/O operation on closed socket.`
   */
  writable(): boolean {
    return this.#ok().writable();
  }

  /**
   * Can it seek?
   *
   * @returns `false`.
   * @throws {ValueError} `I/O operation on closed socket.`
   */
  seekable(): boolean {
    return this.#ok().seekable();
  }

  /**
   * Is it a terminal?
   *
   * @returns `false`.
   * @throws {ValueError} `I/O operation on closed file.`
   */
  isatty(): boolean {
    return this.#ok().isatty();
  }

  /**
   * The socket's descriptor.
   *
   * @returns The socket's `fileno()`.
   * @throws {ValueError} `I/O operation on closed file.`
   */
  fileno(): number {
    return this.#ok().fileno();
  }

  /**
   * Python's `tell()`: asks the raw file, which has no position.
   *
   * @returns Never.
   * @throws {UnsupportedOperation} `seek`.
   */
  tell(): number {
    return this.#ok().tell();
  }

  /**
   * Python's `seek()`.
   *
   * @param _offset Ignored.
   * @param whence `0`, `1` or `2`.
   * @returns Never.
   * @throws {ValueError} `seek of closed file`.
   * @throws {UnsupportedOperation} `File or stream is not seekable.`
   */
  seek(_offset: number, whence: number = 0): number {
    const raw = this.#ok();
    const w = checkInt(whence);
    if (w < 0 || w > MAX_WHENCE) {
      throw new ValueError(`whence value ${w} unsupported`);
    }
    if (raw.closed) throw new ValueError("seek of closed file");
    throw new UnsupportedOperation("File or stream is not seekable.");
  }

  /**
   * Python's `truncate()`: flushes, then the raw file cannot.
   *
   * @param _size Ignored.
   * @returns Never: rejects.
   * @throws {ValueError} `truncate of closed file`.
   * @throws {UnsupportedOperation} `truncate`.
   */
  truncate(_size?: number | null): Promise<number> {
    return this.#writes.run(async () => {
      if (this.#ok().closed) throw new ValueError("truncate of closed file");
      await this.#flush();
      throw new UnsupportedOperation("truncate");
    });
  }

  /**
   * Buffers `data`, sending what does not fit.
   *
   * @param data Any bytes-like value (copied: the caller may reuse it).
   * @returns Its length.
   * @throws {ValueError} `write to closed file`.
   * @throws {BlockingIOError} On a non-blocking socket, when it could not
   * all be taken: `characters_written` says how much was.
   */
  write(data: FileInput<Uint8Array>): Promise<number> {
    return this.#writes.run(() => {
      const bytes = bytesLike(data);
      if (this.#ok().closed) throw new ValueError("write to closed file");
      return this.#write(bytes);
    });
  }

  /**
   * Writes each of `lines`.
   *
   * @param lines Bytes-like values, from an iterable or async iterable.
   * @throws {ValueError} `I/O operation on closed file.`
   */
  writelines(
    lines:
      | Iterable<FileInput<Uint8Array>>
      | AsyncIterable<FileInput<Uint8Array>>,
  ): Promise<void> {
    return this.#writes.run(async () => {
      checkClosed(this);
      await writeEach(lines, async (line) => {
        const bytes = bytesLike(line);
        if (this.#ok().closed) throw new ValueError("write to closed file");
        await this.#write(bytes);
      });
    });
  }

  /**
   * Sends what is buffered.
   *
   * @throws {ValueError} `flush of closed file`.
   * @throws {BlockingIOError} On a non-blocking socket that would block.
   */
  flush(): Promise<void> {
    try {
      noArgs("BufferedWriter.flush", arguments);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#writes.run(() => {
      if (this.#ok().closed) throw new ValueError("flush of closed file");
      return this.#flush();
    });
  }

  /**
   * Flushes, then closes the raw file, even when the flush failed (then
   * rejects with its error). Idempotent.
   */
  async close(): Promise<void> {
    noArgs("BufferedWriter.close", arguments);
    const raw = this.#ok();
    if (raw.closed) return;
    await flushThenClose(() => this.flush(), () => {
      this.#buffer = null;
      this.#start = this.#end = 0;
      return raw.close();
    });
  }

  /** `await using`: closes the file. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /**
   * Flushes, then hands over the raw file; this writer is unusable
   * afterwards.
   *
   * @returns The raw `SocketIO`.
   * @throws {ValueError} `flush of closed file`.
   */
  async detach(): Promise<RawFile> {
    const raw = this.#ok();
    await this.flush();
    this.#raw = null;
    return raw;
  }

  /**
   * A writer does not read.
   *
   * @param _size Ignored.
   * @returns Never: rejects.
   * @throws {UnsupportedOperation} `read`.
   */
  read(_size?: number | null): Promise<Uint8Array<ArrayBuffer>> {
    return Promise.reject(new UnsupportedOperation("read"));
  }

  /**
   * A writer does not read.
   *
   * @param _size Ignored, whatever it is, as in CPython.
   * @returns Never: rejects.
   * @throws {UnsupportedOperation} `read1`.
   */
  read1(_size?: number): Promise<Uint8Array<ArrayBuffer>> {
    return Promise.reject(new UnsupportedOperation("read1"));
  }

  /**
   * A writer does not read.
   *
   * @param buffer A writable buffer.
   * @returns Never: rejects.
   * @throws {UnsupportedOperation} `read`.
   */
  readinto(buffer: ArrayBufferView | ArrayBufferLike): Promise<number> {
    return this.#unsupported(() => intoBuffer(buffer, "readinto"), "read");
  }

  /**
   * A writer does not read.
   *
   * @param buffer A writable buffer.
   * @returns Never: rejects.
   * @throws {UnsupportedOperation} `read1`.
   */
  readinto1(buffer: ArrayBufferView | ArrayBufferLike): Promise<number> {
    return this.#unsupported(() => intoBuffer(buffer, "readinto1"), "read1");
  }

  /**
   * A writer does not read.
   *
   * @param size An integer or `null`.
   * @returns Never: rejects.
   * @throws {UnsupportedOperation} `read`.
   */
  readline(size?: number | null): Promise<Uint8Array<ArrayBuffer>> {
    return this.#unsupported(() => optionalSize(size), "read");
  }

  /**
   * A writer does not read.
   *
   * @param hint An integer or `null`.
   * @returns Never: rejects.
   * @throws {ValueError} `I/O operation on closed file.`
   * @throws {UnsupportedOperation} `read`.
   */
  readlines(hint?: number | null): Promise<Uint8Array<ArrayBuffer>[]> {
    return this.#unsupported(() => {
      optionalSize(hint);
      checkClosed(this);
    }, "read");
  }

  /**
   * A writer has no `peek` (Python: `AttributeError`).
   *
   * @param _size Ignored.
   * @returns Never: rejects.
   * @throws {UnsupportedOperation} `peek`.
   */
  peek(_size?: number): Promise<Uint8Array<ArrayBuffer>> {
    return Promise.reject(new UnsupportedOperation("peek"));
  }

  /**
   * Iterating reads lines, which a writer cannot.
   *
   * @returns An async iterator that rejects with `UnsupportedOperation`.
   * @throws {ValueError} `I/O operation on closed file.`
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<Uint8Array<ArrayBuffer>> {
    return iterateLines(this, () => this.readline());
  }

  /**
   * Python's repr.
   *
   * @returns `<_io.BufferedWriter name=3>`.
   */
  toString(): string {
    return this.#raw === null
      ? "<_io.BufferedWriter>"
      : `<_io.BufferedWriter name=${this.#raw.name}>`;
  }

  /** Deno's `console.log` shows the repr. */
  [DENO_INSPECT](): string {
    return this.toString();
  }

  /** Node's `util.inspect` shows the repr. */
  [NODE_INSPECT](): string {
    return this.toString();
  }

  // ---- CPython's buffered.c, writing side ----

  /** `CHECK_INITIALIZED`: the raw file, unless detached. */
  #ok(): SocketIO {
    if (this.#raw === null) {
      throw new ValueError("raw stream has been detached");
    }
    return this.#raw;
  }

  /** Rejects as Python's `BufferedIOBase` does, after the argument check. */
  #unsupported<T>(check: () => unknown, name: string): Promise<T> {
    try {
      check();
      return Promise.reject(new UnsupportedOperation(name));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** One raw write: the count taken, or `BLOCKED`. */
  async #rawWrite(data: Uint8Array): Promise<number> {
    const n = await this.#ok()[UNQUEUED].write(data);
    if (n === null) return BLOCKED;
    if (n < 0 || n > data.length) {
      throw new OSError(
        `raw write() returned invalid length ${n} (should have been between 0 and ${data.length})`,
      );
    }
    return n;
  }

  /** `_bufferedwriter_flush_unlocked`: sends the buffer, all of it. */
  async #flush(): Promise<void> {
    const buffer = this.#buffer;
    while (buffer !== null && this.#start < this.#end) {
      const n = await this.#rawWrite(buffer.subarray(this.#start, this.#end));
      if (n === BLOCKED) throw blocked(0);
      this.#start += n;
    }
    this.#start = this.#end = 0;
  }

  /** `_io__Buffered_write_impl`. */
  async #write(data: Uint8Array): Promise<number> {
    const size = this.#size;
    const buffer = this.#buffer ??= new Uint8Array(size);
    if (this.#start === this.#end) this.#start = this.#end = 0;
    const length = data.length;
    // It fits: copied, nothing sent.
    if (length <= size - this.#end) {
      buffer.set(data, this.#end);
      this.#end += length;
      return length;
    }
    // Send what is buffered first.
    try {
      await this.#flush();
    } catch (err) {
      if (!(err instanceof BlockingIOError)) throw err;
      // Make room by moving what is left to the front, and buffer what fits.
      buffer.copyWithin(0, this.#start, this.#end);
      this.#end -= this.#start;
      this.#start = 0;
      const room = size - this.#end;
      if (length <= room) {
        buffer.set(data, this.#end);
        this.#end += length;
        return length;
      }
      buffer.set(data.subarray(0, room), this.#end);
      this.#end += room;
      throw blocked(room);
    }
    // Then the data itself while more than a buffer's worth is left; the
    // rest is buffered.
    let written = 0;
    while (length - written > size) {
      const n = await this.#rawWrite(data.subarray(written));
      if (n === BLOCKED) {
        buffer.set(data.subarray(written, written + size), 0);
        this.#start = 0;
        this.#end = size;
        throw blocked(written + size);
      }
      written += n;
    }
    const rest = length - written;
    buffer.set(data.subarray(written), 0);
    this.#start = 0;
    this.#end = rest;
    return length;
  }
}

// Python's names (`type(x).__name__`, its repr's), whatever a bundler
// names the class.
pyNames({ "_io.BufferedWriter": BufferedWriter });
