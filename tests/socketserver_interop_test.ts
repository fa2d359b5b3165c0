// Copyright the pysocket authors. MIT license.
// socketserver across languages: the Python documentation's socketserver
// examples, ported in examples/socketserver_*.ts, driven by the
// documentation's own Python clients (tests/fixtures/socketserver_*.py),
// and our ported clients against CPython's servers, each pair printing
// what the all-Python pair prints; the threaded example against its
// Python original; the order CPython calls the hooks in, asked of python3;
// and handle_error()'s stderr block next to CPython's. Each example runs
// under the runtime the test runs on (runtimeArgv).

import { assert, assertEquals, assertMatch } from "@std/assert";
import { fileURLToPath } from "node:url";
import * as socket from "../mod.ts";
import { CPYTHON_ORDER, recordHookOrder } from "./_socketserver_hooks.ts";
import {
  b,
  Child,
  type ChildResult,
  noPython,
  runtimeArgv,
  str,
  test,
} from "./_util.ts";

const noPy = await noPython();

const root = new URL("..", import.meta.url);
const example = (name: string) =>
  new URL(`../examples/${name}`, import.meta.url);
const fixture = (name: string) =>
  fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** Deno's flags for the examples, as their header comments give them. */
const NET = ["--no-prompt", "--allow-net=localhost,127.0.0.1,0.0.0.0"];

/** Starts a program in the repository's root, without colours. */
function start(
  command: string,
  args: string[],
  env: Record<string, string> = {},
): Child {
  return new Child(command, args, {
    cwd: root,
    env: { NO_COLOR: "1", ...env },
    timeoutMs: 30_000,
  });
}

/** Starts `examples/<name>` under the runtime this test runs on. */
function startExample(
  name: string,
  args: string[],
  env: Record<string, string> = {},
): Child {
  const [cmd, ...argv] = runtimeArgv(example(name), { denoFlags: NET });
  return start(cmd, [...argv, ...args], env);
}

/** Starts `tests/fixtures/<name>` (a .py under python3, else an example). */
function startFixture(
  name: string,
  args: string[],
  env: Record<string, string> = {},
): Child {
  if (name.endsWith(".py")) {
    return start("python3", ["-u", fixture(name), ...args], env);
  }
  const [cmd, ...argv] = runtimeArgv(
    new URL(`./fixtures/${name}`, import.meta.url),
    { denoFlags: NET },
  );
  return start(cmd, [...argv, ...args], env);
}

/** The port a server printed on stderr: `serving on ('127.0.0.1', P)`. */
async function servingPort(server: Child): Promise<number> {
  const [, port] = await server.waitFor(
    "stderr",
    /serving on \('127\.0\.0\.1', (\d+)\)/,
  );
  return Number(port);
}

/** A server (ours or CPython's) with a client (ours or CPython's). */
interface Side {
  name: string;
  start(args: string[], env?: Record<string, string>): Child;
}

const servers = (kind: "tcp" | "stream" | "udp"): Side[] => [
  {
    name: `examples/socketserver_${kind === "udp" ? "udp" : kind}_server.ts`,
    // (The examples take the port as `--port P`, the fixtures as argv[1].)
    start: ([port, ...args]) =>
      startExample(
        `socketserver_${kind === "stream" ? "stream" : kind}_server.ts`,
        ["--port", port, ...args],
      ),
  },
  {
    name: `CPython's ${kind} server`,
    start: (args) =>
      startFixture(
        `socketserver_${kind === "udp" ? "udp" : "tcp"}_server.py`,
        kind === "stream" ? [...args, "stream"] : args,
      ),
  },
];

const clients = (kind: "tcp" | "udp"): Side[] => [
  {
    name: `examples/socketserver_${kind}_client.ts`,
    start: (args, env) =>
      startExample(`socketserver_${kind}_client.ts`, [
        "--port",
        env!.PORT,
        ...args,
      ]),
  },
  {
    name: `CPython's ${kind} client`,
    start: (args, env) =>
      startFixture(`socketserver_${kind}_client.py`, args, env),
  },
];

/** Runs `client` against `server` and returns both outputs. */
async function exchange(
  server: Side,
  client: Side,
  words: string[],
): Promise<{ client: ChildResult; server: string }> {
  const srv = server.start(["0"]);
  try {
    const port = await servingPort(srv);
    const out = await client.start(words, { PORT: String(port) }).exit();
    // The server prints its two lines once the request is handled.
    await srv.waitFor("stdout", /wrote:\n.*\n/);
    return { client: out, server: srv.stdout };
  } finally {
    await srv.kill();
  }
}

for (const kind of ["tcp", "stream", "udp"] as const) {
  for (const server of servers(kind)) {
    for (const client of clients(kind === "udp" ? "udp" : "tcp")) {
      test(
        `socketserver ${kind} example: ${client.name} with ${server.name}`,
        async () => {
          const got = await exchange(server, client, ["hello", "world"]);
          assertEquals(
            got.client.stdout,
            "Sent:     hello world\nReceived: HELLO WORLD\n",
            got.client.stderr,
          );
          assertEquals(got.client.code, 0);
          assertEquals(got.server, "127.0.0.1 wrote:\nb'hello world'\n");
        },
        { ignore: noPy },
      );
    }
  }
}

test(
  "examples/socketserver_threaded.ts prints what the Python original prints (tasks for threads)",
  async () => {
    const ours = await startExample("socketserver_threaded.ts", []).exit();
    const theirs = await startFixture("socketserver_threaded.py", []).exit();
    assertEquals([ours.code, theirs.code], [0, 0], ours.stderr + theirs.stderr);
    assertEquals(
      theirs.stdout,
      [
        "Server loop running in thread: Thread-1 (serve_forever)",
        "Received: Thread-2 (process_request_thread): Hello World 1",
        "Received: Thread-3 (process_request_thread): Hello World 2",
        "Received: Thread-4 (process_request_thread): Hello World 3",
        "",
      ].join("\n"),
    );
    const lines = ours.stdout.trimEnd().split("\n");
    assertEquals(lines.slice(0, 4), [
      "Server loop running in task: Task-1",
      "Received: Task-2: Hello World 1",
      "Received: Task-3: Hello World 2",
      "Received: Task-4: Hello World 3",
    ]);
    // Then the three clients at once, answered in any order.
    assertEquals(lines.length, 7);
    for (const line of lines.slice(4)) {
      assertMatch(line, /^Received: Task-[567]: Hello World [456]$/);
    }
  },
  { ignore: noPy },
);

test(
  "the hooks are called in the order python3 calls them",
  async () => {
    const py = start("python3", [fixture("socketserver_hooks.py")]);
    const { code, stdout, stderr } = await py.exit();
    assertEquals(code, 0, stderr);
    const theirs = JSON.parse(stdout);
    assertEquals(theirs, CPYTHON_ORDER);
    assertEquals(await recordHookOrder(), theirs);
  },
  { ignore: noPy },
);

test(
  "handle_error() prints the block CPython prints, in its order, with the JS stack's frames for the traceback's; the server goes on",
  async () => {
    const results: { stdout: string; stderr: string; client: string }[] = [];
    for (const name of ["socketserver_error.py", "socketserver_error.ts"]) {
      const server = startFixture(name, []);
      try {
        const [, port] = await server.waitFor("stdout", /^(\d+)$/m);
        const bad = await socket.create_connection(
          ["127.0.0.1", Number(port)],
          5,
        );
        await bad.sendall(b("boom"));
        assertEquals((await bad.recv(10)).length, 0); // closed after the error
        const [host, cport] = bad.getsockname() as socket.IPv4Address;
        bad.close();
        await server.waitFor("stdout", /still serving/);
        const good = await socket.create_connection(
          ["127.0.0.1", Number(port)],
          5,
        );
        await good.sendall(b("fine"));
        const answer = str(await good.recv(10));
        good.close();
        const result = await server.exit();
        assertEquals(result.code, 0, result.stderr);
        results.push({
          stdout: result.stdout.replace(/^\d+\n/, ""),
          stderr: result.stderr.replace(
            `('${host}', ${cport})`,
            "('127.0.0.1', PORT)",
          ),
          client: answer,
        });
      } finally {
        await server.kill();
      }
    }
    const [theirs, ours] = results;
    assertEquals(ours.stdout, theirs.stdout);
    assertEquals([ours.client, theirs.client], ["FINE", "FINE"]);
    const rule = "-".repeat(40);
    const head = [
      rule,
      "Exception occurred during processing of request from ('127.0.0.1', PORT)",
    ];
    const py = theirs.stderr.trimEnd().split("\n");
    const js = ours.stderr.trimEnd().split("\n");
    assertEquals(py.slice(0, 2), head);
    assertEquals(js.slice(0, 2), head);
    // Both a traceback ending with the exception: CPython's frames,
    // pysocket's JS stack, innermost last.
    assertEquals(py[2], "Traceback (most recent call last):");
    assertEquals(js[2], "Traceback (most recent call last):");
    assertEquals([py.at(-2), js.at(-2)], [
      "ValueError: boom",
      "ValueError: boom",
    ]);
    assert(js.length > 5, ours.stderr);
    assert(js.slice(3, -2).every((l) => /^\s+at /.test(l)), ours.stderr);
    assertEquals([py.at(-1), js.at(-1)], [rule, rule]);
  },
  { ignore: noPy },
);

test(
  "CPython's DatagramRequestHandler and ours both answer an empty wfile with an empty datagram",
  async () => {
    const script = `
import socketserver, sys
class Quiet(socketserver.DatagramRequestHandler):
    def handle(self):
        pass
with socketserver.UDPServer(("127.0.0.1", 0), Quiet) as server:
    print(server.server_address[1], flush=True)
    server.handle_request()
`;
    const py = start("python3", ["-u", "-c", script]);
    try {
      const [, port] = await py.waitFor("stdout", /^(\d+)$/m);
      using sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
      sock.settimeout(5);
      await sock.sendto(b("anything"), ["127.0.0.1", Number(port)]);
      const [data, from] = await sock.recvfrom(100);
      assertEquals([data.length, from], [0, ["127.0.0.1", Number(port)]]);
      assertEquals((await py.exit()).code, 0);
    } finally {
      await py.kill();
    }
    // The same handler on pysocket.
    const { UDPServer, DatagramRequestHandler } = await import(
      "../socketserver.ts"
    );
    class Quiet extends DatagramRequestHandler {
      override handle() {}
    }
    await using server = new UDPServer(["127.0.0.1", 0], Quiet);
    using sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
    sock.settimeout(5);
    await sock.sendto(b("anything"), server.server_address);
    await server.handle_request();
    const [data, from] = await sock.recvfrom(100);
    assertEquals([data.length, from], [0, server.server_address]);
  },
  { ignore: noPy },
);
