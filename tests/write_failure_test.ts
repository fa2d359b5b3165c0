// Copyright the pysocket authors. MIT license.
// A send that fails (the peer closed, or reset the connection) leaves what
// the peer sent before it readable, as Linux does: an HTTP server answers
// "413" and closes without reading the rest of an upload; the client's
// sendall() raises, then recv() reads the answer, then the end. And a send
// blocked on a peer that goes fails at once, with Linux's errno.

import { assert, assertEquals } from "@std/assert";
import * as socket from "../mod.ts";
import * as select from "../select.ts";
import {
  ANSWER,
  answerAndClose,
  b,
  bounded,
  Child,
  closeAll,
  describe,
  drain,
  errorOf,
  makeTempDir,
  noPython,
  remove,
  runtime,
  sendUntilError,
  sleep,
  str,
  test,
  UPLOAD,
  uploadToClosingPeer,
  withScript,
} from "./_util.ts";

const RESET = "ConnectionResetError 104 [Errno 104] Connection reset by peer";
const PIPE = "BrokenPipeError 32 [Errno 32] Broken pipe";

const FAMILIES = [
  ["AF_INET", socket.AF_INET],
  ["AF_UNIX", socket.AF_UNIX],
] as const;

/** A listener of `family`, a client connected to it, the server's end. */
async function pair(family: number, dir: string) {
  const server = socket.socket(family);
  server.bind(
    family === socket.AF_UNIX ? `${dir}/peer.sock` : ["127.0.0.1", 0],
  );
  server.listen();
  const client = socket.socket(family);
  await client.connect(server.getsockname());
  const [conn] = await server.accept();
  return { server, client, conn };
}

/**
 * Runs `body` with a connected pair of `family`, then closes all (and the
 * Unix socket's directory).
 */
async function withPair(
  family: number,
  body: (
    client: socket.Socket,
    conn: socket.Socket,
  ) => Promise<void>,
): Promise<void> {
  const dir = await makeTempDir();
  const { server, client, conn } = await pair(family, dir);
  try {
    await body(client, conn);
  } finally {
    await closeAll(client, conn, server);
    await remove(dir, { recursive: true });
  }
}

/**
 * What a blocking upload meets, then what the receives return. Linux's
 * Unix send meets EPIPE, and the receive after the answer the reset (the
 * peer closed with bytes unread). Its TCP send meets the reset, which the
 * receives do not report again: `ECONNRESET`, or `EPIPE` where the peer's
 * end of stream came first (Deno's close() shuts the socket down before
 * it closes it: FIN, then the reset).
 */
function expected(family: number): [string[], string[]] {
  return family === socket.AF_UNIX
    ? [[PIPE], [ANSWER, RESET, ""]]
    : [[RESET, PIPE], [ANSWER, ""]];
}

for (const [name, family] of FAMILIES) {
  test(`sendall() that fails leaves the peer's answer readable (${name})`, async () => {
    await withPair(family, async (client, conn) => {
      client.settimeout(null);
      const err = await uploadToClosingPeer(client, conn);
      const [sent, received] = expected(family);
      assert(sent.includes(describe(err)), describe(err));
      client.settimeout(5);
      assertEquals(await drain(client), received);
      // The connection's error was told: a send meets EPIPE now.
      assertEquals(describe(await errorOf(() => client.send(b("x")))), PIPE);
    });
  });

  test(`send() in a blocking loop that fails leaves the peer's answer readable (${name})`, async () => {
    await withPair(family, async (client, conn) => {
      client.settimeout(null);
      await client.sendall(b("POST /upload"));
      const peer = answerAndClose(conn);
      const err = await sendUntilError(client);
      await peer;
      const [sent, received] = expected(family);
      assert(sent.includes(describe(err)), describe(err));
      client.settimeout(5);
      assertEquals(await drain(client), received);
    });
  });

  test(`non-blocking send() and select(): the peer's answer is readable after its reset (${name})`, async () => {
    await withPair(family, async (client, conn) => {
      await client.sendall(b("POST /upload"));
      const peer = answerAndClose(conn);
      client.setblocking(false);
      const chunk = new Uint8Array(65536).fill(0x71);
      // As CPython: send while writable, until readable (or a send fails).
      const seen: string[] = [];
      for (let i = 0; i < 4000; i++) {
        const [r, w] = await select.select([client], [client], [], 5);
        if (r.length > 0) break;
        assert(w.length > 0, "neither readable nor writable in 5 s");
        const err = await errorOf(() => client.send(chunk));
        if (err === null || err instanceof socket.BlockingIOError) continue;
        seen.push(describe(err));
        break;
      }
      await peer;
      client.settimeout(5);
      const received = await drain(client);
      // Linux reports the reset once: to the send that met it, or else
      // to the receive after the answer (Unix: always there, the sends
      // meeting EPIPE).
      if (family === socket.AF_UNIX) {
        assert(seen.length === 0 || seen[0] === PIPE, seen.join());
        assertEquals(received, [ANSWER, RESET, ""]);
      } else {
        // (After the peer's end of stream, Linux leaves the reset to the
        // next send: EPIPE. Deno's close() sends that end first.)
        const told = [...seen, ...received].filter((e) => e === RESET);
        assert(told.length <= 1, received.join("|"));
        assertEquals(received.filter((e) => e !== RESET), [ANSWER, ""]);
      }
      // Told once (or left for a send after the peer's end): sends now
      // meet EPIPE.
      assertEquals(describe(await errorOf(() => client.send(b("x")))), PIPE);
    });
  });
}

test("send() on AF_UNIX to a peer that closed with bytes unread raises EPIPE, recv() the reset", async () => {
  await withPair(socket.AF_UNIX, async (client, conn) => {
    await client.sendall(b("unread"));
    conn.close();
    await sleep(50);
    // Linux's unix_stream_sendmsg() meets the peer's shutdown first: EPIPE,
    // never the ECONNRESET that waits for the receive.
    for (let i = 0; i < 3; i++) {
      assertEquals(describe(await errorOf(() => client.send(b("x")))), PIPE);
    }
    client.settimeout(5);
    assertEquals(await drain(client), [RESET, ""]);
  });
});

/**
 * A CPython peer on a Unix path (argv[1]) or a TCP port (printed): for one
 * connection, as argv[2] says: reads 8 KiB, then answers and closes
 * (`answer`: bytes unread, a reset), or, a moment later, shuts down both
 * ways and closes (`shutdown`: as socat does once its EXEC child has
 * exited); or closes at once (`close`); or shuts its reading side down,
 * says "shut", and keeps the connection open for a few seconds (`shutrd`).
 */
const PY_PEER = `import socket, sys, time
path, mode = sys.argv[1], sys.argv[2]
if path == "tcp":
    L = socket.create_server(("127.0.0.1", 0))
    print(L.getsockname()[1], flush=True)
else:
    L = socket.socket(socket.AF_UNIX); L.bind(path); L.listen()
    print(0, flush=True)
L.settimeout(30)
c, _ = L.accept(); c.settimeout(10)
if mode == "shutrd":
    c.shutdown(socket.SHUT_RD)
    print("shut", flush=True)
    time.sleep(5)
elif mode != "close":
    c.recv(8192)
if mode == "answer":
    c.sendall(sys.argv[3].encode())
elif mode == "shutdown":
    time.sleep(0.2)  # the client's send waits for room by now
    c.shutdown(socket.SHUT_RDWR)
c.close(); L.close()
`;

/** Starts {@linkcode PY_PEER}; resolves to it and the address to connect. */
async function pythonPeer(
  family: number,
  dir: string,
  mode: "answer" | "shutdown" | "close" | "shutrd",
): Promise<[Child, socket.Address]> {
  const path = `${dir}/py.sock`;
  const peer = new Child("python3", [
    "-c",
    PY_PEER,
    family === socket.AF_UNIX ? path : "tcp",
    mode,
    ANSWER,
  ], { timeoutMs: 30_000 });
  const [, port] = await peer.waitFor("stdout", /^(\d+)\n/);
  return [
    peer,
    family === socket.AF_UNIX ? path : ["127.0.0.1", Number(port)],
  ];
}

const noPy = await noPython();

for (const [name, family] of FAMILIES) {
  test(
    `sendall() to a CPython peer that answers and closes: the answer is readable after the failure (${name})`,
    async () => {
      const dir = await makeTempDir();
      const [peer, where] = await pythonPeer(family, dir, "answer");
      const client = socket.socket(family as number);
      try {
        await client.connect(where);
        const err = await bounded(
          errorOf(() => client.sendall(new Uint8Array(UPLOAD).fill(0x71))),
          10000,
          "sendall to a peer that closed",
        );
        const [sent, received] = expected(family);
        assert(sent.includes(describe(err)), describe(err));
        client.settimeout(5);
        assertEquals(await drain(client), received);
      } finally {
        await closeAll(client);
        await peer.kill();
        await remove(dir, { recursive: true });
      }
    },
    { ignore: noPy },
  );
}

test(
  "send() on AF_UNIX to a CPython peer that shut its reading side raises EPIPE; receives still wait for the peer, as python3's",
  async () => {
    const dir = await makeTempDir();
    const [peer, where] = await pythonPeer(socket.AF_UNIX, dir, "shutrd");
    const client = socket.socket(socket.AF_UNIX as number);
    try {
      await client.connect(where);
      await peer.waitFor("stdout", /\nshut\n/);
      const err = await errorOf(() => client.send(b("x")));
      assertEquals(describe(err), PIPE);
      // The peer may still send: Linux reports the socket neither
      // readable nor hung up (python3: select() -> [], recv() times out).
      // Node closes the socket on a failed write: its receives end.
      const node = runtime === "node";
      const [r] = await select.select([client], [], [], 0.3);
      assertEquals(r.length, node ? 1 : 0);
      if (!node) {
        const p = select.poll();
        p.register(client, select.POLLIN | select.POLLRDHUP);
        assertEquals(await p.poll(0), []);
      }
      client.settimeout(1.5);
      const start = performance.now();
      if (node) {
        assertEquals(await client.recv(10), b(""));
      } else {
        const timeout = await errorOf(() => client.recv(10));
        assert(timeout instanceof socket.TimeoutError, String(timeout));
        assertEquals((timeout as Error).message, "timed out");
        assert(performance.now() - start >= 1400);
      }
    } finally {
      await closeAll(client);
      await peer.kill();
      await remove(dir, { recursive: true });
    }
  },
  { ignore: noPy },
);

test(
  "sendall() on AF_UNIX blocked on a CPython peer that shuts down both ways and closes raises EPIPE at once",
  async () => {
    const dir = await makeTempDir();
    const [peer, where] = await pythonPeer(socket.AF_UNIX, dir, "shutdown");
    const client = socket.socket(socket.AF_UNIX as number);
    try {
      await client.connect(where);
      const started = performance.now();
      const err = await bounded(
        errorOf(() => client.sendall(new Uint8Array(UPLOAD).fill(0x79))),
        10000,
        "sendall to a peer that shut down and closed",
      );
      assertEquals(describe(err), PIPE);
      assert(performance.now() - started < 5000);
      client.settimeout(5);
      // The reset (bytes unread) waits for the receive, unless the end of
      // stream the shutdown made was read first.
      const received = await drain(client);
      assert(
        received.length === 1 ||
          (received.length === 2 && received[0] === RESET),
        received.join("|"),
      );
    } finally {
      await closeAll(client);
      await peer.kill();
      await remove(dir, { recursive: true });
    }
  },
  { ignore: noPy },
);

test("sendall() on AF_UNIX blocked on a peer that shuts down both ways and closes raises EPIPE at once", async () => {
  // As socat's EXEC child exiting: socat shuts its socket down, then exits.
  await withPair(socket.AF_UNIX, async (client, conn) => {
    client.settimeout(null);
    const peer = (async () => {
      await conn.recv(10);
      await sleep(50);
      await conn.shutdown(socket.SHUT_RDWR);
      await sleep(50);
      conn.close();
    })();
    peer.catch(() => {});
    const started = performance.now();
    const err = await bounded(
      errorOf(() => client.sendall(new Uint8Array(UPLOAD).fill(0x79))),
      10000,
      "sendall to a peer that shut down and closed",
    );
    await peer;
    assertEquals(describe(err), PIPE);
    assert(performance.now() - started < 5000);
    client.settimeout(5);
    // The reset (bytes unread) is for the receive, unless the end of
    // stream, which the shutdown sent first, was read already.
    const received = await drain(client);
    assert(
      received.length === 1 ||
        (received.length === 2 && received[0] === RESET),
      received.join("|"),
    );
  });
});

test(
  "send() on AF_UNIX to a CPython peer that accepted and closed raises EPIPE, recv() finds the end",
  async () => {
    const dir = await makeTempDir();
    const [peer, where] = await pythonPeer(socket.AF_UNIX, dir, "close");
    const client = socket.socket(socket.AF_UNIX as number);
    try {
      // As create_connection(address, timeout): on Bun, a connection the
      // peer closed while it connected is one the runtime refuses (reset).
      client.settimeout(5);
      await client.connect(where);
      client.settimeout(null);
      await peer.exit();
      for (let i = 0; i < 3; i++) {
        const err = await errorOf(() => client.sendall(b("y".repeat(100))));
        assertEquals(describe(err), PIPE);
      }
      // Nothing of ours was unread at the close: no reset to report.
      assertEquals(await drain(client), [""]);
    } finally {
      await closeAll(client);
      await peer.kill();
      await remove(dir, { recursive: true });
    }
  },
  { ignore: noPy },
);

test("sendall() from a bound address to a peer that answers and closes raises, then the receives end", async () => {
  const server = socket.socket();
  server.bind(["127.0.0.1", 0]);
  server.listen();
  const client = socket.socket();
  try {
    // (On Deno, a connection from a bound address is node:net's.)
    client.bind(["127.0.0.1", 0]);
    await client.connect(server.getsockname());
    const [conn] = await server.accept();
    try {
      client.settimeout(null);
      const err = await uploadToClosingPeer(
        client,
        conn,
        "sendall from a bound address to a peer that closed",
      );
      assert([RESET, PIPE].includes(describe(err)), describe(err));
      client.settimeout(5);
      // Deno's node:net closes the socket on the failed write and tells
      // no descriptor to read first: the answer is lost there.
      assertEquals(
        await drain(client),
        runtime === "deno" ? [""] : [ANSWER, ""],
      );
    } finally {
      await closeAll(conn);
    }
  } finally {
    await closeAll(client, server);
  }
});

test("a process blocked in sendall() from a bound address waits for the send's failure", async () => {
  // Nothing but the send keeps the process alive once the peer has closed:
  // the runtime's write in flight has to (Deno's node:net does not count
  // it for an unref'd socket, and the process used to exit mid-call).
  await withScript(
    (mod) =>
      `import * as socket from ${JSON.stringify(mod)};
const server = socket.socket();
server.bind(["127.0.0.1", 0]);
server.listen();
const client = socket.socket();
client.bind(["127.0.0.1", 0]);
await client.connect(server.getsockname());
const [conn] = await server.accept();
await client.sendall(new TextEncoder().encode("POST /upload"));
(async () => {
  await conn.recv(10);
  await new Promise((resolve) => setTimeout(resolve, 100));
  conn.close();
})();
try {
  await client.sendall(new Uint8Array(${UPLOAD}));
  console.log("sent");
} catch (err) {
  console.log(err.constructor.name);
}
client.close();
server.close();
`,
    20_000,
    async (child) => {
      const { code, stdout, stderr } = await bounded(
        child.exit(),
        15_000,
        "the child's exit",
      );
      assert(
        ["ConnectionResetError\n", "BrokenPipeError\n"].includes(stdout),
        stdout + stderr,
      );
      assertEquals(code, 0);
    },
  );
});

for (const first of ["a makefile() line read", "a select() that read ahead"]) {
  test(`after ${first}, a blocking sendall() that meets the peer's reset raises ECONNRESET, then recv() finds the end, as python3's`, async () => {
    await withPair(socket.AF_INET, async (client, conn) => {
      conn.settimeout(5);
      client.settimeout(5);
      let file: socket.SocketFile | null = null;
      if (first.startsWith("a makefile")) {
        await client.sendall(b("GET\n"));
        file = conn.makefile("rb");
        assertEquals(str(await file.readline() as Uint8Array), "GET\n");
      } else {
        const [r] = await select.select([conn], [], [], 0);
        assertEquals(r.length, 0);
      }
      const sending = (async () => {
        for (let i = 0; i < 200; i++) await conn.sendall(new Uint8Array(65536));
      })();
      let got = 0;
      while (got < 200_000) got += (await client.recv(65536)).length;
      // Closed with bytes unread: the kernel resets the connection.
      client.close();
      const err = await bounded(errorOf(() => sending), 5000, "the sendall()");
      const sent = describe(err);
      if (runtime === "bun" && sent === PIPE) {
        // Bun's write met the reset before its read did: its error has no
        // errno (README: Known differences); the receive may then report
        // the reset itself.
        const after = await bounded(
          conn.recv(10).then((d) => d.length, describe),
          5000,
          "the recv()",
        );
        assert([0, RESET].includes(after), String(after));
      } else {
        // Deno's write reports EPIPE there (README: Known differences).
        assertEquals(sent, runtime === "deno" ? PIPE : RESET);
        assertEquals((await conn.recv(10)).length, 0);
      }
      await file?.close();
    });
  });
}
