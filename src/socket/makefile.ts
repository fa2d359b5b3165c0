// Copyright the pysocket authors. MIT license.
/**
 * `socket.makefile()`: a file object over a connected socket, as CPython's
 * `socket.makefile` builds one from `SocketIO`, `io.BufferedReader` /
 * `io.BufferedWriter` and `io.TextIOWrapper`: buffered binary or text
 * reading and writing, with `await` where Python blocks.
 *
 * @module
 */

import { OSError, TimeoutError, ValueError } from "./errors.ts";
import type { BytesLike } from "./socket.ts";
import { bytesLike, checkInt, pyTypeName } from "../_py/pytype.ts";
import {
  checkErrors,
  type Decoder,
  type ErrorHandler,
  lookupCodec,
} from "../_py/codec.ts";

export {
  LookupError,
  UnicodeDecodeError,
  UnicodeEncodeError,
  UnicodeError,
} from "../_py/codec.ts";

/**
 * Python's `io.UnsupportedOperation`: reading a file opened for writing
 * only, or writing one opened for reading only (`not writable`). CPython's
 * class subclasses both `OSError` and `ValueError`; JS has single
 * inheritance, so here it is an {@linkcode OSError} (with `errno` `null`).
 *
 * @example
 * ```ts
 * import { OSError, UnsupportedOperation } from "@pysocket/socket";
 * import { assert } from "@std/assert";
 *
 * assert(new UnsupportedOperation("not writable") instanceof OSError);
 * ```
 */
export class UnsupportedOperation extends OSError {}

/** What a file object needs of its socket (Python's `SocketIO` calls). */
export interface FileSocket {
  recv(bufsize: number): Promise<Uint8Array>;
  send(data: Uint8Array): Promise<number>;
  sendall(data: Uint8Array): Promise<void>;
  fileno(): number;
}

/** Options for {@linkcode makefile}: Python's keyword arguments. */
export interface MakefileOptions {
  /**
   * Text mode's encoding: `"utf-8"`, `"latin-1"` or `"ascii"`, under any of
   * Python's spellings (`"utf8"`, `"UTF_8"`, `"iso-8859-1"`, `"us-ascii"`,
   * …). Ignored in binary mode, as in CPython.
   *
   * @default {"UTF-8"}
   */
  encoding?: string | null;
  /**
   * What text mode does with bytes it cannot decode or characters it cannot
   * encode: `"strict"` raises {@linkcode UnicodeDecodeError} /
   * `UnicodeEncodeError`, `"replace"` puts U+FFFD (decoding) or `?`
   * (encoding), `"ignore"` drops them.
   *
   * @default {"strict"}
   */
  errors?: string | null;
  /**
   * Python's `newline`: `null` reads `\r\n` and `\r` as `\n` (universal
   * newlines); `""` splits lines at any of them and returns them as they
   * came; `"\n"`, `"\r"`, `"\r\n"` split at that ending only, and writing
   * turns `\n` into it.
   *
   * @default {null}
   */
  newline?: string | null;
}

/** What `write()` takes: `str` for text files, bytes for binary ones. */
export type FileInput<T extends string | Uint8Array> = T extends string ? string
  : BytesLike;

/**
 * A file object over a socket, from {@linkcode makefile} (or
 * `Socket.makefile`): `T` is `string` in text mode and `Uint8Array` in
 * binary mode. The reading and writing methods return Promises; they reject
 * with `ValueError` `I/O operation on closed file.` once the file is closed.
 * While a file is open its socket stays open, even after the socket's
 * `close()`, as in CPython.
 */
export interface SocketFile<T extends string | Uint8Array = string | Uint8Array>
  extends AsyncIterable<T>, AsyncDisposable {
  /**
   * Reads `size` characters (text) or bytes (binary), fewer only at end of
   * stream; with no `size` (or `-1`, `null`) reads to end of stream. Empty at
   * end of stream. Unbuffered files (`buffering = 0`) return what one
   * `recv` gives.
   */
  read(size?: number | null): Promise<T>;
  /**
   * Reads one line, through its line ending, at most `size` characters or
   * bytes; the rest at end of stream; empty at end of stream.
   */
  readline(size?: number | null): Promise<T>;
  /** Reads lines to end of stream, or until they total `hint` or more. */
  readlines(hint?: number | null): Promise<T[]>;
  /**
   * Buffers `data` (or sends it, unbuffered); resolves to the characters
   * or bytes taken. Full buffers are sent with `sendall`.
   */
  write(data: FileInput<T>): Promise<number>;
  /** Sends what is buffered, with the socket's `sendall`. */
  flush(): Promise<void>;
  /**
   * Flushes, then closes the file (not the connection, unless the socket
   * was closed already and this is its last file). Idempotent.
   */
  close(): Promise<void>;
  /** Can it read? `ValueError` once closed. */
  readable(): boolean;
  /** Can it write? `ValueError` once closed. */
  writable(): boolean;
  /** The socket's `fileno()`. */
  fileno(): number;
  /** Has `close()` been called? */
  readonly closed: boolean;
  /** Text mode: the mode given (`"r"`, `"rw"`); binary: `"rb"`, `"wb"`, `"rwb"`. */
  readonly mode: string;
  /** The socket's `fileno()`, `-1` once the file is closed, as in CPython. */
  readonly name: number;
  /** Text mode's encoding (`"UTF-8"` by default); `null` in binary mode. */
  readonly encoding: string | null;
  /** Text mode's error handler (`"strict"`); `null` in binary mode. */
  readonly errors: string | null;
}

/** CPython's `io.DEFAULT_BUFFER_SIZE`. */
const DEFAULT_BUFFER_SIZE = 8192;
/** `TextIOWrapper`'s read chunk. */
const TEXT_CHUNK = 8192;
const EMPTY = new Uint8Array(0);
const CLOSED = "I/O operation on closed file.";

/** Python's `repr()` of a str, for `invalid mode 'x'`. */
function reprStr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = "";
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === "\\") out += "\\\\";
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (c < 0x20 || c === 0x7f) {
      out += `\\x${c.toString(16).padStart(2, "0")}`;
    } else out += ch;
  }
  return quote + out + quote;
}

/** `read(size)`'s argument: an int or None. */
function readSize(size: unknown): number {
  if (size === null || size === undefined) return -1;
  if (typeof size === "boolean") return Number(size);
  if (typeof size === "number" && Number.isInteger(size)) return size;
  throw new TypeError(
    `argument should be integer or None, not '${pyTypeName(size)}'`,
  );
}

/** `readline(size)` / `readlines(hint)`'s argument. */
function limitArg(size: unknown): number {
  return size === null || size === undefined ? -1 : checkInt(size);
}

/** The UTF-16 index after `n` code points of `s`, or `-1` if it has fewer. */
function codePointIndex(s: string, n: number): number {
  let i = 0;
  for (let k = 0; k < n; k++) {
    if (i >= s.length) return -1;
    const c = s.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < s.length &&
        (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00
      ? 2
      : 1;
  }
  return i;
}

/** Python's `len(str)`: code points, not UTF-16 units. */
function codePointLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    if (
      c >= 0xd800 && c <= 0xdbff && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00
    ) {
      n--;
      i++;
    }
  }
  return n;
}

function concatAll(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

interface Layout {
  reading: boolean;
  writing: boolean;
  binary: boolean;
  /** 0: unbuffered (SocketIO itself). */
  bufferSize: number;
  mode: string;
  /** Text mode only. */
  text: {
    encoding: string;
    errors: ErrorHandler;
    newline: string | null;
    decoder: Decoder;
    encode: (s: string) => Uint8Array;
  } | null;
}

/** Which of CPython's layers answers: their closed-file texts differ. */
type Op = "read" | "readline" | "readlines" | "write" | "flush";

class FileObject<T extends string | Uint8Array> implements SocketFile<T> {
  #sock: FileSocket;
  #release: () => void;
  #l: Layout;
  #closed = false;
  #timedOut = false;
  // Read side: bytes received and not yet returned (binary), or text
  // decoded and not yet returned, with a `\r` held back (text).
  #rbuf: Uint8Array = EMPTY;
  #text = "";
  #pendingCR = false;
  // Write side.
  #wbuf: Uint8Array[] = [];
  #wlen = 0;
  // One read and one write at a time, in call order.
  #readTail: Promise<unknown> = Promise.resolve();
  #writeTail: Promise<unknown> = Promise.resolve();

  constructor(sock: FileSocket, layout: Layout, release: () => void) {
    this.#sock = sock;
    this.#release = release;
    this.#l = layout;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get mode(): string {
    return this.#l.mode;
  }

  get name(): number {
    return this.#closed ? -1 : this.#sock.fileno();
  }

  get encoding(): string | null {
    return this.#l.text?.encoding ?? null;
  }

  get errors(): string | null {
    return this.#l.text?.errors ?? null;
  }

  readable(): boolean {
    if (this.#closed) throw new ValueError("I/O operation on closed socket.");
    return this.#l.reading;
  }

  writable(): boolean {
    if (this.#closed) throw new ValueError("I/O operation on closed socket.");
    return this.#l.writing;
  }

  fileno(): number {
    if (this.#closed) throw new ValueError(CLOSED);
    return this.#sock.fileno();
  }

  /** CPython's checks, in its order and words, for each layer. */
  #check(op: Op): void {
    const { reading, writing, binary, bufferSize } = this.#l;
    const wants = op === "write" ? "writ" : op === "flush" ? null : "read";
    const able = wants === "writ" ? writing : wants === "read" ? reading : true;
    if (binary && bufferSize > 0) {
      // IOBase.readlines checks for a closed file first; otherwise
      // BufferedReader / BufferedWriter lack the other side's methods.
      if (op === "readlines" && this.#closed) throw new ValueError(CLOSED);
      if (!able) {
        throw new UnsupportedOperation(op === "write" ? "write" : "read");
      }
      if (this.#closed) {
        throw new ValueError(
          op === "read"
            ? "read of closed file"
            : op === "readline"
            ? reading && writing
              ? "peek of closed file"
              : "readline of closed file"
            : op === "write"
            ? "write to closed file"
            : op === "flush" && writing
            ? "flush of closed file"
            : CLOSED,
        );
      }
      return;
    }
    if (this.#closed) throw new ValueError(CLOSED);
    if (!able) {
      throw new UnsupportedOperation(
        binary ? `File or stream is not ${wants}able.` : `not ${wants}able`,
      );
    }
  }

  #serial<R>(side: "read" | "write", fn: () => Promise<R>): Promise<R> {
    const tail = side === "read" ? this.#readTail : this.#writeTail;
    const run = tail.then(fn);
    const settled = run.catch(() => {});
    if (side === "read") this.#readTail = settled;
    else this.#writeTail = settled;
    return run;
  }

  // ---- the raw layer (SocketIO) ----

  async #recv(n: number): Promise<Uint8Array> {
    if (this.#timedOut) {
      throw new OSError("cannot read from timed out object");
    }
    try {
      return await this.#sock.recv(n);
    } catch (err) {
      if (err instanceof TimeoutError) this.#timedOut = true;
      throw err;
    }
  }

  // ---- the binary read buffer (BufferedReader) ----

  /** One more recv into the buffer; `false` at end of stream. */
  async #fill(want: number): Promise<boolean> {
    const chunk = await this.#recv(Math.max(this.#l.bufferSize, want));
    if (chunk.length === 0) return false;
    if (this.#rbuf.length === 0) this.#rbuf = chunk;
    else {
      const joined = new Uint8Array(this.#rbuf.length + chunk.length);
      joined.set(this.#rbuf);
      joined.set(chunk, this.#rbuf.length);
      this.#rbuf = joined;
    }
    return true;
  }

  #take(n: number): Uint8Array {
    const out = this.#rbuf.subarray(0, n);
    this.#rbuf = n >= this.#rbuf.length ? EMPTY : this.#rbuf.subarray(n);
    return out;
  }

  async #readBytes(size: number): Promise<Uint8Array> {
    if (this.#l.bufferSize === 0) {
      // SocketIO: one recv, or recv until end of stream.
      if (size >= 0) return await this.#recv(size);
      const chunks: Uint8Array[] = [];
      let total = 0;
      for (;;) {
        const chunk = await this.#recv(DEFAULT_BUFFER_SIZE);
        if (chunk.length === 0) break;
        chunks.push(chunk);
        total += chunk.length;
      }
      return total === 0 ? EMPTY : concatAll(chunks, total);
    }
    if (size < -1) {
      throw new ValueError("read length must be non-negative or -1");
    }
    if (size === -1) {
      while (await this.#fill(DEFAULT_BUFFER_SIZE));
      return this.#take(this.#rbuf.length);
    }
    while (this.#rbuf.length < size) {
      if (!await this.#fill(size - this.#rbuf.length)) break;
    }
    return this.#take(size);
  }

  async #readlineBytes(limit: number): Promise<Uint8Array> {
    if (this.#l.bufferSize === 0) {
      // SocketIO has no buffer: a byte at a time, so nothing is over-read.
      const out: number[] = [];
      while (limit < 0 || out.length < limit) {
        const b = await this.#recv(1);
        if (b.length === 0) break;
        out.push(b[0]);
        if (b[0] === 0x0a) break;
      }
      return new Uint8Array(out);
    }
    let searched = 0;
    for (;;) {
      const nl = this.#rbuf.indexOf(0x0a, searched);
      if (nl >= 0 && (limit < 0 || nl < limit)) return this.#take(nl + 1);
      if (limit >= 0 && this.#rbuf.length >= limit) return this.#take(limit);
      searched = this.#rbuf.length;
      if (!await this.#fill(this.#l.bufferSize)) {
        return this.#take(this.#rbuf.length);
      }
    }
  }

  // ---- the text layer (TextIOWrapper) ----

  /** Decodes one more chunk into `#text`; `false` at end of stream. */
  async #fillText(): Promise<boolean> {
    const bytes = this.#rbuf.length > 0
      ? this.#take(this.#rbuf.length)
      : await this.#recv(Math.max(this.#l.bufferSize, TEXT_CHUNK));
    this.#decode(bytes, bytes.length === 0);
    return bytes.length > 0;
  }

  #decode(bytes: Uint8Array, eof: boolean): void {
    const text = this.#l.text!;
    let s = text.decoder.decode(bytes, eof);
    if (text.newline === null || text.newline === "") {
      // IncrementalNewlineDecoder: a final `\r` waits for a possible `\n`.
      if (this.#pendingCR) s = "\r" + s;
      this.#pendingCR = !eof && s.endsWith("\r");
      if (this.#pendingCR) s = s.slice(0, -1);
      if (text.newline === null) s = s.replaceAll(/\r\n?/g, "\n");
    }
    this.#text += s;
  }

  #takeText(end: number): string {
    const out = this.#text.slice(0, end);
    this.#text = this.#text.slice(end);
    return out;
  }

  async #readText(size: number): Promise<string> {
    if (size < 0) {
      // As TextIOWrapper: the rest of the stream is decoded in one go.
      this.#decode(await this.#readBytes(-1), true);
      return this.#takeText(this.#text.length);
    }
    for (;;) {
      const end = codePointIndex(this.#text, size);
      if (end >= 0) return this.#takeText(end);
      if (!await this.#fillText()) return this.#takeText(this.#text.length);
    }
  }

  /** The end of the first line in `#text`, or -1. */
  #lineEnd(from: number): number {
    const nl = this.#l.text!.newline;
    if (nl === "") {
      // Universal: \r\n, \r or \n; a trailing \r is held back until known.
      const n = this.#text.indexOf("\n", from);
      const r = this.#text.indexOf("\r", from);
      if (r >= 0 && (n < 0 || r < n)) {
        return this.#text[r + 1] === "\n" ? r + 2 : r + 1;
      }
      return n < 0 ? -1 : n + 1;
    }
    const sep = nl ?? "\n";
    const at = this.#text.indexOf(sep, from);
    return at < 0 ? -1 : at + sep.length;
  }

  async #readlineText(limit: number): Promise<string> {
    let from = 0;
    for (;;) {
      let end = this.#lineEnd(from);
      if (limit >= 0) {
        const cap = codePointIndex(this.#text, limit);
        if (cap >= 0 && (end < 0 || end > cap)) end = cap;
      }
      if (end >= 0) return this.#takeText(end);
      // "\r\n" may straddle chunks: search again from one unit back.
      from = Math.max(0, this.#text.length - 1);
      if (!await this.#fillText()) return this.#takeText(this.#text.length);
    }
  }

  // ---- the public methods ----

  read(size?: number | null): Promise<T> {
    return this.#serial("read", async () => {
      this.#check("read");
      const n = readSize(size);
      return (this.#l.binary
        ? await this.#readBytes(n)
        : await this.#readText(n)) as T;
    });
  }

  readline(size?: number | null): Promise<T> {
    return this.#serial("read", async () => {
      this.#check("readline");
      const n = limitArg(size);
      return (this.#l.binary
        ? await this.#readlineBytes(n)
        : await this.#readlineText(n)) as T;
    });
  }

  readlines(hint?: number | null): Promise<T[]> {
    return this.#serial("read", async () => {
      this.#check("readlines");
      const h = limitArg(hint);
      const lines: T[] = [];
      let total = 0;
      for (;;) {
        const line = (this.#l.binary
          ? await this.#readlineBytes(-1)
          : await this.#readlineText(-1)) as T;
        if (line.length === 0) {
          break;
        }
        lines.push(line);
        total += typeof line === "string" ? codePointLength(line) : line.length;
        if (h > 0 && total >= h) {
          break;
        }
      }
      return lines;
    });
  }

  write(data: FileInput<T>): Promise<number> {
    return this.#serial("write", async () => {
      this.#check("write");
      let bytes: Uint8Array;
      let count: number;
      const text = this.#l.text;
      if (text !== null) {
        if (typeof data !== "string") {
          throw new TypeError(
            `write() argument must be str, not ${pyTypeName(data)}`,
          );
        }
        count = codePointLength(data);
        const nl = text.newline;
        bytes = text.encode(
          nl === "\r" || nl === "\r\n" ? data.replaceAll("\n", nl) : data,
        );
      } else {
        bytes = bytesLike(data);
        count = bytes.length;
        // SocketIO: one send, which may take less than all.
        if (this.#l.bufferSize === 0) return await this.#sock.send(bytes);
        bytes = bytes.slice(); // the caller may reuse its buffer
      }
      if (bytes.length > 0) {
        this.#wbuf.push(bytes);
        this.#wlen += bytes.length;
      }
      if (this.#wlen > this.#l.bufferSize) await this.#flushNow();
      return count;
    });
  }

  async #flushNow(): Promise<void> {
    if (this.#wlen === 0) return;
    const data = concatAll(this.#wbuf, this.#wlen);
    this.#wbuf = [];
    this.#wlen = 0;
    await this.#sock.sendall(data);
  }

  flush(): Promise<void> {
    return this.#serial("write", async () => {
      this.#check("flush");
      await this.#flushNow();
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    try {
      if (this.#l.writing) {
        await this.#serial("write", () => this.#flushNow());
      }
    } finally {
      if (!this.#closed) {
        this.#closed = true;
        this.#rbuf = EMPTY;
        this.#text = "";
        this.#release();
      }
    }
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for (;;) {
      const line = await this.readline();
      if (line.length === 0) return;
      yield line;
    }
  }

  /**
   * Python's repr: `<_io.TextIOWrapper name=3 mode='r' encoding='UTF-8'>`,
   * `<_io.BufferedReader name=3>`, …
   */
  toString(): string {
    const { text, binary, reading, writing, bufferSize } = this.#l;
    if (text !== null) {
      return `<_io.TextIOWrapper name=${this.name} mode=${
        reprStr(this.mode)
      } encoding=${reprStr(text.encoding)}>`;
    }
    const kind = !binary || bufferSize === 0
      ? "socket.SocketIO"
      : reading && writing
      ? "_io.BufferedRWPair"
      : reading
      ? "_io.BufferedReader"
      : "_io.BufferedWriter";
    return `<${kind} name=${this.name}>`;
  }

  /** Deno's `console.log` shows the repr. */
  [Symbol.for("Deno.customInspect")](): string {
    return this.toString();
  }
}

/** Binary modes: any order of `b` with `r` and/or `w`. */
export type BinaryMode = `${string}b${string}`;
/** Text modes. */
export type TextMode = "" | "r" | "w" | "rw" | "wr";

/**
 * Python's `socket.makefile(mode, buffering, *, encoding, errors,
 * newline)`: a file object over a connected socket. `mode` takes `r`, `w`
 * and `b` in any combination: with `b` the file reads and writes
 * `Uint8Array`s, without it strings (UTF-8 by default). Reads are buffered
 * (`read(n)` waits for `n` bytes or end of stream); writes are buffered
 * until `flush()`, `close()` or a full buffer, then sent with `sendall`.
 * The socket stays open until its files are closed, even after its own
 * `close()`, as in CPython.
 *
 * @param sock A connected stream socket.
 * @param mode Some of `r`, `w`, `b`; `"r"` by default.
 * @param buffering The buffer size; `null` or negative: 8192
 * (`io.DEFAULT_BUFFER_SIZE`); `0`: unbuffered (binary only), each `read`
 * is one `recv` and each `write` one `send`.
 * @param options `encoding`, `errors`, `newline` (text mode).
 * @param release Called once when the file closes.
 * @returns The file object.
 * @throws {ValueError} `invalid mode 'x' (only r, w, b allowed)`,
 * `unbuffered streams must be binary`, `illegal newline value: x`.
 * @throws {LookupError} `unknown encoding: x`.
 *
 * @example Read lines, write a reply
 * ```ts
 * import { socket } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * using server = socket();
 * server.bind(["127.0.0.1", 0]);
 * server.listen();
 * using client = socket();
 * await client.connect(server.getsockname() as [string, number]);
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
 */
export function makefile(
  sock: FileSocket,
  mode: BinaryMode,
  buffering?: number | null,
  options?: MakefileOptions,
  release?: () => void,
): SocketFile<Uint8Array>;
/**
 * A text-mode file of strings: see the binary overload above.
 *
 * @param sock A connected stream socket.
 * @param mode `"r"`, `"w"`, `"rw"`; `"r"` by default.
 * @param buffering The buffer size; `null` or negative: 8192.
 * @param options `encoding`, `errors`, `newline`.
 * @param release Called once when the file closes.
 * @returns The file object.
 */
export function makefile(
  sock: FileSocket,
  mode?: TextMode,
  buffering?: number | null,
  options?: MakefileOptions,
  release?: () => void,
): SocketFile<string>;
/**
 * A file whose mode is known only at run time.
 *
 * @param sock A connected stream socket.
 * @param mode Some of `r`, `w`, `b`.
 * @param buffering The buffer size; `null` or negative: 8192.
 * @param options `encoding`, `errors`, `newline` (text mode).
 * @param release Called once when the file closes.
 * @returns The file object: strings in text mode, bytes with `b`.
 */
export function makefile(
  sock: FileSocket,
  mode?: string,
  buffering?: number | null,
  options?: MakefileOptions,
  release?: () => void,
): SocketFile;
export function makefile(
  sock: FileSocket,
  mode: string = "r",
  buffering: number | null = null,
  options: MakefileOptions = {},
  release: () => void = () => {},
): SocketFile {
  if (typeof mode !== "string") {
    throw new TypeError(`'${pyTypeName(mode)}' object is not iterable`);
  }
  for (const ch of mode) {
    if (ch !== "r" && ch !== "w" && ch !== "b") {
      throw new ValueError(
        `invalid mode ${reprStr(mode)} (only r, w, b allowed)`,
      );
    }
  }
  const writing = mode.includes("w");
  const reading = mode.includes("r") || !writing;
  const binary = mode.includes("b");
  let size = buffering === null || buffering === undefined
    ? -1
    : checkInt(buffering);
  if (size < 0) size = DEFAULT_BUFFER_SIZE;
  if (size === 0 && !binary) {
    throw new ValueError("unbuffered streams must be binary");
  }
  let text: Layout["text"] = null;
  if (!binary) {
    const newline = options.newline ?? null;
    if (
      newline !== null && newline !== "" && newline !== "\n" &&
      newline !== "\r" && newline !== "\r\n"
    ) {
      throw new ValueError(`illegal newline value: ${newline}`);
    }
    const encoding = options.encoding ?? "UTF-8";
    const codec = lookupCodec(encoding);
    const errors = checkErrors(options.errors);
    text = {
      encoding,
      errors,
      newline,
      decoder: codec.decoder(errors),
      encode: (s) => codec.encode(s, errors),
    };
  }
  const rawMode = (reading ? "r" : "") + (writing ? "w" : "") + "b";
  const file = new FileObject(sock, {
    reading,
    writing,
    binary,
    bufferSize: size,
    mode: binary ? rawMode : mode,
    text,
  }, release);
  return file;
}
