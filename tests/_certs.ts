// Copyright the pysocket authors. MIT license.
// Certificates for the TLS tests, made by `openssl` into a temporary
// directory at test time (once per process): a CA, a server certificate
// for localhost / 127.0.0.1 / ::1, an expired one, a self-signed one, one
// for another host, one without alternative names, a client certificate
// for mutual TLS, a second CA nobody trusts, and the server's key
// encrypted with the passphrase "secret".

import {
  Child,
  type ChildOptions,
  env,
  makeTempDir,
  readTextFile,
  run,
  writeTextFile,
} from "./_util.ts";

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

async function openssl_(args: string[], cwd: string): Promise<void> {
  const { code, stderr } = await run("openssl", args, { cwd });
  if (code !== 0) throw new Error(`openssl ${args.join(" ")}: ${stderr}`);
}

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
[ server_ext ]
subjectAltName = DNS:localhost,IP:127.0.0.1,IP:::1
basicConstraints = CA:FALSE
`;

async function make(): Promise<TestCerts> {
  const dir = await makeTempDir({ prefix: "pysocket-certs-" });
  const p = (name: string) => `${dir}/${name}`;
  const sh = (args: string[]) => openssl_(args, dir);
  const ec = (key: string) =>
    sh(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key]);
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
  const sign = async (
    name: string,
    subject: string,
    ext: string,
    rsa = false,
  ) => {
    if (rsa) {
      await sh(["genrsa", "-out", `${name}.key`, "2048"]);
    } else await ec(`${name}.key`);
    await sh([
      "req",
      "-new",
      "-key",
      `${name}.key`,
      "-out",
      `${name}.csr`,
      "-subj",
      subject,
    ]);
    await writeTextFile(p(`${name}.ext`), ext);
    await sh([
      "x509",
      "-req",
      "-in",
      `${name}.csr`,
      "-CA",
      "ca.pem",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-out",
      `${name}.pem`,
      "-days",
      "365",
      "-sha256",
      "-extfile",
      `${name}.ext`,
    ]);
  };
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
  // Expired: `openssl ca` can date a certificate in the past.
  await ec("expired.key");
  await sh([
    "req",
    "-new",
    "-key",
    "expired.key",
    "-out",
    "expired.csr",
    "-subj",
    "/CN=localhost",
  ]);
  await run("mkdir", ["-p", p("db")]);
  await writeTextFile(p("db/index.txt"), "");
  await writeTextFile(p("db/serial"), "1000\n");
  await writeTextFile(p("ca.cnf"), CA_CONF);
  await sh([
    "ca",
    "-batch",
    "-config",
    "ca.cnf",
    "-cert",
    "ca.pem",
    "-keyfile",
    "ca.key",
    "-in",
    "expired.csr",
    "-out",
    "expired.pem",
    "-startdate",
    "20200101000000Z",
    "-enddate",
    "20200102000000Z",
    "-extensions",
    "server_ext",
    "-notext",
  ]);
  await ec("self.key");
  await sh([
    "req",
    "-x509",
    "-key",
    "self.key",
    "-out",
    "self.pem",
    "-days",
    "365",
    "-subj",
    "/CN=localhost",
    "-addext",
    "subjectAltName=DNS:localhost,IP:127.0.0.1",
  ]);
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
  await writeTextFile(
    p("server_combined.pem"),
    (await readTextFile(p("server.pem"))) +
      (await readTextFile(p("server.key"))),
  );
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
