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

/**
 * The `{}` CPython's `getpeercert()` returns for a certificate it was not
 * asked to validate (`CERT_NONE`): none of {@linkcode PeerCertificate}'s
 * keys, so that `cert.subject` is `undefined` there, and the dict's keys
 * are read the same way on either (`cert.subject?.…`, or `"subject" in
 * cert`).
 *
 * @example Reading a key of either
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * const cert: ssl.PeerCertificate | ssl.EmptyCertificate = {};
 * assertEquals(cert.notAfter, undefined);
 * ```
 */
export type EmptyCertificate = {
  readonly [K in keyof PeerCertificate]?: undefined;
};

/**
 * OpenSSL's long names (`OBJ_obj2txt(…, 0)`, as CPython prints them) of the
 * OIDs that name attributes and registered IDs: X.520's, COSINE's and
 * PKCS #9's attribute types, the EV and Russian ones, and PKIX's id-pe,
 * id-kp and id-ad. Any other OID is printed dotted.
 */
const LONG_NAMES: Record<string, string> = {
  ...arc("2.5.4", {
    3: "commonName",
    4: "surname",
    5: "serialNumber",
    6: "countryName",
    7: "localityName",
    8: "stateOrProvinceName",
    9: "streetAddress",
    10: "organizationName",
    11: "organizationalUnitName",
    12: "title",
    13: "description",
    14: "searchGuide",
    15: "businessCategory",
    16: "postalAddress",
    17: "postalCode",
    18: "postOfficeBox",
    19: "physicalDeliveryOfficeName",
    20: "telephoneNumber",
    21: "telexNumber",
    22: "teletexTerminalIdentifier",
    23: "facsimileTelephoneNumber",
    24: "x121Address",
    25: "internationaliSDNNumber",
    26: "registeredAddress",
    27: "destinationIndicator",
    28: "preferredDeliveryMethod",
    29: "presentationAddress",
    30: "supportedApplicationContext",
    31: "member",
    32: "owner",
    33: "roleOccupant",
    34: "seeAlso",
    35: "userPassword",
    36: "userCertificate",
    37: "cACertificate",
    38: "authorityRevocationList",
    39: "certificateRevocationList",
    40: "crossCertificatePair",
    41: "name",
    42: "givenName",
    43: "initials",
    44: "generationQualifier",
    45: "x500UniqueIdentifier",
    46: "dnQualifier",
    47: "enhancedSearchGuide",
    48: "protocolInformation",
    49: "distinguishedName",
    50: "uniqueMember",
    51: "houseIdentifier",
    52: "supportedAlgorithms",
    53: "deltaRevocationList",
    54: "dmdName",
    65: "pseudonym",
    72: "role",
    97: "organizationIdentifier",
    98: "countryCode3c",
    99: "countryCode3n",
    100: "dnsName",
  }),
  ...arc("0.9.2342.19200300.100.1", {
    1: "userId",
    2: "textEncodedORAddress",
    3: "rfc822Mailbox",
    4: "info",
    5: "favouriteDrink",
    6: "roomNumber",
    7: "photo",
    8: "userClass",
    9: "host",
    10: "manager",
    11: "documentIdentifier",
    12: "documentTitle",
    13: "documentVersion",
    14: "documentAuthor",
    15: "documentLocation",
    20: "homeTelephoneNumber",
    21: "secretary",
    22: "otherMailbox",
    23: "lastModifiedTime",
    24: "lastModifiedBy",
    25: "domainComponent",
    26: "aRecord",
    27: "pilotAttributeType27",
    28: "mXRecord",
    29: "nSRecord",
    30: "sOARecord",
    31: "cNAMERecord",
    37: "associatedDomain",
    38: "associatedName",
    39: "homePostalAddress",
    40: "personalTitle",
    41: "mobileTelephoneNumber",
    42: "pagerTelephoneNumber",
    43: "friendlyCountryName",
    44: "uniqueIdentifier",
    45: "organizationalStatus",
    46: "janetMailbox",
    47: "mailPreferenceOption",
    48: "buildingName",
    49: "dSAQuality",
    50: "singleLevelQuality",
    51: "subtreeMinimumQuality",
    52: "subtreeMaximumQuality",
    53: "personalSignature",
    54: "dITRedirect",
    55: "audio",
    56: "documentPublisher",
  }),
  ...arc("1.2.840.113549.1.9", {
    1: "emailAddress",
    2: "unstructuredName",
    3: "contentType",
    4: "messageDigest",
    5: "signingTime",
    6: "countersignature",
    7: "challengePassword",
    8: "unstructuredAddress",
    9: "extendedCertificateAttributes",
    14: "Extension Request",
    15: "S/MIME Capabilities",
    16: "S/MIME",
    20: "friendlyName",
    21: "localKeyID",
  }),
  ...arc("1.3.6.1.4.1.311.60.2.1", {
    1: "jurisdictionLocalityName",
    2: "jurisdictionStateOrProvinceName",
    3: "jurisdictionCountryName",
  }),
  ...arc("1.3.6.1.4.1.311.20.2", {
    2: "Microsoft Smartcard Login",
    3: "Microsoft User Principal Name",
  }),
  ...arc("1.2.643.100", {
    1: "OGRN",
    3: "SNILS",
    5: "OGRNIP",
    111: "Signing Tool of Subject",
    112: "Signing Tool of Issuer",
    113: "Class of Signing Tool",
  }),
  ...arc("1.2.643.3.131.1", {
    1: "INN",
  }),
  ...arc("1.3.6.1.5.5.7.1", {
    1: "Authority Information Access",
    2: "Biometric Info",
    3: "qcStatements",
    4: "ac-auditEntity",
    5: "ac-targeting",
    6: "aaControls",
    7: "sbgp-ipAddrBlock",
    8: "sbgp-autonomousSysNum",
    9: "sbgp-routerIdentifier",
    10: "ac-proxying",
    11: "Subject Information Access",
    14: "Proxy Certificate Information",
    24: "TLS Feature",
    28: "sbgp-ipAddrBlockv2",
    29: "sbgp-autonomousSysNumv2",
  }),
  ...arc("1.3.6.1.5.5.7.3", {
    1: "TLS Web Server Authentication",
    2: "TLS Web Client Authentication",
    3: "Code Signing",
    4: "E-mail Protection",
    5: "IPSec End System",
    6: "IPSec Tunnel",
    7: "IPSec User",
    8: "Time Stamping",
    9: "OCSP Signing",
    10: "dvcs",
    17: "ipsec Internet Key Exchange",
    18: "Ctrl/provision WAP Access",
    19: "Ctrl/Provision WAP Termination",
    21: "SSH Client",
    22: "SSH Server",
    23: "Send Router",
    24: "Send Proxied Router",
    25: "Send Owner",
    26: "Send Proxied Owner",
    27: "CMC Certificate Authority",
    28: "CMC Registration Authority",
    29: "CMC Archive Server",
    30: "BGPsec Router",
    31: "Brand Indicator for Message Identification",
    32: "Certificate Management Key Generation Authority",
  }),
  ...arc("1.3.6.1.5.5.7.48", {
    1: "OCSP",
    2: "CA Issuers",
    3: "AD Time Stamping",
    4: "ad dvcs",
    5: "CA Repository",
    10: "RPKI Manifest",
    11: "Signed Object",
    13: "RPKI Notify",
  }),
};

/** The names of an arc's children, by their last number. */
function arc(
  prefix: string,
  names: Record<number, string>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(names).map(([n, name]) => [`${prefix}.${n}`, name]),
  );
}

const OID_SUBJECT_ALT_NAME = "2.5.29.17";
const OID_BASIC_CONSTRAINTS = "2.5.29.19";
const OID_KEY_USAGE = "2.5.29.15";
const OID_NS_CERT_TYPE = "2.16.840.1.113730.1.1";
const OID_EXT_KEY_USAGE = "2.5.29.37";
const OID_SUBJECT_KEY_ID = "2.5.29.14";
const OID_AUTHORITY_KEY_ID = "2.5.29.35";
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
  /** `basicConstraints`, if present: `cA` and `pathLenConstraint`. */
  readonly basicConstraints: { ca: boolean; pathLen: number | null } | null;
  /** `keyUsage` as OpenSSL's `KU_*` bits, if present. */
  readonly keyUsage: number | null;
  /** Netscape's `nsCertType` bits (`NS_SSL_CA` 0x04, …), if present. */
  readonly nsCertType: number | null;
  /** `extendedKeyUsage`'s purposes (OIDs), if present. */
  readonly extKeyUsage: readonly string[] | null;
  /** Subject and issuer are the same name (OpenSSL's `EXFLAG_SI`). */
  readonly selfIssued: boolean;
  /**
   * Self-signed as OpenSSL judges it without checking the signature
   * (`EXFLAG_SS`): self-issued, and its authority key identifier, if any,
   * is its own subject key identifier.
   */
  readonly selfSigned: boolean;
  /**
   * The public key's strength in bits, as OpenSSL's
   * `EVP_PKEY_get_security_bits()`; `null` for a key type not known here.
   */
  readonly keyBits: number | null;
  /** The public key's algorithm (OID: `1.2.840.10045.2.1`, EC), or `null`. */
  readonly keyAlgorithm: string | null;
  /**
   * The signature's strength in bits, as OpenSSL's
   * `X509_get_signature_info()` gives it (SHA-1: 63, MD5: 39); `null` for
   * an algorithm not known here.
   */
  readonly signatureBits: number | null;
  /** The extensions by OID: their value (the OCTET STRING's contents). */
  readonly extensions: ReadonlyMap<string, Element>;
}

/** An OID as OpenSSL's `OBJ_obj2txt(…, 0)`: its long name, else dotted. */
function longName(o: string): string {
  return LONG_NAMES[o] ?? o;
}

/** A Name → Python's tuple of RDN tuples. */
function distinguishedName(name: Element): DistinguishedName {
  return children(name).map((rdn) =>
    children(rdn).map((atv): [string, string] => {
      const [type, value] = children(atv);
      return [longName(oid(type)), text(value)];
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
    case 0x88:
      return ["Registered ID", longName(oid({ ...g, tag: TAG.OID }))];
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

/** `read()`, or `null` when what it reads is malformed. */
function lenient<T>(read: () => T | null): T | null {
  try {
    return read();
  } catch {
    return null;
  }
}

/** A small non-negative INTEGER's value (a huge one: the largest number). */
function smallInt(b: Uint8Array): number {
  let n = 0;
  for (const byte of b) n = n * 256 + byte;
  return Number.isSafeInteger(n) ? n : Number.MAX_SAFE_INTEGER;
}

/** `keyUsage` as OpenSSL's `ex_kusage` bits (`KU_KEY_CERT_SIGN` 0x04, …). */
function keyUsage(ext: Element | undefined): number | null {
  if (ext === undefined) return null;
  const bits = contents(extensionValue(ext));
  // The first byte counts the unused bits.
  return (bits[1] ?? 0) | ((bits[2] ?? 0) << 8);
}

/** Netscape's `nsCertType` as OpenSSL's `ex_nscert` bits. */
function nsCertType(ext: Element | undefined): number | null {
  if (ext === undefined) return null;
  return contents(extensionValue(ext))[1] ?? 0;
}

/** `extendedKeyUsage`'s purposes. */
function extKeyUsage(ext: Element | undefined): string[] | null {
  if (ext === undefined) return null;
  return children(extensionValue(ext)).map(oid);
}

/**
 * OpenSSL's `X509_check_akid(x, x->akid)` for a self-issued certificate:
 * its authority key identifier (key id, serial), if any, names itself.
 */
function akidMatches(extensions: ReadonlyMap<string, Element>): boolean {
  const akid = extensions.get(OID_AUTHORITY_KEY_ID);
  if (akid === undefined) return true;
  const skid = extensions.get(OID_SUBJECT_KEY_ID);
  for (const field of children(extensionValue(akid))) {
    if (field.tag === 0x80 && skid !== undefined) {
      const own = contents(extensionValue(skid));
      if (!sameBytes(contents(field), own)) return false;
    }
  }
  return true;
}

/** OpenSSL's `BN_security_bits(L, N)` (DSA). */
function bnSecurityBits(l: number, n: number): number {
  let bits: number;
  if (l >= 15360) bits = 256;
  else if (l >= 7680) bits = 192;
  else if (l >= 3072) bits = 128;
  else if (l >= 2048) bits = 112;
  else if (l >= 1024) bits = 80;
  else return 0;
  const half = Math.floor(n / 2);
  if (half < 80) return 0;
  return Math.min(bits, half);
}

// OpenSSL's fixed point (scale 2^18) for its RSA strength estimate.
const SCALE = 1n << 18n;
const CBRT_SCALE = 1n << 12n;
const LOG_2 = 0x02c5c8n;
const LOG_E = 0x05c551n;
const C1_923 = 0x07b126n;
const C4_690 = 0x12c28fn;
const U64 = (1n << 64n) - 1n;
const mul2 = (a: bigint, b: bigint): bigint => ((a * b) & U64) / SCALE;

function icbrt64(x: bigint): bigint {
  let r = 0n;
  for (let s = 63n; s >= 0n; s -= 3n) {
    r <<= 1n;
    const b = (3n * r * (r + 1n) + 1n) & U64;
    if ((x >> s) >= b) {
      x = (x - ((b << s) & U64)) & U64;
      r++;
    }
  }
  return r * CBRT_SCALE;
}

function ilogE(v: bigint): bigint {
  let r = 0n;
  while (v >= 2n * SCALE) {
    v >>= 1n;
    r += SCALE;
  }
  for (let i = SCALE / 2n; i !== 0n; i /= 2n) {
    v = mul2(v, v);
    if (v >= 2n * SCALE) {
      v >>= 1n;
      r += i;
    }
  }
  return ((r * SCALE) / LOG_E) & 0xffffffffn;
}

const IFC_CANONICAL: Record<number, number> = {
  2048: 112,
  3072: 128,
  4096: 152,
  6144: 176,
  7680: 192,
  8192: 200,
  15360: 256,
};

/**
 * OpenSSL 3's `ossl_ifc_ffc_compute_security_bits(n)`: an RSA modulus of
 * `n` bits → its strength (NIST SP 800-56B's estimate, rounded to 8).
 */
function ifcSecurityBits(n: number): number {
  if (n in IFC_CANONICAL) return IFC_CANONICAL[n];
  if (n >= 687737) return 1200;
  if (n < 8) return 0;
  const cap = n <= 7680 ? 192 : n <= 15360 ? 256 : 1200;
  const x = BigInt(n) * LOG_2;
  const lx = ilogE(x);
  const y0 = Number(
    (((mul2(C1_923, icbrt64(mul2(mul2(x, lx), lx))) - C4_690) & U64) /
      LOG_2) & 0xffffn,
  );
  const y = (y0 + 4) & ~7 & 0xffff;
  return Math.min(y, cap);
}

/** A positive INTEGER's length in bits. */
function bitLength(b: Uint8Array): number {
  let i = 0;
  while (i < b.length && b[i] === 0) i++;
  if (i === b.length) return 0;
  return (b.length - i - 1) * 8 + (32 - Math.clz32(b[i]));
}

/** Named curves → the bit length of their order. */
const CURVE_ORDER_BITS: Record<string, number> = {
  "1.2.840.10045.3.1.1": 192, // prime192v1 (P-192)
  "1.2.840.10045.3.1.2": 192,
  "1.2.840.10045.3.1.3": 192,
  "1.2.840.10045.3.1.4": 239,
  "1.2.840.10045.3.1.5": 239,
  "1.2.840.10045.3.1.6": 239,
  "1.2.840.10045.3.1.7": 256, // prime256v1 (P-256)
  "1.3.132.0.8": 161, // secp160r1
  "1.3.132.0.9": 161, // secp160k1
  "1.3.132.0.30": 161, // secp160r2
  "1.3.132.0.31": 192, // secp192k1
  "1.3.132.0.32": 225, // secp224k1
  "1.3.132.0.33": 224, // secp224r1 (P-224)
  "1.3.132.0.10": 256, // secp256k1
  "1.3.132.0.34": 384, // secp384r1 (P-384)
  "1.3.132.0.35": 521, // secp521r1 (P-521)
  "1.3.36.3.3.2.8.1.1.1": 160, // brainpoolP160r1
  "1.3.36.3.3.2.8.1.1.3": 192,
  "1.3.36.3.3.2.8.1.1.5": 224,
  "1.3.36.3.3.2.8.1.1.7": 256,
  "1.3.36.3.3.2.8.1.1.9": 320,
  "1.3.36.3.3.2.8.1.1.11": 384,
  "1.3.36.3.3.2.8.1.1.13": 512,
  "1.2.156.10197.1.301": 256, // SM2
};

/** OpenSSL's `ec_security_bits()`: the curve's order bits → strength. */
function ecSecurityBits(orderBits: number): number {
  if (orderBits >= 512) return 256;
  if (orderBits >= 384) return 192;
  if (orderBits >= 256) return 128;
  if (orderBits >= 224) return 112;
  if (orderBits >= 160) return 80;
  return Math.floor(orderBits / 2);
}

/**
 * The subject public key's strength, as `EVP_PKEY_get_security_bits()`:
 * RSA by OpenSSL 3's estimate, DSA by its `BN_security_bits`, EC by the
 * curve's order, Ed25519 128, Ed448 224; `null` for another type.
 */
function keySecurityBits(spki: Element | undefined): number | null {
  if (spki === undefined) return null;
  const [algorithm, key] = children(spki);
  const [algOid, params] = children(algorithm);
  switch (oid(algOid)) {
    case "1.2.840.113549.1.1.1": // rsaEncryption
    case "1.2.840.113549.1.1.10": { // RSASSA-PSS
      const bits = contents(key).subarray(1);
      const modulus = children(element(bits, 0, bits.length))[0];
      return ifcSecurityBits(bitLength(contents(modulus)));
    }
    case "1.2.840.10040.4.1": { // DSA
      if (params?.tag !== TAG.SEQUENCE) return null;
      const [p, q] = children(params);
      return bnSecurityBits(bitLength(contents(p)), bitLength(contents(q)));
    }
    case "1.2.840.10045.2.1": { // EC
      if (params?.tag === TAG.OID) {
        const orderBits = CURVE_ORDER_BITS[oid(params)];
        return orderBits === undefined ? null : ecSecurityBits(orderBits);
      }
      if (params?.tag === TAG.SEQUENCE) {
        const order = children(params)[4];
        return order === undefined
          ? null
          : ecSecurityBits(bitLength(contents(order)));
      }
      return null;
    }
    case "1.3.101.112": // Ed25519
      return 128;
    case "1.3.101.113": // Ed448
      return 224;
    default:
      return null;
  }
}

/** Digests by OID → their strength (half their size; SHA-1 63, MD5 39). */
const DIGEST_BITS: Record<string, number> = {
  "1.2.840.113549.2.2": 0, // MD2 (no digest in OpenSSL 3: unusable)
  "1.2.840.113549.2.4": 64, // MD4
  "1.2.840.113549.2.5": 39, // MD5
  "1.3.14.3.2.26": 63, // SHA-1
  "2.16.840.1.101.3.4.2.4": 112, // SHA-224
  "2.16.840.1.101.3.4.2.1": 128, // SHA-256
  "2.16.840.1.101.3.4.2.2": 192, // SHA-384
  "2.16.840.1.101.3.4.2.3": 256, // SHA-512
  "2.16.840.1.101.3.4.2.5": 112, // SHA-512/224
  "2.16.840.1.101.3.4.2.6": 128, // SHA-512/256
  "2.16.840.1.101.3.4.2.7": 112, // SHA3-224
  "2.16.840.1.101.3.4.2.8": 128, // SHA3-256
  "2.16.840.1.101.3.4.2.9": 192, // SHA3-384
  "2.16.840.1.101.3.4.2.10": 256, // SHA3-512
};

/** Signature algorithms by OID → the strength of their digest. */
const SIGNATURE_BITS: Record<string, number> = {
  "1.2.840.113549.1.1.2": 0, // md2WithRSAEncryption
  "1.2.840.113549.1.1.3": 64, // md4WithRSAEncryption
  "1.2.840.113549.1.1.4": 39, // md5WithRSAEncryption
  "1.2.840.113549.1.1.5": 63, // sha1WithRSAEncryption
  "1.3.14.3.2.29": 63, // sha1WithRSA (OIW)
  "1.2.840.113549.1.1.14": 112, // sha224WithRSAEncryption
  "1.2.840.113549.1.1.11": 128, // sha256WithRSAEncryption
  "1.2.840.113549.1.1.12": 192, // sha384WithRSAEncryption
  "1.2.840.113549.1.1.13": 256, // sha512WithRSAEncryption
  "1.2.840.10045.4.1": 63, // ecdsa-with-SHA1
  "1.2.840.10045.4.3.1": 112, // ecdsa-with-SHA224
  "1.2.840.10045.4.3.2": 128, // ecdsa-with-SHA256
  "1.2.840.10045.4.3.3": 192, // ecdsa-with-SHA384
  "1.2.840.10045.4.3.4": 256, // ecdsa-with-SHA512
  "1.2.840.10040.4.3": 63, // dsa-with-SHA1
  "2.16.840.1.101.3.4.3.1": 112, // dsa-with-SHA224
  "2.16.840.1.101.3.4.3.2": 128, // dsa-with-SHA256
  "2.16.840.1.101.3.4.3.9": 112, // ecdsa-with-SHA3-224
  "2.16.840.1.101.3.4.3.10": 128,
  "2.16.840.1.101.3.4.3.11": 192,
  "2.16.840.1.101.3.4.3.12": 256,
  "2.16.840.1.101.3.4.3.13": 112, // RSA with SHA3-224
  "2.16.840.1.101.3.4.3.14": 128,
  "2.16.840.1.101.3.4.3.15": 192,
  "2.16.840.1.101.3.4.3.16": 256,
  "1.3.101.112": 128, // Ed25519
  "1.3.101.113": 224, // Ed448
};

/**
 * The certificate signature's strength, as OpenSSL's
 * `X509_get_signature_info()`: RSASSA-PSS by its hash (SHA-1 when the
 * parameters name none).
 */
function signatureSecurityBits(algorithm: Element | undefined): number | null {
  if (algorithm === undefined) return null;
  const [algOid, params] = children(algorithm);
  const name = oid(algOid);
  if (name === "1.2.840.113549.1.1.10") {
    const hash = params?.tag === TAG.SEQUENCE
      ? children(params).find((p) => p.tag === 0xa0)
      : undefined;
    if (hash === undefined) return DIGEST_BITS["1.3.14.3.2.26"];
    const hashOid = children(children(hash)[0])[0];
    return DIGEST_BITS[oid(hashOid)] ?? null;
  }
  return SIGNATURE_BITS[name] ?? null;
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
  i++; // signature algorithm (the outer one is read below)
  const issuerName = fields[i++];
  const validity = children(fields[i++]);
  const subjectName = fields[i++];
  const spki = fields[i++];
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
  let basicConstraints: Certificate["basicConstraints"] = null;
  if (bc !== undefined) {
    const parts = children(extensionValue(bc));
    const first = parts[0];
    isCA = first?.tag === TAG.BOOLEAN && contents(first)[0] !== 0;
    const len = parts.find((p) => p.tag === TAG.INTEGER);
    basicConstraints = {
      ca: isCA,
      pathLen: len === undefined ? null : smallInt(contents(len)),
    };
  }
  const issuerDer = encoding(issuerName);
  const subjectDer = encoding(subjectName);
  const selfIssued = sameBytes(issuerDer, subjectDer);
  return {
    der,
    version,
    serialNumber,
    issuerDer,
    subjectDer,
    issuer: distinguishedName(issuerName),
    subject: distinguishedName(subjectName),
    notBefore: certTime(validity[0]),
    notAfter: certTime(validity[1]),
    altNames,
    ipAddresses,
    isCA,
    basicConstraints,
    // What only verification reads: a part it cannot read is left
    // unjudged (the runtime judges it), not a certificate refused here.
    keyUsage: lenient(() => keyUsage(extensions.get(OID_KEY_USAGE))),
    nsCertType: lenient(() => nsCertType(extensions.get(OID_NS_CERT_TYPE))),
    extKeyUsage: lenient(() => extKeyUsage(extensions.get(OID_EXT_KEY_USAGE))),
    selfIssued,
    selfSigned: selfIssued && (lenient(() => akidMatches(extensions)) ?? true),
    keyBits: lenient(() => keySecurityBits(spki)),
    keyAlgorithm: lenient(() => oid(children(children(spki)[0])[0])),
    signatureBits: lenient(() => signatureSecurityBits(children(top)[1])),
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

/**
 * A certificate's extension value: the element inside its OCTET STRING.
 *
 * @param cert The certificate.
 * @param id The extension's OID, dotted (`"2.5.29.17"`).
 * @returns The value, or `undefined` where the certificate has none.
 * @throws {DerError} When the value is not one well-formed element.
 */
export function extensionOf(
  cert: Certificate,
  id: string,
): Element | undefined {
  const ext = cert.extensions.get(id);
  return ext === undefined ? undefined : extensionValue(ext);
}

/** Do two byte strings hold the same bytes? */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
