// Copyright the pysocket authors. MIT license.
// Python's bytes methods that the socketserver examples use, on
// Uint8Array: `.strip()`, `.upper()`, and `print(b)`'s `b'…'`.

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0b, 0x0c, 0x0d]);

/** `data.strip()`: without leading and trailing ASCII whitespace. */
export function strip(data: Uint8Array): Uint8Array {
  let start = 0, end = data.length;
  while (start < end && WHITESPACE.has(data[start])) start++;
  while (end > start && WHITESPACE.has(data[end - 1])) end--;
  return data.slice(start, end);
}

/** `data.upper()`: ASCII letters upper-cased, other bytes as they are. */
export function upper(data: Uint8Array): Uint8Array {
  return data.map((b) => b >= 0x61 && b <= 0x7a ? b - 0x20 : b);
}

/** `repr(data)`, as `print(data)` shows bytes: `b'hello'`. */
export function bytesRepr(data: Uint8Array): string {
  const quote = data.includes(0x27) && !data.includes(0x22) ? '"' : "'";
  let out = "";
  for (const b of data) {
    if (b === 0x5c) out += "\\\\";
    else if (b === quote.charCodeAt(0)) out += `\\${quote}`;
    else if (b === 0x09) out += "\\t";
    else if (b === 0x0a) out += "\\n";
    else if (b === 0x0d) out += "\\r";
    else if (b < 0x20 || b >= 0x7f) {
      out += `\\x${b.toString(16).padStart(2, "0")}`;
    } else out += String.fromCharCode(b);
  }
  return `b${quote}${out}${quote}`;
}
