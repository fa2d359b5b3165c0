// Copyright the pysocket authors. MIT license.
// Python counts a str in code points; JS strings are UTF-16. These helpers
// convert, costing what they scan (a native check first: text without
// surrogates is counted by its length).

const SURROGATE = /[\ud800-\udfff]/;

/** Python's `len()` of `s.slice(from, to)`: code points, not UTF-16 units. */
export function codePointLength(
  s: string,
  from = 0,
  to: number = s.length,
): number {
  const part = from === 0 && to === s.length ? s : s.slice(from, to);
  if (!SURROGATE.test(part)) return part.length;
  let n = part.length;
  for (let i = 0; i < part.length - 1; i++) {
    const c = part.charCodeAt(i);
    if (
      c >= 0xd800 && c <= 0xdbff && (part.charCodeAt(i + 1) & 0xfc00) === 0xdc00
    ) {
      n--;
      i++;
    }
  }
  return n;
}

/**
 * The UTF-16 index `n` code points after `from` in `s`, or `s.length` when
 * fewer are left.
 */
export function codePointIndex(s: string, from: number, n: number): number {
  const end = Math.min(s.length, from + n);
  // Without surrogates, code points are UTF-16 units.
  if (!SURROGATE.test(s.slice(from, end))) return end;
  let i = from;
  for (let k = 0; k < n && i < s.length; k++) {
    const c = s.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < s.length &&
        (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00
      ? 2
      : 1;
  }
  return i;
}
