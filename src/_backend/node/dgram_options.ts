// Copyright the pysocket authors. MIT license.
// The options of a UDP socket on Node and Bun. Both runtimes set them
// through calls of the same names (`node:dgram`'s, and `Bun.udpSocket`'s
// after them) and read back only the buffer sizes, so the rest read back
// what was set, or Linux's default for a new socket.

import { builtin } from "./builtin.ts";

/** The option calls of a runtime's UDP socket. */
export interface DatagramOptionCalls {
  setBroadcast(on: boolean): unknown;
  setTTL(ttl: number): unknown;
  setMulticastTTL(ttl: number): unknown;
  setMulticastLoopback(on: boolean): unknown;
}

/** The buffer-size calls of a runtime's UDP socket. */
export interface DatagramBufferCalls {
  setRecvBufferSize(size: number): void;
  setSendBufferSize(size: number): void;
  getRecvBufferSize(): number;
  getSendBufferSize(): number;
}

/** Linux's default for an option that no runtime changes on a new socket. */
const LINUX_DEFAULTS: Record<string, number> = {
  SO_BROADCAST: 0,
  IP_MULTICAST_TTL: 1,
  IP_MULTICAST_LOOP: 1,
};

/** `/proc/sys/net/ipv4/ip_default_ttl`, the TTL of a new socket on Linux. */
function defaultTtl(): number | undefined {
  try {
    const fs = builtin<typeof import("node:fs")>("node:fs");
    const text = fs.readFileSync("/proc/sys/net/ipv4/ip_default_ttl", "utf8");
    const ttl = Number.parseInt(text, 10);
    return Number.isInteger(ttl) ? ttl : undefined;
  } catch {
    return undefined;
  }
}

/** A buffer size as the runtime takes it (Linux clamps it anyway). */
function bufferSize(value: number): number {
  // Linux reads the int as unsigned and clamps it to [min, rmem_max]; the
  // runtimes take 0 as "tell me", so the smallest request is 1.
  const n = value >>> 0;
  return n === 0 ? 1 : Math.min(n, 0x7fffffff);
}

/** One UDP socket's options: set through its calls, read back as Linux. */
export class DatagramOptionTable {
  #v4: boolean;
  #calls: () => DatagramOptionCalls;
  #buffers: () => DatagramBufferCalls;
  /** Options set through this socket (the runtime cannot read them back). */
  #set = new Map<string, number>();

  /**
   * @param family The socket's address family.
   * @param calls The socket's option calls.
   * @param buffers The socket's buffer-size calls (may throw where the
   * runtime cannot make them).
   */
  constructor(
    family: 4 | 6,
    calls: () => DatagramOptionCalls,
    buffers: () => DatagramBufferCalls,
  ) {
    this.#v4 = family === 4;
    this.#calls = calls;
    this.#buffers = buffers;
  }

  /** Sets `name`; `false` where this runtime has no such option. */
  set(name: string, value: number): boolean {
    const on = value !== 0;
    switch (name) {
      case "SO_BROADCAST":
        this.#calls().setBroadcast(on);
        value = on ? 1 : 0;
        break;
      case "IP_TTL":
        // On a udp6 socket the runtimes set IPV6_UNICAST_HOPS instead.
        if (!this.#v4) return false;
        this.#calls().setTTL(value);
        break;
      case "IP_MULTICAST_TTL":
        if (!this.#v4) return false;
        this.#calls().setMulticastTTL(value);
        break;
      case "IP_MULTICAST_LOOP":
        if (!this.#v4) return false;
        this.#calls().setMulticastLoopback(on);
        value = on ? 1 : 0;
        break;
      case "SO_RCVBUF":
        this.#buffers().setRecvBufferSize(bufferSize(value));
        return true;
      case "SO_SNDBUF":
        this.#buffers().setSendBufferSize(bufferSize(value));
        return true;
      default:
        return false;
    }
    this.#set.set(name, value);
    return true;
  }

  /** The value of `name`; `undefined` where this runtime cannot tell. */
  get(name: string): number | undefined {
    switch (name) {
      case "SO_RCVBUF":
        return this.rcvbuf();
      case "SO_SNDBUF":
        try {
          return this.#buffers().getSendBufferSize();
        } catch {
          return undefined;
        }
      case "IP_TTL":
        if (!this.#v4) return undefined;
        return this.#set.get(name) ?? defaultTtl();
      case "IP_MULTICAST_TTL":
      case "IP_MULTICAST_LOOP":
        if (!this.#v4) return undefined;
        return this.#set.get(name) ?? LINUX_DEFAULTS[name];
      case "SO_BROADCAST":
        return this.#set.get(name) ?? LINUX_DEFAULTS[name];
    }
    return undefined;
  }

  /** The kernel's receive buffer (doubled, as Linux reports it). */
  rcvbuf(): number | undefined {
    try {
      return this.#buffers().getRecvBufferSize();
    } catch {
      return undefined;
    }
  }
}
