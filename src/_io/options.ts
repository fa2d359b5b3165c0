// Copyright the pysocket authors. MIT license.
// Socket options: names, values in Python's forms (an int or struct-packed
// bytes) and the error for an option the runtime cannot honour.

import {
  IPPROTO_IPV6,
  IPPROTO_TCP,
  IPV6_V6ONLY,
  SO_ACCEPTCONN,
  SO_BROADCAST,
  SO_ERROR,
  SO_KEEPALIVE,
  SO_LINGER,
  SO_RCVBUF,
  SO_REUSEADDR,
  SO_REUSEPORT,
  SO_SNDBUF,
  SO_TYPE,
  SOL_SOCKET,
  TCP_NODELAY,
} from "../socket/constants.ts";
import { errnoError, OSError } from "../socket/errors.ts";
import { bytesLike, checkInt } from "../_py/pytype.ts";

/** The options pysocket knows, by level and number. */
const NAMES: Record<number, Record<number, string>> = {
  [SOL_SOCKET]: {
    [SO_REUSEADDR]: "SO_REUSEADDR",
    [SO_TYPE]: "SO_TYPE",
    [SO_ERROR]: "SO_ERROR",
    [SO_BROADCAST]: "SO_BROADCAST",
    [SO_SNDBUF]: "SO_SNDBUF",
    [SO_RCVBUF]: "SO_RCVBUF",
    [SO_KEEPALIVE]: "SO_KEEPALIVE",
    [SO_LINGER]: "SO_LINGER",
    [SO_REUSEPORT]: "SO_REUSEPORT",
    [SO_ACCEPTCONN]: "SO_ACCEPTCONN",
  },
  [IPPROTO_TCP]: { [TCP_NODELAY]: "TCP_NODELAY" },
  [IPPROTO_IPV6]: { [IPV6_V6ONLY]: "IPV6_V6ONLY" },
};

/** An option's Python name (`"TCP_NODELAY"`), or `undefined` if unknown. */
export function optionName(level: number, name: number): string | undefined {
  return NAMES[level]?.[name];
}

/**
 * `[Errno 92] Protocol not available: 'SO_LINGER'`: the runtime cannot
 * honour (or read) this option, so pysocket refuses it rather than pretend.
 */
export function noOption(name: string | undefined): OSError {
  return errnoError(
    "ENOPROTOOPT",
    name === undefined ? undefined : { detail: `'${name}'` },
  );
}

/**
 * A `setsockopt` value as an int: a number, or bytes as `struct.pack("i")`
 * makes them (native little-endian on the platforms Deno runs on).
 */
export function optionValue(value: unknown): number {
  if (typeof value === "number" || typeof value === "boolean") {
    return checkInt(value);
  }
  const bytes = bytesLike(value);
  if (bytes.length < 4) throw errnoError("EINVAL");
  return new DataView(bytes.buffer, bytes.byteOffset, 4).getInt32(0, true);
}

/**
 * A `getsockopt` result: the int, or with `buflen` the int packed into
 * `buflen` bytes, as the kernel fills the buffer.
 */
export function optionResult(
  value: number,
  buflen: number | undefined,
): number | Uint8Array {
  if (buflen === undefined) return value;
  const n = checkInt(buflen);
  if (n < 0 || n > 1024) throw new OSError("getsockopt buflen out of range");
  const out = new Uint8Array(n);
  const packed = new Uint8Array(4);
  new DataView(packed.buffer).setInt32(0, value, true);
  out.set(packed.subarray(0, Math.min(4, n)));
  return out;
}
