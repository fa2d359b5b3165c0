// Copyright the pysocket authors. MIT license.
/**
 * The `ssl` module's constants, with CPython's values (3.11, Linux):
 * protocols, verify modes, options, TLS versions, purposes, error numbers
 * and feature flags.
 *
 * @module
 */

/** `PROTOCOL_TLS_CLIENT`: a client context (verifies, checks host names). */
export const PROTOCOL_TLS_CLIENT = 16;
/** `PROTOCOL_TLS_SERVER`: a server context. */
export const PROTOCOL_TLS_SERVER = 17;
/** `PROTOCOL_TLS` (deprecated in Python): either side, no verification. */
export const PROTOCOL_TLS = 2;
/** `PROTOCOL_SSLv23`: Python's old name for {@linkcode PROTOCOL_TLS}. */
export const PROTOCOL_SSLv23 = 2;

/** `CERT_NONE`: the peer's certificate is not asked for or not checked. */
export const CERT_NONE = 0;
/** `CERT_OPTIONAL`: checked if the peer sends one (a server). */
export const CERT_OPTIONAL = 1;
/** `CERT_REQUIRED`: the peer must send a certificate that verifies. */
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

/** `OP_ALL`: OpenSSL's bug workarounds (on by default). */
export const OP_ALL = 0x80000050;
/** `OP_NO_SSLv2`: 0 (SSLv2 is gone). */
export const OP_NO_SSLv2 = 0;
/** `OP_NO_SSLv3`: never negotiate SSLv3 (it never is). */
export const OP_NO_SSLv3 = 0x02000000;
/** `OP_NO_TLSv1`: leave TLS 1.0 out (honoured: narrows the versions). */
export const OP_NO_TLSv1 = 0x04000000;
/** `OP_NO_TLSv1_1`: leave TLS 1.1 out (honoured). */
export const OP_NO_TLSv1_1 = 0x10000000;
/** `OP_NO_TLSv1_2`: leave TLS 1.2 out (honoured). */
export const OP_NO_TLSv1_2 = 0x08000000;
/** `OP_NO_TLSv1_3`: leave TLS 1.3 out (honoured). */
export const OP_NO_TLSv1_3 = 0x20000000;
/** `OP_NO_COMPRESSION`: no TLS compression (none of the runtimes has it). */
export const OP_NO_COMPRESSION = 0x20000;
/** `OP_CIPHER_SERVER_PREFERENCE`: a server picks the cipher by its order. */
export const OP_CIPHER_SERVER_PREFERENCE = 0x400000;
/** `OP_SINGLE_DH_USE`: 0 (always so). */
export const OP_SINGLE_DH_USE = 0;
/** `OP_SINGLE_ECDH_USE`: 0 (always so). */
export const OP_SINGLE_ECDH_USE = 0;
/** `OP_NO_TICKET`: no session tickets (recorded, not honoured). */
export const OP_NO_TICKET = 0x4000;
/** `OP_NO_RENEGOTIATION`: refuse renegotiation (recorded, not honoured). */
export const OP_NO_RENEGOTIATION = 0x40000000;
/** `OP_ENABLE_MIDDLEBOX_COMPAT`: TLS 1.3 middlebox compatibility (on). */
export const OP_ENABLE_MIDDLEBOX_COMPAT = 0x100000;
/**
 * `OP_IGNORE_UNEXPECTED_EOF`: an end of stream without `close_notify` ends
 * reading quietly, even with `suppress_ragged_eofs: false` (honoured).
 */
export const OP_IGNORE_UNEXPECTED_EOF = 0x80;

/** `SSLError.errno` of a protocol error (`SSL_ERROR_SSL`). */
export const SSL_ERROR_SSL = 1;
/** `SSLWantReadError.errno`. */
export const SSL_ERROR_WANT_READ = 2;
/** `SSLWantWriteError.errno`. */
export const SSL_ERROR_WANT_WRITE = 3;
/** `SSL_ERROR_WANT_X509_LOOKUP`. */
export const SSL_ERROR_WANT_X509_LOOKUP = 4;
/** `SSLSyscallError.errno`. */
export const SSL_ERROR_SYSCALL = 5;
/** `SSLZeroReturnError.errno`: the TLS connection was closed. */
export const SSL_ERROR_ZERO_RETURN = 6;
/** `SSL_ERROR_WANT_CONNECT`. */
export const SSL_ERROR_WANT_CONNECT = 7;
/** `SSLEOFError.errno`: the peer went without `close_notify`. */
export const SSL_ERROR_EOF = 8;
/** `SSL_ERROR_INVALID_ERROR_CODE`. */
export const SSL_ERROR_INVALID_ERROR_CODE = 10;

/** `HAS_ALPN`: ALPN is available (on every runtime). */
export const HAS_ALPN = true;
/** `HAS_SNI`: clients send the server name. */
export const HAS_SNI = true;
/** `HAS_ECDH`: elliptic-curve key exchange. */
export const HAS_ECDH = true;
/** `HAS_NPN`: `false`, as in CPython 3.11 with OpenSSL 3. */
export const HAS_NPN = false;
/** `HAS_NEVER_CHECK_COMMON_NAME`: `hostname_checks_common_name` works. */
export const HAS_NEVER_CHECK_COMMON_NAME = true;
/** `HAS_SSLv2`: no. */
export const HAS_SSLv2 = false;
/** `HAS_SSLv3`: no. */
export const HAS_SSLv3 = false;
/**
 * `HAS_TLSv1`: `false`: not on every runtime (Deno's rustls has no TLS 1.0;
 * OpenSSL 3 refuses it at its default security level).
 */
export const HAS_TLSv1 = false;
/** `HAS_TLSv1_1`: `false`, as {@linkcode HAS_TLSv1}. */
export const HAS_TLSv1_1 = false;
/** `HAS_TLSv1_2`: yes, on every runtime. */
export const HAS_TLSv1_2 = true;
/** `HAS_TLSv1_3`: yes, on every runtime. */
export const HAS_TLSv1_3 = true;

/** `CHANNEL_BINDING_TYPES`: what `get_channel_binding()` knows. */
export const CHANNEL_BINDING_TYPES: readonly string[] = Object.freeze([
  "tls-unique",
]);

/** An OpenSSL object identifier, as Python's `_ASN1Object`. */
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
