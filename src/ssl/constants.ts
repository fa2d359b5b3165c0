// Copyright the pysocket authors. MIT license.
/**
 * The `ssl` module's constants, with CPython's values (3.11, Linux):
 * protocols, verify modes, options, TLS versions, purposes, error numbers
 * and feature flags.
 *
 * @module
 */

import { type ArgSpec, checkArgs } from "../_py/args.ts";

/**
 * `PROTOCOL_TLS_CLIENT`: a client context (verifies, checks host names).
 *
 * @example A client context: verifies the server and its name
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
 * assertEquals([ctx.check_hostname, ctx.verify_mode], [true, ssl.CERT_REQUIRED]);
 * ```
 */
export const PROTOCOL_TLS_CLIENT = 16;
/**
 * `PROTOCOL_TLS_SERVER`: a server context.
 *
 * @example A server context: asks clients for no certificate
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER);
 * assertEquals([ctx.check_hostname, ctx.verify_mode], [false, ssl.CERT_NONE]);
 * ```
 */
export const PROTOCOL_TLS_SERVER = 17;
/**
 * `PROTOCOL_TLS` (deprecated in Python): either side, no verification.
 *
 * @example The old generic protocol: one number, two names
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(ssl.PROTOCOL_SSLv23, ssl.PROTOCOL_TLS);
 * ```
 */
export const PROTOCOL_TLS = 2;
/**
 * `PROTOCOL_SSLv23`: Python's old name for {@linkcode PROTOCOL_TLS}.
 *
 * @example The old generic protocol: one number, two names
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(ssl.PROTOCOL_SSLv23, ssl.PROTOCOL_TLS);
 * ```
 */
export const PROTOCOL_SSLv23 = 2;
/**
 * `PROTOCOL_TLSv1` (deprecated in Python since 3.10): CPython's protocol for
 * TLS 1.0 alone, either side, without verification (as `PROTOCOL_TLS`);
 * `minimum_version` and `maximum_version` read `MINIMUM_SUPPORTED` and
 * `MAXIMUM_SUPPORTED` and cannot be set. Where the runtime or the security
 * level has no TLS 1.0, the handshake fails, as CPython's. Prefer
 * `PROTOCOL_TLS_CLIENT` or `PROTOCOL_TLS_SERVER` with `minimum_version` and
 * `maximum_version`.
 *
 * @example A version-pinned protocol's number and name
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(ssl.get_protocol_name(ssl.PROTOCOL_TLSv1), "PROTOCOL_TLSv1");
 * ```
 */
export const PROTOCOL_TLSv1 = 3;
/**
 * `PROTOCOL_TLSv1_1` (deprecated in Python since 3.10): CPython's protocol for
 * TLS 1.1 alone, either side, without verification (as `PROTOCOL_TLS`);
 * `minimum_version` and `maximum_version` read `MINIMUM_SUPPORTED` and
 * `MAXIMUM_SUPPORTED` and cannot be set. Where the runtime or the security
 * level has no TLS 1.1, the handshake fails, as CPython's. Prefer
 * `PROTOCOL_TLS_CLIENT` or `PROTOCOL_TLS_SERVER` with `minimum_version` and
 * `maximum_version`.
 *
 * @example A version-pinned protocol's number and name
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(ssl.get_protocol_name(ssl.PROTOCOL_TLSv1_1), "PROTOCOL_TLSv1_1");
 * ```
 */
export const PROTOCOL_TLSv1_1 = 4;
/**
 * `PROTOCOL_TLSv1_2` (deprecated in Python since 3.10): CPython's protocol for
 * TLS 1.2 alone, either side, without verification (as `PROTOCOL_TLS`);
 * `minimum_version` and `maximum_version` read `MINIMUM_SUPPORTED` and
 * `MAXIMUM_SUPPORTED` and cannot be set. Where the runtime or the security
 * level has no TLS 1.2, the handshake fails, as CPython's. Prefer
 * `PROTOCOL_TLS_CLIENT` or `PROTOCOL_TLS_SERVER` with `minimum_version` and
 * `maximum_version`.
 *
 * @example A version-pinned protocol's number and name
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(ssl.get_protocol_name(ssl.PROTOCOL_TLSv1_2), "PROTOCOL_TLSv1_2");
 * ```
 */
export const PROTOCOL_TLSv1_2 = 5;

const GET_PROTOCOL_NAME: ArgSpec = {
  name: "get_protocol_name",
  style: "py",
  params: ["protocol_code"],
  required: 1,
};

/** CPython's `_SSLMethod` names by value (3.11). */
const PROTOCOL_NAMES: Record<number, string> = {
  2: "PROTOCOL_TLS",
  3: "PROTOCOL_TLSv1",
  4: "PROTOCOL_TLSv1_1",
  5: "PROTOCOL_TLSv1_2",
  16: "PROTOCOL_TLS_CLIENT",
  17: "PROTOCOL_TLS_SERVER",
};

/**
 * Python's `ssl.get_protocol_name(protocol_code)`: the name of a protocol
 * constant, or `"<unknown>"`.
 *
 * @param protocol_code A `PROTOCOL_*` value.
 * @returns Its name.
 *
 * @example
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(ssl.get_protocol_name(ssl.PROTOCOL_TLS_CLIENT), "PROTOCOL_TLS_CLIENT");
 * assertEquals(ssl.get_protocol_name(99), "<unknown>");
 * ```
 */
export function get_protocol_name(protocol_code: number): string {
  checkArgs(GET_PROTOCOL_NAME, arguments);
  return typeof protocol_code === "number" &&
      Object.hasOwn(PROTOCOL_NAMES, protocol_code)
    ? PROTOCOL_NAMES[protocol_code]
    : "<unknown>";
}

/**
 * `CERT_NONE`: the peer's certificate is not asked for or not checked.
 *
 * @example No verification: check_hostname off first, as in Python
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * const ctx = ssl.create_default_context();
 * ctx.check_hostname = false;
 * ctx.verify_mode = ssl.CERT_NONE;
 * assertEquals(ctx.verify_mode, ssl.CERT_NONE);
 * ```
 */
export const CERT_NONE = 0;
/**
 * `CERT_OPTIONAL`: checked if the peer sends one (a server).
 *
 * @example A server that checks a client certificate when one is sent
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER);
 * ctx.verify_mode = ssl.CERT_OPTIONAL;
 * assertEquals(ctx.verify_mode, ssl.CERT_OPTIONAL);
 * ```
 */
export const CERT_OPTIONAL = 1;
/**
 * `CERT_REQUIRED`: the peer must send a certificate that verifies.
 *
 * @example Mutual TLS: the server requires a client certificate
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER);
 * ctx.verify_mode = ssl.CERT_REQUIRED;
 * assertEquals(ctx.verify_mode, ssl.CERT_REQUIRED);
 * ```
 */
export const CERT_REQUIRED = 2;

/**
 * Python's `ssl.VerifyMode`: the names of {@linkcode CERT_NONE},
 * {@linkcode CERT_OPTIONAL} and {@linkcode CERT_REQUIRED}.
 *
 * @example
 * ```ts
 * import { VerifyMode } from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(VerifyMode.CERT_REQUIRED, 2);
 * ```
 */
export const VerifyMode: {
  readonly CERT_NONE: 0;
  readonly CERT_OPTIONAL: 1;
  readonly CERT_REQUIRED: 2;
} = Object.freeze({ CERT_NONE: 0, CERT_OPTIONAL: 1, CERT_REQUIRED: 2 });

/**
 * Python's `ssl.TLSVersion`: the values `minimum_version` and
 * `maximum_version` take.
 *
 * @example
 * ```ts
 * import { create_default_context, TLSVersion } from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * const ctx = create_default_context();
 * ctx.minimum_version = TLSVersion.TLSv1_3;
 * assertEquals(ctx.minimum_version, 772);
 * ```
 */
export const TLSVersion: {
  readonly MINIMUM_SUPPORTED: -2;
  readonly SSLv3: 768;
  readonly TLSv1: 769;
  readonly TLSv1_1: 770;
  readonly TLSv1_2: 771;
  readonly TLSv1_3: 772;
  readonly MAXIMUM_SUPPORTED: -1;
} = Object.freeze({
  MINIMUM_SUPPORTED: -2,
  SSLv3: 768,
  TLSv1: 769,
  TLSv1_1: 770,
  TLSv1_2: 771,
  TLSv1_3: 772,
  MAXIMUM_SUPPORTED: -1,
});

/**
 * `OP_ALL`: OpenSSL's bug workarounds (on by default).
 *
 * @example An option bit of SSLContext.options
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
 * // On by default; JS's `&` is signed 32-bit, `>>> 0` reads it unsigned.
 * assertEquals((ctx.options & ssl.OP_ALL) >>> 0, ssl.OP_ALL);
 * ```
 */
export const OP_ALL = 0x80000050;
/**
 * `OP_NO_SSLv2`: 0 (SSLv2 is gone).
 *
 * @example An option bit of SSLContext.options
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
 * ctx.options |= ssl.OP_NO_SSLv2;
 * assertEquals(ctx.options & ssl.OP_NO_SSLv2, ssl.OP_NO_SSLv2);
 * ```
 */
export const OP_NO_SSLv2 = 0;
/**
 * `OP_NO_SSLv3`: never negotiate SSLv3 (it never is).
 *
 * @example An option bit of SSLContext.options
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
 * ctx.options |= ssl.OP_NO_SSLv3;
 * assertEquals(ctx.options & ssl.OP_NO_SSLv3, ssl.OP_NO_SSLv3);
 * ```
 */
export const OP_NO_SSLv3 = 0x02000000;
/**
 * `OP_NO_TLSv1`: leave TLS 1.0 out (honoured: narrows the versions).
 *
 * @example Leave a TLS version out
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
 * ctx.options |= ssl.OP_NO_TLSv1;
 * assertEquals(ctx.options & ssl.OP_NO_TLSv1, ssl.OP_NO_TLSv1);
 * ```
 */
export const OP_NO_TLSv1 = 0x04000000;
/**
 * `OP_NO_TLSv1_1`: leave TLS 1.1 out (honoured).
 *
 * @example Leave a TLS version out
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
 * ctx.options |= ssl.OP_NO_TLSv1_1;
 * assertEquals(ctx.options & ssl.OP_NO_TLSv1_1, ssl.OP_NO_TLSv1_1);
 * ```
 */
export const OP_NO_TLSv1_1 = 0x10000000;
/**
 * `OP_NO_TLSv1_2`: leave TLS 1.2 out (honoured).
 *
 * @example Leave a TLS version out
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
 * ctx.options |= ssl.OP_NO_TLSv1_2;
 * assertEquals(ctx.options & ssl.OP_NO_TLSv1_2, ssl.OP_NO_TLSv1_2);
 * ```
 */
export const OP_NO_TLSv1_2 = 0x08000000;
/**
 * `OP_NO_TLSv1_3`: leave TLS 1.3 out (honoured).
 *
 * @example Leave a TLS version out
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
 * ctx.options |= ssl.OP_NO_TLSv1_3;
 * assertEquals(ctx.options & ssl.OP_NO_TLSv1_3, ssl.OP_NO_TLSv1_3);
 * ```
 */
export const OP_NO_TLSv1_3 = 0x20000000;
/**
 * `OP_NO_COMPRESSION`: no TLS compression (none of the runtimes has it).
 *
 * @example An option bit of SSLContext.options
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
 * ctx.options |= ssl.OP_NO_COMPRESSION;
 * assertEquals(ctx.options & ssl.OP_NO_COMPRESSION, ssl.OP_NO_COMPRESSION);
 * ```
 */
export const OP_NO_COMPRESSION = 0x20000;
/**
 * `OP_CIPHER_SERVER_PREFERENCE`: a server picks the cipher by its order.
 *
 * @example An option bit of SSLContext.options
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
 * ctx.options |= ssl.OP_CIPHER_SERVER_PREFERENCE;
 * assertEquals(ctx.options & ssl.OP_CIPHER_SERVER_PREFERENCE, ssl.OP_CIPHER_SERVER_PREFERENCE);
 * ```
 */
export const OP_CIPHER_SERVER_PREFERENCE = 0x400000;
/**
 * `OP_SINGLE_DH_USE`: 0 (always so).
 *
 * @example An option bit of SSLContext.options
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
 * ctx.options |= ssl.OP_SINGLE_DH_USE;
 * assertEquals(ctx.options & ssl.OP_SINGLE_DH_USE, ssl.OP_SINGLE_DH_USE);
 * ```
 */
export const OP_SINGLE_DH_USE = 0;
/**
 * `OP_SINGLE_ECDH_USE`: 0 (always so).
 *
 * @example An option bit of SSLContext.options
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
 * ctx.options |= ssl.OP_SINGLE_ECDH_USE;
 * assertEquals(ctx.options & ssl.OP_SINGLE_ECDH_USE, ssl.OP_SINGLE_ECDH_USE);
 * ```
 */
export const OP_SINGLE_ECDH_USE = 0;
/**
 * `OP_NO_TICKET`: no session tickets (recorded, not honoured).
 *
 * @example An option bit of SSLContext.options
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
 * ctx.options |= ssl.OP_NO_TICKET;
 * assertEquals(ctx.options & ssl.OP_NO_TICKET, ssl.OP_NO_TICKET);
 * ```
 */
export const OP_NO_TICKET = 0x4000;
/**
 * `OP_NO_RENEGOTIATION`: refuse renegotiation (recorded, not honoured).
 *
 * @example An option bit of SSLContext.options
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
 * ctx.options |= ssl.OP_NO_RENEGOTIATION;
 * assertEquals(ctx.options & ssl.OP_NO_RENEGOTIATION, ssl.OP_NO_RENEGOTIATION);
 * ```
 */
export const OP_NO_RENEGOTIATION = 0x40000000;
/**
 * `OP_ENABLE_MIDDLEBOX_COMPAT`: TLS 1.3 middlebox compatibility (on).
 *
 * @example An option bit of SSLContext.options
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
 * ctx.options |= ssl.OP_ENABLE_MIDDLEBOX_COMPAT;
 * assertEquals(ctx.options & ssl.OP_ENABLE_MIDDLEBOX_COMPAT, ssl.OP_ENABLE_MIDDLEBOX_COMPAT);
 * ```
 */
export const OP_ENABLE_MIDDLEBOX_COMPAT = 0x100000;
/**
 * `OP_IGNORE_UNEXPECTED_EOF`: an end of stream without `close_notify` ends
 * reading quietly, even with `suppress_ragged_eofs: false` (honoured).
 *
 * @example An option bit of SSLContext.options
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
 * ctx.options |= ssl.OP_IGNORE_UNEXPECTED_EOF;
 * assertEquals(ctx.options & ssl.OP_IGNORE_UNEXPECTED_EOF, ssl.OP_IGNORE_UNEXPECTED_EOF);
 * ```
 */
export const OP_IGNORE_UNEXPECTED_EOF = 0x80;

/**
 * `SSLError.errno` of a protocol error (`SSL_ERROR_SSL`).
 *
 * @example Telling SSL errors apart by errno
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * function isSslErrorSsl(err: unknown): boolean {
 *   return err instanceof ssl.SSLError && err.errno === ssl.SSL_ERROR_SSL;
 * }
 * assertEquals(isSslErrorSsl(new ssl.SSLError(ssl.SSL_ERROR_SSL, "…")), true);
 * ```
 */
export const SSL_ERROR_SSL = 1;
/**
 * `SSLWantReadError.errno`.
 *
 * @example Telling SSL errors apart by errno
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * function isSslErrorWantRead(err: unknown): boolean {
 *   return err instanceof ssl.SSLError && err.errno === ssl.SSL_ERROR_WANT_READ;
 * }
 * assertEquals(isSslErrorWantRead(new ssl.SSLWantReadError(ssl.SSL_ERROR_WANT_READ, "…")), true);
 * ```
 */
export const SSL_ERROR_WANT_READ = 2;
/**
 * `SSLWantWriteError.errno`.
 *
 * @example Telling SSL errors apart by errno
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * function isSslErrorWantWrite(err: unknown): boolean {
 *   return err instanceof ssl.SSLError && err.errno === ssl.SSL_ERROR_WANT_WRITE;
 * }
 * assertEquals(isSslErrorWantWrite(new ssl.SSLWantWriteError(ssl.SSL_ERROR_WANT_WRITE, "…")), true);
 * ```
 */
export const SSL_ERROR_WANT_WRITE = 3;
/**
 * `SSL_ERROR_WANT_X509_LOOKUP`.
 *
 * @example Telling SSL errors apart by errno
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * function isSslErrorWantX509Lookup(err: unknown): boolean {
 *   return err instanceof ssl.SSLError && err.errno === ssl.SSL_ERROR_WANT_X509_LOOKUP;
 * }
 * assertEquals(isSslErrorWantX509Lookup(new ssl.SSLError(ssl.SSL_ERROR_WANT_X509_LOOKUP, "…")), true);
 * ```
 */
export const SSL_ERROR_WANT_X509_LOOKUP = 4;
/**
 * `SSLSyscallError.errno`.
 *
 * @example Telling SSL errors apart by errno
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * function isSslErrorSyscall(err: unknown): boolean {
 *   return err instanceof ssl.SSLError && err.errno === ssl.SSL_ERROR_SYSCALL;
 * }
 * assertEquals(isSslErrorSyscall(new ssl.SSLSyscallError(ssl.SSL_ERROR_SYSCALL, "…")), true);
 * ```
 */
export const SSL_ERROR_SYSCALL = 5;
/**
 * `SSLZeroReturnError.errno`: the TLS connection was closed.
 *
 * @example Telling SSL errors apart by errno
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * function isSslErrorZeroReturn(err: unknown): boolean {
 *   return err instanceof ssl.SSLError && err.errno === ssl.SSL_ERROR_ZERO_RETURN;
 * }
 * assertEquals(isSslErrorZeroReturn(new ssl.SSLZeroReturnError(ssl.SSL_ERROR_ZERO_RETURN, "…")), true);
 * ```
 */
export const SSL_ERROR_ZERO_RETURN = 6;
/**
 * `SSL_ERROR_WANT_CONNECT`.
 *
 * @example Telling SSL errors apart by errno
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * function isSslErrorWantConnect(err: unknown): boolean {
 *   return err instanceof ssl.SSLError && err.errno === ssl.SSL_ERROR_WANT_CONNECT;
 * }
 * assertEquals(isSslErrorWantConnect(new ssl.SSLError(ssl.SSL_ERROR_WANT_CONNECT, "…")), true);
 * ```
 */
export const SSL_ERROR_WANT_CONNECT = 7;
/**
 * `SSLEOFError.errno`: the peer went without `close_notify`.
 *
 * @example Telling SSL errors apart by errno
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * function isSslErrorEof(err: unknown): boolean {
 *   return err instanceof ssl.SSLError && err.errno === ssl.SSL_ERROR_EOF;
 * }
 * assertEquals(isSslErrorEof(new ssl.SSLEOFError(ssl.SSL_ERROR_EOF, "…")), true);
 * ```
 */
export const SSL_ERROR_EOF = 8;
/**
 * `SSL_ERROR_INVALID_ERROR_CODE`.
 *
 * @example Telling SSL errors apart by errno
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * function isSslErrorInvalidErrorCode(err: unknown): boolean {
 *   return err instanceof ssl.SSLError && err.errno === ssl.SSL_ERROR_INVALID_ERROR_CODE;
 * }
 * assertEquals(isSslErrorInvalidErrorCode(new ssl.SSLError(ssl.SSL_ERROR_INVALID_ERROR_CODE, "…")), true);
 * ```
 */
export const SSL_ERROR_INVALID_ERROR_CODE = 10;

/**
 * `HAS_ALPN`: ALPN is available (on every runtime).
 *
 * @example What this build of TLS offers
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 *
 * const ctx = ssl.create_default_context();
 * if (ssl.HAS_ALPN) ctx.set_alpn_protocols(["h2", "http/1.1"]);
 * ```
 */
export const HAS_ALPN = true;
/**
 * `HAS_SNI`: clients send the server name.
 *
 * @example What this build of TLS offers
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 *
 * console.log(ssl.HAS_SNI ? "available" : "not available");
 * ```
 */
export const HAS_SNI = true;
/**
 * `HAS_ECDH`: elliptic-curve key exchange.
 *
 * @example What this build of TLS offers
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 *
 * console.log(ssl.HAS_ECDH ? "available" : "not available");
 * ```
 */
export const HAS_ECDH = true;
/**
 * `HAS_NPN`: `false`, as in CPython 3.11 with OpenSSL 3.
 *
 * @example What this build of TLS offers
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 *
 * console.log(ssl.HAS_NPN ? "available" : "not available");
 * ```
 */
export const HAS_NPN = false;
/**
 * `HAS_NEVER_CHECK_COMMON_NAME`: `hostname_checks_common_name` works.
 *
 * @example What this build of TLS offers
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 *
 * console.log(ssl.HAS_NEVER_CHECK_COMMON_NAME ? "available" : "not available");
 * ```
 */
export const HAS_NEVER_CHECK_COMMON_NAME = true;
/**
 * `HAS_SSLv2`: no.
 *
 * @example What this build of TLS offers
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 *
 * console.log(ssl.HAS_SSLv2 ? "available" : "not available");
 * ```
 */
export const HAS_SSLv2 = false;
/**
 * `HAS_SSLv3`: no.
 *
 * @example What this build of TLS offers
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 *
 * console.log(ssl.HAS_SSLv3 ? "available" : "not available");
 * ```
 */
export const HAS_SSLv3 = false;
/**
 * `HAS_TLSv1`: `false`: not on every runtime (Deno's rustls has no TLS 1.0;
 * OpenSSL 3 refuses it at its default security level).
 *
 * @example What this build of TLS offers
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 *
 * console.log(ssl.HAS_TLSv1 ? "TLS 1.0 available" : "TLS 1.0 not available");
 * ```
 */
export const HAS_TLSv1 = false;
/**
 * `HAS_TLSv1_1`: `false`, as {@linkcode HAS_TLSv1}.
 *
 * @example What this build of TLS offers
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 *
 * console.log(ssl.HAS_TLSv1_1 ? "available" : "not available");
 * ```
 */
export const HAS_TLSv1_1 = false;
/**
 * `HAS_TLSv1_2`: yes, on every runtime.
 *
 * @example What this build of TLS offers
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 *
 * const ctx = ssl.create_default_context();
 * if (ssl.HAS_TLSv1_2) ctx.minimum_version = ssl.TLSVersion.TLSv1_2;
 * ```
 */
export const HAS_TLSv1_2 = true;
/**
 * `HAS_TLSv1_3`: yes, on every runtime.
 *
 * @example What this build of TLS offers
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 *
 * const ctx = ssl.create_default_context();
 * if (ssl.HAS_TLSv1_3) ctx.minimum_version = ssl.TLSVersion.TLSv1_3;
 * ```
 */
export const HAS_TLSv1_3 = true;

/**
 * `CHANNEL_BINDING_TYPES`: what `get_channel_binding()` knows.
 *
 * @example The channel bindings get_channel_binding() knows
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(ssl.CHANNEL_BINDING_TYPES, ["tls-unique"]);
 * ```
 */
export const CHANNEL_BINDING_TYPES: readonly string[] = Object.freeze([
  "tls-unique",
]);

/**
 * An OpenSSL object identifier, as Python's `_ASN1Object`.
 *
 * @example A purpose, as create_default_context() takes it
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * const purpose: ssl.ASN1Object = ssl.Purpose.SERVER_AUTH;
 * assertEquals(purpose.shortname, "serverAuth");
 * const ctx = ssl.create_default_context(purpose);
 * assertEquals(ctx.check_hostname, true);
 * ```
 */
export interface ASN1Object {
  /** OpenSSL's numeric id (`129`). */
  readonly nid: number;
  /** The short name (`"serverAuth"`). */
  readonly shortname: string;
  /** The long name (`"TLS Web Server Authentication"`). */
  readonly longname: string;
  /** The dotted OID (`"1.3.6.1.5.5.7.3.1"`). */
  readonly oid: string;
}

/**
 * Python's `ssl.Purpose`: what a context made by `create_default_context`
 * is for. `SERVER_AUTH` (the default) makes a client context that verifies
 * servers; `CLIENT_AUTH` makes a server context.
 *
 * @example
 * ```ts
 * import { Purpose } from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(Purpose.SERVER_AUTH.oid, "1.3.6.1.5.5.7.3.1");
 * ```
 */
export const Purpose: {
  readonly SERVER_AUTH: ASN1Object;
  readonly CLIENT_AUTH: ASN1Object;
} = Object.freeze({
  SERVER_AUTH: Object.freeze({
    nid: 129,
    shortname: "serverAuth",
    longname: "TLS Web Server Authentication",
    oid: "1.3.6.1.5.5.7.3.1",
  }),
  CLIENT_AUTH: Object.freeze({
    nid: 130,
    shortname: "clientAuth",
    longname: "TLS Web Client Authentication",
    oid: "1.3.6.1.5.5.7.3.2",
  }),
});

/**
 * `ALERT_DESCRIPTION_CLOSE_NOTIFY`: TLS alert 0, close notify.
 *
 * @example An alert's number, by either name
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(ssl.ALERT_DESCRIPTION_CLOSE_NOTIFY, 0);
 * assertEquals(ssl.AlertDescription.ALERT_DESCRIPTION_CLOSE_NOTIFY, ssl.ALERT_DESCRIPTION_CLOSE_NOTIFY);
 * ```
 */
export const ALERT_DESCRIPTION_CLOSE_NOTIFY = 0;
/**
 * `ALERT_DESCRIPTION_UNEXPECTED_MESSAGE`: TLS alert 10, unexpected message.
 *
 * @example An alert's number, by either name
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(ssl.ALERT_DESCRIPTION_UNEXPECTED_MESSAGE, 10);
 * assertEquals(ssl.AlertDescription.ALERT_DESCRIPTION_UNEXPECTED_MESSAGE, ssl.ALERT_DESCRIPTION_UNEXPECTED_MESSAGE);
 * ```
 */
export const ALERT_DESCRIPTION_UNEXPECTED_MESSAGE = 10;
/**
 * `ALERT_DESCRIPTION_BAD_RECORD_MAC`: TLS alert 20, bad record mac.
 *
 * @example An alert's number, by either name
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(ssl.ALERT_DESCRIPTION_BAD_RECORD_MAC, 20);
 * assertEquals(ssl.AlertDescription.ALERT_DESCRIPTION_BAD_RECORD_MAC, ssl.ALERT_DESCRIPTION_BAD_RECORD_MAC);
 * ```
 */
export const ALERT_DESCRIPTION_BAD_RECORD_MAC = 20;
/**
 * `ALERT_DESCRIPTION_RECORD_OVERFLOW`: TLS alert 22, record overflow.
 *
 * @example An alert's number, by either name
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(ssl.ALERT_DESCRIPTION_RECORD_OVERFLOW, 22);
 * assertEquals(ssl.AlertDescription.ALERT_DESCRIPTION_RECORD_OVERFLOW, ssl.ALERT_DESCRIPTION_RECORD_OVERFLOW);
 * ```
 */
export const ALERT_DESCRIPTION_RECORD_OVERFLOW = 22;
/**
 * `ALERT_DESCRIPTION_DECOMPRESSION_FAILURE`: TLS alert 30, decompression failure.
 *
 * @example An alert's number, by either name
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(ssl.ALERT_DESCRIPTION_DECOMPRESSION_FAILURE, 30);
 * assertEquals(ssl.AlertDescription.ALERT_DESCRIPTION_DECOMPRESSION_FAILURE, ssl.ALERT_DESCRIPTION_DECOMPRESSION_FAILURE);
 * ```
 */
export const ALERT_DESCRIPTION_DECOMPRESSION_FAILURE = 30;
/**
 * `ALERT_DESCRIPTION_HANDSHAKE_FAILURE`: TLS alert 40, handshake failure.
 *
 * @example An alert's number, by either name
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(ssl.ALERT_DESCRIPTION_HANDSHAKE_FAILURE, 40);
 * assertEquals(ssl.AlertDescription.ALERT_DESCRIPTION_HANDSHAKE_FAILURE, ssl.ALERT_DESCRIPTION_HANDSHAKE_FAILURE);
 * ```
 */
export const ALERT_DESCRIPTION_HANDSHAKE_FAILURE = 40;
/**
 * `ALERT_DESCRIPTION_BAD_CERTIFICATE`: TLS alert 42, bad certificate.
 *
 * @example An alert's number, by either name
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(ssl.ALERT_DESCRIPTION_BAD_CERTIFICATE, 42);
 * assertEquals(ssl.AlertDescription.ALERT_DESCRIPTION_BAD_CERTIFICATE, ssl.ALERT_DESCRIPTION_BAD_CERTIFICATE);
 * ```
 */
export const ALERT_DESCRIPTION_BAD_CERTIFICATE = 42;
/**
 * `ALERT_DESCRIPTION_UNSUPPORTED_CERTIFICATE`: TLS alert 43, unsupported certificate.
 *
 * @example An alert's number, by either name
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(ssl.ALERT_DESCRIPTION_UNSUPPORTED_CERTIFICATE, 43);
 * assertEquals(ssl.AlertDescription.ALERT_DESCRIPTION_UNSUPPORTED_CERTIFICATE, ssl.ALERT_DESCRIPTION_UNSUPPORTED_CERTIFICATE);
 * ```
 */
export const ALERT_DESCRIPTION_UNSUPPORTED_CERTIFICATE = 43;
/**
 * `ALERT_DESCRIPTION_CERTIFICATE_REVOKED`: TLS alert 44, certificate revoked.
 *
 * @example An alert's number, by either name
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(ssl.ALERT_DESCRIPTION_CERTIFICATE_REVOKED, 44);
 * assertEquals(ssl.AlertDescription.ALERT_DESCRIPTION_CERTIFICATE_REVOKED, ssl.ALERT_DESCRIPTION_CERTIFICATE_REVOKED);
 * ```
 */
export const ALERT_DESCRIPTION_CERTIFICATE_REVOKED = 44;
/**
 * `ALERT_DESCRIPTION_CERTIFICATE_EXPIRED`: TLS alert 45, certificate expired.
 *
 * @example An alert's number, by either name
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(ssl.ALERT_DESCRIPTION_CERTIFICATE_EXPIRED, 45);
 * assertEquals(ssl.AlertDescription.ALERT_DESCRIPTION_CERTIFICATE_EXPIRED, ssl.ALERT_DESCRIPTION_CERTIFICATE_EXPIRED);
 * ```
 */
export const ALERT_DESCRIPTION_CERTIFICATE_EXPIRED = 45;
/**
 * `ALERT_DESCRIPTION_CERTIFICATE_UNKNOWN`: TLS alert 46, certificate unknown.
 *
 * @example An alert's number, by either name
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(ssl.ALERT_DESCRIPTION_CERTIFICATE_UNKNOWN, 46);
 * assertEquals(ssl.AlertDescription.ALERT_DESCRIPTION_CERTIFICATE_UNKNOWN, ssl.ALERT_DESCRIPTION_CERTIFICATE_UNKNOWN);
 * ```
 */
export const ALERT_DESCRIPTION_CERTIFICATE_UNKNOWN = 46;
/**
 * `ALERT_DESCRIPTION_ILLEGAL_PARAMETER`: TLS alert 47, illegal parameter.
 *
 * @example An alert's number, by either name
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(ssl.ALERT_DESCRIPTION_ILLEGAL_PARAMETER, 47);
 * assertEquals(ssl.AlertDescription.ALERT_DESCRIPTION_ILLEGAL_PARAMETER, ssl.ALERT_DESCRIPTION_ILLEGAL_PARAMETER);
 * ```
 */
export const ALERT_DESCRIPTION_ILLEGAL_PARAMETER = 47;
/**
 * `ALERT_DESCRIPTION_UNKNOWN_CA`: TLS alert 48, unknown ca.
 *
 * @example An alert's number, by either name
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(ssl.ALERT_DESCRIPTION_UNKNOWN_CA, 48);
 * assertEquals(ssl.AlertDescription.ALERT_DESCRIPTION_UNKNOWN_CA, ssl.ALERT_DESCRIPTION_UNKNOWN_CA);
 * ```
 */
export const ALERT_DESCRIPTION_UNKNOWN_CA = 48;
/**
 * `ALERT_DESCRIPTION_ACCESS_DENIED`: TLS alert 49, access denied.
 *
 * @example An alert's number, by either name
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(ssl.ALERT_DESCRIPTION_ACCESS_DENIED, 49);
 * assertEquals(ssl.AlertDescription.ALERT_DESCRIPTION_ACCESS_DENIED, ssl.ALERT_DESCRIPTION_ACCESS_DENIED);
 * ```
 */
export const ALERT_DESCRIPTION_ACCESS_DENIED = 49;
/**
 * `ALERT_DESCRIPTION_DECODE_ERROR`: TLS alert 50, decode error.
 *
 * @example An alert's number, by either name
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(ssl.ALERT_DESCRIPTION_DECODE_ERROR, 50);
 * assertEquals(ssl.AlertDescription.ALERT_DESCRIPTION_DECODE_ERROR, ssl.ALERT_DESCRIPTION_DECODE_ERROR);
 * ```
 */
export const ALERT_DESCRIPTION_DECODE_ERROR = 50;
/**
 * `ALERT_DESCRIPTION_DECRYPT_ERROR`: TLS alert 51, decrypt error.
 *
 * @example An alert's number, by either name
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(ssl.ALERT_DESCRIPTION_DECRYPT_ERROR, 51);
 * assertEquals(ssl.AlertDescription.ALERT_DESCRIPTION_DECRYPT_ERROR, ssl.ALERT_DESCRIPTION_DECRYPT_ERROR);
 * ```
 */
export const ALERT_DESCRIPTION_DECRYPT_ERROR = 51;
/**
 * `ALERT_DESCRIPTION_PROTOCOL_VERSION`: TLS alert 70, protocol version.
 *
 * @example An alert's number, by either name
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(ssl.ALERT_DESCRIPTION_PROTOCOL_VERSION, 70);
 * assertEquals(ssl.AlertDescription.ALERT_DESCRIPTION_PROTOCOL_VERSION, ssl.ALERT_DESCRIPTION_PROTOCOL_VERSION);
 * ```
 */
export const ALERT_DESCRIPTION_PROTOCOL_VERSION = 70;
/**
 * `ALERT_DESCRIPTION_INSUFFICIENT_SECURITY`: TLS alert 71, insufficient security.
 *
 * @example An alert's number, by either name
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(ssl.ALERT_DESCRIPTION_INSUFFICIENT_SECURITY, 71);
 * assertEquals(ssl.AlertDescription.ALERT_DESCRIPTION_INSUFFICIENT_SECURITY, ssl.ALERT_DESCRIPTION_INSUFFICIENT_SECURITY);
 * ```
 */
export const ALERT_DESCRIPTION_INSUFFICIENT_SECURITY = 71;
/**
 * `ALERT_DESCRIPTION_INTERNAL_ERROR`: TLS alert 80, internal error.
 *
 * @example An alert's number, by either name
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(ssl.ALERT_DESCRIPTION_INTERNAL_ERROR, 80);
 * assertEquals(ssl.AlertDescription.ALERT_DESCRIPTION_INTERNAL_ERROR, ssl.ALERT_DESCRIPTION_INTERNAL_ERROR);
 * ```
 */
export const ALERT_DESCRIPTION_INTERNAL_ERROR = 80;
/**
 * `ALERT_DESCRIPTION_USER_CANCELLED`: TLS alert 90, user cancelled.
 *
 * @example An alert's number, by either name
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(ssl.ALERT_DESCRIPTION_USER_CANCELLED, 90);
 * assertEquals(ssl.AlertDescription.ALERT_DESCRIPTION_USER_CANCELLED, ssl.ALERT_DESCRIPTION_USER_CANCELLED);
 * ```
 */
export const ALERT_DESCRIPTION_USER_CANCELLED = 90;
/**
 * `ALERT_DESCRIPTION_NO_RENEGOTIATION`: TLS alert 100, no renegotiation.
 *
 * @example An alert's number, by either name
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(ssl.ALERT_DESCRIPTION_NO_RENEGOTIATION, 100);
 * assertEquals(ssl.AlertDescription.ALERT_DESCRIPTION_NO_RENEGOTIATION, ssl.ALERT_DESCRIPTION_NO_RENEGOTIATION);
 * ```
 */
export const ALERT_DESCRIPTION_NO_RENEGOTIATION = 100;
/**
 * `ALERT_DESCRIPTION_UNSUPPORTED_EXTENSION`: TLS alert 110, unsupported extension.
 *
 * @example An alert's number, by either name
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(ssl.ALERT_DESCRIPTION_UNSUPPORTED_EXTENSION, 110);
 * assertEquals(ssl.AlertDescription.ALERT_DESCRIPTION_UNSUPPORTED_EXTENSION, ssl.ALERT_DESCRIPTION_UNSUPPORTED_EXTENSION);
 * ```
 */
export const ALERT_DESCRIPTION_UNSUPPORTED_EXTENSION = 110;
/**
 * `ALERT_DESCRIPTION_CERTIFICATE_UNOBTAINABLE`: TLS alert 111, certificate unobtainable.
 *
 * @example An alert's number, by either name
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(ssl.ALERT_DESCRIPTION_CERTIFICATE_UNOBTAINABLE, 111);
 * assertEquals(ssl.AlertDescription.ALERT_DESCRIPTION_CERTIFICATE_UNOBTAINABLE, ssl.ALERT_DESCRIPTION_CERTIFICATE_UNOBTAINABLE);
 * ```
 */
export const ALERT_DESCRIPTION_CERTIFICATE_UNOBTAINABLE = 111;
/**
 * `ALERT_DESCRIPTION_UNRECOGNIZED_NAME`: TLS alert 112, unrecognized name.
 *
 * @example An alert's number, by either name
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(ssl.ALERT_DESCRIPTION_UNRECOGNIZED_NAME, 112);
 * assertEquals(ssl.AlertDescription.ALERT_DESCRIPTION_UNRECOGNIZED_NAME, ssl.ALERT_DESCRIPTION_UNRECOGNIZED_NAME);
 * ```
 */
export const ALERT_DESCRIPTION_UNRECOGNIZED_NAME = 112;
/**
 * `ALERT_DESCRIPTION_BAD_CERTIFICATE_STATUS_RESPONSE`: TLS alert 113, bad certificate status response.
 *
 * @example An alert's number, by either name
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(ssl.ALERT_DESCRIPTION_BAD_CERTIFICATE_STATUS_RESPONSE, 113);
 * assertEquals(ssl.AlertDescription.ALERT_DESCRIPTION_BAD_CERTIFICATE_STATUS_RESPONSE, ssl.ALERT_DESCRIPTION_BAD_CERTIFICATE_STATUS_RESPONSE);
 * ```
 */
export const ALERT_DESCRIPTION_BAD_CERTIFICATE_STATUS_RESPONSE = 113;
/**
 * `ALERT_DESCRIPTION_BAD_CERTIFICATE_HASH_VALUE`: TLS alert 114, bad certificate hash value.
 *
 * @example An alert's number, by either name
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(ssl.ALERT_DESCRIPTION_BAD_CERTIFICATE_HASH_VALUE, 114);
 * assertEquals(ssl.AlertDescription.ALERT_DESCRIPTION_BAD_CERTIFICATE_HASH_VALUE, ssl.ALERT_DESCRIPTION_BAD_CERTIFICATE_HASH_VALUE);
 * ```
 */
export const ALERT_DESCRIPTION_BAD_CERTIFICATE_HASH_VALUE = 114;
/**
 * `ALERT_DESCRIPTION_UNKNOWN_PSK_IDENTITY`: TLS alert 115, unknown psk identity.
 *
 * @example An alert's number, by either name
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(ssl.ALERT_DESCRIPTION_UNKNOWN_PSK_IDENTITY, 115);
 * assertEquals(ssl.AlertDescription.ALERT_DESCRIPTION_UNKNOWN_PSK_IDENTITY, ssl.ALERT_DESCRIPTION_UNKNOWN_PSK_IDENTITY);
 * ```
 */
export const ALERT_DESCRIPTION_UNKNOWN_PSK_IDENTITY = 115;

/**
 * Python's `ssl.AlertDescription`: the TLS alerts by name
 * ({@linkcode ALERT_DESCRIPTION_HANDSHAKE_FAILURE} and the others), as
 * CPython numbers them.
 *
 * @example
 * ```ts
 * import { AlertDescription } from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(AlertDescription.ALERT_DESCRIPTION_UNKNOWN_CA, 48);
 * ```
 */
export const AlertDescription: {
  readonly ALERT_DESCRIPTION_CLOSE_NOTIFY: 0;
  readonly ALERT_DESCRIPTION_UNEXPECTED_MESSAGE: 10;
  readonly ALERT_DESCRIPTION_BAD_RECORD_MAC: 20;
  readonly ALERT_DESCRIPTION_RECORD_OVERFLOW: 22;
  readonly ALERT_DESCRIPTION_DECOMPRESSION_FAILURE: 30;
  readonly ALERT_DESCRIPTION_HANDSHAKE_FAILURE: 40;
  readonly ALERT_DESCRIPTION_BAD_CERTIFICATE: 42;
  readonly ALERT_DESCRIPTION_UNSUPPORTED_CERTIFICATE: 43;
  readonly ALERT_DESCRIPTION_CERTIFICATE_REVOKED: 44;
  readonly ALERT_DESCRIPTION_CERTIFICATE_EXPIRED: 45;
  readonly ALERT_DESCRIPTION_CERTIFICATE_UNKNOWN: 46;
  readonly ALERT_DESCRIPTION_ILLEGAL_PARAMETER: 47;
  readonly ALERT_DESCRIPTION_UNKNOWN_CA: 48;
  readonly ALERT_DESCRIPTION_ACCESS_DENIED: 49;
  readonly ALERT_DESCRIPTION_DECODE_ERROR: 50;
  readonly ALERT_DESCRIPTION_DECRYPT_ERROR: 51;
  readonly ALERT_DESCRIPTION_PROTOCOL_VERSION: 70;
  readonly ALERT_DESCRIPTION_INSUFFICIENT_SECURITY: 71;
  readonly ALERT_DESCRIPTION_INTERNAL_ERROR: 80;
  readonly ALERT_DESCRIPTION_USER_CANCELLED: 90;
  readonly ALERT_DESCRIPTION_NO_RENEGOTIATION: 100;
  readonly ALERT_DESCRIPTION_UNSUPPORTED_EXTENSION: 110;
  readonly ALERT_DESCRIPTION_CERTIFICATE_UNOBTAINABLE: 111;
  readonly ALERT_DESCRIPTION_UNRECOGNIZED_NAME: 112;
  readonly ALERT_DESCRIPTION_BAD_CERTIFICATE_STATUS_RESPONSE: 113;
  readonly ALERT_DESCRIPTION_BAD_CERTIFICATE_HASH_VALUE: 114;
  readonly ALERT_DESCRIPTION_UNKNOWN_PSK_IDENTITY: 115;
} = Object.freeze({
  ALERT_DESCRIPTION_CLOSE_NOTIFY,
  ALERT_DESCRIPTION_UNEXPECTED_MESSAGE,
  ALERT_DESCRIPTION_BAD_RECORD_MAC,
  ALERT_DESCRIPTION_RECORD_OVERFLOW,
  ALERT_DESCRIPTION_DECOMPRESSION_FAILURE,
  ALERT_DESCRIPTION_HANDSHAKE_FAILURE,
  ALERT_DESCRIPTION_BAD_CERTIFICATE,
  ALERT_DESCRIPTION_UNSUPPORTED_CERTIFICATE,
  ALERT_DESCRIPTION_CERTIFICATE_REVOKED,
  ALERT_DESCRIPTION_CERTIFICATE_EXPIRED,
  ALERT_DESCRIPTION_CERTIFICATE_UNKNOWN,
  ALERT_DESCRIPTION_ILLEGAL_PARAMETER,
  ALERT_DESCRIPTION_UNKNOWN_CA,
  ALERT_DESCRIPTION_ACCESS_DENIED,
  ALERT_DESCRIPTION_DECODE_ERROR,
  ALERT_DESCRIPTION_DECRYPT_ERROR,
  ALERT_DESCRIPTION_PROTOCOL_VERSION,
  ALERT_DESCRIPTION_INSUFFICIENT_SECURITY,
  ALERT_DESCRIPTION_INTERNAL_ERROR,
  ALERT_DESCRIPTION_USER_CANCELLED,
  ALERT_DESCRIPTION_NO_RENEGOTIATION,
  ALERT_DESCRIPTION_UNSUPPORTED_EXTENSION,
  ALERT_DESCRIPTION_CERTIFICATE_UNOBTAINABLE,
  ALERT_DESCRIPTION_UNRECOGNIZED_NAME,
  ALERT_DESCRIPTION_BAD_CERTIFICATE_STATUS_RESPONSE,
  ALERT_DESCRIPTION_BAD_CERTIFICATE_HASH_VALUE,
  ALERT_DESCRIPTION_UNKNOWN_PSK_IDENTITY,
});

/**
 * Python's `ssl.SSLErrorNumber`: the `errno` values of `SSLError`
 * ({@linkcode SSL_ERROR_SSL} and the others) by name.
 *
 * @example
 * ```ts
 * import { SSLErrorNumber } from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(SSLErrorNumber.SSL_ERROR_EOF, 8);
 * ```
 */
export const SSLErrorNumber: {
  readonly SSL_ERROR_SSL: 1;
  readonly SSL_ERROR_WANT_READ: 2;
  readonly SSL_ERROR_WANT_WRITE: 3;
  readonly SSL_ERROR_WANT_X509_LOOKUP: 4;
  readonly SSL_ERROR_SYSCALL: 5;
  readonly SSL_ERROR_ZERO_RETURN: 6;
  readonly SSL_ERROR_WANT_CONNECT: 7;
  readonly SSL_ERROR_EOF: 8;
  readonly SSL_ERROR_INVALID_ERROR_CODE: 10;
} = Object.freeze({
  SSL_ERROR_SSL,
  SSL_ERROR_WANT_READ,
  SSL_ERROR_WANT_WRITE,
  SSL_ERROR_WANT_X509_LOOKUP,
  SSL_ERROR_SYSCALL,
  SSL_ERROR_ZERO_RETURN,
  SSL_ERROR_WANT_CONNECT,
  SSL_ERROR_EOF,
  SSL_ERROR_INVALID_ERROR_CODE,
});

/**
 * Python's `ssl.Options`: the `OP_*` bits of `SSLContext.options` by name
 * ({@linkcode OP_NO_TLSv1_3} and the others), CPython's values.
 *
 * @example
 * ```ts
 * import { create_default_context, Options } from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * const ctx = create_default_context();
 * ctx.options |= Options.OP_NO_TLSv1_3;
 * assertEquals(ctx.options & Options.OP_NO_TLSv1_3, Options.OP_NO_TLSv1_3);
 * ```
 */
export const Options: {
  readonly OP_NO_SSLv2: 0;
  readonly OP_SINGLE_DH_USE: 0;
  readonly OP_SINGLE_ECDH_USE: 0;
  readonly OP_IGNORE_UNEXPECTED_EOF: 128;
  readonly OP_NO_TICKET: 16384;
  readonly OP_NO_COMPRESSION: 131072;
  readonly OP_ENABLE_MIDDLEBOX_COMPAT: 1048576;
  readonly OP_CIPHER_SERVER_PREFERENCE: 4194304;
  readonly OP_NO_SSLv3: 33554432;
  readonly OP_NO_TLSv1: 67108864;
  readonly OP_NO_TLSv1_2: 134217728;
  readonly OP_NO_TLSv1_1: 268435456;
  readonly OP_NO_TLSv1_3: 536870912;
  readonly OP_NO_RENEGOTIATION: 1073741824;
  readonly OP_ALL: 2147483728;
} = Object.freeze({
  OP_NO_SSLv2,
  OP_SINGLE_DH_USE,
  OP_SINGLE_ECDH_USE,
  OP_IGNORE_UNEXPECTED_EOF,
  OP_NO_TICKET,
  OP_NO_COMPRESSION,
  OP_ENABLE_MIDDLEBOX_COMPAT,
  OP_CIPHER_SERVER_PREFERENCE,
  OP_NO_SSLv3,
  OP_NO_TLSv1,
  OP_NO_TLSv1_2,
  OP_NO_TLSv1_1,
  OP_NO_TLSv1_3,
  OP_NO_RENEGOTIATION,
  OP_ALL,
});
