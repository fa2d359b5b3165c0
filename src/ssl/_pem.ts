// Copyright the pysocket authors. MIT license.
// PEM text ⇄ DER bytes, and what a PEM file holds.

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

/** Base64 → bytes, ignoring whitespace (as `base64.decodebytes`). */
export function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const clean = text.replace(/[\s]/g, "");
  const binary = atob(clean);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
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
}

/** The PEM blocks in `text`, in order. */
export function pemBlocks(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  const re = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;
  for (const m of text.matchAll(re)) out.push({ label: m[1], text: m[0] });
  return out;
}

/** The certificates of a PEM text, as DER (`TRUSTED CERTIFICATE` too). */
export function pemCertificates(text: string): Uint8Array[] {
  return pemBlocks(text)
    .filter((b) =>
      b.label === "CERTIFICATE" || b.label === "TRUSTED CERTIFICATE"
    )
    .map((b) => fromBase64(b.text.replace(/-----[A-Z0-9 ]+-----/g, "")));
}

/** The private key blocks of a PEM text. */
export function pemKeys(text: string): string[] {
  return pemBlocks(text).filter((b) => /PRIVATE KEY$/.test(b.label))
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
