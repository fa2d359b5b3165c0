// Copyright the pysocket authors. MIT license.
// The peer's certificate, judged as CPython's `ssl` judges it, and the
// refusal worded as OpenSSL words it.
//
// The runtime's TLS decides whether the chain is trusted (its verdict is
// never overruled to accept). When it refuses, it may not say why in
// OpenSSL's terms (rustls has its own; Node reports the last problem where
// OpenSSL, stopping at the first, reports another): the reason is then
// found again here, in OpenSSL's order — building the chain (18, 19, 20),
// the host name (62, 64), then validity periods from the trust anchor down
// (9, 10) — and the runtime's own name is the last resort. Host names are
// checked here, with CPython's rules, on every runtime.

import { VERIFY_CODES } from "./_verify_codes.ts";
import { type Certificate, parseCertificate, sameBytes } from "./_x509.ts";
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
 * Parses what parses; a certificate that does not is left out. The peer's
 * chain goes through the cache; trust anchors (a whole store, parsed only
 * to explain a refusal) do not, so they never push the peers' out.
 */
function parseAll(
  ders: readonly Uint8Array[],
  parse: (der: Uint8Array) => Certificate = parseCached,
): Certificate[] {
  const out: Certificate[] = [];
  for (const der of ders) {
    try {
      out.push(parse(der));
    } catch {
      // Not for us to judge: the runtime has.
    }
  }
  return out;
}

function selfIssued(cert: Certificate): boolean {
  return sameBytes(cert.subjectDer, cert.issuerDer);
}

/**
 * Builds the chain as OpenSSL does, trusted certificates first: the chain
 * (leaf first) and, if it cannot be completed, why.
 */
function buildChain(
  leaf: Certificate,
  sent: Certificate[],
  anchors: () => Certificate[],
): { chain: Certificate[]; error: VerifyFailure | null } {
  const chain = [leaf];
  const trusted = anchors();
  for (let depth = 0; depth < 32; depth++) {
    const current = chain[chain.length - 1];
    if (trusted.some((t) => sameBytes(t.der, current.der))) {
      return { chain, error: null };
    }
    const anchor = trusted.find((t) =>
      sameBytes(t.subjectDer, current.issuerDer)
    );
    if (anchor !== undefined) {
      chain.push(anchor);
      return { chain, error: null };
    }
    if (selfIssued(current)) {
      return {
        chain,
        error: failure(
          chain.length === 1
            ? "DEPTH_ZERO_SELF_SIGNED_CERT"
            : "SELF_SIGNED_CERT_IN_CHAIN",
        ),
      };
    }
    const next = sent.find((c) =>
      sameBytes(c.subjectDer, current.issuerDer) && !chain.includes(c)
    );
    if (next === undefined) {
      return { chain, error: failure("UNABLE_TO_GET_ISSUER_CERT_LOCALLY") };
    }
    chain.push(next);
  }
  return { chain, error: failure("CERT_CHAIN_TOO_LONG") };
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
  const hostOk = input.host === null ||
    hostMatches(
      leaf,
      input.host.ip ?? input.host.name,
      input.host.commonName,
    );
  if (verdict === null) return hostOk ? null : hostFailure(input.host!);
  // Refused by the runtime: find OpenSSL's first reason.
  let anchors: Certificate[] | undefined;
  const { chain, error } = buildChain(
    leaf,
    sent,
    () => anchors ??= parseAll(input.anchors(), parseCertificate),
  );
  if (error !== null) return error;
  if (!hostOk) return hostFailure(input.host!);
  return timeFailure(chain, input.now) ?? runtimeFailure(verdict);
}

/**
 * The runtime's own verdict in OpenSSL's words: its `X509_V_ERR_*` name
 * when it has one. Node reports `UNABLE_TO_VERIFY_LEAF_SIGNATURE` where
 * OpenSSL stopped earlier at `UNABLE_TO_GET_ISSUER_CERT_LOCALLY`.
 */
function runtimeFailure(verdict: string): VerifyFailure {
  if (verdict === "UNABLE_TO_VERIFY_LEAF_SIGNATURE") {
    return failure("UNABLE_TO_GET_ISSUER_CERT_LOCALLY");
  }
  const [code, message] = verifyResult(verdict);
  return { code, message };
}
