// Copyright the pysocket authors. MIT license.
// A turn of Deno's event loop in which it polls its I/O.
//
// Deno's event loop runs on a single-threaded tokio scheduler, which asks
// the kernel for I/O readiness when it has nothing else to run, and else
// once every 61 of its ticks (tokio's `event_interval`, as Deno sets it). A
// `setImmediate` callback is a tick of its own: in a chain of them, a read
// of bytes that are in the kernel already completes at the 57th to 60th
// (measured on Deno 2.9, 300 reads), so a non-blocking `recv()` or a
// `select(…, 0)` that waited two of them (as on Node and Bun) missed what
// CPython's would return. (`setTimeout(0)` lets the scheduler poll too, in
// 2 ms; awaiting an operation of Deno's blocking pool, `crypto.subtle`'s
// digest, did in most trials, 45 µs, but not in all.)

/** Ticks in a row, past tokio's 61, after which the kernel was polled. */
const TICKS = 64;

type Immediate = (fn: () => void) => unknown;

/**
 * Runs `fn` once Deno has polled its I/O (`Backend.ioTurn`): after
 * {@linkcode TICKS} `setImmediate` callbacks, about 60 µs; sooner, without
 * `fn`, once `over()` says it is no longer needed.
 */
export function denoIoTurn(fn: () => void, over: () => boolean): void {
  const immediate = (globalThis as { setImmediate?: Immediate }).setImmediate;
  if (immediate === undefined) {
    setTimeout(() => over() || fn(), 0);
    return;
  }
  let left = TICKS;
  const tick = () => {
    if (over()) return;
    if (--left === 0) fn();
    else immediate(tick);
  };
  immediate(tick);
}
