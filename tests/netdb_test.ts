// Copyright the pysocket authors. MIT license.
// The services and protocols databases and the network interfaces:
// getservbyname(), getservbyport(), getprotobyname(), if_nameindex(),
// if_nametoindex(), if_indextoname(), each call's result or error as
// python3 gives it on this machine (same /etc files, same interfaces).

import { assertEquals, assertThrows } from "@std/assert";
import * as socket from "../mod.ts";
import { expected, unless } from "./_caps.ts";
import { assertPythonError } from "./_pyerrors.ts";
import { noPython, pythonJson, test } from "./_util.ts";

const noPy = await noPython();

// deno-lint-ignore no-explicit-any
const S = socket as any;

/** A call in pysocket, and the same call in Python. */
type Call = [label: string, ours: () => unknown, python: string];

const DATABASES: Call[] = [
  ["http", () => S.getservbyname("http"), `getservbyname("http")`],
  [
    "http/tcp",
    () => S.getservbyname("http", "tcp"),
    `getservbyname("http", "tcp")`,
  ],
  [
    "http/udp",
    () => S.getservbyname("http", "udp"),
    `getservbyname("http", "udp")`,
  ],
  [
    "domain/udp",
    () => S.getservbyname("domain", "udp"),
    `getservbyname("domain", "udp")`,
  ],
  ["an alias", () => S.getservbyname("www"), `getservbyname("www")`],
  [
    "no such service",
    () => S.getservbyname("nosuch"),
    `getservbyname("nosuch")`,
  ],
  ["names are exact", () => S.getservbyname("HTTP"), `getservbyname("HTTP")`],
  ["int name", () => S.getservbyname(80), `getservbyname(80)`],
  [
    "int protocol",
    () => S.getservbyname("http", 6),
    `getservbyname("http", 6)`,
  ],
  [
    "None protocol",
    () => S.getservbyname("http", null),
    `getservbyname("http", None)`,
  ],
  [
    "NUL in a name",
    () => S.getservbyname("http\0x"),
    `getservbyname("http\\0x")`,
  ],
  ["no arguments", () => S.getservbyname(), `getservbyname()`],
  [
    "three arguments",
    () => S.getservbyname("http", "tcp", 1),
    `getservbyname("http", "tcp", 1)`,
  ],
  ["port 80", () => S.getservbyport(80), `getservbyport(80)`],
  ["port 53/udp", () => S.getservbyport(53, "udp"), `getservbyport(53, "udp")`],
  ["port True", () => S.getservbyport(true), `getservbyport(True)`],
  ["no such port", () => S.getservbyport(7777), `getservbyport(7777)`],
  ["port 65536", () => S.getservbyport(65536), `getservbyport(65536)`],
  ["port -1", () => S.getservbyport(-1), `getservbyport(-1)`],
  ["port 2**40", () => S.getservbyport(2 ** 40), `getservbyport(2**40)`],
  ["port 2**70", () => S.getservbyport(2n ** 70n), `getservbyport(2**70)`],
  ["str port", () => S.getservbyport("80"), `getservbyport("80")`],
  ["float port", () => S.getservbyport(80.5), `getservbyport(80.5)`],
  [
    "int protocol of a port",
    () => S.getservbyport(80, 6),
    `getservbyport(80, 6)`,
  ],
  ["tcp", () => S.getprotobyname("tcp"), `getprotobyname("tcp")`],
  ["udp", () => S.getprotobyname("udp"), `getprotobyname("udp")`],
  ["a protocol alias", () => S.getprotobyname("TCP"), `getprotobyname("TCP")`],
  [
    "ipv6-icmp",
    () => S.getprotobyname("ipv6-icmp"),
    `getprotobyname("ipv6-icmp")`,
  ],
  [
    "no such protocol",
    () => S.getprotobyname("nosuch"),
    `getprotobyname("nosuch")`,
  ],
  ["int protocol name", () => S.getprotobyname(6), `getprotobyname(6)`],
];

const INTERFACES: Call[] = [
  ["the list", () => S.if_nameindex(), `[list(t) for t in if_nameindex()]`],
  ["lo", () => S.if_nametoindex("lo"), `if_nametoindex("lo")`],
  [
    "lo as bytes",
    () => S.if_nametoindex(new TextEncoder().encode("lo")),
    `if_nametoindex(b"lo")`,
  ],
  [
    "no such name",
    () => S.if_nametoindex("nosuch0"),
    `if_nametoindex("nosuch0")`,
  ],
  ["empty name", () => S.if_nametoindex(""), `if_nametoindex("")`],
  ["NUL in a name", () => S.if_nametoindex("lo\0"), `if_nametoindex("lo\\0")`],
  ["int name", () => S.if_nametoindex(1), `if_nametoindex(1)`],
  ["None name", () => S.if_nametoindex(null), `if_nametoindex(None)`],
  ["index 1", () => S.if_indextoname(1), `if_indextoname(1)`],
  ["index True", () => S.if_indextoname(true), `if_indextoname(True)`],
  ["no such index", () => S.if_indextoname(999), `if_indextoname(999)`],
  ["index 0", () => S.if_indextoname(0), `if_indextoname(0)`],
  ["index 2**32", () => S.if_indextoname(2 ** 32), `if_indextoname(2**32)`],
  ["index -1", () => S.if_indextoname(-1), `if_indextoname(-1)`],
  ["index 2**64", () => S.if_indextoname(2n ** 64n), `if_indextoname(2**64)`],
  ["str index", () => S.if_indextoname("1"), `if_indextoname("1")`],
  ["float index", () => S.if_indextoname(1.5), `if_indextoname(1.5)`],
  ["if_nameindex(1)", () => S.if_nameindex(1), `if_nameindex(1)`],
  ["if_indextoname()", () => S.if_indextoname(), `if_indextoname()`],
];

/** Each call's `["ok", value]` or `[class, message]` in python3. */
async function python(
  calls: Call[],
): Promise<Record<string, [string, unknown]>> {
  return await pythonJson(
    `import json, sys
from socket import *
out = {}
for label, expr in json.load(sys.stdin):
    try:
        out[label] = ["ok", eval(expr)]
    except BaseException as e:
        out[label] = [type(e).__name__, str(e)]
print(json.dumps(out))`,
    calls.map(([label, , expr]) => [label, expr]),
  ) as Record<string, [string, unknown]>;
}

function assertAsPython(
  calls: Call[],
  want: Record<string, [string, unknown]>,
) {
  for (const [label, ours] of calls) {
    const [kind, value] = want[label];
    let got: unknown;
    try {
      got = ours();
    } catch (err) {
      assertPythonError(label, err, [kind, String(value)]);
      continue;
    }
    assertEquals(["ok", got], [kind, value], label);
  }
}

test(
  "getservbyname(), getservbyport(), getprotobyname(): python3's results and errors, call by call",
  async () => assertAsPython(DATABASES, await python(DATABASES)),
  { ignore: noPy },
);

test(
  "if_nameindex(), if_nametoindex(), if_indextoname(): python3's results and errors, call by call",
  async () => assertAsPython(INTERFACES, await python(INTERFACES)),
  {
    ignore: noPy ||
      unless(
        expected.interfacesReadable,
        "read /sys/class/net without --allow-all",
      ),
  },
);

test("the well-known entries, without python3: http is 80, tcp is 6, lo is 1", () => {
  assertEquals(socket.getservbyname("http", "tcp"), 80);
  assertEquals(socket.getservbyport(443, "tcp"), "https");
  assertEquals(socket.getprotobyname("tcp"), socket.IPPROTO_TCP);
  assertEquals(socket.getprotobyname("udp"), socket.IPPROTO_UDP);
  assertThrows(
    () => socket.getservbyname("nosuch"),
    socket.OSError,
    "service/proto not found",
  );
  if (expected.interfacesReadable) {
    assertEquals(socket.if_nametoindex("lo"), 1);
    assertEquals(socket.if_indextoname(1), "lo");
    assertEquals(socket.if_nameindex()[0], [1, "lo"]);
  } else {
    // Deno asks for --allow-all to read /sys/class/net: the error says so.
    assertThrows(
      () => socket.if_nameindex(),
      socket.PermissionError,
      "(run again with --allow-all)",
    );
  }
});
