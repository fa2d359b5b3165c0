// Copyright the pysocket authors. MIT license.
// Round 17 (readiness, limits, UDP). Every answer is python3 3.11's on
// Linux.
// 1. After select() reported a TCP socket readable, a large recv() returns
//    what has arrived (CPython: all the kernel holds, up to bufsize), not
//    only the 16 KiB the read ahead for readiness brought: on Deno, a read
//    ahead that filled its buffer is followed by one more, as a read made
//    for a call that stopped waiting is. And a sender whose buffers filled
//    is writable for select()/poll() only once the runtime tells of room,
//    as Linux's poll (past its wake-up mark): Bun's readiness no longer
//    tries the waiting write again (the kernel would take it below the
//    mark, though the peer read nothing).
// 2. accept() on a UDP socket with a timeout longer than setTimeout's
//    largest delay (2**31-1 ms) waits for a datagram, then raises
//    `[Errno 95]`, as with a short timeout.
// 3. Out of descriptors, a lookup of a name raises CPython's
//    `OSError: [Errno 24] Too many open files` (glibc's EAI_SYSTEM with
//    EMFILE), not a gaierror: the runtimes' resolvers lose the errno.
// 4. A UDP connect() to a broadcast address while SO_BROADCAST is off is
//    refused, `PermissionError: [Errno 13]`, and the socket keeps the peer
//    it had (Linux's `ip4_datagram_connect()`), also where connect() is
//    emulated. No datagram is sent to a broadcast address here.

import {
  assert,
  assertEquals,
  assertInstanceOf,
  assertRejects,
  assertThrows,
} from "@std/assert";
import process from "node:process";
import * as socket from "../mod.ts";
import * as select from "../select.ts";
import { expected } from "./_caps.ts";
import {
  bounded,
  closeAll,
  errorOf,
  run,
  runtimeArgv,
  sleep,
  tcpPair,
  test,
} from "./_util.ts";

const KiB = 1024;
const MiB = 1024 * KiB;

// --- 1. recv() after select() takes more than the read ahead --------------

test("a recv(1 MiB) after select() said readable takes more than the 16 KiB read ahead (CPython: all that arrived)", async () => {
  const { server, client, conn } = await tcpPair();
  try {
    for (const blocking of [true, false]) {
      // More than 16 KiB in conn's kernel buffer before select() asks.
      await bounded(client.sendall(new Uint8Array(MiB)), 10_000, "sendall");
      await sleep(200);
      conn.setblocking(blocking);
      const [readable] = await bounded(
        select.select([conn], [], [], 5),
        10_000,
        "select",
      );
      assertEquals(readable, [conn]);
      const got = (await bounded(conn.recv(MiB), 10_000, "recv")).length;
      assert(
        got > 16 * KiB,
        `blocking=${blocking}: recv(1 MiB) after select() returned ${got} bytes`,
      );
      // The rest, before the next round.
      conn.settimeout(0.5);
      let left = MiB - got;
      while (left > 0) left -= (await conn.recv(MiB)).length;
    }
  } finally {
    await closeAll(client, conn, server);
  }
});

test("a select() loop reading 16 MiB with recv(1 MiB) takes far more than 16 KiB a round", async () => {
  const { server, client, conn } = await tcpPair();
  try {
    const total = 16 * MiB;
    conn.setblocking(false);
    const sending = client.sendall(new Uint8Array(total));
    let got = 0, calls = 0;
    const deadline = performance.now() + 30_000;
    while (got < total && performance.now() < deadline) {
      const [r] = await select.select([conn], [], [], 1);
      if (r.length === 0) continue;
      got += (await conn.recv(MiB)).length;
      calls++;
    }
    await bounded(sending, 10_000, "sendall");
    assertEquals(got, total);
    // 16 KiB a round would be 1024 rounds; CPython needs about 20.
    assert(calls < 700, `${calls} recv() calls for ${got} bytes`);
  } finally {
    await closeAll(client, conn, server);
  }
});

test("a full TCP sender whose peer reads nothing is not reported writable (python3: poll() and select() [] 150 ms later)", async () => {
  const { server, client, conn } = await tcpPair();
  try {
    client.setblocking(false);
    const chunk = new Uint8Array(64 * KiB);
    for (let k = 0; k < 5000; k++) {
      const err = await bounded(
        errorOf(() => client.send(chunk)),
        5000,
        "send",
      );
      if (err === null) continue;
      assertInstanceOf(err, socket.BlockingIOError);
      break;
    }
    const p = select.poll();
    p.register(client, select.POLLOUT);
    assertEquals(await p.poll(0), []);
    await sleep(150);
    assertEquals(await p.poll(0), [], "poll() 150 ms later");
    const [, writable] = await select.select([], [client], [], 0.3);
    assertEquals(writable, [], "select() 150 ms later");
  } finally {
    // The reader first: the sender's close waits no more for its writes.
    await closeAll(conn, client, server);
  }
});

// --- 2. UDP accept() with a very long timeout ------------------------------

for (const timeout of [3e6, 1e9]) {
  test(`accept() on a UDP socket with settimeout(${timeout}) waits for a datagram, then [Errno 95]`, async () => {
    const u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
    const c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
    try {
      u.bind(["127.0.0.1", 0]);
      u.settimeout(timeout);
      let settled: unknown = "pending";
      const accepting = u.accept().then(() => "accepted", (err) => err);
      accepting.then((v) => settled = v);
      await sleep(100);
      assertEquals(settled, "pending");
      await c.sendto(new Uint8Array([1]), u.getsockname());
      const err = await bounded(accepting, 5000, "accept");
      assertInstanceOf(err, socket.OSError);
      assert(!(err instanceof socket.timeout), String(err));
      assertEquals(err.errno, 95);
      assertEquals(err.message, "[Errno 95] Operation not supported");
    } finally {
      u.close();
      c.close();
    }
  });
}

// --- 3. a lookup out of descriptors ----------------------------------------

const EMFILE = {
  error: {
    cls: "OSError",
    errno: 24,
    message: "[Errno 24] Too many open files",
  },
};

test(
  "out of descriptors: a name lookup raises [Errno 24] (getaddrinfo, gethostbyname, create_connection, connect), as CPython's",
  async () => {
    const fixture = new URL("./fixtures/lookup_emfile.ts", import.meta.url);
    const [cmd, ...args] = runtimeArgv(fixture, {
      // Reading lets pysocket tell a lookup that failed for want of a
      // descriptor (it opens /dev/null to find out).
      denoFlags: ["--allow-net=127.0.0.1,localhost", "--allow-read"],
    });
    const { code, stdout, stderr } = await run(
      "sh",
      ["-c", 'ulimit -n 64 && exec "$@"', "sh", cmd, ...args],
      { timeoutMs: 30_000 },
    );
    assertEquals(code, 0, stderr);
    const steps: Record<string, unknown> = {};
    for (const line of stdout.trim().split("\n")) {
      const { step, ...outcome } = JSON.parse(line);
      steps[step] = outcome;
    }
    // python3 3.11.7, the same program.
    assertEquals(steps, {
      "getaddrinfo": EMFILE,
      "getaddrinfo AF_UNSPEC": EMFILE,
      "gethostbyname": EMFILE,
      "create_connection": EMFILE,
      "connect": EMFILE,
      "gethostbyname after": { ok: "127.0.0.1" },
    });
  },
  {
    ignore: process.platform !== "linux"
      ? "the descriptor limit is set with a POSIX shell's ulimit, on Linux"
      : false,
  },
);

// --- 4. UDP connect() to a broadcast address -------------------------------

const { AF_INET, AF_INET6, SOCK_DGRAM, SOL_SOCKET, SO_BROADCAST } = socket;

test(
  "UDP connect() to a broadcast address with SO_BROADCAST off raises [Errno 13] and leaves the socket unconnected",
  async () => {
    const cases: [number, string, string[]][] = [
      [AF_INET, "127.0.0.1", ["255.255.255.255", "127.255.255.255"]],
      [AF_INET6, "::", ["::ffff:255.255.255.255", "::ffff:127.255.255.255"]],
    ];
    for (const [family, local, peers] of cases) {
      for (const peer of peers) {
        const s = socket.socket(family, SOCK_DGRAM);
        try {
          s.bind([local, 0]);
          assertEquals(s.getsockopt(SOL_SOCKET, SO_BROADCAST), 0);
          await assertRejects(
            () => s.connect([peer, 9]),
            socket.PermissionError,
            "[Errno 13] Permission denied",
          );
          assertThrows(
            () => s.getpeername(),
            socket.OSError,
            "[Errno 107] Transport endpoint is not connected",
          );
          await assertRejects(
            () => s.send(new Uint8Array([1])),
            socket.OSError,
            "[Errno 89] Destination address required",
          );
        } finally {
          s.close();
        }
      }
    }
  },
  { ignore: expected.broadcastAlwaysOn && "SO_BROADCAST is always on here" },
);

test(
  "UDP connect() to a broadcast address refused: an unbound socket is bound first, a connected one keeps its peer",
  async () => {
    const s = socket.socket(AF_INET, SOCK_DGRAM);
    try {
      // Linux binds before it refuses.
      await assertRejects(
        () => s.connect(["255.255.255.255", 9]),
        socket.PermissionError,
        "[Errno 13] Permission denied",
      );
      assert(s.getsockname()[1] !== 0, `not bound: ${s.getsockname()}`);
      await s.connect(["127.0.0.1", 9]);
      await assertRejects(
        () => s.connect(["127.255.255.255", 9]),
        socket.PermissionError,
        "[Errno 13] Permission denied",
      );
      assertEquals(s.getpeername(), ["127.0.0.1", 9]);
    } finally {
      s.close();
    }
  },
  { ignore: expected.broadcastAlwaysOn && "SO_BROADCAST is always on here" },
);

test("UDP connect() to lo's broadcast address with SO_BROADCAST on (set before the bind or after) connects", async () => {
  for (const early of [true, false]) {
    const s = socket.socket(AF_INET, SOCK_DGRAM);
    try {
      if (early) s.setsockopt(SOL_SOCKET, SO_BROADCAST, 1);
      s.bind(["127.0.0.1", 0]);
      if (!early) s.setsockopt(SOL_SOCKET, SO_BROADCAST, 1);
      await s.connect(["127.255.255.255", 9]);
      assertEquals(s.getpeername(), ["127.255.255.255", 9]);
    } finally {
      s.close();
    }
  }
});
