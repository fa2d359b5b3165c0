// Copyright the pysocket authors. MIT license.
// Linux's table of Unix sockets, /proc/net/unix, read as text by its caller
// (the stream engine through the host, the Node backend through node:fs):
// every bound socket with its flags, type and name.

/** Linux's `__SO_ACCEPTCON`: the flag of a listening socket in the table. */
export const SO_ACCEPTCON = 0x10000;

/** A socket that /proc/net/unix lists with a name. */
export interface UnixTableEntry {
  /** The Flags column (`__SO_ACCEPTCON` when it listens). */
  readonly flags: number;
  /** The Type column: `SOCK_STREAM` (1), `SOCK_DGRAM` (2), … */
  readonly type: number;
  /**
   * The name, as it was bound (a relative one too); an abstract name with
   * `@` for its NUL.
   */
  readonly path: string;
}

/**
 * The named sockets of a /proc/net/unix table (its header and the unnamed
 * sockets left out).
 *
 * @param table The file's text.
 * @returns Its entries, in the table's order.
 */
export function parseUnixTable(table: string): UnixTableEntry[] {
  const entries: UnixTableEntry[] = [];
  for (const line of table.split("\n").slice(1)) {
    // Num: RefCount Protocol Flags Type St Inode Path
    const m = /^\s*\S+\s+\S+\s+\S+\s+(\S+)\s+(\S+)\s+\S+\s+\S+ (.*)$/.exec(
      line,
    );
    if (m === null) continue;
    entries.push({
      flags: parseInt(m[1], 16),
      type: parseInt(m[2], 16),
      path: m[3],
    });
  }
  return entries;
}

/** `SOCK_STREAM` in the table's Type column. */
export const STREAM_TYPE = 1;

/**
 * `path` made absolute against `cwd` and with its `.` and `..` steps and
 * repeated slashes taken out (as the kernel walks it, symbolic links
 * aside); an abstract name (`@…`) as it is.
 *
 * @param path A name from the table, or one given to `connect()`.
 * @param cwd The directory a relative name is taken from.
 * @returns The absolute path.
 */
export function absoluteName(path: string, cwd: string): string {
  if (path.startsWith("@")) return path;
  const parts: string[] = [];
  const full = path.startsWith("/") ? path : `${cwd}/${path}`;
  for (const part of full.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return "/" + parts.join("/");
}

/**
 * The entries of the table that name `path`: as it is given, or once both
 * are made absolute against `cwd` (the table keeps each name as it was
 * bound, a relative one too: one bound by a relative name in another
 * directory is found only where it names the same path from `cwd`). An
 * abstract name (`"\0name"`) matches its `@name` exactly.
 *
 * @param entries The table ({@linkcode parseUnixTable}).
 * @param path The path, or an abstract name.
 * @param cwd This process's directory (`undefined`: names match as given).
 * @returns The entries that match, in the table's order.
 */
export function entriesNaming(
  entries: UnixTableEntry[],
  path: string,
  cwd: string | undefined,
): UnixTableEntry[] {
  if (path.startsWith("\0")) {
    const shown = `@${path.slice(1)}`;
    return entries.filter((entry) => entry.path === shown);
  }
  const full = cwd === undefined ? undefined : absoluteName(path, cwd);
  return entries.filter(({ path: name }) =>
    name === path ||
    (full !== undefined && !name.startsWith("@") &&
      absoluteName(name, cwd!) === full)
  );
}

/**
 * The errors of a path's lookup, as Linux's Unix `connect()` gives them
 * (what `HostBackend.unixPathKind` reports by name).
 */
export const LOOKUP_ERRNOS: readonly string[] = [
  "ENOENT",
  "ENOTDIR",
  "ELOOP",
  "EACCES",
  "ENAMETOOLONG",
];
