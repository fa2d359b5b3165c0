// Copyright the pysocket authors. MIT license.
// Connects abandoned by close(), as Linux's close() aborts a connecting
// socket: a timed-out, failed or non-blocking connect to a listener whose
// queue is full leaves no connection for it to accept later, and keeps no
// process alive. The errno of a TCP connect between IPv6 and IPv4-mapped
// addresses (Bun reports every failure as refused). A read waiting when
// unwrap() ends TLS ends as CPython's, with SSLZeroReturnError.

import { assertEquals, assertInstanceOf } from "@std/assert";
import * as socket from "../mod.ts";
import * as ssl from "../ssl.ts";
import {
  b,
  bounded,
  Child,
  noPython,
  plainPair,
  sleep,
  str,
  test,
  withScript,
} from "./_util.ts";
import { testContexts, tlsTest } from "./_certs.ts";

const NO_PYTHON = await noPython();

/**
 * A CPython listener with `listen(1)` (two connections queue, then SYNs are
 * dropped) that prints its port and accepts nothing until a line comes on
 * stdin. Then it accepts twice (1 s each), waits 2.5 s (a SYN still being
 * sent again by then completes), and accepts once more with
 * `settimeout(1)`: it prints how many it accepted and what the last
 * accept did.
 */
const FULL_LISTENER = `
import json, socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
print(s.getsockname()[1], flush=True)
sys.stdin.readline()
s.settimeout(1)
n = 0
for _ in range(2):
    try:
        s.accept()[0].close(); n += 1
    except TimeoutError:
        pass
time.sleep(2.5)
try:
    s.accept()[0].close(); then = "accepted"
except TimeoutError as e:
    then = type(e).__name__ + ": " + str(e)
print(json.dumps({"accepted": n, "then": then}), flush=True)
`;

/** Starts {@linkcode FULL_LISTENER}; resolves to it and its port. */
async function fullListener(): Promise<[Child, number]> {
  const server = new Child("python3", ["-c", FULL_LISTENER], {
    stdin: "piped",
    timeoutMs: 20_000,
  });
  const [, port] = await server.waitFor("stdout", /^(\d+)$/m);
  return [server, Number(port)];
}

/** Lets the listener accept; resolves to what it printed. */
async function acceptsAfter(
  server: Child,
): Promise<{ accepted: number; then: string }> {
  await server.write("go\n");
  const [line] = await server.waitFor("stdout", /^\{.*\}$/m, 15_000);
  return JSON.parse(line);
}

/** Two connections in the listener's queue (it is full then). */
async function fillQueue(port: number): Promise<socket.Socket[]> {
  const queued: socket.Socket[] = [];
  for (let i = 0; i < 2; i++) {
    const c = socket.socket();
    c.settimeout(5);
    queued.push(c);
    await c.connect(["127.0.0.1", port]);
  }
  return queued;
}

test(
  "close() abandons a timed-out, a failed create_connection() and a non-blocking connect: the listener accepts none of them later",
  async () => {
    const [server, port] = await fullListener();
    await using _server = server;
    const queued = await fillQueue(port);
    const timed = socket.socket();
    timed.settimeout(1);
    let err: Error = await timed.connect(["127.0.0.1", port]).catch((e) => e);
    assertInstanceOf(err, socket.TimeoutError);
    assertEquals(err.message, "timed out");
    err = await socket.create_connection(["127.0.0.1", port], 1).catch((e) =>
      e
    );
    assertInstanceOf(err, socket.TimeoutError);
    assertEquals(err.message, "timed out");
    const nonblocking = socket.socket();
    nonblocking.setblocking(false);
    err = await nonblocking.connect(["127.0.0.1", port]).catch((e) => e);
    assertInstanceOf(err, socket.BlockingIOError);
    assertEquals(err.message, "[Errno 115] Operation now in progress");
    timed.close();
    nonblocking.close();
    for (const c of queued) c.close();
    assertEquals(await acceptsAfter(server), {
      accepted: 2,
      then: "TimeoutError: timed out",
    });
  },
  { ignore: NO_PYTHON },
);

test(
  "a process whose timed-out connect was closed exits at once",
  async () => {
    const [server, port] = await fullListener();
    await using _server = server;
    await withScript(
      (mod) =>
        `import * as socket from ${JSON.stringify(mod)};
const port = ${port};
const all = [];
for (let i = 0; i < 3; i++) {
  const c = socket.socket();
  c.settimeout(i < 2 ? 5 : 1);
  all.push(c);
  try {
    await c.connect(["127.0.0.1", port]);
  } catch (err) {
    console.log(err.constructor.name);
  }
}
for (const c of all) c.close();
console.log("closed");
`,
      20_000,
      async (client) => {
        await client.waitFor("stdout", /^closed$/m, 10_000);
        const closedAt = Date.now();
        const { code, stdout } = await bounded(
          client.exit(),
          5_000,
          "the client's exit",
        );
        assertEquals(code, 0);
        assertEquals(stdout, "TimeoutError\nclosed\n");
        const took = Date.now() - closedAt;
        if (took > 1_500) throw new Error(`exited ${took} ms after close()`);
        assertEquals(await acceptsAfter(server), {
          accepted: 2,
          then: "TimeoutError: timed out",
        });
      },
    );
  },
  { ignore: NO_PYTHON },
);

/** An AF_INET6 socket bound to `from` connecting to `to`: its error. */
async function connectError6(
  from: string,
  to: string,
): Promise<socket.OSError> {
  using server = socket.create_server(["::", 0], {
    family: socket.AF_INET6,
    dualstack_ipv6: true,
  });
  const port = server.getsockname()[1] as number;
  using c = socket.socket(socket.AF_INET6);
  c.settimeout(1);
  c.bind([from, 0]);
  return await c.connect([to, port]).then(
    () => Promise.reject(new Error("connected")),
    (e) => e,
  );
}

test("connect() from an IPv4-mapped address to ::1 raises OSError 97", async () => {
  const err = await connectError6("::ffff:127.0.0.1", "::1");
  assertInstanceOf(err, socket.OSError);
  assertEquals(err.constructor, socket.OSError);
  assertEquals(err.errno, 97);
  assertEquals(
    err.message,
    "[Errno 97] Address family not supported by protocol",
  );
});

test("connect() from ::1 to an IPv4-mapped address raises OSError 101", async () => {
  const err = await connectError6("::1", "::ffff:127.0.0.1");
  assertInstanceOf(err, socket.OSError);
  assertEquals(err.constructor, socket.OSError);
  assertEquals(err.errno, 101);
  assertEquals(err.message, "[Errno 101] Network is unreachable");
});

tlsTest(
  "SSLSocket.unwrap(): a recv() waiting meanwhile raises SSLZeroReturnError, and the plain bytes that follow are read after",
  async () => {
    const [clientCtx, serverCtx] = await testContexts();
    const [a, z] = await plainPair();
    const serving = serverCtx.wrap_socket(z, { server_side: true });
    serving.catch(() => {});
    const client = await clientCtx.wrap_socket(a, {
      server_hostname: "localhost",
    });
    const server = await serving;
    try {
      client.settimeout(3);
      server.settimeout(3);
      const peer = (async () => {
        await server.sendall(b("tls1"));
        assertEquals(str(await server.recv(100)), "");
        const plain = await server.unwrap();
        await plain.sendall(b("plain"));
      })();
      assertEquals(str(await client.recv(10)), "tls1");
      const pending = client.recv(10).then(
        (data) => new Error(`returned ${str(data)}`),
        (e: Error) => e,
      );
      await sleep(200);
      assertEquals(await bounded(client.unwrap(), 5_000, "unwrap()"), client);
      const err = await bounded(pending, 5_000, "the pending recv()");
      assertInstanceOf(err, ssl.SSLZeroReturnError);
      assertEquals(err.constructor, ssl.SSLZeroReturnError);
      assertEquals((err as ssl.SSLZeroReturnError).errno, 6);
      assertEquals(
        err.message,
        "TLS/SSL connection has been closed (EOF) (_ssl.c:2580)",
      );
      assertEquals(str(await client.recv(10)), "plain");
      await peer;
    } finally {
      client.close();
      server.close();
    }
  },
);
