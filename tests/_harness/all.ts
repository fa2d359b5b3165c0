// Copyright the pysocket authors. MIT license.
/**
 * The test command for every runtime (`deno task test`). Two runs side by
 * side where the machine has two CPUs (`--jobs=N` or `PYSOCKET_JOBS`: N;
 * `--jobs=1`: one after another), each run's output printed whole and in
 * the runs' order, the first as it comes:
 *
 * | run           | what                                                          |
 * | ------------- | ------------------------------------------------------------- |
 * | `deno`        | `deno test --doc` with the suite's permissions: tests/, tests/deno/, the API docs' and README's examples |
 * | `deno-stable` | the conformance suite once more on Deno without `"unstable": ["net"]` (a config made from `deno.json`, see `resolve.ts`): no `Deno.listenDatagram`, so UDP takes Deno's `node:dgram` |
 * | `node24`, `node22`, `bun` | the conformance suite through `runner.ts` |
 *
 * then one line per run (`node22: 301 passed, 0 failed, 4 ignored`) and the
 * total (`tests: 1500 passed, 0 failed`). Exits 1 when a test failed, or
 * when a runtime is missing and `CI` is set.
 *
 * ```sh
 * deno run -A tests/_harness/all.ts [--runtime=deno,node24,…] [--jobs=N] [--filter TEXT] [files…]
 * deno task test                              # everything
 * deno task test:node tests/socket_test.ts    # one file on Node 24 and 22
 * deno task test --runtime=bun --filter recv  # some tests on Bun
 * ```
 *
 * Runtimes: `PYSOCKET_DENO`, `PYSOCKET_NODE24`, `PYSOCKET_NODE22`,
 * `PYSOCKET_BUN` (paths to the programs), else `PATH`: `node24`/`node22`,
 * or `node` by its `--version`; `bun`; `deno` (this one, when it runs on
 * Deno). Node before 22 cannot run the suite (no `module.registerHooks`).
 * A runtime not found is skipped and says why; with `CI` set that fails.
 *
 * deno-std for Node and Bun: `PYSOCKET_DENO_STD`, `node_modules`, or Deno's
 * npm cache (filled by `deno install` here if need be); passed on to the
 * runs. esbuild for Node 22: `PYSOCKET_ESBUILD` (see `node_hooks.ts`).
 *
 * Runs on Deno, Node or Bun: only `node:` modules.
 *
 * @module
 */

import { spawn, spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism, tmpdir } from "node:os";
import { delimiter, dirname, join, relative, resolve, sep } from "node:path";
import process from "node:process";
import {
  bunTsconfig,
  conformanceFiles,
  denoStableConfig,
  importMap,
  ROOT,
} from "./resolve.ts";

/** The runs, in the order they go. */
const RUNS = ["deno", "deno-stable", "node24", "node22", "bun"] as const;
type RunName = typeof RUNS[number];

/** Permissions of the Deno runs (the tests spawn, read, write temp files). */
const DENO_PERMISSIONS = [
  "--allow-net",
  "--allow-sys=hostname",
  "--allow-run",
  "--allow-env",
  "--allow-read",
  `--allow-write=${tmpdir()}`,
];

const HARNESS = join(ROOT, "tests", "_harness");
const DENO_ONLY = join(ROOT, "tests", "deno") + sep;

interface Outcome {
  run: RunName;
  passed: number;
  failed: number;
  ignored: number;
  /** Why it did not run, or what went wrong beyond failed tests. */
  note?: string;
  /** Not run: its runtime is missing (a failure in CI), or no file is for it. */
  skipped?: "missing" | "nothing to run";
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string): string[] {
  return (process.env.PATH ?? "").split(delimiter).filter(Boolean)
    .map((dir) => join(dir, name)).filter(executable);
}

/** Why the last {@linkcode version} call found nothing, for the notes. */
let versionFailure = "";

/** `program --version`, or `undefined` when it does not run. */
function version(program: string): string | undefined {
  const out = spawnSync(program, ["--version"], { encoding: "utf8" });
  if (out.status === 0) return out.stdout.trim().split("\n")[0];
  versionFailure = `${program} --version: ${
    out.error?.message ?? `exit ${out.status}, ${out.stderr.trim()}`
  }`;
  return undefined;
}

function nodeMajor(v: string): number {
  return Number(/^v?(\d+)/.exec(v)?.[1] ?? 0);
}

/** The program for a run, or why there is none. */
function find(run: RunName): { program: string; version: string } | string {
  const envName: Record<RunName, string> = {
    "deno": "PYSOCKET_DENO",
    "deno-stable": "PYSOCKET_DENO",
    "node24": "PYSOCKET_NODE24",
    "node22": "PYSOCKET_NODE22",
    "bun": "PYSOCKET_BUN",
  };
  const given = process.env[envName[run]];
  if (run === "deno" || run === "deno-stable") {
    const candidates = given
      ? [given]
      : "Deno" in globalThis
      ? [process.execPath]
      : onPath("deno");
    for (const program of candidates) {
      const v = version(program);
      if (v) return { program, version: v };
    }
    return given
      ? `${envName[run]}=${given} does not run`
      : "deno not found (set PYSOCKET_DENO or put deno on PATH)";
  }
  if (run === "bun") {
    for (const program of given ? [given] : onPath("bun")) {
      const v = version(program);
      if (v) return { program, version: `bun ${v}` };
    }
    return given
      ? `PYSOCKET_BUN=${given} does not run`
      : "bun not found (set PYSOCKET_BUN or put bun on PATH)";
  }
  const major = run === "node24" ? 24 : 22;
  const notes: string[] = [];
  const candidates = given ? [given] : [...onPath(run), ...onPath("node")];
  for (const program of candidates) {
    const v = version(program);
    if (!v) {
      notes.push(versionFailure);
      continue;
    }
    if (nodeMajor(v) === major) return { program, version: `node ${v}` };
    notes.push(
      `${program} is ${v}${
        nodeMajor(v) < 22 ? " (Node < 22 cannot run the suite)" : ""
      }`,
    );
  }
  return `Node ${major} not found (set ${
    envName[run]
  } or put ${run} or node ${major} on PATH)` +
    (notes.length ? `; ${notes.join("; ")}` : "");
}

/** Deno's summary line (ours prints the same): the numbers in it. */
function summary(
  text: string,
): { passed: number; failed: number; ignored: number } | undefined {
  // deno-lint-ignore no-control-regex
  const lines = text.replace(/\x1b\[[0-9;]*m/g, "").split("\n")
    .filter((l) => /^(ok|FAILED) \| \d+ passed/.test(l));
  const last = lines.at(-1);
  if (last === undefined) return undefined;
  const n = (re: RegExp) => Number(re.exec(last)?.[1] ?? 0);
  return {
    passed: n(/(\d+) passed/),
    failed: n(/(\d+) failed/),
    ignored: n(/(\d+) ignored/),
  };
}

/**
 * Seconds a whole run may take (`PYSOCKET_RUN_TIMEOUT`): `deno test` has no
 * per-test limit, and five runs must fit in CI's time even if one hangs.
 * Deno's run took 150–250 s on the 2-core machine this was written on
 * (its ~370 documentation examples load the module once each), and more
 * than 600 s there with other test runs loading both cores, so the limit
 * leaves room for a loaded machine while five hung runs still end within
 * CI's 90 minutes.
 */
const RUN_TIMEOUT_S = Number(process.env.PYSOCKET_RUN_TIMEOUT) || 1000;

/**
 * Where a run's output goes: the terminal while it is the first run not yet
 * printed, else a buffer printed when the runs before it are done, so that
 * runs side by side print as if one came after another.
 */
class Outlet {
  #live = false;
  #held: { err: boolean; text: string }[] = [];
  #ended = false;
  #onEnd: (() => void) | null = null;

  /** Output from the run (stdout, or stderr with `err`). */
  write(text: string, err = false): void {
    if (this.#live) (err ? process.stderr : process.stdout).write(text);
    else this.#held.push({ err, text });
  }

  /** The runs before this one are printed: print what it held, go live. */
  goLive(onEnd: () => void): void {
    for (const { err, text } of this.#held) {
      (err ? process.stderr : process.stdout).write(text);
    }
    this.#held = [];
    this.#live = true;
    if (this.#ended) onEnd();
    else this.#onEnd = onEnd;
  }

  /** The run is over: the next run's output may follow. */
  end(): void {
    this.#ended = true;
    this.#onEnd?.();
  }
}

/**
 * Runs `argv`, its output to `out`; resolves with its exit code and the
 * tail of its stdout. A run past {@linkcode RUN_TIMEOUT_S} is killed.
 */
function stream(
  argv: string[],
  env: Record<string, string>,
  out: Outlet,
): Promise<{ code: number; tail: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let tail = "";
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      out.write(
        `\nerror: the run took more than ${RUN_TIMEOUT_S} s (PYSOCKET_RUN_TIMEOUT): stopped\n`,
      );
      child.kill("SIGKILL");
    }, RUN_TIMEOUT_S * 1000);
    child.stdout!.setEncoding("utf8");
    child.stdout!.on("data", (text: string) => {
      out.write(text);
      tail = (tail + text).slice(-16_384);
    });
    child.stderr!.setEncoding("utf8");
    child.stderr!.on("data", (text: string) => out.write(text, true));
    let settled = false;
    const done = (code: number) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ code, tail, timedOut });
    };
    child.once("error", (err) => {
      out.write(`error: ${err.message}\n`);
      done(127);
    });
    // After a kill, its children may still hold stdout: do not wait for it.
    child.once("exit", (code) => {
      if (timedOut) done(code ?? 137);
    });
    child.once("close", (code, signal) => done(code ?? (signal ? 128 : 1)));
  });
}

/**
 * How many runs go side by side (`--jobs=N`, `PYSOCKET_JOBS`): by default
 * two where the machine has two CPUs or more (most of a run waits on
 * sockets and timers, so two share two CPUs well), else one.
 */
function defaultJobs(): number {
  const given = Number(process.env.PYSOCKET_JOBS);
  if (Number.isInteger(given) && given > 0) return given;
  return Math.min(2, Math.max(1, availableParallelism()));
}

/** deno.json's npm packages for Node and Bun, installed if only Deno has them. */
function npmEnv(deno: string | undefined): Record<string, string> | string {
  try {
    importMap();
  } catch (err) {
    if (deno === undefined) return (err as Error).message;
    // Fills Deno's npm cache with what deno.json names.
    spawnSync(deno, ["install"], { cwd: ROOT, stdio: "inherit" });
    try {
      importMap();
    } catch (again) {
      return (again as Error).message;
    }
  }
  const env: Record<string, string> = {};
  const std = importMap().get("@std/assert");
  if (std) {
    // …/deno-std/assert/mod.js → …/deno-std
    env.PYSOCKET_DENO_STD = dirname(dirname(std));
  }
  return env;
}

/** Why Node 22 cannot lower `using` here (no esbuild), or `undefined`. */
function noEsbuild(): string | undefined {
  const given = process.env.PYSOCKET_ESBUILD;
  try {
    createRequire(join(ROOT, "package.json")).resolve(given || "esbuild");
    return undefined;
  } catch {
    return given
      ? `PYSOCKET_ESBUILD=${given}: no esbuild there`
      : "Node 22 cannot parse `using`, and esbuild, which lowers it, was not found: set PYSOCKET_ESBUILD (npm install --prefix <dir> esbuild → <dir>/node_modules/esbuild)";
  }
}

function parseArgs(argv: string[]): {
  runs: RunName[];
  filter: string[];
  files: string[];
  jobs: number;
} {
  let runs: RunName[] = [...RUNS];
  let jobs = defaultJobs();
  const filter: string[] = [];
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--runtime" || arg.startsWith("--runtime=")) {
      const value = arg.includes("=") ? arg.slice(10) : argv[++i];
      runs = value.split(",").map((r) => r.trim()).filter(Boolean).map(
        (r) => {
          if (!(RUNS as readonly string[]).includes(r)) {
            throw new Error(`--runtime: ${r}? (one of ${RUNS.join(", ")})`);
          }
          return r as RunName;
        },
      );
    } else if (arg === "--jobs" || arg.startsWith("--jobs=")) {
      const value = arg.includes("=") ? arg.slice(7) : argv[++i];
      jobs = Number(value);
      if (!Number.isInteger(jobs) || jobs < 1) {
        throw new Error(`--jobs: ${value}? (a whole number, 1 or more)`);
      }
    } else if (arg === "--filter" || arg.startsWith("--filter=")) {
      filter.push("--filter", arg.includes("=") ? arg.slice(9) : argv[++i]);
    } else files.push(resolve(arg));
  }
  return { runs, filter, files, jobs };
}

async function main(): Promise<number> {
  const { runs, filter, files, jobs } = parseArgs(process.argv.slice(2));
  const ci = Boolean(process.env.CI);
  const denoFound = find("deno");
  const deno = typeof denoFound === "string" ? undefined : denoFound.program;
  let npm: Record<string, string> | string | undefined;

  /** Each run in order: its outcome once known, or how to start it. */
  const plans: {
    out: Outlet;
    outcome?: Outcome;
    start?: () => Promise<Outcome>;
  }[] = [];
  for (const run of runs) {
    const out = new Outlet();
    const found = run === "deno" || run === "deno-stable"
      ? denoFound
      : find(run);
    const skip = (note: string, missing = true) => {
      plans.push({
        out,
        outcome: {
          run,
          passed: 0,
          failed: 0,
          ignored: 0,
          note,
          skipped: missing ? "missing" : "nothing to run",
        },
      });
      out.write(`\n=== ${run}: skipped: ${note}\n`);
      out.end();
    };
    if (typeof found === "string") {
      skip(found);
      continue;
    }
    // tests/deno/ is Deno's own: only the `deno` run takes it.
    const portable = files.filter((f) => !f.startsWith(DENO_ONLY));
    const own = run === "deno" ? files : portable;
    if (files.length > 0 && own.length === 0) {
      skip("no files for it (tests/deno/ runs on Deno only)", false);
      continue;
    }
    let argv: string[];
    const env: Record<string, string> = {};
    if (run === "deno") {
      argv = [
        found.program,
        "test",
        ...DENO_PERMISSIONS,
        ...(own.length ? [] : ["--doc"]),
        ...filter,
        ...own,
      ];
    } else if (run === "deno-stable") {
      const config = denoStableConfig();
      env.PYSOCKET_DENO_CONFIG = config;
      argv = [
        found.program,
        "test",
        "--config",
        config,
        ...DENO_PERMISSIONS,
        ...filter,
        ...(own.length ? own : conformanceFiles()),
      ];
    } else {
      const why = run === "node22" ? noEsbuild() : undefined;
      if (why !== undefined) {
        skip(why);
        continue;
      }
      npm ??= npmEnv(deno);
      if (typeof npm === "string") {
        skip(npm);
        continue;
      }
      Object.assign(env, npm);
      const runner = join(HARNESS, "runner.ts");
      argv = run === "bun"
        ? [
          found.program,
          "--no-install",
          `--tsconfig-override=${bunTsconfig()}`,
          runner,
        ]
        : [
          found.program,
          ...(run === "node22" ? ["--enable-source-maps"] : []),
          "--import",
          join(HARNESS, "node_hooks.ts"),
          runner,
        ];
      argv.push(...filter, ...own);
    }
    const start = async (): Promise<Outcome> => {
      out.write(
        `\n=== ${run}: ${found.version}\n+ ${
          argv.map((a) => a.startsWith(ROOT) ? relative(ROOT, a) || "." : a)
            .join(" ")
        }\n\n`,
      );
      const { code, tail, timedOut } = await stream(argv, env, out);
      out.end();
      const counts = summary(tail);
      if (timedOut) {
        return {
          run,
          passed: 0,
          failed: 1,
          ignored: 0,
          note:
            `stopped after ${RUN_TIMEOUT_S} s (PYSOCKET_RUN_TIMEOUT), counted as 1 failed`,
        };
      }
      if (counts === undefined) {
        return {
          run,
          passed: 0,
          failed: 1,
          ignored: 0,
          note: `no summary: it exited with code ${code}, counted as 1 failed`,
        };
      }
      if (
        filter.length === 0 &&
        counts.passed + counts.failed + counts.ignored === 0
      ) {
        return {
          run,
          ...counts,
          failed: 1,
          note: `it ran no tests (exit code ${code}), counted as 1 failed`,
        };
      }
      if (code !== 0 && counts.failed === 0) {
        return {
          run,
          ...counts,
          failed: 1,
          note: `exit code ${code}, counted as 1 failed`,
        };
      }
      return { run, ...counts };
    };
    plans.push({ out, start });
  }

  // The outlets go live one after another, in the runs' order.
  const printed = new Promise<void>((resolve) => {
    const next = (i: number) => {
      if (i === plans.length) resolve();
      else plans[i].out.goLive(() => next(i + 1));
    };
    next(0);
  });
  // `jobs` runs at a time, started in order.
  let at = 0;
  const worker = async () => {
    while (at < plans.length) {
      const plan = plans[at++];
      if (plan.start) plan.outcome = await plan.start();
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
  await printed;
  const outcomes = plans.map((p) => p.outcome!);

  const width = Math.max(...outcomes.map((o) => o.run.length)) + 1;
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  process.stdout.write("\n");
  for (const o of outcomes) {
    const name = `${o.run}:`.padEnd(width);
    if (o.skipped) {
      const missing = o.skipped === "missing";
      if (missing) skipped++;
      process.stdout.write(
        `${name} skipped${
          missing && ci ? " (a failure in CI)" : ""
        }: ${o.note}\n`,
      );
      continue;
    }
    passed += o.passed;
    failed += o.failed;
    process.stdout.write(
      `${name} ${o.passed} passed, ${o.failed} failed, ${o.ignored} ignored` +
        (o.note ? ` (${o.note})` : "") + "\n",
    );
  }
  process.stdout.write(
    `tests: ${passed} passed, ${failed} failed` +
      (skipped
        ? ` (${skipped} runtime${skipped > 1 ? "s" : ""} skipped)`
        : "") +
      "\n",
  );
  return failed > 0 || (ci && skipped > 0) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(2);
  },
);
