// Copyright the pysocket authors. MIT license.
/**
 * The socket object: Python's `socket.socket`, with `await` where Python
 * blocks.
 *
 * @module
 */

import {
  type AddressLike,
  type AddressLikeOf,
  type AddressOf,
  fromRaw,
  type SenderOf,
  strAddress,
  toEndpoint,
  unboundAddress,
} from "./address.ts";
import {
  AF_INET,
  AF_INET6,
  AF_UNIX,
  IPPROTO_TCP,
  IPPROTO_UDP,
  MSG_DONTWAIT,
  MSG_PEEK,
  SOCK_CLOEXEC,
  SOCK_DGRAM,
  SOCK_NONBLOCK,
  SOCK_RAW,
  SOCK_STREAM,
} from "./constants.ts";
import {
  errnoError,
  gaierror,
  herror,
  OSError,
  TimeoutError,
  ValueError,
} from "./errors.ts";
import { errnoEntry } from "../_py/errno.ts";
import { isDenied, mapError } from "../_io/boundary.ts";
import type { WaitMs } from "../_io/pending.ts";
import {
  bytesLike,
  checkBufsize,
  checkInt,
  checkTimeout,
  writableBuffer,
} from "../_py/pytype.ts";
import { StreamTransport } from "../_io/stream.ts";
import {
  closeDescriptor,
  type Descriptor,
  descriptor,
  openDescriptor,
} from "../_io/fd_table.ts";
import type { Transport } from "../_io/transport.ts";
import { getOption, setOption } from "../_io/options.ts";
import { datagramTransport } from "../_io/datagram.ts";
import { type FileOf, makefile, type MakefileOptions } from "./makefile/mod.ts";
import { readableStream, writableStream } from "./streams.ts";

/**
 * What Python calls a bytes-like object: any `ArrayBufferView` (`Uint8Array`,
 * `DataView`, …) or `ArrayBuffer`.
 *
 * @example Any view or buffer is bytes
 * ```ts
 * import { BytesLike, socketpair } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * const [a, b] = await socketpair();
 * const data: BytesLike[] = [new Uint8Array([1]), new DataView(new ArrayBuffer(1)), new ArrayBuffer(1)];
 * for (const chunk of data) await a.sendall(chunk);
 * assertEquals(await b.recv(3), new Uint8Array([1, 0, 0]));
 * a.close();
 * b.close();
 * ```
 */
export type BytesLike = ArrayBufferView | ArrayBufferLike;

let defaultTimeout: number | null = null;

/**
 * The timeout new sockets start with, in seconds (`null`: blocking), as set
 * by {@linkcode setdefaulttimeout}.
 *
 * @returns The default timeout in seconds, or `null`.
 *
 * @example
 * ```ts
 * import { getdefaulttimeout } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(getdefaulttimeout(), null);
 * ```
 */
export function getdefaulttimeout(): number | null {
  return defaultTimeout;
}

/**
 * Sets the timeout, in seconds, that sockets made from now on start with
 * (`null`: blocking; `0`: non-blocking). Accepted sockets get it too.
 *
 * @param timeout Seconds, or `null`.
 * @throws {ValueError} `Timeout value out of range` for a negative value.
 *
 * @example
 * ```ts
 * import { getdefaulttimeout, setdefaulttimeout, socket } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * setdefaulttimeout(2.5);
 * using s = socket();
 * assertEquals(s.gettimeout(), 2.5);
 * setdefaulttimeout(null);
 * assertEquals(getdefaulttimeout(), null);
 * ```
 */
export function setdefaulttimeout(timeout: number | null): void {
  defaultTimeout = checkTimeout(timeout);
}

/**
 * A file {@linkcode Socket.sendfile} can read: a `Deno.FsFile` is one.
 *
 * @example Anything with read() and seek(), as Deno's files
 * ```ts
 * import { SendableFile, socketpair } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * const bytes = new TextEncoder().encode("Hello World");
 * let at = 0;
 * const file: SendableFile = {
 *   read(p) {
 *     const n = Math.min(p.length, bytes.length - at);
 *     p.set(bytes.subarray(at, at + n));
 *     at += n;
 *     return Promise.resolve(n === 0 ? null : n);
 *   },
 *   seek(offset) {
 *     at = offset;
 *     return Promise.resolve(at);
 *   },
 * };
 * const [a, b] = await socketpair();
 * assertEquals(await a.sendfile(file), 11);
 * assertEquals(new TextDecoder().decode(await b.recv(16)), "Hello World");
 * a.close();
 * b.close();
 * ```
 */
export interface SendableFile {
  /** Reads into `p`; `null` at end of file. */
  read(p: Uint8Array): Promise<number | null>;
  /** Moves to `offset` (`whence` 0: from the start). */
  seek(offset: number, whence: 0): Promise<number>;
}

/**
 * Linux's checks in `socket()`, in its order: the family (97), the type's
 * range and the protocol's (22), then what the family offers for the type
 * and protocol (94, 93). Raw sockets the runtime cannot make at all.
 */
function checkKind(family: number, type: number, proto: number): void {
  if (![AF_INET, AF_INET6, AF_UNIX].includes(family)) {
    throw errnoError("EAFNOSUPPORT");
  }
  if (type < 0 || type >= 11 || proto < 0 || proto >= 263) {
    throw errnoError("EINVAL");
  }
  if (type === SOCK_RAW && family !== AF_UNIX) {
    if (proto === 0) throw errnoError("EPROTONOSUPPORT");
    throw errnoError("ESOCKTNOSUPPORT", {
      detail: "SOCK_RAW: the runtime has no raw sockets",
    });
  }
  if (type !== SOCK_STREAM && type !== SOCK_DGRAM) {
    throw errnoError("ESOCKTNOSUPPORT");
  }
  const own = type === SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP;
  if (proto !== 0 && (proto !== own || family === AF_UNIX)) {
    throw errnoError("EPROTONOSUPPORT");
  }
}

const FLAG_NAMES: Record<number, string> = {
  1: "MSG_OOB",
  32: "MSG_TRUNC",
  256: "MSG_WAITALL",
};

/** `flags` for recv/send: what pysocket honours, else an honest error. */
function checkFlags(flags: unknown, allowed: number): number {
  const f = checkInt(flags);
  const unsupported = f & ~allowed;
  if (unsupported !== 0) {
    throw errnoError("EOPNOTSUPP", {
      detail: FLAG_NAMES[unsupported] ?? `flags 0x${unsupported.toString(16)}`,
    });
  }
  return f;
}

const inspect = Symbol.for("Deno.customInspect");
const nodeInspect = Symbol.for("nodejs.util.inspect.custom");

/**
 * Python's `socket.socket`: a TCP or UDP endpoint over IPv4 or IPv6.
 * `new Socket(...)` and {@linkcode socket}`(...)` make the same object.
 * Methods that Python blocks in return Promises; the others are synchronous,
 * as in Python. Every error is Python's class with Python's message.
 *
 * The type follows the family and type the socket was made with: a
 * `Socket<typeof AF_INET, typeof SOCK_DGRAM>` takes and returns
 * `[host, port]` addresses ({@linkcode AddressOf}), and its `recvfrom()`
 * always names a sender ({@linkcode SenderOf}). A bare `Socket` is any
 * socket: a family or type known only at run time gives the union types.
 *
 * @typeParam F The family (`typeof AF_INET`, …), or `number`: any.
 * @typeParam T The type (`typeof SOCK_STREAM`, …), or `number`: any.
 *
 * @example A TCP echo, both ends
 * ```ts
 * import { AF_INET, SOCK_STREAM, Socket } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * using server = new Socket(AF_INET, SOCK_STREAM);
 * server.bind(["127.0.0.1", 0]);
 * server.listen();
 * using client = new Socket(AF_INET, SOCK_STREAM);
 * await client.connect(server.getsockname());
 * const [conn] = await server.accept();
 * await client.sendall(new Uint8Array([1, 2, 3]));
 * assertEquals(await conn.recv(10), new Uint8Array([1, 2, 3]));
 * conn.close();
 * ```
 */
export class Socket<F extends number = number, T extends number = number> {
  #family: number;
  #type: number;
  #proto: number;
  #timeout: number | null;
  #fd = -1;
  #closed = false;
  #transport: Transport;
  /** Open file objects from makefile(): they keep the socket open. */
  #ioRefs = 0;
  #closeWhenUnused = false;
  #readable: ReadableStream<Uint8Array<ArrayBuffer>> | null = null;
  #writable: WritableStream<Uint8Array> | null = null;

  /**
   * Makes a socket, as `socket.socket(family, type, proto, fileno)`.
   *
   * @param family `AF_INET` (default), `AF_INET6` or `AF_UNIX`.
   * @param type `SOCK_STREAM` (default) or `SOCK_DGRAM`, optionally or-ed
   * with `SOCK_NONBLOCK` / `SOCK_CLOEXEC`.
   * @param proto `0` (default), or the type's own protocol.
   * @param fileno An open socket's `fileno()`: the new object is made around
   * that socket (its family, type and protocol when those are left out or
   * `-1`), as CPython's `fileno=` does.
   * @throws {OSError} `[Errno 97] Address family not supported by protocol`,
   * `[Errno 22] Invalid argument` for an unknown type, `[Errno 93] Protocol
   * not supported`, `[Errno 9] Bad file descriptor` for a `fileno` that is
   * not an open socket.
   */
  constructor(
    family: F = -1 as F,
    type: T = -1 as T,
    proto: number = -1,
    fileno: number | null = null,
  ) {
    try {
      // -1 means "the default" (or, with a fileno, "the socket's own").
      const f = checkInt(family), t = checkInt(type), p = checkInt(proto);
      let entry: Descriptor | undefined;
      if (fileno !== null) {
        const fd = checkInt(fileno);
        if (fd < 0) throw new ValueError("negative file descriptor");
        entry = descriptor(fd);
        if (entry === undefined) throw errnoError("EBADF");
        this.#fd = fd;
      }
      this.#family = f !== -1 ? f : entry?.family ?? AF_INET;
      const rawType = t !== -1 ? t : entry?.type ?? SOCK_STREAM;
      this.#type = rawType & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
      this.#proto = p !== -1 ? p : entry?.proto ?? 0;
      checkKind(this.#family, this.#type, this.#proto);
      this.#timeout = rawType & SOCK_NONBLOCK ? 0 : defaultTimeout;
      if (entry !== undefined) {
        this.#transport = entry.transport;
      } else {
        this.#transport = this.#type === SOCK_STREAM
          ? new StreamTransport(this.#family)
          : datagramTransport(this.#family);
        this.#fd = openDescriptor({
          transport: this.#transport,
          family: this.#family,
          type: this.#type,
          proto: this.#proto,
        });
      }
    } catch (err) {
      throw mapError(err);
    }
  }

  /**
   * A socket around a transport of the same kind as `like` (an accepted
   * connection): entered in the descriptor table, then adopted through the
   * constructor's `fileno` path.
   */
  static #around<F extends number, T extends number>(
    like: Socket<F, T>,
    transport: Transport,
  ): Socket<F, T> {
    const fd = openDescriptor({
      transport,
      family: like.#family,
      type: like.#type,
      proto: like.#proto,
    });
    return new Socket(like.#family, like.#type, like.#proto, fd) as Socket<
      F,
      T
    >;
  }

  /** The address family (`AF_INET`, `AF_INET6`). */
  get family(): number {
    return this.#family;
  }

  /** The socket type (`SOCK_STREAM`, `SOCK_DGRAM`). */
  get type(): number {
    return this.#type;
  }

  /** The protocol number given at creation (usually `0`). */
  get proto(): number {
    return this.#proto;
  }

  /** The timeout in seconds, `0` when non-blocking, `null` when blocking. */
  get timeout(): number | null {
    return this.#timeout;
  }

  /** How long an operation may wait now, in ms (`null`: as long as needed). */
  #waitMs(flags = 0): WaitMs {
    if (flags & MSG_DONTWAIT) return 0;
    return this.#timeout === null ? null : this.#timeout * 1000;
  }

  #open(): void {
    if (this.#closed) throw errnoError("EBADF");
  }

  /**
   * Binds the socket to a local address. Errors are raised here, as in
   * Python.
   *
   * @param address `[host, port]`; `""` is every interface.
   * @throws {OSError} `[Errno 98] Address already in use`, `[Errno 99]
   * Cannot assign requested address`, `PermissionError` for a missing
   * `--allow-net`.
   * @throws {OverflowError} `bind(): port must be 0-65535.`
   * @throws {TypeError} `bind(): AF_INET address must be tuple, not str`
   *
   * @example
   * ```ts
   * import { socket } from "@pysocket/socket";
   * import { assertEquals } from "@std/assert";
   *
   * using s = socket();
   * s.bind(["127.0.0.1", 0]);
   * assertEquals(s.getsockname()[0], "127.0.0.1");
   * ```
   */
  bind(address: AddressLikeOf<F>): void {
    try {
      this.#open();
      this.#transport.bind(toEndpoint(this.#family, address, "bind"));
    } catch (err) {
      throw mapError(err, this.#closed);
    }
  }

  /**
   * Starts accepting connections. An unbound socket is first bound to an
   * ephemeral port on every interface, as in Python.
   *
   * @param backlog Checked as Python checks it; the runtime's own queue
   * length applies (see the README's differences).
   *
   * @example
   * ```ts
   * import { socket } from "@pysocket/socket";
   *
   * using s = socket();
   * s.bind(["127.0.0.1", 0]);
   * s.listen(5);
   * ```
   */
  listen(backlog: number = 128): void {
    try {
      this.#open();
      checkInt(backlog);
      this.#transport.listen(backlog);
    } catch (err) {
      throw mapError(err, this.#closed);
    }
  }

  /**
   * Waits for a connection: `[conn, address]`. A connection that arrives
   * after a call timed out is what the next call returns.
   *
   * @returns The connected socket and its peer's address.
   * @throws {TimeoutError} `timed out` when the socket's timeout passes.
   * @throws {BlockingIOError} `[Errno 11] Resource temporarily unavailable`
   * in non-blocking mode.
   * @throws {OSError} `[Errno 22] Invalid argument` when not listening;
   * `[Errno 9] Bad file descriptor` when closed, also for a pending call.
   *
   * @example
   * ```ts
   * import { socket } from "@pysocket/socket";
   * import { assertEquals } from "@std/assert";
   *
   * using server = socket();
   * server.bind(["127.0.0.1", 0]);
   * server.listen();
   * using client = socket();
   * await client.connect(server.getsockname());
   * const [conn, address] = await server.accept();
   * assertEquals(address, client.getsockname());
   * conn.close();
   * ```
   */
  accept(): Promise<[Socket<F, T>, AddressOf<F>]> {
    try {
      this.#open();
      return this.#transport.accept(this.#waitMs()).then(
        ([transport, peer]) => [
          Socket.#around(this, transport),
          fromRaw(this.#family, peer) as AddressOf<F>,
        ],
        (err) => {
          throw mapError(err, this.#closed);
        },
      );
    } catch (err) {
      return Promise.reject(mapError(err, this.#closed));
    }
  }

  /**
   * Connects to a remote address (for datagrams: sets the default peer).
   *
   * @param address `[host, port]`; a hostname is resolved by the system.
   * @throws {ConnectionRefusedError} `[Errno 111] Connection refused`
   * @throws {TimeoutError} `timed out` when the socket's timeout passes.
   * @throws {BlockingIOError} `[Errno 115] Operation now in progress` in
   * non-blocking mode (the connection goes on).
   * @throws {OverflowError} `connect(): port must be 0-65535.`
   *
   * @example
   * ```ts
   * import { ConnectionRefusedError, socket } from "@pysocket/socket";
   * import { assertRejects } from "@std/assert";
   *
   * const port = (() => {
   *   using probe = socket();
   *   probe.bind(["127.0.0.1", 0]);
   *   return probe.getsockname()[1];
   * })();
   * using s = socket();
   * await assertRejects(() => s.connect(["127.0.0.1", port]), ConnectionRefusedError);
   * ```
   */
  connect(address: AddressLikeOf<F>): Promise<void> {
    return this.#connect(address, "connect");
  }

  #connect(address: AddressLike, fn: string): Promise<void> {
    try {
      this.#open();
      const ep = toEndpoint(this.#family, address, fn);
      return this.#transport.connect(ep, this.#waitMs());
    } catch (err) {
      return Promise.reject(mapError(err, this.#closed));
    }
  }

  /**
   * Like {@linkcode Socket.connect}, but resolves to an error number instead
   * of raising for errors of the connection itself: `0` on success, e.g.
   * `111` when refused, `115` (`EINPROGRESS`) in non-blocking mode and
   * `11` (`EAGAIN`) on timeout, as CPython does.
   *
   * @param address `[host, port]`.
   * @returns `0` or the errno.
   *
   * @example
   * ```ts
   * import { socket } from "@pysocket/socket";
   * import { assertEquals } from "@std/assert";
   *
   * const port = (() => {
   *   using probe = socket();
   *   probe.bind(["127.0.0.1", 0]);
   *   return probe.getsockname()[1];
   * })();
   * using s = socket();
   * assertEquals(await s.connect_ex(["127.0.0.1", port]), 111);
   * ```
   */
  async connect_ex(address: AddressLikeOf<F>): Promise<number> {
    try {
      await this.#connect(address, "connect_ex");
      return 0;
    } catch (err) {
      if (err instanceof TimeoutError) return errnoEntry("EAGAIN")[0];
      // Errors of the connection itself become numbers; resolution errors
      // and a missing runtime permission are raised, as they are not the
      // connect() call's.
      const raised = err instanceof gaierror || err instanceof herror ||
        !(err instanceof OSError) || err.errno === null || isDenied(err);
      if (!raised) return (err as OSError).errno!;
      throw err;
    }
  }

  /**
   * Sends bytes; resolves to how many were sent (possibly fewer than given).
   *
   * @param data Any `ArrayBufferView` or `ArrayBuffer`.
   * @param flags `0` or `MSG_DONTWAIT`.
   * @returns The number of bytes sent.
   * @throws {TypeError} `a bytes-like object is required, not 'str'`
   * @throws {BrokenPipeError} `[Errno 32] Broken pipe` when not connected or
   * after `shutdown(SHUT_WR)`.
   *
   * @example
   * ```ts
   * import { socket } from "@pysocket/socket";
   * import { assertEquals } from "@std/assert";
   *
   * using server = socket();
   * server.bind(["127.0.0.1", 0]);
   * server.listen();
   * using client = socket();
   * await client.connect(server.getsockname());
   * assertEquals(await client.send(new Uint8Array(5)), 5);
   * const [conn] = await server.accept();
   * conn.close();
   * ```
   */
  send(data: BytesLike, flags: number = 0): Promise<number> {
    try {
      this.#open();
      const bytes = bytesLike(data);
      const ms = this.#waitMs(checkFlags(flags, MSG_DONTWAIT));
      return this.#transport.send(bytes, ms);
    } catch (err) {
      return Promise.reject(mapError(err, this.#closed));
    }
  }

  /**
   * Sends all of `data`, or rejects. With a timeout, the whole call must
   * finish in time.
   *
   * @param data Any `ArrayBufferView` or `ArrayBuffer`.
   * @param flags `0` or `MSG_DONTWAIT`.
   * @throws {TypeError} `a bytes-like object is required, not 'str'`
   * @throws {ConnectionError} when the peer has gone.
   *
   * @example
   * ```ts
   * import { socket } from "@pysocket/socket";
   * import { assertEquals } from "@std/assert";
   *
   * using server = socket();
   * server.bind(["127.0.0.1", 0]);
   * server.listen();
   * using client = socket();
   * await client.connect(server.getsockname());
   * const [conn] = await server.accept();
   * await client.sendall(new TextEncoder().encode("Hello World"));
   * assertEquals(new TextDecoder().decode(await conn.recv(1024)), "Hello World");
   * conn.close();
   * ```
   */
  sendall(data: BytesLike, flags: number = 0): Promise<void> {
    try {
      this.#open();
      const bytes = bytesLike(data);
      const ms = this.#waitMs(checkFlags(flags, MSG_DONTWAIT));
      return this.#transport.sendall(bytes, ms);
    } catch (err) {
      return Promise.reject(mapError(err, this.#closed));
    }
  }

  /**
   * Sends a file's bytes, from `offset`, `count` of them or to its end, as
   * CPython's `socket.sendfile()` does without `os.sendfile` (read, then
   * `sendall`). The file is left positioned after the last byte sent.
   *
   * @param file An open file, e.g. a `Deno.FsFile`: anything with `read`
   * and `seek` as Deno's files have them.
   * @param offset Where to start reading.
   * @param count How many bytes at most (`null`: to the end).
   * @returns The number of bytes sent.
   * @throws {ValueError} `count must be a positive integer (got 0)`, `only
   * SOCK_STREAM type sockets are supported`.
   *
   * @example
   * ```ts
   * import { socketpair } from "@pysocket/socket";
   * import { assertEquals } from "@std/assert";
   *
   * const path = await Deno.makeTempFile();
   * await Deno.writeTextFile(path, "Hello World");
   * const [a, b] = await socketpair();
   * using file = await Deno.open(path);
   * assertEquals(await a.sendfile(file, 6), 5);
   * assertEquals(new TextDecoder().decode(await b.recv(16)), "World");
   * a.close();
   * b.close();
   * await Deno.remove(path);
   * ```
   */
  async sendfile(
    file: SendableFile,
    offset: number = 0,
    count: number | null = null,
  ): Promise<number> {
    try {
      this.#open();
      if (this.#type !== SOCK_STREAM) {
        throw new ValueError("only SOCK_STREAM type sockets are supported");
      }
      if (count !== null) {
        if (typeof count !== "number" || !Number.isInteger(count)) {
          throw new TypeError(
            `count must be a positive integer (got ${count})`,
          );
        }
        if (count <= 0) {
          throw new ValueError(
            `count must be a positive integer (got ${count})`,
          );
        }
      }
      const start = checkInt(offset);
      if (start) await file.seek(start, 0);
      const chunk = new Uint8Array(Math.min(count ?? 1 << 16, 1 << 16));
      let total = 0;
      while (count === null || total < count) {
        const want = count === null
          ? chunk.length
          : Math.min(chunk.length, count - total);
        const n = await file.read(chunk.subarray(0, want));
        if (n === null || n === 0) break;
        await this.#transport.sendall(chunk.subarray(0, n), this.#waitMs());
        total += n;
      }
      return total;
    } catch (err) {
      throw mapError(err, this.#closed);
    }
  }

  /**
   * Sends a datagram to `address`: `sendto(data, address)` or Python's
   * three-argument `sendto(data, flags, address)`.
   *
   * @param data Any `ArrayBufferView` or `ArrayBuffer`.
   * @param flagsOrAddress The address, or `flags` when a third argument
   * follows.
   * @param address The address, when flags are given.
   * @returns The number of bytes sent.
   *
   * @example
   * ```ts
   * import { AF_INET, SOCK_DGRAM, socket } from "@pysocket/socket";
   * import { assertEquals } from "@std/assert";
   *
   * using a = socket(AF_INET, SOCK_DGRAM);
   * a.bind(["127.0.0.1", 0]);
   * using b = socket(AF_INET, SOCK_DGRAM);
   * assertEquals(await b.sendto(new Uint8Array([7]), a.getsockname()), 1);
   * const [data] = await a.recvfrom(16);
   * assertEquals(data, new Uint8Array([7]));
   * ```
   */
  sendto(data: BytesLike, address: AddressLikeOf<F>): Promise<number>;
  /**
   * Sends a datagram to `address` with `flags`: Python's three-argument
   * `sendto(data, flags, address)`.
   *
   * @param data Any `ArrayBufferView` or `ArrayBuffer`.
   * @param flags `0` or `MSG_DONTWAIT`.
   * @param address The address.
   * @returns The number of bytes sent.
   */
  sendto(
    data: BytesLike,
    flags: number,
    address: AddressLikeOf<F>,
  ): Promise<number>;
  sendto(
    data: BytesLike,
    flagsOrAddress: number | AddressLikeOf<F>,
    address?: AddressLikeOf<F>,
  ): Promise<number> {
    try {
      this.#open();
      const bytes = bytesLike(data);
      const three = address !== undefined;
      const flags = three ? checkFlags(flagsOrAddress, MSG_DONTWAIT) : 0;
      const ep = toEndpoint(
        this.#family,
        three ? address : flagsOrAddress,
        "sendto",
      );
      return this.#transport.sendto(bytes, ep, this.#waitMs(flags));
    } catch (err) {
      return Promise.reject(mapError(err, this.#closed));
    }
  }

  /**
   * Receives up to `bufsize` bytes; an empty array means the peer closed.
   * Bytes that arrive after a call timed out are what the next call gets.
   *
   * @param bufsize The most bytes to return.
   * @param flags `0`, `MSG_PEEK` and/or `MSG_DONTWAIT`.
   * @returns The bytes received.
   * @throws {ValueError} `negative buffersize in recv`
   * @throws {TimeoutError} `timed out`
   * @throws {BlockingIOError} `[Errno 11] Resource temporarily unavailable`
   * @throws {OSError} `[Errno 107] Transport endpoint is not connected`,
   * `[Errno 9] Bad file descriptor` when closed (also for a pending call).
   *
   * @example
   * ```ts
   * import { socket } from "@pysocket/socket";
   * import { assertEquals } from "@std/assert";
   *
   * using server = socket();
   * server.bind(["127.0.0.1", 0]);
   * server.listen();
   * using client = socket();
   * await client.connect(server.getsockname());
   * const [conn] = await server.accept();
   * await conn.sendall(new Uint8Array([1, 2, 3]));
   * conn.close();
   * assertEquals(await client.recv(2), new Uint8Array([1, 2]));
   * assertEquals(await client.recv(2), new Uint8Array([3]));
   * assertEquals(await client.recv(2), new Uint8Array());
   * ```
   */
  recv(bufsize: number, flags: number = 0): Promise<Uint8Array> {
    try {
      this.#open();
      const n = checkBufsize(bufsize, "recv");
      const f = checkFlags(flags, MSG_PEEK | MSG_DONTWAIT);
      // As CPython: no system call for nothing.
      if (n === 0) return Promise.resolve(new Uint8Array(0));
      return this.#transport.recv(n, this.#waitMs(f), !!(f & MSG_PEEK));
    } catch (err) {
      return Promise.reject(mapError(err, this.#closed));
    }
  }

  /**
   * Receives into `buffer` (up to `nbytes`, default its length); resolves
   * to the count. Without a timeout the bytes are read straight into
   * `buffer`, with no copy.
   *
   * @param buffer A writable `ArrayBufferView` or `ArrayBuffer`.
   * @param nbytes The most bytes to receive (`0`: the buffer's length).
   * @param flags `0`, `MSG_PEEK` and/or `MSG_DONTWAIT`.
   * @returns The number of bytes received.
   * @throws {ValueError} `buffer too small for requested bytes`
   *
   * @example
   * ```ts
   * import { socket } from "@pysocket/socket";
   * import { assertEquals } from "@std/assert";
   *
   * using server = socket();
   * server.bind(["127.0.0.1", 0]);
   * server.listen();
   * using client = socket();
   * await client.connect(server.getsockname());
   * const [conn] = await server.accept();
   * await conn.sendall(new Uint8Array([9, 8]));
   * conn.close();
   * const buf = new Uint8Array(8);
   * assertEquals(await client.recv_into(buf), 2);
   * assertEquals(buf.subarray(0, 2), new Uint8Array([9, 8]));
   * ```
   */
  recv_into(
    buffer: BytesLike,
    nbytes: number = 0,
    flags: number = 0,
  ): Promise<number> {
    try {
      this.#open();
      const into = this.#intoView(buffer, nbytes, "recv_into");
      const f = checkFlags(flags, MSG_PEEK | MSG_DONTWAIT);
      return this.#transport.recvInto(
        into,
        this.#waitMs(f),
        !!(f & MSG_PEEK),
      );
    } catch (err) {
      return Promise.reject(mapError(err, this.#closed));
    }
  }

  #intoView(buffer: unknown, nbytes: unknown, fn: string): Uint8Array {
    const view = writableBuffer(buffer, fn);
    const n = checkInt(nbytes);
    if (n < 0) throw new ValueError(`negative buffersize in ${fn}`);
    if (n > view.length) {
      throw new ValueError("buffer too small for requested bytes");
    }
    return n === 0 ? view : view.subarray(0, n);
  }

  /**
   * Receives up to `bufsize` bytes and the sender's address: `[data,
   * address]`. On a connected TCP socket the address is `null`, as Python's
   * `None`.
   *
   * @param bufsize The most bytes to return.
   * @param flags `0`, `MSG_PEEK` and/or `MSG_DONTWAIT`.
   * @returns The bytes and who sent them.
   *
   * @example
   * ```ts
   * import { AF_INET, SOCK_DGRAM, socket } from "@pysocket/socket";
   * import { assertEquals } from "@std/assert";
   *
   * using a = socket(AF_INET, SOCK_DGRAM);
   * a.bind(["127.0.0.1", 0]);
   * using b = socket(AF_INET, SOCK_DGRAM);
   * b.bind(["127.0.0.1", 0]);
   * await b.sendto(new Uint8Array([1]), a.getsockname());
   * const [data, address] = await a.recvfrom(1024);
   * assertEquals(data, new Uint8Array([1]));
   * assertEquals(address, b.getsockname());
   * ```
   */
  recvfrom(
    bufsize: number,
    flags: number = 0,
  ): Promise<[Uint8Array, SenderOf<F, T>]> {
    try {
      this.#open();
      const n = checkBufsize(bufsize, "recvfrom");
      const f = checkFlags(flags, MSG_PEEK | MSG_DONTWAIT);
      return this.#transport.recvfrom(n, this.#waitMs(f), !!(f & MSG_PEEK))
        .then(([data, from]) => [
          data,
          (from === null ? null : fromRaw(this.#family, from)) as SenderOf<
            F,
            T
          >,
        ]);
    } catch (err) {
      return Promise.reject(mapError(err, this.#closed));
    }
  }

  /**
   * Receives into `buffer` and tells who sent it: `[nbytes, address]`.
   *
   * @param buffer A writable `ArrayBufferView` or `ArrayBuffer`.
   * @param nbytes The most bytes to receive (`0`: the buffer's length).
   * @param flags `0`, `MSG_PEEK` and/or `MSG_DONTWAIT`.
   * @returns The count and the sender's address.
   *
   * @example
   * ```ts
   * import { AF_INET, SOCK_DGRAM, socket } from "@pysocket/socket";
   * import { assertEquals } from "@std/assert";
   *
   * using a = socket(AF_INET, SOCK_DGRAM);
   * a.bind(["127.0.0.1", 0]);
   * using b = socket(AF_INET, SOCK_DGRAM);
   * await b.sendto(new Uint8Array([1, 2]), a.getsockname());
   * const buf = new Uint8Array(16);
   * const [n] = await a.recvfrom_into(buf);
   * assertEquals(n, 2);
   * ```
   */
  async recvfrom_into(
    buffer: BytesLike,
    nbytes: number = 0,
    flags: number = 0,
  ): Promise<[number, SenderOf<F, T>]> {
    try {
      this.#open();
      const into = this.#intoView(buffer, nbytes, "recvfrom_into");
      const f = checkFlags(flags, MSG_PEEK | MSG_DONTWAIT);
      const [n, from] = await this.#transport.recvfromInto(
        into,
        this.#waitMs(f),
        !!(f & MSG_PEEK),
      );
      return [
        n,
        (from === null ? null : fromRaw(this.#family, from)) as SenderOf<F, T>,
      ];
    } catch (err) {
      throw mapError(err, this.#closed);
    }
  }

  /**
   * Shuts down one or both halves of the connection: `SHUT_RD` (reads see
   * end of stream), `SHUT_WR` (the peer reads end of stream; writes queued
   * before it are sent first), `SHUT_RDWR`.
   *
   * @param how `SHUT_RD`, `SHUT_WR` or `SHUT_RDWR`.
   * @throws {OSError} `[Errno 107] Transport endpoint is not connected`,
   * `[Errno 22] Invalid argument` for another `how`.
   *
   * @example
   * ```ts
   * import { SHUT_WR, socket } from "@pysocket/socket";
   * import { assertEquals } from "@std/assert";
   *
   * using server = socket();
   * server.bind(["127.0.0.1", 0]);
   * server.listen();
   * using client = socket();
   * await client.connect(server.getsockname());
   * const [conn] = await server.accept();
   * await client.shutdown(SHUT_WR);
   * assertEquals(await conn.recv(10), new Uint8Array());
   * conn.close();
   * ```
   */
  async shutdown(how: number): Promise<void> {
    try {
      this.#open();
      const h = checkInt(how);
      if (h < 0 || h > 2) throw errnoError("EINVAL");
      await this.#transport.shutdown(h);
    } catch (err) {
      throw mapError(err, this.#closed);
    }
  }

  /**
   * Python's `detach()`: the socket object becomes closed (`fileno()` is
   * `-1`) without closing the socket itself, whose descriptor is returned:
   * a new object can be made around it with `socket(…, fileno)`.
   *
   * @returns The descriptor number (`-1` if already closed).
   *
   * @example
   * ```ts
   * import { socket } from "@pysocket/socket";
   * import { assertEquals } from "@std/assert";
   *
   * const s = socket();
   * const fd = s.detach();
   * assertEquals(s.fileno(), -1);
   * using again = socket(-1, -1, -1, fd);
   * assertEquals(again.fileno(), fd);
   * ```
   */
  detach(): number {
    if (this.#closed) return -1;
    const fd = this.#fd;
    this.#closed = true;
    return fd;
  }

  /**
   * Closes the socket. Idempotent. Pending `recv`/`accept` calls reject
   * with `[Errno 9] Bad file descriptor`, as does any later I/O.
   *
   * @example
   * ```ts
   * import { socket } from "@pysocket/socket";
   * import { assertEquals } from "@std/assert";
   *
   * const s = socket();
   * s.close();
   * s.close();
   * assertEquals(s.fileno(), -1);
   * ```
   */
  close(): void {
    if (this.#closed) return;
    if (this.#ioRefs > 0) {
      // CPython closes the descriptor once the last makefile() file closes.
      this.#closeWhenUnused = true;
      return;
    }
    this.#closed = true;
    closeDescriptor(this.#fd);
    this.#transport.close();
  }

  /**
   * Python's `makefile(mode, buffering, *, encoding, errors, newline)`: a
   * file object over the connection, built as CPython builds it. `mode`
   * takes `r`, `w` and `b` in any combination: with `b` it reads and writes
   * `Uint8Array`s (an `io.BufferedReader`, `io.BufferedWriter` or
   * `io.BufferedRWPair`), without it strings (an `io.TextIOWrapper`, UTF-8
   * by default). `read(n)` waits for `n` characters or bytes (or end of
   * stream); writes are buffered until `flush()`, `close()` or a full
   * buffer. `buffering = 0` gives the raw `SocketIO` (binary only): one
   * `recv` per read, one `send` per write, `null` when a non-blocking
   * socket would block. The socket stays open until its files are closed,
   * even after `close()`, as in CPython.
   *
   * The file's type follows the arguments ({@linkcode FileOf}): a
   * {@linkcode TextFile} for `"r"`, `"w"`, `"rw"` (the default), a
   * {@linkcode BinaryFile} with `b`, a {@linkcode RawFile} with `b` and
   * `buffering` `0`, and any {@linkcode SocketFile} for a mode known only at
   * run time. Python's keyword arguments come third, after `buffering`
   * (`null` for the default): `makefile("r", null, { encoding: "latin-1" })`
   * for `makefile("r", encoding="latin-1")`.
   *
   * @typeParam M The mode, as its literal type.
   * @typeParam B The buffering, as its literal type.
   * @param mode Some of `r`, `w`, `b`; `"r"` by default.
   * @param buffering The buffer size; `null` (the default) or negative:
   * 8192; `0`: unbuffered (binary only).
   * @param options `encoding`, `errors`, `newline` (text mode only; ignored
   * in binary mode, as in CPython).
   * @returns An `io.TextIOWrapper`; with `b`, an `io.BufferedReader`,
   * `io.BufferedWriter` or `io.BufferedRWPair`; with `b` and `0`, the raw
   * `SocketIO`.
   * @throws {TypeError} `'dict' object cannot be interpreted as an
   * integer` for options given in place of `buffering`.
   * @throws {ValueError} `invalid mode 'x' (only r, w, b allowed)`,
   * `unbuffered streams must be binary`, `illegal newline value: x`.
   * @throws {LookupError} `unknown encoding: x`.
   *
   * @example A line protocol in text mode
   * ```ts
   * import { socket } from "@pysocket/socket";
   * import { assertEquals } from "@std/assert";
   *
   * using server = socket();
   * server.bind(["127.0.0.1", 0]);
   * server.listen();
   * using client = socket();
   * await client.connect(server.getsockname());
   * const [conn] = await server.accept();
   *
   * await using out = client.makefile("w");
   * await out.write("HELO example.org\r\nQUIT\n");
   * await out.flush();
   *
   * await using lines = conn.makefile("r");
   * assertEquals(await lines.readline(), "HELO example.org\n");
   * assertEquals(await lines.readline(), "QUIT\n");
   * conn.close();
   * ```
   *
   * @example The socket stays open until its file is closed
   * ```ts
   * import { socket } from "@pysocket/socket";
   * import { assertEquals } from "@std/assert";
   *
   * using server = socket();
   * server.bind(["127.0.0.1", 0]);
   * server.listen();
   * using client = socket();
   * await client.connect(server.getsockname());
   * const [conn] = await server.accept();
   *
   * const f = conn.makefile("wb");
   * conn.close(); // the file still holds the connection
   * await f.write(new Uint8Array([1, 2, 3]));
   * await f.close(); // flushes, then really closes the socket
   * assertEquals(conn.fileno(), -1);
   * assertEquals(await client.recv(10), new Uint8Array([1, 2, 3]));
   * ```
   */
  makefile<M extends string = "r", B extends number | null = null>(
    mode: M = "r" as M,
    buffering: B = null as B,
    options: MakefileOptions = {},
  ): FileOf<M, B> {
    const file = makefile(this, mode, buffering, options, this.#releaseFile);
    this.#ioRefs++;
    return file as FileOf<M, B>;
  }

  /**
   * The bytes the connection receives, as a `ReadableStream` (the same
   * stream each time): each read is one `recv(65536)` (or one `recv_into`
   * a BYOB reader's buffer), nothing is read before a reader asks, end of
   * stream closes it and a socket error errors it. Cancelling it leaves the
   * socket open; the stream never closes the socket.
   *
   * @returns The socket's readable stream.
   *
   * @example Pipe what the peer sends through a TextDecoderStream
   * ```ts
   * import { socket } from "@pysocket/socket";
   * import { assertEquals } from "@std/assert";
   *
   * using server = socket();
   * server.bind(["127.0.0.1", 0]);
   * server.listen();
   * using client = socket();
   * await client.connect(server.getsockname());
   * const [conn] = await server.accept();
   * await conn.sendall(new TextEncoder().encode("héllo"));
   * conn.close();
   *
   * let text = "";
   * for await (const part of client.readable.pipeThrough(new TextDecoderStream())) {
   *   text += part;
   * }
   * assertEquals(text, "héllo");
   * ```
   */
  get readable(): ReadableStream<Uint8Array<ArrayBuffer>> {
    return this.#readable ??= readableStream(this);
  }

  /**
   * A `WritableStream` to the peer (the same stream each time): each chunk
   * is sent with `sendall`, in order; closing the stream is
   * `shutdown(SHUT_WR)` (the peer reads end of stream, this end can still
   * receive); aborting it does nothing to the socket. The stream never
   * closes the socket.
   *
   * @returns The socket's writable stream.
   *
   * @example Send gzip-compressed text
   * ```ts
   * import { socket } from "@pysocket/socket";
   * import { assertEquals } from "@std/assert";
   *
   * using server = socket();
   * server.bind(["127.0.0.1", 0]);
   * server.listen();
   * using client = socket();
   * await client.connect(server.getsockname());
   * const [conn] = await server.accept();
   *
   * const sent = ReadableStream.from(["hello ", "world"])
   *   .pipeThrough(new TextEncoderStream())
   *   .pipeThrough(new CompressionStream("gzip"))
   *   .pipeTo(client.writable);
   * const text = await new Response(
   *   conn.readable.pipeThrough(new DecompressionStream("gzip")),
   * ).text();
   * await sent;
   * assertEquals(text, "hello world");
   * conn.close();
   * ```
   */
  get writable(): WritableStream<Uint8Array> {
    return this.#writable ??= writableStream(this);
  }

  /** A makefile() file closed: the last one closes a closed socket. */
  #releaseFile = (): void => {
    if (--this.#ioRefs === 0 && this.#closeWhenUnused) this.close();
  };

  /** `using s = socket()`: closes the socket at the end of the block. */
  [Symbol.dispose](): void {
    this.close();
  }

  /**
   * `await using s = socket()`: waits for writes in flight (at most the
   * socket's timeout, and only while they make progress), closes, then
   * waits until nothing else the socket started is still running. Writes
   * still queued then go on in the background, as after `close()`.
   */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.#transport.drain(this.#waitMs());
    this.close();
    await this.#transport.settled();
  }

  /**
   * The local address: `[host, port]` (`["0.0.0.0", 0]` when not bound).
   *
   * @returns The local address.
   * @throws {OSError} `[Errno 9] Bad file descriptor` when closed.
   *
   * @example
   * ```ts
   * import { socket } from "@pysocket/socket";
   * import { assertEquals } from "@std/assert";
   *
   * using s = socket();
   * assertEquals(s.getsockname(), ["0.0.0.0", 0]);
   * ```
   */
  getsockname(): AddressOf<F> {
    try {
      this.#open();
      const raw = this.#transport.localAddr();
      return (raw === null
        ? unboundAddress(this.#family)
        : fromRaw(this.#family, raw)) as AddressOf<F>;
    } catch (err) {
      throw mapError(err, this.#closed);
    }
  }

  /**
   * The peer's address.
   *
   * @returns The remote address.
   * @throws {OSError} `[Errno 107] Transport endpoint is not connected`
   *
   * @example
   * ```ts
   * import { OSError, socket } from "@pysocket/socket";
   * import { assertThrows } from "@std/assert";
   *
   * using s = socket();
   * assertThrows(() => s.getpeername(), OSError, "[Errno 107] Transport endpoint is not connected");
   * ```
   */
  getpeername(): AddressOf<F> {
    try {
      this.#open();
      const raw = this.#transport.remoteAddr();
      if (raw === null) throw errnoError("ENOTCONN");
      return fromRaw(this.#family, raw) as AddressOf<F>;
    } catch (err) {
      throw mapError(err, this.#closed);
    }
  }

  /**
   * A positive number unique among this process's open sockets (the
   * runtime exposes no OS descriptor), `-1` once closed.
   *
   * @returns The socket's number.
   *
   * @example
   * ```ts
   * import { socket } from "@pysocket/socket";
   * import { assert } from "@std/assert";
   *
   * using s = socket();
   * assert(s.fileno() > 0);
   * ```
   */
  fileno(): number {
    return this.#closed ? -1 : this.#fd;
  }

  /**
   * Sets a socket option. `TCP_NODELAY` and `SO_KEEPALIVE` act on the
   * connection (set before it exists, they are applied when it does);
   * `SO_REUSEADDR` and `SO_REUSEPORT` act on `bind()`. An option the
   * runtime cannot honour raises instead of being silently accepted.
   *
   * @param level `SOL_SOCKET`, `IPPROTO_TCP`, `IPPROTO_IP` or `IPPROTO_IPV6`.
   * @param optname The option, e.g. `TCP_NODELAY`.
   * @param value An int, or bytes as Python's `struct.pack` makes them.
   * @throws {OSError} `[Errno 92] Protocol not available: 'SO_LINGER'` for
   * an option the runtime cannot honour.
   *
   * @example
   * ```ts
   * import { IPPROTO_TCP, socket, TCP_NODELAY } from "@pysocket/socket";
   * import { assertEquals } from "@std/assert";
   *
   * using s = socket();
   * s.setsockopt(IPPROTO_TCP, TCP_NODELAY, 1);
   * assertEquals(s.getsockopt(IPPROTO_TCP, TCP_NODELAY), 1);
   * ```
   */
  setsockopt(
    level: number,
    optname: number,
    value: number | boolean | BytesLike,
  ): void {
    try {
      this.#open();
      setOption(
        this.#transport.side,
        checkInt(level),
        checkInt(optname),
        value,
      );
    } catch (err) {
      throw mapError(err, this.#closed);
    }
  }

  /**
   * The value of a socket option that is really in force; with `buflen`,
   * packed into that many bytes as the kernel returns it.
   *
   * @param level `SOL_SOCKET`, `IPPROTO_TCP`, `IPPROTO_IP` or `IPPROTO_IPV6`.
   * @param optname The option, e.g. `SO_TYPE`.
   * @param buflen Return bytes of this length instead of an int.
   * @returns The option's value.
   * @throws {OSError} `[Errno 92] Protocol not available: 'SO_RCVBUF'` for
   * an option whose value the runtime does not reveal.
   *
   * @example
   * ```ts
   * import { SO_TYPE, SOCK_STREAM, SOL_SOCKET, socket } from "@pysocket/socket";
   * import { assertEquals } from "@std/assert";
   *
   * using s = socket();
   * assertEquals(s.getsockopt(SOL_SOCKET, SO_TYPE), SOCK_STREAM);
   * ```
   */
  getsockopt(
    level: number,
    optname: number,
    buflen?: number,
  ): number | Uint8Array {
    try {
      this.#open();
      return getOption(
        this.#transport.side,
        this.#type,
        checkInt(level),
        checkInt(optname),
        buflen,
      );
    } catch (err) {
      throw mapError(err, this.#closed);
    }
  }

  /**
   * Sets the timeout: `null` blocks, `0` is non-blocking, more is seconds.
   *
   * @param value Seconds or `null`.
   * @throws {ValueError} `Timeout value out of range` for a negative value.
   *
   * @example
   * ```ts
   * import { socket } from "@pysocket/socket";
   * import { assertEquals } from "@std/assert";
   *
   * using s = socket();
   * s.settimeout(0.5);
   * assertEquals(s.gettimeout(), 0.5);
   * ```
   */
  settimeout(value: number | null): void {
    try {
      const t = checkTimeout(value);
      this.#open();
      this.#timeout = t;
    } catch (err) {
      throw mapError(err, this.#closed);
    }
  }

  /**
   * The timeout in seconds, `0` when non-blocking, `null` when blocking.
   *
   * @returns The timeout.
   *
   * @example
   * ```ts
   * import { socket } from "@pysocket/socket";
   * import { assertEquals } from "@std/assert";
   *
   * using s = socket();
   * assertEquals(s.gettimeout(), null);
   * ```
   */
  gettimeout(): number | null {
    return this.#timeout;
  }

  /**
   * `setblocking(true)` is `settimeout(null)`; `setblocking(false)` is
   * `settimeout(0)`.
   *
   * @param flag Block or not.
   *
   * @example
   * ```ts
   * import { socket } from "@pysocket/socket";
   * import { assertEquals } from "@std/assert";
   *
   * using s = socket();
   * s.setblocking(false);
   * assertEquals(s.gettimeout(), 0);
   * ```
   */
  setblocking(flag: boolean): void {
    this.settimeout(flag ? null : 0);
  }

  /**
   * `false` only in non-blocking mode (timeout `0`).
   *
   * @returns Whether operations may wait.
   *
   * @example
   * ```ts
   * import { socket } from "@pysocket/socket";
   * import { assertEquals } from "@std/assert";
   *
   * using s = socket();
   * assertEquals(s.getblocking(), true);
   * ```
   */
  getblocking(): boolean {
    return this.#timeout !== 0;
  }

  /**
   * Python's repr: `<socket.socket fd=3, family=2, type=1, proto=0,
   * laddr=('127.0.0.1', 12345)>`, `[closed]` once closed.
   *
   * @returns The repr.
   *
   * @example
   * ```ts
   * import { socket } from "@pysocket/socket";
   * import { assertEquals } from "@std/assert";
   *
   * const s = socket();
   * s.close();
   * assertEquals(String(s), "<socket.socket [closed] fd=-1, family=2, type=1, proto=0>");
   * ```
   */
  toString(): string {
    const head = this.#closed ? "<socket.socket [closed] " : "<socket.socket ";
    let out =
      `${head}fd=${this.fileno()}, family=${this.#family}, type=${this.#type}, proto=${this.#proto}`;
    if (!this.#closed) {
      // As CPython: str() of each address, left out when empty.
      const laddr = this.getsockname();
      if (laddr !== "") out += `, laddr=${strAddress(laddr)}`;
      const raw = this.#transport.remoteAddr();
      const raddr = raw === null ? "" : fromRaw(this.#family, raw);
      if (raddr !== "") out += `, raddr=${strAddress(raddr)}`;
    }
    return `${out}>`;
  }

  /** Deno's `console.log` shows the repr. */
  [inspect](): string {
    return this.toString();
  }

  /** Node's `util.inspect` shows the repr. */
  [nodeInspect](): string {
    return this.toString();
  }
}

/**
 * The type of {@linkcode socket}: Python's `socket.socket` as a callable
 * that works with and without `new`, and with `instanceof`. The socket's
 * type follows the family and type given (`AF_INET` and `SOCK_STREAM` when
 * left out).
 *
 * @example
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import { assert } from "@std/assert";
 *
 * const make: socket.SocketConstructor = socket.socket;
 * using s = make(socket.AF_INET, socket.SOCK_DGRAM);
 * assert(s instanceof socket.socket);
 * ```
 */
export interface SocketConstructor {
  /** `socket(family, type, proto, fileno)`: a new {@linkcode Socket}. */
  <
    F extends number = typeof AF_INET,
    T extends number = typeof SOCK_STREAM,
  >(
    family?: F,
    type?: T,
    proto?: number,
    fileno?: number | null,
  ): Socket<F, T>;
  /** `new socket(family, type, proto, fileno)`: a new {@linkcode Socket}. */
  new <
    F extends number = typeof AF_INET,
    T extends number = typeof SOCK_STREAM,
  >(
    family?: F,
    type?: T,
    proto?: number,
    fileno?: number | null,
  ): Socket<F, T>;
  /** `Socket.prototype`, so that `s instanceof socket` holds. */
  readonly prototype: Socket;
}

/**
 * Makes a socket, as Python's `socket.socket(family, type, proto)`; also
 * usable with `new` and with `instanceof`. Its type follows the family and
 * type given: `socket(AF_INET, SOCK_DGRAM)` is a
 * `Socket<typeof AF_INET, typeof SOCK_DGRAM>`, whose addresses are
 * `[host: string, port: number]` and whose `recvfrom()` always names the
 * sender; `socket()` is AF_INET and SOCK_STREAM, as in Python.
 *
 * @example A UDP echo, typed without casts
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * using server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
 * server.bind(["127.0.0.1", 0]);
 * using client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
 * await client.sendto(new TextEncoder().encode("ping"), server.getsockname());
 *
 * const [data, addr] = await server.recvfrom(1024); // addr: [string, number]
 * await server.sendto(data, addr);
 * assertEquals(new TextDecoder().decode(await client.recv(1024)), "ping");
 * ```
 *
 * @example `instanceof`, as with Python's class
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import { assert } from "@std/assert";
 *
 * using s = socket.socket(socket.AF_INET, socket.SOCK_STREAM);
 * assert(s instanceof socket.socket);
 * ```
 */
export const socket: SocketConstructor = Object.assign(
  function socket(
    family?: number,
    type?: number,
    proto?: number,
    fileno?: number | null,
  ): Socket {
    return new Socket(family, type, proto, fileno);
  },
  { prototype: Socket.prototype },
) as unknown as SocketConstructor;
