// Copyright the pysocket authors. MIT license.
// An AF_INET6 TCP socket that takes no IPv4 (`IPV6_V6ONLY` set, or bound
// to one IPv6 address) cannot connect to an IPv4-mapped peer: Linux's
// tcp_v6_connect() refuses it with ENETUNREACH before any SYN, in every
// mode, and leaves the socket as it was (no pending error, the same local
// address, and listen() still works). Node's and Bun's client sockets are
// made as they connect, with no IPV6_V6ONLY of their own: they connected
// over IPv4. The answers are python3's on Linux.

import { assertEquals } from "@std/assert";
import * as socket from "../mod.ts";
import { errorOf, test } from "./_util.ts";
import { expected } from "./_caps.ts";

const UNREACHABLE = "OSError 101 [Errno 101] Network is unreachable";

/** An error as `"Class errno message"`. */
function describe(err: unknown): string {
  const { errno, message } = err as socket.OSError;
  return `${(err as Error).constructor.name} ${errno} ${message}`;
}

/** An IPv4 listener on loopback, and its port. */
function listener(): [socket.Socket, number] {
  const server = socket.socket();
  server.bind(["127.0.0.1", 0]);
  server.listen();
  return [server, (server.getsockname() as [string, number])[1]];
}

const noV6only = !expected.v6onlyTcp &&
  "Deno's TCP sockets cannot be made IPv6-only (IPV6_V6ONLY raises [Errno 92])";

for (const mode of ["blocking", "timeout", "non-blocking"] as const) {
  test(
    `connect() with IPV6_V6ONLY to an IPv4-mapped peer raises ENETUNREACH (${mode}); the socket can listen() after (python3's answers)`,
    async () => {
      const [server, port] = listener();
      using s = socket.socket(socket.AF_INET6);
      try {
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1);
        if (mode === "timeout") s.settimeout(2);
        if (mode === "non-blocking") s.setblocking(false);
        const err = await errorOf(() => s.connect(["::ffff:127.0.0.1", port]));
        assertEquals(describe(err), UNREACHABLE);
        assertEquals(s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR), 0);
        assertEquals(s.getsockname().slice(0, 2), ["::", 0]);
        assertEquals(s.getsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY), 1);
        // No connect was made: the socket is as new.
        assertEquals(await s.connect_ex(["::ffff:127.0.0.1", port]), 101);
        s.listen(1);
        assertEquals(
          s.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN),
          1,
        );
      } finally {
        server.close();
      }
    },
    { ignore: noV6only },
  );
}

test(
  "connect_ex() with IPV6_V6ONLY to an IPv4-mapped peer returns 101, in any spelling of the address (python3's answers)",
  async () => {
    const [server, port] = listener();
    try {
      for (
        const host of [
          "::ffff:127.0.0.1",
          "::FFFF:7f00:1",
          "0:0:0:0:0:ffff:127.0.0.1",
        ]
      ) {
        using s = socket.socket(socket.AF_INET6);
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1);
        s.settimeout(2);
        assertEquals(await s.connect_ex([host, port]), 101, host);
        s.listen(1);
      }
    } finally {
      server.close();
    }
  },
  { ignore: noV6only },
);

test(
  "connect() from '::' bound with IPV6_V6ONLY to an IPv4-mapped peer raises ENETUNREACH and keeps the bound port (python3's answers)",
  async () => {
    const [server, port] = listener();
    using s = socket.socket(socket.AF_INET6);
    try {
      s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1);
      s.bind(["::", 0]);
      const bound = s.getsockname().slice(0, 2);
      const err = await errorOf(() => s.connect(["::ffff:127.0.0.1", port]));
      assertEquals(describe(err), UNREACHABLE);
      assertEquals(s.getsockname().slice(0, 2), bound);
      s.listen(1);
      assertEquals(s.getsockname().slice(0, 2), bound);
    } finally {
      server.close();
    }
  },
  { ignore: noV6only },
);

test("connect() from '::1' to an IPv4-mapped peer raises ENETUNREACH: a socket bound to an IPv6 address takes no IPv4 (python3's answers)", async () => {
  const [server, port] = listener();
  using s = socket.socket(socket.AF_INET6);
  try {
    s.bind(["::1", 0]);
    const bound = s.getsockname().slice(0, 2);
    assertEquals(s.getsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY), 1);
    const err = await errorOf(() => s.connect(["::ffff:127.0.0.1", port]));
    assertEquals(describe(err), UNREACHABLE);
    assertEquals(s.getsockname().slice(0, 2), bound);
    s.listen(1);
  } finally {
    server.close();
  }
});

test("connect() without IPV6_V6ONLY to an IPv4-mapped peer connects over IPv4 (python3's answers)", async () => {
  const [server, port] = listener();
  using s = socket.socket(socket.AF_INET6);
  try {
    s.settimeout(5);
    await s.connect(["::ffff:127.0.0.1", port]);
    using _conn = (await server.accept())[0];
    assertEquals(s.getsockname()[0], "::ffff:127.0.0.1");
    assertEquals(s.getsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY), 0);
  } finally {
    server.close();
  }
});
