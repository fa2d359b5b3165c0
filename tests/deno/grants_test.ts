// Copyright the pysocket authors. MIT license.
// Deno only: the README's command for each example names the narrowest
// --allow-net grant it needs. Each example runs here under exactly the
// README's flags (the documented port replaced by a free one), and where a
// grant lists several entries, leaving any one out makes the run fail with
// the PermissionError naming it.
import { assert, assertEquals, assertMatch } from "@std/assert";
import * as socket from "../../mod.ts";
import * as ssl from "../../ssl.ts";
import { Child, freePort, readTextFile, test } from "../_util.ts";
import { acceptPort, noOpenssl, opensslServer, testCerts } from "../_certs.ts";

const root = new URL("../..", import.meta.url);
const readme = await readTextFile(new URL("README.md", root));

/** The ports the examples use by default, as the README's grants spell them. */
const DEFAULT_PORTS = ["9999", "12346", "65432", "9009", "8443"];

/**
 * The `--allow-net` grant of `examples/<name>` in the README's example
 * tables, as its entries.
 */
function readmeGrant(name: string): string[] {
  const m = readme.split("\n")
    .filter((line) => line.startsWith(`| \`examples/${name}\``))
    .map((line) => line.match(/`deno run [^`]*?--allow-net=(\S+) [^`]*`/))
    .find((match) => match !== null);
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

/**
 * `deno run --no-prompt --allow-net=<entries> [--allow-read=<files>]
 * examples/<name> <args>`.
 */
function start(
  entries: string[],
  name: string,
  args: string[],
  timeoutMs = 30_000,
  files: string[] = [],
): Child {
  return new Child(Deno.execPath(), [
    "run",
    "--no-prompt",
    `--allow-net=${entries.join(",")}`,
    ...(files.length > 0 ? [`--allow-read=${files.join(",")}`] : []),
    `examples/${name}`,
    ...args,
  ], { cwd: root, env: { NO_COLOR: "1" }, timeoutMs });
}

interface Pair {
  server: string;
  serverArgs: (port: string) => string[];
  /** What the server prints once it listens, and where. */
  ready: RegExp;
  readyOn?: "stdout" | "stderr";
  client: string;
  clientArgs: (port: string) => string[];
  /** The client's whole stdout, or a pattern of it. */
  expected: string | RegExp;
}

/** Asserts the client's output is what `pair` expects. */
function assertOutput(pair: Pair, stdout: string, stderr: string): void {
  if (typeof pair.expected === "string") {
    assertEquals(stdout, pair.expected, stderr);
  } else assertMatch(stdout, pair.expected, stderr);
}

/** Whether the client's output is what `pair` expects. */
function ranAsExpected(pair: Pair, stdout: string): boolean {
  return typeof pair.expected === "string"
    ? stdout === pair.expected
    : pair.expected.test(stdout);
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
  {
    server: "multiconn_server.ts",
    serverArgs: (p) => ["127.0.0.1", p],
    ready: /^Listening on /m,
    readyOn: "stdout",
    client: "multiconn_client.ts",
    clientArgs: (p) => ["127.0.0.1", p, "2"],
    expected: /^Closing connection 1$[^]*^Closing connection 2$/m,
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
  await server.waitFor(pair.readyOn ?? "stderr", pair.ready);
  return await start(clientGrant, pair.client, pair.clientArgs(port)).exit();
}

/**
 * Asserts that a run failed for want of a grant (`what`, left out): it
 * exited with an error (where it exited by itself) and said why.
 */
function assertDenied(
  result: { code?: number; stderr: string },
  what: string,
): void {
  if (result.code !== undefined) {
    assert(result.code !== 0, `ran without ${what}`);
  }
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
      assertOutput(pair, client.stdout, client.stderr);
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
            server.waitFor(pair.readyOn ?? "stderr", pair.ready).then(() =>
              true
            ),
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
              !ranAsExpected(pair, client.stdout),
              `the pair ran without ${left}`,
            );
            const result = await server.kill();
            assertDenied({ stderr: result.stderr }, left);
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

test("select_chat_server.ts runs under the README's grant", async () => {
  const port = String(freePort());
  const grant = onPort(readmeGrant("select_chat_server.ts"), port);
  await using server = start(grant, "select_chat_server.ts", [
    "127.0.0.1",
    port,
  ]);
  await server.waitFor("stdout", /^Chat server listening on /m);
  await using a = await socket.create_connection(["127.0.0.1", Number(port)]);
  await using b = await socket.create_connection(["127.0.0.1", Number(port)]);
  await server.waitFor("stdout", /joined\n[^]*joined\n/);
  await a.sendall(new TextEncoder().encode("hi all\n"));
  b.settimeout(5);
  assertMatch(
    new TextDecoder().decode(await b.recv(100)),
    /^\[127\.0\.0\.1:\d+\] hi all\n$/,
  );
});

const noTls = await noOpenssl();

test(
  "https_get.ts runs under the README's grant (against openssl s_server)",
  async () => {
    const c = await testCerts();
    await using server = opensslServer(c, ["-www"]);
    const port = await acceptPort(server);
    const result = await start(
      onPort(readmeGrant("https_get.ts"), port),
      "https_get.ts",
      ["localhost", port, c.ca],
      30_000,
      [c.ca],
    ).exit();
    assertEquals(result.code, 0, result.stderr);
    assertMatch(result.stdout, /^HTTP\/1\.0 200 ok$/m);
  },
  { ignore: noTls },
);

test("tls_echo_server.ts runs under the README's grant", async () => {
  const c = await testCerts();
  const port = String(freePort());
  await using server = start(
    onPort(readmeGrant("tls_echo_server.ts"), port),
    "tls_echo_server.ts",
    [c.server, c.serverKey, port, "1"],
    30_000,
    [c.server, c.serverKey],
  );
  await server.waitFor("stdout", /^listening on \d+$/m);
  const context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, {
    cafile: c.ca,
  });
  const sock = await socket.create_connection(["127.0.0.1", Number(port)], 5);
  await using tls = await context.wrap_socket(sock, {
    server_hostname: "localhost",
  });
  await tls.sendall(new TextEncoder().encode("ping"));
  assertEquals(new TextDecoder().decode(await tls.recv(10)), "ping");
  await tls.close();
  const done = await server.exit();
  assertEquals(done.code, 0, done.stderr);
}, { ignore: noTls });
