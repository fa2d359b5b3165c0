// Copyright the pysocket authors. MIT license.
/**
 * The buffered layer for reading and writing: Python's
 * `io.BufferedRWPair`, a `BufferedReader` and a `BufferedWriter` over one
 * `SocketIO`.
 *
 * @module
 */

import { OSError, TypeError } from "../errors.ts";
import { noArgs, optionalSize } from "./_args.ts";
import {
  checkClosed,
  collectLines,
  concatBytes,
  DEFAULT_BUFFER_SIZE,
  DENO_INSPECT,
  iterateLines,
  NODE_INSPECT,
  writeEach,
} from "./_iobase.ts";
import { Serial } from "./_serial.ts";
import { BufferedReader, PEEK_VIEW } from "./buffered_reader.ts";
import { BufferedWriter } from "./buffered_writer.ts";
import type { SocketIO } from "./socket_io.ts";
import type { BinaryFile, FileInput, RawFile } from "./types.ts";
import { UnsupportedOperation } from "./unsupported_operation.ts";
import { objectId, pyNames } from "../../_py/repr.ts";

/** Python's `AttributeError` for `attr`, which a pair lacks. */
function noAttribute(attr: string): TypeError {
  return new TypeError(
    `'_io.BufferedRWPair' object has no attribute '${attr}'`,
  );
}

/**
 * Python's `io.BufferedRWPair`: what `makefile("rwb")` returns. Reads go
 * to a `BufferedReader`, writes to a `BufferedWriter`, both over the same
 * `SocketIO`, each with a buffer of `buffering` bytes. A read does not
 * flush what was written: `flush()` before waiting for a reply. Like
 * Python's, it has no `fileno()` (`UnsupportedOperation`), no `raw`, and
 * no `name` or `mode` (Python's `AttributeError`).
 *
 * @example A request and its reply
 * ```ts
 * import { socketpair } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * const [a, b] = await socketpair();
 * const f = a.makefile("rwb");
 * await f.write(new TextEncoder().encode("PING\n"));
 * await f.flush();
 * assertEquals(await b.recv(10), new TextEncoder().encode("PING\n"));
 * await b.sendall(new TextEncoder().encode("PONG\n"));
 * assertEquals(await f.readline(), new TextEncoder().encode("PONG\n"));
 * await f.close();
 * a.close();
 * b.close();
 * ```
 */
export class BufferedRWPair implements BinaryFile {
  #reader: BufferedReader;
  #writer: BufferedWriter;
  #reads = new Serial();
  #id: string | null = null;

  /**
   * Makes the pair, as `io.BufferedRWPair(reader, writer, buffer_size)`.
   *
   * @param reader The raw file to read from.
   * @param writer The raw file to write to.
   * @param bufferSize Each buffer's size.
   * @throws {UnsupportedOperation} `File or stream is not readable.` /
   * `writable.`
   */
  constructor(
    reader: SocketIO,
    writer: SocketIO,
    bufferSize: number = DEFAULT_BUFFER_SIZE,
  ) {
    if (!reader.readable()) {
      throw new UnsupportedOperation("File or stream is not readable.");
    }
    if (!writer.writable()) {
      throw new UnsupportedOperation("File or stream is not writable.");
    }
    this.#reader = new BufferedReader(reader, bufferSize);
    this.#writer = new BufferedWriter(writer, bufferSize);
  }

  /** Is the writer's raw file closed? */
  get closed(): boolean {
    return this.#writer.closed;
  }

  /**
   * A pair has no `mode`, as in Python.
   *
   * @throws {TypeError} `'_io.BufferedRWPair' object has no attribute
   * 'mode'` (Python's `AttributeError`).
   */
  get mode(): never {
    throw noAttribute("mode");
  }

  /**
   * A pair has no `name`, as in Python (nor has the text file over it).
   *
   * @throws {TypeError} `'_io.BufferedRWPair' object has no attribute
   * 'name'` (Python's `AttributeError`).
   */
  get name(): never {
    throw noAttribute("name");
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
   * @returns `true`.
   * @throws {ValueError} `I/O operation on closed socket.`
   */
  readable(): boolean {
    return this.#reader.readable();
  }

  /**
   * Can it write?
   *
   * @returns `true`.
   * @throws {ValueError} `I/O operation on closed socket.`
   */
  writable(): boolean {
    return this.#writer.writable();
  }

  /**
   * Can it seek?
   *
   * @returns `false`.
   */
  seekable(): boolean {
    return false;
  }

  /**
   * Is it a terminal?
   *
   * @returns `false`.
   * @throws {ValueError} `I/O operation on closed file.`
   */
  isatty(): boolean {
    return this.#writer.isatty() || this.#reader.isatty();
  }

  /**
   * A pair has no single descriptor, as in Python.
   *
   * @returns Never.
   * @throws {UnsupportedOperation} `fileno`.
   */
  fileno(): number {
    throw new UnsupportedOperation("fileno");
  }

  /**
   * Python's `tell()`.
   *
   * @returns Never.
   * @throws {UnsupportedOperation} `seek`.
   */
  tell(): number {
    throw new UnsupportedOperation("seek");
  }

  /**
   * Python's `seek()`.
   *
   * @param _offset Ignored.
   * @param _whence Ignored.
   * @returns Never.
   * @throws {UnsupportedOperation} `seek`.
   */
  seek(_offset: number, _whence?: number): number {
    throw new UnsupportedOperation("seek");
  }

  /**
   * Python's `truncate()`.
   *
   * @param _size Ignored.
   * @returns Never: rejects.
   * @throws {UnsupportedOperation} `truncate`.
   */
  truncate(_size?: number | null): Promise<number> {
    return Promise.reject(new UnsupportedOperation("truncate"));
  }

  /**
   * The reader's `read`.
   *
   * @param size The count; `-1` or `null`: all.
   * @returns The bytes; `null` on a non-blocking socket with nothing to
   * read.
   */
  read(size?: number | null): Promise<Uint8Array<ArrayBuffer>> {
    return this.#reads.run(() => this.#reader.read(size));
  }

  /**
   * The reader's `read1`.
   *
   * @param size The most bytes; negative: the buffer size.
   * @returns The bytes.
   */
  read1(size?: number): Promise<Uint8Array<ArrayBuffer>> {
    return this.#reads.run(() => this.#reader.read1(size));
  }

  /**
   * The reader's `readinto`.
   *
   * @param buffer Where the bytes go.
   * @returns The count.
   */
  readinto(buffer: ArrayBufferView | ArrayBufferLike): Promise<number> {
    return this.#reads.run(() => this.#reader.readinto(buffer));
  }

  /**
   * The reader's `readinto1`.
   *
   * @param buffer Where the bytes go.
   * @returns The count.
   */
  readinto1(buffer: ArrayBufferView | ArrayBufferLike): Promise<number> {
    return this.#reads.run(() => this.#reader.readinto1(buffer));
  }

  /**
   * The reader's `peek`.
   *
   * @param size Ignored (an integer).
   * @returns The buffered bytes.
   */
  peek(size?: number): Promise<Uint8Array<ArrayBuffer>> {
    return this.#reads.run(() => this.#reader.peek(size));
  }

  /**
   * One line, as Python's `IOBase.readline` reads it from a pair: what
   * `peek` shows up to a newline, then one `read` of that.
   *
   * @param size The most bytes; `null` or `-1`: no limit.
   * @returns The line; empty at end of stream.
   * @throws {ValueError} `peek of closed file`.
   * @throws {OSError} `read() should have returned a bytes object, not
   * 'NoneType'` on a non-blocking socket that would block, as in CPython.
   */
  readline(size?: number | null): Promise<Uint8Array<ArrayBuffer>> {
    return this.#reads.run(() => this.#readline(optionalSize(size)));
  }

  /**
   * Lines to end of stream, or until they total more than `hint`.
   *
   * @param hint The size hint; `null` or `<= 0`: no limit.
   * @returns The lines.
   * @throws {ValueError} `I/O operation on closed file.`
   */
  readlines(hint?: number | null): Promise<Uint8Array<ArrayBuffer>[]> {
    return this.#reads.run(async () => {
      const h = optionalSize(hint);
      checkClosed(this);
      return await collectLines(() => this.#readline(-1), h, (l) => l.length);
    });
  }

  /**
   * Lines until end of stream: `for await (const line of f)`.
   *
   * @returns An async iterator of lines.
   * @throws {ValueError} `I/O operation on closed file.`
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<Uint8Array<ArrayBuffer>> {
    return iterateLines(this, () => this.readline());
  }

  /**
   * The writer's `write`.
   *
   * @param data Any bytes-like value.
   * @returns Its length.
   */
  write(data: FileInput<Uint8Array>): Promise<number> {
    return this.#writer.write(data);
  }

  /**
   * The writer's `writelines`.
   *
   * @param lines Bytes-like values.
   */
  async writelines(
    lines:
      | Iterable<FileInput<Uint8Array>>
      | AsyncIterable<FileInput<Uint8Array>>,
  ): Promise<void> {
    checkClosed(this);
    await writeEach(lines, (line) => this.#writer.write(line));
  }

  /** The writer's `flush`. */
  flush(): Promise<void> {
    try {
      noArgs("BufferedRWPair.flush", arguments);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#writer.flush();
  }

  /**
   * Closes the writer (flushing it), then the reader, even when the
   * first failed. Idempotent.
   */
  async close(): Promise<void> {
    noArgs("BufferedRWPair.close", arguments);
    let failure: unknown = null;
    try {
      await this.#writer.close();
    } catch (err) {
      failure = err;
    }
    await this.#reader.close();
    if (failure !== null) throw failure;
  }

  /** `await using`: closes the file. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /**
   * A pair cannot hand over its raw file, as in Python.
   *
   * @returns Never: rejects.
   * @throws {UnsupportedOperation} `detach`.
   */
  detach(): Promise<RawFile> {
    return Promise.reject(new UnsupportedOperation("detach"));
  }

  /**
   * Python's repr.
   *
   * @returns `<_io.BufferedRWPair object at 0x…>`.
   */
  toString(): string {
    return `<_io.BufferedRWPair object at ${this.#id ??= objectId()}>`;
  }

  /** Deno's `console.log` shows the repr. */
  [DENO_INSPECT](): string {
    return this.toString();
  }

  /** Node's `util.inspect` shows the repr. */
  [NODE_INSPECT](): string {
    return this.toString();
  }

  /** `IOBase.readline` over `peek(1)` and `read(n)`. */
  async #readline(limit: number): Promise<Uint8Array<ArrayBuffer>> {
    const parts: Uint8Array<ArrayBuffer>[] = [];
    let total = 0;
    while (limit < 0 || total < limit) {
      let ahead = 1;
      const view = await this.#reader[PEEK_VIEW]();
      if (view.length > 0) {
        const end = limit >= 0 ? Math.min(view.length, limit) : view.length;
        const nl = view.subarray(0, end).indexOf(0x0a);
        ahead = nl >= 0 ? nl + 1 : end;
      }
      const b = await this.#reader.read(ahead);
      if (b === null) {
        throw new OSError(
          "read() should have returned a bytes object, not 'NoneType'",
        );
      }
      if (b.length === 0) break;
      parts.push(b);
      total += b.length;
      if (b[b.length - 1] === 0x0a) break;
    }
    return concatBytes(parts, total);
  }
}

// Python's names (`type(x).__name__`, its repr's), whatever a bundler
// names the class.
pyNames({ "_io.BufferedRWPair": BufferedRWPair });
