// Copyright the pysocket authors. MIT license.
/**
 * The harness protocol (see README.md, "Protocol") for the two Deno
 * contestants, raw Deno and pysocket, so that they differ only in their
 * workloads: argv, the watchdog, the result line, the exit codes.
 *
 * @module
 */
import process from "node:process";

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

/** Never outlive the harness, even if it dies without killing us. */
function watchdog(lifetime: string | undefined): void {
  Deno.unrefTimer(
    setTimeout(() => Deno.exit(3), Number(lifetime ?? 600) * 1000),
  );
}

function unknown(workload: string | undefined): never {
  console.error(`unknown workload: ${workload}`);
  Deno.exit(2);
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
  const [workload, port, lifetime, a, b] = Deno.args;
  watchdog(lifetime);
  const run = workloads[workload] ?? unknown(workload);
  const cpu0 = cpuSeconds();
  const result = await run(Number(port), Number(a), Number(b));
  console.log(JSON.stringify({ ...result, cpu: cpuSeconds() - cpu0 }));
  Deno.exit(0);
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
  const [workload, lifetime] = Deno.args;
  watchdog(lifetime);
  await (workloads[workload] ?? unknown(workload))();
}
