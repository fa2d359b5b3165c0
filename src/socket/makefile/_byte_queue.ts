// Copyright the pysocket authors. MIT license.
// A buffered reader's bytes: the chunks received, in order, consumed from
// the front without copying what stays. Every operation costs what it
// returns or searches, never what is buffered, so reading is linear in the
// bytes read however the stream arrives.
//
// No result shares an `ArrayBuffer` with bytes still queued: a caller may
// transfer a result's buffer away (postMessage, a byte stream's enqueue()),
// which detaches all that shares it. A small chunk (a `recv()` result in
// the results' shared memory, see `pool.ts`) is queued as a copy in held
// memory, which no caller sees, and copied out when handed over; a part
// of a large one handed over as a view takes the chunk's buffer with it,
// and the rest, the smaller side, is copied.

import { releasedError } from "../../_py/pytype.ts";
import { EMPTY } from "./_iobase.ts";
import { copyHeld, copyOut, POOLED_MAX } from "../../_io/pool.ts";

/** Bytes received and not yet read, as a queue of chunks. */
export class ByteQueue {
  #chunks: Uint8Array<ArrayBuffer>[] = [];
  /** Is `#chunks[i]` in the held slab (handed over only as a copy)? */
  #held: boolean[] = [];
  /** The first chunk with bytes left. */
  #head = 0;
  /** Bytes of `#chunks[#head]` already consumed. */
  #offset = 0;
  #length = 0;

  /** Bytes buffered. */
  get length(): number {
    return this.#length;
  }

  /**
   * Keeps `chunk[from:]` (a `recv()` result, not to change afterwards;
   * its first `from` bytes handed over as a copy, if at all): a small
   * chunk as a copy in held memory, a large one as it is.
   */
  push(chunk: Uint8Array<ArrayBuffer>, from = 0): void {
    if (chunk.length <= POOLED_MAX) this.keep(chunk, from);
    else if (from < chunk.length) {
      this.#append(from === 0 ? chunk : chunk.subarray(from), false);
    }
  }

  /**
   * `chunk[0, n)` (a `recv()` result, not queued) for a caller, the rest
   * kept, when nothing is queued: the whole chunk as it came, or what
   * `push` then `take` would give, without queueing a small part.
   */
  split(chunk: Uint8Array<ArrayBuffer>, n: number): Uint8Array<ArrayBuffer> {
    if (n === chunk.length) return chunk;
    if (chunk.length > POOLED_MAX) {
      this.push(chunk);
      return this.take(n);
    }
    this.keep(chunk, n);
    return copyOut(chunk, n) as Uint8Array<ArrayBuffer>;
  }

  /**
   * Keeps a copy of `chunk[from:]` in held memory (its first `from` bytes
   * are handed over as a view).
   */
  keep(chunk: Uint8Array, from: number): void {
    const n = chunk.length - from;
    if (n <= 0) return;
    const copy = copyHeld(from === 0 ? chunk : chunk.subarray(from), n);
    this.#append(copy as Uint8Array<ArrayBuffer>, n <= POOLED_MAX);
  }

  #append(chunk: Uint8Array<ArrayBuffer>, held: boolean): void {
    this.#chunks.push(chunk);
    this.#held.push(held);
    this.#length += chunk.length;
  }

  /** Drops everything. */
  clear(): void {
    this.#chunks = [];
    this.#held = [];
    this.#head = 0;
    this.#offset = 0;
    this.#length = 0;
  }

  /** Index of the first `byte` among the first `end` bytes, or -1. */
  indexOf(byte: number, end: number): number {
    this.#check();
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
   * of the large chunk that holds them all (chunks never change, so views
   * do not), else a copy. A part of a chunk up to `POOLED_MAX` bytes (a
   * short line) is a copy, in the shared slab: a view would keep alive all
   * the memory of the read the chunk came in, which may be much larger (a
   * `recv(8192)` of a 256 KiB read is a view of it).
   */
  take(n: number): Uint8Array<ArrayBuffer> {
    return this.#take(n, n <= POOLED_MAX);
  }

  /**
   * The first `n` bytes, a small part of a chunk copied if `copy`. A view
   * of a chunk leaves nothing queued in its buffer: the rest of the chunk
   * is copied when it is the smaller side, else the part handed over is.
   */
  #take(n: number, copy: boolean): Uint8Array<ArrayBuffer> {
    if (n === 0) return EMPTY;
    this.#check();
    const head = this.#head;
    const first = this.#chunks[head];
    const from = this.#offset;
    const rest = first.length - from - n;
    if (rest < 0) {
      const out = new Uint8Array(n);
      this.copyTo(out, 0, n);
      return out;
    }
    const part = from === 0 ? first : first.subarray(from);
    let out = part;
    if (copy || this.#held[head] || (rest > 0 && rest >= n)) {
      // (A result of the library's own is an `ArrayBuffer`'s.)
      out = copyOut(part, n) as Uint8Array<ArrayBuffer>;
    } else if (rest > 0) {
      // The part goes as a view: the rest, the smaller side, is copied.
      out = first.subarray(from, from + n);
      const kept = copyHeld(first.subarray(from + n), rest);
      this.#chunks[head] = kept as Uint8Array<ArrayBuffer>;
      this.#held[head] = rest <= POOLED_MAX;
      this.#offset = 0;
      this.#length -= n;
      return out;
    }
    this.#consume(n);
    return out;
  }

  /**
   * Removes and returns everything: a view of the chunk that holds it
   * all, even a small one (what its callers join to the reads that follow:
   * views of one chunk, one after another, join without a copy), unless
   * it is held memory.
   */
  takeAll(): Uint8Array<ArrayBuffer> {
    return this.#take(this.#length, false);
  }

  /** A copy of everything, leaving it buffered (`peek`). */
  peekAll(): Uint8Array<ArrayBuffer> {
    this.#check();
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
   * chunk (a copy otherwise); leaves them buffered. Not to be kept nor
   * handed to a caller.
   */
  view(): Uint8Array<ArrayBuffer> {
    if (this.#length === 0) return EMPTY;
    this.#check();
    const first = this.#chunks[this.#head];
    if (first.length - this.#offset === this.#length) {
      return first.subarray(this.#offset);
    }
    return this.peekAll();
  }

  /** Moves `n` bytes (at most `length`) into `target` at `at`. */
  copyTo(target: Uint8Array, at: number, n: number): void {
    this.#check();
    let done = 0;
    while (done < n) {
      const chunk = this.#chunks[this.#head];
      const k = Math.min(chunk.length - this.#offset, n - done);
      target.set(chunk.subarray(this.#offset, this.#offset + k), at + done);
      done += k;
      this.#consume(k);
    }
  }

  /**
   * Raises Python's released memoryview error (not the runtime's
   * `TypeError`) if a chunk was detached: a caller transferred away the
   * buffer of a `recv()` result it shares (a bulk one: see README's
   * Known differences). Its bytes are dropped; the next call reads on.
   */
  #check(): void {
    for (let i = this.#head; i < this.#chunks.length; i++) {
      // (Chunks are never empty: a detached one is.)
      if (this.#chunks[i].length === 0) this.#lost(i);
    }
  }

  /** `#check` found `#chunks[at]` detached: drops it and those like it. */
  #lost(at: number): never {
    const offset = at === this.#head ? 0 : this.#offset;
    const chunks = this.#chunks.slice(this.#head);
    const held = this.#held.slice(this.#head);
    this.clear();
    for (let i = 0; i < chunks.length; i++) {
      if (chunks[i].length > 0) this.#append(chunks[i], held[i]);
    }
    this.#offset = offset;
    this.#length -= offset;
    throw releasedError();
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
      this.#held = this.#held.slice(this.#head);
      this.#head = 0;
    }
  }
}
