// Copyright the pysocket authors. MIT license.
// The engine's queues (waiters, the send queue, received chunks) mostly
// hold one entry at a time, and V8 shifts an array empty in a call into the
// runtime, then reallocates its elements at the next push: once per call.

/**
 * `array.shift()` for arrays that mostly hold one entry: the last one is
 * popped, which keeps the array's room (V8 shifts an array empty in a call
 * into the runtime, and the next push then allocates its elements again).
 */
export function shiftFirst<T>(array: T[]): T | undefined {
  return array.length === 1 ? array.pop() : array.shift();
}
