// Copyright the pysocket authors. MIT license.
// A TCP socket's state after something went wrong, as CPython 3.11 on
// Linux leaves it: shutdown() during a connect abandons it, connect() on a
// reset connection reports the reset and connects afresh, listen() after a
// connect attempt is refused, and a listener's send or receive with a
// timeout waits for readiness. Every expectation was checked against
// CPython 3.11 on Linux.

import {
  assert,
  assertEquals,
  assertInstanceOf,
  assertThrows,
} from "@std/assert";
import * as socket from "../mod.ts";
import {
  assertOSError,
  b,
  bounded,
  freePort,
  FULL_LISTENER,
  noPython,
  pythonServer,
  rejection,
  sleep,
  SO_ERROR,
  str,
  test,
  timed,
} from "./_util.ts";

const NO_PYTHON = await noPython();

/**
 * A CPython server that resets the first connection it accepts (close with
 * `SO_LINGER` 0), then sends `hello` on each next one and closes it.
 */
const RESET_THEN_HELLO = `
import socket, struct
s = socket.create_server(("127.0.0.1", 0))
print(s.getsockname()[1], flush=True)
c, _ = s.accept()
c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
c.close()
while True:
    c, _ = s.accept()
    c.sendall(b"hello")
    c.close()
`;

// --------------------------------------------- shutdown() during a connect

test(
  "shutdown() during a non-blocking connect returns at once, leaves ECONNRESET for SO_ERROR, and a new connect() starts afresh",
  async () => {
    const [server, address] = await pythonServer(FULL_LISTENER);
    await using _server = server;
    const s = socket.socket();
    s.setblocking(false);
    const err = await rejection(() => s.connect(address));
    assertOSError(
      err,
      socket.BlockingIOError,
      "[Errno 115] Operation now in progress",
    );
    // CPython: None, in well under 0.1 s (Linux's tcp_disconnect()).
    const { ms, value, error } = await timed(() =>
      bounded(s.shutdown(socket.SHUT_RDWR), 2000, "shutdown()")
    );
    assertEquals([value, error], [undefined, undefined]);
    assert(ms < 1000, `shutdown() took ${ms} ms`);
    assertEquals(SO_ERROR(s), 104);
    assertEquals(SO_ERROR(s), 0);
    // Not connecting any more: the next connect starts a new one.
    assertEquals(await s.connect_ex(address), 115);
    assertEquals(await s.connect_ex(address), 114);
    await s[Symbol.asyncDispose]();
  },
  { ignore: NO_PYTHON },
);

test(
  "shutdown() after a timed-out connect returns at once: send() then raises ECONNRESET, then EPIPE; recv() ECONNRESET, then ENOTCONN",
  async () => {
    const [server, address] = await pythonServer(FULL_LISTENER);
    await using _server = server;
    for (const call of ["send", "recv"] as const) {
      const s = socket.socket();
      s.settimeout(0.3);
      const err = await rejection(() => s.connect(address));
      assertOSError(err, socket.TimeoutError, "timed out");
      const { ms, value, error } = await timed(() =>
        bounded(s.shutdown(socket.SHUT_WR), 2000, "shutdown()")
      );
      assertEquals([value, error], [undefined, undefined]);
      assert(ms < 1000, `shutdown() took ${ms} ms`);
      const io = () => call === "send" ? s.send(b("x")) : s.recv(1);
      assertOSError(
        await rejection(io),
        socket.ConnectionResetError,
        "[Errno 104] Connection reset by peer",
      );
      if (call === "send") {
        assertOSError(
          await rejection(io),
          socket.BrokenPipeError,
          "[Errno 32] Broken pipe",
        );
      } else {
        assertOSError(
          await rejection(io),
          socket.OSError,
          "[Errno 107] Transport endpoint is not connected",
        );
      }
      // It tried to connect: Linux's listen() refuses it.
      assertThrows(() => s.listen(), socket.OSError, "[Errno 22]");
      await s[Symbol.asyncDispose]();
    }
  },
  { ignore: NO_PYTHON },
);

// ------------------------------------------ connect() on a reset connection

test(
  "connect_ex() on a timed socket whose connection the peer reset answers ECONNRESET; connect() then really reconnects",
  async () => {
    const [server, address] = await pythonServer(RESET_THEN_HELLO);
    await using _server = server;
    const s = await socket.create_connection(address, 5);
    await sleep(300);
    // CPython: 104, then None (a new connection: the peer's b'hello').
    assertEquals(await s.connect_ex(address), 104);
    assertEquals(await s.connect(address), undefined);
    assertEquals(s.getpeername(), address);
    assertEquals(str(await s.recv(10)), "hello");
    await s[Symbol.asyncDispose]();
  },
  { ignore: NO_PYTHON },
);

test(
  "connect() on a timed socket after recv() reported the reset raises ConnectionAbortedError, then reconnects",
  async () => {
    const [server, address] = await pythonServer(RESET_THEN_HELLO);
    await using _server = server;
    const s = socket.socket();
    s.settimeout(5);
    await s.connect(address);
    await sleep(300);
    assertOSError(
      await rejection(() => s.recv(10)),
      socket.ConnectionResetError,
      "[Errno 104] Connection reset by peer",
    );
    assertOSError(
      await rejection(() => s.connect(address)),
      socket.ConnectionAbortedError,
      "[Errno 103] Software caused connection abort",
    );
    await s.connect(address);
    assertEquals(s.getpeername(), address);
    assertEquals(str(await s.recv(10)), "hello");
    // Connected again, by a timed connect: the next connect() sees it
    // (CPython: None), the one after is refused as usual.
    assertEquals(await s.connect(address), undefined);
    assertOSError(
      await rejection(() => s.connect(address)),
      socket.OSError,
      "[Errno 106] Transport endpoint is already connected",
    );
    await s[Symbol.asyncDispose]();
  },
  { ignore: NO_PYTHON },
);

// ---------------------------------------------------------------- listen()

test("listen() after a refused connect (blocking, timed, non-blocking) raises EINVAL, even bound again", async () => {
  const port = freePort();
  for (const mode of ["blocking", "timed", "non-blocking"] as const) {
    using s = socket.socket();
    if (mode === "timed") s.settimeout(2);
    if (mode === "non-blocking") s.setblocking(false);
    const err = await rejection(() => s.connect(["127.0.0.1", port]));
    if (mode === "non-blocking") {
      assertEquals((err as socket.OSError).errno, 115);
      await sleep(100);
    } else assertInstanceOf(err, socket.ConnectionRefusedError);
    // CPython: bind() -> None, listen() -> OSError: [Errno 22] Invalid argument
    s.bind(["127.0.0.1", 0]);
    const refused = assertThrows(() => s.listen(), socket.OSError);
    assertEquals(refused.message, "[Errno 22] Invalid argument");
    assertEquals((refused as socket.OSError).errno, 22);
  }
});

test("listen() on an unbound AF_UNIX socket raises CPython's OSError: [Errno 22] Invalid argument", () => {
  using s = socket.socket(socket.AF_UNIX);
  const err = assertThrows(() => s.listen(), socket.OSError);
  assertEquals(err.message, "[Errno 22] Invalid argument");
  assertEquals(String(err), "OSError: [Errno 22] Invalid argument");
});

// ------------------------------------------------ I/O on a listening socket

test("send/sendall/recv/recv_into/recvfrom on a listener with a timeout wait for readiness, then time out", async () => {
  using s = socket.socket();
  s.bind(["127.0.0.1", 0]);
  s.listen();
  s.settimeout(0.3);
  const calls: [string, () => Promise<unknown>][] = [
    ["send", () => s.send(b("x"))],
    ["sendall", () => s.sendall(b("x"))],
    ["recv", () => s.recv(1)],
    ["recv_into", () => s.recv_into(new Uint8Array(1))],
    ["recvfrom", () => s.recvfrom(1)],
  ];
  for (const [name, call] of calls) {
    const { ms, error } = await timed(() => bounded(call(), 2000, name));
    assertOSError(error, socket.TimeoutError, "timed out");
    assert(ms >= 250, `${name} timed out after ${ms} ms`);
  }
  // A connection waiting makes it readable: the receive then fails at once.
  using c = await socket.create_connection(s.getsockname() as [string, number]);
  await sleep(100);
  assertOSError(
    await rejection(() => s.recv(1)),
    socket.OSError,
    "[Errno 107] Transport endpoint is not connected",
  );
  // Without a timeout there is no wait (CPython calls send() at once).
  s.settimeout(null);
  assertOSError(
    await rejection(() => s.send(b("x"))),
    socket.BrokenPipeError,
    "[Errno 32] Broken pipe",
  );
  c.close();
});
