// Copyright the pysocket authors. MIT license.
// Timed waits of the same length under one runtime timer, as Node keeps
// its own timers.
//
// A socket with a timeout arms a timer for each call that waits, and the
// call nearly always ends before it: a `setTimeout` and a `clearTimeout`
// per call cost 1.3–1.6 µs on Deno (0.4–0.6 on Node, 0.2–0.4 on Bun),
// which was most of what a timeout added to a round trip of a concurrent
// echo server on Deno. Waits of one length end in the order they began, so
// they are kept in a list in that order, under one runtime timer armed for
// the first: adding and clearing a wait is a link in the list while others
// wait; the timer is armed again when it fires, for the first wait then
// left. The list last left empty is kept for the next wait of its length.
//
// A socket whose calls wait one after another empties its list at every
// call, and the next call fills it again in the same turn of the event
// loop. So the last wait to leave does not clear the runtime timer: it is
// left armed but unreferenced (it keeps no process alive), and the next
// wait references it again (0.1 µs, where a new timer costs 2 µs on
// Deno); armed for an earlier deadline, it fires early and is armed again
// for the first wait then left, or, with none, simply ends. Closing a
// socket clears the timer so left (`releaseIdle`), as does the last wait
// leaving when no socket is open (a call that a close() ended): no timer
// outlives the program's sockets, as Deno's test sanitizers check.

import { openDescriptors } from "./fd_table.ts";

/** A timed wait in its list. */
export interface Due {
  readonly deadline: number;
  readonly fire: () => void;
  prev: Due | null;
  next: Due | null;
  /** Its list; `null` once it has left it (fired or cleared). */
  list: Deadlines | null;
}

const lists = new Map<number, Deadlines>();
/**
 * The list last left empty, kept in `lists` for the next wait of its
 * length: a socket whose calls wait one after another, the usual case,
 * empties its list at every call. (One at most: the next list left empty
 * takes its place.)
 */
let spare: Deadlines | null = null;

/** The waits of one length, first to end first. */
class Deadlines {
  readonly #ms: number;
  #first: Due | null = null;
  #last: Due | null = null;
  #id: ReturnType<typeof setTimeout> | undefined;
  /** `#id` is armed with no wait in the list (unreferenced). */
  #idle = false;

  constructor(ms: number) {
    this.#ms = ms;
  }

  push(fire: () => void): Due {
    const due: Due = {
      deadline: performance.now() + this.#ms,
      fire,
      prev: this.#last,
      next: null,
      list: this,
    };
    if (this.#last !== null) this.#last.next = due;
    else this.#first = due;
    this.#last = due;
    // (Armed already: for an earlier deadline, and armed again then.)
    if (this.#id === undefined) this.#id = setTimeout(this.#expire, this.#ms);
    else if (this.#idle) {
      this.#idle = false;
      refTimer(this.#id, true);
    }
    return due;
  }

  remove(due: Due): void {
    this.#unlink(due);
    if (this.#first === null) {
      if (this.#id !== undefined) {
        this.#idle = true;
        // (Once no socket is open, at once: a call that a close() ended.)
        if (openDescriptors() === 0) this.release();
        else refTimer(this.#id, false);
      }
      this.#emptied();
    }
  }

  /** Clears the runtime timer if no wait is in the list. */
  release(): void {
    if (!this.#idle) return;
    clearTimeout(this.#id);
    this.#id = undefined;
    this.#idle = false;
  }

  /** The last wait has left: this list is the spare, the old one goes. */
  #emptied(): void {
    if (spare !== null && spare !== this && spare.#first === null) {
      spare.release();
      lists.delete(spare.#ms);
    }
    spare = this;
  }

  #unlink(due: Due): void {
    if (due.prev !== null) due.prev.next = due.next;
    else this.#first = due.next;
    if (due.next !== null) due.next.prev = due.prev;
    else this.#last = due.prev;
    due.prev = due.next = null;
    due.list = null;
  }

  #expire = (): void => {
    this.#id = undefined;
    this.#idle = false;
    const now = performance.now();
    const fired: (() => void)[] = [];
    // (A timer may fire up to a millisecond before its time.)
    while (this.#first !== null && this.#first.deadline - now < 1) {
      const due = this.#first;
      this.#unlink(due);
      fired.push(due.fire);
    }
    if (this.#first !== null) {
      this.#id = setTimeout(
        this.#expire,
        Math.ceil(this.#first.deadline - now),
      );
    } else this.#emptied();
    for (const fire of fired) fire();
  };
}

/**
 * References a runtime timer again, or no longer (`unref`: it keeps no
 * process alive); a timer without the methods (a number) is left as it is.
 */
function refTimer(id: ReturnType<typeof setTimeout>, on: boolean): void {
  const timer = id as { ref?: () => unknown; unref?: () => unknown };
  if (on) timer.ref?.();
  else timer.unref?.();
}

/**
 * Clears the runtime timers that lists with no wait left armed (see the
 * module's comment), and the keeper's when nothing holds it: called when a
 * socket closes.
 */
export function releaseIdle(): void {
  if (spare !== null) spare.release();
  if (holds === 0) releaseKeeper();
}

/** setTimeout's largest delay. */
const MAX_DELAY = 2 ** 31 - 1;

/**
 * The one runtime timer that keeps the process alive while a wait with no
 * end is in progress (a `select()` with no timeout, whose reads ahead keep
 * nothing alive), and how many such waits hold it. As a list's timer, it
 * is left armed but unreferenced when the last wait lets go, and
 * referenced again by the next: a selector loop waits at nearly every
 * `select()`, and a `setTimeout` with its `clearTimeout` costs 2–4 µs on
 * Deno 2.9, a reference and its release 0.1 µs.
 */
let keeper: ReturnType<typeof setTimeout> | undefined;
let holds = 0;

/** The keeper's timer ends: armed again, held or not (unreferenced then). */
function renewKeeper(): void {
  keeper = setTimeout(renewKeeper, MAX_DELAY);
  if (holds === 0) refTimer(keeper, false);
}

/** Clears the keeper's timer (nothing holds it). */
function releaseKeeper(): void {
  if (keeper === undefined) return;
  clearTimeout(keeper);
  keeper = undefined;
}

/**
 * Keeps the process alive, as a blocked call in Python does, until the
 * returned function is called (once).
 *
 * @returns What lets go.
 */
export function holdProcess(): () => void {
  if (holds++ === 0) {
    if (keeper === undefined) keeper = setTimeout(renewKeeper, MAX_DELAY);
    else refTimer(keeper, true);
  }
  let held = true;
  return () => {
    if (!held) return;
    held = false;
    if (--holds !== 0) return;
    // (Once no socket is open, at once: a wait that a close() ended.)
    if (openDescriptors() === 0) releaseKeeper();
    else if (keeper !== undefined) refTimer(keeper, false);
  };
}

/**
 * Schedules `fire` in `ms` milliseconds (at most setTimeout's largest
 * delay), in the list of waits of that length.
 *
 * @returns What {@linkcode cancelDue} takes.
 */
export function addDue(ms: number, fire: () => void): Due {
  let list = lists.get(ms);
  if (list === undefined) lists.set(ms, list = new Deadlines(ms));
  return list.push(fire);
}

/** Takes a wait out of its list, unless it has fired or left already. */
export function cancelDue(due: Due): void {
  due.list?.remove(due);
}
