// Copyright the pysocket authors. MIT license.
// Linux's rule for binding a TCP port that a socket which is bound but not
// listening holds, kept for the sockets of this process (of every copy of
// the library in it: the claims are the process's state, fd_table.ts).
//
// libuv sets SO_REUSEADDR on every TCP socket it binds, and Linux lets two
// such sockets bind one port as long as neither listens. A Python socket
// has SO_REUSEADDR off until set, so its second bind() of a port is
// EADDRINUSE. The kernel cannot say so here (both sockets have it on), so
// the backend remembers what it bound, with the options Python's socket
// had, and refuses what Linux would. A listening socket is the kernel's to
// defend (libuv reports its EADDRINUSE), and is forgotten here.
//
// A connection made from a bound address holds its port the same way:
// every runtime binds it with SO_REUSEADDR on (libuv, Deno's node:net,
// Bun), so a bind of that port, which every runtime makes with it on too
// (a listener's, on Deno and Bun), would stand. The stream engine claims
// the port for it from its connect() to its close(), and every backend's
// bind() asks here first. After close() the kernel's socket may linger
// (FIN_WAIT, TIME_WAIT: up to a minute), with the runtime's SO_REUSEADDR:
// while it does, it holds the port with Python's.
//
// So does a connection a listener accepted: Linux's accepted socket holds
// the listener's port (at its own local address), with the listener's
// SO_REUSEADDR, until it closes, then while it lingers (TIME_WAIT, where
// it closed first), even once the listener is closed. The runtimes'
// listeners have SO_REUSEADDR on, so the kernel lets a new bind() of the
// port stand where Python's, off by default, is refused: the stream
// engine claims the port for it from its accept() to its close().

import { errnoError } from "./node/uv_error.ts";
import { processState } from "../_io/fd_table.ts";
import type { BindOptions } from "./types.ts";

/** A socket bound by this process and not listening. */
export interface BoundPort {
  readonly family: 4 | 6;
  /** As `getsockname()` gives it. */
  readonly address: string;
  readonly port: number;
  /**
   * Python's SO_REUSEADDR before the bind (a connection's: as it is now,
   * since Linux looks at it at each bind).
   */
  readonly reuseAddr: boolean;
  readonly reusePort: boolean;
  readonly v6only: boolean;
  /**
   * A connection's: whether the kernel has let its port go already (reset
   * or failed, its socket in CLOSE, where the port was not one `bind()`
   * fixed), before `close()` releases it here.
   */
  readonly gone?: () => boolean;
  /**
   * A connection's peer port and a way to read /proc: where the kernel no
   * longer lists the connection (reset, its socket in CLOSE), its port is
   * free, as far as /proc tells.
   */
  readonly peer?: {
    readonly port: number;
    readonly read: (path: string) => string | undefined;
  };
  /**
   * An IPv6 socket of one address that Linux still lets take IPv4 (its
   * `ipv6only` off, which a bind() to one address turns on): a connection
   * accepted by a listener bound to `::` that is not IPv6 only. An IPv4
   * wildcard bind() conflicts with it.
   */
  readonly dualStack?: boolean;
}

/** The ports held, the process's (fd_table.ts's `ProcessState`). */
export interface PortClaims {
  /**
   * The bindings held, by port (only those of one port can conflict: a
   * bind looks at its port's alone, however many connections this process
   * has).
   */
  readonly bound: Map<number, Set<BoundPort>>;
  /**
   * Closed connections whose kernel socket may still hold their port, in
   * the order they closed (so the oldest expire first).
   */
  readonly closing: Map<BoundPort, Closing>;
  /** The same, by port. */
  readonly closingOn: Map<number, Set<BoundPort>>;
}

const { bound, closing, closingOn } = processState.ports;

function add(entry: BoundPort): void {
  let held = bound.get(entry.port);
  if (held === undefined) bound.set(entry.port, held = new Set());
  held.add(entry);
}

function remove(entry: BoundPort): void {
  const held = bound.get(entry.port);
  if (held?.delete(entry) && held.size === 0) bound.delete(entry.port);
}

/** A closed connection's port: its peer, and when it is free at the latest. */
export interface Closing {
  readonly peerPort: number;
  readonly until: number;
  /** Reads a file of /proc, or `undefined` where it may not (the host's). */
  readonly read: (path: string) => string | undefined;
}

/** Linux's TCP_TIMEWAIT_LEN (and the FIN_WAIT2 timeout, tcp_fin_timeout). */
const TIME_WAIT_MS = 60_000;

/**
 * The most closed connections kept on one port (its oldest give way): a
 * server closing thousands of connections a second would otherwise hold a
 * minute's worth. Per port, so that one busy port never lets another's go.
 */
const MAX_CLOSING = 4096;

/** The states of a closed socket that still holds its port, in /proc. */
const CLOSING_STATES = new Set([
  "04", // FIN_WAIT1
  "05", // FIN_WAIT2
  "06", // TIME_WAIT
  "09", // LAST_ACK
  "0B", // CLOSING
]);

function isWildcard(entry: BoundPort): boolean {
  return entry.address === "0.0.0.0" || entry.address === "::";
}

/**
 * A binding as Linux compares it: an IPv4-mapped IPv6 address
 * (`::ffff:127.0.0.1`) is the IPv4 address it maps.
 */
function compared(entry: BoundPort): BoundPort {
  if (entry.family !== 6) return entry;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(entry.address);
  return mapped === null ? entry : { ...entry, family: 4, address: mapped[1] };
}

/** Do the two bindings claim a common address and port? */
function overlaps(a: BoundPort, b: BoundPort): boolean {
  if (a.port !== b.port) return false;
  const x = compared(a);
  const y = compared(b);
  if (x.family === y.family) {
    return x.address === y.address || isWildcard(x) || isWildcard(y);
  }
  // An IPv6 wildcard takes IPv4's too, unless it is IPv6 only; an IPv4
  // wildcard takes a socket of one IPv6 address that still takes IPv4.
  const [v4, v6] = x.family === 6 ? [y, x] : [x, y];
  return (!v6.v6only && v6.address === "::") ||
    (v6.dualStack === true && isWildcard(v4));
}

/**
 * Registers a new binding, unless Linux would have refused it for one this
 * process holds: then `false`.
 *
 * @param entry The binding just made.
 * @returns Whether it may stand.
 */
export function claim(entry: BoundPort): boolean {
  if (!admits(entry)) return false;
  add(entry);
  return true;
}

/**
 * Whether Linux would let a socket bind as `entry` says beside those this
 * process holds here (where the kernel binds it, and defends it, as a
 * listener: Deno, Bun).
 *
 * @param entry The binding to make (or just made).
 * @returns Whether it may stand.
 */
export function admits(entry: BoundPort): boolean {
  // The kernel's tables, read once for the call (a busy port may have many
  // closed connections), by the file read.
  const tables: Tables = new Map();
  for (const other of bound.get(entry.port) ?? []) {
    if (other === entry || !conflicts(entry, other) || other.gone?.()) {
      continue;
    }
    // (A connection the kernel no longer lists, reset: its port is free.)
    const peer = other.peer;
    if (
      peer !== undefined &&
      stateOf(other, peer.port, peer.read, tables) === null
    ) continue;
    return false;
  }
  const now = performance.now();
  for (const other of closingOn.get(entry.port) ?? []) {
    const { peerPort, until, read } = closing.get(other)!;
    if (now >= until) forget(other);
    else if (conflicts(entry, other)) {
      // (Where /proc cannot be read, Deno's `--allow-all` not granted:
      // it closed first, so it lingers.)
      if (lingers(other, peerPort, read, tables) ?? true) return false;
      forget(other);
    }
  }
  return true;
}

/**
 * {@linkcode admits} for a listener the runtime bound at `addr` (Deno's and
 * Bun's bind, which listens), with Python's options for it.
 *
 * @param addr Where it is bound.
 * @param options The bind's options.
 * @returns Whether Linux would have let it bind there.
 */
export function admitsListener(
  addr: { readonly hostname: string; readonly port: number },
  options: BindOptions,
): boolean {
  const family = addr.hostname.includes(":") ? 6 : 4;
  return admits({
    family,
    address: addr.hostname,
    port: addr.port,
    reuseAddr: options.reuseAddress ?? false,
    reusePort: options.reusePort ?? false,
    v6only: family === 6 && (options.ipv6Only ?? false),
  });
}

/** Linux's rule: a port two sockets bind, neither listening. */
function conflicts(a: BoundPort, b: BoundPort): boolean {
  return overlaps(a, b) && !(a.reuseAddr && b.reuseAddr) &&
    !(a.reusePort && b.reusePort);
}

/**
 * The kernel's TCP sockets as /proc lists them, by path: each one's state
 * by its local and peer ports (`"1F90:A2B4"`), read once per call;
 * `undefined` where the file cannot be read.
 */
type Tables = Map<string, Map<string, string> | undefined>;

/**
 * The state /proc gives the connection of `entry`'s port to `peerPort`:
 * `null` where it is not listed, `undefined` where /proc cannot be read.
 */
function stateOf(
  entry: BoundPort,
  peerPort: number,
  read: (path: string) => string | undefined,
  tables: Tables,
): string | null | undefined {
  const path = entry.family === 6 ? "/proc/net/tcp6" : "/proc/net/tcp";
  if (!tables.has(path)) tables.set(path, portStates(read(path)));
  const states = tables.get(path);
  if (states === undefined) return undefined;
  return states.get(`${hex(entry.port)}:${hex(peerPort)}`) ?? null;
}

/**
 * Does the kernel still hold the closed connection's socket (in a closing
 * state)? `undefined` where /proc cannot be read.
 */
function lingers(
  entry: BoundPort,
  peerPort: number,
  read: (path: string) => string | undefined,
  tables: Tables,
): boolean | undefined {
  const state = stateOf(entry, peerPort, read, tables);
  return state === undefined ? undefined : state !== null &&
    CLOSING_STATES.has(state);
}

/** A port as /proc writes it. */
function hex(port: number): string {
  return port.toString(16).toUpperCase().padStart(4, "0");
}

/**
 * The state of each socket in a table of /proc, by its local and remote
 * ports (`"1F90:A2B4"`); `undefined` when it could not be read.
 */
function portStates(
  table: string | undefined,
): Map<string, string> | undefined {
  if (table === undefined) return undefined;
  const states = new Map<string, string>();
  for (const line of table.split("\n").slice(1)) {
    const [, at, to, state] = line.trim().split(/\s+/);
    if (at === undefined || to === undefined || state === undefined) continue;
    const key = `${at.slice(at.lastIndexOf(":") + 1)}:${
      to.slice(to.lastIndexOf(":") + 1)
    }`;
    // (The same ports at two addresses: a closing one counts.)
    if (!CLOSING_STATES.has(states.get(key) ?? "")) states.set(key, state);
  }
  return states;
}

/**
 * Registers a binding that Linux already let stand (a bound socket's port,
 * handed on to the connection made from it).
 *
 * @param entry The binding.
 */
export function hold(entry: BoundPort): void {
  add(entry);
}

/**
 * Forgets a binding (closed, or listening).
 *
 * @param entry What {@linkcode claim} registered.
 */
export function release(entry: BoundPort | null): void {
  if (entry !== null) remove(entry);
}

/** A closed connection's binding is no longer held. */
function forget(entry: BoundPort): void {
  closing.delete(entry);
  const held = closingOn.get(entry.port);
  if (held?.delete(entry) && held.size === 0) closingOn.delete(entry.port);
}

/**
 * Forgets a connection's binding as its socket closes, but while the
 * kernel's socket lingers (an active close: FIN_WAIT, then TIME_WAIT), at
 * most a minute.
 *
 * @param entry What {@linkcode hold} registered.
 * @param peerPort The connection's peer port.
 * @param activeClose The socket closed (or shut down for writing) before
 * the peer's end of stream came, as far as it read. Where it did not, the
 * kernel's socket holds nothing once the peer acknowledges its FIN
 * (LAST_ACK, then CLOSED): nothing is kept.
 * @param read Reads the kernel's table (the host backend's reader: on
 * Deno, only where reading is granted already, never a prompt).
 */
export function linger(
  entry: BoundPort,
  peerPort: number,
  activeClose: boolean,
  read: (path: string) => string | undefined,
): void {
  remove(entry);
  if (!activeClose) return;
  const now = performance.now();
  // The oldest first (in the order they closed): those past are dropped.
  for (const [other, { until }] of closing) {
    if (now < until) break;
    forget(other);
  }
  // Its options as they were at the close, which no longer change (and
  // not the socket's own, which can then be collected).
  const kept: BoundPort = {
    family: entry.family,
    address: entry.address,
    port: entry.port,
    reuseAddr: entry.reuseAddr,
    reusePort: entry.reusePort,
    v6only: entry.v6only,
    dualStack: entry.dualStack,
  };
  let held = closingOn.get(kept.port);
  if (held === undefined) closingOn.set(kept.port, held = new Set());
  else if (held.size >= MAX_CLOSING) forget(held.values().next().value!);
  held.add(kept);
  closing.set(kept, { peerPort, until: now + TIME_WAIT_MS, read });
}

/**
 * How many ports a bind to port 0 takes before it gives up, where the
 * runtime's choice is a port this process holds under Python's rule (the
 * runtime binds with SO_REUSEADDR on, so the kernel may hand out a port a
 * closed connection of ours lingers on, which Linux, asked without it,
 * would not): each refused one stays bound meanwhile, so that the next
 * choice is another.
 */
const EPHEMERAL_TRIES = 32;

/**
 * Binds with `make` until the port it gives is free under Python's rule
 * (`free`), for a bind to port 0 (`port`); a port it was given explicitly
 * is refused at once (`[Errno 98]`). Each refused binding stays made until
 * one is free (so the runtime chooses another), then is dropped.
 *
 * @param port The port asked (0: any).
 * @param make Binds once.
 * @param free Whether what it made is free (it claims it then).
 * @param drop Undoes a binding.
 * @returns The binding that is free.
 */
export function bindFree<T>(
  port: number,
  make: () => T,
  free: (made: T) => boolean,
  drop: (made: T) => void,
): T {
  const refused: T[] = [];
  try {
    for (let tries = 1;; tries++) {
      const made = make();
      if (free(made)) return made;
      if (port !== 0 || tries >= EPHEMERAL_TRIES) {
        drop(made);
        throw errnoError("EADDRINUSE", "bind");
      }
      refused.push(made);
    }
  } finally {
    for (const made of refused) drop(made);
  }
}
