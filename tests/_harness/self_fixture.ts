// Copyright the pysocket authors. MIT license.
// Tests with known outcomes, for self_test.ts: the runner must count them
// as 4 passed (3 steps), 5 failed (1 step), 1 ignored, and one error that
// escaped after its test ended (a failure of its own). Not a *_test.ts
// file: `deno test` does not pick it up.
import { assert, assertEquals } from "@std/assert";
import { test } from "./test.ts";

test("a test that passes", () => {
  assertEquals(1 + 1, 2);
});

test("a test that fails", () => {
  assertEquals(1 + 1, 3);
});

test("a test that is ignored", () => {
  throw new Error("an ignored test ran");
}, { ignore: "the reason it is skipped" });

test("a test with two passing steps", async (t) => {
  assert(await t.step("step one", () => {}));
  assert(
    await t.step("step two", async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
    }),
  );
});

test("a test with a failing step fails", async (t) => {
  assert(await t.step("this step passes", () => {}));
  assert(
    !await t.step("this step fails", () => {
      throw new Error("step failure");
    }),
  );
});

test("a test that hangs fails at its timeout", async () => {
  await new Promise(() => {});
}, { timeout: 200 });

test("a test whose promise nobody awaits fails", () => {
  Promise.reject(new Error("nobody caught me"));
});

test("using and await using dispose at the end of the block", async () => {
  const log: string[] = [];
  {
    using _a = { [Symbol.dispose]: () => void log.push("a") };
    await using _b = {
      [Symbol.asyncDispose]: async () => {
        await Promise.resolve();
        log.push("b");
      },
    };
  }
  assertEquals(log, ["b", "a"]);
});

test("a test whose step nobody awaits fails", (t) => {
  t.step("a step that fails after its test", async () => {
    await new Promise((resolve) => setTimeout(resolve, 10));
    throw new Error("step failed late");
  });
});

// Last: its rejection comes after the run's last test ended.
test("a test whose promise rejects after it ended passes, the late error fails the run", () => {
  new Promise((_, reject) =>
    setTimeout(() => reject(new Error("rejected after the test")), 20)
  );
});
