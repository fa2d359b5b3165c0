// Copyright the pysocket authors. MIT license.
// StreamTransport.upgrade(), the engine's hand-over of a connection to a
// layer built over it (TLS): while the layer is being made, readiness
// reads nothing ahead (the layer's bytes stay the layer's); once it is in
// place the socket polls readable once; closing waits for it. An engine
// unit: it reaches the transport through the descriptor table.

import { assert, assertEquals } from "@std/assert";
import { select } from "../select.ts";
import { descriptor } from "../src/_io/fd_table.ts";
import type { StreamTransport } from "../src/_io/stream.ts";
import type { RawConn } from "../src/_backend/types.ts";
import { b, closeAll, sleep, str, tcpPair, test } from "./_util.ts";

test("StreamTransport.upgrade: readiness reads nothing ahead while the layer is made; readable once after", async () => {
  const { server, client, conn } = await tcpPair();
  const transport = descriptor(conn.fileno())!.transport as StreamTransport;
  let release!: () => void;
  const gate = new Promise<void>((resolve) => release = resolve);
  let layerGot = "";
  const upgrading = transport.upgrade(async (raw, received) => {
    await gate;
    // Everything the peer sent is still the layer's to read.
    for (const chunk of received.buffered) layerGot += str(chunk);
    const inFlight = await received.inFlight;
    if (inFlight) layerGot += str(inFlight);
    const buf = new Uint8Array(64);
    while (layerGot.length < 5) {
      const n = await raw.read(buf);
      if (n === null) break;
      layerGot += str(buf.subarray(0, n));
    }
    return raw as RawConn;
  });
  await client.sendall(b("hello"));
  // A select while the layer is being made: nothing ready, nothing read.
  const [during] = await select([conn], [], [], 0.1);
  assertEquals(during, []);
  release();
  await upgrading;
  assertEquals(layerGot, "hello");
  // The layer is in place: readable once (a caller selecting goes on).
  const [after] = await select([conn], [], [], 5);
  assertEquals(after, [conn]);
  const [again] = await select([conn], [], [], 0.05);
  assertEquals(again, []);
  await client.sendall(b("next"));
  assertEquals(str(await conn.recv(10)), "next");
  await closeAll(client, conn, server);
});

test("StreamTransport.upgrade: closing waits (settled) for a layer still being made", async () => {
  const { server, client, conn } = await tcpPair();
  const transport = descriptor(conn.fileno())!.transport as StreamTransport;
  let finished = false;
  const upgrading = transport.upgrade(async (raw) => {
    await sleep(50);
    finished = true;
    return raw;
  }).catch(() => {});
  await conn[Symbol.asyncDispose]();
  assert(finished, "settled() waited for the layer");
  await upgrading;
  await closeAll(client, server);
});
