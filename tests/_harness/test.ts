// Copyright the pysocket authors. MIT license.
/**
 * The one way a test registers: {@linkcode test}. Under `deno test` it is
 * `Deno.test` with the op and resource sanitizers on; under this harness's
 * runner (`runner.ts`, on Node, Bun, or Deno itself) it joins the runner's
 * list instead.
 *
 * @module
 */

/**
 * What a test body gets: the part of Deno's `TestContext` that both runners
 * give.
 */
export interface TestContext {
  /** The name of the test or step. */
  readonly name: string;
  /**
   * Runs `fn` as a step of this test; a failed step fails the test.
   *
   * @param name The step's name.
   * @param fn The step's body.
   * @returns Whether the step passed.
   */
  step(name: string, fn: TestFunction): Promise<boolean>;
}

/** A test or step body. */
export type TestFunction = (t: TestContext) => void | Promise<void>;

/** Options for {@linkcode test}. */
export interface TestOptions {
  /**
   * Skip the test: `true`, or better the reason, which the runner prints
   * (`… ignored (python3 not found)`). A skipped test never counts as passed.
   *
   * @default {false}
   */
  ignore?: boolean | string;
  /**
   * Fail the test if it has not finished after this many milliseconds, so
   * that a hang fails one test instead of the run. Harness runner only:
   * `deno test` has no per-test timeout.
   *
   * @default {60_000}
   */
  timeout?: number;
  /** Deno only: the permissions the test runs with (`deno test` only). */
  permissions?: Deno.PermissionOptions;
  /** Deno only. @default {true} */
  sanitizeOps?: boolean;
  /** Deno only. @default {true} */
  sanitizeResources?: boolean;
  /** Deno only. @default {true} */
  sanitizeExit?: boolean;
}

/** A test as the harness runner holds it. */
export interface RegisteredTest {
  /** "symbol + behaviour". */
  name: string;
  /** The body. */
  fn: TestFunction;
  /** `false`, or why the test is skipped. */
  ignore: false | string;
  /** Milliseconds before the test fails as hung. */
  timeout: number;
}

/** Per-test timeout of the harness runner, in milliseconds. */
export const DEFAULT_TIMEOUT_MS = 60_000;

const REGISTRY = Symbol.for("pysocket.harness.registry");

type Host = { [REGISTRY]?: RegisteredTest[] };

/**
 * Makes this process a harness run: from now on {@linkcode test} adds to the
 * returned list (also on Deno) instead of calling `Deno.test`. Called once,
 * by the runner, before it imports test files.
 *
 * @returns The list the tests are registered into, in registration order.
 */
export function installRegistry(): RegisteredTest[] {
  const host = globalThis as Host;
  return host[REGISTRY] ??= [];
}

/**
 * Registers a test.
 *
 * Under `deno test`: `Deno.test` with `sanitizeOps` and `sanitizeResources`
 * on (Deno 2.9 turns them off by default). Under the harness runner: a test
 * of its list, run one at a time in registration order.
 *
 * @param name "symbol + behaviour", e.g. `"recv() hands timed-out bytes to the next call"`.
 * @param fn The test body.
 * @param options `ignore` (with its reason), `timeout`, and Deno-only
 * options (`permissions`, sanitizers), which other runners ignore.
 * @throws {Error} On Node or Bun when the file was not loaded by the runner.
 */
export function test(
  name: string,
  fn: TestFunction,
  options: TestOptions = {},
): void {
  const { ignore = false, timeout = DEFAULT_TIMEOUT_MS, ...deno } = options;
  const registry = (globalThis as Host)[REGISTRY];
  if (registry !== undefined) {
    registry.push({
      name,
      fn,
      ignore: ignore === true ? "ignored" : ignore,
      timeout,
    });
    return;
  }
  if (!("Deno" in globalThis)) {
    throw new Error(
      "tests run through the harness on Node and Bun: deno task test:node, or node --import ./tests/_harness/node_hooks.ts tests/_harness/runner.ts <files>",
    );
  }
  if (typeof ignore === "string") {
    console.warn(`NOTICE: "${name}" is ignored: ${ignore}`);
  }
  Deno.test({
    name,
    fn: fn as (t: Deno.TestContext) => void | Promise<void>,
    sanitizeOps: true,
    sanitizeResources: true,
    ...deno,
    ignore: ignore !== false,
  });
}
