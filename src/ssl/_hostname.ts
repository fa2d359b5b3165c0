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

/**
 * Equality with ASCII letters' case folded and nothing else, as OpenSSL's
 * `equal_nocase` compares bytes: a pattern's non-ASCII character (KELVIN
 * SIGN is no `K`) or NUL never matches a host, which is ASCII.
 */
function equalNoCase(pattern: string, host: string): boolean {
  if (pattern.length !== host.length) return false;
  for (let i = 0; i < pattern.length; i++) {
    const l = pattern.charCodeAt(i);
    if (l === 0 || asciiLower(l) !== asciiLower(host.charCodeAt(i))) {
      return false;
    }
  }
  return true;
}

/** A character code with A–Z folded to a–z. */
function asciiLower(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
}

/**
 * A wildcard pattern as OpenSSL's `valid_star` accepts it with
 * `X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS`: a `*` that is the whole first
 * label, then two or more labels of ASCII letters, digits and hyphens that
 * neither start nor end with a hyphen (no empty label, no trailing dot).
 * (Its rule against a `*` inside an `xn--` label cannot apply to a whole
 * `*` label; the labels after it may be `xn--` ones.) Any other pattern,
 * `*` or not, is compared literally.
 */
const WILDCARD = /^\*(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?){2,}$/;

/**
 * Does `pattern` (a certificate's DNS name or common name) match `host`, as
 * OpenSSL's `equal_wildcard` with CPython's flags? As `wildcard_match`,
 * the `*` stands for one non-empty label of ASCII letters, digits and
 * hyphens (an `xn--` one too), or for a literal `*`.
 */
function matchesPattern(pattern: string, host: string): boolean {
  if (!WILDCARD.test(pattern)) return equalNoCase(pattern, host);
  const suffix = pattern.slice(1); // ".example.com"
  if (host.length <= suffix.length) return false;
  const label = host.slice(0, host.length - suffix.length);
  return equalNoCase(suffix, host.slice(label.length)) &&
    (label === "*" || /^[A-Za-z0-9-]+$/.test(label));
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
