// Copyright the pysocket authors. MIT license.
// The shape of the code (DESIGN.md), pinned: nothing runtime-specific
// outside src/_backend/, no import cycles, no syntax Node 22 cannot parse in
// the library, and no runtime global read while the entry points load.
import { assert, assertEquals } from "@std/assert";
import { readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { codeOf as code, REPO_ROOT as root, test, tsFiles } from "./_util.ts";

/** The package's entry points (deno.json `exports`). */
function entryPoints(): string[] {
  const config = JSON.parse(readFileSync(join(root, "deno.json"), "utf8"));
  const exports = config.exports;
  const paths = typeof exports === "string"
    ? [exports]
    : Object.values(exports as Record<string, string>);
  return paths.map((p) => resolve(root, p));
}

/** The library's own source files: src/ and the entry points. */
function library(): string[] {
  return [...new Set([...entryPoints(), ...tsFiles(join(root, "src"))])];
}

test("nothing outside src/_backend/ touches Deno., Bun. or node:", () => {
  const offenders: string[] = [];
  for (const path of library()) {
    const rel = relative(root, path);
    if (rel.startsWith(join("src", "_backend"))) continue;
    const text = code(path);
    // `Symbol.for("Deno.customInspect")` names a symbol: no runtime API.
    for (
      const pattern of [/\bDeno\.(?!customInspect)/, /\bBun\./, /["']node:/]
    ) {
      if (pattern.test(text)) offenders.push(`${rel}: ${pattern.source}`);
    }
  }
  assertEquals(offenders, []);
});

test("the library's source has no `using` declarations (Node 22 cannot parse them)", () => {
  const offenders = library().filter((path) =>
    /^\s*(await\s+)?using\s+[\w$]+\s*=/m.test(code(path))
  ).map((path) => relative(root, path));
  assertEquals(offenders, []);
});

/** The files a file imports at run time (type-only imports are erased). */
function valueImports(path: string): string[] {
  const text = code(path);
  const out: string[] = [];
  const re =
    /(?:^|;|\n)\s*(import|export)\s+(type\s+)?(?:[^"';]*?\s+from\s+)?["'](\.[^"']+)["']/g;
  for (const m of text.matchAll(re)) {
    if (m[2] !== undefined) continue;
    out.push(resolve(dirname(path), m[3]));
  }
  return out;
}

test("the library has no import cycles", () => {
  const graph = new Map<string, string[]>();
  for (const path of library()) graph.set(path, valueImports(path));
  assert(graph.size > 20, "the source files were found");
  const state = new Map<string, "open" | "done">();
  const cycles: string[] = [];
  const visit = (path: string, stack: string[]) => {
    const seen = state.get(path);
    if (seen === "done") return;
    if (seen === "open") {
      const loop = stack.slice(stack.indexOf(path)).concat(path);
      cycles.push(loop.map((p) => relative(root, p)).join(" → "));
      return;
    }
    state.set(path, "open");
    for (const next of graph.get(path) ?? []) visit(next, [...stack, path]);
    state.set(path, "done");
  };
  for (const path of graph.keys()) visit(path, []);
  assertEquals(cycles, []);
});
