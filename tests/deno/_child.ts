// Copyright the pysocket authors. MIT license.
// A child Deno that runs a script given on its standard input, with only
// the flags given: how the Deno-only tests see what a program run with
// narrower permissions (or without --unstable-net) meets.

import { assert } from "@std/assert";
import { b, str } from "../_util.ts";

/** What a child Deno printed, and how it ended. */
export interface ChildOutput {
  success: boolean;
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `script` in a child `deno run <args> - <scriptArgs>`.
 *
 * @param args The flags (before the script, `-`).
 * @param script The program.
 * @param options The script's own arguments, the child's directory and
 * environment.
 * @returns Its output, as text.
 */
export async function runDeno(
  args: string[],
  script: string,
  options: { scriptArgs?: string[]; cwd?: URL; env?: Record<string, string> } =
    {},
): Promise<ChildOutput> {
  const proc = new Deno.Command(Deno.execPath(), {
    args: ["run", ...args, "-", ...(options.scriptArgs ?? [])],
    cwd: options.cwd,
    env: options.env,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = proc.stdin.getWriter();
  await writer.write(b(script));
  await writer.close();
  const { success, code, stdout, stderr } = await proc.output();
  return { success, code, stdout: str(stdout), stderr: str(stderr) };
}

/**
 * {@linkcode runDeno}, for a script whose last line is JSON: that value
 * (the child must succeed and print it).
 */
export async function runDenoJson<T>(
  args: string[],
  script: string,
  options?: Parameters<typeof runDeno>[2],
): Promise<T> {
  const res = await runDeno(args, script, options);
  const text = res.stdout.trim();
  assert(res.success && text !== "", `child failed: ${res.stderr}`);
  return JSON.parse(text);
}
