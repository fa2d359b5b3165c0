// Copyright the pysocket authors. MIT license.
// CPython's `socketserver._SocketWriter`: the unbuffered `wfile` of a
// `StreamRequestHandler` (`wbufsize = 0`), each `write()` one `sendall()`.

import { intoBuffer, optionalSize } from "../socket/makefile/_args.ts";
import {
  checkClosed,
  iterateLines,
  writeEach,
} from "../socket/makefile/_iobase.ts";
import { UnsupportedOperation } from "../socket/makefile/unsupported_operation.ts";
import type { Socket } from "../socket/socket.ts";
import type { WritableFile } from "./stream_request_handler.ts";
import { pyNames } from "../_py/repr.ts";

type BytesLike = ArrayBufferView | ArrayBufferLike;

/** Rejects as CPython's `BufferedIOBase` does, after the argument check. */
function unsupported<T>(check: () => unknown, name: string): Promise<T> {
  try {
    check();
    return Promise.reject(new UnsupportedOperation(name));
  } catch (err) {
    return Promise.reject(err);
  }
}

/**
 * A file that writes straight to a socket: nothing is held back. Named as
 * CPython names its class (`type(wfile).__name__`). Like CPython's (an
 * `io.BufferedIOBase` subclass), it has the reading and seeking methods,
 * which raise `io.UnsupportedOperation`.
 */
export class _SocketWriter implements WritableFile {
  #sock: Socket;
  #closed = false;

  constructor(sock: Socket) {
    this.#sock = sock;
  }

  get closed(): boolean {
    return this.#closed;
  }

  writable(): boolean {
    return true;
  }

  /** `IOBase.readable()`: `false`, closed or not. */
  readable(): boolean {
    return false;
  }

  /** `IOBase.seekable()`: `false`, closed or not. */
  seekable(): boolean {
    return false;
  }

  /** `sendall(b)`; resolves to the number of bytes. */
  async write(b: BytesLike): Promise<number> {
    await this.#sock.sendall(b);
    return b.byteLength;
  }

  /**
   * `IOBase.writelines()`: `write()` each, once it has checked that the
   * file is open.
   */
  async writelines(
    lines: Iterable<BytesLike> | AsyncIterable<BytesLike>,
  ): Promise<void> {
    checkClosed(this);
    await writeEach(lines, (line) => this.write(line));
  }

  /** Nothing is buffered; `ValueError` once closed, as `IOBase.flush()`. */
  flush(): Promise<void> {
    try {
      checkClosed(this);
    } catch (err) {
      return Promise.reject(err);
    }
    return Promise.resolve();
  }

  /** Marks the file closed; the socket stays open. */
  close(): Promise<void> {
    this.#closed = true;
    return Promise.resolve();
  }

  /**
   * The socket's descriptor, closed file or not.
   *
   * @returns The socket's `fileno()`.
   */
  fileno(): number {
    return this.#sock.fileno();
  }

  /**
   * `IOBase.isatty()`: a socket is not a terminal.
   *
   * @returns `false`.
   * @throws {ValueError} `I/O operation on closed file.`
   */
  isatty(): boolean {
    checkClosed(this);
    return false;
  }

  /**
   * `BufferedIOBase.read()`: this file does not read.
   *
   * @param _size Ignored.
   * @returns Never: rejects.
   * @throws {UnsupportedOperation} `read`.
   */
  read(_size?: number | null): Promise<Uint8Array<ArrayBuffer>> {
    return unsupported(() => {}, "read");
  }

  /**
   * `BufferedIOBase.read1()`: this file does not read.
   *
   * @param _size Ignored.
   * @returns Never: rejects.
   * @throws {UnsupportedOperation} `read1`.
   */
  read1(_size?: number | null): Promise<Uint8Array<ArrayBuffer>> {
    return unsupported(() => {}, "read1");
  }

  /**
   * `BufferedIOBase.readinto()`: checks the buffer, then calls `read()`.
   *
   * @param buffer A writable buffer.
   * @returns Never: rejects.
   * @throws {TypeError} `readinto() argument must be read-write bytes-like
   * object, not str`.
   * @throws {UnsupportedOperation} `read`.
   */
  readinto(buffer: ArrayBufferView | ArrayBufferLike): Promise<number> {
    return unsupported(() => intoBuffer(buffer, "readinto"), "read");
  }

  /**
   * `BufferedIOBase.readinto1()`: checks the buffer, then calls `read1()`.
   *
   * @param buffer A writable buffer.
   * @returns Never: rejects.
   * @throws {TypeError} `readinto1() argument must be read-write
   * bytes-like object, not str`.
   * @throws {UnsupportedOperation} `read1`.
   */
  readinto1(buffer: ArrayBufferView | ArrayBufferLike): Promise<number> {
    return unsupported(() => intoBuffer(buffer, "readinto1"), "read1");
  }

  /**
   * `IOBase.readline()`: checks the size, then calls `read()` (closed
   * file or not).
   *
   * @param size An integer or `null`.
   * @returns Never: rejects.
   * @throws {TypeError} `argument should be integer or None, not 'str'`.
   * @throws {UnsupportedOperation} `read`.
   */
  readline(size?: number | null): Promise<Uint8Array<ArrayBuffer>> {
    return unsupported(() => optionalSize(size), "read");
  }

  /**
   * `IOBase.readlines()`: checks the hint, then iterates (which checks
   * that the file is open) and reads a line.
   *
   * @param hint An integer or `null`.
   * @returns Never: rejects.
   * @throws {TypeError} `argument should be integer or None, not 'str'`.
   * @throws {ValueError} `I/O operation on closed file.`
   * @throws {UnsupportedOperation} `read`.
   */
  readlines(hint?: number | null): Promise<Uint8Array<ArrayBuffer>[]> {
    return unsupported(() => {
      optionalSize(hint);
      checkClosed(this);
    }, "read");
  }

  /**
   * `IOBase.__iter__`: lines read with `readline()`, which this file
   * cannot.
   *
   * @returns An async iterator whose `next()` rejects with
   * `UnsupportedOperation`.
   * @throws {ValueError} `I/O operation on closed file.`
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<Uint8Array<ArrayBuffer>> {
    return iterateLines(this, () => this.readline());
  }

  /**
   * `IOBase.seek()`: a socket cannot.
   *
   * @param _offset Ignored.
   * @param _whence Ignored.
   * @returns Never.
   * @throws {UnsupportedOperation} `seek`.
   */
  seek(_offset?: number, _whence?: number): number {
    throw new UnsupportedOperation("seek");
  }

  /**
   * `IOBase.tell()`: `seek(0, 1)`, which a socket cannot.
   *
   * @returns Never.
   * @throws {UnsupportedOperation} `seek`.
   */
  tell(): number {
    return this.seek(0, 1);
  }

  /**
   * `IOBase.truncate()`: a socket cannot.
   *
   * @param _size Ignored.
   * @returns Never: rejects.
   * @throws {UnsupportedOperation} `truncate`.
   */
  truncate(_size?: number | null): Promise<number> {
    return unsupported(() => {}, "truncate");
  }

  /**
   * `BufferedIOBase.detach()`: there is no raw file to hand over.
   *
   * @returns Never: rejects.
   * @throws {UnsupportedOperation} `detach`.
   */
  detach(): Promise<never> {
    return unsupported(() => {}, "detach");
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

// Python's names (`type(x).__name__`, its repr's), whatever a bundler
// names the class.
pyNames({ _SocketWriter }, "socketserver");
