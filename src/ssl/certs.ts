// Copyright the pysocket authors. MIT license.
/**
 * Python's certificate helpers in `ssl`: `DER_cert_to_PEM_cert`,
 * `PEM_cert_to_DER_cert`, `cert_time_to_seconds` and
 * `get_server_certificate`.
 *
 * @module
 */

import { TypeError, ValueError } from "../socket/errors.ts";
import {
  _GLOBAL_DEFAULT_TIMEOUT,
  create_connection,
} from "../socket/create.ts";
import {
  bytesLike,
  method,
  pyRepr,
  pyTypeName,
  unpack,
} from "../_py/pytype.ts";
import { CERT_NONE, CERT_REQUIRED, PROTOCOL_TLS_CLIENT } from "./constants.ts";
import { _create_unverified_context } from "./context.ts";
import { derToPem, fromBase64, PEM_FOOTER, PEM_HEADER } from "./_pem.ts";

export { PEM_FOOTER, PEM_HEADER };

/**
 * A DER certificate as PEM text, as Python's `DER_cert_to_PEM_cert`.
 *
 * @param der_cert_bytes The certificate's DER bytes.
 * @returns PEM text, lines of 64, ending with a newline.
 *
 * @example
 * ```ts
 * import { DER_cert_to_PEM_cert } from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(
 *   DER_cert_to_PEM_cert(new Uint8Array([1, 2])),
 *   "-----BEGIN CERTIFICATE-----\nAQI=\n-----END CERTIFICATE-----\n",
 * );
 * ```
 */
export function DER_cert_to_PEM_cert(
  der_cert_bytes: ArrayBufferView | ArrayBuffer,
): string {
  return derToPem(bytesLike(der_cert_bytes));
}

/**
 * A PEM certificate's DER bytes, as Python's `PEM_cert_to_DER_cert`.
 *
 * @param pem_cert_string One PEM certificate.
 * @returns Its DER bytes.
 * @throws {ValueError} `Invalid PEM encoding; must start with -----BEGIN
 * CERTIFICATE-----`.
 *
 * @example
 * ```ts
 * import { PEM_cert_to_DER_cert } from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * const pem = "-----BEGIN CERTIFICATE-----\nAQI=\n-----END CERTIFICATE-----\n";
 * assertEquals(PEM_cert_to_DER_cert(pem), new Uint8Array([1, 2]));
 * ```
 */
export function PEM_cert_to_DER_cert(
  pem_cert_string: string,
): Uint8Array<ArrayBuffer> {
  if ((pem_cert_string as unknown) instanceof Uint8Array) {
    throw new TypeError(
      "startswith first arg must be bytes or a tuple of bytes, not str",
    );
  }
  if (typeof pem_cert_string !== "string") {
    method(pem_cert_string, "startswith");
  }
  if (!pem_cert_string.startsWith(PEM_HEADER)) {
    throw new ValueError(
      `Invalid PEM encoding; must start with ${PEM_HEADER}`,
    );
  }
  const trimmed = pem_cert_string.trim();
  if (!trimmed.endsWith(PEM_FOOTER)) {
    throw new ValueError(`Invalid PEM encoding; must end with ${PEM_FOOTER}`);
  }
  return fromBase64(trimmed.slice(PEM_HEADER.length, -PEM_FOOTER.length));
}

const MONTHS = [
  "Jan",
  "Feb",
  "Mar",
  "Apr",
  "May",
  "Jun",
  "Jul",
  "Aug",
  "Sep",
  "Oct",
  "Nov",
  "Dec",
];

/**
 * Seconds since the epoch of a certificate time as `getpeercert()` gives
 * it (`"Jan  5 09:34:43 2018 GMT"`), as Python's `cert_time_to_seconds`.
 *
 * @param cert_time The time text.
 * @returns Seconds since the epoch.
 * @throws {ValueError} `time data 'x' does not match format '%b %d
 * %H:%M:%S %Y GMT'`.
 *
 * @example
 * ```ts
 * import { cert_time_to_seconds } from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(cert_time_to_seconds("Jan  5 09:34:43 2018 GMT"), 1515144883);
 * ```
 */
export function cert_time_to_seconds(cert_time: string): number {
  if (typeof cert_time !== "string") {
    // As CPython's: cert_time[:3].title(), then a month looked up by str.
    if (ArrayBuffer.isView(cert_time)) {
      throw new ValueError(
        `time data ${
          pyRepr(cert_time)
        } does not match format "%b %d %H:%M:%S %Y GMT"`,
      );
    }
    if (Array.isArray(cert_time)) method(cert_time, "title");
    throw new TypeError(
      `'${pyTypeName(cert_time)}' object is not subscriptable`,
    );
  }
  const month = MONTHS.indexOf(
    cert_time.slice(0, 3).replace(
      /^(.)(.*)$/,
      (_, a, b) => a.toUpperCase() + b.toLowerCase(),
    ),
  );
  if (month < 0) {
    throw new ValueError(
      `time data ${
        pyRepr(cert_time)
      } does not match format "%b %d %H:%M:%S %Y GMT"`,
    );
  }
  // As CPython: `time.strptime(cert_time[3:], " %d %H:%M:%S %Y GMT")`,
  // then `calendar.timegm()` with the month found above.
  const rest = cert_time.slice(3);
  const m = STRPTIME_FORMAT.exec(rest);
  if (m === null) {
    throw new ValueError(
      `time data ${pyRepr(rest)} does not match format ' %d %H:%M:%S %Y GMT'`,
    );
  }
  if (m[0].length !== rest.length) {
    throw new ValueError(
      `unconverted data remains: ${rest.slice(m[0].length)}`,
    );
  }
  const [day, hour, minute, second, year] = m.slice(1).map(Number);
  if (year === 0) throw new ValueError("year 0 is out of range");
  // calendar.timegm(): the first of the month, then days and seconds on
  // (a day past the month's end runs on into the next, as in Python).
  const first = new Date(0);
  first.setUTCFullYear(year, month, 1);
  const days = first.getTime() / 86400000 + day - 1;
  return days * 86400 + hour * 3600 + minute * 60 + second;
}

/**
 * The regular expression `time.strptime` makes of `" %d %H:%M:%S %Y GMT"`:
 * whitespace matches any run of it, letters match in any case.
 */
const STRPTIME_FORMAT = new RegExp(
  String.raw`^\s+(3[01]|[12]\d|0[1-9]|[1-9]| [1-9])\s+(2[0-3]|[0-1]\d|\d):` +
    String.raw`([0-5]\d|\d):(6[0-1]|[0-5]\d|\d)\s+(\d\d\d\d)\s+GMT`,
  "i",
);

/**
 * The certificate a TLS server presents, as PEM text, as Python's
 * `get_server_certificate(addr, ssl_version, ca_certs, timeout)`: verified
 * against `ca_certs` when given (without a host name check; `""`: against
 * the default store, as CPython's), else not verified.
 *
 * @param addr `[host, port]`.
 * @param ssl_version The protocol (`PROTOCOL_TLS_CLIENT`).
 * @param ca_certs A PEM file of trust anchors, or `null`.
 * @param timeout Seconds for the connection (`null`: blocking); leave it
 * out (or pass `socket._GLOBAL_DEFAULT_TIMEOUT`) for the default timeout
 * (`socket.getdefaulttimeout()`).
 * @returns The server's certificate, PEM.
 *
 * @example The certificate of a server on loopback
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 * import { rmSync, writeFileSync } from "node:fs";
 *
 * // A TLS server on 127.0.0.1 with a self-signed certificate (P-256, until 2126).
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
 * const certfile = `/tmp/pysocket-doc-${crypto.randomUUID()}.pem`;
 * writeFileSync(certfile, CERT + KEY); // load_cert_chain() reads a file
 * const server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH);
 * server_ctx.load_cert_chain(certfile);
 * rmSync(certfile);
 * using listener = socket.create_server(["127.0.0.1", 0]);
 * const serving = (async () => {
 *   const [conn] = await listener.accept();
 *   (await server_ctx.wrap_socket(conn, { server_side: true })).close();
 * })();
 *
 * const pem = await ssl.get_server_certificate(["127.0.0.1", listener.getsockname()[1]]);
 * assertEquals(pem, CERT); // not verified: no ca_certs
 * assertEquals(ssl.PEM_cert_to_DER_cert(pem).length, 364);
 * await serving;
 * ```
 */
export async function get_server_certificate(
  addr: [string, number],
  ssl_version: number = PROTOCOL_TLS_CLIENT,
  ca_certs: string | null = null,
  timeout: number | null | typeof _GLOBAL_DEFAULT_TIMEOUT =
    _GLOBAL_DEFAULT_TIMEOUT,
): Promise<string> {
  const [host] = unpack(addr, 2) as [string, number];
  // As CPython: an empty ca_certs verifies against the default store.
  const context = _create_unverified_context(ssl_version, {
    cert_reqs: ca_certs !== null ? CERT_REQUIRED : CERT_NONE,
    cafile: ca_certs,
  });
  const sock = await create_connection(addr, timeout);
  try {
    const ssock = await context.wrap_socket(sock, { server_hostname: host });
    try {
      return DER_cert_to_PEM_cert(ssock.getpeercert(true)!);
    } finally {
      ssock.close();
    }
  } finally {
    sock.close();
  }
}
