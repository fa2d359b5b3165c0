// Copyright the pysocket authors. MIT license.
// Taking turns, as Python's threads do. CPython switches threads every 5 ms
// (`sys.getswitchinterval()`), so a thread that loops on calls answered at
// once (a receive at the end of stream, a call that fails, a send with room,
// bytes the socket holds already) still lets the others run: a timer that
// sets a stop flag, a receiver the loop waits for. A port's threads are
// async functions, and promises settled at once resolve in microtasks: such
// a loop would never let the event loop run anything else. So while socket
// calls go on, one answer per switch interval waits for one turn of the
// event loop (the clock is read every 128th call: a loop of calls that take
// 1 ms each would wait longer, but such calls let the loop turn anyway). The
// call itself starts at once: only its answer waits, so calls keep their
// order.

import { afterTurn } from "./pending.ts";

/** CPython's default switch interval, in milliseconds. */
const SWITCH_MS = 5;

/** Calls between two looks at the clock (a power of two, less one). */
export const EVERY = 127;

let calls = 0;
/** When a call last waited for a turn (`performance.now()`). */
let switched = 0;

/**
 * Counts a call: a promise of one turn of the event loop when the switch
 * interval has passed since the last one, else `null`. (An `async` call
 * awaits it first, where it may answer without another socket call.)
 *
 * @returns The turn to wait for, or `null`.
 */
export function turnDue(): Promise<void> | null {
  if ((++calls & EVERY) !== 0) return null;
  return clockDue();
}

/** The turn, when the switch interval has passed: see `turnDue`. */
function clockDue(): Promise<void> | null {
  const now = performance.now();
  if (now - switched < SWITCH_MS) return null;
  switched = now;
  return new Promise((resolve) => afterTurn(resolve));
}

/**
 * A call's answer, given after one turn of the event loop when the switch
 * interval is up (see the module's comment); otherwise `answer` itself.
 *
 * @param answer The call's promise.
 * @returns The same answer, perhaps a turn later.
 */
export function inTurn<T>(answer: Promise<T>): Promise<T> {
  return (++calls & EVERY) !== 0 ? answer : turnAt(answer);
}

/**
 * {@linkcode inTurn} for a caller that counts its calls itself (`EVERY`)
 * and asks on every 128th: the same answer, perhaps a turn later, when the
 * switch interval is up.
 *
 * @param answer The call's promise.
 * @returns The same answer, perhaps a turn later.
 */
export function turnAt<T>(answer: Promise<T>): Promise<T> {
  const due = clockDue();
  if (due === null) return answer;
  // Handled now (a rejection waits for the turn, never unhandled).
  return answer.then(
    (value) => due.then(() => value),
    (err) => due.then(() => Promise.reject(err)),
  );
}
