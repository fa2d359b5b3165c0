// Copyright the pysocket authors. MIT license.
// Deno only: a program run without --unstable-net (as one imported from JSR
// is) gets datagram sockets through Deno's node:dgram, with Deno's
// permissions asked first: a denied bind or send is a PermissionError that
// names the flag, never an uncaught exception.
import { assertEquals } from "@std/assert";
import { test } from "../_util.ts";
import { runDeno } from "./_child.ts";

/** Runs `script` with Deno's flags `flags`, no config (so no unstable net). */
async function runScript(
  script: string,
  flags: string[],
): Promise<{ code: number; out: string[]; err: string }> {
  const { code, stdout, stderr } = await runDeno(
    ["--no-config", "--no-lock", ...flags],
    script,
    { env: { NO_COLOR: "1" } },
  );
  return { code, out: stdout.trim().split("\n"), err: stderr };
}

const mod = JSON.stringify(new URL("../../mod.ts", import.meta.url).href);

test("SOCK_DGRAM works without --unstable-net, under a scoped --allow-net", async () => {
  const { code, out, err } = await runScript(
    `
import * as socket from ${mod};
console.log(typeof (Deno as any).listenDatagram);
const a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
a.bind(["127.0.0.1", 0]);
const c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
c.bind(["127.0.0.1", 0]);
await c.sendto(new TextEncoder().encode("ping"), a.getsockname());
const [data, from] = await a.recvfrom(100);
console.log(new TextDecoder().decode(data), JSON.stringify(from) === JSON.stringify(c.getsockname()));
a.close(); c.close();
`,
    ["--allow-net=127.0.0.1"],
  );
  assertEquals(code, 0, err);
  assertEquals(out, ["undefined", "ping true"]);
});

test("without --unstable-net a denied datagram bind or send is a PermissionError naming the flag", async () => {
  const { code, out, err } = await runScript(
    `
import * as socket from ${mod};
const s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
try { s.bind(["127.0.0.2", 0]); } catch (e) { console.log(e.constructor.name, e.message); }
s.bind(["127.0.0.1", 0]);
try { await s.sendto(new Uint8Array(1), ["127.0.0.3", 9]); } catch (e) { console.log(e.constructor.name, e.message); }
s.close();
`,
    ["--allow-net=127.0.0.1"],
  );
  assertEquals(code, 0, err);
  assertEquals(out, [
    'PermissionError [Errno 13] Permission denied: net access to "127.0.0.2:0" (run again with --allow-net=127.0.0.2)',
    'PermissionError [Errno 13] Permission denied: net access to "127.0.0.3:9" (run again with --allow-net=127.0.0.3:9)',
  ]);
});
