// Copyright the pysocket authors. MIT license.
/**
 * CPython's helpers that make ready sockets: {@linkcode create_connection},
 * {@linkcode create_server}, {@linkcode socketpair} and
 * {@linkcode has_dualstack_ipv6}.
 *
 * @module
 */

import {
  type AddressLike,
  type AddressLikeOf,
  type IPv4Address,
  isIPLiteral,
  reprAddress,
} from "./address.ts";
import {
  AF_INET,
  AF_INET6,
  AF_UNIX,
  AF_UNSPEC,
  IPPROTO_IPV6,
  IPPROTO_TCP,
  IPV6_V6ONLY,
  SO_REUSEADDR,
  SO_REUSEPORT,
  SOCK_CLOEXEC,
  SOCK_DGRAM,
  SOCK_NONBLOCK,
  SOCK_RAW,
  SOCK_SEQPACKET,
  SOCK_STREAM,
  SOL_SOCKET,
} from "./constants.ts";
import {
  ConnectionError,
  errnoClass,
  errnoError,
  ExceptionGroup,
  OSError,
  ValueError,
} from "./errors.ts";
import { isDenied, mapError } from "../_io/boundary.ts";
import { descriptor, openDescriptor } from "../_io/fd_table.ts";
import { StreamTransport } from "../_io/stream.ts";
import { backend, hostOS } from "../_backend/mod.ts";
import { errnoName } from "../_py/errno.ts";
import {
  type ArgSpec,
  checkArgs,
  checkCInt,
  checkOptions,
  checkTimeout,
  positional,
  pyTruthy,
  unpack,
} from "../_py/pytype.ts";
import { pyNames } from "../_py/repr.ts";
import { type AddrInfo, getaddrinfo } from "./resolve.ts";
import { getdefaulttimeout, Socket } from "./socket.ts";

/**
 * Options for {@linkcode create_connection}.
 *
 * @example Every attempt's error, grouped
 * ```ts
 * import { create_connection, create_server, type CreateConnectionOptions, ExceptionGroup } from "@pysocket/socket";
 * import { assertRejects } from "@std/assert";
 *
 * const port = (() => {
 *   using probe = create_server(["127.0.0.1", 0]);
 *   return probe.getsockname()[1];
 * })();
 * const options: CreateConnectionOptions = { all_errors: true };
 * await assertRejects(
 *   () => create_connection(["127.0.0.1", port], 5, null, options),
 *   ExceptionGroup,
 *   "create_connection failed",
 * );
 * ```
 */
export interface CreateConnectionOptions {
  /**
   * Raise one `ExceptionGroup` with every attempt's error instead of the
   * first one.
   *
   * @default {false}
   */
  all_errors?: boolean;
}

/** The class of {@linkcode _GLOBAL_DEFAULT_TIMEOUT}: Python's `object`. */
class DefaultTimeout {
  readonly [Symbol.toStringTag] = "_GLOBAL_DEFAULT_TIMEOUT" as const;
}
pyNames({ object: DefaultTimeout });

/**
 * Python's `socket._GLOBAL_DEFAULT_TIMEOUT`: the sentinel (an `object()`)
 * that stands for "the default timeout" ({@linkcode getdefaulttimeout}) as
 * {@linkcode create_connection}'s `timeout`, where code ported from
 * Python's standard library passes it on (`if (timeout !==
 * _GLOBAL_DEFAULT_TIMEOUT) sock.settimeout(timeout)`, as ftplib does).
 * Frozen; anything else that takes a timeout refuses it, as CPython's
 * (`TypeError: 'object' object cannot be interpreted as an integer`).
 *
 * @example The default timeout, as Python's http.client passes it
 * ```ts
 * import { _GLOBAL_DEFAULT_TIMEOUT, create_connection, create_server, getdefaulttimeout } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * using server = create_server(["127.0.0.1", 0]);
 * using client = await create_connection(server.getsockname(), _GLOBAL_DEFAULT_TIMEOUT);
 * assertEquals(client.gettimeout(), getdefaulttimeout());
 * const [conn] = await server.accept();
 * conn.close();
 * ```
 */
export const _GLOBAL_DEFAULT_TIMEOUT: {
  readonly [Symbol.toStringTag]: "_GLOBAL_DEFAULT_TIMEOUT";
} = Object.freeze(new DefaultTimeout());

/**
 * Connects to `[host, port]`, trying every address the name resolves to in
 * turn, as CPython's `socket.create_connection`. Sockets that failed are
 * closed; the last attempt's error is raised (or all of them, grouped, with
 * `all_errors`).
 *
 * On Deno, a host name is looked up where the bare name is granted
 * (`--allow-net=localhost`). Otherwise Deno connects by name, which needs
 * only `--allow-net=localhost:8080`: Deno tries the resolver's addresses in
 * turn itself and tells only the last failure, so `all_errors` groups that
 * one.
 *
 * @param address `[host, port]`, as `getaddrinfo(host, port)` takes them:
 * the host a name, an address or `null` (Python's `None`: the loopback),
 * the port a number, a service name or number as a string (`"80"`,
 * `"http"`), or `null` (port 0).
 * @param timeout Seconds for the new socket (`null`: blocking); leave it
 * out (or pass {@linkcode _GLOBAL_DEFAULT_TIMEOUT}) for the default
 * timeout.
 * @param source_address A local `[host, port]` to bind first; the
 * connection comes from it.
 * @param options `all_errors`.
 * @returns The connected socket: `AF_INET` or `AF_INET6`, as the address
 * resolved, so its addresses are `[host, port, …]` with a numeric port.
 * @throws {TimeoutError} `timed out` when the timeout passes.
 * @throws {ConnectionRefusedError} `[Errno 111] Connection refused`.
 * @throws {ExceptionGroup} With `all_errors`: `create_connection failed (N
 * sub-exceptions)`.
 *
 * @example
 * ```ts
 * import { create_connection, create_server } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * using server = create_server(["127.0.0.1", 0]);
 * using client = await create_connection(server.getsockname(), 5);
 * assertEquals(client.gettimeout(), 5);
 * const [conn] = await server.accept();
 * conn.close();
 * ```
 */
export async function create_connection(
  address: readonly [
    host: string | Uint8Array | null,
    port: number | string | Uint8Array | null,
  ],
  timeout?: number | null | typeof _GLOBAL_DEFAULT_TIMEOUT,
  source_address?: AddressLike | null,
  options: CreateConnectionOptions = {},
): Promise<Socket<typeof AF_INET | typeof AF_INET6, typeof SOCK_STREAM>> {
  checkArgs(CREATE_CONNECTION, positional(arguments, 3));
  const seconds = isDefaultTimeout(timeout) ? undefined : timeout;
  const { all_errors = false } = checkOptions<CreateConnectionOptions>(
    options,
    "socket.create_connection",
    "create_connection",
    ["all_errors"],
  );
  const [host, port] = unpack(address, 2);
  const attempts = await connectAttempts(host, port, source_address);
  const errors: Error[] = [];
  for (const info of attempts) {
    let sock:
      | Socket<typeof AF_INET | typeof AF_INET6, typeof SOCK_STREAM>
      | undefined;
    try {
      if (info === null) {
        return await connectByName(host as string, port as number, seconds);
      }
      const [af, type, proto, , sa] = info;
      sock = new Socket(
        af as typeof AF_INET | typeof AF_INET6,
        type as typeof SOCK_STREAM,
        proto,
      );
      if (seconds !== undefined) sock.settimeout(seconds);
      if (pyTruthy(source_address)) sock.bind(source_address as IPv4Address);
      await sock.connect(sa);
      return sock;
    } catch (err) {
      sock?.close();
      if (!(err instanceof OSError)) throw err;
      errors.push(err);
    }
  }
  if (errors.length === 0) {
    throw new OSError("getaddrinfo returns an empty list");
  }
  if (pyTruthy(all_errors)) {
    throw new ExceptionGroup("create_connection failed", errors);
  }
  // As CPython: the last attempt's error.
  throw errors[errors.length - 1];
}

/** Python's `timeout is _GLOBAL_DEFAULT_TIMEOUT`. */
function isDefaultTimeout(
  timeout: unknown,
): timeout is typeof _GLOBAL_DEFAULT_TIMEOUT {
  return timeout === _GLOBAL_DEFAULT_TIMEOUT;
}

/**
 * What `create_connection` tries: getaddrinfo's addresses in turn, or
 * `[null]` for one attempt by name. Deno checks a lookup against the bare
 * name (`--allow-net=name`), a connection to an address against that
 * address, and a connection by name against `name:port` only: where the
 * lookup or the addresses are not granted, the runtime connects by name, so
 * that `--allow-net=name:port` is the grant it needs and the one a
 * `PermissionError` names.
 */
async function connectAttempts(
  host: unknown,
  port: unknown,
  source: unknown,
): Promise<(AddrInfo | null)[]> {
  const byName = typeof host === "string" && host !== "" &&
    !isIPLiteral(host) && typeof port === "number" &&
    Number.isInteger(port) && port >= 0 && port <= 0xffff &&
    !pyTruthy(source);
  const { netGranted } = backend().host;
  if (byName && !netGranted(host)) return [null];
  const infos = await getaddrinfo(
    host as string,
    port as number,
    0,
    SOCK_STREAM,
  );
  if (
    byName && netGranted(host, port) &&
    infos.some(([, , , , sa]) => !netGranted(sa[0], port))
  ) {
    return [null];
  }
  return infos;
}

/**
 * `create_connection` where only the connection is granted: the runtime
 * connects by name (Deno tries the resolver's addresses in turn, and tells
 * only the last failure), and the socket takes the family of the address
 * it connected to.
 */
async function connectByName(
  host: string,
  port: number,
  timeout: number | null | undefined,
): Promise<Socket<typeof AF_INET | typeof AF_INET6, typeof SOCK_STREAM>> {
  const seconds = timeout === undefined
    ? getdefaulttimeout()
    : checkTimeout(timeout);
  const transport = new StreamTransport(AF_UNSPEC);
  try {
    await transport.connect(
      { hostname: host, port },
      seconds === null ? null : seconds * 1000,
    );
  } catch (err) {
    transport.close();
    throw mapError(err);
  }
  const family = transport.family as typeof AF_INET | typeof AF_INET6;
  const fd = openDescriptor(transport, family, SOCK_STREAM, IPPROTO_TCP);
  const sock = new Socket(family, SOCK_STREAM, IPPROTO_TCP, fd);
  sock.settimeout(seconds);
  return sock;
}

const CREATE_CONNECTION: ArgSpec = {
  name: "create_connection",
  style: "py",
  params: ["address", "timeout", "source_address"],
  required: 1,
};

const CREATE_SERVER: ArgSpec = {
  name: "create_server",
  style: "py",
  params: ["address"],
  required: 1,
};

/**
 * Options for {@linkcode create_server}, CPython's keyword arguments.
 *
 * @typeParam F The family, as its literal type.
 *
 * @example
 * ```ts
 * import { AF_INET6, create_server, type CreateServerOptions } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * const options: CreateServerOptions<typeof AF_INET6> = { family: AF_INET6, backlog: 5 };
 * using server = create_server(["::1", 0], options);
 * assertEquals(server.getsockname()[0], "::1");
 * ```
 */
export interface CreateServerOptions<F extends number = number> {
  /**
   * `AF_INET` or `AF_INET6`: the server's type follows it.
   *
   * @default {AF_INET}
   */
  family?: F;
  /**
   * The `listen()` backlog; `null` for the default.
   *
   * @default {null}
   */
  backlog?: number | null;
  /**
   * Set `SO_REUSEPORT` so that several servers can bind the port.
   *
   * @default {false}
   */
  reuse_port?: boolean;
  /**
   * Accept IPv4 and IPv6 on one AF_INET6 socket.
   *
   * @default {false}
   */
  dualstack_ipv6?: boolean;
}

/** The errors of making a socket (no descriptor, no memory for one). */
const OUT_OF_DESCRIPTORS: ReadonlySet<string> = new Set([
  "EMFILE",
  "ENFILE",
  "ENOMEM",
  "ENOBUFS",
]);

/**
 * A listening TCP socket bound to `address`, as CPython's
 * `socket.create_server`: `SO_REUSEADDR` on, `SO_REUSEPORT` on request, and
 * bind errors that say which address failed.
 *
 * @typeParam F The family given in `options` (`AF_INET` when left out).
 * @param address `[host, port]` (AF_INET6 takes up to four items).
 * @param options `family`, `backlog`, `reuse_port`, `dualstack_ipv6`.
 * @returns The listening socket, typed by its family.
 * @throws {ValueError} `dualstack_ipv6 requires AF_INET6 family`.
 * @throws {OSError} `[Errno 98] Address already in use (while attempting
 * to bind on address ('127.0.0.1', 8080))`.
 *
 * @example
 * ```ts
 * import { create_server } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * using server = create_server(["127.0.0.1", 0], { backlog: 5 });
 * const [host, port] = server.getsockname(); // [string, number]
 * assertEquals(host, "127.0.0.1");
 * assertEquals(port > 0, true);
 * ```
 */
export function create_server<F extends number = typeof AF_INET>(
  address: AddressLikeOf<NoInfer<F>>,
  options: CreateServerOptions<F> = {},
): Socket<F, typeof SOCK_STREAM> {
  checkArgs(CREATE_SERVER, positional(arguments, 1));
  const {
    family = AF_INET as F,
    backlog = null,
    reuse_port = false,
    dualstack_ipv6 = false,
  } = checkOptions<CreateServerOptions<F>>(
    options,
    "socket.create_server",
    "create_server",
    ["family", "backlog", "reuse_port", "dualstack_ipv6"],
  );
  if (pyTruthy(dualstack_ipv6) && family !== AF_INET6) {
    throw new ValueError("dualstack_ipv6 requires AF_INET6 family");
  }
  const sock = new Socket(family, SOCK_STREAM);
  try {
    sock.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1);
    if (pyTruthy(reuse_port)) sock.setsockopt(SOL_SOCKET, SO_REUSEPORT, 1);
    if (family === AF_INET6) {
      if (pyTruthy(dualstack_ipv6)) {
        sock.setsockopt(IPPROTO_IPV6, IPV6_V6ONLY, 0);
      } else {
        // IPv6 only, as CPython's; where the runtime never sets the option
        // (Deno), CPython's `except error: pass`: the listener stays
        // dual-stack (README).
        try {
          sock.setsockopt(IPPROTO_IPV6, IPV6_V6ONLY, 1);
        } catch (err) {
          if (!(err instanceof OSError)) throw err;
        }
      }
    }
    try {
      sock.bind(address);
    } catch (err) {
      if (!(err instanceof OSError) || err.errno === null) throw err;
      // The runtime makes the descriptor at bind(): running out of them is
      // CPython's socket() error, before any address is tried.
      if (OUT_OF_DESCRIPTORS.has(errnoName(err.errno) ?? "")) throw err;
      const Class = errnoClass(err.errno);
      // A missing Deno permission keeps the grant to add in its words.
      const what = isDenied(err)
        ? err.message.replace(/^\[Errno -?\d+\] /, "")
        : err.strerror;
      throw new Class(
        err.errno,
        `${what} (while attempting to bind on address ${reprAddress(address)})`,
        { cause: err },
      );
    }
    if (backlog === null || backlog === undefined) sock.listen();
    else sock.listen(backlog);
    return sock;
  } catch (err) {
    sock.close();
    throw mapError(err);
  }
}

/**
 * Whether an AF_INET6 socket can accept IPv4 too: `true`, as Deno's
 * wildcard IPv6 listeners are dual-stack on Linux, macOS and Windows.
 *
 * @returns `true`.
 *
 * @example
 * ```ts
 * import { has_dualstack_ipv6 } from "@pysocket/socket";
 * import { assert } from "@std/assert";
 *
 * assert(has_dualstack_ipv6());
 * ```
 */
export function has_dualstack_ipv6(): boolean {
  checkArgs(
    { name: "has_dualstack_ipv6", style: "py", params: [], required: 0 },
    arguments,
  );
  return true;
}

/**
 * A pair of connected stream sockets, as Python's `socket.socketpair()`.
 * The default family is `AF_UNIX`, as CPython's on Linux, where the
 * runtime can make the pair without more permission than a loopback pair
 * needs (Node, Bun: a Linux abstract name, listened on and connected), and
 * `AF_INET` otherwise (Deno: an abstract name needs net access to
 * `unix:<name>`; see the README). `AF_INET` and `AF_INET6` pairs are made
 * over loopback, as CPython's own fallback makes them, where Linux's
 * `socketpair()` refuses them.
 *
 * @typeParam F The family, as its literal type.
 * @param family `AF_UNIX`, `AF_INET` or `AF_INET6`; `null` or left out:
 * the default (see above).
 * @param type `SOCK_STREAM`.
 * @param proto `0`.
 * @returns The two ends, typed by the family.
 * @throws {OSError} Linux's errors for a bad family, type or protocol
 * (`[Errno 97] Address family not supported by protocol`).
 * @throws {ValueError} `Only SOCK_STREAM socket type is supported`, `Only
 * protocol zero is supported`.
 *
 * @example
 * ```ts
 * import { socketpair } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * const [a, b] = await socketpair();
 * await a.sendall(new Uint8Array([42]));
 * assertEquals(await b.recv(1), new Uint8Array([42]));
 * a.close();
 * b.close();
 * ```
 */
export async function socketpair<
  F extends number = typeof AF_UNIX | typeof AF_INET,
>(
  family: F | null = null,
  type: number = SOCK_STREAM,
  proto: number = 0,
): Promise<[Socket<F, typeof SOCK_STREAM>, Socket<F, typeof SOCK_STREAM>]> {
  checkArgs(SOCKETPAIR, arguments);
  const f = family === null || family === undefined
    ? defaultPairFamily()
    : checkCInt(family, "i");
  const t = checkCInt(type, "i");
  const p = checkCInt(proto, "i");
  // Linux's checks, in its order: the family, the type, then the family's.
  if (f !== AF_UNIX && f !== AF_INET && f !== AF_INET6) {
    throw errnoError("EAFNOSUPPORT");
  }
  const kind = t & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (kind < 0 || kind >= 11) throw errnoError("EINVAL");
  if (f === AF_UNIX) {
    if (p !== 0 && p !== AF_UNIX) throw errnoError("EPROTONOSUPPORT");
    if (![SOCK_STREAM, SOCK_DGRAM, SOCK_RAW, SOCK_SEQPACKET].includes(kind)) {
      throw errnoError("ESOCKTNOSUPPORT");
    }
  }
  if (kind !== SOCK_STREAM) {
    throw new ValueError("Only SOCK_STREAM socket type is supported");
  }
  if (f !== AF_UNIX && p !== 0) {
    throw new ValueError("Only protocol zero is supported");
  }
  const pair = f === AF_UNIX ? await unixPair() : await loopbackPair(f);
  if (t & SOCK_NONBLOCK) { for (const s of pair) s.setblocking(false); }
  return pair as [Socket<F, typeof SOCK_STREAM>, Socket<F, typeof SOCK_STREAM>];
}

const SOCKETPAIR: ArgSpec = {
  name: "socketpair",
  style: "py",
  params: ["family", "type", "proto"],
  required: 0,
};

/** `socketpair()`'s family when none is given (see {@linkcode socketpair}). */
function defaultPairFamily(): number {
  return backend().caps.unixPair === true && hostOS() === "linux"
    ? AF_UNIX
    : AF_INET;
}

type StreamPair = [Socket, Socket];

/**
 * An AF_UNIX pair: a listener on a fresh Linux abstract name (nothing on
 * the filesystem), one connection to it, the listener closed. Its ends
 * tell no name (`''`, `None` from `recvfrom()`), as the OS's unnamed pair.
 */
async function unixPair(): Promise<StreamPair> {
  if (hostOS() !== "linux") {
    throw errnoError("EOPNOTSUPP", {
      detail: "an AF_UNIX pair needs Linux's abstract names",
    });
  }
  const random = crypto.getRandomValues(new Uint8Array(12));
  const name = `\0pysocket-pair-${
    Array.from(random, (b) => b.toString(16).padStart(2, "0")).join("")
  }`;
  const pair = await connectedPair(AF_UNIX, name);
  for (const end of pair) {
    const transport = descriptor(end.fileno())?.transport;
    if (transport instanceof StreamTransport) transport.markUnnamed();
  }
  return pair;
}

/** An AF_INET or AF_INET6 pair over loopback, as CPython's fallback. */
async function loopbackPair(family: number): Promise<StreamPair> {
  const [server, client] = await connectedPair(
    family,
    [family === AF_INET ? "127.0.0.1" : "::1", 0],
  );
  // As CPython: make sure the connection is ours, not a stranger's.
  const mine = JSON.stringify(server.getsockname()) ===
      JSON.stringify(client.getpeername()) &&
    JSON.stringify(client.getsockname()) ===
      JSON.stringify(server.getpeername());
  if (!mine) {
    server.close();
    client.close();
    throw new ConnectionError("Unexpected peer connection");
  }
  return [server, client];
}

/**
 * A listener bound to `address`, one connection to it and the socket that
 * accepted it; the listener is closed. The pair is made blocking, then given
 * the default timeout, as the sockets of the OS's `socketpair()` are (a
 * default of 0 must not make the connect raise `EINPROGRESS`). Its numbers
 * are the OS's too, the two lowest free, in order: the accepted end moves
 * to the listener's (the lowest), the connecting end has the next.
 */
async function connectedPair(
  family: number,
  address: AddressLike,
): Promise<StreamPair> {
  const listener = new Socket(family, SOCK_STREAM);
  listener.settimeout(null);
  let client: Socket | undefined;
  try {
    listener.bind(address);
    listener.listen();
    client = new Socket(family, SOCK_STREAM);
    client.settimeout(null);
    const [[accepted]] = await Promise.all([
      listener.accept(),
      client.connect(listener.getsockname()),
    ]);
    listener.close();
    const server = accepted.dup();
    accepted.close();
    const timeout = getdefaulttimeout();
    server.settimeout(timeout);
    client.settimeout(timeout);
    return [server, client];
  } catch (err) {
    client?.close();
    throw err;
  } finally {
    listener.close();
  }
}
