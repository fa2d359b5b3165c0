// Copyright the pysocket authors. MIT license.
// Deno only: without --unstable-net (UDP over Deno's node:dgram), a program
// ends with a UDP socket left open as CPython's does, whether or not it
// ever received, and a receive that waits keeps it running until its
// datagram comes, the first as every later one.
import { assert, assertEquals } from "@std/assert";
import * as socket from "../../mod.ts";
import { b, Child, test } from "../_util.ts";

const mod = JSON.stringify(new URL("../../mod.ts", import.meta.url).href);

/** A child Deno without --unstable-net, running `script` (given on stdin). */
function child(script: string): Child {
  return new Child(Deno.execPath(), [
    "run",
    "--no-config",
    "--no-lock",
    "--allow-net=127.0.0.1",
    "-",
  ], {
    input: `import * as socket from ${mod};\n${script}`,
    env: { NO_COLOR: "1" },
    timeoutMs: 20_000,
  });
}

/** What each program does before it ends, its UDP socket left open. */
const ENDS_OPEN: Record<string, string> = {
  bind: `
const s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
s.bind(["127.0.0.1", 0]);`,
  sendto: `
const peer = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
peer.bind(["127.0.0.1", 0]);
const s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
await s.sendto(new Uint8Array(3), peer.getsockname());`,
  connect: `
const peer = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
peer.bind(["127.0.0.1", 0]);
const s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
await s.connect(peer.getsockname());
await s.send(new Uint8Array(3));`,
  timeout: `
const s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
s.bind(["127.0.0.1", 0]);
s.settimeout(0.2);
try { await s.recvfrom(16); } catch (e) { console.log(String(e)); }`,
};

test("without --unstable-net a program that bound, sent or timed out on a UDP socket ends with it open, as CPython's", async () => {
  await Promise.all(
    Object.entries(ENDS_OPEN).map(async ([mode, script]) => {
      await using c = child(`${script}\nconsole.log("end");`);
      assert(
        await c.exitsWithin(8_000),
        `${mode}: still running\n${c.stderr}`,
      );
      const { code, stdout, stderr } = await c.exit();
      assertEquals(code, 0, `${mode}: ${stderr}`);
      assertEquals(
        stdout.trim().split("\n"),
        mode === "timeout" ? ["TimeoutError: timed out", "end"] : ["end"],
      );
    }),
  );
});

test("without --unstable-net a recvfrom() that waits keeps the program running until its datagram comes, after one answered too", async () => {
  // In a function not awaited: no top-level await keeps the program.
  await using c = child(`
const s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
s.bind(["127.0.0.1", 0]);
console.log("port", s.getsockname()[1]);
(async () => {
  for (let i = 0; i < 2; i++) {
    const [data] = await s.recvfrom(16);
    console.log("got", new TextDecoder().decode(data));
  }
})();
`);
  const [, port] = await c.waitFor("stdout", /port (\d+)/);
  using u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  for (const word of ["first", "second"]) {
    assert(!await c.exitsWithin(700), `exited before ${word}:\n${c.stderr}`);
    await u.sendto(b(word), ["127.0.0.1", Number(port)]);
    await c.waitFor("stdout", new RegExp(`got ${word}`));
  }
  const { code, stdout, stderr } = await c.exit();
  assertEquals(code, 0, stderr);
  assertEquals(stdout.trim().split("\n").slice(1), ["got first", "got second"]);
});
