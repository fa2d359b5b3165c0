// Copyright the pysocket authors. MIT license.
/**
 * The shapes of `makefile()`'s file objects: what every one has
 * ({@linkcode SocketFile}), and what the unbuffered ({@linkcode RawFile},
 * Python's `SocketIO`), buffered binary ({@linkcode BinaryFile}) and text
 * ({@linkcode TextFile}) ones add, as Python's `io` classes have them.
 *
 * @module
 */

import type { BytesLike } from "../socket.ts";

/**
 * What a file object needs of its socket: the calls Python's `SocketIO`
 * makes (`Socket` has them).
 */
export interface FileSocket {
  /** One receive of at most `bufsize` bytes; empty at end of stream. */
  recv(bufsize: number): Promise<Uint8Array>;
  /** One receive into `buffer`; the count, 0 at end of stream. */
  recv_into(buffer: Uint8Array): Promise<number>;
  /** One send; the count of bytes taken. */
  send(data: Uint8Array): Promise<number>;
  /** The socket's descriptor number. */
  fileno(): number;
}

/** Options for `makefile()`: Python's keyword arguments. *
 * @example Latin-1 text with Windows line endings
 * ```ts
 * import { socketpair } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * const [a, b] = await socketpair();
 * await b.sendall(new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x0d, 0x0a]));
 * const f = a.makefile("r", null, { encoding: "latin-1", newline: "\r\n" });
 * assertEquals(await f.readline(), "café\r\n");
 * await f.close();
 * a.close();
 * b.close();
 * ```
 */
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
   * encode: `"strict"` raises `UnicodeDecodeError` / `UnicodeEncodeError`,
   * `"replace"` puts U+FFFD (decoding) or `?` (encoding), `"ignore"` drops
   * them.
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

/**
 * What `write()` takes: `str` for text files, bytes for binary ones.
 *
 * @example What a file's write() takes
 * ```ts
 * import type { FileInput } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * const line: FileInput<string> = "hello\n"; // text files
 * const bytes: FileInput<Uint8Array> = new Uint8Array([104, 105]); // binary files
 * assertEquals(typeof line, "string");
 * assertEquals(bytes.byteLength, 2);
 * ```
 */
export type FileInput<T extends string | Uint8Array> = T extends string ? string
  : BytesLike;

/**
 * The file `makefile(mode, buffering)` returns, from the mode's and the
 * buffering's literal types: {@linkcode RawFile} for a binary mode with
 * `buffering` `0`, {@linkcode BinaryFile} for another binary mode,
 * {@linkcode TextFile} for a text mode, and any {@linkcode SocketFile} when
 * the mode is known only at run time.
 *
 * @typeParam M The mode.
 * @typeParam B The buffering.
 *
 * @example
 * ```ts
 * import { type FileOf, type RawFile, socketpair } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * const [a, b] = await socketpair();
 * const raw: FileOf<"rb", 0> = a.makefile("rb", 0);
 * const same: RawFile = raw;
 * await b.sendall(new Uint8Array([1]));
 * assertEquals(await same.read(1), new Uint8Array([1]));
 * await raw.close();
 * a.close();
 * b.close();
 * ```
 */
export type FileOf<M extends string, B extends number | null> = string extends M
  ? SocketFile
  : M extends BinaryMode ? (B extends 0 ? RawFile : BinaryFile)
  : M extends TextMode ? TextFile
  : SocketFile;

/**
 * Binary modes: any order of `b` with `r` and/or `w`.
 *
 * @example Binary modes read and write Uint8Array
 * ```ts
 * import { type BinaryMode, socketpair } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * const mode: BinaryMode = "rb";
 * const [a, b] = await socketpair();
 * const f = a.makefile(mode);
 * await b.sendall(new Uint8Array([1, 2]));
 * assertEquals(await f.read(2), new Uint8Array([1, 2]));
 * await f.close();
 * a.close();
 * b.close();
 * ```
 */
export type BinaryMode = `${string}b${string}`;
/**
 * Text modes.
 *
 * @example Text modes read and write strings
 * ```ts
 * import { socketpair, type TextMode } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * const mode: TextMode = "r";
 * const [a, b] = await socketpair();
 * const f = a.makefile(mode);
 * await b.sendall(new TextEncoder().encode("hi\n"));
 * assertEquals(await f.readline(), "hi\n");
 * await f.close();
 * a.close();
 * b.close();
 * ```
 */
export type TextMode = "" | "r" | "w" | "rw" | "wr";

/**
 * What every file object from `makefile()` has (Python's `io.IOBase` and
 * the reading and writing methods): `T` is `string` in text mode and
 * `Uint8Array` in binary mode. The reading and writing methods return
 * Promises; once the file is closed they reject with `ValueError`, in the
 * words of the layer that answers (`I/O operation on closed file.`, `read
 * of closed file`, …). While a file is open its socket stays open, even
 * after the socket's `close()`, as in CPython.
 *
 * Operations on one file run one at a time, in call order (reads apart
 * from writes: a read waiting for data does not hold back a write).
 *
 * @example Any file: lines until end of stream
 * ```ts
 * import { type SocketFile, socketpair } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * async function lines<T extends string | Uint8Array>(f: SocketFile<T>): Promise<T[]> {
 *   const out: T[] = [];
 *   for await (const line of f) out.push(line);
 *   return out;
 * }
 *
 * const [a, b] = await socketpair();
 * await b.sendall(new TextEncoder().encode("one\ntwo\n"));
 * b.close();
 * await using f = a.makefile("r");
 * assertEquals(await lines(f), ["one\n", "two\n"]);
 * a.close();
 * ```
 */
export interface SocketFile<
  T extends string | Uint8Array = string | Uint8Array<ArrayBuffer>,
> extends AsyncIterable<T>, AsyncDisposable {
  /**
   * Reads `size` characters (text) or bytes (binary), fewer only at end of
   * stream; with no `size` (or `-1`, `null`) reads to end of stream. Empty
   * at end of stream. Binary files on a non-blocking socket resolve to
   * `null` (Python's `None`) when nothing could be read.
   */
  read(size?: number | null): Promise<T>;
  /**
   * Reads one line, through its line ending, at most `size` characters or
   * bytes; the rest at end of stream; empty at end of stream.
   */
  readline(size?: number | null): Promise<T>;
  /**
   * Reads lines to end of stream, or until they total more than `hint`
   * (`hint <= 0`: no limit).
   */
  readlines(hint?: number | null): Promise<T[]>;
  /**
   * Buffers `data` (sending what the buffer cannot hold); resolves to the
   * characters or bytes taken.
   */
  write(data: FileInput<T>): Promise<number>;
  /** Writes each of `lines` (no line endings are added). */
  writelines(
    lines: Iterable<FileInput<T>> | AsyncIterable<FileInput<T>>,
  ): Promise<void>;
  /** Sends what is buffered. */
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
  /** `false`: a socket cannot seek. */
  seekable(): boolean;
  /** `false`. */
  isatty(): boolean;
  /** Always throws `UnsupportedOperation`, as Python's does on a socket. */
  tell(): number;
  /** Always throws `UnsupportedOperation`, as Python's does on a socket. */
  seek(offset: number, whence?: number): number;
  /** Always rejects with `UnsupportedOperation` (after a flush). */
  truncate(size?: number | null): Promise<number>;
  /**
   * The socket's `fileno()`. A read-write pair (modes `rw`, `rwb`) has
   * none: `UnsupportedOperation`, as in Python.
   */
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
  /**
   * Python's repr: `<_io.TextIOWrapper name=3 mode='r' encoding='UTF-8'>`,
   * `<_io.BufferedReader name=3>`, …
   */
  toString(): string;
}

/**
 * Python's `SocketIO`, the unbuffered file of `makefile(mode, 0)`: each
 * `read` is one `recv`, each `write` one `send`. On a non-blocking socket
 * `read`, `readinto` and `write` resolve to `null` (Python's `None`) when
 * the socket would block. After a read timed out, reading is refused
 * (`OSError: cannot read from timed out object`), as in CPython.
 *
 * @example Non-blocking reads
 * ```ts
 * import { socketpair } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * const [a, b] = await socketpair();
 * a.setblocking(false);
 * const raw = a.makefile("rb", 0);
 * assertEquals(await raw.read(10), null); // would block
 * await raw.close();
 * a.close();
 * b.close();
 * ```
 */
export interface RawFile
  extends AsyncIterable<Uint8Array<ArrayBuffer>>, AsyncDisposable {
  /**
   * One `recv(size)`; with no `size` (or a negative one) reads to end of
   * stream (`readall`). `null` when a non-blocking socket would block.
   */
  read(size?: number): Promise<Uint8Array<ArrayBuffer> | null>;
  /** `recv` until end of stream; `null` when nothing came before it would block. */
  readall(): Promise<Uint8Array<ArrayBuffer> | null>;
  /** One `recv_into(buffer)`: the count, or `null` when it would block. */
  readinto(buffer: BytesLike): Promise<number | null>;
  /** Reads a byte at a time up to a newline: never past it. */
  readline(size?: number | null): Promise<Uint8Array<ArrayBuffer>>;
  /** Lines to end of stream, or until they total more than `hint`. */
  readlines(hint?: number | null): Promise<Uint8Array<ArrayBuffer>[]>;
  /** One `send(data)`: the count taken, or `null` when it would block. */
  write(data: BytesLike): Promise<number | null>;
  /** Writes each of `lines` with one `send` each. */
  writelines(
    lines: Iterable<BytesLike> | AsyncIterable<BytesLike>,
  ): Promise<void>;
  /** Nothing is buffered: only checks the file is open. */
  flush(): Promise<void>;
  /** Closes the file (the socket too when it was closed and this is its last file). */
  close(): Promise<void>;
  /** Can it read? `ValueError` once closed. */
  readable(): boolean;
  /** Can it write? `ValueError` once closed. */
  writable(): boolean;
  /** `false`. */
  seekable(): boolean;
  /** `false`. */
  isatty(): boolean;
  /** Always throws `UnsupportedOperation`. */
  tell(): number;
  /** Always throws `UnsupportedOperation`. */
  seek(offset: number, whence?: number): number;
  /** Always rejects with `UnsupportedOperation`. */
  truncate(size?: number | null): Promise<number>;
  /** The socket's `fileno()`. */
  fileno(): number;
  /** Has `close()` been called? */
  readonly closed: boolean;
  /** `"rb"`, `"wb"` or `"rwb"`. */
  readonly mode: string;
  /** The socket's `fileno()`, `-1` once closed. */
  readonly name: number;
  /** `null`: a binary file. */
  readonly encoding: null;
  /** `null`: a binary file. */
  readonly errors: null;
  /** Python's repr: `<socket.SocketIO object at 0x…>`. */
  toString(): string;
}

/**
 * A buffered binary file: Python's `io.BufferedReader` (mode `rb`),
 * `io.BufferedWriter` (`wb`) or `io.BufferedRWPair` (`rwb`). Reads fill a
 * buffer of `buffering` bytes with one `recv` at a time (larger reads go
 * straight to the socket); writes collect in the buffer and are sent when
 * it cannot hold more, on `flush()` and on `close()`. On a non-blocking
 * socket reads resolve to `null` (or what they had) when nothing more
 * could be read, and a write that cannot be buffered rejects with
 * `BlockingIOError` carrying `characters_written`, as in CPython.
 *
 * @example Read into a buffer of your own
 * ```ts
 * import { socketpair } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * const [a, b] = await socketpair();
 * await b.sendall(new Uint8Array([1, 2, 3, 4]));
 * const f = a.makefile("rb");
 * const buf = new Uint8Array(4);
 * assertEquals(await f.readinto(buf), 4);
 * assertEquals(buf, new Uint8Array([1, 2, 3, 4]));
 * await f.close();
 * a.close();
 * b.close();
 * ```
 */
export interface BinaryFile extends SocketFile<Uint8Array<ArrayBuffer>> {
  /**
   * Fills `buffer` (fewer bytes only at end of stream); the count.
   * `null` on a non-blocking socket with nothing to read.
   */
  readinto(buffer: BytesLike): Promise<number>;
  /** As `readinto`, with at most one `recv`. */
  readinto1(buffer: BytesLike): Promise<number>;
  /**
   * What is buffered, up to `size` bytes (`-1`: the buffer size), or else
   * what one `recv` gives.
   */
  read1(size?: number): Promise<Uint8Array<ArrayBuffer>>;
  /**
   * What is buffered (or one `recv`'s worth), without consuming it.
   * `io.BufferedWriter` has no `peek`: `UnsupportedOperation`.
   */
  peek(size?: number): Promise<Uint8Array<ArrayBuffer>>;
  /**
   * Flushes and hands over the raw `SocketIO`; this file is unusable
   * afterwards (`ValueError: raw stream has been detached`). A read-write
   * pair cannot: `UnsupportedOperation`.
   */
  detach(): Promise<RawFile>;
  /**
   * The raw `SocketIO` under a reader or writer (`null` once detached); a
   * read-write pair has none (`undefined`), as in Python.
   */
  readonly raw?: RawFile | null;
}

/**
 * A text file: Python's `io.TextIOWrapper` over a buffered binary file,
 * decoding incrementally with the encoding, error handler and newline
 * rule given to `makefile()`.
 *
 * @example The line endings seen
 * ```ts
 * import { socketpair } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * const [a, b] = await socketpair();
 * await b.sendall(new TextEncoder().encode("a\r\nb\r\n"));
 * const f = a.makefile("r");
 * assertEquals(await f.readline(), "a\n");
 * assertEquals(f.newlines, "\r\n");
 * await f.close();
 * a.close();
 * b.close();
 * ```
 */
export interface TextFile extends SocketFile<string> {
  /** The encoding, as given (`"UTF-8"` by default). */
  readonly encoding: string;
  /** The error handler (`"strict"` by default). */
  readonly errors: string;
  /**
   * The line endings read so far (universal newline modes): `null`,
   * `"\n"`, `"\r"`, `"\r\n"`, or several of them, as Python's tuple.
   */
  readonly newlines: string | string[] | null;
  /**
   * Does a write with a line ending flush the buffer? `false` (socket
   * files are not line buffered) until `reconfigure()` sets it.
   */
  readonly line_buffering: boolean;
  /**
   * Does each write go to the buffer at once? `false` until
   * `reconfigure()` sets it.
   */
  readonly write_through: boolean;
  /** The buffered binary file underneath; `null` once detached. */
  readonly buffer: BinaryFile | null;
  /**
   * Flushes and hands over the binary file underneath; this one is
   * unusable afterwards (`ValueError: underlying buffer has been
   * detached`).
   */
  detach(): Promise<BinaryFile>;
  /**
   * Python's `reconfigure(*, encoding, errors, newline, line_buffering,
   * write_through)`, its keyword arguments as an object: flushes, then
   * applies what is given (omitted or `null`: unchanged, except `newline:
   * null`, universal newlines). The encoding, error handler and newline
   * rule can change only before the first read (`UnsupportedOperation`).
   */
  reconfigure(options?: {
    /** The new encoding; its error handler is `"strict"` unless `errors` is given. */
    encoding?: string | null;
    /** The new error handler. */
    errors?: string | null;
    /** The new newline rule: `null`, `""`, `"\n"`, `"\r"` or `"\r\n"`. */
    newline?: string | null;
    /** Flush the buffer on each write with a line ending. */
    line_buffering?: boolean | null;
    /** Hand each write to the buffer at once. */
    write_through?: boolean | null;
  }): Promise<void>;
}
