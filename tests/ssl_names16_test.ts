// Copyright the pysocket authors. MIT license.
// ssl: names in certificates as CPython 3.11 reads them with OpenSSL 3.0.
// A server's host name matches a DNS name or common name as OpenSSL's
// X509_check_host does with CPython's flags (whole-label wildcards only:
// valid_star, wildcard_match, ASCII-only case folding); getpeercert()
// names attributes and registered IDs by OpenSSL's long names; and
// check_hostname / hostname_checks_common_name take Python's truth value.
// Certificates are made by openssl at test time (tests/_certs.ts); the
// expected results are python3 3.11.7's (OpenSSL 3.0) on the same
// certificates.

import { assertEquals } from "@std/assert";
import * as ssl from "../ssl.ts";
import { makeTempDir, test, writeTextFile } from "./_util.ts";
import {
  assertVerifyError,
  ecKey,
  noOpenssl,
  runOpenssl,
  tlsPair,
} from "./_certs.ts";

const skip = await noOpenssl();

/**
 * A client trusting the self-signed `<name>.pem` (key `key.key`) and a
 * server presenting it: connects naming `host`; `true` when the client
 * accepts the certificate, else its host name error is checked.
 */
async function connects(
  dir: string,
  name: string,
  host: string,
  checkCommonName = true,
): Promise<boolean> {
  const server = new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER);
  server.load_cert_chain(`${dir}/${name}.pem`, `${dir}/key.key`);
  const client = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
  client.load_verify_locations(`${dir}/${name}.pem`);
  client.hostname_checks_common_name = checkCommonName;
  try {
    const pair = await tlsPair(client, server, host);
    pair.client.close();
    pair.server.close();
    return true;
  } catch (err) {
    assertVerifyError(
      err,
      62,
      `Hostname mismatch, certificate is not valid for '${host}'.`,
    );
    return false;
  }
}

/** A self-signed `<name>.pem` for `key.key`, with a UTF-8 subject. */
function selfSigned(
  dir: string,
  name: string,
  subject: string,
  ...ext: string[]
) {
  return runOpenssl([
    "req",
    "-x509",
    "-key",
    "key.key",
    "-out",
    `${name}.pem`,
    "-days",
    "30",
    "-utf8",
    "-subj",
    subject,
    ...ext.flatMap((e) => ["-addext", e]),
  ], dir);
}

const KELVIN = "\u212A"; // KELVIN SIGN, which toLowerCase() makes a "k"

// [the certificate's DNS name, the server_hostname, CPython connects?]
const DNS_CASES: [string, string, boolean][] = [
  // A whole-label wildcard over xn-- labels is one: OpenSSL only refuses a
  // `*` inside an xn-- label, and the `*` may stand for an xn-- label.
  ["*.xn--mnchen-3ya.test", "a.xn--mnchen-3ya.test", true],
  ["*.XN--mnchen-3ya.test", "xn--a.xn--mnchen-3ya.test", true],
  ["*.xn--abc.xn--def.test", "a.xn--abc.xn--def.test", true],
  ["*.xn--bcher-kva.test", "a.b\u00FCcher.test", true],
  // Other labels: letters, digits, inner hyphens (two too).
  ["*.a--b.test", "x.a--b.test", true],
  ["*.1.2", "x.1.2", true],
  ["*.EXAMPLE.test", "A.example.TEST", true],
  // The `*` stands for one label of letters, digits and hyphens, or "*".
  ["*.example.test", "-.example.test", true],
  ["*.example.test", "*.example.test", true],
  ["*.example.test", "a_b.example.test", false],
  ["*.example.test", "a.b.example.test", false],
  ["*.example.test", "example.test", false],
  // No wildcard (compared literally): another character, a label that
  // starts or ends with '-', an empty label, a trailing dot, fewer than
  // two labels after the `*`, a partial or second `*`.
  ["*.exa_mple.test", "a.exa_mple.test", false],
  ["*.exa mple.test", "a.exa mple.test", false],
  ["*.-foo.test", "a.-foo.test", false],
  ["*.foo-.test", "a.foo-.test", false],
  ["*.example.test.", "a.example.test.", false],
  ["*.test", "a.test", false],
  ["w*.example.test", "wx.example.test", false],
  ["*.*.example.test", "a.b.example.test", false],
  // Literal names of any characters, a trailing dot significant.
  ["exa_mple.test", "exa_mple.test", true],
  ["-foo.test", "-foo.test", true],
  ["foo.test.", "foo.test.", true],
  ["foo.test.", "foo.test", false],
  // Case is folded in ASCII only: KELVIN SIGN is no 'K'.
  [`${KELVIN}elvin.test`, "kelvin.test", false],
  [`*.${KELVIN}elvin.test`, "a.kelvin.test", false],
];

// [the subject's common name (no alternative names), the host, connects?]
const CN_CASES: [string, string, boolean][] = [
  ["*.xn--mnchen-3ya.test", "a.xn--mnchen-3ya.test", true],
  ["Example.Test", "example.test", true],
  ["*.exa_mple.test", "a.exa_mple.test", false],
  ["*.example.test.", "a.example.test.", false],
  [`${KELVIN}elvin.test`, "kelvin.test", false],
  [`*.${KELVIN}elvin.test`, "a.kelvin.test", false],
];

test(
  "server_hostname matches DNS names as OpenSSL's X509_check_host with CPython's flags",
  async () => {
    const dir = await makeTempDir();
    await ecKey(dir, "key");
    const got: [string, string, boolean][] = [];
    for (const [i, [name, host]] of DNS_CASES.entries()) {
      await selfSigned(
        dir,
        `c${i}`,
        `/CN=cn${i}`,
        `subjectAltName=DNS:${name}`,
      );
      // The error names the host as encoded: only ASCII hosts fail here.
      got.push([name, host, await connects(dir, `c${i}`, host)]);
    }
    assertEquals(got, DNS_CASES);
  },
  { ignore: skip },
);

test(
  "server_hostname matches the common name by the same rules, without alternative names",
  async () => {
    const dir = await makeTempDir();
    await ecKey(dir, "key");
    const got: [string, string, boolean][] = [];
    for (const [i, [name, host]] of CN_CASES.entries()) {
      await selfSigned(dir, `c${i}`, `/CN=${name}`);
      got.push([name, host, await connects(dir, `c${i}`, host)]);
    }
    assertEquals(got, CN_CASES);
    // ... and only while hostname_checks_common_name.
    assertEquals(await connects(dir, "c0", CN_CASES[0][1], false), false);
  },
  { ignore: skip },
);

const RICH_CONF = `[req]
distinguished_name = dn
prompt = no
[dn]
CN = rich.test
a.2.5.4.19 = PDO
a.2.5.4.100 = weird
a.2.5.4.101 = unknown
a.0.9.2342.19200300.100.1.3 = m@x.test
a.0.9.2342.19200300.100.1.5 = tea
a.1.2.840.113549.1.9.8 = addr
a.1.2.643.3.131.1.1 = 123456789012
[ext]
basicConstraints = critical,CA:TRUE
subjectAltName = DNS:rich.test,RID:1.3.6.1.5.5.7.3.1,RID:1.3.6.1.5.5.7.48.1,RID:1.3.6.1.5.5.7.1.1,RID:1.3.6.1.4.1.311.20.2.3,RID:1.2.3.4
`;

test(
  "getpeercert() names attributes and registered IDs by OpenSSL's long names, as CPython",
  async () => {
    const dir = await makeTempDir();
    await writeTextFile(`${dir}/rich.cnf`, RICH_CONF);
    await ecKey(dir, "key");
    await runOpenssl([
      "req",
      "-x509",
      "-key",
      "key.key",
      "-out",
      "rich.pem",
      "-days",
      "30",
      "-config",
      "rich.cnf",
      "-extensions",
      "ext",
    ], dir);
    const server = new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER);
    server.load_cert_chain(`${dir}/rich.pem`, `${dir}/key.key`);
    const client = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
    client.load_verify_locations(`${dir}/rich.pem`);
    const pair = await tlsPair(client, server, "rich.test");
    try {
      const cert = pair.client.getpeercert()!;
      const subject = [
        [["commonName", "rich.test"]],
        [["physicalDeliveryOfficeName", "PDO"]],
        [["dnsName", "weird"]],
        [["2.5.4.101", "unknown"]], // unknown to OpenSSL: dotted
        [["rfc822Mailbox", "m@x.test"]],
        [["favouriteDrink", "tea"]],
        [["unstructuredAddress", "addr"]],
        [["INN", "123456789012"]],
      ];
      assertEquals([cert.subject, cert.issuer], [subject, subject]);
      assertEquals(cert.subjectAltName, [
        ["DNS", "rich.test"],
        ["Registered ID", "TLS Web Server Authentication"],
        ["Registered ID", "OCSP"],
        ["Registered ID", "Authority Information Access"],
        ["Registered ID", "Microsoft User Principal Name"],
        ["Registered ID", "1.2.3.4"],
      ]);
    } finally {
      pair.client.close();
      pair.server.close();
    }
  },
  { ignore: skip },
);

test("check_hostname and hostname_checks_common_name take Python's truth value", () => {
  const ctx = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
  const loose = ctx as unknown as Record<string, unknown>;
  loose.check_hostname = [];
  assertEquals(ctx.check_hostname, false);
  ctx.verify_mode = ssl.CERT_NONE; // allowed: check_hostname is off
  loose.check_hostname = [0];
  assertEquals([ctx.check_hostname, ctx.verify_mode], [
    true,
    ssl.CERT_REQUIRED,
  ]);
  loose.hostname_checks_common_name = {};
  assertEquals(ctx.hostname_checks_common_name, false);
  loose.hostname_checks_common_name = new Uint8Array(0);
  assertEquals(ctx.hostname_checks_common_name, false);
  loose.hostname_checks_common_name = "x";
  assertEquals(ctx.hostname_checks_common_name, true);
});
