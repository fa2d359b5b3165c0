// Copyright the pysocket authors. MIT license.
// Calls made and not awaited before close(), the way a ported Python
// program reads when an `await` is forgotten: CPython's call returned
// before its close() ran, so the bytes reach the peer and nothing fails.
// (A plain socket's un-awaited send() is pinned in lifecycle_test.ts.)

import { assertEquals } from "@std/assert";
import * as socket from "../mod.ts";
import * as ssl from "../ssl.ts";
import { testCerts, tlsPair, tlsTest } from "./_certs.ts";
import { b, recvUntilEnd, str, tcpPair, test } from "./_util.ts";

for (const how of [socket.SHUT_RD, socket.SHUT_WR, socket.SHUT_RDWR]) {
  test(`shutdown(${how}) started before close() returns None, as CPython's`, async () => {
    const { server, client, conn } = await tcpPair();
    await conn.sendall(b("abc"));
    const shut = conn.shutdown(how).then(
      (v) => `resolved ${v}`,
      (e) => `rejected ${e}`,
    );
    conn.close();
    client.settimeout(5);
    const got = str(await recvUntilEnd(client));
    assertEquals([await shut, got], ["resolved undefined", "abc"]);
    client.close();
    server.close();
  });
}

/** A TLS 1.2 pair's contexts: no session ticket left unread at close. */
async function contexts() {
  const c = await testCerts();
  const server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH);
  server.load_cert_chain(c.server, c.serverKey);
  const client = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, {
    cafile: c.ca,
  });
  client.maximum_version = ssl.TLSVersion.TLSv1_2;
  return { client, server };
}

for (const method of ["send", "sendall"] as const) {
  tlsTest(
    `SSLSocket: close() after an un-awaited ${method}() delivers the bytes and rejects nothing`,
    async () => {
      const ctx = await contexts();
      const { client, server } = await tlsPair(ctx.client, ctx.server);
      const sent: Promise<unknown> = server[method](b("Hello World"));
      server.close();
      const outcome = await sent.then(
        (v) => `resolved ${v}`,
        (e) => `rejected ${e}`,
      );
      client.settimeout(5);
      const got = str(await recvUntilEnd(client));
      client.close();
      assertEquals(
        [outcome, got],
        [
          method === "send" ? "resolved 11" : "resolved undefined",
          "Hello World",
        ],
      );
    },
  );
}
