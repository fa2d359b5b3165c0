// Copyright the pysocket authors. MIT license.
/**
 * The text layer: Python's `io.TextIOWrapper` over a buffered binary file.
 *
 * @module
 */

import { TypeError, ValueError } from "../errors.ts";
import {
  checkErrors,
  type Codec,
  type Decoder,
  type ErrorHandler,
  lookupCodec,
} from "../../_py/codec.ts";
import { checkCInt, pyArgType, pyTypeName } from "../../_py/pytype.ts";
import { noArgs, optionalSize, reprStr, sizeArg } from "./_args.ts";
import { codePointIndex, codePointLength } from "./_code_points.ts";
import {
  CLOSED_FILE,
  collectLines,
  concatBytes,
  DENO_INSPECT,
  iterateLines,
  NODE_INSPECT,
  writeEach,
} from "./_iobase.ts";
import { IncrementalNewlineDecoder } from "./_newline_decoder.ts";
import { Serial } from "./_serial.ts";
import { BufferedRWPair } from "./buffered_rw_pair.ts";
import type { BinaryFile, TextFile } from "./types.ts";
import { UnsupportedOperation } from "./unsupported_operation.ts";
import { pyNames } from "../../_py/repr.ts";

/** `TextIOWrapper._CHUNK_SIZE`. */
const CHUNK_SIZE = 8192;

/** Where a line ends: `\n`, `\r\n` or `\r`. */
const ANY_NEWLINE = /[\r\n]/g;

/** `reconfigure()`'s keyword arguments. */
const RECONFIGURE_KEYWORDS: readonly string[] = [
  "encoding",
  "errors",
  "newline",
  "line_buffering",
  "write_through",
];

/** A C string's text: what comes before a NUL, as CPython's C code sees it. */
function cString(text: string): string {
  const nul = text.indexOf("\0");
  return nul < 0 ? text : text.slice(0, nul);
}

/** `reconfigure()`'s check of a `str or None` argument. */
function strOrNone(value: unknown, name: string): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== "string") {
    throw new TypeError(
      `reconfigure() argument '${name}' must be str or None, not ${
        pyTypeName(value)
      }`,
    );
  }
  return value;
}

/** `convert_optional_bool`: `None` keeps `current`; else a C long's truth. */
function optionalBool(value: unknown, current: boolean): boolean {
  if (value === null || value === undefined) return current;
  if (typeof value === "boolean") return value;
  return checkCInt(value, "long") !== 0;
}

/** How a `TextIOWrapper` encodes, decodes and splits lines. */
export interface TextOptions {
  /** The encoding as given (`"UTF-8"`, `"latin-1"`). */
  encoding: string;
  /** The codec it names. */
  codec: Codec;
  /** The error handler. */
  errors: ErrorHandler;
  /** Python's `newline`: `null`, `""`, `"\n"`, `"\r"` or `"\r\n"`. */
  newline: string | null;
}

/**
 * Python's `io.TextIOWrapper` over a buffered binary file: what
 * `makefile("r")`, `makefile("w")` and `makefile("rw")` return. Reading
 * decodes what the buffer's `read1` gives, a piece at a time, with the
 * codec's incremental decoder (so a character split across packets is
 * whole), and keeps what it decoded and did not return for the next call;
 * a line is searched for only in what is new. Writing encodes into a
 * pending list handed to the buffer once it holds 8192 bytes, on
 * `flush()` and on `close()`.
 *
 * Unlike CPython's, a `write` on a read-write file keeps the text already
 * decoded and not yet read (CPython drops it, losing data).
 *
 * @example Universal newlines
 * ```ts
 * import { socketpair } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * const [a, b] = await socketpair();
 * await b.sendall(new TextEncoder().encode("one\r\ntwo\rthree\n"));
 * const f = a.makefile("r");
 * assertEquals(await f.readline(), "one\n");
 * assertEquals(await f.readline(), "two\n");
 * assertEquals(await f.readline(), "three\n");
 * assertEquals(f.newlines, ["\r", "\n", "\r\n"]);
 * await f.close();
 * a.close();
 * b.close();
 * ```
 */
export class TextIOWrapper implements TextFile {
  #buffer: BinaryFile | null;
  #encoding: string;
  #errors: ErrorHandler;
  #codec: Codec;
  #mode: string;
  #decoder: Decoder | null = null;
  #newlineDecoder: IncrementalNewlineDecoder | null = null;
  #writable: boolean;
  #readTranslate = false;
  #readUniversal = false;
  #readNewline: string | null = null;
  /** `\r` or `\r\n` written for each `\n`; `null`: as it is. */
  #writeNewline: string | null = null;
  #lineBuffering = false;
  #writeThrough = false;
  #seekable: boolean;
  /** Decoded text not yet returned: `#decoded.slice(#used)`. */
  #decoded = "";
  #used = 0;
  /** Has a read decoded text that is still kept (CPython's non-NULL `decoded_chars`)? */
  #decodedKept = false;
  /** Bytes per character of the last piece decoded. */
  #b2cratio = 0;
  /** Encoded text not yet handed to the buffer. */
  #pending: Uint8Array[] = [];
  #pendingCount = 0;
  #reads = new Serial();
  #writes = new Serial();

  /**
   * Makes the wrapper, as `io.TextIOWrapper(buffer, encoding, errors,
   * newline)`; its `mode` is what `makefile()` was given.
   *
   * @param buffer The buffered binary file.
   * @param options The codec, error handler and newline rule.
   * @param mode The mode to report.
   */
  constructor(buffer: BinaryFile, options: TextOptions, mode: string) {
    this.#buffer = buffer;
    this.#encoding = options.encoding;
    this.#errors = options.errors;
    this.#codec = options.codec;
    this.#mode = mode;
    this.#setNewline(options.newline);
    this.#setDecoder(buffer);
    this.#writable = buffer.writable();
    this.#seekable = buffer.seekable();
  }

  /** The encoding, as given. */
  get encoding(): string {
    return this.#encoding;
  }

  /** The error handler. */
  get errors(): string {
    return this.#errors;
  }

  /** The line endings read so far (universal newline modes), or `null`. */
  get newlines(): string | string[] | null {
    this.#attached();
    return this.#newlineDecoder?.newlines ?? null;
  }

  /**
   * Does a write with a line ending (`\n` or `\r`) flush the buffer?
   * `false` until {@linkcode TextIOWrapper.reconfigure} sets it.
   */
  get line_buffering(): boolean {
    return this.#lineBuffering;
  }

  /**
   * Does each write go to the buffer at once (without flushing it)?
   * `false` until {@linkcode TextIOWrapper.reconfigure} sets it.
   */
  get write_through(): boolean {
    return this.#writeThrough;
  }

  /** The buffered binary file; `null` once detached. */
  get buffer(): BinaryFile | null {
    return this.#buffer;
  }

  /** The mode `makefile()` was given. */
  get mode(): string {
    return this.#mode;
  }

  /** The buffer's `name`. */
  get name(): number {
    return this.#attached().name;
  }

  /** Is the buffer closed? */
  get closed(): boolean {
    return this.#attached().closed;
  }

  /**
   * Can it read?
   *
   * @returns The buffer's `readable()`.
   * @throws {ValueError} `I/O operation on closed socket.`
   */
  readable(): boolean {
    return this.#attached().readable();
  }

  /**
   * Can it write?
   *
   * @returns The buffer's `writable()`.
   * @throws {ValueError} `I/O operation on closed socket.`
   */
  writable(): boolean {
    return this.#attached().writable();
  }

  /**
   * Can it seek?
   *
   * @returns `false`.
   * @throws {ValueError} `I/O operation on closed socket.`
   */
  seekable(): boolean {
    return this.#attached().seekable();
  }

  /**
   * Is it a terminal?
   *
   * @returns `false`.
   * @throws {ValueError} `I/O operation on closed file.`
   */
  isatty(): boolean {
    return this.#attached().isatty();
  }

  /**
   * The socket's descriptor.
   *
   * @returns The buffer's `fileno()`.
   * @throws {ValueError} `I/O operation on closed file.`
   * @throws {UnsupportedOperation} `fileno` for a read-write file.
   */
  fileno(): number {
    return this.#attached().fileno();
  }

  /**
   * Python's `tell()`.
   *
   * @returns Never.
   * @throws {ValueError} `I/O operation on closed file.`
   * @throws {UnsupportedOperation} `underlying stream is not seekable`.
   */
  tell(): number {
    this.#checkClosed();
    throw new UnsupportedOperation("underlying stream is not seekable");
  }

  /**
   * Python's `seek()`.
   *
   * @param _offset Ignored.
   * @param _whence Ignored.
   * @returns Never.
   * @throws {ValueError} `I/O operation on closed file.`
   * @throws {UnsupportedOperation} `underlying stream is not seekable`.
   */
  seek(_offset: number, _whence?: number): number {
    this.#checkClosed();
    throw new UnsupportedOperation("underlying stream is not seekable");
  }

  /**
   * Python's `truncate()`: flushes, then the buffer cannot.
   *
   * @param size Passed on.
   * @returns Never: rejects.
   * @throws {UnsupportedOperation} `truncate`.
   */
  async truncate(size?: number | null): Promise<number> {
    const buffer = this.#attached();
    await this.flush();
    return await buffer.truncate(size);
  }

  /**
   * Reads `size` characters (code points), fewer only at end of stream;
   * with no `size` (or `-1`, `null`) to end of stream.
   *
   * @param size The count; `-1` or `null`: all.
   * @returns The text; empty at end of stream.
   * @throws {ValueError} `I/O operation on closed file.`
   * @throws {UnsupportedOperation} `not readable`.
   * @throws {UnicodeDecodeError} With `errors` `"strict"`.
   */
  read(size?: number | null): Promise<string> {
    return this.#reads.run(async () => {
      const n = optionalSize(size);
      this.#checkClosed();
      const decoder = this.#decoder;
      if (decoder === null) throw new UnsupportedOperation("not readable");
      await this.#writeflush();
      if (n < 0) {
        const bytes = await this.#attached().read();
        if (bytes === null) throw this.#noneInput();
        const decoded = decoder.decode(bytes, true);
        const result = this.#decoded.slice(this.#used) + decoded;
        this.#setDecoded("");
        return result;
      }
      const parts: string[] = [];
      let [text, count] = this.#takeDecoded(n);
      let remaining = n - count;
      while (remaining > 0) {
        if (!await this.#readChunk(remaining)) break;
        if (text.length > 0) parts.push(text);
        [text, count] = this.#takeDecoded(remaining);
        remaining -= count;
      }
      if (parts.length === 0) return text;
      parts.push(text);
      return parts.join("");
    });
  }

  /**
   * One line, through its line ending (as `newline` defines it), at most
   * `size` characters; the rest at end of stream.
   *
   * @param size The most characters; `-1`: no limit (`null` is a
   * `TypeError`, as in CPython).
   * @returns The line; empty at end of stream.
   * @throws {ValueError} `I/O operation on closed file.`
   * @throws {UnsupportedOperation} `not readable`.
   */
  readline(size?: number | null): Promise<string> {
    return this.#reads.run(() => {
      const limit = sizeArg(size, -1);
      this.#attached();
      return this.#readline(limit);
    });
  }

  /**
   * Lines to end of stream, or until they total more than `hint`
   * characters.
   *
   * @param hint The size hint; `null` or `<= 0`: no limit.
   * @returns The lines.
   * @throws {ValueError} `I/O operation on closed file.`
   */
  readlines(hint?: number | null): Promise<string[]> {
    return this.#reads.run(async () => {
      const h = optionalSize(hint);
      this.#checkClosed();
      return await collectLines(
        () => this.#readline(-1),
        h,
        (line) => codePointLength(line),
      );
    });
  }

  /**
   * Lines until end of stream: `for await (const line of f)`.
   *
   * @returns An async iterator of lines.
   * @throws {ValueError} `I/O operation on closed file.`
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<string> {
    return iterateLines(this, () => this.readline());
  }

  /**
   * Encodes `text` (turning `\n` into `newline` when that is `\r` or
   * `\r\n`) and keeps it for the buffer.
   *
   * @param text The text.
   * @returns Its length in characters (code points).
   * @throws {TypeError} `write() argument must be str, not bytes`.
   * @throws {ValueError} `I/O operation on closed file.`
   * @throws {UnsupportedOperation} `not writable`.
   * @throws {UnicodeEncodeError} With `errors` `"strict"`.
   */
  write(text: string): Promise<number> {
    return this.#writes.run(() => this.#write(text));
  }

  /**
   * Writes each of `lines`.
   *
   * @param lines Strings, from an iterable or async iterable.
   * @throws {ValueError} `I/O operation on closed file.`
   */
  writelines(lines: Iterable<string> | AsyncIterable<string>): Promise<void> {
    return this.#writes.run(async () => {
      this.#checkClosed();
      await writeEach(lines, (line) => this.#write(line));
    });
  }

  /**
   * Hands the encoded text to the buffer and flushes the buffer.
   *
   * @throws {ValueError} `I/O operation on closed file.`
   */
  flush(): Promise<void> {
    try {
      noArgs("TextIOWrapper.flush", arguments);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#writes.run(() => this.#flush());
  }

  /**
   * Python's `reconfigure(*, encoding=None, errors=None, newline=…,
   * line_buffering=None, write_through=None)`: flushes, then applies what
   * is given (an omitted or `null` setting stays as it is; `newline: null`
   * is Python's `newline=None`, universal newlines). A new `encoding`
   * without `errors` resets `errors` to `"strict"`; `"locale"` is
   * `"UTF-8"`. The encoding, error handler and newline rule can change only
   * before the first read, as in CPython.
   *
   * @param options The keyword arguments.
   * @throws {UnsupportedOperation} `It is not possible to set the encoding
   * or newline of stream after the first read`.
   * @throws {TypeError} `reconfigure() argument 'encoding' must be str or
   * None, not int`, `'str' object cannot be interpreted as an integer`,
   * `reconfigure() takes no positional arguments`, `'x' is an invalid
   * keyword argument for reconfigure()`.
   * @throws {ValueError} `illegal newline value: x`, `I/O operation on
   * closed file.`
   * @throws {LookupError} `unknown encoding: x` (after the flush and the
   * newline change, as in CPython).
   *
   * @example Line buffering: each line goes out as it is written
   * ```ts
   * import { socketpair } from "@pysocket/socket";
   * import { assertEquals } from "@std/assert";
   *
   * const [a, b] = await socketpair();
   * const f = a.makefile("w");
   * await f.reconfigure({ line_buffering: true });
   * await f.write("ab\ncd");
   * assertEquals(new TextDecoder().decode(await b.recv(100)), "ab\ncd");
   * await f.close();
   * a.close();
   * b.close();
   * ```
   */
  reconfigure(options?: Parameters<TextFile["reconfigure"]>[0]): Promise<void> {
    let apply: () => void;
    try {
      apply = this.#reconfigure(arguments.length, options);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#writes.run(async () => {
      await this.#flush();
      apply();
    });
  }

  /**
   * Flushes, then closes the buffer, even when the flush failed (then
   * rejects with its error). Idempotent.
   */
  async close(): Promise<void> {
    noArgs("TextIOWrapper.close", arguments);
    const buffer = this.#attached();
    if (buffer.closed) return;
    let failure: unknown = null;
    try {
      await this.flush();
    } catch (err) {
      failure = err;
    }
    await buffer.close();
    if (failure !== null) throw failure;
  }

  /** `await using`: closes the file. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /**
   * Flushes, then hands over the buffered binary file; this one is
   * unusable afterwards.
   *
   * @returns The buffer.
   * @throws {ValueError} `I/O operation on closed file.`
   */
  async detach(): Promise<BinaryFile> {
    const buffer = this.#attached();
    await this.flush();
    this.#buffer = null;
    return buffer;
  }

  /**
   * Python's repr.
   *
   * @returns `<_io.TextIOWrapper name=3 mode='r' encoding='UTF-8'>`.
   */
  toString(): string {
    const buffer = this.#buffer;
    // A pair has no name in Python, and a detached wrapper shows none.
    const name = buffer === null || buffer instanceof BufferedRWPair
      ? ""
      : ` name=${buffer.name}`;
    return `<_io.TextIOWrapper${name} mode=${reprStr(this.#mode)} encoding=${
      reprStr(this.#encoding)
    }>`;
  }

  /** Deno's `console.log` shows the repr. */
  [DENO_INSPECT](): string {
    return this.toString();
  }

  /** Node's `util.inspect` shows the repr. */
  [NODE_INSPECT](): string {
    return this.toString();
  }

  // ---- CPython's textio.c ----

  /** `CHECK_ATTACHED`. */
  #attached(): BinaryFile {
    if (this.#buffer === null) {
      throw new ValueError("underlying buffer has been detached");
    }
    return this.#buffer;
  }

  /** `TextIOWrapper.flush`: the pending bytes, then the buffer's flush. */
  async #flush(): Promise<void> {
    this.#checkClosed();
    await this.#writeflush();
    await this.#attached().flush();
  }

  /**
   * `set_newline`: the read and write newline rules (CPython's
   * `readuniversal`, `readtranslate`, `readnl`, `writenl`).
   */
  #setNewline(newline: string | null): void {
    this.#readUniversal = newline === null || newline === "";
    this.#readTranslate = newline === null;
    this.#readNewline = newline;
    this.#writeNewline = newline === "\r" || newline === "\r\n"
      ? newline
      : null;
  }

  /** `_textiowrapper_set_decoder`: a new decoder, when `buffer` reads. */
  #setDecoder(buffer: BinaryFile): void {
    this.#decoder = this.#newlineDecoder = null;
    if (!buffer.readable()) return;
    const decoder = this.#codec.decoder(this.#errors);
    if (this.#readUniversal) {
      this.#newlineDecoder = new IncrementalNewlineDecoder(
        decoder,
        this.#readTranslate,
      );
      this.#decoder = this.#newlineDecoder;
    } else this.#decoder = decoder;
  }

  /**
   * `reconfigure()`'s checks, in CPython's order, before its flush; what
   * it returns applies the settings once the flush is done.
   */
  #reconfigure(count: number, options: unknown): () => void {
    if (
      count > 1 ||
      (options !== undefined &&
        (typeof options !== "object" || options === null ||
          Array.isArray(options) ||
          ![Object.prototype, null].includes(Object.getPrototypeOf(options))))
    ) {
      throw new TypeError("reconfigure() takes no positional arguments");
    }
    const given = (options ?? {}) as Record<string, unknown>;
    for (const key of Object.keys(given)) {
      if (!RECONFIGURE_KEYWORDS.includes(key)) {
        throw new TypeError(
          `'${key}' is an invalid keyword argument for reconfigure()`,
        );
      }
    }
    const encoding = strOrNone(given.encoding, "encoding");
    const errors = strOrNone(given.errors, "errors");
    // Omitted is not `None` here: `newline: null` asks for universal
    // newlines.
    const newlineGiven = given.newline !== undefined;
    const newline = strOrNone(given.newline, "newline");
    if (
      this.#decodedKept &&
      (encoding !== null || errors !== null || newlineGiven)
    ) {
      throw new UnsupportedOperation(
        "It is not possible to set the encoding or newline of stream after the first read",
      );
    }
    const nl = newline === null ? null : cString(newline);
    if (
      nl !== null && nl !== "" && nl !== "\n" && nl !== "\r" && nl !== "\r\n"
    ) {
      throw new ValueError(`illegal newline value: ${nl}`);
    }
    const lineBuffering = optionalBool(
      given.line_buffering,
      this.#lineBuffering,
    );
    const writeThrough = optionalBool(given.write_through, this.#writeThrough);
    return () => {
      this.#b2cratio = 0;
      if (newlineGiven) this.#setNewline(nl);
      if (encoding !== null || errors !== null || newlineGiven) {
        // `textiowrapper_change_encoding`: what is not given stays, but a
        // new encoding's handler is "strict" unless one is given.
        let name = this.#encoding;
        let handler: string = errors ?? this.#errors;
        if (encoding !== null) {
          name = encoding === "locale" ? "UTF-8" : encoding;
          handler = errors ?? "strict";
        }
        const codec = lookupCodec(cString(name));
        const checked = checkErrors(handler);
        this.#codec = codec;
        this.#errors = checked;
        this.#setDecoder(this.#attached());
        this.#encoding = name;
      }
      this.#lineBuffering = lineBuffering;
      this.#writeThrough = writeThrough;
    };
  }

  /** `CHECK_ATTACHED`, `CHECK_CLOSED`. */
  #checkClosed(): void {
    if (this.#attached().closed) throw new ValueError(CLOSED_FILE);
  }

  /** The codec's error for `decode(None)` (a non-blocking `read()`). */
  #noneInput(): TypeError {
    return new TypeError(
      this.#codec.name === "utf-8"
        ? "can't concat NoneType to bytes"
        : "a bytes-like object is required, not 'NoneType'",
    );
  }

  /** The decoded text kept; `""` drops it (CPython's `NULL`). */
  #setDecoded(text: string): void {
    this.#decoded = text;
    this.#used = 0;
    this.#decodedKept = text !== "";
  }

  /** Up to `n` decoded characters, and how many code points they are. */
  #takeDecoded(n: number): [string, number] {
    const from = this.#used;
    const end = codePointIndex(this.#decoded, from, n);
    this.#used = end;
    const text = this.#decoded.slice(from, end);
    const count = end - from === n ? n : codePointLength(text);
    return [text, count];
  }

  /**
   * `textiowrapper_read_chunk`: one `read1` of the buffer, decoded into
   * `#decoded`. `false` at end of stream (or when a non-blocking socket
   * would block: `read1` is empty then too, as in CPython).
   */
  async #readChunk(sizeHint: number): Promise<boolean> {
    const decoder = this.#decoder;
    if (decoder === null) throw new UnsupportedOperation("not readable");
    const hint = sizeHint > 0
      ? Math.floor(Math.max(this.#b2cratio, 1) * sizeHint)
      : 0;
    const input = await this.#attached().read1(Math.max(CHUNK_SIZE, hint));
    if (!(input instanceof Uint8Array)) {
      throw new TypeError(
        `underlying read1() should have returned a bytes-like object, not '${
          pyTypeName(input)
        }'`,
      );
    }
    let eof = input.length === 0;
    const decoded = decoder.decode(input, eof);
    this.#setDecoded(decoded);
    this.#decodedKept = true;
    const chars = codePointLength(decoded);
    this.#b2cratio = chars > 0 ? input.length / chars : 0;
    if (chars > 0) eof = false;
    return !eof;
  }

  /**
   * Where the first line ending at or after `start` ends, or -1 and how
   * far the text can be set aside (`_PyIO_find_line_ending`).
   */
  #findLineEnding(line: string, start: number): [number, number] {
    if (this.#readTranslate) {
      const at = line.indexOf("\n", start);
      return at >= 0 ? [at + 1, 0] : [-1, line.length];
    }
    if (this.#readUniversal) {
      ANY_NEWLINE.lastIndex = start;
      const m = ANY_NEWLINE.exec(line);
      if (m === null) return [-1, line.length];
      const at = m.index;
      if (line.charCodeAt(at) === 0x0d && line.charCodeAt(at + 1) === 0x0a) {
        return [at + 2, 0];
      }
      return [at + 1, 0];
    }
    const nl = this.#readNewline!;
    const at = line.indexOf(nl, start);
    if (at >= 0) return [at + nl.length, 0];
    // A `\r` at the end may start the `\r\n` the next piece completes.
    if (
      nl.length === 2 && line.length > start &&
      line.charCodeAt(line.length - 1) === 0x0d
    ) {
      return [-1, line.length - 1];
    }
    return [-1, line.length];
  }

  /**
   * `_textiowrapper_readline`: a whole line in what is decoded is returned
   * at once; otherwise each character is searched once.
   */
  #readline(limit: number): string | Promise<string> {
    this.#checkClosed();
    if (limit < 0 && this.#pending.length === 0) {
      const from = this.#used;
      if (from < this.#decoded.length) {
        const [end] = this.#findLineEnding(this.#decoded, from);
        if (end >= 0) {
          this.#used = end;
          return this.#decoded.slice(from, end);
        }
      }
    }
    return this.#readlineMore(limit);
  }

  /** The general case of `#readline`, as CPython's loop. */
  async #readlineMore(limit: number): Promise<string> {
    await this.#writeflush();
    const parts: string[] = [];
    let chunked = 0;
    let remaining: string | null = null;
    let line: string | null = null;
    let start = 0;
    let endpos = 0;
    let offsetToBuffer = 0;
    for (;;) {
      let more = true;
      while (this.#used >= this.#decoded.length) {
        more = await this.#readChunk(0);
        if (!more) break;
      }
      if (!more) {
        this.#setDecoded("");
        break;
      }
      if (remaining === null) {
        line = this.#decoded;
        start = this.#used;
        offsetToBuffer = 0;
      } else {
        line = remaining + this.#decoded;
        start = 0;
        offsetToBuffer = remaining.length;
        remaining = null;
      }
      const [found, consumed] = this.#findLineEnding(line, start);
      if (found >= 0) {
        endpos = found;
        if (
          limit >= 0 && codePointLength(line, start, endpos) + chunked >= limit
        ) {
          endpos = codePointIndex(line, start, limit - chunked);
        }
        break;
      }
      endpos = consumed;
      if (
        limit >= 0 && codePointLength(line, start, endpos) + chunked >= limit
      ) {
        endpos = codePointIndex(line, start, limit - chunked);
        break;
      }
      if (endpos > start) {
        const part = line.slice(start, endpos);
        parts.push(part);
        if (limit >= 0) chunked += codePointLength(part);
      }
      if (endpos < line.length) remaining = line.slice(endpos);
      line = null;
      this.#setDecoded("");
    }
    if (line !== null) {
      this.#used = endpos - offsetToBuffer;
      line = line.slice(start, endpos);
    }
    if (remaining !== null) parts.push(remaining);
    if (parts.length === 0) return line ?? "";
    if (line !== null) parts.push(line);
    return parts.join("");
  }

  async #write(text: unknown): Promise<number> {
    if (typeof text !== "string") {
      throw new TypeError(
        `write() argument must be str, not ${pyArgType(text)}`,
      );
    }
    this.#checkClosed();
    if (!this.#writable) throw new UnsupportedOperation("not writable");
    const length = codePointLength(text);
    const newline = this.#writeNewline;
    const lineBuffering = this.#lineBuffering;
    const haslf = (newline !== null || lineBuffering) && text.includes("\n");
    const out = haslf && newline !== null
      ? text.replaceAll("\n", newline)
      : text;
    const needflush = lineBuffering && (haslf || out.includes("\r"));
    const bytes = this.#codec.encode(out, this.#errors);
    if (
      this.#pending.length > 0 &&
      this.#pendingCount + bytes.length > CHUNK_SIZE
    ) {
      // Never join more than a chunk's worth.
      await this.#writeflush();
    }
    this.#pending.push(bytes);
    this.#pendingCount += bytes.length;
    if (
      this.#pendingCount >= CHUNK_SIZE || needflush || this.#writeThrough
    ) {
      await this.#writeflush();
    }
    if (needflush) await this.#attached().flush();
    // CPython drops the decoded text here; this one keeps it (see the
    // class's notes), but a new encoding may be set again, as there.
    this.#decodedKept = false;
    return length;
  }

  /** `_textiowrapper_writeflush`: the pending bytes to the buffer. */
  async #writeflush(): Promise<void> {
    if (this.#pending.length === 0) return;
    const bytes = concatBytes(this.#pending, this.#pendingCount);
    this.#pending = [];
    this.#pendingCount = 0;
    await this.#attached().write(bytes);
  }
}

// Python's names (`type(x).__name__`, its repr's), whatever a bundler
// names the class.
pyNames({ "_io.TextIOWrapper": TextIOWrapper });
