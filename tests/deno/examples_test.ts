// Copyright the pysocket authors. MIT license.
// Deno only: the seed's examples under Deno's permission flags. With
// --allow-net scoped to one host and port they still talk to each other
// (without --allow-sys=hostname, on "localhost", saying so); without
// --allow-net, server.ts fails with the PermissionError naming the flag.
import { assert, assertEquals, assertMatch } from "@std/assert";
import * as socket from "../../mod.ts";
import { Child, freePort, noSeedDemo, test } from "../_util.ts";

const root = new URL("../..", import.meta.url);
const example = (name: string) =>
  new URL(`../../examples/${name}`, import.meta.url).href;

/** Starts `deno run --no-prompt <args>` in the repository's root. */
function start(args: string[]): Child {
  return new Child(Deno.execPath(), ["run", "--no-prompt", ...args], {
    cwd: root,
    env: { NO_COLOR: "1" },
  });
}

/**
 * Runs `deno run --no-prompt <args>` to its end with `Deno.Command`. Not
 * with node:child_process: spawning Deno through it with no permission flag
 * at all gets `-A` added, as Node has no permissions (denoland/deno#35443).
 */
async function runBare(
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", ...args],
    cwd: root,
    env: { NO_COLOR: "1" },
    stdin: "null",
  }).output();
  const text = new TextDecoder();
  return {
    code: out.code,
    stdout: text.decode(out.stdout),
    stderr: text.decode(out.stderr),
  };
}

/** `false`, or why the seed's demo cannot run here (python3, host name). */
const noSeed = await noSeedDemo();

const NOTE =
  'note: --allow-sys=hostname not granted; using "localhost" instead of gethostname()\n';

for (
  const { flags, note } of [
    // No --allow-sys=hostname: "localhost", with a note.
    { flags: (port: string) => [`--allow-net=localhost:${port}`], note: NOTE },
    // The seed's gethostname(), with --allow-net scoped to it.
    {
      flags: (port: string) => [
        "--allow-sys=hostname",
        `--allow-net=${socket.gethostname()}:${port}`,
      ],
      note: "",
    },
  ]
) {
  const scoped = flags("P").join(" ");
  test(
    `examples/server.ts and client.ts talk to each other with ${scoped}`,
    async () => {
      const port = String(freePort());
      const server = start([
        ...flags(port),
        example("server.ts"),
        "--port",
        port,
        "--count",
        "1",
      ]);
      let client;
      let host;
      try {
        [, host] = await server.waitFor(
          "stderr",
          /^listening on \('([^']+)', \d+\)$/m,
        );
        client = await start([
          ...flags(port),
          example("client.ts"),
          "--port",
          port,
        ]).exit();
        if (client.code !== 0) {
          throw new Error(`client failed: ${client.stderr}`);
        }
      } catch (err) {
        await server.kill();
        throw err;
      }
      assertEquals(client.stdout, "Hello World\n", client.stderr);
      assertEquals(client.stderr, note);
      const { code, stdout, stderr } = await server.exit();
      assertEquals(code, 0, stderr);
      assertEquals(stderr, `${note}listening on ('${host}', ${port})\n`);
      assertMatch(stdout, new RegExp(`^连接地址: \\('${host}', \\d+\\)\n$`));
      if (note) assertEquals(host, "127.0.0.1");
    },
    { ignore: note === "" && noSeed },
  );
}

test("examples/server.ts without --allow-net names the flag to add", async () => {
  const { code, stdout, stderr } = await runBare([example("server.ts")]);
  assertEquals(code, 1);
  assertEquals(stdout, "");
  assertMatch(
    stderr,
    /^error: Uncaught \(in promise\) PermissionError: \[Errno 13\] Permission denied: net access to "localhost:12345" \(run again with --allow-net=localhost:12345\)$/m,
  );

  const named = await runBare(["--allow-sys=hostname", example("server.ts")]);
  assertEquals(named.code, 1);
  const host = socket.gethostname();
  assert(
    named.stderr.includes(
      `PermissionError: [Errno 13] Permission denied: net access to "${host}:12345" (run again with --allow-net=${host}:12345)`,
    ),
    named.stderr,
  );
});
