// Copyright the pysocket authors. MIT license.
// What `handle_error` prints, in Python's words: `str()` of a client
// address and the block around the error, chained errors included.

import { pyRepr, pyStr } from "../socket/_pyvalue.ts";
import { gaierror, herror, OSError } from "../socket/errors.ts";
import { UnsupportedOperation } from "../socket/makefile/unsupported_operation.ts";
import {
  SSLCertVerificationError,
  SSLEOFError,
  SSLError,
  SSLSyscallError,
  SSLWantReadError,
  SSLWantWriteError,
  SSLZeroReturnError,
} from "../ssl/errors.ts";

/** Python's `repr()` of a str. */
function reprStr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  const body = s.replaceAll("\\", "\\\\").replaceAll(quote, `\\${quote}`)
    .replaceAll("\n", "\\n").replaceAll("\r", "\\r").replaceAll("\t", "\\t");
  return `${quote}${body}${quote}`;
}

/**
 * Python's `str()` of an address as `print()` shows it: a tuple's repr
 * (`('127.0.0.1', 54321)`), an AF_UNIX path as it is, `None` for none.
 */
export function strAddress(address: unknown): string {
  if (address === null || address === undefined) return "None";
  if (typeof address === "string") return address;
  if (Array.isArray(address)) {
    const items = address.map((v) =>
      typeof v === "string" ? reprStr(v) : pyRepr(v)
    );
    return `(${items.join(", ")}${items.length === 1 ? "," : ""})`;
  }
  return pyStr(address);
}

/** Python's `__context__`: the error being handled when each was raised. */
const contexts = new WeakMap<object, unknown>();

/**
 * Records that `error` was raised while `context` was being handled
 * (Python's `__context__`, which its traceback prints first: `During
 * handling of the above exception, another exception occurred:`). As
 * Python's, a chain that would come back to `error` is cut there.
 *
 * @param error The error raised.
 * @param context The error being handled then.
 */
export function setContext(error: unknown, context: unknown): void {
  if (!isObject(error) || error === context) return;
  // Python's cut: no cycle through the chain.
  for (let o = context; isObject(o); o = contexts.get(o)) {
    if (contexts.get(o) === error) {
      contexts.delete(o);
      break;
    }
  }
  contexts.set(error, context);
}

function isObject(value: unknown): value is object {
  return (typeof value === "object" && value !== null) ||
    typeof value === "function";
}

/**
 * The classes Python names with their module (`socket.gaierror`), as its
 * traceback does for a class outside `builtins`.
 */
const MODULES = new Map<unknown, string>([
  [gaierror, "socket"],
  [herror, "socket"],
  [SSLError, "ssl"],
  [SSLZeroReturnError, "ssl"],
  [SSLWantReadError, "ssl"],
  [SSLWantWriteError, "ssl"],
  [SSLSyscallError, "ssl"],
  [SSLEOFError, "ssl"],
  [SSLCertVerificationError, "ssl"],
  [UnsupportedOperation, "io"],
]);

/** The prototypes whose `name` is JS's own (`Error.prototype.name`). */
const NATIVE_PROTOTYPES = new Set<unknown>([
  Error.prototype,
  TypeError.prototype,
  RangeError.prototype,
  SyntaxError.prototype,
  ReferenceError.prototype,
  EvalError.prototype,
  URIError.prototype,
  ...(typeof AggregateError === "function" ? [AggregateError.prototype] : []),
]);

/**
 * The error's class as Python's traceback names it: its `name`, or its
 * class's own name when `name` is JS's default for the class it extends
 * (`class MyErr extends Error {}` is `MyErr`, as in Python); with the
 * module first for a class outside `builtins` (`ssl.SSLError`).
 */
function className(error: Error): string {
  const Class = (error as { constructor?: unknown }).constructor;
  let name = String(error.name);
  let owner: object | null = error;
  while (owner !== null && !Object.hasOwn(owner, "name")) {
    owner = Object.getPrototypeOf(owner);
  }
  if (
    NATIVE_PROTOTYPES.has(owner) && typeof Class === "function" &&
    typeof Class.name === "string" && Class.name !== ""
  ) {
    name = Class.name;
  }
  const module = MODULES.get(Class);
  if (module !== undefined && name === (Class as { name: string }).name) {
    name = `${module}.${name}`;
  }
  return name;
}

/**
 * One error as Python's traceback shows it, ending with the error's own
 * line: `Traceback (most recent call last):`, the JS stack's frames in
 * Python's order (the innermost last), then `RuntimeError: he boom` (the
 * class name alone for an empty message, as Python's); `NoneType: None`
 * for none, as `traceback.print_exc()` outside an `except` clause.
 */
function tracebackOne(error: unknown): string {
  if (error === undefined || error === null) return "NoneType: None";
  if (!(error instanceof Error)) return pyStr(error);
  const frames = (error.stack ?? "").split("\n")
    .filter((line) => /^\s+at /.test(line)).reverse();
  const name = className(error);
  const last = error.message === "" ? name : `${name}: ${error.message}`;
  if (frames.length === 0) return last;
  return ["Traceback (most recent call last):", ...frames, last].join("\n");
}

const CAUSE =
  "\n\nThe above exception was the direct cause of the following exception:\n\n";
const CONTEXT =
  "\n\nDuring handling of the above exception, another exception occurred:\n\n";

/**
 * What Python's traceback prints before an error: its `__cause__` (an
 * error's `cause`, as `raise … from inner`), else its `__context__`
 * ({@linkcode setContext}). An `OSError`'s `cause` is not one: pysocket
 * keeps there the runtime's own error, which Python has not.
 */
function chainedTo(error: unknown): [unknown, string] | undefined {
  if (!isObject(error)) return undefined;
  if (error instanceof Error && !(error instanceof OSError)) {
    const cause = (error as { cause?: unknown }).cause;
    if (cause instanceof Error) return [cause, CAUSE];
  }
  const context = contexts.get(error);
  if (isObject(context)) return [context, CONTEXT];
  return undefined;
}

/**
 * An error as Python's traceback shows it ({@linkcode tracebackOne}), after
 * the errors chained to it (its `cause`, or the error being handled when it
 * was raised), each followed by Python's sentence that links them.
 */
export function tracebackOf(error: unknown): string {
  const seen = new Set<unknown>([error]);
  let text = tracebackOne(error);
  for (let link = chainedTo(error); link !== undefined;) {
    const [inner, sentence] = link;
    if (seen.has(inner)) break;
    seen.add(inner);
    text = tracebackOne(inner) + sentence + text;
    link = chainedTo(inner);
  }
  return text;
}

const RULE = "-".repeat(40);

/**
 * `BaseServer.handle_error`'s block: a rule, `Exception occurred during
 * processing of request from <address>`, the error as Python's
 * `traceback.print_exc()` shows it ({@linkcode tracebackOf}), a rule.
 */
export function errorBlock(client_address: unknown, error: unknown): string {
  return [
    RULE,
    `Exception occurred during processing of request from ${
      strAddress(client_address)
    }`,
    tracebackOf(error),
    RULE,
  ].join("\n");
}
