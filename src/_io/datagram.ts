// Copyright the pysocket authors. MIT license.
// SOCK_DGRAM over the runtime's datagram sockets (UDP, and Unix datagrams
// where the runtime has them).
//
// One runtime receive is in flight at a time, only while a caller waits (or
// readiness was asked); a datagram that arrives after its caller gave up
// stays here for the next call, so a timed-out `recvfrom` loses nothing.
// Where the runtime cannot connect a datagram socket at the OS level,
// `connect()` is emulated: the peer is kept, sends go to it and datagrams
// from anyone else are dropped.

import { AF_INET, AF_INET6, AF_UNIX, SOCK_DGRAM } from "../socket/constants.ts";
import {
  BlockingIOError,
  errnoError,
  type ValueError,
} from "../socket/errors.ts";
import {
  type Address,
  type Endpoint,
  fromRaw,
  inFamily,
  isIPLiteral,
  type NetEndpoint,
  otherFamilyError,
} from "../socket/address.ts";
import { errnoOf, mapError } from "./boundary.ts";
import {
  afterBind,
  applyPending,
  datagramOptions,
  type DatagramOptionState,
} from "./options.ts";
import { afterTurn, Inbox, type WaitMs, withWait } from "./pending.ts";
import { copyHeld, copyOut, POOLED_MAX } from "./pool.ts";
import { processState } from "./fd_table.ts";
import { isDetached, releasedError } from "../_py/pytype.ts";
import { shiftFirst } from "./shift_first.ts";
import {
  formatNtop6,
  isMapped,
  mappedIPv4,
  parseAton,
  parsePton4,
  parsePton6,
} from "../socket/convert.ts";
import { hostsAddress, resolveHost } from "../socket/_resolver.ts";
import {
  backend,
  type RawAddr,
  type RawDatagram,
  type RawDatagramMessage,
  type RawNetAddr,
} from "../_backend/mod.ts";
import type { From, Transport } from "./transport.ts";
import { unroutedError, unscopedError } from "./route.ts";
import { unixPeerError } from "./unix_peer.ts";
import {
  ERROR,
  HANGUP,
  READ_HANGUP,
  READABLE,
  readsAhead,
  Watchers,
  WRITABLE,
  WRITE_BAND,
} from "./readiness.ts";

const EMPTY = new Uint8Array(0);

/** The largest payload the kernel takes in one datagram, by family. */
const MAX_PAYLOAD_V4 = 65507;
const MAX_PAYLOAD_V6 = 65527;

/**
 * What `connect()` keeps of the datagrams queued before it: Linux's default
 * receive buffer (`SO_RCVBUF`, 212992 bytes), each datagram counted with
 * the kernel's bookkeeping beside its bytes (about 768 bytes of `truesize`
 * for a small one).
 */
const KEEP_ROOM = 212992;
const DATAGRAM_OVERHEAD = 768;

/**
 * How long `connect()` waits for its mark to go into a Unix socket's
 * queue (see `#markQueued`) before it takes the queue to be full.
 */
const MARK_WAIT = 100;

/** A received datagram: our own copy of its bytes, and its sender. */
interface Datagram {
  data: Uint8Array;
  from: RawAddr;
}

/** What a receive takes: a datagram, or none from nobody (see `#take`). */
type Received = Datagram | { data: Uint8Array; from: null };

/** A take's result as it came (see `DatagramTransport.#take`). */
function same(got: Received): Received {
  return got;
}

/** What a receive shut for reading returns: none, from nobody. */
const NOTHING: Received = { data: EMPTY, from: null };

/**
 * The peer of `connect()`, and its `endpointKey`; for a Unix socket file,
 * also what that file was then (`identityOf`): Linux's peer is that
 * socket, not its path.
 */
interface Peer {
  addr: RawAddr;
  key: string;
  id?: string | null;
  /** A Unix peer of this process: that socket. */
  local?: NamedDatagram;
}

/**
 * A blocking receive waiting in the inbox (see `#takeBlocking`): it settles
 * with what `map` makes of what it takes.
 */
interface Blocked {
  resolve(value: unknown): void;
  map(got: Received): unknown;
}

/**
 * A key that is equal for equal endpoints however they are spelled (`::1`
 * and `0:0:0:0:0:0:0:1`; `127.0.0.1` and `::ffff:127.0.0.1`).
 */
function endpointKey(addr: RawAddr): string {
  if ("path" in addr) return `unix:${addr.path}`;
  const host = addr.hostname.replace(/^\[(.*)\]$/, "$1").replace(/%.*$/, "");
  let bytes = parseAton(host, true);
  if (bytes !== undefined) {
    const mapped = new Uint8Array(16);
    mapped.set([0xff, 0xff], 10);
    mapped.set(bytes, 12);
    bytes = mapped;
  } else {
    bytes = parsePton6(host);
  }
  const ip = bytes === undefined ? host : Array.from(bytes).join(".");
  return `${ip}/${addr.port}`;
}

/** The address of every interface in `family`: what an autobind takes. */
function wildcard(family: number): string {
  return family === AF_INET6 ? "::" : "0.0.0.0";
}

/** The characters a wildcard IPv6 literal is written with (`::ffff:0.0.0.0`). */
const WILDCARD_V6_CHARS = /^[0:.fF]+$/;

/**
 * Where Linux delivers a datagram for `addr`: a wildcard destination
 * (`0.0.0.0`, `::`, `::ffff:0.0.0.0`) is the loopback address of its kind,
 * as the kernel turns it (`ip4_datagram_connect`, `udpv6_sendmsg`), for
 * `sendto()` and for `connect()`'s peer alike.
 */
function wildcardToLoopback(addr: RawAddr): RawAddr {
  if ("path" in addr) return addr;
  const host = addr.hostname;
  if (host === "0.0.0.0") return { hostname: "127.0.0.1", port: addr.port };
  if (!WILDCARD_V6_CHARS.test(host)) return addr;
  const bytes = parsePton6(host);
  if (bytes === undefined || bytes.subarray(12).some((x) => x !== 0)) {
    return addr;
  }
  const mapped = bytes[10] === 0xff && bytes[11] === 0xff;
  if (!bytes.subarray(0, mapped ? 10 : 12).every((x) => x === 0)) return addr;
  return { hostname: mapped ? "::ffff:127.0.0.1" : "::1", port: addr.port };
}

/**
 * A peer as Linux keeps it: an IPv6 literal in `inet_ntop()`'s spelling
 * (`0:0:0:0:0:0:0:1` is `::1`, `::ffff:7f00:1` is `::ffff:127.0.0.1`), as
 * `getpeername()` returns it; the scope stays.
 */
function canonicalPeer(addr: RawAddr): RawAddr {
  if ("path" in addr || !addr.hostname.includes(":")) return addr;
  const [ip, zone] = addr.hostname.split("%", 2);
  const bytes = parsePton6(ip);
  if (bytes === undefined) return addr;
  const hostname = formatNtop6(bytes) + (zone === undefined ? "" : `%${zone}`);
  return { hostname, port: addr.port };
}

/**
 * What the Unix socket file at `path` is now (its device and inode), as
 * `sock`'s runtime tells it: `null` for nothing there, `undefined` where
 * it cannot tell.
 */
function identityOf(
  sock: RawDatagram,
  path: string,
): string | null | undefined {
  return sock.unixIdentity?.(path);
}

/**
 * A Unix datagram socket of this process that has a name, as a sender
 * asks it: what Linux knows of a receiver and the runtime, which sends by
 * path, does not. Read through getters, not `#private` fields: another
 * copy of the library may be asking.
 */
export interface NamedDatagram {
  /** It is closed. */
  readonly closed: boolean;
  /** It is shut for reading (`shutdown(SHUT_RD)`). */
  readonly shutRead: boolean;
}

/**
 * The Unix datagram sockets of this process that have a name, by
 * `nameKey`, and how many of them are shut for reading; the process's
 * (fd_table.ts), as every copy of the library sends to them. A socket of
 * another process cannot be asked.
 */
export interface NamedDatagrams {
  readonly named: Map<string, NamedDatagram>;
  shut: number;
}

const unix = processState.unixDatagrams;

/**
 * The Unix datagram socket at `path` as `unix.named` keys it, asked with
 * `sock`: what its file is (`identityOf`), else the name.
 */
function nameKey(sock: RawDatagram, path: string): string {
  return identityOf(sock, path) ?? `path:${path}`;
}

/**
 * What `addr` makes an AF_INET6 socket's source, bound to it or connected
 * to it (see `DatagramTransport.#source`): `null` for the wildcard `::`
 * and for another family.
 */
function sourceKind(family: number, addr: RawAddr): "mapped" | "v6" | null {
  if (family !== AF_INET6 || "path" in addr) return null;
  const bytes = parsePton6(addr.hostname.replace(/%.*$/, ""));
  if (bytes === undefined) return null;
  if (isMapped(bytes)) return "mapped";
  return bytes.every((x) => x === 0) ? null : "v6";
}

/**
 * Is `host` (an IP literal) a loopback address of `family` (for AF_INET6,
 * `::1` or an IPv4-mapped 127/8 address)? Its route's source: Linux's.
 */
function loopbackSource(host: string, family: number): string | null {
  if (family === AF_INET) {
    return parseAton(host, true)?.[0] === 127 ? "127.0.0.1" : null;
  }
  const bytes = parsePton6(host.replace(/%.*$/, ""));
  if (bytes === undefined) return null;
  if (isMapped(bytes)) return bytes[12] === 127 ? "::ffff:127.0.0.1" : null;
  return bytes[15] === 1 && bytes.subarray(0, 15).every((x) => x === 0)
    ? host
    : null;
}

/**
 * A datagram as `recv(n)` returns it: longer than `n`, cut to `n` (the rest
 * is dropped); peeked at, a copy (the datagram stays for the next call);
 * in held memory (`held`: `pool.ts`), copied out.
 * With `MSG_TRUNC` (`trunc`), as long as the datagram all the same, as
 * CPython sizes its result to the length Linux returns: the first `n`
 * bytes, then zeros (CPython's are whatever its buffer held there).
 */
function cut(
  data: Uint8Array,
  n: number,
  peek: boolean,
  trunc: boolean,
  held: boolean,
): Uint8Array {
  if (!trunc || data.length <= n) {
    if (peek || data.length > n) return data.slice(0, n);
    // (Held memory is copied out: a larger copy is memory of its own.)
    return held && data.length <= POOLED_MAX
      ? copyOut(data, data.length)
      : data;
  }
  const out = new Uint8Array(data.length);
  out.set(data.subarray(0, n));
  return out;
}

/**
 * `recv_into()`: as much of `data` as `into` holds, and no more than
 * `asked`, its length at the call (a length-tracking view may have grown
 * since: Python's buffer cannot be resized while a call holds it); the
 * count (with `MSG_TRUNC`, `trunc`: the datagram's whole length, as Linux
 * returns it).
 */
function copyInto(
  into: Uint8Array,
  data: Uint8Array,
  trunc: boolean,
  asked: number,
): number {
  const k = Math.min(data.length, into.length, asked);
  into.set(data.subarray(0, k));
  return trunc ? data.length : k;
}

/**
 * SOCK_DGRAM over the runtime's datagram sockets.
 *
 * The runtime socket is made by `bind()`, or by the first `sendto()` or
 * `connect()` on an ephemeral port of every interface, as the OS does.
 */
export class DatagramTransport implements Transport, NamedDatagram {
  readonly kind = "datagram";
  #family: number;
  #sock: RawDatagram | null = null;
  #peer: Peer | null = null;
  /** Where this socket is in `unix.named`. */
  #unixKey: string | null = null;
  /** `connect()` reached the OS: the runtime filters and sends. */
  #osConnected = false;
  #shutWrite = false;
  /**
   * An AF_INET6 socket's source address as far as `connect()` judges it
   * (Linux's `sk_v6_rcv_saddr`): `"mapped"` (IPv4-mapped) or `"v6"` once
   * `bind()` named one or a `connect()` took the route's, else `null`
   * (the wildcard). Kept here: a runtime that connects elsewhere
   * disconnects first, which gives the wildcard back.
   */
  #source: "mapped" | "v6" | null = null;
  /**
   * The IP address the first `connect()` gave the socket (Linux's
   * `sk_v6_rcv_saddr`, `inet_rcv_saddr`), which later connects keep and
   * `getsockname()` tells: Node's and Bun's socket disconnects to connect
   * elsewhere and takes the new route's.
   */
  #connectedFrom: string | null = null;
  /**
   * `shutdown(SHUT_RD)`: datagrams are still received; poll() reports it,
   * and a blocking receive with none there returns at once (see
   * shutdown()).
   */
  #shutRead = false;
  /**
   * Blocking receives waiting in the inbox: `shutdown(SHUT_RD)` wakes them
   * with none from nobody, as Linux's wakes a blocked `recvfrom()`.
   */
  #blocked = new Set<Blocked>();
  /**
   * Inbox takes whose callers the shutdown woke (and the next one's end):
   * they are ahead of any later take in the inbox, so what they bring is
   * the next receives' (`#early`), in order; a receive meanwhile waits for
   * the first of them (see `#afterOrphan`).
   */
  #orphans = 0;
  #orphanEnded: Promise<void> | null = null;
  #orphanEnd: (() => void) | null = null;
  #closed = false;
  /**
   * Datagrams the runtime held when `connect()` set its peer, taken before
   * the filter changed (see `#keepQueued`): the next receives' first,
   * after the pending error (`#earlyError`: one that ended the taking, one
   * an orphan brought, or the runtime socket's, see `#absorbError`).
   */
  #early: Datagram[] = [];
  #earlyError: Error | null = null;
  /**
   * The mark a Unix socket's first `connect()` sent itself (see
   * `#markQueued`), by its sender's `endpointKey`, until it comes out:
   * datagrams before it were queued before the connect, and pass the
   * filter while `keep`; once the socket has dropped its queue (a connect
   * elsewhere, or a peer found gone: see `#dropQueue`), all of them are
   * dropped, whoever sent them.
   */
  #boundary: { key: string; keep: boolean } | null = null;
  /**
   * A datagram went out on a socket connected at the OS level: its ICMP
   * error, which Linux has made pending by the time the send returns, the
   * runtime tells a turn of the event loop later (see `#take`).
   */
  #errorDue = false;
  /** The turn receives wait for, while an error is let in (`#letErrorIn`). */
  #errorTurn: Promise<void> | null = null;
  /** Datagrams received and not yet taken, and who waits for them. */
  #inbox: Inbox<Datagram, RawDatagramMessage>;
  /** Sends and name resolutions in flight, and who waits for none to be. */
  #inflight = 0;
  #idle: (() => void) | null = null;
  #idlePromise: Promise<void> | null = null;
  #watchers = new Watchers();
  readonly options: DatagramOptionState = datagramOptions();

  /** @param family AF_INET, AF_INET6 or AF_UNIX. */
  constructor(family: number) {
    this.#family = family;
    this.#inbox = new Inbox<Datagram, RawDatagramMessage>(
      () => this.#sock!.receive(),
      undefined,
      () => this.#sock !== null,
      () => this.#watchers.notify(),
      (on) => this.#sock?.waiting?.(on),
      this.#received,
      true,
    );
  }

  get side(): this {
    return this;
  }

  get family(): number {
    return this.#family;
  }

  get sock(): RawDatagram | null {
    return this.#sock;
  }

  get listening(): boolean {
    return false;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get shutRead(): boolean {
    return this.#shutRead;
  }

  /**
   * Binds the runtime socket to `ep`.
   *
   * @param ep Where.
   * @param implicit A bind the OS makes itself (`autobind`): Linux's
   * `inet6_bind()` is not involved, so `IPV6_V6ONLY` stays as it was.
   */
  bind(ep: Endpoint, implicit = false): void {
    if (this.#sock !== null) throw errnoError("EINVAL");
    const target = this.#bindTarget(this.#target(ep));
    const { reuseaddr, reuseport, v6only, pending } = this.options;
    const loop = pending.get(
      this.#family === AF_INET6 ? "IPV6_MULTICAST_LOOP" : "IP_MULTICAST_LOOP",
    );
    let sock: RawDatagram;
    try {
      sock = backend().datagram.bind(target, {
        family: this.#family === AF_INET6 ? 6 : 4,
        reuseAddress: reuseaddr,
        reusePort: reuseport,
        ipv6Only: this.#family === AF_INET6 ? v6only : undefined,
        ...(loop === undefined ? {} : { multicastLoop: loop !== 0 }),
      });
    } catch (err) {
      throw mapError(err);
    }
    if (!inFamily(this.#family, sock.addr)) {
      sock.close();
      throw otherFamilyError(target);
    }
    try {
      applyPending(this, sock);
    } catch (err) {
      sock.close();
      throw err;
    }
    if (!implicit) {
      afterBind(this.options, this.#family, sock.addr);
      this.#source = sourceKind(this.#family, sock.addr);
    }
    this.#sock = sock;
    this.#listUnix(sock);
    this.#inbox.kick();
    // A readiness wait on the unbound socket can be answered now.
    this.#watchers.notify();
  }

  /** The endpoint as this family's (a Unix path, or an IP endpoint). */
  #target(ep: Endpoint): Endpoint {
    if (("path" in ep) !== (this.#family === AF_UNIX)) {
      throw errnoError("EAFNOSUPPORT");
    }
    return ep;
  }

  /**
   * The endpoint to bind: a host name goes to a runtime that resolves it
   * itself; for the others it is looked up in /etc/hosts (there is no
   * synchronous DNS).
   */
  #bindTarget(ep: Endpoint): Endpoint {
    if ("path" in ep || isIPLiteral(ep.hostname)) return ep;
    if (backend().caps.udpBindByName) return ep;
    return { hostname: hostsAddress(ep.hostname, this.#family), port: ep.port };
  }

  /**
   * Binds an ephemeral port on every interface, as the OS does implicitly.
   *
   * @param toward The first destination (of `sendto` or `connect`). Where
   * the runtime asks permission per address (Deno), a loopback destination
   * is reached from its own address when the wildcard is not granted
   * already, so that `--allow-net=127.0.0.1` is enough for a loopback
   * client.
   * @param connecting `toward` is a `connect()`'s peer. Linux's connect
   * gives the socket the route's source address; where the runtime cannot
   * connect at the OS level, a loopback peer's is bound (the loopback
   * address; other routes are not known here, so the wildcard stays).
   */
  autobind(toward?: RawAddr, connecting = false): RawDatagram {
    if (this.#closed) throw errnoError("EBADF");
    if (this.#sock === null) {
      if (this.#family === AF_UNIX) {
        this.#bindAbstract();
        return this.#sock!;
      }
      const local = this.#implicitAddress(toward, connecting);
      this.bind({ hostname: local, port: 0 }, true);
    }
    return this.#sock!;
  }

  /**
   * Gives an unbound AF_UNIX socket a name to send from. Linux sends from
   * an unnamed socket (the receiver sees `None`); the runtime has no
   * unnamed datagram sockets, so the socket takes an abstract name of the
   * form Linux's autobind gives (five hex digits), which the receiver sees
   * instead. Abstract names are Linux's only: elsewhere, Python's
   * `EOPNOTSUPP` with the reason.
   */
  #bindAbstract(): void {
    if (backend().host.os !== "linux") {
      throw errnoError("EOPNOTSUPP", {
        detail:
          "an unbound AF_UNIX datagram socket: bind() a path first, the runtime has no unnamed datagram sockets",
      });
    }
    for (let tries = 1;; tries++) {
      const pick = crypto.getRandomValues(new Uint32Array(1))[0] & 0xfffff;
      try {
        this.bind({ path: `\0${pick.toString(16).padStart(5, "0")}` }, true);
        return;
      } catch (err) {
        // A name another socket holds: Linux's autobind tries the next.
        if (errnoOf(err) !== 98 || tries === 16) throw err;
      }
    }
  }

  /** The address {@linkcode autobind} binds (see there). */
  #implicitAddress(toward: RawAddr | undefined, connecting: boolean): string {
    const any = wildcard(this.#family);
    const source = toward === undefined || !("hostname" in toward)
      ? null
      : loopbackSource(toward.hostname, this.#family);
    if (source === null) return any;
    const host = backend().host;
    if (connecting && !backend().caps.udpConnect) {
      // Linux's route to every 127/8 address has the source 127.0.0.1
      // (`::ffff:127.0.0.1` for an IPv4-mapped one).
      const peer = (toward as { hostname: string }).hostname;
      return host.netGranted(source, 0) ? source : peer;
    }
    return host.netGranted(any, 0)
      ? any
      : (toward as { hostname: string }).hostname;
  }

  listen(_backlog: number): void {
    throw errnoError("EOPNOTSUPP");
  }

  async accept(ms: WaitMs): Promise<never> {
    // CPython waits for the socket to be readable when it has a timeout,
    // then accept() fails; without one it fails at once.
    if (ms !== null && ms > 0) await this.#inbox.take(ms, true);
    throw errnoError("EOPNOTSUPP");
  }

  /** Counts `op` as in flight until it settles, for `drain()`. */
  #track<T>(op: Promise<T>): Promise<T> {
    this.#inflight++;
    op.then(this.#landed, this.#landed);
    return op;
  }

  /** An operation counted in flight has settled. */
  #landed = (): void => {
    if (--this.#inflight === 0 && this.#idle !== null) {
      this.#idle();
      this.#idle = this.#idlePromise = null;
    }
  };

  /** `ep`'s address, resolved by the system resolver if a name. */
  async #resolve(ep: Endpoint): Promise<RawAddr> {
    if ("path" in ep || isIPLiteral(ep.hostname)) return ep;
    const [ip] = await this.#track(resolveHost(ep.hostname, this.#family));
    if (this.#closed) throw errnoError("EBADF");
    return { hostname: ip, port: (ep as NetEndpoint).port };
  }

  async connect(ep: Endpoint, _ms: WaitMs): Promise<void> {
    const addr = await this.#resolve(this.#target(ep));
    // Linux's connect finds its peer by path (`unix_find_other()`): the
    // runtime, which sends by path, would tell only at the first send.
    if ("path" in addr && addr.path !== null) {
      const errno = unixPeerError(addr.path, SOCK_DGRAM);
      if (errno !== null) throw errnoError(errno);
    }
    // Bound already, the socket may hold datagrams from anyone: read now
    // (`#keepQueued`). Not a Unix socket's (a receive left waiting there
    // would hold Deno's socket, and refuse the sends that follow, as
    // `Busy`): its first connect marks where its queue ends instead
    // (`#markQueued`).
    const held = this.#sock !== null && this.#family !== AF_UNIX;
    const marks = this.#sock !== null && this.#family === AF_UNIX &&
      this.#peer === null && this.#boundary === null;
    const peer = canonicalPeer(
      "path" in addr
        ? { path: addr.path }
        : this.#toward({ hostname: addr.hostname, port: addr.port }),
    );
    // Linux binds the socket (to the wildcard) before it refuses the peer.
    const refused = unscopedError(peer) ?? unroutedError(peer) ??
      this.#peerFamilyError(peer);
    const sock = this.autobind(refused === null ? peer : undefined, true);
    if (refused !== null) throw refused;
    // A peer the runtime does not let this socket send to (Deno's
    // `--allow-net`) is refused here, as Linux's EACCES for one is, and
    // the socket keeps the peer it had.
    try {
      if ("hostname" in peer) sock.checkPeer?.(peer);
    } catch (err) {
      throw mapError(err, this.#closed);
    }
    if (sock.connect !== undefined && backend().caps.udpConnect) {
      try {
        await this.#track(sock.connect(peer as RawNetAddr));
      } catch (err) {
        throw mapError(err, this.#closed);
      }
      this.#osConnected = true;
    } else if (this.#broadcastRefused(sock, peer)) {
      throw errnoError("EACCES");
    }
    if (held) await this.#keepQueued();
    else if (marks) await this.#markQueued(sock);
    const key = endpointKey(peer);
    // Connected elsewhere, Linux's Unix socket drops its whole queue
    // (`unix_dgram_disconnected()`); a UDP socket keeps it.
    if (
      this.#family === AF_UNIX && this.#peer !== null && key !== this.#peer.key
    ) {
      this.#dropQueue();
    }
    this.#peer = { addr: peer, key };
    if ("path" in peer && peer.path !== null) {
      this.#peer.id = identityOf(sock, peer.path);
      this.#peer.local = unix.named.get(this.#peer.id ?? `path:${peer.path}`);
    }
    this.#source ??= sourceKind(this.#family, peer);
    if (this.#family !== AF_UNIX) {
      this.#connectedFrom ??= (sock.addr as RawNetAddr).hostname;
    }
  }

  /**
   * Linux's refusal of a broadcast peer (`ip4_datagram_connect()`: `EACCES`;
   * an IPv4-mapped one too) while `SO_BROADCAST` is off, for a runtime that
   * does not connect at the OS level: the kernel refuses the others.
   */
  #broadcastRefused(sock: RawDatagram, peer: RawAddr): boolean {
    if ("path" in peer || backend().caps.broadcastAlwaysOn) return false;
    if (sock.options?.get("SO_BROADCAST")) return false;
    const v4 = mappedIPv4(peer.hostname) ?? peer.hostname;
    return parsePton4(v4) !== undefined && backend().host.isBroadcast(v4);
  }

  /**
   * Where Linux sends for `addr` from this socket, `connect()`'s peer and
   * `sendto()`'s destination alike: a wildcard is the loopback address
   * (`wildcardToLoopback`), `::` that of the source's kind, the IPv4 one
   * for an IPv4-mapped source (`ip6_datagram_connect`, `udpv6_sendmsg`).
   */
  #toward(addr: RawAddr): RawAddr {
    return this.#source === "mapped" && "hostname" in addr &&
        parsePton6(addr.hostname)?.every((x) => x === 0)
      ? { hostname: "::ffff:127.0.0.1", port: addr.port }
      : wildcardToLoopback(addr);
  }

  /**
   * Linux's family checks of an AF_INET6 `connect()` (`ip6_datagram_connect`)
   * and `sendto()` (`udpv6_sendmsg`), made here for every runtime: one that
   * cannot connect at the OS level (Deno) would accept any peer, and one
   * that must disconnect to connect elsewhere loses the source address the
   * first connect fixed. An IPv4-mapped peer of a socket that takes no
   * IPv4 (`IPV6_V6ONLY`, or bound to one IPv6 address) is `ENETUNREACH`;
   * an IPv6 peer of a socket whose source is IPv4-mapped is `EAFNOSUPPORT`
   * (a link-local one is left to `unscopedError` and the runtime: Linux
   * checks its scope first). The socket stays connected as it was. `null`:
   * none of these.
   */
  #peerFamilyError(peer: RawAddr): Error | null {
    if (this.#family !== AF_INET6 || "path" in peer) return null;
    const bytes = parsePton6(peer.hostname.replace(/%.*$/, ""));
    if (bytes === undefined) return null;
    if (isMapped(bytes)) {
      return this.options.v6only ? errnoError("ENETUNREACH") : null;
    }
    return this.#source === "mapped" ? errnoError("EAFNOSUPPORT") : null;
  }

  /**
   * Takes what the runtime holds now under the filter in force (none, or
   * the old peer's): Linux's connect filters only the datagrams that
   * arrive after it, and those queued before stay for the next receives.
   * Up to a receive buffer's worth (Linux's default `SO_RCVBUF`), so that
   * a sender that never stops cannot hold `connect()` for ever.
   */
  async #keepQueued(): Promise<void> {
    let room = KEEP_ROOM;
    while (room > 0 && this.#earlyError === null && !this.#inbox.failed) {
      let dgram: Datagram;
      try {
        dgram = await this.#inbox.take(0);
      } catch (err) {
        if (this.#closed) throw errnoError("EBADF");
        if (!(err instanceof BlockingIOError)) this.#earlyError = err as Error;
        return;
      }
      this.#early.push(dgram);
      room -= dgram.data.length + DATAGRAM_OVERHEAD;
    }
  }

  /**
   * Drops a Unix socket's queue, as Linux's `unix_dgram_disconnected()`
   * does when the socket connects elsewhere or finds its peer gone: the
   * datagrams pysocket holds, and, while the mark of `#markQueued` has not
   * come out, those the runtime holds ahead of it (dropped as they come,
   * whoever sent them). Those behind the mark came after, and meet the
   * peer filter.
   */
  #dropQueue(): void {
    this.#early = [];
    while (this.#inbox.size > 0) void this.#inbox.take(0);
    if (this.#boundary !== null) this.#boundary.keep = false;
  }

  /**
   * Marks the end of a Unix socket's queue as its first `connect()` finds
   * it: a datagram of our own goes in after what is queued there, from a
   * socket made for it (an abstract name; Linux only), and until it comes
   * out, datagrams from anyone pass the peer filter (see `#received`). So
   * those queued before the connect stay for the next receives, as Linux
   * keeps them, and nothing is read ahead: a receive left waiting would
   * hold Deno's socket, and refuse the sends that follow, as `Busy`.
   *
   * A queue full already (Linux's `max_dgram_qlen`) takes the mark only
   * once a datagram has left it: one is read then (and so on, while the
   * mark is not in), kept for the next receives (the runtime's send cannot
   * be cancelled, and would keep the process alive). Where the mark cannot
   * be sent (the socket's file is gone or another's; no abstract names),
   * or its name may not be bound without asking the user (on Deno, net
   * access to `unix:<name>`, which a scoped `--allow-net` cannot grant:
   * asking would be a prompt at a terminal, the program stopped until
   * answered), no mark is sent, and the filter holds at once: datagrams
   * from others queued before the connect are dropped as they come.
   *
   * @throws {OSError} When the name cannot be bound for another reason
   * (out of file descriptors): the socket stays as it was, unconnected.
   */
  async #markQueued(sock: RawDatagram): Promise<void> {
    const path = (sock.addr as { path?: string | null }).path;
    if (!path || backend().host.os !== "linux") return;
    if (this.#unixKey !== null && nameKey(sock, path) !== this.#unixKey) return;
    let marker: RawDatagram;
    const pick = crypto.getRandomValues(new Uint32Array(2));
    const name = `\0pysocket-mark-${pick.join("-")}`;
    // Asked without prompting. (The send to `path` needs what binding
    // `path` needed, net and write access to it: granted already.)
    if (!backend().host.netGranted(`unix:${name}`)) return;
    try {
      marker = backend().datagram.bind({ path: name }, { family: 4 });
    } catch (err) {
      throw mapError(err);
    }
    const boundary = { key: endpointKey(marker.addr), keep: true };
    this.#boundary = boundary;
    let done = false;
    const sent = marker.send(new Uint8Array(1), { path }).then(
      () => {},
      () => {
        // Never to come: the filter is the peer's from now.
        if (this.#boundary === boundary) this.#boundary = null;
      },
    ).finally(() => {
      done = true;
      marker.close();
    });
    let room = KEEP_ROOM;
    for (;;) {
      await withWait(sent, MARK_WAIT).catch(() => {});
      if (done || room <= 0) return;
      // The queue is full: a datagram ahead of the mark, read now.
      let dgram: Datagram;
      try {
        dgram = await this.#inbox.take(0);
      } catch (err) {
        if (this.#closed) throw errnoError("EBADF");
        if (!(err instanceof BlockingIOError)) {
          this.#earlyError ??= err as Error;
        }
        return;
      }
      this.#early.push(dgram);
      room -= dgram.data.length + DATAGRAM_OVERHEAD;
    }
  }

  send(data: Uint8Array, ms: WaitMs): Promise<number> {
    if (this.#peer === null) {
      // Linux checks a Unix socket's shutdown before its peer.
      if (this.#family === AF_UNIX && this.#shutWrite) {
        return Promise.reject(errnoError("EPIPE"));
      }
      return Promise.reject(this.#noDestination());
    }
    const to = this.#osConnected ? null : this.#peer.addr;
    return this.#sendTo(data, to, ms, this.#family === AF_UNIX);
  }

  async sendall(data: Uint8Array, ms: WaitMs): Promise<void> {
    await this.send(data, ms);
  }

  /**
   * A send without a destination. Linux binds an IP socket first, as for
   * every send, then answers `EDESTADDRREQ`; a Unix socket without a peer
   * is `ENOTCONN`. (Where binding the wildcard address needs a permission
   * the program lacks, on Deno, the socket stays unbound: that bind's
   * `PermissionError` is not this call's error.)
   */
  #noDestination(): Error {
    if (this.#family === AF_UNIX) return errnoError("ENOTCONN");
    const granted = backend().host.netGranted(wildcard(this.#family), 0);
    if (this.#sock === null && granted) this.autobind();
    return errnoError("EDESTADDRREQ");
  }

  sendto(data: Uint8Array, ep: Endpoint, ms: WaitMs): Promise<number> {
    try {
      const target = this.#target(ep);
      if ("path" in target || isIPLiteral(target.hostname)) {
        return this.#sendTo(data, this.#toward(target), ms);
      }
      return this.#resolve(target).then((a) =>
        this.#sendTo(data, this.#toward(a), ms)
      );
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** A send has gone out: its count, and it is no longer in flight. */
  #sent = (n: number): number => {
    this.#landed();
    return n;
  };

  /** A runtime send error → Python's (EBADF once we closed). */
  #sendFailed = (err: unknown): never => {
    this.#landed();
    throw mapError(err, this.#closed);
  };

  /**
   * Sends to `addr` (`null`: the OS-level peer).
   *
   * @param toPeer A Unix socket's send to the peer of its `connect()`,
   * which the runtime sends by path (see `#unixChecks`).
   */
  #sendTo(
    data: Uint8Array,
    addr: RawAddr | null,
    _ms: WaitMs,
    toPeer = false,
  ): Promise<number> {
    let op: Promise<number>;
    try {
      // Linux binds the socket before it refuses a datagram (too large, or
      // after shutdown(SHUT_WR)).
      const sock = this.autobind(addr ?? undefined);
      // Linux's order: (IPv4) more than 65535 bytes, the destination's port
      // (0 is EINVAL), the size, then the socket's pending error (an ICMP
      // error for an earlier datagram: Linux's `sk_err` is the next call's
      // of any kind, wherever it was kept; the backend's own is taken by its
      // send), then a shutdown.
      if (this.#family !== AF_UNIX) {
        if (this.#family === AF_INET && data.length > 0xffff) {
          throw errnoError("EMSGSIZE");
        }
        if (addr !== null && "port" in addr && addr.port === 0) {
          throw errnoError("EINVAL");
        }
        const max = this.#family === AF_INET6 ? MAX_PAYLOAD_V6 : MAX_PAYLOAD_V4;
        if (data.length > max) throw errnoError("EMSGSIZE");
        // Node's and Bun's socket, disconnected to send elsewhere, no
        // longer has the source that refuses these (`udpv6_sendmsg`).
        const refused = addr === null ? null : this.#peerFamilyError(addr);
        if (refused !== null) throw refused;
      }
      const pending = this.#takePending();
      if (pending !== null) throw pending;
      if (this.#shutWrite) throw errnoError("EPIPE");
      if (addr !== null && "path" in addr) {
        this.#unixChecks(sock, addr, toPeer);
        if (toPeer) {
          const peer = this.#peer;
          op = sock.send(data, addr).then(
            this.#sent,
            (err) => this.#sendFailed(this.#peerRefused(err, peer)),
          );
          this.#inflight++;
          return op;
        }
      }
      // On a socket connected at the OS level, sendto() the peer is send();
      // another address the backend sends to as Linux does (the engine's
      // peer filter keeps what arrives meanwhile from anyone else out).
      const to = this.#osConnected && addr !== null &&
          endpointKey(addr) === this.#peer!.key
        ? null
        : addr;
      if (this.#osConnected) this.#errorDue = true;
      // Counted in flight for drain() by the same step that maps its
      // error (not a promise of its own).
      op = sock.send(data, to).then(this.#sent, this.#sendFailed);
      this.#inflight++;
    } catch (err) {
      return Promise.reject(mapError(err, this.#closed));
    }
    // A datagram goes out at once or not at all, and the runtime's send
    // cannot be cancelled: giving up on it (EAGAIN, or TimeoutError when a
    // busy event loop lets the timer fire first) would report a datagram
    // that is sent as not sent. So no mode waits on a timer here.
    return op;
  }

  /**
   * Linux's checks of a Unix datagram's receiver, which the runtime, that
   * sends by path, does not make: the socket `connect()` reached has gone
   * (closed; another may be bound at its path since): `ECONNREFUSED`, and
   * the socket is disconnected; the receiver, a socket of this process,
   * is shut for reading: `EPIPE`.
   */
  #unixChecks(sock: RawDatagram, addr: RawAddr, toPeer: boolean): void {
    const path = (addr as { path: string | null }).path;
    if (path === null) return;
    let to: NamedDatagram | undefined;
    if (toPeer) {
      const peer = this.#peer!;
      to = peer.local;
      const gone = to !== undefined
        ? to.closed
        : typeof peer.id === "string" && identityOf(sock, path) !== peer.id;
      if (gone) throw this.#peerRefused(errnoError("ECONNREFUSED"), peer);
    } else if (unix.shut > 0) {
      to = unix.named.get(nameKey(sock, path));
    }
    if (to !== undefined && to.shutRead) throw errnoError("EPIPE");
  }

  /**
   * A send to a Unix socket's peer failed: if because the peer has gone
   * (`ECONNREFUSED`: its file names no socket; `ENOENT`: no file), Linux's
   * `ECONNREFUSED`, and the socket is disconnected, as Linux's is, with
   * the datagrams it holds dropped. (`peer`: the peer the send was for;
   * another `connect()` since keeps its own.)
   */
  #peerRefused(err: unknown, peer: Peer | null): unknown {
    const errno = errnoOf(err);
    if (errno !== 111 && errno !== 2) return err;
    // A peer of this process that is still open has not gone: its file
    // was removed (Linux reaches it all the same; the runtime cannot).
    if (peer?.local !== undefined && !peer.local.closed) return err;
    if (this.#peer === peer && peer !== null) {
      this.#peer = null;
      this.#dropQueue();
    }
    return errno === 111 ? err : errnoError("ECONNREFUSED");
  }

  /**
   * The next datagram, cut to `n` bytes.
   *
   * @param trunc `MSG_TRUNC`: the result is as long as the datagram (its
   * first `n` bytes, then zeros), as CPython's is.
   */
  async recv(
    n: number,
    ms: WaitMs,
    peek: boolean,
    trunc = false,
  ): Promise<Uint8Array> {
    // CPython returns b'' for recv(0) at once, leaving the datagram.
    if (n === 0) return EMPTY;
    return cut((await this.#take(ms, peek)).data, n, peek, trunc, this.#held);
  }

  /**
   * The next datagram, into `into`; the count.
   *
   * @param trunc `MSG_TRUNC`: the count is the datagram's whole length.
   */
  async recvInto(
    into: Uint8Array,
    ms: WaitMs,
    peek: boolean,
    trunc = false,
  ): Promise<number> {
    if (into.length === 0) return 0;
    const asked = into.length;
    const got = await this.#take(ms, peek);
    if (into.length === 0) throw this.#released(got, peek);
    return copyInto(into, got.data, trunc, asked);
  }

  /** {@linkcode recv}, and the sender. */
  recvfrom(
    n: number,
    ms: WaitMs,
    peek: boolean,
    trunc = false,
  ): Promise<From<Uint8Array>> {
    return this.#take(ms, peek, ({ data, from }): From<Uint8Array> => [
      cut(data, n, peek, trunc, this.#held),
      this.#sender(from),
    ]);
  }

  /** {@linkcode recvInto}, and the sender. */
  async recvfromInto(
    into: Uint8Array,
    ms: WaitMs,
    peek: boolean,
    trunc = false,
  ): Promise<From<number>> {
    // An empty buffer takes the datagram all the same (CPython's
    // `recvfrom_into` calls recvfrom(); its `recv_into` does not).
    const asked = into.length;
    const got = await this.#take(ms, peek);
    if (into.length === 0 && (asked > 0 || isDetached(into))) {
      throw this.#released(got, peek);
    }
    return [copyInto(into, got.data, trunc, asked), this.#sender(got.from)];
  }

  /**
   * A `recv_into()`'s buffer was detached, or shrunk to nothing, while the
   * call waited (Python cannot resize a buffer in use; its nearest is a
   * released memoryview): the datagram it took goes back in front, for
   * the next call, and the call raises Python's `ValueError`. (A call
   * already waiting meanwhile may get a later datagram first.)
   */
  #released(got: Received, peek: boolean): ValueError {
    if (!peek && got.from !== null) {
      this.#early.unshift(got);
      this.#watchers.notify();
    }
    return releasedError();
  }

  /**
   * Who sent a datagram, as Python's address: `null` for nobody, and for an
   * unnamed Unix socket (Linux gives no address, CPython `None`).
   */
  #sender(from: RawAddr | null): Address | null {
    if (from === null) return null;
    if (this.#family === AF_UNIX && !(from as { path?: string | null }).path) {
      return null;
    }
    return fromRaw(this.#family, from);
  }

  /**
   * The next datagram. Shut for reading, a blocking call does not wait, as
   * Linux's: what arrives within one turn, else an empty one from nobody
   * (CPython's `(b'', None)`); one that waited already when the shutdown
   * came returns that (see `#wake`). A timed or non-blocking call polls
   * first, as CPython's does, and waits as usual.
   */
  #take(ms: WaitMs, peek: boolean): Promise<Received>;
  /**
   * The next datagram as `map` makes it: a blocking take settles with that
   * at once (one promise fewer than a `then()` of the caller's own).
   */
  #take<R>(ms: WaitMs, peek: boolean, map: (got: Received) => R): Promise<R>;
  #take(
    ms: WaitMs,
    peek: boolean,
    map?: (got: Received) => unknown,
  ): Promise<unknown> {
    this.#letErrorIn();
    if (this.#errorTurn !== null) {
      // Receives meanwhile follow, in order.
      return this.#errorTurn.then(() => this.#take(ms, peek, map ?? same));
    }
    if (!this.#shutRead && ms === null && this.#plainBlocking()) {
      return this.#takeBlocking(peek, map ?? same);
    }
    const got = this.#takeOther(ms, peek);
    return map === undefined ? got : got.then(map);
  }

  /**
   * No error, early datagram or orphan is ahead of a take (see `#take`),
   * which then waits in the inbox.
   */
  #plainBlocking(): boolean {
    // The pending error first, wherever it is kept: Linux's receive checks
    // `sk_err` before the queue (a datagram read ahead is still queued).
    this.#absorbError();
    return this.#earlyError === null && !this.#inbox.failed &&
      this.#early.length === 0 && this.#orphans === 0;
  }

  /** The rest of {@linkcode #take}. */
  #takeOther(ms: WaitMs, peek: boolean): Promise<Received> {
    this.#absorbError();
    const pending = this.#takePending();
    if (pending !== null) return Promise.reject(pending);
    if (this.#early.length > 0) {
      return Promise.resolve(peek ? this.#early[0] : shiftFirst(this.#early)!);
    }
    if (this.#orphans > 0) return this.#afterOrphan(ms, peek);
    if (ms !== null) return this.#inbox.take(ms, peek);
    if (!this.#shutRead) return this.#takeBlocking(peek, same);
    return this.#inbox.take(0, peek).catch(this.#nothing);
  }

  /** A non-blocking take's `EAGAIN` → none from nobody. */
  #nothing = (err: unknown): Received => {
    if (err instanceof BlockingIOError) return NOTHING;
    throw err;
  };

  /**
   * A blocking take, which `shutdown(SHUT_RD)` ends (`#wake`): what it then
   * brings is an orphan's.
   */
  #takeBlocking<R>(peek: boolean, map: (got: Received) => R): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const blocked: Blocked = {
        resolve: resolve as (value: unknown) => void,
        map,
      };
      this.#blocked.add(blocked);
      this.#inbox.takeThen(peek, (got) => {
        if (this.#blocked.delete(blocked)) resolve(map(got));
        else this.#orphaned(peek ? null : got, null);
      }, (err) => {
        if (this.#blocked.delete(blocked)) reject(err);
        else this.#orphaned(null, err);
      });
    });
  }

  /**
   * Shut for reading: the blocking receives waiting return none from
   * nobody, as Linux's do; their takes go on as orphans. Nobody waits on
   * the runtime's receive any more, so it does not keep the process alive.
   */
  #wake(): void {
    if (this.#blocked.size === 0) return;
    for (const blocked of this.#blocked) {
      blocked.resolve(blocked.map(NOTHING));
    }
    this.#orphans += this.#blocked.size;
    this.#blocked.clear();
    this.#sock?.waiting?.(false);
  }

  /**
   * An orphan's take has ended: the datagram it took is the next
   * receive's (a peeked one stays in the inbox), an error the next call's
   * (Linux's pending `sk_err`); the receives waiting for it look again.
   */
  #orphaned(got: Received | null, err: unknown): void {
    this.#orphans--;
    if (!this.#closed) {
      if (got !== null) this.#early.push(got as Datagram);
      else if (err !== null && !(err instanceof BlockingIOError)) {
        this.#earlyError ??= err as Error;
      }
      this.#watchers.notify();
    }
    const end = this.#orphanEnd;
    this.#orphanEnded = this.#orphanEnd = null;
    end?.();
  }

  /**
   * A receive while orphans are ahead in the inbox: it waits, as long as
   * its mode allows (shut for reading, a blocking one one turn, then none
   * from nobody), for the first to end, then takes as usual.
   */
  async #afterOrphan(ms: WaitMs, peek: boolean): Promise<Received> {
    this.#orphanEnded ??= new Promise((end) => this.#orphanEnd = end);
    const start = performance.now();
    try {
      await withWait(this.#orphanEnded, ms ?? (this.#shutRead ? 0 : null));
    } catch (err) {
      if (ms === null) return this.#nothing(err);
      throw err;
    }
    const left = ms === null || ms === 0
      ? ms
      : Math.max(1, ms - (performance.now() - start));
    return this.#take(left, peek);
  }

  /**
   * A datagram from the runtime, as the inbox keeps it (copied, unless the
   * runtime's bytes are the datagram's own); when connected, one from
   * anyone but the peer is dropped (`undefined`: the inbox receives again).
   * Where the OS filters too, this catches what arrives while a `sendto()`
   * elsewhere has the runtime disconnected. An unbound socket's callers
   * wait (for a timeout, a bind or close), as in Python: the inbox receives
   * only once the socket is bound.
   */
  #received = (
    [data, from]: RawDatagramMessage,
  ): Datagram | undefined => {
    const boundary = this.#boundary;
    if (boundary !== null) {
      // The mark of `#markQueued`: dropped, and the filter holds from now.
      if (endpointKey(from) === boundary.key) {
        this.#boundary = null;
        return undefined;
      }
      return boundary.keep ? this.#own(data, from) : undefined;
    }
    return this.#peer === null || endpointKey(from) === this.#peer.key
      ? this.#own(data, from)
      : undefined;
  };

  /**
   * A datagram from the runtime, its bytes our own: the runtime's, or a
   * copy in held memory (`#held`).
   */
  #own(data: Uint8Array, from: RawAddr): Datagram {
    return {
      data: this.#sock?.owned ? data : copyHeld(data, data.length),
      from,
    };
  }

  /**
   * The datagrams kept are copies in held memory, which no caller sees (a
   * caller may transfer a result's memory away): copied out when handed
   * over. (Else each is memory of its own, the runtime's.)
   */
  get #held(): boolean {
    return this.#sock?.owned !== true;
  }

  /**
   * SO_ERROR: the error a closed peer port left (connected UDP), taken, so
   * that the next call does not raise it; 0 if none.
   */
  takeError(): number {
    return errnoOf(this.#takePending() ?? this.#sock?.takeError?.() ?? null);
  }

  /**
   * The error the runtime socket holds, connected at the OS level (an ICMP
   * error for a datagram to the peer: `takeError()`), made the engine's
   * pending one: the next receive's before any datagram, and `poll()`'s
   * `POLLERR`. (Deno's socket never connects: its `takeError()` is a
   * membership call's, for the next send.)
   */
  #absorbError(): boolean {
    if (!this.#osConnected || this.#earlyError !== null) return false;
    const err = this.#sock?.takeError?.();
    if (err === null || err === undefined) return false;
    this.#earlyError = mapError(err);
    return true;
  }

  /**
   * A datagram is at hand, and an ICMP error for the last send may be on
   * its way (`#errorDue`: Linux's is pending when the send returns, the
   * runtime tells it a turn later): it is let in first, for a turn
   * (`#errorTurn`, which receives wait for), and readiness watchers are
   * told if it came.
   */
  #letErrorIn(): void {
    if (!this.#errorDue) return;
    if (this.#early.length === 0 && this.#inbox.size === 0) return;
    this.#errorDue = false;
    this.#errorTurn = new Promise<void>((turned) =>
      afterTurn(() => {
        this.#errorTurn = null;
        if (this.#absorbError()) this.#watchers.notify();
        turned();
      })
    );
  }

  /**
   * The socket's one pending error (Linux's `sk_err`) as the engine keeps
   * it, taken: the one that ended `connect()`'s taking of queued
   * datagrams, or the one a receive nobody waited for any more brought.
   * (One the runtime socket holds is its own `takeError()`'s, and its
   * `send()`'s.)
   */
  #takePending(): Error | null {
    const early = this.#earlyError;
    this.#earlyError = null;
    return early ?? this.#inbox.takeError();
  }

  shutdown(how: number): Promise<void> {
    // SHUT_RD does not stop a Linux UDP socket from receiving (poll()
    // reports it, as Linux's does); a Unix one's senders are refused. Not
    // connected, Linux answers ENOTCONN for UDP (not for a Unix socket) and
    // marks the socket shut all the same.
    if (how !== 1) {
      if (!this.#shutRead && this.#unixKey !== null) unix.shut++;
      this.#shutRead = true;
      this.#wake();
    }
    if (how !== 0) this.#shutWrite = true;
    this.#watchers.notify();
    if (this.#peer === null && this.#family !== AF_UNIX) {
      return Promise.reject(errnoError("ENOTCONN"));
    }
    return Promise.resolve();
  }

  /** A Unix socket that has a name goes in `unix.named`. */
  #listUnix(sock: RawDatagram): void {
    const path = (sock.addr as { path?: string | null }).path;
    if (this.#family !== AF_UNIX || !path) return;
    this.#unixKey = nameKey(sock, path);
    unix.named.set(this.#unixKey, this);
    if (this.#shutRead) unix.shut++;
  }

  poll(events: number): number {
    if (this.#closed) return events;
    // Linux reports POLLWRBAND with POLLOUT for a datagram socket.
    let ready = WRITABLE | WRITE_BAND;
    if (this.#shutRead) {
      ready |= READABLE | READ_HANGUP | (this.#shutWrite ? HANGUP : 0);
    }
    // An unbound socket has nothing to receive on: never readable.
    const inbox = this.#inbox;
    this.#absorbError();
    this.#letErrorIn();
    if (this.#early.length > 0) ready |= READABLE;
    else if (readsAhead(events) && this.#sock !== null && inbox.poll()) {
      // A datagram, or the socket closed; an error alone is not input.
      if (inbox.size > 0 || inbox.closed) ready |= READABLE;
    }
    // An error a peer's port reported (connected UDP), for the next call.
    if (inbox.failed || this.#earlyError !== null) ready |= ERROR;
    return ready;
  }

  watch(callback: () => void): () => void {
    return this.#watchers.add(callback);
  }

  localAddr(): RawAddr | null {
    const addr = this.#sock?.addr ?? null;
    return addr === null || this.#connectedFrom === null
      ? addr
      : { hostname: this.#connectedFrom, port: (addr as RawNetAddr).port };
  }

  remoteAddr(): RawAddr | null {
    return this.#peer?.addr ?? null;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#unixKey !== null) {
      if (unix.named.get(this.#unixKey) === this) {
        unix.named.delete(this.#unixKey);
      }
      if (this.#shutRead) unix.shut--;
    }
    try {
      // The receive the orphans wait on, released by `#wake`, is held
      // again: it settles (cancelled) for whoever awaits the close.
      if (this.#orphans > 0) this.#sock?.waiting?.(true);
      this.#sock?.close();
    } catch {
      // Already released by the runtime: nothing to do.
    }
    // Waiters fail at once; a receive in flight (cancelled by the close)
    // disposes of what it still brings.
    this.#early = [];
    this.#earlyError = null;
    this.#inbox.close();
    this.#watchers.notify();
  }

  drain(ms: WaitMs = null): Promise<void> {
    if (this.#inflight === 0) return Promise.resolve();
    this.#idlePromise ??= new Promise((resolve) => this.#idle = resolve);
    return ms === null ? this.#idlePromise : withWait(this.#idlePromise, ms)
      .catch(() => {});
  }

  async settled(): Promise<void> {
    await this.drain();
    await this.#inbox.settled();
  }
}

/**
 * A datagram transport for `family`.
 *
 * @throws {OSError} `[Errno 94] Socket type not supported` where the runtime
 * has no datagram sockets (of this family), with the reason.
 */
export function datagramTransport(family: number): Transport {
  const caps = backend().caps;
  if (caps.udp !== true) {
    throw errnoError("ESOCKTNOSUPPORT", { detail: caps.udp });
  }
  if (family === AF_UNIX && !caps.unixDatagram) {
    throw errnoError("ESOCKTNOSUPPORT", {
      detail: "AF_UNIX SOCK_DGRAM: the runtime has no Unix datagram sockets",
    });
  }
  return new DatagramTransport(family);
}
