// Copyright the pysocket authors. MIT license.
// The handlers made for a request while the server serves it, and the
// error a server is handling.
//
// Python's handler serves the request inside its constructor, so a
// `finish_request` override that makes one without returning anything
// (http.server's `DualStackServer`), or makes it with a request of its own
// (`(request, extra)`, a TLS-wrapped socket), still returns only once the
// request is served. A JS constructor cannot wait: each
// `BaseRequestHandler` hands its `handled` promise to the server's running
// `finish_request` call, found by the task it is made in (a task-local
// value that follows the call across its awaits and into the tasks it
// starts), and the server waits for those too before it shuts the request
// down.
//
// Python's `handle_error(request, client_address)` prints the exception
// being handled (`sys.exc_info()`); JS has no such thing, so the server's
// own calls of `handle_error` record the error they hand it, in the same
// task-local way, for a `handle_error` called without one.

import { backend, type TaskLocal } from "../_backend/mod.ts";

/** One `finish_request()` call the server is waiting for. */
interface Serving {
  /** The handlers made by it so far. */
  readonly handlers: Promise<void>[];
  /** `false` once the server no longer waits for more. */
  open: boolean;
  /** The call this one runs inside, if any (a handler's own server). */
  readonly outer: Serving | undefined;
}

/**
 * The calls in flight, per server, per request given to them: where a
 * handler made outside the call's task for the same request goes (and
 * every handler, where the runtime cannot follow a task).
 */
const byRequest = new WeakMap<object, Map<unknown, Serving>>();

/** What follows a task: its `finish_request()` call, made on first use. */
let servingLocal: TaskLocal<Serving> | null | undefined;
/** What follows a task: the error its server is handling. */
let handlingLocal: TaskLocal<Handling> | null | undefined;
/**
 * The `finish_request()` call running synchronously right now, where the
 * runtime cannot follow a task.
 */
let current: Serving | undefined;

function servingTask(): TaskLocal<Serving> | null {
  if (servingLocal === undefined) servingLocal = backend().taskLocal();
  return servingLocal;
}

function handlingTask(): TaskLocal<Handling> | null {
  if (handlingLocal === undefined) handlingLocal = backend().taskLocal();
  return handlingLocal;
}

/** The innermost `finish_request()` call running in this task, if any. */
function servingNow(): Serving | undefined {
  const local = servingTask();
  let serving = local === null ? current : local.get();
  for (; serving !== undefined; serving = serving.outer) {
    if (serving.open) return serving;
  }
  return undefined;
}

/**
 * Called by `BaseRequestHandler`'s constructor: the `finish_request()`
 * call running in this task ({@linkcode finishRequest}), whatever request
 * and server it made the handler with, will wait for `handled`, as
 * Python's returns only once the handler it made is done; else the one
 * `server` is running for `request`, if any.
 */
export function registerHandler(
  server: unknown,
  request: unknown,
  handled: Promise<void>,
): void {
  let serving = servingNow();
  if (
    serving === undefined && server !== null &&
    (typeof server === "object" || typeof server === "function")
  ) {
    serving = byRequest.get(server)?.get(request);
  }
  if (serving === undefined || !serving.open) return;
  serving.handlers.push(handled);
  // Waited for later: a failure before then is not an unhandled rejection.
  handled.catch(() => {});
}

/** What {@linkcode finishRequest} calls. */
interface FinishRequest {
  finish_request(
    request: unknown,
    client_address: unknown,
  ): void | Promise<void>;
}

/**
 * `server.finish_request(request, client_address)`, then waits for every
 * handler made meanwhile by that call (and by the handlers it made), with
 * whatever request, whatever `finish_request` returned.
 *
 * @returns A promise that rejects with what `finish_request` raised, else
 * with what the first failing handler raised (the others' failures are
 * not left unhandled).
 */
export async function finishRequest(
  server: FinishRequest,
  request: unknown,
  client_address: unknown,
): Promise<void> {
  const local = servingTask();
  const serving: Serving = {
    handlers: [],
    open: true,
    outer: local === null ? current : local.get(),
  };
  let requests = byRequest.get(server);
  if (requests === undefined) byRequest.set(server, requests = new Map());
  const outer = requests.get(request);
  if (outer === undefined) requests.set(request, serving);
  let failed = false;
  let error: unknown;
  try {
    try {
      const call = () => server.finish_request(request, client_address);
      if (local !== null) {
        await local.run(serving, call);
      } else {
        const saved = current;
        current = serving;
        let result;
        try {
          result = call();
        } finally {
          current = saved;
        }
        await result;
      }
    } catch (err) {
      failed = true;
      error = err;
    }
    // A handler made meanwhile (by a handler) is waited for too.
    for (let i = 0; i < serving.handlers.length; i++) {
      try {
        await serving.handlers[i];
      } catch (err) {
        if (!failed) [failed, error] = [true, err];
      }
    }
  } finally {
    serving.open = false;
    if (outer === undefined) requests.delete(request);
  }
  if (failed) {
    failing(server, error);
    throw error;
  }
}

/** The error a server is handling, in a task ({@linkcode handlingError}). */
interface Handling {
  /** The server. */
  readonly server: object;
  /** Whether it is handling one. */
  has: boolean;
  /** The error. */
  error: unknown;
  /** The record this one runs inside, if any. */
  readonly outer: Handling | undefined;
}

/** The record of the synchronous part of a call, without task-locals. */
let handlingNow: Handling | undefined;

function handlingHere(server: object): Handling | undefined {
  const local = handlingTask();
  let handling = local === null ? handlingNow : local.get();
  for (; handling !== undefined; handling = handling.outer) {
    if (handling.server === server) return handling;
  }
  return undefined;
}

function runHandling<R>(handling: Handling, fn: () => R): R {
  const local = handlingTask();
  if (local !== null) return local.run(handling, fn);
  const saved = handlingNow;
  handlingNow = handling;
  try {
    return fn();
  } finally {
    handlingNow = saved;
  }
}

function record(server: object, has: boolean, error?: unknown): Handling {
  const local = handlingTask();
  return {
    server,
    has,
    error,
    outer: local === null ? handlingNow : local.get(),
  };
}

/**
 * Runs the server's `process_request(request, client_address)`: a request
 * that fails in {@linkcode finishRequest} there (in the task it starts, for
 * a `ThreadingMixIn` server) is the error the server then handles, for a
 * `handle_error()` called without one.
 *
 * @param server The server.
 * @param fn Its `process_request()` call.
 * @returns What `fn` returns.
 */
export function processing<R>(server: object, fn: () => R): R {
  return runHandling(record(server, false), fn);
}

/** {@linkcode finishRequest} failed with `error` for `server`. */
function failing(server: object, error: unknown): void {
  const handling = handlingHere(server);
  if (handling === undefined) return;
  handling.has = true;
  handling.error = error;
}

/**
 * Runs the server's own `handle_error(request, client_address, error)`
 * call: `error` is then the one being handled ({@linkcode handlingError}),
 * as `sys.exc_info()` in Python's `except` clause.
 *
 * @param server The server.
 * @param error The error it handles.
 * @param fn The `handle_error()` call.
 * @returns What `fn` returns.
 */
export function handling<R>(server: object, error: unknown, fn: () => R): R {
  return runHandling(record(server, true, error), fn);
}

/**
 * The error `server` is handling in this task (Python's `sys.exc_info()`
 * in its `handle_error()`), if any.
 *
 * @param server The server.
 * @returns `{ error }`, or `undefined` when it handles none.
 */
export function handlingError(server: object): { error: unknown } | undefined {
  const handling = handlingHere(server);
  return handling?.has ? { error: handling.error } : undefined;
}
