// Copyright the pysocket authors. MIT license.
// The peer's certificate, judged as CPython's `ssl` judges it, and the
// refusal worded as OpenSSL words it.
//
// The runtime's TLS decides whether the chain is trusted (its verdict is
// never overruled to accept, but for one refusal of rustls' that OpenSSL
// does not make: a CA certificate as the leaf, which pysocket, checking the
// whole chain itself there, takes as CPython does). What OpenSSL 3 checks
// beyond it, at CPython's security level (2), is checked here on every
// runtime: key sizes and signature digests (66, 67, 68), CA certificates
// and purposes (79, 26, 25), validity periods (9, 10: Deno's TLS does not
// tell them), and a chain that stops at a trusted certificate that is not
// self-signed (2, 20: rustls takes it, OpenSSL without a partial-chain
// flag does not). When the runtime refuses, it may not say why in
// OpenSSL's terms (rustls has its own; Node reports the last problem where
// OpenSSL, stopping at the first, reports another): the reason is then
// found again here. Everything goes in OpenSSL's order
// (`X509_verify_cert`): the leaf's key (66), building the chain (2, 18,
// 19, 20; of several issuers, the one valid now), its extensions (34, 79,
// 26, 25), its security level (67, 68), the host name (62, 64), then, from
// the trust anchor down, each signature (7: where the runtime refused)
// and validity period (9, 10), then name constraints (47, 48, …:
// _name_constraints.ts) — and the runtime's own name is the last resort.
// Host names are checked here, with CPython's rules.

import { VERIFY_CODES } from "./_verify_codes.ts";
import {
  type Certificate,
  extensionOf,
  parseCertificate,
  sameBytes,
} from "./_x509.ts";
import { nameViolation } from "./_name_constraints.ts";
import { children, contents, element, oid, TAG } from "./_der.ts";
import { hostMatches } from "./_hostname.ts";
import { verifyResult } from "./errors.ts";
import { backend } from "../_backend/mod.ts";

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
      const skid = extensionOf(cert, OID_SUBJECT_KEY_ID);
      if (skid !== undefined) ids.own = contents(skid);
      const akid = extensionOf(cert, OID_AUTHORITY_KEY_ID);
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
    // A self-signed certificate that is not trusted is not completed from
    // the store (OpenSSL's "self-signed untrusted mimic": only the same
    // certificate would do, and it was not there).
    const anchor = current.selfSigned ? undefined : pickIssuer(
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

/**
 * Does `issuer`'s key verify `cert`'s signature? `null`: it cannot be told.
 */
type SignedBy = (cert: Certificate, issuer: Certificate) => boolean | null;

/**
 * OpenSSL's `internal_verify()`: from the trust anchor down to the leaf,
 * each signature but a self-signed top's (7), where `signedBy` is given,
 * then each validity period (9, 10).
 */
function chainFailure(
  chain: Certificate[],
  now: number,
  signedBy: SignedBy | null,
): VerifyFailure | null {
  for (let i = chain.length - 1; i >= 0; i--) {
    const issuer = chain[i + 1];
    if (
      signedBy !== null && issuer !== undefined &&
      signedBy(chain[i], issuer) === false
    ) return failure("CERT_SIGNATURE_FAILURE");
    if (now < chain[i].notBefore.ms) return failure("CERT_NOT_YET_VALID");
    if (now > chain[i].notAfter.ms) return failure("CERT_HAS_EXPIRED");
  }
  return null;
}

/**
 * The extensions OpenSSL decodes when it caches a certificate's
 * (`x509v3_cache_extensions()`), by their value's tag: one that does not
 * decode makes the certificate invalid (`EXFLAG_INVALID`), and no chain is
 * built through it. The reads here are lenient (the runtime judges), so
 * where pysocket overrules the runtime it checks them first.
 */
const DECODED: ReadonlyArray<readonly [string, number]> = [
  ["2.5.29.19", 0x30], // basicConstraints
  ["2.5.29.15", TAG.BIT_STRING], // keyUsage
  ["2.5.29.37", 0x30], // extendedKeyUsage
  ["2.16.840.1.113730.1.1", TAG.BIT_STRING], // nsCertType
  ["2.5.29.14", TAG.OCTET_STRING], // subjectKeyIdentifier
  ["2.5.29.35", 0x30], // authorityKeyIdentifier
  ["2.5.29.17", 0x30], // subjectAltName
  ["2.5.29.30", 0x30], // nameConstraints
];

/** Does each extension OpenSSL decodes have its type's tag? */
export function wellFormed(cert: Certificate): boolean {
  try {
    return DECODED.every(([id, tag]) => {
      const value = extensionOf(cert, id);
      return value === undefined || value.tag === tag;
    });
  } catch {
    return false;
  }
}

/** Name constraints ({@linkcode nameViolation}): the refusal, if any. */
function nameFailure(
  chain: Certificate[],
  commonName: boolean,
): VerifyFailure | null {
  const violation = nameViolation(chain, commonName);
  return violation === null ? null : failure(violation);
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
  // Signatures: where the runtime refused (it has checked them otherwise).
  let unread = false;
  const signedBy: SignedBy | null = verdict === null ? null : (c, issuer) => {
    const ok = backend().tls?.signedBy(c.der, issuer.der) ?? null;
    unread ||= ok === null;
    return ok;
  };
  // X509_verify_cert(): signatures and validity periods, then name
  // constraints.
  const late = chainFailure(chain, input.now, signedBy) ??
    nameFailure(chain, input.host?.commonName ?? false);
  if (late !== null) return late;
  if (verdict === null) return null;
  if (
    own && verdict === "DEPTH_ZERO_SELF_SIGNED_CERT" && error === null &&
    leaf.basicConstraints?.ca === true && !leaf.selfSigned
  ) {
    // rustls refuses a CA certificate as the leaf (`CaUsedAsEndEntity`,
    // named so), before its signature; OpenSSL takes it. The whole chain,
    // signatures included, was found good here: CPython's verdict, unless
    // an extension OpenSSL decodes does not decode (it then finds no
    // issuer for that certificate: 20).
    if (!chain.every(wellFormed)) {
      return failure("UNABLE_TO_GET_ISSUER_CERT_LOCALLY");
    }
    return unread ? failure("UNSPECIFIED") : null;
  }
  return runtimeFailure(verdict);
}

/**
 * The runtime's own verdict in OpenSSL's words (see
 * {@linkcode verifyResult}).
 */
function runtimeFailure(verdict: string): VerifyFailure {
  const [code, message] = verifyResult(verdict);
  return { code, message };
}
