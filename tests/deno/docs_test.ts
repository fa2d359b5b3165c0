// Copyright the pysocket authors. MIT license.
// Deno only (it runs `deno doc`): what a newcomer reads stays as it is now.
// Every export of every entry point has an `@example` that `deno test
// --doc` runs (one whose only block is ```ts ignore is not one), and the
// code users copy (examples/, the README's `ts` blocks, the JSDoc
// examples) has no type cast and no non-null assertion. See tests/_docs.ts.
import { assertEquals } from "@std/assert";
import {
  casts,
  privateSymbolMembers,
  unlinkedTargets,
  valueImportsOfTypes,
  withoutExample,
} from "../_docs.ts";
import { test } from "../_util.ts";

test("every export of every entry point has a runnable @example (not only ```ts ignore)", async () => {
  assertEquals(await withoutExample(), []);
});

test("examples/, the README and the JSDoc examples have no cast and no !", () => {
  assertEquals(casts(), []);
});

test("examples/, the README and the JSDoc examples import types with `type` (Node keeps the rest)", async () => {
  assertEquals(await valueImportsOfTypes(), []);
});

test("every {@link} in the entry points' docs renders as a link (deno doc --html, as on JSR)", async () => {
  assertEquals(await unlinkedTargets(), []);
});

test("no public class shows a member keyed by one of pysocket's own symbols (deno doc, as on JSR)", async () => {
  assertEquals(await privateSymbolMembers(), []);
});
