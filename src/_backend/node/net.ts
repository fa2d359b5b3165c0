// Copyright the pysocket authors. MIT license.
// Stream sockets over `node:net` (Node, and Deno's `node:net`).
//
// bind() makes the server handle the way `net.Server` does inside
// (`net._createServerHandle`): bound, not listening, so that bind() and
// listen() are two steps with their own errors, and listen() passes the
// backlog to the OS. libuv delays a bind's `EADDRINUSE` to the listen; the
// handle's `getsockname()` reports that delayed error at once, so bind()
// throws it itself. The listening handle's connections are taken as they
// come (not reading: each waits in a queue for accept()) and wrapped in a
// `net.Socket` that reads only when asked (conn.ts).

import type {
  BindOptions,
  ConnectOptions,
  NetBackend,
  RawAddr,
  RawBound,
  RawConn,
  RawListener,
  Target,
} from "../types.ts";
import { builtin } from "./builtin.ts";
import { shiftFirst } from "../../_io/shift_first.ts";
import { nodeConn, socketAddrs } from "./conn.ts";
import { acceptedLocal, knownPeer } from "./known_addr.ts";
import { errnoError, uvError } from "./uv_error.ts";
import { bindFree, type BoundPort, claim, release } from "../bound_ports.ts";
import { pathFault } from "./unix_path.ts";

type Net = typeof import("node:net");

/** A connection's handle as the listening handle hands it over. */
interface ClientHandle {
  close(): void;
  /** Closes a TCP handle with a reset (`uv_tcp_close_reset`); 0 if done. */
  reset?(callback: () => void): number;
}

/** A libuv server handle (`TCPWrap` or `PipeWrap` made as a server). */
interface ServerHandle {
  listen(backlog: number): number;
  ref(): void;
  unref(): void;
  getsockname?(out: Record<string, unknown>): number;
  close(): void;
  onconnection: ((status: number, client?: ClientHandle) => void) | null;
  readonly fd: number;
}

/** `net._createServerHandle`: a bound handle, or a negative libuv status. */
type CreateServerHandle = (
  address: string,
  port: number,
  addressType: number,
  fd?: number,
  flags?: number,
) => ServerHandle | number;

/** libuv's `uv_tcp_flags` for a bind. */
const UV_TCP_IPV6ONLY = 1;
const UV_TCP_REUSEPORT = 2;

function net(): Net {
  return builtin<Net>("node:net");
}

function fdOf(handle: { readonly fd: number } | null): number | undefined {
  const fd = handle?.fd;
  return typeof fd === "number" && fd >= 0 ? fd : undefined;
}

/** A bound, not yet listening, stream socket. */
class NodeBound implements RawBound {
  #handle: ServerHandle | null;
  #addr: RawAddr;
  #claim: BoundPort | null;

  constructor(handle: ServerHandle, addr: RawAddr, claim: BoundPort | null) {
    this.#handle = handle;
    this.#addr = addr;
    this.#claim = claim;
  }

  get addr(): RawAddr {
    return this.#addr;
  }

  get fd(): number | undefined {
    return fdOf(this.#handle);
  }

  listen(backlog: number): RawListener {
    const handle = this.#handle;
    if (handle === null) throw errnoError("EBADF", "listen");
    const status = handle.listen(backlog);
    // Still bound after a failed listen, as in C.
    if (status !== 0) throw uvError(status, "listen");
    this.#handle = null;
    release(this.#claim);
    return new NodeListener(handle, this.#addr);
  }

  close(): void {
    this.#handle?.close();
    this.#handle = null;
    release(this.#claim);
  }
}

/**
 * A listening handle; connections wait (not reading) for `accept()`. It
 * keeps the process alive only while an `accept()` waits, as a listening
 * socket nobody is blocked on does not keep a Python program running.
 */
class NodeListener implements RawListener {
  #handle: ServerHandle | null;
  #addr: RawAddr;
  /** Taken connections, each with its `RawConn.arrival`. */
  #queue: [ClientHandle, unknown][] = [];
  /** An accept error nobody has taken yet (`EMFILE`, …). */
  #error: Error | null = null;
  #resolve: ((conn: RawConn) => void) | null = null;
  #reject: ((err: unknown) => void) | null = null;
  /** See `RawListener.arrived`. */
  arrived?: () => unknown;

  /**
   * The local address of every connection it accepts, when it is bound to
   * one IP address (not a wildcard, not a scoped one): no `getsockname`.
   */
  #acceptedLocal: RawAddr | null;

  constructor(handle: ServerHandle, addr: RawAddr) {
    this.#handle = handle;
    this.#addr = addr;
    this.#acceptedLocal = acceptedLocal(addr);
    handle.onconnection = this.#onConnection;
    handle.unref();
  }

  get addr(): RawAddr {
    return this.#addr;
  }

  get fd(): number | undefined {
    return fdOf(this.#handle);
  }

  #onConnection = (status: number, client?: ClientHandle): void => {
    if (status !== 0 || client === undefined) {
      const err = uvError(status, "accept");
      const reject = this.#reject;
      this.#resolve = this.#reject = null;
      if (reject !== null) {
        this.#handle?.unref();
        reject(err);
      } else this.#error ??= err;
      return;
    }
    const arrival = this.arrived?.();
    const resolve = this.#resolve;
    if (resolve !== null) {
      this.#resolve = this.#reject = null;
      this.#handle?.unref();
      resolve(this.#wrap(client, arrival));
    } else this.#queue.push([client, arrival]);
  };

  /** An accepted handle as a connection that reads only when asked. */
  #wrap(client: ClientHandle, arrival: unknown): RawConn {
    const unix = "path" in this.#addr;
    const [conn, socket] = nodeConn((options) =>
      new (net().Socket)(
        {
          handle: client,
          pauseOnCreate: true,
          readable: true,
          writable: true,
          // (Named, not spread: a spread copies through the runtime.)
          allowHalfOpen: options.allowHalfOpen,
          onread: options.onread,
        } as ConstructorParameters<Net["Socket"]>[0],
      )
    );
    const [local, remote] = socketAddrs(
      socket,
      unix ? (this.#addr as { path: string | null }).path : null,
      null,
      unix,
      this.#acceptedLocal,
    );
    conn.addresses(local, remote);
    conn.arrival = arrival;
    return conn;
  }

  accept(): Promise<RawConn> {
    const taken = shiftFirst(this.#queue);
    if (taken !== undefined) return Promise.resolve(this.#wrap(...taken));
    if (this.#error !== null) {
      const err = this.#error;
      this.#error = null;
      return Promise.reject(err);
    }
    if (this.#handle === null) {
      return Promise.reject(errnoError("EBADF", "accept"));
    }
    const { promise, resolve, reject } = Promise.withResolvers<RawConn>();
    this.#resolve = resolve;
    this.#reject = reject;
    // An accept() waits: the process stays until it is answered.
    this.#handle.ref();
    return promise;
  }

  waiting(on: boolean): void {
    // Only while an accept() is in flight (it is ref'd for it).
    if (this.#resolve === null || this.#handle === null) return;
    if (on) this.#handle.ref();
    else this.#handle.unref();
  }

  close(): void {
    const handle = this.#handle;
    if (handle === null) return;
    this.#handle = null;
    // libuv closes the descriptor now: the port is free when this returns.
    handle.onconnection = null;
    handle.close();
    // Linux resets the connections left in a closed listener's queue.
    for (const [client] of this.#queue.splice(0)) {
      if (client.reset?.(() => {}) !== 0) client.close();
    }
    const reject = this.#reject;
    this.#resolve = this.#reject = null;
    reject?.(errnoError("EBADF", "accept"));
  }
}

/** Binds a server handle; throws the bind's error (also a delayed one). */
function bindHandle(target: Target, options: BindOptions): NodeBound {
  const create = (net() as unknown as {
    _createServerHandle: CreateServerHandle;
  })._createServerHandle;
  if ("path" in target) {
    const made = create(target.path, -1, -1);
    if (typeof made === "number") throw pathError(made, target.path);
    return new NodeBound(made, { path: target.path }, null);
  }
  const { hostname, port } = target;
  const family = net().isIP(hostname) === 6 ? 6 : 4;
  const v6only = family === 6 && (options.ipv6Only ?? false);
  let flags = 0;
  if (v6only) flags |= UV_TCP_IPV6ONLY;
  if (options.reusePort) flags |= UV_TCP_REUSEPORT;
  const reuseAddr = options.reuseAddress ?? false;
  const reusePort = options.reusePort ?? false;
  const [made, addr, entry] = bindFree(
    port,
    (): [ServerHandle, { hostname: string; port: number }, BoundPort] => {
      const made = create(hostname, port, family, -1, flags);
      if (typeof made === "number") throw uvError(made, "bind");
      // libuv keeps EADDRINUSE for listen(); getsockname() reports it now.
      const name: Record<string, unknown> = {};
      const status = made.getsockname!(name);
      if (status !== 0) {
        made.close();
        throw uvError(status, "bind");
      }
      const addr = { hostname: String(name.address), port: Number(name.port) };
      const entry = {
        family,
        address: addr.hostname,
        port: addr.port,
        reuseAddr,
        reusePort,
        v6only,
      } as const;
      return [made, addr, entry];
    },
    ([, , entry]) => claim(entry),
    ([made]) => made.close(),
  );
  return new NodeBound(made, addr, entry);
}

/**
 * A Unix bind's error: libuv reports Linux's `ENOENT` as `EACCES` (as
 * Windows would). It is `EACCES` only where the directory cannot be
 * written; a directory missing, or one where nothing can be made (`/proc`),
 * is `ENOENT`.
 */
function pathError(status: number, path: string): Error {
  const err = uvError(status, "bind");
  if (err.code !== "EACCES" || path.startsWith("\0")) return err;
  const fault = pathFault(path, "bind");
  return fault === "EACCES" ? err : errnoError(fault ?? "ENOENT", "bind");
}

/** Connects a socket that reads only when asked. */
function connectSocket(
  target: Target,
  options: ConnectOptions,
): Promise<RawConn> {
  const unix = "path" in target;
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(errnoError("EBADF", "connect"));
  const [conn, socket] = nodeConn((socketOptions) =>
    new (net().Socket)(socketOptions)
  );
  // Paused before it connects, so that connecting does not start reading.
  socket.pause();
  return new Promise<RawConn>((resolve, reject) => {
    const failed = (err: Error) => {
      socket.off("connect", connected);
      signal?.removeEventListener("abort", abandoned);
      socket.destroy();
      reject(err);
    };
    // Abandoned: destroy() closes the connecting handle (no more SYNs).
    const abandoned = () => {
      socket.off("error", failed);
      socket.off("connect", connected);
      // An error already queued (a lookup or connect failing in the same
      // tick) is no one's now: not an unhandled 'error' event.
      socket.on("error", () => {});
      socket.destroy();
      reject(errnoError("EBADF", "connect"));
    };
    const connected = () => {
      socket.off("error", failed);
      signal?.removeEventListener("abort", abandoned);
      const [local, remote] = socketAddrs(
        socket,
        null,
        unix ? target.path : null,
        unix,
        null,
        unix ? null : knownPeer(target),
      );
      conn.addresses(local, remote);
      resolve(conn);
    };
    socket.once("error", failed);
    socket.once("connect", connected);
    signal?.addEventListener("abort", abandoned, { once: true });
    if (unix) socket.connect({ path: target.path });
    else {
      const { local, family } = options;
      socket.connect({
        host: target.hostname,
        port: target.port,
        // The resolver's first address, as the contract says (no Happy
        // Eyeballs: its AggregateError would hide the errno).
        autoSelectFamily: false,
        ...(family === undefined ? {} : { family }),
        ...(local === undefined
          ? {}
          : { localAddress: local.hostname, localPort: local.port }),
      });
    }
  });
}

/** Stream sockets over `node:net`. */
export const nodeNet: NetBackend = {
  bind(target: Target, options: BindOptions): RawBound {
    return bindHandle(target, options);
  },

  connect(target: Target, options: ConnectOptions): Promise<RawConn> {
    return connectSocket(target, options);
  },
};
