/**
 * Linux's checks of an AF_INET6 `connect()` to an address that needs a
 * scope, for streams and datagrams alike: none given (`EINVAL`), or given
 * one through which there is no route (`ENETUNREACH`).
 *
 * @module
 */

import { errnoError } from "../socket/errors.ts";
import { isLinkLocal, parsePton6 } from "../socket/convert.ts";
import { backend, type RawAddr } from "../_backend/mod.ts";

/**
 * Linux's first check of an AF_INET6 `connect()` to an address that needs
 * a scope (`__ipv6_addr_needs_scope_id()`: link-local, and multicast of
 * interface- or link-local scope, ff01::/ff02::): one given none, from a
 * socket bound to no interface, is `EINVAL`, whatever the source's family.
 * `null` otherwise (a scoped one is left to `unroutedError` and the
 * runtime).
 */
export function unscopedError(addr: RawAddr): Error | null {
  if ("path" in addr || addr.hostname.includes("%")) return null;
  return needsScope(addr.hostname) ? errnoError("EINVAL") : null;
}

/** Does the IPv6 literal `ip` need a scope (see `unscopedError`)? */
function needsScope(ip: string): boolean {
  const bytes = parsePton6(ip);
  if (bytes === undefined) return false;
  const scope = bytes[0] === 0xff ? bytes[1] & 0x0f : 0;
  return isLinkLocal(bytes) || scope === 1 || scope === 2;
}

/** Where Linux lists the IPv6 addresses of each interface. */
const IF_INET6 = "/proc/net/if_inet6";

/** The loopback interface's index in every Linux network namespace. */
const LOOPBACK_INDEX = "1";

/**
 * Linux's route lookup for a peer that needs a scope, given one
 * (`fe80::1%lo`): there is a route through that interface only where it
 * has a link-local address (fe80::/10), which `lo` never has, nor an
 * index no interface has; else `ENETUNREACH`, which a runtime that does
 * not connect at the OS level (Deno) would not tell, and Node, which reads
 * a numeric zone as a name, would tell as `EINVAL`. Asked of the host's
 * list of interface addresses (`/proc/net/if_inet6`, `index prefix scope
 * flags name` after each address); where it cannot be read (Deno's, with
 * `--allow-all` only), of Linux's loopback alone. `null`: there is a
 * route, or it cannot be told (the runtime answers).
 */
export function unroutedError(addr: RawAddr): Error | null {
  if ("path" in addr || !addr.hostname.includes("%")) return null;
  const [ip, zone] = addr.hostname.split("%", 2);
  if (!needsScope(ip)) return null;
  const host = backend().host;
  const table = host.readTextFile(IF_INET6);
  if (table === undefined) {
    const lo = zone === "lo" || zone === LOOPBACK_INDEX;
    return lo && host.os === "linux" ? errnoError("ENETUNREACH") : null;
  }
  // Linux routes multicast (ff00::/8) through each interface but lo that
  // has IPv6 on, a link-local peer only through one with a fe80::/64 route.
  const multicast = /^ff/i.test(ip);
  const routed = table.split("\n").some((line) => {
    const [address, index, , , , name] = line.trim().split(/\s+/);
    const through = name === zone || parseInt(index, 16) === Number(zone);
    return through &&
      (multicast ? name !== "lo" : /^fe[89ab]/i.test(address));
  });
  return routed ? null : errnoError("ENETUNREACH");
}
