// Copyright the pysocket authors. MIT license.
// Python's `io.IncrementalNewlineDecoder`: universal newlines over a codec's
// incremental decoder. A `\r` at the end of a piece waits for the next one
// (it may be half of a `\r\n`); the endings seen are recorded for
// `newlines`; with `translate`, `\r\n` and `\r` become `\n`. Each piece is
// scanned once.

import type { Decoder } from "../../_py/codec.ts";

const SEEN_CR = 1;
const SEEN_LF = 2;
const SEEN_CRLF = 4;
const SEEN_ALL = SEEN_CR | SEEN_LF | SEEN_CRLF;

const CR_RUN = /\r\n?/g;

/** Universal newlines over a decoder. */
export class IncrementalNewlineDecoder implements Decoder {
  #decoder: Decoder;
  #translate: boolean;
  #pendingCR = false;
  #seen = 0;

  /**
   * Wraps `decoder`.
   *
   * @param decoder The codec's incremental decoder.
   * @param translate Turn `\r\n` and `\r` into `\n`?
   */
  constructor(decoder: Decoder, translate: boolean) {
    this.#decoder = decoder;
    this.#translate = translate;
  }

  /**
   * Decodes the next piece.
   *
   * @param bytes The piece.
   * @param final The last piece: flush what is held back.
   * @returns The text.
   */
  decode(bytes: Uint8Array, final: boolean): string {
    let out = this.#decoder.decode(bytes, final);
    if (this.#pendingCR && (final || out.length > 0)) {
      out = "\r" + out;
      this.#pendingCR = false;
    }
    if (!final && out.length > 0 && out.charCodeAt(out.length - 1) === 0x0d) {
      out = out.slice(0, -1);
      this.#pendingCR = true;
    }
    if (out.length === 0) return out;
    if (!out.includes("\r")) {
      if ((this.#seen & SEEN_LF) === 0 && out.includes("\n")) {
        this.#seen |= SEEN_LF;
      }
      return out;
    }
    if (this.#seen !== SEEN_ALL) this.#scan(out);
    return this.#translate ? out.replaceAll(CR_RUN, "\n") : out;
  }

  /** The endings seen: Python's `newlines`. */
  get newlines(): string | string[] | null {
    switch (this.#seen) {
      case SEEN_CR:
        return "\r";
      case SEEN_LF:
        return "\n";
      case SEEN_CRLF:
        return "\r\n";
      case SEEN_CR | SEEN_LF:
        return ["\r", "\n"];
      case SEEN_CR | SEEN_CRLF:
        return ["\r", "\r\n"];
      case SEEN_LF | SEEN_CRLF:
        return ["\n", "\r\n"];
      case SEEN_ALL:
        return ["\r", "\n", "\r\n"];
      default:
        return null;
    }
  }

  /** Records the endings in `s` (which has a `\r`). */
  #scan(s: string): void {
    let seen = this.#seen;
    for (let i = s.indexOf("\r"); i >= 0; i = s.indexOf("\r", i + 1)) {
      seen |= s.charCodeAt(i + 1) === 0x0a ? SEEN_CRLF : SEEN_CR;
      if ((seen & (SEEN_CR | SEEN_CRLF)) === (SEEN_CR | SEEN_CRLF)) break;
    }
    if ((seen & SEEN_LF) === 0) {
      for (let i = s.indexOf("\n"); i >= 0; i = s.indexOf("\n", i + 1)) {
        if (i === 0 || s.charCodeAt(i - 1) !== 0x0d) {
          seen |= SEEN_LF;
          break;
        }
      }
    }
    this.#seen = seen;
  }
}
