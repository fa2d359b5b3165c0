// Copyright the pysocket authors. MIT license.
// The seventeenth round's finding in makefile(): a buffered writer's
// BlockingIOError carries characters_written in its args, as CPython's
// BufferedWriter raises BlockingIOError(EAGAIN, "write could not complete
// without blocking", n). python3 3.11.7, a non-blocking socketpair:
//   write: args (11, 'write could not complete without blocking', 227456)
//   flush: args (11, 'write could not complete without blocking', 0)

import { assert, assertEquals, assertInstanceOf } from "@std/assert";
import * as socket from "../mod.ts";
import { errorOf, test } from "./_util.ts";

const MESSAGE = "write could not complete without blocking";

test("makefile('wb') on a non-blocking socket: BlockingIOError's args are (errno, strerror, characters_written), as CPython's", async () => {
  const [a, b] = await socket.socketpair();
  try {
    a.setblocking(false);
    const w = a.makefile("wb");
    const err = await errorOf(() =>
      w.write(new Uint8Array(32 << 20))
    ) as socket.BlockingIOError;
    assertInstanceOf(err, socket.BlockingIOError);
    assert((err.characters_written ?? 0) > 0);
    assertEquals(err.args, [11, MESSAGE, err.characters_written]);
    const again = await errorOf(() => w.flush()) as socket.BlockingIOError;
    assertInstanceOf(again, socket.BlockingIOError);
    assertEquals(again.args, [11, MESSAGE, 0]);
    assertEquals(again.characters_written, 0);
    // What the write took, and only that, goes out once the socket blocks
    // again.
    a.setblocking(true);
    const drained = (async () => {
      let n = 0;
      for (;;) {
        const got = (await b.recv(1 << 20)).length;
        if (got === 0) return n;
        n += got;
      }
    })();
    await w.close();
    a.close();
    assertEquals(await drained, err.characters_written);
  } finally {
    a.close();
    b.close();
  }
});
