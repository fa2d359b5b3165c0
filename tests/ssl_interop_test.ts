// Copyright the pysocket authors. MIT license.
// ssl against CPython's ssl (tests/fixtures/ssl_peer.py) and openssl's
// s_server / s_client, both sides: the same certificates give the same
// peer-certificate dicts, the same verification errors (class, message,
// verify_code, verify_message, reason, library) and the same session; what
// CPython itself reports is the expectation, asked of python3 each run.

import { assert, assertEquals, assertMatch } from "@std/assert";
import * as socket from "../mod.ts";
import * as ssl from "../ssl.ts";
import { fileURLToPath } from "node:url";
import { b, Child, noReferencePython, run, str, test } from "./_util.ts";
import { runtime } from "./_harness/host.ts";
import {
  acceptPort,
  noOpenssl,
  opensslServer,
  type TestCerts,
  testCerts,
} from "./_certs.ts";

// CPython's texts (and its _ssl.c line numbers) are those of one build.
const skip = (await noOpenssl()) || (await noReferencePython());
const PEER = fileURLToPath(new URL("./fixtures/ssl_peer.py", import.meta.url));

/** CPython's server error for a client that sent no certificate. */
const PEER_DID_NOT =
  "[SSL: PEER_DID_NOT_RETURN_A_CERTIFICATE] peer did not return a certificate (_ssl.c:1006)";

/** A test that needs python3 and openssl (skipped, with the reason). */
function interop(name: string, fn: () => Promise<void>): void {
  test(name, fn, { ignore: skip });
}

/** One event CPython's peer reported. */
type PeerEvent = Record<string, unknown> & { event: string };

function events(stdout: string): PeerEvent[] {
  return stdout.trim().split("\n").filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line));
}

/** CPython's server, started; its port. */
async function pyServer(
  certs: TestCerts,
  cert: keyof TestCerts,
  key: keyof TestCerts,
  options: string[] = [],
): Promise<[Child, number]> {
  const child = new Child("python3", [
    "-u",
    PEER,
    "server",
    certs[cert],
    certs[key],
    ...options,
  ], { timeoutMs: 30_000 });
  const [, port] = await child.waitFor("stdout", /^(\d+)$/m);
  return [child, Number(port)];
}

/** CPython's client against `port`; its events. */
async function pyClient(
  port: number,
  host: string,
  options: string[] = [],
): Promise<PeerEvent[]> {
  const { code, stdout, stderr } = await run("python3", [
    PEER,
    "client",
    String(port),
    host,
    ...options,
  ], { timeoutMs: 30_000 });
  assertEquals(code, 0, stderr);
  return events(stdout);
}

/** The events a finished CPython server reported. */
async function serverEvents(child: Child): Promise<PeerEvent[]> {
  const { stdout } = await child.exit();
  return events(stdout);
}

/** An error as CPython's peer reports one. */
function report(e: unknown) {
  const err = e as ssl.SSLCertVerificationError;
  return {
    type: err.constructor.name,
    message: err.message,
    errno: err.errno ?? null,
    reason: err.reason ?? null,
    library: err.library ?? null,
    verify_code: err.verify_code ?? null,
    verify_message: err.verify_message ?? null,
  };
}

function hex(bytes: Uint8Array | null): string {
  return Array.from(bytes ?? [], (x) => x.toString(16).padStart(2, "0"))
    .join("");
}

/** pysocket's client side of the peer's session; its events. */
async function ourClient(
  port: number,
  host: string,
  ctx: ssl.SSLContext,
  options: { starttls?: boolean; unwrap?: boolean; readTwice?: boolean } = {},
  wrap: ssl.WrapSocketOptions = {},
): Promise<PeerEvent[]> {
  const out: PeerEvent[] = [];
  const sock = await socket.create_connection(["127.0.0.1", port], 20);
  try {
    if (options.starttls) await sock.sendall(b("STARTTLS\r\n"));
    let s: ssl.SSLSocket;
    try {
      s = await ctx.wrap_socket(sock, { server_hostname: host, ...wrap });
    } catch (e) {
      out.push({ event: "error", ...report(e) });
      return out;
    }
    out.push({
      event: "handshake",
      version: s.version(),
      cipher: s.cipher(),
      alpn: s.selected_alpn_protocol(),
      peercert: s.getpeercert(),
      peercert_der: hex(s.getpeercert(true)),
      channel_binding: hex(s.get_channel_binding()) || null,
    });
    try {
      await s.sendall(b("ping"));
      out.push({ event: "recv", data: str(await s.recv(1024)) });
      if (options.unwrap) {
        await s.sendall(b("STOPTLS"));
        const plain = await s.unwrap();
        out.push({ event: "unwrapped" });
        await plain.sendall(b("plain"));
        out.push({ event: "plain", data: str(await plain.recv(1024)) });
      } else if (options.readTwice) {
        out.push({ event: "recv", data: str(await s.recv(1024)) });
      }
    } catch (e) {
      out.push({ event: "error", ...report(e) });
    } finally {
      s.close();
    }
  } finally {
    sock.close();
  }
  return out;
}

/** pysocket's server side of the session, on one connection. */
function ourServer(
  ctx: ssl.SSLContext,
  options: { starttls?: boolean; unwrap?: boolean } = {},
): [number, Promise<PeerEvent[]>] {
  const listener = socket.socket();
  listener.bind(["127.0.0.1", 0]);
  listener.listen();
  const port = (listener.getsockname() as [string, number])[1];
  const serving = (async () => {
    const out: PeerEvent[] = [];
    const [conn] = await listener.accept();
    listener.close();
    try {
      if (options.starttls) {
        out.push({ event: "plain", data: str(await conn.recv(10)) });
      }
      let s: ssl.SSLSocket;
      try {
        s = await ctx.wrap_socket(conn, { server_side: true });
      } catch (e) {
        out.push({ event: "error", ...report(e) });
        return out;
      }
      out.push({
        event: "handshake",
        version: s.version(),
        cipher: s.cipher(),
        alpn: s.selected_alpn_protocol(),
        peercert: s.getpeercert(),
        peercert_der: hex(s.getpeercert(true)),
        channel_binding: hex(s.get_channel_binding()) || null,
      });
      try {
        const data = await s.recv(1024);
        out.push({ event: "recv", data: str(data) });
        await s.sendall(data);
        if (options.unwrap) {
          out.push({ event: "recv", data: str(await s.recv(1024)) });
          const plain = await s.unwrap();
          out.push({ event: "unwrapped" });
          const text = await plain.recv(1024);
          out.push({ event: "plain", data: str(text) });
          await plain.sendall(b(str(text).toUpperCase()));
        } else out.push({ event: "recv", data: str(await s.recv(1024)) });
      } catch (e) {
        out.push({ event: "error", ...report(e) });
      } finally {
        s.close();
      }
    } finally {
      conn.close();
    }
    return out;
  })();
  return [port, serving];
}

async function clientContext(cafile?: string): Promise<ssl.SSLContext> {
  const c = await testCerts();
  return ssl.create_default_context(ssl.Purpose.SERVER_AUTH, {
    cafile: cafile ?? c.ca,
  });
}

async function serverContext(
  cert: keyof TestCerts = "server",
  key: keyof TestCerts = "serverKey",
): Promise<ssl.SSLContext> {
  const c = await testCerts();
  const ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH);
  ctx.load_cert_chain(c[cert], c[key]);
  return ctx;
}

interop(
  "pysocket's client and CPython's see the same server certificate, dict and DER",
  async () => {
    const c = await testCerts();
    const [py, pyPort] = await pyServer(c, "server", "serverKey");
    const reference = await pyClient(pyPort, "localhost", ["--cafile", c.ca]);
    await serverEvents(py);
    const [server, port] = await pyServer(c, "server", "serverKey");
    const ours = await ourClient(port, "localhost", await clientContext());
    const theirs = await serverEvents(server);
    assertEquals(ours[0].peercert, reference[0].peercert);
    assertEquals(ours[0].peercert_der, reference[0].peercert_der);
    assertEquals(ours[0].version, "TLSv1.3");
    assertEquals(
      ours[0].cipher,
      theirs[0].cipher,
      "both ends name the cipher alike",
    );
    assertEquals(ours[1], { event: "recv", data: "ping" });
    assertEquals(
      theirs[0].peercert,
      null,
      "CPython's server: no client certificate",
    );
    assertEquals(theirs.at(-1), { event: "recv", data: "" });
  },
);

interop(
  "CPython's client and pysocket's server: the session and what each side sees",
  async () => {
    const c = await testCerts();
    const [port, serving] = ourServer(await serverContext());
    const theirs = await pyClient(port, "localhost", ["--cafile", c.ca]);
    const ours = await serving;
    assertEquals(theirs[0].version, "TLSv1.3");
    assertEquals(theirs[0].cipher, ours[0].cipher);
    assertEquals(theirs[1], { event: "recv", data: "ping" });
    assertEquals(ours[0].peercert, null);
    assertEquals(ours[1], { event: "recv", data: "ping" });
    // CPython's close() sends no close_notify: suppressed, end of stream.
    assertEquals(ours[2], { event: "recv", data: "" });
  },
);

for (
  const [name, cert, key, host, cafile] of [
    ["expired", "expired", "expiredKey", "localhost", "ca"],
    ["self-signed", "self", "selfKey", "localhost", "ca"],
    ["wrong host", "wrongHost", "wrongHostKey", "localhost", "ca"],
    ["IP mismatch", "server", "serverKey", "127.0.0.2", "ca"],
    ["unknown CA", "server", "serverKey", "localhost", "otherCa"],
    ["no SAN, CN match", "noSan", "noSanKey", "localhost", "ca"],
    ["trailing dot", "server", "serverKey", "localhost.", "ca"],
  ] as const
) {
  interop(
    `verification (${name}): pysocket's result is CPython's, error for error`,
    async () => {
      const c = await testCerts();
      const [py, pyPort] = await pyServer(c, cert, key);
      const reference = await pyClient(pyPort, host, ["--cafile", c[cafile]]);
      await serverEvents(py);
      const [server, port] = await pyServer(c, cert, key);
      const ours = await ourClient(port, host, await clientContext(c[cafile]));
      await serverEvents(server);
      if (reference[0].event === "error") {
        assertEquals(ours[0], reference[0]);
      } else {
        assertEquals(ours[0].event, "handshake");
        assertEquals(ours[0].peercert, reference[0].peercert);
      }
    },
  );
}

interop(
  "mutual TLS with CPython, both ways: each side sees the other's certificate",
  async () => {
    const c = await testCerts();
    const [py, pyPort] = await pyServer(c, "server", "serverKey", [
      "--verify",
      "required",
      "--cafile",
      c.ca,
    ]);
    const client = await clientContext();
    client.load_cert_chain(c.client, c.clientKey);
    const ours = await ourClient(pyPort, "localhost", client);
    const theirs = await serverEvents(py);
    assertEquals(ours[1], { event: "recv", data: "ping" });
    const seen = theirs[0].peercert as ssl.PeerCertificate;
    assertEquals(seen.subject, [[["commonName", "pysocket client"]]]);

    const server = await serverContext();
    server.verify_mode = ssl.CERT_REQUIRED;
    server.load_verify_locations(c.ca);
    const [port, serving] = ourServer(server);
    const theirsClient = await pyClient(port, "localhost", [
      "--cafile",
      c.ca,
      "--cert",
      c.client,
      "--key",
      c.clientKey,
    ]);
    const oursServer = await serving;
    assertEquals(theirsClient[1], { event: "recv", data: "ping" });
    assertEquals(
      oursServer[0].peercert,
      seen,
      "the dict CPython's server made",
    );
  },
);

interop(
  "a client without a certificate, against CPython requiring one: refused as CPython's own client is",
  async () => {
    const c = await testCerts();
    const args = ["--verify", "required", "--cafile", c.ca];
    const [py, pyPort] = await pyServer(c, "server", "serverKey", args);
    const reference = await pyClient(pyPort, "localhost", ["--cafile", c.ca]);
    const pyServerSaw = await serverEvents(py);
    const [server, port] = await pyServer(c, "server", "serverKey", args);
    const ours = await ourClient(port, "localhost", await clientContext());
    const theirs = await serverEvents(server);
    assertEquals(theirs, pyServerSaw, "CPython's server saw the same");
    assertEquals(theirs.at(-1)?.message, PEER_DID_NOT);
    // In TLS 1.3 the client's handshake is done before the server refuses:
    // what the client meets next depends on timing, for CPython too (the
    // alert on a read, an EOF or a reset on a write). Ours is one of those.
    const allowed = [
      "[SSL: TLSV13_ALERT_CERTIFICATE_REQUIRED] tlsv13 alert certificate required (_ssl.c:2580)",
      "EOF occurred in violation of protocol (_ssl.c:2427)",
      "[SSL: UNEXPECTED_EOF_WHILE_READING] EOF occurred in violation of protocol (_ssl.c:2580)",
      "[Errno 104] Connection reset by peer",
      "[Errno 32] Broken pipe",
    ];
    const theirsError = reference.find((e) => e.event === "error");
    assert(
      allowed.includes(theirsError?.message as string),
      String(theirsError?.message),
    );
    const error = ours.find((e) => e.event === "error");
    assert(allowed.includes(error?.message as string), String(error?.message));
  },
);

interop(
  "a CPython client that refuses the server's name alerts bad_certificate: pysocket's server raises CPython's server's error (OpenSSL 3.0's SSLV3_ALERT_ names, also where the runtime's OpenSSL is newer)",
  async () => {
    const c = await testCerts();
    const args = ["--cafile", c.ca, "--max", "1.2"];
    const [py, pyPort] = await pyServer(c, "server", "serverKey");
    await pyClient(pyPort, "wrong.invalid", args);
    const reference = (await serverEvents(py)).at(-1);
    assertEquals(reference?.reason, "SSLV3_ALERT_BAD_CERTIFICATE");
    const [port, serving] = ourServer(await serverContext());
    await pyClient(port, "wrong.invalid", args);
    assertEquals((await serving).at(-1), reference);
  },
);

interop("STARTTLS and unwrap with CPython, both ways", async () => {
  const c = await testCerts();
  const [py, pyPort] = await pyServer(c, "server", "serverKey", [
    "--starttls",
    "--unwrap",
  ]);
  const ours = await ourClient(pyPort, "localhost", await clientContext(), {
    starttls: true,
    unwrap: true,
  });
  const theirs = await serverEvents(py);
  assertEquals(theirs[0], { event: "plain", data: "STARTTLS\r\n" });
  assertEquals(ours.slice(1), [
    { event: "recv", data: "ping" },
    { event: "unwrapped" },
    { event: "plain", data: "PLAIN" },
  ]);
  assertEquals(theirs.slice(2), [
    { event: "recv", data: "ping" },
    { event: "recv", data: "STOPTLS" },
    { event: "unwrapped" },
    { event: "plain", data: "plain" },
  ]);

  const [port, serving] = ourServer(await serverContext(), {
    starttls: true,
    unwrap: true,
  });
  const theirsClient = await pyClient(port, "localhost", [
    "--cafile",
    c.ca,
    "--starttls",
    "--unwrap",
  ]);
  const oursServer = await serving;
  assertEquals(oursServer[0], { event: "plain", data: "STARTTLS\r\n" });
  assertEquals(theirsClient.slice(1), [
    { event: "recv", data: "ping" },
    { event: "unwrapped" },
    { event: "plain", data: "PLAIN" },
  ]);
});

interop(
  "CPython's server closing without close_notify: suppressed, or CPython's SSLEOFError",
  async () => {
    const c = await testCerts();
    const [py, pyPort] = await pyServer(c, "server", "serverKey", ["--abrupt"]);
    const reference = await pyClient(pyPort, "localhost", [
      "--cafile",
      c.ca,
      "--no-suppress",
      "--read-twice",
    ]);
    await serverEvents(py);
    const [server, port] = await pyServer(c, "server", "serverKey", [
      "--abrupt",
    ]);
    const ours = await ourClient(port, "localhost", await clientContext(), {
      readTwice: true,
    }, { suppress_ragged_eofs: false });
    await serverEvents(server);
    assertEquals(ours.slice(1), reference.slice(1));
    assertEquals(ours[2].type, "SSLEOFError");

    const [server2, port2] = await pyServer(c, "server", "serverKey", [
      "--abrupt",
    ]);
    const suppressed = await ourClient(
      port2,
      "localhost",
      await clientContext(),
      {
        readTwice: true,
      },
    );
    await serverEvents(server2);
    assertEquals(suppressed.slice(1), [
      { event: "recv", data: "x" },
      { event: "recv", data: "" },
    ]);
  },
);

interop(
  "TLS 1.2 and ALPN against CPython: the same version, cipher and protocol",
  async () => {
    const c = await testCerts();
    const [py, pyPort] = await pyServer(c, "server", "serverKey", [
      "--max",
      "1.2",
      "--alpn",
      "h2,http/1.1",
    ]);
    const client = await clientContext();
    client.set_alpn_protocols(["spdy", "http/1.1"]);
    const ours = await ourClient(pyPort, "localhost", client);
    const theirs = await serverEvents(py);
    assertEquals(ours[0].version, "TLSv1.2");
    assertEquals(ours[0].cipher, theirs[0].cipher);
    assertEquals([ours[0].alpn, theirs[0].alpn], ["http/1.1", "http/1.1"]);
  },
);

for (const max of ["1.2", "1.3"]) {
  interop(
    `tls-unique over TLS ${max}: the channel binding CPython's peer computes, or null where the runtime does not tell it`,
    async () => {
      const c = await testCerts();
      // Deno's node:tls reports other bytes than the Finished message, and
      // Bun's none under TLS 1.3: pysocket says null there.
      const tells = runtime === "node" || (runtime === "bun" && max === "1.2");
      const [py, pyPort] = await pyServer(c, "server", "serverKey", [
        "--max",
        max,
      ]);
      const ours = await ourClient(pyPort, "localhost", await clientContext());
      const theirs = await serverEvents(py);
      const [port, serving] = ourServer(await serverContext());
      const theirClient = await pyClient(port, "localhost", [
        "--cafile",
        c.ca,
        "--max",
        max,
      ]);
      const ourServerEvents = await serving;
      // The client's Finished, as each side sees it.
      assertMatch(String(theirs[0].channel_binding), /^[0-9a-f]{24,96}$/);
      assertMatch(String(theirClient[0].channel_binding), /^[0-9a-f]{24,96}$/);
      assertEquals(
        [ours[0].channel_binding, ourServerEvents[0].channel_binding],
        tells
          ? [theirs[0].channel_binding, theirClient[0].channel_binding]
          : [null, null],
      );
    },
  );
}

interop(
  "openssl s_client against pysocket's server; pysocket's client against openssl s_server",
  async () => {
    const c = await testCerts();
    // s_client → our server: the echo comes back, and s_client verified us.
    const [port, serving] = ourServer(await serverContext());
    const client = new Child("openssl", [
      "s_client",
      "-connect",
      `127.0.0.1:${port}`,
      "-servername",
      "localhost",
      "-CAfile",
      c.ca,
      "-verify_return_error",
      "-verify_hostname",
      "localhost",
    ], { stdin: "piped", timeoutMs: 30_000 });
    await client.waitFor("stdout", /Verify return code: 0 \(ok\)/);
    await client.write("ping");
    await client.waitFor("stdout", /ping$/m);
    await client.closeStdin();
    await client.exit();
    const ours = await serving;
    assertEquals(ours[1], { event: "recv", data: "ping" });

    // Our client → s_server: what we send, s_server prints.
    const server = opensslServer(c, [], { stdin: "piped", timeoutMs: 30_000 });
    const sport = await acceptPort(server);
    const sock = await socket.create_connection(
      ["127.0.0.1", Number(sport)],
      20,
    );
    const s = await (await clientContext()).wrap_socket(sock, {
      server_hostname: "localhost",
    });
    assertEquals(s.version(), "TLSv1.3");
    await s.sendall(b("hello s_server\n"));
    await server.waitFor("stdout", /hello s_server/);
    await server.write("hello pysocket\n");
    let got = "";
    while (!got.includes("\n")) got += str(await s.recv(100));
    assertEquals(got, "hello pysocket\n");
    s.close();
    await server.kill();
    assertMatch(server.stdout, /hello s_server/);
    assert(ours.length > 0);
  },
);
