// Copyright the pysocket authors. MIT license.
// Small results share larger buffers, as Node's Buffer pool does: making
// an ArrayBuffer per recv() costs more than the read itself does for small
// messages. A result is a view of its own bytes; only `result.buffer` shows
// the shared memory behind it, and the results slab holds nothing but
// results already handed out: a caller who transfers one result's buffer
// away (postMessage, a byte stream's enqueue()) detaches only results.
// Bytes the engine still needs (held for later calls, a read in flight,
// the send buffer's copies) are in slabs of their own, which no caller
// ever sees (so none can transfer them away), and are copied out when
// handed over.

/** Copies up to this size are carved out of a shared slab. */
export const POOLED_MAX = 4096;
const SLAB_SIZE = 64 * 1024;
/** Copies of part of `src` up to this size are a loop ({@linkcode copyPrefix}). */
const SHORT_COPY = 128;
/** Copies of all of `src` from this size on are a `set()`. */
const WHOLE_SET = 32;

/**
 * Copies `src[0, k)` to the start of `dst`. Where that would take a view
 * of `src` (a part of it), a short copy is a loop: a view is an object,
 * and on Bun, of a fresh array, makes its ArrayBuffer (an allocation and a
 * copy). All of `src` needs no view: from 32 bytes `set()` is the faster
 * (64 bytes: 49 ns against 105 on Node, 43 against 52 on Bun).
 */
export function copyPrefix(dst: Uint8Array, src: Uint8Array, k: number): void {
  const whole = k === src.length;
  if (whole ? k < WHOLE_SET : k <= SHORT_COPY) {
    for (let i = 0; i < k; i++) dst[i] = src[i];
  } else dst.set(whole ? src : src.subarray(0, k));
}

/**
 * As {@linkcode copyPrefix}, to `dst` at `at` (the send queue's joins). A
 * function of its own: with the offset in `copyPrefix` itself, V8 stopped
 * inlining it into `copyOut()`, each `recv()`'s copy on Node (callgrind,
 * Node's concurrent echo server: about 330 instructions more per round
 * trip).
 */
export function copyPrefixAt(
  dst: Uint8Array,
  src: Uint8Array,
  k: number,
  at: number,
): void {
  const whole = k === src.length;
  if (whole ? k < WHOLE_SET : k <= SHORT_COPY) {
    for (let i = 0; i < k; i++) dst[at + i] = src[i];
  } else dst.set(whole ? src : src.subarray(0, k), at);
}

/**
 * Memory this large or smaller may stay alive for a result of any size
 * ({@linkcode pins}): a `makefile()` buffer's read, whose short lines need
 * no copies.
 */
const PIN_FREE = 8 * 1024;
/** A result of up to `POOLED_MAX` bytes may keep this many times its size. */
const PIN_RATIO = 8;
/**
 * A larger one this many times: a copy of it is an `ArrayBuffer` of its
 * own, and `makefile()`'s 8 KiB reads of a 256 KiB read stay views.
 */
const PIN_RATIO_LARGE = 64;

/**
 * Would a result of `n` bytes, left a view of a read of `room` bytes (a
 * part of it), keep alive much more memory than its own? Then it is
 * copied out: CPython's `bytes` are exact-size objects, and a program that
 * keeps 16-byte headers and drops 64 KiB bodies would otherwise keep the
 * whole stream. The caller knows `room` (no `.buffer`, which on Bun makes
 * a fresh array's `ArrayBuffer`, with a copy).
 */
export function pins(room: number, n: number): boolean {
  return room > PIN_FREE &&
    room > (n <= POOLED_MAX ? PIN_RATIO : PIN_RATIO_LARGE) * n;
}

/** Views stay 8-byte aligned, so typed views over a result still work. */
function aligned(n: number): number {
  return (n + 7) & ~7;
}

/** A slab that copies and leases are carved out of, one after another. */
class Slab {
  #bytes = new Uint8Array(SLAB_SIZE);
  #used = 0;
  /** The last view carved: only it can give back what it did not use. */
  #last: Uint8Array | null = null;

  /** `n` fresh bytes of the slab (a new slab when this one is full). */
  carve(n: number): Uint8Array {
    // A slab whose buffer was transferred away (postMessage, a byte
    // stream) is replaced, so that one result given away breaks no later
    // one.
    if (this.#used + n > SLAB_SIZE || this.#bytes.byteLength === 0) {
      this.#bytes = new Uint8Array(SLAB_SIZE);
      this.#used = 0;
    }
    const out = this.#bytes.subarray(this.#used, this.#used + n);
    this.#used += aligned(n);
    this.#last = out;
    return out;
  }

  /** A new `Uint8Array` holding a copy of `src[0, k)`. */
  copy(src: Uint8Array, k: number): Uint8Array {
    // Uint8Array's own slice: a Node Buffer's slice() is a view, not a copy.
    if (k > POOLED_MAX) return Uint8Array.prototype.slice.call(src, 0, k);
    const out = this.carve(k);
    copyPrefix(out, src, k);
    return out;
  }

  /** The first `k` bytes of a lease; the rest goes back if it can. */
  keep(leased: Uint8Array, k: number): Uint8Array {
    // Nothing was carved after it, from this slab or a new one (no
    // `.buffer` to compare: on V8 that is a call into the runtime).
    if (leased === this.#last) {
      this.#used = aligned(leased.byteOffset + k);
      this.#last = null;
    }
    return k === leased.length ? leased : leased.subarray(0, k);
  }
}

/** Results handed to callers, carved as they are handed over. */
const results = new Slab();
/** The send buffer's own copies, never handed to a caller. */
const sends = new Slab();
/**
 * Bytes received and held for later calls, and the reads in flight that
 * bring them: never handed to a caller (copied out with {@linkcode copyOut}).
 */
const held = new Slab();

/** A new `Uint8Array` holding a copy of `src[0, k)`, for a caller. */
export function copyOut(src: Uint8Array, k: number): Uint8Array {
  return results.copy(src, k);
}

/**
 * A copy of `src[0, k)` for the send buffer: memory no caller sees, so
 * nothing a caller does with a result can take it away.
 */
export function copyToSend(src: Uint8Array, k: number): Uint8Array {
  return sends.copy(src, k);
}

/**
 * A copy of `src[0, k)` to hold for later calls: memory no caller sees (a
 * copy of more than {@linkcode POOLED_MAX} bytes is an `ArrayBuffer` of its
 * own). Handed to a caller, it is copied out ({@linkcode copyOut}).
 */
export function copyHeld(src: Uint8Array, k: number): Uint8Array {
  return held.copy(src, k);
}

/**
 * Room for a read of up to `n` bytes in held memory (never a caller's: a
 * result given away cannot take a read in flight with it), or `null` when
 * `n` is too large to pool. Settle it with {@linkcode keep}.
 */
export function lease(n: number): Uint8Array | null {
  return n > POOLED_MAX ? null : held.carve(n);
}

/**
 * The first `k` bytes of a {@linkcode lease}, held; the rest goes back to
 * the slab if nothing was carved after it.
 */
export function keep(leased: Uint8Array, k: number): Uint8Array {
  return held.keep(leased, k);
}
