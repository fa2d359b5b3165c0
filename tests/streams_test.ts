// Copyright the pysocket authors. MIT license.
// readable / writable Web Streams over real loopback TCP sockets: piping
// into TextDecoderStream, DecompressionStream and a file; half-close; the
// streams borrow the socket and never close it.

import {
  assert,
  assertEquals,
  assertInstanceOf,
  assertRejects,
} from "@std/assert";
import * as socket from "../mod.ts";
import {
  b,
  closeAll,
  makeTempFile,
  openFile,
  readFile,
  remove,
  sleep,
  str,
  tcpPair,
  test,
} from "./_util.ts";

/** A listening server, a connected client and the server's end. */
test("readable pipes through TextDecoderStream, multi-byte characters split across reads", async () => {
  const { server, client, conn } = await tcpPair();
  const bytes = b("héllo wörld 😀");
  const pieces: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += 3) {
    pieces.push(bytes.subarray(i, i + 3));
  }
  // The next piece goes only once the stream has read the last one, so
  // that each read is one piece (TCP cannot join them): the splits, in
  // "é", "ö" and "😀", do reach the decoder.
  const seen: Uint8Array[] = [];
  let wake = () => {};
  const tap = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      seen.push(chunk.slice());
      wake();
      controller.enqueue(chunk);
    },
  });
  const sending = (async () => {
    for (const piece of pieces) {
      const read = new Promise<void>((resolve) => wake = resolve);
      await conn.sendall(piece);
      await read;
    }
    await conn.shutdown(socket.SHUT_WR);
  })();
  let text = "";
  for await (
    const part of client.readable.pipeThrough(tap).pipeThrough(
      new TextDecoderStream(),
    )
  ) text += part;
  await sending;
  assertEquals(text, "héllo wörld 😀");
  assertEquals(seen, pieces.map((p) => p.slice()));
  assert(client.fileno() > 0, "the stream does not close the socket");
  await closeAll(conn, client, server);
});

test("readable pipes through DecompressionStream what the peer writes through CompressionStream", async () => {
  const { server, client, conn } = await tcpPair();
  const message = "pysocket ".repeat(10_000);
  const sent = ReadableStream.from([message])
    .pipeThrough(new TextEncoderStream())
    .pipeThrough(new CompressionStream("gzip"))
    .pipeTo(conn.writable);
  const text = await new Response(
    client.readable.pipeThrough(new DecompressionStream("gzip")),
  ).text();
  await sent;
  assertEquals(text, message);
  await closeAll(conn, client, server);
});

test("readable.pipeTo(file.writable) writes what the peer sends to a file", async () => {
  const { server, client, conn } = await tcpPair();
  const path = await makeTempFile({ prefix: "pysocket_" });
  try {
    const data = new Uint8Array(200_000).map((_, i) => i * 7);
    const sending = (async () => {
      await conn.sendall(data);
      await conn.shutdown(socket.SHUT_WR);
    })();
    const file = await openFile(path, { write: true, truncate: true });
    await client.readable.pipeTo(file.writable); // closes the file
    await sending;
    assertEquals(await readFile(path), data);
  } finally {
    await remove(path);
  }
  await closeAll(conn, client, server);
});

test("writable sends chunks in order and close() shuts the writing half only", async () => {
  const { server, client, conn } = await tcpPair();
  const writer = client.writable.getWriter();
  await writer.write(b("one "));
  await writer.write(b("two"));
  await writer.close();
  const received: string[] = [];
  for (;;) {
    const chunk = await conn.recv(100);
    if (chunk.length === 0) break;
    received.push(str(chunk));
  }
  assertEquals(received.join(""), "one two");
  // The socket is still open and can still receive.
  assert(client.fileno() > 0);
  await conn.sendall(b("reply"));
  assertEquals(str(await client.recv(100)), "reply");
  await assertRejects(
    () => client.send(b("x")),
    socket.BrokenPipeError,
    "[Errno 32] Broken pipe",
  );
  await closeAll(conn, client, server);
});

test("writable errors with Python's TypeError for a chunk that is not bytes", async () => {
  const { server, client, conn } = await tcpPair();
  const writer = client.writable.getWriter();
  await assertRejects(
    () => writer.write("text" as unknown as Uint8Array),
    TypeError,
    "a bytes-like object is required, not 'str'",
  );
  assert(client.fileno() > 0);
  await closeAll(conn, client, server);
});

test("writable abort() leaves the socket open", async () => {
  const { server, client, conn } = await tcpPair();
  const stream = client.writable;
  await stream.abort(new Error("stop"));
  await client.sendall(b("still"));
  assertEquals(str(await conn.recv(10)), "still");
  await closeAll(conn, client, server);
});

test("readable reads nothing before a reader asks, so recv() and the stream take turns", async () => {
  const { server, client, conn } = await tcpPair();
  const stream = client.readable;
  await conn.sendall(b("first"));
  await sleep(20);
  assertEquals(str(await client.recv(100)), "first");
  const reader = stream.getReader();
  await conn.sendall(b("second"));
  assertEquals(str((await reader.read()).value!), "second");
  await conn.sendall(b("third"));
  await sleep(20);
  assertEquals(str(await client.recv(100)), "third");
  await reader.cancel();
  assert(client.fileno() > 0, "cancel() does not close the socket");
  await conn.sendall(b("fourth"));
  assertEquals(str(await client.recv(100)), "fourth");
  await closeAll(conn, client, server);
});

test("readable supports BYOB readers, receiving straight into their buffer", async () => {
  const { server, client, conn } = await tcpPair();
  const reader = client.readable.getReader({ mode: "byob" });
  await conn.sendall(b("abc"));
  const { value, done } = await reader.read(new Uint8Array(16));
  assertEquals([str(value!), done], ["abc", false]);
  await conn.shutdown(socket.SHUT_WR);
  const end = await reader.read(new Uint8Array(16));
  assertEquals(end.done, true);
  await closeAll(conn, client, server);
});

test("readable errors with TimeoutError when the socket's timeout passes", async () => {
  const { server, client, conn } = await tcpPair();
  client.settimeout(0.05);
  const reader = client.readable.getReader();
  await assertRejects(() => reader.read(), socket.TimeoutError, "timed out");
  await assertRejects(() => reader.read(), socket.TimeoutError, "timed out");
  assert(client.fileno() > 0);
  await closeAll(conn, client, server);
});

test("readable errors with EBADF when the socket is closed during a read", async () => {
  const { server, client, conn } = await tcpPair();
  const reader = client.readable.getReader();
  const pending = reader.read();
  await sleep(10);
  client.close();
  const err = await assertRejects(
    () => pending,
    socket.OSError,
    "[Errno 9] Bad file descriptor",
  );
  assertInstanceOf(err, socket.OSError);
  await closeAll(conn, server);
});
