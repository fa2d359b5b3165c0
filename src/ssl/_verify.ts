// Copyright the pysocket authors. MIT license.
// The peer's certificate, judged as CPython's `ssl` judges it, and the
// refusal worded as OpenSSL words it.
//
// The runtime's TLS decides whether the chain is trusted (its verdict is
// never overruled to accept). What OpenSSL 3 checks beyond it, at CPython's
// security level (2), is checked here on every runtime: key sizes and
// signature digests (66, 67, 68), CA certificates and purposes (79, 26,
// 25), validity periods (9, 10: Deno's TLS does not tell them), and a
// chain that stops at a trusted certificate that is not self-signed (2,
// 20: rustls takes it, OpenSSL without a partial-chain flag does not).
// When the runtime refuses, it may not say why in OpenSSL's terms
// (rustls has its own; Node reports the last problem where OpenSSL,
// stopping at the first, reports another): the reason is then found again
// here. Everything goes in OpenSSL's order (`X509_verify_cert`): the leaf's
// key (66), building the chain (2, 18, 19, 20; of several issuers, the one
// valid now), its extensions (34, 79, 26, 25), its security level (67,
// 68), the host name (62, 64), validity periods from the trust anchor down
// (9, 10), then name constraints (47, 48, …) — and the runtime's own name
// is the last resort. Host names are checked here, with CPython's rules.

import { VERIFY_CODES } from "./_verify_codes.ts";
import { type Certificate, parseCertificate, sameBytes } from "./_x509.ts";
import {
  children,
  contents,
  type Element,
  element,
  encoding,
  oid,
  TAG,
  text,
} from "./_der.ts";
import { hostMatches } from "./_hostname.ts";
import { verifyResult } from "./errors.ts";

/** A refused certificate: OpenSSL's code and CPython's message. */
export interface VerifyFailure {
  code: number;
  message: string;
}

/** The server name a client checks, as given and as an IP's bytes. */
export interface HostCheck {
  /** The name as given to `wrap_socket` (encoded). */
  name: string;
  /** Its bytes when it is an IP literal. */
  ip: Uint8Array | null;
  /** `hostname_checks_common_name`. */
  commonName: boolean;
}

/** Runtime verdicts that are about the host name, checked here instead. */
const NAME_VERDICTS = new Set([
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "HOSTNAME_MISMATCH",
  "IP_ADDRESS_MISMATCH",
]);

const failure = (name: keyof typeof VERIFY_CODES): VerifyFailure => {
  const [code, message] = VERIFY_CODES[name];
  return { code, message };
};

/** CPython's message for a host that the certificate is not valid for. */
export function hostFailure(host: HostCheck): VerifyFailure {
  return host.ip === null
    ? {
      code: 62,
      message:
        `Hostname mismatch, certificate is not valid for '${host.name}'.`,
    }
    : {
      code: 64,
      message:
        `IP address mismatch, certificate is not valid for '${host.name}'.`,
    };
}

/**
 * Certificates parsed before, by a hash of their DER: a client meets the
 * same server's chain at each handshake, and parsing it again cost more than
 * the rest of the judgement (a tenth of a handshake's CPU on Bun). Kept
 * private to the judgement, which only reads them; at most PARSED_MAX.
 */
const parsed = new Map<number, Certificate>();
const PARSED_MAX = 64;

/**
 * A cache key for `b`: FNV-1a over its length and 64 bytes spread over it
 * (the certificate's tail, its signature, varies most). A hit is compared
 * byte for byte, so a collision costs a parse, never a wrong certificate.
 */
function keyOf(b: Uint8Array): number {
  let h = Math.imul(0x811c9dc5 ^ b.length, 0x01000193);
  const step = Math.max(1, b.length >> 6);
  for (let i = b.length - 1; i >= 0; i -= step) {
    h = Math.imul(h ^ b[i], 0x01000193);
  }
  return h >>> 0;
}

/** `der` parsed (from the cache when seen before); throws as the parser. */
function parseCached(der: Uint8Array): Certificate {
  const key = keyOf(der);
  const seen = parsed.get(key);
  if (seen !== undefined && sameBytes(seen.der, der)) return seen;
  // A copy: the caller's bytes may change after this judgement.
  const cert = parseCertificate(new Uint8Array(der));
  if (parsed.size >= PARSED_MAX) parsed.delete(parsed.keys().next().value!);
  parsed.set(key, cert);
  return cert;
}

/**
 * Parses what parses (through the cache); a certificate that does not is
 * left out.
 */
function parseAll(ders: readonly Uint8Array[]): Certificate[] {
  const out: Certificate[] = [];
  for (const der of ders) {
    try {
      out.push(parseCached(der));
    } catch {
      // Not for us to judge: the runtime has.
    }
  }
  return out;
}

/** A certificate's extension value (inside its OCTET STRING), if any. */
function extension(cert: Certificate, id: string): Element | undefined {
  const ext = cert.extensions.get(id);
  if (ext === undefined) return undefined;
  const v = contents(ext);
  return element(v, 0, v.length);
}

/** `subjectKeyIdentifier` and `authorityKeyIdentifier`'s key id. */
const OID_SUBJECT_KEY_ID = "2.5.29.14";
const OID_AUTHORITY_KEY_ID = "2.5.29.35";

/** Key identifiers read before (`null`: none, or unreadable). */
const keyIds = new WeakMap<
  Certificate,
  { own: Uint8Array | null; issuer: Uint8Array | null }
>();

/** A certificate's own key identifier and its issuer's, if given. */
function keyIdsOf(
  cert: Certificate,
): { own: Uint8Array | null; issuer: Uint8Array | null } {
  let ids = keyIds.get(cert);
  if (ids === undefined) {
    ids = { own: null, issuer: null };
    try {
      const skid = extension(cert, OID_SUBJECT_KEY_ID);
      if (skid !== undefined) ids.own = contents(skid);
      const akid = extension(cert, OID_AUTHORITY_KEY_ID);
      const keyId = akid && children(akid).find((f) => f.tag === 0x80);
      if (keyId !== undefined) ids.issuer = contents(keyId);
    } catch {
      // Unreadable: names alone decide, as OpenSSL without them.
    }
    keyIds.set(cert, ids);
  }
  return ids;
}

/**
 * OpenSSL's `check_issued()` (`ossl_x509_likely_issued()`), signature
 * aside: `issuer`'s subject is `cert`'s issuer and, where both are given,
 * `cert`'s authority key identifier is `issuer`'s subject key identifier.
 */
function likelyIssued(issuer: Certificate, cert: Certificate): boolean {
  if (!sameBytes(issuer.subjectDer, cert.issuerDer)) return false;
  const want = keyIdsOf(cert).issuer;
  const own = want === null ? null : keyIdsOf(issuer).own;
  return want === null || own === null || sameBytes(want, own);
}

/**
 * OpenSSL's choice among the certificates that issued `cert`
 * (`find_issuer()`, `X509_STORE_CTX_get1_issuer()`): the first one valid
 * now, else the one that expires last (the first of those).
 */
function pickIssuer(
  cert: Certificate,
  candidates: readonly Certificate[],
  now: number,
  usable: (c: Certificate) => boolean,
): Certificate | undefined {
  let best: Certificate | undefined;
  for (const c of candidates) {
    if (!likelyIssued(c, cert) || !usable(c)) continue;
    if (now >= c.notBefore.ms && now <= c.notAfter.ms) return c;
    if (best === undefined || c.notAfter.ms > best.notAfter.ms) best = c;
  }
  return best;
}

/**
 * Builds the chain as OpenSSL does, trusted certificates first: the chain
 * (leaf first) and, if it cannot be completed, why. Once a trusted
 * certificate is in it, only trusted ones follow, up to a self-signed one:
 * without `X509_V_FLAG_PARTIAL_CHAIN` (CPython 3.11 sets no verify flags),
 * a chain that stops at a trusted certificate that is not self-signed is
 * refused (2), and the leaf itself is trusted only when self-signed. Of
 * several issuers (a renewed root and its expired copy, an intermediate
 * sent twice), the one valid now is taken, as OpenSSL takes it.
 */
function buildChain(
  leaf: Certificate,
  sent: Certificate[],
  anchors: () => Certificate[],
  now: number,
): { chain: Certificate[]; error: VerifyFailure | null; trusted: boolean } {
  const chain = [leaf];
  const trusted = anchors();
  let inTrust = false;
  // A certificate of the chain is trusted (not the runtime's store alone).
  let seen = false;
  for (let depth = 0; depth < 32; depth++) {
    const current = chain[chain.length - 1];
    if (inTrust) {
      if (current.selfSigned) return { chain, error: null, trusted: true };
      const up = pickIssuer(current, trusted, now, (t) => !chain.includes(t));
      if (up === undefined) {
        return {
          chain,
          error: failure("UNABLE_TO_GET_ISSUER_CERT"),
          trusted: true,
        };
      }
      chain.push(up);
      continue;
    }
    const isTrusted = trusted.some((t) => sameBytes(t.der, current.der));
    seen ||= isTrusted;
    if (current.selfSigned && isTrusted) {
      return { chain, error: null, trusted: true };
    }
    const anchor = pickIssuer(
      current,
      trusted,
      now,
      (t) => !sameBytes(t.der, current.der),
    );
    if (anchor !== undefined) {
      chain.push(anchor);
      inTrust = true;
      continue;
    }
    if (current.selfSigned) {
      return {
        chain,
        error: failure(
          chain.length === 1
            ? "DEPTH_ZERO_SELF_SIGNED_CERT"
            : "SELF_SIGNED_CERT_IN_CHAIN",
        ),
        trusted: false,
      };
    }
    const next = pickIssuer(current, sent, now, (c) => !chain.includes(c));
    if (next === undefined) {
      return {
        chain,
        error: failure("UNABLE_TO_GET_ISSUER_CERT_LOCALLY"),
        trusted: seen,
      };
    }
    chain.push(next);
  }
  return { chain, error: failure("CERT_CHAIN_TOO_LONG"), trusted: false };
}

/** OpenSSL's least key and digest strength by security level (1–5). */
const MIN_BITS = [80, 112, 128, 192, 256];

/**
 * The least strength, in bits, of a key or a signature's digest that
 * OpenSSL takes at a security level (level 2: 112).
 *
 * @param level The security level (0: anything).
 * @returns The bits.
 */
export function leastBits(level: number): number {
  return level <= 0 ? 0 : MIN_BITS[Math.min(level, 5) - 1];
}

/** OpenSSL's `KU_*` and `NS_*` bits, and the purposes' OIDs. */
const KU_DIGITAL_SIGNATURE = 0x80;
const KU_KEY_ENCIPHERMENT = 0x20;
const KU_KEY_AGREEMENT = 0x08;
const KU_KEY_CERT_SIGN = 0x04;
const NS_SSL_CLIENT = 0x80;
const NS_SSL_SERVER = 0x40;
const NS_SSL_CA = 0x04;
const NS_ANY_CA = 0x07;
const EKU_CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
/** serverAuth, and the Server Gated Cryptography purposes OpenSSL takes. */
const EKU_SERVER = new Set([
  "1.3.6.1.5.5.7.3.1",
  "2.16.840.1.113730.4.1",
  "1.3.6.1.4.1.311.10.3.3",
]);

/** Does the key usage, when there is one, lack all of `usage`? */
function kuReject(cert: Certificate, usage: number): boolean {
  return cert.keyUsage !== null && (cert.keyUsage & usage) === 0;
}

/** Does the Netscape type, when there is one, lack all of `usage`? */
function nsReject(cert: Certificate, usage: number): boolean {
  return cert.nsCertType !== null && (cert.nsCertType & usage) === 0;
}

/**
 * OpenSSL's `check_ca()`: 0 not a CA; 1 a CA by its basic constraints;
 * 3 a version 1 root, 4 by key usage, 5 by Netscape type (tolerated at the
 * top of a chain only).
 */
function caKind(cert: Certificate): number {
  if (kuReject(cert, KU_KEY_CERT_SIGN)) return 0;
  if (cert.basicConstraints !== null) return cert.basicConstraints.ca ? 1 : 0;
  if (cert.version === 1 && cert.selfSigned) return 3;
  if (cert.keyUsage !== null) return 4;
  if (cert.nsCertType !== null && (cert.nsCertType & NS_ANY_CA) !== 0) {
    return 5;
  }
  return 0;
}

/**
 * OpenSSL's `ssl_server` / `ssl_client` purpose checks
 * (`check_purpose_ssl_server()`, `check_purpose_ssl_client()`).
 */
function purposeOk(cert: Certificate, clientAuth: boolean, ca: boolean) {
  const eku = cert.extKeyUsage;
  if (
    eku !== null &&
    !eku.some((o) => clientAuth ? o === EKU_CLIENT_AUTH : EKU_SERVER.has(o))
  ) return false;
  if (ca) {
    // check_ssl_ca()
    const kind = caKind(cert);
    return kind !== 0 &&
      (kind !== 5 || (cert.nsCertType! & NS_SSL_CA) !== 0);
  }
  return clientAuth
    ? !kuReject(cert, KU_DIGITAL_SIGNATURE | KU_KEY_AGREEMENT) &&
      !nsReject(cert, NS_SSL_CLIENT)
    : !nsReject(cert, NS_SSL_SERVER) &&
      !kuReject(
        cert,
        KU_DIGITAL_SIGNATURE | KU_KEY_ENCIPHERMENT | KU_KEY_AGREEMENT,
      );
}

/**
 * The extensions OpenSSL handles (`X509_supported_extension()`): a
 * critical one not among them refuses the certificate (34).
 */
const HANDLED_EXTENSIONS = new Set([
  "2.16.840.1.113730.1.1", // nsCertType
  "2.5.29.15", // keyUsage
  "2.5.29.17", // subjectAltName
  "2.5.29.19", // basicConstraints
  "2.5.29.32", // certificatePolicies
  "2.5.29.31", // cRLDistributionPoints
  "2.5.29.37", // extendedKeyUsage
  "1.3.6.1.5.5.7.1.7", // sbgp-ipAddrBlock
  "1.3.6.1.5.5.7.1.8", // sbgp-autonomousSysNum
  "1.3.6.1.5.5.7.48.1.5", // OCSP noCheck
  "2.5.29.36", // policyConstraints
  "1.3.6.1.5.5.7.1.14", // proxyCertInfo
  "2.5.29.30", // nameConstraints
  "2.5.29.33", // policyMappings
  "2.5.29.54", // inhibitAnyPolicy
]);

/** Certificates judged before for `unhandledCritical()`. */
const criticalSeen = new WeakMap<Certificate, boolean>();

/**
 * Has the certificate a critical extension OpenSSL does not handle
 * (`EXFLAG_CRITICAL`)? One that cannot be read is not judged here.
 */
function unhandledCritical(cert: Certificate): boolean {
  let found = criticalSeen.get(cert);
  if (found === undefined) {
    found = false;
    try {
      const tbs = children(element(cert.der))[0];
      for (const field of children(tbs)) {
        if (field.tag !== 0xa3) continue;
        for (const ext of children(children(field)[0])) {
          const [id, critical, value] = children(ext);
          if (
            value !== undefined && critical.tag === TAG.BOOLEAN &&
            contents(critical)[0] !== 0 && !HANDLED_EXTENSIONS.has(oid(id))
          ) found = true;
        }
      }
    } catch {
      found = false;
    }
    criticalSeen.set(cert, found);
  }
  return found;
}

/**
 * OpenSSL's `check_extensions()`, leaf first: no critical extension it
 * does not handle (34), each issuer a CA (79), each certificate fit for
 * the purpose (26), path lengths (25).
 */
function extensionFailure(
  chain: Certificate[],
  clientAuth: boolean,
): VerifyFailure | null {
  let pathLength = 0;
  for (let i = 0; i < chain.length; i++) {
    const cert = chain[i];
    if (unhandledCritical(cert)) {
      return failure("UNHANDLED_CRITICAL_EXTENSION");
    }
    if (i > 0) {
      const kind = caKind(cert);
      // Below the top, only basic constraints make a CA.
      if (kind === 0 || (i + 1 < chain.length && kind !== 1)) {
        return failure("INVALID_CA");
      }
    }
    if (!purposeOk(cert, clientAuth, i > 0)) return failure("INVALID_PURPOSE");
    const limit = cert.basicConstraints?.pathLen ?? null;
    if (i > 1 && limit !== null && pathLength > limit) {
      return failure("PATH_LENGTH_EXCEEDED");
    }
    if (i > 0 && !cert.selfIssued) pathLength++;
  }
  return null;
}

/** A strength below the level's least (an unknown one is not judged). */
function tooWeak(bits: number | null, least: number): boolean {
  return bits !== null && bits < least;
}

/**
 * OpenSSL's `check_auth_level()`: the issuers' keys (67) and every
 * signature but the trust anchor's own (68), leaf first.
 */
function levelFailure(
  chain: Certificate[],
  anchored: boolean,
  least: number,
): VerifyFailure | null {
  for (let i = 0; i < chain.length; i++) {
    if (i > 0 && tooWeak(chain[i].keyBits, least)) {
      return failure("CA_KEY_TOO_SMALL");
    }
    // OpenSSL's chain ends at the trust anchor, whose own signature is not
    // judged: ours, where it is found, or a self-signed top the runtime
    // trusted from a store that could not be listed here.
    const anchor = i === chain.length - 1 &&
      (anchored || chain[i].selfSigned);
    if (!anchor && tooWeak(chain[i].signatureBits, least)) {
      return failure("CA_MD_TOO_WEAK");
    }
  }
  return null;
}

/** Validity periods, from the trust anchor down to the leaf. */
function timeFailure(
  chain: Certificate[],
  now: number,
): VerifyFailure | null {
  for (let i = chain.length - 1; i >= 0; i--) {
    if (now < chain[i].notBefore.ms) return failure("CERT_NOT_YET_VALID");
    if (now > chain[i].notAfter.ms) return failure("CERT_HAS_EXPIRED");
  }
  return null;
}

/** `nameConstraints`, `subjectAltName`, `emailAddress`, `commonName`. */
const OID_NAME_CONSTRAINTS = "2.5.29.30";
const OID_SUBJECT_ALT_NAME = "2.5.29.17";
const OID_EMAIL_ADDRESS = "1.2.840.113549.1.9.1";
const OID_COMMON_NAME = "2.5.4.3";

/** GeneralName's types (its context tag's number). */
const GEN_OTHERNAME = 0;
const GEN_EMAIL = 1;
const GEN_DNS = 2;
const GEN_DIRNAME = 4;
const GEN_URI = 6;
const GEN_IPADD = 7;

/** A name to judge: its GeneralName type and its value. */
interface GeneralName {
  type: number;
  /** The contents (a dirName's: its Name; an otherName's: its type). */
  value: Element;
}

/** A GeneralName element as a name to judge. */
function generalName(e: Element): GeneralName {
  const type = e.tag & 0x1f;
  // directoryName is explicitly tagged; otherName's first part is its type.
  return {
    type,
    value: type === GEN_DIRNAME || type === GEN_OTHERNAME ? children(e)[0] : e,
  };
}

/** A constraint: `base`, and whether its minimum and maximum are absent. */
interface Subtree {
  base: GeneralName;
  minmaxOk: boolean;
}

/** A CA's `nameConstraints`: permitted and excluded subtrees. */
interface NameConstraints {
  permitted: Subtree[];
  excluded: Subtree[];
}

/** Name constraints read before (`null`: none, or unreadable). */
const constraintsSeen = new WeakMap<Certificate, NameConstraints | null>();

/** A certificate's `nameConstraints`, if any. */
function constraintsOf(cert: Certificate): NameConstraints | null {
  let nc = constraintsSeen.get(cert);
  if (nc === undefined) {
    nc = null;
    try {
      const ext = extension(cert, OID_NAME_CONSTRAINTS);
      if (ext !== undefined) {
        const found: NameConstraints = { permitted: [], excluded: [] };
        for (const part of children(ext)) {
          const list = part.tag === 0xa0 ? found.permitted : found.excluded;
          for (const subtree of children(part)) {
            const [base, ...rest] = children(subtree);
            list.push({
              base: generalName(base),
              // nc_minmax_valid(): minimum absent or 0, maximum absent.
              minmaxOk: rest.every((r) =>
                r.tag === 0x80 && contents(r).every((b) => b === 0)
              ),
            });
          }
        }
        nc = found;
      }
    } catch {
      nc = null;
    }
    constraintsSeen.set(cert, nc);
  }
  return nc;
}

/** ASCII case-insensitive equality of two byte runs. */
function sameNoCase(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    let x = a[i], y = b[i];
    if (x >= 0x41 && x <= 0x5a) x |= 0x20;
    if (y >= 0x41 && y <= 0x5a) y |= 0x20;
    if (x !== y) return false;
  }
  return true;
}

type NcResult = "ok" | keyof typeof VERIFY_CODES;

/** OpenSSL's `nc_dns()`: `base` is the name or a domain above it. */
function ncDns(name: Uint8Array, base: Uint8Array): NcResult {
  if (base.length === 0) return "ok";
  if (name.length < base.length) return "PERMITTED_VIOLATION";
  const tail = name.subarray(name.length - base.length);
  if (
    name.length > base.length && base[0] !== 0x2e &&
    name[name.length - base.length - 1] !== 0x2e
  ) return "PERMITTED_VIOLATION";
  return sameNoCase(tail, base) ? "ok" : "PERMITTED_VIOLATION";
}

/** OpenSSL's `nc_email()`. */
function ncEmail(mail: Uint8Array, base: Uint8Array): NcResult {
  const at = mail.lastIndexOf(0x40);
  const baseAt = base.lastIndexOf(0x40);
  if (at < 0) return "UNSUPPORTED_NAME_SYNTAX";
  // A leading "." matches the right-hand side.
  if (baseAt < 0 && base.length > 0 && base[0] === 0x2e) {
    return mail.length > base.length &&
        sameNoCase(mail.subarray(mail.length - base.length), base)
      ? "ok"
      : "PERMITTED_VIOLATION";
  }
  let host = base;
  if (baseAt >= 0) {
    if (baseAt > 0) {
      // The local part, case-sensitive.
      if (baseAt !== at) return "PERMITTED_VIOLATION";
      for (let i = 0; i < at; i++) {
        if (base[i] === 0 || mail[i] === 0) return "UNSUPPORTED_NAME_SYNTAX";
        if (base[i] !== mail[i]) return "PERMITTED_VIOLATION";
      }
    }
    host = base.subarray(baseAt + 1);
  }
  return sameNoCase(mail.subarray(at + 1), host) ? "ok" : "PERMITTED_VIOLATION";
}

/** OpenSSL's `nc_uri()`: the URI's host against `base`. */
function ncUri(uri: Uint8Array, base: Uint8Array): NcResult {
  const colon = uri.indexOf(0x3a);
  if (colon < 3 || uri[colon + 1] !== 0x2f || uri[colon + 2] !== 0x2f) {
    return "UNSUPPORTED_NAME_SYNTAX";
  }
  const start = colon + 3;
  let end = uri.indexOf(0x3a, start);
  if (end < 0) end = uri.indexOf(0x2f, start);
  if (end < 0) end = uri.length;
  const host = uri.subarray(start, end);
  if (host.length === 0) return "UNSUPPORTED_NAME_SYNTAX";
  if (base.length > 0 && base[0] === 0x2e) {
    return host.length > base.length &&
        sameNoCase(host.subarray(host.length - base.length), base)
      ? "ok"
      : "PERMITTED_VIOLATION";
  }
  return sameNoCase(host, base) ? "ok" : "PERMITTED_VIOLATION";
}

/** OpenSSL's `nc_ip()`: the address within `base`'s address and mask. */
function ncIp(ip: Uint8Array, base: Uint8Array): NcResult {
  if (ip.length !== 4 && ip.length !== 16) return "UNSUPPORTED_NAME_SYNTAX";
  if (base.length !== 8 && base.length !== 32) {
    return "UNSUPPORTED_NAME_SYNTAX";
  }
  if (ip.length * 2 !== base.length) return "PERMITTED_VIOLATION";
  for (let i = 0; i < ip.length; i++) {
    const mask = base[ip.length + i];
    if ((ip[i] & mask) !== (base[i] & mask)) return "PERMITTED_VIOLATION";
  }
  return "ok";
}

/** A string attribute's canonical form (OpenSSL's `asn1_string_canon`). */
function canonical(value: Element): string {
  let s: string;
  try {
    s = text(value);
  } catch {
    return String.fromCharCode(...encoding(value));
  }
  return s.trim().replace(/\s+/g, " ").replace(
    /[A-Z]/g,
    (c) => c.toLowerCase(),
  );
}

/** A Name's relative distinguished names, each as canonical text. */
function canonicalRdns(name: Element): string[] {
  return children(name).map((rdn) =>
    children(rdn).map((atv) => {
      const [type, value] = children(atv);
      return `${oid(type)}=${canonical(value)}`;
    }).join("+")
  );
}

/** OpenSSL's `nc_dn()`: `base`'s RDNs begin the name's. */
function ncDn(name: Element, base: Element): NcResult {
  const n = canonicalRdns(name);
  const b = canonicalRdns(base);
  if (b.length > n.length) return "PERMITTED_VIOLATION";
  return b.every((rdn, i) => rdn === n[i]) ? "ok" : "PERMITTED_VIOLATION";
}

/** OpenSSL's `nc_match_single()`. */
function ncMatchOne(name: GeneralName, base: GeneralName): NcResult {
  const a = contents(name.value), b = contents(base.value);
  switch (name.type) {
    case GEN_DIRNAME:
      return ncDn(name.value, base.value);
    case GEN_DNS:
      return ncDns(a, b);
    case GEN_EMAIL:
      return ncEmail(a, b);
    case GEN_URI:
      return ncUri(a, b);
    case GEN_IPADD:
      return ncIp(a, b);
    default:
      return "UNSUPPORTED_CONSTRAINT_TYPE";
  }
}

/** Does `sub` constrain names of `name`'s type? */
function sameType(name: GeneralName, sub: Subtree): boolean {
  return name.type === sub.base.type &&
    (name.type !== GEN_OTHERNAME ||
      sameBytes(encoding(name.value), encoding(sub.base.value)));
}

/** OpenSSL's `nc_match()`: one name against a CA's constraints. */
function ncMatch(name: GeneralName, nc: NameConstraints): NcResult {
  let match = 0;
  for (const sub of nc.permitted) {
    if (!sameType(name, sub)) continue;
    if (!sub.minmaxOk) return "SUBTREE_MINMAX";
    if (match === 2) continue;
    match = 1;
    const r = ncMatchOne(name, sub.base);
    if (r === "ok") match = 2;
    else if (r !== "PERMITTED_VIOLATION") return r;
  }
  if (match === 1) return "PERMITTED_VIOLATION";
  for (const sub of nc.excluded) {
    if (!sameType(name, sub)) continue;
    if (!sub.minmaxOk) return "SUBTREE_MINMAX";
    const r = ncMatchOne(name, sub.base);
    if (r === "ok") return "EXCLUDED_VIOLATION";
    if (r !== "PERMITTED_VIOLATION") return r;
  }
  return "ok";
}

/** The certificate's subject's attributes: `[oid, value]`. */
function subjectAttributes(cert: Certificate): [string, Element][] {
  const name = element(cert.subjectDer);
  return children(name).flatMap((rdn) =>
    children(rdn).map((atv): [string, Element] => {
      const [type, value] = children(atv);
      return [oid(type), value];
    })
  );
}

/**
 * OpenSSL's `cn2dnsid()` test: is a common name a plausible DNS name (two
 * labels or more of letters, digits, `_` and inner `-`)?
 */
function dnsLike(cn: Uint8Array): boolean {
  let dotted = false;
  for (let i = 0; i < cn.length; i++) {
    const c = cn[i] | 0x20;
    if ((c >= 0x61 && c <= 0x7a) || (cn[i] >= 0x30 && cn[i] <= 0x39)) continue;
    if (cn[i] === 0x5f) continue;
    if (i > 0 && i < cn.length - 1) {
      if (cn[i] === 0x2d) continue;
      if (
        cn[i] === 0x2e && cn[i + 1] !== 0x2e && cn[i - 1] !== 0x2d &&
        cn[i + 1] !== 0x2d
      ) {
        dotted = true;
        continue;
      }
    }
    return false;
  }
  return dotted;
}

/**
 * OpenSSL's `NAME_CONSTRAINTS_check()` (and, for the leaf when common
 * names are checked and it has no DNS name, `NAME_CONSTRAINTS_check_CN()`).
 */
function constraintFailure(
  cert: Certificate,
  nc: NameConstraints,
  leafCommonName: boolean,
): NcResult {
  const attributes = subjectAttributes(cert);
  if (attributes.length > 0) {
    const r = ncMatch({
      type: GEN_DIRNAME,
      value: element(cert.subjectDer),
    }, nc);
    if (r !== "ok") return r;
    for (const [type, value] of attributes) {
      if (type !== OID_EMAIL_ADDRESS) continue;
      if (value.tag !== TAG.IA5_STRING) return "UNSUPPORTED_NAME_SYNTAX";
      const r = ncMatch({ type: GEN_EMAIL, value }, nc);
      if (r !== "ok") return r;
    }
  }
  const san = extension(cert, OID_SUBJECT_ALT_NAME);
  const names = san === undefined ? [] : children(san).map(generalName);
  for (const name of names) {
    const r = ncMatch(name, nc);
    if (r !== "ok") return r;
  }
  if (leafCommonName && !names.some((n) => n.type === GEN_DNS)) {
    for (const [type, value] of attributes) {
      if (type !== OID_COMMON_NAME) continue;
      const cn = new TextEncoder().encode(text(value));
      if (!dnsLike(cn)) continue;
      const r = ncMatch({ type: GEN_DNS, value: element(dnsName(cn)) }, nc);
      if (r !== "ok") return r;
    }
  }
  return "ok";
}

/** A dNSName element of `name`'s bytes (short: a common name's). */
function dnsName(name: Uint8Array): Uint8Array {
  const head = name.length < 0x80
    ? [0x82, name.length]
    : [0x82, 0x82, name.length >> 8, name.length & 0xff];
  return new Uint8Array([...head, ...name]);
}

/**
 * OpenSSL's `check_name_constraints()`: each certificate (a self-issued
 * one only at the leaf) against the constraints of every CA above it,
 * from the top down.
 */
function nameFailure(
  chain: Certificate[],
  commonName: boolean,
): VerifyFailure | null {
  // Most chains have none: nothing to read.
  if (!chain.some((c) => c.extensions.has(OID_NAME_CONSTRAINTS))) return null;
  for (let i = chain.length - 1; i >= 0; i--) {
    const cert = chain[i];
    if (i !== 0 && cert.selfIssued) continue;
    for (let j = chain.length - 1; j > i; j--) {
      const nc = constraintsOf(chain[j]);
      if (nc === null) continue;
      let r: NcResult;
      try {
        r = constraintFailure(cert, nc, i === 0 && commonName);
      } catch {
        r = "ok"; // Unreadable: left to the runtime.
      }
      if (r !== "ok") return failure(r);
    }
  }
  return null;
}

/** What a certificate check needs. */
export interface VerifyInput {
  /** The peer's chain as sent, DER, leaf first. */
  peer: readonly Uint8Array[];
  /** The runtime's verdict: `null` when it trusts the chain. */
  verdict: string | null;
  /** The trust anchors (DER), fetched only if needed. */
  anchors: () => readonly Uint8Array[];
  /** The server name to check (a client with `check_hostname`). */
  host: HostCheck | null;
  /** Now, in ms (the validity check). */
  now: number;
  /**
   * A server verifying its client (the `clientAuth` purpose) rather than a
   * client its server (`serverAuth`).
   */
  clientAuth: boolean;
  /** OpenSSL's security level (CPython's: 2). */
  securityLevel: number;
  /**
   * The runtime's verdict covers validity periods and the whole chain
   * (`TlsCapabilities.checksChain`): they are then checked here only to
   * say why it refused.
   */
  runtimeChecksChain: boolean;
}

/**
 * Trust anchors parsed before, by their bytes (a context's, or the
 * runtime's store, which stay the same arrays): `null` for one that does
 * not parse.
 */
const parsedAnchors = new WeakMap<Uint8Array, Certificate | null>();

/** The anchors that parse (from the cache when seen before). */
function parseAnchors(ders: readonly Uint8Array[]): Certificate[] {
  const out: Certificate[] = [];
  for (const der of ders) {
    let cert = parsedAnchors.get(der);
    if (cert === undefined) {
      try {
        cert = parseCertificate(der);
      } catch {
        cert = null;
      }
      parsedAnchors.set(der, cert);
    }
    if (cert !== null) out.push(cert);
  }
  return out;
}

/**
 * Judges the peer's certificate as CPython would: `null` when it is
 * accepted, else OpenSSL's code and CPython's message.
 *
 * @param input The chain, the runtime's verdict, anchors and host.
 * @returns `null`, or why it is refused.
 */
export function judge(input: VerifyInput): VerifyFailure | null {
  const verdict = input.verdict !== null && NAME_VERDICTS.has(input.verdict)
    ? null
    : input.verdict;
  const [leaf, ...sent] = parseAll(input.peer);
  if (leaf === undefined) {
    return verdict === null ? null : runtimeFailure(verdict);
  }
  const least = leastBits(input.securityLevel);
  // X509_verify_cert(): the leaf's key before anything else.
  if (tooWeak(leaf.keyBits, least)) return failure("EE_KEY_TOO_SMALL");
  let anchors: Certificate[] | undefined;
  const { chain, error, trusted } = buildChain(
    leaf,
    sent,
    () => anchors ??= parseAnchors(input.anchors()),
    input.now,
  );
  // A chain trusted by the runtime that is not found again here (its
  // store not listed): what was found is judged. Where the runtime takes
  // any trust anchor (rustls), one that stops at a trusted certificate that
  // is not self-signed (or at a trusted leaf that is not) is refused
  // anyway: OpenSSL, without a partial-chain flag, looks for its issuer.
  const own = !input.runtimeChecksChain;
  if (error !== null && (verdict !== null || (trusted && own))) return error;
  const refused = extensionFailure(chain, input.clientAuth) ??
    levelFailure(chain, error === null, least);
  if (refused !== null) return refused;
  if (
    input.host !== null &&
    !hostMatches(leaf, input.host.ip ?? input.host.name, input.host.commonName)
  ) return hostFailure(input.host);
  // Validity periods: where the runtime does not tell an expired
  // certificate from a good one (rustls), whatever it said.
  if (verdict === null && !own) return null;
  // X509_verify_cert(): validity periods, then name constraints.
  const late = timeFailure(chain, input.now) ??
    nameFailure(chain, input.host?.commonName ?? false);
  if (late !== null) return late;
  return verdict === null ? null : runtimeFailure(verdict);
}

/**
 * The runtime's own verdict in OpenSSL's words (see
 * {@linkcode verifyResult}).
 */
function runtimeFailure(verdict: string): VerifyFailure {
  const [code, message] = verifyResult(verdict);
  return { code, message };
}
