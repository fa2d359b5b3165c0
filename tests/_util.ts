// Copyright the pysocket authors. MIT license.
// Test helpers. Tests register with test() and reach the machine through
// the helpers re-exported here (processes, files, environment), which run
// the same on Deno, Node and Bun: no `Deno.` API in a conformance test.

import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { assert, assertEquals, assertInstanceOf } from "@std/assert";
import * as socket from "../mod.ts";
import {
  Child,
  env,
  makeTempDir,
  makeTempFile,
  remove,
  run,
  runtimeArgv,
  writeTextFile,
} from "./_harness/host.ts";

export {
  test,
  type TestContext,
  type TestFunction,
  type TestOptions,
} from "./_harness/test.ts";
export {
  Child,
  type ChildOptions,
  type ChildResult,
  env,
  exists,
  hostname,
  inspect,
  makeTempDir,
  makeTempFile,
  type OpenFile,
  openFile,
  readFile,
  readTextFile,
  remove,
  run,
  runtime,
  runtimeArgv,
  runtimeErrorClasses,
  symlink,
  writeFile,
  writeTextFile,
} from "./_harness/host.ts";

/** Rejects if `p` has not settled after `ms`: a hang. */
export function bounded<T>(
  p: Promise<T>,
  ms: number,
  what: string,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`hang: ${what} did not settle in ${ms} ms`)),
      ms,
    );
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Milliseconds taken by `fn`, and what it returned or threw. */
export async function timed<T>(
  fn: () => Promise<T>,
): Promise<{ ms: number; value?: T; error?: unknown }> {
  const start = performance.now();
  try {
    const value = await fn();
    return { ms: performance.now() - start, value };
  } catch (error) {
    return { ms: performance.now() - start, error };
  }
}

/**
 * The CPU time, in ms, the whole process used while `idle()` ran: the least
 * of up to three runs, stopping at the first under `limitMs`. The process's
 * CPU time counts every thread, so a collection or a compilation left over
 * from earlier tests can land in any one run; something that spins uses
 * most of every run. Returns every run's time, for the message.
 */
export async function idleCpuMs(
  idle: () => Promise<void>,
  limitMs: number,
): Promise<{ least: number; runs: number[] }> {
  const runs: number[] = [];
  while (runs.length < 3 && !(Math.min(...runs) < limitMs)) {
    const before = process.cpuUsage();
    await idle();
    const used = process.cpuUsage(before);
    runs.push((used.user + used.system) / 1000);
  }
  return { least: Math.min(...runs), runs };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** UTF-8 bytes of a string. */
export function b(text: string): Uint8Array {
  return encoder.encode(text);
}

/** A string from UTF-8 bytes. */
export function str(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/**
 * Runs `python3 -c script` with `input` as JSON on its stdin and returns
 * what it prints on stdout, parsed as JSON: how tests get CPython's answer.
 */
export async function pythonJson(
  script: string,
  input: unknown,
): Promise<unknown> {
  const { code, stdout, stderr } = await run("python3", ["-c", script], {
    input: JSON.stringify(input),
  });
  if (code !== 0) throw new Error(`python3 failed (${code}): ${stderr}`);
  return JSON.parse(stdout);
}

let python: boolean | undefined;

/**
 * Is `python3` on this machine? Interop tests skip with a visible notice
 * where it is not (a user's machine); in CI (`CI` set) it must be there.
 *
 * @throws {Error} In CI, when `python3` is missing.
 */
export async function hasPython(): Promise<boolean> {
  if (python === undefined) {
    try {
      python = (await run("python3", ["--version"])).code === 0;
    } catch {
      python = false;
    }
    if (!python) {
      if (env("CI")) {
        throw new Error("python3 is required in CI for the interop tests");
      }
      console.warn(
        "NOTICE: python3 not found: the Python interop tests are skipped.",
      );
    }
  }
  return python;
}

/**
 * Why the Python interop tests cannot run here, for `ignore:`: `false`
 * where `python3` is installed (in CI it must be: see {@linkcode hasPython}).
 *
 * @returns `false`, or the reason to skip.
 */
export async function noPython(): Promise<false | string> {
  return await hasPython() ? false : "python3 not found";
}

/** The CPython whose messages pysocket reproduces word for word. */
export const REFERENCE_PYTHON = "3.11.7";

let referencePython: false | string | undefined;

/**
 * Why the tests that compare messages with a live `python3` cannot run
 * here, for `ignore:`: `false` where `python3` is CPython 3.11.7, whose
 * texts pysocket reproduces (other builds word a few errors differently,
 * e.g. 3.11.2's `timestamp too large to convert to C _PyTime_t`).
 *
 * @returns `false`, or the reason to skip.
 */
export async function noReferencePython(): Promise<false | string> {
  if (referencePython !== undefined) return referencePython;
  const missing = await noPython();
  if (missing) return referencePython = missing;
  const { stdout } = await run("python3", ["--version"]);
  const version = stdout.trim().replace(/^Python /, "");
  return referencePython = version === REFERENCE_PYTHON ? false : (
    `these compare texts with CPython ${REFERENCE_PYTHON}; python3 here is ${version}`
  );
}

let seedDemo: false | string | undefined;

/**
 * Why the seed's demo cannot run here, for `ignore:`: it binds and connects
 * to `gethostname()`, which has to resolve (asked of `python3`). `false`
 * when it can; in CI (`CI` set) it must.
 *
 * @returns `false`, or the reason to skip.
 * @throws {Error} In CI, when `python3` is missing or the name does not
 * resolve.
 */
export async function noSeedDemo(): Promise<false | string> {
  if (seedDemo === undefined) {
    seedDemo = await noPython();
    if (seedDemo === false) {
      const { code } = await run("python3", [
        "-c",
        "import socket; socket.gethostbyname(socket.gethostname())",
      ]);
      if (code !== 0) {
        seedDemo = "the host name does not resolve: the seed's demo cannot run";
        if (env("CI")) throw new Error(seedDemo);
        console.warn(`NOTICE: ${seedDemo}; its interop tests are skipped.`);
      }
    }
  }
  return seedDemo;
}

/** A listening server on 127.0.0.1, a connected client, and the server's end. */
export async function tcpPair(): Promise<{
  server: TcpSocket;
  client: TcpSocket;
  conn: TcpSocket;
}> {
  const server = socket.socket();
  server.bind(["127.0.0.1", 0]);
  server.listen();
  const client = socket.socket();
  await client.connect(server.getsockname());
  const [conn] = await server.accept();
  return { server, client, conn };
}

/**
 * A connected pair over 127.0.0.1, its listener closed: `[client, the
 * server's end]`.
 */
export async function plainPair(): Promise<[TcpSocket, TcpSocket]> {
  const { server, client, conn } = await tcpPair();
  server.close();
  return [client, conn];
}

/** An AF_INET stream socket. */
export type TcpSocket = socket.Socket<
  typeof socket.AF_INET,
  typeof socket.SOCK_STREAM
>;

/** Closes sockets and waits until nothing they started is still running. */
export async function closeAll(...sockets: socket.Socket[]): Promise<void> {
  for (const s of sockets) await s[Symbol.asyncDispose]();
}

/** A TCP port on 127.0.0.1 that nothing listens on (bound, then released). */
export function freePort(): number {
  using probe = socket.socket();
  probe.bind(["127.0.0.1", 0]);
  return (probe.getsockname() as socket.IPv4Address)[1];
}

/** Everything `s` receives until its peer ends the stream. */
export async function recvUntilEnd(s: socket.Socket): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const chunk = await s.recv(65536);
    if (chunk.length === 0) break;
    parts.push(chunk);
    total += chunk.length;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** What console.error printed while `fn` ran (and nothing reaches stderr). */
export async function capturingStderr<T>(
  fn: () => Promise<T>,
): Promise<{ value: T; printed: string[] }> {
  const printed: string[] = [];
  const saved = console.error;
  console.error = (...args: unknown[]) => {
    printed.push(args.map(String).join(" "));
  };
  try {
    return { value: await fn(), printed };
  } finally {
    console.error = saved;
  }
}

/** A listening TCP socket on 127.0.0.1 (port 0) and its address. */
export function loopbackListener(): [socket.Socket, [string, number]] {
  const s = socket.socket();
  s.bind(["127.0.0.1", 0]);
  s.listen();
  return [s, s.getsockname() as [string, number]];
}

/**
 * What a call gave: its result, or the error's class and message
 * (`"TimeoutError: timed out"`), as a Python scenario prints it.
 */
export async function outcome(call: () => unknown): Promise<unknown> {
  try {
    return await call();
  } catch (err) {
    const e = err as Error;
    return `${e.constructor.name}: ${e.message}`;
  }
}

/** What a call throws or rejects with (`null` if it does not). */
export async function errorOf(call: () => unknown): Promise<Error | null> {
  try {
    await call();
    return null;
  } catch (e) {
    return e as Error;
  }
}

/** Runs `body` with a fresh temporary directory, removed after. */
export async function inTempDir(
  body: (dir: string) => Promise<void>,
): Promise<void> {
  const dir = await makeTempDir();
  try {
    await body(dir);
  } finally {
    await remove(dir, { recursive: true });
  }
}

/** Starts a CPython server; resolves to it and its address. */
export async function pythonServer(
  code: string,
): Promise<[Child, [string, number]]> {
  const child = new Child("python3", ["-c", code], { timeoutMs: 30_000 });
  const [, port] = await child.waitFor("stdout", /^(\d+)$/m);
  return [child, ["127.0.0.1", Number(port)]];
}

/**
 * A CPython listener whose accept queue is full (it filled it itself): a
 * connect to it never completes (its SYNs are dropped). For
 * {@linkcode pythonServer}.
 */
export const FULL_LISTENER = `
import socket, time
l = socket.socket(); l.bind(("127.0.0.1", 0)); l.listen(0)
fill = []
for i in range(3):
    c = socket.socket(); c.setblocking(False); c.connect_ex(l.getsockname())
    fill.append(c)
time.sleep(0.3)
print(l.getsockname()[1], flush=True)
time.sleep(60)
`;

/**
 * Runs a program in a child process of this runtime, with access to
 * 127.0.0.1: `source` gets the URL of pysocket's `mod.ts` and returns the
 * program's text, written to a temporary `.ts` file (removed after). `body`
 * gets the child, which is killed after it if still running.
 */
export async function withScript(
  source: (mod: string) => string,
  timeoutMs: number,
  body: (child: Child) => Promise<void>,
): Promise<void> {
  const script = await makeTempFile({ suffix: ".ts" });
  try {
    const mod = new URL("../mod.ts", import.meta.url).href;
    await writeTextFile(script, source(mod));
    const [cmd, ...args] = runtimeArgv(script, {
      denoFlags: ["--allow-net=127.0.0.1"],
    });
    const child = new Child(cmd, args, { timeoutMs });
    await using _child = child;
    await body(child);
  } finally {
    await remove(script);
  }
}

/** The error `call` rejects with (fails if it resolves). */
export async function rejection(
  call: () => Promise<unknown>,
): Promise<Error> {
  try {
    await call();
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected a rejection");
}

/** Asserts `err` is a `cls` with CPython's message. */
export function assertOSError(
  err: unknown,
  cls: new (...args: never[]) => Error,
  message: string,
): void {
  assertInstanceOf(err, cls);
  assertEquals((err as Error).message, message);
}

/**
 * Asserts `f` raises exactly `OSError` (no subclass) with `errno` and
 * CPython's message at once: a `bind()` of a port held, by default.
 */
export function assertRaisesOSError(
  f: () => unknown,
  errno = 98,
  message = "[Errno 98] Address already in use",
): void {
  let caught: unknown = null;
  try {
    f();
  } catch (err) {
    caught = err;
  }
  assert(caught !== null, "no error");
  const err = caught as socket.OSError;
  assertEquals(err.constructor, socket.OSError);
  assertEquals(err.errno, errno);
  assertEquals(err.message, message);
}

/** A socket's pending error, `getsockopt(SOL_SOCKET, SO_ERROR)` (taken). */
export const SO_ERROR = (s: socket.Socket): number =>
  s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR);

/** An upload the kernel's buffers cannot take whole: the peer reads none. */
export const UPLOAD = 8 << 20;

/** An HTTP server's answer to an upload too large, sent before it closes. */
export const ANSWER = "HTTP/1.1 413 Payload Too Large\r\n\r\ntoo large\n";

/** An error as `"Class errno message"`. */
export function describe(err: unknown): string {
  const { errno, message } = err as socket.OSError;
  return `${(err as Error).constructor.name} ${errno} ${message}`;
}

/**
 * The peer's part of an upload: reads the request's head, answers
 * {@linkcode ANSWER}, and closes with the upload unread (the kernel resets
 * the connection). It waits a moment first, so that the upload fills the
 * kernel's queue again (pysocket's read of the head may have taken all it
 * held).
 */
export function answerAndClose(conn: socket.Socket): Promise<void> {
  const done = (async () => {
    await conn.recv(10);
    await sleep(100);
    await conn.sendall(b(ANSWER));
    conn.close();
  })();
  // (Awaited by the test; a test that fails first closes the socket.)
  done.catch(() => {});
  return done;
}

/**
 * Sends a request's head, then an {@linkcode UPLOAD} with sendall() while
 * `peer` answers and closes ({@linkcode answerAndClose}): what that
 * sendall() raised (`null` if nothing), once the peer is done.
 */
export async function uploadToClosingPeer(
  client: socket.Socket,
  peer: socket.Socket,
  what = "sendall to a peer that closed",
): Promise<Error | null> {
  await client.sendall(b("POST /upload"));
  const done = answerAndClose(peer);
  const err = await bounded(
    errorOf(() => client.sendall(new Uint8Array(UPLOAD).fill(0x71))),
    10000,
    what,
  );
  await done;
  return err;
}

/**
 * Sends 64 KiB chunks with send(), {@linkcode UPLOAD}'s worth at the most,
 * until one fails (each bounded): that error, or `null`.
 */
export async function sendUntilError(
  client: socket.Socket,
): Promise<Error | null> {
  const chunk = new Uint8Array(65536).fill(0x71);
  let err: Error | null = null;
  for (let i = 0; i < UPLOAD / chunk.length && err === null; i++) {
    err = await bounded(
      errorOf(() => client.send(chunk)),
      10000,
      "send to a peer that closed",
    );
  }
  return err;
}

/**
 * What the receives return until the end of stream (each bounded): the
 * bytes, joined, then each error ({@linkcode describe}), then `""`; with
 * `stopAtError`, the first error ends the list instead.
 */
export async function drain(
  s: socket.Socket,
  { stopAtError = false }: { stopAtError?: boolean } = {},
): Promise<string[]> {
  const got: string[] = [];
  let bytes = "";
  for (let i = 0; i < 50; i++) {
    let chunk: Uint8Array;
    try {
      chunk = await bounded(s.recv(4096), 5000, "recv after a failed send");
    } catch (err) {
      if (bytes !== "") got.push(bytes);
      bytes = "";
      got.push(describe(err));
      if (stopAtError) return got;
      continue;
    }
    if (chunk.length === 0) break;
    bytes += str(chunk);
  }
  if (bytes !== "") got.push(bytes);
  got.push("");
  return got;
}

/**
 * A connection accepted from a CPython peer: runs `python3 -c script
 * <port>` (stdin piped) against a fresh listener on 127.0.0.1, waits for
 * `ready` on its stdout where given, accepts (5 s at the most), and runs
 * `body` with pysocket's end and the peer. The listener, the connection
 * and the peer are closed after.
 */
export async function withPythonPeer<T>(
  script: string,
  body: (conn: socket.Socket, peer: Child) => Promise<T>,
  ready?: RegExp,
): Promise<T> {
  const server = socket.socket();
  server.bind(["127.0.0.1", 0]);
  server.listen();
  const [, port] = server.getsockname() as [string, number];
  const peer = new Child("python3", ["-c", script, String(port)], {
    stdin: "piped",
    timeoutMs: 30_000,
  });
  let conn: socket.Socket | null = null;
  try {
    if (ready !== undefined) await peer.waitFor("stdout", ready);
    server.settimeout(5);
    [conn] = await server.accept();
    return await body(conn, peer);
  } finally {
    await closeAll(server, ...(conn === null ? [] : [conn]));
    await peer.kill();
  }
}

/**
 * A CPython peer for {@linkcode withPythonPeer}: connects to the port in
 * argv[1], says "connected", and on a line from stdin resets the
 * connection with all it received unread (`SO_LINGER` `{1, 0}`: no end of
 * stream first), then says "reset".
 */
const PY_RESET_PEER = `import socket, struct, sys
c = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
print("connected", flush=True)
sys.stdin.readline()
c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
c.close()
print("reset", flush=True)
`;

/**
 * A connection accepted from a CPython peer that resets it when told
 * ({@linkcode withPythonPeer}): `body` gets pysocket's end and `reset()`,
 * which has the peer reset the connection, all it received unread, and
 * resolves once it has.
 */
export function withResettingPeer<T>(
  body: (conn: socket.Socket, reset: () => Promise<void>) => Promise<T>,
): Promise<T> {
  return withPythonPeer(
    PY_RESET_PEER,
    (conn, peer) =>
      body(conn, async () => {
        await peer.write("go\n");
        await peer.waitFor("stdout", /reset/);
      }),
    /connected/,
  );
}

/**
 * A connected AF_UNIX stream pair whose listener is in a fresh temporary
 * directory: `body` gets the client and the server's end. The sockets are
 * closed and the directory removed after.
 */
export async function withUnixPair<T>(
  body: (client: socket.Socket, conn: socket.Socket) => Promise<T>,
): Promise<T> {
  const dir = await makeTempDir();
  const server = socket.socket(socket.AF_UNIX);
  const client = socket.socket(socket.AF_UNIX);
  let conn: socket.Socket | null = null;
  try {
    server.bind(`${dir}/s.sock`);
    server.listen();
    await client.connect(server.getsockname());
    [conn] = await server.accept();
    return await body(client, conn);
  } finally {
    await closeAll(client, server, ...(conn === null ? [] : [conn]));
    await remove(dir, { recursive: true });
  }
}

/** The repository's root directory. */
export const REPO_ROOT: string = resolve(
  dirname(fileURLToPath(import.meta.url)),
  "..",
);

/** Every .ts file under `dir`. */
export function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...tsFiles(path));
    else if (entry.name.endsWith(".ts")) out.push(path);
  }
  return out;
}

/** A file's code without its comments (JSDoc examples are user code). */
export function codeOf(path: string): string {
  return readFileSync(path, "utf8")
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
}
