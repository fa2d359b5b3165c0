// Copyright the pysocket authors. MIT license.
// The harness checks itself on each runtime: the runner counts passes,
// failures, ignored tests, steps and timeouts as `deno test` would, and a
// child started with runtimeArgv() resolves deno.json's imports.
import { assert, assertEquals, assertMatch } from "@std/assert";
import { fileURLToPath } from "node:url";
import { run, runtime, runtimeArgv } from "./host.ts";
import { test } from "./test.ts";

const here = (name: string) => new URL(`./${name}`, import.meta.url);

test("runner counts passed, failed, ignored tests and steps, and times out a hang", async () => {
  const [cmd, ...args] = runtimeArgv(here("runner.ts"), {
    denoFlags: ["--allow-read", "--allow-env"],
  });
  const { code, stdout, stderr } = await run(cmd, [
    ...args,
    fileURLToPath(here("self_fixture.ts")),
  ], { env: { NO_COLOR: "1" } });
  assertEquals(code, 1, stdout + stderr);
  const lines = stdout.split("\n");
  const line = (name: string) => lines.find((l) => l.startsWith(`${name} ...`));
  assertMatch(stdout, /^running 10 tests from .*self_fixture\.ts$/m);
  assertMatch(line("a test that passes") ?? "", / \.\.\. ok \(\d+m?s\)$/);
  assertMatch(line("a test that fails") ?? "", / \.\.\. FAILED \(\d+m?s\)$/);
  assertEquals(
    line("a test that is ignored"),
    "a test that is ignored ... ignored (the reason it is skipped)",
  );
  assert(stdout.includes("  this step fails ... FAILED"), stdout);
  assert(stdout.includes("test timed out after 200 ms"), stdout);
  assert(stdout.includes("nobody caught me"), stdout);
  assertMatch(
    line("using and await using dispose at the end of the block") ?? "",
    / \.\.\. ok /,
  );
  assert(
    stdout.includes("a test whose step nobody awaits fails ... FAILED"),
    stdout,
  );
  assert(stdout.includes("did not complete before the test ended"), stdout);
  assert(stdout.includes("rejected after the test"), stdout);
  assert(
    stdout.includes(
      "(an error escaped while no test ran, after: a test whose promise rejects after it ended",
    ),
    stdout,
  );
  assertMatch(
    stdout,
    /^FAILED \| 4 passed \(3 steps\) \| 6 failed \(2 steps\) \| 1 ignored \(\d+m?s\)$/m,
  );
});

test("runtimeArgv() runs a file under this runtime with deno.json's imports", async () => {
  const [cmd, ...args] = runtimeArgv(here("self_child.ts"));
  const { code, stdout, stderr } = await run(cmd, [...args, "x"]);
  assertEquals(stderr, "");
  assertEquals(code, 0);
  assertEquals(JSON.parse(stdout), {
    runtime,
    args: ["x"],
    parsed: { _: ["x"] },
  });
});
