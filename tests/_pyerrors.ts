// Copyright the pysocket authors. MIT license.
// Python's argument errors, as python3 raises them, for the select and
// selectors tests: each case runs in python3 and its class and text are
// what pysocket must raise.

import { assert, assertEquals, assertInstanceOf } from "@std/assert";
import * as socket from "../mod.ts";
import { pythonJson } from "./_util.ts";

/** A bad-argument case: our arguments, and the same call in Python. */
export interface Case {
  label: string;
  args: () => unknown[];
  python: string;
}

/** Python's class names → ours. */
// deno-lint-ignore no-explicit-any
const CLASSES: Record<string, new (...args: any[]) => Error> = {
  TypeError,
  ValueError: socket.ValueError,
  OverflowError: socket.OverflowError,
  OSError: socket.OSError,
  FileNotFoundError: socket.FileNotFoundError,
  KeyError: socket.KeyError,
  RuntimeError: socket.RuntimeError,
};

/**
 * Runs each case's Python call in python3 (with `s`, a socket, and helper
 * classes in scope) and returns `[class name, str(error)]` for each.
 */
export async function pythonErrors(
  setup: string,
  cases: { label: string; python: string }[],
): Promise<Record<string, [string, string]>> {
  const script = `import json, select, selectors, socket, sys
${setup}
class NonInt:
    def fileno(self): return "3"
class Raises:
    def fileno(self): raise ValueError("boom")
out = {}
for label, expr in json.load(sys.stdin):
    try:
        eval(expr)
        out[label] = ["no error", ""]
    except BaseException as e:
        out[label] = [type(e).__name__, str(e)]
print(json.dumps(out))`;
  return await pythonJson(
    script,
    cases.map((c) => [c.label, c.python]),
  ) as Record<string, [string, string]>;
}

/** Asserts that `error` is Python's `[class, message]`. */
export function assertPythonError(
  label: string,
  error: unknown,
  [name, message]: [string, string],
): void {
  const Class = CLASSES[name];
  assert(Class !== undefined, `${label}: python raised ${name}: ${message}`);
  assertInstanceOf(error, Class, `${label}: ${error}`);
  assertEquals((error as Error).name, name, label);
  assertEquals((error as Error).message, message, label);
}
