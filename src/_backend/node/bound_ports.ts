// Copyright the pysocket authors. MIT license.
// Linux's rule for binding a TCP port that a socket which is bound but not
// listening holds, kept for the sockets of this process.
//
// libuv sets SO_REUSEADDR on every TCP socket it binds, and Linux lets two
// such sockets bind one port as long as neither listens. A Python socket
// has SO_REUSEADDR off until set, so its second bind() of a port is
// EADDRINUSE. The kernel cannot say so here (both sockets have it on), so
// the backend remembers what it bound, with the options Python's socket
// had, and refuses what Linux would. A listening socket is the kernel's to
// defend (libuv reports its EADDRINUSE), and is forgotten here.

/** A socket bound by this process and not listening. */
export interface BoundPort {
  readonly family: 4 | 6;
  /** As `getsockname()` gives it. */
  readonly address: string;
  readonly port: number;
  /** Python's SO_REUSEADDR before the bind. */
  readonly reuseAddr: boolean;
  readonly reusePort: boolean;
  readonly v6only: boolean;
}

const bound = new Set<BoundPort>();

function isWildcard(entry: BoundPort): boolean {
  return entry.address === "0.0.0.0" || entry.address === "::";
}

/** Do the two bindings claim a common address and port? */
function overlaps(a: BoundPort, b: BoundPort): boolean {
  if (a.port !== b.port) return false;
  if (a.family === b.family) {
    return a.address === b.address || isWildcard(a) || isWildcard(b);
  }
  const [v4, v6] = a.family === 4 ? [a, b] : [b, a];
  if (v6.v6only) return false;
  if (v6.address === "::") return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(v6.address);
  return mapped !== null &&
    (mapped[1] === v4.address || v4.address === "0.0.0.0");
}

/**
 * Registers a new binding, unless Linux would have refused it for one this
 * process holds: then `false`.
 *
 * @param entry The binding just made.
 * @returns Whether it may stand.
 */
export function claim(entry: BoundPort): boolean {
  for (const other of bound) {
    if (
      overlaps(entry, other) &&
      !(entry.reuseAddr && other.reuseAddr) &&
      !(entry.reusePort && other.reusePort)
    ) {
      return false;
    }
  }
  bound.add(entry);
  return true;
}

/**
 * Forgets a binding (closed, or listening).
 *
 * @param entry What {@linkcode claim} registered.
 */
export function release(entry: BoundPort | null): void {
  if (entry !== null) bound.delete(entry);
}
