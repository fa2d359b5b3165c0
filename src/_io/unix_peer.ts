/**
 * What a Unix socket's `connect()` meets at the path it names, as Linux
 * finds it, read from the host's facts (the path's kind, /proc/net/unix),
 * for streams and datagrams alike: the runtimes connect (stream) or send
 * (datagram) by path and would tell less, or later.
 *
 * @module
 */

import { backend } from "../_backend/mod.ts";
import type { ErrnoName } from "../_py/errno.ts";
import {
  entriesNaming,
  parseUnixTable,
  SO_ACCEPTCON,
  STREAM_TYPE,
} from "../_backend/unix_table.ts";

/**
 * What Linux's Unix `connect()` to `path` from a socket of `type` meets
 * first, before it looks at the socket's own state (connected, listening),
 * where it is certain (a datagram `sendto()` looks its receiver up the same
 * way): the path's lookup failing (`ENOENT`, `ENOTDIR`, `ELOOP`, `EACCES`);
 * no socket of `type` there, or none listening (`ECONNREFUSED`: a file that
 * is no socket, a stream socket bound and not listening, a stale socket
 * file, an abstract name no socket of `type` has); a socket of another type
 * (`EPROTOTYPE`: a datagram socket for a stream connect, a stream or
 * seqpacket one for a datagram connect). The sockets are read from
 * /proc/net/unix, which names each as it was bound (a relative name too:
 * matched made absolute as well).
 *
 * @param path The path, or an abstract name (`"\0name"`).
 * @param type The connecting socket's type (`SOCK_STREAM`, `SOCK_DGRAM`).
 * @returns The errno, or `null` where a socket of `type` is there (a stream
 * one listening), or where it cannot be told (the table unread, a name it
 * may hold by another spelling): the caller's own answer then.
 */
export function unixPeerError(
  path: string,
  type: number = STREAM_TYPE,
): ErrnoName | null {
  const { host } = backend();
  const abstract = path.startsWith("\0");
  if (!abstract) {
    const kind = host.unixPathKind(path);
    if (kind === undefined) return null;
    if (kind === "other") return "ECONNREFUSED";
    if (kind !== "socket") return kind as ErrnoName;
  }
  // (Deno reads /proc with --allow-all only.)
  const table = host.readTextFile("/proc/net/unix");
  if (table === undefined) return null;
  const entries = parseUnixTable(table);
  const cwd = host.cwd();
  // An abstract name is looked up among the sockets of `type` only.
  let found = entriesNaming(entries, path, cwd).filter((entry) =>
    !abstract || entry.type === type
  );
  if (found.length === 0 && !abstract) {
    // A socket file that no socket names: the file a symbolic link reaches
    // may be (`/dev/log`), by the name it was bound by; else stale, unless
    // a socket may hold it by a name the table spells otherwise (bound by a
    // relative name in another directory): one of the same last step.
    const real = host.realPath(path) ?? path;
    if (real !== path) found = entriesNaming(entries, real, cwd);
    const last = real.slice(real.lastIndexOf("/") + 1);
    if (
      found.length === 0 &&
      entries.some(({ path: name }) =>
        !name.startsWith("@") && name.slice(name.lastIndexOf("/") + 1) === last
      )
    ) return null;
  }
  if (found.length === 0) return "ECONNREFUSED";
  if (found.every((entry) => entry.type !== type)) return "EPROTOTYPE";
  if (
    type === STREAM_TYPE &&
    found.every((entry) =>
      entry.type === STREAM_TYPE && (entry.flags & SO_ACCEPTCON) === 0
    )
  ) return "ECONNREFUSED";
  return null;
}
