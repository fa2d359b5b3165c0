// Copyright the pysocket authors. MIT license.
/**
 * The harness protocol (see README.md, "Protocol") for the TypeScript
 * contestants — raw Deno, and pysocket on Deno, Node and Bun — so that
 * they differ only in their workloads: argv, the watchdog, the result
 * line, the exit codes. Only `node:` modules, so the same program runs as
 * `deno run prog.ts …`, `node prog.ts …` (Node ≥ 22.18 strips the types)
 * and `bun prog.ts …`.
 *
 * @module
 */
import process from "node:process";
import { setTimeout } from "node:timers";

/** What a client workload measured. */
export interface Result {
  ops: number;
  seconds: number;
  bytes: number;
  retries?: number;
}

/** A client workload: `(port, n, m)` → its result. */
export type ClientWorkload = (
  port: number,
  a: number,
  b: number,
) => Promise<Result>;

/** A server for one workload: serves until killed. */
export type ServerWorkload = () => Promise<void>;

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** The program's own arguments, on every runtime. */
function args(): string[] {
  return process.argv.slice(2);
}

/**
 * Never outlive the harness, even if it dies without killing us. The timer
 * is `node:timers`'s, whose `unref()` is each runtime's own (Deno's
 * `Deno.unrefTimer`, Node's and Bun's `Timeout.unref`): it keeps no
 * program alive.
 */
function watchdog(lifetime: string | undefined): void {
  setTimeout(() => process.exit(3), Number(lifetime ?? 600) * 1000).unref();
}

function unknown(workload: string | undefined): never {
  console.error(`unknown workload: ${workload}`);
  process.exit(2);
}

/**
 * `client <workload> <port> <lifetime_s> <n> [<m>]`: runs the workload and
 * prints one JSON line `{"ops", "seconds", "bytes", "cpu", "retries"?}`.
 *
 * @param workloads The client's workloads by name.
 */
export async function runClient(
  workloads: Record<string, ClientWorkload>,
): Promise<never> {
  const [workload, port, lifetime, a, b] = args();
  watchdog(lifetime);
  const run = workloads[workload] ?? unknown(workload);
  const cpu0 = cpuSeconds();
  const result = await run(Number(port), Number(a), Number(b));
  const line = JSON.stringify({ ...result, cpu: cpuSeconds() - cpu0 });
  // Written before exiting (a pipe's write may be asynchronous on Bun).
  await new Promise<void>((resolve) =>
    process.stdout.write(`${line}\n`, () => resolve())
  );
  process.exit(0);
}

/**
 * `server <workload> <lifetime_s>`: serves the workload until killed (the
 * server prints its port itself, once it listens).
 *
 * @param workloads The server's workloads by name.
 */
export async function runServer(
  workloads: Record<string, ServerWorkload>,
): Promise<void> {
  const [workload, lifetime] = args();
  watchdog(lifetime);
  await (workloads[workload] ?? unknown(workload))();
}
