// Copyright the pysocket authors. MIT license.
// The ssl examples, each under the runtime the test runs on: the HTTPS GET
// client against openssl's `s_server -www` and against CPython's
// http.server over TLS, and the TLS echo server under CPython's ssl
// client (tests/fixtures/ssl_peer.py).

import { assertEquals, assertMatch } from "@std/assert";
import { fileURLToPath } from "node:url";
import { Child, noPython, run, runtimeArgv, test } from "./_util.ts";
import { acceptPort, noOpenssl, opensslServer, testCerts } from "./_certs.ts";

const skip = (await noOpenssl()) || (await noPython());
const root = new URL("..", import.meta.url);
const PEER = fileURLToPath(new URL("./fixtures/ssl_peer.py", import.meta.url));

/** Runs `examples/<name>` under this test's runtime. */
function example(name: string, args: string[]): Child {
  const [cmd, ...argv] = runtimeArgv(
    new URL(`../examples/${name}`, import.meta.url),
    {
      denoFlags: [
        "--no-prompt",
        "--allow-net=127.0.0.1,localhost",
        "--allow-read",
      ],
    },
  );
  return new Child(cmd, [...argv, ...args], {
    cwd: root,
    env: { NO_COLOR: "1" },
    timeoutMs: 60_000,
  });
}

/** CPython's http.server over TLS, for one request. */
const PY_HTTPS = `
import http.server, ssl, sys
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(sys.argv[1], sys.argv[2])
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"hello from CPython over TLS\\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
httpd = http.server.HTTPServer(("127.0.0.1", 0), H)
httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
print(httpd.server_address[1], flush=True)
httpd.handle_request()
`;

test("examples/https_get.ts against openssl s_server -www", async () => {
  const c = await testCerts();
  await using server = opensslServer(c, ["-www"]);
  const port = await acceptPort(server);
  const result = await example("https_get.ts", ["localhost", port, c.ca])
    .exit();
  assertEquals(result.code, 0, result.stderr);
  const lines = result.stdout.split("\n");
  assertEquals(lines[0], "TLSv1.3");
  // The subject as Python prints the dict.
  assertEquals(
    lines[1],
    "{'countryName': 'US', 'stateOrProvinceName': 'CA', 'organizationName': 'pysocket', 'commonName': 'localhost'}",
  );
  assertMatch(result.stdout, /^HTTP\/1\.0 200 ok$/m);
  assertMatch(result.stdout, /Cipher is TLS_/);
}, { ignore: skip });

test(
  "examples/https_get.ts against CPython's http.server over TLS",
  async () => {
    const c = await testCerts();
    await using server = new Child("python3", [
      "-c",
      PY_HTTPS,
      c.server,
      c.serverKey,
    ], { timeoutMs: 60_000 });
    const [, port] = await server.waitFor("stdout", /^(\d+)$/m);
    const result = await example("https_get.ts", ["localhost", port, c.ca])
      .exit();
    assertEquals(result.code, 0, result.stderr);
    assertMatch(result.stdout, /^HTTP\/1\.0 200 OK$/m);
    assertMatch(result.stdout, /hello from CPython over TLS/);
  },
  { ignore: skip },
);

test(
  "examples/https_get.ts refuses a server its CA file does not vouch for",
  async () => {
    const c = await testCerts();
    await using server = opensslServer(c, ["-www"]);
    const port = await acceptPort(server);
    const result = await example("https_get.ts", ["localhost", port, c.otherCa])
      .exit();
    assertEquals(result.code === 0, false);
    assertMatch(
      result.stderr,
      /\[SSL: CERTIFICATE_VERIFY_FAILED\] certificate verify failed: unable to get local issuer certificate \(_ssl\.c:1006\)/,
    );
  },
  { ignore: skip },
);

test("examples/tls_echo_server.ts echoes to CPython's ssl client", async () => {
  const c = await testCerts();
  await using server = example("tls_echo_server.ts", [
    c.server,
    c.serverKey,
    "0",
    "2",
  ]);
  const [, port] = await server.waitFor("stdout", /^listening on (\d+)$/m);
  for (let i = 0; i < 2; i++) {
    const { code, stdout, stderr } = await run("python3", [
      PEER,
      "client",
      port,
      "localhost",
      "--cafile",
      c.ca,
    ], { timeoutMs: 30_000 });
    assertEquals(code, 0, stderr);
    const events = stdout.trim().split("\n").map((l) => JSON.parse(l));
    assertEquals(events[0].version, "TLSv1.3");
    assertEquals(events[1], { event: "recv", data: "ping" });
  }
  const done = await server.exit();
  assertEquals(done.code, 0, done.stderr);
  assertMatch(done.stdout, /^\('127\.0\.0\.1', \d+\) TLSv1\.3$/m);
}, { ignore: skip });
