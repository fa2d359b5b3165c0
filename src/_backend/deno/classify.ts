// Copyright the pysocket authors. MIT license.
// Deno's errors → what they mean: its error classes (`Deno.errors.*`), the
// OS error numbers in its messages (`(os error 111)`), its permission errors
// (`NotCapable`: the flag to add), and the Node-style errors of its `node:`
// modules.

import type { Classified } from "../types.ts";
import { classifyCode, codeOf } from "../node/classify.ts";
import { askedNet } from "./host.ts";

/** Deno's error classes (by name) → the errno they stand for. */
const ERRNO_BY_CLASS: Record<string, string> = {
  AddrInUse: "EADDRINUSE",
  AddrNotAvailable: "EADDRNOTAVAIL",
  AlreadyExists: "EEXIST",
  BadResource: "EBADF",
  BrokenPipe: "EPIPE",
  ConnectionAborted: "ECONNABORTED",
  ConnectionRefused: "ECONNREFUSED",
  ConnectionReset: "ECONNRESET",
  Interrupted: "EINTR",
  InvalidData: "EINVAL",
  IsADirectory: "EINVAL",
  NetworkUnreachable: "ENETUNREACH",
  NotADirectory: "ENOTDIR",
  NotConnected: "ENOTCONN",
  NotFound: "ENOENT",
  PermissionDenied: "EACCES",
  TimedOut: "ETIMEDOUT",
  WouldBlock: "EAGAIN",
};

/**
 * What Deno asks for that no `--allow-…=value` grants, by the words of its
 * message (`sys access to "ca"`) → the flags that do. The runtime's CA
 * store (`node:tls`'s `getCACertificates()`, pysocket's default
 * certificates): Deno 2.9.6 refuses `--allow-sys=ca` ("unknown sys
 * descriptor"), and reads `NODE_USE_SYSTEM_CA` once that is granted.
 */
const FLAGS_FOR: Record<string, string> = {
  'sys "ca"': "--allow-sys --allow-env=NODE_USE_SYSTEM_CA",
};

/**
 * `Requires net access to "127.0.0.1:80", run again with the --allow-net
 * flag` → the detail of a `PermissionError` naming the exact flag to add.
 */
function permission(message: string): Classified {
  const m = /Requires (\w+) access to "?([^",]*)"?.*--allow-(\w+)/.exec(
    message,
  );
  if (m === null) return { errno: "EACCES", detail: message, denied: true };
  const [, kind, what, flag] = m;
  // Port 0 (any port) is granted by the host alone.
  const grant = what.endsWith(":0") ? what.slice(0, -2) : what;
  // An abstract Unix name (a NUL first) cannot be in an argument: only the
  // unscoped flag grants it. `--allow-all` takes no value (Deno asks for it
  // to read /proc, /sys, …).
  const option = FLAGS_FOR[`${kind} "${what}"`] ??
    (flag === "all" || what.startsWith("unix:\0")
      ? `--allow-${flag}`
      : `--allow-${flag}=${grant}`);
  const shown = what.replace("\0", "\\0");
  // What a `--deny-…` list (or the user at a prompt) refused, no
  // `--allow-…` grant gives.
  const hint = refused(kind, what)
    ? `denied by --deny-${kind} or at a prompt`
    : `run again with ${option}`;
  return {
    errno: "EACCES",
    detail: `${kind} access to "${shown}" (${hint})`,
    denied: true,
  };
}

/**
 * Is net, read or write access to `what` denied for good (Deno's
 * `"denied"`: a `--deny-…` list, or a prompt answered no), other than by
 * pysocket's own request refused under `--no-prompt`?
 */
function refused(kind: string, what: string): boolean {
  if (kind === "net" && askedNet.has(what)) return false;
  const descriptor = kind === "net"
    ? { name: kind, host: what } as const
    : kind === "read" || kind === "write"
    ? { name: kind, path: what } as const
    : null;
  try {
    return descriptor !== null &&
      Deno.permissions.querySync(descriptor).state === "denied";
  } catch {
    return false;
  }
}

/**
 * A Deno error → what it means; `host` is the name being looked up, for
 * `node:dns` errors. `null` for an error that is not the runtime's.
 */
export function classifyDeno(err: unknown, host?: string): Classified | null {
  if (!(err instanceof Error)) return null;
  const { name, message } = err;
  if (name === "NotCapable" || /^Requires \w+ access/.test(message)) {
    return permission(message);
  }
  // Deno's node:dns says EPERM for a name --allow-net does not cover.
  if (host !== undefined && codeOf(err) === "EPERM") {
    return {
      errno: "EACCES",
      detail: `net access to "${host}" (run again with --allow-net=${host})`,
      denied: true,
    };
  }
  // "Invalid argument (os error 22)": the host's own errno number, after
  // the OS's own text for it (`strerror()`). Deno gives most such errors a
  // `code` too (`ENOSPC`), but the number is the OS's: it comes first (a
  // raw ECANCELED is no libuv write cancelled).
  const raw = / ?\(os error (\d+)\)/.exec(message);
  if (raw !== null) {
    return { errno: Number(raw[1]), strerror: message.slice(0, raw.index) };
  }
  const byCode = classifyCode(err, host);
  if (byCode !== null) return byCode;
  const byClass = ERRNO_BY_CLASS[name];
  if (byClass !== undefined) return { errno: byClass };
  // A socket option set while a write waits: Deno holds the socket's
  // writing half for the write (`setNoDelay`, `setKeepAlive`).
  if (message === "Unable to get resources") return { errno: "EBUSY" };
  // Deno's resolver errors, passed on as text.
  if (/Name or service not known|nodename nor servname/i.test(message)) {
    return { gai: "EAI_NONAME" };
  }
  if (/Temporary failure in name resolution/i.test(message)) {
    return { gai: "EAI_AGAIN" };
  }
  if (/No address associated with hostname/i.test(message)) {
    return { gai: "EAI_NODATA" };
  }
  if (/Address family for hostname not supported/i.test(message)) {
    return { gai: "EAI_ADDRFAMILY" };
  }
  // Deno's own check of a host name before it resolves one (`invalid
  // host 'a b': invalid char found in FQDN`, `invalid IPv6 address:
  // '[127.0.0.1]'`): no such name, as glibc says.
  if (
    err instanceof URIError &&
    (message.startsWith("invalid host ") ||
      message.startsWith("invalid IPv6 address"))
  ) {
    return { gai: "EAI_NONAME" };
  }
  // Any other Deno error class is the runtime's, with no errno.
  if (err.constructor !== Error && name in Deno.errors) return { message };
  return null;
}
