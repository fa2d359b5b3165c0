// Copyright the pysocket authors. MIT license.
// A blocking send() that the peer's reset (or close) cuts short after part
// of its bytes went returns their count, and the next call raises (Linux,
// and README: "an error ends it after some were: then it returns their
// count and the next call raises"). On Node the whole buffer was one
// runtime write, whose failure tells no count: send() raised.
//
// On a Unix socket, Linux's blocked send wakes with the reset the peer's
// close left (bytes unread) and takes it: the receives then read the
// peer's last bytes, then b'' (python3 3.11: BrokenPipeError, b'answer',
// b''), where pysocket's, which write without blocking, leave the reset
// for the receive (README, known differences), as a timed send does in
// CPython too.

import { assert, assertEquals } from "@std/assert";
import * as socket from "../mod.ts";
import {
  b,
  bounded,
  Child,
  closeAll,
  makeTempDir,
  noPython,
  remove,
  runtime,
  sleep,
  str,
  test,
  withUnixPair,
} from "./_util.ts";

/** What a call gave: "count>0", bytes as b'…', or the class and errno. */
async function outcome(f: () => Promise<unknown>): Promise<string> {
  try {
    const v = await bounded(f(), 10_000, "a call after the peer's reset");
    if (v instanceof Uint8Array) return `b'${str(v)}'`;
    return typeof v === "number" && v > 0 ? "count>0" : String(v);
  } catch (e) {
    return `${(e as Error).constructor.name}(${(e as socket.OSError).errno})`;
  }
}

/**
 * send(20 MB) on `client` while `conn` (never reading) closes after 300 ms
 * (with SO_LINGER {1, 0} where `linger`: a reset); then one more send.
 */
async function cutShort(
  client: socket.Socket,
  conn: socket.Socket,
  linger: boolean,
): Promise<[string, string]> {
  const closer = (async () => {
    await sleep(300);
    if (linger) {
      const lg = new Uint8Array(8);
      new DataView(lg.buffer).setInt32(0, 1, true);
      conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, lg);
    }
    conn.close();
  })();
  const first = await outcome(() => client.send(new Uint8Array(20_000_000)));
  await closer;
  const next = await outcome(() => client.send(new Uint8Array([1])));
  return [first, next];
}

for (const bound of [false, true]) {
  const from = bound ? " from a bound address" : "";
  test(`TCP: a blocking send()${from} the peer's reset cuts short returns the count written; the next send raises (python3: count, [Errno 104])`, async () => {
    const server = socket.create_server(["127.0.0.1", 0]);
    // (On Deno, a connection from a bound address is node:net's.)
    const client = await socket.create_connection(
      server.getsockname() as [string, number],
      undefined,
      bound ? ["127.0.0.1", 0] : undefined,
    );
    const [conn] = await server.accept();
    let got: [string, string];
    try {
      // (Deno has no SO_LINGER; its close with bytes unread resets.)
      got = await cutShort(client, conn, runtime !== "deno");
    } finally {
      await closeAll(client, conn, server);
    }
    assertEquals(got[0], "count>0");
    // (EPIPE where the runtime's write tells the reset so: README.)
    assert(
      ["ConnectionResetError(104)", "BrokenPipeError(32)"].includes(got[1]),
      got[1],
    );
  });
}

test("AF_UNIX: a blocking send() cut short by the peer's close (bytes unread) returns the count written; the next send raises EPIPE, recv() the reset (python3: count, [Errno 32], b'': README)", async () => {
  await withUnixPair(async (client, conn) => {
    const got = await cutShort(client, conn, false);
    got.push(await outcome(() => client.recv(100)));
    assertEquals(got, [
      "count>0",
      "BrokenPipeError(32)",
      "ConnectionResetError(104)",
    ]);
  });
});

/**
 * A CPython peer on a Unix path (argv[1]): reads 2 MB, shuts its reading
 * side down, reads what is left to the end, and prints how much it read.
 */
const PY_READER = `import socket, sys
L = socket.socket(socket.AF_UNIX); L.bind(sys.argv[1]); L.listen()
print("ready", flush=True)
c, _ = L.accept(); c.settimeout(10)
n = 0
while n < 2_000_000:
    n += len(c.recv(65536))
c.shutdown(socket.SHUT_RD)
while True:
    k = len(c.recv(65536))
    if k == 0: break
    n += k
print("read", n, flush=True)
c.close(); L.close()
`;

test(
  "AF_UNIX: the count a blocking send() returns when the peer shuts its reading side is what the peer read, exactly",
  async () => {
    const dir = await makeTempDir();
    const path = `${dir}/py.sock`;
    const peer = new Child("python3", ["-c", PY_READER, path], {
      timeoutMs: 30_000,
    });
    const client = socket.socket(socket.AF_UNIX);
    try {
      await peer.waitFor("stdout", /ready\n/);
      await client.connect(path);
      const sent = await bounded(
        client.send(new Uint8Array(20_000_000)),
        10_000,
        "send to a peer that shuts its reading side",
      );
      const [, read] = await peer.waitFor("stdout", /read (\d+)\n/);
      assertEquals(sent, Number(read));
    } finally {
      await closeAll(client);
      await peer.kill();
      await remove(dir, { recursive: true });
    }
  },
  { ignore: await noPython() },
);

/**
 * sendall(20 MB) on `client`, timed (`timeout`) or blocking (`null`),
 * while `conn` (never reading) answers after 300 ms and closes with the
 * bytes unread; then recv(), recv(), send().
 */
async function answerAfterUpload(timeout: number | null): Promise<string[]> {
  return await withUnixPair(async (client, conn) => {
    client.settimeout(timeout);
    const closer = (async () => {
      await sleep(300);
      await conn.sendall(b("answer"));
      conn.close();
    })();
    const got = [
      await outcome(() => client.sendall(new Uint8Array(20_000_000))),
    ];
    await closer;
    client.settimeout(5);
    got.push(
      await outcome(() => client.recv(100)),
      await outcome(() => client.recv(100)),
      await outcome(() => client.send(new Uint8Array([1]))),
    );
    return got;
  });
}

test("AF_UNIX: a blocking sendall() cut short by the peer's close (bytes unread) raises EPIPE, then recv() reads the peer's bytes and the reset (python3: b'' where Linux's blocked send took the reset: README)", async () => {
  assertEquals(await answerAfterUpload(null), [
    "BrokenPipeError(32)",
    "b'answer'",
    "ConnectionResetError(104)",
    "BrokenPipeError(32)",
  ]);
});

test("AF_UNIX: a timed sendall() cut short by the peer's close (bytes unread) raises EPIPE, and the reset stays for the receive, as python3's", async () => {
  assertEquals(await answerAfterUpload(10), [
    "BrokenPipeError(32)",
    "b'answer'",
    "ConnectionResetError(104)",
    "BrokenPipeError(32)",
  ]);
});
