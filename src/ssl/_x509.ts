// Copyright the pysocket authors. MIT license.
// X.509 certificates, read from DER the way CPython's `_ssl` reads them
// with OpenSSL: the dict `getpeercert()` returns (`subject`, `issuer`,
// `version`, `serialNumber`, `notBefore`, `notAfter`, `subjectAltName`,
// `OCSP`, `caIssuers`, `crlDistributionPoints`), and what verification
// needs (names, validity, alternative names).

import {
  children,
  contents,
  DerError,
  type Element,
  element,
  encoding,
  oid,
  TAG,
  text,
} from "./_der.ts";

/**
 * One relative distinguished name: `[name, value]` pairs.
 *
 * @example One relative distinguished name: [key, value] pairs
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * const rdn: ssl.RDN = [["commonName", "localhost"]];
 * assertEquals(Object.fromEntries(rdn), { commonName: "localhost" });
 * ```
 */
export type RDN = [string, string][];

/**
 * A distinguished name, as Python's tuple of RDN tuples.
 *
 * @example A subject as a dict, as Python's dict(x[0] for x in subject)
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * const subject: ssl.DistinguishedName = [[["countryName", "US"]], [["commonName", "example.org"]]];
 * assertEquals(Object.fromEntries(subject.map((rdn) => rdn[0])), { countryName: "US", commonName: "example.org" });
 * ```
 */
export type DistinguishedName = RDN[];

/**
 * One `subjectAltName` entry: `["DNS", "example.org"]`,
 * `["IP Address", "127.0.0.1"]`, `["DirName", name]`, …
 *
 * @example The names a certificate is for
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * const names: ssl.AltName[] = [["DNS", "example.org"], ["IP Address", "127.0.0.1"]];
 * assertEquals(names.filter(([kind]) => kind === "DNS").map(([, name]) => name), ["example.org"]);
 * ```
 */
export type AltName = [string, string] | ["DirName", DistinguishedName];

/**
 * The dict CPython's `getpeercert()` returns for a validated certificate.
 *
 * @example The dict getpeercert() returns
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * function commonName(cert: ssl.PeerCertificate): string | undefined {
 *   for (const rdn of cert.subject) {
 *     for (const [key, value] of rdn) if (key === "commonName") return value;
 *   }
 *   return undefined;
 * }
 * const cert: ssl.PeerCertificate = {
 *   subject: [[["commonName", "localhost"]]],
 *   issuer: [[["commonName", "Test CA"]]],
 *   version: 3,
 *   serialNumber: "01",
 *   notBefore: "Jan  1 00:00:00 2030 GMT",
 *   notAfter: "Jan  1 00:00:00 2031 GMT",
 * };
 * assertEquals(commonName(cert), "localhost");
 * ```
 */
export interface PeerCertificate {
  /** The subject, as `[[["commonName", "localhost"]], …]`. */
  subject: DistinguishedName;
  /** The issuer, in the same shape. */
  issuer: DistinguishedName;
  /** The X.509 version (3). */
  version: number;
  /** The serial number in upper-case hex (`"099279A0…"`). */
  serialNumber: string;
  /** `"Jan  1 00:00:00 2030 GMT"`, as OpenSSL prints it. */
  notBefore: string;
  /** `"Jan  1 00:00:00 2031 GMT"`. */
  notAfter: string;
  /** The alternative names, when the extension is there. */
  subjectAltName?: AltName[];
  /** OCSP responder URIs (Authority Information Access). */
  OCSP?: string[];
  /** CA issuer URIs (Authority Information Access). */
  caIssuers?: string[];
  /** CRL distribution point URIs. */
  crlDistributionPoints?: string[];
}

/** OpenSSL's long names of the attributes names are made of. */
const LONG_NAMES: Record<string, string> = {
  "2.5.4.3": "commonName",
  "2.5.4.4": "surname",
  "2.5.4.5": "serialNumber",
  "2.5.4.6": "countryName",
  "2.5.4.7": "localityName",
  "2.5.4.8": "stateOrProvinceName",
  "2.5.4.9": "streetAddress",
  "2.5.4.10": "organizationName",
  "2.5.4.11": "organizationalUnitName",
  "2.5.4.12": "title",
  "2.5.4.13": "description",
  "2.5.4.15": "businessCategory",
  "2.5.4.16": "postalAddress",
  "2.5.4.17": "postalCode",
  "2.5.4.18": "postOfficeBox",
  "2.5.4.20": "telephoneNumber",
  "2.5.4.41": "name",
  "2.5.4.42": "givenName",
  "2.5.4.43": "initials",
  "2.5.4.44": "generationQualifier",
  "2.5.4.45": "x500UniqueIdentifier",
  "2.5.4.46": "dnQualifier",
  "2.5.4.51": "houseIdentifier",
  "2.5.4.54": "dmdName",
  "2.5.4.65": "pseudonym",
  "2.5.4.72": "role",
  "2.5.4.97": "organizationIdentifier",
  "1.2.840.113549.1.9.1": "emailAddress",
  "1.2.840.113549.1.9.2": "unstructuredName",
  "0.9.2342.19200300.100.1.1": "userId",
  "0.9.2342.19200300.100.1.25": "domainComponent",
  "1.3.6.1.4.1.311.60.2.1.1": "jurisdictionLocalityName",
  "1.3.6.1.4.1.311.60.2.1.2": "jurisdictionStateOrProvinceName",
  "1.3.6.1.4.1.311.60.2.1.3": "jurisdictionCountryName",
};

const OID_SUBJECT_ALT_NAME = "2.5.29.17";
const OID_BASIC_CONSTRAINTS = "2.5.29.19";
const OID_AUTHORITY_INFO_ACCESS = "1.3.6.1.5.5.7.1.1";
const OID_CRL_DISTRIBUTION_POINTS = "2.5.29.31";
const OID_AD_OCSP = "1.3.6.1.5.5.7.48.1";
const OID_AD_CA_ISSUERS = "1.3.6.1.5.5.7.48.2";

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

/** A time field: milliseconds since the epoch, and OpenSSL's print of it. */
export interface CertTime {
  readonly ms: number;
  readonly text: string;
}

/** A parsed certificate. */
export interface Certificate {
  readonly der: Uint8Array;
  readonly version: number;
  readonly serialNumber: string;
  /** The issuer and subject names' DER (compared as bytes). */
  readonly issuerDer: Uint8Array;
  readonly subjectDer: Uint8Array;
  readonly issuer: DistinguishedName;
  readonly subject: DistinguishedName;
  readonly notBefore: CertTime;
  readonly notAfter: CertTime;
  /** The `subjectAltName` extension, if present. */
  readonly altNames: AltName[] | null;
  /** The raw `iPAddress` alternative names (4 or 16 bytes). */
  readonly ipAddresses: Uint8Array[];
  /** `basicConstraints` `cA`. */
  readonly isCA: boolean;
  /** The extensions by OID: their value (the OCTET STRING's contents). */
  readonly extensions: ReadonlyMap<string, Element>;
}

function attributeName(o: string): string {
  return LONG_NAMES[o] ?? o;
}

/** A Name → Python's tuple of RDN tuples. */
function distinguishedName(name: Element): DistinguishedName {
  return children(name).map((rdn) =>
    children(rdn).map((atv): [string, string] => {
      const [type, value] = children(atv);
      return [attributeName(oid(type)), text(value)];
    })
  );
}

/** A UTCTime or GeneralizedTime → its instant and OpenSSL's print of it. */
function certTime(e: Element): CertTime {
  const s = new TextDecoder().decode(contents(e));
  const m = e.tag === TAG.UTC_TIME
    ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?Z$/.exec(s)
    : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(\.\d+)?Z$/.exec(s);
  if (m === null) throw new DerError(`time ${s}`);
  let year = Number(m[1]);
  if (e.tag === TAG.UTC_TIME) year += year < 50 ? 2000 : 1900;
  const [month, day, hour, minute] = [2, 3, 4, 5].map((i) => Number(m[i]));
  const second = Number(m[6] ?? "0");
  const fraction = e.tag === TAG.UTC_TIME ? "" : m[7] ?? "";
  const ms = Date.UTC(year, month - 1, day, hour, minute, second) +
    (fraction ? Math.round(Number(`0${fraction}`) * 1000) : 0);
  const pad = (n: number) => String(n).padStart(2, "0");
  const text = `${MONTHS[month - 1]} ${String(day).padStart(2, " ")} ${
    pad(hour)
  }:${pad(minute)}:${pad(second)}${fraction} ${year} GMT`;
  return { ms, text };
}

/** An INTEGER as OpenSSL's `i2a_ASN1_INTEGER` prints it (upper-case hex). */
function serial(e: Element): string {
  let b = contents(e);
  let sign = "";
  if (b.length > 0 && b[0] & 0x80) {
    // Negative: print the magnitude (two's complement back).
    const m = new Uint8Array(b.length);
    let carry = 1;
    for (let i = b.length - 1; i >= 0; i--) {
      const v = (~b[i] & 0xff) + carry;
      m[i] = v & 0xff;
      carry = v >> 8;
    }
    b = m;
    sign = "-";
  }
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  b = b.subarray(i);
  if (b.length === 0) return "00";
  let hex = "";
  for (const byte of b) hex += byte.toString(16).toUpperCase().padStart(2, "0");
  return sign + hex;
}

/** An IP address as CPython prints it (`%X:%X:…` for IPv6). */
function ipText(b: Uint8Array): string {
  if (b.length === 4) return Array.from(b).join(".");
  if (b.length === 16) {
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) {
      groups.push(((b[i] << 8) | b[i + 1]).toString(16).toUpperCase());
    }
    return groups.join(":");
  }
  return "<invalid>";
}

/** A GeneralName → Python's `(type, value)` pair. */
function generalName(g: Element, ips?: Uint8Array[]): AltName {
  switch (g.tag) {
    case 0x81:
      return ["email", text(g)];
    case 0x82:
      return ["DNS", text(g)];
    case 0x86:
      return ["URI", text(g)];
    case 0x87: {
      const b = contents(g);
      ips?.push(b);
      return ["IP Address", ipText(b)];
    }
    case 0x88: {
      const o = oid({ ...g, tag: TAG.OID });
      return ["Registered ID", LONG_NAMES[o] ?? o];
    }
    case 0xa4:
      return ["DirName", distinguishedName(children(g)[0])];
    case 0xa3:
      return ["X400Name", "<unsupported>"];
    case 0xa5:
      return ["EdiPartyName", "<unsupported>"];
    default:
      return ["othername", "<unsupported>"];
  }
}

/** The extension value's top element. */
function extensionValue(ext: Element): Element {
  const v = contents(ext);
  return element(v, 0, v.length);
}

/** URIs of one kind from Authority Information Access. */
function aiaUris(ext: Element, method: string): string[] {
  const out: string[] = [];
  for (const access of children(extensionValue(ext))) {
    const [m, location] = children(access);
    if (oid(m) === method && location.tag === 0x86) out.push(text(location));
  }
  return out;
}

/** The URIs of the CRL distribution points (their full names). */
function crlUris(ext: Element): string[] {
  const out: string[] = [];
  for (const point of children(extensionValue(ext))) {
    for (const field of children(point)) {
      if (field.tag !== 0xa0) continue; // distributionPoint
      for (const choice of children(field)) {
        if (choice.tag !== 0xa0) continue; // fullName
        for (const name of children(choice)) {
          if (name.tag === 0x86) out.push(text(name));
        }
      }
    }
  }
  return out;
}

/**
 * Parses a DER certificate.
 *
 * @param der The certificate.
 * @returns What pysocket needs of it.
 * @throws {DerError} When it is not a well-formed certificate.
 */
export function parseCertificate(der: Uint8Array): Certificate {
  const top = element(der);
  if (top.tag !== TAG.SEQUENCE || top.to !== der.length) {
    throw new DerError("not a certificate");
  }
  const [tbs] = children(top);
  const fields = children(tbs);
  let i = 0;
  let version = 1;
  if (fields[i]?.tag === 0xa0) {
    version = contents(children(fields[i])[0])[0] + 1;
    i++;
  }
  const serialNumber = serial(fields[i++]);
  i++; // signature algorithm
  const issuerName = fields[i++];
  const validity = children(fields[i++]);
  const subjectName = fields[i++];
  i++; // subject public key info
  const extensions = new Map<string, Element>();
  let isCA = false;
  for (; i < fields.length; i++) {
    if (fields[i].tag !== 0xa3) continue;
    for (const ext of children(children(fields[i])[0])) {
      const parts = children(ext);
      const value = parts[parts.length - 1];
      extensions.set(oid(parts[0]), value);
    }
  }
  const ipAddresses: Uint8Array[] = [];
  const san = extensions.get(OID_SUBJECT_ALT_NAME);
  const altNames = san === undefined
    ? null
    : children(extensionValue(san)).map((g) => generalName(g, ipAddresses));
  const bc = extensions.get(OID_BASIC_CONSTRAINTS);
  if (bc !== undefined) {
    const first = children(extensionValue(bc))[0];
    isCA = first?.tag === TAG.BOOLEAN && contents(first)[0] !== 0;
  }
  return {
    der,
    version,
    serialNumber,
    issuerDer: encoding(issuerName),
    subjectDer: encoding(subjectName),
    issuer: distinguishedName(issuerName),
    subject: distinguishedName(subjectName),
    notBefore: certTime(validity[0]),
    notAfter: certTime(validity[1]),
    altNames,
    ipAddresses,
    isCA,
    extensions,
  };
}

/**
 * A certificate as CPython's `_decode_certificate` makes it: the dict of
 * `getpeercert()` and `get_ca_certs()`.
 *
 * @param cert The parsed certificate.
 * @returns The dict, keys in CPython's order.
 */
export function decodeCertificate(cert: Certificate): PeerCertificate {
  const out: PeerCertificate = {
    subject: cert.subject,
    issuer: cert.issuer,
    version: cert.version,
    serialNumber: cert.serialNumber,
    notBefore: cert.notBefore.text,
    notAfter: cert.notAfter.text,
  };
  if (cert.altNames !== null) out.subjectAltName = cert.altNames;
  const aia = cert.extensions.get(OID_AUTHORITY_INFO_ACCESS);
  if (aia !== undefined) {
    const ocsp = aiaUris(aia, OID_AD_OCSP);
    if (ocsp.length > 0) out.OCSP = ocsp;
    const issuers = aiaUris(aia, OID_AD_CA_ISSUERS);
    if (issuers.length > 0) out.caIssuers = issuers;
  }
  const crl = cert.extensions.get(OID_CRL_DISTRIBUTION_POINTS);
  if (crl !== undefined) {
    const uris = crlUris(crl);
    if (uris.length > 0) out.crlDistributionPoints = uris;
  }
  return out;
}

/** Do two byte strings hold the same bytes? */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
