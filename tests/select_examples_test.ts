// Copyright the pysocket authors. MIT license.
// The select and selectors examples against Python peers, with hundreds of
// connections at once and every byte checked: Real Python's
// multiconn-server and multiconn-client ports (examples/multiconn_*.ts),
// and the select() chat server (examples/select_chat_server.ts), next to
// the Python program it ports, under the same Python clients. Each example
// runs under the runtime the test runs on.

import { assert, assertEquals } from "@std/assert";
import { fileURLToPath } from "node:url";
import {
  Child,
  type ChildResult,
  freePort,
  noPython,
  runtimeArgv,
  sleep,
  test,
} from "./_util.ts";

const noPy = await noPython();
const root = new URL("..", import.meta.url);
const fixture = (name: string) =>
  fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** Starts `examples/<name>` under this test's runtime. */
function startExample(name: string, args: string[]): Child {
  const [cmd, ...argv] = runtimeArgv(
    new URL(`../examples/${name}`, import.meta.url),
    { denoFlags: ["--no-prompt", "--allow-net=127.0.0.1"] },
  );
  return new Child(cmd, [...argv, ...args], {
    cwd: root,
    env: { NO_COLOR: "1" },
    timeoutMs: 120_000,
  });
}

/** Runs a Python peer to its end. */
function python(script: string, args: string[]): Child {
  return new Child("python3", ["-u", fixture(script), ...args], {
    cwd: root,
    timeoutMs: 120_000,
  });
}

/** The JSON line a Python peer printed last. */
function lastJson(result: ChildResult): Record<string, number> {
  assertEquals(result.code, 0, `${result.stdout}\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split("\n").at(-1)!);
}

test(
  "examples/multiconn_server.ts echoes every byte to 250 Python clients at once, then stops on Ctrl-C",
  async () => {
    const port = String(freePort());
    await using server = startExample("multiconn_server.ts", [
      "127.0.0.1",
      port,
    ]);
    await server.waitFor("stdout", /^Listening on \('127\.0\.0\.1', \d+\)$/m);
    const clients = await python("echo_clients.py", ["127.0.0.1", port, "250"])
      .exit();
    assertEquals(lastJson(clients), { conns: 250, ok: 250 });
    const accepted = server.stdout.match(/^Accepted connection from /gm) ?? [];
    assertEquals(accepted.length, 250);
    // The clients have closed: the server sees each end of stream in its
    // own time (a loaded machine may take a while); then Ctrl-C.
    const closing = () =>
      (server.stdout.match(/^Closing connection to /gm) ?? []).length;
    const deadline = Date.now() + 30_000;
    while (closing() < 250 && Date.now() < deadline) await sleep(20);
    const done = await server.kill("SIGINT");
    assert(
      done.stdout.endsWith("Caught keyboard interrupt, exiting\n"),
      done.stdout.slice(-200),
    );
    assertEquals(
      (done.stdout.match(/^Closing connection to /gm) ?? []).length,
      250,
    );
  },
  { ignore: noPy, timeout: 120_000 },
);

test(
  "examples/multiconn_client.ts with 250 connections against a Python echo server: every connection sends and gets back both messages",
  async () => {
    await using server = python("echo_server.py", []);
    const [, port] = await server.waitFor("stdout", /^(\d+)\n/);
    const client = await startExample("multiconn_client.ts", [
      "127.0.0.1",
      port,
      "250",
    ]).exit();
    assertEquals(client.code, 0, client.stderr);
    // What each connection received, in order, from the client's output.
    const received = new Map<number, string>();
    for (
      const m of client.stdout.matchAll(
        /^Received b'(.*)' from connection (\d+)$/gm,
      )
    ) {
      const id = Number(m[2]);
      received.set(id, (received.get(id) ?? "") + m[1]);
    }
    const messages = "Message 1 from client.Message 2 from client.";
    assertEquals(received.size, 250);
    for (const [id, text] of received) {
      assertEquals(text, messages, `connection ${id}`);
    }
    assertEquals(
      (client.stdout.match(/^Closing connection \d+$/gm) ?? []).length,
      250,
    );
    // And the server got exactly the two messages on each connection.
    for (
      let i = 0;
      i < 250 && (server.stdout.match(/"received"/g) ?? []).length < 250;
      i++
    ) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const lines = server.stdout.trim().split("\n").slice(1).map((l) =>
      JSON.parse(l).received
    );
    assertEquals(lines, Array(250).fill(messages));
  },
  { ignore: noPy, timeout: 120_000 },
);

for (const program of ["python", "pysocket"] as const) {
  test(
    `the select() chat server (${
      program === "python"
        ? "the Python original"
        : "examples/select_chat_server.ts"
    }) relays 5 lines from each of 200 Python clients to the 199 others, every byte in order`,
    async () => {
      const port = String(freePort());
      await using server = program === "python"
        ? python("select_chat_server.py", ["127.0.0.1", port])
        : startExample("select_chat_server.ts", ["127.0.0.1", port]);
      await server.waitFor("stdout", /^Chat server listening on /m);
      const clients = await python("chat_clients.py", [
        "127.0.0.1",
        port,
        "200",
        "5",
      ]).exit();
      assertEquals(lastJson(clients), {
        clients: 200,
        ok: 200,
        lines: 199_000,
      });
      // Every client that joined left.
      for (
        let i = 0;
        i < 250 && (server.stdout.match(/ left$/gm) ?? []).length < 200;
        i++
      ) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assertEquals((server.stdout.match(/ joined$/gm) ?? []).length, 200);
      assertEquals((server.stdout.match(/ left$/gm) ?? []).length, 200);
    },
    { ignore: noPy, timeout: 120_000 },
  );
}
