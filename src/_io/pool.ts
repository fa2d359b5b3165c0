// Copyright the pysocket authors. MIT license.
// Small results share larger buffers, as Node's Buffer pool does: making
// an ArrayBuffer per recv() costs more than the read itself does for small
// messages. A result is a view of its own bytes; only `result.buffer` shows
// the shared memory behind it.

/** Results up to this size are carved out of a shared slab. */
const POOLED_MAX = 4096;
const SLAB_SIZE = 64 * 1024;
/** Copies up to this many bytes are a loop (no view of the source). */
const SHORT_COPY = 128;

let slab = new Uint8Array(SLAB_SIZE);
let used = 0;
/** The last view carved: only it can give back what it did not use. */
let last: Uint8Array | null = null;

/** Views stay 8-byte aligned, so typed views over a result still work. */
function aligned(n: number): number {
  return (n + 7) & ~7;
}

/** `n` fresh bytes of the slab (a new slab when this one is full). */
function carve(n: number): Uint8Array {
  // A slab whose buffer was transferred away (postMessage, a byte stream)
  // is replaced, so that one result given away breaks no later one.
  if (used + n > SLAB_SIZE || slab.byteLength === 0) {
    slab = new Uint8Array(SLAB_SIZE);
    used = 0;
  }
  const out = slab.subarray(used, used + n);
  used += aligned(n);
  last = out;
  return out;
}

/** A new `Uint8Array` holding a copy of `src[0, k)`. */
export function copyOut(src: Uint8Array, k: number): Uint8Array {
  // Uint8Array's own slice: a Node Buffer's slice() is a view, not a copy.
  if (k > POOLED_MAX) return Uint8Array.prototype.slice.call(src, 0, k);
  const out = carve(k);
  // No view of `src` where it can be helped: a view is an object (and on
  // Bun, of a fresh array, its ArrayBuffer made: an allocation and a copy).
  if (k === src.length) out.set(src);
  else if (k <= SHORT_COPY) { for (let i = 0; i < k; i++) out[i] = src[i]; }
  else out.set(src.subarray(0, k));
  return out;
}

/**
 * Room for a read of up to `n` bytes, straight into the slab, or `null` when
 * `n` is too large to pool. Settle it with {@linkcode keep}.
 */
export function lease(n: number): Uint8Array | null {
  return n > POOLED_MAX ? null : carve(n);
}

/**
 * The first `k` bytes of a {@linkcode lease} as the result; the rest goes
 * back to the slab if nothing was carved after it.
 */
export function keep(leased: Uint8Array, k: number): Uint8Array {
  // Nothing was carved after it, from this slab or a new one (no `.buffer`
  // to compare: on V8 that is a call into the runtime).
  if (leased === last) {
    used = aligned(leased.byteOffset + k);
    last = null;
  }
  return k === leased.length ? leased : leased.subarray(0, k);
}
