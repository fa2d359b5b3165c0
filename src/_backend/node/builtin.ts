// Copyright the pysocket authors. MIT license.
// Node's built-in modules, loaded synchronously on first use through
// `process.getBuiltinModule` (Node 22.3+, Bun, Deno 2): nothing is loaded at
// import time, and `socket()` can stay synchronous.

/** The modules loaded so far (asking the runtime again costs more). */
const loaded = new Map<string, unknown>();

/**
 * The built-in module `name` (`"node:net"`), loaded now (once).
 *
 * @param name A `node:` module name.
 * @returns The module.
 */
export function builtin<T>(name: string): T {
  let mod = loaded.get(name);
  if (mod === undefined) {
    // deno-lint-ignore no-explicit-any
    const process = (globalThis as any).process;
    mod = process?.getBuiltinModule?.(name);
    if (mod === undefined) {
      throw new Error(
        `pysocket needs ${name}, through process.getBuiltinModule (Node 22.3 or later, Bun, Deno 2)`,
      );
    }
    loaded.set(name, mod);
  }
  return mod as T;
}
