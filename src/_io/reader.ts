// Copyright the pysocket authors. MIT license.
// The reading side of a stream connection: `recv` and `recv_into` served in
// order from one runtime read at a time, with timeouts and non-blocking
// calls that lose nothing, and readiness observed without consuming.
//
// A runtime read cannot be cancelled. So it never reads into a caller's
// buffer (a caller may give up, or the socket may be shut down, while it is
// in flight): it reads into a buffer of the reader's own (or takes the
// runtime's own chunk, where its reads are memory of their own), and what
// it brings goes to the caller waiting then, or stays buffered for the next
// call.

import { Waiting } from "./waiting.ts";
import { BlockingIOError, errnoError } from "../socket/errors.ts";
import { mapError } from "./boundary.ts";
import { isDetached, releasedError } from "../_py/pytype.ts";
import { waitAfterTurn, type WaitMs, WaitQueue } from "./pending.ts";
import type { RawConn } from "../_backend/mod.ts";
import { copyHeld, copyOut, keep, lease, pins, POOLED_MAX } from "./pool.ts";
import { shiftFirst } from "./shift_first.ts";
import { ERROR, HANGUP, READ_HANGUP } from "./readiness.ts";

const EMPTY = new Uint8Array(0);
const ebadf = () => errnoError("EBADF");
const noop = () => {};

/** The largest single read; `recv(n)` may return fewer bytes, as in C. */
const MAX_READ = 256 * 1024;

/**
 * How much one read asks for when nobody waits (readiness was asked, or a
 * peek): small, since many idle connections may each have one in flight.
 */
const AHEAD_READ = 16 * 1024;

/**
 * A `recv` of this much or more is a bulk transfer: one read asks for
 * MAX_READ, and the next calls are served from it without a copy (fewer
 * runtime reads and buffers than one per call).
 */
const BULK_READ = 64 * 1024;

/**
 * Whose memory a read's bytes are in: the reader's own buffer (copied out
 * unless the read half filled it), a lease of the held slab (`pool.ts`:
 * copied out), or the runtime's chunk, handed over (`RawConn.readChunk`):
 * the result as it is; or a chunk the connection copied into held memory
 * (`chunksCopied`: bytes it kept, or read ahead): copied out when small;
 * or the waiting `recv_into`'s own buffer, chosen as the bytes came
 * (`RawConn.readPlaced`): nothing more to copy.
 *
 * No result shares an `ArrayBuffer` with bytes still held (a caller may
 * transfer a result's buffer away, detaching all that shares it): a
 * buffered chunk of up to `POOLED_MAX` bytes may be held memory, and is
 * copied out when handed over; a larger one is an `ArrayBuffer` of its
 * own, whose bytes handed over leave it (the smaller side of a split is
 * copied).
 */
type Memory = "scratch" | "leased" | "owned" | "held" | "placed";

/** One `recv`-family call: `into` is `recv_into`'s buffer, else `null`. */
interface ReadRequest {
  n: number;
  into: Uint8Array | null;
  peek: boolean;
  /**
   * A peek that found fewer than `n` bytes held: it waits for the reads it
   * started until a turn in which the runtime polled its I/O has passed
   * (or `n` bytes are held) before it settles for what is held.
   */
  more: boolean;
  /**
   * `MSG_WAITALL`: it waits until `n` bytes are held, or the stream ends,
   * fails or is shut for reading. Cut short by an error, it returns the
   * bytes, and the error stays for the next call (Linux's `sk_err`).
   */
  all: boolean;
  /** How long it waits ({@linkcode WaitMs}). */
  ms: WaitMs;
}

/** What a reader held when it was handed over (see `detach`). */
export interface Received {
  /** Bytes received and not yet read, in order. */
  buffered: Uint8Array[];
  /** The read in flight: its bytes, or `null` at end of stream. */
  inFlight: Promise<Uint8Array | null> | null;
}

/** What a request yields: bytes for `recv`, a count for `recv_into`. */
type ReadResult = Uint8Array | number;

/**
 * The reading side of one connection. Bytes that arrive for a caller that
 * has given up are kept for the next caller.
 */
export class StreamReader {
  #conn: RawConn;
  /** What the connection was told of its read in flight. */
  #waiting: Waiting;
  #changed: () => void;
  #told: () => void;
  #held: () => void;
  /** Reused read buffer for `recv_into` and large reads. */
  #scratch: Uint8Array = EMPTY;
  #chunks: Uint8Array[] = [];
  #buffered = 0;
  #eof = false;
  /** `shutdown(SHUT_RD)`: receives no longer wait. */
  #shut = false;
  #error: Error | null = null;
  /** A read has failed: the connection is gone both ways (poll's hang-up). */
  #failed = false;
  /** A write has failed (`writerFailed`). */
  #ended = false;
  /**
   * A write has failed on TCP: the connection is gone both ways (a reset,
   * or a timeout), as Linux reports it. On a Unix socket it may not be (a
   * peer's `SHUT_RD` fails our sends, and it may still send).
   */
  #gone = false;
  /**
   * Takes the error the failed write has not reported yet (`writerFailed`),
   * for the receive that finds the stream ended: `null` once taken, or
   * where the peer's end of stream had come before the write failed.
   */
  #unreported: (() => Error | null) | null = null;
  /**
   * The error waiting for the next call was just handed to the writer
   * (`takeError(true)`): the receive that finds the end takes it back
   * (`writerFailed`), unless a send has reported it first.
   */
  #handed = false;
  /**
   * The first chunk left after `#serve` took a part of it (a view of the
   * same read), and how large that read was: a later part of it is
   * weighed against all of it (`pins`). Every other chunk is about its
   * own size: a connection hands over whole chunks (`wholeChunks`), a
   * lease is a part of the held slab, the large buffer is kept only
   * when the read half filled it, and `#chunkOf` copies a small rest of a
   * large chunk.
   */
  #rest: Uint8Array | null = null;
  #restRoom = 0;

  /** A runtime read is in flight. */
  #reading = false;
  /**
   * The last read filled its buffer, on a connection that tells nothing of
   * what it holds (no `takeChunk`: Deno): the kernel may hold more.
   */
  #filled = false;
  /**
   * The request the read in flight (or just delivered) was made for;
   * `undefined`: ahead, for readiness. A read made for another call (one
   * that gave up) may have been smaller than the call it serves now asks.
   */
  #readFor: ReadRequest | undefined = undefined;
  /** Callers of `settled()` waiting for the read in flight to end. */
  #onSettled: (() => void)[] = [];
  #closed = false;
  /**
   * Readiness was asked and not yet told: read ahead until something is
   * available (bytes a waiter takes do not count; the watcher still waits).
   */
  #ahead = false;
  /** Handed over (`detach`): where the read in flight delivers. */
  #handover: ((chunk: Uint8Array | null) => void) | null = null;
  #waiters = new WaitQueue<ReadResult, ReadRequest>(() => this.#gaveUp());

  /**
   * @param conn The connection to read.
   * @param changed Called when something arrives that nobody waited for
   * (readiness changed).
   * @param told Called once the error that ended the connection has been
   * told (to a receive, or taken as `SO_ERROR`): the kernel keeps none for
   * a send after that.
   * @param held Called when a read meets an error (a reset) that waits for
   * the next call: a send reports it too (Linux's one pending error).
   */
  constructor(
    conn: RawConn,
    changed: () => void,
    told: () => void,
    held: () => void = noop,
  ) {
    this.#conn = conn;
    this.#waiting = new Waiting((on) => conn.waiting?.(on));
    this.#changed = changed;
    this.#told = told;
    this.#held = held;
  }

  /**
   * Up to `n` bytes (an empty array at end of stream).
   *
   * @param n The most bytes to return.
   * @param ms How long to wait ({@linkcode WaitMs}).
   * @param peek Leave the bytes for the next call (`MSG_PEEK`).
   * @param all Wait for all `n` bytes (`MSG_WAITALL`; not with `peek`).
   */
  recv(
    n: number,
    ms: WaitMs,
    peek = false,
    all = false,
  ): Promise<Uint8Array> {
    const req = { n, into: null, peek, more: false, all, ms };
    return this.#request(req, ms) as Promise<Uint8Array>;
  }

  /**
   * Reads up to `into.length` bytes into `into`; resolves to the count.
   *
   * @param into Where the bytes go.
   * @param ms How long to wait ({@linkcode WaitMs}).
   * @param peek Leave the bytes for the next call (`MSG_PEEK`).
   * @param all Wait for all of `into` (`MSG_WAITALL`; not with `peek`).
   */
  recvInto(
    into: Uint8Array,
    ms: WaitMs,
    peek = false,
    all = false,
  ): Promise<number> {
    // Detached while the call waited for a connection (see `#serve`).
    if (into.length === 0 && isDetached(into)) {
      return Promise.reject(releasedError());
    }
    const req = { n: into.length, into, peek, more: false, all, ms };
    return this.#request(req, ms) as Promise<number>;
  }

  /**
   * Would a `recv` return at once (data, end of stream, or an error)?
   * Nothing is consumed; when not, one read is started ahead, and `changed`
   * tells when what it brings arrives.
   */
  poll(): boolean {
    // Shut for reading, a receive returns at once: readable, as on Linux.
    if (this.#available() || this.#shut) return true;
    this.#ahead = true;
    this.#pump();
    // The connection may have held bytes already (read ahead).
    if (!this.#available()) return false;
    this.#ahead = false;
    return true;
  }

  /**
   * Settles once a receive would return at once, or once a turn in which
   * the runtime polled its I/O has passed, reading ahead meanwhile (as
   * `poll`): what the kernel knows by then (a reset nothing has read yet)
   * is known here too. Nothing is consumed.
   */
  probe(): Promise<void> {
    if (this.poll()) return Promise.resolve();
    return new Promise<void>((resolve) => {
      waitAfterTurn(0, () => {
        resolve();
        return true;
      }, resolve);
    });
  }

  /**
   * What poll() reports of the reading side besides input: `READ_HANGUP`
   * once it has ended (end of stream, `SHUT_RD` or an error), `ERROR`
   * while an error waits for the next call, and `HANGUP` once a read has
   * failed (a reset ends the connection both ways, as on Linux), or once
   * a write failed on TCP (the connection is gone), or once it has ended
   * after a write failed on a Unix socket: there a failed write alone is
   * no hang-up (a peer that shut its reading side fails our sends with
   * `EPIPE` and may still send; Linux reports neither).
   */
  hangups(): number {
    if (!this.#eof && !this.#shut && this.#error === null && !this.#failed) {
      return this.#gone ? READ_HANGUP | HANGUP : 0;
    }
    const failed = this.#failed || this.#gone ||
      (this.#ended && (this.#eof || this.#error !== null));
    const ended = failed || this.#eof || this.#shut || this.#error !== null;
    return (ended ? READ_HANGUP : 0) | (this.#error !== null ? ERROR : 0) |
      (failed ? HANGUP : 0);
  }

  /** How many bytes are held for the next receives. */
  get buffered(): number {
    return this.#buffered;
  }

  /** The peer's end of stream has come (or the connection failed). */
  get peerEnded(): boolean {
    return this.#eof || this.#failed || this.#ended;
  }

  /**
   * A write has failed. On TCP the connection is gone both ways (a reset
   * or a timeout), but what the peer sent before stays readable until it
   * is read; on a Unix socket it may be gone, or only the peer's reading
   * side may be (its `SHUT_RD`: it may still send). So receives go on
   * reading the connection, and wait as the kernel's do (the runtime's
   * reads on a connection that is gone end at once): they
   * return what was buffered and what the kernel still holds, then the
   * connection's error, if its read reports one; then, at the end of
   * stream, the error the writer has not reported yet (taken from it by
   * `take`: one error, reported once), unless the peer's end of stream had
   * come before; then the end of stream.
   */
  writerFailed(take: () => Error | null): void {
    if (this.#closed || this.#ended) return;
    this.#ended = true;
    this.#gone = !("path" in this.#conn.remoteAddr);
    if ((!this.#eof && !this.#failed) || this.#handed) this.#unreported = take;
    this.#handed = false;
    this.#changed();
  }

  /**
   * The error waiting for the next call, taken (`SO_ERROR`): the stream
   * has ended after it, as when a call reports it. `null` if none.
   *
   * @param handed Taken by the writer whose write failed meanwhile (see
   * `writerFailed`): the error is still the socket's one pending error,
   * now the writer's, which the next call of either kind reports (a send,
   * or a receive that finds the end: it takes it from the writer).
   */
  takeError(handed = false): Error | null {
    const err = this.#error;
    if (err === null) return null;
    this.#error = null;
    this.#eof = true;
    this.#handed = handed;
    this.#told();
    return err;
  }

  /** Settles once no runtime read is in flight. */
  async settled(): Promise<void> {
    while (this.#reading) {
      // Someone waits on the read now.
      this.#waiting.hold();
      await new Promise<void>((resolve) => this.#onSettled.push(resolve));
    }
  }

  /** The read in flight has ended. */
  #readEnded(): void {
    this.#reading = false;
    if (this.#onSettled.length > 0) {
      for (const resolve of this.#onSettled.splice(0)) resolve();
    }
  }

  /**
   * `shutdown(SHUT_RD)`, as Linux does it: a receive never waits from now
   * on. It returns what has arrived (also what arrives later, as long as it
   * is there when asked), else end of stream at once; callers waiting get
   * end of stream now.
   */
  shutRead(): void {
    this.#shut = true;
    while (this.#waiters.length > 0) {
      const req = this.#waiters.head()!;
      if (this.#available()) {
        try {
          this.#waiters.resolveHead(this.#serve(req));
        } catch (err) {
          this.#waiters.rejectHead(err);
        }
      } else this.#waiters.resolveHead(req.into ? 0 : EMPTY);
    }
    this.#changed();
  }

  /**
   * Hands the reading over to a layer built on the connection (TLS): what
   * is buffered, in order, and the read in flight (its bytes, `null` at end
   * of stream). The reader takes no more calls.
   */
  detach(): Received {
    const buffered = this.#chunks;
    this.#chunks = [];
    this.#buffered = 0;
    this.#closed = true;
    this.#waiters.rejectAll(ebadf);
    if (this.#reading) this.#waiting.hold();
    const inFlight = !this.#reading
      ? null
      : new Promise<Uint8Array | null>((resolve) => this.#handover = resolve);
    return { buffered, inFlight };
  }

  /** The socket is closing: pending calls fail with `EBADF` at once. */
  close(): void {
    this.#closed = true;
    this.#chunks = [];
    this.#buffered = 0;
    this.#waiters.rejectAll(ebadf);
    // The read in flight, cancelled by the close, settles for whoever
    // awaits the close (an unref'd one might not be waited for).
    if (this.#reading) this.#waiting.hold();
  }

  /** Something a call would return at once: data, end of stream, an error. */
  #available(): boolean {
    return this.#buffered > 0 || this.#eof || this.#error !== null ||
      this.#closed;
  }

  #request(req: ReadRequest, ms: WaitMs): Promise<ReadResult> {
    if (req.n === 0) return Promise.resolve(req.into ? 0 : EMPTY);
    if (this.#waiters.length === 0 && this.#available()) {
      if (this.#buffered < req.n && this.#flowing()) {
        // Linux's receive returns all that has arrived, up to `n`: what the
        // runtime holds already joins what is buffered (no read, no turn).
        this.#takeHeld(req.n);
        // (Where the runtime tells nothing of what it holds, the kernel
        // may hold more after a read that filled its buffer: another read,
        // for a turn.)
        if (
          this.#buffered < req.n && (req.peek || (this.#filled && !req.all))
        ) return this.#peekMore(req);
      }
      if (!this.#short(req)) {
        try {
          return Promise.resolve(this.#serve(req));
        } catch (err) {
          return Promise.reject(err);
        }
      }
    }
    if (this.#shut) {
      // Shut for reading: what arrives within one turn, else end of stream.
      const result = this.#waiters.add(req, 0).catch((err) => {
        if (err instanceof BlockingIOError) return req.into ? 0 : EMPTY;
        throw err;
      });
      this.#pump();
      return result;
    }
    const result = this.#waiters.add(req, ms);
    // A read in flight that everyone had given up on: waited on again.
    if (this.#reading) this.#waiting.hold();
    this.#pump();
    return result;
  }

  /**
   * A `MSG_WAITALL` request that must wait for more: fewer than `n` bytes
   * are held, and more may come (nor is the reading side shut).
   */
  #short(req: ReadRequest): boolean {
    return req.all && this.#buffered < req.n && this.#flowing() &&
      !this.#shut;
  }

  /** More may still come: the stream has not ended, failed or closed. */
  #flowing(): boolean {
    return !this.#eof && this.#error === null && !this.#closed;
  }

  /**
   * Buffers bytes the connection holds already (read ahead by the runtime:
   * `takeChunk`) until `n` are buffered: no runtime read, and no turn.
   */
  #takeHeld(n: number): void {
    const conn = this.#conn;
    if (conn.takeChunk === undefined || this.#reading) return;
    while (this.#buffered < n) {
      const chunk = conn.takeChunk(Math.min(n - this.#buffered, MAX_READ));
      if (chunk === undefined) return;
      this.#buffer(chunk, this.#kept(), chunk.length);
    }
  }

  /**
   * A peek that finds fewer than `n` bytes held, the stream going on (or a
   * receive that does, after a read that filled its buffer: `#filled`): as
   * Linux's returns all that has arrived (without waiting for more), it
   * waits for a read (the one in flight, or one it starts) until a turn in
   * which the runtime polled its I/O has passed, then settles for what is
   * held; at once if `n` bytes come. (Served from the buffer alone, a loop
   * that peeks until a header is complete would never see its end.)
   */
  #peekMore(req: ReadRequest): Promise<ReadResult> {
    req.more = true;
    // Bytes are held: it settles after the turn, whatever its timeout.
    const result = this.#waiters.add(req, null);
    if (this.#reading) this.#waiting.hold();
    this.#pump();
    if (this.#waiters.head() === req) {
      waitAfterTurn(0, () => this.#peekTurned(req), noop);
    }
    return result;
  }

  /** The turn a peek waited for has passed: it takes what is held. */
  #peekTurned(req: ReadRequest): boolean {
    req.more = false;
    this.#pump();
    // The read it started goes on for the next call, waited on by nobody.
    if (this.#waiters.length === 0 && this.#reading && !this.#closed) {
      this.#waiting.release();
    }
    return true;
  }

  /**
   * A caller gave up: if none is left, nobody waits on the read. (A read
   * for readiness alone waits for nobody: a readiness wait keeps the
   * process alive by its own timer.)
   */
  #gaveUp(): void {
    if (this.#waiters.length === 0 && this.#reading) this.#waiting.release();
  }

  /** Serves a request from the buffer, the end of stream or the error. */
  #serve(req: ReadRequest): ReadResult {
    if (this.#closed) throw errnoError("EBADF");
    if (this.#buffered === 0) {
      if (this.#error !== null) {
        // Reported once, as the OS does; the stream has ended after it.
        const err = this.#error;
        this.#error = null;
        this.#eof = true;
        this.#told();
        throw err;
      }
      const unreported = this.#eof ? this.#unreported : null;
      if (unreported !== null) {
        this.#unreported = null;
        const err = unreported();
        if (err !== null) throw err;
      }
      return req.into ? 0 : EMPTY;
    }
    if (req.into !== null && req.into.length < req.n) {
      // recv_into()'s buffer was detached or shrunk while it waited: what
      // still fits, else Python's released memoryview (nothing is taken).
      if (req.into.length === 0) throw releasedError();
      req.n = req.into.length;
    }
    const first = this.#chunks[0];
    // The rest of a large read a large result was split from, given away
    // with it (see below): its bytes are gone.
    if (first.length === 0) throw this.#lost();
    const n = Math.min(req.n, this.#buffered);
    // A large chunk's bytes are handed over without a copy (a view of an
    // ArrayBuffer of its own, which holds nothing else: see `Memory`),
    // unless the view would keep alive much more memory than its own (a
    // header of a large read: `pins`); a small one may be held memory, and
    // is copied out. Of a part of a chunk, a small side is copied: the
    // result shares no memory with the bytes still held. (Both large, a
    // bulk result is a view of the read the rest is in, as README says: a
    // copy of each would cost more than the read.)
    if (req.into === null && !req.peek && first.length >= n) {
      this.#buffered -= n;
      const room = this.#roomOf(first);
      const rest = first.length - n;
      if (rest === 0) {
        shiftFirst(this.#chunks);
        if (first === this.#rest) this.#rest = null;
        return n <= POOLED_MAX || pins(room, n) ? copyOut(first, n) : first;
      }
      if (n <= POOLED_MAX || pins(room, n)) {
        this.#split(first, n, room);
        return copyOut(first, n);
      }
      if (rest <= POOLED_MAX) {
        this.#chunks[0] = copyHeld(first.subarray(n), rest);
        if (first === this.#rest) this.#rest = null;
      } else this.#split(first, n, room);
      return first.subarray(0, n);
    }
    const out = req.into ?? new Uint8Array(n);
    let filled = 0;
    let i = 0;
    while (filled < n) {
      const chunk = this.#chunks[i];
      const k = Math.min(chunk.length, n - filled);
      out.set(chunk.subarray(0, k), filled);
      filled += k;
      if (req.peek) i++;
      else if (k === chunk.length) {
        shiftFirst(this.#chunks);
        if (chunk === this.#rest) this.#rest = null;
      } else this.#split(chunk, k, this.#roomOf(chunk));
    }
    if (!req.peek) this.#buffered -= n;
    return req.into ? n : out;
  }

  /**
   * The first chunk is detached: the rest of a read that a bulk result,
   * given away (its buffer transferred), took with it. Its bytes are
   * dropped, and the call raises Python's released memoryview error (not
   * the runtime's `TypeError`); the next call reads on.
   */
  #lost(): Error {
    shiftFirst(this.#chunks);
    this.#rest = null;
    this.#buffered = 0;
    for (const chunk of this.#chunks) this.#buffered += chunk.length;
    return releasedError();
  }

  /** The size of the read whose memory `chunk` (a buffered one) is in. */
  #roomOf(chunk: Uint8Array): number {
    return chunk === this.#rest ? this.#restRoom : chunk.length;
  }

  /** The first `k` bytes of the first chunk, `chunk`, were taken. */
  #split(chunk: Uint8Array, k: number, room: number): void {
    const rest = chunk.subarray(k);
    this.#chunks[0] = rest;
    this.#rest = rest;
    this.#restRoom = room;
  }

  #serveWaiters(): void {
    while (this.#waiters.length > 0 && this.#available()) {
      const req = this.#waiters.head()!;
      // A peek waits out its turn for more, unless all it asked is here.
      if (req.more && this.#buffered < req.n && this.#flowing()) return;
      if (this.#short(req)) return;
      try {
        this.#waiters.resolveHead(this.#serve(req));
      } catch (err) {
        this.#waiters.rejectHead(err);
      }
    }
  }

  /**
   * Serves waiters; starts a read if someone still waits (or readiness was
   * asked) and none is in flight. A connection that reads in chunks hands
   * one over (`readChunk`); otherwise small reads go into the held slab
   * (`lease`: the result is copied out of it), and large ones into a buffer
   * of the reader's that becomes the result when the read fills half of it.
   */
  #pump(): void {
    // One step at a time, not a call within a call: bytes the connection
    // held serve one waiter each, and thousands may wait (un-awaited calls).
    while (this.#step());
  }

  /**
   * One step of {@linkcode StreamReader.#pump}: returns whether bytes the
   * connection held were delivered (the next step serves on).
   */
  #step(): boolean {
    this.#serveWaiters();
    // (A waiter left while bytes are held is a peek that waits for more,
    // or a MSG_WAITALL receive that waits for the rest: it reads on.)
    if (this.#reading || (this.#available() && this.#waiters.length === 0)) {
      return false;
    }
    const head = this.#waiters.head();
    if (head === undefined && !this.#ahead) return false;
    // What the head still waits for (a MSG_WAITALL one holds some).
    const want = head === undefined ? 0 : Math.max(head.n - this.#buffered, 1);
    const conn = this.#conn;
    if (
      !head?.peek && conn.readChunk !== undefined &&
      !(head?.into && conn.chunksCopied)
    ) {
      // Where each read is memory of its own (the runtime's, or a copy of
      // exactly its bytes that the connection makes: Node's), one of them
      // is recv()'s result as it is, or is copied once into recv_into()'s
      // buffer (unless it was a copy already: then readInto() copies once);
      // one read ahead for readiness keeps its chunk as it is for the next
      // call (no buffer waits while nothing comes).
      const max = head === undefined ? MAX_READ : Math.min(want, MAX_READ);
      const now = conn.takeChunk?.(max);
      this.#readFor = head;
      if (now !== undefined) {
        this.#deliver(now, this.#kept(), now.length);
        return true;
      }
      this.#target = EMPTY;
      // (A read ahead, which nobody waits for, is held: `readChunk`.)
      this.#memory = head === undefined ? this.#kept() : "owned";
      this.#reading = true;
      conn.readChunk(
        max,
        this.#chunkDone,
        this.#readFailed,
        head === undefined,
      );
      if (head === undefined) this.#waiting.release();
      return false;
    }
    if (
      head !== undefined && head.into !== null && !head.peek && !head.all &&
      conn.readPlaced !== undefined && head.into.length === head.n
    ) {
      // A recv_into() that waits: the bytes go straight into its buffer
      // if it still waits when they come (`#place`), else into ours.
      this.#readFor = head;
      const now = conn.readNow?.(head.into);
      if (now !== undefined) {
        this.#deliver(head.into, "placed", now);
        return true;
      }
      this.#target = EMPTY;
      this.#memory = "scratch";
      this.#reading = true;
      conn.readPlaced(this.#place, this.#readDone, this.#readFailed, false);
      return false;
    }
    // A peek reads all it can, so that what it saw is all there next time.
    const size = head === undefined || head.peek
      ? AHEAD_READ
      : want >= BULK_READ && head.into === null
      ? MAX_READ
      : Math.min(want, MAX_READ);
    const leased = lease(size);
    if (leased === null && this.#scratch.length < size) {
      this.#scratch = new Uint8Array(size);
    }
    const target = leased ?? this.#scratch.subarray(0, size);
    const memory = leased === null ? "scratch" : "leased";
    const now = conn.readNow?.(target);
    this.#readFor = head;
    if (now !== undefined) {
      // Bytes the connection held already: no read, and no turn.
      this.#deliver(target, memory, now);
      return true;
    }
    this.#target = target;
    this.#memory = memory;
    this.#reading = true;
    // A runtime that calls back per read saves a promise and a turn.
    if (conn.readInto !== undefined) {
      conn.readInto(
        target,
        this.#readDone,
        this.#readFailed,
        head === undefined,
      );
    } else {
      conn.read(target, head === undefined).then(
        this.#readDone,
        this.#readFailed,
      );
    }
    // A read for readiness alone: the readiness wait keeps the process.
    if (head === undefined) this.#waiting.release();
    return false;
  }

  // The read in flight (one at a time), kept in fields rather than in
  // closures made for each read.
  #target: Uint8Array = EMPTY;
  #memory: Memory = "scratch";

  /**
   * Where the bytes of a placed read (`RawConn.readPlaced`) go, as they
   * come: into the buffer of the `recv_into` it was made for, if that call
   * still waits first in line for them (and its buffer is whole), else
   * into the reader's own buffer, as any read's.
   */
  #place = (n: number): Uint8Array => {
    const req = this.#readFor;
    if (
      req !== undefined && req.into !== null && req.into.length === req.n &&
      this.#waiters.head() === req && this.#buffered === 0 &&
      this.#handover === null && !this.#closed && !this.#eof && !this.#shut
    ) {
      this.#memory = "placed";
      return this.#target = req.into;
    }
    const size = Math.min(Math.max(n, 1), MAX_READ);
    if (this.#scratch.length < size) this.#scratch = new Uint8Array(size);
    this.#memory = "scratch";
    return this.#target = this.#scratch.subarray(0, size);
  };

  /** A chunk read (`RawConn.readChunk`) ended: the chunk is the target. */
  #chunkDone = (chunk: Uint8Array | null): void => {
    this.#target = chunk ?? EMPTY;
    this.#readDone(chunk === null ? null : chunk.length);
  };

  #readDone = (k: number | null): void => {
    this.#readEnded();
    const target = this.#target;
    const memory = this.#memory;
    this.#target = EMPTY;
    const handover = this.#handover;
    if (handover !== null) {
      this.#handover = null;
      if (k === null) handover(null);
      else handover(this.#chunkOf(target, memory, 0, k));
      return;
    }
    // Shut down or closed while it was in flight: what it brought is
    // dropped, as the reading side has ended.
    const got = k === null || this.#eof || this.#closed ? 0 : k;
    // (Only a read made for a call no longer waiting, or ahead: one made
    // for the call it serves was sized for it.)
    this.#filled = got > 0 && got === target.length && memory !== "owned" &&
      this.#conn.takeChunk === undefined &&
      (this.#readFor === undefined || this.#readFor !== this.#waiters.head());
    if (got === 0 && memory === "leased") keep(target, 0);
    if (this.#closed) return;
    if (k === null) this.#eof = true;
    // A caller served here counts as one who waited (the watcher still
    // waits for bytes of its own).
    const served = got > 0 && this.#deliver(target, memory, got);
    const waited = served || this.#waiters.length > 0;
    this.#pump();
    if (!waited || this.#available()) {
      this.#ahead = false;
      this.#changed();
    }
  };

  /**
   * What a read brought: the result of the `recv` waiting for it when it
   * takes all of it, into the buffer of a `recv_into` waiting for it (the
   * reader keeps its own buffer), or buffered. Returns whether a `recv` was
   * served here.
   */
  #deliver(target: Uint8Array, memory: Memory, got: number): boolean {
    if (memory === "placed") {
      // In the buffer of the recv_into() waiting first (`#place`).
      this.#waiters.resolveHead(got);
      return false;
    }
    const head = this.#buffered === 0 ? this.#waiters.head() : undefined;
    // (A MSG_WAITALL receive takes it once it has all it waits for.)
    if (head === undefined || (head.all && got < head.n)) {
      this.#buffer(target, memory, got);
      return false;
    }
    if (
      got < head.n && !head.peek && this.#readFor !== head &&
      this.#gatherMore(head, target, memory, got)
    ) {
      return false;
    }
    if (head.into === null && !head.peek && got <= head.n) {
      // The usual recv(): all of it is the waiting caller's result.
      this.#waiters.resolveHead(this.#resultOf(target, memory, got));
      return true;
    }
    let from = 0;
    if (head.into !== null && !head.peek && head.into.length === 0) {
      // recv_into()'s buffer was detached, or shrunk to nothing, while it
      // waited (Python's released memoryview): the bytes stay buffered.
      this.#waiters.rejectHead(releasedError());
    } else if (head.into !== null && !head.peek) {
      // (At most what it asked for: a length-tracking view may have grown
      // since.)
      from = Math.min(got, head.into.length, head.n);
      head.into.set(target.subarray(0, from));
      this.#waiters.resolveHead(from);
      if (from === got) {
        if (memory === "leased") keep(target, 0);
        else if (memory === "owned") this.#conn.release?.(target);
        return false;
      }
    }
    this.#buffer(target, memory, got, from);
    return false;
  }

  /**
   * A read that brought less than the call waiting for it asks: it may
   * have been made for less (for a call that gave up, or ahead for
   * readiness), with more arrived since. Linux's receive returns all that
   * has arrived, up to `n`: so the bytes are buffered, and what the runtime
   * holds already joins them (`takeChunk`); where it tells nothing (Deno),
   * a read that filled its buffer is followed by another, and the call
   * takes what has come once a turn in which the runtime polled its I/O
   * has passed (as a peek does: `#peekMore`). Returns whether the bytes
   * were buffered: the call is then served from the buffer.
   */
  #gatherMore(
    head: ReadRequest,
    target: Uint8Array,
    memory: Memory,
    got: number,
  ): boolean {
    const conn = this.#conn;
    if (conn.takeChunk !== undefined) {
      const more = conn.takeChunk(head.n - got);
      if (more === undefined) return false;
      this.#buffer(target, memory, got);
      this.#buffer(more, this.#kept(), more.length);
      this.#takeHeld(head.n);
      return true;
    }
    // (A non-blocking call settles within the turn: it takes what came.)
    if (memory === "owned" || got < target.length || head.ms === 0) {
      return false;
    }
    this.#buffer(target, memory, got);
    head.more = true;
    waitAfterTurn(0, () => this.#peekTurned(head), noop);
    return true;
  }

  /** Keeps `target[from, got)` for the next calls. */
  #buffer(target: Uint8Array, memory: Memory, got: number, from = 0): void {
    const chunk = this.#chunkOf(target, memory, from, got);
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
  }

  /**
   * What the connection's kept chunks (`takeChunk`) and reads ahead are:
   * held memory where it copies them (`chunksCopied`), else the runtime's
   * own chunks.
   */
  #kept(): Memory {
    return this.#conn.chunksCopied ? "held" : "owned";
  }

  /**
   * `target[0, got)` as the result of the `recv` waiting for it: the
   * runtime's chunk as it is, or the reader's large buffer itself when the
   * read half filled it; held memory (a lease, a small kept chunk) is
   * copied out.
   */
  #resultOf(target: Uint8Array, memory: Memory, got: number): Uint8Array {
    if (memory === "leased") {
      const out = copyOut(target, got);
      keep(target, 0);
      return out;
    }
    if (memory === "held" && target.length <= POOLED_MAX) {
      return copyOut(target, got);
    }
    if (memory === "owned" || memory === "held") {
      if (got === target.length) return target;
      return pins(target.length, got)
        ? copyOut(target, got)
        : target.subarray(0, got);
    }
    return this.#chunkOf(target, memory, 0, got, copyOut);
  }

  /**
   * `target[from, got)` as bytes to hold for the next calls (or to hand
   * over: `detach`): the runtime's chunk's (a copy for a small rest of a
   * large one), the held slab's, or the reader's large buffer itself when
   * the read half filled all of it (the next large read gets a new one),
   * else a copy, made with `copy` (held memory).
   */
  #chunkOf(
    target: Uint8Array,
    memory: Memory,
    from: number,
    got: number,
    copy = copyHeld,
  ): Uint8Array {
    if (memory === "owned" || memory === "held") {
      // A small chunk the connection copied for a caller, who is not served
      // by it, is in the results' memory: it moves to held memory. (A small
      // rest of a large chunk is a copy: `pins`.)
      if (
        (memory === "owned" && target.length <= POOLED_MAX &&
          this.#conn.chunksCopied) || pins(target.length, got - from)
      ) return copy(from === 0 ? target : target.subarray(from), got - from);
      return from === 0 && got === target.length
        ? target
        : target.subarray(from, got);
    }
    if (memory === "leased") {
      const kept = keep(target, got);
      return from === 0 ? kept : kept.subarray(from);
    }
    // (A caller's buffer is never kept: only the call it was placed for
    // takes its bytes.)
    if (memory === "placed") {
      return copy(from === 0 ? target : target.subarray(from), got - from);
    }
    // (Half of all of it: a read ahead may be a small part of it.)
    if (from === 0 && got >= this.#scratch.length >> 1) {
      this.#scratch = EMPTY;
      return target.subarray(0, got);
    }
    return copy(from === 0 ? target : target.subarray(from), got - from);
  }

  #readFailed = (err: unknown): void => {
    this.#readEnded();
    if (this.#memory === "leased") keep(this.#target, 0);
    this.#target = EMPTY;
    if (this.#handover !== null) {
      // The layer that took over reads the error again from the
      // connection itself.
      this.#handover(null);
      this.#handover = null;
      return;
    }
    if (this.#closed) return;
    this.#failed = true;
    // (After a failed write, this is the one error the receives report:
    // the writer keeps its own for the next send.)
    this.#unreported = null;
    this.#error = mapError(err);
    this.#pump();
    // Still untold (no receive was waiting): the next send reports it.
    if (this.#error !== null) this.#held();
    this.#changed();
  };
}
