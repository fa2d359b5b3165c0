// Copyright the pysocket authors. MIT license.
// A socket with a timeout leaves its wait's runtime timer armed between
// calls (deadlines.ts), unreferenced: a program that is done exits at once,
// as CPython's does, whatever timeout its sockets have.

import { assertEquals } from "@std/assert";
import * as socket from "../mod.ts";
import { bounded, describe, test, withScript } from "./_util.ts";

test("a program whose timed recv() returned exits at once, its sockets still open", async () => {
  await withScript(
    (mod) =>
      `import * as socket from ${JSON.stringify(mod)};
const [a, b] = await socket.socketpair();
a.settimeout(30);
await b.sendall(new Uint8Array([120]));
console.log((await a.recv(1)).length);
console.log("done");
`,
    40_000,
    async (child) => {
      await child.waitFor("stdout", /^done$/m, 10_000);
      const doneAt = Date.now();
      const { code, stdout } = await bounded(child.exit(), 35_000, "the exit");
      assertEquals([code, stdout], [0, "1\ndone\n"]);
      const took = Date.now() - doneAt;
      // (The timeout is 30 s: a timer that held the process would show.)
      if (took > 5_000) {
        throw new Error(`exited ${took} ms after its last call`);
      }
    },
  );
});

test("close() during a timed recv() leaves no timer behind (the test's sanitizers check)", async () => {
  const [a, b] = await socket.socketpair();
  a.settimeout(30);
  const pending = a.recv(1).then(() => "returned", (err) => describe(err));
  b.close();
  a.close();
  assertEquals(await pending, "OSError 9 [Errno 9] Bad file descriptor");
});

test("socket.close(fd) of a detached socket's descriptor after a timed recv() leaves no timer behind (the test's sanitizers check)", async () => {
  const [a, b] = await socket.socketpair();
  b.settimeout(5);
  await a.sendall(new Uint8Array([1]));
  assertEquals((await b.recv(10)).length, 1);
  a.close();
  socket.close(b.detach());
});
