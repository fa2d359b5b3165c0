// Copyright the pysocket authors. MIT license.
/**
 * Instructions per round trip (or request, or connection), counted by
 * valgrind's callgrind: the user-space work of one side of the concurrent
 * echo (or the selectors echo, the line protocol, the UDP echo or the seed's
 * greeting, a connection each), on Deno, Node or Bun, for the native program,
 * the await floor (where there is one: Node and Bun; on Deno the native
 * program, raw `Deno.listen`/`Deno.connect`, awaits each call already,
 * except its selectors server's: the least readiness loop) and
 * pysocket. Unlike seconds, the count repeats
 * to within a few percent whatever else the machine does, so a change of a
 * few percent in the library's own cost shows. (It overstates large fills and copies: valgrind
 * counts each byte of a `rep stosb`/`rep movsb` as an instruction.)
 *
 * The measured side runs under callgrind twice, for two sizes of the same
 * workload; the difference of the two counts over the difference of the
 * operations leaves start-up out. The other side is the runtime's native
 * program. The kernel's work (the system calls themselves) is not counted.
 *
 * ```sh
 * deno run --allow-run bench/instructions.ts                    # client side, Node
 * deno run --allow-run bench/instructions.ts --side=server --workload=selectors
 * deno run --allow-run bench/instructions.ts --runtime=bun
 * deno run --allow-run bench/instructions.ts --runtime=deno --side=server --workload=selectors
 * deno run --allow-run bench/instructions.ts --side=server --workload=lines
 * deno run --allow-run bench/instructions.ts --side=server --workload=udp
 * deno run --allow-run bench/instructions.ts --side=server --workload=accept
 * deno run --allow-run bench/instructions.ts --side=server --workload=accept --rounds=1500,6000
 * ```
 *
 * `--only=NAME,...` counts only the programs named (`pysocket`, or the
 * runtime's name and its `_await` floor).
 *
 * `--rounds=SMALL,LARGE` replaces the workload's two sizes (in rounds,
 * requests or connections): larger ones leave out more of the warm-up (the
 * runtime compiling and optimising the code as it goes), at the cost of a
 * longer run. At the default sizes the warm-up is still a large part of
 * the count: on Node's concurrent echo server, V8's optimising compiler
 * was about 13,000 of some 35,000 instructions per round trip between 200
 * and 1,200 rounds, and under 100 of some 15,000 between 1,200 and 6,000.
 * Compare changes at the same sizes; for the steady state alone, use
 * `--rounds=1200,6000` on the echo workloads.
 *
 * Needs `valgrind` and `taskset`; the runtimes come from `PYSOCKET_DENO`,
 * `PYSOCKET_NODE24` and `PYSOCKET_BUN` (read with `printenv`, as run.ts
 * does), else `deno`, `node` and `bun` on `PATH`. On Deno the programs run
 * with `--allow-net=127.0.0.1 --unstable-net`, as in run.ts.
 *
 * @module
 */
import { parseArgs } from "@std/cli/parse-args";

const ROOT = new URL("..", import.meta.url).pathname;
const CONNS = 20;

type Side = "client" | "server";

/**
 * A workload this script counts: the client's size arguments for a count
 * of rounds, the operations they make, the two counts of rounds, and the
 * await floor's program on each side (`null`: none) on Node and Bun, and
 * on Deno, whose native programs await each call already (`denoFloor`:
 * none but where the native program does not have the Python program's
 * shape).
 */
interface Workload {
  args(rounds: number): string[];
  ops(rounds: number): number;
  small: number;
  large: number;
  client: string;
  floor: Record<Side, string | null>;
  denoFloor?: Partial<Record<Side, string>>;
  unit: string;
}

const ECHO: Omit<Workload, "floor"> = {
  args: (rounds) => [String(CONNS), String(rounds)],
  ops: (rounds) => CONNS * rounds,
  small: 200,
  large: 1200,
  client: "concurrent",
  unit: `round trip, ${CONNS} connections`,
};

/**
 * One connection (or UDP socket) each side, request after request: the JIT
 * settles later, so the counts are larger.
 */
const ONE: Pick<Workload, "args" | "ops" | "small" | "large"> = {
  args: (rounds) => [String(rounds)],
  ops: (rounds) => rounds,
  small: 2000,
  large: 10000,
};

const WORKLOADS: Record<string, Workload> = {
  concurrent: {
    ...ECHO,
    floor: { client: "concurrent_await", server: "echo_await" },
  },
  selectors: {
    ...ECHO,
    floor: { client: "concurrent_await", server: "selectors_await" },
    // Raw Deno's selectors server is a task per connection; its floor is
    // the least readiness loop.
    denoFloor: { server: "selectors_await" },
  },
  lines: {
    ...ONE,
    client: "lines",
    floor: { client: "lines_await", server: "lines_await" },
    unit: "request (10 B-10 kB bodies)",
  },
  // 64-byte datagrams, each awaited.
  udp: {
    ...ONE,
    client: "udp",
    floor: { client: "udp_await", server: "udp_await" },
    unit: "round trip (64-byte datagrams)",
  },
  // The seed's greeting, a connection each: connect (accept), the greeting
  // read to the end (sent), close.
  accept: {
    ...ONE,
    small: 300,
    large: 1500,
    client: "accept",
    floor: { client: null, server: null },
    unit: "connection (the seed's greeting)",
  },
};

/** A program of one side: how the runtime runs it, and its workload name. */
interface Program {
  name: string;
  args: string[];
  workload: string;
}

function run(cmd: string[]): Deno.ChildProcess {
  return new Deno.Command(cmd[0], {
    args: cmd.slice(1),
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

async function output(cmd: string[]): Promise<string> {
  const { stdout } = await new Deno.Command(cmd[0], {
    args: cmd.slice(1),
    stdout: "piped",
    stderr: "null",
  }).output().catch(() => ({ stdout: new Uint8Array() }));
  return new TextDecoder().decode(stdout).trim();
}

/** Starts a server; resolves to the process and the port it printed. */
async function serve(
  cmd: string[],
): Promise<[Deno.ChildProcess, number, Promise<string>]> {
  const server = run(cmd);
  const reader = server.stdout.pipeThrough(new TextDecoderStream())
    .getReader();
  let text = "";
  const deadline = Date.now() + 120_000;
  while (!text.includes("\n") && Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
  }
  reader.releaseLock();
  const port = Number(text.split("\n")[0]);
  if (!Number.isInteger(port) || port <= 0) {
    throw new Error(`${cmd.join(" ")} printed no port`);
  }
  server.stdout.cancel().catch(() => {});
  return [server, port, new Response(server.stderr).text()];
}

/** callgrind's "Collected : N" from its output. */
function collected(stderr: string): number {
  const m = /Collected : (\d+)/.exec(stderr);
  if (m === null) throw new Error(`no callgrind total in:\n${stderr}`);
  return Number(m[1]);
}

const CALLGRIND = [
  "valgrind",
  "--tool=callgrind",
  "--callgrind-out-file=/dev/null",
];

/** The instructions one run of the measured side executed. */
async function count(
  rt: string,
  side: Side,
  measured: Program,
  other: Program,
  sizeArgs: string[],
): Promise<number> {
  const lifetime = "600";
  if (side === "client") {
    const [server, port] = await serve([
      "taskset",
      "-c",
      "0",
      rt,
      ...other.args,
      other.workload,
      lifetime,
    ]);
    try {
      const client = await new Deno.Command("taskset", {
        args: [
          "-c",
          "1",
          ...CALLGRIND,
          rt,
          ...measured.args,
          measured.workload,
          String(port),
          lifetime,
          ...sizeArgs,
        ],
        stdout: "null",
        stderr: "piped",
      }).output();
      return collected(new TextDecoder().decode(client.stderr));
    } finally {
      server.kill("SIGKILL");
      await server.status;
    }
  }
  const [server, port, stderr] = await serve([
    "taskset",
    "-c",
    "0",
    ...CALLGRIND,
    rt,
    ...measured.args,
    measured.workload,
    lifetime,
  ]);
  await new Deno.Command("taskset", {
    args: [
      "-c",
      "1",
      rt,
      ...other.args,
      other.workload,
      String(port),
      lifetime,
      ...sizeArgs,
    ],
    stdout: "null",
    stderr: "null",
  }).output();
  // callgrind writes its total as the process ends, also on SIGTERM.
  server.kill("SIGTERM");
  await server.status;
  return collected(await stderr);
}

/**
 * How each runtime is found and runs a program, and its native programs
 * (under `bench/`).
 */
const RUNTIMES: Record<string, {
  env: string;
  command: string;
  args: string[];
  native(role: Side): string;
}> = {
  deno: {
    env: "PYSOCKET_DENO",
    command: "deno",
    args: ["run", "--allow-net=127.0.0.1", "--unstable-net"],
    native: (role) => `deno_raw/${role}.ts`,
  },
  node: {
    env: "PYSOCKET_NODE24",
    command: "node",
    args: [],
    native: (role) => `node/${role}.mjs`,
  },
  bun: {
    env: "PYSOCKET_BUN",
    command: "bun",
    args: ["--no-install"],
    native: (role) => `node/${role}.mjs`,
  },
};

async function main(): Promise<void> {
  const flags = parseArgs(Deno.args, {
    string: ["side", "runtime", "workload", "rounds", "only"],
    default: { side: "client", runtime: "node", workload: "concurrent" },
  });
  const side = flags.side as Side;
  if (side !== "client" && side !== "server") throw new Error("--side?");
  const workload = flags.workload;
  const known = Object.hasOwn(WORKLOADS, workload) ? WORKLOADS[workload] : null;
  if (known === null) {
    throw new Error(`--workload: ${Object.keys(WORKLOADS).join(", ")}`);
  }
  const wl = { ...known };
  if (flags.rounds !== undefined) {
    const [small, large] = flags.rounds.split(",").map(Number);
    if (
      !(Number.isInteger(small) && Number.isInteger(large) && 0 < small &&
        small < large)
    ) {
      throw new Error("--rounds=SMALL,LARGE: two integers, 0 < SMALL < LARGE");
    }
    wl.small = small;
    wl.large = large;
  }
  const runtime = flags.runtime;
  const deno = runtime === "deno";
  // (Any other name is Node, as before Deno was counted.)
  const on = RUNTIMES[runtime] ?? RUNTIMES.node;
  const rt = await output(["printenv", on.env]) || on.command;
  const native = (name: string, wl: string, role: Side): Program => ({
    name,
    args: [...on.args, `${ROOT}bench/${on.native(role)}`],
    workload: wl,
  });
  const pysocket = (role: Side): Program => ({
    name: "pysocket",
    args: [...on.args, `${ROOT}bench/pysocket/${role}.ts`],
    workload,
  });
  // The measured side's native program is the workload's own (the
  // selectors workload's client is the concurrent echo client).
  const floor = deno ? wl.denoFloor?.[side] ?? null : wl.floor[side];
  const only = flags.only?.split(",");
  const measured: Program[] = [
    native(runtime, side === "client" ? wl.client : workload, side),
    ...(floor === null ? [] : [native(`${runtime}_await`, floor, side)]),
    pysocket(side),
  ].filter((program) => only === undefined || only.includes(program.name));
  const other = side === "client"
    ? native(runtime, workload, "server")
    : native(runtime, wl.client, "client");
  console.log(
    `${workload}, ${side} side on ${runtime} (${rt}): instructions per ${wl.unit}` +
      ` (${wl.small} and ${wl.large})`,
  );
  for (const program of measured) {
    const small = await count(rt, side, program, other, wl.args(wl.small));
    const large = await count(rt, side, program, other, wl.args(wl.large));
    const perOp = (large - small) / (wl.ops(wl.large) - wl.ops(wl.small));
    console.log(`${program.name.padEnd(12)} ${Math.round(perOp)}`);
  }
}

if (import.meta.main) await main();
