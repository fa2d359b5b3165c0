// Copyright the pysocket authors. MIT license.
// The ports that closed connections may still hold (TIME_WAIT) are kept
// only where Linux's kernel keeps them: a connection whose peer ended
// first closes through LAST_ACK to CLOSED, holding nothing, so a server
// keeps nothing for the connections it served that way (it kept each for
// a minute, about 1.3 KiB of memory per connection served).

import { assertEquals } from "@std/assert";
import * as socket from "../mod.ts";
import { processState } from "../src/_io/fd_table.ts";
import { b, test } from "./_util.ts";

test("connections whose peer ended first leave no port claim behind when they close", async () => {
  const N = 200;
  const srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM);
  srv.bind(["127.0.0.1", 0]);
  srv.listen(128);
  const addr = srv.getsockname();
  try {
    for (let i = 0; i < N; i++) {
      const c = socket.socket(socket.AF_INET, socket.SOCK_STREAM);
      await c.connect(addr);
      const [a] = await srv.accept();
      c.close();
      assertEquals(await a.recv(1), b(""));
      a.close();
    }
  } finally {
    srv.close();
  }
  // (Counted on the listener's port: the table is the process's, and its
  // entries of earlier tests expire meanwhile.)
  assertEquals(processState.ports.closingOn.get(addr[1])?.size ?? 0, 0);
});

test("a connection the server closed first keeps its port claim (TIME_WAIT)", async () => {
  const srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM);
  srv.bind(["127.0.0.1", 0]);
  srv.listen(1);
  const addr = srv.getsockname();
  const c = socket.socket(socket.AF_INET, socket.SOCK_STREAM);
  try {
    await c.connect(addr);
    const [a] = await srv.accept();
    a.close();
    assertEquals(await c.recv(1), b(""));
  } finally {
    c.close();
    srv.close();
  }
  assertEquals(processState.ports.closingOn.get(addr[1])?.size ?? 0, 1);
});
