// Copyright the pysocket authors. MIT license.
// Deno only: Deno's datagram sockets need --unstable-net; without it,
// socket(SOCK_DGRAM) is an OSError that says what to do, and TCP still works.
import { assertEquals } from "@std/assert";
import { b, str, test } from "../_util.ts";

test("socket(SOCK_DGRAM) without --unstable-net says what to do", async () => {
  const mod = new URL("../../mod.ts", import.meta.url).href;
  const script = `
import * as socket from ${JSON.stringify(mod)};
try {
  socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  console.log("made");
} catch (err) {
  console.log(err.constructor.name, err.errno, err instanceof socket.OSError);
  console.log(err.message);
}
using tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM);
console.log("tcp ok");
`;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-config", "--no-lock", "-"],
    env: { NO_COLOR: "1" },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(b(script));
  await writer.close();
  const { code, stdout, stderr } = await child.output();
  const out = str(stdout);
  assertEquals(code, 0, str(stderr));
  const [kind, message, tcp] = out.trim().split("\n");
  assertEquals(kind, "OSError 94 true");
  assertEquals(
    message,
    '[Errno 94] Socket type not supported: SOCK_DGRAM needs Deno\'s datagram sockets: run with --unstable-net, or add "unstable": ["net"] to deno.json',
  );
  assertEquals(tcp, "tcp ok");
});
