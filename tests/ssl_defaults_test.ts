// Copyright the pysocket authors. MIT license.
// ssl's defaults against CPython's: the cipher suites a context without
// set_ciphers() offers and prefers (CPython's list, asked of python3 each
// run), the constants and enums CPython's ssl has (values from python3),
// and the first call of a non-blocking do_handshake(), which never
// finishes the handshake in OpenSSL.

import { assert, assertEquals, assertInstanceOf } from "@std/assert";
import * as socket from "../mod.ts";
import * as ssl from "../ssl.ts";
import { Child, noPython, pythonJson, run, runtime, test } from "./_util.ts";
import { finishHandshake, noOpenssl, testCerts } from "./_certs.ts";

const noPy = await noPython();
const noTls = (await noOpenssl()) || noPy;

/**
 * CPython's side of these tests.
 *
 *   server CERT KEY COUNT MAX SERVERPREF CIPHERS: prints its port, then for
 *     each of COUNT connections the cipher it negotiated (JSON); MAX "1.2"
 *     or "-", SERVERPREF "1" (CPython's default) or "0" (the client's order
 *     wins), CIPHERS "-" for CPython's default list.
 *   client PORT MAX CIPHERS: the cipher negotiated (JSON); CIPHERS "-" for
 *     CPython's default list.
 *   hello: prints its port, then the cipher suites of the ClientHello it
 *     receives, in the client's order (JSON), and closes.
 */
const PEER = String.raw`
import json, socket, ssl, struct, sys
role = sys.argv[1]
def listener():
    ls = socket.socket()
    ls.bind(("127.0.0.1", 0))
    ls.listen(8)
    ls.settimeout(20)
    print(ls.getsockname()[1], flush=True)
    return ls
if role == "server":
    cert, key, count, top, pref, ciphers = sys.argv[2:]
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    if ciphers != "-":
        ctx.set_ciphers(ciphers)
    if top == "1.2":
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    if pref == "0":
        ctx.options &= ~ssl.OP_CIPHER_SERVER_PREFERENCE
    ls = listener()
    for _ in range(int(count)):
        cn, _ = ls.accept()
        cn.settimeout(10)
        try:
            s = ctx.wrap_socket(cn, server_side=True)
            print(json.dumps(list(s.cipher())), flush=True)
            s.recv(10)
            s.close()
        except Exception as e:
            print(json.dumps([type(e).__name__, str(e)]), flush=True)
            cn.close()
elif role == "client":
    port, top, ciphers = sys.argv[2:]
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    if top == "1.2":
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    if ciphers != "-":
        ctx.set_ciphers(ciphers)
    s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", int(port)), timeout=10))
    print(json.dumps(list(s.cipher())), flush=True)
    s.close()
elif role == "hello":
    every = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    every.set_ciphers("ALL:COMPLEMENTOFALL:@SECLEVEL=0")
    names = {c["id"] & 0xFFFF: c["name"] for c in every.get_ciphers()}
    ls = listener()
    cn, _ = ls.accept()
    cn.settimeout(10)
    buf = b""
    while len(buf) < 5 or len(buf) < 5 + struct.unpack(">H", buf[3:5])[0]:
        d = cn.recv(65536)
        if not d:
            break
        buf += d
    body = buf[5:]
    at = 4 + 2 + 32
    at += 1 + body[at]
    n = struct.unpack(">H", body[at:at + 2])[0]
    at += 2
    ids = [struct.unpack(">H", body[at + i:at + i + 2])[0] for i in range(0, n, 2)]
    # Leave out the renegotiation SCSV and GREASE values.
    print(json.dumps([names.get(i, hex(i)) for i in ids
                      if i != 0x00FF and (i & 0x0F0F) != 0x0A0A]), flush=True)
    cn.close()
`;

/** CPython's peer, started; its port. */
async function pyListener(args: string[]): Promise<[Child, number]> {
  const child = new Child("python3", ["-u", "-c", PEER, ...args], {
    timeoutMs: 30_000,
  });
  const [, port] = await child.waitFor("stdout", /^(\d+)$/m);
  return [child, Number(port)];
}

/** The JSON lines a finished CPython peer printed after its port. */
async function pyLines(child: Child): Promise<unknown[]> {
  const { stdout } = await child.exit();
  return stdout.trim().split("\n").slice(1).map((line) => JSON.parse(line));
}

/** CPython's client against `port`: the cipher it negotiated. */
async function pyClient(
  port: number,
  top: string,
  ciphers = "-",
): Promise<unknown> {
  const { code, stdout, stderr } = await run("python3", [
    "-c",
    PEER,
    "client",
    String(port),
    top,
    ciphers,
  ], { timeoutMs: 30_000 });
  assertEquals(code, 0, stderr);
  return JSON.parse(stdout);
}

/** CPython's server (one connection): its port and what it reports. */
async function pyServer(
  top: string,
  pref: string,
  count = 1,
  ciphers = "-",
): Promise<[number, Promise<unknown[]>]> {
  const c = await testCerts();
  const [child, port] = await pyListener([
    "server",
    c.server,
    c.serverKey,
    String(count),
    top,
    pref,
    ciphers,
  ]);
  return [port, pyLines(child)];
}

/** A client context without verification, as the peer's. */
function clientContext(top: string): ssl.SSLContext {
  const ctx = ssl.create_default_context();
  ctx.check_hostname = false;
  ctx.verify_mode = ssl.CERT_NONE;
  if (top === "1.2") ctx.maximum_version = ssl.TLSVersion.TLSv1_2;
  return ctx;
}

/** pysocket's client against `port`: the cipher it negotiated. */
async function ourClient(port: number, top: string): Promise<unknown> {
  const sock = await socket.create_connection(["127.0.0.1", port], 10);
  try {
    const s = await clientContext(top).wrap_socket(sock);
    const cipher = s.cipher();
    s.close();
    return cipher;
  } finally {
    sock.close();
  }
}

/** The suites a ClientHello offers, in order, as CPython's probe read it. */
async function offered(client: (port: number) => Promise<void>) {
  const [child, port] = await pyListener(["hello"]);
  await client(port);
  const [suites] = await pyLines(child);
  return suites as string[];
}

/** The TLS 1.2 suites CPython's list names that BoringSSL has not. */
const NOT_IN_BORINGSSL = [
  "ECDHE-ECDSA-AES256-SHA384",
  "ECDHE-RSA-AES256-SHA384",
  "DHE-RSA-AES256-GCM-SHA384",
  "DHE-RSA-AES128-GCM-SHA256",
  "DHE-RSA-AES256-SHA256",
  "DHE-RSA-AES128-SHA256",
];

test(
  "a context without set_ciphers() offers CPython's suites in CPython's order",
  async () => {
    const theirs = await offered(async (port) => {
      const { code, stderr } = await run("python3", [
        "-c",
        PEER,
        "client",
        String(port),
        "-",
        "-",
      ], { timeoutMs: 30_000 });
      assert(code !== 0, "the probe ends the handshake");
      assert(stderr.includes("Error"), stderr);
    });
    const ours = await offered(async (port) => {
      const sock = await socket.create_connection(["127.0.0.1", port], 10);
      try {
        await clientContext("-").wrap_socket(sock);
      } catch {
        // The probe closes after the ClientHello.
      } finally {
        sock.close();
      }
    });
    const tls13 = (s: string) => s.startsWith("TLS_");
    if (runtime === "bun") {
      // BoringSSL: TLS 1.3's suites in its own fixed order; TLS 1.2's in
      // CPython's, less those it has not.
      assertEquals(
        ours.filter((s) => !tls13(s)),
        theirs.filter((s) => !tls13(s) && !NOT_IN_BORINGSSL.includes(s)),
      );
      assertEquals(ours.filter(tls13).sort(), theirs.filter(tls13).sort());
    } else assertEquals(ours, theirs);
  },
  {
    ignore: noTls ||
      (runtime === "deno" &&
        "Deno's TLS (rustls) offers its own suites, which set_ciphers() cannot change"),
  },
);

test(
  "the TLS 1.2 cipher a client without set_ciphers() negotiates is CPython's client's (the server takes the client's order)",
  async () => {
    const [pyPort, pyDone] = await pyServer("1.2", "0");
    const reference = await pyClient(pyPort, "-");
    assertEquals((await pyDone)[0], reference);
    assertEquals(reference, ["ECDHE-RSA-AES256-GCM-SHA384", "TLSv1.2", 256]);
    const [port, done] = await pyServer("1.2", "0");
    assertEquals(await ourClient(port, "-"), reference);
    assertEquals((await done)[0], reference);
  },
  { ignore: noTls },
);

test(
  "the TLS 1.3 cipher a client without set_ciphers() negotiates is CPython's client's (the server takes the client's order)",
  async () => {
    const [pyPort, pyDone] = await pyServer("-", "0");
    const reference = await pyClient(pyPort, "-");
    await pyDone;
    assertEquals(reference, ["TLS_AES_256_GCM_SHA384", "TLSv1.3", 256]);
    const [port, done] = await pyServer("-", "0");
    assertEquals(await ourClient(port, "-"), reference);
    assertEquals((await done)[0], reference);
  },
  {
    ignore: noTls ||
      (runtime === "bun" &&
        "Bun's TLS (BoringSSL) offers TLS 1.3's suites in its own order, TLS_AES_128_GCM_SHA256 first"),
  },
);

test(
  "a server without set_ciphers() picks by CPython's order, as CPython's server does",
  async () => {
    // The client offers AES-128 first; CPython's server prefers its own
    // order (OP_CIPHER_SERVER_PREFERENCE): AES-256.
    const offer = "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384";
    const [pyPort, pyDone] = await pyServer("1.2", "1");
    const reference = await pyClient(pyPort, "1.2", offer);
    await pyDone;
    assertEquals(reference, ["ECDHE-RSA-AES256-GCM-SHA384", "TLSv1.2", 256]);
    const c = await testCerts();
    const ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH);
    ctx.load_cert_chain(c.server, c.serverKey);
    const l = socket.create_server(["127.0.0.1", 0]);
    try {
      const port = l.getsockname()[1];
      const serving = (async () => {
        const [conn] = await l.accept();
        conn.settimeout(10);
        const s = await ctx.wrap_socket(conn, { server_side: true });
        const cipher = s.cipher();
        await s.recv(10);
        s.close();
        return cipher;
      })();
      const theirs = await pyClient(port, "1.2", offer);
      assertEquals(theirs, reference);
      assertEquals(await serving, reference);
    } finally {
      l.close();
    }
  },
  {
    ignore: noTls ||
      (runtime === "deno" &&
        "Deno's TLS (rustls) has its own suites and order, which set_ciphers() cannot change"),
  },
);

test(
  "set_ciphers(\"AES256-SHA256\") negotiates that suite as CPython's client does; Bun's TLS (BoringSSL) has no such suite and refuses the list as CPython refuses an unknown one",
  async () => {
    const suite = "AES256-SHA256";
    const [pyPort, pyDone] = await pyServer("1.2", "1", 1, suite);
    const reference = await pyClient(pyPort, "1.2", suite);
    await pyDone;
    assertEquals(reference, ["AES256-SHA256", "TLSv1.2", 256]);
    const ctx = clientContext("1.2");
    if (runtime === "bun") {
      let error: unknown = null;
      try {
        ctx.set_ciphers(suite);
      } catch (err) {
        error = err;
      }
      assertInstanceOf(error, ssl.SSLError);
      assertEquals(
        (error as Error).message,
        "('No cipher can be selected.',)",
      );
      return;
    }
    ctx.set_ciphers(suite);
    const [port, done] = await pyServer("1.2", "1", 1, suite);
    const sock = await socket.create_connection(["127.0.0.1", port], 10);
    try {
      const s = await ctx.wrap_socket(sock);
      assertEquals(s.cipher(), reference);
      s.close();
    } finally {
      sock.close();
    }
    assertEquals((await done)[0], reference);
  },
  {
    ignore: noTls ||
      (runtime === "deno" &&
        "Deno's TLS (rustls) takes no cipher list: set_ciphers() raises"),
  },
);

/** CPython's names and values for the enums and constants added here. */
const PY_TABLE = `
import json, ssl, warnings
warnings.simplefilter("ignore")
out = {}
for enum in (ssl.AlertDescription, ssl.SSLErrorNumber, ssl.Options):
    out[enum.__name__] = {k: int(v) for k, v in enum.__members__.items()}
out["constants"] = {k: int(getattr(ssl, k)) for k in dir(ssl)
                    if k.startswith("ALERT_DESCRIPTION_")
                    or k.startswith("PROTOCOL_TLSv1")}
out["names"] = {k: ssl.get_protocol_name(getattr(ssl, k))
                for k in dir(ssl) if k.startswith("PROTOCOL_TLSv1")}
print(json.dumps(out))
`;

test(
  "AlertDescription, SSLErrorNumber, Options, ALERT_DESCRIPTION_* and PROTOCOL_TLSv1* are CPython's names and values",
  async () => {
    const py = await pythonJson(PY_TABLE, null) as Record<
      string,
      Record<string, number | string>
    >;
    assertEquals({ ...ssl.AlertDescription }, py.AlertDescription);
    assertEquals({ ...ssl.SSLErrorNumber }, py.SSLErrorNumber);
    assertEquals({ ...ssl.Options }, py.Options);
    const mine = ssl as unknown as Record<string, number>;
    assertEquals(Object.keys(py.constants).length, 30);
    for (const [name, value] of Object.entries(py.constants)) {
      assertEquals(mine[name], value, name);
    }
    for (const [name, text] of Object.entries(py.names)) {
      assertEquals(ssl.get_protocol_name(mine[name]), text);
    }
    // Each member is the module constant of the same name.
    for (const enm of [ssl.AlertDescription, ssl.SSLErrorNumber, ssl.Options]) {
      assert(Object.isFrozen(enm));
      for (const [name, value] of Object.entries(enm)) {
        assertEquals(mine[name], value, name);
      }
    }
  },
  { ignore: noPy },
);

test("RAND_pseudo_bytes(): the bytes and true, with CPython's errors", () => {
  const [bytes, strong] = ssl.RAND_pseudo_bytes(16);
  assertInstanceOf(bytes, Uint8Array);
  assertEquals([bytes.length, strong], [16, true]);
  assertEquals(ssl.RAND_pseudo_bytes(0)[0].length, 0);
  const call = ssl.RAND_pseudo_bytes as (...a: unknown[]) => unknown;
  const cases: [unknown[], new (...a: never[]) => Error, string][] = [
    [
      [],
      TypeError,
      "_ssl.RAND_pseudo_bytes() takes exactly one argument (0 given)",
    ],
    [
      [1, 2],
      TypeError,
      "_ssl.RAND_pseudo_bytes() takes exactly one argument (2 given)",
    ],
    [[-1], socket.ValueError, "num must be positive"],
    [["x"], TypeError, "'str' object cannot be interpreted as an integer"],
    [[1.5], TypeError, "'float' object cannot be interpreted as an integer"],
  ];
  for (const [args, cls, message] of cases) {
    try {
      call(...args);
      throw new Error(`no error for ${JSON.stringify(args)}`);
    } catch (err) {
      assertInstanceOf(err, cls);
      assertEquals((err as Error).message, message);
    }
  }
});

test(
  "non-blocking do_handshake(): the first call raises SSLWantReadError at once, as OpenSSL's; a select loop finishes the handshake",
  async () => {
    const count = 8;
    const [port, done] = await pyServer("-", "1", count);
    const ctx = clientContext("-");
    for (let round = 0; round < count; round++) {
      const sock = await socket.create_connection(["127.0.0.1", port], 10);
      sock.setblocking(false);
      const s = await ctx.wrap_socket(sock, {
        do_handshake_on_connect: false,
      });
      try {
        let first: unknown = null;
        try {
          await s.do_handshake();
        } catch (err) {
          first = err;
        }
        assertInstanceOf(first, ssl.SSLWantReadError, `round ${round}`);
        const want = first as ssl.SSLWantReadError;
        assertEquals(
          [want.errno, want.message],
          [2, "The operation did not complete (read) (_ssl.c:1006)"],
        );
        await finishHandshake(s);
        assertEquals(s.version(), "TLSv1.3");
        // Done: later calls return at once.
        await s.do_handshake();
        s.setblocking(true);
        await s.sendall(new TextEncoder().encode("x"));
      } finally {
        s.close();
      }
    }
    const reported = await done;
    assertEquals(reported.length, count);
    for (const cipher of reported) {
      assertEquals((cipher as unknown[])[1], "TLSv1.3");
    }
  },
  { ignore: noTls },
);
