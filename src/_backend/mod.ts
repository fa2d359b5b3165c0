// Copyright the pysocket authors. MIT license.
// Which runtime pysocket runs on: detected once, on first use (importing
// pysocket reads no runtime global, so that its error classes and constants
// load anywhere).

import type { Backend } from "./types.ts";
import { denoBackend } from "./deno/backend.ts";
import { nodeBackend } from "./node/backend.ts";

export type * from "./types.ts";

// deno-lint-ignore no-explicit-any
const g = globalThis as any;

let current: Backend | undefined;

/**
 * The backend for the runtime this process runs on, made on first use.
 *
 * @throws {Error} On a runtime that is neither Deno, Node (22.3+) nor Bun.
 */
export function backend(): Backend {
  return current ??= detect();
}

function detect(): Backend {
  if (typeof g.Deno?.version?.deno === "string") return denoBackend();
  if (typeof g.Bun?.version === "string") return nodeBackend("bun");
  if (typeof g.process?.versions?.node === "string") {
    return nodeBackend("node");
  }
  throw new Error(
    "pysocket needs Deno, Node 22.3 or later, or Bun 1.4 or later: no socket API was found on this runtime",
  );
}

let os: string | undefined;

/**
 * The host OS (`"linux"`, `"darwin"`, `"windows"`, …) for the errno tables:
 * known even where no backend can run, so that errors can be built anywhere.
 */
export function hostOS(): string {
  if (os !== undefined) return os;
  const platform = g.Deno?.build?.os ?? g.process?.platform ?? "linux";
  return os = platform === "win32" ? "windows" : String(platform);
}
