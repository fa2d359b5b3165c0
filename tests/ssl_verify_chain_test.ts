// Copyright the pysocket authors. MIT license.
// ssl: how the peer's chain is built and judged, as CPython 3.11 with
// OpenSSL 3.0: of several issuers with the same name and key (a renewed
// root and its expired copy, an intermediate sent twice), the one valid
// now is taken; CA certificates loaded after wrap_socket() and before the
// handshake count (the session shares its context's store); a critical
// extension OpenSSL does not handle (34) and name constraints (47, 48)
// refuse a certificate with OpenSSL's code and message. Certificates are
// made by openssl at test time; the expected results are CPython 3.11's
// on the same certificates.

import { assertEquals } from "@std/assert";
import * as socket from "../mod.ts";
import * as ssl from "../ssl.ts";
import { makeTempDir, readTextFile, runtime } from "./_util.ts";
import {
  acceptPort,
  assertVerifyError,
  caConfig,
  certRequest,
  concatFiles,
  ecKey,
  expiredCert,
  handshake,
  opensslServer,
  selfSignedCert,
  signedCert,
  testCerts,
  tlsPair,
  tlsTest,
} from "./_certs.ts";

/** Paths of this file's certificates (PEM), in one temporary directory. */
interface ChainCerts {
  /** The root, renewed: valid now. */
  root: string;
  /** The same root (subject, key), valid Jan 1–2 2020 only. */
  rootOld: string;
  /** localhost, signed by the root's key. */
  leaf: string;
  leafKey: string;
  /** localhost, signed by an intermediate; then its expired copy, then it. */
  leafOldIntFirst: string;
  leafOldIntFirstKey: string;
  /** localhost, with a critical extension OpenSSL does not know. */
  critical: string;
  criticalKey: string;
  /** A root permitting DNS names under `.allowed.invalid` only. */
  permitRoot: string;
  /** A root excluding DNS `localhost`. */
  excludeRoot: string;
  /** localhost, signed by `permitRoot`. */
  permitLeaf: string;
  permitLeafKey: string;
  /** a.allowed.invalid, signed by `permitRoot`. */
  allowedLeaf: string;
  allowedLeafKey: string;
  /** localhost, signed by `excludeRoot`. */
  excludeLeaf: string;
  excludeLeafKey: string;
}

let made: Promise<ChainCerts> | undefined;

/** This file's certificates, made once. */
function chainCerts(): Promise<ChainCerts> {
  return made ??= makeChainCerts();
}

async function makeChainCerts(): Promise<ChainCerts> {
  const dir = await makeTempDir({ prefix: "pysocket-chain-" });
  const p = (name: string) => `${dir}/${name}`;
  const caExt = [
    "basicConstraints=critical,CA:TRUE",
    "keyUsage=critical,keyCertSign,cRLSign",
  ];
  const root = async (name: string, cn: string, ...ext: string[]) => {
    await ecKey(dir, name);
    await selfSignedCert(dir, name, `/CN=${cn}`, 3650, ...caExt, ...ext);
  };
  const sign = (name: string, issuer: string, ext: string) =>
    signedCert(dir, name, "/CN=localhost", ext, { issuer });
  const localhost = "subjectAltName=DNS:localhost,IP:127.0.0.1\n";
  // The root, then its expired copy: same subject, same key (and so the
  // same key identifier), dated in 2020 by `openssl ca -selfsign` (whose
  // policy keeps the common name only: the subjects have nothing else).
  await root("root", "chain root");
  await certRequest(dir, "root", "/CN=chain root");
  await caConfig(
    dir,
    "2000",
    `[ ca_ext ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[ int_ext ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
`,
  );
  await expiredCert(dir, "root", "root_old.pem", null, "ca_ext");
  await sign("leaf", "root", localhost);
  // An intermediate, and its expired copy (same subject, same key).
  await signedCert(
    dir,
    "int",
    "/CN=chain intermediate",
    "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n",
    { issuer: "root", days: 3000 },
  );
  await expiredCert(dir, "int", "int_old.pem", "root", "int_ext");
  await sign("int_leaf", "int", localhost);
  await concatFiles(
    dir,
    "int_leaf_chain.pem",
    "int_leaf.pem",
    "int_old.pem",
    "int.pem",
  );
  await sign(
    "critical",
    "root",
    `${localhost}1.2.3.4.5.6=critical,ASN1:UTF8String:hello\n`,
  );
  await root(
    "permit_root",
    "permitting root",
    "nameConstraints=critical,permitted;DNS:.allowed.invalid",
  );
  await root(
    "exclude_root",
    "excluding root",
    "nameConstraints=critical,excluded;DNS:localhost",
  );
  await sign("permit_leaf", "permit_root", "subjectAltName=DNS:localhost\n");
  await sign(
    "allowed_leaf",
    "permit_root",
    "subjectAltName=DNS:a.allowed.invalid\n",
  );
  await sign("exclude_leaf", "exclude_root", "subjectAltName=DNS:localhost\n");
  return {
    root: p("root.pem"),
    rootOld: p("root_old.pem"),
    leaf: p("leaf.pem"),
    leafKey: p("leaf.key"),
    leafOldIntFirst: p("int_leaf_chain.pem"),
    leafOldIntFirstKey: p("int_leaf.key"),
    critical: p("critical.pem"),
    criticalKey: p("critical.key"),
    permitRoot: p("permit_root.pem"),
    excludeRoot: p("exclude_root.pem"),
    permitLeaf: p("permit_leaf.pem"),
    permitLeafKey: p("permit_leaf.key"),
    allowedLeaf: p("allowed_leaf.pem"),
    allowedLeafKey: p("allowed_leaf.key"),
    excludeLeaf: p("exclude_leaf.pem"),
    excludeLeafKey: p("exclude_leaf.key"),
  };
}

/** A client context trusting the PEM files `cas` (in that order). */
async function trusting(...cas: string[]): Promise<ssl.SSLContext> {
  const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
  let pem = "";
  for (const ca of cas) pem += await readTextFile(ca);
  ctx.load_verify_locations(null, null, pem);
  return ctx;
}

/** A server context presenting `cert`. */
function presenting(cert: string, key: string): ssl.SSLContext {
  const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER);
  ctx.load_cert_chain(cert, key);
  return ctx;
}

// ------------------------------------------------ several issuers

tlsTest(
  "SSLContext.wrap_socket: an expired copy of the root before the renewed one is passed over, as OpenSSL does",
  async () => {
    const c = await chainCerts();
    const server = presenting(c.leaf, c.leafKey);
    for (const order of [[c.rootOld, c.root], [c.root, c.rootOld]]) {
      const { client: cs, server: ss } = await tlsPair(
        await trusting(...order),
        server,
      );
      assertEquals(cs.version(), "TLSv1.3");
      cs.close();
      ss.close();
    }
    // The expired copy alone: refused, as CPython's.
    const { client } = await handshake(await trusting(c.rootOld), server);
    assertVerifyError(client, 10, "certificate has expired");
  },
);

tlsTest(
  "SSLContext.wrap_socket: a server that sends an expired intermediate before the valid one is accepted (not on Bun: BoringSSL takes the first)",
  async () => {
    const c = await chainCerts();
    const { client } = await handshake(
      await trusting(c.root),
      presenting(c.leafOldIntFirst, c.leafOldIntFirstKey),
    );
    if (runtime === "bun") {
      // BoringSSL's find_issuer() takes the first issuer the server sent,
      // and its own verdict refuses the chain.
      assertVerifyError(client, 10, "certificate has expired");
    } else assertEquals(client, null);
  },
);

// ------------------------------------------------ the context's store

tlsTest(
  "SSLSocket.do_handshake: a CA loaded into the context after wrap_socket() is used",
  async () => {
    const c = await testCerts();
    const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
    const server = presenting(c.server, c.serverKey);
    const { client: cs, server: ss } = await tlsPair(
      ctx,
      server,
      "localhost",
      { do_handshake_on_connect: false },
      { do_handshake_on_connect: false },
    );
    ctx.load_verify_locations(c.ca);
    const done = ss.do_handshake();
    done.catch(() => {});
    try {
      await cs.do_handshake();
      await done;
      assertEquals(cs.version(), "TLSv1.3");
      assertEquals(
        (cs.getpeercert() as ssl.PeerCertificate).subjectAltName?.[0],
        ["DNS", "localhost"],
      );
    } finally {
      cs.close();
      await done.catch(() => {});
      ss.close();
    }
  },
);

tlsTest(
  "SSLSocket.do_handshake: verify_mode and check_hostname changed after wrap_socket() are not",
  async () => {
    const c = await testCerts();
    const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
    ctx.load_verify_locations(c.ca);
    const { client: cs, server: ss } = await tlsPair(
      ctx,
      presenting(c.wrongHost, c.wrongHostKey),
      "localhost",
      { do_handshake_on_connect: false },
      { do_handshake_on_connect: false },
    );
    ctx.check_hostname = false;
    ctx.verify_mode = ssl.CERT_NONE;
    const done = ss.do_handshake();
    done.catch(() => {});
    let error: unknown = null;
    await cs.do_handshake().catch((e) => error = e);
    cs.close();
    // The server's side ends with the client's refusal.
    await done.catch(() => {});
    ss.close();
    assertVerifyError(
      error,
      62,
      "Hostname mismatch, certificate is not valid for 'localhost'.",
    );
  },
);

// ------------------------------------------------ extensions and names

tlsTest(
  "SSLContext.wrap_socket: a critical extension OpenSSL does not handle: UNHANDLED_CRITICAL_EXTENSION (34)",
  async () => {
    const c = await chainCerts();
    const certs = await testCerts();
    // openssl s_server presents it (Deno's TLS cannot).
    await using server = opensslServer(certs, [
      "-www",
      "-cert",
      c.critical,
      "-key",
      c.criticalKey,
    ]);
    const port = Number(await acceptPort(server));
    const sock = await socket.create_connection(["127.0.0.1", port], 10);
    let error: unknown = null;
    try {
      (await (await trusting(c.root)).wrap_socket(sock, {
        server_hostname: "localhost",
      })).close();
    } catch (err) {
      error = err;
    } finally {
      sock.close();
    }
    if (runtime === "deno") {
      // rustls ends the handshake on the certificate itself, before
      // pysocket sees it.
      assertVerifyError(error, 20, "unable to get local issuer certificate");
    } else assertVerifyError(error, 34, "unhandled critical extension");
  },
);

tlsTest(
  "SSLContext.wrap_socket: name constraints of the CA: PERMITTED_VIOLATION (47), EXCLUDED_VIOLATION (48)",
  async () => {
    const c = await chainCerts();
    const permitted = await handshake(
      await trusting(c.permitRoot),
      presenting(c.permitLeaf, c.permitLeafKey),
    );
    assertVerifyError(permitted.client, 47, "permitted subtree violation");
    const excluded = await handshake(
      await trusting(c.excludeRoot),
      presenting(c.excludeLeaf, c.excludeLeafKey),
    );
    assertVerifyError(excluded.client, 48, "excluded subtree violation");
    // Without the host check, still refused: the CA's constraints are
    // judged whatever the host name.
    const unchecked = await trusting(c.permitRoot);
    unchecked.check_hostname = false;
    const noHost = await handshake(
      unchecked,
      presenting(c.permitLeaf, c.permitLeafKey),
    );
    assertVerifyError(noHost.client, 47, "permitted subtree violation");
    // A name within the permitted subtree is taken.
    const allowed = await handshake(
      await trusting(c.permitRoot),
      presenting(c.allowedLeaf, c.allowedLeafKey),
      "a.allowed.invalid",
    );
    assertEquals([allowed.client, allowed.server], [null, null]);
  },
);
