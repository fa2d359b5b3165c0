// Copyright the pysocket authors. MIT license.
// A stream connection's state as CPython 3.11 on Linux keeps it: the error
// a cut-short recv(n, MSG_WAITALL) leaves is the connection's one pending
// error (shared by dup()s, shown by poll(), taken by connect()); shutdown()
// of a socket whose timed or non-blocking connect nothing has seen marks it
// connected (EISCONN) or disconnecting (EINVAL); a recv() after one that
// timed out returns all that has arrived; a timed sendto() on a Unix
// listener waits. Every expectation was checked against python3 (3.11).

import { assert, assertEquals } from "@std/assert";
import * as socket from "../mod.ts";
import * as select from "../select.ts";
import {
  assertOSError,
  b,
  bounded,
  closeAll,
  makeTempDir,
  noPython,
  pythonServer,
  rejection,
  remove,
  sleep,
  SO_ERROR,
  str,
  test,
  timed,
} from "./_util.ts";

const NO_PYTHON = await noPython();

/**
 * A CPython server: on each of `CONNS` connections it waits 0.2 s, sends
 * 50 `A`s, waits 0.3 s and closes without reading what the client sent
 * (Linux then resets the connection); on a second one, if asked, it sends
 * `second`.
 */
const RESET_AFTER_50 = (second: boolean) => `
import socket, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(5)
print(s.getsockname()[1], flush=True)
s.settimeout(30)
c, _ = s.accept()
time.sleep(0.2)
c.sendall(b"A" * 50)
time.sleep(0.3)
c.close()
if ${second ? "True" : "False"}:
    c2, _ = s.accept(); c2.sendall(b"second"); time.sleep(1); c2.close()
time.sleep(30)
`;

/** A call's outcome as the python3 scenarios print it. */
async function said(call: () => unknown): Promise<string> {
  try {
    const v = await call();
    if (v instanceof Uint8Array) return `b'${str(v)}'`;
    return v === undefined || v === null ? "None" : String(v);
  } catch (err) {
    const e = err as Error & { errno?: number };
    return `${e.constructor.name} ${e.errno ?? "None"}`;
  }
}

/** The names of the poll() events of `s` now, as python3 lists them. */
async function pollNames(s: socket.Socket): Promise<string[]> {
  const p = select.poll();
  p.register(
    s,
    select.POLLIN | select.POLLOUT | select.POLLRDHUP | select.POLLPRI,
  );
  const r = await p.poll(0);
  const mask = r.length > 0 ? r[0][1] : 0;
  const names = ["POLLIN", "POLLOUT", "POLLRDHUP", "POLLHUP", "POLLERR"];
  return names.filter((n) =>
    mask & (select as Record<string, unknown>)[n] as number
  );
}

/**
 * A client of a {@linkcode RESET_AFTER_50} server that sent `junk` and
 * whose `recv(100, MSG_WAITALL)` returned the 50 bytes before the reset.
 */
async function cutShort(
  address: [string, number],
  timeout: number | null,
): Promise<socket.Socket> {
  const c = socket.socket();
  c.settimeout(timeout);
  await c.connect(address);
  await c.sendall(b("junk"));
  c.settimeout(null);
  const got = await bounded(
    c.recv(100, socket.MSG_WAITALL),
    5000,
    "recv(100, MSG_WAITALL)",
  );
  assertEquals(got.length, 50);
  return c;
}

// ------------------------------------------------- MSG_WAITALL's error

test(
  "connect() after recv(n, MSG_WAITALL) cut short by a reset reports the reset (the connection's pending error) and the socket connects afresh: the next connection is clean (python3: ConnectionResetError 104, None, None, b'second')",
  async () => {
    const [server, address] = await pythonServer(RESET_AFTER_50(true));
    await using _server = server;
    const c = await cutShort(address, 5);
    c.settimeout(2);
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) seen.push(await said(() => c.connect(address)));
    seen.push(await said(() => c.recv(10)));
    assertEquals(seen, [
      "ConnectionResetError 104",
      "None",
      "None",
      "b'second'",
    ]);
    await closeAll(c);
  },
  { ignore: NO_PYTHON },
);

test(
  "the error a cut-short recv(n, MSG_WAITALL) leaves is the connection's: a dup() reports it, once (python3: dup recv ConnectionResetError 104, recv b'', SO_ERROR 0)",
  async () => {
    const [server, address] = await pythonServer(RESET_AFTER_50(false));
    await using _server = server;
    const c = await cutShort(address, null);
    const d = c.dup();
    const seen = [
      await said(() => d.recv(10)),
      await said(() => c.recv(10)),
      String(SO_ERROR(c)),
    ];
    assertEquals(seen, ["ConnectionResetError 104", "b''", "0"]);
    await closeAll(d, c);
  },
  { ignore: NO_PYTHON },
);

test(
  "poll() shows POLLERR for the error a cut-short recv(n, MSG_WAITALL) leaves, until a call reports it (python3's events)",
  async () => {
    const [server, address] = await pythonServer(RESET_AFTER_50(false));
    await using _server = server;
    const c = await cutShort(address, null);
    assertEquals(await pollNames(c), [
      "POLLIN",
      "POLLOUT",
      "POLLRDHUP",
      "POLLHUP",
      "POLLERR",
    ]);
    assertOSError(
      await rejection(() => c.recv(10)),
      socket.ConnectionResetError,
      "[Errno 104] Connection reset by peer",
    );
    assertEquals(await pollNames(c), [
      "POLLIN",
      "POLLOUT",
      "POLLRDHUP",
      "POLLHUP",
    ]);
    await closeAll(c);
  },
  { ignore: NO_PYTHON },
);

test(
  "recv_into(buf, n, MSG_WAITALL) cut short by a reset leaves the error for SO_ERROR of any dup(), once, then a send raises EPIPE (python3's answers)",
  async () => {
    const [server, address] = await pythonServer(RESET_AFTER_50(false));
    await using _server = server;
    const c = socket.socket();
    await c.connect(address);
    await c.sendall(b("junk"));
    const buf = new Uint8Array(100);
    assertEquals(
      await bounded(
        c.recv_into(buf, 100, socket.MSG_WAITALL),
        5000,
        "recv_into",
      ),
      50,
    );
    const d = c.dup();
    assertEquals([SO_ERROR(d), SO_ERROR(c)], [104, 0]);
    assertEquals(await said(() => c.recv(10)), "b''");
    assertEquals(await said(() => c.send(b("x"))), "BrokenPipeError 32");
    await closeAll(d, c);
  },
  { ignore: NO_PYTHON },
);

// ------------------------------------------ connect() after shutdown()

/**
 * A client whose timed connect (nothing has seen since: Linux's socket is
 * still "connecting") went to a listener, and the connection accepted.
 */
async function timedPair(): Promise<
  [socket.Socket, socket.Socket, socket.Socket, [string, number]]
> {
  const l = socket.socket();
  l.bind(["127.0.0.1", 0]);
  l.listen(5);
  const address = l.getsockname() as [string, number];
  const c = socket.socket();
  c.settimeout(2);
  const connecting = c.connect(address);
  const [s] = await l.accept();
  await connecting;
  return [l, c, s, address];
}

test(
  "connect() after shutdown() of a timed connect's connection raises EISCONN every time, and no connection is made (python3: shutdown marks it connected)",
  async () => {
    const orders = ["usfirst", "peerfirst", "shutonly"] as const;
    for (const order of orders) {
      const [l, c, s, address] = await timedPair();
      if (order === "peerfirst") {
        s.close();
        await sleep(100);
        assertEquals(str(await c.recv(10)), "");
        await c.shutdown(socket.SHUT_WR);
      } else if (order === "usfirst") {
        await c.shutdown(socket.SHUT_WR);
        await sleep(100);
        s.close();
        assertEquals(str(await c.recv(10)), "");
      } else {
        await c.shutdown(socket.SHUT_WR);
      }
      await sleep(200);
      for (let i = 0; i < 3; i++) {
        assertOSError(
          await rejection(() => c.connect(address)),
          socket.OSError,
          "[Errno 106] Transport endpoint is already connected",
        );
      }
      assertEquals(await c.connect_ex(address), 106, order);
      l.settimeout(0.3);
      assertOSError(
        await rejection(() => l.accept()),
        socket.TimeoutError,
        "timed out",
      );
      await closeAll(c, s, l);
    }
  },
);

test(
  "connect() after shutdown() of a socket whose timed or non-blocking connect was refused raises EINVAL every time (python3: Linux leaves it disconnecting)",
  async () => {
    const [l, address] = (() => {
      const l = socket.socket();
      l.bind(["127.0.0.1", 0]);
      l.listen(5);
      return [l, l.getsockname() as [string, number]] as const;
    })();
    const dead = (() => {
      using d = socket.socket();
      d.bind(["127.0.0.1", 0]);
      return d.getsockname() as [string, number];
    })();
    const modes = ["non-blocking", "timed", "SO_ERROR taken"] as const;
    for (const mode of modes) {
      const c = socket.socket();
      if (mode === "timed") {
        c.settimeout(1);
        assertOSError(
          await rejection(() => c.connect(dead)),
          socket.ConnectionRefusedError,
          "[Errno 111] Connection refused",
        );
      } else {
        c.setblocking(false);
        assertEquals(await c.connect_ex(dead), 115);
        await sleep(100);
        if (mode === "SO_ERROR taken") assertEquals(SO_ERROR(c), 111);
      }
      assertOSError(
        await rejection(() => c.shutdown(socket.SHUT_WR)),
        socket.OSError,
        "[Errno 107] Transport endpoint is not connected",
      );
      c.settimeout(1);
      for (let i = 0; i < 3; i++) {
        assertOSError(
          await rejection(() => c.connect(address)),
          socket.OSError,
          "[Errno 22] Invalid argument",
        );
      }
      assertEquals(await c.connect_ex(address), 22, mode);
      assertEquals(
        await said(() => c.recv(10)),
        mode === "non-blocking" ? "ConnectionRefusedError 111" : "b''",
        mode,
      );
      assertEquals(await said(() => c.send(b("x"))), "BrokenPipeError 32");
      await closeAll(c);
    }
    await closeAll(l);
  },
);

/**
 * A CPython server that resets each connection it accepts (close with
 * `SO_LINGER` 0), 0.1 s after accepting it.
 */
const RESET_EACH = `
import socket, struct, time
s = socket.create_server(("127.0.0.1", 0))
print(s.getsockname()[1], flush=True)
while True:
    c, _ = s.accept()
    time.sleep(0.1)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    c.close()
`;

test(
  "shutdown() of a timed connect's connection that the peer reset, unread: ENOTCONN, SO_ERROR 104, then connect() raises EINVAL every time (python3's answers)",
  async () => {
    const [server, address] = await pythonServer(RESET_EACH);
    await using _server = server;
    for (const how of [socket.SHUT_RD, socket.SHUT_WR]) {
      const c = socket.socket();
      c.settimeout(2);
      await c.connect(address);
      await sleep(300);
      const seen = [
        await said(() => c.shutdown(how)),
        String(SO_ERROR(c)),
      ];
      for (let i = 0; i < 3; i++) {
        seen.push(await said(() => c.connect(address)));
      }
      assertEquals(seen, [
        "OSError 107",
        "104",
        "OSError 22",
        "OSError 22",
        "OSError 22",
      ]);
      await closeAll(c);
    }
  },
  { ignore: NO_PYTHON },
);

// ----------------------------------------- recv() after one that timed out

/** A connected pair: `socketpair()`, or over TCP on 127.0.0.1. */
async function connectedPair(
  kind: "socketpair" | "tcp",
): Promise<[socket.Socket, socket.Socket]> {
  if (kind === "socketpair") return await socket.socketpair();
  const srv = socket.create_server(["127.0.0.1", 0]);
  const a = await socket.create_connection(
    srv.getsockname() as [string, number],
  );
  const [s] = await srv.accept();
  srv.close();
  return [a, s];
}

test(
  "recv(10) after a recv(1) or recv_into(1) that timed out returns all that has arrived, not the timed-out call's one byte (python3: b'z\\n')",
  async () => {
    for (const kind of ["socketpair", "tcp"] as const) {
      for (const how of ["recv", "recv_into"] as const) {
        for (const pause of [0, 100]) {
          const name = `${kind} ${how} pause ${pause}`;
          const [a, peer] = await connectedPair(kind);
          a.settimeout(0.2);
          const err = await rejection(() =>
            how === "recv" ? a.recv(1) : a.recv_into(new Uint8Array(1))
          );
          assertOSError(err, socket.TimeoutError, "timed out");
          await peer.sendall(b("z\n"));
          if (pause > 0) await sleep(pause);
          assertEquals(str(await a.recv(10)), "z\n", name);
          await closeAll(a, peer);
        }
      }
    }
  },
);

test(
  "recv(100) after a recv(4) that timed out returns the whole line a peer sent later in one write (python3: b'250 OK all good\\r\\n')",
  async () => {
    for (const first of [1, 4]) {
      const [a, peer] = await connectedPair("tcp");
      a.settimeout(0.2);
      assertOSError(
        await rejection(() => a.recv(first)),
        socket.TimeoutError,
        "timed out",
      );
      a.settimeout(5);
      const later = sleep(300).then(() =>
        peer.sendall(b("250 OK all good\r\n"))
      );
      assertEquals(str(await a.recv(100)), "250 OK all good\r\n");
      await later;
      await closeAll(a, peer);
    }
  },
);

// --------------------------------------------- sendto() on a Unix listener

test(
  "sendto() with a timeout on an AF_UNIX listener waits for readiness and times out, with a connection pending too; blocking or non-blocking it raises EOPNOTSUPP at once (python3's answers)",
  async () => {
    const dir = await makeTempDir({ prefix: "pysocket_" });
    try {
      const path = `${dir}/l.sock`;
      const l = socket.socket(socket.AF_UNIX);
      l.bind(path);
      l.listen(5);
      let c: socket.Socket | null = null;
      for (const state of ["idle", "pending"]) {
        if (state === "pending") {
          c = socket.socket(socket.AF_UNIX);
          await c.connect(path);
          await sleep(100);
        }
        for (const timeout of [null, 0, 0.3]) {
          l.settimeout(timeout);
          const { ms, error } = await timed(() =>
            bounded(l.sendto(b("x"), path), 2000, "sendto")
          );
          const name = `${state} ${timeout}`;
          if (timeout === 0.3) {
            assertOSError(error, socket.TimeoutError, "timed out");
            assert(ms >= 250, `${name}: timed out after ${ms} ms`);
          } else {
            assertOSError(
              error,
              socket.OSError,
              "[Errno 95] Operation not supported",
            );
            assert(ms < 200, `${name}: took ${ms} ms`);
          }
        }
      }
      await closeAll(...(c === null ? [] : [c]), l);
    } finally {
      await remove(dir, { recursive: true });
    }
  },
);
