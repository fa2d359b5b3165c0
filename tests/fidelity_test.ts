// Copyright the pysocket authors. MIT license.
// Bad arguments, answered as CPython answers them: every case of
// tests/fixtures/fidelity.json (made by tests/fixtures/fidelity_gen.py in
// CPython 3.11 on Linux: each argument of each public function replaced by
// wrong values, and calls with too many and too few arguments) is run
// against pysocket, and the class and message must be CPython's, word for
// word. Python classes JS lacks: AttributeError is a TypeError (what JS
// raises for a property of null), as everywhere in pysocket.

import * as socket from "../mod.ts";
import {
  freePort,
  makeTempDir,
  type OpenFile,
  openFile,
  readTextFile,
  remove,
  test,
  writeFile,
} from "./_util.ts";

/** A value as the fixture writes it (see fidelity_gen.py). */
type Value =
  | { t: "None" | "released" | "symbol" | "port" | "path" | "file" }
  | { t: "int"; v: string }
  | { t: "float"; v: number | string }
  | { t: "str"; v: string }
  | { t: "bytes"; v: string }
  | { t: "bytearray" | "memoryview"; v: number }
  | { t: "bool"; v: boolean }
  | { t: "list" | "tuple"; v: Value[] }
  | { t: "dict"; v: Record<string, Value> }
  | { t: "object" | "exc" | "const"; v: string };

/** What a call did: raised (class, message) or returned. */
interface Outcome {
  raises?: string;
  message?: string;
  returns?: boolean;
  value?: Value;
}

interface Case {
  id: string;
  call: string;
  on: string | null;
  args: Value[];
  opts?: Value;
  py: Outcome;
  /** What pysocket does instead, and why (or why the case cannot run). */
  js?: Outcome & { why?: string; skip?: string };
}

interface Fixture {
  python: string;
  opts_at: Record<string, number>;
  cases: Case[];
}

const fixture: Fixture = JSON.parse(
  await readTextFile(new URL("./fixtures/fidelity.json", import.meta.url)),
);

/** Python's classes that JS has under another name. */
const JS_CLASS: Record<string, string> = { AttributeError: "TypeError" };

/** The module's exports, by name (functions, classes, constants). */
const mod = socket as unknown as Record<string, unknown>;

/** What a case needs besides its arguments, cleaned up after it. */
interface Scope {
  dir: string;
  files: OpenFile[];
  sockets: socket.Socket[];
  paths: number;
}

function detached(): Uint8Array {
  const view = new Uint8Array(4);
  structuredClone(view.buffer, { transfer: [view.buffer] });
  return view;
}

async function decode(value: Value, scope: Scope): Promise<unknown> {
  switch (value.t) {
    case "None":
      return null;
    case "int":
      return Number(BigInt(value.v));
    case "float":
      return typeof value.v === "number"
        ? value.v
        : value.v === "nan"
        ? NaN
        : value.v === "inf"
        ? Infinity
        : -Infinity;
    case "str":
      return value.v;
    case "bytes":
      return Uint8Array.from(
        value.v.match(/../g) ?? [],
        (h) => parseInt(h, 16),
      );
    case "bytearray":
      return new Uint8Array(value.v);
    case "memoryview":
      return new DataView(new ArrayBuffer(value.v));
    case "released":
      return detached();
    case "bool":
      return value.v;
    case "list":
    case "tuple": {
      const out: unknown[] = [];
      for (const item of value.v) out.push(await decode(item, scope));
      return out;
    }
    case "dict": {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value.v)) {
        out[k] = await decode(v, scope);
      }
      return out;
    }
    case "object": {
      const named = { [value.v]: class {} };
      return new named[value.v]();
    }
    case "symbol":
      return Symbol("x");
    case "port":
      return freePort();
    case "path":
      return `${scope.dir}/s${++scope.paths}`;
    case "file": {
      const path = `${scope.dir}/file`;
      const file = await openFile(path);
      scope.files.push(file);
      return file;
    }
    case "exc":
      return new (mod[value.v] as new (m: string) => Error)("e");
    case "const":
      return mod[value.v];
  }
}

function receiver(on: string): socket.Socket {
  switch (on) {
    case "tcp":
      return socket.socket();
    case "tcp6":
      return socket.socket(socket.AF_INET6);
    case "udp": {
      const s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
      s.setblocking(false);
      return s;
    }
    case "unix":
      return socket.socket(socket.AF_UNIX);
    case "tcp_nonblocking": {
      const s = socket.socket();
      s.setblocking(false);
      return s;
    }
  }
  throw new Error(`unknown receiver ${on}`);
}

/** Closes what a call returned (sockets, pairs, files). */
async function release(result: unknown): Promise<void> {
  if (result instanceof socket.Socket) result.close();
  else if (Array.isArray(result)) { for (const r of result) await release(r); }
  else if (
    typeof result === "object" && result !== null &&
    !(result instanceof Error) &&
    typeof (result as { close?: unknown }).close === "function"
  ) {
    await (result as { close(): unknown }).close();
  }
}

const LIMIT_MS = 5000;

/** Runs one case: what it raised or returned, as the fixture writes it. */
async function run(
  c: Case,
  scope: Scope,
): Promise<Outcome & { got?: unknown }> {
  const args: unknown[] = [];
  for (const a of c.args) args.push(await decode(a, scope));
  if (c.opts !== undefined) {
    const at = fixture.opts_at[c.call];
    while (args.length < at) args.push(undefined);
    args.push(await decode(c.opts, scope));
  }
  let result: unknown;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const call = (): unknown => {
      if (c.on !== null) {
        const s = receiver(c.on);
        scope.sockets.push(s);
        const method = (s as unknown as Record<string, unknown>)[c.call];
        return (method as (...a: unknown[]) => unknown).apply(s, args);
      }
      const f = mod[c.call] as (...a: unknown[]) => unknown;
      if (/^[A-Z]|^(gaierror|herror)$/.test(c.call)) {
        return Reflect.construct(f, args);
      }
      return f(...args);
    };
    result = await Promise.race([
      Promise.resolve().then(call),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer in ${LIMIT_MS} ms`)),
          LIMIT_MS,
        );
      }),
    ]);
  } catch (err) {
    if (!(err instanceof Error)) {
      return { raises: typeof err, message: String(err) };
    }
    return { raises: err.name, message: err.message, got: err };
  } finally {
    clearTimeout(timer);
    socket.setdefaulttimeout(null);
  }
  await release(result);
  return { returns: true, got: result };
}

/** Why `got` is not what `want` says; `undefined` when it is. */
async function mismatch(
  want: Outcome,
  got: Outcome & { got?: unknown },
  c: Case,
  scope: Scope,
): Promise<string | undefined> {
  const show = (o: Outcome) =>
    o.raises !== undefined ? `${o.raises}: ${o.message}` : "returned";
  if (want.raises !== undefined) {
    const name = JS_CLASS[want.raises] ?? want.raises;
    const Class = mod[name] ?? (globalThis as Record<string, unknown>)[name];
    const ok = got.raises === name && got.message === want.message &&
      typeof Class === "function" &&
      got.got instanceof (Class as new () => Error);
    return ok ? undefined : `want ${name}: ${want.message}; got ${show(got)}`;
  }
  if (got.raises !== undefined) return `want a return; got ${show(got)}`;
  if (want.value !== undefined) {
    const value = await decode(want.value, scope);
    const same = JSON.stringify(value) === JSON.stringify(got.got) &&
      (value instanceof Uint8Array) === (got.got instanceof Uint8Array);
    if (!same) return `want ${JSON.stringify(value)}; got ${got.got}`;
  }
  if (want.message !== undefined && /^[A-Z]|^(gaierror|herror)$/.test(c.call)) {
    const message = (got.got as Error).message;
    if (message !== want.message) {
      return `want message ${JSON.stringify(want.message)}; got ${
        JSON.stringify(message)
      }`;
    }
  }
  return undefined;
}

// One test per function (and receiver), listing every case that differs.
const groups = new Map<string, Case[]>();
for (const c of fixture.cases) {
  const key = c.on === null ? c.call : `${c.on}.${c.call}`;
  groups.set(key, [...(groups.get(key) ?? []), c]);
}

for (const [key, cases] of groups) {
  test(`${key}: bad arguments as CPython ${fixture.python} answers them (${cases.length} cases)`, async () => {
    const dir = await makeTempDir({ prefix: "pysocket_fidelity_" });
    await writeFile(`${dir}/file`, new TextEncoder().encode("hello"));
    const failures: string[] = [];
    try {
      for (const c of cases) {
        if (c.js?.skip !== undefined) continue;
        const scope: Scope = { dir, files: [], sockets: [], paths: 0 };
        try {
          const got = await run(c, scope);
          const want = c.js ?? c.py;
          const why = await mismatch(want, got, c, scope);
          if (why !== undefined) failures.push(`${c.id}: ${why}`);
        } finally {
          for (const s of scope.sockets) await s[Symbol.asyncDispose]();
          for (const f of scope.files) await f.close();
        }
      }
    } finally {
      await remove(dir, { recursive: true });
    }
    if (failures.length > 0) {
      throw new Error(
        `${failures.length} of ${cases.length} cases differ from CPython:\n${
          failures.join("\n")
        }`,
      );
    }
  });
}
