// Copyright the pysocket authors. MIT license.
// The handlers made for a request while the server serves it. Python's
// handler serves the request inside its constructor, so a `finish_request`
// override that makes one without returning anything (http.server's
// `DualStackServer`) still returns only once the request is served. A JS
// constructor cannot wait: each `BaseRequestHandler` hands its `handled`
// promise to the server it was given, keyed by the request, and the server
// waits for those too before it shuts the request down.

/** The handlers made so far, per server, per request being served. */
const collecting = new WeakMap<object, Map<unknown, Promise<void>[]>>();

/**
 * Called by `BaseRequestHandler`'s constructor: if `server` is serving
 * `request` ({@linkcode finishRequest}), it will wait for `handled`.
 */
export function registerHandler(
  server: unknown,
  request: unknown,
  handled: Promise<void>,
): void {
  if (server === null) return;
  if (typeof server !== "object" && typeof server !== "function") return;
  const handlers = collecting.get(server)?.get(request);
  if (handlers === undefined) return;
  handlers.push(handled);
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
 * handler made for `request` meanwhile, whatever `finish_request` returned.
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
  let byRequest = collecting.get(server);
  if (byRequest === undefined) collecting.set(server, byRequest = new Map());
  const outer = byRequest.get(request);
  const handlers = outer ?? [];
  if (outer === undefined) byRequest.set(request, handlers);
  let failed = false;
  let error: unknown;
  try {
    await server.finish_request(request, client_address);
  } catch (err) {
    failed = true;
    error = err;
  }
  try {
    // A handler made meanwhile (by a handler) is waited for too.
    for (let i = 0; i < handlers.length; i++) {
      try {
        await handlers[i];
      } catch (err) {
        if (!failed) [failed, error] = [true, err];
      }
    }
  } finally {
    if (outer === undefined) byRequest.delete(request);
  }
  if (failed) throw error;
}
