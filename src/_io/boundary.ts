// Copyright the pysocket authors. MIT license.
// The error boundary: runtime errors → Python errors, the one place. Every
// public method sends what it catches through `mapError`; the backend says
// what a runtime error means (`Backend.classify`), this turns that into the
// Python exception, so no runtime error class or wording reaches a caller.

import { errnoName, isErrnoName, otherErrno } from "../_py/errno.ts";
import { errnoClass, errnoError, gaiError, OSError } from "../socket/errors.ts";
import { tlsError } from "../ssl/errors.ts";
import { backend } from "../_backend/mod.ts";
import type { EAI } from "../_py/errno.ts";

/** Errors raised for a missing runtime permission (not the OS's EACCES). */
const denials = new WeakSet<Error>();

/**
 * Was `err` raised for a missing runtime permission (Deno's `--allow-net`),
 * rather than by the OS?
 */
export function isDenied(err: unknown): boolean {
  return err instanceof Error && denials.has(err);
}

/** An errno as a backend gives it (a name, or the host's number) → its name. */
function nameOf(errno: string | number): string | undefined {
  return typeof errno === "number" ? errnoName(errno) : errno;
}

/** The errno name a runtime error stands for (`"ECONNRESET"`), if any. */
export function nativeErrno(err: unknown): string | undefined {
  const meaning = backend().classify(err);
  return meaning !== null && "errno" in meaning
    ? nameOf(meaning.errno)
    : undefined;
}

/**
 * Any error thrown by the runtime → the Python error for it. Errors that are
 * not the runtime's (Python's own, an argument `TypeError` …) pass through.
 *
 * @param err What was thrown.
 * @param closed The socket was closed by us: a cancelled operation is then
 * `EBADF`, as in CPython.
 * @param host The host name being resolved, for resolver errors.
 */
export function mapError(err: unknown, closed = false, host?: string): Error {
  if (err instanceof OSError) return err;
  const meaning = backend().classify(err, host);
  if (meaning === null) return err as Error;
  if (closed) return errnoError("EBADF", { cause: err });
  if ("gai" in meaning) {
    return gaiError(meaning.gai as keyof typeof EAI, { cause: err });
  }
  if ("ssl" in meaning) return tlsError(meaning.ssl, err);
  if ("errno" in meaning) {
    const name = nameOf(meaning.errno);
    if (name !== undefined && isErrnoName(name)) {
      const out = errnoError(name, { detail: meaning.detail, cause: err });
      if (meaning.denied) denials.add(out);
      return out;
    }
    // An errno the table lacks (`ENOSPC`, `(os error 28)`): Python's
    // `[Errno N] text` all the same, in the OS's words for it or glibc's.
    const other = otherErrno(meaning.errno);
    const num = other?.[0] ?? meaning.errno;
    const text = meaning.strerror ?? other?.[1];
    if (typeof num === "number" && text) {
      const Class = errnoClass(num);
      return new Class(num, text, { detail: meaning.detail, cause: err });
    }
  }
  const message = (err as Error | null)?.message ?? String(err);
  return new OSError(message, undefined, { cause: err });
}

/**
 * The errno of an error, as `SO_ERROR` reports it: mapped first (a runtime
 * error), 0 for none or an error without one.
 *
 * @param err The error, or `null`.
 */
export function errnoOf(err: unknown): number {
  if (err === null || err === undefined) return 0;
  const errno = (mapError(err) as { errno?: unknown }).errno;
  return typeof errno === "number" ? errno : 0;
}
