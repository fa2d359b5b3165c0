// Copyright the pysocket authors. MIT license.
// The `ssl` module's random bytes: `RAND_bytes`, `RAND_pseudo_bytes` and
// `RAND_status`, from the runtime's cryptographically secure generator (Web
// Crypto's `getRandomValues`, which each runtime seeds from the OS).
// `RAND_add` is left out: Web Crypto takes no seed material, and ignoring it
// would be a silent no-op.

import { type ArgSpec, checkArgs } from "../_py/args.ts";
import { checkCInt } from "../_py/pytype.ts";
import { ValueError } from "../socket/errors.ts";

const ARGS: Record<string, ArgSpec> = {
  RAND_bytes: {
    name: "_ssl.RAND_bytes",
    style: "o",
    params: ["n"],
    required: 1,
  },
  RAND_pseudo_bytes: {
    name: "_ssl.RAND_pseudo_bytes",
    style: "o",
    params: ["n"],
    required: 1,
  },
  RAND_status: {
    name: "_ssl.RAND_status",
    style: "noargs",
    params: [],
    required: 0,
  },
};

/** Web Crypto fills at most this many bytes a call. */
const MAX_FILL = 65536;

/**
 * Python's `ssl.RAND_bytes(num)`: `num` cryptographically strong random
 * bytes.
 *
 * @param num How many.
 * @returns The bytes.
 * @throws {ValueError} `num must be positive` for a negative count.
 *
 * @example
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(ssl.RAND_bytes(16).length, 16);
 * ```
 */
export function RAND_bytes(num: number): Uint8Array<ArrayBuffer> {
  checkArgs(ARGS.RAND_bytes, arguments);
  const n = checkCInt(num, "int");
  if (n < 0) throw new ValueError("num must be positive");
  const out = new Uint8Array(n);
  for (let at = 0; at < n; at += MAX_FILL) {
    crypto.getRandomValues(out.subarray(at, Math.min(n, at + MAX_FILL)));
  }
  return out;
}

/**
 * Python's `ssl.RAND_pseudo_bytes(num)` (deprecated in Python since 3.6):
 * `num` random bytes, and whether they are cryptographically strong. They
 * always are: they are {@linkcode RAND_bytes}'s.
 *
 * @param num How many.
 * @returns The bytes, and `true`.
 * @throws {ValueError} `num must be positive` for a negative count.
 *
 * @example
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * const [bytes, strong] = ssl.RAND_pseudo_bytes(16);
 * assertEquals([bytes.length, strong], [16, true]);
 * ```
 */
export function RAND_pseudo_bytes(
  num: number,
): [Uint8Array<ArrayBuffer>, boolean] {
  checkArgs(ARGS.RAND_pseudo_bytes, arguments);
  return [RAND_bytes(num), true];
}

/**
 * Python's `ssl.RAND_status()`: whether the generator is seeded. The
 * runtime's is, from the OS.
 *
 * @returns `true`.
 *
 * @example
 * ```ts
 * import * as ssl from "@pysocket/socket/ssl";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(ssl.RAND_status(), true);
 * ```
 */
export function RAND_status(): boolean {
  checkArgs(ARGS.RAND_status, arguments);
  return true;
}
