// Copyright the pysocket authors. MIT license.
// Shared by the seed's examples: what differs between Deno, Node and Bun.

import { spawn } from "node:child_process";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";

/** Deno's namespace where the examples run on Deno, else `undefined`. */
const deno: typeof Deno | undefined = Reflect.get(globalThis, "Deno");

/**
 * Is `socket.gethostname()` allowed (Deno's `--allow-sys=hostname`)? Asked
 * first, because calling it without the permission makes Deno prompt in a
 * terminal (or throw `PermissionError` with `--no-prompt`). When it is not,
 * says so on stderr: the examples then use `"localhost"`. Node and Bun have
 * no permissions: there it is granted.
 *
 * @returns Whether `gethostname()` may be called.
 */
export function hostnameAllowed(): boolean {
  const state = deno?.permissions.querySync({
    name: "sys",
    kind: "hostname",
  }).state ?? "granted";
  if (state === "granted") return true;
  console.error(
    'note: --allow-sys=hostname not granted; using "localhost" instead of gethostname()',
  );
  return false;
}

/** A running example, started by {@linkcode start}. */
export interface Program {
  /** What it writes to stdout. */
  stdout: ReadableStream<Uint8Array>;
  /** What it writes to stderr. */
  stderr: ReadableStream<Uint8Array>;
  /** Its exit code, once it has exited. */
  status: Promise<number>;
  /** Stops it (SIGTERM); nothing if it has exited. */
  kill(): void;
}

/**
 * Starts another example under the runtime running this one: `deno run
 * <denoFlags> <script>` on Deno (with `Deno.Command`: no more permissions
 * than `--allow-run`); on Node and Bun the same program with this
 * process's runtime flags (the module hooks that resolve
 * `@pysocket/socket`, e.g. `--import …`), through `node:child_process`.
 *
 * @param script The example, e.g. `new URL("./server.ts", import.meta.url)`.
 * @param denoFlags Deno's permission flags for it.
 * @param args Its arguments.
 * @param cwd Its working directory.
 * @returns The running program; stdin is `/dev/null`.
 */
export function start(
  script: URL,
  denoFlags: string[],
  args: string[],
  cwd: URL,
): Program {
  if (deno) {
    const child = new deno.Command(deno.execPath(), {
      args: ["run", ...denoFlags, fileURLToPath(script), ...args],
      cwd,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    return {
      stdout: child.stdout,
      stderr: child.stderr,
      status: child.status.then((s) => s.code),
      kill() {
        try {
          child.kill();
        } catch {
          // already exited
        }
      },
    };
  }
  const child = spawn(
    process.execPath,
    [...process.execArgv, fileURLToPath(script), ...args],
    { cwd: fileURLToPath(cwd), stdio: ["ignore", "pipe", "pipe"] },
  );
  return {
    stdout: web(child.stdout),
    stderr: web(child.stderr),
    status: new Promise((resolve) =>
      child.once("close", (code) => resolve(code ?? 1))
    ),
    kill() {
      child.kill();
    },
  };
}

/** A Node stream as a Web `ReadableStream`. */
function web(stream: Readable): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      stream.on(
        "data",
        (chunk: Uint8Array) => controller.enqueue(new Uint8Array(chunk)),
      );
      stream.once("end", () => controller.close());
      stream.once("error", (err) => controller.error(err));
    },
  });
}
