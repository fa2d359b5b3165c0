// Copyright the pysocket authors. MIT license.
// Deno only: where a missing permission is raised, and what it names, for
// calls that took it late or named a flag that cannot help (a UDP connect(),
// a non-blocking connect, an abstract Unix name, a capath, a --deny-net).
// Each runs in a child Deno with only the flags given (with and without
// --unstable-net where datagrams are concerned).
import { assert, assertEquals } from "@std/assert";
import * as socket from "../../mod.ts";
import { freePort, test } from "../_util.ts";
import { runDenoJson } from "./_child.ts";

const MOD = new URL("../../mod.ts", import.meta.url).href;
const SSL = new URL("../../ssl.ts", import.meta.url).href;

/** Runs `body` in a child Deno with only `flags`; returns its JSON `out`. */
async function child(
  flags: string[],
  body: string,
): Promise<Record<string, unknown>> {
  const script = `
import * as socket from ${JSON.stringify(MOD)};
import * as ssl from ${JSON.stringify(SSL)};
const out = {};
const err = (e) => [e?.constructor?.name, e?.message];
try {
  ${body}
} catch (e) {
  out.uncaught = err(e);
}
console.log(JSON.stringify(out));
`;
  return await runDenoJson(["--no-prompt", "--no-config", ...flags], script);
}

/** The PermissionError message for net access to `what`. */
function netDenied(what: string): string {
  return `[Errno 13] Permission denied: net access to "${what}" (run again with --allow-net=${what})`;
}

for (const unstable of [true, false]) {
  const how = unstable ? "Deno.listenDatagram" : "node:dgram";
  const flags = unstable ? ["--unstable-net"] : [];

  // A TCP connect() to an address not granted raises from connect(); a UDP
  // one took the peer, and only the first send() raised (every send after
  // it too: the good peer was gone).
  test(`UDP connect() (${how}) to an address not granted raises PermissionError, keeping the old peer`, async () => {
    await using receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
    receiver.bind(["127.0.0.1", 0]);
    receiver.settimeout(5);
    const port = receiver.getsockname()[1] as number;
    const local = freePort();
    const denied = freePort();
    const got = await child(
      [...flags, `--allow-net=127.0.0.1:${port},127.0.0.1:${local}`],
      `using u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
       u.bind(["127.0.0.1", ${local}]);
       await u.connect(["127.0.0.1", ${port}]);
       try { await u.connect(["127.0.0.1", ${denied}]); out.connect = "ok"; }
       catch (e) { out.connect = err(e); }
       out.peer = u.getpeername();
       await u.send(new TextEncoder().encode("still"));`,
    );
    assertEquals(got, {
      connect: ["PermissionError", netDenied(`127.0.0.1:${denied}`)],
      peer: ["127.0.0.1", port],
    });
    const [data] = await receiver.recvfrom(16);
    assertEquals(new TextDecoder().decode(data), "still");
  });

  // TCP's bind(("localhost", port)) is granted by --allow-net=localhost:port,
  // and UDP's with --unstable-net. Deno's node:dgram binds addresses only,
  // and asks for the address's grant itself (README, Permissions): the
  // PermissionError names it.
  test(`UDP bind(("localhost", port)) (${how}) under --allow-net=localhost:port`, async () => {
    const port = freePort();
    const got = await child(
      [...flags, `--allow-net=localhost:${port}`],
      `using u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
       try { u.bind(["localhost", ${port}]); out.bind = "ok"; }
       catch (e) { out.bind = err(e); }`,
    );
    assertEquals(got, {
      bind: unstable ? "ok" : [
        "PermissionError",
        netDenied(`127.0.0.1:${port}`),
      ],
    });
    const readme = await Deno.readTextFile(
      new URL("../../README.md", import.meta.url),
    );
    assert(
      /Without `--unstable-net`, a UDP `bind\(\("localhost", port\)\)` needs the\s+address's\s+grant/
        .test(readme),
      "README: a UDP bind by name without --unstable-net",
    );
  });
}

// No scoped --allow-net names an abstract Unix name (a NUL cannot be in an
// argument; pysocket's own are random): the error named
// "--allow-net=unix:\0<name>", with the NUL in it.
const ABSTRACT_CASES: [string, string[], string, string][] = [
  [
    "socketpair(AF_UNIX)",
    [],
    `const [x, y] = await socket.socketpair(socket.AF_UNIX); x.close(); y.close();`,
    "pysocket-pair-",
  ],
  [
    "bind() of an abstract name",
    [],
    `using s = socket.socket(socket.AF_UNIX); s.bind("\\0pysocket-perms15");`,
    "pysocket-perms15",
  ],
  [
    "sendto() from an unbound Unix datagram socket (its autobind)",
    ["--unstable-net"],
    `using r = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM);
     r.bind(DIR + "/r.sock");
     using u = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM);
     await u.sendto(new Uint8Array(1), DIR + "/r.sock");`,
    "",
  ],
];
for (const [what, flags, body, name] of ABSTRACT_CASES) {
  test(`${what} under a scoped --allow-net: the PermissionError names --allow-net, a flag that can be given`, async () => {
    const dir = await Deno.makeTempDir({ prefix: "pysocket_abstract_" });
    let got;
    try {
      got = await child(
        [
          ...flags,
          `--allow-net=127.0.0.1,unix:${dir}/r.sock`,
          `--allow-read=${dir}`,
          `--allow-write=${dir}`,
        ],
        `const DIR = ${JSON.stringify(dir)};
         try { ${body} out.ok = true; } catch (e) { out.error = err(e); }`,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
    const [cls, message] = got.error as [string, string];
    assertEquals(cls, "PermissionError");
    const prefix =
      `[Errno 13] Permission denied: net access to "unix:\\0${name}`;
    assert(message.startsWith(prefix), JSON.stringify(message));
    assert(!message.includes("\0"), JSON.stringify(message));
    assert(
      message.endsWith('" (run again with --allow-net)'),
      JSON.stringify(message),
    );
  });
}

// A capath Deno does not let pysocket read was taken as empty (the
// handshake then failed CERTIFICATE_VERIFY_FAILED); a cafile not granted
// raises the PermissionError naming --allow-read. A directory that is not
// there stays silent, as OpenSSL's lookup is.
test("load_verify_locations(capath=dir) without read access to dir raises PermissionError naming --allow-read", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pysocket_capath_" });
  try {
    // Any file of the hashed form; its content is not reached.
    await Deno.writeTextFile(`${dir}/00000000.0`, "not read\n");
    const got = await child(
      [`--allow-read=${dir}/absent`],
      `const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
       ctx.load_verify_locations(null, ${JSON.stringify(`${dir}/absent`)});
       try { ctx.load_verify_locations(null, ${
        JSON.stringify(dir)
      }); out.ok = true; }
       catch (e) { out.error = err(e); }`,
    );
    assertEquals(got, {
      error: [
        "PermissionError",
        `[Errno 13] Permission denied: read access to "${dir}" (run again with --allow-read=${dir})`,
      ],
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// README: an AF_UNIX path needs --allow-net=unix:<path> besides the read and
// write grants (Deno 2.9.6); the README listed only the latter.
test("README: the AF_UNIX path grants it lists include --allow-net=unix:<path>", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pysocket_unixperm_" });
  try {
    const path = `${dir}/s.sock`;
    const got = await child(
      [`--allow-read=${dir}`, `--allow-write=${dir}`],
      `using s = socket.socket(socket.AF_UNIX);
       try { s.bind(${JSON.stringify(path)}); out.ok = true; }
       catch (e) { out.error = err(e); }`,
    );
    assertEquals(got, {
      error: ["PermissionError", netDenied(`unix:${path}`)],
    });
    const readme = await Deno.readTextFile(
      new URL("../../README.md", import.meta.url),
    );
    const said = [
      ...readme.matchAll(/Deno asks for `--allow-read`[^.]*\./g),
    ];
    assert(said.length > 0, "README's AF_UNIX grants sentence");
    for (const [sentence] of said) {
      assert(sentence.includes("--allow-net=unix:"), sentence);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// Under --deny-net the error told the user to run again with the grant
// --deny-net overrides.
test("a --deny-net refusal names --deny-net, not an --allow-net grant that cannot help", async () => {
  const port = freePort();
  const got = await child(
    ["--allow-net", `--deny-net=127.0.0.1:${port}`],
    `using s = socket.socket();
     try { s.bind(["127.0.0.1", ${port}]); out.ok = true; }
     catch (e) { out.error = err(e); }`,
  );
  assertEquals(got, {
    error: [
      "PermissionError",
      `[Errno 13] Permission denied: net access to "127.0.0.1:${port}" (denied by --deny-net or at a prompt)`,
    ],
  });
});

// A blocking connect()/connect_ex() to an address not granted raises the
// PermissionError; a non-blocking one said EINPROGRESS, and SO_ERROR later
// a bare 13. Deno checks before it connects, as Linux's EACCES of a
// connect() (broadcast, a firewall), which a non-blocking connect() raises
// itself. The socket stays as it was: it connects to a granted port next.
for (const how of ["connect", "connect_ex"]) {
  test(`non-blocking ${how}() to an address not granted raises PermissionError from ${how}()`, async () => {
    await using server = socket.socket();
    server.bind(["127.0.0.1", 0]);
    server.listen();
    const port = server.getsockname()[1] as number;
    const denied = freePort();
    const got = await child(
      [`--allow-net=127.0.0.1:${port}`],
      `using s = socket.socket();
       s.setblocking(false);
       try { out.result = await s.${how}(["127.0.0.1", ${denied}]); }
       catch (e) { out.error = err(e); }
       out.soError = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR);
       s.setblocking(true);
       await s.connect(["127.0.0.1", ${port}]);
       out.peer = s.getpeername();`,
    );
    assertEquals(got, {
      error: ["PermissionError", netDenied(`127.0.0.1:${denied}`)],
      soError: 0,
      peer: ["127.0.0.1", port],
    });
  });
}
