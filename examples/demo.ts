// Copyright the pysocket authors. MIT license.
/**
 * 运行测试 — the seed's demo in one command: starts `examples/server.ts`,
 * waits until it listens, runs `examples/client.ts`, shows what both print
 * (`[server] …`, `[client] …`) and stops the server. Exits 0 only when the
 * client printed "Hello World".
 *
 * ```sh
 * deno task demo                       # = deno run --allow-run examples/demo.ts
 * deno task demo --port 0              # any free port instead of 12345
 * ```
 *
 * @module
 */

import { parseArgs } from "@std/cli/parse-args";
import { start } from "./_host.ts";

const args = parseArgs(process.argv.slice(2), {
  string: ["port"],
  default: { port: "12345" },
});

const root = new URL("..", import.meta.url);
const script = (name: string) => new URL(`./${name}`, import.meta.url);
// The seed's programs need the network and the host name.
const perms = ["--allow-net", "--allow-sys=hostname"];

/** Prints each line of `stream` with `prefix`; resolves to all the text. */
async function show(
  stream: ReadableStream<Uint8Array>,
  prefix: string,
  onLine: (line: string) => void = () => {},
): Promise<string> {
  let text = "";
  let rest = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    text += chunk;
    const lines = (rest + chunk).split("\n");
    rest = lines.pop() ?? "";
    for (const line of lines) {
      console.log(`${prefix} ${line}`);
      onLine(line);
    }
  }
  if (rest !== "") {
    console.log(`${prefix} ${rest}`);
    onLine(rest);
  }
  return text;
}

const server = start(script("server.ts"), perms, [
  "--port",
  args.port,
  "--count",
  "1",
], root);

let ok = false;
try {
  // server.ts says `listening on ('127.0.0.1', 12345)` on stderr when ready.
  const { promise: listening, resolve, reject } = Promise.withResolvers<
    string
  >();
  const serverOut = show(server.stdout, "[server]");
  const serverErr = show(server.stderr, "[server]", (line) => {
    const m = /^listening on \('[^']*', (\d+)\)$/.exec(line);
    if (m) resolve(m[1]);
  });
  const timer = setTimeout(
    () => reject(new Error("the server did not start in 10 s")),
    10_000,
  );
  server.status.then((code) =>
    reject(new Error(`the server exited (code ${code})`))
  );
  let port: string;
  try {
    port = await listening;
  } finally {
    clearTimeout(timer);
  }

  const client = start(script("client.ts"), perms, ["--port", port], root);
  const [clientOut] = await Promise.all([
    show(client.stdout, "[client]"),
    show(client.stderr, "[client]"),
  ]);
  ok = await client.status === 0 && clientOut.trim() === "Hello World";
  if (ok) {
    // The server serves one client (--count 1), then exits: give it 5 s.
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      Promise.all([serverOut, serverErr]),
      new Promise((resolve) => timer = setTimeout(resolve, 5_000)),
    ]);
    clearTimeout(timer);
  }
} catch (err) {
  const message = err instanceof Error ? err.message : String(err);
  console.log(`demo: ${message}`);
  if (/exited/.test(message)) {
    console.log(`(port ${args.port} in use? try: deno task demo --port 0)`);
  }
} finally {
  server.kill();
  await server.status;
}

console.log(ok ? "demo: ok, the client printed Hello World" : "demo: FAILED");
process.exit(ok ? 0 : 1);
