// Copyright the pysocket authors. MIT license.
/**
 * Python's `io.UnsupportedOperation`.
 *
 * @module
 */

import { ALSO_VALUE_ERROR, OSError } from "../errors.ts";
import { pyNames } from "../../_py/repr.ts";

/**
 * Python's `io.UnsupportedOperation`: an operation the file object does not
 * do, in Python's words for each layer: reading a file opened for writing
 * only (`read`, `not readable`, `File or stream is not readable.`), writing
 * one opened for reading only, `seek`, `tell`, `truncate`, or `fileno` of a
 * read-write pair. CPython's class subclasses both `OSError` and
 * `ValueError`; JS has single inheritance, so here it is an
 * {@linkcode OSError} (with `errno` `null`) that `instanceof ValueError`
 * also recognizes.
 *
 * @example
 * ```ts
 * import { OSError, UnsupportedOperation, ValueError } from "@pysocket/socket";
 * import { assert } from "@std/assert";
 *
 * const err = new UnsupportedOperation("not writable");
 * assert(err instanceof OSError);
 * assert(err instanceof ValueError);
 * ```
 */
export class UnsupportedOperation extends OSError {}

pyNames({ UnsupportedOperation }, "io");

Object.defineProperty(UnsupportedOperation.prototype, ALSO_VALUE_ERROR, {
  value: true,
});
