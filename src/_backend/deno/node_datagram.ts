// Copyright the pysocket authors. MIT license.
// Datagrams on Deno without `--unstable-net`: Deno's `node:dgram` (through
// the Node backend's datagram code), with Deno's permissions checked first.
// A `bind()` that `--allow-net` does not cover is an uncaught exception in
// Deno's `node:dgram` (no `try` or `'error'` handler sees it), and a denied
// send comes back as an `UNKNOWN` error: so both are asked of Deno's
// permission API before, and refused with the error Deno's own API raises.

import type {
  DatagramBackend,
  DatagramBindOptions,
  RawAddr,
  RawDatagram,
  RawDatagramMessage,
  RawNetAddr,
  Target,
} from "../types.ts";
import { nodeDatagram } from "../node/dgram.ts";
import { netHost, requireNet } from "./host.ts";
import { held } from "./io_turn.ts";

/** A `node:dgram` socket whose sends are checked against `--allow-net`. */
class CheckedDatagram implements RawDatagram {
  /** Deno's `node:dgram` hands each datagram as a view of 64 KiB. */
  readonly owned = false;
  #inner: RawDatagram;
  /** Destinations already found granted (a grant is never taken back). */
  #granted = new Set<string>();

  constructor(inner: RawDatagram) {
    this.#inner = inner;
  }

  get addr(): RawAddr {
    return this.#inner.addr;
  }

  get options(): RawDatagram["options"] {
    return this.#inner.options;
  }

  get fd(): number | undefined {
    return this.#inner.fd;
  }

  receive(): Promise<RawDatagramMessage> {
    return this.#inner.receive();
  }

  waiting(on: boolean): void {
    this.#inner.waiting?.(on);
  }

  /** Throws Deno's permission error unless sending to `to` is granted. */
  checkPeer(to: RawNetAddr): void {
    const host = netHost(to.hostname, to.port);
    if (this.#granted.has(host)) return;
    requireNet(to);
    this.#granted.add(host);
  }

  send(p: Uint8Array, to: RawAddr | null): Promise<number> {
    if (to !== null && "hostname" in to) {
      try {
        this.checkPeer(to);
      } catch (err) {
        return Promise.reject(err);
      }
    }
    return this.#inner.send(p, to);
  }

  close(): void {
    this.#inner.close();
  }
}

/** Datagram sockets on Deno's `node:dgram`, with Deno's permission checks. */
export const denoNodeDatagram: DatagramBackend = {
  bind(target: Target, options: DatagramBindOptions): RawDatagram {
    if ("hostname" in target) requireNet(target);
    return held(new CheckedDatagram(nodeDatagram.bind(target, options)));
  },
};
