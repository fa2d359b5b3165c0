// Copyright the pysocket authors. MIT license.
/**
 * Python's `select.poll()`: a set of registered sockets, polled together.
 *
 * @module
 */

import {
  errnoError,
  OverflowError,
  TypeError,
  ValueError,
} from "../socket/errors.ts";
import { KeyError, RuntimeError } from "../socket/builtin_errors.ts";
import {
  ERROR,
  HANGUP,
  READ_HANGUP,
  READABLE,
  WRITABLE,
  WRITE_BAND,
} from "../socket/_readiness.ts";
import { fileDescriptor, type FileDescriptorLike, timeoutMs } from "./_args.ts";
import { type Interests, waitReady } from "./_wait.ts";
import { FdMap } from "../_io/fd_map.ts";
import { type ArgSpec, checkArgs } from "../_py/args.ts";
import { pyNames } from "../_py/repr.ts";

/**
 * There is data to read (Linux's value).
 *
 * @example Testing a bit of what poll() reports
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import * as select from "@pysocket/socket/select";
 * import { assertEquals } from "@std/assert";
 *
 * const [a, b] = await socket.socketpair();
 * const p = select.poll();
 * p.register(a, select.POLLIN | select.POLLOUT);
 * const [[fd, events]] = await p.poll(5000);
 * assertEquals(fd, a.fileno());
 * console.log("POLLIN:", (events & select.POLLIN) !== 0);
 * a.close();
 * b.close();
 * ```
 */
export const POLLIN = 0x001;
/**
 * There is urgent data to read; pysocket never reports it (no out-of-band data).
 *
 * @example Testing a bit of what poll() reports
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import * as select from "@pysocket/socket/select";
 * import { assertEquals } from "@std/assert";
 *
 * const [a, b] = await socket.socketpair();
 * const p = select.poll();
 * p.register(a, select.POLLIN | select.POLLOUT);
 * const [[fd, events]] = await p.poll(5000);
 * assertEquals(fd, a.fileno());
 * console.log("POLLPRI:", (events & select.POLLPRI) !== 0);
 * a.close();
 * b.close();
 * ```
 */
export const POLLPRI = 0x002;
/**
 * Writing is possible now (Linux's value).
 *
 * @example Testing a bit of what poll() reports
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import * as select from "@pysocket/socket/select";
 * import { assertEquals } from "@std/assert";
 *
 * const [a, b] = await socket.socketpair();
 * const p = select.poll();
 * p.register(a, select.POLLIN | select.POLLOUT);
 * const [[fd, events]] = await p.poll(5000);
 * assertEquals(fd, a.fileno());
 * console.log("POLLOUT:", (events & select.POLLOUT) !== 0);
 * a.close();
 * b.close();
 * ```
 */
export const POLLOUT = 0x004;
/**
 * An error is pending: the next call raises it, or `SO_ERROR` reads it
 * (output only: reported whether asked for or not, as on Linux).
 *
 * @example A connection refused in the background
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import * as select from "@pysocket/socket/select";
 * import { assertEquals, assertRejects } from "@std/assert";
 *
 * const closed = socket.socket();
 * closed.bind(["127.0.0.1", 0]);
 * const address = closed.getsockname();
 * closed.close();
 * const s = socket.socket();
 * s.setblocking(false);
 * await assertRejects(() => s.connect(address), socket.BlockingIOError);
 * const p = select.poll();
 * p.register(s, select.POLLOUT);
 * const [[, events]] = await p.poll(5000);
 * assertEquals(events, select.POLLOUT | select.POLLERR | select.POLLHUP);
 * assertEquals(s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR), 111);
 * s.close();
 * ```
 */
export const POLLERR = 0x008;
/**
 * Hung up: the connection has ended both ways, or a stream socket has none
 * (output only: reported whether asked for or not, as on Linux).
 *
 * @example A socket that is not connected has hung up
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import * as select from "@pysocket/socket/select";
 * import { assertEquals } from "@std/assert";
 *
 * const s = socket.socket();
 * const p = select.poll();
 * p.register(s, select.POLLIN);
 * assertEquals(await p.poll(5000), [[s.fileno(), select.POLLHUP]]);
 * s.close();
 * ```
 */
export const POLLHUP = 0x010;
/**
 * The descriptor is not open (output only).
 *
 * @example Testing a bit of what poll() reports
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import * as select from "@pysocket/socket/select";
 * import { assertEquals } from "@std/assert";
 *
 * const [a, b] = await socket.socketpair();
 * const p = select.poll();
 * p.register(a, select.POLLIN | select.POLLOUT);
 * const [[fd, events]] = await p.poll(5000);
 * assertEquals(fd, a.fileno());
 * console.log("POLLNVAL:", (events & select.POLLNVAL) !== 0);
 * a.close();
 * b.close();
 * ```
 */
export const POLLNVAL = 0x020;
/**
 * Normal data to read: reported with `POLLIN`.
 *
 * @example Testing a bit of what poll() reports
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import * as select from "@pysocket/socket/select";
 * import { assertEquals } from "@std/assert";
 *
 * const [a, b] = await socket.socketpair();
 * const p = select.poll();
 * p.register(a, select.POLLIN | select.POLLOUT);
 * const [[fd, events]] = await p.poll(5000);
 * assertEquals(fd, a.fileno());
 * console.log("POLLRDNORM:", (events & select.POLLRDNORM) !== 0);
 * a.close();
 * b.close();
 * ```
 */
export const POLLRDNORM = 0x040;
/**
 * Priority band data to read; never reported.
 *
 * @example Testing a bit of what poll() reports
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import * as select from "@pysocket/socket/select";
 * import { assertEquals } from "@std/assert";
 *
 * const [a, b] = await socket.socketpair();
 * const p = select.poll();
 * p.register(a, select.POLLIN | select.POLLOUT);
 * const [[fd, events]] = await p.poll(5000);
 * assertEquals(fd, a.fileno());
 * console.log("POLLRDBAND:", (events & select.POLLRDBAND) !== 0);
 * a.close();
 * b.close();
 * ```
 */
export const POLLRDBAND = 0x080;
/**
 * Writing normal data is possible: reported with `POLLOUT`.
 *
 * @example Testing a bit of what poll() reports
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import * as select from "@pysocket/socket/select";
 * import { assertEquals } from "@std/assert";
 *
 * const [a, b] = await socket.socketpair();
 * const p = select.poll();
 * p.register(a, select.POLLIN | select.POLLOUT);
 * const [[fd, events]] = await p.poll(5000);
 * assertEquals(fd, a.fileno());
 * console.log("POLLWRNORM:", (events & select.POLLWRNORM) !== 0);
 * a.close();
 * b.close();
 * ```
 */
export const POLLWRNORM = 0x100;
/**
 * Writing priority data is possible: as Linux reports it, with `POLLOUT`
 * on a UDP or Unix socket, never on a TCP one.
 *
 * @example Testing a bit of what poll() reports
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import * as select from "@pysocket/socket/select";
 * import { assertEquals } from "@std/assert";
 *
 * const [a, b] = await socket.socketpair();
 * const p = select.poll();
 * p.register(a, select.POLLIN | select.POLLOUT);
 * const [[fd, events]] = await p.poll(5000);
 * assertEquals(fd, a.fileno());
 * console.log("POLLWRBAND:", (events & select.POLLWRBAND) !== 0);
 * a.close();
 * b.close();
 * ```
 */
export const POLLWRBAND = 0x200;
/**
 * Linux's `POLLMSG`; never reported.
 *
 * @example Testing a bit of what poll() reports
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import * as select from "@pysocket/socket/select";
 * import { assertEquals } from "@std/assert";
 *
 * const [a, b] = await socket.socketpair();
 * const p = select.poll();
 * p.register(a, select.POLLIN | select.POLLOUT);
 * const [[fd, events]] = await p.poll(5000);
 * assertEquals(fd, a.fileno());
 * console.log("POLLMSG:", (events & select.POLLMSG) !== 0);
 * a.close();
 * b.close();
 * ```
 */
export const POLLMSG = 0x400;
/**
 * The reading side has ended: the peer shut its writing side down (or
 * closed), or `shutdown(SHUT_RD)` (Linux; reported when asked for).
 *
 * @example The peer is done sending
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import * as select from "@pysocket/socket/select";
 * import { assertEquals } from "@std/assert";
 *
 * const [a, b] = await socket.socketpair();
 * await b.shutdown(socket.SHUT_WR);
 * const p = select.poll();
 * p.register(a, select.POLLIN | select.POLLRDHUP);
 * const events = select.POLLIN | select.POLLRDHUP;
 * assertEquals(await p.poll(5000), [[a.fileno(), events]]);
 * a.close();
 * b.close();
 * ```
 */
export const POLLRDHUP = 0x2000;

const READ_EVENTS = POLLIN | POLLRDNORM;
const WRITE_EVENTS = POLLOUT | POLLWRNORM;

/** CPython's argument counts, for their `TypeError`s. */
const ARGS: Record<string, ArgSpec> = {
  poll: { name: "select.poll", style: "noargs", params: [], required: 0 },
  register: {
    name: "register",
    style: "unpack",
    params: ["fd", "eventmask"],
    required: 1,
  },
  modify: {
    name: "modify",
    style: "unpack",
    params: ["fd", "eventmask"],
    required: 2,
  },
  unregister: {
    name: "poll.unregister",
    style: "o",
    params: ["fd"],
    required: 1,
  },
  pollPoll: { name: "poll", style: "unpack", params: ["timeout"], required: 0 },
};

/** `poll()`'s timeout in milliseconds is a C `int`. */
const INT_MAX = 2 ** 31 - 1;

/** Beyond a C `unsigned long` (64 bits on Linux). */
const ULONG_LIMIT = 2n ** 64n;

/**
 * CPython's `unsigned short` converter for an event mask: the value as a C
 * `unsigned long` first (`PyLong_AsUnsignedLong`), then as the short.
 */
function eventMask(value: unknown): number {
  let mask: bigint;
  if (typeof value === "bigint") mask = value;
  else if (typeof value === "boolean") mask = BigInt(value);
  else if (typeof value === "number" && Number.isInteger(value)) {
    mask = BigInt(value);
  } else throw new TypeError("an integer is required");
  if (mask < 0n) throw new ValueError("value must be positive");
  if (mask >= ULONG_LIMIT) {
    throw new OverflowError(
      "Python int too large to convert to C unsigned long",
    );
  }
  if (mask > 0xffffn) {
    throw new OverflowError("Python int too large for C unsigned short");
  }
  return Number(mask);
}

/**
 * The readiness (readiness.ts) a poll mask asks for: what it names, and a
 * hang-up and an error always, as Linux reports those unasked.
 */
export function interest(mask: number): number {
  return (mask & READ_EVENTS ? READABLE : 0) |
    (mask & WRITE_EVENTS ? WRITABLE : 0) |
    (mask & POLLWRBAND ? WRITE_BAND : 0) |
    (mask & POLLRDHUP ? READ_HANGUP : 0) | HANGUP | ERROR;
}

/** Linux's `revents` for a socket's readiness `now` and the mask asked. */
export function revents(now: number, mask: number): number {
  return (now & READABLE ? mask & READ_EVENTS : 0) |
    (now & WRITABLE ? mask & WRITE_EVENTS : 0) |
    (now & WRITE_BAND ? mask & POLLWRBAND : 0) |
    (now & READ_HANGUP ? mask & POLLRDHUP : 0) |
    (now & HANGUP ? POLLHUP : 0) | (now & ERROR ? POLLERR : 0);
}

/** What {@linkcode poll} passes to make a {@linkcode Poll}: only it has it. */
const MAKE: unique symbol = Symbol("select.poll");

/**
 * A `select.poll()` object: `register` sockets with the events to wait
 * for, then `await poll(timeout)` for `[[fd, revents], …]`.
 *
 * What `revents` can hold, as Linux reports it for a socket:
 * `POLLIN`/`POLLRDNORM` (as asked) when data, the end of the stream or a
 * connection is there, `POLLOUT`/`POLLWRNORM` when a `send` would take a
 * byte (and `POLLWRBAND`, as asked, on UDP and Unix sockets), `POLLRDHUP`
 * (as asked) once the reading side has ended, and,
 * asked or not, `POLLHUP` once the connection has ended both ways (or for a
 * stream socket that has none), `POLLERR` while an error is pending, and
 * `POLLNVAL` for a descriptor that is not an open socket. pysocket never
 * reports `POLLPRI` (no runtime reads urgent data).
 *
 * @example A poll object: register, then poll
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import * as select from "@pysocket/socket/select";
 * import { assertEquals } from "@std/assert";
 *
 * const [a, b] = await socket.socketpair();
 * const p: select.Poll = select.poll();
 * p.register(a, select.POLLIN);
 * await b.sendall(new Uint8Array([1]));
 * assertEquals(await p.poll(5000), [[a.fileno(), select.POLLIN]]);
 * a.close();
 * b.close();
 * ```
 */
export class Poll {
  /** The events asked, by descriptor (an FdMap: see there why not a `Map`). */
  #masks = new FdMap<number>();
  #polling = false;

  /**
   * Not for direct use: as CPython's type, only {@linkcode poll} makes one.
   *
   * @param token What `poll()` passes.
   * @throws {TypeError} `cannot create 'select.poll' instances`.
   */
  constructor(token?: unknown) {
    if (token !== MAKE) {
      throw new TypeError("cannot create 'select.poll' instances");
    }
  }

  /**
   * Registers a socket (a descriptor number, or an object with `fileno()`),
   * or changes the events of one already registered.
   *
   * @param fd The socket.
   * @param eventmask `POLLIN`, `POLLOUT`, … or-ed together; by default
   * `POLLIN | POLLPRI | POLLOUT`.
   * @throws {TypeError} `argument must be an int, or have a fileno() method.`
   * @throws {ValueError} `file descriptor cannot be a negative integer (-1)`
   */
  register(
    fd: FileDescriptorLike,
    eventmask: number = POLLIN | POLLPRI | POLLOUT,
  ): void {
    checkArgs(ARGS.register, arguments);
    const n = fileDescriptor(fd);
    const mask = eventMask(eventmask);
    this.#masks.set(n, mask);
  }

  /**
   * Changes the events of a registered socket.
   *
   * @param fd The socket.
   * @param eventmask The events.
   * @throws {FileNotFoundError} `[Errno 2] No such file or directory` when
   * it is not registered.
   */
  modify(fd: FileDescriptorLike, eventmask: number): void {
    checkArgs(ARGS.modify, arguments);
    const n = fileDescriptor(fd);
    const mask = eventMask(eventmask);
    if (!this.#masks.has(n)) throw errnoError("ENOENT");
    this.#masks.set(n, mask);
  }

  /**
   * Removes a socket.
   *
   * @param fd The socket.
   * @throws {KeyError} The descriptor number, when it is not registered.
   */
  unregister(fd: FileDescriptorLike): void {
    checkArgs(ARGS.unregister, arguments);
    const n = fileDescriptor(fd);
    if (!this.#masks.delete(n)) throw new KeyError(n);
  }

  /**
   * Waits until a registered socket is ready, or `timeout` milliseconds
   * pass; resolves to `[fd, revents]` pairs in the order the sockets were
   * registered (empty when the time ran out).
   *
   * @param timeout Milliseconds; `null`, left out or negative waits as long
   * as it takes, `0` polls.
   * @returns The ready descriptors and their events.
   * @throws {TypeError} `timeout must be an integer or None`.
   * @throws {OverflowError} `timeout is too large` (beyond a C `int`).
   * @throws {RuntimeError} `concurrent poll() invocation` while another
   * `poll()` of this object waits.
   */
  async poll(timeout?: number | null): Promise<[number, number][]> {
    checkArgs(ARGS.pollPoll, arguments);
    const ms = timeoutMs(timeout, 1e-3, "timeout must be an integer or None");
    // Whole milliseconds, rounded away from zero, must fit a C int.
    if (
      ms !== null && (ms < 0 ? Math.ceil(-ms) - 1 : Math.ceil(ms)) > INT_MAX
    ) {
      throw new OverflowError("timeout is too large");
    }
    if (this.#polling) throw new RuntimeError("concurrent poll() invocation");
    const wait = ms === null || ms < 0 ? null : Math.ceil(ms);
    const masks = new Map(this.#masks);
    const interests: Interests = new Map();
    for (const [fd, mask] of masks) interests.set(fd, interest(mask));
    this.#polling = true;
    let ready;
    try {
      ready = await waitReady(interests, wait);
    } finally {
      this.#polling = false;
    }
    const out: [number, number][] = [];
    for (const [fd, mask] of masks) {
      const now = ready.get(fd);
      if (now === undefined) continue;
      if (now === null) out.push([fd, POLLNVAL]);
      else {
        const events = revents(now, mask);
        if (events !== 0) out.push([fd, events]);
      }
    }
    return out;
  }
}

// Python's names (`type(x).__name__`, its repr's), whatever a bundler
// names the class.
pyNames({ "select.poll": Poll });

/**
 * Python's `select.poll()`: a new, empty {@linkcode Poll} object.
 *
 * @returns The poll object.
 *
 * @example Wait for a reply
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import * as select from "@pysocket/socket/select";
 * import { assertEquals } from "@std/assert";
 *
 * const [a, b] = await socket.socketpair();
 * const p = select.poll();
 * p.register(a, select.POLLIN);
 * assertEquals(await p.poll(0), []);
 * await b.send(new Uint8Array([1]));
 * assertEquals(await p.poll(5000), [[a.fileno(), select.POLLIN]]);
 * a.close();
 * b.close();
 * ```
 */
export function poll(): Poll {
  checkArgs(ARGS.poll, arguments);
  return new Poll(MAKE);
}
