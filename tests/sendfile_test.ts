// Copyright the pysocket authors. MIT license.
// Socket.sendfile() over a real file and a loopback pair.

import { assertEquals, assertRejects } from "@std/assert";
import * as socket from "../mod.ts";
import {
  makeTempFile,
  type OpenFile,
  openFile,
  remove,
  test,
  writeFile,
} from "./_util.ts";

async function withFile(
  bytes: Uint8Array,
  fn: (file: OpenFile) => Promise<void>,
): Promise<void> {
  const path = await makeTempFile({ prefix: "pysocket_" });
  await writeFile(path, bytes);
  try {
    await using file = await openFile(path);
    await fn(file);
  } finally {
    await remove(path);
  }
}

async function recvAll(s: socket.Socket, n: number): Promise<Uint8Array> {
  const out = new Uint8Array(n);
  let got = 0;
  while (got < n) got += await s.recv_into(out.subarray(got));
  return out;
}

test("sendfile() sends a whole 3 MiB file and leaves the file at its end", async () => {
  const data = new Uint8Array(3 << 20).map((_, i) => i * 7);
  await withFile(data, async (file) => {
    const [a, b] = await socket.socketpair();
    using _a = a;
    using _b = b;
    const [sent, received] = await Promise.all([
      a.sendfile(file),
      recvAll(b, data.length),
    ]);
    assertEquals(sent, data.length);
    assertEquals(received, data);
    assertEquals(await file.seek(0, 1), data.length);
  });
});

test("sendfile() honours offset and count", async () => {
  await withFile(new TextEncoder().encode("0123456789"), async (file) => {
    const [a, b] = await socket.socketpair();
    using _a = a;
    using _b = b;
    assertEquals(await a.sendfile(file, 2, 5), 5);
    assertEquals(new TextDecoder().decode(await recvAll(b, 5)), "23456");
  });
});

test("sendfile() rejects a bad count and datagram sockets with Python's errors", async () => {
  await withFile(new Uint8Array(4), async (file) => {
    const [a, b] = await socket.socketpair();
    using _a = a;
    using _b = b;
    await assertRejects(
      () => a.sendfile(file, 0, 0),
      socket.ValueError,
      "count must be a positive integer (got 0)",
    );
    await assertRejects(
      () => a.sendfile(file, 0, 1.5),
      TypeError,
      "count must be a positive integer (got 1.5)",
    );
    a.close();
    await assertRejects(
      () => a.sendfile(file),
      socket.OSError,
      "[Errno 9] Bad file descriptor",
    );
  });
});
