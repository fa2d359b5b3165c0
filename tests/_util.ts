// Copyright the pysocket authors. MIT license.
// Test helpers: every socket test runs with Deno's op and resource
// sanitizers on (Deno 2.9 turns them off by default).

import * as socket from "../mod.ts";

/** Options for {@linkcode test}, as `Deno.test` takes them. */
export type TestOptions = Omit<Deno.TestDefinition, "fn" | "name">;

/**
 * `Deno.test` with `sanitizeOps` and `sanitizeResources` on.
 *
 * @param name "symbol + behaviour", e.g. `"recv() hands timed-out bytes to the next call"`.
 * @param fn The test body.
 * @param options More `Deno.test` options (`ignore`, `permissions`, …).
 */
export function test(
  name: string,
  fn: (t: Deno.TestContext) => void | Promise<void>,
  options: TestOptions = {},
): void {
  Deno.test({
    name,
    fn,
    sanitizeOps: true,
    sanitizeResources: true,
    ...options,
  });
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
  const child = new Deno.Command("python3", {
    args: ["-c", script],
    stdin: "piped",
    stdout: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(encoder.encode(JSON.stringify(input)));
  await writer.close();
  const output = await child.output();
  return JSON.parse(decoder.decode(output.stdout));
}

let python: boolean | undefined;

/**
 * Is `python3` on this machine? Interop tests skip with a visible notice
 * where it is not (a user's machine); in CI it must be there.
 */
export async function hasPython(): Promise<boolean> {
  if (python === undefined) {
    try {
      const out = await new Deno.Command("python3", {
        args: ["--version"],
        stdout: "null",
        stderr: "null",
      }).output();
      python = out.success;
    } catch {
      python = false;
    }
    if (!python) {
      if (Deno.env.get("CI")) {
        throw new Error("python3 is required in CI for the interop tests");
      }
      console.warn(
        "NOTICE: python3 not found: the Python interop tests are skipped.",
      );
    }
  }
  return python;
}

/** A listening server on 127.0.0.1, a connected client, and the server's end. */
export async function tcpPair(): Promise<
  { server: socket.Socket; client: socket.Socket; conn: socket.Socket }
> {
  const server = socket.socket();
  server.bind(["127.0.0.1", 0]);
  server.listen();
  const client = socket.socket();
  await client.connect(server.getsockname() as [string, number]);
  const [conn] = await server.accept();
  return { server, client, conn };
}

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
