// Copyright the pysocket authors. MIT license.
// A CA's name constraints, judged as OpenSSL 3.0's
// `check_name_constraints()` judges them (`NAME_CONSTRAINTS_check()` and
// its `nc_*()` matchers): each certificate of the chain against the
// permitted and excluded subtrees of every CA above it (its subject, its
// `emailAddress` attributes, its alternative names, and a leaf's common
// name that looks like a DNS name when common names are checked and it has
// no DNS name). A violation is OpenSSL's name for it (47, 48, 49, 51, 53);
// _verify.ts judges the rest of the chain and words the refusal.

import type { VERIFY_CODES } from "./_verify_codes.ts";
import { type Certificate, extensionOf, sameBytes } from "./_x509.ts";
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
      const ext = extensionOf(cert, OID_NAME_CONSTRAINTS);
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

/** A name in {@linkcode VERIFY_CODES}: why a name breaks a constraint. */
export type NameViolation = keyof typeof VERIFY_CODES;

/** A match's outcome: `"ok"`, or the violation. */
type NcResult = "ok" | NameViolation;

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
  const san = extensionOf(cert, OID_SUBJECT_ALT_NAME);
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
 * from the top down. A constraint or name that cannot be read is left to
 * the runtime.
 *
 * @param chain The chain, leaf first.
 * @param commonName `hostname_checks_common_name`: the leaf's common name
 * is judged as a DNS name when it has none.
 * @returns `null`, or the first violation's name in
 * {@linkcode VERIFY_CODES} (`PERMITTED_VIOLATION`, `EXCLUDED_VIOLATION`, …).
 */
export function nameViolation(
  chain: readonly Certificate[],
  commonName: boolean,
): NameViolation | null {
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
      if (r !== "ok") return r;
    }
  }
  return null;
}
