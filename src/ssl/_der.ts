// Copyright the pysocket authors. MIT license.
// A DER reader: just enough ASN.1 to walk an X.509 certificate.

/** One DER element: its tag byte and where its contents are. */
export interface Element {
  /** The identifier octet (class, constructed bit, tag number < 31). */
  readonly tag: number;
  /** The whole buffer. */
  readonly bytes: Uint8Array;
  /** Where the element starts (its tag). */
  readonly start: number;
  /** Where its contents start and end. */
  readonly from: number;
  readonly to: number;
}

/** Tags used here. */
export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  NUMERIC_STRING: 0x12,
  PRINTABLE_STRING: 0x13,
  T61_STRING: 0x14,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  VISIBLE_STRING: 0x1a,
  UNIVERSAL_STRING: 0x1c,
  BMP_STRING: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** A malformed encoding. */
export class DerError extends Error {
  constructor(what: string) {
    super(`bad DER: ${what}`);
    this.name = "DerError";
  }
}

/**
 * The element at `at` in `bytes` (within `end`).
 *
 * @throws {DerError} When it does not fit or uses what DER forbids.
 */
export function element(
  bytes: Uint8Array,
  at = 0,
  end = bytes.length,
): Element {
  if (at + 2 > end) throw new DerError("truncated header");
  const tag = bytes[at];
  if ((tag & 0x1f) === 0x1f) throw new DerError("high tag number");
  let length = bytes[at + 1];
  let from = at + 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n === 0 || n > 4 || from + n > end) throw new DerError("length");
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + bytes[from + i];
    from += n;
  }
  const to = from + length;
  if (to > end) throw new DerError("truncated contents");
  return { tag, bytes, start: at, from, to };
}

/** The elements inside a constructed element, in order. */
export function children(parent: Element): Element[] {
  const out: Element[] = [];
  let at = parent.from;
  while (at < parent.to) {
    const child = element(parent.bytes, at, parent.to);
    out.push(child);
    at = child.to;
  }
  return out;
}

/** An element's contents. */
export function contents(e: Element): Uint8Array {
  return e.bytes.subarray(e.from, e.to);
}

/** An element's whole encoding (tag, length and contents). */
export function encoding(e: Element): Uint8Array {
  return e.bytes.subarray(e.start, e.to);
}

/** An OBJECT IDENTIFIER as dotted text (`"2.5.4.3"`). */
export function oid(e: Element): string {
  const b = contents(e);
  if (b.length === 0) throw new DerError("empty OID");
  const parts: number[] = [];
  let value = 0;
  for (let i = 0; i < b.length; i++) {
    value = value * 128 + (b[i] & 0x7f);
    if (!(b[i] & 0x80)) {
      if (parts.length === 0) {
        const first = value < 80 ? Math.floor(value / 40) : 2;
        parts.push(first, value - first * 40);
      } else parts.push(value);
      value = 0;
    }
  }
  return parts.join(".");
}

const latin1 = new TextDecoder("latin1");
const utf8 = new TextDecoder();

/**
 * A string-typed element's text, as OpenSSL's `ASN1_STRING_to_UTF8` gives
 * it (BMP and Universal strings decoded, T61 as Latin-1).
 */
export function text(e: Element): string {
  const b = contents(e);
  switch (e.tag) {
    case TAG.BMP_STRING: {
      let s = "";
      for (let i = 0; i + 1 < b.length; i += 2) {
        s += String.fromCharCode((b[i] << 8) | b[i + 1]);
      }
      return s;
    }
    case TAG.UNIVERSAL_STRING: {
      let s = "";
      for (let i = 0; i + 3 < b.length; i += 4) {
        s += String.fromCodePoint(
          ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0,
        );
      }
      return s;
    }
    case TAG.T61_STRING:
      return latin1.decode(b);
    default:
      return utf8.decode(b);
  }
}
