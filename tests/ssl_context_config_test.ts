// Copyright the pysocket authors. MIT license.
// ssl.SSLContext's configuration as CPython 3.11 (OpenSSL 3) judges it: a
// key of another type than the certificate (`NO_CERTIFICATE_ASSIGNED`), a
// key type no certificate has (`UNKNOWN_CERTIFICATE_TYPE`); cadata text
// that is not ASCII (TypeError), cadata in `TRUSTED CERTIFICATE` form
// (which PEM_read_bio_X509 does not read) against a cafile of it (which
// X509_load_cert_crl_file does); PEM read line by line as OpenSSL reads it
// (a PEM on one line has no begin line; an end line must be one of its
// own, for the same label); set_alpn_protocols' ASCII and set_ciphers'
// UTF-8 and NUL checks; the paths checked before cadata. Expected values
// are python3 3.11's on this machine.

import { assert, assertEquals, assertInstanceOf } from "@std/assert";
import * as socket from "../mod.ts";
import * as ssl from "../ssl.ts";
import { errorOf, inTempDir, readTextFile, writeTextFile } from "./_util.ts";
import {
  handshake,
  runOpenssl,
  type TestCerts,
  testCerts,
  tlsPair,
  tlsTest,
} from "./_certs.ts";

/** What `call` raised, checked to be a `Class`. */
async function raisedAs<T extends Error>(
  // deno-lint-ignore no-explicit-any
  Class: abstract new (...args: any[]) => T,
  call: () => unknown,
): Promise<T & { args: readonly unknown[] }> {
  const err = await errorOf(call);
  assertInstanceOf(err, Class);
  return err as T & { args: readonly unknown[] };
}

/** The error's class, errno, message, library, reason and args. */
function described(err: Error | null): unknown[] {
  assert(err !== null, "raised");
  const e = err as ssl.SSLError;
  return [e.constructor, e.errno, e.message, e.library, e.reason, e.args];
}

/** An SSLError as CPython's `fill_and_set_sslerror()` words it. */
function sslError(
  errno: number,
  library: string | null,
  reason: string | null,
  message: string,
): unknown[] {
  return [ssl.SSLError, errno, message, library, reason, [errno, message]];
}

const NO_CERTIFICATE_ASSIGNED = sslError(
  177,
  "SSL",
  "NO_CERTIFICATE_ASSIGNED",
  "[SSL: NO_CERTIFICATE_ASSIGNED] no certificate assigned (_ssl.c:3934)",
);

/** `load_cert_chain(cert, key)` on a new server context: what it raised. */
function loadChain(cert: string, key: string): Promise<Error | null> {
  return errorOf(() =>
    new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER).load_cert_chain(cert, key)
  );
}

/** A client context without trust anchors. */
function client(): ssl.SSLContext {
  return new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
}

/** `load_verify_locations(cafile, capath, cadata)`: what it raised. */
function loadCa(
  ctx: ssl.SSLContext,
  cafile: string | null,
  cadata: string | null = null,
): Promise<Error | null> {
  return errorOf(() => ctx.load_verify_locations(cafile, null, cadata));
}

/** The CA certificate as `openssl x509 -trustout` writes it. */
async function trustedCa(c: TestCerts, dir: string): Promise<string> {
  await runOpenssl([
    "x509",
    "-in",
    c.ca,
    "-trustout",
    "-addtrust",
    "serverAuth",
    "-out",
    `${dir}/ca_trusted.pem`,
  ], dir);
  return await readTextFile(`${dir}/ca_trusted.pem`);
}

tlsTest(
  "SSLContext.load_cert_chain with a key of another type than the certificate (RSA/EC, EC/RSA traditional, Ed25519/EC) raises [SSL: NO_CERTIFICATE_ASSIGNED] (_ssl.c:3934), errno 177; a key type no certificate has (X25519) [SSL: UNKNOWN_CERTIFICATE_TYPE]; the same type KEY_VALUES_MISMATCH",
  async () => {
    const c = await testCerts();
    await inTempDir(async (dir) => {
      const sh = (args: string[]) => runOpenssl(args, dir);
      await sh(["genpkey", "-algorithm", "ed25519", "-out", "ed.key"]);
      await sh([
        "req",
        "-x509",
        "-key",
        "ed.key",
        "-subj",
        "/CN=localhost",
        "-days",
        "30",
        "-out",
        "ed.pem",
      ]);
      await sh(["genpkey", "-algorithm", "x25519", "-out", "x25519.key"]);
      await sh([
        "pkey",
        "-in",
        c.serverKey,
        "-traditional",
        "-out",
        "rsa_trad.key",
      ]);
      assert(
        (await readTextFile(`${dir}/rsa_trad.key`)).startsWith(
          "-----BEGIN RSA PRIVATE KEY-----",
        ),
      );
      // server: RSA; client, wrongHost: EC.
      for (
        const [cert, key] of [
          [c.server, c.clientKey],
          [c.client, c.serverKey],
          [c.client, `${dir}/rsa_trad.key`],
          [`${dir}/ed.pem`, c.clientKey],
          [c.client, `${dir}/ed.key`],
        ]
      ) {
        assertEquals(
          described(await loadChain(cert, key)),
          NO_CERTIFICATE_ASSIGNED,
          `${cert} ${key}`,
        );
      }
      assertEquals(
        described(await loadChain(c.server, `${dir}/x25519.key`)),
        sslError(
          247,
          "SSL",
          "UNKNOWN_CERTIFICATE_TYPE",
          "[SSL: UNKNOWN_CERTIFICATE_TYPE] unknown certificate type (_ssl.c:3926)",
        ),
      );
      const mismatch = sslError(
        116,
        "X509",
        "KEY_VALUES_MISMATCH",
        "[X509: KEY_VALUES_MISMATCH] key values mismatch (_ssl.c:3926)",
      );
      assertEquals(
        described(await loadChain(c.client, c.wrongHostKey)),
        mismatch,
      );
      assertEquals(
        described(await loadChain(c.server, `${c.dir}/ca.key`)),
        mismatch,
      );
      // The right pairs still load.
      assertEquals(await loadChain(`${dir}/ed.pem`, `${dir}/ed.key`), null);
      assertEquals(await loadChain(c.server, `${dir}/rsa_trad.key`), null);
    });
  },
);

tlsTest(
  "SSLContext.load_verify_locations(cadata=) refuses text that is not ASCII (a certifi-style `# Issuer: … Főtanúsítvány` comment, a lone surrogate) with CPython's TypeError, and checks cafile's and capath's types first",
  async () => {
    const c = await testCerts();
    const pem = await readTextFile(c.ca);
    for (
      const cadata of [
        "# Issuer: CN=NetLock Arany (Class Gold) Főtanúsítvány\n" + pem,
        "# \ud800\n" + pem,
      ]
    ) {
      const ctx = client();
      const err = await raisedAs(
        TypeError,
        () => ctx.load_verify_locations(null, null, cadata),
      );
      assertEquals(
        err.message,
        "cadata should be an ASCII string or a bytes-like object",
      );
      assertEquals(ctx.cert_store_stats().x509, 0);
    }
    // ASCII text with the same comment loads.
    const ctx = client();
    assertEquals(await loadCa(ctx, null, "# Issuer: CN=x\n" + pem), null);
    assertEquals(ctx.cert_store_stats(), { x509: 1, crl: 0, x509_ca: 1 });
    // As CPython: the paths' types come before cadata.
    for (
      const [cafile, capath, what] of [[5, null, "cafile"], [null, 5, "capath"]]
    ) {
      const err = await raisedAs(
        TypeError,
        () =>
          client().load_verify_locations(cafile as never, capath as never, "é"),
      );
      assertEquals(err.message, `${what} should be a valid filesystem path`);
    }
  },
);

tlsTest(
  "SSLContext.load_verify_locations: a TRUSTED CERTIFICATE is no certificate in cadata (`no start line: cadata does not contain a certificate`, errno 0; skipped beside a CERTIFICATE) but is one in a cafile, which then verifies a server over 127.0.0.1",
  async () => {
    const c = await testCerts();
    await inTempDir(async (dir) => {
      const trusted = await trustedCa(c, dir);
      assert(trusted.startsWith("-----BEGIN TRUSTED CERTIFICATE-----"));
      const pem = await readTextFile(c.ca);
      const message =
        "no start line: cadata does not contain a certificate (_ssl.c:4020)";
      assertEquals(
        described(await loadCa(client(), null, trusted)),
        [ssl.SSLError, 0, message, null, null, [0, message]],
      );
      for (const cadata of [pem + trusted, trusted + pem]) {
        const ctx = client();
        assertEquals(await loadCa(ctx, null, cadata), null);
        assertEquals(ctx.cert_store_stats(), { x509: 1, crl: 0, x509_ca: 1 });
      }
      // An X509 CERTIFICATE is one.
      const old = client();
      assertEquals(
        await loadCa(
          old,
          null,
          pem.replaceAll("CERTIFICATE", "X509 CERTIFICATE"),
        ),
        null,
      );
      assertEquals(old.cert_store_stats().x509, 1);
      // A cafile of it: loaded, and trusted in a handshake.
      const ctx = client();
      assertEquals(await loadCa(ctx, `${dir}/ca_trusted.pem`), null);
      assertEquals(ctx.cert_store_stats(), { x509: 1, crl: 0, x509_ca: 1 });
      assertEquals(ctx.get_ca_certs(true).length, 1);
      const server = new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER);
      server.load_cert_chain(c.server, c.serverKey);
      assertEquals(await handshake(ctx, server, "localhost"), {
        client: null,
        server: null,
      });
      // A chain's first certificate may be one (PEM_read_bio_X509_AUX).
      await runOpenssl([
        "x509",
        "-in",
        c.server,
        "-trustout",
        "-out",
        `${dir}/server_trusted.pem`,
      ], dir);
      assertEquals(
        await loadChain(`${dir}/server_trusted.pem`, c.serverKey),
        null,
      );
    });
  },
);

tlsTest(
  "SSLContext PEM reading as OpenSSL's: a PEM on one line has no begin line (cafile: [X509: NO_CERTIFICATE_OR_CRL_FOUND] errno 136; cadata: no start line; after a certificate: skipped), nor has an indented one",
  async () => {
    const c = await testCerts();
    const pem = await readTextFile(c.ca);
    const oneLine = pem.replace(/\n(?!$)/g, "");
    assertEquals(oneLine.split("\n").length, 2);
    await inTempDir(async (dir) => {
      const noCert = sslError(
        136,
        "X509",
        "NO_CERTIFICATE_OR_CRL_FOUND",
        "[X509: NO_CERTIFICATE_OR_CRL_FOUND] no certificate or crl found (_ssl.c:4154)",
      );
      const noStart =
        "no start line: cadata does not contain a certificate (_ssl.c:4020)";
      for (
        const [name, text] of [["oneline", oneLine], ["indented", " " + pem], [
          "prefixed",
          "x" + pem,
        ]]
      ) {
        await writeTextFile(`${dir}/${name}.pem`, text);
        assertEquals(
          described(await loadCa(client(), `${dir}/${name}.pem`)),
          noCert,
          name,
        );
        assertEquals(
          described(await loadCa(client(), null, text)),
          [ssl.SSLError, 0, noStart, null, null, [0, noStart]],
          name,
        );
        assertEquals(
          described(await loadChain(`${dir}/${name}.pem`, c.serverKey)),
          sslError(524297, "SSL", null, "[SSL] PEM lib (_ssl.c:3905)"),
          name,
        );
      }
      // After a certificate, a one-line PEM is text between blocks.
      await writeTextFile(`${dir}/then.pem`, pem + oneLine);
      for (
        const [cafile, cadata] of [[`${dir}/then.pem`, null], [
          null,
          pem + oneLine,
        ]]
      ) {
        const ctx = client();
        assertEquals(await loadCa(ctx, cafile, cadata), null);
        assertEquals(ctx.cert_store_stats(), { x509: 1, crl: 0, x509_ca: 1 });
      }
      // Trailing blanks after the dashes and CRLF line ends are read.
      const ws = pem.replace("-----BEGIN CERTIFICATE-----", "$& \t")
        .replaceAll("\n", "\r\n");
      const ctx = client();
      assertEquals(await loadCa(ctx, null, ws), null);
      assertEquals(ctx.cert_store_stats().x509, 1);
    });
  },
);

tlsTest(
  "SSLContext PEM reading: a block whose end line is missing, for another label, or has more after its dashes is OpenSSL's [PEM: BAD_END_LINE] bad end line (errno 102) after a certificate (cadata: _ssl.c:4035, a chain: 3905), `no start line` in cadata before one, [X509] PEM lib in a cafile",
  async () => {
    const c = await testCerts();
    const pem = await readTextFile(c.ca);
    const leaf = await readTextFile(c.server);
    const lines = pem.trimEnd().split("\n");
    const bad = {
      noEnd: lines.slice(0, -1).join("\n") + "\n",
      sameLine: lines.slice(0, -2).join("\n") + "\n" + lines.at(-2) +
        lines.at(-1) + "\n",
      junk: pem.replace("-----END CERTIFICATE-----", "$&xx"),
      otherLabel: pem.replace(
        "-----END CERTIFICATE-----",
        "-----END X509 CRL-----",
      ),
    };
    const badEnd = (line: number) =>
      sslError(
        102,
        "PEM",
        "BAD_END_LINE",
        `[PEM: BAD_END_LINE] bad end line (_ssl.c:${line})`,
      );
    const noStart =
      "no start line: cadata does not contain a certificate (_ssl.c:4020)";
    await inTempDir(async (dir) => {
      for (const [name, text] of Object.entries(bad)) {
        const ctx = client();
        assertEquals(
          described(await loadCa(ctx, null, leaf + text)),
          badEnd(4035),
          name,
        );
        // What was read before stays loaded, as CPython's.
        assertEquals(ctx.cert_store_stats().x509, 1, name);
        assertEquals(
          described(await loadCa(client(), null, text)),
          [ssl.SSLError, 0, noStart, null, null, [0, noStart]],
          name,
        );
        await writeTextFile(`${dir}/${name}.pem`, leaf + text);
        assertEquals(
          described(await loadChain(`${dir}/${name}.pem`, c.serverKey)),
          badEnd(3905),
          name,
        );
        assertEquals(
          described(await loadCa(client(), `${dir}/${name}.pem`)),
          sslError(524297, "X509", null, "[X509] PEM lib (_ssl.c:4154)"),
          name,
        );
      }
    });
  },
);

tlsTest(
  "SSLContext.set_alpn_protocols encodes each name as ASCII (CPython's bytes(protocol, 'ascii')): UnicodeEncodeError with Python's message and args; a handshake still agrees on an ASCII one",
  async () => {
    const c = await testCerts();
    const cases: [string[], string, unknown[]][] = [
      [
        ["é"],
        "'ascii' codec can't encode character '\\xe9' in position 0: ordinal not in range(128)",
        ["ascii", "é", 0, 1, "ordinal not in range(128)"],
      ],
      [
        ["h2", "é€"],
        "'ascii' codec can't encode characters in position 0-1: ordinal not in range(128)",
        ["ascii", "é€", 0, 2, "ordinal not in range(128)"],
      ],
      [
        ["\ud800"],
        "'ascii' codec can't encode character '\\ud800' in position 0: ordinal not in range(128)",
        ["ascii", "\ud800", 0, 1, "ordinal not in range(128)"],
      ],
    ];
    for (const [protocols, message, args] of cases) {
      const ctx = client();
      const err = await raisedAs(
        socket.UnicodeEncodeError,
        () => ctx.set_alpn_protocols(protocols),
      );
      assertInstanceOf(err, socket.ValueError);
      assertEquals([err.message, err.args], [message, args]);
    }
    // The list before is kept, as CPython's (it raises before setting).
    const cctx = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, {
      cafile: c.ca,
    });
    cctx.set_alpn_protocols(["h2"]);
    await errorOf(() => cctx.set_alpn_protocols(["h2", "é"]));
    const sctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER);
    sctx.load_cert_chain(c.server, c.serverKey);
    sctx.set_alpn_protocols(["http/1.1", "h2"]);
    const pair = await tlsPair(cctx, sctx, "localhost", {}, {}, 10);
    try {
      assertEquals(pair.client.selected_alpn_protocol(), "h2");
      assertEquals(pair.server.selected_alpn_protocol(), "h2");
    } finally {
      pair.client.close();
      pair.server.close();
    }
  },
);

tlsTest(
  "SSLContext.set_ciphers takes a str as CPython's \"s\" conversion: a lone surrogate is UnicodeEncodeError ('utf-8' … surrogates not allowed), a NUL ValueError('embedded null character'), before the runtime is asked",
  async () => {
    const err = await raisedAs(
      socket.UnicodeEncodeError,
      () => client().set_ciphers("\ud800"),
    );
    assertEquals(
      [err.message, err.args],
      [
        "'utf-8' codec can't encode character '\\ud800' in position 0: surrogates not allowed",
        ["utf-8", "\ud800", 0, 1, "surrogates not allowed"],
      ],
    );
    const nul = await raisedAs(
      socket.ValueError,
      () => client().set_ciphers("DEFAULT\0"),
    );
    assertEquals([nul.message, nul.args], [
      "embedded null character",
      ["embedded null character"],
    ]);
  },
);

tlsTest(
  "SSLContext.load_cert_chain encodes a str password as UTF-8 first, as CPython's: a lone surrogate is UnicodeEncodeError, whether or not the key is encrypted, and from a password callback",
  async () => {
    const c = await testCerts();
    const message =
      "'utf-8' codec can't encode character '\\ud800' in position 0: surrogates not allowed";
    for (
      const [key, password] of [
        [c.serverKey, "\ud800"],
        [c.serverKeyEncrypted, "\ud800"],
        [c.serverKeyEncrypted, () => "\ud800"],
      ] as const
    ) {
      const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER);
      const err = await raisedAs(
        socket.UnicodeEncodeError,
        () => ctx.load_cert_chain(c.server, key, password),
      );
      assertEquals(err.message, message);
    }
  },
);
