// Copyright the pysocket authors. MIT license.
// Datagram sockets over `node:dgram` (Node, and Deno's `node:dgram`, which
// the Deno backend uses without `--unstable-net`).
//
// `bind()` is asynchronous in `node:dgram` only because it looks the address
// up: given a lookup that calls back at once (the address is an IP literal
// already), the socket binds inside `bind()`, a bind error is emitted
// there as an `'error'` event, and `address()` is known when it returns.
// Datagrams that arrive while nobody receives are queued, up to about the
// socket's receive buffer (as the kernel would hold them), then dropped.

import type {
  DatagramBackend,
  DatagramBindOptions,
  DatagramOptions,
  RawAddr,
  RawDatagram,
  RawDatagramMessage,
  RawNetAddr,
  Target,
} from "../types.ts";
import { builtin } from "./builtin.ts";
import { codeOf } from "./classify.ts";
import { DatagramOptionTable } from "./dgram_options.ts";
import { errnoError } from "./uv_error.ts";
import { SendOrder } from "../send_order.ts";

type Dgram = typeof import("node:dgram");
type Os = typeof import("node:os");
type Socket = import("node:dgram").Socket;
type RemoteInfo = import("node:dgram").RemoteInfo;
type SocketOptions = import("node:dgram").SocketOptions;

function dgram(): Dgram {
  return builtin<Dgram>("node:dgram");
}

/**
 * What Linux charges a queued datagram against the receive buffer: its
 * buffer's `truesize` (as /proc/net/udp's `rx_queue` shows for one
 * datagram on loopback). Its bytes and headers are one allocation (IPv4:
 * 20 + 8 bytes of headers, 16 reserved, 15 of alignment; IPv6: 40 + 8, 16,
 * 8 for a fragment header) and the 320 bytes of `skb_shared_info`, in
 * 576 bytes or a power of two, plus 256 for the `sk_buff`: 832 bytes up
 * to 197 bytes of payload (IPv6: 184), 1280 up to 645, 2304 up to 1669,
 * 4352 up to 3717, 8448 up to 7813, 16640 up to 16004 (IPv6: 15991);
 * larger payloads go into pages, charged as they are, beside a small head:
 * 832 more. (An IPv6 payload over 65488 bytes, fragmented on loopback, is
 * charged 67144.)
 *
 * @param length The payload's length.
 * @param from The sender (an IPv6 one's headers are larger; a mapped IPv4
 * address is an IPv4 datagram).
 */
export function truesize(length: number, from: RawAddr): number {
  const host = "hostname" in from ? from.hostname : "";
  const v6 = host.includes(":") && mappedV4(host) === null;
  const head = length + (v6 ? 72 : 59) + 320;
  if (head <= 576) return 832;
  if (head >= 16384) return length + 832;
  return 256 + 2 ** Math.ceil(Math.log2(head));
}

/**
 * A new socket's receive buffer on Linux (`net.core.rmem_default`, as
 * `getsockopt` reports it): the inbox's bound until `SO_RCVBUF` is set.
 */
export const DEFAULT_RCVBUF = 212992;

/** A lookup that answers at once: `node:dgram` is given IP literals only. */
function literalLookup(
  address: string,
  _family: unknown,
  callback: (err: Error | null, address: string, family: number) => void,
): void {
  callback(null, address, address.includes(":") ? 6 : 4);
}

/** The IPv4 address an IPv4-mapped IPv6 address holds, or `null`. */
function mappedV4(host: string): string | null {
  const m = /^::ffff:(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/i
    .exec(host);
  if (m === null) return null;
  if (m[1] !== undefined) return m[1];
  const hi = parseInt(m[2], 16), lo = parseInt(m[3], 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** An IPv4 address as a number. */
function v4Number(host: string): number {
  return host.split(".").reduce((n, part) => n * 256 + Number(part), 0);
}

/**
 * Whether Linux routes `v4` as a broadcast: the limited broadcast, or the
 * broadcast address of an interface's subnet (`127.255.255.255` on `lo`).
 */
export function isBroadcast(v4: string): boolean {
  if (v4 === "255.255.255.255") return true;
  let interfaces: ReturnType<Os["networkInterfaces"]>;
  try {
    // Deno asks for a permission to list them (a prompt at a terminal):
    // only where it is granted already.
    const deno = (globalThis as { Deno?: typeof Deno }).Deno;
    const query = { name: "sys", kind: "networkInterfaces" } as const;
    if (deno && deno.permissions.querySync(query).state !== "granted") {
      throw new Error("not granted");
    }
    interfaces = builtin<Os>("node:os").networkInterfaces();
  } catch {
    // Not allowed to list them: lo's only.
    return v4 === "127.255.255.255";
  }
  const n = v4Number(v4);
  return Object.values(interfaces).some((list) =>
    (list ?? []).some((i) =>
      // A /31 or /32 has no subnet broadcast (fib_add_ifaddr: prefix < 31).
      i.family === "IPv4" && v4Number(i.netmask) < 0xffff_fffe &&
      ((v4Number(i.address) | ~v4Number(i.netmask)) >>> 0) === n
    )
  );
}

/**
 * Linux's errno for a datagram socket bound to `local` that the runtime
 * could not connect or send to `to`, where the runtime does not say why
 * (Bun's connect throws a bare `Error`; Deno's `node:dgram` reports
 * `UNKNOWN` for every send error): an IPv4-mapped peer of a socket bound
 * to an IPv6 address, or with `IPV6_V6ONLY`, is unreachable (`ENETUNREACH`);
 * a plain IPv6 peer of a socket bound to a mapped address has no family
 * in common (`EAFNOSUPPORT`); a broadcast without `SO_BROADCAST` is
 * `EACCES`; anything else is a destination without a route.
 *
 * @param local The socket's bound address.
 * @param to The destination's address.
 * @param v6only `IPV6_V6ONLY` is set.
 * @returns The errno's name.
 */
export function refusedErrno(
  local: string,
  to: string,
  v6only = false,
): string {
  const toV4 = to.includes(":") ? mappedV4(to) : to;
  if (local.includes(":")) {
    const localV4 = mappedV4(local);
    if (localV4 === null && toV4 !== null && to !== toV4) {
      // Only the wildcard of a dual-stack socket reaches IPv4.
      if (v6only || !/^[0:]+$/.test(local)) {
        return "ENETUNREACH";
      }
    }
    if (localV4 !== null && toV4 === null) return "EAFNOSUPPORT";
  }
  if (toV4 !== null && isBroadcast(toV4)) return "EACCES";
  return "ENETUNREACH";
}

/**
 * A runtime error that says no more than that a call failed (no `code`,
 * or libuv's `UNKNOWN`) → Linux's, from the addresses (`refusedErrno`);
 * any other error as it is.
 */
function withErrno(
  err: unknown,
  syscall: string,
  local: string,
  to: string,
  v6only?: boolean,
): unknown {
  const code = codeOf(err);
  if (code !== undefined && code !== "UNKNOWN") return err;
  return errnoError(refusedErrno(local, to, v6only), syscall);
}

/**
 * The queue of datagrams received and not yet taken, and the one waiting
 * `receive()`; shared by the `node:dgram` and Bun datagram sockets. It
 * tells its socket when a `receive()` starts and stops waiting: only then
 * does the socket keep the process alive (as a socket nobody is blocked
 * on does not keep a Python program running).
 */
export class DatagramInbox {
  #queue: RawDatagramMessage[] = [];
  #head = 0;
  #bytes = 0;
  /** About the kernel's receive buffer: the queue's bound, in bytes. */
  limit: number;
  /** An error for the next `receive()` or `send()` (`ECONNREFUSED`). */
  error: unknown = null;
  #resolve: ((m: RawDatagramMessage) => void) | null = null;
  #reject: ((err: unknown) => void) | null = null;
  #closed = false;
  #hold: (on: boolean) => void;

  /**
   * @param limit The queue's bound, in bytes.
   * @param hold Makes the socket keep the process alive (`true`: a
   * `receive()` waits) or not.
   */
  constructor(limit: number, hold: (on: boolean) => void) {
    this.limit = limit;
    this.#hold = hold;
  }

  /** A datagram arrived. */
  push(data: Uint8Array, from: RawAddr): void {
    // The runtime socket may outlive ours a moment (its sends finishing).
    if (this.#closed) return;
    const resolve = this.#resolve;
    if (resolve !== null) {
      this.#resolve = this.#reject = null;
      this.#hold(false);
      resolve([data, from]);
      return;
    }
    // Dropped where it would overfill the buffer, unless nothing is queued,
    // as Linux drops it (`__udp_enqueue_schedule_skb`).
    const size = truesize(data.length, from);
    if (this.#bytes > 0 && this.#bytes + size > this.limit) return;
    this.#bytes += size;
    this.#queue.push([data, from]);
  }

  /** An error arrived (an ICMP error on a connected socket). */
  fail(err: unknown): void {
    const reject = this.#reject;
    if (reject !== null) {
      this.#resolve = this.#reject = null;
      this.#hold(false);
      reject(err);
    } else this.error = err;
  }

  /** The error for the next call, taken (reported once, as the kernel does). */
  takeError(): unknown {
    const err = this.error;
    this.error = null;
    return err;
  }

  /**
   * The next datagram; an error waiting comes first, as Linux's receive
   * checks the socket's error (`sk_err`) before its queue.
   */
  take(): Promise<RawDatagramMessage> {
    if (this.error !== null && !this.#closed) {
      return Promise.reject(this.takeError());
    }
    if (this.#head < this.#queue.length) {
      const message = this.#queue[this.#head];
      this.#queue[this.#head++] = undefined!;
      if (this.#head === this.#queue.length) {
        this.#queue = [];
        this.#head = 0;
      }
      this.#bytes -= truesize(message[0].length, message[1]);
      return Promise.resolve(message);
    }
    if (this.#closed) return Promise.reject(errnoError("EBADF", "recvmsg"));
    const { promise, resolve, reject } = Promise.withResolvers<
      RawDatagramMessage
    >();
    this.#resolve = resolve;
    this.#reject = reject;
    this.#hold(true);
    return promise;
  }

  /** The socket closed: the waiting receive fails with EBADF. */
  close(): void {
    this.#closed = true;
    this.#queue = [];
    this.#head = 0;
    this.#bytes = 0;
    const reject = this.#reject;
    this.#resolve = this.#reject = null;
    reject?.(errnoError("EBADF", "recvmsg"));
  }
}

/** Makes a `node:dgram` socket and binds it; throws the bind's error. */
function bindSocket(target: RawNetAddr, options: DatagramBindOptions): Socket {
  const sock = dgram().createSocket({
    type: options.family === 6 ? "udp6" : "udp4",
    reuseAddr: options.reuseAddress ?? false,
    ...(options.reusePort ? { reusePort: true } : {}),
    ipv6Only: options.ipv6Only ?? false,
    lookup: literalLookup,
  } as unknown as SocketOptions);
  // Kept alive only while a receive() waits (DatagramInbox); a send in
  // flight keeps the process alive by itself (the runtime counts it).
  // Released before it binds: Deno's node:dgram starts its first receive
  // there, and a receive keeps the release it started with (see
  // `refReachesReceive`).
  sock.unref();
  let failure: unknown = null;
  const onBindError = (err: unknown) => failure ??= err;
  sock.on("error", onBindError);
  try {
    sock.bind({ address: target.hostname, port: target.port, exclusive: true });
  } catch (err) {
    // Deno's node:dgram throws some bind errors instead of emitting them.
    failure ??= err;
  }
  sock.off("error", onBindError);
  if (failure !== null) {
    try {
      sock.close();
    } catch {
      // Not bound: nothing to release.
    }
    throw failure;
  }
  return sock;
}

/**
 * Whether ephemeral ports are bound again by number (see `lockPort`): on
 * Node, where connecting elsewhere disconnects first. Deno's node:dgram
 * connects in JavaScript only, and frees a closed port a turn later.
 */
function lockPorts(): boolean {
  return !("Deno" in globalThis);
}

/**
 * Whether sends are made one after another (see `NodeDatagram.send`): on
 * Deno, whose `node:dgram` sends each datagram by an asynchronous call of
 * its own (sends made together go out in the reverse order, and a close
 * fails the ones still in flight). Node and Bun send at once, in order.
 */
function serialSends(): boolean {
  return "Deno" in globalThis;
}

/**
 * Whether `ref()` and `unref()` reach the receive in flight: on Node. Deno's
 * `node:dgram` keeps the process alive or not by what they said when a
 * receive started (it starts the next as a datagram arrives): there a timer
 * keeps the process alive while a receive waits (`NodeDatagram.waiting`).
 */
function refReachesReceive(): boolean {
  return !("Deno" in globalThis);
}

/** The longest delay a timer takes (2^31 - 1 ms, about 24.8 days). */
const MAX_DELAY = 2 ** 31 - 1;

/**
 * `sock` (bound to port 0) closed and bound again to the port it got; if
 * another socket takes the port in between, again from the start.
 */
function lockPort(
  sock: Socket,
  target: RawNetAddr,
  options: DatagramBindOptions,
): Socket {
  for (let attempt = 0;; attempt++) {
    const { port } = sock.address();
    sock.close();
    try {
      return bindSocket({ hostname: target.hostname, port }, options);
    } catch (err) {
      if (attempt === 3 || (err as { code?: string }).code !== "EADDRINUSE") {
        throw err;
      }
      sock = bindSocket(target, options);
    }
  }
}

/** A UDP socket over `node:dgram`. */
class NodeDatagram implements RawDatagram, DatagramOptions {
  /**
   * Node's `node:dgram` makes a buffer of each datagram's size for it
   * (Deno's hands a view of 64 KiB: its wrapper, `CheckedDatagram`, says
   * so).
   */
  readonly owned = true;
  #sock: Socket;
  #family: 4 | 6;
  #addr: RawNetAddr;
  #inbox: DatagramInbox;
  /** The peer of an OS-level connect, while connected. */
  #peer: RawNetAddr | null = null;
  #closed = false;
  #options: DatagramOptionTable;
  /** `IPV6_V6ONLY` as bound (Linux refuses to change it afterwards). */
  #v6only: boolean;
  /** Sends are made one after another (`serialSends`). */
  #serial = serialSends();
  /** Sends made one after another, where `#serial`. */
  #order = new SendOrder();
  /** `ref()` keeps the process alive while a receive waits. */
  #refs = refReachesReceive();
  /** Else this timer does, while one waits. */
  #keepAlive: ReturnType<typeof setInterval> | undefined;

  constructor(target: Target, options: DatagramBindOptions) {
    if ("path" in target) {
      // node:dgram has no Unix datagram sockets (Capabilities.unixDatagram).
      throw errnoError("EAFNOSUPPORT", "bind");
    }
    this.#family = options.family;
    this.#v6only = options.ipv6Only ?? false;
    let sock = bindSocket(target, options);
    if (target.port === 0 && lockPorts()) {
      // Bound again to the port the kernel chose, by number: Linux keeps an
      // explicitly bound port when a connected socket disconnects, which
      // node:dgram must do before connecting elsewhere (an ephemeral one
      // would be given up, and the socket would change ports).
      sock = lockPort(sock, target, options);
    }
    this.#sock = sock;
    const { address, port } = sock.address();
    this.#addr = { hostname: address, port };
    this.#inbox = new DatagramInbox(DEFAULT_RCVBUF, (on) => this.waiting(on));
    this.#options = new DatagramOptionTable(
      () => this.#sock,
      () => this.#sock,
    );
    sock.on("message", this.#onMessage);
    sock.on("error", this.#onError);
  }

  #onMessage = (data: Uint8Array, info: RemoteInfo): void => {
    // A plain Uint8Array over the Buffer's bytes: a Buffer's slice() is a
    // view, where the engine's copy needs Uint8Array's.
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.length);
    this.#inbox.push(bytes, { hostname: info.address, port: info.port });
  };

  #onError = (err: unknown): void => {
    this.#inbox.fail(err);
  };

  get addr(): RawAddr {
    return this.#addr;
  }

  get fd(): number | undefined {
    const state = stateOf(this.#sock);
    const fd = (state?.handle as { fd?: unknown } | undefined)?.fd;
    return typeof fd === "number" && fd >= 0 ? fd : undefined;
  }

  get options(): DatagramOptions {
    return this;
  }

  receive(): Promise<RawDatagramMessage> {
    return this.#inbox.take();
  }

  takeError(): unknown {
    return this.#inbox.takeError();
  }

  waiting(on: boolean): void {
    if (this.#closed) return;
    if (this.#refs) {
      if (on) this.#sock.ref();
      else this.#sock.unref();
    } else if (on) {
      this.#keepAlive ??= setInterval(() => {}, MAX_DELAY);
    } else {
      clearInterval(this.#keepAlive);
      this.#keepAlive = undefined;
    }
  }

  send(p: Uint8Array, to: RawAddr | null): Promise<number> {
    if (this.#closed) return Promise.reject(errnoError("EBADF", "send"));
    const pending = this.#inbox.takeError();
    if (pending !== null) return Promise.reject(pending);
    if (to !== null) {
      if ("path" in to) {
        return Promise.reject(errnoError("EAFNOSUPPORT", "send"));
      }
      // Linux: a datagram to port 0 is EINVAL.
      if (to.port === 0) return Promise.reject(errnoError("EINVAL", "send"));
    }
    // Not connected after all (a failed connect that could not connect
    // to the old peer again): Linux's answer to a send without address.
    const dest = to ?? this.#peer;
    if (dest === null) {
      return Promise.reject(errnoError("EDESTADDRREQ", "send"));
    }
    if (!this.#serial) return this.#transmit(p, to === null, dest);
    // Each after the one before has gone out, so that they leave in the
    // order sent (a socket's sendto() calls do); one alone goes at once.
    return this.#order.run(() => this.#transmit(p, to === null, dest));
  }

  /** Sends `p` to `dest` (the peer, as connected, when `toPeer`). */
  #transmit(p: Uint8Array, toPeer: boolean, dest: RawNetAddr): Promise<number> {
    return new Promise((resolve, reject) => {
      const done = (err: Error | null, sent?: number) => {
        if (err) {
          reject(
            withErrno(
              err,
              "send",
              this.#addr.hostname,
              dest.hostname,
              this.#v6only,
            ),
          );
        } else resolve(sent ?? p.length);
      };
      const sock = this.#sock;
      const peer = this.#peer;
      if (toPeer && peer === dest) sock.send(p, done);
      else if (peer === null) sock.send(p, dest.port, dest.hostname, done);
      else {
        // Linux sends to the address given, connected or not; node:dgram
        // refuses while connected: disconnected for the send (libuv tries
        // it at once, and a send it queues keeps its address), then
        // connected again, in one turn.
        sock.disconnect();
        try {
          sock.send(p, dest.port, dest.hostname, done);
        } finally {
          sock.connect(peer.port, peer.hostname);
        }
      }
    });
  }

  connect(to: RawNetAddr): Promise<void> {
    if (this.#closed) return Promise.reject(errnoError("EBADF", "connect"));
    // Linux lets a connected datagram socket connect elsewhere; node:dgram
    // disconnects first (the port stays: it was bound by number).
    const previous = this.#peer;
    if (previous !== null) {
      this.#sock.disconnect();
      this.#peer = null;
    }
    return connectOrRestore(this.#sock, to, previous, (peer) => {
      this.#peer = peer;
      if (peer !== to) return;
      // The socket's local address is now the route's (was the wildcard).
      const { address, port } = this.#sock.address();
      this.#addr = { hostname: address, port };
    }, this.#v6only);
  }

  close(): void {
    if (this.#closed) return;
    this.waiting(false);
    this.#closed = true;
    this.#inbox.close();
    // libuv closes the descriptor at once (the port is free when this
    // returns) unless sends are in flight: they go out first, as the
    // kernel's have by then (Deno's node:dgram would fail them).
    const sock = this.#sock;
    this.#order.afterAll(() => sock.close());
  }

  set(name: string, value: number): boolean {
    if (!this.#options.set(name, value)) return false;
    if (name === "SO_RCVBUF") {
      this.#inbox.limit = this.#options.rcvbuf() ?? DEFAULT_RCVBUF;
    }
    return true;
  }

  get(name: string): number | undefined {
    return this.#options.get(name);
  }

  membership(add: boolean, group: string, iface?: string): void {
    if (add) this.#sock.addMembership(group, iface);
    else this.#sock.dropMembership(group, iface);
  }

  /** `IP_MULTICAST_IF`: the interface (by address) multicast goes out of. */
  multicastInterface(iface: string): void {
    this.#sock.setMulticastInterface(iface);
  }
}

/**
 * `sock.connect(to)` as Linux connects a datagram socket: the caller has
 * disconnected it from `previous` (the runtime must, to connect elsewhere),
 * and a connect that fails connects it to `previous` again, as Linux leaves
 * it. `connected` is told the peer the socket is connected to in the end
 * (`to`, or `previous` once connected again); the error is then raised,
 * Linux's errno where the runtime gives none (Bun: `refusedErrno`).
 * `v6only`: `IPV6_V6ONLY` is set, where known.
 */
export function connectOrRestore(
  sock: Socket,
  to: RawNetAddr,
  previous: RawNetAddr | null,
  connected: (peer: RawNetAddr) => void,
  v6only?: boolean,
): Promise<void> {
  const attempt = (peer: RawNetAddr) =>
    new Promise<void>((resolve, reject) => {
      try {
        sock.connect(peer.port, peer.hostname, (err?: Error) => {
          if (err) return reject(err);
          connected(peer);
          resolve();
        });
      } catch (err) {
        reject(err);
      }
    });
  return attempt(to).catch(async (err) => {
    const code = codeOf(err);
    if (code === undefined || code === "UNKNOWN") {
      let local = "";
      try {
        local = sock.address().address;
      } catch {
        // Not bound (it is, by the engine): no address to judge by.
      }
      err = withErrno(err, "connect", local, to.hostname, v6only);
    }
    if (previous !== null) await attempt(previous).catch(() => {});
    throw err;
  });
}

/** A `node:dgram` socket's internal state (its handle, for the fd). */
function stateOf(sock: Socket): Record<string, unknown> | undefined {
  const key = Object.getOwnPropertySymbols(sock).find((s) =>
    s.description === "state symbol"
  );
  return key === undefined
    ? undefined
    : (sock as unknown as Record<symbol, Record<string, unknown>>)[key];
}

/**
 * Datagram sockets over `node:dgram`: Node's, and Deno's when its own
 * `Deno.listenDatagram` is missing (no `--unstable-net`).
 */
export const nodeDatagram: DatagramBackend = {
  bind(target: Target, options: DatagramBindOptions): RawDatagram {
    return new NodeDatagram(target, options);
  },
};
