// Copyright the pysocket authors. MIT license.
// AF_UNIX SOCK_DGRAM: on Deno's "unixpacket" transport where it exists,
// Python's ESOCKTNOSUPPORT naming the reason elsewhere.
import { assertEquals, assertRejects, assertThrows } from "@std/assert";
import * as socket from "../mod.ts";
import { expected } from "./_caps.ts";
import { b, exists, makeTempDir, remove, str, test } from "./_util.ts";

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
