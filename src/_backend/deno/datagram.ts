// Copyright the pysocket authors. MIT license.
// Datagram sockets over Deno's own `Deno.listenDatagram` (UDP, and Unix
// datagrams as its "unixpacket" transport). It exists only with
// `--unstable-net`; without it the Deno backend uses Deno's `node:dgram`.
//
// Multicast as far as Deno's API reaches: IPv4 group memberships
// (`joinMulticastV4`), and the loop flag, which `listenDatagram` sets at
// the bind (off unless asked: pysocket asks for Linux's default, on) and a
// membership can set again. The rest (the TTL, the interface) has no call.

import type {
  DatagramBindOptions,
  DatagramOptions,
  RawAddr,
  RawDatagram,
  RawDatagramMessage,
  RawNetAddr,
  Target,
} from "../types.ts";
import { errnoError } from "../node/uv_error.ts";
import { SendOrder } from "../send_order.ts";
import { unixBindPath } from "./net.ts";
import { readGranted, requireNet } from "./host.ts";
import { held } from "./io_turn.ts";

/** `Deno.listenDatagram`, which only `--unstable-net` brings. */
type ListenDatagram = (
  options:
    | {
      transport: "udp";
      hostname: string;
      port: number;
      reuseAddress?: boolean;
      loopback?: boolean;
    }
    | { transport: "unixpacket"; path: string },
) => {
  readonly addr: RawAddr;
  receive(p?: Uint8Array): Promise<[Uint8Array, RawAddr]>;
  send(p: Uint8Array, addr: RawAddr & { transport?: string }): Promise<number>;
  joinMulticastV4(address: string, iface: string): Promise<Membership>;
  close(): void;
  ref(): void;
  unref(): void;
};

/** A group membership (`Deno.MulticastV4Membership`). */
interface Membership {
  leave(): Promise<void>;
  setLoopback(loopback: boolean): Promise<void>;
}

/** `Deno.listenDatagram`, or `undefined` without `--unstable-net`. */
export function denoListenDatagram(): ListenDatagram | undefined {
  return (Deno as unknown as { listenDatagram?: ListenDatagram })
    .listenDatagram;
}

/** Room for the largest UDP payload (65507 bytes over IPv4, 65527 over IPv6). */
const UDP_ROOM = 65536;
/** Room for a Unix datagram: Linux's default `wmem_max`. */
const UNIX_ROOM = 212992;

/**
 * Deno's `Busy` (the socket held by another call) → `EBUSY`, "Device or
 * resource busy", in the form of Deno's OS errors (`(os error 16)`: the
 * errno tables have no name for it); any other error as it is.
 */
function busy(err: unknown): never {
  throw err instanceof Error && err.name === "Busy"
    ? new Error("Device or resource busy (os error 16)", { cause: err })
    : err;
}

/** A bound `Deno.DatagramConn`. */
class DenoDatagram implements RawDatagram, DatagramOptions {
  #conn: ReturnType<ListenDatagram>;
  #scratch: Uint8Array;
  #unix: boolean;
  #family: 4 | 6;
  /** The multicast loop flag as set (Linux's default: on). */
  #loop: boolean;
  /** Memberships by group and interface, joined or being joined. */
  #groups = new Map<string, Promise<Membership | null>>();
  /** Membership calls run in order, each after the one before. */
  #calls: Promise<unknown> = Promise.resolve();
  /** A membership call's failure, for the next `send()` or `SO_ERROR`. */
  #error: unknown = null;
  #closed = false;
  /** Sends go one after another: Deno runs those made together reversed. */
  #order = new SendOrder();

  constructor(
    listen: ListenDatagram,
    target: Target,
    options: DatagramBindOptions,
  ) {
    this.#unix = "path" in target;
    this.#family = options.family;
    this.#loop = options.multicastLoop ?? true;
    this.#conn = held(
      "path" in target
        ? listen({ transport: "unixpacket", path: unixBindPath(target.path) })
        : listen({
          transport: "udp",
          hostname: target.hostname,
          port: target.port,
          ...(options.reuseAddress ? { reuseAddress: true } : {}),
          loopback: this.#loop,
        }),
    );
    this.#scratch = new Uint8Array(this.#unix ? UNIX_ROOM : UDP_ROOM);
  }

  get options(): DatagramOptions | undefined {
    return this.#unix ? undefined : this;
  }

  /**
   * `IP_MULTICAST_LOOP` (`IPV6_MULTICAST_LOOP`): the value it has, or a
   * change through an IPv4 membership (Deno has no other call once bound).
   */
  set(name: string, value: number): boolean {
    if (name !== this.#loopName()) return false;
    const on = value !== 0;
    if (on === this.#loop) return true;
    if (this.#family !== 4 || this.#groups.size === 0) return false;
    this.#loop = on;
    const groups = [...this.#groups.values()];
    this.#call(async () => {
      for (const joined of groups) {
        const m = await joined;
        if (m !== null) return await m.setLoopback(on);
      }
      // Every join failed (each told already): the flag stays as it was,
      // and the next call says why.
      this.#loop = !on;
      throw errnoError("ENOPROTOOPT", "setsockopt");
    });
    return true;
  }

  get(name: string): number | undefined {
    return name === this.#loopName() ? Number(this.#loop) : undefined;
  }

  #loopName(): string {
    return this.#family === 4 ? "IP_MULTICAST_LOOP" : "IPV6_MULTICAST_LOOP";
  }

  /**
   * Joins or leaves an IPv4 group (the engine has checked it); Deno's call
   * answers a moment later, so a join that fails (an interface address of
   * no interface: `ENODEV`) fails the next `send()` or `SO_ERROR`.
   */
  membership(
    add: boolean,
    group: string,
    iface = "0.0.0.0",
  ): void | Promise<boolean> {
    const key = `${group} ${iface}`;
    if (!add) {
      const joined = this.#groups.get(key);
      this.#groups.delete(key);
      this.#call(async () => (await joined)?.leave());
      return;
    }
    const joining = this.#call(() => this.#conn.joinMulticastV4(group, iface))
      .then((m) => m ?? null);
    this.#groups.set(key, joining);
    return joining.then((m) => {
      if (m === null && this.#groups.get(key) === joining) {
        this.#groups.delete(key);
      }
      return m !== null;
    });
  }

  /**
   * Runs `op` after the membership calls before it; its failure is kept
   * for the next call (none once closed). Resolves to its result, or
   * `undefined` when it failed.
   */
  #call<T>(op: () => Promise<T>): Promise<T | undefined> {
    const done = this.#calls.then(op).catch((err) => {
      if (!this.#closed) this.#error ??= err;
      return undefined;
    });
    this.#calls = done;
    return done;
  }

  takeError(): unknown {
    const err = this.#error;
    this.#error = null;
    return err;
  }

  get addr(): RawAddr {
    return this.#conn.addr;
  }

  receive(): Promise<RawDatagramMessage> {
    // A new receive starts held: its caller waits on it.
    if (this.#released) this.waiting(true);
    return this.#receive();
  }

  /**
   * Deno's receive. One Deno fails because the sender's name is not UTF-8
   * (a Unix socket bound to such bytes: `InvalidData`) has taken that
   * datagram: lost, as one the network drops, and the next is received.
   */
  #receive(): Promise<RawDatagramMessage> {
    const go = () =>
      this.#conn.receive(this.#scratch).catch((err) => {
        if (!(err instanceof Deno.errors.InvalidData)) throw err;
        return this.#receive();
      });
    const last = this.#order.last;
    if (last === null || !this.#unix) return go();
    // Deno holds a Unix datagram socket for one call at a time (a second
    // one fails with `Busy`): the sends before this go out first.
    return last.then(go, go);
  }

  /** Deno's own send asks for `to`'s grant: asked at `connect()` too. */
  checkPeer(to: RawNetAddr): void {
    requireNet(to);
  }

  send(p: Uint8Array, to: RawAddr | null): Promise<number> {
    if (this.#error !== null) return Promise.reject(this.takeError());
    if (to === null) {
      throw new Error("a Deno datagram socket is never connected");
    }
    const addr = "path" in to
      ? { transport: "unixpacket", path: to.path }
      : { transport: "udp", hostname: to.hostname, port: to.port };
    // Each after the one before has gone out, so that they leave in the
    // order sent (a socket's sendto() calls do); one alone goes at once.
    const go = () => this.#conn.send(p, addr as RawAddr);
    // Deno holds a Unix datagram socket for one call at a time: a send
    // while a receive waits (one that timed out, or another caller's) is
    // refused with `Busy`, which has no errno of its own.
    return this.#order.run(this.#unix ? () => go().catch(busy) : go);
  }

  /**
   * What the Unix socket file at `path` is now, its device, inode and
   * birth time: a Linux datagram socket connected to a path is connected
   * to that socket, and Deno's socket sends by path, so the engine tells
   * by this that the socket it connected to has gone (another bound there
   * since).
   * `null` when nothing is there; `undefined` when it cannot be told
   * without asking for permission (or `path` is an abstract name, which
   * has no file).
   */
  unixIdentity(path: string): string | null | undefined {
    if (!this.#unix || path.startsWith("\0") || !readGranted(path)) {
      return undefined;
    }
    try {
      // An inode is soon used again (ext4 gives a file bound after another
      // was removed the same one): its birth time tells them apart, to the
      // millisecond.
      const { dev, ino, birthtime, mtime } = Deno.statSync(path);
      const born = (birthtime ?? mtime)?.getTime();
      return ino === null || born === undefined
        ? undefined
        : `${dev}:${ino}:${born}`;
    } catch (err) {
      return err instanceof Deno.errors.NotFound ? null : undefined;
    }
  }

  /** The receive in flight was told that nobody waits on it. */
  #released = false;

  waiting(on: boolean): void {
    // A receive nobody waits on does not keep the process alive.
    this.#released = !on;
    if (on) this.#conn.ref();
    else this.#conn.unref();
  }

  close(): void {
    this.#closed = true;
    // Sends made before close() go out, as the kernel's have by then: the
    // runtime socket is closed once the last has.
    const conn = this.#conn;
    this.#order.afterAll(() => conn.close());
  }
}

/**
 * Binds a datagram socket with `Deno.listenDatagram`.
 *
 * @param listen `Deno.listenDatagram`.
 * @param target Where to bind.
 * @param options Reuse options.
 * @returns The bound socket.
 */
export function denoDatagram(
  listen: ListenDatagram,
  target: Target,
  options: DatagramBindOptions,
): RawDatagram {
  return new DenoDatagram(listen, target, options);
}
