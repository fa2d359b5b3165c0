// Copyright the pysocket authors. MIT license.
// The seed document's demo, both ways across languages: the seed's own
// Python server (tests/fixtures/seed_server.py) with our examples/client.ts,
// and our examples/server.ts with the seed's Python client; then the other
// examples (errors, with, demo) and the permission message of server.ts.
import { assert, assertEquals, assertMatch } from "@std/assert";
import * as socket from "../mod.ts";
import { freePort, hasPython, sleep, test } from "./_util.ts";

const deno = Deno.execPath();
const root = new URL("..", import.meta.url);
const example = (name: string) =>
  new URL(`../examples/${name}`, import.meta.url).href;
const fixture = (name: string) =>
  decodeURIComponent(new URL(`./fixtures/${name}`, import.meta.url).pathname);

/** What the seed's server prints per client: Python's `str(addr)`. */
const ADDRESS_LINE = /^连接地址: \('([^']+)', (\d+)\)$/;

/** A running child whose stdout and stderr are collected as they come. */
class Child {
  readonly #child: Deno.ChildProcess;
  readonly #done: Promise<[Deno.CommandStatus, string, string]>;
  stdout = "";
  stderr = "";
  #changed: () => void = () => {};

  constructor(command: string, args: string[]) {
    this.#child = new Deno.Command(command, {
      args,
      cwd: root,
      env: { NO_COLOR: "1" },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const collect = async (
      stream: ReadableStream<Uint8Array>,
      key: "stdout" | "stderr",
    ) => {
      for await (const text of stream.pipeThrough(new TextDecoderStream())) {
        this[key] += text;
        this.#changed();
      }
    };
    // Nothing here should take long: a child that hangs is stopped.
    const timer = setTimeout(() => this.#child.kill("SIGKILL"), 60_000);
    this.#done = Promise.all([
      this.#child.status,
      collect(this.#child.stdout, "stdout"),
      collect(this.#child.stderr, "stderr"),
    ]).then(([status]) => {
      clearTimeout(timer);
      this.#changed();
      return [status, this.stdout, this.stderr];
    });
  }

  /** Waits until `pattern` matches what the child wrote to `stream`. */
  async waitFor(
    stream: "stdout" | "stderr",
    pattern: RegExp,
    ms = 10_000,
  ): Promise<RegExpExecArray> {
    let exited = false;
    this.#done.then(() => exited = true);
    const deadline = Date.now() + ms;
    while (true) {
      const m = pattern.exec(this[stream]);
      if (m) return m;
      if (exited || Date.now() > deadline) {
        throw new Error(
          `no ${pattern} on ${stream}${exited ? " (the child exited)" : ""}\n` +
            `stdout: ${this.stdout}\nstderr: ${this.stderr}`,
        );
      }
      const { promise, resolve } = Promise.withResolvers<void>();
      this.#changed = resolve;
      const timer = setTimeout(resolve, 50);
      await promise;
      clearTimeout(timer);
    }
  }

  /** Waits for the child to exit. */
  async exit(): Promise<{ code: number; stdout: string; stderr: string }> {
    const [status, stdout, stderr] = await this.#done;
    return { code: status.code, stdout, stderr };
  }

  /** Stops the child (if still running) and waits for it. */
  async kill(): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      this.#child.kill("SIGTERM");
    } catch {
      // already exited
    }
    return await this.exit();
  }
}

/** Runs a command to its end. */
function run(command: string, args: string[]) {
  return new Child(command, args).exit();
}

const NET = ["--no-prompt", "--allow-net", "--allow-sys=hostname"];

const python = await hasPython();
/** The seed binds and connects to `gethostname()`: it has to resolve. */
const hostResolves = python &&
  (await run("python3", [
      "-c",
      "import socket; socket.gethostbyname(socket.gethostname())",
    ])).code === 0;
if (python && !hostResolves) {
  const why = "the host name does not resolve: the seed's demo cannot run";
  if (Deno.env.get("CI")) throw new Error(why);
  console.warn(`NOTICE: ${why}; its interop tests are skipped.`);
}

/**
 * Starts the seed's Python server on `port` and waits until it serves:
 * connects (as the seed's client does) until it gets "Hello World".
 */
async function startSeedServer(port: number): Promise<Child> {
  const server = new Child("python3", [
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
      client = await run(deno, [
        "run",
        ...NET,
        example("client.ts"),
        "--port",
        String(port),
      ]);
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
  { ignore: !hostResolves },
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
    const server = new Child(deno, [
      "run",
      ...NET,
      example("server.ts"),
      "--port",
      "0",
      "--count",
      "1",
    ]);
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
  { ignore: !hostResolves },
);

const NOTE =
  'note: --allow-sys=hostname not granted; using "localhost" instead of gethostname()\n';

for (
  const { flags, note } of [
    // No --allow-sys=hostname: "localhost", with a note.
    { flags: (port: string) => [`--allow-net=localhost:${port}`], note: NOTE },
    // The seed's gethostname(), with --allow-net scoped to it.
    {
      flags: (port: string) => [
        "--allow-sys=hostname",
        `--allow-net=${socket.gethostname()}:${port}`,
      ],
      note: "",
    },
  ]
) {
  const scoped = flags("P").join(" ");
  test(
    `examples/server.ts and client.ts talk to each other with ${scoped}`,
    async () => {
      const port = String(freePort());
      const server = new Child(deno, [
        "run",
        "--no-prompt",
        ...flags(port),
        example("server.ts"),
        "--port",
        port,
        "--count",
        "1",
      ]);
      let client;
      let host;
      try {
        [, host] = await server.waitFor(
          "stderr",
          /^listening on \('([^']+)', \d+\)$/m,
        );
        client = await run(deno, [
          "run",
          "--no-prompt",
          ...flags(port),
          example("client.ts"),
          "--port",
          port,
        ]);
        if (client.code !== 0) {
          throw new Error(`client failed: ${client.stderr}`);
        }
      } catch (err) {
        await server.kill();
        throw err;
      }
      assertEquals(client.stdout, "Hello World\n", client.stderr);
      assertEquals(client.stderr, note);
      const { code, stdout, stderr } = await server.exit();
      assertEquals(code, 0, stderr);
      assertEquals(stderr, `${note}listening on ('${host}', ${port})\n`);
      assertMatch(stdout, new RegExp(`^连接地址: \\('${host}', \\d+\\)\n$`));
      if (note) assertEquals(host, "127.0.0.1");
    },
    { ignore: !hostResolves && note === "" },
  );
}

test("examples/server.ts without --allow-net names the flag to add", async () => {
  const { code, stdout, stderr } = await run(deno, [
    "run",
    "--no-prompt",
    example("server.ts"),
  ]);
  assertEquals(code, 1);
  assertEquals(stdout, "");
  assertMatch(
    stderr,
    /^error: Uncaught \(in promise\) PermissionError: \[Errno 13\] Permission denied: net access to "localhost:12345" \(run again with --allow-net=localhost:12345\)$/m,
  );

  const named = await run(deno, [
    "run",
    "--no-prompt",
    "--allow-sys=hostname",
    example("server.ts"),
  ]);
  assertEquals(named.code, 1);
  const host = socket.gethostname();
  assert(
    named.stderr.includes(
      `PermissionError: [Errno 13] Permission denied: net access to "${host}:12345" (run again with --allow-net=${host}:12345)`,
    ),
    named.stderr,
  );
});

test("examples/errors.ts takes each of the seed's three except branches", async () => {
  const { code, stdout, stderr } = await run(deno, [
    "run",
    "--no-prompt",
    "--allow-net=127.0.0.1",
    example("errors.ts"),
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
  const { code, stdout, stderr } = await run(deno, [
    "run",
    "--no-prompt",
    "--allow-net=127.0.0.1",
    example("with.ts"),
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
  const { code, stdout, stderr } = await run(deno, [
    "run",
    "--no-prompt",
    "--allow-run",
    example("demo.ts"),
    "--port",
    "0",
  ]);
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
