// Copyright the pysocket authors. MIT license.
// Unix stream sockets as CPython's on Linux, where the runtimes differ: a
// listener's path as it goes away, a blocking connect() to a listener whose
// queue is full, and the sender recvfrom() tells.
import { existsSync, unlinkSync } from "node:fs";
import { assert, assertEquals, assertInstanceOf } from "@std/assert";
import * as socket from "../mod.ts";
import { select } from "../select.ts";
import * as socketserver from "../socketserver.ts";
import {
  b,
  bounded,
  Child,
  exists,
  inTempDir,
  noPython,
  remove,
  runtime,
  sleep,
  str,
  test,
  timed,
  writeTextFile,
} from "./_util.ts";

const noPy = await noPython();

class Echo extends socketserver.StreamRequestHandler {
  override async handle(): Promise<void> {
    await this.wfile.write(await this.rfile.readline());
  }
}

/** One line to the Unix server at `path` and its echo. */
async function echo(path: string, line: string): Promise<string> {
  using c = socket.socket(socket.AF_UNIX);
  c.settimeout(5);
  await c.connect(path);
  await c.sendall(b(line));
  return str(await c.recv(100));
}

test(
  "UnixStreamServer.server_close() after serve_forever() resolves once the path is gone: a new server bound there keeps its file",
  async () => {
    await inTempDir(async (dir) => {
      const path = `${dir}/srv.sock`;
      const first = new socketserver.UnixStreamServer(path, Echo);
      const serving = first.serve_forever(0.01);
      assertEquals(await echo(path, "a\n"), "a\n");
      await first.shutdown();
      await serving;
      // serve_forever()'s select() left an accept pending: Deno removes the
      // path when that settles, a turn after the close.
      await first.server_close();
      assertEquals(existsSync(path), false);
      // A program written for CPython (whose file stays) removes it here.
      if (existsSync(path)) unlinkSync(path);
      const second = new socketserver.UnixStreamServer(path, Echo);
      const serving2 = second.serve_forever(0.01);
      try {
        await sleep(100);
        assertEquals(await exists(path), true);
        assertEquals(await echo(path, "b\n"), "b\n");
      } finally {
        await second.shutdown();
        await serving2;
        await second.server_close();
      }
    });
  },
);

test(
  "await using a Unix listener a select() waited on: its path is gone once the disposal resolves",
  async () => {
    await inTempDir(async (dir) => {
      const path = `${dir}/l.sock`;
      {
        await using s = socket.socket(socket.AF_UNIX);
        s.bind(path);
        s.listen(5);
        assertEquals(await select([s], [], [], 0.05), [[], [], []]);
      }
      assertEquals(existsSync(path), false);
    });
  },
);

/**
 * A Python listener on `argv[1]` with a backlog of 0 whose queue it fills
 * with connections of its own; it prints `full`, then reads a line:
 * `accept` accepts everything (echoing one read in upper case) for 2 s and
 * prints how many; `close` closes the listener and unlinks the path.
 */
const FULL_QUEUE = `import socket, os, sys
P = sys.argv[1]
s = socket.socket(socket.AF_UNIX); s.bind(P); s.listen(0)
fill = []
while True:
    c = socket.socket(socket.AF_UNIX); c.setblocking(False)
    try: c.connect(P)
    except BlockingIOError: c.close(); break
    fill.append(c)
print("full", flush=True)
if sys.stdin.readline().strip() == "close":
    s.close(); os.unlink(P); print("closed", flush=True); sys.exit()
s.settimeout(2); n = 0
try:
    while True:
        a, _ = s.accept(); n += 1
        a.settimeout(2)
        try:
            d = a.recv(10)
            if d: a.sendall(d.upper())
        except OSError: pass
        a.close()
except OSError: pass
print("accepted", n, flush=True)
`;

/** A python3 listener on `path` whose accept queue is full (FULL_QUEUE). */
async function fullQueue(path: string): Promise<Child> {
  const python = new Child("python3", ["-c", FULL_QUEUE, path], {
    stdin: "piped",
  });
  try {
    await python.waitFor("stdout", /^full$/m);
  } catch (err) {
    await python[Symbol.asyncDispose]();
    throw err;
  }
  return python;
}

test(
  "connect() on AF_UNIX to a full accept queue: timed and non-blocking raise [Errno 11] at once; blocking waits until the server accepts, as CPython's",
  async () => {
    await inTempDir(async (dir) => {
      const path = `${dir}/full.sock`;
      await using python = await fullQueue(path);
      {
        using c = socket.socket(socket.AF_UNIX);
        c.settimeout(0.5);
        const { ms, error } = await timed(() => c.connect(path));
        assertInstanceOf(error, socket.BlockingIOError);
        assertEquals(
          (error as Error).message,
          "[Errno 11] Resource temporarily unavailable",
        );
        assert(ms < 400, `the timed connect waited ${ms} ms`);
        assertEquals(await c.connect_ex(path), 11);
      }
      {
        using c = socket.socket(socket.AF_UNIX);
        c.setblocking(false);
        assertEquals(await c.connect_ex(path), 11);
      }
      using c = socket.socket(socket.AF_UNIX);
      let done = false;
      const connecting = c.connect(path).finally(() => done = true);
      connecting.catch(() => {});
      await sleep(300);
      assertEquals(done, false, "the blocking connect() did not wait");
      await python.write("accept\n");
      await connecting;
      c.settimeout(5);
      await c.sendall(b("hi"));
      assertEquals(str(await c.recv(10)), "HI");
      c.close();
      await python.waitFor("stdout", /^accepted \d+$/m);
    });
  },
  { ignore: noPy },
);

test(
  "a blocking connect() on AF_UNIX to a path whose listener's file was replaced by a regular file is refused at once, as Linux's (Bun's refusal is not taken for a full queue)",
  async () => {
    await inTempDir(async (dir) => {
      const path = `${dir}/stale.sock`;
      const listener = socket.socket(socket.AF_UNIX);
      listener.bind(path);
      listener.listen();
      try {
        // /proc/net/unix still lists the listener under this name.
        await remove(path);
        await writeTextFile(path, "");
        using c = socket.socket(socket.AF_UNIX);
        const { ms, error } = await timed(() =>
          bounded(c.connect(path), 3000, "the blocking connect() still waits")
        );
        assertInstanceOf(error, socket.ConnectionRefusedError);
        assertEquals(
          (error as Error).message,
          "[Errno 111] Connection refused",
        );
        assert(ms < 1000, `refused after ${ms} ms`);
      } finally {
        listener.close();
      }
    });
  },
);

test(
  "a blocking connect() on AF_UNIX waiting on a full queue raises ConnectionRefusedError when the listener closes, as CPython's",
  async () => {
    await inTempDir(async (dir) => {
      const path = `${dir}/full.sock`;
      await using python = await fullQueue(path);
      using c = socket.socket(socket.AF_UNIX);
      const connecting = c.connect(path).then(() => null, (err) => err);
      await sleep(200);
      await python.write("close\n");
      await python.waitFor("stdout", /^closed$/m);
      const error = await connecting;
      assertInstanceOf(error, socket.ConnectionRefusedError);
      assertEquals(error.message, "[Errno 111] Connection refused");
    });
  },
  { ignore: noPy },
);

test(
  "recvfrom() and recvfrom_into() on a Unix stream tell the peer's bound name (a path, an abstract name's bytes), None from an unbound peer and at end of stream, as CPython's",
  async () => {
    await inTempDir(async (dir) => {
      const abstract = `\0pysocket-test-${crypto.randomUUID()}`;
      const names: [string, socket.UnixAddress][] = [
        [`${dir}/uf.sock`, `${dir}/uf.sock`],
        [abstract, new TextEncoder().encode(abstract)],
      ];
      for (const [name, told] of names) {
        using s = socket.socket(socket.AF_UNIX);
        s.bind(name);
        s.listen();
        using c = socket.socket(socket.AF_UNIX);
        c.settimeout(5);
        await c.connect(name);
        const [conn] = await s.accept();
        conn.settimeout(5);
        await conn.sendall(b("abc"));
        assertEquals(await c.recvfrom(10), [b("abc"), told]);
        await conn.sendall(b("abc"));
        assertEquals(
          await c.recvfrom(10, socket.MSG_PEEK),
          [b("abc"), told],
        );
        assertEquals(await c.recvfrom(0), [b(""), told]);
        assertEquals(await c.recvfrom_into(new Uint8Array(0)), [0, told]);
        const into = new Uint8Array(8);
        assertEquals(await c.recvfrom_into(into), [3, told]);
        await conn.sendall(b("abc"));
        assertEquals(
          await c.recvfrom(3, socket.MSG_WAITALL),
          [b("abc"), told],
        );
        await c.sendall(b("xyz"));
        assertEquals(await conn.recvfrom(10), [b("xyz"), null]);
        conn.close();
        assertEquals(await c.recvfrom(10), [b(""), null]);
        assertEquals(await c.recvfrom(0), [b(""), null]);
      }
    });
  },
);

test(
  "recvfrom() on the ends of socketpair(AF_UNIX) tells no sender, as CPython's unnamed pair",
  async () => {
    const [a, c] = await socket.socketpair(socket.AF_UNIX);
    try {
      await a.sendall(b("x"));
      assertEquals(await c.recvfrom(5), [b("x"), null]);
      await c.sendall(b("y"));
      assertEquals(await a.recvfrom(5), [b("y"), null]);
    } finally {
      a.close();
      c.close();
    }
  },
);

test(
  "socketpair(AF_UNIX)'s ends are unnamed: getsockname() and getpeername() are '', repr() shows no laddr or raddr, as CPython's",
  async () => {
    // python3 3.11: a, b = socket.socketpair(); a.getsockname() == '',
    // a.getpeername() == '', repr(a) ends 'proto=0>', on both ends.
    const [a, c] = await socket.socketpair(socket.AF_UNIX);
    try {
      const copy = a.dup();
      try {
        for (const end of [a, c, copy]) {
          assertEquals([end.getsockname(), end.getpeername()], ["", ""]);
          assertEquals(
            String(end),
            `<socket.socket fd=${end.fileno()}, family=1, type=1, proto=0>`,
          );
        }
      } finally {
        copy.close();
      }
      await c.sendall(b("z"));
      const into = new Uint8Array(5);
      assertEquals(await a.recvfrom_into(into), [1, null]);
    } finally {
      a.close();
      c.close();
    }
  },
);

/** A Python client that binds its own path, then connects to `argv[1]`. */
const BOUND_CLIENT = `import socket, sys
c = socket.socket(socket.AF_UNIX); c.bind(sys.argv[2]); c.settimeout(5)
c.connect(sys.argv[1]); c.sendall(b"hi"); c.recv(10); c.close()
`;

test(
  "accept() of a Unix client bound to a path tells that path, as do getpeername() and recvfrom()",
  async () => {
    await inTempDir(async (dir) => {
      const path = `${dir}/s.sock`;
      const client = `${dir}/c.sock`;
      using s = socket.socket(socket.AF_UNIX);
      s.bind(path);
      s.listen();
      s.settimeout(10);
      await using python = new Child("python3", [
        "-c",
        BOUND_CLIENT,
        path,
        client,
      ]);
      const [conn, address] = await s.accept();
      using _conn = conn;
      conn.settimeout(5);
      assertEquals(address, client);
      assertEquals(conn.getpeername(), client);
      assertEquals(await conn.recvfrom(10), [b("hi"), client]);
      await conn.sendall(b("ok"));
      assertEquals((await python.exit()).code, 0);
    });
  },
  {
    ignore: noPy ||
      (runtime !== "deno" &&
        "Node and Bun tell no peer name for an accepted Unix connection"),
  },
);
