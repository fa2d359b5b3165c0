// Copyright the pysocket authors. MIT license.
// Round 19 (Deno's second paths, node:net and node:dgram), python3's
// answers:
// - a peer's reset that came with its last bytes is raised by the read
//   after them, also on a connection from a bound address (on Deno through
//   its node:net, which tore the socket down and told the error later: the
//   read took the teardown for the end of stream);
// - datagrams nobody reads are kept as many as Linux keeps, each charged
//   its buffer's size (its `truesize`) against the receive buffer (node:dgram
//   charged the payload and 832 bytes).

import { assertEquals } from "@std/assert";
import * as socket from "../mod.ts";
import { Child, noPython, pythonJson, sleep, str, test } from "./_util.ts";

/**
 * A CPython listener: each connection it accepts gets `data` once the
 * client's first byte came, then a reset (`SO_LINGER` `{1, 0}`).
 */
const RESETTING_SERVER = `import socket, struct, sys, time
L = socket.socket(); L.bind(("127.0.0.1", 0)); L.listen(5)
print(L.getsockname()[1], flush=True)
while True:
    c, _ = L.accept(); c.recv(1)
    c.sendall(sys.argv[1].encode()); time.sleep(0.05)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    c.close()
`;

/**
 * Runs `body` on a connection to {@linkcode RESETTING_SERVER} (from a bound
 * address if `bound`) once the bytes and the reset are both there.
 */
async function afterReset(
  data: string,
  bound: boolean,
  body: (c: socket.Socket) => Promise<string[]>,
): Promise<string[]> {
  const peer = new Child("python3", ["-c", RESETTING_SERVER, data], {
    timeoutMs: 30_000,
  });
  try {
    const [, port] = await peer.waitFor("stdout", /(\d+)\n/);
    using c = socket.socket();
    if (bound) c.bind(["127.0.0.1", 0]);
    c.settimeout(5);
    await c.connect(["127.0.0.1", Number(port)]);
    await c.sendall(new Uint8Array([1]));
    await sleep(300);
    return await body(c);
  } finally {
    await peer.kill();
  }
}

/** What `call` returned (as JSON), or the class and errno it raised. */
async function outcome(call: () => Promise<unknown>): Promise<string> {
  try {
    const got = await call();
    return JSON.stringify(got instanceof Uint8Array ? str(got) : got);
  } catch (err) {
    const e = err as socket.OSError;
    return `${e.constructor.name} ${e.errno}`;
  }
}

test(
  "a reset after the peer's last bytes is raised by the recv() after them, from a bound address too (python3's answers)",
  async () => {
    for (const bound of [false, true]) {
      const got = await afterReset("abc", bound, async (c) => [
        await outcome(() => c.recv(10)),
        await outcome(() => c.recv(10)),
        await outcome(() => c.recv(10)),
      ]);
      assertEquals(
        got,
        ['"abc"', "ConnectionResetError 104", '""'],
        bound ? "bound" : "not bound",
      );
    }
  },
  { ignore: await noPython() },
);

test(
  "a reset after a partial line makes readline() raise, not return the part (python3's answers)",
  async () => {
    for (const bound of [false, true]) {
      const got = await afterReset("line1", bound, async (c) => {
        const f = c.makefile("rb");
        try {
          return [
            await outcome(() => f.readline()),
            await outcome(() => f.readline()),
          ];
        } finally {
          await f.close();
        }
      });
      assertEquals(
        got,
        ["ConnectionResetError 104", '""'],
        bound ? "bound" : "not bound",
      );
    }
  },
  { ignore: await noPython() },
);

/** Sizes around each of Linux's steps of `truesize`, IPv4 and IPv6. */
const SIZES = [0, 100, 184, 185, 197, 198, 500, 645, 646, 1000, 1669, 1670];
const LARGE = [4000, 7813, 7814, 15991, 15992, 16004, 16005, 30000, 65507];
/** More than Linux keeps of any size (256 of the smallest). */
const COUNT = 300;

const PY_KEPT = `import json, socket, sys, time
out = {}
for family, host, size in json.load(sys.stdin):
    a = socket.socket(family, socket.SOCK_DGRAM); a.bind((host, 0))
    a.setblocking(False)
    b = socket.socket(family, socket.SOCK_DGRAM)
    for _ in range(${COUNT}): b.sendto(bytes(size), a.getsockname())
    time.sleep(0.15); n = 0
    try:
        while True: a.recv(65536); n += 1
    except BlockingIOError: pass
    out[f"{host} {size}"] = n; a.close(); b.close()
print(json.dumps(out))
`;

test(
  "unread datagrams are kept as many as Linux keeps, by size (python3's counts)",
  async () => {
    const cases: [number, string, number][] = [];
    for (
      const [family, host] of [[socket.AF_INET, "127.0.0.1"], [
        socket.AF_INET6,
        "::1",
      ]] as const
    ) {
      for (const size of [...SIZES, ...LARGE]) cases.push([family, host, size]);
    }
    const want = await pythonJson(PY_KEPT, cases);
    const got: Record<string, number> = {};
    for (const [family, host, size] of cases) {
      using a = socket.socket(family, socket.SOCK_DGRAM);
      using b = socket.socket(family, socket.SOCK_DGRAM);
      a.bind([host, 0]);
      a.setblocking(false);
      const to = a.getsockname() as [string, number];
      const data = new Uint8Array(size);
      for (let i = 0; i < COUNT; i++) await b.sendto(data, to);
      await sleep(150);
      let n = 0;
      try {
        for (;;) {
          await a.recv(65536);
          n++;
        }
      } catch (err) {
        if (!(err instanceof socket.BlockingIOError)) throw err;
      }
      got[`${host} ${size}`] = n;
    }
    assertEquals(got, want);
  },
  { ignore: await noPython() },
);
