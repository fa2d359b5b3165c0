// Copyright the pysocket authors. MIT license.
// Round 19 (errnomap): every Linux errno, not only the ones pysocket's table
// names, is Python's `[Errno N] text`; and on Bun a TCP connect() to a
// multicast or broadcast address is Linux's `[Errno 101]`. Every expectation
// was checked against CPython 3.11 on Linux.
import { assertEquals } from "@std/assert";
import process from "node:process";
import * as socket from "../mod.ts";
import { mapError } from "../src/_io/boundary.ts";
import { noPython, pythonJson, runtime, test } from "./_util.ts";

const notLinux = process.platform !== "linux" && "Linux's errno numbers";
const noPy = await noPython();

/** Class name, errno and message of what `mapError` makes of `err`. */
function mapped(err: Error): [string, unknown, string] {
  const got = mapError(err) as Error & { errno?: unknown };
  return [got.constructor.name, got.errno, got.message];
}

/**
 * CPython's `OSError(n, os.strerror(n))` for n = 1..133: `[name, class,
 * errno, message]` (`name` the errno module's, 95's as EOPNOTSUPP).
 */
async function pythonErrnos(): Promise<[string, string, number, string][]> {
  return await pythonJson(
    `import errno, json, os
names = {**errno.errorcode, 95: "EOPNOTSUPP", 35: "EDEADLK"}
out = []
for n in range(1, 134):
    e = OSError(n, os.strerror(n))
    out.append([names.get(n, ""), type(e).__name__, e.errno, str(e)])
print(json.dumps(out))`,
    null,
  ) as [string, string, number, string][];
}

/**
 * pysocket has no `ProcessLookupError` or `ChildProcessError` (README): 3
 * and 10 stay `OSError`.
 */
function withoutProcessClasses(
  rows: [string, string, number, string][],
): [string, string, number, string][] {
  return rows.map(([name, cls, n, message]) => [
    name,
    n === 3 || n === 10 ? "OSError" : cls,
    n,
    message,
  ]);
}

test(
  "F1: a Node-style error of any Linux errno (code + negative errno) is CPython's OSError(n, os.strerror(n))",
  async () => {
    // (41 and 58 have no name, so no code.)
    const py = withoutProcessClasses(await pythonErrnos()).filter(([name]) =>
      name !== ""
    );
    const ours = py.map(([name, , n]) => {
      const err = Object.assign(new Error(`write ${name}`), {
        code: name,
        errno: -n,
        syscall: "write",
      });
      return [name, ...mapped(err)];
    });
    // libuv's ECANCELED is a write the runtime dropped as it tore the
    // connection down: EPIPE, as Linux says of that write (not CPython's
    // `OSError(125, …)`, which no socket call returns).
    const expected = py.map((row) =>
      row[0] === "ECANCELED"
        ? ["ECANCELED", "BrokenPipeError", 32, "[Errno 32] Broken pipe"]
        : row
    );
    assertEquals(ours, expected);
  },
  { ignore: notLinux || noPy },
);

test(
  "F1: libuv's ENOTSUP and EWOULDBLOCK are Linux's 95 and 11",
  () => {
    const shaped = (code: string, errno: number) =>
      Object.assign(new Error(`connect ${code} 127.0.0.1:1`), {
        code,
        errno,
        syscall: "connect",
        address: "127.0.0.1",
        port: 1,
      });
    assertEquals(mapped(shaped("ENOTSUP", -95)), [
      "OSError",
      95,
      "[Errno 95] Operation not supported",
    ]);
    assertEquals(mapped(shaped("EWOULDBLOCK", -11)), [
      "BlockingIOError",
      11,
      "[Errno 11] Resource temporarily unavailable",
    ]);
    assertEquals(mapped(shaped("ENOSPC", -28)), [
      "OSError",
      28,
      "[Errno 28] No space left on device",
    ]);
  },
  { ignore: notLinux },
);

test(
  "F1: a Deno OS error (`text (os error N)` with its code) of any Linux errno is CPython's OSError(n, os.strerror(n))",
  async () => {
    const py = withoutProcessClasses(await pythonErrnos());
    const ours = py.map(([name, , n, message]) => {
      // As Deno 2.9 makes them: Deno.writeFileSync("/dev/full", …) throws
      // Error("No space left on device (os error 28): writefile
      // '/dev/full'") with code "ENOSPC".
      const text = message.replace(/^\[Errno \d+\] /, "");
      const err = new Error(`${text} (os error ${n}): writefile 'x'`);
      if (name !== "") Object.assign(err, { code: name });
      const [cls, errno, got] = mapped(err);
      return [name, cls, errno, got];
    });
    // 125 (a raw ECANCELED) included: no libuv write cancelled here.
    assertEquals(ours, py);
  },
  {
    ignore: runtime !== "deno" ? "Deno's error shape" : notLinux || noPy,
  },
);

// --- F2: TCP connect() to a multicast or broadcast address ----------------

/**
 * Linux refuses these at the route lookup: nothing is sent (CPython:
 * `OSError: [Errno 101] Network is unreachable` at once).
 */
/** What `connect()` of `s` to port 1 of `host` raised (`null`: nothing). */
async function connectError(
  s: socket.Socket,
  host: string,
): Promise<(Error & { errno?: number }) | null> {
  try {
    await s.connect([host, 1] as never);
    return null;
  } catch (err) {
    return err as Error;
  }
}

const NO_ROUTE: [number, string][] = [
  [socket.AF_INET, "224.0.0.1"],
  [socket.AF_INET, "239.1.2.3"],
  [socket.AF_INET, "255.255.255.255"],
  [socket.AF_INET, "127.255.255.255"],
  [socket.AF_INET6, "ff05::1"],
  [socket.AF_INET6, "ff0e::1"],
  [socket.AF_INET6, "ff01::1"],
  [socket.AF_INET6, "::ffff:224.0.0.1"],
  [socket.AF_INET6, "::ffff:ffff:ffff"],
];

test(
  "F2: TCP connect() to a multicast or broadcast address is [Errno 101], connect_ex() 101",
  async () => {
    for (const [family, host] of NO_ROUTE) {
      const s = socket.socket(family as typeof socket.AF_INET);
      try {
        const e = await connectError(s, host);
        assertEquals([host, e?.constructor.name, e?.errno, e?.message], [
          host,
          "OSError",
          101,
          "[Errno 101] Network is unreachable",
        ]);
      } finally {
        s.close();
      }
      const t = socket.socket(family as typeof socket.AF_INET);
      try {
        assertEquals([host, await t.connect_ex([host, 1] as never)], [
          host,
          101,
        ]);
      } finally {
        t.close();
      }
    }
  },
  { ignore: notLinux },
);

test(
  "F2: TCP connect() with a timeout (Bun's node:net path) to a multicast address is [Errno 101]",
  async () => {
    for (
      const [family, host] of [[socket.AF_INET, "224.0.0.1"], [
        socket.AF_INET6,
        "ff02::1",
      ]] as const
    ) {
      const s = socket.socket(family);
      s.settimeout(5);
      try {
        const e = await connectError(s, host);
        assertEquals([host, e?.constructor.name, e?.errno], [
          host,
          "OSError",
          101,
        ]);
      } finally {
        s.close();
      }
    }
  },
  { ignore: notLinux },
);
