// Copyright the pysocket authors. MIT license.
// A Unix socket path's errno where the runtime leaves it out or changes
// it, found again by looking the path up as the kernel did.

import { builtin } from "./builtin.ts";

type Fs = typeof import("node:fs");

/** The errnos a path's lookup gives, as the kernel's bind and connect do. */
const LOOKUP = ["ELOOP", "ENOTDIR", "ENOENT", "EACCES"];

/**
 * Why a Unix socket at `path` cannot be made (`bind`: its directory, to be
 * written) or reached (`connect`: the path itself), as the kernel would
 * say: `ENOENT`, `ENOTDIR`, `ELOOP` or `EACCES`; `undefined` when the
 * lookup finds nothing wrong (or the path is an abstract name).
 *
 * @param path The socket's path.
 * @param syscall `"bind"` or `"connect"`.
 */
export function pathFault(
  path: string,
  syscall: "bind" | "connect",
): string | undefined {
  if (path.startsWith("\0")) return undefined;
  const fs = builtin<Fs>("node:fs");
  try {
    if (syscall === "connect") fs.statSync(path);
    else fs.accessSync(dirOf(path), fs.constants.W_OK);
    return undefined;
  } catch (err) {
    const code = (err as { code?: unknown }).code as string;
    return LOOKUP.includes(code) ? code : undefined;
  }
}

/** The directory a Unix socket's path is made in. */
function dirOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash <= 0 ? (slash === 0 ? "/" : ".") : path.slice(0, slash);
}

/** `__SO_ACCEPTCON` in `/proc/net/unix`'s flags: the socket listens. */
const ACCEPTCON = 0x10000;

/**
 * Whether a listening Unix stream socket is bound to `path` (as
 * `/proc/net/unix` lists it, where it can be read): a connect to it that was
 * refused met a full accept queue (Linux's `EAGAIN`), not a path nobody
 * listens on. `false` where it cannot tell.
 *
 * The table keeps the name each socket was bound with, also after its file
 * was removed or replaced, and relative names as given: so a path counts
 * only when it is absolute and a socket file is there now.
 *
 * @param path The socket's path, or an abstract name (`"\0name"`).
 */
export function listensAt(path: string): boolean {
  const fs = builtin<Fs>("node:fs");
  if (!path.startsWith("\0")) {
    if (!path.startsWith("/")) return false;
    try {
      if (!fs.statSync(path).isSocket()) return false;
    } catch {
      return false;
    }
  }
  let table: string;
  try {
    table = fs.readFileSync("/proc/net/unix", "utf8");
  } catch {
    return false;
  }
  const name = path.startsWith("\0") ? "@" + path.slice(1) : path;
  for (const line of table.split("\n")) {
    // Num: RefCount Protocol Flags Type St Inode Path
    const m = /^\s*\S+\s+\S+\s+\S+\s+(\S+)\s+(\S+)\s+\S+\s+\S+ (.*)$/.exec(
      line,
    );
    if (m === null || m[3] !== name || m[2] !== "0001") continue;
    if ((parseInt(m[1], 16) & ACCEPTCON) !== 0) return true;
  }
  return false;
}
