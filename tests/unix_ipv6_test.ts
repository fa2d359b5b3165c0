// Copyright the pysocket authors. MIT license.
// AF_UNIX stream sockets and AF_INET6 end to end.

import { assert, assertEquals, assertRejects, assertThrows } from "@std/assert";
import * as socket from "../mod.ts";
import {
  b,
  exists,
  makeTempDir,
  remove,
  runtime,
  str,
  symlink,
  test,
  writeTextFile,
} from "./_util.ts";

async function tempPath(): Promise<string> {
  const dir = await makeTempDir({ prefix: "pysocket_" });
  return `${dir}/s.sock`;
}

test("AF_UNIX: bind(path), listen, connect(path), accept and exchange bytes", async () => {
  const path = await tempPath();
  {
    using server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM);
    server.bind(path);
    server.listen();
    assertEquals(server.getsockname(), path);
    assertEquals(
      String(server),
      `<socket.socket fd=${server.fileno()}, family=1, type=1, proto=0, laddr=${path}>`,
    );
    using client = socket.socket(socket.AF_UNIX);
    await client.connect(path);
    const [conn, addr] = await server.accept();
    using _ = conn;
    assertEquals(addr, "");
    assertEquals(client.getpeername(), path);
    assertEquals(client.getsockname(), "");
    assertEquals(
      String(client),
      `<socket.socket fd=${client.fileno()}, family=1, type=1, proto=0, raddr=${path}>`,
    );
    await client.sendall(b("over unix"));
    assertEquals(str(await conn.recv(100)), "over unix");
    await conn.shutdown(socket.SHUT_WR);
    assertEquals(await client.recv(10), new Uint8Array());
  }
  await remove(path.slice(0, path.lastIndexOf("/")), { recursive: true });
});

test("AF_UNIX: connect() to a missing path is FileNotFoundError, bind() to an existing one is EADDRINUSE", async () => {
  const path = await tempPath();
  using s = socket.socket(socket.AF_UNIX);
  await assertRejects(
    () => s.connect(path),
    socket.FileNotFoundError,
    "[Errno 2] No such file or directory",
  );
  {
    using a = socket.socket(socket.AF_UNIX);
    a.bind(path);
    using c = socket.socket(socket.AF_UNIX);
    assertThrows(
      () => c.bind(path),
      socket.OSError,
      "[Errno 98] Address already in use",
    );
  }
  using d = socket.socket(socket.AF_UNIX);
  assertThrows(
    () => d.bind(`${path}.missing/x.sock`),
    socket.FileNotFoundError,
    "[Errno 2] No such file or directory",
  );
  assertThrows(
    () => d.bind(5 as unknown as string),
    TypeError,
    "a bytes-like object is required, not 'int'",
  );
  assertThrows(
    () => d.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1),
    socket.OSError,
    "[Errno 95] Operation not supported",
  );
  await remove(path.slice(0, path.lastIndexOf("/")), { recursive: true });
});

test("AF_UNIX: connect() after bind() raises EOPNOTSUPP and leaves the socket bound (Linux connects from the path)", async () => {
  const path = await tempPath();
  using server = socket.socket(socket.AF_UNIX);
  server.bind(path);
  server.listen();
  using client = socket.socket(socket.AF_UNIX);
  client.bind(`${path}.client`);
  await assertRejects(
    () => client.connect(path),
    socket.OSError,
    "[Errno 95] Operation not supported: connect() after bind() on AF_UNIX: the runtime cannot connect from a bound path",
  );
  assertEquals(client.getsockname(), `${path}.client`);
  assert(await exists(`${path}.client`));
  // Bound still: the path is its own, as before the call.
  using other = socket.socket(socket.AF_UNIX);
  assertThrows(
    () => other.bind(`${path}.client`),
    socket.OSError,
    "[Errno 98] Address already in use",
  );
  client.close();
  server.close();
  await remove(path.slice(0, path.lastIndexOf("/")), { recursive: true });
});

test("AF_UNIX: a path's lookup errors are Linux's, with Python's classes, for bind() and connect()", async () => {
  const dir = await makeTempDir({ prefix: "pysocket_" });
  await writeTextFile(`${dir}/file`, "not a directory");
  await symlink(`${dir}/loop_b`, `${dir}/loop_a`);
  await symlink(`${dir}/loop_a`, `${dir}/loop_b`);
  try {
    for (const op of ["bind", "connect"] as const) {
      const call = async (path: string) => {
        using s = socket.socket(socket.AF_UNIX);
        await (op === "bind" ? s.bind(path) : s.connect(path));
      };
      await assertRejects(
        () => call(`${dir}/file/s.sock`),
        socket.NotADirectoryError,
        "[Errno 20] Not a directory",
      );
      const loop = await assertRejects(
        () => call(`${dir}/loop_a/s.sock`),
        socket.OSError,
        "[Errno 40] Too many levels of symbolic links",
      );
      assertEquals(loop.constructor, socket.OSError);
    }
    // A directory where no file can be made: Linux says ENOENT (libuv
    // reports EACCES). The tests give Deno write access to /tmp only, so
    // there it is the PermissionError naming the flag.
    await assertRejects(
      async () => {
        using s = socket.socket(socket.AF_UNIX);
        await s.bind("/proc/pysocket.sock");
      },
      runtime === "deno" ? socket.PermissionError : socket.FileNotFoundError,
      runtime === "deno"
        ? "(run again with --allow-write=/proc/pysocket.sock)"
        : "[Errno 2] No such file or directory",
    );
    // A path that is there but is no socket: refused.
    await assertRejects(
      async () => {
        using s = socket.socket(socket.AF_UNIX);
        await s.connect(`${dir}/file`);
      },
      socket.ConnectionRefusedError,
      "[Errno 111] Connection refused",
    );
  } finally {
    await remove(dir, { recursive: true });
  }
});

test("AF_UNIX: a stream socket's file is removed as it closes, on every runtime (CPython leaves it; README)", async () => {
  const path = await tempPath();
  const listening = socket.socket(socket.AF_UNIX);
  listening.bind(path);
  listening.listen();
  assertEquals(await exists(path), true);
  listening.close();
  assertEquals(await exists(path), false);
  // Only bound, never listening: the same.
  const bound = socket.socket(socket.AF_UNIX);
  bound.bind(path);
  assertEquals(await exists(path), true);
  bound.close();
  assertEquals(await exists(path), false);
  // The path is free again at once.
  using again = socket.socket(socket.AF_UNIX);
  again.bind(path);
  assertEquals(again.getsockname(), path);
  again.close();
  await remove(path.slice(0, path.lastIndexOf("/")), { recursive: true });
});

test("AF_UNIX: SO_KEEPALIVE is a flag on a Unix socket, before connect, on the listener and on the connection (Deno crashed)", async () => {
  const path = await tempPath();
  {
    using server = socket.socket(socket.AF_UNIX);
    server.bind(path);
    server.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1);
    server.listen();
    server.settimeout(5);
    using client = socket.socket(socket.AF_UNIX);
    client.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1);
    client.settimeout(5);
    await client.connect(path);
    const [conn] = await server.accept();
    using _ = conn;
    conn.settimeout(5);
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1);
    assertEquals(conn.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE), 1);
    assertEquals(client.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE), 1);
    await client.sendall(b("kept"));
    assertEquals(str(await conn.recv(10)), "kept");
    await conn.sendall(b("alive"));
    assertEquals(str(await client.recv(10)), "alive");
  }
  await remove(path.slice(0, path.lastIndexOf("/")), { recursive: true });
});

test("AF_UNIX: a failed connect() in any mode leaves the socket as new, and the next connect() works (Linux's Unix rules, not TCP's)", async () => {
  const path = await tempPath();
  const dir = path.slice(0, path.lastIndexOf("/"));
  {
    using server = socket.socket(socket.AF_UNIX);
    server.bind(path);
    server.listen();
    for (const timeout of [null, 3, 0]) {
      using c = socket.socket(socket.AF_UNIX);
      c.settimeout(timeout);
      const missing = await assertRejects(
        () => c.connect(`${dir}/missing`),
        socket.OSError,
      );
      assertEquals(missing.message, "[Errno 2] No such file or directory");
      assertEquals(missing.constructor, socket.FileNotFoundError);
      assertEquals(c.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR), 0);
      const recv = await assertRejects(() => c.recv(10), socket.OSError);
      assertEquals(recv.message, "[Errno 22] Invalid argument");
      const send = await assertRejects(() => c.send(b("x")), socket.OSError);
      assertEquals(
        send.message,
        "[Errno 107] Transport endpoint is not connected",
      );
      assertEquals(send.constructor, socket.OSError);
      // Non-blocking too: a Unix connect is done within the call.
      assertEquals(await c.connect(path), undefined);
      assertEquals(c.getpeername(), path);
      const again = await assertRejects(() => c.connect(path), socket.OSError);
      assertEquals(
        again.message,
        "[Errno 106] Transport endpoint is already connected",
      );
      const [conn] = await server.accept();
      conn.close();
    }
  }
  await remove(dir, { recursive: true });
});

test("AF_UNIX: a stream socket takes no address to send to, and an unconnected one has Unix's errors", async () => {
  const path = await tempPath();
  {
    using server = socket.socket(socket.AF_UNIX);
    server.bind(path);
    server.listen();
    using c = socket.socket(socket.AF_UNIX);
    c.settimeout(5);
    const messages = async (f: () => Promise<unknown>) =>
      (await assertRejects(f, socket.OSError)).message;
    assertEquals(
      await messages(() => c.sendto(b("x"), path)),
      "[Errno 95] Operation not supported",
    );
    assertEquals(
      await messages(() => c.send(b("x"))),
      "[Errno 107] Transport endpoint is not connected",
    );
    assertEquals(
      await messages(() => c.sendall(b("x"))),
      "[Errno 107] Transport endpoint is not connected",
    );
    assertEquals(
      await messages(() => c.recv(1)),
      "[Errno 22] Invalid argument",
    );
    assertEquals(
      await messages(() => server.sendto(b("x"), path)),
      "[Errno 95] Operation not supported",
    );
    assertEquals(await c.shutdown(socket.SHUT_RDWR), undefined);
    using d = socket.socket(socket.AF_UNIX);
    d.settimeout(5);
    await d.connect(path);
    const [conn] = await server.accept();
    using _ = conn;
    conn.settimeout(0.2);
    assertEquals(
      await messages(() => d.sendto(b("x"), path)),
      "[Errno 106] Transport endpoint is already connected",
    );
    // Nothing was sent.
    await assertRejects(() => conn.recv(10), socket.TimeoutError);
  }
  await remove(path.slice(0, path.lastIndexOf("/")), { recursive: true });
});

test("AF_INET6: ::1 end to end with 4-tuple addresses", async () => {
  using server = socket.socket(socket.AF_INET6);
  server.bind(["::1", 0]);
  server.listen();
  const [host, port, flowinfo, scope] = server
    .getsockname() as socket.IPv6Address;
  assertEquals([host, flowinfo, scope], ["::1", 0, 0]);
  using client = socket.socket(socket.AF_INET6);
  await client.connect(["::1", port]);
  const [conn, addr] = await server.accept();
  using _ = conn;
  assertEquals(addr, client.getsockname());
  assertEquals((addr as socket.IPv6Address).length, 4);
  assertEquals(client.getpeername(), ["::1", port, 0, 0]);
  assert(String(conn).includes(`laddr=('::1', ${port}, 0, 0)`));
  await client.sendall(b("v6"));
  assertEquals(str(await conn.recv(10)), "v6");
});

test("AF_INET6: connect() by name after bind() looks the name up in IPv6, as CPython", async () => {
  using server = socket.socket(socket.AF_INET6);
  server.bind(["::1", 0]);
  server.listen();
  const port = (server.getsockname() as socket.IPv6Address)[1];
  using client = socket.socket(socket.AF_INET6);
  client.bind(["::1", 0]);
  // What the system's resolver says "localhost" is in IPv6 (/etc/hosts):
  // an address, or CPython's gaierror.
  const found = await socket.getaddrinfo(
    "localhost",
    port,
    socket.AF_INET6,
    socket.SOCK_STREAM,
  ).then(([[, , , , addr]]) => addr[0], (err: Error) => err);
  if (found instanceof Error) {
    assert(found instanceof socket.gaierror, String(found));
    await assertRejects(
      () => client.connect(["localhost", port]),
      socket.gaierror,
      found.message,
    );
  } else {
    await client.connect(["localhost", port]);
    assertEquals(client.getpeername().slice(0, 2), [found, port]);
    (await server.accept())[0].close();
  }
});

test("AF_INET6: connect() by name goes to the name's IPv6 address only; an IPv4 listener on the port sees no connection", async () => {
  using v4 = socket.socket();
  v4.bind(["127.0.0.1", 0]);
  v4.listen();
  const port = (v4.getsockname() as [string, number])[1];
  using client = socket.socket(socket.AF_INET6);
  const found = await socket.getaddrinfo(
    "localhost",
    port,
    socket.AF_INET6,
    socket.SOCK_STREAM,
  ).then(() => null, (err: Error) => err);
  if (found instanceof Error) {
    // No IPv6 address (as in this machine's /etc/hosts): CPython's gaierror.
    await assertRejects(
      () => client.connect(["localhost", port]),
      socket.gaierror,
      found.message,
    );
  } else {
    // Nothing listens on the IPv6 address at that port.
    await assertRejects(
      () => client.connect(["localhost", port]),
      socket.ConnectionRefusedError,
    );
  }
  v4.settimeout(0.5);
  await assertRejects(() => v4.accept(), socket.TimeoutError, "timed out");
});

test("AF_INET6: a server on '' (::) is dual-stack and accepts IPv4 and IPv6 clients", async () => {
  using server = socket.socket(socket.AF_INET6);
  server.bind(["", 0]);
  server.listen();
  const [host, port] = server.getsockname() as socket.IPv6Address;
  assertEquals(host, "::");
  using v4 = socket.socket(socket.AF_INET);
  await v4.connect(["127.0.0.1", port]);
  const [c4, a4] = await server.accept();
  using _c4 = c4;
  assertEquals(a4, [
    "::ffff:127.0.0.1",
    (v4.getsockname() as [string, number])[1],
    0,
    0,
  ]);
  using v6 = socket.socket(socket.AF_INET6);
  await v6.connect(["::1", port]);
  const [c6, a6] = await server.accept();
  using _c6 = c6;
  assertEquals((a6 as socket.IPv6Address)[0], "::1");
});

test("AF_INET6: an IPv4 literal is gaierror -9, and AF_INET refuses IPv6 literals", async () => {
  using s6 = socket.socket(socket.AF_INET6);
  assertThrows(
    () => s6.bind(["127.0.0.1", 0]),
    socket.gaierror,
    "[Errno -9] Address family for hostname not supported",
  );
  assertThrows(
    () => s6.bind(["::1", 0, 1 << 21]),
    socket.OverflowError,
    "bind(): flowinfo must be 0-1048575.",
  );
  assertThrows(
    () => s6.bind(["::1"] as unknown as [string, number]),
    TypeError,
    "AF_INET6 address must be a tuple (host, port[, flowinfo[, scopeid]])",
  );
  using s4 = socket.socket();
  await assertRejects(
    () => s4.connect(["::1", 1]),
    socket.gaierror,
    "[Errno -9] Address family for hostname not supported",
  );
});

test("AF_INET6: a scope id (the 4th item, or %N) reaches the runtime; %name only on link-local addresses, as glibc", async () => {
  using server = socket.socket(socket.AF_INET6);
  server.bind(["::1", 0, 0, 1]);
  server.listen();
  const port = (server.getsockname() as socket.IPv6Address)[1];
  for (const address of [["::1", port, 0, 1], ["::1%1", port]]) {
    using client = socket.socket(socket.AF_INET6);
    await client.connect(address as socket.IPv6Address);
    const [conn] = await server.accept();
    conn.close();
  }
  for (const host of ["::1%lo", "::1%nosuchif0"]) {
    using bad = socket.socket(socket.AF_INET6);
    await assertRejects(
      () => bad.connect([host, port]),
      socket.gaierror,
      "[Errno -2] Name or service not known",
    );
  }
});
