// Copyright the pysocket authors. MIT license.
// The reading side of a connection the runtime reads only when asked
// (`node:net` through `onread`, Bun's paused sockets): one read in flight,
// the bytes runtime reads brought past what their callers had room for (a
// runtime read that finds nobody reading stops the reading once READ_AHEAD
// bytes wait), and an end of stream or an error kept for the next read.
// Each connection starts and stops its runtime's reading itself.

import { errnoError } from "./uv_error.ts";
import { freeChunk } from "./free_chunk.ts";
import { Fifo } from "../../_io/shift_first.ts";
import { copyPrefix } from "../../_io/pool.ts";

/**
 * How many bytes nobody asked for yet the runtime may read before it stops
 * reading (checked when a runtime read finds nobody reading: what is kept
 * can exceed it by up to two runtime reads). A caller that reads again soon
 * (a selector's loop between one `recv` and the next `select`) finds them
 * there, and the runtime's reading is not stopped and started again for
 * each message; past this, the kernel's receive queue fills and the peer's
 * writes stall.
 */
export const READ_AHEAD = 64 * 1024;

/**
 * The same memory as a plain `Uint8Array`: a runtime's chunk may be a Node
 * `Buffer`, whose `slice()` is a view, and that is not what a caller gets.
 */
function plain(bytes: Uint8Array): Uint8Array {
  return bytes.constructor === Uint8Array
    ? bytes
    : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** `src[0, k)` as a new array (a `Uint8Array`'s own slice, not a view). */
function slice(src: Uint8Array, k: number): Uint8Array {
  return Uint8Array.prototype.slice.call(src, 0, k);
}

/** A pull reader's state; see the module comment. */
export class PullRead {
  /** Where the read in flight goes, and who is told; `null`: nobody reads. */
  #target: Uint8Array | null = null;
  /** Chooses the read's memory as its bytes come (`beginPlaced`). */
  #place: ((n: number) => Uint8Array) | null = null;
  #done: ((n: number | null) => void) | null = null;
  /** A chunk read in flight (`beginChunk`): who is told, and its most. */
  #chunkDone: ((chunk: Uint8Array | null) => void) | null = null;
  #max = 0;
  /** The chunk read in flight is a read ahead: nobody waits for it. */
  #ahead = false;
  #failed: ((err: unknown) => void) | null = null;
  /** Bytes read past what the callers had room for, in order. */
  #rest: Fifo<Uint8Array> = new Fifo();
  /**
   * With `#free`: for each kept entry, the owned chunk it ends (freed once
   * the entry is taken), else `null`.
   */
  #owners: Fifo<Uint8Array | null> = new Fifo();
  #restBytes = 0;
  #eof = false;
  /** A reader was told the end of stream, or the error that ended it. */
  #endTold = false;
  /**
   * An error nobody was told of yet: the next read fails with it, unless
   * it came after the end of stream (`#errorAfterEnd`): once the peer's FIN
   * came, Linux's `recv` returns 0 and leaves a later error (a reset, which
   * it reports as `EPIPE` then) to the next send, which takes it.
   */
  #error: unknown = null;
  #errorAfterEnd = false;
  /** The connection is closed (`cancel()`): reads fail, bytes are dropped. */
  #closed = false;
  /** Owned chunks are freed once copied out (`TlsCapabilities.freeChunks`). */
  #free: boolean;
  /** Copies memory that is not ours: a chunk read's result (constructor). */
  #copy: (src: Uint8Array, k: number) => Uint8Array;
  /** Copies memory that is not ours to keep (constructor). */
  #hold: (src: Uint8Array, k: number) => Uint8Array;

  /**
   * @param free Free each owned chunk once all its bytes were copied out:
   * the runtime made it for this one delivery, and nothing else holds it.
   * @param copy Copies bytes of memory that is not ours (the runtime reads
   * into it again), for the result of a chunk read a caller waits for:
   * `src[0, k)` as memory of its own (the engine's buffer pool, say); by
   * default a `slice`.
   * @param hold As `copy`, for bytes kept and a chunk read ahead: memory
   * held for later calls (never shared with a caller's results: a caller
   * may transfer a result's memory away).
   */
  constructor(
    free = false,
    copy: (src: Uint8Array, k: number) => Uint8Array = slice,
    hold: (src: Uint8Array, k: number) => Uint8Array = copy,
  ) {
    this.#free = free;
    this.#copy = copy;
    this.#hold = hold;
  }

  /** How many bytes are kept for the next reads. */
  get kept(): number {
    return this.#restBytes;
  }

  /** A read is in flight. */
  get reading(): boolean {
    return this.#done !== null || this.#chunkDone !== null;
  }

  /**
   * A reader was told the end of stream, or the error that ended it (a TLS
   * connection that OpenSSL saw end without `close_notify` fails writes
   * from then on).
   */
  get endTold(): boolean {
    return this.#endTold;
  }

  /** The error kept for the next read, if any. */
  get error(): unknown {
    return this.#error;
  }

  /**
   * Starts a read into `p` (`RawConn.readInto`). What needs no runtime read
   * (bytes kept, the end of stream, an error, a closed socket or one the
   * runtime tore down: `gone`) is told a turn later, and `false` is
   * returned; otherwise the read waits, and `true` says to start the runtime
   * reading.
   */
  begin(
    p: Uint8Array,
    done: (n: number | null) => void,
    failed: (err: unknown) => void,
    gone: boolean,
  ): boolean {
    if (this.#restBytes > 0) {
      const k = this.#fromRest(p);
      queueMicrotask(() => done(k));
      return false;
    }
    const early = this.#early(p.length > 0 && gone);
    if (early === null && p.length > 0) {
      this.#target = p;
      this.#done = done;
      this.#failed = failed;
      return true;
    }
    queueMicrotask(() =>
      early === null
        ? done(0)
        : early === "eof"
        ? done(null)
        : failed(early.error)
    );
    return false;
  }

  /**
   * Starts a read whose memory `place(n)` chooses as the bytes come, just
   * before `done` (`RawConn.readPlaced`); as {@linkcode begin} otherwise
   * (bytes kept are placed now: its callers take those first, with
   * `take`).
   */
  beginPlaced(
    place: (n: number) => Uint8Array,
    done: (n: number | null) => void,
    failed: (err: unknown) => void,
    gone: boolean,
  ): boolean {
    if (this.#restBytes > 0) {
      return this.begin(place(this.#restBytes), done, failed, gone);
    }
    const early = this.#early(gone);
    if (early === null) {
      this.#place = place;
      this.#done = done;
      this.#failed = failed;
      return true;
    }
    queueMicrotask(() => early === "eof" ? done(null) : failed(early.error));
    return false;
  }

  /**
   * Starts a read of up to `max` bytes (more than 0) that hands over the
   * runtime's own chunk, without a copy (`RawConn.readChunk`; only where
   * the runtime's chunks are ours to keep). As {@linkcode begin}
   * otherwise; `ahead`: nobody waits for it (a chunk not ours is copied
   * to keep: the constructor's `hold`).
   */
  beginChunk(
    max: number,
    done: (chunk: Uint8Array | null) => void,
    failed: (err: unknown) => void,
    gone: boolean,
    ahead = false,
  ): boolean {
    if (this.#restBytes > 0) {
      const chunk = this.#chunkFromRest(max);
      queueMicrotask(() => done(chunk));
      return false;
    }
    const early = this.#early(gone);
    if (early === null) {
      this.#max = max;
      this.#ahead = ahead;
      this.#chunkDone = done;
      this.#failed = failed;
      return true;
    }
    queueMicrotask(() => early === "eof" ? done(null) : failed(early.error));
    return false;
  }

  /**
   * What ends a read at once, if anything: a closed socket or an error
   * kept that came before the end of stream (told once; the stream has
   * ended after it), the end of stream, or a socket the runtime tore down
   * (`gone`: the end).
   */
  #early(gone: boolean): null | "eof" | { error: unknown } {
    if (this.#closed) return { error: errnoError("EBADF", "read") };
    if (this.#error !== null && !this.#errorAfterEnd) {
      const error = this.#error;
      this.#error = null;
      this.#eof = this.#endTold = true;
      return { error };
    }
    if (this.#eof || gone) {
      this.#eof = this.#endTold = true;
      return "eof";
    }
    return null;
  }

  /**
   * Takes into `p` (not empty) bytes kept, if any (`RawConn.readNow`):
   * their count, else `undefined`.
   */
  take(p: Uint8Array): number | undefined {
    return this.#restBytes > 0 ? this.#fromRest(p) : undefined;
  }

  /**
   * Up to `max` (more than 0) bytes kept, as the chunk they are in (no
   * copy), if any (`RawConn.takeChunk`); else `undefined`.
   */
  takeChunk(max: number): Uint8Array | undefined {
    return this.#restBytes > 0 ? this.#chunkFromRest(max) : undefined;
  }

  /**
   * A chunk handed over that the caller copied out and dropped: freed when
   * owned chunks are (`freeChunks`) and it is all of its memory.
   */
  release(chunk: Uint8Array): void {
    if (this.#free) freeChunk(chunk);
  }

  /** Hands over the first kept chunk, or its first `max` bytes. */
  #chunkFromRest(max: number): Uint8Array {
    const first = this.#rest.first!;
    let out = first;
    if (first.length <= max) {
      this.#rest.shift();
      // The caller keeps it: never freed.
      if (this.#free) this.#owners.shift();
    } else {
      out = first.subarray(0, max);
      this.#rest.setFirst(first.subarray(max));
      // Part of its memory is the caller's now: the rest frees nothing.
      if (this.#free) this.#owners.setFirst(null);
    }
    this.#restBytes -= out.length;
    return plain(out);
  }

  /** Serves a read from the bytes kept. */
  #fromRest(p: Uint8Array): number {
    const rest = this.#rest;
    let k = 0;
    while (k < p.length && rest.length > 0) {
      const first = rest.first!;
      const take = Math.min(p.length - k, first.length);
      p.set(take === first.length ? first : first.subarray(0, take), k);
      k += take;
      if (take === first.length) {
        rest.shift();
        if (this.#free) {
          const owner = this.#owners.shift();
          if (owner) freeChunk(owner);
        }
      } else rest.setFirst(first.subarray(take));
    }
    this.#restBytes -= k;
    return k;
  }

  /**
   * Keeps `buf[from, n)`, which nobody had room for: a view when `buf` is
   * owned (`buf` its owner, to free, unless part of it was handed out),
   * else a copy (the constructor's `copy`).
   */
  #keep(
    buf: Uint8Array,
    from: number,
    n: number,
    owned: boolean,
    handedOut: boolean,
  ): void {
    // All of an owned `buf` is kept as it is: a view of it would make its
    // ArrayBuffer on Bun (JSC makes one at the first view: a copy).
    const bytes = owned
      ? (from === 0 && n === buf.length ? buf : buf.subarray(from, n))
      : this.#hold(from === 0 ? buf : buf.subarray(from), n - from);
    this.#rest.push(bytes);
    if (this.#free) this.#owners.push(owned && !handedOut ? buf : null);
    this.#restBytes += bytes.length;
  }

  /**
   * Bytes the runtime read: the read in flight takes what it has room for,
   * and the rest (all of it when nobody reads) is kept for the next reads.
   *
   * @param buf The bytes: `buf[0, n)`.
   * @param n How many.
   * @param owned Whether `buf` is ours to keep (else what is kept is
   * copied: the runtime reads into that memory again).
   * @returns Whether the runtime goes on reading (never once closed): a
   * read was in flight, or fewer than {@linkcode READ_AHEAD} bytes are
   * kept. A read in flight finds nothing kept (it would have been served
   * from it), so what one delivery keeps for a caller who is reading is
   * less than one runtime read; the next delivery that finds nobody
   * reading stops the runtime once READ_AHEAD bytes wait. A runtime whose
   * reads are larger than READ_AHEAD (Bun's are up to 512 KiB) is thus not
   * stopped and started again at each read of a caller who goes on
   * reading.
   */
  deliver(buf: Uint8Array, n: number, owned: boolean): boolean {
    if (this.#closed) return false;
    const chunkDone = this.#chunkDone;
    if (chunkDone !== null) {
      // A chunk read: the runtime's own memory is the caller's (the rest,
      // sharing it, frees nothing).
      const k = n < this.#max ? n : this.#max;
      const out = owned
        ? (k === buf.length ? buf : buf.subarray(0, k))
        : this.#ahead
        ? this.#hold(buf, k)
        : this.#copy(buf, k);
      if (n > k) this.#keep(buf, k, n, owned, true);
      this.#chunkDone = this.#failed = null;
      chunkDone(plain(out));
      return !this.#closed;
    }
    const place = this.#place;
    const p = place === null ? this.#target : place(n);
    if (p === null) {
      this.#keep(buf, 0, n, owned, false);
      return this.#restBytes < READ_AHEAD;
    }
    const k = n < p.length ? n : p.length;
    copyPrefix(p, buf, k);
    if (n > k) this.#keep(buf, k, n, owned, false);
    else if (owned && this.#free) freeChunk(buf);
    const done = this.#done!;
    this.#target =
      this.#place =
      this.#done =
      this.#failed =
        null;
    done(k);
    return !this.#closed;
  }

  /** The peer ended the stream: a read in flight gets the end. */
  end(): void {
    this.#eof = true;
    this.settle(null);
  }

  /** Ends a read in flight with `n` (`null`: end of stream). */
  settle(n: number | null): void {
    const chunkDone = this.#chunkDone;
    if (chunkDone !== null) {
      this.#chunkDone = this.#failed = null;
      if (n === null) this.#endTold = true;
      chunkDone(n === null ? null : new Uint8Array(0));
      return;
    }
    const done = this.#done;
    if (done === null) return;
    this.#target =
      this.#place =
      this.#done =
      this.#failed =
        null;
    if (n === null) this.#endTold = true;
    done(n);
  }

  /**
   * The connection failed: a read in flight fails (and the stream has
   * ended), else the error waits for the next read, or after the end of
   * stream for a writer only (not once closed).
   */
  fail(err: unknown): void {
    const failed = this.#failed;
    if (failed !== null) {
      this.#target =
        this.#place =
        this.#done =
        this.#chunkDone =
        this.#failed =
          null;
      this.#eof = this.#endTold = true;
      failed(err);
    } else if (!this.#closed && this.#error === null) {
      this.#error = err;
      this.#errorAfterEnd = this.#eof;
    }
  }

  /** `err` was told to a writer: the next read is not told it again. */
  forget(err: unknown): void {
    if (this.#error === err) this.#error = null;
  }

  /** Takes the error kept for the next read (a writer reports it). */
  takeError(): unknown {
    const err = this.#error;
    this.#error = null;
    return err;
  }

  /** The connection is closed: nothing is kept, a read in flight fails. */
  cancel(): void {
    this.#closed = true;
    // (Most connections close with nothing kept: no new arrays for them.)
    if (this.#rest.length > 0) this.#rest = new Fifo();
    if (this.#owners.length > 0) this.#owners = new Fifo();
    this.#restBytes = 0;
    this.#error = null;
    const failed = this.#failed;
    if (failed !== null) {
      this.#target =
        this.#place =
        this.#done =
        this.#chunkDone =
        this.#failed =
          null;
      failed(errnoError("EBADF", "read"));
    }
  }
}
