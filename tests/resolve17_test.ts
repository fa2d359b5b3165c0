// Copyright the pysocket authors. MIT license.
// The seventeenth round's finding in the resolver functions:
// getnameinfo() converts its sockaddr's host with CPython's "s" format,
// which refuses an embedded NUL before any lookup (python3 3.11.7:
// `socket.getnameinfo(("127.0.0.1\0", 80), 0)` raises
// `ValueError: embedded null character`).

import { assertEquals, assertInstanceOf } from "@std/assert";
import * as socket from "../mod.ts";
import { errorOf, test } from "./_util.ts";

test("getnameinfo() of a host with an embedded NUL raises CPython's ValueError: embedded null character, before any lookup", async () => {
  for (
    const [sockaddr, flags] of [
      [["127.0.0.1\0", 80], 0],
      [["127.0.0.1\0", 80], socket.NI_NUMERICHOST],
      [["::1\0", 80, 0, 0], socket.NI_NUMERICHOST | socket.NI_NUMERICSERV],
      [["localhost\0", 80], 0],
    ] as const
  ) {
    const err = await errorOf(() =>
      socket.getnameinfo(sockaddr as never, flags)
    );
    assertInstanceOf(err, socket.ValueError);
    assertEquals(err!.message, "embedded null character");
  }
});
