// Copyright the pysocket authors. MIT license.
// Node-style runtime errors (`err.code`: "ECONNREFUSED", "ENOTFOUND", …), as
// Node, Bun and Deno's `node:` modules throw them → what they mean.

import type { Classified } from "../types.ts";

/** The `code` of a Node-style error, if it has one. */
export function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** `getaddrinfo()` failures as `node:dns` reports them → `EAI_*` names. */
const GAI_BY_CODE: Record<string, string> = {
  ENOTFOUND: "EAI_NONAME",
  EAI_NONAME: "EAI_NONAME",
  EAI_AGAIN: "EAI_AGAIN",
  ETIMEOUT: "EAI_AGAIN",
  ECONNREFUSED: "EAI_AGAIN",
  ENODATA: "EAI_NODATA",
  EAI_NODATA: "EAI_NODATA",
  EAI_FAIL: "EAI_FAIL",
  ESERVFAIL: "EAI_FAIL",
  EAI_FAMILY: "EAI_FAMILY",
  EAI_ADDRFAMILY: "EAI_ADDRFAMILY",
};

/**
 * A Node-style error → its meaning: with `host` (a lookup of that name), a
 * resolver error; otherwise the errno its `code` names. `null` for an error
 * without a `code`, or with a code that is not an errno (`ERR_…`).
 */
export function classifyCode(err: unknown, host?: string): Classified | null {
  const code = codeOf(err);
  if (code === undefined) return null;
  if (host !== undefined && code in GAI_BY_CODE) {
    return { gai: GAI_BY_CODE[code] };
  }
  // Bun reports one dgram error as "UNKNOWN" with libuv's -4094: EACCES for
  // a broadcast without SO_BROADCAST is the only case seen.
  if (/^E[A-Z0-9]+$/.test(code)) return { errno: code };
  return null;
}
