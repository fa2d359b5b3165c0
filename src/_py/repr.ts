// Copyright the pysocket authors. MIT license.
// Python's `repr()` of JS values, for error texts that quote a value the way
// CPython does (`KeyError: '3 is not registered'`, `Invalid events: 0`).

/** Python's `repr()` of a str: single quotes unless it holds only `'`. */
export function reprStr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let body = "";
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === "\\") body += "\\\\";
    else if (ch === quote) body += `\\${quote}`;
    else if (ch === "\n") body += "\\n";
    else if (ch === "\r") body += "\\r";
    else if (ch === "\t") body += "\\t";
    else if (code < 0x20 || code === 0x7f) {
      body += `\\x${code.toString(16).padStart(2, "0")}`;
    } else body += ch;
  }
  return `${quote}${body}${quote}`;
}

/**
 * Python's `repr()` of a JS value as its Python counterpart would print:
 * `None`, `True`, `3`, `'text'`, `[1, 2]`; an object with a `toString` of
 * its own (a socket: `<socket.socket fd=3, …>`) prints that; any other
 * object `<Name object>`, as Python's default repr without the address.
 *
 * @param value Any value.
 * @returns Its repr.
 */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return "None";
  switch (typeof value) {
    case "string":
      return reprStr(value);
    case "boolean":
      return value ? "True" : "False";
    case "number":
      if (Number.isNaN(value)) return "nan";
      if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
      return Number.isInteger(value) && !Object.is(value, -0)
        ? String(value)
        : floatRepr(value);
    case "bigint":
      return String(value);
    case "symbol":
      return String(value);
    case "function":
      return `<function ${value.name || "<lambda>"}>`;
  }
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(", ")}]`;
  const own = (value as { toString?: unknown }).toString;
  if (typeof own === "function" && own !== Object.prototype.toString) {
    return String(value);
  }
  const name = (value as object).constructor?.name || "object";
  return `<${name} object>`;
}

/** A float as Python prints it: `1.5`, `1e+20`, `-0.0`. */
function floatRepr(x: number): string {
  if (Object.is(x, -0)) return "-0.0";
  const text = String(x);
  if (/e/.test(text)) return text.replace(/e(\d)/, "e+$1");
  return text.includes(".") ? text : `${text}.0`;
}
