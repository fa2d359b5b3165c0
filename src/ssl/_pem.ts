// Copyright the pysocket authors. MIT license.
// PEM text ⇄ DER bytes, and what a PEM file holds.

import { children, element, TAG } from "./_der.ts";
import { parseCertificate } from "./_x509.ts";
import { ValueError } from "../socket/errors.ts";
import { pyNames } from "../_py/repr.ts";

/**
 * Python's `ssl.PEM_HEADER`: the first line of a PEM certificate.
 *
 * @example The first line of a PEM certificate
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(ssl.PEM_HEADER, "-----BEGIN CERTIFICATE-----");
 * ```
 */
export const PEM_HEADER = "-----BEGIN CERTIFICATE-----";
/**
 * Python's `ssl.PEM_FOOTER`: the last line of a PEM certificate.
 *
 * @example The last line of a PEM certificate
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(ssl.PEM_FOOTER, "-----END CERTIFICATE-----");
 * ```
 */
export const PEM_FOOTER = "-----END CERTIFICATE-----";

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Python's `binascii.Error`: a `ValueError` whose class is named `Error`. */
const BinasciiError = class Error extends ValueError {};
pyNames({ Error: BinasciiError }, "binascii");

/**
 * Base64 → bytes, as Python's `base64.decodebytes` (`binascii.a2b_base64`
 * without `strict_mode`): characters outside the alphabet are skipped, and
 * enough padding ends the data.
 *
 * @throws {ValueError} Python's `binascii.Error` (a `ValueError` whose
 * class is named `Error`): `Incorrect padding`, `Invalid base64-encoded
 * string: number of data characters (5) cannot be 1 more than a multiple
 * of 4`.
 */
export function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const out: number[] = [];
  let quad = 0;
  let left = 0;
  let pads = 0;
  for (const ch of text) {
    if (ch === "=") {
      if (quad >= 2 && quad + ++pads >= 4) {
        quad = 0;
        break;
      }
      continue;
    }
    const v = B64.indexOf(ch);
    if (v < 0 || ch.length !== 1) continue;
    pads = 0;
    switch (quad) {
      case 0:
        left = v;
        break;
      case 1:
        out.push(((left << 2) | (v >> 4)) & 0xff);
        left = v & 0x0f;
        break;
      case 2:
        out.push(((left << 4) | (v >> 2)) & 0xff);
        left = v & 0x03;
        break;
      case 3:
        out.push(((left << 6) | v) & 0xff);
        left = 0;
        break;
    }
    quad = (quad + 1) % 4;
  }
  if (quad === 1) {
    throw new BinasciiError(
      `Invalid base64-encoded string: number of data characters (${
        Math.floor(out.length / 3) * 4 + 1
      }) cannot be 1 more than a multiple of 4`,
    );
  }
  if (quad !== 0) throw new BinasciiError("Incorrect padding");
  return Uint8Array.from(out);
}

/** Bytes → base64. */
export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** One PEM block: its label (`CERTIFICATE`) and its text, armour included. */
export interface PemBlock {
  label: string;
  text: string;
  /**
   * The block has no end line of its own (OpenSSL's `PEM_R_BAD_END_LINE`):
   * an end line for another label, with more after its dashes, or none
   * before the text ends. Nothing after it is read.
   */
  badEnd?: boolean;
}

/** The most a line `BIO_gets()` hands OpenSSL's PEM reader at a time. */
const PEM_LINE = 254;

/**
 * The lines OpenSSL's PEM reader sees: a line longer than its buffer comes
 * in pieces (so a whole PEM on one line has no begin line), each with the
 * trailing whitespace and control characters cut off
 * (`PEM_FLAG_EAY_COMPATIBLE`).
 */
function pemLines(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/[^\n]*\n|[^\n]+$/g)) {
    const line = m[0];
    for (let i = 0; i < line.length; i += PEM_LINE) {
      out.push(trimControls(line.slice(i, i + PEM_LINE)));
    }
  }
  return out;
}

/** `line` without its trailing characters up to a space (`<= ' '`). */
function trimControls(line: string): string {
  let end = line.length;
  while (end > 0 && line.charCodeAt(end - 1) <= 0x20) end--;
  return line.slice(0, end);
}

/**
 * The PEM blocks in `text`, in order, as OpenSSL's `PEM_read_bio()` finds
 * them: a begin line is a line of its own, `-----BEGIN <label>-----`
 * (other lines before it are skipped); the block runs to the first line
 * that starts `-----END `, which must be `-----END <label>-----` (else the
 * block is a `badEnd` one, and the last).
 */
export function pemBlocks(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  const lines = pemLines(text);
  for (let i = 0; i < lines.length; i++) {
    const begin = lines[i];
    if (
      !begin.startsWith("-----BEGIN ") || begin.length < 16 ||
      !begin.endsWith("-----")
    ) continue;
    const label = begin.slice(11, -5);
    let j = i + 1;
    while (j < lines.length && !lines[j].startsWith("-----END ")) j++;
    const body = lines.slice(i, j + 1);
    if (j === lines.length || lines[j] !== `-----END ${label}-----`) {
      out.push({ label, text: body.join("\n"), badEnd: true });
      break;
    }
    out.push({ label, text: body.join("\n") });
    i = j;
  }
  return out;
}

/** Labels OpenSSL's `PEM_read_bio_X509()` takes for a certificate. */
const CERT_LABELS = new Set([
  "CERTIFICATE",
  "TRUSTED CERTIFICATE",
  "X509 CERTIFICATE",
]);

/**
 * What went wrong with a PEM block, as OpenSSL tells it: `end`, no end
 * line of its own (`PEM_R_BAD_END_LINE`); `base64`, a body that does not
 * decode; `asn1`, not what its label says.
 */
export type PemProblem = "end" | "base64" | "asn1";

/** One PEM block, decoded and checked as OpenSSL's readers would. */
export interface PemEntry {
  /** The block's label (`CERTIFICATE`). */
  label: string;
  /** What OpenSSL's `PEM_X509_INFO_read_bio()` makes of it. */
  kind: "cert" | "crl" | "key" | "other";
  /** The DER bytes (a certificate's alone), or `null` with a problem. */
  der: Uint8Array<ArrayBuffer> | null;
  /** What OpenSSL's reader makes of it, or `null`: it reads. */
  problem: PemProblem | null;
}

/**
 * A PEM block's base64 body as OpenSSL's `EVP_DecodeUpdate` reads it
 * (whitespace skipped; anything else outside the alphabet, misplaced
 * padding or a length that is not a multiple of 4 refused), after any
 * RFC 1421 headers (`Proc-Type: …`, then a blank line). `null` when
 * OpenSSL would fail `PEM_R_BAD_BASE64_DECODE`.
 */
function pemBody(block: string): Uint8Array<ArrayBuffer> | null {
  let lines = block.split(/\r?\n/).slice(1, -1);
  if (lines.length > 0 && lines[0].includes(":")) {
    const blank = lines.findIndex((l) => l.trim() === "");
    lines = blank < 0 ? [] : lines.slice(blank + 1);
  }
  const b64 = lines.join("").replace(/[ \t\r\n]/g, "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 !== 0) return null;
  const binary = atob(b64);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** One DER element's extent at the start of `der`, or `null`. */
function derExtent(der: Uint8Array): number | null {
  if (der.length < 2) return null;
  let length = der[1];
  let from = 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n === 0 || n > 4 || der.length < 2 + n) return null;
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + der[from + i];
    from += n;
  }
  return from + length <= der.length ? from + length : null;
}

/** A DER `SEQUENCE` that is all of `der`. */
function isSequence(der: Uint8Array): boolean {
  return der[0] === TAG.SEQUENCE && derExtent(der) === der.length;
}

/**
 * A CRL's shape, as `d2i_X509_CRL` needs it: a `SEQUENCE` of the signed
 * part (a `SEQUENCE`), the algorithm (a `SEQUENCE`) and the signature (a
 * `BIT STRING`).
 */
function isCrl(der: Uint8Array): boolean {
  try {
    const top = element(der);
    if (top.tag !== TAG.SEQUENCE || top.to !== der.length) return false;
    const parts = children(top);
    return parts.length === 3 && parts[0].tag === TAG.SEQUENCE &&
      parts[1].tag === TAG.SEQUENCE && parts[2].tag === TAG.BIT_STRING &&
      children(parts[0]).length >= 3;
  } catch {
    return false;
  }
}

/**
 * The blocks of a PEM text, each decoded and checked as OpenSSL's readers
 * check them: a certificate must parse as X.509, a CRL as a CRL, a private
 * key as one DER `SEQUENCE` (unless encrypted with PEM headers); other
 * blocks need only decode.
 */
export function pemEntries(text: string): PemEntry[] {
  return pemBlocks(text).map(({ label, text, badEnd }) => {
    const kind = CERT_LABELS.has(label)
      ? "cert"
      : label === "X509 CRL"
      ? "crl"
      : / PRIVATE KEY$/.test(` ${label}`)
      ? "key"
      : "other";
    if (badEnd) return { label, kind, der: null, problem: "end" };
    const body = pemBody(text);
    if (body === null) return { label, kind, der: null, problem: "base64" };
    let der: Uint8Array<ArrayBuffer> | null = body;
    if (kind === "cert") {
      // A TRUSTED CERTIFICATE carries OpenSSL's trust settings after it.
      der = certificateAt(body);
    } else if (kind === "crl") {
      if (!isCrl(body)) der = null;
    } else if (kind === "key" && !/\nProc-Type:/.test(text)) {
      if (!isSequence(body)) der = null;
    }
    return { label, kind, der, problem: der === null ? "asn1" : null };
  });
}

/** The X.509 certificate at the start of `body`, or `null`. */
function certificateAt(body: Uint8Array): Uint8Array<ArrayBuffer> | null {
  const end = derExtent(body);
  if (end === null || body[0] !== TAG.SEQUENCE) return null;
  const der = body.slice(0, end);
  try {
    parseCertificate(der);
  } catch {
    return null;
  }
  return der;
}

/**
 * The certificates of a PEM text, as DER (`TRUSTED CERTIFICATE` too),
 * leaving out blocks that are not certificates after all.
 */
export function pemCertificates(text: string): Uint8Array[] {
  return pemEntries(text).filter((e) => e.kind === "cert" && e.der !== null)
    .map((e) => e.der!);
}

/** The private key blocks of a PEM text. */
export function pemKeys(text: string): string[] {
  return pemBlocks(text).filter((b) =>
    !b.badEnd && /PRIVATE KEY$/.test(b.label)
  )
    .map((b) => b.text);
}

/** DER → PEM, as Python's `DER_cert_to_PEM_cert` lays it out. */
export function derToPem(der: Uint8Array): string {
  const b64 = toBase64(der);
  const lines = [PEM_HEADER];
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  lines.push(`${PEM_FOOTER}\n`);
  return lines.join("\n");
}
