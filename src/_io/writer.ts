// Copyright the pysocket authors. MIT license.
// The writing side of a stream connection: pysocket's own send buffer in
// front of the runtime's writes, which cannot be cancelled.
//
// A send with a timeout, or a non-blocking one, either copies what fits into
// the send buffer at once and returns that count, or waits for room; when
// the wait ends first it has sent nothing. So a call that raised never sent
// a byte and a call that returned `k` sent exactly `k`, as with the
// kernel's own buffer. A send that waits as long as needed lends its bytes
// instead (no copy) and settles once the runtime has taken them. The buffer
// is flushed in order, one runtime write at a time; `close()` hands what is
// queued to the runtime and lets it finish. A small copy joins the copy
// queued last while that one is not being written (its bytes are nobody's
// but ours), so that one runtime write carries many small sends.

import { errnoError, timedOut } from "../socket/errors.ts";
import { errnoOf, mapError } from "./boundary.ts";
import { copyPrefixAt, copyToSend } from "./pool.ts";
import { Fifo } from "./shift_first.ts";
import { type WaitMs, WaitQueue } from "./pending.ts";
import type { RawConn } from "../_backend/mod.ts";
import { ERROR, HANGUP } from "./readiness.ts";
import { isDetached, releasedError } from "../_py/pytype.ts";

/**
 * The send buffer's room, over the kernel's own: what a non-blocking or
 * timed `send` can take when the runtime is busy writing.
 */
export const SEND_BUFFER = 256 * 1024;

/** What a `sendall` done at once resolves to. */
const noop = () => {};
const DONE: Promise<undefined> = Promise.resolve(undefined);
/** What a `send` of nothing done at once resolves to. */
const ZERO: Promise<number> = Promise.resolve(0);
/** Copies up to this size join the copy queued last (see `#copy`). */
const JOIN_MAX = 4096;
/** The room a joined copy is made with (a TLS record's most). */
const JOIN_ROOM = 16 * 1024;

/** A queued write. */
interface Entry {
  /**
   * The bytes, `data[0, size)`: a copy of the send buffer's own (`caller`
   * `null`) may have room after them, which later copies join.
   */
  data: Uint8Array;
  /**
   * `data.length` when queued, for a lent view (which may be detached or
   * shrunk meanwhile: see `#flush`); the bytes held, for a copy.
   */
  size: number;
  /** Bytes of `data` written so far. */
  done: number;
  /**
   * The waiting caller of a lent send: `all` settles once every byte is
   * written (`sendall`), else after the first write, with its count.
   */
  caller: {
    all: boolean;
    promise: Promise<number | undefined>;
    resolve(n: number | undefined): void;
    reject(err: unknown): void;
  } | null;
}

/**
 * `data` as a call that waited has it: no more than `size` bytes, its
 * length at the call (a length-tracking view may have grown since:
 * Python's buffer cannot be resized while a call holds it).
 */
export function asked(data: Uint8Array, size: number): Uint8Array {
  return data.length > size ? data.subarray(0, size) : data;
}

/** The writing side of one connection. */
export class StreamWriter {
  #conn: RawConn;
  #changed: () => void;
  #onFailed: () => void;
  #queue: Fifo<Entry> = new Fifo();
  /** Bytes queued and not yet written (lent and copied alike). */
  #queued = 0;
  #writing = false;
  /**
   * A write that failed after its caller had returned: the next send
   * raises it, as the kernel reports an error on the next call.
   */
  #error: Error | null = null;
  /**
   * The reading side holds an error no call has told yet
   * (`readErrorHeld`): the next send takes it (`#readError`) before it
   * takes a byte, as Linux's reports the socket's pending error first.
   */
  #readHeld = false;
  /** The connection failed: every later send raises EPIPE. */
  #broken = false;
  #shut = false;
  #closed = false;
  /** Senders waiting for room in the buffer. */
  #room: WaitQueue<void> | null = null;
  /**
   * A timed or non-blocking `sendall()` that has queued part of its bytes
   * and waits for room for the rest: until it ends, no other send queues a
   * byte (lent ones wait in `#held`), so that calls never interleave.
   */
  #holder: object | null = null;
  /** Lent sends made while a `sendall()` holds the turn, in call order. */
  #held: Entry[] = [];
  /** Callers of `drain()` waiting for the queue to empty. */
  #idle: (() => void)[] = [];
  /** Bytes written so far (progress, for the close bound). */
  #total = 0;
  /** The connection is TLS (`RawTlsConn`, which tells its cipher). */
  #tls: boolean;

  /**
   * The reading side's error not yet told, taken (`null` if none): see
   * `#failed`.
   */
  #readError: () => Error | null;

  /**
   * @param conn The connection to write.
   * @param changed Called when room appears or the side fails (readiness).
   * @param failed Called when a write fails (the connection is gone).
   * @param readError The reading side's error that no call has told yet,
   * taken (it was the kernel's one pending error).
   */
  constructor(
    conn: RawConn,
    changed: () => void,
    failed: () => void = noop,
    readError: () => Error | null = () => null,
  ) {
    this.#conn = conn;
    this.#changed = changed;
    this.#onFailed = failed;
    this.#readError = readError;
    this.#tls = "cipher" in conn;
  }

  /**
   * Would a `send` take at least one byte now (or raise at once)? A closed
   * or failed side counts as ready: the call would not wait. When full, it
   * is ready again once the runtime tells of room, as Linux's poll does
   * (past its wake-up mark): the write in flight is not tried again here
   * (`RawConn.retryWrite`, which a send does), as the kernel would take it
   * below that mark.
   */
  poll(): boolean {
    return this.#ready();
  }

  /** {@linkcode StreamWriter.poll}. */
  #ready(): boolean {
    return this.#queued < SEND_BUFFER || this.#error !== null ||
      this.#broken || this.#shut || this.#closed;
  }

  /**
   * The write in flight waits for room: the runtime tries it again now
   * (`RawConn.retryWrite`), and once it goes, room appears in the buffer.
   */
  #retry(): void {
    if (this.#writing) this.#conn.retryWrite?.();
  }

  /**
   * What poll() reports of the writing side besides room: `HANGUP | ERROR`
   * while an error waits for the next send. A write that failed is no
   * hang-up by itself (a Unix peer's `SHUT_RD` fails our sends, and it may
   * still send): the reading side tells once the connection has ended.
   */
  hangups(): number {
    return this.#error !== null ? HANGUP | ERROR : 0;
  }

  /** The errno of the error waiting for the next send; 0 if none. */
  get pendingErrno(): number {
    return errnoOf(this.#error);
  }

  /**
   * The error waiting for the next send, taken (`SO_ERROR`): later sends
   * raise `EPIPE`, as when a send reports it. `null` if none.
   */
  takeError(): Error | null {
    const err = this.#error;
    if (err === null) return null;
    this.#error = null;
    this.#broken = true;
    return err;
  }

  /**
   * The reading side has met an error (a reset) that no call has told
   * yet: it is the kernel's one pending error, which the next send reports
   * instead of taking bytes the connection can no longer carry.
   */
  readErrorHeld(): void {
    this.#readHeld = true;
  }

  /**
   * The reading side told the error that ended the connection: it was the
   * kernel's one pending error, so later sends raise `EPIPE`.
   */
  readFailed(): void {
    this.#error = null;
    this.#broken = true;
  }

  /** Bytes queued and not yet written. */
  get queued(): number {
    return this.#queued;
  }

  /** Bytes written so far: it grows while the writes make progress. */
  get written(): number {
    return this.#total;
  }

  /**
   * Sends some of `data`: resolves to the count taken.
   *
   * @param data The bytes.
   * @param ms How long to wait ({@linkcode WaitMs}).
   */
  send(data: Uint8Array, ms: WaitMs): Promise<number> {
    const failed = this.#failure();
    if (failed !== null) return Promise.reject(failed);
    if (data.length === 0) {
      // Detached while the call waited for a connection.
      if (isDetached(data)) return Promise.reject(releasedError());
      return this.#sendNothing(data, false, ms) as Promise<number>;
    }
    if (ms === null) return this.#lend(data, false) as Promise<number>;
    // What fits is taken at once, with no wait armed.
    const taken = this.#take(data);
    if (taken > 0) return Promise.resolve(taken);
    this.#retry();
    const deadline = ms > 0 ? performance.now() + ms : 0;
    // (A length-tracking view may grow while it waits: the call sends no
    // more than it had when made, as Python's buffer cannot be resized.)
    const size = data.length;
    const attempt = (): Promise<number> => {
      const failed = this.#failure();
      if (failed !== null) return Promise.reject(failed);
      // Detached while it waited: Python's released memoryview.
      if (data.length === 0) return Promise.reject(releasedError());
      const taken = this.#take(asked(data, size));
      if (taken > 0) return Promise.resolve(taken);
      return this.#waitRoom(ms, deadline).then(attempt);
    };
    return this.#waitRoom(ms, deadline).then(attempt);
  }

  /**
   * Sends all of `data`. With a timeout, what was taken before it ran out
   * is sent and nothing more (the call raises `TimeoutError`, or
   * `BlockingIOError` when non-blocking): never a byte twice.
   *
   * @param data The bytes.
   * @param ms How long to wait ({@linkcode WaitMs}).
   */
  sendall(data: Uint8Array, ms: WaitMs): Promise<void> {
    const failed = this.#failure();
    if (failed !== null) return Promise.reject(failed);
    if (data.length === 0) {
      // Detached while the call waited for a connection.
      if (isDetached(data)) return Promise.reject(releasedError());
      return this.#sendNothing(data, true, ms) as Promise<void>;
    }
    // The lent entry of a sendall settles with nothing (Python's None).
    if (ms === null) return this.#lend(data, true) as Promise<void>;
    const deadline = ms > 0 ? performance.now() + ms : 0;
    const size = data.length;
    const turn = {};
    const end = (err?: unknown): Promise<void> => {
      if (this.#holder === turn) this.#release();
      return err === undefined ? Promise.resolve() : Promise.reject(err);
    };
    const rest = (from: number): Promise<void> => {
      let at = from;
      for (;;) {
        const failed = this.#failure();
        if (failed !== null) return end(failed);
        // Detached or shrunk while it waited for room (Python's released
        // memoryview): what was taken is sent, and nothing more.
        if (data.length < size) return end(releasedError());
        const left = at === 0 && data.length === size
          ? data
          : data.subarray(at, size);
        const n = this.#take(left, turn);
        at += n;
        if (at === size) return end();
        // The runtime may have taken what was queued at once: room again.
        if (n === 0) break;
        if (!this.#ready()) {
          // Full: the kernel may have room the runtime did not tell of.
          this.#retry();
          break;
        }
      }
      if (at > 0) this.#holder = turn;
      return this.#waitRoom(ms, deadline).then(() => rest(at), end);
    };
    return rest(0);
  }

  /**
   * A send of no bytes, which Linux's `send` still makes: it raises the
   * error the kernel holds (a reset that came while nobody read or wrote,
   * which the runtime has not told of: its write of nothing asks the
   * kernel), else returns 0 at once. With a timeout, CPython first waits
   * for room, as for any send (`TimeoutError` when none comes). Nothing is
   * asked behind a write in flight: that write tells of an error.
   *
   * @param data The empty bytes.
   * @param all For `sendall` (settles with nothing), else 0.
   * @param ms How long to wait ({@linkcode WaitMs}).
   */
  #sendNothing(
    data: Uint8Array,
    all: boolean,
    ms: WaitMs,
  ): Promise<number | undefined> {
    // TLS: OpenSSL writes nothing for nothing (CPython's SSLSocket.send(b'')
    // returns 0 and asks no kernel); a runtime's TLS may fail on it.
    if (this.#tls) return all ? DONE : ZERO;
    if (ms === null || ms === 0 || this.#ready()) return this.#ask(data, all);
    this.#retry();
    const deadline = performance.now() + ms;
    const attempt = (): Promise<number | undefined> => {
      const failed = this.#failure();
      if (failed !== null) return Promise.reject(failed);
      if (this.#ready()) return this.#ask(data, all);
      return this.#waitRoom(ms, deadline).then(attempt);
    };
    return this.#waitRoom(ms, deadline).then(attempt);
  }

  /**
   * Hands the runtime a write of nothing, where no write is queued or in
   * flight, so that the kernel tells its error: see `#sendNothing`.
   */
  #ask(data: Uint8Array, all: boolean): Promise<number | undefined> {
    const nothing = all ? DONE : ZERO;
    if (!this.#first()) return nothing;
    // Where the runtime tells what the kernel took (Bun), a count says
    // all is well; -1 leaves the write to report why.
    const taken = this.#conn.tryWrite?.(data);
    if (taken !== undefined && taken >= 0) return nothing;
    return this.#lend(data, all);
  }

  /** Waits for room until `deadline` (`ms` 0: one turn of the loop). */
  #waitRoom(ms: number, deadline: number): Promise<void> {
    const room = this.#room ??= new WaitQueue<void>();
    if (ms === 0) return room.add(undefined, 0);
    const left = deadline - performance.now();
    if (left <= 0) return Promise.reject(timedOut());
    return room.add(undefined, left);
  }

  /** The error a send raises now, if any (and it is raised once). */
  #failure(): Error | null {
    if (this.#closed) return errnoError("EBADF");
    if (this.#error !== null) {
      const err = this.#error;
      this.#error = null;
      this.#broken = true;
      return err;
    }
    if (this.#readHeld) {
      // (Taken, it has ended the connection: `readFailed` marks it broken.)
      this.#readHeld = false;
      const err = this.#readError();
      if (err !== null) return err;
    }
    if (this.#broken && !this.#shut) {
      const err = this.#conn.failedWrite?.();
      if (err !== undefined) return mapError(err);
    }
    if (this.#shut || this.#broken) return errnoError("EPIPE");
    return null;
  }

  /**
   * Queues `data` lent by a caller who waits: no copy. Settles with the
   * count written (`send`), or with nothing once all is written (`sendall`).
   */
  #lend(data: Uint8Array, all: boolean): Promise<number | undefined> {
    // Nothing queued: the runtime may take the bytes at once, and the
    // caller goes on without a write in flight.
    let done = 0;
    let inFlight: Promise<number> | null = null;
    if (this.#first()) {
      const part = this.#conn.writePart;
      const now = this.#conn.writeNow?.(
        all || part === undefined || data.length <= part
          ? data
          : data.subarray(0, part),
      );
      if (typeof now === "number") {
        this.#total += now;
        if (now === data.length) return all ? DONE : Promise.resolve(now);
        done = now;
      } else if (now !== undefined) inFlight = now;
    }
    const { promise, resolve, reject } = Promise.withResolvers<
      number | undefined
    >();
    const entry = {
      data,
      size: data.length,
      done,
      caller: { all, promise, resolve, reject },
    };
    if (inFlight !== null) {
      // The write in flight is the queue's head write.
      this.#queue.push(entry);
      this.#queued += data.length;
      this.#writing = true;
      inFlight.then(this.#written, this.#failed);
    } else if (this.#holder !== null) this.#held.push(entry);
    else this.#push(entry);
    return promise;
  }

  /** Another call's `sendall()` than `turn`'s holds the turn. */
  #heldByOther(turn?: object): boolean {
    return this.#holder !== null && this.#holder !== turn;
  }

  /**
   * A write now would be the first: nothing queued or in flight, and the
   * turn free (or `turn`'s own).
   */
  #first(turn?: object): boolean {
    return !this.#writing && this.#queue.length === 0 &&
      !this.#heldByOther(turn);
  }

  /**
   * What a send with a wait (timed or non-blocking) takes of `data` now:
   * what the kernel takes at once, else what fits in the buffer; 0 if none.
   */
  #take(data: Uint8Array, turn?: object): number {
    return this.#tryWrite(data, turn) || this.#copy(data, turn);
  }

  /**
   * Hands the kernel what it takes of `data` now, where the runtime can
   * without keeping `data` (`RawConn.tryWrite`) and nothing is queued
   * before it: the count, else 0. What it took needs no copy.
   */
  #tryWrite(data: Uint8Array, turn?: object): number {
    const conn = this.#conn;
    if (conn.tryWrite === undefined || !this.#first(turn)) return 0;
    const n = conn.tryWrite(data);
    if (n <= 0) return 0;
    this.#total += n;
    return n;
  }

  /**
   * Copies what fits of `data` into the buffer; returns the count (none
   * while another call's `sendall()` holds the turn).
   */
  #copy(data: Uint8Array, turn?: object): number {
    if (this.#heldByOther(turn)) return 0;
    const room = SEND_BUFFER - this.#queued;
    if (room <= 0) return 0;
    const n = Math.min(room, data.length);
    if (n > JOIN_MAX || !this.#join(data, n)) {
      this.#push({ data: copyToSend(data, n), size: n, done: 0, caller: null });
    }
    return n;
  }

  /**
   * Appends `data[0, n)` to the entry queued last where that is a copy
   * (no caller waits on it) that is not being written (the head, while
   * `#writing`): one runtime write then carries many small sends. False
   * where it cannot (`n` is then queued as an entry of its own).
   */
  #join(data: Uint8Array, n: number): boolean {
    const queue = this.#queue;
    const tail = queue.last;
    if (tail === undefined || tail.caller !== null) return false;
    if (this.#writing && queue.length === 1) return false;
    let bytes = tail.data;
    if (bytes.length - tail.size < n) {
      // Out of room: a small copy moves into one with room (so a byte is
      // copied twice at most); a large or full one is left as it is.
      const held = tail.size - tail.done;
      if (held > JOIN_MAX) return false;
      const grown = new Uint8Array(JOIN_ROOM);
      grown.set(bytes.subarray(tail.done, tail.size));
      tail.data = bytes = grown;
      tail.size = held;
      tail.done = 0;
    }
    copyPrefixAt(bytes, data, n, tail.size);
    tail.size += n;
    this.#queued += n;
    return true;
  }

  #push(entry: Entry): void {
    this.#queue.push(entry);
    this.#queued += entry.size - entry.done;
    if (!this.#writing) this.#flush();
  }

  /**
   * Writes the head of the queue; goes on until the queue is empty. Writes
   * the runtime takes at once are accounted for here, without a turn.
   */
  #flush(): void {
    const conn = this.#conn;
    for (;;) {
      const entry = this.#queue.first;
      if (entry === undefined) {
        this.#settleIdle();
        return;
      }
      if (entry.data.length < entry.size) {
        this.#released(entry);
        continue;
      }
      this.#writing = true;
      const part = conn.writePart;
      const end = entry.caller === null || entry.caller.all ||
          part === undefined
        ? entry.size
        : Math.min(entry.size, entry.done + part);
      const chunk = entry.done === 0 && entry.data.length === end
        ? entry.data
        : entry.data.subarray(entry.done, end);
      const now = conn.writeNow !== undefined
        ? conn.writeNow(chunk)
        : conn.write(chunk);
      if (typeof now !== "number") {
        now.then(this.#written, this.#failed);
        return;
      }
      this.#took(now);
    }
  }

  /**
   * The write of the queue's head took `n` bytes: its caller is told once
   * all of it is written. (A lent `send()` too: Linux's blocking send
   * returns once the kernel has taken all of the bytes.)
   */
  #took(n: number): void {
    this.#writing = false;
    this.#total += n;
    this.#queued -= n;
    const entry = this.#queue.first!;
    entry.done += n;
    if (entry.done === entry.size) {
      this.#queue.shift();
      const caller = entry.caller;
      caller?.resolve(caller.all ? undefined : entry.done);
    }
  }

  /**
   * The queue's head is a lent buffer detached or shrunk before all of it
   * was written (a JS program can; Python raises `BufferError` for the
   * resize instead): the rest is gone, so its caller is told as of a
   * released memoryview (`ValueError`), or, a `send()` that sent some, gets
   * that count, as when a write fails; the writes after it go on.
   */
  #released(entry: Entry): void {
    this.#queue.shift();
    this.#queued -= entry.size - entry.done;
    const caller = entry.caller;
    if (caller !== null && !caller.all && entry.done > 0) {
      caller.resolve(entry.done);
    } else caller?.reject(releasedError());
  }

  /** A write in flight took `n` bytes. */
  #written = (n: number): void => {
    // Readiness changes only where the buffer was full: a send could take
    // a byte before this write too.
    const full = !this.#ready();
    this.#took(n);
    this.#flush();
    if (full) this.#wake();
  };

  #failed = (err: unknown): void => {
    this.#writing = false;
    // The runtime's own read met the error first (a reset), and no call
    // has told it: it is Linux's one pending error, which the send reports
    // (ECONNRESET, where Node says EPIPE); a receive then finds the end.
    // (Broken before: a call told the reset, and nothing waits for a send.)
    const told = this.#broken;
    const error = this.#readError() ?? mapError(err, this.#closed);
    let reported = false;
    for (const entry of [...this.#queue.takeAll(), ...this.#held.splice(0)]) {
      const caller = entry.caller;
      if (caller === null) continue;
      if (!caller.all && entry.done > 0) {
        // A blocking send() that sent some: Linux returns that count and
        // leaves the error to the next call.
        caller.resolve(entry.done);
        continue;
      }
      caller.reject(error);
      reported = true;
    }
    this.#queued = 0;
    // Nobody was told: the next send is.
    // (A receive told the reset already, `readFailed`: the kernel keeps no
    // error for a send, which meets EPIPE.)
    if (reported) this.#broken = true;
    else if (!told) this.#error = error;
    this.#onFailed();
    this.#settleIdle();
    this.#wake();
  };

  /** The queue is empty: callers of `drain()` go on. */
  #settleIdle(): void {
    if (this.#idle.length > 0) {
      for (const resolve of this.#idle.splice(0)) resolve();
    }
  }

  /**
   * The `sendall()` holding the turn has ended (or can send no more): the
   * lent sends held meanwhile are queued, in order, and senders waiting
   * for room try again.
   */
  #release(): void {
    this.#holder = null;
    for (const entry of this.#held.splice(0)) this.#push(entry);
    this.#wake();
  }

  /** Room may have appeared: senders waiting for it try again. */
  #wake(): void {
    const room = this.#room;
    while (room !== null && room.length > 0 && this.#ready()) {
      room.resolveHead();
    }
    this.#changed();
  }

  /**
   * `shutdown(SHUT_WR)`: later sends raise `EPIPE`; resolves once what is
   * queued is written (then the caller sends end of stream).
   */
  shutWrite(): Promise<void> {
    this.#shut = true;
    // A sendall() holding the turn sends no more: what was lent meanwhile
    // goes before the end of stream.
    this.#release();
    return this.drain();
  }

  /** Settles once the queue is empty (written, or failed). */
  drain(): Promise<void> {
    if (this.#queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /**
   * The socket is closing: later sends raise `EBADF`, senders waiting for
   * room are told so; what is queued is still written (see `drain`).
   */
  close(): void {
    this.#closed = true;
    // As for shutWrite(): the lent sends held go to the queue.
    if (this.#holder !== null) {
      this.#holder = null;
      for (const entry of this.#held.splice(0)) this.#push(entry);
    }
    this.#room?.rejectAll(() => errnoError("EBADF"));
    // A lent send still queued finishes as if the socket were open; should
    // the close give up on it, its caller (who may never await it: the
    // un-awaited `send()` then `close()` of a port) must not crash the
    // process with an unhandled rejection.
    for (const entry of this.#queue) entry.caller?.promise.catch(() => {});
  }
}
