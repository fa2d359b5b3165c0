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

/**
 * An AF_INET address: `[host, port]`, Python's `(host, port)`.
 *
 * @example
 * ```ts
 * import { type IPv4Address, socket } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * using s = socket(); // AF_INET: its addresses are IPv4Address
 * s.bind(["127.0.0.1", 0]);
 * const [host, port]: IPv4Address = s.getsockname();
 * assertEquals(host, "127.0.0.1");
 * assertEquals(typeof port, "number");
 * ```
 */
export type IPv4Address = [host: string, port: number];

/**
 * An AF_INET6 address, Python's `(host, port, flowinfo, scope_id)`.
 *
 * @example
 * ```ts
 * import { AF_INET6, type IPv6Address, socket } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * using s = socket(AF_INET6);
 * s.bind(["::1", 0]);
 * const [host, port, flowinfo, scope_id]: IPv6Address = s.getsockname();
 * assertEquals([host, flowinfo, scope_id], ["::1", 0, 0]);
 * assertEquals(typeof port, "number");
 * ```
 */
export type IPv6Address = [
  host: string,
  port: number,
  flowinfo: number,
  scope_id: number,
];

/**
 * Any address a pysocket socket returns: what {@linkcode AddressOf} gives
 * when the family is known only at run time. AF_UNIX addresses are paths.
 *
 * @example Telling the kinds apart
 * ```ts
 * import { type Address, socket } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * function port(address: Address): number | null {
 *   return typeof address === "string" ? null : address[1];
 * }
 *
 * const family: number = Number("2"); // known only at run time
 * using s = socket(family);
 * s.bind(["127.0.0.1", 0]);
 * assertEquals(typeof port(s.getsockname()), "number");
 * ```
 */
export type Address = IPv4Address | IPv6Address | string;

/**
 * What an AF_INET socket's methods take: `[host, port]`.
 *
 * @example
 * ```ts
 * import { type IPv4AddressLike, socket } from "@pysocket/socket";
 *
 * const address: IPv4AddressLike = ["127.0.0.1", 0];
 * using s = socket();
 * s.bind(address);
 * ```
 */
export type IPv4AddressLike = readonly [host: string, port: number];

/**
 * What an AF_INET6 socket's methods take: `[host, port]`, optionally with
 * `flowinfo` and `scope_id`.
 *
 * @example
 * ```ts
 * import { AF_INET6, type IPv6AddressLike, socket } from "@pysocket/socket";
 *
 * const address: IPv6AddressLike = ["::1", 0];
 * using s = socket(AF_INET6);
 * s.bind(address);
 * ```
 */
export type IPv6AddressLike = readonly [
  host: string,
  port: number,
  flowinfo?: number,
  scope_id?: number,
];

/**
 * What an address argument may be: what {@linkcode AddressLikeOf} gives
 * when the family is known only at run time: `[host, port]`, for AF_INET6
 * with optional `flowinfo` and `scope_id`, or an AF_UNIX path.
 *
 * @example
 * ```ts
 * import { type AddressLike, socket } from "@pysocket/socket";
 *
 * function bindAny(family: number, address: AddressLike): void {
 *   using s = socket(family);
 *   s.bind(address); // checked at run time, as in Python
 * }
 * bindAny(2, ["127.0.0.1", 0]);
 * ```
 */
export type AddressLike = IPv4AddressLike | IPv6AddressLike | string;

/**
 * The address a socket of family `F` returns (`getsockname()`,
 * `getpeername()`, `accept()`, `recvfrom()`): {@linkcode IPv4Address} for
 * `AF_INET`, {@linkcode IPv6Address} for `AF_INET6`, a path `string` for
 * `AF_UNIX`, and any {@linkcode Address} for a family known only at run
 * time (`F` is `number`).
 *
 * @typeParam F The socket's family, as its literal type (`typeof AF_INET`).
 *
 * @example
 * ```ts
 * import { type AF_INET, type AddressOf, socket } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * using s = socket();
 * s.bind(["127.0.0.1", 0]);
 * const address: AddressOf<typeof AF_INET> = s.getsockname(); // [string, number]
 * assertEquals(address[0], "127.0.0.1");
 * ```
 */
export type AddressOf<F extends number> = AddressByFamily[F];

/**
 * The address each family's sockets return, by family number:
 * {@linkcode AddressOf} looks the family up here (any other number, or
 * `number` itself, gives {@linkcode Address}).
 *
 * @example
 * ```ts
 * import type { AddressByFamily, IPv4Address } from "@pysocket/socket";
 *
 * const address: AddressByFamily[2] = ["127.0.0.1", 80]; // AF_INET is 2
 * const same: IPv4Address = address;
 * console.log(same);
 * ```
 */
export interface AddressByFamily {
  /** A family known only at run time: any address. */
  [family: number]: Address;
  /** `AF_UNIX`: a path. */
  1: string;
  /** `AF_INET`: `[host, port]`. */
  2: IPv4Address;
  /** `AF_INET6`: `[host, port, flowinfo, scope_id]`. */
  10: IPv6Address;
}

/**
 * What the methods of a socket of family `F` take as an address (`bind()`,
 * `connect()`, `sendto()`): {@linkcode IPv4AddressLike} for `AF_INET`,
 * {@linkcode IPv6AddressLike} for `AF_INET6`, a path for `AF_UNIX`, and
 * any {@linkcode AddressLike} for a family known only at run time.
 *
 * @typeParam F The socket's family, as its literal type.
 *
 * @example
 * ```ts
 * import { type AddressLikeOf, create_server, type Socket, socket } from "@pysocket/socket";
 *
 * // A helper for sockets of any family: the address follows the socket's.
 * async function reach<F extends number>(
 *   s: Socket<F>,
 *   address: AddressLikeOf<F>,
 * ): Promise<void> {
 *   await s.connect(address);
 * }
 *
 * using server = create_server(["127.0.0.1", 0]);
 * using client = socket();
 * await reach(client, server.getsockname());
 * (await server.accept())[0].close();
 * ```
 */
export type AddressLikeOf<F extends number> = AddressLikeByFamily[F];

/**
 * What each family's sockets take as an address, by family number:
 * {@linkcode AddressLikeOf} looks the family up here (any other number, or
 * `number` itself, gives {@linkcode AddressLike}).
 *
 * @example
 * ```ts
 * import type { AddressLikeByFamily } from "@pysocket/socket";
 *
 * const v6: AddressLikeByFamily[10] = ["::1", 80]; // AF_INET6 is 10
 * const path: AddressLikeByFamily[1] = "/tmp/app.sock"; // AF_UNIX is 1
 * console.log(v6, path);
 * ```
 */
export interface AddressLikeByFamily {
  /** A family known only at run time: any address argument. */
  [family: number]: AddressLike;
  /** `AF_UNIX`: a path. */
  1: string;
  /** `AF_INET`: `[host, port]`. */
  2: IPv4AddressLike;
  /** `AF_INET6`: `[host, port]` with optional `flowinfo`, `scope_id`. */
  10: IPv6AddressLike;
}

/**
 * Who sent what `recvfrom()` returns, on a socket of family `F` and type
 * `T`: for `SOCK_DGRAM`, the sender's address (never `null`); for
 * `SOCK_STREAM`, `null` (Python's `None`: a connected stream has no
 * sender per read); either when the type is known only at run time.
 *
 * @typeParam F The socket's family.
 * @typeParam T The socket's type.
 *
 * @example
 * ```ts
 * import { AF_INET, SOCK_DGRAM, type SenderOf, socket } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * using a = socket(AF_INET, SOCK_DGRAM);
 * a.bind(["127.0.0.1", 0]);
 * using b = socket(AF_INET, SOCK_DGRAM);
 * await b.sendto(new Uint8Array([1]), a.getsockname());
 * const [, sender]: [Uint8Array, SenderOf<typeof AF_INET, typeof SOCK_DGRAM>] =
 *   await a.recvfrom(16);
 * await a.sendto(new Uint8Array([2]), sender); // no null check needed
 * assertEquals(await b.recv(16), new Uint8Array([2]));
 * ```
 */
export type SenderOf<F extends number, T extends number> = SenderByType<
  F
>[T];

/**
 * Who sent what `recvfrom()` returns, by socket type, on a socket of
 * family `F`: {@linkcode SenderOf} looks the type up here.
 *
 * @typeParam F The socket's family.
 *
 * @example
 * ```ts
 * import type { SenderByType } from "@pysocket/socket";
 *
 * const stream: SenderByType<2>[1] = null; // SOCK_STREAM: Python's None
 * const datagram: SenderByType<2>[2] = ["127.0.0.1", 53]; // SOCK_DGRAM
 * console.log(stream, datagram);
 * ```
 */
export interface SenderByType<F extends number> {
  /** A type known only at run time: an address or `null`. */
  [type: number]: AddressOf<F> | null;
  /** `SOCK_STREAM`: `null`, as Python's `None`. */
  1: null;
  /** `SOCK_DGRAM`: the sender's address. */
  2: AddressOf<F>;
}

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
