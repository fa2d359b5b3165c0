// Copyright the pysocket authors. MIT license.
// ssl: what OpenSSL 3 checks of a certificate beyond trust, at CPython's
// security level 2, on both sides: keys too small and signatures too weak
// (refused by load_cert_chain(), and in the peer's chain: 66, 67, 68), CA
// certificates and purposes (79, 26), in OpenSSL's order (before the host
// name), and a server's refusal of its client's certificate. Certificates
// are made by openssl at test time (tests/_certs.ts); the expected codes
// and messages are CPython 3.11's with OpenSSL 3.0 on the same
// certificates. A peer that must present a certificate pysocket refuses to
// load is `openssl s_server` / `s_client` at security level 0.

import { assertEquals, assertNotInstanceOf, assertThrows } from "@std/assert";
import * as socket from "../mod.ts";
import * as ssl from "../ssl.ts";
import { Child, readTextFile, runtime, test, writeTextFile } from "./_util.ts";
import {
  acceptPort,
  assertVerifyError,
  handshake,
  noOpenssl,
  opensslServer,
  type TestCerts,
  testCerts,
  tlsTest,
} from "./_certs.ts";

const skip = await noOpenssl();

/**
 * Deno's TLS (rustls) ends a client's handshake itself when the server's
 * key is one it will not check the handshake's signature with (1024-bit
 * RSA), with no reason and without the server's chain: pysocket can only
 * say `unable to get local issuer certificate` there.
 */
const RUSTLS_OPAQUE = runtime === "deno";

/** A load_cert_chain() refusal, checked as CPython's. */
function assertSecurityError(
  fn: () => unknown,
  errno: number,
  reason: string,
): void {
  const err = assertThrows(fn, ssl.SSLError);
  assertNotInstanceOf(err, ssl.SSLCertVerificationError);
  assertEquals(
    [err.errno, err.reason, err.library],
    [errno, reason, "SSL"],
  );
  assertEquals(
    err.message,
    `[SSL: ${reason}] ${
      reason.toLowerCase().replaceAll("_", " ")
    } (_ssl.c:3905)`,
  );
}

/** A client context trusting `ca` (the test CA). */
function clientContext(c: TestCerts, ca = c.ca): ssl.SSLContext {
  return ssl.create_default_context(ssl.Purpose.SERVER_AUTH, { cafile: ca });
}

/** A server context presenting `cert`. */
function serverContext(cert: string, key: string): ssl.SSLContext {
  const ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH);
  ctx.load_cert_chain(cert, key);
  return ctx;
}

/** A server context that requires a client certificate from the test CA. */
function requiringServer(c: TestCerts): ssl.SSLContext {
  const ctx = serverContext(c.server, c.serverKey);
  ctx.verify_mode = ssl.CERT_REQUIRED;
  ctx.load_verify_locations(c.ca);
  return ctx;
}

/** The client's error connecting to `openssl s_server` presenting `cert`. */
async function againstOpenssl(
  c: TestCerts,
  cert: string,
  key: string,
  hostname = "localhost",
  client: ssl.SSLContext = clientContext(c),
): Promise<unknown> {
  await using server = opensslServer(c, [
    "-www",
    "-cert",
    cert,
    "-key",
    key,
    "-cipher",
    "DEFAULT@SECLEVEL=0",
  ]);
  const port = Number(await acceptPort(server));
  const sock = await socket.create_connection(["127.0.0.1", port], 10);
  try {
    const s = await client.wrap_socket(sock, {
      server_hostname: hostname,
    });
    s.close();
    return null;
  } catch (err) {
    return err;
  } finally {
    sock.close();
  }
}

// ------------------------------------------------------ load_cert_chain

tlsTest(
  "load_cert_chain refuses a 1024-bit RSA key: EE_KEY_TOO_SMALL, errno 399",
  async () => {
    const c = await testCerts();
    for (
      const protocol of [ssl.PROTOCOL_TLS_SERVER, ssl.PROTOCOL_TLS_CLIENT]
    ) {
      const ctx = new ssl.SSLContext(protocol);
      assertEquals(ctx.security_level, 2);
      assertSecurityError(
        () => ctx.load_cert_chain(c.weakKey, c.weakKeyKey),
        399,
        "EE_KEY_TOO_SMALL",
      );
      // Checked before the key is read, as OpenSSL loads the chain first.
      assertSecurityError(
        () => ctx.load_cert_chain(c.weakKey, `${c.dir}/no such key`),
        399,
        "EE_KEY_TOO_SMALL",
      );
      assertSecurityError(
        () => ctx.load_cert_chain(c.weakClient, c.weakClientKey),
        399,
        "EE_KEY_TOO_SMALL",
      );
    }
  },
);

tlsTest(
  "load_cert_chain refuses a SHA-1 signature: CA_MD_TOO_WEAK, errno 398",
  async () => {
    const c = await testCerts();
    for (
      const protocol of [ssl.PROTOCOL_TLS_SERVER, ssl.PROTOCOL_TLS_CLIENT]
    ) {
      assertSecurityError(
        () => new ssl.SSLContext(protocol).load_cert_chain(c.sha1, c.sha1Key),
        398,
        "CA_MD_TOO_WEAK",
      );
    }
  },
);

tlsTest(
  "load_cert_chain refuses a chain certificate's small key: CA_KEY_TOO_SMALL, errno 397",
  async () => {
    const c = await testCerts();
    const chain = `${c.dir}/weak_ca_chain.pem`;
    await writeTextFile(
      chain,
      (await readTextFile(c.weakCaLeaf)) + (await readTextFile(c.weakCa)),
    );
    const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER);
    assertSecurityError(
      () => ctx.load_cert_chain(chain, c.weakCaLeafKey),
      397,
      "CA_KEY_TOO_SMALL",
    );
    // The leaf alone is fine; so are a self-signed certificate's own
    // signature and a weak trust anchor (load_verify_locations).
    ctx.load_cert_chain(c.weakCaLeaf, c.weakCaLeafKey);
    ctx.load_cert_chain(c.self, c.selfKey);
    ctx.load_verify_locations(c.weakCa);
  },
);

test(
  "set_ciphers('…@SECLEVEL=n') sets security_level, and what load_cert_chain takes",
  async () => {
    const c = await testCerts();
    const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER);
    ctx.set_ciphers("DEFAULT");
    assertEquals(ctx.security_level, 2);
    ctx.set_ciphers("DEFAULT@SECLEVEL=1");
    assertEquals(ctx.security_level, 1);
    // Level 1: 80 bits (RSA 1024) will do; SHA-1 (63) still not.
    ctx.load_cert_chain(c.weakKey, c.weakKeyKey);
    assertSecurityError(
      () => ctx.load_cert_chain(c.sha1, c.sha1Key),
      398,
      "CA_MD_TOO_WEAK",
    );
    ctx.set_ciphers("DEFAULT@SECLEVEL=0");
    assertEquals(ctx.security_level, 0);
    ctx.load_cert_chain(c.sha1, c.sha1Key);
  },
  {
    ignore: skip ||
      (runtime === "deno" &&
        "Deno's TLS takes no cipher list (set_ciphers raises)"),
  },
);

test(
  "set_ciphers() takes OpenSSL's levels 0 to 5 only, and refuses an empty list, as CPython's",
  () => {
    // python3 3.11 (OpenSSL 3): each list, and the level after it.
    const cases: [string, boolean, number][] = [
      ["DEFAULT:@SECLEVEL=5", true, 5],
      ["DEFAULT:@SECLEVEL=1", true, 1],
      ["DEFAULT@SECLEVEL=1", true, 1],
      ["DEFAULT:@SECLEVEL=9", false, 2],
      ["DEFAULT:@SECLEVEL=12", false, 2],
      ["DEFAULT:@SECLEVEL=1x", false, 2],
      ["", false, 2],
    ];
    for (const [list, taken, level] of cases) {
      const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
      if (taken) ctx.set_ciphers(list);
      else {
        const err = assertThrows(() => ctx.set_ciphers(list), ssl.SSLError);
        assertEquals(err.message, "('No cipher can be selected.',)", list);
      }
      assertEquals(ctx.security_level, level, list);
    }
  },
  {
    ignore: runtime === "deno" &&
      "Deno's TLS takes no cipher list (set_ciphers raises)",
  },
);

// ------------------------------------------------- the server's chain

for (
  const [name, cert, key, host, code, message] of [
    [
      "a 1024-bit RSA key",
      "weakKey",
      "weakKeyKey",
      "localhost",
      66,
      "EE certificate key too weak",
    ],
    [
      "a 1024-bit RSA key, before the host name",
      "weakKey",
      "weakKeyKey",
      "other.invalid",
      66,
      "EE certificate key too weak",
    ],
    [
      "a SHA-1 signature",
      "sha1",
      "sha1Key",
      "localhost",
      68,
      "CA signature digest algorithm too weak",
    ],
  ] as const
) {
  tlsTest(
    `a server certificate with ${name} is refused: ${code}`,
    async () => {
      const c = await testCerts();
      const err = await againstOpenssl(c, c[cert], c[key], host);
      if (RUSTLS_OPAQUE && code === 66) {
        assertVerifyError(err, 20, "unable to get local issuer certificate");
      } else assertVerifyError(err, code, message);
    },
  );
}

test(
  "a client at @SECLEVEL=1 takes a 1024-bit server key, not a SHA-1 signature; at 0 both",
  async () => {
    const c = await testCerts();
    const level = (n: number) => {
      const ctx = clientContext(c);
      ctx.set_ciphers(`DEFAULT@SECLEVEL=${n}`);
      return ctx;
    };
    assertEquals(
      await againstOpenssl(c, c.weakKey, c.weakKeyKey, "localhost", level(1)),
      null,
    );
    assertVerifyError(
      await againstOpenssl(c, c.sha1, c.sha1Key, "localhost", level(1)),
      68,
      "CA signature digest algorithm too weak",
    );
    assertEquals(
      await againstOpenssl(c, c.sha1, c.sha1Key, "localhost", level(0)),
      null,
    );
  },
  {
    ignore: skip ||
      (runtime === "deno" &&
        "Deno's TLS takes no cipher list (set_ciphers raises)"),
  },
);

tlsTest(
  "a trust anchor's own SHA-1 signature does not count, loaded or verified",
  async () => {
    const c = await testCerts();
    // Sent with its CA, and without.
    for (const chain of [c.sha1CaChain, `${c.dir}/sha1_ca_leaf.pem`]) {
      assertEquals(
        await handshake(
          clientContext(c, c.sha1Ca),
          serverContext(chain, c.sha1CaLeafKey),
        ),
        { client: null, server: null },
      );
    }
    // A self-signed certificate, trusted as it is.
    assertEquals(
      await handshake(
        clientContext(c, c.sha1Self),
        serverContext(c.sha1Self, c.sha1SelfKey),
      ),
      { client: null, server: null },
    );
  },
);

tlsTest(
  "a server certificate from a CA with a 1024-bit key is refused: 67",
  async () => {
    const c = await testCerts();
    const { client } = await handshake(
      clientContext(c, c.weakCa),
      serverContext(c.weakCaLeaf, c.weakCaLeafKey),
    );
    assertVerifyError(client, 67, "CA certificate key too weak");
  },
);

for (const host of ["localhost", "other.invalid", "127.0.0.2"]) {
  tlsTest(
    `a server certificate for clientAuth only is refused: 26 (host ${host})`,
    async () => {
      const c = await testCerts();
      const { client } = await handshake(
        clientContext(c),
        serverContext(c.clientEku, c.clientEkuKey),
        host,
      );
      assertVerifyError(client, 26, "unsuitable certificate purpose");
    },
  );

  tlsTest(
    `a server certificate signed by a CA:FALSE certificate is refused: 79 (host ${host})`,
    async () => {
      const c = await testCerts();
      const { client } = await handshake(
        clientContext(c),
        serverContext(c.notCaChain, c.notCaLeafKey),
        host,
      );
      assertVerifyError(client, 79, "invalid CA certificate");
    },
  );
}

tlsTest(
  "a good server certificate is still accepted, and a wrong name still refused",
  async () => {
    const c = await testCerts();
    const ok = await handshake(
      clientContext(c),
      serverContext(c.server, c.serverKey),
    );
    assertEquals(ok, { client: null, server: null });
    const { client } = await handshake(
      clientContext(c),
      serverContext(c.server, c.serverKey),
      "other.invalid",
    );
    assertVerifyError(
      client,
      62,
      "Hostname mismatch, certificate is not valid for 'other.invalid'.",
    );
  },
);

// ------------------------------------------------- the client's chain

tlsTest(
  "a server refuses a client certificate for serverAuth only: 26",
  async () => {
    const c = await testCerts();
    const client = clientContext(c);
    client.load_cert_chain(c.serverEkuClient, c.serverEkuClientKey);
    const { server } = await handshake(client, requiringServer(c));
    assertVerifyError(server, 26, "unsuitable certificate purpose");
  },
);

tlsTest(
  "a server refuses a client certificate from an unknown CA: 20",
  async () => {
    const c = await testCerts();
    const client = clientContext(c);
    client.load_cert_chain(c.strangerClient, c.strangerClientKey);
    const { server } = await handshake(client, requiringServer(c));
    assertVerifyError(server, 20, "unable to get local issuer certificate");
  },
);

tlsTest(
  "a server refuses a client certificate with a 1024-bit key: 66",
  async () => {
    const c = await testCerts();
    const l = socket.socket();
    l.bind(["127.0.0.1", 0]);
    l.listen();
    const [, port] = l.getsockname() as [string, number];
    await using peer = new Child("openssl", [
      "s_client",
      "-connect",
      `127.0.0.1:${port}`,
      "-cert",
      c.weakClient,
      "-key",
      c.weakClientKey,
      "-cipher",
      "DEFAULT@SECLEVEL=0",
    ], { timeoutMs: 30_000, stdin: "piped" });
    let error: unknown = null;
    try {
      const [conn] = await l.accept();
      conn.settimeout(10);
      try {
        const s = await requiringServer(c).wrap_socket(conn, {
          server_side: true,
        });
        await s.recv(1);
        s.close();
      } catch (err) {
        error = err;
      } finally {
        conn.close();
      }
    } finally {
      l.close();
      await peer.closeStdin();
    }
    assertVerifyError(error, 66, "EE certificate key too weak");
  },
);

tlsTest(
  "a server takes a good client certificate",
  async () => {
    const c = await testCerts();
    const client = clientContext(c);
    client.load_cert_chain(c.client, c.clientKey);
    assertEquals(await handshake(client, requiringServer(c)), {
      client: null,
      server: null,
    });
  },
);
