// Copyright the pysocket authors. MIT license.
// ssl against what CPython 3.11 (OpenSSL 3.0) does where the runtimes' own
// TLS stacks differ: certificates OpenSSL refuses that rustls takes (an
// expired leaf or root the runtime trusted, a chain that stops at a
// trusted intermediate), both sides; a TCP reset under TLS (SSL_read_ex()
// and SSL_write_ex(): SSLEOFError, not the errno's OSError). The expected
// codes and messages are CPython's on the same certificates and peers. Certificates are made by openssl at
// test time, beside tests/_certs.ts's (its CA signs the valid ones here).

import { assertEquals, assertInstanceOf } from "@std/assert";
import * as socket from "../mod.ts";
import * as ssl from "../ssl.ts";
import {
  b,
  Child,
  errorOf,
  loopbackListener,
  makeTempDir,
  noPython,
  run,
  sleep,
  str,
  test,
  writeTextFile,
} from "./_util.ts";
import {
  acceptPort,
  assertVerifyError,
  caConfig,
  certRequest,
  handshake,
  noOpenssl,
  opensslServer,
  runOpenssl,
  type TestCerts,
  testCerts,
  tlsTest,
} from "./_certs.ts";

/** Extra certificates: see {@linkcode fidelityCerts}. */
interface FidelityCerts {
  /** The test CA (trust it: `cafile: ca`). */
  ca: string;
  /** localhost, X.509 version 1, valid in 2020 only; signed by `ca`. */
  v1Expired: string;
  /** `v1Expired`'s key (also the other leaves'). */
  key: string;
  /** A self-signed root, valid in 2020 only. */
  oldRoot: string;
  /** localhost, valid now; signed by `oldRoot`. */
  oldRootLeaf: string;
  /** An intermediate CA signed by `ca`. */
  intermediate: string;
  /** localhost, signed by `intermediate`. */
  intermediateLeaf: string;
  /** `intermediateLeaf`, then `intermediate`. */
  intermediateChain: string;
}

let fidelity: Promise<FidelityCerts> | undefined;

/** The certificates, made on first use. */
function fidelityCerts(): Promise<FidelityCerts> {
  return fidelity ??= makeFidelityCerts();
}

async function makeFidelityCerts(): Promise<FidelityCerts> {
  const c: TestCerts = await testCerts();
  const dir = await makeTempDir({ prefix: "pysocket-fidelity-" });
  const p = (name: string) => `${dir}/${name}`;
  const sh = (...args: string[]) => runOpenssl(args, dir);
  /** `<name>.key`, a new RSA key, and `<name>.csr`, a request for it. */
  const request = async (name: string, subject: string) => {
    await sh("genrsa", "-out", `${name}.key`, "2048");
    await certRequest(dir, name, subject);
  };
  /** `out`: the request `csr` signed by `ca` (key `caKey`) with `ext`. */
  const sign = (
    csr: string,
    ca: string,
    caKey: string,
    serial: string,
    ext: string,
    out: string,
  ) =>
    sh(
      "x509",
      "-req",
      "-in",
      csr,
      "-CA",
      ca,
      "-CAkey",
      caKey,
      "-set_serial",
      serial,
      "-days",
      "365",
      "-extfile",
      ext,
      "-out",
      out,
    );
  await request("leaf", "/CN=localhost");
  await caConfig(
    dir,
    "2000",
    `[ root_ext ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
`,
  );
  // (a) No -extensions: `openssl ca` makes a version 1 certificate.
  await sh(
    "ca",
    "-batch",
    "-config",
    "ca.cnf",
    "-cert",
    c.ca,
    "-keyfile",
    `${c.dir}/ca.key`,
    "-in",
    "leaf.csr",
    "-out",
    "v1_expired.pem",
    "-startdate",
    "20200101000000Z",
    "-enddate",
    "20210101000000Z",
    "-notext",
  );
  // (b) A root that expired, signing a leaf valid now.
  await request("old_root", "/CN=Old Root");
  await sh(
    "ca",
    "-batch",
    "-config",
    "ca.cnf",
    "-selfsign",
    "-keyfile",
    "old_root.key",
    "-in",
    "old_root.csr",
    "-out",
    "old_root.pem",
    "-startdate",
    "20200101000000Z",
    "-enddate",
    "20210101000000Z",
    "-extensions",
    "root_ext",
    "-notext",
  );
  const leafExt =
    "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n";
  await writeTextFile(p("leaf.ext"), leafExt);
  await sign(
    "leaf.csr",
    "old_root.pem",
    "old_root.key",
    "30",
    "leaf.ext",
    "old_root_leaf.pem",
  );
  // (c) An intermediate CA, and a leaf under it.
  await request("int", "/CN=Fidelity Intermediate");
  await writeTextFile(
    p("int.ext"),
    "basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n",
  );
  await sign("int.csr", c.ca, `${c.dir}/ca.key`, "31", "int.ext", "int.pem");
  await sign(
    "leaf.csr",
    "int.pem",
    "int.key",
    "32",
    "leaf.ext",
    "int_leaf.pem",
  );
  const { stdout: leaf } = await run("cat", [p("int_leaf.pem"), p("int.pem")]);
  await writeTextFile(p("int_chain.pem"), leaf);
  return {
    ca: c.ca,
    v1Expired: p("v1_expired.pem"),
    key: p("leaf.key"),
    oldRoot: p("old_root.pem"),
    oldRootLeaf: p("old_root_leaf.pem"),
    intermediate: p("int.pem"),
    intermediateLeaf: p("int_leaf.pem"),
    intermediateChain: p("int_chain.pem"),
  };
}

/** CPython's refusals of the three certificates (OpenSSL 3.0). */
const REFUSED: [
  string,
  keyof FidelityCerts,
  keyof FidelityCerts,
  number,
  string,
][] = [
  [
    "an expired version 1 leaf",
    "v1Expired",
    "ca",
    10,
    "certificate has expired",
  ],
  [
    "a leaf under an expired root",
    "oldRootLeaf",
    "oldRoot",
    10,
    "certificate has expired",
  ],
  // The leaf itself trusted: OpenSSL looks for its issuer all the same.
  [
    "a trusted leaf that is not self-signed",
    "intermediateChain",
    "intermediateLeaf",
    20,
    "unable to get local issuer certificate",
  ],
  [
    "a chain that stops at a trusted intermediate",
    "intermediateChain",
    "intermediate",
    2,
    "unable to get issuer certificate",
  ],
];

for (const [what, cert, trusted, code, message] of REFUSED) {
  tlsTest(
    `SSLContext.wrap_socket client refuses ${what} (code ${code})`,
    async () => {
      const f = await fidelityCerts();
      const client = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, {
        cafile: f[trusted],
      });
      const server = new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER);
      server.load_cert_chain(f[cert], f.key);
      const { client: err } = await handshake(client, server);
      assertVerifyError(err, code, message);
    },
  );

  tlsTest(
    `SSLContext.wrap_socket server refuses ${what} from its client (code ${code})`,
    async () => {
      const f = await fidelityCerts();
      const c = await testCerts();
      const client = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
      client.check_hostname = false;
      client.verify_mode = ssl.CERT_NONE;
      client.load_cert_chain(f[cert], f.key);
      const server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH, {
        cafile: f[trusted],
      });
      server.load_cert_chain(c.server, c.serverKey);
      server.verify_mode = ssl.CERT_REQUIRED;
      const { server: err } = await handshake(client, server);
      assertVerifyError(err, code, message);
    },
  );
}

tlsTest(
  "SSLContext.wrap_socket client refuses an expired leaf without check_hostname",
  async () => {
    const f = await fidelityCerts();
    const client = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, {
      cafile: f.ca,
    });
    client.check_hostname = false;
    const server = new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER);
    server.load_cert_chain(f.v1Expired, f.key);
    const { client: err } = await handshake(client, server);
    assertVerifyError(err, 10, "certificate has expired");
  },
);

tlsTest(
  "SSLContext.wrap_socket client takes a chain up to a trusted root",
  async () => {
    const f = await fidelityCerts();
    const client = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, {
      cafile: f.ca,
    });
    const server = new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER);
    server.load_cert_chain(f.intermediateChain, f.key);
    const out = await handshake(client, server);
    assertEquals(out, { client: null, server: null });
  },
);

/**
 * CPython's TLS server that, for each client, reads a byte, sends `hi`,
 * then resets the connection (SO_LINGER 0) 0.3 s later.
 */
const RESETTING_PEER = `
import socket, ssl, struct, sys, time
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(sys.argv[1], sys.argv[2])
ls = socket.socket()
ls.bind(("127.0.0.1", 0))
ls.listen()
ls.settimeout(30)
print(ls.getsockname()[1], flush=True)
while True:
    c, _ = ls.accept()
    c.settimeout(10)
    ss = ctx.wrap_socket(c, server_side=True)
    ss.recv(1)
    ss.sendall(b"hi")
    time.sleep(0.3)
    raw = socket.socket(fileno=ss.detach())
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    raw.close()
`;

const noPeer = (await noOpenssl()) || (await noPython());

/**
 * A test against {@linkcode RESETTING_PEER}: `fn` gets a connected client
 * (with `suppress_ragged_eofs` as given) that has sent its byte.
 */
function resetTest(
  name: string,
  suppress: boolean,
  fn: (s: ssl.SSLSocket) => Promise<void>,
): void {
  test(name, async () => {
    const c = await testCerts();
    await using peer = new Child("python3", [
      "-c",
      RESETTING_PEER,
      c.server,
      c.serverKey,
    ], { timeoutMs: 30_000 });
    const [, port] = await peer.waitFor("stdout", /^(\d+)$/m);
    const ctx = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, {
      cafile: c.ca,
    });
    const sock = await socket.create_connection(
      ["127.0.0.1", Number(port)],
      10,
    );
    const s = await ctx.wrap_socket(sock, {
      server_hostname: "localhost",
      suppress_ragged_eofs: suppress,
    });
    try {
      await s.sendall(b("x"));
      await fn(s);
    } finally {
      s.close();
    }
  }, { ignore: noPeer });
}

/** CPython's SSLEOFError of a read or a write that met a reset. */
function assertResetEof(error: unknown, line: number): void {
  assertInstanceOf(error, ssl.SSLEOFError);
  const err = error as ssl.SSLEOFError;
  assertEquals(
    [err.message, err.errno, err.reason, err.library],
    [`EOF occurred in violation of protocol (_ssl.c:${line})`, 8, null, null],
  );
}

resetTest(
  "SSLSocket.recv after a TCP reset reads the end of stream (suppress_ragged_eofs), then send raises SSLEOFError and unwrap SHUTDOWN_WHILE_IN_INIT",
  true,
  async (s) => {
    assertEquals(str(await s.recv(100)), "hi");
    await sleep(500);
    assertEquals(await s.recv(100), new Uint8Array(0));
    assertEquals(await s.recv(100), new Uint8Array(0));
    assertResetEof(await errorOf(() => s.send(b("y"))), 2427);
    const err = await errorOf(() => s.unwrap()) as ssl.SSLError;
    assertInstanceOf(err, ssl.SSLError);
    assertEquals(
      [err.message, err.errno, err.reason],
      [
        "[SSL: SHUTDOWN_WHILE_IN_INIT] shutdown while in init (_ssl.c:2706)",
        1,
        "SHUTDOWN_WHILE_IN_INIT",
      ],
    );
  },
);

resetTest(
  "SSLSocket.recv after a TCP reset raises SSLEOFError with no reason (suppress_ragged_eofs=False)",
  false,
  async (s) => {
    assertEquals(str(await s.recv(100)), "hi");
    await sleep(500);
    assertResetEof(await errorOf(() => s.recv(100)), 2580);
  },
);

resetTest(
  "SSLSocket.send after a TCP reset raises SSLEOFError, not BrokenPipeError",
  true,
  async (s) => {
    await sleep(1000);
    // A write the runtime took before the reset was read may succeed (as
    // the kernel's send does); the next one fails as CPython's.
    let err = await errorOf(() => s.send(b("y")));
    err ??= await errorOf(() => s.send(b("y")));
    assertResetEof(err, 2427);
    assertResetEof(await errorOf(() => s.send(b("y"))), 2427);
  },
);

/** The client's handshake error against `openssl s_server` with `extra`. */
async function alertFrom(
  extra: string[],
  alpn: string[] | null,
): Promise<Error | null> {
  const c = await testCerts();
  await using server = opensslServer(c, ["-rev", ...extra]);
  const port = Number(await acceptPort(server));
  const ctx = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, {
    cafile: c.ca,
  });
  if (alpn !== null) ctx.set_alpn_protocols(alpn);
  const sock = await socket.create_connection(["127.0.0.1", port], 10);
  try {
    return await errorOf(async () => {
      const s = await ctx.wrap_socket(sock, { server_hostname: "localhost" });
      s.close();
    });
  } finally {
    sock.close();
  }
}

/** A handshake error from an alert, checked as CPython's `SSLError`. */
function assertAlert(
  error: unknown,
  message: string,
  reason: string | null,
): void {
  assertInstanceOf(error, ssl.SSLError);
  const err = error as ssl.SSLError;
  assertEquals(
    [err.constructor, err.message, err.errno, err.library, err.reason],
    [ssl.SSLError, message, 1, "SSL", reason],
  );
}

// CPython 3.11's reason table has no name for OpenSSL 3.0's
// TLSV1_ALERT_NO_APPLICATION_PROTOCOL: `[SSL]` alone, reason None.
tlsTest(
  "SSLContext.wrap_socket: a no_application_protocol alert is CPython's [SSL] error with no reason",
  async () => {
    assertAlert(
      await alertFrom(["-alpn", "zz"], ["h2"]),
      "[SSL] tlsv1 alert no application protocol (_ssl.c:1006)",
      null,
    );
  },
);

// BoringSSL (Bun) says TLSV1_ALERT_UNRECOGNIZED_NAME; OpenSSL 3.0 does not.
tlsTest(
  "SSLContext.wrap_socket: an unrecognized_name alert has OpenSSL 3.0's reason name",
  async () => {
    const c = await testCerts();
    const err = await alertFrom([
      "-servername",
      "zz.invalid",
      "-servername_fatal",
      "-cert2",
      c.self,
      "-key2",
      c.selfKey,
    ], null);
    assertAlert(
      err,
      "[SSL: TLSV1_UNRECOGNIZED_NAME] tlsv1 unrecognized name (_ssl.c:1006)",
      "TLSV1_UNRECOGNIZED_NAME",
    );
  },
);

// OpenSSL 3 (CPython's) refuses a client's renegotiation by default (a
// no_renegotiation alert), where Node's TLS would take it. CPython's recv()
// then raises the client's answer (s_client's handshake_failure alert);
// pysocket reads the end of stream (no runtime tells that alert).
tlsTest(
  "SSLContext.wrap_socket server refuses a client-initiated TLS 1.2 renegotiation",
  async () => {
    const c = await testCerts();
    const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER);
    ctx.maximum_version = ssl.TLSVersion.TLSv1_2;
    ctx.load_cert_chain(c.server, c.serverKey);
    const [listener, [, port]] = loopbackListener();
    await using client = new Child("openssl", [
      "s_client",
      "-connect",
      `127.0.0.1:${port}`,
      "-CAfile",
      c.ca,
      "-tls1_2",
    ], { stdin: "piped", timeoutMs: 30_000 });
    const [conn] = await listener.accept();
    listener.close();
    const s = await ctx.wrap_socket(conn, { server_side: true });
    s.settimeout(10);
    await client.waitFor("stdout", /Verify return code/);
    await client.write("R\n");
    await sleep(1000);
    // Still there (a renegotiation taken): end it.
    const { stdout, stderr } = await client.kill();
    let got = "";
    try {
      for (;;) {
        const data = await s.recv(100);
        if (data.length === 0) break;
        got += str(data);
      }
    } catch {
      // The client is gone: how its end is told is not the point here.
    } finally {
      s.close();
    }
    assertEquals(got, "");
    assertEquals(
      /no renegotiation/.test(stdout + stderr),
      true,
      stdout + stderr,
    );
  },
);
