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

test("sendfile() starts at offset whatever the file's position, as CPython's os.sendfile() path: the same file twice is sent twice, and a file nothing was sent from stays where it was (python3's answers)", async () => {
  const text = "Hello World, from a file.";
  await withFile(new TextEncoder().encode(text), async (file) => {
    const [a, b] = await socket.socketpair();
    using _a = a;
    using _b = b;
    const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
    assertEquals(await a.sendfile(file), text.length);
    assertEquals(await a.sendfile(file), text.length);
    assertEquals(await file.seek(0, 1), text.length);
    assertEquals(decode(await recvAll(b, 2 * text.length)), text + text);
    await file.seek(3, 0);
    assertEquals(await a.sendfile(file, 0, 4), 4);
    assertEquals(decode(await recvAll(b, 4)), "Hell");
    assertEquals(await file.seek(0, 1), 4);
    assertEquals(await a.sendfile(file, 1000), 0);
    assertEquals(await file.seek(0, 1), 4);
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
