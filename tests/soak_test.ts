// Copyright the pysocket authors. MIT license.
// The soak's short run (issue 13, part 2): bench/soak.ts with 1,000
// connections through pysocket, 32 at a time, in every shape the soak has,
// in a process of its own under this test's runtime (so that what is
// measured is the soak's alone). No connection fails, the TCP/UDP
// descriptors come back to where they started and never pile up, and the
// memory after the first half stays within bounds that a leak per
// connection would break.

import process from "node:process";
import { assert, assertEquals } from "@std/assert";
import type { SoakReport } from "../bench/_soak.ts";
import { run, runtimeArgv, test } from "./_util.ts";

const SOAK = new URL("../bench/soak.ts", import.meta.url);

test(
  "soak: 1,000 connections leave no descriptor behind, and memory flat after the first half",
  async () => {
    // Deno reads /proc/self/* with every permission only.
    const [cmd, ...args] = runtimeArgv(SOAK, {
      denoFlags: ["-A", "--v8-flags=--expose-gc"],
    });
    const { code, stdout, stderr } = await run(cmd, [
      ...args,
      "--connections",
      "1000",
      "--concurrency",
      "32",
      "--samples",
      "10",
      // A leak of 32 KiB per connection passes 16 MiB over the second half;
      // the heap is not always collected on demand (no --expose-gc on Node).
      "--max-rss-growth",
      "48",
      "--max-heap-growth",
      "16",
      "--json",
    ], { timeoutMs: 60_000 });
    const last = stdout.trim().split("\n").at(-1) ?? "";
    assert(last.startsWith("{"), `no report:\n${stdout}\n${stderr}`);
    const report = JSON.parse(last) as SoakReport & { problems: string[] };
    assertEquals(report.problems, [], stdout);
    assertEquals(code, 0, stdout + stderr);
    assertEquals(report.end.netFds, report.start.netFds, stdout);
    // Two per connection (client and server end), some on their way out.
    for (const s of report.samples) {
      assert(s.netFds <= 4 * 32 + 1, `descriptors pile up:\n${stdout}`);
    }
  },
  { ignore: process.platform === "linux" ? false : "Linux only (/proc)" },
);
