// Copyright the pysocket authors. MIT license.
/**
 * The buffered reading layer: Python's `io.BufferedReader` over a
 * `SocketIO`.
 *
 * @module
 */

import { OSError, ValueError } from "../errors.ts";
import { checkInt, releasedError } from "../../_py/pytype.ts";
import { intoBuffer, noArgs, optionalSize, sizeArg } from "./_args.ts";
import { ByteQueue } from "./_byte_queue.ts";
import { flushThenClose } from "./_close.ts";
import {
  checkClosed,
  collectLines,
  concatBytes,
  DEFAULT_BUFFER_SIZE,
  DENO_INSPECT,
  EMPTY,
  iterateLines,
  NODE_INSPECT,
  writeEach,
} from "./_iobase.ts";
import { Serial } from "./_serial.ts";
import { type RawOps, type SocketIO, UNQUEUED } from "./socket_io.ts";
import type { BinaryFile, FileInput, RawFile } from "./types.ts";
import { UnsupportedOperation } from "./unsupported_operation.ts";
import { pyNames } from "../../_py/repr.ts";

/**
 * What a `BufferedRWPair` asks of its reader beyond the public methods:
 * the buffered bytes without a copy, for `readline`.
 */
export const PEEK_VIEW: unique symbol = Symbol("peekView");

/**
 * The largest `read(n)` whose result is made before its bytes come (see
 * `#readGeneric`): CPython makes it whatever `n` is, but a program may ask
 * far more than will ever come, to read to the end.
 */
const INTO_MAX = 64 * 1024 * 1024;

/** The whence values Linux's `lseek` takes (SEEK_SET … SEEK_HOLE). */
const MAX_WHENCE = 4;

const noop = (): void => {};

/**
 * Python's `io.BufferedReader` over a `SocketIO`: what `makefile("rb")`
 * returns. Reads are served from a buffer filled by one `recv` of
 * `buffering` bytes at a time; a read larger than the buffer goes to the
 * socket directly. The bytes are kept as the chunks that arrived and
 * consumed from the front, so every read costs what it returns, however
 * small the pieces the stream arrives in.
 *
 * On a non-blocking socket, `read` and `readinto` resolve to what they
 * had when the socket would block, or `null` (Python's `None`) when that
 * is nothing; `readline`, `read1` and `peek` to what they had (perhaps
 * empty), as in CPython.
 *
 * @example Read a header line, then a body of known length
 * ```ts
 * import { socketpair } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * const [a, b] = await socketpair();
 * await b.sendall(new TextEncoder().encode("LEN 5\r\nhello"));
 * const f = a.makefile("rb");
 * assertEquals(new TextDecoder().decode(await f.readline()), "LEN 5\r\n");
 * assertEquals(new TextDecoder().decode(await f.read(5)), "hello");
 * assertEquals(String(f), `<_io.BufferedReader name=${a.fileno()}>`);
 * await f.close();
 * a.close();
 * b.close();
 * ```
 */
export class BufferedReader implements BinaryFile {
  #raw: SocketIO | null;
  #size: number;
  #queue = new ByteQueue();
  /** Bytes filled since the buffer was last emptied (CPython's `read_end`). */
  #readEnd = 0;
  #reads = new Serial();

  /**
   * Makes the reader, as `io.BufferedReader(raw, buffer_size)`.
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

  /** The raw file's mode, `"rb"`. */
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
   * @returns `true`.
   * @throws {ValueError} `I/O operation on closed socket.`
   */
  readable(): boolean {
    return this.#ok().readable();
  }

  /**
   * Can it write?
   *
   * @returns `false`.
   */
  writable(): boolean {
    return false;
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
   * @throws {ValueError} `seek of closed file`; `whence value 7 unsupported`.
   * @throws {UnsupportedOperation} `File or stream is not seekable.`
   */
  seek(_offset: number, whence: number = 0): number {
    this.#ok();
    const w = checkInt(whence);
    if (w < 0 || w > MAX_WHENCE) {
      throw new ValueError(`whence value ${w} unsupported`);
    }
    this.#checkClosed("seek of closed file");
    throw new UnsupportedOperation("File or stream is not seekable.");
  }

  /**
   * Python's `truncate()`.
   *
   * @param _size Ignored.
   * @returns Never: rejects.
   * @throws {ValueError} `truncate of closed file`.
   * @throws {UnsupportedOperation} `truncate`.
   */
  truncate(_size?: number | null): Promise<number> {
    return this.#reads.run(() => {
      this.#ok();
      this.#checkClosed("truncate of closed file");
      throw new UnsupportedOperation("truncate");
    });
  }

  /**
   * Reads `size` bytes, fewer only at end of stream; with no `size` (or
   * `-1`, `null`) to end of stream.
   *
   * @param size The count; `-1` or `null`: all.
   * @returns The bytes; `null` on a non-blocking socket with nothing to
   * read.
   * @throws {ValueError} `read length must be non-negative or -1`, `read of
   * closed file`.
   */
  read(size?: number | null): Promise<Uint8Array<ArrayBuffer>> {
    // Not an async function: what is buffered is taken in the call.
    return this.#reads.run(() => {
      const n = optionalSize(size);
      this.#ok();
      if (n < -1) {
        throw new ValueError("read length must be non-negative or -1");
      }
      this.#checkClosed("read of closed file");
      if (n === -1) return this.#readAll() as Promise<Uint8Array<ArrayBuffer>>;
      if (n <= this.#queue.length) return this.#queue.take(n);
      return this.#readGeneric(n) as Promise<Uint8Array<ArrayBuffer>>;
    });
  }

  /**
   * What is buffered, up to `size` bytes; or else one `recv(size)`.
   *
   * @param size The most bytes; negative: the buffer size.
   * @returns The bytes; empty at end of stream or when a non-blocking
   * socket would block.
   * @throws {ValueError} `read of closed file`.
   */
  read1(size?: number): Promise<Uint8Array<ArrayBuffer>> {
    return this.#reads.run(async () => {
      let n = sizeArg(size, -1);
      this.#ok();
      if (n < 0) n = this.#size;
      this.#checkClosed("read of closed file");
      if (n === 0) return EMPTY;
      const have = this.#queue.length;
      if (have > 0) return this.#queue.take(Math.min(have, n));
      this.#readEnd = 0;
      return this.#readLength(await this.#rawRead(n), n) ?? EMPTY;
    });
  }

  /**
   * Fills `buffer`: what is buffered, then the socket's bytes (straight
   * into `buffer` when more than the buffer size is missing).
   *
   * @param buffer Where the bytes go.
   * @returns The count; fewer only at end of stream; `null` on a
   * non-blocking socket with nothing to read.
   * @throws {ValueError} `readinto of closed file`.
   */
  readinto(buffer: ArrayBufferView | ArrayBufferLike): Promise<number> {
    return this.#reads.run(async () => {
      const into = intoBuffer(buffer, "readinto");
      return (await this.#readinto(into, false)) as number;
    });
  }

  /**
   * As {@linkcode BufferedReader.readinto}, with at most one `recv`.
   *
   * @param buffer Where the bytes go.
   * @returns The count.
   * @throws {ValueError} `readinto of closed file`.
   */
  readinto1(buffer: ArrayBufferView | ArrayBufferLike): Promise<number> {
    return this.#reads.run(async () => {
      const into = intoBuffer(buffer, "readinto1");
      return (await this.#readinto(into, true)) as number;
    });
  }

  /**
   * The buffered bytes without consuming them; when none, one `recv` of
   * the buffer size fills the buffer first.
   *
   * @param size Ignored, as in CPython (an integer).
   * @returns A copy of the buffered bytes.
   * @throws {ValueError} `peek of closed file`.
   */
  peek(size?: number): Promise<Uint8Array<ArrayBuffer>> {
    return this.#reads.run(async () => {
      sizeArg(size, 0);
      return (await this.#peek()).slice();
    });
  }

  /**
   * `peek()` without the copy, for `BufferedRWPair.readline`.
   *
   * @returns The buffered bytes (a view: not to be kept or changed).
   */
  [PEEK_VIEW](): Promise<Uint8Array<ArrayBuffer>> {
    return this.#reads.run(() => this.#peek());
  }

  /**
   * One line, through its `\n`, at most `size` bytes; the rest at end of
   * stream.
   *
   * @param size The most bytes; `null` or `-1`: no limit.
   * @returns The line; empty at end of stream.
   * @throws {ValueError} `readline of closed file`.
   */
  readline(size?: number | null): Promise<Uint8Array<ArrayBuffer>> {
    // (A line that reads tells its own end: no `then` of the serial's.)
    return this.#reads.runTold((end) => {
      const limit = optionalSize(size);
      this.#ok();
      return this.#readline(limit, end);
    });
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
   * A reader does not write.
   *
   * @param _data Ignored.
   * @returns Never: rejects.
   * @throws {UnsupportedOperation} `write`.
   */
  write(_data: FileInput<Uint8Array>): Promise<number> {
    return Promise.reject(new UnsupportedOperation("write"));
  }

  /**
   * A reader does not write.
   *
   * @param lines Bytes-like values.
   * @throws {ValueError} `I/O operation on closed file.`
   * @throws {UnsupportedOperation} `write` (when there is a line).
   */
  async writelines(
    lines:
      | Iterable<FileInput<Uint8Array>>
      | AsyncIterable<FileInput<Uint8Array>>,
  ): Promise<void> {
    checkClosed(this);
    await writeEach(lines, (line) => this.write(line));
  }

  /**
   * Nothing to send: checks the raw file is open.
   *
   * @throws {ValueError} `I/O operation on closed file.`
   */
  flush(): Promise<void> {
    try {
      noArgs("BufferedReader.flush", arguments);
      return this.#ok().flush();
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * Closes the raw file (and drops what is buffered), once the reads asked
   * for before it are done, as in CPython. Idempotent.
   */
  close(): Promise<void> {
    try {
      noArgs("BufferedReader.close", arguments);
      this.#ok();
    } catch (err) {
      return Promise.reject(err);
    }
    // After the reads asked for before it, as CPython's close takes the
    // buffer's lock: a read in flight completes with its bytes.
    return this.#reads.run(async () => {
      const raw = this.#ok();
      if (raw.closed) return;
      await flushThenClose(() => this.flush(), () => {
        this.#queue.clear();
        return raw.close();
      });
    });
  }

  /** `await using`: closes the file. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /**
   * Hands over the raw file; this reader is unusable afterwards and what
   * it had buffered is dropped.
   *
   * @returns The raw `SocketIO`.
   * @throws {ValueError} `I/O operation on closed file.`
   */
  async detach(): Promise<RawFile> {
    const raw = this.#ok();
    await this.flush();
    this.#raw = null;
    this.#queue.clear();
    return raw;
  }

  /**
   * Python's repr.
   *
   * @returns `<_io.BufferedReader name=3>`.
   */
  toString(): string {
    return this.#raw === null
      ? "<_io.BufferedReader>"
      : `<_io.BufferedReader name=${this.#raw.name}>`;
  }

  /** Deno's `console.log` shows the repr. */
  [DENO_INSPECT](): string {
    return this.toString();
  }

  /** Node's `util.inspect` shows the repr. */
  [NODE_INSPECT](): string {
    return this.toString();
  }

  // ---- CPython's buffered.c, over a queue of chunks ----

  /** `CHECK_INITIALIZED`: the raw file, unless detached. */
  #ok(): SocketIO {
    if (this.#raw === null) {
      throw new ValueError("raw stream has been detached");
    }
    return this.#raw;
  }

  /** `CHECK_CLOSED`: closed, and nothing left in the buffer. */
  #checkClosed(message: string): void {
    if (this.#ok().closed && this.#queue.length === 0) {
      throw new ValueError(message);
    }
  }

  /**
   * One raw read of `n` bytes; `null` when it would block. Each caller
   * awaits it and checks what came with `#readLength`: no async function
   * of its own between (each costs a promise and a microtask per read).
   */
  #rawRead(n: number): Promise<Uint8Array<ArrayBuffer> | null> {
    return this.#ok()[UNQUEUED].read(n);
  }

  /** `chunk`, a raw read of at most `n` bytes; more is an `OSError`. */
  #readLength(
    chunk: Uint8Array<ArrayBuffer> | null,
    n: number,
  ): Uint8Array<ArrayBuffer> | null {
    if (chunk !== null && chunk.length > n) {
      throw new OSError(
        `raw readinto() returned invalid length ${chunk.length} (should have been between 0 and ${n})`,
      );
    }
    return chunk;
  }

  /**
   * One raw read for the buffer, of what is free of it since it was last
   * emptied: `this.#filled(await this.#fill())` is the chunk, empty at end
   * of stream, `null` when it would block, for the caller to hand over or
   * queue. Two halves, so that no async function stands between the caller
   * and the raw read.
   */
  #fill(): Promise<Uint8Array<ArrayBuffer> | null> {
    return this.#rawRead(this.#size - this.#readEnd);
  }

  /** The second half of `#fill`: `chunk` checked and counted. */
  #filled(
    chunk: Uint8Array<ArrayBuffer> | null,
  ): Uint8Array<ArrayBuffer> | null {
    const got = this.#readLength(chunk, this.#size - this.#readEnd);
    if (got !== null) this.#readEnd += got.length;
    return got;
  }

  /** `MINUS_LAST_BLOCK`: whole buffers' worth of `n`. */
  #wholeBuffers(n: number): number {
    return n - n % this.#size;
  }

  async #readAll(): Promise<Uint8Array<ArrayBuffer> | null> {
    const data = this.#queue.length > 0 ? this.#queue.takeAll() : null;
    this.#readEnd = 0;
    const rest = await this.#ok()[UNQUEUED].readall();
    if (data === null) return rest;
    if (rest === null || rest.length === 0) return data;
    return concatBytes([data, rest], data.length + rest.length);
  }

  /**
   * `read(n)` for more than is buffered. When whole buffers' worth is
   * missing and the socket places reads in the caller's buffer (Node's
   * `onread`: one copy), as CPython's `_bufferedreader_read_generic`: the
   * result made first, and those read straight into it (`readinto`), up
   * to `INTO_MAX` bytes. Otherwise gathered as they come and joined (no
   * more copies where each read is memory of its own, and pieces of one
   * chunk join without a copy).
   */
  #readGeneric(n: number): Promise<Uint8Array<ArrayBuffer> | null> {
    if (
      n <= INTO_MAX && this.#wholeBuffers(n - this.#queue.length) > 0 &&
      this.#ok()[UNQUEUED].intoFirst()
    ) {
      return this.#readGenericInto(n);
    }
    return this.#readGathered(n);
  }

  /** `#readGeneric` into the result, made first. */
  async #readGenericInto(n: number): Promise<Uint8Array<ArrayBuffer> | null> {
    const out = new Uint8Array(n);
    const queue = this.#queue;
    let written = queue.length;
    if (written > 0) queue.copyTo(out, 0, written);
    let remaining = n - written;
    // Whole buffers' worth straight from the socket…
    this.#readEnd = 0;
    while (remaining > 0) {
      const r = this.#wholeBuffers(remaining);
      if (r === 0) break;
      const got = await this.#ok()[UNQUEUED].readinto(
        out.subarray(written, written + r),
      );
      if (got !== null && (got < 0 || got > r)) {
        throw new OSError(
          `raw readinto() returned invalid length ${got} (should have been between 0 and ${r})`,
        );
      }
      if (got === null || got === 0) {
        return got !== null || written > 0 ? out.slice(0, written) : null;
      }
      written += got;
      remaining -= got;
    }
    // …then the rest through the buffer, which keeps what is over.
    this.#readEnd = 0;
    while (remaining > 0 && this.#readEnd < this.#size) {
      const size = this.#size - this.#readEnd;
      const chunk = this.#readLength(await this.#rawRead(size), size);
      if (chunk === null || chunk.length === 0) {
        return chunk !== null || written > 0 ? out.slice(0, written) : null;
      }
      this.#readEnd += chunk.length;
      const k = Math.min(chunk.length, remaining);
      out.set(k === chunk.length ? chunk : chunk.subarray(0, k), written);
      this.#queue.push(chunk, k);
      written += k;
      remaining -= k;
    }
    return written === n ? out : out.slice(0, written);
  }

  /** `#readGeneric` gathering the chunks as they come, then joining them. */
  async #readGathered(n: number): Promise<Uint8Array<ArrayBuffer> | null> {
    const parts: Uint8Array<ArrayBuffer>[] = [];
    let written = 0;
    if (this.#queue.length > 0) {
      const head = this.#queue.takeAll();
      parts.push(head);
      written = head.length;
    }
    let remaining = n - written;
    // Whole buffers' worth straight from the socket…
    this.#readEnd = 0;
    while (remaining > 0) {
      const r = this.#wholeBuffers(remaining);
      if (r === 0) break;
      const chunk = this.#readLength(await this.#rawRead(r), r);
      if (chunk === null || chunk.length === 0) {
        return chunk !== null || written > 0
          ? concatBytes(parts, written)
          : null;
      }
      parts.push(chunk);
      written += chunk.length;
      remaining -= chunk.length;
    }
    // …then the rest through the buffer, which keeps what is over.
    this.#readEnd = 0;
    while (remaining > 0 && this.#readEnd < this.#size) {
      const n = this.#size - this.#readEnd;
      const chunk = this.#readLength(await this.#rawRead(n), n);
      if (chunk === null || chunk.length === 0) {
        return chunk !== null || written > 0
          ? concatBytes(parts, written)
          : null;
      }
      this.#readEnd += chunk.length;
      if (chunk.length > remaining) {
        // (The rest is copied: the result may be a view of the chunk.)
        parts.push(chunk.subarray(0, remaining));
        this.#queue.keep(chunk, remaining);
        written += remaining;
        remaining = 0;
      } else {
        parts.push(chunk);
        written += chunk.length;
        remaining -= chunk.length;
      }
    }
    return concatBytes(parts, written);
  }

  /** `_buffered_readinto_generic`. */
  async #readinto(into: Uint8Array, one: boolean): Promise<number | null> {
    this.#ok();
    this.#checkClosed("readinto of closed file");
    const queue = this.#queue;
    let written = 0;
    const have = queue.length;
    if (have > 0) {
      if (have >= into.length) {
        queue.copyTo(into, 0, into.length);
        return into.length;
      }
      queue.copyTo(into, 0, have);
      written = have;
    }
    this.#readEnd = 0;
    const size = into.length;
    let remaining = size - written;
    while (remaining > 0) {
      // -2: the raw read would have blocked.
      let n: number;
      if (remaining > this.#size) {
        let got: number | null;
        try {
          got = await this.#ok()[UNQUEUED].readinto(into.subarray(written));
        } catch (err) {
          // The buffer was taken away (detached, shrunk) while the read
          // waited: what it has is told, the rest stays for the next read.
          if (written > 0 && into.length !== size) return written;
          throw err;
        }
        n = got === null ? -2 : got;
      } else if (!(one && written > 0)) {
        const chunk = this.#filled(await this.#fill());
        if (into.length !== size) {
          // Taken away while the read waited: as above (a released
          // memoryview's ValueError if it has nothing yet).
          if (chunk !== null) queue.push(chunk);
          if (written > 0) return written;
          throw releasedError();
        }
        if (chunk !== null && chunk.length > 0) {
          const k = Math.min(chunk.length, remaining);
          into.set(k === chunk.length ? chunk : chunk.subarray(0, k), written);
          queue.push(chunk, k);
          written += k;
          remaining -= k;
          continue;
        }
        n = chunk === null ? -2 : 0;
      } else n = 0;
      if (n === 0 || (n === -2 && written > 0)) break;
      if (n < 0) return null;
      written += n;
      remaining -= n;
      if (one) break;
    }
    return written;
  }

  async #peek(): Promise<Uint8Array<ArrayBuffer>> {
    this.#ok();
    this.#checkClosed("peek of closed file");
    if (this.#queue.length === 0) {
      this.#readEnd = 0;
      const chunk = this.#filled(await this.#fill());
      if (chunk !== null) this.#queue.push(chunk);
    }
    return this.#queue.view();
  }

  /**
   * `_buffered_readline`: a line in the buffer is returned at once;
   * otherwise more is read, and each byte is searched once.
   */
  #readline(
    limit: number,
    end: () => void = noop,
  ): Uint8Array<ArrayBuffer> | Promise<Uint8Array<ArrayBuffer>> {
    this.#checkClosed("readline of closed file");
    const queue = this.#queue;
    let n = queue.length;
    if (limit >= 0 && n > limit) n = limit;
    const nl = queue.indexOf(0x0a, n);
    if (nl >= 0) return queue.take(nl + 1);
    if (n === limit) return queue.take(n);
    return this.#readlineMore(n, limit, end);
  }

  /**
   * The rest of a line not in the buffer: the `have` bytes so far stay
   * queued, and each chunk that comes is searched by itself. A read that
   * fails drops them (the queue holds nothing else then), as CPython's
   * readline has taken them out of its buffer and loses them with the
   * error. Not an async function: each raw read's bytes are taken in the
   * receive's own step (`readThen`), with no promise of its own between.
   * `end` is called as the line's promise settles (`Serial.runTold`).
   */
  #readlineMore(
    have: number,
    limit: number,
    end: () => void,
  ): Promise<Uint8Array<ArrayBuffer>> {
    return this.#lineRead(have, limit >= 0 ? limit - have : limit, end);
  }

  /** One raw read for the rest of a line (`limit`: what may still come). */
  #lineRead(
    have: number,
    limit: number,
    end: () => void,
  ): Promise<Uint8Array<ArrayBuffer>> {
    this.#readEnd = 0;
    let raw: RawOps;
    try {
      raw = this.#ok()[UNQUEUED];
    } catch (err) {
      end();
      this.#queue.clear();
      return Promise.reject(err);
    }
    return raw.readThen(
      this.#size - this.#readEnd,
      (read) => {
        let line;
        try {
          line = this.#lineGot(read, have, limit, end);
        } catch (err) {
          end();
          throw err;
        }
        if (!(line instanceof Promise)) end();
        return line;
      },
      (err) => {
        end();
        this.#queue.clear();
        throw err;
      },
    );
  }

  /** What a raw read for the rest of a line brought: the line, or more. */
  #lineGot(
    read: Uint8Array<ArrayBuffer> | null,
    have: number,
    limit: number,
    end: () => void,
  ): Uint8Array<ArrayBuffer> | Promise<Uint8Array<ArrayBuffer>> {
    const queue = this.#queue;
    const chunk = this.#filled(read);
    if (chunk !== null && chunk.length > 0) {
      let k = chunk.length;
      if (limit >= 0 && k > limit) k = limit;
      const at = k === chunk.length
        ? chunk.indexOf(0x0a)
        : chunk.subarray(0, k).indexOf(0x0a);
      if (at >= 0 && have === 0) return queue.split(chunk, at + 1);
      queue.push(chunk);
      if (at >= 0) return queue.take(have + at + 1);
      have += k;
      if (k !== limit) {
        return this.#lineRead(have, limit >= 0 ? limit - k : limit, end);
      }
    }
    return queue.take(Math.min(have, queue.length));
  }
}

// Python's names (`type(x).__name__`, its repr's), whatever a bundler
// names the class.
pyNames({ "_io.BufferedReader": BufferedReader });
