// Copyright the pysocket authors. MIT license.
// Deno only: a missing Deno permission is a PermissionError (errno 13) whose
// message names the flag to add, for the network, the host name, name
// resolution and Unix socket paths. Each runs in a child Deno with only the
// flags given, or with Deno.test's permissions.
import { assert, assertEquals, assertRejects, assertThrows } from "@std/assert";
import * as socket from "../../mod.ts";
import {
  getaddrinfo,
  gethostname,
  getnameinfo,
  getservbyname,
  getservbyport,
  if_indextoname,
  if_nameindex,
  if_nametoindex,
  NI_NUMERICHOST,
  PermissionError,
} from "../../mod.ts";
import { freePort, test } from "../_util.ts";
import { runDenoJson } from "./_child.ts";

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
const out = {};
try {
  ${body}
  result = { ok: true, ...out };
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
  return await runDenoJson(["--no-prompt", "--allow-read", ...flags], script, {
    scriptArgs: ["0"],
    cwd: new URL(".", import.meta.url),
  });
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

test("connect() after bind() needs the grants of both addresses, and no more", async () => {
  await using server = socket.create_server(["127.0.0.1", 0]);
  const port = server.getsockname()[1];
  const local = freePort();
  const bindAndConnect = (host: string) =>
    `using s = socket.socket(); s.bind(["127.0.0.1", ${local}]);
     await s.connect([${JSON.stringify(host)}, ${port}]);
     out.local = s.getsockname(); out.peer = s.getpeername();`;
  // Deno's node:net connects from the address; it is asked for no grant of
  // its own (port 0, the resolved address).
  for (const host of ["127.0.0.1", "localhost"]) {
    const accepted = server.accept();
    const got = await child(
      [`--allow-net=127.0.0.1:${local},${host}:${port}`],
      bindAndConnect(host),
    );
    assertEquals(got, {
      ok: true,
      local: ["127.0.0.1", local],
      peer: ["127.0.0.1", port],
    });
    const [conn, peer] = await accepted;
    assertEquals(peer, ["127.0.0.1", local]);
    conn.close();
  }
  // Without the destination's grant: Deno's own error for it, raised by
  // connect() (Deno's node:net would throw it past every handler).
  const denied = await child(
    [`--allow-net=127.0.0.1:${local}`],
    bindAndConnect("127.0.0.1"),
  );
  assertPermission(denied, "net", `127.0.0.1:${port}`);
  // Bound to port 0 under a grant of port 0 alone, the socket has a port
  // that no grant covers: connecting from it needs that port's grant.
  const unbound = await child(
    [`--allow-net=127.0.0.1:0,127.0.0.1:${port}`],
    `using s = socket.socket(); s.bind(["127.0.0.1", 0]);
     await s.connect(["127.0.0.1", ${port}]);`,
  );
  const mine = /net access to "127\.0\.0\.1:(\d+)"/.exec(
    String(unbound.message),
  )?.[1];
  assert(mine !== undefined && Number(mine) !== port, String(unbound.message));
  assertPermission(unbound, "net", `127.0.0.1:${mine}`);
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

for (const read of [false, ["/sys/class/net"]]) {
  test(
    `if_nameindex(), if_nametoindex() and if_indextoname() with read ${read}: the PermissionError names --allow-all, the flag that works (Deno reads /sys/class/net with it only)`,
    () => {
      const message =
        '[Errno 13] Permission denied: all access to "/sys/class/net" (run again with --allow-all)';
      assertThrows(() => if_nameindex(), PermissionError, message);
      assertThrows(() => if_nametoindex("lo"), PermissionError, message);
      assertThrows(() => if_indextoname(1), PermissionError, message);
    },
    { permissions: { read, net: true } },
  );
}

test(
  "without --allow-read, the built-in services table answers as Debian's /etc/services: port 514 is shell over TCP, syslog over UDP (python3's answers)",
  async () => {
    assertEquals(getservbyport(514), "shell");
    assertEquals(getservbyport(514, "tcp"), "shell");
    assertEquals(getservbyport(514, "udp"), "syslog");
    assertEquals(getservbyname("syslog", "tcp"), 514);
    assertEquals(getservbyname("cmd"), 514);
    assertEquals(await getnameinfo(["127.0.0.1", 514], NI_NUMERICHOST), [
      "127.0.0.1",
      "shell",
    ]);
  },
  { permissions: { read: false, net: true } },
);

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

// The narrowest grant a call needs: what the destination implies.

test("create_connection() to a host name needs only --allow-net=name:port", async () => {
  await using server = socket.create_server(["127.0.0.1", 0]);
  const port = server.getsockname()[1];
  const accepted = server.accept();
  const got = await child(
    [`--allow-net=localhost:${port}`],
    `using s = await socket.create_connection(["localhost", ${port}], 2.5);
     out.peer = s.getpeername(); out.family = s.family;
     out.proto = s.proto; out.timeout = s.gettimeout();`,
  );
  assertEquals(got, {
    ok: true,
    peer: ["127.0.0.1", port],
    family: socket.AF_INET,
    proto: socket.IPPROTO_TCP,
    timeout: 2.5,
  });
  const [conn] = await accepted;
  conn.close();
});

test("create_connection() by name: the PermissionError names name:port, the grant that suffices", async () => {
  const port = freePort();
  const got = await child(
    ["--allow-net=127.0.0.1"],
    `await socket.create_connection(["localhost", ${port}]);`,
  );
  assertPermission(got, "net", `localhost:${port}`);
});

test("create_connection() under --allow-net=name (any port) connects without the address's grant", async () => {
  await using server = socket.create_server(["127.0.0.1", 0]);
  const port = server.getsockname()[1];
  const accepted = server.accept();
  const got = await child(
    ["--allow-net=localhost"],
    `using s = await socket.create_connection(["localhost", ${port}]);
     out.peer = s.getpeername();`,
  );
  assertEquals(got, { ok: true, peer: ["127.0.0.1", port] });
  const [conn] = await accepted;
  conn.close();
});

test("create_connection() by name under name:port: refused, and all_errors groups the one attempt", async () => {
  const port = freePort();
  const got = await child(
    [`--allow-net=localhost:${port}`],
    `try {
       await socket.create_connection(["localhost", ${port}], null, null, { all_errors: true });
     } catch (e) {
       out.group = e instanceof socket.ExceptionGroup;
       out.message = e.message;
       out.inner = e.exceptions.map((x) => [x.constructor.name, x.message]);
     }
     try { await socket.create_connection(["localhost", ${port}]); }
     catch (e) { out.single = [e.constructor.name, e.message]; }`,
  );
  assertEquals(got, {
    ok: true,
    group: true,
    message: "create_connection failed (1 sub-exception)",
    inner: [["ConnectionRefusedError", "[Errno 111] Connection refused"]],
    single: ["ConnectionRefusedError", "[Errno 111] Connection refused"],
  });
});

for (const unstable of [true, false]) {
  const how = unstable ? "Deno.listenDatagram" : "node:dgram";
  const flags = unstable ? ["--unstable-net"] : ["--no-config"];
  test(`sendto() without bind (${how}): --allow-net=127.0.0.1 is enough, and the socket is bound to it`, async () => {
    await using receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
    receiver.bind(["127.0.0.1", 0]);
    const port = receiver.getsockname()[1];
    const got = await child(
      [...flags, "--allow-net=127.0.0.1"],
      `using u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
       await u.sendto(new TextEncoder().encode("hi"), ["127.0.0.1", ${port}]);
       out.local = u.getsockname();`,
    );
    const [data, from] = await receiver.recvfrom(16);
    assertEquals(new TextDecoder().decode(data), "hi");
    assertEquals(got, { ok: true, local: from });
    assertEquals(from[0], "127.0.0.1");
  });

  test(`sendto() without bind (${how}): with 0.0.0.0 granted it binds the wildcard, as Linux`, async () => {
    await using receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
    receiver.bind(["127.0.0.1", 0]);
    const port = receiver.getsockname()[1];
    const got = await child(
      [...flags, "--allow-net"],
      `using u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
       await u.sendto(new TextEncoder().encode("hi"), ["127.0.0.1", ${port}]);
       out.local = u.getsockname();`,
    );
    const [, from] = await receiver.recvfrom(16);
    assertEquals(got, { ok: true, local: ["0.0.0.0", from[1]] });
  });

  test(`connect() on UDP without bind (${how}): --allow-net=[::1] is enough for ::1`, async () => {
    await using receiver = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM);
    receiver.bind(["::1", 0]);
    const port = receiver.getsockname()[1];
    const got = await child(
      [...flags, "--allow-net=[::1]"],
      `using u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM);
       await u.connect(["::1", ${port}]);
       await u.send(new TextEncoder().encode("v6"));
       out.local = u.getsockname().slice(0, 2);`,
    );
    const [data, from] = await receiver.recvfrom(16);
    assertEquals(new TextDecoder().decode(data), "v6");
    assertEquals(got, { ok: true, local: ["::1", from[1]] });
  });

  test(`sendto() without bind (${how}): a missing grant names the loopback address, not 0.0.0.0`, async () => {
    const got = await child(
      [...flags, "--allow-net=127.0.0.1:9"],
      `using u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
       await u.sendto(new Uint8Array(1), ["127.0.0.1", 9]);`,
    );
    assertPermission(got, "net", "127.0.0.1:0", "127.0.0.1");
  });

  test(`send() without a destination (${how}): [Errno 89] under --allow-net=127.0.0.1, the socket left unbound`, async () => {
    // Linux binds the socket (to 0.0.0.0) before it answers EDESTADDRREQ;
    // without the grant for 0.0.0.0 that bind is not made, and the call's
    // own error is what it raises, not the bind's PermissionError.
    const got = await child(
      [...flags, "--allow-net=127.0.0.1"],
      `using u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
       try { await u.send(new Uint8Array(1)); }
       catch (e) { out.error = [e.constructor.name, e.message]; }
       out.local = u.getsockname();`,
    );
    assertEquals(got, {
      ok: true,
      error: ["OSError", "[Errno 89] Destination address required"],
      local: ["0.0.0.0", 0],
    });
  });
}

test("create_server() without the grant: CPython's bind message, with the grant to add kept", async () => {
  const got = await child(
    ["--allow-net=localhost:1"],
    `socket.create_server(["127.0.0.1", 0]);`,
  );
  assertEquals(got.className, "PermissionError");
  assertEquals(got.errno, 13);
  assertEquals(
    got.message,
    `[Errno 13] Permission denied: net access to "127.0.0.1:0" (run again with --allow-net=127.0.0.1) (while attempting to bind on address ('127.0.0.1', 0))`,
  );
});
