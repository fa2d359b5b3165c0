// Copyright the pysocket authors. MIT license.
// Python's `repr()` of JS values, for error texts that quote a value the way
// CPython does (`KeyError: '3 is not registered'`, `Invalid events: 0`).

/**
 * How much of a huge value a repr shows: beyond it, the rest is `...`, as
 * `reprlib` cuts it (the whole would not fit a JS string).
 */
const REPR_LIMIT = 1 << 16;

/**
 * What `str.isprintable()` is false for, which `repr()` escapes: controls,
 * format characters, surrogates, private use, unassigned code points, and
 * separators other than the space.
 */
const UNPRINTABLE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u;

/** Python's `repr()` of a str: single quotes unless it holds only `'`. */
export function reprStr(s: string): string {
  if (s.length > REPR_LIMIT) {
    const head = reprStr(s.slice(0, 64));
    return `${head.slice(0, -1)}...${head.at(-1)}`;
  }
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let body = "";
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === "\\") body += "\\\\";
    else if (ch === quote) body += `\\${quote}`;
    else if (ch === "\n") body += "\\n";
    else if (ch === "\r") body += "\\r";
    else if (ch === "\t") body += "\\t";
    else if (ch !== " " && UNPRINTABLE.test(ch)) {
      body += code < 0x100
        ? `\\x${code.toString(16).padStart(2, "0")}`
        : code < 0x10000
        ? `\\u${code.toString(16).padStart(4, "0")}`
        : `\\U${code.toString(16).padStart(8, "0")}`;
    } else body += ch;
  }
  return `${quote}${body}${quote}`;
}

/** Python's `repr()` of bytes: `b'ab\\x00'`. */
export function reprBytes(bytes: Uint8Array): string {
  if (bytes.length > REPR_LIMIT) {
    const head = reprBytes(bytes.subarray(0, 64));
    return `${head.slice(0, -1)}...${head.at(-1)}`;
  }
  let quote = "'";
  if (bytes.includes(0x27) && !bytes.includes(0x22)) quote = '"';
  let body = "";
  for (const b of bytes) {
    if (b === 0x5c) body += "\\\\";
    else if (b === quote.charCodeAt(0)) body += `\\${quote}`;
    else if (b === 0x09) body += "\\t";
    else if (b === 0x0a) body += "\\n";
    else if (b === 0x0d) body += "\\r";
    else if (b < 0x20 || b >= 0x7f) {
      body += `\\x${b.toString(16).padStart(2, "0")}`;
    } else body += String.fromCharCode(b);
  }
  return `b${quote}${body}${quote}`;
}

/**
 * Python's `repr()` of a JS value as its Python counterpart would print
 * (see src/_py/pytype.ts for the counterparts): `None`, `True`, `3`,
 * `'text'`, `b'bytes'`, `[1, 2]`; an object with a `toString` of its own (a
 * socket: `<socket.socket fd=3, …>`) prints that; an object of a class
 * {@linkcode pyNames} pins, Python's default repr, with a per-object id
 * where CPython shows an address (`<ssl.SSLContext object at 0x…>`), and
 * the class itself `<class 'ssl.SSLContext'>`; any other object `<Name
 * object>`, as Python's default repr without the module and the address (a
 * Symbol is `<symbol object>`, a view `<memory>`, a detached one `<released
 * memory>`). Never throws, whatever it is given.
 *
 * @param value Any value.
 * @returns Its repr.
 */
export function pyRepr(value: unknown): string {
  try {
    return reprOf(value);
  } catch {
    return "<object object>"; // a Proxy that throws, a throwing toString()
  }
}

function reprOf(value: unknown): string {
  if (value === null || value === undefined) return "None";
  switch (typeof value) {
    case "string":
      return reprStr(value);
    case "boolean":
      return value ? "True" : "False";
    case "number":
      if (Number.isNaN(value)) return "nan";
      if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
      if (!Number.isInteger(value) || Object.is(value, -0)) {
        return floatRepr(value);
      }
      // An int prints all its digits (2**64, not 18446744073709552000).
      return Number.isSafeInteger(value)
        ? String(value)
        : BigInt(value).toString();
    case "bigint":
      return String(value);
    case "symbol":
      return "<symbol object>";
    case "function": {
      const pinned = PINNED.get(value);
      if (pinned !== undefined) return `<class '${pinned.qualified}'>`;
      return `<function ${value.name || "<lambda>"}>`;
    }
  }
  if (Array.isArray(value)) {
    if (value.length > REPR_LIMIT) {
      return `[${value.slice(0, 6).map(pyRepr).join(", ")}, ...]`;
    }
    return `[${value.map(pyRepr).join(", ")}]`;
  }
  if (ArrayBuffer.isView(value) || isArrayBuffer(value)) {
    if (isDetached(value)) return "<released memory>";
    if (value instanceof Uint8Array) return reprBytes(value);
    if (!ArrayBuffer.isView(value)) return reprBytes(new Uint8Array(value));
    return "<memory>";
  }
  if (value instanceof Map) {
    const items = [...value].map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`);
    return `{${items.join(", ")}}`;
  }
  if (value instanceof Set) {
    return value.size === 0
      ? "set()"
      : `{${[...value].map(pyRepr).join(", ")}}`;
  }
  const proto = Object.getPrototypeOf(value);
  if (
    (proto === null || proto === Object.prototype) &&
    !Object.hasOwn(value, "toString")
  ) {
    // A plain object is Python's dict (src/_py/pytype.ts): `{'a': 1}`.
    const items = Object.entries(value as object).map(([k, v]) =>
      `${reprStr(k)}: ${pyRepr(v)}`
    );
    return `{${items.join(", ")}}`;
  }
  const own = (value as { toString?: unknown }).toString;
  if (typeof own === "function" && own !== Object.prototype.toString) {
    return String(value);
  }
  const Class = (value as object).constructor;
  const pinned = PINNED.get(Class);
  if (pinned === undefined) return `<${Class?.name || "object"} object>`;
  let id = ids.get(value as object);
  if (id === undefined) ids.set(value as object, id = objectId());
  return `<${pinned.qualified} object at ${id}>`;
}

let lastId = 0;

/** The id the repr of each object of a pinned class shows. */
const ids = new WeakMap<object, string>();

/**
 * A new number unique for the process's life, as Python's `id()` shows in
 * a default repr (`<_io.BufferedRWPair object at 0x…>`): one per object.
 */
export function objectId(): string {
  return `0x${(++lastId).toString(16).padStart(12, "0")}`;
}

/**
 * Python's `str()` of a JS value: a string as it is, anything else as its
 * {@linkcode pyRepr}. Never throws.
 *
 * @param value Any value.
 * @returns Its str.
 */
export function pyStr(value: unknown): string {
  return typeof value === "string" ? value : pyRepr(value);
}

/**
 * A float as Python's `repr()` prints it: the shortest digits that read
 * back, in exponent form below 1e-4 and from 1e16 (`1e-05`, `1e+16`), the
 * exponent of two digits at least; else with a `.0` when whole (`100.0`).
 */
function floatRepr(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (Object.is(x, -0)) return "-0.0";
  const abs = Math.abs(x);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e16)) {
    const [mantissa, exp] = x.toExponential().split("e");
    const sign = exp.startsWith("-") ? "-" : "+";
    return `${mantissa}e${sign}${exp.replace(/^[-+]/, "").padStart(2, "0")}`;
  }
  const text = String(x);
  return text.includes(".") ? text : `${text}.0`;
}

/**
 * Is `value` an `ArrayBuffer` or a `SharedArrayBuffer` (Python's `bytes`,
 * as a view over either is)?
 */
export function isArrayBuffer(
  value: unknown,
): value is ArrayBuffer | SharedArrayBuffer {
  return value instanceof ArrayBuffer ||
    (typeof SharedArrayBuffer === "function" &&
      value instanceof SharedArrayBuffer);
}

/** A typed array method that throws for one out of bounds (`at`). */
const TYPED_AT = Object.getPrototypeOf(Uint8Array.prototype).at as (
  this: ArrayBufferView,
  index: number,
) => unknown;

/**
 * Is `view` Python's released `memoryview`: over an `ArrayBuffer` that was
 * transferred away (detached), or out of the bounds of a resizable one
 * shrunk below it (its bytes are gone as well: a typed array reads as
 * empty, a `DataView` throws)?
 */
export function isDetached(
  view: ArrayBufferView | ArrayBufferLike,
): boolean {
  if (!ArrayBuffer.isView(view)) {
    return (view as { detached?: boolean }).detached === true;
  }
  const buffer = view.buffer as { detached?: boolean; resizable?: boolean };
  if (buffer.detached === true) return true;
  // Only a resizable ArrayBuffer shrinks (a SharedArrayBuffer only grows).
  if (buffer.resizable !== true) return false;
  try {
    if (view.byteLength !== 0) return false;
  } catch {
    return true; // a DataView out of bounds
  }
  if (view instanceof DataView) return false;
  try {
    TYPED_AT.call(view, 0);
    return false; // in bounds, and empty
  } catch {
    return true;
  }
}

/** The prototype of `value`, or `undefined` when asking throws (a Proxy). */
function protoOf(value: object): object | null | undefined {
  try {
    return Object.getPrototypeOf(value);
  } catch {
    return undefined;
  }
}

/**
 * The type as CPython's argument errors name it (`must be str, not
 * None`): `None` for `None`, else {@linkcode pyTypeName}.
 */
export function pyArgType(value: unknown): string {
  return value === null || value === undefined ? "None" : pyTypeName(value);
}

/** Python's names of each class {@linkcode pyNames} pins. */
const PINNED = new WeakMap<object, { type: string; qualified: string }>();

/**
 * Pins classes' Python names, given as the keys of `classes`: a class's
 * `name` (`type(x).__name__`), which an error's `name` reads, and the names
 * {@linkcode pyTypeName} and {@linkcode pyRepr} give its objects, which a
 * bundler would change with `name` (esbuild renames a class whose body names
 * itself: `class _OSError`; a minifier, every class). A Python class is
 * given by its name (`pyNames({ OSError })`; `pyNames({ socket: Socket })`
 * where Python's name is not the JS one), with its module for its repr
 * (`pyNames({ SSLContext }, "ssl")`: `<ssl.SSLContext object at 0x…>`); a
 * type CPython makes in C by its `tp_name`, module first, which its
 * messages print whole (`pyNames({ "select.poll": Poll })`: `'select.poll'
 * object cannot be interpreted as an integer`). A subclass keeps its own
 * name, and the repr of a class not pinned (`<MyServer object>`).
 *
 * @param classes The classes, by Python name.
 * @param module The module of the Python classes, for their repr.
 */
export function pyNames(
  // deno-lint-ignore no-explicit-any
  classes: Record<string, abstract new (...args: any[]) => unknown>,
  module?: string,
): void {
  for (const [type, Class] of Object.entries(classes)) {
    const name = type.slice(type.lastIndexOf(".") + 1);
    Object.defineProperty(Class, "name", { value: name, configurable: true });
    const qualified = module === undefined ? type : `${module}.${type}`;
    PINNED.set(Class, { type, qualified });
  }
}

/**
 * The Python type name a JS value would have (`'str'`, `'int'`, …), as
 * CPython's messages print it (`tp_name`): its class's (see
 * {@linkcode pyNames}).
 */
export function pyTypeName(value: unknown): string {
  if (value === null || value === undefined) return "NoneType";
  switch (typeof value) {
    case "string":
      return "str";
    case "number":
      return Number.isInteger(value) ? "int" : "float";
    case "bigint":
      return "int";
    case "boolean":
      return "bool";
    case "symbol":
      return "symbol";
    case "function":
      return "function";
  }
  try {
    if (Array.isArray(value)) return "list";
    if (ArrayBuffer.isView(value)) {
      if (isDetached(value)) return "memoryview";
      return value instanceof Uint8Array ? "bytes" : "memoryview";
    }
    if (isArrayBuffer(value)) {
      return isDetached(value) ? "memoryview" : "bytes";
    }
    if (value instanceof Map) return "dict";
    if (value instanceof Set) return "set";
  } catch {
    return "object"; // a revoked Proxy
  }
  const proto = protoOf(value as object);
  if (proto === null || proto === Object.prototype) return "dict";
  if (proto === undefined) return "object";
  try {
    const Class = (proto as { constructor?: { name?: unknown } }).constructor;
    const name = PINNED.get(Class as object)?.type ?? Class?.name;
    return typeof name === "string" && name !== "" ? name : "object";
  } catch {
    return "object";
  }
}
