// Copyright the pysocket authors. MIT license.
/**
 * The benchmark harness: pysocket against the same programs on raw Deno,
 * CPython's blocking `socket` module, Python asyncio streams and Node's
 * `net`/`dgram`, each server and client in its own process, pinned with
 * `taskset` to one shared CPU and to two separate CPUs.
 *
 * ```sh
 * deno task bench            # full run (< 10 min)
 * deno task bench --quick    # < 2 min
 * deno task bench --smoke    # CI: checks the harness completes (< 30 s)
 * ```
 *
 * See `bench/README.md` for the workloads, options and columns.
 *
 * @module
 */

// ---------------------------------------------------------------- settings

const WORKLOADS = [
  "pingpong",
  "bulk",
  "concurrent",
  "selectors",
  "socketserver",
  "accept",
  "udp",
  "tls_bulk",
  "tls_handshake",
] as const;
type Workload = typeof WORKLOADS[number];

const PLACEMENTS = ["same", "split"] as const;
type Placement = typeof PLACEMENTS[number] | "unpinned";

type ModeName = "smoke" | "quick" | "full";

interface Mode {
  reps: number;
  placements: Placement[];
  /** Client arguments per workload, after the port and lifetime. */
  sizes: Record<Workload, number[]>;
  /** Seconds a client may run before it is killed and the run failed. */
  clientTimeout: number;
}

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;
const CHUNK = 64 * KiB;

const MODES: Record<ModeName, Mode> = {
  smoke: {
    reps: 1,
    placements: ["split"],
    sizes: {
      pingpong: [200],
      bulk: [4 * MiB, CHUNK],
      concurrent: [5, 20],
      selectors: [5, 20],
      socketserver: [5, 20],
      accept: [20],
      udp: [200],
      tls_bulk: [4 * MiB],
      tls_handshake: [20],
    },
    clientTimeout: 20,
  },
  quick: {
    reps: 3,
    placements: ["same", "split"],
    sizes: {
      pingpong: [5000],
      bulk: [128 * MiB, CHUNK],
      concurrent: [20, 200],
      selectors: [100, 200],
      socketserver: [100, 200],
      accept: [500],
      udp: [5000],
      tls_bulk: [64 * MiB],
      tls_handshake: [200],
    },
    clientTimeout: 60,
  },
  full: {
    reps: 3,
    placements: ["same", "split"],
    sizes: {
      pingpong: [50_000],
      bulk: [1 * GiB, CHUNK],
      concurrent: [100, 1000],
      selectors: [100, 1000],
      socketserver: [100, 1000],
      accept: [2000],
      udp: [50_000],
      tls_bulk: [256 * MiB],
      tls_handshake: [1000],
    },
    clientTimeout: 120,
  },
};

/** Seconds a server may take to print its port. */
const SERVER_START_TIMEOUT = 20;
/** Seconds a server gets to exit after SIGTERM before SIGKILL. */
const SERVER_STOP_TIMEOUT = 3;

const ROOT = path("../");

function path(rel: string): string {
  return decodeURIComponent(new URL(rel, import.meta.url).pathname);
}

interface Contestant {
  name: string;
  server: string[];
  client: string[];
  /** Runs only the workloads whose PARTICIPANTS name it. */
  only?: true;
  /** The programs for the TLS workloads (`tls/`), if it runs them. */
  tls?: { server: string[]; client: string[] };
}

const DENO = [
  Deno.execPath(),
  "run",
  "--allow-net=127.0.0.1",
  "--unstable-net",
];

/** Where the TLS workloads' certificates are made (from the root). */
const CERTS = "bench/results/certs";

/**
 * The Deno TLS programs also read the certificates, and connect by the
 * name the certificate is for (the native client takes no other).
 */
const DENO_TLS = [
  Deno.execPath(),
  "run",
  "--allow-net=127.0.0.1,localhost",
  "--unstable-net",
  `--allow-read=${CERTS}`,
];

/** In the order they run, interleaved: A, B, C, …, A, B, C, … */
const CONTESTANTS: Contestant[] = [
  {
    name: "deno_raw",
    server: [...DENO, path("deno_raw/server.ts")],
    client: [...DENO, path("deno_raw/client.ts")],
    tls: {
      server: [...DENO_TLS, path("tls/deno_raw_server.ts")],
      client: [...DENO_TLS, path("tls/deno_raw_client.ts")],
    },
  },
  {
    name: "pysocket",
    server: [...DENO, path("pysocket/server.ts")],
    client: [...DENO, path("pysocket/client.ts")],
    tls: {
      server: [...DENO_TLS, path("tls/pysocket_server.ts")],
      client: [...DENO_TLS, path("tls/pysocket_client.ts")],
    },
  },
  {
    // The socketserver workload's yardstick: its echo as a plain accept
    // loop on pysocket, with the pysocket client.
    name: "pysocket_loop",
    server: [...DENO, path("pysocket/accept_loop.ts")],
    client: [...DENO, path("pysocket/client.ts")],
    only: true,
  },
  {
    name: "python_socket",
    server: ["python3", path("python_socket/server.py")],
    client: ["python3", path("python_socket/client.py")],
    tls: {
      server: ["python3", path("tls/python.py"), "server"],
      client: ["python3", path("tls/python.py"), "client"],
    },
  },
  {
    name: "python_asyncio",
    server: ["python3", path("python_asyncio/server.py")],
    client: ["python3", path("python_asyncio/client.py")],
  },
  {
    name: "node",
    server: ["node", path("node/server.mjs")],
    client: ["node", path("node/client.mjs")],
    tls: {
      server: ["node", path("tls/node.mjs"), "server"],
      client: ["node", path("tls/node.mjs"), "client"],
    },
  },
];

const BASELINE = "deno_raw";

/**
 * Workloads only some contestants run: `selectors` is an echo server
 * written on each stack's selectors module (pysocket's, CPython's), against
 * the same server on the runtime's native API (raw Deno: a task per
 * connection), each under its own concurrent client.
 */
const PARTICIPANTS: Partial<Record<Workload, string[]>> = {
  selectors: ["deno_raw", "pysocket", "python_socket"],
  // An echo server on each stack's socketserver (pysocket's and CPython's
  // ThreadingTCPServer), against the same echo as pysocket's hand-written
  // accept loop (pysocket_loop) and raw Deno's native server.
  socketserver: ["deno_raw", "pysocket", "pysocket_loop", "python_socket"],
  // TLS: pysocket's ssl against the runtime's native TLS (Deno.listenTls /
  // connectTls), CPython's ssl and Node's tls (programs in tls/).
  tls_bulk: ["deno_raw", "pysocket", "python_socket", "node"],
  tls_handshake: ["deno_raw", "pysocket", "python_socket", "node"],
};

/** Workloads measured in MB/s (the others in operations per second). */
function inMB(workload: Workload): boolean {
  return workload === "bulk" || workload === "tls_bulk";
}

/** The programs a contestant runs a workload with. */
function programs(c: Contestant, workload: Workload) {
  return workload.startsWith("tls_") ? c.tls! : c;
}

function takesPart(workload: Workload, c: Contestant): boolean {
  return PARTICIPANTS[workload]?.includes(c.name) ?? !c.only;
}

// ------------------------------------------------------------- command line

interface Options {
  mode: ModeName;
  reps: number;
  placements: Placement[];
  contestants: Contestant[];
  workloads: Workload[];
  cpus: [string, string];
}

const USAGE = `Usage: deno task bench [options]

  --smoke              tiny sizes, 1 repetition, split placement (CI)
  --quick              smaller sizes, 3 repetitions (< 2 min)
  (default)            full sizes, 3 repetitions (< 10 min)
  --only=a,b           contestants: ${CONTESTANTS.map((c) => c.name).join(",")}
  --workloads=a,b      workloads: ${WORKLOADS.join(",")}
  --placements=a,b     same (both on one CPU), split (one CPU each)
  --reps=N             repetitions per contestant (default: by mode)
  --cpus=S,C           CPUs for server and client (default: 0,1)
  --help               this text`;

function parseList<T extends string>(
  flag: string,
  value: string,
  allowed: readonly T[],
): T[] {
  const items = value.split(",").map((s) => s.trim()).filter((s) => s);
  for (const item of items) {
    if (!allowed.includes(item as T)) {
      throw new Error(
        `${flag}: unknown ${JSON.stringify(item)}; expected one of ${
          allowed.join(", ")
        }`,
      );
    }
  }
  if (items.length === 0) throw new Error(`${flag}: empty list`);
  return items as T[];
}

function parseOptions(args: string[]): Options {
  let mode: ModeName = "full";
  let reps: number | null = null;
  let placements: Placement[] | null = null;
  let contestants = CONTESTANTS;
  let workloads: Workload[] = [...WORKLOADS];
  let cpus: [string, string] = ["0", "1"];
  for (const arg of args) {
    const eq = arg.indexOf("=");
    const flag = eq < 0 ? arg : arg.slice(0, eq);
    const value = eq < 0 ? "" : arg.slice(eq + 1);
    switch (flag) {
      case "--smoke":
      case "--quick":
      case "--full":
        mode = flag.slice(2) as ModeName;
        break;
      case "--only": {
        const names = parseList(flag, value, CONTESTANTS.map((c) => c.name));
        contestants = CONTESTANTS.filter((c) => names.includes(c.name));
        break;
      }
      case "--workloads":
        workloads = WORKLOADS.filter((w) =>
          parseList(flag, value, WORKLOADS).includes(w)
        );
        break;
      case "--placements":
        placements = parseList(flag, value, PLACEMENTS);
        break;
      case "--reps":
        reps = Number(value);
        if (!Number.isInteger(reps) || reps < 1) {
          throw new Error(`--reps: expected a positive integer, got ${value}`);
        }
        break;
      case "--cpus": {
        const parts = value.split(",");
        if (parts.length !== 2 || !parts.every((p) => /^\d+$/.test(p))) {
          throw new Error(`--cpus: expected two CPU numbers, got ${value}`);
        }
        cpus = [parts[0], parts[1]];
        break;
      }
      case "--help":
      case "-h":
        console.log(USAGE);
        Deno.exit(0);
        break;
      default:
        throw new Error(`unknown option ${arg}\n\n${USAGE}`);
    }
  }
  return {
    mode,
    reps: reps ?? MODES[mode].reps,
    placements: placements ?? MODES[mode].placements,
    contestants,
    workloads,
    cpus,
  };
}

// --------------------------------------------------------------- processes

/** Every child still running, killed if the harness is interrupted. */
const live = new Set<Deno.ChildProcess>();

function spawn(cpu: string | null, argv: string[]): Deno.ChildProcess {
  const full = cpu === null ? argv : ["taskset", "-c", cpu, ...argv];
  const child = new Deno.Command(full[0], {
    args: full.slice(1),
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  live.add(child);
  child.status.finally(() => live.delete(child));
  return child;
}

function kill(child: Deno.ChildProcess, signal: Deno.Signal): void {
  try {
    child.kill(signal);
  } catch {
    // already exited
  }
}

/** Resolves to the promise's value, or to `null` after `seconds`. */
async function within<T>(p: Promise<T>, seconds: number): Promise<T | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), seconds * 1000);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function stop(child: Deno.ChildProcess): Promise<void> {
  kill(child, "SIGTERM");
  if (await within(child.status, SERVER_STOP_TIMEOUT) === null) {
    kill(child, "SIGKILL");
    await child.status;
  }
}

/** The start and end of a child's stderr: Deno and Node put the error
 * first, Python last. */
function excerpt(text: string): string {
  // deno-lint-ignore no-control-regex
  const lines = text.replace(/\x1b\[[0-9;]*m/g, "").trim().split("\n");
  if (lines.length <= 6) return lines.join("\n");
  return [...lines.slice(0, 3), "  …", ...lines.slice(-3)].join("\n");
}

// ------------------------------------------------------------- /proc reads

let clockTicks = 100;

interface ProcSample {
  /** user + system CPU seconds of all threads */
  cpu: number;
  /** peak resident set size, KiB */
  hwmKiB: number;
}

/**
 * Reads a child's CPU time and peak RSS from `/proc/<pid>/{stat,status}`.
 * Deno asks for `--allow-all` to read another process's `/proc` entry, so a
 * `cat` does the reading (the harness already may run programs).
 */
async function sampleProc(pid: number): Promise<ProcSample | null> {
  const text = await commandOutput([
    "cat",
    `/proc/${pid}/stat`,
    `/proc/${pid}/status`,
  ]);
  if (text === null) return null;
  // Fields after "pid (comm) ": state is field 3, utime 14, stime 15.
  const line = text.split("\n")[0];
  const stat = line.slice(line.lastIndexOf(")") + 2).split(" ");
  const cpu = (Number(stat[11]) + Number(stat[12])) / clockTicks;
  const hwm = text.match(/^VmHWM:\s+(\d+)\s+kB/m);
  if (!Number.isFinite(cpu)) return null;
  return { cpu, hwmKiB: hwm ? Number(hwm[1]) : NaN };
}

/** Runs a short command; its trimmed output, or `null` if it failed. */
async function commandOutput(argv: string[]): Promise<string | null> {
  try {
    const child = spawn(null, argv);
    const out = new Response(child.stdout).text();
    const err = new Response(child.stderr).text();
    const status = await within(child.status, 10);
    if (status === null) kill(child, "SIGKILL");
    const text = ((await out) + (await err)).trim();
    return status?.success ? text : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------- one run

interface ClientResult {
  ops: number;
  seconds: number;
  bytes: number;
  cpu: number;
  retries?: number;
}

interface Run {
  workload: Workload;
  placement: Placement;
  contestant: string;
  rep: number;
  ok: boolean;
  error?: string;
  /** ops/s, or MB/s (10^6 bytes/s) for bulk */
  value?: number;
  client?: ClientResult;
  serverCpu?: number;
  serverRssKiB?: number;
  wallSeconds: number;
}

function cpusFor(placement: Placement, cpus: [string, string]) {
  switch (placement) {
    case "same":
      return { server: cpus[0], client: cpus[0] };
    case "split":
      return { server: cpus[0], client: cpus[1] };
    case "unpinned":
      return { server: null, client: null };
  }
}

async function runOnce(
  c: Contestant,
  workload: Workload,
  placement: Placement,
  mode: Mode,
  cpus: [string, string],
): Promise<Omit<Run, "rep" | "wallSeconds">> {
  const base = { workload, placement, contestant: c.name };
  const pin = cpusFor(placement, cpus);
  const lifetime = SERVER_START_TIMEOUT + mode.clientTimeout + 30;
  let server: Deno.ChildProcess;
  try {
    server = spawn(pin.server, [
      ...programs(c, workload).server,
      workload,
      String(lifetime),
    ]);
  } catch (e) {
    return { ...base, ok: false, error: `cannot start server: ${e}` };
  }
  const serverErr = new Response(server.stderr).text();
  const fail = async (error: string) => {
    await stop(server);
    const err = excerpt(await serverErr);
    return { ...base, ok: false, error: err ? `${error}\n${err}` : error };
  };

  // The server's first stdout line is its port.
  const lines = server.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let first = "";
  while (!first.includes("\n")) {
    const chunk = await within(lines.read(), SERVER_START_TIMEOUT);
    if (chunk === null) {
      lines.cancel().catch(() => {});
      return await fail("server printed no port in time");
    }
    if (chunk.done) return await fail("server exited before printing a port");
    first += chunk.value;
  }
  // Drain anything else it prints, so it can never block on a full pipe.
  (async () => {
    try {
      while (!(await lines.read()).done) { /* discard */ }
    } catch { /* killed */ }
  })();
  const port = Number(first.split("\n")[0].trim());
  if (!Number.isInteger(port) || port <= 0) {
    return await fail(`server printed ${JSON.stringify(first)}, not a port`);
  }
  const before = await sampleProc(server.pid);

  let client: Deno.ChildProcess;
  try {
    client = spawn(pin.client, [
      ...programs(c, workload).client,
      workload,
      String(port),
      String(mode.clientTimeout + 5),
      ...mode.sizes[workload].map(String),
    ]);
  } catch (e) {
    return await fail(`cannot start client: ${e}`);
  }
  const out = new Response(client.stdout).text();
  const err = new Response(client.stderr).text();
  const status = await within(client.status, mode.clientTimeout);
  if (status === null) {
    kill(client, "SIGKILL");
    await client.status;
    await Promise.all([out, err]);
    return await fail(`client timed out after ${mode.clientTimeout} s`);
  }
  const after = await sampleProc(server.pid);
  const [stdout, stderr] = [await out, await err];
  if (!status.success) {
    return await fail(`client exited with ${status.code}\n${excerpt(stderr)}`);
  }
  let result: ClientResult;
  try {
    result = JSON.parse(stdout.trim().split("\n").at(-1) ?? "");
    if (!(result.seconds > 0)) throw new Error("no seconds");
  } catch {
    return await fail(`client printed no result: ${JSON.stringify(stdout)}`);
  }
  await stop(server);
  await serverErr;
  const value = inMB(workload)
    ? result.bytes / result.seconds / 1e6
    : result.ops / result.seconds;
  return {
    ...base,
    ok: true,
    value,
    client: result,
    serverCpu: before && after ? after.cpu - before.cpu : undefined,
    serverRssKiB: after?.hwmKiB,
  };
}

// ----------------------------------------------------------------- summary

interface Summary {
  workload: Workload;
  placement: Placement;
  contestant: string;
  runs: number;
  failed: number;
  median?: number;
  min?: number;
  max?: number;
  ratio?: number;
  serverCpu?: number;
  clientCpu?: number;
  serverRssMiB?: number;
  error?: string;
}

function median(xs: number[]): number | undefined {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return undefined;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

function summarize(runs: Run[]): Summary[] {
  const groups = new Map<string, Run[]>();
  for (const r of runs) {
    const key = `${r.placement}\0${r.workload}\0${r.contestant}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const out: Summary[] = [];
  for (const rs of groups.values()) {
    const ok = rs.filter((r) => r.ok);
    const values = ok.map((r) => r.value!);
    out.push({
      workload: rs[0].workload,
      placement: rs[0].placement,
      contestant: rs[0].contestant,
      runs: rs.length,
      failed: rs.length - ok.length,
      median: median(values),
      min: values.length ? Math.min(...values) : undefined,
      max: values.length ? Math.max(...values) : undefined,
      serverCpu: median(ok.map((r) => r.serverCpu ?? NaN)),
      clientCpu: median(ok.map((r) => r.client!.cpu)),
      serverRssMiB: median(ok.map((r) => (r.serverRssKiB ?? NaN) / 1024)),
      error: rs.find((r) => !r.ok)?.error,
    });
  }
  for (const s of out) {
    const base = out.find((b) =>
      b.contestant === BASELINE && b.workload === s.workload &&
      b.placement === s.placement
    );
    if (s.median !== undefined && base?.median) {
      s.ratio = s.median / base.median;
    }
  }
  return out;
}

function fmt(x: number | undefined, digits = 0): string {
  if (x === undefined || !Number.isFinite(x)) return "–";
  return x.toLocaleString("en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

function describe(workload: Workload, sizes: number[]): string {
  switch (workload) {
    case "pingpong":
      return `pingpong (${fmt(sizes[0])} × 64 B)`;
    case "bulk":
      return `bulk (${fmt(sizes[0] / MiB)} MiB)`;
    case "concurrent":
      return `concurrent (${sizes[0]} × ${fmt(sizes[1])})`;
    case "selectors":
      return `selectors (${sizes[0]} × ${fmt(sizes[1])})`;
    case "socketserver":
      return `socketserver (${sizes[0]} × ${fmt(sizes[1])})`;
    case "accept":
      return `accept (${fmt(sizes[0])})`;
    case "udp":
      return `udp (${fmt(sizes[0])} × 64 B)`;
    case "tls_bulk":
      return `tls_bulk (${fmt(sizes[0] / MiB)} MiB)`;
    case "tls_handshake":
      return `tls_handshake (${fmt(sizes[0])})`;
  }
}

const PLACEMENT_TITLE: Record<Placement, (cpus: [string, string]) => string> = {
  same: (c) => `same CPU: server and client both on CPU ${c[0]}`,
  split: (c) => `split CPUs: server on CPU ${c[0]}, client on CPU ${c[1]}`,
  unpinned: () => "unpinned (taskset unavailable)",
};

function table(
  summaries: Summary[],
  placement: Placement,
  opts: Options,
): string {
  const rows = [
    `### ${PLACEMENT_TITLE[placement](opts.cpus)}`,
    "",
    "| workload | contestant | median | unit | spread | vs deno_raw | CPU s srv+cli | srv RSS MiB |",
    "| --- | --- | ---: | --- | ---: | ---: | ---: | ---: |",
  ];
  for (const w of opts.workloads) {
    for (const c of opts.contestants) {
      const s = summaries.find((s) =>
        s.placement === placement && s.workload === w &&
        s.contestant === c.name
      );
      if (!s) continue;
      const unit = inMB(w) ? "MB/s" : "ops/s";
      const name = s.failed
        ? `${c.name} (${s.failed}/${s.runs} failed)`
        : c.name;
      const spread = s.median && s.max !== undefined && s.min !== undefined
        ? `${fmt(((s.max - s.min) / s.median) * 100)}%`
        : "–";
      const cpu = s.median === undefined
        ? "–"
        : `${fmt(s.serverCpu, 2)}+${fmt(s.clientCpu, 2)}`;
      rows.push(
        `| ${describe(w, MODES[opts.mode].sizes[w])} | ${name} | ${
          fmt(s.median)
        } | ${unit} | ${spread} | ${fmt(s.ratio, 2)} | ${cpu} | ${
          fmt(s.serverRssMiB, 1)
        } |`,
      );
    }
  }
  return rows.join("\n");
}

/**
 * The socketserver workload's own ratios: pysocket's `ThreadingTCPServer`
 * against the same echo as a hand-written pysocket accept loop (what the
 * framework costs) and against CPython's `ThreadingTCPServer`.
 */
function socketserverRatios(summaries: Summary[], opts: Options): string {
  if (!opts.workloads.includes("socketserver")) return "";
  const rows = [
    "### socketserver: pysocket's ThreadingTCPServer, as ratios",
    "",
    "| placement | ÷ pysocket accept loop | ÷ CPython ThreadingTCPServer |",
    "| --- | ---: | ---: |",
  ];
  for (const placement of opts.placements) {
    const median = (name: string) =>
      summaries.find((s) =>
        s.workload === "socketserver" && s.placement === placement &&
        s.contestant === name
      )?.median;
    const ss = median("pysocket");
    const ratio = (other: number | undefined) =>
      ss === undefined || !other ? "–" : fmt(ss / other, 2);
    rows.push(
      `| ${placement} | ${ratio(median("pysocket_loop"))} | ${
        ratio(median("python_socket"))
      } |`,
    );
  }
  return rows.join("\n");
}

// -------------------------------------------------------------------- main

/**
 * Makes the TLS workloads' certificates with `openssl` (a CA and a server
 * certificate for localhost, signed by it) into `CERTS`, once: `null`, or
 * what failed.
 */
async function makeCerts(): Promise<string | null> {
  const dir = `${ROOT}${CERTS}`;
  if (await commandOutput(["test", "-s", `${dir}/server.pem`]) !== null) {
    return null;
  }
  const steps: string[][] = [
    ["mkdir", "-p", dir],
    [
      "openssl",
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      `${dir}/ca.key`,
      "-out",
      `${dir}/ca.pem`,
      "-days",
      "3650",
      "-subj",
      "/CN=pysocket bench CA",
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign",
    ],
    [
      "openssl",
      "req",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      `${dir}/server.key`,
      "-out",
      `${dir}/server.csr`,
      "-subj",
      "/CN=localhost",
    ],
    [
      "openssl",
      "x509",
      "-req",
      "-in",
      `${dir}/server.csr`,
      "-CA",
      `${dir}/ca.pem`,
      "-CAkey",
      `${dir}/ca.key`,
      "-CAcreateserial",
      "-out",
      `${dir}/server.pem`,
      "-days",
      "3650",
      "-extfile",
      "/dev/stdin",
    ],
  ];
  for (const argv of steps) {
    const ext = argv.includes("/dev/stdin");
    const child = new Deno.Command(argv[0], {
      args: argv.slice(1),
      stdin: ext ? "piped" : "null",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    if (ext) {
      const w = child.stdin.getWriter();
      await w.write(new TextEncoder().encode(
        "subjectAltName=DNS:localhost,IP:127.0.0.1\n",
      ));
      await w.close();
    }
    const out = await child.output().catch((e) => e as Error);
    if (out instanceof Error) return `${argv[0]}: ${out.message}`;
    if (!out.success) {
      return `${argv.join(" ")}: ${new TextDecoder().decode(out.stderr)}`;
    }
  }
  return null;
}

async function main(): Promise<number> {
  let opts: Options;
  try {
    opts = parseOptions(Deno.args);
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    return 2;
  }
  const mode = MODES[opts.mode];
  const started = performance.now();

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, () => {
      for (const child of live) kill(child, "SIGKILL");
      Deno.exit(130);
    });
  }

  clockTicks = Number(await commandOutput(["getconf", "CLK_TCK"])) || 100;
  const pinned = opts.placements.includes("unpinned") ||
    await commandOutput(["taskset", "-c", opts.cpus[1], "true"]) !== null;
  if (!pinned) {
    console.error(
      `warning: cannot pin to CPU ${
        opts.cpus[1]
      } with taskset; running unpinned`,
    );
    opts.placements = ["unpinned"];
  }

  const versions = {
    deno: Deno.version.deno,
    node: await commandOutput(["node", "--version"]) ?? "?",
    python: await commandOutput(["python3", "--version"]) ?? "Python ?",
  };
  const cpuModel = (await commandOutput(["cat", "/proc/cpuinfo"]) ?? "")
    .match(/^model name\s*:\s*(.+)$/m)?.[1] ?? "unknown CPU";

  const total = opts.placements.length * opts.reps *
    opts.workloads.reduce(
      (n, w) => n + opts.contestants.filter((c) => takesPart(w, c)).length,
      0,
    );
  console.error(
    `bench: ${opts.mode} mode, ${opts.reps} rep(s), ${total} runs: ${
      opts.contestants.map((c) => c.name).join(", ")
    }`,
  );

  if (opts.workloads.some((w) => w.startsWith("tls_"))) {
    const made = await makeCerts();
    if (made !== null) {
      console.error(`bench: cannot make the TLS certificates: ${made}`);
      return 1;
    }
  }

  const runs: Run[] = [];
  const broken = new Set<string>();
  let n = 0;
  for (const workload of opts.workloads) {
    for (const placement of opts.placements) {
      for (let rep = 1; rep <= opts.reps; rep++) {
        for (const c of opts.contestants) {
          if (!takesPart(workload, c)) continue;
          n++;
          const key = `${workload}/${placement}/${c.name}`;
          const label = `[${
            String(n).padStart(String(total).length)
          }/${total}] ${workload.padEnd(10)} ${
            placement.padEnd(5)
          } rep ${rep} ${c.name.padEnd(14)}`;
          // A contestant that failed once is not retried in the same cell.
          if (broken.has(key)) {
            console.error(`${label} skipped (failed earlier)`);
            continue;
          }
          const t0 = performance.now();
          const r = await runOnce(c, workload, placement, mode, opts.cpus);
          const run: Run = {
            ...r,
            rep,
            wallSeconds: (performance.now() - t0) / 1000,
          };
          runs.push(run);
          if (run.ok) {
            const unit = inMB(workload) ? "MB/s" : "ops/s";
            console.error(
              `${label} ${fmt(run.value).padStart(10)} ${unit}  (${
                run.client!.seconds.toFixed(2)
              } s)`,
            );
          } else {
            broken.add(key);
            console.error(`${label} FAILED: ${run.error}`);
          }
        }
      }
    }
  }

  const wall = (performance.now() - started) / 1000;
  const summaries = summarize(runs);
  const header = [
    `## pysocket benchmarks (${opts.mode}, median of ${opts.reps})`,
    "",
    `Deno ${versions.deno}, Node ${versions.node}, ${versions.python}; ${navigator.hardwareConcurrency} × ${cpuModel}; ${
      new Date().toISOString()
    }; wall ${wall.toFixed(0)} s`,
  ].join("\n");
  const markdown = [
    header,
    ...opts.placements.map((p) => table(summaries, p, opts)),
    socketserverRatios(summaries, opts),
  ].filter((part) => part !== "").join("\n\n") + "\n";
  console.log(markdown);

  const dir = path("results/");
  Deno.mkdirSync(dir, { recursive: true });
  Deno.writeTextFileSync(
    `${dir}latest.json`,
    JSON.stringify(
      {
        mode: opts.mode,
        reps: opts.reps,
        sizes: mode.sizes,
        cpus: opts.cpus,
        versions,
        cpuModel,
        date: new Date().toISOString(),
        wallSeconds: wall,
        runs,
        summaries,
      },
      null,
      2,
    ) + "\n",
  );
  Deno.writeTextFileSync(`${dir}latest.md`, markdown);

  const failed = runs.filter((r) => !r.ok);
  if (failed.length) {
    console.error(`\n${failed.length} run(s) failed:`);
    for (const r of failed) {
      console.error(
        `- ${r.workload}/${r.placement}/${r.contestant}: ${r.error}`,
      );
    }
    return 1;
  }
  return 0;
}

Deno.exit(await main());
