// Copyright the pysocket authors. MIT license.
// AF_UNIX SOCK_DGRAM: on Deno's "unixpacket" transport where it exists,
// Python's ESOCKTNOSUPPORT naming the reason elsewhere.
import {
  assertEquals,
  assertMatch,
  assertRejects,
  assertThrows,
} from "@std/assert";
import * as socket from "../mod.ts";
import { expected } from "./_caps.ts";
import {
  b,
  exists,
  makeTempDir,
  noPython,
  remove,
  run,
  str,
  test,
} from "./_util.ts";

test(
  "socket(AF_UNIX, SOCK_DGRAM) sends and receives between two paths",
  async () => {
    const dir = await makeTempDir();
    try {
      using a = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM);
      using c = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM);
      a.bind(`${dir}/a.sock`);
      c.bind(`${dir}/c.sock`);
      assertEquals(a.getsockname(), `${dir}/a.sock`);
      assertEquals(await c.sendto(b("ping"), `${dir}/a.sock`), 4);
      const [data, from] = await a.recvfrom(100);
      assertEquals([str(data), from], ["ping", `${dir}/c.sock`]);
      await a.sendto(b("pong"), from as string);
      assertEquals(str((await c.recvfrom(100))[0]), "pong");
      // Truncation as for UDP: the rest of the datagram is dropped.
      await c.sendto(b("0123456789"), `${dir}/a.sock`);
      assertEquals(str(await a.recv(4)), "0123");
      assertEquals(
        String(a),
        `<socket.socket fd=${a.fileno()}, family=1, type=2, proto=0, laddr=${dir}/a.sock>`,
      );
      // Unlike a stream socket's, the file stays after close(), as CPython's.
      a.close();
      assertEquals(await exists(`${dir}/a.sock`), true);
    } finally {
      await remove(dir, { recursive: true });
    }
  },
  { ignore: !expected.unixDatagram && "no Unix datagram sockets here" },
);

test(
  "socket(AF_UNIX, SOCK_DGRAM) raises ESOCKTNOSUPPORT where the runtime has none",
  () => {
    assertThrows(
      () => socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM),
      socket.OSError,
      "[Errno 94] Socket type not supported: AF_UNIX SOCK_DGRAM: the runtime has no Unix datagram sockets",
    );
  },
  { ignore: expected.unixDatagram && "this runtime has Unix datagram sockets" },
);

test(
  "send() on an AF_UNIX datagram socket without a peer is [Errno 107], as Linux answers",
  async () => {
    const dir = await makeTempDir();
    try {
      using a = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM);
      a.bind(`${dir}/a.sock`);
      for (const call of [() => a.send(b("x")), () => a.sendall(b("x"))]) {
        const err = await assertRejects(
          call,
          socket.OSError,
          "[Errno 107] Transport endpoint is not connected",
        );
        assertEquals(err.errno, 107);
      }
    } finally {
      await remove(dir, { recursive: true });
    }
  },
  { ignore: !expected.unixDatagram && "no Unix datagram sockets here" },
);

test(
  "an unbound AF_UNIX datagram socket sends: sendto() and connect() + send() take an abstract name of Linux's autobind form, which the receiver sees (Linux sends unnamed: None)",
  async () => {
    const dir = await makeTempDir();
    try {
      using r = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM);
      r.bind(`${dir}/log.sock`);
      r.settimeout(2);
      using c = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM);
      assertEquals(await c.sendto(b("<13>one"), `${dir}/log.sock`), 7);
      const name = c.getsockname() as Uint8Array;
      assertEquals([name.length, name[0]], [6, 0]);
      assertMatch(str(name.subarray(1)), /^[0-9a-f]{5}$/);
      const [data, from] = await r.recvfrom(100);
      assertEquals([str(data), from], ["<13>one", name]);
      using d = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM);
      await d.connect(`${dir}/log.sock`);
      assertEquals(d.getpeername(), `${dir}/log.sock`);
      assertEquals(await d.send(b("<13>two")), 7);
      const [data2, from2] = await r.recvfrom(100);
      assertEquals([str(data2), from2], ["<13>two", d.getsockname()]);
    } finally {
      await remove(dir, { recursive: true });
    }
  },
  { ignore: !expected.unixDatagram && "no Unix datagram sockets here" },
);

test(
  "connect() of an AF_UNIX datagram socket to a path that names nothing is [Errno 2], and the old peer stays (python3's answers)",
  async () => {
    const dir = await makeTempDir();
    try {
      using a = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM);
      a.bind(`${dir}/a.sock`);
      using d = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM);
      d.bind(`${dir}/d.sock`);
      await assertRejects(
        () => d.connect(`${dir}/missing.sock`),
        socket.FileNotFoundError,
        "[Errno 2] No such file or directory",
      );
      assertThrows(() => d.getpeername(), socket.OSError, "[Errno 107]");
      await d.connect(`${dir}/a.sock`);
      await assertRejects(
        () => d.connect(`${dir}/missing.sock`),
        socket.FileNotFoundError,
        "[Errno 2] No such file or directory",
      );
      assertEquals(d.getpeername(), `${dir}/a.sock`);
    } finally {
      await remove(dir, { recursive: true });
    }
  },
  { ignore: !expected.unixDatagram && "no Unix datagram sockets here" },
);

const noPy = await noPython();

test(
  "a datagram from an unnamed Unix socket (python3's, never bound) comes from None, as CPython's recvfrom() says",
  async () => {
    const dir = await makeTempDir();
    try {
      using a = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM);
      a.bind(`${dir}/a.sock`);
      a.settimeout(5);
      const { code, stderr } = await run("python3", [
        "-c",
        "import socket, sys\n" +
        "s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)\n" +
        "s.sendto(b'unnamed', sys.argv[1])\n",
        `${dir}/a.sock`,
      ]);
      assertEquals(code, 0, stderr);
      const [data, from] = await a.recvfrom(100);
      assertEquals([str(data), from], ["unnamed", null]);
    } finally {
      await remove(dir, { recursive: true });
    }
  },
  {
    ignore: (!expected.unixDatagram && "no Unix datagram sockets here") ||
      noPy,
  },
);
