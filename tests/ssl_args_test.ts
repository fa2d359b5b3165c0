// Copyright the pysocket authors. MIT license.
// ssl: SSLSocket's own methods check their arguments as CPython 3.11's
// ssl.py does: the flags with `flags != 0` (so a str or None is a
// ValueError, 0 and False pass), recv_into() sizes its buffer first, and a
// call with too many or too few arguments is the TypeError of a method
// written in Python, under TLS, unwrapped or closed. Messages are
// python3 3.11's on this machine.
// deno-lint-ignore-file no-explicit-any

import { assertEquals, assertInstanceOf } from "@std/assert";
import * as socket from "../mod.ts";
import * as ssl from "../ssl.ts";
import { b, str } from "./_util.ts";
import { loopbackTls, testCerts, tlsTest } from "./_certs.ts";

const CLS = "<class 'ssl.SSLSocket'>";

/** A client SSLSocket over a socket not connected: no TLS yet. */
async function unwrapped(): Promise<ssl.SSLSocket> {
  const certs = await testCerts();
  const cctx = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, {
    cafile: certs.ca,
  });
  return await cctx.wrap_socket(socket.socket(), {
    server_hostname: "localhost",
    do_handshake_on_connect: false,
  });
}

/** The class and message of what `fn` raised (it must raise). */
async function raised(fn: () => unknown): Promise<[unknown, string]> {
  try {
    await fn();
  } catch (err) {
    assertInstanceOf(err, Error);
    const e = err as Error;
    return [e.constructor, e.message];
  }
  throw new Error("did not raise");
}

/** A Python binary file object holding `ab`, for sendfile(). */
function pyFile(): unknown {
  let pos = 0;
  const data = b("ab");
  return {
    mode: "rb",
    tell: () => pos,
    seek: (p: number) => pos = p,
    read: (n: number) => {
      const out = data.slice(pos, pos + n);
      pos += out.length;
      return out;
    },
  };
}

tlsTest(
  "SSLSocket recv/recv_into/send/sendall under TLS: flags that are not equal to 0 (a str, None, 1.5, True, a list) raise ValueError, as CPython's `flags != 0`",
  async () => {
    const [client, server] = await loopbackTls(5);
    const c = client as any;
    try {
      for (const flags of ["x", null, 1.5, true, [], 1n]) {
        const calls: [string, () => unknown][] = [
          ["recv", () => c.recv(1, flags)],
          ["recv", () => c.recv("x", flags)],
          ["recv_into", () => c.recv_into(new Uint8Array(4), 0, flags)],
          ["recv_into", () => c.recv_into(new Uint8Array(4), null, flags)],
          ["recv_into", () => c.recv_into("str", 2, flags)],
          ["send", () => c.send(b("x"), flags)],
          ["send", () => c.send("str", flags)],
          ["sendall", () => c.sendall(b("x"), flags)],
          ["sendall", () => c.sendall("str", flags)],
        ];
        for (const [fn, call] of calls) {
          assertEquals(await raised(call), [
            socket.ValueError,
            `non-zero flags not allowed in calls to ${fn}() on ${CLS}`,
          ], `${fn}, flags ${String(flags)}`);
        }
      }
      // Not bytes-like, with nbytes None: memoryview() complains first.
      assertEquals(await raised(() => c.recv_into("str", null, "x")), [
        TypeError,
        "memoryview: a bytes-like object is required, not 'str'",
      ]);
      assertEquals(await raised(() => c.recv_into("str")), [
        TypeError,
        "memoryview: a bytes-like object is required, not 'str'",
      ]);
      // With nbytes: OpenSSL's read() complains.
      assertEquals(await raised(() => c.recv_into("str", 2)), [
        TypeError,
        "read() argument 2 must be read-write bytes-like object, not str",
      ]);
      // Datagram calls are refused whatever the flags.
      for (
        const [fn, call] of [
          ["recvfrom", () => c.recvfrom(1, "x")],
          ["recvfrom_into", () => c.recvfrom_into(new Uint8Array(4), 0, "x")],
          ["sendto", () => c.sendto(b("x"), "x", ["127.0.0.1", 1])],
        ] as [string, () => unknown][]
      ) {
        assertEquals(await raised(call), [
          socket.ValueError,
          `${fn} not allowed on instances of ${CLS}`,
        ]);
      }
      // Flags equal to 0 pass: 0 and False.
      await server.sendall(b("abc"));
      assertEquals(str(await c.recv(1, false)), "a");
      const buf = new Uint8Array(4);
      assertEquals(await c.recv_into(buf, 1, false), 1);
      assertEquals(str(buf.subarray(0, 1)), "b");
      // nbytes None: the buffer's length.
      assertEquals(await c.recv_into(buf, null), 1);
      assertEquals(str(buf.subarray(0, 1)), "c");
      assertEquals(await c.send(b("x"), false), 1);
      await c.sendall(b("y"), false);
      let got = "";
      while (got.length < 2) got += str(await server.recv(10));
      assertEquals(got, "xy");
    } finally {
      client.close();
      server.close();
    }
  },
);

/** Calls with too many or too few arguments, and CPython's messages. */
const COUNTS: [(s: any) => unknown, string][] = [
  [
    (s) => s.recv(1, 0, 5),
    "SSLSocket.recv() takes from 1 to 3 positional arguments but 4 were given",
  ],
  [
    (s) => s.recv_into(),
    "SSLSocket.recv_into() missing 1 required positional argument: 'buffer'",
  ],
  [
    (s) => s.recv_into(new Uint8Array(4), 1, 0, 5),
    "SSLSocket.recv_into() takes from 2 to 4 positional arguments but 5 were given",
  ],
  [
    (s) => s.recvfrom(1, 0, 5),
    "SSLSocket.recvfrom() takes from 1 to 3 positional arguments but 4 were given",
  ],
  [
    (s) => s.recvfrom_into(),
    "SSLSocket.recvfrom_into() missing 1 required positional argument: 'buffer'",
  ],
  [
    (s) => s.recvfrom_into(new Uint8Array(4), 1, 0, 5),
    "SSLSocket.recvfrom_into() takes from 2 to 4 positional arguments but 5 were given",
  ],
  [
    (s) => s.send(),
    "SSLSocket.send() missing 1 required positional argument: 'data'",
  ],
  [
    (s) => s.send(b("x"), 0, 5),
    "SSLSocket.send() takes from 2 to 3 positional arguments but 4 were given",
  ],
  [
    (s) => s.sendall(b("x"), 0, 5),
    "SSLSocket.sendall() takes from 2 to 3 positional arguments but 4 were given",
  ],
  [
    (s) => s.sendto(b("x")),
    "SSLSocket.sendto() missing 1 required positional argument: 'flags_or_addr'",
  ],
  [
    (s) => s.sendto(b("x"), 0, ["127.0.0.1", 1], 5),
    "SSLSocket.sendto() takes from 3 to 4 positional arguments but 5 were given",
  ],
  [
    (s) => s.sendfile(),
    "SSLSocket.sendfile() missing 1 required positional argument: 'file'",
  ],
  [
    (s) => s.sendfile(pyFile(), 0, null, 5),
    "SSLSocket.sendfile() takes from 2 to 4 positional arguments but 5 were given",
  ],
  [
    (s) => s.read(1, null, 5),
    "SSLSocket.read() takes from 1 to 3 positional arguments but 4 were given",
  ],
  [
    (s) => s.write(),
    "SSLSocket.write() missing 1 required positional argument: 'data'",
  ],
  [
    (s) => s.write(b("x"), 5),
    "SSLSocket.write() takes 2 positional arguments but 3 were given",
  ],
];

tlsTest(
  "SSLSocket methods with too many or too few arguments raise CPython's TypeError: under TLS, unwrapped, and closed",
  async () => {
    const [client, server] = await loopbackTls(5);
    const plain = await unwrapped();
    try {
      for (const [s, state] of [[client, "TLS"], [plain, "unwrapped"]]) {
        for (const [call, message] of COUNTS) {
          assertEquals(
            await raised(() => call(s)),
            [TypeError, message],
            `${state}: ${message}`,
          );
        }
      }
      // Nothing went: the server has no bytes.
      await client.sendall(b("end"));
      assertEquals(str(await server.recv(10)), "end");
    } finally {
      client.close();
      server.close();
      plain.close();
    }
    for (const [call, message] of COUNTS) {
      assertEquals(await raised(() => call(client)), [TypeError, message]);
    }
  },
);

tlsTest(
  "SSLSocket sendfile() with its arguments right still sends under TLS",
  async () => {
    const [client, server] = await loopbackTls(5);
    try {
      assertEquals(await client.sendfile(pyFile() as any, 0, null), 2);
      assertEquals(str(await server.recv(10)), "ab");
    } finally {
      client.close();
      server.close();
    }
  },
);
