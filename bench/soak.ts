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
 * Options, as `--name N` or `--name=N` (anything else is refused, exit 2):
 * `--connections N`, `--concurrency C`, `--samples S`, `--seed X`,
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

/** The numeric options, with their defaults. */
const DEFAULTS: Record<string, number> = {
  connections: 10_000,
  concurrency: 64,
  samples: 20,
  warmup: 0.5,
  seed: 1,
  "max-rss-growth": 32,
  "max-heap-growth": 4,
  "max-external-growth": 16,
};

/**
 * The command line: `--name value` or `--name=value` for the numeric
 * options, and `--json`. Anything else, or a value that is not a number,
 * is refused (exit 2) rather than left to its default unsaid.
 */
function parseOptions(args: string[]): [Record<string, number>, boolean] {
  const values = { ...DEFAULTS };
  let json = false;
  const refuse = (why: string): never => {
    console.error(`soak.ts: ${why}`);
    console.error(
      `options: --${Object.keys(DEFAULTS).join(" N, --")} N, --json`,
    );
    process.exit(2);
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--json") {
      json = true;
      continue;
    }
    const eq = arg.indexOf("=");
    const name = arg.startsWith("--")
      ? arg.slice(2, eq < 0 ? undefined : eq)
      : "";
    if (!Object.hasOwn(DEFAULTS, name)) refuse(`unknown argument ${arg}`);
    const text = eq < 0 ? args[++i] : arg.slice(eq + 1);
    const value = Number(text);
    if (text === undefined || text === "" || !Number.isFinite(value)) {
      refuse(`--${name} needs a number, got ${text ?? "nothing"}`);
    }
    values[name] = value;
  }
  return [values, json];
}

const [options, json] = parseOptions(process.argv.slice(2));
const option = (name: string): number => options[name];

const runtime = "Deno" in globalThis
  ? `deno ${
    (globalThis as { Deno: { version: { deno: string } } }).Deno.version.deno
  }`
  : "Bun" in globalThis
  ? `bun ${process.versions.bun}`
  : `node ${process.version}`;

const connections = option("connections");
const concurrency = option("concurrency");
const maxRss = option("max-rss-growth");
const maxHeap = option("max-heap-growth");
const maxExternal = option("max-external-growth");

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
  samples: option("samples"),
  warmup: option("warmup"),
  seed: option("seed"),
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
if (json) {
  // For tests/soak_test.ts: the report, on one line.
  console.log(JSON.stringify({ ...report, problems }));
}
// Written before exiting (a pipe's write may be asynchronous on Bun).
await new Promise<void>((resolve) => process.stdout.write("", () => resolve()));
process.exit(problems.length === 0 ? 0 : 1);
