// Copyright the pysocket authors. MIT license.
// ssl: certificate files and names as CPython 3.11 (OpenSSL 3.0) reads
// them: PEM blocks that are not what their label says, CRLs, hashed
// directories, OpenSSL's wildcard rule, cert_time_to_seconds() as
// time.strptime() parses, and the context's integer setters with CPython's
// conversions. Certificates are made by openssl at test time
// (tests/_certs.ts, and here from its CA); messages are CPython 3.11.7's.

import { assertEquals, assertInstanceOf, assertThrows } from "@std/assert";
import * as socket from "../mod.ts";
import * as ssl from "../ssl.ts";
import {
  makeTempDir,
  plainPair,
  readTextFile,
  run,
  runtime,
  test,
  writeTextFile,
} from "./_util.ts";
import {
  assertVerifyError,
  certRequest,
  ecKey,
  noOpenssl,
  testCerts,
  tlsTest,
} from "./_certs.ts";

/** The files made here, besides the shared test certificates. */
interface Extra {
  dir: string;
  /** SAN DNS:*.example.com, signed by the test CA. */
  wildcard: string;
  wildcardKey: string;
  /** localhost, with a CRL distribution point naming nothing. */
  badDp: string;
  badDpKey: string;
  /** A CRL from the test CA. */
  crl: string;
  /** A hashed directory (`<hash>.0`) holding the test CA. */
  capath: string;
}

let extra: Promise<Extra> | undefined;

async function openssl(args: string[], cwd: string): Promise<string> {
  const { code, stdout, stderr } = await run("openssl", args, { cwd });
  if (code !== 0) throw new Error(`openssl ${args.join(" ")}: ${stderr}`);
  return stdout;
}

function extraCerts(): Promise<Extra> {
  return extra ??= (async () => {
    const c = await testCerts();
    const dir = await makeTempDir({ prefix: "pysocket-certfid-" });
    const sign = async (name: string, cn: string, ext: string) => {
      await ecKey(dir, name);
      await certRequest(dir, name, `/CN=${cn}`);
      await writeTextFile(`${dir}/${name}.ext`, ext);
      await openssl([
        "x509",
        "-req",
        "-in",
        `${name}.csr`,
        "-CA",
        c.ca,
        "-CAkey",
        `${c.dir}/ca.key`,
        "-set_serial",
        String(1000 + name.length),
        "-out",
        `${name}.pem`,
        "-days",
        "365",
        "-sha256",
        "-extfile",
        `${name}.ext`,
      ], dir);
    };
    await sign(
      "wildcard",
      "wildcard",
      "subjectAltName=DNS:*.example.com\nbasicConstraints=CA:FALSE\n",
    );
    // The DistributionPoint of CPython's talos-2019-0758.pem: empty.
    await sign(
      "baddp",
      "localhost",
      "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\n" +
        "crlDistributionPoints=DER:30:02:30:00\n",
    );
    await writeTextFile(
      `${dir}/crl.cnf`,
      "[ ca ]\ndefault_ca = crl_ca\n[ crl_ca ]\ndatabase = ./index.txt\n" +
        "default_md = sha256\ndefault_crl_days = 30\n",
    );
    await writeTextFile(`${dir}/index.txt`, "");
    await openssl([
      "ca",
      "-gencrl",
      "-config",
      "crl.cnf",
      "-keyfile",
      `${c.dir}/ca.key`,
      "-cert",
      c.ca,
      "-out",
      "revocation.crl",
    ], dir);
    const hash = (await openssl(["x509", "-hash", "-noout", "-in", c.ca], dir))
      .trim();
    const capath = await makeTempDir({ prefix: "pysocket-capath-" });
    await writeTextFile(`${capath}/${hash}.0`, await readTextFile(c.ca));
    return {
      dir,
      wildcard: `${dir}/wildcard.pem`,
      wildcardKey: `${dir}/wildcard.key`,
      badDp: `${dir}/baddp.pem`,
      badDpKey: `${dir}/baddp.key`,
      crl: `${dir}/revocation.crl`,
      capath,
    };
  })();
}

/** A PEM file of `text` in the extra directory. */
async function pemFile(name: string, text: string): Promise<string> {
  const { dir } = await extraCerts();
  const path = `${dir}/${name}`;
  await writeTextFile(path, text);
  return path;
}

const block = (label: string, body: string) =>
  `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
/** Decodes as base64 (three zero bytes), but is no certificate. */
const NOT_DER = block("CERTIFICATE", "AAAA");
/** Not base64 at all (CPython's badcert.pem). */
const NOT_B64 = block("CERTIFICATE", "Just bad cert data");
const BAD_CHARS = block("CERTIFICATE", "!!!*");

/** A handshake over loopback; resolves to the version, or the error. */
async function handshake(
  client: ssl.SSLContext,
  server: ssl.SSLContext,
  hostname = "localhost",
): Promise<string | unknown> {
  const [a, b] = await plainPair();
  const serving = server.wrap_socket(b, { server_side: true }).then(
    async (s) => {
      try {
        await s.sendall(new TextEncoder().encode("hi"));
      } catch (err) {
        s.close();
        throw err;
      }
      return s;
    },
  );
  serving.catch(() => {});
  try {
    const c = await client.wrap_socket(a, { server_hostname: hostname });
    const got = await c.recv(2);
    const version = c.version();
    c.close();
    (await serving).close();
    assertEquals(new TextDecoder().decode(got), "hi");
    return version;
  } catch (err) {
    a.close();
    b.close();
    await serving.then((s) => s.close(), () => {});
    return err;
  }
}

function serverContext(cert: string, key: string): ssl.SSLContext {
  const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER);
  ctx.load_cert_chain(cert, key);
  return ctx;
}

function stats(ctx: ssl.SSLContext): [number, number, number] {
  const s = ctx.cert_store_stats();
  return [s.x509, s.crl, s.x509_ca];
}

/** The SSLError `f` throws: its errno and message. */
function sslError(f: () => unknown): [number | null, string] {
  const err = assertThrows(f) as ssl.SSLError;
  assertInstanceOf(err, ssl.SSLError);
  return [err.errno, err.message];
}

const X509_PEM_LIB: [number, string] = [
  524297,
  "[X509] PEM lib (_ssl.c:4154)",
];
const NO_START_LINE: [number, string] = [
  0,
  "no start line: cadata does not contain a certificate (_ssl.c:4020)",
];

// ------------------------------------------------------------ PEM blocks

tlsTest(
  "SSLContext.load_verify_locations() refuses a CERTIFICATE block that is no certificate, and handshakes go on",
  async () => {
    const c = await testCerts();
    const good = await readTextFile(c.ca);
    const files = [
      await pemFile("notder.pem", NOT_DER),
      await pemFile("notb64.pem", NOT_B64),
      await pemFile("badchars.pem", BAD_CHARS),
      await pemFile("goodthenbad.pem", good + NOT_B64),
      await pemFile("badthengood.pem", NOT_DER + good),
      await pemFile("goodthennotder.pem", good + NOT_DER),
      // A key block is read too (CPython's badkey.pem).
      await pemFile("badkey.pem", block("RSA PRIVATE KEY", "Bad Key") + good),
      await pemFile("shortkey.pem", good + block("PRIVATE KEY", "AAAA")),
      await pemFile("badcrl.pem", good + block("X509 CRL", "AAAA")),
      await pemFile("other.pem", good + block("FOO", "A!AA")),
    ];
    const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
    for (const file of files) {
      assertEquals(sslError(() => ctx.load_verify_locations(file)), [
        ...X509_PEM_LIB,
      ]);
      assertEquals(stats(ctx), [0, 0, 0]);
    }
    // A block of another kind that decodes is passed over.
    ctx.load_verify_locations(
      await pemFile("foo.pem", good + block("FOO", "AAAA")),
    );
    assertEquals(stats(ctx), [1, 0, 1]);
    const server = serverContext(c.server, c.serverKey);
    assertEquals(await handshake(ctx, server), "TLSv1.3");
  },
);

tlsTest(
  "SSLContext.load_verify_locations(cadata) keeps what it read before a bad block",
  async () => {
    const c = await testCerts();
    const good = await readTextFile(c.ca);
    for (const text of [NOT_DER, NOT_B64, BAD_CHARS, NOT_DER + good]) {
      const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
      assertEquals(
        sslError(() => ctx.load_verify_locations(null, null, text)),
        [...NO_START_LINE],
      );
      assertEquals(stats(ctx), [0, 0, 0]);
    }
    for (
      const [text, want] of [
        [good + NOT_B64, [
          100,
          "[PEM: BAD_BASE64_DECODE] bad base64 decode (_ssl.c:4035)",
        ]],
        [good + block("FOO", "A!AA"), [
          100,
          "[PEM: BAD_BASE64_DECODE] bad base64 decode (_ssl.c:4035)",
        ]],
        [good + NOT_DER, [524301, "[PEM] ASN1 lib (_ssl.c:4035)"]],
      ] as const
    ) {
      const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
      const err = assertThrows(() =>
        ctx.load_verify_locations(null, null, text)
      ) as ssl.SSLError;
      assertInstanceOf(err, ssl.SSLError);
      assertEquals([err.errno, err.message], [...want]);
      assertEquals(err.library, "PEM");
      assertEquals(stats(ctx), [1, 0, 1]);
      const server = serverContext(c.server, c.serverKey);
      assertEquals(await handshake(ctx, server), "TLSv1.3");
    }
    // Only a CRL, or a key: no certificate.
    const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
    const crl = await readTextFile((await extraCerts()).crl);
    assertEquals(
      sslError(() => ctx.load_verify_locations(null, null, crl)),
      [...NO_START_LINE],
    );
  },
);

tlsTest(
  "SSLContext.load_cert_chain() reads certificates until a bad block, with OpenSSL's reasons",
  async () => {
    const c = await testCerts();
    const cert = await readTextFile(c.server);
    const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER);
    for (
      const [text, want] of [
        [NOT_B64, [524297, "[SSL] PEM lib (_ssl.c:3905)"]],
        [BAD_CHARS, [524297, "[SSL] PEM lib (_ssl.c:3905)"]],
        [NOT_DER + cert, [524297, "[SSL] PEM lib (_ssl.c:3905)"]],
        [block("RSA PRIVATE KEY", "Bad Key, though the cert is OK") + cert, [
          524297,
          "[SSL] PEM lib (_ssl.c:3905)",
        ]],
        [cert + NOT_B64, [
          100,
          "[PEM: BAD_BASE64_DECODE] bad base64 decode (_ssl.c:3905)",
        ]],
        [cert + NOT_DER, [524301, "[PEM] ASN1 lib (_ssl.c:3905)"]],
      ] as const
    ) {
      const file = await pemFile("chain.pem", text);
      assertEquals(sslError(() => ctx.load_cert_chain(file, c.serverKey)), [
        ...want,
      ]);
    }
    // What OpenSSL marks invalid (CPython's talos-2019-0758.pem).
    const e = await extraCerts();
    const err = assertThrows(() =>
      ctx.load_cert_chain(e.badDp, e.badDpKey)
    ) as ssl.SSLError;
    assertInstanceOf(err, ssl.SSLError);
    assertEquals(
      [err.errno, err.library, err.reason, err.message],
      [
        158,
        "X509V3",
        "INVALID_CERTIFICATE",
        "[X509V3: INVALID_CERTIFICATE] invalid certificate (_ssl.c:3905)",
      ],
    );
    // The context still serves its good chain.
    ctx.load_cert_chain(c.server, c.serverKey);
    const client = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
    client.load_verify_locations(c.ca);
    assertEquals(await handshake(client, ctx), "TLSv1.3");
  },
);

test("PEM_cert_to_DER_cert() decodes as base64.decodebytes", () => {
  const pem = (body: string) =>
    `${ssl.PEM_HEADER}\n${body}\n${ssl.PEM_FOOTER}\n`;
  assertEquals(ssl.PEM_cert_to_DER_cert(pem("!!!*")), new Uint8Array());
  assertEquals(ssl.PEM_cert_to_DER_cert(pem("AA==AA")), new Uint8Array([0]));
  assertEquals(
    ssl.PEM_cert_to_DER_cert(pem("AQ!I=")),
    new Uint8Array([1, 2]),
  );
  for (
    const [body, message] of [
      ["AAA", "Incorrect padding"],
      ["AA", "Incorrect padding"],
      [
        "A",
        "Invalid base64-encoded string: number of data characters (1) cannot be 1 more than a multiple of 4",
      ],
      [
        "AAAAA",
        "Invalid base64-encoded string: number of data characters (5) cannot be 1 more than a multiple of 4",
      ],
    ]
  ) {
    const err = assertThrows(() => ssl.PEM_cert_to_DER_cert(pem(body)));
    // Python's binascii.Error, a ValueError.
    assertInstanceOf(err, socket.ValueError);
    assertEquals([err.name, err.message], ["Error", message]);
  }
});

// ------------------------------------------------------- CRLs and capath

tlsTest(
  "SSLContext.load_verify_locations() counts a CRL, and handshakes go on",
  async () => {
    const c = await testCerts();
    const e = await extraCerts();
    const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
    ctx.load_verify_locations(e.crl);
    assertEquals(stats(ctx), [0, 1, 0]);
    ctx.load_verify_locations(e.crl);
    assertEquals(stats(ctx), [0, 1, 0]);
    ctx.load_verify_locations(
      await pemFile(
        "ca_crl.pem",
        await readTextFile(c.ca) + await readTextFile(e.crl),
      ),
    );
    assertEquals(stats(ctx), [1, 1, 1]);
    const server = serverContext(c.server, c.serverKey);
    assertEquals(await handshake(ctx, server), "TLSv1.3");
  },
);

tlsTest(
  "SSLContext.load_verify_locations(capath) trusts the directory but counts nothing until loaded",
  async () => {
    const c = await testCerts();
    const e = await extraCerts();
    const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
    ctx.load_verify_locations(null, e.capath);
    assertEquals(stats(ctx), [0, 0, 0]);
    assertEquals(ctx.get_ca_certs(), []);
    const server = serverContext(c.server, c.serverKey);
    assertEquals(await handshake(ctx, server), "TLSv1.3");
    // The same CA from a file: counted once.
    ctx.load_verify_locations(c.ca);
    assertEquals(stats(ctx), [1, 0, 1]);
    assertEquals(ctx.get_ca_certs(true).length, 1);
    const other = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, {
      cafile: c.ca,
      capath: e.capath,
      cadata: await readTextFile(c.otherCa),
    });
    assertEquals(stats(other), [2, 0, 2]);
  },
);

// ------------------------------------------------------------ host names

tlsTest(
  "SSLContext.wrap_socket() matches *.example.com only by OpenSSL's wildcard rule",
  async () => {
    const c = await testCerts();
    const e = await extraCerts();
    const server = serverContext(e.wildcard, e.wildcardKey);
    const client = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
    client.load_verify_locations(c.ca);
    for (
      const host of [
        "a.example.com",
        "A.EXAMPLE.COM",
        "ab-.example.com",
        "-.example.com",
        "xn--abc.example.com",
        "*.example.com",
      ]
    ) {
      assertEquals(await handshake(client, server, host), "TLSv1.3", host);
    }
    for (
      const host of [
        "a_b.example.com",
        "_.example.com",
        "a~b.example.com",
        "a*b.example.com",
        "a.b.example.com",
        "example.com",
      ]
    ) {
      assertVerifyError(
        await handshake(client, server, host),
        62,
        `Hostname mismatch, certificate is not valid for '${host}'.`,
      );
    }
  },
);

// ------------------------------------------------- cert_time_to_seconds

test("cert_time_to_seconds() parses as time.strptime (CPython's cases)", () => {
  const ts = 1515144883;
  for (
    const [text, want] of [
      ["May  9 00:00:00 2007 GMT", 1178668800],
      ["Jan  5 09:34:43 2018 GMT", ts],
      ["Jan 05 09:34:43 2018 GMT", ts],
      ["JaN  5 09:34:43 2018 GmT", ts],
      ["Jan  5  09:34:43 2018 GMT", ts],
      ["Jan\t5\n09:34:43 2018\tGMT", ts],
      ["Dec 31 23:59:60 2008 GMT", 1230768000],
      ["Jan  1 00:00:00 2009 GMT", 1230768000],
      ["Jan  5 09:34:59 2018 GMT", 1515144899],
      ["Jan  5 09:34:60 2018 GMT", 1515144900],
      ["Jan  5 09:34:61 2018 GMT", 1515144901],
      ["Dec 31 23:59:59 9999 GMT", 253402300799],
      ["Jan  5 09:34:43 0001 GMT", -62135216717],
      ["Jan 5 9:4:3 2018 GMT", 1515143043],
      ["Feb 31 09:34:43 2018 GMT", 1520069683],
    ] as const
  ) {
    assertEquals(ssl.cert_time_to_seconds(text), want, text);
  }
  const format = "' %d %H:%M:%S %Y GMT'";
  for (
    const [text, message] of [
      [
        "Jan  5 09:34 2018 GMT",
        `time data '  5 09:34 2018 GMT' does not match format ${format}`,
      ],
      [
        "Jan  5 09:34:43 2018",
        `time data '  5 09:34:43 2018' does not match format ${format}`,
      ],
      [
        "Jan  5 09:34:43 2018 UTC",
        `time data '  5 09:34:43 2018 UTC' does not match format ${format}`,
      ],
      [
        "Jan 35 09:34:43 2018 GMT",
        `time data ' 35 09:34:43 2018 GMT' does not match format ${format}`,
      ],
      [
        "Jon  5 09:34:43 2018 GMT",
        `time data 'Jon  5 09:34:43 2018 GMT' does not match format "%b %d %H:%M:%S %Y GMT"`,
      ],
      [
        "Jan  5 24:00:00 2018 GMT",
        `time data '  5 24:00:00 2018 GMT' does not match format ${format}`,
      ],
      [
        "Jan  5 09:60:43 2018 GMT",
        `time data '  5 09:60:43 2018 GMT' does not match format ${format}`,
      ],
      [
        "Jan  5 09:34:62 2018 GMT",
        `time data '  5 09:34:62 2018 GMT' does not match format ${format}`,
      ],
      [
        "Jan 00 09:34:43 2018 GMT",
        `time data ' 00 09:34:43 2018 GMT' does not match format ${format}`,
      ],
      [
        "Jan05 09:34:43 2018 GMT",
        `time data '05 09:34:43 2018 GMT' does not match format ${format}`,
      ],
      ["Jan  5 09:34:43 2018 GMT ", "unconverted data remains:  "],
      ["Jan  5 09:34:43 0000 GMT", "year 0 is out of range"],
    ]
  ) {
    const err = assertThrows(() => ssl.cert_time_to_seconds(text));
    assertInstanceOf(err, socket.ValueError);
    assertEquals(err.message, message);
  }
});

// ------------------------------------------------------ context setters

test("SSLContext's integer settings convert as CPython's C conversions", () => {
  const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
  const overflow = (f: () => void, message: string) => {
    const err = assertThrows(f);
    assertInstanceOf(err, socket.OverflowError);
    assertEquals(err.message, message);
  };
  const before = ctx.options;
  overflow(() => {
    ctx.options = 2 ** 64;
  }, "Python int too large to convert to C long");
  overflow(() => {
    ctx.options = 2n ** 63n as unknown as number;
  }, "Python int too large to convert to C long");
  assertEquals(ctx.options, before);
  ctx.options = -1;
  assertEquals(ctx.options, 4294967295);
  ctx.options = -(2 ** 31) - 1;
  assertEquals(ctx.options, 2147483647);
  ctx.options = 2 ** 40;
  assertEquals(ctx.options, 2 ** 40);

  const typeError = assertThrows(() => {
    ctx.verify_mode = 1.5;
  });
  assertInstanceOf(typeError, TypeError);
  assertEquals(
    typeError.message,
    "'float' object cannot be interpreted as an integer",
  );
  overflow(() => {
    ctx.verify_mode = 2 ** 31;
  }, "signed integer is greater than maximum");
  overflow(() => {
    ctx.verify_mode = -(2 ** 31) - 1;
  }, "signed integer is less than minimum");
  overflow(() => {
    ctx.verify_mode = 2 ** 64;
  }, "Python int too large to convert to C long");
  assertEquals(ctx.verify_mode, ssl.CERT_REQUIRED);

  overflow(() => {
    ctx.minimum_version = 2 ** 31;
  }, "Option is too long");
  overflow(() => {
    ctx.maximum_version = 2 ** 63;
  }, "Python int too large to convert to C long");
  const valueError = assertThrows(() => {
    ctx.maximum_version = -(2 ** 31) - 1;
  });
  assertInstanceOf(valueError, socket.ValueError);
  assertEquals(valueError.message, "Unsupported TLS/SSL version 0x7fffffff");
  assertEquals(
    [ctx.minimum_version, ctx.maximum_version],
    [ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.MAXIMUM_SUPPORTED],
  );
  overflow(
    () => new ssl.SSLContext(2 ** 31),
    "Python int too large to convert to C int",
  );
});

test(
  "SSLContext.set_ciphers() takes no TLS 1.3 suite names, as OpenSSL's cipher lists",
  async () => {
    const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
    for (
      const list of [
        "TLS_AES_128_GCM_SHA256",
        "TLS_CHACHA20_POLY1305_SHA256",
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
      ]
    ) {
      const err = assertThrows(() => ctx.set_ciphers(list));
      assertInstanceOf(err, ssl.SSLError);
      // Python's str() of SSLError('No cipher can be selected.').
      assertEquals(err.message, "('No cipher can be selected.',)");
    }
    // Beside a TLS 1.2 cipher, the name selects nothing, and TLS 1.3 is
    // as it was.
    ctx.set_ciphers("TLS_AES_128_GCM_SHA256:AES128");
    const c = await testCerts();
    ctx.load_verify_locations(c.ca);
    const server = serverContext(c.server, c.serverKey);
    assertEquals(await handshake(ctx, server), "TLSv1.3");
  },
  {
    ignore: (await noOpenssl()) ||
      (runtime === "deno" &&
        "Deno's TLS takes no cipher list: set_ciphers() raises [Errno 92]"),
  },
);
