// Copyright the pysocket authors. MIT license.
// Addresses of a connection that are known without asking the kernel
// (`getsockname`, `getpeername`): each is a system call per connection.

import type { RawAddr, RawNetAddr } from "../types.ts";

/** An IPv4 address in its one written form (no leading zeros, none > 255). */
const OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]\\d|\\d)";
const IPV4 = new RegExp(`^${OCTET}(?:\\.${OCTET}){3}$`);
/** The wildcard addresses as `getsockname` spells them. */
const WILDCARDS = new Set(["0.0.0.0", "::", "::ffff:0.0.0.0"]);

/**
 * The local address of every connection a listener bound to `addr`
 * accepts: `addr` itself when it is one IP address (not a wildcard, not a
 * scoped one), else `null` (ask). `addr` is the kernel's (`getsockname`),
 * in `inet_ntop()`'s one spelling: the wildcards are `0.0.0.0`, `::` and
 * the IPv4-mapped `::ffff:0.0.0.0`, however bind() spelled them.
 */
export function acceptedLocal(addr: RawAddr): RawAddr | null {
  return "hostname" in addr && !WILDCARDS.has(addr.hostname) &&
      !addr.hostname.includes("%")
    ? addr
    : null;
}

/**
 * The peer's address as `getpeername` will give it, where that is the
 * address connected to: an IPv4 address in its one written form, not the
 * wildcard (Linux connects `0.0.0.0` to `127.0.0.1`). Else `null` (ask).
 */
export function knownPeer(target: RawNetAddr): RawNetAddr | null {
  const { hostname } = target;
  return hostname !== "0.0.0.0" && IPV4.test(hostname)
    ? { hostname, port: target.port }
    : null;
}
