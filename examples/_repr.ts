// Copyright the pysocket authors. MIT license.
// Python's repr() for what the ported examples print, so that their output
// reads as the Python programs' does: b'bytes', ('127.0.0.1', 54321).

/**
 * Python's `repr()` of bytes, a str, an int, a tuple (an array) or a dict
 * (a plain object).
 *
 * @param value What to print.
 * @returns Its repr: `b'Message 1 from client.'`, `('127.0.0.1', 54321)`,
 * `{'commonName': 'localhost'}`.
 */
export function repr(value: unknown): string {
  if (value instanceof Uint8Array) return bytesRepr(value);
  if (Array.isArray(value)) return `(${value.map(repr).join(", ")})`;
  if (
    typeof value === "object" && value !== null &&
    Object.getPrototypeOf(value) === Object.prototype
  ) {
    const items = Object.entries(value)
      .map(([key, item]) => `${repr(key)}: ${repr(item)}`);
    return `{${items.join(", ")}}`;
  }
  if (typeof value === "string") {
    const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
    return quote +
      value.replaceAll("\\", "\\\\").replaceAll(quote, "\\" + quote) +
      quote;
  }
  return String(value);
}

function bytesRepr(bytes: Uint8Array): string {
  const quote = bytes.includes(0x27) && !bytes.includes(0x22) ? '"' : "'";
  let out = "b" + quote;
  for (const byte of bytes) {
    if (byte === 0x5c) out += "\\\\";
    else if (byte === quote.charCodeAt(0)) out += "\\" + quote;
    else if (byte === 0x09) out += "\\t";
    else if (byte === 0x0a) out += "\\n";
    else if (byte === 0x0d) out += "\\r";
    else if (byte < 0x20 || byte >= 0x7f) {
      out += "\\x" + byte.toString(16).padStart(2, "0");
    } else out += String.fromCharCode(byte);
  }
  return out + quote;
}

/** Python's `bytes + bytes`. */
export function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
