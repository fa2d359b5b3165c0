// Copyright the pysocket authors. MIT license.
// The options of a UDP socket on Node and Bun. Both runtimes set them
// through calls of the same names (`node:dgram`'s, and `Bun.udpSocket`'s
// after them) and read back only the buffer sizes, so the rest read back
// what was set (Linux's defaults for the rest are the engine's:
// src/_io/options.ts, which also keeps the IPv4 options to AF_INET).

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

/** A buffer size as the runtime takes it (Linux clamps it anyway). */
function bufferSize(value: number): number {
  // Linux reads the int as unsigned and clamps it to [min, rmem_max]; the
  // runtimes take 0 as "tell me", so the smallest request is 1.
  const n = value >>> 0;
  return n === 0 ? 1 : Math.min(n, 0x7fffffff);
}

/** One UDP socket's options: set through its calls, read back as Linux. */
export class DatagramOptionTable {
  #calls: () => DatagramOptionCalls;
  #buffers: () => DatagramBufferCalls;
  /** Options set through this socket (the runtime cannot read them back). */
  #set = new Map<string, number>();

  /**
   * @param calls The socket's option calls.
   * @param buffers The socket's buffer-size calls (may throw where the
   * runtime cannot make them).
   */
  constructor(
    calls: () => DatagramOptionCalls,
    buffers: () => DatagramBufferCalls,
  ) {
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
      // On an AF_INET6 socket the same calls set the IPv6 options.
      case "IP_TTL":
      case "IPV6_UNICAST_HOPS":
        this.#calls().setTTL(value);
        break;
      case "IP_MULTICAST_TTL":
      case "IPV6_MULTICAST_HOPS":
        this.#calls().setMulticastTTL(value);
        break;
      case "IP_MULTICAST_LOOP":
      case "IPV6_MULTICAST_LOOP":
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

  /**
   * The value of `name`: the buffer sizes as the kernel reports them, the
   * rest as set through this socket; `undefined` where this runtime cannot
   * tell, or for an option not set.
   */
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
    }
    return this.#set.get(name);
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
