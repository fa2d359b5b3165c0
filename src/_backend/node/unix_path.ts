// Copyright the pysocket authors. MIT license.
// A Unix socket path's errno where the runtime leaves it out or changes
// it, found again by looking the path up as the kernel did.

import { builtin } from "./builtin.ts";
import {
  entriesNaming,
  parseUnixTable,
  SO_ACCEPTCON,
  STREAM_TYPE,
} from "../unix_table.ts";

type Fs = typeof import("node:fs");
type NodeProcess = typeof import("node:process");

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

/**
 * Who holds a Unix socket path, as `/proc/net/unix` lists it, for a stream
 * connect the runtime reports refused: `"listener"`, a listening stream
 * socket (its accept queue is full: Linux's `EAGAIN`); `"other type"`, a
 * socket of another type (datagram, seqpacket: Linux's `EPROTOTYPE`);
 * `null` when none, or where the table cannot be read.
 *
 * The table keeps the name each socket was bound with, as given (a
 * relative one too), also after its file was removed or replaced: so a
 * path counts only when a socket file is there now, and a name matches as
 * given or made absolute (against this process's directory: a socket bound
 * by a relative name in another directory is not found).
 *
 * @param path The socket's path, or an abstract name (`"\0name"`).
 */
export function holderAt(path: string): "listener" | "other type" | null {
  const fs = builtin<Fs>("node:fs");
  if (!path.startsWith("\0")) {
    try {
      if (!fs.statSync(path).isSocket()) return null;
    } catch {
      return null;
    }
  }
  let table: string;
  try {
    table = fs.readFileSync("/proc/net/unix", "utf8");
  } catch {
    return null;
  }
  let other = false;
  const cwd = builtin<NodeProcess>("node:process").cwd();
  const entries = parseUnixTable(table);
  let named = entriesNaming(entries, path, cwd);
  if (named.length === 0 && !path.startsWith("\0")) {
    // A symbolic link (`/dev/log`): the file it reaches, by its bound name.
    let real: string | undefined;
    try {
      real = fs.realpathSync(path);
    } catch {
      real = undefined;
    }
    if (real !== undefined && real !== path) {
      named = entriesNaming(entries, real, cwd);
    }
  }
  for (const { flags, type } of named) {
    // (An abstract name is looked up among the stream sockets only.)
    if (type !== STREAM_TYPE) other ||= !path.startsWith("\0");
    else if ((flags & SO_ACCEPTCON) !== 0) return "listener";
  }
  return other ? "other type" : null;
}
