// Copyright the pysocket authors. MIT license.
// Stream sockets on Bun, over its own `Bun.listen` and `Bun.connect`.
//
// Bun's `node:net` cannot meet the contract: it has no bound-but-not-
// listening handle, its `listen()` reports `EADDRINUSE` later as an event,
// and an accepted socket cannot be made to read only when asked without
// hanging. `Bun.listen` throws its errno at once and `Bun.connect`'s
// sockets pause and resume: a paused socket is not read, so the kernel's
// receive queue is the backpressure. Bun hands each read to us as a fresh
// buffer; what a caller's `p` cannot take waits for the next read. The
// socket goes on reading while nobody asks until READ_AHEAD bytes wait
// (pull_read.ts), then pauses.
//
// A socket or listener keeps the process alive only while a read or an
// accept is asked, or a write waits for room: reading ahead for nobody,
// and connections waiting to be accepted, do not, as open sockets nobody
// is blocked on do not keep a Python program running.
//
// A TCP connect that may be abandoned (timed or non-blocking) goes through
// Bun's `node:net`, whose socket can be destroyed while it connects
// (`Bun.connect`'s promise cannot be abandoned: its SYNs would go on after
// close()); once open, the Bun socket under it is handed to our handlers
// (`reload`). A blocking one goes through `Bun.connect`, about half the
// cost per connection.

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
import { errnoError } from "./uv_error.ts";
import { holderAt, pathFault } from "./unix_path.ts";
import { PullRead } from "./pull_read.ts";
import { acceptedLocal, knownPeer } from "./known_addr.ts";
import { admitsListener, bindFree } from "../bound_ports.ts";
import { descriptorShortage } from "./host.ts";
import { isBroadcast } from "./dgram.ts";

/** A chunk read's most: all of a chunk (`wholeChunks`; a small integer). */
const WHOLE = 0x3fff_ffff;

/** A Bun socket (`Bun.Socket`), as far as it is used here. */
interface BunSocket {
  data: unknown;
  write(p: Uint8Array): number;
  pause(): void;
  resume(): void;
  ref(): void;
  unref(): void;
  shutdown(): void;
  close(): void;
  terminate(): void;
  setNoDelay(on: boolean): boolean;
  setKeepAlive(on: boolean, initialDelayMs?: number): boolean;
  readonly fd: number;
  readonly localAddress?: string;
  readonly localPort?: number;
  readonly remoteAddress?: string;
  readonly remotePort?: number;
  /** Replaces the socket's handlers. */
  reload(options: { socket: Handlers }): void;
}

/** A Bun listener (`Bun.TCPSocketListener`). */
interface BunListener {
  readonly port?: number;
  readonly fd: number;
  getsockname(out: Record<string, unknown>): void;
  stop(closeActive?: boolean): void;
  ref(): void;
  unref(): void;
}

/** Bun's socket handlers: `this` is not used, the socket's `data` is. */
interface Handlers {
  /** What `data` gets: a plain `Uint8Array`, not a `Buffer`. */
  binaryType: "uint8array";
  open(s: BunSocket): void;
  data(s: BunSocket, buf: Uint8Array): void;
  drain(s: BunSocket): void;
  end(s: BunSocket): void;
  close(s: BunSocket, err?: Error): void;
  error(s: BunSocket, err: Error): void;
  connectError?(s: BunSocket, err: Error): void;
}

/** `Bun.listen` and `Bun.connect`. */
interface BunNetApi {
  listen(options: Record<string, unknown>): BunListener;
  connect(options: Record<string, unknown>): Promise<BunSocket>;
}

function bun(): BunNetApi {
  // deno-lint-ignore no-explicit-any
  return (globalThis as any).Bun;
}

type NodeNet = typeof import("node:net");

/**
 * Bun's error for a socket it could not make, or a Unix path it could not
 * use, with the errno it leaves out: `Bun.listen` throws "Failed to listen
 * at …" with no `code`, and `Bun.connect` rejects with `ECONNREFUSED`. The
 * errno is found again by doing what failed inside the call: opening a
 * descriptor (`EMFILE`, `ENFILE`), and looking up a Unix path
 * ({@linkcode pathFault}), and, for a refused connect, who holds the path
 * ({@linkcode holderAt}): a listener (its accept queue is full, Linux's
 * `EAGAIN`) or a socket of another type (Linux's `EPROTOTYPE`). Where all
 * that finds nothing, the error is Bun's as it is (a connect to a path that
 * is not a listening socket is refused).
 *
 * @param err What Bun threw.
 * @param syscall The call that failed.
 * @param path The Unix path it was given, if any.
 */
function unmade(
  err: unknown,
  syscall: "bind" | "connect",
  path?: string,
): unknown {
  const code = (err as { code?: unknown } | null)?.code;
  if (code !== undefined && code !== "ECONNREFUSED") return err;
  let found: string | undefined = descriptorShortage();
  if (found === undefined && path !== undefined) {
    found = pathFault(path, syscall);
    if (found === undefined && syscall === "connect") {
      // Refused by a listener there: its accept queue is full; or a
      // datagram socket is bound there (a stream connect to it is Linux's
      // EPROTOTYPE).
      const holder = holderAt(path);
      if (holder === "listener") found = "EAGAIN";
      else if (holder === "other type") found = "EPROTOTYPE";
    }
  }
  return found === undefined ? err : errnoError(found, syscall);
}

/** An address read from the socket once it is open (`BunConn.opened`). */
const UNKNOWN: RawAddr = Object.freeze({ hostname: "", port: 0 });

function fdOf(fd: number | undefined): number | undefined {
  return typeof fd === "number" && fd >= 0 ? fd : undefined;
}

/** A Bun socket that reads only when asked. */
class BunConn implements RawConn {
  /** See `RawConn.arrival`. */
  arrival?: unknown;
  #s: BunSocket | null = null;
  #local: RawAddr;
  #remote: RawAddr;
  /** A Unix socket (its sends meet `EPIPE` whatever its reads meet). */
  #unix: boolean;
  #read = new PullRead();
  #closed = false;
  /** Bun is not reading the socket (nobody asked). */
  #paused = false;
  /** The socket is gone (closed by us, the peer, or an error). */
  #gone = false;
  /** A write the kernel had no room for: retried on `drain`. */
  #pending: Uint8Array | null = null;
  /** The socket is ref'd: a read is asked, or a write waits for room. */
  #held = false;
  #writeResolve: ((n: number) => void) | null = null;
  #writeReject: ((err: unknown) => void) | null = null;

  /**
   * @param local The local address, or {@linkcode UNKNOWN}: read once open.
   * @param remote The peer's address, or {@linkcode UNKNOWN}: the same.
   */
  constructor(local: RawAddr, remote: RawAddr) {
    this.#local = local;
    this.#remote = remote;
    this.#unix = "path" in remote;
  }

  /**
   * The socket is open: stop it reading until asked, and read the
   * addresses not known already (each of Bun's getters is a system call).
   */
  opened(s: BunSocket): void {
    this.#s = s;
    this.#paused = true;
    s.pause();
    s.unref();
    if (this.#local === UNKNOWN) {
      this.#local = { hostname: s.localAddress ?? "", port: s.localPort ?? 0 };
    }
    if (this.#remote === UNKNOWN) {
      // ("", 0) where Bun cannot tell it (reset before accepted): no peer.
      this.#remote = {
        hostname: s.remoteAddress ?? "",
        port: s.remotePort ?? 0,
      };
    }
  }

  get localAddr(): RawAddr {
    return this.#local;
  }

  get remoteAddr(): RawAddr {
    return this.#remote;
  }

  get fd(): number | undefined {
    return this.#gone ? undefined : fdOf(this.#s?.fd);
  }

  read(p: Uint8Array): Promise<number | null> {
    return new Promise((resolve, reject) => this.readInto(p, resolve, reject));
  }

  readNow(p: Uint8Array): number | undefined {
    return this.#read.take(p);
  }

  readonly wholeChunks = true;

  // Bun's chunks are allocations of their own, handed over whole: a small
  // part of one would keep all of it alive (`wholeChunks`; `max` a hint).
  takeChunk(_max: number): Uint8Array | undefined {
    return this.#read.takeChunk(WHOLE);
  }

  readChunk(
    _max: number,
    done: (chunk: Uint8Array | null) => void,
    failed: (err: unknown) => void,
    ahead = false,
  ): void {
    if (this.#read.beginChunk(WHOLE, done, failed, this.#gone)) {
      this.waiting(!ahead);
      this.#resume();
    }
  }

  readInto(
    p: Uint8Array,
    done: (n: number | null) => void,
    failed: (err: unknown) => void,
    ahead = false,
  ): void {
    if (this.#read.begin(p, done, failed, this.#gone)) {
      this.waiting(!ahead);
      this.#resume();
    }
  }

  /** Someone waits on the socket: it keeps the process alive. */
  #hold(): void {
    if (!this.#held && !this.#gone) {
      this.#held = true;
      this.#s!.ref();
    }
  }

  /** No read is asked any more: see {@linkcode BunConn.waiting}. */
  #release(): void {
    if (!this.#read.reading) this.waiting(false);
  }

  waiting(on: boolean): void {
    if (on) this.#hold();
    else if (this.#held && this.#pending === null) {
      // Nobody waits on the socket any more (a write waiting for room
      // still holds it): it no longer keeps the process.
      this.#held = false;
      if (!this.#gone) this.#s!.unref();
    }
  }

  /** Bun reads the socket again (a read waits). */
  #resume(): void {
    if (this.#paused) {
      this.#paused = false;
      this.#s!.resume();
    }
  }

  /** Bun read `buf` (ours to keep). */
  onData(s: BunSocket, buf: Uint8Array): void {
    // What the caller had no room for (all of it when nobody reads) is
    // kept; past READ_AHEAD bytes kept, the socket stops reading until
    // asked.
    if (!this.#read.deliver(buf, buf.length, true)) {
      this.#paused = true;
      s.pause();
    }
    if (this.#held) this.#release();
  }

  onEnd(): void {
    this.#read.end();
    if (this.#held) this.#release();
    // A peer that shut down both ways (socat, once its program exits) has
    // ended our writing too, and Bun tells of no drain after the end: the
    // write waiting for one is tried again now, and fails (EPIPE), as
    // Linux's blocked send does. After a mere half-close it waits on.
    this.onDrain();
  }

  onError(err: unknown): void {
    this.#read.fail(err);
    this.#failWrite(() => this.#writeErrorOf(err));
    if (this.#held) this.#release();
  }

  onClose(err?: unknown): void {
    this.#gone = true;
    if (err) this.onError(err);
    this.#read.settle(null);
    this.#failWrite(() => this.#writeErrorOf(this.#read.error));
  }

  /**
   * What a write meets on a connection whose read met `err` (`null`: none
   * known). Bun reads the socket when the peer hangs up, so the kernel's
   * pending error goes to its read. On TCP that is the error a send made
   * then would report (a reset: `ECONNRESET`), told to the writer and not
   * to the reader after it. Linux's Unix send reports `EPIPE` once the
   * peer has gone, and leaves its pending error (`ECONNRESET`, where the
   * peer closed with bytes unread) to the receive after the bytes.
   */
  #writeErrorOf(err: unknown): unknown {
    return err === null || err === undefined || this.#unix
      ? errnoError("EPIPE", "write")
      : err;
  }

  /**
   * Tries the write waiting for room again now. Bun's drain is epoll's
   * `EPOLLOUT`, which Linux reports for TCP only once a third of the send
   * buffer is free, but a send takes bytes as soon as any is: after the
   * peer read part of a full buffer, the kernel has room the drain does not
   * tell of. The writer asks when a send finds its own buffer full (not
   * when a `select` asks: Linux's poll waits for that mark too).
   */
  retryWrite(): void {
    this.onDrain();
  }

  onDrain(): void {
    const p = this.#pending;
    if (p === null) return;
    // (A lent view detached meanwhile reads as empty, which Bun writes as
    // nothing: it is settled with 0, and the writer tells its caller.)
    const n = p.length === 0 ? 0 : this.#s!.write(p);
    if (n === 0 && p.length > 0) return;
    const resolve = this.#writeResolve!;
    const reject = this.#writeReject!;
    this.#pending = this.#writeResolve = this.#writeReject = null;
    if (this.#held) this.#release();
    if (n >= 0) resolve(n);
    else reject(this.#takeWriteError());
  }

  /**
   * A write waiting for Bun's drain fails with `reason()`, made only when
   * one waits (most closes have none).
   */
  #failWrite(reason: () => unknown): void {
    const reject = this.#writeReject;
    if (reject === null) return;
    const err = reason();
    this.#pending = this.#writeResolve = this.#writeReject = null;
    this.#read.forget(err);
    reject(err);
  }

  /**
   * The error a failed write reports (on TCP, taken from the reader: told
   * to the writer, not the reader; see `#writeErrorOf`).
   */
  #takeWriteError(): unknown {
    return this.#writeErrorOf(this.#unix ? null : this.#read.takeError());
  }

  write(p: Uint8Array): Promise<number> {
    const n = this.writeNow(p);
    return typeof n === "number" ? Promise.resolve(n) : n;
  }

  writeNow(p: Uint8Array): number | Promise<number> {
    if (this.#closed) return Promise.reject(errnoError("EBADF", "write"));
    const s = this.#s!;
    const n = this.#gone ? -1 : s.write(p);
    // (Bun's write of nothing returns 0, as for a full buffer: done.)
    if (n > 0 || (n === 0 && p.length === 0)) return n;
    if (n < 0) return Promise.reject(this.#takeWriteError());
    // The kernel's send buffer is full: wait for Bun's drain.
    const { promise, resolve, reject } = Promise.withResolvers<number>();
    this.#pending = p;
    this.#writeResolve = resolve;
    this.#writeReject = reject;
    this.#hold();
    // A paused Bun socket hears nothing of the peer: its end of stream (a
    // peer that shut down both ways) waits for a resume, and with it the
    // failure of this write, as Linux's blocked send meets EPIPE. So Bun
    // reads while the write waits (what it reads is kept, up to READ_AHEAD
    // bytes, as when read ahead for readiness).
    this.#resume();
    return promise;
  }

  tryWrite(p: Uint8Array): number {
    // Bun's write takes what the kernel takes and keeps nothing.
    if (this.#closed || this.#gone || this.#pending !== null) return -1;
    return this.#s!.write(p);
  }

  closeWrite(): Promise<void> {
    if (this.#closed) return Promise.reject(errnoError("EBADF", "shutdown"));
    if (!this.#gone) this.#s!.shutdown();
    return Promise.resolve();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#cancel();
    if (!this.#gone) this.#s!.close();
  }

  reset(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#cancel();
    if (!this.#gone) this.#s!.terminate();
  }

  #cancel(): void {
    this.#read.cancel();
    this.#failWrite(() => errnoError("EBADF", "write"));
  }

  setNoDelay(on: boolean): void {
    if (!this.#gone) this.#s?.setNoDelay(on);
  }

  setKeepAlive(on: boolean, idleSeconds?: number): void {
    if (this.#gone) return;
    if (idleSeconds === undefined) this.#s?.setKeepAlive(on);
    else this.#s?.setKeepAlive(on, idleSeconds * 1000);
  }
}

/**
 * The handlers of every connection: each socket's `data` is its BunConn.
 * Reads come as plain `Uint8Array`s: what `recv()` returns as it is (a
 * `Buffer` would have to be viewed again through its `.buffer`, which JSC
 * makes at that moment for a small array: an allocation and a copy).
 */
const CONN_HANDLERS: Handlers = {
  binaryType: "uint8array",
  open(s) {
    (s.data as BunConn).opened(s);
  },
  data(s, buf) {
    (s.data as BunConn).onData(s, buf);
  },
  drain(s) {
    (s.data as BunConn).onDrain();
  },
  end(s) {
    (s.data as BunConn).onEnd();
  },
  close(s, err) {
    (s.data as BunConn).onClose(err);
  },
  error(s, err) {
    (s.data as BunConn).onError(err);
  },
  // Bun.connect's promise rejects with the same error.
  connectError() {},
};

/** A listener's queue: accepted sockets wait (paused) for `accept()`. */
class AcceptQueue {
  /** The listener's address (set once bound). */
  addr: RawAddr;
  /** Its connections' local address: `addr`, where that is known. */
  local: RawAddr = UNKNOWN;
  #queue: BunConn[] = [];
  #resolve: ((conn: RawConn) => void) | null = null;
  #reject: ((err: unknown) => void) | null = null;
  closed = false;
  /**
   * The listener, once it listens: ref'd only while an `accept()` waits
   * (`null` until then, and for the `listen` call that makes it).
   */
  listener: BunListener | null = null;
  /** See `RawListener.arrived`. */
  arrived?: () => unknown;

  constructor(addr: RawAddr) {
    this.addr = addr;
  }

  /** A connection was accepted. */
  push(conn: BunConn): void {
    if (this.closed) {
      conn.close();
      return;
    }
    conn.arrival = this.arrived?.();
    const resolve = this.#resolve;
    if (resolve !== null) {
      this.#resolve = this.#reject = null;
      this.listener?.unref();
      resolve(conn);
    } else this.#queue.push(conn);
  }

  take(): Promise<RawConn> {
    const conn = shiftFirst(this.#queue);
    if (conn !== undefined) return Promise.resolve(conn);
    if (this.closed) return Promise.reject(errnoError("EBADF", "accept"));
    const { promise, resolve, reject } = Promise.withResolvers<RawConn>();
    this.#resolve = resolve;
    this.#reject = reject;
    // An accept() waits: the process stays until it is answered.
    this.listener?.ref();
    return promise;
  }

  /** See `RawListener.waiting`: only while an accept() is in flight. */
  waiting(on: boolean): void {
    if (this.#resolve === null) return;
    if (on) this.listener?.ref();
    else this.listener?.unref();
  }

  close(): void {
    this.closed = true;
    // Linux resets the connections left in a closed listener's queue.
    for (const conn of this.#queue.splice(0)) conn.reset();
    const reject = this.#reject;
    this.#resolve = this.#reject = null;
    reject?.(errnoError("EBADF", "accept"));
  }
}

/** A listener's handlers: an accepted socket's `data` is first the queue. */
const LISTEN_HANDLERS: Handlers = {
  ...CONN_HANDLERS,
  open(s) {
    const queue = s.data as AcceptQueue;
    const unix = "path" in queue.addr;
    const conn = new BunConn(
      unix ? queue.addr : queue.local,
      unix ? { path: null } : UNKNOWN,
    );
    s.data = conn;
    conn.opened(s);
    queue.push(conn);
  },
};

/**
 * A Bun listener: bound and listening from `bind()` (Bun binds only by
 * listening, `Capabilities.bindListens`); connections queue until accepted.
 */
class BunBound implements RawBound, RawListener {
  #listener: BunListener;
  #queue: AcceptQueue;

  constructor(target: Target, options: BindOptions) {
    const common = {
      socket: LISTEN_HANDLERS,
      allowHalfOpen: true,
    };
    if ("path" in target) {
      this.#queue = new AcceptQueue({ path: target.path });
      this.#listener = this.#queue.listener = bun().listen({
        ...common,
        unix: target.path,
        data: this.#queue,
      });
      this.#listener.unref();
      return;
    }
    // (A port of ours Bun hands out again for port 0: another.)
    const [listener, queue] = bindFree(
      target.port,
      () => this.#listenOn(target, options),
      // A port a connection of this process holds (bound_ports.ts): Bun's
      // listener has SO_REUSEADDR on, as the connection has, so Linux's
      // refusal is made here.
      ([, , addr]) => admitsListener(addr, options),
      ([listener]) => listener.stop(true),
    );
    listener.unref();
    queue.listener = listener;
    this.#listener = listener;
    this.#queue = queue;
  }

  /** A Bun listener on `target`, and its queue, its address known. */
  #listenOn(
    target: { hostname: string; port: number },
    options: BindOptions,
  ): [BunListener, AcceptQueue, { hostname: string; port: number }] {
    // The queue's address is known only once bound: set just after.
    const queue = new AcceptQueue({ hostname: "", port: 0 });
    const listener = bun().listen({
      socket: LISTEN_HANDLERS,
      allowHalfOpen: true,
      hostname: target.hostname,
      port: target.port,
      ...(options.reusePort ? { reusePort: true } : {}),
      ...(options.ipv6Only ? { ipv6Only: true } : {}),
      data: queue,
    });
    const name: Record<string, unknown> = {};
    listener.getsockname(name);
    const addr = { hostname: String(name.address), port: Number(name.port) };
    queue.addr = addr;
    queue.local = acceptedLocal(addr) ?? UNKNOWN;
    return [listener, queue, addr];
  }

  get addr(): RawAddr {
    return this.#queue.addr;
  }

  get fd(): number | undefined {
    return this.#queue.closed ? undefined : fdOf(this.#listener.fd);
  }

  listen(_backlog: number): RawListener {
    // Listening since bind(); Bun takes no backlog (Capabilities.backlog).
    return this;
  }

  set arrived(fn: (() => unknown) | undefined) {
    this.#queue.arrived = fn;
  }

  get arrived(): (() => unknown) | undefined {
    return this.#queue.arrived;
  }

  accept(): Promise<RawConn> {
    return this.#queue.take();
  }

  waiting(on: boolean): void {
    this.#queue.waiting(on);
  }

  close(): void {
    if (this.#queue.closed) return;
    // The port is free when stop() returns; accepted connections stay.
    this.#listener.stop(false);
    this.#queue.close();
  }
}

/**
 * Connects `conn` over TCP through Bun's `node:net` (see the top of this
 * file): `options.signal` destroys the socket while it connects, which
 * closes it (no SYN goes out again). Once connected, the Bun socket under
 * it is `conn`'s.
 */
function connectTcp(
  target: { hostname: string; port: number },
  options: ConnectOptions,
  conn: BunConn,
): Promise<void> {
  const { local, signal } = options;
  if (signal?.aborted) return Promise.reject(errnoError("EBADF", "connect"));
  const socket = new (builtin<NodeNet>("node:net").Socket)({
    allowHalfOpen: true,
  });
  socket.pause();
  return new Promise<void>((resolve, reject) => {
    const done = () => {
      socket.off("error", failed);
      socket.off("connect", connected);
      signal?.removeEventListener("abort", abandoned);
    };
    const failed = (err: unknown) => {
      done();
      socket.destroy();
      reject(err);
    };
    const abandoned = () => failed(errnoError("EBADF", "connect"));
    const connected = () => {
      done();
      const s = (socket as unknown as { _handle?: BunSocket | null })._handle;
      if (s === null || s === undefined) {
        reject(errnoError("ECONNRESET", "connect"));
        return;
      }
      // Bytes `node:net` took before the handover (none, as a rule: its
      // connect event comes before the first read) come first.
      const held = socket.readableLength > 0
        ? socket.read() as Uint8Array | null
        : null;
      s.reload({ socket: CONN_HANDLERS });
      s.data = conn;
      // The wrapper hears nothing more; an error it made up is no one's.
      socket.on("error", () => {});
      conn.opened(s);
      if (held !== null) conn.onData(s, new Uint8Array(held));
      resolve();
    };
    socket.once("error", failed);
    socket.once("connect", connected);
    signal?.addEventListener("abort", abandoned, { once: true });
    try {
      socket.connect({
        host: target.hostname,
        port: target.port,
        autoSelectFamily: false,
        ...(local === undefined
          ? {}
          : { localAddress: local.hostname, localPort: local.port }),
      });
    } catch (err) {
      failed(err);
    }
  });
}

/**
 * An IPv4-mapped IPv6 address, in any of its spellings (`::ffff:a.b.c.d`,
 * `::ffff:7f00:1`, `0:0:0:0:0:ffff:…`).
 */
function isMapped(address: string): boolean {
  return MAPPED.test(address);
}

/** An IPv4-mapped IPv6 address; its IPv4 part (dotted, or two hex groups). */
const MAPPED =
  /^(?:(?:0{1,4}:){5}|::(?:0{1,4}:){0,4})ffff:(\d+\.\d+\.\d+\.\d+|[0-9a-f]{1,4}:[0-9a-f]{1,4})$/i;

/**
 * Is `address` one Linux refuses a TCP connect to at its route lookup,
 * sending nothing: IPv4 multicast (224.0.0.0/4) or a broadcast
 * (255.255.255.255, an interface's subnet's: `127.255.255.255` on `lo`),
 * also IPv4-mapped (tcp_v4_connect: `RTCF_MULTICAST | RTCF_BROADCAST`), or
 * IPv6 multicast, ff00::/8 (tcp_v6_connect)?
 */
function noTcpRoute(address: string): boolean {
  // The IPv4 part of a mapped address in hex (`e000:1`) → `224.0.0.1`.
  const v4 = (MAPPED.exec(address)?.[1] ?? address).replace(
    /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i,
    (_, hi: string, lo: string) =>
      [hi, lo].map((g) => {
        const n = parseInt(g, 16);
        return `${n >> 8}.${n & 255}`;
      }).join("."),
  );
  return /^ff[0-9a-f]{2}:/i.test(address) ||
    /^(?:22[4-9]|23\d)\./.test(v4) ||
    (/^\d+\.\d+\.\d+\.\d+$/.test(v4) && isBroadcast(v4));
}

/** `ENETUNREACH` (uv_error.ts has no number for it: Linux's is set here). */
function unreachable(): Error {
  return Object.assign(errnoError("ENETUNREACH", "connect"), { errno: -101 });
}

/**
 * The errno Linux gives a TCP connect Bun reports as `ECONNREFUSED`: to a
 * multicast or broadcast address, `ENETUNREACH` (`noTcpRoute`); an IPv6
 * connect between the families, from a bound IPv4-mapped address to a plain
 * IPv6 one, `EAFNOSUPPORT` (ip6_dst_lookup_tail); from a bound plain IPv6
 * address to an IPv4-mapped one, `ENETUNREACH` (the IPv4 route has no
 * source). `null` for any other connect.
 */
function misrouted(
  target: { hostname: string },
  local?: RawAddr,
): Error | null {
  const to = target.hostname;
  if (noTcpRoute(to)) return unreachable();
  if (local === undefined || !("hostname" in local)) return null;
  const from = local.hostname;
  if (!from.includes(":") || !to.includes(":")) return null;
  if (isMapped(from) && !isMapped(to) && to !== "::") {
    return errnoError("EAFNOSUPPORT", "connect");
  }
  if (!isMapped(from) && from !== "::" && isMapped(to)) return unreachable();
  return null;
}

/** Stream sockets over Bun's own API. */
export const bunNet: NetBackend = {
  bind(target: Target, options: BindOptions): RawBound {
    try {
      return new BunBound(target, options);
    } catch (err) {
      throw unmade(err, "bind", "path" in target ? target.path : undefined);
    }
  },

  connect(target: Target, options: ConnectOptions): Promise<RawConn> {
    const unix = "path" in target;
    const conn = unix
      ? new BunConn({ path: null }, { path: target.path })
      : new BunConn(UNKNOWN, knownPeer(target) ?? UNKNOWN);
    const failed = (err: unknown): never => {
      if (unix) throw unmade(err, "connect", target.path);
      throw misrouted(target, options.local) ?? unmade(err, "connect");
    };
    // One that may be abandoned goes through node:net (see the top of this
    // file); the others through Bun.connect, which is faster. A Unix
    // connect is done or refused at once: none to abandon.
    if (!unix && options.signal !== undefined) {
      return connectTcp(target, options, conn).then(() => conn, failed);
    }
    const where = unix
      ? { unix: target.path }
      : { hostname: target.hostname, port: target.port };
    const local = options.local;
    return bun().connect({
      ...where,
      ...(local === undefined
        ? {}
        : { localAddress: local.hostname, localPort: local.port }),
      socket: CONN_HANDLERS,
      allowHalfOpen: true,
      data: conn,
    }).then(() => conn, failed);
  },
};
