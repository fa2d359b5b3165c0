// Copyright the pysocket authors. MIT license.
// Runtime errors → Python errors: the one place. Every public method sends
// what it catches through `mapError`, so no Deno error class reaches a caller.

import { ERRNO, type ErrnoName, errnoName } from "./_errno.ts";
import {
  errnoError,
  gaiError,
  OSError,
  OverflowError,
  PermissionError,
  ValueError,
} from "./errors.ts";

/** Deno's error classes (by name) → the errno they stand for. */
const ERRNO_BY_CLASS: Record<string, ErrnoName> = {
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

/** glibc's resolver texts, as Deno and Node pass them on → `gaierror`. */
const GAI_BY_TEXT: [RegExp, Parameters<typeof gaiError>[0]][] = [
  [/Name or service not known|ENOTFOUND|nodename nor servname/i, "EAI_NONAME"],
  [/Temporary failure in name resolution|EAI_AGAIN/i, "EAI_AGAIN"],
  [/No address associated with hostname|ENODATA/i, "EAI_NODATA"],
  [/Address family for hostname not supported/i, "EAI_ADDRFAMILY"],
];

/**
 * `Requires net access to "127.0.0.1:80", run again with the --allow-net
 * flag` → `PermissionError` naming the exact flag to add.
 */
function permissionError(message: string, cause: unknown): PermissionError {
  const m = /Requires (\w+) access to "?([^",]*)"?.*--allow-(\w+)/.exec(
    message,
  );
  const [, kind, what, flag] = m ?? [];
  // Port 0 (any port) is granted by the host alone.
  const grant = what?.endsWith(":0") ? what.slice(0, -2) : what;
  const detail = m
    ? `${kind} access to "${what}" (run again with --allow-${flag}=${grant})`
    : message;
  const [num, text] = ERRNO.EACCES;
  return new PermissionError(num, text, { detail, cause });
}

/** The Node-style `code` of an error (`"ECONNREFUSED"`), if it has one. */
function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/**
 * Any error thrown by the runtime → the Python error for it. Errors that are
 * already Python's (an `OSError`, an argument `TypeError` …) pass through.
 *
 * @param err What was thrown.
 * @param closed The socket was closed by us: a cancelled operation is then
 * `EBADF`, as in CPython.
 */
export function mapError(err: unknown, closed = false): Error {
  // Deno throws some OS errors as TypeError ("Invalid argument (os error
  // 22)"): those are mapped below; other TypeErrors are argument errors.
  const osTypeError = err instanceof TypeError &&
    /\(os error \d+\)/.test(err.message);
  if (
    err instanceof OSError || err instanceof ValueError ||
    err instanceof OverflowError || (err instanceof TypeError && !osTypeError)
  ) {
    return err;
  }
  if (closed) return errnoError("EBADF", { cause: err });
  const name = (err as Error | null)?.name ?? "";
  const message = (err as Error | null)?.message ?? String(err);
  if (name === "NotCapable" || /^Requires \w+ access/.test(message)) {
    return permissionError(message, err);
  }
  const code = codeOf(err);
  const byCode = code?.startsWith("E") ? code as ErrnoName : undefined;
  if (byCode !== undefined && byCode in ERRNO) {
    return errnoError(byCode, { cause: err });
  }
  const raw = /\(os error (\d+)\)/.exec(message);
  const byNumber = raw ? errnoName(Number(raw[1])) : undefined;
  if (byNumber !== undefined) return errnoError(byNumber, { cause: err });
  const byClass = ERRNO_BY_CLASS[name];
  if (byClass !== undefined) return errnoError(byClass, { cause: err });
  for (const [re, gai] of GAI_BY_TEXT) {
    if (re.test(message)) return gaiError(gai, { cause: err });
  }
  return new OSError(message, undefined, { cause: err });
}
