// Copyright the pysocket authors. MIT license.
/**
 * Node's module hooks for tests and examples, registered with
 * `node --import ./tests/_harness/node_hooks.ts <script>` (synchronous
 * `module.registerHooks`, Node ≥ 22.15):
 *
 * - resolve: the bare specifiers of `deno.json` (see `resolve.ts`);
 * - load, only where Node cannot parse `using` / `await using` (Node 22):
 *   test and example files that declare with `using` are lowered with
 *   esbuild, loaded at the first of them (`PYSOCKET_ESBUILD`, a
 *   path to the esbuild package, or `esbuild` as `require` finds it from the
 *   repository). `src/` and `mod.ts` are never transformed: the library
 *   must load on Node as it is.
 *
 * Node strips TypeScript types itself (22.18+ and 24 need no flag).
 *
 * This file and `resolve.ts` are loaded before the hooks exist: no `using`
 * in them.
 *
 * @module
 */

import { createRequire, registerHooks } from "node:module";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { importMap, lookup, ROOT } from "./resolve.ts";

/** Can this Node parse `using` and `await using`? */
function parsesUsing(): boolean {
  try {
    new Function("using x = null;");
    const AsyncFunction = (async () => {}).constructor as FunctionConstructor;
    new AsyncFunction("await using x = null;");
    return true;
  } catch {
    return false;
  }
}

interface Esbuild {
  transformSync(
    code: string,
    options: Record<string, unknown>,
  ): { code: string };
}

function loadEsbuild(): Esbuild {
  const require = createRequire(join(ROOT, "package.json"));
  const given = process.env.PYSOCKET_ESBUILD;
  try {
    return require(given || "esbuild") as Esbuild;
  } catch (err) {
    throw new Error(
      `Node ${process.versions.node} cannot parse \`using\`: test files are lowered with esbuild, which was not found` +
        (given ? ` at PYSOCKET_ESBUILD=${given}` : "") +
        ". Set PYSOCKET_ESBUILD to an installed esbuild package (npm install --prefix <dir> esbuild → <dir>/node_modules/esbuild).",
      { cause: err },
    );
  }
}

const lowered = [join(ROOT, "tests"), join(ROOT, "examples")].map((dir) =>
  pathToFileURL(dir).href + "/"
);
/**
 * Lowering is needed (Node 22); esbuild is loaded at the first file that
 * declares with `using` (a file without it runs as it is).
 */
const lowering = !parsesUsing();
let esbuild: Esbuild | undefined;
let map: Map<string, string> | undefined;

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (!/^[./]|^[a-z]+:/.test(specifier)) {
      map ??= importMap();
      const path = lookup(map, specifier);
      if (path !== undefined) {
        return { url: pathToFileURL(path).href, shortCircuit: true };
      }
    }
    return nextResolve(specifier, context);
  },
  load(url, context, nextLoad) {
    const result = nextLoad(url, context);
    if (
      !lowering || !/\.m?ts$/.test(url) ||
      !lowered.some((dir) => url.startsWith(dir))
    ) {
      return result;
    }
    const source = typeof result.source === "string"
      ? result.source
      : new TextDecoder().decode(result.source as Uint8Array);
    // A declaration: `using name =` (also after `await`).
    if (!/\busing\s+[\p{L}_$][\p{L}\p{N}_$]*\s*=/u.test(source)) return result;
    esbuild ??= loadEsbuild();
    const { code } = esbuild.transformSync(source, {
      loader: "ts",
      target: "node22",
      format: "esm",
      sourcefile: fileURLToPath(url),
      sourcemap: "inline",
    });
    return { format: "module", source: code, shortCircuit: true };
  },
});
