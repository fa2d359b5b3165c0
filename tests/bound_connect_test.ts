// Copyright the pysocket authors. MIT license.
// A socket bound before it connects: its connection holds the port until
// close(), with Linux's SO_REUSEADDR rule (python3's answers). Every
// runtime binds such a connection with SO_REUSEADDR on, which would let a
// second bind() of the port stand where Linux refuses it.

import { assert, assertEquals, assertRejects } from "@std/assert";
import * as socket from "../mod.ts";
import {
  assertRaisesOSError,
  b,
  Child,
  noPython,
  runtime,
  sleep,
  test,
} from "./_util.ts";

const { SOL_SOCKET, SO_REUSEADDR } = socket;
type Address = [string, number];

const IN_USE = "[Errno 98] Address already in use";

/** The OSError `f` throws: Python's class, errno and message. */
const bindError = assertRaisesOSError;

/** The same for a call that rejects. */
async function rejection(
  p: Promise<unknown>,
  errno: number,
  message: string,
  cls: unknown = socket.OSError,
): Promise<void> {
  const err = await assertRejects(() => p) as socket.OSError;
  assertEquals(err.constructor, cls);
  assertEquals(err.errno, errno);
  assertEquals(err.message, message);
}

/** A socket, with SO_REUSEADDR set first if `reuse`. */
function tcp(reuse = false): socket.socket {
  const s = socket.socket();
  if (reuse) s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1);
  return s;
}

/** A socket bound to 127.0.0.1 (port 0 unless given) and connected. */
async function boundClient(
  server: socket.socket,
  reuse = false,
  port = 0,
): Promise<[socket.socket, socket.socket, number]> {
  const c = tcp(reuse);
  c.settimeout(5);
  c.bind(["127.0.0.1", port]);
  await c.connect(server.getsockname() as Address);
  const [conn] = await server.accept();
  return [c, conn, (c.getsockname() as Address)[1]];
}

/** A port nothing listens on, free when this returns. */
function deadPort(): number {
  using s = socket.socket();
  s.bind(["127.0.0.1", 0]);
  return (s.getsockname() as Address)[1];
}

function listener(): socket.socket {
  const s = socket.create_server(["127.0.0.1", 0]);
  s.settimeout(5);
  return s;
}

test("bind() of the port a connection from a bound address holds raises [Errno 98] (127.0.0.1, 0.0.0.0, ::), and the socket stays unbound", async () => {
  using server = listener();
  const [c, conn, port] = await boundClient(server);
  using _c = c;
  using _conn = conn;
  // Python's own SO_REUSEADDR, not the runtime's.
  assertEquals(c.getsockopt(SOL_SOCKET, SO_REUSEADDR), 0);
  for (const host of ["127.0.0.1", "0.0.0.0"]) {
    using s = tcp();
    bindError(() => s.bind([host, port]));
    // Still unbound: a connect goes from a port of its own.
    await s.connect(server.getsockname() as Address);
    assert((s.getsockname() as Address)[1] !== port);
    (await server.accept())[0].close();
  }
  using v6 = socket.socket(socket.AF_INET6);
  bindError(() => v6.bind(["::", port]));
  // The same socket keeps its connection.
  await c.sendall(b("ok"));
  assertEquals(await conn.recv(2), b("ok"));
});

test("create_connection() from the source address of a live connection raises [Errno 98]", async () => {
  using server = listener();
  const address = server.getsockname() as Address;
  using c = await socket.create_connection(address, 2, ["127.0.0.1", 0]);
  const [conn] = await server.accept();
  using _ = conn;
  const port = (c.getsockname() as Address)[1];
  assertEquals(c.getsockopt(SOL_SOCKET, SO_REUSEADDR), 0);
  await rejection(
    socket.create_connection(address, 2, ["127.0.0.1", port]),
    98,
    IN_USE,
  );
});

test("bind() of a connection's port with SO_REUSEADDR on one side only raises [Errno 98]", async () => {
  using server = listener();
  for (const [first, second] of [[true, false], [false, true]]) {
    const [c, conn, port] = await boundClient(server, first);
    using _c = c;
    using _conn = conn;
    assertEquals(c.getsockopt(SOL_SOCKET, SO_REUSEADDR), Number(first));
    using s = tcp(second);
    bindError(() => s.bind(["127.0.0.1", port]));
  }
});

test("with SO_REUSEADDR on both, a connection's port binds and listens; a connect from it to the same peer raises [Errno 99]", async () => {
  using server = listener();
  using other = listener();
  const [c, conn, port] = await boundClient(server, true);
  using _c = c;
  using _conn = conn;
  assertEquals(c.getsockopt(SOL_SOCKET, SO_REUSEADDR), 1);
  {
    using s = tcp(true);
    s.bind(["127.0.0.1", port]);
    s.listen();
    assertEquals(s.getsockname(), ["127.0.0.1", port]);
  }
  {
    using s = tcp(true);
    s.settimeout(5);
    s.bind(["127.0.0.1", port]);
    await rejection(
      s.connect(server.getsockname() as Address),
      99,
      "[Errno 99] Cannot assign requested address",
    );
  }
  {
    using s = tcp(true);
    s.settimeout(5);
    s.bind(["127.0.0.1", port]);
    await s.connect(other.getsockname() as Address);
    assertEquals((s.getsockname() as Address)[1], port);
    (await other.accept())[0].close();
  }
});

test("SO_REUSEADDR set on a connection after it connected counts at the next bind(), as on Linux", async () => {
  using server = listener();
  const [c, conn, port] = await boundClient(server);
  using _c = c;
  using _conn = conn;
  c.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1);
  assertEquals(c.getsockopt(SOL_SOCKET, SO_REUSEADDR), 1);
  using s = tcp(true);
  s.bind(["127.0.0.1", port]);
});

test("a failed connect from port 0 frees the port; from a port bind() was given, keeps it and connects from it again", async () => {
  using server = listener();
  const dead = deadPort();
  {
    // (Blocking: a timed connect's failure leaves the socket connecting.)
    using c = tcp();
    c.bind(["127.0.0.1", 0]);
    const port = (c.getsockname() as Address)[1];
    await rejection(
      c.connect(["127.0.0.1", dead]),
      111,
      "[Errno 111] Connection refused",
      socket.ConnectionRefusedError,
    );
    assertEquals(c.getsockname(), ["127.0.0.1", port]);
    using s = tcp();
    s.bind(["127.0.0.1", port]);
  }
  {
    const port = deadPort();
    using c = tcp();
    c.bind(["127.0.0.1", port]);
    await rejection(
      c.connect(["127.0.0.1", dead]),
      111,
      "[Errno 111] Connection refused",
      socket.ConnectionRefusedError,
    );
    {
      using s = tcp();
      bindError(() => s.bind(["127.0.0.1", port]));
    }
    await c.connect(server.getsockname() as Address);
    assertEquals((c.getsockname() as Address)[1], port);
    const [conn] = await server.accept();
    using _ = conn;
    using s = tcp();
    bindError(() => s.bind(["127.0.0.1", port]));
  }
});

/** A python3 peer that accepts one connection and resets it. */
const RESETTER = `
import socket, struct
s = socket.create_server(("127.0.0.1", 0))
print(s.getsockname()[1], flush=True)
c, _ = s.accept()
c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
c.close()
`;

test("close() frees a connection's port after the peer's end of stream", async () => {
  using server = listener();
  const [c, conn, port] = await boundClient(server);
  conn.close();
  assertEquals(await c.recv(10), b(""));
  c.close();
  using s = tcp();
  s.bind(["127.0.0.1", port]);
});

test(
  "a connection reset by the peer holds a port bind() was given until close()",
  async () => {
    const peer = new Child("python3", ["-c", RESETTER], { timeoutMs: 10_000 });
    const [, peerPort] = await peer.waitFor("stdout", /^(\d+)$/m);
    const port = deadPort();
    using c = tcp();
    c.settimeout(5);
    c.bind(["127.0.0.1", port]);
    await c.connect(["127.0.0.1", Number(peerPort)]);
    assertEquals((await peer.exit()).code, 0);
    await rejection(
      c.recv(10),
      104,
      "[Errno 104] Connection reset by peer",
      socket.ConnectionResetError,
    );
    {
      using s = tcp();
      bindError(() => s.bind(["127.0.0.1", port]));
    }
    c.close();
    using s = tcp();
    s.bind(["127.0.0.1", port]);
  },
  { ignore: await noPython() },
);

test("after close() first, the port stays held while the connection is in TIME_WAIT, unless SO_REUSEADDR is on both (python3's answers)", async () => {
  using server = listener();
  for (const first of [false, true]) {
    const [c, conn, port] = await boundClient(server, first);
    c.close();
    assertEquals(await conn.recv(10), b(""));
    conn.close();
    await sleep(50);
    for (const second of [false, true]) {
      using s = tcp(second);
      if (first && second) s.bind(["127.0.0.1", port]);
      else bindError(() => s.bind(["127.0.0.1", port]));
    }
  }
});

test(
  "a connection from '::' to an IPv4-mapped peer holds the IPv4 port: an IPv6-only bind of '::' on it stands, an IPv4 one is [Errno 98] (python3's answers)",
  async () => {
    using server = listener();
    using c = socket.socket(socket.AF_INET6);
    c.settimeout(5);
    c.bind(["::", 0]);
    const port = c.getsockname()[1];
    const [, serverPort] = server.getsockname() as Address;
    await c.connect(["::ffff:127.0.0.1", serverPort]);
    using _conn = (await server.accept())[0];
    assertEquals(c.getsockname()[0], "::ffff:127.0.0.1");
    {
      using v6only = socket.socket(socket.AF_INET6);
      v6only.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1);
      v6only.bind(["::", port]);
    }
    using v4 = socket.socket();
    bindError(() => v4.bind(["127.0.0.1", port]));
  },
  {
    ignore: runtime === "deno" &&
      "Deno's sockets cannot be made IPv6-only (IPV6_V6ONLY raises [Errno 92])",
  },
);
