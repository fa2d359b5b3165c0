// Copyright the pysocket authors. MIT license.
/**
 * What a newcomer reads, checked: every export of every entry point has an
 * `@example` (from `deno doc --json`), and the code a user copies (the
 * examples/, the README's `ts` blocks, the JSDoc examples) has no type
 * cast (`as T`, `as unknown`) and no non-null assertion (`x!`).
 *
 * Deno only (it runs `deno doc`). `tests/deno/docs_test.ts` runs the
 * checks; `deno run -A tests/_docs.ts [root]` prints what they find.
 *
 * @module
 */

import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's root. */
export const ROOT: string = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The entry points, from deno.json's `exports`. */
export function entryPoints(root: string = ROOT): string[] {
  const config = JSON.parse(Deno.readTextFileSync(join(root, "deno.json")));
  return Object.values(config.exports as Record<string, string>).map((p) =>
    join(root, p)
  );
}

interface DocTag {
  kind: string;
  /** The tag's text (an `@example`'s title and code blocks). */
  doc?: string;
}
interface DocNode {
  name: string;
  declarations: {
    kind: string;
    jsDoc?: { tags?: DocTag[] };
    def?: { methods?: { name: string }[]; properties?: { name: string }[] };
  }[];
}

/** The `deno doc --json` nodes of the entry points, by module URL. */
async function docNodes(
  root: string,
): Promise<Record<string, { symbols: DocNode[] }>> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["doc", "--json", ...entryPoints(root)],
    cwd: root,
    stderr: "inherit",
  }).output();
  if (!out.success) throw new Error("deno doc --json failed");
  return (JSON.parse(new TextDecoder().decode(out.stdout)) as {
    nodes: Record<string, { symbols: DocNode[] }>;
  }).nodes;
}

/**
 * An `@example` that `deno test --doc` runs: one of its code blocks is
 * `ts` (or `typescript`, `js`, `javascript`) without `ignore`.
 */
function runnable(tag: DocTag): boolean {
  if (tag.kind !== "example") return false;
  const fences = (tag.doc ?? "").matchAll(/^\s*```(\w+)(.*)$/gm);
  return [...fences].some(([, lang, rest]) =>
    /^(ts|typescript|js|javascript)$/.test(lang) && !/\bignore\b/.test(rest)
  );
}

/**
 * `module:name` of every export of the entry points without a runnable
 * `@example` (an example whose only block is ```` ```ts ignore ```` is not
 * one).
 */
export async function withoutExample(root: string = ROOT): Promise<string[]> {
  const nodes = await docNodes(root);
  // A name re-exported by several entry points is documented once.
  const documented = new Set<string>();
  const missing: [string, string][] = [];
  for (const [url, { symbols }] of Object.entries(nodes)) {
    const module = relative(root, fileURLToPath(url));
    for (const symbol of symbols) {
      const has = symbol.declarations.some((d) =>
        d.jsDoc?.tags?.some(runnable)
      );
      const reference = symbol.declarations.every((d) =>
        d.kind === "reference"
      );
      if (has) documented.add(symbol.name);
      else missing.push([module, symbol.name + (reference ? "@ref" : "")]);
    }
  }
  return missing
    .filter(([, name]) =>
      !(name.endsWith("@ref") && documented.has(name.slice(0, -4)))
    )
    .map(([module, name]) => `${module}: ${name.replace(/@ref$/, "")}`);
}

/** One cast or non-null assertion found. */
export interface Cast {
  /** `file:line`. */
  where: string;
  /** The line, trimmed. */
  text: string;
}

/** Blanks comments and string contents, keeping lines and columns. */
function codeOnly(source: string): string {
  let out = "";
  let i = 0;
  const blank = (s: string) => s.replace(/[^\n]/g, " ");
  while (i < source.length) {
    const c = source[i];
    const next = source[i + 1];
    if (c === "/" && next === "/") {
      const end = source.indexOf("\n", i);
      const stop = end === -1 ? source.length : end;
      out += blank(source.slice(i, stop));
      i = stop;
    } else if (c === "/" && next === "*") {
      const end = source.indexOf("*/", i + 2);
      const stop = end === -1 ? source.length : end + 2;
      out += blank(source.slice(i, stop));
      i = stop;
    } else if (c === '"' || c === "'" || c === "`") {
      out += c;
      let j = i + 1;
      while (j < source.length && source[j] !== c) {
        if (c === "`" && source[j] === "$" && source[j + 1] === "{") {
          // A template's `${…}` is code.
          let depth = 1;
          let k = j + 2;
          while (k < source.length && depth > 0) {
            if (source[k] === "{") depth++;
            else if (source[k] === "}") depth--;
            k++;
          }
          out += "${" + codeOnly(source.slice(j + 2, k - 1)) + "}";
          j = k;
          continue;
        }
        if (source[j] === "\\") {
          out += blank(source.slice(j, j + 2));
          j += 2;
          continue;
        }
        if (c !== "`" && source[j] === "\n") break;
        out += blank(source[j]);
        j++;
      }
      out += source[j] ?? "";
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

const CAST = /\bas\s+(?!\*)[\w{[(]|<[A-Z]\w*>\s*[\w(]/;
const NON_NULL = /[\w)\]]!(?=[.,;)\]\s[])/;

/** The casts in TS `code` that starts at line `first` of `file`. */
function castsIn(code: string, file: string, first: number): Cast[] {
  const found: Cast[] = [];
  const raw = code.split("\n");
  codeOnly(code).split("\n").forEach((line, i) => {
    const stripped = line.replace(
      /\b(import|export)\s+(type\s+)?\*\s+as\b/g,
      "",
    );
    if (CAST.test(stripped) || NON_NULL.test(stripped)) {
      found.push({ where: `${file}:${first + i}`, text: raw[i].trim() });
    }
  });
  return found;
}

/** The `ts` code blocks of Markdown or JSDoc text, with their first line. */
function blocks(text: string, jsdoc: boolean): [string, number][] {
  const out: [string, number][] = [];
  const lines = text.split("\n");
  let start = -1;
  let body: string[] = [];
  lines.forEach((line, i) => {
    const l = jsdoc ? line.replace(/^\s*\* ?/, "") : line;
    if (start === -1) {
      if (
        /^\s*```(ts|typescript)\b/.test(l) && (!jsdoc || /^\s*\*/.test(line))
      ) {
        start = i + 1;
        body = [];
      }
    } else if (/^\s*```\s*$/.test(l)) {
      out.push([body.join("\n"), start + 1]);
      start = -1;
    } else body.push(l);
  });
  return out;
}

function walk(dir: string): string[] {
  const files: string[] = [];
  for (const entry of Deno.readDirSync(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) files.push(...walk(path));
    else if (entry.name.endsWith(".ts")) files.push(path);
  }
  return files.sort();
}

/**
 * Casts and non-null assertions in what users copy: examples/ (the code),
 * README.md's `ts` blocks and the `ts` blocks of the JSDoc in the entry
 * points and src/.
 */
export function casts(root: string = ROOT): Cast[] {
  const found: Cast[] = [];
  for (const path of walk(join(root, "examples"))) {
    found.push(
      ...castsIn(Deno.readTextFileSync(path), relative(root, path), 1),
    );
  }
  const readme = join(root, "README.md");
  for (const [code, line] of blocks(Deno.readTextFileSync(readme), false)) {
    found.push(...castsIn(code, "README.md", line));
  }
  for (const path of [...entryPoints(root), ...walk(join(root, "src"))]) {
    const text = Deno.readTextFileSync(path);
    for (const [code, line] of blocks(text, true)) {
      found.push(...castsIn(code, relative(root, path), line));
    }
  }
  return found;
}

/** The names the entry points export as types only (interfaces, aliases). */
export async function typeOnlyExports(
  root: string = ROOT,
): Promise<Set<string>> {
  const kinds = new Map<string, Set<string>>();
  for (const { symbols } of Object.values(await docNodes(root))) {
    for (const symbol of symbols) {
      const seen = kinds.get(symbol.name) ?? new Set<string>();
      for (const d of symbol.declarations) seen.add(d.kind);
      kinds.set(symbol.name, seen);
    }
  }
  const types = new Set<string>();
  for (const [name, seen] of kinds) {
    if ([...seen].every((k) => k === "interface" || k === "typeAlias")) {
      types.add(name);
    }
  }
  return types;
}

const NAMED_IMPORT =
  /\bimport\s*\{([^}]*)\}\s*from\s*["'](@pysocket\/[^"']*|(?:\.\.?\/)+(?:mod|select|selectors|socketserver|ssl)\.ts)["']/g;

/** Imports of a type-only export without `type` in TS `code`. */
function valueImportsIn(
  code: string,
  types: Set<string>,
  file: string,
  first: number,
): Cast[] {
  const found: Cast[] = [];
  for (const match of code.matchAll(NAMED_IMPORT)) {
    const line = first + code.slice(0, match.index).split("\n").length - 1;
    for (const item of match[1].split(",")) {
      const name = item.trim().split(/\s+as\s+/)[0];
      if (types.has(name)) {
        found.push({
          where: `${file}:${line}`,
          text: `${name} (write type ${name})`,
        });
      }
    }
  }
  return found;
}

/**
 * Imports of a type-only export as a value (`import { AddrInfo }` where
 * `import { type AddrInfo }` is meant) in what users copy: examples/, the
 * README's `ts` blocks and the JSDoc examples. Node's own type stripping keeps
 * such an import, and Node then fails with a `SyntaxError` (no export named
 * `AddrInfo`); Deno and Bun drop it.
 */
export async function valueImportsOfTypes(
  root: string = ROOT,
): Promise<Cast[]> {
  const types = await typeOnlyExports(root);
  const found: Cast[] = [];
  for (const path of walk(join(root, "examples"))) {
    found.push(
      ...valueImportsIn(
        Deno.readTextFileSync(path),
        types,
        relative(root, path),
        1,
      ),
    );
  }
  const readme = Deno.readTextFileSync(join(root, "README.md"));
  for (const [code, line] of blocks(readme, false)) {
    found.push(...valueImportsIn(code, types, "README.md", line));
  }
  for (const path of [...entryPoints(root), ...walk(join(root, "src"))]) {
    for (const [code, line] of blocks(Deno.readTextFileSync(path), true)) {
      found.push(...valueImportsIn(code, types, relative(root, path), line));
    }
  }
  return found;
}

/** Every doc text (`doc` and tags' `doc`) in a `deno doc --json` tree. */
function* docTexts(tree: unknown): Generator<string> {
  if (Array.isArray(tree)) {
    for (const item of tree) yield* docTexts(item);
    return;
  }
  if (tree === null || typeof tree !== "object") return;
  const { jsDoc, ...rest } = tree as {
    jsDoc?: { doc?: string; tags?: DocTag[] };
  };
  if (jsDoc?.doc) yield jsDoc.doc;
  for (const tag of jsDoc?.tags ?? []) if (tag.doc) yield tag.doc;
  yield* docTexts(Object.values(rest));
}

/**
 * The `{@link}` targets that `deno doc --html` (JSR's renderer) shows as
 * plain code and never as a link: an instance member named `Class.member`
 * (deno_doc reads a static; `Class.prototype.member` links), or a name only
 * another entry point exports.
 */
export async function unlinkedTargets(root: string = ROOT): Promise<string[]> {
  const targets = new Set<string>();
  for (const node of Object.values(await docNodes(root))) {
    for (const doc of docTexts(node)) {
      for (
        const [, t] of doc.matchAll(/\{@link(?:code|plain)?\s+([^}\s|]+)/g)
      ) {
        if (!/^(https?|jsr|npm):/.test(t)) targets.add(t);
      }
    }
  }
  const dir = await Deno.makeTempDir();
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["doc", "--html", `--output=${dir}`, ...entryPoints(root)],
      cwd: root,
      stdout: "null",
      stderr: "piped",
    }).output();
    if (!out.success) {
      const said = new TextDecoder().decode(out.stderr);
      throw new Error(`deno doc --html failed: ${said}`);
    }
    const linked = new Set<string>();
    const bare = new Set<string>();
    for await (const file of htmlFiles(dir)) {
      const html = await Deno.readTextFile(file);
      for (const t of targets) {
        const all = html.split(`<code>${t}</code>`).length - 1;
        const asLink = html.split(`"><code>${t}</code></a>`).length - 1;
        if (asLink > 0) linked.add(t);
        if (all > asLink) bare.add(t);
      }
    }
    return [...bare].filter((t) => !linked.has(t)).sort();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** The `.html` files under `dir`. */
async function* htmlFiles(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) yield* htmlFiles(path);
    else if (entry.name.endsWith(".html")) yield path;
  }
}

/**
 * `Class.[key]` of every public member keyed by one of pysocket's own
 * symbols (not a well-known `Symbol.*`): JSR's pages would show a member a
 * user can neither name nor use.
 */
export async function privateSymbolMembers(
  root: string = ROOT,
): Promise<string[]> {
  const found = new Set<string>();
  for (const node of Object.values(await docNodes(root))) {
    for (const symbol of node.symbols) {
      for (const { def } of symbol.declarations) {
        for (
          const member of [...def?.methods ?? [], ...def?.properties ?? []]
        ) {
          if (/^\[(?!Symbol\.)/.test(member.name)) {
            found.add(`${symbol.name}.${member.name}`);
          }
        }
      }
    }
  }
  return [...found].sort();
}

if (import.meta.main) {
  const root = Deno.args[0] ?? ROOT;
  const found = casts(root);
  for (const { where, text } of found) console.log(`${where}: ${text}`);
  console.log(`${found.length} casts or non-null assertions`);
  const missing = await withoutExample(root);
  for (const name of missing) console.log(`no @example: ${name}`);
  console.log(`${missing.length} exports without an @example`);
  const imports = await valueImportsOfTypes(root);
  for (const { where, text } of imports) console.log(`${where}: ${text}`);
  console.log(`${imports.length} types imported as values`);
}
