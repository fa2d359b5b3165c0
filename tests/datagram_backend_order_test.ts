// Copyright the pysocket authors. MIT license.
// SOCK_DGRAM as the runtime backends carry it out: sends made together
// leave in call order, un-awaited sends before close() go out, and Linux's
// errno where the runtime gives none (a refused connect or send between an
// IPv6 socket and an IPv4-mapped address, a broadcast), and a Unix
// datagram socket held by a receive (Deno).
import { assertEquals, assertRejects, assertThrows } from "@std/assert";
import * as socket from "../mod.ts";
import { expected } from "./_caps.ts";
import { b, bounded, makeTempDir, remove, str, test } from "./_util.ts";

const { AF_INET, AF_INET6, SOCK_DGRAM } = socket;

/** A UDP socket bound to `host`, port 0. */
function boundTo(family: number, host: string): socket.Socket {
  const s = socket.socket(family, SOCK_DGRAM);
  s.bind([host, 0]);
  return s;
}

/** What `r` receives until nothing more comes for 300 ms. */
async function drain(r: socket.Socket): Promise<string[]> {
  r.settimeout(0.3);
  const got: string[] = [];
  for (;;) {
    try {
      got.push(str(await r.recv(100)));
    } catch (err) {
      if (err instanceof socket.timeout) return got;
      throw err;
    }
  }
}

test("sendto() calls made together are delivered in call order", async () => {
  await using r = boundTo(AF_INET, "127.0.0.1");
  await using s = boundTo(AF_INET, "127.0.0.1");
  const to = r.getsockname() as [string, number];
  for (const round of ["m", "n"]) {
    const sent = await bounded(
      Promise.all(
        Array.from({ length: 10 }, (_, i) => s.sendto(b(round + i), to)),
      ),
      5000,
      "ten sendto() calls",
    );
    assertEquals(sent, Array(10).fill(2));
    assertEquals(
      await bounded(drain(r), 5000, "the receive"),
      Array.from({ length: 10 }, (_, i) => round + i),
    );
  }
});

test("un-awaited sendto() calls before close() are all sent, and none rejects", async () => {
  await using r = boundTo(AF_INET, "127.0.0.1");
  const s = socket.socket(AF_INET, SOCK_DGRAM);
  const to = r.getsockname() as [string, number];
  const sends = Array.from({ length: 30 }, (_, i) => s.sendto(b("m" + i), to));
  s.close();
  assertEquals(s.fileno(), -1);
  const sent = await bounded(Promise.all(sends), 5000, "the sends");
  assertEquals(sent.length, 30);
  assertEquals(
    await bounded(drain(r), 5000, "the receive"),
    Array.from({ length: 30 }, (_, i) => "m" + i),
  );
  // The socket itself is closed for the caller at once.
  await assertRejects(
    () => s.sendto(b("x"), to),
    socket.OSError,
    "[Errno 9] Bad file descriptor",
  );
});

test("sendto() between an IPv6 socket and an IPv4-mapped address raises Linux's errno", async () => {
  await using v6 = boundTo(AF_INET6, "::1");
  const unreachable = await assertRejects(
    () => v6.sendto(b("x"), ["::ffff:127.0.0.1", 9]),
    socket.OSError,
    "[Errno 101] Network is unreachable",
  );
  assertEquals(unreachable.errno, 101);
  await using mapped = boundTo(AF_INET6, "::ffff:127.0.0.1");
  const family = await assertRejects(
    () => mapped.sendto(b("x"), ["::1", 9]),
    socket.OSError,
    "[Errno 97] Address family not supported by protocol",
  );
  assertEquals(family.errno, 97);
});

test(
  "sendto() from an IPV6_V6ONLY socket to an IPv4-mapped address is [Errno 101]",
  async () => {
    await using s = socket.socket(AF_INET6, SOCK_DGRAM);
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1);
    s.bind(["::", 0]);
    await assertRejects(
      () => s.sendto(b("x"), ["::ffff:127.0.0.1", 9]),
      socket.OSError,
      "[Errno 101] Network is unreachable",
    );
  },
  { ignore: !expected.v6onlyUdp && "no IPV6_V6ONLY on UDP here" },
);

test(
  "sendto() a broadcast address without SO_BROADCAST is still [Errno 13]",
  async () => {
    await using s = boundTo(AF_INET, "127.0.0.1");
    await assertRejects(
      () => s.sendto(b("x"), ["255.255.255.255", 9]),
      socket.PermissionError,
      "[Errno 13] Permission denied",
    );
  },
  { ignore: expected.broadcastAlwaysOn && "SO_BROADCAST is always on here" },
);

test(
  "connect() the runtime refuses without a reason raises Linux's errno",
  async () => {
    await using v6 = boundTo(AF_INET6, "::1");
    await assertRejects(
      () => v6.connect(["::ffff:127.0.0.1", 9]),
      socket.OSError,
      "[Errno 101] Network is unreachable",
    );
    assertThrows(
      () => v6.getpeername(),
      socket.OSError,
      "[Errno 107] Transport endpoint is not connected",
    );
    await using mapped = boundTo(AF_INET6, "::ffff:127.0.0.1");
    await assertRejects(
      () => mapped.connect(["::1", 9]),
      socket.OSError,
      "[Errno 97] Address family not supported by protocol",
    );
    await using v4 = socket.socket(AF_INET, SOCK_DGRAM);
    for (const to of ["255.255.255.255", "127.255.255.255"]) {
      await assertRejects(
        () => v4.connect([to, 9]),
        socket.PermissionError,
        "[Errno 13] Permission denied",
      );
    }
  },
  { ignore: !expected.udpConnect && "connect() is emulated here" },
);

test(
  "sendto() on a Unix datagram socket a receive holds is an OSError with an errno",
  async () => {
    const dir = await makeTempDir();
    try {
      await using a = socket.socket(socket.AF_UNIX, SOCK_DGRAM);
      await using c = socket.socket(socket.AF_UNIX, SOCK_DGRAM);
      a.bind(`${dir}/a.sock`);
      c.bind(`${dir}/c.sock`);
      // The runtime receive of a call that timed out stays in flight.
      a.settimeout(0.05);
      await assertRejects(() => a.recv(10), socket.timeout);
      let sent: number | Error;
      try {
        sent = await bounded(
          a.sendto(b("x"), `${dir}/c.sock`),
          5000,
          "the send",
        );
      } catch (err) {
        sent = err as Error;
      }
      if (typeof sent === "number") {
        assertEquals(sent, 1);
      } else {
        // Deno's "unixpacket" socket takes one call at a time.
        assertEquals(
          [sent.constructor, sent.message, (sent as socket.OSError).errno],
          [socket.OSError, "[Errno 16] Device or resource busy", 16],
        );
      }
      // Sends made together, and a receive made while they are in
      // flight, all go; the held socket's receive takes the first.
      const sends = [0, 1, 2].map((i) => c.sendto(b("m" + i), `${dir}/a.sock`));
      c.settimeout(1);
      const back = c.recv(10);
      assertEquals(await bounded(Promise.all(sends), 5000, "sends"), [2, 2, 2]);
      a.settimeout(1);
      for (const m of ["m0", "m1", "m2"]) {
        assertEquals(str(await a.recv(10)), m);
      }
      assertEquals(await a.sendto(b("back"), `${dir}/c.sock`), 4);
      assertEquals(str(await bounded(back, 5000, "the receive")), "back");
    } finally {
      await remove(dir, { recursive: true });
    }
  },
  { ignore: !expected.unixDatagram && "no Unix datagram sockets here" },
);
