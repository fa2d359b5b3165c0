// Copyright the pysocket authors. MIT license.
/**
 * Web Streams over a connected stream socket, for piping into the web
 * platform's transforms (`TextDecoderStream`, `DecompressionStream`) and
 * Deno's files. They borrow the socket: closing or cancelling a stream never
 * closes the socket.
 *
 * @module
 */

import { SHUT_WR } from "./constants.ts";

/** What a stream needs of its socket. */
export interface StreamSocket {
  recv(bufsize: number): Promise<Uint8Array>;
  recv_into(buffer: Uint8Array): Promise<number>;
  sendall(data: Uint8Array): Promise<void>;
  shutdown(how: number): Promise<void>;
}

/** The most bytes one pull asks `recv` for. */
const CHUNK = 65536;

/**
 * A `ReadableStream` of the bytes a connected socket receives: each pull is
 * one `await sock.recv(65536)` (or, for a BYOB reader, one `recv_into` the
 * reader's buffer); end of stream (`recv` returning empty) closes it; an
 * error (`TimeoutError`, `ConnectionResetError`, `[Errno 9] Bad file
 * descriptor` when the socket is closed) errors it. Nothing is read before
 * a reader asks (`highWaterMark` 0), so `recv` calls and the stream can
 * take turns. `cancel()` leaves the socket as it is (neither closed nor
 * shut down); bytes of a `recv` already in flight when it is cancelled are
 * dropped. Honours the socket's timeout.
 *
 * @param sock A connected `SOCK_STREAM` socket; the stream does not own it.
 * @returns A byte stream of what the peer sends (typed over `ArrayBuffer`,
 * so it pipes into `DecompressionStream` as it is).
 *
 * @example Decode what the peer sends
 * ```ts
 * import { socket } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * using server = socket();
 * server.bind(["127.0.0.1", 0]);
 * server.listen();
 * using client = socket();
 * await client.connect(server.getsockname());
 * const [conn] = await server.accept();
 * await conn.sendall(new TextEncoder().encode("héllo"));
 * conn.close();
 *
 * let text = "";
 * for await (const part of client.readable.pipeThrough(new TextDecoderStream())) {
 *   text += part;
 * }
 * assertEquals(text, "héllo");
 * ```
 */
export function readableStream(
  sock: StreamSocket,
): ReadableStream<Uint8Array<ArrayBuffer>> {
  return new ReadableStream({
    type: "bytes",
    async pull(controller) {
      const request = controller.byobRequest;
      if (request?.view) {
        const view = request.view;
        const n = await sock.recv_into(
          new Uint8Array(view.buffer, view.byteOffset, view.byteLength),
        );
        if (n === 0) {
          controller.close();
          request.respond(0);
        } else request.respond(n);
        return;
      }
      const chunk = await sock.recv(CHUNK);
      if (chunk.length === 0) controller.close();
      else {
        // A byte stream takes (detaches) the chunk's buffer: a small recv()
        // result shares its buffer with others, so it is copied first.
        controller.enqueue(
          (chunk.byteLength === chunk.buffer.byteLength
            ? chunk
            : chunk.slice()) as Uint8Array<ArrayBuffer>,
        );
      }
    },
    cancel() {
      // The socket is borrowed: it stays as it is.
    },
  }, { highWaterMark: 0 });
}

/**
 * A `WritableStream` that sends each chunk with `await sock.sendall(chunk)`,
 * in order. Closing the stream shuts the socket's writing half down
 * (`shutdown(SHUT_WR)`: the peer reads end of stream, and the socket can
 * still receive); aborting it does nothing to the socket. Neither closes the
 * socket. A chunk that is not bytes errors the stream with `TypeError` `a
 * bytes-like object is required, not 'str'`.
 *
 * @param sock A connected `SOCK_STREAM` socket; the stream does not own it.
 * @returns A stream whose chunks go to the peer.
 *
 * @example Send gzip-compressed text
 * ```ts
 * import { socket } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * using server = socket();
 * server.bind(["127.0.0.1", 0]);
 * server.listen();
 * using client = socket();
 * await client.connect(server.getsockname());
 * const [conn] = await server.accept();
 *
 * const sent = ReadableStream.from(["hello ", "world"])
 *   .pipeThrough(new TextEncoderStream())
 *   .pipeThrough(new CompressionStream("gzip"))
 *   .pipeTo(client.writable); // closes with shutdown(SHUT_WR)
 * const text = await new Response(
 *   conn.readable.pipeThrough(new DecompressionStream("gzip")),
 * ).text();
 * await sent;
 * assertEquals(text, "hello world");
 * conn.close();
 * ```
 */
export function writableStream(
  sock: StreamSocket,
): WritableStream<Uint8Array> {
  return new WritableStream<Uint8Array>({
    async write(chunk) {
      await sock.sendall(chunk);
    },
    async close() {
      await sock.shutdown(SHUT_WR);
    },
    abort() {
      // The socket is borrowed: it stays open.
    },
  }, new CountQueuingStrategy({ highWaterMark: 1 }));
}
