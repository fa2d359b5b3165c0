// Copyright the pysocket authors. MIT license.
// A connection made from a bound address (on Deno through its node:net)
// and closed with bytes unread resets its peer, read ahead or not, as
// Linux's close does (python3's answer); README, "Closing a connection
// with bytes unread".
import { assertEquals } from "@std/assert";
import * as socket from "../mod.ts";
import * as select from "../select.ts";
import { sleep, test } from "./_util.ts";

test("a connection from a bound address closed with bytes unread resets the peer, read ahead or not (as Linux)", async () => {
  for (const ahead of [false, true]) {
    using listener = socket.socket();
    listener.bind(["127.0.0.1", 0]);
    listener.listen(5);
    using client = socket.socket();
    client.bind(["127.0.0.1", 0]);
    client.settimeout(5);
    await client.connect(listener.getsockname());
    const [conn] = await listener.accept();
    using _conn = conn;
    conn.settimeout(5);
    await conn.sendall(new Uint8Array([1, 2, 3]));
    await sleep(50);
    if (ahead) await select.select([client], [], [], 0);
    client.close();
    await sleep(50);
    let got: string;
    try {
      got = `${(await conn.recv(10)).length} bytes`;
    } catch (err) {
      got = err instanceof socket.ConnectionResetError
        ? "ConnectionResetError"
        : String(err);
    }
    assertEquals(got, "ConnectionResetError", ahead ? "read ahead" : "unread");
  }
});
