// Copyright the pysocket authors. MIT license.
// Node-style runtime errors (`err.code`: "ECONNREFUSED", "ENOTFOUND", …), as
// Node, Bun and Deno's `node:` modules throw them → what they mean.

import type { Classified } from "../types.ts";

/** The `code` of a Node-style error, if it has one. */
export function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** `getaddrinfo()` failures as `node:dns` reports them → `EAI_*` names. */
const GAI_BY_CODE: Record<string, string> = {
  ENOTFOUND: "EAI_NONAME",
  EAI_NONAME: "EAI_NONAME",
  EAI_AGAIN: "EAI_AGAIN",
  ETIMEOUT: "EAI_AGAIN",
  ECONNREFUSED: "EAI_AGAIN",
  ENODATA: "EAI_NODATA",
  EAI_NODATA: "EAI_NODATA",
  EAI_FAIL: "EAI_FAIL",
  ESERVFAIL: "EAI_FAIL",
  EAI_FAMILY: "EAI_FAMILY",
  EAI_ADDRFAMILY: "EAI_ADDRFAMILY",
};

/** The resolver calls a Node-style error names as its `syscall`. */
const RESOLVER_SYSCALLS = new Set(["getaddrinfo", "getnameinfo"]);

/**
 * Node's own error codes (`ERR_…`) that stand for an errno: the state the
 * socket was in when the runtime refused the call, as Linux reports it.
 */
const ERRNO_BY_NODE_CODE: Record<string, string> = {
  // A datagram socket used after close().
  ERR_SOCKET_DGRAM_NOT_RUNNING: "EBADF",
  ERR_SOCKET_DGRAM_IS_CONNECTED: "EISCONN",
  ERR_SOCKET_DGRAM_NOT_CONNECTED: "ENOTCONN",
  // A stream written after the runtime tore the connection down (the
  // peer reset it) or after end(): Linux says EPIPE.
  ERR_STREAM_DESTROYED: "EPIPE",
  ERR_STREAM_WRITE_AFTER_END: "EPIPE",
  ERR_SOCKET_CLOSED: "EPIPE",
  // libuv's: a write still queued when the runtime tore the connection
  // down (a read met the peer's reset). A close of ours is EBADF before
  // this is asked.
  ECANCELED: "EPIPE",
  ERR_SOCKET_CONNECTION_TIMEOUT: "ETIMEDOUT",
  // A datagram to port 0: Linux's sendto() says EINVAL.
  ERR_SOCKET_BAD_PORT: "EINVAL",
  // libuv's spellings of Linux's 95 and 11 (the same numbers).
  ENOTSUP: "EOPNOTSUPP",
  EWOULDBLOCK: "EAGAIN",
};

/**
 * A Node-style error → its meaning: with `host` (a lookup of that name), or
 * from a resolver call, a resolver error; otherwise the errno its `code`
 * names. `null` for an error without a `code`, or with a code that is no
 * errno (`ERR_INVALID_ARG_TYPE`: a bug, passed on as is).
 */
export function classifyCode(err: unknown, host?: string): Classified | null {
  const code = codeOf(err);
  if (code === undefined) return null;
  const syscall = (err as { syscall?: unknown }).syscall;
  if (
    code in GAI_BY_CODE &&
    (host !== undefined || RESOLVER_SYSCALLS.has(syscall as string))
  ) {
    return { gai: GAI_BY_CODE[code] };
  }
  // libuv refuses a name its own IDNA step cannot take (one longer than
  // DNS allows) with EINVAL before glibc sees it; glibc answers EAI_NONAME.
  if (code === "EINVAL" && syscall === "getaddrinfo") {
    return { gai: "EAI_NONAME" };
  }
  if (code === "UNKNOWN") {
    // Bun reports EACCES (a broadcast without SO_BROADCAST) as libuv's
    // UNKNOWN, -4094: the only case seen. (Deno's node:dgram reports every
    // send error so: the datagram backend tells them apart first, by the
    // addresses: `refusedErrno` in dgram.ts.)
    return (err as { errno?: unknown }).errno === -4094
      ? { errno: "EACCES" }
      : null;
  }
  // Node wraps a failed buffer-size call's errno in one of its own.
  if (code === "ERR_SOCKET_BUFFER_SIZE") {
    const inner = (err as { info?: { code?: unknown } }).info?.code;
    return typeof inner === "string" && /^E[A-Z0-9]+$/.test(inner)
      ? { errno: inner }
      : { errno: "EINVAL" };
  }
  const mapped = ERRNO_BY_NODE_CODE[code];
  if (mapped !== undefined) return { errno: mapped };
  if (/^E[A-Z0-9]+$/.test(code)) return { errno: code };
  return null;
}

/**
 * An error from Node or Bun → what it means; `host` is the name being
 * looked up, for resolver errors. `null` for an error that is not the
 * runtime's.
 *
 * @param err What the runtime threw.
 * @param host The host name being resolved, if any.
 * @returns Its meaning, or `null`.
 */
export function classifyNode(err: unknown, host?: string): Classified | null {
  return classifyCode(err, host);
}
