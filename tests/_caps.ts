// Copyright the pysocket authors. MIT license.
// What each runtime's network API can do, as the tests expect it: the
// README's runtime matrix as data. A test of a feature asserts that it
// works where this says so and raises Python's error where it does not, so
// that a runtime that cannot do a thing is a named expectation, never a
// silent pass. Kept apart from the library's own capability record, which
// it checks.

import { runtime } from "./_harness/host.ts";

/** Deno with its unstable network API (`Deno.listenDatagram`). */
const denoUnstable = runtime === "deno" &&
  typeof (globalThis as { Deno?: { listenDatagram?: unknown } }).Deno
      ?.listenDatagram === "function";

/** The expected capabilities of the runtime running the tests. */
export const expected = {
  /** `socket(AF_UNIX, SOCK_DGRAM)`: Deno's "unixpacket" transport only. */
  unixDatagram: denoUnstable,
  /** Datagram sockets from Deno's own API (else `node:dgram`). */
  denoDatagrams: denoUnstable,
} as const;

/** Why a test of a missing capability is skipped, for `ignore:`. */
export function unless(has: boolean, what: string): false | string {
  return has ? false : `${runtime} cannot: ${what}`;
}
