// Copyright the pysocket authors. MIT license.
// CPython's `socketserver._SocketWriter`: the unbuffered `wfile` of a
// `StreamRequestHandler` (`wbufsize = 0`), each `write()` one `sendall()`.

import type { Socket } from "../socket/socket.ts";
import type { WritableFile } from "./stream_request_handler.ts";

type BytesLike = ArrayBufferView | ArrayBufferLike;

/** A file that writes straight to a socket: nothing is held back. */
export class SocketWriter implements WritableFile {
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

  /** `sendall(b)`; resolves to the number of bytes. */
  async write(b: BytesLike): Promise<number> {
    await this.#sock.sendall(b);
    return b.byteLength;
  }

  /** Nothing is buffered. */
  flush(): Promise<void> {
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
