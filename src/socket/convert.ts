// Copyright the pysocket authors. MIT license.
/**
 * Address and byte-order conversions, as Python's `socket` module has them:
 * {@linkcode inet_aton}, {@linkcode inet_ntoa}, {@linkcode inet_pton},
 * {@linkcode inet_ntop}, {@linkcode htons}, {@linkcode ntohs},
 * {@linkcode htonl}, {@linkcode ntohl}. All synchronous; packed addresses
 * are `Uint8Array`s in network byte order. The parsers follow glibc's
 * `inet_aton()` and `inet_pton()` character for character, and
 * {@linkcode inet_ntop} writes IPv6 text as glibc does (`::ffff:1.2.3.4`).
 *
 * @module
 */

import { AF_INET, AF_INET6 } from "./constants.ts";
import {
  errnoError,
  OSError,
  OverflowError,
  TypeError,
  ValueError,
} from "./errors.ts";
import {
  type ArgSpec,
  bytesLike,
  checkArgs,
  checkCInt,
  pyArgType,
  pyInt,
  pyTypeName,
} from "../_py/pytype.ts";
import { lookupCodec } from "../_py/codec.ts";

const ULONG_MAX = 2n ** 64n - 1n;

/**
 * CPython's `"i"` argument conversion (a C `int`), with its texts.
 *
 * @internal
 */
export function cInt(value: unknown): number {
  return checkCInt(value, "i");
}

/** CPython's argument counts of the one-argument conversions. */
const ONE_ARG: Record<string, ArgSpec> = {
  htons: { name: "htons", style: "tuple", params: ["x"], required: 1 },
  ntohs: { name: "ntohs", style: "tuple", params: ["x"], required: 1 },
  htonl: { name: "_socket.htonl", style: "o", params: ["x"], required: 1 },
  ntohl: { name: "_socket.ntohl", style: "o", params: ["x"], required: 1 },
  inet_aton: {
    name: "inet_aton",
    style: "tuple",
    params: ["ip_string"],
    required: 1,
  },
  inet_ntoa: {
    name: "inet_ntoa",
    style: "tuple",
    params: ["packed_ip"],
    required: 1,
  },
};

/** ... and of the two-argument ones. */
const TWO_ARGS: Record<string, ArgSpec> = {
  inet_pton: {
    name: "inet_pton",
    style: "tuple",
    params: ["address_family", "ip_string"],
    required: 2,
  },
  inet_ntop: {
    name: "inet_ntop",
    style: "tuple",
    params: ["address_family", "packed_ip"],
    required: 2,
  },
};

/**
 * A `str` as CPython's UTF-8 encoder takes it: unchanged, unless it has a
 * lone surrogate, which is Python's `UnicodeEncodeError` (`'utf-8' codec
 * can't encode character '\\ud800' in position 0: surrogates not
 * allowed`).
 *
 * @param text The text to check.
 * @returns The same text.
 */
export function utf8Strict(text: string): string {
  if (!text.isWellFormed()) lookupCodec("utf-8").encode(text, "strict");
  return text;
}

/**
 * CPython's `"s"` conversion: a `str` that UTF-8 can encode, without NUL,
 * else its errors (the encoding is checked first, as in CPython).
 */
function cString(value: unknown, fn: string, position: number): string {
  if (typeof value !== "string") {
    const name = pyArgType(value);
    throw new TypeError(
      `${fn}() argument ${position} must be str, not ${name}`,
    );
  }
  utf8Strict(value);
  if (value.includes("\0")) throw new ValueError("embedded null character");
  return value;
}

/** A 16-bit value for `htons`/`ntohs`, with CPython's texts. */
function uint16(value: unknown, fn: string): number {
  const n = cInt(value);
  if (n < 0) {
    throw new OverflowError(
      `${fn}: can't convert negative Python int to C 16-bit unsigned integer`,
    );
  }
  if (n > 0xffff) {
    throw new OverflowError(
      `${fn}: Python int too large to convert to C 16-bit unsigned integer`,
    );
  }
  return n;
}

/** A 32-bit value for `htonl`/`ntohl`, with CPython's texts. */
function uint32(value: unknown): number {
  const n = pyInt(value);
  if (n === undefined) {
    throw new TypeError(`expected int, ${pyTypeName(value)} found`);
  }
  if (n < 0n) {
    throw new OverflowError("can't convert negative value to unsigned int");
  }
  if (n > ULONG_MAX) {
    throw new OverflowError(
      "Python int too large to convert to C unsigned long",
    );
  }
  if (n > 0xffffffffn) throw new OverflowError("int larger than 32 bits");
  return Number(n);
}

function swap16(n: number): number {
  return ((n & 0xff) << 8) | (n >>> 8);
}

function swap32(n: number): number {
  return (((n & 0xff) << 24) | ((n & 0xff00) << 8) | ((n >>> 8) & 0xff00) |
    (n >>> 24)) >>> 0;
}

/**
 * Converts a 16-bit integer from host to network byte order, as Python's
 * `socket.htons()` (a byte swap on little-endian hosts).
 *
 * @param x An integer in `0..65535` (a `number`, `bigint` or `boolean`).
 * @returns The integer with its two bytes in network order.
 * @throws {OverflowError} When `x` is negative or larger than 65535.
 * @throws {TypeError} When `x` is not an integer
 * (`'str' object cannot be interpreted as an integer`).
 *
 * @example Swap the bytes of a port
 * ```ts
 * import { htons } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(htons(0x1234), 0x3412);
 * ```
 */
export function htons(x: number | bigint | boolean): number {
  checkArgs(ONE_ARG["htons"], arguments);
  return swap16(uint16(x, "htons"));
}

/**
 * Converts a 16-bit integer from network to host byte order, as Python's
 * `socket.ntohs()`.
 *
 * @param x An integer in `0..65535` (a `number`, `bigint` or `boolean`).
 * @returns The integer with its two bytes in host order.
 * @throws {OverflowError} When `x` is negative or larger than 65535.
 * @throws {TypeError} When `x` is not an integer.
 *
 * @example Swap back
 * ```ts
 * import { htons, ntohs } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(ntohs(htons(8080)), 8080);
 * ```
 */
export function ntohs(x: number | bigint | boolean): number {
  checkArgs(ONE_ARG["ntohs"], arguments);
  return swap16(uint16(x, "ntohs"));
}

/**
 * Converts a 32-bit integer from host to network byte order, as Python's
 * `socket.htonl()`.
 *
 * @param x An integer in `0..2**32-1` (a `number`, `bigint` or `boolean`).
 * @returns The integer with its four bytes in network order.
 * @throws {OverflowError} When `x` is negative (`can't convert negative
 * value to unsigned int`) or wider than 32 bits (`int larger than 32 bits`).
 * @throws {TypeError} When `x` is not an integer (`expected int, str found`).
 *
 * @example Swap the bytes of an address
 * ```ts
 * import { htonl } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(htonl(0x7f000001), 0x0100007f);
 * ```
 */
export function htonl(x: number | bigint | boolean): number {
  checkArgs(ONE_ARG["htonl"], arguments);
  return swap32(uint32(x));
}

/**
 * Converts a 32-bit integer from network to host byte order, as Python's
 * `socket.ntohl()`.
 *
 * @param x An integer in `0..2**32-1` (a `number`, `bigint` or `boolean`).
 * @returns The integer with its four bytes in host order.
 * @throws {OverflowError} When `x` is negative or wider than 32 bits.
 * @throws {TypeError} When `x` is not an integer.
 *
 * @example Swap back
 * ```ts
 * import { htonl, ntohl } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(ntohl(htonl(3232235777)), 3232235777);
 * ```
 */
export function ntohl(x: number | bigint | boolean): number {
  checkArgs(ONE_ARG["ntohl"], arguments);
  return swap32(uint32(x));
}

/** ASCII `isspace()`: the characters glibc's `inet_aton` stops at. */
const SPACE = /^[ \t\n\v\f\r]/;

/**
 * glibc's `inet_aton()`: the packed address, or `undefined`. `exact`
 * refuses trailing text, as `getaddrinfo()` does (`__inet_aton_exact`).
 *
 * @internal
 */
export function parseAton(
  text: string,
  exact = false,
): Uint8Array<ArrayBuffer> | undefined {
  const parts: bigint[] = [];
  let i = 0;
  for (;;) {
    if (!/[0-9]/.test(text[i] ?? "")) return undefined;
    // strtoul(cp, &end, 0): 0x → hex, 0 → octal, else decimal.
    let digits: RegExp;
    let start = i;
    let prefix = "";
    if (
      text[i] === "0" && /[xX]/.test(text[i + 1] ?? "") &&
      /[0-9a-fA-F]/.test(text[i + 2] ?? "")
    ) {
      digits = /[0-9a-fA-F]/;
      prefix = "0x";
      start = i += 2;
    } else if (text[i] === "0") {
      digits = /[0-7]/;
      prefix = "0o";
    } else {
      digits = /[0-9]/;
    }
    while (i < text.length && digits.test(text[i])) i++;
    const value = BigInt(prefix + text.slice(start, i));
    if (value > 0xffffffffn) return undefined;
    parts.push(value);
    if (text[i] !== ".") break;
    if (parts.length > 3 || value > 0xffn) return undefined;
    i++;
  }
  if (i < text.length && (exact || !SPACE.test(text.slice(i)))) {
    return undefined;
  }
  // a, a.b (b: 24 bits), a.b.c (c: 16 bits), a.b.c.d
  const last = parts.pop()!;
  if (last > 0xffffffffn >> BigInt(8 * parts.length)) return undefined;
  let word = last;
  parts.forEach((part, k) => word |= part << BigInt(24 - 8 * k));
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, Number(word));
  return out;
}

/**
 * glibc's `inet_pton4()`: strict dotted quad, no leading zeros.
 *
 * @internal
 */
export function parsePton4(text: string): Uint8Array<ArrayBuffer> | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (m === null) return undefined;
  const out = new Uint8Array(4);
  for (let k = 0; k < 4; k++) {
    const part = m[k + 1];
    if (part.length > 1 && part[0] === "0") return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    out[k] = n;
  }
  return out;
}

/**
 * The IPv4 address an IPv4-mapped IPv6 literal stands for
 * (`"::ffff:127.0.0.1"` → `"127.0.0.1"`), as getaddrinfo() answers it for
 * `AF_INET`; `undefined` for any other host.
 */
export function mappedIPv4(host: string): string | undefined {
  const bytes = parsePton6(host);
  if (bytes === undefined || !isMapped(bytes)) return undefined;
  return bytes.subarray(12).join(".");
}

/**
 * Are these an IPv4-mapped IPv6 address's bytes (`::ffff:a.b.c.d`)?
 *
 * @internal
 */
export function isMapped(bytes: Uint8Array): boolean {
  if (bytes[10] !== 0xff || bytes[11] !== 0xff) return false;
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return false;
  return true;
}

/** Is the packed IPv6 address link-local (`fe80::/10`)? */
export function isLinkLocal(bytes: ArrayLike<number>): boolean {
  return bytes[0] === 0xfe && (bytes[1] & 0xc0) === 0x80;
}

/**
 * glibc's `inet_pton6()`, ported step by step.
 *
 * @internal
 */
export function parsePton6(text: string): Uint8Array<ArrayBuffer> | undefined {
  const tmp = new Uint8Array(16);
  let tp = 0;
  let colonp = -1;
  let src = 0;
  const end = text.length;
  if (src === end) return undefined;
  if (text[src] === ":") {
    src++;
    if (src === end || text[src] !== ":") return undefined;
  }
  let curtok = src;
  let seen = 0;
  let val = 0;
  while (src < end) {
    const ch = text[src++];
    const digit = /[0-9a-fA-F]/.test(ch) ? parseInt(ch, 16) : -1;
    if (digit >= 0) {
      if (seen === 4) return undefined;
      val = (val << 4) | digit;
      seen++;
      continue;
    }
    if (ch === ":") {
      curtok = src;
      if (seen === 0) {
        if (colonp >= 0) return undefined;
        colonp = tp;
        continue;
      } else if (src === end) {
        return undefined;
      }
      if (tp + 2 > 16) return undefined;
      tmp[tp++] = val >> 8;
      tmp[tp++] = val & 0xff;
      seen = 0;
      val = 0;
      continue;
    }
    if (ch === "." && tp + 4 <= 16) {
      const v4 = parsePton4(text.slice(curtok));
      if (v4 === undefined) return undefined;
      tmp.set(v4, tp);
      tp += 4;
      seen = 0;
      break;
    }
    return undefined;
  }
  if (seen > 0) {
    if (tp + 2 > 16) return undefined;
    tmp[tp++] = val >> 8;
    tmp[tp++] = val & 0xff;
  }
  if (colonp >= 0) {
    if (tp === 16) return undefined;
    const n = tp - colonp;
    tmp.copyWithin(16 - n, colonp, tp);
    tmp.fill(0, colonp, 16 - n);
    tp = 16;
  }
  return tp === 16 ? tmp : undefined;
}

/**
 * glibc's `inet_ntop6()`: longest zero run as `::`, IPv4 tail if mapped.
 *
 * @internal
 */
export function formatNtop6(packed: Uint8Array): string {
  const view = new DataView(packed.buffer, packed.byteOffset, 16);
  const words = Array.from({ length: 8 }, (_, k) => view.getUint16(2 * k));
  let best = { base: -1, len: 0 };
  let cur = { base: -1, len: 0 };
  for (let k = 0; k < 8; k++) {
    if (words[k] === 0) {
      cur = cur.base === -1
        ? { base: k, len: 1 }
        : { ...cur, len: cur.len + 1 };
      if (best.base === -1 || cur.len > best.len) best = cur;
    } else {
      cur = { base: -1, len: 0 };
    }
  }
  if (best.len < 2) best = { base: -1, len: 0 };
  let out = "";
  for (let k = 0; k < 8; k++) {
    if (best.base !== -1 && k >= best.base && k < best.base + best.len) {
      if (k === best.base) out += ":";
      continue;
    }
    if (k !== 0) out += ":";
    if (
      k === 6 && best.base === 0 &&
      (best.len === 6 || (best.len === 5 && words[5] === 0xffff))
    ) {
      return out + Array.from(packed.subarray(12, 16)).join(".");
    }
    out += words[k].toString(16);
  }
  if (best.base !== -1 && best.base + best.len === 8) out += ":";
  return out;
}

/**
 * Converts an IPv4 address in any of the classic forms glibc's
 * `inet_aton()` accepts (`"127.0.0.1"`, `"127.1"`, `"0x7f.1"`, `"2130706433"`)
 * to 4 packed bytes, as Python's `socket.inet_aton()`. Anything after the
 * address and a whitespace character is ignored, as glibc does.
 *
 * @param ip_string The address text.
 * @returns The 4 bytes in network order.
 * @throws {OSError} `illegal IP address string passed to inet_aton`.
 * @throws {ValueError} `embedded null character`.
 * @throws {TypeError} When `ip_string` is not a string
 * (`inet_aton() argument 1 must be str, not bytes`).
 *
 * @example Pack a short form
 * ```ts
 * import { inet_aton } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(inet_aton("127.1"), new Uint8Array([127, 0, 0, 1]));
 * ```
 */
export function inet_aton(ip_string: string): Uint8Array<ArrayBuffer> {
  checkArgs(ONE_ARG.inet_aton, arguments);
  const packed = parseAton(cString(ip_string, "inet_aton", 1));
  if (packed === undefined) {
    throw new OSError("illegal IP address string passed to inet_aton");
  }
  return packed;
}

/**
 * Converts 4 packed bytes to dotted-quad text, as Python's
 * `socket.inet_ntoa()`.
 *
 * @param packed_ip Exactly 4 bytes (any `ArrayBufferView` or `ArrayBuffer`).
 * @returns The address as `"a.b.c.d"`.
 * @throws {OSError} `packed IP wrong length for inet_ntoa`.
 * @throws {TypeError} `a bytes-like object is required, not 'str'`.
 *
 * @example Unpack
 * ```ts
 * import { inet_ntoa } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(inet_ntoa(new Uint8Array([192, 168, 0, 1])), "192.168.0.1");
 * ```
 */
export function inet_ntoa(
  packed_ip: ArrayBufferView | ArrayBufferLike,
): string {
  checkArgs(ONE_ARG.inet_ntoa, arguments);
  const bytes = bytesLike(packed_ip);
  if (bytes.length !== 4) {
    throw new OSError("packed IP wrong length for inet_ntoa");
  }
  return Array.from(bytes).join(".");
}

/**
 * Converts an IP address in its standard text form to packed bytes, as
 * Python's `socket.inet_pton()`: strict dotted quad for `AF_INET` (no
 * `"127.1"`, no leading zeros), RFC 4291 text for `AF_INET6` (no `%scope`).
 *
 * @param address_family `AF_INET` or `AF_INET6`.
 * @param ip_string The address text.
 * @returns 4 bytes (`AF_INET`) or 16 bytes (`AF_INET6`).
 * @throws {OSError} `illegal IP address string passed to inet_pton`, or
 * `[Errno 97] Address family not supported by protocol` for another family.
 * @throws {ValueError} `embedded null character`.
 * @throws {TypeError} When an argument has the wrong type
 * (`inet_pton() argument 2 must be str, not bytes`).
 *
 * @example Pack an IPv6 address
 * ```ts
 * import { AF_INET6, inet_pton } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * const packed = inet_pton(AF_INET6, "::1");
 * assertEquals(packed.length, 16);
 * assertEquals(packed[15], 1);
 * ```
 */
export function inet_pton(
  address_family: number,
  ip_string: string,
): Uint8Array<ArrayBuffer> {
  checkArgs(TWO_ARGS.inet_pton, arguments);
  const family = cInt(address_family);
  const text = cString(ip_string, "inet_pton", 2);
  let packed: Uint8Array<ArrayBuffer> | undefined;
  if (family === AF_INET) packed = parsePton4(text);
  else if (family === AF_INET6) packed = parsePton6(text);
  else throw errnoError("EAFNOSUPPORT");
  if (packed === undefined) {
    throw new OSError("illegal IP address string passed to inet_pton");
  }
  return packed;
}

/**
 * Converts a packed IP address to its standard text form, as Python's
 * `socket.inet_ntop()`. IPv6 text is what glibc writes: lowercase, the
 * longest run of zero groups as `::`, IPv4-mapped and -compatible addresses
 * with a dotted tail (`::ffff:1.2.3.4`).
 *
 * @param address_family `AF_INET` or `AF_INET6`.
 * @param packed_ip 4 or 16 bytes (any `ArrayBufferView` or `ArrayBuffer`).
 * @returns The address text.
 * @throws {ValueError} `invalid length of packed IP address string`, or
 * `unknown address family 99`.
 * @throws {TypeError} `a bytes-like object is required, not 'str'`.
 *
 * @example Unpack an IPv4-mapped address
 * ```ts
 * import { AF_INET6, inet_ntop } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * const packed = new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 1, 2, 3, 4]);
 * assertEquals(inet_ntop(AF_INET6, packed), "::ffff:1.2.3.4");
 * ```
 */
export function inet_ntop(
  address_family: number,
  packed_ip: ArrayBufferView | ArrayBufferLike,
): string {
  checkArgs(TWO_ARGS.inet_ntop, arguments);
  const family = cInt(address_family);
  const bytes = bytesLike(packed_ip);
  if (family === AF_INET) {
    if (bytes.length !== 4) {
      throw new ValueError("invalid length of packed IP address string");
    }
    return Array.from(bytes).join(".");
  }
  if (family === AF_INET6) {
    if (bytes.length !== 16) {
      throw new ValueError("invalid length of packed IP address string");
    }
    return formatNtop6(bytes);
  }
  throw new ValueError(`unknown address family ${family}`);
}
