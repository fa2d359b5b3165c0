// Copyright the pysocket authors. MIT license.
/**
 * `selectors.PollSelector`, `selectors.EpollSelector` and
 * `selectors.DefaultSelector` (which is `EpollSelector`, as on Linux).
 *
 * @module
 */

import { FdMap } from "../_io/fd_map.ts";
import {
  errnoError,
  OSError,
  OverflowError,
  ValueError,
} from "../socket/errors.ts";
import {
  fileIsOpen,
  fileOf,
  type OpenFile,
  pollFile,
  watchFd,
} from "../socket/_readiness.ts";
import { waitAfterTurn } from "../_io/pending.ts";
import {
  interest,
  type Poll,
  poll,
  POLLIN,
  POLLOUT,
  revents,
} from "../select/poll.ts";
import { ceil, comparableTimeout } from "../select/_args.ts";
import {
  BaseSelector,
  type DataArgument,
  type SelectorMapping,
} from "./base_selector.ts";
import {
  BASE_IMPL_ARGS,
  changedEvents,
  dataOf,
  eventsInt,
  keptEvents,
  KeyTable,
  pyMethod,
} from "./_impl.ts";
import { checkArgs } from "../_py/args.ts";
import { checkCInt } from "../_py/pytype.ts";
import {
  EVENT_READ,
  EVENT_WRITE,
  type FileObject,
  SelectorKey,
} from "./selector_key.ts";
import { pyNames } from "../_py/repr.ts";

/** CPython's argument counts (`_PollLikeSelector`'s), for their `TypeError`s. */
const ARGS = {
  ...BASE_IMPL_ARGS,
  register: pyMethod(
    "_PollLikeSelector.register",
    ["fileobj", "events", "data"],
    2,
  ),
  unregister: pyMethod("_PollLikeSelector.unregister", ["fileobj"]),
  modify: pyMethod(
    "_PollLikeSelector.modify",
    ["fileobj", "events", "data"],
    2,
  ),
  select: pyMethod("_PollLikeSelector.select", ["timeout"], 0),
};

/** `EpollSelector`'s own methods. */
const EPOLL_ARGS = {
  ...ARGS,
  select: pyMethod("EpollSelector.select", ["timeout"], 0),
  close: pyMethod("EpollSelector.close"),
};

/** What a poll-like selector waits with (`select.poll` or an epoll). */
interface Poller {
  register(fd: number, events: number): void;
  modify(fd: number, events: number): void;
  unregister(fd: number): void;
}

/** The poller's events for selector events (`POLLIN`, `POLLOUT`). */
function pollerEvents(events: number): number {
  return (events & EVENT_READ ? POLLIN : 0) |
    (events & EVENT_WRITE ? POLLOUT : 0);
}

/**
 * CPython's `_PollLikeSelector`: registrations mirrored in a poller, and
 * Python's mapping from the poller's events to `EVENT_READ`/`EVENT_WRITE`.
 */
class PollLike<D, F extends FileObject> {
  readonly table: KeyTable<D, F> = new KeyTable<D, F>();
  readonly poller: Poller;

  constructor(poller: Poller) {
    this.poller = poller;
  }

  register(fileobj: F, events: number, data: D): SelectorKey<D, F> {
    const key = this.table.register(fileobj, events, data);
    try {
      checkCInt(key.fd, "int"); // the poller takes a C int
      this.poller.register(key.fd, pollerEvents(key.events));
    } catch (err) {
      this.table.unregister(fileobj);
      throw err;
    }
    return key;
  }

  unregister(fileobj: F | number): SelectorKey<D, F> {
    const key = this.table.unregister(fileobj);
    try {
      this.poller.unregister(key.fd);
    } catch (err) {
      // The descriptor was closed since it was registered.
      if (!(err instanceof OSError)) throw err;
    }
    return key;
  }

  modify(fileobj: F | number, events: number, data: D): SelectorKey<D, F> {
    let key = this.table.get(fileobj);
    let changed = false;
    if (changedEvents(events, key.events)) {
      // Python's `events & EVENT_READ`, before the poller is touched.
      const asked = pollerEvents(eventsInt(events));
      try {
        this.poller.modify(key.fd, asked);
      } catch (err) {
        this.table.unregister(fileobj);
        throw err;
      }
      changed = true;
    }
    if (data !== key.data) changed = true;
    if (changed) {
      key = new SelectorKey(key.fileobj, key.fd, keptEvents(events), data);
      this.table.replace(key);
    }
    return key;
  }

  /** `[key, events]` for the poller's `[fd, event]` pairs, as Python maps them. */
  ready(list: [number, number][]): [SelectorKey<D, F>, number][] {
    const ready: [SelectorKey<D, F>, number][] = [];
    for (const [fd, event] of list) {
      let events = 0;
      if (event & ~POLLIN) events |= EVENT_WRITE;
      if (event & ~POLLOUT) events |= EVENT_READ;
      const key = this.table.fromFd(fd);
      if (key !== undefined) ready.push([key, events & key.events]);
    }
    return ready;
  }
}

/**
 * Python's `selectors.PollSelector`: a selector over one `select.poll()`
 * object. As CPython's, a descriptor that is not (or no longer) an open
 * socket is reported ready for both events (`POLLNVAL`), and a second
 * `select()` while one waits raises `RuntimeError` (`concurrent poll()
 * invocation`).
 *
 * @typeParam D The type of the data attached to keys.
 * @typeParam F The type of the file objects.
 *
 * @example
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import * as selectors from "@pysocket/socket/selectors";
 * import { assertEquals } from "@std/assert";
 *
 * const [a, b] = await socket.socketpair();
 * using sel = new selectors.PollSelector<null, socket.Socket>();
 * sel.register(a, selectors.EVENT_READ);
 * await b.send(new Uint8Array([1]));
 * const [[key, events]] = await sel.select(5);
 * assertEquals([key.fileobj, events], [a, selectors.EVENT_READ]);
 * a.close();
 * b.close();
 * ```
 */
export class PollSelector<D = unknown, F extends FileObject = FileObject>
  extends BaseSelector<D, F> {
  #poll: Poll = poll();
  #core = new PollLike<D, F>(this.#poll);
  #args = ARGS;

  /**
   * Registers a file object for events.
   *
   * @param fileobj A socket (anything with `fileno()`) or descriptor.
   * @param events `EVENT_READ`, `EVENT_WRITE` or both.
   * @param data Data to attach (`null`, Python's `None`, by default).
   * @returns The new key.
   */
  register(
    fileobj: F,
    events: number,
    ...data: DataArgument<D>
  ): SelectorKey<D, F> {
    checkArgs(this.#args.register, arguments);
    return this.#core.register(fileobj, events, dataOf(data));
  }

  /**
   * Unregisters a file object (also one closed since it was registered).
   *
   * @param fileobj The file object, or its descriptor number.
   * @returns Its key.
   */
  unregister(fileobj: F | number): SelectorKey<D, F> {
    checkArgs(this.#args.unregister, arguments);
    return this.#core.unregister(fileobj);
  }

  /**
   * Changes a registered file object's events or data (reset to `null`
   * unless given, as in Python).
   *
   * @param fileobj The file object, or its descriptor number (the key
   * keeps the file object registered).
   * @param events The new events.
   * @param data The new data.
   * @returns The new key.
   */
  override modify(
    fileobj: F | number,
    events: number,
    ...data: DataArgument<D>
  ): SelectorKey<D, F> {
    checkArgs(this.#args.modify, arguments);
    return this.#core.modify(fileobj, events, dataOf(data));
  }

  /**
   * Waits until some registered file objects are ready, or the timeout
   * passes.
   *
   * @param timeout Seconds; `null` or left out waits as long as it takes,
   * `0` or less polls.
   * @returns `[key, events]` for each ready file object.
   */
  async select(
    timeout: number | null = null,
  ): Promise<[SelectorKey<D, F>, number][]> {
    checkArgs(this.#args.select, arguments);
    let ms: number | null = null;
    if (timeout !== null && timeout !== undefined) {
      const t = comparableTimeout(timeout);
      // poll() counts milliseconds: round up, to wait at least `timeout`.
      ms = t <= 0 ? 0 : ceil(t * 1e3);
    }
    // Python's math.ceil() gives an int: poll() converts it as one.
    const arg = ms !== null && !Number.isSafeInteger(ms) ? BigInt(ms) : ms;
    return this.#core.ready(await this.#poll.poll(arg as number | null));
  }

  /** Closes the selector: forgets every registration. */
  override close(): void {
    checkArgs(this.#args.close, arguments);
    this.#core.table.close();
  }

  /**
   * The registrations; `null` once closed.
   *
   * @returns The mapping, or `null`.
   */
  get_map(): SelectorMapping<D, F> | null {
    checkArgs(this.#args.get_map, arguments);
    return this.#core.table.map;
  }
}

/** epoll's limit on a wait: as CPython's, seconds as a `_PyTime_t`. */
const PYTIME_LIMIT = 2 ** 63;
/** A C `int`'s largest value. */
const INT_MAX = 2 ** 31 - 1;

/**
 * Linux's epoll as `selectors.EpollSelector` sees it: registering a
 * descriptor that is not open fails at once (`EBADF`), a registration
 * silently leaves the set when its connection closes (its last descriptor:
 * as the kernel's, it watches the open file description, which a `dup()`
 * keeps open after the number registered is closed), and a closed epoll
 * object refuses everything (a wait in progress still ends at the next
 * event, as the kernel keeps the instance for it).
 *
 * As epoll, it keeps its interest set between waits: each registered
 * socket is watched once (its readiness callback marks it), and a wait asks
 * only the sockets that were marked or were ready last time (readiness is
 * level-triggered), not every registered one.
 */
class Epoll implements Poller {
  /** The events asked, by descriptor (an array: see FdMap). */
  #events: (number | undefined)[] = [];
  /**
   * What each registered descriptor stood for when it was registered (the
   * open file description, which the registration watches).
   */
  #files: (OpenFile | undefined)[] = [];
  #stops = new FdMap<() => void>();
  /**
   * Descriptors to ask on the next wait, in the order they were marked
   * (`-1`: one dropped since), and where each is in that list (by
   * descriptor; `-1` or none: not in it): arrays, not a `Set`, as one is
   * marked at every change of every registered socket.
   */
  #marked: number[] = [];
  #place: number[] = [];
  /** How many entries of `#marked` are `-1`. */
  #dropped = 0;
  /**
   * The waits in progress, woken when a descriptor is marked (an array: see
   * FdMap for why not a `Set`).
   */
  #wakers: (() => void)[] = [];
  /** How many waits are in progress (they keep the set once closed). */
  #waits = 0;
  #closed = false;

  /**
   * The events asked for `fd` as it stands now (`undefined`: not
   * registered), if open. A registration of what the number stood for
   * before (kept open by a `dup()`) is not its: the kernel finds one by
   * number and file description.
   */
  #check(fd: number): number | undefined {
    if (this.#closed) {
      throw new ValueError("I/O operation on closed epoll object");
    }
    const events = this.#current(fd);
    const file = fileOf(fd);
    if (file === undefined) throw errnoError("EBADF");
    return file === this.#files[fd] ? events : undefined;
  }

  /**
   * The events asked for `fd`, or `undefined`. A registration whose
   * connection has closed (its last descriptor) has left the set, as the
   * kernel drops it then: it is forgotten here. One whose number was
   * closed while a `dup()` keeps the connection open stays, and is
   * reported under that number, as the kernel's is.
   */
  #current(fd: number): number | undefined {
    const events = this.#events[fd];
    if (events !== undefined && !fileIsOpen(this.#files[fd]!)) {
      this.#forget(fd);
      return undefined;
    }
    return events;
  }

  /** What the registered connection of `fd` reports now, for `events`. */
  #pollFile(fd: number, events: number): number {
    return pollFile(this.#files[fd]!, interest(events));
  }

  #mark(fd: number): void {
    if (!(this.#place[fd] >= 0)) this.#place[fd] = this.#marked.push(fd) - 1;
    for (const wake of this.#wakers) wake();
  }

  /**
   * A registration added or changed: `fd` is asked now, which starts what
   * it takes for its readiness to change (a read ahead), so that what has
   * arrived already is seen by a wait that follows at once, as the
   * kernel's epoll sees it; and it is marked for the next wait.
   */
  #added(fd: number, events: number): void {
    this.#pollFile(fd, events);
    this.#mark(fd);
  }

  #forget(fd: number): void {
    this.#events[fd] = undefined;
    this.#files[fd] = undefined;
    // Off the list of marked ones, as off the kernel's ready list: marked
    // again, it goes to the back. (Its entry is dropped by the next check.)
    const at = this.#place[fd];
    if (at >= 0) {
      this.#marked[at] = -1;
      this.#place[fd] = -1;
      this.#dropped++;
    }
    this.#stops.get(fd)?.();
    this.#stops.delete(fd);
  }

  /**
   * Drops the entries of forgotten descriptors from `#marked` (which a
   * check does too), for registrations made and dropped with no wait.
   */
  #compact(): void {
    const marked = this.#marked;
    let kept = 0;
    for (let i = 0; i < marked.length; i++) {
      const fd = marked[i];
      if (fd < 0) continue;
      this.#place[fd] = kept;
      marked[kept++] = fd;
    }
    marked.length = kept;
    this.#dropped = 0;
  }

  register(fd: number, events: number): void {
    if (this.#check(fd) !== undefined) throw errnoError("EEXIST");
    // (The kernel would keep both; one registration per number here.)
    if (this.#events[fd] !== undefined) this.#forget(fd);
    if (this.#dropped > 32 && this.#dropped * 2 > this.#marked.length) {
      this.#compact();
    }
    this.#events[fd] = events;
    this.#files[fd] = fileOf(fd);
    const stop = watchFd(fd, () => this.#mark(fd));
    if (stop !== null) this.#stops.set(fd, stop);
    this.#added(fd, events);
  }

  modify(fd: number, events: number): void {
    if (this.#check(fd) === undefined) throw errnoError("ENOENT");
    this.#events[fd] = events;
    this.#added(fd, events);
  }

  unregister(fd: number): void {
    if (this.#check(fd) === undefined) throw errnoError("ENOENT");
    this.#forget(fd);
  }

  /** Asks the marked descriptors, keeping nothing of the answers. */
  #ask(): void {
    const marked = this.#marked;
    for (let i = 0; i < marked.length; i++) {
      const fd = marked[i];
      const events = fd < 0 ? undefined : this.#current(fd);
      if (events !== undefined) this.#pollFile(fd, events);
    }
  }

  /**
   * Asks the marked descriptors; those ready stay marked for the next
   * wait (a socket not ready starts what it takes to become ready, and its
   * callback marks it again).
   */
  #ready(): [number, number][] {
    const ready: [number, number][] = [];
    // Those that stay marked move to the front, in order; asking one may
    // mark more, which this loop reaches too.
    const marked = this.#marked;
    let kept = 0;
    for (let i = 0; i < marked.length; i++) {
      const fd = marked[i];
      if (fd < 0) continue;
      const events = this.#current(fd);
      const event = events === undefined
        ? 0
        : revents(this.#pollFile(fd, events), events);
      if (event !== 0) {
        ready.push([fd, event]);
        this.#place[fd] = kept;
        marked[kept++] = fd;
        continue;
      }
      this.#place[fd] = -1;
    }
    marked.length = kept;
    this.#dropped = 0;
    return ready;
  }

  /**
   * Waits up to `seconds` (negative: as long as it takes) for at most
   * `maxevents` ready descriptors.
   */
  poll(seconds: number, maxevents: number): Promise<[number, number][]> {
    if (this.#closed) {
      return Promise.reject(
        new ValueError("I/O operation on closed epoll object"),
      );
    }
    if (!(Math.abs(seconds) * 1e9 < PYTIME_LIMIT)) {
      return Promise.reject(
        new OverflowError("timestamp out of range for platform time_t"),
      );
    }
    // (Whole milliseconds, without the float error of `ceil(t*1e3)*1e-3`.)
    const ms = seconds < 0 ? null : Math.ceil(seconds * 1e3 - 1e-6);
    // epoll_wait() takes a C int of milliseconds.
    if (ms !== null && ms > INT_MAX) {
      return Promise.reject(new OverflowError("timeout is too large"));
    }
    // A wait that answers after one turn asks the marked descriptors now,
    // so that what they start to become ready (a read ahead) is done by
    // then: what the kernel holds already is reported, as epoll reports it.
    if (ms === 0) this.#ask();
    this.#waits++;
    return new Promise((resolve) => {
      let done = false;
      const finish = (ready: [number, number][]) => {
        if (done) return;
        done = true;
        if (--this.#waits === 0 && this.#closed) this.#forgetAll();
        // Closed meanwhile: the event ends the wait, with nothing reported.
        if (this.#closed) ready = [];
        const wakers = this.#wakers;
        const i = wakers.indexOf(wake);
        if (i >= 0) {
          // (Their order does not matter: each wakes its own wait.)
          wakers[i] = wakers[wakers.length - 1];
          wakers.pop();
        }
        disarm();
        resolve(ready.length > maxevents ? ready.slice(0, maxevents) : ready);
      };
      // Woken by a callback: the event loop has turned (I/O delivered it).
      // Marks made before the check runs are all seen by it: one check.
      let checking = false;
      const wake = () => {
        if (checking) return;
        checking = true;
        queueMicrotask(() => {
          checking = false;
          if (done) return;
          const ready = this.#ready();
          if (ready.length > 0) finish(ready);
        });
      };
      // What is ready now is answered after one turn of the event loop, so
      // that what has already arrived is seen with it, and a loop of
      // select() over sockets that are always writable lets I/O run.
      const disarm = waitAfterTurn(ms, () => {
        if (done) return true;
        const ready = this.#ready();
        if (ready.length > 0 || ms === 0) finish(ready);
        else this.#wakers.push(wake);
        return done;
      }, () => finish([]));
    });
  }

  /**
   * Closes the epoll object. A wait in progress keeps the set, as the
   * kernel keeps the instance for it: it ends at the next event on a
   * registered socket (or its timeout), reporting nothing; the set goes
   * with the last such wait.
   */
  close(): void {
    this.#closed = true;
    if (this.#waits === 0) this.#forgetAll();
  }

  #forgetAll(): void {
    this.#events.forEach((events, fd) => {
      if (events !== undefined) this.#forget(fd);
    });
  }
}

/**
 * Python's `selectors.EpollSelector`, which is `DefaultSelector` on Linux.
 * As CPython's: registering a descriptor that is not an open socket raises
 * `[Errno 9] Bad file descriptor` at once; a socket closed while registered
 * is never reported again once its connection has closed (unregister it
 * before closing it: its key stays until then), but, as the kernel watches
 * the connection, one whose `dup()` keeps the connection open still is;
 * after `close()` every call but `unregister`/`get_map` raises
 * `ValueError` (`I/O operation on closed epoll object`), and a `select()`
 * in progress ends with `[]` at the next event (or its timeout).
 *
 * pysocket has no OS epoll: it waits as all its selectors do, on the
 * sockets' readiness callbacks, so it has no `fileno()`.
 *
 * @typeParam D The type of the data attached to keys.
 * @typeParam F The type of the file objects.
 *
 * @example
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import * as selectors from "@pysocket/socket/selectors";
 * import { assertEquals, assertThrows } from "@std/assert";
 *
 * using sel = new selectors.EpollSelector();
 * assertThrows(() => sel.register(999, selectors.EVENT_READ), socket.OSError, "[Errno 9] Bad file descriptor");
 * ```
 */
export class EpollSelector<D = unknown, F extends FileObject = FileObject>
  extends BaseSelector<D, F> {
  #epoll = new Epoll();
  #core = new PollLike<D, F>(this.#epoll);
  #args = EPOLL_ARGS;

  /**
   * Registers a file object for events.
   *
   * @param fileobj A socket (anything with `fileno()`) or descriptor.
   * @param events `EVENT_READ`, `EVENT_WRITE` or both.
   * @param data Data to attach (`null`, Python's `None`, by default).
   * @returns The new key.
   * @throws {OSError} `[Errno 9] Bad file descriptor` for a descriptor
   * that is not an open socket.
   */
  register(
    fileobj: F,
    events: number,
    ...data: DataArgument<D>
  ): SelectorKey<D, F> {
    checkArgs(this.#args.register, arguments);
    return this.#core.register(fileobj, events, dataOf(data));
  }

  /**
   * Unregisters a file object (also one closed since it was registered).
   *
   * @param fileobj The file object, or its descriptor number.
   * @returns Its key.
   */
  unregister(fileobj: F | number): SelectorKey<D, F> {
    checkArgs(this.#args.unregister, arguments);
    return this.#core.unregister(fileobj);
  }

  /**
   * Changes a registered file object's events or data (reset to `null`
   * unless given, as in Python).
   *
   * @param fileobj The file object, or its descriptor number (the key
   * keeps the file object registered).
   * @param events The new events.
   * @param data The new data.
   * @returns The new key.
   */
  override modify(
    fileobj: F | number,
    events: number,
    ...data: DataArgument<D>
  ): SelectorKey<D, F> {
    checkArgs(this.#args.modify, arguments);
    return this.#core.modify(fileobj, events, dataOf(data));
  }

  /**
   * Waits until some registered file objects are ready, or the timeout
   * passes.
   *
   * @param timeout Seconds; `null` or left out waits as long as it takes,
   * `0` or less polls.
   * @returns `[key, events]` for each ready file object.
   */
  async select(
    timeout: number | null = null,
  ): Promise<[SelectorKey<D, F>, number][]> {
    checkArgs(this.#args.select, arguments);
    let seconds = -1;
    if (timeout !== null && timeout !== undefined) {
      const t = comparableTimeout(timeout);
      // epoll_wait() counts milliseconds: round up, to wait at least that.
      seconds = t <= 0 ? 0 : ceil(t * 1e3) * 1e-3;
    }
    const max = Math.max(this.#core.table.size, 1);
    return this.#core.ready(await this.#epoll.poll(seconds, max));
  }

  /** Closes the selector and its epoll object. */
  override close(): void {
    checkArgs(this.#args.close, arguments);
    this.#epoll.close();
    this.#core.table.close();
  }

  /**
   * The registrations; `null` once closed.
   *
   * @returns The mapping, or `null`.
   */
  get_map(): SelectorMapping<D, F> | null {
    checkArgs(this.#args.get_map, arguments);
    return this.#core.table.map;
  }
}

// Python's names (`type(x).__name__`, its repr's), whatever a bundler
// names the class.
pyNames({ PollSelector, EpollSelector }, "selectors");

/**
 * Python's `selectors.DefaultSelector`: the best selector of the platform,
 * which on Linux is {@linkcode EpollSelector} (the same class).
 *
 * @example The selector loop of Real Python's multi-connection server
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import * as selectors from "@pysocket/socket/selectors";
 * import { assertEquals } from "@std/assert";
 *
 * using sel = new selectors.DefaultSelector<string | null, socket.Socket>();
 * using lsock = socket.socket();
 * lsock.bind(["127.0.0.1", 0]);
 * lsock.listen();
 * lsock.setblocking(false);
 * sel.register(lsock, selectors.EVENT_READ, null);
 *
 * using client = socket.socket();
 * await client.connect(lsock.getsockname());
 * const events = await sel.select(5);
 * for (const [key] of events) {
 *   if (key.data === null) {
 *     const [conn] = await key.fileobj.accept(); // should be ready to read
 *     sel.register(conn, selectors.EVENT_READ | selectors.EVENT_WRITE, "conn");
 *   }
 * }
 * const map = sel.get_map();
 * if (map === null) throw new Error("closed"); // Python's None once closed
 * assertEquals(map.size, 2);
 * for (const key of [...map.values()]) {
 *   sel.unregister(key.fileobj);
 *   if (key.data !== null) key.fileobj.close();
 * }
 * ```
 */
export const DefaultSelector: typeof EpollSelector = EpollSelector;

/**
 * The type of a {@linkcode DefaultSelector}: an {@linkcode EpollSelector}.
 *
 * @typeParam D The type of the data attached to keys.
 * @typeParam F The type of the file objects.
 */
export type DefaultSelector<
  D = unknown,
  F extends FileObject = FileObject,
> = EpollSelector<D, F>;
