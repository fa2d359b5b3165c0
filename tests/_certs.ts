// Copyright the pysocket authors. MIT license.
// Certificates for the TLS tests, made by `openssl` into a temporary
// directory at test time (once per process): a CA, a server certificate
// for localhost / 127.0.0.1 / ::1, an expired one, a self-signed one, one
// for another host, one without alternative names, a client certificate
// for mutual TLS, a second CA nobody trusts, the server's key encrypted
// with the passphrase "secret", and certificates that OpenSSL's checks
// refuse: a 1024-bit RSA key, a SHA-1 signature, a CA with a 1024-bit
// key, the wrong extended key usage either way, an issuer that is not a
// CA, and a client certificate from the CA nobody trusts.

import { assert, assertEquals, assertInstanceOf } from "@std/assert";
import { select } from "../select.ts";
import * as socket from "../mod.ts";
import * as ssl from "../ssl.ts";
import {
  Child,
  type ChildOptions,
  env,
  makeTempDir,
  plainPair,
  readTextFile,
  run,
  test,
  withPythonPeer,
  writeTextFile,
} from "./_util.ts";

/**
 * A TLS connection over a loopback socket pair: the client wraps with
 * `client` naming `hostname`, the server with `server`; each side's options
 * are added. With `timeout`, both sockets have it before the handshake,
 * which it then bounds. Both are closed if the handshake fails.
 */
export async function tlsPair(
  client: ssl.SSLContext,
  server: ssl.SSLContext,
  hostname: string | null = "localhost",
  clientOptions: ssl.WrapSocketOptions = {},
  serverOptions: ssl.WrapSocketOptions = {},
  timeout?: number,
): Promise<{ client: ssl.SSLSocket; server: ssl.SSLSocket }> {
  const [a, b] = await plainPair();
  if (timeout !== undefined) {
    a.settimeout(timeout);
    b.settimeout(timeout);
  }
  const serving = server.wrap_socket(b, {
    server_side: true,
    ...serverOptions,
  });
  serving.catch(() => {});
  try {
    const c = await client.wrap_socket(a, {
      server_hostname: hostname,
      ...clientOptions,
    });
    return { client: c, server: await serving };
  } catch (err) {
    a.close();
    b.close();
    await serving.then((s) => s.close(), () => {});
    throw err;
  }
}

/**
 * Default contexts with the test certificates: `[client, server]`, the
 * client trusting `ca`, the server with the `server` certificate and key.
 */
export async function testContexts(): Promise<
  [ssl.SSLContext, ssl.SSLContext]
> {
  const certs = await testCerts();
  const server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH);
  server.load_cert_chain(certs.server, certs.serverKey);
  const client = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, {
    cafile: certs.ca,
  });
  return [client, server];
}

/**
 * A TLS connection over loopback with the test certificates (a client that
 * trusts `ca` and names `localhost`): `[client, server]`, each socket with
 * `timeout` seconds, set before the handshake, which it bounds (both closed
 * if it fails).
 */
export async function loopbackTls(
  timeout: number,
): Promise<[ssl.SSLSocket, ssl.SSLSocket]> {
  const [clientCtx, serverCtx] = await testContexts();
  const { client, server } = await tlsPair(
    clientCtx,
    serverCtx,
    "localhost",
    {},
    {},
    timeout,
  );
  return [client, server];
}

/** Paths of the test certificates and keys (PEM files). */
export interface TestCerts {
  dir: string;
  /** The CA that signed the others (trust it: `cafile: ca`). */
  ca: string;
  /** A second CA, which signed nothing here. */
  otherCa: string;
  /** localhost, 127.0.0.1, ::1; signed by `ca`. */
  server: string;
  serverKey: string;
  /** `server`'s key, encrypted with the passphrase "secret". */
  serverKeyEncrypted: string;
  /** `server` and its key in one file. */
  serverCombined: string;
  /** localhost, valid Jan 1–2 2020; signed by `ca`. */
  expired: string;
  expiredKey: string;
  /** localhost, self-signed. */
  self: string;
  selfKey: string;
  /** example.org only; signed by `ca`. */
  wrongHost: string;
  wrongHostKey: string;
  /** CN=localhost and no subjectAltName; signed by `ca`. */
  noSan: string;
  noSanKey: string;
  /** CN=pysocket client, for clientAuth; signed by `ca`. */
  client: string;
  clientKey: string;
  /** localhost, a 1024-bit RSA key; signed by `ca`. */
  weakKey: string;
  weakKeyKey: string;
  /** localhost, signed by `ca` with SHA-1. */
  sha1: string;
  sha1Key: string;
  /** A CA whose own (self-)signature is SHA-1. */
  sha1Ca: string;
  /** localhost, signed by `sha1Ca` with SHA-256; then `sha1Ca`. */
  sha1CaChain: string;
  sha1CaLeafKey: string;
  /** localhost, self-signed with SHA-1. */
  sha1Self: string;
  sha1SelfKey: string;
  /** A CA with a 1024-bit RSA key. */
  weakCa: string;
  /** localhost, signed by `weakCa`. */
  weakCaLeaf: string;
  weakCaLeafKey: string;
  /** localhost, extendedKeyUsage clientAuth only; signed by `ca`. */
  clientEku: string;
  clientEkuKey: string;
  /**
   * localhost, signed by a certificate that is not a CA (CA:FALSE), itself
   * signed by `ca`: both, leaf first.
   */
  notCaChain: string;
  notCaLeafKey: string;
  /** A client certificate with extendedKeyUsage serverAuth only (`ca`). */
  serverEkuClient: string;
  serverEkuClientKey: string;
  /** A client certificate signed by `otherCa`. */
  strangerClient: string;
  strangerClientKey: string;
  /** A client certificate with a 1024-bit RSA key; signed by `ca`. */
  weakClient: string;
  weakClientKey: string;
}

let made: Promise<TestCerts> | undefined;
let openssl: boolean | undefined;

/**
 * Why the TLS tests that need certificates cannot run here, for `ignore:`
 * (`false` where `openssl` is installed; in CI it must be).
 *
 * @returns `false`, or the reason.
 * @throws {Error} In CI, when `openssl` is missing.
 */
export async function noOpenssl(): Promise<false | string> {
  if (openssl === undefined) {
    try {
      openssl = (await run("openssl", ["version"])).code === 0;
    } catch {
      openssl = false;
    }
    if (!openssl) {
      if (env("CI")) {
        throw new Error("openssl is required in CI for the TLS tests");
      }
      console.warn("NOTICE: openssl not found: the TLS tests are skipped.");
    }
  }
  return openssl ? false : "openssl not found (it makes the test certificates)";
}

/**
 * Runs `openssl` with `args` in `cwd`.
 *
 * @throws {Error} When it fails (its stderr in the message).
 */
export async function runOpenssl(args: string[], cwd: string): Promise<void> {
  const { code, stderr } = await run("openssl", args, { cwd });
  if (code !== 0) throw new Error(`openssl ${args.join(" ")}: ${stderr}`);
}

/**
 * `openssl req -new` in `dir`: `<name>.csr`, a request for the key
 * `<name>.key` with the subject `subject`.
 */
export function certRequest(
  dir: string,
  name: string,
  subject: string,
): Promise<void> {
  return runOpenssl([
    "req",
    "-new",
    "-key",
    `${name}.key`,
    "-out",
    `${name}.csr`,
    "-subj",
    subject,
  ], dir);
}

/** `openssl ca`'s configuration, up to its extension sections. */
const CA_CONF = `[ ca ]
default_ca = test_ca
[ test_ca ]
dir = ./db
database = $dir/index.txt
new_certs_dir = $dir
serial = $dir/serial
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
[ any ]
commonName = supplied
`;

/**
 * Readies `openssl ca -config ca.cnf` in `dir`: an empty database in
 * `dir/db` whose serial numbers start at `serial` (hexadecimal), and
 * `ca.cnf` with the extension sections `extensions`.
 */
export async function caConfig(
  dir: string,
  serial: string,
  extensions: string,
): Promise<void> {
  await run("mkdir", ["-p", `${dir}/db`]);
  await writeTextFile(`${dir}/db/index.txt`, "");
  await writeTextFile(`${dir}/db/serial`, `${serial}\n`);
  await writeTextFile(`${dir}/ca.cnf`, CA_CONF + extensions);
}

/** `openssl ecparam` in `dir`: a P-256 key, `<name>.key`. */
export function ecKey(dir: string, name: string): Promise<void> {
  return runOpenssl([
    "ecparam",
    "-name",
    "prime256v1",
    "-genkey",
    "-noout",
    "-out",
    `${name}.key`,
  ], dir);
}

/** How {@linkcode signedCert} makes and signs a certificate. */
export interface SignOptions {
  /**
   * The key: P-256 (`false`), or RSA of 2048 bits (`true`) or of this many.
   *
   * @default {false}
   */
  rsa?: boolean | number;
  /**
   * The signer: `<issuer>.pem` with `<issuer>.key`.
   *
   * @default {"ca"}
   */
  issuer?: string;
  /**
   * The signature's digest.
   *
   * @default {"sha256"}
   */
  md?: string;
  /**
   * Days it is valid for, from now.
   *
   * @default {365}
   */
  days?: number;
}

/**
 * A certificate for a new key, signed by another (`openssl x509 -req` in
 * `dir`): `<name>.key`, `<name>.csr` for `subject`, `<name>.ext` holding
 * the extensions `ext` (one a line), and `<name>.pem`.
 */
export async function signedCert(
  dir: string,
  name: string,
  subject: string,
  ext: string,
  { rsa = false, issuer = "ca", md = "sha256", days = 365 }: SignOptions = {},
): Promise<void> {
  if (rsa) {
    const bits = rsa === true ? "2048" : String(rsa);
    await runOpenssl(["genrsa", "-out", `${name}.key`, bits], dir);
  } else await ecKey(dir, name);
  await certRequest(dir, name, subject);
  await writeTextFile(`${dir}/${name}.ext`, ext);
  await runOpenssl([
    "x509",
    "-req",
    "-in",
    `${name}.csr`,
    "-CA",
    `${issuer}.pem`,
    "-CAkey",
    `${issuer}.key`,
    "-CAcreateserial",
    "-out",
    `${name}.pem`,
    "-days",
    String(days),
    `-${md}`,
    "-extfile",
    `${name}.ext`,
  ], dir);
}

/**
 * `openssl req -x509` in `dir`: `<name>.pem`, self-signed with the key
 * `<name>.key` for `subject`, valid for `days` from now, with the
 * extensions `ext` (each an `-addext`).
 */
export function selfSignedCert(
  dir: string,
  name: string,
  subject: string,
  days: number,
  ...ext: string[]
): Promise<void> {
  return runOpenssl([
    "req",
    "-x509",
    "-key",
    `${name}.key`,
    "-out",
    `${name}.pem`,
    "-days",
    String(days),
    "-subj",
    subject,
    ...ext.flatMap((e) => ["-addext", e]),
  ], dir);
}

/**
 * `openssl ca` in `dir` (readied by {@linkcode caConfig}): `out`, a
 * certificate valid Jan 1–2 2020 only for the request `<name>.csr`, with
 * the extension section `extensions`, signed by `issuer` (`<issuer>.pem`,
 * `<issuer>.key`) or, where it is `null`, self-signed with `<name>.key`.
 */
export function expiredCert(
  dir: string,
  name: string,
  out: string,
  issuer: string | null,
  extensions: string,
): Promise<void> {
  return runOpenssl([
    "ca",
    "-batch",
    "-config",
    "ca.cnf",
    ...(issuer === null
      ? ["-selfsign", "-keyfile", `${name}.key`]
      : ["-cert", `${issuer}.pem`, "-keyfile", `${issuer}.key`]),
    "-in",
    `${name}.csr`,
    "-out",
    out,
    "-startdate",
    "20200101000000Z",
    "-enddate",
    "20200102000000Z",
    "-extensions",
    extensions,
    "-notext",
  ], dir);
}

/** `out` in `dir`: the files `names` in `dir`, one after another. */
export async function concatFiles(
  dir: string,
  out: string,
  ...names: string[]
): Promise<void> {
  let text = "";
  for (const name of names) text += await readTextFile(`${dir}/${name}`);
  await writeTextFile(`${dir}/${out}`, text);
}

async function make(): Promise<TestCerts> {
  const dir = await makeTempDir({ prefix: "pysocket-certs-" });
  const p = (name: string) => `${dir}/${name}`;
  const sh = (args: string[]) => runOpenssl(args, dir);
  // The CA and the server use RSA (the common case); the rest EC (fast).
  for (
    const [name, cn] of [["ca", "pysocket test CA"], [
      "other_ca",
      "nobody's CA",
    ]]
  ) {
    await sh([
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      `${name}.key`,
      "-out",
      `${name}.pem`,
      "-days",
      "3650",
      "-subj",
      `/C=US/O=pysocket test/CN=${cn}`,
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
    ]);
  }
  const sign = (
    name: string,
    subject: string,
    ext: string,
    rsa: boolean | number = false,
    options: SignOptions = {},
  ) => signedCert(dir, name, subject, ext, { rsa, ...options });
  await sign(
    "server",
    "/C=US/ST=CA/O=pysocket/CN=localhost",
    "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    true,
  );
  await sign(
    "wrong",
    "/CN=example.org",
    "subjectAltName=DNS:example.org\nbasicConstraints=CA:FALSE\n",
  );
  await sign(
    "nosan",
    "/O=pysocket/CN=localhost",
    "basicConstraints=CA:FALSE\n",
  );
  await sign(
    "client",
    "/CN=pysocket client",
    "basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n",
  );
  const localhost = "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\n";
  await sign("weak", "/CN=localhost", localhost, 1024);
  await sign("sha1", "/CN=localhost", localhost, false, { md: "sha1" });
  const selfSigned = (name: string, subject: string, ...ext: string[]) =>
    sh([
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-keyout",
      `${name}.key`,
      "-out",
      `${name}.pem`,
      "-days",
      "3650",
      "-sha1",
      "-subj",
      subject,
      ...ext.flatMap((e) => ["-addext", e]),
    ]);
  /** `<ca>_chain.pem`: the leaf `<ca>` signed, then `<ca>` itself. */
  const chain = (ca: string) =>
    concatFiles(dir, `${ca}_chain.pem`, `${ca}_leaf.pem`, `${ca}.pem`);
  await selfSigned(
    "sha1_ca",
    "/CN=SHA-1 CA",
    "basicConstraints=critical,CA:TRUE",
    "keyUsage=critical,keyCertSign,cRLSign",
  );
  await sign("sha1_ca_leaf", "/CN=localhost", localhost, false, {
    issuer: "sha1_ca",
  });
  await chain("sha1_ca");
  await selfSigned(
    "sha1_self",
    "/CN=localhost",
    "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1",
  );
  await sh([
    "req",
    "-x509",
    "-newkey",
    "rsa:1024",
    "-nodes",
    "-keyout",
    "weak_ca.key",
    "-out",
    "weak_ca.pem",
    "-days",
    "3650",
    "-subj",
    "/CN=weak CA",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  ]);
  await sign("weak_ca_leaf", "/CN=localhost", localhost, false, {
    issuer: "weak_ca",
  });
  await sign(
    "client_eku",
    "/CN=localhost",
    `${localhost}extendedKeyUsage=clientAuth\n`,
  );
  await sign("not_ca", "/CN=not a CA", "basicConstraints=CA:FALSE\n");
  await sign("not_ca_leaf", "/CN=localhost", localhost, false, {
    issuer: "not_ca",
  });
  await chain("not_ca");
  await sign(
    "server_eku_client",
    "/CN=server-only client",
    "extendedKeyUsage=serverAuth\n",
  );
  await sign("stranger_client", "/CN=stranger client", "", false, {
    issuer: "other_ca",
  });
  await sign("weak_client", "/CN=weak client", "", 1024);
  // Expired: `openssl ca` can date a certificate in the past.
  await ecKey(dir, "expired");
  await certRequest(dir, "expired", "/CN=localhost");
  await caConfig(
    dir,
    "1000",
    `[ server_ext ]
subjectAltName = DNS:localhost,IP:127.0.0.1,IP:::1
basicConstraints = CA:FALSE
`,
  );
  await expiredCert(dir, "expired", "expired.pem", "ca", "server_ext");
  await ecKey(dir, "self");
  await selfSignedCert(
    dir,
    "self",
    "/CN=localhost",
    365,
    "subjectAltName=DNS:localhost,IP:127.0.0.1",
  );
  await sh([
    "pkey",
    "-in",
    "server.key",
    "-aes256",
    "-passout",
    "pass:secret",
    "-out",
    "server_enc.key",
  ]);
  await concatFiles(dir, "server_combined.pem", "server.pem", "server.key");
  return {
    dir,
    ca: p("ca.pem"),
    otherCa: p("other_ca.pem"),
    server: p("server.pem"),
    serverKey: p("server.key"),
    serverKeyEncrypted: p("server_enc.key"),
    serverCombined: p("server_combined.pem"),
    expired: p("expired.pem"),
    expiredKey: p("expired.key"),
    self: p("self.pem"),
    selfKey: p("self.key"),
    wrongHost: p("wrong.pem"),
    wrongHostKey: p("wrong.key"),
    noSan: p("nosan.pem"),
    noSanKey: p("nosan.key"),
    client: p("client.pem"),
    clientKey: p("client.key"),
    weakKey: p("weak.pem"),
    weakKeyKey: p("weak.key"),
    sha1: p("sha1.pem"),
    sha1Key: p("sha1.key"),
    sha1Ca: p("sha1_ca.pem"),
    sha1CaChain: p("sha1_ca_chain.pem"),
    sha1CaLeafKey: p("sha1_ca_leaf.key"),
    sha1Self: p("sha1_self.pem"),
    sha1SelfKey: p("sha1_self.key"),
    weakCa: p("weak_ca.pem"),
    weakCaLeaf: p("weak_ca_leaf.pem"),
    weakCaLeafKey: p("weak_ca_leaf.key"),
    clientEku: p("client_eku.pem"),
    clientEkuKey: p("client_eku.key"),
    notCaChain: p("not_ca_chain.pem"),
    notCaLeafKey: p("not_ca_leaf.key"),
    serverEkuClient: p("server_eku_client.pem"),
    serverEkuClientKey: p("server_eku_client.key"),
    strangerClient: p("stranger_client.pem"),
    strangerClientKey: p("stranger_client.key"),
    weakClient: p("weak_client.pem"),
    weakClientKey: p("weak_client.key"),
  };
}

/**
 * The test certificates, made on first use (call only from a test that is
 * not ignored by {@linkcode noOpenssl}).
 *
 * @returns Their paths.
 */
export function testCerts(): Promise<TestCerts> {
  return made ??= make();
}

/**
 * The start of a CPython TLS server for `withPythonPeer()`: it connects to
 * the port in `sys.argv[1]` (with `timeout` seconds) and wraps that
 * connection as a server with the test certificate, as `s`; `socket`,
 * `ssl`, `struct`, `sys` and `time` are imported.
 */
export async function pyTlsServerHead(timeout: number): Promise<string> {
  const certs = await testCerts();
  return `import socket, ssl, struct, sys, time
c = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=${timeout})
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(${JSON.stringify(certs.server)}, ${
    JSON.stringify(certs.serverKey)
  })
s = ctx.wrap_socket(c, server_side=True)
`;
}

/**
 * pysocket's TLS client (the test contexts', naming `localhost`, with a
 * timeout of 5 s) of a CPython TLS server `script` (see
 * {@linkcode pyTlsServerHead}) run by `withPythonPeer()`: `body` gets it
 * once the server said "ready", and it is closed after.
 * `suppress_ragged_eofs` is the wrap's.
 */
export async function withPythonTlsServer<T>(
  script: string,
  body: (mine: ssl.SSLSocket, peer: Child) => Promise<T>,
  suppress_ragged_eofs = true,
): Promise<T> {
  return await withPythonPeer(script, async (conn, peer) => {
    conn.settimeout(5);
    const [clientCtx] = await testContexts();
    const mine = await clientCtx.wrap_socket(conn, {
      server_hostname: "localhost",
      suppress_ragged_eofs,
    });
    try {
      await peer.waitFor("stdout", /ready/);
      return await body(mine, peer);
    } finally {
      mine.close();
    }
  });
}

/**
 * `openssl s_server` for one connection, with the test server's
 * certificate and key, on a free port (see {@linkcode acceptPort}).
 *
 * @param extra More of its flags (`-www`: answer an HTTP GET).
 */
export function opensslServer(
  c: TestCerts,
  extra: string[] = [],
  options: ChildOptions = {},
): Child {
  return new Child("openssl", [
    "s_server",
    "-accept",
    "0",
    "-naccept",
    "1",
    "-cert",
    c.server,
    "-key",
    c.serverKey,
    ...extra,
  ], { timeoutMs: 60_000, ...options });
}

/** The port an `openssl s_server` listens on, once it does. */
export async function acceptPort(server: Child): Promise<string> {
  const [, port] = await server.waitFor("stdout", /ACCEPT\s+\S*:(\d+)/);
  return port;
}

/**
 * A handshake over loopback between `client` (checking `hostname`) and
 * `server`, then one byte each way.
 *
 * @returns Both ends' errors (`null`: that end succeeded).
 */
export async function handshake(
  client: ssl.SSLContext,
  server: ssl.SSLContext,
  hostname = "localhost",
): Promise<{ client: unknown; server: unknown }> {
  const [a, b] = await plainPair();
  const out = await Promise.allSettled([
    client.wrap_socket(a, { server_hostname: hostname }).then(async (s) => {
      try {
        // TLS 1.3: a refused client certificate is told after the
        // client's handshake, at its first read.
        await s.sendall(new Uint8Array([1]));
        await s.recv(1);
      } finally {
        s.close();
      }
    }),
    server.wrap_socket(b, { server_side: true }).then(async (s) => {
      try {
        await s.recv(1);
        await s.sendall(new Uint8Array([2]));
      } finally {
        s.close();
      }
    }),
  ]);
  a.close();
  b.close();
  return {
    client: out[0].status === "rejected" ? out[0].reason : null,
    server: out[1].status === "rejected" ? out[1].reason : null,
  };
}

/** A refused certificate's error, checked as CPython's `SSLCertVerificationError`. */
export function assertVerifyError(
  error: unknown,
  code: number,
  message: string,
): void {
  assertInstanceOf(error, ssl.SSLCertVerificationError);
  const err = error as ssl.SSLCertVerificationError;
  assertInstanceOf(err, socket.ValueError);
  assertEquals(
    [err.errno, err.verify_code, err.verify_message, err.reason, err.library],
    [1, code, message, "CERTIFICATE_VERIFY_FAILED", "SSL"],
  );
  assertEquals(
    err.message,
    `[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: ${message} (_ssl.c:1006)`,
  );
}

/**
 * Finishes a non-blocking handshake as a Python select loop does: each
 * `SSLWantReadError` waits for readability (at most 20 rounds, 5 s each),
 * and the socket is readable each time (no polling needed).
 */
export async function finishHandshake(s: ssl.SSLSocket): Promise<void> {
  for (let i = 0;; i++) {
    try {
      await s.do_handshake();
      return;
    } catch (err) {
      assertInstanceOf(err, ssl.SSLWantReadError);
      assert(i < 20, "the handshake finishes");
      const [readable] = await select([s], [], [], 5);
      assertEquals(readable, [s]);
    }
  }
}

/** Why the TLS tests cannot run here, for `ignore:` (no `openssl`). */
const NO_OPENSSL = await noOpenssl();

/**
 * A test that needs the test certificates: skipped, with the reason, where
 * `openssl` is missing, or where `unless` gives one (a runtime that cannot
 * do what it tests).
 */
export function tlsTest(
  name: string,
  fn: () => Promise<void>,
  unless: false | string = false,
): void {
  test(name, fn, { ignore: NO_OPENSSL || unless });
}
