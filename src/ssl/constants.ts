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
 * constant, or `"<unknown>"`. (The names of CPython's version-pinned
 * protocols, which pysocket does not offer, are answered too, as CPython
 * answers them.)
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
