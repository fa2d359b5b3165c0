// Copyright the pysocket authors. MIT license.
// Subclasses, as Python programs write them: `class MySock(socket.socket)`
// ported as `class MySock extends socket.socket` (it type-checks, its
// objects are its own, its methods exist), and which of the library's
// calls reach a subclass's overrides: CPython's (recorded from python3
// 3.11): dup() makes the subclass, setblocking() does not call
// settimeout(), `with` closes only a socket not closed yet, a file's reads
// call recv_into() and never recv(); socketserver closes the request an
// overridden handle_error() raised out of.

import { assertEquals, assertInstanceOf } from "@std/assert";
import * as socket from "../mod.ts";
import * as socketserver from "../socketserver.ts";
import { b, bounded, capturingStderr, errorOf, str, test } from "./_util.ts";

/** A socket subclass that logs the calls a Python port would override. */
class MySock extends socket.socket {
  log: string[] = [];
  tag: string;

  constructor(
    family?: typeof socket.AF_INET,
    type?: typeof socket.SOCK_STREAM,
    proto?: number,
    fileno?: null,
    tag = "mine",
  ) {
    super(family, type, proto, fileno);
    this.tag = tag;
  }

  sendLine(text: string): Promise<void> {
    return this.sendall(b(text + "\n"));
  }

  override settimeout(value: number | null): void {
    this.log.push(`settimeout(${value})`);
    super.settimeout(value);
  }

  override close(): void {
    this.log.push("close");
    super.close();
  }
}

/** A connected pair whose first end is a {@linkcode MySock}. */
async function mySockPair(): Promise<[MySock, socket.Socket]> {
  using server = socket.create_server(["127.0.0.1", 0]);
  const mine = new MySock();
  mine.settimeout(5);
  await mine.connect(server.getsockname());
  const [peer] = await server.accept();
  peer.settimeout(5);
  mine.log.length = 0;
  return [mine, peer];
}

test("class MySock extends socket.socket: its objects are its own, with its fields and methods", async () => {
  const [mine, peer] = await mySockPair();
  try {
    assertInstanceOf(mine, MySock);
    assertInstanceOf(mine, socket.socket);
    assertEquals(mine.constructor, MySock);
    assertEquals(mine.tag, "mine");
    await mine.sendLine("hello");
    assertEquals(str(await peer.recv(100)), "hello\n");
    // accept() makes a plain socket, as CPython's.
    using server = socket.create_server(["127.0.0.1", 0]);
    using c = await socket.create_connection(server.getsockname());
    const [conn] = await server.accept();
    assertEquals(conn.constructor, socket.Socket);
    conn.close();
    void c;
  } finally {
    mine.close();
    peer.close();
  }
});

test("dup() makes the subclass (its constructor runs) with this socket's timeout, set through settimeout()", async () => {
  const [mine, peer] = await mySockPair();
  try {
    const d = mine.dup() as MySock;
    assertInstanceOf(d, MySock);
    assertEquals(d.tag, "mine");
    assertEquals(d.log, ["settimeout(5)"]);
    assertEquals(d.gettimeout(), 5);
    await d.sendall(b("via dup"));
    assertEquals(str(await peer.recv(100)), "via dup");
    d.close();
  } finally {
    mine.close();
    peer.close();
  }
});

test("setblocking() does not call an overridden settimeout(); `using` calls close() only if it was not called", async () => {
  const [mine, peer] = await mySockPair();
  mine.setblocking(false);
  mine.setblocking(true);
  assertEquals(mine.log, []);
  assertEquals(mine.gettimeout(), null);
  {
    using s = mine;
    s.close();
  }
  assertEquals(mine.log, ["close"]);
  {
    using _s = new MySock();
    void _s;
  }
  peer.close();
});

test("a file's reads call the socket's recv_into(), never recv(), as CPython's SocketIO", async () => {
  class Counting extends socket.socket {
    intoBytes = 0;
    override recv(bufsize: number, flags?: number) {
      return super.recv(bufsize, flags).then((data) =>
        data.map((c) => c >= 97 && c <= 122 ? c - 32 : c)
      );
    }
    override async recv_into(buffer: Uint8Array, nbytes?: number) {
      const n = await super.recv_into(buffer, nbytes);
      this.intoBytes += n;
      return n;
    }
  }
  using server = socket.create_server(["127.0.0.1", 0]);
  const mine = new Counting();
  mine.settimeout(5);
  await mine.connect(server.getsockname());
  const [peer] = await server.accept();
  try {
    await peer.sendall(b("hello\nworld\n"));
    const f = mine.makefile("rb");
    assertEquals(str(await f.readline()), "hello\n");
    assertEquals(str(await f.readline()), "world\n");
    assertEquals(mine.intoBytes, 12);
    await f.close();
    await peer.sendall(b("abc"));
    const raw = mine.makefile("rb", 0);
    assertEquals(str(await raw.read(3) as Uint8Array), "abc");
    await raw.close();
    assertEquals(mine.intoBytes, 15);
  } finally {
    mine.close();
    peer.close();
  }
});

test("socketserver: a request whose handle_error() raised is closed, so the client sees the end (CPython drops it)", async () => {
  class Boom extends socketserver.BaseRequestHandler<socket.Socket> {
    override async handle() {
      await this.request.recv(10);
      throw new socket.RuntimeError("boom");
    }
  }
  class Server extends socketserver.TCPServer {
    override handle_error() {
      throw new socket.ValueError("from handle_error");
    }
  }
  await using server = new Server(["127.0.0.1", 0], Boom);
  using c = await socket.create_connection(server.server_address, 5);
  await c.sendall(b("boom"));
  const { value: err } = await capturingStderr(() =>
    server.handle_request().then(() => null, (e) => e)
  );
  assertInstanceOf(err, socket.ValueError);
  assertEquals(err.message, "from handle_error");
  const got = await bounded(c.recv(10), 3_000, "the client's recv()");
  assertEquals(got.length, 0);
});

test("dup() of a subclass whose constructor does not pass the descriptor on raises Python's TypeError and keeps nothing open", async () => {
  class Odd extends socket.socket {
    constructor() {
      super();
    }
  }
  using server = socket.create_server(["127.0.0.1", 0]);
  const odd = new Odd();
  odd.settimeout(5);
  await odd.connect(server.getsockname());
  const [peer] = await server.accept();
  try {
    peer.settimeout(5);
    const err = await errorOf(() => odd.dup()) as Error;
    assertInstanceOf(err, TypeError);
    assertEquals(
      err.message,
      "Odd.__init__() got an unexpected keyword argument 'fileno'",
    );
    odd.close();
    // No descriptor of the connection is left open: the peer sees the end.
    assertEquals((await peer.recv(10)).length, 0);
  } finally {
    odd.close();
    peer.close();
  }
});
