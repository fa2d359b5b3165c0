// Copyright the pysocket authors. MIT license.
// Round 17 (the socket object's own surface). Every answer is python3
// 3.11's on Linux.
// 1. A TCP client whose peer resets the connection at once (accept, then
//    close with SO_LINGER {1, 0}), so that the runtime's connect fails
//    itself, has no local address the runtime told: getsockname() and the
//    repr give the unbound address, ('0.0.0.0', 0) / ('::', 0, 0, 0), as
//    before it connected (README), never a host '' (which no AF_INET socket
//    has, and which bind() takes for INADDR_ANY). CPython tells the real one.
// 2. A subclass's repr names its class, as CPython's (`type(self)`), in
//    pysocket's way for a subclass's errors: its own name
//    (`class MySock extends socket.socket`: `<MySock fd=3, …>`; CPython's
//    `<__main__.MySock fd=3, …>`), open, closed, and for its dup().
// 3. sendfile()'s `count` takes a bigint, as every other int argument does
//    (README: a bigint is an int); 0n and -1n are refused as 0 and -1 are,
//    `ValueError: count must be a positive integer (got 0)`.

import { assert, assertEquals, assertRejects } from "@std/assert";
import * as socket from "../mod.ts";
import * as ssl from "../ssl.ts";
import { BytesIO } from "../socketserver.ts";
import { loopbackTls, tlsTest } from "./_certs.ts";
import {
  b,
  makeTempFile,
  noPython,
  openFile,
  pythonServer,
  remove,
  str,
  test,
  writeFile,
} from "./_util.ts";

const RESETTING = `
import socket, struct
s = socket.socket(socket.HOST_FAMILY)
s.bind((HOST, 0)); s.listen(16)
print(s.getsockname()[1], flush=True)
while True:
    a, _ = s.accept()
    a.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    a.close()
`;

for (
  const [family, host, unbound] of [
    [socket.AF_INET, "127.0.0.1", "('0.0.0.0', 0)"],
    [socket.AF_INET6, "::1", "('::', 0, 0, 0)"],
  ] as const
) {
  test(
    `a connection reset at once has no local host '' (${host})`,
    async () => {
      const [child, [, port]] = await pythonServer(
        RESETTING.replace(
          "HOST_FAMILY",
          family === socket.AF_INET ? "AF_INET" : "AF_INET6",
        )
          .replace("HOST", JSON.stringify(host)),
      );
      try {
        for (let i = 0; i < 10; i++) {
          const c = socket.socket(family);
          try {
            await c.connect([host, port] as never);
            const name = c.getsockname() as unknown as [string, number];
            const repr = String(c);
            const laddr = /laddr=(\(.*?\))(, raddr|>)/.exec(repr)?.[1];
            if (name[1] === 0) {
              // What the runtime never told: the unbound address.
              assertEquals(
                name[0],
                family === socket.AF_INET ? "0.0.0.0" : "::",
              );
              assertEquals(laddr, unbound, repr);
            } else {
              // The runtime connected before the reset: the real address.
              assertEquals(name[0], host);
              assert(laddr?.startsWith(`('${host}', ${name[1]}`), repr);
            }
            await assertRejects(() => c.recv(10), socket.ConnectionResetError);
            assertEquals((c.getsockname() as unknown as [string])[0], name[0]);
          } finally {
            c.close();
          }
        }
      } finally {
        await child.kill();
      }
    },
    { ignore: await noPython() },
  );
}

test("a socket subclass's repr names the subclass: open, dup()ed, closed", () => {
  class MySock extends socket.socket {}
  const s = new MySock();
  const d = s.dup();
  try {
    assert(d instanceof MySock);
    for (const [o, r] of [[s, String(s)], [d, String(d)]] as const) {
      assertEquals(
        r,
        `<MySock fd=${o.fileno()}, family=2, type=1, proto=0, laddr=('0.0.0.0', 0)>`,
      );
    }
  } finally {
    d.close();
    s.close();
  }
  assertEquals(String(s), "<MySock [closed] fd=-1, family=2, type=1, proto=0>");
  // The class's own name, also a subclass's subclass's.
  class Deeper extends MySock {}
  const e = new Deeper(socket.AF_INET6 as never, socket.SOCK_DGRAM as never);
  e.close();
  assertEquals(
    String(e),
    "<Deeper [closed] fd=-1, family=10, type=2, proto=0>",
  );
  // A plain socket keeps CPython's `socket.socket`.
  const p = socket.socket();
  p.close();
  assertEquals(
    String(p),
    "<socket.socket [closed] fd=-1, family=2, type=1, proto=0>",
  );
});

tlsTest(
  "an SSLSocket's repr stays ssl.SSLSocket, open and closed",
  async () => {
    const raw = socket.socket();
    const fd = raw.fileno();
    const ctx = ssl.create_default_context();
    const s = await ctx.wrap_socket(raw, { server_hostname: "localhost" });
    try {
      assertEquals(
        String(s),
        `<ssl.SSLSocket fd=${fd}, family=2, type=1, proto=0, laddr=('0.0.0.0', 0)>`,
      );
    } finally {
      s.close();
    }
    assertEquals(
      String(s),
      "<ssl.SSLSocket [closed] fd=-1, family=2, type=1, proto=0>",
    );
  },
);

const DATA = b("0123456789");

test("sendfile() takes a bigint count, for a file and a Python file", async () => {
  const path = await makeTempFile({ prefix: "pysocket_" });
  await writeFile(path, DATA);
  const [a, c] = await socket.socketpair();
  try {
    c.settimeout(5);
    {
      await using file = await openFile(path);
      assertEquals(await a.sendfile(file, 3n as never, 2n as never), 2);
      assertEquals(str(await c.recv(100)), "34");
    }
    const bio = new BytesIO(DATA);
    assertEquals(await a.sendfile(bio, 3n as never, 2n as never), 2);
    assertEquals(str(await c.recv(100)), "34");
    assertEquals(
      await a.sendfile(new BytesIO(DATA), 0, 2n ** 64n as never),
      10,
    );
    assertEquals(str(await c.recv(100)), "0123456789");
    // 0n and -1n are refused as 0 and -1: ValueError, not TypeError.
    for (const count of [0n, -1n]) {
      const e = await assertRejects(
        () => a.sendfile(new BytesIO(DATA), 0, count as never),
        socket.ValueError,
      );
      assertEquals(
        e.message,
        `count must be a positive integer (got ${count})`,
      );
    }
  } finally {
    a.close();
    c.close();
    await remove(path);
  }
});

tlsTest("SSLSocket.sendfile() takes a bigint count", async () => {
  const [client, server] = await loopbackTls(5);
  try {
    assertEquals(
      await client.sendfile(
        new BytesIO(DATA) as never,
        3n as never,
        2n as never,
      ),
      2,
    );
    assertEquals(str(await server.recv(100)), "34");
    const e = await assertRejects(
      () => client.sendfile(new BytesIO(DATA) as never, 0, 0n as never),
      socket.ValueError,
    );
    assertEquals(e.message, "count must be a positive integer (got 0)");
  } finally {
    client.close();
    server.close();
  }
});
