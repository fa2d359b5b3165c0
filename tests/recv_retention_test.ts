// Copyright the pysocket authors. MIT license.
// A small result does not keep alive the large read it came in: CPython's
// `bytes` are exact-size objects, and a program that keeps each message's
// 16-byte header and drops its 64 KiB body keeps 16 bytes a message, not
// the whole stream (a view of the runtime's read buffer would).

import { assert, assertEquals } from "@std/assert";
import * as socket from "../mod.ts";
import { bounded, closeAll, tcpPair, test } from "./_util.ts";

const MESSAGES = 300;
const BODY = 65536;
/** What the headers kept may hold alive in all: a few slabs' worth. */
const BOUND = 4 << 20;

/** Message `i`: a 16-byte header ("H" and its number, then a newline). */
function header(i: number): Uint8Array {
  const text = `H${String(i).padStart(14, "0")}\n`;
  return new TextEncoder().encode(text);
}

/** Sends {@linkcode MESSAGES} messages of a header and a body, then ends. */
async function sendMessages(conn: socket.Socket): Promise<void> {
  const message = new Uint8Array(16 + BODY).fill(0x62);
  for (let i = 0; i < MESSAGES; i++) {
    message.set(header(i));
    await conn.sendall(message);
  }
  conn.shutdown(socket.SHUT_WR);
}

/** The memory behind `results`, counted once per buffer. */
function retained(results: Uint8Array[]): number {
  let total = 0;
  for (const buffer of new Set(results.map((r) => r.buffer))) {
    total += buffer.byteLength;
  }
  return total;
}

/** Checks the headers kept, and what they hold alive. */
function check(headers: Uint8Array[]): void {
  assertEquals(headers.length, MESSAGES);
  for (let i = 0; i < MESSAGES; i++) assertEquals(headers[i], header(i));
  const bytes = retained(headers);
  assert(
    bytes < BOUND,
    `${MESSAGES} headers of 16 B hold ${bytes} bytes alive`,
  );
}

/**
 * A test of {@linkcode MESSAGES} messages sent to `client` (a timeout of
 * 10 s): `collect` reads them all and returns the headers it kept, which
 * {@linkcode check} checks.
 */
function retentionTest(
  name: string,
  collect: (client: socket.Socket) => Promise<Uint8Array[]>,
): void {
  test(name, async () => {
    const { server, client, conn } = await tcpPair();
    try {
      const sending = sendMessages(conn);
      client.settimeout(10);
      const headers = await collect(client);
      await bounded(sending, 10000, "the sender");
      check(headers);
    } finally {
      await closeAll(client, conn, server);
    }
  });
}

/**
 * Each message's header read by recv(16) (a header split between reads: its
 * rest, joined), its body by `readBody`, until the end of stream: the
 * headers.
 */
async function recvHeaders(
  client: socket.Socket,
  readBody: () => Promise<void>,
): Promise<Uint8Array[]> {
  const headers: Uint8Array[] = [];
  while (true) {
    let head = await client.recv(16);
    if (head.length === 0) break;
    while (head.length < 16) {
      const rest = await client.recv(16 - head.length);
      assert(rest.length > 0, "the stream ended inside a header");
      const joined = new Uint8Array(head.length + rest.length);
      joined.set(head);
      joined.set(rest, head.length);
      head = joined;
    }
    headers.push(head);
    await readBody();
  }
  return headers;
}

retentionTest(
  "recv(16) headers kept from a stream of 64 KiB bodies do not hold the bodies' reads alive",
  (client) =>
    recvHeaders(client, async () => {
      let left = BODY;
      while (left > 0) {
        const body = await client.recv(Math.min(left, 65536));
        assert(body.length > 0, "the stream ended inside a body");
        left -= body.length;
      }
    }),
);

retentionTest(
  "makefile() readline() headers kept from a stream of 64 KiB bodies do not hold the bodies' reads alive",
  async (client) => {
    const f = client.makefile("rb");
    const headers: Uint8Array[] = [];
    while (true) {
      const line = await f.readline();
      if (line.length === 0) break;
      headers.push(line);
      assertEquals((await f.read(BODY)).length, BODY);
    }
    f.close();
    return headers;
  },
);

retentionTest(
  "recv(16) headers kept after recv_into() bodies do not hold the bodies' reads alive",
  (client) => {
    const body = new Uint8Array(BODY);
    // A body into a buffer of the caller's: what its read brought past the
    // body (the next header, a part of the next body) stays held.
    return recvHeaders(client, async () => {
      let left = BODY;
      while (left > 0) {
        const k = await client.recv_into(body.subarray(0, left));
        assert(k > 0, "the stream ended inside a body");
        left -= k;
      }
    });
  },
);

test("recv() results stay the bytes sent when small ones are copied out of large reads", async () => {
  const { server, client, conn } = await tcpPair();
  try {
    const data = new Uint8Array(1 << 20);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7 + (i >> 11)) & 0xff;
    await conn.sendall(data);
    conn.shutdown(socket.SHUT_WR);
    client.settimeout(10);
    const sizes = [16, 65536, 1, 4096, 200000, 100, 8192];
    const got = new Uint8Array(data.length);
    let at = 0;
    for (let i = 0; at < data.length; i++) {
      const chunk = await client.recv(sizes[i % sizes.length]);
      assert(chunk.length > 0, "the stream ended early");
      got.set(chunk, at);
      at += chunk.length;
    }
    assertEquals(got, data);
    assertEquals((await client.recv(16)).length, 0);
  } finally {
    await closeAll(client, conn, server);
  }
});
