// Copyright the pysocket authors. MIT license.
// A connection a listener accepted holds the listener's port, as Linux's
// accepted socket does: while it is open (even once the listener is
// closed), and for about a minute in TIME_WAIT where the server closed it
// first, with the listener's SO_REUSEADDR (python3's answers). Every
// runtime's listener has SO_REUSEADDR on, so the kernel would let a new
// bind() of the port stand where Python's is refused.

import { assert, assertEquals } from "@std/assert";
import * as socket from "../mod.ts";
import * as socketserver from "../socketserver.ts";
import { expected, unless } from "./_caps.ts";
import { assertRaisesOSError, b, readTextFile, sleep, test } from "./_util.ts";

const { SOL_SOCKET, SO_REUSEADDR } = socket;
type Address = [string, number];

const IN_USE = "[Errno 98] Address already in use";

/** Python's error for a bind() of a port held: class, errno, message. */
const inUse = (f: () => unknown): void => assertRaisesOSError(f);

/** A socket of `family`, with SO_REUSEADDR set first if `reuse`. */
function tcp(reuse = false, family = socket.AF_INET): socket.socket {
  const s = socket.socket(family);
  if (reuse) s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1);
  return s;
}

/**
 * A listener on `host` port 0 (SO_REUSEADDR set first if `reuse`), a
 * client connected to it from `client`, and the connection accepted.
 */
async function accepted(
  reuse = false,
  host = "127.0.0.1",
  client = host,
): Promise<
  { server: socket.socket; c: socket.socket; a: socket.socket; port: number }
> {
  const family = host.includes(":") ? socket.AF_INET6 : socket.AF_INET;
  const server = tcp(reuse, family);
  server.bind([host, 0]);
  server.listen();
  server.settimeout(5);
  const port = (server.getsockname() as Address)[1];
  const c = socket.socket(client.includes(":") ? socket.AF_INET6 : family);
  c.settimeout(5);
  await c.connect([client, port]);
  const [a] = await server.accept();
  a.settimeout(5);
  return { server, c, a, port };
}

/** bind() (then listen()) of 127.0.0.1 `port`: stands, or raises [Errno 98]. */
function rebinds(port: number, reuse: boolean, stands: boolean): void {
  using s = tcp(reuse);
  if (!stands) return inUse(() => s.bind(["127.0.0.1", port]));
  s.bind(["127.0.0.1", port]);
  s.listen();
}

test("an accepted connection holds the port once the listener is closed: bind() raises [Errno 98] unless SO_REUSEADDR is on the listener and the new socket (python3's answers)", async () => {
  for (const first of [false, true]) {
    for (const second of [false, true]) {
      const { server, c, a, port } = await accepted(first);
      using _c = c;
      using _a = a;
      server.close();
      rebinds(port, second, first && second);
    }
  }
});

test("while the listener is open, a bind() of its port raises [Errno 98] with or without SO_REUSEADDR", async () => {
  for (const reuse of [false, true]) {
    const { server, c, a, port } = await accepted(reuse);
    using _s = server;
    using _c = c;
    using _a = a;
    rebinds(port, reuse, false);
  }
});

test("after the server closes an accepted connection first, its port stays held in TIME_WAIT: [Errno 98] unless SO_REUSEADDR is on the listener and the new socket (python3's answers)", async () => {
  for (const first of [false, true]) {
    for (const second of [false, true]) {
      const { server, c, a, port } = await accepted(first);
      a.close();
      assertEquals(await c.recv(10), b(""));
      c.close();
      server.close();
      await sleep(50);
      rebinds(port, second, first && second);
    }
  }
});

test("shutdown(SHUT_WR) then close() on the server's side holds the port in TIME_WAIT as well", async () => {
  const { server, c, a, port } = await accepted();
  await a.shutdown(socket.SHUT_WR);
  assertEquals(await c.recv(10), b(""));
  c.close();
  assertEquals(await a.recv(10), b(""));
  a.close();
  server.close();
  await sleep(50);
  rebinds(port, false, false);
  rebinds(port, true, false);
});

test("after the client closes first, the accepted connection's close leaves the port free (no TIME_WAIT on the server's side)", async () => {
  for (const reuse of [false, true]) {
    const { server, c, a, port } = await accepted();
    c.close();
    assertEquals(await a.recv(10), b(""));
    a.close();
    server.close();
    await sleep(50);
    rebinds(port, reuse, true);
  }
});

test(
  "an accepted connection reset by its close (SO_LINGER {1, 0}) leaves the port free",
  async () => {
    const { server, c, a, port } = await accepted();
    using _c = c;
    a.setsockopt(
      SOL_SOCKET,
      socket.SO_LINGER,
      new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0]),
    );
    a.close();
    server.close();
    await sleep(50);
    rebinds(port, false, true);
  },
  { ignore: unless(expected.reset, "reset a connection (SO_LINGER 0)") },
);

/** Can this process read /proc/net/tcp (Deno: with --allow-all only)? */
const PROC_READABLE = await readTextFile("/proc/net/tcp").then(
  () => true,
  () => false,
);

test(
  "an accepted connection its peer reset lets the port go while it is still open, as Linux's (the kernel no longer lists it)",
  async () => {
    // python3: the client resets (SO_LINGER {1, 0}) and closes; the server
    // closes its listener, keeps the accepted socket open: a bind stands.
    const { server, c, a, port } = await accepted();
    using _a = a;
    c.setsockopt(
      SOL_SOCKET,
      socket.SO_LINGER,
      new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0]),
    );
    c.close();
    await sleep(100);
    server.close();
    rebinds(port, false, true);
  },
  {
    ignore: unless(expected.reset, "reset a connection (SO_LINGER 0)") ||
      (!PROC_READABLE && "/proc/net/tcp cannot be read here"),
  },
);

test("an accepted connection holds its own address: another loopback address binds the port, the wildcard and '::' do not (python3's answers)", async () => {
  const { server, c, a, port } = await accepted(false, "0.0.0.0", "127.0.0.1");
  using _c = c;
  using _a = a;
  server.close();
  {
    using other = tcp();
    other.bind(["127.0.0.2", port]);
  }
  using wildcard = tcp();
  inUse(() => wildcard.bind(["0.0.0.0", port]));
  if (socket.has_ipv6) {
    using v6 = tcp(false, socket.AF_INET6);
    inUse(() => v6.bind(["::", port]));
  }
});

test(
  "an accepted IPv6 connection of a '::' listener holds the port against an IPv4 wildcard bind, one of a '::1' listener does not (python3's answers)",
  async () => {
    for (const [host, held] of [["::", true], ["::1", false]] as const) {
      const { server, c, a, port } = await accepted(false, host, "::1");
      using _c = c;
      using _a = a;
      server.close();
      using v4 = tcp();
      if (held) inUse(() => v4.bind(["0.0.0.0", port]));
      else v4.bind(["0.0.0.0", port]);
      using v6 = tcp(false, socket.AF_INET6);
      inUse(() => v6.bind(["::1", port]));
    }
  },
  { ignore: !socket.has_ipv6 && "no IPv6 here" },
);

test("SO_REUSEADDR turned off on an accepted connection counts at the next bind() (python3's answers)", async () => {
  const { server, c, a, port } = await accepted(true);
  using _c = c;
  using _a = a;
  a.setsockopt(SOL_SOCKET, SO_REUSEADDR, 0);
  server.close();
  rebinds(port, true, false);
});

test("a TCPServer that served a request and was closed cannot be made again on its port, with or without allow_reuse_address (python3's answers)", async () => {
  class Echo extends socketserver.BaseRequestHandler {
    override async handle(): Promise<void> {
      const request = this.request as socket.socket;
      await request.sendall(await request.recv(100));
    }
  }
  const server = new socketserver.TCPServer(["127.0.0.1", 0], Echo);
  const address = server.server_address as Address;
  const client = await socket.create_connection(address, 5);
  await client.sendall(b("hi"));
  await server.handle_request();
  assertEquals(await client.recv(100), b("hi"));
  assertEquals(await client.recv(100), b(""));
  client.close();
  await server.server_close();
  for (const reuse of [false, true]) {
    class Again extends socketserver.TCPServer {
      static override allow_reuse_address = reuse;
    }
    let caught: unknown = null;
    try {
      await (new Again(address, Echo)).server_close();
    } catch (err) {
      caught = err;
    }
    assert(caught !== null, `reuse=${reuse}: no error`);
    const err = caught as socket.OSError;
    assertEquals(err.constructor, socket.OSError);
    assertEquals(err.errno, 98);
    assertEquals(err.message, IN_USE);
  }
});
