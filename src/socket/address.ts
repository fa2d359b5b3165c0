// Copyright the pysocket authors. MIT license.
/**
 * Socket addresses as Python spells them: `[host, port]` for AF_INET,
 * `[host, port, flowinfo, scope_id]` for AF_INET6, a path for AF_UNIX.
 *
 * @module
 */

import { AF_INET, AF_INET6, AF_UNIX } from "./constants.ts";
import {
  errnoError,
  gaiError,
  OSError,
  OverflowError,
  TypeError,
} from "./errors.ts";
import { hostOS } from "../_backend/mod.ts";
import {
  bytesLike,
  checkInt,
  isDetached,
  pyInt,
  pyTypeName,
} from "../_py/pytype.ts";
import type { RawAddr } from "../_backend/mod.ts";
import { interfaceIndex, interfaceName, numericAddress } from "./_resolver.ts";
import { parseAton, utf8Strict } from "./convert.ts";
import { latin1Text, lookupCodec } from "../_py/codec.ts";
import { idnaEncode } from "../_py/idna.ts";
import { pyRepr } from "../_py/repr.ts";

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
export type Address = IPv4Address | IPv6Address | UnixAddress;

/**
 * An AF_UNIX address, as CPython gives it on Linux: a path `string`
 * (`""` when unnamed), or, for an abstract name (its first byte NUL), the
 * name's bytes: a `Uint8Array`, as Python's `b'\\x00name'`.
 *
 * @example An abstract name round-trips as bytes (Linux)
 * ```ts
 * import { AF_UNIX, socket, type UnixAddress } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * using s = socket(AF_UNIX);
 * s.bind("\0my-service");
 * const name: UnixAddress = s.getsockname();
 * assertEquals(name, new TextEncoder().encode("\0my-service"));
 * ```
 */
export type UnixAddress = string | Uint8Array<ArrayBuffer>;

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
export type AddressLike =
  | IPv4AddressLike
  | IPv6AddressLike
  | UnixAddressLike;

/**
 * What an AF_UNIX socket's methods take: a path, or bytes (an abstract
 * name starts with a NUL: `"\0name"` or its bytes).
 *
 * @example
 * ```ts
 * import { AF_UNIX, socket, type UnixAddressLike } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 * import { rmSync } from "node:fs";
 *
 * const address: UnixAddressLike = `/tmp/pysocket-doc-${crypto.randomUUID()}.sock`;
 * {
 *   using s = socket(AF_UNIX);
 *   s.bind(address);
 *   assertEquals(s.getsockname(), address);
 * }
 * rmSync(address, { force: true }); // CPython leaves the file; close() removed it
 * ```
 */
export type UnixAddressLike = string | Uint8Array;

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
  /** `AF_UNIX`: a path, or an abstract name's bytes. */
  1: UnixAddress;
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
  /** `AF_UNIX`: a path, or bytes. */
  1: UnixAddressLike;
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

/** Four numbers of up to three digits: a dotted quad in any writing. */
const DOTTED_QUAD = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/**
 * Four numbers of 0 to 255 written as inet_pton writes them (no leading
 * zero): the address as it is. Other forms ("010.0.0.1", octal to
 * inet_aton) are read as getaddrinfo() reads them.
 */
const IPV4_LITERAL =
  /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** Is `host` an IPv6 literal? */
export function isIPv6Literal(host: string): boolean {
  return host.includes(":");
}

/**
 * The host {@linkcode isIPv4Literal} was last asked about, and the answer:
 * a program sends to the same host again and again (`sendto`), each time
 * in a new string; comparing it costs less than the regular expression.
 */
let lastHost = "";
let lastIsIPv4 = false;

/** Is `host` an IPv4 literal in dotted-quad form? */
export function isIPv4Literal(host: string): boolean {
  if (host !== lastHost) {
    lastIsIPv4 = IPV4_LITERAL.test(host);
    lastHost = host;
  }
  return lastIsIPv4;
}

/** Is `host` the wildcard address, `0.0.0.0` or `::` (no address of its own)? */
export function isWildcard(host: string): boolean {
  return host === "0.0.0.0" || host === "::";
}

/** Is `host` an IP literal of either family (no resolver needed)? */
export function isIPLiteral(host: string): boolean {
  return isIPv4Literal(host) || isIPv6Literal(host);
}

/**
 * The error of a bind the runtime made to an address of the other family:
 * for a name, Python's `gaierror` `EAI_NONAME` (glibc's lookup by family
 * finds nothing); for an address (an IP literal, or a numeric form glibc
 * reads as IPv4: `127.1`, `0x7f.1`), `EAI_ADDRFAMILY`.
 *
 * @param ep Where the bind was asked to.
 * @returns The error to raise.
 */
export function otherFamilyError(ep: Endpoint): Error {
  const name = "hostname" in ep && !isIPLiteral(ep.hostname) &&
    parseAton(ep.hostname) === undefined;
  return gaiError(name ? "EAI_NONAME" : "EAI_ADDRFAMILY");
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
 * @param datagram A datagram socket's: its `connect()` to a link-local
 * address with no scope is refused by the transport, once bound.
 */
export function toEndpoint(
  family: number,
  address: unknown,
  fn: string,
  datagram = false,
): Endpoint {
  if (family === AF_UNIX) return toUnixEndpoint(address, fn);
  return toNetEndpoint(family, address, fn, datagram);
}

/** Linux's `sun_path`: 108 bytes, a path's NUL included. */
const SUN_PATH = 108;

const utf8 = new TextEncoder();

/**
 * An AF_UNIX address as Linux takes it: a path (`str`, or bytes), or an
 * abstract name (a leading NUL); longer than `sun_path` is `OSError: AF_UNIX
 * path too long`, as in CPython.
 *
 * No runtime binds or connects to a name that is not UTF-8 (each takes the
 * name as a string): such a name is Python's `UnicodeDecodeError` (bytes)
 * or `UnicodeEncodeError` (a `str` with a lone surrogate, which CPython
 * would write as the byte `surrogateescape` gives), never another name.
 */
function toUnixEndpoint(address: unknown, fn: string): UnixEndpoint {
  // An array is the tuple a Python program passes here (`("host", port)`).
  if (Array.isArray(address)) {
    throw new TypeError("a bytes-like object is required, not 'tuple'");
  }
  // A str is encoded first, as CPython's PyUnicode_EncodeFSDefault does.
  const bytes = typeof address === "string"
    ? utf8.encode(utf8Strict(address))
    : bytesLike(address);
  if (bytes.length === 0) {
    // Linux: bind() to no name picks an abstract one (five hex digits,
    // as `b'\\x00222fd'`). Elsewhere CPython hands the kernel the empty
    // address, which the call then refuses in its own order (a closed
    // socket's EBADF first; a stream socket's sendto() looks at no
    // address): the empty path, for the caller to refuse.
    if (fn !== "bind") return { path: "" };
    if (hostOS() !== "linux") throw errnoError("EINVAL");
    const pick = crypto.getRandomValues(new Uint32Array(1))[0] & 0xfffff;
    return { path: `\0${pick.toString(16).padStart(5, "0")}` };
  }
  const abstract = bytes.length > 0 && bytes[0] === 0;
  if (abstract ? bytes.length > SUN_PATH : bytes.length >= SUN_PATH) {
    throw new OSError("AF_UNIX path too long");
  }
  // A path ends at its first NUL, as the kernel reads it.
  const nul = abstract ? -1 : bytes.indexOf(0);
  let path: string;
  if (typeof address === "string") {
    path = nul < 0 ? address : address.slice(0, address.indexOf("\0"));
  } else {
    path = lookupCodec("utf-8").decoder("strict").decode(
      nul < 0 ? bytes : bytes.subarray(0, nul),
      true,
    );
  }
  return { path };
}

/** {@linkcode toEndpoint} for AF_INET and AF_INET6. */
export function toNetEndpoint(
  family: number,
  address: unknown,
  fn: string,
  datagram = false,
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
  const [rawHost, port, flowinfo = 0] = address;
  // CPython's PyArg_ParseTuple() converts the items first: the host, the
  // port as a C int (an int past one is the port's OverflowError at once),
  // then flowinfo and scope_id as unsigned ints (masked, never refused).
  const host = hostArgument(rawHost);
  const p = checkInt(port);
  if (p < -(2 ** 31) || p >= 2 ** 31) {
    throw new OverflowError(`${fn}(): port must be 0-65535.`);
  }
  const f = v6 ? uintMask(flowinfo) : 0;
  const given = v6 && address.length === 4 ? uintMask(address[3]) : 0;
  // Then setipaddr() reads the host (the errors of an address of the other
  // family, or of no address at all, come before the range checks below).
  // CPython's setipaddr(): the broadcast address is IPv4's alone.
  if (v6 && (host === "<broadcast>" || host === "255.255.255.255")) {
    throw new OSError("address family mismatched");
  }
  let hostname = host;
  if (host === "") hostname = v6 ? "::" : "0.0.0.0";
  else if (host === "<broadcast>") hostname = "255.255.255.255";
  // (Remembered for the host asked last: a dotted quad, the usual host,
  // has no ":", so none needs looking for.)
  let v4 = isIPv4Literal(hostname);
  if (!v4 && DOTTED_QUAD.test(hostname)) {
    // "010.0.0.1" is 8.0.0.1 to getaddrinfo() (inet_aton reads octal);
    // Node refuses such a form, and "999.1.1.1" is no address at all.
    const bytes = parseAton(hostname, true);
    if (bytes !== undefined) [hostname, v4] = [bytes.join("."), true];
  }
  // getaddrinfo() finds no name with a ":" that is not an IPv6 address,
  // nor one in brackets (which runtimes take for an IPv6 literal); of an
  // IPv6 address it reads the family, then the "%zone" (glibc's rules).
  let ip = hostname;
  const v6Literal = !v4 && isIPv6Literal(hostname);
  if (v6Literal) {
    const numeric = /[[\]]/.test(hostname)
      ? undefined
      : numericAddress(hostname, v6 ? AF_INET6 : AF_INET, 0);
    if (numeric === undefined) throw gaiError("EAI_NONAME");
    // An IPv4-mapped address is its IPv4 address, as getaddrinfo() says.
    if (!v6) hostname = numeric.address;
    else ip = hostname.split("%", 1)[0];
  } else if (v6 && v4) throw gaiError("EAI_ADDRFAMILY");
  // A name is looked up there too, before the port's range is checked: its
  // error (`gaierror`) goes first. The lookup is the caller's (pysocket
  // resolves later, asynchronously): the range error carries the name.
  const lookup = v4 || v6Literal ? undefined : hostname;
  if (p < 0 || p > 65535) {
    throw unlessResolved(
      new OverflowError(`${fn}(): port must be 0-65535.`),
      lookup,
    );
  }
  if (v6 && f > 0xfffff) {
    throw unlessResolved(
      new OverflowError(`${fn}(): flowinfo must be 0-1048575.`),
      lookup,
    );
  }
  if (v6) {
    // CPython sets sin6_scope_id from the tuple (0 when not given) over
    // what getaddrinfo() made of a "%zone". Linux uses the scope of a
    // link-local address (unicast, or interface/link-local multicast) only.
    // (The item is converted whatever the address, as CPython does.)
    const linkLocal = LINK_LOCAL.test(ip);
    const scope = linkLocal || MULTICAST_LOCAL.test(ip) ? given : 0;
    // Linux binds or connects to a link-local address only through an
    // interface: without a scope, EINVAL (a datagram sent names none and
    // goes; a datagram socket's connect() binds first). Node's connect
    // would wait for ever instead.
    const early = fn === "bind" || (!datagram && fn !== "sendto");
    if (scope === 0 && early && linkLocal) {
      throw errnoError("EINVAL");
    }
    hostname = scope === 0 ? ip : `${ip}%${scopeZone(scope)}`;
  }
  return { hostname, port: p };
}

/** The host name each deferred range error waits on (`unresolvedHost`). */
const UNRESOLVED = new WeakMap<Error, string>();

/** `err`, marked as waiting on the lookup of `name` where there is one. */
function unlessResolved(err: Error, name: string | undefined): Error {
  if (name !== undefined) UNRESOLVED.set(err, name);
  return err;
}

/**
 * The host name a range error of {@linkcode toNetEndpoint} (the port's, or
 * flowinfo's) waits on: CPython looks the name up before it checks the
 * range, so the lookup's error (`gaierror`) is the one to raise, and the
 * range error only once the name is found. `undefined` for any other error
 * (an address, or no range error).
 *
 * @param err An error `toNetEndpoint` threw.
 * @returns The name to look up first, in the socket's family.
 */
export function unresolvedHost(err: unknown): string | undefined {
  return err instanceof Error ? UNRESOLVED.get(err) : undefined;
}

/**
 * The text after "%" that gives a runtime scope id `scope`: the
 * interface's name where one has that index (Node's libuv reads the zone
 * as a name only, `if_nametoindex("1")` being 0; Deno and Bun take either),
 * else the number.
 */
function scopeZone(scope: number): string {
  const name = interfaceName(scope);
  // A name Node's isIP() would not take as a zone is looked up instead,
  // and the lookup's answer has no scope: the number is no worse there.
  return name !== undefined && /^[0-9a-zA-Z.-]+$/.test(name)
    ? name
    : String(scope);
}

/** An IPv6 link-local literal: its first group is fe80 to febf. */
const LINK_LOCAL = /^fe[89ab][0-9a-f]:/i;
/** An IPv6 interface- or link-local multicast literal (ffx1, ffx2). */
const MULTICAST_LOCAL = /^ff[0-9a-f][12]:/i;

/** A character beyond ASCII: a `str` host CPython encodes with `idna`. */
const NON_ASCII = /[\u0080-\uffff]/;

/**
 * A host item of an address tuple, as CPython's `idna_converter` takes it
 * (before the port, and before any lookup): a `str`, encoded with the
 * `idna` codec when it is not all ASCII (`"bücher.invalid"` is looked up
 * as `"xn--bcher-kva.invalid"`; a name the codec refuses, a lone surrogate
 * or a label empty or too long, is `TypeError: encoding of hostname
 * failed`), or bytes (a `Uint8Array`, one character per byte, as C's `char *`); with
 * a NUL, `TypeError: host name must not contain null character`.
 */
function hostArgument(host: unknown): string {
  let name: string;
  if (typeof host === "string") {
    // A dotted quad, the usual host (remembered from the call before), is
    // all ASCII, without a NUL.
    if (isIPv4Literal(host)) return host;
    name = host;
    if (NON_ASCII.test(host)) {
      try {
        name = idnaEncode(host);
      } catch {
        // CPython replaces the codec's UnicodeError (no context kept).
        throw new TypeError("encoding of hostname failed");
      }
    }
  } else if (host instanceof Uint8Array && !isDetached(host)) {
    name = latin1Text(host);
  } else {
    throw new TypeError(
      `str, bytes or bytearray expected, not ${pyTypeName(host)}`,
    );
  }
  if (name.includes("\0")) {
    throw new TypeError("host name must not contain null character");
  }
  return name;
}

/** CPython's `I` conversion: an int, masked to 32 unsigned bits. */
export function uintMask(value: unknown): number {
  const n = pyInt(value);
  if (n === undefined) checkInt(value); // Python's TypeError
  return Number(BigInt.asUintN(32, n!));
}

/**
 * The runtime's address → Python's tuple for `family`. A Linux abstract
 * name (a leading NUL) is bytes, as in CPython: a `Uint8Array`. A scoped
 * IPv6 host (`fe80::1%eth0`, as pysocket hands a scope to the runtime and
 * Node names its own) is the address and the interface's index as
 * `scope_id`, as Linux's `sin6_scope_id` (0 where the index is unknown).
 */
export function fromRaw(family: number, raw: RawAddr): Address {
  if ("path" in raw) {
    const path = raw.path ?? "";
    return path.startsWith("\0") ? utf8.encode(path) : path;
  }
  if (family !== AF_INET6) return [raw.hostname, raw.port];
  const cut = raw.hostname.indexOf("%");
  if (cut < 0) return [raw.hostname, raw.port, 0, 0];
  const zone = raw.hostname.slice(cut + 1);
  const scope = /^[0-9]+$/.test(zone) ? Number(zone) : zoneIndex(zone);
  return [raw.hostname.slice(0, cut), raw.port, 0, scope];
}

/**
 * The index of the interface a zone names, 0 where none is known: asked of
 * the host once per name (a read of sysfs, where a datagram from a
 * link-local sender brings its zone each time).
 */
function zoneIndex(zone: string): number {
  let index = ZONE_INDEX.get(zone);
  if (index === undefined) {
    // (A name not known yet is asked again: its interface may come.)
    index = interfaceIndex(zone);
    if (index === undefined) return 0;
    if (ZONE_INDEX.size < 64) ZONE_INDEX.set(zone, index);
  }
  return index;
}

/** Zone names already asked: `zoneIndex`. */
const ZONE_INDEX = new Map<string, number>();

/** The address of a socket that is not bound: `('0.0.0.0', 0)` and kin. */
export function unboundAddress(family: number): Address {
  if (family === AF_INET6) return ["::", 0, 0, 0];
  if (family === AF_UNIX) return "";
  return ["0.0.0.0", 0];
}

/**
 * Python's `repr()` of an address: `('127.0.0.1', 12345)`, a path's
 * `'/tmp/s'`, an abstract name's `b'\\x00name'`; any other argument as
 * Python would print it (an address that failed to bind).
 */
export function reprAddress(address: unknown): string {
  if (Array.isArray(address)) {
    const items = address.map(pyRepr).join(", ");
    return `(${items}${address.length === 1 ? "," : ""})`;
  }
  return pyRepr(address);
}

/** Python's `str()` of an address: a tuple's repr, or the path itself. */
export function strAddress(address: Address): string {
  return typeof address === "string" ? address : reprAddress(address);
}
