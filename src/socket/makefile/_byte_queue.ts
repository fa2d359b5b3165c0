// Copyright the pysocket authors. MIT license.
// A buffered reader's bytes: the chunks received, in order, consumed from
// the front without copying what stays. Every operation costs what it
// returns or searches, never what is buffered, so reading is linear in the
// bytes read however the stream arrives.

import { EMPTY } from "./_iobase.ts";
import { copyOut, POOLED_MAX } from "../../_io/pool.ts";

/** Bytes received and not yet read, as a queue of chunks. */
export class ByteQueue {
  #chunks: Uint8Array<ArrayBuffer>[] = [];
  /** The first chunk with bytes left. */
  #head = 0;
  /** Bytes of `#chunks[#head]` already consumed. */
  #offset = 0;
  #length = 0;

  /** Bytes buffered. */
  get length(): number {
    return this.#length;
  }

  /** Appends a chunk (kept, not copied: it must not change afterwards). */
  push(chunk: Uint8Array<ArrayBuffer>): void {
    if (chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.#length += chunk.length;
  }

  /** Drops everything. */
  clear(): void {
    this.#chunks = [];
    this.#head = 0;
    this.#offset = 0;
    this.#length = 0;
  }

  /** Index of the first `byte` among the first `end` bytes, or -1. */
  indexOf(byte: number, end: number): number {
    let base = 0;
    for (let i = this.#head; i < this.#chunks.length && base < end; i++) {
      const chunk = this.#chunks[i];
      const from = i === this.#head ? this.#offset : 0;
      const stop = Math.min(chunk.length, from + end - base);
      const at = stop === chunk.length
        ? chunk.indexOf(byte, from)
        : chunk.subarray(0, stop).indexOf(byte, from);
      if (at >= 0) return base + at - from;
      base += stop - from;
    }
    return -1;
  }

  /**
   * Removes and returns the first `n` bytes (`n` at most `length`): a view
   * of the chunk that holds them all (chunks never change, so views do
   * not), else a copy. A part of a chunk up to `POOLED_MAX` bytes (a short
   * line) is a copy, in the shared slab: a view would keep alive all the
   * memory of the read the chunk came in, which may be much larger (a
   * `recv(8192)` of a 256 KiB read is a view of it).
   */
  take(n: number): Uint8Array<ArrayBuffer> {
    return this.#take(n, n <= POOLED_MAX);
  }

  /** The first `n` bytes, a small part of a chunk copied if `copy`. */
  #take(n: number, copy: boolean): Uint8Array<ArrayBuffer> {
    if (n === 0) return EMPTY;
    const first = this.#chunks[this.#head];
    const from = this.#offset;
    if (first.length - from >= n) {
      let out = first;
      if (from !== 0 || n !== first.length) {
        // (A result of the library's own is an `ArrayBuffer`'s.)
        out = copy
          ? copyOut(
            from === 0 ? first : first.subarray(from),
            n,
          ) as Uint8Array<ArrayBuffer>
          : first.subarray(from, from + n);
      }
      this.#consume(n);
      return out;
    }
    const out = new Uint8Array(n);
    this.copyTo(out, 0, n);
    return out;
  }

  /**
   * Removes and returns everything: a view of the chunk that holds it
   * all, even a small one (what its callers join to the reads that follow:
   * views of one chunk, one after another, join without a copy).
   */
  takeAll(): Uint8Array<ArrayBuffer> {
    return this.#take(this.#length, false);
  }

  /** A copy of everything, leaving it buffered (`peek`). */
  peekAll(): Uint8Array<ArrayBuffer> {
    const out = new Uint8Array(this.#length);
    let at = 0;
    for (let i = this.#head; i < this.#chunks.length; i++) {
      const chunk = i === this.#head
        ? this.#chunks[i].subarray(this.#offset)
        : this.#chunks[i];
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }

  /**
   * The buffered bytes as one view without copying when they are in one
   * chunk (a copy otherwise); leaves them buffered.
   */
  view(): Uint8Array<ArrayBuffer> {
    if (this.#length === 0) return EMPTY;
    const first = this.#chunks[this.#head];
    if (first.length - this.#offset === this.#length) {
      return first.subarray(this.#offset);
    }
    return this.peekAll();
  }

  /** Moves `n` bytes (at most `length`) into `target` at `at`. */
  copyTo(target: Uint8Array, at: number, n: number): void {
    let done = 0;
    while (done < n) {
      const chunk = this.#chunks[this.#head];
      const k = Math.min(chunk.length - this.#offset, n - done);
      target.set(chunk.subarray(this.#offset, this.#offset + k), at + done);
      done += k;
      this.#consume(k);
    }
  }

  /** Drops `n` bytes from the front, all from the first chunk or more. */
  #consume(n: number): void {
    this.#length -= n;
    this.#offset += n;
    while (
      this.#head < this.#chunks.length &&
      this.#offset >= this.#chunks[this.#head].length
    ) {
      this.#offset -= this.#chunks[this.#head].length;
      this.#head++;
    }
    if (this.#head === this.#chunks.length) this.clear();
    else if (this.#head >= 1024 && this.#head * 2 >= this.#chunks.length) {
      this.#chunks = this.#chunks.slice(this.#head);
      this.#head = 0;
    }
  }
}
