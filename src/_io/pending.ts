// Copyright the pysocket authors. MIT license.
// Pending operations: FIFO waiters with Python's timeout modes, and an inbox
// that keeps one runtime operation (accept, receive) in flight for them.
//
// Runtime reads and accepts cannot be cancelled. So a waiter that times out
// leaves the queue but its operation goes on, and what that operation brings
// stays in the inbox for the next call: nothing is lost.

import { Waiting } from "./waiting.ts";
import { Fifo } from "./shift_first.ts";
import { errnoError, timedOut } from "../socket/errors.ts";
import { mapError } from "./boundary.ts";
import { backend } from "../_backend/mod.ts";
import { addDue, cancelDue, type Due, holdProcess } from "./deadlines.ts";

/**
 * A wait in milliseconds as the socket's mode gives it: `null` waits as long
 * as needed, `0` is non-blocking (what completes within one turn of the
 * event loop in which the runtime polled its I/O, so that what the kernel
 * holds already is seen, as CPython sees it, and a retry loop cannot starve
 * the event loop), more is a timeout (which ends the wait only after such a
 * turn, too: a timer that fires before the I/O that came in time has been
 * delivered does not win over it).
 */
export type WaitMs = number | null;

const noop = () => {};

/** setTimeout's largest delay; longer waits are chained. */
const MAX_DELAY = 2 ** 31 - 1;

type Immediate = (fn: () => void) => unknown;

/**
 * Runs `fn` after one turn of the event loop: two `setImmediate`s, which
 * Deno, Node and Bun all have (Bun runs an immediate before that turn's
 * I/O, Node after it: on both, the I/O that is ready now has been handled;
 * Deno may not have polled the kernel: see `afterIoTurn`); `setTimeout(0)`
 * would wait 1–2 ms.
 */
export function afterTurn(fn: () => void): void {
  const immediate = (globalThis as { setImmediate?: Immediate }).setImmediate;
  if (immediate !== undefined) immediate(() => immediate(fn));
  else setTimeout(fn, 0);
}

/**
 * Runs `fn` once the runtime has polled its I/O (`Backend.ioTurn`; where
 * the backend has none, one turn of the event loop does it), unless
 * `over()` by then: the turn before an answer that nothing came.
 */
function afterIoTurn(fn: () => void, over: () => boolean): void {
  const b = backend();
  if (b.ioTurn !== undefined) b.ioTurn(fn, over);
  else afterTurn(() => over() || fn());
}

/**
 * Arms the end of a wait of `ms` milliseconds: `onTimeout` runs once at
 * least `ms` have passed (timers may fire a little early). `null` never
 * ends, and keeps the process alive as a blocked call in Python would; `0`
 * arms nothing (the caller ends after one turn of the event loop).
 *
 * @returns What disarms it.
 */
export function armWait(
  ms: number | null,
  onTimeout: () => void,
): () => void {
  if (ms === null) return holdProcess();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let disarmed = false;
  if (ms > 0) {
    const deadline = performance.now() + ms;
    const arm = (delay: number) => {
      timer = setTimeout(() => {
        const left = deadline - performance.now();
        if (left > 0) arm(Math.min(Math.ceil(left), MAX_DELAY));
        else afterIoTurn(onTimeout, () => disarmed);
      }, delay);
    };
    arm(Math.min(Math.ceil(ms), MAX_DELAY));
  }
  return () => {
    disarmed = true;
    clearTimeout(timer);
  };
}

/**
 * A readiness wait (`select`, a selector): one turn of the event loop (for
 * `ms` 0, one in which the runtime polled its I/O), then `turned()`; unless
 * that ends the wait (it returns `true`, as it must for `ms` 0), the wait is
 * armed for what is left of `ms`. A wait that the turn ends arms no timer.
 *
 * @param ms The longest wait in milliseconds, or `null`.
 * @param turned Called after the turn: whether the wait is over.
 * @param onTimeout Called once `ms` have passed.
 * @returns What cancels it.
 */
export function waitAfterTurn(
  ms: number | null,
  turned: () => boolean,
  onTimeout: () => void,
): () => void {
  const start = ms === null ? 0 : performance.now();
  let disarm: (() => void) | null = null;
  let cancelled = false;
  const isCancelled = () => cancelled;
  const afterFirst = () => {
    if (cancelled || turned()) return;
    const left = ms === null ? null : ms - (performance.now() - start);
    if (left !== null && left <= 0) afterIoTurn(onTimeout, isCancelled);
    else disarm = armWait(left, onTimeout);
  };
  if (ms === 0) afterIoTurn(afterFirst, isCancelled);
  else afterTurn(afterFirst);
  return () => {
    cancelled = true;
    disarm?.();
  };
}

/**
 * A timer that may run longer than setTimeout allows; it fires after a turn
 * in which the runtime polled its I/O (0: that turn alone). Timers of one
 * length share a runtime timer (deadlines.ts).
 */
class Timer {
  #id: ReturnType<typeof setTimeout> | undefined;
  #due: Due | undefined;
  #cleared = false;

  constructor(ms: number, fn: () => void) {
    if (ms === 0) this.#fire(fn);
    else if (ms <= MAX_DELAY) this.#due = addDue(ms, () => this.#fire(fn));
    else this.#arm(ms, fn);
  }

  #arm(ms: number, fn: () => void) {
    const step = Math.min(ms, MAX_DELAY);
    this.#id = setTimeout(
      () => step === ms ? this.#fire(fn) : this.#arm(ms - step, fn),
      step,
    );
  }

  #fire(fn: () => void) {
    afterIoTurn(fn, () => this.#cleared);
  }

  clear() {
    this.#cleared = true;
    if (this.#due !== undefined) cancelDue(this.#due);
    if (this.#id !== undefined) clearTimeout(this.#id);
  }
}

interface Waiter<T, D> {
  data: D;
  resolve(value: T): void;
  reject(reason: unknown): void;
  timer: Timer | undefined;
  /** It gave up at its deadline (left in the ring until it is first). */
  gone: boolean;
}

/** The error for a wait that ran out: `TimeoutError`, or `EAGAIN` at 0. */
export function expired(ms: number): Error {
  return ms === 0 ? errnoError("EAGAIN") : timedOut();
}

/**
 * Runs `op` under a wait: rejects with `TimeoutError` (or `EAGAIN` for a
 * non-blocking wait) if it has not settled in time. `op` itself goes on.
 */
export function withWait<T>(op: Promise<T>, ms: WaitMs): Promise<T> {
  if (ms === null) return op;
  return new Promise<T>((resolve, reject) => {
    const timer = new Timer(ms, () => reject(expired(ms)));
    op.then(resolve, reject).finally(() => timer.clear());
  });
}

/**
 * A FIFO of callers waiting for a result, each with its own deadline. It
 * may grow long (a program that starts many calls without awaiting each):
 * adding, settling the first and giving up cost the same at any length.
 */
export class WaitQueue<T, D = undefined> {
  /**
   * The first waiter, kept apart: one waits at a time nearly always, and
   * needs no ring then.
   */
  #first: Waiter<T, D> | null = null;
  /**
   * The waiters behind it, in order; some may have given up (`gone`:
   * dropped once they are first).
   */
  #rest = new Fifo<Waiter<T, D>>();
  /** How many of them have not given up. */
  #live = 0;
  #gaveUp: () => void;

  /** @param gaveUp Called after a waiter left the queue at its deadline. */
  constructor(gaveUp: () => void = noop) {
    this.#gaveUp = gaveUp;
  }

  /** How many are waiting. */
  get length(): number {
    return this.#live;
  }

  /** The data of the first waiter. */
  head(): D | undefined {
    return this.#first?.data;
  }

  /** Queues a waiter; it leaves the queue with an error when `ms` passes. */
  add(data: D, ms: WaitMs): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T, D> = {
        data,
        resolve,
        reject,
        timer: undefined,
        gone: false,
      };
      if (ms !== null) {
        waiter.timer = new Timer(ms, () => {
          // Left where it is, unless first: dropped once it is.
          waiter.gone = true;
          this.#live--;
          this.#trim();
          reject(expired(ms));
          this.#gaveUp();
        });
      }
      if (this.#first === null) this.#first = waiter;
      else this.#rest.push(waiter);
      this.#live++;
    });
  }

  /** Drops the waiters at the front that gave up: the first one waits. */
  #trim(): void {
    while (this.#first !== null && this.#first.gone) {
      this.#first = this.#rest.length > 0 ? this.#rest.shift()! : null;
    }
  }

  /** Takes the first waiter (there is one). */
  #take(): Waiter<T, D> {
    const w = this.#first!;
    this.#first = this.#rest.length > 0 ? this.#rest.shift()! : null;
    this.#live--;
    this.#trim();
    w.timer?.clear();
    return w;
  }

  /** Settles the first waiter with a value. */
  resolveHead(value: T): void {
    this.#take().resolve(value);
  }

  /** Settles the first waiter with an error. */
  rejectHead(reason: unknown): void {
    this.#take().reject(reason);
  }

  /**
   * Settles every waiter with an error, made only if someone waits (an
   * error's stack trace is not free).
   */
  rejectAll(reason: () => unknown): void {
    if (this.#live === 0) return;
    const err = reason();
    while (this.#live > 0) this.rejectHead(err);
  }
}

/**
 * Results of a runtime operation that can have only one call in flight
 * (`accept`, a datagram `receive`), handed to callers in order. A result
 * that comes after its caller gave up waits here for the next caller; so
 * does an error nobody was waiting for (for the caller after the results,
 * or, `errorFirst`, for the next caller).
 */
export class Inbox<T, R = T> {
  #produce: () => Promise<R>;
  #accept: (raw: R) => T | undefined;
  #dispose: (item: T) => void;
  #ready: () => boolean;
  #items = new Fifo<T>();
  /** Callers waiting; the data is "peek": look without taking. */
  #waiters = new WaitQueue<T, boolean>(() => this.#gaveUp());
  #busy: Promise<unknown> | null = null;
  /** The operation in flight is a caller's own (the fast path of `take`). */
  #direct = false;
  #error: Error | null = null;
  #closed = false;
  #reason: () => Error = () => errnoError("EBADF");
  /**
   * Someone watches readiness and has not been told yet: keep one
   * operation going ahead until a result or an error waits here (one that
   * a waiter takes does not count; the watcher still waits).
   */
  #ahead = false;
  #changed: () => void;
  #waiting: Waiting;
  /**
   * An error waiting goes before the results (a datagram socket's: Linux's
   * receive checks `sk_err` before its queue); else after them (a
   * listener's: Linux's `accept()` hands a queued connection first).
   */
  #errorFirst: boolean;

  /**
   * @param produce Starts the runtime operation.
   * @param dispose Releases a result nobody took, when the inbox closes.
   * @param ready Whether the operation can start yet (a datagram socket
   * that is not bound has nothing to receive on: its callers wait).
   * @param changed Called when a result or an error arrives that nobody
   * was waiting for (readiness changed).
   * @param waiting Told whether someone still waits on the operation in
   * flight (`RawConn.waiting`): `false` once all gave up, `true` again.
   * @param accept What the operation brought, as a result; `undefined`:
   * dropped, and the operation runs again (a datagram from someone other
   * than the peer). A step of the inbox's own, not one more promise.
   * @param errorFirst An error waiting goes before the results.
   */
  constructor(
    produce: () => Promise<R>,
    dispose: (item: T) => void = noop,
    ready: () => boolean = () => true,
    changed: () => void = noop,
    waiting: (on: boolean) => void = noop,
    accept: (raw: R) => T | undefined = (raw) => raw as unknown as T,
    errorFirst = false,
  ) {
    this.#errorFirst = errorFirst;
    this.#produce = produce;
    this.#accept = accept;
    this.#dispose = dispose;
    this.#ready = ready;
    this.#changed = changed;
    this.#waiting = new Waiting(waiting);
  }

  /**
   * A waiter gave up: if none is left, nobody waits on the operation. (One
   * for readiness alone waits for nobody: a readiness wait keeps the
   * process alive by its own timer.)
   */
  #gaveUp(): void {
    if (this.#waiters.length === 0 && this.#busy !== null && !this.#direct) {
      this.#waiting.release();
    }
  }

  /**
   * Would a `take` complete now (a result or an error is waiting, or the
   * inbox is closed)? Without consuming anything; when not, starts one
   * operation ahead so that the answer can change (`changed` tells).
   */
  poll(): boolean {
    if (this.#closed || this.#items.length > 0 || this.#error !== null) {
      return true;
    }
    this.#ahead = true;
    this.#pump();
    return false;
  }

  /** Results waiting for a caller. */
  get size(): number {
    return this.#items.length;
  }

  /** An error waits for a caller (see `errorFirst`). */
  get failed(): boolean {
    return this.#error !== null;
  }

  /** Closed: every `take` fails. */
  get closed(): boolean {
    return this.#closed;
  }

  /** The error waiting for a caller, taken (`SO_ERROR`); `null` if none. */
  takeError(): Error | null {
    const err = this.#error;
    this.#error = null;
    return err;
  }

  /**
   * The next result, waiting at most `ms`; with `peek` it stays for the
   * next call.
   */
  take(ms: WaitMs, peek = false): Promise<T> {
    if (this.#closed) return Promise.reject(this.#reason());
    if (this.#waiters.length === 0) {
      // With `errorFirst`, the error before the results (see there).
      const first = this.#errorFirst || this.#items.length === 0;
      if (this.#error !== null && first) {
        const err = this.#error;
        this.#error = null;
        return Promise.reject(err);
      }
      if (this.#items.length > 0) {
        return Promise.resolve(
          peek ? this.#items.first! : this.#items.shift()!,
        );
      }
      const op = ms === null ? this.#startDirect(peek) : null;
      if (op !== null) return op.then(this.#directDone, this.#directFailed);
    }
    const p = this.#waiters.add(peek, ms);
    // An operation in flight that everyone had given up on: waited on again.
    if (this.#busy !== null) this.#waiting.hold();
    this.#pump();
    return p;
  }

  /**
   * `take(null, peek)` with its result handed to `done` (its error to
   * `failed`) in the runtime operation's own step where the caller's
   * promise would follow it directly (the fast path of `take`): one
   * promise fewer for a caller that settles a promise of its own.
   */
  takeThen(
    peek: boolean,
    done: (item: T) => void,
    failed: (err: unknown) => void,
  ): void {
    const op = this.#startDirect(peek);
    if (op === null) {
      this.take(null, peek).then(done, failed);
      return;
    }
    op.then((raw) => {
      let got: T | Promise<T>;
      try {
        got = this.#directDone(raw);
      } catch (err) {
        failed(err);
        return;
      }
      if (got instanceof Promise) got.then(done, failed);
      else done(got);
    }, (err) => {
      try {
        this.#directFailed(err);
      } catch (e) {
        failed(e);
      }
    });
  }

  /**
   * The fast path of `take(null, peek)`: nobody else waits, nothing waits
   * here and nothing can give up, so the caller's step follows the runtime
   * operation directly. The operation started, or `null` where it does not
   * apply.
   */
  #startDirect(peek: boolean): Promise<R> | null {
    if (
      this.#closed || this.#waiters.length > 0 || this.#error !== null ||
      this.#items.length > 0 || peek || this.#busy !== null || !this.#ready()
    ) {
      return null;
    }
    const op = this.#produce();
    this.#busy = op;
    this.#direct = true;
    return op;
  }

  /** The operation may be ready now: start it if someone waits. */
  kick(): void {
    this.#pump();
  }

  /** Settles once no runtime operation is in flight. */
  async settled(): Promise<void> {
    while (this.#busy !== null) {
      // Someone waits on the operation now.
      this.#waiting.hold();
      await this.#busy.then(noop, noop);
    }
  }

  /**
   * Stops: releases what nobody took and fails the waiters with `reason`
   * (`EBADF` unless given) once the operation in flight (cancelled by the
   * caller closing the resource) has settled, so that nothing is left
   * running.
   */
  close(reason: () => Error = () => errnoError("EBADF")): void {
    this.#closed = true;
    this.#reason = reason;
    this.#error = null;
    if (this.#items.length > 0) {
      for (const item of this.#items.takeAll()) this.#dispose(item);
    }
    // Every waiter is told at once; the operation in flight (cancelled by
    // the caller closing the resource) disposes of what it still brings.
    this.#waiters.rejectAll(reason);
    // The operation in flight settles for whoever awaits the close (an
    // unref'd one might not be waited for).
    if (this.#busy !== null) this.#waiting.hold();
    this.#changed();
  }

  #directDone = (raw: R): T | Promise<T> => {
    const item = this.#accept(raw);
    if (item === undefined && !this.#closed) {
      // Dropped: the caller's operation runs again.
      const op = this.#produce();
      this.#busy = op;
      return op.then(this.#directDone, this.#directFailed);
    }
    this.#busy = null;
    this.#direct = false;
    if (this.#closed) {
      if (item !== undefined) this.#dispose(item);
      throw this.#reason();
    }
    // A poll while the direct operation was busy still wants one ahead.
    if (this.#waiters.length > 0 || this.#ahead) this.#pump();
    return item!;
  };

  #directFailed = (err: unknown): never => {
    this.#busy = null;
    this.#direct = false;
    if (this.#closed) throw this.#reason();
    this.#pump();
    throw mapError(err);
  };

  #pump(): void {
    if (this.#errorFirst && this.#waiters.length > 0 && this.#error !== null) {
      const err = this.#error;
      this.#error = null;
      this.#waiters.rejectHead(err);
    }
    while (this.#waiters.length > 0 && this.#items.length > 0) {
      const peek = this.#waiters.head()!;
      this.#waiters.resolveHead(
        peek ? this.#items.first! : this.#items.shift()!,
      );
    }
    while (this.#waiters.length > 0 && this.#error !== null) {
      const err = this.#error;
      this.#error = null;
      this.#waiters.rejectHead(err);
    }
    const wanted = this.#waiters.length > 0 ||
      (this.#ahead && this.#items.length === 0 && this.#error === null);
    if (!wanted || this.#busy !== null || this.#closed || !this.#ready()) {
      return;
    }
    const ahead = this.#waiters.length === 0;
    this.#busy = this.#produce().then(this.#produced, this.#produceFailed);
    // An operation for readiness alone: the readiness wait keeps the
    // process alive.
    if (ahead) this.#waiting.release();
  }

  // The operation #pump started has ended (functions of the inbox's own,
  // not closures made for each operation).

  #produced = (raw: R): void => {
    this.#busy = null;
    const item = this.#accept(raw);
    if (this.#closed) {
      if (item !== undefined) this.#dispose(item);
      this.#waiters.rejectAll(this.#reason);
      return;
    }
    if (item === undefined) {
      // Dropped: the operation runs again while it is still wanted.
      this.#pump();
      return;
    }
    this.#items.push(item);
    this.#pump();
    if (this.#items.length > 0) this.#readyNow();
  };

  #produceFailed = (err: unknown): void => {
    this.#busy = null;
    if (this.#closed) {
      this.#waiters.rejectAll(this.#reason);
      return;
    }
    // An error nobody waits for is the next caller's, like a result.
    this.#error = mapError(err);
    this.#pump();
    if (this.#error !== null) this.#readyNow();
  };

  /** A result or an error waits: the watchers are told (they poll again). */
  #readyNow(): void {
    this.#ahead = false;
    this.#changed();
  }
}
