// Copyright the pysocket authors. MIT license.
// Stream sockets over Deno's own API: `Deno.listen` and `Deno.connect`;
// a connection from a chosen local address over Deno's `node:net`.
// Deno binds and listens in one call, so a bound socket is already a
// listener; `listen(backlog)` listens again with `tcpBacklog` when the
// backlog differs from the one it was made with. A port that a
// connection of this process holds (bound_ports.ts) is refused as Linux
// refuses it: Deno's listener has SO_REUSEADDR on, as the connection has.

import type {
  BindOptions,
  ConnectOptions,
  NetBackend,
  RawAddr,
  RawBound,
  RawConn,
  RawListener,
  Target,
  Waited,
} from "../types.ts";
import { nodeNet } from "../node/net.ts";
import { admitsListener, bindFree } from "../bound_ports.ts";
import { errnoError } from "../node/uv_error.ts";
import { requireNet } from "./host.ts";
import { held } from "./io_turn.ts";

/** The backlog `Deno.listen` uses when given none. */
const DENO_BACKLOG = 511;

/**
 * A Unix path as Deno binds it. Deno takes the bare abstract name `"\0"`
 * as none at all (Linux then picks one, as `bind("")` does), so that name,
 * which Linux binds as given, is refused (`EINVAL`) rather than bound as
 * another.
 *
 * @param path The path or abstract name.
 * @returns The same path.
 */
export function unixBindPath(path: string): string {
  if (path === "\0") throw errnoError("EINVAL", "bind");
  return path;
}

/** Linux's `sun_path`: 108 bytes, an abstract name's leading NUL counted. */
const SUN_PATH = 108;

const utf8 = new TextEncoder();

/**
 * A Unix path as Deno's stream sockets take it (`Deno.listen`,
 * `Deno.connect`). Deno drops the last byte of an abstract name that starts
 * with two NULs (`"\0\0ab"` is bound, and connected to, as `"\0\0a"`;
 * its datagram sockets, and the names it reports, keep every byte), so
 * such a name goes with one byte more, for Deno to drop. One with no room
 * for that byte (the full 108) is refused (`EINVAL`), as Deno refuses it.
 *
 * @param path The path or abstract name.
 * @param call The call, for the error: `bind` or `connect`.
 * @returns The path to give Deno.
 */
function unixStreamPath(path: string, call: string): string {
  if (!path.startsWith("\0\0")) return path;
  if (utf8.encode(path).length >= SUN_PATH) throw errnoError("EINVAL", call);
  return `${path}\0`;
}

function listenOn(
  target: Target,
  options: BindOptions,
  backlog?: number,
): Deno.Listener {
  if ("path" in target) {
    const path = unixStreamPath(unixBindPath(target.path), "bind");
    return held(Deno.listen({ transport: "unix", path }));
  }
  const { hostname, port } = target;
  const listenOptions: Deno.TcpListenOptions = { hostname, port };
  if (options.reusePort) {
    (listenOptions as { reusePort?: boolean }).reusePort = true;
  }
  if (backlog !== undefined) listenOptions.tcpBacklog = backlog;
  return held(Deno.listen(listenOptions));
}

/** A Deno connection, listener or datagram socket: its pending reads. */
interface Refable {
  ref(): void;
  unref(): void;
}

/**
 * Makes Deno's `handle` a `Waited` one: told that nobody waits on its
 * read, accept or receive in flight (one ahead for readiness, or one a
 * timed-out call left going), it is unref'd and no longer keeps the
 * process alive; told that someone does, ref'd again.
 *
 * @returns What to call as each new operation starts: a caller waits on
 * it, so the handle is ref'd again if it was not.
 */
function waited(handle: Refable): (on: boolean) => void {
  let released = false;
  const waiting = (on: boolean) => {
    // (Told what it is already: nothing to do. Deno's ref() and unref()
    // go over every operation in flight.)
    if (released !== on) return;
    released = !on;
    if (on) handle.ref();
    else handle.unref();
  };
  (handle as Refable & Waited).waiting = waiting;
  return waiting;
}

/**
 * A Deno connection made `waited()`, its reads starting held, but a read
 * ahead for readiness released (Deno's read of an unref'd connection
 * starts unref'd): a connection that reads ahead at each `select()` is not
 * ref'd and unref'd again each time.
 */
function waitedConn(conn: Deno.Conn): RawConn {
  held(conn);
  const waiting = waited(conn);
  const read = conn.read.bind(conn);
  (conn as unknown as RawConn).read = (p: Uint8Array, ahead?: boolean) => {
    waiting(!ahead);
    return read(p);
  };
  return conn as unknown as RawConn;
}

/**
 * An accept that Deno failed because the peer's name is not UTF-8 (a Unix
 * client bound to such bytes: `InvalidData`): Deno has taken that
 * connection and closed it, as one reset in the queue, which its accept
 * also fails for (`ECONNABORTED`, which the engine skips).
 */
function unnamedPeer(err: unknown): never {
  if (err instanceof Deno.errors.InvalidData) {
    throw errnoError("ECONNABORTED", "accept");
  }
  throw err;
}

/** A Deno listener made `waited()`, its accepts and connections too. */
function waitedListener(listener: Deno.Listener): RawListener {
  const waiting = waited(listener);
  const accept = listener.accept.bind(listener);
  const raw = listener as unknown as { accept(): Promise<RawConn> };
  raw.accept = () => {
    waiting(true);
    return accept().then(waitedConn, unnamedPeer);
  };
  return raw as unknown as RawListener;
}

/** A Deno listener standing for a socket that is only bound, in Python. */
class DenoBound implements RawBound {
  #listener: Deno.Listener;
  #target: Target;
  #options: BindOptions;

  constructor(target: Target, options: BindOptions) {
    this.#target = target;
    this.#options = options;
    // (A port of ours Deno hands out again for port 0: another.)
    this.#listener = bindFree(
      "port" in target ? target.port : -1,
      () => listenOn(target, options),
      (listener) => {
        const addr = listener.addr;
        return addr.transport !== "tcp" || admitsListener(addr, options);
      },
      (listener) => listener.close(),
    );
  }

  get addr(): RawAddr {
    return this.#listener.addr as RawAddr;
  }

  listen(backlog: number): RawListener {
    const addr = this.#listener.addr;
    if (
      "hostname" in this.#target && addr.transport === "tcp" &&
      backlog !== DENO_BACKLOG
    ) {
      // The same address again (its port, if it was 0), with the backlog;
      // by the name it was given, which is what --allow-net grants.
      this.#listener.close();
      this.#listener = listenOn(
        { hostname: this.#target.hostname, port: addr.port },
        this.#options,
        backlog,
      );
    }
    return waitedListener(this.#listener);
  }

  close(): void {
    this.#listener.close();
  }
}

/** The error of a connect abandoned by `signal` (its socket was closed). */
function abandoned(err: unknown, signal?: AbortSignal): never {
  if (signal?.aborted) throw errnoError("EBADF", "connect");
  throw err;
}

/** Stream sockets on Deno's native API. */
export const denoNet: NetBackend = {
  bind(target: Target, options: BindOptions): RawBound {
    return new DenoBound(target, options);
  },

  connect(target: Target, options: ConnectOptions): Promise<RawConn> {
    const { local } = options;
    if (local !== undefined && "hostname" in target) {
      // Deno.connect cannot choose the local address; Deno's node:net can.
      // It raises a denial as an uncaught exception: asked first.
      try {
        requireNet(local);
        requireNet(target);
      } catch (err) {
        return Promise.reject(err);
      }
      // Deno's node:net says EINVAL for EADDRNOTAVAIL (a connection from
      // a port another of ours shares, to the same peer): the bind that
      // could fail so came first, on Deno.listen.
      return nodeNet.connect(target, options).then(held, (err) => {
        if ((err as { code?: unknown })?.code !== "EINVAL") throw err;
        throw errnoError("EADDRNOTAVAIL", "connect");
      });
    }
    // (A Unix connect is done or refused at once: none to abandon.)
    if ("path" in target) {
      try {
        const path = unixStreamPath(target.path, "connect");
        return Deno.connect({ transport: "unix", path }).then(waitedConn);
      } catch (err) {
        return Promise.reject(err);
      }
    }
    // An abandoned connect is dropped: Deno closes its connecting socket.
    const { signal } = options;
    return Deno.connect({
      hostname: target.hostname,
      port: target.port,
      signal,
    }).then(waitedConn, (err) => abandoned(err, signal));
  },
};
