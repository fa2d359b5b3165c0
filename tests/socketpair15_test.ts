// Copyright the pysocket authors. MIT license.
// socketpair()'s descriptor numbers are the OS's: Linux's socketpair() takes
// the two lowest free numbers, in order, and the next socket has the next.
// pysocket makes its pair with a temporary listener (src/socket/create.ts
// connectedPair()), which took the lowest number: the pair was 5, 4 and the
// next socket 3.
// CPython 3.11, in a fresh process:
//   a, b = socketpair(); c = socket()  -> 3 4 5
//   socketpair(AF_INET)                -> the same order

import { assertEquals } from "@std/assert";
import * as socket from "../mod.ts";
import { b, str, test } from "./_util.ts";

/** The lowest free number now (a socket made and closed). */
function lowestFree(): number {
  const probe = socket.socket();
  const n = probe.fileno();
  probe.close();
  return n;
}

for (const family of [undefined, socket.AF_INET, socket.AF_INET6]) {
  const name = family === undefined
    ? "the default family"
    : family === socket.AF_INET
    ? "AF_INET"
    : "AF_INET6";
  test(`socketpair() (${name}) takes the two lowest free numbers in order, and the next socket the next, as Linux's`, async () => {
    const n = lowestFree();
    const [a, c] = await socket.socketpair(family);
    const next = socket.socket();
    try {
      assertEquals([a.fileno(), c.fileno(), next.fileno()], [n, n + 1, n + 2]);
      // The ends are still the pair: connected to each other, both ways.
      await a.sendall(b("to c"));
      assertEquals(str(await c.recv(10)), "to c");
      await c.sendall(b("to a"));
      assertEquals(str(await a.recv(10)), "to a");
      assertEquals(a.gettimeout(), null);
      assertEquals(c.gettimeout(), null);
    } finally {
      a.close();
      c.close();
      next.close();
    }
    // Closed, the three numbers are free again.
    assertEquals(lowestFree(), n);
  });
}
