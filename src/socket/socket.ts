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
  type Endpoint,
  fromRaw,
  type SenderOf,
  strAddress,
  toEndpoint,
  unboundAddress,
  unresolvedHost,
} from "./address.ts";
import {
  AF_INET,
  AF_INET6,
  AF_UNIX,
  IPPROTO_TCP,
  IPPROTO_UDP,
  MSG_DONTWAIT,
  MSG_NOSIGNAL,
  MSG_PEEK,
  MSG_TRUNC,
  MSG_WAITALL,
  SOCK_CLOEXEC,
  SOCK_DGRAM,
  SOCK_NONBLOCK,
  SOCK_RAW,
  SOCK_STREAM,
} from "./constants.ts";
import {
  BlockingIOError,
  errnoError,
  gaierror,
  herror,
  OSError,
  timedOut,
  TimeoutError,
  TypeError,
  ValueError,
} from "./errors.ts";
import { UnsupportedOperation } from "./makefile/unsupported_operation.ts";
import { errnoEntry, type ErrnoName } from "../_py/errno.ts";
import { isDenied, mapError } from "../_io/boundary.ts";
import { armWait, type WaitMs } from "../_io/pending.ts";
import {
  type ArgSpec,
  attribute,
  bytesLike,
  checkArgs,
  checkBufsize,
  checkCInt,
  checkInt,
  checkTimeout,
  memoryview,
  method,
  positional,
  pyInt,
  pyRepr,
  pyTruthy,
  pyTypeName,
  writableBuffer,
} from "../_py/pytype.ts";
import { StreamTransport } from "../_io/stream.ts";
import { hostsAddress, resolveHost } from "./_resolver.ts";
import {
  closeDescriptor,
  type Descriptor,
  descriptor,
  duplicateDescriptor,
  openDescriptor,
  processState,
} from "../_io/fd_table.ts";
import type { Transport } from "../_io/transport.ts";
import type { RawAddr } from "../_backend/mod.ts";
import {
  checkBuflen,
  getOption,
  optionArgument,
  setOption,
  setOptionWithoutValue,
} from "../_io/options.ts";
import { datagramTransport } from "../_io/datagram.ts";
import { type FileOf, makefile, type MakefileOptions } from "./makefile/mod.ts";
import { BufferedReader } from "./makefile/buffered_reader.ts";
import { BufferedWriter } from "./makefile/buffered_writer.ts";
import { INTO_FIRST, readsDirectly, SocketIO } from "./makefile/socket_io.ts";
import { EVERY, inTurn, turnAt } from "../_io/turns.ts";
import { releaseIdle } from "../_io/deadlines.ts";
import { pyNames } from "../_py/repr.ts";
import { readableStream, writableStream } from "./streams.ts";
import {
  ERROR,
  HANGUP,
  READ_HANGUP,
  READABLE,
  SELECT_WRITE,
} from "./_readiness.ts";
import { waitReady } from "../select/_wait.ts";

/**
 * What Python calls a bytes-like object: any `ArrayBufferView` (`Uint8Array`,
 * `DataView`, …) or `ArrayBuffer`.
 *
 * @example Any view or buffer is bytes
 * ```ts
 * import { type BytesLike, socketpair } from "@pysocket/socket";
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
  checkArgs(
    {
      name: "_socket.getdefaulttimeout",
      style: "noargs",
      params: [],
      required: 0,
    },
    arguments,
  );
  return processState.defaultTimeout;
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
  checkArgs(
    {
      name: "_socket.setdefaulttimeout",
      style: "o",
      params: ["timeout"],
      required: 1,
    },
    arguments,
  );
  // (The process's: one setting for every copy of the library, as
  // Python's one module has.)
  processState.defaultTimeout = checkTimeout(timeout);
}

/**
 * A file {@linkcode Socket.prototype.sendfile} can read: a `Deno.FsFile` is
 * one.
 *
 * @example Anything with read() and seek(), as Deno's files
 * ```ts
 * import { type SendableFile, socketpair } from "@pysocket/socket";
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
 *   seek(offset, whence) {
 *     at = whence === 0 ? offset : at + offset;
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
  /**
   * Moves to `offset` from the start (`whence` 0) or from where it is (1);
   * resolves to the new position.
   */
  seek(offset: number, whence: 0 | 1): Promise<number>;
}

/**
 * A Python file object, as {@linkcode Socket.prototype.sendfile} reads one
 * (CPython's `_sendfile_use_send()`): `read(n)` returns bytes (or a promise of
 * them), `tell` tells it from a file as Deno's; `seek` is used when there. A
 * `BytesIO` is one, and so is a `makefile("rb")` file (a socket: nothing to
 * send).
 *
 * @example Anything with read(n) and tell(), as Python's files
 * ```ts
 * import { type PythonFile, socketpair } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * const bytes = new TextEncoder().encode("Hello World");
 * let at = 0;
 * const file: PythonFile = {
 *   read(size) {
 *     const out = bytes.slice(at, at + size);
 *     at += out.length;
 *     return out;
 *   },
 *   tell: () => at,
 * };
 * const [a, b] = await socketpair();
 * assertEquals(await a.sendfile(file), 11);
 * assertEquals(new TextDecoder().decode(await b.recv(16)), "Hello World");
 * a.close();
 * b.close();
 * ```
 */
export interface PythonFile {
  /** Up to `size` bytes; empty at end of file. */
  read(size: number): ArrayBufferView | Promise<ArrayBufferView | null> | null;
  /** Where it is. */
  tell(): number | Promise<number>;
  /** Moves to `offset` from the start. */
  seek?(offset: number | bigint): unknown;
  /** The descriptor (`UnsupportedOperation` for none). */
  fileno?(): number;
  /** The mode it was opened with: a text one (no `"b"`) is refused. */
  readonly mode?: string;
}

/**
 * CPython's `_check_sendfile_params()`: a text file, a socket that is not
 * `SOCK_STREAM`, a `count` that is not a positive int are refused, in that
 * order.
 *
 * @returns The count as a number, `null` for none.
 */
function checkSendfileParams(
  file: unknown,
  type: number,
  count: unknown,
): number | null {
  const mode = attribute(file, "mode");
  if (typeof mode === "string" && !mode.includes("b")) {
    throw new ValueError("file should be opened in binary mode");
  }
  if (!(type & SOCK_STREAM)) {
    throw new ValueError("only SOCK_STREAM type sockets are supported");
  }
  if (count === null || count === undefined) return null;
  if (
    typeof count !== "boolean" && typeof count !== "bigint" &&
    !Number.isInteger(count)
  ) {
    throw new TypeError(
      `count must be a positive integer (got ${pyRepr(count)})`,
    );
  }
  if (Number(count) <= 0) {
    throw new ValueError(
      `count must be a positive integer (got ${pyRepr(count)})`,
    );
  }
  return Number(count);
}

/**
 * Python's `offset + total_sent` in `_sendfile_use_send()`: an int's sum
 * (a bigint stays one), else Python's `TypeError` (`None`'s, for one).
 */
function offsetPlus(offset: unknown, total: number): number | bigint {
  if (typeof offset === "bigint") return offset + BigInt(total);
  if (typeof offset === "number" || typeof offset === "boolean") {
    return Number(offset) + total;
  }
  throw new TypeError(
    `unsupported operand type(s) for +: '${pyTypeName(offset)}' and 'int'`,
  );
}

/**
 * CPython's `socket._sendfile_use_send()`, which `SSLSocket.sendfile()` uses
 * under TLS (no `os.sendfile()` there) and
 * {@linkcode Socket.prototype.sendfile} for a Python file object:
 * `_check_sendfile_params()`, then a non-blocking socket is refused (before the
 * file is looked at: an empty one too), then `file.seek(offset)` for a true
 * `offset`, reads of 8192 bytes at most (`count` in all) from where the file
 * is, each sent by `sock.send()`, and `file.seek(offset + sent)` once any went
 * (so an `offset` of `null` raises `TypeError` after sending, as Python's). A
 * `BlockingIOError` from `send()` (the socket made non-blocking meanwhile) is
 * retried once the socket is writable, as Python's retries it. A Python file
 * (one with `tell`) is read by `read(n)`; one as Deno's by `read(p)`, and
 * sought with `seek(offset, 0)`.
 *
 * @param sock The socket that sends.
 * @param file The file.
 * @param offset Where to seek to first (when true, as Python's).
 * @param count How many bytes at most (`null`: to the end).
 * @returns The number of bytes sent.
 * @throws {ValueError} `non-blocking sockets are not supported`, and
 * {@linkcode Socket.prototype.sendfile}'s errors for its arguments.
 */
export async function sendfileUseSend(
  sock: Socket,
  file: SendableFile | PythonFile,
  offset: unknown,
  count: unknown,
): Promise<number> {
  const limit = checkSendfileParams(file, sock.type, count);
  if (sock.gettimeout() === 0) {
    throw new ValueError("non-blocking sockets are not supported");
  }
  const python = typeof attribute(file, "tell") === "function";
  const seek = (to: unknown): unknown =>
    python
      ? method<(offset: unknown) => unknown>(file, "seek")(to)
      : method<(offset: unknown, whence: 0) => unknown>(file, "seek")(to, 0);
  if (pyTruthy(offset)) await seek(offset);
  let blocksize = limit === null ? 8192 : Math.min(limit, 8192);
  const read = method<(arg: unknown) => unknown>(file, "read");
  let total = 0;
  try {
    while (true) {
      if (limit !== null) {
        blocksize = Math.min(limit - total, blocksize);
        if (blocksize <= 0) break;
      }
      let data: Uint8Array;
      if (python) data = memoryview(await read(blocksize));
      else {
        const chunk = new Uint8Array(blocksize);
        data = chunk.subarray(0, readCount(await read(chunk), blocksize));
      }
      if (data.length === 0) break;
      while (true) {
        let sent: number;
        try {
          sent = await sock.send(data);
        } catch (err) {
          if (!(err instanceof BlockingIOError)) throw err;
          // Python's `continue`: the socket went non-blocking meanwhile.
          // Tried again once it can take bytes (and never before a turn
          // of the event loop), not in a loop of microtasks.
          await waitReady(new Map([[sock.fileno(), SELECT_WRITE]]), null);
          continue;
        }
        total += sent;
        if (sent >= data.length) break;
        data = data.subarray(sent);
      }
    }
    return total;
  } finally {
    if (total > 0 && typeof attribute(file, "seek") === "function") {
      await seek(offsetPlus(offset, total));
    }
  }
}

/**
 * Linux's checks in `socket()`, in its order: the family (97), the type's
 * range (22), then the family's own: `unix_create()` the protocol (93)
 * before the type (94); `inet_create()` the protocol's range (22), then
 * what it offers for the type and protocol (94, 93). Raw sockets the
 * runtime cannot make at all.
 */
function checkKind(family: number, type: number, proto: number): void {
  if (![AF_INET, AF_INET6, AF_UNIX].includes(family)) {
    throw errnoError("EAFNOSUPPORT");
  }
  if (type < 0 || type >= 11) throw errnoError("EINVAL");
  if (family === AF_UNIX) {
    if (proto !== 0 && proto !== AF_UNIX) throw errnoError("EPROTONOSUPPORT");
  } else if (proto < 0 || proto >= 263) {
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
  // A Unix socket's own protocol is PF_UNIX (1).
  const own = family === AF_UNIX
    ? AF_UNIX
    : type === SOCK_STREAM
    ? IPPROTO_TCP
    : IPPROTO_UDP;
  if (proto !== 0 && proto !== own) {
    throw errnoError("EPROTONOSUPPORT");
  }
}

/** The families pysocket makes sockets of. */
const KNOWN_FAMILIES: readonly number[] = [AF_INET, AF_INET6, AF_UNIX];

/**
 * The protocol Linux reports (`SO_PROTOCOL`) for a socket made with
 * protocol 0: TCP's or UDP's, 0 for a Unix socket.
 */
function ownProto(family: number, type: number): number {
  if (family === AF_UNIX) return 0;
  return type === SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP;
}

/**
 * The length of the `sockaddr` CPython's `getsockaddrarg()` makes of a
 * valid `address` of `family`: 16 for IPv4, 28 for IPv6, and for a Unix
 * name its bytes after the 2 of the family (one more for a path's NUL; an
 * abstract or empty name has none).
 */
function addressLength(family: number, address: unknown): number {
  if (family === AF_INET) return 16;
  if (family === AF_INET6) return 28;
  const name = typeof address === "string"
    ? new TextEncoder().encode(address)
    : bytesLike(address);
  return 2 + name.length + (name.length > 0 && name[0] !== 0 ? 1 : 0);
}

/** Linux's `MSG_*` flags by bit, for the error that refuses one. */
const FLAG_NAMES: Record<number, string> = {
  0x1: "MSG_OOB",
  0x2: "MSG_PEEK",
  0x4: "MSG_DONTROUTE",
  0x8: "MSG_CTRUNC",
  0x20: "MSG_TRUNC",
  0x40: "MSG_DONTWAIT",
  0x80: "MSG_EOR",
  0x100: "MSG_WAITALL",
  0x800: "MSG_CONFIRM",
  0x2000: "MSG_ERRQUEUE",
  0x4000: "MSG_NOSIGNAL",
  0x8000: "MSG_MORE",
  0x20000000: "MSG_FASTOPEN",
  0x40000000: "MSG_CMSG_CLOEXEC",
};

/** The flags a receive honours (`MSG_WAITALL`: emulated on streams). */
const RECV_FLAGS = MSG_PEEK | MSG_DONTWAIT | MSG_WAITALL;
/**
 * A datagram socket's: `MSG_TRUNC` too (the engine knows each datagram's
 * length; a stream's would discard bytes unread, which it refuses).
 */
const DATAGRAM_RECV_FLAGS = RECV_FLAGS | MSG_TRUNC;
/** The flags a send honours (no runtime raises `SIGPIPE`: `MSG_NOSIGNAL`). */
const SEND_FLAGS = MSG_DONTWAIT | MSG_NOSIGNAL;

/**
 * `flags` for recv/send: a C int (CPython's errors for what is not one),
 * then what pysocket honours, else `EOPNOTSUPP` naming what it cannot.
 */
function checkFlags(flags: unknown, allowed: number): number {
  const f = checkCInt(flags, "i");
  const unsupported = (f & ~allowed) >>> 0;
  if (unsupported !== 0) {
    const names: string[] = [];
    for (let bit = 1; bit !== 0 && bit <= unsupported; bit = (bit << 1) >>> 0) {
      if (unsupported & bit) names.push(FLAG_NAMES[bit] ?? "");
    }
    throw errnoError("EOPNOTSUPP", {
      detail: names.includes("")
        ? `flags 0x${unsupported.toString(16)}`
        : names.join("|"),
    });
  }
  return f;
}

/**
 * `sendfile()`'s offset for a regular file, as `os.sendfile()` takes it:
 * an int (`TypeError`) that fits a C long (`OverflowError: Python int too
 * large to convert to C long`); a negative one is the `EINVAL` its
 * fallback's `seek()` meets.
 */
function sendfileOffset(offset: unknown): number {
  const n = checkCInt(offset, "long");
  if (n < 0) throw errnoError("EINVAL");
  return n;
}

/**
 * What a file's `read(p)` resolved to, as a count of the `want` bytes it
 * could have read (`null`: end of file, `0`). Else Python's errors for a
 * `readinto()` that returns something else: `TypeError: 'dict' object
 * cannot be interpreted as an integer`, `OSError: raw readinto() returned
 * invalid length -1 (should have been between 0 and 8192 bytes)`.
 */
function readCount(n: unknown, want: number): number {
  if (n === null || n === undefined) return 0;
  const count = pyInt(n);
  if (count === undefined) checkInt(n);
  if (count! < 0n || count! > BigInt(want)) {
    throw new OSError(
      `raw readinto() returned invalid length ${count} (should have been between 0 and ${want} bytes)`,
    );
  }
  return Number(count);
}

/**
 * CPython's `os.fstat(fileno).st_size == 0` for a file as Deno's: its
 * `stat()` when it has one, else whether a read at its start finds
 * nothing (the position is put back).
 */
async function emptyFile(
  file: SendableFile,
  seek: SendableFile["seek"],
  read: SendableFile["read"],
): Promise<boolean> {
  if (typeof attribute(file, "stat") === "function") {
    const info = await method<() => Promise<unknown>>(file, "stat")();
    const size = attribute(info, "size");
    if (typeof size === "number" || typeof size === "bigint") {
      return Number(size) === 0;
    }
  }
  const origin = await seek(0, 1);
  try {
    await seek(0, 0);
    // What is not a count is not "empty": the reads that follow raise.
    const n = await read(new Uint8Array(1));
    return n === null || n === 0;
  } finally {
    await seek(origin, 0);
  }
}

/** CPython's argument counts for each method, for their `TypeError`s. */
const ARGS = {
  init: py("socket.__init__", ["family", "type", "proto", "fileno"], 0),
  accept: py("socket.accept", [], 0),
  bind: one("socket.bind", "address"),
  close: py("socket.close", [], 0),
  connect: one("socket.connect", "address"),
  connect_ex: one("socket.connect_ex", "address"),
  detach: py("socket.detach", [], 0),
  dup: py("socket.dup", [], 0),
  fileno: none("socket.fileno"),
  getpeername: none("socket.getpeername"),
  getsockname: none("socket.getsockname"),
  getblocking: none("socket.getblocking"),
  get_inheritable: py("socket.get_inheritable", [], 0),
  set_inheritable: py("socket.set_inheritable", ["inheritable"], 1),
  gettimeout: none("socket.gettimeout"),
  getsockopt: tuple("getsockopt", ["level", "optname", "buflen"], 2),
  listen: tuple("listen", ["backlog"], 0),
  makefile: py("socket.makefile", ["mode", "buffering"], 0),
  recv: tuple("recv", ["bufsize", "flags"], 1),
  recvfrom: tuple("recvfrom", ["bufsize", "flags"], 1),
  recv_into: clinic("recv_into", ["buffer", "nbytes", "flags"], 1),
  recvfrom_into: clinic("recvfrom_into", ["buffer", "nbytes", "flags"], 1),
  send: tuple("send", ["data", "flags"], 1),
  sendall: tuple("sendall", ["data", "flags"], 1),
  sendto: {
    name: "sendto",
    style: "or",
    params: ["data", "flags", "address"],
    required: 2,
  } as ArgSpec,
  sendfile: py("socket.sendfile", ["file", "offset", "count"], 1),
  setblocking: one("socket.setblocking", "flag"),
  settimeout: one("socket.settimeout", "value"),
  setsockopt: tuple("setsockopt", ["level", "optname", "value"], 3),
  shutdown: one("socket.shutdown", "how"),
};

function py(name: string, params: string[], required: number): ArgSpec {
  return { name, style: "py", params, required, method: true };
}

function one(name: string, param: string): ArgSpec {
  return { name, style: "o", params: [param], required: 1 };
}

function none(name: string): ArgSpec {
  return { name, style: "noargs", params: [], required: 0 };
}

function tuple(name: string, params: string[], required: number): ArgSpec {
  return { name, style: "tuple", params, required };
}

function clinic(name: string, params: string[], required: number): ArgSpec {
  return { name, style: "clinic", params, required };
}

/**
 * A blocking call made under `SO_RCVTIMEO` or `SO_SNDTIMEO`: its time
 * running out is the kernel's answer, `errno` (`EAGAIN`, as Linux's
 * blocking call that waited its timeout; a connect's `EINPROGRESS`), not
 * Python's `TimeoutError`.
 */
export function timedByOption<T>(
  op: Promise<T>,
  errno: ErrnoName = "EAGAIN",
): Promise<T> {
  return op.catch((err) => {
    throw err instanceof TimeoutError ? errnoError(errno) : err;
  });
}

/**
 * A socket class whose I/O a layer above does (`SSLSocket` under TLS)
 * answers `true` under this key while it does: its calls then do not
 * obey `SO_RCVTIMEO`/`SO_SNDTIMEO` (see `Socket.#obeys`).
 */
export const layered: unique symbol = Symbol("pysocket.layered");

/**
 * Socket calls made, counted here for turns (see turns.ts): an answer goes
 * through `turnAt` on every 128th call only, as a call on every call's
 * path cost V8's inlining of the calls themselves (4% of a round trip of a
 * concurrent echo server on Node, by callgrind).
 */
let calls = 0;

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
  /** `#family` is one pysocket makes sockets of (CPython knows its addresses). */
  #knownFamily: boolean;
  #type: number;
  #proto: number;
  /**
   * The family and type the socket really has, which its I/O follows:
   * those it was made with, whatever another object over its descriptor
   * was told (`family`, `type` and `proto` only report what was given).
   */
  #kindFamily: number;
  #kindType: number;
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
      checkArgs(ARGS.init, arguments);
      // -1 means "the default" (or, with a fileno, "the socket's own").
      const f = checkCInt(family, "int");
      const t = checkCInt(type, "int");
      const p = checkCInt(proto, "int");
      let entry: Descriptor | undefined;
      if (fileno !== null && fileno !== undefined) {
        // As CPython's PyLong_AsSocket_t: a C long, cut to an int (`| 0`
        // wraps modulo 2**32, as a C cast does).
        const fd = checkCInt(fileno, "long") | 0;
        if (fd < 0) throw new ValueError("negative file descriptor");
        entry = descriptor(fd);
        if (entry === undefined) throw errnoError("EBADF");
        this.#fd = fd;
      }
      this.#family = f !== -1 ? f : entry?.family ?? AF_INET;
      this.#knownFamily = KNOWN_FAMILIES.includes(this.#family);
      const rawType = t !== -1 ? t : entry?.type ?? SOCK_STREAM;
      this.#type = rawType & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (entry !== undefined) {
        // As CPython: what is left out (-1) is asked of the descriptor
        // (SO_DOMAIN, SO_TYPE, SO_PROTOCOL: the protocol the kernel chose),
        // what is given is taken as it is, unchecked.
        this.#proto = p !== -1 ? p : ownProto(entry.family, entry.type);
        this.#kindFamily = entry.family;
        this.#kindType = entry.type;
      } else {
        this.#proto = p !== -1 ? p : 0;
        checkKind(this.#family, this.#type, this.#proto);
        this.#kindFamily = this.#family;
        this.#kindType = this.#type;
      }
      this.#timeout = rawType & SOCK_NONBLOCK ? 0 : processState.defaultTimeout;
      if (entry !== undefined) {
        this.#transport = entry.transport;
      } else {
        this.#transport = this.#type === SOCK_STREAM
          ? new StreamTransport(this.#family)
          : datagramTransport(this.#family);
        this.#fd = openDescriptor(
          this.#transport,
          this.#family,
          this.#type,
          this.#proto,
        );
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
    const fd = openDescriptor(
      transport,
      like.#kindFamily,
      like.#kindType,
      descriptor(like.#fd)?.proto ?? like.#proto,
    );
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

  /** The flags this socket's receives honour. */
  #recvFlags(): number {
    return this.#type === SOCK_DGRAM ? DATAGRAM_RECV_FLAGS : RECV_FLAGS;
  }

  /** How long an operation may wait now, in ms (`null`: as long as needed). */
  #waitMs(flags = 0): WaitMs {
    // MSG_DONTWAIT makes a blocking call non-blocking. With a timeout it
    // changes nothing: CPython's socket is non-blocking underneath then,
    // and waits for readiness up to the timeout before each call.
    if (this.#timeout === null) return flags & MSG_DONTWAIT ? 0 : null;
    return this.#timeout * 1000;
  }

  /**
   * Whether this socket's calls obey `SO_RCVTIMEO`/`SO_SNDTIMEO`: not while
   * a layer above does its I/O through them (`SSLSocket` under TLS, whose
   * reads and writes are OpenSSL's: CPython's loop takes up again a
   * blocking one that the option cut short, so the option never ends
   * them; before the handshake and after `unwrap()` it obeys). Asked only
   * while one is set.
   */
  #obeys(): boolean {
    return !(this as { [layered]?: () => boolean })[layered]?.();
  }

  /**
   * An address given to this socket, parsed as CPython parses it: by the
   * family the object was given (`bind(): bad family` for one it does not
   * know). An address of another family than the socket really has gets
   * Linux's answer: from an IP socket, `EINVAL` when the address (as long
   * as CPython makes it, {@linkcode addressLength}) is shorter than the
   * socket's own (16 bytes for IPv4, 24 for IPv6), else `EAFNOSUPPORT`
   * (an IPv6 datagram's `sendto()` refuses any but IP with `EINVAL`); from
   * a Unix socket, always `EINVAL`.
   */
  #endpoint(address: unknown, fn: string): Endpoint {
    if (!this.#knownFamily) {
      throw new OSError(`${fn}(): bad family`);
    }
    const ep = toEndpoint(
      this.#family,
      address,
      fn,
      this.#kindType === SOCK_DGRAM,
    );
    if (this.#family !== this.#kindFamily) {
      const own = this.#kindFamily;
      if (
        own === AF_UNIX ||
        addressLength(this.#family, address) < (own === AF_INET ? 16 : 24) ||
        (fn === "sendto" && own === AF_INET6 && this.#kindType === SOCK_DGRAM)
      ) {
        throw errnoError("EINVAL");
      }
      throw errnoError("EAFNOSUPPORT");
    }
    return ep;
  }

  /**
   * Rejects with `err`, mapped; where it is a range error of an address
   * whose host is a name (`unresolvedHost`), only once the name is found:
   * CPython looks it up first, and its error (`gaierror`) is raised instead.
   */
  #rejectAfterLookup(err: unknown): Promise<never> {
    const host = unresolvedHost(err);
    const fail = (e: unknown) => Promise.reject(mapError(e, this.#closed));
    if (host === undefined) return fail(err);
    return resolveHost(host, this.#family).then(() => fail(err), fail);
  }

  /**
   * CPython's `getsockaddrlen()`: an object given a family it does not
   * know has no address length to ask the kernel with.
   */
  #addressLength(): void {
    if (!this.#knownFamily) {
      throw new OSError("getsockaddrlen: bad family");
    }
  }

  #open(): void {
    if (this.#closed || !this.#holdsFd()) throw errnoError("EBADF");
  }

  /** The descriptor is still this socket's (`socket.close(fd)` frees it). */
  #holdsFd(): boolean {
    return descriptor(this.#fd)?.transport === this.#transport;
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
      checkArgs(ARGS.bind, arguments);
      // As CPython: the address is checked before the descriptor.
      const ep = this.#endpoint(address, "bind");
      this.#open();
      this.#transport.bind(ep);
    } catch (err) {
      // (Binding is synchronous: a name is looked up in /etc/hosts.)
      const host = unresolvedHost(err);
      if (host !== undefined) hostsAddress(host, this.#family);
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
      checkArgs(ARGS.listen, arguments);
      const n = checkCInt(backlog, "i");
      this.#open();
      this.#transport.listen(n);
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
      checkArgs(ARGS.accept, arguments);
      this.#open();
      this.#addressLength();
      // A blocking accept waits SO_RCVTIMEO at most, as Linux's.
      const ms = this.#waitMs();
      const transport = this.#transport;
      const timeo = ms === null ? transport.side.options.rcvtimeo : null;
      const accepting = transport.side.kind === "datagram"
        ? this.#acceptDatagram(ms)
        : timeo === null
        ? transport.accept(ms)
        : timedByOption(transport.accept(timeo.ms));
      const answer: Promise<[Socket<F, T>, AddressOf<F>]> = accepting.then(
        ([transport, peer]) => [
          Socket.#around(this, transport),
          fromRaw(this.#kindFamily, peer) as AddressOf<F>,
        ],
        (err) => {
          throw mapError(err, this.#closed);
        },
      );
      return ((++calls & EVERY) !== 0 ? answer : turnAt(answer));
    } catch (err) {
      return inTurn(Promise.reject(mapError(err, this.#closed)));
    }
  }

  /**
   * `accept()` on a datagram socket: Linux's fails at once (`EOPNOTSUPP`),
   * never waiting (so SO_RCVTIMEO plays no part). CPython's, with a
   * timeout, first waits for the socket to poll readable, as any call
   * there: a datagram, a pending error or a shutdown for reading (even one
   * that raised `ENOTCONN`) ends the wait at once; otherwise the timeout
   * passes first (`TimeoutError`).
   */
  #acceptDatagram(ms: WaitMs): Promise<[Transport, RawAddr]> {
    const transport = this.#transport;
    if (ms === null || ms === 0) return transport.accept(ms);
    const polled = () =>
      (transport.poll(READABLE) & (READABLE | ERROR | HANGUP | READ_HANGUP)) !==
        0;
    if (polled()) return transport.accept(0);
    return new Promise((resolve, reject) => {
      const disarm = armWait(ms, () => {
        stop();
        reject(timedOut());
      });
      const stop = transport.watch(() => {
        if (!polled()) return;
        disarm();
        stop();
        transport.accept(0).then(resolve, reject);
      });
    });
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
    return this.#connect(address, "connect", arguments);
  }

  #connect(
    address: AddressLike,
    fn: "connect" | "connect_ex",
    args: IArguments,
  ): Promise<void> {
    try {
      checkArgs(ARGS[fn], args);
      const ep = this.#endpoint(address, fn);
      this.#open();
      // The empty AF_UNIX address names nothing to connect to.
      if ("path" in ep && ep.path === "") throw errnoError("EINVAL");
      const ms = this.#waitMs();
      const timeo = ms === null ? this.#transport.side.options.sndtimeo : null;
      if (timeo !== null) {
        // A blocking connect waits SO_SNDTIMEO at most, as Linux's: then
        // the connection goes on (EINPROGRESS; a Unix one is given up,
        // EAGAIN).
        const answer = timedByOption(
          this.#transport.connect(ep, timeo.ms),
          this.#kindFamily === AF_UNIX ? "EAGAIN" : "EINPROGRESS",
        );
        return ((++calls & EVERY) !== 0 ? answer : turnAt(answer));
      }
      const answer = this.#transport.connect(ep, ms);
      return ((++calls & EVERY) !== 0 ? answer : turnAt(answer));
    } catch (err) {
      return inTurn(this.#rejectAfterLookup(err));
    }
  }

  /**
   * Like {@linkcode Socket.prototype.connect}, but resolves to an error number
   * instead of raising for errors of the connection itself: `0` on success,
   * e.g. `111` when refused, `115` (`EINPROGRESS`) in non-blocking mode and
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
      await this.#connect(address, "connect_ex", arguments);
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
   * Sends bytes; resolves to how many were sent. A blocking socket's send
   * returns once all of them are written, as Linux's blocking send (fewer
   * only when an error ends it part way: the next call raises it); with a
   * timeout or non-blocking, it takes what fits now (possibly fewer).
   *
   * @param data Any `ArrayBufferView` or `ArrayBuffer`.
   * @param flags `0`, `MSG_DONTWAIT` and/or `MSG_NOSIGNAL` (another flag is
   * `[Errno 95] Operation not supported`, naming it).
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
      checkArgs(ARGS.send, arguments);
      const bytes = bytesLike(data);
      const f = checkFlags(flags, SEND_FLAGS);
      this.#open();
      const ms = this.#waitMs(f);
      const timeo = ms === null ? this.#transport.side.options.sndtimeo : null;
      if (timeo !== null && this.#obeys()) {
        const answer = this.#sendTimed(bytes, timeo.ms);
        return ((++calls & EVERY) !== 0 ? answer : turnAt(answer));
      }
      const answer = this.#transport.send(bytes, ms);
      return ((++calls & EVERY) !== 0 ? answer : turnAt(answer));
    } catch (err) {
      return inTurn(Promise.reject(mapError(err, this.#closed)));
    }
  }

  /**
   * Sends all of `data`, or rejects. With a timeout, the whole call must
   * finish in time.
   *
   * @param data Any `ArrayBufferView` or `ArrayBuffer`.
   * @param flags `0`, `MSG_DONTWAIT` and/or `MSG_NOSIGNAL` (another flag is
   * `[Errno 95] Operation not supported`, naming it).
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
      checkArgs(ARGS.sendall, arguments);
      const bytes = bytesLike(data);
      const f = checkFlags(flags, SEND_FLAGS);
      this.#open();
      const ms = this.#waitMs(f);
      const timeo = ms === null ? this.#transport.side.options.sndtimeo : null;
      if (timeo !== null && this.#obeys()) {
        const answer = this.#sendallTimed(bytes, timeo.ms);
        return ((++calls & EVERY) !== 0 ? answer : turnAt(answer));
      }
      const answer = this.#transport.sendall(bytes, ms);
      return ((++calls & EVERY) !== 0 ? answer : turnAt(answer));
    } catch (err) {
      return inTurn(Promise.reject(mapError(err, this.#closed)));
    }
  }

  /**
   * A blocking `send()` under `SO_SNDTIMEO`, as Linux's: it waits until all
   * of `data` is taken or `ms` has passed, then returns what was taken, or
   * raises `EAGAIN` if nothing was. Each step is a timed send, which takes
   * nothing once its time is out: no byte is sent twice or lost.
   */
  async #sendTimed(data: Uint8Array, ms: number): Promise<number> {
    // (Nothing to send returns at once, as Linux's.)
    if (data.length === 0) return await this.#transport.send(data, null);
    const deadline = performance.now() + ms;
    let sent = 0;
    while (sent < data.length) {
      const left = sent === 0 ? ms : deadline - performance.now();
      if (left <= 0) break;
      try {
        sent += await this.#transport.send(
          sent === 0 ? data : data.subarray(sent),
          left,
        );
      } catch (err) {
        // Linux returns what went; an error is the next call's.
        if (sent > 0) break;
        throw err instanceof TimeoutError ? errnoError("EAGAIN") : err;
      }
    }
    return sent;
  }

  /**
   * A blocking `sendall()` under `SO_SNDTIMEO`: CPython's loop of blocking
   * sends, each waiting the option's time, so that it raises `EAGAIN` once
   * one of them could send nothing in it (what went before is gone).
   */
  async #sendallTimed(data: Uint8Array, ms: number): Promise<void> {
    let at = 0;
    do {
      at += await this.#sendTimed(at === 0 ? data : data.subarray(at), ms);
    } while (at < data.length);
  }

  /**
   * Sends a file's bytes, as CPython's `socket.sendfile()` does on Linux;
   * by reading, then sending. Two kinds of file go:
   *
   * - a file as Deno's are (`read(p)` into a buffer, `seek`): a regular
   *   file, sent as by `os.sendfile()`: from `offset` (from the file's
   *   start, wherever it is positioned), `count` bytes or to its end, and
   *   left positioned after the last byte sent, or where it was if none
   *   was. An empty one sends nothing before any other check.
   * - a Python file object (one with `tell`: `read(n)` returning bytes or
   *   a promise of them, as `BytesIO` and `makefile("rb")` files): sent as
   *   CPython's `_sendfile_use_send()` sends it: from where it is (after
   *   `seek(offset)` for an `offset`), then `seek(offset + sent)`. A
   *   `makefile()` file is a socket: nothing to send (`0`). Another
   *   object is read so whatever its `fileno()` returns (CPython would
   *   send a real file's by `os.sendfile()`: the same bytes).
   *
   * @param file An open file, e.g. a `Deno.FsFile`, or a Python file
   * object: `read(n)` returning bytes or a promise of them, `tell()`, and
   * `seek(offset)` used when there (a `BytesIO`, a `makefile("rb")` file).
   * @param offset Where to start reading.
   * @param count How many bytes at most (`null`: to the end).
   * @returns The number of bytes sent.
   * @throws {ValueError} `count must be a positive integer (got 0)`, `only
   * SOCK_STREAM type sockets are supported`, `non-blocking sockets are not
   * supported`, `file should be opened in binary mode`, `Invalid file
   * descriptor: -1` (the socket is closed).
   * @throws {OverflowError} `Python int too large to convert to C long` for
   * an `offset` from `2 ** 63`.
   * @throws {TypeError} `'dict' object cannot be interpreted as an integer`
   * when a file's `read(p)` does not resolve to a count or `null`;
   * `unsupported operand type(s) for +: 'NoneType' and 'int'` for an
   * `offset` of `null` with a Python file object, once its bytes were sent
   * (CPython's `file.seek(offset + total_sent)`).
   *
   * @example A file Deno opened (on Deno; a BytesIO below runs anywhere)
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
   *
   * @example A BytesIO: from where it is
   * ```ts
   * import { socketpair } from "@pysocket/socket";
   * import { BytesIO } from "@pysocket/socket/socketserver";
   * import { assertEquals } from "@std/assert";
   *
   * const [a, b] = await socketpair();
   * const file = new BytesIO(new TextEncoder().encode("Hello World"));
   * file.seek(6);
   * assertEquals(await a.sendfile(file), 5);
   * assertEquals(new TextDecoder().decode(await b.recv(16)), "World");
   * a.close();
   * b.close();
   * ```
   */
  async sendfile(
    file: SendableFile | PythonFile,
    offset: number | bigint = 0,
    count: number | null = null,
  ): Promise<number> {
    try {
      checkArgs(ARGS.sendfile, arguments);
      const limit = checkSendfileParams(file, this.#type, count);
      if (typeof attribute(file, "tell") === "function") {
        const answer = this.#sendPythonFile(
          file as PythonFile,
          offset,
          limit,
        );
        return await ((++calls & EVERY) !== 0 ? answer : turnAt(answer));
      }
      const answer = this.#sendFile(file as SendableFile, offset, limit);
      return await ((++calls & EVERY) !== 0 ? answer : turnAt(answer));
    } catch (err) {
      throw mapError(err, this.#closed);
    }
  }

  /**
   * `sendfile()` of a file as Deno's: CPython's `os.sendfile()` path for a
   * regular file (one that seeks), its `send()` path for one that does not.
   */
  async #sendFile(
    file: SendableFile,
    offset: unknown,
    limit: number | null,
  ): Promise<number> {
    // A file that seeks goes as in CPython's os.sendfile() path: from
    // `offset` itself, and moved only if bytes were sent. One that does
    // not is read where it is, as in its send() path (which seeks only
    // for an offset, and looks up `read` after that).
    const seek = typeof attribute(file, "seek") === "function"
      ? method<SendableFile["seek"]>(file, "seek")
      : null;
    let start = 0;
    if (seek !== null) {
      const read = method<SendableFile["read"]>(file, "read");
      // In os.sendfile()'s order: fstat() (an empty file sends nothing),
      // the timeout, the socket's descriptor (-1 when closed: the
      // selector refuses it), then the offset.
      if (await emptyFile(file, seek, read)) return 0;
      if (this.#timeout === 0) {
        throw new ValueError("non-blocking sockets are not supported");
      }
      if (this.#closed) throw new ValueError("Invalid file descriptor: -1");
      // os.sendfile()'s own arguments: the offset an int that fits a C
      // long (None: the file's position, here the start), the count a C
      // ssize_t.
      if (offset !== null && offset !== undefined) {
        start = sendfileOffset(offset);
      }
      if (limit !== null) checkCInt(limit, "ssize_t");
    } else {
      if (this.#timeout === 0) {
        throw new ValueError("non-blocking sockets are not supported");
      }
      if (pyTruthy(offset)) method(file, "seek");
    }
    const read = method<SendableFile["read"]>(file, "read");
    // The descriptor is checked by the first send, as CPython's.
    this.#open();
    const origin = seek === null ? 0 : await seek(0, 1);
    await seek?.(start, 0);
    const chunk = new Uint8Array(Math.min(limit ?? 1 << 16, 1 << 16));
    let total = 0;
    try {
      while (limit === null || total < limit) {
        const want = limit === null
          ? chunk.length
          : Math.min(chunk.length, limit - total);
        const n = readCount(await read(chunk.subarray(0, want)), want);
        if (n === 0) break;
        // By send(), not sendall(): one that times out has sent nothing,
        // so `total` is what went, and the file is left just past it
        // (a timed-out sendall() may have sent a part it cannot tell).
        let sent = 0;
        try {
          while (sent < n) {
            sent += await this.#sendChunk(chunk.subarray(sent, n));
          }
        } finally {
          total += sent;
        }
      }
    } finally {
      await seek?.(total > 0 ? start + total : origin, 0);
    }
    return total;
  }

  /** One `send()` of `sendfile()`. */
  #sendChunk(data: Uint8Array): Promise<number> {
    return this.#transport.send(data, this.#waitMs());
  }

  /**
   * `sendfile()` of a Python file object: CPython's `os.sendfile()` path
   * sends nothing from a `makefile()` file (its descriptor is a socket's:
   * size 0); other objects go by its `_sendfile_use_send()`
   * ({@linkcode sendfileUseSend}, as `SSLSocket.sendfile()`), as one with no
   * descriptor does (pysocket cannot read a real file's by its number, and
   * pysocket's own numbers are no other object's).
   */
  async #sendPythonFile(
    file: PythonFile,
    offset: unknown,
    limit: number | null,
  ): Promise<number> {
    if (typeof attribute(file, "fileno") === "function") {
      let fd: unknown;
      try {
        fd = await method<() => unknown>(file, "fileno")();
      } catch (err) {
        if (!(err instanceof UnsupportedOperation)) throw err;
      }
      // fstat() of a socket: a size of 0, so nothing is sent.
      if (
        (file instanceof SocketIO || file instanceof BufferedReader ||
          file instanceof BufferedWriter) &&
        typeof fd === "number" && descriptor(fd) !== undefined
      ) return 0;
    }
    return await sendfileUseSend(this, file, offset, limit);
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
   * @param flags `0`, `MSG_DONTWAIT` and/or `MSG_NOSIGNAL` (another flag is
   * `[Errno 95] Operation not supported`, naming it).
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
      checkArgs(ARGS.sendto, arguments);
      const bytes = bytesLike(data);
      const three = address !== undefined;
      const flags = three ? checkFlags(flagsOrAddress, SEND_FLAGS) : 0;
      const ep = this.#endpoint(three ? address : flagsOrAddress, "sendto");
      this.#open();
      // The empty AF_UNIX address: a datagram socket refuses it (a stream
      // socket's sendto() refuses any address, below).
      if (
        "path" in ep && ep.path === "" &&
        this.#transport.side.kind === "datagram"
      ) throw errnoError("EINVAL");
      const ms = this.#waitMs(flags);
      const timeo = ms === null ? this.#transport.side.options.sndtimeo : null;
      if (timeo !== null && this.#obeys()) {
        const answer = timedByOption(
          this.#transport.sendto(bytes, ep, timeo.ms),
        );
        return ((++calls & EVERY) !== 0 ? answer : turnAt(answer));
      }
      const answer = this.#transport.sendto(bytes, ep, ms);
      return ((++calls & EVERY) !== 0 ? answer : turnAt(answer));
    } catch (err) {
      return inTurn(this.#rejectAfterLookup(err));
    }
  }

  /**
   * Receives up to `bufsize` bytes; an empty array means the peer closed.
   * Bytes that arrive after a call timed out are what the next call gets.
   *
   * @param bufsize The most bytes to return.
   * @param flags `0`, `MSG_PEEK`, `MSG_DONTWAIT` and/or `MSG_WAITALL` (on a
   * blocking stream socket: wait for all of it, or the end of the stream).
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
  recv(bufsize: number, flags: number = 0): Promise<Uint8Array<ArrayBuffer>> {
    try {
      checkArgs(ARGS.recv, arguments);
      const n = checkBufsize(bufsize, "recv");
      const f = checkFlags(flags, this.#recvFlags());
      this.#open();
      // As CPython: no system call for nothing (a pending error stays).
      if (n === 0) return inTurn(Promise.resolve(new Uint8Array(0)));
      const ms = this.#waitMs(f);
      const timeo = ms === null ? this.#transport.side.options.rcvtimeo : null;
      if (timeo !== null && this.#obeys()) {
        const answer = this.#recvTimed(n, f, timeo.ms);
        return ((++calls & EVERY) !== 0 ? answer : turnAt(answer));
      }
      if (this.#waitsAll(f, ms)) {
        const answer = this.#recvAll(n);
        return ((++calls & EVERY) !== 0 ? answer : turnAt(answer));
      }
      const answer = this.#transport.recv(
        n,
        ms,
        !!(f & MSG_PEEK),
        !!(f & MSG_TRUNC),
      ) as Promise<
        Uint8Array<ArrayBuffer>
      >;
      return ((++calls & EVERY) !== 0 ? answer : turnAt(answer));
    } catch (err) {
      return inTurn(Promise.reject(mapError(err, this.#closed)));
    }
  }

  /**
   * Receives into `buffer` (up to `nbytes`, default its length); resolves
   * to the count. Without a timeout the bytes are read straight into
   * `buffer`, with no copy.
   *
   * @param buffer A writable `ArrayBufferView` or `ArrayBuffer`.
   * @param nbytes The most bytes to receive (`0`: the buffer's length).
   * @param flags `0`, `MSG_PEEK`, `MSG_DONTWAIT` and/or `MSG_WAITALL` (on a
   * blocking stream socket: wait for all of it, or the end of the stream).
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
      checkArgs(ARGS.recv_into, arguments);
      const into = this.#intoView(buffer, nbytes, "recv_into");
      const f = checkFlags(flags, this.#recvFlags());
      this.#open();
      const ms = this.#waitMs(f);
      const timeo = ms === null ? this.#transport.side.options.rcvtimeo : null;
      if (timeo !== null && this.#obeys()) {
        const answer = this.#recvIntoTimed(into, f, timeo.ms);
        return ((++calls & EVERY) !== 0 ? answer : turnAt(answer));
      }
      if (this.#waitsAll(f, ms)) {
        const answer = this.#recvIntoAll(into);
        return ((++calls & EVERY) !== 0 ? answer : turnAt(answer));
      }
      const answer = this.#transport.recvInto(
        into,
        ms,
        !!(f & MSG_PEEK),
        !!(f & MSG_TRUNC),
      );
      return ((++calls & EVERY) !== 0 ? answer : turnAt(answer));
    } catch (err) {
      return inTurn(Promise.reject(mapError(err, this.#closed)));
    }
  }

  #intoView(
    buffer: unknown,
    nbytes: unknown,
    fn: "recv_into" | "recvfrom_into",
  ): Uint8Array {
    const view = writableBuffer(buffer, fn);
    const n = checkCInt(nbytes, "ssize_t");
    if (n < 0) throw new ValueError(`negative buffersize in ${fn}`);
    if (n > view.length) {
      throw new ValueError(
        fn === "recv_into"
          ? "buffer too small for requested bytes"
          : "nbytes is greater than the length of the buffer",
      );
    }
    return n === 0 ? view : view.subarray(0, n);
  }

  /**
   * Does this receive wait for all it asked (`MSG_WAITALL`)? As on Linux,
   * only a blocking stream receive does: with a timeout, non-blocking or
   * `MSG_DONTWAIT` it returns what there is, and a datagram is one
   * datagram. Peeking at all of it the runtime cannot do.
   */
  #waitsAll(flags: number, ms: WaitMs): boolean {
    if (!(flags & MSG_WAITALL) || this.#kindType !== SOCK_STREAM) return false;
    if (ms !== null) return false;
    if (flags & MSG_PEEK) {
      throw errnoError("EOPNOTSUPP", { detail: "MSG_WAITALL with MSG_PEEK" });
    }
    return true;
  }

  /**
   * `recv(n, MSG_WAITALL)`: `n` bytes, or fewer at the end of the stream or
   * shut for reading; cut short by an error, the bytes, and the error stays
   * the connection's pending one (Linux's `sk_err`), for whichever call
   * comes first (on any of its descriptors): a receive, a send, `SO_ERROR`,
   * `connect()`; poll() shows it.
   */
  #recvAll(n: number): Promise<Uint8Array<ArrayBuffer>> {
    return (this.#transport as StreamTransport).recvAll(n).catch((err) => {
      throw mapError(err, this.#closed);
    }) as Promise<Uint8Array<ArrayBuffer>>;
  }

  /**
   * A blocking `recv()` under `SO_RCVTIMEO`: it waits `ms` at most, then
   * raises `EAGAIN`, as Linux's; with `MSG_WAITALL` on a stream, see
   * {@linkcode #recvIntoTimed}.
   */
  async #recvTimed(
    n: number,
    flags: number,
    ms: number,
  ): Promise<Uint8Array<ArrayBuffer>> {
    if (!this.#waitsAll(flags, null)) {
      return await timedByOption(this.#transport.recv(
        n,
        ms,
        !!(flags & MSG_PEEK),
        !!(flags & MSG_TRUNC),
      ) as Promise<Uint8Array<ArrayBuffer>>);
    }
    const into = new Uint8Array(n);
    const got = await this.#recvIntoTimed(into, flags, ms);
    return got === n ? into : into.slice(0, got);
  }

  /**
   * A blocking `recv_into()` under `SO_RCVTIMEO`: as {@linkcode #recvTimed}.
   * With `MSG_WAITALL` on a stream it reads until `into` is full, the
   * stream ends or `ms` has passed, as Linux's `tcp_recvmsg()`: then what
   * came, or `EAGAIN` if nothing did. Each step is a timed receive, which
   * takes nothing once its time is out: nothing is lost.
   */
  async #recvIntoTimed(
    into: Uint8Array,
    flags: number,
    ms: number,
  ): Promise<number> {
    if (!this.#waitsAll(flags, null)) {
      return await timedByOption(this.#transport.recvInto(
        into,
        ms,
        !!(flags & MSG_PEEK),
        !!(flags & MSG_TRUNC),
      ));
    }
    const deadline = performance.now() + ms;
    let got = 0;
    while (got < into.length) {
      const left = got === 0 ? ms : Math.max(deadline - performance.now(), 0);
      let n: number;
      try {
        n = await this.#transport.recvInto(into.subarray(got), left, false);
      } catch (err) {
        // Linux returns what came; an error is the next call's.
        if (got > 0) break;
        throw err instanceof TimeoutError ? errnoError("EAGAIN") : err;
      }
      if (n === 0) break;
      got += n;
      if (left === 0) break;
    }
    return got;
  }

  /** `recv_into(buffer, n, MSG_WAITALL)`: as {@linkcode #recvAll}. */
  #recvIntoAll(into: Uint8Array): Promise<number> {
    return (this.#transport as StreamTransport).recvIntoAll(into).catch(
      (err) => {
        throw mapError(err, this.#closed);
      },
    );
  }

  /**
   * Receives up to `bufsize` bytes and the sender's address: `[data,
   * address]`. On a connected TCP socket the address is `null`, as Python's
   * `None`.
   *
   * @param bufsize The most bytes to return.
   * @param flags `0`, `MSG_PEEK`, `MSG_DONTWAIT` and/or `MSG_WAITALL` (on a
   * blocking stream socket: wait for all of it, or the end of the stream).
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
  ): Promise<[Uint8Array<ArrayBuffer>, SenderOf<F, T>]> {
    try {
      checkArgs(ARGS.recvfrom, arguments);
      const n = checkBufsize(bufsize, "recvfrom");
      const f = checkFlags(flags, this.#recvFlags());
      this.#open();
      this.#addressLength();
      const ms = this.#waitMs(f);
      const rcvtimeo = ms === null
        ? this.#transport.side.options.rcvtimeo
        : null;
      const timeo = rcvtimeo !== null && this.#obeys() ? rcvtimeo : null;
      if (timeo !== null && this.#waitsAll(f, ms)) {
        const answer: Promise<[Uint8Array<ArrayBuffer>, SenderOf<F, T>]> = this
          .#recvTimed(n, f, timeo.ms).then((
            data,
          ) => [data, null as SenderOf<F, T>]);
        return ((++calls & EVERY) !== 0 ? answer : turnAt(answer));
      }
      if (timeo !== null) {
        const answer = timedByOption(this.#transport.recvfrom(
          n,
          timeo.ms,
          !!(f & MSG_PEEK),
          !!(f & MSG_TRUNC),
        ) as Promise<[Uint8Array<ArrayBuffer>, SenderOf<F, T>]>);
        return ((++calls & EVERY) !== 0 ? answer : turnAt(answer));
      }
      if (this.#waitsAll(f, ms)) {
        const answer: Promise<[Uint8Array<ArrayBuffer>, SenderOf<F, T>]> = this
          .#recvAll(n).then((
            data,
          ) => [data, null as SenderOf<F, T>]);
        return ((++calls & EVERY) !== 0 ? answer : turnAt(answer));
      }
      const answer = this.#transport.recvfrom(
        n,
        ms,
        !!(f & MSG_PEEK),
        !!(f & MSG_TRUNC),
      ) as Promise<
        [Uint8Array<ArrayBuffer>, SenderOf<F, T>]
      >;
      return ((++calls & EVERY) !== 0 ? answer : turnAt(answer));
    } catch (err) {
      return inTurn(Promise.reject(mapError(err, this.#closed)));
    }
  }

  /**
   * Receives into `buffer` and tells who sent it: `[nbytes, address]`.
   *
   * @param buffer A writable `ArrayBufferView` or `ArrayBuffer`.
   * @param nbytes The most bytes to receive (`0`: the buffer's length).
   * @param flags `0`, `MSG_PEEK`, `MSG_DONTWAIT` and/or `MSG_WAITALL` (on a
   * blocking stream socket: wait for all of it, or the end of the stream).
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
      checkArgs(ARGS.recvfrom_into, arguments);
      const into = this.#intoView(buffer, nbytes, "recvfrom_into");
      const f = checkFlags(flags, this.#recvFlags());
      this.#open();
      this.#addressLength();
      const ms = this.#waitMs(f);
      const rcvtimeo = ms === null
        ? this.#transport.side.options.rcvtimeo
        : null;
      const timeo = rcvtimeo !== null && this.#obeys() ? rcvtimeo : null;
      if (timeo !== null && this.#waitsAll(f, ms)) {
        return [
          await inTurn(this.#recvIntoTimed(into, f, timeo.ms)),
          null as SenderOf<F, T>,
        ];
      }
      if (timeo !== null) {
        const answer = timedByOption(this.#transport.recvfromInto(
          into,
          timeo.ms,
          !!(f & MSG_PEEK),
          !!(f & MSG_TRUNC),
        ) as Promise<[number, SenderOf<F, T>]>);
        return await ((++calls & EVERY) !== 0 ? answer : turnAt(answer));
      }
      if (this.#waitsAll(f, ms)) {
        return [await inTurn(this.#recvIntoAll(into)), null as SenderOf<F, T>];
      }
      const answer = this.#transport.recvfromInto(
        into,
        ms,
        !!(f & MSG_PEEK),
        !!(f & MSG_TRUNC),
      ) as Promise<[number, SenderOf<F, T>]>;
      return await ((++calls & EVERY) !== 0 ? answer : turnAt(answer));
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
      checkArgs(ARGS.shutdown, arguments);
      const h = checkCInt(how, "int");
      this.#open();
      if (h < 0 || h > 2) throw errnoError("EINVAL");
      await inTurn(this.#transport.shutdown(h));
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
    checkArgs(ARGS.detach, arguments);
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
    checkArgs(ARGS.close, arguments);
    if (this.#closed) return;
    if (this.#ioRefs > 0) {
      // CPython closes the descriptor once the last makefile() file closes.
      this.#closeWhenUnused = true;
      return;
    }
    this.#closed = true;
    // Closed under it by socket.close(fd): CPython's close() fails so too.
    if (!this.#holdsFd()) throw errnoError("EBADF");
    // The connection closes with its last descriptor (dup() makes more).
    if (closeDescriptor(this.#fd)) this.#transport.close();
    // (No timer outlives the program's sockets: see deadlines.ts.)
    releaseIdle();
  }

  /**
   * Python's `dup()`: another socket, with a descriptor of its own, over the
   * same connection (as the OS's `dup`), with this one's timeout. The
   * connection closes when the last of them closes.
   *
   * @returns The new socket.
   * @throws {OSError} `[Errno 9] Bad file descriptor` when closed.
   *
   * @example
   * ```ts
   * import { socket } from "@pysocket/socket";
   * import { assertEquals, assertNotEquals } from "@std/assert";
   *
   * using s = socket();
   * s.settimeout(2.5);
   * using d = s.dup();
   * assertNotEquals(d.fileno(), s.fileno());
   * assertEquals(d.gettimeout(), 2.5);
   * ```
   */
  dup(): Socket<F, T> {
    checkArgs(ARGS.dup, arguments);
    this.#open();
    const fd = duplicateDescriptor(this.#fd)!;
    // As CPython's: the same class as this one (a subclass's constructor
    // runs), over the new descriptor.
    const made = this.constructor as new (
      family: F,
      type: T,
      proto: number,
      fileno: number,
    ) => Socket<F, T>;
    let sock: Socket<F, T>;
    try {
      sock = new made(this.#family as F, this.#type as T, this.#proto, fd);
    } catch (err) {
      closeDescriptor(fd);
      throw err;
    }
    if (sock.fileno() !== fd) {
      // A constructor that did not pass the descriptor on (it takes other
      // arguments): Python's call with fileno= fails there.
      closeDescriptor(fd);
      sock.close();
      throw new TypeError(
        `${made.name}.__init__() got an unexpected keyword argument 'fileno'`,
      );
    }
    sock.settimeout(this.gettimeout());
    return sock;
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
    checkArgs(ARGS.makefile, positional(arguments, 2));
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

  /**
   * For `makefile()`'s reader: whether a large `recv_into()` costs fewer
   * copies than `recv()` and a join (see `SocketIO`'s `intoFirst`).
   *
   * @returns Whether the connection places reads in the caller's buffer
   * (not on a non-blocking socket, whose reads are short: a result made
   * whole first would be mostly thrown away).
   *
   * @ignore
   */
  [INTO_FIRST](): boolean {
    return this.#timeout !== 0 && (this.#transport.placesReads?.() ?? false);
  }

  /** `using s = socket()`: closes the socket at the end of the block. */
  [Symbol.dispose](): void {
    // As CPython's __exit__: close() only if it has not been called.
    if (!this.#closed && !this.#closeWhenUnused) this.close();
  }

  /**
   * `await using s = socket()`: waits for writes in flight (at most the
   * socket's timeout, and only while they make progress), closes, then
   * waits until nothing else the socket started is still running. Writes
   * still queued then go on in the background, as after `close()`.
   */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.#transport.drain(this.#waitMs());
    if (!this.#closed && !this.#closeWhenUnused) this.close();
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
      checkArgs(ARGS.getsockname, arguments);
      this.#open();
      this.#addressLength();
      const raw = this.#transport.localAddr();
      return (raw === null
        ? unboundAddress(this.#kindFamily)
        : fromRaw(this.#kindFamily, raw)) as AddressOf<F>;
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
      checkArgs(ARGS.getpeername, arguments);
      this.#open();
      this.#addressLength();
      const raw = this.#transport.remoteAddr();
      if (raw === null) throw errnoError("ENOTCONN");
      return fromRaw(this.#kindFamily, raw) as AddressOf<F>;
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
    checkArgs(ARGS.fileno, arguments);
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
      // Python's fourth form, setsockopt(level, optname, None, optlen),
      // hands the kernel a NULL buffer: Linux's answers to it (EFAULT, or
      // its own checks first), else what Linux sets from none.
      const none = value === null && arguments.length === 4 &&
        arguments[3] !== undefined;
      if (!none) checkArgs(ARGS.setsockopt, arguments);
      let l: number, n: number, optlen = 0;
      try {
        l = checkCInt(level, "i");
        n = checkCInt(optname, "i");
        if (none) {
          // CPython's "I": an unsigned int, masked with no overflow check,
          // which the kernel reads as an int.
          const len = pyInt(arguments[3]);
          if (len === undefined) throw new TypeError("not an int");
          optlen = Number(BigInt.asIntN(32, len));
        }
      } catch (err) {
        // CPython parses the fourth form as "iiO!I"; where that fails, the
        // error is the bytes form's: its count ("takes exactly 3 arguments
        // (4 given)").
        if (none) checkArgs(ARGS.setsockopt, arguments);
        throw err;
      }
      const v = none ? null : optionArgument(value);
      this.#open();
      if (none) setOptionWithoutValue(this.#transport.side, l, n, optlen);
      setOption(this.#transport.side, l, n, v);
    } catch (err) {
      throw mapError(err, this.#closed);
    }
  }

  /**
   * The value of a socket option that is really in force, as an int
   * (Python's `getsockopt(level, optname)`; a `buflen` of `0` is the same).
   *
   * @param level `SOL_SOCKET`, `IPPROTO_TCP`, `IPPROTO_IP` or `IPPROTO_IPV6`.
   * @param optname The option, e.g. `SO_TYPE`.
   * @param buflen `0` or left out: the int.
   * @returns The option's value: an int, as Python's.
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
  getsockopt(level: number, optname: number, buflen?: 0): number;
  /**
   * The value of a socket option that is really in force, packed into
   * `buflen` bytes as the kernel returns it (Python's bytes). A `buflen` of
   * `0` gives the int, as in Python (typed so when it is the literal `0`).
   *
   * @param level `SOL_SOCKET`, `IPPROTO_TCP`, `IPPROTO_IP` or `IPPROTO_IPV6`.
   * @param optname The option, e.g. `SO_LINGER` (`struct linger`).
   * @param buflen Return bytes of this length instead of an int.
   * @returns The option's bytes.
   * @throws {OSError} `[Errno 92] Protocol not available: 'SO_RCVBUF'` for
   * an option whose value the runtime does not reveal.
   *
   * @example
   * ```ts
   * import { SO_TYPE, SOL_SOCKET, socket } from "@pysocket/socket";
   * import { assertEquals } from "@std/assert";
   *
   * using s = socket(); // SOCK_STREAM: 1, as a little-endian C int
   * assertEquals(s.getsockopt(SOL_SOCKET, SO_TYPE, 4), new Uint8Array([1, 0, 0, 0]));
   * ```
   */
  getsockopt(
    level: number,
    optname: number,
    buflen: number,
  ): Uint8Array<ArrayBuffer>;
  getsockopt(
    level: number,
    optname: number,
    buflen?: number,
  ): number | Uint8Array<ArrayBuffer> {
    try {
      checkArgs(ARGS.getsockopt, arguments);
      const l = checkCInt(level, "i");
      const n = checkCInt(optname, "i");
      const size = buflen === undefined ? undefined : checkBuflen(buflen);
      this.#open();
      // SO_TYPE: the kind the socket was made as, as the kernel reports it
      // (an object from fromfd() may have been told another).
      const made = descriptor(this.#fd)!.type;
      return getOption(
        this.#transport.side,
        made,
        l,
        n,
        size,
      ) as
        | number
        | Uint8Array<ArrayBuffer>;
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
      checkArgs(ARGS.settimeout, arguments);
      this.#setTimeout(checkTimeout(value));
    } catch (err) {
      throw mapError(err, this.#closed);
    }
  }

  /** The timeout set (`settimeout`, `setblocking`: neither calls the other). */
  #setTimeout(t: number | null): void {
    // As CPython's: the value is stored before the descriptor's flags are
    // set, so a closed socket raises with it changed.
    this.#timeout = t;
    this.#open();
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
    checkArgs(ARGS.gettimeout, arguments);
    return this.#timeout;
  }

  /**
   * `setblocking(true)` is `settimeout(null)`; `setblocking(false)` is
   * `settimeout(0)`. As in Python, an int is its truth value:
   * `setblocking(0)` is `setblocking(false)`, any other int `true`.
   *
   * @param flag Block or not: a boolean, or an int.
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
  setblocking(flag: boolean | number): void {
    try {
      checkArgs(ARGS.setblocking, arguments);
      this.#setTimeout(checkCInt(flag, "long") ? null : 0);
    } catch (err) {
      throw mapError(err, this.#closed);
    }
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
    checkArgs(ARGS.getblocking, arguments);
    return this.#timeout !== 0;
  }

  /**
   * Whether a child process would inherit the descriptor: never. Deno, Node
   * and Bun open every socket close-on-exec, as CPython does by default (PEP
   * 446), so a program they start inherits none.
   *
   * @returns `false`.
   * @throws {OSError} `[Errno 9] Bad file descriptor` once closed.
   *
   * @example
   * ```ts
   * import { socket } from "@pysocket/socket";
   * import { assertEquals } from "@std/assert";
   *
   * using s = socket();
   * assertEquals(s.get_inheritable(), false);
   * ```
   */
  get_inheritable(): boolean {
    checkArgs(ARGS.get_inheritable, arguments);
    this.#open();
    return false;
  }

  /**
   * Keeps the descriptor from child processes (`false`), as it already is.
   * `true` cannot be honoured: no runtime can clear close-on-exec on a
   * socket, so it raises rather than pretend.
   *
   * @param inheritable An int: false or true.
   * @throws {OSError} `[Errno 95] Operation not supported:
   * set_inheritable(True)`; `[Errno 9] Bad file descriptor` once closed.
   *
   * @example
   * ```ts
   * import { OSError, socket } from "@pysocket/socket";
   * import { assertThrows } from "@std/assert";
   *
   * using s = socket();
   * s.set_inheritable(false);
   * assertThrows(() => s.set_inheritable(true), OSError, "[Errno 95]");
   * ```
   */
  set_inheritable(inheritable: boolean): void {
    checkArgs(ARGS.set_inheritable, arguments);
    const flag = checkCInt(inheritable, "int");
    this.#open();
    if (flag) {
      throw errnoError("EOPNOTSUPP", { detail: "set_inheritable(True)" });
    }
  }

  /**
   * Python's repr: `<socket.socket fd=3, family=2, type=1, proto=0,
   * laddr=('127.0.0.1', 12345)>`, `[closed]` once closed. A subclass's
   * names its class, as an error's does (`class MySock extends
   * socket.socket`: `<MySock fd=3, …>`).
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
    // Closed with a makefile() file open, the descriptor lives on: CPython
    // shows it, "[closed]" and no addresses.
    const closed = this.#closed || this.#closeWhenUnused;
    const own = this.constructor;
    const name = own === Socket ? "socket.socket" : own.name || "socket.socket";
    const head = closed ? `<${name} [closed] ` : `<${name} `;
    let out =
      `${head}fd=${this.fileno()}, family=${this.#family}, type=${this.#type}, proto=${this.#proto}`;
    // As CPython: str() of each address, left out when empty, or when
    // asking fails (the descriptor was closed under it: `socket.close(fd)`).
    if (!closed && this.#holdsFd() && this.#knownFamily) {
      const laddr = this.getsockname();
      if (laddr !== "") out += `, laddr=${strAddress(laddr)}`;
      const raw = this.#transport.remoteAddr();
      const raddr = raw === null ? "" : fromRaw(this.#kindFamily, raw);
      if (raddr !== "") out += `, raddr=${strAddress(raddr)}`;
    }
    return `${out}>`;
  }

  /**
   * Deno's `console.log` shows the repr.
   *
   * @ignore
   */
  [inspect](): string {
    return this.toString();
  }

  /**
   * Node's `util.inspect` shows the repr.
   *
   * @ignore
   */
  [nodeInspect](): string {
    return this.toString();
  }
}

// A file's read(n) may call recv(n) on this class's own objects (on a
// subclass's it calls recv_into(), as CPython's SocketIO does).
readsDirectly(Socket.prototype);
// Python's `type(s).__name__` (`'socket' object cannot be interpreted as
// an integer`).
pyNames({ socket: Socket }, "socket");

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
  /**
   * `socket(family, type, proto, fileno)` with a descriptor: the socket over
   * `fileno`, whose family and type, where left out, are the descriptor's
   * (known only at run time: `Socket<number, number>`).
   */
  <F extends number = number, T extends number = number>(
    family: F | undefined,
    type: T | undefined,
    proto: number | undefined,
    fileno: number,
  ): Socket<F, T>;
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
  /**
   * `new socket(family, type, proto, fileno)` with a descriptor: the socket
   * over `fileno`, whose family and type, where left out, are the
   * descriptor's (known only at run time: `Socket<number, number>`).
   */
  new <F extends number, T extends number>(
    family: F | undefined,
    type: T | undefined,
    proto: number | undefined,
    fileno: number,
  ): Socket<F, T>;
  /** `new socket(family, type, proto)`: a new {@linkcode Socket}. */
  new <F extends number, T extends number = typeof SOCK_STREAM>(
    family: F,
    type?: T,
    proto?: number,
    fileno?: null,
  ): Socket<F, T>;
  /** `new socket(type=…)`: a new AF_INET {@linkcode Socket}. */
  new <T extends number>(
    family: undefined,
    type: T,
    proto?: number,
    fileno?: null,
  ): Socket<typeof AF_INET, T>;
  /**
   * `new socket()`: a new AF_INET, SOCK_STREAM {@linkcode Socket}. (The only
   * signature without type parameters, so that `class MySock extends
   * socket` type-checks, as a subclass of that; `extends socket<F, T>`
   * names others.)
   */
  new (
    family?: typeof AF_INET,
    type?: typeof SOCK_STREAM,
    proto?: number,
    fileno?: null,
  ): Socket<typeof AF_INET, typeof SOCK_STREAM>;
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
    void family, type, proto, fileno;
    // All of them: the constructor counts its arguments, as Python's. A
    // subclass (`class MySock extends socket.socket`) gets its own
    // prototype, as `class MySock(socket.socket)` does in Python.
    return Reflect.construct(Socket, arguments, new.target ?? Socket) as Socket;
  },
  { prototype: Socket.prototype },
) as unknown as SocketConstructor;
pyNames({ socket }, "socket");

/**
 * Python's `socket.socket` in an annotation (`def handle(conn:
 * socket.socket)`): the type of the objects {@linkcode socket} makes, the
 * same as {@linkcode Socket}, with the same parameters.
 *
 * @typeParam F The family (`typeof AF_INET`, …), or `number`: any.
 * @typeParam T The type (`typeof SOCK_STREAM`, …), or `number`: any.
 *
 * @example
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import { assert } from "@std/assert";
 *
 * function handle(conn: socket.socket): number {
 *   return conn.fileno();
 * }
 * using s = socket.socket();
 * assert(handle(s) >= 0);
 * ```
 */
export type socket<F extends number = number, T extends number = number> =
  Socket<F, T>;

/**
 * Python's `socket.SocketType` in an annotation: any {@linkcode Socket}.
 * A type only (Python's is `_socket.socket`, the base class; `instanceof`
 * takes {@linkcode socket} or {@linkcode Socket}).
 *
 * @typeParam F The family (`typeof AF_INET`, …), or `number`: any.
 * @typeParam T The type (`typeof SOCK_STREAM`, …), or `number`: any.
 *
 * @example
 * ```ts
 * import * as socket from "@pysocket/socket";
 *
 * const sockets: socket.SocketType[] = [];
 * using s = socket.socket();
 * sockets.push(s);
 * ```
 */
export type SocketType<F extends number = number, T extends number = number> =
  Socket<F, T>;

/**
 * Python's `socket.AddressFamily` in an annotation: a family (`AF_INET`,
 * …). Python's is an `IntEnum`; here families are numbers, as
 * `Socket.family` returns.
 *
 * @example
 * ```ts
 * import * as socket from "@pysocket/socket";
 *
 * const family: socket.AddressFamily = socket.AF_INET6;
 * using s = socket.socket(family);
 * ```
 */
export type AddressFamily = number;

/**
 * Python's `socket.SocketKind` in an annotation: a socket type
 * (`SOCK_STREAM`, …). Python's is an `IntEnum`; here types are numbers, as
 * `Socket.type` returns.
 *
 * @example
 * ```ts
 * import * as socket from "@pysocket/socket";
 *
 * const kind: socket.SocketKind = socket.SOCK_DGRAM;
 * using s = socket.socket(socket.AF_INET, kind);
 * ```
 */
export type SocketKind = number;
