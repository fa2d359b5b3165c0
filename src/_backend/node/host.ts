// Copyright the pysocket authors. MIT license.
// Host facts on Node and Bun: `process.platform`, `node:os` and `node:fs`
// (there is no permission to ask for).

import type { HostBackend } from "../types.ts";
import { builtin } from "./builtin.ts";
import { LOOKUP_ERRNOS } from "../unix_table.ts";
import { isBroadcast } from "./dgram.ts";

type Os = typeof import("node:os");
type Fs = typeof import("node:fs");
type NodeProcess = typeof import("node:process");

/** Where Linux lists the network interfaces. */
const SYS_NET = "/sys/class/net";

/** Host facts from `node:os` and `node:fs`. */
export const nodeHost: HostBackend = {
  get os(): string {
    // deno-lint-ignore no-explicit-any
    const platform = String((globalThis as any).process?.platform ?? "linux");
    return platform === "win32" ? "windows" : platform;
  },

  hostname(): string {
    return builtin<Os>("node:os").hostname();
  },

  readTextFile(path: string): string | undefined {
    try {
      return builtin<Fs>("node:fs").readFileSync(path, "utf8");
    } catch {
      return undefined;
    }
  },

  netGranted(): boolean {
    return true;
  },

  isBroadcast,

  readDir(path: string): string[] | undefined {
    try {
      return builtin<Fs>("node:fs").readdirSync(path);
    } catch {
      return undefined;
    }
  },

  unixPathKind(path: string): string | undefined {
    const fs = builtin<Fs>("node:fs");
    try {
      const socket = fs.statSync(path).isSocket();
      fs.accessSync(path, fs.constants.W_OK);
      return socket ? "socket" : "other";
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      return typeof code === "string" && LOOKUP_ERRNOS.includes(code)
        ? code
        : undefined;
    }
  },

  realPath(path: string): string | undefined {
    try {
      return builtin<Fs>("node:fs").realpathSync(path);
    } catch {
      return undefined;
    }
  },

  cwd(): string | undefined {
    try {
      return builtin<NodeProcess>("node:process").cwd();
    } catch {
      return undefined;
    }
  },

  interfaces(): [number, string][] {
    const fs = builtin<Fs>("node:fs");
    return fs.readdirSync(SYS_NET).map((name) => [
      Number(fs.readFileSync(`${SYS_NET}/${name}/ifindex`, "utf8")),
      name,
    ]);
  },
};

/**
 * Whether the process is out of descriptors, found by opening one
 * (`/dev/null`): `"EMFILE"` or `"ENFILE"`, or `undefined` when it opened
 * (or failed otherwise, e.g. without Deno's read permission). For a
 * runtime error that lost this errno.
 */
export function descriptorShortage(): "EMFILE" | "ENFILE" | undefined {
  // Deno asks for the read permission at a terminal (a prompt that blocks
  // the program): only where it is granted already.
  const deno = (globalThis as { Deno?: typeof Deno }).Deno;
  const query = { name: "read", path: "/dev/null" } as const;
  if (deno && deno.permissions.querySync(query).state !== "granted") {
    return undefined;
  }
  const fs = builtin<Fs>("node:fs");
  try {
    fs.closeSync(fs.openSync("/dev/null", "r"));
  } catch (probe) {
    const short = (probe as { code?: unknown }).code;
    if (short === "EMFILE" || short === "ENFILE") return short;
  }
  return undefined;
}
