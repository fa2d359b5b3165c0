// Copyright the pysocket authors. MIT license.
// Errors the Node backend raises itself, in the shape Node gives its own
// (`code`, negative `errno`, `syscall`), so that one classifier reads both:
// a libuv status number a handle returned, or an errno the backend knows.

import { builtin } from "./builtin.ts";

type Util = typeof import("node:util");

/** Linux's numbers for the errnos the backend raises by name. */
const LINUX_ERRNO: Record<string, number> = {
  ENOENT: 2,
  EACCES: 13,
  ENOTDIR: 20,
  ELOOP: 40,
  EBADF: 9,
  EADDRINUSE: 98,
  EAFNOSUPPORT: 97,
  ENOTCONN: 107,
  EINVAL: 22,
  ENFILE: 23,
  EMFILE: 24,
  EAGAIN: 11,
};

/** A Node-style system error. */
export interface UvError extends Error {
  code: string;
  errno: number;
  syscall: string;
}

/**
 * A runtime-level error: it never reaches a caller as it is (the boundary
 * raises Python's exception, whose stack is the caller's), so it is made
 * without a stack of its own, which would cost more than the error does
 * (a read cancelled by each `close()`).
 */
function make(code: string, errno: number, syscall: string): UvError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  const err = new Error(`${syscall} ${code}`) as UvError;
  Error.stackTraceLimit = limit;
  err.code = code;
  err.errno = errno;
  err.syscall = syscall;
  return err;
}

/**
 * The error for a libuv status a handle method returned (`-98`).
 *
 * @param status The negative status.
 * @param syscall What failed (`"bind"`, `"listen"`).
 * @returns The error, with `code` `"EADDRINUSE"` and `errno` `-98`.
 */
export function uvError(status: number, syscall: string): UvError {
  let code: string;
  try {
    code = builtin<Util>("node:util").getSystemErrorName(status);
  } catch {
    code = "UNKNOWN";
  }
  return make(code, status, syscall);
}

/**
 * An error of the backend's own, by errno name: `EBADF` for an operation
 * cancelled by `close()`, …
 *
 * @param code The errno name.
 * @param syscall The operation.
 * @returns The error.
 */
export function errnoError(code: string, syscall: string): UvError {
  return make(code, -(LINUX_ERRNO[code] ?? 0), syscall);
}
