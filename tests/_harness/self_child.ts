// Copyright the pysocket authors. MIT license.
// Started by self_test.ts through runtimeArgv(): prints its runtime, its
// arguments and what @std/cli (a bare specifier of deno.json) made of them.
import { parseArgs } from "@std/cli/parse-args";
import process from "node:process";
import { runtime } from "./host.ts";

const args = process.argv.slice(2);
console.log(JSON.stringify({ runtime, args, parsed: parseArgs(args) }));
