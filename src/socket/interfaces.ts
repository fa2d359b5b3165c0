// Copyright the pysocket authors. MIT license.
// Network interface names and indexes, as CPython's `if_nameindex()`,
// `if_nametoindex()` and `if_indextoname()` give them on Linux (read from
// `/sys/class/net`).

import {
  errnoError,
  OSError,
  OverflowError,
  TypeError,
  ValueError,
} from "./errors.ts";
import { mapError } from "../_io/boundary.ts";
import { UnicodeEncodeError } from "../_py/codec.ts";
import { type ArgSpec, checkArgs, pyInt, pyTypeName } from "../_py/pytype.ts";
import { backend } from "../_backend/mod.ts";

const ARGS: Record<string, ArgSpec> = {
  if_nameindex: {
    name: "_socket.if_nameindex",
    style: "noargs",
    params: [],
    required: 0,
  },
  if_nametoindex: {
    name: "if_nametoindex",
    style: "tuple",
    params: ["oname"],
    required: 1,
  },
  if_indextoname: {
    name: "_socket.if_indextoname",
    style: "o",
    params: ["index"],
    required: 1,
  },
};

/**
 * A str as CPython's `PyUnicode_FSConverter()` takes it: UTF-8 with
 * `surrogateescape`, so a lone surrogate `\udc80`-`\udcff` stands for a
 * byte and any other is `UnicodeEncodeError` (over the rest of its run of
 * surrogates, as Python's encoder reports it), before the NUL check.
 */
function fsencodable(text: string): string {
  if (text.isWellFormed()) return text;
  // Code points, as Python counts positions: a lone surrogate is one unit.
  const units = [...text].map((c) => c.length === 1 ? c.charCodeAt(0) : 0);
  const lone = (u: number) => u >= 0xd800 && u <= 0xdfff;
  for (let i = 0; i < units.length; i++) {
    if (!lone(units[i])) continue;
    let end = i;
    while (end < units.length && lone(units[end])) end++;
    // The escapable ones first; the first other starts the error.
    let bad = i;
    while (bad < end && units[bad] >= 0xdc80 && units[bad] <= 0xdcff) bad++;
    if (bad < end) {
      throw new UnicodeEncodeError(
        "utf-8",
        text,
        bad,
        end,
        "surrogates not allowed",
      );
    }
    i = end - 1;
  }
  return text;
}

/** The interfaces, in index order. */
function interfaces(): [number, string][] {
  return backend().host.interfaces().sort((a, b) => a[0] - b[0]);
}

/**
 * The network interfaces, as Python's `socket.if_nameindex()`: `[index,
 * name]` pairs in index order. On Deno, reading Linux's `/sys/class/net`
 * (symbolic links into `/sys/devices`) takes `--allow-all`.
 *
 * @returns The interfaces.
 * @throws {PermissionError} On Deno without the permission to read them.
 *
 * @example List them (on Deno, with `--allow-all`)
 * ```ts
 * import { if_nameindex, PermissionError } from "@pysocket/socket";
 *
 * try {
 *   for (const [index, name] of if_nameindex()) console.log(index, name);
 * } catch (err) {
 *   // Deno without --allow-all: the error names the flag.
 *   if (!(err instanceof PermissionError)) throw err;
 * }
 * ```
 */
export function if_nameindex(): [number, string][] {
  try {
    checkArgs(ARGS.if_nameindex, arguments);
    return interfaces();
  } catch (err) {
    throw mapError(err);
  }
}

/**
 * An interface's index, as Python's `socket.if_nametoindex()`.
 *
 * @param oname The interface's name (a string or bytes).
 * @returns Its index.
 * @throws {OSError} `no interface with this name`.
 * @throws {UnicodeEncodeError} For a lone surrogate other than
 * `\udc80`-`\udcff` (those are bytes, as in `os.fsencode()`).
 * @throws {TypeError} `expected str, bytes or os.PathLike object, not int`.
 * @throws {PermissionError} On Deno without the permission to read them.
 *
 * @example The loopback interface (on Deno, with `--allow-all`)
 * ```ts
 * import { if_nametoindex, PermissionError } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * try {
 *   assertEquals(if_nametoindex("lo"), 1);
 * } catch (err) {
 *   if (!(err instanceof PermissionError)) throw err;
 * }
 * ```
 */
export function if_nametoindex(oname: string | Uint8Array): number {
  try {
    checkArgs(ARGS.if_nametoindex, arguments);
    let name: string;
    if (typeof oname === "string") name = fsencodable(oname);
    else if (oname instanceof Uint8Array) {
      name = new TextDecoder().decode(oname);
    } else {
      const type = oname === null ? "NoneType" : pyTypeName(oname);
      throw new TypeError(
        `expected str, bytes or os.PathLike object, not ${type}`,
      );
    }
    if (name.includes("\0")) throw new ValueError("embedded null byte");
    const found = interfaces().find(([, n]) => n === name);
    if (found === undefined) throw new OSError("no interface with this name");
    return found[0];
  } catch (err) {
    throw mapError(err);
  }
}

/**
 * An interface's name, as Python's `socket.if_indextoname()`.
 *
 * @param index The interface's index.
 * @returns Its name.
 * @throws {OSError} `[Errno 6] No such device or address`.
 * @throws {OverflowError} `can't convert negative value to unsigned int`.
 * @throws {TypeError} `an integer is required`.
 * @throws {PermissionError} On Deno without the permission to read them.
 *
 * @example The loopback interface (on Deno, with `--allow-all`)
 * ```ts
 * import { if_indextoname, PermissionError } from "@pysocket/socket";
 * import { assertEquals } from "@std/assert";
 *
 * try {
 *   assertEquals(if_indextoname(1), "lo");
 * } catch (err) {
 *   if (!(err instanceof PermissionError)) throw err;
 * }
 * ```
 */
export function if_indextoname(index: number): string {
  try {
    checkArgs(ARGS.if_indextoname, arguments);
    const n = pyInt(index);
    if (n === undefined) throw new TypeError("an integer is required");
    if (n < 0n) {
      throw new OverflowError("can't convert negative value to unsigned int");
    }
    if (n > 2n ** 64n - 1n) {
      throw new OverflowError(
        "Python int too large to convert to C unsigned long",
      );
    }
    // CPython keeps the low 32 bits (an `unsigned int`).
    const wanted = Number(BigInt.asUintN(32, n));
    const found = interfaces().find(([i]) => i === wanted);
    if (found === undefined) throw errnoError("ENXIO");
    return found[1];
  } catch (err) {
    throw mapError(err);
  }
}
