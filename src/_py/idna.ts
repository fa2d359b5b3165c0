// Copyright the pysocket authors. MIT license.
// Python's `idna` codec, the encoding side (`str.encode("idna")`), as the
// resolver functions and `ssl` apply it to a host name: an ASCII name is
// checked label by label and kept as it is; other labels are mapped and
// Punycoded (`xn--…`) after IDNA 2003's nameprep, whose case folding and
// bidirectional checks are approximated (see `nameprep`).

import { UnicodeError } from "./codec.ts";
import { pyRepr } from "./repr.ts";

/** RFC 3492 Punycode of one label. */
function punycode(input: string): string {
  const base = 36, tMin = 1, tMax = 26, skew = 38, damp = 700;
  const codePoints = Array.from(input, (c) => c.codePointAt(0)!);
  let output = codePoints.filter((c) => c < 0x80).map((c) =>
    String.fromCharCode(c)
  ).join("");
  const basic = output.length;
  let handled = basic;
  if (basic > 0) output += "-";
  let n = 0x80, delta = 0, bias = 72;
  const digit = (d: number) => String.fromCharCode(d + 22 + 75 * +(d < 26));
  const adapt = (d: number, points: number, first: boolean) => {
    d = first ? Math.floor(d / damp) : d >> 1;
    d += Math.floor(d / points);
    let k = 0;
    while (d > ((base - tMin) * tMax) >> 1) {
      d = Math.floor(d / (base - tMin));
      k += base;
    }
    return k + Math.floor(((base - tMin + 1) * d) / (d + skew));
  };
  while (handled < codePoints.length) {
    const m = Math.min(...codePoints.filter((c) => c >= n));
    delta += (m - n) * (handled + 1);
    n = m;
    for (const c of codePoints) {
      if (c < n) delta++;
      if (c !== n) continue;
      let q = delta;
      for (let k = base;; k += base) {
        const t = k <= bias ? tMin : k >= bias + tMax ? tMax : k - bias;
        if (q < t) break;
        output += digit(t + ((q - t) % (base - t)));
        q = Math.floor((q - t) / (base - t));
      }
      output += digit(q);
      bias = adapt(delta, handled + 1, handled === basic);
      delta = 0;
      handled++;
    }
    delta++;
    n++;
  }
  return output;
}

/** All ASCII: kept as it is (the fast path, and a label nameprep leaves so). */
// deno-lint-ignore no-control-regex
const ASCII = /^[\x00-\x7f]*$/;

/** The dots the codec splits on (RFC 3490's four). */
const DOTS = /[.\u3002\uff0e\uff61]/;

function idnaError(reason: string): UnicodeError {
  return new UnicodeError(
    `encoding with 'idna' codec failed (UnicodeError: ${reason})`,
  );
}

/** RFC 3454's B.1: characters nameprep maps to nothing. */
const MAPPED_OUT =
  /[\u00ad\u034f\u1806\u180b-\u180d\u200b-\u200d\u2060\ufe00-\ufe0f\ufeff]/gu;

/**
 * Case folding (B.2) where JavaScript's lower case differs from it (no
 * final sigma; the sharp s and the Greek symbol forms folded).
 */
const FOLD: Record<string, string> = {
  "\u00df": "ss",
  "\u03c2": "\u03c3",
  "\u03d0": "\u03b2",
  "\u03d1": "\u03b8",
  "\u03d5": "\u03c6",
  "\u03d6": "\u03c0",
  "\u03f0": "\u03ba",
  "\u03f1": "\u03c1",
  "\u03f5": "\u03b5",
  "\u1e9b": "\u1e61",
  "\u0345": "\u03b9",
  "\u1fbe": "\u03b9",
};

/** The characters {@linkcode FOLD} maps. */
const FOLDED = new RegExp(`[${Object.keys(FOLD).join("")}]`, "g");

/**
 * RFC 3454's prohibited output for nameprep (tables C.1.2, C.2.2, C.3 to
 * C.9): non-ASCII spaces and controls, private use, non-characters,
 * surrogates, and the rest.
 */
const PROHIBITED = new RegExp(
  "[\\u00a0\\u1680\\u2000-\\u200b\\u202f\\u205f\\u3000" + // C.1.2
    "\\u0080-\\u009f\\u06dd\\u070f\\u180e\\u200c\\u200d\\u2028\\u2029" +
    "\\u2060-\\u2063\\u206a-\\u206f\\ufeff\\ufff9-\\ufffc" +
    "\\u{1d173}-\\u{1d17a}" + // C.2.2
    "\\ue000-\\uf8ff\\u{f0000}-\\u{ffffd}\\u{100000}-\\u{10fffd}" + // C.3
    "\\ufdd0-\\ufdef\\ufffe\\uffff\\u{1fffe}\\u{1ffff}\\u{2fffe}\\u{2ffff}" +
    "\\u{3fffe}\\u{3ffff}\\u{4fffe}\\u{4ffff}\\u{5fffe}\\u{5ffff}\\u{6fffe}" +
    "\\u{6ffff}\\u{7fffe}\\u{7ffff}\\u{8fffe}\\u{8ffff}\\u{9fffe}\\u{9ffff}" +
    "\\u{afffe}\\u{affff}\\u{bfffe}\\u{bffff}\\u{cfffe}\\u{cffff}\\u{dfffe}" +
    "\\u{dffff}\\u{efffe}\\u{effff}\\u{ffffe}\\u{fffff}\\u{10fffe}\\u{10ffff}" + // C.4
    "\\ud800-\\udfff" + // C.5
    "\\ufff9-\\ufffd" + // C.6
    "\\u2ff0-\\u2ffb" + // C.7
    "\\u0340\\u0341\\u200e\\u200f\\u202a-\\u202e" + // C.8
    "\\u{e0001}\\u{e0020}-\\u{e007f}]", // C.9
  "u",
);

/**
 * Nameprep (RFC 3491), as CPython's `encodings.idna.nameprep`: map (B.1
 * out, B.2 case folding), NFKC, then refuse prohibited characters. The
 * case folding is JavaScript's lower case with the differences above, and
 * the bidirectional checks are not made (README).
 */
function nameprep(label: string): string {
  const folded = label.replace(MAPPED_OUT, "").toLowerCase().replace(
    FOLDED,
    (c) => FOLD[c],
  );
  const out = folded.normalize("NFKC").toLowerCase();
  const bad = PROHIBITED.exec(out);
  if (bad !== null) throw idnaError(`Invalid character ${pyRepr(bad[0])}`);
  return out;
}

/** RFC 3490's ToASCII of one label of a name that is not all ASCII. */
function toAscii(label: string): string {
  let out = label;
  if (!ASCII.test(out)) {
    out = nameprep(out);
    if (!ASCII.test(out)) {
      if (out.startsWith("xn--")) {
        throw idnaError("Label starts with ACE prefix");
      }
      out = `xn--${punycode(out)}`;
    }
  }
  if (out.length === 0 || out.length > 63) {
    throw idnaError("label empty or too long");
  }
  return out;
}

/**
 * `name.encode("idna")`, as a string of ASCII.
 *
 * @param name A host name.
 * @returns The name as the resolver and the TLS layer use it.
 * @throws {UnicodeError} `encoding with 'idna' codec failed (UnicodeError:
 * label empty or too long)`, as CPython's.
 */
export function idnaEncode(name: string): string {
  if (name === "") return "";
  if (ASCII.test(name)) {
    // CPython's fast path: every label but the last is 1 to 63 long; the
    // last (empty after a trailing dot) under 64.
    const labels = name.split(".");
    const last = labels.pop()!;
    if (labels.some((l) => l.length === 0 || l.length > 63)) {
      throw idnaError("label empty or too long");
    }
    if (last.length > 63) throw idnaError("label too long");
    return name;
  }
  const labels = name.split(DOTS);
  const trailing = labels.length > 1 && labels[labels.length - 1] === "";
  if (trailing) labels.pop();
  return labels.map(toAscii).join(".") + (trailing ? "." : "");
}
