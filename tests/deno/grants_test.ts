// Copyright the pysocket authors. MIT license.
// Deno only: the README's command for each example names the narrowest
// --allow-net grant it needs. Each example runs here under exactly the
// README's flags (the documented port replaced by a free one), and where a
// grant lists several entries, leaving any one out makes the run fail with
// the PermissionError naming it.
import { assert, assertEquals, assertMatch } from "@std/assert";
import { Child, freePort, readTextFile, test } from "../_util.ts";

const root = new URL("../..", import.meta.url);
const readme = await readTextFile(new URL("README.md", root));

/** The ports the examples use by default, as the README's grants spell them. */
const DEFAULT_PORTS = ["9999", "12346", "65432"];

/**
 * The `--allow-net` grant of `examples/<name>` in the README's example
 * tables, as its entries.
 */
function readmeGrant(name: string): string[] {
  const row = readme.split("\n").find((line) =>
    line.startsWith(`| \`examples/${name}\``)
  );
  const m = row?.match(/`deno run [^`]*?--allow-net=(\S+) [^`]*`/);
  if (m == null) throw new Error(`no README row with --allow-net for ${name}`);
  return m[1].split(",");
}

/** A grant's entries with the documented port replaced by `port`. */
function onPort(entries: string[], port: string): string[] {
  return entries.map((e) => {
    const [host, p] = e.split(/:(?=\d+$)/);
    return p !== undefined && DEFAULT_PORTS.includes(p) ? `${host}:${port}` : e;
  });
}

/** `deno run --no-prompt --allow-net=<entries> examples/<name> <args>`. */
function start(
  entries: string[],
  name: string,
  args: string[],
  timeoutMs = 30_000,
): Child {
  return new Child(Deno.execPath(), [
    "run",
    "--no-prompt",
    `--allow-net=${entries.join(",")}`,
    `examples/${name}`,
    ...args,
  ], { cwd: root, env: { NO_COLOR: "1" }, timeoutMs });
}

interface Pair {
  server: string;
  serverArgs: (port: string) => string[];
  /** What the server prints on stderr once it listens. */
  ready: RegExp;
  client: string;
  clientArgs: (port: string) => string[];
  /** The client's whole stdout. */
  expected: string;
}

const PAIRS: Pair[] = [
  {
    server: "udp_server.ts",
    serverArgs: (p) => ["--port", p],
    ready: /^listening on /m,
    client: "udp_client.ts",
    clientArgs: (p) => ["--port", p, "localhost"],
    expected: "localhost 127.0.0.1\n",
  },
  ...["socketserver_tcp_server.ts", "socketserver_stream_server.ts"].map((
    server,
  ) => ({
    server,
    serverArgs: (p: string) => ["--port", p],
    ready: /^serving on /m,
    client: "socketserver_tcp_client.ts",
    clientArgs: (p: string) => ["--port", p, "hello", "world"],
    expected: "Sent:     hello world\nReceived: HELLO WORLD\n",
  })),
  {
    server: "socketserver_udp_server.ts",
    serverArgs: (p) => ["--port", p],
    ready: /^serving on /m,
    client: "socketserver_udp_client.ts",
    clientArgs: (p) => ["--port", p, "hello", "world"],
    expected: "Sent:     hello world\nReceived: HELLO WORLD\n",
  },
];

/** Runs a pair under the given grants; the client's result. */
async function runPair(
  pair: Pair,
  port: string,
  serverGrant: string[],
  clientGrant: string[],
) {
  await using server = start(serverGrant, pair.server, pair.serverArgs(port));
  await server.waitFor("stderr", pair.ready);
  return await start(clientGrant, pair.client, pair.clientArgs(port)).exit();
}

/** Asserts that a run failed for want of one of `missing`'s grants. */
function assertDenied(
  result: { code: number; stderr: string },
  what: string,
): void {
  assert(result.code !== 0, `ran without ${what}`);
  assertMatch(
    result.stderr,
    /PermissionError: \[Errno 13\] Permission denied: net access to /,
  );
}

for (const pair of PAIRS) {
  const serverGrant = readmeGrant(pair.server);
  const clientGrant = readmeGrant(pair.client);
  test(
    `${pair.server} and ${pair.client} run under the README's grants (${
      serverGrant.join(",")
    } / ${clientGrant.join(",")})`,
    async () => {
      const port = String(freePort());
      const client = await runPair(
        pair,
        port,
        onPort(serverGrant, port),
        onPort(clientGrant, port),
      );
      assertEquals(client.stdout, pair.expected, client.stderr);
      assertEquals(client.code, 0);
    },
  );
  for (
    const [side, grant] of [["server", serverGrant], [
      "client",
      clientGrant,
    ]] as const
  ) {
    if (grant.length < 2) continue;
    test(`${pair[side]}: every entry of --allow-net=${grant.join(",")} is needed`, async () => {
      for (const left of grant) {
        const port = String(freePort());
        const fewer = onPort(grant.filter((e) => e !== left), port);
        const full = (g: string[]) => onPort(g, port);
        if (side === "client") {
          const client = await runPair(pair, port, full(serverGrant), fewer);
          assertDenied(client, left);
        } else {
          await using server = start(fewer, pair.server, pair.serverArgs(port));
          const ready = await Promise.race([
            server.waitFor("stderr", pair.ready).then(() => true),
            server.exit().then(() => false),
          ]);
          if (ready) {
            // It listens; answering the client is what needs the entry
            // (the client waits for an answer that does not come).
            const client = await start(
              full(clientGrant),
              pair.client,
              pair.clientArgs(port),
              3_000,
            ).exit();
            assert(
              client.stdout !== pair.expected,
              `the pair ran without ${left}`,
            );
            const result = await server.kill();
            assertDenied({ code: 1, stderr: result.stderr }, left);
          } else {
            assertDenied(await server.exit(), left);
          }
        }
      }
    });
  }
}

test("socketserver_threaded.ts runs under the README's grant, and needs each entry", async () => {
  const grant = readmeGrant("socketserver_threaded.ts");
  const ok = await start(grant, "socketserver_threaded.ts", []).exit();
  assertEquals(ok.code, 0, ok.stderr);
  assertMatch(ok.stdout, /^Received: Task-\d+: Hello World 1$/m);
  for (const left of grant) {
    const fewer = grant.filter((e) => e !== left);
    assertDenied(
      await start(fewer, "socketserver_threaded.ts", []).exit(),
      left,
    );
  }
});
