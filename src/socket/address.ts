// Copyright the pysocket authors. MIT license.
/**
 * Socket addresses as Python spells them: `[host, port]` for AF_INET,
 * `[host, port, flowinfo, scope_id]` for AF_INET6, a path for AF_UNIX.
 *
 * @module
 */

import { AF_INET, AF_INET6, AF_UNIX } from "./constants.ts";
import { gaiError, OverflowError } from "./errors.ts";
import { bytesLike, checkInt, pyTypeName } from "../_py/pytype.ts";
import type { RawAddr } from "../_backend/mod.ts";
import { interfaceIndex } from "./_resolver.ts";

/** An AF_INET address: `[host, port]`, Python's `(host, port)`. */
export type IPv4Address = [host: string, port: number];

/** An AF_INET6 address, Python's `(host, port, flowinfo, scope_id)`. */
export type IPv6Address = [
  host: string,
  port: number,
  flowinfo: number,
  scope_id: number,
];

/** Any address a pysocket socket returns. AF_UNIX addresses are paths. */
export type Address = IPv4Address | IPv6Address | string;

/**
 * What an address argument may be: `[host, port]`, for AF_INET6 with
 * optional `flowinfo` and `scope_id`, or an AF_UNIX path.
 */
export type AddressLike =
  | readonly [host: string, port: number]
  | readonly [host: string, port: number, flowinfo?: number, scope_id?: number]
  | string;

/** A validated IP endpoint, ready for the runtime. */
export interface NetEndpoint {
  hostname: string;
  port: number;
}

/** A validated Unix socket path. */
export interface UnixEndpoint {
  path: string;
}

/** A validated endpoint of either kind. */
export type Endpoint = NetEndpoint | UnixEndpoint;

const FAMILY_NAME: Record<number, string> = {
  [AF_INET]: "AF_INET",
  [AF_INET6]: "AF_INET6",
  [AF_UNIX]: "AF_UNIX",
};

const IPV4_LITERAL = /^\d{1,3}(\.\d{1,3}){3}$/;

/** Is `host` an IPv6 literal? */
export function isIPv6Literal(host: string): boolean {
  return host.includes(":");
}

/** Is `host` an IPv4 literal in dotted-quad form? */
export function isIPv4Literal(host: string): boolean {
  return IPV4_LITERAL.test(host);
}

/** Is `host` an IP literal of either family (no resolver needed)? */
export function isIPLiteral(host: string): boolean {
  return isIPv4Literal(host) || isIPv6Literal(host);
}

/** Does an address the runtime reports belong to `family`? */
export function inFamily(family: number, addr: RawAddr): boolean {
  if ("path" in addr) return family === AF_UNIX;
  return isIPv6Literal(addr.hostname) === (family === AF_INET6);
}

/**
 * Checks an address argument for `family` as CPython's `getsockaddrarg`
 * does, with its messages, and returns the endpoint to use. `''` is the
 * wildcard and `'<broadcast>'` is `255.255.255.255`.
 *
 * @param family The socket's family.
 * @param address The address argument.
 * @param fn The calling method's name, for the messages (`"bind"`).
 */
export function toEndpoint(
  family: number,
  address: unknown,
  fn: string,
): Endpoint {
  if (family === AF_UNIX) {
    if (typeof address === "string") return { path: address };
    return { path: new TextDecoder().decode(bytesLike(address)) };
  }
  return toNetEndpoint(family, address, fn);
}

/** {@linkcode toEndpoint} for AF_INET and AF_INET6. */
export function toNetEndpoint(
  family: number,
  address: unknown,
  fn: string,
): NetEndpoint {
  const name = FAMILY_NAME[family];
  if (!Array.isArray(address)) {
    throw new TypeError(
      `${fn}(): ${name} address must be tuple, not ${pyTypeName(address)}`,
    );
  }
  const v6 = family === AF_INET6;
  if (v6 ? address.length < 2 || address.length > 4 : address.length !== 2) {
    throw new TypeError(
      v6
        ? "AF_INET6 address must be a tuple (host, port[, flowinfo[, scopeid]])"
        : "AF_INET address must be a pair (host, port)",
    );
  }
  const [host, port, flowinfo = 0] = address;
  if (typeof host !== "string") {
    throw new TypeError(
      `str, bytes or bytearray expected, not ${pyTypeName(host)}`,
    );
  }
  const p = checkInt(port);
  if (p < 0 || p > 65535) {
    throw new OverflowError(`${fn}(): port must be 0-65535.`);
  }
  if (v6) {
    const f = checkInt(flowinfo);
    if (f < 0 || f > 0xfffff) {
      throw new OverflowError(`${fn}(): flowinfo must be 0-1048575.`);
    }
  }
  let hostname = host;
  if (host === "") hostname = v6 ? "::" : "0.0.0.0";
  else if (host === "<broadcast>") hostname = "255.255.255.255";
  if (v6 ? isIPv4Literal(hostname) : isIPv6Literal(hostname)) {
    throw gaiError("EAI_ADDRFAMILY");
  }
  if (v6) {
    // The runtime takes a numeric scope after "%": the scope_id item, or
    // the interface a "%name" zone names, as getaddrinfo() turns it.
    hostname = hostname.replace(/^\[(.*)\]$/, "$1");
    const [ip, zone] = hostname.split("%", 2);
    let scope = address.length === 4 ? checkInt(address[3]) : 0;
    if (scope === 0 && zone !== undefined) {
      scope = /^\d+$/.test(zone) ? Number(zone) : interfaceIndex(zone) ?? -1;
      if (scope < 0) throw gaiError("EAI_NONAME");
    }
    hostname = scope === 0 ? ip : `${ip}%${scope}`;
  }
  return { hostname, port: p };
}

/** The runtime's address → Python's tuple for `family`. */
export function fromRaw(family: number, raw: RawAddr): Address {
  if ("path" in raw) return raw.path ?? "";
  return family === AF_INET6
    ? [raw.hostname, raw.port, 0, 0]
    : [raw.hostname, raw.port];
}

/** The address of a socket that is not bound: `('0.0.0.0', 0)` and kin. */
export function unboundAddress(family: number): Address {
  if (family === AF_INET6) return ["::", 0, 0, 0];
  if (family === AF_UNIX) return "";
  return ["0.0.0.0", 0];
}

/** Python's `repr()` of an address: `('127.0.0.1', 12345)`. */
export function reprAddress(address: Address | null): string {
  if (address === null) return "None";
  if (typeof address === "string") return pyRepr(address);
  return `(${
    address.map((v) => typeof v === "string" ? pyRepr(v) : v).join(", ")
  })`;
}

/** Python's `str()` of an address: a tuple's repr, or the path itself. */
export function strAddress(address: Address): string {
  return typeof address === "string" ? address : reprAddress(address);
}

/** Python's `repr()` of a str. */
function pyRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  const body = s.replaceAll("\\", "\\\\").replaceAll(quote, `\\${quote}`);
  return `${quote}${body}${quote}`;
}
