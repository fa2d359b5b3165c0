// Copyright the pysocket authors. MIT license.
// Datagram sockets over Deno's own `Deno.listenDatagram` (UDP, and Unix
// datagrams as its "unixpacket" transport). It exists only with
// `--unstable-net`; without it the Deno backend uses Deno's `node:dgram`.

import type {
  DatagramBindOptions,
  RawAddr,
  RawDatagram,
  RawDatagramMessage,
  Target,
} from "../types.ts";

/** `Deno.listenDatagram`, which only `--unstable-net` brings. */
type ListenDatagram = (
  options:
    | {
      transport: "udp";
      hostname: string;
      port: number;
      reuseAddress?: boolean;
    }
    | { transport: "unixpacket"; path: string },
) => {
  readonly addr: RawAddr;
  receive(p?: Uint8Array): Promise<[Uint8Array, RawAddr]>;
  send(p: Uint8Array, addr: RawAddr & { transport?: string }): Promise<number>;
  close(): void;
};

/** `Deno.listenDatagram`, or `undefined` without `--unstable-net`. */
export function denoListenDatagram(): ListenDatagram | undefined {
  return (Deno as unknown as { listenDatagram?: ListenDatagram })
    .listenDatagram;
}

/** Room for the largest UDP payload (65507 bytes over IPv4, 65527 over IPv6). */
const UDP_ROOM = 65536;
/** Room for a Unix datagram: Linux's default `wmem_max`. */
const UNIX_ROOM = 212992;

/** A bound `Deno.DatagramConn`. */
class DenoDatagram implements RawDatagram {
  #conn: ReturnType<ListenDatagram>;
  #scratch: Uint8Array;
  #unix: boolean;

  constructor(
    listen: ListenDatagram,
    target: Target,
    options: DatagramBindOptions,
  ) {
    this.#unix = "path" in target;
    this.#conn = "path" in target
      ? listen({ transport: "unixpacket", path: target.path })
      : listen({
        transport: "udp",
        hostname: target.hostname,
        port: target.port,
        ...(options.reuseAddress ? { reuseAddress: true } : {}),
      });
    this.#scratch = new Uint8Array(this.#unix ? UNIX_ROOM : UDP_ROOM);
  }

  get addr(): RawAddr {
    return this.#conn.addr;
  }

  receive(): Promise<RawDatagramMessage> {
    return this.#conn.receive(this.#scratch);
  }

  send(p: Uint8Array, to: RawAddr | null): Promise<number> {
    if (to === null) {
      throw new Error("a Deno datagram socket is never connected");
    }
    const addr = "path" in to
      ? { transport: "unixpacket", path: to.path }
      : { transport: "udp", hostname: to.hostname, port: to.port };
    return this.#conn.send(p, addr as RawAddr);
  }

  close(): void {
    this.#conn.close();
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
