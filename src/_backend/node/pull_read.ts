// Copyright the pysocket authors. MIT license.
// The reading side of a connection the runtime reads only when asked
// (`node:net` through `onread`, Bun's paused sockets): one read in flight,
// the bytes a runtime read brought past what its caller had room for, and
// an end of stream or an error kept for the next read. Each connection
// starts and stops its runtime's reading itself.

import { errnoError } from "./uv_error.ts";

/** A pull reader's state; see the module comment. */
export class PullRead {
  /** Where the read in flight goes, and who is told; `null`: nobody reads. */
  #target: Uint8Array | null = null;
  #done: ((n: number | null) => void) | null = null;
  #failed: ((err: unknown) => void) | null = null;
  /** Bytes read past what the last caller had room for. */
  #rest: Uint8Array | null = null;
  #eof = false;
  /** An error nobody was told of yet: the next read fails with it. */
  #error: unknown = null;

  /** A read is in flight. */
  get reading(): boolean {
    return this.#done !== null;
  }

  /** The error kept for the next read, if any. */
  get error(): unknown {
    return this.#error;
  }

  /**
   * Starts a read into `p` (`RawConn.readInto`). What needs no runtime read
   * (bytes kept, the end of stream, an error, a closed socket or one the
   * runtime tore down) is told a turn later, and `false` is returned;
   * otherwise the read waits, and `true` says to start the runtime reading.
   */
  begin(
    p: Uint8Array,
    done: (n: number | null) => void,
    failed: (err: unknown) => void,
    closed: boolean,
    gone: boolean,
  ): boolean {
    if (this.#rest !== null) {
      const k = this.#fromRest(p);
      queueMicrotask(() => done(k));
      return false;
    }
    let err: unknown = null;
    if (closed) err = errnoError("EBADF", "read");
    else if (this.#error !== null) {
      err = this.#error;
      this.#error = null;
      this.#eof = true;
    }
    if (err !== null) {
      queueMicrotask(() => failed(err));
      return false;
    }
    if (this.#eof || p.length === 0) {
      const n = this.#eof ? null : 0;
      queueMicrotask(() => done(n));
      return false;
    }
    if (gone) {
      this.#eof = true;
      queueMicrotask(() => done(null));
      return false;
    }
    this.#target = p;
    this.#done = done;
    this.#failed = failed;
    return true;
  }

  /** Serves a read from the bytes kept. */
  #fromRest(p: Uint8Array): number {
    const rest = this.#rest!;
    const k = Math.min(p.length, rest.length);
    p.set(k === rest.length ? rest : rest.subarray(0, k));
    this.#rest = k === rest.length ? null : rest.subarray(k);
    return k;
  }

  /**
   * Bytes the runtime read: the read in flight takes what it has room for,
   * and the rest (all of it when nobody reads) is kept for the next reads.
   *
   * @param buf The bytes.
   * @param owned Whether `buf` is ours to keep (else what is kept is
   * copied: the runtime reads into that memory again).
   * @returns How many bytes were kept.
   */
  deliver(buf: Uint8Array, owned: boolean): number {
    const p = this.#target;
    if (p === null) {
      const extra = owned ? buf : buf.slice();
      this.#rest = this.#rest === null ? extra : concat(this.#rest, extra);
      return buf.length;
    }
    const k = buf.length < p.length ? buf.length : p.length;
    p.set(k === buf.length ? buf : buf.subarray(0, k));
    if (buf.length > k) {
      this.#rest = owned ? buf.subarray(k) : buf.slice(k);
    }
    const done = this.#done!;
    this.#target = this.#done = this.#failed = null;
    done(k);
    return buf.length - k;
  }

  /** The peer ended the stream: a read in flight gets the end. */
  end(): void {
    this.#eof = true;
    this.settle(null);
  }

  /** Ends a read in flight with `n` (`null`: end of stream). */
  settle(n: number | null): void {
    const done = this.#done;
    if (done === null) return;
    this.#target = this.#done = this.#failed = null;
    done(n);
  }

  /**
   * The connection failed: a read in flight fails (and the stream has
   * ended), else the error waits for the next read (not once closed).
   */
  fail(err: unknown, closed: boolean): void {
    const failed = this.#failed;
    if (failed !== null) {
      this.#target = this.#done = this.#failed = null;
      this.#eof = true;
      failed(err);
    } else if (!closed) this.#error ??= err;
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
    this.#rest = null;
    this.#error = null;
    const failed = this.#failed;
    if (failed !== null) {
      this.#target = this.#done = this.#failed = null;
      failed(errnoError("EBADF", "read"));
    }
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
