// Copyright the pysocket authors. MIT license.
// Datagram sockets on Bun, over its own `Bun.udpSocket`.
//
// Bun's `node:dgram` binds in a microtask (its `address()` is not known when
// `bind()` returns). `Bun.udpSocket` binds at once: it throws the bind's
// errno synchronously, and the promise it returns is already fulfilled, so
// `Bun.peek` reads the socket out of it. Two things the native socket does
// not offer, Bun's `node:dgram` does over the same kind of socket: a
// `connect(2)` after binding, and `SO_RCVBUF`/`SO_SNDBUF`. For those, a
// `node:dgram` Socket is made unbound and given our native socket as its
// bound one (its internal state: `handle.socket`, `bindState`), so that its
// `connect()`, `disconnect()` and buffer-size calls act on our socket.

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
import { connectOrRestore, DatagramInbox, DEFAULT_RCVBUF } from "./dgram.ts";
import { DatagramOptionTable } from "./dgram_options.ts";
import { codeOf } from "./classify.ts";
import { errnoError } from "./uv_error.ts";

type Dgram = typeof import("node:dgram");
type DgramSocket = import("node:dgram").Socket;
type SocketOptions = import("node:dgram").SocketOptions;

/** `Bun.udpSocket`'s socket, as far as it is used here. */
interface BunUdpSocket {
  readonly address: { address: string; port: number };
  readonly fd: number;
  send(p: Uint8Array, port?: number, address?: string): boolean;
  setBroadcast(on: boolean): boolean;
  setTTL(ttl: number): number;
  setMulticastTTL(ttl: number): number;
  setMulticastLoopback(on: boolean): boolean;
  setMulticastInterface(iface: string): boolean;
  addMembership(group: string, iface?: string): boolean;
  dropMembership(group: string, iface?: string): boolean;
  ref(): void;
  unref(): void;
  close(): void;
}

/** Bun's flags for `Bun.udpSocket` (those its `node:dgram` passes). */
const SOCKET_IPV6_ONLY = 8;
const LISTEN_REUSE_ADDR = 16;
const LISTEN_REUSE_PORT = 4;
/** With `LISTEN_REUSE_PORT`: fail rather than bind without it. */
const LISTEN_DISALLOW_REUSE_PORT_FAILURE = 32;

/** Errors an ICMP message leaves on a socket (see `#sendNow`). */
const ICMP_ERRORS = new Set([
  "ECONNREFUSED",
  "EHOSTUNREACH",
  "EHOSTDOWN",
  "ENETUNREACH",
]);

interface BunApi {
  udpSocket(options: Record<string, unknown>): Promise<BunUdpSocket>;
  peek: ((p: Promise<unknown>) => unknown) & {
    status(p: Promise<unknown>): "pending" | "fulfilled" | "rejected";
  };
}

function bun(): BunApi {
  // deno-lint-ignore no-explicit-any
  return (globalThis as any).Bun;
}

/** A send waiting for Bun's `drain` (the kernel had no room). */
interface QueuedSend {
  p: Uint8Array;
  to: RawNetAddr | null;
  resolve(n: number): void;
  reject(err: unknown): void;
}

/** A lookup that answers at once: only IP literals are given. */
function literalLookup(
  address: string,
  _family: unknown,
  callback: (err: Error | null, address: string, family: number) => void,
): void {
  callback(null, address, address.includes(":") ? 6 : 4);
}

/** A UDP socket over `Bun.udpSocket`. */
class BunDatagram implements RawDatagram, DatagramOptions {
  /**
   * Bun's `udpSocket` makes a new array of each datagram's size, but JSC
   * makes an array's `ArrayBuffer` only when first asked for it (`.buffer`,
   * or a view: an allocation and a copy). A copy into the pool has its
   * `ArrayBuffer` already, and costs less than that: Bun's UDP client as the
   * benchmark writes it (a `DataView` of each result) counted 50,400
   * instructions per round trip with the copy, 51,494 without.
   */
  readonly owned = false;
  #sock: BunUdpSocket;
  #family: 4 | 6;
  /** Bun's bind flags (reuse, v6only). */
  #flags = 0;
  #addr: RawNetAddr;
  /** A receive() waits (DatagramInbox) or a send waits for room. */
  #receiving = false;
  #inbox = new DatagramInbox(DEFAULT_RCVBUF, (on) => this.waiting(on));
  #sends: QueuedSend[] = [];
  /** The peer of an OS-level connect, while connected. */
  #peer: RawNetAddr | null = null;
  /**
   * The last datagram went out unconnected (or none has gone out since the
   * socket connected): an ICMP error now is one Linux would not report
   * (see `#sendNow`).
   */
  #stale = true;
  /**
   * Error-queue entries still to come whose ICMP error a send has taken
   * already (reported, or made again while `#stale`).
   */
  #owed = 0;
  #closed = false;
  /** The `node:dgram` Socket that acts on ours (made on first need). */
  #shim: DgramSocket | null = null;
  #options: DatagramOptionTable;

  constructor(target: Target, options: DatagramBindOptions) {
    if ("path" in target) throw errnoError("EAFNOSUPPORT", "bind");
    this.#family = options.family;
    let flags = 0;
    if (options.reuseAddress) flags |= LISTEN_REUSE_ADDR;
    if (options.reusePort) {
      flags |= LISTEN_REUSE_PORT | LISTEN_DISALLOW_REUSE_PORT_FAILURE;
    }
    if (options.ipv6Only) flags |= SOCKET_IPV6_ONLY;
    this.#flags = flags;
    let sock = this.#bind(target.hostname, target.port);
    if (target.port === 0) {
      // Bound again to the port the kernel chose, by number: Linux keeps an
      // explicitly bound port when a connected socket disconnects, which
      // Bun must do before connecting elsewhere (an ephemeral one would be
      // given up, and the socket would change ports).
      for (let attempt = 0;; attempt++) {
        const port = sock.address.port;
        sock.close();
        try {
          sock = this.#bind(target.hostname, port);
          break;
        } catch (err) {
          if (attempt === 3 || codeOf(err) !== "EADDRINUSE") throw err;
          sock = this.#bind(target.hostname, 0);
        }
      }
    }
    this.#sock = sock;
    // Kept alive only while someone waits on it (#holdIf).
    sock.unref();
    this.#addr = this.#readAddr();
    this.#options = new DatagramOptionTable(
      () => this.#sock,
      () => this.#shimmed(),
    );
  }

  /** A native socket bound to `hostname`:`port` (errors thrown at once). */
  #bind(hostname: string, port: number): BunUdpSocket {
    const made = bun().udpSocket({
      hostname,
      port,
      flags: this.#flags,
      binaryType: "uint8array",
      socket: {
        data: this.#onData,
        drain: this.#onDrain,
        error: this.#onError,
      },
    });
    if (bun().peek.status(made) !== "fulfilled") {
      made.then((s) => s.close(), () => {});
      throw new Error(
        "pysocket: Bun.udpSocket did not bind synchronously (this Bun is not supported)",
      );
    }
    return bun().peek(made) as BunUdpSocket;
  }

  #readAddr(): RawNetAddr {
    const { address, port } = this.#sock.address;
    return { hostname: address, port };
  }

  #onData = (
    _s: unknown,
    data: Uint8Array,
    port: number,
    address: string,
  ): void => {
    this.#inbox.push(data, { hostname: address, port });
  };

  #onError = (err: unknown): void => {
    // Bun turns IP_RECVERR on: an ICMP error reaches the socket from the
    // error queue (and from a plain receive too) for a datagram sent while
    // unconnected, where Linux reports none; and one a send has taken
    // already comes again from the error queue (see `#sendNow`).
    if (
      (err as { errqueue?: boolean }).errqueue ||
      ICMP_ERRORS.has(codeOf(err)!)
    ) {
      if (this.#owed > 0) {
        this.#owed--;
        return;
      }
      if (this.#stale) return;
    }
    this.#inbox.fail(err);
  };

  #onDrain = (): void => {
    while (this.#sends.length > 0) {
      const head = this.#sends[0];
      let sent: boolean;
      try {
        sent = this.#sendNow(head.p, head.to);
      } catch (err) {
        this.#sends.shift();
        head.reject(err);
        continue;
      }
      if (!sent) return;
      this.#sends.shift();
      head.resolve(head.p.length);
    }
    this.#holdIf();
  };

  /**
   * The socket keeps the process alive while a receive() waits or a send
   * waits for room, and only then.
   */
  #holdIf(): void {
    if (this.#closed) return;
    if (this.#receiving || this.#sends.length > 0) this.#sock.ref();
    else this.#sock.unref();
  }

  get addr(): RawAddr {
    return this.#addr;
  }

  get fd(): number | undefined {
    const fd = this.#closed ? -1 : this.#sock.fd;
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
    this.#receiving = on;
    this.#holdIf();
  }

  /**
   * Sends now: `true` when sent, `false` when the kernel has no room.
   *
   * Linux reports an ICMP error to a UDP socket only when it arrives while
   * the socket is connected (to the address the datagram went to), and
   * then to the next send or receive. Bun turns IP_RECVERR on, so an ICMP
   * error for a datagram sent unconnected is left on the socket too: it
   * would fail the next send, even one made after a connect() (the
   * datagram lost), and come again from the error queue. Until a datagram
   * goes out connected, such an error is `#stale`: a send it fails is made
   * again (the failure cleared the error), and `#onError` drops it. An
   * error a send takes (reported, or stale) comes again from the error
   * queue: `#owed` counts those entries, which `#onError` drops. Over
   * loopback the ICMP message arrives before the send returns.
   */
  #sendNow(p: Uint8Array, to: RawNetAddr | null): boolean {
    let sent: boolean;
    try {
      sent = this.#sendOnce(p, to);
    } catch (err) {
      if (!ICMP_ERRORS.has(codeOf(err)!)) throw err;
      this.#owed++;
      if (!this.#stale) throw err;
      sent = this.#sendOnce(p, to);
    }
    // A datagram to another address goes out disconnected (#sendOnce).
    if (sent) this.#stale = this.#peer === null || to !== null;
    return sent;
  }

  #sendOnce(p: Uint8Array, to: RawNetAddr | null): boolean {
    const sock = this.#sock;
    const peer = this.#peer;
    // Not connected after all (a failed connect that could not connect to
    // the old peer again): Linux's answer to a send without address.
    if (to === null && peer === null) {
      throw errnoError("EDESTADDRREQ", "send");
    }
    if (to === null) return sock.send(p);
    if (peer === null) return sock.send(p, to.port, to.hostname);
    // Linux sends to the address given, connected or not; Bun refuses
    // while connected: disconnected for the send, then connected again.
    const shim = this.#shimmed();
    shim.disconnect();
    try {
      return sock.send(p, to.port, to.hostname);
    } finally {
      shim.connect(peer.port, peer.hostname);
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
    if (this.#sends.length === 0) {
      try {
        if (this.#sendNow(p, to)) return Promise.resolve(p.length);
      } catch (err) {
        return Promise.reject(err);
      }
    }
    // The kernel's send buffer is full: sent on Bun's drain, in order.
    const { promise, resolve, reject } = Promise.withResolvers<number>();
    this.#sends.push({ p, to, resolve, reject });
    this.#holdIf();
    return promise;
  }

  /** The `node:dgram` Socket acting on our native socket. */
  #shimmed(): DgramSocket {
    if (this.#shim !== null) return this.#shim;
    const dgram = builtin<Dgram>("node:dgram");
    const shim = dgram.createSocket({
      type: this.#family === 6 ? "udp6" : "udp4",
      lookup: literalLookup,
    } as unknown as SocketOptions);
    const key = Object.getOwnPropertySymbols(shim).find((s) =>
      s.description === "state symbol"
    );
    const state = key === undefined ? undefined : (shim as unknown as Record<
      symbol,
      { handle?: { socket?: unknown }; bindState?: number; receiving?: boolean }
    >)[key];
    if (state?.handle === undefined || state.bindState !== 0) {
      throw new Error(
        "pysocket: this Bun's node:dgram cannot act on a Bun.udpSocket (connect and buffer sizes need it)",
      );
    }
    // Bound (BIND_STATE_BOUND), on our socket.
    state.handle.socket = this.#sock;
    state.bindState = 2;
    state.receiving = true;
    // Errors of its own calls reach their callbacks; nothing else is its.
    shim.on("error", () => {});
    return this.#shim = shim;
  }

  connect(to: RawNetAddr): Promise<void> {
    if (this.#closed) return Promise.reject(errnoError("EBADF", "connect"));
    let shim: DgramSocket;
    const previous = this.#peer;
    try {
      shim = this.#shimmed();
      // Linux lets a connected datagram socket connect elsewhere; Bun
      // disconnects first (the port stays: it was bound by number).
      if (previous !== null) {
        shim.disconnect();
        this.#peer = null;
      }
    } catch (err) {
      return Promise.reject(err);
    }
    return connectOrRestore(shim, to, previous, (peer) => {
      this.#peer = peer;
      // The local address is now the route's (it was the wildcard).
      if (peer === to) this.#addr = this.#readAddr();
    });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#inbox.close();
    for (const send of this.#sends.splice(0)) {
      send.reject(errnoError("EBADF", "send"));
    }
    this.#sock.close();
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
    if (!this.#sock.setMulticastInterface(iface)) {
      throw errnoError("EINVAL", "setsockopt");
    }
  }
}

/** Datagram sockets over Bun's own API. */
export const bunDatagram: DatagramBackend = {
  bind(target: Target, options: DatagramBindOptions): RawDatagram {
    return new BunDatagram(target, options);
  },
};
