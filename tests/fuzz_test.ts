// Copyright the pysocket authors. MIT license.
// Wrong arguments, at random: every public function and method of every
// entry point (socket, select, selectors, socketserver, ssl) is called with
// arguments drawn from a pool of wrong values (None, strings, Symbols, huge
// ints, NaN, detached buffers, 256 MiB views, proxies that throw, objects
// whose fileno() throws, …). Whatever it is given, a call must answer with
// one of Python's errors in Python's words (never a V8 `RangeError: Invalid
// array length`, a `Cannot read properties of null`, a Node `ERR_…`), or
// with the error of the caller's own object that threw, as Python lets it
// through; it must not crash the process, hang (each call is bounded) or
// leave a socket open.
//
// A small PRNG of our own (mulberry32) makes each run reproducible: the
// seed and the count come from the environment, a few hundred cases by
// default (seconds), as many as wanted for a long run:
//
//   PYSOCKET_FUZZ_SEED=7 PYSOCKET_FUZZ_CASES=20000 \
//     deno task test:deno tests/fuzz_test.ts
//
// A failure names the seed and the case, which the same seed replays.

import * as socket from "../mod.ts";
import * as select from "../select.ts";
import * as selectors from "../selectors.ts";
import * as socketserver from "../socketserver.ts";
import * as ssl from "../ssl.ts";
import { descriptor } from "../src/_io/fd_table.ts";
import { Rng } from "./_rng.ts";
import { env, sleep, test } from "./_util.ts";

const SEED = Number(env("PYSOCKET_FUZZ_SEED") ?? "1");
const CASES = Number(env("PYSOCKET_FUZZ_CASES") ?? "250");
/** How long one call may take before it counts as hung. */
const CALL_MS = Number(env("PYSOCKET_FUZZ_CALL_MS") ?? "3000");

/** Uniform numbers in [0, 1) from `seed` (mulberry32: `Rng`). */
function prng(seed: number): () => number {
  const rng = new Rng(seed);
  return () => rng.next();
}

// ------------------------------------------------------------- the pool

/** What the pool's own objects throw: Python lets it through, and so may we. */
class CallerError extends Error {
  override name = "CallerError";
}

function boom(): never {
  throw new CallerError("the caller's object raised");
}

/** A Proxy that throws from every trap. */
const throwingProxy = new Proxy({}, {
  get: boom,
  has: boom,
  ownKeys: boom,
  getPrototypeOf: boom,
  getOwnPropertyDescriptor: boom,
  apply: boom,
  construct: boom,
  set: boom,
});
const revoked = Proxy.revocable({}, {});
revoked.revoke();

function detachedView(): Uint8Array {
  const view = new Uint8Array(8);
  structuredClone(view.buffer, { transfer: [view.buffer] });
  return view;
}

let huge: Uint8Array | undefined;
/** One 256 MiB view for the whole run. */
function hugeView(): Uint8Array {
  return huge ??= new Uint8Array(256 * 1024 * 1024);
}

class Thing {}

/**
 * The wrong values, made fresh for each draw (some are consumed: a view
 * is written into, an object's method is called). Strings are `.invalid`
 * names or IP literals only: nothing is looked up outside /etc/hosts.
 */
const POOL: [string, () => unknown][] = [
  ["None", () => null],
  ["undefined", () => undefined],
  ["''", () => ""],
  ["'x.invalid'", () => "x.invalid"],
  ["'\\0x.invalid'", () => "\0x.invalid"],
  ["'x\\0y.invalid'", () => "x\0y.invalid"],
  ["'é😀.invalid'", () => "é😀.invalid"],
  ["'a'*1M+'.invalid'", () => "a".repeat(1 << 20) + ".invalid"],
  ["'127.0.0.1'", () => "127.0.0.1"],
  ["'::1'", () => "::1"],
  ["'localhost'", () => "localhost"],
  ["Symbol()", () => Symbol("fuzz")],
  ["0", () => 0],
  ["1", () => 1],
  ["-1", () => -1],
  ["0.5", () => 0.5],
  ["NaN", () => NaN],
  ["Infinity", () => Infinity],
  ["-Infinity", () => -Infinity],
  ["-0", () => -0],
  ["2**31", () => 2 ** 31],
  ["-2**31-1", () => -(2 ** 31) - 1],
  ["2**53", () => 2 ** 53],
  ["2**63", () => 2 ** 63],
  ["2**64", () => 2 ** 64],
  ["1e308", () => 1e308],
  ["10n", () => 10n],
  ["2n**70n", () => 2n ** 70n],
  ["true", () => true],
  ["false", () => false],
  ["[]", () => []],
  ["[null]", () => [null]],
  ["['127.0.0.1', 0]", () => ["127.0.0.1", 0]],
  ["['127.0.0.1', 2**31]", () => ["127.0.0.1", 2 ** 31]],
  ["['::1', 0, 2**40, -1]", () => ["::1", 0, 2 ** 40, -1]],
  ["[Symbol()]", () => [Symbol("fuzz")]],
  ["new Array(3)", () => new Array(3)],
  ["1e6 zeros", () => new Array(1_000_000).fill(0)],
  ["{}", () => ({})],
  ["Object.create(null)", () => Object.create(null)],
  ["new Thing()", () => new Thing()],
  ["new Map()", () => new Map()],
  ["new Set([1])", () => new Set([1])],
  ["new Date(NaN)", () => new Date(NaN)],
  ["Promise", () => Promise.resolve(1)],
  ["() => 1", () => () => 1],
  ["class {}", () => class {}],
  ["Uint8Array(0)", () => new Uint8Array(0)],
  ["Uint8Array(16)", () => new Uint8Array(16)],
  ["Float64Array(2)", () => new Float64Array(2)],
  ["DataView(8)", () => new DataView(new ArrayBuffer(8))],
  ["ArrayBuffer(4)", () => new ArrayBuffer(4)],
  ["detached view", detachedView],
  ["256 MiB view", hugeView],
  ["256 MiB DataView", () => new DataView(hugeView().buffer)],
  ["throwing Proxy", () => throwingProxy],
  ["revoked Proxy", () => revoked.proxy],
  ["{fileno() throws}", () => ({ fileno: boom })],
  ["{fileno: () => -1}", () => ({ fileno: () => -1 })],
  ["{fileno: () => 2**40}", () => ({ fileno: () => 2 ** 40 })],
  ["{fileno: 'x'}", () => ({ fileno: "x" })],
  ["{read/seek throw}", () => ({ read: boom, seek: boom })],
  ["{toString/valueOf throw}", () => ({ toString: boom, valueOf: boom })],
  ["{[Symbol.toPrimitive] throws}", () => ({ [Symbol.toPrimitive]: boom })],
  ["{[Symbol.iterator] throws}", () => ({ [Symbol.iterator]: boom })],
  ["a closed socket", () => {
    const s = socket.socket();
    s.close();
    return s;
  }],
];

interface Draw {
  value: unknown;
  label: string;
}

function draw(random: () => number, avoid: string[]): Draw {
  for (;;) {
    const [label, make] = POOL[Math.floor(random() * POOL.length)];
    if (!avoid.includes(label)) return { label, value: make() };
  }
}

function drawArgs(random: () => number, target: Target): Draw[] {
  const n = Math.floor(random() * (Math.min(target.arity, 5) + 2));
  return Array.from({ length: n }, () => draw(random, target.avoid ?? []));
}

// ---------------------------------------------------------- the judging

/** Python's classes, as pysocket raises them (a TypeError is JS's own). */
const PYTHON_CLASSES: (abstract new (...args: never[]) => Error)[] = [
  socket.OSError,
  socket.ValueError,
  socket.OverflowError,
  socket.LookupError,
  socket.RuntimeError,
  socket.UnsupportedOperation,
  socket.ExceptionGroup,
  ssl.NotImplementedError,
];

/** Words no Python error has: the runtime's own, leaking. */
const RUNTIME_WORDING = new RegExp(
  [
    "Cannot read propert",
    "Cannot set propert",
    "is not a function",
    "(?<!' object) is not iterable",
    "Cannot convert",
    "Invalid array length",
    "Invalid string length",
    "Invalid typed array length",
    "detached",
    "out-of-bounds",
    "Maximum call stack",
    "ERR_[A-Z]",
    'The "[^"]+" (argument|property)',
    "must be of type",
    "Received ",
    "is not a constructor",
    "undefined is not",
    "null is not",
    "Cannot destructure",
    "allocation failed",
    "Cannot mix BigInt",
    "BigInt",
    "is not defined",
    "Cannot access",
    "not extensible",
    "Right-hand side of",
    "\\[object ",
    "Out of memory",
    "Invalid time value",
    "Array size is not",
    "proxy",
    "Symbol\\(",
  ].join("|"),
);

/** Why `err` is not an answer Python would give; `undefined` when it is. */
function misjudged(err: unknown, args: unknown[]): string | undefined {
  if (err instanceof CallerError) return undefined;
  // A revoked Proxy throws from any use: the caller's object raising, which
  // Python lets through as it is.
  if (
    args.includes(revoked.proxy) && err instanceof TypeError &&
    /revoked/.test(err.message)
  ) return undefined;
  if (!(err instanceof Error)) return `threw a non-Error: ${String(err)}`;
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string" && code.startsWith("ERR_")) {
    return `the runtime's ${code}: ${err.message}`;
  }
  const python = err.constructor === TypeError ||
    PYTHON_CLASSES.some((Class) => err instanceof Class);
  if (!python) return `${err.name} is not Python's: ${err.message}`;
  if (RUNTIME_WORDING.test(err.message)) {
    return `${err.name} in the runtime's words: ${err.message}`;
  }
  return undefined;
}

/** pysocket's open sockets, from its descriptor table. */
function openSockets(): number {
  let n = 0;
  for (let fd = 3; fd < 4096; fd++) if (descriptor(fd) !== undefined) n++;
  return n;
}

/** Closes what a call returned: sockets, pairs, files, servers, selectors. */
async function release(value: unknown, depth = 0): Promise<void> {
  if (depth > 2 || typeof value !== "object" || value === null) return;
  if (value instanceof Error) return;
  try {
    if (Array.isArray(value)) {
      if (value.length > 8) return;
      for (const v of value) await release(v, depth + 1);
      return;
    }
    const closer = (value as { server_close?: unknown }).server_close ??
      (value as { close?: unknown }).close;
    if (typeof closer === "function") await closer.call(value);
  } catch {
    // released as far as it lets itself be
  }
}

// ------------------------------------------------------------ the cases

/** A target of calls: what to call, on what, and how to clean up. */
interface Target {
  /** `socket.recv`, `select.select`, … */
  name: string;
  /** Makes the receiver (`this`) and what to close afterwards. */
  setup(): Promise<{ self: unknown; cleanup(): Promise<void> }>;
  /** Calls it. */
  call(self: unknown, args: unknown[]): unknown;
  /** How many arguments it takes, about. */
  arity: number;
  /**
   * The call may wait forever, as in Python (a `select` without a
   * timeout on sockets that never become ready).
   */
  mayBlock?(args: unknown[]): boolean;
  /** Rewrites arguments that would reach the filesystem (AF_UNIX paths). */
  safe?(args: unknown[]): unknown[];
  /**
   * Pool values it is not given: ones it would rightly work through for
   * seconds (`DER_cert_to_PEM_cert` encodes 256 MiB as Python would).
   */
  avoid?: string[];
}

/** AF_UNIX paths become Linux abstract names: nothing lands on disk. */
function abstractPaths(args: unknown[]): unknown[] {
  return args.map((a) =>
    typeof a === "string"
      ? `\0pysocket-fuzz-${Math.random().toString(36).slice(2)}${
        a.slice(0, 16)
      }`
      : a
  );
}

const noSetup = () =>
  Promise.resolve({ self: undefined, cleanup: async () => {} });

/** A module's exported functions and classes (classes are constructed). */
function moduleTargets(prefix: string, mod: Record<string, unknown>): Target[] {
  const targets: Target[] = [];
  for (const [name, value] of Object.entries(mod)) {
    if (typeof value !== "function") continue;
    const isClass = /^class[\s{]/.test(Function.prototype.toString.call(value));
    const fn = value as (...args: unknown[]) => unknown;
    targets.push({
      name: `${prefix}.${name}`,
      setup: noSetup,
      call: (_self, args) =>
        isClass
          ? Reflect.construct(fn, args)
          : Reflect.apply(fn, undefined, args),
      arity: fn.length,
      safe: /Unix/.test(name) ? abstractPaths : undefined,
    });
  }
  return targets;
}

/** Methods of a class's prototype (public, not accessors). */
function methodNames(proto: object, skip: string[] = []): string[] {
  const names = new Set<string>();
  for (
    let p = proto;
    p !== null && p !== Object.prototype;
    p = Object.getPrototypeOf(p)
  ) {
    for (const name of Object.getOwnPropertyNames(p)) {
      const desc = Object.getOwnPropertyDescriptor(p, name);
      if (
        name === "constructor" || name.startsWith("_") || skip.includes(name)
      ) continue;
      if (desc === undefined || typeof desc.value !== "function") continue;
      names.add(name);
    }
  }
  return [...names].sort();
}

function methodTargets(
  prefix: string,
  proto: object,
  setup: Target["setup"],
  options: {
    skip?: string[];
    mayBlock?: Record<string, (a: unknown[]) => boolean>;
    /** For every method, or by method name. */
    safe?: Target["safe"] | Record<string, Target["safe"]>;
  } = {},
): Target[] {
  return methodNames(proto, options.skip).map((name) => ({
    name: `${prefix}.${name}`,
    setup,
    call: (self, args) =>
      Reflect.apply(
        (self as Record<string, (...a: unknown[]) => unknown>)[name],
        self,
        args,
      ),
    arity: ((proto as Record<string, { length?: number }>)[name]?.length) ?? 2,
    mayBlock: options.mayBlock?.[name],
    safe: typeof options.safe === "function"
      ? options.safe
      : options.safe?.[name],
  }));
}

/** The sockets methods are called on: each kind, fresh for every case. */
async function socketOf(
  kind: string,
): Promise<{ self: unknown; cleanup(): Promise<void> }> {
  const made: socket.Socket[] = [];
  const track = <S extends socket.Socket>(s: S) => (made.push(s), s);
  let self: socket.Socket;
  switch (kind) {
    case "udp":
      self = track(socket.socket(socket.AF_INET, socket.SOCK_DGRAM));
      break;
    case "unix":
      self = track(socket.socket(socket.AF_UNIX));
      break;
    case "listener":
      self = track(socket.socket());
      self.bind(["127.0.0.1", 0]);
      self.listen();
      break;
    case "connected": {
      const server = track(socket.socket());
      server.bind(["127.0.0.1", 0]);
      server.listen();
      self = track(socket.socket());
      await self.connect(server.getsockname() as [string, number]);
      track((await server.accept())[0]);
      break;
    }
    case "closed":
      self = track(socket.socket());
      break;
    default:
      self = track(socket.socket());
  }
  self.setblocking(false);
  if (kind === "closed") self.close();
  const fd = self.fileno();
  return {
    self,
    async cleanup() {
      // A detach()ed socket stays open, as in Python: adopt and close it.
      if (fd > 0 && self.fileno() === -1 && descriptor(fd) !== undefined) {
        socket.socket(-1, -1, -1, fd).close();
      }
      for (const s of made) await s[Symbol.asyncDispose]();
    },
  };
}

const SOCKET_KINDS = ["tcp", "udp", "unix", "listener", "connected", "closed"];

function socketTargets(): Target[] {
  const targets: Target[] = [];
  for (const kind of SOCKET_KINDS) {
    targets.push(
      ...methodTargets(
        `socket(${kind})`,
        socket.Socket.prototype,
        () => socketOf(kind),
        {
          safe: kind === "unix" ? abstractPaths : undefined,
        },
      ),
    );
  }
  return targets;
}

/**
 * A timeout argument (at `at`, in seconds × `unit`) that would make a
 * valid call wait as long as Python lets it (none, negative for poll, or
 * longer than a case may take) becomes 10 ms: the call still checks the
 * arguments, and no wait outlives its case.
 */
function shortTimeout(at: number, unit = 1): (args: unknown[]) => unknown[] {
  return (args) => {
    const out = [...args];
    const t = out[at];
    const number = typeof t === "number" || typeof t === "bigint" ||
      typeof t === "boolean";
    if (
      t === null || t === undefined ||
      (number && !(Number(t) * unit <= 0.01 && Number(t) >= 0))
    ) {
      if (at >= out.length) { while (out.length < at) out.push(undefined); }
      out[at] = 0.01 / unit;
    }
    return out;
  };
}

function selectTargets(): Target[] {
  const targets = moduleTargets(
    "select",
    select as unknown as Record<string, unknown>,
  )
    .map((t) =>
      t.name === "select.select" ? { ...t, safe: shortTimeout(3) } : t
    );
  targets.push(
    ...methodTargets(
      "poll()",
      Object.getPrototypeOf(select.poll()),
      () => Promise.resolve({ self: select.poll(), cleanup: async () => {} }),
      { safe: { poll: shortTimeout(0, 1e-3) } },
    ),
  );
  targets.push(
    ...moduleTargets(
      "selectors",
      selectors as unknown as Record<string, unknown>,
    ),
  );
  for (const Class of [selectors.DefaultSelector, selectors.SelectSelector]) {
    targets.push(
      ...methodTargets(Class.name, Class.prototype, () => {
        const self = new Class();
        return Promise.resolve({
          self,
          cleanup: () => Promise.resolve(self.close()),
        });
      }, { safe: { select: shortTimeout(0) } }),
    );
  }
  return targets;
}

function serverTargets(): Target[] {
  const targets = moduleTargets(
    "socketserver",
    socketserver as unknown as Record<string, unknown>,
  );
  const setup = () => {
    const self = new socketserver.TCPServer(
      ["127.0.0.1", 0],
      socketserver.BaseRequestHandler,
    );
    return Promise.resolve({
      self,
      cleanup: async () => {
        await self.server_close();
      },
    });
  };
  // serve_forever(), handle_request(), shutdown() and get_request() wait,
  // as in Python, for requests (or for a loop) that never come.
  const skip = ["serve_forever", "handle_request", "shutdown", "get_request"];
  targets.push(
    ...methodTargets("TCPServer", socketserver.TCPServer.prototype, setup, {
      skip,
    }),
  );
  return targets;
}

function sslTargets(): Target[] {
  const targets = moduleTargets(
    "ssl",
    ssl as unknown as Record<string, unknown>,
  ).map((t) =>
    t.name === "ssl.DER_cert_to_PEM_cert"
      ? { ...t, avoid: ["256 MiB view", "256 MiB DataView"] }
      : t
  );
  targets.push(
    ...methodTargets(
      "SSLContext",
      ssl.SSLContext.prototype,
      () =>
        Promise.resolve({
          self: new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT),
          cleanup: async () => {},
        }),
    ),
  );
  return targets;
}

function moduleTargetsOfSocket(): Target[] {
  return moduleTargets("socket", socket as unknown as Record<string, unknown>);
}

// ------------------------------------------------------------- the run

interface Outcome {
  settled: boolean;
  error?: unknown;
  value?: unknown;
}

async function runCase(
  target: Target,
  args: unknown[],
): Promise<{ outcome: Outcome; blocked: boolean }> {
  const { self, cleanup } = await target.setup();
  let outcome: Outcome = { settled: false };
  let settle: () => void = () => {};
  const settled = new Promise<void>((r) => settle = r);
  try {
    const result = target.call(self, target.safe ? target.safe(args) : args);
    // A request handler serves in its constructor, as Python's: what it
    // raised is in `handled` (JS constructors cannot wait).
    let handled: unknown;
    try {
      handled = typeof result === "object" && result !== null
        ? (result as { handled?: unknown }).handled
        : undefined;
    } catch {
      handled = undefined;
    }
    const pending = result instanceof Promise
      ? result
      : handled instanceof Promise
      ? handled.then(() => result)
      : undefined;
    if (pending !== undefined) {
      pending.then(
        (value) => (outcome = { settled: true, value }, settle()),
        (error) => (outcome = { settled: true, error }, settle()),
      );
    } else {
      outcome = { settled: true, value: result };
      settle();
    }
  } catch (error) {
    outcome = { settled: true, error };
    settle();
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    settled,
    new Promise((r) => timer = setTimeout(r, CALL_MS)),
  ]);
  clearTimeout(timer);
  let blocked = false;
  if (!outcome.settled) {
    // Closing what it waits on must settle it; a wait Python would do
    // forever is no hang.
    await cleanup();
    await Promise.race([settled, sleep(1000)]);
    blocked = !outcome.settled;
  } else {
    await release(outcome.value);
    await cleanup();
  }
  socket.setdefaulttimeout(null);
  return { outcome, blocked };
}

function fuzz(title: string, index: number, targets: () => Target[]): void {
  test(
    `fuzz: ${title} with wrong arguments answer with Python's errors, never hang nor leak (seed ${SEED}, ${CASES} cases)`,
    async () => {
      const random = prng(SEED * 7919 + index);
      const list = targets();
      const before = openSockets();
      const problems: string[] = [];
      for (let i = 0; i < CASES; i++) {
        const target = list[Math.floor(random() * list.length)];
        const drawn = drawArgs(random, target);
        const id = `seed ${SEED} #${i}: ${target.name}(${
          drawn.map((d) => d.label).join(", ")
        })`;
        if (env("PYSOCKET_FUZZ_VERBOSE") === "trace") console.log(id);
        const started = performance.now();
        const { outcome, blocked } = await runCase(
          target,
          drawn.map((d) => d.value),
        );
        const took = performance.now() - started;
        if (took > 500 && env("PYSOCKET_FUZZ_VERBOSE")) {
          console.log(`${id}: ${Math.round(took)} ms`);
        }
        if (blocked) {
          if (!target.mayBlock?.(drawn.map((d) => d.value))) {
            problems.push(
              `${id}: no answer in ${CALL_MS} ms, nor once its sockets closed`,
            );
          }
        } else if (outcome.error !== undefined) {
          const why = misjudged(outcome.error, drawn.map((d) => d.value));
          if (why !== undefined) problems.push(`${id}: ${why}`);
        }
        const open = openSockets();
        if (open > before) {
          problems.push(`${id}: ${open - before} socket(s) left open`);
          break;
        }
      }
      if (problems.length > 0) {
        throw new Error(
          `${problems.length} problems:\n${problems.slice(0, 40).join("\n")}`,
        );
      }
    },
    { timeout: Math.max(60_000, CASES * 200) },
  );
}

fuzz("socket's functions and classes", 1, moduleTargetsOfSocket);
fuzz(
  "socket objects' methods (fresh, UDP, Unix, listening, connected, closed)",
  2,
  socketTargets,
);
fuzz("select and selectors", 3, selectTargets);
fuzz("socketserver", 4, serverTargets);
fuzz("ssl", 5, sslTargets);
