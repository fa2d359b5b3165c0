// Copyright the pysocket authors. MIT license.
// What `handle_error` prints, in Python's words: `str()` of a client
// address and the block around the error.

import { pyRepr, pyStr } from "../socket/_pyvalue.ts";

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

/**
 * An error as Python's traceback shows it, ending with the error's own
 * line: `Traceback (most recent call last):`, the JS stack's frames in
 * Python's order (the innermost last), then `RuntimeError: he boom` (the
 * class name alone for an empty message, as Python's).
 */
export function tracebackOf(error: unknown): string {
  if (!(error instanceof Error)) return pyStr(error);
  const frames = (error.stack ?? "").split("\n")
    .filter((line) => /^\s+at /.test(line)).reverse();
  const last = error.message === ""
    ? error.name
    : `${error.name}: ${error.message}`;
  if (frames.length === 0) return last;
  return ["Traceback (most recent call last):", ...frames, last].join("\n");
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
