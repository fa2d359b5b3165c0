// Copyright the pysocket authors. MIT license.
// CPython's behaviour in the corners: MSG_WAITALL, Linux abstract AF_UNIX
// names, over-long paths, socketpair()'s family, sendfile() on a
// non-blocking socket. Every expectation was checked against CPython 3.11
// on Linux (the probe scripts' answers are quoted where they matter).

import {
  assert,
  assertEquals,
  assertInstanceOf,
  assertRejects,
  assertThrows,
} from "@std/assert";
import * as socket from "../mod.ts";
import { expected, unless } from "./_caps.ts";
import {
  b,
  closeAll,
  makeTempDir,
  remove,
  sleep,
  str,
  tcpPair,
  test,
} from "./_util.ts";

/** A fresh Linux abstract name: a NUL, then something no one else uses. */
function abstractName(): string {
  return `\0pysocket-test-${Math.random().toString(36).slice(2)}`;
}

const bytesOf = (text: string) => new TextEncoder().encode(text);

// ------------------------------------------------------------ MSG_WAITALL

test("recv(n, MSG_WAITALL) on a blocking socket waits for all n bytes", async () => {
  const { server, client, conn } = await tcpPair();
  await conn.sendall(b("abc"));
  const later = sleep(50).then(() => conn.sendall(b("def")));
  // CPython: b'abcdef', after the second write.
  assertEquals(str(await client.recv(6, socket.MSG_WAITALL)), "abcdef");
  await later;
  await closeAll(conn, client, server);
});

test("recv_into/recvfrom/recvfrom_into with MSG_WAITALL wait for all they asked", async () => {
  const { server, client, conn } = await tcpPair();
  const send = (text: string) =>
    conn.sendall(b(text)).then(() => sleep(20)).then(() =>
      conn.sendall(b(text.toUpperCase()))
    );
  let later = send("abc");
  const buf = new Uint8Array(8);
  assertEquals(await client.recv_into(buf, 6, socket.MSG_WAITALL), 6);
  assertEquals(str(buf.subarray(0, 6)), "abcABC");
  await later;
  later = send("def");
  const [data, from] = await client.recvfrom(6, socket.MSG_WAITALL);
  assertEquals([str(data), from], ["defDEF", null]);
  await later;
  later = send("ghi");
  const [n, sender] = await client.recvfrom_into(buf, 6, socket.MSG_WAITALL);
  assertEquals([n, str(buf.subarray(0, 6)), sender], [6, "ghiGHI", null]);
  await later;
  await closeAll(conn, client, server);
});

test("recv(n, MSG_WAITALL) returns what came before the end of stream, then b''", async () => {
  const { server, client, conn } = await tcpPair();
  await conn.sendall(b("abc"));
  const later = sleep(30).then(() => conn.shutdown(socket.SHUT_WR));
  assertEquals(str(await client.recv(6, socket.MSG_WAITALL)), "abc");
  assertEquals(await client.recv(6, socket.MSG_WAITALL), new Uint8Array());
  await later;
  await closeAll(conn, client, server);
});

test("recv(n, MSG_WAITALL) with a timeout, non-blocking or MSG_DONTWAIT returns what there is, as Linux", async () => {
  const { server, client, conn } = await tcpPair();
  await conn.sendall(b("abc"));
  await sleep(30);
  // CPython with settimeout(1): b'abc' at once (the socket is non-blocking
  // underneath, where Linux's MSG_WAITALL does not wait).
  client.settimeout(1);
  assertEquals(str(await client.recv(6, socket.MSG_WAITALL)), "abc");
  await conn.sendall(b("def"));
  await sleep(30);
  client.settimeout(0);
  assertEquals(str(await client.recv(6, socket.MSG_WAITALL)), "def");
  client.settimeout(null);
  await conn.sendall(b("ghi"));
  await sleep(30);
  assertEquals(
    str(await client.recv(6, socket.MSG_WAITALL | socket.MSG_DONTWAIT)),
    "ghi",
  );
  // Nothing there and a timeout: timed out, as CPython.
  client.settimeout(0.05);
  await assertRejects(
    () => client.recv(6, socket.MSG_WAITALL),
    socket.TimeoutError,
    "timed out",
  );
  await closeAll(conn, client, server);
});

test("recv(n, MSG_WAITALL) on a datagram socket returns one datagram", async () => {
  using a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  a.bind(["127.0.0.1", 0]);
  using z = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  await z.sendto(b("abc"), a.getsockname());
  assertEquals(str(await a.recv(6, socket.MSG_WAITALL)), "abc");
});

test("recv(n, MSG_WAITALL | MSG_PEEK) is refused: no runtime can peek that far", async () => {
  const { server, client, conn } = await tcpPair();
  await assertRejects(
    () => client.recv(6, socket.MSG_WAITALL | socket.MSG_PEEK),
    socket.OSError,
    "[Errno 95] Operation not supported: MSG_WAITALL with MSG_PEEK",
  );
  await closeAll(conn, client, server);
});

test(
  "recv(n, MSG_WAITALL) returns the bytes before a reset; the next recv() raises it, as Linux",
  async () => {
    const { server, client, conn } = await tcpPair();
    await conn.sendall(b("abc"));
    await sleep(30);
    const later = sleep(30).then(() => {
      conn.setsockopt(
        socket.SOL_SOCKET,
        socket.SO_LINGER,
        new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0]),
      );
      conn.close();
    });
    assertEquals(str(await client.recv(6, socket.MSG_WAITALL)), "abc");
    await later;
    await assertRejects(
      () => client.recv(6),
      socket.ConnectionResetError,
      "[Errno 104] Connection reset by peer",
    );
    // The reset was told: a send meets EPIPE, every time (Node told the
    // reset again).
    for (let i = 0; i < 2; i++) {
      await assertRejects(
        () => client.send(b("x")),
        socket.BrokenPipeError,
        "[Errno 32] Broken pipe",
      );
    }
    // Reset, the connection is in Linux's CLOSE state: not connected.
    await assertRejects(
      () => client.shutdown(socket.SHUT_RDWR),
      socket.OSError,
      "[Errno 107] Transport endpoint is not connected",
    );
    await closeAll(client, server);
  },
  { ignore: unless(expected.reset, "reset a connection (SO_LINGER 0)") },
);

// ------------------------------------------------- AF_UNIX abstract names

test("AF_UNIX abstract names round-trip as bytes (a Uint8Array), as CPython's b'\\x00name'", async () => {
  const name = abstractName();
  const raw = bytesOf(name);
  using server = socket.socket(socket.AF_UNIX);
  server.bind(name);
  server.listen();
  // CPython: getsockname() == b'\x00name', its repr laddr=b'\x00name'.
  const own = server.getsockname();
  assertInstanceOf(own, Uint8Array);
  assertEquals(own, raw);
  assertEquals(
    String(server),
    `<socket.socket fd=${server.fileno()}, family=1, type=1, proto=0, laddr=b'\\x00${
      name.slice(1)
    }'>`,
  );
  using client = socket.socket(socket.AF_UNIX);
  await client.connect(raw); // bytes work as well as the str
  const [conn, address] = await server.accept();
  using _ = conn;
  // CPython: accept() → '', conn.getsockname() → b'\x00name',
  // client.getpeername() → b'\x00name', client.getsockname() → ''.
  assertEquals(address, "");
  assertEquals(conn.getsockname(), raw);
  assertEquals(client.getpeername(), raw);
  assertEquals(client.getsockname(), "");
  await client.sendall(b("abstract"));
  assertEquals(str(await conn.recv(64)), "abstract");
});

test("AF_UNIX: a path longer than sun_path is OSError('AF_UNIX path too long'), as CPython", async () => {
  const cases: unknown[] = [
    "a".repeat(108), // a path needs its NUL: 107 bytes at most
    bytesOf("a".repeat(108)),
    "é".repeat(54), // 108 bytes in UTF-8
    `\0${"a".repeat(108)}`, // an abstract name has no NUL: 108 at most
  ];
  for (const address of cases) {
    using s = socket.socket(socket.AF_UNIX);
    const err = assertThrows(
      () => s.bind(address as string),
      socket.OSError,
      "AF_UNIX path too long",
    );
    assertEquals([err.errno, err.message], [null, "AF_UNIX path too long"]);
    await assertRejects(
      () => s.connect(address as string),
      socket.OSError,
      "AF_UNIX path too long",
    );
  }
});

// ------------------------------------------------------------- socketpair

test("socketpair() is an AF_UNIX pair where the runtime can make one without more permission, else AF_INET", async () => {
  const [a, z] = await socket.socketpair();
  try {
    const family = expected.unixPair ? socket.AF_UNIX : socket.AF_INET;
    assertEquals([a.family, z.family], [family, family]);
    assertEquals([a.type, z.type], [socket.SOCK_STREAM, socket.SOCK_STREAM]);
    await a.sendall(b("ping"));
    assertEquals(str(await z.recv(4)), "ping");
    await z.sendall(b("pong"));
    assertEquals(str(await a.recv(4)), "pong");
  } finally {
    await closeAll(a, z);
  }
});

test("socketpair(AF_UNIX) and socketpair(null) make an AF_UNIX pair (Linux abstract names)", async () => {
  for (const family of [socket.AF_UNIX, expected.unixPair ? null : -2]) {
    if (family === -2) continue;
    const [a, z] = await socket.socketpair(family);
    try {
      assertEquals([a.family, z.family], [socket.AF_UNIX, socket.AF_UNIX]);
      await a.sendall(b("x"));
      assertEquals(str(await z.recv(1)), "x");
    } finally {
      await closeAll(a, z);
    }
  }
});

test("socketpair() refuses as Linux's socketpair() does, in its order", async () => {
  const cases: [unknown[], string][] = [
    [[-1], "[Errno 97] Address family not supported by protocol"],
    [[socket.AF_UNIX, -1], "[Errno 22] Invalid argument"],
    [
      [socket.AF_UNIX, socket.SOCK_STREAM, -1],
      "[Errno 93] Protocol not supported",
    ],
  ];
  for (const [args, message] of cases) {
    await assertRejects(
      () => socket.socketpair(...(args as [number])),
      socket.OSError,
      message,
    );
  }
  await assertRejects(
    () => socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM),
    socket.ValueError,
    "Only SOCK_STREAM socket type is supported",
  );
});

test("socketpair(…, SOCK_STREAM | SOCK_NONBLOCK) makes both ends non-blocking", async () => {
  const [a, z] = await socket.socketpair(
    socket.AF_INET,
    socket.SOCK_STREAM | socket.SOCK_NONBLOCK,
  );
  try {
    assertEquals([a.getblocking(), z.getblocking()], [false, false]);
    await assertRejects(() => a.recv(1), socket.BlockingIOError);
  } finally {
    await closeAll(a, z);
  }
});

// ---------------------------------------------------------------- sendfile

test("sendfile() on a non-blocking socket raises ValueError, as CPython", async () => {
  const { server, client, conn } = await tcpPair();
  client.setblocking(false);
  // A file with a byte in it (CPython sends an empty one's nothing, 0,
  // before it looks at the socket).
  const file = {
    read: (p: Uint8Array) => {
      p[0] = 120;
      return Promise.resolve(1);
    },
    seek: () => Promise.resolve(0),
  };
  await assertRejects(
    () => client.sendfile(file),
    socket.ValueError,
    "non-blocking sockets are not supported",
  );
  // CPython checks the socket before it reads the file: a null file too.
  await assertRejects(
    () => client.sendfile(null as never),
    socket.ValueError,
    "non-blocking sockets are not supported",
  );
  await closeAll(conn, client, server);
});

test("sendfile() with something that is not a file names the missing method, as CPython's AttributeError", async () => {
  const { server, client, conn } = await tcpPair();
  await assertRejects(
    () => client.sendfile(null as never),
    TypeError,
    "'NoneType' object has no attribute 'read'",
  );
  await assertRejects(
    () => client.sendfile({ read: () => Promise.resolve(null) } as never, 5),
    TypeError,
    "'dict' object has no attribute 'seek'",
  );
  assert(client.fileno() > 0);
  await closeAll(conn, client, server);
});

// ------------------------------------------- what the fuzz test turned up

test("AF_UNIX bind('') picks an abstract name, as Linux's autobind (b'\\x00' and five hex digits); connect('') is EINVAL", async () => {
  using s = socket.socket(socket.AF_UNIX);
  s.bind("");
  const name = s.getsockname();
  if (!(name instanceof Uint8Array)) throw new Error(`${name} is not bytes`);
  assert(/^\0[0-9a-f]{5}$/.test(new TextDecoder().decode(name)), String(name));
  using c = socket.socket(socket.AF_UNIX);
  await assertRejects(
    () => c.connect(""),
    socket.OSError,
    "[Errno 22] Invalid argument",
  );
});

test("AF_UNIX: a path ends at its first NUL, as the kernel reads it", async () => {
  const dir = await makeTempDir({ prefix: "pysocket_" });
  try {
    using s = socket.socket(socket.AF_UNIX);
    s.bind(`${dir}/s\0ignored`);
    assertEquals(s.getsockname(), `${dir}/s`);
  } finally {
    await remove(dir, { recursive: true });
  }
});

test("a host name with a NUL is getaddrinfo's gaierror -2, an address tuple's TypeError and gethostbyname's, as CPython's (python3's answers), never the runtime's error", async () => {
  await assertRejects(
    () => socket.getaddrinfo("a\0b.invalid", 80),
    socket.gaierror,
    "[Errno -2] Name or service not known",
  );
  using s = socket.socket();
  await assertRejects(
    () => s.connect(["a\0b.invalid", 80]),
    TypeError,
    "host name must not contain null character",
  );
  await assertRejects(
    () => socket.gethostbyname("a\0b"),
    TypeError,
    "gethostbyname() argument 1 must be encoded string without null bytes, not str",
  );
});

test("select() with more than FD_SETSIZE items is ValueError, as CPython's (a 256 MiB view fails at once)", async () => {
  const { select } = await import("../select.ts");
  await assertRejects(
    () => select(new Uint8Array(256 * 1024 * 1024) as never, [], [], 0),
    socket.ValueError,
    "too many file descriptors in select()",
  );
});

test("recvfrom(0) and recvfrom_into() of no room on a stream wait for something to read and take nothing, as CPython's (recv(0) returns at once)", async () => {
  const { server, client, conn } = await tcpPair();
  client.settimeout(0.2);
  await assertRejects(() => client.recvfrom(0), socket.TimeoutError);
  await assertRejects(
    () => client.recvfrom_into(new Uint8Array(0)),
    socket.TimeoutError,
  );
  assertEquals(await client.recv(0), new Uint8Array());
  client.setblocking(false);
  await assertRejects(
    () => client.recvfrom(0),
    socket.BlockingIOError,
    "[Errno 11] Resource temporarily unavailable",
  );
  client.settimeout(5);
  await conn.sendall(b("xy"));
  assertEquals(await client.recvfrom(0), [new Uint8Array(), null]);
  assertEquals(await client.recvfrom_into(new Uint8Array(0)), [0, null]);
  assertEquals(str(await client.recv(10)), "xy");
  conn.close();
  assertEquals(await client.recvfrom(0), [new Uint8Array(), null]);
  await closeAll(client, server);
});
