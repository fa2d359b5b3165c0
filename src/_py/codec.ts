// Copyright the pysocket authors. MIT license.
// The text codecs of makefile()'s text mode: UTF-8, Latin-1 and ASCII, with
// Python's `errors` handlers ("strict", "replace", "ignore") and Python's
// UnicodeDecodeError / UnicodeEncodeError texts. (TextDecoder alone cannot
// do it: its "latin1" is windows-1252 and its fatal mode gives no position.)

import { defineArgs, TypeError, ValueError } from "../socket/errors.ts";
import {
  argsStr,
  fixMessage,
  followFields,
  initFields,
  PY_STR,
  splitArgs,
} from "./type_error.ts";
import { bytesLike, checkCInt, pyArgType } from "./pytype.ts";
import { pyNames } from "./repr.ts";

/**
 * Bytes as Latin-1 text, one character per byte (U+0000–U+00FF), as C's
 * `char *` reaches Python's bytes-to-str paths; `TextDecoder`'s "latin1"
 * is windows-1252, which reads 0x80–0x9F as other characters.
 */
export function latin1Text(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return text;
}

/**
 * Python's `LookupError`, raised for an unknown encoding
 * (`unknown encoding: utf-9`) or error handler name.
 *
 * @example
 * ```ts
 * import { LookupError } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(new LookupError("unknown encoding: utf-9").name, "LookupError");
 * ```
 */
export class LookupError extends Error {
  /**
   * Python's `args`: the arguments as given (`[message]`, `[]` without
   * one); assigning it changes the message, as Python's `str()`.
   */
  declare args: readonly unknown[];

  /**
   * Makes the error with Python's text.
   *
   * @param message Python's text for the error.
   * @param options The `cause`.
   */
  constructor(message?: string, options?: ErrorOptions);
  /**
   * Makes the error as Python's `LookupError(*args)`: its message is the `repr()`
   * of the arguments' tuple (`('a', 5)`).
   *
   * @param args The arguments.
   */
  constructor(...args: unknown[]);
  constructor(...given: unknown[]) {
    const [args, options] = splitArgs(given);
    super(undefined, options);
    this.name = new.target.name;
    initFields(this, { args });
  }

  /**
   * Python's `str()` of the error: from its `args`.
   *
   * @ignore
   */
  [PY_STR](): string {
    return argsStr(this.args);
  }
}

followFields(LookupError.prototype, ["args"]);

/**
 * The checks of CPython's `UnicodeEncodeError(encoding, object, start,
 * end, reason)` and `UnicodeDecodeError(…)`: five arguments, `encoding`
 * and `reason` strs, `object` a str (encode) or bytes (decode), `start`
 * and `end` ints.
 */
function unicodeErrorArgs(args: ArrayLike<unknown>, decode: boolean): void {
  let given = args.length;
  while (given > 0 && args[given - 1] === undefined) given--;
  if (given !== 5) {
    throw new TypeError(`function takes exactly 5 arguments (${given} given)`);
  }
  const str = (value: unknown, n: number) => {
    if (typeof value !== "string") {
      throw new TypeError(
        `argument ${n} must be str, not ${pyArgType(value)}`,
      );
    }
  };
  str(args[0], 1);
  if (decode) bytesLike(args[1]);
  else str(args[1], 2);
  checkCInt(args[2], "ssize_t");
  checkCInt(args[3], "ssize_t");
  str(args[4], 5);
}

/**
 * Python's `UnicodeError`, the base of {@linkcode UnicodeDecodeError} and
 * {@linkcode UnicodeEncodeError}; a {@linkcode ValueError}, as in Python.
 *
 * @example
 * ```ts
 * import { UnicodeError, ValueError } from "@pysocket/socket";
 * import { assert } from "@std/assert";
 *
 * assert(new UnicodeError("bad text") instanceof ValueError);
 * ```
 */
export class UnicodeError extends ValueError {}

/**
 * Python's `UnicodeDecodeError`: bytes a text-mode file cannot decode, with
 * Python's message (`'utf-8' codec can't decode byte 0xe9 in position 3:
 * invalid continuation byte`) and fields.
 *
 * @example
 * ```ts
 * import { UnicodeDecodeError } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * const err = new UnicodeDecodeError("utf-8", new Uint8Array([0xff]), 0, 1, "invalid start byte");
 * assertEquals(err.message, "'utf-8' codec can't decode byte 0xff in position 0: invalid start byte");
 * ```
 */
export class UnicodeDecodeError extends UnicodeError {
  /** The codec's name (`utf-8`, `ascii`). */
  readonly encoding: string;
  /** The bytes being decoded. */
  readonly object: Uint8Array;
  /**
   * Where the bad bytes start in
   * {@linkcode UnicodeDecodeError.prototype.object}.
   */
  readonly start: number;
  /** Where they end (exclusive). */
  readonly end: number;
  /** Why they are bad (`invalid start byte`). */
  readonly reason: string;

  /**
   * Makes the error as Python's `UnicodeDecodeError(encoding, object,
   * start, end, reason)`.
   *
   * @param encoding The codec's name.
   * @param object The bytes being decoded.
   * @param start The first bad byte's index.
   * @param end The index after the last bad byte.
   * @param reason Why they are bad.
   */
  constructor(
    encoding: string,
    object: Uint8Array,
    start: number,
    end: number,
    reason: string,
  ) {
    unicodeErrorArgs(arguments, true);
    object = bytesLike(object);
    // The one-byte form only for a byte inside the object, as CPython.
    const text = end - start === 1 && start >= 0 && start < object.length
      ? `'${encoding}' codec can't decode byte 0x${
        object[start].toString(16).padStart(2, "0")
      } in position ${start}: ${reason}`
      : `'${encoding}' codec can't decode bytes in position ${start}-${
        end - 1
      }: ${reason}`;
    super(text); // (the text, for a stack written when made)
    fixMessage(this, text);
    this.encoding = encoding;
    this.object = object;
    this.start = start;
    this.end = end;
    this.reason = reason;
    defineArgs(this, [encoding, object, start, end, reason]);
  }
}

/**
 * Python's `UnicodeEncodeError`: text a text-mode file cannot encode, with
 * Python's message (`'ascii' codec can't encode character '\xe9' in position
 * 3: ordinal not in range(128)`). Positions count code points, as Python.
 *
 * @example
 * ```ts
 * import { UnicodeEncodeError } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * const err = new UnicodeEncodeError("ascii", "café", 3, 4, "ordinal not in range(128)");
 * assertEquals(err.message, "'ascii' codec can't encode character '\\xe9' in position 3: ordinal not in range(128)");
 * ```
 */
export class UnicodeEncodeError extends UnicodeError {
  /** The codec's name. */
  readonly encoding: string;
  /** The text being encoded. */
  readonly object: string;
  /** Where the bad characters start, in code points. */
  readonly start: number;
  /** Where they end (exclusive), in code points. */
  readonly end: number;
  /** Why they cannot be encoded. */
  readonly reason: string;

  /**
   * Makes the error as Python's `UnicodeEncodeError(encoding, object,
   * start, end, reason)`.
   *
   * @param encoding The codec's name.
   * @param object The text being encoded.
   * @param start The first bad character's index, in code points.
   * @param end The index after the last one.
   * @param reason Why they cannot be encoded.
   */
  constructor(
    encoding: string,
    object: string,
    start: number,
    end: number,
    reason: string,
  ) {
    unicodeErrorArgs(arguments, false);
    const chars = [...object];
    const text = end - start === 1 && start >= 0 && start < chars.length
      ? `'${encoding}' codec can't encode character '${
        escapeChar(chars[start].codePointAt(0)!)
      }' in position ${start}: ${reason}`
      : `'${encoding}' codec can't encode characters in position ${start}-${
        end - 1
      }: ${reason}`;
    super(text); // (the text, for a stack written when made)
    fixMessage(this, text);
    this.encoding = encoding;
    this.object = object;
    this.start = start;
    this.end = end;
    this.reason = reason;
    defineArgs(this, [encoding, object, start, end, reason]);
  }
}

pyNames({ LookupError, UnicodeError, UnicodeDecodeError, UnicodeEncodeError });

/** `\xe9`, `\u20ac`, `\U0001f600`: how Python's messages show a character. */
function escapeChar(cp: number): string {
  if (cp <= 0xff) return `\\x${cp.toString(16).padStart(2, "0")}`;
  if (cp <= 0xffff) return `\\u${cp.toString(16).padStart(4, "0")}`;
  return `\\U${cp.toString(16).padStart(8, "0")}`;
}

/** The error handlers pysocket implements. */
export type ErrorHandler = "strict" | "replace" | "ignore";

/** Handlers Python has and pysocket does not. */
const OTHER_HANDLERS = new Set([
  "backslashreplace",
  "namereplace",
  "surrogateescape",
  "surrogatepass",
  "xmlcharrefreplace",
]);

/**
 * Python's `errors` argument: `null` is `"strict"`.
 *
 * @throws {UnicodeEncodeError} For a name with a lone surrogate.
 * @throws {ValueError} `embedded null character`.
 * @throws {LookupError} For an unknown handler name.
 */
export function checkErrors(errors: string | null | undefined): ErrorHandler {
  const name = errors ?? "strict";
  checkCString(name);
  if (name === "strict" || name === "replace" || name === "ignore") {
    return name;
  }
  if (OTHER_HANDLERS.has(name)) {
    throw new ValueError(
      `error handler '${name}' is not supported (use 'strict', 'replace' or 'ignore')`,
    );
  }
  throw new LookupError(`unknown error handler name '${name}'`);
}

/** A stateful decoder: `final` flushes (and fails on) an incomplete tail. */
export interface Decoder {
  decode(bytes: Uint8Array, final: boolean): string;
}

/** A codec: Python's name for it, a decoder factory and an encoder. */
export interface Codec {
  /** Python's canonical name, as its error messages spell it. */
  readonly name: string;
  decoder(errors: ErrorHandler): Decoder;
  encode(text: string, errors: ErrorHandler): Uint8Array;
}

const EMPTY = new Uint8Array(0);
const REPLACEMENT = "\ufffd";
const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });
const utf8Encoder = new TextEncoder();

/**
 * The length of the UTF-8 sequence at `d[i]`: `> 0` valid; `0` a valid
 * prefix cut off by the end of `d`; `< 0` an invalid maximal subpart of
 * `-result` bytes (the unit Python replaces with one U+FFFD).
 *
 * A surrogate's first two bytes (`ED A0`–`ED BF`) that end `d` are also
 * `0` while more may come (not `final`): CPython's decoder waits for the
 * third byte there ("Truncated surrogate code in range D800-DFFF" in
 * `unicode_decode_utf8()`) and only then calls the `ED` an invalid
 * continuation, as it does at once for `E0 80`, `F0 80` or `F4 90`.
 */
function sequence(d: Uint8Array, i: number, final: boolean): number {
  const c = d[i];
  if (c < 0x80) return 1;
  if (
    c === 0xed && !final && d.length - i === 2 && d[i + 1] >= 0xa0 &&
    d[i + 1] <= 0xbf
  ) {
    return 0;
  }
  let need: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (c >= 0xc2 && c <= 0xdf) need = 1;
  else if (c >= 0xe0 && c <= 0xef) {
    need = 2;
    if (c === 0xe0) lo = 0xa0;
    if (c === 0xed) hi = 0x9f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    need = 3;
    if (c === 0xf0) lo = 0x90;
    if (c === 0xf4) hi = 0x8f;
  } else return -1;
  for (let k = 1; k <= need; k++) {
    if (i + k >= d.length) return 0;
    const b = d[i + k];
    if (b < lo || b > hi) return -k;
    lo = 0x80;
    hi = 0xbf;
  }
  return need + 1;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

class Utf8Decoder implements Decoder {
  #errors: ErrorHandler;
  #pending: Uint8Array = EMPTY;

  constructor(errors: ErrorHandler) {
    this.#errors = errors;
  }

  /**
   * Decodes the next piece. A failure leaves the held-back bytes as they
   * were (Python's `BufferedIncrementalDecoder` keeps its buffer), so
   * later calls fail on them again.
   */
  decode(bytes: Uint8Array, final: boolean): string {
    const d = concat(this.#pending, bytes);
    let pending = EMPTY;
    let out = "";
    let from = 0; // start of the valid run not yet decoded
    let i = 0;
    while (i < d.length) {
      if (d[i] < 0x80) {
        i++;
        continue;
      }
      const n = sequence(d, i, final);
      if (n > 0) {
        i += n;
        continue;
      }
      if (n === 0 && !final) {
        pending = d.slice(i);
        break;
      }
      // An error: an invalid subpart, or a tail cut off at the end.
      const end = n === 0 ? d.length : i - n;
      const reason = n === 0
        ? "unexpected end of data"
        : n === -1 && (d[i] < 0xc2 || d[i] > 0xf4)
        ? "invalid start byte"
        : "invalid continuation byte";
      if (this.#errors === "strict") {
        throw new UnicodeDecodeError("utf-8", d, i, end, reason);
      }
      out += utf8.decode(d.subarray(from, i));
      if (this.#errors === "replace") out += REPLACEMENT;
      i = from = end;
    }
    this.#pending = pending;
    const stop = pending.length > 0 ? d.length - pending.length : i;
    return out + utf8.decode(d.subarray(from, stop));
  }
}

/** A single-byte codec: bytes below `limit` are the code points. */
class ByteDecoder implements Decoder {
  #name: string;
  #limit: number;
  #errors: ErrorHandler;

  constructor(name: string, limit: number, errors: ErrorHandler) {
    this.#name = name;
    this.#limit = limit;
    this.#errors = errors;
  }

  decode(bytes: Uint8Array): string {
    const parts: string[] = [];
    const codes: number[] = [];
    for (let i = 0; i < bytes.length; i++) {
      const c = bytes[i];
      if (c < this.#limit) codes.push(c);
      else if (this.#errors === "strict") {
        throw new UnicodeDecodeError(
          this.#name,
          bytes,
          i,
          i + 1,
          `ordinal not in range(${this.#limit})`,
        );
      } else if (this.#errors === "replace") codes.push(0xfffd);
      if (codes.length >= 4096) {
        parts.push(String.fromCharCode(...codes));
        codes.length = 0;
      }
    }
    parts.push(String.fromCharCode(...codes));
    return parts.join("");
  }
}

/**
 * Encodes code point by code point: `ok` says what the codec can encode;
 * runs it cannot are Python's errors, `?`, or dropped.
 */
function encodeByCodePoint(
  name: string,
  text: string,
  errors: ErrorHandler,
  ok: (cp: number) => boolean,
  reason: string,
  encodeRun: (run: string) => Uint8Array,
): Uint8Array {
  let run = "";
  let pos = 0;
  let badStart = -1;
  const cps = [...text];
  for (let k = 0; k <= cps.length; k++) {
    const ch = cps[k];
    const good = ch === undefined || ok(ch.codePointAt(0)!);
    if (good && badStart >= 0) {
      if (errors === "strict") {
        throw new UnicodeEncodeError(name, text, badStart, pos, reason);
      }
      if (errors === "replace") run += "?".repeat(pos - badStart);
      badStart = -1;
    }
    if (ch === undefined) break;
    if (good) run += ch;
    else if (badStart < 0) badStart = pos;
    pos++;
  }
  return encodeRun(run);
}

function latin1Bytes(run: string): Uint8Array {
  const out = new Uint8Array(run.length);
  for (let i = 0; i < run.length; i++) out[i] = run.charCodeAt(i);
  return out;
}

const UTF8: Codec = {
  name: "utf-8",
  decoder: (errors) => new Utf8Decoder(errors),
  encode(text, errors) {
    if (text.isWellFormed()) return utf8Encoder.encode(text);
    return encodeByCodePoint(
      "utf-8",
      text,
      errors,
      (cp) => cp < 0xd800 || cp > 0xdfff,
      "surrogates not allowed",
      (run) => utf8Encoder.encode(run),
    );
  },
};

function singleByte(name: string, limit: number): Codec {
  return {
    name,
    decoder: (errors) => new ByteDecoder(name, limit, errors),
    encode(text, errors) {
      return encodeByCodePoint(
        name,
        text,
        errors,
        (cp) => cp < limit,
        `ordinal not in range(${limit})`,
        latin1Bytes,
      );
    },
  };
}

const LATIN1 = singleByte("latin-1", 256);
const ASCII = singleByte("ascii", 128);

/**
 * CPython's codec modules that pysocket implements, by module name
 * (`encodings.utf_8`, …; `iso8859_1` is a charmap codec with Latin-1's
 * table).
 */
const MODULES: Record<string, Codec> = {
  utf_8: UTF8,
  latin_1: LATIN1,
  iso8859_1: LATIN1,
  ascii: ASCII,
};

/**
 * The entries of CPython 3.11's `encodings.aliases.aliases` whose module
 * is in {@linkcode MODULES}: normalized name → module name.
 */
const ALIASES: Record<string, string> = {
  "646": "ascii",
  "ansi_x3.4_1968": "ascii",
  "ansi_x3.4_1986": "ascii",
  "ansi_x3_4_1968": "ascii",
  "cp367": "ascii",
  "csascii": "ascii",
  "ibm367": "ascii",
  "iso646_us": "ascii",
  "iso_646.irv_1991": "ascii",
  "iso_ir_6": "ascii",
  "us": "ascii",
  "us_ascii": "ascii",
  "8859": "latin_1",
  "cp819": "latin_1",
  "csisolatin1": "latin_1",
  "ibm819": "latin_1",
  "iso8859": "latin_1",
  "iso8859_1": "latin_1",
  "iso_8859_1": "latin_1",
  "iso_8859_1_1987": "latin_1",
  "iso_ir_100": "latin_1",
  "l1": "latin_1",
  "latin": "latin_1",
  "latin1": "latin_1",
  "cp65001": "utf_8",
  "u8": "utf_8",
  "utf": "utf_8",
  "utf8": "utf_8",
  "utf8_ucs2": "utf_8",
  "utf8_ucs4": "utf_8",
};

/**
 * CPython's `_Py_normalize_encoding()` (what `codecs.lookup` does before
 * the `encodings` search function, whose `normalize_encoding()` then
 * changes nothing): ASCII letters, digits and `.` are kept, letters in
 * lower case; every run of other characters (non-ASCII ones included)
 * becomes one `_` between kept ones, and is dropped at either end.
 */
function normalizeEncoding(encoding: string): string {
  let out = "";
  let punct = false;
  for (const ch of encoding) {
    if (/^[A-Za-z0-9.]$/.test(ch)) {
      if (punct && out !== "") out += "_";
      punct = false;
      out += ch.toLowerCase();
    } else punct = true;
  }
  return out;
}

/**
 * The checks CPython makes on a str argument it passes on as a C string
 * (`encoding`, `errors`): it must encode to UTF-8 (`UnicodeEncodeError`
 * for a lone surrogate) and hold no NUL.
 *
 * @throws {UnicodeEncodeError} For a lone surrogate.
 * @throws {ValueError} `embedded null character`.
 */
function checkCString(text: string): void {
  if (!text.isWellFormed()) UTF8.encode(text, "strict");
  if (text.includes("\0")) throw new ValueError("embedded null character");
}

/**
 * The codec for an encoding name, found as CPython's `codecs.lookup` and
 * the `encodings` search function find it: the name normalized
 * ({@linkcode normalizeEncoding}), looked up in the aliases table (as it
 * is, then with `.` as `_`), else taken as a module name (unless it holds
 * a `.`). `UTF8`, `utf_8`, ` Latin-1 `, `UTF@8`, `iso_8859_1:1987`,
 * `us-ascii`, … all work.
 *
 * @throws {UnicodeEncodeError} For a name with a lone surrogate.
 * @throws {ValueError} `embedded null character`.
 * @throws {LookupError} `unknown encoding: <name>` for anything else
 * (and for Python's codecs pysocket does not implement).
 */
export function lookupCodec(encoding: string): Codec {
  checkCString(encoding);
  const norm = normalizeEncoding(encoding);
  const own = <T>(table: Record<string, T>, key: string) =>
    Object.hasOwn(table, key) ? table[key] : undefined;
  const module = own(ALIASES, norm) ??
    own(ALIASES, norm.replaceAll(".", "_")) ??
    (norm.includes(".") ? undefined : norm);
  const codec = module === undefined ? undefined : own(MODULES, module);
  if (codec === undefined) {
    throw new LookupError(`unknown encoding: ${encoding}`);
  }
  return codec;
}
