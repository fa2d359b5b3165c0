// Copyright the pysocket authors. MIT license.
/**
 * `socket.makefile()`: the raw, buffered and text layers assembled as
 * CPython's `socket.makefile` assembles them.
 *
 * @module
 */

import { TypeError, ValueError } from "../errors.ts";
import { checkErrors, lookupCodec } from "../../_py/codec.ts";
import {
  bytesLike,
  checkCInt,
  checkOptions,
  pyRepr,
  pyTypeName,
} from "../../_py/pytype.ts";
import { reprStr } from "./_args.ts";
import { DEFAULT_BUFFER_SIZE } from "./_iobase.ts";
import { BufferedReader } from "./buffered_reader.ts";
import { BufferedRWPair } from "./buffered_rw_pair.ts";
import { BufferedWriter } from "./buffered_writer.ts";
import { SocketIO } from "./socket_io.ts";
import { TextIOWrapper, type TextOptions } from "./text_io_wrapper.ts";
import type {
  BinaryFile,
  BinaryMode,
  FileSocket,
  MakefileOptions,
  RawFile,
  SocketFile,
  TextFile,
  TextMode,
} from "./types.ts";

const noop = (): void => {};

/** `TextIOWrapper()`'s check of a `str or None` argument. */
function strOrNone(value: unknown, name: string): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== "string") {
    throw new TypeError(
      `TextIOWrapper() argument '${name}' must be str or None, not ${
        pyTypeName(value)
      }`,
    );
  }
  return value;
}

/**
 * `mode` checked as CPython's `set(mode) <= {"r", "w", "b"}` checks it:
 * what is not iterable is a `TypeError`, an item other than those three a
 * `ValueError` quoting the mode's repr.
 */
function modeOf(mode: unknown): string {
  let items: ArrayLike<unknown>;
  if (typeof mode === "string") items = mode;
  else if (Array.isArray(mode)) items = mode;
  else if (ArrayBuffer.isView(mode) || mode instanceof ArrayBuffer) {
    items = bytesLike(mode); // its ints are never r, w or b: no copy
  } else {
    throw new TypeError(`'${pyTypeName(mode)}' object is not iterable`);
  }
  for (let i = 0; i < items.length; i++) {
    const ch = items[i];
    if (ch !== "r" && ch !== "w" && ch !== "b") {
      throw new ValueError(
        `invalid mode ${
          typeof mode === "string" ? reprStr(mode) : pyRepr(mode)
        } (only r, w, b allowed)`,
      );
    }
  }
  return Array.from(items).join("");
}

/**
 * `buffering` as CPython uses it: `None` is -1, anything compared with 0
 * must be a number (`'<' not supported between instances of 'str' and
 * 'int'`), a size is a C `ssize_t`.
 */
function bufferSize(buffering: unknown): number {
  if (buffering === null || buffering === undefined) return -1;
  if (
    typeof buffering !== "number" && typeof buffering !== "boolean" &&
    typeof buffering !== "bigint"
  ) {
    throw new TypeError(
      `'<' not supported between instances of '${
        pyTypeName(buffering)
      }' and 'int'`,
    );
  }
  if (Number(buffering) < 0) return -1;
  return checkCInt(buffering, "ssize_t");
}

/** Text mode's options, checked as `TextIOWrapper()` checks them. */
function textOptions(options: MakefileOptions): TextOptions {
  const encoding = strOrNone(options.encoding, "encoding");
  const errors = strOrNone(options.errors, "errors");
  const newline = strOrNone(options.newline, "newline");
  if (
    newline !== null && newline !== "" && newline !== "\n" &&
    newline !== "\r" && newline !== "\r\n"
  ) {
    throw new ValueError(`illegal newline value: ${newline}`);
  }
  const name = encoding ?? "UTF-8";
  return {
    encoding: name,
    codec: lookupCodec(name),
    errors: checkErrors(errors),
    newline,
  };
}

/**
 * Python's `socket.makefile(mode, buffering, *, encoding, errors,
 * newline)`: a file object over a connected socket, built as CPython
 * builds it. `mode` takes `r`, `w` and `b` in any combination. Under
 * everything is a `SocketIO` (one `recv`/`send` per call), which
 * `buffering = 0` returns as it is (binary only). Otherwise a buffer of
 * `buffering` bytes (8192 by default) goes on top: an `io.BufferedReader`
 * (`r`), `io.BufferedWriter` (`w`) or `io.BufferedRWPair` (both). With `b`
 * that is the file (it reads and writes `Uint8Array`s); without, an
 * `io.TextIOWrapper` on top decodes and encodes strings (UTF-8 by
 * default). The socket stays open until its files are closed, even after
 * its own `close()`, as in CPython.
 *
 * @param sock A connected stream socket.
 * @param mode Some of `r`, `w`, `b`.
 * @param buffering `0`: unbuffered (a `SocketIO`).
 * @param options `encoding`, `errors`, `newline` (text mode).
 * @param release Called once when the file closes.
 * @returns Python's `SocketIO`.
 * @throws {ValueError} `invalid mode 'x' (only r, w, b allowed)`.
 *
 * @example Read lines, write a reply
 * ```ts
 * import { socketpair } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * const [a, b] = await socketpair();
 * await using out = a.makefile("w");
 * await out.write("HELO example.org\r\nQUIT\n");
 * await out.flush();
 *
 * await using lines = b.makefile("r");
 * assertEquals(await lines.readline(), "HELO example.org\n");
 * assertEquals(await lines.readline(), "QUIT\n");
 * a.close();
 * b.close();
 * ```
 */
export function makefile(
  sock: FileSocket,
  mode: BinaryMode,
  buffering: 0,
  options?: MakefileOptions,
  release?: () => void,
): RawFile;
/**
 * A buffered binary file: `io.BufferedReader`, `io.BufferedWriter` or
 * `io.BufferedRWPair` (a `buffering` of `0` only known at run time gives a
 * `SocketIO`, whose reads may be `null`).
 *
 * @param sock A connected stream socket.
 * @param mode Some of `r`, `w` with `b`.
 * @param buffering The buffer size; `null` or negative: 8192.
 * @param options Ignored in binary mode, as in CPython.
 * @param release Called once when the file closes.
 * @returns The file object.
 * @throws {ValueError} `invalid mode 'x' (only r, w, b allowed)`.
 */
export function makefile(
  sock: FileSocket,
  mode: BinaryMode,
  buffering?: number | null,
  options?: MakefileOptions,
  release?: () => void,
): BinaryFile;
/**
 * A text file of strings: an `io.TextIOWrapper` over a buffered binary
 * file.
 *
 * @param sock A connected stream socket.
 * @param mode `"r"`, `"w"`, `"rw"`; `"r"` by default.
 * @param buffering The buffer size; `null` or negative: 8192.
 * @param options `encoding`, `errors`, `newline`.
 * @param release Called once when the file closes.
 * @returns The file object.
 * @throws {ValueError} `unbuffered streams must be binary`, `illegal
 * newline value: x`.
 * @throws {LookupError} `unknown encoding: x`.
 */
export function makefile(
  sock: FileSocket,
  mode?: TextMode,
  buffering?: number | null,
  options?: MakefileOptions,
  release?: () => void,
): TextFile;
/**
 * A file whose mode is known only at run time.
 *
 * @param sock A connected stream socket.
 * @param mode Some of `r`, `w`, `b`.
 * @param buffering The buffer size; `null` or negative: 8192; `0`:
 * unbuffered (binary only).
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
  release: () => void = noop,
): SocketFile | RawFile {
  mode = modeOf(mode);
  options = checkOptions<MakefileOptions>(
    options,
    "socket.socket.makefile",
    "socket.makefile",
    ["encoding", "errors", "newline"],
  );
  const writing = mode.includes("w");
  const reading = mode.includes("r") || !writing;
  const binary = mode.includes("b");
  let size = bufferSize(buffering);
  if (size < 0) size = DEFAULT_BUFFER_SIZE;
  if (size === 0 && !binary) {
    throw new ValueError("unbuffered streams must be binary");
  }
  // Everything that can fail is checked before the raw file holds the
  // socket (CPython's garbage collector releases a failed one; here
  // nothing would).
  const text = binary ? null : textOptions(options);
  const rawMode = (reading ? "r" : "") + (writing ? "w" : "") + "b";
  const raw = new SocketIO(sock, rawMode, release);
  if (size === 0) return raw;
  const buffer = reading && writing
    ? new BufferedRWPair(raw, raw, size)
    : reading
    ? new BufferedReader(raw, size)
    : new BufferedWriter(raw, size);
  if (text === null) return buffer;
  return new TextIOWrapper(buffer, text, mode);
}
