// Copyright the pysocket authors. MIT license.
// SOCK_STREAM reading over a runtime connection: `recv` and `recv_into` in
// order, with timeouts that lose nothing.

import { AF_INET6, AF_UNIX } from "../socket/constants.ts";
import { errnoError, gaiError } from "../socket/errors.ts";
import {
  type Endpoint,
  inFamily,
  isIPLiteral,
  type NetEndpoint,
} from "../socket/address.ts";
import { resolveHost } from "../socket/_resolver.ts";
import { mapError, nativeErrno } from "./boundary.ts";
import { Inbox, type WaitMs, WaitQueue, withWait } from "./pending.ts";
import {
  backend,
  type RawAddr,
  type RawBound,
  type RawConn,
  type RawListener,
} from "../_backend/mod.ts";
import type { From, Transport } from "./transport.ts";
import { noOption } from "./options.ts";
import { copyOut, keep, lease } from "./pool.ts";

const EMPTY = new Uint8Array(0);

const noop = () => {};
const ebadf = () => errnoError("EBADF");

/** The largest single read; `recv(n)` may return fewer bytes, as in C. */
const MAX_READ = 256 * 1024;

/** One `recv`-family call: `into` is `recv_into`'s buffer, else `null`. */
interface ReadRequest {
  n: number;
  into: Uint8Array | null;
  peek: boolean;
  /** Nothing can make it give up: it may be read into directly. */
  direct?: boolean;
}

/** What a request yields: bytes for `recv`, a count for `recv_into`. */
type ReadResult = Uint8Array | number;

/**
 * The reading side of one connection. One runtime read is in flight at a
 * time; callers are served in order from what it brings. Bytes that arrive
 * for a caller that has timed out are kept for the next caller.
 */
export class StreamReader {
  #conn: RawConn;
  #scratch: Uint8Array = EMPTY;
  /** Where the fast-path read in flight goes: the caller's buffer … */
  #into: Uint8Array | null = null;
  /** … or the slab room a small recv() result will live in. */
  #leased: Uint8Array | null = null;
  #chunks: Uint8Array[] = [];
  #buffered = 0;
  #eof = false;
  #error: Error | null = null;
  #reading: Promise<unknown> | null = null;
  #closed = false;
  #waiters = new WaitQueue<ReadResult, ReadRequest>();

  /** @param conn The connection to read. */
  constructor(conn: RawConn) {
    this.#conn = conn;
  }

  /**
   * Up to `n` bytes (an empty array at end of stream).
   *
   * @param n The most bytes to return.
   * @param ms How long to wait ({@linkcode WaitMs}).
   * @param peek Leave the bytes for the next call (`MSG_PEEK`).
   */
  recv(n: number, ms: WaitMs, peek = false): Promise<Uint8Array> {
    if (n > 0 && this.#canReadNow(ms, peek)) {
      return this.#readNow(n, null) as Promise<Uint8Array>;
    }
    return this.#request({ n, into: null, peek }, ms) as Promise<Uint8Array>;
  }

  /**
   * Reads up to `into.length` bytes into `into`; resolves to the count.
   *
   * @param into Where the bytes go.
   * @param ms How long to wait ({@linkcode WaitMs}).
   * @param peek Leave the bytes for the next call (`MSG_PEEK`).
   */
  recvInto(into: Uint8Array, ms: WaitMs, peek = false): Promise<number> {
    if (into.length > 0 && this.#canReadNow(ms, peek)) {
      return this.#readNow(into.length, into) as Promise<number>;
    }
    return this.#request({ n: into.length, into, peek }, ms) as Promise<
      number
    >;
  }

  /** Nobody waits, nothing is buffered or pending, nothing can give up. */
  #canReadNow(ms: WaitMs, peek: boolean): boolean {
    return ms === null && !peek && this.#reading === null &&
      this.#waiters.length === 0 && this.#buffered === 0 && !this.#eof &&
      this.#error === null;
  }

  /**
   * The fast path: one runtime read, straight into the caller's buffer
   * (`recv_into`) or, for a small `recv()`, into the shared slab its result
   * will live in; no copy, no allocation but the promise, and handlers made
   * once per connection, not per call.
   */
  #readNow(n: number, into: Uint8Array | null): Promise<ReadResult> {
    const size = n < MAX_READ ? n : MAX_READ;
    let target: Uint8Array;
    if (into !== null) {
      this.#into = into;
      target = size === into.length ? into : into.subarray(0, size);
    } else {
      this.#leased = lease(size);
      target = this.#leased ?? this.#scratchFor(size).subarray(0, size);
    }
    const read = this.#conn.read(target);
    this.#reading = read;
    return read.then(this.#readDone, this.#readFailed);
  }

  #readDone = (k: number | null): ReadResult => {
    this.#reading = null;
    const into = this.#into;
    const leased = this.#leased;
    this.#into = this.#leased = null;
    // End of stream, or shutdown(SHUT_RD) while the read was in flight.
    const none = this.#closed || k === null || this.#eof;
    let result: ReadResult = into !== null ? 0 : EMPTY;
    if (leased !== null) {
      const kept = keep(leased, none ? 0 : k!);
      if (!none) result = kept;
    } else if (!none) result = into !== null ? k! : copyOut(this.#scratch, k!);
    if (this.#closed) throw this.#closedNow();
    if (none) this.#eof = true;
    if (this.#waiters.length > 0) this.#pump();
    return result;
  };

  #readFailed = (err: unknown): never => {
    this.#reading = null;
    if (this.#leased !== null) keep(this.#leased, 0);
    this.#into = this.#leased = null;
    if (this.#closed) throw this.#closedNow();
    // Reported to this caller; the stream has ended after it.
    this.#eof = true;
    this.#pump();
    throw mapError(err);
  };

  /** Settles once no runtime read is in flight. */
  async settled(): Promise<void> {
    while (this.#reading !== null) await this.#reading.catch(() => {});
  }

  /**
   * `shutdown(SHUT_RD)`: the reading side sees end of stream from now on;
   * what is buffered or still arrives is dropped.
   */
  shutRead(): void {
    this.#eof = true;
    this.#chunks = [];
    this.#buffered = 0;
    this.#serveWaiters();
  }

  /**
   * The socket is closing (the caller closes the connection): pending calls
   * fail with `EBADF` once the read in flight has settled.
   */
  close(): void {
    this.#closed = true;
    this.#chunks = [];
    this.#buffered = 0;
    if (this.#reading === null) this.#waiters.rejectAll(ebadf);
  }

  #request(req: ReadRequest, ms: WaitMs): Promise<ReadResult> {
    req.direct = ms === null && req.into !== null && !req.peek;
    if (req.n === 0) return Promise.resolve(req.into ? 0 : EMPTY);
    if (this.#waiters.length === 0) {
      if (this.#buffered > 0 || this.#eof || this.#error !== null) {
        try {
          return Promise.resolve(this.#serve(req));
        } catch (err) {
          return Promise.reject(err);
        }
      }
    }
    const result = this.#waiters.add(req, ms);
    this.#pump();
    return result;
  }

  /** The socket was closed under a read: everyone waiting gets EBADF. */
  #closedNow(): Error {
    this.#waiters.rejectAll(ebadf);
    return errnoError("EBADF");
  }

  #scratchFor(n: number): Uint8Array {
    const size = Math.min(n, MAX_READ);
    if (this.#scratch.length < size) {
      // At least 128 bytes: V8 keeps smaller typed arrays on its heap, and
      // handing one to a runtime read would move it off the heap first.
      this.#scratch = new Uint8Array(Math.max(size, 128));
    }
    return this.#scratch;
  }

  /** Serves a request from the buffer, the end of stream or the error. */
  #serve(req: ReadRequest): ReadResult {
    if (this.#buffered === 0) {
      if (this.#error !== null) {
        // Reported once, as the OS does; the stream has ended after it.
        const err = this.#error;
        this.#error = null;
        this.#eof = true;
        throw err;
      }
      return req.into ? 0 : EMPTY;
    }
    const n = Math.min(req.n, this.#buffered);
    const first = this.#chunks[0];
    // A whole first chunk is handed over without a copy.
    if (req.into === null && !req.peek && first.length === n) {
      this.#chunks.shift();
      this.#buffered -= n;
      return first;
    }
    const out = req.into ?? new Uint8Array(n);
    let filled = 0;
    let i = 0;
    while (filled < n) {
      const chunk = this.#chunks[i];
      const k = Math.min(chunk.length, n - filled);
      out.set(chunk.subarray(0, k), filled);
      filled += k;
      if (req.peek) i++;
      else if (k === chunk.length) this.#chunks.shift();
      else this.#chunks[0] = chunk.subarray(k);
    }
    if (!req.peek) this.#buffered -= n;
    return req.into ? n : out;
  }

  #serveWaiters(): void {
    while (
      this.#waiters.length > 0 &&
      (this.#buffered > 0 || this.#eof || this.#error !== null)
    ) {
      const req = this.#waiters.head()!;
      try {
        this.#waiters.resolveHead(this.#serve(req));
      } catch (err) {
        this.#waiters.rejectHead(err);
      }
    }
  }

  /**
   * Serves waiters; starts a read if some are left and none is in flight.
   * A `recv_into` without a timeout is read into straight away (no copy);
   * anything else is read into the scratch buffer, so that bytes for a
   * caller who gave up stay here for the next.
   */
  #pump(): void {
    this.#serveWaiters();
    if (this.#waiters.length === 0 || this.#reading !== null) return;
    const head = this.#waiters.head()!;
    // A peek reads all it can, so that what it saw is all there next time.
    const size = head.peek ? MAX_READ : Math.min(head.n, MAX_READ);
    const target = head.direct ? head.into! : this.#scratchFor(size);
    const read = this.#conn.read(target.subarray(0, size));
    this.#reading = read;
    read.then(
      (k) => {
        this.#reading = null;
        if (this.#closed) {
          this.#waiters.rejectAll(ebadf);
          return;
        }
        if (k === null) this.#eof = true;
        else if (head.direct) {
          if (this.#waiters.head() === head) this.#waiters.resolveHead(k);
        } else if (!this.#eof) {
          this.#chunks.push(copyOut(target, k));
          this.#buffered += k;
        }
        this.#pump();
      },
      (err) => {
        this.#reading = null;
        if (this.#closed) {
          this.#waiters.rejectAll(() => errnoError("EBADF", { cause: err }));
          return;
        }
        this.#error = mapError(err);
        this.#pump();
      },
    );
  }
}

/**
 * The next connection that is still alive: one reset while it waited in
 * the queue makes the runtime's accept fail (`ENOTCONN`, `ECONNABORTED`),
 * where Linux would hand it over; a server must not die of it, so it is
 * skipped.
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
 * SOCK_STREAM over the runtime's TCP listener and connections.
 *
 * The runtime binds and listens in one call, so `bind()` does both: its
 * errors come from `bind()` as in Python, and connections that arrive
 * before `listen()` wait in the kernel's queue.
 */
export class StreamTransport implements Transport {
  #family: number;
  #bound: RawBound | null = null;
  #listener: RawListener | null = null;
  #acceptor: Inbox<RawConn> | null = null;
  #conn: RawConn | null = null;
  #reader: StreamReader | null = null;
  #connecting: Promise<void> | null = null;
  #connectError: Error | null = null;
  /** The last write queued, while any is. */
  #writes: Promise<unknown> | null = null;
  #queued = 0;
  #shutWrite = false;
  #closed = false;
  // Options, as in force (or to be in force once there is a connection or
  // a listener: the runtime creates the OS socket only then).
  #nodelay = false;
  #keepalive = false;
  #reuseaddr = false;
  #reuseport = false;

  /** @param family AF_INET or AF_INET6. */
  constructor(family: number) {
    this.#family = family;
  }

  get listening(): boolean {
    return this.#acceptor !== null;
  }

  bind(ep: Endpoint): void {
    if (
      this.#bound !== null || this.#listener !== null || this.#conn !== null
    ) {
      throw errnoError("EINVAL");
    }
    let bound = this.#bind(ep);
    if (!inFamily(this.#family, bound.addr)) {
      // The runtime took the name's first address, of the other family.
      // Binding is synchronous, so there is no lookup to redo here, but
      // "localhost" has a known address in each family.
      bound.close();
      if (!("hostname" in ep) || ep.hostname !== "localhost") {
        throw gaiError("EAI_ADDRFAMILY");
      }
      const loopback = this.#family === AF_INET6 ? "::1" : "127.0.0.1";
      bound = this.#bind({ hostname: loopback, port: ep.port });
    }
    this.#bound = bound;
    // The runtime sets SO_REUSEADDR on every listener it makes.
    this.#reuseaddr = true;
  }

  #bind(ep: Endpoint): RawBound {
    return backend().net.bind(ep, { reusePort: this.#reuseport });
  }

  listen(backlog: number): void {
    if (this.#conn !== null || this.#connecting !== null) {
      throw errnoError("EINVAL");
    }
    if (this.#acceptor !== null) return;
    if (this.#bound === null) {
      // Python binds an unbound socket to an ephemeral port on listen().
      if (this.#family === AF_UNIX) {
        // Linux autobinds to an abstract name; the runtime cannot.
        throw errnoError("EINVAL", {
          detail: "listen() on an unbound AF_UNIX socket: bind() a path first",
        });
      }
      this.bind({
        hostname: this.#family === AF_INET6 ? "::" : "0.0.0.0",
        port: 0,
      });
    }
    // Linux caps the backlog at SOMAXCONN (4096) and takes a negative one
    // as 0.
    const listener = this.#bound!.listen(Math.min(Math.max(backlog, 0), 4096));
    this.#bound = null;
    this.#listener = listener;
    this.#acceptor = new Inbox(() => acceptLive(listener), (c) => c.close());
  }

  accept(ms: WaitMs): Promise<[Transport, RawAddr]> {
    if (this.#acceptor === null) return Promise.reject(errnoError("EINVAL"));
    return this.#acceptor.take(ms).then(this.#adoptAccepted);
  }

  /** An accepted socket inherits the listener's options, as on Linux. */
  #adoptAccepted = (conn: RawConn): [Transport, RawAddr] => {
    const accepted = new StreamTransport(this.#family);
    accepted.#nodelay = this.#nodelay;
    accepted.#keepalive = this.#keepalive;
    accepted.#reuseaddr = true;
    accepted.#adopt(conn);
    return [accepted, conn.remoteAddr];
  };

  connect(ep: Endpoint, ms: WaitMs): Promise<void> {
    let err: Error | null = null;
    if (this.#conn !== null || this.#acceptor !== null) {
      err = errnoError("EISCONN");
    } else if (this.#connecting !== null) err = errnoError("EALREADY");
    else if (this.#connectError !== null) err = this.#takeConnectError();
    else if (this.#bound !== null) {
      err = errnoError("EOPNOTSUPP", {
        detail:
          "connect() after bind(): the runtime cannot choose a connection's local address",
      });
    }
    if (err !== null) return Promise.reject(err);
    // The connection goes on when the caller stops waiting, as in the OS:
    // it connects the socket when it completes, or leaves its error for the
    // next connect().
    const opening = this.#open(ep);
    const connecting = this.#connecting = opening.then(
      this.#connectOk,
      this.#connectFailed,
    );
    if (ms === 0) return Promise.reject(errnoError("EINPROGRESS"));
    if (ms !== null) return withWait(connecting, ms).then(this.#connectDone);
    // Waiting as long as needed: the caller's promise follows the runtime's
    // directly (the state is kept by `connecting`, which runs first).
    return opening.then(noop, this.#connectRaise);
  }

  #connectRaise = (): never => {
    throw this.#takeConnectError();
  };

  #connectOk = (conn: RawConn): void => {
    this.#connecting = null;
    if (this.#closed) conn.close();
    else this.#adopt(conn);
  };

  #connectFailed = (err: unknown): void => {
    this.#connecting = null;
    this.#connectError = mapError(err, this.#closed);
  };

  #connectDone = (): void => {
    if (this.#connectError !== null) throw this.#takeConnectError();
  };

  #open(ep: Endpoint): Promise<RawConn> {
    if ("path" in ep || isIPLiteral(ep.hostname)) {
      return backend().net.connect(ep, {});
    }
    return this.#openName(ep);
  }

  /**
   * A name goes to the runtime as is, so that --allow-net=name:port is the
   * permission it needs. The runtime takes the resolver's first address
   * whatever its family: if that is the other family, connect to the first
   * address of the socket's own family instead.
   */
  async #openName(ep: NetEndpoint): Promise<RawConn> {
    const net = backend().net;
    const conn = await net.connect(ep, {});
    if (inFamily(this.#family, conn.remoteAddr)) return conn;
    conn.close();
    const [address] = await resolveHost(ep.hostname, this.#family);
    return net.connect({ hostname: address, port: ep.port }, {});
  }

  #takeConnectError(): Error {
    const err = this.#connectError!;
    this.#connectError = null;
    return err;
  }

  #adopt(conn: RawConn): void {
    this.#conn = conn;
    if (this.#nodelay) conn.setNoDelay(true);
    if (this.#keepalive) conn.setKeepAlive(true);
  }

  setOption(name: string, value: number): void {
    if (this.#family === AF_UNIX && name === "TCP_NODELAY") {
      throw errnoError("EOPNOTSUPP");
    }
    switch (name) {
      case "TCP_NODELAY":
        this.#nodelay = value !== 0;
        this.#conn?.setNoDelay(this.#nodelay);
        return;
      case "SO_KEEPALIVE":
        this.#keepalive = value !== 0;
        this.#conn?.setKeepAlive(this.#keepalive);
        return;
      case "SO_REUSEADDR":
        // On: in force from bind() (the runtime sets it on every listener).
        // Off: only where it already is off, on a connecting socket.
        if (value !== 0) this.#reuseaddr = true;
        else if (this.#listener !== null || this.#reuseaddr) {
          throw noOption(name);
        }
        return;
      case "SO_REUSEPORT": {
        const support = backend().caps.reusePort.tcp;
        if (support !== true && value !== 0) {
          throw errnoError(
            "ENOPROTOOPT",
            { detail: typeof support === "string" ? support : `'${name}'` },
          );
        }
        // Only bind() can pass it to the runtime.
        const bound = this.#bound !== null || this.#listener !== null;
        if (bound && (value !== 0) !== this.#reuseport) throw noOption(name);
        this.#reuseport = value !== 0;
        return;
      }
      case "IPV6_V6ONLY":
        // The runtime never sets it: off is what is in force.
        if (this.#family === AF_INET6 && value === 0) return;
        throw noOption(name);
    }
    throw noOption(name);
  }

  getOption(name: string): number {
    switch (name) {
      case "TCP_NODELAY":
        return Number(this.#nodelay);
      case "SO_KEEPALIVE":
        return Number(this.#keepalive);
      case "SO_REUSEADDR":
        return Number(this.#reuseaddr);
      case "SO_REUSEPORT":
        return Number(this.#reuseport);
      case "SO_ACCEPTCONN":
        return Number(this.listening);
      case "SO_BROADCAST":
        return 0;
      case "SO_ERROR": {
        const err = this.#connectError;
        this.#connectError = null;
        return (err as { errno?: number } | null)?.errno ?? 0;
      }
      case "IPV6_V6ONLY":
        if (this.#family === AF_INET6) return 0;
    }
    throw noOption(name);
  }

  /** The connection for I/O; waits for a connect in progress. */
  async #connected(ms: WaitMs, notConnected: "ENOTCONN" | "EPIPE") {
    if (this.#connecting !== null) await withWait(this.#connecting, ms);
    if (this.#conn === null) {
      if (this.#connectError !== null) throw this.#takeConnectError();
      throw errnoError(notConnected);
    }
    return this.#conn;
  }

  /** Runs a write after those already queued: writes never interleave. */
  #write<T>(run: (conn: RawConn) => Promise<T>, ms: WaitMs): Promise<T> {
    const conn = this.#conn;
    if (conn === null || this.#shutWrite) {
      return this.#connected(ms, "EPIPE").then(() => {
        if (this.#shutWrite) throw errnoError("EPIPE");
        return this.#write(run, ms);
      });
    }
    const prev = this.#writes;
    let op: Promise<T>;
    if (prev === null) op = run(conn);
    else {
      const go = () => run(conn);
      op = prev.then(go, go);
    }
    this.#writes = op;
    this.#queued++;
    return ms === null ? op : withWait(op, ms);
  }

  /** A write has settled: the queue is empty once the last one has. */
  #written(): void {
    if (--this.#queued === 0) this.#writes = null;
  }

  /** A runtime write error → Python's (EBADF once we closed). */
  #fail = (err: unknown): never => {
    this.#written();
    throw mapError(err, this.#closed);
  };

  #sent = (n: number): number => {
    this.#written();
    return n;
  };

  send(data: Uint8Array, ms: WaitMs): Promise<number> {
    if (data.length === 0 && this.#conn !== null) return Promise.resolve(0);
    return this.#write(
      (conn) => conn.write(data).then(this.#sent, this.#fail),
      ms,
    );
  }

  sendall(data: Uint8Array, ms: WaitMs): Promise<void> {
    return this.#write((conn) => this.#sendRest(conn, data), ms);
  }

  #sendRest(conn: RawConn, data: Uint8Array): Promise<void> {
    return conn.write(data).then((n): Promise<void> | undefined => {
      if (n < data.length) return this.#sendRest(conn, data.subarray(n));
      this.#written();
      return undefined;
    }, this.#fail);
  }

  sendto(data: Uint8Array, _ep: Endpoint, ms: WaitMs): Promise<number> {
    // Linux ignores the address on a connected TCP socket (and fails with
    // EPIPE on an unconnected one, as send() does).
    return this.send(data, ms);
  }

  recv(n: number, ms: WaitMs, peek: boolean): Promise<Uint8Array> {
    if (this.#conn !== null) return this.#readerOf().recv(n, ms, peek);
    return this.#connected(ms, "ENOTCONN").then(() =>
      this.#readerOf().recv(n, ms, peek)
    );
  }

  recvInto(into: Uint8Array, ms: WaitMs, peek: boolean): Promise<number> {
    if (this.#conn !== null) return this.#readerOf().recvInto(into, ms, peek);
    return this.#connected(ms, "ENOTCONN").then(() =>
      this.#readerOf().recvInto(into, ms, peek)
    );
  }

  /** The reading side, made on first use (a connection may never read). */
  #readerOf(): StreamReader {
    return this.#reader ??= new StreamReader(this.#conn!);
  }

  async recvfrom(
    n: number,
    ms: WaitMs,
    peek: boolean,
  ): Promise<From<Uint8Array>> {
    return [await this.recv(n, ms, peek), null];
  }

  async recvfromInto(
    into: Uint8Array,
    ms: WaitMs,
    peek: boolean,
  ): Promise<From<number>> {
    return [await this.recvInto(into, ms, peek), null];
  }

  async shutdown(how: number): Promise<void> {
    if (this.#acceptor !== null && how !== 1) {
      // Linux: shutting a listener down stops it; accept() now fails with
      // EINVAL, which wakes an accept() that was waiting.
      this.#acceptor.close(() => errnoError("EINVAL"));
      this.#listener!.close();
      return;
    }
    const conn = await this.#connected(null, "ENOTCONN");
    if (how !== 1) this.#readerOf().shutRead();
    if (how !== 0 && !this.#shutWrite) {
      this.#shutWrite = true;
      // Queued writes go first; then the peer reads end of stream.
      await this.drain();
      await conn.closeWrite();
    }
  }

  localAddr(): RawAddr | null {
    return this.#bound?.addr ?? this.#listener?.addr ?? this.#conn?.localAddr ??
      null;
  }

  remoteAddr(): RawAddr | null {
    return this.#conn?.remoteAddr ?? null;
  }

  close(): void {
    this.#closed = true;
    this.#acceptor?.close();
    this.#reader?.close();
    for (const resource of [this.#conn, this.#listener, this.#bound]) {
      try {
        resource?.close();
      } catch {
        // Already closed by the runtime (the peer went): nothing to release.
      }
    }
  }

  async drain(): Promise<void> {
    while (this.#writes !== null) await this.#writes.then(noop, noop);
  }

  async settled(): Promise<void> {
    await this.drain();
    while (this.#connecting !== null) await this.#connecting;
    await this.#acceptor?.settled();
    await this.#reader?.settled();
  }
}
