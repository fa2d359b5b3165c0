// Copyright the pysocket authors. MIT license.
/**
 * What tests need from the machine, the same on Deno, Node and Bun:
 * processes (`run`, `Child`, `runtimeArgv`), files, the environment, the
 * host name, `inspect` and the runtime's error classes. Built on `node:`
 * modules, which all three runtimes have; `Deno.` only where Deno's own
 * answer is the point (`inspect`, `runtimeErrorClasses`).
 *
 * @module
 */

import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs/promises";
import * as os from "node:os";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import * as util from "node:util";

/** The runtime these tests run on. */
export type Runtime = "deno" | "node" | "bun";

/** The runtime these tests run on, detected once. */
export const runtime: Runtime = "Deno" in globalThis
  ? "deno"
  : "Bun" in globalThis
  ? "bun"
  : "node";

/** Options for {@linkcode Child} and {@linkcode run}. */
export interface ChildOptions {
  /** The working directory. @default {the current one} */
  cwd?: string | URL;
  /** Variables added to (or replacing some of) this process's environment. */
  env?: Record<string, string>;
  /**
   * Bytes (or UTF-8 text) written to the child's stdin, which is then
   * closed. Without it stdin is `/dev/null`, unless {@linkcode stdin} is
   * `"piped"`.
   */
  input?: string | Uint8Array;
  /**
   * `"piped"`: stdin stays open for {@linkcode Child.write} until
   * {@linkcode Child.closeStdin}.
   *
   * @default {"null"}
   */
  stdin?: "null" | "piped";
  /** The child is killed (SIGKILL) after this many milliseconds. @default {60_000} */
  timeoutMs?: number;
}

/** How a child ended, and all it wrote. */
export interface ChildResult {
  /** The exit code; 128 + the signal's number when a signal ended it. */
  code: number;
  /** The signal that ended it, or `null`. */
  signal: string | null;
  /** Everything it wrote to stdout, as UTF-8. */
  stdout: string;
  /** Everything it wrote to stderr, as UTF-8. */
  stderr: string;
}

function toPath(path: string | URL): string {
  return path instanceof URL ? fileURLToPath(path) : path;
}

/**
 * A running child process whose stdout and stderr are collected as they
 * come (`child.stdout`, `child.stderr`). A child that runs longer than
 * `timeoutMs` is killed, so a hung peer cannot hang the test run.
 *
 * @example Wait for a server's first line, then stop it
 * ```ts ignore
 * const server = new Child("python3", ["-u", "server.py"]);
 * const [, port] = await server.waitFor("stdout", /^port (\d+)$/m);
 * await server.kill();
 * ```
 */
export class Child {
  readonly #proc: ChildProcess;
  readonly #done: Promise<ChildResult>;
  #exited = false;
  #changed: () => void = () => {};
  /** What the child wrote to stdout so far. */
  stdout = "";
  /** What the child wrote to stderr so far. */
  stderr = "";

  /**
   * Starts `command` with `args`.
   *
   * @param command The program (looked up on `PATH`).
   * @param args Its arguments.
   * @param options Working directory, environment, stdin, time limit.
   */
  constructor(command: string, args: string[], options: ChildOptions = {}) {
    const { cwd, env, input, stdin = "null", timeoutMs = 60_000 } = options;
    const piped = input !== undefined || stdin === "piped";
    this.#proc = spawn(command, args, {
      cwd: cwd === undefined ? undefined : toPath(cwd),
      env: env === undefined ? undefined : { ...process.env, ...env },
      stdio: [piped ? "pipe" : "ignore", "pipe", "pipe"],
    });
    for (const key of ["stdout", "stderr"] as const) {
      const stream = this.#proc[key]!;
      stream.setEncoding("utf8");
      stream.on("data", (text: string) => {
        this[key] += text;
        this.#changed();
      });
    }
    // Nothing here should take long: a child that hangs is stopped.
    const timer = setTimeout(() => this.#proc.kill("SIGKILL"), timeoutMs);
    this.#done = new Promise<ChildResult>((resolve, reject) => {
      this.#proc.once("error", (err) => {
        clearTimeout(timer);
        this.#exited = true;
        this.#changed();
        reject(err);
      });
      this.#proc.once("close", (code, signal) => {
        clearTimeout(timer);
        this.#exited = true;
        this.#changed();
        resolve({
          code: code ??
            128 + (signal ? os.constants.signals[signal] ?? 0 : 0),
          signal,
          stdout: this.stdout,
          stderr: this.stderr,
        });
      });
    });
    // The caller sees a spawn failure through exit()/waitFor().
    this.#done.catch(() => {});
    if (input !== undefined) {
      this.#proc.stdin!.on("error", () => {});
      this.#proc.stdin!.end(input);
    }
  }

  /**
   * Writes to the child's stdin (`stdin: "piped"`).
   *
   * @param data Bytes, or text sent as UTF-8.
   */
  async write(data: string | Uint8Array): Promise<void> {
    const stdin = this.#proc.stdin;
    if (!stdin) throw new Error("the child's stdin is not piped");
    await new Promise<void>((resolve, reject) =>
      stdin.write(data, (err) => err ? reject(err) : resolve())
    );
  }

  /** Closes the child's stdin: it reads end of file. */
  async closeStdin(): Promise<void> {
    const stdin = this.#proc.stdin;
    if (!stdin || stdin.writableEnded) return;
    await new Promise<void>((resolve) => stdin.end(resolve));
  }

  /**
   * Waits until `pattern` matches what the child wrote to `stream`.
   *
   * @param stream `"stdout"` or `"stderr"`.
   * @param pattern What to wait for.
   * @param ms How long to wait.
   * @returns The match.
   * @throws {Error} When the child exits or `ms` passes first; the message
   * has all the child wrote.
   */
  async waitFor(
    stream: "stdout" | "stderr",
    pattern: RegExp,
    ms = 10_000,
  ): Promise<RegExpExecArray> {
    const deadline = Date.now() + ms;
    while (true) {
      const m = pattern.exec(this[stream]);
      if (m) return m;
      if (this.#exited || Date.now() > deadline) {
        throw new Error(
          `no ${pattern} on ${stream}${
            this.#exited ? " (the child exited)" : ""
          }\nstdout: ${this.stdout}\nstderr: ${this.stderr}`,
        );
      }
      const { promise, resolve } = Promise.withResolvers<void>();
      this.#changed = resolve;
      const timer = setTimeout(resolve, 50);
      await promise;
      clearTimeout(timer);
    }
  }

  /**
   * Waits for the child to exit and its output to end.
   *
   * @returns Its exit code and output.
   * @throws {Error} When it could not be started (e.g. `ENOENT`).
   */
  exit(): Promise<ChildResult> {
    return this.#done;
  }

  /**
   * Whether the child exits within `ms` (the timer is cleared either way).
   *
   * @param ms How long to wait.
   * @returns `true` if it exited in time.
   */
  async exitsWithin(ms: number): Promise<boolean> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      return await Promise.race([
        this.#done.then(() => true),
        new Promise<boolean>((resolve) =>
          timer = setTimeout(resolve, ms, false)
        ),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Stops the child (if still running) and waits for it.
   *
   * @param signal The signal to send.
   * @returns Its exit code and output.
   */
  async kill(signal: NodeJS.Signals = "SIGTERM"): Promise<ChildResult> {
    if (!this.#exited) this.#proc.kill(signal);
    return await this.exit();
  }

  /** Kills the child if it still runs and waits for it: `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.kill().catch(() => {});
  }
}

/**
 * Runs a command to its end.
 *
 * @param command The program (looked up on `PATH`).
 * @param args Its arguments.
 * @param options Working directory, environment, stdin input, time limit.
 * @returns Its exit code and output.
 * @throws {Error} When it could not be started (e.g. `ENOENT`).
 *
 * @example
 * ```ts ignore
 * const { code, stdout } = await run("python3", ["-c", "print(1)"]);
 * ```
 */
export function run(
  command: string,
  args: string[],
  options: ChildOptions = {},
): Promise<ChildResult> {
  return new Child(command, args, options).exit();
}

/** Options for {@linkcode runtimeArgv}. */
export interface RuntimeArgvOptions {
  /**
   * Flags after `deno run` (permissions…); other runtimes ignore them.
   * Give at least one permission flag: Deno's node:child_process adds `-A`
   * to a `deno run` that has none (denoland/deno#35443), as Node has no
   * permissions.
   */
  denoFlags?: string[];
}

const NODE_HOOKS = fileURLToPath(new URL("./node_hooks.ts", import.meta.url));

let bunConfig: string | undefined;

/**
 * The command line that runs a TypeScript file under the runtime this test
 * runs on, resolving `deno.json`'s bare specifiers as Deno does:
 * `deno run <denoFlags> script` on Deno (with `--config` when the run uses
 * another config, `PYSOCKET_DENO_CONFIG`); `node --import
 * tests/_harness/node_hooks.ts script` on Node; `bun --tsconfig-override
 * <generated> script` on Bun.
 *
 * @param script The file, as a path or `file:` URL.
 * @param options Deno's flags.
 * @returns The program and its arguments: `[program, ...args]`.
 *
 * @example
 * ```ts ignore
 * const [cmd, ...args] = runtimeArgv(new URL("../examples/with.ts", import.meta.url), {
 *   denoFlags: ["--allow-net=127.0.0.1"],
 * });
 * const { code, stdout } = await run(cmd, args);
 * ```
 */
export function runtimeArgv(
  script: string | URL,
  options: RuntimeArgvOptions = {},
): string[] {
  const path = script instanceof URL || script.startsWith("file:")
    ? fileURLToPath(script)
    : script;
  switch (runtime) {
    case "deno": {
      const config = process.env.PYSOCKET_DENO_CONFIG;
      return [
        process.execPath,
        "run",
        ...(config ? ["--config", config] : []),
        ...options.denoFlags ?? [],
        path,
      ];
    }
    case "node":
      return [process.execPath, "--import", NODE_HOOKS, path];
    case "bun": {
      const i = process.execArgv.findIndex((a) =>
        a.startsWith("--tsconfig-override")
      );
      if (bunConfig === undefined && i >= 0) {
        const arg = process.execArgv[i];
        bunConfig = arg.includes("=")
          ? arg.slice(arg.indexOf("=") + 1)
          : process.execArgv[i + 1];
      }
      bunConfig ??= process.env.PYSOCKET_BUN_TSCONFIG;
      if (bunConfig === undefined) {
        throw new Error(
          "bun was started without --tsconfig-override: run through tests/_harness/all.ts",
        );
      }
      return [
        process.execPath,
        "--no-install",
        `--tsconfig-override=${bunConfig}`,
        path,
      ];
    }
  }
}

/**
 * A value as the runtime's console shows it: `Deno.inspect` on Deno,
 * `util.inspect` elsewhere.
 *
 * @param value Anything.
 * @returns Its printed form.
 */
export function inspect(value: unknown): string {
  return runtime === "deno" ? Deno.inspect(value) : util.inspect(value);
}

/**
 * The runtime's own error classes, which Python's errors must never be:
 * `Deno.errors` on Deno; none on Node and Bun, whose system errors are plain
 * `Error`s with a `code`.
 *
 * @returns `[name, class]` pairs.
 */
export function runtimeErrorClasses(): [string, ErrorConstructor][] {
  return runtime === "deno"
    ? Object.entries(Deno.errors) as [string, ErrorConstructor][]
    : [];
}

/**
 * The value of an environment variable.
 *
 * @param name The variable.
 * @returns Its value, or `undefined` when it is not set.
 */
export function env(name: string): string | undefined {
  return process.env[name];
}

/**
 * The machine's host name, as the OS reports it.
 *
 * @returns The host name.
 */
export function hostname(): string {
  return os.hostname();
}

/** Options for {@linkcode makeTempFile} and {@linkcode makeTempDir}. */
export interface TempOptions {
  /** The start of the name. @default {""} */
  prefix?: string;
  /** The end of the name (`.ts`). @default {""} */
  suffix?: string;
}

function tempName({ prefix = "", suffix = "" }: TempOptions): string {
  return join(os.tmpdir(), prefix + randomBytes(8).toString("hex") + suffix);
}

/**
 * Creates an empty file under the temporary directory.
 *
 * @param options Name prefix and suffix.
 * @returns Its path.
 */
export async function makeTempFile(options: TempOptions = {}): Promise<string> {
  const path = tempName(options);
  await fs.writeFile(path, new Uint8Array(0), { flag: "wx" });
  return path;
}

/**
 * Creates an empty directory under the temporary directory.
 *
 * @param options Name prefix and suffix.
 * @returns Its path.
 */
export async function makeTempDir(options: TempOptions = {}): Promise<string> {
  const path = tempName(options);
  await fs.mkdir(path);
  return path;
}

/**
 * Removes a file, or a directory with `recursive`.
 *
 * @param path What to remove.
 * @param options `recursive: true` for a directory and all in it.
 */
export async function remove(
  path: string,
  options: { recursive?: boolean } = {},
): Promise<void> {
  await fs.rm(path, { recursive: options.recursive ?? false });
}

/**
 * Makes `path` a symbolic link to `target`.
 *
 * @param target What the link points to (need not exist).
 * @param path The link to make.
 */
export async function symlink(target: string, path: string): Promise<void> {
  // `ln`: Deno's own symlink() asks for unscoped read and write access.
  const { code, stderr } = await run("ln", ["-s", target, path]);
  if (code !== 0) throw new Error(`ln -s ${target} ${path}: ${stderr}`);
}

/**
 * Whether a path names anything (a socket file too), without following a
 * final symbolic link.
 *
 * @param path The path.
 * @returns `true` if it exists.
 */
export async function exists(path: string): Promise<boolean> {
  try {
    await fs.lstat(path);
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") return false;
    throw error;
  }
}

/**
 * A file's bytes.
 *
 * @param path The file.
 * @returns Its content, as a plain `Uint8Array`.
 */
export async function readFile(path: string | URL): Promise<Uint8Array> {
  const buf = await fs.readFile(toPath(path));
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/**
 * A file's text (UTF-8).
 *
 * @param path The file.
 * @returns Its content.
 */
export function readTextFile(path: string | URL): Promise<string> {
  return fs.readFile(toPath(path), "utf8");
}

/**
 * Writes bytes to a file, replacing it.
 *
 * @param path The file.
 * @param data The bytes.
 */
export async function writeFile(
  path: string | URL,
  data: Uint8Array,
): Promise<void> {
  await fs.writeFile(toPath(path), data);
}

/**
 * Writes text (UTF-8) to a file, replacing it.
 *
 * @param path The file.
 * @param text The text.
 */
export async function writeTextFile(
  path: string | URL,
  text: string,
): Promise<void> {
  await fs.writeFile(toPath(path), text);
}

/** An open file: what `Socket.sendfile()` reads, and a `writable` stream. */
export interface OpenFile extends AsyncDisposable {
  /**
   * Reads into `p` from the current position.
   *
   * @returns The number of bytes read, `null` at end of file.
   */
  read(p: Uint8Array): Promise<number | null>;
  /**
   * Moves the position.
   *
   * @param offset Where to, relative to `whence`.
   * @param whence 0: from the start, 1: from the current position, 2: from the end.
   * @returns The new position.
   */
  seek(offset: number, whence: 0 | 1 | 2): Promise<number>;
  /** Writes at the current position; closing it closes the file. */
  readonly writable: WritableStream<Uint8Array>;
  /** Closes the file (again: nothing). */
  close(): Promise<void>;
}

/** Options for {@linkcode openFile}. */
export interface OpenOptions {
  /** Open for writing. @default {false} */
  write?: boolean;
  /** Empty the file first (with `write`). @default {false} */
  truncate?: boolean;
}

/**
 * Opens a file, with the `read`/`seek` that `Socket.sendfile()` takes (as a
 * `Deno.FsFile` has them) and a `writable` stream.
 *
 * @param path The file.
 * @param options Read only (the default), or `write` (and `truncate`).
 * @returns The open file; close it, or `await using` it.
 */
export async function openFile(
  path: string,
  options: OpenOptions = {},
): Promise<OpenFile> {
  const flags = options.write ? (options.truncate ? "w" : "r+") : "r";
  const handle = await fs.open(path, flags);
  let position = 0;
  let closed: Promise<void> | undefined;
  const close = () => closed ??= handle.close();
  return {
    async read(p) {
      const { bytesRead } = await handle.read(p, 0, p.length, position);
      position += bytesRead;
      return bytesRead === 0 && p.length > 0 ? null : bytesRead;
    },
    async seek(offset, whence) {
      const base = whence === 0
        ? 0
        : whence === 1
        ? position
        : (await handle.stat()).size;
      return position = base + offset;
    },
    writable: new WritableStream<Uint8Array>({
      async write(chunk) {
        for (let done = 0; done < chunk.length;) {
          const { bytesWritten } = await handle.write(
            chunk,
            done,
            chunk.length - done,
            position,
          );
          done += bytesWritten;
          position += bytesWritten;
        }
      },
      close,
      abort: close,
    }),
    close,
    [Symbol.asyncDispose]: close,
  };
}
