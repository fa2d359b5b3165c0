// Copyright the pysocket authors. MIT license.
// Deno only: a missing Deno permission is a PermissionError (errno 13) whose
// message names the flag to add, for the network, the host name, name
// resolution and Unix socket paths. Each runs in a child Deno with only the
// flags given, or with Deno.test's permissions.
import { assert, assertEquals, assertRejects, assertThrows } from "@std/assert";
import { getaddrinfo, gethostname, PermissionError } from "../../mod.ts";
import { b, freePort, test } from "../_util.ts";

const MOD = new URL("../../mod.ts", import.meta.url).href;

/**
 * Runs `body` in a child Deno with only `flags`; `body` sets `result`.
 * Returns what the child printed as JSON.
 */
async function child(
  flags: string[],
  body: string,
): Promise<Record<string, unknown>> {
  const script = `
import * as socket from ${JSON.stringify(MOD)};
const port = Number(Deno.args[0] ?? 0);
let result;
try {
  ${body}
  result = { ok: true };
} catch (err) {
  result = {
    name: err?.name,
    className: err?.constructor?.name,
    message: err?.message,
    errno: err?.errno,
    strerror: err?.strerror,
    isPermissionError: err instanceof socket.PermissionError,
    isOSError: err instanceof socket.OSError,
    isDeno: Object.values(Deno.errors).some((C) => err instanceof C),
  };
}
console.log(JSON.stringify(result));
`;
  const cmd = new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", "--allow-read", ...flags, "-", "0"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  });
  const proc = cmd.spawn();
  const writer = proc.stdin.getWriter();
  await writer.write(b(script));
  await writer.close();
  const out = await proc.output();
  const text = new TextDecoder().decode(out.stdout).trim();
  assert(
    out.success && text !== "",
    `child failed: ${new TextDecoder().decode(out.stderr)}`,
  );
  return JSON.parse(text);
}

/** Asserts the child's error is the PermissionError for `what`/`flag`. */
function assertPermission(
  got: Record<string, unknown>,
  kind: string,
  what: string,
  grant: string = what,
): void {
  assertEquals(got, {
    name: "PermissionError",
    className: "PermissionError",
    message:
      `[Errno 13] Permission denied: ${kind} access to "${what}" (run again with --allow-${kind}=${grant})`,
    errno: 13,
    strerror: "Permission denied",
    isPermissionError: true,
    isOSError: true,
    isDeno: false,
  });
}

test("bind() without --allow-net raises PermissionError naming the flag", async () => {
  const port = freePort();
  const got = await child(
    ["--allow-net=127.0.0.1:1"],
    `using s = socket.socket(); s.bind(["127.0.0.1", ${port}]);`,
  );
  assertPermission(got, "net", `127.0.0.1:${port}`);
});

test("listen() on an unbound socket without --allow-net raises PermissionError", async () => {
  const got = await child(
    ["--allow-net=127.0.0.1:1"],
    `using s = socket.socket(); s.listen();`,
  );
  // Port 0 means any port: the flag to add grants the host alone.
  assertPermission(got, "net", "0.0.0.0:0", "0.0.0.0");
});

test("connect() without --allow-net raises PermissionError naming the flag", async () => {
  const port = freePort();
  const got = await child(
    ["--allow-net=127.0.0.1:1"],
    `using s = socket.socket(); await s.connect(["127.0.0.1", ${port}]);`,
  );
  assertPermission(got, "net", `127.0.0.1:${port}`);
});

test("connect_ex() without --allow-net raises PermissionError, not a number", async () => {
  const port = freePort();
  const got = await child(
    ["--allow-net=127.0.0.1:1"],
    `using s = socket.socket(); await s.connect_ex(["127.0.0.1", ${port}]);`,
  );
  assertPermission(got, "net", `127.0.0.1:${port}`);
});

test("gethostname() without --allow-sys raises PermissionError naming the flag", async () => {
  const got = await child([], `socket.gethostname();`);
  assertPermission(got, "sys", "hostname");
});

test("gethostname() names the missing --allow-sys flag", () => {
  assertThrows(
    () => gethostname(),
    PermissionError,
    '[Errno 13] Permission denied: sys access to "hostname" (run again with --allow-sys=hostname)',
  );
}, { permissions: { sys: false } });

test("getaddrinfo() names the missing --allow-net flag", async () => {
  await assertRejects(
    () => getaddrinfo("localhost", 80),
    PermissionError,
    '[Errno 13] Permission denied: net access to "localhost" (run again with --allow-net=localhost)',
  );
  // Literals need no lookup, so no permission.
  assertEquals((await getaddrinfo("127.0.0.1", 80)).length, 3);
}, { permissions: { net: false, read: true } });

async function tempPath(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "pysocket_" });
  return `${dir}/s.sock`;
}

test("AF_UNIX: a missing --allow-write is a PermissionError naming the flag", async () => {
  const path = await tempPath();
  const code = `
    import * as socket from ${
    JSON.stringify(new URL("../../mod.ts", import.meta.url).href)
  };
    try { socket.socket(socket.AF_UNIX).bind(${JSON.stringify(path)}); }
    catch (e) { console.log(e.constructor.name + ": " + e.message); }`;
  const script = await Deno.makeTempFile({ suffix: ".ts" });
  await Deno.writeTextFile(script, code);
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", "--no-config", "--allow-read", script],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assertEquals(
    new TextDecoder().decode(out.stdout).trim(),
    `PermissionError: [Errno 13] Permission denied: write access to "${path}" (run again with --allow-write=${path})`,
  );
  await Deno.remove(script);
  await Deno.remove(path.slice(0, path.lastIndexOf("/")), { recursive: true });
});
