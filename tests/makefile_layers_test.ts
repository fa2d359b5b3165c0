// Copyright the pysocket authors. MIT license.
// makefile()'s three layers (SocketIO, the buffered reader/writer/pair,
// TextIOWrapper) fed by a fake socket that receives exactly the chunks a
// test scripts and takes what each send is scripted to take: splits across
// packets, would-block and timeouts happen where the table puts them, never
// where TCP happens to coalesce. The same scripts run through CPython's own
// socket.makefile() over the same fake (tests/_makefile_fake.py), and every
// result, error, recv/send call and byte sent must be CPython's. Reading is
// checked to be linear in the bytes read by counting the work done.

import {
  assert,
  assertEquals,
  assertInstanceOf,
  assertRejects,
  assertThrows,
} from "@std/assert";
import * as socket from "../mod.ts";
import {
  type FileSocket,
  makefile,
  type MakefileOptions,
} from "../src/socket/makefile/mod.ts";
import { readsDirectly } from "../src/socket/makefile/socket_io.ts";
import { noPython, pythonJson, readTextFile, test } from "./_util.ts";

/** A scripted receive: bytes (a latin-1 string), or an error. */
type Chunk = string | { error: "EAGAIN" | "timeout" };
/** A scripted send: the most bytes it takes, or would-block. */
type SendStep = number | "EAGAIN";
/** An argument: bytes `{ b }`, a fresh buffer `{ buf: n }`, or JSON. */
type Arg = string | number | null | { b: string } | { buf: number } | Arg[];
/** `[method, ...args]`; `@name` reads an attribute; `iter`, `repr`. */
type Op = [string, ...Arg[]];

interface Case {
  name: string;
  mode: string;
  buffering?: number | null;
  options?: MakefileOptions;
  recv?: Chunk[];
  send?: SendStep[];
  ops: Op[];
}

/** What a run gives: each op's result or error, the calls, the bytes sent. */
interface Outcome {
  make?: unknown;
  results?: unknown[];
  log: unknown[];
  sent?: unknown;
}

const EMPTY = new Uint8Array(0);

function latin1(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

function bytesOf(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

/** A socket that receives and sends as scripted, logging each call. */
class FakeSocket implements FileSocket {
  log: unknown[] = [];
  #recv: (Uint8Array | Chunk)[];
  #at = 0;
  #send: SendStep[];
  #sent: number[] = [];

  constructor(recv: (Chunk | Uint8Array)[] = [], send: SendStep[] = []) {
    this.#recv = recv.map((c) => typeof c === "string" ? bytesOf(c) : c);
    this.#send = [...send];
  }

  get sent(): Uint8Array {
    return Uint8Array.from(this.#sent);
  }

  /** The next `n` scripted bytes, or its error; end of stream after. */
  #next(n: number): Uint8Array {
    if (n === 0 || this.#at === this.#recv.length) return EMPTY;
    const item = this.#recv[this.#at];
    if (!(item instanceof Uint8Array)) {
      this.#at++;
      throw (item as { error: string }).error === "timeout"
        ? new socket.TimeoutError("timed out")
        : new socket.BlockingIOError(11, "Resource temporarily unavailable");
    }
    if (item.length > n) {
      this.#recv[this.#at] = item.subarray(n);
      return item.subarray(0, n);
    }
    this.#at++;
    return item;
  }

  recv(bufsize: number): Promise<Uint8Array> {
    this.log.push(["recv", bufsize]);
    try {
      return Promise.resolve(this.#next(bufsize));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  recv_into(buffer: Uint8Array): Promise<number> {
    this.log.push(["recv", buffer.length]);
    try {
      const chunk = this.#next(buffer.length);
      buffer.set(chunk);
      return Promise.resolve(chunk.length);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  send(data: Uint8Array): Promise<number> {
    this.log.push(["send", data.length]);
    const step = this.#send.shift();
    if (step === "EAGAIN") {
      return Promise.reject(
        new socket.BlockingIOError(11, "Resource temporarily unavailable"),
      );
    }
    const n = Math.min(step ?? data.length, data.length);
    this.#sent.push(...data.subarray(0, n));
    return Promise.resolve(n);
  }

  fileno(): number {
    return 7;
  }
}

// It stands for the library's own sockets, whose recv(n) a file's read(n)
// calls (a subclass's recv_into() is called instead: tests/subclass_test.ts).
readsDirectly(FakeSocket.prototype);

function decode(arg: Arg): unknown {
  if (Array.isArray(arg)) return arg.map(decode);
  if (arg !== null && typeof arg === "object") {
    return "b" in arg ? bytesOf(arg.b) : new Uint8Array(arg.buf);
  }
  return arg;
}

function encode(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Uint8Array) return { b: latin1(value) };
  if (Array.isArray(value)) return value.map(encode);
  if (typeof value === "object") {
    return { repr: String(value).replaceAll(/0x[0-9a-f]+/g, "0x?") };
  }
  return value;
}

function failure(err: unknown): unknown {
  const e = err as Error & { characters_written?: number };
  const out: Record<string, unknown> = { error: e.name, message: e.message };
  if (
    err instanceof socket.BlockingIOError && e.characters_written !== undefined
  ) {
    out.written = e.characters_written;
  }
  return out;
}

/** Runs a case on pysocket's layers. */
async function runCase(c: Case): Promise<Outcome> {
  const sock = new FakeSocket(c.recv, c.send);
  // deno-lint-ignore no-explicit-any
  let f: any;
  try {
    f = makefile(
      sock,
      c.mode,
      c.buffering ?? null,
      c.options ?? {},
      () => sock.log.push(["release"]),
    );
  } catch (err) {
    return { make: failure(err), log: sock.log };
  }
  const results: unknown[] = [];
  for (const [name, ...raw] of c.ops) {
    const args = raw.map(decode);
    try {
      let value: unknown;
      if (name === "iter") {
        const lines = [];
        for await (const line of f) lines.push(line);
        value = lines;
      } else if (name === "repr") value = { toString: () => String(f) };
      else if (name.startsWith("@")) value = f[name.slice(1)];
      else if (name === "readinto" || name === "readinto1") {
        const n = await f[name](args[0]);
        value = [n, args[0]];
      } else value = await f[name](...args);
      results.push(encode(value));
    } catch (err) {
      results.push(failure(err));
    }
  }
  return { results, log: [...sock.log], sent: { b: latin1(sock.sent) } };
}

/** Runs the cases through CPython's socket.makefile() over the same fake. */
async function cpython(cases: Case[]): Promise<Outcome[]> {
  const script = await readTextFile(
    new URL("./fixtures/makefile_fake.py", import.meta.url),
  );
  return await pythonJson(script, cases) as Outcome[];
}

const EAGAIN = { error: "EAGAIN" } as const;
const TIMEOUT = { error: "timeout" } as const;

/** What every buffered or raw binary file reports about itself. */
const IOBASE: Op[] = [
  ["readable"],
  ["writable"],
  ["seekable"],
  ["isatty"],
  ["fileno"],
  ["tell"],
  ["seek", 0],
  ["seek", 0, 1],
  ["seek", 0, 9],
  ["truncate"],
  ["@closed"],
];

/** Every method once more, after close(). */
const AFTER_CLOSE: Op[] = [
  ["close"],
  ["close"],
  ["@closed"],
  ["readable"],
  ["writable"],
  ["seekable"],
  ["isatty"],
  ["fileno"],
  ["tell"],
  ["seek", 0],
  ["truncate"],
  ["flush"],
  ["read", 1],
  ["read"],
  ["readline"],
  ["readlines"],
  ["iter"],
  ["writelines", []],
];

const CASES: Case[] = [
  // ---- BufferedReader ----
  {
    name: "rb read(n) gathers small chunks, keeps the rest buffered",
    mode: "rb",
    recv: ["ab", "cd", "efg", "h"],
    ops: [["read", 5], ["read", 1], ["read", 0], ["read"], ["read", 3]],
  },
  {
    name: "rb read(n) past the buffer goes to the socket in whole buffers",
    mode: "rb",
    buffering: 4,
    recv: ["abcdefghij", "klmnop", "q", "rstuvwxyz"],
    ops: [["read", 1], ["read", 13], ["read", 2], ["read", 100]],
  },
  {
    name: "rb read(n) with a buffer size that is not a power of two",
    mode: "rb",
    buffering: 5,
    recv: ["0123456789abcdef", "ghijklmnopq"],
    ops: [["read", 12], ["read", 11], ["read"]],
  },
  {
    name: "rb read() arguments as CPython checks them",
    mode: "rb",
    recv: ["abc"],
    ops: [
      ["read", -2],
      ["read", null],
      ["read", "x"],
      ["read", 1.5],
      ["read", -1],
    ],
  },
  {
    name: "rb readline() joins a line split across chunks",
    mode: "rb",
    recv: ["ab", "c\nde", "f", "g\n\nh", "i"],
    ops: [["readline"], ["readline"], ["readline"], ["readline"], [
      "readline",
    ]],
  },
  {
    name: "rb readline(size) stops at size, across chunks",
    mode: "rb",
    buffering: 4,
    recv: ["abc", "defgh\nij", "klmnopqrstu\n", "v"],
    ops: [
      ["readline", 2],
      ["readline", 0],
      ["readline", 4],
      ["readline", 10],
      ["readline", -5],
      ["readline", null],
      ["readline", 1.5],
      ["readline", 3],
    ],
  },
  {
    name: "rb readlines(hint) stops once the lines total more than hint",
    mode: "rb",
    recv: ["ab\ncd\nef\ngh\n", "ij\n"],
    ops: [["readlines", 3], ["readlines", 1], ["readlines", 0], [
      "readlines",
      1.5,
    ]],
  },
  {
    name: "rb iteration yields lines to end of stream",
    mode: "rb",
    recv: ["one\ntw", "o\n", "three"],
    ops: [["iter"], ["iter"]],
  },
  {
    name: "rb read1, peek, readinto, readinto1",
    mode: "rb",
    buffering: 4,
    recv: ["abcdef", "ghijklmnopqrstuvwxyz", "0123456789"],
    ops: [
      ["peek"],
      ["peek", 100],
      ["read1", 2],
      ["read1"],
      ["read1", -3],
      ["read1", 0],
      ["readinto", { buf: 3 }],
      ["readinto", { buf: 9 }],
      ["readinto1", { buf: 6 }],
      ["readinto", { buf: 0 }],
      ["readinto", { buf: 20 }],
      ["readinto", { buf: 2 }],
      ["read1", null],
      ["peek", null],
      ["readinto", "abc"],
    ],
  },
  {
    name:
      "rb on a non-blocking socket: None from read and readinto, what it has from the others",
    mode: "rb",
    recv: [
      EAGAIN,
      EAGAIN,
      EAGAIN,
      EAGAIN,
      EAGAIN,
      EAGAIN,
      "ab",
      EAGAIN,
      "cd",
      EAGAIN,
      "ef",
      EAGAIN,
      "gh",
      EAGAIN,
    ],
    ops: [
      ["read", 5],
      ["read"],
      ["readinto", { buf: 4 }],
      ["readline"],
      ["read1", 4],
      ["peek"],
      ["read", 5],
      ["readline"],
      ["read"],
      ["readinto", { buf: 4 }],
    ],
  },
  {
    name:
      "rb after a timeout SocketIO refuses to read, the buffer still serves",
    mode: "rb",
    recv: ["abc", TIMEOUT, "late"],
    ops: [["read", 1], ["read", 5], ["read", 2], ["read", 1], ["readline"]],
  },
  {
    name: "rb reports as io.BufferedReader",
    mode: "rb",
    ops: [
      ...IOBASE,
      ["@name"],
      ["@mode"],
      ["@raw"],
      ["repr"],
      ["write", { b: "x" }],
      ["writelines", []],
      ["writelines", [{ b: "x" }]],
      ["flush"],
    ],
  },
  {
    name: "rb closed: each method in BufferedReader's words",
    mode: "rb",
    recv: ["data"],
    ops: [
      ...AFTER_CLOSE,
      ["read1"],
      ["peek"],
      ["readinto", { buf: 2 }],
      ["write", { b: "x" }],
      ["@name"],
      ["repr"],
      ["detach"],
    ],
  },
  {
    name: "rb detach() hands over the raw file",
    mode: "rb",
    recv: ["abc"],
    ops: [
      ["read", 1],
      ["detach"],
      ["@raw"],
      ["read", 1],
      ["@closed"],
      ["repr"],
      ["close"],
      ["detach"],
    ],
  },
  // ---- SocketIO (buffering 0) ----
  {
    name: "rb unbuffered: one recv per read; readline a byte at a time",
    mode: "rb",
    buffering: 0,
    recv: ["abcdef", "g\nh", "ij"],
    ops: [
      ["read", 3],
      ["read", 10],
      ["readline"],
      ["read", 0],
      ["readinto", { buf: 2 }],
      ["readall"],
      ["read"],
    ],
  },
  {
    name: "rb unbuffered: arguments and readlines",
    mode: "rb",
    buffering: 0,
    recv: ["ab\ncd\n", "ef"],
    ops: [
      ["read", null],
      ["read", 1.5],
      ["readline", 1.5],
      ["readline", 1],
      ["readlines", 2],
      ["readlines"],
      ["readinto", "x"],
    ],
  },
  {
    name:
      "rb unbuffered on a non-blocking socket: None, and readline's OSError",
    mode: "rb",
    buffering: 0,
    recv: [EAGAIN, EAGAIN, EAGAIN, "ab", EAGAIN, "c", EAGAIN, EAGAIN],
    ops: [
      ["read", 4],
      ["readinto", { buf: 2 }],
      ["readall"],
      ["readall"],
      ["readline"],
      ["read"],
    ],
  },
  {
    name: "rb unbuffered: timed out, then refused",
    mode: "rb",
    buffering: 0,
    recv: [TIMEOUT, "x"],
    ops: [["read", 1], ["read", 1], ["readinto", { buf: 1 }]],
  },
  {
    name: "rwb unbuffered: one send per write, None when it would block",
    mode: "rwb",
    buffering: 0,
    send: [2, "EAGAIN", 1],
    ops: [
      ["write", { b: "hello" }],
      ["write", { b: "xyz" }],
      ["writelines", [{ b: "ab" }, { b: "cd" }]],
      ["write", "str"],
      ...IOBASE,
      ["@name"],
      ["@mode"],
    ],
  },
  {
    name: "wb unbuffered: reading is UnsupportedOperation; closed",
    mode: "wb",
    buffering: 0,
    ops: [
      ["read", 1],
      ["readinto", { buf: 1 }],
      ["readline"],
      ["readlines"],
      ["iter"],
      ...AFTER_CLOSE,
      ["write", { b: "x" }],
      ["readinto", { buf: 1 }],
      ["readall"],
      ["@name"],
    ],
  },
  // ---- BufferedWriter ----
  {
    name:
      "wb buffers what fits and sends the buffer, then the data, when it does not",
    mode: "wb",
    buffering: 4,
    ops: [
      ["write", { b: "abc" }],
      ["write", { b: "de" }],
      ["write", { b: "fghijk" }],
      ["write", { b: "" }],
      ["write", { b: "lm" }],
      ["flush"],
      ["flush"],
      ["writelines", [{ b: "no" }, { b: "pqr" }]],
      ["close"],
    ],
  },
  {
    name: "wb flush sends with as many sends as it takes",
    mode: "wb",
    buffering: 8,
    send: [1, 2, 0, 100, 3],
    ops: [["write", { b: "abcdef" }], ["flush"], [
      "write",
      { b: "0123456789abcdefghij" },
    ], ["flush"]],
  },
  {
    name:
      "wb on a non-blocking socket: BlockingIOError with characters_written",
    mode: "wb",
    buffering: 8,
    send: ["EAGAIN", "EAGAIN", "EAGAIN", 3, "EAGAIN", "EAGAIN", 100],
    ops: [
      ["write", { b: "abcde" }],
      ["write", { b: "0123456789abcdefghij" }],
      ["flush"],
      ["write", { b: "XY" }],
      ["flush"],
      ["write", { b: "Z" }],
      ["close"],
      ["@closed"],
    ],
  },
  {
    name:
      "wb non-blocking: what is sent of a large write before it would block",
    mode: "wb",
    buffering: 4,
    send: [5, "EAGAIN", 100],
    ops: [["write", { b: "0123456789abcdefghij" }], ["flush"]],
  },
  {
    name: "wb reports as io.BufferedWriter; reading is UnsupportedOperation",
    mode: "wb",
    ops: [
      ...IOBASE,
      ["@name"],
      ["@mode"],
      ["@raw"],
      ["repr"],
      ["read"],
      ["read", 1],
      ["read1"],
      ["readinto", { buf: 1 }],
      ["readinto1", { buf: 1 }],
      ["readline"],
      ["readlines"],
      ["iter"],
      ["write", "str"],
    ],
  },
  {
    name: "wb closed: each method in BufferedWriter's words",
    mode: "wb",
    ops: [
      ["write", { b: "abc" }],
      ...AFTER_CLOSE,
      ["write", { b: "x" }],
      ["writelines", [{ b: "x" }]],
      ["read1"],
      ["@name"],
      ["repr"],
      ["detach"],
    ],
  },
  {
    name: "wb detach() flushes and hands over the raw file",
    mode: "wb",
    ops: [
      ["write", { b: "abc" }],
      ["detach"],
      ["write", { b: "x" }],
      ["flush"],
      ["repr"],
    ],
  },
  // ---- BufferedRWPair ----
  {
    name: "rwb readline() peeks and reads, as IOBase.readline over a pair",
    mode: "rwb",
    recv: ["abc", "defgh\nij", "kl\n", "mnopqrstuvw\n", "x"],
    ops: [
      ["readline", 5],
      ["readline"],
      ["readline", 0],
      ["readline", 3],
      ["readline"],
      ["readline"],
      ["readline"],
    ],
  },
  {
    name: "rwb reads and writes through one raw file",
    mode: "rwb",
    buffering: 4,
    recv: ["hello\nworld"],
    ops: [
      ["write", { b: "ab" }],
      ["read", 3],
      ["write", { b: "cdefgh" }],
      ["peek"],
      ["read1", 2],
      ["readinto", { buf: 3 }],
      ["readinto1", { buf: 3 }],
      ["readlines"],
      ["flush"],
      ...IOBASE,
      ["repr"],
      ["detach"],
      ["close"],
      ["close"],
    ],
  },
  {
    name: "rwb on a non-blocking socket: readline's OSError",
    mode: "rwb",
    recv: [EAGAIN, EAGAIN, "ab", EAGAIN, EAGAIN, "cd\n"],
    ops: [["readline"], ["read", 2], ["readline"], ["readline"]],
  },
  {
    name: "rwb closed: each method in the pair's words",
    mode: "rwb",
    ops: [
      ...AFTER_CLOSE,
      ["read1"],
      ["peek"],
      ["readinto", { buf: 2 }],
      ["write", { b: "x" }],
      ["writelines", [{ b: "x" }]],
      ["detach"],
    ],
  },
  // ---- TextIOWrapper ----
  {
    name: "r decodes UTF-8 split across chunks, counting code points",
    mode: "r",
    recv: ["\xf0\x9f", "\x98", "\x80\xc3", "\xa9!\xe2\x82", "\xac\n", "ok"],
    ops: [
      ["read", 1],
      ["read", 2],
      ["readline"],
      ["read", 0],
      ["read"],
      ["read"],
    ],
  },
  {
    name: "r universal newlines join a \\r\\n split across chunks",
    mode: "r",
    recv: ["a\r", "\nb\r", "c\n", "\r", "\r\n", "d\r"],
    ops: [
      ["@newlines"],
      ["readline"],
      ["@newlines"],
      ["readline"],
      ["readline"],
      ["readline"],
      ["readline"],
      ["readline"],
      ["readline"],
      ["@newlines"],
    ],
  },
  {
    name: "r newline='' splits at any ending and keeps it",
    mode: "r",
    options: { newline: "" },
    recv: ["a\r", "\nb\r", "c\n", "\r", "\r\n", "d\r"],
    ops: [["readlines"], ["@newlines"]],
  },
  {
    name: "r newline='\\r\\n' joins a \\r\\n split across chunks",
    mode: "r",
    options: { newline: "\r\n" },
    recv: ["a\r", "\nb\rc\n", "d\r", "\r", "\ne"],
    ops: [["readline"], ["readline"], ["readline"], ["readline"], [
      "@newlines",
    ]],
  },
  {
    name: "r newline='\\r' and '\\n' split at that ending only",
    mode: "r",
    options: { newline: "\r" },
    recv: ["a\r\nb", "\rc\nd"],
    ops: [["readlines"]],
  },
  {
    name: "r readline(size) counts code points across chunks",
    mode: "r",
    recv: ["ab\xf0\x9f", "\x98\x80cd", "efgh\nij\n", "k"],
    ops: [
      ["readline", 3],
      ["readline", 2],
      ["readline", 0],
      ["readline", 100],
      ["readline", -1],
      ["readline", null],
      ["readline", 1.5],
      ["readline"],
    ],
  },
  {
    name: "r read(n) larger than a chunk, and readlines(hint) in code points",
    mode: "r",
    buffering: 4,
    recv: [
      "x".repeat(9000),
      "\xc3\xa9".repeat(5000) + "\n",
      "\xf0\x9f\x98\x80\n",
      "ab\ncd\n",
    ],
    ops: [["read", 9005], ["read", 4996], ["readlines", 2], ["readlines"]],
  },
  {
    name: "r errors='replace' across chunks; strict decoding's error",
    mode: "r",
    options: { errors: "replace" },
    recv: ["caf\xc3", "\xa9\xff\n", "\xe2\x82", "x\xed\xa0\x80\n", "\xe2"],
    ops: [["readline"], ["readline"], ["read"]],
  },
  {
    name: "r strict: UnicodeDecodeError where CPython raises it",
    mode: "r",
    recv: ["ab", "c\xff\n"],
    ops: [["read", 2], ["read", 2]],
  },
  {
    name: "r strict: a character cut off by the end of the stream",
    mode: "r",
    recv: ["ab\xe2\x82"],
    ops: [["read"]],
  },
  {
    name: "r latin-1 and ascii",
    mode: "r",
    options: { encoding: "latin-1" },
    recv: ["caf\xe9\xff\n"],
    ops: [["readline"], ["@encoding"], ["@errors"]],
  },
  {
    name: "r ascii with errors='ignore'",
    mode: "r",
    options: { encoding: "ascii", errors: "ignore" },
    recv: ["caf\xc3\xa9\n"],
    ops: [["read"]],
  },
  {
    name:
      "r on a non-blocking socket: '' from read(n) and readline, read()'s TypeError",
    mode: "r",
    recv: [EAGAIN, EAGAIN, EAGAIN, "ab", EAGAIN, "cd", EAGAIN, "ef"],
    ops: [
      ["read", 5],
      ["readline"],
      ["read"],
      ["read", 5],
      ["readline"],
      ["read"],
    ],
  },
  {
    name: "r latin-1 read() on a non-blocking socket: the codec's TypeError",
    mode: "r",
    options: { encoding: "latin-1" },
    recv: [EAGAIN],
    ops: [["read"]],
  },
  {
    name: "r reports as io.TextIOWrapper",
    mode: "r",
    recv: ["x"],
    ops: [
      ...IOBASE,
      ["@name"],
      ["@mode"],
      ["@encoding"],
      ["@errors"],
      ["@newlines"],
      ["@line_buffering"],
      ["@write_through"],
      ["@buffer"],
      ["repr"],
      ["write", "x"],
      ["writelines", []],
      ["writelines", ["x"]],
      ["read", "x"],
    ],
  },
  {
    name: "r closed: each method in TextIOWrapper's words",
    mode: "r",
    ops: [...AFTER_CLOSE, ["write", "x"], ["@name"], ["@buffer"], [
      "repr",
    ], ["detach"]],
  },
  {
    name: "r detach() hands over the buffer",
    mode: "r",
    recv: ["abc"],
    ops: [
      ["read", 1],
      ["detach"],
      ["read", 1],
      ["readline"],
      ["write", "x"],
      ["@buffer"],
      ["repr"],
    ],
  },
  {
    name:
      "w encodes, translates newlines and hands 8192-byte chunks to the buffer",
    mode: "w",
    options: { newline: "\r\n" },
    ops: [
      ["write", "a\nb"],
      ["write", "é😀\n"],
      ["flush"],
      ["write", "x".repeat(5000)],
      ["write", "y".repeat(5000)],
      ["write", "z".repeat(9000)],
      ["writelines", ["1\n", "2\n"]],
      ["close"],
    ],
  },
  {
    name: "w newline='\\r' and errors on encoding",
    mode: "w",
    options: { newline: "\r", encoding: "ascii", errors: "replace" },
    ops: [["write", "a\nb\xe9"], ["write", "\ud83d\ude00"], ["close"]],
  },
  {
    name: "w strict encoding: UnicodeEncodeError",
    mode: "w",
    options: { encoding: "latin-1" },
    ops: [["write", "a😀b"], ["write", "ok"], ["close"]],
  },
  {
    name: "w on a non-blocking socket: BlockingIOError from write and flush",
    mode: "w",
    buffering: 16,
    send: ["EAGAIN", "EAGAIN", "EAGAIN", "EAGAIN"],
    ops: [
      ["write", "hello"],
      ["flush"],
      ["write", "x".repeat(9000)],
      [
        "flush",
      ],
      ["close"],
      ["@closed"],
    ],
  },
  {
    name: "w reports as io.TextIOWrapper; reading is UnsupportedOperation",
    mode: "w",
    ops: [
      ...IOBASE,
      ["@name"],
      ["@mode"],
      ["@newlines"],
      ["@buffer"],
      ["repr"],
      ["read"],
      ["read", 1],
      ["readline"],
      ["readlines"],
      ["iter"],
      ["write", { b: "x" }],
      ["write", 5],
    ],
  },
  {
    name: "rw has no name and no fileno, as a pair; reads and writes",
    mode: "rw",
    recv: ["line\n"],
    ops: [
      ...IOBASE,
      ["@mode"],
      ["repr"],
      ["write", "x"],
      ["readline"],
      ["flush"],
      ...AFTER_CLOSE,
    ],
  },
  // ---- makefile() itself ----
  {
    name: "makefile() rejects a text mode unbuffered",
    mode: "r",
    buffering: 0,
    ops: [],
  },
  {
    name: "makefile() rejects a bad newline",
    mode: "r",
    options: { newline: "x" },
    ops: [],
  },
  {
    name: "makefile() rejects an unknown encoding",
    mode: "r",
    options: { encoding: "utf-9" },
    ops: [],
  },
  {
    name: "makefile() rejects a non-str encoding",
    mode: "r",
    options: { encoding: 5 as unknown as string },
    ops: [],
  },
  {
    name: "makefile('b') is a reader; binary ignores text options",
    mode: "b",
    options: { encoding: "utf-9", newline: "x" },
    ops: [["repr"], ["@mode"]],
  },
  {
    name: "makefile('') is text, for reading",
    mode: "",
    recv: ["x"],
    ops: [["repr"], ["read"]],
  },
];

test(
  "makefile() layers answer as CPython's over the same scripted socket",
  async () => {
    const expected = await cpython(CASES);
    const differ: [string, Outcome, Outcome][] = [];
    for (const [i, c] of CASES.entries()) {
      const actual = await runCase(c);
      try {
        assertEquals(actual, expected[i]);
      } catch {
        differ.push([c.name, actual, expected[i]]);
      }
    }
    if (differ.length > 0) {
      const [name, actual, cpython] = differ[0];
      assertEquals(
        actual,
        cpython,
        `${differ.length} case(s) differ from CPython: ${
          differ.map(([n]) => n).join("; ")
        }. First: ${name}`,
      );
    }
  },
  { ignore: await noPython() },
);

// ---- the splits, asserted here too (they run without python3) ----

test("makefile() text layer decodes a UTF-8 character split over three recvs", async () => {
  const bytes = new TextEncoder().encode("😀é€!");
  const sock = new FakeSocket([
    latin1(bytes.subarray(0, 1)),
    latin1(bytes.subarray(1, 3)),
    latin1(bytes.subarray(3, 5)),
    latin1(bytes.subarray(5, 8)),
    latin1(bytes.subarray(8)),
  ]);
  const f = makefile(sock, "r");
  assertEquals(await f.read(1), "😀");
  assertEquals(await f.read(2), "é€");
  assertEquals(await f.read(), "!");
  // One recv per piece: the splits were there to decode.
  assertEquals(sock.log.length, 6);
  await f.close();
});

test("makefile() universal newlines join a \\r\\n split between two recvs", async () => {
  for (
    const [newline, lines] of [
      [null, ["a\n", "b\n", "c"]],
      ["", ["a\r\n", "b\r", "c"]],
      ["\r\n", ["a\r\n", "b\rc"]],
      ["\r", ["a\r", "\nb\r", "c"]],
      ["\n", ["a\r\n", "b\rc"]],
    ] as const
  ) {
    const sock = new FakeSocket(["a\r", "\nb", "\r", "c"]);
    const f = makefile(sock, "r", null, { newline });
    assertEquals(await f.readlines(), lines, JSON.stringify(newline));
    await f.close();
  }
});

test("makefile() binary readline joins a line over many recvs, the rest stays buffered", async () => {
  const sock = new FakeSocket(["ab", "c", "d\nef", "\n", "g"]);
  const f = makefile(sock, "rb", null, {}, () => sock.log.push(["release"]));
  assertEquals(latin1(await f.readline()), "abcd\n");
  assertEquals(latin1(await f.read(2)), "ef");
  assertEquals(latin1(await f.readline()), "\n");
  assertEquals(latin1(await f.readline()), "g");
  assertEquals(await f.readline(), EMPTY);
  await f.close();
  assertEquals(sock.log.at(-1), ["release"]);
});

test("makefile() read(n) over pieces of one received chunk returns them without a copy; pieces of two chunks are copied", async () => {
  // Buffer size 5000: the line's recv(5000), then the body's recv(5000)
  // cut one 10,000-byte chunk into pieces that lie one after another
  // (pieces of up to 4 KiB are copies: see README).
  const chunk = bytesOf("h\n" + "x".repeat(9998));
  const sock = new FakeSocket([chunk, "ab", "cd"]);
  const f = makefile(sock, "rb", 5000);
  assertEquals(latin1(await f.readline()), "h\n");
  const body = await f.read(9998);
  assertEquals(latin1(body), "x".repeat(9998));
  assert(body.buffer === chunk.buffer, "a view of the chunk");
  assertEquals([body.byteOffset, body.length], [2, 9998]);
  const two = await f.read(4);
  assertEquals(latin1(two), "abcd");
  assert(two.buffer !== chunk.buffer && two.buffer.byteLength === 4, "a copy");
  assertEquals(sock.log.filter((c) => (c as unknown[])[0] === "recv"), [
    ["recv", 5000],
    ["recv", 5000],
    ["recv", 5000],
    ["recv", 4998],
  ]);
  await f.close();
});

test("makefile() unbuffered file on a would-block socket: null from read, readinto and write", async () => {
  const sock = new FakeSocket([EAGAIN, EAGAIN, "ab"], ["EAGAIN", 1]);
  const f = makefile(sock, "rwb", 0);
  assertEquals(await f.read(4), null);
  assertEquals(await f.readinto(new Uint8Array(4)), null);
  assertEquals(latin1((await f.read(4))!), "ab");
  assertEquals(await f.write(bytesOf("xyz")), null);
  assertEquals(await f.write(bytesOf("xyz")), 1);
  assertEquals(latin1(sock.sent), "x");
  await f.close();
});

test("makefile() buffered writer on a would-block socket: BlockingIOError with characters_written", async () => {
  const sock = new FakeSocket([], ["EAGAIN", 100]);
  const f = makefile(sock, "wb", 4);
  assertEquals(await f.write(bytesOf("ab")), 2);
  const err = await assertRejects(
    () => f.write(bytesOf("cdefgh")),
    socket.BlockingIOError,
    "write could not complete without blocking",
  );
  assertEquals((err as socket.BlockingIOError).characters_written, 2);
  assertEquals((err as socket.BlockingIOError).errno, 11);
  await f.flush();
  assertEquals(latin1(sock.sent), "abcd");
  await f.close();
});

test("makefile() after a timed-out read the raw file refuses to read, as SocketIO does", async () => {
  const sock = new FakeSocket(["a", TIMEOUT, "late"]);
  const f = makefile(sock, "rb", 0);
  assertEquals(latin1((await f.read(5))!), "a");
  await assertRejects(() => f.read(5), socket.TimeoutError, "timed out");
  await assertRejects(
    () => f.read(5),
    socket.OSError,
    "cannot read from timed out object",
  );
  await f.close();
});

test("makefile() rw text: a write keeps what was decoded and not yet read (CPython drops it)", async () => {
  const sock = new FakeSocket(["one\ntwo\n"]);
  const f = makefile(sock, "rw");
  assertEquals(await f.readline(), "one\n");
  await f.write("ack\n");
  await f.flush();
  assertEquals(await f.readline(), "two\n");
  assertEquals(latin1(sock.sent), "ack\n");
  await f.close();
});

test("makefile() where Python has no attribute: BufferedWriter.peek (UnsupportedOperation), a pair's name and mode (AttributeError)", async () => {
  const w = makefile(new FakeSocket(), "wb");
  await assertRejects(() => w.peek(), socket.UnsupportedOperation, "peek");
  await w.close();
  const pair = makefile(new FakeSocket(), "rwb");
  const noAttribute = "'_io.BufferedRWPair' object has no attribute";
  assertThrows(() => pair.name, TypeError, `${noAttribute} 'name'`);
  assertThrows(() => pair.mode, TypeError, `${noAttribute} 'mode'`);
  assertEquals((pair as { raw?: unknown }).raw, undefined);
  await pair.close();
  assertThrows(() => pair.name, TypeError, `${noAttribute} 'name'`);
});

test("makefile() un-awaited calls run one at a time, in call order", async () => {
  const sock = new FakeSocket(["a\nb", "c\nd"]);
  const f = makefile(sock, "rb", 2);
  const calls = [f.readline(), f.read(1), f.readline(), f.read()];
  assertEquals((await Promise.all(calls)).map(latin1), [
    "a\n",
    "b",
    "c\n",
    "d",
  ]);
  const w = makefile(sock, "w");
  const writes = [w.write("x"), w.write("y"), w.flush(), w.write("z")];
  await Promise.all(writes);
  await w.close();
  assertEquals(latin1(sock.sent), "xyz");
  await f.close();
});

test("makefile() file objects are typed by mode", async () => {
  const raw = makefile(new FakeSocket(), "rb", 0);
  const buffered = makefile(new FakeSocket(), "rb");
  const text = makefile(new FakeSocket(), "r");
  const nullable: Uint8Array | null = await raw.read(1);
  const bytes: Uint8Array = await buffered.read(1);
  const str: string = await text.read(1);
  assertEquals([nullable, bytes, str], [EMPTY, EMPTY, ""]);
  assertInstanceOf(text.buffer, Object);
  for (const f of [raw, buffered, text]) await f.close();
});

// ---- linear work ----

/** A primitive's work on one call: bytes or UTF-16 units it touches. */
// deno-lint-ignore no-explicit-any
type Counter = (self: any, args: any[], result: any) => number;

/**
 * Runs `fn` counting the bytes and characters the copying and searching
 * primitives touch (typed-array `set`/`slice`/`indexOf`, `TextDecoder`,
 * string `slice`/`indexOf`/`includes`/`replaceAll`/`charCodeAt`, regex
 * matching, `join`); past `budget` the primitive throws, so a quadratic
 * regression fails fast instead of running for minutes.
 */
async function countWork(
  budget: number,
  fn: () => Promise<void>,
): Promise<number> {
  let total = 0;
  const undo: (() => void)[] = [];
  const patch = (proto: object, name: string, count: Counter) => {
    const target = proto as Record<string, (...args: unknown[]) => unknown>;
    const original = target[name];
    target[name] = function (this: unknown, ...args: unknown[]) {
      const result = original.apply(this, args);
      total += count(this, args, result);
      if (total > budget) {
        throw new Error(`more than ${budget} units of work: not linear`);
      }
      return result;
    };
    undo.push(() => target[name] = original);
  };
  const typed = Object.getPrototypeOf(Uint8Array.prototype);
  patch(typed, "set", (_s, [src]) => src.length);
  patch(typed, "slice", (_s, _a, r) => r.length);
  patch(
    typed,
    "indexOf",
    (s, [, from = 0], r) => r >= 0 ? r - from + 1 : s.length - from,
  );
  patch(
    TextDecoder.prototype,
    "decode",
    (_s, [input]) => input?.byteLength ?? 0,
  );
  // A string may be a rope that an operation first flattens: string
  // operations count the whole string.
  patch(String.prototype, "slice", (s) => s.length);
  patch(String.prototype, "indexOf", (s) => s.length);
  patch(String.prototype, "includes", (s) => s.length);
  patch(String.prototype, "charCodeAt", () => 1);
  patch(String.prototype, "codePointAt", () => 1);
  patch(String.prototype, "replaceAll", (s) => s.length);
  patch(Array.prototype, "join", (_s, _a, r) => r.length);
  patch(RegExp.prototype, "test", (_s, [input]) => String(input).length);
  patch(RegExp.prototype, "exec", (_s, [input]) => String(input).length);
  try {
    await fn();
  } finally {
    for (const restore of undo.reverse()) restore();
  }
  return total;
}

/** `n` bytes as `n` one-byte chunks. */
function oneByteChunks(bytes: Uint8Array): Uint8Array[] {
  return Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
}

function repeated(text: string, n: number): Uint8Array {
  const unit = new TextEncoder().encode(text);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = unit[i % unit.length];
  return out;
}

/** The UTF-8 length of `text`. */
function utf8(text: string): number {
  return new TextEncoder().encode(text).length;
}

/** Bytes in each scenario: enough that quadratic work (`N / 2` per byte) is far past the budget. */
const N = 64 * 1024;
/** Work allowed per byte read or written (CPython's layers do 1 to 3). */
const WORK_PER_BYTE = 24;

// deno-lint-ignore no-explicit-any
type AnyFile = any;

/** [name, mode, buffering, the bytes arriving a byte at a time, what to do, how much it must give]. */
const SCENARIOS: [
  string,
  string,
  number | null,
  Uint8Array,
  (f: AnyFile) => Promise<number>,
][] = [
  [
    "rb read(n)",
    "rb",
    null,
    repeated("x", N),
    async (f) => (await f.read(N)).length,
  ],
  [
    "rb read()",
    "rb",
    null,
    repeated("x", N),
    async (f) => (await f.read()).length,
  ],
  [
    "rb readline() of one long line",
    "rb",
    null,
    repeated("x".repeat(N - 1) + "\n", N),
    async (f) => (await f.readline()).length,
  ],
  [
    "rb readlines()",
    "rb",
    null,
    repeated("x".repeat(63) + "\n", N),
    async (f) => (await f.readlines()).length * 64,
  ],
  [
    "rb iteration",
    "rb",
    null,
    repeated("x".repeat(63) + "\n", N),
    async (f) => {
      let n = 0;
      for await (const line of f) n += line.length;
      return n;
    },
  ],
  [
    "rb readinto()",
    "rb",
    null,
    repeated("x", N),
    (f) => f.readinto(new Uint8Array(N)),
  ],
  [
    "rwb readline() of one long line",
    "rwb",
    null,
    repeated("x".repeat(N - 1) + "\n", N),
    async (f) => (await f.readline()).length,
  ],
  [
    "rb unbuffered readline()",
    "rb",
    0,
    repeated("x".repeat(N - 1) + "\n", N),
    async (f) => (await f.readline()).length,
  ],
  [
    "r read() of two-byte characters",
    "r",
    null,
    repeated("é", N),
    async (f) => utf8(await f.read()),
  ],
  [
    "r read(n) of two-byte characters",
    "r",
    null,
    repeated("é", N),
    async (f) => utf8(await f.read(N / 2)),
  ],
  [
    "r readline() of one long line",
    "r",
    null,
    repeated("é".repeat(N / 2 - 1) + "\r\n", N),
    async (f) => utf8(await f.readline()) + 1,
  ],
  [
    "r readline() with newline='\\r\\n'",
    "r",
    null,
    repeated("é".repeat(N / 2 - 1) + "\r\n", N),
    async (f) => utf8(await f.readline()),
  ],
  [
    "r readlines()",
    "r",
    null,
    repeated("x".repeat(62) + "\r\n", N),
    async (f) => (await f.readlines()).length * 64,
  ],
  ["r iteration", "r", null, repeated("x".repeat(63) + "\n", N), async (f) => {
    let n = 0;
    for await (const line of f) n += line.length;
    return n;
  }],
];

test("makefile() reading is linear in the bytes read, however small the chunks they arrive in", async () => {
  for (const [name, mode, buffering, data, read] of SCENARIOS) {
    const sock = new FakeSocket(oneByteChunks(data));
    const f = makefile(sock, mode, buffering, {
      newline: name.includes("newline") ? "\r\n" : null,
    });
    let got = 0;
    const work = await countWork(WORK_PER_BYTE * N, async () => {
      got = await read(f);
    });
    assertEquals(got, N, name);
    assert(work <= WORK_PER_BYTE * N, `${name}: ${work / N} per byte`);
    await f.close();
  }
});

test("makefile() writing is linear in the bytes written, a byte at a time", async () => {
  const writes: [string, string, (f: AnyFile) => Promise<unknown>][] = [
    ["wb", "wb", (f) => f.write(new Uint8Array([0x78]))],
    ["rwb", "rwb", (f) => f.write(new Uint8Array([0x78]))],
    ["w", "w", (f) => f.write("é")],
  ];
  for (const [name, mode, write] of writes) {
    const sock = new FakeSocket();
    const f = makefile(sock, mode);
    const work = await countWork(WORK_PER_BYTE * N, async () => {
      for (let i = 0; i < N; i++) await write(f);
      await f.flush();
    });
    assert(work <= WORK_PER_BYTE * N, `${name}: ${work / N} per byte`);
    assertEquals(sock.sent.length, name === "w" ? 2 * N : N, name);
    await f.close();
  }
});
