// Copyright the pysocket authors. MIT license.
/**
 * `selectors`' events and its `SelectorKey`: which file object, which
 * descriptor, which events, which data.
 *
 * @module
 */

import { OverflowError, ValueError } from "../socket/errors.ts";
import { pyRepr } from "../socket/_pyvalue.ts";
import { pyNames } from "../_py/repr.ts";

/**
 * Wait for reading: a `recv`/`accept` would complete at once.
 *
 * @example Wait until a recv() would not block
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import * as selectors from "@pysocket/socket/selectors";
 * import { assertEquals } from "@std/assert";
 *
 * const [a, b] = await socket.socketpair();
 * using sel = new selectors.DefaultSelector();
 * sel.register(a, selectors.EVENT_READ);
 * await b.sendall(new Uint8Array([1]));
 * const [[key, mask]] = await sel.select(5);
 * assertEquals([key.fileobj, mask & selectors.EVENT_READ], [a, selectors.EVENT_READ]);
 * a.close();
 * b.close();
 * ```
 */
export const EVENT_READ = 1 << 0;
/**
 * Wait for writing: a `send` would take at least one byte at once.
 *
 * @example Wait until a send() would take bytes
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import * as selectors from "@pysocket/socket/selectors";
 * import { assertEquals } from "@std/assert";
 *
 * const [a, b] = await socket.socketpair();
 * using sel = new selectors.DefaultSelector();
 * sel.register(a, selectors.EVENT_WRITE);
 * const [[, mask]] = await sel.select(5);
 * assertEquals(mask, selectors.EVENT_WRITE);
 * a.close();
 * b.close();
 * ```
 */
export const EVENT_WRITE = 1 << 1;

/**
 * What a selector watches: a socket (anything with a `fileno()` method) or
 * a descriptor number.
 *
 * @example A socket or a descriptor number
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import * as selectors from "@pysocket/socket/selectors";
 * import { assertEquals } from "@std/assert";
 *
 * const [a, b] = await socket.socketpair();
 * const objects: selectors.FileObject[] = [a, b.fileno()];
 * using sel = new selectors.DefaultSelector();
 * for (const f of objects) sel.register(f, selectors.EVENT_WRITE);
 * assertEquals(sel.get_map()?.size, 2);
 * a.close();
 * b.close();
 * ```
 */
export type FileObject = number | { fileno(): number };

/**
 * Python's `SelectorKey(fileobj, fd, events, data)`: a registered file
 * object, its descriptor, the events it is watched for and the data
 * attached to it. Immutable, as Python's named tuple.
 *
 * @typeParam D The type of the attached data.
 * @typeParam F The type of the file objects.
 *
 * @example
 * ```ts
 * import * as socket from "@pysocket/socket";
 * import * as selectors from "@pysocket/socket/selectors";
 * import { assertEquals } from "@std/assert";
 *
 * using sel = new selectors.DefaultSelector<string, number>();
 * const [a, b] = await socket.socketpair();
 * const key = sel.register(a.fileno(), selectors.EVENT_READ, "peer a");
 * assertEquals([key.fileobj, key.events, key.data], [a.fileno(), 1, "peer a"]);
 * assertEquals(String(key), `SelectorKey(fileobj=${a.fileno()}, fd=${a.fileno()}, events=1, data='peer a')`);
 * a.close();
 * b.close();
 * ```
 */
export class SelectorKey<D = unknown, F extends FileObject = FileObject> {
  /** The file object registered. */
  readonly fileobj: F;
  /** Its descriptor number. */
  readonly fd: number;
  /**
   * The events it is watched for: `EVENT_READ | EVENT_WRITE`, as given
   * (`true`, Python's `True`, stays `true`).
   */
  readonly events: number;
  /** The data attached to it (`null`, Python's `None`, if none was). */
  readonly data: D;

  /**
   * Makes a key, as Python's `SelectorKey(fileobj, fd, events, data)`.
   *
   * @param fileobj The file object.
   * @param fd Its descriptor.
   * @param events The events.
   * @param data The attached data.
   */
  constructor(fileobj: F, fd: number, events: number, data: D) {
    this.fileobj = fileobj;
    this.fd = fd;
    this.events = events;
    this.data = data;
    Object.freeze(this);
  }

  /**
   * Python's repr: `SelectorKey(fileobj=…, fd=3, events=1, data=None)`.
   *
   * @returns The repr.
   */
  toString(): string {
    return `SelectorKey(fileobj=${
      pyRepr(this.fileobj)
    }, fd=${this.fd}, events=${pyRepr(this.events)}, data=${
      pyRepr(this.data)
    })`;
  }

  /** Deno's `console.log` shows the repr. */
  [Symbol.for("Deno.customInspect")](): string {
    return this.toString();
  }

  /** Node's `util.inspect` shows the repr. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

// Python's names (`type(x).__name__`, its repr's), whatever a bundler
// names the class.
pyNames({ SelectorKey }, "selectors");

/** Python's `int()` of what `fileno()` returned; `null` where it fails. */
function toInt(value: unknown): number | null {
  switch (typeof value) {
    case "number":
      if (Number.isNaN(value)) return null;
      if (!Number.isFinite(value)) {
        throw new OverflowError("cannot convert float infinity to integer");
      }
      return Math.trunc(value);
    case "boolean":
      return Number(value);
    case "bigint":
      return Number(value);
    case "string":
      return /^\s*[+-]?\d+(_\d+)*\s*$/.test(value)
        ? Number(value.replaceAll("_", ""))
        : null;
  }
  return null;
}

/** Is `value` a Python int (an integer number, a bool, a bigint)? */
function isInt(value: unknown): value is number | boolean | bigint {
  return (typeof value === "number" && Number.isInteger(value)) ||
    typeof value === "boolean" || typeof value === "bigint";
}

/**
 * CPython's `selectors._fileobj_to_fd`: a descriptor number, or the number
 * a file object's `fileno()` gives.
 *
 * @param fileobj A descriptor number or a file object.
 * @returns The descriptor number.
 * @throws {ValueError} `Invalid file object: …`, `Invalid file descriptor: -1`.
 */
export function fileobjToFd(fileobj: unknown): number {
  let fd: number | null;
  if (isInt(fileobj)) fd = Number(fileobj);
  else {
    const fileno = fileobj !== null &&
        (typeof fileobj === "object" || typeof fileobj === "function")
      ? (fileobj as { fileno?: unknown }).fileno
      : undefined;
    fd = null;
    if (typeof fileno === "function") {
      try {
        fd = toInt(fileno.call(fileobj));
      } catch (err) {
        // Python catches AttributeError, TypeError and ValueError here.
        if (!(err instanceof TypeError || err instanceof ValueError)) throw err;
      }
    }
    if (fd === null) {
      throw new ValueError(`Invalid file object: ${pyRepr(fileobj)}`);
    }
  }
  if (fd < 0) throw new ValueError(`Invalid file descriptor: ${fd}`);
  return fd;
}
