// Copyright the pysocket authors. MIT license.
// Server host names as CPython's `ssl` handles them: encoded with Python's
// `idna` codec, recognised as IP literals (no SNI, an IP check), and
// matched against a certificate as OpenSSL's `X509_check_host` /
// `X509_check_ip` do with CPython's flags (no partial wildcards; the
// subject's common name only without DNS alternative names, and only while
// `hostname_checks_common_name`).

import { parsePton4, parsePton6 } from "../socket/convert.ts";
import { lookupCodec, UnicodeError } from "../_py/codec.ts";
import { bytesLike, pyTypeName } from "../_py/pytype.ts";
import { type Certificate, sameBytes } from "./_x509.ts";

/** RFC 3492 Punycode of one label. */
function punycode(input: string): string {
  const base = 36, tMin = 1, tMax = 26, skew = 38, damp = 700;
  const codePoints = Array.from(input, (c) => c.codePointAt(0)!);
  let output = codePoints.filter((c) => c < 0x80).map((c) =>
    String.fromCharCode(c)
  ).join("");
  const basic = output.length;
  let handled = basic;
  if (basic > 0) output += "-";
  let n = 0x80, delta = 0, bias = 72;
  const digit = (d: number) => String.fromCharCode(d + 22 + 75 * +(d < 26));
  const adapt = (d: number, points: number, first: boolean) => {
    d = first ? Math.floor(d / damp) : d >> 1;
    d += Math.floor(d / points);
    let k = 0;
    while (d > ((base - tMin) * tMax) >> 1) {
      d = Math.floor(d / (base - tMin));
      k += base;
    }
    return k + Math.floor(((base - tMin + 1) * d) / (d + skew));
  };
  while (handled < codePoints.length) {
    const m = Math.min(...codePoints.filter((c) => c >= n));
    delta += (m - n) * (handled + 1);
    n = m;
    for (const c of codePoints) {
      if (c < n) delta++;
      if (c !== n) continue;
      let q = delta;
      for (let k = base;; k += base) {
        const t = k <= bias ? tMin : k >= bias + tMax ? tMax : k - bias;
        if (q < t) break;
        output += digit(t + ((q - t) % (base - t)));
        q = Math.floor((q - t) / (base - t));
      }
      output += digit(q);
      bias = adapt(delta, handled + 1, handled === basic);
      delta = 0;
      handled++;
    }
    delta++;
    n++;
  }
  return output;
}

/**
 * A host name through Python's `idna` codec (`str.encode("idna")`): ASCII
 * labels as they are, others Punycode (`xn--…`).
 *
 * @throws {UnicodeError} `encoding with 'idna' codec failed (UnicodeError:
 * label empty or too long)`.
 */
function encodeHostname(hostname: string): string {
  if (hostname === "") return "";
  const labels = hostname.split(/[.\u3002\uff0e\uff61]/);
  const trailing = labels.length > 1 && labels[labels.length - 1] === "";
  if (trailing) labels.pop();
  const out = labels.map((label) => {
    // deno-lint-ignore no-control-regex
    const ascii = /^[\x00-\x7f]*$/.test(label)
      ? label
      : `xn--${punycode(label.normalize("NFKC").toLowerCase())}`;
    if (ascii.length === 0 || ascii.length > 63) {
      throw new UnicodeError(
        "encoding with 'idna' codec failed (UnicodeError: label empty or too long)",
      );
    }
    return ascii;
  });
  return out.join(".") + (trailing ? "." : "");
}

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
  if (typeof hostname === "string") return encodeHostname(hostname);
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

/** The bytes of an IP literal (4 or 16), or `null` for a host name. */
export function ipLiteral(host: string): Uint8Array | null {
  // inet_pton's parsers, without the OSError (and its stack) of a miss.
  return parsePton4(host) ?? parsePton6(host) ?? null;
}

/** ASCII case-insensitive equality, as OpenSSL's `equal_nocase`. */
function equalNoCase(a: string, b: string): boolean {
  return a.length === b.length && a.toLowerCase() === b.toLowerCase();
}

/**
 * Does `pattern` (a certificate's DNS name) match `host`, as OpenSSL's
 * `equal_wildcard` with `X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS`? A `*` may
 * only be the whole leftmost label, with at least two labels after it, and
 * stands for exactly one non-empty label.
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
  return equalNoCase(h.slice(dot), rest);
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
