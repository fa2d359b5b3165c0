// Copyright the pysocket authors. MIT license.
// ssl protocol features (round 18's TLS features hunter), against python3
// 3.11.7 (OpenSSL 3.0):
// - at security level 1 or above (CPython's default is 2) TLS 1.0 and 1.1
//   fail the handshake, whatever minimum_version allows: OpenSSL 3 has no
//   signature algorithm for them there (a server raises
//   NO_SUITABLE_SIGNATURE_ALGORITHM, a client
//   LEGACY_SIGALG_DISALLOWED_OR_UNSUPPORTED); BoringSSL (Bun), which has no
//   levels, negotiated them;
// - a context with no protocol version left writes a fatal protocol_version
//   alert (15 03 03 00 02 02 46) at once, then raises NO_PROTOCOLS_AVAILABLE
//   (CPython's client then reads TLSV1_ALERT_PROTOCOL_VERSION, not a reset);
// - get_server_certificate(addr, PROTOCOL_TLS_CLIENT, "") verifies against
//   the default store (verify code 20 here), not FileNotFoundError;
// - ssl._create_unverified_context() and _create_default_https_context;
// - the documented-absent SSLContext attributes raise NotImplementedError
//   when set to do something, instead of being silently kept.

import {
  assertEquals,
  assertInstanceOf,
  assertStrictEquals,
  assertThrows,
} from "@std/assert";
import * as socket from "../mod.ts";
import * as ssl from "../ssl.ts";
import { testCerts, tlsTest } from "./_certs.ts";
import { Child, errorOf, noPython, plainPair, runtime, test } from "./_util.ts";

const NO_PYTHON = await noPython();
const NO_TLS10 = runtime === "deno" &&
  "Deno: set_ciphers() raises ENOPROTOOPT and rustls has no TLS 1.0";

/** A handshake's outcome on both sides: a version, or the error. */
async function bothSides(
  client: ssl.SSLContext,
  server: ssl.SSLContext,
): Promise<[unknown, unknown]> {
  const [a, b] = await plainPair();
  a.settimeout(10);
  b.settimeout(10);
  const outcome = async (made: Promise<ssl.SSLSocket>, raw: socket.Socket) => {
    try {
      const s = await made;
      const version = s.version();
      s.close();
      return version;
    } catch (err) {
      raw.close();
      return err;
    }
  };
  return await Promise.all([
    outcome(client.wrap_socket(a, { server_hostname: null }), a),
    outcome(server.wrap_socket(b, { server_side: true }), b),
  ]);
}

/** A client context that speaks TLS 1.0 alone (`ciphers`: at level 0). */
function tls10Client(ciphers = "ALL:@SECLEVEL=0"): ssl.SSLContext {
  const client = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
  client.check_hostname = false;
  client.verify_mode = ssl.CERT_NONE;
  client.set_ciphers(ciphers);
  client.minimum_version = ssl.TLSVersion.TLSv1;
  client.maximum_version = ssl.TLSVersion.TLSv1;
  return client;
}

/** A server context that takes TLS 1.0 and up, with `ciphers`. */
async function tls10Server(ciphers: string): Promise<ssl.SSLContext> {
  const c = await testCerts();
  const server = new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER);
  server.load_cert_chain(c.server, c.serverKey);
  server.set_ciphers(ciphers);
  server.minimum_version = ssl.TLSVersion.TLSv1;
  return server;
}

for (const list of ["DEFAULT", "AES128-SHA", "DEFAULT:@SECLEVEL=1"]) {
  tlsTest(
    `a server at security level >= 1 (set_ciphers("${list}")) with minimum_version TLSv1 refuses a TLS 1.0 client, as CPython's`,
    async () => {
      const server = await tls10Server(list);
      const [client, served] = await bothSides(tls10Client(), server);
      assertInstanceOf(served, ssl.SSLError);
      assertInstanceOf(client, ssl.SSLError);
    },
    NO_TLS10,
  );
}

tlsTest(
  'a client at security level 2 (set_ciphers("DEFAULT")) with only TLS 1.0 left refuses a level-0 server, as CPython\'s',
  async () => {
    const server = await tls10Server("ALL:@SECLEVEL=0");
    const [told] = await bothSides(tls10Client("DEFAULT"), server);
    assertInstanceOf(told, ssl.SSLError);
  },
  NO_TLS10,
);

tlsTest(
  "at security level 0 both sides negotiate TLS 1.0, as CPython's",
  async () => {
    const server = await tls10Server("ALL:@SECLEVEL=0");
    assertEquals(await bothSides(tls10Client(), server), ["TLSv1", "TLSv1"]);
  },
  NO_TLS10,
);

/** A context of `side` with no protocol version left, made `how`. */
async function noVersionLeft(
  side: "server" | "client",
  how: "options" | "versions",
): Promise<ssl.SSLContext> {
  const ctx = new ssl.SSLContext(
    side === "server" ? ssl.PROTOCOL_TLS_SERVER : ssl.PROTOCOL_TLS_CLIENT,
  );
  if (side === "server") {
    const c = await testCerts();
    ctx.load_cert_chain(c.server, c.serverKey);
  } else {
    ctx.check_hostname = false;
    ctx.verify_mode = ssl.CERT_NONE;
  }
  if (how === "options") ctx.options |= ssl.OP_NO_TLSv1_2 | ssl.OP_NO_TLSv1_3;
  else {
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3;
    ctx.maximum_version = ssl.TLSVersion.TLSv1_2;
  }
  return ctx;
}

for (const side of ["server", "client"] as const) {
  for (const how of ["options", "versions"] as const) {
    tlsTest(
      `a ${side} with no protocol version left (${how}) writes CPython's protocol_version alert at once, then raises NO_PROTOCOLS_AVAILABLE`,
      async () => {
        const ctx = await noVersionLeft(side, how);
        const [a, peer] = await plainPair();
        peer.settimeout(10);
        a.settimeout(10);
        try {
          const err = await errorOf(() =>
            ctx.wrap_socket(a, { server_side: side === "server" })
          );
          assertInstanceOf(err, ssl.SSLError);
          assertEquals(
            (err as ssl.SSLError).message,
            "[SSL: NO_PROTOCOLS_AVAILABLE] no protocols available (_ssl.c:1006)",
          );
          a.close();
          // What the peer reads, having sent nothing: the alert, then EOF.
          const got: number[] = [];
          for (;;) {
            const data = await peer.recv(100);
            if (data.length === 0) break;
            got.push(...data);
          }
          assertEquals(got, [0x15, 3, 3, 0, 2, 2, 70]);
        } finally {
          a.close();
          peer.close();
        }
      },
    );
  }
}

const PY_CLIENT = `import ssl, socket, sys
c = ssl.create_default_context(); c.check_hostname = False; c.verify_mode = ssl.CERT_NONE
try:
    c.wrap_socket(socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10))
    print("connected")
except Exception as e:
    print(type(e).__name__, e)
`;

for (const how of ["options", "versions"] as const) {
  tlsTest(
    `CPython's client of a server with no protocol version left (${how}) reads TLSV1_ALERT_PROTOCOL_VERSION`,
    async () => {
      const ctx = await noVersionLeft("server", how);
      const l = socket.create_server(["127.0.0.1", 0]);
      try {
        const serving = (async () => {
          const [conn] = await l.accept();
          conn.settimeout(10);
          try {
            await ctx.wrap_socket(conn, { server_side: true });
            return "handshake done";
          } catch (e) {
            conn.close();
            return (e as ssl.SSLError).reason;
          }
        })();
        const client = new Child(
          "python3",
          ["-c", PY_CLIENT, String(l.getsockname()[1])],
          { timeoutMs: 30_000 },
        );
        const result = await client.exit();
        assertEquals(await serving, "NO_PROTOCOLS_AVAILABLE");
        assertEquals(
          result.stdout.trim(),
          "SSLError [SSL: TLSV1_ALERT_PROTOCOL_VERSION] tlsv1 alert protocol version (_ssl.c:1006)",
        );
      } finally {
        l.close();
      }
    },
    NO_PYTHON,
  );
}

tlsTest(
  'get_server_certificate(addr, PROTOCOL_TLS_CLIENT, "") verifies against the default store, as CPython',
  async () => {
    const c = await testCerts();
    const ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH);
    ctx.load_cert_chain(c.server, c.serverKey);
    const l = socket.create_server(["127.0.0.1", 0]);
    const serving = (async () => {
      let conn: socket.Socket;
      try {
        [conn] = await l.accept();
      } catch {
        return; // never connected to (the listener closed)
      }
      conn.settimeout(10);
      try {
        (await ctx.wrap_socket(conn, { server_side: true })).close();
      } catch {
        conn.close();
      }
    })();
    try {
      const err = await errorOf(() =>
        ssl.get_server_certificate(
          l.getsockname() as [string, number],
          ssl.PROTOCOL_TLS_CLIENT,
          "",
          10,
        )
      );
      assertInstanceOf(err, ssl.SSLCertVerificationError);
      assertEquals((err as ssl.SSLCertVerificationError).verify_code, 20);
    } finally {
      l.close();
      await serving;
    }
  },
);

test("ssl._create_unverified_context() makes CPython's contexts", () => {
  const make = ssl._create_unverified_context;
  const settings = (c: ssl.SSLContext) => [
    c.protocol,
    c.verify_mode,
    c.check_hostname,
  ];
  // python3 3.11.7, line by line.
  assertEquals(settings(make()), [16, 0, false]);
  assertEquals(make().minimum_version, ssl.TLSVersion.TLSv1_2);
  assertEquals(settings(make(null, { cert_reqs: null })), [16, 2, false]);
  assertEquals(
    settings(make(null, { purpose: ssl.Purpose.CLIENT_AUTH })),
    [17, 0, false],
  );
  assertEquals(settings(make(ssl.PROTOCOL_TLS)), [2, 0, false]);
  assertEquals(
    settings(
      make(null, { cert_reqs: ssl.CERT_REQUIRED, check_hostname: true }),
    ),
    [16, 2, true],
  );
  assertEquals(settings(make(null, { cafile: "" })), [16, 0, false]);
  assertThrows(
    () => make(null, { check_hostname: true }),
    socket.ValueError,
    "Cannot set verify_mode to CERT_NONE when check_hostname is enabled.",
  );
  assertThrows(
    () => make(null, { keyfile: "k" }),
    socket.ValueError,
    "certfile must be specified",
  );
  assertThrows(
    () => make(null, { purpose: "x" as unknown as ssl.ASN1Object }),
    TypeError,
    "x",
  );
  assertThrows(
    () => make(null, { x: 1 } as ssl.UnverifiedContextOptions),
    TypeError,
    "_create_unverified_context() got an unexpected keyword argument 'x'",
  );
  assertStrictEquals(
    ssl._create_default_https_context,
    ssl.create_default_context,
  );
});

tlsTest(
  "a context from _create_unverified_context() connects to a server it does not trust",
  async () => {
    const c = await testCerts();
    const server = ssl._create_unverified_context(null, {
      purpose: ssl.Purpose.CLIENT_AUTH,
      certfile: c.server,
      keyfile: c.serverKey,
    });
    const [version] = await bothSides(ssl._create_unverified_context(), server);
    assertEquals(typeof version, "string");
  },
);

test("SSLContext's absent attributes raise NotImplementedError when set to do something", () => {
  const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER);
  // deno-lint-ignore no-explicit-any
  const any = ctx as any;
  const readme = '(README.md, ssl: "Not there")';
  const refused: [string, unknown, string][] = [
    ["sni_callback", () => {}, "server name callbacks"],
    ["keylog_filename", "/tmp/keys.log", "key logging"],
    ["post_handshake_auth", true, "TLS 1.3 post-handshake authentication"],
    ["num_tickets", 0, "sessions"],
    ["verify_flags", 0x8000, "verification flags"],
  ];
  for (const [name, value, what] of refused) {
    assertThrows(
      () => any[name] = value,
      ssl.NotImplementedError,
      `SSLContext.${name}: pysocket has no ${what} ${readme}`,
    );
  }
  // CPython's defaults read (and set) as they are: nothing to do.
  ctx.sni_callback = null;
  ctx.keylog_filename = null;
  ctx.post_handshake_auth = false;
  assertEquals(
    [ctx.sni_callback, ctx.keylog_filename, ctx.post_handshake_auth],
    [null, null, false],
  );
  for (const name of ["num_tickets", "verify_flags"]) {
    assertThrows(
      () => any[name],
      ssl.NotImplementedError,
      `SSLContext.${name}:`,
    );
  }
  assertEquals(Object.keys(ctx), []);
  // CPython's own checks come first (python3 3.11.7): a client context
  // takes no sni_callback, not even None; one that cannot be called is a
  // TypeError; undefined is JavaScript's None.
  // deno-lint-ignore no-explicit-any
  const client = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT) as any;
  for (const value of [null, () => {}]) {
    assertThrows(
      () => client.sni_callback = value,
      socket.ValueError,
      "sni_callback cannot be set on TLS_CLIENT context",
    );
  }
  assertThrows(() => any.sni_callback = 5, TypeError, "not a callable object");
  any.sni_callback = undefined;
  any.keylog_filename = undefined;
});

tlsTest(
  "a pinned PROTOCOL_TLSv1_2 context ignores OP_NO_TLSv1_2, as CPython's: the handshake is TLS 1.2",
  async () => {
    const c = await testCerts();
    const server = new ssl.SSLContext(ssl.PROTOCOL_TLSv1_2);
    server.load_cert_chain(c.server, c.serverKey);
    server.options |= ssl.OP_NO_TLSv1_2;
    const client = new ssl.SSLContext(ssl.PROTOCOL_TLSv1_2);
    client.options |= ssl.OP_NO_TLSv1_2;
    assertEquals(await bothSides(client, server), ["TLSv1.2", "TLSv1.2"]);
  },
);
