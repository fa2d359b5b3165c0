// Copyright the pysocket authors. MIT license.
// The services and protocols databases as CPython's `getservbyname()`,
// `getservbyport()` and `getprotobyname()` read them (glibc's lookups in
// `/etc/services` and `/etc/protocols`, first match in file order).

import { OSError, OverflowError } from "./errors.ts";
import { mapError } from "../_io/boundary.ts";
import { type ArgSpec, checkArgs, checkCInt, checkStr } from "../_py/pytype.ts";
import { protocolsFile, servicesFile } from "./_resolver.ts";
import { utf8Strict } from "./convert.ts";

/**
 * CPython's `"s"` conversion: a `str` (`TypeError`), that UTF-8 can encode
 * (`UnicodeEncodeError` for a lone surrogate), without NUL (`ValueError`),
 * checked in that order.
 */
function cStr(value: unknown, fn: string, position: number): string {
  if (typeof value === "string") utf8Strict(value);
  return checkStr(value, fn, position);
}

const ARGS: Record<string, ArgSpec> = {
  getservbyname: {
    name: "getservbyname",
    style: "tuple",
    params: ["servicename", "protocolname"],
    required: 1,
  },
  getservbyport: {
    name: "getservbyport",
    style: "tuple",
    params: ["port", "protocolname"],
    required: 1,
  },
  getprotobyname: {
    name: "getprotobyname",
    style: "tuple",
    params: ["protocolname"],
    required: 1,
  },
};

/**
 * A service's port, as Python's `socket.getservbyname()`: looked up in
 * `/etc/services` when it can be read (on Deno, with `--allow-read`), else
 * in a built-in table of common services.
 *
 * @param servicename A service name or alias (`"http"`, `"www"`).
 * @param protocolname `"tcp"` or `"udp"`; left out, any protocol.
 * @returns The port number.
 * @throws {OSError} `service/proto not found`.
 * @throws {TypeError} `getservbyname() argument 1 must be str, not int`.
 * @throws {UnicodeEncodeError} For a name with a lone surrogate.
 *
 * @example A well-known port
 * ```ts
 * import { getservbyname } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(getservbyname("http", "tcp"), 80);
 * ```
 */
export function getservbyname(
  servicename: string,
  protocolname?: string,
): number {
  try {
    checkArgs(ARGS.getservbyname, arguments);
    const name = cStr(servicename, "getservbyname", 1);
    const proto = protocolname === undefined
      ? null
      : cStr(protocolname, "getservbyname", 2);
    const found = servicesFile().find((s) =>
      (proto === null || s.protocol === proto) &&
      (s.name === name || s.aliases.includes(name))
    );
    if (found === undefined) throw new OSError("service/proto not found");
    return found.port;
  } catch (err) {
    throw mapError(err);
  }
}

/**
 * A port's service name, as Python's `socket.getservbyport()`, from the
 * same database as {@linkcode getservbyname}.
 *
 * @param port A port number, 0–65535.
 * @param protocolname `"tcp"` or `"udp"`; left out, any protocol.
 * @returns The service's name.
 * @throws {OSError} `port/proto not found`.
 * @throws {OverflowError} `getservbyport: port must be 0-65535.`
 * @throws {TypeError} `'str' object cannot be interpreted as an integer`.
 * @throws {UnicodeEncodeError} For a protocol with a lone surrogate.
 *
 * @example A well-known port
 * ```ts
 * import { getservbyport } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(getservbyport(443, "tcp"), "https");
 * ```
 */
export function getservbyport(port: number, protocolname?: string): string {
  try {
    checkArgs(ARGS.getservbyport, arguments);
    const n = checkCInt(port, "i");
    const proto = protocolname === undefined
      ? null
      : cStr(protocolname, "getservbyport", 2);
    if (n < 0 || n > 0xffff) {
      throw new OverflowError("getservbyport: port must be 0-65535.");
    }
    const found = servicesFile().find((s) =>
      (proto === null || s.protocol === proto) && s.port === n
    );
    if (found === undefined) throw new OSError("port/proto not found");
    return found.name;
  } catch (err) {
    throw mapError(err);
  }
}

/**
 * A protocol's number, as Python's `socket.getprotobyname()`: looked up in
 * `/etc/protocols` when it can be read (on Deno, with `--allow-read`), else
 * in a built-in table of common protocols.
 *
 * @param protocolname A protocol name or alias (`"tcp"`, `"TCP"`).
 * @returns Its number (`IPPROTO_TCP` for `"tcp"`).
 * @throws {OSError} `protocol not found`.
 * @throws {TypeError} `getprotobyname() argument 1 must be str, not int`.
 * @throws {UnicodeEncodeError} For a name with a lone surrogate.
 *
 * @example TCP and UDP
 * ```ts
 * import { getprotobyname, IPPROTO_TCP, IPPROTO_UDP } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * assertEquals(getprotobyname("tcp"), IPPROTO_TCP);
 * assertEquals(getprotobyname("udp"), IPPROTO_UDP);
 * ```
 */
export function getprotobyname(protocolname: string): number {
  try {
    checkArgs(ARGS.getprotobyname, arguments);
    const name = cStr(protocolname, "getprotobyname", 1);
    const found = protocolsFile().find((p) =>
      p.name === name || p.aliases.includes(name)
    );
    if (found === undefined) throw new OSError("protocol not found");
    return found.number;
  } catch (err) {
    throw mapError(err);
  }
}
