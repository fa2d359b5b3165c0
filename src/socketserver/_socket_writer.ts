// Copyright the pysocket authors. MIT license.
// CPython's `socketserver._SocketWriter`: the unbuffered `wfile` of a
// `StreamRequestHandler` (`wbufsize = 0`), each `write()` one `sendall()`.

import { checkClosed, writeEach } from "../socket/makefile/_iobase.ts";
import type { Socket } from "../socket/socket.ts";
import type { WritableFile } from "./stream_request_handler.ts";

type BytesLike = ArrayBufferView | ArrayBufferLike;

/**
 * A file that writes straight to a socket: nothing is held back. Named as
 * CPython names its class (`type(wfile).__name__`).
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

  fileno(): number {
    return this.#sock.fileno();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
