// Copyright the pysocket authors. MIT license.
// Linux answers the close() of a TCP socket that has bytes in its receive
// queue with a reset (RST): the peer's next `recv` raises
// `ConnectionResetError`, and what the closed socket still had to send is
// dropped. Node and Bun read on past a program's receive (pysocket's
// reader, and the connection's own read ahead), so the kernel's queue is
// empty at the close: pysocket resets where it holds bytes the program has
// not read, and closes with a FIN otherwise. Deno's close ends the stream
// first (a README difference); a Unix socket cannot be reset by Node or
// Bun (another).

import { assert, assertEquals } from "@std/assert";
import * as socket from "../mod.ts";
import * as select from "../select.ts";
import { expected } from "./_caps.ts";
import { testCerts, testContexts, tlsTest } from "./_certs.ts";
import {
  b,
  bounded,
  Child,
  closeAll,
  describe,
  makeTempDir,
  noPython,
  pythonJson,
  remove,
  runtime,
  sleep,
  str,
  tcpPair,
  test,
  withPythonPeer,
  withUnixPair,
} from "./_util.ts";

const RESET = "ConnectionResetError 104 [Errno 104] Connection reset by peer";

/** What the peer's next receive gets: `""` at the end of stream, or the error. */
async function nextRecv(s: socket.Socket): Promise<string> {
  try {
    const data = await bounded(s.recv(100), 5000, "recv after the close");
    return data.length === 0 ? "" : `${data.length} bytes`;
  } catch (err) {
    return describe(err);
  }
}

/**
 * Timeouts of 5 s on both ends; then `client` sends "hhhh", which `conn`
 * reads, and 20 bytes more, which the program on `conn` never reads.
 */
async function sendSomeUnread(
  client: socket.Socket,
  conn: socket.Socket,
): Promise<void> {
  client.settimeout(5);
  conn.settimeout(5);
  await client.sendall(b("hhhh"));
  assertEquals(str(await conn.recv(4)), "hhhh");
  await client.sendall(b("x".repeat(20)));
}

/** What a peer reads of a closed socket where Linux resets (Deno: a FIN). */
const UNREAD_CLOSE = expected.reset ? RESET : "";

test("close() with bytes read ahead past the program's recv() resets the connection: the peer's recv() raises ConnectionResetError (python3's answer)", async () => {
  const { server, client, conn } = await tcpPair();
  try {
    // The 20 bytes the program never reads: the runtime reads them on.
    await sendSomeUnread(client, conn);
    await sleep(200);
    conn.close();
    await sleep(200);
    assertEquals(await nextRecv(client), UNREAD_CLOSE);
  } finally {
    await closeAll(client, conn, server);
  }
});

test("close() with bytes a select() read ahead for readiness resets the connection", async () => {
  const { server, client, conn } = await tcpPair();
  try {
    client.settimeout(5);
    await client.sendall(b("x".repeat(20)));
    const [r] = await select.select([conn], [], [], 5);
    assertEquals(r.length, 1);
    conn.close();
    await sleep(200);
    assertEquals(await nextRecv(client), UNREAD_CLOSE);
  } finally {
    await closeAll(client, conn, server);
  }
});

test(
  "close() of an accepted connection whose CPython peer's bytes are unread resets it: the CPython client's recv() raises ConnectionResetError",
  async () => {
    await withPythonPeer(
      `import socket, sys, time
c = socket.create_connection(("127.0.0.1", int(sys.argv[1])), 5)
c.sendall(b"hhhh"); time.sleep(0.1); c.sendall(b"x" * 20)
sys.stdin.readline()
try: print("recv", c.recv(100), flush=True)
except OSError as e: print("recv", type(e).__name__, e, flush=True)
`,
      async (conn, peer) => {
        conn.settimeout(5);
        assertEquals(str(await conn.recv(4)), "hhhh");
        await sleep(300);
        conn.close();
        await peer.write("go\n");
        const [line] = await peer.waitFor("stdout", /^recv .*$/m);
        assertEquals(
          line,
          expected.reset
            ? "recv ConnectionResetError [Errno 104] Connection reset by peer"
            : "recv b''",
        );
      },
    );
  },
  { ignore: await noPython() },
);

test("close() after every byte was read ends the stream (FIN): all that was sent arrives, then b''", async () => {
  const { server, client, conn } = await tcpPair();
  try {
    client.settimeout(5);
    conn.settimeout(5);
    await client.sendall(b("x".repeat(20)));
    let got = 0;
    while (got < 20) got += (await conn.recv(100)).length;
    const data = new Uint8Array(1 << 20).fill(0x61);
    await conn.sendall(data);
    conn.close();
    let received = 0;
    for (;;) {
      const chunk = await bounded(client.recv(1 << 20), 5000, "recv");
      if (chunk.length === 0) break;
      received += chunk.length;
    }
    assertEquals(received, data.length);
    assertEquals(await nextRecv(client), "");
  } finally {
    await closeAll(client, conn, server);
  }
});

test("close() of a connection nothing arrived on ends the stream (FIN), also after a read ahead that found nothing", async () => {
  const { server, client, conn } = await tcpPair();
  try {
    const [r] = await select.select([conn], [], [], 0.05);
    assertEquals(r.length, 0);
    conn.close();
    await sleep(100);
    assertEquals(await nextRecv(client), "");
  } finally {
    await closeAll(client, conn, server);
  }
});

test(
  "close() with bytes unread drops what it had still to send, as Linux's reset does: the peer's reads end with ConnectionResetError before all of it came",
  async () => {
    const { server, client, conn } = await tcpPair();
    try {
      await sendSomeUnread(client, conn);
      await sleep(100);
      // The peer reads nothing: pysocket's send buffer fills.
      conn.setblocking(false);
      const chunk = new Uint8Array(65536).fill(0x79);
      let sent = 0;
      for (let i = 0; i < 4096; i++) {
        try {
          sent += await conn.send(chunk);
        } catch (err) {
          if (err instanceof socket.BlockingIOError) break;
          throw err;
        }
      }
      conn.close();
      await sleep(200);
      let received = 0;
      let end = "";
      for (;;) {
        try {
          const got = await bounded(client.recv(1 << 20), 5000, "recv");
          if (got.length === 0) break;
          received += got.length;
        } catch (err) {
          end = describe(err);
          break;
        }
      }
      assertEquals(end, RESET);
      assert(received < sent, `${received} of ${sent} bytes came`);
    } finally {
      await closeAll(client, conn, server);
    }
  },
  {
    ignore: !expected.reset &&
      "this runtime cannot reset a connection: its close ends the stream first (README)",
  },
);

test("close() with bytes unread gives up a bound port at once, as Linux's reset leaves no TIME_WAIT: bind() to it again succeeds", async () => {
  const server = socket.socket();
  server.bind(["127.0.0.1", 0]);
  server.listen();
  const client = socket.socket();
  const again = socket.socket();
  let conn: socket.Socket | null = null;
  try {
    client.bind(["127.0.0.1", 0]);
    const [, port] = client.getsockname() as [string, number];
    client.settimeout(5);
    await client.connect(server.getsockname());
    [conn] = await server.accept();
    await conn.sendall(b("ab"));
    await sleep(100);
    await conn.sendall(b("cd"));
    assertEquals(str(await client.recv(2)), "ab");
    await sleep(100);
    client.close();
    await sleep(100);
    again.bind(["127.0.0.1", port]);
    assertEquals((again.getsockname() as [string, number])[1], port);
  } finally {
    await closeAll(again, client, server, ...(conn === null ? [] : [conn]));
  }
});

test("close() of an AF_UNIX socket with bytes read ahead and unread: the peer gets every byte sent before it, then the reset (Deno, as Linux) or the end of stream (Node and Bun cannot reset a Unix socket)", async () => {
  await withUnixPair(async (client, conn) => {
    await sendSomeUnread(client, conn);
    await sleep(100);
    await conn.sendall(b("y".repeat(1000)));
    conn.close();
    await sleep(200);
    let received = "";
    while (received.length < 1000) {
      const got = await bounded(client.recv(2000), 5000, "recv");
      if (got.length === 0) break;
      received += str(got);
    }
    assertEquals(received, "y".repeat(1000));
    assertEquals(await nextRecv(client), runtime === "deno" ? RESET : "");
  });
});

test(
  "a stream connect() to a path where a Unix datagram or seqpacket socket is bound raises OSError [Errno 91] (blocking, timed, non-blocking), not ConnectionRefusedError",
  async () => {
    const dir = await makeTempDir();
    const paths = [`${dir}/dgram.sock`, `${dir}/seqpacket.sock`];
    const peer = new Child("python3", [
      "-c",
      `import socket, sys
g = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); g.bind(sys.argv[1])
q = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET); q.bind(sys.argv[2])
q.listen()
print("bound", flush=True); sys.stdin.readline()
`,
      ...paths,
    ], { stdin: "piped", timeoutMs: 30_000 });
    try {
      await peer.waitFor("stdout", /bound/);
      for (
        const [path, timeout] of paths.flatMap((p) =>
          [null, 1.0, 0.0].map((t) => [p, t] as const)
        )
      ) {
        const s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM);
        try {
          s.settimeout(timeout);
          let err: unknown = null;
          try {
            await bounded(s.connect(path), 5000, "connect");
          } catch (e) {
            err = e;
          }
          assert(err !== null, `${timeout}: connected`);
          assertEquals(
            (err as Error).constructor,
            socket.OSError,
            `${timeout}: ${err}`,
          );
          assertEquals(
            describe(err),
            "OSError 91 [Errno 91] Protocol wrong type for socket",
          );
        } finally {
          s.close();
        }
      }
    } finally {
      await peer.write("\n");
      await peer.kill();
      await remove(dir, { recursive: true });
    }
  },
  { ignore: await noPython() },
);

/** A CPython TLS client: one 20-byte record, then what its raw socket reads. */
const TLS_PEER = `
import json, os, socket, ssl, sys, time
arg = json.load(sys.stdin)
ctx = ssl.create_default_context(cafile=arg["ca"])
raw = socket.create_connection(("127.0.0.1", arg["port"]), 5)
c = ctx.wrap_socket(raw, server_hostname="localhost")
c.sendall(b"x" * 20)
time.sleep(0.5)
r = socket.socket(fileno=os.dup(c.fileno()))
r.settimeout(5)
try:
    n = 0
    while (d := r.recv(100000)):
        n += len(d)
    end = "b''"
except OSError as e:
    end = type(e).__name__
print(json.dumps(end))
`;

tlsTest(
  "an SSLSocket's close() with plaintext unread ends the stream (FIN), as CPython's: the bytes left were read from the kernel as a whole record",
  async () => {
    const [, serverCtx] = await testContexts();
    const certs = await testCerts();
    const listener = socket.socket();
    let conn: socket.Socket | null = null;
    try {
      listener.bind(["127.0.0.1", 0]);
      listener.listen();
      listener.settimeout(5);
      const peer = pythonJson(TLS_PEER, {
        port: (listener.getsockname() as [string, number])[1],
        ca: certs.ca,
      });
      peer.catch(() => {});
      [conn] = await listener.accept();
      conn.settimeout(5);
      const tls = await serverCtx.wrap_socket(conn, { server_side: true });
      // The server reads 4 of the record's 20 bytes and closes (a reset
      // would be CPython's answer only for bytes still in the kernel).
      assertEquals(str(await tls.recv(4)), "xxxx");
      tls.close();
      assertEquals(await peer, "b''");
    } finally {
      await closeAll(listener, ...(conn === null ? [] : [conn]));
    }
  },
  await noPython(),
);
