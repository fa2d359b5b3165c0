// Copyright the pysocket authors. MIT license.
// SOCK_STREAM (TCP and Unix) over the backend's bound sockets, listeners and
// connections: Python's states (bound, listening, connecting, connected),
// with the reading side (reader.ts), the writing side (writer.ts) and
// readiness.

import { AF_INET, AF_INET6, AF_UNIX, AF_UNSPEC } from "../socket/constants.ts";
import { errnoError } from "../socket/errors.ts";
import {
  type Address,
  type Endpoint,
  fromRaw,
  inFamily,
  isIPLiteral,
  isIPv6Literal,
  isWildcard,
  type NetEndpoint,
  otherFamilyError,
} from "../socket/address.ts";
import { hostsAddress, resolveHost } from "../socket/_resolver.ts";
import { errnoOf, isDenied, mapError, nativeErrno } from "./boundary.ts";
import { errnoName } from "../_py/errno.ts";
import { Inbox, type WaitMs, WaitQueue, withWait } from "./pending.ts";
import {
  backend,
  type RawAddr,
  type RawBound,
  type RawConn,
  type RawListener,
  type RawNetAddr,
} from "../_backend/mod.ts";
import type { From, Transport } from "./transport.ts";
import { unroutedError } from "./route.ts";
import {
  ERROR,
  HANGUP,
  READ_HANGUP,
  READABLE,
  readsAhead,
  Watchers,
  WRITABLE,
  WRITE_BAND,
} from "./readiness.ts";
import { type Received, StreamReader } from "./reader.ts";
import { asked, StreamWriter } from "./writer.ts";
import {
  afterBind,
  mappedPeerError,
  type StreamOptions,
  streamOptions,
} from "./options.ts";
import {
  type BoundPort,
  hold,
  linger,
  release,
} from "../_backend/bound_ports.ts";
import { unixPeerError } from "./unix_peer.ts";

const noop = () => {};
const EMPTY = new Uint8Array(0);

/** The address of an unnamed Unix socket (a `socketpair()` end). */
const UNNAMED: RawAddr = { path: null };

/**
 * The first and the longest pause between the tries of a blocking Unix
 * connect whose listener's queue is full (`StreamTransport.#openWaiting`).
 */
const UNIX_RETRY_FIRST_MS = 2;
const UNIX_RETRY_MAX_MS = 50;

/** Linux's `sk_shutdown` bits: `how + 1` for SHUT_RD, SHUT_WR, SHUT_RDWR. */
const RCV_SHUTDOWN = 1;
const SEND_SHUTDOWN = 2;

/**
 * How long a closed socket's queued writes may go without progress before
 * the connection is dropped anyway (the peer stopped reading).
 */
const CLOSE_STALL_MS = 30_000;

/** Room for the one byte `close()` asks of a connection (`#unread`). */
const ONE_BYTE = new Uint8Array(1);

/**
 * The next connection that is still alive: one reset while it waited in
 * the queue makes the runtime's accept fail (`ENOTCONN`, `ECONNABORTED`),
 * where Linux would hand it over; a server must not die of it, so it is
 * skipped (see the README's differences).
 */
async function acceptLive(listener: RawListener): Promise<RawConn> {
  for (;;) {
    try {
      return await listener.accept();
    } catch (err) {
      const errno = nativeErrno(err);
      if (errno !== "ENOTCONN" && errno !== "ECONNABORTED") throw err;
    }
  }
}

/**
 * A connection the peer reset between accepting it and the runtime's
 * connect returning (the runtime then fails the connect itself): Linux
 * connects, and the reset shows on the next `recv` or `send`.
 */
function resetConnection(remote: Endpoint): RawConn {
  // TCP: the reset is the socket's one pending error, for the first call
  // that comes (then a receive finds the end, a send EPIPE). A Unix peer
  // that closed holds none of our bytes: a send meets EPIPE, a receive
  // the end. (Bun fails the connect to a Unix server that closed at once,
  // and drops what that server sent first, which cannot be told from
  // nothing sent: the end, as for a server that sent nothing, the commoner
  // case; README.)
  const unix = "path" in remote;
  let pending = !unix;
  const reset = (): boolean => {
    const was = pending;
    pending = false;
    return was;
  };
  return {
    // The runtime told no local address: "" is none (see `localAddr()`).
    localAddr: unix ? { path: null } : { hostname: "", port: 0 },
    remoteAddr: remote,
    read: () =>
      reset()
        ? Promise.reject(errnoError("ECONNRESET"))
        : Promise.resolve(null),
    write: () => Promise.reject(errnoError(reset() ? "ECONNRESET" : "EPIPE")),
    closeWrite: () => Promise.resolve(),
    close: noop,
    setNoDelay: noop,
    setKeepAlive: noop,
  };
}

/**
 * SOCK_STREAM over the runtime's TCP and Unix sockets.
 *
 * Where the runtime can bind only by listening (Deno), `bind()` listens
 * already: its errors come from `bind()` as in Python, and connections that
 * arrive before `listen()` wait in the kernel's queue.
 */
export class StreamTransport implements Transport {
  readonly kind = "stream";
  #family: number;
  #bound: RawBound | null = null;
  #listener: RawListener | null = null;
  #acceptor: Inbox<RawConn> | null = null;
  #conn: RawConn | null = null;
  #reader: StreamReader | null = null;
  #writer: StreamWriter | null = null;
  #connecting: Promise<void> | null = null;
  /** Callers of a blocking or timed `connect()` waiting for it. */
  #connectWaiters: WaitQueue<void> | null = null;
  /**
   * A TCP listener shut down for reading: Linux's `inet_shutdown()`
   * disconnects it (`tcp_disconnect()`), to the CLOSE state of a socket
   * never connected, with no shutdown mark. `getsockname()` still tells
   * the name it listened on (this); the port goes free but where bind()
   * gave it (`#keptPort`); and `listen()` listens again from that
   * address (`#relisten`).
   */
  #unlistened: RawNetAddr | null = null;
  /**
   * The shut-down listener kept the port bind() gave it (Linux's
   * `SOCK_BINDPORT_LOCK`): `bind()` raises `EINVAL`, and `listen()`
   * listens on that port again.
   */
  #keptPort = false;
  /**
   * The socket has listened: once it no longer does (shut down for
   * reading), Linux's `connect()` raises `EINVAL`, for good.
   */
  #listened = false;
  /** The acceptors of listeners shut down, for `settled()`. */
  #retired: Inbox<RawConn>[] = [];
  /** `accept()`s waiting on a Unix listener shut for reading. */
  #shutAccepts: WaitQueue<void> | null = null;
  #connectError: Error | null = null;
  /**
   * Abandons the runtime's connect in progress: `close()` aborts it, as
   * Linux's close() drops a connecting socket (no SYN goes out after it,
   * and the listener never sees the connection).
   */
  #abandon: AbortController | null = null;
  /**
   * `shutdown()` abandons the connect in progress (`#abandon`): as Linux's
   * `tcp_disconnect()`, it fails with `ECONNRESET` and leaves the socket
   * as new.
   */
  #disconnecting = false;
  /**
   * A TCP connect has been made on this socket (whatever came of it):
   * Linux's `listen()` answers `EINVAL` from then on.
   */
  #connectTried = false;
  /**
   * A non-blocking or timed connect (CPython's timed `connect()` is
   * non-blocking inside) has failed: Linux's socket stays "connecting",
   * shut both ways (a receive reads its error, then end of stream), until
   * the next `connect()` reports that error, or `ECONNABORTED` once
   * `SO_ERROR` or the timed connect took it, and starts afresh. A blocking
   * connect's failure leaves the socket as new (Linux disconnects it).
   */
  #refused = false;
  /** The connect in progress is non-blocking or timed. */
  #connectAsync = false;
  /**
   * The connection was made by a non-blocking or timed `connect()`, and no
   * `connect()` has seen it since: Linux's socket is still "connecting"
   * until one does, which returns 0 (then `EISCONN`). CPython's timed
   * `connect()` waits with `poll()` and reads `SO_ERROR`, so it leaves the
   * socket so too.
   */
  #connectUnseen = false;
  /**
   * `shutdown()` found the socket still "connecting" (`#connectUnseen`, or
   * `#refused`) with its connection ended (Linux's CLOSE state): Linux's
   * `inet_shutdown()` leaves it `SS_DISCONNECTING`, where every later
   * `connect()` raises `EINVAL`. (With the connection up, it is connected
   * from then on: `EISCONN`.)
   */
  #disconnected = false;
  /**
   * Linux's `sk_shutdown` while not connected. `shutdown()` answers
   * `ENOTCONN` and marks the socket shut all the same (RCV_SHUTDOWN,
   * SEND_SHUTDOWN); so does a failed non-blocking or timed connect (see
   * `#refused`). A receive then reads end of stream; a later connection
   * keeps the mark (a receive returns what has come, else end of stream; a
   * send raises `EPIPE`), and a blocking connect's failure clears it.
   */
  #shutMark = 0;
  /**
   * The bound address a connect started from. Linux keeps it after a
   * failed connect: `getsockname()` still reports it, and the next connect
   * goes from its IP address again, from a new port (the old one is free),
   * or from the same port where bind() was given one (`#fixedPort`).
   */
  #from: RawNetAddr | null = null;
  /**
   * bind() was given a port (not 0): Linux keeps it through a failed
   * connect (the next one goes from it again), where it frees an
   * ephemeral one.
   */
  #fixedPort = false;
  /**
   * The port a connection made from a bound address holds, from its
   * connect() to its close(), as Linux's socket does: the runtime bound it
   * with SO_REUSEADDR on, which would let another bind() take the port. An
   * accepted connection holds its listener's port so, from its accept().
   */
  #claim: BoundPort | null = null;
  #closed = false;
  #shutWrite = false;
  #watchers: Watchers | null = null;
  /** An `upgrade` in progress (settled, never rejected). */
  #upgrading: Promise<void> | null = null;
  /** A layer is being made over the connection: no reads ahead. */
  #layering = false;
  /** The layer is in place, and no poll has said so yet. */
  #upgraded = false;
  /** A `socketpair()` end: its connection's names are not told. */
  #unnamed = false;
  /** Socket options as in force (or to be, once the OS socket exists). */
  readonly options: StreamOptions;

  /**
   * @param family AF_INET, AF_INET6 or AF_UNIX; or AF_UNSPEC for a
   * connection by host name whose family is the address the runtime
   * connects to (it is the family from then on).
   * @param options Options inherited from a listener (accepted sockets).
   */
  constructor(family: number, options?: StreamOptions) {
    this.#family = family;
    this.options = options ? { ...options } : streamOptions();
  }

  get side(): this {
    return this;
  }

  get listening(): boolean {
    return this.#acceptor !== null;
  }

  /** The family this socket was made for. */
  get family(): number {
    return this.#family;
  }

  /** The connection, once there is one. */
  get conn(): RawConn | null {
    return this.#conn;
  }

  /** The `connect()` in progress (made and not awaited), if any. */
  connectInProgress(): Promise<void> | null {
    return this.#connecting;
  }

  /**
   * Sets an option on the connection (`apply`), if there is one. Where the
   * runtime refuses while a write waits (Deno: `EBUSY`), it is set once
   * the writes queued now are done: `getsockopt` reports the value at once,
   * and what is sent after them goes out under it.
   */
  tune(apply: (conn: RawConn) => void, retried = false): void {
    const conn = this.#conn;
    // A Unix socket has no TCP to tune: Linux keeps its SO_KEEPALIVE as a
    // flag and nothing more (and Deno's Unix connections have no setter).
    if (conn === null || this.#family === AF_UNIX) return;
    try {
      apply(conn);
    } catch (err) {
      if (nativeErrno(err) !== "EBUSY") throw err;
      const again = () => {
        if (this.#conn === conn && !this.#closed) this.tune(apply, true);
      };
      // Still refused with the queue done (a write under the writer's, as
      // TLS's, holds the socket): again a moment later, not at once.
      this.#writerOf().drain().then(
        () => retried ? setTimeout(again, 10) : again(),
        noop,
      );
    }
  }

  /** The bytes received and held for the next receives. */
  get buffered(): number {
    return this.#reader?.buffered ?? 0;
  }

  /** The listener or bound socket, once there is one. */
  get bound(): boolean {
    return this.#bound !== null || this.#listener !== null;
  }

  bind(ep: Endpoint): void {
    if (
      this.bound || this.#conn !== null || this.#connecting !== null ||
      this.#keptPort
    ) throw errnoError("EINVAL");
    const target = this.#bindTarget(ep);
    let bound = this.#bind(target);
    if (!inFamily(this.#family, bound.addr)) {
      // The runtime took the name's first address, of the other family.
      // Binding is synchronous, so there is no lookup to redo here, but
      // "localhost" has a known address in each family.
      bound.close();
      if (!("hostname" in ep) || ep.hostname !== "localhost") {
        throw otherFamilyError(ep);
      }
      const loopback = this.#family === AF_INET6 ? "::1" : "127.0.0.1";
      bound = this.#bind({ hostname: loopback, port: ep.port });
    }
    this.#bound = bound;
    this.#unlistened = null;
    this.#fixedPort = "port" in ep && ep.port !== 0;
    afterBind(this.options, this.#family, bound.addr);
    // Every runtime sets SO_REUSEADDR on the IP sockets it binds to listen:
    // getsockopt() reads it on while bound or listening, and the options
    // keep Python's own (a connection made from here has that).
  }

  /**
   * The endpoint to bind: a host name goes to a runtime that resolves it
   * itself (so that a Deno `--allow-net=name` grant covers it); for the
   * others it is looked up in /etc/hosts (there is no synchronous DNS).
   */
  #bindTarget(ep: Endpoint): Endpoint {
    if ("path" in ep || isIPLiteral(ep.hostname)) return ep;
    if (backend().caps.bindByName) return ep;
    return { hostname: hostsAddress(ep.hostname, this.#family), port: ep.port };
  }

  #bind(ep: Endpoint): RawBound {
    const { reuseaddr, reuseport, v6only } = this.options;
    return backend().net.bind(ep, {
      reuseAddress: reuseaddr,
      reusePort: reuseport,
      ipv6Only: this.#family === AF_INET6 ? v6only : undefined,
    });
  }

  listen(backlog: number): void {
    // Linux refuses a socket that has connected, or tried to (a failed
    // connect, or one abandoned, leaves it so too).
    if (
      this.#conn !== null || this.#connecting !== null || this.#connectTried
    ) throw errnoError("EINVAL");
    if (this.#acceptor !== null) return;
    if (this.#bound === null && this.#unlistened !== null) this.#relisten();
    if (this.#bound === null) {
      // Python binds an unbound socket to an ephemeral port on listen().
      // Linux refuses an unbound Unix socket (EINVAL, as CPython reports).
      if (this.#family === AF_UNIX) throw errnoError("EINVAL");
      this.bind({
        hostname: this.#family === AF_INET6 ? "::" : "0.0.0.0",
        port: 0,
      });
    }
    // Linux takes a negative backlog as 0 and caps it at SOMAXCONN (4096).
    const listener = this.#bound!.listen(Math.min(Math.max(backlog, 0), 4096));
    this.#bound = null;
    this.#listener = listener;
    if (this.#family !== AF_UNIX) {
      this.#listened = true;
      // Linux's accepted socket copies the listener's options when the
      // connection arrives: where the runtime takes it then, so does this.
      listener.arrived = () => ({ ...this.options });
    }
    this.#acceptor = new Inbox(
      () => acceptLive(listener),
      // A connection the runtime accepted ahead and nobody took is reset
      // when the listener closes, as Linux resets its accept queue.
      (c) => c.reset !== undefined ? c.reset() : c.close(),
      undefined,
      this.#notify,
      (on) => listener.waiting?.(on),
    );
  }

  /**
   * `listen()` after a shutdown stopped the listener (`#unlistened`):
   * Linux binds again from the address it kept (the wildcard, where the
   * socket was bound by `listen()` alone), to the port `bind()` gave, else
   * to a new one.
   */
  #relisten(): void {
    const at = this.#unlistened!;
    const port = this.#keptPort ? at.port : 0;
    release(this.#claim);
    this.#claim = null;
    this.#keptPort = false;
    this.bind({ hostname: at.hostname, port });
  }

  accept(ms: WaitMs): Promise<[Transport, RawAddr]> {
    if (this.#acceptor === null) return Promise.reject(errnoError("EINVAL"));
    if (this.#acceptor.closed && this.#family === AF_UNIX) {
      return this.#acceptShut(ms);
    }
    return this.#acceptor.take(ms).then((conn) => this.#adoptOne(conn));
  }

  /**
   * `accept()` on a Unix listener shut for reading: Linux's still listens,
   * with nothing to take. A blocking call fails with `EINVAL` at once; a
   * timed or non-blocking one finds nothing until its time is out
   * (`TimeoutError`, `BlockingIOError`), as CPython's retries until then.
   */
  #acceptShut(ms: WaitMs): Promise<never> {
    if (ms === null) return Promise.reject(errnoError("EINVAL"));
    // (Kept, so that close() wakes them with EBADF, as any accept.)
    this.#shutAccepts ??= new WaitQueue<void>();
    return this.#shutAccepts.add(undefined, ms).then(() => {
      throw errnoError("EINVAL");
    });
  }

  /**
   * An accepted socket inherits the listener's options, as on Linux, as
   * they were when it arrived (where the runtime took it ahead of
   * `accept()`), else as they are; a Unix one starts with none set (Linux
   * copies nothing there).
   */
  #adoptOne(conn: RawConn): [Transport, RawAddr] {
    const options = conn.arrival as StreamOptions | undefined ?? this.options;
    // (SO_REUSEADDR as the runtime's listener has it, on.)
    const accepted = new StreamTransport(
      this.#family,
      this.#family === AF_UNIX ? undefined : { ...options, reuseaddr: true },
    );
    accepted.#adopt(conn);
    // Linux's accepted socket holds the listener's port (see `#claim`),
    // with the listener's SO_REUSEADDR: Python's, off unless set. One of
    // a listener on `::` that is not IPv6 only still takes IPv4 (Linux's
    // `ipv6only` is off), whatever its own address.
    const at = conn.localAddr;
    if (this.#family !== AF_UNIX && "port" in at && at.port !== 0) {
      const from = this.#listener?.addr;
      const peer = conn.remoteAddr;
      accepted.#hold(
        at,
        options.reuseaddr,
        this.#family === AF_INET6 && !options.v6only &&
          from !== undefined && "hostname" in from && from.hostname === "::",
        "port" in peer ? peer.port : undefined,
      );
    }
    return [accepted, conn.remoteAddr];
  }

  connect(ep: Endpoint, ms: WaitMs): Promise<void> {
    const lookup = this.#lookUp(ep);
    if (lookup === null) return this.#connectTo(ep, ms);
    // The connect starts once the name is found, and the socket's timeout
    // counts from there, as CPython's getaddrinfo() comes before connect().
    return lookup.then((found) =>
      this.#closed
        ? Promise.reject(errnoError("EBADF"))
        : this.#connectTo(found, ms)
    );
  }

  /**
   * CPython looks a name up before it calls connect(), so a name that is
   * not found leaves the socket as it was (a timed or non-blocking connect
   * that fails marks it): the lookup, or `null` where there is none to
   * make here (a path, an address; a socket of either family; Deno, a name
   * not granted: the runtime looks it up itself, as the permission asks).
   * Deno connects to the address found only where it is granted too.
   */
  #lookUp(ep: Endpoint): Promise<Endpoint> | null {
    if ("path" in ep || isIPLiteral(ep.hostname)) return null;
    const { caps, host } = backend();
    if (
      this.#family === AF_UNSPEC ||
      (caps.permissions && !host.netGranted(ep.hostname))
    ) return null;
    return resolveHost(ep.hostname, this.#family).then(
      ([address]) =>
        !caps.permissions || host.netGranted(address, ep.port)
          ? { hostname: address, port: ep.port }
          : ep,
      (err) => Promise.reject(mapError(err, this.#closed)),
    );
  }

  #connectTo(ep: Endpoint, ms: WaitMs): Promise<void> {
    let err: Error | null = null;
    if (this.#disconnected) return Promise.reject(errnoError("EINVAL"));
    // (A socket listening again raises EISCONN, below.)
    if (this.#listened && this.#acceptor === null) {
      return Promise.reject(errnoError("EINVAL"));
    }
    if (this.#conn !== null && this.#connectUnseen) {
      return this.#connectSeen(ep, ms);
    }
    if (this.#conn !== null || this.#acceptor !== null) {
      // Linux's unix_stream_connect() finds the peer before it looks at
      // the socket's own state (a listener's is EINVAL).
      const peer = "path" in ep ? unixPeerError(ep.path) : null;
      err = errnoError(
        peer ?? (this.#conn === null && "path" in ep ? "EINVAL" : "EISCONN"),
      );
    } else if (this.#connecting !== null) err = errnoError("EALREADY");
    else if (this.#refused) {
      err = this.#connectError ?? errnoError("ECONNABORTED");
      this.#connectError = null;
      this.#refused = false;
      this.#shutMark = 0;
      this.#notify();
    }
    if (err !== null) return Promise.reject(err);
    // An IPv4-mapped peer of a socket that takes no IPv4, or an IPv6 peer
    // of one bound to an IPv4-mapped address: refused before anything is
    // done, as Linux's tcp_v6_connect() does.
    const unreachable = "hostname" in ep
      ? mappedPeerError(
        this.options,
        this.#family,
        ep.hostname,
        this.#bound?.addr ?? this.#from ?? undefined,
      )
      : null;
    if (unreachable !== null) return Promise.reject(unreachable);
    // A scoped link-local peer through an interface with no route: Linux's
    // route lookup refuses it at once (Node would wait for ever, its zone
    // read as a name no interface has).
    const unrouted = this.#family === AF_INET6 ? unroutedError(ep) : null;
    if (unrouted !== null) return Promise.reject(unrouted);
    let local: RawNetAddr | undefined;
    if (this.#bound !== null) {
      if (this.#family === AF_UNIX) {
        // No runtime connects from a path: the socket stays bound.
        return Promise.reject(errnoError("EOPNOTSUPP", {
          detail:
            "connect() after bind() on AF_UNIX: the runtime cannot connect from a bound path",
        }));
      }
      // The runtime binds again as it connects: from the same address,
      // whose port the socket goes on holding meanwhile.
      local = this.#from = this.#bound.addr as RawNetAddr;
      this.#bound.close();
      this.#bound = null;
      this.#hold(local);
    } else if (this.#claim !== null) {
      // A port bind() gave, kept through a failed connect.
      local = this.#from!;
    } else if (this.#from !== null && !isWildcard(this.#from.hostname)) {
      local = { hostname: this.#from.hostname, port: 0 };
    }
    // The connection goes on when the caller stops waiting, as in the OS:
    // it connects the socket when it completes, or leaves its error for
    // SO_ERROR and the next connect(); close() abandons it (`#abandon`).
    // A blocking connect is not abandoned: its caller waits for it (closed
    // by another task meanwhile, its connection is closed once made).
    // A Unix connect is done or refused within the call, in every mode:
    // none is left in progress, and a failure leaves the socket as new.
    const unix = this.#family === AF_UNIX;
    this.#connectUnseen = ms !== null && !unix;
    this.#connectAsync = ms !== null && !unix;
    if (!unix) this.#connectTried = true;
    this.#abandon = this.#connectAsync ? new AbortController() : null;
    const opening = unix && ms === null
      ? this.#openWaiting(ep)
      : this.#open(ep, local);
    this.#connecting = opening.then(
      (conn) => this.#connectOk(conn, local),
      (err) => this.#connectFailed(err),
    );
    this.#notify();
    // (A non-blocking one waits for it: the runtime's is done at once.)
    if (unix) {
      return this.#connectWaitersOf().add(undefined, ms === 0 ? null : ms);
    }
    if (ms === 0) {
      // Linux answers EINPROGRESS even where the handshake is over when the
      // call returns (loopback: connected, or refused and SO_ERROR 111).
      // The answer waits for one turn in which the runtime polled its I/O
      // (less, if the connection settles), so that the calls that follow
      // see what the kernel had done by then.
      // A runtime's permission check (Deno's `--allow-net`) comes before
      // the connect starts: its refusal is the call's own error, as a
      // blocking connect's, and leaves the socket as it was.
      const inProgress = () => {
        const denied = this.#connectError;
        if (!isDenied(denied)) return Promise.reject(errnoError("EINPROGRESS"));
        this.#connectError = null;
        return Promise.reject(denied);
      };
      return withWait(this.#connecting, 0).then(inProgress, inProgress);
    }
    return this.#connectWaitersOf().add(undefined, ms);
  }

  /**
   * A `connect()` that finds the connection a non-blocking or timed one
   * made (`#connectUnseen`): Linux's socket is still "connecting". Where
   * the connection is up, the call returns (the next raises `EISCONN`);
   * where it has ended (Linux's CLOSE state: reset, or ended both ways),
   * it reports the error pending, else `ECONNABORTED`, and disconnects the
   * socket, which the next `connect()` connects afresh. A reset nothing has
   * read yet is found by a non-blocking peek (one turn of the runtime's
   * I/O), as the kernel knows it at once.
   */
  async #connectSeen(ep: Endpoint, ms: WaitMs): Promise<void> {
    let pending: Error | null = null;
    if (!this.#hasClosed()) {
      try {
        await this.#readerOf().recv(1, 0, true);
      } catch (err) {
        if (errnoName(errnoOf(err)) !== "EAGAIN") pending = err as Error;
      }
    }
    if (this.#closed) throw errnoError("EBADF");
    const conn = this.#conn;
    // (Another task's connect() disconnected it meanwhile: a fresh one.)
    if (conn === null) return this.#connectTo(ep, ms);
    // (A shutdown() meanwhile has made it connected, or disconnecting.)
    if (this.#disconnected) throw errnoError("EINVAL");
    if (!this.#connectUnseen) throw errnoError("EISCONN");
    this.#connectUnseen = false;
    if (!this.#hasClosed()) return;
    const error = pending ?? this.#reader?.takeError() ??
      this.#writer?.takeError() ?? errnoError("ECONNABORTED");
    // Linux drops what was received and not read; a port bind() gave
    // stays the socket's, an ephemeral one is let go.
    if (!this.#fixedPort) this.#letGo(conn, false);
    this.#reader?.close();
    this.#writer?.close();
    closeQuietly(conn);
    this.#conn = null;
    this.#reader = null;
    this.#writer = null;
    this.#shutWrite = false;
    this.#shutMark = 0;
    this.#notify();
    throw error;
  }

  /** The callers of a connect in progress, made at the first. */
  #connectWaitersOf(): WaitQueue<void> {
    return this.#connectWaiters ??= new WaitQueue<void>();
  }

  /**
   * Claims `addr`'s port for this socket (see `#claim`), with the options
   * Python's socket has: Linux looks at them as they are at each bind.
   * An accepted socket's SO_REUSEADDR is the listener's Python one
   * (`inherited`; its options read the runtime's, on), until it is turned
   * off; `dualStack` as in {@linkcode BoundPort}.
   */
  #hold(
    addr: RawNetAddr,
    inherited = true,
    dualStack = false,
    peerPort?: number,
  ): void {
    release(this.#claim);
    const options = this.options;
    const family = this.#family === AF_INET6 ? 6 : 4;
    const self = new WeakRef(this);
    this.#claim = {
      family,
      address: addr.hostname,
      port: addr.port,
      get reuseAddr() {
        return inherited && options.reuseaddr;
      },
      get reusePort() {
        return options.reuseport;
      },
      v6only: family === 6 && options.v6only,
      dualStack,
      // (Linux lets an accepted connection's port go once it is reset: the
      // kernel no longer lists it.)
      peer: peerPort === undefined ? undefined : {
        port: peerPort,
        read: (path: string) => backend().host.readTextFile(path),
      },
      // (Or once pysocket has met the reset, where the port is not fixed.
      // Weakly: a claim lingers after close(), and must not keep the
      // connection's memory.)
      gone: () => {
        const transport = self.deref();
        return transport !== undefined && transport.#resetMet();
      },
    };
    hold(this.#claim);
  }

  /** The connection was reset (or failed), where its port is not fixed. */
  #resetMet(): boolean {
    return !this.#fixedPort &&
      (((this.#reader?.hangups() ?? 0) | (this.#writer?.hangups() ?? 0)) &
          HANGUP) !== 0;
  }

  #connectOk(conn: RawConn, local?: RawNetAddr): void {
    this.#connecting = null;
    this.#abandon = null;
    // (Made before a shutdown() could abandon it: shut down as made.)
    this.#disconnecting = false;
    if (this.#closed) {
      // close() has told the waiters already.
      conn.close();
      return;
    }
    // A connection from a chosen address: the runtime bound it with
    // SO_REUSEADDR on. It holds the connection's own address (a wildcard
    // bind's is now the address it goes from, as on Linux).
    const at = conn.localAddr;
    if (
      local !== undefined && "port" in at && at.port !== 0 &&
      this.#family !== AF_UNIX
    ) this.#hold(at);
    this.#adopt(conn);
    if (this.#shutMark & RCV_SHUTDOWN) this.#readerOf().shutRead();
    // No end of stream is sent: Linux sends none for a mark made before
    // the connection (a shutdown(SHUT_WR) after it still does).
    if (this.#shutMark & SEND_SHUTDOWN) this.#writerOf().shutWrite();
    const waiters = this.#connectWaiters;
    while (waiters !== null && waiters.length > 0) waiters.resolveHead();
    this.#notify();
  }

  #connectFailed(err: unknown): void {
    this.#connecting = null;
    this.#abandon = null;
    // Linux frees the port of a socket bound to port 0 when its connect
    // fails, and keeps one bind() was given.
    if (!this.#fixedPort || this.#closed) {
      release(this.#claim);
      this.#claim = null;
    }
    // Linux's tcp_done() shuts the socket both ways; a blocking connect
    // then disconnects it, which clears that (and any earlier mark), as
    // does a shutdown() that abandons the connect, with ECONNRESET.
    const reset = this.#disconnecting && !this.#closed;
    this.#disconnecting = false;
    const error = reset
      ? errnoError("ECONNRESET")
      : mapError(err, this.#closed);
    // (A permission refused: no connect was started.)
    this.#refused = this.#connectAsync && !reset && !isDenied(error);
    this.#shutMark = this.#refused ? RCV_SHUTDOWN | SEND_SHUTDOWN : 0;
    const waiters = this.#connectWaiters;
    if (waiters !== null && waiters.length > 0) {
      waiters.rejectAll(() => error);
    } else this.#connectError = error;
    this.#notify();
  }

  #open(ep: Endpoint, local?: RawNetAddr): Promise<RawConn> {
    // Linux refuses a connection to port 0 itself.
    if ("port" in ep && ep.port === 0) {
      return Promise.reject(errnoError("ECONNREFUSED"));
    }
    const opening = "path" in ep || isIPLiteral(ep.hostname)
      ? backend().net.connect(ep, { local, signal: this.#abandon?.signal })
      : this.#openName(ep, local);
    return opening.catch((err) => {
      const errno = nativeErrno(err);
      if (errno === "ECONNRESET" || errno === "ENOTCONN") {
        return resetConnection(ep);
      }
      throw err;
    });
  }

  /**
   * A blocking connect to a Unix path. Linux's waits while the listener's
   * accept queue is full, until the server accepts (or closes: then
   * `ECONNREFUSED`); the runtimes connect without blocking and fail at once
   * (`EAGAIN`). So it is tried again, after a pause that grows from
   * {@linkcode UNIX_RETRY_FIRST_MS} to {@linkcode UNIX_RETRY_MAX_MS}, until
   * it connects, fails otherwise, or the socket is closed. (A timed or
   * non-blocking one raises `EAGAIN` at once, as CPython's does.)
   */
  async #openWaiting(ep: Endpoint): Promise<RawConn> {
    let pause = UNIX_RETRY_FIRST_MS;
    for (let waited = false;; waited = true) {
      try {
        return await this.#open(ep);
      } catch (err) {
        const errno = errnoName(errnoOf(err));
        // The path was found before the wait: a listener gone meanwhile
        // (its path with it) refuses, as Linux's wait ends.
        if (waited && errno === "ENOENT") throw errnoError("ECONNREFUSED");
        if (errno !== "EAGAIN" || this.#closed) throw err;
      }
      await new Promise((resolve) => setTimeout(resolve, pause));
      if (this.#closed) throw errnoError("EBADF");
      pause = Math.min(pause * 2, UNIX_RETRY_MAX_MS);
    }
  }

  /**
   * A name {@linkcode #lookUp} left to be looked up here: a socket of
   * either family, resolved first (Bun's own lookup answers `localhost` in
   * both families, whatever /etc/hosts says), or, where permissions are
   * per name (Deno), a name or address not granted, which goes to the
   * runtime as is, so that --allow-net=name:port is the permission it
   * needs. The runtime then takes the resolver's first address whatever
   * its family: if that is the other family, connect to the first address
   * of the socket's own family instead.
   */
  async #openName(ep: NetEndpoint, local?: RawNetAddr): Promise<RawConn> {
    const { net, caps } = backend();
    const signal = this.#abandon?.signal;
    if (!caps.permissions) {
      const [address] = await resolveHost(ep.hostname, this.#family);
      if (this.#family === AF_UNSPEC) {
        this.#family = isIPv6Literal(address) ? AF_INET6 : AF_INET;
      }
      return net.connect({ hostname: address, port: ep.port }, {
        local,
        signal,
      });
    }
    // A connection from a bound address (Deno: node:net) looks the name up
    // in the socket's family, as CPython does.
    const family = local === undefined
      ? undefined
      : this.#family === AF_INET6
      ? 6
      : 4;
    const conn = await net.connect(ep, { local, family, signal });
    if (this.#family === AF_UNSPEC) {
      // A transport for whichever family the runtime connects with.
      this.#family = inFamily(AF_INET6, conn.remoteAddr) ? AF_INET6 : AF_INET;
    }
    if (inFamily(this.#family, conn.remoteAddr)) return conn;
    conn.close();
    const [address] = await resolveHost(ep.hostname, this.#family);
    return net.connect({ hostname: address, port: ep.port }, {
      local,
      signal,
    });
  }

  #takeConnectError(): Error {
    const err = this.#connectError!;
    this.#connectError = null;
    return err;
  }

  /**
   * `SO_ERROR`: the pending error (of a background connect, or one the
   * connection met that no call has reported yet), taken; 0 if none. The
   * kernel keeps one: the reading and writing sides' are the same.
   */
  takeError(): number {
    const err = this.#connectError;
    this.#connectError = null;
    const read = this.#reader?.takeError() ?? null;
    const write = this.#writer?.takeError() ?? null;
    return errnoOf(err ?? read ?? write);
  }

  #adopt(conn: RawConn): void {
    this.#conn = conn;
    if (this.#family === AF_UNIX) return;
    const { nodelay, keepalive, keepidle } = this.options;
    if (nodelay !== null) conn.setNoDelay(nodelay);
    if (keepalive) conn.setKeepAlive(true, keepidle ?? undefined);
  }

  /** The connection for I/O; waits for a connect in progress. */
  async #connected(
    ms: WaitMs,
    notConnected: "ENOTCONN" | "EPIPE" | "EINVAL",
    events = 0,
  ) {
    if (this.#acceptor !== null && ms !== null && ms > 0) {
      // CPython waits for readiness (`events`) before a call with a
      // timeout: a listener is never writable, and readable only while a
      // connection waits, so the call times out or then fails.
      await this.#ready(events, ms);
    }
    if (this.#connecting !== null) {
      await this.#connectWaitersOf().add(undefined, ms);
    }
    if (this.#conn === null) {
      if (this.#connectError !== null) throw this.#takeConnectError();
      throw errnoError(notConnected);
    }
    return this.#conn;
  }

  /** Waits until `poll(events)` reports something, for `ms` at most. */
  #ready(events: number, ms: number): Promise<void> {
    if (this.poll(events) !== 0) return Promise.resolve();
    const waiting = new WaitQueue<void>();
    const stop = this.watch(() => {
      if (waiting.length > 0 && this.poll(events) !== 0) {
        waiting.resolveHead();
      }
    });
    return waiting.add(undefined, ms).finally(stop);
  }

  /** The reading side, made on first use (a connection may never read). */
  #readerOf(): StreamReader {
    return this.#reader ??= new StreamReader(
      this.#conn!,
      this.#notify,
      this.#readErrorTold,
      () => this.#writerOf().readErrorHeld(),
    );
  }

  /**
   * The reading side told the error that ended the connection (a reset):
   * Linux's socket has no error left for a send, which meets EPIPE.
   */
  #readErrorTold = (): void => {
    this.#writerOf().readFailed();
  };

  /**
   * The writing side, made on first use. A write that fails after the
   * runtime's read met the reset takes that error (Linux's one pending
   * error) for the send waiting on it, or else for the next call of
   * either kind (`StreamReader.takeError`); on a Unix socket a send meets
   * the peer's end first (`EPIPE`), and the reset stays for a receive.
   */
  #writerOf(): StreamWriter {
    return this.#writer ??= new StreamWriter(
      this.#conn!,
      this.#notify,
      this.#writeFailed,
      this.#family === AF_UNIX
        ? () => null
        : () => this.#reader?.takeError(true) ?? null,
    );
  }

  /**
   * A write failed: the reading side ends too, and a receive that comes
   * before the next send reports the writer's unreported error (Linux keeps
   * one pending error per socket), unless it is `EPIPE`: Linux answers
   * that for a reset after the peer's end of stream, which a receive
   * reports instead (the error stays for the next send).
   */
  #writeFailed = (): void => {
    const writer = this.#writer;
    if (writer === null || this.#conn === null) return;
    this.#readerOf().writerFailed(() =>
      errnoName(writer.pendingErrno) === "EPIPE" ? null : writer.takeError()
    );
  };

  /**
   * What a send on a socket that is not connected raises: TCP's `EPIPE`,
   * a Unix socket's `ENOTCONN`.
   */
  #sendUnconnected(): "ENOTCONN" | "EPIPE" {
    return this.#family === AF_UNIX ? "ENOTCONN" : "EPIPE";
  }

  /** The same for a receive: TCP's `ENOTCONN`, a Unix socket's `EINVAL`. */
  #recvUnconnected(): "ENOTCONN" | "EINVAL" {
    return this.#family === AF_UNIX ? "EINVAL" : "ENOTCONN";
  }

  send(data: Uint8Array, ms: WaitMs): Promise<number> {
    if (this.#conn !== null) return this.#writerOf().send(data, ms);
    const size = data.length;
    return this.#connected(ms, this.#sendUnconnected(), WRITABLE).then(() =>
      this.#writerOf().send(asked(data, size), ms)
    );
  }

  sendall(data: Uint8Array, ms: WaitMs): Promise<void> {
    if (this.#conn !== null) return this.#writerOf().sendall(data, ms);
    const size = data.length;
    return this.#connected(ms, this.#sendUnconnected(), WRITABLE).then(() =>
      this.#writerOf().sendall(asked(data, size), ms)
    );
  }

  sendto(data: Uint8Array, _ep: Endpoint, ms: WaitMs): Promise<number> {
    if (this.#family === AF_UNIX) {
      // A Unix stream socket takes no address at all. (CPython waits for
      // readiness before a call with a timeout: a listener is never
      // writable, so the call times out first.)
      const errno = this.#conn !== null ? "EISCONN" : "EOPNOTSUPP";
      if (this.#acceptor === null || ms === null || ms <= 0) {
        return Promise.reject(errnoError(errno));
      }
      return this.#ready(WRITABLE, ms).then(() =>
        Promise.reject(errnoError(errno))
      );
    }
    // Linux ignores the address on a connected TCP socket (and fails with
    // EPIPE on an unconnected one, as send() does).
    return this.send(data, ms);
  }

  recv(n: number, ms: WaitMs, peek: boolean): Promise<Uint8Array> {
    return this.#recv(n, ms, peek, false);
  }

  placesReads(): boolean {
    return this.#conn?.readPlaced !== undefined;
  }

  recvInto(into: Uint8Array, ms: WaitMs, peek: boolean): Promise<number> {
    return this.#recvInto(into, ms, peek, false);
  }

  /**
   * A blocking `recv(n, MSG_WAITALL)`: `n` bytes, or fewer once the stream
   * ends, fails or is shut for reading. An error that cuts it short stays
   * the connection's pending one (Linux's `sk_err`), for whichever call
   * comes first: a receive, a send, `SO_ERROR` or `connect()`.
   */
  recvAll(n: number): Promise<Uint8Array> {
    return this.#recv(n, null, false, true);
  }

  /** A blocking `recv_into(into, n, MSG_WAITALL)`: as `recvAll`. */
  recvIntoAll(into: Uint8Array): Promise<number> {
    return this.#recvInto(into, null, false, true);
  }

  #recv(
    n: number,
    ms: WaitMs,
    peek: boolean,
    all: boolean,
  ): Promise<Uint8Array> {
    this.#upgraded = false;
    if (this.#conn !== null) return this.#readerOf().recv(n, ms, peek, all);
    if (this.#readsEnd()) return Promise.resolve(EMPTY);
    return this.#connected(ms, this.#recvUnconnected(), READABLE).then(() =>
      this.#readerOf().recv(n, ms, peek, all)
    );
  }

  #recvInto(
    into: Uint8Array,
    ms: WaitMs,
    peek: boolean,
    all: boolean,
  ): Promise<number> {
    this.#upgraded = false;
    if (this.#conn !== null) {
      return this.#readerOf().recvInto(into, ms, peek, all);
    }
    if (this.#readsEnd()) return Promise.resolve(0);
    const size = into.length;
    return this.#connected(ms, this.#recvUnconnected(), READABLE).then(() =>
      this.#readerOf().recvInto(asked(into, size), ms, peek, all)
    );
  }

  /**
   * Not connected, and marked shut for reading (`#shutMark`), with no
   * connect error to report first: a receive reads end of stream at once.
   */
  #readsEnd(): boolean {
    // (A Unix socket checks that it is connected first: EINVAL. Linux's
    // tcp_recvmsg() answers a listener ENOTCONN before it looks at the
    // mark.)
    return (this.#shutMark & RCV_SHUTDOWN) !== 0 && this.#connecting === null &&
      this.#connectError === null && this.#family !== AF_UNIX &&
      this.#acceptor === null;
  }

  async recvfrom(
    n: number,
    ms: WaitMs,
    peek: boolean,
  ): Promise<From<Uint8Array>> {
    if (n === 0) {
      return [EMPTY, await this.#readable(ms) ? this.#sender() : null];
    }
    const data = await this.recv(n, ms, peek);
    return [data, data.length > 0 ? this.#sender() : null];
  }

  async recvfromInto(
    into: Uint8Array,
    ms: WaitMs,
    peek: boolean,
  ): Promise<From<number>> {
    if (into.length === 0) {
      return [0, await this.#readable(ms) ? this.#sender() : null];
    }
    const got = await this.recvInto(into, ms, peek);
    return [got, got > 0 ? this.#sender() : null];
  }

  /**
   * Who sent the bytes received, as Linux's `recvfrom()` tells it: TCP
   * tells nobody (CPython's `None`); a Unix stream tells the peer's name,
   * `None` where it has none (unbound, or a `socketpair()` end).
   */
  #sender(): Address | null {
    if (this.#family !== AF_UNIX) return null;
    const peer = this.remoteAddr();
    const path = peer !== null && "path" in peer ? peer.path : null;
    if (!path) return null;
    return fromRaw(AF_UNIX, { path });
  }

  /**
   * Waits as CPython's `recvfrom()` of 0 bytes does (its `recv(0)` makes
   * no call): until there is something to read, the end of stream or an
   * error, which a peek of one byte finds, taking nothing.
   *
   * @returns Whether there are bytes to read (not the end of stream).
   */
  async #readable(ms: WaitMs): Promise<boolean> {
    return (await this.recv(1, ms, true)).length > 0;
  }

  async shutdown(how: number): Promise<void> {
    const acceptor = this.#acceptor;
    if (acceptor !== null && (!acceptor.closed || this.#family === AF_UNIX)) {
      // Linux: SHUT_WR does nothing to a TCP listener; shutting it down for
      // reading stops it (Linux's CLOSE state, below from then on), and
      // accept() now fails with EINVAL, which wakes an accept() that was
      // waiting. A Unix listener is marked shut (never an error) and stops
      // taking connections (the runtime's listener closes: see README);
      // it stays listening, with nothing to accept (`#acceptShut`).
      if (this.#family === AF_UNIX) this.#shutMark |= how + 1;
      if (how === 1 || acceptor.closed) {
        this.#notify();
        return;
      }
      acceptor.close(() => errnoError("EINVAL"));
      this.#listener!.close();
      if (this.#family !== AF_UNIX) this.#unlisten();
      return;
    }
    if (this.#conn === null && this.#connecting === null) {
      // Linux's CLOSE state: ENOTCONN (a failed connect's error stays for
      // SO_ERROR), and the socket marked shut all the same; a Unix socket
      // is marked without complaint. A failed non-blocking or timed connect
      // left it "connecting": it is disconnecting now (`#disconnected`).
      this.#shutMark |= how + 1;
      if (this.#refused) this.#disconnected = true;
      this.#notify();
      if (this.#family === AF_UNIX) return;
      throw errnoError("ENOTCONN");
    }
    const connecting = this.#connecting;
    if (this.#conn === null && connecting !== null && this.#abandon !== null) {
      // A non-blocking or timed connect in progress: Linux abandons it at
      // once (tcp_disconnect()) and returns; the socket is as new, with
      // ECONNRESET pending (see `#connectFailed`). The runtime's connect
      // ends as soon as it is aborted; made before that, it is shut down.
      this.#disconnecting = true;
      this.#abandon.abort();
      await connecting;
      if (this.#conn === null) return;
    }
    const conn = await this.#connected(null, "ENOTCONN");
    // close() came after this call was made: it ended the connection (a
    // FIN after the queued writes), as the shutdown asked (CPython's call
    // returned before its close()).
    if (this.#closed) return;
    if (
      this.#connectUnseen && this.#family !== AF_UNIX && !this.#layering &&
      !this.#hasClosed()
    ) {
      // Whether the connection is up decides what connect() answers from
      // now on: a reset nothing has read yet, the kernel knows at once.
      await this.#readerOf().probe();
      if (this.#closed) return;
    }
    const closed = this.#family !== AF_UNIX && this.#hasClosed();
    if (this.#connectUnseen) {
      // Linux's inet_shutdown(): a socket still "connecting" whose
      // connection is made is connected from now on (connect() raises
      // EISCONN); one whose connection has ended is disconnecting (EINVAL).
      this.#connectUnseen = false;
      this.#disconnected = closed;
    }
    // Linux's CLOSE state (reset, or ended both ways) is not connected
    // either; a Unix socket has no such state.
    if (closed) throw errnoError("ENOTCONN");
    if (how !== 1) this.#readerOf().shutRead();
    if (how !== 0) {
      const writer = this.#writerOf();
      if (!this.#shutWrite) {
        this.#shutWrite = true;
        // Queued writes go first; then the peer reads end of stream. As the
        // kernel's shutdown, the call does not wait for bytes queued (the
        // peer may not be reading): the end follows them in the background,
        // and a write that fails meanwhile is the writer's to tell.
        const ending = writer.shutWrite().then(() => conn.closeWrite());
        if (writer.queued > 0) ending.catch(noop);
        else {
          try {
            await ending;
          } catch (err) {
            // Closed meanwhile: close() ends the connection itself.
            if (!this.#closed) throw err;
          }
        }
      }
    }
  }

  /**
   * A TCP listener shut down for reading (its acceptor and runtime
   * listener closed): Linux's CLOSE state, as a socket never connected
   * (see `#unlistened`). A port bind() gave stays the socket's (claimed
   * here, as Linux's bind hash keeps it); an ephemeral one goes free.
   */
  #unlisten(): void {
    const at = this.#listener!.addr as RawNetAddr;
    this.#retired.push(this.#acceptor!);
    this.#acceptor = null;
    this.#listener = null;
    this.#unlistened = at;
    this.#keptPort = this.#fixedPort;
    if (this.#keptPort) this.#hold(at);
    this.#notify();
  }

  /**
   * Hands the connection to a layer made over it (TLS, for `SSLSocket`):
   * waits for the queued writes, then calls `make` with the connection and
   * what the reading side holds (bytes received and not yet read, and the
   * read in flight); the reading and writing sides start afresh over the
   * connection `make` returns.
   *
   * @throws {OSError} `ENOTCONN` when not connected.
   */
  upgrade(
    make: (conn: RawConn, received: Received) => Promise<RawConn>,
  ): Promise<void> {
    const run = this.#upgrade(make);
    const tracked = run.then(noop, noop);
    this.#upgrading = tracked;
    tracked.then(() => {
      if (this.#upgrading === tracked) this.#upgrading = null;
    });
    return run;
  }

  async #upgrade(
    make: (conn: RawConn, received: Received) => Promise<RawConn>,
  ): Promise<void> {
    const conn = await this.#connected(null, "ENOTCONN");
    await this.#writer?.drain();
    const received = this.#reader?.detach() ?? { buffered: [], inFlight: null };
    this.#reader = null;
    this.#writer = null;
    // Until the layer is in place, the connection is its alone: readiness
    // reads nothing ahead. Once it is, the socket polls readable once (a
    // non-blocking handshake's caller selects on it to go on).
    this.#layering = true;
    let next: RawConn;
    try {
      next = await make(conn, received);
    } finally {
      this.#layering = false;
      this.#upgraded = true;
      this.#notify();
    }
    if (this.#closed) {
      closeQuietly(next);
      throw errnoError("EBADF");
    }
    this.#conn = next;
    this.#notify();
  }

  poll(events: number): number {
    if (this.#closed) return events;
    const ready = this.#poll(events);
    // Linux's unix_poll() reports POLLWRBAND with POLLOUT; tcp_poll() not.
    return this.#family === AF_UNIX && ready & WRITABLE
      ? ready | WRITE_BAND
      : ready;
  }

  #poll(events: number): number {
    if (this.#layering) return 0;
    let ready = 0;
    if (this.#upgraded && events & READABLE) {
      this.#upgraded = false;
      ready |= READABLE;
    }
    const acceptor = this.#acceptor;
    if (acceptor !== null && acceptor.closed && this.#family === AF_UNIX) {
      // Shut down, a Unix listener stays listening, shut for reading (hung
      // up once shut both ways): never writable. A TCP one is in Linux's
      // CLOSE state: as a socket that is not connected (below).
      return READABLE | READ_HANGUP |
        (this.#shutMark & SEND_SHUTDOWN ? HANGUP : 0);
    }
    if (acceptor !== null && !acceptor.closed) {
      if (events & READABLE && acceptor.poll()) ready |= READABLE;
      return ready;
    }
    if (this.#conn !== null) {
      let read = 0;
      if (readsAhead(events)) {
        // (Nothing to read at all: the reading side has not ended either.)
        const reader = this.#readerOf();
        if (reader.poll()) read = READABLE | reader.hangups();
      } else if (this.#reader !== null) read = this.#reader.hangups();
      if (events & (WRITABLE | WRITE_BAND) && this.#writerOf().poll()) {
        ready |= WRITABLE;
      }
      if (this.#writer !== null) ready |= this.#writer.hangups();
      // Ended both ways: the peer's end of stream and our SHUT_WR.
      if (read & READ_HANGUP && this.#shutWrite) ready |= HANGUP;
      return ready | read;
    }
    if (this.#connecting !== null) return 0;
    // Not connected (fresh, bound, or after a failed connect): Linux's
    // CLOSE state, writable and hung up (a recv or send raises at once). A
    // failed connect has also ended the reading side, and its error waits
    // for SO_ERROR or the next connect().
    ready = WRITABLE | HANGUP;
    if (this.#shutMark & RCV_SHUTDOWN) ready |= READABLE | READ_HANGUP;
    if (this.#connectError !== null) ready |= ERROR;
    return ready;
  }

  watch(callback: () => void): () => void {
    return (this.#watchers ??= new Watchers()).add(callback);
  }

  #notify = (): void => {
    this.#watchers?.notify();
  };

  /**
   * Makes this connection an end of an unnamed pair, as the OS's
   * `socketpair()` makes: `localAddr()` and `remoteAddr()` tell no name
   * (pysocket's pair is made through a listener on a name of its own).
   */
  markUnnamed(): void {
    this.#unnamed = true;
  }

  localAddr(): RawAddr | null {
    const conn = this.#conn;
    const at = conn !== null && this.#unnamed ? UNNAMED : conn?.localAddr;
    // One the runtime failed with a reset (`resetConnection`) told none
    // (host ""): unknown, as before it connected.
    const told = at && "hostname" in at && at.hostname === "" ? null : at;
    return this.#bound?.addr ?? this.#listener?.addr ?? told ??
      this.#unlistened ?? this.#from;
  }

  remoteAddr(): RawAddr | null {
    const conn = this.#conn;
    if (conn === null) return null;
    // A TCP connection in Linux's CLOSE state has no peer (getpeername()
    // raises ENOTCONN); a Unix socket keeps its peer's name.
    if (this.#family !== AF_UNIX && this.#hasClosed()) return null;
    if (this.#unnamed) return UNNAMED;
    // One reset before accept() took it is in CLOSE too, where the runtime
    // could not tell its peer (Node, Bun: `accept()` gave `('', 0)`).
    const peer = conn.remoteAddr;
    return "hostname" in peer && peer.hostname === "" ? null : peer;
  }

  /**
   * The connection is in Linux's CLOSE state, as far as pysocket has seen:
   * it failed (a reset), or it has ended both ways (the peer's end of
   * stream, and our `SHUT_WR`).
   */
  #hasClosed(): boolean {
    const reader = this.#reader;
    const hangups = (reader?.hangups() ?? 0) | (this.#writer?.hangups() ?? 0);
    if (hangups & HANGUP) return true;
    return this.#shutWrite && reader !== null && reader.peerEnded;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    // (Asked before the reader drops what it holds.)
    const unread = this.#unread();
    this.#acceptor?.close();
    this.#reader?.close();
    this.#connectWaiters?.rejectAll(() => errnoError("EBADF"));
    this.#shutAccepts?.rejectAll(() => errnoError("EBADF"));
    this.#abandon?.abort();
    this.#abandon = null;
    // (Either may be closed by the runtime already: nothing to release.)
    if (this.#listener !== null) closeQuietly(this.#listener);
    if (this.#bound !== null) closeQuietly(this.#bound);
    const conn = this.#conn;
    this.#letGo(conn, unread);
    if (conn !== null) {
      const writer = this.#writer;
      writer?.close();
      if ((this.options.linger === 0 || unread) && conn.reset !== undefined) {
        conn.reset();
      } else if (writer === null || writer.queued === 0) closeQuietly(conn);
      else this.#linger(conn, writer);
    }
    this.#notify();
  }

  /**
   * Bytes the peer sent are held unread by pysocket (the reader's, or the
   * connection's own read ahead: Node and Bun read on past a receive, so
   * the kernel's queue is empty) on a TCP connection that can be reset:
   * Linux's close() of a socket with bytes in its receive queue resets
   * the connection (the peer's `recv` raises `ECONNRESET`) and drops what
   * it had still to send, and so does this close (see `close()`). The
   * connection is asked for one byte it holds (dropped with the rest).
   * Where nothing was read ahead, the kernel holds the bytes and resets
   * by itself at the close. A Unix socket cannot be reset by the runtime.
   * Under TLS, what is held is plaintext of records read whole (OpenSSL's
   * buffer, not the kernel's: CPython's close sends a FIN there), so it
   * does not count.
   */
  #unread(): boolean {
    const conn = this.#conn;
    if (
      conn === null || conn.reset === undefined || this.#family === AF_UNIX ||
      "cipher" in conn
    ) {
      return false;
    }
    if ((this.#reader?.buffered ?? 0) > 0) return true;
    return (conn.readNow?.(ONE_BYTE) ?? 0) > 0;
  }

  /**
   * Gives up the port a connection from a bound address (or an accepted
   * one) held: a closed connection's kernel socket may hold it a while yet
   * (FIN_WAIT, then TIME_WAIT, where this side ended first), with Python's
   * SO_REUSEADDR; one reset (by the peer, or by SO_LINGER `{1, 0}`) does
   * not.
   */
  #letGo(conn: RawConn | null, unread: boolean): void {
    const claim = this.#claim;
    if (claim === null) return;
    this.#claim = null;
    const peer = conn?.remoteAddr;
    const peerEnded = this.#reader?.peerEnded ?? false;
    const reset = unread ||
      (this.options.linger === 0 && conn?.reset !== undefined) ||
      (this.#hasClosed() && !(this.#shutWrite && peerEnded));
    if (peer === undefined || !("port" in peer) || peer.port === 0 || reset) {
      release(claim);
    } else {
      const { host } = backend();
      linger(
        claim,
        peer.port,
        this.#shutWrite || !peerEnded,
        (path) => host.readTextFile(path),
      );
    }
  }

  /**
   * Closes `conn` once the writes queued before `close()` are written, as
   * the kernel does for a closed socket; gives up when the peer stops
   * reading for CLOSE_STALL_MS. A positive SO_LINGER changes nothing here:
   * Linux's close() waits that long, then the kernel sends the rest in the
   * background as without it (only `{1, 0}` resets).
   */
  #linger(conn: RawConn, writer: StreamWriter): void {
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      stop();
      closeQuietly(conn);
    };
    const stop = watchStall(writer, null, finish);
    writer.drain().then(finish);
  }

  drain(ms: WaitMs = null): Promise<void> {
    const writer = this.#writer;
    if (writer === null || writer.queued === 0) return Promise.resolve();
    // As long as the writes take (up to `ms`), while they make progress.
    return new Promise<void>((resolve) => {
      const stop = watchStall(writer, ms, resolve);
      writer.drain().then(() => {
        stop();
        resolve();
      });
    });
  }

  /**
   * Settles once nothing the socket started is still running, but for the
   * writes a close hands on (they finish in the background, bounded).
   */
  async settled(): Promise<void> {
    while (this.#connecting !== null) await this.#connecting;
    while (this.#upgrading !== null) await this.#upgrading;
    await this.#acceptor?.settled();
    for (const retired of this.#retired) await retired.settled();
    await this.#reader?.settled();
  }
}

/**
 * Calls `onEnd` once `writer` has written nothing for CLOSE_STALL_MS (the
 * peer stopped reading), or `limitMs` has passed; returns the function that
 * stops watching.
 */
function watchStall(
  writer: StreamWriter,
  limitMs: number | null,
  onEnd: () => void,
): () => void {
  const started = performance.now();
  let seen = writer.written;
  let moved = started;
  const timer = setInterval(() => {
    const now = performance.now();
    if (writer.written !== seen) {
      seen = writer.written;
      moved = now;
    }
    if (
      now - moved > CLOSE_STALL_MS ||
      (limitMs !== null && now - started >= limitMs)
    ) {
      clearInterval(timer);
      onEnd();
    }
  }, Math.min(Math.max(limitMs ?? 1000, 1), 1000));
  return () => clearInterval(timer);
}

/**
 * Closes a connection, listener or bound socket the runtime may have closed
 * already.
 */
function closeQuietly(resource: { close(): void }): void {
  try {
    resource.close();
  } catch {
    // Already closed by the runtime (the peer went): nothing to release.
  }
}
