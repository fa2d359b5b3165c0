// Copyright the pysocket authors. MIT license.
/**
 * The raw layer: Python's `socket.SocketIO`, one `recv` or `send` per
 * call.
 *
 * @module
 */

import { OSError, TimeoutError, ValueError } from "../errors.ts";
import { checkArgs } from "../../_py/args.ts";
import { errnoEntry } from "../../_py/errno.ts";
import { bytesLike, writableBuffer } from "../../_py/pytype.ts";
import { noArgs, optionalSize, reprStr, sizeArg } from "./_args.ts";
import {
  checkClosed,
  CLOSED_FILE,
  collectLines,
  concatBytes,
  DEFAULT_BUFFER_SIZE,
  DENO_INSPECT,
  iterateLines,
  NODE_INSPECT,
  writeEach,
} from "./_iobase.ts";
import { Serial } from "./_serial.ts";
import type { FileSocket, RawFile } from "./types.ts";
import { UnsupportedOperation } from "./unsupported_operation.ts";
import { objectId, pyNames } from "../../_py/repr.ts";

/** `BlockingIOError` for `EAGAIN`/`EWOULDBLOCK` (one number on Linux and macOS). */
function wouldBlock(err: unknown): boolean {
  return err instanceof OSError && err.errno === errnoEntry("EAGAIN")[0];
}

const noop = (): void => {};

/** `SocketIO.close`, a method written in Python: its count has `self`. */
const CLOSE_ARGS = {
  name: "SocketIO.close",
  style: "py",
  params: [],
  required: 0,
  method: true,
} as const;

/**
 * A file dropped without `close()` releases its socket when collected, as
 * CPython's reference counting closes it (`IOBase.__del__`): else a closed
 * socket would stay open for ever. The held value is the `release`
 * callback (it holds the socket, never the file); `close()` unregisters.
 * What the callback throws is dropped, as CPython ignores what `__del__`
 * raises.
 */
const dropped = new FinalizationRegistry<() => void>((release) => {
  try {
    release();
  } catch {
    // CPython prints "Exception ignored in ..." and goes on.
  }
});

/**
 * The key of a `SocketIO`'s operations without its queue of calls, for the
 * buffered file over it, which orders its own calls (as in CPython, where
 * the buffered object's lock orders its raw calls, and the raw file has no
 * lock of its own).
 */
export const UNQUEUED: unique symbol = Symbol("unqueued");

/**
 * The key of a library socket's answer to whether its `recv_into()` of a
 * large buffer costs fewer copies than `recv()` and a join (see
 * `RawOps.intoFirst`).
 */
export const INTO_FIRST: unique symbol = Symbol("intoFirst");

/** The prototypes of the library's own socket classes: see `readsDirectly`. */
const direct = new WeakSet<object>();

/**
 * Says that `recv(n)` on objects of this exact prototype (a library class,
 * not a subclass) reads as `recv_into()` of `n` bytes does, so that a
 * file's `read(n)` may call it and take its result without a copy.
 *
 * @param proto The class's prototype.
 */
export function readsDirectly(proto: object): void {
  direct.add(proto);
}

/** A `SocketIO`'s operations without its queue: see {@linkcode UNQUEUED}. */
export interface RawOps {
  /** One `recv(n)`, `n >= 0`; `null` when it would block. */
  read(n: number): Promise<Uint8Array<ArrayBuffer> | null>;
  /**
   * `read(n)` with the caller's next step: what it resolves to is handed
   * to `then`, what it rejects with to `fail`, in the receive's own step
   * (no promise and microtask between, as `read(n).then(then, fail)`
   * would have).
   */
  readThen<T>(
    n: number,
    then: (chunk: Uint8Array<ArrayBuffer> | null) => T | PromiseLike<T>,
    fail: (err: unknown) => T | PromiseLike<T>,
  ): Promise<T>;
  /** One `recv_into(buffer)`; `null` when it would block. */
  readinto(buffer: Uint8Array): Promise<number | null>;
  /**
   * Is a large read better made into the result (`readinto`) than
   * gathered (`read`, then joined)? Only for the library's own classes
   * (a subclass's calls are the ones CPython makes either way), where the
   * connection places its reads' bytes in the caller's buffer.
   */
  intoFirst(): boolean;
  /** `recv` to end of stream; `null` when nothing came before it would block. */
  readall(): Promise<Uint8Array<ArrayBuffer> | null>;
  /** One `send(data)`; `null` when it would block. */
  write(data: Uint8Array): Promise<number | null>;
}

/**
 * Python's `socket.SocketIO`: the raw file object under `makefile()`'s
 * buffered ones, and what `makefile(mode, 0)` returns. Each `read` is one
 * `recv`, each `readinto` one `recv_into`, each `write` one `send`; on a
 * non-blocking socket they resolve to `null` (Python's `None`) when the
 * socket would block. A read that timed out leaves the object refusing
 * reads (`OSError: cannot read from timed out object`): bytes may have
 * been lost. Closing it closes the socket only when the socket was closed
 * and this was its last file.
 *
 * @example One recv per read
 * ```ts
 * import { socketpair } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * const [a, b] = await socketpair();
 * const raw = a.makefile("rwb", 0);
 * assertEquals(await raw.write(new Uint8Array([1, 2, 3])), 3);
 * assertEquals(await b.recv(10), new Uint8Array([1, 2, 3]));
 * await raw.close();
 * a.close();
 * b.close();
 * ```
 */
export class SocketIO implements RawFile {
  #sock: FileSocket | null;
  #mode: string;
  #reading: boolean;
  #writing: boolean;
  #closed = false;
  #timeoutOccurred = false;
  #release: () => void;
  #reads = new Serial();
  #writes = new Serial();
  #id: string | null = null;

  /** This file's operations without its queue: see {@linkcode UNQUEUED}. */
  readonly [UNQUEUED]: RawOps = {
    read: (n) => this.#read(n),
    readThen: (n, then, fail) => this.#readThen(n, then, fail),
    readinto: (buffer) => this.#readinto(buffer),
    readall: () => this.#readall(),
    intoFirst: () => {
      const sock = this.#sock;
      return sock !== null && direct.has(Object.getPrototypeOf(sock)) &&
        (sock as { [INTO_FIRST]?: () => boolean })[INTO_FIRST]?.() === true;
    },
    write: (data) => this.#write(data),
  };

  /**
   * Makes the raw file, as `SocketIO(sock, mode)`.
   *
   * @param sock The connected socket.
   * @param mode `"r"`, `"w"`, `"rw"`, `"rb"`, `"wb"` or `"rwb"`.
   * @param release Called once, when the file closes.
   * @throws {ValueError} `invalid mode: 'x'`.
   */
  constructor(sock: FileSocket, mode: string, release: () => void = noop) {
    if (!["r", "w", "rw", "rb", "wb", "rwb"].includes(mode)) {
      throw new ValueError(`invalid mode: ${reprStr(mode)}`);
    }
    this.#sock = sock;
    this.#mode = mode.includes("b") ? mode : mode + "b";
    this.#reading = mode.includes("r");
    this.#writing = mode.includes("w");
    this.#release = release;
    dropped.register(this, release, this);
  }

  /** Has `close()` been called? */
  get closed(): boolean {
    return this.#closed;
  }

  /** `"rb"`, `"wb"` or `"rwb"`. */
  get mode(): string {
    return this.#mode;
  }

  /** The socket's `fileno()`; `-1` once closed. */
  get name(): number {
    return this.#closed ? -1 : this.fileno();
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
   * @returns Whether the mode has `r`.
   * @throws {ValueError} `I/O operation on closed socket.`
   */
  readable(): boolean {
    if (this.#closed) throw new ValueError("I/O operation on closed socket.");
    return this.#reading;
  }

  /**
   * Can it write?
   *
   * @returns Whether the mode has `w`.
   * @throws {ValueError} `I/O operation on closed socket.`
   */
  writable(): boolean {
    if (this.#closed) throw new ValueError("I/O operation on closed socket.");
    return this.#writing;
  }

  /**
   * Can it seek?
   *
   * @returns `false`.
   * @throws {ValueError} `I/O operation on closed socket.`
   */
  seekable(): boolean {
    if (this.#closed) throw new ValueError("I/O operation on closed socket.");
    return false;
  }

  /**
   * Is it a terminal?
   *
   * @returns `false`.
   * @throws {ValueError} `I/O operation on closed file.`
   */
  isatty(): boolean {
    checkClosed(this);
    return false;
  }

  /**
   * The socket's descriptor.
   *
   * @returns The socket's `fileno()`.
   * @throws {ValueError} `I/O operation on closed file.`
   */
  fileno(): number {
    checkClosed(this);
    return this.#sock!.fileno();
  }

  /**
   * Python's `tell()`: a socket has no position.
   *
   * @returns Never.
   * @throws {UnsupportedOperation} `seek`.
   */
  tell(): number {
    throw new UnsupportedOperation("seek");
  }

  /**
   * Python's `seek()`: a socket cannot seek.
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
   * Python's `truncate()`: a socket cannot.
   *
   * @param _size Ignored.
   * @returns Never: rejects.
   * @throws {UnsupportedOperation} `truncate`.
   */
  truncate(_size?: number | null): Promise<number> {
    return Promise.reject(new UnsupportedOperation("truncate"));
  }

  /**
   * One `recv_into(buffer)`.
   *
   * @param buffer Where the bytes go.
   * @returns The count (0 at end of stream), or `null` when a non-blocking
   * socket would block.
   */
  readinto(buffer: ArrayBufferView | ArrayBufferLike): Promise<number | null> {
    return this.#reads.run(() => this.#readinto(buffer));
  }

  /**
   * One `recv(size)`; a negative `size` reads to end of stream.
   *
   * @param size The most bytes to read; `-1` by default.
   * @returns The bytes (empty at end of stream), or `null` when a
   * non-blocking socket would block.
   */
  read(size?: number): Promise<Uint8Array<ArrayBuffer> | null> {
    return this.#reads.run(() => {
      const n = sizeArg(size, -1);
      return n < 0 ? this.#readall() : this.#read(n);
    });
  }

  /**
   * `recv` to end of stream.
   *
   * @returns The bytes; what came before a non-blocking socket would
   * block, or `null` when nothing did.
   */
  readall(): Promise<Uint8Array<ArrayBuffer> | null> {
    return this.#reads.run(() => this.#readall());
  }

  /**
   * One line, a byte per `recv(1)` (so nothing past the newline is read).
   *
   * @param size The most bytes; `null` or `-1`: no limit.
   * @returns The line; empty at end of stream.
   * @throws {OSError} `read() should have returned a bytes object, not
   * 'NoneType'` when a non-blocking socket would block, as in CPython.
   */
  readline(size?: number | null): Promise<Uint8Array<ArrayBuffer>> {
    return this.#reads.run(() => this.#readline(optionalSize(size)));
  }

  /**
   * Lines to end of stream, or until they total more than `hint`.
   *
   * @param hint The size hint; `null` or `<= 0`: no limit.
   * @returns The lines.
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
   * One `send(data)`.
   *
   * @param data Any bytes-like value.
   * @returns The count sent, or `null` when a non-blocking socket would
   * block.
   */
  write(data: ArrayBufferView | ArrayBufferLike): Promise<number | null> {
    return this.#writes.run(() => this.#write(data));
  }

  /**
   * `write` each line (one `send` each; what a `send` did not take is not
   * sent, as in Python).
   *
   * @param lines Bytes-like values.
   */
  writelines(
    lines:
      | Iterable<ArrayBufferView | ArrayBufferLike>
      | AsyncIterable<ArrayBufferView | ArrayBufferLike>,
  ): Promise<void> {
    return this.#writes.run(async () => {
      checkClosed(this);
      await writeEach(lines, (line) => this.#write(line));
    });
  }

  /**
   * Nothing is buffered here.
   *
   * @throws {ValueError} `I/O operation on closed file.`
   */
  flush(): Promise<void> {
    try {
      noArgs("_IOBase.flush", arguments);
      checkClosed(this);
      return Promise.resolve();
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * Closes the file; the socket too when it was closed and this was its
   * last file. Idempotent. A file dropped without it is closed when the
   * garbage collector collects it, as CPython closes it when its last
   * reference goes.
   */
  close(): Promise<void> {
    try {
      checkArgs(CLOSE_ARGS, arguments);
    } catch (err) {
      return Promise.reject(err);
    }
    if (!this.#closed) {
      this.#closed = true;
      this.#sock = null;
      dropped.unregister(this);
      this.#release();
    }
    return Promise.resolve();
  }

  /** `await using`: closes the file. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /**
   * Python's repr.
   *
   * @returns `<socket.SocketIO object at 0x…>`.
   */
  toString(): string {
    return `<socket.SocketIO object at ${this.#id ??= objectId()}>`;
  }

  /** Deno's `console.log` shows the repr. */
  [DENO_INSPECT](): string {
    return this.toString();
  }

  /** Node's `util.inspect` shows the repr. */
  [NODE_INSPECT](): string {
    return this.toString();
  }

  // ---- the calls, each one socket operation ----

  /** SocketIO's checks before a read, in its order. */
  #readingSocket(): FileSocket {
    if (this.#closed) throw new ValueError(CLOSED_FILE);
    if (!this.#reading) {
      throw new UnsupportedOperation("File or stream is not readable.");
    }
    if (this.#timeoutOccurred) {
      throw new OSError("cannot read from timed out object");
    }
    return this.#sock!;
  }

  /** A failed read: a timeout is remembered, would-block is `null`. */
  #readFailed(err: unknown): null {
    if (err instanceof TimeoutError) this.#timeoutOccurred = true;
    else if (wouldBlock(err)) return null;
    throw err;
  }

  /** `#readFailed` as a rejection handler. */
  #onReadFailed = (err: unknown): null => this.#readFailed(err);

  // The two reads below are not async functions: the receive's own promise
  // carries the result (no promise and microtask more per read), and a
  // check that fails rejects it.

  #readinto(buffer: unknown): Promise<number | null> {
    let sock: FileSocket;
    let into: Uint8Array;
    try {
      sock = this.#readingSocket();
      into = writableBuffer(buffer, "recv_into");
    } catch (err) {
      return Promise.reject(err);
    }
    return sock.recv_into(into).then(undefined, this.#onReadFailed);
  }

  /** `RawOps.readThen`: `#read(n)` and the caller's step, in one `then`. */
  #readThen<T>(
    n: number,
    then: (chunk: Uint8Array<ArrayBuffer> | null) => T | PromiseLike<T>,
    fail: (err: unknown) => T | PromiseLike<T>,
  ): Promise<T> {
    let sock: FileSocket;
    try {
      sock = this.#readingSocket();
    } catch (err) {
      return Promise.reject(err).then(undefined, fail);
    }
    if (!direct.has(Object.getPrototypeOf(sock))) {
      return this.#read(n).then(then, fail);
    }
    return (sock.recv(n) as Promise<Uint8Array<ArrayBuffer>>).then(
      then,
      (err) => {
        let got: null;
        try {
          got = this.#readFailed(err);
        } catch (failure) {
          return fail(failure);
        }
        return then(got);
      },
    );
  }

  /**
   * Python's `read(n)`, `n >= 0`: a `readinto` of a fresh buffer, which
   * calls the socket's `recv_into()`. For the library's own classes, one
   * `recv(n)` does the same without the copy; a subclass's `recv_into()`
   * is called, and its `recv()` is not, as in CPython.
   */
  #read(n: number): Promise<Uint8Array<ArrayBuffer> | null> {
    let sock: FileSocket;
    try {
      sock = this.#readingSocket();
    } catch (err) {
      return Promise.reject(err);
    }
    if (!direct.has(Object.getPrototypeOf(sock))) {
      const into = new Uint8Array(n);
      return sock.recv_into(into).then(
        (k) => k === n ? into : into.slice(0, k),
        this.#onReadFailed,
      );
    }
    // A socket's recv() result is in an ArrayBuffer of its own (never
    // shared memory), as Python's bytes.
    return (sock.recv(n) as Promise<Uint8Array<ArrayBuffer>>).then(
      undefined,
      this.#onReadFailed,
    );
  }

  async #readall(): Promise<Uint8Array<ArrayBuffer> | null> {
    const parts: Uint8Array<ArrayBuffer>[] = [];
    let total = 0;
    for (;;) {
      const data = await this.#read(DEFAULT_BUFFER_SIZE);
      if (data === null) {
        if (parts.length === 0) return null;
        break;
      }
      if (data.length === 0) break;
      parts.push(data);
      total += data.length;
    }
    return concatBytes(parts, total);
  }

  /** `IOBase.readline` over `read(1)`: a byte at a time. */
  async #readline(limit: number): Promise<Uint8Array<ArrayBuffer>> {
    let line = new Uint8Array(64);
    let n = 0;
    while (limit < 0 || n < limit) {
      const b = await this.#read(1);
      if (b === null) {
        throw new OSError(
          "read() should have returned a bytes object, not 'NoneType'",
        );
      }
      if (b.length === 0) break;
      if (n === line.length) {
        const grown = new Uint8Array(n * 2);
        grown.set(line);
        line = grown;
      }
      line[n++] = b[0];
      if (b[0] === 0x0a) break;
    }
    return line.slice(0, n);
  }

  async #write(data: unknown): Promise<number | null> {
    if (this.#closed) throw new ValueError(CLOSED_FILE);
    if (!this.#writing) {
      throw new UnsupportedOperation("File or stream is not writable.");
    }
    const bytes = bytesLike(data);
    try {
      return await this.#sock!.send(bytes);
    } catch (err) {
      if (wouldBlock(err)) return null;
      throw err;
    }
  }
}

// Python's names (`type(x).__name__`, its repr's), whatever a bundler
// names the class.
pyNames({ SocketIO }, "socket");
