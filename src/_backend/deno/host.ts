// Copyright the pysocket authors. MIT license.
// Host facts on Deno: the host name and the resolver's files, read only
// where Deno already grants it (never a permission prompt); and the net
// permission check for Deno's `node:` modules, which asks as Deno's own
// network API does.

import type { HostBackend, RawNetAddr } from "../types.ts";
import { LOOKUP_ERRNOS } from "../unix_table.ts";
import { isBroadcast } from "../node/dgram.ts";

/** Is reading `path` granted already (no prompt)? */
export function readGranted(path: string): boolean {
  try {
    return Deno.permissions.querySync({ name: "read", path }).state ===
      "granted";
  } catch {
    return false;
  }
}

/**
 * `host` or `host:port` as Deno's permissions spell it (an IPv6 address in
 * brackets when a port follows).
 */
export function netHost(hostname: string, port?: number): string {
  if (port === undefined) return hostname;
  const host = hostname.includes(":") ? `[${hostname}]` : hostname;
  return `${host}:${port}`;
}

/** Is net access to `hostname` (and `port`) granted already (no prompt)? */
export function netGranted(hostname: string, port?: number): boolean {
  try {
    return Deno.permissions.querySync({
      name: "net",
      host: netHost(hostname, port),
    }).state === "granted";
  } catch {
    return false;
  }
}

/** Hosts `requireNet` asked for and was refused (not by `--deny-net`). */
export const askedNet = new Set<string>();

/**
 * Throws Deno's own permission error unless net access to `addr` is
 * granted, or granted when asked (in a terminal, without `--no-prompt`, as
 * Deno's own API asks): for Deno's `node:` modules, which raise a denial as
 * an uncaught exception that no `try` or `'error'` handler sees.
 */
export function requireNet(addr: RawNetAddr): void {
  const host = netHost(addr.hostname, addr.port);
  const descriptor = { name: "net", host } as const;
  let granted = false;
  try {
    const { state } = Deno.permissions.querySync(descriptor);
    granted = state === "granted";
    if (state === "prompt") {
      granted = Deno.permissions.requestSync(descriptor).state === "granted";
      // (Refused without a prompt too, with `--no-prompt`: "denied" from
      // now on, though no `--deny-net` said so.)
      if (!granted) askedNet.add(host);
    }
  } catch {
    // A host Deno's permissions cannot parse is not granted.
  }
  if (!granted) {
    throw new Deno.errors.NotCapable(
      `Requires net access to "${host}", run again with the --allow-net flag`,
    );
  }
}

/**
 * May this process write a file of `info`'s mode and owners, by its bits?
 * `undefined` where the user's id is not granted (`--allow-sys=uid,gid`):
 * Linux's check, which a connect to a path makes, cannot be told then.
 */
function writable(info: Deno.FileInfo): boolean | undefined {
  let uid: number | null;
  let gid: number | null;
  try {
    if (
      Deno.permissions.querySync({ name: "sys", kind: "uid" }).state !==
        "granted" ||
      Deno.permissions.querySync({ name: "sys", kind: "gid" }).state !==
        "granted"
    ) return undefined;
    uid = Deno.uid();
    gid = Deno.gid();
  } catch {
    return undefined;
  }
  if (uid === null || gid === null || info.mode === null) return undefined;
  if (uid === 0) return true;
  const mode = info.mode;
  if (info.uid === uid) return (mode & 0o200) !== 0;
  // (A supplementary group may grant what the others' bits do not.)
  if (info.gid === gid) return (mode & 0o020) !== 0;
  return (mode & 0o002) !== 0 ? true : undefined;
}

/** Where Linux lists the network interfaces. */
const SYS_NET = "/sys/class/net";

/** Host facts from Deno's API. */
export const denoHost: HostBackend = {
  get os(): string {
    return Deno.build.os;
  },

  hostname(): string {
    return Deno.hostname();
  },

  readTextFile(path: string): string | undefined {
    if (!readGranted(path)) return undefined;
    try {
      return Deno.readTextFileSync(path);
    } catch {
      return undefined;
    }
  },

  netGranted,

  isBroadcast,

  readDir(path: string): string[] | undefined {
    if (!readGranted(path)) return undefined;
    try {
      return Array.from(Deno.readDirSync(path), (entry) => entry.name);
    } catch {
      return undefined;
    }
  },

  unixPathKind(path: string): string | undefined {
    if (!readGranted(path)) return undefined;
    let info: Deno.FileInfo;
    try {
      info = Deno.statSync(path);
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      return typeof code === "string" && LOOKUP_ERRNOS.includes(code)
        ? code
        : undefined;
    }
    // Without the user's id, a file is taken to be writable (as it is for
    // its owner, or for root).
    if (writable(info) === false) return "EACCES";
    return info.isSocket ? "socket" : "other";
  },

  realPath(path: string): string | undefined {
    if (!readGranted(path)) return undefined;
    try {
      return Deno.realPathSync(path);
    } catch {
      return undefined;
    }
  },

  cwd(): string | undefined {
    // (Asked first: Deno.cwd() would prompt without the grant.)
    if (!readGranted(".")) return undefined;
    try {
      return Deno.cwd();
    } catch {
      return undefined;
    }
  },

  interfaces(): [number, string][] {
    try {
      return Array.from(Deno.readDirSync(SYS_NET), ({ name }) => [
        Number(Deno.readTextFileSync(`${SYS_NET}/${name}/ifindex`)),
        name,
      ]);
    } catch (err) {
      // Its entries link into /sys/devices, which Deno reads with
      // --allow-all only: that is the flag to name, not --allow-read.
      if (err instanceof Deno.errors.NotCapable) {
        throw new Deno.errors.NotCapable(
          `Requires all access to "${SYS_NET}", run again with the --allow-all flag`,
        );
      }
      throw err;
    }
  },
};
