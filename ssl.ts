// Copyright the pysocket authors. MIT license.
/**
 * pysocket's `ssl`: Python's `ssl` module over the runtime's own TLS (Node's
 * OpenSSL, Bun's BoringSSL, Deno's rustls through its `node:tls`), with
 * CPython's names, options, errors and messages; `await` where Python
 * would block.
 *
 * A client and a server on loopback:
 *
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 * import { rmSync, writeFileSync } from "node:fs";
 *
 * // A self-signed certificate for localhost and 127.0.0.1 (P-256, until 2126).
 * const CERT = `-----BEGIN CERTIFICATE-----
 * MIIBaDCCAQ+gAwIBAgIUYlSTUQMsofa2r7BVzyYEQIbKtbUwCgYIKoZIzj0EAwIw
 * FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTIwNzE1MDkxN1oYDzIxMjYxMTEz
 * MTUwOTE3WjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
 * PQMBBwNCAATreQuQ7/VnSZ0Qxc3LqC2lQMz2eEzsScQdx8kv29kLCqqfZeMXZ5RJ
 * CFipEDSKWdKg3Oiz9sqgd9OKCwCXfBfJoz0wOzAaBgNVHREEEzARgglsb2NhbGhv
 * c3SHBH8AAAEwHQYDVR0OBBYEFN3FFTIDDK7H+n9iICmdbEKwbOoEMAoGCCqGSM49
 * BAMCA0cAMEQCIChelFcVatQfJK/X533dfVQ6VxbV4BgJhQulMfCFKnuvAiAf7OAa
 * 17wT/SvMgWVcSev9wouDa3UJCXV+4uNkc2IU/g==
 * -----END CERTIFICATE-----
 * `;
 * const KEY = `-----BEGIN PRIVATE KEY-----
 * MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgmb1TaQTBSrQJHBf8
 * MkAMyShBgDZ7ifV+S+U+VdjfRrOhRANCAATreQuQ7/VnSZ0Qxc3LqC2lQMz2eEzs
 * ScQdx8kv29kLCqqfZeMXZ5RJCFipEDSKWdKg3Oiz9sqgd9OKCwCXfBfJ
 * -----END PRIVATE KEY-----
 * `;
 *
 * // The server: load_cert_chain() reads a file, as Python's.
 * const certfile = `/tmp/pysocket-doc-${crypto.randomUUID()}.pem`;
 * writeFileSync(certfile, CERT + KEY);
 * const server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH);
 * server_ctx.load_cert_chain(certfile);
 * rmSync(certfile);
 * using listener = socket.create_server(["127.0.0.1", 0]);
 * const serving = (async () => {
 *   const [conn] = await listener.accept();
 *   await using tls = await server_ctx.wrap_socket(conn, { server_side: true });
 *   await tls.sendall(await tls.recv(1024)); // echo
 * })();
 *
 * // The client, trusting that certificate.
 * const ctx = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, { cadata: CERT });
 * const sock = await socket.create_connection(listener.getsockname());
 * await using ssock = await ctx.wrap_socket(sock, { server_hostname: "localhost" });
 * console.log(ssock.version()); // TLSv1.3
 * await ssock.sendall(new TextEncoder().encode("hello"));
 * assertEquals(new TextDecoder().decode(await ssock.recv(1024)), "hello");
 * await serving;
 * ```
 *
 * @example Settings and Python's errors, without a network
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals, assertThrows } from "@std/assert";
 *
 * const ctx = ssl.create_default_context();
 * assertEquals(ctx.check_hostname, true);
 * assertThrows(
 *   () => ctx.verify_mode = ssl.CERT_NONE,
 *   RangeError,
 *   "Cannot set verify_mode to CERT_NONE when check_hostname is enabled.",
 * );
 * ```
 *
 * @module
 */

// Contexts
export {
  _create_default_https_context,
  _create_unverified_context,
  create_default_context,
  type DefaultContextOptions,
  type Password,
  SSLContext,
  type UnverifiedContextOptions,
} from "./src/ssl/context.ts";

// Sockets
export { SSLSocket, type WrapSocketOptions } from "./src/ssl/ssl_socket.ts";

// Certificates
export {
  cert_time_to_seconds,
  DER_cert_to_PEM_cert,
  get_server_certificate,
  PEM_cert_to_DER_cert,
  PEM_FOOTER,
  PEM_HEADER,
} from "./src/ssl/certs.ts";
export type {
  AltName,
  DistinguishedName,
  EmptyCertificate,
  PeerCertificate,
  RDN,
} from "./src/ssl/_x509.ts";

// Random bytes
export { RAND_bytes, RAND_pseudo_bytes, RAND_status } from "./src/ssl/rand.ts";

// Errors
export {
  CertificateError,
  NotImplementedError,
  socket_error,
  SSLCertVerificationError,
  SSLEOFError,
  SSLError,
  SSLSyscallError,
  SSLWantReadError,
  SSLWantWriteError,
  SSLZeroReturnError,
} from "./src/ssl/errors.ts";

// Constants
export {
  ALERT_DESCRIPTION_ACCESS_DENIED,
  ALERT_DESCRIPTION_BAD_CERTIFICATE,
  ALERT_DESCRIPTION_BAD_CERTIFICATE_HASH_VALUE,
  ALERT_DESCRIPTION_BAD_CERTIFICATE_STATUS_RESPONSE,
  ALERT_DESCRIPTION_BAD_RECORD_MAC,
  ALERT_DESCRIPTION_CERTIFICATE_EXPIRED,
  ALERT_DESCRIPTION_CERTIFICATE_REVOKED,
  ALERT_DESCRIPTION_CERTIFICATE_UNKNOWN,
  ALERT_DESCRIPTION_CERTIFICATE_UNOBTAINABLE,
  ALERT_DESCRIPTION_CLOSE_NOTIFY,
  ALERT_DESCRIPTION_DECODE_ERROR,
  ALERT_DESCRIPTION_DECOMPRESSION_FAILURE,
  ALERT_DESCRIPTION_DECRYPT_ERROR,
  ALERT_DESCRIPTION_HANDSHAKE_FAILURE,
  ALERT_DESCRIPTION_ILLEGAL_PARAMETER,
  ALERT_DESCRIPTION_INSUFFICIENT_SECURITY,
  ALERT_DESCRIPTION_INTERNAL_ERROR,
  ALERT_DESCRIPTION_NO_RENEGOTIATION,
  ALERT_DESCRIPTION_PROTOCOL_VERSION,
  ALERT_DESCRIPTION_RECORD_OVERFLOW,
  ALERT_DESCRIPTION_UNEXPECTED_MESSAGE,
  ALERT_DESCRIPTION_UNKNOWN_CA,
  ALERT_DESCRIPTION_UNKNOWN_PSK_IDENTITY,
  ALERT_DESCRIPTION_UNRECOGNIZED_NAME,
  ALERT_DESCRIPTION_UNSUPPORTED_CERTIFICATE,
  ALERT_DESCRIPTION_UNSUPPORTED_EXTENSION,
  ALERT_DESCRIPTION_USER_CANCELLED,
  AlertDescription,
  type ASN1Object,
  CERT_NONE,
  CERT_OPTIONAL,
  CERT_REQUIRED,
  CHANNEL_BINDING_TYPES,
  get_protocol_name,
  HAS_ALPN,
  HAS_ECDH,
  HAS_NEVER_CHECK_COMMON_NAME,
  HAS_NPN,
  HAS_SNI,
  HAS_SSLv2,
  HAS_SSLv3,
  HAS_TLSv1,
  HAS_TLSv1_1,
  HAS_TLSv1_2,
  HAS_TLSv1_3,
  OP_ALL,
  OP_CIPHER_SERVER_PREFERENCE,
  OP_ENABLE_MIDDLEBOX_COMPAT,
  OP_IGNORE_UNEXPECTED_EOF,
  OP_NO_COMPRESSION,
  OP_NO_RENEGOTIATION,
  OP_NO_SSLv2,
  OP_NO_SSLv3,
  OP_NO_TICKET,
  OP_NO_TLSv1,
  OP_NO_TLSv1_1,
  OP_NO_TLSv1_2,
  OP_NO_TLSv1_3,
  OP_SINGLE_DH_USE,
  OP_SINGLE_ECDH_USE,
  Options,
  PROTOCOL_SSLv23,
  PROTOCOL_TLS,
  PROTOCOL_TLS_CLIENT,
  PROTOCOL_TLS_SERVER,
  PROTOCOL_TLSv1,
  PROTOCOL_TLSv1_1,
  PROTOCOL_TLSv1_2,
  Purpose,
  SSL_ERROR_EOF,
  SSL_ERROR_INVALID_ERROR_CODE,
  SSL_ERROR_SSL,
  SSL_ERROR_SYSCALL,
  SSL_ERROR_WANT_CONNECT,
  SSL_ERROR_WANT_READ,
  SSL_ERROR_WANT_WRITE,
  SSL_ERROR_WANT_X509_LOOKUP,
  SSL_ERROR_ZERO_RETURN,
  SSLErrorNumber,
  TLSVersion,
  VerifyMode,
} from "./src/ssl/constants.ts";
