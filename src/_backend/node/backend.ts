// Copyright the pysocket authors. MIT license.
// The Node backend (also run by Bun, with its own capability facts):
// `node:net`, `node:dgram`, `node:dns`.

import type { Backend } from "../types.ts";

/**
 * Makes the Node backend for Node or Bun.
 *
 * @param runtime Which runtime runs it.
 * @returns The backend.
 */
export function nodeBackend(runtime: "node" | "bun"): Backend {
  throw new Error(`pysocket: the ${runtime} backend is not written yet`);
}
