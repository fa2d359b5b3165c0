// Copyright the pysocket authors. MIT license.
// Small results share larger buffers, as Node's Buffer pool does: making
// an ArrayBuffer per recv() costs more than the read itself does for small
// messages. A result is a view of its own bytes; only `result.buffer` shows
// the shared memory behind it.

/** Results up to this size are carved out of a shared slab. */
const POOLED_MAX = 4096;
const SLAB_SIZE = 64 * 1024;

let slab = new Uint8Array(SLAB_SIZE);
let used = 0;

/** A new `Uint8Array` holding a copy of `src[0, k)`. */
export function copyOut(src: Uint8Array, k: number): Uint8Array {
  if (k > POOLED_MAX) return src.slice(0, k);
  // A slab whose buffer was transferred away (postMessage, a byte stream)
  // is replaced, so that one result given away breaks no later one.
  if (used + k > SLAB_SIZE || slab.byteLength === 0) {
    slab = new Uint8Array(SLAB_SIZE);
    used = 0;
  }
  const out = slab.subarray(used, used + k);
  out.set(src.subarray(0, k));
  // Keep views 8-byte aligned, so typed views over a result still work.
  used += (k + 7) & ~7;
  return out;
}
