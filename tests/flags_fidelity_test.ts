// Copyright the pysocket authors. MIT license.
// Flags and options against CPython 3.11 on Linux where they once differed:
// SO_LINGER with a negative l_linger (Linux's unbounded linger, a close
// with FIN), the error a MSG_WAITALL receive leaves pending (Linux's one
// sk_err: told by whichever call comes first), and SSLSocket.sendfile()'s
// order of checks (CPython's _sendfile_use_send()). Every expectation is
// python3's answer on this machine, pinned here.

import { assertEquals, assertInstanceOf } from "@std/assert";
import * as socket from "../mod.ts";
import type * as ssl from "../ssl.ts";
import { expected, unless } from "./_caps.ts";
import { loopbackTls, tlsTest } from "./_certs.ts";
import {
  b,
  bounded,
  errorOf,
  makeTempFile,
  openFile,
  plainPair,
  remove,
  sleep,
  str,
  tcpPair,
  test,
  writeFile,
} from "./_util.ts";

const { SOL_SOCKET, SO_LINGER, SO_ERROR } = socket;

/** `struct.pack("ii", ...)` (or `"iii"`): native little-endian C ints. */
function pack(...values: number[]): Uint8Array {
  const out = new Uint8Array(4 * values.length);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setInt32(4 * i, v, true));
  return out;
}

/** An error's class, message and errno, as the tests compare them. */
function described(err: unknown): [string, string, unknown] {
  assertInstanceOf(err, Error);
  const e = err as Error & { errno?: unknown };
  return [e.constructor.name, e.message, e.errno];
}

const RESET: [string, string, number] = [
  "ConnectionResetError",
  "[Errno 104] Connection reset by peer",
  104,
];
const BROKEN_PIPE: [string, string, number] = [
  "BrokenPipeError",
  "[Errno 32] Broken pipe",
  32,
];

test(
  "SO_LINGER {1, -1}: Linux takes l_linger as unsigned (no bound), so close() sends the data and a FIN, not a reset (python3: b'important data', then b'')",
  async () => {
    const { server, client, conn } = await tcpPair();
    try {
      conn.settimeout(2);
      client.setsockopt(SOL_SOCKET, SO_LINGER, pack(1, -1));
      await client.sendall(b("important data"));
      client.close();
      await sleep(200);
      assertEquals(str(await conn.recv(100)), "important data");
      assertEquals(str(await conn.recv(100)), "");
    } finally {
      conn.close();
      server.close();
    }
  },
  { ignore: unless(expected.reset, "SO_LINGER on (Deno has none)") },
);

test(
  "SO_LINGER reads back as Linux keeps it: l_onoff 0 keeps the time set before, a negative time reads LONG_MAX jiffies in seconds (HZ 250) as a C int, l_onoff 2 reads 1 (python3's bytes)",
  () => {
    const steps: [Uint8Array, number[]][] = [
      [pack(1, 5), [1, 5]],
      [pack(0, 7), [0, 5]],
      [pack(2, -1), [1, -1752346657]],
      [pack(0, 0), [0, -1752346657]],
      [pack(1, 3, 9), [1, 3]],
    ];
    using s = socket.socket();
    for (const [value, want] of steps) {
      s.setsockopt(SOL_SOCKET, SO_LINGER, value);
      assertEquals(s.getsockopt(SOL_SOCKET, SO_LINGER, 8), pack(...want));
      assertEquals(s.getsockopt(SOL_SOCKET, SO_LINGER), want[0]);
    }
    s.setsockopt(SOL_SOCKET, SO_LINGER, pack(2, -1));
    assertEquals(
      s.getsockopt(SOL_SOCKET, SO_LINGER, 8),
      new Uint8Array([1, 0, 0, 0, 0xdf, 0x4f, 0x8d, 0x97]),
    );
    assertEquals(s.getsockopt(SOL_SOCKET, SO_LINGER, 4), pack(1));
  },
  { ignore: unless(expected.reset, "SO_LINGER on (Deno has none)") },
);

/**
 * A connected pair whose peer sends `zz`, then resets the connection
 * (SO_LINGER {1, 0}) 100 ms later, while `recv(8, MSG_WAITALL)` waits:
 * it returns `zz`, and the reset is left pending.
 */
async function cutShort(): Promise<socket.Socket> {
  const [a, c] = await plainPair();
  const peer = (async () => {
    await c.sendall(b("zz"));
    await sleep(100);
    c.setsockopt(SOL_SOCKET, SO_LINGER, pack(1, 0));
    c.close();
  })();
  try {
    const got = await bounded(
      a.recv(8, socket.MSG_WAITALL),
      5000,
      "recv(8, MSG_WAITALL)",
    );
    assertEquals(str(got), "zz");
    await peer;
  } catch (err) {
    a.close();
    c.close();
    throw err;
  }
  return a;
}

/** A call's result as python3 printed it, or its error. */
async function outcome(call: () => unknown): Promise<unknown> {
  try {
    const v = await call();
    return v instanceof Uint8Array ? `b'${str(v)}'` : v;
  } catch (err) {
    return described(err);
  }
}

test(
  "recv(n, MSG_WAITALL) cut short by a reset leaves the error pending as Linux's one: whichever call comes first (send, sendall, sendto, SO_ERROR, a receive) tells it, a recv(0) does not, then recv reads b'' and send raises BrokenPipeError (python3's answers)",
  async () => {
    type Step = (a: socket.Socket) => unknown;
    const recv: Step = (a) => a.recv(4);
    const send: Step = (a) => a.send(b("x"));
    const cases: [string, Step, unknown, unknown][] = [
      ["send", send, RESET, "b''"],
      ["send b''", (a) => a.send(b("")), RESET, "b''"],
      ["sendall", (a) => a.sendall(b("x")), RESET, "b''"],
      ["sendall b''", (a) => a.sendall(b("")), RESET, "b''"],
      [
        "sendto",
        (a) => a.sendto(b("x"), ["127.0.0.1", 9]),
        RESET,
        "b''",
      ],
      ["SO_ERROR", (a) => a.getsockopt(SOL_SOCKET, SO_ERROR), 104, "b''"],
      [
        "SO_ERROR buflen 4",
        (a) => a.getsockopt(SOL_SOCKET, SO_ERROR, 4),
        "b'h\0\0\0'",
        "b''",
      ],
      ["recv_into", (a) => a.recv_into(new Uint8Array(4)), RESET, "b''"],
      ["recvfrom", (a) => a.recvfrom(4), RESET, "b''"],
      ["recv(0)", (a) => a.recv(0), "b''", RESET],
    ];
    for (const [name, first, want, thenRecv] of cases) {
      const a = await cutShort();
      try {
        assertEquals(await outcome(() => first(a)), want, name);
        assertEquals(await outcome(() => recv(a)), thenRecv, `${name}, recv`);
        assertEquals(
          await outcome(() => send(a)),
          BROKEN_PIPE,
          `${name}, send`,
        );
      } finally {
        a.close();
      }
    }
  },
  { ignore: unless(expected.reset, "a close that resets (SO_LINGER 0)") },
);

/** `n` bytes from a TLS socket (records may come apart). */
async function recvExactly(s: ssl.SSLSocket, n: number): Promise<string> {
  let out = "";
  while (out.length < n) {
    const part = await s.recv(n - out.length);
    if (part.length === 0) break;
    out += str(part);
  }
  return out;
}

const TEXT = "0123456789abcdefghijklmnopqrstuvwxyz";

/** A temporary file holding {@linkcode TEXT}. */
async function withTextFile(
  text: string,
  fn: (path: string) => Promise<void>,
): Promise<void> {
  const path = await makeTempFile({ prefix: "pysocket_" });
  try {
    await writeFile(path, b(text));
    await fn(path);
  } finally {
    await remove(path);
  }
}

tlsTest(
  "SSLSocket.sendfile() non-blocking: ValueError before the file is looked at, an empty one too (CPython's _sendfile_use_send() order)",
  async () => {
    const [client, server] = await loopbackTls(5);
    try {
      client.setblocking(false);
      for (const text of ["", TEXT]) {
        await withTextFile(text, async (path) => {
          await using file = await openFile(path);
          const err = await errorOf(() => client.sendfile(file));
          assertInstanceOf(err, socket.ValueError);
          assertEquals(err!.message, "non-blocking sockets are not supported");
          assertEquals(await file.seek(0, 1), 0);
        });
      }
    } finally {
      client.close();
      server.close();
    }
  },
);

tlsTest(
  "SSLSocket.sendfile() sends from where the file is, as CPython's _sendfile_use_send(): a true offset seeks first, the file ends at offset + sent, an offset of None raises TypeError after sending (python3's bytes and positions)",
  async () => {
    const cases: [number | null, number | null, unknown, string, number][] = [
      [10, 20, 20, "abcdefghijklmnopqrst", 30],
      [0, 5, 5, "789ab", 5],
      [
        null,
        5,
        [
          "TypeError",
          "unsupported operand type(s) for +: 'NoneType' and 'int'",
        ],
        "789ab",
        12,
      ],
      [3, null, 33, "3456789abcdefghijklmnopqrstuvwxyz", 36],
      [0, null, 29, "789abcdefghijklmnopqrstuvwxyz", 29],
    ];
    const [client, server] = await loopbackTls(5);
    try {
      await withTextFile(TEXT, async (path) => {
        for (const [offset, count, want, bytes, position] of cases) {
          const name = `sendfile(f, ${offset}, ${count})`;
          await using file = await openFile(path);
          await file.seek(7, 0);
          let got: unknown;
          try {
            got = await client.sendfile(file, offset as number, count);
          } catch (err) {
            got = described(err).slice(0, 2);
          }
          assertEquals(got, want, name);
          assertEquals(await file.seek(0, 1), position, `${name}: position`);
          assertEquals(
            await recvExactly(server, bytes.length),
            bytes,
            `${name}: bytes`,
          );
        }
      });
    } finally {
      client.close();
      server.close();
    }
  },
);
