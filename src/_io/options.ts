// Copyright the pysocket authors. MIT license.
// Socket options: `setsockopt`/`getsockopt` for every socket type, in one
// place. Values come in Python's forms (an int, or struct-packed bytes);
// what the runtime can honour comes from the backend's capability record;
// an option it cannot honour is `ENOPROTOOPT`, never silently accepted, and
// `getsockopt` reports only what is really in force.

import {
  AF_INET,
  AF_INET6,
  AF_UNIX,
  IP_ADD_MEMBERSHIP,
  IP_DROP_MEMBERSHIP,
  IP_MULTICAST_IF,
  IP_MULTICAST_LOOP,
  IP_MULTICAST_TTL,
  IP_OPTIONS,
  IP_TTL,
  IPPROTO_IP,
  IPPROTO_IPV6,
  IPPROTO_TCP,
  IPPROTO_UDP,
  IPV6_DONTFRAG,
  IPV6_JOIN_GROUP,
  IPV6_LEAVE_GROUP,
  IPV6_MULTICAST_HOPS,
  IPV6_MULTICAST_IF,
  IPV6_MULTICAST_LOOP,
  IPV6_TCLASS,
  IPV6_UNICAST_HOPS,
  IPV6_V6ONLY,
  SO_ACCEPTCONN,
  SO_BINDTODEVICE,
  SO_BROADCAST,
  SO_ERROR,
  SO_KEEPALIVE,
  SO_LINGER,
  SO_RCVBUF,
  SO_RCVTIMEO,
  SO_REUSEADDR,
  SO_REUSEPORT,
  SO_SNDBUF,
  SO_SNDTIMEO,
  SO_TYPE,
  SOL_SOCKET,
  TCP_CONGESTION,
  TCP_KEEPIDLE,
  TCP_NODELAY,
} from "../socket/constants.ts";
import { errnoError, OSError, TypeError } from "../socket/errors.ts";
import { bytesLike, checkCInt, checkInt, pyTypeName } from "../_py/pytype.ts";
import { isLinkLocal, isMapped, parsePton6 } from "../socket/convert.ts";
import {
  backend,
  type DatagramOptions,
  type RawAddr,
  type RawConn,
  type RawDatagram,
} from "../_backend/mod.ts";

/**
 * The options pysocket knows, by level and number: the ones it honours
 * where the runtime can, and the others, so that refusing one names it.
 */
const NAMES: Record<number, Record<number, string>> = {
  [SOL_SOCKET]: {
    1: "SO_DEBUG",
    5: "SO_DONTROUTE",
    10: "SO_OOBINLINE",
    12: "SO_PRIORITY",
    16: "SO_PASSCRED",
    17: "SO_PEERCRED",
    18: "SO_RCVLOWAT",
    19: "SO_SNDLOWAT",
    [SO_RCVTIMEO]: "SO_RCVTIMEO",
    [SO_SNDTIMEO]: "SO_SNDTIMEO",
    25: "SO_BINDTODEVICE",
    31: "SO_PEERSEC",
    34: "SO_PASSSEC",
    36: "SO_MARK",
    38: "SO_PROTOCOL",
    39: "SO_DOMAIN",
    49: "SO_INCOMING_CPU",
    [SO_REUSEADDR]: "SO_REUSEADDR",
    [SO_TYPE]: "SO_TYPE",
    [SO_ERROR]: "SO_ERROR",
    [SO_BROADCAST]: "SO_BROADCAST",
    [SO_SNDBUF]: "SO_SNDBUF",
    [SO_RCVBUF]: "SO_RCVBUF",
    [SO_KEEPALIVE]: "SO_KEEPALIVE",
    [SO_LINGER]: "SO_LINGER",
    [SO_REUSEPORT]: "SO_REUSEPORT",
    [SO_ACCEPTCONN]: "SO_ACCEPTCONN",
  },
  [IPPROTO_TCP]: {
    [TCP_NODELAY]: "TCP_NODELAY",
    2: "TCP_MAXSEG",
    3: "TCP_CORK",
    [TCP_KEEPIDLE]: "TCP_KEEPIDLE",
    5: "TCP_KEEPINTVL",
    6: "TCP_KEEPCNT",
    7: "TCP_SYNCNT",
    8: "TCP_LINGER2",
    9: "TCP_DEFER_ACCEPT",
    10: "TCP_WINDOW_CLAMP",
    11: "TCP_INFO",
    12: "TCP_QUICKACK",
    13: "TCP_CONGESTION",
    18: "TCP_USER_TIMEOUT",
    23: "TCP_FASTOPEN",
    25: "TCP_NOTSENT_LOWAT",
  },
  [IPPROTO_UDP]: {},
  [IPPROTO_IP]: {
    1: "IP_TOS",
    [IP_TTL]: "IP_TTL",
    4: "IP_OPTIONS",
    19: "IP_TRANSPARENT",
    24: "IP_BIND_ADDRESS_NO_PORT",
    // IP_MULTICAST_IF (Linux 32).
    32: "IP_MULTICAST_IF",
    [IP_MULTICAST_TTL]: "IP_MULTICAST_TTL",
    [IP_MULTICAST_LOOP]: "IP_MULTICAST_LOOP",
    [IP_ADD_MEMBERSHIP]: "IP_ADD_MEMBERSHIP",
    [IP_DROP_MEMBERSHIP]: "IP_DROP_MEMBERSHIP",
  },
  [IPPROTO_IPV6]: {
    16: "IPV6_UNICAST_HOPS",
    17: "IPV6_MULTICAST_IF",
    18: "IPV6_MULTICAST_HOPS",
    19: "IPV6_MULTICAST_LOOP",
    20: "IPV6_JOIN_GROUP",
    21: "IPV6_LEAVE_GROUP",
    [IPV6_V6ONLY]: "IPV6_V6ONLY",
    62: "IPV6_DONTFRAG",
    67: "IPV6_TCLASS",
  },
};

/** An option's Python name (`"TCP_NODELAY"`), or `undefined` if unknown. */
export function optionName(level: number, name: number): string | undefined {
  return NAMES[level]?.[name];
}

/**
 * `[Errno 92] Protocol not available: 'SO_LINGER'`: the runtime cannot
 * honour (or read) this option, so pysocket refuses it rather than pretend.
 */
export function noOption(name: string | undefined): OSError {
  return errnoError(
    "ENOPROTOOPT",
    name === undefined ? undefined : { detail: `'${name}'` },
  );
}

/**
 * A `setsockopt` value as an int: a number, or bytes as `struct.pack("i")`
 * makes them (native little-endian on the platforms pysocket runs on).
 */
export function optionValue(value: unknown): number {
  if (typeof value === "number" || typeof value === "boolean") {
    return checkInt(value);
  }
  const bytes = bytesLike(value);
  if (bytes.length < 4) throw errnoError("EINVAL");
  return new DataView(bytes.buffer, bytes.byteOffset, 4).getInt32(0, true);
}

/** The IPv4 int options Linux's `ip_setsockopt()` also reads from a byte. */
const IP_BYTE_OPTIONS = new Set([
  "IP_TTL",
  "IP_MULTICAST_TTL",
  "IP_MULTICAST_LOOP",
]);

/**
 * An IPv4 int option's value as Linux reads it: an int from 4 bytes or
 * more, else the first byte unsigned (`struct.pack("b", 1)`, the multicast
 * idiom), none at all `EINVAL`.
 */
function ipOptionValue(value: unknown): number {
  if (typeof value === "number" || typeof value === "boolean") {
    return checkInt(value);
  }
  const bytes = bytesLike(value);
  if (bytes.length === 0) throw errnoError("EINVAL");
  return bytes.length < 4 ? bytes[0] : optionValue(bytes);
}

/** The `n`th native int of a struct-packed value (`struct linger`, …). */
function structInt(value: unknown, n: number): number {
  if (typeof value === "number" || typeof value === "boolean") {
    if (n === 0) return checkInt(value);
    throw errnoError("EINVAL");
  }
  const bytes = bytesLike(value);
  if (bytes.length < 4 * (n + 1)) throw errnoError("EINVAL");
  return new DataView(bytes.buffer, bytes.byteOffset).getInt32(4 * n, true);
}

/**
 * `getsockopt`'s `buflen`, as CPython checks it before asking the kernel:
 * a C int, `0` for an int result, else 1 to 1024 bytes.
 */
export function checkBuflen(buflen: unknown): number {
  const n = checkCInt(buflen, "i");
  if (n < 0 || n > 1024) throw new OSError("getsockopt buflen out of range");
  return n;
}

/**
 * A `setsockopt` value as CPython takes it: an int that fits a C int, or
 * else bytes (so an int out of range is `a bytes-like object is required,
 * not 'int'`, as its second try says).
 */
export function optionArgument(value: unknown): number | Uint8Array {
  if (
    typeof value === "number" || typeof value === "boolean" ||
    typeof value === "bigint"
  ) {
    try {
      return checkCInt(value, "i");
    } catch {
      throw new TypeError(
        `a bytes-like object is required, not '${pyTypeName(value)}'`,
      );
    }
  }
  return bytesLike(value);
}

/**
 * A `getsockopt` result: the int, or with `buflen` the ints packed into
 * bytes, as Linux fills the buffer: the option's own length at most (the
 * first `buflen` bytes of it), and at the IP level a small value in one
 * byte where `buflen` is shorter than an int.
 */
function optionResult(
  values: number[],
  buflen: unknown,
  level = SOL_SOCKET,
): number | Uint8Array {
  if (buflen === undefined) return values[0];
  const n = checkBuflen(buflen);
  if (n === 0) return values[0];
  if (
    level === IPPROTO_IP && n < 4 && values.length === 1 &&
    values[0] >= 0 && values[0] <= 255
  ) {
    return new Uint8Array([values[0]]);
  }
  const packed = new Uint8Array(4 * values.length);
  const view = new DataView(packed.buffer);
  values.forEach((v, i) => view.setInt32(4 * i, v, true));
  return n < packed.length ? packed.slice(0, n) : packed;
}

/**
 * A `SO_RCVTIMEO`/`SO_SNDTIMEO` in force: Linux's `sk_rcvtimeo` (in the
 * kernel's jiffies, which `getsockopt` reports back from) and the wait it
 * gives a blocking call, in ms. Never changed once made: a listener and the
 * connections it accepted (which copy its options) may share one.
 */
export interface Timeo {
  /** The kernel's ticks (`tv_sec * HZ` plus the microseconds rounded up). */
  readonly jiffies: bigint;
  /** The wait, in ms (`0`: the call does not wait, as a non-blocking one). */
  readonly ms: number;
}

/**
 * The options every socket has: the timeouts of its blocking calls
 * (`null`: none, the kernel's `MAX_SCHEDULE_TIMEOUT`). They are the
 * connection's, as the kernel's: `dup()` shares them, accepted connections
 * inherit them.
 */
export interface TimeoOptions {
  /** `SO_RCVTIMEO`: receives and `accept()`. */
  rcvtimeo: Timeo | null;
  /** `SO_SNDTIMEO`: sends and `connect()`. */
  sndtimeo: Timeo | null;
}

/** A stream socket's options, as in force (or to be, once it exists). */
export interface StreamOptions extends TimeoOptions {
  /** `TCP_NODELAY`; `null` while the runtime's default applies. */
  nodelay: boolean | null;
  keepalive: boolean;
  /** `TCP_KEEPIDLE` seconds, once set. */
  keepidle: number | null;
  reuseaddr: boolean;
  reuseport: boolean;
  v6only: boolean;
  /**
   * `SO_LINGER` seconds while `l_onoff` is 1 (`Infinity`: a negative
   * `l_linger`, which Linux takes as unsigned: no bound), else `null`.
   * Only `0` resets the connection on close.
   */
  linger: number | null;
  /**
   * `SO_LINGER`'s `l_linger` as Linux reports it: the last time set, kept
   * while `l_onoff` is 0, as the kernel's `sk_lingertime`.
   */
  lingerTime: number;
  /** `SO_BROADCAST`: kept, with no effect on a stream socket, as Linux. */
  broadcast: boolean;
}

/** A new stream socket's options (Linux's defaults). */
export function streamOptions(): StreamOptions {
  return {
    nodelay: null,
    keepalive: false,
    keepidle: null,
    reuseaddr: false,
    reuseport: false,
    v6only: false,
    linger: null,
    lingerTime: 0,
    broadcast: false,
    rcvtimeo: null,
    sndtimeo: null,
  };
}

/** A datagram socket's options set before it was bound. */
export interface DatagramOptionState extends TimeoOptions {
  reuseaddr: boolean;
  reuseport: boolean;
  v6only: boolean;
  /** Runtime options (`IP_TTL`, …) to apply once bound. */
  pending: Map<string, number>;
  /**
   * The IPv4 groups joined, as `"group interface"`: Linux's answers to a
   * second join or a drop of a group not joined come from here (Deno's
   * `node:dgram` answers `EINVAL` to both). Before the socket is bound,
   * the joins to make once it is.
   */
  groups: Set<string>;
  /**
   * `IP_MULTICAST_IF`: the interface address as Linux reads it back (an
   * `in_addr` as a native int; 0, any, by default). Before the socket is
   * bound, the one to set once it is.
   */
  multicastIf: number;
  /** `SO_KEEPALIVE`: kept, with no effect on a datagram socket, as Linux. */
  keepalive: boolean;
  /** `SO_BROADCAST` on a Unix socket: kept, with no effect, as Linux. */
  broadcast: boolean;
}

/** A new datagram socket's options. */
export function datagramOptions(): DatagramOptionState {
  return {
    reuseaddr: false,
    reuseport: false,
    v6only: false,
    pending: new Map(),
    groups: new Set(),
    multicastIf: 0,
    keepalive: false,
    broadcast: false,
    rcvtimeo: null,
    sndtimeo: null,
  };
}

/** What the options need of a stream transport. */
export interface StreamSide {
  readonly kind: "stream";
  readonly family: number;
  readonly options: StreamOptions;
  /** Bound or listening: the OS socket exists. */
  readonly bound: boolean;
  readonly listening: boolean;
  readonly conn: RawConn | null;
  /**
   * Sets an option on the connection, if there is one (`apply`), now or
   * as soon as the runtime lets it.
   */
  tune(apply: (conn: RawConn) => void): void;
  /** The pending error, cleared (`SO_ERROR`). */
  takeError(): number;
}

/** What the options need of a datagram transport. */
export interface DatagramSide {
  readonly kind: "datagram";
  readonly family: number;
  readonly options: DatagramOptionState;
  readonly sock: RawDatagram | null;
  /** Binds to an ephemeral port, as Linux does implicitly. */
  autobind(): RawDatagram;
  /** The pending error, cleared (`SO_ERROR`). */
  takeError(): number;
}

/** Either kind. */
export type OptionSide = StreamSide | DatagramSide;

/**
 * A bind succeeded at `addr`: as Linux's `inet6_bind()` does, an AF_INET6
 * socket bound to one IPv6 address (not `::`, not an IPv4-mapped one)
 * turns `IPV6_V6ONLY` on, whatever set it (it can take no IPv4 traffic);
 * the connections a listener accepts inherit it.
 */
export function afterBind(
  options: { v6only: boolean },
  family: number,
  addr: RawAddr,
): void {
  if (family !== AF_INET6 || !("hostname" in addr)) return;
  const host = addr.hostname.toLowerCase();
  if (host !== "::" && !host.startsWith("::ffff:")) options.v6only = true;
}

/**
 * Linux's check of an AF_INET6 TCP `connect()` to an IPv4-mapped peer
 * (`tcp_v6_connect()`): a socket that takes no IPv4 (`IPV6_V6ONLY` set, or
 * bound to one IPv6 address: {@linkcode afterBind}) cannot reach it,
 * `ENETUNREACH`, before any SYN and with the socket left as it was (it may
 * still `listen()`). Made here for every runtime: Node's and Bun's client
 * sockets are made as they connect, with no `IPV6_V6ONLY` of their own, and
 * would connect over IPv4. A socket bound to an IPv4-mapped address
 * (`::ffff:0.0.0.0` too) cannot reach a plain IPv6 peer (not `::`, which
 * is the IPv4 loopback then, nor a link-local or multicast one, which
 * Linux checks first), `EAFNOSUPPORT`, also before any SYN.
 *
 * @param options The socket's options.
 * @param family The socket's family.
 * @param host The peer's address.
 * @param local The address the socket is bound to, if it is.
 * @returns The error, or `null` where Linux goes on.
 */
export function mappedPeerError(
  options: { v6only: boolean },
  family: number,
  host: string,
  local?: RawAddr,
): OSError | null {
  if (family !== AF_INET6) return null;
  const peer = parsePton6(host.replace(/%.*$/, ""));
  if (peer === undefined) return null;
  if (isMapped(peer)) return options.v6only ? errnoError("ENETUNREACH") : null;
  const source = local !== undefined && "hostname" in local
    ? parsePton6(local.hostname.replace(/%.*$/, ""))
    : undefined;
  return source !== undefined && isMapped(source) && peer[0] !== 0xff &&
      !isLinkLocal(peer) && !peer.every((x) => x === 0)
    ? errnoError("EAFNOSUPPORT")
    : null;
}

/** Options Linux reads and never sets (a set is its ENOPROTOOPT). */
const READ_ONLY = new Set([
  "SO_TYPE",
  "SO_ERROR",
  "SO_ACCEPTCONN",
  "SO_DOMAIN",
  "SO_PROTOCOL",
]);

/**
 * A level an IP socket's protocol does not know: the other protocol's (TCP's
 * on a datagram socket, UDP's on a stream one), IPv6's on an IPv4 socket.
 */
function otherLevel(side: OptionSide, level: number): boolean {
  return level === (side.kind === "stream" ? IPPROTO_UDP : IPPROTO_TCP) ||
    (level === IPPROTO_IPV6 && side.family === AF_INET);
}

/** `ENOPROTOOPT` with the sentence that says how to get the feature. */
function unsupported(name: string, support: boolean | string): OSError {
  return typeof support === "string"
    ? errnoError("ENOPROTOOPT", { detail: support })
    : noOption(name);
}

/**
 * `setsockopt(level, optname, value)` on a transport.
 *
 * @throws {OSError} `ENOPROTOOPT` for an option the runtime cannot honour.
 */
export function setOption(
  side: OptionSide,
  level: number,
  optname: number,
  value: unknown,
): void {
  // Python's None form, past setOptionWithoutValue(): what Linux sets
  // from no buffer.
  if (value === null) value = noBufferValue(level, optname);
  const name = checkSet(side, level, optname, valueLength(value));
  if (name === undefined || READ_ONLY.has(name)) throw noOption(undefined);
  if (name === "SO_REUSEPORT" && side.family === AF_UNIX) {
    // Linux has it for IP sockets only: on is EOPNOTSUPP, off is in force.
    if (optionValue(value) !== 0) throw errnoError("EOPNOTSUPP");
    return;
  }
  if (name === "SO_RCVTIMEO" || name === "SO_SNDTIMEO") {
    side.options[TIMEO_FIELD[name]] = timeoValue(value);
    return;
  }
  if (side.kind === "stream") setStream(side, name, value);
  else setDatagram(side, name, value);
}

/**
 * Python's `setsockopt(level, optname, None, optlen)`: CPython hands the
 * kernel a NULL buffer of `optlen` bytes. Linux's answers come from the
 * option alone, as this host's kernel gives them: a negative length is
 * `EINVAL`; then the checks of the level and of the length (as for a
 * value); then a handler that reads the buffer fails with `EFAULT`, and one
 * that checks the length or the socket type first says so. Where Linux
 * reads nothing and goes on (`IPV6_V6ONLY` and the other IPv6 int options,
 * which take 0 from no buffer; `SO_BINDTODEVICE` or `IP_OPTIONS` with no
 * length: none), this returns, and {@linkcode setOption} with a `null`
 * value sets that.
 *
 * @throws {OSError} Linux's error, where it has one.
 */
export function setOptionWithoutValue(
  side: OptionSide,
  level: number,
  optname: number,
  optlen: number,
): void {
  // __sys_setsockopt(): before the level is looked at.
  if (optlen < 0) throw errnoError("EINVAL");
  const name = checkSet(side, level, optname, optlen);
  const stream = side.kind === "stream";
  switch (level) {
    case SOL_SOCKET:
      // sk_setsockopt(): SO_BINDTODEVICE copies a name of optlen bytes;
      // every other option an int (checkSet() refused a shorter one).
      if (optname === SO_BINDTODEVICE && optlen === 0) return;
      throw errnoError("EFAULT");
    case IPPROTO_TCP:
      // do_tcp_setsockopt(): its string and key options check their own
      // lengths; the rest read an int.
      if (optname === TCP_FASTOPEN_KEY) {
        if (optlen !== 16 && optlen !== 32) throw errnoError("EINVAL");
      } else if (TCP_NOT_INT.has(optname) && optlen < 1) {
        throw errnoError("EINVAL");
      }
      throw errnoError("EFAULT");
    case IPPROTO_UDP:
      throw errnoError("EFAULT");
    case IPPROTO_IP:
      ipWithoutValue(optname, optlen, stream);
      return;
    case IPPROTO_IPV6:
      ipv6WithoutValue(optname, optlen, stream);
      return;
  }
  // A level Linux's IP protocols do not know.
  throw noOption(name);
}

/** `TCP_FASTOPEN_KEY`, which Python's module does not name. */
const TCP_FASTOPEN_KEY = 33;

/**
 * The IPv4 options `do_ip_setsockopt()` reads as an int (or a byte) before
 * it looks at them: from no buffer, any length is `EFAULT`.
 */
const IP_INT_OPTIONS = new Set([
  1, // IP_TOS
  2, // IP_TTL
  3, // IP_HDRINCL
  5, // IP_ROUTER_ALERT
  6, // IP_RECVOPTS
  7, // IP_RETOPTS
  8, // IP_PKTINFO
  10, // IP_MTU_DISCOVER
  11, // IP_RECVERR
  12, // IP_RECVTTL
  13, // IP_RECVTOS
  15, // IP_FREEBIND
  18, // IP_PASSSEC
  19, // IP_TRANSPARENT
  20, // IP_RECVORIGDSTADDR
  21, // IP_MINTTL
  22, // IP_NODEFRAG
  23, // IP_CHECKSUM
  24, // IP_BIND_ADDRESS_NO_PORT
  25, // IP_RECVFRAGSIZE
  26, // IP_RECVERR_RFC4884
  33, // IP_MULTICAST_TTL
  34, // IP_MULTICAST_LOOP
  49, // IP_MULTICAST_ALL
  50, // IP_UNICAST_IF
]);

/** The IPv4 int options that refuse a length of 0 (`EINVAL`). */
const IP_NEED_BYTE = new Set([2, 19, 33, 34]);

/**
 * `do_ip_setsockopt()` with no buffer: an int option read from one is
 * `EFAULT` (with no length, 0, which some refuse); `IP_OPTIONS` up to 40
 * bytes is `EFAULT`, more `EINVAL`, none clears them; `IP_MULTICAST_IF`
 * and the memberships check the socket type and their struct's length
 * first; an option it does not know is `ENOPROTOOPT`.
 */
function ipWithoutValue(
  optname: number,
  optlen: number,
  stream: boolean,
): void {
  if (optname === IP_OPTIONS) {
    if (optlen > 40) throw errnoError("EINVAL");
    if (optlen > 0) throw errnoError("EFAULT");
    return;
  }
  if (optname === IP_MULTICAST_IF) {
    if (stream || optlen < 4) throw errnoError("EINVAL");
    throw errnoError("EFAULT");
  }
  if (optname === IP_ADD_MEMBERSHIP || optname === IP_DROP_MEMBERSHIP) {
    if (stream) throw errnoError("EPROTO");
    // struct ip_mreq.
    if (optlen < 8) throw errnoError("EINVAL");
    throw errnoError("EFAULT");
  }
  if (!IP_INT_OPTIONS.has(optname)) throw noOption(undefined);
  if (optlen > 0) throw errnoError("EFAULT");
  if (IP_NEED_BYTE.has(optname)) throw errnoError("EINVAL");
}

/**
 * `do_ipv6_setsockopt()` with no buffer: it reads no int, but takes 0; the
 * int options want an int's length (`EINVAL`), the multicast ones a
 * datagram socket (`ENOPROTOOPT`), the group ones a `struct ipv6_mreq`
 * (`EINVAL`), then a datagram socket (`EPROTO`) and read it (`EFAULT`); an
 * option it does not know is `ENOPROTOOPT`.
 */
function ipv6WithoutValue(
  optname: number,
  optlen: number,
  stream: boolean,
): void {
  const multicast = optname === IPV6_MULTICAST_IF ||
    optname === IPV6_MULTICAST_HOPS;
  if (multicast && stream) throw noOption(undefined);
  switch (optname) {
    case IPV6_MULTICAST_IF:
    case IPV6_MULTICAST_HOPS:
    case IPV6_UNICAST_HOPS:
    case IPV6_MULTICAST_LOOP:
    case IPV6_V6ONLY:
    case IPV6_TCLASS:
      if (optlen < 4) throw errnoError("EINVAL");
      return;
    case IPV6_DONTFRAG:
      return;
    case IPV6_JOIN_GROUP:
    case IPV6_LEAVE_GROUP:
      if (optlen < 20) throw errnoError("EINVAL");
      if (stream) throw errnoError("EPROTO");
      throw errnoError("EFAULT");
  }
  throw noOption(undefined);
}

/**
 * The value Linux sets from no buffer, where it goes on: no bytes for
 * `SO_BINDTODEVICE` and `IP_OPTIONS` (their length was 0), else 0.
 */
function noBufferValue(level: number, optname: number): number | Uint8Array {
  return (level === SOL_SOCKET && optname === SO_BINDTODEVICE) ||
      (level === IPPROTO_IP && optname === IP_OPTIONS)
    ? new Uint8Array(0)
    : 0;
}

/**
 * Linux's checks of a set that come before the option is looked at: a
 * Unix socket's levels but the socket level (`EOPNOTSUPP`); a level an IP
 * socket's protocol does not know (`ENOPROTOOPT`: the other protocol's,
 * IPv6's on an IPv4 socket); then a value shorter than an int at the
 * levels whose handler checks that first, for every option there (known,
 * read-only or not): `sk_setsockopt()` (but `SO_BINDTODEVICE`, a name),
 * `do_tcp_setsockopt()` (but its string and key options),
 * `udp_lib_setsockopt()` (`EINVAL`).
 *
 * @returns The option's name, if pysocket knows it.
 */
function checkSet(
  side: OptionSide,
  level: number,
  optname: number,
  length: number,
): string | undefined {
  // A Unix socket has only the socket level: Linux says EOPNOTSUPP.
  if (side.family === AF_UNIX && level !== SOL_SOCKET) {
    throw errnoError("EOPNOTSUPP");
  }
  // Linux: a level an IP socket's protocol does not know is ENOPROTOOPT
  // (the other protocol's, IPv6's on an IPv4 socket), and so is an option
  // it only reads (its own answer: no name given).
  if (otherLevel(side, level)) throw noOption(undefined);
  if (length < 4) {
    const intFirst = level === SOL_SOCKET
      ? optname !== SO_BINDTODEVICE
      : level === IPPROTO_TCP
      ? !TCP_NOT_INT.has(optname)
      : level === IPPROTO_UDP;
    if (intFirst) throw errnoError("EINVAL");
  }
  return optionName(level, optname);
}

/**
 * The TCP options `do_tcp_setsockopt()` reads before its check that the
 * value is an int: TCP_CONGESTION, TCP_ULP (31) and TCP_FASTOPEN_KEY (33),
 * the last two without a name in Python's module.
 */
const TCP_NOT_INT = new Set([TCP_CONGESTION, 31, 33]);

/** How many bytes CPython hands the kernel for `value` (an int: 4). */
function valueLength(value: unknown): number {
  if (typeof value === "number" || typeof value === "boolean") return 4;
  try {
    return bytesLike(value).length;
  } catch {
    // (Not bytes: the option's own conversion says so.)
    return 4;
  }
}

/** Where each timeout option is kept. */
const TIMEO_FIELD = {
  SO_RCVTIMEO: "rcvtimeo",
  SO_SNDTIMEO: "sndtimeo",
} as const;

/**
 * The kernel's ticks a second (`CONFIG_HZ`): Linux keeps a socket's
 * timeouts in them, and reports them back so (Linux's default, 250, which
 * this host's kernel has: a kernel built with another rounds otherwise).
 */
const HZ = 250n;

/** `struct timeval`'s size on the 64-bit platforms pysocket runs on. */
const TIMEVAL_SIZE = 16;

/**
 * The longest timeout Linux counts (`MAX_SCHEDULE_TIMEOUT / HZ - 1`
 * seconds): from it on, none.
 */
const TIMEO_MAX_SECONDS = (2n ** 63n - 1n) / HZ - 1n;

/**
 * A `SO_RCVTIMEO`/`SO_SNDTIMEO` value (a `struct timeval`, as
 * `struct.pack("ll", sec, usec)` makes it) as Linux's `sock_set_timeout()`
 * takes it: shorter than a `timeval` (an int too) is `EINVAL`, microseconds
 * outside 0–999999 `EDOM`; a negative time means no wait at all, zero (or
 * one past what the kernel counts) no timeout; the rest is kept in the
 * kernel's ticks, the microseconds rounded up to one.
 */
function timeoValue(value: unknown): Timeo | null {
  if (typeof value === "number" || typeof value === "boolean") {
    throw errnoError("EINVAL");
  }
  const bytes = bytesLike(value);
  if (bytes.length < TIMEVAL_SIZE) throw errnoError("EINVAL");
  const view = new DataView(bytes.buffer, bytes.byteOffset, TIMEVAL_SIZE);
  const sec = view.getBigInt64(0, true);
  const usec = view.getBigInt64(8, true);
  if (usec < 0n || usec >= 1_000_000n) {
    throw errnoError("EDOM");
  }
  if (sec < 0n) return { jiffies: 0n, ms: 0 };
  if ((sec === 0n && usec === 0n) || sec >= TIMEO_MAX_SECONDS) return null;
  const perTick = 1_000_000n / HZ;
  const jiffies = sec * HZ + (usec + perTick - 1n) / perTick;
  return { jiffies, ms: Number(jiffies) * (1000 / Number(HZ)) };
}

/**
 * A timeout option as `getsockopt` reads it (Linux's `sock_get_timeout()`):
 * a `struct timeval` of the ticks kept (zero for none), its first `buflen`
 * bytes; without `buflen`, the first 4 as an int, as CPython asks for one.
 */
function timeoResult(
  timeo: Timeo | null,
  buflen: unknown,
): number | Uint8Array {
  const packed = new Uint8Array(TIMEVAL_SIZE);
  const view = new DataView(packed.buffer);
  if (timeo !== null) {
    view.setBigInt64(0, timeo.jiffies / HZ, true);
    view.setBigInt64(8, (timeo.jiffies % HZ) * 1_000_000n / HZ, true);
  }
  const n = buflen === undefined ? 0 : checkBuflen(buflen);
  if (n === 0) return view.getInt32(0, true);
  return n < TIMEVAL_SIZE ? packed.slice(0, n) : packed;
}

/**
 * `getsockopt(level, optname, buflen)` on a transport: the value in force.
 *
 * @param held Takes the errno of an error the socket holds for its next
 * call (0 if none): Linux's one pending error, which `SO_ERROR` reports
 * before the transport's.
 * @throws {OSError} `ENOPROTOOPT` for an option the runtime does not tell.
 */
export function getOption(
  side: OptionSide,
  type: number,
  level: number,
  optname: number,
  buflen?: unknown,
  held?: () => number,
): number | Uint8Array {
  // A Unix socket's levels but the socket level: Linux answers a get with
  // EOPNOTSUPP. So does an IPv4 socket at a level its protocol does not
  // know; an IPv6 one answers ENOPROTOOPT (ipv6_getsockopt), as a set on
  // either does.
  if (side.family === AF_UNIX && level !== SOL_SOCKET) {
    throw errnoError("EOPNOTSUPP");
  }
  if (otherLevel(side, level)) {
    if (side.family === AF_INET6) throw noOption(undefined);
    throw errnoError("EOPNOTSUPP");
  }
  const name = optionName(level, optname);
  if (name === undefined) {
    // Linux: getsockopt() at a level the protocol does not know.
    if (!(level in NAMES)) throw errnoError("EOPNOTSUPP");
    throw noOption(undefined);
  }
  if (name === "SO_TYPE") return optionResult([type], buflen);
  // The family and protocol the kernel made the socket with (the protocol
  // it chose for 0: TCP's or UDP's; 0 for a Unix socket).
  if (name === "SO_DOMAIN") return optionResult([side.family], buflen);
  if (name === "SO_PROTOCOL") {
    const proto = side.family === AF_UNIX
      ? 0
      : side.kind === "stream"
      ? IPPROTO_TCP
      : IPPROTO_UDP;
    return optionResult([proto], buflen);
  }
  if (name === "SO_ERROR") {
    return optionResult([held?.() || side.takeError()], buflen);
  }
  if (name === "SO_RCVTIMEO" || name === "SO_SNDTIMEO") {
    return timeoResult(side.options[TIMEO_FIELD[name]], buflen);
  }
  if (name === "IP_MULTICAST_IF" && side.kind === "datagram") {
    // An in_addr, not an int: its first buflen bytes, as Linux copies it.
    return optionResult([side.options.multicastIf], buflen);
  }
  const values = side.kind === "stream"
    ? getStream(side, name)
    : getDatagram(side, name);
  return optionResult(values, buflen, level);
}

/**
 * The `l_linger` Linux reports after a negative one was set: taken as
 * unsigned it is past the longest wait, so the kernel keeps that
 * (`MAX_SCHEDULE_TIMEOUT`, `LONG_MAX` jiffies) and reports it in seconds,
 * cut to a C int. The jiffies are Linux's default `CONFIG_HZ` of 250 (a
 * kernel built with another reports another number).
 */
const UNBOUNDED_LINGER = Number(
  BigInt.asIntN(32, (2n ** 63n - 1n) / 250n),
);

function setStream(side: StreamSide, name: string, value: unknown): void {
  const { options, conn } = side;
  const caps = backend().caps;
  switch (name) {
    case "TCP_NODELAY": {
      const on = optionValue(value) !== 0;
      options.nodelay = on;
      side.tune((c) => c.setNoDelay(on));
      return;
    }
    case "SO_KEEPALIVE": {
      const on = optionValue(value) !== 0;
      options.keepalive = on;
      const idle = options.keepidle ?? undefined;
      side.tune((c) => c.setKeepAlive(on, idle));
      return;
    }
    case "TCP_KEEPIDLE": {
      if (!caps.keepAliveIdle) throw noOption(name);
      const seconds = optionValue(value);
      if (seconds < 1 || seconds > 32767) throw errnoError("EINVAL");
      options.keepidle = seconds;
      if (options.keepalive) {
        side.tune((c) => c.setKeepAlive(true, seconds));
      }
      return;
    }
    case "SO_REUSEADDR": {
      // Every runtime sets it on the IP listeners it makes: off is what is
      // in force only until bind(), as on a new socket (README). A Unix
      // socket's bind does not look at it (Linux keeps it, to no effect).
      const on = optionValue(value) !== 0;
      if (!on && side.bound && side.family !== AF_UNIX) throw noOption(name);
      options.reuseaddr = on;
      return;
    }
    case "SO_REUSEPORT": {
      const on = optionValue(value) !== 0;
      const support = caps.reusePort.tcp;
      if (support !== true && on) throw unsupported(name, support);
      // Only bind() can pass it to the runtime.
      if (side.bound && on !== options.reuseport) throw noOption(name);
      options.reuseport = on;
      return;
    }
    case "IPV6_V6ONLY": {
      if (side.family !== AF_INET6) throw noOption(name);
      const on = optionValue(value) !== 0;
      // Linux: EINVAL once bound, whatever the value (the runtime's
      // support aside).
      if (side.bound || conn !== null) throw errnoError("EINVAL");
      if (!caps.v6only.tcp) {
        // The runtime never sets it: off is what is in force.
        if (on) throw noOption(name);
        return;
      }
      options.v6only = on;
      return;
    }
    case "SO_BROADCAST":
      // Only IP datagrams are broadcast: a stream socket keeps the flag, to
      // no effect, as Linux.
      options.broadcast = optionValue(value) !== 0;
      return;
    case "SO_LINGER": {
      // A struct linger {l_onoff, l_linger}: Linux refuses anything shorter.
      if (typeof value === "number" || typeof value === "boolean") {
        throw errnoError("EINVAL");
      }
      const onoff = structInt(value, 0);
      const seconds = structInt(value, 1);
      if (onoff === 0) {
        // Off: Linux keeps the time it had.
        options.linger = null;
        return;
      }
      // A close that resets the connection needs the runtime's reset.
      if (!caps.reset) throw noOption(name);
      if (seconds < 0) {
        // Linux takes l_linger as unsigned: no bound, a close like any
        // other (its FIN after the data), not a reset.
        options.linger = Infinity;
        options.lingerTime = UNBOUNDED_LINGER;
      } else {
        options.linger = seconds;
        options.lingerTime = seconds;
      }
      return;
    }
  }
  throw noOption(name);
}

function getStream(side: StreamSide, name: string): number[] {
  const { options } = side;
  const caps = backend().caps;
  switch (name) {
    case "TCP_NODELAY":
      return [Number(options.nodelay ?? caps.noDelayDefault)];
    case "SO_KEEPALIVE":
      return [Number(options.keepalive)];
    case "TCP_KEEPIDLE": {
      if (!caps.keepAliveIdle) break;
      const seconds = options.keepidle ?? linuxDefault(name);
      if (seconds === undefined) break;
      return [seconds];
    }
    case "SO_REUSEADDR":
      // Every runtime sets it on the IP listeners it makes.
      return [
        Number(options.reuseaddr || (side.bound && side.family !== AF_UNIX)),
      ];
    case "SO_REUSEPORT":
      return [Number(options.reuseport)];
    case "SO_ACCEPTCONN":
      return [Number(side.listening)];
    case "SO_BROADCAST":
      return [Number(options.broadcast)];
    case "IPV6_V6ONLY":
      // Only AF_INET6 gets here (getOption refuses the level elsewhere).
      return [Number(options.v6only)];
    case "SO_LINGER":
      return [options.linger === null ? 0 : 1, options.lingerTime];
  }
  throw noOption(name);
}

/** Options the datagram backend sets on a bound socket by name. */
const RUNTIME_DATAGRAM = new Set([
  "SO_BROADCAST",
  "SO_RCVBUF",
  "SO_SNDBUF",
  "IP_TTL",
  "IP_MULTICAST_TTL",
  "IP_MULTICAST_LOOP",
  "IPV6_UNICAST_HOPS",
  "IPV6_MULTICAST_HOPS",
  "IPV6_MULTICAST_LOOP",
]);

/**
 * The family a hop option needs: the runtimes' calls set the IPv4 options
 * on an AF_INET socket and the IPv6 ones on an AF_INET6 socket, so `IP_TTL`
 * cannot be honoured on AF_INET6 (where Linux would take it for mapped
 * addresses), nor the IPv6 ones on AF_INET.
 */
const HOP_FAMILY: Record<string, number> = {
  IP_TTL: AF_INET,
  IP_MULTICAST_TTL: AF_INET,
  IP_MULTICAST_LOOP: AF_INET,
  IPV6_UNICAST_HOPS: AF_INET6,
  IPV6_MULTICAST_HOPS: AF_INET6,
  IPV6_MULTICAST_LOOP: AF_INET6,
};

/** The smallest buffers Linux keeps (`SOCK_MIN_RCVBUF`, `SOCK_MIN_SNDBUF`). */
const MIN_BUFFER: Record<string, number> = { SO_RCVBUF: 2304, SO_SNDBUF: 4608 };

/** A number under `/proc/sys/net/`, where the host lets it be read. */
function sysctl(path: string): number | undefined {
  const text = backend().host.readTextFile(`/proc/sys/net/${path}`);
  const n = text === undefined ? Number.NaN : Number.parseInt(text, 10);
  return Number.isInteger(n) ? n : undefined;
}

/**
 * What Linux reports for `name` on a new socket, as this host is set up;
 * `undefined` where that cannot be read here.
 */
function linuxDefault(name: string): number | undefined {
  switch (name) {
    case "TCP_KEEPIDLE":
      return sysctl("ipv4/tcp_keepalive_time");
    case "IP_TTL":
      return sysctl("ipv4/ip_default_ttl");
    case "IPV6_UNICAST_HOPS":
      return sysctl("ipv6/conf/all/hop_limit");
    case "IP_MULTICAST_TTL":
    case "IP_MULTICAST_LOOP":
    case "IPV6_MULTICAST_HOPS":
    case "IPV6_MULTICAST_LOOP":
      return 1;
    case "SO_BROADCAST":
      return 0;
    case "SO_RCVBUF":
      return sysctl("core/rmem_default");
    case "SO_SNDBUF":
      return sysctl("core/wmem_default");
  }
  return undefined;
}

/**
 * A hop option's value as Linux takes it: `-1` is the default, the limits
 * are Linux's (`EINVAL` outside them), the IPv4 loop flag is any int; the
 * value to set (the default where `-1` asked for it).
 */
function linuxHops(name: string, v: number): number {
  switch (name) {
    case "IP_MULTICAST_LOOP":
      return v === 0 ? 0 : 1;
    case "IPV6_MULTICAST_LOOP":
      if (v !== 0 && v !== 1) throw errnoError("EINVAL");
      return v;
  }
  if (v === -1) {
    const value = linuxDefault(name);
    if (value === undefined) throw noOption(name);
    return value;
  }
  // A unicast hop limit of 0, which Linux takes on IPv6, is refused by
  // every runtime's TTL call: EINVAL as for IPv4's.
  const min = name === "IP_TTL" || name === "IPV6_UNICAST_HOPS" ? 1 : 0;
  if (v < min || v > 255) throw errnoError("EINVAL");
  // A multicast TTL of 0 where the runtime's call refuses it: refused now,
  // not when bind() applies it.
  if (v === 0 && !backend().caps.multicastTtlZero) {
    throw errnoError("EINVAL");
  }
  return v;
}

/**
 * What Linux reports for a buffer size set to `value`: the int taken as
 * unsigned, capped at `rmem_max`/`wmem_max`, doubled, and at least the
 * kernel's minimum; `undefined` where the cap cannot be read here.
 */
function linuxBufferSize(name: string, value: number): number | undefined {
  const max = sysctl(name === "SO_RCVBUF" ? "core/rmem_max" : "core/wmem_max");
  if (max === undefined) return undefined;
  return Math.max(Math.min(value >>> 0, max) * 2, MIN_BUFFER[name]);
}

/**
 * `name` as an option the datagram backend sets (`RawDatagram.options`),
 * or `ENOPROTOOPT` where this runtime or this family cannot.
 */
function checkRuntimeDatagram(side: DatagramSide, name: string): void {
  const family = HOP_FAMILY[name];
  if (
    !RUNTIME_DATAGRAM.has(name) ||
    !backend().caps.udpOptions.includes(name) ||
    (family !== undefined && side.family !== family)
  ) {
    throw noOption(name);
  }
}

/** The dotted IPv4 address in 4 bytes of a `struct ip_mreq`. */
function ipv4At(bytes: Uint8Array, at: number): string {
  return Array.from(bytes.subarray(at, at + 4)).join(".");
}

/**
 * An `IP_MULTICAST_IF` value's interface address as a native int, as Linux
 * reads it: an int is its 4 bytes, an `in_addr`; an `ip_mreq` or
 * `ip_mreqn` has it at byte 4; less than 4 bytes is `EINVAL`.
 */
function multicastIfValue(value: unknown): number {
  if (typeof value === "number" || typeof value === "boolean") {
    return checkInt(value);
  }
  const bytes = bytesLike(value);
  if (bytes.length < 4) throw errnoError("EINVAL");
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.length)
    .getInt32(bytes.length >= 8 ? 4 : 0, true);
}

/** The dotted IPv4 address of an `in_addr` read as a native int. */
function ipv4Of(n: number): string {
  return [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24].join(".");
}

/**
 * Does the runtime set `IP_MULTICAST_IF`? Where it sets the multicast TTL:
 * node:dgram's and Bun's `setMulticastInterface()` sit beside
 * `setMulticastTTL()`, Deno's `listenDatagram` has neither. Known before
 * the socket is bound, so that a refusal binds nothing.
 */
function multicastIfSupported(): boolean {
  return backend().caps.udpOptions.includes("IP_MULTICAST_TTL");
}

/**
 * Refuses an IPv4 multicast option (`name`) on an AF_INET6 socket where the
 * runtime cannot apply it there, before the socket is bound too, so that
 * `bind()` never fails for it.
 */
function checkIpv4Multicast(side: DatagramSide, name: string): void {
  if (
    side.family === AF_INET6 && backend().caps.udp6RefusesIpv4Multicast
  ) {
    throw noOption(name);
  }
}

/**
 * Joins (`add`) or leaves the group of `key` (`"group interface"`) on a
 * bound socket, and keeps `groups` as Linux's memberships.
 */
function membership(
  options: DatagramOptions,
  groups: Set<string>,
  add: boolean,
  key: string,
): void {
  const [group, iface] = key.split(" ");
  const joined = options.membership!(
    add,
    group,
    iface === "0.0.0.0" ? undefined : iface,
  );
  if (!add) groups.delete(key);
  else {
    groups.add(key);
    // A join the runtime answers later: no membership if it failed.
    joined?.then((ok) => ok || groups.delete(key));
  }
}

function setDatagram(side: DatagramSide, name: string, value: unknown): void {
  const { options } = side;
  const caps = backend().caps;
  switch (name) {
    case "SO_KEEPALIVE":
      // No keepalive on a datagram socket: Linux keeps the flag, no more.
      options.keepalive = optionValue(value) !== 0;
      return;
    case "SO_BROADCAST":
      if (side.family === AF_UNIX) {
        // Only IP datagrams are broadcast: kept, to no effect, as Linux.
        options.broadcast = optionValue(value) !== 0;
        return;
      }
      if (caps.broadcastAlwaysOn) {
        // The runtime turns it on for every UDP socket and cannot turn it
        // off: on is honoured, off cannot be.
        if (optionValue(value) !== 0) return;
        throw noOption(name);
      }
      break;
    case "SO_REUSEADDR": {
      const on = optionValue(value) !== 0;
      // Only bind() can pass it to the runtime; a Unix socket's bind does
      // not look at it (Linux keeps it, to no effect).
      if (side.sock === null || side.family === AF_UNIX) {
        options.reuseaddr = on;
      } else if (on !== options.reuseaddr) throw noOption(name);
      return;
    }
    case "SO_REUSEPORT": {
      const on = optionValue(value) !== 0;
      const support = caps.reusePort.udp;
      if (support !== true) {
        if (on) throw unsupported(name, support);
        return;
      }
      if (side.sock === null) options.reuseport = on;
      else if (on !== options.reuseport) throw noOption(name);
      return;
    }
    case "IPV6_V6ONLY": {
      if (side.family !== AF_INET6) throw noOption(name);
      const on = optionValue(value) !== 0;
      // Linux: EINVAL once bound (an implicit bind too), whatever the value
      // (the runtime's support aside).
      if (side.sock !== null) throw errnoError("EINVAL");
      if (!caps.v6only.udp) {
        if (on) throw noOption(name);
        return;
      }
      options.v6only = on;
      return;
    }
    case "IP_MULTICAST_IF": {
      const iface = multicastIfValue(value);
      checkIpv4Multicast(side, name);
      const sock = side.sock;
      // Not bound: kept for bind() to set (Linux sets it on the socket,
      // which stays unbound).
      if (sock === null) {
        if (!multicastIfSupported()) throw noOption(name);
      } else {
        const runtime = sock.options;
        if (runtime?.multicastInterface === undefined) throw noOption(name);
        runtime.multicastInterface(ipv4Of(iface));
      }
      options.multicastIf = iface;
      return;
    }
    case "IP_ADD_MEMBERSHIP":
    case "IP_DROP_MEMBERSHIP": {
      // An int is 4 bytes, shorter than an ip_mreq: Linux's EINVAL.
      if (typeof value === "number") throw errnoError("EINVAL");
      const bytes = bytesLike(value);
      if (bytes.length < 8) throw errnoError("EINVAL");
      checkIpv4Multicast(side, name);
      const sock = side.sock;
      if (sock !== null && sock.options?.membership === undefined) {
        throw noOption(name);
      }
      // ip_mreq and ip_mreqn both have the interface address at byte 4.
      const add = name === "IP_ADD_MEMBERSHIP";
      const { groups } = options;
      const key = `${ipv4At(bytes, 0)} ${ipv4At(bytes, 4)}`;
      if (!add && !groups.has(key)) throw errnoError("EADDRNOTAVAIL");
      if (add) {
        // Not a group (224.0.0.0/4), or joined already.
        if ((bytes[0] & 0xf0) !== 0xe0) throw errnoError("EINVAL");
        if (groups.has(key)) throw errnoError("EADDRINUSE");
      }
      // Not bound: kept for bind() to join (Linux joins, and the socket
      // stays unbound).
      if (sock === null) {
        if (add) groups.add(key);
        else groups.delete(key);
        return;
      }
      membership(sock.options!, groups, add, key);
      return;
    }
  }
  checkRuntimeDatagram(side, name);
  let v = IP_BYTE_OPTIONS.has(name) ? ipOptionValue(value) : optionValue(value);
  if (name in HOP_FAMILY) v = linuxHops(name, v);
  else if (name === "SO_BROADCAST") v = v === 0 ? 0 : 1;
  const sock = side.sock;
  if (sock === null) options.pending.set(name, v);
  else if (!sock.options?.set(name, v)) throw noOption(name);
}

function getDatagram(side: DatagramSide, name: string): number[] {
  const { options } = side;
  const caps = backend().caps;
  switch (name) {
    case "SO_KEEPALIVE":
      return [Number(options.keepalive)];
    case "SO_BROADCAST":
      if (side.family === AF_UNIX) return [Number(options.broadcast)];
      if (caps.broadcastAlwaysOn) return [1];
      break;
    case "SO_REUSEADDR":
      return [Number(options.reuseaddr)];
    case "SO_REUSEPORT":
      return [Number(options.reuseport)];
    case "SO_ACCEPTCONN":
      return [0];
    case "IPV6_V6ONLY":
      // Only AF_INET6 gets here (getOption refuses the level elsewhere).
      return [Number(options.v6only)];
  }
  checkRuntimeDatagram(side, name);
  let value: number | undefined;
  if (side.sock !== null) {
    value = side.sock.options?.get(name) ?? linuxDefault(name);
  } else {
    // No OS socket yet: what was set, as Linux reports it, else Linux's
    // default for a new socket.
    const set = options.pending.get(name);
    value = set === undefined
      ? linuxDefault(name)
      : name in MIN_BUFFER
      ? linuxBufferSize(name, set)
      : set;
  }
  if (value === undefined) throw noOption(name);
  return [value];
}

/**
 * Applies the options set before the socket was bound: the runtime's, the
 * multicast interface, the group memberships. One the runtime refuses
 * (an interface address of no interface, which Linux would have refused
 * at the `setsockopt`) fails the bind and is dropped, so that a second
 * bind() can succeed.
 */
export function applyPending(side: DatagramSide, sock: RawDatagram): void {
  const options = side.options;
  const { pending, groups } = options;
  const runtime = sock.options;
  for (const [name, value] of pending) {
    if (!runtime?.set(name, value)) throw noOption(name);
  }
  if (options.multicastIf !== 0) {
    const iface = ipv4Of(options.multicastIf);
    try {
      if (runtime?.multicastInterface === undefined) {
        throw noOption("IP_MULTICAST_IF");
      }
      runtime.multicastInterface(iface);
    } catch (err) {
      options.multicastIf = 0;
      throw err;
    }
  }
  for (const key of [...groups]) {
    try {
      if (runtime?.membership === undefined) {
        throw noOption("IP_ADD_MEMBERSHIP");
      }
      membership(runtime, groups, true, key);
    } catch (err) {
      groups.delete(key);
      throw err;
    }
  }
  pending.clear();
}
