// Copyright the pysocket authors. MIT license.
// SOCK_DGRAM order as Linux keeps it: a Unix socket's first connect()
// keeps the datagrams queued before it; a connected UDP socket's pending
// ICMP error comes before the datagrams it holds (Linux checks `sk_err`
// before the receive queue), however they were read ahead; a Unix socket
// shut for writing refuses a send with EPIPE before it looks for a peer.
import { assert, assertEquals } from "@std/assert";
import * as socket from "../mod.ts";
import * as select from "../select.ts";
import { expected, unless } from "./_caps.ts";
import {
  assertOSError,
  b,
  bounded,
  Child,
  inTempDir,
  outcome,
  readTextFile,
  rejection,
  runtimeArgv,
  str,
  test,
  writeTextFile,
} from "./_util.ts";

const { AF_INET, AF_INET6, AF_UNIX, SOCK_DGRAM } = socket;
const NO_UNIX = !expected.unixDatagram && "no Unix datagram sockets here";
const REFUSED = "ConnectionRefusedError: [Errno 111] Connection refused";
const TIMED_OUT = "TimeoutError: timed out";
const NO_UDP_CONNECT = unless(
  expected.udpConnect,
  "connected UDP at the OS level",
);

/** A Unix datagram socket bound at `dir/name`, with a 0.3 s timeout. */
function unixAt(dir: string, name: string): socket.Socket {
  const s = socket.socket(AF_UNIX, SOCK_DGRAM);
  s.bind(`${dir}/${name}`);
  s.settimeout(0.3);
  return s;
}

/** The next datagram `r` receives: its data and the sender's name. */
async function recvOne(r: socket.Socket): Promise<string> {
  const [data, from] = await r.recvfrom(100);
  return `${str(data)} ${String(from).split("/").pop()}`;
}

/** What `r` receives (data and the sender's name) until a timeout. */
async function received(r: socket.Socket): Promise<string[]> {
  const got: string[] = [];
  for (;;) {
    try {
      got.push(await recvOne(r));
    } catch (err) {
      got.push(`${(err as Error).constructor.name}: ${(err as Error).message}`);
      return got;
    }
  }
}

test(
  "connect() of an AF_UNIX datagram socket keeps what others queued before it, as Linux's first connect does",
  () =>
    inTempDir(async (dir) => {
      using a = unixAt(dir, "a");
      using bs = unixAt(dir, "b");
      using c = unixAt(dir, "c");
      await bs.sendto(b("from-b"), `${dir}/a`);
      await c.sendto(b("from-c"), `${dir}/a`);
      await a.connect(`${dir}/c`);
      assertEquals((await select.select([a], [], [], 0))[0].length, 1);
      // python3: from-b, from-c, then a timeout (the peer's datagram sent
      // after the connect comes after them).
      assertEquals(await recvOne(a), "from-b b");
      // The socket sends (no receive was left holding Deno's socket).
      assertEquals(await a.send(b("to-c")), 4);
      assertEquals(str(await c.recv(100)), "to-c");
      await c.sendto(b("after"), `${dir}/a`);
      assertEquals(await recvOne(a), "from-c c");
      assertEquals(await bounded(received(a), 5000, "the receives"), [
        "after c",
        TIMED_OUT,
      ]);
    }),
  { ignore: NO_UNIX },
);

test(
  "connect() of an AF_UNIX datagram socket whose queue is full keeps all of it, in order",
  () =>
    inTempDir(async (dir) => {
      using a = unixAt(dir, "a");
      using bs = unixAt(dir, "b");
      using c = unixAt(dir, "c");
      // Linux's queue takes max_dgram_qlen (10) + 1 datagrams.
      for (let i = 0; i < 11; i++) await bs.sendto(b(`b${i}`), `${dir}/a`);
      await bounded(a.connect(`${dir}/c`), 5000, "connect()");
      const want = Array.from({ length: 11 }, (_, i) => `b${i} b`);
      assertEquals(await bounded(received(a), 5000, "the receives"), [
        ...want,
        TIMED_OUT,
      ]);
      await c.sendto(b("after"), `${dir}/a`);
      assertEquals(str(await a.recv(100)), "after");
    }),
  { ignore: NO_UNIX },
);

/**
 * A program that binds Unix datagram sockets a, b and c in `dir`, has c
 * then b send to a, connects a to b, has b send again, and prints what a
 * receives (data and the sender's name) until a timeout, as JSON.
 */
function queuedThenConnect(dir: string): string {
  const mod = new URL("../mod.ts", import.meta.url).href;
  return `import * as socket from ${JSON.stringify(mod)};
const dir = ${JSON.stringify(dir)};
const enc = (text: string) => new TextEncoder().encode(text);
function at(name: string): socket.Socket {
  const s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM);
  s.bind(\`\${dir}/\${name}\`);
  s.settimeout(0.3);
  return s;
}
const [a, b, c] = [at("a"), at("b"), at("c")];
await c.sendto(enc("from-c"), \`\${dir}/a\`);
await b.sendto(enc("from-b"), \`\${dir}/a\`);
await a.connect(\`\${dir}/b\`);
await b.sendto(enc("after"), \`\${dir}/a\`);
const got: string[] = [];
for (;;) {
  try {
    const [data, from] = await a.recvfrom(100);
    got.push(\`\${new TextDecoder().decode(data)} \${String(from).split("/").pop()}\`);
  } catch (err) {
    got.push(\`\${(err as Error).constructor.name}: \${(err as Error).message}\`);
    break;
  }
}
console.log(JSON.stringify(got));
for (const s of [a, b, c]) s.close();
`;
}

/** What {@linkcode runQueuedThenConnect} saw of its child. */
interface ChildRun {
  code: number;
  stdout: string;
  stderr: string;
  /** The permissions it asked for (audited, granted or not). */
  asked: string[];
  dir: string;
}

/**
 * Runs {@linkcode queuedThenConnect} in a fresh directory, in a child Deno
 * with `--unstable-net`, read and write access to the directory, the
 * `--allow-net` flag `net` makes of it, stdin not a terminal, and Deno's
 * permission audit log on.
 */
async function runQueuedThenConnect(
  net: (dir: string) => string,
): Promise<ChildRun> {
  let run: ChildRun | undefined;
  await inTempDir(async (dir) => {
    run = { ...await childIn(dir, net(dir)), dir };
  });
  return run!;
}

async function childIn(
  dir: string,
  net: string,
): Promise<Omit<ChildRun, "dir">> {
  const script = `${dir}/queued_then_connect.ts`;
  const audit = `${dir}/audit.jsonl`;
  await writeTextFile(script, queuedThenConnect(dir));
  const [cmd, ...args] = runtimeArgv(script, {
    denoFlags: [
      "--unstable-net",
      `--allow-read=${dir}`,
      `--allow-write=${dir}`,
      `--allow-net${net}`,
    ],
  });
  await using child = new Child(cmd, args, {
    env: { NO_COLOR: "1", DENO_AUDIT_PERMISSIONS: audit },
    timeoutMs: 20_000,
  });
  const { code, stdout, stderr } = await bounded(
    child.exit(),
    25_000,
    "the child",
  );
  const asked = (await readTextFile(audit)).trim().split("\n")
    .map((line) => String(JSON.parse(line).value));
  return { code, stdout, stderr, asked };
}

test(
  "connect() of an AF_UNIX datagram socket under a scoped --allow-net asks for no permission it lacks (no prompt, no hang); the queue then keeps only the peer's datagrams",
  async () => {
    const run = await runQueuedThenConnect((dir) =>
      "=" + ["a", "b", "c"].map((n) => `unix:${dir}/${n}`).join(",")
    );
    assertEquals([run.code, run.stderr], [0, ""]);
    // The mark's abstract name, which a scoped grant cannot name, is not
    // bound, nor its permission asked for (at a terminal, a prompt that
    // stops the program): the filter holds at once, as README says.
    assert(run.asked.includes(`unix:${run.dir}/a`), "the audit log works");
    assertEquals(run.asked.filter((v) => v.includes("pysocket-mark")), []);
    assertEquals(JSON.parse(run.stdout), ["from-b b", "after b", TIMED_OUT]);
    // With net access to every Unix name, the queue is kept, as Linux's
    // (python3: from-c, from-b, after, then a timeout).
    const full = await runQueuedThenConnect(() => "");
    assertEquals([full.code, full.stderr], [0, ""]);
    assertEquals(JSON.parse(full.stdout), [
      "from-c c",
      "from-b b",
      "after b",
      TIMED_OUT,
    ]);
  },
  { ignore: NO_UNIX },
);

test(
  "connect() of an AF_UNIX datagram socket elsewhere drops its whole queue, as Linux's unix_dgram_disconnected(), before or after the first connect's mark came out",
  () =>
    inTempDir(async (dir) => {
      {
        // Before the mark came out: python3 'c2', then a timeout.
        using a = unixAt(dir, "a");
        using c = unixAt(dir, "c");
        using bs = unixAt(dir, "b");
        await c.sendto(b("c1"), `${dir}/a`);
        await bs.sendto(b("b1"), `${dir}/a`);
        await a.connect(`${dir}/b`);
        await a.connect(`${dir}/c`);
        await c.sendto(b("c2"), `${dir}/a`);
        assertEquals(await bounded(received(a), 5000, "the receives"), [
          "c2 c",
          TIMED_OUT,
        ]);
      }
      {
        // After: what select() read ahead from the old peer goes too.
        using a = unixAt(dir, "a2");
        using c = unixAt(dir, "c2");
        using bs = unixAt(dir, "b2");
        await a.connect(`${dir}/c2`);
        await c.sendto(b("c-1"), `${dir}/a2`);
        await c.sendto(b("c-2"), `${dir}/a2`);
        assertEquals((await select.select([a], [], [], 0.5))[0].length, 1);
        await a.connect(`${dir}/b2`);
        await bs.sendto(b("b-1"), `${dir}/a2`);
        assertEquals(await bounded(received(a), 5000, "the receives"), [
          "b-1 b2",
          TIMED_OUT,
        ]);
      }
      {
        // The same peer again: nothing is dropped (python3: c1, b1).
        using a = unixAt(dir, "a3");
        using c = unixAt(dir, "c3");
        using bs = unixAt(dir, "b3");
        await c.sendto(b("c1"), `${dir}/a3`);
        await a.connect(`${dir}/b3`);
        await a.connect(`${dir}/b3`);
        await bs.sendto(b("b1"), `${dir}/a3`);
        assertEquals(await bounded(received(a), 5000, "the receives"), [
          "c1 c3",
          "b1 b3",
          TIMED_OUT,
        ]);
      }
    }),
  { ignore: NO_UNIX },
);

test(
  "an AF_UNIX datagram socket whose send finds its peer gone drops its queue, the datagrams queued before its first connect too",
  () =>
    inTempDir(async (dir) => {
      using a = unixAt(dir, "a");
      using c = unixAt(dir, "c");
      const bs = unixAt(dir, "b");
      await c.sendto(b("c1"), `${dir}/a`);
      await a.connect(`${dir}/b`);
      bs.close();
      assertEquals(await outcome(() => a.send(b("x"))), REFUSED);
      await c.sendto(b("c2"), `${dir}/a`);
      // python3: 'c2', then a timeout.
      assertEquals(await bounded(received(a), 5000, "the receives"), [
        "c2 c",
        TIMED_OUT,
      ]);
    }),
  { ignore: NO_UNIX },
);

test(
  "send() on an unconnected AF_UNIX datagram socket shut for writing is [Errno 32] Broken pipe, as Linux checks the shutdown first",
  () =>
    inTempDir(async (dir) => {
      using a = unixAt(dir, "a");
      await a.shutdown(socket.SHUT_WR);
      const err = await rejection(() => a.send(b("x")));
      assertOSError(err, socket.BrokenPipeError, "[Errno 32] Broken pipe");
      assertEquals((err as socket.OSError).errno, 32);
      // Unbound, the same.
      using u = socket.socket(AF_UNIX, SOCK_DGRAM);
      await u.shutdown(socket.SHUT_WR);
      assertEquals(
        await outcome(() => u.send(b("x"))),
        "BrokenPipeError: [Errno 32] Broken pipe",
      );
    }),
  { ignore: NO_UNIX },
);

test(
  "UDP sendto() port 0 is [Errno 22] before a shutdown's EPIPE; an IPv4 datagram over 65535 bytes is [Errno 90] before it, as Linux's udp_sendmsg",
  async () => {
    for (
      const [family, host] of [[AF_INET, "127.0.0.1"], [
        AF_INET6,
        "::1",
      ]] as const
    ) {
      using u = socket.socket(family, SOCK_DGRAM);
      u.bind([host, 0]);
      // (Not connected: ENOTCONN, but the socket is marked, as Linux's.)
      assertEquals(
        await outcome(() => u.shutdown(socket.SHUT_RDWR)),
        "OSError: [Errno 107] Transport endpoint is not connected",
      );
      const port0 = [host, 0] as [string, number];
      assertEquals(
        await outcome(() => u.sendto(b("xy"), port0)),
        "OSError: [Errno 22] Invalid argument",
      );
      assertEquals(
        await outcome(() => u.sendto(new Uint8Array(65535), port0)),
        "OSError: [Errno 22] Invalid argument",
      );
      assertEquals(
        await outcome(() => u.sendto(new Uint8Array(65536), port0)),
        family === AF_INET
          ? "OSError: [Errno 90] Message too long"
          : "OSError: [Errno 22] Invalid argument",
      );
      // Another port: the shutdown's.
      assertEquals(
        await outcome(() => u.sendto(b("xy"), [host, 9])),
        "BrokenPipeError: [Errno 32] Broken pipe",
      );
    }
  },
);

/** A UDP socket bound on 127.0.0.1 (port 0). */
function udpLocal(): socket.Socket {
  const s = socket.socket(AF_INET, SOCK_DGRAM);
  s.bind(["127.0.0.1", 0]);
  return s;
}

/** A UDP socket bound on 127.0.0.1, with a 0.5 s timeout. */
function udpTimed(): socket.Socket {
  const s = udpLocal();
  s.settimeout(0.5);
  return s;
}

/**
 * Connects `a` to a new UDP peer on 127.0.0.1, which sends it "from-b";
 * the peer, still open.
 */
async function peerThatSent(a: socket.Socket): Promise<socket.Socket> {
  const peer = udpLocal();
  await a.connect(peer.getsockname());
  await peer.sendto(b("from-b"), a.getsockname());
  return peer;
}

/** A UDP port on 127.0.0.1 that nothing is bound to any more. */
function closedPort(): [string, number] {
  const z = udpLocal();
  const addr = z.getsockname() as [string, number];
  z.close();
  return addr;
}

test(
  "a connected UDP socket's pending ConnectionRefusedError comes before a datagram connect() kept",
  async () => {
    using a = udpTimed();
    await a.sendto(b("queued"), a.getsockname());
    await a.connect(closedPort());
    assertEquals(await a.send(b("x")), 1);
    // python3: the error, then the datagram, then a timeout.
    assertEquals(await outcome(() => a.recv(100)), REFUSED);
    assertEquals(str(await a.recv(100)), "queued");
    assertEquals(await outcome(() => a.recv(100)), TIMED_OUT);
  },
  { ignore: NO_UDP_CONNECT },
);

test(
  "a connected UDP socket's ConnectionRefusedError that came after select() read a datagram ahead comes first; poll() reports POLLIN|POLLOUT|POLLERR",
  async () => {
    using a = udpTimed();
    const peer = await peerThatSent(a);
    assertEquals((await select.select([a], [], [], 0.5))[0].length, 1);
    peer.close();
    assertEquals(await a.send(b("x")), 1);
    const poller = select.poll();
    poller.register(a, select.POLLIN | select.POLLOUT);
    // python3: [(fd, 13)], the error, then the datagram.
    assertEquals(await poller.poll(0), [[
      a.fileno(),
      select.POLLIN | select.POLLOUT | select.POLLERR,
    ]]);
    assertEquals(await outcome(() => a.recv(100)), REFUSED);
    assertEquals(await poller.poll(0), [[
      a.fileno(),
      select.POLLIN | select.POLLOUT,
    ]]);
    assertEquals(str(await a.recv(100)), "from-b");
    assertEquals(await poller.poll(0), [[a.fileno(), select.POLLOUT]]);
    assertEquals(await outcome(() => a.recv(100)), TIMED_OUT);
  },
  { ignore: NO_UDP_CONNECT },
);

test(
  "a connected UDP socket's ConnectionRefusedError comes before a datagram that arrived before it, read by no one",
  async () => {
    using a = udpTimed();
    const peer = await peerThatSent(a);
    peer.close();
    assertEquals(await a.send(b("x")), 1);
    assertEquals(await outcome(() => a.recv(100)), REFUSED);
    assertEquals(str(await a.recv(100)), "from-b");
  },
  { ignore: NO_UDP_CONNECT },
);
