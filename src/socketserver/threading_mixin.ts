// Copyright the pysocket authors. MIT license.
/**
 * `socketserver.ThreadingMixIn`: each request in a task of its own.
 *
 * @module
 */

import { getAttr, setAttr } from "./_class_attr.ts";
import { setContext, tracebackOf } from "./_format.ts";
import { finishRequest } from "./_in_flight.ts";
import { backend, type TaskLocal } from "../_backend/mod.ts";
import { RuntimeError } from "../socket/builtin_errors.ts";
import { AF_UNIX, SOCK_DGRAM } from "../socket/constants.ts";
import { Socket } from "../socket/socket.ts";
import { pyNames } from "../_py/repr.ts";
import { TypeError, ValueError } from "../socket/errors.ts";
import { isConstructor } from "./_python.ts";
import { pyTruthy } from "../_py/pytype.ts";

/**
 * What {@linkcode ThreadingMixIn} needs of the server it extends: the hooks
 * of a `BaseServer` it calls or overrides.
 *
 * @example The hooks ThreadingMixIn overrides, on any server
 * ```ts
 * import * as socketserver from "@pysocket/socket/socketserver";
 * import { assertEquals } from "@std/assert";
 *
 * await using server = new socketserver.TCPServer(["127.0.0.1", 0], socketserver.BaseRequestHandler);
 * const hooks: socketserver.ServerHooks = server;
 * assertEquals(typeof hooks.process_request, "function");
 * ```
 */
export interface ServerHooks {
  /** Serves a request (overridden: a task of its own). */
  process_request(
    request: unknown,
    client_address: unknown,
  ): void | Promise<void>;
  /** Makes the handler and waits until it is done. */
  finish_request(
    request: unknown,
    client_address: unknown,
  ): void | Promise<void>;
  /** Ends a request. */
  shutdown_request(request: unknown): void | Promise<void>;
  /** Reports a request whose handling raised. */
  handle_error(
    request: unknown,
    client_address: unknown,
    error?: unknown,
  ): void | Promise<void>;
  /**
   * Stops the `serve_forever()` loop (extended: a loop waiting for a
   * request to finish first stops waiting).
   */
  shutdown(): Promise<void>;
  /** Closes the server (extended: waits for the tasks). */
  server_close(): Promise<void>;
}

/**
 * A server class {@linkcode ThreadingMixIn} can extend: any concrete
 * subclass of `BaseServer` ({@linkcode ServerHooks}).
 *
 * @example A class ThreadingMixIn can extend
 * ```ts
 * import * as socketserver from "@pysocket/socket/socketserver";
 * import { assertEquals } from "@std/assert";
 *
 * const Base: socketserver.ServerClass = socketserver.TCPServer;
 * const Threaded = socketserver.ThreadingMixIn(Base);
 * assertEquals(Threaded.daemon_threads, false);
 * ```
 */
// deno-lint-ignore no-explicit-any
export type ServerClass = new (...args: any[]) => ServerHooks;

/**
 * What {@linkcode ThreadingMixIn} adds to a server: the members of
 * Python's `ThreadingMixIn`.
 */
export interface ThreadingMixIn {
  /**
   * `true`: `server_close()` does not wait for requests in flight. (Python's
   * daemon threads do not keep the process alive; tasks here do, while
   * their sockets are open.) Judged by its truth value, as in Python
   * (`daemon_threads = 1`).
   */
  daemon_threads: boolean | number;
  /**
   * `true`: `server_close()` waits for the requests in flight. Judged by
   * its truth value.
   */
  block_on_close: boolean | number;
  /**
   * Python's `_threads` (private there too): what `server_close()` joins.
   * A {@linkcode ThreadingMixIn} server has a `_NoThreads` (`append()` and
   * `join()` do nothing) until `process_request()` with `block_on_close`
   * gives it a `_Threads` of its own: an array (Python's list subclass)
   * of the requests' tasks, each an object with `daemon`, `is_alive()`
   * and `join()` as Python's `threading.Thread`, in the order they started.
   * `append()` first drops the finished ones (`reap()`) and skips a daemon
   * one (`daemon_threads`); `join()` empties it and waits for each; after
   * `server_close()` its `length` is `0`.
   */
  _threads: {
    /** Lists a request's task, as Python's `_threads.append(thread)`. */
    append(
      thread: {
        readonly daemon: boolean;
        is_alive(): boolean;
        join(): Promise<void>;
      },
    ): void;
    /** Empties the list and waits for each task in it, in order. */
    join(): Promise<void>;
    /** How many are listed; `undefined` for a `_NoThreads`. */
    readonly length?: number;
  };
  /**
   * Serves one request in its task: `finish_request()`, `handle_error()`
   * if that raised, then `shutdown_request()`, as Python's
   * `process_request_thread()`.
   *
   * @param request The request.
   * @param client_address The client's address.
   * @returns A promise that settles once the request is served.
   */
  process_request_thread(
    request: unknown,
    client_address: unknown,
  ): Promise<void>;
}

/**
 * The class `ThreadingMixIn(Base)` returns: `Base` with the members of
 * {@linkcode ThreadingMixIn}, static ones included.
 *
 * @typeParam B The server class extended.
 *
 * @example Python's class ThreadingTCPServer(ThreadingMixIn, TCPServer)
 * ```ts
 * import * as socketserver from "@pysocket/socket/socketserver";
 * import { assertEquals } from "@std/assert";
 *
 * const Threaded: socketserver.ThreadingMixInClass<typeof socketserver.TCPServer> =
 *   socketserver.ThreadingMixIn(socketserver.TCPServer);
 * await using server = new Threaded(["127.0.0.1", 0], socketserver.BaseRequestHandler);
 * assertEquals(server.block_on_close, true);
 * ```
 */
export type ThreadingMixInClass<B extends ServerClass> =
  & B
  // deno-lint-ignore no-explicit-any
  & (new (...args: any[]) => ThreadingMixIn)
  & {
    /** The default of `daemon_threads`. @default {false} */
    daemon_threads: boolean | number;
    /** The default of `block_on_close`. @default {true} */
    block_on_close: boolean | number;
  };

/**
 * What a task's unexpected rejection looks like on stderr: Python's
 * `threading.excepthook` block, for a task (`Exception in task
 * (process_request_thread):`), ending as Python's with the error's line.
 */
function reportTask(err: unknown): void {
  console.error(
    `Exception in task (process_request_thread):\n${tracebackOf(err)}`,
  );
}

/**
 * Can the server's socket send while a receive is in flight on it? Not a
 * Unix datagram socket, which only Deno has: Deno lets one call at a time
 * use it (`[Errno 16] Device or resource busy`), and the loop's selector
 * keeps a receive in flight while it watches the socket.
 */
function sendsWhileReceiving(server: object): boolean {
  const sock = (server as { socket?: unknown }).socket;
  if (!(sock instanceof Socket)) return true;
  return !(sock.family === AF_UNIX && sock.type === SOCK_DGRAM);
}

/**
 * A request's task: what Python's `threading.Thread` is here, as
 * `_threads` lists it.
 */
class Thread {
  /** Not waited for by `server_close()` (`daemon_threads`). */
  readonly daemon: boolean;
  /** Settles once the request is served (it never rejects). */
  task: Promise<void> = Promise.resolve();
  #alive = true;

  constructor(daemon: boolean) {
    this.daemon = daemon;
  }

  /** Starts `run` as the task, which `threadStorage()` then tells. */
  start(run: () => Promise<void>): void {
    const threads = threadStorage();
    const task = threads === null ? run() : threads.run(this, run);
    this.task = task.finally(() => {
      this.#alive = false;
    });
  }

  /** Whether the request is still being served. */
  is_alive(): boolean {
    return this.#alive;
  }

  /**
   * Waits until the request is served; Python's `RuntimeError: cannot join
   * current thread` from the task itself.
   */
  join(): Promise<void> {
    if (threadStorage()?.get() === this) {
      return Promise.reject(new RuntimeError("cannot join current thread"));
    }
    return this.task;
  }
}

/** What `_threads` lists: Python's `threading.Thread`, here {@linkcode Thread}. */
interface Joinable {
  readonly daemon: boolean;
  is_alive(): boolean;
  join(): Promise<void>;
}

/**
 * `Array`, typed without its `join()`: Python's `_Threads.join()` waits for
 * the threads instead.
 */
const ListBase = Array as unknown as new () => Omit<Joinable[], "join">;

/**
 * Python's `socketserver._Threads`: a list (an array here) of the tasks
 * `server_close()` waits for.
 */
class _Threads extends ListBase {
  /** Array methods that make an array (`filter`, `splice`) make a plain one. */
  static get [Symbol.species](): ArrayConstructor {
    return Array;
  }

  /** Drops the finished ones, then lists `thread` unless it is a daemon. */
  append(thread: Joinable): void {
    this.reap();
    if (pyTruthy(thread.daemon)) return;
    this.push(thread);
  }

  /** Python's `list.remove()`. */
  remove(thread: Joinable): void {
    const i = this.indexOf(thread);
    if (i === -1) throw new ValueError("list.remove(x): x not in list");
    this.splice(i, 1);
  }

  /** Empties the list: what it held. */
  pop_all(): Joinable[] {
    return this.splice(0, this.length);
  }

  /**
   * Empties the list and waits for each, in order; what a `join()` raised
   * (`cannot join current thread`) goes on out, the later ones not waited
   * for, as in Python.
   */
  async join(): Promise<void> {
    for (const thread of this.pop_all()) await thread.join();
  }

  /** Keeps only the ones still running. */
  reap(): void {
    // (In place: no spread of arguments, which a very long list would
    // exceed.)
    let kept = 0;
    for (let i = 0; i < this.length; i++) {
      if (this[i].is_alive()) this[kept++] = this[i];
    }
    this.length = kept;
  }
}

// The array's text, as `Array`'s: its `toString()` would call `join()`.
Object.defineProperty(_Threads.prototype, "toString", {
  value: function toString(this: Joinable[]): string {
    return Array.prototype.join.call(this);
  },
  writable: true,
  configurable: true,
});

/** Python's `socketserver._NoThreads`: `append()` and `join()` do nothing. */
class _NoThreads {
  /** Does nothing. */
  append(_thread: Joinable): void {}

  /** Does nothing. */
  join(): Promise<void> {
    return Promise.resolve();
  }
}

pyNames({ _Threads, _NoThreads }, "socketserver");

/** Python's class attribute `ThreadingMixIn._threads`, shared. */
const NO_THREADS = new _NoThreads();

/**
 * What says which task is running (Python's `threading.current_thread()`),
 * made on first use; `null` where the runtime cannot tell.
 */
let storage: TaskLocal<Thread> | null | undefined;

function threadStorage(): TaskLocal<Thread> | null {
  if (storage === undefined) storage = backend().taskLocal<Thread>();
  return storage;
}

/**
 * Python's `socketserver.ThreadingMixIn`, as a function that extends a
 * server class: `class ThreadedTCPServer(ThreadingMixIn, TCPServer)`
 * becomes `class ThreadedTCPServer extends ThreadingMixIn(TCPServer)`.
 *
 * JS has no threads: `process_request()` starts each request as a task of
 * its own (`process_request_thread()`) and returns at once, so the server
 * goes on accepting while requests are served, and a slow client never
 * holds up the others. With `block_on_close` (the default),
 * `server_close()` closes the socket at once and its promise settles when
 * the requests in flight are done, where Python joins its threads;
 * `daemon_threads` leaves them out of that wait.
 *
 * On a Unix datagram socket (Deno's, which one call at a time may use: a
 * send while a receive waits raises `[Errno 16] Device or resource busy`)
 * `process_request()` returns once the request is served, or once
 * `shutdown()` is called: the loop does not watch the socket while a
 * handler may answer on it, so requests are served one at a time, each
 * still in a task of its own.
 *
 * @typeParam B The server class to extend.
 * @param Base The server class to extend.
 * @returns A subclass of `Base` that serves each request in its own task.
 *
 * @example Python's `ThreadedTCPServer`
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import * as socketserver from "@pysocket/socket/socketserver";
 * import { assertEquals } from "@std/assert";
 *
 * class ThreadedTCPServer extends socketserver.ThreadingMixIn(socketserver.TCPServer) {}
 * class Echo extends socketserver.BaseRequestHandler<socket.Socket> {
 *   override async handle() {
 *     await this.request.sendall(await this.request.recv(1024));
 *   }
 * }
 * await using server = new ThreadedTCPServer(["127.0.0.1", 0], Echo);
 * const done = server.serve_forever();
 * // Two clients at once: the first one's silence does not stop the second.
 * using slow = await socket.create_connection(server.server_address);
 * using quick = await socket.create_connection(server.server_address);
 * await quick.sendall(new TextEncoder().encode("quick"));
 * assertEquals(new TextDecoder().decode(await quick.recv(10)), "quick");
 * await slow.sendall(new TextEncoder().encode("slow"));
 * assertEquals(new TextDecoder().decode(await slow.recv(10)), "slow");
 * await server.shutdown();
 * await done;
 * ```
 */
export function ThreadingMixIn<B extends ServerClass>(
  Base: B,
): ThreadingMixInClass<B> {
  if (!isConstructor(Base) || arguments.length !== 1) {
    // Python's words for `class X(ThreadingMixIn, base)` with a base that
    // is no class.
    throw new TypeError(
      "metaclass conflict: the metaclass of a derived class must be a (non-strict) subclass of the metaclasses of all its bases",
    );
  }
  class ThreadingServer extends Base implements ThreadingMixIn {
    static daemon_threads: boolean | number = false;
    static block_on_close: boolean | number = true;

    /** Its own `_threads`, once `process_request()` has made it. */
    #threads: ThreadingMixIn["_threads"] | undefined;
    /** Settles at the next `shutdown()`. */
    #shutdown = Promise.withResolvers<void>();

    get daemon_threads(): boolean | number {
      return getAttr(this, "daemon_threads");
    }

    set daemon_threads(value: boolean | number) {
      setAttr(this, "daemon_threads", value);
    }

    get block_on_close(): boolean | number {
      return getAttr(this, "block_on_close");
    }

    set block_on_close(value: boolean | number) {
      setAttr(this, "block_on_close", value);
    }

    get _threads(): ThreadingMixIn["_threads"] {
      return this.#threads ?? NO_THREADS;
    }

    set _threads(value: ThreadingMixIn["_threads"]) {
      this.#threads = value;
    }

    async process_request_thread(
      request: unknown,
      client_address: unknown,
    ): Promise<void> {
      let raised = false;
      let thrown: unknown;
      try {
        try {
          // Also waits for a handler an override made without returning it.
          await finishRequest(this, request, client_address);
        } catch (err) {
          try {
            await this.handle_error(request, client_address, err);
          } catch (error) {
            // Raised in Python's `except` clause: its traceback prints the
            // error handled first.
            setContext(error, err);
            throw error;
          }
        }
      } catch (err) {
        [raised, thrown] = [true, err];
      }
      // Python's `finally`: an error there is raised while the one going
      // out (if any) is handled.
      try {
        await this.shutdown_request(request);
      } catch (error) {
        if (raised) setContext(error, thrown);
        throw error;
      }
      if (raised) throw thrown;
    }

    override process_request(
      request: unknown,
      client_address: unknown,
    ): void | Promise<void> {
      if (pyTruthy(this.block_on_close) && this.#threads === undefined) {
        this.#threads = new _Threads();
      }
      const thread = new Thread(pyTruthy(this.daemon_threads));
      // Listed before it starts, as Python appends the thread before
      // start(): a handler's server_close() finds its own request.
      this._threads.append(thread);
      thread.start(() =>
        this.process_request_thread(request, client_address).catch(
          reportTask,
        )
      );
      const task = thread.task;
      // The loop waits for the request before it watches the socket again
      // (a receive in flight would refuse the handler's answer), or until
      // shutdown(), which the handler may be the one to wait for.
      if (!sendsWhileReceiving(this)) {
        return Promise.race([task, this.#shutdown.promise]);
      }
    }

    /**
     * `BaseServer.shutdown()`; a loop waiting for a request to finish
     * first stops waiting.
     */
    override shutdown(): Promise<void> {
      this.#shutdown.resolve();
      this.#shutdown = Promise.withResolvers<void>();
      return super.shutdown();
    }

    /**
     * `BaseServer.server_close()`, then waits for the requests in flight,
     * one by one in the order they started, as Python joins its threads.
     * Called by a request's own handler, it waits for the ones that
     * started before, then raises Python's `RuntimeError: cannot join
     * current thread` (the later ones are not waited for, as in Python).
     */
    override async server_close(): Promise<void> {
      await super.server_close();
      await this._threads.join();
    }
  }
  return ThreadingServer;
}
