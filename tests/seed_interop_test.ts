// Copyright the pysocket authors. MIT license.
// The seed document's demo, both ways across languages: the seed's own
// Python server (tests/fixtures/seed_server.py) with our examples/client.ts,
// and our examples/server.ts with the seed's Python client; then the other
// examples (errors, with, demo). Each example runs under the runtime the
// test runs on (runtimeArgv); Deno's permission flags and messages are
// pinned in tests/deno/examples_test.ts.
import { assert, assertEquals, assertMatch } from "@std/assert";
import * as socket from "../mod.ts";
import { fileURLToPath } from "node:url";
import {
  Child,
  type ChildResult,
  freePort,
  noSeedDemo,
  runtimeArgv,
  sleep,
  test,
} from "./_util.ts";

const root = new URL("..", import.meta.url);
const example = (name: string) =>
  new URL(`../examples/${name}`, import.meta.url);
const fixture = (name: string) =>
  fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** What the seed's server prints per client: Python's `str(addr)`. */
const ADDRESS_LINE = /^连接地址: \('([^']+)', (\d+)\)$/;

/** Starts a program in the repository's root, without colours. */
function start(command: string, args: string[]): Child {
  return new Child(command, args, { cwd: root, env: { NO_COLOR: "1" } });
}

/** Runs a command to its end. */
function run(command: string, args: string[]): Promise<ChildResult> {
  return start(command, args).exit();
}

/** Deno's flags for the seed's programs: the network and the host name. */
const NET = ["--no-prompt", "--allow-net", "--allow-sys=hostname"];

/**
 * Starts `examples/<name>` with `args` under the runtime this test runs on
 * (with Deno's `denoFlags` on Deno).
 */
function startExample(
  name: string,
  args: string[],
  denoFlags: string[] = NET,
): Child {
  const [cmd, ...argv] = runtimeArgv(example(name), { denoFlags });
  return start(cmd, [...argv, ...args]);
}

/** Runs `examples/<name>` to its end; see {@linkcode startExample}. */
function runExample(
  name: string,
  args: string[],
  denoFlags: string[] = NET,
): Promise<ChildResult> {
  return startExample(name, args, denoFlags).exit();
}

/** `false`, or why the seed's demo cannot run here (python3, host name). */
const noSeed = await noSeedDemo();

/**
 * Starts the seed's Python server on `port` and waits until it serves:
 * connects (as the seed's client does) until it gets "Hello World".
 */
async function startSeedServer(port: number): Promise<Child> {
  const server = start("python3", [
    "-u",
    fixture("seed_server.py"),
    String(port),
  ]);
  try {
    const host = socket.gethostname();
    for (let i = 0;; i++) {
      using probe = socket.socket();
      try {
        await probe.connect([host, port]);
        const msg = await probe.recv(1024);
        assertEquals(new TextDecoder().decode(msg), "Hello World");
        return server;
      } catch (err) {
        if (!(err instanceof socket.ConnectionRefusedError) || i > 200) {
          throw err;
        }
        await sleep(50);
      }
    }
  } catch (err) {
    await server.kill();
    throw err;
  }
}

test(
  "examples/client.ts gets Hello World from the seed's Python server",
  async () => {
    const port = freePort();
    const server = await startSeedServer(port);
    let client;
    try {
      client = await runExample("client.ts", ["--port", String(port)]);
    } finally {
      const { stdout } = await server.kill();
      // One line for the readiness probe, one for our client.
      const lines = stdout.trimEnd().split("\n");
      assertEquals(lines.length, 2, stdout);
      for (const line of lines) assertMatch(line, ADDRESS_LINE);
    }
    assertEquals(client.stdout, "Hello World\n", client.stderr);
    assertEquals(client.code, 0);
  },
  { ignore: noSeed },
);

test(
  "examples/server.ts serves the seed's Python client, printing the address as Python does",
  async () => {
    // The Python server's line for the Python client: the reference.
    const port = freePort();
    const seed = await startSeedServer(port);
    let reference: string;
    try {
      const client = await run("python3", [
        fixture("seed_client.py"),
        String(port),
      ]);
      assertEquals(client.stdout, "Hello World\n", client.stderr);
    } finally {
      reference = (await seed.kill()).stdout.trimEnd().split("\n").at(-1)!;
    }

    // Ours, with the same client. Port 0: the server says which it got.
    const server = startExample("server.ts", ["--port", "0", "--count", "1"]);
    let client;
    try {
      const [, host, ours] = await server.waitFor(
        "stderr",
        /^listening on \('([^']+)', (\d+)\)$/m,
      );
      assert(Number(ours) > 0);
      assertEquals(
        host,
        (await run("python3", [
          "-c",
          "import socket; print(socket.gethostbyname(socket.gethostname()))",
        ])).stdout.trim(),
      );
      client = await run("python3", [fixture("seed_client.py"), ours]);
      if (client.code !== 0) throw new Error(`client failed: ${client.stderr}`);
    } catch (err) {
      await server.kill();
      throw err;
    }
    // --count 1: it exits by itself once it has served the client.
    const { code, stdout, stderr } = await server.exit();
    assertEquals(client.stdout, "Hello World\n", client.stderr);
    assertEquals(code, 0, stderr);
    const line = stdout.trimEnd();
    const [, ip, peerPort] = ADDRESS_LINE.exec(line) ?? [];
    assert(ip !== undefined, `not Python's format: ${JSON.stringify(line)}`);
    assert(Number(peerPort) > 0 && Number(peerPort) < 65536);
    // Python's str(addr) for the same situation, ports aside.
    const shape = (s: string) => s.replace(/, \d+\)$/, ", <port>)");
    assertEquals(shape(line), shape(reference));
    if (ip === "127.0.0.1") {
      assertEquals(shape(line), "连接地址: ('127.0.0.1', <port>)");
    }
  },
  { ignore: noSeed },
);

test(
  "examples/server.ts and client.ts talk to each other on gethostname()",
  async () => {
    const port = String(freePort());
    const server = startExample("server.ts", ["--port", port, "--count", "1"]);
    let client;
    let host;
    try {
      [, host] = await server.waitFor(
        "stderr",
        /^listening on \('([^']+)', \d+\)$/m,
      );
      client = await runExample("client.ts", ["--port", port]);
      if (client.code !== 0) {
        throw new Error(`client failed: ${client.stderr}`);
      }
    } catch (err) {
      await server.kill();
      throw err;
    }
    assertEquals(client.stdout, "Hello World\n", client.stderr);
    assertEquals(client.stderr, "");
    const { code, stdout, stderr } = await server.exit();
    assertEquals(code, 0, stderr);
    assertEquals(stderr, `listening on ('${host}', ${port})\n`);
    assertMatch(stdout, new RegExp(`^连接地址: \\('${host}', \\d+\\)\n$`));
  },
  { ignore: noSeed },
);

test("examples/errors.ts takes each of the seed's three except branches", async () => {
  const { code, stdout, stderr } = await runExample("errors.ts", [], [
    "--no-prompt",
    "--allow-net=127.0.0.1",
  ]);
  assertEquals(stderr, "");
  assertEquals(code, 0);
  assertEquals(stdout.split("\n"), [
    "-- connect to a closed port",
    "Connection refused by the server: [Errno 111] Connection refused",
    "-- recv() from a server that never sends",
    "Timed out: timed out",
    "-- bind an address that is in use",
    "OS error: [Errno 98] Address already in use",
    "",
  ]);
});

test("examples/with.ts shows the socket closed after the using block", async () => {
  const { code, stdout, stderr } = await runExample("with.ts", [], [
    "--no-prompt",
    "--allow-net=127.0.0.1",
  ]);
  assertEquals(stderr, "");
  assertEquals(code, 0);
  const closed = "<socket.socket [closed] fd=-1, family=2, type=1, proto=0>";
  const lines = stdout.split("\n");
  assertMatch(
    lines[0],
    /^in the block: {4}<socket\.socket fd=\d+, family=2, type=1, proto=0, laddr=\('127\.0\.0\.1', \d+\), raddr=\('127\.0\.0\.1', \d+\)>$/,
  );
  assertEquals(lines.slice(1), [
    `after the block: ${closed}`,
    `after an error:  ${closed} (something went wrong in the block)`,
    `await using:     ${closed}`,
    "the server got:  Hello World",
    "",
  ]);
});

test("examples/demo.ts runs the seed's server and client and stops the server", async () => {
  const { code, stdout, stderr } = await runExample("demo.ts", [
    "--port",
    "0",
  ], ["--no-prompt", "--allow-run"]);
  assertEquals(stderr, "");
  assertEquals(code, 0, stdout);
  const lines = stdout.trimEnd().split("\n");
  assertEquals(lines.length, 4, stdout);
  assertMatch(lines[0], /^\[server\] listening on \('[^']+', \d+\)$/);
  // The two programs' lines may come in either order.
  const [connected] = lines.slice(1, 3).filter((l) => l.startsWith("[server]"));
  assertMatch(connected ?? "", /^\[server\] 连接地址: \('[^']+', \d+\)$/);
  assert(lines.slice(1, 3).includes("[client] Hello World"), stdout);
  assertEquals(lines[3], "demo: ok, the client printed Hello World");
});
