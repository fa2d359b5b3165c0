// Copyright the pysocket authors. MIT license.
/**
 * The `ssl` module's exceptions, in CPython's classes and words:
 * {@linkcode SSLError} (an `OSError`, with `reason` and `library`) and its
 * subclasses, and the one place that builds them from what the runtime's
 * TLS reported (`[SSL: WRONG_VERSION_NUMBER] wrong version number
 * (_ssl.c:1006)`).
 *
 * @module
 */

import { ALSO_VALUE_ERROR, OSError, tupleRepr } from "../socket/errors.ts";
import { PY_STR } from "../_py/type_error.ts";
import { pyNames } from "../_py/repr.ts";
import { RuntimeError } from "../socket/builtin_errors.ts";
import type { TlsFailure } from "../_backend/types.ts";
import { VERIFY_CODES } from "./_verify_codes.ts";

/**
 * Python's `ssl.SSLError`: a TLS error, an `OSError`. Built as
 * `new SSLError(errno, strerror)` its message is `strerror` (as Python's
 * `str()` of it); `reason` and `library` are OpenSSL's names for what
 * failed, when known.
 *
 * @example
 * ```ts
 * import { OSError } from "@pysocket/socket";
 * import { SSLError } from "@pysocket/socket/ssl";
 * import { assert, assertEquals } from "@std/assert";
 *
 * const err = new SSLError(1, "[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)");
 * assert(err instanceof OSError);
 * assertEquals(err.errno, 1);
 * assertEquals(err.message, "[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)");
 * ```
 */
export class SSLError extends OSError {
  /** OpenSSL's reason (`"WRONG_VERSION_NUMBER"`), or `null`. */
  reason: string | null = null;
  /** OpenSSL's library (`"SSL"`, `"X509"`), or `null`. */
  library: string | null = null;

  /**
   * Makes the error as Python's `SSLError(errno, strerror)` does; with one
   * argument, the message is Python's `str()` of the 1-tuple.
   *
   * @param errno The `SSL_ERROR_*` number, or the only argument.
   * @param strerror The message.
   * @param options The `cause`.
   */
  constructor(
    errno?: number | string | null,
    strerror?: string,
    options?: ErrorOptions,
  );
  /**
   * Makes the error as Python's `SSLError(*args)`, `OSError`'s arguments
   * (`errno, strerror, filename, winerror, filename2`).
   *
   * @param args The arguments.
   */
  constructor(...args: unknown[]);
  constructor(...args: unknown[]) {
    super(...args);
  }

  /**
   * As CPython's `SSLError.__str__`: its `strerror` when that is a str,
   * else the `repr()` of its `args` tuple.
   *
   * @ignore
   */
  override [PY_STR](): string {
    if (typeof this.strerror === "string") return this.strerror;
    return this.args === undefined ? "" : tupleRepr(this.args);
  }
}

/**
 * Python's `ssl.SSLZeroReturnError`: the TLS connection has been closed
 * (`TLS/SSL connection has been closed (EOF)`). A clean `close_notify` from
 * the peer is not one: `recv()` returns empty bytes, as in Python.
 *
 * @example
 * ```ts
 * import { SSLError, SSLZeroReturnError } from "@pysocket/socket/ssl";
 * import { assert } from "@std/assert";
 *
 * assert(new SSLZeroReturnError(6, "TLS/SSL connection has been closed (EOF)") instanceof SSLError);
 * ```
 */
export class SSLZeroReturnError extends SSLError {}

/**
 * Python's `ssl.SSLWantReadError`: a non-blocking TLS operation needs the
 * peer's bytes first (`The operation did not complete (read)`).
 *
 * @example
 * ```ts
 * import { SSLError, SSLWantReadError } from "@pysocket/socket/ssl";
 * import { assert } from "@std/assert";
 *
 * assert(new SSLWantReadError(2, "The operation did not complete (read)") instanceof SSLError);
 * ```
 */
export class SSLWantReadError extends SSLError {}

/**
 * Python's `ssl.SSLWantWriteError`: a non-blocking TLS operation could not
 * write now (`The operation did not complete (write)`).
 *
 * @example
 * ```ts
 * import { SSLError, SSLWantWriteError } from "@pysocket/socket/ssl";
 * import { assert } from "@std/assert";
 *
 * assert(new SSLWantWriteError(3, "The operation did not complete (write)") instanceof SSLError);
 * ```
 */
export class SSLWantWriteError extends SSLError {}

/**
 * Python's `ssl.SSLSyscallError`: a system error under TLS.
 *
 * @example
 * ```ts
 * import { SSLError, SSLSyscallError } from "@pysocket/socket/ssl";
 * import { assert } from "@std/assert";
 *
 * assert(new SSLSyscallError(5, "Some I/O error occurred") instanceof SSLError);
 * ```
 */
export class SSLSyscallError extends SSLError {}

/**
 * Python's `ssl.SSLEOFError`: the connection ended without the peer's
 * `close_notify` (`[SSL: UNEXPECTED_EOF_WHILE_READING] EOF occurred in
 * violation of protocol`): in a handshake, or in `recv` with
 * `suppress_ragged_eofs: false`.
 *
 * @example
 * ```ts
 * import { SSLEOFError, SSLError } from "@pysocket/socket/ssl";
 * import { assert } from "@std/assert";
 *
 * assert(new SSLEOFError(8, "EOF occurred in violation of protocol") instanceof SSLError);
 * ```
 */
export class SSLEOFError extends SSLError {}

/**
 * Python's `ssl.SSLCertVerificationError` (alias
 * {@linkcode CertificateError}): the peer's certificate did not verify.
 * `verify_code` and `verify_message` are OpenSSL's (`18`, `self-signed
 * certificate`); the message is `[SSL: CERTIFICATE_VERIFY_FAILED]
 * certificate verify failed: self-signed certificate (_ssl.c:1006)`.
 *
 * Python makes it an `SSLError` (so an `OSError`) and a `ValueError`. JS
 * has single inheritance: it extends {@linkcode SSLError}, and
 * `err instanceof ValueError` holds as well (`ValueError` recognises it),
 * so that both of Python's `except` clauses catch it.
 *
 * @example
 * ```ts
 * import { OSError, ValueError } from "@pysocket/socket";
 * import { SSLCertVerificationError } from "@pysocket/socket/ssl";
 * import { assert } from "@std/assert";
 *
 * const err = new SSLCertVerificationError(1, "certificate verify failed");
 * assert(err instanceof OSError);
 * assert(err instanceof ValueError);
 * ```
 */
export class SSLCertVerificationError extends SSLError {
  /** OpenSSL's verification result (`X509_V_ERR_*`), or `null`. */
  verify_code: number | null = null;
  /** Its text (`"certificate has expired"`), or `null`. */
  verify_message: string | null = null;
}

Object.defineProperty(
  SSLCertVerificationError.prototype,
  ALSO_VALUE_ERROR,
  { value: true },
);

/**
 * Python's `ssl.CertificateError`: since Python 3.7 the same class as
 * {@linkcode SSLCertVerificationError}.
 *
 * @example
 * ```ts
 * import { CertificateError, SSLCertVerificationError } from "@pysocket/socket/ssl";
 * import { assertStrictEquals } from "@std/assert";
 *
 * assertStrictEquals(CertificateError, SSLCertVerificationError);
 * ```
 */
export const CertificateError: typeof SSLCertVerificationError =
  SSLCertVerificationError;
/** `ssl.CertificateError` as a type: a {@linkcode SSLCertVerificationError}. */
export type CertificateError = SSLCertVerificationError;

/**
 * Python's `ssl.socket_error`, an alias of `OSError` (CPython's ssl.py:
 * `socket_error = OSError`).
 *
 * @example
 * ```ts
 * import { OSError } from "@pysocket/socket";
 * import { socket_error } from "@pysocket/socket/ssl";
 * import { assertStrictEquals } from "@std/assert";
 *
 * assertStrictEquals(socket_error, OSError);
 * ```
 */
export const socket_error: typeof OSError = OSError;
/** `ssl.socket_error` as a type: an `OSError`. */
export type socket_error = OSError;

/**
 * Python's `NotImplementedError`, which `ssl` raises for what an
 * `SSLSocket` cannot do (`dup()`, `sendmsg()`, a datagram socket).
 *
 * @example
 * ```ts
 * import { RuntimeError } from "@pysocket/socket";
 * import { NotImplementedError } from "@pysocket/socket/ssl";
 * import { assert } from "@std/assert";
 *
 * assert(new NotImplementedError("only stream sockets are supported") instanceof RuntimeError);
 * ```
 */
export class NotImplementedError extends RuntimeError {}

// tp_name: `'ssl.SSLError' object …`; the others are `'SSLEOFError'`.
pyNames({ "ssl.SSLError": SSLError });
pyNames({
  SSLZeroReturnError,
  SSLWantReadError,
  SSLWantWriteError,
  SSLSyscallError,
  SSLEOFError,
  SSLCertVerificationError,
}, "ssl");
pyNames({ NotImplementedError });

/**
 * The `_ssl.c` line CPython 3.11.7 names for each call that reports a TLS
 * error (its messages end `(_ssl.c:1006)`).
 */
export const SSL_C_LINE = {
  handshake: 1006,
  read: 2580,
  write: 2427,
  shutdown: 2706,
  certfile: 3905,
  keyfile: 3926,
  /** The key and certificate checked together (`SSL_CTX_check_private_key`). */
  check: 3934,
  cadata: 4020,
  cafile: 4154,
} as const;

/** A CPython call site, for {@linkcode SSL_C_LINE}. */
export type SslCallSite = keyof typeof SSL_C_LINE;

/**
 * An `SSLError` as CPython's `fill_and_set_sslerror()` words it:
 * `[library: reason] text (_ssl.c:line)`.
 *
 * @param Class The class.
 * @param errno The `SSL_ERROR_*` number.
 * @param library OpenSSL's library name, or `null`.
 * @param reason OpenSSL's reason name, or `null`.
 * @param text The error's text.
 * @param site The call that met it.
 * @param cause The runtime's error.
 * @returns The error.
 */
export function sslErrorOf<T extends SSLError>(
  Class: new (errno: number, strerror: string, options?: ErrorOptions) => T,
  errno: number,
  library: string | null,
  reason: string | null,
  text: string,
  site: SslCallSite,
  cause?: unknown,
): T {
  const where = `(_ssl.c:${SSL_C_LINE[site]})`;
  const head = library !== null && reason !== null
    ? `[${library}: ${reason}] `
    : library !== null
    ? `[${library}] `
    : "";
  const err = new Class(
    errno,
    `${head}${text} ${where}`,
    cause === undefined ? undefined : { cause },
  );
  err.library = library;
  err.reason = reason;
  return err;
}

/**
 * Python's `SSLCertVerificationError` for a verification result:
 * `[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: <message>
 * (_ssl.c:1006)`.
 *
 * @param code OpenSSL's verification code.
 * @param message Its text, as CPython gives it.
 * @param cause The runtime's error, if any.
 * @returns The error.
 */
export function verifyError(
  code: number,
  message: string,
  cause?: unknown,
): SSLCertVerificationError {
  const err = sslErrorOf(
    SSLCertVerificationError,
    1,
    "SSL",
    "CERTIFICATE_VERIFY_FAILED",
    `certificate verify failed: ${message}`,
    "handshake",
    cause,
  );
  err.verify_code = code;
  err.verify_message = message;
  return err;
}

/**
 * A runtime's verification result by OpenSSL's `X509_V_ERR_*` name → the
 * code and text CPython's OpenSSL 3 gives (an unknown name: `unspecified
 * certificate verification error`, with the name). The one mapping of the
 * runtime's verdicts, for both sides: Node and Bun report
 * `UNABLE_TO_VERIFY_LEAF_SIGNATURE` (21) where OpenSSL 3, stopping at the
 * first problem, reports `UNABLE_TO_GET_ISSUER_CERT_LOCALLY` (20), which
 * is the only reason it gives for a missing issuer.
 *
 * @param name The name, without the prefix (`"CERT_HAS_EXPIRED"`).
 * @returns `[code, message]`.
 */
export function verifyResult(name: string): readonly [number, string] {
  if (name === "UNABLE_TO_VERIFY_LEAF_SIGNATURE") {
    return VERIFY_CODES.UNABLE_TO_GET_ISSUER_CERT_LOCALLY;
  }
  return VERIFY_CODES[name] ?? [1, `${VERIFY_CODES.UNSPECIFIED[1]} (${name})`];
}

/**
 * The Python error for a TLS failure the backend classified.
 *
 * @param failure What failed, in OpenSSL's terms.
 * @param cause The runtime's error.
 * @returns The `SSLError` (or subclass).
 */
export function tlsError(failure: TlsFailure, cause?: unknown): SSLError {
  const site = failure.op ?? "handshake";
  switch (failure.kind) {
    case "verify": {
      const [code, message] = verifyResult(failure.verify ?? "UNSPECIFIED");
      return verifyError(code, message, cause);
    }
    case "eof":
      return sslErrorOf(
        SSLEOFError,
        8,
        failure.library ?? null,
        failure.reason ?? null,
        "EOF occurred in violation of protocol",
        site,
        cause,
      );
    case "zero":
      return sslErrorOf(
        SSLZeroReturnError,
        6,
        null,
        null,
        "TLS/SSL connection has been closed (EOF)",
        site,
        cause,
      );
    default:
      return sslErrorOf(
        SSLError,
        1,
        failure.library ?? null,
        failure.reason ?? null,
        failure.text ?? "unknown error",
        site,
        cause,
      );
  }
}
