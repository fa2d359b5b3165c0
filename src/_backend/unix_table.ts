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
