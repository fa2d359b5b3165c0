// Copyright the pysocket authors. MIT license.
// ssl: refusals the runtime words in its own terms, found again as OpenSSL's
// (round 17): a CA certificate used as the leaf (rustls refuses it, CPython
// takes it), a certificate whose signature does not verify (7), an
// intermediate whose key usage lacks keyCertSign (79, which Node's own
// chain hides), OpenSSL's order between a signature and a validity period,
// and a client certificate a CERT_REQUIRED server refuses. Certificates are
// made by openssl at test time; the expected results are CPython 3.11's
// (OpenSSL 3.0) on the same certificates.

import { assertEquals, assertInstanceOf } from "@std/assert";
import * as socket from "../mod.ts";
import * as ssl from "../ssl.ts";
import {
  Child,
  errorOf,
  makeTempDir,
  readTextFile,
  runtime,
  writeTextFile,
} from "./_util.ts";
import {
  assertVerifyError,
  caConfig,
  certRequest,
  concatFiles,
  ecKey,
  expiredCert,
  handshake,
  selfSignedCert,
  signedCert,
  tlsTest,
} from "./_certs.ts";

/** Paths of this file's certificates (PEM), in one temporary directory. */
interface Certs {
  dir: string;
  /** The root every other certificate is under. */
  root: string;
}

let made: Promise<Certs> | undefined;

/** This file's certificates, made once. */
function certs(): Promise<Certs> {
  return made ??= makeCerts();
}

const LOCALHOST = "subjectAltName=DNS:localhost,IP:127.0.0.1\n";

/**
 * `<name>.pem` with its signature's last byte flipped: well formed, and no
 * key verifies it (an ECDSA signature's `s` changed).
 */
async function breakSignature(dir: string, name: string): Promise<void> {
  const pem = await readTextFile(`${dir}/${name}.pem`);
  const body = pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "");
  const der = Uint8Array.from(atob(body), (c) => c.charCodeAt(0));
  der[der.length - 1] ^= 0x01;
  const b64 = btoa(String.fromCharCode(...der)).replace(/.{64}/g, "$&\n");
  await writeTextFile(
    `${dir}/${name}.pem`,
    `-----BEGIN CERTIFICATE-----\n${b64.trimEnd()}\n-----END CERTIFICATE-----\n`,
  );
}

async function makeCerts(): Promise<Certs> {
  const dir = await makeTempDir({ prefix: "pysocket-verify17-" });
  await ecKey(dir, "root");
  await selfSignedCert(
    dir,
    "root",
    "/CN=verify17 root",
    3650,
    "basicConstraints=critical,CA:TRUE",
    "keyUsage=critical,keyCertSign,cRLSign",
  );
  const leaf = (name: string, issuer: string, ext = "") =>
    signedCert(dir, name, "/CN=localhost", LOCALHOST + ext, { issuer });
  await leaf("server", "root");
  // A leaf that is a CA certificate (not self-signed).
  await leaf(
    "ca_leaf",
    "root",
    "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,digitalSignature,keyCertSign\n",
  );
  // A leaf whose signature does not verify.
  await leaf("badsig", "root");
  await breakSignature(dir, "badsig");
  // Intermediates: CA:TRUE without keyCertSign; CA:FALSE.
  const int = (name: string, ext: string) =>
    signedCert(dir, name, `/CN=${name}`, ext, { issuer: "root" });
  await int(
    "int_noku",
    "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,digitalSignature\n",
  );
  await leaf("under_noku", "int_noku");
  await concatFiles(
    dir,
    "under_noku_chain.pem",
    "under_noku.pem",
    "int_noku.pem",
  );
  await int("int_caf", "basicConstraints=critical,CA:FALSE\n");
  await leaf("under_caf", "int_caf");
  await concatFiles(dir, "under_caf_chain.pem", "under_caf.pem", "int_caf.pem");
  // A self-signed client certificate.
  await ecKey(dir, "self");
  await selfSignedCert(dir, "self", "/CN=localhost", 365, LOCALHOST.trim());
  // Expired (Jan 1–2 2020), with a bad signature; and an expired
  // intermediate above a leaf with a bad signature.
  await caConfig(
    dir,
    "3000",
    `[ leaf_ext ]
subjectAltName = DNS:localhost,IP:127.0.0.1
[ int_ext ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
`,
  );
  await ecKey(dir, "old_badsig");
  await certRequest(dir, "old_badsig", "/CN=localhost");
  await expiredCert(dir, "old_badsig", "old_badsig.pem", "root", "leaf_ext");
  await breakSignature(dir, "old_badsig");
  await ecKey(dir, "int_old");
  await certRequest(dir, "int_old", "/CN=int_old");
  await expiredCert(dir, "int_old", "int_old.pem", "root", "int_ext");
  await leaf("badsig_under_old", "int_old");
  await breakSignature(dir, "badsig_under_old");
  await concatFiles(
    dir,
    "badsig_under_old_chain.pem",
    "badsig_under_old.pem",
    "int_old.pem",
  );
  // CA certificates signed by the root whose keyUsage (critical, then
  // not) or authorityKeyIdentifier is an OCTET STRING where a BIT STRING
  // or a SEQUENCE belongs: OpenSSL marks each invalid and builds no chain
  // through it.
  const malformed = (name: string, ext: string) =>
    leaf(name, "root", `basicConstraints=critical,CA:TRUE\n${ext}\n`);
  await malformed("bad_ku", "keyUsage=critical,DER:04:02:07:80");
  await malformed("bad_ku_noncrit", "keyUsage=DER:04:02:07:80");
  await malformed("bad_akid", "authorityKeyIdentifier=DER:04:01:00");
  // A self-signed root nobody trusts with the trusted root's name (and no
  // authorityKeyIdentifier), sent after a leaf it signed.
  await ecKey(dir, "mimic");
  await selfSignedCert(
    dir,
    "mimic",
    "/CN=verify17 root",
    3650,
    "basicConstraints=critical,CA:TRUE",
    "keyUsage=critical,keyCertSign,cRLSign",
    "authorityKeyIdentifier=none",
  );
  await leaf("under_mimic", "mimic", "basicConstraints=critical,CA:FALSE\n");
  await concatFiles(
    dir,
    "under_mimic_chain.pem",
    "under_mimic.pem",
    "mimic.pem",
  );
  return { dir, root: `${dir}/root.pem` };
}

/** A context of `side` trusting the root. */
async function context(
  side: "client" | "server",
): Promise<ssl.SSLContext> {
  const c = await certs();
  const ctx = new ssl.SSLContext(
    side === "client" ? ssl.PROTOCOL_TLS_CLIENT : ssl.PROTOCOL_TLS_SERVER,
  );
  ctx.load_verify_locations(c.root);
  return ctx;
}

/**
 * The client's error where the server presents `chain` (`<chain>.pem`,
 * the key `<key>.key`), `null` if it connected.
 */
async function asServer(chain: string, key = chain): Promise<unknown> {
  const c = await certs();
  const server = new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER);
  server.load_cert_chain(`${c.dir}/${chain}.pem`, `${c.dir}/${key}.key`);
  return (await handshake(await context("client"), server)).client;
}

/**
 * The error of a CERT_REQUIRED server trusting the root where the client
 * presents `chain`, `null` if it took it.
 */
async function asClient(chain: string, key = chain): Promise<unknown> {
  const c = await certs();
  const server = await context("server");
  server.load_cert_chain(`${c.dir}/server.pem`, `${c.dir}/server.key`);
  server.verify_mode = ssl.CERT_REQUIRED;
  const client = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
  client.check_hostname = false;
  client.verify_mode = ssl.CERT_NONE;
  client.load_cert_chain(`${c.dir}/${chain}.pem`, `${c.dir}/${key}.key`);
  return (await handshake(client, server)).server;
}

/** Bun's server lets BoringSSL refuse a client certificate, in its words. */
const BUN_SERVER = runtime === "bun" &&
  "Bun's server refuses a client certificate with BoringSSL's reason (README)";

tlsTest(
  "SSLContext.wrap_socket: a server certificate with basicConstraints CA:TRUE (not self-signed) is accepted, as CPython",
  async () => {
    // Deno (rustls: CaUsedAsEndEntity) refused it as 18, self-signed.
    assertEquals(await asServer("ca_leaf"), null);
  },
);

tlsTest(
  "SSLContext.wrap_socket: a client certificate with basicConstraints CA:TRUE is accepted by a CERT_REQUIRED server, as CPython",
  async () => {
    assertEquals(await asClient("ca_leaf"), null);
  },
);

tlsTest(
  "SSLContext.wrap_socket: a server certificate whose signature does not verify: CERT_SIGNATURE_FAILURE (7)",
  async () => {
    // Deno: was 20, unable to get local issuer certificate.
    assertVerifyError(
      await asServer("badsig"),
      7,
      "certificate signature failure",
    );
  },
);

tlsTest(
  "SSLContext.wrap_socket: a client certificate whose signature does not verify: CERT_SIGNATURE_FAILURE (7)",
  async () => {
    assertVerifyError(
      await asClient("badsig"),
      7,
      "certificate signature failure",
    );
  },
);

tlsTest(
  "SSLContext.wrap_socket: signature and validity in OpenSSL's order, from the root down (7 before the same certificate's 10; an issuer's 10 before it)",
  async () => {
    assertVerifyError(
      await asServer("old_badsig"),
      7,
      "certificate signature failure",
    );
    assertVerifyError(
      await asServer("badsig_under_old_chain", "badsig_under_old"),
      10,
      "certificate has expired",
    );
  },
);

tlsTest(
  "SSLContext.wrap_socket: a server's intermediate whose key usage lacks keyCertSign: INVALID_CA (79)",
  async () => {
    // Node: was 20 (its chain left the intermediate out).
    assertVerifyError(
      await asServer("under_noku_chain", "under_noku"),
      79,
      "invalid CA certificate",
    );
  },
);

tlsTest(
  "SSLContext.wrap_socket: a client's intermediate whose key usage lacks keyCertSign: INVALID_CA (79)",
  async () => {
    assertVerifyError(
      await asClient("under_noku_chain", "under_noku"),
      79,
      "invalid CA certificate",
    );
  },
  BUN_SERVER,
);

tlsTest(
  "SSLContext.wrap_socket: a CERT_REQUIRED server refusing a client certificate gives OpenSSL's first reason",
  async () => {
    assertVerifyError(
      await asClient("under_caf_chain", "under_caf"),
      79,
      "invalid CA certificate",
    );
    assertVerifyError(await asClient("self"), 18, "self-signed certificate");
  },
  BUN_SERVER,
);

/**
 * Bun's TLS (BoringSSL) does not get as far as a verify code with these
 * certificates: it refuses one whose authorityKeyIdentifier does not parse
 * in the handshake itself, with no chain to judge (`SSLError`
 * `CERTIFICATE_VERIFY_FAILED`, no `verify_code`).
 */
const BUN_MALFORMED = runtime === "bun" &&
  "Bun's TLS (BoringSSL) refuses a certificate whose keyUsage or authorityKeyIdentifier does not parse without a verify code (README)";

/**
 * `openssl s_client` presenting `name` to pysocket's CERT_REQUIRED server
 * trusting the root: the server's error, `null` if it took it.
 */
async function toServerFromOpenssl(name: string): Promise<unknown> {
  const c = await certs();
  const server = await context("server");
  server.load_cert_chain(`${c.dir}/server.pem`, `${c.dir}/server.key`);
  server.verify_mode = ssl.CERT_REQUIRED;
  const listener = socket.socket();
  listener.bind(["127.0.0.1", 0]);
  listener.listen();
  listener.settimeout(10);
  const [, port] = listener.getsockname() as [string, number];
  await using _client = new Child("openssl", [
    "s_client",
    "-connect",
    `127.0.0.1:${port}`,
    "-cert",
    `${c.dir}/${name}.pem`,
    "-key",
    `${c.dir}/${name}.key`,
  ], { stdin: "piped", timeoutMs: 30_000 });
  const [conn] = await listener.accept();
  listener.close();
  conn.settimeout(10);
  try {
    (await server.wrap_socket(conn, { server_side: true })).close();
    return null;
  } catch (err) {
    return err;
  } finally {
    conn.close();
  }
}

for (
  const [name, what] of [
    ["bad_ku", "a critical keyUsage"],
    ["bad_ku_noncrit", "a keyUsage"],
    ["bad_akid", "an authorityKeyIdentifier"],
  ]
) {
  tlsTest(
    `SSLContext.load_cert_chain: a certificate with ${what} of the wrong type is refused: [X509V3: INVALID_CERTIFICATE]`,
    async () => {
      const c = await certs();
      const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER);
      const err = await errorOf(() =>
        ctx.load_cert_chain(`${c.dir}/${name}.pem`, `${c.dir}/${name}.key`)
      );
      assertInstanceOf(err, ssl.SSLError);
      assertEquals(
        (err as ssl.SSLError).message,
        "[X509V3: INVALID_CERTIFICATE] invalid certificate (_ssl.c:3905)",
      );
    },
  );

  // Deno: was accepted (rustls stops at CaUsedAsEndEntity, and pysocket
  // took the CA certificate as the leaf without the extensions OpenSSL
  // refuses it for). Presented by openssl's s_client, which loads it (its
  // s_server loads it too, but then fails the handshake: no server can
  // present it here).
  tlsTest(
    `SSLContext.wrap_socket: a client certificate with basicConstraints CA:TRUE and ${what} of the wrong type is refused by a CERT_REQUIRED server: UNABLE_TO_GET_ISSUER_CERT_LOCALLY (20)`,
    async () => {
      assertVerifyError(
        await toServerFromOpenssl(name),
        20,
        "unable to get local issuer certificate",
      );
    },
    BUN_MALFORMED,
  );
}

tlsTest(
  "SSLContext.wrap_socket: a server certificate sent with an untrusted self-signed root of the trusted root's name: SELF_SIGNED_CERT_IN_CHAIN (19)",
  async () => {
    assertVerifyError(
      await asServer("under_mimic_chain", "under_mimic"),
      19,
      "self-signed certificate in certificate chain",
    );
  },
);

tlsTest(
  "SSLContext.wrap_socket: a client certificate sent with an untrusted self-signed root of the trusted root's name: SELF_SIGNED_CERT_IN_CHAIN (19)",
  async () => {
    assertVerifyError(
      await asClient("under_mimic_chain", "under_mimic"),
      19,
      "self-signed certificate in certificate chain",
    );
  },
);
