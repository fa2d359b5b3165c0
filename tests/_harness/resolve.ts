// Copyright the pysocket authors. MIT license.
/**
 * Bare specifiers on Node and Bun, as Deno resolves them from `deno.json`:
 * its `imports` map (`@std/assert` → `npm:deno-std@1.4.0/assert/mod.js` →
 * that file of an installed deno-std) and the package's own name with its
 * `exports` (`@pysocket/socket` → `./mod.ts`, `@pysocket/socket/ssl` →
 * `./ssl.ts`, …).
 *
 * Where an npm package is found, first match wins:
 * 1. deno-std: the directory in `PYSOCKET_DENO_STD`;
 * 2. `node_modules/<name>` in the repository or a directory above it;
 * 3. Deno's npm cache (`$DENO_DIR/npm/registry.npmjs.org/<name>/<version>`,
 *    `DENO_DIR` defaulting to `~/.cache/deno`), which `deno test` fills.
 *
 * Synchronous, `node:` modules only: Node's module hooks call it.
 *
 * @module
 */

import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from "node:fs";
import { homedir, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import process from "node:process";
import { fileURLToPath, pathToFileURL } from "node:url";

/** The repository root (where `deno.json` is), as a directory path. */
export const ROOT: string = fileURLToPath(new URL("../../", import.meta.url));

/**
 * The conformance suite: `tests/*_test.ts` (not `tests/deno/`, which is
 * Deno's own) and the harness's self-test, sorted as `deno test` sorts.
 *
 * @returns Absolute paths.
 */
export function conformanceFiles(): string[] {
  const tests = join(ROOT, "tests");
  return [
    ...readdirSync(tests)
      .filter((f) => f.endsWith("_test.ts"))
      .sort()
      .map((f) => join(tests, f)),
    join(tests, "_harness", "self_test.ts"),
  ];
}

interface DenoJson {
  name?: string;
  exports?: string | Record<string, string>;
  imports?: Record<string, string>;
}

function denoJson(): DenoJson {
  return JSON.parse(readFileSync(join(ROOT, "deno.json"), "utf8"));
}

/** Deno's cache directory, as `deno info` reports it by default. */
function denoDir(): string {
  if (process.env.DENO_DIR) return process.env.DENO_DIR;
  if (process.platform === "darwin") {
    return join(homedir(), "Library", "Caches", "deno");
  }
  return join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "deno");
}

/**
 * The directory of an installed npm package.
 *
 * @param name The package name, e.g. `deno-std`.
 * @param version The exact version `deno.json` asks for; `""` for any.
 * @returns The package's directory.
 * @throws {Error} When it is nowhere to be found, naming where it looked.
 */
export function findNpmPackage(name: string, version: string): string {
  const looked: string[] = [];
  if (name === "deno-std" && process.env.PYSOCKET_DENO_STD) {
    const dir = process.env.PYSOCKET_DENO_STD;
    if (existsSync(join(dir, "package.json"))) return dir;
    looked.push(`PYSOCKET_DENO_STD=${dir}`);
  }
  for (let dir = ROOT;; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (matches(candidate, version)) return candidate;
    if (dirname(dir) === dir) break;
  }
  looked.push(`node_modules/${name} from ${ROOT} up`);
  if (version) {
    const cached = join(denoDir(), "npm", "registry.npmjs.org", name, version);
    if (existsSync(join(cached, "package.json"))) return cached;
    looked.push(cached);
  }
  throw new Error(
    `npm package ${name}@${version || "*"} not found (looked in: ${
      looked.join("; ")
    }). Run \`deno task test:deno\` once (it fills Deno's npm cache), ` +
      `\`npm install ${name}@${version}\`, or set ${
        name === "deno-std" ? "PYSOCKET_DENO_STD" : "DENO_DIR"
      }.`,
  );
}

function matches(dir: string, version: string): boolean {
  try {
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    return !version || pkg.version === version;
  } catch {
    return false;
  }
}

/** `npm:name@version/sub/path` → the file's absolute path. */
function npmTarget(target: string): string {
  const m = /^npm:\/?((?:@[^/]+\/)?[^@/]+)(?:@([^/]+))?(?:\/(.*))?$/.exec(
    target,
  );
  if (!m) throw new Error(`deno.json: cannot read the npm specifier ${target}`);
  const [, name, version = "", sub = ""] = m;
  return join(findNpmPackage(name, version), sub);
}

/**
 * `deno.json`'s bare specifiers, each to an absolute file path: the
 * `imports` map and the package's own name with its `exports`. A key ending
 * in `/` maps a prefix, as in an import map.
 *
 * @returns Specifier → absolute path (or directory path for prefix keys).
 * @throws {Error} When an npm package in the map is not installed.
 */
export function importMap(): Map<string, string> {
  const config = denoJson();
  const map = new Map<string, string>();
  for (const [key, target] of Object.entries(config.imports ?? {})) {
    if (target.startsWith("npm:")) map.set(key, npmTarget(target));
    else if (target.startsWith(".") || target.startsWith("/")) {
      map.set(key, join(ROOT, target));
    } else {
      // jsr:, https: — nothing for Node or Bun to load from here.
      continue;
    }
  }
  for (const [key, path] of ownExports(config)) map.set(key, path);
  return map;
}

/** The package's own name and its subpaths (`exports`), to absolute paths. */
function ownExports(config: DenoJson): [string, string][] {
  if (!config.name) return [];
  const exports = typeof config.exports === "string"
    ? { ".": config.exports }
    : config.exports ?? {};
  return Object.entries(exports).map(([sub, target]) => [
    sub === "." ? config.name! : `${config.name}/${sub.slice(2)}`,
    join(ROOT, target),
  ]);
}

/**
 * Looks a bare specifier up in {@linkcode importMap}'s result.
 *
 * @param map The map.
 * @param specifier What the module imports.
 * @returns The absolute path, or `undefined` when the map has no entry.
 */
export function lookup(
  map: Map<string, string>,
  specifier: string,
): string | undefined {
  const exact = map.get(specifier);
  if (exact !== undefined) return exact;
  for (const [key, target] of map) {
    if (key.endsWith("/") && specifier.startsWith(key)) {
      return join(target, specifier.slice(key.length));
    }
  }
  return undefined;
}

/** Writes `text` under the temporary directory, named by its content. */
function writeTemp(stem: string, text: string): string {
  const hash = createHash("sha256").update(text).digest("hex").slice(0, 16);
  const dir = join(tmpdir(), "pysocket-harness");
  const file = join(dir, `${stem}-${hash}.json`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const temp = `${file}.${process.pid}`;
    writeFileSync(temp, text);
    // Atomic: runs started at the same time never read half a file.
    renameSync(temp, file);
  }
  return file;
}

/**
 * A Deno config for the suite without `"unstable": ["net"]`, so that
 * `Deno.listenDatagram` is missing and UDP goes through Deno's `node:dgram`:
 * `deno.json`'s imports and compiler options, the package's own name and its
 * exports as imports, no lock file. Made from `deno.json` each time, so the
 * two cannot drift; written under the temporary directory.
 *
 * @returns The config's path, for `deno test --config <path>`.
 */
export function denoStableConfig(): string {
  const config = denoJson() as DenoJson & {
    compilerOptions?: Record<string, unknown>;
  };
  const imports: Record<string, string> = {};
  for (const [key, target] of Object.entries(config.imports ?? {})) {
    imports[key] = target.startsWith(".")
      ? pathToFileURL(join(ROOT, target)).href
      : target;
  }
  for (const [key, path] of ownExports(config)) {
    imports[key] = pathToFileURL(path).href;
  }
  const text = JSON.stringify(
    { imports, compilerOptions: config.compilerOptions ?? {}, lock: false },
    null,
    2,
  ) + "\n";
  return writeTemp("deno-stable", text);
}

/**
 * Bun's runtime plugins do not see bare specifiers (`onResolve` never fires
 * for them in Bun 1.4, oven-sh/bun#40579), but Bun honours `compilerOptions.
 * paths` of the tsconfig given with `--tsconfig-override`. This writes one
 * with {@linkcode importMap} in it, under the temporary directory, named by
 * its content.
 *
 * @returns The tsconfig's path, for `bun --tsconfig-override <path>`.
 * @throws {Error} When an npm package in the map is not installed.
 */
export function bunTsconfig(): string {
  const paths: Record<string, string[]> = {};
  for (const [key, target] of importMap()) {
    if (key.endsWith("/")) paths[`${key}*`] = [join(target, "*")];
    else paths[key] = [target];
  }
  const text = JSON.stringify({ compilerOptions: { paths } }, null, 2) + "\n";
  return writeTemp("tsconfig", text);
}
