// Copyright the pysocket authors. MIT license.
// shutdown() on a listening socket, as Linux does it. A TCP listener shut
// for reading stops (Linux's CLOSE state): accept() raises EINVAL, and
// every later shutdown() raises ENOTCONN, as on any socket that is not
// connected (and marks it shut: a receive then reads the end). A Unix
// listener is only marked shut, never with an error: it stays listening
// with nothing to accept (a blocking accept() raises EINVAL, a timed one
// times out, a non-blocking one raises EAGAIN), and polls readable with
// POLLRDHUP, hung up too once shut both ways.

import { assert, assertEquals } from "@std/assert";
import * as socket from "../mod.ts";
import * as select from "../select.ts";
import {
  describe,
  inTempDir,
  makeTempDir,
  noPython,
  pythonJson,
  remove,
  sleep,
  test,
} from "./_util.ts";

/** A step on a listener: `shN` is `shutdown(N)`. */
type Step =
  | "sh0"
  | "sh1"
  | "sh2"
  | "poll"
  | "recv"
  | "accept"
  | "blocking accept";

/** Scenarios on a fresh listener: family, then steps. */
const SCENARIOS: ["tcp" | "unix", Step[]][] = [
  ["tcp", ["sh0", "sh0", "sh1", "sh2", "accept", "blocking accept"]],
  ["tcp", ["sh0", "sh0", "poll", "recv"]],
  ["tcp", ["sh2", "sh1", "poll", "recv"]],
  ["tcp", ["sh1", "sh1", "poll", "sh0", "poll", "sh1"]],
  ["unix", ["sh0", "poll", "sh0", "sh1", "sh2", "poll", "accept"]],
  ["unix", ["sh2", "poll", "sh2", "blocking accept", "recv"]],
  ["unix", ["sh1", "poll", "sh0", "poll", "accept"]],
];

/** What python3 answers for {@linkcode SCENARIOS} on Linux. */
const LINUX = [
  [
    "sh0 None",
    "sh0 107",
    "sh1 107",
    "sh2 107",
    "accept 22",
    "blocking accept 22",
  ],
  ["sh0 None", "sh0 107", "poll 8213", "recv b''"],
  ["sh2 None", "sh1 107", "poll 20", "recv 107"],
  ["sh1 None", "sh1 None", "poll 0", "sh0 None", "poll 20", "sh1 107"],
  [
    "sh0 None",
    "poll 8193",
    "sh0 None",
    "sh1 None",
    "sh2 None",
    "poll 8209",
    "accept 11",
  ],
  ["sh2 None", "poll 8209", "sh2 None", "blocking accept 22", "recv 22"],
  ["sh1 None", "poll 0", "sh0 None", "poll 8209", "accept 11"],
];

const PYTHON = `
import json, os, select, socket, sys, tempfile
def run(fam, steps):
    if fam == "unix":
        s = socket.socket(socket.AF_UNIX)
        s.bind(os.path.join(tempfile.mkdtemp(), "l"))
    else:
        s = socket.socket(); s.bind(("127.0.0.1", 0))
    s.listen(); out = []
    for step in steps:
        try:
            if step.startswith("sh"):
                s.shutdown(int(step[2])); out.append(step + " None")
            elif step == "poll":
                p = select.poll()
                p.register(s, select.POLLIN | select.POLLOUT | select.POLLRDHUP)
                r = p.poll(0); out.append("poll %d" % (r[0][1] if r else 0))
            elif step == "recv":
                s.setblocking(False); out.append("recv %r" % s.recv(10))
            else:
                s.setblocking(step == "blocking accept"); s.accept()
                out.append(step + " accepted")
        except OSError as e:
            out.append("%s %s" % (step, e.errno))
    s.close()
    return out
print(json.dumps([run(f, st) for f, st in json.load(sys.stdin)]))
`;

/** Runs `steps` on a fresh listener; returns each step's answer. */
async function run(fam: "tcp" | "unix", steps: Step[]): Promise<string[]> {
  const dir = fam === "unix" ? await makeTempDir() : null;
  let s: socket.Socket;
  if (dir === null) {
    const tcp = socket.socket();
    s = tcp;
    tcp.bind(["127.0.0.1", 0]);
  } else {
    const unix = socket.socket(socket.AF_UNIX);
    s = unix;
    unix.bind(`${dir}/l`);
  }
  try {
    s.listen();
    const out: string[] = [];
    for (const step of steps) {
      try {
        if (step.startsWith("sh")) {
          await s.shutdown(Number(step[2]));
          out.push(`${step} None`);
        } else if (step === "poll") {
          out.push(`poll ${await revents(s)}`);
        } else if (step === "recv") {
          s.setblocking(false);
          const data = await s.recv(10);
          out.push(`recv b'${new TextDecoder().decode(data)}'`);
        } else {
          s.setblocking(step === "blocking accept");
          const [conn] = await s.accept();
          conn.close();
          out.push(`${step} accepted`);
        }
      } catch (err) {
        out.push(`${step} ${(err as socket.OSError).errno}`);
      }
    }
    return out;
  } finally {
    s.close();
    if (dir !== null) await remove(dir, { recursive: true });
  }
}

/** What poll() reports for `s` now (POLLIN | POLLOUT | POLLRDHUP asked). */
async function revents(s: socket.Socket): Promise<number> {
  const p = select.poll();
  p.register(s, select.POLLIN | select.POLLOUT | select.POLLRDHUP);
  const ready = await p.poll(0);
  return ready.length === 0 ? 0 : ready[0][1];
}

/**
 * Runs `body` with a listening AF_UNIX socket in a fresh temporary
 * directory; closes it and removes the directory after.
 */
function withUnixListener(
  body: (s: socket.Socket) => Promise<void>,
): Promise<void> {
  return inTempDir(async (dir) => {
    const s = socket.socket(socket.AF_UNIX);
    try {
      s.bind(`${dir}/l`);
      s.listen();
      await body(s);
    } finally {
      s.close();
    }
  });
}

const noPy = await noPython();

test(
  "shutdown() on a listener: the scenarios' expected answers are what python3 gives on Linux",
  async () => {
    assertEquals(await pythonJson(PYTHON, SCENARIOS), LINUX);
  },
  { ignore: noPy },
);

for (const [i, [fam, steps]] of SCENARIOS.entries()) {
  test(`shutdown() on a ${fam} listener: ${steps.join(", ")}`, async () => {
    assertEquals(await run(fam, steps), LINUX[i]);
  });
}

test("shutdown() again on a TCP listener that it stopped raises [Errno 107] (Deno: not EBADF)", async () => {
  const s = socket.socket();
  try {
    s.bind(["127.0.0.1", 0]);
    s.listen();
    assertEquals(await s.shutdown(socket.SHUT_RD), undefined);
    let err: unknown = null;
    try {
      await s.shutdown(socket.SHUT_RDWR);
    } catch (e) {
      err = e;
    }
    assertEquals(
      describe(err),
      "OSError 107 [Errno 107] Transport endpoint is not connected",
    );
  } finally {
    s.close();
  }
});

test("shutdown(SHUT_RD) on a Unix listener: a timed accept() times out, a non-blocking one raises EAGAIN, a blocking one EINVAL", async () => {
  await withUnixListener(async (s) => {
    assertEquals(await s.shutdown(socket.SHUT_RD), undefined);
    s.settimeout(0.3);
    const t0 = performance.now();
    const timed = await s.accept().then(() => null, (e) => e);
    const elapsed = performance.now() - t0;
    assertEquals(describe(timed), "TimeoutError null timed out");
    assert(elapsed >= 250 && elapsed < 2000, `waited ${elapsed} ms`);
    s.setblocking(false);
    const now = await s.accept().then(() => null, (e) => e);
    assertEquals(
      describe(now),
      "BlockingIOError 11 [Errno 11] Resource temporarily unavailable",
    );
    s.setblocking(true);
    const blocking = await s.accept().then(() => null, (e) => e);
    assertEquals(describe(blocking), "OSError 22 [Errno 22] Invalid argument");
    // Readable (the end), never writable: select() says so at once.
    const [r, w] = await select.select([s], [s], [], 0);
    assertEquals([r.length, w.length], [1, 0]);
  });
});

test("shutdown(SHUT_RDWR) on a Unix listener wakes a blocking accept() with [Errno 22]", async () => {
  await withUnixListener(async (s) => {
    const waiting = s.accept().then(() => null, (e) => e);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assertEquals(await s.shutdown(socket.SHUT_RDWR), undefined);
    assertEquals(
      describe(await waiting),
      "OSError 22 [Errno 22] Invalid argument",
    );
  });
});

test("close() wakes a timed accept() waiting on a Unix listener shut for reading with [Errno 9], as CPython's (not at its timeout)", async () => {
  await withUnixListener(async (s) => {
    assertEquals(await s.shutdown(socket.SHUT_RD), undefined);
    s.settimeout(3);
    const t0 = performance.now();
    const waiting = s.accept().then(() => null, (e) => e);
    await sleep(100);
    s.close();
    const err = await waiting;
    const elapsed = performance.now() - t0;
    assertEquals(describe(err), "OSError 9 [Errno 9] Bad file descriptor");
    assert(elapsed < 1500, `woken after ${elapsed} ms`);
  });
});
