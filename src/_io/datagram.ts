// Copyright the pysocket authors. MIT license.
// SOCK_DGRAM over the runtime's datagram sockets.
//
// The runtime's socket is never connected at the OS level: `connect()` is
// emulated by keeping the peer, sending to it and dropping datagrams from
// anyone else. One runtime receive is in flight at a time, only while a
// caller waits; a datagram that arrives after its caller gave up stays here
// for the next call, so a timed-out `recvfrom` loses nothing.

import { AF_INET6 } from "../socket/constants.ts";
import { errnoError, gaiError } from "../socket/errors.ts";
import {
  type Endpoint,
  inFamily,
  isIPLiteral,
  type NetEndpoint,
} from "../socket/address.ts";
import { mapError } from "./boundary.ts";
import { noOption } from "./options.ts";
import { Inbox, type WaitMs, withWait } from "./pending.ts";
import { copyOut } from "./pool.ts";
import { parseAton, parsePton6 } from "../socket/convert.ts";
import { resolveHost } from "../socket/_resolver.ts";
import {
  backend,
  type RawAddr,
  type RawDatagram,
  type RawNetAddr,
} from "../_backend/mod.ts";
import type { From, Transport } from "./transport.ts";

const EMPTY = new Uint8Array(0);

/** The largest payload the kernel takes in one datagram, by family. */
const MAX_PAYLOAD_V4 = 65507;
const MAX_PAYLOAD_V6 = 65527;

/** A received datagram: our own copy of its bytes, and its sender. */
interface Datagram {
  data: Uint8Array;
  from: RawNetAddr;
}

/** The endpoint as an IP one (a datagram socket is never AF_UNIX). */
function netEndpoint(ep: Endpoint): NetEndpoint {
  if ("path" in ep) throw errnoError("EAFNOSUPPORT");
  return ep;
}

/**
 * A key that is equal for equal IP endpoints however they are spelled
 * (`::1` and `0:0:0:0:0:0:0:1`; `127.0.0.1` and `::ffff:127.0.0.1`).
 */
function endpointKey(addr: RawNetAddr): string {
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

/** A literal IP endpoint as is; `null` when its host needs the resolver. */
function literal(ep: NetEndpoint): RawNetAddr | null {
  return isIPLiteral(ep.hostname) ? ep : null;
}

/**
 * SOCK_DGRAM over the runtime's UDP sockets.
 *
 * The runtime socket is made by `bind()`, or by the first `sendto()` or
 * `connect()` on an ephemeral port of every interface, as the OS does.
 */
export class DatagramTransport implements Transport {
  #family: number;
  #sock: RawDatagram | null = null;
  #peer: { addr: RawNetAddr; key: string } | null = null;
  #shutWrite = false;
  #closed = false;
  #reuseaddr = false;
  /** Datagrams received and not yet taken, and who waits for them. */
  #inbox = new Inbox<Datagram>(
    () => this.#receive(),
    undefined,
    () => this.#sock !== null,
  );
  /** Sends and name resolutions in flight, and who waits for none to be. */
  #inflight = 0;
  #idle: (() => void) | null = null;
  #idlePromise: Promise<void> | null = null;

  /** @param family AF_INET or AF_INET6. */
  constructor(family: number) {
    this.#family = family;
  }

  get listening(): boolean {
    return false;
  }

  bind(ep: Endpoint): void {
    if (this.#sock !== null) throw errnoError("EINVAL");
    const { hostname, port } = netEndpoint(ep);
    let sock: RawDatagram;
    try {
      sock = backend().datagram.bind({ hostname, port }, {
        family: this.#family === AF_INET6 ? 6 : 4,
        reuseAddress: this.#reuseaddr,
      });
    } catch (err) {
      throw mapError(err);
    }
    if (!inFamily(this.#family, sock.addr)) {
      sock.close();
      throw gaiError("EAI_ADDRFAMILY");
    }
    this.#sock = sock;
    this.#inbox.kick();
  }

  /** Binds an ephemeral port on every interface, as the OS does implicitly. */
  #autobind(): RawDatagram {
    if (this.#closed) throw errnoError("EBADF");
    if (this.#sock === null) {
      this.bind({
        hostname: this.#family === AF_INET6 ? "::" : "0.0.0.0",
        port: 0,
      });
    }
    return this.#sock!;
  }

  listen(_backlog: number): void {
    throw errnoError("EOPNOTSUPP");
  }

  async accept(ms: WaitMs): Promise<never> {
    // CPython waits for the socket to be readable when it has a timeout,
    // then accept() fails; without one it fails at once.
    if (ms !== null && ms > 0) await this.#take(true, ms);
    throw errnoError("EOPNOTSUPP");
  }

  /** Counts `op` as in flight until it settles, for `drain()`. */
  #track<T>(op: Promise<T>): Promise<T> {
    this.#inflight++;
    const done = () => {
      if (--this.#inflight === 0 && this.#idle !== null) {
        this.#idle();
        this.#idle = this.#idlePromise = null;
      }
    };
    op.then(done, done);
    return op;
  }

  /** `ep` with its host resolved to an IP literal by the system resolver. */
  async #resolve(ep: NetEndpoint): Promise<RawNetAddr> {
    const [ip] = await this.#track(resolveHost(ep.hostname, this.#family));
    if (this.#closed) throw errnoError("EBADF");
    return { hostname: ip, port: ep.port };
  }

  async connect(ep: Endpoint, _ms: WaitMs): Promise<void> {
    const net = netEndpoint(ep);
    const addr = literal(net) ?? await this.#resolve(net);
    this.#autobind();
    const peer = { hostname: addr.hostname, port: addr.port };
    this.#peer = { addr: peer, key: endpointKey(peer) };
  }

  send(data: Uint8Array, ms: WaitMs): Promise<number> {
    if (this.#peer === null) {
      return Promise.reject(errnoError("EDESTADDRREQ"));
    }
    return this.#sendTo(data, this.#peer.addr, ms);
  }

  async sendall(data: Uint8Array, ms: WaitMs): Promise<void> {
    await this.send(data, ms);
  }

  sendto(data: Uint8Array, ep: Endpoint, ms: WaitMs): Promise<number> {
    try {
      const net = netEndpoint(ep);
      const addr = literal(net);
      if (addr !== null) return this.#sendTo(data, addr, ms);
      return this.#resolve(net).then((a) => this.#sendTo(data, a, ms));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** A runtime send error → Python's (EBADF once we closed). */
  #fail = (err: unknown): never => {
    throw mapError(err, this.#closed);
  };

  #sendTo(data: Uint8Array, addr: RawNetAddr, ms: WaitMs): Promise<number> {
    let op: Promise<number>;
    try {
      if (this.#shutWrite) throw errnoError("EPIPE");
      // The kernel refuses an oversized datagram before binding the socket.
      const max = this.#family === AF_INET6 ? MAX_PAYLOAD_V6 : MAX_PAYLOAD_V4;
      if (data.length > max) throw errnoError("EMSGSIZE");
      const sock = this.#autobind();
      op = sock.send(data, addr).then(undefined, this.#fail);
    } catch (err) {
      return Promise.reject(mapError(err, this.#closed));
    }
    this.#track(op);
    // A datagram goes out at once or not at all: in non-blocking mode there
    // is nothing to give up on (giving up would report EAGAIN for a datagram
    // that is sent). A timeout still bounds a send the kernel holds.
    return ms === null || ms === 0 ? op : withWait(op, ms);
  }

  async recv(n: number, ms: WaitMs, peek: boolean): Promise<Uint8Array> {
    // CPython returns b'' for recv(0) at once, leaving the datagram.
    if (n === 0) return EMPTY;
    return (await this.recvfrom(n, ms, peek))[0];
  }

  async recvInto(into: Uint8Array, ms: WaitMs, peek: boolean): Promise<number> {
    if (into.length === 0) return 0;
    return (await this.recvfromInto(into, ms, peek))[0];
  }

  recvfrom(
    n: number,
    ms: WaitMs,
    peek: boolean,
  ): Promise<From<Uint8Array>> {
    return this.#take(peek, ms).then(({ data, from }) =>
      // A datagram longer than `n` is cut to `n`; the rest is dropped.
      !peek && data.length <= n ? [data, from] : [data.slice(0, n), from]
    );
  }

  async recvfromInto(
    into: Uint8Array,
    ms: WaitMs,
    peek: boolean,
  ): Promise<From<number>> {
    const { data, from } = await this.#take(peek, ms);
    const k = Math.min(data.length, into.length);
    into.set(data.subarray(0, k));
    return [k, from];
  }

  /** The next datagram (left in place when peeking), waiting at most `ms`. */
  #take(peek: boolean, ms: WaitMs): Promise<Datagram> {
    return this.#inbox.take(ms, peek);
  }

  /**
   * One datagram from the runtime; when connected, datagrams from anyone
   * but the peer are dropped. An unbound socket's callers wait (for a
   * timeout, a bind or close), as in Python: the inbox starts this only
   * once the socket is bound.
   */
  #receive(): Promise<Datagram> {
    return this.#sock!.receive().then(this.#received);
  }

  #received = (
    [data, from]: [Uint8Array, RawAddr],
  ): Promise<Datagram> | Datagram =>
    this.#peer === null || endpointKey(from as RawNetAddr) === this.#peer.key
      ? { data: copyOut(data, data.length), from: from as RawNetAddr }
      : this.#receive();

  setOption(name: string, value: number): void {
    switch (name) {
      case "SO_BROADCAST":
        // The runtime turns SO_BROADCAST on for every UDP socket and offers
        // no way to turn it off: on is honoured, off cannot be.
        if (value !== 0) return;
        break;
      case "SO_REUSEADDR":
        // Only bind() can pass it to the runtime.
        if (this.#sock === null) {
          this.#reuseaddr = value !== 0;
          return;
        }
        if ((value !== 0) === this.#reuseaddr) return;
        break;
      case "SO_REUSEPORT":
        // The runtime never sets it on a UDP socket: off is in force.
        if (value === 0) return;
        break;
      case "IPV6_V6ONLY":
        // The runtime never sets it: off is what is in force.
        if (this.#family === AF_INET6 && value === 0) return;
        break;
    }
    throw noOption(name);
  }

  getOption(name: string): number {
    switch (name) {
      case "SO_BROADCAST":
        return 1;
      case "SO_REUSEADDR":
        return Number(this.#reuseaddr);
      case "SO_REUSEPORT":
      case "SO_ACCEPTCONN":
      case "SO_ERROR":
        // Errors reach the caller of the call that met them: none is pending.
        return 0;
      case "IPV6_V6ONLY":
        if (this.#family === AF_INET6) return 0;
    }
    throw noOption(name);
  }

  shutdown(how: number): Promise<void> {
    if (this.#peer === null) return Promise.reject(errnoError("ENOTCONN"));
    // SHUT_RD does not stop a Linux UDP socket from receiving.
    if (how !== 0) this.#shutWrite = true;
    return Promise.resolve();
  }

  localAddr(): RawAddr | null {
    return this.#sock?.addr ?? null;
  }

  remoteAddr(): RawNetAddr | null {
    return this.#peer?.addr ?? null;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#sock?.close();
    } catch {
      // Already released by the runtime: nothing to do.
    }
    // A receive in flight is cancelled by the close; the inbox fails the
    // waiters once it has settled, so that nothing is left running.
    this.#inbox.close();
  }

  drain(): Promise<void> {
    if (this.#inflight === 0) return Promise.resolve();
    this.#idlePromise ??= new Promise((resolve) => this.#idle = resolve);
    return this.#idlePromise;
  }

  async settled(): Promise<void> {
    await this.drain();
    await this.#inbox.settled();
  }
}

/**
 * A datagram transport for `family`.
 *
 * @throws {OSError} `[Errno 94] Socket type not supported: SOCK_DGRAM needs
 * Deno's datagram sockets: run with --unstable-net, …` when Deno runs
 * without its unstable datagram API.
 */
export function datagramTransport(family: number): Transport {
  const support = backend().caps.udp;
  if (support !== true) {
    throw errnoError("ESOCKTNOSUPPORT", { detail: support });
  }
  return new DatagramTransport(family);
}
