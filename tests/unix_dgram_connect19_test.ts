// Copyright the pysocket authors. MIT license.
// connect() of an AF_UNIX datagram socket finds its peer as Linux's does
// (unix_find_other()): a path that is no datagram socket raises at once,
// [Errno 111] or [Errno 91], as python3 3.11's connect() does, so that
// logging.handlers.SysLogHandler falls back to a stream socket.
import { assertEquals } from "@std/assert";
import * as socket from "../mod.ts";
import { expected } from "./_caps.ts";
import {
  b,
  bounded,
  Child,
  inTempDir,
  runtimeArgv,
  str,
  symlink,
  test,
  writeTextFile,
} from "./_util.ts";

const { AF_UNIX, SOCK_DGRAM } = socket;
const NO_UNIX = !expected.unixDatagram && "no Unix datagram sockets here";

/** An outcome as `Class: message`, `"ok"` for none. */
const say = (err: unknown): string =>
  err === null
    ? "ok"
    : `${(err as Error).constructor.name}: ${(err as Error).message}`;

test(
  "connect() of an AF_UNIX datagram socket to a regular file or a directory is [Errno 111] at once, and the old peer stays (python3's answers)",
  () =>
    inTempDir(async (dir) => {
      await writeTextFile(`${dir}/file`, "");
      using a = socket.socket(AF_UNIX, SOCK_DGRAM);
      a.bind(`${dir}/a`);
      using d = socket.socket(AF_UNIX, SOCK_DGRAM);
      for (const path of [`${dir}/file`, dir, `${dir}/`]) {
        const err = await d.connect(path).then(() => null, say);
        assertEquals(
          err,
          "ConnectionRefusedError: [Errno 111] Connection refused",
        );
      }
      await d.connect(`${dir}/a`);
      const err = await d.connect(`${dir}/file`).then(() => null, say);
      assertEquals(
        err,
        "ConnectionRefusedError: [Errno 111] Connection refused",
      );
      assertEquals(d.getpeername(), `${dir}/a`);
      await d.send(b("still a"));
      assertEquals(str(await a.recv(100)), "still a");
    }),
  { ignore: NO_UNIX },
);

/**
 * A program that meets each kind of path with a Unix datagram socket's
 * connect() (unbound and bound), then does what SysLogHandler does for a
 * stream listener's path, and prints one line per step: `name: outcome`.
 */
function program(dir: string): string {
  const mod = new URL("../mod.ts", import.meta.url).href;
  return `import * as socket from ${JSON.stringify(mod)};
import { mkdirSync } from "node:fs";
import process from "node:process";
const { AF_UNIX, SOCK_DGRAM, SOCK_STREAM } = socket;
const dir = ${JSON.stringify(dir)};
const say = (e: unknown) =>
  e === null ? "ok" : \`\${(e as Error).constructor.name}: \${(e as Error).message}\`;
const listener = socket.socket(AF_UNIX, SOCK_STREAM);
listener.bind(\`\${dir}/listen\`);
listener.listen();
const bound = socket.socket(AF_UNIX, SOCK_STREAM);
bound.bind(\`\${dir}/bound\`);
const abstract = socket.socket(AF_UNIX, SOCK_STREAM);
abstract.bind("\\0pysocket-dgram19-" + dir.split("/").pop());
abstract.listen();
const stale = socket.socket(AF_UNIX, SOCK_DGRAM);
stale.bind(\`\${dir}/stale\`);
stale.close();
const peer = socket.socket(AF_UNIX, SOCK_DGRAM);
peer.bind(\`\${dir}/peer\`);
peer.settimeout(5);
// Bound by a relative name in another directory (a daemon's chdir):
// /proc/net/unix names it "rel", which this directory does not reach.
mkdirSync(\`\${dir}/sub\`);
const here = process.cwd();
process.chdir(\`\${dir}/sub\`);
const rel = socket.socket(AF_UNIX, SOCK_DGRAM);
rel.bind("rel");
rel.settimeout(5);
process.chdir(here);
const targets = ["listen", "bound", "stale", "link-listen", "link-peer", "link-rel", "peer", "@abstract", "@none"];
let n = 0;
for (const bind of [false, true]) {
  for (const t of targets) {
    const s = socket.socket(AF_UNIX, SOCK_DGRAM);
    if (bind) s.bind(\`\${dir}/me\${n++}\`);
    const path = t === "@abstract"
      ? "\\0pysocket-dgram19-" + dir.split("/").pop()
      : t === "@none" ? "\\0pysocket-dgram19-none" : \`\${dir}/\${t}\`;
    let outcome = await s.connect(path).then(() => null, (e) => e);
    if (outcome === null && (t.endsWith("peer") || t === "link-rel")) {
      await s.send(new TextEncoder().encode(t));
      const got = new TextDecoder().decode(await (t === "link-rel" ? rel : peer).recv(100));
      outcome = got === t ? null : new Error(\`got \${got}\`);
    }
    console.log(\`\${bind ? "bound" : "unbound"} \${t}: \${say(outcome)}\`);
    s.close();
  }
}
// SysLogHandler._connect_unixsocket(): SOCK_DGRAM first, SOCK_STREAM on OSError.
let sock = socket.socket(AF_UNIX, SOCK_DGRAM);
try {
  await sock.connect(\`\${dir}/listen\`);
  console.log("syslog: datagram connected");
} catch (e) {
  console.log(\`syslog: datagram \${say(e)}\`);
  sock.close();
  sock = socket.socket(AF_UNIX, SOCK_STREAM);
  await sock.connect(\`\${dir}/listen\`);
  await sock.sendall(new TextEncoder().encode("<14>hello\\0"));
  const [conn] = await listener.accept();
  console.log(\`syslog: stream got \${new TextDecoder().decode(await conn.recv(100))}\`);
  conn.close();
}
sock.close();
for (const s of [listener, bound, abstract, peer, rel]) s.close();
`;
}

test(
  "connect() of an AF_UNIX datagram socket where /proc/net/unix can be read (Deno: --allow-all) raises [Errno 91] for a stream socket and [Errno 111] for a stale file or an abstract name no datagram socket has, as python3's; SysLogHandler then falls back to a stream socket",
  () =>
    inTempDir(async (dir) => {
      await symlink(`${dir}/listen`, `${dir}/link-listen`);
      await symlink(`${dir}/peer`, `${dir}/link-peer`);
      await symlink(`${dir}/sub/rel`, `${dir}/link-rel`);
      const script = `${dir}/prog.ts`;
      await writeTextFile(script, program(dir));
      const [cmd, ...args] = runtimeArgv(script, {
        denoFlags: ["--unstable-net", "--allow-all"],
      });
      await using child = new Child(cmd, args, {
        env: { NO_COLOR: "1" },
        timeoutMs: 20_000,
      });
      const { code, stdout, stderr } = await bounded(
        child.exit(),
        25_000,
        "the child",
      );
      assertEquals(code, 0, stderr);
      const PROTOTYPE = "OSError: [Errno 91] Protocol wrong type for socket";
      const REFUSED = "ConnectionRefusedError: [Errno 111] Connection refused";
      assertEquals(stdout.trim().split("\n"), [
        `unbound listen: ${PROTOTYPE}`,
        `unbound bound: ${PROTOTYPE}`,
        `unbound stale: ${REFUSED}`,
        `unbound link-listen: ${PROTOTYPE}`,
        "unbound link-peer: ok",
        "unbound link-rel: ok",
        "unbound peer: ok",
        `unbound @abstract: ${REFUSED}`,
        `unbound @none: ${REFUSED}`,
        `bound listen: ${PROTOTYPE}`,
        `bound bound: ${PROTOTYPE}`,
        `bound stale: ${REFUSED}`,
        `bound link-listen: ${PROTOTYPE}`,
        "bound link-peer: ok",
        "bound link-rel: ok",
        "bound peer: ok",
        `bound @abstract: ${REFUSED}`,
        `bound @none: ${REFUSED}`,
        `syslog: datagram ${PROTOTYPE}`,
        "syslog: stream got <14>hello\0",
      ]);
    }),
  { ignore: NO_UNIX },
);
