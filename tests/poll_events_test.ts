// Copyright the pysocket authors. MIT license.
// What poll() reports besides input and room, as Linux reports it:
// POLLHUP (the connection has ended both ways, or a stream socket has
// none), POLLERR (an error waits for the next call or SO_ERROR) whether
// asked for or not, and POLLRDHUP when asked for; select() counts a hang-up
// or an error as readable. Each scenario's revents are python3's (checked
// against python3 itself below, where it is there).

import { assertEquals, assertRejects } from "@std/assert";
import * as socket from "../mod.ts";
import * as select from "../select.ts";
import { expected } from "./_caps.ts";
import {
  closeAll,
  freePort,
  makeTempDir,
  noPython,
  pythonJson,
  remove,
  sleep,
  test,
} from "./_util.ts";

const noPy = await noPython();

const {
  POLLERR: ERR,
  POLLHUP: HUP,
  POLLIN: IN,
  POLLOUT: OUT,
  POLLRDHUP: RDHUP,
  POLLRDNORM: RDNORM,
  POLLWRNORM: WRNORM,
  POLLWRBAND: WRBAND,
} = select;
/** Every event a socket can have asked for. */
const ALL = IN | OUT | RDHUP | select.POLLPRI;

const LINGER_0 = new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0]);

type Sock = socket.Socket;

/** Linux's revents for each scenario (python3 prints the same, below). */
const LINUX: Record<string, number> = {
  "fresh TCP socket": OUT | HUP,
  "fresh TCP socket, POLLIN asked": HUP,
  "bound TCP socket": OUT | HUP,
  "fresh TCP socket after shutdown(SHUT_RD), ENOTCONN": IN | OUT | RDHUP | HUP,
  "listener, nothing queued": 0,
  "listener shut down": OUT | HUP,
  "connected, idle": OUT,
  "peer closed": IN | OUT | RDHUP,
  "peer closed, POLLIN|POLLOUT asked": IN | OUT,
  "own SHUT_WR": OUT,
  "own SHUT_RD": IN | OUT | RDHUP,
  "own SHUT_RDWR": IN | OUT | RDHUP | HUP,
  "peer SHUT_WR, then own SHUT_WR": IN | OUT | RDHUP | HUP,
  "reset": IN | OUT | RDHUP | HUP | ERR,
  "reset, nothing asked": HUP | ERR,
  "reset, after recv() raised it": IN | OUT | RDHUP | HUP,
  "refused connect": IN | OUT | RDHUP | HUP | ERR,
  "refused connect, after SO_ERROR": IN | OUT | RDHUP | HUP,
  "refused timed connect": IN | OUT | RDHUP | HUP,
  "refused blocking connect": OUT | HUP,
  "UDP, unbound": OUT,
  "UDP connected, own SHUT_RD": IN | OUT | RDHUP,
  "UDP connected, own SHUT_RDWR": IN | OUT | RDHUP | HUP,
  "UDP connected to a closed port, after a send": OUT | ERR,
  "UDP connected to a closed port, after SO_ERROR": OUT,
  "Unix pair, peer SHUT_WR": IN | OUT | RDHUP,
  // Every event asked: POLLRDNORM and POLLWRNORM with POLLIN and POLLOUT,
  // and POLLWRBAND with POLLOUT on UDP and Unix sockets (not on TCP).
  "TCP connected, every event asked": OUT | WRNORM,
  "UDP, unbound, every event asked": OUT | WRNORM | WRBAND,
  "UDP, unbound, POLLWRBAND asked": WRBAND,
  "fresh Unix socket, every event asked": OUT | WRNORM | WRBAND | HUP,
  "Unix listener shut down, every event asked": IN | RDNORM | RDHUP | HUP,
};

/** The same scenarios in CPython, printing `{name: revents}`. */
const PYTHON = `
import json, select, socket as S, time
ALL = select.POLLIN | select.POLLOUT | select.POLLRDHUP | select.POLLPRI
out = {}
def poll(name, s, mask=ALL):
    p = select.poll(); p.register(s, mask); r = p.poll(0)
    out[name] = r[0][1] if r else 0
def tcp():
    l = S.socket(); l.bind(("127.0.0.1", 0)); l.listen()
    a = S.create_connection(l.getsockname()); b, _ = l.accept(); return a, b
def refused():
    x = S.socket(); x.bind(("127.0.0.1", 0)); port = x.getsockname()[1]; x.close()
    s = S.socket(); s.setblocking(False)
    try: s.connect(("127.0.0.1", port))
    except BlockingIOError: pass
    time.sleep(0.1); return s
poll("fresh TCP socket", S.socket())
poll("fresh TCP socket, POLLIN asked", S.socket(), select.POLLIN)
s = S.socket(); s.bind(("127.0.0.1", 0)); poll("bound TCP socket", s)
s = S.socket()
try: s.shutdown(S.SHUT_RD)
except OSError: pass
poll("fresh TCP socket after shutdown(SHUT_RD), ENOTCONN", s)
s = S.socket(); s.bind(("127.0.0.1", 0)); s.listen(); poll("listener, nothing queued", s)
s.shutdown(S.SHUT_RDWR); poll("listener shut down", s)
a, b = tcp(); poll("connected, idle", a)
b.close(); time.sleep(0.1); poll("peer closed", a)
poll("peer closed, POLLIN|POLLOUT asked", a, select.POLLIN | select.POLLOUT)
a, b = tcp(); a.shutdown(S.SHUT_WR); time.sleep(0.1); poll("own SHUT_WR", a)
a, b = tcp(); a.shutdown(S.SHUT_RD); poll("own SHUT_RD", a)
a, b = tcp(); a.shutdown(S.SHUT_RDWR); poll("own SHUT_RDWR", a)
a, b = tcp(); b.shutdown(S.SHUT_WR); time.sleep(0.1); a.shutdown(S.SHUT_WR); time.sleep(0.1)
poll("peer SHUT_WR, then own SHUT_WR", a)
a, b = tcp(); b.setsockopt(S.SOL_SOCKET, S.SO_LINGER, bytes([1, 0, 0, 0, 0, 0, 0, 0])); b.close(); time.sleep(0.1)
poll("reset", a); poll("reset, nothing asked", a, 0)
try: a.recv(1)
except ConnectionResetError: pass
poll("reset, after recv() raised it", a)
s = refused(); poll("refused connect", s)
assert s.getsockopt(S.SOL_SOCKET, S.SO_ERROR) == 111
poll("refused connect, after SO_ERROR", s)
x = S.socket(); x.bind(("127.0.0.1", 0)); port = x.getsockname()[1]; x.close()
s = S.socket(); s.settimeout(5); s.connect_ex(("127.0.0.1", port)); poll("refused timed connect", s)
s = S.socket(); s.connect_ex(("127.0.0.1", port)); poll("refused blocking connect", s)
poll("UDP, unbound", S.socket(S.AF_INET, S.SOCK_DGRAM))
def udp():
    u = S.socket(S.AF_INET, S.SOCK_DGRAM); u.bind(("127.0.0.1", 0)); u.connect(u.getsockname()); return u
u = udp(); u.shutdown(S.SHUT_RD); poll("UDP connected, own SHUT_RD", u)
u = udp(); u.shutdown(S.SHUT_RDWR); poll("UDP connected, own SHUT_RDWR", u)
x = S.socket(S.AF_INET, S.SOCK_DGRAM); x.bind(("127.0.0.1", 0)); port = x.getsockname()[1]; x.close()
u = S.socket(S.AF_INET, S.SOCK_DGRAM); u.connect(("127.0.0.1", port)); u.send(b"x"); time.sleep(0.1)
poll("UDP connected to a closed port, after a send", u)
assert u.getsockopt(S.SOL_SOCKET, S.SO_ERROR) == 111
poll("UDP connected to a closed port, after SO_ERROR", u)
a, b = S.socketpair(); b.shutdown(S.SHUT_WR); poll("Unix pair, peer SHUT_WR", a)
EVERY = 0xffff
a, b = tcp(); poll("TCP connected, every event asked", a, EVERY)
poll("UDP, unbound, every event asked", S.socket(S.AF_INET, S.SOCK_DGRAM), EVERY)
poll("UDP, unbound, POLLWRBAND asked", S.socket(S.AF_INET, S.SOCK_DGRAM), select.POLLWRBAND)
poll("fresh Unix socket, every event asked", S.socket(S.AF_UNIX), EVERY)
import os, tempfile
l = S.socket(S.AF_UNIX); l.bind(os.path.join(tempfile.mkdtemp(), "l")); l.listen()
l.shutdown(S.SHUT_RDWR); poll("Unix listener shut down, every event asked", l, EVERY)
print(json.dumps(out))
`;

test(
  "poll(): the scenarios' expected revents are what python3 reports on Linux",
  async () => {
    assertEquals(await pythonJson(PYTHON, null), LINUX);
  },
  { ignore: noPy },
);

/** What poll() reports for `s` now, asking for `mask`. */
async function revents(s: Sock, mask = ALL): Promise<number> {
  const p = select.poll();
  p.register(s, mask);
  const ready = await p.poll(0);
  return ready.length === 0 ? 0 : ready[0][1];
}

/** Waits (at most 5 s) until `s` is readable: data, an end, an error. */
async function readable(s: Sock): Promise<void> {
  assertEquals((await select.select([s], [], [], 5))[0], [s]);
}

async function tcp(): Promise<[Sock, Sock, Sock]> {
  const l = socket.socket();
  l.bind(["127.0.0.1", 0]);
  l.listen();
  const a = await socket.create_connection(l.getsockname());
  const [b] = await l.accept();
  return [a, b, l];
}

/**
 * A connection its peer has reset: `SO_LINGER` `{1, 0}` where the runtime
 * has it; on Deno, a listener closed with the connection still queued
 * (Linux resets those).
 */
async function reset(): Promise<[Sock, Sock[]]> {
  const l = socket.socket();
  l.bind(["127.0.0.1", 0]);
  l.listen();
  const a = await socket.create_connection(l.getsockname());
  if (!expected.reset) {
    await sleep(50);
    l.close();
    return [a, [a]];
  }
  const [b] = await l.accept();
  b.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, LINGER_0);
  b.close();
  return [a, [a, l]];
}

async function refused(): Promise<Sock> {
  const x = socket.socket();
  x.bind(["127.0.0.1", 0]);
  const address = x.getsockname();
  x.close();
  const s = socket.socket();
  s.setblocking(false);
  try {
    await s.connect(address);
  } catch (err) {
    if (!(err instanceof socket.BlockingIOError)) throw err;
  }
  return s;
}

async function udpConnected(): Promise<Sock> {
  const u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  u.bind(["127.0.0.1", 0]);
  await u.connect(u.getsockname());
  return u;
}

test("poll() on stream sockets without a connection: POLLHUP, asked or not, as on Linux", async () => {
  const open: Sock[] = [];
  try {
    const fresh = socket.socket();
    open.push(fresh);
    assertEquals(await revents(fresh), LINUX["fresh TCP socket"]);
    assertEquals(
      await revents(fresh, IN),
      LINUX["fresh TCP socket, POLLIN asked"],
    );
    const bound = socket.socket();
    open.push(bound);
    bound.bind(["127.0.0.1", 0]);
    assertEquals(await revents(bound), LINUX["bound TCP socket"]);
    // Linux answers ENOTCONN, and marks the socket shut for reading.
    const shut = socket.socket();
    open.push(shut);
    await assertRejects(
      () => shut.shutdown(socket.SHUT_RD),
      socket.OSError,
      "[Errno 107] Transport endpoint is not connected",
    );
    assertEquals(
      await revents(shut),
      LINUX["fresh TCP socket after shutdown(SHUT_RD), ENOTCONN"],
    );
    const l = socket.socket();
    open.push(l);
    l.bind(["127.0.0.1", 0]);
    l.listen();
    assertEquals(await revents(l), LINUX["listener, nothing queued"]);
    await l.shutdown(socket.SHUT_RDWR);
    assertEquals(await revents(l), LINUX["listener shut down"]);
    // select() reads a hang-up as readable, as Linux does.
    assertEquals(await select.select([fresh, l], [], [], 0), [
      [fresh, l],
      [],
      [],
    ]);
  } finally {
    await closeAll(...open);
  }
});

test("poll() on a TCP connection as it ends: POLLRDHUP (asked) at the peer's end, POLLHUP once ended both ways", async () => {
  const open: Sock[] = [];
  try {
    let [a, b, l] = await tcp();
    open.push(a, b, l);
    assertEquals(await revents(a), LINUX["connected, idle"]);
    b.close();
    await readable(a);
    assertEquals(await revents(a), LINUX["peer closed"]);
    assertEquals(
      await revents(a, IN | OUT),
      LINUX["peer closed, POLLIN|POLLOUT asked"],
    );

    [a, b, l] = await tcp();
    open.push(a, b, l);
    await a.shutdown(socket.SHUT_WR);
    await sleep(50);
    assertEquals(await revents(a), LINUX["own SHUT_WR"]);

    [a, b, l] = await tcp();
    open.push(a, b, l);
    await a.shutdown(socket.SHUT_RD);
    assertEquals(await revents(a), LINUX["own SHUT_RD"]);

    [a, b, l] = await tcp();
    open.push(a, b, l);
    await a.shutdown(socket.SHUT_RDWR);
    assertEquals(await revents(a), LINUX["own SHUT_RDWR"]);

    [a, b, l] = await tcp();
    open.push(a, b, l);
    await b.shutdown(socket.SHUT_WR);
    await readable(a);
    await a.shutdown(socket.SHUT_WR);
    assertEquals(await revents(a), LINUX["peer SHUT_WR, then own SHUT_WR"]);
    await readable(b);
    assertEquals(await revents(b), LINUX["peer SHUT_WR, then own SHUT_WR"]);
  } finally {
    await closeAll(...open);
  }
});

test("poll() on a reset connection: POLLERR until a call reports the reset (also unasked), POLLHUP after", async () => {
  const [a, open] = await reset();
  try {
    await readable(a);
    assertEquals(await revents(a), LINUX["reset"]);
    assertEquals(await revents(a, 0), LINUX["reset, nothing asked"]);
    // select(): readable and writable.
    assertEquals(await select.select([a], [a], [], 0), [[a], [a], []]);
    a.settimeout(5);
    let raised: unknown = null;
    try {
      await a.recv(1);
    } catch (err) {
      raised = err;
    }
    assertEquals((raised as socket.OSError)?.errno, 104, String(raised));
    assertEquals(await revents(a), LINUX["reset, after recv() raised it"]);
  } finally {
    await closeAll(...open);
  }
});

test("poll() after a refused non-blocking connect: POLLERR until SO_ERROR takes the error, POLLHUP", async () => {
  const s = await refused();
  try {
    // Writable once the connect has failed (as in C).
    assertEquals((await select.select([], [s], [], 5))[1], [s]);
    assertEquals(await revents(s), LINUX["refused connect"]);
    assertEquals(s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR), 111);
    assertEquals(await revents(s), LINUX["refused connect, after SO_ERROR"]);
    assertEquals(s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR), 0);
  } finally {
    s.close();
  }
});

test("poll() after a refused timed connect: shut both ways (POLLIN|POLLRDHUP|POLLHUP); after a blocking one, as a new socket", async () => {
  const address: socket.IPv4Address = ["127.0.0.1", freePort()];
  using timed = socket.socket();
  timed.settimeout(5);
  assertEquals(await timed.connect_ex(address), 111);
  assertEquals(await revents(timed), LINUX["refused timed connect"]);
  using blocking = socket.socket();
  assertEquals(await blocking.connect_ex(address), 111);
  assertEquals(await revents(blocking), LINUX["refused blocking connect"]);
});

test("poll() on UDP: SHUT_RD reads as POLLIN|POLLRDHUP, both directions as POLLHUP, as on Linux", async () => {
  const open: Sock[] = [];
  try {
    const unbound = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
    open.push(unbound);
    assertEquals(await revents(unbound), LINUX["UDP, unbound"]);
    let u = await udpConnected();
    open.push(u);
    await u.shutdown(socket.SHUT_RD);
    assertEquals(await revents(u), LINUX["UDP connected, own SHUT_RD"]);
    u = await udpConnected();
    open.push(u);
    await u.shutdown(socket.SHUT_RDWR);
    assertEquals(await revents(u), LINUX["UDP connected, own SHUT_RDWR"]);
  } finally {
    await closeAll(...open);
  }
});

test(
  "poll() on UDP connected to a closed port: POLLERR after a send, until SO_ERROR (111) takes it",
  async () => {
    const x = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
    x.bind(["127.0.0.1", 0]);
    const address = x.getsockname();
    x.close();
    const u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
    try {
      await u.connect(address);
      await u.send(new Uint8Array([1]));
      if (expected.udpConnect) {
        // The error is readable to select(), as Linux's POLLERR is.
        await readable(u);
        assertEquals(
          await revents(u),
          LINUX["UDP connected to a closed port, after a send"],
        );
        assertEquals(u.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR), 111);
      } else {
        // Deno's connect is emulated: the refusal never reaches pysocket.
        await sleep(50);
        assertEquals(u.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR), 0);
      }
      assertEquals(
        await revents(u),
        LINUX["UDP connected to a closed port, after SO_ERROR"],
      );
    } finally {
      u.close();
    }
  },
);

test("poll() on a Unix socketpair: the peer's SHUT_WR reads as POLLIN|POLLRDHUP", async () => {
  const [a, b] = await socket.socketpair();
  try {
    await b.shutdown(socket.SHUT_WR);
    await readable(a);
    assertEquals(await revents(a), LINUX["Unix pair, peer SHUT_WR"]);
  } finally {
    await closeAll(a, b);
  }
});

test("a failed write ends the reading side: select() reports it readable and a non-blocking recv() returns b'' at once, the error staying for the next send (as python3)", async () => {
  const [a, b, l] = await tcp();
  try {
    a.setblocking(false);
    b.close();
    await sleep(50);
    assertEquals(await a.send(new Uint8Array([1])), 1);
    await sleep(50);
    // Linux raises EPIPE here; pysocket's send was taken before the
    // runtime's write failed, and the error waits for the next call.
    try {
      await a.send(new Uint8Array([2]));
    } catch (err) {
      assertEquals((err as socket.OSError).errno, 32);
    }
    await sleep(50);
    assertEquals(await select.select([a], [a], [], 0), [[a], [a], []]);
    assertEquals(await a.recv(10), new Uint8Array());
    let raised: unknown = null;
    try {
      await a.send(new Uint8Array([3]));
    } catch (err) {
      raised = err;
    }
    assertEquals(String(raised), "BrokenPipeError: [Errno 32] Broken pipe");
  } finally {
    await closeAll(a, b, l);
  }
});

test(
  "python3: after a failed write, the socket is readable and writable, recv() returns b'' and the next send raises EPIPE",
  async () => {
    const python = await pythonJson(
      `import json, select, socket as S, time
l = S.socket(); l.bind(("127.0.0.1", 0)); l.listen()
a = S.create_connection(l.getsockname()); b, _ = l.accept()
a.setblocking(False); b.close(); time.sleep(0.05)
a.send(b"x"); time.sleep(0.05)
try: a.send(b"y")
except BrokenPipeError: pass
r, w, _ = select.select([a], [a], [], 0)
data = a.recv(10)
try: a.send(b"z"); err = None
except OSError as e: err = f"{type(e).__name__}: {e}"
print(json.dumps([len(r), len(w), data.decode(), err]))`,
      null,
    );
    assertEquals(python, [1, 1, "", "BrokenPipeError: [Errno 32] Broken pipe"]);
  },
  { ignore: noPy },
);

test("poll() with every event asked: POLLRDNORM/POLLWRNORM, and POLLWRBAND on UDP and Unix sockets but not TCP, as Linux reports them", async () => {
  const EVERY = 0xffff;
  const open: Sock[] = [];
  const dir = await makeTempDir();
  try {
    const [a, b, l] = await tcp();
    open.push(a, b, l);
    assertEquals(
      await revents(a, EVERY),
      LINUX["TCP connected, every event asked"],
    );
    const u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
    open.push(u);
    assertEquals(
      await revents(u, EVERY),
      LINUX["UDP, unbound, every event asked"],
    );
    assertEquals(
      await revents(u, select.POLLWRBAND),
      LINUX["UDP, unbound, POLLWRBAND asked"],
    );
    // Asked alone, POLLWRBAND never comes on TCP: the wait runs its time.
    const p = select.poll();
    p.register(a, select.POLLWRBAND);
    const start = performance.now();
    assertEquals(await p.poll(100), []);
    const waited = performance.now() - start;
    assertEquals(waited >= 90, true, `returned after ${waited} ms`);
    const fresh = socket.socket(socket.AF_UNIX);
    open.push(fresh);
    assertEquals(
      await revents(fresh, EVERY),
      LINUX["fresh Unix socket, every event asked"],
    );
    const ul = socket.socket(socket.AF_UNIX);
    open.push(ul);
    ul.bind(`${dir}/l`);
    ul.listen();
    await ul.shutdown(socket.SHUT_RDWR);
    assertEquals(
      await revents(ul, EVERY),
      LINUX["Unix listener shut down, every event asked"],
    );
  } finally {
    await closeAll(...open);
    await remove(dir, { recursive: true });
  }
});
