// Copyright the pysocket authors. MIT license.
// Test helpers. Tests register with test() and reach the machine through
// the helpers re-exported here (processes, files, environment), which run
// the same on Deno, Node and Bun: no `Deno.` API in a conformance test.

import process from "node:process";
import * as socket from "../mod.ts";
import { env, run } from "./_harness/host.ts";

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
