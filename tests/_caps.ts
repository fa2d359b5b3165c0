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

const deno = runtime === "deno";

/** The expected capabilities of the runtime running the tests. */
export const expected = {
  /** `socket(AF_UNIX, SOCK_DGRAM)`: Deno's "unixpacket" transport only. */
  unixDatagram: denoUnstable,
  /** Datagram sockets from Deno's own API (else `node:dgram`). */
  denoDatagrams: denoUnstable,
  /** `connect()` on UDP reaches the OS: a closed peer port is reported. */
  udpConnect: !deno,
  /** `SO_BROADCAST` is on for every UDP socket and cannot be cleared. */
  broadcastAlwaysOn: denoUnstable,
  /** `TCP_NODELAY` is on for every TCP socket unless turned off. */
  noDelayDefault: runtime === "bun",
  /** `SO_LINGER` `{1, 0}`: close() resets the connection. */
  reset: !deno,
  /** `listen(backlog)` reaches the OS. */
  backlog: runtime !== "bun",
  /** `SO_REUSEPORT` on TCP / UDP. */
  reusePortTcp: !deno || denoUnstable,
  reusePortUdp: !deno,
  /** `IPV6_V6ONLY` on TCP / UDP. */
  v6onlyTcp: !deno,
  v6onlyUdp: !denoUnstable,
  /** UDP `IP_TTL`, `SO_BROADCAST` and multicast options. */
  udpOptions: !denoUnstable,
  /**
   * A group membership the kernel refuses for a reason only it knows (an
   * interface address of no interface: `ENODEV`) is told by the next
   * `send` or `SO_ERROR`, not by `setsockopt`: Deno's `joinMulticastV4`
   * answers later.
   */
  membershipErrorsLater: denoUnstable,
  /**
   * The kernel's errno for a group membership it refuses (Deno's
   * `node:dgram` reports `EINVAL` for every failure).
   */
  membershipErrno: !deno || denoUnstable,
  /**
   * UDP `SO_RCVBUF`/`SO_SNDBUF` reach the kernel (Deno's node:dgram keeps
   * them without setting them).
   */
  udpBuffers: !deno,
  /**
   * The IPv6 hop options of a UDP socket (`IPV6_UNICAST_HOPS`, …): Node's
   * and Bun's TTL calls set them (Deno's node:dgram sets `IP_TTL`).
   */
  udpHops: !deno,
  /**
   * A multicast TTL of 0, which Linux takes, can be set (Bun's and Deno's
   * node:dgram calls refuse it).
   */
  multicastTtlZero: runtime === "node",
  /** `TCP_KEEPIDLE`. */
  keepAliveIdle: !deno,
  /** The runtime accepts every connection as it arrives (no full queue). */
  acceptsAhead: !deno,
  /**
   * `socketpair()` is an AF_UNIX pair (a Linux abstract name) without more
   * permission than a loopback pair: not on Deno, where an abstract name
   * needs net access to `unix:<name>`.
   */
  unixPair: !deno,
  /**
   * `accept()` hands over a connection reset while it was queued, as Linux
   * does (Deno's accept fails for it, and pysocket skips it).
   */
  acceptsReset: !deno,
  /**
   * The network interfaces can be read (`/sys/class/net`): Deno asks for
   * `--allow-all` there, which the tests do not run with.
   */
  interfacesReadable: !deno,
  /**
   * A write the kernel refuses at once (`EPIPE`) fails at once (Node's and
   * Bun's try-write); Deno's write answers on the next turn of the loop.
   */
  writeFailsAtOnce: !deno,
  /**
   * What `accept()` does for a waiting connection when the process has no
   * descriptor left for it: raise `[Errno 24]` and leave the connection
   * queued, as Linux does (`"raises"`); wait, while libuv accepts the
   * connection and closes it at once (`"drops"`, Node); or wait, the
   * connection queued until a descriptor is free (`"waits"`, Bun).
   */
  acceptOutOfDescriptors: deno
    ? "raises"
    : runtime === "node"
    ? "drops"
    : "waits",
} as const;

/** Why a test of a missing capability is skipped, for `ignore:`. */
export function unless(has: boolean, what: string): false | string {
  return has ? false : `${runtime} cannot: ${what}`;
}
