// Copyright the pysocket authors. MIT license.
/**
 * Name resolution through the system resolver (`/etc/hosts`, then DNS, as
 * `nsswitch.conf` says): `gethostname`, `getaddrinfo`, `gethostbyname`,
 * `gethostbyname_ex`, `gethostbyaddr`, `getnameinfo`, `getfqdn`.
 *
 * @module
 */

import { idnaEncode } from "../_py/idna.ts";
import { latin1Text } from "../_py/codec.ts";
import {
  type IPv4Address,
  type IPv6Address,
  isWildcard,
  uintMask,
} from "./address.ts";
import {
  AF_INET,
  AF_INET6,
  AF_UNSPEC,
  AI_ALL,
  AI_CANONNAME,
  AI_NUMERICHOST,
  AI_NUMERICSERV,
  AI_PASSIVE,
  AI_V4MAPPED,
  IPPROTO_TCP,
  IPPROTO_UDP,
  NI_DGRAM,
  NI_NAMEREQD,
  NI_NUMERICHOST,
  NI_NUMERICSERV,
  SOCK_DGRAM,
  SOCK_RAW,
  SOCK_STREAM,
} from "./constants.ts";
import {
  cInt,
  formatNtop6,
  parseAton,
  parsePton4,
  parsePton6,
  utf8Strict,
} from "./convert.ts";
import {
  gaiError,
  gaierror,
  herror,
  OSError,
  OverflowError,
  PermissionError,
  TypeError,
  ValueError,
} from "./errors.ts";
import { mapError } from "../_io/boundary.ts";
import {
  type ArgSpec,
  checkArgs,
  checkCInt,
  checkOptions,
  isDetached,
  pyArgType,
  pyTypeName,
} from "../_py/pytype.ts";
import {
  hostsFile,
  hostsHostent,
  hostsMulti,
  hostsNames,
  interfaceName,
  lookupName,
  type NumericAddress,
  numericAddress,
  type ResolvedAddress,
  reverseName,
  servicesFile,
  setHErrno,
  staleHerror,
} from "./_resolver.ts";
import { backend } from "../_backend/mod.ts";

/**
 * Returns the machine's host name, as Python's `socket.gethostname()`.
 *
 * @returns The host name.
 * @throws {PermissionError} Without Deno's `--allow-sys=hostname`.
 *
 * @example The machine's name
 * ```ts
 * import { gethostname, PermissionError } from "@pysocket/socket";
 * import { assert, assertInstanceOf } from "@std/assert";
 *
 * try {
 *   assert(gethostname().length > 0);
 * } catch (err) {
 *   // Without --allow-sys=hostname the error names the flag to add.
 *   assertInstanceOf(err, PermissionError);
 * }
 * ```
 */
export function gethostname(): string {
  try {
    checkArgs(ARGS.gethostname, arguments);
    return backend().host.hostname();
  } catch (err) {
    throw mapError(err);
  }
}

/**
 * One result of {@linkcode getaddrinfo}: Python's
 * `(family, type, proto, canonname, sockaddr)`. An `AF_INET` entry's
 * `sockaddr` is an {@linkcode IPv4Address}, an `AF_INET6` one's an
 * {@linkcode IPv6Address}: `getaddrinfo(host, port, AF_INET)` gives
 * `AddrInfo<typeof AF_INET>` entries, and an `AF_UNSPEC` lookup's entries
 * narrow on `family === AF_INET`.
 *
 * @typeParam F The family asked for, as its literal type (`typeof
 * AF_INET`); any other (`AF_UNSPEC`, or `number`) gives either entry.
 *
 * @example Python's 5-tuple, destructured
 * ```ts
 * import { type AddrInfo, AF_INET, getaddrinfo, SOCK_STREAM } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * const infos: AddrInfo[] = await getaddrinfo("127.0.0.1", 80, AF_INET, SOCK_STREAM);
 * const [family, type, proto, canonname, sockaddr] = infos[0];
 * assertEquals([family, type, proto, canonname], [AF_INET, SOCK_STREAM, 6, ""]);
 * assertEquals(sockaddr, ["127.0.0.1", 80]);
 * ```
 */
export type AddrInfo<F extends number = number> = F extends typeof AF_INET ? [
    family: typeof AF_INET,
    type: number,
    proto: number,
    canonname: string,
    sockaddr: IPv4Address,
  ]
  : F extends typeof AF_INET6 ? [
      family: typeof AF_INET6,
      type: number,
      proto: number,
      canonname: string,
      sockaddr: IPv6Address,
    ]
  : AddrInfo<typeof AF_INET> | AddrInfo<typeof AF_INET6>;

/** glibc's `ai_flags` bits (with the IDN ones); any other is `EAI_BADFLAGS`. */
const KNOWN_AI_FLAGS = 0x7ff;
/** glibc's `NI_*` bits (with the IDN ones); any other is `EAI_BADFLAGS`. */
const KNOWN_NI_FLAGS = 0xff;

const SOCK_SEQPACKET = 5;
const SOCK_DCCP = 6;
const IPPROTO_DCCP = 33;
const IPPROTO_SCTP = 132;
const IPPROTO_UDPLITE = 136;

/** A row of glibc's `gaih_inet_typeproto` table. */
interface TypeProto {
  socktype: number;
  protocol: number;
  /** `GAI_PROTO_PROTOANY`: any `proto` goes with this type. */
  anyProto: boolean;
  /** `GAI_PROTO_NOSERVICE`: no port may be given. */
  noService: boolean;
  /** Returned when neither type nor protocol is asked for. */
  byDefault: boolean;
  name: string;
}

/** A table row; `raw` is `SOCK_RAW`'s any-protocol, no-service row. */
function row(
  socktype: number,
  protocol: number,
  name: string,
  byDefault = false,
  raw = false,
): TypeProto {
  return { socktype, protocol, anyProto: raw, noService: raw, byDefault, name };
}

const TYPEPROTO: readonly TypeProto[] = [
  row(SOCK_STREAM, IPPROTO_TCP, "tcp", true),
  row(SOCK_DGRAM, IPPROTO_UDP, "udp", true),
  row(SOCK_DCCP, IPPROTO_DCCP, "dccp"),
  row(SOCK_DGRAM, IPPROTO_UDPLITE, "udplite"),
  row(SOCK_STREAM, IPPROTO_SCTP, "sctp"),
  row(SOCK_SEQPACKET, IPPROTO_SCTP, "sctp"),
  row(SOCK_RAW, 0, "raw", true, true),
];

/** C's `strtoul(s, &end, 10)` cast to `int`, and whether it used all of `s`. */
function strtoulInt(text: string): { num: number; whole: boolean } {
  // The usual port: plain digits that fit an int.
  if (/^\d{1,9}$/.test(text)) return { num: Number(text), whole: true };
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d+)/.exec(text);
  if (m === null) return { num: 0, whole: text === "" };
  let value = BigInt(m[2]);
  if (value > 2n ** 64n - 1n) value = 2n ** 64n - 1n;
  else if (m[1] === "-") value = (2n ** 64n - value) % 2n ** 64n;
  return { num: Number(BigInt.asIntN(32, value)), whole: m[0] === text };
}

/** A service name's port for a protocol, from the services database. */
function servicePort(name: string, protocol: string): number | undefined {
  return servicesFile().find((s) =>
    s.protocol === protocol && (s.name === name || s.aliases.includes(name))
  )?.port;
}

/** A port's service name for a protocol, from the services database. */
function serviceName(port: number, protocol: string): string | undefined {
  return servicesFile().find((s) => s.protocol === protocol && s.port === port)
    ?.name;
}

/** Is this packed IPv6 address link-local (`fe80::/10`, `ff02::/16`)? */
function isLinkLocal(packed: Uint8Array): boolean {
  return (packed[0] === 0xfe && (packed[1] & 0xc0) === 0x80) ||
    (packed[0] === 0xff && (packed[1] & 0x0f) === 0x02);
}

/** A numeric host, any family; `undefined` for a name or a bad zone. */
function numericHost(host: string): NumericAddress | undefined {
  try {
    return numericAddress(host, AF_UNSPEC, 0);
  } catch (err) {
    if (err instanceof gaierror) return undefined;
    throw err;
  }
}

/**
 * The addresses of a name, with glibc's `AI_V4MAPPED`/`AI_ALL` rules, and
 * the family of the lookup that answered first (its `/etc/hosts` line
 * gives the canonical name): AF_INET where only mapped IPv4 addresses were
 * found for AF_INET6.
 */
async function lookupMapped(
  host: string,
  family: number,
  flags: number,
): Promise<{ addresses: NumericAddress[]; canonFamily: number }> {
  const normal = (a: ResolvedAddress) => {
    const n = numericHost(a.address);
    return n ?? { ...a, scope: 0 };
  };
  if (family !== AF_INET6 || !(flags & AI_V4MAPPED)) {
    const addresses = (await lookupName(host, family)).map(normal);
    return { addresses, canonFamily: family };
  }
  const orEmpty = (err: unknown) => {
    if (err instanceof gaierror) return [] as ResolvedAddress[];
    throw err;
  };
  const found = (await lookupName(host, AF_INET6).catch(orEmpty)).map(normal);
  const canonFamily = found.length === 0 ? AF_INET : AF_INET6;
  if (found.length === 0 || flags & AI_ALL) {
    for (const a of await lookupName(host, AF_INET).catch(orEmpty)) {
      found.push({
        family: AF_INET6,
        address: `::ffff:${a.address}`,
        scope: 0,
      });
    }
  }
  if (found.length === 0) throw gaiError("EAI_NONAME");
  return { addresses: found, canonFamily };
}

/** glibc's `getaddrinfo()`, step by step, over the system resolver. */
async function gai(
  host: string | null,
  service: string | null,
  family: number,
  socktype: number,
  protocol: number,
  flags: number,
): Promise<AddrInfo[]> {
  // glibc's order: "*" is no host (or no service), then both missing, the
  // flags, the family, and last the service ("" is none).
  if (host === "*") host = null;
  if (service === "*") service = null;
  if (host === null && service === null) throw gaiError("EAI_NONAME");
  if (flags & ~KNOWN_AI_FLAGS) throw gaiError("EAI_BADFLAGS");
  if (flags & AI_CANONNAME && host === null) throw gaiError("EAI_BADFLAGS");
  if (family !== AF_UNSPEC && family !== AF_INET && family !== AF_INET6) {
    throw gaiError("EAI_FAMILY");
  }
  if (service === "") service = null;
  let num = 0;
  if (service !== null) {
    const parsed = strtoulInt(service);
    num = parsed.num;
    if (!parsed.whole) {
      if (flags & AI_NUMERICSERV) throw gaiError("EAI_NONAME");
      num = -1;
    }
  }
  // The socket type and protocol: one row of the table, or all of them.
  let tp: TypeProto | undefined;
  const fits = (t: TypeProto) =>
    (socktype === 0 || socktype === t.socktype) &&
    (protocol === 0 || t.anyProto || protocol === t.protocol);
  if (socktype !== 0 || protocol !== 0) {
    tp = TYPEPROTO.find(fits);
    if (tp === undefined) {
      throw gaiError(socktype !== 0 ? "EAI_SOCKTYPE" : "EAI_SERVICE");
    }
  }
  const kinds: [number, number, number][] = [];
  if (service !== null && tp?.noService) throw gaiError("EAI_SERVICE");
  if (service !== null && num < 0) {
    for (const t of tp ? [tp] : TYPEPROTO.filter((t) => !t.noService)) {
      const port = servicePort(service, t.name);
      if (port !== undefined) {
        kinds.push([t.socktype, protocol || t.protocol, port]);
      }
    }
    if (kinds.length === 0) throw gaiError("EAI_SERVICE");
  } else {
    const port = num & 0xffff;
    for (const t of tp ? [tp] : TYPEPROTO.filter((t) => t.byDefault)) {
      kinds.push([t.socktype, protocol || t.protocol, port]);
    }
  }
  // The host: none (wildcard or loopback), a literal, or a name.
  let addresses: NumericAddress[];
  let canonname = "";
  if (host === null) {
    addresses = (flags & AI_PASSIVE
      ? [[AF_INET, "0.0.0.0"], [AF_INET6, "::"]] as const
      : [[AF_INET6, "::1"], [AF_INET, "127.0.0.1"]] as const)
      .filter(([f]) =>
        family === AF_UNSPEC || family === f
      )
      .map(([f, address]) => ({ family: f, address, scope: 0 }));
  } else {
    const literal = numericAddress(host, family, flags);
    if (literal !== undefined) {
      addresses = [literal];
      canonname = host;
    } else if (
      flags & AI_NUMERICHOST || host === "" || host.includes("\0")
    ) {
      throw gaiError("EAI_NONAME");
    } else {
      const found = await lookupMapped(host, family, flags);
      addresses = found.addresses;
      // The first answer's name: AF_UNSPEC's is the first line of any
      // family, as glibc's files lookup gathers them.
      canonname = hostsNames(host, found.canonFamily)?.canonical ?? host;
    }
  }
  const results: AddrInfo[] = [];
  for (const { family: f, address, scope } of addresses) {
    for (const [type, proto, port] of kinds) {
      const canon = flags & AI_CANONNAME && results.length === 0
        ? canonname
        : "";
      results.push(
        f === AF_INET6
          ? [AF_INET6, type, proto, canon, [address, port, 0, scope]]
          : [AF_INET, type, proto, canon, [address, port]],
      );
    }
  }
  return results;
}

/** Bytes as Python's `bytes`: a `Uint8Array` that is not detached. */
function isBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array && !isDetached(value);
}

/** A host argument for `getaddrinfo` (`str`, `bytes` or `None`). */
function hostArg(host: unknown): string | null {
  if (host === null || host === undefined) return null;
  // A str goes through the idna codec (bytes as they are), as in CPython.
  if (typeof host === "string") return cText(idnaEncode(host));
  if (isBytes(host)) return cText(latin1Text(host));
  throw new TypeError("getaddrinfo() argument 1 must be string or None");
}

/**
 * Text as C reads it from CPython's bytes: up to its first NUL (CPython
 * hands `getaddrinfo()` the buffer, so `"localhost\0b"` is `localhost`).
 */
function cText(text: string): string {
  const nul = text.indexOf("\0");
  return nul < 0 ? text : text.slice(0, nul);
}

/**
 * A port argument for `getaddrinfo` (`int`, `str`, `bytes` or `None`; a
 * `bool` is not an exact int, as CPython's check is).
 */
function portArg(port: unknown): string | null {
  if (port === null || port === undefined) return null;
  // CPython formats an int with "%ld": the exact digits, which glibc's
  // strtoul() then reads (a bigint beyond 2**53 stays exact).
  if (
    (typeof port === "number" && Number.isInteger(port)) ||
    typeof port === "bigint"
  ) {
    checkCInt(port, "long");
    return BigInt(port).toString();
  }
  // A str is sent as UTF-8: a lone surrogate is UnicodeEncodeError.
  if (typeof port === "string") return cText(utf8Strict(port));
  if (isBytes(port)) return cText(latin1Text(port));
  throw new OSError("Int or String expected");
}

/** CPython's argument counts of the resolver functions. */
const ARGS: Record<string, ArgSpec> = {
  gethostname: {
    name: "_socket.gethostname",
    style: "noargs",
    params: [],
    required: 0,
  },
  getaddrinfo: {
    name: "getaddrinfo",
    style: "py",
    params: ["host", "port", "family", "type", "proto", "flags"],
    required: 2,
  },
  getnameinfo: {
    name: "getnameinfo",
    style: "tuple",
    params: ["sockaddr", "flags"],
    required: 2,
  },
  gethostbyname: {
    name: "gethostbyname",
    style: "tuple",
    params: ["hostname"],
    required: 1,
  },
  gethostbyname_ex: {
    name: "gethostbyname_ex",
    style: "tuple",
    params: ["hostname"],
    required: 1,
  },
  gethostbyaddr: {
    name: "gethostbyaddr",
    style: "tuple",
    params: ["ip_address"],
    required: 1,
  },
  getfqdn: { name: "getfqdn", style: "py", params: ["name"], required: 0 },
};

/** A name argument for `gethostby*` (`str`, `bytes` or `bytearray`). */
function nameArg(name: unknown, fn: string): string {
  if (typeof name === "string" || isBytes(name)) {
    // CPython's "et" conversion with the idna codec: a str is encoded,
    // then there must be no NUL inside.
    const encoded = typeof name === "string" ? idnaEncode(name) : name;
    const nul = typeof encoded === "string"
      ? encoded.includes("\0")
      : encoded.includes(0);
    if (nul) {
      throw new TypeError(
        `${fn}() argument 1 must be encoded string without null bytes, not ${
          typeof name === "string" ? "str" : "bytes"
        }`,
      );
    }
    return typeof encoded === "string" ? encoded : latin1Text(encoded);
  }
  const type = pyArgType(name);
  throw new TypeError(
    `${fn}() argument 1 must be str, bytes or bytearray, not ${type}`,
  );
}

/**
 * Translates a host and port into the arguments for making a socket, as
 * Python's `socket.getaddrinfo()` on Linux: one entry per address and socket
 * type, in the system resolver's order (`/etc/hosts`, then DNS).
 *
 * `host` `null` means the loopback addresses, or with `AI_PASSIVE` the
 * wildcard ones (`0.0.0.0`, `::`). `port` may be a number, a numeric string
 * or a service name (`"http"`), looked up in `/etc/services` when Deno may
 * read it, else in a built-in table of common services. With `AI_CANONNAME`
 * the first entry carries the canonical name.
 *
 * Python's keyword arguments come as an object last:
 * `getaddrinfo(host, port, type=SOCK_STREAM)` is
 * `getaddrinfo(host, port, { type: SOCK_STREAM })`, and
 * `getaddrinfo(host, port, AF_INET, proto=IPPROTO_TCP)` is
 * `getaddrinfo(host, port, AF_INET, { proto: IPPROTO_TCP })`.
 *
 * @typeParam F The family asked for: `AF_INET` types the entries'
 * `sockaddr` as `[host, port]`, `AF_INET6` as the 4-tuple; `AF_UNSPEC`
 * (or a family known only at run time) as either, by `family`.
 * @param host A host name, an IP literal, or `null`.
 * @param port A port number, a service name, or `null`.
 * @param family `AF_INET`, `AF_INET6` or `AF_UNSPEC` (default, both), or
 * the keyword arguments.
 * @param type `SOCK_STREAM`, `SOCK_DGRAM`, `SOCK_RAW`, or 0 (all three), or
 * the keyword arguments.
 * @param proto `IPPROTO_TCP`, `IPPROTO_UDP`, … or 0 (the type's own), or
 * the keyword arguments.
 * @param flags `AI_*` flags, or-ed together, or the keyword arguments.
 * @returns `[family, type, proto, canonname, sockaddr]` entries; `sockaddr`
 * is `[host, port]` or `[host, port, flowinfo, scope_id]`.
 * @throws {gaierror} With glibc's numbers and texts, e.g.
 * `[Errno -2] Name or service not known`,
 * `[Errno -8] Servname not supported for ai_socktype`,
 * `[Errno -9] Address family for hostname not supported`.
 * @throws {PermissionError} Without Deno's `--allow-net` for `host`.
 * @throws {OSError} `Int or String expected` for a port of another type.
 * @throws {TypeError} `getaddrinfo() argument 1 must be string or None`.
 *
 * @example Where to connect for localhost:80
 * ```ts
 * import { AF_INET, getaddrinfo, SOCK_STREAM } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * const infos = await getaddrinfo("127.0.0.1", 80, AF_INET, SOCK_STREAM);
 * assertEquals(infos, [[AF_INET, SOCK_STREAM, 6, "", ["127.0.0.1", 80]]]);
 * ```
 */
export async function getaddrinfo<F extends number = typeof AF_UNSPEC>(
  host: string | Uint8Array | null,
  port: number | string | Uint8Array | null,
  family?: F | (GetaddrinfoOptions & { family?: F }),
  type?: number | GetaddrinfoOptions,
  proto?: number | GetaddrinfoOptions,
  flags?: number | GetaddrinfoOptions,
): Promise<AddrInfo<F>[]>;
export async function getaddrinfo(
  host: string | Uint8Array | null,
  port: number | string | Uint8Array | null,
  family: number | GetaddrinfoOptions = 0,
  type: number | GetaddrinfoOptions = 0,
  proto: number | GetaddrinfoOptions = 0,
  flags: number | GetaddrinfoOptions = 0,
): Promise<AddrInfo[]> {
  try {
    const given = [host, port, family, type, proto, flags];
    const args = withKeywords(
      arguments.length > given.length
        ? arguments
        : given.slice(0, arguments.length),
    );
    checkArgs(ARGS.getaddrinfo, args);
    const [, , f = 0, t = 0, p = 0, fl = 0] = args;
    return await gai(
      hostArg(host),
      portArg(port),
      cInt(f),
      cInt(t),
      cInt(p),
      cInt(fl),
    );
  } catch (err) {
    throw mapError(err);
  }
}

/**
 * `getaddrinfo()`'s keyword arguments, given as an object last.
 *
 * @example `type=SOCK_STREAM`
 * ```ts
 * import { getaddrinfo, SOCK_STREAM } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * const infos = await getaddrinfo("127.0.0.1", 80, { type: SOCK_STREAM });
 * assertEquals(infos.map((info) => info[1]), [SOCK_STREAM]);
 * ```
 */
export interface GetaddrinfoOptions {
  /** `AF_INET`, `AF_INET6` or `AF_UNSPEC`. */
  family?: number;
  /** `SOCK_STREAM`, `SOCK_DGRAM`, `SOCK_RAW` or 0. */
  type?: number;
  /** `IPPROTO_TCP`, `IPPROTO_UDP`, … or 0. */
  proto?: number;
  /** `AI_*` flags. */
  flags?: number;
}

const KEYWORDS = ["family", "type", "proto", "flags"] as const;

/**
 * `getaddrinfo()`'s arguments with a keyword object last put in the
 * places of its keys, as Python binds them.
 */
function withKeywords(given: ArrayLike<unknown>): unknown[] {
  const args = Array.from(given);
  while (args.length > 0 && args.at(-1) === undefined) args.pop();
  const last = args.at(-1);
  if (args.length <= 2 || typeof last !== "object" || last === null) {
    return args;
  }
  // Only a plain object is keywords: any other stays the int it is not.
  const proto = Object.getPrototypeOf(last);
  if (proto !== Object.prototype && proto !== null) return args;
  const keywords = checkOptions<GetaddrinfoOptions>(
    last,
    "socket.getaddrinfo",
    "getaddrinfo",
    KEYWORDS,
  );
  args.pop();
  KEYWORDS.forEach((key, i) => {
    const value = keywords[key];
    if (value === undefined) return;
    if (args[i + 2] !== undefined) {
      throw new TypeError(
        `getaddrinfo() got multiple values for argument '${key}'`,
      );
    }
    args[i + 2] = value;
  });
  return args;
}

/** CPython's `setipaddr()`: one address for a name, literals first. */
async function setipaddr(name: string, af: number): Promise<ResolvedAddress> {
  if (name === "") {
    const r = await gai(null, "0", af, SOCK_DGRAM, 0, AI_PASSIVE);
    if (r.length > 1) {
      throw new OSError("wildcard resolved to multiple address");
    }
    return { family: r[0][0], address: r[0][4][0] };
  }
  if (name === "255.255.255.255" || name === "<broadcast>") {
    if (af !== AF_INET && af !== AF_UNSPEC) {
      throw new OSError("address family mismatched");
    }
    return { family: AF_INET, address: "255.255.255.255" };
  }
  if (
    (af === AF_INET || af === AF_UNSPEC) && parsePton4(name) !== undefined
  ) {
    return { family: AF_INET, address: name };
  }
  if ((af === AF_INET6 || af === AF_UNSPEC) && !name.includes("%")) {
    const v6 = parsePton6(name);
    if (v6 !== undefined) return { family: AF_INET6, address: formatNtop6(v6) };
  }
  const [[family, , , , sockaddr]] = await gai(name, null, af, 0, 0, 0);
  return { family, address: sockaddr[0] };
}

/**
 * Resolves a host name to one IPv4 address, as Python's
 * `socket.gethostbyname()`. `""` is `0.0.0.0`, `"<broadcast>"` is
 * `255.255.255.255`; IPv4 literals come back as given.
 *
 * @param hostname A host name or IPv4 literal.
 * @returns The first IPv4 address the system resolver gives.
 * @throws {gaierror} `[Errno -2] Name or service not known`, or
 * `[Errno -9] Address family for hostname not supported` for an IPv6
 * literal.
 * @throws {PermissionError} Without Deno's `--allow-net` for `hostname`.
 * @throws {TypeError} `gethostbyname() argument 1 must be str, bytes or
 * bytearray, not int`.
 *
 * @example localhost
 * ```ts
 * import { gethostbyname } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(await gethostbyname("127.0.0.1"), "127.0.0.1");
 * ```
 */
export async function gethostbyname(
  hostname: string | Uint8Array,
): Promise<string> {
  try {
    checkArgs(ARGS.gethostbyname, arguments);
    const name = nameArg(hostname, "gethostbyname");
    return (await setipaddr(name, AF_INET)).address;
  } catch (err) {
    throw mapError(err);
  }
}

/**
 * Resolves a host name to its canonical name, aliases and IPv4 addresses,
 * as Python's `socket.gethostbyname_ex()`. The canonical name and aliases
 * come from `/etc/hosts` when Deno may read it (`--allow-read`); otherwise,
 * and for names only DNS knows, the canonical name is the name asked for.
 *
 * @param hostname A host name or IPv4 literal.
 * @returns `[hostname, aliaslist, ipaddrlist]`.
 * @throws {gaierror} `[Errno -2] Name or service not known`.
 * @throws {herror} `[Errno 3] Unknown server error` for `""`;
 * `[Errno 1] Unknown host` for a name glibc's `gethostbyname()` does not
 * take as an address (`"0x7f000001"`: only digits and dots are). For
 * `"<broadcast>"` and an IPv6 literal, as CPython on glibc, the errno of
 * the last resolver error before: 1 after a lookup of a name, 3 after
 * `""`, 0 (`Resolver Error 0 (no error)`) when there was none.
 * @throws {PermissionError} Without Deno's `--allow-net` for `hostname`.
 * @throws {TypeError} For an argument that is not a string or bytes.
 *
 * @example An IPv4 literal
 * ```ts
 * import { gethostbyname_ex } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(await gethostbyname_ex("127.0.0.1"), ["127.0.0.1", [], ["127.0.0.1"]]);
 * ```
 */
export async function gethostbyname_ex(
  hostname: string | Uint8Array,
): Promise<[string, string[], string[]]> {
  try {
    checkArgs(ARGS.gethostbyname_ex, arguments);
    const name = nameArg(hostname, "gethostbyname_ex");
    await setipaddr(name, AF_INET);
    if (name === "") {
      setHErrno(3);
      throw new herror(3, "Unknown server error");
    }
    // glibc's __nss_hostname_digits_dots(): digits and dots, without a dot
    // at the end, are an address (inet_aton's forms) or not found; an IPv6
    // literal is not found for AF_INET. Anything else is a name. Its "not
    // found" leaves h_errno as it was: CPython reports that.
    if (/^[0-9][0-9.]*$/.test(name) && !name.endsWith(".")) {
      const packed = parseAton(name, true);
      if (packed === undefined) throw staleHerror();
      return [name, [], [Array.from(packed).join(".")]];
    }
    if (
      (/^[0-9a-fA-F]/.test(name) && name.includes(":")) ||
      name.startsWith(":")
    ) {
      throw staleHerror();
    }
    // The system's order: /etc/hosts first, then DNS.
    const fromHosts = hostsHostent(hostsFile(), name, hostsMulti());
    if (fromHosts !== undefined) return fromHosts;
    // A name DNS refuses before any query: h_errno as it was.
    if (name === "<broadcast>") throw staleHerror();
    // A name the runtime's resolver would take for an address (`0x7f.1`):
    // DNS does not know it (HOST_NOT_FOUND), and no lookup is made.
    if (parseAton(name, true) !== undefined) {
      setHErrno(1);
      throw new herror(1, "Unknown host");
    }
    const found = await lookupName(name, AF_INET);
    const addresses = [...new Set(found.map((a) => a.address))];
    const names = hostsNames(name, AF_INET);
    return [names?.canonical ?? name, names?.aliases ?? [], addresses];
  } catch (err) {
    throw mapError(err);
  }
}

/**
 * Looks up the name of an address, as Python's `socket.gethostbyaddr()`
 * (a host name is resolved first). The aliases come from `/etc/hosts` when
 * Deno may read it.
 *
 * @param ip_address An IPv4 or IPv6 literal, or a host name.
 * @returns `[hostname, aliaslist, ipaddrlist]`.
 * @throws {herror} `[Errno 1] Unknown host` when the address has no name.
 * @throws {gaierror} When a host name does not resolve.
 * @throws {PermissionError} Without Deno's `--allow-net` for the address,
 * where `/etc/hosts` (read first, when readable) does not name it.
 * @throws {TypeError} For an argument that is not a string or bytes.
 *
 * @example The loopback address
 * ```ts
 * import { gethostbyaddr, PermissionError } from "@pysocket/socket";
 * import { assertEquals, assertInstanceOf } from "@std/assert";
 *
 * try {
 *   const [hostname, , addresses] = await gethostbyaddr("127.0.0.1");
 *   console.log(hostname); // "localhost", from /etc/hosts
 *   assertEquals(addresses, ["127.0.0.1"]);
 * } catch (err) {
 *   // Without --allow-read=/etc/hosts and --allow-net=127.0.0.1, the
 *   // error names the flag to add.
 *   assertInstanceOf(err, PermissionError);
 * }
 * ```
 */
export async function gethostbyaddr(
  ip_address: string | Uint8Array,
): Promise<[string, string[], string[]]> {
  try {
    checkArgs(ARGS.gethostbyaddr, arguments);
    const name = nameArg(ip_address, "gethostbyaddr");
    const { address } = await setipaddr(name, AF_UNSPEC);
    const hostname = await reverseName(address);
    if (hostname === undefined) {
      setHErrno(1);
      throw new herror(1, "Unknown host");
    }
    const entry = hostsFile().find((e) =>
      e.names[0] === hostname && numericHost(e.address)?.address === address
    );
    return [hostname, entry?.names.slice(1) ?? [], [address]];
  } catch (err) {
    throw mapError(err);
  }
}

/**
 * Translates a socket address into a host and port, as Python's
 * `socket.getnameinfo()`. The host must be an IP literal.
 *
 * @param sockaddr `[host, port]` or `[host, port, flowinfo, scope_id]`.
 * @param flags `NI_*` flags: `NI_NUMERICHOST`, `NI_NUMERICSERV`,
 * `NI_NAMEREQD`, `NI_DGRAM`, `NI_NOFQDN`.
 * @returns `[host, port]`, both strings (`["localhost", "http"]`).
 * @throws {gaierror} `[Errno -2] Name or service not known` for a host
 * name, or with `NI_NAMEREQD` for an address without a name.
 * @throws {OSError} `IPv4 sockaddr must be 2 tuple`.
 * @throws {OverflowError} `getnameinfo(): flowinfo must be 0-1048575.`
 * @throws {TypeError} `getnameinfo() argument 1 must be a tuple`.
 *
 * @example Numeric
 * ```ts
 * import { getnameinfo, NI_NUMERICHOST, NI_NUMERICSERV } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * const flags = NI_NUMERICHOST | NI_NUMERICSERV;
 * assertEquals(await getnameinfo(["127.0.0.1", 80], flags), ["127.0.0.1", "80"]);
 * ```
 */
export async function getnameinfo(
  sockaddr: readonly [string, number, number?, number?],
  flags: number,
): Promise<[string, string]> {
  try {
    checkArgs(ARGS.getnameinfo, arguments);
    const niFlags = cInt(flags);
    if (!Array.isArray(sockaddr)) {
      throw new TypeError("getnameinfo() argument 1 must be a tuple");
    }
    const illegal = "getnameinfo(): illegal sockaddr argument";
    if (sockaddr.length < 2 || sockaddr.length > 4) {
      throw new TypeError(illegal);
    }
    const [host, port, flowinfo = 0, scopeId = 0] = sockaddr;
    if (typeof host !== "string") throw new TypeError(illegal);
    // CPython's "s": UTF-8, else UnicodeEncodeError; no NUL.
    utf8Strict(host);
    if (host.includes("\0")) throw new ValueError("embedded null character");
    const portNum = cInt(port);
    // CPython's "I": unsigned ints, masked to 32 bits (-1 is 0xffffffff).
    const flow = uintMask(flowinfo);
    const scope = uintMask(scopeId);
    if (flow > 0xfffff) {
      throw new OverflowError("getnameinfo(): flowinfo must be 0-1048575.");
    }
    const res = await gai(
      host,
      String(portNum),
      AF_UNSPEC,
      SOCK_DGRAM,
      0,
      AI_NUMERICHOST,
    );
    if (res.length > 1) {
      throw new OSError("sockaddr resolved to multiple addresses");
    }
    const [family, , , , [address, resolvedPort]] = res[0];
    if (family === AF_INET && sockaddr.length !== 2) {
      throw new OSError("IPv4 sockaddr must be 2 tuple");
    }
    if (niFlags & ~KNOWN_NI_FLAGS) throw gaiError("EAI_BADFLAGS");
    let name: string | undefined;
    if (!(niFlags & NI_NUMERICHOST)) name = await reverseName(address);
    if (name === undefined) {
      if (niFlags & NI_NAMEREQD) throw gaiError("EAI_NONAME");
      name = address;
      if (family === AF_INET6 && scope !== 0) {
        const linkLocal = isLinkLocal(parsePton6(address)!);
        name += `%${(linkLocal ? interfaceName(scope) : undefined) ?? scope}`;
      }
    }
    const service = niFlags & NI_NUMERICSERV
      ? undefined
      : serviceName(resolvedPort, niFlags & NI_DGRAM ? "udp" : "tcp");
    return [name, service ?? String(resolvedPort)];
  } catch (err) {
    throw mapError(err);
  }
}

/**
 * Returns a fully qualified domain name for `name`, as Python's
 * `socket.getfqdn()`: the first of the host name and aliases that
 * {@linkcode gethostbyaddr} gives that contains a dot, else the host name;
 * `name` itself when the lookup fails. An empty `name` (or `0.0.0.0`, `::`)
 * means this machine ({@linkcode gethostname}).
 *
 * @param name A host name or address; the machine's name by default.
 * @returns The fully qualified name.
 * @throws {PermissionError} Without the Deno permissions the lookup needs
 * (`--allow-sys=hostname`, `--allow-net`).
 *
 * @example A name that does not resolve comes back as given
 * ```ts
 * import { getfqdn, PermissionError } from "@pysocket/socket";
 * import { assertEquals, assertInstanceOf } from "@std/assert";
 *
 * try {
 *   assertEquals(await getfqdn("nonexistent.invalid"), "nonexistent.invalid");
 * } catch (err) {
 *   // Without --allow-net=nonexistent.invalid the error names the flag.
 *   assertInstanceOf(err, PermissionError);
 * }
 * ```
 */
export async function getfqdn(name: string = ""): Promise<string> {
  checkArgs(ARGS.getfqdn, arguments);
  if (isBytes(name)) {
    // Python's bytes.strip(), then lookups by bytes: failing, the bytes.
    const space = (b: number) => b === 0x20 || (b >= 0x09 && b <= 0x0d);
    let start = 0;
    let end = name.length;
    while (start < end && space(name[start])) start++;
    while (end > start && space(name[end - 1])) end--;
    const stripped = name.slice(start, end);
    if (stripped.length === 0) return await getfqdn("");
    try {
      const [hostname, aliases] = await gethostbyaddr(stripped);
      return [hostname, ...aliases].find((n) => n.includes(".")) ?? hostname;
    } catch (err) {
      if (err instanceof PermissionError || !(err instanceof OSError)) {
        throw err;
      }
      return stripped as unknown as string;
    }
  }
  if (typeof name !== "string") {
    throw new TypeError(
      `'${pyTypeName(name)}' object has no attribute 'strip'`,
    );
  }
  name = name.trim();
  if (name === "" || isWildcard(name)) name = gethostname();
  let hostname: string;
  let aliases: string[];
  try {
    [hostname, aliases] = await gethostbyaddr(name);
  } catch (err) {
    if (err instanceof PermissionError || !(err instanceof OSError)) throw err;
    return name;
  }
  return [hostname, ...aliases].find((n) => n.includes(".")) ?? hostname;
}
