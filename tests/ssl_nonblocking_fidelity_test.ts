// Copyright the pysocket authors. MIT license.
// ssl: non-blocking SSLSocket against CPython 3.11's behaviour where it once
// differed: calls while a non-blocking unwrap() waits for the peer's
// close_notify, a ragged end met after a failed write, and the calls after
// a failed handshake. Messages are CPython 3.11's on this machine.

import { assertEquals, assertInstanceOf } from "@std/assert";
import * as socket from "../mod.ts";
import * as ssl from "../ssl.ts";
import {
  b,
  closeAll,
  freePort,
  plainPair,
  runtime,
  sleep,
  str,
} from "./_util.ts";
import { testCerts, testContexts, tlsTest } from "./_certs.ts";
import { expected } from "./_caps.ts";
import { select } from "../select.ts";

/** Bun's TLS ends reading at its own close_notify (see the README). */
const BUN = "Bun" in globalThis;

/** Contexts with the test certificates: `[client, server]`. */
async function contexts(
  maxVersion?: number,
): Promise<[ssl.SSLContext, ssl.SSLContext]> {
  const [client, server] = await testContexts();
  if (maxVersion !== undefined) client.maximum_version = maxVersion;
  return [client, server];
}

/**
 * A non-blocking TLS pair whose handshake ran by select(), as CPython's
 * asyncio-style code does: `[client, server]`, or the handshake's errors.
 */
async function nbPair(
  client: ssl.SSLContext,
  server: ssl.SSLContext,
  hostname = "localhost",
): Promise<
  { cs: ssl.SSLSocket; ss: ssl.SSLSocket; errors: Map<boolean, Error> }
> {
  const [a, z] = await plainPair();
  a.setblocking(false);
  z.setblocking(false);
  const cs = await client.wrap_socket(a, {
    server_hostname: hostname,
    do_handshake_on_connect: false,
  });
  const ss = await server.wrap_socket(z, {
    server_side: true,
    do_handshake_on_connect: false,
  });
  const errors = new Map<boolean, Error>();
  let pending = [cs, ss];
  for (let i = 0; i < 40 && pending.length > 0; i++) {
    for (const x of [...pending]) {
      try {
        await x.do_handshake();
        pending = pending.filter((y) => y !== x);
      } catch (err) {
        if (err instanceof ssl.SSLWantReadError) continue;
        pending = pending.filter((y) => y !== x);
        errors.set(x === cs, err as Error);
      }
    }
    if (pending.length === 0) break;
    const [r] = await select(pending, [], [], 0.5);
    // (Deno: a failure may come without readiness; one more round.)
    if (r.length === 0 && i > 0) break;
  }
  return { cs, ss, errors };
}

/** Starts a non-blocking unwrap(): it must wait for the peer. */
async function startUnwrap(s: ssl.SSLSocket): Promise<void> {
  try {
    await s.unwrap();
  } catch (err) {
    assertInstanceOf(err, ssl.SSLWantReadError);
    return;
  }
  throw new Error("unwrap() did not wait");
}

/** What a call raised: class, errno and message. */
async function raised(call: () => unknown): Promise<unknown[]> {
  try {
    await call();
  } catch (err) {
    const e = err as ssl.SSLError;
    return [e.constructor.name, e.errno, e.message];
  }
  return ["no error"];
}

/** Non-blocking recv() after select() (up to 2 s). */
async function recvReady(s: ssl.SSLSocket): Promise<Uint8Array> {
  for (let i = 0; i < 20; i++) {
    await select([s], [], [], 0.1);
    try {
      return await s.recv(100);
    } catch (err) {
      if (!(err instanceof ssl.SSLWantReadError)) throw err;
    }
  }
  throw new Error("nothing to read");
}

const ZERO_READ = [
  "SSLZeroReturnError",
  6,
  "TLS/SSL connection has been closed (EOF) (_ssl.c:2580)",
];
/** A write after TLS failed on its own (or met a ragged end). */
const EOF_WRITE = [
  "SSLEOFError",
  8,
  "EOF occurred in violation of protocol (_ssl.c:2427)",
];
/** A handshake after TLS failed on its own. */
const EOF_HANDSHAKE = [
  "SSLEOFError",
  8,
  "EOF occurred in violation of protocol (_ssl.c:1006)",
];
/** A write after the peer's alert. */
const ZERO_WRITE = [
  "SSLZeroReturnError",
  6,
  "TLS/SSL connection has been closed (EOF) (_ssl.c:2427)",
];
/** A handshake after the peer's alert. */
const ZERO_HANDSHAKE = [
  "SSLZeroReturnError",
  6,
  "TLS/SSL connection has been closed (EOF) (_ssl.c:1006)",
];

/**
 * The calls on `s` after its TLS failed: send() raises `write`, recv() is
 * b'', do_handshake() raises `handshake`, version() is None.
 */
async function assertFailedCalls(
  s: ssl.SSLSocket,
  write: unknown[],
  handshake: unknown[],
): Promise<void> {
  assertEquals(await raised(() => s.send(b("a"))), write);
  assertEquals(await s.recv(10), new Uint8Array(0));
  assertEquals(await raised(() => s.do_handshake()), handshake);
  assertEquals(s.version(), null);
}

tlsTest(
  "ssl: send() while a non-blocking unwrap() waits is PROTOCOL_IS_SHUTDOWN",
  async () => {
    const { cs, ss } = await nbPair(...await contexts());
    try {
      await startUnwrap(ss);
      const shut = [
        "SSLError",
        1,
        "[SSL: PROTOCOL_IS_SHUTDOWN] protocol is shutdown (_ssl.c:2427)",
      ];
      assertEquals(await raised(() => ss.send(b("more"))), shut);
      assertEquals(await raised(() => ss.sendall(b("more"))), shut);
      assertEquals(await raised(() => ss.write(b("more"))), shut);
      // Nothing went: the peer reads our close_notify alone.
      assertEquals(await recvReady(cs), new Uint8Array(0));
    } finally {
      await closeAll(cs, ss);
    }
  },
);

tlsTest(
  "ssl: recv() during a non-blocking unwrap() ends in SSLZeroReturnError, then plain text",
  async () => {
    const { cs, ss } = await nbPair(...await contexts());
    try {
      await startUnwrap(ss);
      assertEquals(await recvReady(cs), new Uint8Array(0));
      await cs.unwrap();
      // select() + recv() see the peer's close_notify (no endless wait).
      const [r] = await select([ss], [], [], 2);
      assertEquals(r, [ss]);
      assertEquals(await raised(() => ss.recv(100)), ZERO_READ);
      assertEquals(await ss.unwrap(), ss);
      assertEquals(ss.version(), null);
      await cs.send(b("plain1"));
      assertEquals(str(await recvReady(ss)), "plain1");
      await ss.send(b("plain2"));
      assertEquals(str(await recvReady(cs)), "plain2");
    } finally {
      await closeAll(cs, ss);
    }
  },
);

tlsTest(
  "ssl: recv() during a non-blocking unwrap() reads the peer's late data",
  async () => {
    const { cs, ss } = await nbPair(...await contexts());
    try {
      await startUnwrap(ss);
      assertEquals(await recvReady(cs), new Uint8Array(0));
      // TLS 1.3 half-close: the peer still sends, then closes.
      assertEquals(await cs.send(b("late data")), 9);
      await cs.unwrap();
      assertEquals(str(await recvReady(ss)), "late data");
      await select([ss], [], [], 2);
      let err: unknown[] = [];
      for (let i = 0; i < 20; i++) {
        err = await raised(() => ss.recv(100));
        if (err[0] !== "SSLWantReadError") break;
        await select([ss], [], [], 0.1);
      }
      assertEquals(err, ZERO_READ);
      assertEquals(await ss.unwrap(), ss);
      await cs.send(b("plain1"));
      assertEquals(str(await recvReady(ss)), "plain1");
    } finally {
      await closeAll(cs, ss);
    }
  },
  BUN &&
    "the peer here is Bun too, whose TLS answers close_notify at once and drops what it writes after it: the late data is lost (README; tests/ssl_composed18_test.ts has a python3 peer)",
);

for (
  const [version, name] of [
    [ssl.TLSVersion.TLSv1_3, "TLS 1.3"],
    [ssl.TLSVersion.TLSv1_2, "TLS 1.2"],
  ] as const
) {
  tlsTest(
    `ssl: recv() after a peer's reset and a send() is b'' with suppress_ragged_eofs (${name})`,
    async () => {
      const { cs, ss } = await nbPair(...await contexts(version));
      try {
        ss.setsockopt(
          socket.SOL_SOCKET,
          socket.SO_LINGER,
          new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0]),
        );
        ss.close();
        await sleep(100);
        // The send may be taken before the reset shows (known).
        await cs.send(b("zz")).catch(() => {});
        await sleep(100);
        for (let i = 0; i < 2; i++) {
          await select([cs], [], [], 1);
          assertEquals(await cs.recv(10), new Uint8Array(0));
        }
        assertEquals(cs.version(), null);
        // TLS has failed: a write raises SSLEOFError.
        assertEquals(await raised(() => cs.send(b("x"))), EOF_WRITE);
      } finally {
        await closeAll(cs, ss);
      }
    },
    !expected.reset && "Deno's sockets have no SO_LINGER: no reset to make",
  );
}

tlsTest(
  "ssl: the calls after a refused certificate raise SSLEOFError, recv() is b''",
  async () => {
    const { cs, ss, errors } = await nbPair(
      ...await contexts(),
      "otherhost",
    );
    try {
      const failure = errors.get(true);
      assertInstanceOf(failure, ssl.SSLCertVerificationError);
      assertEquals((failure as ssl.SSLCertVerificationError).verify_code, 62);
      await sleep(100);
      await assertFailedCalls(cs, EOF_WRITE, EOF_HANDSHAKE);
    } finally {
      await closeAll(cs, ss);
    }
  },
);

tlsTest(
  "ssl: the calls after the peer's alert in the handshake raise SSLZeroReturnError",
  async () => {
    // The client asks for TLS 1.3 alone, the server offers up to 1.2: the
    // server refuses (protocol_version alert), the client reads the alert.
    const [client, server] = await contexts();
    client.minimum_version = ssl.TLSVersion.TLSv1_3;
    server.maximum_version = ssl.TLSVersion.TLSv1_2;
    const { cs, ss, errors } = await nbPair(client, server);
    try {
      assertInstanceOf(errors.get(true), ssl.SSLError);
      await sleep(100);
      await assertFailedCalls(cs, ZERO_WRITE, ZERO_HANDSHAKE);
      // The server failed on its own: SSLEOFError. (Bun's TLS names its
      // own refusal by the alert it sends: not told apart from a peer's.)
      if (runtime === "node") {
        const refusal = errors.get(false) as ssl.SSLError;
        assertEquals(refusal.reason, "UNSUPPORTED_PROTOCOL");
        assertEquals(await raised(() => ss.send(b("a"))), EOF_WRITE);
        assertEquals(await ss.recv(10), new Uint8Array(0));
      }
    } finally {
      await closeAll(cs, ss);
    }
  },
  runtime === "deno" &&
    "Deno's TLS client may never see the server's refusal (no readiness)",
);

tlsTest(
  "ssl: after a non-blocking connect_ex() that is refused, send() raises SSLEOFError, recv() is b''",
  async () => {
    const port = freePort();
    const [client] = await contexts();
    const t = await client.wrap_socket(socket.socket(), {
      server_hostname: "localhost",
    });
    try {
      t.setblocking(false);
      assertEquals(await t.connect_ex(["127.0.0.1", port]), 115);
      const [, w] = await select([], [t], [], 2);
      assertEquals(w, [t]);
      assertEquals(await t.recv(10), new Uint8Array(0));
      assertEquals(await raised(() => t.send(b("x"))), EOF_WRITE);
      assertEquals(await raised(() => t.sendall(b("x"))), EOF_WRITE);
      assertEquals(await raised(() => t.do_handshake()), [
        "OSError",
        107,
        "[Errno 107] Transport endpoint is not connected",
      ]);
      assertEquals(t.version(), null);
    } finally {
      t.close();
    }
  },
);

tlsTest(
  "ssl: the calls after the peer's alert read after the handshake raise SSLZeroReturnError",
  async () => {
    // TLS 1.3: the client's handshake is done before the server refuses it
    // for want of a certificate; the client reads the alert.
    const c = await testCerts();
    const [client, server] = await contexts();
    server.verify_mode = ssl.CERT_REQUIRED;
    server.load_verify_locations(c.ca);
    const { cs, ss, errors } = await nbPair(client, server);
    try {
      assertEquals(errors.has(true), false);
      let first: unknown[] = [];
      for (let i = 0; i < 10; i++) {
        await select([cs], [], [], 0.1);
        first = await raised(() => cs.recv(10));
        if (first[0] !== "SSLWantReadError") break;
      }
      assertEquals(first, [
        "SSLError",
        1,
        "[SSL: TLSV13_ALERT_CERTIFICATE_REQUIRED] tlsv13 alert certificate required (_ssl.c:2580)",
      ]);
      await assertFailedCalls(cs, ZERO_WRITE, ZERO_HANDSHAKE);
    } finally {
      await closeAll(cs, ss);
    }
  },
  runtime === "deno" &&
    "Deno's TLS (rustls) does not pass a post-handshake alert on",
);
