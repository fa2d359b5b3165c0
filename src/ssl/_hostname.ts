// Copyright the pysocket authors. MIT license.
// Server host names as CPython's `ssl` handles them: encoded with Python's
// `idna` codec, recognised as IP literals (no SNI, an IP check), and
// matched against a certificate as OpenSSL's `X509_check_host` /
// `X509_check_ip` do with CPython's flags (no partial wildcards; the
// subject's common name only without DNS alternative names, and only while
// `hostname_checks_common_name`).

import { parsePton4, parsePton6 } from "../socket/convert.ts";
import { lookupCodec } from "../_py/codec.ts";
import { idnaEncode } from "../_py/idna.ts";
import { bytesLike, pyTypeName } from "../_py/pytype.ts";
import { type Certificate, sameBytes } from "./_x509.ts";
import { TypeError } from "../socket/errors.ts";

/**
 * A `server_hostname` as CPython's `SSLContext._encode_hostname` takes it: a
 * string through the `idna` codec, bytes decoded as ASCII.
 *
 * @throws {UnicodeError} A label the `idna` codec refuses.
 * @throws {UnicodeDecodeError} Bytes that are not ASCII.
 * @throws {TypeError} Anything else, with Python's `AttributeError` text
 * (`'int' object has no attribute 'decode'`).
 */
export function encodeServerHostname(hostname: unknown): string {
  if (typeof hostname === "string") return idnaEncode(hostname);
  if (ArrayBuffer.isView(hostname) || hostname instanceof ArrayBuffer) {
    return lookupCodec("ascii").decoder("strict").decode(
      bytesLike(hostname),
      true,
    );
  }
  throw new TypeError(
    `'${pyTypeName(hostname)}' object has no attribute 'decode'`,
  );
}

/**
 * The bytes of an IP literal (4 or 16), or `null` for a host name, as
 * OpenSSL's `a2i_IPADDRESS` reads `server_hostname`: an IPv4 address's
 * numbers may have leading zeros (`127.000.000.001`).
 */
export function ipLiteral(host: string): Uint8Array | null {
  // inet_pton's parsers, without the OSError (and its stack) of a miss.
  return parsePton4(host) ?? dottedDecimal(host) ?? parsePton6(host) ?? null;
}

/** Four decimal numbers of 0 to 255, leading zeros and all. */
function dottedDecimal(host: string): Uint8Array | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host);
  if (m === null) return undefined;
  const bytes = m.slice(1).map(Number);
  return bytes.every((n) => n <= 255) ? Uint8Array.from(bytes) : undefined;
}

/** ASCII case-insensitive equality, as OpenSSL's `equal_nocase`. */
function equalNoCase(a: string, b: string): boolean {
  return a.length === b.length && a.toLowerCase() === b.toLowerCase();
}

/**
 * Does `pattern` (a certificate's DNS name) match `host`, as OpenSSL's
 * `equal_wildcard` with `X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS`? A `*` may
 * only be the whole leftmost label, with at least two labels after it, and
 * stands for exactly one non-empty label of letters, digits and hyphens
 * (or a literal `*`).
 */
function matchesPattern(pattern: string, h: string): boolean {
  // As OpenSSL, a trailing dot is part of the name: "localhost." does not
  // match "localhost".
  if (!pattern.startsWith("*.")) return equalNoCase(pattern, h);
  const rest = pattern.slice(1); // ".example.com"
  const valid = rest.split(".").length >= 3 && !rest.includes("*") &&
    !/^\.xn--/i.test(rest);
  if (!valid) return equalNoCase(pattern, h);
  const dot = h.indexOf(".");
  if (dot <= 0) return false;
  if (!equalNoCase(h.slice(dot), rest)) return false;
  // As OpenSSL's wildcard_match: the `*` may stand for a literal "*", or
  // else for letters, digits and hyphens only.
  const label = h.slice(0, dot);
  return label === "*" || /^[A-Za-z0-9-]+$/.test(label);
}

/**
 * Is `cert` valid for the server `host` (a name, or an IP literal's
 * bytes), by OpenSSL's rules and CPython's flags?
 *
 * @param cert The server's certificate.
 * @param host The host name as given (encoded), or an IP's bytes.
 * @param checkCommonName Fall back to the subject's common name when the
 * certificate has no DNS alternative names.
 */
export function hostMatches(
  cert: Certificate,
  host: string | Uint8Array,
  checkCommonName: boolean,
): boolean {
  if (host instanceof Uint8Array) {
    return cert.ipAddresses.some((ip) => sameBytes(ip, host));
  }
  const dns = (cert.altNames ?? []).filter(([type]) => type === "DNS")
    .map(([, value]) => value as string);
  if (dns.length > 0) return dns.some((name) => matchesPattern(name, host));
  if (!checkCommonName) return false;
  for (const rdn of cert.subject) {
    for (const [name, value] of rdn) {
      if (name === "commonName" && matchesPattern(value, host)) return true;
    }
  }
  return false;
}
