// Copyright the pysocket authors. MIT license.
/**
 * The test runner for Node and Bun (it runs on Deno too): imports the given
 * test files one after another and runs each file's tests one at a time, in
 * registration order, printing as `deno test` does:
 *
 * ```text
 * running 3 tests from ./tests/socket_test.ts
 * recv() returns what was sent ... ok (3ms)
 * sendfile() over a pipe ... FAILED (12ms)
 *   AssertionError: …
 * resolve functions agree with Python ... ignored (python3 not found)
 *
 * FAILED | 1 passed (4 steps) | 1 failed | 1 ignored (1s)
 * ```
 *
 * Exits 1 when a test failed, a file did not load or an error escaped a
 * test; always through `process.exit`, so a leaked socket or timer cannot
 * keep it alive. Each test has a time limit (`timeout`, default 60 s).
 *
 * ```sh
 * node --import ./tests/_harness/node_hooks.ts tests/_harness/runner.ts [--filter TEXT] [files…]
 * bun --tsconfig-override=<see resolve.ts> tests/_harness/runner.ts [files…]
 * ```
 *
 * Without files: `tests/*_test.ts` and `tests/_harness/self_test.ts`.
 * `deno task test:node` and friends (`all.ts`) start it for you.
 *
 * No `using` here: Node 22 loads this file before its hooks could lower it.
 *
 * @module
 */

import { relative, resolve } from "node:path";
import process from "node:process";
import { pathToFileURL } from "node:url";
import * as util from "node:util";
import {
  installRegistry,
  type RegisteredTest,
  type TestContext,
  type TestFunction,
} from "./test.ts";
import { conformanceFiles } from "./resolve.ts";

interface Counts {
  passed: number;
  failed: number;
  ignored: number;
  filtered: number;
  stepsPassed: number;
  stepsFailed: number;
}

const counts: Counts = {
  passed: 0,
  failed: 0,
  ignored: 0,
  filtered: 0,
  stepsPassed: 0,
  stepsFailed: 0,
};
const failures: string[] = [];

/** Errors that escaped (unhandled rejections, uncaught exceptions). */
let escaped: unknown[] = [];
/** The test that ran last, to name it when an error escapes after its end. */
let lastTest: string | undefined;

/**
 * Errors that escaped while no test ran (after the last test ended, while a
 * file loaded): each is a failure, named after the test that ran last.
 */
function failEscapedBetween(): void {
  if (escaped.length === 0) return;
  counts.failed++;
  const where = `(an error escaped while no test ran, after: ${
    lastTest ?? "the start"
  })`;
  failures.push(where);
  write(`\nerror: ${where}:\n`);
  for (const err of escaped) write(indent(show(err), "    ") + "\n");
  escaped = [];
}
process.on("unhandledRejection", (reason) => escaped.push(reason));
process.on("uncaughtException", (err) => escaped.push(err));

function ms(start: number): string {
  const t = performance.now() - start;
  return t < 1000 ? `${Math.round(t)}ms` : `${Math.round(t / 1000)}s`;
}

/** An error no one caught: an unhandled rejection or uncaught exception. */
class Escaped {
  readonly error: unknown;
  constructor(error: unknown) {
    this.error = error;
  }
}

function show(err: unknown): string {
  if (err instanceof Escaped) {
    return `error: an error escaped the test (unhandled rejection or uncaught exception):\n${
      show(err.error)
    }`;
  }
  if (!(err instanceof Error && err.stack)) {
    return util.inspect(err, { depth: 4 });
  }
  // The runner's own frames say nothing about the test.
  const self = /\/tests\/_harness\/runner\.ts:/;
  return err.stack.split("\n").filter((line) => !self.test(line)).join("\n");
}

function indent(text: string, by: string): string {
  return text.replace(/^/gm, by);
}

function write(text: string): void {
  process.stdout.write(text);
}

/** One test or step being run: its name line may have been interrupted. */
class Run implements TestContext {
  readonly name: string;
  readonly depth: number;
  errors: unknown[] = [];
  stepsFailed = 0;
  /** Has something been printed since `name ...`? */
  interrupted = false;
  parent: Run | undefined;
  done = false;
  /** Steps started and not yet ended (an un-awaited `t.step()`). */
  running = 0;

  constructor(name: string, depth: number, parent?: Run) {
    this.name = name;
    this.depth = depth;
    this.parent = parent;
  }

  header(): void {
    write(`${"  ".repeat(this.depth)}${this.name} ...`);
  }

  interrupt(): void {
    if (!this.interrupted) {
      this.interrupted = true;
      write("\n");
    }
  }

  /** Prints ` ok (3ms)`, repeating the name if steps came in between. */
  result(text: string): void {
    if (this.interrupted) this.header();
    write(` ${text}\n`);
  }

  async step(name: string, fn: TestFunction): Promise<boolean> {
    if (this.done) {
      throw new Error(
        `step "${name}" started after its test "${this.name}" ended: await t.step()`,
      );
    }
    this.interrupt();
    const step = new Run(name, this.depth + 1, this);
    step.header();
    const start = performance.now();
    this.running++;
    try {
      await fn(step);
    } catch (err) {
      step.errors.push(err);
    } finally {
      this.running--;
    }
    step.done = true;
    if (step.running > 0) {
      step.errors.push(
        new Error(
          `${step.running} step(s) did not complete before their parent: await t.step()`,
        ),
      );
    }
    if (step.stepsFailed > 0) {
      step.errors.push(new Error(`${step.stepsFailed} test step(s) failed.`));
    }
    const ok = step.errors.length === 0;
    if (ok) {
      counts.stepsPassed++;
      step.result(`ok (${ms(start)})`);
    } else {
      counts.stepsFailed++;
      this.stepsFailed++;
      step.result(`FAILED (${ms(start)})`);
      for (const err of step.errors) write(indent(show(err), "      ") + "\n");
    }
    this.interrupted = true;
    return ok;
  }
}

/** Runs `fn` with `t`; rejects after `timeout` ms if it has not settled. */
async function withTimeout(
  fn: TestFunction,
  t: TestContext,
  timeout: number,
): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(
            `test timed out after ${timeout} ms (a hang? raise TestOptions.timeout if it needs longer)`,
          ),
        ),
      timeout,
    );
  });
  try {
    await Promise.race([(async () => await fn(t))(), expired]);
  } finally {
    clearTimeout(timer);
  }
}

async function runTest(test: RegisteredTest, file: string): Promise<void> {
  const t = new Run(test.name, 0);
  if (test.ignore !== false) {
    counts.ignored++;
    t.header();
    t.result(`ignored (${test.ignore})`);
    return;
  }
  failEscapedBetween();
  t.header();
  const start = performance.now();
  lastTest = `${test.name} => ${file}`;
  try {
    await withTimeout(test.fn, t, test.timeout);
  } catch (err) {
    t.errors.push(err);
  }
  t.done = true;
  if (t.running > 0) {
    t.errors.push(
      new Error(
        `${t.running} step(s) did not complete before the test ended: await t.step()`,
      ),
    );
  }
  // Let a rejection made in the test's last turn be seen as unhandled.
  await new Promise((resolve) => setTimeout(resolve, 0));
  for (const err of escaped) t.errors.push(new Escaped(err));
  escaped = [];
  if (t.stepsFailed > 0) {
    t.errors.push(new Error(`${t.stepsFailed} test step(s) failed.`));
  }
  if (t.errors.length === 0) {
    counts.passed++;
    t.result(`ok (${ms(start)})`);
  } else {
    counts.failed++;
    failures.push(`${test.name} => ${file}`);
    t.result(`FAILED (${ms(start)})`);
    for (const err of t.errors) write(indent(show(err), "    ") + "\n");
  }
}

async function main(argv: string[]): Promise<number> {
  const files: string[] = [];
  let filter: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--filter") filter = argv[++i];
    else if (arg.startsWith("--filter=")) filter = arg.slice(9);
    else files.push(resolve(arg));
  }
  if (files.length === 0) files.push(...conformanceFiles());

  const registry = installRegistry();
  const start = performance.now();
  for (const file of files) {
    const name = `./${relative(process.cwd(), file)}`;
    const before = registry.length;
    failEscapedBetween();
    try {
      lastTest = `loading ${name}`;
      await import(pathToFileURL(file).href);
    } catch (err) {
      counts.failed++;
      failures.push(`(the file did not load) => ${name}`);
      write(`error: ${name} did not load:\n${indent(show(err), "    ")}\n`);
      continue;
    }
    const tests = registry.slice(before).filter((t) => {
      const keep = filter === undefined || t.name.includes(filter);
      if (!keep) counts.filtered++;
      return keep;
    });
    write(`running ${tests.length} tests from ${name}\n`);
    for (const test of tests) await runTest(test, name);
  }
  // A late error of the last test: give it a moment to come.
  await new Promise((resolve) => setTimeout(resolve, 200));
  failEscapedBetween();

  if (failures.length > 0) {
    write(`\n FAILURES \n\n${failures.join("\n")}\n`);
  }
  const { passed, failed, ignored, filtered, stepsPassed, stepsFailed } =
    counts;
  const steps = (n: number) => n ? ` (${n} step${n === 1 ? "" : "s"})` : "";
  write(
    `\n${failed ? "FAILED" : "ok"} | ${passed} passed${steps(stepsPassed)} | ` +
      `${failed} failed${steps(stepsFailed)} | ${ignored} ignored` +
      (filtered ? ` | ${filtered} filtered out` : "") +
      ` (${ms(start)})\n\n`,
  );
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    write(`error: the runner failed: ${show(err)}\n`);
    process.exit(2);
  },
);
