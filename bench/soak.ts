// Copyright the pysocket authors. MIT license.
/**
 * The soak's command line (issue 13, part 2; see `bench/_soak.ts`): opens
 * 10,000 connections over time through pysocket, 64 at a time, samples
 * RSS, heap and open descriptors, prints a table and the verdict, and exits
 * 1 on a leak (descriptors not back to their start, RSS or heap growing
 * after the warm-up by more than the bounds) or a failed connection.
 *
 * ```sh
 * deno run -A --v8-flags=--expose-gc bench/soak.ts [--connections 10000] [--concurrency 64]
 * node --expose-gc bench/soak.ts …      # Node ≥ 22.18 strips the types
 * bun bench/soak.ts …                   # Bun.gc(true) is asked for itself
 * ```
 *
 * Options: `--connections N`, `--concurrency C`, `--samples S`, `--seed X`,
 * `--warmup F` (the share of the run before growth counts; default 0.5:
 * RSS settles after some thousands of connections), `--max-rss-growth MiB`
 * (default 32), `--max-heap-growth MiB` (default 4: the heap after a
 * collection), `--max-external-growth MiB` (default 16: ArrayBuffers, end
 * against start), `--json` (the report as one JSON line at the end).
 * Each connection holds two descriptors (client and server end): raise the
 * limit for more than ~`ulimit -n` / 2 at once (`ulimit -n 65536` where the
 * shell allows it; else lower `--concurrency`).
 *
 * @module
 */

import process from "node:process";
import { collects, type Sample, soak } from "./_soak.ts";

function option(name: string, fallback: number): number {
  const args = process.argv.slice(2);
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

const runtime = "Deno" in globalThis
  ? `deno ${
    (globalThis as { Deno: { version: { deno: string } } }).Deno.version.deno
  }`
  : "Bun" in globalThis
  ? `bun ${process.versions.bun}`
  : `node ${process.version}`;

const connections = option("connections", 10_000);
const concurrency = option("concurrency", 64);
const maxRss = option("max-rss-growth", 32);
const maxHeap = option("max-heap-growth", 4);
const maxExternal = option("max-external-growth", 16);

const row = (s: Sample) =>
  `| ${String(s.done).padStart(6)} | ${s.seconds.toFixed(1).padStart(6)} | ${
    s.rssMiB.toFixed(1).padStart(7)
  } | ${s.heapMiB.toFixed(1).padStart(8)} | ${
    s.externalMiB.toFixed(1).padStart(7)
  } | ${String(s.fds).padStart(3)} | ${String(s.netFds).padStart(7)} |`;

console.log(
  `soak on ${runtime}: ${connections} connections, ${concurrency} at once${
    collects() ? "" : " (no full collection can be asked: heap not judged)"
  }`,
);
console.log(
  "|   done |      s | RSS MiB | heap MiB | ext MiB | fds | TCP/UDP |",
);
console.log(
  "| -----: | -----: | ------: | -------: | ------: | --: | ------: |",
);
const report = await soak({
  connections,
  concurrency,
  samples: option("samples", 20),
  warmup: option("warmup", 0.5),
  seed: option("seed", 1),
  onSample: (s) => console.log(row(s)),
});
const { start, end, warm } = report;
console.log(
  `\nshapes: ${
    Object.entries(report.shapes).map(([k, v]) => `${k} ${v}`).join(", ")
  }`,
);
console.log(
  `descriptors: ${start.fds} at the start (${start.netFds} TCP/UDP), ${report.peakFds} at most, ${end.fds} at the end (${end.netFds} TCP/UDP)${
    report.extraFds.length ? `; new: ${report.extraFds.join(", ")}` : ""
  }`,
);
console.log(
  `after the warm-up (${warm.done} connections): RSS +${
    report.rssGrowthMiB.toFixed(1)
  } MiB at most, heap +${report.heapGrowthMiB.toFixed(1)} MiB, external +${
    report.externalGrowthMiB.toFixed(1)
  } MiB at most, over ${end.done - warm.done} connections (${
    (report.rssGrowthMiB * 2 ** 20 / Math.max(1, end.done - warm.done))
      .toFixed(0)
  } bytes of RSS per connection)`,
);
const problems = [
  ...report.failures.slice(0, 10),
  // Sockets of pysocket's are TCP (and UDP) ones; the runtime may open a
  // few descriptors of its own once (Deno: a Unix socket pair).
  ...(end.netFds > start.netFds || end.fds > start.fds + 4
    ? [
      `${end.fds - start.fds} descriptors more than at the start: ${
        report.extraFds.join(", ")
      }`,
    ]
    : []),
  ...(report.rssGrowthMiB > maxRss
    ? [`RSS grew by ${report.rssGrowthMiB.toFixed(1)} MiB > ${maxRss}`]
    : []),
  // The heap and ArrayBuffers are judged after full collections only.
  ...(collects() && report.heapGrowthMiB > maxHeap
    ? [`heap grew by ${report.heapGrowthMiB.toFixed(1)} MiB > ${maxHeap}`]
    : []),
  ...(collects() && end.externalMiB - start.externalMiB > maxExternal
    ? [
      `external memory grew by ${
        (end.externalMiB - start.externalMiB).toFixed(1)
      } MiB > ${maxExternal}`,
    ]
    : []),
];
if (report.failures.length > 10) {
  problems.push(`… ${report.failures.length - 10} more failures`);
}
console.log(
  problems.length === 0
    ? "flat: ok"
    : `LEAK or failure:\n${problems.join("\n")}`,
);
if (process.argv.includes("--json")) {
  // For tests/soak_test.ts: the report, on one line.
  console.log(JSON.stringify({ ...report, problems }));
}
// Written before exiting (a pipe's write may be asynchronous on Bun).
await new Promise<void>((resolve) => process.stdout.write("", () => resolve()));
process.exit(problems.length === 0 ? 0 : 1);
