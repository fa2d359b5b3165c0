// Copyright the pysocket authors. MIT license.
// Socket.sendfile() over a real file and a loopback pair.

import { assertEquals, assertRejects } from "@std/assert";
import * as socket from "../mod.ts";
import { BytesIO } from "../socketserver.ts";
import {
  bounded,
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
    // CPython's os.sendfile() path: the closed socket's descriptor is -1.
    const err = await assertRejects(() => a.sendfile(file), socket.ValueError);
    assertEquals(err.message, "Invalid file descriptor: -1");
  });
});

test("a timed sendfile() that times out leaves the file just past the bytes that went: resumed from there, the peer gets every byte once (the bytes of a timed-out chunk were sent twice)", async () => {
  // More than the kernel and the runtime hold for a peer that is not
  // reading, so that the first call times out.
  const data = new Uint8Array(24 << 20).map((_, i) =>
    (i * 31 + (i >> 16)) & 255
  );
  await withFile(data, async (file) => {
    const server = socket.socket();
    server.bind(["127.0.0.1", 0]);
    server.listen();
    using client = socket.socket();
    await client.connect(server.getsockname());
    const [peer] = await server.accept();
    server.close();
    using _ = peer;
    client.settimeout(0.3);
    await assertRejects(() => client.sendfile(file, 1000), socket.TimeoutError);
    const reading = recvAll(peer, data.length - 1000);
    // Resumed where the file was left, until all of it went.
    let timeouts = 1;
    while (await file.seek(0, 1) < data.length) {
      try {
        await client.sendfile(file, await file.seek(0, 1));
      } catch (err) {
        if (!(err instanceof socket.TimeoutError) || ++timeouts > 50) throw err;
      }
    }
    client.close();
    assertEquals(
      await bounded(reading, 20_000, "the peer reads the file"),
      data.subarray(1000),
    );
    peer.settimeout(5);
    assertEquals(await peer.recv(1), new Uint8Array());
  });
});

test("sendfile() of a BytesIO with an offset of None sends its bytes, then raises Python's TypeError from file.seek(offset + total_sent), the file left past them (python3's answers)", async () => {
  const [a, b] = await socket.socketpair();
  try {
    for (
      const [count, want] of [[null, "hello"], [3, "hel"]] as const
    ) {
      const file = new BytesIO(new TextEncoder().encode("hello"));
      const err = await assertRejects(
        // deno-lint-ignore no-explicit-any
        () => a.sendfile(file, null as any, count),
        TypeError,
      );
      assertEquals(
        err.message,
        "unsupported operand type(s) for +: 'NoneType' and 'int'",
      );
      assertEquals(
        new TextDecoder().decode(
          await bounded(recvAll(b, want.length), 5000, "recv"),
        ),
        want,
      );
      assertEquals(file.tell(), want.length);
    }
    // Nothing sent: no seek, so no error.
    const empty = new BytesIO(new Uint8Array(0));
    // deno-lint-ignore no-explicit-any
    assertEquals(await a.sendfile(empty, null as any), 0);
    assertEquals(empty.tell(), 0);
  } finally {
    a.close();
    b.close();
  }
});

test("sendfile() of a BytesIO on a socket made non-blocking while it sends retries the send once it is writable, as Python's `continue` on BlockingIOError: every byte arrives (python3's answer)", async () => {
  const [a, b] = await socket.socketpair();
  try {
    const n = 16 << 20;
    const file = new BytesIO(new Uint8Array(n).fill(7));
    const sending = a.sendfile(file);
    // The peer reads nothing until the kernel's buffers are full.
    await new Promise((resolve) => setTimeout(resolve, 200));
    a.setblocking(false);
    let got = 0;
    const reading = (async () => {
      while (got < n) got += (await b.recv(1 << 20)).length;
    })();
    assertEquals(await bounded(sending, 10000, "sendfile"), n);
    await bounded(reading, 10000, "recv");
    assertEquals(got, n);
    assertEquals(file.tell(), n);
  } finally {
    a.close();
    b.close();
  }
});
