// Copyright the pysocket authors. MIT license.
/**
 * pysocket bundled as a user's bundler does it (esbuild, from
 * `PYSOCKET_ESBUILD`), then imported: what a bundle or a minifier changes.
 *
 * @module
 */

import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { env, makeTempDir, remove, REPO_ROOT, writeTextFile } from "./_util.ts";

/** Where esbuild is (`npm install esbuild`), if set. */
export const ESBUILD: string | undefined = env("PYSOCKET_ESBUILD");

/**
 * Bundles `entry` (TS code that imports from the repository's root) with
 * esbuild, minified or not, checks the bundle's code, and imports it.
 *
 * @param entry The entry's code.
 * @param minify Whether to minify.
 * @param check Called with the bundle's code first (throws if it is not
 * as the test needs).
 * @returns The bundle's module.
 */
export async function importBundle<T>(
  entry: string,
  minify: boolean,
  check: (code: string) => void,
): Promise<T> {
  const esbuild = createRequire(join(REPO_ROOT, "package.json"))(
    ESBUILD as string,
  ) as {
    build(options: Record<string, unknown>): Promise<{
      outputFiles: { text: string }[];
    }>;
    stop(): void;
  };
  const out = await esbuild.build({
    stdin: { contents: entry, resolveDir: REPO_ROOT, loader: "ts" },
    bundle: true,
    minify,
    write: false,
    format: "esm",
    platform: "node",
    logLevel: "silent",
  }).finally(() => esbuild.stop());
  const code = out.outputFiles[0].text;
  check(code);
  const dir = await makeTempDir();
  try {
    const file = join(dir, "bundle.mjs");
    await writeTextFile(file, code);
    return await import(pathToFileURL(file).href);
  } finally {
    await remove(dir, { recursive: true });
  }
}
