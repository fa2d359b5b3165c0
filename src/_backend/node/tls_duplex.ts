// Copyright the pysocket authors. MIT license.
// The engine's connection as a `node:stream` Duplex, for `node:tls` to run
// over (Node, Bun, and Deno's `node:tls`): what the plain reader held is
// read first, then the connection, one read at a time, only when TLS asks.
//
// The reading side follows TLS's record framing. Bytes that do not start a
// TLS record where one must start (plain text after the peer's
// `close_notify`, as in a STARTTLS protocol that drops TLS again) are held
// back until it is known whether TLS has ended: if it has, they are what
// `unwrap()` hands back; if not, TLS gets them (and reports its error).

import type { RawConn, TlsReceived } from "../types.ts";
import { builtin } from "./builtin.ts";
import { freeChunk } from "./free_chunk.ts";

type Stream = typeof import("node:stream");
type Duplex = import("node:stream").Duplex;

/** How much one read of the connection asks for. */
const READ_SIZE = 64 * 1024;

/**
 * Read buffers no duplex uses any more, for the next connection's reads: a
 * new one is zero-filled memory the process has to map, a cost paid per
 * connection otherwise (a TLS handshake reads a few kilobytes). At most
 * FREE_BUFFERS are kept.
 */
const freeBuffers: Uint8Array[] = [];
const FREE_BUFFERS = 16;

/** A read buffer: one given back, else a new one. */
function readBuffer(): Uint8Array {
  return freeBuffers.pop() ?? new Uint8Array(READ_SIZE);
}

/** Gives back a read buffer nothing refers to. */
function giveBack(buf: Uint8Array): void {
  if (freeBuffers.length < FREE_BUFFERS) freeBuffers.push(buf);
}

/** The largest TLS record (2^14 + 2048 of ciphertext expansion), and header. */
const MAX_RECORD = 16384 + 2048;
const HEADER = 5;

/** How the connection's reading side ended, as far as TLS is concerned. */
export type RawEnd = null | "eof" | { error: unknown };

/**
 * Does `bytes` (from `at`, `n` of them known) look like the start of a TLS
 * record header? Checks as many of the 5 header bytes as there are.
 */
function plausibleHeader(bytes: Uint8Array, at: number, n: number): boolean {
  const type = bytes[at];
  if (type < 20 || type > 24) return false;
  if (n >= 2 && bytes[at + 1] !== 3) return false;
  if (n >= 3 && bytes[at + 2] > 4) return false;
  if (n >= 5 && ((bytes[at + 3] << 8) | bytes[at + 4]) > MAX_RECORD) {
    return false;
  }
  return true;
}

/**
 * A Duplex over a `RawConn`. `tlsEnded` tells whether the TLS layer over it
 * has seen its end (then held-back bytes stay held for `unwrap`).
 */
export class ConnDuplex {
  readonly stream: Duplex;
  #conn: RawConn;
  #received: TlsReceived | null;
  #reading = false;
  /** A read of the connection in flight, if any. */
  #inFlight: Promise<Uint8Array | null> | null = null;
  /** Bytes left of the record being read (0: at a record boundary). */
  #recordLeft = 0;
  /** A partial record header at the end of the last chunk. */
  #header = new Uint8Array(HEADER);
  #headerLength = 0;
  /** Bytes held back: they may be plain text after TLS ended. */
  #held: Uint8Array[] = [];
  /** Records are followed (off once TLS was given bytes that are none). */
  #framing = true;
  /** The reading side stopped for good: TLS ended, or unwrap took over. */
  #stopped = false;
  /** No more writes reach the connection's end (unwrap: keep it open). */
  #keepOpen = false;
  /**
   * TLS's end ends the connection for writing only when asked to
   * (`shutdown(SHUT_WR)`): Bun's TLS ends itself at the peer's
   * close_notify, where OpenSSL leaves the connection to the program
   * (`unwrap()` carries on in plain text).
   */
  #endAsked = false;
  #connEnded = false;
  #end: RawEnd = null;
  /** The end of stream waiting for its turn to reach TLS (`#eof`). */
  #endTimer: ReturnType<typeof setTimeout> | undefined = undefined;
  #first = "";
  /** The write to the connection in flight, if any. */
  #writing: Promise<void> | null = null;
  /** How the connection's writing side failed (`null`: it has not). */
  #writeEnd: RawEnd = null;
  /** A failed write leaves the reading side be (`holdWriteErrors`). */
  #holdWriteErrors = false;
  #tlsEnded: () => boolean = () => false;
  #tlsEndedFirst = false;
  /**
   * Whether TLS's reader wants more: while not, a read TLS asks for waits
   * (`#parked`) until `release()`. Deno's and Bun's TLS read their
   * transport as long as it gives, whether or not the cleartext is read.
   */
  #wants: () => boolean = () => true;
  #parked = false;
  /**
   * The buffer of the connection's last read, and the same once TLS took
   * all its bytes as they were pushed (the runtimes' TLS copies a pushed
   * chunk as it is pushed, when it is not paused): the next read reuses it.
   * Were a runtime to read a chunk later, TLS's record MAC would fail on
   * the bytes overwritten: a loud error, never a silent one.
   */
  #buffer: Uint8Array | null = null;
  #spare: Uint8Array | null = null;

  /** Free each written chunk's memory (`TlsCapabilities.freeChunks`). */
  #freeWrites: boolean;
  /** The most pushed to TLS at once (`TlsCapabilities.pushMax`; 0: all). */
  #pushMax: number;

  /**
   * @param conn The connection.
   * @param received What its plain reader held: read first.
   * @param freeWrites The chunks TLS writes are copies of their own: free
   * each once the connection has taken it.
   * @param pushMax The most bytes handed to TLS in one piece (0: a chunk
   * as it was read).
   */
  constructor(
    conn: RawConn,
    received: TlsReceived,
    freeWrites = false,
    pushMax = 0,
  ) {
    this.#conn = conn;
    this.#freeWrites = freeWrites;
    this.#pushMax = pushMax;
    this.#received = received.buffered.length > 0 || received.inFlight
      ? received
      : null;
    const { Duplex } = builtin<Stream>("node:stream");
    this.stream = new Duplex({
      allowHalfOpen: true,
      read: () => this.#read(),
      write: (chunk: Uint8Array, _enc: string, cb: (e?: Error) => void) =>
        this.#write(chunk, cb),
      writev: undefined,
      final: (cb: (e?: Error) => void) => this.#final(cb),
      destroy: (err: Error | null, cb: (e: Error | null) => void) => {
        if (this.#endTimer !== undefined) this.#eof();
        // TLS took every byte of the spare buffer: nothing reads it now.
        if (this.#spare !== null) giveBack(this.#spare);
        this.#spare = null;
        cb(err);
      },
    });
  }

  /** How the reading side ended (`null`: it has not). */
  get end(): RawEnd {
    return this.#end;
  }

  /**
   * The error a write of the connection failed with (`null`: none has).
   * Deno's TLS calls its writes back before the duplex has written them,
   * and takes more once the duplex has failed: the TLS connection fails
   * its writes itself from then on.
   */
  get writeEnd(): RawEnd {
    return this.#writeEnd;
  }

  /**
   * From now on (TLS is up), a write of the connection that fails does not
   * fail the duplex: it is kept in {@linkcode ConnDuplex.writeEnd} (the TLS
   * connection fails its writes with it), what TLS writes next is dropped,
   * and the reading side goes on, as the kernel's does: what the peer sent
   * before its reset stays readable (an HTTP server's "413" answer to an
   * upload it did not read). A failure would end both sides at once.
   */
  holdWriteErrors(): void {
    this.#holdWriteErrors = true;
  }

  /** The first bytes TLS was given, as latin-1 text (at most 8). */
  get firstBytes(): string {
    return this.#first;
  }

  /**
   * TLS had ended (the peer's `close_notify`) before the stream's end of
   * stream reached it.
   */
  get tlsEndedFirst(): boolean {
    return this.#tlsEndedFirst;
  }

  /** Tells the duplex whether the cleartext's reader wants more. */
  set wants(probe: () => boolean) {
    this.#wants = probe;
  }

  /** The cleartext's reader wants more again: a parked read goes on. */
  release(): void {
    if (!this.#parked) return;
    this.#parked = false;
    this.#read();
  }

  /** Tells the duplex how to know that TLS has ended (its `close_notify`). */
  set tlsEnded(probe: () => boolean) {
    this.#tlsEnded = probe;
  }

  #read(): void {
    if (this.#reading || this.#stopped) return;
    if (!this.#wants()) {
      this.#parked = true;
      return;
    }
    this.#reading = true;
    this.#next().then(
      (chunk) => {
        this.#reading = false;
        if (this.#stopped) {
          if (chunk !== null) this.#held.push(chunk);
          return;
        }
        if (chunk === null) {
          // Give TLS a turn to finish what it was given, then tell whether
          // it had ended (the peer's close_notify) before the stream did;
          // at once where the duplex is destroyed (closed): no timer
          // outlives the connection.
          if (this.stream.destroyed) this.#eof();
          else this.#endTimer = setTimeout(() => this.#eof(), 0);
          return;
        }
        this.#deliver(chunk);
      },
      (error) => {
        this.#reading = false;
        this.#end = { error };
        if (!this.#stopped) this.stream.destroy(error as Error);
      },
    );
  }

  /** The end of stream reaches TLS (`#endTimer`: a turn after it came). */
  #eof(): void {
    clearTimeout(this.#endTimer);
    this.#endTimer = undefined;
    this.#tlsEndedFirst = this.#tlsEnded();
    this.#end = "eof";
    if (!this.stream.destroyed) this.stream.push(null);
  }

  /** The next bytes: what the plain reader held, then the connection. */
  async #next(): Promise<Uint8Array | null> {
    const received = this.#received;
    if (received !== null) {
      const first = received.buffered.shift();
      if (first !== undefined) return first;
      const inFlight = received.inFlight;
      this.#received = null;
      if (inFlight !== null) {
        const chunk = await inFlight;
        // A read that failed or ended hands over nothing: read again.
        if (chunk !== null && chunk.length > 0) return chunk;
      }
    }
    const buf = this.#spare ?? readBuffer();
    this.#spare = null;
    this.#buffer = buf;
    const read = this.#conn.read(buf);
    // A read that brought nothing leaves its buffer unused.
    this.#inFlight = read.then((n) => {
      if (n !== null) return buf.subarray(0, n);
      this.#unused(buf);
      return null;
    }, (err) => {
      this.#unused(buf);
      throw err;
    });
    try {
      return await this.#inFlight;
    } finally {
      this.#inFlight = null;
    }
  }

  /** `buf` holds nothing anyone reads: the next connection may use it. */
  #unused(buf: Uint8Array): void {
    if (this.#buffer === buf) this.#buffer = null;
    giveBack(buf);
  }

  /**
   * Pushes `chunk` to TLS up to the first place where a record should start
   * and does not; that rest waits until TLS has had a turn to end.
   */
  #deliver(chunk: Uint8Array): void {
    if (this.#first === "") {
      this.#first = String.fromCharCode(...chunk.subarray(0, 8));
    }
    const cut = this.#framing ? this.#recordEnd(chunk) : chunk.length;
    if (cut === chunk.length) {
      this.#push(chunk);
      // TLS took the bytes as they were pushed: their buffer is free.
      const buffer = this.#buffer;
      if (
        buffer !== null && chunk.buffer === buffer.buffer &&
        this.stream.readableLength === 0
      ) {
        this.#spare = buffer;
      }
      return;
    }
    if (cut > 0) this.#push(chunk.subarray(0, cut));
    this.#held.push(chunk.subarray(cut));
    this.#stopped = true;
    // TLS has now processed every record before: has it ended?
    setTimeout(() => {
      if (this.#tlsEnded() || this.#keepOpen) return;
      this.#stopped = false;
      const held = this.#held;
      this.#held = [];
      // TLS fails on them, with its own error.
      this.#framing = false;
      for (const bytes of held) this.stream.push(bytes);
    }, 0);
  }

  /** Hands `bytes` to TLS, in pieces of at most `#pushMax` where set. */
  #push(bytes: Uint8Array): void {
    const max = this.#pushMax;
    if (max === 0 || bytes.length <= max) {
      this.stream.push(bytes);
      return;
    }
    for (let at = 0; at < bytes.length; at += max) {
      this.stream.push(bytes.subarray(at, Math.min(at + max, bytes.length)));
    }
  }

  /**
   * Walks TLS record headers through `chunk`: the offset of the first
   * record boundary whose bytes cannot start a record (`chunk.length` if
   * none).
   */
  #recordEnd(chunk: Uint8Array): number {
    let at = 0;
    const n = chunk.length;
    while (at < n) {
      if (this.#recordLeft > 0) {
        const k = Math.min(this.#recordLeft, n - at);
        this.#recordLeft -= k;
        at += k;
        continue;
      }
      // At a record boundary: complete the header.
      const need = HEADER - this.#headerLength;
      const have = Math.min(need, n - at);
      this.#header.set(chunk.subarray(at, at + have), this.#headerLength);
      const known = this.#headerLength + have;
      if (!plausibleHeader(this.#header, 0, known)) {
        // Only bytes of this chunk can be held back.
        this.#headerLength = 0;
        return at;
      }
      this.#headerLength = known;
      at += have;
      if (known === HEADER) {
        this.#headerLength = 0;
        this.#recordLeft = (this.#header[3] << 8) | this.#header[4];
      }
    }
    return n;
  }

  #write(chunk: Uint8Array, cb: (e?: Error) => void): void {
    // The connection failed for writing: the bytes go nowhere, as TLS's
    // writer is told (`writeEnd`).
    if (this.#writeEnd !== null && this.#holdWriteErrors) {
      cb();
      return;
    }
    const conn = this.#conn;
    const { promise, resolve } = Promise.withResolvers<void>();
    this.#writing = promise;
    const done = (err?: Error, written = err === undefined) => {
      if (this.#writing === promise) this.#writing = null;
      if (written && this.#freeWrites) freeChunk(chunk);
      resolve();
      cb(err);
    };
    const next = (offset: number): void => {
      conn.write(offset === 0 ? chunk : chunk.subarray(offset)).then(
        (k) => offset + k < chunk.length ? next(offset + k) : done(),
        (err) => {
          this.#writeEnd ??= { error: err };
          if (this.#holdWriteErrors) done(undefined, false);
          else done(err as Error);
        },
      );
    };
    next(0);
  }

  /**
   * Calls `go` once at most READ_SIZE bytes TLS wrote wait for the
   * connection (at once if so already, or if the duplex is gone). Bun's TLS
   * calls a write back before the duplex has written it, and writes on
   * without waiting for it: a writer that waits for this is held back by
   * the connection, as the kernel's send buffer holds back a writer.
   */
  afterWrites(go: () => void): void {
    const stream = this.stream;
    if (stream.writableLength <= READ_SIZE || stream.destroyed) {
      go();
      return;
    }
    const done = () => {
      stream.off("drain", done);
      stream.off("close", done);
      go();
    };
    stream.on("drain", done);
    stream.on("close", done);
  }

  /**
   * Settles once what TLS wrote so far has reached the connection (a
   * failed handshake's alert, before the connection closes), or after
   * `ms`.
   */
  async flushed(ms = 1000): Promise<void> {
    // TLS writes its alert as it fails: let it reach the duplex first.
    await new Promise((resolve) => setTimeout(resolve, 0));
    const writing = this.#writing;
    if (writing === null) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      writing,
      new Promise<void>((resolve) => timer = setTimeout(resolve, ms)),
    ]);
    clearTimeout(timer);
  }

  #final(cb: (e?: Error) => void): void {
    if (this.#keepOpen || !this.#endAsked) {
      cb();
      return;
    }
    this.endConn().then(() => cb(), (err) => cb(err as Error));
  }

  /**
   * The program asks for the end (`shutdown(SHUT_WR)`): the end TLS writes
   * next ends the connection for writing, or, where TLS has ended already,
   * {@linkcode ConnDuplex.endConn} does now.
   */
  askEnd(): void {
    this.#endAsked = true;
  }

  /** Ends the connection for writing (once; not after `takeBack`). */
  endConn(): Promise<void> {
    if (this.#keepOpen || this.#connEnded) return Promise.resolve();
    this.#connEnded = true;
    return this.#conn.closeWrite();
  }

  /**
   * Stops: no more reads for TLS, and ending TLS will not end the
   * connection. What was read and held back, and the read in flight, are
   * the plain stream's from now on.
   *
   * @returns The held bytes and the read in flight.
   */
  takeBack(): TlsReceived {
    this.#stopped = true;
    this.#keepOpen = true;
    const held = this.#held;
    this.#held = [];
    const inFlight = this.#inFlight;
    return {
      buffered: held,
      // What the read in flight brings goes to the plain side (#read keeps
      // it in #held, too late: hand the promise itself over).
      inFlight: inFlight === null ? null : inFlight.catch(() => null),
    };
  }

  /** Writes end without ending the connection (unwrap is in progress). */
  keepOpen(): void {
    this.#keepOpen = true;
  }
}
