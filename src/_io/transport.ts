// Copyright the pysocket authors. MIT license.
// What a socket type does with the runtime. `Socket` checks arguments,
// keeps Python's state (timeout, fd, closed) and maps errors; a transport
// (SOCK_STREAM in stream.ts, SOCK_DGRAM in datagram.ts) does the I/O.

import type { Address, Endpoint } from "../socket/address.ts";
import type { WaitMs } from "./pending.ts";
import type { RawAddr } from "../_backend/mod.ts";
import type { OptionSide } from "./options.ts";

/**
 * A received datagram or stream read with its sender, if any, as Python's
 * address for the socket's family (the transport knows it: the caller's
 * result needs no step of its own).
 */
export type From<T> = [T, Address | null];

/** The I/O half of a socket, one per socket type. */
export interface Transport {
  /** The socket's options and what they act on (see options.ts). */
  readonly side: OptionSide;
  /** Binds to a validated endpoint; errors are thrown here, synchronously. */
  bind(ep: Endpoint): void;
  /** Starts accepting (binding to an ephemeral port first if needed). */
  listen(backlog: number): void;
  /** The next connection, as a transport of its own, and its peer. */
  accept(ms: WaitMs): Promise<[Transport, RawAddr]>;
  /** Connects to `ep` (for datagrams: sets the default peer). */
  connect(ep: Endpoint, ms: WaitMs): Promise<void>;
  /** One write; resolves to the count written. */
  send(data: Uint8Array, ms: WaitMs): Promise<number>;
  /** Writes everything or rejects. */
  sendall(data: Uint8Array, ms: WaitMs): Promise<void>;
  /** A datagram to `ep`. */
  sendto(data: Uint8Array, ep: Endpoint, ms: WaitMs): Promise<number>;
  /**
   * Up to `n` bytes (`trunc`, `MSG_TRUNC`, a datagram transport's only:
   * as long as the datagram).
   */
  recv(
    n: number,
    ms: WaitMs,
    peek: boolean,
    trunc?: boolean,
  ): Promise<Uint8Array>;
  /**
   * Up to `into.length` bytes into `into` (`trunc`: the count is the
   * datagram's whole length).
   */
  recvInto(
    into: Uint8Array,
    ms: WaitMs,
    peek: boolean,
    trunc?: boolean,
  ): Promise<number>;
  /**
   * Does a `recvInto` of a large buffer cost fewer copies than a `recv`
   * and a join (the connection places a read's bytes in the waiting
   * caller's buffer: `RawConn.readPlaced`)? Absent: no.
   */
  placesReads?(): boolean;
  /** Up to `n` bytes and who sent them (`trunc`: as `recv`'s). */
  recvfrom(
    n: number,
    ms: WaitMs,
    peek: boolean,
    trunc?: boolean,
  ): Promise<From<Uint8Array>>;
  /** Up to `into.length` bytes into `into`, and who sent them. */
  recvfromInto(
    into: Uint8Array,
    ms: WaitMs,
    peek: boolean,
    trunc?: boolean,
  ): Promise<From<number>>;
  /** `shutdown(how)`, `how` already checked. */
  shutdown(how: number): Promise<void>;
  /** The local endpoint, or `null` when not bound. */
  localAddr(): RawAddr | null;
  /** The peer, or `null` when not connected. */
  remoteAddr(): RawAddr | null;
  /** Is it listening? */
  readonly listening: boolean;
  /**
   * Readiness now (readiness.ts): what Linux's poll() would report, of
   * `READABLE`, `WRITABLE`, `HANGUP`, `ERROR` and `READ_HANGUP` (those of
   * `events` at least; others as known). Consumes nothing; for `events`, it
   * starts what it takes for the answer to change (`watch`).
   */
  poll(events: number): number;
  /** Calls `callback` whenever readiness may have changed; returns stop. */
  watch(callback: () => void): () => void;
  /** Releases everything; pending calls fail with `EBADF`. */
  close(): void;
  /**
   * Settles once the writes queued so far are done (or failed), or after
   * `ms` (`null`: as long as that takes).
   */
  drain(ms?: WaitMs): Promise<void>;
  /** Settles once no runtime operation is in flight and writes are done. */
  settled(): Promise<void>;
}
