// Copyright the pysocket authors. MIT license.
// A connected stream over a `node:net` Socket, read only when asked.
//
// The socket reads through its `onread` option: the runtime reads into one
// buffer of ours and calls back with the count. A `read()` starts the
// reading; runtime reads that find nobody waiting keep their bytes, and
// once READ_AHEAD bytes are kept the reading stops (the callback returns
// `false`). While nobody reads, the kernel's receive queue then fills and
// the peer's writes stall, as with a blocking socket nobody calls `recv` on.
// Bytes go from the kernel into the shared staging buffer and from there
// into the caller's `p` (`readInto`), or into a copy of exactly those bytes
// in the engine's buffer pool (`readChunk`, and bytes kept): one copy. The
// staging buffer is shared by every connection: each callback empties it
// before the runtime reads again. It holds 256 KiB (Node's own reads are
// 64 KiB): a runtime read takes what the kernel has, up to that, as
// CPython's `recv(n)` takes up to `n`; Linux opens the receive window by
// what each read frees, and 64 KiB reads kept a peer's timed send waiting
// for room several times longer than CPython's reader did.
//
// The socket keeps the process alive only while a read is asked: the
// reading ahead that nobody waits for does not, as an open socket nobody
// is blocked on does not keep a Python program running. (A write, a
// connect or a shutdown in flight keeps it alive anyway: libuv counts its
// request.)

import type { RawAddr, RawConn } from "../types.ts";
import { errnoError } from "./uv_error.ts";
import { PullRead } from "./pull_read.ts";
import { copyHeld, copyOut } from "../../_io/pool.ts";
import { builtin } from "./builtin.ts";

/**
 * A chunk read's most: all of a chunk, never a part of it (`wholeChunks`:
 * a small part would keep all of its memory alive). A small integer, not
 * `Infinity`: V8 keeps the read's field of it a small integer then.
 */
const WHOLE = 0x3fff_ffff;

type Socket = import("node:net").Socket;
type Fs = typeof import("node:fs");

/** The part of a libuv stream handle (`TCPWrap`, `PipeWrap`) used here. */
interface StreamHandle {
  reading: boolean;
  /** Bytes of the writes handed to the handle that the kernel has not taken. */
  readonly writeQueueSize?: number;
  readStart(): number;
  close(): void;
  ref(): void;
  unref(): void;
  readonly fd: number;
}

/** How much one runtime read can bring. */
const STAGE_SIZE = 256 * 1024;

let stage: Uint8Array | undefined;

/** The staging buffer every connection reads into, made on first use. */
function staging(): Uint8Array {
  return stage ??= new Uint8Array(STAGE_SIZE);
}

/** The addresses until {@linkcode NodeConn.addresses} gives them. */
const NO_ADDR: RawAddr = Object.freeze({ path: null });

/**
 * Options for a `net.Socket` that reads through {@linkcode NodeConn} (an
 * accepted socket's, in `net.ts`, names each one).
 */
export interface ConnSocketOptions {
  allowHalfOpen: true;
  onread: {
    buffer: Uint8Array;
    callback: (n: number, buf: Uint8Array) => boolean;
  };
}

/**
 * The pull reader of one socket: made before the socket (its `onread`
 * must be given to the constructor), bound to it after.
 */
export class NodeConn implements RawConn {
  /** See `RawConn.arrival`. */
  arrival?: unknown;
  #socket!: Socket;
  #local: RawAddr = NO_ADDR;
  #remote: RawAddr = NO_ADDR;
  /**
   * A chunk read's result is copied into the engine's buffer pool: the
   * results' slab, or held memory for bytes kept and a read ahead.
   */
  #read = new PullRead(false, copyOut, copyHeld);
  /** The error the last write was told of (not told twice). */
  #writeError: unknown = null;
  #closed = false;
  /** The socket is ref'd: a read was asked and is not yet answered. */
  #held = false;
  #writeResolve: ((n: number) => void) | null = null;
  #writeReject: ((err: unknown) => void) | null = null;
  #writeLength = 0;
  /**
   * A blocking send()'s most per write (`RawConn.writePart`): a failed
   * write's callback tells no count, and what the kernel took of it is
   * known only until then (`#sample`); a part this small goes whole or not
   * at all to a Unix socket (one buffer of the kernel's).
   */
  readonly writePart: number = 64 * 1024;
  /** The handle the write in flight went to, and its queue before it. */
  #writeHandle: StreamHandle | null = null;
  #writeBase = 0;
  /**
   * Bytes of the write in flight the kernel had taken when last looked
   * at (`#sample`): its count, should it fail.
   */
  #writeTaken = 0;
  /**
   * The failure of a write that the kernel had taken part of: that write
   * resolved with its count, and the next one fails with this (Linux's
   * send that sent some returns the count; the next call raises).
   */
  #writeFailure: unknown = null;
  /** The error the socket was torn down with that a read took (`#gone`). */
  #readError: unknown = null;
  /**
   * Callbacks still to come of writes that resolved at once (a close()
   * meanwhile destroys the socket after the last of them).
   */
  #skip = 0;

  /** The options that make a `net.Socket` read through this. */
  readonly socketOptions: ConnSocketOptions = {
    allowHalfOpen: true,
    onread: { buffer: staging(), callback: (n, buf) => this.#onread(n, buf) },
  };

  /**
   * Binds the reader to its socket (once it exists), with its addresses.
   *
   * @param socket The socket made with {@linkcode socketOptions}.
   */
  attach(socket: Socket): void {
    this.#socket = socket;
    socket.unref();
    socket.on("end", this.#onEnd);
    socket.on("error", this.#onError);
    socket.on("close", this.#onClose);
  }

  /** Reads the addresses, once connected (they outlive the socket). */
  addresses(local: RawAddr, remote: RawAddr): void {
    this.#local = local;
    this.#remote = remote;
  }

  get localAddr(): RawAddr {
    return this.#local;
  }

  get remoteAddr(): RawAddr {
    return this.#remote;
  }

  get fd(): number | undefined {
    const fd = (this.#socket as unknown as { _handle?: StreamHandle })._handle
      ?.fd;
    return typeof fd === "number" && fd >= 0 ? fd : undefined;
  }

  read(p: Uint8Array): Promise<number | null> {
    return new Promise((resolve, reject) => this.readInto(p, resolve, reject));
  }

  readNow(p: Uint8Array): number | undefined {
    return this.#read.take(p);
  }

  readInto(
    p: Uint8Array,
    done: (n: number | null) => void,
    failed: (err: unknown) => void,
    ahead = false,
  ): void {
    const handle = this.#handle();
    if (this.#read.begin(p, done, failed, this.#gone(handle))) {
      this.#start(handle, ahead);
    }
  }

  readPlaced(
    place: (n: number) => Uint8Array,
    done: (n: number | null) => void,
    failed: (err: unknown) => void,
    ahead = false,
  ): void {
    const handle = this.#handle();
    if (this.#read.beginPlaced(place, done, failed, this.#gone(handle))) {
      this.#start(handle, ahead);
    }
  }

  /**
   * A read whose result is a copy of the staging buffer's bytes in the
   * engine's pool: exactly as many as came, with no buffer of the caller's
   * to read into first.
   */
  readChunk(
    _max: number,
    done: (chunk: Uint8Array | null) => void,
    failed: (err: unknown) => void,
    ahead = false,
  ): void {
    const handle = this.#handle();
    // (Whole chunks: `max` is a hint.)
    if (
      this.#read.beginChunk(WHOLE, done, failed, this.#gone(handle), ahead)
    ) {
      this.#start(handle, ahead);
    }
  }

  /**
   * Whether a read finds the socket gone (its end): torn down by the
   * runtime, unless a failed write's end is held (`#failedWrite`), which
   * the read waits for. Torn down by an error nobody was told of, the
   * read fails with it: Deno's `node:net` tears the socket down as its
   * read meets the peer's reset after the last bytes, and emits `'error'`
   * only later (`#onError` then tells nobody again).
   */
  #gone(handle: StreamHandle | null | undefined): boolean {
    if (handle != null || this.#ending !== null) return false;
    const err = this.#socket.errored;
    if (err != null && err !== this.#writeError && err !== this.#readError) {
      this.#readError = err;
      this.#read.fail(err);
    }
    return true;
  }

  readonly chunksCopied = true;

  readonly wholeChunks = true;

  takeChunk(_max: number): Uint8Array | undefined {
    // What is kept is copies of ours: handed over as they are, whole.
    return this.#read.takeChunk(WHOLE);
  }

  /**
   * The socket's libuv handle; none once torn down by the runtime after
   * the end of stream and the end of writing (Node destroys a half-open
   * socket once both are done): gone.
   */
  #handle(): StreamHandle | null | undefined {
    return (this.#socket as unknown as { _handle?: StreamHandle | null })
      ._handle;
  }

  /**
   * Starts the runtime reading, unless it is; a read is asked: the socket
   * keeps the process alive until it is answered, unless it is a read
   * ahead, which nobody waits on (not held and released again each time).
   */
  #start(handle: StreamHandle | null | undefined, ahead: boolean): void {
    // (None: a read waiting for a failed write's end, held.)
    if (handle == null) return;
    this.#hold(!ahead, handle);
    if (!handle.reading) {
      handle.reading = true;
      const status = handle.readStart();
      if (status !== 0) this.#socket.destroy(errnoError("EBADF", "read"));
    }
  }

  waiting(on: boolean): void {
    // (The read asked stays asked; it keeps the process alive only while
    // someone waits on it.)
    this.#hold(on);
  }

  /**
   * Refs or unrefs the handle (a handle the runtime tore down keeps
   * nothing alive).
   */
  #hold(on: boolean, handle = this.#handle()): void {
    if (on === this.#held) return;
    this.#held = on;
    if (on) handle?.ref();
    else if (this.#writeResolve === null) handle?.unref();
  }

  /** The runtime read `n` bytes into the staging buffer. */
  #onread(n: number, buf: Uint8Array): boolean {
    // Returning `false` stops the reading until a read asks again.
    const more = this.#read.deliver(buf, n, false);
    if (this.#held) this.#release();
    return more;
  }

  /**
   * The read asked was answered (and no other asked since, perhaps by its
   * own caller): reading on ahead no longer keeps the process alive.
   */
  #release(): void {
    if (!this.#read.reading) this.#hold(false);
  }

  #onEnd = (): void => {
    this.#sample();
    // libuv tells of an end of stream after a short read on a hang-up
    // without asking the kernel (uv__stream_io), which may hold a reset
    // instead (the peer closed with bytes unread): the kernel is asked.
    const end = this.#salvage();
    if (end === null) this.#read.end();
    else end();
    if (this.#held) this.#release();
  };

  #onError = (err: unknown): void => {
    // (Told before the failed write's callback, as the end is: Node's read
    // met the reset.)
    this.#sample();
    if (err !== this.#writeError && err !== this.#readError) {
      this.#read.fail(err);
    }
    if (this.#held) this.#release();
  };

  // Torn down with no error and no end of stream (a reset we caused, or a
  // socket destroyed under us): a read in flight ends.
  #onClose = (): void => {
    this.#ending?.();
    this.#read.settle(null);
    if (this.#held) this.#release();
  };

  write(p: Uint8Array): Promise<number> {
    const n = this.writeNow(p);
    return typeof n === "number" ? Promise.resolve(n) : n;
  }

  writeNow(p: Uint8Array): number | Promise<number> {
    if (this.#closed) return Promise.reject(errnoError("EBADF", "write"));
    const failure = this.#writeFailure;
    if (failure !== null) {
      this.#writeFailure = null;
      return Promise.reject(failure);
    }
    const socket = this.#socket;
    this.#writeLength = p.length;
    const handle = this.#handle();
    this.#writeHandle = handle ?? null;
    this.#writeBase = handle?.writeQueueSize ?? 0;
    this.#writeTaken = 0;
    if (socket.writableLength === 0) {
      socket.write(p, this.#written);
      // The kernel took it all at once (libuv's write was synchronous):
      // done now; the callback, a tick later, finds nobody waiting.
      const failed = socket.errored;
      if (failed == null) {
        if (socket.writableLength === 0 && !socket.destroyed) {
          this.#skip++;
          return p.length;
        }
        // What libuv's try-write took at once; the rest waits for room.
        this.#sample();
      } else {
        // The write failed at once (libuv's try-write met EPIPE or a
        // reset): told now, as the kernel tells a send, not a tick later
        // (when sends made meanwhile would each have returned a count).
        // Its callback comes then, for nobody.
        this.#skip++;
        this.#failedWrite(failed);
        return Promise.reject(failed);
      }
    } else {
      socket.write(p, this.#written);
      // (Buffered by Node behind another write: its handle's queue does
      // not tell of it.)
      this.#writeHandle = null;
    }
    const { promise, resolve, reject } = Promise.withResolvers<number>();
    this.#writeResolve = resolve;
    this.#writeReject = reject;
    // A write waiting keeps the process alive: libuv counts its request,
    // Deno's node:net does not (an unref'd socket's write waits for no one).
    if (!this.#held) this.#handle()?.ref();
    return promise;
  }

  /**
   * Looks at how much of the write in flight the kernel has taken: its
   * length less what waits in the handle's queue (libuv takes each part
   * the kernel accepts off it at once). Only before its callback: libuv
   * takes the rest of a failed write off the queue before it calls back.
   */
  #sample(): void {
    const queued = this.#writeHandle?.writeQueueSize;
    if (typeof queued !== "number") return;
    const left = Math.max(queued - this.#writeBase, 0);
    this.#writeTaken = Math.max(this.#writeLength - left, 0);
  }

  #written = (err?: Error | null): void => {
    // The callback of a write that was done at once (callbacks come in
    // order of the writes).
    if (this.#skip > 0) {
      this.#skip--;
      if (this.#skip === 0 && this.#closed) {
        // Once Node's bookkeeping of this write is over (see close()).
        queueMicrotask(() => this.#socket.destroy());
      }
      return;
    }
    const resolve = this.#writeResolve;
    const reject = this.#writeReject;
    const taken = this.#writeTaken;
    this.#writeResolve = this.#writeReject = null;
    this.#writeHandle = null;
    if (!this.#held) this.#handle()?.unref();
    if (err) {
      // ECANCELED: Node cancelled the write as its read met the peer's
      // reset. That reset was Linux's one pending error, which the sender
      // waiting gets (ECONNRESET, not EPIPE); a receive then finds the end.
      const error = (err as { code?: unknown }).code === "ECANCELED"
        ? this.#read.takeError() ?? err
        : err;
      this.#failedWrite(error);
      if (this.#closed) reject?.(errnoError("EBADF", "write"));
      else if (taken > 0) {
        // The kernel had taken part of it: that count, as Linux's send
        // returns; the next write fails.
        this.#writeFailure = error;
        resolve?.(taken);
      } else reject?.(error);
    } else resolve?.(this.#writeLength);
  };

  /**
   * A write failed: the writer is told; the reader is not told again. Node
   * destroys the socket for it (its descriptor closed, a tick later at
   * most), which would drop what the kernel still holds for the reader:
   * the peer's answer before it closed, readable on Linux after the failed
   * send. So that is read now, while the descriptor is open. The end that
   * follows it waits until the writer has been told (its promise settles
   * in a microtask): a receive waiting now must not report the end of
   * stream as if it had come before the failure (the writer's error, not
   * yet told, goes to the receive that finds the end).
   */
  #failedWrite(err: unknown): void {
    this.#writeError = err;
    this.#read.forget(err);
    const end = this.#salvage();
    if (end === null) return;
    let done = false;
    const ending = () => {
      if (done) return;
      done = true;
      this.#ending = null;
      end();
    };
    this.#ending = ending;
    // (Or at the socket's close, should that come first.)
    setTimeout(ending, 0);
  }

  /** The end a failed write found, held for the reader (`#failedWrite`). */
  #ending: (() => void) | null = null;

  /**
   * Reads what the kernel holds for the socket into the reader's keeping.
   * The kernel's reading side has ended with the failed write (a reset, or
   * the peer gone), so all is there already; where it has not (a Unix peer
   * that only shut its reading side), what came is kept, and the reads
   * after it find the end (Node closes the socket). Only where the runtime
   * tells the descriptor (not Deno's `node:net`).
   *
   * @returns What ends the stream after the bytes, to be told (the end of
   * stream, or the error the kernel reports after them: a Unix peer that
   * closed with bytes unread, `ECONNRESET`), or `null` where the kernel
   * has none to tell yet.
   */
  #salvage(): (() => void) | null {
    const fd = this.fd;
    if (fd === undefined || this.#closed) return null;
    const fs = builtin<Fs>("node:fs");
    const buf = staging();
    for (;;) {
      let n: number;
      try {
        n = fs.readSync(fd, buf, 0, buf.length, null);
      } catch (err) {
        // EAGAIN: nothing more now (the kernel's reading side is open).
        if ((err as { code?: unknown }).code === "EAGAIN") return null;
        return () => this.#read.fail(err);
      }
      if (n === 0) return () => this.#read.end();
      this.#read.deliver(buf, n, false);
    }
  }

  closeWrite(): Promise<void> {
    if (this.#closed) return Promise.reject(errnoError("EBADF", "shutdown"));
    const socket = this.#socket;
    if (socket.destroyed) return Promise.resolve();
    // The shutdown waiting keeps the process alive, as a write's does
    // (Deno's node:net keeps an unref'd socket's end waiting for no one).
    if (!this.#held) this.#handle()?.ref();
    return new Promise((resolve, reject) => {
      socket.end((err?: Error | null) => {
        if (!this.#held && this.#writeResolve === null) {
          this.#handle()?.unref();
        }
        if (err && err !== this.#writeError && !this.#closed) reject(err);
        else resolve();
      });
    });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#cancel();
    // close(2): the kernel sends what it holds, then FIN. The kernel has
    // every byte written; but a socket destroyed before the callback of a
    // write done at once has come makes Node 24 build an error for nobody
    // (ERR_STREAM_DESTROYED, with its stack: a tenth of a connection's
    // cost on a server that sends and closes), so the socket waits for
    // that tick. Its descriptor does not: closed now, as CPython's close()
    // does, the peer gets the FIN before anything it sends after this
    // (else bytes it sent meanwhile would be unread at the close, which
    // the kernel answers with a reset).
    if (this.#skip === 0) this.#socket.destroy();
    else this.#handle()?.close();
  }

  reset(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#cancel();
    const socket = this.#socket as Socket & { resetAndDestroy?(): Socket };
    try {
      socket.resetAndDestroy!();
    } catch {
      // Not a TCP socket (a Unix one): a plain close.
      socket.destroy();
    }
  }

  /** A read or write in flight is cancelled by close(): EBADF. */
  #cancel(): void {
    this.#read.cancel();
    const writeReject = this.#writeReject;
    if (writeReject !== null) {
      this.#writeResolve = this.#writeReject = null;
      writeReject(errnoError("EBADF", "write"));
    }
  }

  setNoDelay(on: boolean): void {
    this.#socket.setNoDelay(on);
  }

  setKeepAlive(on: boolean, idleSeconds?: number): void {
    this.#socket.setKeepAlive(
      on,
      idleSeconds === undefined ? 0 : idleSeconds * 1000,
    );
  }
}

/**
 * A `net.Socket` address pair → the contract's (Unix: the known path).
 * An address known already (`local`: a connection accepted on a listener
 * bound to one address; `remote`: the IPv4 address connected to) saves
 * asking the kernel (`getsockname`, `getpeername`). A peer the runtime
 * cannot tell (a connection reset before it was accepted) is `("", 0)`:
 * the socket has none (`getpeername()` raises ENOTCONN).
 */
export function socketAddrs(
  socket: Socket,
  unixLocal: string | null,
  unixRemote: string | null,
  unix: boolean,
  local: RawAddr | null = null,
  remote: RawAddr | null = null,
): [RawAddr, RawAddr] {
  if (unix) return [{ path: unixLocal }, { path: unixRemote }];
  return [
    local ??
      { hostname: socket.localAddress ?? "", port: socket.localPort ?? 0 },
    remote ??
      { hostname: socket.remoteAddress ?? "", port: socket.remotePort ?? 0 },
  ];
}

/**
 * A connection over a socket made by `make` with the reader's options.
 *
 * @param make Makes the socket from the options (`new net.Socket(...)`).
 * @returns The connection and its socket.
 */
export function nodeConn(
  make: (options: ConnSocketOptions) => Socket,
): [NodeConn, Socket] {
  const conn = new NodeConn();
  const socket = make(conn.socketOptions);
  conn.attach(socket);
  return [conn, socket];
}
